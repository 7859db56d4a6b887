/**
 * Optimizer-state and gradient bytes of low-precision weights (issue 15): a plain torch optimizer on weights cast to
 * bf16/fp16 keeps its state in the parameters' dtype (zeros_like) and no fp32 master; autocast keeps fp32 weights and
 * fp32 state; bitsandbytes 8-bit optimizers keep 1 byte per state (its 32-bit ones fp32); PEFT adapters are fp32.
 * Each figure is stated in the `optimizer state` assumption.
 */
import { describe, expect, it } from 'vitest';
import { analyze } from '../../src/core/analyze';

const run = (text: string) => analyze({ text, file: 'train.py' });
const stateNote = (a: ReturnType<typeof run>) => a.assumptions.find((x) => x.name === 'optimizer state');

const model = (cast: string) => `
import torch
import torch.nn as nn
import bitsandbytes as bnb
model = nn.Sequential(nn.Linear(1024, 4096), nn.ReLU(), nn.Linear(4096, 1024)).cuda()${cast}
`;
const loop = (opt: string, dtype = 'torch.float32', autocast = false) => `
opt = ${opt}
for step in range(10):
    x = torch.randn(32, 1024, device='cuda', dtype=${dtype})
${autocast ? "    with torch.autocast('cuda', dtype=torch.bfloat16):\n        loss = model(x).float().pow(2).mean()" : '    loss = model(x).float().pow(2).mean()'}
    loss.backward()
    opt.step()
    opt.zero_grad()
`;

describe('optimizer state bytes follow the parameters\' dtype', () => {
  it('AdamW on a model cast with .to(torch.bfloat16): 2 bf16 states (4 B/param), bf16 gradients, no fp32 master', () => {
    const a = run(model('.to(torch.bfloat16)') + loop('torch.optim.AdamW(model.parameters(), lr=1e-4)', 'torch.bfloat16'));
    const n = a.model.trainableParams;
    expect(n).toBe(1024 * 4096 * 2 + 4096 + 1024);
    expect(a.memory.weights).toBe(2 * n);
    expect(a.memory.gradients).toBe(2 * n);
    expect(a.memory.optimizer).toBe(4 * n);
    expect(stateNote(a)?.value).toBe(4);
    expect(stateNote(a)?.note).toMatch(/parameters' dtype.*no fp32 master/);
  });

  it('SGD with momentum on .half() weights: one fp16 buffer (2 B/param)', () => {
    const a = run(model('.half()') + loop('torch.optim.SGD(model.parameters(), lr=0.1, momentum=0.9)', 'torch.float16'));
    expect(a.memory.optimizer).toBe(2 * a.model.trainableParams);
  });

  it('the same model in fp32 (the control) and under autocast keeps fp32 weights and fp32 Adam state (8 B/param)', () => {
    for (const a of [run(model('') + loop('torch.optim.AdamW(model.parameters())')), run(model('') + loop('torch.optim.AdamW(model.parameters())', 'torch.float32', true))]) {
      const n = a.model.trainableParams;
      expect(a.memory.weights).toBe(4 * n);
      expect(a.memory.gradients).toBe(4 * n);
      expect(a.memory.optimizer).toBe(8 * n);
      expect(stateNote(a)?.note).toMatch(/fp32 state/);
    }
  });

  it('bnb.optim.AdamW8bit on bf16 weights: 1 byte per state (2 B/param), no master; PagedAdamW32bit: fp32 state', () => {
    const eight = run(model('.to(torch.bfloat16)') + loop('bnb.optim.AdamW8bit(model.parameters(), lr=1e-4)', 'torch.bfloat16'));
    expect(eight.memory.optimizer).toBe(2 * eight.model.trainableParams);
    expect(stateNote(eight)?.note).toMatch(/8-bit optimizer: 1 byte per state/);
    const paged = run(model('.to(torch.bfloat16)') + loop('bnb.optim.PagedAdamW32bit(model.parameters(), lr=1e-4)', 'torch.bfloat16'));
    expect(paged.memory.optimizer).toBe(8 * paged.model.trainableParams);
    expect(stateNote(paged)?.note).toMatch(/bitsandbytes keeps fp32 state/);
  });

  it("Fabric(precision='bf16-true') casts the weights: bf16 state; 'bf16-mixed' keeps fp32 state", () => {
    const body = (prec: string) => `${model('')}
import lightning as L
fabric = L.Fabric(accelerator='cuda', devices=1, precision='${prec}')
model, adamw = fabric.setup(model, torch.optim.AdamW(model.parameters()))
${loop('adamw')}`;
    const t = run(body('bf16-true'));
    const m = run(body('bf16-mixed'));
    expect(t.memory.optimizer).toBe(4 * t.model.trainableParams);
    expect(m.memory.optimizer).toBe(8 * m.model.trainableParams);
  });

  const hf = (extra: string, opt = 'torch.optim.AdamW(model.parameters(), lr=1e-5)') => `
import torch
from transformers import AutoModelForCausalLM
from peft import LoraConfig, get_peft_model
model = AutoModelForCausalLM.from_pretrained("gpt2", torch_dtype=torch.bfloat16)
${extra}
opt = ${opt}
for step in range(10):
    ids = torch.randint(0, 50000, (4, 128))
    loss = model(input_ids=ids, labels=ids).loss
    loss.backward()
    opt.step()
    opt.zero_grad()
`;

  it('a full fine-tune loaded with torch_dtype=torch.bfloat16: bf16 Adam state, no master (8 B/param in all)', () => {
    const a = run(hf(''));
    const n = a.model.trainableParams;
    expect(n).toBeGreaterThan(1e8);
    expect(a.memory.weights + a.memory.gradients + a.memory.optimizer).toBe(8 * n);
  });

  it('PEFT LoRA on a bf16 base: the adapters are fp32, so fp32 gradients and fp32 Adam state, no master', () => {
    const a = run(hf('model = get_peft_model(model, LoraConfig(r=16, target_modules=["c_attn"]))'));
    const n = a.model.trainableParams;
    expect(n).toBeGreaterThan(0);
    expect(n).toBeLessThan(a.model.params / 50);
    expect(a.memory.gradients).toBe(4 * n);
    expect(a.memory.optimizer).toBe(8 * n);
    expect(stateNote(a)?.note).toMatch(/PEFT adapters, fp32/);
  });

  it("torchtune builds its LoRA adapters in the recipe's dtype: bf16 gradients and bf16 Adam state", () => {
    const a = run(`
import torch
from torchtune import training
from torchtune.models.llama3_2 import lora_llama3_2_1b
dt = training.get_dtype('bf16', device=torch.device('cuda'))
with training.set_default_dtype(dt):
    model = lora_llama3_2_1b(lora_attn_modules=['q_proj', 'v_proj'], lora_rank=8)
opt = torch.optim.AdamW(model.parameters(), lr=1e-4)
for step in range(10):
    ids = torch.randint(0, 128000, (4, 128))
    loss = model(ids).sum()
    loss.backward()
    opt.step()
    opt.zero_grad()
`);
    const n = a.model.trainableParams;
    expect(n).toBeGreaterThan(0);
    expect(a.memory.gradients).toBe(2 * n);
    expect(a.memory.optimizer).toBe(4 * n);
    expect(stateNote(a)?.note).toMatch(/LoRA adapters in bf16/);
  });

  it('TrainingArguments(optim="paged_adamw_8bit") on a bf16 model: 2 B/param of state', () => {
    const a = run(`
import torch
from transformers import AutoModelForCausalLM, Trainer, TrainingArguments
model = AutoModelForCausalLM.from_pretrained("gpt2", torch_dtype=torch.bfloat16)
args = TrainingArguments(output_dir='out', per_device_train_batch_size=8, bf16=True, max_steps=100, optim="paged_adamw_8bit")
trainer = Trainer(model=model, args=args, train_dataset=None)
trainer.train()
`);
    expect(a.run.optimizer).toBe('adam8bit');
    expect(a.memory.optimizer).toBe(2 * a.model.trainableParams);
  });

  it('inference holds no gradients or optimizer state and states none', () => {
    const a = run(`
import torch
import torch.nn as nn
model = nn.Linear(1024, 1024).to(torch.bfloat16).eval()
with torch.no_grad():
    for i in range(10):
        y = model(torch.randn(8, 1024, dtype=torch.bfloat16))
`);
    expect(a.memory.gradients).toBe(0);
    expect(a.memory.optimizer).toBe(0);
    expect(stateNote(a)).toBeUndefined();
  });
});
