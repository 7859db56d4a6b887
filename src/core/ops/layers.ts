/**
 * `torch.nn` layers of the op table, keyed by class name (`Linear`, `Conv2d`, `TransformerEncoderLayer`).
 * Each definition carries the PyTorch constructor signature (positional order and defaults), the parameter
 * shapes (so `paramCount` and `self.fc.weight` look-ups agree), the forward rule and a fallback input guess.
 *
 * Counting conventions (shared with `primitives.ts` and `functional.ts`):
 * - FLOPs count a multiply-add as 2; bias additions are not counted. GEMM/conv backward = 2× forward
 *   (input + weight gradients), 1× when the module is frozen (`ctx.frozen`).
 * - Attention inside `MultiheadAttention` / Transformer layers is SDPA-equivalent (`4·B·H·Sq·Sk·D` + softmax);
 *   `is_causal=True` halves it, an explicit mask does not. `need_weights=True` (the MHA default) materialises the
 *   attention probabilities, which changes bytes and saved activations, not FLOPs.
 * - Norms ≈ 5 FLOPs per element (RMSNorm 4); softmax 5; activations per `POINTWISE_FLOPS` in `functional.ts`.
 * - Recurrent layers: the gate GEMMs `2·G·H·(in + H_out)` per step, layer and direction (G = 4 LSTM, 3 GRU,
 *   1 RNN) plus per-unit gate arithmetic (LSTM 18, GRU 14, RNN 2 FLOPs per hidden unit per step); the recurrent
 *   weights are re-read every step.
 * - Dropout costs only when training. Bytes use the call's compute dtype (`ctx.dtype`); weights use
 *   `ctx.weightDtype` when given.
 *
 * Composite layers (MultiheadAttention, Transformer*) return one cost per sub-op with `Cost.path` naming the
 * sub-module (`self_attn.out_proj`, `linear1`, `layers.3.norm2`). Parameters are carried by the cost of the
 * sub-op that owns them, so the `params` of one call's costs sum to `paramCount`.
 *
 * Module-valued arguments (`nn.TransformerEncoder(encoder_layer, num_layers)`) arrive as `ModuleArg`
 * (`{ kind: 'module', layer: 'TransformerEncoderLayer', args: <bound args> }`).
 */
import type { Arg, CallContext, LayerDef, ModuleArg, OpError, OpOutcome, OpResult, TensorArg } from './registry';
import { isModule, isTensor, REQUIRED } from './registry';
import type { Cost } from './primitives';
import { attentionCost, bytesOf, elementwiseCost, embeddingCost, linearCost, normCost, prod } from './primitives';
import type { Signature } from './shapes';
import {
  badShape, bindSignature, bool, fail, fmt, guard, int, intList, intTuple, isErr, needInt, needTensor, num, show, tensorOf,
} from './shapes';
import {
  adaptivePoolApply, channelNormApply, classLossApply, convApply, cosineEmbeddingLossApply, cosineSimilarityApply,
  dropoutApply, dropoutCost, flattenApply, gluApply, interpolateApply, layerNormApply, localResponseNormApply,
  lossReduction, PAIR_LOSS_FLOPS, padApply, pairLossApply, pixelShuffleApply, pointwiseCost, poolApply,
  POINTWISE_FLOPS, softmaxApply, unary, unfoldApply, unflattenApply,
} from './functional';
import { pushAll } from '../arrays';

type A = Record<string, Arg>;
type Shapes = Record<string, number[]>;

interface LayerSpec {
  /** Constructor signature, PyTorch order. `device`/`dtype` keywords are always accepted. */
  sig: Signature;
  /** Parameter shapes by attribute name; undefined when an argument they need is unknown or invalid. */
  shapes?: (a: A) => Shapes | undefined;
  /** Forward signature (after `self`). */
  fwd: Signature;
  apply: (a: A, f: A, ctx: CallContext, who: string) => OpOutcome;
  guess?: (a: A, batch: number, seq: number) => number[][] | undefined;
  /** Short constructor rendering for messages; default: the first two arguments by name. */
  title?: (a: A) => string;
}

const ok = (output: Arg, ...costs: Cost[]): OpResult => ({ costs, output });

function titleOf(name: string, sig: Signature, a: A, spec?: LayerSpec): string {
  if (spec?.title) return `nn.${name}(${spec.title(a)})`;
  const shown = sig.filter(([n, d]) => d === REQUIRED && !n.startsWith('*')).slice(0, 2).map(([n]) => `${n}=${show(a[n])}`);
  return `nn.${name}(${shown.join(', ')})`;
}

function define(name: string, spec: LayerSpec): LayerDef {
  const def: LayerDef = {
    name,
    signature: spec.sig,
    paramCount(a) {
      if (!spec.shapes) return 0;
      try {
        const s = spec.shapes(a);
        // A parameter size out of range (`Linear(-1, 10)`, `Conv2d(3, 1e308, 3)`) is unknown, never a negative or infinite count.
        return s && !Object.values(s).some(badShape) ? Object.values(s).reduce((t, x) => t + prod(x), 0) : NaN;
      } catch {
        return NaN;
      }
    },
    forward(a, inputs, kwargs, ctx) {
      const who = titleOf(name, spec.sig, a, spec);
      return guard(who, () => {
        const f = bindSignature(`${who}.forward`, spec.fwd, inputs, kwargs);
        return isErr(f) ? f : spec.apply(a, f, ctx, who);
      }, [...inputs, ...Object.values(kwargs)]);
    },
  };
  if (spec.shapes) {
    const shapes = spec.shapes;
    def.paramShapes = (a) => {
      try {
        const s = shapes(a) ?? {};
        return Object.values(s).some(badShape) ? {} : s;
      } catch {
        return {};
      }
    };
  }
  if (spec.guess) {
    const g = spec.guess;
    def.guessInput = (a, batch, seq) => {
      try {
        const shapes = g(a, batch, seq);
        return shapes?.some(badShape) ? undefined : shapes;
      } catch {
        return undefined;
      }
    };
  }
  return def;
}

/** Positive integer argument, or undefined (unknown / invalid). */
const pos = (a: Arg): number | undefined => {
  const n = int(a);
  return n !== undefined && n > 0 ? n : undefined;
};
const nonneg = (a: Arg): number | undefined => {
  const n = int(a);
  return n !== undefined && n >= 0 ? n : undefined;
};

/** `normalized_shape` as a list (int → [int]). */
const dimsOf = (a: Arg): number[] | undefined => {
  const l = intList(a, 'normalized_shape', '');
  return isErr(l) || l.some((n) => n <= 0) ? undefined : l;
};

const gemmOpts = (ctx: CallContext, bias: boolean) => ({ dtype: ctx.dtype, weightDtype: ctx.weightDtype, trainable: !ctx.frozen, bias });

const withPath = (c: Cost, path: string): Cost => ({ ...c, path });
const prefixed = (costs: Cost[], prefix: string): Cost[] => costs.map((c) => ({ ...c, path: c.path ? `${prefix}.${c.path}` : prefix }));
const prefixShapes = (s: Shapes, prefix: string): Shapes => Object.fromEntries(Object.entries(s).map(([k, v]) => [`${prefix}.${k}`, v]));

const INPUT: Signature = [['input', REQUIRED]];
const NO_PARAMS: Shapes = {};
const INPLACE: Signature = [['inplace', false]];

// ---------------------------------------------------------------------------------------------------------------
// Linear family

function linearApply(who: string, x: TensorArg, inF: number, outF: number, bias: boolean, ctx: CallContext): OpOutcome {
  if (x.shape.length === 0 || x.shape[x.shape.length - 1] !== inF) {
    return fail(`nn.Linear(in_features=${inF}) got input ${fmt(x.shape)}: last dim must be ${inF}${who.startsWith('nn.Linear') ? '' : ` (${who})`}`);
  }
  const c = linearCost(x.shape, inF, outF, gemmOpts(ctx, bias));
  return ok(tensorOf(c.outputShape, x), c);
}

const linearShapes = (inF: number | undefined, outF: number | undefined, bias: boolean): Shapes | undefined =>
  inF === undefined || outF === undefined ? undefined : { weight: [outF, inF], ...(bias ? { bias: [outF] } : {}) };

const Linear = define('Linear', {
  sig: [['in_features', REQUIRED], ['out_features', REQUIRED], ['bias', true], ['device', null], ['dtype', null]],
  shapes: (a) => linearShapes(nonneg(a.in_features), nonneg(a.out_features), bool(a.bias, true)),
  fwd: INPUT,
  apply(a, f, ctx, who) {
    const x = needTensor(f.input, 'input', who);
    if (isErr(x)) return x;
    const inF = needInt(a.in_features, 'in_features', who, 0);
    if (isErr(inF)) return inF;
    const outF = needInt(a.out_features, 'out_features', who, 0);
    if (isErr(outF)) return outF;
    return linearApply(who, x, inF, outF, bool(a.bias, true), ctx);
  },
  guess: (a, batch) => (nonneg(a.in_features) ? [[batch, a.in_features as number]] : undefined),
});

const LazyLinear = define('LazyLinear', {
  sig: [['out_features', REQUIRED], ['bias', true], ['device', null], ['dtype', null]],
  shapes: () => ({}),
  fwd: INPUT,
  apply(a, f, ctx, who) {
    const x = needTensor(f.input, 'input', who);
    if (isErr(x)) return x;
    const outF = needInt(a.out_features, 'out_features', who, 0);
    if (isErr(outF)) return outF;
    if (x.shape.length === 0) return fail(`${who} got a 0-d input`);
    const r = linearApply(who, x, x.shape[x.shape.length - 1], outF, bool(a.bias, true), ctx);
    return isErr(r) ? r : { ...r, costs: r.costs.map((c) => ({ ...c, note: 'lazy: in_features taken from the input' })) };
  },
});

const Bilinear = define('Bilinear', {
  sig: [['in1_features', REQUIRED], ['in2_features', REQUIRED], ['out_features', REQUIRED], ['bias', true], ['device', null], ['dtype', null]],
  shapes(a) {
    const [i1, i2, o] = [pos(a.in1_features), pos(a.in2_features), pos(a.out_features)];
    if (!i1 || !i2 || !o) return undefined;
    return { weight: [o, i1, i2], ...(bool(a.bias, true) ? { bias: [o] } : {}) };
  },
  fwd: [['input1', REQUIRED], ['input2', REQUIRED]],
  title: (a) => `${show(a.in1_features)}, ${show(a.in2_features)}, ${show(a.out_features)}`,
  apply(a, f, ctx, who) {
    const x1 = needTensor(f.input1, 'input1', who);
    if (isErr(x1)) return x1;
    const x2 = needTensor(f.input2, 'input2', who);
    if (isErr(x2)) return x2;
    const [i1, i2, o] = [pos(a.in1_features), pos(a.in2_features), pos(a.out_features)];
    if (!i1 || !i2 || !o) return fail(`${who}: feature sizes must be known positive integers`);
    if (x1.shape[x1.shape.length - 1] !== i1 || x2.shape[x2.shape.length - 1] !== i2) {
      return fail(`${who} got inputs ${fmt(x1.shape)} and ${fmt(x2.shape)}: last dims must be ${i1} and ${i2}`);
    }
    if (fmt(x1.shape.slice(0, -1)) !== fmt(x2.shape.slice(0, -1))) {
      return fail(`${who}: inputs ${fmt(x1.shape)} and ${fmt(x2.shape)} must have the same leading dims`);
    }
    const lead = x1.shape.slice(0, -1);
    const rows = prod(lead);
    const params = o * i1 * i2 + (bool(a.bias, true) ? o : 0);
    const fwdFlops = 2 * rows * o * i2 * (i1 + 1);
    const dt = ctx.dtype;
    const out = [...lead, o];
    return ok(tensorOf(out, x1, x2), {
      kind: 'bilinear', opClass: 'gemm', outputShape: out, params,
      forwardFlops: fwdFlops, backwardFlops: ctx.frozen ? fwdFlops : 2 * fwdFlops,
      bytesRead: bytesOf(rows * (i1 + i2), dt) + bytesOf(params, ctx.weightDtype ?? dt),
      bytesWritten: bytesOf(rows * o, dt), savedBytes: bytesOf(rows * (i1 + i2), dt),
    });
  },
  guess: (a, batch) => (pos(a.in1_features) && pos(a.in2_features) ? [[batch, a.in1_features as number], [batch, a.in2_features as number]] : undefined),
});

const Identity = define('Identity', {
  sig: [['*_args', null], ['**', null]],
  fwd: [['input', REQUIRED]],
  title: () => '',
  apply: (_a, f) => ok(f.input),
});

const Flatten = define('Flatten', {
  sig: [['start_dim', 1], ['end_dim', -1]],
  fwd: INPUT,
  title: (a) => `start_dim=${show(a.start_dim)}, end_dim=${show(a.end_dim)}`,
  apply(a, f, ctx, who) {
    const x = needTensor(f.input, 'input', who);
    return isErr(x) ? x : flattenApply(who, x, a.start_dim, a.end_dim, ctx);
  },
});

const Unflatten = define('Unflatten', {
  sig: [['dim', REQUIRED], ['unflattened_size', REQUIRED]],
  fwd: INPUT,
  apply(a, f, _ctx, who) {
    const x = needTensor(f.input, 'input', who);
    return isErr(x) ? x : unflattenApply(who, x, a.dim, a.unflattened_size);
  },
});

// ---------------------------------------------------------------------------------------------------------------
// Convolutions

function convLayer(nd: number, transposed: boolean, lazy = false): LayerDef {
  const name = `${lazy ? 'Lazy' : ''}Conv${transposed ? 'Transpose' : ''}${nd}d`;
  const head: Signature = lazy ? [['out_channels', REQUIRED]] : [['in_channels', REQUIRED], ['out_channels', REQUIRED]];
  const sig: Signature = transposed
    ? [...head, ['kernel_size', REQUIRED], ['stride', 1], ['padding', 0], ['output_padding', 0], ['groups', 1], ['bias', true], ['dilation', 1], ['padding_mode', 'zeros'], ['device', null], ['dtype', null]]
    : [...head, ['kernel_size', REQUIRED], ['stride', 1], ['padding', 0], ['dilation', 1], ['groups', 1], ['bias', true], ['padding_mode', 'zeros'], ['device', null], ['dtype', null]];
  const shapesFor = (a: A, inC: number | undefined): Shapes | undefined => {
    const outC = pos(a.out_channels);
    const g = pos(a.groups);
    const k = intTuple(a.kernel_size, nd, 'kernel_size', name);
    if (!inC || !outC || !g || isErr(k) || inC % g !== 0 || outC % g !== 0) return undefined;
    const weight = transposed ? [inC, outC / g, ...k] : [outC, inC / g, ...k];
    return { weight, ...(bool(a.bias, true) ? { bias: [outC] } : {}) };
  };
  return define(name, {
    sig,
    shapes: lazy ? () => ({}) : (a) => shapesFor(a, pos(a.in_channels)),
    fwd: transposed ? [['input', REQUIRED], ['output_size', null]] : INPUT,
    title: (a) => `${lazy ? '' : `${show(a.in_channels)}, `}${show(a.out_channels)}, kernel_size=${show(a.kernel_size)}`,
    apply(a, f, ctx, who) {
      const x = needTensor(f.input, 'input', who);
      if (isErr(x)) return x;
      const inC = lazy ? x.shape[x.shape.length - nd - 1] : needInt(a.in_channels, 'in_channels', who, 1);
      if (isErr(inC)) return inC;
      if (inC === undefined) return fail(`${who} got input ${fmt(x.shape)}: expected ${nd + 1}-D or ${nd + 2}-D input`);
      const outC = needInt(a.out_channels, 'out_channels', who, 1);
      if (isErr(outC)) return outC;
      const r = convApply(who, x, {
        nd, inChannels: inC, outChannels: outC, kernel: a.kernel_size, stride: a.stride, padding: a.padding,
        dilation: a.dilation, groups: a.groups, bias: bool(a.bias, true), transposed, outputPadding: a.output_padding,
        outputSize: f.output_size,
      }, ctx);
      if (isErr(r) || (a.padding_mode ?? 'zeros') === 'zeros') return lazy && !isErr(r) ? { ...r, costs: r.costs.map((c) => ({ ...c, note: 'lazy: in_channels taken from the input' })) } : r;
      return { ...r, costs: r.costs.map((c) => ({ ...c, note: `padding_mode='${String(a.padding_mode)}': the padded copy is not counted separately` })) };
    },
    guess: nd === 1 && !lazy ? (a, batch, seq) => (pos(a.in_channels) ? [[batch, a.in_channels as number, seq]] : undefined) : undefined,
  });
}

// ---------------------------------------------------------------------------------------------------------------
// Normalisation

/**
 * BatchNorm / InstanceNorm: `num_features` channels, affine weight and bias. `ranks` are the accepted input ranks;
 * the channel dim is `rank − spatialDims − 1` (dim 1 for batched input, 0 for unbatched instance norm).
 */
function channelNormLayer(name: string, kind: 'batch_norm' | 'instance_norm', affine: boolean, ranks: number[], spatialDims: (rank: number) => number): LayerDef {
  return define(name, {
    sig: [['num_features', REQUIRED], ['eps', 1e-5], ['momentum', 0.1], ['affine', affine], ['track_running_stats', affine], ['device', null], ['dtype', null]],
    shapes: (a) => {
      const c = pos(a.num_features);
      return c === undefined ? undefined : bool(a.affine, affine) ? { weight: [c], bias: [c] } : NO_PARAMS;
    },
    fwd: INPUT,
    apply(a, f, ctx, who) {
      const x = needTensor(f.input, 'input', who);
      if (isErr(x)) return x;
      const c = needInt(a.num_features, 'num_features', who, 1);
      if (isErr(c)) return c;
      const r = x.shape.length;
      if (!ranks.includes(r)) return fail(`${who} expected ${ranks.map((n) => `${n}-D`).join(' or ')} input, got ${fmt(x.shape)}`);
      return channelNormApply(who, kind, x, c, r - spatialDims(r) - 1, bool(a.affine, affine) ? 2 * c : 0, ctx);
    },
    guess: name === 'BatchNorm1d' ? (a, batch) => (pos(a.num_features) ? [[batch, a.num_features as number]] : undefined) : undefined,
  });
}

const batchNormLayer = (name: string, ranks: number[]): LayerDef => channelNormLayer(name, 'batch_norm', true, ranks, (r) => r - 2);
const instanceNormLayer = (nd: number): LayerDef => channelNormLayer(`InstanceNorm${nd}d`, 'instance_norm', false, [nd + 1, nd + 2], () => nd);

const LayerNorm = define('LayerNorm', {
  sig: [['normalized_shape', REQUIRED], ['eps', 1e-5], ['elementwise_affine', true], ['bias', true], ['device', null], ['dtype', null]],
  shapes(a) {
    const ns = dimsOf(a.normalized_shape);
    if (!ns) return undefined;
    if (!bool(a.elementwise_affine, true)) return {};
    return { weight: ns, ...(bool(a.bias, true) ? { bias: [...ns] } : {}) };
  },
  fwd: INPUT,
  title: (a) => `normalized_shape=${show(Array.isArray(a.normalized_shape) ? a.normalized_shape : [a.normalized_shape])}`,
  apply(a, f, ctx, who) {
    const x = needTensor(f.input, 'input', who);
    if (isErr(x)) return x;
    const ns = dimsOf(a.normalized_shape);
    if (!ns) return fail(`${who}: normalized_shape must be known positive integers`);
    const params = bool(a.elementwise_affine, true) ? prod(ns) * (bool(a.bias, true) ? 2 : 1) : 0;
    return layerNormApply(who, x, ns, params, ctx);
  },
  guess: (a, batch, seq) => {
    const ns = dimsOf(a.normalized_shape);
    return ns ? [ns.length === 1 ? [batch, seq, ...ns] : [batch, ...ns]] : undefined;
  },
});

const RMSNorm = define('RMSNorm', {
  sig: [['normalized_shape', REQUIRED], ['eps', null], ['elementwise_affine', true], ['device', null], ['dtype', null]],
  shapes(a) {
    const ns = dimsOf(a.normalized_shape);
    if (!ns) return undefined;
    return bool(a.elementwise_affine, true) ? { weight: ns } : NO_PARAMS;
  },
  fwd: INPUT,
  title: (a) => `normalized_shape=${show(Array.isArray(a.normalized_shape) ? a.normalized_shape : [a.normalized_shape])}`,
  apply(a, f, ctx, who) {
    const x = needTensor(f.input, 'input', who);
    if (isErr(x)) return x;
    const ns = dimsOf(a.normalized_shape);
    if (!ns) return fail(`${who}: normalized_shape must be known positive integers`);
    return layerNormApply(who, x, ns, bool(a.elementwise_affine, true) ? prod(ns) : 0, ctx, 'rms_norm', 4);
  },
  guess: (a, batch, seq) => {
    const ns = dimsOf(a.normalized_shape);
    return ns ? [ns.length === 1 ? [batch, seq, ...ns] : [batch, ...ns]] : undefined;
  },
});

const GroupNorm = define('GroupNorm', {
  sig: [['num_groups', REQUIRED], ['num_channels', REQUIRED], ['eps', 1e-5], ['affine', true], ['device', null], ['dtype', null]],
  shapes(a) {
    const [g, c] = [pos(a.num_groups), pos(a.num_channels)];
    if (!g || !c || c % g !== 0) return undefined;
    return bool(a.affine, true) ? { weight: [c], bias: [c] } : NO_PARAMS;
  },
  fwd: INPUT,
  apply(a, f, ctx, who) {
    const x = needTensor(f.input, 'input', who);
    if (isErr(x)) return x;
    const g = needInt(a.num_groups, 'num_groups', who, 1);
    if (isErr(g)) return g;
    const c = needInt(a.num_channels, 'num_channels', who, 1);
    if (isErr(c)) return c;
    if (c % g !== 0) return fail(`${who}: num_channels (${c}) must be divisible by num_groups (${g})`);
    if (x.shape.length < 2) return fail(`${who} expected at least 2-D input [N, C, *], got ${fmt(x.shape)}`);
    return channelNormApply(who, 'group_norm', x, c, 1, bool(a.affine, true) ? 2 * c : 0, ctx);
  },
});

const LocalResponseNorm = define('LocalResponseNorm', {
  sig: [['size', REQUIRED], ['alpha', 1e-4], ['beta', 0.75], ['k', 1]],
  fwd: INPUT,
  apply(a, f, ctx, who) {
    const x = needTensor(f.input, 'input', who);
    if (isErr(x)) return x;
    const size = needInt(a.size, 'size', who, 1);
    return isErr(size) ? size : localResponseNormApply(who, x, size, ctx);
  },
});

// ---------------------------------------------------------------------------------------------------------------
// Embeddings

const Embedding = define('Embedding', {
  sig: [['num_embeddings', REQUIRED], ['embedding_dim', REQUIRED], ['padding_idx', null], ['max_norm', null], ['norm_type', 2], ['scale_grad_by_freq', false], ['sparse', false], ['_weight', null], ['_freeze', false], ['device', null], ['dtype', null]],
  shapes: (a) => (pos(a.num_embeddings) && pos(a.embedding_dim) ? { weight: [a.num_embeddings as number, a.embedding_dim as number] } : undefined),
  fwd: INPUT,
  apply(a, f, ctx, who) {
    const x = needTensor(f.input, 'input', who);
    if (isErr(x)) return x;
    // The table's row count does not decide the output [*, d]: a vocabulary built from data (unknown) keeps the
    // shape; its parameters are then the module's to count (said unknown there), 0 in this op.
    const n = a.num_embeddings === undefined ? 0 : needInt(a.num_embeddings, 'num_embeddings', who, 1);
    if (isErr(n)) return n;
    const d = needInt(a.embedding_dim, 'embedding_dim', who, 1);
    if (isErr(d)) return d;
    const c = embeddingCost(x.shape, n, d, ctx.dtype, !ctx.frozen && !bool(a._freeze, false));
    return ok({ kind: 'tensor', shape: c.outputShape, ...(x.guessed ? { guessed: true } : {}) }, c);
  },
  guess: (_a, batch, seq) => [[batch, seq]],
});

const EmbeddingBag = define('EmbeddingBag', {
  sig: [['num_embeddings', REQUIRED], ['embedding_dim', REQUIRED], ['max_norm', null], ['norm_type', 2], ['scale_grad_by_freq', false], ['mode', 'mean'], ['sparse', false], ['_weight', null], ['include_last_offset', false], ['padding_idx', null], ['device', null], ['dtype', null]],
  shapes: (a) => (pos(a.num_embeddings) && pos(a.embedding_dim) ? { weight: [a.num_embeddings as number, a.embedding_dim as number] } : undefined),
  fwd: [['input', REQUIRED], ['offsets', null], ['per_sample_weights', null]],
  apply(a, f, ctx, who) {
    const x = needTensor(f.input, 'input', who);
    if (isErr(x)) return x;
    const n = needInt(a.num_embeddings, 'num_embeddings', who, 1);
    if (isErr(n)) return n;
    const d = needInt(a.embedding_dim, 'embedding_dim', who, 1);
    if (isErr(d)) return d;
    let bags: number;
    if (x.shape.length === 2) {
      if (isTensor(f.offsets)) return fail(`${who}: offsets must be None for 2-D input ${fmt(x.shape)}`);
      bags = x.shape[0];
    } else if (x.shape.length === 1) {
      if (!isTensor(f.offsets) || f.offsets.shape.length !== 1) return fail(`${who}: 1-D input ${fmt(x.shape)} needs a 1-D offsets tensor`);
      bags = f.offsets.shape[0] - (bool(a.include_last_offset, false) ? 1 : 0);
    } else {
      return fail(`${who} expected 1-D (with offsets) or 2-D input, got ${fmt(x.shape)}`);
    }
    const gather = embeddingCost(x.shape, n, d, ctx.dtype, !ctx.frozen);
    const out = [bags, d];
    const rows = prod(x.shape);
    return ok(tensorOf(out), {
      ...gather, kind: 'embedding_bag', outputShape: out, forwardFlops: rows * d,
      backwardFlops: ctx.frozen ? 0 : rows * d, bytesWritten: bytesOf(bags * d, ctx.dtype),
    });
  },
});

// ---------------------------------------------------------------------------------------------------------------
// Recurrent layers

type RnnMode = 'RNN' | 'LSTM' | 'GRU';
const GATES: Record<RnnMode, number> = { RNN: 1, LSTM: 4, GRU: 3 };
/** Per-unit, per-step gate arithmetic (sigmoids 4, tanh 1, products and sums 1 each). */
const GATE_FLOPS: Record<RnnMode, number> = { RNN: 2, LSTM: 18, GRU: 14 };

/**
 * Most layers a stack (`num_layers` of an RNN or a Transformer) may have: far beyond any real model, and low enough
 * that costing them one by one stays instant (`num_layers=10**12` would otherwise hang the analysis).
 */
export const MAX_STACK_LAYERS = 10_000;

interface RnnDims { mode: RnnMode; input: number; hidden: number; layers: number; dirs: number; proj: number; bias: boolean; batchFirst: boolean }

function rnnDims(mode: RnnMode, a: A): RnnDims | undefined {
  const input = pos(a.input_size), hidden = pos(a.hidden_size), layers = pos(a.num_layers);
  const proj = mode === 'LSTM' ? nonneg(a.proj_size) : 0;
  if (!input || !hidden || !layers || layers > MAX_STACK_LAYERS || proj === undefined || proj >= hidden && proj > 0) return undefined;
  return { mode, input, hidden, layers, dirs: bool(a.bidirectional, false) ? 2 : 1, proj, bias: bool(a.bias, true), batchFirst: bool(a.batch_first, false) };
}

function rnnShapes(d: RnnDims): Shapes {
  const g = GATES[d.mode] * d.hidden;
  const hOut = d.proj || d.hidden;
  const s: Shapes = {};
  for (let l = 0; l < d.layers; l++) {
    for (let dir = 0; dir < d.dirs; dir++) {
      const sfx = `_l${l}${dir ? '_reverse' : ''}`;
      const inL = l === 0 ? d.input : hOut * d.dirs;
      s[`weight_ih${sfx}`] = [g, inL];
      s[`weight_hh${sfx}`] = [g, hOut];
      if (d.bias) {
        s[`bias_ih${sfx}`] = [g];
        s[`bias_hh${sfx}`] = [g];
      }
      if (d.proj) s[`weight_hr${sfx}`] = [d.proj, d.hidden];
    }
  }
  return s;
}

/**
 * Cost of running `steps` time steps of a (multi-layer) RNN over `batch` sequences: the gate GEMMs (matrix work, with
 * every byte moved) and the gates' element-wise arithmetic (sigmoids, tanh, products: vector work, counted beside the
 * matrix FLOPs as other element-wise ops are), as two costs of the one layer.
 */
function rnnCost(d: RnnDims, steps: number, batch: number, inputEl: number, ctx: CallContext, kind: string, outputShape: number[]): [Cost, Cost] {
  const G = GATES[d.mode];
  const H = d.hidden;
  const hOut = d.proj || H;
  const shapes = rnnShapes(d);
  const params = Object.values(shapes).reduce((t, x) => t + prod(x), 0);
  let gemm = 0;
  for (let l = 0; l < d.layers; l++) {
    const inL = l === 0 ? d.input : hOut * d.dirs;
    gemm += d.dirs * steps * batch * (2 * G * H * (inL + hOut) + (d.proj ? 2 * H * d.proj : 0));
  }
  const gates = d.layers * d.dirs * steps * batch * GATE_FLOPS[d.mode] * H;
  const dt = ctx.dtype;
  const wDt = ctx.weightDtype ?? dt;
  const hh = d.layers * d.dirs * G * H * hOut;
  const perStep = d.layers * d.dirs * steps * batch;
  const gateCost: Cost = { kind: `${kind}_gates`, opClass: 'elementwise', outputShape, params: 0, forwardFlops: gates, backwardFlops: gates, bytesRead: 0, bytesWritten: 0, savedBytes: 0 };
  return [{
    kind,
    opClass: 'rnn',
    outputShape,
    params,
    forwardFlops: gemm,
    backwardFlops: (ctx.frozen ? 1 : 2) * gemm,
    // The recurrent weights are read again at every step; the input projection is one GEMM over the sequence.
    bytesRead: bytesOf(inputEl, dt) + bytesOf(params + Math.max(0, steps - 1) * hh, wDt),
    bytesWritten: bytesOf(perStep * (G * H + hOut), dt),
    savedBytes: bytesOf(inputEl + perStep * (G * H + H + hOut), dt),
  }, gateCost];
}

function rnnLayer(mode: RnnMode): LayerDef {
  const sig: Signature = mode === 'RNN'
    ? [['input_size', REQUIRED], ['hidden_size', REQUIRED], ['num_layers', 1], ['nonlinearity', 'tanh'], ['bias', true], ['batch_first', false], ['dropout', 0], ['bidirectional', false], ['device', null], ['dtype', null]]
    : mode === 'GRU'
      ? [['input_size', REQUIRED], ['hidden_size', REQUIRED], ['num_layers', 1], ['bias', true], ['batch_first', false], ['dropout', 0], ['bidirectional', false], ['device', null], ['dtype', null]]
      : [['input_size', REQUIRED], ['hidden_size', REQUIRED], ['num_layers', 1], ['bias', true], ['batch_first', false], ['dropout', 0], ['bidirectional', false], ['proj_size', 0], ['device', null], ['dtype', null]];
  return define(mode, {
    sig,
    shapes: (a) => {
      const d = rnnDims(mode, a);
      return d && rnnShapes(d);
    },
    fwd: [['input', REQUIRED], ['hx', null]],
    apply(a, f, ctx, who) {
      const x = needTensor(f.input, 'input', who);
      if (isErr(x)) return x;
      const d = rnnDims(mode, a);
      if (!d) return fail(`${who}: input_size, hidden_size, num_layers (at most ${MAX_STACK_LAYERS.toLocaleString('en-US')})${mode === 'LSTM' ? ' and proj_size (< hidden_size)' : ''} must be known positive integers`);
      const r = x.shape.length;
      if (r !== 2 && r !== 3) return fail(`${who} expected 2-D (unbatched) or 3-D input, got ${fmt(x.shape)}`);
      if (x.shape[r - 1] !== d.input) return fail(`${who} got input ${fmt(x.shape)}: last dim must be input_size=${d.input}`);
      const batched = r === 3;
      const [T, N] = !batched ? [x.shape[0], 1] : d.batchFirst ? [x.shape[1], x.shape[0]] : [x.shape[0], x.shape[1]];
      const hOut = d.proj || d.hidden;
      const hShape = batched ? [d.dirs * d.layers, N, hOut] : [d.dirs * d.layers, hOut];
      const cShape = batched ? [d.dirs * d.layers, N, d.hidden] : [d.dirs * d.layers, d.hidden];
      const h0 = mode === 'LSTM' && Array.isArray(f.hx) ? f.hx[0] : f.hx;
      if (isTensor(h0) && fmt(h0.shape) !== fmt(hShape)) return fail(`${who}: expected hidden state ${fmt(hShape)}, got ${fmt(h0.shape)}`);
      const out = batched ? (d.batchFirst ? [N, T, d.dirs * hOut] : [T, N, d.dirs * hOut]) : [T, d.dirs * hOut];
      const [core, gates] = rnnCost(d, T, N, prod(x.shape), ctx, mode.toLowerCase(), out);
      const cost = { ...core, ...(batched && !d.batchFirst ? { batchDim: 1 } : {}) };
      const y = tensorOf(out, x);
      const h = tensorOf(hShape, x);
      return ok(mode === 'LSTM' ? [y, [h, tensorOf(cShape, x)]] : [y, h], cost, gates);
    },
    guess: (a, batch, seq) => {
      const d = rnnDims(mode, a);
      return d ? [d.batchFirst ? [batch, seq, d.input] : [seq, batch, d.input]] : undefined;
    },
  });
}

function rnnCellLayer(mode: RnnMode): LayerDef {
  const name = `${mode === 'RNN' ? 'RNN' : mode === 'GRU' ? 'GRU' : 'LSTM'}Cell`;
  const sig: Signature = [['input_size', REQUIRED], ['hidden_size', REQUIRED], ['bias', true], ...(mode === 'RNN' ? [['nonlinearity', 'tanh']] as Signature : []), ['device', null], ['dtype', null]];
  const dims = (a: A): RnnDims | undefined => {
    const input = pos(a.input_size), hidden = pos(a.hidden_size);
    return input && hidden ? { mode, input, hidden, layers: 1, dirs: 1, proj: 0, bias: bool(a.bias, true), batchFirst: false } : undefined;
  };
  return define(name, {
    sig,
    shapes: (a) => {
      const d = dims(a);
      if (!d) return undefined;
      const g = GATES[mode] * d.hidden;
      return { weight_ih: [g, d.input], weight_hh: [g, d.hidden], ...(d.bias ? { bias_ih: [g], bias_hh: [g] } : {}) };
    },
    fwd: [['input', REQUIRED], ['hx', null]],
    apply(a, f, ctx, who) {
      const x = needTensor(f.input, 'input', who);
      if (isErr(x)) return x;
      const d = dims(a);
      if (!d) return fail(`${who}: input_size and hidden_size must be known positive integers`);
      if ((x.shape.length !== 1 && x.shape.length !== 2) || x.shape[x.shape.length - 1] !== d.input) {
        return fail(`${who} got input ${fmt(x.shape)}: expected [N, ${d.input}] or [${d.input}]`);
      }
      const N = x.shape.length === 2 ? x.shape[0] : 1;
      const hShape = x.shape.length === 2 ? [N, d.hidden] : [d.hidden];
      const costs = rnnCost(d, 1, N, prod(x.shape), ctx, `${mode.toLowerCase()}_cell`, hShape);
      const h = tensorOf(hShape, x);
      return ok(mode === 'LSTM' ? [h, tensorOf([...hShape], x)] : h, ...costs);
    },
    guess: (a, batch) => (pos(a.input_size) ? [[batch, a.input_size as number]] : undefined),
  });
}

// ---------------------------------------------------------------------------------------------------------------
// Attention and Transformer layers

interface MhaDims { E: number; H: number; kdim: number; vdim: number; bias: boolean; biasKv: boolean; zeroAttn: boolean; batchFirst: boolean; dropout: number }

function mhaDims(a: A): MhaDims | undefined {
  const E = pos(a.embed_dim), H = pos(a.num_heads);
  if (!E || !H) return undefined;
  const kdim = a.kdim === null || a.kdim === undefined ? E : pos(a.kdim);
  const vdim = a.vdim === null || a.vdim === undefined ? E : pos(a.vdim);
  if (!kdim || !vdim) return undefined;
  return { E, H, kdim, vdim, bias: bool(a.bias, true), biasKv: bool(a.add_bias_kv, false), zeroAttn: bool(a.add_zero_attn, false), batchFirst: bool(a.batch_first, false), dropout: num(a.dropout) ?? 0 };
}

function mhaShapes(d: MhaDims): Shapes {
  const { E, kdim, vdim } = d;
  const s: Shapes = kdim === E && vdim === E
    ? { in_proj_weight: [3 * E, E] }
    : { q_proj_weight: [E, E], k_proj_weight: [E, kdim], v_proj_weight: [E, vdim] };
  if (d.bias) s.in_proj_bias = [3 * E];
  if (d.biasKv) {
    s.bias_k = [1, 1, E];
    s.bias_v = [1, 1, E];
  }
  s['out_proj.weight'] = [E, E];
  if (d.bias) s['out_proj.bias'] = [E];
  return s;
}

interface MhaCall { query: TensorArg; key: TensorArg; value: TensorArg; needWeights: boolean; averageWeights: boolean; attnMask: Arg; isCausal: boolean }

/** MultiheadAttention forward: q/k/v projections, SDPA-equivalent attention, output projection. */
function mhaApply(who: string, d: MhaDims, call: MhaCall, ctx: CallContext): OpOutcome {
  const { query: q, key: k, value: v } = call;
  const { E, H } = d;
  if (E % H !== 0) return fail(`${who}: embed_dim (${E}) must be divisible by num_heads (${H})`);
  const r = q.shape.length;
  if (r !== 2 && r !== 3) return fail(`${who} expected 2-D (unbatched) or 3-D query, got ${fmt(q.shape)}`);
  if (k.shape.length !== r || v.shape.length !== r) return fail(`${who}: query ${fmt(q.shape)}, key ${fmt(k.shape)} and value ${fmt(v.shape)} must have the same rank`);
  if (q.shape[r - 1] !== E) return fail(`${who} got query ${fmt(q.shape)}: last dim must be embed_dim=${E}`);
  if (k.shape[r - 1] !== d.kdim) return fail(`${who} got key ${fmt(k.shape)}: last dim must be kdim=${d.kdim}`);
  if (v.shape[r - 1] !== d.vdim) return fail(`${who} got value ${fmt(v.shape)}: last dim must be vdim=${d.vdim}`);
  const seqDim = r === 3 && d.batchFirst ? 1 : 0;
  const batchDim = r === 3 ? (d.batchFirst ? 0 : 1) : -1;
  const L = q.shape[seqDim], S = k.shape[seqDim];
  if (v.shape[seqDim] !== S) return fail(`${who}: key ${fmt(k.shape)} and value ${fmt(v.shape)} must have the same sequence length`);
  const N = batchDim >= 0 ? q.shape[batchDim] : 1;
  if (batchDim >= 0 && (k.shape[batchDim] !== N || v.shape[batchDim] !== N)) {
    return fail(`${who}: query ${fmt(q.shape)}, key ${fmt(k.shape)} and value ${fmt(v.shape)} must have the same batch size (batch_first=${d.batchFirst ? 'True' : 'False'})`);
  }
  const Sx = S + (d.biasKv ? 1 : 0) + (d.zeroAttn ? 1 : 0);
  const o = gemmOpts(ctx, d.bias);
  const costs: Cost[] = [
    withPath(linearCost([N * L, E], E, E, o), 'in_proj.q'),
    withPath(linearCost([N * S, d.kdim], d.kdim, E, o), 'in_proj.k'),
    withPath(linearCost([N * S, d.vdim], d.vdim, E, o), 'in_proj.v'),
  ];
  const att = attentionCost({ batch: N, heads: H, seqQ: L, seqK: Sx, headDim: E / H }, ctx.dtype, { causal: call.isCausal, materialized: call.needWeights });
  const note = isTensor(call.attnMask) && !call.isCausal ? 'attn_mask given: counted in full (kernels compute every block)' : att.note;
  costs.push({ ...att, path: 'attention', params: d.biasKv ? 2 * E : 0, note });
  if (ctx.training && d.dropout > 0 && call.needWeights) costs.push(withPath(dropoutCost('dropout', [N, H, L, Sx], ctx.dtype), 'attention.dropout'));
  costs.push(withPath(linearCost([N * L, E], E, E, o), 'out_proj'));
  const out = tensorOf([...q.shape], q);
  let weights: Arg = null;
  if (call.needWeights) {
    const w = call.averageWeights ? [L, Sx] : [H, L, Sx];
    weights = tensorOf(batchDim >= 0 ? [N, ...w] : w, q);
  }
  return ok([out, weights], ...costs);
}

const MultiheadAttention = define('MultiheadAttention', {
  sig: [['embed_dim', REQUIRED], ['num_heads', REQUIRED], ['dropout', 0], ['bias', true], ['add_bias_kv', false], ['add_zero_attn', false], ['kdim', null], ['vdim', null], ['batch_first', false], ['device', null], ['dtype', null]],
  shapes: (a) => {
    const d = mhaDims(a);
    return d && mhaShapes(d);
  },
  fwd: [['query', REQUIRED], ['key', REQUIRED], ['value', REQUIRED], ['key_padding_mask', null], ['need_weights', true], ['attn_mask', null], ['average_attn_weights', true], ['is_causal', false]],
  apply(a, f, ctx, who) {
    const d = mhaDims(a);
    if (!d) return fail(`${who}: embed_dim, num_heads, kdim and vdim must be known positive integers`);
    const q = needTensor(f.query, 'query', who);
    if (isErr(q)) return q;
    const k = needTensor(f.key, 'key', who);
    if (isErr(k)) return k;
    const v = needTensor(f.value, 'value', who);
    if (isErr(v)) return v;
    return mhaApply(who, d, { query: q, key: k, value: v, needWeights: bool(f.need_weights, true), averageWeights: bool(f.average_attn_weights, true), attnMask: f.attn_mask, isCausal: bool(f.is_causal, false) }, ctx);
  },
  guess: (a, batch, seq) => {
    const d = mhaDims(a);
    if (!d) return undefined;
    const sh = (e: number) => (d.batchFirst ? [batch, seq, e] : [seq, batch, e]);
    return [sh(d.E), sh(d.kdim), sh(d.vdim)];
  },
});

/** The activation of a Transformer layer: `'relu'`/`'gelu'`, `F.gelu` (passed as its dotted name) or a module. */
function activationKind(act: Arg): string {
  if (isModule(act)) return act.layer.toLowerCase();
  if (typeof act === 'string') {
    const last = act.split('.').pop() ?? act;
    return last.toLowerCase();
  }
  return 'relu';
}

interface TLayerDims { d: number; heads: number; ff: number; dropout: number; act: string; batchFirst: boolean; normFirst: boolean; bias: boolean }

function tlayerDims(a: A): TLayerDims | undefined {
  const d = pos(a.d_model), heads = pos(a.nhead), ff = pos(a.dim_feedforward);
  if (!d || !heads || !ff) return undefined;
  return { d, heads, ff, dropout: num(a.dropout) ?? 0.1, act: activationKind(a.activation), batchFirst: bool(a.batch_first, false), normFirst: bool(a.norm_first, false), bias: bool(a.bias, true) };
}

const mhaOf = (t: TLayerDims): MhaDims => ({ E: t.d, H: t.heads, kdim: t.d, vdim: t.d, bias: t.bias, biasKv: false, zeroAttn: false, batchFirst: t.batchFirst, dropout: t.dropout });

function tlayerShapes(t: TLayerDims, decoder: boolean): Shapes {
  const mha = mhaShapes(mhaOf(t));
  const lin = (i: number, o: number): Shapes => ({ weight: [o, i], ...(t.bias ? { bias: [o] } : {}) });
  const ln: Shapes = { weight: [t.d], ...(t.bias ? { bias: [t.d] } : {}) };
  return {
    ...prefixShapes(mha, 'self_attn'),
    ...(decoder ? prefixShapes(mha, 'multihead_attn') : {}),
    ...prefixShapes(lin(t.d, t.ff), 'linear1'),
    ...prefixShapes(lin(t.ff, t.d), 'linear2'),
    ...prefixShapes(ln, 'norm1'),
    ...prefixShapes(ln, 'norm2'),
    ...(decoder ? prefixShapes(ln, 'norm3') : {}),
  };
}

/** Costs of one Transformer block on `x` (shape preserved): self-attention, optional cross-attention, FFN. */
function tlayerApply(who: string, t: TLayerDims, x: TensorArg, memory: TensorArg | undefined, masks: { selfMask: Arg; selfCausal: boolean; crossMask?: Arg; crossCausal?: boolean }, ctx: CallContext): OpOutcome {
  if (x.shape[x.shape.length - 1] !== t.d) return fail(`${who} got input ${fmt(x.shape)}: last dim must be d_model=${t.d}`);
  const dt = ctx.dtype;
  const shape = x.shape;
  const lnParams = t.d * (t.bias ? 2 : 1);
  const costs: Cost[] = [];
  const norm = (name: string) => costs.push(withPath(normCost('layer_norm', shape, lnParams, dt), name));
  const drop = (name: string, s: readonly number[] = shape) => {
    if (ctx.training && t.dropout > 0) costs.push(withPath(dropoutCost('dropout', s, dt), name));
  };
  const residual = () => costs.push(withPath(pointwiseCost('add', [shape, shape], shape, dt, 1), 'residual'));
  const block = (pre: string, post: string, body: () => OpError | undefined): OpError | undefined => {
    if (t.normFirst) norm(pre);
    const e = body();
    if (e) return e;
    residual();
    if (!t.normFirst) norm(post);
    return undefined;
  };
  const attention = (path: string, kv: TensorArg, mask: Arg, causal: boolean, drop1: string): OpError | undefined => {
    const r = mhaApply(who, mhaOf(t), { query: x, key: kv, value: kv, needWeights: false, averageWeights: true, attnMask: mask, isCausal: causal }, ctx);
    if (isErr(r)) return r;
    pushAll(costs, prefixed(r.costs, path));
    drop(drop1);
    return undefined;
  };
  const e1 = block('norm1', 'norm1', () => attention('self_attn', x, masks.selfMask, masks.selfCausal, 'dropout1'));
  if (e1) return e1;
  if (memory) {
    if (memory.shape[memory.shape.length - 1] !== t.d) return fail(`${who} got memory ${fmt(memory.shape)}: last dim must be d_model=${t.d}`);
    const e2 = block('norm2', 'norm2', () => attention('multihead_attn', memory, masks.crossMask ?? null, masks.crossCausal ?? false, 'dropout2'));
    if (e2) return e2;
  }
  const ffNorm = memory ? 'norm3' : 'norm2';
  const e3 = block(ffNorm, ffNorm, () => {
    const o = gemmOpts(ctx, t.bias);
    const l1 = linearCost(shape, t.d, t.ff, o);
    costs.push(withPath(l1, 'linear1'));
    const act = POINTWISE_FLOPS[t.act] !== undefined ? t.act : 'relu';
    costs.push(withPath(elementwiseCost(act, l1.outputShape, dt, POINTWISE_FLOPS[act]), 'activation'));
    drop('dropout', l1.outputShape);
    costs.push(withPath(linearCost(l1.outputShape, t.ff, t.d, o), 'linear2'));
    drop(memory ? 'dropout3' : 'dropout2');
    return undefined;
  });
  if (e3) return e3;
  return ok(tensorOf([...shape], x), ...costs);
}

const TLAYER_SIG: Signature = [['d_model', REQUIRED], ['nhead', REQUIRED], ['dim_feedforward', 2048], ['dropout', 0.1], ['activation', 'relu'], ['layer_norm_eps', 1e-5], ['batch_first', false], ['norm_first', false], ['bias', true], ['device', null], ['dtype', null]];

const TransformerEncoderLayer = define('TransformerEncoderLayer', {
  sig: TLAYER_SIG,
  shapes: (a) => {
    const t = tlayerDims(a);
    return t && tlayerShapes(t, false);
  },
  fwd: [['src', REQUIRED], ['src_mask', null], ['src_key_padding_mask', null], ['is_causal', false]],
  apply(a, f, ctx, who) {
    const t = tlayerDims(a);
    if (!t) return fail(`${who}: d_model, nhead and dim_feedforward must be known positive integers`);
    const x = needTensor(f.src, 'src', who);
    if (isErr(x)) return x;
    return tlayerApply(who, t, x, undefined, { selfMask: f.src_mask, selfCausal: bool(f.is_causal, false) }, ctx);
  },
  guess: (a, batch, seq) => {
    const t = tlayerDims(a);
    return t ? [t.batchFirst ? [batch, seq, t.d] : [seq, batch, t.d]] : undefined;
  },
});

const TransformerDecoderLayer = define('TransformerDecoderLayer', {
  sig: TLAYER_SIG,
  shapes: (a) => {
    const t = tlayerDims(a);
    return t && tlayerShapes(t, true);
  },
  fwd: [['tgt', REQUIRED], ['memory', REQUIRED], ['tgt_mask', null], ['memory_mask', null], ['tgt_key_padding_mask', null], ['memory_key_padding_mask', null], ['tgt_is_causal', false], ['memory_is_causal', false]],
  apply(a, f, ctx, who) {
    const t = tlayerDims(a);
    if (!t) return fail(`${who}: d_model, nhead and dim_feedforward must be known positive integers`);
    const x = needTensor(f.tgt, 'tgt', who);
    if (isErr(x)) return x;
    const m = needTensor(f.memory, 'memory', who);
    if (isErr(m)) return m;
    return tlayerApply(who, t, x, m, { selfMask: f.tgt_mask, selfCausal: bool(f.tgt_is_causal, false), crossMask: f.memory_mask, crossCausal: bool(f.memory_is_causal, false) }, ctx);
  },
  guess: (a, batch, seq) => {
    const t = tlayerDims(a);
    const s = t && (t.batchFirst ? [batch, seq, t.d] : [seq, batch, t.d]);
    return s ? [s, [...s]] : undefined;
  },
});

/** Resolve a module-valued argument to its definition in this table. */
function moduleDef(m: Arg, what: string, who: string): { def: LayerDef; args: A } | OpError {
  if (!isModule(m)) return fail(`${who}: ${what} must be a module instance, got ${show(m)}`);
  const def = LAYERS[m.layer];
  if (!def || def.container) return fail(`${who}: ${what} nn.${m.layer} is not a layer the op table can run; the interpreter has to expand it`);
  return { def, args: m.args };
}

function stackShapes(layer: Arg, n: number | undefined, norm: Arg): Shapes | undefined {
  if (n === undefined || n > MAX_STACK_LAYERS || !isModule(layer)) return undefined;
  const def = LAYERS[layer.layer];
  const inner = def?.paramShapes?.(layer.args);
  if (!def || !inner || (def.paramCount(layer.args) > 0 && Object.keys(inner).length === 0)) return undefined;
  let s: Shapes = {};
  for (let i = 0; i < n; i++) Object.assign(s, prefixShapes(inner, `layers.${i}`));
  if (isModule(norm)) {
    const ns = LAYERS[norm.layer]?.paramShapes?.(norm.args);
    if (!ns) return undefined;
    s = { ...s, ...prefixShapes(ns, 'norm') };
  }
  return s;
}

/** Run `n` deep copies of a layer (each with its own parameters), then the optional final norm. */
function stackApply(who: string, layer: Arg, n: number, norm: Arg, inputs: (x: TensorArg) => Arg[], kwargs: A, x0: TensorArg, ctx: CallContext): OpOutcome {
  const inner = moduleDef(layer, 'the layer', who);
  if (isErr(inner)) return inner;
  if (n > MAX_STACK_LAYERS) return fail(`${who}: num_layers=${n} is more than the ${MAX_STACK_LAYERS.toLocaleString('en-US')} layers FlopLens costs one by one`);
  const costs: Cost[] = [];
  let x: Arg = x0;
  for (let i = 0; i < n; i++) {
    if (!isTensor(x)) return fail(`${who}: layer ${i} did not return a tensor`);
    const r = inner.def.forward(inner.args, inputs(x), kwargs, ctx);
    if (isErr(r)) return fail(`${who}.layers.${i}: ${r.error}`);
    pushAll(costs, prefixed(r.costs, `layers.${i}`));
    x = r.output;
  }
  if (isModule(norm)) {
    const nd = moduleDef(norm, 'norm', who);
    if (isErr(nd)) return nd;
    const r = nd.def.forward(nd.args, [x], {}, ctx);
    if (isErr(r)) return fail(`${who}.norm: ${r.error}`);
    pushAll(costs, prefixed(r.costs, 'norm'));
    x = r.output;
  }
  return { costs, output: x };
}

/** Keyword arguments worth forwarding (drop the ones left at None). */
const given = (kw: A): A => Object.fromEntries(Object.entries(kw).filter(([, v]) => v !== null && v !== undefined));

const TransformerEncoder = define('TransformerEncoder', {
  sig: [['encoder_layer', REQUIRED], ['num_layers', REQUIRED], ['norm', null], ['enable_nested_tensor', true], ['mask_check', true]],
  shapes: (a) => stackShapes(a.encoder_layer, nonneg(a.num_layers), a.norm),
  fwd: [['src', REQUIRED], ['mask', null], ['src_key_padding_mask', null], ['is_causal', null]],
  title: (a) => `${show(a.encoder_layer)}, num_layers=${show(a.num_layers)}`,
  apply(a, f, ctx, who) {
    const x = needTensor(f.src, 'src', who);
    if (isErr(x)) return x;
    const n = needInt(a.num_layers, 'num_layers', who, 0);
    if (isErr(n)) return n;
    const kw = given({ src_mask: f.mask, src_key_padding_mask: f.src_key_padding_mask, is_causal: f.is_causal });
    return stackApply(who, a.encoder_layer, n, a.norm, (h) => [h], kw, x, ctx);
  },
  guess: (a, batch, seq) => (isModule(a.encoder_layer) ? LAYERS[a.encoder_layer.layer]?.guessInput?.(a.encoder_layer.args, batch, seq) : undefined),
});

const TransformerDecoder = define('TransformerDecoder', {
  sig: [['decoder_layer', REQUIRED], ['num_layers', REQUIRED], ['norm', null]],
  shapes: (a) => stackShapes(a.decoder_layer, nonneg(a.num_layers), a.norm),
  fwd: [['tgt', REQUIRED], ['memory', REQUIRED], ['tgt_mask', null], ['memory_mask', null], ['tgt_key_padding_mask', null], ['memory_key_padding_mask', null], ['tgt_is_causal', null], ['memory_is_causal', false]],
  title: (a) => `${show(a.decoder_layer)}, num_layers=${show(a.num_layers)}`,
  apply(a, f, ctx, who) {
    const x = needTensor(f.tgt, 'tgt', who);
    if (isErr(x)) return x;
    const m = needTensor(f.memory, 'memory', who);
    if (isErr(m)) return m;
    const n = needInt(a.num_layers, 'num_layers', who, 0);
    if (isErr(n)) return n;
    const kw = given({ tgt_mask: f.tgt_mask, memory_mask: f.memory_mask, tgt_key_padding_mask: f.tgt_key_padding_mask, memory_key_padding_mask: f.memory_key_padding_mask, tgt_is_causal: f.tgt_is_causal, memory_is_causal: f.memory_is_causal });
    return stackApply(who, a.decoder_layer, n, a.norm, (h) => [h, m], kw, x, ctx);
  },
  guess: (a, batch, seq) => (isModule(a.decoder_layer) ? LAYERS[a.decoder_layer.layer]?.guessInput?.(a.decoder_layer.args, batch, seq) : undefined),
});

/** The encoder and decoder `nn.Transformer` builds from its own arguments (or the custom ones it was given). */
function transformerParts(a: A): { encoder: ModuleArg; decoder: ModuleArg } | undefined {
  const layerArgs = (layer: string): A | undefined => {
    const b = bindSignature(`nn.${layer}`, TLAYER_SIG, [], {
      d_model: a.d_model, nhead: a.nhead, dim_feedforward: a.dim_feedforward, dropout: a.dropout, activation: a.activation,
      layer_norm_eps: a.layer_norm_eps, batch_first: a.batch_first, norm_first: a.norm_first, bias: a.bias,
    });
    return isErr(b) ? undefined : b;
  };
  const norm: ModuleArg = { kind: 'module', layer: 'LayerNorm', args: { normalized_shape: a.d_model, eps: a.layer_norm_eps, elementwise_affine: true, bias: a.bias, device: null, dtype: null } };
  const encArgs = layerArgs('TransformerEncoderLayer');
  const decArgs = layerArgs('TransformerDecoderLayer');
  if (!encArgs || !decArgs) return undefined;
  const encoder: ModuleArg = isModule(a.custom_encoder) ? a.custom_encoder : {
    kind: 'module', layer: 'TransformerEncoder',
    args: { encoder_layer: { kind: 'module', layer: 'TransformerEncoderLayer', args: encArgs }, num_layers: a.num_encoder_layers, norm, enable_nested_tensor: true, mask_check: true },
  };
  const decoder: ModuleArg = isModule(a.custom_decoder) ? a.custom_decoder : {
    kind: 'module', layer: 'TransformerDecoder',
    args: { decoder_layer: { kind: 'module', layer: 'TransformerDecoderLayer', args: decArgs }, num_layers: a.num_decoder_layers, norm },
  };
  return { encoder, decoder };
}

const Transformer = define('Transformer', {
  sig: [['d_model', 512], ['nhead', 8], ['num_encoder_layers', 6], ['num_decoder_layers', 6], ['dim_feedforward', 2048], ['dropout', 0.1], ['activation', 'relu'], ['custom_encoder', null], ['custom_decoder', null], ['layer_norm_eps', 1e-5], ['batch_first', false], ['norm_first', false], ['bias', true], ['device', null], ['dtype', null]],
  shapes(a) {
    const p = transformerParts(a);
    if (!p) return undefined;
    const enc = LAYERS[p.encoder.layer]?.paramShapes?.(p.encoder.args);
    const dec = LAYERS[p.decoder.layer]?.paramShapes?.(p.decoder.args);
    if (!enc || !dec) return undefined;
    return { ...prefixShapes(enc, 'encoder'), ...prefixShapes(dec, 'decoder') };
  },
  fwd: [['src', REQUIRED], ['tgt', REQUIRED], ['src_mask', null], ['tgt_mask', null], ['memory_mask', null], ['src_key_padding_mask', null], ['tgt_key_padding_mask', null], ['memory_key_padding_mask', null], ['src_is_causal', null], ['tgt_is_causal', null], ['memory_is_causal', false]],
  title: (a) => `d_model=${show(a.d_model)}, nhead=${show(a.nhead)}`,
  apply(a, f, ctx, who) {
    const src = needTensor(f.src, 'src', who);
    if (isErr(src)) return src;
    const tgt = needTensor(f.tgt, 'tgt', who);
    if (isErr(tgt)) return tgt;
    const bf = bool(a.batch_first, false);
    const bd = bf ? 0 : 1;
    if (src.shape.length === 3 && tgt.shape.length === 3 && src.shape[bd] !== tgt.shape[bd]) {
      return fail(`${who}: the batch number of src ${fmt(src.shape)} and tgt ${fmt(tgt.shape)} must be equal`);
    }
    const p = transformerParts(a);
    if (!p) return fail(`${who}: d_model, nhead and dim_feedforward must be known positive integers`);
    const enc = moduleDef(p.encoder, 'encoder', who);
    if (isErr(enc)) return enc;
    const dec = moduleDef(p.decoder, 'decoder', who);
    if (isErr(dec)) return dec;
    const e = enc.def.forward(enc.args, [src], given({ mask: f.src_mask, src_key_padding_mask: f.src_key_padding_mask, is_causal: f.src_is_causal }), ctx);
    if (isErr(e)) return e;
    if (!isTensor(e.output)) return fail(`${who}: the encoder did not return a tensor`);
    const d = dec.def.forward(dec.args, [tgt, e.output], given({ tgt_mask: f.tgt_mask, memory_mask: f.memory_mask, tgt_key_padding_mask: f.tgt_key_padding_mask, memory_key_padding_mask: f.memory_key_padding_mask, tgt_is_causal: f.tgt_is_causal, memory_is_causal: f.memory_is_causal }), ctx);
    if (isErr(d)) return d;
    return { costs: [...prefixed(e.costs, 'encoder'), ...prefixed(d.costs, 'decoder')], output: d.output };
  },
  guess: (a, batch, seq) => {
    const d = pos(a.d_model);
    if (!d) return undefined;
    const s = bool(a.batch_first, false) ? [batch, seq, d] : [seq, batch, d];
    return [s, [...s]];
  },
});

// ---------------------------------------------------------------------------------------------------------------
// Pooling, resampling, padding

function maxPoolLayer(nd: number): LayerDef {
  return define(`MaxPool${nd}d`, {
    sig: [['kernel_size', REQUIRED], ['stride', null], ['padding', 0], ['dilation', 1], ['return_indices', false], ['ceil_mode', false]],
    fwd: INPUT,
    title: (a) => `kernel_size=${show(a.kernel_size)}${a.stride !== null ? `, stride=${show(a.stride)}` : ''}`,
    apply(a, f, ctx, who) {
      const x = needTensor(f.input, 'input', who);
      return isErr(x) ? x : poolApply(who, x, { nd, kind: 'max', kernel: a.kernel_size, stride: a.stride, padding: a.padding, dilation: a.dilation, ceilMode: bool(a.ceil_mode, false), returnIndices: bool(a.return_indices, false) }, ctx);
    },
  });
}

function avgPoolLayer(nd: number): LayerDef {
  const sig: Signature = [['kernel_size', REQUIRED], ['stride', null], ['padding', 0], ['ceil_mode', false], ['count_include_pad', true]];
  if (nd > 1) sig.push(['divisor_override', null]);
  return define(`AvgPool${nd}d`, {
    sig,
    fwd: INPUT,
    title: (a) => `kernel_size=${show(a.kernel_size)}${a.stride !== null ? `, stride=${show(a.stride)}` : ''}`,
    apply(a, f, ctx, who) {
      const x = needTensor(f.input, 'input', who);
      return isErr(x) ? x : poolApply(who, x, { nd, kind: 'avg', kernel: a.kernel_size, stride: a.stride, padding: a.padding, dilation: 1, ceilMode: bool(a.ceil_mode, false) }, ctx);
    },
  });
}

function adaptivePoolLayer(kind: 'max' | 'avg', nd: number): LayerDef {
  return define(`Adaptive${kind === 'max' ? 'Max' : 'Avg'}Pool${nd}d`, {
    sig: kind === 'max' ? [['output_size', REQUIRED], ['return_indices', false]] : [['output_size', REQUIRED]],
    fwd: INPUT,
    apply(a, f, ctx, who) {
      const x = needTensor(f.input, 'input', who);
      return isErr(x) ? x : adaptivePoolApply(who, kind, nd, x, a.output_size, ctx, bool(a.return_indices, false));
    },
  });
}

function upsampleLayer(name: string, mode: string | undefined): LayerDef {
  const sig: Signature = mode ? [['size', null], ['scale_factor', null]] : [['size', null], ['scale_factor', null], ['mode', 'nearest'], ['align_corners', null], ['recompute_scale_factor', null]];
  return define(name, {
    sig,
    fwd: INPUT,
    title: (a) => (a.size !== null ? `size=${show(a.size)}` : `scale_factor=${show(a.scale_factor)}`) + (mode ? '' : `, mode=${show(a.mode)}`),
    apply(a, f, ctx, who) {
      const x = needTensor(f.input, 'input', who);
      return isErr(x) ? x : interpolateApply(who, x, a.size, a.scale_factor, mode ?? a.mode, ctx);
    },
  });
}

function pixelShuffleLayer(inverse: boolean): LayerDef {
  const arg = inverse ? 'downscale_factor' : 'upscale_factor';
  return define(inverse ? 'PixelUnshuffle' : 'PixelShuffle', {
    sig: [[arg, REQUIRED]],
    fwd: INPUT,
    apply(a, f, ctx, who) {
      const x = needTensor(f.input, 'input', who);
      if (isErr(x)) return x;
      const r = needInt(a[arg], arg, who, 1);
      return isErr(r) ? r : pixelShuffleApply(who, x, r, inverse, ctx);
    },
  });
}

function unfoldLayer(fold: boolean): LayerDef {
  const sig: Signature = [['kernel_size', REQUIRED], ['dilation', 1], ['padding', 0], ['stride', 1]];
  return define(fold ? 'Fold' : 'Unfold', {
    sig: fold ? [['output_size', REQUIRED], ...sig] : sig,
    fwd: INPUT,
    apply(a, f, ctx, who) {
      const x = needTensor(f.input, 'input', who);
      return isErr(x) ? x : unfoldApply(who, x, a, fold, ctx);
    },
  });
}

function padLayer(kind: 'Zero' | 'Constant' | 'Reflection' | 'Replication' | 'Circular', nd: number): LayerDef {
  const mode = { Zero: 'constant', Constant: 'constant', Reflection: 'reflect', Replication: 'replicate', Circular: 'circular' }[kind];
  return define(`${kind}Pad${nd}d`, {
    sig: kind === 'Constant' ? [['padding', REQUIRED], ['value', REQUIRED]] : [['padding', REQUIRED]],
    fwd: INPUT,
    apply(a, f, ctx, who) {
      const x = needTensor(f.input, 'input', who);
      if (isErr(x)) return x;
      const p = intTuple(a.padding, 2 * nd, 'padding', who);
      if (isErr(p)) return p;
      if (x.shape.length !== nd + 1 && x.shape.length !== nd + 2) return fail(`${who} expected ${nd + 1}-D or ${nd + 2}-D input, got ${fmt(x.shape)}`);
      return padApply(who, x, p, mode, ctx);
    },
  });
}

// ---------------------------------------------------------------------------------------------------------------
// Activations, dropout

function activation(name: string, kind: string, sig: Signature = INPLACE): LayerDef {
  return define(name, {
    sig,
    fwd: INPUT,
    title: () => '',
    apply(a, f, ctx, who) {
      const x = needTensor(f.input, 'input', who);
      if (isErr(x)) return x;
      if (kind === 'gelu') return unary(a.approximate === 'tanh' ? 'gelu_tanh' : 'gelu', x, ctx);
      return unary(kind, x, ctx);
    },
  });
}

function softmaxLayer(name: string, kind: string): LayerDef {
  return define(name, {
    sig: [['dim', null]],
    fwd: INPUT,
    title: (a) => `dim=${show(a.dim)}`,
    apply(a, f, ctx, who) {
      const x = needTensor(f.input, 'input', who);
      return isErr(x) ? x : softmaxApply(kind, who, x, a.dim, ctx);
    },
  });
}

const Softmax2d = define('Softmax2d', {
  sig: [],
  fwd: INPUT,
  apply(_a, f, ctx, who) {
    const x = needTensor(f.input, 'input', who);
    if (isErr(x)) return x;
    if (x.shape.length !== 3 && x.shape.length !== 4) return fail(`${who} expected 3-D or 4-D input, got ${fmt(x.shape)}`);
    return softmaxApply('softmax', who, x, -3, ctx);
  },
});

const GLU = define('GLU', {
  sig: [['dim', -1]],
  fwd: INPUT,
  title: (a) => `dim=${show(a.dim)}`,
  apply(a, f, ctx, who) {
    const x = needTensor(f.input, 'input', who);
    return isErr(x) ? x : gluApply(who, x, a.dim, ctx);
  },
});

const PReLU = define('PReLU', {
  sig: [['num_parameters', 1], ['init', 0.25], ['device', null], ['dtype', null]],
  shapes: (a) => (pos(a.num_parameters) ? { weight: [a.num_parameters as number] } : undefined),
  fwd: INPUT,
  title: (a) => `num_parameters=${show(a.num_parameters)}`,
  apply(a, f, ctx, who) {
    const x = needTensor(f.input, 'input', who);
    if (isErr(x)) return x;
    const n = needInt(a.num_parameters, 'num_parameters', who, 1);
    if (isErr(n)) return n;
    const channels = x.shape.length >= 2 ? x.shape[1] : x.shape[0];
    if (n !== 1 && n !== channels) return fail(`${who} got input ${fmt(x.shape)}: num_parameters must be 1 or the channel count (${channels})`);
    const r = unary('prelu', x, ctx);
    return { ...r, costs: r.costs.map((c) => ({ ...c, params: n })) };
  },
});

function dropoutLayer(name: string, kind: string): LayerDef {
  return define(name, {
    sig: [['p', 0.5], ['inplace', false]],
    fwd: INPUT,
    title: (a) => `p=${show(a.p)}`,
    apply(a, f, ctx, who) {
      const x = needTensor(f.input, 'input', who);
      if (isErr(x)) return x;
      const p = num(a.p);
      if (p === undefined || p < 0 || p > 1) return fail(`${who}: dropout probability has to be between 0 and 1, but got ${show(a.p)}`);
      return dropoutApply(kind, x, p, ctx.training, ctx);
    },
  });
}

// ---------------------------------------------------------------------------------------------------------------
// Losses, distances

const LOSS_SIG: Signature = [['size_average', null], ['reduce', null], ['reduction', 'mean']];

function classLossLayer(name: string, kind: 'cross_entropy' | 'nll_loss'): LayerDef {
  const sig: Signature = [['weight', null], ['size_average', null], ['ignore_index', -100], ['reduce', null], ['reduction', 'mean']];
  if (kind === 'cross_entropy') sig.push(['label_smoothing', 0]);
  return define(name, {
    sig,
    fwd: [['input', REQUIRED], ['target', REQUIRED]],
    title: () => '',
    apply(a, f, ctx, who) {
      const x = needTensor(f.input, 'input', who);
      if (isErr(x)) return x;
      const t = needTensor(f.target, 'target', who);
      return isErr(t) ? t : classLossApply(who, kind, x, t, lossReduction(a), ctx);
    },
  });
}

function pairLossLayer(name: string, kind: string, sig: Signature): LayerDef {
  return define(name, {
    sig,
    fwd: [['input', REQUIRED], ['target', REQUIRED]],
    title: () => '',
    apply(a, f, ctx, who) {
      const x = needTensor(f.input, 'input', who);
      if (isErr(x)) return x;
      const t = needTensor(f.target, 'target', who);
      return isErr(t) ? t : pairLossApply(who, kind, x, t, lossReduction(a), PAIR_LOSS_FLOPS[kind] ?? 3, ctx, kind.startsWith('binary_cross_entropy'));
    },
  });
}

const CosineEmbeddingLoss = define('CosineEmbeddingLoss', {
  sig: [['margin', 0], ...LOSS_SIG],
  fwd: [['input1', REQUIRED], ['input2', REQUIRED], ['target', REQUIRED]],
  title: () => '',
  apply(a, f, ctx, who) {
    const x1 = needTensor(f.input1, 'input1', who);
    if (isErr(x1)) return x1;
    const x2 = needTensor(f.input2, 'input2', who);
    if (isErr(x2)) return x2;
    const y = needTensor(f.target, 'target', who);
    return isErr(y) ? y : cosineEmbeddingLossApply(who, x1, x2, y, lossReduction(a), ctx);
  },
});

const CosineSimilarity = define('CosineSimilarity', {
  sig: [['dim', 1], ['eps', 1e-8]],
  fwd: [['x1', REQUIRED], ['x2', REQUIRED]],
  title: (a) => `dim=${show(a.dim)}`,
  apply(a, f, ctx, who) {
    const x1 = needTensor(f.x1, 'x1', who);
    if (isErr(x1)) return x1;
    const x2 = needTensor(f.x2, 'x2', who);
    return isErr(x2) ? x2 : cosineSimilarityApply(who, x1, x2, a.dim, ctx);
  },
});

const PairwiseDistance = define('PairwiseDistance', {
  sig: [['p', 2], ['eps', 1e-6], ['keepdim', false]],
  fwd: [['x1', REQUIRED], ['x2', REQUIRED]],
  title: () => '',
  apply(a, f, ctx, who) {
    const x1 = needTensor(f.x1, 'x1', who);
    if (isErr(x1)) return x1;
    const x2 = needTensor(f.x2, 'x2', who);
    if (isErr(x2)) return x2;
    const r = cosineSimilarityApply(who, x1, x2, -1, ctx);
    if (isErr(r) || !bool(a.keepdim, false)) return r;
    const s = (r.output as TensorArg).shape;
    return { ...r, output: tensorOf([...s, 1], x1, x2) };
  },
});

// ---------------------------------------------------------------------------------------------------------------
// Containers (the interpreter walks their children)

function container(name: string): LayerDef {
  return {
    name,
    signature: [['*_modules', null], ['**', null]],
    paramCount: () => 0,
    forward: () => fail(`nn.${name} is a container; the interpreter calls its children`),
    container: true,
  };
}

// ---------------------------------------------------------------------------------------------------------------
// The table

const list: LayerDef[] = [
  Linear, LazyLinear, Bilinear, Identity, Flatten, Unflatten,
  convLayer(1, false), convLayer(2, false), convLayer(3, false),
  convLayer(1, true), convLayer(2, true), convLayer(3, true),
  convLayer(1, false, true), convLayer(2, false, true), convLayer(3, false, true),
  batchNormLayer('BatchNorm1d', [2, 3]), batchNormLayer('BatchNorm2d', [4]), batchNormLayer('BatchNorm3d', [5]),
  batchNormLayer('SyncBatchNorm', [2, 3, 4, 5]),
  instanceNormLayer(1), instanceNormLayer(2), instanceNormLayer(3),
  LayerNorm, RMSNorm, GroupNorm, LocalResponseNorm,
  Embedding, EmbeddingBag,
  rnnLayer('RNN'), rnnLayer('LSTM'), rnnLayer('GRU'), rnnCellLayer('RNN'), rnnCellLayer('LSTM'), rnnCellLayer('GRU'),
  MultiheadAttention, TransformerEncoderLayer, TransformerDecoderLayer, TransformerEncoder, TransformerDecoder, Transformer,
  maxPoolLayer(1), maxPoolLayer(2), maxPoolLayer(3), avgPoolLayer(1), avgPoolLayer(2), avgPoolLayer(3),
  adaptivePoolLayer('avg', 1), adaptivePoolLayer('avg', 2), adaptivePoolLayer('avg', 3),
  adaptivePoolLayer('max', 1), adaptivePoolLayer('max', 2), adaptivePoolLayer('max', 3),
  upsampleLayer('Upsample', undefined), upsampleLayer('UpsamplingNearest2d', 'nearest'), upsampleLayer('UpsamplingBilinear2d', 'bilinear'),
  pixelShuffleLayer(false), pixelShuffleLayer(true), unfoldLayer(false), unfoldLayer(true),
  ...([1, 2, 3] as const).flatMap((nd) => (['Zero', 'Constant', 'Reflection', 'Replication', 'Circular'] as const).map((k) => padLayer(k, nd))),
  activation('ReLU', 'relu'), activation('ReLU6', 'relu6'), activation('LeakyReLU', 'leaky_relu', [['negative_slope', 0.01], ['inplace', false]]),
  activation('ELU', 'elu', [['alpha', 1], ['inplace', false]]), activation('CELU', 'celu', [['alpha', 1], ['inplace', false]]),
  activation('SELU', 'selu'), activation('GELU', 'gelu', [['approximate', 'none']]), activation('SiLU', 'silu'), activation('Mish', 'mish'),
  activation('Sigmoid', 'sigmoid', []), activation('Tanh', 'tanh', []), activation('Softplus', 'softplus', [['beta', 1], ['threshold', 20]]),
  activation('Softsign', 'softsign', []), activation('Hardswish', 'hardswish'), activation('Hardsigmoid', 'hardsigmoid'),
  activation('Hardtanh', 'hardtanh', [['min_val', -1], ['max_val', 1], ['inplace', false], ['min_value', null], ['max_value', null]]),
  activation('LogSigmoid', 'logsigmoid', []), activation('Tanhshrink', 'tanhshrink', []),
  activation('Hardshrink', 'hardshrink', [['lambd', 0.5]]), activation('Softshrink', 'softshrink', [['lambd', 0.5]]),
  activation('Threshold', 'threshold', [['threshold', REQUIRED], ['value', REQUIRED], ['inplace', false]]),
  PReLU, GLU, Softmax2d,
  softmaxLayer('Softmax', 'softmax'), softmaxLayer('LogSoftmax', 'log_softmax'), softmaxLayer('Softmin', 'softmin'),
  dropoutLayer('Dropout', 'dropout'), dropoutLayer('Dropout1d', 'dropout1d'), dropoutLayer('Dropout2d', 'dropout2d'),
  dropoutLayer('Dropout3d', 'dropout3d'), dropoutLayer('AlphaDropout', 'alpha_dropout'), dropoutLayer('FeatureAlphaDropout', 'feature_alpha_dropout'),
  classLossLayer('CrossEntropyLoss', 'cross_entropy'), classLossLayer('NLLLoss', 'nll_loss'),
  pairLossLayer('MSELoss', 'mse_loss', LOSS_SIG), pairLossLayer('L1Loss', 'l1_loss', LOSS_SIG),
  pairLossLayer('SmoothL1Loss', 'smooth_l1_loss', [...LOSS_SIG, ['beta', 1]]),
  pairLossLayer('HuberLoss', 'huber_loss', [['reduction', 'mean'], ['delta', 1]]),
  pairLossLayer('BCELoss', 'binary_cross_entropy', [['weight', null], ...LOSS_SIG]),
  pairLossLayer('BCEWithLogitsLoss', 'binary_cross_entropy_with_logits', [['weight', null], ...LOSS_SIG, ['pos_weight', null]]),
  pairLossLayer('KLDivLoss', 'kl_div', [...LOSS_SIG, ['log_target', false]]),
  CosineEmbeddingLoss, CosineSimilarity, PairwiseDistance,
  container('Sequential'), container('ModuleList'), container('ModuleDict'), container('ParameterList'), container('ParameterDict'),
];

/** Every `torch.nn` layer the op table knows, by class name. */
export const LAYERS: Record<string, LayerDef> = Object.fromEntries(list.map((d) => [d.name, d]));
