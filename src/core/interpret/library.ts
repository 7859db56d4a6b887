/**
 * What the evaluator knows about Python builtins and the ML libraries scripts use: torch tensors and
 * layers (through the op table), data loaders and well-known datasets, optimizers, autocast and grad
 * modes, argparse and config objects, and model loaders (through the zoo bridge).
 */
import type { Dtype, Loc, Phase } from '../types';
import { DTYPE_BYTES } from '../types';
import type { Arg, CallContext, LayerDef, ModuleArg, TensorArg, OpOutcome } from '../ops/registry';
import { isOpError } from '../ops/registry';
import { parseJsonText, parseYamlText, type Plain } from './configText';
import type { Cost } from '../ops/primitives';
import { prod } from '../ops/primitives';
import { broadcastShapes } from '../ops/shapes';
import { LAYERS, FUNCTIONS, METHODS, bindArgs } from '../ops';
import { DATASETS, findDataset } from '../data/datasets';
import type { DatasetInfo } from '../data/datasets';
import type { EvalContext } from './context';
import {
  UNKNOWN, unknown, newMeta, dictKey, dtypeOf, isObj, isKind, isSeq, isUnknown, isNum, isTensorV, truthy, rangeLen, tuple, list, tensor, describe, isModuleValue,
} from './values';
import type {
  Value, ObjValue, LayerValue, ContainerValue, InstValue, ParamValue, ListValue, DictValue, Scope, ModuleMeta, ExtValue, RangeValue, SliceValue,
} from './values';
import { ZooBridge } from './zooBridge';
import type { CtxEntry } from './recorder';
import { maxOf, minOf, pushAll } from '../arrays';

export interface IterResult {
  items?: Value[];
  trips?: number;
  elem?: Value;
  label?: string;
  tripSource?: { note: string; loc?: Loc };
}

/** Names of library functions that return the model they are given (converted in place or layer for layer). */
const MODULE_PASSTHROUGH = /^(convert_sync_batchnorm|convert_frozen_batchnorm|fuse_modules|fuse_conv_bn_eval|prepare|prepare_qat|prepare_fx|convert|convert_fx|symbolic_trace|freeze|optimize_for_inference|script_if_tracing|replace_\w+|convert_\w+|wrap|auto_wrap|channels_last|to_channels_last)$/;
const MODULE_BASES = /^(torch\.nn\.Module|torch\.nn\.modules\.module\.Module|lightning\.(pytorch\.)?LightningModule|pytorch_lightning\.LightningModule|(lightning\.)?L\.LightningModule|transformers\.PreTrainedModel|transformers\.modeling_utils\.PreTrainedModel)$/;

/** JSON/YAML data as evaluator values: mappings become dicts (or attribute namespaces for OmegaConf), lists lists. */
function plainToValue(v: Plain, namespace?: () => ObjValue): Value {
  if (Array.isArray(v)) return { kind: 'list', items: v.map((x) => plainToValue(x, namespace)) };
  if (v !== null && typeof v === 'object') {
    const entries = Object.entries(v).map(([k, x]) => [k, plainToValue(x, namespace)] as [string, Value]);
    if (namespace) { const ns = namespace(); for (const [k, x] of entries) ns.attrs.set(k, x); return ns; }
    return { kind: 'dict', map: new Map(entries) };
  }
  return v;
}

export class Library {
  /** The bridge to the model zoo (from_pretrained, torchvision/timm, pipelines, generate, HF Trainer). */
  readonly zoo: ZooBridge;
  /** @deprecated the old name of `zoo`, kept while the analysis (src/core/analyze*) moves to it. */
  get catalog(): ZooBridge { return this.zoo; }
  /** Script-wide settings the evaluator discovers (TF32, devices, pin_memory...). */
  readonly flags: {
    allowTf32: boolean; device?: string; pinMemory?: boolean; compiled: boolean; ddp: boolean; gradCheckpointing: boolean;
    optimizers: ObjValue[]; loaders: ObjValue[]; datasets: ObjValue[]; trainers: ObjValue[]; evalCalled: boolean; modelDtypes: Dtype[];
    inputBytes: { bytes: number; ctx: CtxEntry[] }[];
    /** Raw tensors made to require gradients outside loops and modules (`W = torch.randn(..., requires_grad=True)`). */
    rawParams: TensorArg[];
    /** The script reads `.grad` (a hand-written update such as `p -= lr * p.grad`). */
    readsGrad?: boolean;
    checkpoints: { inputBytes: number; savedBytes: number; ctx: CtxEntry[] }[];
    /** Hugging Face Accelerate: gradient accumulation steps and mixed precision of `Accelerator(...)`. */
    accelerate?: { accum: number; dtype?: Dtype };
  } = { allowTf32: false, compiled: false, ddp: false, gradCheckpointing: false, optimizers: [], loaders: [], datasets: [], trainers: [], evalCalled: false, modelDtypes: [], inputBytes: [], checkpoints: [], rawParams: [] };
  /** Ops the table does not know, by name (never a silent zero). */
  readonly uncountedOps = new Map<string, { name: string; reason: string; loc?: Loc }>();
  /** Scalars assigned to names at module level that look like run parameters (`batch_size`, `block_size`). */
  readonly argparseDefaults = new Map<string, { value: Value; loc?: Loc }>();

  constructor(readonly cx: EvalContext) {
    this.zoo = new ZooBridge(cx, this);
  }

  extRef(path: string): ExtValue { return { kind: 'ext', path: canonical(path) }; }

  isModuleBase(v: Value): boolean {
    if (isKind(v, 'ext')) return MODULE_BASES.test(v.path) || /(^|\.)(Module|LightningModule|PreTrainedModel)$/.test(v.path) || this.containerBase(v) !== undefined;
    if (isKind(v, 'class')) return v.isModule;
    return false;
  }

  /** `class Block(nn.Sequential)`: the torch container a class (or a base of it) derives from. */
  containerBase(v: Value, depth = 0): 'Sequential' | 'ModuleList' | 'ModuleDict' | undefined {
    if (isKind(v, 'ext')) {
      const m = /^torch\.nn\.(?:modules\.container\.)?(Sequential|ModuleList|ModuleDict)$/.exec(v.path);
      return m ? (m[1] as 'Sequential' | 'ModuleList' | 'ModuleDict') : undefined;
    }
    if (isKind(v, 'class') && depth < 20) for (const b of v.bases) { const r = this.containerBase(b, depth + 1); if (r) return r; }
    return undefined;
  }

  /** Children of an instance of a container subclass, in registration order ('0', '1', … or the dict's keys). */
  containerChildren(m: InstValue): Value[] {
    const keys = m.attrs.get('__container_keys__');
    return isSeq(keys) ? keys.items.map((k) => m.attrs.get(String(k)) ?? UNKNOWN) : [];
  }

  uncounted(name: string, reason: string, loc?: Loc): void {
    const key = `${name}@${loc?.file ?? ''}:${loc?.line ?? 0}`;
    if (!this.uncountedOps.has(key) && this.uncountedOps.size < 200) this.uncountedOps.set(key, { name, reason, loc });
  }

  // ------------------------------------------------------------ builtins

  installBuiltins(scope: Scope): void {
    const b = (name: string, fn: (a: Value[], kw: Map<string, Value>, loc?: Loc) => Value) => scope.set(name, { kind: 'builtin', name, fn });
    const nums = (a: Value[]) => a.every(isNum);
    b('range', (a) => {
      if (!nums(a) || a.length === 0) return unknown('range of unknown bounds');
      // Python's range takes ints only: `range(1e308)`, `range(2**64 * 1.0)`, `range(nan)` are not loop counts.
      if (!a.every((x) => Number.isSafeInteger(x))) return unknown('range of non-integer bounds');
      const [start, stop, step] = a.length === 1 ? [0, a[0] as number, 1] : [a[0] as number, a[1] as number, (a[2] as number) ?? 1];
      return { kind: 'range', start, stop, step: step || 1 };
    });
    b('len', (a) => this.len(a[0]));
    b('int', (a) => (isNum(a[0]) ? Math.trunc(a[0]) : typeof a[0] === 'string' && /^\s*-?\d+\s*$/.test(a[0]) ? parseInt(a[0], 10) : typeof a[0] === 'boolean' ? Number(a[0]) : a.length === 0 ? 0 : unknown('int()')));
    b('float', (a) => (isNum(a[0]) ? a[0] : typeof a[0] === 'string' && /^\s*[+-]?inf(inity)?\s*$/i.test(a[0]) ? (a[0].includes('-') ? -Infinity : Infinity) : typeof a[0] === 'string' && !isNaN(Number(a[0])) ? Number(a[0]) : typeof a[0] === 'boolean' ? Number(a[0]) : a.length === 0 ? 0 : unknown('float()')));
    b('bool', (a) => { const t = truthy(a[0] ?? false); return t === undefined ? UNKNOWN : t; });
    b('str', (a) => (typeof a[0] === 'string' ? a[0] : isNum(a[0]) ? String(a[0]) : unknown('str()')));
    b('abs', (a) => (isNum(a[0]) ? Math.abs(a[0]) : UNKNOWN));
    b('round', (a) => (isNum(a[0]) ? (isNum(a[1]) ? Number(a[0].toFixed(a[1])) : Math.round(a[0])) : UNKNOWN));
    b('divmod', (a) => (nums(a) ? tuple([Math.floor((a[0] as number) / (a[1] as number)), (a[0] as number) % (a[1] as number)]) : UNKNOWN));
    b('pow', (a) => (nums(a) ? Math.pow(a[0] as number, a[1] as number) : UNKNOWN));
    const minmax = (isMax: boolean) => (a: Value[]) => {
      const vals = a.length === 1 ? this.iterate(a[0]).items ?? [] : a;
      if (vals.length === 0 || !vals.every(isNum)) return UNKNOWN;
      return isMax ? maxOf(vals as number[]) : minOf(vals as number[]);
    };
    b('max', minmax(true));
    b('min', minmax(false));
    b('sum', (a) => {
      const vals = this.iterate(a[0]).items;
      if (!vals) return UNKNOWN;
      if (vals.every(isNum)) return (vals as number[]).reduce((x, y) => x + y, isNum(a[1]) ? a[1] : 0);
      let acc: Value = isNum(a[1]) ? a[1] : 0;
      for (const v of vals) acc = this.cx.binop('+', acc, v);
      return acc;
    });
    const seqOf = (kind: 'list' | 'tuple', a: Value[], f: (xs: Value[]) => Value[] = (xs) => xs.slice()): Value => {
      if (a.length === 0) return { kind, items: [] };
      // list(model.parameters()) stays the parameter set (its length is unknown; freezing through it still works).
      if (isKind(a[0], 'obj') && a[0].type === 'paramset') return a[0];
      const r = this.iterate(a[0]);
      return r.items ? this.cx.seqOf(kind, f(r.items), `${kind}()`) : unknown(`${kind} of an unknown iterable`);
    };
    b('list', (a) => seqOf('list', a));
    b('tuple', (a) => seqOf('tuple', a));
    b('set', (a) => seqOf('list', a, (xs) => (xs.every((x) => !isObj(x)) ? [...new Set(xs)] : xs)));
    b('sorted', (a) => seqOf('list', a, (xs) => (xs.every(isNum) ? [...(xs as number[])].sort((x, y) => x - y) : xs.every((x) => typeof x === 'string') ? [...(xs as string[])].sort() : xs)));
    b('reversed', (a) => seqOf('list', a, (xs) => xs.slice().reverse()));
    b('iter', (a) => a[0] ?? UNKNOWN);
    b('next', (a) => {
      const r = this.iterate(a[0]);
      return r.items ? (r.items[0] ?? UNKNOWN) : (r.elem ?? UNKNOWN);
    });
    b('dict', (a, kw, loc) => {
      const d: DictValue = { kind: 'dict', map: new Map() };
      if (!this.cx.grow((isKind(a[0], 'dict') ? a[0].map.size : 0) + kw.size, 'dict()', loc)) return unknown('dict too large');
      if (isKind(a[0], 'dict')) for (const [k, v] of a[0].map) d.map.set(k, v);
      for (const [k, v] of kw) d.map.set(k, v);
      return d;
    });
    b('enumerate', (a, kw, loc) => {
      const start = isNum(a[1]) ? a[1] : isNum(kw.get('start')) ? (kw.get('start') as number) : 0;
      const r = this.iterate(a[0]);
      if (r.items) return this.cx.grow(r.items.length * 3, 'enumerate()', loc) ? list(r.items.map((x, i) => tuple([i + start, x]))) : unknown('enumerate() too large');
      return this.lazy(r, (x) => tuple([start, x]));
    });
    b('zip', (a, _kw, loc) => {
      const rs = a.map((x) => this.iterate(x));
      if (rs.every((r) => r.items)) {
        const n = rs.length ? minOf(rs.map((r) => r.items!.length)) : 0;
        if (!this.cx.grow(n * (rs.length + 1), 'zip()', loc)) return unknown('zip() too large');
        return list(Array.from({ length: n }, (_, i) => tuple(rs.map((r) => r.items![i]))));
      }
      const lazyR = rs.find((r) => !r.items)!;
      const elem = tuple(rs.map((r) => (r.items ? r.items[0] ?? UNKNOWN : r.elem ?? UNKNOWN)));
      return this.lazy({ ...lazyR, trips: minOf(rs.map((r) => (r.items ? r.items.length : r.trips ?? Infinity))) }, () => elem);
    });
    b('map', (a, _kw, loc) => {
      const r = this.iterate(a[1]);
      if (!r.items) return UNKNOWN;
      if (!this.cx.grow(r.items.length, 'map()', loc)) return unknown('map() too large');
      return list(r.items.map((x) => this.cx.call(a[0], [x], new Map())));
    });
    b('filter', (a, _kw, loc) => this.cx.seqOf('list', [...this.iterate(a[1]).items ?? []], 'filter()', loc));
    b('any', (a) => { const r = this.iterate(a[0]).items; if (!r) return UNKNOWN; const ts = r.map(truthy); return ts.some((t) => t === true) ? true : ts.every((t) => t === false) ? false : UNKNOWN; });
    b('all', (a) => { const r = this.iterate(a[0]).items; if (!r) return UNKNOWN; const ts = r.map(truthy); return ts.every((t) => t === true) ? true : ts.some((t) => t === false) ? false : UNKNOWN; });
    b('isinstance', (a) => this.isInstance(a[0], a[1]));
    b('hasattr', (a) => (typeof a[1] === 'string' ? !isUnknown(this.getAttr(a[0], a[1])) : UNKNOWN));
    b('getattr', (a) => {
      if (typeof a[1] !== 'string') return a[2] ?? UNKNOWN;
      const v = this.getAttr(a[0], a[1]);
      return isUnknown(v) && a.length > 2 ? a[2] : v;
    });
    b('setattr', (a) => { if (typeof a[1] === 'string') this.setAttr(a[0], a[1], a[2] ?? UNKNOWN); return null; });
    b('print', () => null);
    b('type', (a) => (isKind(a[0], 'inst') ? a[0].cls : UNKNOWN));
    b('vars', (a) => {
      const d: DictValue = { kind: 'dict', map: new Map() };
      const o = a[0];
      if (isKind(o, 'inst') || isKind(o, 'obj')) for (const [k, v] of o.attrs) d.map.set(k, v);
      return d;
    });
    b('open', () => unknown('file contents'));
    b('input', () => unknown('user input'));
    b('id', () => UNKNOWN);
    b('hash', () => UNKNOWN);
    b('callable', () => true);
    b('ord', (a) => (typeof a[0] === 'string' ? a[0].charCodeAt(0) : UNKNOWN));
    b('chr', (a) => (isNum(a[0]) ? String.fromCharCode(a[0]) : UNKNOWN));
    b('exec', () => unknown('exec() is never run'));
    b('eval', () => unknown('eval() is never run'));
    b('__import__', (a) => (typeof a[0] === 'string' ? this.extRef(a[0]) : UNKNOWN));
    scope.set('object', { kind: 'ext', path: 'builtins.object' });
    for (const n of ['Exception', 'ValueError', 'TypeError', 'RuntimeError', 'KeyError', 'ImportError', 'NotImplementedError', 'AssertionError', 'StopIteration', 'NotImplemented']) scope.set(n, { kind: 'ext', path: `builtins.${n}` });
    scope.set('__file__', unknown('__file__'));
  }

  len(v: Value | undefined): Value {
    if (v === undefined) return UNKNOWN;
    if (typeof v === 'string') return v.length;
    if (!isObj(v)) return UNKNOWN;
    switch (v.kind) {
      case 'list': case 'tuple': return v.items.length;
      case 'dict': return v.map.size;
      case 'range': return rangeLen(v);
      case 'tensor': return v.shape[0] ?? UNKNOWN;
      case 'container': return v.items.length;
      case 'obj': {
        if (v.type === 'dataset') return (v.attrs.get('size') as Value) ?? UNKNOWN;
        if (v.type === 'loader') return this.loaderTrips(v) ?? UNKNOWN;
        if (v.type === 'tokenizer') return v.attrs.get('vocab') ?? UNKNOWN;
        return UNKNOWN;
      }
      case 'inst': {
        const m = this.cx.lookupClass(v.cls, '__len__');
        if (m && isKind(m.value, 'func')) return this.cx.callFunction({ ...m.value, self: v }, [], new Map());
        return UNKNOWN;
      }
      default: return UNKNOWN;
    }
  }

  private isInstance(v: Value, cls: Value): Value {
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

  private lazy(r: IterResult, f: (x: Value) => Value): ObjValue {
    return { kind: 'obj', type: 'lazyiter', attrs: new Map<string, Value>([['elem', f(r.elem ?? UNKNOWN)], ['trips', r.trips ?? UNKNOWN], ['label', r.label ?? 'iterable']]), id: 0, loc: r.tripSource?.loc };
  }

  iterate(v: Value | undefined, _loc?: Loc): IterResult {
    if (v === undefined) return { trips: undefined, elem: UNKNOWN };
    if (typeof v === 'string') return { items: [...v.slice(0, 4096)] };
    if (!isObj(v)) return { trips: undefined, elem: UNKNOWN };
    switch (v.kind) {
      case 'list': case 'tuple': return { items: v.items };
      case 'dict': return { items: [...v.map.keys()].map((k) => k as Value) };
      case 'range': {
        const n = rangeLen(v);
        if (n <= 100_000 && this.cx.grow(n, 'range()', _loc)) return { items: Array.from({ length: n }, (_, i) => v.start + i * v.step), label: `range(${v.stop})` };
        return { trips: n, elem: v.start, label: `range(${v.stop})`, tripSource: { note: `range(${fmt(v.stop)})` } };
      }
      case 'container': return { items: v.type === 'ModuleDict' ? (v.keys ?? []) : v.items };
      case 'tensor': return { trips: v.shape[0], elem: v.shape.length > 1 ? tensor(v.shape.slice(1), v.dtype, v.guessed) : 0, label: 'tensor rows' };
      case 'obj': {
        if (v.type === 'lazyiter') {
          const trips = v.attrs.get('trips');
          return { trips: isNum(trips) ? trips : undefined, elem: v.attrs.get('elem'), label: String(v.attrs.get('label') ?? 'iterable') };
        }
        if (v.type === 'loader') return this.iterateLoader(v);
        if (v.type === 'dataset') {
          const size = v.attrs.get('size');
          return { trips: isNum(size) ? size : undefined, elem: this.sample(v, 0), label: `dataset ${v.attrs.get('name') ?? ''}` };
        }
        if (v.type === 'paramset') {
          const proxy: ObjValue = { kind: 'obj', type: 'paramproxy', attrs: new Map([['modules', v.attrs.get('modules') ?? list([])]]), id: 0 };
          return { trips: undefined, elem: v.attrs.get('named') === true ? tuple([unknown('parameter name'), proxy]) : proxy, label: 'parameters' };
        }
        if (v.type === 'dict_items') return { items: v.attrs.get('items') && isSeq(v.attrs.get('items') as Value) ? (v.attrs.get('items') as ListValue).items : [] };
        return { trips: undefined, elem: UNKNOWN, label: v.type };
      }
      case 'inst': {
        if (v.attrs.has('__container_keys__')) return { items: this.containerBase(v.cls) === 'ModuleDict' ? (this.iterate(v.attrs.get('__container_keys__')).items ?? []) : this.containerChildren(v) };
        const m = this.cx.lookupClass(v.cls, '__iter__');
        if (m) return { trips: undefined, elem: UNKNOWN, label: v.cls.name };
        return { trips: undefined, elem: UNKNOWN, label: v.cls.name };
      }
      default: return { trips: undefined, elem: UNKNOWN };
    }
  }

  unpack(v: Value, n: number, starIdx: number): Value[] {
    let items: Value[] | undefined;
    if (isSeq(v)) items = v.items;
    else if (isTensorV(v) && v.shape.length > 0 && v.shape[0] === n && starIdx < 0) items = Array.from({ length: n }, () => tensor(v.shape.slice(1), v.dtype, v.guessed));
    else if (isKind(v, 'dict')) items = [...v.map.keys()] as Value[];
    else items = this.iterate(v).items;
    if (!items) return Array.from({ length: n }, () => UNKNOWN);
    if (starIdx < 0) return items;
    const after = n - starIdx - 1;
    return [...items.slice(0, starIdx), list(items.slice(starIdx, items.length - after)), ...items.slice(items.length - after)];
  }

  // ------------------------------------------------------------ attributes

  getAttr(obj: Value, name: string, loc?: Loc): Value {
    if (!isObj(obj)) {
      if (typeof obj === 'string') return { kind: 'method', self: obj, name };
      if (typeof obj === 'number') return name === 'real' ? obj : { kind: 'method', self: obj, name };
      return unknown(`attribute '${name}' of ${describe(obj)}`);
    }
    // DataParallel/DDP/FSDP return the model they wrap; `wrapped.module` is that model.
    if (name === 'module' && this.wrapped.has(obj) && !(isKind(obj, 'inst') && obj.attrs.has('module'))) return obj;
    switch (obj.kind) {
      case 'ext': return this.extRef(`${obj.path}.${name}`);
      case 'tensor': return this.tensorAttr(obj, name, loc);
      case 'param': return this.tensorAttr(this.paramTensor(obj), name, loc);
      case 'inst': {
        if (obj.attrs.has(name)) return obj.attrs.get(name) as Value;
        const c = this.cx.lookupClass(obj.cls, name);
        if (c) {
          if (isKind(c.value, 'func')) {
            const fn = { ...c.value, self: obj as Value, owner: c.owner };
            if (c.value.decorators.some((d) => /property$/.test(d))) return this.cx.callFunction(fn, [], new Map(), loc);
            if (c.value.decorators.some((d) => /staticmethod$/.test(d))) return c.value;
            return fn;
          }
          return c.value;
        }
        if (obj.module) return this.moduleMethod(obj, name);
        return unknown(`'${obj.cls.name}.${name}'`);
      }
      case 'class': {
        const c = this.cx.lookupClass(obj, name);
        if (c) return c.value;
        return unknown(`'${obj.name}.${name}'`);
      }
      case 'layer': {
        const p = obj.module.params.find((x) => x.name === name);
        if (p) return p;
        if (name in obj.args) return toValue(obj.args[name]);
        if (name in obj.rawArgs) return obj.rawArgs[name];
        // Common derived attributes.
        if (name === 'in_features' || name === 'out_features' || name === 'embedding_dim' || name === 'num_embeddings') return toValue(obj.args[name]);
        return this.moduleMethod(obj, name);
      }
      case 'container': {
        if (obj.type === 'ModuleDict' && obj.keys) {
          const i = obj.keys.indexOf(name);
          if (i >= 0) return obj.items[i];
        }
        return this.moduleMethod(obj, name);
      }
      case 'obj': return this.objAttr(obj, name, loc);
      case 'dict': return { kind: 'method', self: obj, name };
      case 'list': case 'tuple':
        // Named tuples returned by topk/max/sort/min: (values, indices).
        if (name === 'values' && obj.items.length === 2 && isTensorV(obj.items[0])) return obj.items[0];
        if (name === 'indices' && obj.items.length === 2 && isTensorV(obj.items[1])) return obj.items[1];
        return { kind: 'method', self: obj, name };
      case 'func': return name === '__name__' ? obj.name : UNKNOWN;
      case 'unknown': return obj;
      default: return unknown(`attribute '${name}'`);
    }
  }

  private moduleMethod(obj: Value, name: string): Value {
    return { kind: 'method', self: obj, name };
  }

  private objAttr(obj: ObjValue, name: string, _loc?: Loc): Value {
    if (obj.attrs.has(name)) return obj.attrs.get(name) as Value;
    if (obj.type === 'super') return { kind: 'method', self: obj, name };
    // `for p in model.parameters(): p.data.add_(p.grad, alpha=-lr)`: a hand-written update reads .grad.
    if (obj.type === 'paramproxy' && name === 'grad') { this.flags.readsGrad = true; return unknown('parameter gradient'); }
    if (obj.type === 'namespace' || obj.type === 'module' || obj.type === 'config') return unknown(`attribute '${name}'`);
    if (obj.type === 'catalogModel' && name === 'config') return this.zoo.configObject(obj);
    if (obj.type === 'catalogModel') { const head = this.zoo.headOf(obj, name); if (head) return head; }
    return { kind: 'method', self: obj, name };
  }

  setAttr(obj: Value, name: string, v: Value, loc?: Loc): void {
    if (!isObj(obj)) return;
    switch (obj.kind) {
      case 'inst': {
        obj.attrs.set(name, v);
        if (obj.module && isKind(v, 'param')) obj.module.params.push({ ...v, name } as ParamValue);
        return;
      }
      case 'layer': {
        // Weight tying: `head.weight = emb.weight` shares one tensor; count it once.
        if (isKind(v, 'param')) {
          const i = obj.module.params.findIndex((p) => p.name === name);
          const shared = v as ParamValue;
          if (i >= 0) obj.module.params[i] = shared;
          else obj.module.params.push(shared);
        } else if (name === 'requires_grad' && v === false) obj.module.frozen = true;
        return;
      }
      case 'obj': {
        if (obj.type === 'paramproxy' && name === 'requires_grad') {
          const mods = obj.attrs.get('modules');
          if (isSeq(mods)) for (const m of mods.items) this.setFrozen(m, v === false);
          return;
        }
        if (obj.type === 'catalogModel' && this.zoo.replaceHead(obj, name, v, loc)) return;
        obj.attrs.set(name, v);
        return;
      }
      case 'param': {
        if (name === 'requires_grad') obj.trainable = v !== false;
        return;
      }
      case 'ext': {
        if (/allow_tf32$/.test(`${obj.path}.${name}`) && v === true) this.flags.allowTf32 = true;
        return;
      }
      default: return;
    }
    void loc;
  }

  setFrozen(m: Value, frozen: boolean): void {
    if (isKind(m, 'obj') && m.type === 'catalogModel') { this.zoo.setFrozen(m, frozen); return; }
    this.walkModules(m, (x) => {
      if (x.module) x.module.frozen = frozen;
      for (const p of x.module?.params ?? []) p.trainable = !frozen;
    });
  }

  /** Visit a module and all registered submodules (depth-first, each once). */
  walkModules(root: Value, visit: (m: InstValue | LayerValue | ContainerValue | ObjValue, path: string[]) => void): void {
    const seen = new Set<number>();
    const walk = (v: Value, path: string[]) => {
      if (!isModuleValue(v) || seen.has(v.id)) return;
      seen.add(v.id);
      visit(v, path);
      if (isKind(v, 'inst')) {
        for (const [k, c] of v.attrs) {
          if (isModuleValue(c)) walk(c, [...path, k]);
        }
      } else if (isKind(v, 'container')) {
        v.items.forEach((c, i) => walk(c, [...path, v.keys ? v.keys[i] : String(i)]));
      }
      // Module arguments of torch layers (the encoder_layer of nn.TransformerEncoder) are copied by
      // PyTorch, not registered: the layer's own parameter count already includes the copies.
    };
    walk(root, []);
  }

  /** Assign dotted paths below a root the first time it is used. */
  assignPaths(root: Value, rootName: string): void {
    this.walkModules(root, (m, path) => {
      if (m.module && m.module.path === undefined) m.module.path = path.length ? `${rootName}.${path.join('.')}` : rootName;
    });
  }

  /** Unique parameters below a root: total, trainable. Tied weights count once. */
  countParams(roots: Value[]): { total: number; trainable: number; unknown: boolean } {
    const seen = new Set<number>();
    let total = 0, trainable = 0, unk = false;
    for (const r of roots) {
      if (isKind(r, 'obj') && (r.type === 'catalogModel' || r.type === 'pipeline')) {
        const c = this.zoo.paramCounts(r);
        if (!seen.has(r.id)) { seen.add(r.id); total += c.total; trainable += c.trainable; }
        continue;
      }
      this.walkModules(r, (m) => {
        if (isKind(m, 'obj') && m.type === 'catalogModel') {
          const c = this.zoo.paramCounts(m);
          total += c.total; trainable += c.trainable;
          return;
        }
        for (const p of m.module?.params ?? []) {
          if (seen.has(p.id)) continue;
          seen.add(p.id);
          if (!Number.isFinite(p.numel)) { unk = true; continue; }
          total += p.numel;
          if (p.trainable && !m.module?.frozen) trainable += p.numel;
        }
      });
    }
    return { total, trainable, unknown: unk };
  }

  // ------------------------------------------------------------ tensors

  private paramTensor(p: ParamValue): TensorArg {
    return tensor(p.shape ?? [p.numel]);
  }

  private tensorAttr(t: TensorArg, name: string, loc?: Loc): Value {
    if (name === 'grad') this.flags.readsGrad = true;
    switch (name) {
      case 'shape': return tuple(t.shape);
      case 'ndim': return t.shape.length;
      case 'dtype': return { kind: 'ext', path: `torch.${t.dtype === 'bf16' ? 'bfloat16' : t.dtype === 'fp16' ? 'float16' : 'float32'}` };
      case 'device': return { kind: 'ext', path: 'torch.device' };
      case 'is_cuda': return true;
      case 'requires_grad': return this.cx.state.noGrad === 0;
      case 'data': case 'grad': return t;
      case 'T': case 'mT': case 'H': case 'mH': return this.applyFn(name, 'method', [t], new Map(), loc);
      default: return { kind: 'method', self: t, name };
    }
  }

  /** Convert evaluator values into op-table arguments. */
  toArg(v: Value | undefined): Arg {
    if (v === undefined) return undefined;
    if (v === null || typeof v !== 'object') return v;
    switch (v.kind) {
      case 'tensor': return v;
      case 'param': return this.paramTensor(v);
      case 'list': case 'tuple': return v.items.map((x) => this.toArg(x));
      case 'ext': {
        const d = dtypeOf(v);
        return d ? v.path : v.path;
      }
      case 'layer': return { kind: 'module', layer: v.name, args: v.args } as ModuleArg;
      case 'inst': return v.module ? ({ kind: 'module', layer: v.cls.name, args: {} } as ModuleArg) : undefined;
      case 'container': return { kind: 'module', layer: v.type, args: {} } as ModuleArg;
      case 'range': return Array.from({ length: Math.min(rangeLen(v), 4096) }, (_, i) => v.start + i * v.step);
      case 'slice': return undefined;
      default: return undefined;
    }
  }

  ctx(frozen = false, dtypeHint?: Dtype, weightDtype?: Dtype): CallContext {
    const dtype = this.cx.state.forcedDtype ?? this.cx.state.autocast[this.cx.state.autocast.length - 1] ?? (this.cx.state.moduleDepth > 0 ? this.flags.accelerate?.dtype : undefined) ?? dtypeHint ?? this.cx.opts.defaultDtype;
    const c: CallContext = { dtype, training: this.cx.state.noGrad === 0 };
    if (frozen) c.frozen = true;
    if (weightDtype && weightDtype !== dtype) c.weightDtype = weightDtype;
    return c;
  }

  /** Record costs from the op table as ops of the current module path. */
  record(costs: Cost[], label: string, loc: Loc | undefined, opts: { dtype: Dtype; frozen?: boolean; traced?: boolean; declLoc?: Loc; moduleId?: number; phase?: Phase; count?: number; name?: string }): void {
    const base = opts.name ?? this.cx.state.pathStack[this.cx.state.pathStack.length - 1] ?? 'script';
    for (const c of costs) {
      this.cx.recorder.op({
        cost: c,
        name: c.path ? `${base}.${c.path}` : base,
        label,
        loc,
        declLoc: opts.declLoc,
        dtype: opts.dtype,
        grad: this.cx.state.noGrad === 0,
        frozen: !!opts.frozen,
        traced: opts.traced !== false,
        phase: opts.phase ?? 'forward',
        rootCall: this.cx.state.currentRoot,
        count: opts.count ?? 1,
        moduleId: opts.moduleId,
        recomputed: this.cx.state.checkpointDepth > 0,
      });
    }
  }

  /** Apply an F./torch. function or tensor method from the op table and record its costs. */
  applyFn(name: string, table: 'fn' | 'method', args: Value[], kw: Map<string, Value>, loc?: Loc, label?: string): Value {
    const shown = label ?? (table === 'fn' ? `torch.${name}` : `.${name}()`);
    const selected = this.dataDependentSelect(name, args, kw, shown, loc);
    if (selected !== undefined) return selected;
    const result = this.applyTableFn(name, table, args, kw, loc, shown);
    annotateIndexes(name, args, kw, result);
    if (kw.get('requires_grad') === true && isTensorV(result)) this.markRawParam(result);
    return result;
  }

  /**
   * A tensor made to require gradients (`requires_grad=True`, `.requires_grad_()`) outside any loop and module
   * construction is a parameter of a raw-tensor model (it is trained); one made inside the loop is an input.
   */
  markRawParam(t: TensorArg): void {
    if (t.rawParam || this.cx.state.moduleDepth > 0 || this.cx.state.initDepth > 0 || this.cx.recorder.ctx.some((c) => c.type === 'loop')) return;
    t.rawParam = true;
    this.flags.rawParams.push(t);
  }

  /**
   * `torch.where(mask)`, `mask.nonzero()`, `torch.argwhere(mask)`: indices whose count depends on the data. When the
   * mask's expected density is known (`idx == e` over indices spread over `indexRange` values, as in top-k expert
   * routing, or `torch.rand(...) < p`), the expected count is used and said; otherwise every element is assumed
   * selected (an upper bound), and said.
   */
  private dataDependentSelect(name: string, args: Value[], kw: Map<string, Value>, shown: string, loc?: Loc): Value | undefined {
    const m = args[0] ?? kw.get('condition') ?? kw.get('input');
    const only = name === 'where' ? args.length === 1 && !kw.has('input') && !kw.has('other') : name === 'nonzero' || name === 'argwhere';
    if (!only || !isTensorV(m)) return undefined;
    const n = this.selectedCount(m, shown, loc);
    const asTuple = name === 'where' || kw.get('as_tuple') === true;
    const idx = (): TensorArg => ({ ...tensor([n], 'int8', m.guessed), indexRange: Math.max(maxOf(m.shape), 1) });
    return asTuple ? tuple(m.shape.map(idx)) : tensor([n, m.shape.length], 'int8', m.guessed);
  }

  /** Expected number of true elements of a mask, with a note on how it was chosen. */
  selectedCount(m: TensorArg, shown: string, loc?: Loc): number {
    const total = prod(m.shape);
    if (m.density !== undefined) {
      const n = Math.round(total * m.density);
      this.cx.problem('info', 'data-dependent', `${shown}: how many elements are selected depends on the data; assuming ${fmt(n)} of ${fmt(total)} (an even spread, ${(m.density * 100).toPrecision(3)}%).`, loc);
      return n;
    }
    this.cx.problem('info', 'data-dependent', `${shown}: how many elements are selected depends on the data; assuming all ${fmt(total)} (an upper bound).`, loc);
    return total;
  }

  private applyTableFn(name: string, table: 'fn' | 'method', args: Value[], kw: Map<string, Value>, loc: Loc | undefined, shown: string): Value {
    const def = table === 'fn' ? FUNCTIONS[name] : METHODS[name];
    if (!def) {
      if (args.some((a) => isTensorV(a))) this.uncounted(shown, 'not in the op table', loc);
      return unknown(shown);
    }
    // An operand the evaluator could not resolve makes the result unknown, never a wrong shape.
    if (args.some((a) => isUnknown(a)) && args.some((a) => isTensorV(a) || isUnknown(a))) return unknown(shown);
    const dtypeHint = args.find((a): a is TensorArg => isTensorV(a))?.dtype;
    const kwArgs: Record<string, Arg> = {};
    for (const [k, v] of kw) kwArgs[k] = this.toArg(v);
    let out: OpOutcome;
    try {
      out = def(args.map((a) => this.toArg(a)), kwArgs, this.ctx(false, dtypeHint));
    } catch (e) {
      out = { error: `${shown} failed: ${(e as Error).message}` };
    }
    if (isOpError(out)) {
      if (args.some((a) => isUnknown(a))) return unknown(shown);
      if (OUT_OF_RANGE.test(out.error)) this.uncounted(shown, out.error, loc);
      this.cx.problem('info', 'shape', out.error, loc);
      return unknown(shown);
    }
    const guessed = args.some((a) => isTensorV(a) && a.guessed);
    this.record(out.costs, shown, loc, { dtype: this.ctx(false, dtypeHint).dtype, traced: !guessed });
    return markGuessed(toValue(out.output), guessed);
  }

  tensorElementwise(op: string, args: Value[], loc?: Loc): Value {
    return this.applyFn(op, 'fn', args, new Map(), loc, op);
  }

  /**
   * Tensor indexing `x[:, -1, :]`, `x[..., None]`, `x[idx]`, `x[rows, cols]`, `x[mask]`, as PyTorch (NumPy) does it:
   * integers drop a dim, slices and None keep/add one; advanced indices (index tensors and lists) broadcast together
   * and their shape replaces the dims they index — in place when they are adjacent, in front otherwise; a boolean
   * mask consumes as many dims as it has and yields one dim of the selected count.
   */
  indexTensor(t: TensorArg, idx: Value[], loc?: Loc): Value {
    const out: number[] = [];
    const adv: number[][] = [];
    let advAt = -1;
    let advSplit = false;
    let lastAdvEnd = -1;
    let dim = 0;
    const isEllipsis = (i: Value): boolean => isKind(i, 'obj') && i.type === 'ellipsis';
    const width = (i: Value): number => (i === null || isEllipsis(i) ? 0 : isTensorV(i) && i.mask ? i.shape.length : 1);
    const ellipsisAt = idx.findIndex(isEllipsis);
    const consumed = idx.reduce((a: number, i) => a + width(i), 0);
    for (let k = 0; k < idx.length; k++) {
      const i = idx[k];
      if (k === ellipsisAt) {
        const skip = t.shape.length - consumed;
        for (let s = 0; s < skip; s++) out.push(t.shape[dim++]);
        continue;
      }
      if (i === null) { out.push(1); continue; }
      const n = t.shape[dim];
      if (n === undefined) return unknown('index beyond tensor rank');
      if (isNum(i) || typeof i === 'boolean') { dim++; continue; }
      if (isKind(i, 'slice')) {
        const step = i.step && isNum(i.step) ? i.step : 1;
        if ((i.lo !== undefined && !isNum(i.lo)) || (i.hi !== undefined && !isNum(i.hi))) { out.push(n); dim++; continue; }
        let lo = i.lo ?? (step > 0 ? 0 : n - 1);
        let hi = i.hi ?? (step > 0 ? n : -n - 1);
        if (lo < 0) lo += n; if (hi < 0) hi += n;
        lo = Math.max(0, Math.min(n, lo)); hi = Math.max(step > 0 ? 0 : -1, Math.min(n, hi));
        out.push(Math.max(0, Math.ceil((hi - lo) / step)));
        dim++;
        continue;
      }
      const advShape = isTensorV(i) ? (i.mask ? [this.selectedCount(i, 'boolean-mask indexing', loc)] : i.shape) : isSeq(i) ? [i.items.length] : undefined;
      if (advShape) {
        if (advAt < 0) advAt = out.length;
        else if (lastAdvEnd !== out.length) advSplit = true;
        adv.push(advShape);
        dim += width(i);
        lastAdvEnd = out.length;
        continue;
      }
      // Unknown index (a loop variable): treat as a scalar index.
      dim++;
    }
    pushAll(out, t.shape.slice(dim));
    if (adv.length) {
      const b = broadcastShapes(adv);
      if (b === undefined) return unknown('index tensors of shapes that do not broadcast');
      if (advSplit) out.unshift(...b);
      else out.splice(advAt, 0, ...b);
    }
    return tensor(out, t.dtype, t.guessed);
  }

  getItem(obj: Value, idx: Value[], multi: boolean, loc?: Loc): Value {
    const key = multi ? tuple(idx) : idx[0];
    if (!isObj(obj)) {
      if (typeof obj === 'string' && isNum(key)) return obj.at(key) ?? UNKNOWN;
      return unknown('subscript');
    }
    switch (obj.kind) {
      case 'list': case 'tuple': {
        if (isNum(key)) { const i = key < 0 ? obj.items.length + key : key; return obj.items[i] ?? unknown('index out of range'); }
        if (isKind(key, 'slice')) return { kind: obj.kind, items: sliceItems(obj.items, key) };
        return UNKNOWN;
      }
      case 'dict': {
        const k = dictKey(key);
        return k !== undefined && obj.map.has(k) ? (obj.map.get(k) as Value) : unknown(`key ${JSON.stringify(k)}`);
      }
      case 'range': return isNum(key) ? obj.start + key * obj.step : UNKNOWN;
      case 'tensor': return this.indexTensor(obj, idx, loc);
      case 'param': return this.indexTensor(this.paramTensor(obj), idx, loc);
      case 'container': {
        if (typeof key === 'string' && obj.keys) { const i = obj.keys.indexOf(key); return i >= 0 ? obj.items[i] : UNKNOWN; }
        if (isNum(key)) return obj.items[key < 0 ? obj.items.length + key : key] ?? UNKNOWN;
        if (isKind(key, 'slice')) {
          const c: ContainerValue = { kind: 'container', type: obj.type, items: sliceItems(obj.items, key), id: this.cx.id(), module: newMeta(loc) };
          return c;
        }
        return UNKNOWN;
      }
      case 'obj': {
        if (obj.type === 'dataset') return typeof key === 'string' ? this.datasetSplit(obj, key, loc) : this.sample(obj, 0);
        if (obj.type === 'encoding' || obj.type === 'namespace') { const v = typeof key === 'string' ? obj.attrs.get(key) : undefined; return v ?? UNKNOWN; }
        if (obj.type === 'catalogOutput' && typeof key === 'string') return obj.attrs.get(key) ?? UNKNOWN;
        if (obj.type === 'catalogOutput' && isNum(key)) return obj.attrs.get(key === 0 ? (obj.attrs.has('loss') ? 'loss' : 'logits') : 'logits') ?? UNKNOWN;
        return UNKNOWN;
      }
      case 'inst': {
        const m = this.cx.lookupClass(obj.cls, '__getitem__');
        if (m && isKind(m.value, 'func')) return this.cx.callFunction({ ...m.value, self: obj }, [key], new Map(), loc);
        return UNKNOWN;
      }
      default: return UNKNOWN;
    }
  }

  // ------------------------------------------------------------ data

  /**
   * A transform that is an instance of a script class (`TwoViews(augment)` returning two crops) runs on the
   * sample image, so the loader yields what its `__call__` returns.
   */
  private applyCustomTransform(ds: ObjValue, tf: Value | undefined, loc?: Loc): void {
    const sample = ds.attrs.get('sample');
    if (!isKind(tf, 'inst') || !isSeq(sample) || sample.items.length !== 2) return;
    const call = this.cx.lookupClass(tf.cls, '__call__');
    if (!call || !isKind(call.value, 'func')) return;
    try {
      const x = this.cx.callFunction({ ...call.value, self: tf }, [sample.items[0]], new Map(), loc);
      if (!isUnknown(x)) ds.attrs.set('sample', tuple([x, sample.items[1]]));
    } catch (e) { if (!(e instanceof Error) || e.name === 'BudgetExceeded') throw e; }
  }

  /** `dataset_dict["train"]`: the split with its size (unknown when the split or the dataset is not in the table). */
  private datasetSplit(ds: ObjValue, key: string, loc?: Loc): Value {
    const splits = ds.attrs.get('splits');
    if (!isKind(splits, 'dict')) return UNKNOWN; // a column of a Dataset (ds["text"])
    const size = splits.map.get(key);
    if (!isNum(size)) this.cx.problem('info', 'dataset', `Split '${key}' of ${String(ds.attrs.get('name') ?? 'the dataset')} has no known size. Add \`# floplens: dataset_size=N\`.`, loc);
    const attrs = new Map([...ds.attrs, ['size', isNum(size) ? size : UNKNOWN] as [string, Value]]);
    attrs.delete('splits');
    return { ...ds, id: this.cx.id(), attrs };
  }

  /** One sample of a dataset: (input, target) tensors or an unknown. */
  sample(ds: ObjValue, _i: number): Value {
    const s = ds.attrs.get('sample');
    return s ?? UNKNOWN;
  }

  loaderTrips(l: ObjValue): number | undefined {
    const ds = l.attrs.get('dataset');
    const bs = l.attrs.get('batch_size');
    const size = isKind(ds, 'obj') ? ds.attrs.get('size') : undefined;
    if (!isNum(size) || !isNum(bs) || bs <= 0) return undefined;
    const n = this.perRankSize(l, size);
    return l.attrs.get('drop_last') === true ? Math.floor(n / bs) : Math.ceil(n / bs);
  }

  /** torchaudio Resample(orig, new) on [..., time]: ceil(time · new / orig) samples (its sinc filter is not matrix work). */
  private resample(m: ObjValue, x: Value | undefined): Value {
    const [o, n] = [m.attrs.get('orig'), m.attrs.get('new')];
    if (!isTensorV(x) || !isNum(o) || !isNum(n) || o <= 0 || x.shape.length === 0) return UNKNOWN;
    const shape = [...x.shape];
    shape[shape.length - 1] = Math.ceil((shape[shape.length - 1] * n) / o);
    return tensor(shape, x.dtype, x.guessed);
  }

  /**
   * A map-style Dataset class of the script's own: its size is what `__len__` returns and one sample is what
   * `__getitem__(0)` returns, evaluated like any other code (so a dataset built from tensors of known shape
   * batches into known model inputs).
   */
  private userDataset(inst: InstValue, loc?: Loc): Value {
    const has = (m: string) => isKind(this.cx.lookupClass(inst.cls, m)?.value, 'func');
    if (!has('__len__') && !has('__getitem__')) {
      // A subclass of a library dataset (class SubsetSC(SPEECHCOMMANDS)) that keeps its __len__/__getitem__.
      const base = inst.cls.bases.find((b) => isKind(b, 'ext') && findDataset(b.path.split('.').pop() ?? ''));
      const info = base && isKind(base, 'ext') ? findDataset(base.path.split('.').pop() ?? '') : undefined;
      return info ? this.makeDataset(info, true, loc) : inst;
    }
    const size = has('__len__') ? this.len(inst) : UNKNOWN;
    const sample = has('__getitem__') ? this.getItem(inst, [0], false, loc) : UNKNOWN;
    const ds: ObjValue = { kind: 'obj', type: 'dataset', id: this.cx.id(), loc, attrs: new Map<string, Value>([['name', inst.cls.name], ['size', isNum(size) ? size : UNKNOWN]]) };
    if (isTensorV(sample) || (isSeq(sample) && sample.items.some(isTensorV))) ds.attrs.set('sample', sample);
    this.flags.datasets.push(ds);
    return ds;
  }

  /** A DistributedSampler gives each of the job's ranks ceil(size / ranks) samples (it pads the last ones). */
  private perRankSize(l: ObjValue, size: number): number {
    const s = l.attrs.get('sampler');
    if (!isKind(s, 'obj') || s.type !== 'distSampler') return size;
    const ranks = this.cx.directives.devices?.value;
    if (!isNum(ranks) || ranks <= 1) {
      if (!this.warnedRanks) this.cx.problem('info', 'ranks-unknown', 'DistributedSampler splits the dataset across the job\'s processes, whose number is only known at launch: steps are for a single process. Add `# floplens: devices=N` for one rank\'s share.', s.loc);
      this.warnedRanks = true;
      return size;
    }
    return Math.ceil(size / ranks);
  }

  private warnedRanks = false;
  /** Models wrapped by DataParallel/DDP/FSDP (the wrapper is the model itself; `.module` resolves to it). */
  private readonly wrapped = new WeakSet<object>();

  private iterateLoader(l: ObjValue): IterResult {
    const ds = l.attrs.get('dataset');
    const bs = l.attrs.get('batch_size');
    const trips = this.loaderTrips(l);
    let elem: Value = UNKNOWN;
    const sample = isKind(ds, 'obj') ? ds.attrs.get('sample') : undefined;
    // A custom collate_fn decides the batch layout (padding, packing): evaluate the script's function on a batch
    // of samples when it is one; otherwise leave it to the model-input guess.
    if (isNum(bs) && sample !== undefined && l.attrs.get('collate') !== true) elem = batchOf(sample, bs);
    const collate = l.attrs.get('collateFn');
    if (isNum(bs) && sample !== undefined && isKind(collate, 'func')) elem = this.cx.call(collate, [list(Array<Value>(bs).fill(sample))], new Map());
    const name = isKind(ds, 'obj') ? String(ds.attrs.get('name') ?? 'dataset') : 'dataset';
    const size = isKind(ds, 'obj') ? ds.attrs.get('size') : undefined;
    return {
      trips, elem, label: `DataLoader over ${name}`,
      tripSource: { note: isNum(size) && isNum(bs) ? `${fmt(size)} samples${this.perRankSize(l, size) !== size ? ` / ${fmt(this.cx.directives.devices?.value ?? 1)} ranks` : ''} / batch ${bs} = ${fmt(trips ?? 0)} batches per epoch` : `DataLoader over ${name} (size unknown)`, loc: l.loc },
    };
  }

  makeDataset(info: DatasetInfo, train: boolean, loc?: Loc, transformSize?: number): ObjValue {
    const size = train ? info.train : info.test ?? info.train;
    let shape = info.shape;
    if (transformSize && shape.length === 3) shape = [shape[0], transformSize, transformSize];
    if (info.target === 'tokens' || (info.bytesPerElement === 8)) {
      // Token datasets: the sequence length comes from the tokenizer settings, not the dataset.
      const ds: ObjValue = { kind: 'obj', type: 'dataset', id: this.cx.id(), loc, attrs: new Map<string, Value>([['name', info.name], ['size', size], ['classes', info.classes ?? UNKNOWN]]) };
      this.flags.datasets.push(ds);
      return ds;
    }
    const x = tensor(shape, 'fp32');
    const y = info.target === 'class' ? tensor([], 'int8') : tensor(info.targetShape ?? shape);
    const ds: ObjValue = {
      kind: 'obj', type: 'dataset', id: this.cx.id(), loc,
      attrs: new Map<string, Value>([['name', info.name], ['size', size], ['sample', tuple([x, y])], ['classes', info.classes ?? UNKNOWN], ['sampleBytes', prod(shape) * (info.bytesPerElement ?? 1)]]),
    };
    this.flags.datasets.push(ds);
    return ds;
  }

  // ------------------------------------------------------------ calls

  callExternal(path: string, pos: Value[], kw: Map<string, Value>, loc?: Loc): Value {
    const p = canonical(path);
    const last = p.split('.').pop() ?? '';
    // torch.nn layers
    if (/^torch\.nn\.(parameter\.)?(Parameter|Buffer)$/.test(p)) {
      const t = pos[0] ?? kw.get('data');
      const shape = isTensorV(t) ? t.shape : undefined;
      if (p.endsWith('Buffer')) return t ?? UNKNOWN;
      return { kind: 'param', id: this.cx.id(), numel: shape ? prod(shape) : NaN, shape, trainable: kw.get('requires_grad') !== false };
    }
    if (/^torch\.nn\.(parallel\.)?(DataParallel|DistributedDataParallel)$|^torch\.distributed\.fsdp\.(FullyShardedDataParallel)$|^FSDP$|DDP$/.test(p)) {
      this.flags.ddp = true;
      const m = pos[0] ?? kw.get('module') ?? UNKNOWN;
      if (isObj(m)) this.wrapped.add(m);
      return m;
    }
    const layerMatch = /^torch\.nn\.(?:modules\.\w+\.)?([A-Z]\w*)$/.exec(p);
    if (layerMatch) return this.constructLayer(layerMatch[1], pos, kw, loc);
    const special = this.callSpecial(p, last, pos, kw, loc);
    if (special !== undefined) return special;
    // torch.nn.functional.*, torch.* functions
    const fnMatch = /^torch\.nn\.functional\.(\w+)$/.exec(p) ?? /^torch\.(?:special\.|linalg\.|fft\.)?(\w+)$/.exec(p) ?? /^torch\.Tensor\.(\w+)$/.exec(p);
    if (fnMatch) {
      const name = fnMatch[1];
      if (FUNCTIONS[name] || name === 'nonzero' || name === 'argwhere') return this.applyFn(name, 'fn', pos, kw, loc, p.startsWith('torch.nn.functional') ? `F.${name}` : `torch.${name}`);
      if (/^torch\.Tensor\./.test(p) && METHODS[name]) return this.applyFn(name, 'method', pos, kw, loc);
      if (pos.some(isTensorV)) this.uncounted(p.replace('torch.nn.functional.', 'F.'), 'not in the op table', loc);
      return unknown(p);
    }
    const cat = this.zoo.callExternal(p, pos, kw, loc);
    if (cat !== undefined) return cat;
    if (pos.some(isTensorV) && /^(torch|torchvision|einops|xformers|flash_attn|apex|timm)\b/.test(p)) this.uncounted(p, 'not in the op table', loc);
    // Library functions that take a model and hand back the same model rewritten in place or with
    // layers swapped one for one (SyncBatchNorm conversion, fusing, FX tracing, quantisation prep,
    // freezing): the parameters and the matrix work are the model's own, so keep tracing it.
    if (isModuleValue(pos[0]) && MODULE_PASSTHROUGH.test(last)) {
      this.cx.problem('info', 'module-passthrough', `${p}(model): assumed to return the same model (same layers and parameters).`, loc);
      return pos[0];
    }
    return unknown(p);
  }

  private constructLayer(name: string, pos: Value[], kw: Map<string, Value>, loc?: Loc): Value {
    if (name === 'Sequential' || name === 'ModuleList' || name === 'ModuleDict' || name === 'ParameterList' || name === 'ParameterDict') {
      let items: Value[] = [];
      let keys: string[] | undefined;
      if (name === 'Sequential') {
        if (pos.length === 1 && isKind(pos[0], 'dict')) { keys = [...pos[0].map.keys()].map(String); items = [...pos[0].map.values()]; }
        else items = pos.flatMap((x) => (isSeq(x) ? x.items : [x]));
      } else if (name === 'ModuleDict' || name === 'ParameterDict') {
        const d = pos[0];
        if (isKind(d, 'dict')) { keys = [...d.map.keys()].map(String); items = [...d.map.values()]; }
        else if (isSeq(d)) { keys = []; for (const kv of d.items) if (isSeq(kv)) { keys.push(String(kv.items[0])); items.push(kv.items[1]); } }
        else keys = [];
      } else items = pos[0] !== undefined ? this.iterate(pos[0]).items ?? [] : [];
      const c: ContainerValue = { kind: 'container', type: name, items, keys, id: this.cx.id(), module: newMeta(loc) };
      if (name.startsWith('Parameter')) for (const p of items) if (isKind(p, 'param')) c.module.params.push(p);
      this.cx.constructed.push({ value: c, loc });
      return c;
    }
    const def: LayerDef | undefined = LAYERS[name];
    const meta: ModuleMeta = newMeta(loc);
    if (!def) {
      this.uncounted(`nn.${name}`, 'layer not in the op table', loc);
      const lv: LayerValue = { kind: 'layer', name, args: {}, rawArgs: {}, id: this.cx.id(), module: meta };
      this.cx.constructed.push({ value: lv, loc });
      return lv;
    }
    const kwArgs: Record<string, Arg> = {};
    const raw: Record<string, Value> = {};
    for (const [k, v] of kw) { kwArgs[k] = this.toArg(v); raw[k] = v; }
    def.signature.forEach(([n], i) => { if (i < pos.length) raw[n] = pos[i]; });
    let args: Record<string, Arg> = {};
    try {
      const bound = bindArgs(def, pos.map((p) => this.toArg(p)), kwArgs);
      if (isOpError(bound as OpOutcome)) this.cx.problem('info', 'layer-args', (bound as { error: string }).error, loc);
      else args = bound as Record<string, Arg>;
    } catch (e) {
      this.cx.problem('info', 'layer-args', `nn.${name}: ${(e as Error).message}`, loc);
    }
    const lv: LayerValue = { kind: 'layer', name, def, args, rawArgs: raw, id: this.cx.id(), module: meta };
    const dt = dtypeOf(kw.get('dtype') ?? null);
    if (dt) meta.dtype = dt;
    let shapes: Record<string, number[]> | undefined;
    try { shapes = def.paramShapes?.(args); } catch { shapes = undefined; }
    if (shapes && Object.keys(shapes).length > 0) {
      for (const [pn, shape] of Object.entries(shapes)) meta.params.push({ kind: 'param', id: this.cx.id(), numel: prod(shape), shape, trainable: true, name: pn } as ParamValue);
    } else {
      let n = NaN;
      try { n = def.paramCount(args); } catch { n = NaN; }
      if (n > 0 || Number.isNaN(n)) meta.params.push({ kind: 'param', id: this.cx.id(), numel: n, trainable: true, name: '*' } as ParamValue);
    }
    this.cx.constructed.push({ value: lv, loc });
    return lv;
  }

  /** Library calls with semantics beyond the op table. Returns undefined when not special. */
  private callSpecial(p: string, last: string, pos: Value[], kw: Map<string, Value>, loc?: Loc): Value | undefined {
    const obj = (type: string, attrs: [string, Value][] = []): ObjValue => ({ kind: 'obj', type, attrs: new Map(attrs), id: this.cx.id(), loc });
    // Grad modes and precision contexts.
    if (/^torch\.(no_grad|inference_mode|autograd\.no_grad|autograd\.inference_mode)$/.test(p)) return obj('nograd');
    if (/^torch\.(enable_grad|set_grad_enabled)$/.test(p)) return obj(pos[0] === false ? 'nograd' : 'enablegrad');
    if (/^torch\.(autocast|amp\.autocast|cuda\.amp\.autocast|cpu\.amp\.autocast|amp\.autocast_mode\.autocast)$/.test(p)) {
      const dt = dtypeOf(kw.get('dtype') ?? pos[1] ?? null) ?? (p.includes('cpu') || pos[0] === 'cpu' || kw.get('device_type') === 'cpu' ? 'bf16' : 'fp16');
      const enabled = kw.get('enabled');
      return obj('autocast', [['dtype', enabled === false ? null : dt]]);
    }
    if (/^contextlib\.(nullcontext|suppress|ExitStack)$/.test(p) || p === 'nullcontext') return obj('nullcontext');
    if (/^torch\.(cuda\.)?amp\.GradScaler$|^torch\.GradScaler$/.test(p)) return obj('gradscaler');
    if (p === 'torch.set_float32_matmul_precision') { if (pos[0] === 'high' || pos[0] === 'medium') this.flags.allowTf32 = true; return null; }
    if (/^torch\.(manual_seed|set_num_threads|set_default_dtype|cuda\.manual_seed(_all)?|cuda\.set_device|backends\..*|distributed\.\w+|cuda\.synchronize|cuda\.empty_cache)$/.test(p)) {
      if (/distributed\.init_process_group/.test(p)) this.flags.ddp = true;
      return null;
    }
    if (/^torch\.cuda\.(is_available|is_bf16_supported)$|^torch\.backends\.mps\.is_available$/.test(p)) return unknown('hardware availability');
    if (/^torch\.cuda\.device_count$/.test(p)) return unknown('device count');
    if (p === 'torch.device') { this.flags.device = typeof pos[0] === 'string' ? pos[0].split(':')[0] : this.flags.device; return typeof pos[0] === 'string' ? pos[0] : 'cuda'; }
    // torch.func: functional_call(module, params, args, kwargs) runs the module (its own parameters stand for the
    // dict passed); grad(f) / grad_and_value(f) / vjp-style transforms run f once and its backward.
    if (/^(torch\.func|functorch|torch\.nn\.utils\.stateless)\.functional_call$/.test(p)) {
      const args = pos[2] ?? kw.get('args');
      const kwargs = pos[3] ?? kw.get('kwargs');
      const argList = isSeq(args) ? args.items : args === undefined ? [] : [args];
      const kwMap = isKind(kwargs, 'dict') ? new Map([...kwargs.map].map(([k, v]) => [String(k), v] as [string, Value])) : new Map<string, Value>();
      return this.cx.call(pos[0] ?? UNKNOWN, argList, kwMap, loc);
    }
    if (/^(torch\.func|functorch)\.(grad|grad_and_value)$/.test(p)) {
      const fn = pos[0] ?? kw.get('func') ?? UNKNOWN;
      const withValue = last === 'grad_and_value';
      return {
        kind: 'builtin', name: last, fn: (a, k, l) => {
          const value = this.cx.call(fn, a, k, l ?? loc);
          this.cx.recorder.event('backward', this.cx.state.noGrad === 0, l ?? loc);
          this.flags.readsGrad = true; // gradients returned as values: the update is written by hand
          const g = unknown('gradients from torch.func.grad');
          return withValue ? tuple([g, value]) : g;
        },
      };
    }
    if (/^torch\.(compile|jit\.script|jit\.trace)$/.test(p)) { this.flags.compiled = p === 'torch.compile'; return pos[0] ?? UNKNOWN; }
    if (/^torch\.(save|load)$|^torch\.onnx\./.test(p)) return UNKNOWN;
    if (/^torch\.(float|float16|float32|bfloat16|half|int64|long|int|bool|float64|double|uint8|int8)$/.test(p)) return { kind: 'ext', path: p };
    // Optimizers and schedulers.
    const opt = /^(?:torch\.optim\.|bitsandbytes\.optim\.|bnb\.optim\.|transformers\.|apex\.optimizers\.|torch\.optim\.\w+\.)(SGD|Adam|AdamW|RMSprop|Adagrad|Adadelta|Adamax|NAdam|RAdam|LBFGS|Adafactor|Lion|Adam8bit|AdamW8bit|PagedAdamW8bit|PagedAdamW|PagedAdamW32bit|SGD8bit|FusedAdam|Muon)$/.exec(p) ?? (/^(Adam|AdamW|SGD|Lion|Adafactor|Adam8bit|AdamW8bit|Muon)$/.test(p) ? [p, p] : null);
    if (opt) {
      const o = obj('optimizer', [['name', opt[1]], ['params', pos[0] ?? kw.get('params') ?? UNKNOWN], ['momentum', kw.get('momentum') ?? 0], ['fused', kw.get('fused') ?? false]]);
      this.flags.optimizers.push(o);
      return o;
    }
    if (/^torch\.optim\.lr_scheduler\./.test(p) || /get_(cosine|linear|constant)_schedule/.test(p)) return obj('scheduler');
    if (/^accelerate\.(accelerator\.)?Accelerator$/.test(p)) {
      const mp = kw.get('mixed_precision');
      const accum = this.cx.directives.accum?.value ?? (isNum(kw.get('gradient_accumulation_steps')) ? (kw.get('gradient_accumulation_steps') as number) : 1);
      this.flags.accelerate = { accum, dtype: mp === 'bf16' ? 'bf16' : mp === 'fp16' ? 'fp16' : mp === 'fp8' ? 'fp8' : undefined };
      return obj('accelerator');
    }
    if (/^lightning(\.pytorch)?(\.trainer)?(\.trainer)?\.Trainer$|^lightning\.fabric\.Fabric$/.test(p)) {
      const t = obj('plTrainer');
      for (const [k, v] of kw) t.attrs.set(k, v);
      return t;
    }
    // Data.
    if (/^torch\.utils\.data\.(dataloader\.)?DataLoader$/.test(p) || p === 'DataLoader') {
      const given = pos[0] ?? kw.get('dataset') ?? UNKNOWN;
      const ds = isKind(given, 'inst') ? this.userDataset(given, loc) : given;
      const bsRaw = kw.has('batch_size') ? kw.get('batch_size') : pos[1];
      const bs = this.cx.directives.batch?.value ?? (bsRaw === undefined ? 1 : this.sizeArg(bsRaw, 'DataLoader batch_size', loc));
      const l = obj('loader', [['dataset', ds], ['batch_size', bs ?? UNKNOWN], ['drop_last', kw.get('drop_last') ?? false], ['collate', kw.has('collate_fn') && kw.get('collate_fn') !== null]]);
      const collate = kw.get('collate_fn');
      if (isKind(collate, 'func')) l.attrs.set('collateFn', collate);
      if (kw.get('pin_memory') === true) this.flags.pinMemory = true;
      if (kw.has('batch_sampler')) l.attrs.set('batch_size', UNKNOWN);
      if (kw.has('sampler')) l.attrs.set('sampler', kw.get('sampler')!);
      this.flags.loaders.push(l);
      return l;
    }
    if (/^torch\.utils\.data\.(TensorDataset)$/.test(p)) {
      const ts = pos.filter(isTensorV);
      if (ts.length === 0) return obj('dataset', [['name', 'TensorDataset'], ['size', UNKNOWN]]);
      const ds = obj('dataset', [['name', 'TensorDataset'], ['size', ts[0].shape[0] ?? UNKNOWN], ['sample', tuple(ts.map((t) => tensor(t.shape.slice(1), t.dtype)))]]);
      this.flags.datasets.push(ds);
      return ds;
    }
    if (/^torch\.utils\.data\.(distributed\.)?DistributedSampler$/.test(p)) return obj('distSampler', [['dataset', pos[0] ?? kw.get('dataset') ?? UNKNOWN]]);
    if (/^torch\.utils\.data\.random_split$/.test(p)) {
      const ds = pos[0];
      const parts = this.iterate(pos[1]).items ?? [];
      return list(parts.map((n) => {
        if (!isKind(ds, 'obj')) return UNKNOWN;
        const size = ds.attrs.get('size');
        const count = isNum(n) ? (n < 1 && isNum(size) ? Math.floor(n * size) : n) : UNKNOWN;
        return { ...ds, id: this.cx.id(), attrs: new Map([...ds.attrs, ['size', count]]) } as ObjValue;
      }));
    }
    if (/^torch\.utils\.data\.Subset$/.test(p)) {
      const ds = pos[0];
      const idx = pos[1];
      const n = this.len(idx);
      if (isKind(ds, 'obj')) return { ...ds, id: this.cx.id(), attrs: new Map([...ds.attrs, ['size', n]]) } as ObjValue;
      return UNKNOWN;
    }
    if (/^torchvision\.datasets\.(ImageFolder|DatasetFolder)$/.test(p)) {
      const tsize = this.transformSize(kw.get('transform') ?? pos[1]);
      const ds = obj('dataset', [['name', 'ImageFolder'], ['size', UNKNOWN]]);
      if (tsize) ds.attrs.set('sample', tuple([tensor([3, tsize, tsize], 'fp32'), tensor([], 'int8')]));
      this.cx.problem('info', 'dataset', 'ImageFolder: the number of images is only known at run time. Add `# floplens: dataset_size=N` (or `steps=N`).', loc);
      this.flags.datasets.push(ds);
      return ds;
    }

    if (/(^|\.)to_map_style_dataset$/.test(p)) return pos[0] ?? UNKNOWN;
    if (p === 'torch.nn.utils.rnn.pad_sequence') {
      // [L_i, *] tensors → [B, max L, *] (batch_first) or [max L, B, *]; a copy of the padded batch.
      const items = this.iterate(pos[0] ?? kw.get('sequences')).items;
      if (!items?.length || !items.every(isTensorV)) return UNKNOWN;
      const ts = items as TensorArg[];
      const rest = ts[0].shape.slice(1);
      if (!ts.every((t) => t.shape.length === rest.length + 1 && t.shape.slice(1).every((d, i) => d === rest[i]))) return UNKNOWN;
      const maxLen = maxOf(ts.map((t) => t.shape[0]));
      const bf = (kw.get('batch_first') ?? pos[1]) === true;
      return tensor(bf ? [ts.length, maxLen, ...rest] : [maxLen, ts.length, ...rest], ts[0].dtype, ts.some((t) => t.guessed));
    }
    if (p === 'torch.nn.utils.rnn.pack_padded_sequence') {
      // A PackedSequence holds the real tokens only; their count is data. Costed as the padded batch (an upper bound).
      const x = pos[0] ?? kw.get('input');
      if (!isTensorV(x)) return UNKNOWN;
      this.cx.problem('info', 'data-dependent', `pack_padded_sequence: the RNN runs over the real lengths only, which are data; costed at the padded length [${x.shape.join(', ')}] (an upper bound).`, loc);
      return x;
    }
    if (p === 'torch.nn.utils.rnn.pad_packed_sequence') {
      // (padded output, lengths): the time dimension is total_length when given.
      const x = pos[0] ?? kw.get('sequence');
      if (!isTensorV(x) || x.shape.length < 2) return tuple([UNKNOWN, UNKNOWN]);
      const bf = (kw.get('batch_first') ?? pos[1]) === true;
      const total = kw.get('total_length') ?? pos[3];
      const shape = [...x.shape];
      if (isNum(total)) shape[bf ? 1 : 0] = total;
      return tuple([tensor(shape, x.dtype, x.guessed), tensor([shape[bf ? 0 : 1]], 'int8')]);
    }
    if (/^torchaudio\.transforms\.Resample$/.test(p)) {
      const orig = kw.get('orig_freq') ?? pos[0] ?? 16_000;
      const next = kw.get('new_freq') ?? pos[1] ?? 16_000;
      return obj('resample', [['orig', orig], ['new', next]]);
    }
    if (/^(torchvision|torchtext|torchaudio)\.datasets\.(\w+)$/.test(p) || /^datasets\.load_dataset$/.test(p)) {
      const nm = p === 'datasets.load_dataset' ? String(pos[0] ?? '') : last;
      const info = findDataset(nm);
      const tsize = this.transformSize(kw.get('transform'));
      if (!info) {
        this.cx.problem('info', 'dataset', `Dataset '${nm}' is not in FlopLens's dataset table: its size is unknown. Add \`# floplens: dataset_size=N\` (or \`steps=N\`).`, loc);
        const ds = obj('dataset', [['name', nm], ['size', UNKNOWN]]);
        if (tsize) ds.attrs.set('sample', tuple([tensor([3, tsize, tsize], 'fp32'), tensor([], 'int8')]));
        this.flags.datasets.push(ds);
        return ds;
      }
      const split = kw.get('split');
      const train = kw.get('train') !== false && split !== 'test' && split !== 'val' && split !== 'validation';
      const ds = this.makeDataset(info, train, loc, tsize);
      this.applyCustomTransform(ds, kw.get('transform'), loc);
      // Hugging Face `load_dataset(name)` without a split is a DatasetDict: `ds["train"]` picks a split's size.
      if (p === 'datasets.load_dataset' && split === undefined) ds.attrs.set('splits', dictOf([['train', info.train], ['test', info.test ?? UNKNOWN]]));
      return ds;
    }
    if (/^torchvision\.transforms\.(v2\.)?Compose$/.test(p)) {
      const parts = this.iterate(pos[0]).items ?? [];
      let size: Value = UNKNOWN;
      for (const t of parts) if (isKind(t, 'obj') && t.type === 'transform' && isNum(t.attrs.get('size'))) size = t.attrs.get('size') as Value;
      return obj('transform', [['size', size]]);
    }
    if (/^torchvision\.transforms\.(v2\.)?(Resize|CenterCrop|RandomResizedCrop|RandomCrop)$/.test(p)) {
      const s = pos[0] ?? kw.get('size');
      const size = isNum(s) ? s : isSeq(s) && isNum(s.items[0]) ? s.items[0] : UNKNOWN;
      return obj('transform', [['size', this.sizeArg(size, p.replace(/^torchvision\./, ''), loc)]]);
    }
    if (/^torchvision\.transforms\./.test(p)) return obj('transform', []);
        // argparse and config containers.
    if (p === 'argparse.ArgumentParser' || p === 'ArgumentParser') return obj('argparser', [['args', { kind: 'dict', map: new Map() } as DictValue]]);
    // Config text parsed from a literal string (never executed): json.loads, yaml.safe_load, OmegaConf.create.
    if (/^(json\.loads|yaml\.(safe_load|load|full_load|unsafe_load)|omegaconf\.OmegaConf\.create)$/.test(p) && typeof pos[0] === 'string') {
      const asNs = p.startsWith('omegaconf');
      const parsed = p === 'json.loads' ? parseJsonText(pos[0]) : parseYamlText(pos[0]);
      if (parsed !== undefined) return plainToValue(parsed, asNs ? () => obj('namespace') : undefined);
      this.cx.problem('info', 'config-text', `${p}: the text could not be read as ${p === 'json.loads' ? 'JSON' : 'YAML'}; its values are unknown.`, loc);
      return unknown(p);
    }
    if (/^types\.SimpleNamespace$|^argparse\.Namespace$|^easydict\.EasyDict$|^ml_collections\.ConfigDict$|^omegaconf\.OmegaConf\.create$|^addict\.Dict$|^munch\.Munch$/.test(p)) {
      const ns = obj('namespace');
      const src = pos[0];
      if (isKind(src, 'dict')) for (const [k, v] of src.map) ns.attrs.set(String(k), v);
      for (const [k, v] of kw) ns.attrs.set(k, v);
      return ns;
    }
    if (/^dataclasses\.field$|^field$/.test(p)) return obj('field', [...(kw.has('default') ? [['default', kw.get('default') as Value] as [string, Value]] : []), ...(kw.has('default_factory') ? [['default_factory', kw.get('default_factory') as Value] as [string, Value]] : [])]);
    if (/^collections\.namedtuple$/.test(p)) return UNKNOWN;
    // math / numpy scalars.
    const mathFn = /^(?:math|numpy|np)\.(sqrt|ceil|floor|log|log2|log10|exp|prod|pow|isqrt|gcd|lcm|sin|cos|tanh|fabs|trunc|inf|pi|e)$/.exec(p);
    if (mathFn) {
      const a = pos.map((x) => (isNum(x) ? x : NaN));
      const f: Record<string, () => number> = {
        sqrt: () => Math.sqrt(a[0]), ceil: () => Math.ceil(a[0]), floor: () => Math.floor(a[0]), log: () => (a.length > 1 ? Math.log(a[0]) / Math.log(a[1]) : Math.log(a[0])),
        log2: () => Math.log2(a[0]), log10: () => Math.log10(a[0]), exp: () => Math.exp(a[0]), pow: () => Math.pow(a[0], a[1]), isqrt: () => Math.floor(Math.sqrt(a[0])),
        gcd: () => gcd(a[0], a[1]), lcm: () => (a[0] * a[1]) / gcd(a[0], a[1]), sin: () => Math.sin(a[0]), cos: () => Math.cos(a[0]), tanh: () => Math.tanh(a[0]), fabs: () => Math.abs(a[0]), trunc: () => Math.trunc(a[0]),
        prod: () => { const it = this.iterate(pos[0]).items ?? []; return it.every(isNum) ? (it as number[]).reduce((x, y) => x * y, 1) : NaN; },
      };
      const r = f[mathFn[1]]?.();
      return r === undefined || Number.isNaN(r) ? UNKNOWN : r;
    }
    if (/^(os\.environ\.get|os\.getenv|os\.path\.\w+|os\.makedirs|os\.listdir|glob\.glob|json\.load|yaml\.safe_load|pickle\.load|numpy\.load|np\.load|numpy\.memmap|np\.memmap|random\.\w+|time\.\w+|wandb\.\w+|logging\.\w+|sys\.exit|warnings\.\w+)$/.test(p)) {
      if (p === 'os.environ.get' || p === 'os.getenv') return pos[1] ?? unknown('environment variable');
      return unknown(p);
    }
    if (/^tqdm(\.auto|\.notebook)?\.tqdm$|^tqdm$|^tqdm\.(auto\.)?trange$/.test(p)) {
      if (last === 'trange') return this.callExternal('range', pos, kw, loc);
      return pos[0] ?? UNKNOWN;
    }
    if (p === 'range') return isNum(pos[0]) ? { kind: 'range', start: 0, stop: pos[0], step: 1 } : UNKNOWN;
    if (/^itertools\.count$/.test(p)) return { kind: 'obj', type: 'lazyiter', attrs: new Map<string, Value>([['elem', 0], ['trips', UNKNOWN], ['label', 'itertools.count()']]), id: 0 };
    if (/^functools\.partial$/.test(p)) {
      const fn = pos[0];
      const bound = pos.slice(1);
      return { kind: 'builtin', name: 'partial', fn: (a, k) => this.cx.call(fn ?? UNKNOWN, [...bound, ...a], new Map([...kw, ...k]), loc) };
    }
    if (/^copy\.(deepcopy|copy)$/.test(p)) return pos[0] ?? UNKNOWN;
    // Activation checkpointing: the wrapped call runs normally in forward and again in backward.
    if (/^torch\.utils\.checkpoint\.(checkpoint|checkpoint_sequential)$/.test(p)) {
      this.flags.gradCheckpointing = true;
      const first = this.cx.state.checkpointDepth === 0;
      const opsBefore = this.cx.recorder.ops.length;
      const input = pos.find(isTensorV) ?? (isTensorV(pos[2]) ? pos[2] : undefined);
      this.cx.state.checkpointDepth++;
      try {
        if (last === 'checkpoint_sequential') {
          let x: Value = pos[2] ?? kw.get('input') ?? UNKNOWN;
          const fns = pos[0];
          const items = isKind(fns, 'container') ? fns.items : this.iterate(fns).items ?? [];
          for (const f of items) x = this.cx.call(f, [x], new Map(), loc);
          return x;
        }
        const rest = new Map([...kw].filter(([k]) => k !== 'use_reentrant' && k !== 'preserve_rng_state' && k !== 'determinism_check'));
        return this.cx.call(pos[0] ?? UNKNOWN, pos.slice(1), rest, loc);
      } finally {
        this.cx.state.checkpointDepth--;
        if (first) {
          const saved = this.cx.recorder.ops.slice(opsBefore).reduce((a, o) => a + o.cost.savedBytes * o.count, 0);
          this.flags.checkpoints.push({ inputBytes: input ? prod(input.shape) * DTYPE_BYTES[input.dtype ?? this.ctx().dtype] : 0, savedBytes: saved, ctx: this.cx.recorder.ctx });
        }
      }
    }
    if (/^einops\.rearrange$|^einops\.reduce$|^einops\.repeat$/.test(p)) return this.einops(last, pos, kw, loc);
    // einops.layers.torch.Rearrange / Reduce: a parameter-free layer applying its pattern to its input.
    if (/^einops\.layers\.\w+\.(Rearrange|Reduce)$/.test(p) && typeof pos[0] === 'string') {
      return obj('einops', [['kind', last.toLowerCase()], ['pattern', pos[0]], ['sizes', { kind: 'dict', map: new Map(kw) } as DictValue]]);
    }
    return undefined;
  }

  private transformSize(t: Value | undefined): number | undefined {
    if (isKind(t, 'obj') && t.type === 'transform') { const s = t.attrs.get('size'); return isNum(s) ? s : undefined; }
    return undefined;
  }

  /** einops.rearrange with a pattern: shape only (a copy when the layout changes). */
  private einops(kind: string, pos: Value[], kw: Map<string, Value>, loc?: Loc): Value {
    const t = isKind(pos[0], 'param') ? this.paramTensor(pos[0]) : pos[0];
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
    if (kind === 'reduce') this.record([{ kind: 'reduce', opClass: 'reduction', outputShape: out, params: 0, forwardFlops: prod(t.shape), backwardFlops: prod(t.shape), bytesRead: prod(t.shape) * DTYPE_BYTES[t.dtype ?? 'fp32'], bytesWritten: prod(out) * DTYPE_BYTES[t.dtype ?? 'fp32'], savedBytes: 0 }], 'einops.reduce', loc, { dtype: t.dtype ?? this.ctx().dtype });
    return tensor(out, t.dtype, t.guessed);
  }

  /** Methods on non-module objects: strings, dicts, argparse, optimizers, loaders, tensors, modules. */
  callMethod(self: Value, name: string, pos: Value[], kw: Map<string, Value>, loc?: Loc): Value {
    const obj = (type: string, attrs: [string, Value][] = []): ObjValue => ({ kind: 'obj', type, attrs: new Map(attrs), id: this.cx.id(), loc });
    if (typeof self === 'string') {
      switch (name) {
        case 'format': return unknown('formatted string');
        case 'split': return this.cx.seqOf('list', self.split(typeof pos[0] === 'string' ? pos[0] : /\s+/), 'str.split()', loc);
        case 'lower': return self.toLowerCase();
        case 'upper': return self.toUpperCase();
        case 'strip': return self.trim();
        case 'startswith': return typeof pos[0] === 'string' ? self.startsWith(pos[0]) : UNKNOWN;
        case 'endswith': return typeof pos[0] === 'string' ? self.endsWith(pos[0]) : UNKNOWN;
        case 'replace': {
          if (typeof pos[0] !== 'string' || typeof pos[1] !== 'string') return UNKNOWN;
          const parts = self.split(pos[0]);
          return this.cx.grow(self.length + (parts.length - 1) * (pos[1].length - pos[0].length), 'str.replace()', loc, true) ? parts.join(pos[1]) : unknown('string too long');
        }
        case 'join': {
          const it = this.iterate(pos[0]).items;
          if (!it || !it.every((x) => typeof x === 'string')) return unknown('joined string');
          const size = (it as string[]).reduce((n, x) => n + x.length, Math.max(0, it.length - 1) * self.length);
          return this.cx.grow(size, 'str.join()', loc, true) ? (it as string[]).join(self) : unknown('string too long');
        }
        default: return unknown(`str.${name}`);
      }
    }
    if (!isObj(self)) return UNKNOWN;
    switch (self.kind) {
      case 'dict': {
        if (name === 'get') { const k = dictKey(pos[0] ?? null); return k !== undefined && self.map.has(k) ? (self.map.get(k) as Value) : pos[1] ?? null; }
        if ((name === 'items' || name === 'keys' || name === 'values' || name === 'copy') && !this.cx.grow(self.map.size * (name === 'items' ? 3 : 1), `dict.${name}()`, loc)) return unknown(`dict.${name}() too large`);
        if (name === 'items') return list([...self.map.entries()].map(([k, v]) => tuple([k as Value, v])));
        if (name === 'keys') return list([...self.map.keys()] as Value[]);
        if (name === 'values') return list([...self.map.values()]);
        if (name === 'update') {
          const o = pos[0];
          if (!this.cx.grow(self.map.size + (isKind(o, 'dict') ? o.map.size : 0) + kw.size, 'dict.update()', loc)) {
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
      case 'list': case 'tuple': {
        if (name === 'append' || name === 'insert') {
          if (this.cx.grow(self.items.length + 1, `${self.kind}.${name}()`, loc, false, 1)) {
            if (name === 'append') self.items.push(pos[0] ?? UNKNOWN);
            else if (isNum(pos[0])) self.items.splice(pos[0], 0, pos[1] ?? UNKNOWN);
          }
          return null;
        }
        if (name === 'extend') {
          const more = this.iterate(pos[0]).items ?? [];
          const n = more.length;
          // A loop over a snapshot of the length, not push(...more): `x.extend(x)` and long arrays stay finite.
          if (this.cx.grow(self.items.length + n, `${self.kind}.extend()`, loc, false, n)) for (let i = 0; i < n; i++) self.items.push(more[i]);
          return null;
        }
        if (name === 'pop') return self.items.pop() ?? UNKNOWN;
        if (name === 'index') return self.items.indexOf(pos[0] ?? UNKNOWN);
        if (name === 'count') return self.items.filter((x) => x === pos[0]).length;
        if (name === 'copy') return list([...self.items]);
        return UNKNOWN;
      }
      case 'tensor': return this.tensorMethod(self, name, pos, kw, loc);
      case 'param': return this.tensorMethod(this.paramTensor(self), name, pos, kw, loc);
      case 'inst': case 'layer': case 'container': return this.moduleCall(self, name, pos, kw, loc);
      case 'obj': return this.objMethod(self, name, pos, kw, loc, obj);
      default: return UNKNOWN;
    }
  }

  private tensorMethod(t: TensorArg, name: string, pos: Value[], kw: Map<string, Value>, loc?: Loc): Value {
    if (name === 'to' || name === 'cuda' || name === 'type' || name === 'half' || name === 'bfloat16' || name === 'float' || name === 'double') {
      const dt = name === 'half' ? 'fp16' : name === 'bfloat16' ? 'bf16' : name === 'float' || name === 'double' ? 'fp32' : dtypeOf(kw.get('dtype') ?? pos.find((x) => dtypeOf(x) !== undefined) ?? null);
      const toDevice = name === 'cuda' || pos.some((x) => typeof x === 'string' && /cuda|mps|xla/.test(x)) || kw.has('device') || pos.some((x) => isKind(x, 'ext') && /device/.test(x.path));
      if (toDevice && this.cx.state.moduleDepth === 0) this.flags.inputBytes.push({ bytes: prod(t.shape) * DTYPE_BYTES[t.dtype ?? 'fp32'], ctx: this.cx.recorder.ctx });
      if (kw.get('non_blocking') === true) this.flags.pinMemory = this.flags.pinMemory ?? true;
      return dt ? { ...t, dtype: dt } : t;
    }
    if (name === 'backward') { this.cx.recorder.event('backward', this.cx.state.noGrad === 0, loc); return null; }
    if (name === 'item' || name === 'tolist') return unknown('tensor value');
    if (name === 'requires_grad_') { if (pos[0] !== false && kw.get('requires_grad') !== false) this.markRawParam(t); return t; }
    if (name === 'numpy' || name === 'cpu' || name === 'detach' || name === 'clone' || name === 'pin_memory' || name === 'contiguous' && !METHODS.contiguous) return t;
    if (name === 'size' && !METHODS.size) return pos.length ? (isNum(pos[0]) ? t.shape[pos[0] < 0 ? t.shape.length + pos[0] : pos[0]] ?? UNKNOWN : UNKNOWN) : tuple(t.shape);
    if (name === 'dim' && !METHODS.dim) return t.shape.length;
    return this.applyFn(name, 'method', [t, ...pos], kw, loc);
  }

  /** Methods on module values: .to/.cuda/.half/.train/.eval/.parameters/.apply... */
  private moduleCall(m: InstValue | LayerValue | ContainerValue, name: string, pos: Value[], kw: Map<string, Value>, loc?: Loc): Value {
    const meta = m.module as ModuleMeta | undefined;
    switch (name) {
      case 'to': case 'cuda': case 'cpu': case 'half': case 'bfloat16': case 'float': case 'double': case 'type': {
        const dt = name === 'half' ? 'fp16' : name === 'bfloat16' ? 'bf16' : name === 'float' || name === 'double' ? 'fp32' : dtypeOf(kw.get('dtype') ?? pos.find((x) => dtypeOf(x) !== undefined) ?? null);
        if (dt) { this.walkModules(m, (x) => { if (x.module) x.module.dtype = dt; }); this.flags.modelDtypes.push(dt); }
        const dev = pos.find((x) => typeof x === 'string');
        if (typeof dev === 'string') this.flags.device = dev.split(':')[0];
        if (name === 'cuda') this.flags.device = 'cuda';
        return m;
      }
      case 'train': { const on = pos[0] !== false; this.walkModules(m, (x) => { if (x.module) x.module.training = on; }); return m; }
      case 'eval': { this.walkModules(m, (x) => { if (x.module) x.module.training = false; }); this.flags.evalCalled = true; return m; }
      case 'parameters': case 'named_parameters':
        return { kind: 'obj', type: 'paramset', attrs: new Map<string, Value>([['modules', list([m])], ['named', name === 'named_parameters']]), id: this.cx.id() };
      case 'requires_grad_': this.setFrozen(m, pos[0] === false); return m;
      case 'modules': case 'children': case 'named_modules': case 'named_children': {
        const mods: Value[] = [];
        this.walkModules(m, (x) => { mods.push(x); });
        return list(name.startsWith('named') ? mods.map((x) => tuple([unknown('name'), x])) : mods);
      }
      case 'register_buffer':
        if (isKind(m, 'inst') && typeof pos[0] === 'string') m.attrs.set(pos[0], pos[1] ?? UNKNOWN);
        return null;
      case 'apply': case 'zero_grad': case 'load_state_dict': case 'state_dict': case 'share_memory': case 'gradient_checkpointing_enable':
        if (name === 'gradient_checkpointing_enable') this.flags.gradCheckpointing = true;
        if (name === 'zero_grad') this.cx.recorder.event('zero_grad', true, loc);
        return name === 'state_dict' ? unknown('state dict') : null;
      case 'register_parameter': {
        if (typeof pos[0] === 'string' && isKind(pos[1], 'param') && meta) meta.params.push({ ...pos[1], name: pos[0] } as ParamValue);
        return null;
      }
      case 'forward': case '__call__': return this.callModule(m, pos, kw, loc);
      case 'append': if (isKind(m, 'container') && this.cx.grow(m.items.length + 1, `${m.type}.append()`, loc, false, 1)) { m.items.push(pos[0] ?? UNKNOWN); } return null;
      case 'extend': if (isKind(m, 'container')) {
        const more = this.iterate(pos[0]).items ?? [];
        const n = more.length;
        if (this.cx.grow(m.items.length + n, `${m.type}.extend()`, loc, false, n)) for (let i = 0; i < n; i++) m.items.push(more[i]);
      } return null;
      case 'add_module': if (isKind(m, 'container') && typeof pos[0] === 'string') { this.containerSet(m, pos[0], pos[1] ?? UNKNOWN); } else if (isKind(m, 'inst') && typeof pos[0] === 'string') m.attrs.set(pos[0], pos[1] ?? UNKNOWN); return null;
      case 'keys': if (isKind(m, 'container')) return list((m.keys ?? []) as Value[]); return UNKNOWN;
      case 'values': if (isKind(m, 'container')) return list(m.items); return UNKNOWN;
      case 'items': if (isKind(m, 'container')) return list(m.items.map((v, i) => tuple([(m.keys ?? [])[i] ?? i, v]))); return UNKNOWN;
      case 'generate': return this.zoo.generateOnModule(m, pos, kw, loc);
      case 'configure_optimizers': break;
      default: break;
    }
    if (isKind(m, 'inst')) return unknown(`${m.cls.name}.${name}()`);
    return unknown(`.${name}()`);
  }

  containerSet(c: ContainerValue, key: string, v: Value): void {
    c.keys = c.keys ?? [];
    const i = c.keys.indexOf(key);
    if (i >= 0) c.items[i] = v; else { c.keys.push(key); c.items.push(v); }
  }

  private objMethod(self: ObjValue, name: string, pos: Value[], kw: Map<string, Value>, loc: Loc | undefined, obj: (type: string, attrs?: [string, Value][]) => ObjValue): Value {
    // Moving a transform between devices or modes returns the same transform.
    if ((self.type === 'resample' || self.type === 'transform') && /^(to|cuda|cpu|eval|train|float|half)$/.test(name)) return self;
    switch (self.type) {
      case 'super': {
        const s = self.attrs.get('self');
        const owner = self.attrs.get('owner');
        if (name === '__init__') {
          if (isKind(owner, 'class') && isKind(s, 'inst')) {
            const base = this.cx.lookupClass(owner, '__init__', true);
            if (base && isKind(base.value, 'func')) return this.cx.callFunction({ ...base.value, self: s, owner: base.owner }, pos, kw, loc);
            // super().__init__(*layers) of an nn.Sequential / ModuleList / ModuleDict subclass registers
            // the layers as children '0', '1', … (or the dict's keys), as torch does.
            const cont = this.containerBase(owner);
            if (cont && (pos.length > 0 || kw.size > 0)) {
              const n = this.cx.constructed.length;
              const c = this.constructLayer(cont, pos, kw, loc) as ContainerValue;
              this.cx.constructed.length = n;
              const keys = c.items.map((_, i) => c.keys?.[i] ?? String(i));
              keys.forEach((k, i) => s.attrs.set(k, c.items[i]));
              s.attrs.set('__container_keys__', list(keys));
            }
          }
          return null;
        }
        if (isKind(owner, 'class') && isKind(s, 'inst')) {
          const base = this.cx.lookupClass(owner, name, true);
          if (base && isKind(base.value, 'func')) return this.cx.callFunction({ ...base.value, self: s, owner: base.owner }, pos, kw, loc);
          if (name === 'forward') return unknown('super().forward');
          return this.moduleCall(s, name, pos, kw, loc);
        }
        return UNKNOWN;
      }
      case 'argparser': {
        if (name === 'add_argument') {
          const flag = pos.find((x) => typeof x === 'string' && x.startsWith('--')) ?? pos.find((x) => typeof x === 'string');
          const dest = typeof kw.get('dest') === 'string' ? (kw.get('dest') as string) : typeof flag === 'string' ? flag.replace(/^-+/, '').replace(/-/g, '_') : undefined;
          if (dest) {
            const action = kw.get('action');
            let def: Value = kw.has('default') ? (kw.get('default') as Value) : action === 'store_true' ? false : action === 'store_false' ? true : null;
            const ty = kw.get('type');
            if (typeof def === 'string' && isKind(ty, 'builtin') && (ty.name === 'int' || ty.name === 'float')) def = Number(def);
            def = this.cx.overrideScalar(dest, def);
            (self.attrs.get('args') as DictValue).map.set(dest, def);
            this.argparseDefaults.set(dest, { value: def, loc });
          }
          return null;
        }
        if (name === 'parse_args' || name === 'parse_known_args') {
          const ns = obj('namespace');
          for (const [k, v] of (self.attrs.get('args') as DictValue).map) ns.attrs.set(String(k), v);
          return name === 'parse_known_args' ? tuple([ns, list([])]) : ns;
        }
        if (name === 'add_argument_group' || name === 'add_mutually_exclusive_group') return self;
        if (name === 'set_defaults') { for (const [k, v] of kw) (self.attrs.get('args') as DictValue).map.set(k, v); return null; }
        return null;
      }
      case 'accelerator': {
        if (name === 'prepare') return pos.length === 1 ? pos[0] : tuple(pos);
        if (name === 'backward') { this.cx.recorder.event('backward', this.cx.state.noGrad === 0, loc); return null; }
        if (name === 'accumulate' || name === 'autocast' || name === 'no_sync') return obj('accelerateContext');
        if (name === 'unwrap_model') return pos[0] ?? UNKNOWN;
        if (name === 'gather' || name === 'gather_for_metrics' || name === 'reduce' || name === 'pad_across_processes') return pos[0] ?? UNKNOWN;
        return null;
      }
      case 'plTrainer': {
        if (name === 'fit') return this.lightningFit(self, pos, kw, loc);
        return null;
      }
      case 'optimizer': {
        if (name === 'step') {
          // Under Accelerate's `accumulate()`, optimizer.step() only steps on sync iterations.
          const acc = this.flags.accelerate?.accum ?? 1;
          if (acc > 1 && this.cx.state.accelerateAccumulate > 0) this.cx.recorder.within({ type: 'mod', n: acc, loc }, () => this.cx.recorder.event('step', true, loc));
          else this.cx.recorder.event('step', true, loc);
          return null;
        }
        if (name === 'zero_grad') { this.cx.recorder.event('zero_grad', true, loc); return null; }
        return null;
      }
      case 'gradscaler': {
        if (name === 'scale') return pos[0] ?? UNKNOWN;
        if (name === 'step') { this.cx.recorder.event('step', true, loc); return null; }
        return null;
      }
      case 'nograd': case 'autocast': case 'nullcontext': return self;
      case 'paramset': return self;
      case 'dataset': return this.datasetMethod(self, name, pos, kw, loc);
      case 'loader': return UNKNOWN;
      case 'module': {
        const f = self.attrs.get(name);
        return f !== undefined ? this.cx.call(f, pos, kw, loc, name) : unknown(name);
      }
      default: {
        const cat = this.zoo.objMethod(self, name, pos, kw, loc);
        if (cat !== undefined) return cat;
        return unknown(`${self.type}.${name}()`);
      }
    }
  }

  /**
   * Hugging Face `datasets` and torch dataset methods keep the sample count (map, filter, shuffle…),
   * pick a subset (select, take, Subset-like) or split it (train_test_split). A mapped function runs
   * once on an unknown batch so that tokenizer settings inside it (max_length, padding) are seen.
   */
  private datasetMethod(ds: ObjValue, name: string, pos: Value[], kw: Map<string, Value>, loc?: Loc): Value {
    const size = ds.attrs.get('size');
    const withSize = (n: Value): ObjValue => ({ ...ds, id: this.cx.id(), attrs: new Map([...ds.attrs, ['size', n]]) });
    switch (name) {
      case 'map': case 'filter': {
        const fn = pos[0] ?? kw.get('function');
        if (fn && (isKind(fn, 'func') || isKind(fn, 'builtin'))) {
          const batch: ObjValue = { kind: 'obj', type: 'namespace', attrs: new Map(), id: 0 };
          try { this.cx.call(fn, [batch], new Map(), loc); } catch (e) { if (!(e instanceof Error) || e.name === 'BudgetExceeded') throw e; }
        }
        if (name === 'map') return ds;
        const what = isNum(size) ? `the ${fmt(size)} samples` : 'the samples';
        this.cx.problem('info', 'dataset', `${String(ds.attrs.get('name') ?? 'dataset')}.filter(...) keeps an unknown fraction of ${what} (decided by the data): the dataset size after it is unknown. Add \`# floplens: dataset_size=N\`.`, loc);
        const out = withSize(UNKNOWN);
        const splits = ds.attrs.get('splits');
        if (isKind(splits, 'dict')) out.attrs.set('splits', dictOf([...splits.map.keys()].map((k) => [String(k), UNKNOWN])));
        return out;
      }
      case 'shuffle': case 'with_format': case 'set_format': case 'remove_columns': case 'rename_column': case 'rename_columns': case 'cast': case 'flatten': case 'sort': case 'to_iterable_dataset':
        return ds;
      case 'select': case 'take': {
        const n = name === 'take' ? pos[0] : this.len(pos[0]);
        return withSize(isNum(n) ? (isNum(size) ? Math.min(n, size) : n) : UNKNOWN);
      }
      case 'skip': return withSize(isNum(size) && isNum(pos[0]) ? Math.max(0, size - pos[0]) : UNKNOWN);
      case 'train_test_split': {
        const t = kw.get('test_size') ?? pos[0];
        const test = isNum(size) && isNum(t) ? (t < 1 ? Math.ceil(size * t) : t) : undefined;
        const d: DictValue = { kind: 'dict', map: new Map() };
        d.map.set('train', withSize(test !== undefined && isNum(size) ? size - test : UNKNOWN));
        d.map.set('test', withSize(test ?? UNKNOWN));
        return d;
      }
      default: return UNKNOWN;
    }
  }

  /**
   * `L.Trainer(max_epochs=…).fit(model, loader | datamodule=…)`: Lightning's loop, walked once: epochs ×
   * batches (or max_steps), `training_step` under the trainer's precision, backward and optimizer step.
   */
  private lightningFit(t: ObjValue, pos: Value[], kw: Map<string, Value>, loc?: Loc): Value {
    const model = pos[0] ?? kw.get('model');
    if (!isKind(model, 'inst')) return null;
    const a = (k: string) => t.attrs.get(k);
    const callMethodOf = (o: Value, name: string, args: Value[] = []): Value => {
      if (!isKind(o, 'inst')) return UNKNOWN;
      const m = this.cx.lookupClass(o.cls, name);
      return m && isKind(m.value, 'func') ? this.cx.callFunction({ ...m.value, self: o, owner: m.owner }, args, new Map(), loc) : UNKNOWN;
    };
    let loader: Value | undefined = pos[1] ?? kw.get('train_dataloaders');
    const dm = kw.get('datamodule') ?? (isKind(pos[1], 'inst') && this.cx.lookupClass(pos[1].cls, 'train_dataloader') ? pos[1] : undefined);
    if (dm && isKind(dm, 'inst')) { callMethodOf(dm, 'prepare_data'); callMethodOf(dm, 'setup', ['fit']); loader = callMethodOf(dm, 'train_dataloader'); }
    if (!loader || isUnknown(loader)) loader = callMethodOf(model, 'train_dataloader');
    callMethodOf(model, 'configure_optimizers');
    const prec = String(a('precision') ?? '32');
    const dtype: Dtype | undefined = /bf16/.test(prec) ? 'bf16' : /16/.test(prec) ? 'fp16' : undefined;
    const maxSteps = a('max_steps');
    const maxEpochs = a('max_epochs');
    const accum = this.cx.directives.accum?.value ?? (isNum(a('accumulate_grad_batches')) ? (a('accumulate_grad_batches') as number) : 1);
    const it = this.iterate(loader);
    const epochs = isNum(maxEpochs) ? maxEpochs : isNum(maxSteps) && maxSteps > 0 ? undefined : 1000;
    if (!isNum(maxEpochs) && !(isNum(maxSteps) && maxSteps > 0)) this.cx.problem('info', 'steps', 'Lightning Trainer without max_epochs or max_steps runs up to 1,000 epochs by default; assuming that.', loc);
    const body = () => {
      const saved = this.cx.state.autocast.length;
      if (dtype) this.cx.state.autocast.push(dtype);
      try {
        const pass = () => {
          callMethodOf(model, 'training_step', [it.elem ?? UNKNOWN, 0]);
          this.cx.recorder.event('backward', true, loc);
        };
        if (accum > 1) this.cx.recorder.within({ type: 'loop', frame: this.cx.recorder.newFrame(accum, 'accumulate_grad_batches', loc, { note: `accumulate_grad_batches=${accum}`, loc }) }, pass);
        else pass();
        this.cx.recorder.event('step', true, loc);
      } finally {
        this.cx.state.autocast.length = saved;
      }
    };
    const batches = it.trips !== undefined ? Math.ceil(it.trips / accum) : undefined;
    if (isNum(maxSteps) && maxSteps > 0) {
      const f = this.cx.recorder.newFrame(maxSteps, 'Trainer.fit()', loc, { note: `max_steps=${maxSteps}`, loc });
      this.cx.recorder.within({ type: 'loop', frame: f }, body);
    } else {
      const fe = this.cx.recorder.newFrame(epochs, 'epochs', loc, { note: `max_epochs=${epochs}`, loc });
      const fb = this.cx.recorder.newFrame(batches, it.label ?? 'batches', loc, it.tripSource ?? { note: 'batches per epoch', loc });
      this.cx.recorder.within({ type: 'loop', frame: fe }, () => this.cx.recorder.within({ type: 'loop', frame: fb }, body));
    }
    return null;
  }

  enterContext(v: Value): () => void {
    if (isKind(v, 'obj')) {
      if (v.type === 'nograd') { this.cx.state.noGrad++; return () => { this.cx.state.noGrad--; }; }
      if (v.type === 'autocast') {
        const d = v.attrs.get('dtype');
        const dt = typeof d === 'string' ? (d as Dtype) : undefined;
        if (dt) { this.cx.state.autocast.push(dt); return () => { this.cx.state.autocast.pop(); }; }
      }
      if (v.type === 'enablegrad') { const saved = this.cx.state.noGrad; this.cx.state.noGrad = 0; return () => { this.cx.state.noGrad = saved; }; }
      if (v.type === 'accelerateContext') { this.cx.state.accelerateAccumulate++; return () => { this.cx.state.accelerateAccumulate--; }; }
    }
    return () => undefined;
  }

  contextValue(v: Value): Value { return v; }

  // ------------------------------------------------------------ module calls

  /** Call a module value (user nn.Module, torch layer, Sequential, catalog model). */
  callModule(m: Value, pos: Value[], kw: Map<string, Value>, loc?: Loc, calleeName?: string): Value {
    if (isKind(m, 'obj') && !m.module) {
      const r = this.zoo.callObject(m, pos, kw, loc);
      if (r !== undefined) return r;
      if (m.type === 'resample') return this.resample(m, pos[0]);
      if (m.type === 'transform') {
        // A torchvision transform on an image tensor [C, H, W]: resized/cropped to its size when it has one.
        const x = pos[0];
        const size = m.attrs.get('size');
        if (!isTensorV(x)) return UNKNOWN;
        return isNum(size) && x.shape.length >= 2 ? tensor([...x.shape.slice(0, -2), size, size], x.dtype, x.guessed) : x;
      }
      if (m.type === 'einops') {
        const sizes = m.attrs.get('sizes');
        return this.einops(String(m.attrs.get('kind')), [pos[0] ?? UNKNOWN, m.attrs.get('pattern') ?? UNKNOWN], new Map(isKind(sizes, 'dict') ? [...sizes.map].map(([k, v]) => [String(k), v]) : []), loc);
      }
      if (m.type === 'loader' || m.type === 'dataset') return UNKNOWN;
      return unknown(`call of ${m.type}`);
    }
    if (isKind(m, 'inst') && !m.module) {
      const c = this.cx.lookupClass(m.cls, '__call__');
      if (c && isKind(c.value, 'func')) return this.cx.callFunction({ ...c.value, self: m, owner: c.owner }, pos, kw, loc);
      return unknown(`call of ${m.cls.name}`);
    }
    if (!isModuleValue(m)) return UNKNOWN;
    // A criterion called at script level is part of the step, not a model of its own.
    const root = this.cx.state.moduleDepth === 0 && !(isKind(m, 'layer') && /Loss$/.test(m.name));
    if (root) {
      this.assignPaths(m, calleeName && calleeName !== 'self' && /^[A-Za-z_]\w*$/.test(calleeName) ? calleeName : 'model');
      this.cx.recorder.event('model-call', this.cx.state.noGrad === 0, loc, m.id);
      this.cx.state.currentRoot = ++this.cx.state.rootCallId;
      // The model's inputs: an unknown input to a root call is guessed from its first layer.
      pos = pos.map((p, i) => (i === 0 && isUnknown(p) ? this.guessRootInput(m, loc) ?? p : p));
    }
    this.cx.state.moduleDepth++;
    this.cx.state.pathStack.push(m.module?.path ?? 'model');
    try {
      if (isKind(m, 'obj')) return this.zoo.callObject(m, pos, kw, loc) ?? UNKNOWN;
      if (isKind(m, 'layer')) return this.callLayer(m, pos, kw, loc);
      if (isKind(m, 'container')) {
        if (m.type !== 'Sequential') { this.cx.problem('info', 'call', `nn.${m.type} is not callable; iterate over it instead.`, loc); return UNKNOWN; }
        let x: Value = pos[0] ?? UNKNOWN;
        for (const child of m.items) x = this.callModule(child, [x], new Map(), loc);
        return x;
      }
      if (isKind(m, 'inst')) {
        const f = this.cx.lookupClass(m.cls, 'forward');
        if (f && isKind(f.value, 'func')) {
          const savedDt = this.cx.state.autocast.length;
          if (m.module?.dtype && this.cx.state.autocast.length === 0) this.cx.state.autocast.push(m.module.dtype);
          try {
            return this.cx.callFunction({ ...f.value, self: m, owner: f.owner }, pos, kw, loc);
          } finally {
            this.cx.state.autocast.length = savedDt;
          }
        }
        if (this.containerBase(m.cls) === 'Sequential') {
          let x: Value = pos[0] ?? UNKNOWN;
          for (const child of this.containerChildren(m)) x = this.callModule(child, [x], new Map(), loc);
          return x;
        }
        // Lightning modules often call `training_step`; without forward there is nothing to trace.
        this.cx.problem('info', 'no-forward', `${m.cls.name} has no forward(); its layers are costed from their constructor arguments.`, m.module?.loc);
        return UNKNOWN;
      }
      return UNKNOWN;
    } finally {
      this.cx.state.moduleDepth--;
      this.cx.state.pathStack.pop();
      if (root) this.cx.state.currentRoot = undefined;
    }
  }

  private guessRootInput(m: Value, loc?: Loc): Value | undefined {
    // The first leaf layer in declaration order sees the model input.
    let first: LayerValue | undefined;
    this.walkModules(m, (x) => { if (!first && isKind(x, 'layer') && !/Loss$|^Dropout/.test(x.name)) first = x; });
    if (!first) return undefined;
    const { batch, seq } = this.guessBatchSeq();
    let shapes: number[][] | undefined;
    try { shapes = first.def?.guessInput?.(first.args, batch.value, seq.value); } catch { shapes = undefined; }
    const conv = /^(Lazy)?Conv(Transpose)?([23])d$/.exec(first.name);
    if (!shapes && conv && isNum(first.args.in_channels as number)) {
      // Images: spatial size from a directive, the dataset the script loads, or 224.
      const nd = Number(conv[3]);
      const sample = this.flags.datasets.map((d) => d.attrs.get('sample')).find((x) => isSeq(x) && isTensorV(x.items[0]));
      const dsShape = sample && isSeq(sample) && isTensorV(sample.items[0]) ? sample.items[0].shape.slice(1) : undefined;
      const side = this.cx.directives.image_size?.value ?? (dsShape?.length === nd ? undefined : 224);
      const spatial = dsShape?.length === nd && side === undefined ? dsShape : Array.from({ length: nd }, () => side ?? 224);
      shapes = [[batch.value, first.args.in_channels as number, ...spatial]];
    }
    if (!shapes?.[0]) return undefined;
    this.cx.problem('info', 'shape-fallback', `The model's input shape could not be traced; assuming [${shapes[0].join(', ')}] from its first layer nn.${first.name} (batch ${batch.value} from ${batch.note}${first.name === 'Embedding' ? `, sequence ${seq.value} from ${seq.note}` : ''}). Add \`# floplens: batch=… seq=…\` to set it.`, loc);
    this.guessedInput = { shape: shapes[0], layer: first.name };
    const dt = first.name === 'Embedding' ? 'int8' as Dtype : undefined;
    return tensor(shapes[0], dt, true);
  }

  guessedInput: { shape: number[]; layer: string } | undefined;

  /** Batch and sequence length from script names (`batch_size`, `block_size`), loaders or defaults. */
  guessBatchSeq(): { batch: { value: number; note: string }; seq: { value: number; note: string } } {
    // Only a whole number a tensor dimension can have (`batch_size = 1e308` or `-1` is not a guess).
    const isSize = (x: unknown): x is number => isNum(x as Value) && Number.isSafeInteger(x) && (x as number) > 0;
    const lookup = (names: RegExp): { value: number; note: string } | undefined => {
      for (const [k, v] of this.argparseDefaults) if (names.test(k) && isSize(v.value)) return { value: v.value, note: `argparse --${k}` };
      for (const [k, v] of this.cx.globalsForGuess()) if (names.test(k) && isSize(v)) return { value: v, note: `'${k}' in the script` };
      return undefined;
    };
    const loaderBs = this.flags.loaders.map((l) => l.attrs.get('batch_size')).find(isSize);
    const batch = this.cx.directives.batch ?? (loaderBs !== undefined ? { value: loaderBs, note: 'the DataLoader' } : undefined) ?? lookup(/^(batch_size|batch|bs|train_batch_size|micro_batch_size|per_device_train_batch_size|BATCH_SIZE|BATCH)$/i) ?? { value: this.cx.opts.defaultBatch, note: 'the default setting' };
    const seq = this.cx.directives.seq ?? lookup(/^(block_size|seq_len|seq_length|max_seq_len|max_seq_length|context_length|max_length|n_ctx|sequence_length|ctx_len|max_len|SEQ_LEN|BLOCK_SIZE)$/i) ?? { value: this.cx.opts.defaultSeqLen, note: 'the default setting' };
    return { batch, seq };
  }

  /**
   * A size argument (a batch size, a crop size): a number that is not a positive integer below 2^53 (`-1`, `0`,
   * `1e308`, `2**64`, `nan`) is out of range: said once, and the size is unknown rather than a NaN/Infinity figure.
   */
  private sizeArg(v: Value, what: string, loc?: Loc): Value {
    if (!isNum(v) || Number.isSafeInteger(v) && v > 0) return v;
    this.cx.problem('warning', 'shape', `${what}=${String(v)}: size out of range (expected a positive integer below 2^53); treated as unknown.`, loc);
    return UNKNOWN;
  }

  private callLayer(m: LayerValue, pos: Value[], kw: Map<string, Value>, loc?: Loc): Value {
    const label = `nn.${m.name}`;
    if (!m.def) {
      if (pos.some((p) => isTensorV(p))) this.uncounted(label, 'layer not in the op table', loc ?? m.module.loc);
      return unknown(label);
    }
    let inputs = pos;
    let traced = true;
    if (inputs.length === 0 || isUnknown(inputs[0])) {
      const { batch, seq } = this.guessBatchSeq();
      let shapes: number[][] | undefined;
      try { shapes = m.def.guessInput?.(m.args, batch.value, seq.value); } catch { shapes = undefined; }
      if (!shapes) {
        this.uncounted(m.module.path ?? label, 'its input shape could not be traced and cannot be guessed from its arguments', loc ?? m.module.loc);
        return unknown(label);
      }
      inputs = shapes.map((s) => tensor(s, undefined, true));
      traced = false;
      this.cx.problem('info', 'shape-fallback', `${m.module.path ?? label}: input shape not traced; costed from its constructor arguments as [${shapes[0].join(', ')}].`, loc ?? m.module.loc);
    } else if (inputs.some((x) => isTensorV(x) && x.guessed)) traced = false;
    const frozen = !!m.module.frozen || m.module.params.length > 0 && m.module.params.every((p) => !p.trainable);
    const dtypeHint = m.module.dtype ?? inputs.find((x): x is TensorArg => isTensorV(x) && x.dtype !== 'int8')?.dtype;
    const ctx = this.ctx(frozen, dtypeHint);
    const kwArgs: Record<string, Arg> = {};
    for (const [k, v] of kw) kwArgs[k] = this.toArg(v);
    let out: OpOutcome;
    try {
      out = m.def.forward(m.args, inputs.map((x) => this.toArg(x)), kwArgs, ctx);
    } catch (e) {
      out = { error: `${label} failed: ${(e as Error).message}` };
    }
    if (isOpError(out)) {
      if (OUT_OF_RANGE.test(out.error)) this.uncounted(m.module.path ?? label, out.error, loc ?? m.module.loc);
      this.cx.problem('warning', 'shape', `${m.module.path ?? label}: ${out.error}`, loc ?? m.module.loc);
      return unknown(label);
    }
    this.record(out.costs, label, loc, { dtype: ctx.dtype, frozen, traced, declLoc: m.module.loc, moduleId: m.id });
    return markGuessed(toValue(out.output), !traced);
  }
}

/** An op-table error for a size out of range (`1e308`, `2**64`, `nan`, `-1` as a dimension): the op is uncounted, named. */
const OUT_OF_RANGE = /size out of range/;

function gcd(a: number, b: number): number { return b ? gcd(b, a % b) : Math.abs(a); }

/** Full dotted name, with common aliases folded (`torch.nn.modules.linear.Linear` stays matched by regexes). */
export function canonical(path: string): string {
  return path.replace(/^pytorch_lightning\b/, 'lightning.pytorch');
}

function fmt(n: number): string { return n.toLocaleString('en-US'); }
const dictOf = (entries: [string, Value][]): DictValue => ({ kind: 'dict', map: new Map(entries) });

function sliceItems<T>(items: T[], s: SliceValue): T[] {
  const n = items.length;
  const step = s.step ?? 1;
  let lo = s.lo ?? (step > 0 ? 0 : n - 1), hi = s.hi ?? (step > 0 ? n : -n - 1);
  if (lo < 0) lo += n; if (hi < 0) hi += n;
  const out: T[] = [];
  if (step > 0) for (let i = Math.max(0, lo); i < Math.min(n, hi); i += step) out.push(items[i]);
  else for (let i = Math.min(n - 1, lo); i > Math.max(-1, hi); i += step) out.push(items[i]);
  return out;
}

/** Convert an op-table output back into evaluator values. */
export function toValue(a: Arg): Value {
  if (a === undefined) return UNKNOWN;
  if (a === null || typeof a !== 'object') return a;
  if (Array.isArray(a)) return tuple(a.map(toValue));
  if (a.kind === 'tensor') return a;
  return UNKNOWN;
}

const COMPARISONS = new Set(['eq', 'ne', 'lt', 'le', 'gt', 'ge', 'logical_and', 'logical_or', 'logical_not', 'logical_xor', 'isin', 'isnan', 'isinf', 'isfinite']);

/** Size of dimension `dim` (negative counts from the end), or the element count when `dim` is absent. */
function dimSize(t: TensorArg, dim: Value | undefined): number | undefined {
  if (dim === undefined || dim === null) return prod(t.shape);
  if (!isNum(dim)) return undefined;
  return t.shape[dim < 0 ? t.shape.length + dim : dim];
}

/**
 * Mark results that are indices (their value range) or boolean masks (their expected density), so a later
 * `torch.where(mask)` / `x[mask]` can size its data-dependent output. Index producers: topk/sort/argsort/argmax/
 * argmin/multinomial (range = the size of the reduced dim). Masks: comparisons; `idx == k` over a range R keeps
 * 1/R of the elements, `!=` keeps 1 − 1/R, `torch.rand(...) < p` keeps p.
 */
function annotateIndexes(name: string, args: Value[], kw: Map<string, Value>, result: Value): void {
  if (!isTensorV(result) && !isSeq(result)) return;
  if ((name === 'rand' || name === 'rand_like') && isTensorV(result)) { result.uniform01 = true; return; }
  if (name === 'randint' && isTensorV(result)) {
    const lo = args.length >= 3 ? args[0] : kw.get('low') ?? 0;
    const hi = args.length >= 3 ? args[1] : kw.get('high') ?? args[0];
    if (isNum(lo) && isNum(hi) && hi > lo) result.indexRange = hi - lo;
    return;
  }
  const x = args[0];
  if (!isTensorV(x)) return;
  const dimArg = kw.get('dim') ?? (name === 'topk' ? args[2] : name === 'multinomial' ? -1 : args[1]);
  if ((name === 'topk' || name === 'sort') && isSeq(result) && isTensorV(result.items[1])) {
    const r = dimSize(x, dimArg ?? -1);
    if (r !== undefined) (result.items[1] as TensorArg).indexRange = r;
  } else if ((name === 'argmax' || name === 'argmin' || name === 'argsort' || name === 'multinomial') && isTensorV(result)) {
    const r = dimSize(x, name === 'argsort' ? (dimArg ?? -1) : dimArg);
    if (r !== undefined) result.indexRange = r;
  } else if (COMPARISONS.has(name) && isTensorV(result)) {
    result.mask = true;
    const y = args[1];
    const ranged = (t: Value, other: Value): number | undefined => (isTensorV(t) && t.indexRange && isNum(other) ? t.indexRange : undefined);
    const r = ranged(x, y) ?? ranged(y, x);
    if (r !== undefined && (name === 'eq' || name === 'ne')) result.density = name === 'eq' ? 1 / r : 1 - 1 / r;
    if (x.uniform01 && isNum(y) && y >= 0 && y <= 1 && name !== 'eq' && name !== 'ne') result.density = name === 'lt' || name === 'le' ? y : 1 - y;
  }
}

function markGuessed(v: Value, guessed: boolean): Value {
  if (!guessed) return v;
  if (isTensorV(v)) return { ...v, guessed: true };
  if (isSeq(v)) return { kind: v.kind, items: v.items.map((x) => markGuessed(x, true)) };
  return v;
}

/** A batch of `bs` samples: stack each tensor in a sample tuple along a new leading dim. */
export function batchOf(sample: Value, bs: number): Value {
  if (isTensorV(sample)) return tensor([bs, ...sample.shape], sample.dtype, sample.guessed);
  if (isSeq(sample)) return tuple(sample.items.map((x) => batchOf(x, bs)));
  if (isKind(sample, 'dict')) {
    const d: DictValue = { kind: 'dict', map: new Map() };
    for (const [k, v] of sample.map) d.map.set(k, batchOf(v, bs));
    return d;
  }
  return sample;
}

export { DATASETS };
export type { RangeValue };
