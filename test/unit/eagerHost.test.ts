// Issue 15: eager PyTorch's host time per op on a GPU (EAGER_HOST_SECONDS). A step of many small kernels takes
// ops × the host time whatever the GPU; compiled and graph runtimes do not pay it; large steps do not notice it.
import { afterEach, describe, expect, it } from 'vitest';
import { analyze } from '../../src/core/analyze';
import { getHardware } from '../../src/core/hardware';
import type { HardwareProfile } from '../../src/core/hardware';
import { CALL_OVERHEAD_SECONDS, DEFAULT_LAUNCH_SECONDS, EAGER_HOST_SECONDS, eagerGpuOpSeconds, project } from '../../src/core/project';
import { callSeconds, replicaOf } from '../../src/core/serve/model';
import { op, workload, workloadOf } from '../validation/builders';

const hw = (id: string): HardwareProfile => {
  const h = getHardware(id);
  if (!h) throw new Error(id);
  return h;
};

/** A small CNN classifying one image at a time on a GPU: 4 convs, 4 ReLUs, a pool and a Linear per call. */
const SMALL_CNN = (batch: number, runtime?: string): string => `${runtime ? `# floplens: runtime=${runtime}\n` : ''}import torch
import torch.nn as nn

model = nn.Sequential(
    nn.Conv2d(3, 32, 3, padding=1), nn.ReLU(),
    nn.Conv2d(32, 32, 3, padding=1), nn.ReLU(),
    nn.Conv2d(32, 64, 3, padding=1), nn.ReLU(),
    nn.Conv2d(64, 64, 3, padding=1), nn.ReLU(),
    nn.AdaptiveAvgPool2d(1), nn.Flatten(), nn.Linear(64, 10),
).cuda().eval()
x = torch.randn(${batch}, 3, 64, 64, device="cuda")
with torch.no_grad():
    for _ in range(100):
        y = model(x)
`;

function step(text: string, id: string): { seconds: number; bound: string; ops: number } {
  const a = analyze({ text, file: 'eager_host.py', hardware: [hw(id)] });
  const w = workloadOf(a);
  const p = project(w, [hw(id)]).projections[0];
  const ops = w.ops.filter((o) => o.phase !== 'optimizer').reduce((s, o) => s + (o.count ?? 1), 0);
  return { seconds: p.stepSeconds.mid, bound: p.bound, ops };
}

const saved = EAGER_HOST_SECONDS.gpu;
afterEach(() => { EAGER_HOST_SECONDS.gpu = saved; });

describe('eager GPU host time per op', () => {
  it('is the fitted host time, or the device launch cost when that is larger; a bad launch cost falls back to the default', () => {
    expect(eagerGpuOpSeconds(10e-6)).toBe(Math.max(EAGER_HOST_SECONDS.gpu, 10e-6));
    expect(eagerGpuOpSeconds(1e-3)).toBe(1e-3);
    expect(eagerGpuOpSeconds(undefined)).toBe(Math.max(EAGER_HOST_SECONDS.gpu, DEFAULT_LAUNCH_SECONDS.gpu));
    expect(eagerGpuOpSeconds(Number.NaN)).toBe(Math.max(EAGER_HOST_SECONDS.gpu, DEFAULT_LAUNCH_SECONDS.gpu));
    expect(eagerGpuOpSeconds(-1)).toBe(Math.max(EAGER_HOST_SECONDS.gpu, DEFAULT_LAUNCH_SECONDS.gpu));
    // Sources in efficiency.ts bound it at ≈20–60 µs per op.
    expect(EAGER_HOST_SECONDS.gpu).toBeGreaterThanOrEqual(20e-6);
    expect(EAGER_HOST_SECONDS.gpu).toBeLessThanOrEqual(60e-6);
  });

  it('makes a batch-1 eager step host-bound: ops × host time plus the call overhead, the same on a T4 and an H100', () => {
    const t4 = step(SMALL_CNN(1), 't4');
    const h100 = step(SMALL_CNN(1), 'h100-sxm');
    expect(t4.bound).toBe('overhead');
    expect(h100.bound).toBe('overhead');
    expect(t4.ops).toBeGreaterThanOrEqual(10);
    const expected = t4.ops * EAGER_HOST_SECONDS.gpu + CALL_OVERHEAD_SECONDS.eager;
    expect(t4.seconds).toBeGreaterThan(0.9 * expected);
    expect(t4.seconds).toBeLessThan(1.2 * expected);
    expect(h100.seconds / t4.seconds).toBeGreaterThan(0.9);
    expect(h100.seconds / t4.seconds).toBeLessThan(1.1);
  });

  it('scales with the host time in eager mode and is not paid by graph runtimes', () => {
    // Above every kernel's time (the longest conv here is ≈30 µs on a T4), each op pays the whole increase.
    EAGER_HOST_SECONDS.gpu = 80e-6;
    const lo = step(SMALL_CNN(1), 't4');
    EAGER_HOST_SECONDS.gpu = 160e-6;
    const hi = step(SMALL_CNN(1), 't4').seconds;
    expect((hi - lo.seconds) / (lo.ops * 80e-6)).toBeGreaterThan(0.95);
    expect((hi - lo.seconds) / (lo.ops * 80e-6)).toBeLessThan(1.05);
    const graph = step(SMALL_CNN(1, 'graph'), 't4').seconds;
    EAGER_HOST_SECONDS.gpu = 20e-6;
    expect(step(SMALL_CNN(1, 'graph'), 't4').seconds).toBeCloseTo(graph, 12);
    expect(graph).toBeLessThan(hi / 2);
  });

  it('leaves a large-batch step (kernels far longer than the host time) within 2%', () => {
    EAGER_HOST_SECONDS.gpu = 10e-6;
    const lo = step(SMALL_CNN(512), 't4');
    EAGER_HOST_SECONDS.gpu = 50e-6;
    const hi = step(SMALL_CNN(512), 't4');
    expect(hi.bound).not.toBe('overhead');
    expect(hi.seconds / lo.seconds).toBeLessThan(1.02);
    expect(hi.seconds / lo.seconds).toBeGreaterThanOrEqual(1);
  });

  it('queues dispatch against the kernels: one long kernel hides the host time of many short ops (max of the totals, not a sum of maxima)', () => {
    // One 1e13-FLOP GEMM (≈ 16 ms on an H100 at the fitted efficiency) and 100 tiny element-wise ops.
    const gemm = op({ name: 'big', kind: 'linear', opClass: 'gemm', forwardFlops: 1e13, bytesRead: 1e8, bytesWritten: 1e8, dtype: 'bf16' });
    const tiny = Array.from({ length: 100 }, (_, i) => op({ name: `t${i}`, forwardFlops: 1e3, bytesRead: 2e3, bytesWritten: 2e3 }));
    const both = project(workload([gemm, ...tiny]), [hw('h100-sxm')]).projections[0];
    const alone = project(workload([gemm]), [hw('h100-sxm')]).projections[0];
    const tinyOnly = project(workload(tiny), [hw('h100-sxm')]).projections[0];
    const host = 101 * eagerGpuOpSeconds(hw('h100-sxm').launchOverheadSeconds);
    expect(alone.stepSeconds.mid - CALL_OVERHEAD_SECONDS.eager).toBeGreaterThan(host);
    // The tiny ops' kernels still run (≈ 2 µs ramp each), their dispatch hides behind the GEMM.
    expect(both.stepSeconds.mid).toBeLessThan(alone.stepSeconds.mid + 100 * 3e-6);
    expect(both.stepSeconds.mid).toBeGreaterThan(alone.stepSeconds.mid);
    // Alone, the tiny ops are host-bound: 100 × the host time.
    expect(tinyOnly.bound).toBe('overhead');
    expect(tinyOnly.stepSeconds.mid).toBeCloseTo(100 * eagerGpuOpSeconds(hw('h100-sxm').launchOverheadSeconds) + CALL_OVERHEAD_SECONDS.eager, 9);
  });

  it('prices the serving model\'s eager GPU launches the same way (compiled keeps the device launch cost)', () => {
    const work = { flops: 1e6, bytes: 1e6, matrixKernels: 100, vectorKernels: 0, hostCalls: 0 };
    const eager = callSeconds(replicaOf(hw('h100-sxm'), { runtime: 'eager', dtype: 'bf16' }), work, 'mid');
    const compiled = callSeconds(replicaOf(hw('h100-sxm'), { runtime: 'compiled', dtype: 'bf16' }), work, 'mid');
    expect(eager).toBeCloseTo(100 * eagerGpuOpSeconds(hw('h100-sxm').launchOverheadSeconds), 9);
    expect(compiled).toBeLessThan(eager / 2);
  });
});
