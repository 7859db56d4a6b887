/**
 * LLM builders and workloads: forward FLOPs per token, training cross-checks (6ND/8ND), LoRA/QLoRA,
 * Korthikanti activation memory, inference prefill/decode split, KV cache, quantisation and MoE.
 */
import { describe, expect, it } from 'vitest';
import {
  CATALOG, buildModel, decoderActivationBytes, findModel, kvCacheBytes, llmInferenceWorkload, llmTrainingWorkload,
} from '../../src/core/zoo';
import type { CatalogEntry, DecoderConfig } from '../../src/core/zoo';

const entry = (name: string): CatalogEntry => {
  const e = findModel(name);
  if (!e) throw new Error(`not in catalog: ${name}`);
  return e;
};
const dec = (e: CatalogEntry): DecoderConfig => {
  if (e.arch.kind !== 'decoder') throw new Error('not a decoder');
  return e.arch;
};
const sum = (xs: { forwardFlops: number; count: number }[], perCall = true): number => xs.reduce((s, o) => s + o.forwardFlops * (perCall ? 1 : o.count), 0);

describe('forward FLOPs per token = 2·N (non-embedding + LM head) + attention', () => {
  const decoders = CATALOG.filter((e) => e.arch.kind === 'decoder');
  it.each(decoders.map((e) => [e.id, e] as const))('%s', (_id, e) => {
    const a = dec(e);
    const S = Math.min(2048, a.maxContext);
    const b = buildModel(e, { batch: 2, seqLen: S, dtype: 'bf16', mode: 'infer' });
    const perToken = sum(b.ops) / (2 * S);
    // N for the forward: every weight that multiplies an activation — the LM head always; the input
    // embedding (a lookup) and learned positions never. MoE: active parameters.
    const N = b.activeParams - (a.tiedEmbeddings ? 0 : a.vocab * a.hidden) - (a.positions === 'learned' ? a.maxContext * a.hidden : 0);
    const attention = 2 * a.layers * a.heads * a.headDim * S; // 4·a·s²·d_h per layer, causal ½, per token
    expect(Math.abs(perToken / (2 * N + attention) - 1)).toBeLessThan(0.02);
  });

  it('the Megatron formula for GPT-2: 24·B·s·L·h²·(1 + s/(6h)) + 2·B·s·h·V within 2%', () => {
    const e = entry('gpt2');
    const a = dec(e);
    const B = 4, s = 1024;
    const fwd = sum(buildModel(e, { batch: B, seqLen: s, dtype: 'bf16', mode: 'infer' }).ops);
    // Megatron counts attention without the causal halving: s/(6h) → s/(12h) with it.
    const megatron = 24 * B * s * a.layers * a.hidden ** 2 * (1 + s / (12 * a.hidden)) + 2 * B * s * a.hidden * a.vocab;
    expect(Math.abs(fwd / megatron - 1)).toBeLessThan(0.02);
  });
});

describe('LLM training workload', () => {
  it('Llama 3.1 405B pretraining: 15.6T tokens → 6·N·D ≈ 3.8e25 FLOPs', () => {
    const w = llmTrainingWorkload(entry('meta-llama/Llama-3.1-405B'), { batch: 2, seqLen: 8192, gradAccum: 1, dtype: 'bf16', recompute: 'none', tokenBudget: 15.6e12 });
    const six = w.crossChecks?.find((c) => c.name === '6·N·D');
    expect(six).toBeDefined();
    expect(Math.abs((six as { flops: number }).flops / 3.8e25 - 1)).toBeLessThan(0.01);
    const eight = w.crossChecks?.find((c) => c.name.startsWith('8·N·D'));
    expect((eight as { flops: number }).flops / (six as { flops: number }).flops).toBeCloseTo(8 / 6, 6);
    // Op-summed FLOPs add attention (causal, 8K): a few percent above 6ND, still ≈ 3.8–4.0e25.
    const ops = w.crossChecks?.find((c) => c.name.startsWith('ops'));
    expect((ops as { flops: number }).flops).toBeGreaterThan(3.7e25);
    expect((ops as { flops: number }).flops).toBeLessThan(4.1e25);
    expect(w.totals.steps).toBe(Math.ceil(15.6e12 / (2 * 8192)));
  });

  it('fwd+bwd per token = 6·(N − embedding) + causal attention (3 × 2·L·a·d_h·s) within 2%; backward = 2× forward', () => {
    const e = entry('meta-llama/Llama-3.1-8B');
    const a = dec(e);
    const s = 4096;
    const w = llmTrainingWorkload(e, { batch: 1, seqLen: s, gradAccum: 4, dtype: 'bf16', recompute: 'none', steps: 10 });
    const N = w.params - a.vocab * a.hidden;
    const expected = 6 * N + 3 * 2 * a.layers * a.heads * a.headDim * s;
    expect(Math.abs((w.totals.flopsPerToken as number) / expected - 1)).toBeLessThan(0.02);
    expect(w.totals.backwardFlops / w.totals.forwardFlops).toBeGreaterThan(1.95);
    expect(w.totals.backwardFlops / w.totals.forwardFlops).toBeLessThan(2.05);
    expect(w.totals.tokensPerStep).toBe(4 * s);
    const fwdOps = w.ops.filter((o) => o.phase === 'forward');
    expect(fwdOps.every((o) => o.count === 4)).toBe(true);
    const opt = w.ops.filter((o) => o.phase === 'optimizer');
    expect(opt).toHaveLength(1);
    expect(opt[0].count).toBe(1);
    // Mixed-precision AdamW: 16 bytes per parameter in weights + grads + optimizer.
    const m = w.memory;
    expect(((m.weights ?? 0) + (m.gradients ?? 0) + (m.optimizer ?? 0)) / w.params).toBeCloseTo(16, 6);
  });

  it('full recompute adds ≈ one forward of the layers; activations shrink none > selective > full', () => {
    const e = entry('meta-llama/Llama-2-7b-hf');
    const base = { batch: 4, seqLen: 4096, dtype: 'bf16' as const, flashAttention: false };
    const none = llmTrainingWorkload(e, { ...base, recompute: 'none' });
    const sel = llmTrainingWorkload(e, { ...base, recompute: 'selective' });
    const full = llmTrainingWorkload(e, { ...base, recompute: 'full' });
    expect(none.totals.recomputeFlops).toBe(0);
    expect(full.totals.recomputeFlops / full.totals.forwardFlops).toBeGreaterThan(0.9);
    expect(full.totals.recomputeFlops / full.totals.forwardFlops).toBeLessThan(1);
    expect(sel.totals.recomputeFlops).toBeGreaterThan(0);
    expect(sel.totals.recomputeFlops / sel.totals.forwardFlops).toBeLessThan(0.2);
    const act = (w: typeof none): number => w.memory.activations ?? 0;
    expect(act(none)).toBeGreaterThan(act(sel));
    expect(act(sel)).toBeGreaterThan(act(full));
    // 8·N·D is the full-recompute cross-check: within 10% of the op sum (which adds attention, excludes embedding lookups).
    const ops = full.crossChecks?.find((c) => c.name.startsWith('ops'))?.flops as number;
    const eight = full.crossChecks?.find((c) => c.name.startsWith('8·N·D'))?.flops as number;
    expect(Math.abs(ops / eight - 1)).toBeLessThan(0.1);
  });

  it('Korthikanti: a GPT config gives exactly s·b·h·(34 + 5·a·s/h) per layer; selective 34·s·b·h; flash keeps 4·a·s·b; full 2·s·b·h', () => {
    const gpt = dec(entry('gpt2-medium'));
    const s = 1024, b = 8, h = gpt.hidden, a = gpt.heads;
    const r = decoderActivationBytes(gpt, { batch: b, seqLen: s, dtype: 'bf16', recompute: 'none', flash: false });
    expect(r.perLayer).toBe(s * b * h * (34 + (5 * a * s) / h));
    expect(decoderActivationBytes(gpt, { batch: b, seqLen: s, dtype: 'bf16', recompute: 'selective', flash: false }).perLayer).toBe(34 * s * b * h);
    expect(decoderActivationBytes(gpt, { batch: b, seqLen: s, dtype: 'bf16', recompute: 'none', flash: true }).perLayer).toBe(34 * s * b * h + 4 * a * s * b);
    const full = decoderActivationBytes(gpt, { batch: b, seqLen: s, dtype: 'bf16', recompute: 'full', flash: true });
    expect(full.perLayer).toBe(2 * s * b * h);
    expect(r.logits).toBe(b * s * gpt.vocab * 8);
  });

  it('LoRA: adapters trainable, frozen base gets input-grad-only backward, optimizer state only for adapters', () => {
    const e = entry('meta-llama/Llama-2-7b-hf');
    const w = llmTrainingWorkload(e, { batch: 1, seqLen: 1024, dtype: 'bf16', recompute: 'none', lora: { r: 8 } });
    expect(w.trainableParams).toBe(4_194_304);
    expect(w.params).toBe(6_742_609_920);
    const q = w.ops.find((o) => o.name === 'model.layers.0.self_attn.q_proj');
    expect(q?.trainableParams).toBe(0);
    expect(q?.backwardFlops).toBe(q?.forwardFlops);
    const qa = w.ops.find((o) => o.name === 'model.layers.0.self_attn.q_proj.lora_A');
    expect(qa?.trainableParams).toBe(8 * 4096);
    expect(qa?.backwardFlops).toBe(2 * (qa?.forwardFlops ?? 0));
    const emb = w.ops.find((o) => o.name === 'model.embed_tokens');
    expect(emb?.backwardFlops).toBe(0);
    expect(w.memory.optimizer).toBe(4_194_304 * 8);
    expect(w.memory.gradients).toBe(4_194_304 * 4);
    // Backward ≈ forward for a frozen base (vs 2× in full fine-tuning).
    expect(w.totals.backwardFlops / w.totals.forwardFlops).toBeLessThan(1.1);
    const four = w.crossChecks?.find((c) => c.name.startsWith('4·N·D'))?.flops as number;
    const ops = w.crossChecks?.find((c) => c.name.startsWith('ops'))?.flops as number;
    expect(Math.abs(ops / four - 1)).toBeLessThan(0.1);
  });

  it('QLoRA: 4-bit NF4 base weights (≈4.5 bits with scales), all-linear adapters', () => {
    const e = entry('meta-llama/Llama-2-7b-hf');
    const w = llmTrainingWorkload(e, { batch: 1, seqLen: 512, dtype: 'bf16', weightDtype: 'int4', recompute: 'full', lora: { r: 16, targetModules: ['all-linear'] } });
    // 7 linears per layer: r·(in + out) each.
    const perLayer = 16 * (4 * (4096 + 4096) + 2 * (4096 + 11008) + (11008 + 4096));
    expect(w.trainableParams).toBe(32 * perLayer);
    const frozenLinear = 32 * (4 * 4096 * 4096 + 3 * 4096 * 11008);
    const frozenOther = 6_738_415_616 - frozenLinear;
    expect(w.memory.weights).toBe(frozenLinear * 0.5625 + frozenOther * 2 + w.trainableParams * 4);
    expect((w.memory.weights ?? 0) / 2 ** 30).toBeGreaterThan(3.5);
    expect((w.memory.weights ?? 0) / 2 ** 30).toBeLessThan(4.5);
    const q = w.ops.find((o) => o.name === 'model.layers.0.mlp.down_proj');
    expect(q?.note).toMatch(/int4/);
  });

  it('never throws on bad input and falls back with notes', () => {
    const w = llmTrainingWorkload(entry('gpt2'), { batch: 0, seqLen: -5, dtype: 'nope' as never, gradAccum: Number.NaN, tokenBudget: -1 });
    expect(w.ops.length).toBeGreaterThan(0);
    expect(w.notes.some((n) => /batch/.test(n))).toBe(true);
    const v = llmTrainingWorkload(entry('resnet18'), { batch: 8, seqLen: 1, dtype: 'fp32' });
    expect(v.notes.join(' ')).toMatch(/not a decoder/);
  });
});

describe('LLM inference workload', () => {
  it('Llama-3.1-8B KV cache: GQA 8 KV heads × head_dim 128 → 131,072 bytes/token in bf16', () => {
    const a = dec(entry('meta-llama/Llama-3.1-8B'));
    expect(kvCacheBytes(a, 1, 1, 'bf16')).toBe(131_072);
    const w = llmInferenceWorkload(entry('meta-llama/Llama-3.1-8B'), { batch: 2, promptTokens: 1000, newTokens: 24, dtype: 'bf16' });
    expect(w.memory.kvCache).toBe(2 * 1024 * 131_072);
    expect(kvCacheBytes(a, 1, 1, 'fp8')).toBe(65_536);
    // Capped at the real context, not the advertised maximum; and at the model's context.
    expect(kvCacheBytes(a, 1, 10_000_000, 'bf16')).toBe(131_072 * 131_072);
  });

  it('Gemma 2: sliding-window layers cap their cache at 4096', () => {
    const a = dec(entry('google/gemma-2-9b'));
    const per = 2 * a.kvHeads * a.headDim * 2;
    expect(kvCacheBytes(a, 1, 8192, 'bf16')).toBe(per * (21 * 4096 + 21 * 8192));
  });

  it('prefill (count 1) and decode (count = newTokens, KV at the mean context) are costed separately', () => {
    const e = entry('meta-llama/Llama-3.1-8B');
    const w = llmInferenceWorkload(e, { batch: 4, promptTokens: 512, newTokens: 128, dtype: 'bf16' });
    const pre = w.ops.filter((o) => o.phase === 'prefill');
    const dec2 = w.ops.filter((o) => o.phase === 'decode');
    expect(pre.length).toBeGreaterThan(0);
    expect(dec2.length).toBe(pre.length);
    expect(pre.every((o) => o.count === 1)).toBe(true);
    expect(dec2.every((o) => o.count === 128)).toBe(true);
    expect(dec2.reduce((s, o) => s + o.params, 0)).toBe(0);
    expect(pre.reduce((s, o) => s + o.params, 0)).toBe(8_030_261_248);
    const attn = dec2.find((o) => o.opClass === 'attention');
    expect(attn?.inputShapes[1]).toEqual([4, 8, 512 + 65, 128]);
    const head = pre.find((o) => o.name === 'lm_head');
    expect(head?.inputShapes[0]).toEqual([4, 1, 4096]);
    // Decode FLOPs per generated token = 2·(N − embedding) + attention over the cache (4·L·a·d_h·ctx).
    const per = w.totals.flopsPerToken as number;
    const expected = 2 * (8_030_261_248 - 128256 * 4096) + 4 * 32 * 32 * 128 * (512 + 65);
    expect(Math.abs(per / expected - 1)).toBeLessThan(0.02);
    // Decode reads every weight once per step: bytes ≈ 2 B × N.
    const bytes = dec2.reduce((s, o) => s + o.bytesRead, 0);
    expect(bytes / (2 * 8_030_261_248)).toBeGreaterThan(0.95);
    expect(w.memory.weights).toBe(8_030_261_248 * 2);
  });

  it('quantised weights: bitsandbytes 8-bit, NF4 and GPTQ/AWQ int4 shrink weight memory and decode bytes', () => {
    const e = entry('meta-llama/Llama-3.1-8B');
    const base = { batch: 1, promptTokens: 128, newTokens: 64, dtype: 'bf16' as const };
    const bf = llmInferenceWorkload(e, base);
    const i8 = llmInferenceWorkload(e, { ...base, weightDtype: 'int8' });
    const nf4 = llmInferenceWorkload(e, { ...base, weightDtype: 'int4' });
    const gptq = llmInferenceWorkload(e, { ...base, weightDtype: 'int4', quant: 'gptq' });
    const linear = 32 * (2 * 4096 * 4096 + 2 * 4096 * 1024 + 3 * 4096 * 14336);
    const other = 8_030_261_248 - linear;
    expect(i8.memory.weights).toBe(linear * 1 + other * 2);
    expect(nf4.memory.weights).toBe(linear * 0.5625 + other * 2);
    expect(gptq.memory.weights).toBeCloseTo(linear * (0.5 + 2.5 / 128) + other * 2, 0);
    const decBytes = (w: typeof bf): number => w.ops.filter((o) => o.phase === 'decode').reduce((s, o) => s + o.bytesRead, 0);
    expect(decBytes(nf4)).toBeLessThan(decBytes(i8));
    expect(decBytes(i8)).toBeLessThan(decBytes(bf));
    expect(nf4.notes.join(' ')).toMatch(/bnb-nf4/);
  });

  it('MoE: decode costs active parameters (router + top-2 experts), weights held in full', () => {
    const e = entry('mistralai/Mixtral-8x7B-v0.1');
    const w = llmInferenceWorkload(e, { batch: 1, promptTokens: 256, newTokens: 32, dtype: 'bf16' });
    expect(w.totals.activeParams).toBe(12_879_925_248);
    expect(w.params).toBe(46_702_792_704);
    expect(w.memory.weights).toBe(46_702_792_704 * 2);
    const per = w.totals.flopsPerToken as number;
    const expected = 2 * (12_879_925_248 - 32000 * 4096) + 4 * 32 * 32 * 128 * (256 + 17);
    expect(Math.abs(per / expected - 1)).toBeLessThan(0.02);
    // One token routed to 2 experts reads 2 experts' weights, not 8.
    const w1 = w.ops.find((o) => o.phase === 'decode' && o.name === 'model.layers.0.block_sparse_moe.experts.w1');
    expect(w1?.bytesRead).toBeCloseTo(2 * 4096 * 14336 * 2 + 2 * 4096 * 2, -3);
    expect(w.ops.some((o) => o.name === 'model.layers.0.block_sparse_moe.gate')).toBe(true);
  });

  it('context limits and bad input: capped with notes, never throws', () => {
    const e = entry('gpt2');
    const w = llmInferenceWorkload(e, { batch: 1, promptTokens: 2000, newTokens: 100, dtype: 'fp32' });
    expect(w.notes.join(' ')).toMatch(/context/);
    expect(w.ops.filter((o) => o.phase === 'decode')).toHaveLength(0);
    const bad = llmInferenceWorkload(e, { batch: Number.NaN, promptTokens: -1, newTokens: -4, dtype: 'fp32' });
    expect(bad.ops.length).toBeGreaterThan(0);
    const notLlm = llmInferenceWorkload(entry('resnet50'), { batch: 1, promptTokens: 1, newTokens: 1, dtype: 'fp32' });
    expect(notLlm.ops).toHaveLength(0);
    expect(notLlm.notes.join(' ')).toMatch(/not a decoder/);
  });
});
