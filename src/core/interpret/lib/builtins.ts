/**
 * Python itself: builtins (`range`, `len`, `zip`, `isinstance`…), iteration and unpacking of every value
 * kind, methods of strings, dicts and lists, imported module objects, and the standard library functions
 * scripts call around the model (os, tqdm, itertools, functools, copy…).
 */
import type { Loc } from '../../types';
import { noteAppend } from '../fillGates';
import { UNKNOWN, unknown, dictKey, isObj, isKind, isSeq, isUnknown, isNum, isTensorV, isModuleValue, truthy, rangeLen, tuple, list, tensor } from '../values';
import type { Value, ObjValue, ListValue, DictValue, Scope, SliceValue } from '../values';
import type { MethodTable, Route } from './dispatch';
import type { Library } from './library';
import { fmt } from './util';
import { maxOf, minOf } from '../../arrays';
import { isUnsized } from '../unsized';
import { catalogTextLines } from './catalogTexts';
import { DISTINCT_DATA } from '../dataDefaults';
import { pyStr } from '../fstrings';
import { spaceInstance } from './rl';
import { copyListing, extendListing, listingIter, statedLength } from './folders';
import { configFileText, namespaceDict } from './configFiles';
import { dataIter, dataJoin, dataLines, dataSet, dataText, dataTextLen } from './dataFiles';
import { textFileAbsent, textFileFirstLine, textFileLines, textFileText } from './textFiles';
import { pyStrMethod } from './strings';
import { linkedLen } from './datasetLink';
import { seenLength } from '../savedOutputs';
import { dataDimSize } from './unknownIndex';

export interface IterResult {
  items?: Value[];
  trips?: number;
  elem?: Value;
  label?: string;
  tripSource?: { note: string; loc?: Loc };
  /**
   * A DataLoader's batches: the samples of all of them and the batch (unsized.ts: what they append concatenates to the
   * total); a catalog corpus's lines: its tokens, batch 0 (pieces of any size).
   */
  rows?: { total: number; batch: number };
}

/** A path argument as text when every part is known (`os.path.join(root, 'train')`). */
const pathText = (v: Value | undefined): string | undefined => (typeof v === 'string' ? v : undefined);

/** The shared notice for a file FlopLens does not read: what the script gets instead. */
function fileNotice(lib: Library, what: string, loc?: Loc): void {
  lib.cx.problem('info', 'data-file', `${what}: FlopLens never reads the script's files or environment; values taken from it are unknown unless the script gives a default, which is used.`, loc);
}

/**
 * Files, paths and the environment (the core does no I/O): path arithmetic on known strings is done; a path is
 * taken not to exist (so the script's own fallback branch, `else: vocab_size = 50304`, gives the value, said);
 * `open()` is a file whose contents are unknown; `pickle.load` / `json.load` give a mapping whose `.get(k, default)`
 * is the default the script provides.
 */
const FILE_ROUTES: Route[] = [
  {
    exact: ['os.path.join'],
    handler: (_lib, { pos }) => {
      const parts = pos.map(pathText);
      if (!parts.length || parts.some((x) => x === undefined)) return unknown('path');
      return (parts as string[]).reduce((a, b) => (b.startsWith('/') ? b : a === '' || a.endsWith('/') ? a + b : `${a}/${b}`), '');
    },
  },
  { exact: ['os.path.basename'], handler: (_lib, { pos }) => { const s = pathText(pos[0]); return s === undefined ? unknown('path') : s.slice(s.lastIndexOf('/') + 1); } },
  { exact: ['os.path.dirname'], handler: (_lib, { pos }) => { const s = pathText(pos[0]); return s === undefined ? unknown('path') : s.slice(0, Math.max(0, s.lastIndexOf('/'))); } },
  { exact: ['os.path.expanduser', 'os.path.abspath', 'os.path.normpath', 'os.path.realpath', 'os.path.expandvars'], handler: (_lib, { pos }) => pathText(pos[0]) ?? unknown('path') },
  {
    exact: ['os.path.splitext'],
    handler: (_lib, { pos }) => {
      const s = pathText(pos[0]);
      if (s === undefined) return tuple([unknown('path'), unknown('path')]);
      const dot = s.lastIndexOf('.');
      return dot > s.lastIndexOf('/') + 1 ? tuple([s.slice(0, dot), s.slice(dot)]) : tuple([s, '']);
    },
  },
  {
    exact: ['os.path.exists', 'os.path.isfile', 'os.path.isdir', 'os.path.lexists'],
    handler: (lib, { path: p, pos, loc }) => {
      lib.cx.problem('info', 'data-file', `${p}(${pathText(pos[0]) !== undefined ? `'${pathText(pos[0])}'` : '…'}): FlopLens reads no files, so the path is taken not to exist and the script's branch for a missing file gives the values.`, loc);
      return false;
    },
  },
  {
    exact: ['open', 'io.open', 'builtins.open'],
    handler: (lib, { pos, kw, loc }) => lib.obj('file', [['path', pos[0] ?? kw.get('file') ?? UNKNOWN]], loc),
  },
  {
    exact: ['pickle.load', 'json.load', 'tomllib.load', 'toml.load'],
    handler: (lib, { path: p, pos, loc }) => {
      const src = pos[0];
      const file = isKind(src, 'obj') && src.type === 'file' ? pathText(src.attrs.get('path')) : undefined;
      fileNotice(lib, `${p}(${file ? `'${file}'` : '…'})`, loc);
      return lib.obj('filedata', [['source', `${p}(${file ?? '…'})`]], loc);
    },
  },
];

export const STDLIB_ROUTES: Route[] = [
  ...FILE_ROUTES,
  {
    pattern: /^(os\.environ\.get|os\.getenv|os\.path\.\w+|os\.makedirs|os\.listdir|glob\.glob|json\.load|yaml\.safe_load|pickle\.load|numpy\.load|np\.load|random\.\w+|time\.\w+|wandb\.\w+|logging\.\w+|sys\.exit|warnings\.\w+)$/,
    // An environment variable is taken to be unset: the script's own default, None when it gives none (an explicit
    // None default is a value, so `os.environ.get("TESTING", None) == "1"` is False, not unknown).
    handler: (_lib, { path: p, pos, kw }) => (p === 'os.environ.get' || p === 'os.getenv' ? (pos.length > 1 ? pos[1] : kw.get('default') ?? null) : unknown(p)),
  },
  { exact: ['tqdm.tqdm', 'tqdm.auto.tqdm', 'tqdm.notebook.tqdm', 'tqdm.autonotebook.tqdm', 'tqdm.std.tqdm', 'tqdm'], handler: (_lib, { pos }) => pos[0] ?? UNKNOWN },
  { exact: ['tqdm.trange', 'tqdm.auto.trange', 'tqdm.notebook.trange', 'tqdm.autonotebook.trange', 'tqdm.std.trange'], handler: (lib, { pos, kw, loc }) => lib.callExternal('range', pos, kw, loc) },
  { exact: ['range'], handler: (_lib, { pos }) => (isNum(pos[0]) ? { kind: 'range', start: 0, stop: pos[0], step: 1 } : UNKNOWN) },
  // collections.OrderedDict is a dict (insertion order is every dict's since Python 3.7): nn.Sequential(OrderedDict([...])).
  { exact: ['collections.OrderedDict'], handler: (lib, { pos, kw, loc }) => dictOf(lib, pos, kw, loc) },
  { exact: ['itertools.count'], handler: () => ({ kind: 'obj', type: 'lazyiter', attrs: new Map<string, Value>([['elem', 0], ['trips', UNKNOWN], ['label', 'itertools.count()']]), id: 0 }) },
  // An endless loader (`itertools.cycle(loader)`, `repeat(x)`): its item, no end of its own; islice gives it one.
  { exact: ['itertools.cycle'], handler: (lib, { pos }) => lazy(lib, { ...iterate(lib, pos[0]), trips: undefined, label: 'itertools.cycle()' }, firstOf(lib, pos[0])) },
  { exact: ['itertools.repeat'], handler: (lib, { pos }) => lazy(lib, { trips: isNum(pos[1]) ? pos[1] : undefined, label: 'itertools.repeat()' }, () => pos[0] ?? UNKNOWN) },
  {
    exact: ['itertools.islice'],
    handler: (lib, { pos }) => {
      const r = iterate(lib, pos[0]);
      const [lo, hi] = pos.length > 2 ? [isNum(pos[1]) ? pos[1] : 0, pos[2]] : [0, pos[1]];
      const n = isNum(hi) ? Math.max(0, hi - lo) : r.items ? r.items.length : r.trips;
      if (r.items) return list(sliceItems(r.items, { kind: 'slice', lo, hi: isNum(hi) ? hi : undefined }));
      return lazy(lib, { ...r, trips: r.trips === undefined ? n : n === undefined ? r.trips : Math.min(n, r.trips), label: 'itertools.islice()' }, firstOf(lib, pos[0]));
    },
  },
  {
    exact: ['functools.partial'],
    handler: (lib, { pos, kw, loc }) => {
      const fn = pos[0];
      const bound = pos.slice(1);
      return { kind: 'builtin', name: 'partial', fn: (a, k) => lib.cx.call(fn ?? UNKNOWN, [...bound, ...a], new Map([...kw, ...k]), loc) };
    },
  },
  // A copy of a catalog model is a model of its own (surgery on it leaves the original); other values stay themselves.
  { exact: ['copy.deepcopy', 'copy.copy'], handler: (lib, { pos }) => (isKind(pos[0], 'obj') ? lib.zoo.copyOf(pos[0]) : undefined) ?? pos[0] ?? UNKNOWN },
];

export const METHODS: MethodTable = {
  /** A file the script opens: its text and lines are data; `with open(…) as f` gives the file. */
  file: (lib, self, name) => {
    const p = pathText(self.attrs.get('path')) ?? '…';
    if (name === '__enter__' || name === '__exit__' || name === 'close') return name === '__enter__' ? self : null;
    if (name === 'read') return configFileText(lib, self) ?? textFileText(lib, self) ?? dataText(lib, self) ?? textFileAbsent(lib, self, 'text') ?? unknown(`text of ${p}`);
    if (name === 'readline') return textFileFirstLine(lib, self) ?? textFileAbsent(lib, self, 'text') ?? unknown(`text of ${p}`);
    if (name === 'readlines') return textFileLines(lib, self) ?? dataLines(lib, self) ?? textFileAbsent(lib, self, 'lines') ?? unknown(`lines of ${p}`);
    return unknown(`${p}.${name}()`);
  },
  /** What `pickle.load` / `json.load` return: a mapping of unknown entries; `.get(k, default)` is the script's default. */
  filedata: (_lib, self, name, pos) => (name === 'get' && pos.length > 1 ? pos[1] : unknown(`${String(self.attrs.get('source'))}.${name}()`)),
  /** A function of an imported local module (`utils.build_model(cfg)`). */
  module: (lib, self, name, pos, kw, loc) => {
    const f = self.attrs.get(name);
    return f !== undefined ? lib.cx.call(f, pos, kw, loc, name) : unknown(name);
  },
};

/** Methods of a Python string (`'a,b'.split(',')`, `sep.join(parts)`). */
export function strMethod(lib: Library, self: string, name: string, pos: Value[], loc?: Loc): Value {
  const py = pyStrMethod(lib, self, name, pos, loc); // Python's rules for strip/split/startswith… (strings.ts)
  if (py !== undefined) return py;
  switch (name) {
    case 'format': return unknown('formatted string');
    // split/strip/startswith/endswith are pyStrMethod's; it leaves them here only when an argument is not known.
    case 'lower': return self.toLowerCase();
    case 'upper': return self.toUpperCase();
    case 'replace': {
      if (typeof pos[0] !== 'string' || typeof pos[1] !== 'string') return UNKNOWN;
      const parts = self.split(pos[0]);
      return lib.cx.grow(self.length + (parts.length - 1) * (pos[1].length - pos[0].length), 'str.replace()', loc, true) ? parts.join(pos[1]) : unknown('string too long');
    }
    case 'join': {
      const joined = dataJoin(lib, self, pos[0], loc); // ''.join(text.splitlines()) of a data file
      if (joined) return joined;
      const it = iterate(lib, pos[0]).items;
      if (!it || !it.every((x) => typeof x === 'string')) return unknown('joined string');
      const size = (it as string[]).reduce((n, x) => n + x.length, Math.max(0, it.length - 1) * self.length);
      return lib.cx.grow(size, 'str.join()', loc, true) ? (it as string[]).join(self) : unknown('string too long');
    }
    default: return unknown(`str.${name}`);
  }
}

/** Methods of a dict (`get`, `items`, `update`…): growth is checked against the allocation budget. */
export function dictMethod(lib: Library, self: DictValue, name: string, pos: Value[], kw: Map<string, Value>, loc?: Loc): Value {
  if (name === 'get') { const k = dictKey(pos[0] ?? null); return k !== undefined && self.map.has(k) ? (self.map.get(k) as Value) : pos[1] ?? null; }
  if ((name === 'items' || name === 'keys' || name === 'values' || name === 'copy') && !lib.cx.grow(self.map.size * (name === 'items' ? 3 : 1), `dict.${name}()`, loc)) return unknown(`dict.${name}() too large`);
  if (name === 'items') return list([...self.map.entries()].map(([k, v]) => tuple([k as Value, v])));
  if (name === 'keys') return list([...self.map.keys()] as Value[]);
  if (name === 'values') return list([...self.map.values()]);
  if (name === 'update') {
    const o = pos[0];
    if (!lib.cx.grow(self.map.size + (isKind(o, 'dict') ? o.map.size : 0) + kw.size, 'dict.update()', loc)) {
      // The dict is no longer known: its entries are dropped rather than kept half-updated.
      self.map.clear();
      return null;
    }
    if (isKind(o, 'dict')) for (const [k, v] of o.map) self.map.set(k, v);
    for (const [k, v] of kw) self.map.set(k, v);
    return null;
  }
  if (name === 'pop') { const k = dictKey(pos[0] ?? null); const v = k !== undefined ? self.map.get(k) : undefined; if (k !== undefined) self.map.delete(k); return v ?? pos[1] ?? UNKNOWN; }
  if (name === 'setdefault') { const k = dictKey(pos[0] ?? null); if (k === undefined) return UNKNOWN; if (!self.map.has(k)) self.map.set(k, pos[1] ?? null); return self.map.get(k) as Value; }
  if (name === 'copy') return { kind: 'dict', map: new Map(self.map) };
  return UNKNOWN;
}

/** Methods of a list or tuple (`append`, `extend`…): growth is checked against the allocation budget. */
export function seqMethod(lib: Library, self: ListValue, name: string, pos: Value[], loc?: Loc): Value {
  if (name === 'append' || name === 'insert') {
    if (lib.cx.grow(self.items.length + 1, `${self.kind}.${name}()`, loc, false, 1)) {
      if (name === 'append') { self.items.push(pos[0] ?? UNKNOWN); if (self.kind === 'list') noteAppend(lib.cx.recorder.ctx, self); }
      else if (isNum(pos[0])) self.items.splice(pos[0], 0, pos[1] ?? UNKNOWN);
    }
    return null;
  }
  if (name === 'extend') {
    const more = iterate(lib, pos[0]).items ?? [];
    const n = more.length;
    if (extendListing(self, pos[0], n)) return null;
    // A loop over a snapshot of the length, not push(...more): `x.extend(x)` and long arrays stay finite.
    if (lib.cx.grow(self.items.length + n, `${self.kind}.extend()`, loc, false, n)) for (let i = 0; i < n; i++) self.items.push(more[i]);
    return null;
  }
  if (name === 'pop') return (isNum(pos[0]) ? self.items.splice(pos[0], 1)[0] : self.items.pop()) ?? UNKNOWN;
  // In place, as Python's list.reverse(): a VAE's decoder built after `hidden_dims.reverse()` sees the reversed sizes.
  if (name === 'reverse' && self.kind === 'list') { self.items.reverse(); return null; }
  if (name === 'index') return self.items.indexOf(pos[0] ?? UNKNOWN);
  if (name === 'count') return self.items.filter((x) => x === pos[0]).length;
  if (name === 'copy') return list([...self.items]);
  return UNKNOWN;
}

/** The Python builtins the evaluator implements, installed in the outermost scope. */
/**
 * `dict(mapping)`, `dict([(k, v), ...])` (any iterable of pairs), `dict(**kw)`: a new dict. Unknown when the pairs are
 * not known one by one (an iterable of unknown length, an item that is not a pair).
 */
function dictOf(lib: Library, a: Value[], kw: Map<string, Value>, loc?: Loc): Value {
  const d: DictValue = { kind: 'dict', map: new Map() };
  const src = a[0];
  let pairs: [Value, Value][] = [];
  if (isKind(src, 'dict')) pairs = [...src.map];
  else if (src !== undefined) {
    const items = iterate(lib, src).items;
    if (!items || !items.every((kv) => isSeq(kv) && kv.items.length === 2)) return unknown('dict() of pairs FlopLens cannot list');
    pairs = items.map((kv) => [(kv as ListValue).items[0], (kv as ListValue).items[1]]);
  }
  if (!lib.cx.grow(pairs.length + kw.size, 'dict()', loc)) return unknown('dict too large');
  for (const [k, v] of pairs) {
    const key = isKind(src, 'dict') ? (k as string) : dictKey(k);
    if (key === undefined) return unknown('dict() with keys FlopLens cannot compare');
    d.map.set(key, v);
  }
  for (const [k, v] of kw) d.map.set(k, v);
  return d;
}

export function installBuiltins(lib: Library, scope: Scope): void {
  const b = (name: string, fn: (a: Value[], kw: Map<string, Value>, loc?: Loc) => Value) => scope.set(name, { kind: 'builtin', name, fn });
  const nums = (a: Value[]) => a.every(isNum);
  b('range', (a) => {
    if (!nums(a) || a.length === 0) return unknown('range of unknown bounds');
    // Python's range takes ints only: `range(1e308)`, `range(2**64 * 1.0)`, `range(nan)` are not loop counts.
    if (!a.every((x) => Number.isSafeInteger(x))) return unknown('range of non-integer bounds');
    const [start, stop, step] = a.length === 1 ? [0, a[0] as number, 1] : [a[0] as number, a[1] as number, (a[2] as number) ?? 1];
    return { kind: 'range', start, stop, step: step || 1 };
  });
  b('len', (a) => len(lib, a[0]));
  b('int', (a) => (isNum(a[0]) ? Math.trunc(a[0]) : typeof a[0] === 'string' && /^\s*-?\d+\s*$/.test(a[0]) ? parseInt(a[0], 10) : typeof a[0] === 'boolean' ? Number(a[0]) : a.length === 0 ? 0 : unknown('int()')));
  b('float', (a) => (isNum(a[0]) ? a[0] : typeof a[0] === 'string' && /^\s*[+-]?inf(inity)?\s*$/i.test(a[0]) ? (a[0].includes('-') ? -Infinity : Infinity) : typeof a[0] === 'string' && !isNaN(Number(a[0])) ? Number(a[0]) : typeof a[0] === 'boolean' ? Number(a[0]) : a.length === 0 ? 0 : unknown('float()')));
  b('bool', (a) => { const t = truthy(a[0] ?? false); return t === undefined ? UNKNOWN : t; });
  b('str', (a) => pyStr(a[0]) ?? unknown('str()'));
  b('abs', (a) => (isNum(a[0]) ? Math.abs(a[0]) : UNKNOWN));
  b('round', (a) => (isNum(a[0]) ? (isNum(a[1]) ? Number(a[0].toFixed(a[1])) : Math.round(a[0])) : UNKNOWN));
  b('divmod', (a) => (nums(a) ? tuple([Math.floor((a[0] as number) / (a[1] as number)), (a[0] as number) % (a[1] as number)]) : UNKNOWN));
  b('pow', (a) => (nums(a) ? Math.pow(a[0] as number, a[1] as number) : UNKNOWN));
  const minmax = (isMax: boolean) => (a: Value[]) => {
    const vals = a.length === 1 ? iterate(lib, a[0]).items ?? [] : a;
    if (vals.length === 0 || !vals.every(isNum)) return UNKNOWN;
    return isMax ? maxOf(vals as number[]) : minOf(vals as number[]);
  };
  b('max', minmax(true));
  b('min', minmax(false));
  b('sum', (a) => {
    const vals = iterate(lib, a[0]).items;
    if (!vals) return UNKNOWN;
    if (vals.every(isNum)) return (vals as number[]).reduce((x, y) => x + y, isNum(a[1]) ? a[1] : 0);
    let acc: Value = isNum(a[1]) ? a[1] : 0;
    for (const v of vals) acc = lib.cx.binop('+', acc, v);
    return acc;
  });
  const seqOf = (kind: 'list' | 'tuple', a: Value[], f: (xs: Value[]) => Value[] = (xs) => xs.slice()): Value => {
    if (a.length === 0) return { kind, items: [] };
    if (isDistinctData(a[0])) return a[0]; // tuple(set(text)), sorted(set(text)): still the distinct items of data
    // list(model.parameters()) stays the parameter set (its length is unknown; freezing through it still works).
    if (isKind(a[0], 'obj') && a[0].type === 'paramset') return a[0];
    const listed = copyListing(kind, a[0]); // sorted(glob(…)) of a dataset folder keeps its stated count
    if (listed) return listed;
    const r = iterate(lib, a[0]);
    return r.items ? lib.cx.seqOf(kind, f(r.items), `${kind}()`) : unknown(`${kind} of an unknown iterable`);
  };
  b('list', (a) => seqOf('list', a));
  b('tuple', (a) => seqOf('tuple', a));
  b('set', (a) => (isUnknown(a[0]) ? unknown(DISTINCT_DATA) : dataSet(lib, a[0]) ?? seqOf('list', a, (xs) => (xs.every((x) => !isObj(x)) ? [...new Set(xs)] : xs))));
  b('sorted', (a) => seqOf('list', a, (xs) => (xs.every(isNum) ? [...(xs as number[])].sort((x, y) => x - y) : xs.every((x) => typeof x === 'string') ? [...(xs as string[])].sort() : xs)));
  b('reversed', (a) => seqOf('list', a, (xs) => xs.slice().reverse()));
  b('iter', (a) => a[0] ?? UNKNOWN);
  b('next', (a) => {
    const r = iterate(lib, a[0]);
    return r.items ? (r.items[0] ?? UNKNOWN) : (r.elem ?? UNKNOWN);
  });
  b('dict', (a, kw, loc) => dictOf(lib, a, kw, loc));
  b('enumerate', (a, kw, loc) => {
    const start = isNum(a[1]) ? a[1] : isNum(kw.get('start')) ? (kw.get('start') as number) : 0;
    const r = iterate(lib, a[0]);
    if (r.items) return lib.cx.grow(r.items.length * 3, 'enumerate()', loc) ? list(r.items.map((x, i) => tuple([i + start, x]))) : unknown('enumerate() too large');
    return lazy(lib, r, (x) => tuple([start, x]));
  });
  b('zip', (a, _kw, loc) => {
    const rs = a.map((x) => iterate(lib, x));
    if (rs.every((r) => r.items)) {
      const n = rs.length ? minOf(rs.map((r) => r.items!.length)) : 0;
      if (!lib.cx.grow(n * (rs.length + 1), 'zip()', loc)) return unknown('zip() too large');
      return list(Array.from({ length: n }, (_, i) => tuple(rs.map((r) => r.items![i]))));
    }
    const lazyR = rs.find((r) => !r.items)!;
    const elem = tuple(rs.map((r) => (r.items ? r.items[0] ?? UNKNOWN : r.elem ?? UNKNOWN)));
    return lazy(lib, { ...lazyR, trips: minOf(rs.map((r) => (r.items ? r.items.length : r.trips ?? Infinity))) }, () => elem);
  });
  b('map', (a, _kw, loc) => {
    const r = iterate(lib, a[1]);
    if (!r.items) return UNKNOWN;
    if (!lib.cx.grow(r.items.length, 'map()', loc)) return unknown('map() too large');
    return list(r.items.map((x) => lib.cx.call(a[0], [x], new Map())));
  });
  b('filter', (a, _kw, loc) => lib.cx.seqOf('list', [...iterate(lib, a[1]).items ?? []], 'filter()', loc));
  b('any', (a) => { const r = iterate(lib, a[0]).items; if (!r) return UNKNOWN; const ts = r.map(truthy); return ts.some((t) => t === true) ? true : ts.every((t) => t === false) ? false : UNKNOWN; });
  b('all', (a) => { const r = iterate(lib, a[0]).items; if (!r) return UNKNOWN; const ts = r.map(truthy); return ts.every((t) => t === true) ? true : ts.some((t) => t === false) ? false : UNKNOWN; });
  b('isinstance', (a) => isInstance(lib, a[0], a[1]));
  b('hasattr', (a) => (typeof a[1] === 'string' ? !isUnknown(lib.getAttr(a[0], a[1])) : UNKNOWN));
  b('getattr', (a) => {
    if (typeof a[1] !== 'string') return a[2] ?? UNKNOWN;
    const v = lib.getAttr(a[0], a[1]);
    return isUnknown(v) && a.length > 2 ? a[2] : v;
  });
  b('setattr', (a) => { if (typeof a[1] === 'string') lib.setAttr(a[0], a[1], a[2] ?? UNKNOWN); return null; });
  b('print', () => null);
  b('type', (a) => (isKind(a[0], 'inst') ? a[0].cls : UNKNOWN));
  b('vars', (a) => {
    const d: DictValue = { kind: 'dict', map: new Map() };
    const o = a[0];
    if (isKind(o, 'obj') && o.type === 'namespace') return namespaceDict(o); // vars(args).update(cfg) updates args
    if (isKind(o, 'inst') || isKind(o, 'obj')) for (const [k, v] of o.attrs) d.map.set(k, v);
    return d;
  });
  b('open', (a, kw, loc) => lib.callExternal('open', a, kw, loc));
  b('input', () => unknown('user input'));
  b('id', () => UNKNOWN);
  b('hash', () => UNKNOWN);
  b('callable', () => true);
  b('ord', (a) => (typeof a[0] === 'string' ? a[0].charCodeAt(0) : UNKNOWN));
  b('chr', (a) => (isNum(a[0]) ? String.fromCharCode(a[0]) : UNKNOWN));
  b('exec', () => unknown('exec() is never run'));
  b('eval', () => unknown('eval() is never run'));
  b('__import__', (a) => (typeof a[0] === 'string' ? lib.extRef(a[0]) : UNKNOWN));
  scope.set('object', { kind: 'ext', path: 'builtins.object' });
  for (const n of ['Exception', 'ValueError', 'TypeError', 'RuntimeError', 'KeyError', 'ImportError', 'NotImplementedError', 'AssertionError', 'StopIteration', 'NotImplemented']) scope.set(n, { kind: 'ext', path: `builtins.${n}` });
  scope.set('__file__', unknown('__file__'));
}

/**
 * `set(text)` of data FlopLens does not read (a file's characters, a corpus's words): its distinct items, of unknown
 * number. `len()` of it is a vocabulary counted from data: the `vocab=` directive, else the stated data default.
 */
const isDistinctData = (v: Value | undefined): boolean => isKind(v, 'unknown') && v.why === DISTINCT_DATA;

export function len(lib: Library, v: Value | undefined): Value {
  if (v === undefined) return UNKNOWN;
  if (typeof v === 'string') return v.length;
  const seen = seenLength(v); if (seen !== undefined) return seen; // a notebook's saved output (savedOutputs.ts)
  if (isDistinctData(v)) return lib.cx.overrideScalar('vocab_size', v);
  if (!isObj(v)) return UNKNOWN;
  switch (v.kind) {
    case 'list': case 'tuple': return isUnsized(v) ? unknown('a list filled in a loop over data') : statedLength(v) ?? v.items.length;
    case 'dict': return v.map.size;
    case 'range': return rangeLen(v);
    case 'tensor': return dataDimSize(v, 0) ?? v.shape[0] ?? UNKNOWN;
    case 'container': return v.items.length;
    case 'obj': {
      if (v.type === 'dataset') return (v.attrs.get('size') as Value) ?? UNKNOWN;
      if (v.type === 'loader') return lib.loaderTrips(v) ?? UNKNOWN;
      if (v.type === 'tokenizer') return v.attrs.get('vocab') ?? UNKNOWN;
      return dataTextLen(lib, v) ?? UNKNOWN;
    }
    case 'inst': {
      const m = lib.cx.lookupClass(v.cls, '__len__');
      if (!m || !isKind(m.value, 'func')) return UNKNOWN;
      const n = lib.cx.callFunction({ ...m.value, self: v }, [], new Map());
      // A Dataset of the script's own counting files FlopLens cannot list, linked to a catalog dataset: its size.
      return isNum(n) ? n : linkedLen(lib, v) ?? n;
    }
    default: return UNKNOWN;
  }
}

function isInstance(lib: Library, v: Value, cls: Value): Value {
  const names = isSeq(cls) ? cls.items : [cls];
  for (const c of names) {
    if (isKind(c, 'builtin')) {
      const n = c.name;
      if ((n === 'int' && isNum(v) && Number.isInteger(v)) || (n === 'float' && isNum(v)) || (n === 'str' && typeof v === 'string') || (n === 'bool' && typeof v === 'boolean')) return true;
      if ((n === 'list' && isSeq(v) && v.kind === 'list') || (n === 'tuple' && isSeq(v) && v.kind === 'tuple') || (n === 'dict' && isKind(v, 'dict'))) return true;
      if (isUnknown(v)) return UNKNOWN;
      continue;
    }
    if (isKind(c, 'ext')) {
      const n = c.path.split('.').pop();
      if (n === 'int' || n === 'float') { if (isNum(v)) return true; continue; }
      if (n === 'str') { if (typeof v === 'string') return true; continue; }
      if (n === 'list' || n === 'tuple') { if (isSeq(v)) return true; continue; }
      if (n === 'dict') { if (isKind(v, 'dict')) return true; continue; }
      if (isKind(v, 'layer') && n === v.name) return true;
      if (c.path === 'torch.nn.Module' && isModuleValue(v)) return true;
      if (c.path === 'torch.Tensor' && isTensorV(v)) return true;
      if (spaceInstance(v, c.path)) return true;
    } else if (isKind(c, 'class') && isKind(v, 'inst')) {
      const seen = new Set<number>();
      const walk = (k: Value): boolean => isKind(k, 'class') && !seen.has(k.id) && (seen.add(k.id), k.id === c.id || k.bases.some(walk));
      if (walk(v.cls)) return true;
    }
  }
  if (isUnknown(v)) return UNKNOWN;
  return false;
}

// ------------------------------------------------------------ iteration

/** The first item of an iterable (its representative one when it is walked abstractly). */
const firstOf = (lib: Library, v: Value | undefined) => (): Value => {
  const r = iterate(lib, v);
  return r.items ? r.items[0] ?? UNKNOWN : r.elem ?? UNKNOWN;
};

function lazy(lib: Library, r: IterResult, f: (x: Value) => Value): ObjValue {
  return { kind: 'obj', type: 'lazyiter', attrs: new Map<string, Value>([['elem', f(r.elem ?? UNKNOWN)], ['trips', r.trips ?? UNKNOWN], ['label', r.label ?? 'iterable']]), id: 0, loc: r.tripSource?.loc };
}

export function iterate(lib: Library, v: Value | undefined, _loc?: Loc): IterResult {
  if (v === undefined) return { trips: undefined, elem: UNKNOWN };
  if (typeof v === 'string') return { items: [...v.slice(0, 4096)] };
  if (!isObj(v)) return { trips: undefined, elem: UNKNOWN };
  switch (v.kind) {
    // A list of data-many items (filled in a loop over data, a filter of a dataset): its one item, an unknown number of times.
    case 'list': case 'tuple': return listingIter(v) ?? (isUnsized(v) && v.items.length === 1 ? { trips: undefined, elem: v.items[0], label: 'a list of data' } : { items: v.items });
    case 'dict': return { items: [...v.map.keys()].map((k) => k as Value) };
    case 'range': {
      const n = rangeLen(v);
      if (n <= 100_000 && lib.cx.grow(n, 'range()', _loc)) return { items: Array.from({ length: n }, (_, i) => v.start + i * v.step), label: `range(${v.stop})` };
      return { trips: n, elem: v.start, label: `range(${v.stop})`, tripSource: { note: `range(${fmt(v.stop)})` } };
    }
    case 'container': return { items: v.type === 'ModuleDict' ? (v.keys ?? []) : v.items };
    case 'tensor': return { trips: v.shape[0], elem: v.shape.length > 1 ? tensor(v.shape.slice(1), v.dtype, v.guessed) : 0, label: 'tensor rows' };
    case 'obj': {
      if (v.type === 'lazyiter') {
        const trips = v.attrs.get('trips');
        const note = v.attrs.get('note');
        return { trips: isNum(trips) ? trips : undefined, elem: v.attrs.get('elem'), label: String(v.attrs.get('label') ?? 'iterable'), ...(typeof note === 'string' ? { tripSource: { note, loc: v.loc } } : {}) };
      }
      if (v.type === 'loader') return lib.iterateLoader(v);
      if (v.type === 'dataset') {
        const size = v.attrs.get('size');
        return { trips: isNum(size) ? size : undefined, elem: lib.sample(v, 0), label: `dataset ${v.attrs.get('name') ?? ''}` };
      }
      if (v.type === 'paramset') {
        const proxy: ObjValue = { kind: 'obj', type: 'paramproxy', attrs: new Map([['modules', v.attrs.get('modules') ?? list([])]]), id: 0 };
        return { trips: undefined, elem: v.attrs.get('named') === true ? tuple([unknown('parameter name'), proxy]) : proxy, label: 'parameters' };
      }
      if (v.type === 'datatext') { const d = dataIter(v); if (d) return d; }
      if (v.type === 'file') { const t = textFileLines(lib, v, _loc); if (t && isSeq(t)) return { items: t.items }; const d = catalogTextLines(lib, v, _loc); if (d) return d; textFileAbsent(lib, v, 'lines', _loc); } // a catalog corpus's training text (catalogTexts.ts)
      if (v.type === 'dict_items') return { items: v.attrs.get('items') && isSeq(v.attrs.get('items') as Value) ? (v.attrs.get('items') as ListValue).items : [] };
      return { trips: undefined, elem: UNKNOWN, label: v.type };
    }
    case 'inst': {
      if (v.attrs.has('__container_keys__')) return { items: lib.containerBase(v.cls) === 'ModuleDict' ? (iterate(lib, v.attrs.get('__container_keys__')).items ?? []) : lib.containerChildren(v) };
      // A class's own __iter__ (often a generator) or __next__ gives the item; __len__ the count when it has one.
      const m = lib.cx.lookupClass(v.cls, '__iter__');
      const n = len(lib, v);
      const withLen = (r: IterResult): IterResult => (isNum(n) && r.trips === undefined && !r.items ? { ...r, trips: n, tripSource: { note: `len(${v.cls.name})`, loc: r.tripSource?.loc } } : r);
      if (m && isKind(m.value, 'func')) {
        const it = lib.cx.callFunction({ ...m.value, self: v, owner: m.owner }, [], new Map());
        if (!isKind(it, 'inst')) return withLen({ ...iterate(lib, it), label: v.cls.name });
      }
      const next = lib.cx.lookupClass(v.cls, '__next__');
      if (next && isKind(next.value, 'func')) return withLen({ trips: undefined, elem: lib.cx.callFunction({ ...next.value, self: v, owner: next.owner }, [], new Map()), label: v.cls.name });
      return { trips: undefined, elem: UNKNOWN, label: v.cls.name };
    }
    default: return { trips: undefined, elem: UNKNOWN };
  }
}

export function unpack(lib: Library, v: Value, n: number, starIdx: number): Value[] {
  let items: Value[] | undefined;
  if (isSeq(v)) items = v.items;
  else if (isTensorV(v) && v.shape.length > 0 && v.shape[0] === n && starIdx < 0) items = Array.from({ length: n }, () => tensor(v.shape.slice(1), v.dtype, v.guessed));
  else if (isKind(v, 'dict')) items = [...v.map.keys()] as Value[];
  else items = iterate(lib, v).items;
  if (!items) return Array.from({ length: n }, () => UNKNOWN);
  if (starIdx < 0) return items;
  const after = n - starIdx - 1;
  return [...items.slice(0, starIdx), list(items.slice(starIdx, items.length - after)), ...items.slice(items.length - after)];
}

export function sliceItems<T>(items: T[], s: SliceValue): T[] {
  const n = items.length;
  const step = s.step ?? 1;
  // Bounds that are not known numbers (`xs[s:e]`, s from a file): the width the source states, else the whole list
  // as tensors do; never an empty list.
  if (Number.isNaN(s.lo) || Number.isNaN(s.hi)) return items.slice(0, s.width ?? n);
  let lo = s.lo ?? (step > 0 ? 0 : n - 1), hi = s.hi ?? (step > 0 ? n : -n - 1);
  if (lo < 0) lo += n; if (hi < 0) hi += n;
  const out: T[] = [];
  if (step > 0) for (let i = Math.max(0, lo); i < Math.min(n, hi); i += step) out.push(items[i]);
  else for (let i = Math.min(n - 1, lo); i > Math.max(-1, hi); i += step) out.push(items[i]);
  return out;
}
