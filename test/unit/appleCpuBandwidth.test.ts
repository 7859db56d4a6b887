// Issue 15: the CPU clusters of an Apple SoC reach only part of its headline bandwidth (catalog.ts appleCpuReachGB:
// ≈243 GB/s per Max-class die, AnandTech's M1 Max measurements); the GPU profile of the same SoC keeps the whole.
import { describe, expect, it } from 'vitest';
import { getHardware } from '../../src/core/hardware';
import type { HardwareProfile } from '../../src/core/hardware';
import { project } from '../../src/core/project';
import { op, workload } from '../validation/builders';

/** A catalog profile (the ids used here are in the catalog; a missing one fails the test at its first use). */
const hw = (id: string): HardwareProfile => getHardware(id) ?? (() => { throw new Error(`no hardware ${id}`); })();

describe('Apple SoC CPU memory bandwidth', () => {
  it('an Ultra (two Max dies, 800 GB/s) gives its CPU ≈2 × 243 GB/s; its GPU keeps 800', () => {
    expect(hw('apple-m2-ultra').memoryBandwidth).toBe(486e9);
    expect(hw('apple-m2-ultra-gpu').memoryBandwidth).toBe(800e9);
    expect(hw('apple-m2-ultra').notes?.join(' ')).toContain('CPU cores reach');
  });

  it('smaller dies (M2 100 GB/s, M2 Pro 200 GB/s) are within the CPU reach and keep their figure', () => {
    expect(hw('apple-m2').memoryBandwidth).toBe(100e9);
    expect(hw('apple-m2-pro').memoryBandwidth).toBe(200e9);
  });

  it('a weight-streaming step on the M2 Ultra CPU is bounded by the CPU reach, not the SoC figure', () => {
    // 7 GB of int8 weights read once (a decode step), negligible compute.
    const w = workload([op({ opClass: 'gemm', name: 'linear', forwardFlops: 1e6, bytesRead: 7e9, bytesWritten: 1e3, dtype: 'int8', params: 7e9 })], { dtype: 'int8', runtime: 'graph' } as never);
    const cpu = hw('apple-m2-ultra');
    const [reach, soc] = project(w, [cpu, { ...cpu, id: 'soc', memoryBandwidth: 800e9 }], { runtime: 'graph' } as never).projections;
    expect(reach.bound).toBe('memory');
    // The same step at the SoC's headline 800 GB/s would be 800 / 486 = 1.65× faster.
    expect(reach.stepSeconds.mid / soc.stepSeconds.mid).toBeCloseTo(800 / 486, 1);
  });
});
