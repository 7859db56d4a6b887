/**
 * Deadlines of the live benchmark (src/livebench/runWatch.ts) and the command that uses them
 * (src/extension/webviews/benchmarkPanel.ts): a view that never answers, answers late, stalls mid-run, errors, or
 * does not stop when cancelled. Fake timers throughout: no test depends on the machine's speed.
 */
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { BenchToHost, HostToBench } from '../../src/livebench/protocol';
import { BenchRunWatch, type WatchExpiry } from '../../src/livebench/runWatch';
import type { BenchReport, KernelInfo, KernelResult } from '../../src/livebench/report';
import { assembleReport } from '../../src/livebench/sweep';

const fakeVscode = vi.hoisted(() => {
  class Disposable {
    constructor(private readonly fn: () => void) {}
    static from(...ds: { dispose(): unknown }[]): Disposable {
      return new Disposable(() => ds.forEach((d) => d.dispose()));
    }
    dispose(): void {
      this.fn();
    }
  }
  class Uri {
    constructor(readonly path: string) {}
    static file(p: string): Uri {
      return new Uri(p);
    }
    static joinPath(base: Uri, ...parts: string[]): Uri {
      return new Uri([base.path, ...parts].join('/'));
    }
    toString(): string {
      return `file://${this.path}`;
    }
  }
  /** One listener list with the count of live subscriptions (leaks show as a count above zero). */
  function emitter<T>() {
    const listeners = new Set<(e: T) => void>();
    return {
      listeners,
      event: (fn: (e: T) => void) => {
        listeners.add(fn);
        return { dispose: () => listeners.delete(fn) };
      },
      fire: (e: T) => [...listeners].forEach((l) => l(e)),
    };
  }
  const state = {
    commands: new Map<string, (...args: unknown[]) => unknown>(),
    panels: [] as ReturnType<typeof makePanel>[],
    errors: [] as string[],
    warnings: [] as string[],
    progress: [] as { options: { cancellable?: boolean }; messages: string[]; cancel: () => void; done: boolean }[],
  };
  function makePanel() {
    const fromView = emitter<unknown>();
    const disposed = emitter<void>();
    const panel = {
      posted: [] as unknown[],
      disposedCount: 0,
      fromView,
      disposedEvent: disposed,
      iconPath: undefined as unknown,
      webview: {
        html: '',
        cspSource: 'vscode-resource:',
        asWebviewUri: (u: Uri) => u,
        postMessage: async (m: unknown) => {
          panel.posted.push(m);
          return true;
        },
        onDidReceiveMessage: fromView.event,
      },
      onDidDispose: disposed.event,
      visible: true,
      viewState: emitter<void>(),
      get onDidChangeViewState() {
        return panel.viewState.event;
      },
      reveal: () => undefined,
      dispose: () => {
        panel.disposedCount++;
        if (panel.disposedCount === 1) disposed.fire();
      },
    };
    return panel;
  }
  const vscode = {
    Disposable, Uri,
    ViewColumn: { Active: -1 },
    ProgressLocation: { SourceControl: 1, Window: 10, Notification: 15 },
    UIKind: { Desktop: 1, Web: 2 },
    env: { remoteName: undefined, uiKind: 1 },
    commands: {
      registerCommand: (id: string, fn: (...args: unknown[]) => unknown) => {
        state.commands.set(id, fn);
        return new Disposable(() => state.commands.delete(id));
      },
    },
    workspace: { fs: { readFile: async () => new Uint8Array() } },
    window: {
      createWebviewPanel: () => {
        const p = makePanel();
        state.panels.push(p);
        return p;
      },
      showErrorMessage: async (m: string) => void state.errors.push(m),
      showWarningMessage: async (m: string) => void state.warnings.push(m),
      showInformationMessage: async () => undefined,
      withProgress: (options: { cancellable?: boolean }, task: (p: unknown, token: unknown) => Promise<unknown>) => {
        const cancelled = emitter<void>();
        const entry = { options, messages: [] as string[], cancel: () => cancelled.fire(), done: false };
        state.progress.push(entry);
        const token = { get isCancellationRequested() { return false; }, onCancellationRequested: cancelled.event };
        return task({ report: (v: { message?: string }) => entry.messages.push(v.message ?? '') }, token).finally(() => {
          entry.done = true;
        });
      },
    },
  };
  return { vscode, state };
});
vi.mock('vscode', () => fakeVscode.vscode);

const { registerBenchmark } = await import('../../src/extension/webviews/benchmarkPanel');

const KERNELS: KernelInfo[] = [
  { id: 'gpujs', label: 'gpu.js (WebGL2)', device: 'gpu', backend: 'webgl2', threads: 1 },
  { id: 'simd-1', label: 'WebAssembly SIMD (CPU, 1 thread)', device: 'cpu', backend: 'wasm', threads: 1 },
];
const CONTEXT = {
  kernelInfos: KERNELS,
  environment: { cpuCores: 2 },
  renderer: { api: 'webgl2' as const, vendor: 'Test', renderer: 'Test GPU', software: false },
  gpu: { mode: 'webgl2' as const, onGpu: true, reason: 'WebGL2 is available' },
  notes: [],
};
const STARTED: BenchToHost = { type: 'started', sizes: [64, 128], kernels: ['gpujs', 'simd-1'], context: CONTEXT };
const CPU_AT_64: KernelResult = { kernel: 'simd-1', n: 64, status: 'ok', runs: 3, medianSeconds: 1e-4, gflops: 5.2, correct: true, maxRelError: 1e-7 };

function completeReport(status: BenchReport['status'] = 'complete'): BenchReport {
  const { kernelInfos, ...context } = CONTEXT;
  const results: KernelResult[] = [CPU_AT_64, { ...CPU_AT_64, kernel: 'gpujs', gflops: 9 }];
  return assembleReport({ host: 'webview', ...context }, kernelInfos, [64], results, status, 0.5);
}

describe('BenchRunWatch', () => {
  let expired: WatchExpiry[];
  let watch: BenchRunWatch;
  beforeEach(() => {
    vi.useFakeTimers();
    expired = [];
    watch = new BenchRunWatch((e) => expired.push(e), {
      timers: { setTimeout: (fn, ms) => setTimeout(fn, ms), clearTimeout: (h) => clearTimeout(h as number), now: () => Date.now() / 1000 },
    });
  });
  afterEach(() => {
    watch.dispose();
    vi.useRealTimers();
  });
  /** The view loaded, a run was asked for and it started. */
  const startRun = (): void => {
    watch.loading();
    watch.observe({ type: 'ready' });
    watch.requested();
    watch.observe(STARTED);
  };

  it('a view that never says ready expires at the ready deadline, with nothing measured', () => {
    watch.loading();
    vi.advanceTimersByTime(59_900);
    expect(expired).toEqual([]);
    vi.advanceTimersByTime(100);
    expect(expired).toHaveLength(1);
    expect(expired[0].phase).toBe('loading');
    expect(expired[0].report).toBeUndefined();
    expect(expired[0].message).toMatch(/did not load within 60 s, so nothing was measured/);
    expect(expired[0].message).toMatch(/Run the command again/);
    expect(watch.current).toBe('idle');
    expect(vi.getTimerCount()).toBe(0);
  });

  it('a view that answers late but within the deadline is not cut off, and an idle view has no timer', () => {
    watch.loading();
    vi.advanceTimersByTime(59_000);
    watch.observe({ type: 'ready' });
    expect(vi.getTimerCount()).toBe(0);
    vi.advanceTimersByTime(3_600_000);
    expect(expired).toEqual([]);
  });

  it('the ready deadline waits while the panel is hidden (a hidden webview loads when shown)', () => {
    watch.loading();
    vi.advanceTimersByTime(50_000);
    watch.visibility(false);
    vi.advanceTimersByTime(600_000);
    expect(expired).toEqual([]);
    watch.visibility(true);
    vi.advanceTimersByTime(59_000);
    expect(expired).toEqual([]);
    vi.advanceTimersByTime(1_000);
    expect(expired.map((e) => e.phase)).toEqual(['loading']);
  });

  it('a requested run that never starts expires at the start deadline', () => {
    watch.loading();
    watch.observe({ type: 'ready' });
    watch.requested();
    vi.advanceTimersByTime(30_000);
    expect(expired.map((e) => e.phase)).toEqual(['starting']);
    expect(expired[0].message).toMatch(/did not start the run within 30 s/);
  });

  it('each message of a running sweep resets the stall deadline', () => {
    startRun();
    for (let i = 0; i < 5; i++) {
      vi.advanceTimersByTime(119_000);
      watch.observe({ type: 'progress', done: i, total: 4, message: `step ${i}` });
    }
    expect(expired).toEqual([]);
    watch.observe({ type: 'result', report: completeReport() });
    vi.advanceTimersByTime(1_000_000);
    expect(expired).toEqual([]);
  });

  it('a sweep that stalls keeps what was measured (CPU measured, GPU not) as a failed report', () => {
    startRun();
    watch.observe({ type: 'kernelResult', result: CPU_AT_64 });
    watch.observe({ type: 'progress', done: 1, total: 4, message: 'n = 64 · gpu.js (WebGL2) · building' });
    vi.advanceTimersByTime(120_000);
    expect(expired).toHaveLength(1);
    const e = expired[0];
    expect(e.phase).toBe('running');
    expect(e.message).toMatch(/nothing was heard from it for 2 min after “n = 64 · gpu\.js \(WebGL2\) · building”/);
    expect(e.message).toMatch(/Kept what was measured \(WebAssembly SIMD \(CPU, 1 thread\)\); not measured: gpu\.js \(WebGL2\)/);
    expect(e.message).toMatch(/smaller largest size/);
    expect(e.report?.status).toBe('failed');
    expect(e.report?.results).toEqual([CPU_AT_64]);
    expect(e.report?.perSize[0].bestCpu).toEqual({ kernel: 'simd-1', gflops: 5.2 });
    expect(e.report?.perSize[0].gpu).toBeNull();
    expect(e.report?.totalSeconds).toBe(120);
    expect(e.report?.notes.at(-1)).toMatch(/Stopped by the host: the view sent nothing for 2 min/);
  });

  it('an error from the view ends the watch without an expiry', () => {
    startRun();
    watch.observe({ type: 'error', message: 'WebGL context lost' });
    vi.advanceTimersByTime(1_000_000);
    expect(expired).toEqual([]);
    expect(vi.getTimerCount()).toBe(0);
  });

  it('a cancel the view does not answer expires after the cancel deadline with a cancelled report', () => {
    startRun();
    watch.observe({ type: 'kernelResult', result: CPU_AT_64 });
    watch.cancelRequested();
    // Progress still arriving does not push the cancel deadline back.
    vi.advanceTimersByTime(10_000);
    watch.observe({ type: 'progress', done: 2, total: 4, message: 'n = 64 · gpu.js (WebGL2) · run 1' });
    vi.advanceTimersByTime(5_000);
    expect(expired.map((e) => e.phase)).toEqual(['cancelling']);
    expect(expired[0].report?.status).toBe('cancelled');
    expect(expired[0].message).toMatch(/did not stop within 15 s of the cancel/);
  });

  it('deadlines can be set', () => {
    const w = new BenchRunWatch((e) => expired.push(e), { deadlines: { readySeconds: 5 } });
    w.loading();
    vi.advanceTimersByTime(5_000);
    expect(expired.map((e) => e.phase)).toEqual(['loading']);
    expect(expired[0].message).toMatch(/within 5 s/);
  });
});

describe('FlopLens: Run Live GPU Benchmark with a view that misbehaves', () => {
  const { state } = fakeVscode;
  let registration: { dispose(): void };
  let results: BenchReport[];
  const run = (arg: unknown = { sizes: [64, 128], auto: true }): Promise<unknown> => {
    const command = state.commands.get('floplens.runBenchmark');
    if (!command) throw new Error('the command is not registered');
    return command(arg) as Promise<unknown>;
  };
  const panel = () => state.panels[state.panels.length - 1];
  const fromView = (m: BenchToHost): void => panel().fromView.fire(m);
  const postedTypes = (): string[] => panel().posted.map((m) => (m as HostToBench).type);
  /** Settles pending promise callbacks (the host reads /proc/cpuinfo before `init`). */
  const flush = () => vi.advanceTimersByTimeAsync(0);
  /** The command with `auto`, and a view that loads and starts the run; the command's promise (wrapped, not awaited). */
  const startedRun = async (): Promise<{ done: Promise<unknown> }> => {
    const done = run();
    fromView({ type: 'ready' });
    await flush();
    fromView(STARTED);
    return { done };
  };

  beforeEach(() => {
    vi.useFakeTimers();
    state.panels = [];
    state.errors = [];
    state.warnings = [];
    state.progress = [];
    results = [];
    registration = registerBenchmark({ extensionUri: fakeVscode.vscode.Uri.file('/ext') } as never, (r) => results.push(r));
  });
  afterEach(() => {
    registration.dispose();
    vi.useRealTimers();
  });

  it('resolves instead of hanging when the view never loads, tells the user, closes the panel and leaves no listener', async () => {
    let settled: unknown = 'pending';
    void run().then((r) => (settled = r));
    expect(state.progress).toHaveLength(1);
    expect(state.progress[0].options.cancellable).toBe(true);
    await vi.advanceTimersByTimeAsync(59_000);
    expect(settled).toBe('pending');
    await vi.advanceTimersByTimeAsync(1_000);
    expect(settled).toBeUndefined();
    expect(state.errors).toHaveLength(1);
    expect(state.errors[0]).toMatch(/^FlopLens benchmark: The benchmark view did not load within 60 s/);
    expect(panel().disposedCount).toBe(1);
    expect(panel().fromView.listeners.size).toBe(0);
    expect(panel().disposedEvent.listeners.size).toBe(0);
    expect(panel().viewState.listeners.size).toBe(0);
    expect(state.progress[0].done).toBe(true);
    expect(vi.getTimerCount()).toBe(0);
  });

  it('a view that loads late still runs and the command resolves with its report', async () => {
    const done = run();
    await vi.advanceTimersByTimeAsync(50_000);
    fromView({ type: 'ready' });
    await flush();
    expect(postedTypes()).toEqual(['init']);
    fromView(STARTED);
    fromView({ type: 'kernelResult', result: CPU_AT_64 });
    const report = completeReport();
    fromView({ type: 'result', report });
    await expect(done).resolves.toEqual(report);
    expect(results).toEqual([report]);
    expect(state.errors).toEqual([]);
    expect(vi.getTimerCount()).toBe(0);
  });

  it('a run that stalls resolves with the partial report and keeps the panel', async () => {
    const { done } = await startedRun();
    fromView({ type: 'kernelResult', result: CPU_AT_64 });
    fromView({ type: 'progress', done: 1, total: 4, message: 'n = 64 · gpu.js (WebGL2) · first call' });
    await vi.advanceTimersByTimeAsync(120_000);
    const report = (await done) as BenchReport;
    expect(report.status).toBe('failed');
    expect(report.results).toEqual([CPU_AT_64]);
    expect(results).toEqual([]);
    expect(state.errors[0]).toMatch(/stopped answering.*not measured: gpu\.js/);
    expect(panel().disposedCount).toBe(0);
    // The next init shows the partial run.
    fromView({ type: 'ready' });
    await flush();
    const init = panel().posted.at(-1) as Extract<HostToBench, { type: 'init' }>;
    expect(init.lastReport?.status).toBe('failed');
  });

  it('an error from the view resolves the command with nothing and shows the error', async () => {
    const { done } = await startedRun();
    fromView({ type: 'error', message: 'WebGL context lost' });
    await expect(done).resolves.toBeUndefined();
    expect(state.errors).toEqual(['FlopLens benchmark failed: WebGL context lost']);
    expect(vi.getTimerCount()).toBe(0);
  });

  it('the progress Cancel button cancels the run in the view, which answers with what it measured', async () => {
    const { done } = await startedRun();
    state.progress[0].cancel();
    expect(postedTypes()).toContain('cancel');
    const cancelled = completeReport('cancelled');
    fromView({ type: 'result', report: cancelled });
    await expect(done).resolves.toEqual(cancelled);
    expect(results).toEqual([]);
    expect(state.warnings).toEqual([]);
  });

  it('a cancel the view never answers resolves after the cancel deadline with what the host received', async () => {
    const { done } = await startedRun();
    fromView({ type: 'kernelResult', result: CPU_AT_64 });
    state.progress[0].cancel();
    await vi.advanceTimersByTimeAsync(15_000);
    const report = (await done) as BenchReport;
    expect(report.status).toBe('cancelled');
    expect(report.results).toEqual([CPU_AT_64]);
    expect(state.warnings[0]).toMatch(/did not stop within 15 s of the cancel/);
  });

  it('cancelling before the view has loaded stops waiting at once', async () => {
    const done = run();
    state.progress[0].cancel();
    await expect(done).resolves.toBeUndefined();
    expect(vi.getTimerCount()).toBe(0);
    expect(state.errors).toEqual([]);
  });
});
