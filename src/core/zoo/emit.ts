/**
 * The builders' op emitter: a small context that turns primitive `Cost`s into `Op`s with module
 * paths, parameter ownership, LoRA adapters, frozen weights and the working-set peak.
 *
 * Every op goes through a primitive in `ops/primitives.ts` so catalog models and user scripts are
 * costed by the same table.
 */
import type { Dtype, Op, OpClass, Phase } from '../types';
import { DTYPE_BYTES } from '../types';
import {
  attentionCost, bytesOf, convCost, elementwiseCost, embeddingCost, linearCost, normCost, prod, reduceCost,
  type AttentionShape, type Cost,
} from '../ops/primitives';

export interface EmitContext {
  ops: Op[];
  /** Compute dtype. */
  dtype: Dtype;
  /** Storage dtype of quantisable linear weights (inside blocks). */
  weightDtype: Dtype;
  phase: Phase;
  count: number;
  train: boolean;
  /** Base weights frozen (LoRA/QLoRA): GEMMs get input-grad-only backward, embeddings none. */
  frozen: boolean;
  lora?: { r: number; targets: Set<string>; allLinear: boolean };
  /** Fused attention (no S×S scores materialised). */
  flash: boolean;
  /** False for repeated calls of already-counted modules (decode steps): params are then 0. */
  ownsParams: boolean;
  /** KV element type for attention reads (decode). */
  kvDtype?: Dtype;
  /** Peak bytes of one op's activation inputs + output (inference working set). */
  peakWorking: number;
  notes: string[];
  /** Parameters touched per token when they differ from owned params (MoE); accumulated by builders. */
  activeParamsAdjust: number;
  /** Linear ops whose weights are stored in `weightDtype` (quantisable block linears). */
  quantOps: Op[];
}

export function newContext(o: {
  dtype: Dtype; weightDtype?: Dtype; phase?: Phase; count?: number; train: boolean; frozen?: boolean;
  lora?: EmitContext['lora']; flash?: boolean; ownsParams?: boolean; kvDtype?: Dtype;
}): EmitContext {
  return {
    ops: [],
    dtype: o.dtype,
    weightDtype: o.weightDtype ?? o.dtype,
    phase: o.phase ?? 'forward',
    count: o.count ?? 1,
    train: o.train,
    frozen: !!o.frozen,
    lora: o.lora,
    flash: o.flash !== false,
    ownsParams: o.ownsParams !== false,
    kvDtype: o.kvDtype,
    peakWorking: 0,
    notes: [],
    activeParamsAdjust: 0,
    quantOps: [],
  };
}

/** FLOPs per element of activation functions (small next to GEMMs; they matter for bytes, not FLOPs). */
export const ACT_FLOPS: Record<string, number> = {
  relu: 1, relu6: 1, gelu: 8, gelu_tanh: 8, quick_gelu: 4, silu: 4, sigmoid: 4, tanh: 5, hardswish: 3, hardsigmoid: 2,
};

export interface PushOptions {
  /** Override the owned parameter count (tied weights: 0; tensors without a primitive: n). */
  params?: number;
  /** Force trainability (LoRA adapters are trainable while the base is frozen). */
  trainable?: boolean;
  note?: string;
  kind?: string;
  opClass?: OpClass;
}

/** Append one op built from a primitive cost. */
export function push(ctx: EmitContext, name: string, label: string, c: Cost, inputs: number[][], o: PushOptions = {}): Op {
  const params = ctx.ownsParams ? (o.params ?? c.params) : 0;
  const trainable = o.trainable ?? !ctx.frozen;
  const op: Op = {
    kind: o.kind ?? c.kind,
    opClass: o.opClass ?? c.opClass,
    name,
    label,
    inputShapes: inputs.map((s) => [...s]),
    outputShape: [...c.outputShape],
    params,
    trainableParams: trainable ? params : 0,
    forwardFlops: c.forwardFlops,
    backwardFlops: c.backwardFlops,
    bytesRead: c.bytesRead,
    bytesWritten: c.bytesWritten,
    savedBytes: ctx.train ? c.savedBytes : 0,
    dtype: ctx.dtype,
    count: ctx.count,
    phase: ctx.phase,
    traced: true,
  };
  if (c.causal !== undefined) op.causal = c.causal;
  const note = o.note ?? c.note;
  if (note) op.note = note;
  ctx.ops.push(op);
  const working = inputs.reduce((s, x) => s + bytesOf(prod(x), ctx.dtype), 0) + bytesOf(prod(c.outputShape), ctx.dtype);
  if (working > ctx.peakWorking) ctx.peakWorking = working;
  return op;
}

const lastSegment = (name: string): string => name.slice(name.lastIndexOf('.') + 1);

export interface LinearOpts {
  bias: boolean;
  /** Quantisable (inside blocks). Embeddings/LM heads keep the compute dtype. Default true. */
  quant?: boolean;
  /** May carry a LoRA adapter. Default true (false for LM heads). */
  loraEligible?: boolean;
  label?: string;
  /** Owned params override (tied LM head: 0). */
  params?: number;
  note?: string;
  /** Multiply owned params (MoE experts costed as one aggregated op). */
  paramsScale?: number;
  /** Override bytes of weights read (MoE: only the experts touched). */
  weightBytesRead?: number;
}

/** PEFT target names of a fused q/k/v projection, and the separate projections the decoder emitter builds in its place. */
const FUSED_QKV = new Set(['query_key_value', 'c_attn', 'qkv_proj', 'Wqkv', 'W_pack']);
const QKV_PARTS = new Set(['q_proj', 'k_proj', 'v_proj']);

/** `nn.Linear` on `x` (`[..., inF]`), with an optional LoRA adapter. Returns the output shape. */
export function linear(ctx: EmitContext, name: string, x: number[], inF: number, outF: number, o: LinearOpts): number[] {
  const quant = o.quant !== false;
  const wDtype = quant ? ctx.weightDtype : ctx.dtype;
  const c = linearCost(x, inF, outF, { dtype: ctx.dtype, weightDtype: wDtype, trainable: !ctx.frozen, bias: o.bias });
  const ownParams = o.params ?? c.params * (o.paramsScale ?? 1);
  if (o.weightBytesRead !== undefined) {
    c.bytesRead = bytesOf(prod(x), ctx.dtype) + o.weightBytesRead;
  }
  let note = o.note;
  if (quant && wDtype !== ctx.dtype) note = [note, `weights stored as ${wDtype}, dequantised to ${ctx.dtype}`].filter(Boolean).join('; ');
  const op = push(ctx, name, o.label ?? 'nn.Linear', c, [x], { params: ownParams, note });
  if (quant) ctx.quantOps.push(op);
  const out = c.outputShape;
  const lora = ctx.lora;
  const seg = lastSegment(name);
  // A fused-QKV target (`query_key_value` of GPT-NeoX/BLOOM/Falcon, `c_attn`, `W_pack`…; loraContext adds the family's
  // own under "all-linear") on a model emitted with separate q/k/v projections: one adapter whose A (h × r) is shared,
  // so k and v add only their part of B.
  const fusedPart = !!lora && !lora.targets.has(seg) && QKV_PARTS.has(seg) && [...lora.targets].some((t) => FUSED_QKV.has(t));
  if (lora && o.loraEligible !== false && (lora.allLinear || lora.targets.has(seg) || fusedPart)) {
    const scale = o.paramsScale ?? 1;
    const r = [...x.slice(0, -1), lora.r];
    if (!fusedPart || seg === 'q_proj') {
      const a = linearCost(x, inF, lora.r, { dtype: ctx.dtype, trainable: true, bias: false });
      push(ctx, `${name}.lora_A`, 'peft.LoraLayer', a, [x], { params: a.params * scale, trainable: true, note: `LoRA r=${lora.r}` });
    }
    const b = linearCost(r, lora.r, outF, { dtype: ctx.dtype, trainable: true, bias: false });
    push(ctx, `${name}.lora_B`, 'peft.LoraLayer', b, [r], { params: b.params * scale, trainable: true, note: `LoRA r=${lora.r}${fusedPart ? ' (fused q/k/v adapter)' : ''}` });
  }
  return out;
}

export interface ConvOpts {
  k: number;
  stride?: number;
  pad?: number;
  groups?: number;
  bias: boolean;
  label?: string;
}

/** `nn.Conv2d` (square kernels) on `[N, C, H, W]`. Returns the output shape. */
export function conv2d(ctx: EmitContext, name: string, x: number[], cin: number, cout: number, o: ConvOpts): number[] {
  const s = o.stride ?? 1;
  const p = o.pad ?? 0;
  const c = convCost(x, {
    dtype: ctx.dtype, inChannels: cin, outChannels: cout, kernel: [o.k, o.k], stride: [s, s], padding: [p, p],
    dilation: [1, 1], groups: o.groups ?? 1, bias: o.bias, trainable: !ctx.frozen,
  });
  push(ctx, name, o.label ?? 'nn.Conv2d', c, [x]);
  return c.outputShape;
}

/** `nn.Conv1d` on `[N, C, L]`. */
export function conv1d(ctx: EmitContext, name: string, x: number[], cin: number, cout: number, o: ConvOpts): number[] {
  const s = o.stride ?? 1;
  const p = o.pad ?? 0;
  const c = convCost(x, {
    dtype: ctx.dtype, inChannels: cin, outChannels: cout, kernel: [o.k], stride: [s], padding: [p],
    dilation: [1], groups: o.groups ?? 1, bias: o.bias, trainable: !ctx.frozen,
  });
  push(ctx, name, o.label ?? 'nn.Conv1d', c, [x]);
  return c.outputShape;
}

/** A normalisation layer with `params` affine parameters. */
export function norm(ctx: EmitContext, name: string, kind: string, label: string, x: number[], params: number): number[] {
  const c = normCost(kind, x, params, ctx.dtype);
  push(ctx, name, label, c, [x]);
  return c.outputShape;
}

/** An activation function (saves its input for backward when training). */
export function act(ctx: EmitContext, name: string, kind: string, x: number[], label?: string): number[] {
  const c = elementwiseCost(kind, x, ctx.dtype, ACT_FLOPS[kind] ?? 1, 1, true);
  push(ctx, name, label ?? kind, c, [x]);
  return c.outputShape;
}

/** A binary element-wise op (residual add, gate multiply, scale). `saves` for multiplies. */
export function binary(ctx: EmitContext, name: string, kind: string, x: number[], saves = false, label?: string): number[] {
  const c = elementwiseCost(kind, x, ctx.dtype, 1, 2, saves);
  push(ctx, name, label ?? (kind === 'add' ? 'operator.add' : kind === 'mul' ? 'operator.mul' : kind), c, [x, x]);
  return c.outputShape;
}

/** Dropout (training only; a no-op in eval). Saves a 1-byte mask per element. */
export function dropout(ctx: EmitContext, name: string, x: number[], p: number): void {
  if (!ctx.train || !(p > 0)) return;
  const c = elementwiseCost('dropout', x, ctx.dtype, 1, 1, false);
  c.savedBytes = prod(x);
  push(ctx, name, 'nn.Dropout', c, [x]);
}

/** `nn.Embedding` lookup of `idx` into a `num × dim` table. */
export function embed(ctx: EmitContext, name: string, idx: number[], num: number, dim: number, o: { params?: number; label?: string } = {}): number[] {
  const c = embeddingCost(idx, num, dim, ctx.dtype, !ctx.frozen);
  push(ctx, name, o.label ?? 'nn.Embedding', c, [idx], { params: o.params });
  return c.outputShape;
}

/**
 * A parameter tensor used without a layer primitive (class token, absolute position table added to
 * the input, layer scale, relative-position bias table): costed as an element-wise op on `x`
 * owning `params` parameters.
 */
export function paramOp(ctx: EmitContext, name: string, kind: string, label: string, x: number[], params: number, o: { flopsPerElement?: number; note?: string } = {}): number[] {
  const c = elementwiseCost(kind, x, ctx.dtype, o.flopsPerElement ?? 1, 1, false);
  c.bytesRead += bytesOf(params, ctx.dtype);
  push(ctx, name, label, c, [x], { params, note: o.note });
  return c.outputShape;
}

export interface AttnOpts {
  causal: boolean;
  /** Sliding-window width (applies when seqK exceeds it). */
  window?: number;
  /** Extra scores work materialised regardless of `flash` (e.g. T5 relative bias add). */
  materialized?: boolean;
  label?: string;
}

/** Fused scaled-dot-product attention (QKᵀ, softmax, P·V). Returns `[B, heads, Sq, Dv]`. */
export function attention(ctx: EmitContext, name: string, s: AttentionShape, o: AttnOpts): number[] {
  const materialized = o.materialized || !ctx.flash;
  let note: string | undefined;
  let c: Cost;
  if (o.window && s.seqK > o.window) {
    const w = o.window;
    if (o.causal && s.seqQ === s.seqK) {
      // Pairs a causal sliding window keeps: Σ_i min(i, w).
      c = attentionCost(s, ctx.dtype, { causal: false, materialized });
      const n = s.seqQ;
      const pairs = (w * (w + 1)) / 2 + (n - w) * w;
      const f = pairs / (n * n);
      c.forwardFlops *= f;
      c.backwardFlops *= f;
      c.causal = true;
      note = `sliding window ${w}: ${pairs.toExponential(3)} of ${n}² query–key pairs`;
    } else {
      c = attentionCost({ ...s, seqK: w }, ctx.dtype, { causal: false, materialized });
      note = `sliding window ${w}: keys capped at ${w}`;
    }
  } else {
    c = attentionCost(s, ctx.dtype, { causal: o.causal, materialized });
  }
  if (ctx.kvDtype && ctx.kvDtype !== ctx.dtype) {
    const kv = s.kvHeads ?? s.heads;
    const seqK = o.window && s.seqK > o.window && !(o.causal && s.seqQ === s.seqK) ? o.window : s.seqK;
    const kvEl = s.batch * kv * seqK * (s.headDim + (s.headDimV ?? s.headDim));
    c.bytesRead += kvEl * (DTYPE_BYTES[ctx.kvDtype] - DTYPE_BYTES[ctx.dtype]);
    note = [note, `KV cache read as ${ctx.kvDtype}`].filter(Boolean).join('; ');
  }
  const q = [s.batch, s.heads, s.seqQ, s.headDim];
  const k = [s.batch, s.kvHeads ?? s.heads, s.seqK, s.headDim];
  push(ctx, name, o.label ?? 'F.scaled_dot_product_attention', c, [q, k, k], { note: note ?? c.note });
  return c.outputShape;
}

/** Pooling / reductions. */
export function pool(ctx: EmitContext, name: string, kind: string, label: string, x: number[], out: number[]): number[] {
  const c = reduceCost(kind, 'pool', x, out, ctx.dtype);
  push(ctx, name, label, c, [x]);
  return c.outputShape;
}

/** Output spatial size of a square conv/pool window. */
export const outSize = (n: number, k: number, s: number, p: number): number => Math.floor((n + 2 * p - k) / s) + 1;

/** Sum helpers over ops (value × count). */
export function sumOps(ops: readonly Op[], f: (o: Op) => number, perCall = false): number {
  let t = 0;
  for (const o of ops) t += f(o) * (perCall ? 1 : o.count);
  return t;
}
