/**
 * Lightning's `self.save_hyperparameters()`: inside a LightningModule's `__init__` it stores the arguments the module
 * was constructed with as `self.hparams` (attribute and item access), and the module's layers are then sized from
 * `self.hparams.hidden_dim`, `self.hparams["lr"]`, `nn.Linear(self.hparams.input_dim, …)`. The arguments of every
 * module construction are remembered here (interpreter.instantiate) so that the call can bind them as Python would.
 */
import type { Loc } from '../../types';
import { unknown, isKind, isSeq } from '../values';
import type { Value, FuncValue, InstValue, ObjValue, ClassValue, BuiltinValue } from '../values';
import type { Library } from './library';

const INIT_CALLS = new WeakMap<InstValue, { fn: FuncValue; pos: Value[]; kw: Map<string, Value> }>();

/** The arguments an instance's `__init__` was called with (the most derived class's, as Lightning collects them). */
export function rememberInit(inst: InstValue, fn: FuncValue, pos: Value[], kw: Map<string, Value>): void {
  if (!INIT_CALLS.has(inst)) { INIT_CALLS.set(inst, { fn, pos, kw }); LAST_BUILT.set(inst.cls, inst); }
}

/** The last instance the script built of each module class. */
const LAST_BUILT = new WeakMap<ClassValue, InstValue>();

const isLightningBase = (b: Value, depth = 0): boolean => depth < 20 && ((isKind(b, 'ext') && /(^|\.)(LightningModule|lightning\.(pytorch\.)?core\.module\.LightningModule)$/.test(b.path))
  || (isKind(b, 'class') && b.bases.some((x) => isLightningBase(x, depth + 1))));

/**
 * `SimCLR.load_from_checkpoint(trainer.checkpoint_callback.best_model_path)` on a LightningModule class of the script:
 * the checkpoint a run saved holds the model it trained, so the result is the last instance of that class the script
 * built (same hyperparameters and layers). Undefined when the class is no LightningModule or none was built.
 */
export function loadFromCheckpoint(lib: Library, cls: ClassValue, name: string): BuiltinValue | undefined {
  if (name !== 'load_from_checkpoint' || !cls.bases.some((b) => isLightningBase(b))) return undefined;
  return {
    kind: 'builtin', name: `${cls.name}.load_from_checkpoint`,
    fn: (_pos, _kw, loc) => {
      const built = LAST_BUILT.get(cls);
      if (built) return built;
      lib.cx.problem('info', 'checkpoint', `${cls.name}.load_from_checkpoint(…): no ${cls.name} was built before it, so the loaded model is unknown.`, loc);
      return unknown(`${cls.name}.load_from_checkpoint`);
    },
  };
}

/** `__init__`'s parameters bound to the remembered arguments, `self` left out; `**kwargs` merged in (Lightning does). */
function boundInitArgs(inst: InstValue): Map<string, Value> | undefined {
  const call = INIT_CALLS.get(inst);
  if (!call) return undefined;
  const out = new Map<string, Value>();
  const kwLeft = new Map(call.kw);
  let pi = 0;
  call.fn.params.forEach((p, i) => {
    if (i === 0 && p.kind === 'normal') return; // self
    if (p.kind === 'star') { out.set(p.name, { kind: 'tuple', items: call.pos.slice(pi) }); pi = call.pos.length; return; }
    if (p.kind === 'dstar') { for (const [k, v] of kwLeft) out.set(k, v); kwLeft.clear(); return; }
    if (p.kind === 'normal' && pi < call.pos.length) { out.set(p.name, call.pos[pi++]); kwLeft.delete(p.name); return; }
    if (kwLeft.has(p.name)) { out.set(p.name, kwLeft.get(p.name) as Value); kwLeft.delete(p.name); return; }
    const d = call.fn.defaults[i];
    out.set(p.name, d !== undefined ? d : unknown(`argument '${p.name}' not given`));
  });
  return out;
}

/**
 * `self.save_hyperparameters()` / `(…, 'name', ignore=[…])` / `(a_dict_or_namespace)`: sets `self.hparams` to a
 * namespace of the construction arguments. Without remembered arguments (a module built outside the script) it sets
 * nothing, so `self.hparams.x` stays unknown as before.
 */
export function saveHyperparameters(lib: Library, m: InstValue, pos: Value[], kw: Map<string, Value>, _loc?: Loc): Value {
  const given = pos[0];
  let fields: Map<string, Value> | undefined;
  if (isKind(given, 'dict')) fields = new Map([...given.map].filter(([k]) => typeof k === 'string') as [string, Value][]);
  else if (isKind(given, 'obj') && given.type === 'namespace') fields = new Map(given.attrs);
  else {
    fields = boundInitArgs(m);
    if (!fields) return null;
    const names = pos.filter((x): x is string => typeof x === 'string');
    if (names.length > 0) fields = new Map([...fields].filter(([k]) => names.includes(k)));
    const ignore = kw.get('ignore');
    const ignored = typeof ignore === 'string' ? [ignore] : isSeq(ignore) ? ignore.items.filter((x): x is string => typeof x === 'string') : [];
    for (const k of ignored) fields.delete(k);
  }
  const ns: ObjValue = { kind: 'obj', type: 'namespace', attrs: fields, id: lib.cx.id() };
  m.attrs.set('hparams', ns);
  return null;
}

