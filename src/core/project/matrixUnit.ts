/**
 * CPU matrix coprocessors that the platform BLAS runs fp32 GEMMs on (HardwareProfile.matrixUnit): Apple's AMX, one
 * per CPU cluster, which Accelerate's sgemm dispatches to on M1–M3 (SME on M4). PyTorch's macOS arm64 wheels use
 * Accelerate as their BLAS (pytorch/pytorch PR #61679; conda-forge/pytorch-cpu-feedstock issue #403: the pip builds
 * use the accelerated BLAS, conda's OpenBLAS does not), so an fp32 matmul, linear or attention product on an Apple
 * CPU runs there, at ≈15× the NEON rate of a core, while element-wise ops, norms and convolutions stay on the cores.
 *
 * The coprocessors are few (one per P-cluster), so eager PyTorch's multi-core scaling loss (efficiency.ts
 * `cpuParallelEfficiency`, charged per device over all its cores) is taken over the units for such a GEMM.
 */
import type { Dtype, OpClass } from '../types';
import type { HardwareProfile } from '../hardware/types';
import { cpuParallelEfficiency, type Runtime } from './efficiency';

/** Op classes whose fp32 products go through the BLAS (matmul/linear; SDPA's math path is batched matmuls). */
const BLAS_CLASSES: ReadonlySet<OpClass> = new Set<OpClass>(['gemm', 'attention']);

/** The coprocessor peak for an op, when `hw` is a CPU with one and the op is an fp32 BLAS product. */
export function matrixUnitPeak(hw: HardwareProfile, dtype: Dtype, opClass: OpClass): { dtype: 'fp32'; flops: number; coprocessor: true } | undefined {
  const u = hw.matrixUnit;
  if (hw.kind !== 'cpu' || !u || !(u.fp32 > 0) || dtype !== 'fp32' || !BLAS_CLASSES.has(opClass)) return undefined;
  return { dtype: 'fp32', flops: u.fp32, coprocessor: true };
}

/** Efficiency factor of a kernel on the coprocessor: its units' parallel efficiency in place of the cores'. */
export function matrixUnitScale(hw: HardwareProfile, peak: { coprocessor?: boolean }, runtime: Runtime): number {
  if (!peak.coprocessor || !hw.matrixUnit) return 1;
  const cores = cpuParallelEfficiency('cpu', hw.cores, runtime);
  return cores > 0 ? cpuParallelEfficiency('cpu', hw.matrixUnit.units, runtime) / cores : 1;
}
