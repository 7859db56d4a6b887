// Issue 15: convolutions at a GPU's fp32 CUDA-core rate (V100, T4: no TF32) take the GEMM class efficiency, not the
// tensor-core-fitted conv efficiency (cudaCores.ts). Tensor-core convolutions, TF32 convolutions, GEMMs, Apple GPUs and
// CPUs keep their class efficiency.
import { describe, expect, it } from 'vitest';
import { getHardware } from '../../src/core/hardware';
import type { HardwareProfile } from '../../src/core/hardware';
import { project } from '../../src/core/project';
import { EFFICIENCY } from '../../src/core/project/efficiency';
import { cudaCoreScale } from '../../src/core/project/cudaCores';
import { op, workload } from '../validation/builders';

/** A catalog profile (the ids used here are in the catalog; a missing one fails the test at its first use). */
const hw = (id: string): HardwareProfile => getHardware(id) ?? (() => { throw new Error(`no hardware ${id}`); })();

/** One large convolution (40 GFLOP, small traffic) in `dtype`, inference: its time is its compute time. */
const conv = (dtype: 'fp32' | 'fp16', opClass: 'conv' | 'gemm' = 'conv') => workload(
  [op({ opClass, name: opClass === 'conv' ? 'conv2d' : 'linear', forwardFlops: 40e9, bytesRead: 1e6, bytesWritten: 1e6, dtype })],
  { dtype, batch: 256, itemsPerStep: 256 },
);
const computeSeconds = (w: ReturnType<typeof conv>, id: string): number => {
  const p = project(w, [hw(id)]).projections[0];
  return p.stepSeconds.mid * p.shares.compute;
};

describe('convolutions on CUDA cores', () => {
  const ratio = EFFICIENCY.gpu.gemm.compute.mid / EFFICIENCY.gpu.conv.compute.mid;

  it('an fp32 convolution on a V100 or T4 (no TF32) runs at the GEMM class efficiency of the fp32 peak', () => {
    for (const id of ['v100-sxm2-16gb', 't4']) {
      const h = hw(id);
      expect(cudaCoreScale(h, 'conv', h.peakFlops.fp32!)).toBeCloseTo(ratio, 9);
      const rate = 40e9 / computeSeconds(conv('fp32'), id) / h.peakFlops.fp32!;
      // The GEMM class efficiency, less the per-kernel ramp (a few % on 40 GFLOP).
      expect(rate).toBeGreaterThan(EFFICIENCY.gpu.gemm.compute.mid * 0.9);
      expect(rate).toBeLessThanOrEqual(EFFICIENCY.gpu.gemm.compute.mid);
    }
  });

  it('an fp32 convolution takes as long as an fp32 GEMM of the same work on a V100', () => {
    expect(computeSeconds(conv('fp32'), 'v100-sxm2-16gb')).toBeCloseTo(computeSeconds(conv('fp32', 'gemm'), 'v100-sxm2-16gb'), 6);
  });

  it('tensor-core convolutions (fp16 on a V100, TF32 by default on an A100) keep the conv class efficiency', () => {
    const v100 = hw('v100-sxm2-16gb');
    const a100 = hw('a100-80gb');
    expect(cudaCoreScale(v100, 'conv', v100.peakFlops.fp16!)).toBe(1);
    expect(cudaCoreScale(a100, 'conv', a100.peakFlops.tf32!)).toBe(1);
    const rate = 40e9 / computeSeconds(conv('fp16'), 'v100-sxm2-16gb') / v100.peakFlops.fp16!;
    expect(rate).toBeLessThanOrEqual(EFFICIENCY.gpu.conv.compute.mid);
    expect(rate).toBeGreaterThan(EFFICIENCY.gpu.conv.compute.mid * 0.9);
  });

  it('GEMMs, Apple GPUs and CPUs are not concerned', () => {
    const v100 = hw('v100-sxm2-16gb');
    expect(cudaCoreScale(v100, 'gemm', v100.peakFlops.fp32!)).toBe(1);
    const m2 = hw('apple-m2-gpu');
    expect(cudaCoreScale(m2, 'conv', m2.peakFlops.fp32!)).toBe(1);
    const cpu = hw('epyc-9654');
    expect(cudaCoreScale(cpu, 'conv', cpu.peakFlops.fp32!)).toBe(1);
  });
});
