/**
 * Modules: torch.nn layers (through the op table) and containers, the script's nn.Module classes, module
 * calls (forward tracing, root calls, input guesses), parameters (counting, freezing, tying), DDP/FSDP
 * wrappers, torch.compile and `super()` inside module classes.
 */
import type { Dtype, Loc } from '../../types';
import type { Arg, LayerDef, TensorArg, OpOutcome } from '../../ops/registry';
import { isOpError } from '../../ops/registry';
import { prod } from '../../ops/primitives';
import { LAYERS, bindArgs } from '../../ops';
import { UNKNOWN, unknown, newMeta, dtypeOf, isObj, isKind, isSeq, isUnknown, isNum, isTensorV, tensor, tuple, list, isModuleValue } from '../values';
import type { Value, ObjValue, LayerValue, ContainerValue, InstValue, ParamValue, ModuleMeta } from '../values';
import { NOT_MINE } from './dispatch';
import type { MethodTable, Route } from './dispatch';
import type { Library } from './library';
import { OUT_OF_RANGE, markGuessed, toValue } from './tensors';
import { convSideForLinear, wrapperInit } from './rl';
import { saveHyperparameters } from './lightning';
import { initLayerBase, baseLayerOf, torchLayerName } from './layerSubclass';
import { defaultDtype } from './precision';

/** Names of library functions that return the model they are given (converted in place or layer for layer). */
export const MODULE_PASSTHROUGH = /^(convert_sync_batchnorm|convert_frozen_batchnorm|fuse_modules|fuse_conv_bn_eval|prepare|prepare_qat|prepare_fx|convert|convert_fx|symbolic_trace|freeze|optimize_for_inference|script_if_tracing|replace_\w+|convert_\w+|wrap|auto_wrap|channels_last|to_channels_last)$/;
const MODULE_BASES = /^(torch\.nn\.Module|torch\.nn\.modules\.module\.Module|lightning\.(pytorch\.)?LightningModule|pytorch_lightning\.LightningModule|(lightning\.)?L\.LightningModule|transformers\.PreTrainedModel|transformers\.modeling_utils\.PreTrainedModel)$/;
const LAYER = /^torch\.nn\.(?:modules\.\w+\.)?([A-Z]\w*)$/;

export const ROUTES: Route[] = [
  {
    exact: ['torch.nn.Parameter', 'torch.nn.parameter.Parameter', 'torch.nn.Buffer', 'torch.nn.parameter.Buffer'],
    handler: (lib, { path: p, pos, kw }) => {
      const t = pos[0] ?? kw.get('data');
      const shape = isTensorV(t) ? t.shape : undefined;
      if (p.endsWith('Buffer')) return t ?? UNKNOWN;
      return { kind: 'param', id: lib.cx.id(), numel: shape ? prod(shape) : NaN, shape, trainable: kw.get('requires_grad') !== false };
    },
  },
  {
    pattern: /^torch\.nn\.(parallel\.)?(DataParallel|DistributedDataParallel)$|^torch\.distributed\.fsdp\.(FullyShardedDataParallel)$|^FSDP$|DDP$/,
    handler: (lib, { pos, kw }) => {
      lib.flags.ddp = true;
      const m = pos[0] ?? kw.get('module') ?? UNKNOWN;
      if (isObj(m)) lib.wrapped.add(m);
      return m;
    },
  },
  { pattern: LAYER, handler: (lib, { path, pos, kw, loc }) => constructLayer(lib, LAYER.exec(path)![1], pos, kw, loc) },
  {
    // nn.Embedding.from_pretrained(table, freeze=True): an embedding of the table's [rows, width], frozen unless told.
    pattern: /^torch\.nn\.(Embedding|EmbeddingBag)\.from_pretrained$/,
    handler: (lib, { path, pos, kw, loc }) => {
      const table = pos[0] ?? kw.get('embeddings');
      const t = isKind(table, 'param') ? lib.paramTensor(table) : table;
      if (!isTensorV(t) || t.shape.length !== 2) return NOT_MINE;
      const rest = new Map([...kw].filter(([k]) => k !== 'embeddings' && k !== 'freeze'));
      const m = constructLayer(lib, path.split('.')[2], [t.shape[0], t.shape[1]], rest, loc);
      if ((kw.get('freeze') ?? pos[1] ?? true) !== false) setFrozen(lib, m, true);
      return m;
    },
  },
  { exact: ['torch.compile', 'torch.jit.script', 'torch.jit.trace'], handler: (lib, { path: p, pos }) => { lib.flags.compiled = p === 'torch.compile'; return pos[0] ?? UNKNOWN; } },
];

export const METHODS: MethodTable = {
  super: (lib, self, name, pos, kw, loc) => {
    const s = self.attrs.get('self');
    const owner = self.attrs.get('owner');
    if (name === '__init__') {
      if (isKind(owner, 'class') && isKind(s, 'inst')) {
        const base = lib.cx.lookupClass(owner, '__init__', true);
        if (base && isKind(base.value, 'func')) return lib.cx.callFunction({ ...base.value, self: s, owner: base.owner }, pos, kw, loc);
        // super().__init__(*layers) of an nn.Sequential / ModuleList / ModuleDict subclass registers
        // the layers as children '0', '1', … (or the dict's keys), as torch does.
        const cont = containerBase(lib, owner);
        if (cont && (pos.length > 0 || kw.size > 0)) {
          const n = lib.cx.constructed.length;
          const c = constructLayer(lib, cont, pos, kw, loc) as ContainerValue;
          lib.cx.constructed.length = n;
          const keys = c.items.map((_, i) => c.keys?.[i] ?? String(i));
          keys.forEach((k, i) => s.attrs.set(k, c.items[i]));
          s.attrs.set('__container_keys__', list(keys));
        } else if (!cont && !initLayerBase(lib, owner, s, (n) => constructLayer(lib, n, pos, kw, loc))) wrapperInit(lib, owner, s, pos[0] ?? kw.get('env')); // class E(nn.Embedding), class W(gym.Wrapper)
      }
      return null;
    }
    if (isKind(owner, 'class') && isKind(s, 'inst')) {
      const base = lib.cx.lookupClass(owner, name, true);
      if (base && isKind(base.value, 'func')) return lib.cx.callFunction({ ...base.value, self: s, owner: base.owner }, pos, kw, loc);
      const bl = baseLayerOf(s);
      if (name === 'forward') return bl ? callModule(lib, bl, pos, kw, loc) : unknown('super().forward');
      return moduleCall(lib, s, name, pos, kw, loc);
    }
    return UNKNOWN;
  },
  paramset: (_lib, self) => self,
};

export function isModuleBase(lib: Library, v: Value): boolean {
  if (isKind(v, 'ext')) return MODULE_BASES.test(v.path) || /(^|\.)(Module|LightningModule|\w*PreTrainedModel)$/.test(v.path) || containerBase(lib, v) !== undefined || torchLayerName(v.path) !== undefined;
  if (isKind(v, 'class')) return v.isModule;
  return false;
}

/** `class Block(nn.Sequential)`: the torch container a class (or a base of it) derives from. */
export function containerBase(lib: Library, v: Value, depth = 0): 'Sequential' | 'ModuleList' | 'ModuleDict' | undefined {
  if (isKind(v, 'ext')) {
    const m = /^torch\.nn\.(?:modules\.container\.)?(Sequential|ModuleList|ModuleDict)$/.exec(v.path);
    return m ? (m[1] as 'Sequential' | 'ModuleList' | 'ModuleDict') : undefined;
  }
  if (isKind(v, 'class') && depth < 20) for (const b of v.bases) { const r = containerBase(lib, b, depth + 1); if (r) return r; }
  return undefined;
}

/** Children of an instance of a container subclass, in registration order ('0', '1', … or the dict's keys). */
export function containerChildren(lib: Library, m: InstValue): Value[] {
  const keys = m.attrs.get('__container_keys__');
  return isSeq(keys) ? keys.items.map((k) => m.attrs.get(String(k)) ?? UNKNOWN) : [];
}

export function setFrozen(lib: Library, m: Value, frozen: boolean): void {
  if (isKind(m, 'obj') && m.type === 'catalogModel') { lib.zoo.setFrozen(m, frozen); return; }
  walkModules(lib, m, (x) => {
    if (x.module) x.module.frozen = frozen;
    for (const p of x.module?.params ?? []) p.trainable = !frozen;
  });
}

/** Visit a module and all registered submodules (depth-first, each once). */
/**
 * Visit every module below `root` once, depth first, with its attribute path. The path array is the walk's own
 * stack, changed after `visit` returns: a visitor that keeps it must copy it.
 */
export function walkModules(lib: Library, root: Value, visit: (m: InstValue | LayerValue | ContainerValue | ObjValue, path: readonly string[]) => void): void {
  const seen = new Set<number>();
  const path: string[] = [];
  const walk = (v: Value) => {
    if (!isModuleValue(v) || seen.has(v.id)) return;
    seen.add(v.id);
    visit(v, path);
    if (isKind(v, 'inst')) {
      for (const [k, c] of v.attrs) {
        if (!isModuleValue(c)) continue;
        path.push(k);
        walk(c);
        path.pop();
      }
    } else if (isKind(v, 'container')) {
      for (let i = 0; i < v.items.length; i++) {
        path.push(v.keys ? v.keys[i] : String(i));
        walk(v.items[i]);
        path.pop();
      }
    }
    // Module arguments of torch layers (the encoder_layer of nn.TransformerEncoder) are copied by
    // PyTorch, not registered: the layer's own parameter count already includes the copies.
  };
  walk(root);
}

/** Assign dotted paths below a root the first time it is used. */
function assignPaths(lib: Library, root: Value, rootName: string): void {
  walkModules(lib, root, (m, path) => {
    if (m.module && m.module.path === undefined) m.module.path = path.length ? `${rootName}.${path.join('.')}` : rootName;
  });
}

/** Unique parameters below a root: total, trainable. Tied weights count once. */
export function countParams(lib: Library, roots: Value[]): { total: number; trainable: number; unknown: boolean } {
  const seen = new Set<number>();
  let total = 0, trainable = 0, unk = false;
  for (const r of roots) {
    if (isKind(r, 'obj') && (r.type === 'catalogModel' || r.type === 'pipeline')) {
      const c = lib.zoo.paramCounts(r);
      if (!seen.has(r.id)) { seen.add(r.id); total += c.total; trainable += c.trainable; }
      continue;
    }
    walkModules(lib, r, (m) => {
      if (isKind(m, 'obj') && m.type === 'catalogModel') {
        const c = lib.zoo.paramCounts(m);
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

export function constructLayer(lib: Library, name: string, pos: Value[], kw: Map<string, Value>, loc?: Loc): Value {
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
    } else items = pos[0] !== undefined ? lib.iterate(pos[0]).items ?? [] : [];
    const c: ContainerValue = { kind: 'container', type: name, items, keys, id: lib.cx.id(), module: newMeta(loc) };
    if (name.startsWith('Parameter')) for (const p of items) if (isKind(p, 'param')) c.module.params.push(p);
    lib.cx.constructed.push({ value: c, loc });
    return c;
  }
  const def: LayerDef | undefined = LAYERS[name];
  const meta: ModuleMeta = newMeta(loc);
  if (!def) {
    lib.uncounted(`nn.${name}`, 'layer not in the op table', loc);
    const lv: LayerValue = { kind: 'layer', name, args: {}, rawArgs: {}, id: lib.cx.id(), module: meta };
    lib.cx.constructed.push({ value: lv, loc });
    return lv;
  }
  const kwArgs: Record<string, Arg> = {};
  const raw: Record<string, Value> = {};
  for (const [k, v] of kw) { kwArgs[k] = lib.toArg(v); raw[k] = v; }
  def.signature.forEach(([n], i) => { if (i < pos.length) raw[n] = pos[i]; });
  let args: Record<string, Arg> = {};
  try {
    const bound = bindArgs(def, pos.map((p) => lib.toArg(p)), kwArgs);
    if (isOpError(bound as OpOutcome)) lib.cx.problem('info', 'layer-args', (bound as { error: string }).error, loc);
    else args = bound as Record<string, Arg>;
  } catch (e) {
    lib.cx.problem('info', 'layer-args', `nn.${name}: ${(e as Error).message}`, loc);
  }
  const lv: LayerValue = { kind: 'layer', name, def, args, rawArgs: raw, id: lib.cx.id(), module: meta };
  const dt = dtypeOf(kw.get('dtype') ?? null) ?? defaultDtype(lib); // torch.set_default_dtype, torchtune's dtype
  if (dt) meta.dtype = dt;
  meta.params.push(...layerParams(def, args, () => lib.cx.id()));
  lib.cx.constructed.push({ value: lv, loc });
  return lv;
}

/** The parameters of a layer with bound `args`: one per named shape, else one lumped (NaN when an argument is unknown). */
export function layerParams(def: LayerDef, args: Record<string, Arg>, id: () => number): ParamValue[] {
  let shapes: Record<string, number[]> | undefined;
  try { shapes = def.paramShapes?.(args); } catch { shapes = undefined; }
  if (shapes && Object.keys(shapes).length > 0) {
    return Object.entries(shapes).map(([pn, shape]) => ({ kind: 'param', id: id(), numel: prod(shape), shape, trainable: true, name: pn }));
  }
  let n = NaN;
  try { n = def.paramCount(args); } catch { n = NaN; }
  return n > 0 || Number.isNaN(n) ? [{ kind: 'param', id: id(), numel: n, trainable: true, name: '*' }] : [];
}

/** Methods on module values: .to/.cuda/.half/.train/.eval/.parameters/.apply... */
export function moduleCall(lib: Library, m: InstValue | LayerValue | ContainerValue, name: string, pos: Value[], kw: Map<string, Value>, loc?: Loc): Value {
  const meta = m.module as ModuleMeta | undefined;
  switch (name) {
    case 'to': case 'cuda': case 'cpu': case 'half': case 'bfloat16': case 'float': case 'double': case 'type': {
      const dt = name === 'half' ? 'fp16' : name === 'bfloat16' ? 'bf16' : name === 'float' || name === 'double' ? 'fp32' : dtypeOf(kw.get('dtype') ?? pos.find((x) => dtypeOf(x) !== undefined) ?? null);
      if (dt) { walkModules(lib, m, (x) => { if (x.module) x.module.dtype = dt; }); lib.flags.modelDtypes.push(dt); lib.flags.dtypeSources.push({ dtype: dt, what: `model.${name}(…)`, loc }); }
      const dev = pos.find((x) => typeof x === 'string');
      if (typeof dev === 'string') lib.flags.device = dev.split(':')[0];
      if (name === 'cuda') lib.flags.device = 'cuda';
      return m;
    }
    case 'train': { const on = pos[0] !== false; walkModules(lib, m, (x) => { if (x.module) x.module.training = on; }); return m; }
    case 'eval': { walkModules(lib, m, (x) => { if (x.module) x.module.training = false; }); lib.flags.evalCalled = true; return m; }
    case 'parameters': case 'named_parameters':
      return { kind: 'obj', type: 'paramset', attrs: new Map<string, Value>([['modules', list([m])], ['named', name === 'named_parameters']]), id: lib.cx.id() };
    case 'requires_grad_': setFrozen(lib, m, pos[0] === false); return m;
    case 'modules': case 'children': case 'named_modules': case 'named_children': {
      const mods: Value[] = [];
      walkModules(lib, m, (x) => { mods.push(x); });
      return list(name.startsWith('named') ? mods.map((x) => tuple([unknown('name'), x])) : mods);
    }
    case 'register_buffer':
      if (isKind(m, 'inst') && typeof pos[0] === 'string') m.attrs.set(pos[0], pos[1] ?? UNKNOWN);
      return null;
    case 'apply': case 'zero_grad': case 'load_state_dict': case 'state_dict': case 'share_memory': case 'gradient_checkpointing_enable':
      if (name === 'gradient_checkpointing_enable') lib.flags.gradCheckpointing = true;
      if (name === 'zero_grad') lib.cx.recorder.event('zero_grad', true, loc);
      return name === 'state_dict' ? unknown('state dict') : null;
    case 'register_parameter': {
      if (typeof pos[0] === 'string' && isKind(pos[1], 'param') && meta) meta.params.push({ ...pos[1], name: pos[0] } as ParamValue);
      return null;
    }
    case 'forward': case '__call__': return callModule(lib, m, pos, kw, loc);
    case 'append': if (isKind(m, 'container') && lib.cx.grow(m.items.length + 1, `${m.type}.append()`, loc, false, 1)) { m.items.push(pos[0] ?? UNKNOWN); } return null;
    case 'extend': if (isKind(m, 'container')) {
      const more = lib.iterate(pos[0]).items ?? [];
      const n = more.length;
      if (lib.cx.grow(m.items.length + n, `${m.type}.extend()`, loc, false, n)) for (let i = 0; i < n; i++) m.items.push(more[i]);
    } return null;
    case 'add_module': if (isKind(m, 'container') && typeof pos[0] === 'string') { containerSet(lib, m, pos[0], pos[1] ?? UNKNOWN); } else if (isKind(m, 'inst') && typeof pos[0] === 'string') m.attrs.set(pos[0], pos[1] ?? UNKNOWN); return null;
    case 'keys': if (isKind(m, 'container')) return list((m.keys ?? []) as Value[]); return UNKNOWN;
    case 'values': if (isKind(m, 'container')) return list(m.items); return UNKNOWN;
    case 'items': if (isKind(m, 'container')) return list(m.items.map((v, i) => tuple([(m.keys ?? [])[i] ?? i, v]))); return UNKNOWN;
    case 'generate': return lib.zoo.generateOnModule(m, pos, kw, loc);
    case 'save_hyperparameters': return isKind(m, 'inst') ? saveHyperparameters(lib, m, pos, kw, loc) : null;
    case 'configure_optimizers': break;
    default: { const e = lib.engineMethod(m, name, loc); if (e !== NOT_MINE) return e; break; }
  }
  if (isKind(m, 'inst')) return unknown(`${m.cls.name}.${name}()`);
  return unknown(`.${name}()`);
}

export function containerSet(lib: Library, c: ContainerValue, key: string, v: Value): void {
  c.keys = c.keys ?? [];
  const i = c.keys.indexOf(key);
  if (i >= 0) c.items[i] = v; else { c.keys.push(key); c.items.push(v); }
}

// ------------------------------------------------------------ module calls

/** Call a module value (user nn.Module, torch layer, Sequential, catalog model). */
export function callModule(lib: Library, m: Value, pos: Value[], kw: Map<string, Value>, loc?: Loc, calleeName?: string): Value {
  if (isKind(m, 'obj') && !m.module) {
    return lib.objCall(m, pos, kw, loc);
  }
  if (isKind(m, 'inst') && !m.module) {
    const c = lib.cx.lookupClass(m.cls, '__call__');
    if (c && isKind(c.value, 'func')) return lib.cx.callFunction({ ...c.value, self: m, owner: c.owner }, pos, kw, loc);
    return unknown(`call of ${m.cls.name}`);
  }
  if (!isModuleValue(m)) return UNKNOWN;
  const active = lib.cx.state.activeModules;
  if (active.has(m)) {
    const name = isKind(m, 'inst') ? m.cls.name : isKind(m, 'layer') ? `nn.${m.name}` : 'this module';
    lib.cx.problem('warning', 'recursion', `${name} is called again from inside its own forward: in PyTorch that recurses until Python's recursion limit. The inner call is not costed.`, loc);
    return unknown(`recursive call of ${name}`);
  }
  // A criterion called at script level is part of the step, not a model of its own.
  const root = lib.cx.state.moduleDepth === 0 && !(isKind(m, 'layer') && /Loss$/.test(m.name));
  if (root) {
    assignPaths(lib, m, calleeName && calleeName !== 'self' && /^[A-Za-z_]\w*$/.test(calleeName) ? calleeName : 'model');
    lib.cx.state.currentRoot = ++lib.cx.state.rootCallId;
    lib.cx.recorder.event('model-call', lib.cx.state.noGrad === 0, loc, m.id, lib.cx.state.currentRoot);
    // The model's inputs: an unknown input to a root call is guessed from its first layer.
    pos = pos.map((p, i) => (i === 0 && isUnknown(p) ? guessRootInput(lib, m, loc) ?? p : p));
    // Token ids guessed for the first input: the other unknown inputs of a token model are token-shaped too (a decoder's
    // target ids, an attention mask: model(src, trg[:, :-1])).
    const g0 = pos[0];
    if (isTensorV(g0) && g0.guessed && g0.dtype === 'int8') pos = pos.map((p, i) => (i > 0 && isUnknown(p) ? tensor([...g0.shape], 'int8', true) : p));
    if (isKind(pos[0], 'tensor')) lib.cx.state.rootInputs.set(lib.cx.state.currentRoot, pos[0].shape);
  }
  lib.cx.state.moduleDepth++;
  lib.cx.state.pathStack.push(m.module?.path ?? 'model');
  active.add(m);
  try {
    if (isKind(m, 'obj')) { const r = lib.zoo.callObject(m, pos, kw, loc); return r === NOT_MINE ? UNKNOWN : r; }
    if (isKind(m, 'layer')) return callLayer(lib, m, pos, kw, loc);
    if (isKind(m, 'container')) {
      if (m.type !== 'Sequential') { lib.cx.problem('info', 'call', `nn.${m.type} is not callable; iterate over it instead.`, loc); return UNKNOWN; }
      let x: Value = pos[0] ?? UNKNOWN;
      for (const child of m.items) x = callModule(lib, child, [x], new Map(), loc);
      return x;
    }
    if (isKind(m, 'inst')) {
      const f = lib.cx.lookupClass(m.cls, 'forward');
      if (f && isKind(f.value, 'func')) {
        const savedDt = lib.cx.state.autocast.length;
        if (m.module?.dtype && lib.cx.state.autocast.length === 0) lib.cx.state.autocast.push(m.module.dtype);
        try {
          return lib.cx.callFunction({ ...f.value, self: m, owner: f.owner }, pos, kw, loc);
        } finally {
          lib.cx.state.autocast.length = savedDt;
        }
      }
      const base = baseLayerOf(m); // a torch layer's subclass without a forward of its own runs the layer
      if (base) { base.module.path = m.module?.path ?? base.module.path; return callModule(lib, base, pos, kw, loc); }
      if (containerBase(lib, m.cls) === 'Sequential') {
        let x: Value = pos[0] ?? UNKNOWN;
        for (const child of containerChildren(lib, m)) x = callModule(lib, child, [x], new Map(), loc);
        return x;
      }
      // Lightning modules often call `training_step`; without forward there is nothing to trace.
      lib.cx.problem('info', 'no-forward', `${m.cls.name} has no forward(); its layers are costed from their constructor arguments.`, m.module?.loc);
      return UNKNOWN;
    }
    return UNKNOWN;
  } finally {
    active.delete(m);
    lib.cx.state.moduleDepth--;
    lib.cx.state.pathStack.pop();
    if (root) lib.cx.state.currentRoot = undefined;
  }
}

/** Layers that keep (or only pad) their input's shape: the model input is read at the first layer past them. */
const SHAPE_KEEPING = /Loss$|^Dropout|^(Reflection|Replication|Zero|Constant|Circular)Pad[123]d$|^(ReLU6?|LeakyReLU|PReLU|R?ReLU|ELU|SELU|CELU|GELU|SiLU|Mish|Tanh|Sigmoid|Hardtanh|Hardswish|Hardsigmoid|Softplus|Softsign|Identity)$/;

/**
 * The input of a root model call that could not be traced, from the script's own evidence first: the first layer
 * with a signature (past shape-keeping ones: padding, activations, dropout), a position-embedding table's size
 * as the sequence, a first transposed convolution as a generator fed a 1×1 latent, the dataset's sample shape or
 * an image-size name in the script for the spatial size; a fixed 224 only last, and always said.
 */
function guessRootInput(lib: Library, m: Value, loc?: Loc): Value | undefined {
  const layers: LayerValue[] = [];
  walkModules(lib, m, (x) => { if (isKind(x, 'layer')) layers.push(x); });
  const first = layers.find((x) => !SHAPE_KEEPING.test(x.name));
  if (!first) return undefined;
  const { batch } = guessBatchSeq(lib);
  const seq = first.name === 'Embedding' ? positionTable(lib, layers, first) : guessBatchSeq(lib).seq;
  let shapes: number[][] | undefined;
  try { shapes = first.def?.guessInput?.(first.args, batch.value, seq.value); } catch { shapes = undefined; }
  let spatialNote = '';
  const conv = /^(Lazy)?Conv(Transpose)?([23])d$/.exec(first.name);
  if (!shapes && conv && isNum(first.args.in_channels as number)) {
    const nd = Number(conv[3]);
    const fit = nd === 2 && !conv[2] && lib.cx.directives.image_size === undefined ? convSideForLinear(layers) : undefined;
    const img = conv[2] ? { value: Array.from({ length: nd }, () => 1), note: 'a 1×1 latent, as a generator whose first layer is a transposed convolution is fed' } : fit ? { value: [fit.value, fit.value], note: fit.note } : imageSpatial(lib, nd);
    spatialNote = `, spatial ${img.value.join('×')} from ${img.note}`;
    shapes = [[batch.value, first.args.in_channels as number, ...img.value]];
  }
  if (!shapes?.[0]) return undefined;
  const seqNote = first.name === 'Embedding' ? `, sequence ${seq.value} from ${seq.note}` : '';
  lib.cx.problem('info', 'shape-fallback', `The model's input shape could not be traced; assuming [${shapes[0].join(', ')}] from its first layer nn.${first.name} (batch ${batch.value} from ${batch.note}${seqNote}${spatialNote}). Add \`# floplens: batch=… seq=…\` to set it.`, loc);
  lib.guessedInput = { shape: shapes[0], layer: first.name };
  const dt = first.name === 'Embedding' ? 'int8' as Dtype : undefined;
  return tensor(shapes[0], dt, true);
}

/**
 * Sequence length for a token model's guessed input: a directive or a script name first; else the size of a
 * position-embedding table (a second nn.Embedding of the same width, at most 65,536 rows), the longest sequence
 * the model takes; else the setting.
 */
function positionTable(lib: Library, layers: LayerValue[], tok: LayerValue): { value: number; note: string } {
  const { seq } = guessBatchSeq(lib);
  if (seq.note !== DEFAULT_NOTE) return seq;
  const pos = layers.find((x) => x !== tok && x.name === 'Embedding' && x.args.embedding_dim === tok.args.embedding_dim
    && isNum(x.args.num_embeddings as number) && (x.args.num_embeddings as number) <= 65_536 && (x.args.num_embeddings as number) < (tok.args.num_embeddings as number));
  return pos ? { value: pos.args.num_embeddings as number, note: `the position-embedding table ${pos.module.path ?? 'nn.Embedding'} (${pos.args.num_embeddings as number} positions)` } : seq;
}

/** Spatial size of an image input: a directive, the dataset's sample, a sized transform, an image-size name, or 224 (said). */
function imageSpatial(lib: Library, nd: number): { value: number[]; note: string } {
  const side = lib.cx.directives.image_size?.value;
  if (side !== undefined) return { value: Array.from({ length: nd }, () => side), note: 'the image_size directive' };
  const sample = lib.flags.datasets.map((d) => d.attrs.get('sample')).find((x) => isSeq(x) && isTensorV(x.items[0]));
  const dsShape = sample && isSeq(sample) && isTensorV(sample.items[0]) ? sample.items[0].shape.slice(1) : undefined;
  if (dsShape?.length === nd) return { value: dsShape, note: 'the dataset\'s samples' };
  // The script's own Dataset of a DataLoader, built with an image size (`ListDataset(path, img_size=416)`).
  const own = lib.flags.datasets.map((d) => d.attrs.get('instance')).flatMap((d) => (isKind(d, 'inst') ? [...d.attrs].filter(([k, v]) => IMAGE_NAMES.has(norm(k)) && isSize(v)).map(([k, v]) => ({ cls: d.cls.name, k, v: v as number })) : []))[0];
  if (own) return { value: Array.from({ length: nd }, () => own.v), note: `the dataset ${own.cls}'s ${own.k}` };
  const sized = [...lib.cx.globalsForGuess()].find(([, v]) => isKind(v, 'obj') && v.type === 'transform' && isSize(v.attrs.get('size')));
  if (sized) return { value: Array.from({ length: nd }, () => (sized[1] as ObjValue).attrs.get('size') as number), note: `the transforms '${sized[0]}'` };
  // `--img_height 256 --img_width 128` (or `hr_height`): a non-square image's sides.
  const high = lookupName(lib, HEIGHT_NAMES);
  if (high && nd === 2) {
    const wide = lookupName(lib, WIDTH_NAMES);
    return { value: [high.value, wide?.value ?? high.value], note: wide ? `${high.note} and ${wide.note}` : high.note };
  }
  const named = lookupName(lib, IMAGE_NAMES);
  if (named) return { value: Array.from({ length: nd }, () => named.value), note: named.note };
  return { value: Array.from({ length: nd }, () => 224), note: 'a fixed default (no image size in the script; add `# floplens: image_size=N`)' };
}

const DEFAULT_NOTE = 'the default setting';
/** Names compared lower-case without underscores: `batchSize`, `batch_size` and `BATCH_SIZE` are one name. */
const norm = (k: string): string => k.replace(/_/g, '').toLowerCase();
const BATCH_NAMES = new Set(['batchsize', 'batch', 'bs', 'trainbatchsize', 'microbatchsize', 'perdevicetrainbatchsize', 'trainbs']);
const SEQ_NAMES = new Set(['blocksize', 'seqlen', 'seqlength', 'maxseqlen', 'maxseqlength', 'contextlength', 'maxlength', 'nctx', 'sequencelength', 'ctxlen', 'maxlen', 'contextlen', 'maxpositionembeddings']);
const HEIGHT_NAMES = new Set(['imgheight', 'imageheight', 'hrheight', 'imgh', 'inputheight', 'cropheight']);
const WIDTH_NAMES = new Set(['imgwidth', 'imagewidth', 'hrwidth', 'imgw', 'inputwidth', 'cropwidth']);
const IMAGE_NAMES = new Set(['imgsize', 'imagesize', 'cropsize', 'inputsize', 'resolution', 'imgres', 'imageres', 'imsize', 'imgdim', 'imagedim']);

/** Only a whole number a tensor dimension can have (`batch_size = 1e308` or `-1` is not a guess). */
const isSize = (x: unknown): x is number => isNum(x as Value) && Number.isSafeInteger(x) && (x as number) > 0;

/** A positive whole number the script gives a name of `names` (argparse default first, then a global). */
function lookupName(lib: Library, names: Set<string>): { value: number; note: string } | undefined {
  for (const [k, v] of lib.argparseDefaults) if (names.has(norm(k)) && isSize(v.value)) return { value: v.value, note: `argparse --${k}` };
  for (const [k, v] of lib.cx.globalsForGuess()) if (names.has(norm(k)) && isSize(v)) return { value: v, note: `'${k}' in the script` };
  return undefined;
}

/** Batch and sequence length from script names (`batch_size`, `block_size`), loaders or defaults. */
export function guessBatchSeq(lib: Library): { batch: { value: number; note: string }; seq: { value: number; note: string } } {
  const loaderBs = lib.flags.loaders.map((l) => l.attrs.get('batch_size')).find(isSize);
  const batch = lib.cx.directives.batch ?? (loaderBs !== undefined ? { value: loaderBs, note: 'the DataLoader' } : undefined) ?? lookupName(lib, BATCH_NAMES) ?? { value: lib.cx.opts.defaultBatch, note: DEFAULT_NOTE };
  const seq = lib.cx.directives.seq ?? lookupName(lib, SEQ_NAMES) ?? { value: lib.cx.opts.defaultSeqLen, note: DEFAULT_NOTE };
  return { batch, seq };
}

function callLayer(lib: Library, m: LayerValue, pos: Value[], kw: Map<string, Value>, loc?: Loc): Value {
  const label = `nn.${m.name}`;
  if (!m.def) {
    if (pos.some((p) => isTensorV(p))) lib.uncounted(label, 'layer not in the op table', loc ?? m.module.loc);
    return unknown(label);
  }
  let inputs = pos;
  let traced = true;
  if (inputs.length === 0 || isUnknown(inputs[0])) {
    const { batch, seq } = guessBatchSeq(lib);
    let shapes: number[][] | undefined;
    try { shapes = m.def.guessInput?.(m.args, batch.value, seq.value); } catch { shapes = undefined; }
    if (!shapes) {
      lib.uncounted(m.module.path ?? label, 'its input shape could not be traced and cannot be guessed from its arguments', loc ?? m.module.loc);
      return unknown(label);
    }
    inputs = shapes.map((s) => tensor(s, undefined, true));
    traced = false;
    lib.cx.problem('info', 'shape-fallback', `${m.module.path ?? label}: input shape not traced; costed from its constructor arguments as [${shapes[0].join(', ')}].`, loc ?? m.module.loc);
  } else if (inputs.some((x) => isTensorV(x) && x.guessed)) traced = false;
  const frozen = !!m.module.frozen || m.module.params.length > 0 && m.module.params.every((p) => !p.trainable);
  const dtypeHint = m.module.dtype ?? inputs.find((x): x is TensorArg => isTensorV(x) && x.dtype !== 'int8')?.dtype;
  const ctx = lib.ctx(frozen, dtypeHint);
  const kwArgs: Record<string, Arg> = {};
  for (const [k, v] of kw) kwArgs[k] = lib.toArg(v);
  let out: OpOutcome;
  try {
    out = m.def.forward(m.args, inputs.map((x) => lib.toArg(x)), kwArgs, ctx);
  } catch (e) {
    out = { error: `${label} failed: ${(e as Error).message}` };
  }
  if (isOpError(out)) {
    if (OUT_OF_RANGE.test(out.error)) lib.uncounted(m.module.path ?? label, out.error, loc ?? m.module.loc);
    lib.cx.problem('warning', 'shape', `${m.module.path ?? label}: ${out.error}`, loc ?? m.module.loc);
    return unknown(label);
  }
  lib.record(out.costs, label, loc, { dtype: ctx.dtype, frozen, traced, declLoc: m.module.loc, moduleId: m.id });
  return markGuessed(toValue(out.output), !traced);
}
