/**
 * The efficiency model: what fraction of a device's dense peak and memory bandwidth PyTorch reaches,
 * by op class, by op size, and by how kernels are issued. One table, every figure with its source.
 *
 * A `Range` is a fraction of peak; `low` is the pessimistic end (slow), `high` the optimistic end (fast).
 * The projection's time band uses `high` for its low time and `low` for its high time.
 *
 * Size: a kernel does not reach its class efficiency until it fills the device. Modelled as a fixed
 * per-kernel ramp time added to the ideal time (tail effect, wave quantisation, pipeline fill):
 *   time = work / (peak × eff) + ramp   ⇔   effective efficiency = eff · x / (1 + x),  x = work / (peak · eff · ramp)
 * so efficiency is a smooth function of work size: GEMMs of ~100 GFLOP on an A100/H100 run at ~95% of the class
 * efficiency, ~10 GFLOP at ~75%, ~1 GFLOP at ~20–35% (cuBLAS square-GEMM sweeps: ~100 TF at 1024³, ~210 at 2048³,
 * ~270 at 4096³ on an A100 in bf16; recalled, u). Memory-bound kernels get the same treatment with a shorter ramp.
 *
 * Sources:
 * - formulas.md §6.6: large GEMMs reach 85–97% of peak while measured decode-attention kernels reach 5.6–13.5% of
 *   HBM roof (openfabric-systems/simllm PR#200); knobs others ship: llm-analysis 0.5 train / 0.7 infer / 0.9 memory,
 *   roofline.run 0.45 train / 0.55 prefill, gpu_poor 0.85 compute; DeepSpeed BERT-Large fwd+bwd ≈33% of A100 peak.
 * - validation.md notes 11–12: weight streaming reaches 64–72% of bandwidth on GeForce, 58–91% on Apple GPUs, ≈68% of
 *   DRAM on CPUs; ResNet-50 training only 20–24% of tensor peak (BN/elementwise are memory-bound); BERT-base
 *   TensorRT inference 57%; LLM pre-training at scale 28–52% MFU.
 * - formulas.md §6.5: sustained STREAM is 67–79% of DRAM wire rate (TI SPRAD45A/SPRACV1B).
 * - hardware.md S22: PCIe Gen4 H2D 25.1 of 31.5 GB/s (80%), Gen5 35–52.8 of 63 (55–84%), Gen3 ≈12 of 15.75 (76%);
 *   NVLink4 p2p 376–380 of 450 GB/s (≈83%).
 * - hardware.md S23: kernel launch ≈4–6 µs CPU-side; eager PyTorch elementwise op ≈20 µs round trip (V100);
 *   ≈3.4 µs per kernel inside a CUDA graph.
 */
import type { OpClass } from '../types';

/** A fraction of peak: `low` pessimistic, `mid` central, `high` optimistic. */
export interface Range { low: number; mid: number; high: number }

/** Efficiency of one op class on one kind of device. */
export interface ClassEfficiency {
  /** Fraction of the dense peak for the op's dtype (matrix classes) or of the vector fp32 peak (others). */
  compute: Range;
  /** Fraction of the memory bandwidth. */
  memory: Range;
  /** Matrix classes use tensor/matrix units and dtype-specific peaks; the rest run on vector units. */
  matrix: boolean;
  /** Why these numbers. */
  basis: string;
}

const r = (low: number, mid: number, high: number): Range => ({ low, mid, high });

/**
 * Band of the GPU bandwidth efficiencies: mid × / ÷ 1.26. FITTED (docs/calibration.md, `test/validation/fit.ts`):
 * the bandwidth-bound published cases (decode, ResNet training, batch-256 inference) leave log residuals whose robust
 * σ is 0.17 and whose 80% quantile is 0.24, so ±1.3σ ≈ ±0.23 holds 80% of them (was a hand-set 0.60–0.85 around 0.75).
 */
export const GPU_MEMORY_BAND = 1.26;
/** A GPU bandwidth efficiency with the fitted band around `mid`, capped at 0.95. */
const gpuMem = (mid: number): Range => r(Math.round((mid / GPU_MEMORY_BAND) * 100) / 100, mid, Math.min(0.95, Math.round(mid * GPU_MEMORY_BAND * 100) / 100));
const VECTOR_GPU: Omit<ClassEfficiency, 'basis'> = { compute: r(0.3, 0.5, 0.7), memory: gpuMem(0.75), matrix: false };
const VECTOR_CPU: Omit<ClassEfficiency, 'basis'> = { compute: r(0.2, 0.35, 0.5), memory: r(0.45, 0.6, 0.75), matrix: false };

/**
 * THE efficiency table. GPU figures are for CUDA/ROCm/MPS eager PyTorch with vendor libraries (cuBLAS, cuDNN,
 * FlashAttention-style SDPA); CPU figures for oneDNN/MKL/OpenBLAS at the catalog's sustained clocks.
 */
export const EFFICIENCY: Record<'gpu' | 'cpu', Record<OpClass, ClassEfficiency>> = {
  gpu: {
    gemm: { compute: r(0.5, 0.62, 0.77), memory: gpuMem(0.75), matrix: true, basis: 'FITTED (docs/calibration.md): a large GEMM inside a real model step sustains ≈62% of the dense datasheet peak (power-limited clocks, wave quantisation, narrow-K shapes), band from the fit residuals (±1.3σ); isolated cuBLAS sweeps reach 70–90%, but whole-model runs land at 30–52% MFU/HFU (validation rows 1, 4, 5, 7, 10); GEMV weight streaming 64–72% of bandwidth (notes 11)' },
    conv: { compute: r(0.35, 0.43, 0.54), memory: gpuMem(0.7), matrix: true, basis: 'FITTED: cuDNN convolutions at 0.7 × the GEMM class efficiency (layout transforms, small channel counts); ResNet-50 whole-net 20–24% of peak (note 12) once BN/ReLU are costed separately' },
    attention: { compute: r(0.32, 0.4, 0.5), memory: r(0.25, 0.4, 0.6), matrix: true, basis: 'FITTED: FlashAttention-style SDPA at 0.64 × the GEMM class efficiency (fwd higher than bwd); decode attention 5.6–13.5% of HBM roof at small sizes (§6.6, simllm PR#200)' },
    rnn: { compute: r(0.22, 0.28, 0.35), memory: gpuMem(0.65), matrix: true, basis: 'FITTED: cuDNN RNNs at 0.45 × the GEMM class efficiency (sequential small GEMMs per time step)' },
    norm: { ...VECTOR_GPU, basis: 'bandwidth-bound; 75% of bandwidth, band 60–95% FITTED from the residuals of the bandwidth-bound published cases (STREAM-like kernels)' },
    elementwise: { ...VECTOR_GPU, basis: 'bandwidth-bound; 75% of bandwidth (band 60–95%, fitted)' },
    reduction: { ...VECTOR_GPU, basis: 'bandwidth-bound; 75% of bandwidth (band 60–95%, fitted)' },
    pool: { ...VECTOR_GPU, basis: 'bandwidth-bound; 75% of bandwidth (band 60–95%, fitted)' },
    embedding: { compute: r(0.3, 0.5, 0.7), memory: r(0.45, 0.6, 0.75), matrix: false, basis: 'gather/scatter: row-granular access below streaming bandwidth' },
    memory: { ...VECTOR_GPU, basis: 'copies: 75% of bandwidth (band 60–95%, fitted)' },
    loss: { ...VECTOR_GPU, basis: 'softmax/log/reduction chains: bandwidth-bound' },
    optimizer: { ...VECTOR_GPU, basis: 'foreach/fused optimizer kernels stream params, grads and states' },
  },
  cpu: {
    gemm: { compute: r(0.65, 0.85, 0.95), memory: r(0.5, 0.65, 0.75), matrix: true, basis: 'FITTED (docs/calibration.md) to measured 1-thread PyTorch step times of 20 fixture scripts: BLAS sgemm (OpenBLAS AVX-512 kernels, MKL, oneDNN) sustains ≈85% of the ISA peak at the sustained clock (a 1,024³ sgemm measured at 194 GFLOP/s on one core with 64 FLOP/cycle); band ±1.3σ of the residuals; decode weight streaming ≈68% of DRAM (note 11)' },
    conv: { compute: r(0.6, 0.8, 0.92), memory: r(0.45, 0.6, 0.75), matrix: true, basis: 'FITTED: PyTorch CPU convolutions (im2col + BLAS, oneDNN direct) ≈80% of the ISA peak on the fixtures\' conv nets' },
    attention: { compute: r(0.38, 0.5, 0.56), memory: r(0.4, 0.55, 0.7), matrix: true, basis: 'CPU attention (batched small matmuls and softmax): 0.58 × the GEMM class efficiency (kept from the previous table\'s ratio)' },
    rnn: { compute: r(0.32, 0.43, 0.48), memory: r(0.45, 0.6, 0.75), matrix: true, basis: 'sequential small GEMMs per time step: 0.5 × the GEMM class efficiency (kept ratio)' },
    norm: { ...VECTOR_CPU, basis: 'bandwidth-bound; STREAM 67–79% of wire rate (§6.5), less through eager ops' },
    elementwise: { ...VECTOR_CPU, basis: 'bandwidth-bound' },
    reduction: { ...VECTOR_CPU, basis: 'bandwidth-bound' },
    pool: { ...VECTOR_CPU, basis: 'bandwidth-bound' },
    embedding: { compute: r(0.2, 0.35, 0.5), memory: r(0.35, 0.5, 0.65), matrix: false, basis: 'gather/scatter' },
    memory: { ...VECTOR_CPU, basis: 'copies' },
    loss: { ...VECTOR_CPU, basis: 'bandwidth-bound' },
    optimizer: { ...VECTOR_CPU, basis: 'per-tensor optimizer loops stream params, grads and states' },
  },
};

/**
 * Multi-core CPU scaling: eager PyTorch's intra-op parallelism (OpenMP fork/join per op, barriers, shared memory
 * bandwidth, hybrid P/E cores) gives compute kernels a parallel efficiency of 1 / (1 + s · log2(cores)).
 * FITTED: s = 0.22, the median of 2 · (2-thread wall ÷ 1-thread CPU time) − 1 over the 9 fixtures timed on an idle
 * 2-vCPU machine (test/fixtures/expected, timingContended false; docs/calibration.md). 1 core: 1; 16 cores: 0.53;
 * 96 cores: 0.41. The class efficiencies above are per-core figures (fitted on 1-thread timings). torch.compile is
 * charged too: on a CPU Inductor still calls the same oneDNN/BLAS kernels op by op with an OpenMP fork/join each
 * (its generated C++ loops fuse only the element-wise ops). Graph runtimes (traced oneDNN graphs of IPEX, llama.cpp)
 * keep one thread pool across fused kernels and are not charged.
 */
export const CPU_PARALLEL_SERIAL = 0.22;

/** Parallel efficiency of eager CPU compute on `cores` cores (1 for GPUs, other runtimes or an unknown core count). */
export function cpuParallelEfficiency(kind: 'cpu' | 'gpu', cores: number | undefined, runtime: Runtime): number {
  if (kind !== 'cpu' || runtime === 'graph' || !(typeof cores === 'number' && Number.isFinite(cores) && cores > 1)) return 1;
  return 1 / (1 + CPU_PARALLEL_SERIAL * Math.log2(Math.min(cores, 1e5)));
}

/**
 * Per-kernel ramp times, seconds (the `ramp` in the size function above). A GEMM kernel needs ≈6 µs beyond its
 * ideal time on a GPU (fits the cuBLAS sweep above: 1024³ bf16 on an A100 ≈14–20 µs); a bandwidth-bound kernel
 * ≈2 µs. On CPUs the thread-pool fork/join costs ≈20 µs for a parallel GEMM and ≈1 µs for small vector loops.
 */
export const RAMP_SECONDS = {
  gpu: { matrix: 6e-6, vector: 2e-6 },
  cpu: { matrix: 20e-6, vector: 1e-6 },
} as const;

/**
 * Dispatch/launch overhead band, as multipliers of the device's `launchOverheadSeconds`
 * (catalog launch costs, the floor of eager PyTorch's GPU host time per op EAGER_HOST_SECONDS: GPU 10 µs, Apple MPS 15 µs (S23);
 * CPU 6 µs, FITTED to the fixtures' measured step times
 * and consistent with measured torch 1.13 costs on one core: ≈2 µs for a tiny no-grad op, ≈16 µs per op of a tiny
 * forward + backward with autograd, 5 µs (SGD momentum) to 20 µs (Adam) per parameter tensor of the optimizer loop).
 */
export const LAUNCH_BAND: Range = { low: 1.8, mid: 1, high: 0.7 };

/** Default per-op overhead when a profile has none, seconds. */
export const DEFAULT_LAUNCH_SECONDS = { gpu: 10e-6, cpu: 6e-6 } as const;

/**
 * Eager PyTorch's host time per op on a GPU, seconds: the Python module call, the ATen dispatcher (autograd and
 * autocast keys), the library's host-side set-up (cuDNN/cuBLAS descriptors and heuristics, the caching allocator) and
 * the launch itself. The host runs ahead of the GPU through the launch queue, so a phase takes the longer of its
 * kernels' total and ops × this (project.ts foldHost): a step of many small kernels (batch-1 inference, small models)
 * takes ops × this whatever the GPU, a step of long kernels hides it; a device's bare launch cost
 * (`launchOverheadSeconds`, ≈10 µs) is the floor. Compiled code (Inductor's wrapper) and graph runtimes (CUDA graphs,
 * TensorRT, llama.cpp) do not pay it: they keep the device's launch cost or the graph replay cost.
 * FITTED (test/validation/fit.ts, docs/calibration.md) with the other GPU parameters; the only published runs it moves
 * are host-bound ones. Sources that bound it, independently of the fit:
 * - NVIDIA DeepLearningExamples ResNet-50 v1.5 README (pytorch-21.03): eager inference latency is flat from batch 1 to
 *   8 on both a V100 (FP32 10.4–11.5 ms, AMP 12.8–13.7 ms) and a T4 (FP32 10.7–12.7 ms, AMP 13.0–12.8 ms): host-bound.
 *   ≈174 forward ops (≈228 with AMP's per-call weight casts) plus ≈0.5 ms per call → ≈55 µs per op, the same with and
 *   without AMP (2021 software on a DGX-1's 2.2 GHz Broadwell host).
 * - PyTorch blog "Accelerating Generative AI with PyTorch II: GPT, Fast" (Nov 2023; recalled, u): Llama-2-7B batch-1
 *   decode on an A100 runs 25.5 tok/s in eager mode and ≈4× faster once torch.compile(mode="reduce-overhead") removes
 *   the host (CUDA graphs): ≈39 ms per token over ≈2,000 ATen calls of its hand-written RMSNorm/RoPE layers ≈ 18 µs per
 *   ATen call, ≈40 µs per module-level op as FlopLens counts them (a hand-written norm is several ATen calls).
 * - hardware.md S23: an eager elementwise op ≈20 µs round trip on a V100 (Nsight Systems guide); ≈4–6 µs of bare launch.
 */
export const EAGER_HOST_SECONDS = { gpu: 50e-6 };

/** Per-op host cost of eager PyTorch on GPU `hw`: the fitted eager host time, or the device's launch cost if larger. */
export function eagerGpuOpSeconds(launchOverheadSeconds: number | undefined): number {
  const launch = typeof launchOverheadSeconds === 'number' && Number.isFinite(launchOverheadSeconds) && launchOverheadSeconds >= 0 ? launchOverheadSeconds : DEFAULT_LAUNCH_SECONDS.gpu;
  return Math.max(EAGER_HOST_SECONDS.gpu, launch);
}

/**
 * How kernels are issued. `eager`: PyTorch default, one dispatch per op. `compiled`: torch.compile (Inductor)
 * fuses chains of vector ops and calls kernels from generated code. `graph`: CUDA graphs / TensorRT /
 * llama.cpp-style runtimes that replay a fused kernel sequence.
 */
export type Runtime = 'eager' | 'compiled' | 'graph';

/**
 * Runtime effects: `launchScale` multiplies the per-op overhead of matrix ops; vector ops (norm, elementwise,
 * reduction, loss, memory) are fused into neighbours, so their launches scale by `fusedLaunchScale` and their bytes
 * by `fusedBytesScale` (intermediates stay in registers). `launchSeconds` replaces the device overhead on GPUs
 * when set: inside a CUDA graph a kernel costs ≈2–3.5 µs (S23).
 */
export const RUNTIME_EFFECTS: Record<Runtime, { launchScale: number; fusedLaunchScale: number; fusedBytesScale: number; gpuLaunchSeconds?: number }> = {
  eager: { launchScale: 1, fusedLaunchScale: 1, fusedBytesScale: 1 },
  compiled: { launchScale: 0.5, fusedLaunchScale: 0.35, fusedBytesScale: 0.5 },
  graph: { launchScale: 1, fusedLaunchScale: 0.35, fusedBytesScale: 0.5, gpuLaunchSeconds: 2.5e-6 },
};

/** Link efficiency band (fraction of the per-direction link rate), S22. */
export const LINK_EFFICIENCY: Record<'pcie' | 'nvlink' | 'network', Range> = {
  pcie: r(0.55, 0.75, 0.85),
  nvlink: r(0.7, 0.8, 0.85),
  network: r(0.65, 0.8, 0.9),
};

/**
 * Fraction of gradient all-reduce hidden behind backward (DDP buckets); FSDP prefetch hides the same fraction of its
 * gathers behind compute. FITTED (docs/calibration.md): 0.25 — the old 0.75 left large runs at 54–63% MFU where real
 * runs reach 28–43%; collectives also slow the GEMMs they overlap (shared SMs and HBM), which a pure overlap hides.
 */
export const COMM_OVERLAP: Range = { low: 0, mid: 0.25, high: 0.75 };

/** Vector op classes that a compiler or graph runtime fuses. */
export const FUSABLE: ReadonlySet<OpClass> = new Set<OpClass>(['norm', 'elementwise', 'reduction', 'loss', 'memory']);

/** Size-adjusted efficiency: `eff · x / (1 + x)` with `x = work / (rate · eff · ramp)` (see the header). */
export function sizedEfficiency(eff: number, work: number, rate: number, ramp: number): number {
  if (!(work > 0) || !(rate > 0) || !(eff > 0)) return eff;
  const x = work / (rate * eff * ramp);
  return eff * (x / (1 + x));
}

/** Seconds for `work` at `rate × eff` plus the ramp: the same as `work / (rate × sizedEfficiency)`. */
export function sizedTime(work: number, rate: number, eff: number, ramp: number): number {
  if (!(work > 0)) return 0;
  if (!(rate > 0) || !(eff > 0)) return Number.POSITIVE_INFINITY;
  return work / (rate * eff) + ramp;
}

/**
 * Last-level cache speed-up over DRAM/HBM for activations that fit in half the cache (`HardwareProfile.cacheBytes`):
 * CPU L3 ≈4× DRAM bandwidth, GPU L2 ≈2.5× HBM/GDDR (conservative; aggregate L3/L2 bandwidths are 5–15× on current
 * parts; u). Model weights get the same benefit when the whole model fits in half the cache.
 */
export const CACHE_SPEEDUP = { cpu: 4, gpu: 2.5 } as const;

/**
 * Host-side cost per model call (one forward pass: a training micro-batch, a prefill, one decode token), seconds:
 * Python loop logic, logits processing, sampling and synchronisation. Eager ≈0.5 ms (the HF `generate` loop adds
 * ≈20–30 small ops and a sync per token), compiled ≈0.3 ms, graph runtimes ≈0.1 ms (one graph launch and a sync).
 * (u: order-of-magnitude figures.)
 */
export const CALL_OVERHEAD_SECONDS: Record<Runtime, number> = { eager: 0.5e-3, compiled: 0.3e-3, graph: 0.1e-3 };

/**
 * Pipeline schedule: interleaved 1F1B with this many virtual stages per device (Narayanan et al. 2021), so the
 * bubble is (p − 1) / (v·m + p − 1) for p stages and m micro-batches per pipeline.
 */
export const PIPELINE_VIRTUAL_STAGES = 2;
