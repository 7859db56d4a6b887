import type { Dtype } from '../types';

/** A dated price with its source. */
export interface Price {
  usdPerHour: number;
  /** ISO month or date the price was observed, e.g. `2026-03`. */
  date: string;
  source: string;
}

/**
 * One device FlopLens can project onto. All peaks are DENSE (not 2:4-sparse) and per dtype;
 * bandwidths are per direction. Units: FLOP/s, bytes/s, bytes, watts, seconds.
 */
export interface HardwareProfile {
  id: string;
  name: string;
  kind: 'cpu' | 'gpu';
  /** Where it lives: for grouping in views and the verdict ("laptop CPU"). */
  tier: 'laptop' | 'desktop' | 'server' | 'consumer-gpu' | 'datacenter-gpu' | 'apple-gpu' | 'this-machine' | 'custom';
  /**
   * Dense peak per dtype. Floating-point dtypes (fp32, tf32, fp16, bf16, fp8) in FLOP/s; the integer dtypes
   * (int8, int4) in integer ops/s (TOPS × 1e12), one multiply and one add counted as two ops like a FMA.
   * Missing dtypes fall back (documented in project/peaks.ts).
   */
  peakFlops: Partial<Record<Dtype, number>>;
  memoryBandwidth: number;
  memoryBytes: number;
  /** Host↔device link per direction (PCIe), GPUs only. */
  hostLinkBandwidth?: number;
  /** Device↔device link per direction (NVLink, Infinity Fabric); absent = PCIe between devices. */
  scaleUpBandwidth?: number;
  /**
   * Per-device network bandwidth between nodes, bytes/s per direction (one 400 Gb/s NIC per GPU = 50e9).
   * Absent: a 100 Gb/s Ethernet link per node shared by its devices (see project/comm.ts).
   */
  scaleOutBandwidth?: number;
  /** Devices per node sharing the scale-up link (8 for HGX). */
  devicesPerNode?: number;
  tdpWatts?: number;
  /**
   * Last-level cache, bytes (CPU L3, GPU L2 / Infinity Cache). Activations that fit in half of it are served at
   * cache speed (see project/efficiency.ts `CACHE_SPEEDUP`); absent = no cache benefit.
   */
  cacheBytes?: number;
  price?: Price;
  /** Per-kernel launch cost, seconds: on a CPU eager PyTorch's per-op cost; on a GPU the launch from compiled code (eager ops pay the larger EAGER_HOST_SECONDS host time, project/efficiency.ts). */
  launchOverheadSeconds?: number;
  cores?: number;
  /**
   * CPUs: the core as PyTorch's kernels see it (project/cpuKernels.ts): sustained clock, FP32 FLOP/cycle, the ISA's
   * vector width and the width ATen's own kernels run at (the PyTorch build's CPU capability). Absent: the defaults
   * documented there.
   */
  cpuCore?: { ghz: number; fp32PerCycle: number; vectorBits: number; atenVectorBits?: number };
  /**
   * CPUs: a matrix coprocessor the platform BLAS runs fp32 GEMMs on (Apple AMX through Accelerate;
   * project/matrixUnit.ts): FLOP/s of all `units` together (one per CPU cluster).
   */
  matrixUnit?: { fp32: number; units: number };
  /** Sources for the figures (datasheet URLs, hardware.md row). */
  sources: string[];
  notes?: string[];
}
