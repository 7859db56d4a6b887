/**
 * Workload helpers for catalog models: LLM training (with LoRA/QLoRA, recompute, 6ND/8ND cross-checks),
 * LLM inference (prefill vs decode, KV cache, quantised weights, MoE) and diffusion pipelines
 * (text encoding, denoising steps with CFG, VAE decode). All pure; none throws on user input.
 */
import type { Dtype, MemoryBreakdown, Op } from '../types';
import { DTYPE_BYTES } from '../types';
import type {
  CatalogEntry, CrossCheck, DecoderConfig, DiffusionOptions, LlmInferenceOptions, LlmTrainingOptions, PipelineConfig, QuantScheme, ZooWorkload,
} from './types';
import { newContext, push, sumOps, type EmitContext } from './emit';
import { buildClipText, buildDecoder, buildT5, buildWhisper, expertParams } from './arch/transformer';
import { buildFlux, buildUnet, buildVaeDecoder } from './arch/diffusion';
import {
  activationBytesPerElement, buildModel, nonNegInt, posInt, vaeEncoderParams, validDtype,
} from './build';
import { elementwiseCost } from '../ops/primitives';
import { pushAll } from '../arrays';

const is16 = (d: Dtype): boolean => d === 'fp16' || d === 'bf16';
const GiB = 2 ** 30;

function emptyWorkload(notes: string[]): ZooWorkload {
  return { ops: [], params: 0, trainableParams: 0, memory: {}, notes, totals: { forwardFlops: 0, backwardFlops: 0, recomputeFlops: 0, steps: 0, runFlops: 0 } };
}

/** Parameters per token for MoE entries (router + top-k experts + everything shared). */
export function activeParamsOf(entry: CatalogEntry, params: number): number {
  const a = entry.arch;
  if (a.kind !== 'decoder' || !a.moe) return params;
  return params - a.layers * (a.moe.experts - a.moe.topK) * expertParams(a);
}

/**
 * Bytes per stored weight for a quantisation scheme, scales included:
 * bitsandbytes int8 (LLM.int8, fp32 row scales ≈ 0) 1.0; NF4 with fp32 absmax per 64 weights 4.5 bits;
 * GPTQ/AWQ int4 with fp16 scale + 4-bit zero per group of 128 ≈ 4.16 bits → 0.52 B.
 */
export function quantBytesPerWeight(weightDtype: Dtype, quant: QuantScheme | undefined): { bytes: number; scheme: QuantScheme } {
  const scheme: QuantScheme = quant ?? (weightDtype === 'int4' ? 'bnb-nf4' : weightDtype === 'int8' ? 'bnb-int8' : 'none');
  switch (scheme) {
    case 'bnb-int8': return { bytes: 1, scheme };
    case 'bnb-nf4': return { bytes: 0.5 + 4 / 64, scheme };
    case 'gptq':
    case 'awq': return { bytes: 0.5 + (2 + 0.5) / 128, scheme };
    default: return { bytes: DTYPE_BYTES[weightDtype], scheme: 'none' };
  }
}

/** Params of the quantisable (block-linear, non-adapter) ops. */
const quantisableParams = (ops: readonly Op[]): number =>
  ops.filter((o) => o.kind === 'linear' && !o.name.endsWith('lm_head') && !o.name.includes('.lora_')).reduce((s, o) => s + o.params, 0);

const optimizerStateBytes = (opt: LlmTrainingOptions['optimizer'], mixed: boolean): { bytes: number; label: string } => {
  const master = mixed ? 4 : 0;
  switch (opt) {
    case 'adamw-8bit': return { bytes: 2 + master, label: '8-bit AdamW (m, v at 1 B each)' };
    case 'sgd': return { bytes: master, label: 'SGD (no state)' };
    case 'sgd-momentum': return { bytes: 4 + master, label: 'SGD + momentum (fp32 buffer)' };
    default: return { bytes: 8 + master, label: 'AdamW (fp32 m and v)' };
  }
};

// ---------------------------------------------------------------------------------------------------
// Training

/**
 * One training step of a decoder LM: `gradAccum` micro-batch forwards (Op.count = gradAccum, phase
 * 'forward', each op carrying its backward FLOPs: 2× forward for trainable GEMMs, 1× for frozen),
 * plus the optimizer step. Cross-checks 6·N·D and 8·N·D are reported beside the op-summed FLOPs.
 * Memory: mixed precision = 16-bit weights and grads + fp32 master/m/v (16 B/param, ZeRO's K=12);
 * LoRA: frozen base at `weightDtype` (QLoRA NF4), fp32 adapters with their own grads and Adam state;
 * activations by Korthikanti et al. (recompute / FlashAttention aware) plus fp32 logits.
 */
export function llmTrainingWorkload(entry: CatalogEntry, o: LlmTrainingOptions): ZooWorkload {
  const notes: string[] = [];
  if (!entry || typeof entry !== 'object' || !entry.arch) return emptyWorkload(['No catalog entry to cost.']);
  const B = posInt(o?.batch, 1, 'batch', notes);
  const S = posInt(o?.seqLen, entry.defaults?.seqLen ?? 512, 'sequence length', notes);
  const G = posInt(o?.gradAccum ?? 1, 1, 'gradient accumulation', notes);
  const dtype = validDtype(o?.dtype, 'bf16', 'dtype', notes);
  const weightDtype = validDtype(o?.weightDtype ?? dtype, dtype, 'weight dtype', notes);
  const recompute = o?.recompute === 'selective' || o?.recompute === 'full' ? o.recompute : 'none';
  const flash = o?.flashAttention !== false;
  const arch = entry.arch;
  const built = buildModel(entry, { batch: B, seqLen: S, dtype, weightDtype, mode: 'train', lora: o?.lora, recompute, flashAttention: flash });
  pushAll(notes, built.notes);
  if (arch.kind !== 'decoder') notes.push(`${entry.name} is not a decoder LM; costed as a generic training step of its forward.`);
  const ops = built.ops;
  for (const op of ops) op.count = G;
  const seq = arch.kind === 'decoder' ? Math.min(S, arch.maxContext) : S;
  const tokensPerMicro = B * seq;
  const tokensPerStep = tokensPerMicro * G;

  const fwdMicro = sumOps(ops, (op) => op.forwardFlops, true);
  const bwdMicro = sumOps(ops, (op) => op.backwardFlops, true);
  let recMicro = 0;
  if (recompute === 'full') recMicro = sumOps(ops.filter((op) => /\.(layers|h)\.\d+\./.test(op.name)), (op) => op.forwardFlops, true);
  else if (recompute === 'selective') recMicro = sumOps(ops.filter((op) => op.opClass === 'attention'), (op) => op.forwardFlops, true);

  let steps: number;
  let D: number;
  if (o?.tokenBudget !== undefined && Number.isFinite(o.tokenBudget) && o.tokenBudget > 0) {
    D = o.tokenBudget;
    steps = Math.max(1, Math.ceil(D / tokensPerStep));
    notes.push(`Token budget ${D.toExponential(3)} → ${steps} steps of ${tokensPerStep} tokens.`);
  } else {
    steps = posInt(o?.steps ?? 1, 1, 'steps', notes);
    D = steps * tokensPerStep;
    if (o?.steps === undefined) notes.push('No steps or token budget given: one optimizer step.');
  }

  const params = built.params;
  const trainable = built.trainableParams;
  const N = activeParamsOf(entry, params);
  const lora = !!o?.lora;
  const perToken = (fwdMicro + bwdMicro) / tokensPerMicro;
  const runFlops = ((fwdMicro + bwdMicro + recMicro) / tokensPerMicro) * D;

  // Optimizer step.
  const mixed = is16(dtype);
  const opt = optimizerStateBytes(o?.optimizer, lora ? false : mixed);
  const gradBytes = lora ? 4 : activationBytesPerElement(dtype);
  const weightBytes = lora ? 4 : DTYPE_BYTES[dtype];
  const optOp: Op = {
    kind: o?.optimizer ?? 'adamw', opClass: 'optimizer', name: 'optimizer.step', label: 'torch.optim.AdamW',
    inputShapes: [[trainable]], outputShape: [trainable], params: 0, trainableParams: 0,
    forwardFlops: 12 * trainable, backwardFlops: 0,
    bytesRead: trainable * (gradBytes + opt.bytes), bytesWritten: trainable * (opt.bytes + weightBytes), savedBytes: 0,
    dtype: 'fp32', count: 1, phase: 'optimizer', traced: true, note: `${opt.label}${mixed && !lora ? ' + fp32 master weights' : ''}; ≈12 FLOPs per parameter`,
  };
  if (o?.optimizer === 'sgd' || o?.optimizer === 'sgd-momentum') optOp.label = 'torch.optim.SGD';
  if (o?.optimizer === 'adamw-8bit') optOp.label = 'bnb.optim.AdamW8bit';
  ops.push(optOp);

  // Memory.
  const memory: Partial<MemoryBreakdown> = {};
  if (lora) {
    const frozen = params - trainable;
    const qp = Math.min(frozen, quantisableParams(ops));
    const q = quantBytesPerWeight(weightDtype, undefined);
    memory.weights = qp * q.bytes + (frozen - qp) * DTYPE_BYTES[dtype] + trainable * 4;
    memory.gradients = trainable * 4;
    memory.optimizer = trainable * opt.bytes;
    notes.push(`LoRA: ${trainable.toLocaleString('en-US')} trainable adapter parameters (fp32, with grads and ${opt.label}); ${frozen.toLocaleString('en-US')} frozen base parameters get input-gradient-only backward${weightDtype !== dtype ? `; ${qp.toLocaleString('en-US')} of them (block linears) stored as ${weightDtype} (${q.scheme}, ${(q.bytes * 8).toFixed(2)} bits with scales), embeddings/norms/LM head in ${dtype}` : ''}.`);
  } else {
    memory.weights = params * DTYPE_BYTES[dtype];
    memory.gradients = trainable * activationBytesPerElement(dtype);
    memory.optimizer = trainable * opt.bytes;
    notes.push(mixed
      ? `Mixed precision: ${DTYPE_BYTES[dtype]} B weights + 2 B grads + ${opt.bytes} B optimizer state (fp32 master${opt.bytes > 4 ? ' + states' : ''}) per parameter.`
      : `${dtype} training: ${DTYPE_BYTES[dtype]} B weights + ${activationBytesPerElement(dtype)} B grads + ${opt.bytes} B optimizer state per parameter.`);
  }
  memory.activations = built.activationBytes;
  memory.kvCache = 0;
  memory.peakBytes = (memory.weights ?? 0) + (memory.optimizer ?? 0) + Math.max(memory.gradients ?? 0, memory.activations ?? 0);
  notes.push('Peak ≈ weights + optimizer + max(gradients, activations) (HF "Optimizing LLMs" rule); activations are per micro-batch.');

  const crossChecks: CrossCheck[] = [
    { name: 'ops: forward + backward' + (recMicro > 0 ? ' + recompute' : ''), flops: runFlops, note: `summed from the op table: ${(perToken / 1e9).toFixed(3)} GFLOP/token fwd+bwd incl. attention (causal halved)${recMicro > 0 ? `, + ${(recMicro / tokensPerMicro / 1e9).toFixed(3)} GFLOP/token recompute` : ''}` },
    { name: '6·N·D', flops: 6 * N * D, note: `Kaplan/Chinchilla rule, N = ${(N / 1e9).toFixed(3)} B ${N !== params ? 'active ' : ''}parameters incl. embeddings, D = ${D.toExponential(3)} tokens; excludes attention` },
    { name: '8·N·D (full recompute)', flops: 8 * N * D, note: 'hardware FLOPs with full activation recomputation (Megatron HFU convention)' },
  ];
  if (arch.kind === 'decoder') {
    const attnPerToken = 6 * arch.layers * arch.heads * arch.headDim * seq;
    crossChecks.push({ name: '(6·N + 6·L·a·d_h·s)·D', flops: (6 * N + attnPerToken) * D, note: 'PaLM Appendix B with causal attention halved (12 → 6)' });
  }
  if (lora) crossChecks.push({ name: '4·N·D + 6·N_lora·D', flops: (4 * (params - trainable) + 6 * trainable) * D, note: 'frozen base: forward 2N + input-gradient 2N; adapters train fully' });

  return {
    ops, params, trainableParams: trainable, memory, crossChecks, notes,
    totals: {
      forwardFlops: fwdMicro * G, backwardFlops: bwdMicro * G, recomputeFlops: recMicro * G, steps, runFlops,
      tokensPerStep, flopsPerToken: perToken, activeParams: N,
    },
  };
}

// ---------------------------------------------------------------------------------------------------
// Inference

/** KV-cache bytes for `tokens` of context (GQA and head_dim aware; sliding-window layers capped). */
export function kvCacheBytes(c: DecoderConfig, batch: number, tokens: number, kvDtype: Dtype): number {
  const t = Math.min(tokens, c.maxContext);
  let total = 0;
  for (let i = 0; i < c.layers; i++) {
    const windowed = c.slidingWindow && (!c.slidingEvery || i % c.slidingEvery === 0);
    const len = windowed ? Math.min(t, c.slidingWindow as number) : t;
    total += 2 * c.kvHeads * c.headDim * DTYPE_BYTES[kvDtype] * batch * len;
  }
  return total;
}

/**
 * A `generate()` call: prefill ops (phase 'prefill', count 1, logits for the last prompt token only,
 * as transformers' generate does) and decode ops for one new token at the mean context length
 * (phase 'decode', count = newTokens; params 0 there because prefill owns them). KV cache is GQA
 * and head_dim aware and capped at the real context; MoE decode reads only the experts touched.
 */
export function llmInferenceWorkload(entry: CatalogEntry, o: LlmInferenceOptions): ZooWorkload {
  const notes: string[] = [];
  if (!entry || typeof entry !== 'object' || !entry.arch) return emptyWorkload(['No catalog entry to cost.']);
  const arch = entry.arch;
  if (arch.kind !== 'decoder') {
    notes.push(`${entry.name} is not a decoder LM; llmInferenceWorkload needs one.`);
    return emptyWorkload(notes);
  }
  const B = posInt(o?.batch, 1, 'batch', notes);
  let P = posInt(o?.promptTokens, 1, 'prompt tokens', notes);
  let Nn = nonNegInt(o?.newTokens, 0, 'new tokens', notes);
  const dtype = validDtype(o?.dtype, 'bf16', 'dtype', notes);
  const weightDtype = validDtype(o?.weightDtype ?? dtype, dtype, 'weight dtype', notes);
  const kvDtype = validDtype(o?.kvDtype ?? dtype, dtype, 'KV dtype', notes);
  const flash = o?.flashAttention !== false;
  if (P > arch.maxContext) { notes.push(`Prompt ${P} exceeds the context ${arch.maxContext}; truncated.`); P = arch.maxContext; }
  if (P + Nn > arch.maxContext) { Nn = Math.max(0, arch.maxContext - P); notes.push(`Generation capped at the context length ${arch.maxContext}: ${Nn} new tokens.`); }
  const q = quantBytesPerWeight(weightDtype, o?.quant);

  const pre = newContext({ dtype, weightDtype, phase: 'prefill', count: 1, train: false, flash, kvDtype });
  buildDecoder(pre, arch, { batch: B, seq: P, logitsTokens: 1 });
  const dec = newContext({ dtype, weightDtype, phase: 'decode', count: Math.max(Nn, 0), train: false, flash, kvDtype, ownsParams: false });
  const meanCtx = Math.min(arch.maxContext, Math.round(P + (Nn + 1) / 2));
  if (Nn > 0) buildDecoder(dec, arch, { batch: B, seq: 1, kvLen: meanCtx });
  const patchScales = (ctx: EmitContext): void => {
    if (q.scheme === 'none') return;
    const extra = q.bytes - DTYPE_BYTES[weightDtype];
    for (const op of ctx.quantOps) {
      if (/experts\.w\d$/.test(op.name)) continue;
      const inF = op.inputShapes[0][op.inputShapes[0].length - 1];
      const outF = op.outputShape[op.outputShape.length - 1];
      op.bytesRead += inF * outF * extra;
    }
  };
  patchScales(pre); patchScales(dec);
  const ops = [...pre.ops, ...dec.ops];
  const params = pre.ops.reduce((s, op) => s + op.params, 0);
  const trainable = pre.ops.reduce((s, op) => s + op.trainableParams, 0);
  const active = activeParamsOf(entry, params);

  const qp = weightDtype !== dtype ? quantisableParams(pre.ops) : 0;
  const kv = kvCacheBytes(arch, B, P + Nn, kvDtype);
  const memory: Partial<MemoryBreakdown> = {
    weights: qp * q.bytes + (params - qp) * DTYPE_BYTES[dtype],
    gradients: 0,
    optimizer: 0,
    activations: Math.max(pre.peakWorking, dec.peakWorking),
    kvCache: kv,
  };
  memory.peakBytes = (memory.weights ?? 0) + (memory.activations ?? 0) + kv;

  const fwdPre = sumOps(pre.ops, (op) => op.forwardFlops, true);
  const fwdDec = sumOps(dec.ops, (op) => op.forwardFlops, true);
  const perTok = 2 * arch.kvHeads * arch.headDim * DTYPE_BYTES[kvDtype] * arch.layers;
  notes.push(
    `KV cache: 2 × ${arch.layers} layers × ${arch.kvHeads} KV heads × ${arch.headDim} head_dim × ${DTYPE_BYTES[kvDtype]} B = ${perTok.toLocaleString('en-US')} B/token${arch.slidingWindow ? ` (sliding-window layers capped at ${arch.slidingWindow})` : ''}; ${(kv / GiB).toFixed(2)} GiB for ${B} × ${Math.min(P + Nn, arch.maxContext)} tokens.`,
    `Prefill: ${P} prompt tokens, logits for the last token only (generate keeps 1). Decode: ${Nn} steps costed at the mean context ${meanCtx}.`,
  );
  if (weightDtype !== dtype) notes.push(`Block linear weights stored as ${weightDtype} (${q.scheme}, ${(q.bytes * 8).toFixed(2)} bits/weight with scales), dequantised to ${dtype}; embeddings, norms and the LM head stay ${dtype}.`);
  if (arch.moe) notes.push(`MoE: ${(active / 1e9).toFixed(2)} B of ${(params / 1e9).toFixed(2)} B parameters active per token (router + top-${arch.moe.topK} of ${arch.moe.experts} experts); decode reads only the experts the batch touches.`);

  const crossChecks: CrossCheck[] = [
    { name: '2·N per token (prefill + decode)', flops: 2 * active * B * (P + Nn), note: 'forward ≈ 2 FLOPs per (active) parameter per token, excluding attention; the op sum computes the LM head for one prefill position only' },
  ];
  const forward = fwdPre + fwdDec * Nn;
  return {
    ops, params, trainableParams: trainable, memory, crossChecks, notes,
    totals: {
      forwardFlops: forward, backwardFlops: 0, recomputeFlops: 0, steps: 1, runFlops: forward,
      tokensPerStep: B * (P + Nn), flopsPerToken: Nn > 0 ? fwdDec / B : fwdPre / (B * P), activeParams: active,
    },
  };
}

/**
 * `generate()` on an encoder–decoder speech model (Whisper): the encoder once over its 30 s window, a first
 * decoder pass over the forced start tokens (phase 'prefill'), then one decoder step per further new token
 * (phase 'decode', self-attention on the cached tokens at the mean context, cross-attention on the encoder
 * keys/values projected once). max_new_tokens = N runs N decoder forwards in all.
 */
export function encoderDecoderGenerateWorkload(entry: CatalogEntry, o: { batch: number; startTokens: number; newTokens: number; dtype: Dtype }): ZooWorkload {
  const notes: string[] = [];
  if (!entry || typeof entry !== 'object' || !entry.arch || entry.arch.kind !== 'whisper') return emptyWorkload([`${entry?.name ?? 'model'} has no encoder–decoder generation workload.`]);
  const arch = entry.arch;
  const B = posInt(o.batch, 1, 'batch', notes);
  const P = posInt(o.startTokens, 1, 'start tokens', notes);
  const Nn = Math.min(nonNegInt(o.newTokens, 0, 'new tokens', notes), Math.max(0, arch.textPositions - P));
  const dtype = validDtype(o.dtype, 'fp32', 'dtype', notes);
  const pre = newContext({ dtype, phase: 'prefill', count: 1, train: false, kvDtype: dtype });
  buildWhisper(pre, arch, B, P);
  const dec = newContext({ dtype, phase: 'decode', count: Math.max(Nn - 1, 0), train: false, kvDtype: dtype, ownsParams: false });
  const meanCtx = Math.round(P + Nn / 2);
  if (Nn > 1) buildWhisper(dec, arch, B, 1, { decodeKv: meanCtx });
  const ops = [...pre.ops, ...dec.ops];
  const params = pre.ops.reduce((s, op) => s + op.params, 0);
  const bytes = DTYPE_BYTES[dtype];
  // Self-attention cache over the text tokens and the cross-attention keys/values of the encoder output.
  const kv = 2 * arch.decoderLayers * arch.dModel * B * bytes * (P + Nn + arch.audioPositions);
  const memory: Partial<MemoryBreakdown> = { weights: params * bytes, gradients: 0, optimizer: 0, activations: Math.max(pre.peakWorking, dec.peakWorking), kvCache: kv };
  memory.peakBytes = (memory.weights ?? 0) + (memory.activations ?? 0) + kv;
  notes.push(`Encoder once over ${arch.audioPositions} audio positions; decoder over ${P} start tokens, then ${Math.max(Nn - 1, 0)} cached steps at the mean context ${meanCtx}.`);
  const forward = sumOps(pre.ops, (op) => op.forwardFlops, true) + sumOps(dec.ops, (op) => op.forwardFlops, true) * Math.max(Nn - 1, 0);
  return {
    ops, params, trainableParams: 0, memory, notes,
    totals: { forwardFlops: forward, backwardFlops: 0, recomputeFlops: 0, steps: 1, runFlops: forward, tokensPerStep: B * (P + Nn) },
  };
}

// ---------------------------------------------------------------------------------------------------
// Diffusion

/**
 * A text-to-image pipeline call: text encoders (phase 'encode', count 1; CFG encodes the negative
 * prompt too), the denoiser (phase 'denoise', count = steps; CFG doubles its batch unless the model
 * is guidance-distilled) and the VAE decoder (phase 'decode-vae', count 1).
 */
export function diffusionWorkload(entry: CatalogEntry, o: DiffusionOptions): ZooWorkload {
  const notes: string[] = [];
  if (!entry || typeof entry !== 'object' || !entry.arch) return emptyWorkload(['No catalog entry to cost.']);
  const arch = entry.arch;
  if (arch.kind !== 'pipeline') {
    notes.push(`${entry.name} is not a diffusion pipeline; diffusionWorkload needs one.`);
    return emptyWorkload(notes);
  }
  const p: PipelineConfig = arch;
  const B = posInt(o?.batch, 1, 'batch', notes);
  const dtype = validDtype(o?.dtype, 'fp16', 'dtype', notes);
  const flash = o?.flashAttention !== false;
  const mult = p.denoiser.kind === 'flux' ? p.vaeScale * 2 : p.vaeScale;
  const snap = (v: number, what: string): number => {
    const r = Math.max(mult, Math.round(v / mult) * mult);
    if (r !== v) notes.push(`${what} ${v} rounded to ${r} (multiple of ${mult}).`);
    return r;
  };
  const H = snap(posInt(o?.height, p.defaults.height, 'height', notes), 'height');
  const W = snap(posInt(o?.width, p.defaults.width, 'width', notes), 'width');
  const steps = posInt(o?.steps, p.defaults.steps, 'steps', notes);
  const guidance = typeof o?.guidance === 'number' && Number.isFinite(o.guidance) ? o.guidance : p.defaults.guidance;
  const cfg = !p.guidanceDistilled && guidance > 1;
  const Bd = cfg ? 2 * B : B;
  notes.push(cfg
    ? `Classifier-free guidance (scale ${guidance}): the denoiser runs on a batch of ${Bd} (conditional + unconditional) each step.`
    : p.guidanceDistilled ? 'Guidance-distilled model: no CFG batch doubling.' : `Guidance ${guidance} ≤ 1: no classifier-free guidance.`);

  const enc = newContext({ dtype, phase: 'encode', count: 1, train: false, flash });
  for (const te of p.textEncoders) {
    if (te.arch.kind === 'clip-text') buildClipText(enc, te.arch, Bd, te.seqLen, `${te.name}.text_model`, `${te.name}.text_projection`);
    else buildT5(enc, te.arch, Bd, te.seqLen, 0, { prefix: te.name });
  }
  const den = newContext({ dtype, phase: 'denoise', count: steps, train: false, flash });
  const lh = H / p.vaeScale, lw = W / p.vaeScale;
  if (p.denoiser.kind === 'unet') {
    buildUnet(den, p.denoiser, Bd, lh, lw, p.textEncoders[0]?.seqLen ?? 77, 'unet');
  } else {
    const t5 = p.textEncoders.find((t) => t.arch.kind === 't5');
    buildFlux(den, p.denoiser, Bd, (lh / 2) * (lw / 2), t5?.seqLen ?? 512, 'transformer');
  }
  const latent = [B, p.vae.latentChannels, lh, lw];
  if (cfg) push(den, 'guidance.combine', 'noise_uncond + s·(noise_text − noise_uncond)', elementwiseCost('cfg_combine', latent, dtype, 3, 2, false), [latent, latent]);
  push(den, 'scheduler.step', 'scheduler.step', elementwiseCost('scheduler_step', latent, dtype, 4, 2, false), [latent, latent]);
  const vae = newContext({ dtype, phase: 'decode-vae', count: 1, train: false, flash });
  buildVaeDecoder(vae, p.vae, B, lh, lw, 'vae');

  const ops = [...enc.ops, ...den.ops, ...vae.ops];
  const encParams = vaeEncoderParams(p, dtype);
  const params = ops.reduce((s, op) => s + op.params, 0) + encParams;
  const trainable = ops.reduce((s, op) => s + op.trainableParams, 0) + encParams;
  notes.push(`VAE encoder (${(encParams / 1e6).toFixed(1)}M parameters) is loaded but not run in text-to-image; counted in weights only.`);
  const memory: Partial<MemoryBreakdown> = {
    weights: params * DTYPE_BYTES[dtype], gradients: 0, optimizer: 0,
    activations: Math.max(enc.peakWorking, den.peakWorking, vae.peakWorking), kvCache: 0,
  };
  memory.peakBytes = (memory.weights ?? 0) + (memory.activations ?? 0);
  notes.push('All components resident on the device (no enable_model_cpu_offload); activations = largest single-op working set.');
  const fwd = sumOps(ops, (op) => op.forwardFlops);
  const denPerStep = sumOps(den.ops, (op) => op.forwardFlops, true);
  return {
    ops, params, trainableParams: trainable, memory, notes,
    crossChecks: [{ name: 'denoiser per step', flops: denPerStep, note: `${p.denoiser.kind === 'unet' ? 'UNet' : 'MMDiT'} forward at batch ${Bd}, ${H}×${W} (latent ${lh}×${lw})` }],
    totals: { forwardFlops: fwd, backwardFlops: 0, recomputeFlops: 0, steps: 1, runFlops: fwd },
  };
}

