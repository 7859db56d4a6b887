/**
 * `buildModel`: one forward call of a catalog entry as `Op[]`, plus parameter counts and
 * activation memory. Also the generalised Korthikanti activation-memory rule for decoder LMs.
 */
import type { Dtype, Op } from '../types';
import type { ArchConfig, BuildOptions, BuiltModel, CatalogEntry, DecoderConfig, LoraOptions, PipelineConfig, Recompute } from './types';
import { newContext, type EmitContext } from './emit';
import { buildClip, buildClipText, buildDecoder, buildEncoder, buildT5, buildVit, buildWhisper } from './arch/transformer';
import { buildConvnext, buildEfficientnet, buildMobilenetV2, buildMobilenetV3, buildResnet, buildSwin, buildVgg } from './arch/cnn';
import { buildFlux, buildUnet, buildVaeDecoder, buildVaeEncoder } from './arch/diffusion';
import { buildDpn } from './arch/dpn';
import { pushAll } from '../arrays';

const DTYPES: readonly Dtype[] = ['fp32', 'tf32', 'fp16', 'bf16', 'fp8', 'fp4', 'int8', 'int4'];

/** A positive integer from user input, or the fallback (with a note when the input was unusable). */
export function posInt(v: unknown, fallback: number, what: string, notes: string[]): number {
  if (v === undefined || v === null) return fallback;
  const n = typeof v === 'number' ? v : Number(v);
  // Beyond 2^53 a float64 no longer holds the integer (`1e308`, `2**64`): no size is that large.
  if (!Number.isFinite(n) || n < 1 || !Number.isSafeInteger(Math.round(n))) {
    notes.push(`${what} ${String(v)} is not a positive integer below 2^53 (size out of range); using ${fallback}.`);
    return fallback;
  }
  return Math.max(1, Math.round(n));
}

/** A non-negative integer (0 allowed). */
export function nonNegInt(v: unknown, fallback: number, what: string, notes: string[]): number {
  if (v === undefined || v === null) return fallback;
  const n = typeof v === 'number' ? v : Number(v);
  if (!Number.isFinite(n) || n < 0 || !Number.isSafeInteger(Math.round(n))) {
    notes.push(`${what} ${String(v)} is not a non-negative integer below 2^53 (size out of range); using ${fallback}.`);
    return fallback;
  }
  return Math.round(n);
}

export function validDtype(v: unknown, fallback: Dtype, what: string, notes: string[]): Dtype {
  if (v === undefined || v === null) return fallback;
  if (typeof v === 'string' && (DTYPES as readonly string[]).includes(v)) return v as Dtype;
  notes.push(`${what} ${String(v)} is not a known dtype; using ${fallback}.`);
  return fallback;
}

/** Elements stored at 16 bits or 32 bits for activations: quantised compute dtypes still keep 16-bit activations. */
export const activationBytesPerElement = (d: Dtype): number => (d === 'fp32' || d === 'tf32' ? 4 : 2);

/** LoRA adapter settings for the emitter. */
export function loraContext(entry: CatalogEntry, lora: LoraOptions | undefined, notes: string[]): EmitContext['lora'] {
  if (!lora) return undefined;
  const r = posInt(lora.r, 8, 'LoRA rank', notes);
  const targets = (lora.targetModules && lora.targetModules.length > 0 ? lora.targetModules : entry.loraTargets ?? ['q_proj', 'v_proj'])
    .filter((t): t is string => typeof t === 'string');
  const allLinear = targets.some((t) => t === 'all-linear' || t === 'all_linear');
  notes.push(`LoRA r=${r}${lora.alpha !== undefined ? ` (alpha ${lora.alpha})` : ''} on ${allLinear ? 'all linear layers except the head' : targets.join(', ')}; base weights frozen.`);
  // "all-linear" on a family whose q/k/v is one fused layer (GPT-NeoX, BLOOM: `query_key_value`) wraps that one layer.
  if (allLinear) for (const t of entry.loraTargets ?? []) if (/^(query_key_value|c_attn|qkv_proj|Wqkv|W_pack)$/.test(t)) targets.push(t);
  return { r, targets: new Set(targets), allLinear };
}

/** Native image size / sequence length of an entry. */
export function defaultSeq(entry: CatalogEntry): number { return entry.defaults?.seqLen ?? 512; }
export function defaultImage(entry: CatalogEntry): number {
  if (entry.defaults?.imageSize) return entry.defaults.imageSize;
  const a = entry.arch;
  return a.kind === 'vit' ? a.imageSize : a.kind === 'clip' ? a.vision.imageSize : 224;
}

/** A class count a classifier can have: a positive integer below 2^53 (not `1e308`, `2**64`, `nan`, `-1`). */
const validClasses = (c: number | undefined): c is number => c !== undefined && Number.isSafeInteger(Math.round(c)) && c >= 1;

/** A copy of the architecture with its classifier resized (torchvision/timm `num_classes`). */
export function withClasses(a: ArchConfig, classes: number | undefined): ArchConfig {
  // A decoder LM loaded for sequence classification: a `score` head of num_labels outputs in place of the LM head.
  if (a.kind === 'decoder' && validClasses(classes)) return { ...a, scoreLabels: Math.round(classes) };
  // An encoder loaded for sequence classification: a classifier of num_labels outputs on the pooled first token.
  if (a.kind === 'encoder' && validClasses(classes)) return { ...a, classes: Math.round(classes) };
  if (!validClasses(classes) || !('classes' in a)) return a;
  return { ...a, classes: Math.round(classes) } as ArchConfig;
}

// ---------------------------------------------------------------------------------------------------
// Activation memory (training)

export interface DecoderActivationOptions {
  batch: number;
  seqLen: number;
  dtype: Dtype;
  recompute: Recompute;
  flash: boolean;
}

export interface ActivationBreakdown {
  /** Bytes saved per layer at the chosen recompute level. */
  perLayer: number;
  /** Per-layer bytes with nothing recomputed and scores materialised (Korthikanti's 34sbh + 5as²b form). */
  perLayerNoRecompute: number;
  layers: number;
  /** Embedding output, final norm and LM-head inputs. */
  edges: number;
  /** fp32 logits + softmax output for the loss: b·s·V·8. */
  logits: number;
  /** Full recompute: one layer rematerialised during backward. */
  recomputeWorkspace: number;
  total: number;
  formula: string;
}

/**
 * Activation memory of a decoder LM in training, generalising Korthikanti et al. 2022 (arXiv
 * 2205.05198, §4) to GQA, SwiGLU, any head_dim and no dropout. For a GPT config (MHA, 4h GELU MLP,
 * dropout, 16-bit) it reduces exactly to `s·b·h·(34 + 5·a·s/h)` per layer.
 * - selective recompute drops the a·s² terms (softmax output, its dropout mask and output);
 * - FlashAttention/SDPA never stores them either, but keeps the fp32 log-sum-exp (4·a·s·b);
 * - full recompute keeps only each layer's input (e·s·b·h) plus one layer's working set.
 */
export function decoderActivationBytes(c: DecoderConfig, o: DecoderActivationOptions): ActivationBreakdown {
  const e = activationBytesPerElement(o.dtype);
  const s = o.seqLen, b = o.batch, h = c.hidden, a = c.heads;
  const sb = s * b;
  const qd = c.heads * c.headDim, kvd = c.kvHeads * c.headDim;
  const drop = c.dropout > 0;
  const window = c.slidingWindow && c.slidingWindow < s ? c.slidingWindow : s;
  const scoresEl = a * s * window * b;
  const norms = c.normsPerLayer * e * sb * h;
  const attnLinear = e * sb * h /* qkv input */ + e * sb * qd /* Q */ + 2 * e * sb * kvd /* K, V */ + e * sb * qd /* proj input = attention output */ + (drop ? sb * h : 0);
  const scores = e * scoresEl + (drop ? scoresEl + e * scoresEl : 0);
  const f = c.ffn * (c.moe ? c.moe.topK : 1);
  const mlp = e * sb * h + (c.gated ? 4 : 2) * e * sb * f + (drop ? sb * h : 0);
  const base = norms + attnLinear + mlp;
  const noRecompute = base + scores;
  const flashExtra = 4 * a * s * b;
  let perLayer: number;
  let formula: string;
  if (o.recompute === 'full') {
    perLayer = e * sb * h;
    formula = 'full recompute: layer inputs e·s·b·h per layer + one layer rematerialised';
  } else if (o.recompute === 'selective' || o.flash) {
    perLayer = base + (o.flash ? flashExtra : 0);
    formula = o.flash
      ? 'FlashAttention/SDPA: no a·s² scores stored (fp32 log-sum-exp 4·a·s·b kept)'
      : 'selective recompute: a·s² attention terms recomputed (Korthikanti §5)';
  } else {
    perLayer = noRecompute;
    formula = 'no recompute, materialised attention: Korthikanti 34·s·b·h + 5·a·s²·b per layer (generalised to GQA/SwiGLU)';
  }
  const recomputeWorkspace = o.recompute === 'full' ? (o.flash ? base + flashExtra : noRecompute) : 0;
  const edges = 3 * e * sb * h;
  const logits = 8 * sb * c.vocab;
  const total = c.layers * perLayer + recomputeWorkspace + edges + logits;
  return { perLayer, perLayerNoRecompute: noRecompute, layers: c.layers, edges, logits, recomputeWorkspace, total, formula };
}

// ---------------------------------------------------------------------------------------------------

interface Emitted { ctx: EmitContext; extraParams: number }

function emitArch(arch: ArchConfig, ctx: EmitContext, B: number, S: number, image: number, train: boolean, opts: BuildOptions, notes: string[]): number {
  switch (arch.kind) {
    case 'decoder': buildDecoder(ctx, arch, { batch: B, seq: Math.min(S, arch.maxContext), loss: train }); if (S > arch.maxContext) notes.push(`Sequence ${S} exceeds the model's context ${arch.maxContext}; using ${arch.maxContext}.`); return 0;
    case 'encoder': buildEncoder(ctx, arch, B, Math.min(S, arch.maxPositions)); return 0;
    case 't5': buildT5(ctx, arch, B, S, opts.targetLen !== undefined && Number.isSafeInteger(opts.targetLen) && opts.targetLen > 0 ? opts.targetLen : S, { loss: train }); return 0;
    case 'whisper': buildWhisper(ctx, arch, B, S, { loss: train }); return 0;
    case 'vit': buildVit(ctx, arch, B, image); return 0;
    case 'clip-text': buildClipText(ctx, arch, B, S); return 0;
    case 'clip': buildClip(ctx, arch, B, image, Math.min(S, arch.text.maxPositions)); return 0;
    case 'resnet': buildResnet(ctx, arch, B, image); return 0;
    case 'vgg': buildVgg(ctx, arch, B, image); return 0;
    case 'mobilenet_v2': buildMobilenetV2(ctx, arch, B, image); return 0;
    case 'mobilenet_v3': buildMobilenetV3(ctx, arch, B, image); return 0;
    case 'efficientnet': buildEfficientnet(ctx, arch, B, image); return 0;
    case 'convnext': buildConvnext(ctx, arch, B, image); return 0;
    case 'swin': buildSwin(ctx, arch, B, image); return 0;
    case 'dpn': buildDpn(ctx, arch, B, image); return 0;
    case 'unet': buildUnet(ctx, arch, B, Math.max(1, Math.round(image / 8)), Math.max(1, Math.round(image / 8)), 77, ''); return 0;
    case 'vae': buildVaeEncoder(ctx, arch, B, image, image, ''); buildVaeDecoder(ctx, arch, B, Math.max(1, Math.round(image / 8)), Math.max(1, Math.round(image / 8)), ''); return 0;
    case 'flux': { const g = Math.max(1, Math.round(image / 16)); buildFlux(ctx, arch, B, g * g, 512, ''); return 0; }
    case 'pipeline': return emitPipeline(arch, ctx, B, image, opts, notes);
  }
}

/** Parameters of the VAE encoder (loaded with the pipeline, not run in text-to-image). */
export function vaeEncoderParams(p: PipelineConfig, dtype: Dtype): number {
  const c = newContext({ dtype, train: false });
  buildVaeEncoder(c, p.vae, 1, 64, 64);
  return c.ops.reduce((s, o) => s + o.params, 0);
}

function emitPipeline(p: PipelineConfig, ctx: EmitContext, B: number, image: number, opts: BuildOptions, notes: string[]): number {
  const comp = opts.component?.toLowerCase();
  const denoiserName = p.denoiser.kind === 'unet' ? 'unet' : 'transformer';
  const lat = Math.max(1, Math.round(image / p.vaeScale));
  const want = (n: string): boolean => !comp || comp === n;
  const known = ['vae', denoiserName, ...p.textEncoders.map((t) => t.name)];
  if (comp && !known.includes(comp)) notes.push(`Pipeline has no component "${opts.component}" (has ${known.join(', ')}); building all.`);
  const all = !comp || !known.includes(comp);
  for (const te of p.textEncoders) {
    if (!all && !want(te.name)) continue;
    if (te.arch.kind === 'clip-text') buildClipText(ctx, te.arch, B, te.seqLen, `${te.name}.text_model`, `${te.name}.text_projection`);
    else buildT5(ctx, te.arch, B, te.seqLen, 0, { prefix: te.name });
  }
  const t5 = p.textEncoders.find((t) => t.arch.kind === 't5');
  if (all || want(denoiserName)) {
    if (p.denoiser.kind === 'unet') buildUnet(ctx, p.denoiser, B, lat, lat, p.textEncoders[0]?.seqLen ?? 77, 'unet');
    else { const g = Math.max(1, Math.round(lat / 2)); buildFlux(ctx, p.denoiser, B, g * g, t5?.seqLen ?? 512, 'transformer'); }
  }
  let extra = 0;
  if (all) {
    buildVaeDecoder(ctx, p.vae, B, lat, lat, 'vae');
    extra = vaeEncoderParams(p, ctx.dtype);
    notes.push(`Pipeline: one call of each text encoder, ONE ${denoiserName} step and the VAE decoder; the VAE encoder (${(extra / 1e6).toFixed(1)}M params) is loaded but not run in text-to-image. Use diffusionWorkload for steps and guidance.`);
  } else if (want('vae')) {
    buildVaeEncoder(ctx, p.vae, B, image, image, 'vae');
    buildVaeDecoder(ctx, p.vae, B, lat, lat, 'vae');
  }
  return extra;
}

/**
 * Ops for ONE forward call of a catalog model (Op.count 1, phase 'forward', HF/torchvision module
 * paths), its parameter counts and activation memory (training: bytes kept for backward; inference:
 * the largest single-op working set). Never throws: unusable options fall back with a note.
 */
export function buildModel(entry: CatalogEntry, opts: BuildOptions): BuiltModel {
  if (!entry || typeof entry !== 'object' || !entry.arch) {
    return { ops: [], params: 0, trainableParams: 0, activeParams: 0, activationBytes: 0, notes: ['No catalog entry to build.'] };
  }
  opts = opts ?? ({ batch: 1, dtype: 'fp32', mode: 'infer' } as BuildOptions);
  const notes: string[] = [...(entry.notes ?? [])];
  const B = posInt(opts.batch, 1, 'batch', notes);
  const S = posInt(opts.seqLen ?? defaultSeq(entry), defaultSeq(entry), 'sequence length', notes);
  const image = posInt(opts.imageSize ?? defaultImage(entry), defaultImage(entry), 'image size', notes);
  const dtype = validDtype(opts.dtype, 'fp32', 'dtype', notes);
  const weightDtype = validDtype(opts.weightDtype ?? dtype, dtype, 'weight dtype', notes);
  const train = opts.mode === 'train';
  const recompute: Recompute = opts.recompute === 'selective' || opts.recompute === 'full' ? opts.recompute : 'none';
  const flash = opts.flashAttention !== false;
  const lora = loraContext(entry, opts.lora, notes);
  const ctx = newContext({ dtype, weightDtype, train, frozen: !!lora, lora, flash });
  const headed = withClasses(entry.arch, opts.classes);
  const arch = opts.maskedLm && headed.kind === 'encoder' ? { ...headed, pooler: false, mlmHead: true } : headed;
  if (opts.classes !== undefined && headed === entry.arch) {
    notes.push(validClasses(opts.classes)
      ? `num_classes=${String(opts.classes)} ignored: ${entry.name} has no classifier to resize.`
      : `num_classes=${String(opts.classes)} is not a positive integer below 2^53 (size out of range); ${entry.name}'s own classifier is kept.`);
  }
  const extra = emitArch(arch, ctx, B, S, image, train, opts, notes);
  return finishBuild({ ctx, extraParams: extra }, entry, { B, S, dtype, train, recompute, flash, lora: !!lora }, notes);
}

function finishBuild(em: Emitted, entry: CatalogEntry, o: { B: number; S: number; dtype: Dtype; train: boolean; recompute: Recompute; flash: boolean; lora: boolean }, notes: string[]): BuiltModel {
  const { ctx } = em;
  const ops: Op[] = ctx.ops;
  const params = ops.reduce((s, op) => s + op.params, 0) + em.extraParams;
  const trainableParams = ops.reduce((s, op) => s + op.trainableParams, 0) + (o.lora ? 0 : em.extraParams);
  let activationBytes: number;
  const a = entry.arch;
  if (o.train && a.kind === 'decoder') {
    const br = decoderActivationBytes(a, { batch: o.B, seqLen: Math.min(o.S, a.maxContext), dtype: o.dtype, recompute: o.recompute, flash: o.flash });
    activationBytes = br.total;
    notes.push(`Activations: ${br.formula}; logits ${(br.logits / 2 ** 30).toFixed(2)} GiB (fp32 logits + softmax, b·s·V·8).`);
  } else if (o.train) {
    activationBytes = ops.reduce((s, op) => s + op.savedBytes, 0);
    if (o.recompute !== 'none') notes.push('Recompute is modelled for decoder LMs only; activations here are without recomputation.');
  } else {
    activationBytes = ctx.peakWorking;
  }
  if (a.kind === 'decoder' && a.moe) notes.push(`MoE: ${a.moe.experts} experts, top-${a.moe.topK} per token; expert GEMMs are aggregated per layer.`);
  pushAll(notes, ctx.notes);
  return { ops, params, trainableParams, activeParams: params + ctx.activeParamsAdjust, activationBytes, notes };
}

