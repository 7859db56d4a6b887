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

const GPTJ = `import torch
from transformers import AutoModelForCausalLM
model = AutoModelForCausalLM.from_pretrained("EleutherAI/gpt-j-6b", torch_dtype=torch.float16).cuda().eval()
ids = torch.randint(0, 50400, (1, 128), device="cuda")
with torch.no_grad():
    out = model.generate(ids, max_new_tokens=128, min_new_tokens=128, do_sample=False)
`;

describe('fp4 as a dtype end to end', () => {
  const run = (dtype: string, ids: string[]) => analyze({ text: GPTJ, file: 'gptj.py', settings: { overrides: { dtype } }, hardware: ids.map(hw) });

  it('runs fp4 matmuls at the Blackwell fp4 peak, and elsewhere at fp8 (unpacked) or 16-bit rates, saying so', async () => {
    const { resolvePeak } = await import('../../src/core/project/peaks');
    expect(resolvePeak(hw('b200'), 'fp4', 'gemm', false)).toEqual({ dtype: 'fp4', flops: 9000e12 });
    expect(resolvePeak(hw('gb200'), 'fp4', 'gemm', false).flops).toBe(10000e12);
    expect(resolvePeak(hw('rtx-5090'), 'fp4', 'gemm', false).flops).toBe(1676e12);
    const h100 = resolvePeak(hw('h100-sxm'), 'fp4', 'gemm', false);
    expect(h100).toMatchObject({ dtype: 'fp8', flops: hw('h100-sxm').peakFlops.fp8 });
    expect(h100.fallback).toMatch(/no native fp4/);
    expect(resolvePeak(hw('a100-80gb'), 'fp4', 'gemm', false).dtype).toBe('bf16');
  });

  it('holds fp8 and fp4 weights at 1 and 0.5 bytes per parameter on the device, and the KV cache follows the dtype', () => {
    const held = (dtype: string): number => {
      const note = run(dtype, ['b200']).projections[0].notes.find((n) => /^Weights held in/.test(n)) ?? '';
      const m = /→ ([\d.]+) GiB/.exec(note);
      return m ? Number(m[1]) : Number.NaN;
    };
    const fp16 = run('fp16', ['b200']);
    const params = fp16.model.params;
    const gib = (b: number): number => b / 2 ** 30;
    // Matrix weights at the op dtype's width; the embeddings stay 16-bit.
    expect(held('fp8')).toBeLessThan(gib(params * 1.1));
    expect(held('fp8')).toBeGreaterThan(gib(params * 0.95));
    expect(held('fp4')).toBeLessThan(gib(params * 0.6));
    expect(held('fp4')).toBeGreaterThan(gib(params * 0.5 * 0.95));
    const kv = (dtype: string): number => run(dtype, ['b200']).memory.kvCache;
    expect(kv('fp8') / kv('fp16')).toBeCloseTo(0.5, 5);
    expect(kv('fp4') / kv('fp16')).toBeCloseTo(0.25, 5);
  });

  it('decodes faster in fp4 than in fp8 on a B200 (fewer weight bytes per token)', () => {
    // Under a graph runtime (TensorRT-LLM/vLLM): eager batch-1 decode is host-bound in both dtypes (EAGER_HOST_SECONDS).
    const graph = (dtype: string) => analyze({ text: GPTJ, file: 'gptj.py', settings: { overrides: { dtype, runtime: 'graph' } }, hardware: [hw('b200')] });
    expect(graph('fp4').projections[0].stepSeconds.mid).toBeLessThan(graph('fp8').projections[0].stepSeconds.mid);
  });
});

const TRAIN = (recompute: string): string => `# floplens: recompute=${recompute}
import torch
import torch.nn as nn

class Block(nn.Module):
    def __init__(self, d=512, h=8):
        super().__init__()
        self.ln1 = nn.LayerNorm(d)
        self.qkv = nn.Linear(d, 3 * d)
        self.proj = nn.Linear(d, d)
        self.ln2 = nn.LayerNorm(d)
        self.fc1 = nn.Linear(d, 4 * d)
        self.fc2 = nn.Linear(4 * d, d)
        self.h = h

    def forward(self, x):
        B, T, C = x.shape
        q, k, v = self.qkv(self.ln1(x)).split(C, dim=2)
        q = q.view(B, T, self.h, C // self.h).transpose(1, 2)
        k = k.view(B, T, self.h, C // self.h).transpose(1, 2)
        v = v.view(B, T, self.h, C // self.h).transpose(1, 2)
        y = torch.nn.functional.scaled_dot_product_attention(q, k, v, is_causal=True)
        x = x + self.proj(y.transpose(1, 2).contiguous().view(B, T, C))
        return x + self.fc2(torch.relu(self.fc1(self.ln2(x))))

model = nn.Sequential(*[Block() for _ in range(4)]).cuda()
opt = torch.optim.AdamW(model.parameters())
for step in range(100):
    x = torch.randn(8, 1024, 512, device="cuda")
    loss = model(x).pow(2).mean()
    loss.backward()
    opt.step()
    opt.zero_grad()
`;

describe('activation recomputation FLOPs', () => {
  it('selective recompute re-runs the attention core only; full re-runs the whole forward; both are shown', async () => {
    const { renderMarkdown } = await import('../../src/core/report/markdown');
    const none = analyze({ text: TRAIN('none'), file: 't.py' });
    const sel = analyze({ text: TRAIN('selective'), file: 't.py' });
    const full = analyze({ text: TRAIN('full'), file: 't.py' });
    const attention = workloadOf(sel).ops.reduce((s, o) => s + (o.opClass === 'attention' ? o.forwardFlops * o.count : 0), 0);
    expect(attention).toBeGreaterThan(0);
    expect(none.step.recomputeFlops).toBeUndefined();
    expect(sel.step.recomputeFlops).toBe(attention);
    expect(sel.step.recomputeFlops!).toBeLessThan(0.5 * sel.step.forwardFlops);
    expect(full.step.recomputeFlops).toBe(full.step.forwardFlops);
    expect(sel.step.trainFlops).toBe(none.step.trainFlops! + attention);
    expect(renderMarkdown(sel)).toMatch(/Training FLOPs \/ step \(fwd \+ bwd \+ recompute\) \| [^|]+ of activation recomputation\)/);
    expect(renderMarkdown(none)).toMatch(/Training FLOPs \/ step \(fwd \+ bwd\) \|/);
    // The projected step grows with the recomputed work.
    const t = (a: typeof none): number => a.projections.find((p) => p.hardwareId === 'a100-80gb')!.stepSeconds.mid;
    expect(t(none)).toBeLessThan(t(sel));
    expect(t(sel)).toBeLessThan(t(full));
  });
});

describe('notes and MFU an expert would not flag', () => {
  const FP32 = `import torch
import torch.nn as nn
model = nn.Sequential(nn.Linear(4096, 4096), nn.ReLU(), nn.Linear(4096, 4096)).cuda()
opt = torch.optim.SGD(model.parameters(), lr=0.1)
for step in range(10):
    x = torch.randn(4096, 4096, device="cuda")
    loss = model(x).sum()
    loss.backward()
    opt.step()
`;
  it('does not suggest TF32 on a GeForce whose TF32 tensor rate equals its fp32 rate (RTX 4090)', () => {
    const a = analyze({ text: FP32, file: 'f.py', hardware: [hw('rtx-4090'), hw('a100-80gb')] });
    const n4090 = a.projections.find((p) => p.hardwareId === 'rtx-4090')!.notes.find((n) => /^fp32 matmuls/.test(n))!;
    expect(n4090).toMatch(/enabling TF32 would not raise the peak here/);
    expect(n4090).not.toMatch(/would allow/);
    const a100 = a.projections.find((p) => p.hardwareId === 'a100-80gb')!.notes.find((n) => /^fp32 matmuls/.test(n))!;
    expect(a100).toMatch(/allow_tf32 = True would allow 156/);
  });

  it('torch.compile on a multi-core CPU scales like eager (same oneDNN/BLAS calls): nanoGPT-class MFU on a laptop stays below 55%', () => {
    const text = `import torch
import torch.nn as nn
model = nn.Sequential(*[nn.Sequential(nn.Linear(768, 3072), nn.GELU(), nn.Linear(3072, 768)) for _ in range(12)])
model = torch.compile(model)
opt = torch.optim.AdamW(model.parameters())
for step in range(10):
    x = torch.randn(16, 1024, 768)
    loss = model(x).pow(2).mean()
    loss.backward()
    opt.step()
`;
    const laptop = hw('core-ultra-7-155h');
    const a = analyze({ text, file: 'c.py', hardware: [laptop] });
    expect(a.run.runtime).toBe('compiled');
    const p = a.projections[0];
    expect(p.mfu).toBeGreaterThan(0.2);
    expect(p.mfu).toBeLessThan(0.55);
  });
});

const CIFAR = (workers: number, extra = ''): string => `import torch
import torch.nn as nn
import torchvision
import torchvision.transforms as transforms

train_tf = transforms.Compose([transforms.RandomCrop(32, padding=4), transforms.RandomHorizontalFlip(),${extra} transforms.ToTensor(), transforms.Normalize((0.49, 0.48, 0.45), (0.25, 0.24, 0.26))])
test_tf = transforms.Compose([transforms.ToTensor(), transforms.Normalize((0.49, 0.48, 0.45), (0.25, 0.24, 0.26))])
train = torchvision.datasets.CIFAR10(root="./data", train=True, download=True, transform=train_tf)
test = torchvision.datasets.CIFAR10(root="./data", train=False, download=True, transform=test_tf)
loader = torch.utils.data.DataLoader(train, batch_size=256, shuffle=True, num_workers=${workers})
model = nn.Sequential(nn.Conv2d(3, 32, 3, padding=1), nn.ReLU(), nn.Flatten(), nn.Linear(32 * 32 * 32, 10)).cuda()
opt = torch.optim.SGD(model.parameters(), lr=0.1)
for epoch in range(2):
    for x, y in loader:
        x, y = x.cuda(), y.cuda()
        loss = nn.functional.cross_entropy(model(x), y)
        opt.zero_grad()
        loss.backward()
        opt.step()
`;

describe('the input pipeline follows the script\'s own transform list', () => {
  it('records the training transforms (the longer list, not the test one) and no decode for in-memory CIFAR arrays', () => {
    const a = analyze({ text: CIFAR(2), file: 'c.py' });
    expect(a.run.inputTransforms).toEqual(['RandomCrop', 'RandomHorizontalFlip', 'ToTensor', 'Normalize']);
    expect(a.run.inputDecode).toBeUndefined();
    expect(a.run.loaderWorkers).toBe(2);
  });

  it('marks ImageFolder samples as decoded from files', () => {
    const text = `import torch
from torchvision import datasets, transforms
tf = transforms.Compose([transforms.RandomResizedCrop(224), transforms.RandomHorizontalFlip(), transforms.ToTensor()])
ds = datasets.ImageFolder("/data/train", transform=tf)
loader = torch.utils.data.DataLoader(ds, batch_size=64, num_workers=8)
`;
    const a = analyze({ text, file: 'f.py' });
    expect(a.run.inputDecode).toBe(true);
    expect(a.run.inputTransforms).toEqual(['RandomResizedCrop', 'RandomHorizontalFlip', 'ToTensor']);
  });

  it('costs each transform as measured (bench/input_pipeline.py): CIFAR ≈ 143 µs per image, an ImageNet train pipeline ≈ 2.2 ms', async () => {
    const { transformSeconds } = await import('../../src/core/project/inputPipeline');
    const cifar = transformSeconds({ inputTransforms: ['RandomCrop', 'RandomHorizontalFlip', 'ToTensor', 'Normalize'] }, 3 * 32 * 32)!;
    // Measured through a DataLoader (num_workers=0): 143 µs per image.
    expect(cifar.perSample.mid).toBeGreaterThan(0.75 * 143e-6);
    expect(cifar.perSample.mid).toBeLessThan(1.25 * 143e-6);
    expect(cifar.unmeasured).toEqual([]);
    const imagenet = transformSeconds({ inputTransforms: ['RandomResizedCrop', 'RandomHorizontalFlip', 'ToTensor', 'Normalize'], inputDecode: true }, 3 * 224 * 224)!;
    // decode 1.10 + crop 0.68 + flip 0.045 + ToTensor 0.18 + Normalize 0.14 + index/collate 0.03 ms.
    expect(imagenet.perSample.mid).toBeGreaterThan(2.0e-3);
    expect(imagenet.perSample.mid).toBeLessThan(2.5e-3);
    const jitter = transformSeconds({ inputTransforms: ['RandomResizedCrop', 'ColorJitter', 'ToTensor'], inputDecode: true }, 3 * 224 * 224)!;
    const plain = transformSeconds({ inputTransforms: ['RandomResizedCrop', 'ToTensor'], inputDecode: true }, 3 * 224 * 224)!;
    expect(jitter.perSample.mid - plain.perSample.mid).toBeCloseTo(1.02e-3, 4);
    const custom = transformSeconds({ inputTransforms: ['?', 'RandAugment', 'ToTensor'] }, 3 * 32 * 32)!;
    expect(custom.unmeasured).toEqual(['?', 'RandAugment']);
    expect(transformSeconds({ inputTransforms: [] }, 3072)).toBeUndefined();
    expect(transformSeconds({ inputTransforms: ['ToTensor'] }, Number.NaN)).toBeUndefined();
  });

  it('makes a small CIFAR model on an H100 wait for 2 workers, less for 8, and names the transforms', () => {
    const p = (workers: number) => analyze({ text: CIFAR(workers), file: 'c.py', hardware: [hw('h100-sxm')] }).projections[0];
    const two = p(2);
    const eight = p(8);
    const note = two.notes.find((n) => /^Input pipeline/.test(n))!;
    expect(note).toMatch(/2 DataLoader workers augment ≈ [\d,]+ images\/s/);
    expect(note).toMatch(/RandomCrop → RandomHorizontalFlip → ToTensor → Normalize, measured per transform/);
    expect(note).toMatch(/data-loader-bound/);
    expect(two.bound).toBe('data');
    expect(eight.stepSeconds.mid).toBeLessThan(two.stepSeconds.mid);
    // A heavier pipeline (ColorJitter at 32×32) makes each step wait longer.
    const jitter = analyze({ text: CIFAR(2, ' transforms.ColorJitter(0.4, 0.4, 0.4),'), file: 'c.py', hardware: [hw('h100-sxm')] }).projections[0];
    expect(jitter.stepSeconds.mid).toBeGreaterThan(two.stepSeconds.mid);
  });
});
