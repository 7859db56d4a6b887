// Issue 15, CPU step times on an AVX-512 Xeon: per-element cost of eager ATen kernels on a CPU core (at the PyTorch
// build's vector width), and matrix libraries on 2 × 512-bit FMA cores (src/core/project/cpuKernels.ts).
import { describe, expect, it } from 'vitest';
import type { HardwareProfile } from '../../src/core/hardware';
import { cpuCoreFromIsa, cpuPeaksFromIsa, isaRates, type CpuIsa } from '../../src/core/hardware/cpuIsa';
import { project } from '../../src/core/project';
import { ATEN_GRAIN, coreOf, ELEMENT_CYCLES, elementFamily, elementSeconds, matrixScale, WIDE_FMA_MATRIX_SCALE } from '../../src/core/project/cpuKernels';
import { op, workload } from '../validation/builders';

const XEON: CpuIsa = { vendor: 'intel', flags: ['avx2', 'fma', 'avx512f'] };
const ZEN4: CpuIsa = { vendor: 'amd', flags: ['avx2', 'fma', 'avx512f'] };
const HASWELL: CpuIsa = { vendor: 'intel', flags: ['avx2', 'fma'] };

const cpu = (isa: CpuIsa, ghz = 3, cores = 1): HardwareProfile => ({
  id: `t-${isa.vendor}-${isa.flags.length}-${isa.torchCapability ?? 'native'}-${cores}`, name: 'test CPU', kind: 'cpu', tier: 'this-machine', cores,
  peakFlops: cpuPeaksFromIsa(isa, cores, ghz), memoryBandwidth: 12.8e9 * cores, memoryBytes: 24e9, cacheBytes: 0,
  cpuCore: cpuCoreFromIsa(isa, ghz), sources: ['test'],
});

describe('ATen kernel families', () => {
  it('maps op kinds to the measured kernel families', () => {
    expect(elementFamily('dropout')).toBe('dropout');
    expect(elementFamily('Dropout2d')).toBe('dropout');
    expect(elementFamily('log_softmax')).toBe('log_softmax');
    expect(elementFamily('softmax')).toBe('softmax');
    expect(elementFamily('cross_entropy')).toBe('cross_entropy');
    expect(elementFamily('layer_norm')).toBe('layer_norm');
    expect(elementFamily('batch_norm')).toBe('batch_norm');
    expect(elementFamily('gelu')).toBe('gelu');
    expect(elementFamily('tanh')).toBe('tanh');
    expect(elementFamily('add')).toBe('default');
  });
});

describe('the core as PyTorch sees it', () => {
  it('takes the vector width from the ISA and ATen at the build capability', () => {
    expect(isaRates(XEON).vectorBits).toBe(512);
    expect(isaRates(HASWELL).vectorBits).toBe(256);
    expect(cpuCoreFromIsa(XEON, 3)).toEqual({ ghz: 3, fp32PerCycle: 64, vectorBits: 512, atenVectorBits: 512 });
    expect(cpuCoreFromIsa({ ...XEON, torchCapability: 'avx2' }, 3).atenVectorBits).toBe(256);
    // A capability wider than the core is capped at the core.
    expect(cpuCoreFromIsa({ ...HASWELL, torchCapability: 'avx512' }, 3).atenVectorBits).toBe(256);
  });

  it('defaults a catalog profile without cpuCore to 32 FLOP/cycle at the clock its fp32 peak implies', () => {
    const p: HardwareProfile = { id: 'x', name: 'x', kind: 'cpu', tier: 'desktop', cores: 8, peakFlops: { fp32: 8 * 32 * 4e9 }, memoryBandwidth: 1e11, memoryBytes: 1e10, sources: [] };
    expect(coreOf(p)).toEqual({ ghz: 4, fp32PerCycle: 32, vectorBits: 256, atenVectorBits: 256 });
    expect(matrixScale(p)).toBe(1);
  });
});

describe('per-element cost of CPU vector kernels', () => {
  it('is elements × measured cycles ÷ clock; dropout (scalar Bernoulli sampling) costs far more than an add', () => {
    const h = cpu(HASWELL, 3);
    expect(elementSeconds(h, 'add', 'fwd', 3e6)).toBeCloseTo((3e6 * ELEMENT_CYCLES.default.fwd) / 3e9, 12);
    expect(elementSeconds(h, 'dropout', 'fwd', 1e6)).toBeCloseTo(20 / 3e3, 9);
    expect(elementSeconds(h, 'dropout', 'fwd', 1e6) / elementSeconds(h, 'add', 'fwd', 1e6)).toBeGreaterThan(10);
    expect(elementSeconds(h, 'add', 'fwd', 0)).toBe(0);
  });

  it('halves vectorised kernels when ATen runs at AVX-512, not scalar ones; an AVX2 build on AVX-512 keeps the AVX2 cost', () => {
    const wide = cpu(XEON);
    const avx2Build = cpu({ ...XEON, torchCapability: 'avx2' });
    expect(elementSeconds(wide, 'tanh', 'fwd', 1e6)).toBeCloseTo(elementSeconds(avx2Build, 'tanh', 'fwd', 1e6) / 2, 12);
    expect(elementSeconds(wide, 'dropout', 'fwd', 1e6)).toBeCloseTo(elementSeconds(avx2Build, 'dropout', 'fwd', 1e6), 12);
  });

  it('splits large tensors over the cores, not small ones (ATen grain 32 Ki elements), and never gets faster with more elements', () => {
    const one = cpu(HASWELL, 3, 1);
    const four = cpu(HASWELL, 3, 4);
    expect(elementSeconds(four, 'gelu', 'fwd', 1e6)).toBeCloseTo(elementSeconds(one, 'gelu', 'fwd', 1e6) / 4, 12);
    expect(elementSeconds(four, 'gelu', 'fwd', 1000)).toBeCloseTo(elementSeconds(one, 'gelu', 'fwd', 1000), 15);
    // Two grains: two threads, the time of one grain on one.
    expect(elementSeconds(four, 'gelu', 'fwd', 2 * ATEN_GRAIN)).toBeCloseTo(elementSeconds(one, 'gelu', 'fwd', ATEN_GRAIN), 15);
    let last = 0;
    for (const n of [1000, 30000, 32768, 40000, 65536, 1e5, 2e5, 1e6]) {
      const t = elementSeconds(four, 'gelu', 'fwd', n);
      expect(t).toBeGreaterThanOrEqual(last);
      last = t;
    }
  });

  it('is nothing on a GPU', () => {
    const g: HardwareProfile = { id: 'g', name: 'g', kind: 'gpu', tier: 'datacenter-gpu', peakFlops: { fp32: 1e13 }, memoryBandwidth: 1e12, memoryBytes: 1e10, sources: [] };
    expect(elementSeconds(g, 'dropout', 'fwd', 1e6)).toBe(0);
    expect(matrixScale(g)).toBe(1);
  });
});

describe('projection of CPU vector ops', () => {
  const ew = (kind: string, elements: number) => op({ kind, name: kind, opClass: 'elementwise', dtype: 'fp32', forwardFlops: elements, bytesRead: 4 * elements, bytesWritten: 4 * elements });
  const step = (kind: string, h: HardwareProfile) => project(workload([ew(kind, 4e6)], { dtype: 'fp32' }), [h]).projections[0].stepSeconds.mid;

  it('a dropout over 4 M elements is bound by its sampling loop, an add of the same bytes by bandwidth', () => {
    const h = cpu(HASWELL, 3);
    const bandwidthBound = step('add', h);
    const dropout = step('dropout', h);
    // 20 cycles × 4 M elements at 3 GHz = 26.7 ms of sampling against ≈4 ms of streaming 32 MB.
    expect(dropout).toBeGreaterThan(0.0267 * 0.99);
    expect(dropout / bandwidthBound).toBeGreaterThan(4);
  });

  it('keeps two ops of different kernel families apart even when their bytes are equal', () => {
    const h = cpu(HASWELL, 3);
    const both = project(workload([ew('add', 4e6), ew('dropout', 4e6)], { dtype: 'fp32' }), [h]).projections[0].stepSeconds.mid;
    // The step's fixed part is counted once, so the pair costs the dropout plus (nearly) the add.
    expect(both - step('add', h)).toBeGreaterThan(0.97 * step('dropout', h));
    expect(both).toBeLessThanOrEqual(step('add', h) + step('dropout', h));
  });
});

describe('matrix libraries on 2 × 512-bit FMA cores', () => {
  it('scale the matrix-class efficiency on ≥ 64 FP32 FLOP/cycle cores only', () => {
    expect(matrixScale(cpu(XEON))).toBe(WIDE_FMA_MATRIX_SCALE);
    expect(matrixScale(cpu(ZEN4))).toBe(1);
    expect(matrixScale(cpu(HASWELL))).toBe(1);
  });

  it('makes a large GEMM on an AVX-512 Intel core 1 / 0.8 slower than the table efficiency alone would', () => {
    const gemm = op({ kind: 'linear', opClass: 'gemm', dtype: 'fp32', forwardFlops: 2e11, bytesRead: 1e6, bytesWritten: 1e6 });
    const h = cpu(XEON);
    const bare: HardwareProfile = { ...h, cpuCore: undefined, id: 'bare' };
    const [scaled, plain] = project(workload([gemm], { dtype: 'fp32' }), [h, bare]).projections.map((p) => p.stepSeconds.mid);
    expect(scaled / plain).toBeCloseTo(1 / WIDE_FMA_MATRIX_SCALE, 2);
  });
});

describe('a loss over many logits on a CPU', () => {
  it('costs the log-softmax of every logit it reads, not of the scalar it writes', () => {
    const h = cpu(HASWELL, 3);
    const logits = 1024 * 10000;
    const ce = op({ kind: 'cross_entropy', name: 'loss', opClass: 'loss', dtype: 'fp32', forwardFlops: 6 * logits, backwardFlops: 6 * logits, bytesRead: 4 * logits, bytesWritten: 4 });
    const p = project(workload([ce], { dtype: 'fp32', mode: 'train' }), [h]).projections[0];
    // 3.0 cycles per logit forward at 3 GHz: 10.2 ms; the backward adds 2.4 cycles per logit.
    expect(p.stepSeconds.mid).toBeGreaterThan((logits * (ELEMENT_CYCLES.cross_entropy.fwd + ELEMENT_CYCLES.cross_entropy.bwd)) / 3e9 * 0.99);
  });
});
