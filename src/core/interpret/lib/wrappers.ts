/**
 * Library wrappers that hand the script's own objects back: Lightning Fabric (`fabric.setup(model, opt)`,
 * `fabric.backward(loss)`), DeepSpeed (`engine, opt, loader, _ = deepspeed.initialize(model=net, config=ds_config)`,
 * `engine.backward(loss)`, `engine.step()`), and functions of unseen libraries named like a wrapper
 * (`prepare_model_for_int8_training(model)`, `setup_model(model)`). What goes in comes back out in the same
 * position, so the model the loop calls is still the script's model and its backward pass is still seen.
 */
import type { Loc } from '../../types';
import { UNKNOWN, isKind, isModuleValue, isNum, tuple } from '../values';
import type { Value, ObjValue, InstValue, LayerValue, ContainerValue } from '../values';
import { NOT_MINE } from './dispatch';
import type { ExtCall, MethodTable, NotMine, ObjCallTable, Route } from './dispatch';
import type { Library } from './library';
import { fabricSetup } from './precision';

/** A function or method name that wraps what it is given and returns it (`setup`, `prepare_model_for_kbit_training`). */
const WRAPPER = /^(setup|prepare|initiali[sz]e|wrap|shard|parallelize|distribute|to_device)(_\w+)?$/;
/** Paths whose functions are modelled elsewhere (the op table, the zoo, the standard library). */
const CORE = /^(torch|torchvision|timm|transformers|diffusers|peft|numpy|builtins|math|os|sys|json|pickle|copy|random|itertools|functools)\b/;
/** Keywords that name the model handed to a wrapper. */
const MODEL_KW = ['model', 'module', 'network', 'net'];
/** Methods of a wrapper object that return what they are given (collectives and device moves included). */
const PASS_METHOD = /^(setup|prepare|wrap|to_device|all_gather|gather|all_reduce|reduce|broadcast|gather_for_metrics|unwrap_model)(_\w+)?$/;
/** Methods of a wrapper object that are contexts (`with fabric.no_backward_sync(model):`). */
const CONTEXT_METHOD = /^(no_backward_sync|no_sync|autocast|init_module|init_tensor|rank_zero_first|sharded_model)$/;

/** DeepSpeed engines (the model `deepspeed.initialize` returns) and the accumulation of their config. */
const engines = new WeakMap<object, { accum: number }>();

function isModel(v: Value | undefined): boolean {
  return isModuleValue(v) || (isKind(v, 'obj') && v.type === 'catalogModel');
}

/** What a wrapper returns: its positional arguments as given (one → itself, several → a tuple), else the model keyword. */
function passthrough(pos: Value[], kw: Map<string, Value>): Value {
  if (pos.length === 1) return pos[0];
  if (pos.length > 1) return tuple(pos);
  for (const k of MODEL_KW) if (kw.has(k)) return kw.get(k) as Value;
  return UNKNOWN;
}

function hasModel(pos: Value[], kw: Map<string, Value>): boolean {
  return pos.some(isModel) || MODEL_KW.some((k) => isModel(kw.get(k)));
}

/** A number under `key` of a config dict (`{"train_batch_size": 16}`), when the script shows it. */
function dictNum(cfg: Value | undefined, key: string): number | undefined {
  if (!isKind(cfg, 'dict')) return undefined;
  const v = cfg.map.get(key);
  return isNum(v) && Number.isSafeInteger(v) && v >= 1 ? v : undefined;
}

/**
 * `deepspeed.initialize(model=net, model_parameters=…, training_data=ds, config=ds_config)` → (engine, optimizer,
 * loader, scheduler). The engine is the model; the batch per call is the config's `train_micro_batch_size_per_gpu`,
 * else `train_batch_size / gradient_accumulation_steps` (one rank); `engine.step()` steps the optimizer once per
 * accumulation window.
 */
function deepspeedInitialize(lib: Library, { pos, kw, loc }: ExtCall): Value {
  const model = kw.get('model') ?? pos[1] ?? UNKNOWN;
  const cfg = kw.get('config') ?? kw.get('config_params');
  const accum = lib.cx.directives.accum?.value ?? dictNum(cfg, 'gradient_accumulation_steps') ?? 1;
  const total = dictNum(cfg, 'train_batch_size');
  const micro = dictNum(cfg, 'train_micro_batch_size_per_gpu') ?? (total !== undefined ? Math.max(1, Math.floor(total / accum)) : undefined);
  if (isKind(model, 'obj') || isKind(model, 'inst') || isKind(model, 'layer') || isKind(model, 'container')) engines.set(model, { accum });
  if (micro !== undefined) lib.cx.problem('info', 'deepspeed-batch', `deepspeed.initialize: ${micro} samples per model call from the DeepSpeed config (${dictNum(cfg, 'train_micro_batch_size_per_gpu') !== undefined ? 'train_micro_batch_size_per_gpu' : `train_batch_size ${total} / gradient_accumulation_steps ${accum}`}), one rank.`, loc);
  const given = kw.get('optimizer');
  const opt = given && !isKind(given, 'unknown') && given !== null ? given : lib.callExternal('torch.optim.Adam', [kw.get('model_parameters') ?? UNKNOWN], new Map(), loc);
  const data = kw.get('training_data');
  const loader = data !== undefined && data !== null
    ? lib.callExternal('torch.utils.data.DataLoader', [data], new Map<string, Value>(micro !== undefined ? [['batch_size', micro]] : []), loc)
    : null;
  return tuple([model, opt, loader, kw.get('lr_scheduler') ?? null]);
}

export const ROUTES: readonly Route[] = [
  { exact: ['deepspeed.initialize'], handler: deepspeedInitialize },
  {
    pattern: /^(lightning(\.fabric)?|lightning_fabric|pytorch_lightning\.lite|lightning\.pytorch\.lite)\.(Fabric|LightningLite)$/,
    // Its world size is devices × num_nodes when the script gives numbers (`Fabric(devices=4)`).
    handler: (lib, { kw, loc }) => {
      const [d, n] = [kw.get('devices') ?? 1, kw.get('num_nodes') ?? 1];
      return lib.obj('libWrapper', [...(typeof d === 'number' && typeof n === 'number' ? [['world_size', d * n] as [string, Value]] : []), ['precision', kw.get('precision') ?? null]], loc);
    },
  },
];

/** Methods of a wrapper object that hand back the model it holds. */
const MODEL_GETTER = /^(get_\w*(module|model|network|net)\w*|unwrap\w*|module|model)$/;
/** Library classes that take a model but are not a wrapper the loop calls in its place. */
const NOT_A_WRAPPER_CLASS = /Optim|Sched|Loss|Metric|Accuracy|Log|Callback|Trainer|Dataset|Loader|Sampler|Scaler|Config|Arguments|Ema|EMA|Average|Saver|Checkpoint|Profiler|Hook|Summary|Writer|Explainer|Pruner|Quantizer|Parser|Tokenizer|Collator|Processor/;
/** Paths whose classes are modelled elsewhere (torch modules, the zoo). */
const CORE_CLASSES = /^(torch|torchvision|transformers|diffusers|peft|trl|accelerate|deepspeed|lightning|pytorch_lightning|numpy|sklearn)\b/;

/**
 * A call of a wrapper object built around a model (`task(input, target)` of timm's ClassificationTask): the model
 * runs on the first input; what else the wrapper computes (its loss) is not visible, so the result is unknown.
 */
function callHeld(lib: Library, self: ObjValue, pos: Value[], kw: Map<string, Value>, loc?: Loc): Value {
  const out = lib.callModule(self.attrs.get('model') as Value, pos.slice(0, 1), new Map([...kw].filter(([k]) => k === 'x' || k === 'input')), loc);
  return pos.length > 1 ? { kind: 'unknown', why: `result of ${String(self.attrs.get('name') ?? 'a wrapper')} (its loss on the model output)` } : out;
}

export const OBJ_CALLS: ObjCallTable = {
  libWrapper: (lib, self, pos, kw, loc) => (self.attrs.has('model') ? callHeld(lib, self, pos, kw, loc) : UNKNOWN),
};

/** `prepare_model_for_int8_training(model)`, `setup_model(model)`: wrappers of libraries FlopLens cannot see into (tried last). */
export const FALLBACK_ROUTES: readonly Route[] = [
  {
    pattern: /(?:)/,
    handler: (lib, { path, last, pos, kw, loc }) => {
      // `ClassificationTask(model=model, criterion=…)`: a library object built around the model; the loop calls it, or
      // takes the model back from it.
      if (/^[A-Z]/.test(last) && !CORE_CLASSES.test(path) && !NOT_A_WRAPPER_CLASS.test(last) && hasModel(pos, kw)) {
        const model = MODEL_KW.map((k) => kw.get(k)).find(isModel) ?? pos.find(isModel) ?? UNKNOWN;
        lib.cx.problem('info', 'module-passthrough', `${path}(model): a library object built around the model; calling it is taken as calling the model on its first input (what else it computes is not visible).`, loc);
        return lib.obj('libWrapper', [['model', model], ['name', last]], loc);
      }
      // `parser = deepspeed.add_config_arguments(parser)`: a library adds its options to the script's parser and returns it.
      if (isKind(pos[0], 'obj') && pos[0].type === 'argparser' && /^add_\w*(arg|argument|option|flag)s?$/.test(last)) return pos[0];
      if (CORE.test(path) || !WRAPPER.test(last) || !hasModel(pos, kw)) return NOT_MINE;
      lib.cx.problem('info', 'module-passthrough', `${path}(model): a wrapper FlopLens cannot see into; assumed to return the same model it is given (same layers and parameters).`, loc);
      return passthrough(pos, kw);
    },
  },
];

export const METHODS: MethodTable = {
  libWrapper: (lib, self, name, pos, kw, loc) => {
    const held = self.attrs.get('model');
    // `task.get_trainable_module()`, `wrapper.get_model()`, `.unwrap()`: the model the wrapper was built around.
    if (held !== undefined && MODEL_GETTER.test(name)) return held;
    if (held !== undefined && (name === 'forward' || name === '__call__')) return callHeld(lib, self, pos, kw, loc);
    if (name === 'backward') { lib.cx.recorder.event('backward', lib.cx.state.noGrad === 0, loc); return null; }
    if (name === 'setup' || name === 'setup_module') fabricSetup(lib, self.attrs.get('precision'), pos[0], loc);
    if (PASS_METHOD.test(name)) return passthrough(pos, kw);
    if (CONTEXT_METHOD.test(name)) return lib.obj('nullcontext', [], loc);
    return null;
  },
};

/** `engine.backward(loss)` and `engine.step()` of a DeepSpeed engine; NOT_MINE for any other module or method. */
export function engineMethod(lib: Library, m: InstValue | LayerValue | ContainerValue | ObjValue, name: string, loc?: Loc): Value | NotMine {
  const e = engines.get(m);
  if (!e) return NOT_MINE;
  const rec = lib.cx.recorder;
  if (name === 'backward') { rec.event('backward', lib.cx.state.noGrad === 0, loc); return null; }
  if (name === 'step') {
    if (e.accum > 1) rec.within({ type: 'mod', n: e.accum, loc }, () => rec.event('step', true, loc));
    else rec.event('step', true, loc);
    return null;
  }
  if (name === 'zero_grad') { rec.event('zero_grad', true, loc); return null; }
  return NOT_MINE;
}
