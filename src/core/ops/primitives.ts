/**
 * Primitive cost rules shared by the layer table, the tracer and the model catalog.
 * One definition per kind of arithmetic; every layer is costed by composing these.
 *
 * Conventions (see README "Counting conventions"):
 * - FLOPs count a multiply-add as 2; MACs = FLOPs / 2 for GEMM-like work.
 * - Bias additions are not counted as FLOPs (PyTorch's FlopCounterMode and the torch profiler do
 *   not count them either; they are < 1 / (2·in_features) of the layer).
 * - Backward of a GEMM/conv with trainable weights is 2× forward (input grad + weight grad);
 *   with frozen weights it is 1× (input grad only).
 * - Attention (QKᵀ and P·V): 4·B·H·Sq·Sk·D forward; causal self-attention (Sq = Sk) is halved,
 *   the FlashAttention / Megatron convention. Backward is 2× forward (recomputation not counted).
 * - Bytes are what the op must move at least once: read inputs + weights, write outputs.
 */
import type { Dtype, OpClass } from '../types';
import { DTYPE_BYTES } from '../types';

/** The cost of one op in one call. */
export interface Cost {
  kind: string;
  opClass: OpClass;
  outputShape: number[];
  params: number;
  forwardFlops: number;
  backwardFlops: number;
  bytesRead: number;
  bytesWritten: number;
  /** Activations saved for backward (bytes) when training. */
  savedBytes: number;
  causal?: boolean;
  note?: string;
  /** Which dim of outputShape is the batch when it is not the first (1 for sequence-first RNN/attention layouts). */
  batchDim?: number;
  /** Sub-module path relative to the called module for composite layers (`self_attn.out_proj`, `linear1`). */
  path?: string;
}

export const prod = (xs: readonly number[]): number => xs.reduce((a, b) => a * b, 1);
export const bytesOf = (elements: number, dtype: Dtype): number => elements * DTYPE_BYTES[dtype];

export interface GemmOptions {
  dtype: Dtype;
  /** Weight dtype when it differs from the compute dtype (quantised weights). */
  weightDtype?: Dtype;
  trainable?: boolean;
  bias?: boolean;
}

/**
 * A dense layer `[..., inF] → [..., outF]`. `rows` = product of the leading dims.
 */
export function linearCost(inShape: readonly number[], inF: number, outF: number, o: GemmOptions): Cost {
  const lead = inShape.length > 0 ? inShape.slice(0, -1) : [];
  const rows = prod(lead);
  const params = inF * outF + (o.bias === false ? 0 : outF);
  const fwd = 2 * rows * inF * outF;
  const trainable = o.trainable !== false;
  const wDtype = o.weightDtype ?? o.dtype;
  return {
    kind: 'linear',
    opClass: 'gemm',
    outputShape: [...lead, outF],
    params,
    forwardFlops: fwd,
    backwardFlops: trainable ? 2 * fwd : fwd,
    bytesRead: bytesOf(rows * inF, o.dtype) + bytesOf(params, wDtype),
    bytesWritten: bytesOf(rows * outF, o.dtype),
    savedBytes: bytesOf(rows * inF, o.dtype),
  };
}

/** Batched matrix multiply `[..., m, k] @ [..., k, n]` with broadcasting batch dims; no parameters. */
export function matmulCost(a: readonly number[], b: readonly number[], dtype: Dtype, kind = 'matmul'): Cost {
  const A = a.length === 1 ? [1, a[0]] : [...a];
  const B = b.length === 1 ? [b[0], 1] : [...b];
  const m = A[A.length - 2], k = A[A.length - 1], n = B[B.length - 1];
  const batchA = A.slice(0, -2), batchB = B.slice(0, -2);
  const nb = Math.max(batchA.length, batchB.length);
  const batch: number[] = [];
  for (let i = 0; i < nb; i++) {
    const x = batchA[batchA.length - nb + i] ?? 1;
    const y = batchB[batchB.length - nb + i] ?? 1;
    batch.push(Math.max(x, y));
  }
  const out = [...batch, m, n];
  if (a.length === 1) out.splice(out.length - 2, 1);
  if (b.length === 1) out.splice(out.length - 1, 1);
  const fwd = 2 * prod(batch) * m * n * k;
  return {
    kind,
    opClass: 'gemm',
    outputShape: out,
    params: 0,
    forwardFlops: fwd,
    backwardFlops: 2 * fwd,
    bytesRead: bytesOf(prod(A) + prod(B), dtype),
    bytesWritten: bytesOf(prod(batch) * m * n, dtype),
    savedBytes: bytesOf(prod(A) + prod(B), dtype),
  };
}

export interface AttentionShape {
  batch: number;
  heads: number;
  /** Key/value heads (GQA/MQA); equals `heads` for MHA. */
  kvHeads?: number;
  seqQ: number;
  seqK: number;
  headDim: number;
  /** Head dim of V when it differs (rare). */
  headDimV?: number;
}

/**
 * Fused scaled-dot-product attention (QKᵀ, softmax, P·V). Memory-efficient kernels
 * (FlashAttention, SDPA) never write the Sq×Sk score matrix; `materialized` marks manual attention
 * that does, which changes bytes and saved activations, not FLOPs.
 */
export function attentionCost(s: AttentionShape, dtype: Dtype, o: { causal?: boolean; materialized?: boolean } = {}): Cost {
  const kv = s.kvHeads ?? s.heads;
  const dv = s.headDimV ?? s.headDim;
  const causal = !!o.causal;
  const half = causal && s.seqQ === s.seqK ? 0.5 : 1;
  const causalPartial = causal && s.seqQ !== s.seqK;
  const fwd = 2 * s.batch * s.heads * s.seqQ * s.seqK * (s.headDim + dv) * half;
  const q = s.batch * s.heads * s.seqQ * s.headDim;
  const k = s.batch * kv * s.seqK * s.headDim;
  const v = s.batch * kv * s.seqK * dv;
  const out = s.batch * s.heads * s.seqQ * dv;
  const scores = s.batch * s.heads * s.seqQ * s.seqK;
  const readEl = q + k + v + (o.materialized ? 2 * scores : 0);
  const writeEl = out + (o.materialized ? 2 * scores : 0);
  return {
    kind: 'sdpa',
    opClass: 'attention',
    outputShape: [s.batch, s.heads, s.seqQ, dv],
    params: 0,
    forwardFlops: fwd + 5 * scores * half,
    backwardFlops: 2 * fwd + 5 * scores * half,
    bytesRead: bytesOf(readEl, dtype),
    bytesWritten: bytesOf(writeEl, dtype),
    savedBytes: bytesOf(q + k + v + out, dtype) + (o.materialized ? bytesOf(scores, dtype) : s.batch * s.heads * s.seqQ * 4),
    causal,
    note: causal
      ? (causalPartial ? 'causal with Sq≠Sk: counted in full (only the mask shape differs)' : 'causal: attention FLOPs halved (FlashAttention/Megatron convention)')
      : undefined,
  };
}

export interface ConvOptions {
  dtype: Dtype;
  inChannels: number;
  outChannels: number;
  kernel: number[];
  stride: number[];
  padding: number[];
  dilation: number[];
  groups: number;
  bias: boolean;
  transposed?: boolean;
  outputPadding?: number[];
  trainable?: boolean;
}

/** Output spatial size of a convolution along each dim. */
export function convOutSpatial(inSpatial: readonly number[], o: ConvOptions): number[] {
  return inSpatial.map((n, i) => {
    const k = o.kernel[i] ?? o.kernel[0];
    const s = o.stride[i] ?? o.stride[0];
    const p = o.padding[i] ?? o.padding[0];
    const d = o.dilation[i] ?? o.dilation[0];
    if (o.transposed) {
      const op = o.outputPadding?.[i] ?? o.outputPadding?.[0] ?? 0;
      return (n - 1) * s - 2 * p + d * (k - 1) + op + 1;
    }
    return Math.floor((n + 2 * p - d * (k - 1) - 1) / s) + 1;
  });
}

/** Conv Nd on input `[N, C, *spatial]` (a missing batch dim is treated as N = 1). */
export function convCost(inShape: readonly number[], o: ConvOptions): Cost {
  const nd = o.kernel.length;
  const hasBatch = inShape.length === nd + 2;
  const n = hasBatch ? inShape[0] : 1;
  const spatial = inShape.slice(inShape.length - nd);
  const outSpatial = convOutSpatial(spatial, o);
  const kprod = prod(o.kernel);
  const weight = o.outChannels * (o.inChannels / o.groups) * kprod;
  const params = weight + (o.bias ? o.outChannels : 0);
  // Transposed conv: each input element is multiplied into the kernel (torch flop_counter uses the input size).
  const positions = o.transposed ? prod(spatial) : prod(outSpatial);
  const fwd = 2 * n * o.outChannels * positions * (o.inChannels / o.groups) * kprod;
  const outShape = hasBatch ? [n, o.outChannels, ...outSpatial] : [o.outChannels, ...outSpatial];
  const inEl = prod(inShape);
  const outEl = prod(outShape);
  return {
    kind: `conv${o.transposed ? '_transpose' : ''}${nd}d`,
    opClass: 'conv',
    outputShape: outShape,
    params,
    forwardFlops: fwd,
    backwardFlops: o.trainable === false ? fwd : 2 * fwd,
    bytesRead: bytesOf(inEl + params, o.dtype),
    bytesWritten: bytesOf(outEl, o.dtype),
    savedBytes: bytesOf(inEl, o.dtype),
  };
}

/**
 * Element-wise op over `shape`: `flopsPerElement` per output element, reading `inputs` tensors
 * of the same size. Activations, residual adds, dropout, scaling.
 */
export function elementwiseCost(kind: string, shape: readonly number[], dtype: Dtype, flopsPerElement = 1, inputs = 1, saves = true): Cost {
  const el = prod(shape);
  return {
    kind,
    opClass: 'elementwise',
    outputShape: [...shape],
    params: 0,
    forwardFlops: flopsPerElement * el,
    backwardFlops: flopsPerElement * el,
    bytesRead: bytesOf(el * inputs, dtype),
    bytesWritten: bytesOf(el, dtype),
    savedBytes: saves ? bytesOf(el, dtype) : 0,
  };
}

/**
 * Normalisation over `shape` with `params` affine parameters (LayerNorm, RMSNorm, BatchNorm, GroupNorm).
 * ≈5 FLOPs per element forward (mean, variance, normalise, scale, shift), ≈2× that backward.
 */
export function normCost(kind: string, shape: readonly number[], params: number, dtype: Dtype, flopsPerElement = 5): Cost {
  const el = prod(shape);
  return {
    kind,
    opClass: 'norm',
    outputShape: [...shape],
    params,
    forwardFlops: flopsPerElement * el,
    backwardFlops: 2 * flopsPerElement * el,
    bytesRead: bytesOf(el + params, dtype),
    bytesWritten: bytesOf(el, dtype),
    savedBytes: bytesOf(el, dtype),
  };
}

/** Embedding lookup: no FLOPs, reads one row per index; the gradient is a scatter-add. */
export function embeddingCost(indexShape: readonly number[], num: number, dim: number, dtype: Dtype, trainable = true): Cost {
  const rows = prod(indexShape);
  return {
    kind: 'embedding',
    opClass: 'embedding',
    outputShape: [...indexShape, dim],
    params: num * dim,
    forwardFlops: 0,
    backwardFlops: trainable ? rows * dim : 0,
    bytesRead: bytesOf(rows * dim, dtype) + rows * 8,
    bytesWritten: bytesOf(rows * dim, dtype),
    savedBytes: rows * 8,
  };
}

/** Reduction / pooling producing `outShape` from `inShape`, ≈1 FLOP per input element read. */
export function reduceCost(kind: string, opClass: OpClass, inShape: readonly number[], outShape: readonly number[], dtype: Dtype, flopsPerInput = 1): Cost {
  const inEl = prod(inShape);
  const outEl = prod(outShape);
  return {
    kind,
    opClass,
    outputShape: [...outShape],
    params: 0,
    forwardFlops: flopsPerInput * inEl,
    backwardFlops: inEl,
    bytesRead: bytesOf(inEl, dtype),
    bytesWritten: bytesOf(outEl, dtype),
    savedBytes: kind.includes('max') ? bytesOf(inEl, dtype) : 0,
  };
}

/** Data movement without arithmetic (cat, contiguous copies, permutes that materialise). */
export function copyCost(kind: string, shape: readonly number[], dtype: Dtype): Cost {
  const el = prod(shape);
  return {
    kind,
    opClass: 'memory',
    outputShape: [...shape],
    params: 0,
    forwardFlops: 0,
    backwardFlops: 0,
    bytesRead: bytesOf(el, dtype),
    bytesWritten: bytesOf(el, dtype),
    savedBytes: 0,
  };
}
