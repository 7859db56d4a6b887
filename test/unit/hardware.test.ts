import { describe, expect, it } from 'vitest';
import {
  DEFAULT_COMPARE_IDS, HARDWARE, getHardware, resolveHardwareIds, validateHardwareProfiles,
} from '../../src/core/hardware';
import { nearestKnownDevice, thisMachineProfile } from '../../src/livebench/thisMachine';
import type { HardwareProfile } from '../../src/core/hardware';

const T = 1e12;
const G = 1e9;

const ALL_IDS = [
  'apple-m3', 'core-ultra-7-155h', 'ryzen-7-7840u', 'ryzen-9-7950x', 'core-i9-14900k', 'epyc-9654', 'epyc-9754', 'xeon-8480',
  'graviton3', 'graviton4', 'apple-m3-max-gpu', 'apple-m4-max-gpu', 't4', 'l4', 'a10g', 'a100-40gb', 'a100-80gb', 'h100-sxm',
  'h100-pcie', 'h200', 'b200', 'rtx-3090', 'rtx-4090', 'rtx-5090', 'mi300x',
  // Added for the published runs of validation.md (issue 15).
  'apple-m2', 'apple-m2-pro', 'apple-m2-ultra', 'core-i9-13900k', 'threadripper-pro-5995wx', 'apple-m2-gpu', 'apple-m2-pro-gpu',
  'apple-m2-max-gpu', 'apple-m2-ultra-gpu', 'v100-sxm2-16gb', 'v100-sxm2-32gb', 'v100-pcie-16gb', 'v100-pcie-32gb', 'h200-1000w',
  'h800', 'gb200', 'rtx-3090-ti',
];

const hw = (id: string): HardwareProfile => {
  const h = getHardware(id);
  if (!h) throw new Error(id);
  return h;
};

describe('hardware catalog', () => {
  it('has exactly the agreed ids, once each', () => {
    expect(HARDWARE.map((h) => h.id).sort()).toEqual([...ALL_IDS].sort());
  });

  it('resolves the default comparison set', () => {
    expect(DEFAULT_COMPARE_IDS).toEqual(['core-ultra-7-155h', 'epyc-9654', 't4', 'rtx-4090', 'a100-80gb', 'h100-sxm']);
    for (const id of DEFAULT_COMPARE_IDS) expect(getHardware(id)?.id).toBe(id);
    expect(getHardware('nope')).toBeUndefined();
  });

  it('passes its own validation, with sources and dated prices', () => {
    const { profiles, errors } = validateHardwareProfiles(HARDWARE, 'catalog', { allowReservedIds: true });
    expect(errors).toEqual([]);
    expect(profiles).toHaveLength(HARDWARE.length);
    for (const h of HARDWARE) {
      expect(h.sources.length, h.id).toBeGreaterThan(0);
      expect(h.peakFlops.fp32, h.id).toBeGreaterThan(0);
      if (h.price) {
        expect(h.price.usdPerHour).toBeGreaterThan(0);
        expect(h.price.date, h.id).toMatch(/^\d{4}(-\d{2})?/);
        expect(h.price.source.length).toBeGreaterThan(0);
      }
      if (h.kind === 'gpu' && h.tier !== 'apple-gpu') expect(h.hostLinkBandwidth, h.id).toBeGreaterThan(0);
    }
  });

  it('keeps laptops and desktops unpriced (energy only)', () => {
    for (const h of HARDWARE.filter((x) => x.tier === 'laptop' || x.tier === 'desktop' || x.tier === 'consumer-gpu' || x.tier === 'apple-gpu')) {
      expect(h.price, h.id).toBeUndefined();
    }
  });

  it('uses dense datasheet peaks (sparse figures halved)', () => {
    expect(hw('h100-sxm').peakFlops).toMatchObject({ fp32: 67 * T, tf32: 495 * T, bf16: 989 * T, fp16: 989 * T, fp8: 1979 * T });
    expect(hw('a100-80gb').peakFlops).toMatchObject({ fp32: 19.5 * T, tf32: 156 * T, bf16: 312 * T, int8: 624 * T });
    expect(hw('l4').peakFlops.fp8).toBe(242.5 * T);
    // GeForce FP32-accumulate tensor rate (half the FP16-accumulate figure).
    expect(hw('rtx-4090').peakFlops.bf16).toBe(165.2 * T);
    expect(hw('b200').memoryBandwidth).toBe(7.7 * T);
  });

  it('has no TF32 or BF16 on the T4', () => {
    expect(hw('t4').peakFlops.tf32).toBeUndefined();
    expect(hw('t4').peakFlops.bf16).toBeUndefined();
    expect(hw('t4').peakFlops.fp16).toBe(65 * T);
  });

  it('gives the ridge points of formulas.md §6.5', () => {
    const ridge = (id: string, dt: 'bf16' | 'fp32' = 'bf16'): number => (hw(id).peakFlops[dt] as number) / hw(id).memoryBandwidth;
    expect(ridge('h100-sxm')).toBeCloseTo(295.2, 0); // 989 / 3.35
    expect(ridge('a100-80gb')).toBeCloseTo(153.0, 0); // 312 / 2.039
    expect(ridge('a100-40gb')).toBeCloseTo(200.6, 0); // 312 / 1.555
    expect(ridge('t4', 'fp32')).toBeCloseTo(25.3, 1); // 8.1 / 0.32
  });

  it('derives CPU peaks from cores × sustained clock × FLOP/cycle', () => {
    expect(hw('epyc-9654').peakFlops.fp32).toBeCloseTo(96 * 3.1 * G * 32, -6);
    expect(hw('epyc-9654').peakFlops.bf16).toBeCloseTo(2 * 96 * 3.1 * G * 32, -6);
    expect(hw('xeon-8480').peakFlops.fp32).toBeCloseTo(56 * 2.0 * G * 64, -6); // 7.17 TF
    expect(hw('xeon-8480').peakFlops.bf16).toBeCloseTo(56 * 2.0 * G * 1024, -6); // AMX 114.7 TF
    expect(hw('xeon-8480').peakFlops.int8).toBeCloseTo(56 * 2.0 * G * 2048, -6); // AMX 229 TOPS
    expect(hw('graviton3').peakFlops.fp32).toBeCloseTo(5.32 * T, -10);
    expect(hw('graviton4').peakFlops.fp32).toBeCloseTo(8.60 * T, -10);
    // CPUs without native bf16 leave it out (projection falls back below the fp32 rate).
    for (const id of ['core-ultra-7-155h', 'core-i9-14900k', 'apple-m3']) expect(hw(id).peakFlops.bf16, id).toBeUndefined();
  });

  it('resolves ids with custom profiles taking precedence', () => {
    const mine: HardwareProfile = { ...hw('t4'), id: 't4', name: 'My T4' };
    const r = resolveHardwareIds(['t4', 'h100-sxm', 'nope', 't4'], [mine]);
    expect(r.profiles.map((p) => p.name)).toEqual(['My T4', 'NVIDIA H100 SXM']);
    expect(r.unknown).toEqual(['nope']);
  });
});

describe('validateHardwareProfiles', () => {
  const good = { id: 'my-gpu', kind: 'gpu', peakFlops: { fp32: 20e12, bf16: 150e12 }, memoryBandwidth: 900e9, memoryBytes: 24e9 };

  it('accepts a valid profile and fills defaults', () => {
    const r = validateHardwareProfiles([{ ...good, pricePerHour: 1.2 }]);
    expect(r.errors).toEqual([]);
    expect(r.profiles[0]).toMatchObject({ id: 'my-gpu', name: 'my-gpu', tier: 'custom', sources: ['custom'], price: { usdPerHour: 1.2 } });
  });

  it('names the entry and the field of each error, and drops bad entries', () => {
    const r = validateHardwareProfiles([
      good,
      { ...good, id: 'neg', memoryBandwidth: -1 },
      { ...good, id: 'nan', peakFlops: { fp32: Number.NaN } },
      { ...good, id: 'zero', peakFlops: { bf16: 0 } },
      { ...good, id: 'dtype', peakFlops: { fp64: 1e12 } },
      { ...good, id: 'kind', kind: 'tpu' },
      { id: 'missing', kind: 'cpu' },
    ]);
    expect(r.profiles.map((p) => p.id)).toEqual(['my-gpu']);
    expect(r.errors).toContain('custom[1].memoryBandwidth: must be a number from 1 GB/s to 100 TB/s (bytes/s)');
    expect(r.errors).toContain('custom[2].peakFlops.fp32: must be a number from 1 GFLOP/s to 100 PFLOP/s (dense FLOP/s)');
    expect(r.errors).toContain('custom[3].peakFlops.bf16: must be a number from 1 GFLOP/s to 100 PFLOP/s (dense FLOP/s)');
    expect(r.errors.some((e) => e.startsWith('custom[4].peakFlops.fp64: unknown dtype'))).toBe(true);
    expect(r.errors).toContain('custom[5].kind: must be "cpu" or "gpu"');
    expect(r.errors).toContain('custom[6].peakFlops: is required');
    expect(r.errors).toContain('custom[6].memoryBandwidth: is required');
  });

  it('rejects infinities, non-objects, non-arrays and duplicates without throwing', () => {
    expect(validateHardwareProfiles([{ ...good, memoryBytes: Number.POSITIVE_INFINITY }]).errors).toEqual(['custom[0].memoryBytes: must be a number from 1 GB to 100 TB (bytes)']);
    expect(validateHardwareProfiles([42]).errors).toEqual(['custom[0]: must be an object']);
    expect(validateHardwareProfiles('h100').errors).toEqual(['custom: must be an array of hardware profiles']);
    expect(validateHardwareProfiles([good, good]).errors).toEqual(['custom[1].id: duplicate id "my-gpu" (the first entry is kept)']);
    expect(validateHardwareProfiles(undefined)).toEqual({ profiles: [], errors: [] });
    expect(validateHardwareProfiles([good], 'file').profiles[0].sources).toEqual(['file']);
  });
});

describe('this-machine profile', () => {
  it('uses catalog figures when the renderer names a known GPU', () => {
    const p = thisMachineProfile({ gpuGflops: 2500, cpuGflops: 200, cpuCores: 16, date: '2026-11-21', renderer: 'ANGLE (NVIDIA, NVIDIA GeForce RTX 4090 Direct3D11 vs_5_0 ps_5_0, D3D11)' });
    expect(p).toMatchObject({ id: 'this-machine', tier: 'this-machine', kind: 'gpu', memoryBandwidth: 1008e9 });
    expect(p.peakFlops.bf16).toBe(165.2e12);
    expect(p.notes?.[0]).toContain('3% of the NVIDIA GeForce RTX 4090 paper peak');
    expect(p.sources).toContain('FlopLens live benchmark, 2026-11-21');
  });

  it('turns a measured rate into a peak for an unknown GPU', () => {
    const p = thisMachineProfile({ gpuGflops: 780, cpuGflops: 100, cpuCores: 8, date: '2026-11-21', renderer: 'Mystery GPU' });
    expect(p.kind).toBe('gpu');
    expect(p.peakFlops.fp32).toBeCloseTo(1e12, -3); // 780 GFLOP/s ÷ 0.78
  });

  it('profiles a software renderer as a CPU', () => {
    const p = thisMachineProfile({ gpuGflops: 30, cpuGflops: 120, cpuCores: 8, date: '2026-11-21', renderer: 'Google SwiftShader', softwareRenderer: true }, 'Intel(R) Core(TM) Ultra 7 155H');
    expect(p).toMatchObject({ kind: 'cpu', id: 'this-machine', tier: 'this-machine' });
    expect(p.peakFlops.fp32).toBe(hw('core-ultra-7-155h').peakFlops.fp32);
    expect(p.notes?.[0]).toContain('software rasteriser');
  });

  it('estimates an unknown CPU from its cores when the JavaScript rate is lower', () => {
    const p = thisMachineProfile({ cpuGflops: 20, cpuCores: 16, date: '2026-11-21', renderer: 'none' }, 'Some Future CPU 9000');
    expect(p.kind).toBe('cpu');
    expect(p.peakFlops.fp32).toBeCloseTo(8 * 3.0e9 * 32, -3);
    expect(p.cores).toBe(16);
    // A JavaScript rate is never taken as a peak (it is a few percent of a BLAS): the cores decide.
    const fast = thisMachineProfile({ cpuGflops: 2000, cpuCores: 4, date: '2026-11-21' });
    expect(fast.peakFlops.fp32).toBeCloseTo(2 * 3.0e9 * 32, -3);
  });

  it('takes an unknown CPU peak from the SIMD kernel scaled to a BLAS, at most the feature peak', () => {
    const simd = thisMachineProfile({ cpuGflops: 30, cpuCores: 4, cpuBlasGflops: 120, cpuPeakGflops: 384, cpuPeakBasis: 'AVX-512', date: '2026-11-21' }, 'Some Future CPU 9000');
    expect(simd.peakFlops.fp32).toBeCloseTo(120e9 / 0.6, -3);
    expect(simd.notes?.[0]).toMatch(/SIMD kernel scaled to a BLAS/);
    const capped = thisMachineProfile({ cpuGflops: 30, cpuCores: 4, cpuBlasGflops: 300, cpuPeakGflops: 384, date: '2026-11-21' });
    expect(capped.peakFlops.fp32).toBeCloseTo(384e9, -3);
    const featuresOnly = thisMachineProfile({ cpuGflops: 3, cpuCores: 4, cpuPeakGflops: 192, date: '2026-11-21' });
    expect(featuresOnly.peakFlops.fp32).toBeCloseTo(192e9, -3);
  });

  it('never throws on junk input', () => {
    const p = thisMachineProfile({ gpuGflops: Number.NaN, cpuGflops: -5, cpuCores: Number.NaN, date: '' });
    expect(p.kind).toBe('cpu');
    expect(p.peakFlops.fp32).toBe(100e9);
  });
});

describe('nearestKnownDevice', () => {
  it('matches by name', () => {
    expect(nearestKnownDevice({ kind: 'gpu', name: 'NVIDIA A100-SXM4-80GB' })?.profile.id).toBe('a100-80gb');
    expect(nearestKnownDevice({ kind: 'gpu', name: 'NVIDIA H100 PCIe' })?.profile.id).toBe('h100-pcie');
    expect(nearestKnownDevice({ kind: 'gpu', name: 'Apple M3 Max' })?.profile.id).toBe('apple-m3-max-gpu');
    expect(nearestKnownDevice({ kind: 'cpu', name: 'AMD EPYC 9654 96-Core Processor' })?.profile.id).toBe('epyc-9654');
    expect(nearestKnownDevice({ kind: 'cpu', name: '13th Gen Intel(R) Core(TM) i9-14900K' })?.profile.id).toBe('core-i9-14900k');
  });

  it('falls back to the nearest expected GEMM rate and reports the fraction of peak', () => {
    const m = nearestKnownDevice({ kind: 'gpu', fp32Flops: 0.78 * 35.6e12 });
    expect(m?.matchedBy).toBe('rate');
    expect(m?.profile.id).toBe('rtx-3090');
    expect(m?.fractionOfPeak).toBeCloseTo(0.78, 5);
    expect(nearestKnownDevice({ kind: 'cpu' })).toBeUndefined();
  });
});
