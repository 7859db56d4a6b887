/**
 * Analysing a script or notebook on disk: the one place (for the CLI, the tests and the validation tools) that reads
 * the file, its notebook cells and the local modules it imports, and hands them to the pure core.
 */
import * as path from 'path';
import { analyze } from '../core/analyze';
import type { Analysis } from '../core/types';
import type { HardwareProfile } from '../core/hardware/types';
import { readNotebook, stripBom, type NotebookRead } from '../core/notebook';
import { pushAll } from '../core/arrays';
import { readInputFile } from './files';
import { readLocalModules } from './modules';
import { readConfigFiles } from './configFiles';
import { readDataFiles } from './dataFiles';
import { readFolders } from './folders';
import { configTargetImports } from '../core/configFiles';

/** A script or notebook as read from disk: its text, and for a notebook its code cells and what was wrong with it. */
export interface ScriptRead {
  /** The script, or the notebook's code cells joined as the core analyses them. */
  text: string;
  /** Notebook only: the code cells and the sentences about cells that could not be read. */
  notebook?: NotebookRead;
}

/**
 * Reads a script (`.py`) or notebook (`.ipynb`) within the input size cap, without its BOM. Throws `InputError`
 * (one line) when the path is not a regular file or is too large; never for what the file holds.
 */
export function readScript(file: string): ScriptRead {
  const isNotebook = file.endsWith('.ipynb');
  const raw = stripBom(readInputFile(file, isNotebook ? 'notebook' : 'script'));
  if (!isNotebook) return { text: raw };
  const notebook = readNotebook(raw);
  return { text: notebook.cells.join('\n\n'), notebook };
}

export interface AnalyzeFileOptions {
  /** Directive keys and values, as `--set key=value` gives them. */
  overrides?: Record<string, string>;
  /** Hardware to compare (default: the core's default set). */
  hardware?: HardwareProfile[];
  /**
   * Local modules are read from under this folder only (default: the working directory); from the file's own folder
   * when the file is not inside it.
   */
  root?: string;
  /** The name the analysis gives the file (problems, the parse cache). Default: its path relative to the working directory. */
  name?: string;
  /** Read the facts (sizes and counts) of the data files the script names (default true; src/cli/dataFiles.ts). */
  readDataFiles?: boolean;
}

/**
 * Analyses one script or notebook with the local modules it imports. Modules too large to read and notebook cells
 * that could not be read are reported as problems of the analysis. Throws `InputError` (one line) when the file
 * cannot be read as a regular file within the size cap; never for what the file holds.
 */
export function analyzeFile(file: string, options: AnalyzeFileOptions = {}): Analysis {
  const { text, notebook } = readScript(file);
  const abs = path.resolve(file);
  const root = path.resolve(options.root ?? process.cwd());
  const rootForImports = abs.startsWith(root + path.sep) ? root : path.dirname(abs);
  // The name keys the core's parse cache: the import scan and the analysis share one parse of the file.
  const name = options.name ?? (path.relative(process.cwd(), file) || file);
  const skipped: string[] = [];
  const modules = readLocalModules(file, text, rootForImports, 64, skipped, name);
  const overrides = Object.assign(Object.create(null) as Record<string, string>, options.overrides);
  // A command line given with --set args=… names config files as the script's own directive would (`--config <name>`).
  const commandLine = overrides.args ?? overrides.argv;
  const given = commandLine === undefined ? [] : [`# floplens: args=${commandLine.includes('"') ? `'${commandLine}'` : `"${commandLine}"`}`];
  const files = readConfigFiles(file, [text, ...modules.map((m) => m.text), ...given], rootForImports, skipped);
  // Modules the config files name as objects to build (Hydra's `_target_`), though the script does not import them.
  const targets = configTargetImports(files);
  if (targets) {
    const have = new Set(modules.map((m) => m.name));
    modules.push(...readLocalModules(file, targets, rootForImports, Math.max(0, 64 - modules.length), skipped).filter((m) => !have.has(m.name)));
  }
  const dataFiles = options.readDataFiles === false ? [] : readDataFiles(file, [text, ...modules.map((m) => m.text)], rootForImports, skipped);
  const folders = options.readDataFiles === false ? [] : readFolders(file, [text, ...modules.map((m) => m.text)], rootForImports);
  const analysis = analyze({ text, file: name, cells: notebook?.cells, cellOutputs: notebook?.outputs, modules, files, dataFiles, folders, settings: { overrides }, hardware: options.hardware });
  pushAll(analysis.problems, skipped.map((message) => ({ severity: 'warning' as const, code: 'module-skipped', message })));
  if (notebook) analysis.problems.unshift(...notebook.problems.map((p) => ({ severity: p.severity, code: 'notebook', message: `${name}: ${p.message}` })));
  return analysis;
}
