/**
 * Models built from a Hugging Face config class of a family that is not LLaMA-shaped (issue 15: `BloomConfig(...)` was
 * read as a LLaMA decoder with LlamaConfig's 11,008 FFN). Each family keeps its own structure: BLOOM (ALiBi, embedding
 * LayerNorm, 4h GELU MLP with biases, tied head), Falcon (multi-query, 4h MLP, no biases), GPT-NeoX and OPT (their
 * config classes' defaults), T5 (an encoder–decoder, never a decoder LM). Expected counts are the transformers
 * modules' parameter shapes summed by hand (or the catalog model the class's defaults are).
 */
import { describe, it, expect } from 'vitest';
import { analyze } from '../../src/core/analyze';

const run = (text: string): ReturnType<typeof analyze> => analyze({ text: text.replace(/^\n/, ''), file: 'snippet.py' });
const message = (a: ReturnType<typeof analyze>, code: string): string => a.problems.find((p) => p.code === code)?.message ?? '';

/** A model class built from a config and called once on a [2, 16] batch of token ids. */
const built = (imports: string, make: string): ReturnType<typeof analyze> => run(`
import torch
from transformers import ${imports}
model = ${make}
ids = torch.randint(0, 1000, (2, 16))
out = model(input_ids=ids)
`);

/** BLOOM's parameters (modeling_bloom.py): tied embedding + its LayerNorm, per layer QKV/dense/4h MLP with biases and 2 LayerNorms, a final LayerNorm. */
const bloomParams = (layers: number, h: number, vocab: number): number => vocab * h + 2 * h + layers * (12 * h * h + 13 * h) + 2 * h;

describe('a config of a non-LLaMA family builds that family', () => {
  it('BloomConfig(hidden_size, n_layer, n_head): BLOOM blocks with a 4h MLP, not LLaMA SwiGLU', () => {
    const a = built('BloomConfig, BloomForCausalLM', 'BloomForCausalLM(BloomConfig(hidden_size=1024, n_layer=4, n_head=16, vocab_size=250880))');
    expect(a.model.params).toBe(bloomParams(4, 1024, 250880));
    expect(message(a, 'config-model')).toContain('FFN 4096');
    expect(message(a, 'config-model')).toContain('tied embeddings');
  });

  it('the BLOOM-176B shape is its published 176,247,271,424 parameters', () => {
    const a = built('BloomConfig, BloomForCausalLM', 'BloomForCausalLM(BloomConfig(hidden_size=14336, n_layer=70, n_head=112, vocab_size=250880))');
    expect(bloomParams(70, 14336, 250880)).toBe(176_247_271_424);
    expect(a.model.params).toBe(176_247_271_424);
  });

  it('FalconConfig(): the class defaults are Falcon-7B; a smaller one keeps multi-query attention and a 4h MLP', () => {
    expect(built('FalconConfig, FalconForCausalLM', 'FalconForCausalLM(FalconConfig())').model.params).toBe(6_921_720_704);
    const a = built('FalconConfig, FalconForCausalLM', 'FalconForCausalLM(FalconConfig(hidden_size=1024, num_hidden_layers=4, num_attention_heads=16))');
    // tied embedding 65024·h; per layer one LayerNorm, fused QKV h·(h + 2·64) (one KV head), dense h², MLP 2·4h², no biases.
    const h = 1024;
    expect(a.model.params).toBe(65024 * h + 4 * (2 * h + h * (h + 128) + h * h + 8 * h * h) + 2 * h);
    expect(message(a, 'config-model')).toContain('(1 KV)');
  });

  it('FalconConfig(multi_query=False) is multi-head attention', () => {
    const a = built('FalconConfig, FalconForCausalLM', 'FalconForCausalLM(FalconConfig(hidden_size=1024, num_hidden_layers=4, num_attention_heads=16, multi_query=False))');
    expect(message(a, 'config-model')).toContain('16 heads (16 KV)');
  });

  it('GPTNeoXConfig of the Pythia-70M shape is Pythia-70M; OPTConfig() is OPT-125M', () => {
    expect(built('GPTNeoXConfig, GPTNeoXForCausalLM', 'GPTNeoXForCausalLM(GPTNeoXConfig(hidden_size=512, num_hidden_layers=6, num_attention_heads=8, intermediate_size=2048, vocab_size=50304))').model.params).toBe(70_426_624);
    expect(built('OPTConfig, OPTForCausalLM', 'OPTForCausalLM(OPTConfig())').model.params).toBe(125_239_296);
  });

  it('T5Config builds a T5 encoder–decoder (defaults t5-small; the t5-base shape is t5-base), never a LLaMA decoder', () => {
    const t5 = (config: string): ReturnType<typeof analyze> => run(`
import torch
from transformers import T5Config, T5ForConditionalGeneration
model = T5ForConditionalGeneration(${config})
ids = torch.randint(0, 1000, (2, 16))
out = model(input_ids=ids, labels=ids)
`);
    expect(t5('T5Config()').model.params).toBe(60_506_624);
    const base = t5('T5Config(d_model=768, d_ff=3072, num_layers=12, num_heads=12)');
    expect(base.model.params).toBe(222_903_552);
    expect(message(base, 'config-model')).not.toContain('LLaMA-shaped');
  });
});

describe('a recompute= directive on a catalog model', () => {
  const script = (directive: string): ReturnType<typeof analyze> => run(`
import torch
from transformers import AutoConfig, AutoModelForCausalLM
${directive}
model = AutoModelForCausalLM.from_config(AutoConfig.from_pretrained("EleutherAI/pythia-410m"))
ids = torch.randint(0, 1000, (8, 2048))
loss = model(input_ids=ids, labels=ids).loss
loss.backward()
`);

  it('keeps only layer inputs (the launcher flag --checkpoint-activations): activations shrink, recompute FLOPs are added', () => {
    const plain = script('');
    const rec = script('# floplens: recompute=full');
    // 24 layers keep their inputs; the logits (8·2048·50,304) and one layer being rematerialised stay.
    expect(rec.memory.activations).toBeLessThan(plain.memory.activations / 3);
    expect(rec.memory.activations).toBeGreaterThan(0);
    expect(rec.step.recomputeFlops).toBeCloseTo(rec.step.forwardFlops, -6);
    expect(plain.step.recomputeFlops ?? 0).toBe(0);
  });
});
