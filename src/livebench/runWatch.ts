/**
 * Deadlines for the live benchmark as the extension host sees it: the webview must say `ready` after it loads, must
 * start a requested run, must keep reporting while it runs, and must stop when asked. A view that never answers
 * (a hung WebGL driver, a webview that failed to load) would otherwise leave the command pending for ever. Pure:
 * timers and the clock are injected, so tests drive it with fake timers.
 */
import { formatSeconds } from '../core/format';
import type { BenchToHost } from './protocol';
import type { BenchReport, KernelInfo, KernelResult } from './report';
import { assembleReport, type SweepContext } from './sweep';

/** Seconds each phase may pass without a word from the view. */
export interface BenchDeadlines {
  /** From opening the panel to the view's `ready`. */
  readySeconds: number;
  /** From asking for a run to the view's `started`. */
  startSeconds: number;
  /**
   * Between two messages of a running sweep (one per build, call and timed run of each kernel). The sweep skips a
   * kernel whose calls at a size would take more than 45 s in all, so one call past this is a hung view.
   */
  stallSeconds: number;
  /** From a cancel to the view's final report (the product in flight finishes first). */
  cancelSeconds: number;
}

export const BENCH_DEADLINES: BenchDeadlines = { readySeconds: 60, startSeconds: 30, stallSeconds: 120, cancelSeconds: 15 };

/** The timer functions the watch uses (globals by default). */
export interface WatchTimers {
  setTimeout(fn: () => void, ms: number): unknown;
  clearTimeout(handle: unknown): void;
  /** Monotonic seconds. */
  now(): number;
}

const GLOBAL_TIMERS: WatchTimers = {
  setTimeout: (fn, ms) => setTimeout(fn, ms),
  clearTimeout: (h) => clearTimeout(h as ReturnType<typeof setTimeout>),
  now: () => performance.now() / 1000,
};

/** What the view is expected to do next. */
export type WatchPhase = 'idle' | 'loading' | 'starting' | 'running' | 'cancelling';

/** A deadline passed. */
export interface WatchExpiry {
  /** The phase whose deadline passed. */
  phase: Exclude<WatchPhase, 'idle'>;
  /** What happened, what was kept and what to try, for the user. */
  message: string;
  /** The run as far as it was measured (status `failed`, or `cancelled` after a cancel), when it had started. */
  report: BenchReport | undefined;
}

/** What arrived of the current run. */
interface RunSoFar {
  sizes: number[];
  /** Undefined when the view did not send it: then no report can be assembled. */
  context: (SweepContext & { kernels: KernelInfo[] }) | undefined;
  results: KernelResult[];
  startedAt: number;
  lastStep: string | undefined;
}

/**
 * Follows one benchmark view. The host tells it what it asked for (`loading`, `requested`, `cancelRequested`) and
 * hands it every valid message from the view (`observe`); one timer at a time guards the phase the run is in, and
 * `onExpire` is called once when it passes (the watch is then idle).
 */
export class BenchRunWatch {
  private phase: WatchPhase = 'idle';
  private timer: unknown;
  private run: RunSoFar | undefined;
  private readonly deadlines: BenchDeadlines;
  private readonly timers: WatchTimers;

  constructor(private readonly onExpire: (e: WatchExpiry) => void, options: { deadlines?: Partial<BenchDeadlines>; timers?: WatchTimers } = {}) {
    this.deadlines = { ...BENCH_DEADLINES, ...options.deadlines };
    this.timers = options.timers ?? GLOBAL_TIMERS;
  }

  get current(): WatchPhase {
    return this.phase;
  }

  /** The panel was (re)created: its view has to load and say `ready`. */
  loading(): void {
    this.run = undefined;
    this.enter('loading', this.deadlines.readySeconds);
  }

  /**
   * The panel was hidden or shown. A hidden view may not load until it is shown again (VS Code loads a webview when it
   * becomes visible), so the ready deadline waits while the panel is hidden and starts again when it is shown.
   */
  visibility(visible: boolean): void {
    if (this.phase !== 'loading') return;
    if (visible) {
      if (this.timer === undefined) this.enter('loading', this.deadlines.readySeconds);
    } else if (this.timer !== undefined) {
      this.timers.clearTimeout(this.timer);
      this.timer = undefined;
    }
  }

  /** A run was asked of a view that is ready (`init` with `auto`, or `start`). */
  requested(): void {
    if (this.phase === 'running' || this.phase === 'cancelling') return;
    this.enter('starting', this.deadlines.startSeconds);
  }

  /** The user cancelled: the view has `cancelSeconds` to send what it measured. */
  cancelRequested(): void {
    if (this.phase === 'idle' || this.phase === 'cancelling') return;
    this.enter('cancelling', this.deadlines.cancelSeconds);
  }

  /** A valid message from the view. */
  observe(m: BenchToHost): void {
    switch (m.type) {
      case 'ready':
        // A run asked for before the view loaded is posted with `init`; the host calls `requested` for it.
        if (this.phase === 'loading') this.enter('idle', 0);
        break;
      case 'started':
        this.run = {
          sizes: m.sizes,
          context: m.context && { host: 'webview', environment: m.context.environment, renderer: m.context.renderer, gpu: m.context.gpu, notes: m.context.notes, kernels: m.context.kernelInfos },
          results: [],
          startedAt: this.timers.now(),
          lastStep: undefined,
        };
        if (this.phase !== 'cancelling') this.enter('running', this.deadlines.stallSeconds);
        break;
      case 'progress':
        if (this.run) this.run.lastStep = m.message;
        if (this.phase === 'running') this.enter('running', this.deadlines.stallSeconds);
        break;
      case 'kernelResult':
        this.run?.results.push(m.result);
        if (this.phase === 'running') this.enter('running', this.deadlines.stallSeconds);
        break;
      case 'result':
      case 'error':
        this.run = undefined;
        this.enter('idle', 0);
        break;
    }
  }

  /** Stops the timer (the panel closed); nothing more is reported. */
  dispose(): void {
    this.run = undefined;
    this.enter('idle', 0);
  }

  private enter(phase: WatchPhase, seconds: number): void {
    if (this.timer !== undefined) this.timers.clearTimeout(this.timer);
    this.timer = undefined;
    this.phase = phase;
    if (phase === 'idle') return;
    this.timer = this.timers.setTimeout(() => this.expire(phase, seconds), seconds * 1000);
  }

  private expire(phase: Exclude<WatchPhase, 'idle'>, seconds: number): void {
    this.timer = undefined;
    const run = this.run;
    this.run = undefined;
    this.phase = 'idle';
    const report = run?.context && phase !== 'loading' ? partialReport(run, run.context, phase, seconds, this.timers.now()) : undefined;
    this.onExpire({ phase, message: expiryMessage(phase, seconds, run), report });
  }
}

/** The sentence a user reads when a deadline passes: what happened, what was kept, what to try. */
export function expiryMessage(phase: Exclude<WatchPhase, 'idle'>, seconds: number, run?: Pick<RunSoFar, 'results' | 'context' | 'lastStep'>): string {
  const wait = formatSeconds(seconds);
  switch (phase) {
    case 'loading':
      return `The benchmark view did not load within ${wait}, so nothing was measured; the panel was closed. ` +
        'Run the command again; if it happens again, "Developer: Open Webview Developer Tools" shows why the view does not start.';
    case 'starting':
      return `The benchmark view did not start the run within ${wait}, so nothing was measured. ` +
        'Press "Run benchmark" in the panel, or close the panel and run the command again.';
    case 'running':
      return `The benchmark stopped answering: nothing was heard from it for ${wait}` +
        `${run?.lastStep ? ` after “${run.lastStep}”` : ''}. ${keptText(run)} ` +
        'Try a smaller largest size or turn off the reference shader; a GPU driver that hangs WebGL does this too ' +
        '(then turning off hardware acceleration runs the GPU kernels on a software rasteriser).';
    case 'cancelling':
      return `The benchmark did not stop within ${wait} of the cancel (the product in flight finishes first). ${keptText(run)} ` +
        'Close the panel to stop it.';
  }
}

function keptText(run: Pick<RunSoFar, 'results' | 'context'> | undefined): string {
  if (!run || run.results.length === 0) return 'Nothing had been measured yet.';
  const kernels = run.context?.kernels ?? [];
  const label = new Map(kernels.map((k) => [k.id, k.label]));
  const ids = [...new Set(run.results.map((r) => r.kernel))];
  const measured = ids.filter((id) => run.results.some((r) => r.kernel === id && r.status === 'ok'));
  const missing = kernels.map((k) => k.id).filter((id) => !measured.includes(id));
  const names = (list: string[]): string => list.map((id) => label.get(id as KernelInfo['id']) ?? id).join(', ');
  return `Kept what was measured (${measured.length > 0 ? names(measured) : 'no kernel finished a size'})` +
    `${missing.length > 0 ? `; not measured: ${names(missing)}` : ''}. It is not saved as a profile.`;
}

function partialReport(run: RunSoFar, sweep: SweepContext & { kernels: KernelInfo[] }, phase: WatchPhase, seconds: number, now: number): BenchReport {
  const why = phase === 'cancelling'
    ? `Cancelled; the view did not send its results within ${formatSeconds(seconds)}, so these are the results the host had received.`
    : `Stopped by the host: the view sent nothing for ${formatSeconds(seconds)}${run.lastStep ? ` after “${run.lastStep}”` : ''}; these are the results it had sent.`;
  const { kernels, ...context } = sweep;
  return assembleReport({ ...context, notes: [...context.notes, why] }, kernels, run.sizes, run.results,
    phase === 'cancelling' ? 'cancelled' : 'failed', Math.max(0, now - run.startedAt));
}
