/**
 * Numbers and tensor layouts outside torch: `math` / `numpy` scalars (sizes computed in configs) and einops
 * (rearrange/reduce/repeat and the Rearrange/Reduce layers), by shape.
 */
import type { Loc } from '../../types';
import { DTYPE_BYTES } from '../../types';
import { prod } from '../../ops/primitives';
import { UNKNOWN, unknown, isKind, isNum, isTensorV, tensor } from '../values';
import type { Value, DictValue } from '../values';
import { NOT_MINE } from './dispatch';
import type { ObjCallTable, Route } from './dispatch';
import type { Library } from './library';

const MATH = /^(?:math|numpy|np)\.(sqrt|ceil|floor|log|log2|log10|exp|prod|pow|isqrt|gcd|lcm|sin|cos|tanh|fabs|trunc|inf|pi|e)$/;

/** `math.pi`, `np.e`, `math.tau` read as attributes: numbers, not references (`math.sqrt(2 / math.pi) * x`). */
const CONSTANTS: Record<string, number> = { pi: Math.PI, e: Math.E, tau: 2 * Math.PI };
export function mathConstant(path: string): number | undefined {
  const m = /^(?:math|numpy|np)\.(pi|e|tau)$/.exec(path);
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
      const r = f[MATH.exec(p)![1]]?.();
      return r === undefined || Number.isNaN(r) ? UNKNOWN : r;
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

function gcd(a: number, b: number): number { return b ? gcd(b, a % b) : Math.abs(a); }
