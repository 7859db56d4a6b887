import * as vscode from 'vscode';
import type { AnalyzeInput, AnalyzeSettings } from '../core/api';
import { cleanCell } from '../core/notebook';
import type { Analysis } from '../core/types';
import type { FlopLensConfig } from './configSchema';
import { DisposableOwner } from './disposable';
import type { HardwareService } from './hardwareService';
import type { Log } from './log';
import type { ModuleReader } from './moduleReader';
import { buildCellMap, CELL_SEPARATOR, type CellMap } from './notebookMap';
import { cellOutputs } from './notebookOutputs';

/** Debounce between the last keystroke and the analysis, ms. */
export const EDIT_DEBOUNCE_MS = 250;
/** Delay for analyses triggered by settings, focus or opening (coalesces bursts), ms. */
export const SOON = 20;

/** What can be analysed: a Python script or a Jupyter notebook's Python code cells. */
export type AnalysisTarget =
  | { kind: 'script'; document: vscode.TextDocument }
  | { kind: 'notebook'; notebook: vscode.NotebookDocument };

/** One analysis of one document version. */
export interface AnalysisEntry {
  /** `uri.toString()` of the script or notebook. */
  key: string;
  uri: vscode.Uri;
  kind: 'script' | 'notebook';
  /** Document (or notebook) version analysed. */
  version: number;
  analysis: Analysis;
  /** Notebooks: the code cells analysed, in order, and where each starts in the joined program. */
  cells?: { uris: string[]; map: CellMap };
  /** `uri.toString()` of the local modules read. */
  dependencies: string[];
  /** Wall time from start to stored, including module reads, ms. */
  totalMs: number;
  /** `Date.now()` when stored. */
  at: number;
}

/** The store's one change event: an entry was updated, started (pending) or dropped. */
export interface StoreChange {
  key: string;
  reason: 'updated' | 'pending' | 'removed';
}

/** The core's `analyze`, in-process or through the analysis worker. */
export type AnalyzeFn = (input: AnalyzeInput) => Analysis | Promise<Analysis>;

export function isPythonScript(doc: vscode.TextDocument): boolean {
  return doc.languageId === 'python' && doc.uri.scheme !== 'vscode-notebook-cell' && doc.uri.scheme !== 'git' && doc.uri.scheme !== 'output';
}

export function isJupyter(nb: vscode.NotebookDocument): boolean {
  return nb.notebookType === 'jupyter-notebook' || nb.notebookType === 'interactive';
}

/** The Python code cells of a notebook, in order. */
export function codeCells(nb: vscode.NotebookDocument): vscode.NotebookCell[] {
  return nb.getCells().filter((c) => c.kind === vscode.NotebookCellKind.Code && c.document.languageId === 'python');
}

/**
 * Analyses per document URI and version. Re-analyses on edit (debounced, off the typing path), on settings
 * and hardware change, and when a document becomes visible. Every surface reads from here and listens to
 * `onDidChange`; nothing else calls the core.
 */
export class AnalysisStore extends DisposableOwner {
  private readonly entries = new Map<string, AnalysisEntry>();
  private readonly timers = new Map<string, ReturnType<typeof setTimeout>>();
  private readonly running = new Map<string, Promise<AnalysisEntry | undefined>>();
  /** Generation being computed per key; cleared just before its result is announced. */
  private readonly computing = new Map<string, number>();
  /** Latest requested generation per key; older runs never overwrite newer ones. */
  private readonly generation = new Map<string, number>();
  private readonly targets = new Map<string, AnalysisTarget>();
  private readonly waiters = new Set<{ key: string; version: number; resolve: (e: AnalysisEntry | undefined) => void }>();
  private readonly emitter = this.register(new vscode.EventEmitter<StoreChange>());
  /** The one change event every surface subscribes to. */
  readonly onDidChange = this.emitter.event;

  constructor(
    private readonly analyzeFn: AnalyzeFn,
    private readonly getConfig: () => FlopLensConfig,
    private readonly hardware: HardwareService,
    private readonly modules: ModuleReader,
    private readonly log: Log,
  ) {
    super();
    this.register({ dispose: () => this.timers.forEach((t) => clearTimeout(t)) });
    this.register({ dispose: () => this.waiters.forEach((w) => w.resolve(undefined)) });
  }

  /** The latest analysis of a script or notebook, whatever its version. */
  get(uri: vscode.Uri | string): AnalysisEntry | undefined {
    return this.entries.get(typeof uri === 'string' ? uri : uri.toString());
  }

  /** The entry for a text document or notebook cell: its own, or its notebook's. */
  entryFor(doc: vscode.TextDocument): AnalysisEntry | undefined {
    if (doc.uri.scheme === 'vscode-notebook-cell') {
      const nb = notebookOf(doc);
      return nb ? this.get(nb.uri) : undefined;
    }
    return this.get(doc.uri);
  }

  /** True while an analysis for `key` is scheduled or running. */
  isPending(key: string): boolean {
    return this.timers.has(key) || this.computing.has(key);
  }

  all(): AnalysisEntry[] {
    return [...this.entries.values()];
  }

  /** Tracks `target` and analyses it after `delayMs` (restarting the wait if already scheduled). */
  schedule(target: AnalysisTarget, delayMs = EDIT_DEBOUNCE_MS): void {
    const key = targetKey(target);
    this.targets.set(key, target);
    const previous = this.timers.get(key);
    if (previous) clearTimeout(previous);
    const wasPending = this.isPending(key);
    this.timers.set(key, setTimeout(() => {
      this.timers.delete(key);
      void this.run(key);
    }, delayMs));
    if (!wasPending) this.emitter.fire({ key, reason: 'pending' });
  }

  /** Analyses `target` now (cancelling a scheduled run) and resolves with the stored entry. */
  analyzeNow(target: AnalysisTarget): Promise<AnalysisEntry | undefined> {
    const key = targetKey(target);
    this.targets.set(key, target);
    const t = this.timers.get(key);
    if (t) clearTimeout(t);
    this.timers.delete(key);
    return this.run(key);
  }

  /** Re-analyses every tracked document (settings or hardware changed). */
  refreshAll(): void {
    for (const target of this.targets.values()) this.schedule(target, SOON);
  }

  /** Re-analyses tracked documents that read the module at `uri`. */
  dependencyChanged(uri: vscode.Uri): void {
    const key = uri.toString();
    this.modules.invalidate(uri);
    for (const e of this.entries.values()) {
      const target = this.targets.get(e.key);
      if (target && e.dependencies.includes(key)) this.schedule(target);
    }
  }

  isTracked(key: string): boolean {
    return this.targets.has(key);
  }

  /** Stops tracking and drops the entry (document closed). */
  forget(key: string): void {
    const t = this.timers.get(key);
    if (t) clearTimeout(t);
    this.timers.delete(key);
    this.computing.delete(key);
    this.targets.delete(key);
    this.generation.set(key, (this.generation.get(key) ?? 0) + 1);
    if (this.entries.delete(key)) this.emitter.fire({ key, reason: 'removed' });
    for (const w of [...this.waiters]) {
      if (w.key === key) {
        this.waiters.delete(w);
        w.resolve(undefined);
      }
    }
  }

  /**
   * Resolves with the entry once an analysis of at least `version` is stored (or undefined on timeout,
   * cancellation or close). Waiting is not computing: providers may wait, never analyse.
   */
  whenAnalyzed(key: string, version: number, timeoutMs = 5000, token?: vscode.CancellationToken): Promise<AnalysisEntry | undefined> {
    const e = this.entries.get(key);
    if (e && e.version >= version) return Promise.resolve(e);
    return new Promise((resolve) => {
      const waiter = {
        key,
        version,
        resolve: (x: AnalysisEntry | undefined) => {
          clearTimeout(timer);
          sub?.dispose();
          this.waiters.delete(waiter);
          resolve(x);
        },
      };
      const timer = setTimeout(() => waiter.resolve(undefined), timeoutMs);
      const sub = token?.onCancellationRequested(() => waiter.resolve(undefined));
      this.waiters.add(waiter);
    });
  }

  private run(key: string): Promise<AnalysisEntry | undefined> {
    const gen = (this.generation.get(key) ?? 0) + 1;
    this.generation.set(key, gen);
    this.computing.set(key, gen);
    const p = this.compute(key, gen).finally(() => {
      if (this.running.get(key) === p) this.running.delete(key);
      if (this.computing.get(key) === gen) this.computing.delete(key);
    });
    this.running.set(key, p);
    return p;
  }

  private async compute(key: string, gen: number): Promise<AnalysisEntry | undefined> {
    const target = this.targets.get(key);
    if (!target) return undefined;
    const started = performance.now();
    try {
      await this.hardware.ready();
      const source = await this.readTarget(target);
      if (this.generation.get(key) !== gen || this.isDisposed) return undefined;
      const cfg = this.getConfig();
      // Data files the script reads (sizes and counts only), unless `floplens.readDataFiles` is off.
      const data = cfg.readDataFiles === false || !this.modules.readDataFiles ? undefined
        : await this.modules.readDataFiles(target.kind === 'script' ? target.document.uri : target.notebook.uri, [source.text, ...source.modules.modules.map((m) => m.text)]);
      const settings: Partial<AnalyzeSettings> = {
        defaultBatch: cfg.defaults.batch,
        defaultSeqLen: cfg.defaults.seqLen,
        defaultDtype: cfg.defaults.dtype,
        computeEfficiency: cfg.efficiency.compute,
        memoryEfficiency: cfg.efficiency.memory,
        overrides: { ...cfg.overrides },
      };
      // Partial configs (tests, older hosts) may lack the hardware section.
      const userCpu = (cfg.hardware as Partial<typeof cfg.hardware> | undefined)?.userCpu;
      if (userCpu) settings.userCpu = userCpu;
      if (cfg.efficiency.launchOverheadMicroseconds !== null) settings.launchOverheadSeconds = cfg.efficiency.launchOverheadMicroseconds * 1e-6;
      const input: AnalyzeInput = {
        text: source.text,
        file: vscode.workspace.asRelativePath(target.kind === 'script' ? target.document.uri : target.notebook.uri, false),
        cells: source.cells,
        cellOutputs: source.outputs,
        modules: source.modules.modules,
        files: source.modules.files,
        dataFiles: data?.files,
        folders: source.modules.folders,
        settings,
        hardware: this.hardware.selected(),
      };
      const analysis = await this.analyzeFn(input);
      if (this.isDisposed) return undefined;
      for (const message of data?.skipped ?? []) analysis.problems.push({ severity: 'warning', code: 'data-file', message });
      for (const s of source.modules.skipped) {
        analysis.problems.push({ severity: 'warning', code: 'module-skipped', message: `FlopLens did not read the imported module ${s.path}: ${s.reason}. What the script takes from it is not counted.` });
      }
      const entry: AnalysisEntry = {
        key,
        uri: target.kind === 'script' ? target.document.uri : target.notebook.uri,
        kind: target.kind,
        version: source.version,
        analysis,
        cells: source.cells ? { uris: source.cellUris, map: buildCellMap(source.cells) } : undefined,
        dependencies: source.modules.uris,
        totalMs: performance.now() - started,
        at: Date.now(),
      };
      if (this.generation.get(key) !== gen || !this.targets.has(key)) return undefined;
      this.entries.set(key, entry);
      // Listeners read isPending() synchronously: this run is over once its result is stored.
      if (this.computing.get(key) === gen) this.computing.delete(key);
      this.log.debug(`analysed ${input.file} v${entry.version}: core ${analysis.elapsedMs.toFixed(1)} ms, total ${entry.totalMs.toFixed(1)} ms, ${source.modules.modules.length} module(s)`);
      this.emitter.fire({ key, reason: 'updated' });
      for (const w of [...this.waiters]) if (w.key === key && entry.version >= w.version) w.resolve(entry);
      return entry;
    } catch (e) {
      // The core returns problems rather than throwing; reaching here is a FlopLens bug, not the user's.
      this.log.error(`analysis of ${key} failed`, e);
      if (this.computing.get(key) === gen) this.computing.delete(key);
      if (this.generation.get(key) === gen) this.emitter.fire({ key, reason: 'updated' });
      return undefined;
    }
  }

  private async readTarget(target: AnalysisTarget) {
    if (target.kind === 'script') {
      const doc = target.document;
      const text = doc.getText();
      const version = doc.version;
      const modules = doc.isUntitled ? { modules: [], uris: [], skipped: [] } : await this.modules.read(doc.uri, [text]);
      return { text, version, cells: undefined, outputs: undefined, cellUris: [] as string[], modules };
    }
    const nb = target.notebook;
    const cells = codeCells(nb);
    // IPython magics and shell escapes are blanked line-for-line so cell line numbers stay put.
    const texts = cells.map((c) => cleanCell(c.document.getText()));
    const version = nb.version;
    const modules = nb.isUntitled ? { modules: [], uris: [], skipped: [] } : await this.modules.read(nb.uri, texts);
    // The outputs of the last run, as evidence of values the code computes from data (src/core/interpret/savedOutputs.ts).
    return { text: texts.join(CELL_SEPARATOR), version, cells: texts, outputs: cells.map(cellOutputs), cellUris: cells.map((c) => c.document.uri.toString()), modules };
  }
}

export function targetKey(target: AnalysisTarget): string {
  return (target.kind === 'script' ? target.document.uri : target.notebook.uri).toString();
}

/** The notebook a cell document belongs to. */
export function notebookOf(doc: vscode.TextDocument): vscode.NotebookDocument | undefined {
  if (doc.uri.scheme !== 'vscode-notebook-cell') return undefined;
  return vscode.workspace.notebookDocuments.find((nb) => nb.getCells().some((c) => c.document === doc));
}
