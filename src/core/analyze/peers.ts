/**
 * Models trained side by side, one per pass: K-fold cross-validation (`models = [Net() for _ in range(k)]`, then
 * `models[fold]` inside the fold loop), ensembles and seeds trained in turn. The evaluator walks such a loop once, so
 * only the first model is called; the others are built the same way, each with its own optimizer, and are trained as
 * much. They are parameters of the run (held, updated and checkpointed), so they are counted with the model that ran.
 *
 * A model built AFTER another instance of its class has trained (a later cell or a second experiment re-building the
 * model, a base model then its LoRA copy through the same `train()`) is another training, not a peer: its steps are
 * the run's (already summed), its parameters are not added (corpus/README.md, "Several trainings in turn"). Models
 * held side by side are items of one list, tuple or dict of the script, or were all built before any of them trained.
 */
import type { Problem } from '../types';
import { isKind, isModuleValue, isSeq } from '../interpret/values';
import type { Value } from '../interpret/values';
import type { Interpreter } from '../interpret/interpreter';
import { firstStep } from '../interpret/lib/stepOrder';

/** Each module an optimizer of the script updates (`torch.optim.X(model.parameters())`), with the clock reading of its first optimizer step (Infinity when none was seen). */
function optimized(it: Interpreter): Map<Value, number> {
  const out = new Map<Value, number>();
  for (const o of it.lib.flags.optimizers) {
    const ps = o.attrs.get('params');
    const mods = isKind(ps, 'obj') && ps.type === 'paramset' ? ps.attrs.get('modules') : undefined;
    const at = firstStep(o) ?? Infinity;
    if (isSeq(mods)) for (const m of mods.items) out.set(m, Math.min(out.get(m) ?? Infinity, at));
  }
  return out;
}

/** The script's top-level lists, tuples and dicts (where an ensemble is held). */
function containers(it: Interpreter): Value[][] {
  const out: Value[][] = [];
  for (const [, v] of it.globalsForGuess()) {
    if (isSeq(v)) out.push(v.items);
    else if (isKind(v, 'dict')) out.push([...v.map.values()]);
  }
  return out;
}

const built = (v: Value): number => (isKind(v, 'inst') ? v.id : 0);

/**
 * Roots plus the peers of a root: other instances of the same script class, each with an optimizer of its own, when
 * the root has one too, held side by side with it. Instances re-built after one of them trained are left out. Both
 * said in an info problem.
 */
export function withTrainedPeers(it: Interpreter, roots: Value[], problems: Problem[]): Value[] {
  const trained = optimized(it);
  const held = containers(it);
  const out = [...roots];
  for (const r of roots) {
    if (!isKind(r, 'inst') || !trained.has(r)) continue;
    const same = it.constructed.map((c) => c.value).filter((v) => v !== r && isKind(v, 'inst') && v.cls === r.cls && trained.has(v) && !out.includes(v) && isModuleValue(v));
    const sideBySide = (v: Value): boolean => held.some((items) => items.includes(r) && items.includes(v))
      || built(v) < (trained.get(r) as number) && built(r) < (trained.get(v) as number);
    const peers = same.filter(sideBySide);
    const rebuilt = same.length - peers.length;
    if (rebuilt > 0) {
      problems.push({ severity: 'info', code: 'separate-trainings', message: `${rebuilt + 1} ${r.cls.name} models are trained one after another, ${rebuilt === 1 ? 'one' : rebuilt} built after another had trained (another training, as a later experiment re-building the model): the parameters are those of the training in the iteration; the steps are the whole run's.` });
    }
    if (peers.length === 0) continue;
    out.push(...peers);
    problems.push({ severity: 'info', code: 'trained-peers', message: `${peers.length + 1} ${r.cls.name} models are built, each with its own optimizer, and trained in turn (one per pass, as in K-fold cross-validation or an ensemble): the parameters count all ${peers.length + 1}; one step runs one of them.` });
  }
  return out;
}
