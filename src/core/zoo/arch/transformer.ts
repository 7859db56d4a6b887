/**
 * Transformer builders: decoder LMs, BERT-family encoders, T5, Whisper, ViT/CLIP towers.
 * Module paths follow the Hugging Face (or torchvision) implementations so names match what users
 * see in `print(model)`.
 */
import type {
  Activation, ClipConfig, ClipTextConfig, DecoderConfig, EncoderConfig, T5Config, VitConfig, WhisperConfig,
} from '../types';
import { elementwiseCost, matmulCost } from '../../ops/primitives';
import {
  act, attention, binary, conv1d, conv2d, dropout, embed, linear, norm, paramOp, push, type EmitContext,
} from '../emit';
import { DTYPE_BYTES } from '../../types';

const J = (...parts: (string | number)[]): string => parts.filter((p) => p !== '').join('.');

export interface AttnSpec {
  hidden: number;
  heads: number;
  kvHeads: number;
  headDim: number;
  qkvBias: boolean;
  /** Key projection bias when it differs from q/v (Whisper: no k bias). */
  kBias?: boolean;
  outBias: boolean;
  /** One fused QKV projection (GPT-2 c_attn, Phi-3 qkv_proj, torchvision in_proj). */
  fused: boolean;
  rope: boolean;
  causal: boolean;
  window?: number;
  /** Scores always materialised (relative-position bias added to them). */
  materialized?: boolean;
  labelLinear?: string;
}

export interface AttnNames { q: string; k: string; v: string; o: string; qkv: string; core: string }

/**
 * Self-attention (or cross-attention when `kvSource` is given) on `x = [B, S, h]`.
 * `kvLen` = keys attended per query (decode: the cached context); default S.
 */
export function attentionBlock(
  ctx: EmitContext, n: AttnNames, sp: AttnSpec, x: number[],
  o: { kvLen?: number; kvSource?: number[]; kvInDim?: number; kvCached?: boolean } = {},
): number[] {
  const [B, S] = x;
  const h = sp.hidden;
  const qDim = sp.heads * sp.headDim;
  const kvDim = sp.kvHeads * sp.headDim;
  const label = sp.labelLinear;
  if (o.kvSource) {
    const src = o.kvSource;
    const inKv = o.kvInDim ?? h;
    linear(ctx, n.q, x, h, qDim, { bias: sp.qkvBias, label });
    // Cross-attention while decoding reuses the keys/values projected from the encoder output once.
    if (!o.kvCached) {
      linear(ctx, n.k, src, inKv, kvDim, { bias: sp.kBias ?? sp.qkvBias, label });
      linear(ctx, n.v, src, inKv, kvDim, { bias: sp.qkvBias, label });
    }
    attention(ctx, n.core, { batch: B, heads: sp.heads, kvHeads: sp.kvHeads, seqQ: S, seqK: src[1], headDim: sp.headDim },
      { causal: false, materialized: sp.materialized });
  } else {
    if (sp.fused) {
      linear(ctx, n.qkv, x, h, qDim + 2 * kvDim, { bias: sp.qkvBias, label });
    } else {
      linear(ctx, n.q, x, h, qDim, { bias: sp.qkvBias, label });
      linear(ctx, n.k, x, h, kvDim, { bias: sp.kBias ?? sp.qkvBias, label });
      linear(ctx, n.v, x, h, kvDim, { bias: sp.qkvBias, label });
    }
    if (sp.rope) {
      const c = elementwiseCost('rotary', [B, S, qDim + kvDim], ctx.dtype, 3, 1, false);
      push(ctx, `${n.core}.rotary_emb`, 'apply_rotary_pos_emb', c, [[B, S, qDim + kvDim]]);
    }
    attention(ctx, n.core, {
      batch: B, heads: sp.heads, kvHeads: sp.kvHeads, seqQ: S, seqK: o.kvLen ?? S, headDim: sp.headDim,
    }, { causal: sp.causal, window: sp.window, materialized: sp.materialized });
  }
  return linear(ctx, n.o, [B, S, qDim], qDim, h, { bias: sp.outBias, label });
}

export interface MlpSpec { hidden: number; ffn: number; act: Activation; gated: boolean; bias: boolean; fusedGateUp?: boolean; labelLinear?: string }
export interface MlpNames { up: string; gate: string; gateUp: string; down: string; act: string; mul: string }

/** Feed-forward block: up (and gate) → activation (× up) → down. */
export function mlpBlock(ctx: EmitContext, n: MlpNames, sp: MlpSpec, x: number[], lin: Partial<{ paramsScale: number; weightBytesRead: number }> = {}): number[] {
  const lead = x.slice(0, -1);
  const inner = [...lead, sp.ffn];
  const label = sp.labelLinear;
  const wb = lin.weightBytesRead;
  if (sp.gated) {
    if (sp.fusedGateUp) {
      linear(ctx, n.gateUp, x, sp.hidden, 2 * sp.ffn, { bias: sp.bias, label, paramsScale: lin.paramsScale, weightBytesRead: wb !== undefined ? 2 * wb : undefined });
    } else {
      linear(ctx, n.gate, x, sp.hidden, sp.ffn, { bias: sp.bias, label, paramsScale: lin.paramsScale, weightBytesRead: wb });
      linear(ctx, n.up, x, sp.hidden, sp.ffn, { bias: sp.bias, label, paramsScale: lin.paramsScale, weightBytesRead: wb });
    }
    act(ctx, n.act, sp.act, inner);
    binary(ctx, n.mul, 'mul', inner, true);
  } else {
    linear(ctx, n.up, x, sp.hidden, sp.ffn, { bias: sp.bias, label, paramsScale: lin.paramsScale, weightBytesRead: wb });
    act(ctx, n.act, sp.act, inner);
  }
  return linear(ctx, n.down, inner, sp.ffn, sp.hidden, { bias: sp.bias, label, paramsScale: lin.paramsScale, weightBytesRead: wb });
}

const normParams = (kind: 'rms' | 'layer', h: number): number => (kind === 'rms' ? h : 2 * h);

// ---------------------------------------------------------------------------------------------------
// Decoder-only LMs

export interface DecoderCall {
  batch: number;
  /** Tokens processed in this call. */
  seq: number;
  /** Keys attended per query (decode: context incl. cache). Default `seq` (causal self-attention). */
  kvLen?: number;
  /** Positions that go through the LM head (default `seq`; generate() keeps only the last). */
  logitsTokens?: number;
  /** Add the cross-entropy loss over all positions (training). */
  loss?: boolean;
}

/** Parameters of one MoE expert (gate, up, down). */
export const expertParams = (c: DecoderConfig): number => (c.gated ? 3 : 2) * c.hidden * c.ffn + (c.mlpBias ? (c.gated ? 2 : 1) * c.ffn + c.hidden : 0);

/** Expected distinct experts that `tokens` routed tokens touch (uniform routing). */
export const expertsTouched = (experts: number, topK: number, tokens: number): number =>
  experts * (1 - Math.pow(1 - topK / experts, Math.max(0, tokens)));

/** Emit one forward call of a decoder-only LM. */
export function buildDecoder(ctx: EmitContext, c: DecoderConfig, call: DecoderCall): void {
  const { batch: B, seq: S } = call;
  const h = c.hidden;
  const x = [B, S, h];
  const gpt2 = c.style === 'gpt2';
  const phi3 = c.style === 'phi3';
  const gemma = c.style === 'gemma2';
  const normKind = c.norm === 'rms' ? 'rms_norm' : 'layer_norm';
  const normLabel = c.norm === 'rms' ? 'RMSNorm' : 'nn.LayerNorm';
  const np = normParams(c.norm, h);
  const root = gpt2 ? 'transformer' : 'model';
  const lin = gpt2 ? 'Conv1D' : 'nn.Linear';

  embed(ctx, gpt2 ? 'transformer.wte' : 'model.embed_tokens', [B, S], c.vocab, h);
  if (c.positions === 'learned') {
    embed(ctx, 'transformer.wpe', [S], c.maxContext + (c.positionOffset ?? 0), h);
    binary(ctx, 'transformer.wpe.add', 'add', x);
  }
  if (c.embedNorm) norm(ctx, `${root}.word_embeddings_layernorm`, normKind, normLabel, x, np);
  dropout(ctx, `${root}.drop`, x, c.dropout);

  const attnSpec = (i: number): AttnSpec => ({
    hidden: h, heads: c.heads, kvHeads: c.kvHeads, headDim: c.headDim, qkvBias: c.qkvBias, outBias: c.outBias,
    fused: gpt2 || phi3, rope: c.positions === 'rope', causal: true, labelLinear: lin,
    window: c.slidingWindow && (!c.slidingEvery || i % c.slidingEvery === 0) ? c.slidingWindow : undefined,
  });
  const mlpSpec: MlpSpec = { hidden: h, ffn: c.ffn, act: c.act, gated: c.gated, bias: c.mlpBias, fusedGateUp: phi3, labelLinear: lin };
  const T = B * S;
  const kvLen = call.kvLen ?? S;

  for (let i = 0; i < c.layers; i++) {
    const L = gpt2 ? `transformer.h.${i}` : `model.layers.${i}`;
    norm(ctx, gpt2 ? `${L}.ln_1` : `${L}.input_layernorm`, normKind, normLabel, x, np);
    const a = gpt2
      ? { q: '', k: '', v: '', qkv: `${L}.attn.c_attn`, o: `${L}.attn.c_proj`, core: `${L}.attn` }
      : { q: `${L}.self_attn.q_proj`, k: `${L}.self_attn.k_proj`, v: `${L}.self_attn.v_proj`, qkv: `${L}.self_attn.qkv_proj`, o: `${L}.self_attn.o_proj`, core: `${L}.self_attn` };
    const sp = attnSpec(i);
    if (c.qkNorm) {
      const qk = normParams(c.norm, c.headDim);
      norm(ctx, `${L}.self_attn.q_norm`, normKind, normLabel, [B, S, c.heads, c.headDim], qk);
      norm(ctx, `${L}.self_attn.k_norm`, normKind, normLabel, [B, S, c.kvHeads, c.headDim], qk);
    }
    attentionBlock(ctx, a, sp, x, { kvLen: Math.min(kvLen, c.maxContext) });
    if (gemma) norm(ctx, `${L}.post_attention_layernorm`, normKind, normLabel, x, np);
    dropout(ctx, `${L}.attn.resid_dropout`, x, c.dropout);
    binary(ctx, `${L}.residual_attn`, 'add', x);
    const preMlp = gpt2 ? `${L}.ln_2` : gemma ? `${L}.pre_feedforward_layernorm` : `${L}.post_attention_layernorm`;
    // Parallel blocks (normsPerLayer 1) feed the MLP from the same input norm as the attention.
    if (c.normsPerLayer !== 1) norm(ctx, preMlp, normKind, normLabel, x, np);
    if (c.moe) {
      const E = c.moe.experts, k = c.moe.topK;
      const M = `${L}.block_sparse_moe`;
      linear(ctx, `${M}.gate`, x, h, E, { bias: false, label: 'nn.Linear', note: `router: ${E} experts, top-${k}` });
      const routed = [T * k, h];
      const touched = expertsTouched(E, k, T);
      const wBytes = c.hidden * c.ffn * DTYPE_BYTES[ctx.weightDtype];
      const before = ctx.ops.length;
      mlpBlock(ctx, { gate: `${M}.experts.w1`, up: `${M}.experts.w3`, down: `${M}.experts.w2`, gateUp: '', act: `${M}.experts.act_fn`, mul: `${M}.experts.mul` },
        mlpSpec, routed, { paramsScale: E, weightBytesRead: touched * wBytes });
      for (let j = before; j < ctx.ops.length; j++) {
        const op = ctx.ops[j];
        if (op.kind === 'linear') op.note = [op.note, `${E} experts aggregated: ${T}×${k} routed rows, ≈${touched.toFixed(1)} experts' weights read`].filter(Boolean).join('; ');
      }
      if (ctx.ownsParams) ctx.activeParamsAdjust -= (E - k) * expertParams(c);
      const comb = elementwiseCost('moe_combine', [T * k, h], ctx.dtype, 2, 1, false);
      push(ctx, `${M}.combine`, 'index_add_', comb, [[T * k, h]]);
    } else {
      const m = gpt2
        ? { up: `${L}.mlp.c_fc`, gate: '', gateUp: '', down: `${L}.mlp.c_proj`, act: `${L}.mlp.act`, mul: '' }
        : { up: `${L}.mlp.up_proj`, gate: `${L}.mlp.gate_proj`, gateUp: `${L}.mlp.gate_up_proj`, down: `${L}.mlp.down_proj`, act: `${L}.mlp.act_fn`, mul: `${L}.mlp.mul` };
      mlpBlock(ctx, m, mlpSpec, x);
    }
    if (gemma) norm(ctx, `${L}.post_feedforward_layernorm`, normKind, normLabel, x, np);
    dropout(ctx, `${L}.mlp.dropout`, x, c.dropout);
    binary(ctx, `${L}.residual_mlp`, 'add', x);
  }
  norm(ctx, gpt2 ? 'transformer.ln_f' : 'model.norm', normKind, normLabel, x, np);
  if (c.scoreLabels) {
    // HF's …ForSequenceClassification scores every position and keeps the last non-padding one (modeling_llama.py).
    linear(ctx, 'score', [B, S, h], h, c.scoreLabels, { bias: false, quant: false, loraEligible: false, note: `sequence-classification head (${c.scoreLabels} label${c.scoreLabels === 1 ? '' : 's'}) in place of the LM head` });
    return;
  }
  const lt = Math.max(1, Math.min(S, call.logitsTokens ?? S));
  linear(ctx, 'lm_head', [B, lt, h], h, c.vocab, {
    bias: c.lmHeadBias === true, quant: false, loraEligible: false, params: c.tiedEmbeddings ? 0 : undefined,
    note: [c.tiedEmbeddings ? 'tied to the input embedding (weights counted once)' : '', lt < S ? `logits for the last ${lt === 1 ? 'token' : `${lt} tokens`} only` : ''].filter(Boolean).join('; ') || undefined,
  });
  if (gemma) {
    const sc = elementwiseCost('logit_softcap', [B, lt, c.vocab], ctx.dtype, 3, 1, false);
    push(ctx, 'lm_head.softcap', 'torch.tanh', sc, [[B, lt, c.vocab]]);
  }
  if (call.loss) lossOp(ctx, 'loss', [B, S, c.vocab]);
}

/** Cross-entropy over logits `[..., V]` (fp32 upcast, ≈5 FLOPs per logit). */
export function lossOp(ctx: EmitContext, name: string, logits: number[]): void {
  const c = elementwiseCost('cross_entropy', logits, 'fp32', 5, 1, true);
  c.opClass = 'loss';
  c.outputShape = [];
  c.bytesWritten = 4;
  push(ctx, name, 'F.cross_entropy', c, [logits], { opClass: 'loss' });
}

// ---------------------------------------------------------------------------------------------------
// BERT-family encoders

export function buildEncoder(ctx: EmitContext, c: EncoderConfig, B: number, S: number): void {
  const h = c.hidden;
  const x = [B, S, h];
  const distil = c.style === 'distilbert';
  const seq = Math.min(S, c.maxPositions);
  embed(ctx, 'embeddings.word_embeddings', [B, seq], c.vocab, h);
  embed(ctx, 'embeddings.position_embeddings', [seq], c.maxPositions, h);
  if (c.typeVocab > 0) embed(ctx, 'embeddings.token_type_embeddings', [B, seq], c.typeVocab, h);
  binary(ctx, 'embeddings.add', 'add', x);
  norm(ctx, 'embeddings.LayerNorm', 'layer_norm', 'nn.LayerNorm', x, 2 * h);
  dropout(ctx, 'embeddings.dropout', x, c.dropout);
  const sp: AttnSpec = { hidden: h, heads: c.heads, kvHeads: c.heads, headDim: h / c.heads, qkvBias: true, outBias: true, fused: false, rope: false, causal: false };
  for (let i = 0; i < c.layers; i++) {
    if (distil) {
      const L = `transformer.layer.${i}`;
      attentionBlock(ctx, { q: `${L}.attention.q_lin`, k: `${L}.attention.k_lin`, v: `${L}.attention.v_lin`, o: `${L}.attention.out_lin`, qkv: '', core: `${L}.attention` }, sp, x);
      binary(ctx, `${L}.attention.residual`, 'add', x);
      norm(ctx, `${L}.sa_layer_norm`, 'layer_norm', 'nn.LayerNorm', x, 2 * h);
      mlpBlock(ctx, { up: `${L}.ffn.lin1`, gate: '', gateUp: '', down: `${L}.ffn.lin2`, act: `${L}.ffn.activation`, mul: '' }, { hidden: h, ffn: c.ffn, act: 'gelu', gated: false, bias: true }, x);
      dropout(ctx, `${L}.ffn.dropout`, x, c.dropout);
      binary(ctx, `${L}.ffn.residual`, 'add', x);
      norm(ctx, `${L}.output_layer_norm`, 'layer_norm', 'nn.LayerNorm', x, 2 * h);
    } else {
      const L = `encoder.layer.${i}`;
      attentionBlock(ctx, { q: `${L}.attention.self.query`, k: `${L}.attention.self.key`, v: `${L}.attention.self.value`, o: `${L}.attention.output.dense`, qkv: '', core: `${L}.attention.self` }, sp, x);
      dropout(ctx, `${L}.attention.output.dropout`, x, c.dropout);
      binary(ctx, `${L}.attention.output.residual`, 'add', x);
      norm(ctx, `${L}.attention.output.LayerNorm`, 'layer_norm', 'nn.LayerNorm', x, 2 * h);
      mlpBlock(ctx, { up: `${L}.intermediate.dense`, gate: '', gateUp: '', down: `${L}.output.dense`, act: `${L}.intermediate.intermediate_act_fn`, mul: '' }, { hidden: h, ffn: c.ffn, act: 'gelu', gated: false, bias: true }, x);
      dropout(ctx, `${L}.output.dropout`, x, c.dropout);
      binary(ctx, `${L}.output.residual`, 'add', x);
      norm(ctx, `${L}.output.LayerNorm`, 'layer_norm', 'nn.LayerNorm', x, 2 * h);
    }
  }
  if (c.pooler) {
    linear(ctx, 'pooler.dense', [B, h], h, h, { bias: true });
    act(ctx, 'pooler.activation', 'tanh', [B, h], 'nn.Tanh');
  }
  // Task heads of the HF classes (modeling_bert.py): DistilBERT's classifier has its own pre_classifier dense instead
  // of a pooler; RoBERTa's classification head has the pooler's shape (dense + tanh + out_proj).
  if (c.classes) {
    if (distil) linear(ctx, 'pre_classifier', [B, h], h, h, { bias: true, quant: false, loraEligible: false });
    linear(ctx, 'classifier', [B, h], h, c.classes, { bias: true, quant: false, loraEligible: false, note: `sequence-classification head (${c.classes} label${c.classes === 1 ? '' : 's'})` });
  }
  if (c.mlmHead) {
    const P = distil ? { dense: 'vocab_transform', ln: 'vocab_layer_norm', dec: 'vocab_projector' } : { dense: 'cls.predictions.transform.dense', ln: 'cls.predictions.transform.LayerNorm', dec: 'cls.predictions.decoder' };
    linear(ctx, P.dense, x, h, h, { bias: true, quant: false, loraEligible: false });
    act(ctx, `${P.dense}.act`, 'gelu', x);
    norm(ctx, P.ln, 'layer_norm', 'nn.LayerNorm', x, 2 * h);
    linear(ctx, P.dec, x, h, c.vocab, { bias: true, quant: false, loraEligible: false, params: c.vocab, note: 'masked-LM decoder tied to the word embeddings (its own bias counted)' });
  }
}

// ---------------------------------------------------------------------------------------------------
// T5

export function buildT5(ctx: EmitContext, c: T5Config, B: number, S: number, T: number, o: { loss?: boolean; prefix?: string } = {}): void {
  const P = o.prefix ?? '';
  const d = c.dModel;
  const sp = (causal: boolean): AttnSpec => ({ hidden: d, heads: c.heads, kvHeads: c.heads, headDim: c.dKv, qkvBias: false, outBias: false, fused: false, rope: false, causal, materialized: true });
  const ffn: MlpSpec = { hidden: d, ffn: c.dFf, act: c.act, gated: c.gated, bias: false };
  const ffnNames = (L: string): MlpNames => c.gated
    ? { gate: `${L}.DenseReluDense.wi_0`, up: `${L}.DenseReluDense.wi_1`, gateUp: '', down: `${L}.DenseReluDense.wo`, act: `${L}.DenseReluDense.act`, mul: `${L}.DenseReluDense.mul` }
    : { up: `${L}.DenseReluDense.wi`, gate: '', gateUp: '', down: `${L}.DenseReluDense.wo`, act: `${L}.DenseReluDense.act`, mul: '' };
  const attnNames = (L: string, kind: 'SelfAttention' | 'EncDecAttention'): AttnNames =>
    ({ q: `${L}.${kind}.q`, k: `${L}.${kind}.k`, v: `${L}.${kind}.v`, o: `${L}.${kind}.o`, qkv: '', core: `${L}.${kind}` });

  const x = [B, S, d];
  embed(ctx, J(P, 'shared'), [B, S], c.vocab, d);
  dropout(ctx, J(P, 'encoder.dropout'), x, c.dropout);
  for (let i = 0; i < c.encoderLayers; i++) {
    const L = J(P, `encoder.block.${i}.layer.0`);
    norm(ctx, `${L}.layer_norm`, 'rms_norm', 'T5LayerNorm', x, d);
    if (i === 0) paramOp(ctx, `${L}.SelfAttention.relative_attention_bias`, 'position_bias', 'nn.Embedding', [B, c.heads, S, S], c.relBuckets * c.heads, { note: 'relative-position bias, computed once per stack' });
    attentionBlock(ctx, attnNames(L, 'SelfAttention'), sp(false), x);
    binary(ctx, `${L}.residual`, 'add', x);
    const F = J(P, `encoder.block.${i}.layer.1`);
    norm(ctx, `${F}.layer_norm`, 'rms_norm', 'T5LayerNorm', x, d);
    mlpBlock(ctx, ffnNames(F), ffn, x);
    binary(ctx, `${F}.residual`, 'add', x);
  }
  norm(ctx, J(P, 'encoder.final_layer_norm'), 'rms_norm', 'T5LayerNorm', x, d);
  if (c.decoderLayers <= 0) return;

  const y = [B, T, d];
  embed(ctx, J(P, 'decoder.embed_tokens'), [B, T], c.vocab, d, { params: 0 });
  for (let i = 0; i < c.decoderLayers; i++) {
    const L0 = J(P, `decoder.block.${i}.layer.0`);
    norm(ctx, `${L0}.layer_norm`, 'rms_norm', 'T5LayerNorm', y, d);
    if (i === 0) paramOp(ctx, `${L0}.SelfAttention.relative_attention_bias`, 'position_bias', 'nn.Embedding', [B, c.heads, T, T], c.relBuckets * c.heads);
    attentionBlock(ctx, attnNames(L0, 'SelfAttention'), sp(true), y);
    binary(ctx, `${L0}.residual`, 'add', y);
    const L1 = J(P, `decoder.block.${i}.layer.1`);
    norm(ctx, `${L1}.layer_norm`, 'rms_norm', 'T5LayerNorm', y, d);
    attentionBlock(ctx, attnNames(L1, 'EncDecAttention'), sp(false), y, { kvSource: x, kvInDim: d });
    binary(ctx, `${L1}.residual`, 'add', y);
    const L2 = J(P, `decoder.block.${i}.layer.2`);
    norm(ctx, `${L2}.layer_norm`, 'rms_norm', 'T5LayerNorm', y, d);
    mlpBlock(ctx, ffnNames(L2), ffn, y);
    binary(ctx, `${L2}.residual`, 'add', y);
  }
  norm(ctx, J(P, 'decoder.final_layer_norm'), 'rms_norm', 'T5LayerNorm', y, d);
  linear(ctx, J(P, 'lm_head'), y, d, c.vocab, { bias: false, quant: false, loraEligible: false, params: c.tiedLmHead ? 0 : undefined, note: c.tiedLmHead ? 'tied to shared embedding' : undefined });
  if (o.loss) lossOp(ctx, J(P, 'loss'), [B, T, c.vocab]);
}

// ---------------------------------------------------------------------------------------------------
// Whisper

export function buildWhisper(ctx: EmitContext, c: WhisperConfig, B: number, T: number, o: { loss?: boolean; decodeKv?: number } = {}): void {
  const d = c.dModel;
  const frames = c.audioPositions * 2;
  const x = [B, c.audioPositions, d];
  const sp = (causal: boolean): AttnSpec => ({ hidden: d, heads: c.heads, kvHeads: c.heads, headDim: d / c.heads, qkvBias: true, kBias: false, outBias: true, fused: false, rope: false, causal });
  const mlp: MlpSpec = { hidden: d, ffn: c.ffn, act: 'gelu', gated: false, bias: true };
  const names = (L: string, m: string): AttnNames => ({ q: `${L}.${m}.q_proj`, k: `${L}.${m}.k_proj`, v: `${L}.${m}.v_proj`, o: `${L}.${m}.out_proj`, qkv: '', core: `${L}.${m}` });
  const mlpNames = (L: string): MlpNames => ({ up: `${L}.fc1`, gate: '', gateUp: '', down: `${L}.fc2`, act: `${L}.activation_fn`, mul: '' });
  // One decoding step (generate with a KV cache): T new tokens against decodeKv cached ones, cross-attention on the
  // cached encoder keys/values; no encoder pass.
  if (o.decodeKv === undefined) buildWhisperEncoder(ctx, c, B, frames, x, sp, mlp, names, mlpNames);
  buildWhisperDecoder(ctx, c, B, T, x, sp, mlp, names, mlpNames, o);
}

function buildWhisperEncoder(
  ctx: EmitContext, c: WhisperConfig, B: number, frames: number, x: number[], sp: (causal: boolean) => AttnSpec, mlp: MlpSpec,
  names: (L: string, m: string) => AttnNames, mlpNames: (L: string) => MlpNames,
): void {
  const d = c.dModel;
  const E = 'model.encoder';
  const S = c.audioPositions;
  let a = conv1d(ctx, `${E}.conv1`, [B, c.nMels, frames], c.nMels, d, { k: 3, pad: 1, bias: true });
  act(ctx, `${E}.conv1.gelu`, 'gelu', a);
  a = conv1d(ctx, `${E}.conv2`, a, d, d, { k: 3, stride: 2, pad: 1, bias: true });
  act(ctx, `${E}.conv2.gelu`, 'gelu', a);
  paramOp(ctx, `${E}.embed_positions`, 'add', 'nn.Embedding', x, S * d, { note: 'sinusoidal table stored as a (frozen) parameter' });
  for (let i = 0; i < c.encoderLayers; i++) {
    const L = `${E}.layers.${i}`;
    norm(ctx, `${L}.self_attn_layer_norm`, 'layer_norm', 'nn.LayerNorm', x, 2 * d);
    attentionBlock(ctx, names(L, 'self_attn'), sp(false), x);
    binary(ctx, `${L}.residual_attn`, 'add', x);
    norm(ctx, `${L}.final_layer_norm`, 'layer_norm', 'nn.LayerNorm', x, 2 * d);
    mlpBlock(ctx, mlpNames(L), mlp, x);
    binary(ctx, `${L}.residual_mlp`, 'add', x);
  }
  norm(ctx, `${E}.layer_norm`, 'layer_norm', 'nn.LayerNorm', x, 2 * d);
}

function buildWhisperDecoder(
  ctx: EmitContext, c: WhisperConfig, B: number, T: number, x: number[], sp: (causal: boolean) => AttnSpec, mlp: MlpSpec,
  names: (L: string, m: string) => AttnNames, mlpNames: (L: string) => MlpNames, o: { loss?: boolean; decodeKv?: number },
): void {
  const d = c.dModel;
  const D = 'model.decoder';
  const tt = Math.min(T, c.textPositions);
  const y = [B, tt, d];
  embed(ctx, `${D}.embed_tokens`, [B, tt], c.vocab, d);
  embed(ctx, `${D}.embed_positions`, [tt], c.textPositions, d);
  binary(ctx, `${D}.embed.add`, 'add', y);
  for (let i = 0; i < c.decoderLayers; i++) {
    const L = `${D}.layers.${i}`;
    norm(ctx, `${L}.self_attn_layer_norm`, 'layer_norm', 'nn.LayerNorm', y, 2 * d);
    attentionBlock(ctx, names(L, 'self_attn'), sp(true), y, { kvLen: o.decodeKv });
    binary(ctx, `${L}.residual_self`, 'add', y);
    norm(ctx, `${L}.encoder_attn_layer_norm`, 'layer_norm', 'nn.LayerNorm', y, 2 * d);
    attentionBlock(ctx, names(L, 'encoder_attn'), sp(false), y, { kvSource: x, kvInDim: d, kvCached: o.decodeKv !== undefined });
    binary(ctx, `${L}.residual_cross`, 'add', y);
    norm(ctx, `${L}.final_layer_norm`, 'layer_norm', 'nn.LayerNorm', y, 2 * d);
    mlpBlock(ctx, mlpNames(L), mlp, y);
    binary(ctx, `${L}.residual_mlp`, 'add', y);
  }
  norm(ctx, `${D}.layer_norm`, 'layer_norm', 'nn.LayerNorm', y, 2 * d);
  linear(ctx, 'proj_out', y, d, c.vocab, { bias: false, quant: false, loraEligible: false, params: 0, note: 'tied to decoder.embed_tokens' });
  if (o.loss) lossOp(ctx, 'loss', [B, tt, c.vocab]);
}

// ---------------------------------------------------------------------------------------------------
// ViT / CLIP towers

/** A ViT image tower. Returns the pooled/class output width. */
export function buildVit(ctx: EmitContext, c: VitConfig, B: number, image: number, prefix = ''): void {
  const h = c.hidden;
  const tv = c.style === 'torchvision';
  const grid = Math.floor(image / c.patch);
  const nativeTokens = Math.floor(c.imageSize / c.patch) ** 2 + 1;
  const N = grid * grid + 1;
  const x = [B, N, h];
  if (tv) {
    conv2d(ctx, J(prefix, 'conv_proj'), [B, 3, image, image], 3, h, { k: c.patch, stride: c.patch, bias: true });
    paramOp(ctx, J(prefix, 'class_token'), 'cat', 'torch.cat', x, h, { flopsPerElement: 0 });
    paramOp(ctx, J(prefix, 'encoder.pos_embedding'), 'add', 'nn.Parameter', x, nativeTokens * h,
      { note: N !== nativeTokens ? `position table is ${nativeTokens}×${h} (interpolated to ${N} tokens)` : undefined });
  } else {
    const E = J(prefix, 'embeddings');
    conv2d(ctx, `${E}.patch_embedding`, [B, 3, image, image], 3, h, { k: c.patch, stride: c.patch, bias: false });
    paramOp(ctx, `${E}.class_embedding`, 'cat', 'torch.cat', x, h, { flopsPerElement: 0 });
    embed(ctx, `${E}.position_embedding`, [N], nativeTokens, h);
    binary(ctx, `${E}.add`, 'add', x);
    norm(ctx, J(prefix, 'pre_layrnorm'), 'layer_norm', 'nn.LayerNorm', x, 2 * h);
  }
  const sp: AttnSpec = { hidden: h, heads: c.heads, kvHeads: c.heads, headDim: h / c.heads, qkvBias: true, outBias: true, fused: tv, rope: false, causal: false };
  const mlp: MlpSpec = { hidden: h, ffn: c.mlp, act: c.act, gated: false, bias: true };
  for (let i = 0; i < c.layers; i++) {
    if (tv) {
      const L = J(prefix, `encoder.layers.encoder_layer_${i}`);
      norm(ctx, `${L}.ln_1`, 'layer_norm', 'nn.LayerNorm', x, 2 * h);
      attentionBlock(ctx, { q: '', k: '', v: '', qkv: `${L}.self_attention.in_proj`, o: `${L}.self_attention.out_proj`, core: `${L}.self_attention` }, { ...sp, labelLinear: 'nn.MultiheadAttention' }, x);
      binary(ctx, `${L}.residual_attn`, 'add', x);
      norm(ctx, `${L}.ln_2`, 'layer_norm', 'nn.LayerNorm', x, 2 * h);
      mlpBlock(ctx, { up: `${L}.mlp.0`, gate: '', gateUp: '', down: `${L}.mlp.3`, act: `${L}.mlp.1`, mul: '' }, mlp, x);
      binary(ctx, `${L}.residual_mlp`, 'add', x);
    } else {
      const L = J(prefix, `encoder.layers.${i}`);
      norm(ctx, `${L}.layer_norm1`, 'layer_norm', 'nn.LayerNorm', x, 2 * h);
      attentionBlock(ctx, { q: `${L}.self_attn.q_proj`, k: `${L}.self_attn.k_proj`, v: `${L}.self_attn.v_proj`, qkv: '', o: `${L}.self_attn.out_proj`, core: `${L}.self_attn` }, sp, x);
      binary(ctx, `${L}.residual_attn`, 'add', x);
      norm(ctx, `${L}.layer_norm2`, 'layer_norm', 'nn.LayerNorm', x, 2 * h);
      mlpBlock(ctx, { up: `${L}.mlp.fc1`, gate: '', gateUp: '', down: `${L}.mlp.fc2`, act: `${L}.mlp.activation_fn`, mul: '' }, mlp, x);
      binary(ctx, `${L}.residual_mlp`, 'add', x);
    }
  }
  if (tv) {
    norm(ctx, J(prefix, 'encoder.ln'), 'layer_norm', 'nn.LayerNorm', x, 2 * h);
    if (c.classes > 0) linear(ctx, J(prefix, 'heads.head'), [B, h], h, c.classes, { bias: true, quant: false, loraEligible: false });
  } else {
    norm(ctx, J(prefix, 'post_layernorm'), 'layer_norm', 'nn.LayerNorm', [B, h], 2 * h);
  }
}

/** A CLIP text tower (causal mask), with its optional projection. */
export function buildClipText(ctx: EmitContext, c: ClipTextConfig, B: number, S: number, prefix = 'text_model', projectionName = 'text_projection'): void {
  const h = c.hidden;
  const s = Math.min(S, c.maxPositions);
  const x = [B, s, h];
  const E = J(prefix, 'embeddings');
  embed(ctx, `${E}.token_embedding`, [B, s], c.vocab, h);
  embed(ctx, `${E}.position_embedding`, [s], c.maxPositions, h);
  binary(ctx, `${E}.add`, 'add', x);
  const sp: AttnSpec = { hidden: h, heads: c.heads, kvHeads: c.heads, headDim: h / c.heads, qkvBias: true, outBias: true, fused: false, rope: false, causal: true };
  const mlp: MlpSpec = { hidden: h, ffn: c.mlp, act: c.act, gated: false, bias: true };
  for (let i = 0; i < c.layers; i++) {
    const L = J(prefix, `encoder.layers.${i}`);
    norm(ctx, `${L}.layer_norm1`, 'layer_norm', 'nn.LayerNorm', x, 2 * h);
    attentionBlock(ctx, { q: `${L}.self_attn.q_proj`, k: `${L}.self_attn.k_proj`, v: `${L}.self_attn.v_proj`, qkv: '', o: `${L}.self_attn.out_proj`, core: `${L}.self_attn` }, sp, x);
    binary(ctx, `${L}.residual_attn`, 'add', x);
    norm(ctx, `${L}.layer_norm2`, 'layer_norm', 'nn.LayerNorm', x, 2 * h);
    mlpBlock(ctx, { up: `${L}.mlp.fc1`, gate: '', gateUp: '', down: `${L}.mlp.fc2`, act: `${L}.mlp.activation_fn`, mul: '' }, mlp, x);
    binary(ctx, `${L}.residual_mlp`, 'add', x);
  }
  norm(ctx, J(prefix, 'final_layer_norm'), 'layer_norm', 'nn.LayerNorm', x, 2 * h);
  if (c.projection > 0) linear(ctx, projectionName, [B, h], h, c.projection, { bias: false, quant: false });
}

/** Dual-tower CLIP: image and text embeddings and their similarity logits. */
export function buildClip(ctx: EmitContext, c: ClipConfig, B: number, image: number, S: number): void {
  buildVit(ctx, c.vision, B, image, 'vision_model');
  linear(ctx, 'visual_projection', [B, c.vision.hidden], c.vision.hidden, c.projectionDim, { bias: false, quant: false });
  buildClipText(ctx, { ...c.text, projection: 0 }, B, S, 'text_model');
  linear(ctx, 'text_projection', [B, c.text.hidden], c.text.hidden, c.projectionDim, { bias: false, quant: false });
  const m = matmulCost([B, c.projectionDim], [c.projectionDim, B], ctx.dtype);
  push(ctx, 'logits_per_image', 'torch.matmul', m, [[B, c.projectionDim], [c.projectionDim, B]], { params: 1, note: 'includes logit_scale (1 parameter)' });
}
