/**
 * Tensor methods of the op table, keyed by method name; `args[0]` is the tensor (`x.view(2, -1)` →
 * `METHODS.view([x, 2, -1], {}, ctx)`). Properties the tracer resolves the same way (`x.T`, `x.mT`, `x.shape`,
 * `x.ndim`) are entries too, called with `[x]`.
 *
 * Most methods share their definition with the function of the same name (`x.sum(1)` ≡ `torch.sum(x, 1)`);
 * the entries here are the method-only forms: variadic shapes (`view(2, 3)`, `permute(0, 2, 1)`,
 * `expand(4, -1)`, `repeat(1, 2)`), `*_as(other)`, casts, device moves, `size()`/`dim()`/`numel()`, in-place
 * variants (`add_`, `relu_`, `masked_fill_`...).
 *
 * Conventions: views cost nothing and mark the result `nonContiguous` after `transpose`/`permute`/`expand`;
 * `contiguous()` and `reshape()` of such a view cost one copy. A dtype cast costs one read and one write
 * (no FLOPs) and only when the dtype changes; device moves (`.to('cuda')`, `.cuda()`) cost nothing here (host
 * transfers are the projection's business). `item()` / `tolist()` return unknown values.
 */
import type { Dtype } from '../types';
import { DTYPE_BYTES } from '../types';
import type { Arg, CallContext, FunctionDef, OpOutcome, OpResult, TensorArg } from './registry';
import { isTensor } from './registry';
import { bytesOf, copyCost, prod } from './primitives';
import { fail, fmt, guard, inferShape, intList, isErr, needInt, needTensor, normDim, parseDtype, tensorOf, varargs, viewOf } from './shapes';
import {
  broadcastApply, expandApply, flipApply, FUNCTIONS, permuteApply, repeatApply, reshapeResult, transposeApply,
} from './functional';

const ok = (output: Arg, ...costs: OpResult['costs']): OpResult => ({ costs, output });

/** A method whose tensor is `args[0]` and whose remaining arguments are handled by `body` as given. */
function method(name: string, body: (x: TensorArg, rest: Arg[], kwargs: Record<string, Arg>, ctx: CallContext) => OpOutcome): FunctionDef {
  const label = `Tensor.${name}`;
  return (args, kwargs, ctx) => guard(label, () => {
    const x = needTensor(args[0], 'self', label);
    return isErr(x) ? x : body(x, args.slice(1), kwargs, ctx);
  }, [...args, ...Object.values(kwargs)]);
}

/** Cast to `target`: a read in the source dtype and a write in the target dtype, when the dtype changes. */
export function castApply(x: TensorArg, target: Dtype | 'int' | 'bool' | undefined, ctx: CallContext): OpResult {
  if (target === undefined) return ok(x);
  const src = x.dtype ?? ctx.dtype;
  const el = prod(x.shape);
  if (target === 'int' || target === 'bool') {
    const out = tensorOf([...x.shape], x);
    delete out.dtype;
    return ok(out, { ...copyCost('to', x.shape, src), bytesWritten: el * (target === 'int' ? 8 : 1) });
  }
  if (target === src) return ok(x.dtype === target ? x : { ...x, dtype: target });
  const out = tensorOf([...x.shape], x);
  out.dtype = target;
  return ok(out, { ...copyCost('to', x.shape, src), bytesWritten: bytesOf(el, target), note: `cast ${src} → ${target}` });
}

const castTo = (target: Dtype | 'int' | 'bool'): FunctionDef => method(`to_${target}`, (x, _r, _k, ctx) => castApply(x, target, ctx));

/** `.to(dtype)`, `.to(device)`, `.to(device, dtype)`, `.to(other)`, `.to(dtype=…)`. */
const toDef = method('to', (x, rest, kwargs, ctx) => {
  let target: Dtype | 'int' | 'bool' | undefined = parseDtype(kwargs.dtype);
  for (const r of rest) {
    if (isTensor(r)) target = r.dtype ?? target;
    else target = parseDtype(r) ?? target;
  }
  return castApply(x, target, ctx);
});

const viewDef = method('view', (x, rest) => {
  const shapeArgs = varargs(rest);
  // x.view(torch.float16) reinterprets the bytes; same shape when the element sizes match.
  if (shapeArgs.length === 1 && typeof shapeArgs[0] === 'string') {
    const d = parseDtype(shapeArgs[0]);
    if (d && d !== 'int' && d !== 'bool') {
      const src = DTYPE_BYTES[x.dtype ?? d];
      const ratio = src / DTYPE_BYTES[d];
      const shape = [...x.shape];
      if (shape.length) shape[shape.length - 1] *= ratio;
      return ok({ ...viewOf(x, shape, x.nonContiguous), dtype: d });
    }
  }
  const s = inferShape(x.shape, shapeArgs, `Tensor.view (input ${fmt(x.shape)})`);
  return isErr(s) ? s : ok(viewOf(x, s, x.nonContiguous));
});

const reshapeDef = method('reshape', (x, rest, _kw, ctx) => {
  const s = inferShape(x.shape, varargs(rest), `Tensor.reshape (input ${fmt(x.shape)})`);
  return isErr(s) ? s : reshapeResult(x, s, ctx);
});

/** `x.view_as(y)` / `x.reshape_as(y)`. */
function asOther(name: string, reshape: boolean): FunctionDef {
  return method(name, (x, rest, kwargs, ctx) => {
    const y = needTensor(rest[0] ?? kwargs.other, 'other', `Tensor.${name}`);
    if (isErr(y)) return y;
    const s = inferShape(x.shape, y.shape, `Tensor.${name} (input ${fmt(x.shape)})`);
    if (isErr(s)) return s;
    return reshape ? reshapeResult(x, s, ctx) : ok(viewOf(x, s, x.nonContiguous));
  });
}

const sizeDef = method('size', (x, rest, kwargs) => {
  const d = rest[0] ?? kwargs.dim;
  if (d === undefined || d === null) return ok([...x.shape]);
  const n = normDim(d, x.shape.length, `Tensor.size (shape ${fmt(x.shape)})`, x.shape);
  return isErr(n) ? n : ok(x.shape[n]);
});

const contiguousDef = method('contiguous', (x, _r, _k, ctx) =>
  x.nonContiguous ? ok(tensorOf([...x.shape], x), copyCost('contiguous', x.shape, ctx.dtype)) : ok(x));

/** `x.T`: all dims reversed (the matrix transpose for 2-D). */
const bigT = method('T', (x) => permuteApply('Tensor.T', x, x.shape.map((_, i) => x.shape.length - 1 - i)));
const mT = method('mT', (x) => {
  if (x.shape.length < 2) return fail(`Tensor.mT: tensor must have at least 2 dims, got ${fmt(x.shape)}`);
  return transposeApply('Tensor.mT', x, -2, -1);
});

/** `x.new_zeros(size)` and friends: a new tensor of the given shape, same dtype. */
function newLike(name: string): FunctionDef {
  return method(name, (x, rest, kwargs) => {
    const raw = varargs(rest.length ? (name === 'new_full' ? [rest[0]] : rest) : [kwargs.size]);
    const shape = intList(raw, 'size', `Tensor.${name}`);
    if (isErr(shape)) return shape;
    if (shape.some((n) => n < 0)) return fail(`Tensor.${name}: negative dimension in ${fmt(shape)}`);
    const t = tensorOf(shape, x);
    const d = parseDtype(kwargs.dtype);
    if (d && d !== 'int' && d !== 'bool') t.dtype = d;
    return ok(t);
  });
}

/** In-place variant of a pointwise function: same cost, the result must keep `self`'s shape. */
function inplace(name: string): FunctionDef | undefined {
  const base = FUNCTIONS[name];
  if (!base) return undefined;
  const label = `Tensor.${name}_`;
  return (args, kwargs, ctx) => guard(label, () => {
    const x = needTensor(args[0], 'self', label);
    if (isErr(x)) return x;
    const r = base(args, kwargs, ctx);
    if (isErr(r)) return r;
    const out = r.output;
    if (isTensor(out) && fmt(out.shape) !== fmt(x.shape)) {
      return fail(`${label}: output with shape ${fmt(x.shape)} doesn't match the broadcast shape ${fmt(out.shape)}`);
    }
    return r;
  });
}

/** Initialisers and other in-place ops without arithmetic that matters (`fill_`, `zero_`, `normal_`). */
const identityMethod = (name: string): FunctionDef => method(name, (x) => ok(x));

const METHOD_ONLY: Record<string, FunctionDef> = {
  view: viewDef,
  reshape: reshapeDef,
  view_as: asOther('view_as', false),
  reshape_as: asOther('reshape_as', true),
  permute: method('permute', (x, rest) => permuteApply('Tensor.permute', x, varargs(rest))),
  expand: method('expand', (x, rest) => expandApply(`Tensor.expand (input ${fmt(x.shape)})`, x, varargs(rest))),
  expand_as: method('expand_as', (x, rest) => {
    const y = needTensor(rest[0], 'other', 'Tensor.expand_as');
    return isErr(y) ? y : expandApply('Tensor.expand_as', x, y.shape);
  }),
  repeat: method('repeat', (x, rest, _k, ctx) => repeatApply('Tensor.repeat', x, varargs(rest), ctx)),
  flip: method('flip', (x, rest, kwargs, ctx) => flipApply('flip', 'Tensor.flip', x, rest.length ? varargs(rest) : kwargs.dims, ctx)),
  contiguous: contiguousDef,
  // Tensor.unfold(dimension, size, step): a sliding-window view (not F.unfold): dim → windows, a new last dim `size`.
  unfold: method('unfold', (x, rest, kwargs) => {
    const [dArg, sArg, stArg] = [rest[0] ?? kwargs.dimension, rest[1] ?? kwargs.size, rest[2] ?? kwargs.step];
    const size = needInt(sArg, 'size', 'Tensor.unfold', 1);
    const step = needInt(stArg, 'step', 'Tensor.unfold', 1);
    if (isErr(size)) return size;
    if (isErr(step)) return step;
    const d = normDim(dArg, x.shape.length, 'Tensor.unfold');
    if (isErr(d)) return d;
    const n = x.shape[d];
    if (size > n) return fail(`Tensor.unfold: size ${size} is larger than dim ${d} of ${fmt(x.shape)}`);
    const out = [...x.shape];
    out[d] = Math.floor((n - size) / step) + 1;
    out.push(size);
    return ok({ ...tensorOf(out, x), nonContiguous: true });
  }),
  size: sizeDef,
  shape: method('shape', (x) => ok([...x.shape])),
  dim: method('dim', (x) => ok(x.shape.length)),
  ndimension: method('ndimension', (x) => ok(x.shape.length)),
  ndim: method('ndim', (x) => ok(x.shape.length)),
  numel: method('numel', (x) => ok(prod(x.shape))),
  nelement: method('nelement', (x) => ok(prod(x.shape))),
  element_size: method('element_size', (x, _r, _k, ctx) => ok(DTYPE_BYTES[x.dtype ?? ctx.dtype])),
  is_contiguous: method('is_contiguous', (x) => ok(!x.nonContiguous)),
  T: bigT,
  H: bigT,
  mT,
  mH: mT,
  item: method('item', (x) => (prod(x.shape) === 1 ? ok(undefined) : fail(`Tensor.item: a tensor with ${prod(x.shape)} elements ${fmt(x.shape)} cannot be converted to a Python scalar`))),
  tolist: method('tolist', () => ok(undefined)),
  numpy: method('numpy', () => ok(undefined)),
  float: castTo('fp32'),
  double: castTo('fp32'),
  half: castTo('fp16'),
  bfloat16: castTo('bf16'),
  long: castTo('int'),
  int: castTo('int'),
  short: castTo('int'),
  bool: castTo('bool'),
  byte: castTo('int8'),
  char: castTo('int8'),
  to: toDef,
  type: method('type', (x, rest, kwargs, ctx) => {
    const d = rest[0] ?? kwargs.dtype;
    if (d === undefined || d === null) return ok(undefined);
    const s = typeof d === 'string' ? d.replace(/^torch\.(cuda\.)?/, '').replace(/Tensor$/, '') : d;
    const map: Record<string, string> = { Float: 'float32', Half: 'float16', BFloat16: 'bfloat16', Double: 'float64', Long: 'int64', Int: 'int32', Bool: 'bool' };
    return castApply(x, parseDtype(typeof s === 'string' ? map[s] ?? s : s), ctx);
  }),
  type_as: method('type_as', (x, rest, _k, ctx) => {
    const y = needTensor(rest[0], 'other', 'Tensor.type_as');
    return isErr(y) ? y : castApply(x, y.dtype ?? ctx.dtype, ctx);
  }),
  cpu: identityMethod('cpu'),
  cuda: identityMethod('cuda'),
  pin_memory: identityMethod('pin_memory'),
  requires_grad_: identityMethod('requires_grad_'),
  retain_grad: identityMethod('retain_grad'),
  share_memory_: identityMethod('share_memory_'),
  fill_: identityMethod('fill_'),
  zero_: identityMethod('zero_'),
  normal_: identityMethod('normal_'),
  uniform_: identityMethod('uniform_'),
  copy_: method('copy_', (x, rest, _k, ctx) => {
    const src = needTensor(rest[0], 'src', 'Tensor.copy_');
    if (isErr(src)) return src;
    const r = broadcastApply('copy_', 'Tensor.copy_', [src], ctx, 0, false);
    if (isErr(r)) return r;
    const out = (r.output as TensorArg).shape;
    const b = out.length <= x.shape.length && out.every((n, i) => n === 1 || n === x.shape[x.shape.length - out.length + i]);
    if (!b) return fail(`Tensor.copy_: source ${fmt(src.shape)} cannot be broadcast to ${fmt(x.shape)}`);
    return ok(x, copyCost('copy_', x.shape, ctx.dtype));
  }),
  new_zeros: newLike('new_zeros'),
  new_ones: newLike('new_ones'),
  new_empty: newLike('new_empty'),
  new_full: newLike('new_full'),
  new_tensor: method('new_tensor', (_x, rest, kwargs, ctx) => FUNCTIONS.tensor(rest, kwargs, ctx)),
};

/** Functions that are also tensor methods with the tensor first (`x.sum(1)` ≡ `torch.sum(x, 1)`). */
const SHARED = [
  'flatten', 'unflatten', 'transpose', 'swapaxes', 'swapdims', 'movedim', 'moveaxis', 'split', 'chunk', 'unbind',
  'squeeze', 'unsqueeze', 'narrow', 'index_select', 'gather', 'roll', 'broadcast_to', 't', 'detach', 'clone',
  'mean', 'sum', 'nansum', 'nanmean', 'prod', 'max', 'min', 'amax', 'amin', 'argmax', 'argmin', 'logsumexp', 'all', 'any',
  'count_nonzero', 'topk', 'sort', 'argsort', 'norm', 'var', 'std', 'cumsum', 'cumprod', 'multinomial',
  'softmax', 'log_softmax', 'relu', 'sigmoid', 'tanh', 'exp', 'exp2', 'expm1', 'log', 'log2', 'log10', 'log1p', 'sqrt',
  'rsqrt', 'abs', 'neg', 'sign', 'sin', 'cos', 'tan', 'erf', 'reciprocal', 'square', 'floor', 'ceil', 'round', 'trunc',
  'logical_not', 'isnan', 'isinf', 'isfinite', 'nan_to_num', 'clamp', 'clip', 'where', 'masked_fill', 'tril', 'triu',
  'add', 'sub', 'mul', 'div', 'true_divide', 'floor_divide', 'remainder', 'fmod', 'pow', 'maximum', 'minimum',
  'eq', 'ne', 'lt', 'le', 'gt', 'ge', 'logical_and', 'logical_or', 'logical_xor', 'bitwise_and', 'bitwise_or',
  'lerp', 'addcmul', 'addcdiv', 'outer', 'matmul', 'mm', 'bmm', 'mv', 'dot', 'addmm', 'baddbmm', 'atan2', 'hypot',
  'multiply', 'divide', 'subtract', 'negative', 'absolute', 'greater', 'less', 'greater_equal', 'less_equal', 'not_equal',
];

/** In-place variants registered as `name_`. */
const INPLACE = [
  'add', 'sub', 'mul', 'div', 'pow', 'clamp', 'clip', 'masked_fill', 'relu', 'sigmoid', 'tanh', 'exp', 'log', 'sqrt',
  'rsqrt', 'abs', 'neg', 'floor', 'ceil', 'round', 'tril', 'triu', 'lerp', 'addcmul', 'addcdiv', 'fmod', 'remainder',
  'maximum', 'minimum', 'sign', 'square', 'reciprocal', 'erf', 'sin', 'cos', 'unsqueeze', 'squeeze', 'transpose', 't',
  'baddbmm', 'addmm', 'logical_not', 'nan_to_num', 'floor_divide', 'cumsum', 'gelu', 'silu', 'hardtanh', 'leaky_relu',
  'elu', 'celu', 'selu', 'relu6', 'hardswish', 'hardsigmoid', 'mish', 'softplus',
];

/** Every tensor method the op table knows, by method name (the tensor is `args[0]`). */
export const METHODS: Record<string, FunctionDef> = { ...METHOD_ONLY };
for (const name of SHARED) if (FUNCTIONS[name] && !METHODS[name]) METHODS[name] = FUNCTIONS[name];
for (const name of INPLACE) {
  const d = inplace(name);
  if (d && !METHODS[`${name}_`]) METHODS[`${name}_`] = d;
}
