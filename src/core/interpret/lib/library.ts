/**
 * The library: what the evaluator knows about Python builtins and the ML libraries scripts use. This facade
 * holds what the analysis reads after evaluation (flags, uncounted ops, argparse defaults), routes attribute,
 * item, method and call protocols by value kind, and dispatches library calls through one table assembled
 * from the domain files beside it:
 *   builtins.ts  Python builtins, iteration, str/dict/list methods, the standard library
 *   modules.ts   torch.nn layers and containers, module classes and calls, parameters, DDP/FSDP, compile
 *   tensors.ts   torch functions and tensor methods through the op table, indexing, torch runtime settings
 *   training.ts  grad modes, autocast, optimizers, checkpointing, Accelerate, Lightning
 *   data.ts      datasets, DataLoader, samplers, transforms
 *   config.ts    argparse, JSON/YAML/OmegaConf text, namespaces, dataclass fields
 *   numeric.ts   math/numpy scalars, einops
 * and the zoo bridge (../zooBridge.ts) for models loaded by name. Domain files see the evaluator only
 * through `EvalContext` (../context.ts) and each other only through this class.
 */
import type { Dtype, Loc, Phase } from '../../types';
import type { Arg, CallContext, TensorArg } from '../../ops/registry';
import type { Cost } from '../../ops/primitives';
import type { EvalContext } from '../context';
import { UNKNOWN, unknown, dictKey, newMeta, isObj, isKind, isNum, isSeq, isTensorV, isModuleValue, describe, tuple, list } from '../values';

/** Widest slice of unseen data materialised as items (a block of tokens or characters is far narrower). */
const SLICE_OF_UNKNOWN_MAX = 65_536;
import type { DictValue,
  Value, ObjValue, LayerValue, ContainerValue, InstValue, ClassValue, ParamValue, Scope, ExtValue, ObjType,
} from '../values';
import type { CtxEntry } from '../recorder';
import { ZooBridge } from '../zooBridge';
import { CallTable, NOT_MINE } from './dispatch';
import { unsizedLike } from '../unsized';
import type { MethodTable, ObjCallTable, Route } from './dispatch';
import * as builtins from './builtins';
import type { IterResult } from './builtins';
import * as modules from './modules';
import { initLayerBase } from './layerSubclass';
import * as tensors from './tensors';
import * as training from './training';
import * as data from './data';
import * as config from './config';
import * as configFiles from './configFiles';
import * as argvReaders from './argvReaders';
import * as precision from './precision';
import * as dataFiles from './dataFiles';
import { strSlice } from './strings';
import * as frames from './frames';
import * as sklearnData from './sklearnData';
import * as numeric from './numeric';
import * as rl from './rl';
import * as pipes from './pipes';
import * as introspection from './introspection';
import * as wrappers from './wrappers';
import * as crossval from './crossval';
import * as folders from './folders';
import * as strformat from './strformat';
import * as timmData from './timmData';
import * as pil from './pil';
import * as torchtune from './torchtune';
import * as litdata from './litdata';
import * as audio from './audio';
import { canonical } from './util';
import { libraryModule } from '../libraryModules';
import type { ModuleSource } from '../../api';
import { seenAttr } from '../savedOutputs';
import { loadFromCheckpoint } from './lightning';
import { isUntracedTensor, untracedTensorLike } from './unknownIndex';

/**
 * Every library call path, in the order the families are tried (exact paths are looked up first; an exact path
 * must not be one that a family listed before it would claim: test/unit/interpret.snippets.test.ts checks it).
 */
export const CALL_ROUTES: readonly Route[] = [
  ...modules.ROUTES, // nn.Parameter, DDP/FSDP wrappers, torch.nn layers, torch.compile
  ...precision.ROUTES, // set_default_dtype, torchtune's get_dtype/set_default_dtype: the dtype models are built in
  ...tensors.RUNTIME_ROUTES, // seeds, devices, dtypes, TF32, save/load
  ...wrappers.ROUTES, // Fabric, deepspeed.initialize, wrappers of unseen libraries that return the model
  ...training.ROUTES,
  ...dataFiles.ARRAY_ROUTES, // arrays of lists of stated length (a data file's characters encoded one by one)
  ...data.ROUTES,
  ...crossval.ROUTES, // sklearn K-fold splitters, SubsetRandomSampler
  ...folders.ROUTES, // glob/listdir of a catalog dataset's folder: a listing of its image count
  ...strformat.ROUTES, // 'fmt' % args
  ...timmData.ROUTES, // timm create_dataset/create_loader/create_scheduler_v2
  ...pil.ROUTES, // PIL Image.open/new/fromarray
  ...dataFiles.ROUTES, // facts of data files the host read: np.loadtxt/pd.read_csv shapes, json.load of records
  ...sklearnData.ROUTES, // sklearn.datasets.make_circles/make_blobs/…: arrays of the call's n_samples × n_features
  ...frames.ROUTES, // train_test_split of arrays and tables by rows
  ...configFiles.ROUTES, // config files the host read: yaml.safe_load(open(p)), OmegaConf.load, Hydra
  ...argvReaders.ROUTES, // OmegaConf.from_cli / merge: the command line's key=value overrides
  ...torchtune.ROUTES, // torchtune recipes: @config.parse, model and dataset builders
  ...litdata.ROUTES, // litdata streaming token datasets and their loader
  ...audio.ROUTES, // torchaudio.load and feature transforms (MelSpectrogram, MFCC, …)
  ...config.ROUTES,
  ...rl.ROUTES, // gym/gymnasium envs: observation and action sizes by env id
  ...pipes.ROUTES, // multiprocessing Pipe/Process: a worker's reply to what the main process sent
  ...introspection.ROUTES, // inspect.getmembers of a local module
  ...numeric.ROUTES,
  ...builtins.STDLIB_ROUTES,
  ...tensors.FUNCTION_ROUTES, // claims every torch.<name>, F.<name>, torch.Tensor.<name> left
  ...wrappers.FALLBACK_ROUTES, // a wrapper of an unseen library given the model gives it back
  // Models by name: from_pretrained, torchvision/timm constructors, pipelines, peft, HF Trainer.
  { pattern: /(?:)/, handler: (lib, c) => lib.zoo.callExternal(c.path, c.pos, c.kw, c.loc) },
];
const CALLS = new CallTable(CALL_ROUTES);

/** Methods of library objects by kind; a kind not here (or a handler's NOT_MINE) goes to the zoo bridge. */
const OBJ_METHODS: MethodTable = { ...frames.METHODS, ...dataFiles.METHODS, ...configFiles.METHODS, ...pil.METHODS, ...wrappers.METHODS, ...modules.METHODS, ...training.METHODS, ...data.METHODS, ...config.METHODS, ...pipes.METHODS, ...audio.METHODS, ...builtins.METHODS };
/** Calls of library objects without module bookkeeping (transforms, einops layers, loaders), after the zoo bridge's. */
const OBJ_CALLS: ObjCallTable = { ...wrappers.OBJ_CALLS, ...data.OBJ_CALLS, ...numeric.OBJ_CALLS, ...config.OBJ_CALLS, ...audio.OBJ_CALLS };

export class Library {
  /** Script-wide settings the evaluator discovers (TF32, devices, pin_memory...). */
  readonly flags: {
    allowTf32: boolean; matmulPadding?: boolean; device?: string; pinMemory?: boolean; loaderWorkers?: number; compiled: boolean; ddp: boolean; gradCheckpointing: boolean;
    /** The image dataset's transform list (torchvision class names, the longest one seen: the training pipeline), and whether its samples are decoded from files. */
    inputTransforms?: string[]; inputDecode?: boolean;
    optimizers: ObjValue[]; loaders: ObjValue[]; datasets: ObjValue[]; trainers: ObjValue[]; evalCalled: boolean; modelDtypes: Dtype[];
    inputBytes: { bytes: number; ctx: CtxEntry[] }[];
    /** Raw tensors made to require gradients outside loops and modules (`W = torch.randn(..., requires_grad=True)`). */
    rawParams: TensorArg[];
    /** The script reads `.grad` (a hand-written update such as `p -= lr * p.grad`). */
    readsGrad?: boolean;
    checkpoints: { inputBytes: number; savedBytes: number; ctx: CtxEntry[] }[];
    /** Hugging Face Accelerate: gradient accumulation steps and mixed precision of `Accelerator(...)`. */
    accelerate?: { accum: number; dtype?: Dtype };
    /** Where the script states a compute dtype (autocast, torch_dtype=, .half(), a Trainer's bf16=True), for provenance. */
    dtypeSources: { dtype: Dtype; what: string; loc?: Loc }[];
  } = { allowTf32: false, compiled: false, ddp: false, gradCheckpointing: false, optimizers: [], loaders: [], datasets: [], trainers: [], evalCalled: false, modelDtypes: [], inputBytes: [], checkpoints: [], rawParams: [], dtypeSources: [] };
  /** Ops the table does not know, by name (never a silent zero). */
  readonly uncountedOps = new Map<string, { name: string; reason: string; loc?: Loc }>();
  /** Scalars assigned to names at module level that look like run parameters (`batch_size`, `block_size`). */
  readonly argparseDefaults = new Map<string, { value: Value; loc?: Loc }>();

  constructor(readonly cx: EvalContext) {
    this.zoo = new ZooBridge(cx, this);
  }

  /** The bridge to the model zoo (from_pretrained, torchvision/timm, pipelines, generate, HF Trainer). */
  readonly zoo: ZooBridge;

  /** A library object of kind `type` made at `loc`. */
  obj(type: ObjType, attrs: [string, Value][] = [], loc?: Loc): ObjValue {
    return { kind: 'obj', type, attrs: new Map(attrs), id: this.cx.id(), loc };
  }

  extRef(path: string): ExtValue { return { kind: 'ext', path: canonical(path) }; }

  /** A library module FlopLens describes in Python of its own (Lightning's demo Transformer and WikiText2), by dotted name. */
  libraryModule(name: string): ModuleSource | undefined { return libraryModule(name); }

  uncounted(name: string, reason: string, loc?: Loc): void {
    const key = `${name}@${loc?.file ?? ''}:${loc?.line ?? 0}`;
    if (!this.uncountedOps.has(key) && this.uncountedOps.size < 200) this.uncountedOps.set(key, { name, reason, loc });
  }

  // ------------------------------------------------------------ calls

  /** A call of a library function by dotted path: the dispatch table, then what no handler claims. */
  callExternal(path: string, pos: Value[], kw: Map<string, Value>, loc?: Loc): Value {
    const p = canonical(path);
    const last = p.split('.').pop() ?? '';
    const r = CALLS.dispatch(this, { path: p, last, pos, kw, loc });
    if (r !== NOT_MINE) return r;
    if (pos.some(isTensorV) && /^(torch|torchvision|einops|xformers|flash_attn|apex|timm)\b/.test(p)) this.uncounted(p, 'not in the op table', loc);
    // Library functions that take a model and hand back the same model rewritten in place or with
    // layers swapped one for one (SyncBatchNorm conversion, fusing, FX tracing, quantisation prep,
    // freezing): the parameters and the matrix work are the model's own, so keep tracing it.
    if (isModuleValue(pos[0]) && modules.MODULE_PASSTHROUGH.test(last)) {
      this.cx.problem('info', 'module-passthrough', `${p}(model): assumed to return the same model (same layers and parameters).`, loc);
      return pos[0];
    }
    return unknown(p);
  }

  /** Methods on values: strings, dicts, lists, tensors, modules and library objects. */
  callMethod(self: Value, name: string, pos: Value[], kw: Map<string, Value>, loc?: Loc): Value {
    if (typeof self === 'string') return builtins.strMethod(this, self, name, pos, loc);
    if (!isObj(self)) return UNKNOWN;
    switch (self.kind) {
      case 'dict': return builtins.dictMethod(this, self, name, pos, kw, loc);
      case 'list': case 'tuple': return builtins.seqMethod(this, self, name, pos, loc);
      case 'tensor': return tensors.tensorMethod(this, self, name, pos, kw, loc);
      case 'param': return tensors.tensorMethod(this, this.paramTensor(self), name, pos, kw, loc);
      case 'inst': case 'layer': case 'container': return modules.moduleCall(this, self, name, pos, kw, loc);
      case 'obj': {
        const r = OBJ_METHODS[self.type]?.(this, self, name, pos, kw, loc) ?? NOT_MINE;
        if (r !== NOT_MINE) return r;
        const z = this.zoo.objMethod(self, name, pos, kw, loc);
        return z !== NOT_MINE ? z : unknown(`${self.type}.${name}()`);
      }
      case 'unknown': return untracedTensorLike(self, tensors.untracedMethod(this, name, pos, kw, loc), name);
      default: return UNKNOWN;
    }
  }

  /** A call of a library object that is not a module (`tokenizer(text)`, `transform(img)`, `Rearrange(...)(x)`). */
  objCall(m: ObjValue, pos: Value[], kw: Map<string, Value>, loc?: Loc): Value {
    const r = this.zoo.callObject(m, pos, kw, loc);
    if (r !== NOT_MINE) return r;
    const h = OBJ_CALLS[m.type];
    return h ? h(this, m, pos, kw, loc) : unknown(`call of ${m.type}`);
  }

  // ------------------------------------------------------------ attributes and items

  getAttr(obj: Value, name: string, loc?: Loc): Value {
    if (!isObj(obj)) {
      if (typeof obj === 'string') return { kind: 'method', self: obj, name };
      if (typeof obj === 'number') return name === 'real' ? obj : { kind: 'method', self: obj, name };
      return unknown(`attribute '${name}' of ${describe(obj)}`);
    }
    // DataParallel/DDP/FSDP return the model they wrap; `wrapped.module` is that model.
    if (name === 'module' && this.wrapped.has(obj) && !(isKind(obj, 'inst') && obj.attrs.has('module'))) return obj;
    const seen = seenAttr(obj, name); if (seen !== undefined) return seen; // a notebook's saved output (savedOutputs.ts)
    switch (obj.kind) {
      case 'ext': return numeric.mathConstant(canonical(`${obj.path}.${name}`)) ?? torchtune.bareDecorator(this, canonical(`${obj.path}.${name}`)) ?? argvReaders.sysArgv(this.cx, canonical(`${obj.path}.${name}`)) ?? this.extRef(`${obj.path}.${name}`);
      case 'tensor': return tensors.tensorAttr(this, obj, name, loc);
      case 'param': return tensors.tensorAttr(this, this.paramTensor(obj), name, loc);
      case 'inst': {
        if (obj.attrs.has(name)) return obj.attrs.get(name) as Value;
        // `self.__dict__.update(d)` (config classes such as minGPT's CfgNode): a dict that is the attributes themselves.
        if (name === '__dict__') return { kind: 'dict', map: obj.attrs as DictValue['map'] };
        const c = this.cx.lookupClass(obj.cls, name);
        // model.forward(x) / self.forward(x) from another method (a LightningModule's training_step): a call of the
        // module, as model(x) is (traced as the model, its layers inside it), not a plain function call.
        if (name === 'forward' && obj.module && c && isKind(c.value, 'func') && !this.cx.state.activeModules.has(obj)) return this.moduleMethod(obj, name);
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
        // A @classmethod read off its class is bound to it (`Config.from_name(n)` runs with cls = Config).
        if (c && isKind(c.value, 'func') && c.value.decorators.some((d) => /(^|\.)classmethod$/.test(d))) return { ...c.value, self: obj, owner: c.owner };
        if (c) return c.value;
        return loadFromCheckpoint(this, obj, name) ?? unknown(`'${obj.name}.${name}'`);
      }
      case 'layer': {
        const p = obj.module.params.find((x) => x.name === name);
        if (p) return p;
        if (name in obj.args) return tensors.toValue(obj.args[name]);
        if (name in obj.rawArgs) return obj.rawArgs[name];
        // Common derived attributes.
        if (name === 'in_features' || name === 'out_features' || name === 'embedding_dim' || name === 'num_embeddings') return tensors.toValue(obj.args[name]);
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
      case 'unknown': return tensors.untracedAttr(obj, name);
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
    if (obj.type === 'namespace' && name === '__dict__') return configFiles.namespaceDict(obj); // args.__dict__.update(cfg)
    if (obj.type === 'namespace' && configFiles.NAMESPACE_METHODS.has(name)) return { kind: 'method', self: obj, name }; // cfg.get(k, d)
    if (obj.type === 'module' && name === '__dict__') return { kind: 'dict', map: obj.attrs as DictValue['map'] }; // vits.__dict__[args.arch]: a local module's names
    if (obj.type === 'namespace' || obj.type === 'module' || obj.type === 'config') return unknown(`attribute '${name}'`);
    if (obj.type === 'catalogModel' && name === 'config') return this.zoo.configObject(obj);
    if (obj.type === 'catalogModel') { const child = this.zoo.childOf(obj, name); if (child) return child; }
    const inst = obj.type === 'dataset' ? obj.attrs.get('instance') : undefined; // train_loader.dataset.num_categories
    if (inst && isKind(inst, 'inst')) return this.getAttr(inst, name, _loc);
    return { kind: 'method', self: obj, name };
  }

  setAttr(obj: Value, name: string, v: Value, loc?: Loc): void {
    if (!isObj(obj)) return;
    switch (obj.kind) {
      case 'inst': {
        // `config.vocab_size = len(chars)`, `args.batch_size = 64`: directives and data-vocabulary defaults apply to
        // attributes as they do to names.
        const prev = obj.attrs.get(name);
        const w = isKind(v, 'param') && isKind(prev, 'param') ? sizedLike(v, prev) : v;
        obj.attrs.set(name, this.cx.overrideScalar(name, w));
        if (obj.module && isKind(w, 'param')) {
          const i = obj.module.params.findIndex((p) => p.name === name);
          if (i >= 0 && isKind(prev, 'param')) obj.module.params[i] = { ...w, name };
          else obj.module.params.push({ ...w, name } as ParamValue);
        }
        return;
      }
      case 'layer': {
        // Weight tying: `head.weight = emb.weight` shares one tensor; count it once.
        if (isKind(v, 'param')) {
          const i = obj.module.params.findIndex((p) => p.name === name);
          const old = i >= 0 ? obj.module.params[i] : undefined;
          const shared = old ? sizedLike(v, old) : v;
          if (i >= 0) obj.module.params[i] = shared;
          else obj.module.params.push(shared);
        } else if (name === 'requires_grad' && v === false) obj.module.frozen = true;
        return;
      }
      case 'obj': {
        if (obj.type === 'paramproxy' && name === 'requires_grad') {
          const mods = obj.attrs.get('modules');
          if (isSeq(mods)) for (const m of mods.items) modules.setFrozen(this, m, v === false);
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
      // `W.requires_grad = True` on a raw tensor: a parameter of a hand-written model, as `requires_grad_()` makes it.
      case 'tensor': {
        if (name === 'requires_grad' && v === true) tensors.markRawParam(this, obj);
        return;
      }
      case 'ext': {
        if (/allow_tf32$/.test(`${obj.path}.${name}`) && v === true) this.flags.allowTf32 = true;
        if (/_inductor\.config\.shape_padding$/.test(`${obj.path}.${name}`) && typeof v === 'boolean') this.flags.matmulPadding = v;
        return;
      }
      default: return;
    }
    void loc;
  }

  getItem(obj: Value, idx: Value[], multi: boolean, loc?: Loc): Value {
    const key = multi ? tuple(idx) : idx[0];
    const bound = tensors.untracedItem(this, obj, key, loc);
    if (bound !== undefined) return bound;
    // `data[i:i + k]` of data the evaluator cannot see (a corpus string, a token list): k items it cannot know, so that
    // `len(chunk)` and what is built from it per item (`[stoi[c] for c in chunk]`) have the script's width.
    if (isKind(obj, 'unknown') && !multi && isKind(key, 'slice')) {
      const lo = isNum(key.lo) ? key.lo : key.lo === undefined ? 0 : NaN;
      const w = key.width ?? (isNum(key.hi) && key.hi >= 0 && lo >= 0 && key.hi >= lo ? key.hi - lo : undefined);
      if (w !== undefined && Number.isInteger(w) && w <= SLICE_OF_UNKNOWN_MAX) return list(Array<Value>(w).fill(UNKNOWN));
    }
    if (isUntracedTensor(obj)) return untracedTensorLike(obj, unknown('subscript'));
    if (!isObj(obj)) {
      if (typeof obj === 'string' && isNum(key)) return obj.at(key) ?? UNKNOWN;
      if (typeof obj === 'string' && isKind(key, 'slice')) return strSlice(obj, key) ?? UNKNOWN; // line[1:-1]
      return unknown('subscript');
    }
    switch (obj.kind) {
      case 'list': case 'tuple': {
        if (isNum(key)) { const i = key < 0 ? obj.items.length + key : key; const v = i >= 0 ? obj.items[i] : undefined; return v !== undefined ? v : unknown('index out of range'); }
        if (isKind(key, 'slice')) return folders.sliceListing(obj, key) ?? unsizedLike(obj, { kind: obj.kind, items: builtins.sliceItems(obj.items, key) });
        return UNKNOWN;
      }
      case 'dict': {
        const k = dictKey(key);
        return k !== undefined && obj.map.has(k) ? (obj.map.get(k) as Value) : unknown(`key ${JSON.stringify(k)}`);
      }
      case 'range': return isNum(key) ? obj.start + key * obj.step : UNKNOWN;
      // `models.__dict__[args.arch]`: the library's attribute of that name.
      case 'ext': return typeof key === 'string' && obj.path.endsWith('.__dict__') ? this.extRef(`${obj.path.slice(0, -'.__dict__'.length)}.${key}`) : UNKNOWN;
      case 'tensor': return tensors.indexTensor(this, obj, idx, loc);
      case 'param': return tensors.indexTensor(this, this.paramTensor(obj), idx, loc);
      case 'container': {
        if (typeof key === 'string' && obj.keys) { const i = obj.keys.indexOf(key); return i >= 0 ? obj.items[i] : UNKNOWN; }
        if (isNum(key)) return obj.items[key < 0 ? obj.items.length + key : key] ?? UNKNOWN;
        if (isKind(key, 'slice')) {
          const c: ContainerValue = { kind: 'container', type: obj.type, items: builtins.sliceItems(obj.items, key), id: this.cx.id(), module: newMeta(loc) };
          return c;
        }
        return UNKNOWN;
      }
      case 'obj': {
        if (obj.type === 'dataset') return typeof key === 'string' ? data.datasetSplit(this, obj, key, loc) : this.sample(obj, 0);
        if (obj.type === 'frame' || obj.type === 'frameIndexer') return frames.frameItem(this, obj, idx, loc);
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

  /** What `with v as x:` binds to `x`: the context object itself for every context the library models. */
  contextValue(v: Value): Value { return v; }

  /** The DistributedSampler note was given (once per analysis). */
  warnedRanks = false;
  /** Models wrapped by DataParallel/DDP/FSDP (the wrapper is the model itself; `.module` resolves to it). */
  readonly wrapped = new WeakSet<object>();
  /** The model input guessed from its first layer when a root call's input was unknown (an assumption shown to the user). */
  guessedInput: { shape: number[]; layer: string } | undefined;
  /** Dims of untraced tensors bound from evidence (`b = real.size(0)` → the batch), one per line that read one. */
  readonly boundDims: { key: string; name: 'batch'; value: number; note: string }[] = [];

  // ------------------------------------------------------------ the domains, for the evaluator and each other

  installBuiltins(scope: Scope): void { return builtins.installBuiltins(this, scope); }
  len(v: Value | undefined): Value { return builtins.len(this, v); }
  iterate(v: Value | undefined, _loc?: Loc): IterResult { return builtins.iterate(this, v, _loc); }
  unpack(v: Value, n: number, starIdx: number): Value[] { return tensors.untracedUnpack(this, v, n, starIdx) ?? builtins.unpack(this, v, n, starIdx); }
  isModuleBase(v: Value): boolean { return modules.isModuleBase(this, v); }
  /** `class E(nn.Embedding)` called with the base's arguments (no __init__ of its own): builds the base layer. */
  layerBaseInit(cls: ClassValue, inst: InstValue, pos: Value[], kw: Map<string, Value>, loc?: Loc): boolean { return initLayerBase(this, cls, inst, (n) => modules.constructLayer(this, n, pos, kw, loc)); }
  containerBase(v: Value, depth = 0): 'Sequential' | 'ModuleList' | 'ModuleDict' | undefined { return modules.containerBase(this, v, depth); }
  containerChildren(m: InstValue): Value[] { return modules.containerChildren(this, m); }
  walkModules(root: Value, visit: (m: InstValue | LayerValue | ContainerValue | ObjValue, path: readonly string[]) => void): void { return modules.walkModules(this, root, visit); }
  countParams(roots: Value[]): { total: number; trainable: number; unknown: boolean } { return modules.countParams(this, roots); }
  containerSet(c: ContainerValue, key: string, v: Value): void { return modules.containerSet(this, c, key, v); }
  callModule(m: Value, pos: Value[], kw: Map<string, Value>, loc?: Loc, calleeName?: string): Value { return modules.callModule(this, m, pos, kw, loc, calleeName); }
  guessBatchSeq(): { batch: { value: number; note: string }; seq: { value: number; note: string } } { return modules.guessBatchSeq(this); }
  paramTensor(p: ParamValue): TensorArg { return tensors.paramTensor(this, p); }
  toArg(v: Value | undefined): Arg { return tensors.toArg(this, v); }
  ctx(frozen = false, dtypeHint?: Dtype, weightDtype?: Dtype): CallContext { return tensors.ctx(this, frozen, dtypeHint, weightDtype); }
  record(costs: Cost[], label: string, loc: Loc | undefined, opts: { dtype: Dtype; frozen?: boolean; traced?: boolean; declLoc?: Loc; moduleId?: number; phase?: Phase; count?: number; name?: string }): void { return tensors.record(this, costs, label, loc, opts); }
  applyFn(name: string, table: 'fn' | 'method', args: Value[], kw: Map<string, Value>, loc?: Loc, label?: string): Value { return tensors.applyFn(this, name, table, args, kw, loc, label); }
  tensorElementwise(op: string, args: Value[], loc?: Loc): Value { return tensors.tensorElementwise(this, op, args, loc); }
  sample(ds: ObjValue, _i: number): Value { return data.sample(this, ds, _i); }
  loaderTrips(l: ObjValue): number | undefined { return data.loaderTrips(this, l); }
  iterateLoader(l: ObjValue): IterResult { return data.iterateLoader(this, l); }
  enterContext(v: Value): () => void { return training.enterContext(this, v); }
  engineMethod(m: InstValue | LayerValue | ContainerValue | ObjValue, name: string, loc?: Loc): Value | typeof NOT_MINE { return wrappers.engineMethod(this, m, name, loc); }
}

/**
 * `layer.weight = nn.Parameter(torch.tensor(loaded))` (a checkpoint): a replacement of unknown size has the size of the
 * parameter it replaces (assign()/load_state_dict check that), so the parameter stays counted.
 */
function sizedLike(v: ParamValue, old: ParamValue): ParamValue {
  return !Number.isFinite(v.numel) && Number.isFinite(old.numel) ? { ...v, numel: old.numel, shape: old.shape, name: old.name ?? v.name } : v;
}
