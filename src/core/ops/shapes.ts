/**
 * Shape and argument helpers shared by the op table (`layers.ts`, `functional.ts`, `methods.ts`).
 *
 * Everything here is total: bad input yields an {@link OpError} value, never an exception. Shapes are plain
 * `number[]`; `[]` is a 0-d tensor (a scalar tensor such as a reduced loss).
 */
import type { Dtype } from '../types';
import type { Arg, OpError, OpOutcome, OpResult, TensorArg } from './registry';
import { isModule, isTensor, REQUIRED } from './registry';

/** `[8, 256]` */
export const fmt = (s: readonly number[]): string => `[${s.join(', ')}]`;

export const fail = (error: string): OpError => ({ error });

export const isErr = (x: unknown): x is OpError =>
  typeof x === 'object' && x !== null && !Array.isArray(x) && typeof (x as { error?: unknown }).error === 'string';

/** A short rendering of an argument for error messages. */
export function show(a: Arg): string {
  if (a === undefined) return 'unknown';
  if (a === null) return 'None';
  if (typeof a === 'string') return `'${a}'`;
  if (typeof a === 'boolean') return a ? 'True' : 'False';
  if (typeof a === 'number') return String(a);
  if (Array.isArray(a)) {
    // Problem messages stay short: a long list is summarised (`(64 × unknown)`, `(1, 2, 3, … 100 items)`).
    if (a.length <= 6) return `(${a.map(show).join(', ')})`;
    const first = show(a[0]);
    if (first.length <= 40 && a.every((x) => show(x) === first)) return `(${a.length} × ${first})`;
    return `(${a.slice(0, 3).map(show).join(', ')}, … ${a.length} items)`;
  }
  if (isTensor(a)) return `tensor${fmt(a.shape)}`;
  if (isModule(a)) return `nn.${a.layer}(…)`;
  return String(a);
}

/** A tensor result that inherits dtype and the `guessed` flag from the tensors it was computed from. */
export function tensorOf(shape: number[], ...from: Arg[]): TensorArg {
  const t: TensorArg = { kind: 'tensor', shape };
  for (const f of from) {
    if (!isTensor(f)) continue;
    if (t.dtype === undefined && f.dtype !== undefined) t.dtype = f.dtype;
    if (f.guessed) t.guessed = true;
  }
  return t;
}

/** A view of `src` with a new shape (keeps dtype, guessed; `nonContiguous` as given). */
export function viewOf(src: TensorArg, shape: number[], nonContiguous?: boolean): TensorArg {
  const t = tensorOf(shape, src);
  if (nonContiguous) t.nonContiguous = true;
  return t;
}

/**
 * An integer (Python int; booleans count as 0/1 like Python), else undefined. Beyond 2^53 a float64 no longer
 * holds the int (`2**64`, `1e308`), and no size is that large: such values count as unknown, not as sizes.
 */
export function int(a: Arg): number | undefined {
  if (typeof a === 'boolean') return a ? 1 : 0;
  return typeof a === 'number' && Number.isSafeInteger(a) ? a : undefined;
}

/** A finite number, else undefined. */
export function num(a: Arg): number | undefined {
  return typeof a === 'number' && Number.isFinite(a) ? a : undefined;
}

export function bool(a: Arg, dflt: boolean): boolean {
  if (typeof a === 'boolean') return a;
  if (typeof a === 'number') return a !== 0;
  return dflt;
}

/** Required tensor argument. */
export function needTensor(a: Arg, what: string, label: string): TensorArg | OpError {
  if (isTensor(a)) return a;
  if (a === undefined) return fail(`${label}: ${what} is unknown (not a traced tensor)`);
  return fail(`${label}: ${what} must be a tensor, got ${show(a)}`);
}

/** Required integer argument (optionally ≥ min). */
export function needInt(a: Arg, what: string, label: string, min = -Infinity): number | OpError {
  const n = int(a);
  if (n === undefined) {
    return fail(a === undefined ? `${label}: ${what} is unknown` : `${label}: ${what} must be an integer, got ${show(a)}`);
  }
  if (n < min) return fail(`${label}: ${what} must be ≥ ${min}, got ${n}`);
  return n;
}

/**
 * An int-or-tuple argument (`kernel_size=3` or `(3, 5)`) expanded to `n` values; a 1-tuple is repeated too.
 */
export function intTuple(a: Arg, n: number, what: string, label: string): number[] | OpError {
  if (int(a) !== undefined) return Array(n).fill(int(a));
  if (Array.isArray(a)) {
    const xs = a.map(int);
    if (xs.every((x): x is number => x !== undefined)) {
      if (xs.length === n) return xs;
      if (xs.length === 1) return Array(n).fill(xs[0]);
      return fail(`${label}: ${what} must be an int or a ${n}-tuple, got ${show(a)}`);
    }
  }
  if (a === undefined) return fail(`${label}: ${what} is unknown`);
  return fail(`${label}: ${what} must be an int or a ${n}-tuple, got ${show(a)}`);
}

/** A list of integers (a shape, a dims list); a single int becomes a 1-list. */
export function intList(a: Arg, what: string, label: string): number[] | OpError {
  if (int(a) !== undefined) return [int(a) as number];
  if (Array.isArray(a)) {
    const xs = a.map(int);
    if (xs.every((x): x is number => x !== undefined)) return xs;
  }
  if (a === undefined) return fail(`${label}: ${what} is unknown`);
  return fail(`${label}: ${what} must be a list of integers, got ${show(a)}`);
}

/** `x.view(2, 3)` and `x.view((2, 3))` both give `[2, 3]`: a lone list argument is unpacked. */
export function varargs(args: readonly Arg[]): Arg[] {
  return args.length === 1 && Array.isArray(args[0]) ? [...args[0]] : [...args];
}

/** Wrap a negative dim (PyTorch: dims in [-rank, rank-1]; a 0-d tensor accepts -1 and 0). */
export function normDim(d: Arg, rank: number, label: string, shape?: readonly number[]): number | OpError {
  const n = int(d);
  if (n === undefined) return fail(`${label}: dim must be an integer, got ${show(d)}`);
  const r = Math.max(rank, 1);
  if (n < -r || n >= r) {
    return fail(`${label}: dim ${n} out of range for a ${rank}-d tensor${shape ? ` ${fmt(shape)}` : ''} (expected [${-r}, ${r - 1}])`);
  }
  return n < 0 ? n + r : n;
}

/** Torch broadcasting of several shapes; undefined when incompatible. */
export function broadcastShapes(shapes: readonly (readonly number[])[]): number[] | undefined {
  const rank = Math.max(0, ...shapes.map((s) => s.length));
  const out: number[] = [];
  for (let i = 0; i < rank; i++) {
    let d = 1;
    for (const s of shapes) {
      const x = s[s.length - rank + i] ?? 1;
      if (x === 1) continue;
      if (d !== 1 && d !== x) return undefined;
      d = x;
    }
    out.push(d);
  }
  return out;
}

/** Resolve a `view`/`reshape` target (one `-1` allowed) against the input's element count. */
export function inferShape(inShape: readonly number[], target: readonly Arg[], label: string): number[] | OpError {
  const dims: number[] = [];
  let infer = -1;
  for (let i = 0; i < target.length; i++) {
    const n = int(target[i]);
    if (n === undefined) return fail(`${label}: size ${show(target[i])} at position ${i} is not a known integer`);
    if (n === -1) {
      if (infer >= 0) return fail(`${label}: only one dimension can be inferred (-1) in ${show([...target])}`);
      infer = i;
    } else if (n < 0) {
      return fail(`${label}: invalid shape dimension ${n} in ${show([...target])}`);
    }
    dims.push(n);
  }
  const total = inShape.reduce((a, b) => a * b, 1);
  const known = dims.reduce((a, b, i) => (i === infer ? a : a * b), 1);
  if (infer >= 0) {
    if (known === 0 || total % known !== 0) {
      return fail(`${label}: shape ${show([...target])} is invalid for input of size ${total} (${fmt(inShape)})`);
    }
    dims[infer] = total / known;
  } else if (known !== total) {
    return fail(`${label}: shape ${show([...target])} is invalid for input of size ${total} (${fmt(inShape)})`);
  }
  return dims;
}

/** Dtype named by an argument (`torch.float16`, `'half'`, `'bf16'`...); `int`/`bool` for integer types. */
export function parseDtype(a: Arg): Dtype | 'int' | 'bool' | undefined {
  if (typeof a !== 'string') return undefined;
  const s = a.replace(/^torch\./, '').toLowerCase();
  switch (s) {
    case 'float32': case 'float': case 'fp32': return 'fp32';
    case 'float16': case 'half': case 'fp16': return 'fp16';
    case 'bfloat16': case 'bf16': return 'bf16';
    case 'float64': case 'double': return 'fp32'; // FlopLens has no fp64 peaks; costed like fp32 (documented)
    case 'float8_e4m3fn': case 'float8_e5m2': case 'fp8': return 'fp8';
    case 'float4_e2m1fn_x2': case 'fp4': return 'fp4';
    case 'int8': case 'uint8': case 'qint8': case 'quint8': return 'int8';
    case 'int16': case 'int32': case 'int64': case 'int': case 'long': case 'short': return 'int';
    case 'bool': return 'bool';
    default: return undefined;
  }
}

/** Ordered signature `[name, default]`; a name `*rest` collects extra positionals, `**` accepts any keyword. */
export type Signature = [string, Arg | typeof REQUIRED][];

/**
 * Bind positional and keyword arguments to a Python-style signature and apply defaults. Errors follow
 * Python's: too many positionals, an unexpected keyword, a value given twice, a missing required argument.
 * An explicitly passed `undefined` (unknown value) is kept as `undefined`, distinct from "not given".
 */
export function bindSignature(label: string, signature: Signature, positional: readonly Arg[], kwargs: Readonly<Record<string, Arg>>): Record<string, Arg> | OpError {
  const out: Record<string, Arg> = {};
  const given = new Set<string>();
  const names = signature.map(([n]) => n);
  const star = names.findIndex((n) => n.startsWith('*') && !n.startsWith('**'));
  const anyKw = names.includes('**');
  const fixed = star >= 0 ? star : signature.filter(([n]) => n !== '**').length;
  if (star < 0 && positional.length > fixed) {
    return fail(`${label} takes at most ${fixed} positional argument${fixed === 1 ? '' : 's'} (${positional.length} given)`);
  }
  for (let i = 0; i < Math.min(positional.length, fixed); i++) {
    out[names[i]] = positional[i];
    given.add(names[i]);
  }
  if (star >= 0) {
    out[names[star].slice(1)] = positional.slice(fixed);
    given.add(names[star].slice(1));
  }
  for (const [k, v] of Object.entries(kwargs)) {
    const known = names.includes(k) && !k.startsWith('*');
    if (!known) {
      if (anyKw || k === 'device' || k === 'dtype' || k === 'out' || k === 'inplace') continue;
      return fail(`${label} got an unexpected keyword argument '${k}'`);
    }
    if (given.has(k)) return fail(`${label} got multiple values for argument '${k}'`);
    out[k] = v;
    given.add(k);
  }
  for (const [n, d] of signature) {
    if (n.startsWith('*') || given.has(n)) continue;
    if (d === REQUIRED) return fail(`${label} missing required argument '${n}'`);
    out[n] = d;
  }
  return out;
}

/** Largest dimension and element count a tensor may have: a float64 still holds every integer up to 2^53. */
export const MAX_ELEMENTS = Number.MAX_SAFE_INTEGER;

/** A dimension is a non-negative safe integer (`1e308`, `2**64`, `nan`, `inf`, `-1` are not). */
export const isDim = (d: unknown): d is number => typeof d === 'number' && Number.isSafeInteger(d) && d >= 0;

/** Why a shape is not a tensor shape (a bad dimension, or more than 2^53 elements); undefined when it is fine. */
export function badShape(shape: readonly number[]): string | undefined {
  if (!Array.isArray(shape)) return 'a shape that is not a list of sizes';
  const bad = shape.find((d) => !isDim(d));
  if (bad !== undefined) return `dimension ${bad} in ${fmt(shape)} is not an integer in [0, 2^53)`;
  let n = 1;
  for (const d of shape) n *= d;
  if (n > MAX_ELEMENTS) return `${fmt(shape)} has ${n.toExponential(2)} elements, more than 2^53`;
  return undefined;
}

/** The first tensor (in arguments, lists and tuples, a few levels deep) whose shape is out of range. */
function badTensorIn(args: readonly Arg[], what: string, depth = 0): string | undefined {
  if (depth > 4) return undefined;
  for (const a of args) {
    if (isTensor(a)) {
      const b = badShape(a.shape);
      if (b) return `${what} tensor: ${b}`;
    } else if (Array.isArray(a)) {
      const b = badTensorIn(a, what, depth + 1);
      if (b) return b;
    }
  }
  return undefined;
}

const COST_FIELDS = ['params', 'forwardFlops', 'backwardFlops', 'bytesRead', 'bytesWritten', 'savedBytes'] as const;

/** Why an op result is out of range (a cost that is not a finite non-negative number, an output shape out of range). */
function badResult(r: OpResult): string | undefined {
  for (const c of r.costs) {
    for (const f of COST_FIELDS) {
      const v = c[f];
      if (!(Number.isFinite(v) && v >= 0)) return `${c.kind}: ${f} would be ${v}`;
    }
    const b = badShape(c.outputShape);
    if (b) return `${c.kind} output: ${b}`;
  }
  return badTensorIn([r.output], 'output');
}

/**
 * Run `body`, turning any unexpected exception into an error value (the op table never throws). Sizes are checked
 * on the way in and out: an input or output tensor whose dimension is not a non-negative integer below 2^53, or a
 * cost that is not finite and non-negative (`1e308`, `2**64`, `nan`, `-1` reaching a size), gives the error
 * "size out of range" and no costs, so the op is reported uncounted rather than as a NaN/Infinity/negative figure.
 */
export function guard(label: string, body: () => OpOutcome, inputs: readonly Arg[] = []): OpOutcome {
  try {
    const bin = badTensorIn(inputs, 'input');
    if (bin) return fail(`${label}: size out of range (${bin})`);
    const out = body();
    if (isErr(out)) return out;
    const bout = badResult(out);
    return bout ? fail(`${label}: size out of range (${bout})`) : out;
  } catch (e) {
    return fail(`${label}: internal error (${e instanceof Error ? e.message : String(e)})`);
  }
}
