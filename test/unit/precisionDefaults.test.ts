/**
 * Precision set for the model a script builds (issue 15, devices and dtypes): `torch.set_default_dtype`, torchtune's
 * `training.get_dtype(cfg.dtype)` + `with training.set_default_dtype(dt):` (a recipe's `dtype: bf16`) and Lightning
 * Fabric's `precision='bf16-true' | 'bf16-mixed'` reach the step: weight bytes, activation dtype and the compute peak
 * of the projections, with the source stated.
 */
import { describe, expect, it } from 'vitest';
import { check } from './snippetCheck';
import { analyze } from '../../src/core/analyze';
import { lightningPrecision } from '../../src/core/interpret/lib/precision';

const run = (text: string) => analyze({ text, file: 'train.py' });
const dtypeNote = (a: ReturnType<typeof run>) => a.assumptions.find((x) => x.name === 'dtype')?.note ?? '';
const h100 = (a: ReturnType<typeof run>) => a.projections.find((p) => p.hardwareId === 'h100-sxm')?.stepSeconds.mid ?? NaN;

const TRAIN = `
x = torch.randn(8192, 4096)
for step in range(10):
    loss = model(x).sum()
    loss.backward()
    opt.step()
    opt.zero_grad()
`;

describe('the dtype a model is built in', () => {
  it('torch.set_default_dtype: layers built after it are in that dtype', () => {
    check(`
import torch
import torch.nn as nn
a = nn.Linear(8, 8)
torch.set_default_dtype(torch.bfloat16)
b = nn.Linear(8, 8)
y = b(a(torch.randn(4, 8)))
`, 'ops = nn.Linear fp32 grad; nn.Linear bf16 grad');
  });

  it("torchtune: get_dtype('bf16') and the set_default_dtype context; what is built after it is not", () => {
    check(`
import torch
import torch.nn as nn
from torchtune import training
dt = training.get_dtype('bf16', device=torch.device('cuda'))
full = training.get_dtype(None)
with training.set_default_dtype(dt), torch.device('cuda'):
    inside = nn.Linear(8, 8)
after = nn.Linear(8, 8)
y = after(inside(torch.randn(4, 8)))
`, 'dt = torch.bfloat16\nfull = torch.float32\nops = nn.Linear bf16 grad; nn.Linear fp32 grad');
  });

  it('a catalog model built in a bf16 default: 2-byte weights, bf16 step, the source stated, a faster GPU step', () => {
    const body = (dtypeLine: string) => `
import torch
from torchtune import training
from transformers import AutoModelForCausalLM
${dtypeLine}
with training.set_default_dtype(dt):
    model = AutoModelForCausalLM.from_pretrained('gpt2')
opt = torch.optim.AdamW(model.parameters())
ids = torch.randint(0, 50000, (8, 512))
for step in range(10):
    loss = model(ids).loss
    loss.backward()
    opt.step()
    opt.zero_grad()
`;
    const bf16 = run(body("dt = training.get_dtype('bf16')"));
    const fp32 = run(body("dt = training.get_dtype('fp32')"));
    expect(bf16.run.dtype).toBe('bf16');
    expect(fp32.run.dtype).toBe('fp32');
    expect(bf16.memory.weights).toBeCloseTo(2 * bf16.model.params, -3);
    expect(fp32.memory.weights).toBeCloseTo(4 * fp32.model.params, -3);
    expect(bf16.memory.activations).toBeLessThan(fp32.memory.activations);
    expect(dtypeNote(bf16)).toMatch(/set_default_dtype\(bf16\)/);
    expect(h100(bf16)).toBeLessThan(h100(fp32));
  });

  it("Fabric(precision='bf16-true') casts the weights; 'bf16-mixed' keeps fp32 weights and runs the forward in bf16", () => {
    const body = (prec: string) => `
import torch
import torch.nn as nn
import lightning as L
fabric = L.Fabric(accelerator='cuda', devices=1, precision='${prec}')
model = nn.Sequential(nn.Linear(4096, 8192), nn.ReLU(), nn.Linear(8192, 4096))
opt = torch.optim.AdamW(model.parameters())
model, opt = fabric.setup(model, opt)
${TRAIN}`;
    const trueBf16 = run(body('bf16-true'));
    const mixed = run(body('bf16-mixed'));
    const full = run(body('32-true'));
    const params = full.model.params;
    expect(trueBf16.memory.weights).toBe(2 * params);
    expect(mixed.memory.weights).toBe(4 * params);
    expect(full.memory.weights).toBe(4 * params);
    expect(trueBf16.run.dtype).toBe('bf16');
    expect(mixed.run.dtype).toBe('bf16');
    expect(full.run.dtype).toBe('fp32');
    expect(mixed.memory.activations).toBeLessThan(full.memory.activations);
    expect(dtypeNote(mixed)).toMatch(/Fabric\(precision="bf16-mixed"\)/);
    expect(h100(mixed)).toBeLessThan(h100(full));
  });

  it('Lightning precision strings', () => {
    expect(lightningPrecision('bf16-true')).toEqual({ dtype: 'bf16', weights: true });
    expect(lightningPrecision('bf16-mixed')).toEqual({ dtype: 'bf16', weights: false });
    expect(lightningPrecision('16-mixed')).toEqual({ dtype: 'fp16', weights: false });
    expect(lightningPrecision('32-true')).toBeUndefined();
    expect(lightningPrecision('64')).toBeUndefined();
  });
});
