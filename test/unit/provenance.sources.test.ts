/**
 * Provenance of values the script states: each kind of source is labelled as coming from the script (`literal`)
 * with the line that states it, never `default` (issue 16). One snippet per kind of source.
 */
import { describe, expect, it } from 'vitest';
import { analyze } from '../../src/core/analyze';
import type { Analysis, Assumption } from '../../src/core/types';

function assumption(text: string, name: string): { a: Analysis; s: Assumption } {
  const a = analyze({ text, file: 'script.py' });
  const s = a.assumptions.find((x) => x.name === name);
  if (!s) throw new Error(`no '${name}' assumption: ${a.assumptions.map((x) => x.name).join(', ')}`);
  return { a, s };
}

/** 1-based line of the first line containing `needle`. */
const lineOf = (text: string, needle: string) => text.split('\n').findIndex((l) => l.includes(needle)) + 1;

function check(text: string, name: string, value: unknown, needle: string, note: RegExp): void {
  const { s } = assumption(text, name);
  expect(s.value).toBe(value);
  expect(s.source).toBe('literal');
  expect(s.loc?.line).toBe(lineOf(text, needle));
  expect(s.note).toMatch(note);
}

const TRAIN_LOOP = [
  'opt = torch.optim.AdamW(model.parameters())',
  'for step in range(100):',
  "    x = torch.randn(64, 1024, device='cuda')",
  '    with ctx:',
  '        loss = model(x).sum()',
  '    loss.backward()',
  '    opt.step()',
].join('\n');

describe('a dtype the script states is literal, at its line', () => {
  it('from_pretrained(..., torch_dtype=torch.bfloat16)', () => {
    const text = [
      'import torch', 'from transformers import AutoModelForCausalLM',
      "model = AutoModelForCausalLM.from_pretrained('gpt2', torch_dtype=torch.bfloat16)",
      'out = model.generate(torch.randint(0, 50000, (1, 32)), max_new_tokens=16)',
    ].join('\n');
    check(text, 'dtype', 'bf16', 'torch_dtype', /torch_dtype=bf16 in the script/);
  });

  it('a diffusers pipeline with torch_dtype=torch.float16', () => {
    const text = [
      'import torch', 'from diffusers import StableDiffusionPipeline',
      "pipe = StableDiffusionPipeline.from_pretrained('runwayml/stable-diffusion-v1-5', torch_dtype=torch.float16).to('cuda')",
      "images = pipe('a photo of a cat').images",
    ].join('\n');
    check(text, 'dtype', 'fp16', 'torch_dtype', /torch_dtype=fp16/);
  });

  it('torch.autocast(..., dtype=torch.bfloat16) around the forward', () => {
    const text = ['import torch', 'import torch.nn as nn', 'model = nn.Linear(1024, 1024).cuda()',
      "ctx = torch.autocast(device_type='cuda', dtype=torch.bfloat16)", TRAIN_LOOP].join('\n');
    check(text, 'dtype', 'bf16', 'torch.autocast', /autocast\(dtype=bf16\)/);
  });

  it("a config's dtype = 'bfloat16' mapped to a torch dtype for autocast (nanoGPT style): the autocast line", () => {
    const text = ['import torch', 'import torch.nn as nn', "dtype = 'bfloat16'", 'model = nn.Linear(1024, 1024).cuda()',
      "ptdtype = {'float32': torch.float32, 'bfloat16': torch.bfloat16, 'float16': torch.float16}[dtype]",
      "ctx = torch.amp.autocast(device_type='cuda', dtype=ptdtype)", TRAIN_LOOP].join('\n');
    check(text, 'dtype', 'bf16', 'torch.amp.autocast', /autocast\(dtype=bf16\)/);
  });

  it('model.half()', () => {
    const text = ['import torch', 'import torch.nn as nn', 'model = nn.Linear(1024, 1024).cuda()', 'model.half()',
      'import contextlib', 'ctx = contextlib.nullcontext()', TRAIN_LOOP].join('\n');
    check(text, 'dtype', 'fp16', 'model.half()', /model\.half/);
  });

  it('TrainingArguments(bf16=True)', () => {
    const text = [
      'from transformers import AutoModelForCausalLM, Trainer, TrainingArguments',
      "model = AutoModelForCausalLM.from_pretrained('gpt2')",
      "args = TrainingArguments(output_dir='out', per_device_train_batch_size=8, bf16=True, max_steps=100)",
      'trainer = Trainer(model=model, args=args, train_dataset=None)', 'trainer.train()',
    ].join('\n');
    check(text, 'dtype', 'bf16', 'TrainingArguments(output_dir', /TrainingArguments\(bf16=True\)/);
  });

  it('without any of these, the dtype stays a default (the control)', () => {
    const text = ['import torch', 'import torch.nn as nn', 'model = nn.Linear(1024, 1024)', 'import contextlib', 'ctx = contextlib.nullcontext()', TRAIN_LOOP].join('\n');
    const { s } = assumption(text, 'dtype');
    expect(s.source).toBe('default');
    expect(s.value).toBe('fp32');
  });
});

describe('counts and choices the script states are literal, at their line', () => {
  it("a pipeline's num_images_per_prompt=4 is the batch", () => {
    const text = [
      'import torch', 'from diffusers import StableDiffusionPipeline',
      "pipe = StableDiffusionPipeline.from_pretrained('runwayml/stable-diffusion-v1-5', torch_dtype=torch.float16).to('cuda')",
      "images = pipe('a photo of a cat', num_images_per_prompt=4).images",
    ].join('\n');
    check(text, 'batch', 4, 'num_images_per_prompt', /num_images_per_prompt=4/);
  });

  it('one prompt and no num_images_per_prompt: one image per call, a default', () => {
    const text = [
      'import torch', 'from diffusers import StableDiffusionPipeline',
      "pipe = StableDiffusionPipeline.from_pretrained('runwayml/stable-diffusion-v1-5')",
      "images = pipe('a photo of a cat').images",
    ].join('\n');
    const { s } = assumption(text, 'batch');
    expect(s.value).toBe(1);
    expect(s.source).not.toBe('literal');
  });

  it('TrainingArguments(optim="paged_adamw_8bit") is the optimizer', () => {
    const text = [
      'from transformers import AutoModelForCausalLM, Trainer, TrainingArguments',
      "model = AutoModelForCausalLM.from_pretrained('gpt2')",
      'args = TrainingArguments(',
      "    output_dir='out', per_device_train_batch_size=8,",
      '    optim="paged_adamw_8bit", max_steps=100)',
      'trainer = Trainer(model=model, args=args, train_dataset=None)', 'trainer.train()',
    ].join('\n');
    check(text, 'optimizer', 'adam8bit', 'TrainingArguments(', /optim="paged_adamw_8bit" in TrainingArguments: 2 bytes of state/);
  });

  it('a Trainer without optim= keeps the default optimizer, labelled default', () => {
    const text = [
      'from transformers import AutoModelForCausalLM, Trainer, TrainingArguments',
      "model = AutoModelForCausalLM.from_pretrained('gpt2')",
      "args = TrainingArguments(output_dir='out', per_device_train_batch_size=8, max_steps=100)",
      'trainer = Trainer(model=model, args=args, train_dataset=None)', 'trainer.train()',
    ].join('\n');
    const { s } = assumption(text, 'optimizer');
    expect(s.source).toBe('default');
  });
});
