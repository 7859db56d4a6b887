/**
 * The serving model: one device (a GPU, a tensor-parallel group of GPUs, or a slice of a CPU server) answering
 * requests, from the work of one request. Pure arithmetic on the efficiency table of src/core/project.
 *
 * Time of one model call on a replica (batch b):
 *   roofline = max(FLOPs / (peak · eff_compute), bytes / (bandwidth · eff_memory))
 *   + kernels × per-kernel ramp/launch (tiny kernels never reach peak; decode at batch 1 is ≈ 0.5–2 ms of it)
 *   + host overhead per call (Python loop, sampling, sync: CALL_OVERHEAD_SECONDS by runtime)
 *   + for GPUs, the request's input and output over PCIe (latency per transfer + bytes / link rate).
 * LLMs: prefill (compute-bound) and decode (weights + KV streamed per step) separately; continuous batching
 * keeps up to `maxBatch` requests decoding, bounded by the per-token latency target, the KV-cache room or the
 * runtime's cap. Items and diffusion: dynamic batching within the request latency target.
 * p50 uses the central efficiencies; p95 the pessimistic ones plus the batching and queueing waits.
 */
import type { Dtype } from '../types';
import type { HardwareProfile } from '../hardware/types';
import { CACHE_SPEEDUP, CALL_OVERHEAD_SECONDS, DEFAULT_LAUNCH_SECONDS, EFFICIENCY, eagerGpuOpSeconds, LAUNCH_BAND, LINK_EFFICIENCY, RAMP_SECONDS, RUNTIME_EFFECTS, resolvePeak } from '../project';
import { contextBytes, usableBytes } from '../project';
import type { ServingRuntime } from './types';

/** The work of one LLM request, per token. */
export interface LlmWork {
  kind: 'llm';
  promptTokens: number;
  outputTokens: number;
  prefillFlopsPerToken: number;
  decodeFlopsPerToken: number;
  /** Bytes of weights read per forward (the whole model; active experts for MoE). */
  weightBytes: number;
  kvBytesPerToken: number;
  /** Matrix and vector kernels of one forward. */
  matrixKernels: number;
  vectorKernels: number;
  layers: number;
  hidden: number;
  dtype: Dtype;
}

/** The work of one item (image, sample) through a classifier, embedder or diffusion pipeline. */
export interface ItemWork {
  kind: 'items' | 'diffusion';
  flopsPerItem: number;
  /** Weight bytes read per batch call (weights × model calls per request: denoising steps re-read the UNet). */
  weightReadsPerCall: number;
  /** Activation bytes moved per item. */
  actBytesPerItem: number;
  /** Resident bytes: weights; and activations held per item at the peak. */
  weightBytes: number;
  residentBytesPerItem: number;
  matrixKernels: number;
  vectorKernels: number;
  /** Host-side model calls per batch (denoising steps + encoders + VAE; 1 for a classifier). */
  hostCalls: number;
  inputBytesPerItem: number;
  outputBytesPerItem: number;
  dtype: Dtype;
}

export type Band = 'mid' | 'low';

/** What a replica is: `t` GPUs, or `cores` of a CPU server. Rates are for the whole replica. */
export interface Replica {
  hw: HardwareProfile;
  gpus: number;
  cores?: number;
  peakFlops: number;
  bandwidth: number;
  memoryBytes: number;
  /** Last-level cache of the replica, bytes (0 when unknown). */
  cacheBytes: number;
  pricePerHourUsd?: number;
  watts: number;
  runtime: ServingRuntime;
  computeScale: number;
  memoryScale: number;
  launchScale: number;
  /** Multiplier on the roofline term, calibrated so the replica's time at the traced batch matches the op-by-op projection (items, diffusion); 1 otherwise. */
  roofScale: number;
}

/** Per-transfer latency of a host↔device copy with its synchronisation, seconds (cudaMemcpy + stream sync ≈ 10–20 µs; u). */
export const PCIE_TRANSFER_SECONDS = 15e-6;
/** Idle power as a share of TDP (u: datacenter GPUs idle at 20–35% of TDP). */
export const IDLE_POWER_SHARE = 0.3;
/** Tensor-parallel all-reduce latency per layer per forward (two all-reduces of b·h activations over NVLink; u). */
export const TP_ALLREDUCE_SECONDS = 2 * 8e-6;

/** A replica of `hw`: `gpus` GPUs, or a slice of `cores` of a CPU (price, memory, bandwidth and peak pro rata). */
export function replicaOf(hw: HardwareProfile, opts: { gpus?: number; cores?: number; runtime: ServingRuntime; dtype: Dtype; computeScale?: number; memoryScale?: number }): Replica {
  const peak = resolvePeak(hw, opts.dtype, 'gemm', true).flops;
  const share = hw.kind === 'cpu' && opts.cores && hw.cores && hw.cores > 0 ? Math.min(1, opts.cores / hw.cores) : 1;
  const n = hw.kind === 'gpu' ? Math.max(1, opts.gpus ?? 1) : 1;
  const price = hw.price?.usdPerHour;
  return {
    hw, gpus: n, cores: hw.kind === 'cpu' ? Math.round((hw.cores ?? 1) * share) : undefined,
    peakFlops: peak * share * n,
    bandwidth: hw.memoryBandwidth * share * n,
    memoryBytes: Math.max(0, usableBytes(hw) * share - contextBytes(hw)) * n,
    cacheBytes: (hw.cacheBytes ?? 0) * share * n,
    pricePerHourUsd: price !== undefined && price > 0 ? price * share * n : undefined,
    watts: (hw.tdpWatts ?? (hw.kind === 'gpu' ? 300 : 150)) * share * n,
    runtime: opts.runtime,
    computeScale: positive(opts.computeScale, 1),
    memoryScale: positive(opts.memoryScale, 1),
    launchScale: 1,
    roofScale: 1,
  };
}

function positive(x: number | undefined, fallback: number): number {
  return typeof x === 'number' && Number.isFinite(x) && x > 0 ? x : fallback;
}

/** Seconds of one call: roofline + kernel ramps/launches + host overhead (see the header). */
export function callSeconds(r: Replica, w: { flops: number; bytes: number; matrixKernels: number; vectorKernels: number; hostCalls: number; tpLayers?: number }, band: Band): number {
  const kind = r.hw.kind;
  const eff = EFFICIENCY[kind].gemm;
  const effC = Math.min(1, eff.compute[band] * r.computeScale);
  const effM = Math.min(1, eff.memory[band] * r.memoryScale);
  // Work that fits in half the last-level cache streams at cache speed (project/efficiency.ts CACHE_SPEEDUP).
  const bw = r.bandwidth * (w.bytes > 0 && w.bytes <= r.cacheBytes / 2 ? CACHE_SPEEDUP[kind] : 1);
  const roof = Math.max(w.flops / (r.peakFlops * effC), w.bytes / (bw * effM)) * r.roofScale;
  const fx = RUNTIME_EFFECTS[r.runtime];
  // Eager PyTorch on a GPU pays its host time per op (EAGER_HOST_SECONDS); compiled code the device's launch cost.
  const gpuLaunch = r.runtime === 'eager' ? eagerGpuOpSeconds(r.hw.launchOverheadSeconds) : (r.hw.launchOverheadSeconds ?? DEFAULT_LAUNCH_SECONDS.gpu);
  const launch = kind === 'gpu' ? (fx.gpuLaunchSeconds ?? gpuLaunch) : (r.hw.launchOverheadSeconds ?? DEFAULT_LAUNCH_SECONDS.cpu);
  const ramp = RAMP_SECONDS[kind];
  // Each kernel pays its ramp (it never fills the device when tiny); on a GPU the CPU-side launches overlap the
  // GPU's work (the slower of the two), on a CPU the same threads dispatch and compute (they add up).
  const kernels = w.matrixKernels + w.vectorKernels * fx.fusedLaunchScale;
  // A CPU's GEMM ramp is thread-pool fork/join: it grows with the threads of the slice (the full figure at 16+ cores; u).
  const threads = kind === 'cpu' ? Math.min(1, (r.cores ?? 16) / 16) : 1;
  const ramps = w.matrixKernels * ramp.matrix * threads + w.vectorKernels * fx.fusedLaunchScale * ramp.vector;
  const launches = kernels * launch * LAUNCH_BAND[band] * (w.matrixKernels > 0 ? fx.launchScale : 1);
  const device = kind === 'gpu' ? Math.max(roof + ramps, launches) : roof + ramps + launches;
  const tp = r.gpus > 1 ? (w.tpLayers ?? 0) * TP_ALLREDUCE_SECONDS * (band === 'low' ? 1.5 : 1) : 0;
  return device + tp + w.hostCalls * CALL_OVERHEAD_SECONDS[r.runtime];
}

/** Seconds to move `bytes` over the host link (both directions counted by the caller); 0 on CPUs. */
export function transferSeconds(r: Replica, bytes: number, band: Band): number {
  if (r.hw.kind !== 'gpu' || r.hw.tier === 'apple-gpu') return 0;
  const link = (r.hw.hostLinkBandwidth ?? 15.75e9) * LINK_EFFICIENCY.pcie[band];
  return PCIE_TRANSFER_SECONDS + Math.max(0, bytes) / link;
}

/** Decode-step seconds at batch b (every in-flight request emits one token). */
export function decodeStepSeconds(r: Replica, w: LlmWork, b: number, band: Band): number {
  const ctx = w.promptTokens + w.outputTokens / 2;
  return callSeconds(r, {
    flops: b * w.decodeFlopsPerToken,
    bytes: w.weightBytes + b * ctx * w.kvBytesPerToken,
    matrixKernels: w.matrixKernels, vectorKernels: w.vectorKernels, hostCalls: 1, tpLayers: w.layers,
  }, band);
}

/** Prefill seconds of one request's prompt. */
export function prefillSeconds(r: Replica, w: LlmWork, band: Band): number {
  return callSeconds(r, {
    flops: w.promptTokens * w.prefillFlopsPerToken,
    bytes: w.weightBytes + w.promptTokens * (w.kvBytesPerToken + 4 * w.hidden * bytesOf(w.dtype)),
    matrixKernels: w.matrixKernels, vectorKernels: w.vectorKernels, hostCalls: 1, tpLayers: w.layers,
  }, band);
}

/** Seconds of one batch call of `b` items (transfer excluded). */
export function itemBatchSeconds(r: Replica, w: ItemWork, b: number, band: Band): number {
  return callSeconds(r, {
    flops: b * w.flopsPerItem,
    bytes: w.weightReadsPerCall + b * w.actBytesPerItem,
    matrixKernels: w.matrixKernels, vectorKernels: w.vectorKernels, hostCalls: w.hostCalls,
  }, band);
}

/**
 * The roofline multiplier that makes `itemBatchSeconds` at the traced batch equal `anchorSeconds` (the op-by-op
 * projection's mid step time on the same device): per-op efficiencies (convolutions, norms, attention) differ
 * from the GEMM figures this model uses. Clamped to ×0.33–×10.
 */
export function calibrateRoof(r: Replica, w: ItemWork, batch: number, anchorSeconds: number): number {
  if (!(anchorSeconds > 0)) return 1;
  const plain = { ...r, roofScale: 1 };
  const total = itemBatchSeconds(plain, w, batch, 'mid');
  const roofless = itemBatchSeconds({ ...plain, roofScale: 0 }, w, batch, 'mid');
  const roof = total - roofless;
  // Only a roofline-dominated anchor says anything about the roofline (an overhead-bound one would scale noise).
  if (!(roof > 0) || roof < roofless) return 1;
  return Math.min(10, Math.max(0.33, (anchorSeconds - roofless) / roof));
}

/** Host↔device seconds of a batch of `b` items: one copy in, one copy out. */
export function itemTransferSeconds(r: Replica, w: ItemWork, b: number, band: Band): number {
  if (r.hw.kind !== 'gpu') return 0;
  return transferSeconds(r, b * w.inputBytesPerItem, band) + transferSeconds(r, b * w.outputBytesPerItem, band);
}

function bytesOf(d: Dtype): number {
  return d === 'fp32' || d === 'tf32' ? 4 : d === 'int4' || d === 'fp4' ? 0.5 : d === 'fp8' || d === 'int8' ? 1 : 2;
}

/** Largest b in [1, cap] with `ok(b)` (ok is monotone: true up to some b); 0 when even 1 fails. */
export function largestBatch(cap: number, ok: (b: number) => boolean): number {
  if (!ok(1)) return 0;
  let lo = 1;
  let hi = Math.max(1, Math.floor(cap));
  if (ok(hi)) return hi;
  while (hi - lo > 1) {
    const mid = Math.floor((lo + hi) / 2);
    if (ok(mid)) lo = mid; else hi = mid;
  }
  return lo;
}
