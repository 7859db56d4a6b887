/**
 * The pure core's entry contract: what the extension host, the CLI and the tests pass in.
 */
import type { Dtype } from './types';
import type { HardwareProfile } from './hardware/types';
import type { CellOutputs } from './notebook';
import type { DataFileSource } from './dataFiles';
import type { FolderListing } from './folderListings';

/** A local Python module the host read for the core (the core does no I/O). */
export interface ModuleSource {
  /** Dotted module name as imported (`model`, `models.gpt`). */
  name: string;
  /** Path relative to the workspace (for problems and locations). */
  path: string;
  text: string;
}

/**
 * A config file (YAML/JSON) the script reads, read by the host for the core: `name` is the path as the script names
 * it (POSIX, relative to the folder it runs in, as `configFileNames` lists it), `path` where the host found it
 * (relative to the workspace, for messages).
 */
export interface ConfigFileSource {
  name: string;
  path: string;
  text: string;
}

/** User settings the core honours; every field optional with a documented default. */
export interface AnalyzeSettings {
  defaultBatch: number;
  defaultSeqLen: number;
  defaultDtype: Dtype;
  /** Multipliers on documented efficiencies (1 = defaults). */
  computeEfficiency: number;
  memoryEfficiency: number;
  /** Override of the GPU per-op launch overhead, seconds. */
  launchOverheadSeconds?: number;
  /**
   * The user's own CPU, a catalog id (or `this-machine` among the host's profiles): the machine the verdict judges
   * "a CPU is fine" against. Absent: the measured machine, else a laptop/desktop CPU compared, else a default laptop.
   */
  userCpu?: string;
  /** Overrides with the same keys as `# floplens:` directives, from settings or `--set key=value`. */
  overrides: Record<string, string>;
}

export interface AnalyzeInput {
  /** The document text (for notebooks: the code cells joined, see `cells`). */
  text: string;
  /** Display path of the document. */
  file: string;
  /** Notebook code cells in order; when present, `text` is ignored and cells are analysed as one program. */
  cells?: string[];
  /** Saved outputs of the notebook's code cells, index for index with `cells` (values the last run showed). */
  cellOutputs?: CellOutputs[];
  /** Local modules the script imports, already read by the host (see `localImports`). */
  modules?: ModuleSource[];
  settings?: Partial<AnalyzeSettings>;
  /** Config files the script reads from its workspace, already read by the host (see `configFileNames`). */
  files?: ConfigFileSource[];
  /** Facts of the data files the script reads from its workspace, computed by the host (see `dataFileNames`). */
  dataFiles?: DataFileSource[];
  /** Folders of the workspace the script names, listed by the host (see `folderNames`): glob/listdir give their files. */
  folders?: FolderListing[];
  /** Devices to project onto; when absent, the default comparison set from the catalog. */
  hardware?: HardwareProfile[];
}

/**
 * Largest file a host reads as the script, notebook or hardware file of one analysis, bytes: VS Code hands
 * extensions no document over 50 MB, and the CLI refuses the same. (The core analyses the first
 * `MAX_SOURCE_CHARS` characters of what it is given, with a notice.)
 */
export const MAX_INPUT_FILE_BYTES = 50 * 1024 * 1024;
