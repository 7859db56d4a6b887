/**
 * Stage: evaluate the script and keep the ops of one iteration. Builds the interpreter with the typed
 * directives, runs the main program, calls the main model once when nothing called it (the constructor
 * fallback), extracts the iteration and turns its op records into ops.
 */
import type { Loc, Op } from '../types';
import { Interpreter } from '../interpret/interpreter';
import { runModuleEntry } from '../interpret/moduleEntry';
import { SavedOutputs } from '../interpret/savedOutputs';
import { backwardPlan, extractIteration } from '../interpret/iteration';
import type { Iteration } from '../interpret/iteration';
import type { OpRecord } from '../interpret/recorder';
import { isKind } from '../interpret/values';
import type { Value } from '../interpret/values';
import { pushAll } from '../arrays';
import type { Ctx } from './resolve';

export interface Trace {
  it: Interpreter;
  iter: Iteration;
  /** Which backward each op record needs (frozen prefixes need none). */
  plan: ReturnType<typeof backwardPlan>;
  /** Ops whose cost evaluated to figures FlopLens cannot use, by name. */
  unusable: Map<string, { name: string; reason: string; loc?: Loc }>;
}

export function trace(ctx: Ctx, text: string): Trace {
  const { input, settings, problems } = ctx;
  const forcedDtype = ctx.directives.all.dtype?.value;
  const evaluate = (boundBatch?: { value: number; note: string }) => {
    const it = new Interpreter({
      modules: input.modules ?? [],
      files: input.files,
      dataFiles: input.dataFiles,
      folders: input.folders,
      defaultBatch: settings.defaultBatch,
      defaultSeqLen: settings.defaultSeqLen,
      defaultDtype: forcedDtype ?? settings.defaultDtype,
      boundBatch,
      savedOutputs: input.cells && input.cellOutputs ? new SavedOutputs(input.cells, input.cellOutputs) : undefined,
    });
    it.directives = ctx.directives.watched();
    if (forcedDtype) it.state.forcedDtype = ctx.directives.take('dtype')!.value;
    // Locations in the main document carry no file (diagnostics and the views read a `file` as "in an imported
    // module"); the file name keys the incremental-parse cache.
    const ran = it.runMain(text, undefined, input.file);
    runModuleEntry(it, ran.scope, text, (e, loc) => it.reportAbort(e, loc)); // a module that runs nothing: a package command's entry (moduleEntry.ts)
    return { it, ...ran };
  };
  let run = evaluate();
  // The batch is a symbol until the end: a dim read off an untraced tensor before the evidence that decides the batch
  // (a DataLoader built further down) was bound to weaker evidence; evaluate again with the batch the whole script gives.
  const late = lateBatch(run.it);
  if (late) run = evaluate(late);
  const { it, parseProblems } = run;
  pushAll(problems, parseProblems.map((p) => ({ ...p, loc: p.loc ? { ...p.loc, file: undefined } : undefined })));
  callUncalledModel(ctx, it);
  pushAll(problems, it.problems);

  const iter = extractIteration(it.recorder.ops, it.recorder.events);
  // Ops whose cost evaluated to a figure FlopLens cannot use (a negative or NaN size in the script,
  // an overflowing one) are uncounted, named, instead of poisoning every total.
  const unusable = new Map<string, { name: string; reason: string; loc?: Loc }>();
  iter.ops = iter.ops.filter(({ rec, count }) => {
    const bad = badOpFigure(rec, count);
    if (!bad) return true;
    const name = rec.label || rec.cost.kind;
    if (!unusable.has(name)) unusable.set(name, { name, reason: `its ${bad} evaluated to a value FlopLens cannot use (negative, NaN or beyond float range); its cost is unknown`, ...(rec.loc ? { loc: rec.loc } : {}) });
    return false;
  });
  return { it, iter, plan: backwardPlan(it.recorder.ops), unusable };
}

/** The batch the whole script's evidence gives, when dims bound while it ran used a different one. */
function lateBatch(it: Interpreter): { value: number; note: string } | undefined {
  if (!it.lib.boundDims.length || it.directives.batch) return undefined;
  const final = it.lib.guessBatchSeq().batch;
  return it.lib.boundDims.some((d) => d.value !== final.value) ? final : undefined;
}

/** Nothing called the model: call the main model once with a guessed input (constructor fallback). */
function callUncalledModel(ctx: Ctx, it: Interpreter): void {
  if (it.recorder.events.some((e) => e.kind === 'model-call' || e.kind === 'generate')) return;
  const root = mainModel(it);
  // A catalog model used only inside a function nothing calls (a web handler): one request, stated by the zoo bridge.
  if (!root) { it.lib.zoo.callUncalled(); return; }
  try {
    it.lib.callModule(root.value, [{ kind: 'unknown' }], new Map(), root.loc, root.name);
    ctx.problems.push({ severity: 'info', code: 'no-call', message: `The script never calls ${root.name}; FlopLens traced one forward pass with an input guessed from its first layer.`, loc: root.loc });
  } catch (e) {
    it.reportAbort(e);
  }
}

function mainModel(it: Interpreter): { value: Value; loc?: Loc; name: string } | undefined {
  const mods = it.constructed.filter((c) => isKind(c.value, 'inst'));
  const candidates = mods.length ? mods : it.constructed;
  const contained = new Set<number>();
  for (const c of candidates) it.lib.walkModules(c.value, (m) => { if (m.id !== (c.value as { id: number }).id) contained.add(m.id); });
  const roots = candidates.filter((c) => !contained.has((c.value as { id: number }).id));
  let best: { value: Value; loc?: Loc; name: string } | undefined;
  let bestParams = -1;
  for (const r of roots) {
    const n = it.lib.countParams([r.value]).total;
    if (n > bestParams) { bestParams = n; best = { value: r.value, loc: r.loc, name: isKind(r.value, 'inst') ? r.value.cls.name : 'model' }; }
  }
  return best;
}

/** The first unusable figure of an op's cost (for the message), or undefined when all are finite and ≥ 0. */
function badOpFigure(rec: OpRecord, count: number): string | undefined {
  const c = rec.cost;
  const figures: [string, unknown][] = [['count', count], ['forward FLOPs', c.forwardFlops], ['backward FLOPs', c.backwardFlops], ['parameters', c.params], ['bytes read', c.bytesRead], ['bytes written', c.bytesWritten], ['saved activations', c.savedBytes]];
  for (const [name, v] of figures) if (!isFigure(v)) return name;
  for (const d of c.outputShape ?? []) if (!isFigure(d)) return 'output shape';
  const total = (c.forwardFlops + c.backwardFlops + c.bytesRead + c.bytesWritten) * count;
  return Number.isFinite(total) ? undefined : 'total over its calls';
}

export const isFigure = (v: unknown): v is number => typeof v === 'number' && Number.isFinite(v) && v >= 0;

/** The iteration's op records as ops, for `mode`. */
export function toOps(t: Trace, mode: 'train' | 'infer'): Op[] {
  return t.iter.ops.map(({ rec, count }) => toOp(rec, count, mode, t.plan.get(rec)));
}

function toOp(rec: OpRecord, count: number, mode: 'train' | 'infer', backward?: 'none' | 'weights' | 'input'): Op {
  const c = rec.cost;
  const grad = mode === 'train' && rec.grad && backward !== 'none';
  // Weight gradient only, or input gradient only: one forward's worth of matrix work (less when the op's own
  // backward is already cheaper, as for a frozen layer costed that way).
  const bwd = backward === 'weights' || backward === 'input' ? Math.min(c.backwardFlops, c.forwardFlops) : c.backwardFlops;
  const op: Op = {
    kind: c.kind, opClass: c.opClass, name: rec.name, label: rec.label,
    inputShapes: [], outputShape: c.outputShape, params: c.params, trainableParams: rec.frozen ? 0 : c.params,
    forwardFlops: c.forwardFlops, backwardFlops: grad ? bwd : 0,
    bytesRead: c.bytesRead, bytesWritten: c.bytesWritten, savedBytes: grad ? c.savedBytes : 0,
    dtype: rec.dtype, count, phase: rec.phase, traced: rec.traced,
  };
  if (rec.loc) op.loc = rec.loc;
  if (rec.declLoc) op.declLoc = rec.declLoc;
  if (c.causal !== undefined) op.causal = c.causal;
  if (c.note) op.note = c.note;
  return op;
}
