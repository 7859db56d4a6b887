/**
 * Builders for `Analysis` values in the view/host unit tests: fill in every field a test does not care
 * about, so each test states only what it checks.
 */
import type { Analysis, Loc, ModuleSummary, Op, Projection } from '../../src/core/types';

export function loc(line: number, col = 0, endCol = col + 10, endLine = line): Loc {
  return { from: line * 100 + col, to: endLine * 100 + endCol, line, col, endLine, endCol };
}

export function op(p: Partial<Op> = {}): Op {
  return {
    kind: 'linear', opClass: 'gemm', name: 'fc', label: 'nn.Linear', inputShapes: [[32, 512]], outputShape: [32, 256],
    params: 131_328, trainableParams: 131_328, forwardFlops: 2 * 32 * 512 * 256, backwardFlops: 4 * 32 * 512 * 256,
    bytesRead: 4 * (512 * 256 + 32 * 512), bytesWritten: 4 * 32 * 256, savedBytes: 4 * 32 * 512, dtype: 'fp32', count: 1,
    phase: 'forward', traced: true, ...p,
  };
}

export function projection(p: Partial<Projection> = {}): Projection {
  const mid = p.stepSeconds?.mid ?? 0.01;
  return {
    hardwareId: 'h100-sxm', hardwareName: 'NVIDIA H100 SXM', kind: 'gpu',
    stepSeconds: { low: mid * 0.7, mid, high: mid * 1.6 }, runSeconds: { low: mid * 700, mid: mid * 1000, high: mid * 1600 },
    bound: 'compute', shares: { compute: 0.6, memory: 0.3, overhead: 0.1, transfer: 0, communication: 0 },
    fits: true, devicesNeeded: 1, devicesUsed: 1, memoryBytes: 2e9, capacityBytes: 80 * 2 ** 30,
    costUsd: { low: 1, mid: 2, high: 3 }, energyJoules: { low: 1e5, mid: 2e5, high: 3e5 }, mfu: 0.4,
    throughput: { value: 3200, unit: 'samples/s' }, computeDtype: 'fp32', peakFlops: 67e12, notes: [], opSeconds: [], ...p,
  };
}

export function module(p: Partial<ModuleSummary> = {}): ModuleSummary {
  return { name: 'Net', kind: 'class', loc: loc(5, 0, 20), params: 1_000_000, trainableParams: 1_000_000, forwardFlops: 1e9, bytes: 1e7, traced: true, ...p };
}

export const CPU = projection({
  hardwareId: 'epyc-9654', hardwareName: 'AMD EPYC 9654', kind: 'cpu', stepSeconds: { low: 0.7, mid: 1, high: 1.6 },
  runSeconds: { low: 700, mid: 1000, high: 1600 }, peakFlops: 5e12, capacityBytes: 768 * 2 ** 30,
});
export const GPU = projection();
export const SMALL_GPU = projection({
  hardwareId: 't4', hardwareName: 'NVIDIA T4', stepSeconds: { low: 0.05, mid: 0.08, high: 0.12 },
  runSeconds: { low: 50, mid: 80, high: 120 }, capacityBytes: 16 * 2 ** 30, peakFlops: 8e12,
});

export function analysis(p: Partial<Analysis> = {}): Analysis {
  const ops = p.ops ?? [op({ loc: loc(20, 8, 20), declLoc: loc(8, 18, 40) })];
  const fwd = ops.reduce((s, o) => s + o.forwardFlops * o.count, 0);
  return {
    schemaVersion: 1,
    file: 'train.py',
    model: { name: 'Net', params: 1_000_000, trainableParams: 1_000_000, frozenParams: 0, paramBytes: 4e6, source: 'script' },
    step: { batch: 32, microBatches: 1, forwardFlops: fwd, forwardMacs: fwd / 2, vectorFlops: 0, backwardFlops: 2 * fwd, trainFlops: 3 * fwd, bytes: 1e7 },
    memory: { weights: 4e6, gradients: 4e6, optimizer: 8e6, activations: 1e8, inputs: 1e6, kvCache: 0, overhead: 0, peakBytes: 1.17e8 },
    run: {
      mode: 'train', batch: 32, microBatches: 1, dtype: 'fp32', allowTf32: false, optimizerBytesPerParam: 8, steps: 1000,
      inputBytesPerStep: 1e6, throughputUnit: 'samples/s', itemsPerStep: 32, totalFlops: 3 * fwd * 1000,
    },
    ops,
    modules: [module()],
    uncounted: [],
    assumptions: [{ name: 'batch', value: 32, source: 'literal', note: 'DataLoader(batch_size=32)', loc: loc(30) }],
    problems: [],
    projections: [CPU, GPU],
    verdict: { summary: 'A GPU pays off: ×100 faster.', bestCpu: 'epyc-9654', bestGpu: 'h100-sxm', speedup: 100, gpuPaysOff: true, reason: 'compute-bound work' },
    elapsedMs: 12,
    ...p,
  };
}
