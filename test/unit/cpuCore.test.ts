// Issue 15: every CPU profile carries the core model PyTorch's kernels see (cpuCore: FLOP/cycle, vector width, ATen's
// effective width, clock) — the catalog's CPUs from their ISA and clock (src/core/hardware/cpuCores.ts), and the
// this-machine profile from the detected ISA flags and the clock the OS reports (src/livebench/thisMachine.ts).
import { describe, expect, it } from 'vitest';
import { HARDWARE, getHardware } from '../../src/core/hardware';
import type { HardwareProfile } from '../../src/core/hardware';
import { cpuCoreFromIsa, isaRates } from '../../src/core/hardware/cpuIsa';
import { NEOVERSE_V1, NEOVERSE_V2, ZEN4 } from '../../src/core/hardware/cpuCores';
import { project } from '../../src/core/project';
import { coreOf, matrixScaleAt, WIDE_FMA_MATRIX_SCALE } from '../../src/core/project/cpuKernels';
import { thisMachineProfile } from '../../src/livebench/thisMachine';
import { nominalGhz, parseCpuinfo, plausibleGhz, sustainedGhz } from '../../src/livebench/node/hostInfo';
import { op, workload } from '../validation/builders';

const hw = (id: string): HardwareProfile => {
  const h = getHardware(id);
  if (!h) throw new Error(id);
  return h;
};

describe('catalog CPUs carry their core', () => {
  const cpus = HARDWARE.filter((h) => h.kind === 'cpu');

  it('every catalog CPU has a cpuCore whose cores × clock × FLOP/cycle is its fp32 peak', () => {
    expect(cpus.length).toBeGreaterThanOrEqual(10);
    for (const h of cpus) {
      const c = h.cpuCore;
      expect(c, h.id).toBeDefined();
      if (!c) continue;
      expect(c.ghz, h.id).toBeGreaterThan(1);
      expect(c.ghz, h.id).toBeLessThan(6);
      expect([16, 32, 64], h.id).toContain(c.fp32PerCycle);
      expect([128, 256, 512], h.id).toContain(c.vectorBits);
      expect(((h.cores as number) * c.ghz * c.fp32PerCycle * 1e9) / (h.peakFlops.fp32 as number), h.id).toBeCloseTo(1, 3);
    }
  });

  it('a laptop AVX2 CPU gets 256-bit vectors at 32 FLOP/cycle; an AVX-512 server 512-bit at 64', () => {
    const laptop = hw('core-ultra-7-155h').cpuCore;
    expect(laptop).toMatchObject({ fp32PerCycle: 32, vectorBits: 256, atenVectorBits: 256 });
    const server = hw('xeon-8480').cpuCore;
    expect(server).toMatchObject({ ghz: 2.0, fp32PerCycle: 64, vectorBits: 512, atenVectorBits: 512 });
    // The server's per-element work then runs at the width it has, not the 256-bit default.
    expect(coreOf(hw('xeon-8480')).atenVectorBits).toBe(512);
  });

  it('Zen 4 has AVX-512 registers on 256-bit pipes; Apple and Neoverse V cores four 128-bit pipes', () => {
    expect(hw('epyc-9654').cpuCore).toMatchObject({ ghz: 3.1, fp32PerCycle: 32, vectorBits: 512, atenVectorBits: 256 });
    expect(hw('apple-m3').cpuCore).toMatchObject({ fp32PerCycle: 32, vectorBits: 128, atenVectorBits: 256 });
    expect(coreOf(hw('apple-m3')).atenVectorBits).toBe(256);
    expect(hw('graviton3').cpuCore).toMatchObject({ ghz: 2.6, fp32PerCycle: 32, vectorBits: 256, atenVectorBits: 256 });
    expect(hw('graviton4').cpuCore).toMatchObject({ fp32PerCycle: 32, vectorBits: 128, atenVectorBits: 256 });
    expect(hw('threadripper-pro-5995wx').cpuCore).toMatchObject({ ghz: 2.7, fp32PerCycle: 32, vectorBits: 256 });
  });

  it('reads SVE width and FMA pipes from the ISA description', () => {
    expect(isaRates(NEOVERSE_V1)).toMatchObject({ vector: 'SVE', vectorBits: 256, perCycle: { fp32: 32 } });
    expect(isaRates(NEOVERSE_V2)).toMatchObject({ vector: 'NEON', vectorBits: 128, perCycle: { fp32: 32 } });
    expect(isaRates({ vendor: 'arm', flags: ['asimd'] }).perCycle.fp32).toBe(16);
    // A build capability narrower than the core still limits ATen's kernels.
    expect(cpuCoreFromIsa({ ...ZEN4, torchCapability: 'avx2' }, 3).atenVectorBits).toBe(256);
    expect(cpuCoreFromIsa({ vendor: 'intel', flags: ['avx2', 'fma', 'avx512f'], torchCapability: 'avx2' }, 3).atenVectorBits).toBe(256);
  });
});

describe('the wide-FMA scale holds for vector units, not for AMX', () => {
  it('scales fp32 matrix work on an AVX-512 server and leaves AMX int8/bf16 work at its class efficiency', () => {
    const xeon = hw('xeon-8480');
    expect(matrixScaleAt(WIDE_FMA_MATRIX_SCALE, xeon, xeon.peakFlops.fp32 as number)).toBe(WIDE_FMA_MATRIX_SCALE);
    expect(matrixScaleAt(WIDE_FMA_MATRIX_SCALE, xeon, xeon.peakFlops.int8 as number)).toBe(1);
    expect(matrixScaleAt(1, xeon, xeon.peakFlops.fp32 as number)).toBe(1);
    const bare: HardwareProfile = { ...xeon, id: 'bare', cpuCore: undefined };
    const at = (dtype: 'fp32' | 'int8' | 'bf16'): number => {
      const gemm = op({ kind: 'linear', opClass: 'gemm', dtype, forwardFlops: 4e12, bytesRead: 1e6, bytesWritten: 1e6 });
      const [withCore, without] = project(workload([gemm], { dtype }), [xeon, bare]).projections.map((p) => p.stepSeconds.mid);
      return withCore / without;
    };
    expect(at('fp32')).toBeCloseTo(1 / WIDE_FMA_MATRIX_SCALE, 2);
    expect(at('int8')).toBeCloseTo(1, 3);
    expect(at('bf16')).toBeCloseTo(1, 3);
  });
});

describe('this machine carries its detected core', () => {
  const base = { cpuGflops: 3, cpuCores: 8, date: '2026-12-07' };

  it('an AVX-512 Intel server CPU not in the catalog: 64 FLOP/cycle, 512-bit, at the reported clock', () => {
    const p = thisMachineProfile({ ...base, cpuFeatures: ['avx512f', 'avx2', 'fma'], cpuGhz: 2.3 }, 'Intel(R) Xeon(R) Processor');
    expect(p.cpuCore).toEqual({ ghz: 2.3, fp32PerCycle: 64, vectorBits: 512, atenVectorBits: 512 });
    expect(p.notes?.some((n) => /64 FP32 FLOP\/cycle, 512-bit vectors at 2\.30 GHz .*clock reported by the OS/.test(n))).toBe(true);
  });

  it('a laptop AVX2 CPU: 32 FLOP/cycle, 256-bit; an AMD AVX-512 CPU runs ATen at 256-bit pipes', () => {
    expect(thisMachineProfile({ ...base, cpuFeatures: ['avx2', 'fma'], cpuGhz: 4.2 }, 'Some Laptop CPU 7').cpuCore).toEqual({ ghz: 4.2, fp32PerCycle: 32, vectorBits: 256, atenVectorBits: 256 });
    expect(thisMachineProfile({ ...base, cpuFeatures: ['avx512f', 'avx2', 'fma'] }, 'AMD Ryzen 5 9600X 6-Core Processor').cpuCore).toEqual({ ghz: 3, fp32PerCycle: 32, vectorBits: 512, atenVectorBits: 256 });
  });

  it('without flags or clock (a browser) assumes AVX2 at 3.0 GHz and says so; a catalog CPU keeps the catalog core', () => {
    const p = thisMachineProfile({ ...base, cpuGhz: Number.NaN }, 'Mystery CPU');
    expect(p.cpuCore).toEqual({ ghz: 3, fp32PerCycle: 32, vectorBits: 256, atenVectorBits: 256 });
    expect(p.notes?.some((n) => /flags unknown: AVX2 \+ FMA assumed; clock assumed/.test(n))).toBe(true);
    expect(thisMachineProfile(base, 'AMD EPYC 9654 96-Core Processor').cpuCore).toEqual(hw('epyc-9654').cpuCore);
  });

  it('reads the clock from /proc/cpuinfo and ignores implausible readings', () => {
    expect(parseCpuinfo('flags\t: fpu avx2 fma\ncpu MHz\t\t: 2299.998\ncpu MHz\t\t: 3100.5\n').ghz).toBeCloseTo(3.1005, 4);
    expect(parseCpuinfo('flags\t: fpu avx2 fma\ncpu MHz\t\t: 400.000\n').ghz).toBeUndefined();
    expect(plausibleGhz(0.024)).toBe(false);
    expect(plausibleGhz(Number.NaN)).toBe(false);
    expect(plausibleGhz(4.5)).toBe(true);
  });

  it('takes the sustained clock from the best evidence: base clock in the model name, cpufreq maximum, current reading', () => {
    const xeon = 'model name\t: Intel(R) Xeon(R) Platinum 8480+ @ 2.00GHz\nflags\t: fpu avx2 fma avx512f\ncpu MHz\t\t: 800.000\n';
    // An idle-throttled current reading (800 MHz) is below the base clock the name states.
    expect(nominalGhz('Intel(R) Xeon(R) Platinum 8480+ @ 2.00GHz')).toBe(2);
    expect(nominalGhz('AMD EPYC 9654 96-Core Processor')).toBeUndefined();
    expect(parseCpuinfo(xeon).ghz).toBe(2);
    // With the cpufreq maximum (one-core turbo, kHz), the midpoint of base and maximum: all cores do not hold the turbo.
    expect(parseCpuinfo(xeon, '3800000\n').ghz).toBeCloseTo(2.9, 9);
    // A virtual machine that hides the model and cpufreq: only the current reading (its host's base clock) is known.
    expect(parseCpuinfo('model name\t: Intel(R) Xeon(R) Processor\nflags\t: avx512f\ncpu MHz\t\t: 2299.998\n').ghz).toBeCloseTo(2.3, 3);
    expect(sustainedGhz({ max: 4.2 })).toBe(4.2);
    expect(sustainedGhz({ reported: 0.4, nominal: Number.NaN, max: Number.NaN })).toBeUndefined();
    // A maximum below the base clock (a capped VM) does not lower it.
    expect(sustainedGhz({ nominal: 3.0, max: 2.5 })).toBe(3);
  });
});
