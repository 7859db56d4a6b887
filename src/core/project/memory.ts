/**
 * Memory fit: how many devices of a kind hold one step's memory.
 *
 * Per device with k devices: `(peak − overhead) / k + overhead + runtime context`. Everything except the
 * framework overhead is sharded: weights, gradients and optimizer states ZeRO-3/FSDP-style, activations, inputs
 * and KV cache by splitting the batch (data parallel) or the hidden dimension (tensor/sequence parallel).
 * Runtime context per device: CUDA/ROCm context, cuBLAS/cuDNN workspaces ≈0.5–1 GB (formulas.md §6.4: 0.3–2 GiB,
 * gpu_poor ≈650 MB) → 0.75 GiB; Apple MPS ≈0.3 GiB; CPU: the Python process and torch libraries ≈0.5 GiB, and
 * the OS keeps ≈10% of RAM. The caching allocator's fragmentation keeps ≈5% of GPU memory unusable.
 */
import type { MemoryBreakdown } from '../types';
import type { HardwareProfile } from '../hardware/types';

const GiB = 2 ** 30;

/** Runtime context bytes per device (see header). */
export function contextBytes(hw: HardwareProfile): number {
  if (hw.kind === 'cpu') return 0.5 * GiB;
  if (hw.tier === 'apple-gpu') return 0.3 * GiB;
  return 0.75 * GiB;
}

/** Bytes of a device's memory a step may use (capacity less fragmentation / OS share). */
export function usableBytes(hw: Pick<HardwareProfile, 'kind' | 'memoryBytes'>): number {
  const cap = hw.memoryBytes > 0 ? hw.memoryBytes : 0;
  return cap * (hw.kind === 'cpu' ? 0.9 : 0.95);
}

const num = (x: number | undefined): number => (typeof x === 'number' && Number.isFinite(x) && x > 0 ? x : 0);

/** The step's peak bytes on one device: `peakBytes` when given, else the sum of the parts. */
export function stepPeakBytes(m: MemoryBreakdown): number {
  const parts = num(m.weights) + num(m.gradients) + num(m.optimizer) + num(m.activations) + num(m.inputs) + num(m.kvCache) + num(m.overhead);
  const peak = num(m.peakBytes);
  return peak > 0 ? peak : parts;
}

/** Cap on devices the fit search reports (beyond it the workload is out of reach and says so). */
export const MAX_DEVICES = 1_000_000;

export interface Fit {
  /** Fewest devices that hold the step (≥ 1; MAX_DEVICES when out of reach). */
  devicesNeeded: number;
  /** Per-device bytes with `k` devices. */
  perDevice(k: number): number;
  /** Bytes available per device. */
  usable: number;
  /** True when even MAX_DEVICES cannot hold it. */
  outOfReach: boolean;
}

/**
 * Memory fit of `m` on devices like `hw`. `ranks` data-parallel ranks each hold their own batch memory
 * (activations, inputs, KV cache) while weights, gradients and optimizer states can be sharded across all devices:
 * with k devices each holds `(states + ranks × batch memory) / k`.
 */
export function fitMemory(m: MemoryBreakdown, hw: HardwareProfile, ranks = 1): Fit {
  const overhead = num(m.overhead);
  const peak = stepPeakBytes(m);
  const states = num(m.weights) + num(m.gradients) + num(m.optimizer);
  const batchPart = Math.max(0, peak - overhead - states);
  const shardable = Math.min(Math.max(0, peak - overhead), states) + Math.max(1, ranks) * batchPart;
  const fixed = overhead + contextBytes(hw);
  const usable = usableBytes(hw);
  const perDevice = (k: number): number => shardable / Math.max(1, k) + fixed;
  const room = usable - fixed;
  let devicesNeeded: number;
  let outOfReach = false;
  if (shardable <= 0) devicesNeeded = room >= 0 ? 1 : MAX_DEVICES;
  else if (room <= 0) devicesNeeded = MAX_DEVICES;
  else devicesNeeded = Math.max(1, Math.ceil(shardable / room - 1e-9));
  if (devicesNeeded >= MAX_DEVICES) {
    devicesNeeded = MAX_DEVICES;
    outOfReach = true;
  }
  return { devicesNeeded, perDevice, usable, outOfReach };
}
