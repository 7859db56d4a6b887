/**
 * The live-benchmark report: one plain, serialisable object written by the webview benchmark and by
 * `floplens bench`, validated with zod wherever it crosses a boundary (webview → host, CLI JSON).
 *
 * Units: seconds, GFLOP/s (1e9 FLOP/s), matrix sizes n for an n×n·n×n float32 product, which counts
 * 2·n³ FLOPs (a multiply-add is 2 FLOPs). Dates are ISO 8601.
 */
import * as z from 'zod/mini';
import { deviceContextSchema } from './devices';

/** Bumped when a field changes meaning; readers reject other versions. */
export const BENCH_REPORT_VERSION = 1;

/**
 * Largest accepted error of a kernel's result: max |C − C_ref| / max |C_ref| over the sampled entries,
 * against a float64 dot product. float32 sums of n ≤ 4096 terms land near 1e-7–1e-6 on this measure.
 */
export const BENCH_TOLERANCE = 1e-4;

/**
 * The kernels a benchmark can run.
 * - `gpujs`: gpu.js on the GPU API the host offers (webgl2, webgl, headlessgl), or its WebAssembly
 *   fallback when there is none (then `device` is `cpu` and the report says so).
 * - `shader`: a hand-written WebGL2 fragment-shader matmul, the reference for what gpu.js leaves on the table.
 * - `js-1` / `js-n`: the cache-blocked, register-tiled Float32Array kernel in plain JS on 1 / all cores.
 * - `wasm-1` / `wasm-n`: gpu.js's WebAssembly backend (a CPU kernel) on 1 thread / its worker pool.
 * - `simd-1` / `simd-n`: FlopLens's WebAssembly SIMD sgemm kernel (simd.ts: packed, cache-blocked, 2×16
 *   register tile, relaxed-SIMD FMA where available) on 1 / all cores: the CPU kernel closest to a BLAS.
 */
export const KERNEL_IDS = ['gpujs', 'shader', 'js-1', 'js-n', 'wasm-1', 'wasm-n', 'simd-1', 'simd-n'] as const;
export type KernelId = (typeof KERNEL_IDS)[number];

/** gpu.js backends the `gpujs` kernel may run on. `none`: gpu.js could not run at all. */
export const GPU_MODES = ['webgl2', 'webgl', 'headlessgl', 'webasm', 'none'] as const;
export type GpuMode = (typeof GPU_MODES)[number];

const finite = z.number().check(z.refine(Number.isFinite, 'must be finite'));
const nonNeg = finite.check(z.refine((x) => x >= 0, 'must be ≥ 0'));
const size = z.int().check(z.minimum(4), z.maximum(16384));

export const kernelInfoSchema = z.object({
  id: z.enum(KERNEL_IDS),
  /** Human label, e.g. "gpu.js (WebGL2)". */
  label: z.string(),
  /** Where the arithmetic runs. A software rasteriser counts as `gpu` here; `renderer.software` says so. */
  device: z.enum(['gpu', 'cpu']),
  /** Backend detail: `webgl2`, `webgl`, `headlessgl`, `webasm`, `js`. */
  backend: z.string(),
  /** Threads (CPU kernels) used; 1 for GPU kernels. */
  threads: z.int().check(z.minimum(1)),
  /** Why this kernel is shaped the way it is, or a caveat. */
  note: z.optional(z.string()),
});
export type KernelInfo = z.output<typeof kernelInfoSchema>;

export const kernelResultSchema = z.object({
  kernel: z.enum(KERNEL_IDS),
  n: size,
  status: z.enum(['ok', 'skipped', 'failed', 'cancelled']),
  /** Why the kernel was skipped or failed at this size. */
  reason: z.optional(z.string()),
  /** The variant the kernel kept at this size, when it sweeps several (gpu.js on GL: the fastest correct). */
  variant: z.optional(z.string()),
  /** Kernel build / shader compile and link, seconds (GPU kernels and gpu.js). */
  compileSeconds: z.optional(nonNeg),
  /** First call after the build (upload, first dispatch, driver warm-up), seconds. */
  firstCallSeconds: z.optional(nonNeg),
  /** Timed calls after the warm-up. */
  runs: z.int().check(z.minimum(0)),
  /** End to end per product (inputs in JS memory → result in JS memory): median, fastest, slowest, seconds. */
  medianSeconds: z.optional(nonNeg),
  minSeconds: z.optional(nonNeg),
  maxSeconds: z.optional(nonNeg),
  /** 2·n³ / medianSeconds, GFLOP/s. */
  endToEndGflops: z.optional(nonNeg),
  /** GPU kernels: median seconds to upload both inputs to textures, to compute on resident textures (waited for with a 1-texel readPixels), and to read the result back. */
  uploadSeconds: z.optional(nonNeg),
  computeSeconds: z.optional(nonNeg),
  readbackSeconds: z.optional(nonNeg),
  /**
   * The headline rate, GFLOP/s: 2·n³ / computeSeconds for GPU kernels whose phases were measured
   * (transfers excluded, as a model that keeps data on the device needs), else endToEndGflops.
   */
  gflops: z.optional(nonNeg),
  /** max |C − C_ref| / max |C_ref| over sampled entries (Infinity is reported as null: non-finite output). */
  maxRelError: z.optional(z.nullable(nonNeg)),
  /** maxRelError ≤ tolerance and every output entry finite. */
  correct: z.optional(z.boolean()),
});
export type KernelResult = z.output<typeof kernelResultSchema>;

export const crossoverSchema = z.object({
  /**
   * `crossover`: the GPU wins from `size` upwards (and the CPU below it); `gpu-everywhere` / `cpu-everywhere`:
   * one side wins at every measured size; `mixed`: no clean switch; `no-gpu`: no kernel ran on a GPU.
   */
  status: z.enum(['crossover', 'gpu-everywhere', 'cpu-everywhere', 'mixed', 'no-gpu', 'unknown']),
  /** Smallest n from which gpu.js beats the best CPU kernel at every larger measured size. */
  size: z.nullable(size),
});
export type Crossover = z.output<typeof crossoverSchema>;

export const sizeSummarySchema = z.object({
  n: size,
  /** 2·n³, FLOPs per product. */
  flops: nonNeg,
  /** Fastest correct CPU kernel at this size. */
  bestCpu: z.nullable(z.object({ kernel: z.enum(KERNEL_IDS), gflops: nonNeg })),
  /** gpu.js on the GPU at this size (headline rate), when it ran on a GPU device. */
  gpu: z.nullable(z.object({ kernel: z.enum(KERNEL_IDS), gflops: nonNeg, endToEndGflops: z.nullable(nonNeg) })),
  /** gpu.gflops / bestCpu.gflops. */
  ratio: z.nullable(nonNeg),
  /** Same, with upload and readback counted (end-to-end GPU rate). */
  ratioEndToEnd: z.nullable(nonNeg),
});
export type SizeSummary = z.output<typeof sizeSummarySchema>;

export const rendererSchema = z.object({
  /** Which graphics API the renderer was read from. */
  api: z.enum(['webgl2', 'webgl', 'headlessgl', 'none']),
  vendor: z.string(),
  /** Unmasked renderer string (WEBGL_debug_renderer_info), e.g. "ANGLE (…SwiftShader…)". */
  renderer: z.string(),
  /** A software rasteriser (SwiftShader, llvmpipe, WARP…): the "GPU" kernels run on the CPU. */
  software: z.boolean(),
  /** Short name of the software rasteriser, when `software`. */
  softwareName: z.optional(z.string()),
});
export type RendererInfo = z.output<typeof rendererSchema>;

export const benchReportSchema = z.object({
  version: z.literal(BENCH_REPORT_VERSION),
  /** When the run finished, ISO 8601. */
  date: z.string(),
  host: z.enum(['webview', 'node']),
  status: z.enum(['complete', 'cancelled', 'failed']),
  environment: z.object({
    /** Logical cores the host reports (navigator.hardwareConcurrency / os.availableParallelism()). */
    cpuCores: z.int().check(z.minimum(1)),
    cpuModel: z.optional(z.string()),
    userAgent: z.optional(z.string()),
    nodeVersion: z.optional(z.string()),
    platform: z.optional(z.string()),
  }),
  renderer: rendererSchema,
  /** Where the gpu.js kernel ran and why there (`reason` names the fallback when not on a GPU). */
  gpu: z.object({ mode: z.enum(GPU_MODES), onGpu: z.boolean(), reason: z.string() }),
  kernels: z.array(kernelInfoSchema),
  sizes: z.array(size),
  results: z.array(kernelResultSchema),
  perSize: z.array(sizeSummarySchema),
  /** On headline rates (GPU transfers excluded). */
  crossover: crossoverSchema,
  /** With GPU upload and readback counted. */
  crossoverEndToEnd: crossoverSchema,
  tolerance: nonNeg,
  /** Wall time of the whole sweep, seconds. */
  totalSeconds: nonNeg,
  /** Plain sentences: caps applied, fallbacks taken, caveats. */
  notes: z.array(z.string()),
  /** The detected devices, their catalog peaks, and the PyTorch ratio beside the browser one (devices.ts). */
  devices: z.optional(deviceContextSchema),
});
/** A complete benchmark run (or the part that ran before a cancel or failure). */
export type BenchReport = z.output<typeof benchReportSchema>;

/** Parses untrusted JSON into a report, or returns the zod error text. */
export function parseBenchReport(value: unknown): { ok: true; report: BenchReport } | { ok: false; error: string } {
  const r = benchReportSchema.safeParse(value);
  return r.success ? { ok: true, report: r.data } : { ok: false, error: z.prettifyError(r.error) };
}

/** FLOPs of one n×n by n×n product (a multiply-add counts 2). */
export function matmulFlops(n: number): number {
  return 2 * n * n * n;
}
