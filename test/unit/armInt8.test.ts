// Issue 15 (catalog truths): Arm CPUs with the dot-product extension (FEAT_DotProd: SDOT/UDOT, every Apple M-series
// core, Neoverse N1/V1/V2) get an int8 peak of 4 × their NEON fp32 rate; Apple catalog CPUs carry it with its source.
import { describe, expect, it } from 'vitest';
import { getHardware } from '../../src/core/hardware';
import type { HardwareProfile } from '../../src/core/hardware';
import { isaRates } from '../../src/core/hardware/cpuIsa';
import { resolvePeak } from '../../src/core/project/peaks';

const hw = (id: string): HardwareProfile => getHardware(id) ?? (() => { throw new Error(`no hardware ${id}`); })();

describe('Arm dot-product int8', () => {
  it('an Arm core with asimddp (Linux) or FEAT_DotProd (macOS) issues 4 × its fp32 rate in int8 ops', () => {
    const apple = isaRates({ vendor: 'apple', flags: ['asimd', 'asimddp'], fmaPipes: 4 });
    expect(apple.perCycle.fp32).toBe(32);
    expect(apple.perCycle.int8).toBe(128);
    expect(isaRates({ vendor: 'arm', flags: ['neon', 'feat_dotprod'] }).perCycle.int8).toBe(64);
    expect(apple.basis.some((b) => /SDOT/.test(b))).toBe(true);
  });

  it('an Arm core without the extension (Cortex-A72) has no int8 peak, and an x86 flag list is not read as Arm', () => {
    expect(isaRates({ vendor: 'arm', flags: ['asimd'] }).perCycle.int8).toBeUndefined();
    expect(isaRates({ vendor: 'intel', flags: ['avx2', 'fma', 'asimddp'] }).perCycle.int8).toBeUndefined();
  });

  it('Apple catalog CPUs: int8 = 4 × the NEON fp32 peak, with a note naming the instructions; int8 GEMMs resolve to it', () => {
    for (const id of ['apple-m2', 'apple-m2-pro', 'apple-m2-ultra', 'apple-m3']) {
      const h = hw(id);
      expect(h.peakFlops.int8).toBeCloseTo(4 * h.peakFlops.fp32!, -3);
      expect(h.notes?.some((n) => /SDOT\/UDOT/.test(n))).toBe(true);
      expect(h.sources?.some((s) => /FEAT_DotProd/.test(s))).toBe(true);
      const p = resolvePeak(h, 'int8', 'gemm', false);
      expect(p.dtype).toBe('int8');
      expect(p.flops).toBe(h.peakFlops.int8);
      expect(p.fallback).toBeUndefined();
    }
  });
});
