/**
 * Scripts in styles the PyTorch-measured fixtures do not cover — Lightning, Hugging Face loops and
 * Trainer, torch.compile, activation checkpointing, generation and diffusion pipelines — with
 * figures derived independently (parameter arithmetic, dataset sizes, published configs).
 */
import { describe, expect, it } from 'vitest';
import * as fs from 'fs';
import * as path from 'path';
import { analyze } from '../../src/core/analyze';

const ROOT = path.resolve(__dirname, '../..');
const run = (rel: string, overrides: Record<string, string> = {}) =>
  analyze({ text: fs.readFileSync(path.join(ROOT, rel), 'utf8'), file: path.basename(rel), settings: { overrides } });

describe('scripts in other styles', () => {
  it('Lightning: Trainer(max_epochs=20, precision="16-mixed").fit(model, loader)', () => {
    const a = run('test/fixtures/general/lightning_cifar.py');
    // conv 3→64 (1,792) + conv 64→128 (73,856) + linear 128→10 (1,290)
    expect(a.model.params).toBe(76_938);
    expect(a.run.mode).toBe('train');
    expect(a.run.steps).toBe(20 * Math.ceil(50_000 / 256));
    expect(a.run.dtype).toBe('fp16');
    expect(a.step.batch).toBe(256);
  });

  it('Hugging Face BERT with a manual loop and tokenizer padding to max_length', () => {
    const a = run('test/fixtures/general/hf_bert_loop.py');
    expect(a.model.source).toBe('catalog');
    expect(a.run.mode).toBe('train');
    expect(a.step.seqLen).toBe(256);
    expect(a.run.steps).toBe(3 * Math.ceil(25_000 / 32));
    expect(a.model.params).toBeGreaterThan(109e6);
  });

  it('torch.compile on nn.Sequential(*layers) under bf16 autocast', () => {
    const a = run('test/fixtures/general/compiled_mlp.py');
    expect(a.model.params).toBe(1024 * 4096 + 4096 + 4096 * 4096 + 4096 + 4096 * 1024 + 1024);
    expect(a.run.runtime).toBe('compiled');
    expect(a.run.dtype).toBe('bf16');
    expect(a.step.forwardFlops).toBe(2 * 512 * (1024 * 4096 + 4096 * 4096 + 4096 * 1024));
    expect(a.run.optimizerBytesPerParam).toBe(4);
  });

  it('activation checkpointing adds one forward of recompute and keeps segment inputs only', () => {
    const a = run('test/fixtures/general/checkpointed_blocks.py');
    expect(a.step.trainFlops).toBe(4 * a.step.forwardFlops);
    expect(a.run.recompute).toBe('full');
    const full = 4 * 64 * 128 * (512 + 2048 + 2048 + 512) * 4;
    expect(a.memory.activations).toBeLessThan(full);
    expect(a.memory.activations).toBeGreaterThan(4 * 64 * 128 * 512 * 4);
  });

  it('a LoRA fine-tune with the HF Trainer counts adapters as trainable', () => {
    const a = run('examples/llama_lora_finetune.py');
    expect(a.model.params).toBeGreaterThan(8.0e9);
    expect(a.model.trainableParams).toBeLessThan(0.01 * a.model.params);
    expect(a.run.mode).toBe('train');
    expect(a.step.seqLen).toBe(2048);
    expect(a.step.microBatches).toBe(8);
  });

  it('generation: prefill and decode, KV cache, one request', () => {
    const a = run('examples/chat_generate.py');
    expect(a.run.mode).toBe('infer');
    expect(a.run.newTokens).toBeGreaterThan(0);
    expect(a.memory.kvCache).toBeGreaterThan(0);
    expect(a.ops.some((o) => o.phase === 'decode')).toBe(true);
    expect(a.ops.some((o) => o.phase === 'prefill')).toBe(true);
  });

  it('diffusion pipeline: denoiser steps, text encoder, VAE decode', () => {
    const a = run('examples/sd_image_gen.py');
    expect(a.run.mode).toBe('infer');
    expect(a.run.throughputUnit).toBe('images/s');
    expect(new Set(a.ops.map((o) => o.phase))).toEqual(new Set(['encode', 'denoise', 'decode-vae']));
  });

  it('Hugging Face Accelerate: accumulate() steps every N batches, mixed precision applies', () => {
    const a = run('test/fixtures/general/accelerate_vit.py');
    expect(a.step.microBatches).toBe(4);
    expect(a.run.steps).toBe(Math.floor((5 * Math.ceil(75_750 / 32)) / 4));
    expect(a.run.dtype).toBe('bf16');
    expect(a.model.params).toBeGreaterThan(85e6);
  });

  it('directives override the script and are reported with their provenance', () => {
    const a = run('examples/mnist_mlp.py', { batch: '512', dtype: 'bf16', steps: '100' });
    expect(a.step.batch).toBe(512);
    expect(a.run.dtype).toBe('bf16');
    expect(a.run.steps).toBe(100);
    expect(a.assumptions.find((x) => x.name === 'batch')?.source).toBe('setting');
  });
});
