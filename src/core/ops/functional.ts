/**
 * Functions of the op table: `torch.*` and `torch.nn.functional.*`, keyed by canonical name without the
 * namespace (`F.relu`, `torch.relu`, `torch.nn.functional.relu` → `relu`). Each entry binds its PyTorch signature
 * (positional order, defaults), checks shapes, and returns the output value plus zero or more costs.
 *
 * Counting conventions (shared with `primitives.ts`):
 * - FLOPs count a multiply-add as 2 (MACs = FLOPs / 2 for GEMM-like work). Bias additions are not counted.
 * - GEMMs (`matmul`, `mm`, `bmm`, `addmm`, `baddbmm`, `linear`, `einsum`): `2·batch·m·n·k`; backward 2× forward.
 *   `einsum` contracts left to right, each pairwise step costing `2 × ∏(extents of every index in the pair)`.
 * - Attention (`scaled_dot_product_attention`): `4·B·H·Sq·Sk·D` plus softmax; causal (`is_causal=True`, Sq = Sk)
 *   halves it (FlashAttention/Megatron convention). An explicit `attn_mask` is counted in full: kernels compute
 *   every block.
 * - Softmax and log-softmax: 5 FLOPs per element. Norms: 5 per element (RMSNorm 4, `normalize` 4).
 * - Pointwise ops count one FLOP per elementary operation of their usual formula, with each transcendental
 *   (exp, log, tanh, erf, sin...) counted as one: relu 1, sigmoid 4, tanh 1, gelu 5 (tanh approximation 9),
 *   silu 5, mish 5, elu 4, softplus 3, hardswish 5; binary arithmetic and comparisons 1. Backward = forward.
 * - Dropout costs 1 FLOP per element and a 1-byte mask, only when training.
 * - Pooling: one FLOP per window element per output; adaptive pooling and reductions one per input element.
 * - Views (`view`, `reshape` of a contiguous tensor, `transpose`, `permute`, `split`, `chunk`, `squeeze`...)
 *   cost nothing; copies (`cat`, `stack`, `contiguous` of a non-contiguous view, `repeat`, `pad`) move bytes and
 *   do no arithmetic. Tensor creation (`zeros`, `randn`, `arange`...) costs nothing.
 * - Bytes use the call's compute dtype (`ctx.dtype`); functional weights (`F.linear(x, w)`) are read but their
 *   parameters belong to whichever module owns them, so these costs carry `params: 0`.
 */
import type { Dtype, OpClass } from '../types';
import type { Arg, CallContext, FunctionDef, OpError, OpOutcome, OpResult, TensorArg } from './registry';
import { isTensor, REQUIRED } from './registry';
import type { Cost } from './primitives';
import {
  attentionCost, bytesOf, convCost, convOutSpatial, copyCost, elementwiseCost, embeddingCost, linearCost,
  matmulCost, normCost, prod, reduceCost,
} from './primitives';
import type { Signature } from './shapes';
import {
  bindSignature, bool, broadcastShapes, fail, fmt, guard, inferShape, int, intList, intTuple, isErr, needInt,
  needTensor, normDim, num, parseDtype, show, tensorOf, varargs, viewOf,
} from './shapes';

type A = Record<string, Arg>;
type Body = (a: A, ctx: CallContext) => OpOutcome;

const ok = (output: Arg, ...costs: Cost[]): OpResult => ({ costs, output });

/** Define a function entry: bind the signature, then run the body; never throws. */
export function defineFunction(label: string, signature: Signature, body: Body): FunctionDef {
  return (args, kwargs, ctx) => guard(label, () => {
    const a = bindSignature(label, signature, args, kwargs);
    return isErr(a) ? a : body(a, ctx);
  }, [...args, ...Object.values(kwargs)]);
}

/** A function whose first argument is the input tensor. */
const t1 = (label: string, fn: (x: TensorArg, a: A, ctx: CallContext) => OpOutcome, sig: Signature = []): FunctionDef =>
  defineFunction(label, [['input', REQUIRED], ...sig], (a, ctx) => {
    const x = needTensor(a.input, 'input', label);
    return isErr(x) ? x : fn(x, a, ctx);
  });

// ---------------------------------------------------------------------------------------------------------------
// Cost builders beyond the primitives

/** A pointwise op over broadcast inputs: reads each input once, writes the output. */
export function pointwiseCost(kind: string, inputs: readonly (readonly number[])[], out: readonly number[], dtype: Dtype, flopsPerElement: number, savedElements = 0, opClass: OpClass = 'elementwise'): Cost {
  const el = prod(out);
  return {
    kind,
    opClass,
    outputShape: [...out],
    params: 0,
    forwardFlops: flopsPerElement * el,
    backwardFlops: flopsPerElement * el,
    bytesRead: bytesOf(inputs.reduce((s, x) => s + prod(x), 0), dtype),
    bytesWritten: bytesOf(el, dtype),
    savedBytes: bytesOf(savedElements, dtype),
  };
}

/** Dropout over `shape`: 1 FLOP per element, a 1-byte mask saved for backward. */
export function dropoutCost(kind: string, shape: readonly number[], dtype: Dtype): Cost {
  return { ...elementwiseCost(kind, shape, dtype, 1, 1, false), savedBytes: prod(shape) };
}

/** Without parameters: costs of functional calls whose weights belong to some module. */
const noParams = (c: Cost): Cost => ({ ...c, params: 0 });

// ---------------------------------------------------------------------------------------------------------------
// Activations and other unary pointwise ops

/** FLOPs per element of each unary pointwise op (see the file header for the convention). */
export const POINTWISE_FLOPS: Record<string, number> = {
  relu: 1, relu6: 2, leaky_relu: 2, prelu: 2, rrelu: 2, hardtanh: 2, threshold: 1, elu: 4, selu: 5, celu: 4,
  gelu: 5, gelu_tanh: 9, silu: 5, mish: 5, sigmoid: 4, tanh: 1, softplus: 3, softsign: 3, hardswish: 5,
  hardsigmoid: 4, logsigmoid: 4, tanhshrink: 2, hardshrink: 2, softshrink: 3,
  exp: 1, exp2: 1, expm1: 1, log: 1, log2: 1, log10: 1, log1p: 1, sqrt: 1, rsqrt: 1, abs: 1, neg: 1, sign: 1,
  sin: 1, cos: 1, tan: 1, asin: 1, acos: 1, atan: 1, sinh: 1, cosh: 1, erf: 1, erfc: 1, erfinv: 1, reciprocal: 1,
  square: 1, floor: 1, ceil: 1, round: 1, trunc: 1, frac: 1, logical_not: 1, bitwise_not: 1, isnan: 1, isinf: 1,
  isfinite: 1, nan_to_num: 1, logit: 3,
};

/** Ops whose backward needs their input or output kept (others save nothing). */
const SAVES_NOTHING = new Set(['neg', 'sign', 'floor', 'ceil', 'round', 'trunc', 'frac', 'logical_not', 'bitwise_not', 'isnan', 'isinf', 'isfinite']);

/** Apply a unary pointwise op of kind `kind` to `x`. */
export function unary(kind: string, x: TensorArg, ctx: CallContext, flops = POINTWISE_FLOPS[kind] ?? 1): OpResult {
  return ok(tensorOf([...x.shape], x), elementwiseCost(kind, x.shape, ctx.dtype, flops, 1, !SAVES_NOTHING.has(kind)));
}

function unaryDef(kind: string, extra: Signature = [], label = `torch.${kind}`): FunctionDef {
  return defineFunction(label, [['input', REQUIRED], ...extra], (a, ctx) => {
    const x = needTensor(a.input, 'input', label);
    if (isErr(x)) return x;
    if (kind === 'gelu') return unary(a.approximate === 'tanh' ? 'gelu_tanh' : 'gelu', x, ctx);
    return unary(kind, x, ctx);
  });
}

/** Default softmax dim when `dim=None` (PyTorch's legacy rule). */
const implicitSoftmaxDim = (rank: number): number => (rank === 0 || rank === 1 || rank === 3 ? 0 : 1);

export function softmaxApply(kind: string, label: string, x: TensorArg, dim: Arg, ctx: CallContext): OpOutcome {
  const d = dim === null || dim === undefined ? implicitSoftmaxDim(x.shape.length) : normDim(dim, x.shape.length, label, x.shape);
  if (isErr(d)) return d;
  return ok(tensorOf([...x.shape], x), elementwiseCost(kind, x.shape, ctx.dtype, 5));
}

export function gluApply(label: string, x: TensorArg, dim: Arg, ctx: CallContext): OpOutcome {
  const d = normDim(dim, x.shape.length, label, x.shape);
  if (isErr(d)) return d;
  if (x.shape.length === 0 || x.shape[d] % 2 !== 0) {
    return fail(`${label}: halving dimension must be even, got size ${x.shape[d]} at dim ${d} of ${fmt(x.shape)}`);
  }
  const out = [...x.shape];
  out[d] /= 2;
  return ok(tensorOf(out, x), pointwiseCost('glu', [x.shape], out, ctx.dtype, 5, prod(x.shape)));
}

/** Dropout: costs only when `training` (functional dropout defaults to training=True, as in PyTorch). */
export function dropoutApply(kind: string, x: TensorArg, p: number, training: boolean, ctx: CallContext): OpResult {
  if (!training || p === 0) return ok(x);
  return ok(tensorOf([...x.shape], x), dropoutCost(kind, x.shape, ctx.dtype));
}

function dropoutDef(kind: string): FunctionDef {
  const label = `F.${kind}`;
  return defineFunction(label, [['input', REQUIRED], ['p', 0.5], ['training', true], ['inplace', false]], (a, ctx) => {
    const x = needTensor(a.input, 'input', label);
    if (isErr(x)) return x;
    const p = num(a.p) ?? 0.5;
    if (p < 0 || p > 1) return fail(`${label}: dropout probability has to be between 0 and 1, but got ${p}`);
    const training = typeof a.training === 'boolean' ? a.training : ctx.training;
    return dropoutApply(kind, x, p, training, ctx);
  });
}

// ---------------------------------------------------------------------------------------------------------------
// Binary / ternary pointwise ops with broadcasting

/** Shapes of the tensor operands (scalars broadcast as 0-d). */
function operandShapes(xs: readonly Arg[]): number[][] {
  return xs.filter(isTensor).map((t) => t.shape);
}

export function broadcastApply(kind: string, label: string, operands: readonly Arg[], ctx: CallContext, flops = 1, saves = false, inplaceShape?: number[]): OpOutcome {
  const shapes = operandShapes(operands);
  if (shapes.length === 0) {
    if (operands.some((o) => o === undefined)) return fail(`${label}: operands are unknown`);
    return fail(`${label}: expected at least one tensor operand, got ${operands.map(show).join(', ')}`);
  }
  const out = broadcastShapes(shapes);
  if (!out) return fail(`${label}: shapes ${shapes.map(fmt).join(' and ')} cannot be broadcast together`);
  if (inplaceShape && fmt(out) !== fmt(inplaceShape)) {
    return fail(`${label}: output with shape ${fmt(inplaceShape)} doesn't match the broadcast shape ${fmt(out)}`);
  }
  const saved = saves ? shapes.reduce((s, x) => s + prod(x), 0) : 0;
  return ok(tensorOf(out, ...operands), pointwiseCost(kind, shapes, out, ctx.dtype, flops, saved));
}

function binaryDef(kind: string, second = 'other', saves = false, extra: Signature = []): FunctionDef {
  const label = `torch.${kind}`;
  return defineFunction(label, [['input', REQUIRED], [second, REQUIRED], ...extra], (a, ctx) =>
    broadcastApply(kind, label, [a.input, a[second]], ctx, 1, saves));
}

// ---------------------------------------------------------------------------------------------------------------
// Matrix products

export function matmulApply(kind: string, label: string, a: TensorArg, b: TensorArg, ctx: CallContext): OpOutcome {
  if (a.shape.length === 0 || b.shape.length === 0) {
    return fail(`${label}: both arguments need to be at least 1-D, got ${fmt(a.shape)} and ${fmt(b.shape)}`);
  }
  const k1 = a.shape[a.shape.length - 1];
  const k2 = b.shape.length === 1 ? b.shape[0] : b.shape[b.shape.length - 2];
  if (k1 !== k2) {
    return fail(`${label}: shapes ${fmt(a.shape)} and ${fmt(b.shape)} cannot be multiplied (${k1} ≠ ${k2})`);
  }
  const batchA = a.shape.length > 2 ? a.shape.slice(0, -2) : [];
  const batchB = b.shape.length > 2 ? b.shape.slice(0, -2) : [];
  if (!broadcastShapes([batchA, batchB])) {
    return fail(`${label}: batch dims of ${fmt(a.shape)} and ${fmt(b.shape)} cannot be broadcast`);
  }
  const c = matmulCost(a.shape, b.shape, ctx.dtype, kind);
  return ok(tensorOf(c.outputShape, a, b), c);
}

export function mmApply(kind: string, label: string, a: TensorArg, b: TensorArg, rank: 2 | 3, ctx: CallContext): OpOutcome {
  if (a.shape.length !== rank || b.shape.length !== rank) {
    return fail(`${label}: expected ${rank}-D tensors, got ${fmt(a.shape)} and ${fmt(b.shape)}`);
  }
  if (rank === 3 && a.shape[0] !== b.shape[0]) {
    return fail(`${label}: batch sizes differ: ${fmt(a.shape)} and ${fmt(b.shape)}`);
  }
  return matmulApply(kind, label, a, b, ctx);
}

function mmDef(kind: 'mm' | 'bmm'): FunctionDef {
  const label = `torch.${kind}`;
  return defineFunction(label, [['input', REQUIRED], ['mat2', REQUIRED]], (a, ctx) => {
    const x = needTensor(a.input, 'input', label);
    if (isErr(x)) return x;
    const y = needTensor(a.mat2, 'mat2', label);
    if (isErr(y)) return y;
    return mmApply(kind, label, x, y, kind === 'mm' ? 2 : 3, ctx);
  });
}

function addmmDef(kind: 'addmm' | 'baddbmm'): FunctionDef {
  const label = `torch.${kind}`;
  const [m1, m2] = kind === 'addmm' ? ['mat1', 'mat2'] : ['batch1', 'batch2'];
  return defineFunction(label, [['input', REQUIRED], [m1, REQUIRED], [m2, REQUIRED], ['beta', 1], ['alpha', 1]], (a, ctx) => {
    const x = needTensor(a.input, 'input', label);
    if (isErr(x)) return x;
    const p = needTensor(a[m1], m1, label);
    if (isErr(p)) return p;
    const q = needTensor(a[m2], m2, label);
    if (isErr(q)) return q;
    const r = mmApply(kind, label, p, q, kind === 'addmm' ? 2 : 3, ctx);
    if (isErr(r)) return r;
    const out = (r.output as TensorArg).shape;
    const b = broadcastShapes([x.shape, out]);
    if (!b || fmt(b) !== fmt(out)) return fail(`${label}: input ${fmt(x.shape)} cannot be broadcast to the product ${fmt(out)}`);
    return r;
  });
}

/** `F.linear(input, weight, bias)`: weight `[out, in]` (or `[in]` for a vector). */
export function linearFunctional(label: string, x: TensorArg, w: TensorArg, bias: Arg, ctx: CallContext): OpOutcome {
  if (w.shape.length !== 1 && w.shape.length !== 2) return fail(`${label}: weight must be 1-D or 2-D, got ${fmt(w.shape)}`);
  const inF = w.shape[w.shape.length - 1];
  const outF = w.shape.length === 2 ? w.shape[0] : 1;
  if (x.shape.length === 0 || x.shape[x.shape.length - 1] !== inF) {
    return fail(`${label}: input ${fmt(x.shape)} and weight ${fmt(w.shape)}: last dim of input must be ${inF}`);
  }
  const c = noParams(linearCost(x.shape, inF, outF, { dtype: ctx.dtype, weightDtype: ctx.weightDtype, bias: isTensor(bias), trainable: !ctx.frozen }));
  const out = w.shape.length === 2 ? c.outputShape : x.shape.slice(0, -1);
  return ok(tensorOf(out, x), { ...c, outputShape: out });
}

// ---------------------------------------------------------------------------------------------------------------
// einsum

interface EinsumTerm { labels: string[] }

function parseEinsumTerm(term: string, rank: number, label: string): EinsumTerm | OpError {
  const ell = term.indexOf('...');
  const letters = term.replace('...', '');
  if (!/^[A-Za-z]*$/.test(letters)) return fail(`${label}: invalid subscript '${term}'`);
  if (ell < 0) {
    if (letters.length !== rank) return fail(`${label}: subscript '${term}' has ${letters.length} indices for a ${rank}-d operand`);
    return { labels: [...letters] };
  }
  const nEll = rank - letters.length;
  if (nEll < 0) return fail(`${label}: subscript '${term}' has more indices than the operand's ${rank} dims`);
  const before = [...term.slice(0, ell)];
  const after = [...term.slice(ell + 3)];
  // Ellipsis dims are named from the right so that operands of different rank broadcast.
  const ellLabels = Array.from({ length: nEll }, (_, i) => `…${nEll - i}`);
  return { labels: [...before, ...ellLabels, ...after] };
}

export function einsumApply(label: string, equation: string, operands: TensorArg[], ctx: CallContext): OpOutcome {
  const eq = equation.replace(/\s+/g, '');
  const [lhs, rhs] = eq.includes('->') ? eq.split('->') : [eq, undefined];
  const terms = lhs.split(',');
  if (terms.length !== operands.length) {
    return fail(`${label}: equation '${equation}' has ${terms.length} operand${terms.length === 1 ? '' : 's'} but ${operands.length} tensor${operands.length === 1 ? ' was' : 's were'} given`);
  }
  const parsed: EinsumTerm[] = [];
  const extent = new Map<string, number>();
  let maxEll = 0;
  for (let i = 0; i < terms.length; i++) {
    const t = parseEinsumTerm(terms[i], operands[i].shape.length, label);
    if (isErr(t)) return t;
    parsed.push(t);
    t.labels.forEach((l, j) => {
      const n = operands[i].shape[j];
      if (l.startsWith('…')) maxEll = Math.max(maxEll, Number(l.slice(1)));
      const prev = extent.get(l);
      if (prev === undefined || prev === 1) extent.set(l, n);
      else if (n !== 1 && n !== prev) extent.set(l, -1);
    });
  }
  for (const [l, n] of extent) {
    if (n < 0) return fail(`${label}: index '${l}' has inconsistent sizes across operands ${operands.map((o) => fmt(o.shape)).join(', ')}`);
  }
  const ellOut = Array.from({ length: maxEll }, (_, i) => `…${maxEll - i}`);
  let outLabels: string[];
  if (rhs === undefined) {
    const count = new Map<string, number>();
    for (const t of parsed) for (const l of t.labels) if (!l.startsWith('…')) count.set(l, (count.get(l) ?? 0) + 1);
    outLabels = [...ellOut, ...[...count].filter(([, c]) => c === 1).map(([l]) => l).sort()];
  } else {
    if (!/^[A-Za-z]*(\.\.\.)?[A-Za-z]*$/.test(rhs)) return fail(`${label}: invalid output subscript '${rhs}'`);
    const ell = rhs.indexOf('...');
    outLabels = ell < 0 ? [...rhs] : [...rhs.slice(0, ell), ...ellOut, ...rhs.slice(ell + 3)];
    for (const l of outLabels) if (!extent.has(l)) return fail(`${label}: output index '${l}' does not appear in the inputs`);
    if (new Set(outLabels).size !== outLabels.length) return fail(`${label}: output subscript '${rhs}' repeats an index`);
  }
  const outShape = outLabels.map((l) => extent.get(l) ?? 1);
  const dtype = ctx.dtype;
  const inEl = operands.reduce((s, o) => s + prod(o.shape), 0);
  if (operands.length === 1) {
    const inSet = new Set(parsed[0].labels);
    if (inSet.size === outLabels.length) return ok(viewOf(operands[0], outShape, true));
    return ok(tensorOf(outShape, operands[0]), reduceCost('einsum', 'reduction', operands[0].shape, outShape, dtype));
  }
  let flops = 0;
  let current = new Set(parsed[0].labels);
  for (let i = 1; i < parsed.length; i++) {
    const union = new Set([...current, ...parsed[i].labels]);
    flops += 2 * prod([...union].map((l) => extent.get(l) ?? 1));
    const later = new Set([...outLabels, ...parsed.slice(i + 1).flatMap((t) => t.labels)]);
    current = new Set([...union].filter((l) => later.has(l)));
  }
  const cost: Cost = {
    kind: 'einsum',
    opClass: 'gemm',
    outputShape: outShape,
    params: 0,
    forwardFlops: flops,
    backwardFlops: 2 * flops,
    bytesRead: bytesOf(inEl, dtype),
    bytesWritten: bytesOf(prod(outShape), dtype),
    savedBytes: bytesOf(inEl, dtype),
  };
  return ok(tensorOf(outShape, ...operands), cost);
}

const einsumDef: FunctionDef = defineFunction('torch.einsum', [['equation', REQUIRED], ['*operands', null]], (a, ctx) => {
  const label = 'torch.einsum';
  if (typeof a.equation !== 'string') return fail(`${label}: equation must be a string, got ${show(a.equation)}`);
  const ops = varargs(a.operands as Arg[]);
  const tensors: TensorArg[] = [];
  for (let i = 0; i < ops.length; i++) {
    const t = needTensor(ops[i], `operand ${i}`, label);
    if (isErr(t)) return t;
    tensors.push(t);
  }
  return einsumApply(label, a.equation, tensors, ctx);
});

// ---------------------------------------------------------------------------------------------------------------
// Attention

export interface SdpaOptions {
  attnMask?: Arg;
  isCausal?: boolean;
  enableGqa?: boolean;
  /** True when the attention probabilities are written out (manual or need_weights attention). */
  materialized?: boolean;
}

export function sdpaApply(label: string, q: TensorArg, k: TensorArg, v: TensorArg, o: SdpaOptions, ctx: CallContext): OpOutcome {
  const shapes = `query ${fmt(q.shape)}, key ${fmt(k.shape)}, value ${fmt(v.shape)}`;
  if (q.shape.length < 2 || k.shape.length < 2 || v.shape.length < 2) return fail(`${label}: expected tensors of at least 2 dims, got ${shapes}`);
  if (q.shape.length !== k.shape.length || q.shape.length !== v.shape.length) return fail(`${label}: query, key and value must have the same rank, got ${shapes}`);
  const r = q.shape.length;
  const [L, E] = q.shape.slice(-2);
  const [S, Ek] = k.shape.slice(-2);
  const [Sv, Ev] = v.shape.slice(-2);
  if (Ek !== E) return fail(`${label}: query and key must have the same head dim, got ${shapes}`);
  if (Sv !== S) return fail(`${label}: key and value must have the same sequence length, got ${shapes}`);
  const hq = r >= 3 ? q.shape[r - 3] : 1;
  const hk = r >= 3 ? k.shape[r - 3] : 1;
  const hv = r >= 3 ? v.shape[r - 3] : 1;
  if (hk !== hv) return fail(`${label}: key and value must have the same number of heads, got ${shapes}`);
  if (hq !== hk && hk !== 1) {
    if (!o.enableGqa) return fail(`${label}: query has ${hq} heads but key/value have ${hk}; pass enable_gqa=True for grouped-query attention (${shapes})`);
    if (hq % hk !== 0) return fail(`${label}: query heads (${hq}) must be a multiple of key/value heads (${hk}) for GQA (${shapes})`);
  }
  const lead = broadcastShapes([q.shape.slice(0, -3), k.shape.slice(0, -3), v.shape.slice(0, -3)]);
  if (!lead) return fail(`${label}: batch dims cannot be broadcast: ${shapes}`);
  const outShape = r >= 3 ? [...lead, hq, L, Ev] : [L, Ev];
  const mask = o.attnMask;
  if (isTensor(mask)) {
    if (o.isCausal) return fail(`${label}: an explicit attn_mask must not be set when is_causal=True`);
    const m = broadcastShapes([mask.shape, [...outShape.slice(0, -2), L, S]]);
    if (!m || fmt(m) !== fmt([...outShape.slice(0, -2), L, S])) {
      return fail(`${label}: attn_mask ${fmt(mask.shape)} cannot be broadcast to the scores ${fmt([...outShape.slice(0, -2), L, S])}`);
    }
  }
  const c = attentionCost({ batch: prod(lead), heads: hq, kvHeads: hk, seqQ: L, seqK: S, headDim: E, headDimV: Ev }, ctx.dtype, { causal: !!o.isCausal, materialized: o.materialized });
  const note = isTensor(mask) ? 'attn_mask given: counted in full (kernels compute every block)' : c.note;
  return ok(tensorOf(outShape, q, k, v), { ...c, outputShape: outShape, note });
}

const sdpaDef = defineFunction('F.scaled_dot_product_attention',
  [['query', REQUIRED], ['key', REQUIRED], ['value', REQUIRED], ['attn_mask', null], ['dropout_p', 0], ['is_causal', false], ['scale', null], ['enable_gqa', false]],
  (a, ctx) => {
    const label = 'F.scaled_dot_product_attention';
    const q = needTensor(a.query, 'query', label);
    if (isErr(q)) return q;
    const k = needTensor(a.key, 'key', label);
    if (isErr(k)) return k;
    const v = needTensor(a.value, 'value', label);
    if (isErr(v)) return v;
    return sdpaApply(label, q, k, v, { attnMask: a.attn_mask, isCausal: bool(a.is_causal, false), enableGqa: bool(a.enable_gqa, false) }, ctx);
  });

// ---------------------------------------------------------------------------------------------------------------
// Convolution

export interface ConvArgs {
  nd: number;
  inChannels: number;
  outChannels: number;
  kernel: Arg;
  stride: Arg;
  padding: Arg;
  dilation: Arg;
  groups: Arg;
  bias: boolean;
  transposed?: boolean;
  outputPadding?: Arg;
  /** Explicit output spatial size (ConvTranspose `output_size=`). */
  outputSize?: Arg;
}

/** Apply a convolution to `x` (`[N, C, *spatial]` or unbatched `[C, *spatial]`). `who` names it in errors. */
export function convApply(who: string, x: TensorArg, o: ConvArgs, ctx: CallContext): OpOutcome {
  const nd = o.nd;
  const r = x.shape.length;
  if (r !== nd + 1 && r !== nd + 2) {
    return fail(`${who} expected a ${nd + 1}-D (unbatched) or ${nd + 2}-D (batched) input, got ${fmt(x.shape)}`);
  }
  const c = x.shape[r - nd - 1];
  if (c !== o.inChannels) {
    return fail(`${who} got input ${fmt(x.shape)}: expected ${o.inChannels} channels in dim ${r - nd - 1}, got ${c}`);
  }
  const groups = needInt(o.groups, 'groups', who, 1);
  if (isErr(groups)) return groups;
  if (o.inChannels % groups !== 0) return fail(`${who}: in_channels (${o.inChannels}) must be divisible by groups (${groups})`);
  if (o.outChannels % groups !== 0) return fail(`${who}: out_channels (${o.outChannels}) must be divisible by groups (${groups})`);
  const kernel = intTuple(o.kernel, nd, 'kernel_size', who);
  if (isErr(kernel)) return kernel;
  const stride = intTuple(o.stride, nd, 'stride', who);
  if (isErr(stride)) return stride;
  const dilation = intTuple(o.dilation, nd, 'dilation', who);
  if (isErr(dilation)) return dilation;
  let padding: number[] | OpError;
  if (o.padding === 'same') {
    if (o.transposed) return fail(`${who}: padding='same' is not supported for transposed convolutions`);
    if (stride.some((s) => s !== 1)) return fail(`${who}: padding='same' is not supported for strided convolutions`);
    // Half the total padding per side; a fractional half reproduces PyTorch's asymmetric extra pad on the right.
    padding = kernel.map((k, i) => (dilation[i] * (k - 1)) / 2);
  } else if (o.padding === 'valid') {
    padding = Array(nd).fill(0);
  } else {
    padding = intTuple(o.padding, nd, 'padding', who);
  }
  if (isErr(padding)) return padding;
  if ([...kernel, ...stride, ...dilation].some((v) => v < 1) || padding.some((v) => v < 0)) {
    return fail(`${who}: kernel_size ${fmt(kernel)}, stride ${fmt(stride)} and dilation ${fmt(dilation)} must be positive, padding ${fmt(padding)} not negative`);
  }
  const outputPadding = o.transposed ? intTuple(o.outputPadding ?? 0, nd, 'output_padding', who) : Array(nd).fill(0);
  if (isErr(outputPadding)) return outputPadding;
  const opts = {
    dtype: ctx.dtype, inChannels: o.inChannels, outChannels: o.outChannels, kernel, stride, padding, dilation, groups,
    bias: o.bias, transposed: o.transposed, outputPadding, trainable: !ctx.frozen,
  };
  const spatial = x.shape.slice(r - nd);
  let outSpatial = convOutSpatial(spatial, opts);
  if (o.transposed && o.outputSize !== undefined && o.outputSize !== null) {
    const want = intList(o.outputSize, 'output_size', who);
    if (isErr(want)) return want;
    outSpatial = want.slice(-nd);
  }
  if (outSpatial.some((n) => n <= 0)) {
    return fail(`${who} got input ${fmt(x.shape)}: output size would be ${fmt(outSpatial)} (kernel ${fmt(kernel)} larger than the padded input)`);
  }
  const cost = convCost(x.shape, opts);
  const outShape = [...x.shape.slice(0, r - nd - 1), o.outChannels, ...outSpatial];
  return ok(tensorOf(outShape, x), { ...cost, outputShape: outShape });
}

function convDef(nd: number, transposed: boolean): FunctionDef {
  const label = `F.conv${transposed ? '_transpose' : ''}${nd}d`;
  const sig: Signature = transposed
    ? [['input', REQUIRED], ['weight', REQUIRED], ['bias', null], ['stride', 1], ['padding', 0], ['output_padding', 0], ['groups', 1], ['dilation', 1]]
    : [['input', REQUIRED], ['weight', REQUIRED], ['bias', null], ['stride', 1], ['padding', 0], ['dilation', 1], ['groups', 1]];
  return defineFunction(label, sig, (a, ctx) => {
    const x = needTensor(a.input, 'input', label);
    if (isErr(x)) return x;
    const w = needTensor(a.weight, 'weight', label);
    if (isErr(w)) return w;
    if (w.shape.length !== nd + 2) return fail(`${label}: weight must be ${nd + 2}-D, got ${fmt(w.shape)}`);
    const g = int(a.groups) ?? 1;
    const inC = transposed ? w.shape[0] : w.shape[1] * g;
    const outC = transposed ? w.shape[1] * g : w.shape[0];
    const r = convApply(label, x, {
      nd, inChannels: inC, outChannels: outC, kernel: w.shape.slice(2), stride: a.stride, padding: a.padding,
      dilation: a.dilation, groups: a.groups, bias: isTensor(a.bias), transposed, outputPadding: a.output_padding,
    }, ctx);
    return isErr(r) ? r : { ...r, costs: r.costs.map(noParams) };
  });
}

// ---------------------------------------------------------------------------------------------------------------
// Normalisation

export function layerNormApply(who: string, x: TensorArg, normalized: number[], params: number, ctx: CallContext, kind = 'layer_norm', flops = 5): OpOutcome {
  const tail = x.shape.slice(x.shape.length - normalized.length);
  if (x.shape.length < normalized.length || fmt(tail) !== fmt(normalized)) {
    return fail(`${who} got input ${fmt(x.shape)}: trailing dims must be ${fmt(normalized)}`);
  }
  return ok(tensorOf([...x.shape], x), normCost(kind, x.shape, params, ctx.dtype, flops));
}

/** Norms over channels (`[N, C, *]`): batch/group norm. `channelDim` is 1 for batched input. */
export function channelNormApply(who: string, kind: string, x: TensorArg, channels: number, channelDim: number, params: number, ctx: CallContext): OpOutcome {
  if (x.shape[channelDim] !== channels) {
    return fail(`${who} got input ${fmt(x.shape)}: expected ${channels} channels in dim ${channelDim}, got ${x.shape[channelDim] ?? 'none'}`);
  }
  return ok(tensorOf([...x.shape], x), normCost(kind, x.shape, params, ctx.dtype));
}

const layerNormDef = defineFunction('F.layer_norm', [['input', REQUIRED], ['normalized_shape', REQUIRED], ['weight', null], ['bias', null], ['eps', 1e-5]], (a, ctx) => {
  const label = 'F.layer_norm';
  const x = needTensor(a.input, 'input', label);
  if (isErr(x)) return x;
  const ns = intList(a.normalized_shape, 'normalized_shape', label);
  if (isErr(ns)) return ns;
  return layerNormApply(label, x, ns, 0, ctx);
});

const rmsNormDef = defineFunction('F.rms_norm', [['input', REQUIRED], ['normalized_shape', REQUIRED], ['weight', null], ['eps', null]], (a, ctx) => {
  const label = 'F.rms_norm';
  const x = needTensor(a.input, 'input', label);
  if (isErr(x)) return x;
  const ns = intList(a.normalized_shape, 'normalized_shape', label);
  if (isErr(ns)) return ns;
  return layerNormApply(label, x, ns, 0, ctx, 'rms_norm', 4);
});

const groupNormDef = defineFunction('F.group_norm', [['input', REQUIRED], ['num_groups', REQUIRED], ['weight', null], ['bias', null], ['eps', 1e-5]], (a, ctx) => {
  const label = 'F.group_norm';
  const x = needTensor(a.input, 'input', label);
  if (isErr(x)) return x;
  const g = needInt(a.num_groups, 'num_groups', label, 1);
  if (isErr(g)) return g;
  if (x.shape.length < 2) return fail(`${label}: expected at least 2-D input, got ${fmt(x.shape)}`);
  if (x.shape[1] % g !== 0) return fail(`${label}: ${x.shape[1]} channels of ${fmt(x.shape)} are not divisible into ${g} groups`);
  return ok(tensorOf([...x.shape], x), normCost('group_norm', x.shape, 0, ctx.dtype));
});

const batchNormDef = defineFunction('F.batch_norm',
  [['input', REQUIRED], ['running_mean', null], ['running_var', null], ['weight', null], ['bias', null], ['training', false], ['momentum', 0.1], ['eps', 1e-5]],
  (a, ctx) => {
    const label = 'F.batch_norm';
    const x = needTensor(a.input, 'input', label);
    if (isErr(x)) return x;
    if (x.shape.length < 2) return fail(`${label}: expected at least 2-D input, got ${fmt(x.shape)}`);
    return ok(tensorOf([...x.shape], x), normCost('batch_norm', x.shape, 0, ctx.dtype));
  });

const instanceNormDef = defineFunction('F.instance_norm',
  [['input', REQUIRED], ['running_mean', null], ['running_var', null], ['weight', null], ['bias', null], ['use_input_stats', true], ['momentum', 0.1], ['eps', 1e-5]],
  (a, ctx) => {
    const label = 'F.instance_norm';
    const x = needTensor(a.input, 'input', label);
    if (isErr(x)) return x;
    if (x.shape.length < 3) return fail(`${label}: expected at least 3-D input, got ${fmt(x.shape)}`);
    return ok(tensorOf([...x.shape], x), normCost('instance_norm', x.shape, 0, ctx.dtype));
  });

export function localResponseNormApply(who: string, x: TensorArg, size: number, ctx: CallContext): OpOutcome {
  if (x.shape.length < 3) return fail(`${who}: expected at least 3-D input, got ${fmt(x.shape)}`);
  return ok(tensorOf([...x.shape], x), normCost('local_response_norm', x.shape, 0, ctx.dtype, size + 4));
}

const lrnDef = defineFunction('F.local_response_norm', [['input', REQUIRED], ['size', REQUIRED], ['alpha', 1e-4], ['beta', 0.75], ['k', 1]], (a, ctx) => {
  const x = needTensor(a.input, 'input', 'F.local_response_norm');
  if (isErr(x)) return x;
  const size = needInt(a.size, 'size', 'F.local_response_norm', 1);
  return isErr(size) ? size : localResponseNormApply('F.local_response_norm', x, size, ctx);
});

const normalizeDef = defineFunction('F.normalize', [['input', REQUIRED], ['p', 2], ['dim', 1], ['eps', 1e-12], ['out', null]], (a, ctx) => {
  const label = 'F.normalize';
  const x = needTensor(a.input, 'input', label);
  if (isErr(x)) return x;
  const d = normDim(a.dim, x.shape.length, label, x.shape);
  if (isErr(d)) return d;
  return ok(tensorOf([...x.shape], x), normCost('normalize', x.shape, 0, ctx.dtype, 4));
});

// ---------------------------------------------------------------------------------------------------------------
// Embedding

const embeddingDef = defineFunction('F.embedding',
  [['input', REQUIRED], ['weight', REQUIRED], ['padding_idx', null], ['max_norm', null], ['norm_type', 2], ['scale_grad_by_freq', false], ['sparse', false]],
  (a, ctx) => {
    const label = 'F.embedding';
    const x = needTensor(a.input, 'input', label);
    if (isErr(x)) return x;
    const w = needTensor(a.weight, 'weight', label);
    if (isErr(w)) return w;
    if (w.shape.length !== 2) return fail(`${label}: weight must be 2-D [num_embeddings, embedding_dim], got ${fmt(w.shape)}`);
    const c = noParams(embeddingCost(x.shape, w.shape[0], w.shape[1], ctx.dtype, !ctx.frozen));
    return ok(tensorOf(c.outputShape, w), c);
  });

const oneHotDef = defineFunction('F.one_hot', [['tensor', REQUIRED], ['num_classes', -1]], (a, ctx) => {
  const label = 'F.one_hot';
  const x = needTensor(a.tensor, 'tensor', label);
  if (isErr(x)) return x;
  const n = int(a.num_classes);
  if (n === undefined || n < 0) return fail(`${label}: num_classes must be given (the class count is data-dependent otherwise)`);
  const out = [...x.shape, n];
  return ok(tensorOf(out), pointwiseCost('one_hot', [x.shape], out, ctx.dtype, 0, 0, 'memory'));
});

// ---------------------------------------------------------------------------------------------------------------
// Pooling, resampling, padding

function poolOut(n: number, k: number, s: number, p: number, d: number, ceil: boolean): number {
  const span = n + 2 * p - d * (k - 1) - 1;
  let o = (ceil ? Math.ceil(span / s) : Math.floor(span / s)) + 1;
  // PyTorch: with ceil_mode the last window must start inside the input or the left padding.
  if (ceil && (o - 1) * s >= n + p) o -= 1;
  return o;
}

export interface PoolArgs {
  nd: number;
  kind: 'max' | 'avg';
  kernel: Arg;
  stride: Arg;
  padding: Arg;
  dilation: Arg;
  ceilMode: boolean;
  returnIndices?: boolean;
}

export function poolApply(who: string, x: TensorArg, o: PoolArgs, ctx: CallContext): OpOutcome {
  const nd = o.nd;
  const r = x.shape.length;
  if (r !== nd + 1 && r !== nd + 2) return fail(`${who} expected a ${nd + 1}-D or ${nd + 2}-D input, got ${fmt(x.shape)}`);
  const k = intTuple(o.kernel, nd, 'kernel_size', who);
  if (isErr(k)) return k;
  const s = o.stride === null || o.stride === undefined || (Array.isArray(o.stride) && o.stride.length === 0) ? k : intTuple(o.stride, nd, 'stride', who);
  if (isErr(s)) return s;
  const p = intTuple(o.padding, nd, 'padding', who);
  if (isErr(p)) return p;
  const d = intTuple(o.dilation, nd, 'dilation', who);
  if (isErr(d)) return d;
  // As PyTorch: a zero kernel or stride has no output size (and would divide by zero here).
  if ([...k, ...s, ...d].some((v) => v < 1) || p.some((v) => v < 0)) return fail(`${who}: kernel_size ${fmt(k)}, stride ${fmt(s)} and dilation ${fmt(d)} must be positive, padding ${fmt(p)} not negative`);
  for (let i = 0; i < nd; i++) {
    if (p[i] > Math.floor(k[i] / 2)) return fail(`${who}: padding ${p[i]} should be at most half of the kernel size ${k[i]}`);
  }
  const spatial = x.shape.slice(r - nd);
  const outSpatial = spatial.map((n, i) => poolOut(n, k[i], s[i], p[i], d[i], o.ceilMode));
  if (outSpatial.some((n) => n <= 0)) {
    return fail(`${who} got input ${fmt(x.shape)}: output size would be ${fmt(outSpatial)} (kernel ${fmt(k)} too large)`);
  }
  const outShape = [...x.shape.slice(0, r - nd), ...outSpatial];
  const kind = `${o.kind}_pool${nd}d`;
  const c = reduceCost(kind, 'pool', x.shape, outShape, ctx.dtype);
  const cost: Cost = { ...c, forwardFlops: prod(outShape) * prod(k) };
  const out = tensorOf(outShape, x);
  return ok(o.returnIndices ? [out, tensorOf(outShape)] : out, cost);
}

export function adaptivePoolApply(who: string, kind: 'max' | 'avg', nd: number, x: TensorArg, outputSize: Arg, ctx: CallContext, returnIndices = false): OpOutcome {
  const r = x.shape.length;
  if (r !== nd + 1 && r !== nd + 2) return fail(`${who} expected a ${nd + 1}-D or ${nd + 2}-D input, got ${fmt(x.shape)}`);
  const spatial = x.shape.slice(r - nd);
  const raw: Arg[] = Array.isArray(outputSize) ? outputSize : Array(nd).fill(outputSize);
  if (raw.length !== nd) return fail(`${who}: output_size must be an int or a ${nd}-tuple, got ${show(outputSize)}`);
  const outSpatial: number[] = [];
  for (let i = 0; i < nd; i++) {
    if (raw[i] === null) { outSpatial.push(spatial[i]); continue; }
    const n = needInt(raw[i], 'output_size', who, 1);
    if (isErr(n)) return n;
    outSpatial.push(n);
  }
  const outShape = [...x.shape.slice(0, r - nd), ...outSpatial];
  const c = reduceCost(`adaptive_${kind}_pool${nd}d`, 'pool', x.shape, outShape, ctx.dtype);
  const out = tensorOf(outShape, x);
  return ok(returnIndices ? [out, tensorOf(outShape)] : out, c);
}

function maxPoolDef(nd: number): FunctionDef {
  const label = `F.max_pool${nd}d`;
  return defineFunction(label,
    [['input', REQUIRED], ['kernel_size', REQUIRED], ['stride', null], ['padding', 0], ['dilation', 1], ['ceil_mode', false], ['return_indices', false]],
    (a, ctx) => {
      const x = needTensor(a.input, 'input', label);
      if (isErr(x)) return x;
      return poolApply(label, x, { nd, kind: 'max', kernel: a.kernel_size, stride: a.stride, padding: a.padding, dilation: a.dilation, ceilMode: bool(a.ceil_mode, false), returnIndices: bool(a.return_indices, false) }, ctx);
    });
}

function avgPoolDef(nd: number): FunctionDef {
  const label = `F.avg_pool${nd}d`;
  const sig: Signature = [['input', REQUIRED], ['kernel_size', REQUIRED], ['stride', null], ['padding', 0], ['ceil_mode', false], ['count_include_pad', true]];
  if (nd > 1) sig.push(['divisor_override', null]);
  return defineFunction(label, sig, (a, ctx) => {
    const x = needTensor(a.input, 'input', label);
    if (isErr(x)) return x;
    return poolApply(label, x, { nd, kind: 'avg', kernel: a.kernel_size, stride: a.stride, padding: a.padding, dilation: 1, ceilMode: bool(a.ceil_mode, false) }, ctx);
  });
}

function adaptiveDef(kind: 'max' | 'avg', nd: number): FunctionDef {
  const label = `F.adaptive_${kind}_pool${nd}d`;
  const sig: Signature = [['input', REQUIRED], ['output_size', REQUIRED]];
  if (kind === 'max') sig.push(['return_indices', false]);
  return defineFunction(label, sig, (a, ctx) => {
    const x = needTensor(a.input, 'input', label);
    if (isErr(x)) return x;
    return adaptivePoolApply(label, kind, nd, x, a.output_size, ctx, bool(a.return_indices, false));
  });
}

/** FLOPs per output element of each interpolation mode (2·taps − 1: weighted sum of the neighbours). */
const INTERP_FLOPS: Record<string, number> = { nearest: 0, 'nearest-exact': 0, linear: 3, bilinear: 7, trilinear: 15, bicubic: 31 };
const INTERP_DIMS: Record<string, number> = { linear: 1, bilinear: 2, bicubic: 2, trilinear: 3 };

export function interpolateApply(who: string, x: TensorArg, size: Arg, scale: Arg, mode: Arg, ctx: CallContext): OpOutcome {
  const r = x.shape.length;
  if (r < 3 || r > 5) return fail(`${who} expected a 3-D, 4-D or 5-D input [N, C, *spatial], got ${fmt(x.shape)}`);
  const nd = r - 2;
  const m = typeof mode === 'string' ? mode : 'nearest';
  if (!(m in INTERP_FLOPS) && m !== 'area') return fail(`${who}: unknown mode '${m}'`);
  if (INTERP_DIMS[m] !== undefined && INTERP_DIMS[m] !== nd) {
    return fail(`${who}: mode '${m}' needs a ${INTERP_DIMS[m] + 2}-D input, got ${fmt(x.shape)}`);
  }
  const hasSize = size !== null && size !== undefined;
  const hasScale = scale !== null && scale !== undefined;
  if (hasSize === hasScale) return fail(`${who}: exactly one of size or scale_factor must be given`);
  const spatial = x.shape.slice(2);
  let outSpatial: number[];
  if (hasSize) {
    const s = intTuple(size, nd, 'size', who);
    if (isErr(s)) return s;
    outSpatial = s;
  } else {
    const raw: Arg[] = Array.isArray(scale) ? scale : Array(nd).fill(scale);
    if (raw.length !== nd) return fail(`${who}: scale_factor must be a number or a ${nd}-tuple, got ${show(scale)}`);
    const f = raw.map(num);
    if (f.some((v) => v === undefined || v <= 0)) return fail(`${who}: scale_factor ${show(scale)} is not a positive number`);
    outSpatial = spatial.map((n, i) => Math.floor(n * (f[i] as number)));
  }
  if (outSpatial.some((n) => n <= 0)) return fail(`${who}: output size ${fmt(outSpatial)} for input ${fmt(x.shape)} must be positive`);
  const outShape = [...x.shape.slice(0, 2), ...outSpatial];
  if (m === 'area') return adaptivePoolApply(who, 'avg', nd, x, outSpatial, ctx);
  const flops = INTERP_FLOPS[m];
  const cost = pointwiseCost(`interpolate_${m}`, [x.shape], outShape, ctx.dtype, flops, 0, flops === 0 ? 'memory' : 'elementwise');
  return ok(tensorOf(outShape, x), { ...cost, backwardFlops: Math.max(flops, 1) * prod(outShape) });
}

const interpolateDef = defineFunction('F.interpolate',
  [['input', REQUIRED], ['size', null], ['scale_factor', null], ['mode', 'nearest'], ['align_corners', null], ['recompute_scale_factor', null], ['antialias', false]],
  (a, ctx) => {
    const x = needTensor(a.input, 'input', 'F.interpolate');
    if (isErr(x)) return x;
    return interpolateApply('F.interpolate', x, a.size, a.scale_factor, a.mode, ctx);
  });

export function pixelShuffleApply(who: string, x: TensorArg, factor: number, inverse: boolean, ctx: CallContext): OpOutcome {
  const r = x.shape.length;
  if (r < 3) return fail(`${who} expected at least a 3-D input [*, C, H, W], got ${fmt(x.shape)}`);
  const [c, h, w] = x.shape.slice(-3);
  const f2 = factor * factor;
  let out: number[];
  if (!inverse) {
    if (c % f2 !== 0) return fail(`${who} got input ${fmt(x.shape)}: channels (${c}) must be divisible by upscale_factor² (${f2})`);
    out = [...x.shape.slice(0, -3), c / f2, h * factor, w * factor];
  } else {
    if (h % factor !== 0 || w % factor !== 0) return fail(`${who} got input ${fmt(x.shape)}: height and width must be divisible by downscale_factor (${factor})`);
    out = [...x.shape.slice(0, -3), c * f2, h / factor, w / factor];
  }
  return ok(tensorOf(out, x), copyCost(inverse ? 'pixel_unshuffle' : 'pixel_shuffle', out, ctx.dtype));
}

/**
 * `nn.Unfold` / `F.unfold` (im2col): [N, C, H, W] → [N, C·kh·kw, L] with L the number of sliding blocks, and
 * `nn.Fold` / `F.fold` (col2im): [N, C·kh·kw, L] → [N, C, *output_size]. Data movement only (no multiply-adds);
 * a following Linear or matmul on the columns carries the matrix work.
 */
export function unfoldApply(who: string, x: TensorArg, a: Record<string, Arg>, fold: boolean, ctx: CallContext): OpOutcome {
  const k = intTuple(a.kernel_size, 2, 'kernel_size', who);
  if (isErr(k)) return k;
  const parts = [intTuple(a.dilation ?? 1, 2, 'dilation', who), intTuple(a.padding ?? 0, 2, 'padding', who), intTuple(a.stride ?? 1, 2, 'stride', who)];
  for (const p of parts) if (isErr(p)) return p;
  const [d, p, s] = parts as number[][];
  if (s.some((v) => v <= 0) || k.some((v) => v <= 0) || d.some((v) => v <= 0)) return fail(`${who}: kernel_size, dilation and stride must be positive`);
  const blocks = (size: number[]): number[] => size.map((n, i) => Math.floor((n + 2 * p[i] - d[i] * (k[i] - 1) - 1) / s[i]) + 1);
  const lead = x.shape.length === (fold ? 3 : 4) ? [x.shape[0]] : [];
  let out: number[];
  if (!fold) {
    if (x.shape.length !== 3 && x.shape.length !== 4) return fail(`${who} expected a 3-D or 4-D input [N, C, H, W], got ${fmt(x.shape)}`);
    const [c, h, w] = x.shape.slice(-3);
    const l = blocks([h, w]);
    if (l.some((v) => v <= 0)) return fail(`${who}: kernel ${show(k)} does not fit the input ${fmt(x.shape)}`);
    out = [...lead, c * k[0] * k[1], l[0] * l[1]];
  } else {
    const size = intTuple(a.output_size, 2, 'output_size', who);
    if (isErr(size)) return size;
    if (x.shape.length !== 2 && x.shape.length !== 3) return fail(`${who} expected a 2-D or 3-D input [N, C·kh·kw, L], got ${fmt(x.shape)}`);
    const [ck] = x.shape.slice(-2);
    if (ck % (k[0] * k[1]) !== 0) return fail(`${who}: input dim ${ck} is not divisible by the kernel size ${k[0] * k[1]}`);
    out = [...lead, ck / (k[0] * k[1]), size[0], size[1]];
  }
  return ok(tensorOf(out, x), copyCost(fold ? 'fold' : 'unfold', out, ctx.dtype));
}

/** `F.pad` semantics: `pad` pairs apply to the last dims first (left, right, top, bottom, front, back). */
export function padApply(who: string, x: TensorArg, pad: number[], mode: string, ctx: CallContext): OpOutcome {
  if (pad.length % 2 !== 0) return fail(`${who}: padding length must be even, got ${pad.length}`);
  if (pad.length / 2 > x.shape.length) return fail(`${who}: padding ${show(pad)} has more dims than the input ${fmt(x.shape)}`);
  const out = [...x.shape];
  for (let i = 0; i < pad.length / 2; i++) {
    const d = x.shape.length - 1 - i;
    if (mode === 'reflect' && (pad[2 * i] >= x.shape[d] || pad[2 * i + 1] >= x.shape[d])) {
      return fail(`${who}: reflection padding ${pad[2 * i]}/${pad[2 * i + 1]} must be smaller than dim ${d} of size ${x.shape[d]} (${fmt(x.shape)})`);
    }
    out[d] += pad[2 * i] + pad[2 * i + 1];
    if (out[d] <= 0) return fail(`${who}: padding ${show(pad)} makes dim ${d} of ${fmt(x.shape)} non-positive`);
  }
  return ok(tensorOf(out, x), copyCost(`pad_${mode}`, out, ctx.dtype));
}

const padDef = defineFunction('F.pad', [['input', REQUIRED], ['pad', REQUIRED], ['mode', 'constant'], ['value', null]], (a, ctx) => {
  const x = needTensor(a.input, 'input', 'F.pad');
  if (isErr(x)) return x;
  const p = intList(a.pad, 'pad', 'F.pad');
  if (isErr(p)) return p;
  const mode = typeof a.mode === 'string' ? a.mode : 'constant';
  if (!['constant', 'reflect', 'replicate', 'circular'].includes(mode)) return fail(`F.pad: unknown mode '${mode}'`);
  return padApply('F.pad', x, p, mode, ctx);
});

// ---------------------------------------------------------------------------------------------------------------
// Losses

/** Reduction of a loss: `mean`/`sum` give a 0-d tensor, `none` the per-element shape. */
function reduced(reduction: Arg, perElement: number[]): number[] {
  return reduction === 'none' ? perElement : [];
}

function lossCost(kind: string, inputs: number[][], perElement: number[], out: number[], flopsPerElement: number, ctx: CallContext, saved: number): Cost {
  const el = prod(perElement);
  return {
    kind,
    opClass: 'loss',
    outputShape: out,
    params: 0,
    forwardFlops: flopsPerElement * el,
    backwardFlops: flopsPerElement * el,
    bytesRead: bytesOf(inputs.reduce((s, x) => s + prod(x), 0), ctx.dtype),
    bytesWritten: bytesOf(prod(out), ctx.dtype),
    savedBytes: bytesOf(saved, ctx.dtype),
  };
}

/** `cross_entropy` / `nll_loss`: input `[N, C, *]` or `[C]`; target class indices `[N, *]` or probabilities like input. */
export function classLossApply(who: string, kind: 'cross_entropy' | 'nll_loss', x: TensorArg, target: TensorArg, reduction: Arg, ctx: CallContext): OpOutcome {
  if (x.shape.length === 0) return fail(`${who}: input must have a class dim, got ${fmt(x.shape)}`);
  const indexShape = x.shape.length === 1 ? [] : [x.shape[0], ...x.shape.slice(2)];
  const probs = kind === 'cross_entropy' && fmt(target.shape) === fmt(x.shape);
  if (!probs && fmt(target.shape) !== fmt(indexShape)) {
    const alt = kind === 'cross_entropy' ? ` (class indices) or ${fmt(x.shape)} (probabilities)` : ' (class indices)';
    return fail(`${who}: input ${fmt(x.shape)} expects target ${fmt(indexShape)}${alt}, got ${fmt(target.shape)}`);
  }
  const out = reduced(reduction, indexShape);
  const el = prod(x.shape);
  // cross-entropy = log_softmax (5/elem) + gather/reduce; nll = gather + reduce over N.
  const c = kind === 'cross_entropy'
    ? lossCost(kind, [x.shape, target.shape], x.shape, out, 6, ctx, el)
    : lossCost(kind, [x.shape, target.shape], indexShape.length ? indexShape : [1], out, 2, ctx, 0);
  return ok(tensorOf(out, x), c);
}

/** Element-wise losses over broadcast input/target (`mse_loss`, `l1_loss`, `bce`...). */
export function pairLossApply(who: string, kind: string, x: TensorArg, target: TensorArg, reduction: Arg, flops: number, ctx: CallContext, exactShape = false): OpOutcome {
  const b = broadcastShapes([x.shape, target.shape]);
  if (!b || (exactShape && fmt(x.shape) !== fmt(target.shape))) {
    return fail(`${who}: target ${fmt(target.shape)} must ${exactShape ? 'have the same shape as' : 'broadcast with'} input ${fmt(x.shape)}`);
  }
  const out = reduced(reduction, b);
  return ok(tensorOf(out, x), lossCost(kind, [x.shape, target.shape], b, out, flops, ctx, prod(x.shape) + prod(target.shape)));
}

export function cosineEmbeddingLossApply(who: string, x1: TensorArg, x2: TensorArg, y: TensorArg, reduction: Arg, ctx: CallContext): OpOutcome {
  if (fmt(x1.shape) !== fmt(x2.shape) || x1.shape.length < 1 || x1.shape.length > 2) {
    return fail(`${who}: inputs must both be [N, D] or [D], got ${fmt(x1.shape)} and ${fmt(x2.shape)}`);
  }
  const per = x1.shape.length === 2 ? [x1.shape[0]] : [];
  if (fmt(y.shape) !== fmt(per)) return fail(`${who}: target must be ${fmt(per)} for inputs ${fmt(x1.shape)}, got ${fmt(y.shape)}`);
  const out = reduced(reduction, per);
  const c = lossCost('cosine_embedding_loss', [x1.shape, x2.shape, y.shape], x1.shape, out, 6, ctx, 2 * prod(x1.shape));
  return ok(tensorOf(out, x1), c);
}

const LOSS_SIG: Signature = [['size_average', null], ['reduce', null], ['reduction', 'mean']];

/** Reduction from the legacy `size_average`/`reduce` flags (PyTorch's `_Reduction.legacy_get_string`). */
export function lossReduction(a: A): Arg {
  if (a.size_average === undefined && a.reduce === undefined) return a.reduction;
  if ((a.size_average === null || a.size_average === undefined) && (a.reduce === null || a.reduce === undefined)) return a.reduction;
  if (a.reduce === false) return 'none';
  return a.size_average === false ? 'sum' : 'mean';
}

function classLossDef(kind: 'cross_entropy' | 'nll_loss'): FunctionDef {
  const label = `F.${kind}`;
  const sig: Signature = [['input', REQUIRED], ['target', REQUIRED], ['weight', null], ['size_average', null], ['ignore_index', -100], ['reduce', null], ['reduction', 'mean']];
  if (kind === 'cross_entropy') sig.push(['label_smoothing', 0]);
  return defineFunction(label, sig, (a, ctx) => {
    const x = needTensor(a.input, 'input', label);
    if (isErr(x)) return x;
    const t = needTensor(a.target, 'target', label);
    if (isErr(t)) return t;
    return classLossApply(label, kind, x, t, lossReduction(a), ctx);
  });
}

/** FLOPs per element of element-wise losses. */
export const PAIR_LOSS_FLOPS: Record<string, number> = {
  mse_loss: 3, l1_loss: 3, smooth_l1_loss: 5, huber_loss: 5, binary_cross_entropy: 6, binary_cross_entropy_with_logits: 8,
  kl_div: 4, soft_margin_loss: 4, poisson_nll_loss: 4,
};

function pairLossDef(kind: string, pre: Signature, post: Signature = []): FunctionDef {
  const label = `F.${kind}`;
  return defineFunction(label, [['input', REQUIRED], ['target', REQUIRED], ...pre, ...post], (a, ctx) => {
    const x = needTensor(a.input, 'input', label);
    if (isErr(x)) return x;
    const t = needTensor(a.target, 'target', label);
    if (isErr(t)) return t;
    const exact = kind.startsWith('binary_cross_entropy');
    return pairLossApply(label, kind, x, t, lossReduction(a), PAIR_LOSS_FLOPS[kind] ?? 3, ctx, exact);
  });
}

export function cosineSimilarityApply(who: string, x1: TensorArg, x2: TensorArg, dim: Arg, ctx: CallContext): OpOutcome {
  const b = broadcastShapes([x1.shape, x2.shape]);
  if (!b) return fail(`${who}: shapes ${fmt(x1.shape)} and ${fmt(x2.shape)} cannot be broadcast`);
  const d = normDim(dim, b.length, who, b);
  if (isErr(d)) return d;
  const out = b.filter((_, i) => i !== d);
  return ok(tensorOf(out, x1, x2), pointwiseCost('cosine_similarity', [x1.shape, x2.shape], out, ctx.dtype, 0, prod(x1.shape) + prod(x2.shape), 'reduction'));
}

// ---------------------------------------------------------------------------------------------------------------
// Reductions

/** Dims of a `dim=` argument (None → all). */
function reduceDims(dim: Arg, shape: readonly number[], label: string): number[] | OpError {
  if (dim === null || dim === undefined || (Array.isArray(dim) && dim.length === 0)) return shape.map((_, i) => i);
  const list = Array.isArray(dim) ? dim : [dim];
  const out: number[] = [];
  for (const d of list) {
    const n = normDim(d, shape.length, label, shape);
    if (isErr(n)) return n;
    out.push(n);
  }
  return out;
}

function reducedShape(shape: readonly number[], dims: readonly number[], keepdim: boolean): number[] {
  return keepdim ? shape.map((n, i) => (dims.includes(i) ? 1 : n)) : shape.filter((_, i) => !dims.includes(i));
}

export function reductionApply(kind: string, label: string, x: TensorArg, dim: Arg, keepdim: Arg, ctx: CallContext, flops = 1): OpOutcome {
  const dims = reduceDims(dim, x.shape, label);
  if (isErr(dims)) return dims;
  const out = reducedShape(x.shape, dims, bool(keepdim, false));
  return ok(tensorOf(out, x), reduceCost(kind, 'reduction', x.shape, out, ctx.dtype, flops));
}

function reductionDef(kind: string, flops = 1, dimDefault: Arg | typeof REQUIRED = null): FunctionDef {
  const label = `torch.${kind}`;
  return defineFunction(label, [['input', REQUIRED], ['dim', dimDefault], ['keepdim', false], ['dtype', null]], (a, ctx) => {
    const x = needTensor(a.input, 'input', label);
    if (isErr(x)) return x;
    return reductionApply(kind, label, x, a.dim, a.keepdim, ctx, flops);
  });
}

/** `max`/`min`: full reduction, `(values, indices)` along a dim, or the element-wise maximum of two tensors. */
function maxMinDef(kind: 'max' | 'min'): FunctionDef {
  const label = `torch.${kind}`;
  return defineFunction(label, [['input', REQUIRED], ['dim', null], ['keepdim', false]], (a, ctx) => {
    const x = needTensor(a.input, 'input', label);
    if (isErr(x)) return x;
    if (isTensor(a.dim)) return broadcastApply(kind === 'max' ? 'maximum' : 'minimum', label, [x, a.dim], ctx);
    if (a.dim === null) return ok(tensorOf([], x), reduceCost(kind, 'reduction', x.shape, [], ctx.dtype));
    const r = reductionApply(kind, label, x, a.dim, a.keepdim, ctx);
    if (isErr(r)) return r;
    const v = r.output as TensorArg;
    return { costs: r.costs, output: [v, tensorOf([...v.shape])] };
  });
}

function argDef(kind: 'argmax' | 'argmin'): FunctionDef {
  const label = `torch.${kind}`;
  return defineFunction(label, [['input', REQUIRED], ['dim', null], ['keepdim', false]], (a, ctx) => {
    const x = needTensor(a.input, 'input', label);
    if (isErr(x)) return x;
    const r = reductionApply(kind, label, x, a.dim, a.dim === null ? false : a.keepdim, ctx);
    return isErr(r) ? r : { costs: r.costs, output: tensorOf([...(r.output as TensorArg).shape]) };
  });
}

const topkDef = defineFunction('torch.topk', [['input', REQUIRED], ['k', REQUIRED], ['dim', -1], ['largest', true], ['sorted', true]], (a, ctx) => {
  const label = 'torch.topk';
  const x = needTensor(a.input, 'input', label);
  if (isErr(x)) return x;
  const k = needInt(a.k, 'k', label, 0);
  if (isErr(k)) return k;
  const d = normDim(a.dim, x.shape.length, label, x.shape);
  if (isErr(d)) return d;
  const n = x.shape.length ? x.shape[d] : 1;
  if (k > n) return fail(`${label}: k (${k}) is larger than dim ${d} of ${fmt(x.shape)} (size ${n})`);
  const out = x.shape.length ? x.shape.map((s, i) => (i === d ? k : s)) : [];
  const c = reduceCost('topk', 'reduction', x.shape, out, ctx.dtype, Math.max(1, Math.log2(Math.max(k, 2))));
  return ok([tensorOf(out, x), tensorOf([...out])], c);
});

const sortDef = defineFunction('torch.sort', [['input', REQUIRED], ['dim', -1], ['descending', false], ['stable', false]], (a, ctx) => {
  const label = 'torch.sort';
  const x = needTensor(a.input, 'input', label);
  if (isErr(x)) return x;
  const d = normDim(a.dim, x.shape.length, label, x.shape);
  if (isErr(d)) return d;
  const n = x.shape.length ? x.shape[d] : 1;
  const c = reduceCost('sort', 'reduction', x.shape, x.shape, ctx.dtype, Math.max(1, Math.log2(Math.max(n, 2))));
  return ok([tensorOf([...x.shape], x), tensorOf([...x.shape])], c);
});

const argsortDef: FunctionDef = (args, kwargs, ctx) => {
  const r = sortDef(args, kwargs, ctx);
  return isErr(r) ? r : { costs: r.costs, output: (r.output as Arg[])[1] };
};

const multinomialDef = defineFunction('torch.multinomial', [['input', REQUIRED], ['num_samples', REQUIRED], ['replacement', false], ['generator', null]], (a, ctx) => {
  const label = 'torch.multinomial';
  const x = needTensor(a.input, 'input', label);
  if (isErr(x)) return x;
  if (x.shape.length < 1 || x.shape.length > 2) return fail(`${label}: probabilities must be 1-D or 2-D, got ${fmt(x.shape)}`);
  const n = needInt(a.num_samples, 'num_samples', label, 1);
  if (isErr(n)) return n;
  if (!bool(a.replacement, false) && n > x.shape[x.shape.length - 1]) {
    return fail(`${label}: cannot draw ${n} samples without replacement from ${x.shape[x.shape.length - 1]} categories`);
  }
  const out = [...x.shape.slice(0, -1), n];
  return ok(tensorOf(out), reduceCost('multinomial', 'reduction', x.shape, out, ctx.dtype, 2));
});

function cumDef(kind: 'cumsum' | 'cumprod' | 'logcumsumexp' | 'cummax' | 'cummin'): FunctionDef {
  const label = `torch.${kind}`;
  return defineFunction(label, [['input', REQUIRED], ['dim', REQUIRED], ['dtype', null]], (a, ctx) => {
    const x = needTensor(a.input, 'input', label);
    if (isErr(x)) return x;
    const d = normDim(a.dim, x.shape.length, label, x.shape);
    if (isErr(d)) return d;
    const c = reduceCost(kind, 'reduction', x.shape, x.shape, ctx.dtype, kind === 'logcumsumexp' ? 3 : 1);
    const out = tensorOf([...x.shape], x);
    return ok(kind === 'cummax' || kind === 'cummin' ? [out, tensorOf([...x.shape])] : out, c);
  });
}

const normDef = t1('torch.norm', (x, a, ctx) => reductionApply('norm', 'torch.norm', x, a.dim, a.keepdim, ctx, 2),
  [['p', 'fro'], ['dim', null], ['keepdim', false], ['dtype', null]]);

function varDef(kind: 'var' | 'std'): FunctionDef {
  const label = `torch.${kind}`;
  return defineFunction(label, [['input', REQUIRED], ['dim', null], ['unbiased', true], ['keepdim', false], ['correction', null]], (a, ctx) => {
    const x = needTensor(a.input, 'input', label);
    if (isErr(x)) return x;
    // torch.var(x, True) is the legacy `unbiased` positional.
    const dim = typeof a.dim === 'boolean' ? null : a.dim;
    return reductionApply(kind, label, x, dim, a.keepdim, ctx, 3);
  });
}

// ---------------------------------------------------------------------------------------------------------------
// Shape manipulation (views cost nothing, copies move bytes)

export function flattenApply(label: string, x: TensorArg, start: Arg, end: Arg, ctx: CallContext): OpOutcome {
  if (x.shape.length === 0) return ok(viewOf(x, [1]));
  const s = normDim(start, x.shape.length, label, x.shape);
  if (isErr(s)) return s;
  const e = normDim(end, x.shape.length, label, x.shape);
  if (isErr(e)) return e;
  if (s > e) return fail(`${label}: start_dim (${s}) cannot come after end_dim (${e}) for ${fmt(x.shape)}`);
  const out = [...x.shape.slice(0, s), prod(x.shape.slice(s, e + 1)), ...x.shape.slice(e + 1)];
  return reshapeResult(x, out, ctx, s !== e);
}

/** A reshape result: free for contiguous inputs, a copy for non-contiguous views (as `reshape` does). */
export function reshapeResult(x: TensorArg, out: number[], ctx: CallContext, merges = true): OpResult {
  if (x.nonContiguous && merges) return ok(tensorOf(out, x), copyCost('reshape_copy', out, ctx.dtype));
  return ok(viewOf(x, out, x.nonContiguous));
}

export function unflattenApply(label: string, x: TensorArg, dim: Arg, sizes: Arg): OpOutcome {
  const d = normDim(dim, x.shape.length, label, x.shape);
  if (isErr(d)) return d;
  if (!Array.isArray(sizes)) return fail(`${label}: sizes must be a tuple, got ${show(sizes)}`);
  const inner = inferShape([x.shape[d]], sizes, label);
  if (isErr(inner)) return inner;
  return ok(viewOf(x, [...x.shape.slice(0, d), ...inner, ...x.shape.slice(d + 1)], x.nonContiguous));
}

export function transposeApply(label: string, x: TensorArg, d0: Arg, d1: Arg): OpOutcome {
  if (x.shape.length === 0) return ok(x);
  const a = normDim(d0, x.shape.length, label, x.shape);
  if (isErr(a)) return a;
  const b = normDim(d1, x.shape.length, label, x.shape);
  if (isErr(b)) return b;
  const perm = x.shape.map((_, i) => (i === a ? b : i === b ? a : i));
  return permuteApply(label, x, perm);
}

export function permuteApply(label: string, x: TensorArg, dims: Arg[]): OpOutcome {
  const r = x.shape.length;
  if (dims.length !== r) return fail(`${label}: number of dims ${show(dims)} doesn't match the ${r}-d input ${fmt(x.shape)}`);
  const perm: number[] = [];
  for (const d of dims) {
    const n = normDim(d, r, label, x.shape);
    if (isErr(n)) return n;
    if (perm.includes(n)) return fail(`${label}: dim ${n} repeats in ${show(dims)}`);
    perm.push(n);
  }
  const out = perm.map((p) => x.shape[p]);
  // Moving only size-1 dims keeps the memory order.
  const order = perm.filter((p) => x.shape[p] !== 1);
  const reordered = order.some((p, i) => i > 0 && p < order[i - 1]);
  return ok(viewOf(x, out, x.nonContiguous || reordered));
}

export function squeezeApply(label: string, x: TensorArg, dim: Arg): OpOutcome {
  if (dim === null || dim === undefined) return ok(viewOf(x, x.shape.filter((n) => n !== 1), x.nonContiguous));
  const dims = reduceDims(dim, x.shape, label);
  if (isErr(dims)) return dims;
  return ok(viewOf(x, x.shape.filter((n, i) => !(dims.includes(i) && n === 1)), x.nonContiguous));
}

export function unsqueezeApply(label: string, x: TensorArg, dim: Arg): OpOutcome {
  const r = x.shape.length + 1;
  const n = int(dim);
  if (n === undefined) return fail(`${label}: dim must be an integer, got ${show(dim)}`);
  if (n < -r || n >= r) return fail(`${label}: dim ${n} out of range for a ${x.shape.length}-d tensor ${fmt(x.shape)} (expected [${-r}, ${r - 1}])`);
  const d = n < 0 ? n + r : n;
  return ok(viewOf(x, [...x.shape.slice(0, d), 1, ...x.shape.slice(d)], x.nonContiguous));
}

export function expandApply(label: string, x: TensorArg, sizes: Arg[]): OpOutcome {
  if (sizes.length < x.shape.length) return fail(`${label}: the number of sizes (${sizes.length}) must be at least the tensor's rank (${fmt(x.shape)})`);
  const lead = sizes.length - x.shape.length;
  const out: number[] = [];
  let expanded = false;
  for (let i = 0; i < sizes.length; i++) {
    const s = int(sizes[i]);
    if (s === undefined) return fail(`${label}: size ${show(sizes[i])} is not a known integer`);
    const cur = i >= lead ? x.shape[i - lead] : undefined;
    if (s === -1) {
      if (cur === undefined) return fail(`${label}: -1 is not allowed in a new leading dim (${show(sizes)})`);
      out.push(cur);
    } else if (s < 0) {
      return fail(`${label}: invalid size ${s} in ${show(sizes)}`);
    } else if (cur !== undefined && cur !== 1 && cur !== s) {
      return fail(`${label}: cannot expand ${fmt(x.shape)} to ${show(sizes)}: dim ${i} has size ${cur}, not 1`);
    } else {
      if (s !== cur && s !== 1) expanded = true;
      out.push(s);
    }
  }
  return ok(viewOf(x, out, x.nonContiguous || expanded));
}

export function repeatApply(label: string, x: TensorArg, reps: Arg[], ctx: CallContext): OpOutcome {
  const r = intList(reps, 'repeats', label);
  if (isErr(r)) return r;
  if (r.length < x.shape.length) return fail(`${label}: number of repeat dims (${r.length}) can not be smaller than the tensor's rank (${fmt(x.shape)})`);
  if (r.some((n) => n < 0)) return fail(`${label}: repeats ${show(r)} must be non-negative`);
  const padded = [...Array(r.length - x.shape.length).fill(1), ...x.shape];
  const out = padded.map((n, i) => n * r[i]);
  return ok(tensorOf(out, x), copyCost('repeat', out, ctx.dtype));
}

export function catApply(kind: 'cat' | 'stack', label: string, tensors: Arg, dim: Arg, ctx: CallContext): OpOutcome {
  if (!Array.isArray(tensors)) return fail(`${label}: expected a sequence of tensors, got ${show(tensors)}`);
  if (tensors.length === 0) return fail(`${label}: expected a non-empty sequence of tensors`);
  const ts: TensorArg[] = [];
  for (let i = 0; i < tensors.length; i++) {
    const t = needTensor(tensors[i], `tensor ${i}`, label);
    if (isErr(t)) return t;
    // Legacy: 1-D empty tensors are skipped by cat.
    if (kind === 'cat' && t.shape.length === 1 && t.shape[0] === 0) continue;
    ts.push(t);
  }
  if (ts.length === 0) return ok(tensorOf([0]));
  const ref = ts[0].shape;
  const list = ts.map((t) => fmt(t.shape)).join(', ');
  if (kind === 'stack') {
    if (ts.some((t) => fmt(t.shape) !== fmt(ref))) return fail(`${label}: all tensors must have the same shape, got ${list}`);
    const r = ref.length + 1;
    const n = int(dim);
    if (n === undefined || n < -r || n >= r) return fail(`${label}: dim ${show(dim)} out of range for stacking ${ts.length} tensors of shape ${fmt(ref)} (expected [${-r}, ${r - 1}])`);
    const sd = n < 0 ? n + r : n;
    const out = [...ref.slice(0, sd), ts.length, ...ref.slice(sd)];
    return ok(tensorOf(out, ...ts), copyCost('stack', out, ctx.dtype));
  }
  if (ref.length === 0) return fail(`${label}: zero-dimensional tensors cannot be concatenated`);
  const d = normDim(dim, ref.length, label, ref);
  if (isErr(d)) return d;
  for (const t of ts) {
    if (t.shape.length !== ref.length || t.shape.some((n, i) => i !== d && n !== ref[i])) {
      return fail(`${label}: sizes must match except in dim ${d}, got ${list}`);
    }
  }
  const out = [...ref];
  out[d] = ts.reduce((s, t) => s + t.shape[d], 0);
  return ok(tensorOf(out, ...ts), copyCost('cat', out, ctx.dtype));
}

/** Most tensors a split or unbind may return (each is a value the interpreter tracks; no script needs more). */
export const MAX_PIECES = 65_536;

export function splitApply(label: string, x: TensorArg, sizeOrSections: Arg, dim: Arg): OpOutcome {
  const d = normDim(dim, x.shape.length, label, x.shape);
  if (isErr(d)) return d;
  const n = x.shape[d];
  let sizes: number[];
  if (Array.isArray(sizeOrSections)) {
    const s = intList(sizeOrSections, 'split sizes', label);
    if (isErr(s)) return s;
    if (s.reduce((a, b) => a + b, 0) !== n) return fail(`${label}: split sizes ${show(s)} must sum to ${n} (dim ${d} of ${fmt(x.shape)})`);
    sizes = s;
  } else {
    const s = needInt(sizeOrSections, 'split_size', label, 0);
    if (isErr(s)) return s;
    if (s === 0) return n === 0 ? ok([x]) : fail(`${label}: split_size can only be 0 if dim ${d} of ${fmt(x.shape)} is 0`);
    if (n / s > MAX_PIECES) return fail(`${label}: splitting dim ${d} of ${fmt(x.shape)} by ${s} gives more than ${MAX_PIECES.toLocaleString('en-US')} tensors`);
    sizes = [];
    for (let left = n; left > 0; left -= s) sizes.push(Math.min(s, left));
    if (sizes.length === 0) sizes.push(0);
  }
  return ok(sizes.map((s) => viewOf(x, x.shape.map((m, i) => (i === d ? s : m)), x.nonContiguous || d > 0)));
}

export function chunkApply(label: string, x: TensorArg, chunks: Arg, dim: Arg): OpOutcome {
  const c = needInt(chunks, 'chunks', label, 1);
  if (isErr(c)) return c;
  const d = normDim(dim, x.shape.length, label, x.shape);
  if (isErr(d)) return d;
  const size = Math.ceil(x.shape[d] / c);
  return splitApply(label, x, size === 0 ? 1 : size, d);
}

export function unbindApply(label: string, x: TensorArg, dim: Arg): OpOutcome {
  const d = normDim(dim, x.shape.length, label, x.shape);
  if (isErr(d)) return d;
  const out = x.shape.filter((_, i) => i !== d);
  if (x.shape[d] > MAX_PIECES) return fail(`${label}: unbinding dim ${d} of ${fmt(x.shape)} gives more than ${MAX_PIECES.toLocaleString('en-US')} tensors`);
  return ok(Array.from({ length: x.shape[d] }, () => viewOf(x, [...out], x.nonContiguous || d > 0)));
}

export function narrowApply(label: string, x: TensorArg, dim: Arg, start: Arg, length: Arg): OpOutcome {
  const d = normDim(dim, x.shape.length, label, x.shape);
  if (isErr(d)) return d;
  const len = needInt(length, 'length', label, 0);
  if (isErr(len)) return len;
  const st = int(start);
  if (st !== undefined) {
    const s0 = st < 0 ? st + x.shape[d] : st;
    if (s0 < 0 || s0 + len > x.shape[d]) return fail(`${label}: start (${st}) + length (${len}) exceeds dim ${d} of ${fmt(x.shape)}`);
  }
  return ok(viewOf(x, x.shape.map((n, i) => (i === d ? len : n)), x.nonContiguous || d > 0));
}

export function indexSelectApply(label: string, x: TensorArg, dim: Arg, index: Arg, ctx: CallContext): OpOutcome {
  const d = normDim(dim, x.shape.length, label, x.shape);
  if (isErr(d)) return d;
  const idx = needTensor(index, 'index', label);
  if (isErr(idx)) return idx;
  if (idx.shape.length > 1) return fail(`${label}: index must be 0-D or 1-D, got ${fmt(idx.shape)}`);
  const out = x.shape.map((n, i) => (i === d ? prod(idx.shape) : n));
  return ok(tensorOf(out, x), copyCost('index_select', out, ctx.dtype));
}

export function gatherApply(label: string, x: TensorArg, dim: Arg, index: Arg, ctx: CallContext): OpOutcome {
  const d = normDim(dim, x.shape.length, label, x.shape);
  if (isErr(d)) return d;
  const idx = needTensor(index, 'index', label);
  if (isErr(idx)) return idx;
  if (idx.shape.length !== x.shape.length) return fail(`${label}: index ${fmt(idx.shape)} must have the same rank as input ${fmt(x.shape)}`);
  return ok(tensorOf([...idx.shape], x), copyCost('gather', idx.shape, ctx.dtype));
}

export function flipApply(kind: string, label: string, x: TensorArg, dims: Arg, ctx: CallContext): OpOutcome {
  const ds = reduceDims(dims, x.shape, label);
  if (isErr(ds)) return ds;
  return ok(tensorOf([...x.shape], x), copyCost(kind, x.shape, ctx.dtype));
}

export function trilApply(kind: string, x: TensorArg, ctx: CallContext): OpOutcome {
  if (x.shape.length < 2) return fail(`torch.${kind}: input must be at least 2-D, got ${fmt(x.shape)}`);
  return ok(tensorOf([...x.shape], x), copyCost(kind, x.shape, ctx.dtype));
}

export function movedimApply(label: string, x: TensorArg, source: Arg, destination: Arg): OpOutcome {
  const src = intList(source, 'source', label);
  if (isErr(src)) return src;
  const dst = intList(destination, 'destination', label);
  if (isErr(dst)) return dst;
  if (src.length !== dst.length) return fail(`${label}: source ${show(src)} and destination ${show(dst)} must have the same length`);
  const r = x.shape.length;
  const s = src.map((d) => normDim(d, r, label, x.shape));
  const t = dst.map((d) => normDim(d, r, label, x.shape));
  for (const v of [...s, ...t]) if (isErr(v)) return v;
  const perm: number[] = Array(r).fill(-1);
  (t as number[]).forEach((to, i) => { perm[to] = (s as number[])[i]; });
  const rest = x.shape.map((_, i) => i).filter((i) => !(s as number[]).includes(i));
  for (let i = 0; i < r; i++) if (perm[i] < 0) perm[i] = rest.shift() as number;
  return permuteApply(label, x, perm);
}

/** Size argument of creation functions: `zeros(2, 3)`, `zeros((2, 3))`, `zeros([2, 3])`, `zeros(size=(2, 3))`. */
function creationShape(sizes: Arg, label: string): number[] | OpError {
  const list = varargs(Array.isArray(sizes) ? sizes : [sizes]);
  const out: number[] = [];
  for (const s of list) {
    const n = int(s);
    if (n === undefined) return fail(`${label}: size ${show(s)} is not a known integer (sizes ${show(list)})`);
    if (n < 0) return fail(`${label}: negative dimension ${n} in ${show(list)}`);
    out.push(n);
  }
  return out;
}

function created(shape: number[], dtype: Arg): OpResult {
  const t = tensorOf(shape);
  const d = parseDtype(dtype);
  if (d && d !== 'int' && d !== 'bool') t.dtype = d;
  return ok(t);
}

/** `zeros(2, 3)`, `zeros((2, 3))`, `zeros(size=(2, 3))`, with `dtype=`; other keywords (device...) are ignored. */
function sizeCreationDef(kind: string): FunctionDef {
  const label = `torch.${kind}`;
  return (args, kwargs) => guard(label, () => {
    const raw: Arg = args.length > 0 ? [...args] : kwargs.size;
    if (raw === undefined || raw === null) return fail(`${label}: missing size`);
    const shape = creationShape(raw, label);
    return isErr(shape) ? shape : created(shape, kwargs.dtype);
  });
}

const fullDef = defineFunction('torch.full', [['size', REQUIRED], ['fill_value', REQUIRED], ['**', null]], (a) => {
  const shape = creationShape(a.size, 'torch.full');
  return isErr(shape) ? shape : created(shape, a.dtype);
});

function likeDef(kind: string, extra: Signature = []): FunctionDef {
  const label = `torch.${kind}`;
  return defineFunction(label, [['input', REQUIRED], ...extra, ['dtype', null], ['**', null]], (a) => {
    const x = needTensor(a.input, 'input', label);
    if (isErr(x)) return x;
    const t = tensorOf([...x.shape], x);
    const d = parseDtype(a.dtype);
    if (d && d !== 'int' && d !== 'bool') t.dtype = d;
    return ok(t);
  });
}

const randintDef: FunctionDef = (args, kwargs) => guard('torch.randint', () => {
  const label = 'torch.randint';
  // randint(high, size) or randint(low, high, size); size may also be a keyword.
  const size = kwargs.size ?? args[args.length - 1];
  if (size === undefined || (args.length === 0 && kwargs.size === undefined)) return fail(`${label}: missing size`);
  const shape = creationShape(size, label);
  return isErr(shape) ? shape : ok(tensorOf(shape));
});

/** `arange(end)`, `arange(start, end[, step])`, or by keyword; the length is ⌈(end − start) / step⌉. */
const arangeDef: FunctionDef = (args, kwargs) => guard('torch.arange', () => {
  const label = 'torch.arange';
  let start: Arg = kwargs.start ?? 0;
  let end: Arg = kwargs.end;
  let step: Arg = kwargs.step ?? 1;
  if (args.length === 1) {
    if (end === undefined) end = args[0];
    else start = args[0];
  } else if (args.length >= 2) {
    [start, end] = args;
    step = args[2] ?? step;
  }
  const b = num(start), e = num(end), s = num(step);
  if (b === undefined || e === undefined || s === undefined || s === 0) {
    return fail(`${label}: start, end and step must be known numbers, got (${show(start)}, ${show(end)}, ${show(step)})`);
  }
  return created([Math.max(0, Math.ceil((e - b) / s))], kwargs.dtype);
});

const linspaceDef = defineFunction('torch.linspace', [['start', REQUIRED], ['end', REQUIRED], ['steps', REQUIRED], ['**', null]], (a) => {
  const n = needInt(a.steps, 'steps', 'torch.linspace', 0);
  return isErr(n) ? n : created([n], a.dtype);
});

const eyeDef = defineFunction('torch.eye', [['n', REQUIRED], ['m', null], ['**', null]], (a) => {
  const n = needInt(a.n, 'n', 'torch.eye', 0);
  if (isErr(n)) return n;
  const m = a.m === null ? n : needInt(a.m, 'm', 'torch.eye', 0);
  return isErr(m) ? m : created([n, m], a.dtype);
});

const randpermDef = defineFunction('torch.randperm', [['n', REQUIRED], ['**', null]], (a) => {
  const n = needInt(a.n, 'n', 'torch.randperm', 0);
  return isErr(n) ? n : ok(tensorOf([n]));
});

/** Shape of nested Python lists (`torch.tensor([[1, 2], [3, 4]])` → `[2, 2]`). */
function nestedShape(data: Arg, unknownScalars = false, inList = false): number[] | undefined {
  // Inside a list of ids or labels, an element the evaluator could not know (`stoi[ch]` of a file's characters) is a scalar.
  // A list of arrays/tensors of one shape (`[np.asarray(ids) for s in sentences]`, `[np.eye(n)[idx]]`) stacks them.
  if (inList && isTensor(data)) return [...data.shape];
  if (!Array.isArray(data)) return typeof data === 'number' || typeof data === 'boolean' || (unknownScalars && inList && data === undefined) ? [] : undefined;
  if (data.length === 0) return [0];
  const inner = nestedShape(data[0], unknownScalars, true);
  if (!inner) return undefined;
  for (const d of data) if (fmt(nestedShape(d, unknownScalars, true) ?? [-1]) !== fmt(inner)) return undefined;
  return [data.length, ...inner];
}

const tensorDef = defineFunction('torch.tensor', [['data', REQUIRED], ['dtype', null], ['**', null]], (a) => {
  if (isTensor(a.data)) return ok(tensorOf([...a.data.shape], a.data));
  // Unknown items of an integer list (no dtype, or an integer one: labels, ids gathered one by one) are scalars, unless
  // known to be lists (they arrive as a string marker, which is not a scalar). In a float list they may be feature
  // vectors (observations): the shape stays unknown and the model's first layer decides.
  const dt = parseDtype(a.dtype);
  const shape = nestedShape(a.data, a.dtype === undefined || a.dtype === null || dt === 'int' || dt === 'bool');
  if (!shape) return fail(`torch.tensor: cannot infer the shape of ${show(a.data)}`);
  // The dtype only decides how unknown items are read: the created tensor keeps the compute dtype of its context.
  return created(shape, undefined);
});

const squareMaskDef = defineFunction('nn.Transformer.generate_square_subsequent_mask', [['sz', REQUIRED], ['**', null]], (a) => {
  const n = needInt(a.sz, 'sz', 'generate_square_subsequent_mask', 0);
  return isErr(n) ? n : ok(tensorOf([n, n]));
});

// ---------------------------------------------------------------------------------------------------------------
// The table

const INPLACE: Signature = [['inplace', false]];

export const FUNCTIONS: Record<string, FunctionDef> = {
  // activations
  relu: unaryDef('relu', INPLACE),
  relu6: unaryDef('relu6', INPLACE),
  leaky_relu: unaryDef('leaky_relu', [['negative_slope', 0.01], ['inplace', false]]),
  elu: unaryDef('elu', [['alpha', 1], ['inplace', false]]),
  selu: unaryDef('selu', INPLACE),
  celu: unaryDef('celu', [['alpha', 1], ['inplace', false]]),
  gelu: unaryDef('gelu', [['approximate', 'none']]),
  silu: unaryDef('silu', INPLACE),
  mish: unaryDef('mish', INPLACE),
  sigmoid: unaryDef('sigmoid'),
  tanh: unaryDef('tanh'),
  softplus: unaryDef('softplus', [['beta', 1], ['threshold', 20]]),
  softsign: unaryDef('softsign'),
  hardswish: unaryDef('hardswish', INPLACE),
  hardsigmoid: unaryDef('hardsigmoid', INPLACE),
  hardtanh: unaryDef('hardtanh', [['min_val', -1], ['max_val', 1], ['inplace', false]]),
  logsigmoid: unaryDef('logsigmoid'),
  tanhshrink: unaryDef('tanhshrink'),
  hardshrink: unaryDef('hardshrink', [['lambd', 0.5]]),
  softshrink: unaryDef('softshrink', [['lambd', 0.5]]),
  threshold: unaryDef('threshold', [['threshold', REQUIRED], ['value', REQUIRED], ['inplace', false]]),
  prelu: defineFunction('F.prelu', [['input', REQUIRED], ['weight', REQUIRED]], (a, ctx) => broadcastApply('prelu', 'F.prelu', [a.input], ctx, 2, true)),
  softmax: t1('F.softmax', (x, a, ctx) => softmaxApply('softmax', 'F.softmax', x, a.dim, ctx), [['dim', null], ['_stacklevel', 3], ['dtype', null]]),
  log_softmax: t1('F.log_softmax', (x, a, ctx) => softmaxApply('log_softmax', 'F.log_softmax', x, a.dim, ctx), [['dim', null], ['_stacklevel', 3], ['dtype', null]]),
  softmin: t1('F.softmin', (x, a, ctx) => softmaxApply('softmin', 'F.softmin', x, a.dim, ctx), [['dim', null], ['_stacklevel', 3], ['dtype', null]]),
  glu: t1('F.glu', (x, a, ctx) => gluApply('F.glu', x, a.dim, ctx), [['dim', -1]]),
  dropout: dropoutDef('dropout'),
  dropout1d: dropoutDef('dropout1d'),
  dropout2d: dropoutDef('dropout2d'),
  dropout3d: dropoutDef('dropout3d'),
  alpha_dropout: dropoutDef('alpha_dropout'),
  feature_alpha_dropout: dropoutDef('feature_alpha_dropout'),

  // unary math
  exp: unaryDef('exp'), exp2: unaryDef('exp2'), expm1: unaryDef('expm1'),
  log: unaryDef('log'), log2: unaryDef('log2'), log10: unaryDef('log10'), log1p: unaryDef('log1p'),
  sqrt: unaryDef('sqrt'), rsqrt: unaryDef('rsqrt'), abs: unaryDef('abs'), neg: unaryDef('neg'), sign: unaryDef('sign'),
  sin: unaryDef('sin'), cos: unaryDef('cos'), tan: unaryDef('tan'), asin: unaryDef('asin'), acos: unaryDef('acos'),
  atan: unaryDef('atan'), sinh: unaryDef('sinh'), cosh: unaryDef('cosh'),
  erf: unaryDef('erf'), erfc: unaryDef('erfc'), erfinv: unaryDef('erfinv'), reciprocal: unaryDef('reciprocal'),
  square: unaryDef('square'), floor: unaryDef('floor'), ceil: unaryDef('ceil'), round: unaryDef('round', [['decimals', 0]]),
  trunc: unaryDef('trunc'), frac: unaryDef('frac'), logical_not: unaryDef('logical_not'), bitwise_not: unaryDef('bitwise_not'),
  isnan: unaryDef('isnan'), isinf: unaryDef('isinf'), isfinite: unaryDef('isfinite'), logit: unaryDef('logit', [['eps', null]]),
  nan_to_num: unaryDef('nan_to_num', [['nan', 0], ['posinf', null], ['neginf', null]]),

  // binary / ternary pointwise
  add: binaryDef('add', 'other', false, [['alpha', 1]]),
  sub: binaryDef('sub', 'other', false, [['alpha', 1]]),
  rsub: binaryDef('rsub', 'other', false, [['alpha', 1]]),
  mul: binaryDef('mul', 'other', true),
  div: binaryDef('div', 'other', true, [['rounding_mode', null]]),
  true_divide: binaryDef('div', 'other', true),
  floor_divide: binaryDef('floor_divide'),
  remainder: binaryDef('remainder'),
  fmod: binaryDef('fmod'),
  pow: binaryDef('pow', 'exponent', true),
  float_power: binaryDef('pow', 'exponent', true),
  atan2: binaryDef('atan2', 'other', true),
  hypot: binaryDef('hypot', 'other', true),
  maximum: binaryDef('maximum', 'other', true),
  minimum: binaryDef('minimum', 'other', true),
  fmax: binaryDef('maximum', 'other', true),
  fmin: binaryDef('minimum', 'other', true),
  eq: binaryDef('eq'), ne: binaryDef('ne'), lt: binaryDef('lt'), le: binaryDef('le'), gt: binaryDef('gt'), ge: binaryDef('ge'),
  logical_and: binaryDef('logical_and'), logical_or: binaryDef('logical_or'), logical_xor: binaryDef('logical_xor'),
  bitwise_and: binaryDef('bitwise_and'), bitwise_or: binaryDef('bitwise_or'), bitwise_xor: binaryDef('bitwise_xor'),
  where: defineFunction('torch.where', [['condition', REQUIRED], ['input', undefined], ['other', undefined]], (a, ctx) => {
    if (a.input === undefined && a.other === undefined) {
      return fail('torch.where(condition) returns data-dependent indices; its shape cannot be known statically');
    }
    return broadcastApply('where', 'torch.where', [a.condition, a.input, a.other], ctx);
  }),
  masked_fill: defineFunction('torch.masked_fill', [['input', REQUIRED], ['mask', REQUIRED], ['value', REQUIRED]], (a, ctx) => {
    const x = needTensor(a.input, 'input', 'masked_fill');
    if (isErr(x)) return x;
    const m = needTensor(a.mask, 'mask', 'masked_fill');
    if (isErr(m)) return m;
    return broadcastApply('masked_fill', `masked_fill (input ${fmt(x.shape)}, mask ${fmt(m.shape)})`, [x, m], ctx, 1, false, x.shape);
  }),
  clamp: defineFunction('torch.clamp', [['input', REQUIRED], ['min', null], ['max', null]], (a, ctx) => {
    const bounds = [a.min, a.max].filter((v) => v !== null);
    if (bounds.length === 0) return fail('torch.clamp: at least one of min or max must be given');
    return broadcastApply('clamp', 'torch.clamp', [a.input, ...bounds.filter(isTensor)], ctx, bounds.length);
  }),
  lerp: defineFunction('torch.lerp', [['input', REQUIRED], ['end', REQUIRED], ['weight', REQUIRED]], (a, ctx) =>
    broadcastApply('lerp', 'torch.lerp', [a.input, a.end, a.weight], ctx, 3, true)),
  addcmul: defineFunction('torch.addcmul', [['input', REQUIRED], ['tensor1', REQUIRED], ['tensor2', REQUIRED], ['value', 1]], (a, ctx) =>
    broadcastApply('addcmul', 'torch.addcmul', [a.input, a.tensor1, a.tensor2], ctx, 3, true)),
  addcdiv: defineFunction('torch.addcdiv', [['input', REQUIRED], ['tensor1', REQUIRED], ['tensor2', REQUIRED], ['value', 1]], (a, ctx) =>
    broadcastApply('addcdiv', 'torch.addcdiv', [a.input, a.tensor1, a.tensor2], ctx, 3, true)),
  tril: t1('torch.tril', (x, _a, ctx) => trilApply('tril', x, ctx), [['diagonal', 0]]),
  triu: t1('torch.triu', (x, _a, ctx) => trilApply('triu', x, ctx), [['diagonal', 0]]),
  outer: defineFunction('torch.outer', [['input', REQUIRED], ['vec2', REQUIRED]], (a, ctx) => {
    const x = needTensor(a.input, 'input', 'torch.outer');
    if (isErr(x)) return x;
    const y = needTensor(a.vec2, 'vec2', 'torch.outer');
    if (isErr(y)) return y;
    if (x.shape.length !== 1 || y.shape.length !== 1) return fail(`torch.outer: expected 1-D vectors, got ${fmt(x.shape)} and ${fmt(y.shape)}`);
    const out = [x.shape[0], y.shape[0]];
    return ok(tensorOf(out, x, y), pointwiseCost('outer', [x.shape, y.shape], out, ctx.dtype, 1, x.shape[0] + y.shape[0]));
  }),
  cumsum: cumDef('cumsum'), cumprod: cumDef('cumprod'), logcumsumexp: cumDef('logcumsumexp'), cummax: cumDef('cummax'), cummin: cumDef('cummin'),

  // matrix products
  matmul: defineFunction('torch.matmul', [['input', REQUIRED], ['other', REQUIRED]], (a, ctx) => {
    const x = needTensor(a.input, 'input', 'torch.matmul');
    if (isErr(x)) return x;
    const y = needTensor(a.other, 'other', 'torch.matmul');
    return isErr(y) ? y : matmulApply('matmul', 'torch.matmul', x, y, ctx);
  }),
  mm: mmDef('mm'),
  bmm: mmDef('bmm'),
  addmm: addmmDef('addmm'),
  baddbmm: addmmDef('baddbmm'),
  mv: defineFunction('torch.mv', [['input', REQUIRED], ['vec', REQUIRED]], (a, ctx) => {
    const x = needTensor(a.input, 'input', 'torch.mv');
    if (isErr(x)) return x;
    const v = needTensor(a.vec, 'vec', 'torch.mv');
    if (isErr(v)) return v;
    if (x.shape.length !== 2 || v.shape.length !== 1) return fail(`torch.mv: expected a 2-D matrix and a 1-D vector, got ${fmt(x.shape)} and ${fmt(v.shape)}`);
    return matmulApply('mv', 'torch.mv', x, v, ctx);
  }),
  dot: defineFunction('torch.dot', [['input', REQUIRED], ['tensor', REQUIRED]], (a, ctx) => {
    const x = needTensor(a.input, 'input', 'torch.dot');
    if (isErr(x)) return x;
    const y = needTensor(a.tensor, 'tensor', 'torch.dot');
    if (isErr(y)) return y;
    if (x.shape.length !== 1 || y.shape.length !== 1) return fail(`torch.dot: expected 1-D tensors, got ${fmt(x.shape)} and ${fmt(y.shape)}`);
    return matmulApply('dot', 'torch.dot', x, y, ctx);
  }),
  einsum: einsumDef,
  linear: defineFunction('F.linear', [['input', REQUIRED], ['weight', REQUIRED], ['bias', null]], (a, ctx) => {
    const x = needTensor(a.input, 'input', 'F.linear');
    if (isErr(x)) return x;
    const w = needTensor(a.weight, 'weight', 'F.linear');
    return isErr(w) ? w : linearFunctional('F.linear', x, w, a.bias, ctx);
  }),
  scaled_dot_product_attention: sdpaDef,

  // convolution
  conv1d: convDef(1, false), conv2d: convDef(2, false), conv3d: convDef(3, false),
  conv_transpose1d: convDef(1, true), conv_transpose2d: convDef(2, true), conv_transpose3d: convDef(3, true),

  // normalisation, embedding
  layer_norm: layerNormDef,
  rms_norm: rmsNormDef,
  group_norm: groupNormDef,
  batch_norm: batchNormDef,
  instance_norm: instanceNormDef,
  local_response_norm: lrnDef,
  normalize: normalizeDef,
  embedding: embeddingDef,
  one_hot: oneHotDef,

  // pooling, resampling, padding
  max_pool1d: maxPoolDef(1), max_pool2d: maxPoolDef(2), max_pool3d: maxPoolDef(3),
  avg_pool1d: avgPoolDef(1), avg_pool2d: avgPoolDef(2), avg_pool3d: avgPoolDef(3),
  adaptive_avg_pool1d: adaptiveDef('avg', 1), adaptive_avg_pool2d: adaptiveDef('avg', 2), adaptive_avg_pool3d: adaptiveDef('avg', 3),
  adaptive_max_pool1d: adaptiveDef('max', 1), adaptive_max_pool2d: adaptiveDef('max', 2), adaptive_max_pool3d: adaptiveDef('max', 3),
  interpolate: interpolateDef,
  upsample: interpolateDef,
  unfold: defineFunction('F.unfold', [['input', REQUIRED], ['kernel_size', REQUIRED], ['dilation', 1], ['padding', 0], ['stride', 1]], (a, ctx) => {
    const x = needTensor(a.input, 'input', 'F.unfold');
    return isErr(x) ? x : unfoldApply('F.unfold', x, a, false, ctx);
  }),
  fold: defineFunction('F.fold', [['input', REQUIRED], ['output_size', REQUIRED], ['kernel_size', REQUIRED], ['dilation', 1], ['padding', 0], ['stride', 1]], (a, ctx) => {
    const x = needTensor(a.input, 'input', 'F.fold');
    return isErr(x) ? x : unfoldApply('F.fold', x, a, true, ctx);
  }),
  pixel_shuffle: defineFunction('F.pixel_shuffle', [['input', REQUIRED], ['upscale_factor', REQUIRED]], (a, ctx) => {
    const x = needTensor(a.input, 'input', 'F.pixel_shuffle');
    if (isErr(x)) return x;
    const f = needInt(a.upscale_factor, 'upscale_factor', 'F.pixel_shuffle', 1);
    return isErr(f) ? f : pixelShuffleApply('F.pixel_shuffle', x, f, false, ctx);
  }),
  pixel_unshuffle: defineFunction('F.pixel_unshuffle', [['input', REQUIRED], ['downscale_factor', REQUIRED]], (a, ctx) => {
    const x = needTensor(a.input, 'input', 'F.pixel_unshuffle');
    if (isErr(x)) return x;
    const f = needInt(a.downscale_factor, 'downscale_factor', 'F.pixel_unshuffle', 1);
    return isErr(f) ? f : pixelShuffleApply('F.pixel_unshuffle', x, f, true, ctx);
  }),
  pad: padDef,

  // losses
  cross_entropy: classLossDef('cross_entropy'),
  nll_loss: classLossDef('nll_loss'),
  mse_loss: pairLossDef('mse_loss', LOSS_SIG),
  l1_loss: pairLossDef('l1_loss', LOSS_SIG),
  smooth_l1_loss: pairLossDef('smooth_l1_loss', LOSS_SIG, [['beta', 1]]),
  huber_loss: pairLossDef('huber_loss', [['reduction', 'mean'], ['delta', 1]]),
  binary_cross_entropy: pairLossDef('binary_cross_entropy', [['weight', null], ...LOSS_SIG]),
  binary_cross_entropy_with_logits: pairLossDef('binary_cross_entropy_with_logits', [['weight', null], ...LOSS_SIG, ['pos_weight', null]]),
  kl_div: pairLossDef('kl_div', LOSS_SIG, [['log_target', false]]),
  cosine_embedding_loss: defineFunction('F.cosine_embedding_loss',
    [['input1', REQUIRED], ['input2', REQUIRED], ['target', REQUIRED], ['margin', 0], ...LOSS_SIG], (a, ctx) => {
      const label = 'F.cosine_embedding_loss';
      const x1 = needTensor(a.input1, 'input1', label);
      if (isErr(x1)) return x1;
      const x2 = needTensor(a.input2, 'input2', label);
      if (isErr(x2)) return x2;
      const y = needTensor(a.target, 'target', label);
      return isErr(y) ? y : cosineEmbeddingLossApply(label, x1, x2, y, lossReduction(a), ctx);
    }),
  cosine_similarity: defineFunction('F.cosine_similarity', [['x1', REQUIRED], ['x2', REQUIRED], ['dim', 1], ['eps', 1e-8]], (a, ctx) => {
    const x1 = needTensor(a.x1, 'x1', 'F.cosine_similarity');
    if (isErr(x1)) return x1;
    const x2 = needTensor(a.x2, 'x2', 'F.cosine_similarity');
    return isErr(x2) ? x2 : cosineSimilarityApply('F.cosine_similarity', x1, x2, a.dim, ctx);
  }),

  // reductions
  sum: reductionDef('sum'),
  mean: reductionDef('mean'),
  nansum: reductionDef('sum'),
  nanmean: reductionDef('mean'),
  prod: reductionDef('prod'),
  amax: reductionDef('amax'),
  amin: reductionDef('amin'),
  logsumexp: reductionDef('logsumexp', 3, REQUIRED),
  all: reductionDef('all'),
  any: reductionDef('any'),
  count_nonzero: reductionDef('count_nonzero'),
  max: maxMinDef('max'),
  min: maxMinDef('min'),
  argmax: argDef('argmax'),
  argmin: argDef('argmin'),
  topk: topkDef,
  sort: sortDef,
  argsort: argsortDef,
  multinomial: multinomialDef,
  norm: normDef,
  var: varDef('var'),
  std: varDef('std'),

  // shape manipulation
  cat: defineFunction('torch.cat', [['tensors', REQUIRED], ['dim', 0]], (a, ctx) => catApply('cat', 'torch.cat', a.tensors, a.dim, ctx)),
  stack: defineFunction('torch.stack', [['tensors', REQUIRED], ['dim', 0]], (a, ctx) => catApply('stack', 'torch.stack', a.tensors, a.dim, ctx)),
  split: t1('torch.split', (x, a) => splitApply('torch.split', x, a.split_size_or_sections, a.dim), [['split_size_or_sections', REQUIRED], ['dim', 0]]),
  chunk: t1('torch.chunk', (x, a) => chunkApply('torch.chunk', x, a.chunks, a.dim), [['chunks', REQUIRED], ['dim', 0]]),
  unbind: t1('torch.unbind', (x, a) => unbindApply('torch.unbind', x, a.dim), [['dim', 0]]),
  flatten: t1('torch.flatten', (x, a, ctx) => flattenApply('torch.flatten', x, a.start_dim, a.end_dim, ctx), [['start_dim', 0], ['end_dim', -1]]),
  unflatten: t1('torch.unflatten', (x, a) => unflattenApply('torch.unflatten', x, a.dim, a.sizes), [['dim', REQUIRED], ['sizes', REQUIRED]]),
  reshape: t1('torch.reshape', (x, a, ctx) => {
    const s = inferShape(x.shape, varargs([a.shape]), 'torch.reshape');
    return isErr(s) ? s : reshapeResult(x, s, ctx);
  }, [['shape', REQUIRED]]),
  transpose: t1('torch.transpose', (x, a) => transposeApply('torch.transpose', x, a.dim0, a.dim1), [['dim0', REQUIRED], ['dim1', REQUIRED]]),
  permute: t1('torch.permute', (x, a) => {
    const dims = intList(a.dims, 'dims', 'torch.permute');
    return isErr(dims) ? dims : permuteApply('torch.permute', x, dims);
  }, [['dims', REQUIRED]]),
  movedim: t1('torch.movedim', (x, a) => movedimApply('torch.movedim', x, a.source, a.destination), [['source', REQUIRED], ['destination', REQUIRED]]),
  squeeze: t1('torch.squeeze', (x, a) => squeezeApply('torch.squeeze', x, a.dim), [['dim', null]]),
  unsqueeze: t1('torch.unsqueeze', (x, a) => unsqueezeApply('torch.unsqueeze', x, a.dim), [['dim', REQUIRED]]),
  t: t1('torch.t', (x) => {
    if (x.shape.length > 2) return fail(`torch.t: expects a tensor with <= 2 dims, got ${fmt(x.shape)}`);
    return x.shape.length < 2 ? ok(x) : transposeApply('torch.t', x, 0, 1);
  }),
  narrow: t1('torch.narrow', (x, a) => narrowApply('torch.narrow', x, a.dim, a.start, a.length), [['dim', REQUIRED], ['start', REQUIRED], ['length', REQUIRED]]),
  index_select: t1('torch.index_select', (x, a, ctx) => indexSelectApply('torch.index_select', x, a.dim, a.index, ctx), [['dim', REQUIRED], ['index', REQUIRED]]),
  gather: t1('torch.gather', (x, a, ctx) => gatherApply('torch.gather', x, a.dim, a.index, ctx), [['dim', REQUIRED], ['index', REQUIRED], ['sparse_grad', false]]),
  flip: t1('torch.flip', (x, a, ctx) => flipApply('flip', 'torch.flip', x, a.dims, ctx), [['dims', REQUIRED]]),
  roll: t1('torch.roll', (x, a, ctx) => flipApply('roll', 'torch.roll', x, a.dims, ctx), [['shifts', REQUIRED], ['dims', null]]),
  broadcast_to: t1('torch.broadcast_to', (x, a) => expandApply('torch.broadcast_to', x, varargs([a.size])), [['size', REQUIRED]]),
  clone: t1('torch.clone', (x, _a, ctx) => ok(tensorOf([...x.shape], x), copyCost('clone', x.shape, ctx.dtype)), [['memory_format', null]]),
  detach: t1('torch.detach', (x) => ok(x)),
  // complex views (rotary embeddings): pairs of the last dim as one complex number, and back
  view_as_complex: t1('torch.view_as_complex', (x) => (x.shape[x.shape.length - 1] === 2
    ? ok(viewOf(x, x.shape.slice(0, -1)))
    : fail(`torch.view_as_complex: the last dim must be 2, got ${fmt(x.shape)}`))),
  view_as_real: t1('torch.view_as_real', (x) => ok(viewOf(x, [...x.shape, 2]))),
  polar: binaryDef('polar', 'angle'),
  complex: binaryDef('complex', 'imag'),

  // creation (no cost)
  zeros: sizeCreationDef('zeros'),
  ones: sizeCreationDef('ones'),
  empty: sizeCreationDef('empty'),
  randn: sizeCreationDef('randn'),
  rand: sizeCreationDef('rand'),
  full: fullDef,
  randint: randintDef,
  arange: arangeDef,
  linspace: linspaceDef,
  logspace: linspaceDef,
  eye: eyeDef,
  randperm: randpermDef,
  tensor: tensorDef,
  as_tensor: tensorDef,
  zeros_like: likeDef('zeros_like'),
  ones_like: likeDef('ones_like'),
  empty_like: likeDef('empty_like'),
  randn_like: likeDef('randn_like'),
  rand_like: likeDef('rand_like'),
  full_like: likeDef('full_like', [['fill_value', REQUIRED]]),
  randint_like: likeDef('randint_like', [['low', REQUIRED], ['high', null]]),
  generate_square_subsequent_mask: squareMaskDef,
};

/** Aliases PyTorch documents for the same operation. */
const ALIASES: Record<string, string> = {
  concat: 'cat', concatenate: 'cat', clip: 'clamp', swapaxes: 'transpose', swapdims: 'transpose', moveaxis: 'movedim',
  absolute: 'abs', multiply: 'mul', divide: 'div', subtract: 'sub', negative: 'neg', greater: 'gt', greater_equal: 'ge',
  less: 'lt', less_equal: 'le', not_equal: 'ne', ger: 'outer', arccos: 'acos', arcsin: 'asin', arctan: 'atan', arctan2: 'atan2',
  special_expit: 'sigmoid', expit: 'sigmoid', fix: 'trunc', hardswish_: 'hardswish',
};
for (const [alias, target] of Object.entries(ALIASES)) FUNCTIONS[alias] = FUNCTIONS[target];
