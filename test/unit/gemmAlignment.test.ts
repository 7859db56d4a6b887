// Issue 15 (validation row 9): tensor-core GEMMs whose feature dimensions are not a multiple of 16 bytes (an output
// layer over GPT-2's 50,257 tokens) run at half the rate of aligned ones (gemmAlignment.ts, nanoGPT's measured
// padding speed-up). Eager PyTorch pays it; torch.compile pads unless the script turns shape_padding off; graph
// runtimes, CPUs and CUDA-core fp32 GEMMs do not pay it.
import { describe, expect, it } from 'vitest';
import { analyze } from '../../src/core/analyze';
import { getHardware } from '../../src/core/hardware';
import type { HardwareProfile } from '../../src/core/hardware';
import { project } from '../../src/core/project';
import { alignmentScale, gemmFeatureDims, misalignedMultiple, UNALIGNED_GEMM_SCALE } from '../../src/core/project/gemmAlignment';
import { op, workload, workloadOf } from '../validation/builders';

const hw = (id: string): HardwareProfile => getHardware(id) ?? (() => { throw new Error(`no hardware ${id}`); })();

/** An output layer [16384 tokens × 768] → vocab, training, as the whole step. */
function head(vocab: number, dtype: 'bf16' | 'fp32', runtime: 'eager' | 'compiled' | 'graph', matmulPadding?: boolean) {
  const rows = 16384, inF = 768;
  const fwd = 2 * rows * inF * vocab;
  const w = workload(
    [op({ opClass: 'gemm', kind: 'linear', name: 'lm_head', outputShape: [16, 1024, vocab], forwardFlops: fwd, backwardFlops: 2 * fwd, params: inF * vocab, bytesRead: 2 * (rows * inF + inF * vocab), bytesWritten: 2 * rows * vocab, dtype })],
    { dtype, batch: 16, itemsPerStep: 16, mode: 'train' },
  );
  w.run.runtime = runtime;
  if (matmulPadding !== undefined) w.run.matmulPadding = matmulPadding;
  return w;
}

/** Seconds per FLOP of the step on `id` (so the 50,257 and 50,304 layers compare at equal work). */
function perFlop(w: ReturnType<typeof head>, id: string): number {
  const p = project(w, [hw(id)]).projections[0];
  return p.stepSeconds.mid / (w.ops[0].forwardFlops + w.ops[0].backwardFlops);
}

describe('tensor-core GEMMs with unaligned dimensions', () => {
  it('reads K and N from the output shape and the forward FLOPs, and names the multiple they miss', () => {
    const o = { opClass: 'gemm' as const, outputShape: [12, 1024, 50257], forwardFlops: 2 * 12 * 1024 * 768 * 50257 };
    expect(gemmFeatureDims(o)).toEqual({ k: 768, n: 50257 });
    expect(misalignedMultiple(o, 'bf16')).toBe(8);
    expect(misalignedMultiple({ ...o, outputShape: [12, 1024, 50304], forwardFlops: 2 * 12 * 1024 * 768 * 50304 }, 'bf16')).toBe(0);
    // An odd inner dimension counts too (K = 1001), and TF32 needs multiples of 4 only (50,260 is one).
    expect(misalignedMultiple({ opClass: 'gemm', outputShape: [64, 512], forwardFlops: 2 * 64 * 1001 * 512 }, 'fp16')).toBe(8);
    expect(misalignedMultiple({ opClass: 'gemm', outputShape: [64, 50260], forwardFlops: 2 * 64 * 768 * 50260 }, 'tf32')).toBe(0);
    // Not a GEMM, or dimensions that cannot be read: no penalty without evidence.
    expect(misalignedMultiple({ ...o, opClass: 'attention' }, 'bf16')).toBe(0);
    expect(misalignedMultiple({ opClass: 'gemm', outputShape: [], forwardFlops: 1e9 }, 'bf16')).toBe(0);
  });

  it('eager bf16 on an A100: a 50,257-token output layer takes about twice as long per FLOP as a 50,304 one', () => {
    const slow = perFlop(head(50257, 'bf16', 'eager'), 'a100-40gb');
    const fast = perFlop(head(50304, 'bf16', 'eager'), 'a100-40gb');
    expect(slow / fast).toBeGreaterThan(1.7);
    expect(slow / fast).toBeLessThan(1 / UNALIGNED_GEMM_SCALE + 0.01);
  });

  it('torch.compile pads by default; with shape_padding off it pays like eager', () => {
    const padded = perFlop(head(50257, 'bf16', 'compiled'), 'h100-sxm') / perFlop(head(50304, 'bf16', 'compiled'), 'h100-sxm');
    expect(padded).toBeCloseTo(1, 2);
    const unpadded = perFlop(head(50257, 'bf16', 'compiled', false), 'h100-sxm') / perFlop(head(50304, 'bf16', 'compiled', false), 'h100-sxm');
    expect(unpadded).toBeGreaterThan(1.7);
  });

  it('says so in the projection notes where it matters: the vocabulary head, not a 10-class one', () => {
    const notes = project(head(50257, 'bf16', 'eager'), [hw('a100-40gb')]).projections[0].notes;
    expect(notes.some((n) => /half rate \(lm_head: 768 → 50257\); pad the dimension/.test(n))).toBe(true);
    // A 10-class head after a large aligned layer: slowed too, but under 5% of the forward FLOPs, so no note.
    const body = head(50304, 'bf16', 'eager');
    const fwd = 2 * 16384 * 768 * 10;
    body.ops.push(op({ opClass: 'gemm', kind: 'linear', name: 'fc', outputShape: [16384, 10], forwardFlops: fwd, backwardFlops: 2 * fwd, params: 7680, bytesRead: 2 * 16384 * 768, bytesWritten: 2 * 16384 * 10, dtype: 'bf16' }));
    body.forwardFlops = body.ops.reduce((t, o) => t + o.forwardFlops * o.count, 0);
    expect(project(body, [hw('a100-40gb')]).projections[0].notes.some((n) => /half rate/.test(n))).toBe(false);
  });

  it('graph runtimes, CPUs, Apple GPUs and CUDA-core fp32 GEMMs are not concerned', () => {
    const ratio = (vocab: number, dtype: 'bf16' | 'fp32', runtime: 'eager' | 'graph', id: string): number =>
      perFlop(head(vocab, dtype, runtime), id);
    expect(ratio(50257, 'bf16', 'graph', 'a100-40gb') / ratio(50304, 'bf16', 'graph', 'a100-40gb')).toBeCloseTo(1, 2);
    expect(ratio(50257, 'fp32', 'eager', 'epyc-9654') / ratio(50304, 'fp32', 'eager', 'epyc-9654')).toBeCloseTo(1, 2);
    expect(ratio(50257, 'fp32', 'eager', 'apple-m2-gpu') / ratio(50304, 'fp32', 'eager', 'apple-m2-gpu')).toBeCloseTo(1, 2);
    // fp32 without TF32 on an A100 runs on CUDA cores: no vector-width requirement.
    const a100 = hw('a100-40gb');
    const o = head(50257, 'fp32', 'eager').ops[0];
    expect(alignmentScale(a100, o, { dtype: 'fp32', flops: a100.peakFlops.fp32! }, 'eager', {})).toBe(1);
    expect(alignmentScale(a100, o, { dtype: 'tf32', flops: a100.peakFlops.tf32! }, 'eager', {})).toBe(UNALIGNED_GEMM_SCALE);
  });
});

describe('a script that turns off torch.compile shape padding', () => {
  const script = (padding: string, vocab: number): string => `import torch
import torch.nn as nn
import torch._inductor.config
${padding}
model = nn.Sequential(nn.Linear(768, 3072), nn.GELU(), nn.Linear(3072, ${vocab})).cuda()
model = torch.compile(model)
opt = torch.optim.AdamW(model.parameters())
for step in range(1000):
    x = torch.randn(4096, 768, device='cuda')
    with torch.autocast('cuda', dtype=torch.bfloat16):
        loss = model(x).float().pow(2).mean()
    loss.backward()
    opt.step()
    opt.zero_grad()
`;
  const stepOn = (text: string): { padding: boolean | undefined; seconds: number } => {
    const a = analyze({ text, file: 'padding.py' });
    const w = workloadOf(a);
    return { padding: w.run.matmulPadding, seconds: project(w, [hw('a100-40gb')]).projections[0].stepSeconds.mid };
  };

  it('torch._inductor.config.shape_padding = False reaches the run spec and slows the unaligned layer', () => {
    const off = stepOn(script('torch._inductor.config.shape_padding = False', 50257));
    const on = stepOn(script('torch._inductor.config.shape_padding = True', 50257));
    const aligned = stepOn(script('torch._inductor.config.shape_padding = False', 50304));
    expect(off.padding).toBe(false);
    expect(on.padding).toBe(true);
    expect(off.seconds / on.seconds).toBeGreaterThan(1.4);
    // Aligned dimensions do not care about the setting.
    expect(aligned.seconds / on.seconds).toBeLessThan(1.05);
  });

  it('a script that says nothing keeps the default (padded when compiled)', () => {
    expect(stepOn(script('', 50257)).padding).toBeUndefined();
  });
});
