/**
 * How eager PyTorch's kernels use a CPU core, beyond the roofline's peak × efficiency and bandwidth:
 *
 * 1. **Per-element work of ATen's own kernels.** Element-wise ops, activations, dropout, norms and softmax are priced
 *    by the roofline from their bytes (bandwidth-bound), which holds on GPUs. On a CPU core many of them are bound by
 *    the instructions per element instead: a transcendental (tanh, exp inside softmax/GELU) takes several cycles per
 *    element even vectorised, and dropout's Bernoulli sampling is a scalar random-number loop (≈20 cycles per element).
 *    Measured with `bench/cpu_vector_ops.py` (torch 1.13, one thread, process CPU time, 1 Mi-element tensors so the
 *    bandwidth term is not what is measured; Xeon VM at ≈3.0 GHz, ATen at AVX2 width): the cycles per element below.
 *    A vector op's compute time on a CPU is elements × cycles ÷ clock, and the op takes the longer of that and its
 *    bandwidth time. Vectorised kernels scale with ATen's vector width (the cycles are at 256 bits); scalar ones do not.
 *    Eager PyTorch only: compiled and graph runtimes generate or fuse their own loops (not measured here).
 * 2. **ATen's vector width is the PyTorch build's, not the CPU's.** PyTorch compiles its own kernels per CPU
 *    capability and dispatches at run time (`torch.__config__.show()`: "CPU capability usage: AVX2"). Official x86
 *    wheels dispatch AVX-512 on CPUs with AVX512-F/BW/VL/DQ; Debian's torch 1.13 runs AVX2 kernels on the AVX-512
 *    development Xeon (measured). A profile records it as `cpuCore.atenVectorBits` (default: the core's width).
 * 3. **Matrix libraries on 2 × 512-bit FMA cores.** OpenBLAS (Cooperlake kernels) reaches 183–194 GFLOP/s on a 1,024³
 *    sgemm on one core of the Xeon VM but 116–150 on the transformer shapes of the fixture scripts ([16384, 384] ×
 *    [384, 1536]: 116; × [384, 384]: 150; [4096, 64] × [64, 128]: 126): 0.60–0.78 of the 64 FLOP/cycle peak where the
 *    fitted CPU table (0.85, docs/calibration.md) holds on 32 FLOP/cycle cores. Doubling the FMA width doubles the
 *    peak but not the L1/L2 load bandwidth that feeds the micro-kernel and packs the panels, so step-sized GEMMs
 *    (one dimension of a few hundred) realise less of it. Matrix classes on cores of ≥ 64 FP32 FLOP/cycle therefore
 *    run at `WIDE_FMA_MATRIX_SCALE` × their class efficiency: 0.80 = the measured shapes' mean (0.68) ÷ 0.85.
 *
 * Profiles without `cpuCore` (catalog CPUs) take the clock from their fp32 peak at 32 FLOP/cycle per core, ATen at
 * the core's width, and no wide-FMA scale (the catalog's AVX-512 server peaks are datasheet figures at base clock).
 */
import type { HardwareProfile } from '../hardware/types';

/** Cycles per element of one ATen CPU kernel family, forward and backward, at 256-bit vectors; `scalar` does not vectorise. */
export interface ElementCost { fwd: number; bwd: number; scalar?: boolean }

/**
 * MEASURED (bench/cpu_vector_ops.py on the 2-vCPU Xeon VM, torch 1.13, ATen AVX2, ≈3.0 GHz; ns per element × 3.0):
 * add/mul 0.42 ns fwd, 0.6 bwd; ReLU 0.28 / 0.56; GELU 0.56 / 0.87; tanh 2.37 / 0.55; sigmoid 0.81 / 0.31;
 * dropout 6.7 / 0.73 (Bernoulli sampling, scalar); softmax (rows of 256) 0.87 / 0.49; log-softmax (rows of 10,000)
 * 1.0 / 0.79; LayerNorm(256) 0.61 / 0.62; BatchNorm2d training 1.5 / 0.85; transposed copy 0.84 / 0.87;
 * masked_fill with a causal mask 1.03 / 1.40.
 */
export const ELEMENT_CYCLES: Record<string, ElementCost> = {
  default: { fwd: 1.3, bwd: 1.8 },
  relu: { fwd: 0.85, bwd: 1.7 },
  gelu: { fwd: 1.7, bwd: 2.6 },
  silu: { fwd: 2.4, bwd: 2.6 },
  sigmoid: { fwd: 2.4, bwd: 0.9 },
  tanh: { fwd: 7.1, bwd: 1.7 },
  dropout: { fwd: 20, bwd: 2.2, scalar: true },
  softmax: { fwd: 2.6, bwd: 1.5 },
  log_softmax: { fwd: 3.0, bwd: 2.4 },
  cross_entropy: { fwd: 3.0, bwd: 2.4 },
  layer_norm: { fwd: 1.8, bwd: 1.9 },
  batch_norm: { fwd: 4.5, bwd: 2.5 },
  copy: { fwd: 2.5, bwd: 2.6 },
  masked_fill: { fwd: 3.1, bwd: 4.2 },
};

/** The kernel family of an op kind (`Op.kind` as the op table spells it). */
export function elementFamily(kind: string): string {
  const k = kind.toLowerCase();
  if (/dropout/.test(k)) return 'dropout';
  if (/log_?softmax/.test(k)) return 'log_softmax';
  if (/cross_?entropy|nll/.test(k)) return 'cross_entropy';
  if (/softmax/.test(k)) return 'softmax';
  if (/layer_?norm|rms_?norm|group_?norm/.test(k)) return 'layer_norm';
  if (/batch_?norm|instance_?norm/.test(k)) return 'batch_norm';
  if (/gelu/.test(k)) return 'gelu';
  if (/silu|swish|mish/.test(k)) return 'silu';
  if (/sigmoid/.test(k)) return 'sigmoid';
  if (/tanh/.test(k)) return 'tanh';
  if (/relu|leaky|hardtanh|clamp/.test(k)) return 'relu';
  if (/masked_fill|where/.test(k)) return 'masked_fill';
  if (/contiguous|transpose|permute|copy|cat|stack/.test(k)) return 'copy';
  return 'default';
}

/** Core facts of a CPU profile, with the documented defaults (see the module header). */
export function coreOf(hw: HardwareProfile): { ghz: number; fp32PerCycle: number; vectorBits: number; atenVectorBits: number } {
  const c = hw.cpuCore;
  const cores = Number.isFinite(hw.cores) && (hw.cores as number) > 0 ? (hw.cores as number) : 1;
  const fp32 = Number.isFinite(hw.peakFlops.fp32) && (hw.peakFlops.fp32 as number) > 0 ? (hw.peakFlops.fp32 as number) : 0;
  const fp32PerCycle = c && c.fp32PerCycle > 0 ? c.fp32PerCycle : 32;
  const guess = fp32 > 0 ? fp32 / (cores * fp32PerCycle * 1e9) : 3;
  const ghz = c && c.ghz > 0 ? c.ghz : Math.min(5, Math.max(1, guess));
  const vectorBits = c && c.vectorBits > 0 ? c.vectorBits : 256;
  // At most what the core's FMA datapath sustains per cycle, as 2-pipe-equivalent bits (cpuIsa.ts cpuCoreFromIsa).
  const atenVectorBits = c && c.atenVectorBits && c.atenVectorBits > 0 ? Math.min(c.atenVectorBits, Math.max(vectorBits, fp32PerCycle * 8)) : vectorBits;
  return { ghz, fp32PerCycle, vectorBits, atenVectorBits };
}

/** ATen's grain for element-wise loops (at::internal::GRAIN_SIZE): smaller tensors run on one thread. */
export const ATEN_GRAIN = 32768;

/**
 * Seconds of per-element work of one call of a CPU vector op over `elements` elements on the cores of `hw` (ATen
 * splits element-wise loops over its threads, one grain of 32 Ki elements at least per thread; the projection's
 * parallel efficiency applies on top), for the forward or the backward kernel.
 */
export function elementSeconds(hw: HardwareProfile, kind: string, phase: 'fwd' | 'bwd', elements: number): number {
  if (hw.kind !== 'cpu' || !(elements > 0)) return 0;
  const cost = ELEMENT_CYCLES[elementFamily(kind)] ?? ELEMENT_CYCLES.default;
  const core = coreOf(hw);
  const widthScale = cost.scalar ? 1 : 256 / core.atenVectorBits;
  const cores = Number.isFinite(hw.cores) && (hw.cores as number) > 0 ? (hw.cores as number) : 1;
  // Threads at work: one per grain of elements, up to the cores (continuous, so more elements never take less time).
  const threads = Math.min(cores, Math.max(1, elements / ATEN_GRAIN));
  return (elements * cost[phase] * widthScale) / (core.ghz * 1e9 * threads);
}

/** Matrix-class efficiency scale on cores with 2 × 512-bit FMA (≥ 64 FP32 FLOP/cycle); see the module header. */
export const WIDE_FMA_MATRIX_SCALE = 0.8;

/** The scale of matrix-class efficiencies on `hw` (1 for GPUs and for cores of < 64 FP32 FLOP/cycle). */
export function matrixScale(hw: HardwareProfile): number {
  return hw.kind === 'cpu' && coreOf(hw).fp32PerCycle >= 64 ? WIDE_FMA_MATRIX_SCALE : 1;
}

/**
 * The wide-FMA scale `scale` (matrixScale) for one kernel at its resolved peak: it holds for work on the FMA vector
 * units (fp32, and AVX512-FP16/BF16 vectors at up to 2× the fp32 rate), not for a dtype that runs on a matrix unit
 * with its own tile data path (AMX-BF16/INT8 at 16–32× the fp32 rate), which keeps its class efficiency.
 */
export function matrixScaleAt(scale: number, hw: HardwareProfile, peakFlops: number): number {
  if (scale === 1) return 1;
  const fp32 = hw.peakFlops.fp32;
  return fp32 !== undefined && fp32 > 0 && peakFlops > 2 * fp32 ? 1 : scale;
}
