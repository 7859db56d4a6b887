/**
 * Models trained side by side, one per pass: K-fold cross-validation (`models = [Net() for _ in range(k)]`, then
 * `models[fold]` inside the fold loop), ensembles and seeds trained in turn. The evaluator walks such a loop once, so
 * only the first model is called; the others are built the same way, each with its own optimizer, and are trained as
 * much. They are parameters of the run (held, updated and checkpointed), so they are counted with the model that ran.
 */
import type { Problem } from '../types';
import { isKind, isModuleValue, isSeq } from '../interpret/values';
import type { Value } from '../interpret/values';
import type { Interpreter } from '../interpret/interpreter';

/** Modules an optimizer of the script updates (`torch.optim.X(model.parameters())`). */
function optimized(it: Interpreter): Set<Value> {
  const out = new Set<Value>();
  for (const o of it.lib.flags.optimizers) {
    const ps = o.attrs.get('params');
    const mods = isKind(ps, 'obj') && ps.type === 'paramset' ? ps.attrs.get('modules') : undefined;
    if (isSeq(mods)) for (const m of mods.items) out.add(m);
  }
  return out;
}

/**
 * Roots plus the peers of a root: other instances of the same script class, each with an optimizer of its own, when
 * the root has one too. Said in an info problem.
 */
export function withTrainedPeers(it: Interpreter, roots: Value[], problems: Problem[]): Value[] {
  const trained = optimized(it);
  const out = [...roots];
  for (const r of roots) {
    if (!isKind(r, 'inst') || !trained.has(r)) continue;
    const peers = it.constructed.map((c) => c.value).filter((v) => v !== r && isKind(v, 'inst') && v.cls === r.cls && trained.has(v) && !out.includes(v) && isModuleValue(v));
    if (peers.length === 0) continue;
    out.push(...peers);
    problems.push({ severity: 'info', code: 'trained-peers', message: `${peers.length + 1} ${r.cls.name} models are built, each with its own optimizer, and trained in turn (one per pass, as in K-fold cross-validation or an ensemble): the parameters count all ${peers.length + 1}; one step runs one of them.` });
  }
  return out;
}
