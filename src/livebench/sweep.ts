/**
 * The size sweep, shared by the webview and the CLI: for each size, every kernel is built (timed),
 * called once (timed, checked against a float64 reference), then timed over repeated calls; GPU kernels
 * also time upload, on-device compute and readback separately. Kernels whose projected time at the
 * next size would blow the budget are skipped with the reason written down, never silently.
 */
import { checkProduct, flattenRows, randomMatrix, sampleReference } from './matmul';
import {
  BENCH_REPORT_VERSION, BENCH_TOLERANCE, matmulFlops,
  type BenchReport, type Crossover, type KernelId, type KernelInfo, type KernelResult, type SizeSummary,
} from './report';
import { summarize } from './stats';
import { formatSeconds } from '../core/format';

/** What a kernel returns: a flat row-major matrix, or gpu.js's array of rows. */
export type Product = Float32Array | ArrayLike<ArrayLike<number>>;

/** Seconds of each phase of one GPU product on resident textures. */
export interface PhaseTimes {
  upload: number;
  compute: number;
  readback: number;
}

/** One way to multiply two n×n float32 matrices. */
export interface BenchKernel {
  readonly info: KernelInfo;
  /**
   * Builds for size n with these inputs. Returns the build/compile seconds when the kernel can isolate them, and
   * the variant it chose for this size when it sweeps several (gpu.js on GL).
   */
  prepare(n: number, a: Float32Array, b: Float32Array): Promise<{ compileSeconds?: number; variant?: string }>;
  /** One product end to end: inputs in JS memory to the result in JS memory. */
  run(): Promise<Product>;
  /** GPU kernels: one product on textures with upload, compute and readback timed apart (seconds). */
  phases?(): Promise<PhaseTimes>;
  /** Frees what `prepare` made. */
  release(): Promise<void>;
  /** Frees everything (workers, contexts). */
  dispose(): Promise<void>;
}

/** Progress of a sweep, for a progress bar and a status line. */
export interface SweepProgress {
  /** Steps (kernel × size) finished, of `total`. */
  done: number;
  total: number;
  n: number;
  kernel: KernelId;
  message: string;
}

export interface SweepOptions {
  /** Matrix sizes n, ascending. */
  sizes: number[];
  /** Timed calls per kernel and size: at least `minRuns`, at most `maxRuns`, stopping once `budgetSeconds` is spent. */
  minRuns?: number;
  maxRuns?: number;
  budgetSeconds?: number;
  /** Phase passes (upload/compute/readback) per GPU kernel and size. */
  phaseRuns?: number;
  /** Skip a kernel at a size when the calls it needs are projected (n³ from the last size) to take longer, seconds. */
  maxKernelSeconds?: number;
  tolerance?: number;
  seed?: number;
  /** Monotonic clock in seconds. */
  now?: () => number;
  /** Checked between calls; a call in flight finishes first. */
  isCancelled?: () => boolean;
  onProgress?: (p: SweepProgress) => void;
  /** Each kernel × size result as soon as it is known (for live tables). */
  onResult?: (r: KernelResult) => void;
  /** Lets the host's event loop run between calls (UI, cancel clicks). */
  yieldToHost?: () => Promise<void>;
}

/** Everything about the host the report carries besides the measurements. */
export interface SweepContext {
  host: BenchReport['host'];
  environment: BenchReport['environment'];
  renderer: BenchReport['renderer'];
  gpu: BenchReport['gpu'];
  notes: string[];
}

const DEFAULTS = { minRuns: 3, maxRuns: 10, budgetSeconds: 2, phaseRuns: 3, maxKernelSeconds: 45 };

/** Yields to the event loop without the 4 ms timer clamp or background-tab timer throttling. */
export function yieldViaMessageChannel(): Promise<void> {
  return new Promise((resolve) => {
    const ch = new MessageChannel();
    ch.port1.onmessage = () => {
      ch.port1.close();
      resolve();
    };
    ch.port2.postMessage(0);
  });
}

class Cancelled extends Error {}

/** Runs the sweep and returns the report (status `cancelled` keeps what was measured). Never throws for a kernel failure. */
export async function runSweep(kernels: BenchKernel[], options: SweepOptions, context: SweepContext): Promise<BenchReport> {
  const o = { ...DEFAULTS, ...(Object.fromEntries(Object.entries(options).filter(([, v]) => v !== undefined)) as SweepOptions) };
  const now = o.now ?? (() => performance.now() / 1000);
  const tolerance = o.tolerance ?? BENCH_TOLERANCE;
  const isCancelled = o.isCancelled ?? (() => false);
  const pause = o.yieldToHost ?? yieldViaMessageChannel;
  const sizes = [...new Set(o.sizes)].sort((x, y) => x - y);
  const results: KernelResult[] = [];
  const notes = [...context.notes];
  const last = new Map<KernelId, { n: number; seconds: number }>();
  const total = sizes.length * kernels.length;
  const started = now();
  let done = 0;
  let status: BenchReport['status'] = 'complete';

  const emit = (r: KernelResult): void => {
    results.push(r);
    o.onResult?.(r);
  };
  const check = async (): Promise<void> => {
    await pause();
    if (isCancelled()) throw new Cancelled();
  };

  outer: for (let si = 0; si < sizes.length; si++) {
    const n = sizes[si];
    const a = randomMatrix(n, (o.seed ?? 1) * 2 + si * 7919);
    const b = randomMatrix(n, (o.seed ?? 1) * 2 + 1 + si * 7919);
    const ref = sampleReference(a, b, n);
    for (const kernel of kernels) {
      const id = kernel.info.id;
      const progress = (message: string): void =>
        o.onProgress?.({ done, total, n, kernel: id, message: `n = ${n} · ${kernel.info.label} · ${message}` });
      const prev = last.get(id);
      const calls = 1 + o.minRuns + (kernel.phases ? o.phaseRuns : 0);
      if (prev) {
        const perCall = prev.seconds * (n / prev.n) ** 3;
        if (perCall * calls > o.maxKernelSeconds) {
          emit({
            kernel: id, n, status: 'skipped', runs: 0,
            reason: `projected ${formatSeconds(perCall)} per product (from ${formatSeconds(prev.seconds)} at n = ${prev.n}); ` +
              `${calls} products would exceed the ${o.maxKernelSeconds} s budget per kernel and size`,
          });
          done++;
          continue;
        }
      }
      const r: KernelResult = { kernel: id, n, status: 'ok', runs: 0 };
      const times: number[] = [];
      try {
        await check();
        progress('building');
        let t0 = now();
        const prep = await kernel.prepare(n, a, b);
        const prepareSeconds = now() - t0;
        r.compileSeconds = prep.compileSeconds ?? prepareSeconds;
        if (prep.variant) r.variant = prep.variant;
        await check();
        progress('first call');
        t0 = now();
        const first = await kernel.run();
        r.firstCallSeconds = now() - t0;
        const flat = first instanceof Float32Array ? first : flattenRows(first, n);
        const c = checkProduct(flat, ref, tolerance);
        r.maxRelError = Number.isFinite(c.maxRelError) ? c.maxRelError : null;
        r.correct = c.correct;
        const spentStart = now();
        while (times.length < Math.max(o.maxRuns, o.minRuns) && (times.length < o.minRuns || now() - spentStart < o.budgetSeconds)) {
          await check();
          progress(`run ${times.length + 1}`);
          t0 = now();
          await kernel.run();
          times.push(now() - t0);
        }
        if (kernel.phases) {
          const up: number[] = [], comp: number[] = [], back: number[] = [];
          for (let p = 0; p < o.phaseRuns; p++) {
            await check();
            progress(`upload / compute / readback ${p + 1}`);
            const ph = await kernel.phases();
            up.push(ph.upload);
            comp.push(ph.compute);
            back.push(ph.readback);
          }
          r.uploadSeconds = summarize(up)?.median;
          r.computeSeconds = summarize(comp)?.median;
          r.readbackSeconds = summarize(back)?.median;
        }
      } catch (e) {
        if (e instanceof Cancelled) {
          r.status = 'cancelled';
          status = 'cancelled';
        } else {
          r.status = 'failed';
          r.reason = errorText(e);
        }
      }
      fillTimings(r, times, n);
      emit(r);
      if (r.medianSeconds !== undefined) last.set(id, { n, seconds: r.medianSeconds });
      else if (r.firstCallSeconds !== undefined) last.set(id, { n, seconds: r.firstCallSeconds });
      try {
        await kernel.release();
      } catch {
        // a failed release must not end the sweep
      }
      done++;
      if (status === 'cancelled') break outer;
    }
  }
  o.onProgress?.({ done, total, n: sizes[sizes.length - 1] ?? 0, kernel: kernels[0]?.info.id ?? 'js-1', message: status === 'cancelled' ? 'cancelled' : 'done' });
  if (status === 'cancelled') notes.push('Cancelled before the sweep finished; the results below are what had been measured.');
  return assembleReport({ ...context, notes }, kernels.map((k) => k.info), sizes, results, status, now() - started, tolerance);
}

function errorText(e: unknown): string {
  const s = e instanceof Error ? e.message : String(e);
  return s.length > 300 ? `${s.slice(0, 300)}…` : s;
}

function fillTimings(r: KernelResult, times: number[], n: number): void {
  const t = summarize(times);
  r.runs = times.length;
  if (!t) return;
  const flops = matmulFlops(n);
  r.medianSeconds = t.median;
  r.minSeconds = t.min;
  r.maxSeconds = t.max;
  r.endToEndGflops = t.median > 0 ? flops / t.median / 1e9 : undefined;
  const compute = r.computeSeconds;
  r.gflops = compute !== undefined && compute > 0 ? flops / compute / 1e9 : r.endToEndGflops;
}

/** Builds the report from raw results: per-size best CPU vs gpu.js, ratios and the crossovers. */
export function assembleReport(
  context: SweepContext, kernels: KernelInfo[], sizes: number[], results: KernelResult[],
  status: BenchReport['status'], totalSeconds: number, tolerance = BENCH_TOLERANCE,
): BenchReport {
  const perSize = summarizeSizes(kernels, sizes, results);
  return {
    version: BENCH_REPORT_VERSION,
    date: new Date().toISOString(),
    host: context.host,
    status,
    environment: context.environment,
    renderer: context.renderer,
    gpu: context.gpu,
    kernels,
    sizes,
    results,
    perSize,
    crossover: findCrossover(perSize, (s) => s.ratio),
    crossoverEndToEnd: findCrossover(perSize, (s) => s.ratioEndToEnd),
    tolerance,
    totalSeconds,
    notes: context.notes,
  };
}

/** Per size: the fastest correct CPU kernel, gpu.js when it ran on a GPU device, and their ratio. */
export function summarizeSizes(kernels: KernelInfo[], sizes: number[], results: KernelResult[]): SizeSummary[] {
  const device = new Map(kernels.map((k) => [k.id, k.device]));
  return sizes.map((n) => {
    const ok = results.filter((r) => r.n === n && r.status === 'ok' && r.correct === true && r.gflops !== undefined);
    let bestCpu: SizeSummary['bestCpu'] = null;
    for (const r of ok) {
      if (device.get(r.kernel) === 'cpu' && (!bestCpu || (r.gflops ?? 0) > bestCpu.gflops)) bestCpu = { kernel: r.kernel, gflops: r.gflops ?? 0 };
    }
    const g = ok.find((r) => r.kernel === 'gpujs' && device.get('gpujs') === 'gpu');
    const gpu: SizeSummary['gpu'] = g ? { kernel: 'gpujs', gflops: g.gflops ?? 0, endToEndGflops: g.endToEndGflops ?? null } : null;
    const ratio = gpu && bestCpu && bestCpu.gflops > 0 ? gpu.gflops / bestCpu.gflops : null;
    const ratioEndToEnd = gpu?.endToEndGflops != null && bestCpu && bestCpu.gflops > 0 ? gpu.endToEndGflops / bestCpu.gflops : null;
    return { n, flops: matmulFlops(n), bestCpu, gpu, ratio, ratioEndToEnd };
  });
}

/** Where the GPU starts to win, from the per-size ratios (GPU ÷ best CPU). */
export function findCrossover(perSize: SizeSummary[], ratioOf: (s: SizeSummary) => number | null): Crossover {
  if (perSize.every((s) => s.gpu === null)) return { status: 'no-gpu', size: null };
  const measured = perSize.filter((s) => ratioOf(s) !== null);
  if (measured.length === 0) return { status: 'unknown', size: null };
  const wins = measured.map((s) => (ratioOf(s) ?? 0) > 1);
  if (wins.every(Boolean)) return { status: 'gpu-everywhere', size: measured[0].n };
  if (!wins.some(Boolean)) return { status: 'cpu-everywhere', size: null };
  let from = wins.length;
  while (from > 0 && wins[from - 1]) from--;
  const size = from < wins.length ? measured[from].n : null;
  const clean = wins.slice(0, from).every((w) => !w);
  return { status: clean && size !== null ? 'crossover' : 'mixed', size };
}
