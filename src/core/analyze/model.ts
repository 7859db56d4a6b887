/**
 * Stage: the models that ran and their parameters. Parameters are counted once per owner (a weight shared by
 * two calls, tied embeddings), from the roots of the model calls of the iteration; raw `requires_grad`
 * tensors count too; `params=` sizes a script where nothing else gives a count.
 */
import type { Op } from '../types';
import { isModuleValue, isSeq, isKind } from '../interpret/values';
import type { Value } from '../interpret/values';
import { assume, type Ctx } from './resolve';
import type { Trace } from './trace';
import { withTrainedPeers } from './peers';

export interface ModelParams {
  roots: Value[];
  params: number;
  trainable: number;
  /** `params=` gave the count (nothing in the script did). */
  fromDirective: boolean;
}

export function countModelParams(ctx: Ctx, t: Trace, ops: Op[], mode: 'train' | 'infer'): ModelParams {
  const { it } = t;
  dedupeParams(ops);
  const roots = withTrainedPeers(it, rootModels(t), ctx.problems);
  const counts = it.lib.countParams(roots);
  if (counts.unknown) ctx.problems.push({ severity: 'warning', code: 'params-unknown', message: 'Some layers have parameters FlopLens could not size (an argument it could not evaluate); the parameter count is a lower bound.' });
  let params = counts.total;
  let trainable = mode === 'train' ? counts.trainable : 0;
  // A model written with raw tensors (`W = torch.randn(..., requires_grad=True)`) has those tensors as parameters.
  // Beside nn.Module models, only those an optimizer is given (SAC's log_alpha): a notebook's autograd demo tensors
  // (`x = torch.arange(3., requires_grad=True); y.backward()`) are not parameters of the model it trains.
  const raw = roots.length > 0 ? it.lib.flags.rawParams.filter((t) => optimized(it, t)) : it.lib.flags.rawParams;
  const rawParams = raw.reduce((a, x) => a + x.shape.reduce((p, q) => p * q, 1), 0);
  if (rawParams > 0) {
    params += rawParams;
    if (mode === 'train') trainable += rawParams;
    assume(ctx, 'raw parameters', { value: rawParams, source: 'inferred', note: `${raw.length} tensors created with requires_grad outside any nn.Module` }, 'parameters');
  }
  const dParams = params === 0 ? ctx.directives.take('params')?.value : undefined;
  if (dParams !== undefined) { params = dParams; trainable = mode === 'train' ? dParams : 0; }
  return { roots, params, trainable, fromDirective: dParams !== undefined };
}

/** `t` is among an optimizer's parameters (`SGD([W, b])`, `Adam([{'params': [log_alpha]}])`). */
function optimized(it: Trace['it'], t: object): boolean {
  const holds = (v: Value | undefined, depth = 0): boolean =>
    v === t || (depth < 3 && (isSeq(v) ? v.items.some((x) => holds(x, depth + 1)) : isKind(v, 'dict') ? holds(v.map.get('params'), depth + 1) : false));
  return it.lib.flags.optimizers.some((o) => holds(o.attrs.get('params')));
}

/** A module called several times in one iteration owns its parameters once: later ops of the same layer count 0. */
function dedupeParams(ops: Op[]): void {
  const seenParamOwners = new Map<string, Set<string>>();
  for (const o of ops) {
    let labels = seenParamOwners.get(o.name);
    if (!labels) { labels = new Set(); seenParamOwners.set(o.name, labels); }
    if (labels.has(o.label)) { o.params = 0; o.trainableParams = 0; } else labels.add(o.label);
  }
}

/** Models that ran: roots of model-call events in the iteration (else anywhere), and catalog models among them. */
function rootModels({ it, iter }: Trace): Value[] {
  const isCall = (k: string) => k === 'model-call' || k === 'generate';
  const inIteration = (e: (typeof it.recorder.events)[number]) => !iter.frame || e.ctx.some((c) => c.type === 'loop' && c.frame.id === iter.frame!.id);
  const rootIds = new Set(it.recorder.events.filter((e) => isCall(e.kind) && e.moduleId !== undefined && inIteration(e)).map((e) => e.moduleId!));
  if (rootIds.size === 0) for (const e of it.recorder.events) if (isCall(e.kind) && e.moduleId !== undefined) rootIds.add(e.moduleId);
  const roots = it.constructed.map((c) => c.value).filter((v) => isModuleValue(v) && rootIds.has(v.id));
  for (const r of it.lib.zoo.models()) if (rootIds.has(r.id) && !roots.includes(r)) roots.push(r);
  return roots;
}
