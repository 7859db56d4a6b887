import { Worker } from 'worker_threads';
import { analyze, localImports } from '../core/analyze';
import type { AnalyzeInput } from '../core/api';
import type { Analysis } from '../core/types';
import type { WorkerReply, WorkerRequest } from './worker/protocol';

/**
 * Longest an analysis may run before the worker is stopped and the file gets a notice instead, ms. It counts from
 * when the worker reports it has picked the job up, so a worker's own start (thread, loading the core) is not
 * charged to the file.
 */
export const ANALYSIS_TIMEOUT_MS = 20_000;
/** Longest a worker may take to pick a job up (a fresh thread loads the core first) before it counts as broken, ms. */
export const WORKER_PICKUP_TIMEOUT_MS = 60_000;
/** Heap limit of the worker; past it the thread dies (and is restarted) rather than the extension host, MB. */
const WORKER_HEAP_MB = 1536;
/** Workers in a row that die before answering, after which the engine analyses on the host thread. */
const MAX_START_FAILURES = 3;

export interface EngineLog {
  info(message: string): void;
  warn(message: string): void;
  error(message: string, err?: unknown): void;
}

/** A tiny training script touching the parser, evaluator, op table, iteration and projection. */
export const WARM_UP_SCRIPT = [
  'import torch', 'import torch.nn as nn', 'from torch.utils.data import DataLoader', 'from torchvision import datasets',
  'model = nn.Sequential(nn.Conv2d(3, 8, 3, padding=1), nn.BatchNorm2d(8), nn.ReLU(), nn.Flatten(), nn.Linear(8 * 32 * 32, 10))',
  "loader = DataLoader(datasets.CIFAR10('.', train=True), batch_size=64)",
  'opt = torch.optim.AdamW(model.parameters(), lr=1e-3)',
  'for epoch in range(2):', '    for x, y in loader:', '        loss = nn.functional.cross_entropy(model(x), y)',
  '        opt.zero_grad()', '        loss.backward()', '        opt.step()', '',
].join('\n');

type Job =
  | { type: 'analyze'; input: AnalyzeInput; resolve: (a: Analysis) => void }
  | { type: 'imports'; text: string; cacheKey?: string; resolve: (names: string[]) => void };

/**
 * Runs the core in a worker thread (dist/analysisWorker.js): the extension host's main thread never waits for
 * an analysis, and an analysis that runs past the time limit, runs out of memory or crashes is stopped with a
 * notice on that file alone; the next one gets a fresh worker. Jobs run one at a time, in order, so each one's
 * time limit measures its own work. If the worker cannot start at all (a missing bundle), the engine says so
 * in the log and analyses on the host thread, as the CLI does.
 */
export class AnalysisEngine {
  private worker: Worker | undefined;
  /** The current worker has answered at least once (it starts and runs). */
  private workerAnswered = false;
  private readonly queue: Job[] = [];
  /** The job the worker has; `started` is set when the worker reports it has picked it up. */
  private current: { job: Job; id: number; timer: ReturnType<typeof setTimeout>; sent: number; started?: number } | undefined;
  private nextId = 1;
  /** Workers in a row that died before answering anything (a missing or broken bundle). */
  private startFailures = 0;
  private inProcess = false;
  private disposed = false;

  constructor(
    private readonly script: string,
    private readonly log: EngineLog,
    private readonly timeoutMs = ANALYSIS_TIMEOUT_MS,
  ) {}

  /** True once the engine has given up on the worker and analyses on the calling thread. */
  get onHostThread(): boolean {
    return this.inProcess;
  }

  analyze(input: AnalyzeInput): Promise<Analysis> {
    return new Promise((resolve) => this.enqueue({ type: 'analyze', input, resolve }));
  }

  /**
   * Starts the worker and runs a small training script through it, at activation: loading the core and compiling
   * its hot paths take the first analysis from ~150 ms to ~25 ms, and this way the user's file is not the one
   * that pays for it.
   */
  warmUp(): Promise<void> {
    return this.analyze({ text: WARM_UP_SCRIPT, file: '<FlopLens warm-up>' }).then(() => undefined);
  }

  localImports(text: string, cacheKey?: string): Promise<string[]> {
    return new Promise((resolve) => this.enqueue({ type: 'imports', text, cacheKey, resolve }));
  }

  dispose(): void {
    this.disposed = true;
    if (this.current) { clearTimeout(this.current.timer); this.settle(this.current.job, 'FlopLens was shut down before this analysis finished.'); }
    this.current = undefined;
    for (const job of this.queue.splice(0)) this.settle(job, 'FlopLens was shut down before this analysis finished.');
    void this.worker?.terminate();
    this.worker = undefined;
  }

  private enqueue(job: Job): void {
    if (this.disposed) { this.settle(job, 'FlopLens was shut down before this analysis started.'); return; }
    this.queue.push(job);
    this.pump();
  }

  private pump(): void {
    if (this.current || this.disposed) return;
    const job = this.queue.shift();
    if (!job) return;
    if (this.inProcess) { this.runHere(job); queueMicrotask(() => this.pump()); return; }
    const worker = this.ensureWorker();
    if (!worker) { this.runHere(job); queueMicrotask(() => this.pump()); return; }
    const id = this.nextId++;
    // Until the worker says it has started the job, only a (generous) pick-up limit runs: a fresh worker on a
    // busy machine can take seconds to load the core, and that is not the file's time.
    const pickup = Math.max(this.timeoutMs, WORKER_PICKUP_TIMEOUT_MS);
    const timer = setTimeout(() => this.fail('crash', `FlopLens's analysis worker did not pick this file up within ${Math.round(pickup / 1000)} s`), pickup);
    this.current = { job, id, timer, sent: Date.now() };
    const req: WorkerRequest = job.type === 'analyze' ? { id, type: 'analyze', input: job.input } : { id, type: 'imports', text: job.text, cacheKey: job.cacheKey };
    try {
      worker.postMessage(req);
    } catch (e) {
      this.fail('crash', `FlopLens could not hand this file to its analysis worker (${(e as Error).message})`);
    }
  }

  private ensureWorker(): Worker | undefined {
    if (this.worker) return this.worker;
    try {
      const w = new Worker(this.script, { name: 'FlopLens analysis', resourceLimits: { maxOldGenerationSizeMb: WORKER_HEAP_MB } });
      w.on('message', (reply: WorkerReply) => { if (w === this.worker) this.onReply(reply); });
      w.on('error', (err) => {
        if (w !== this.worker) return;
        const oom = (err as { code?: string }).code === 'ERR_WORKER_OUT_OF_MEMORY';
        if (oom) this.fail('memory', `FlopLens stopped analysing this file: it needed more than ${WORKER_HEAP_MB} MB`);
        else { this.log.error('FlopLens analysis worker failed', err); this.fail('crash', `FlopLens's analysis worker failed (${err.message})`); }
      });
      w.on('exit', (code) => {
        if (w !== this.worker) return;
        this.worker = undefined;
        if (this.current && !this.disposed) this.fail('crash', `FlopLens's analysis worker stopped (exit code ${code})`);
      });
      w.unref();
      this.worker = w;
      this.workerAnswered = false;
      return w;
    } catch (e) {
      this.log.warn(`FlopLens could not start its analysis worker (${(e as Error).message}); analysing on the extension host thread.`);
      this.inProcess = true;
      return undefined;
    }
  }

  private onReply(reply: WorkerReply): void {
    const cur = this.current;
    if (!cur || reply.id !== cur.id) return;
    clearTimeout(cur.timer);
    if (reply.ok && reply.type === 'started') {
      // The worker runs: from now on the job's own time limit applies.
      this.workerAnswered = true;
      this.startFailures = 0;
      cur.started = Date.now();
      const limit = this.timeoutMs >= 1000 ? `${Math.round(this.timeoutMs / 1000)} s` : `${this.timeoutMs} ms`;
      cur.timer = setTimeout(() => this.fail('timeout', `FlopLens stopped analysing this file after ${limit}`), this.timeoutMs);
      return;
    }
    this.current = undefined;
    this.workerAnswered = true;
    this.startFailures = 0;
    if (!reply.ok) {
      this.log.error(`FlopLens analysis failed in its worker: ${reply.error}`);
      this.settle(cur.job, 'FlopLens could not finish the analysis (an internal error, logged in the FlopLens output channel)');
    } else if (reply.type === 'analyze' && cur.job.type === 'analyze') cur.job.resolve(reply.analysis);
    else if (reply.type === 'imports' && cur.job.type === 'imports') cur.job.resolve(reply.names);
    this.pump();
  }

  /**
   * The running job failed. Past the time or memory limit, or in a crash of a worker that had been answering,
   * the job gets a notice and the next one a fresh worker. A worker that dies before answering anything is a
   * broken start: the job is retried, and after a few such starts the engine analyses on the host thread.
   */
  private fail(kind: 'timeout' | 'memory' | 'crash', reason: string): void {
    const cur = this.current;
    this.current = undefined;
    const w = this.worker;
    this.worker = undefined;
    if (w) void w.terminate();
    if (cur) clearTimeout(cur.timer);
    const brokenStart = kind === 'crash' && !this.workerAnswered;
    if (brokenStart) {
      this.startFailures++;
      if (this.startFailures >= MAX_START_FAILURES) {
        this.inProcess = true;
        this.log.warn(`FlopLens's analysis worker did not start ${this.startFailures} times (${reason}); analysing on the extension host thread from now on.`);
      }
      if (cur) this.queue.unshift(cur.job);
    } else if (cur) {
      const ran = cur.started === undefined ? `not started, ${Date.now() - cur.sent} ms after it was sent` : `after ${Date.now() - cur.started} ms`;
      this.log.warn(`${reason} (${cur.job.type === 'analyze' ? cur.job.input.file : 'import scan'}, ${ran}).`);
      this.settle(cur.job, reason);
    }
    this.pump();
  }

  /** Answer a job without the worker: an analysis that says why there is no result, or no imports. */
  private settle(job: Job, reason: string): void {
    if (job.type === 'imports') { job.resolve([]); return; }
    const a = analyze({ text: '', file: job.input.file, settings: job.input.settings, hardware: job.input.hardware });
    const message = `${reason}. The editor was not blocked; nothing was counted for this version. Simplify the script, or set its size with # floplens: directives.`;
    a.problems = [{ severity: 'error', code: 'analysis-stopped', message }];
    a.verdict = { ...a.verdict, summary: message, reason: 'analysis stopped' };
    job.resolve(a);
  }

  private runHere(job: Job): void {
    if (job.type === 'analyze') job.resolve(analyze(job.input));
    else job.resolve(localImports(job.text, job.cacheKey));
  }
}
