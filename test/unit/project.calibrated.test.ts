// Issue 15, calibrated projections: graph runtimes merge sibling GEMMs (fused QKV, gate/up) into one kernel; the
// per-kernel ramp takes the band of its class efficiency; the GPU bandwidth band is the one the fit residuals give.
import { describe, expect, it } from 'vitest';
import { analyze } from '../../src/core/analyze';
import { getHardware } from '../../src/core/hardware';
import type { HardwareProfile } from '../../src/core/hardware';
import { EFFICIENCY, project, RAMP_SECONDS } from '../../src/core/project';
import { GPU_MEMORY_BAND } from '../../src/core/project/efficiency';
import { horizontalSiblings } from '../../src/core/project/fusion';
import type { Op, Workload } from '../../src/core/types';
import { DTYPE_BYTES } from '../../src/core/types';
import { op, workload, workloadOf } from '../validation/builders';

const hw = (id: string): HardwareProfile => {
  const h = getHardware(id);
  if (!h) throw new Error(id);
  return h;
};

const ATTENTION = (runtime: string): string => `# floplens: runtime=${runtime}
import torch
import torch.nn as nn

class Attention(nn.Module):
    def __init__(self, d=1024):
        super().__init__()
        self.q_proj = nn.Linear(d, d)
        self.k_proj = nn.Linear(d, d)
        self.v_proj = nn.Linear(d, d)
        self.o_proj = nn.Linear(d, d)

    def forward(self, x):
        q = self.q_proj(x)
        k = self.k_proj(x)
        v = self.v_proj(x)
        y = torch.nn.functional.scaled_dot_product_attention(q, k, v)
        return self.o_proj(y)

model = Attention().cuda().half().eval()
x = torch.randn(1, 16, 1024, device="cuda", dtype=torch.half)
with torch.no_grad():
    out = model(x)
`;

describe('graph runtimes merge sibling GEMMs into one kernel', () => {
  it('finds k_proj and v_proj as siblings of q_proj (same module, same input), not o_proj after the attention', () => {
    const a = analyze({ text: ATTENTION('graph'), file: 'attn.py', hardware: [hw('a100-80gb')] });
    const ops = workloadOf(a).ops;
    const siblings = horizontalSiblings(ops, (o) => o.params * DTYPE_BYTES[o.dtype]);
    const names = ops.filter((_, i) => siblings[i] > 0).map((o) => o.name);
    expect(names).toEqual(['model.k_proj', 'model.v_proj']);
    // The shared input is the [1, 16, 1024] fp16 activation.
    expect(siblings[ops.findIndex((o) => o.name === 'model.k_proj')]).toBe(16 * 1024 * 2);
    expect(a.projections[0].notes.some((n) => /^2 GEMMs merged into the kernel of a sibling/.test(n))).toBe(true);
  });

  it('saves the siblings\' ramps under a graph runtime only; eager PyTorch keeps one kernel per nn.Linear', () => {
    const a = analyze({ text: ATTENTION('graph'), file: 'attn.py', hardware: [hw('a100-80gb')] });
    const w = workloadOf(a);
    // The same ops with the siblings moved to other modules: nothing to merge.
    const apart: Workload = { ...w, ops: w.ops.map((o) => (/[kv]_proj$/.test(o.name) ? { ...o, name: `other_${o.name.slice(-6)}.${o.name}` } : o)) };
    const fused = project(w, [hw('a100-80gb')]).projections[0];
    const separate = project(apart, [hw('a100-80gb')]).projections[0];
    const saved = separate.stepSeconds.mid - fused.stepSeconds.mid;
    // Two kernels' ramps (6 µs each) less the siblings' own weight streaming (2 MiB each, ≈1.4 µs at 75% of 2 TB/s),
    // at most the ramps plus the two siblings' launches and input reads.
    expect(saved).toBeGreaterThanOrEqual(2 * (RAMP_SECONDS.gpu.matrix - 1.5e-6));
    expect(saved).toBeLessThan(2 * (RAMP_SECONDS.gpu.matrix + 10e-6));
    expect(separate.notes.some((n) => /merged/.test(n))).toBe(false);
    const eager = analyze({ text: ATTENTION('eager'), file: 'attn.py', hardware: [hw('a100-80gb')] }).projections[0];
    expect(eager.notes.some((n) => /merged/.test(n))).toBe(false);
  });

  it('does not merge GEMMs of different inputs, phases or call counts', () => {
    const lin = (name: string, p: Partial<Op> = {}): Op => op({ opClass: 'gemm', kind: 'linear', name, params: 1024 * 1024, bytesRead: 2 * 1024 * 1024 + 2048, bytesWritten: 2048, forwardFlops: 2 * 1024 * 1024, dtype: 'fp16', ...p });
    const w = (b: Op): Op[] => [lin('blk.a'), b];
    const wb = (o: Op): number => o.params * 2;
    expect(horizontalSiblings(w(lin('blk.b')), wb)[1]).toBe(2048);
    expect(horizontalSiblings(w(lin('blk.b', { bytesRead: 2 * 1024 * 1024 + 8192 })), wb)[1]).toBe(0);
    expect(horizontalSiblings(w(lin('blk.b', { phase: 'decode' })), wb)[1]).toBe(0);
    expect(horizontalSiblings(w(lin('blk.b', { count: 2 })), wb)[1]).toBe(0);
    expect(horizontalSiblings(w(lin('other.b')), wb)[1]).toBe(0);
    expect(horizontalSiblings(w(lin('blk.a')), wb)[1]).toBe(0);
  });
});

describe('the bands follow the fitted efficiencies', () => {
  it('a ramp-dominated step has the band of its class efficiency, not a point', () => {
    // 200 tiny GEMMs (1 MFLOP each): the ramp is nearly all of their time.
    const ops = Array.from({ length: 200 }, (_, i) => op({ opClass: 'gemm', kind: 'linear', name: `l${i}`, forwardFlops: 1e6, bytesRead: 4096, bytesWritten: 1024, dtype: 'fp16' }));
    const p = project(workload(ops, { runtime: 'graph' }), [hw('a100-80gb')]).projections[0];
    const g = EFFICIENCY.gpu.gemm.compute;
    // Fast end ≈ mid × low/mid of the efficiency ... no faster; the per-call overhead (0.1 ms) is unbanded.
    expect(p.stepSeconds.low / p.stepSeconds.mid).toBeLessThan(0.9);
    expect(p.stepSeconds.low / p.stepSeconds.mid).toBeGreaterThan(g.mid / g.high - 0.02);
    expect(p.stepSeconds.high / p.stepSeconds.mid).toBeGreaterThan(g.mid / g.low);
  });

  it('gives GPU bandwidth efficiencies the fitted band mid ×/÷ 1.26, capped at 0.95', () => {
    expect(GPU_MEMORY_BAND).toBe(1.26);
    for (const cls of ['gemm', 'conv', 'rnn', 'norm', 'elementwise', 'memory'] as const) {
      const m = EFFICIENCY.gpu[cls].memory;
      expect(m.low, cls).toBeCloseTo(m.mid / GPU_MEMORY_BAND, 2);
      expect(m.high, cls).toBeCloseTo(Math.min(0.95, m.mid * GPU_MEMORY_BAND), 2);
      expect(m.high, cls).toBeLessThanOrEqual(0.95);
    }
  });
});
