/**
 * From a benchmark report to the input of `thisMachineProfile(input, cpuModel)` (src/livebench/thisMachine.ts),
 * which turns it into the "this machine" hardware profile the projections use.
 */
import type { BenchReport } from './report';

/** The measured rates of this machine, as `thisMachineProfile` takes them. */
export interface ThisMachineBenchInput {
  /**
   * Best FP32 matmul rate reached on the GPU, GFLOP/s (1e9 FLOP/s): the fastest correct GPU-device kernel
   * at any size (gpu.js or the reference shader; on-device compute, transfers excluded). A WebGL lower
   * bound of the GPU's FP32 peak (no tensor cores). null when nothing ran on a GPU device.
   */
  gpuGflops: number | null;
  /** Best FP32 matmul rate on the CPU, GFLOP/s: the fastest correct CPU kernel at any size (all cores for `-n` kernels). */
  cpuGflops: number;
  /** Logical cores the host reported. */
  cpuCores: number;
  /** What a BLAS would reach on this CPU (the SIMD kernel scaled to BLAS, devices.ts), GFLOP/s; absent without the SIMD kernel. */
  cpuBlasGflops?: number;
  /** The CPU's fp32 peak from its catalog entry or vector features, GFLOP/s, and how it was found. */
  cpuPeakGflops?: number;
  cpuPeakBasis?: string;
  /** The CPU's vector ISA flags and clock (GHz) as the host reported them, for the profile's core description. */
  cpuFeatures?: string[];
  cpuGhz?: number;
  /** The kernels ran on another machine than the extension host (Remote-SSH, WSL, containers, code-server). */
  otherMachine?: string;
  /** GL renderer string, e.g. "ANGLE (NVIDIA, NVIDIA GeForce RTX 4090 …)"; "none" without WebGL. */
  renderer: string;
  /** When the benchmark finished, ISO 8601. */
  date: string;
  /** The GPU figure came from a software rasteriser (SwiftShader, llvmpipe…): it measures the CPU, not a GPU. */
  softwareRenderer: boolean;
}

/**
 * The calibration input of a complete report, or undefined when the report cannot calibrate anything
 * (cancelled, failed, or no correct CPU measurement).
 */
export function toThisMachineInput(report: BenchReport): ThisMachineBenchInput | undefined {
  if (report.status !== 'complete') return undefined;
  const device = new Map(report.kernels.map((k) => [k.id, k.device]));
  let gpu = 0, cpu = 0;
  for (const r of report.results) {
    if (r.status !== 'ok' || r.correct !== true || r.gflops === undefined) continue;
    if (device.get(r.kernel) === 'gpu') gpu = Math.max(gpu, r.gflops);
    else cpu = Math.max(cpu, r.gflops);
  }
  if (cpu <= 0) return undefined;
  const d = report.devices;
  return {
    gpuGflops: gpu > 0 ? gpu : null,
    cpuGflops: cpu,
    cpuCores: report.environment.cpuCores,
    ...(d?.cpu.simdGflops != null && d.cpu.blasGflops != null ? { cpuBlasGflops: d.cpu.blasGflops } : {}),
    ...(d?.cpu.peakGflops != null ? { cpuPeakGflops: d.cpu.peakGflops, cpuPeakBasis: d.cpu.peakBasis } : {}),
    ...(d?.cpu.features ? { cpuFeatures: d.cpu.features } : {}),
    ...(d?.cpu.ghz != null ? { cpuGhz: d.cpu.ghz } : {}),
    ...(d?.otherMachine ? { otherMachine: d.otherMachine } : {}),
    renderer: report.renderer.api === 'none' ? 'none' : report.renderer.renderer,
    date: report.date,
    softwareRenderer: report.renderer.software,
  };
}
