/** Catalog lookup by script names, the "not in catalog" suggestion, and directive-built models. */
import { describe, expect, it } from 'vitest';
import {
  buildModel, configFields, defaultGuidance, defaultSteps, findModel, isTokenModel, llmInferenceWorkload, llmTrainingWorkload,
  modelFromDirective, suggestDirective,
} from '../../src/core/zoo';
import type { LookupHint } from '../../src/core/zoo';

describe('findModel', () => {
  const cases: [name: string, hint: LookupHint | undefined, id: string][] = [
    ['meta-llama/Llama-3.1-8B', 'hf', 'meta-llama/Llama-3.1-8B'],
    ['META-LLAMA/llama-3.1-8b-instruct', undefined, 'meta-llama/Llama-3.1-8B'],
    ['Llama-3.1-8B', 'hf', 'meta-llama/Llama-3.1-8B'],
    ['meta-llama/Meta-Llama-3.1-8B-Instruct', 'hf', 'meta-llama/Llama-3.1-8B'],
    ['meta-llama/Meta-Llama-3-8B-Instruct', 'hf', 'meta-llama/Meta-Llama-3-8B'],
    ['unsloth/llama-3-8b-bnb-4bit', 'hf', 'meta-llama/Meta-Llama-3-8B'],
    ['TheBloke/Llama-2-7B-Chat-GPTQ', 'hf', 'meta-llama/Llama-2-7b-hf'],
    ['meta-llama/Llama-2-70b-chat-hf', 'hf', 'meta-llama/Llama-2-70b-hf'],
    ['meta-llama/Llama-3.2-1B-Instruct', 'hf', 'meta-llama/Llama-3.2-1B'],
    ['meta-llama/Llama-3.3-70B-Instruct', 'hf', 'meta-llama/Llama-3.3-70B-Instruct'],
    ['mistralai/Mistral-7B-Instruct-v0.2', 'hf', 'mistralai/Mistral-7B-v0.1'],
    ['mistralai/Mixtral-8x7B-Instruct-v0.1', 'hf', 'mistralai/Mixtral-8x7B-v0.1'],
    ['Qwen/Qwen2.5-7B-Instruct', 'hf', 'Qwen/Qwen2.5-7B'],
    ['Qwen/Qwen2.5-72B-Instruct-AWQ', 'hf', 'Qwen/Qwen2.5-72B'],
    ['google/gemma-2-9b-it', 'hf', 'google/gemma-2-9b'],
    ['microsoft/Phi-3-mini-4k-instruct', 'hf', 'microsoft/Phi-3-mini-4k-instruct'],
    ['gpt2', 'hf', 'openai-community/gpt2'],
    ['gpt2-xl', undefined, 'openai-community/gpt2-xl'],
    ['bert-base-uncased', 'hf', 'google-bert/bert-base-uncased'],
    ['roberta-large', 'hf', 'FacebookAI/roberta-large'],
    ['distilbert-base-uncased', 'hf', 'distilbert/distilbert-base-uncased'],
    ['t5-small', 'hf', 'google-t5/t5-small'],
    ['google-t5/t5-base', 'hf', 'google-t5/t5-base'],
    ['openai/whisper-large-v3', 'hf', 'openai/whisper-large-v3'],
    ['openai/whisper-tiny.en', 'hf', 'openai/whisper-tiny'],
    ['openai/clip-vit-large-patch14', 'hf', 'openai/clip-vit-large-patch14'],
    ['google/vit-base-patch16-224', 'hf', 'torchvision/vit_b_16'],
    ['microsoft/resnet-50', 'hf', 'torchvision/resnet50'],
    ['resnet50', 'torchvision', 'torchvision/resnet50'],
    ['torchvision.models.resnet18', undefined, 'torchvision/resnet18'],
    ['vit_b_16', 'torchvision', 'torchvision/vit_b_16'],
    ['efficientnet_b7', 'torchvision', 'torchvision/efficientnet_b7'],
    ['mobilenet_v3_small', 'torchvision', 'torchvision/mobilenet_v3_small'],
    ['swin_t', 'torchvision', 'torchvision/swin_t'],
    ['resnet50', 'timm', 'torchvision/resnet50'],
    ['timm/resnet50.a1_in1k', 'timm', 'torchvision/resnet50'],
    ['vit_base_patch16_224', 'timm', 'torchvision/vit_b_16'],
    ['vit_base_patch16_224.augreg2_in21k_ft_in1k', 'timm', 'torchvision/vit_b_16'],
    ['deit_base_patch16_224', 'timm', 'torchvision/vit_b_16'],
    ['deit_small_patch16_224', 'timm', 'timm/vit_small_patch16_224'],
    ['convnext_tiny', 'timm', 'torchvision/convnext_tiny'],
    ['efficientnet_b0', 'timm', 'torchvision/efficientnet_b0'],
    ['swin_tiny_patch4_window7_224', 'timm', 'torchvision/swin_t'],
    ['mobilenetv3_large_100', 'timm', 'torchvision/mobilenet_v3_large'],
    ['runwayml/stable-diffusion-v1-5', 'diffusers', 'stable-diffusion-v1-5/stable-diffusion-v1-5'],
    ['stable-diffusion-v1-5/stable-diffusion-v1-5', 'diffusers', 'stable-diffusion-v1-5/stable-diffusion-v1-5'],
    ['stabilityai/stable-diffusion-xl-base-1.0', 'diffusers', 'stabilityai/stable-diffusion-xl-base-1.0'],
    ['stabilityai/sdxl-turbo', 'diffusers', 'stabilityai/sdxl-turbo'],
    ['black-forest-labs/FLUX.1-dev', 'diffusers', 'black-forest-labs/FLUX.1-dev'],
    ['black-forest-labs/FLUX.1-schnell', undefined, 'black-forest-labs/FLUX.1-schnell'],
  ];
  it.each(cases)('%s (hint %s) → %s', (name, hint, id) => {
    expect(findModel(name, hint)?.id).toBe(id);
  });

  it('unknown names and bad input give undefined, never throw', () => {
    expect(findModel('my-org/my-secret-model')).toBeUndefined();
    expect(findModel('')).toBeUndefined();
    expect(findModel('   ')).toBeUndefined();
    expect(findModel(undefined as unknown as string)).toBeUndefined();
    expect(findModel(42 as unknown as string)).toBeUndefined();
    expect(findModel('resnet9000', 'torchvision')).toBeUndefined();
  });
});

describe('suggestDirective', () => {
  it('says the model is not in the catalog and shows a directive to add', () => {
    const s = suggestDirective('acme/foo-model');
    expect(s).toMatch(/not in the FlopLens model catalog/);
    expect(s).toMatch(/# floplens: params=7e9 layers=32 hidden=4096/);
  });
  it('sizes the suggestion from the name when it carries a size, and offers close catalog names', () => {
    const s = suggestDirective('acme/wizard-13b-v2');
    expect(s).toMatch(/# floplens: params=1\.3e10 layers=\d+ hidden=\d+/);
    expect(suggestDirective('resnet51')).toMatch(/Did you mean "resnet50"/);
    expect(suggestDirective('')).toMatch(/not in the FlopLens model catalog/);
  });
});

describe('modelFromDirective', () => {
  it('params + layers + hidden: an approximate decoder LM with that many parameters', () => {
    const e = modelFromDirective({ params: 7e9, layers: 32, hidden: 4096 });
    expect(e).toBeDefined();
    const b = buildModel(e!, { batch: 1, seqLen: 16, dtype: 'bf16', mode: 'infer' });
    expect(Math.abs(b.params / 7e9 - 1)).toBeLessThan(0.001);
    expect(e!.arch.kind).toBe('decoder');
    expect(e!.published.exact).toBe(false);
  });
  it('params only: a typical shape for the size', () => {
    for (const p of [1.2e8, 1e9, 7e9, 7e10, 4e11]) {
      const e = modelFromDirective({ params: p });
      expect(e, String(p)).toBeDefined();
      const b = buildModel(e!, { batch: 1, seqLen: 4, dtype: 'bf16', mode: 'infer' });
      expect(Math.abs(b.params / p - 1), String(p)).toBeLessThan(0.01);
    }
  });
  it('layers + hidden only, plus heads/kv heads/vocab/seq', () => {
    const e = modelFromDirective({ layers: 32, hidden: 4096, heads: 32, kvHeads: 8, vocab: 128256, seq: 8192 });
    expect(e?.defaults?.seqLen).toBe(8192);
    const w = llmInferenceWorkload(e!, { batch: 1, promptTokens: 100, newTokens: 10, dtype: 'bf16' });
    expect(w.memory.kvCache).toBe(110 * 131_072);
    const t = llmTrainingWorkload(e!, { batch: 1, seqLen: 512, dtype: 'bf16' });
    expect(t.params).toBeGreaterThan(6e9);
  });
  it('returns undefined for unusable directives and never throws', () => {
    expect(modelFromDirective({})).toBeUndefined();
    expect(modelFromDirective({ params: -1 })).toBeUndefined();
    expect(modelFromDirective({ params: Number.NaN })).toBeUndefined();
    expect(modelFromDirective({ layers: 32 })).toBeUndefined();
    expect(modelFromDirective(null as never)).toBeUndefined();
    const tiny = modelFromDirective({ params: 1e6, layers: 32, hidden: 4096 });
    expect(tiny?.notes?.join(' ')).toMatch(/small/);
  });
});

describe('accessors used by the interpreter', () => {
  it('configFields mirror config.json names', () => {
    const f = configFields(findModel('meta-llama/Llama-3.1-8B')!);
    expect(f.hidden_size).toBe(4096);
    expect(f.num_key_value_heads).toBe(8);
    expect(f.vocab_size).toBe(128256);
    expect(configFields(findModel('gpt2')!).n_embd).toBe(768);
    expect(configFields(findModel('resnet50')!).num_classes).toBe(1000);
  });
  it('token models and pipeline defaults', () => {
    expect(isTokenModel(findModel('bert-base-uncased')!)).toBe(true);
    expect(isTokenModel(findModel('resnet50')!)).toBe(false);
    expect(defaultSteps(findModel('black-forest-labs/FLUX.1-schnell')!)).toBe(4);
    expect(defaultGuidance(findModel('runwayml/stable-diffusion-v1-5')!)).toBe(7.5);
  });
});
