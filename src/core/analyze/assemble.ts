/**
 * Stage: the Analysis object — model, step, memory, run, ops, module summaries, uncounted ops, assumptions,
 * problems, projections, verdict and cross-checks — and the output contract's last net (guardFigures).
 */
import type { Analysis, Loc, MemoryBreakdown, ModuleSummary, Op, Problem, RunSpec, Uncounted, Workload } from '../types';
import { isKind } from '../interpret/values';
import type { Value } from '../interpret/values';
import type { Interpreter } from '../interpret/interpreter';
import type { Ctx } from './resolve';
import type { ModelParams } from './model';
import { MATRIX_CLASSES, type stepFlops } from './memory';
import type { Shape } from './shape';
import { isFigure, type Trace } from './trace';

export interface Parts {
  trace: Trace;
  mode: 'train' | 'infer';
  shape: Shape;
  model: ModelParams;
  flops: ReturnType<typeof stepFlops>;
  workload: Workload;
  outcome: Pick<Analysis, 'projections' | 'verdict'>;
}

export function assemble(ctx: Ctx, p: Parts): Analysis {
  const { trace: { it, iter, unusable }, mode, shape: { batch, seqLen }, model: m, flops, workload: { run, ops, memory } } = p;
  const { forwardFlops, backwardFlops, recomputeFlops } = flops;
  const uncounted: Uncounted[] = [...it.lib.uncountedOps.values(), ...unusable.values()].map((u) => (u.loc ? { name: u.name, reason: u.reason, loc: u.loc } : { name: u.name, reason: u.reason }));
  for (const u of uncounted.slice(0, 20)) ctx.problems.push({ severity: 'info', code: 'uncounted', message: `Uncounted: ${u.name} (${u.reason}).`, loc: u.loc });
  const catalogModels = it.lib.zoo.models();
  const model: Analysis['model'] = {
    name: modelName(it, m.roots),
    params: m.params, trainableParams: m.trainable, frozenParams: Math.max(0, m.params - m.trainable), paramBytes: memory.weights,
    source: catalogModels.length ? 'catalog' : m.fromDirective ? 'directive' : m.params > 0 ? 'script' : 'none',
  };
  const catId = catalogModels[0]?.attrs.get('catalogId');
  if (typeof catId === 'string') model.catalogId = catId;
  // No work stays no work however long the run (0 × an overflowing step count would be NaN).
  const stepTotal = forwardFlops + backwardFlops + recomputeFlops;
  const analysis: Analysis = {
    schemaVersion: 1,
    file: ctx.input.file,
    model,
    step: { batch, microBatches: run.microBatches, forwardFlops, forwardMacs: forwardFlops / 2, vectorFlops: flops.vectorFlops, bytes: bytesOf(ops) },
    memory,
    run: { ...run, totalFlops: stepTotal === 0 ? 0 : stepTotal * run.steps + (run.periodicForwardFlops ?? 0) },
    ops,
    modules: summarizeModules(it, ops, iter.frame?.loc, mode, forwardFlops, backwardFlops),
    uncounted,
    assumptions: ctx.assumptions,
    problems: dedupeProblems(ctx.problems),
    projections: p.outcome.projections,
    verdict: p.outcome.verdict,
    elapsedMs: 0,
  };
  if (seqLen !== undefined) analysis.step.seqLen = seqLen;
  if (run.tokensPerStep) analysis.step.tokens = run.tokensPerStep;
  if (mode === 'train') { analysis.step.backwardFlops = backwardFlops; analysis.step.trainFlops = stepTotal; if (recomputeFlops > 0) analysis.step.recomputeFlops = recomputeFlops; }
  const catalogCross = it.lib.zoo.crossChecks();
  if (catalogCross.length || (run.tokensPerStep && mode === 'train' && m.params > 0)) {
    const D = (run.tokensPerStep ?? 0) * run.steps;
    analysis.crossChecks = catalogCross.length ? catalogCross : [
      { name: '6·N·D', flops: 6 * m.params * D, note: 'Kaplan/Chinchilla rule of thumb, no attention' },
      { name: '8·N·D', flops: 8 * m.params * D, note: 'with full activation recomputation' },
    ];
  }
  return analysis;
}

const bytesOf = (ops: Op[]): number => ops.reduce((a, o) => a + (o.bytesRead + o.bytesWritten) * o.count, 0);

/**
 * The output contract's net: no figure of the Analysis is negative, NaN, ±Infinity or null. A bad figure
 * becomes 0 with an error naming it ("unknown"); when a workload figure was bad, or any projection has one,
 * the projections are dropped and the verdict says why instead of claiming anything from them.
 */
export function guardFigures(a: Analysis): void {
  const bad: string[] = [];
  const fix = (obj: object, path: string, optional: boolean) => {
    const rec = obj as Record<string, unknown>;
    for (const k of Object.keys(rec)) {
      const v = rec[k];
      if (typeof v === 'number' ? isFigure(v) : v !== null) continue;
      bad.push(`${path}.${k}`);
      if (optional) delete rec[k]; else rec[k] = 0;
    }
  };
  fix(a.model, 'model', false);
  fix(a.step, 'step', false);
  fix(a.memory, 'memory', false);
  fix(a.run, 'run', false);
  for (const m of a.modules) fix(m, `module ${m.name}`, false);
  for (const o of a.ops) fix(o, `op ${o.name}`, false);
  if (a.crossChecks) a.crossChecks = a.crossChecks.filter((c) => isFigure(c.flops));
  a.assumptions = a.assumptions.filter((x) => typeof x.value !== 'number' || isFigure(x.value) || (bad.push(`assumption ${x.name}`), false));
  if (a.verdict.speedup !== undefined && !isFigure(a.verdict.speedup)) delete a.verdict.speedup;
  const badProjection = a.projections.find((p) => !figuresOk(p));
  if (bad.length === 0 && !badProjection) return;
  const what = bad.length ? bad.slice(0, 5).join(', ') : `the projection on ${badProjection!.hardwareName}`;
  a.problems.push({ severity: 'error', code: 'bad-figure', message: `Some figures could not be computed (${what}${bad.length > 5 ? ', …' : ''}): they evaluate to a value outside what FlopLens can represent and are shown as unknown (0). Check the sizes in the script and the directives.` });
  if (a.projections.length) {
    a.projections = [];
    a.verdict = { summary: 'No verdict: some figures of this workload are unknown (they overflow or are not numbers), so no time or cost is projected.', gpuPaysOff: false, reason: 'unknown figures' };
  }
}

/** Every number anywhere in `v` (objects, arrays) is finite and ≥ 0; no null. Bounded depth. */
function figuresOk(v: unknown, depth = 0): boolean {
  if (typeof v === 'number') return isFigure(v);
  if (v === null) return false;
  if (typeof v !== 'object' || depth > 4) return true;
  for (const x of Array.isArray(v) ? v : Object.values(v)) if (!figuresOk(x, depth + 1)) return false;
  return true;
}


export function modelName(it: Interpreter, roots: Value[]): string {
  const cat = it.lib.zoo.models()[0];
  if (cat) return String(cat.attrs.get('displayName') ?? cat.attrs.get('catalogId') ?? 'model');
  const names = roots.map((r) => (isKind(r, 'inst') ? r.cls.name : isKind(r, 'layer') ? `nn.${r.name}` : isKind(r, 'container') ? `nn.${r.type}` : 'model'));
  return names.length ? [...new Set(names)].join(' + ') : 'no model found';
}

/** Per-class, per-layer and training-loop summaries for hovers and CodeLens. */
function summarizeModules(it: Interpreter, ops: Op[], loopLoc: Loc | undefined, mode: 'train' | 'infer', fwd: number, bwd: number): ModuleSummary[] {
  const out: ModuleSummary[] = [];
  // Totals per module path prefix (a tree of path parts) and per constructor site, built once (O(ops × depth)).
  // `calls`: ops under the path; `perStep`: how often the module runs per iteration (the fewest runs of any op in it).
  interface PathNode { flops: number; bytes: number; calls: number; perStep: number; kids?: Map<string, PathNode> }
  const tree: PathNode = { flops: 0, bytes: 0, calls: 0, perStep: Infinity };
  const byDecl = new Map<string, Op[]>();
  for (const o of ops) {
    const f = MATRIX_CLASSES.has(o.opClass) ? o.forwardFlops * o.count : 0;
    const b = (o.bytesRead + o.bytesWritten) * o.count;
    let node = tree;
    for (const part of o.name.split('.')) {
      node.kids ??= new Map();
      let next = node.kids.get(part);
      if (!next) { next = { flops: 0, bytes: 0, calls: 0, perStep: Infinity }; node.kids.set(part, next); }
      next.flops += f; next.bytes += b; next.calls++; next.perStep = Math.min(next.perStep, Math.max(1, o.count));
      node = next;
    }
    if (o.declLoc) {
      const k = `${o.declLoc.file ?? ''}:${o.declLoc.from}`;
      const list = byDecl.get(k);
      if (list) list.push(o); else byDecl.set(k, [o]);
    }
  }
  const byPathPrefix = (prefix: string): PathNode => {
    let node: PathNode | undefined = tree;
    for (const part of prefix.split('.')) { node = node.kids?.get(part); if (!node) return { flops: 0, bytes: 0, calls: 0, perStep: 1 }; }
    return node;
  };
  const seenClass = new Set<number>();
  for (const c of it.constructed) {
    const v = c.value;
    if (isKind(v, 'inst') && v.module) {
      const cnt = it.lib.countParams([v]);
      const path = v.module.path;
      const node = path ? byPathPrefix(path) : { flops: 0, bytes: 0, calls: 0, perStep: 1 };
      // ModuleSummary speaks per call: one run of this instance, not the iteration's (×micro-batches, ×loop passes).
      const runs = Number.isFinite(node.perStep) ? node.perStep : 1;
      const agg = { flops: node.flops / runs, bytes: node.bytes / runs, calls: node.calls };
      // Per-instance layer summary at the constructor call, and one per class (first instance).
      if (c.loc) out.push({ name: v.cls.name, kind: 'layer', loc: c.loc, params: cnt.total, trainableParams: cnt.trainable, forwardFlops: agg.flops, bytes: agg.bytes, traced: agg.calls > 0 });
      if (!seenClass.has(v.cls.id)) {
        seenClass.add(v.cls.id);
        out.push({ name: v.cls.name, kind: 'class', loc: v.cls.loc, params: cnt.total, trainableParams: cnt.trainable, forwardFlops: agg.flops, bytes: agg.bytes, traced: agg.calls > 0 });
      }
    } else if (isKind(v, 'layer') && c.loc) {
      const cnt = it.lib.countParams([v]);
      const mine = byDecl.get(`${c.loc.file ?? ''}:${c.loc.from}`) ?? [];
      const s: ModuleSummary = {
        name: `nn.${v.name}`, kind: 'layer', loc: c.loc, params: cnt.total, trainableParams: cnt.trainable,
        // Per call: one op of this constructor (instances built in a loop share it; each call costs the same).
        forwardFlops: mine[0]?.forwardFlops ?? 0, bytes: mine[0] ? mine[0].bytesRead + mine[0].bytesWritten : 0, traced: mine.length > 0,
      };
      if (mine[0]) s.outputShape = mine[0].outputShape;
      out.push(s);
    }
  }
  for (const m of it.lib.zoo.models()) {
    const cnt = it.lib.zoo.paramCounts(m);
    out.push({ name: String(m.attrs.get('displayName') ?? 'model'), kind: 'catalog', loc: m.loc, params: cnt.total, trainableParams: cnt.trainable, forwardFlops: fwd, bytes: bytesOf(ops), traced: true });
  }
  if (loopLoc) out.push({ name: mode === 'train' ? 'training loop' : 'inference loop', kind: 'loop', loc: loopLoc, params: 0, trainableParams: 0, forwardFlops: fwd + bwd, bytes: bytesOf(ops), traced: true });
  return out;
}

export function dedupeProblems(ps: Problem[]): Problem[] {
  const seen = new Set<string>();
  const out: Problem[] = [];
  for (const p of ps) {
    const k = `${p.code}|${p.message}|${p.loc?.line ?? ''}`;
    if (seen.has(k)) continue;
    seen.add(k);
    out.push(p);
    if (out.length >= 200) break;
  }
  return out;
}


export function emptyAnalysis(file: string, problems: Problem[]): Analysis {
  const memory: MemoryBreakdown = { weights: 0, gradients: 0, optimizer: 0, activations: 0, inputs: 0, kvCache: 0, overhead: 0, peakBytes: 0 };
  const run: RunSpec = { mode: 'infer', batch: 0, microBatches: 1, dtype: 'fp32', allowTf32: false, optimizerBytesPerParam: 0, steps: 0, inputBytesPerStep: 0, throughputUnit: 'samples/s', itemsPerStep: 0 };
  return {
    schemaVersion: 1, file, model: { name: 'no model found', params: 0, trainableParams: 0, frozenParams: 0, paramBytes: 0, source: 'none' },
    step: { batch: 0, microBatches: 1, forwardFlops: 0, forwardMacs: 0, vectorFlops: 0, bytes: 0 }, memory, run: { ...run, totalFlops: 0 },
    ops: [], modules: [], uncounted: [], assumptions: [], problems, projections: [],
    verdict: { summary: 'FlopLens could not analyse this script; see the problems listed.', gpuPaysOff: false, reason: 'analysis failed' },
    elapsedMs: 0,
  };
}

