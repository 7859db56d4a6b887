/**
 * The fitted efficiency model (docs/calibration.md): CPU peaks from the ISA, and what the fitted table gives on the
 * published runs — large-scale MFU in the range real runs reach, no implausible MFU on a T4 or a CPU, and the held-out
 * published figures within 1.5×. Pure arithmetic on hand-built workloads: nothing is timed.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { cpuPeaksFromIsa, isaRates } from '../../src/core/hardware/cpuIsa';
import { getHardware } from '../../src/core/hardware';
import type { HardwareProfile } from '../../src/core/hardware';
import { COMM_OVERLAP, DEFAULT_LAUNCH_SECONDS, EFFICIENCY, project } from '../../src/core/project';
import { resolvePeak } from '../../src/core/project/peaks';
import { CASES, measure } from '../validation/cases';
import { MODELS, resnet50, transformerTraining } from '../validation/builders';

const hw = (id: string): HardwareProfile => {
  const h = getHardware(id);
  if (!h) throw new Error(id);
  return h;
};

describe('CPU peaks from the instruction set', () => {
  it('gives 64 FP32 FLOP/cycle for AVX-512 on Intel, 32 on Zen 4 and for AVX2, 16 for NEON', () => {
    expect(isaRates({ vendor: 'intel', flags: ['avx2', 'fma', 'avx512f'] }).perCycle.fp32).toBe(64);
    expect(isaRates({ vendor: 'amd', flags: ['avx2', 'fma', 'avx512f'] }).perCycle.fp32).toBe(32);
    expect(isaRates({ vendor: 'intel', flags: ['avx2', 'fma'] }).perCycle.fp32).toBe(32);
    expect(isaRates({ vendor: 'arm', flags: ['asimd'] }).perCycle.fp32).toBe(16);
    expect(isaRates({ vendor: 'other', flags: [] }).perCycle.fp32).toBe(8);
  });

  it('models AMX as the bf16/int8 fast path and AVX512-BF16 alone as none (bf16 falls back to half fp32)', () => {
    const amx = isaRates({ vendor: 'intel', flags: ['avx512f', 'avx512_bf16', 'amx_bf16', 'amx_int8', 'avx512_vnni'] });
    expect(amx.perCycle).toMatchObject({ fp32: 64, bf16: 1024, int8: 2048 });
    const noAmx = isaRates({ vendor: 'intel', flags: ['avx512f', 'avx512_bf16', 'avx512_vnni'] });
    expect(noAmx.perCycle.bf16).toBeUndefined();
    expect(noAmx.perCycle.int8).toBe(4 * 64);
    // The projection's peak for a bf16 matmul on that CPU: half the fp32 rate, said in a note.
    const cpu: HardwareProfile = { id: 'x', name: 'x', kind: 'cpu', tier: 'custom', peakFlops: cpuPeaksFromIsa({ vendor: 'intel', flags: ['avx512f', 'avx512_bf16'] }, 2, 3.0), memoryBandwidth: 20e9, memoryBytes: 16e9, sources: ['test'] };
    expect(cpu.peakFlops.fp32).toBeCloseTo(2 * 3.0e9 * 64, -3);
    const bf16 = resolvePeak(cpu, 'bf16', 'gemm', false);
    expect(bf16.flops).toBeCloseTo(cpu.peakFlops.fp32! / 2, -3);
    expect(bf16.fallback).toMatch(/half the fp32 rate/);
    // With AMX the same CPU runs bf16 at 16× its fp32 rate.
    const withAmx = cpuPeaksFromIsa({ vendor: 'intel', flags: ['avx512f', 'amx_bf16'] }, 2, 3.0);
    expect(withAmx.bf16! / withAmx.fp32!).toBe(16);
  });

  it('never returns a zero, negative or non-finite peak for bad inputs', () => {
    for (const [cores, ghz] of [[Number.NaN, 3], [0, 3], [-2, 3], [2, Number.POSITIVE_INFINITY], [2, -1]]) {
      const p = cpuPeaksFromIsa({ vendor: 'intel', flags: ['avx2', 'fma'] }, cores, ghz);
      expect(Number.isFinite(p.fp32) && p.fp32! > 0, `${cores} cores, ${ghz} GHz`).toBe(true);
    }
  });
});

describe('the fitted efficiency table', () => {
  it('is the one docs/calibration.md documents', () => {
    const doc = readFileSync(join(__dirname, '../../docs/calibration.md'), 'utf8');
    expect(EFFICIENCY.gpu.gemm.compute.mid).toBe(0.62);
    expect(EFFICIENCY.cpu.gemm.compute.mid).toBe(0.85);
    expect(EFFICIENCY.cpu.conv.compute.mid).toBe(0.8);
    expect(COMM_OVERLAP.mid).toBe(0.25);
    expect(DEFAULT_LAUNCH_SECONDS.cpu).toBe(6e-6);
    for (const v of ['**0.62**', '**0.85**', '**0.80**', '**0.25**', '**6 µs**']) expect(doc).toContain(v);
    for (const t of [EFFICIENCY.gpu, EFFICIENCY.cpu]) {
      for (const [cls, e] of Object.entries(t)) {
        expect(e.compute.low, cls).toBeLessThanOrEqual(e.compute.mid);
        expect(e.compute.mid, cls).toBeLessThanOrEqual(e.compute.high);
        expect(e.compute.high, cls).toBeLessThanOrEqual(0.95);
      }
    }
  });

  it('puts large-scale pre-training at 30–45% MFU, as real runs are', () => {
    const w = transformerTraining(MODELS.llama3_405b, { batch: 2048, seq: 8192, steps: 1, devices: 16384, scope: 'global' });
    const p = project(w, [hw('h100-sxm')]).projections[0];
    expect(p.mfu).toBeGreaterThan(0.3);
    expect(p.mfu).toBeLessThan(0.45);
    const mpt = transformerTraining({ ...MODELS.mpt7b, vocab: 50368 }, { batch: 1024, seq: 2048, steps: 10, devices: 440, recompute: 'full', scope: 'global' });
    const pm = project(mpt, [hw('a100-40gb')]).projections[0];
    expect(pm.mfu).toBeGreaterThan(0.28);
    expect(pm.mfu).toBeLessThan(0.45);
  });

  it('shows no implausible MFU on a T4 or a CPU', () => {
    const gpt2 = transformerTraining(MODELS.gpt2, { batch: 16, seq: 1024, steps: 1, dtype: 'fp16' });
    const t4 = project(gpt2, [hw('t4')]).projections[0];
    expect(t4.mfu).toBeGreaterThan(0.05);
    expect(t4.mfu).toBeLessThan(0.62);
    const rn = resnet50('train', 32, 'fp32');
    for (const id of ['core-ultra-7-155h', 'epyc-9654', 'ryzen-9-7950x']) {
      const p = project(rn, [hw(id)]).projections[0];
      expect(p.mfu, id).toBeGreaterThan(0.05);
      expect(p.mfu, id).toBeLessThan(0.57);
    }
  });

  it('lands the held-out published figures (every third case, never fitted) within 1.5× on at least 80%', () => {
    const gpu = CASES.filter((c) => c.hardware.kind === 'gpu');
    const held = gpu.filter((_, i) => i % 3 === 2);
    expect(held.length).toBeGreaterThanOrEqual(8);
    const ratios = held.map((c) => {
      const w = c.build();
      const p = project(w, [c.hardware], c.opts).projections[0];
      return measure(c.metric, p, w).mid / c.published;
    });
    for (const r of ratios) expect(Number.isFinite(r) && r > 0).toBe(true);
    expect(ratios.filter((r) => r >= 1 / 1.5 && r <= 1.5).length / ratios.length).toBeGreaterThanOrEqual(0.8);
  });
});
