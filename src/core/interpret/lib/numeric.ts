/**
 * Numbers and tensor layouts outside torch: `math` / `numpy` scalars (sizes computed in configs) and einops
 * (rearrange/reduce/repeat and the Rearrange/Reduce layers), by shape.
 */
import type { Loc } from '../../types';
import { DTYPE_BYTES } from '../../types';
import { prod } from '../../ops/primitives';
import { UNKNOWN, unknown, isKind, isNum, isSeq, isTensorV, tensor } from '../values';
import type { Value, DictValue } from '../values';
import type { TensorArg } from '../../ops/registry';
import { NOT_MINE } from './dispatch';
import type { ObjCallTable, Route } from './dispatch';
import type { Library } from './library';
import { resetObservation } from './rl';

/** Values of short numpy arrays built from known numbers (`np.array(env.observation_space.shape)`), by tensor. */
export const CONSTANT_ARRAYS = new WeakMap<TensorArg, number[]>();

const MATH = /^(?:math|numpy|np)\.(sqrt|ceil|floor|log|log2|log10|exp|prod|pow|power|isqrt|gcd|lcm|sin|cos|tanh|fabs|trunc|inf|pi|e)$/;
/** numpy ufuncs that keep their argument's shape (`np.sin(np.linspace(...))`); on numbers they are MATH's. */
const NP_UNARY = /^(?:numpy|np)\.(sqrt|log|log2|log10|exp|sin|cos|tan|tanh|abs|absolute|fabs|floor|ceil|round|around|square|sign|negative|clip|float32|float64|int32|int64|ascontiguousarray|copy)$/;
/** numpy constructors that take a shape (`np.zeros((1, 10, 1))`) and those shaped like another array. */
const NP_SIZED = /^(?:numpy|np)\.(zeros|ones|empty|full)$/;
const NP_LIKE = /^(?:numpy|np)\.(zeros_like|ones_like|empty_like|full_like)$/;
/** np.random draws: `randn(*dims)` / `rand(*dims)`, or a `size=` (tuple or int) at the position each function takes it. */
const NP_RANDOM = /^(?:numpy|np)\.random\.(randn|rand|random|random_sample|sample|normal|uniform|randint|standard_normal|binomial|choice|permutation|shuffle|seed)$/;
const SIZE_AT: Record<string, number> = { random: 0, random_sample: 0, sample: 0, standard_normal: 0, normal: 2, uniform: 2, randint: 2, binomial: 2, choice: 1 };

/** `math.pi`, `np.e`, `math.tau` read as attributes: numbers, not references (`math.sqrt(2 / math.pi) * x`). */
const CONSTANTS: Record<string, number> = { pi: Math.PI, e: Math.E, tau: 2 * Math.PI };
export function mathConstant(path: string): number | undefined {
  const m = /^(?:math|numpy|np|torch)\.(pi|e|tau)$/.exec(path);
  return m ? CONSTANTS[m[1]] : undefined;
}

export const ROUTES: Route[] = [
  {
    pattern: MATH,
    handler: (lib, { path: p, pos }) => {
      const a = pos.map((x) => (isNum(x) ? x : NaN));
      const f: Record<string, () => number> = {
        sqrt: () => Math.sqrt(a[0]), ceil: () => Math.ceil(a[0]), floor: () => Math.floor(a[0]), log: () => (a.length > 1 ? Math.log(a[0]) / Math.log(a[1]) : Math.log(a[0])),
        log2: () => Math.log2(a[0]), log10: () => Math.log10(a[0]), exp: () => Math.exp(a[0]), pow: () => Math.pow(a[0], a[1]), isqrt: () => Math.floor(Math.sqrt(a[0])),
        gcd: () => gcd(a[0], a[1]), lcm: () => (a[0] * a[1]) / gcd(a[0], a[1]), sin: () => Math.sin(a[0]), cos: () => Math.cos(a[0]), tanh: () => Math.tanh(a[0]), fabs: () => Math.abs(a[0]), trunc: () => Math.trunc(a[0]),
        prod: () => { const it = lib.iterate(pos[0]).items ?? []; return it.every(isNum) ? (it as number[]).reduce((x, y) => x * y, 1) : NaN; },
      };
      if (isTensorV(pos[0]) || isTensorV(pos[1])) return broadcastOf(pos);
      const r = f[MATH.exec(p)![1].replace(/^power$/, 'pow')]?.();
      return r === undefined || Number.isNaN(r) ? UNKNOWN : r;
    },
  },
  // numpy arrays are tensors to FlopLens (a shape and an element type): their constructors, ufuncs and lists.
  { pattern: NP_UNARY, handler: (_lib, { path, pos: [x0] }) => { const a = x0 !== undefined ? resetObservation(x0) ?? x0 : x0; return isTensorV(a) ? tensor([...a.shape], a.dtype, a.guessed) : isNum(a) && /(float|int)\d+$/.test(path) ? a : NOT_MINE; } }, // np.float32(env.reset()): the observation (old gym API)
  { pattern: /^(?:numpy|np)\.(maximum|minimum|multiply|add|subtract|divide|where)$/, handler: (_lib, { pos }) => (pos.some(isTensorV) ? broadcastOf(pos) : NOT_MINE) },
  {
    pattern: /^(?:numpy|np)\.(array|asarray|asanyarray|stack|vstack|concatenate)$/,
    handler: (lib, { path, pos, kw, loc }) => {
      const name = path.split('.').pop();
      const dt = npDtypeKw(kw);
      if (name === 'array' || name === 'asarray' || name === 'asanyarray') {
        if (!isSeq(pos[0]) && !isTensorV(pos[0])) return NOT_MINE;
        const t = lib.callExternal('torch.tensor', [pos[0]], dt, loc);
        // `np.array(space.shape).prod()`: a short array of known numbers keeps its values for prod/sum.
        const items = isSeq(pos[0]) ? pos[0].items : [];
        if (isTensorV(t) && items.length > 0 && items.length <= 16 && items.every((x) => isNum(x) && Number.isFinite(x))) CONSTANT_ARRAYS.set(t, items as number[]);
        return t;
      }
      // Observations an old-gym `env.reset()` returned (lib/rl.ts) are arrays; anything else is itself.
      const items = lib.iterate(pos[0]).items?.map((x) => resetObservation(x) ?? x);
      if (!items || !items.length || !items.every(isTensorV)) return NOT_MINE;
      const axis = kw.get('axis') ?? pos[1] ?? 0;
      if (name === 'stack') return lib.callExternal('torch.stack', [{ kind: 'list', items }], new Map([['dim', axis]]), loc);
      const ts = (items as TensorArg[]).map((t) => (name === 'vstack' && t.shape.length < 2 ? tensor([1, ...t.shape], t.dtype) : t));
      return lib.callExternal('torch.cat', [{ kind: 'list', items: ts }], new Map([['dim', name === 'vstack' ? 0 : axis]]), loc);
    },
  },
  {
    pattern: NP_SIZED,
    handler: (lib, { path, pos, kw, loc }) => {
      const shape = pos[0] ?? kw.get('shape');
      const dims = isNum(shape) ? [shape] : isSeq(shape) && shape.items.every(isNum) ? shape.items as number[] : undefined;
      if (!dims) return NOT_MINE;
      const name = path.split('.').pop();
      return name === 'full' ? lib.callExternal('torch.full', [{ kind: 'tuple', items: dims }, pos[1] ?? kw.get('fill_value') ?? 0], npDtypeKw(kw), loc)
        : lib.callExternal(`torch.${name}`, dims.map((d) => d as Value), npDtypeKw(kw), loc);
    },
  },
  { pattern: NP_LIKE, handler: (_lib, { pos }) => (isTensorV(pos[0]) ? tensor([...pos[0].shape], pos[0].dtype) : NOT_MINE) },
  {
    exact: ['numpy.arange', 'np.arange'],
    handler: (lib, { pos, kw, loc }) => lib.callExternal('torch.arange', pos, new Map([...kw].filter(([k]) => k !== 'dtype')), loc),
  },
  {
    exact: ['numpy.linspace', 'np.linspace', 'numpy.logspace', 'np.logspace'],
    handler: (lib, { pos, kw, loc }) => {
      const n = kw.get('num') ?? pos[2] ?? 50;
      return isNum(n) ? lib.callExternal('torch.linspace', [0, 1, n], npDtypeKw(kw), loc) : NOT_MINE;
    },
  },
  {
    pattern: NP_RANDOM,
    handler: (lib, { path, pos, kw, loc }) => {
      const name = path.split('.').pop() ?? '';
      if (name === 'seed' || name === 'shuffle') return null;
      if (name === 'permutation') return isNum(pos[0]) ? tensor([pos[0]], 'int8') : isTensorV(pos[0]) ? pos[0] : NOT_MINE;
      const size = name === 'randn' || name === 'rand' ? (pos.length ? { kind: 'tuple', items: pos } as Value : undefined) : kw.get('size') ?? pos[SIZE_AT[name] ?? 99];
      if (size === undefined || size === null) return UNKNOWN; // one number drawn
      const dims = isNum(size) ? [size] : isSeq(size) && size.items.every(isNum) ? size.items as number[] : undefined;
      return dims ? lib.callExternal('torch.empty', dims.map((d) => d as Value), npDtypeKw(kw), loc) : NOT_MINE;
    },
  },
  { exact: ['einops.rearrange', 'einops.reduce', 'einops.repeat'], handler: (lib, { last, pos, kw, loc }) => einops(lib, last, pos, kw, loc) },
  // einops.layers.torch.Rearrange / Reduce: a parameter-free layer applying its pattern to its input.
  {
    pattern: /^einops\.layers\.\w+\.(Rearrange|Reduce)$/,
    handler: (lib, { last, pos, kw, loc }) => (typeof pos[0] === 'string'
      ? lib.obj('einops', [['kind', last.toLowerCase()], ['pattern', pos[0]], ['sizes', { kind: 'dict', map: new Map(kw) } as DictValue]], loc)
      : NOT_MINE),
  },
];

export const OBJ_CALLS: ObjCallTable = {
  einops: (lib, m, pos, _kw, loc) => {
    const sizes = m.attrs.get('sizes');
    return einops(lib, String(m.attrs.get('kind')), [pos[0] ?? UNKNOWN, m.attrs.get('pattern') ?? UNKNOWN], new Map(isKind(sizes, 'dict') ? [...sizes.map].map(([k, v]) => [String(k), v]) : []), loc);
  },
};

/** einops.rearrange with a pattern: shape only (a copy when the layout changes). */
export function einops(lib: Library, kind: string, pos: Value[], kw: Map<string, Value>, loc?: Loc): Value {
  const t = isKind(pos[0], 'param') ? lib.paramTensor(pos[0]) : pos[0];
  const pattern = pos[1];
  if (!isTensorV(t) || typeof pattern !== 'string') return unknown('einops');
  const [lhs, rhs] = pattern.split('->').map((s) => s.trim());
  if (!lhs || !rhs) return unknown('einops pattern');
  const groups = (s: string) => s.match(/\([^)]*\)|\S+/g) ?? [];
  const sizes = new Map<string, number>();
  for (const [k, v] of kw) if (isNum(v)) sizes.set(k, v);
  const lg = groups(lhs);
  lg.forEach((g, i) => {
    const dim = t.shape[i];
    if (g.startsWith('(')) {
      const names = g.slice(1, -1).trim().split(/\s+/);
      const known = names.filter((n) => sizes.has(n)).reduce((a, n) => a * (sizes.get(n) as number), 1);
      const unknownNames = names.filter((n) => !sizes.has(n));
      if (unknownNames.length === 1) sizes.set(unknownNames[0], dim / known);
    } else if (/^\d+$/.test(g)) {
      // literal 1
    } else sizes.set(g, dim);
  });
  const out = groups(rhs).map((g) => {
    if (g.startsWith('(')) return g.slice(1, -1).trim().split(/\s+/).reduce((a, n) => a * (/^\d+$/.test(n) ? Number(n) : sizes.get(n) ?? NaN), 1);
    if (/^\d+$/.test(g)) return Number(g);
    return sizes.get(g) ?? NaN;
  });
  if (out.some((x) => !Number.isFinite(x))) return unknown('einops pattern');
  if (kind === 'reduce') lib.record([{ kind: 'reduce', opClass: 'reduction', outputShape: out, params: 0, forwardFlops: prod(t.shape), backwardFlops: prod(t.shape), bytesRead: prod(t.shape) * DTYPE_BYTES[t.dtype ?? 'fp32'], bytesWritten: prod(out) * DTYPE_BYTES[t.dtype ?? 'fp32'], savedBytes: 0 }], 'einops.reduce', loc, { dtype: t.dtype ?? lib.ctx().dtype });
  return tensor(out, t.dtype, t.guessed);
}

/** The broadcast shape of a numpy ufunc's array arguments (numbers broadcast as scalars). */
function broadcastOf(pos: Value[]): Value {
  const ts = pos.filter(isTensorV);
  const rank = Math.max(...ts.map((t) => t.shape.length));
  const out: number[] = [];
  for (let i = 1; i <= rank; i++) {
    const ds = ts.map((t) => t.shape[t.shape.length - i] ?? 1).filter((d) => d !== 1);
    if (new Set(ds).size > 1) return unknown('numpy arrays of shapes that do not broadcast');
    out.unshift(ds[0] ?? 1);
  }
  return tensor(out, ts[0].dtype, ts.some((t) => t.guessed));
}

/** A numpy element type (`np.float32`, `'int64'`) as torch's, for the torch constructor that stands in. */
function npDtype(v: Value | undefined): Value | undefined {
  const name = isKind(v, 'ext') ? /^(?:numpy|np)\.(\w+)$/.exec(v.path)?.[1] : typeof v === 'string' ? v : undefined;
  const torchName = name && /^(float(16|32|64)|int(8|16|32|64)|uint8|bool)$/.test(name) ? name : undefined;
  return torchName ? { kind: 'ext', path: `torch.${torchName}` } : undefined;
}
function npDtypeKw(kw: Map<string, Value>): Map<string, Value> {
  const d = npDtype(kw.get('dtype'));
  return new Map(d ? [['dtype', d]] : []);
}

function gcd(a: number, b: number): number { return b ? gcd(b, a % b) : Math.abs(a); }
