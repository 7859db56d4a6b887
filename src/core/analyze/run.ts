/**
 * Stage: how long the run is and how it steps — gradient accumulation, dataset, epochs, steps and the
 * optimizer — each by the one rule (resolve.ts). Steps derived from other directives (a `tokens=` budget,
 * `epochs=` over a dataset) rank after `steps=` and before the script's own loop count.
 */
import { findDataset } from '../data/datasets';
import { isNum } from '../interpret/values';
import { VALUE_RANGES } from '../ranges';
import { assume, resolve, type Candidate, type Ctx, type Resolved } from './resolve';
import { scriptCount, usableCount, type Shape } from './shape';
import type { Trace } from './trace';

/** Optimizer state bytes per trainable parameter (fp32 states). */
export const OPTIMIZER_STATE_BYTES: Record<string, number> = {
  sgd: 0, momentum: 4, adam: 8, adamw: 8, adam8bit: 2, adafactor: 4, lion: 4, rmsprop: 4, adagrad: 4, none: 0,
};

export interface RunLength {
  steps: number;
  microBatches: number;
  epochs?: number;
  datasetSize?: number;
  datasetName?: string;
}

export interface Optimizer {
  name: string;
  bytesPerParam: number;
}

export function resolveRunLength(ctx: Ctx, { it, iter }: Trace, shape: Shape, mode: 'train' | 'infer'): RunLength {
  const d = ctx.directives.all;
  const accum = resolve(ctx.directives, 'accum', {
    note: iter.microNote,
    traced: [{ value: iter.microBatches, source: 'literal', ok: (v) => scriptCount(ctx, 'accum', v) !== undefined }],
    fallback: { value: 1, source: 'default' },
  })!;
  const micro = accum.value;
  const dataset = resolveDataset(ctx, it);
  const tracedEpochs = iter.outer.length && iter.outer.every((f) => f.trips !== undefined) ? iter.outer.reduce((a, f) => a * f.trips!, 1) : undefined;
  const epochs = resolve(ctx.directives, 'epochs', { traced: [{ value: tracedEpochs, source: 'literal' }] });
  const { batch, seqLen } = shape;
  const derived: Candidate<number>[] = [];
  const runOk = (note: string) => (v: number) => usableCount('steps', v) || (ctx.problems.push({ severity: 'warning', code: 'bad-value', message: `The run would have ${String(v)} steps (from ${note}), which FlopLens cannot use (allowed 1 to ${VALUE_RANGES.get('steps')!.max.toExponential()}); the step count is unknown.` }), false);
  if (d.tokens && seqLen) {
    const note = `token budget ${fmt(d.tokens.value)} / ${fmt(batch * micro * seqLen)} tokens per step`;
    derived.push({ value: Math.ceil(d.tokens.value / (batch * micro * seqLen * (d.devices?.value ?? 1))), source: d.tokens.source, note, key: 'tokens', ok: runOk(note) });
  }
  // A dataset size set by directive (dataset=…, dataset_size=…) or epochs=… recomputes the run: each epoch is
  // ceil(size / batch) loader batches (the last one partial), grouped by the micro-batches of a step.
  const byEpochs = d.epochs ?? d.dataset ?? (iter.steps === undefined ? d.dataset_size : undefined);
  if (byEpochs && dataset.size) {
    const ep = d.epochs?.value ?? (iter.outer.length ? iter.outer.reduce((a, f) => a * (f.trips ?? 1), 1) : 1);
    // A pairwise trainer's samples are pairs: batch / 2 of them per model call.
    const perCall = batch / it.lib.zoo.sequencesPerSample();
    const note = `${ep} epochs × ${fmt(dataset.size)} samples / (batch ${perCall} × ${micro})`;
    derived.push({ value: Math.ceil((ep * Math.ceil(dataset.size / perCall)) / micro), source: byEpochs.source, note, ok: runOk(note) });
  }
  // Batches per epoch unknown (a dataset filled from data) under a known epoch loop: the epochs are kept, each assumed
  // to be 1,000 steps.
  const perEpoch = mode === 'train' && tracedEpochs !== undefined && iter.frame?.trips === undefined ? tracedEpochs : undefined;
  const steps = resolve(ctx.directives, 'steps', {
    directiveNote: 'set by directive', loc: iter.stepsLoc, derived,
    traced: [{ value: iter.steps, source: 'inferred', note: iter.stepsNote, ok: (v) => scriptCount(ctx, 'steps', v) !== undefined }],
    fallback: { value: mode === 'train' ? 1000 * (perEpoch ?? 1) : 1, source: 'default', note: perEpoch ? `${iter.stepsNote}: ${fmt(perEpoch)} epochs × 1,000 steps assumed` : iter.stepsNote },
  })!;
  const assumed = perEpoch ? `${fmt(perEpoch)} epochs × 1,000 steps each = ${fmt(steps.value)}. Add \`# floplens: steps=N\` or \`dataset=N\` (the epochs are kept)` : `${steps.value}. Add \`# floplens: steps=N\` or \`epochs=N dataset=…\``;
  if (steps.source === 'default') ctx.problems.push({ severity: 'info', code: 'steps-unknown', message: `Could not tell how many iterations the run has (${iter.stepsNote}); assuming ${assumed}.`, loc: iter.stepsLoc });
  assume(ctx, 'steps', steps, 'iterations');
  if (iter.earlyExit && !d.accum) {
    const f = iter.earlyExit;
    ctx.problems.push({ severity: 'info', code: 'data-dependent', message: `The ${f.label} loop at line ${f.loc?.line ?? '?'} can end early at a break that depends on the data (an episode ending, convergence): its ${fmt(f.trips ?? 0)} passes are an upper bound on the model calls per step. Add \`# floplens: accum=N\` for a typical count.`, loc: f.loc });
  }
  if (micro > 1) assume(ctx, 'accum', accum, 'micro-batches');
  if (dataset.size) assume(ctx, 'dataset', { ...dataset.resolved!, value: dataset.name ? `${dataset.name} (${fmt(dataset.size)})` : fmt(dataset.size) });
  const out: RunLength = { steps: steps.value, microBatches: micro };
  if (epochs) out.epochs = epochs.value;
  if (dataset.size !== undefined) out.datasetSize = dataset.size;
  if (dataset.name) out.datasetName = dataset.name;
  return out;
}

/** The dataset's size and name: `dataset=` (a catalog name or a count), else `dataset_size=`, else the traced dataset. */
function resolveDataset(ctx: Ctx, it: Trace['it']): { size?: number; name?: string; resolved?: Resolved<number> } {
  const ds = it.lib.flags.datasets[0];
  const size = ds?.attrs.get('size');
  let name = ds ? String(ds.attrs.get('name') ?? '') : undefined;
  const tracedSource = !name || findDataset(name) ? 'catalog' : 'inferred';
  const entry = ctx.directives.all.dataset;
  const sizeEntry = ctx.directives.all.dataset_size;
  const r = resolve<'dataset', number>(ctx.directives, 'dataset', {
    fromDirective: (v) => {
      const n = Number(v);
      if (Number.isFinite(n)) return n;
      const info = findDataset(v);
      if (info) { name = info.name; return info.train; }
      ctx.problems.push({ severity: 'warning', code: 'directive', message: `Unknown dataset '${v}'. Use dataset_size=N instead.`, loc: entry?.loc });
      return undefined;
    },
    derived: sizeEntry ? [{ value: sizeEntry.value, source: sizeEntry.source, key: 'dataset_size' }] : [],
    traced: [{ value: isNum(size) ? size : undefined, source: tracedSource, ok: (v) => scriptCount(ctx, 'dataset_size', v) !== undefined }],
  });
  if (!r) return { name };
  const fromCatalog = !!name && !!findDataset(name);
  const note = fromCatalog ? 'sample count from the dataset catalog' : name ? 'what the dataset\'s __len__ / the tensors it wraps give' : undefined;
  return { size: r.value, name, resolved: { ...r, note } };
}

/** The optimizer of a training run and its state bytes per trainable parameter (an inference run has none). */
export function resolveOptimizer(ctx: Ctx, { it }: Trace, mode: 'train' | 'infer'): Optimizer {
  if (mode !== 'train') return { name: 'none', bytesPerParam: 0 };
  const optObj = it.lib.flags.optimizers[0];
  // No optimizer object but the script reads `.grad`: a hand-written update (plain SGD, no state).
  const manualUpdate = !optObj && it.lib.flags.readsGrad && !it.lib.zoo.trainerOptimizer();
  const r = resolve<'optimizer', string>(ctx.directives, 'optimizer', {
    loc: optObj?.loc,
    traced: [
      { value: optObj ? String(optObj.attrs.get('name') ?? 'adam').toLowerCase() : undefined, source: 'literal' },
      { value: manualUpdate ? 'sgd' : undefined, source: 'inferred' },
    ],
    catalog: [{ value: it.lib.zoo.trainerOptimizer(), ...(it.lib.zoo.trainerOptimizerStated() ? { source: 'literal' as const, ...it.lib.zoo.trainerOptimizerStated() } : { source: 'default' as const }) }],
    fallback: { value: 'adamw', source: 'default' },
  })!;
  let name = r.value;
  if (name === 'sgd' && optObj && isNum(optObj.attrs.get('momentum')) && (optObj.attrs.get('momentum') as number) > 0) name = 'momentum';
  if (/8bit/.test(name)) name = 'adam8bit';
  const bytesPerParam = OPTIMIZER_STATE_BYTES[name.replace(/^paged/, '').replace(/32bit$/, '')] ?? 8;
  const stated = r.source === 'literal' && !optObj ? it.lib.zoo.trainerOptimizerStated()?.note : undefined;
  assume(ctx, 'optimizer', { ...r, value: name, note: manualUpdate ? 'a hand-written update from .grad (no optimizer state)' : `${stated ? `${stated}: ` : ''}${bytesPerParam} bytes of state per fp32 trainable parameter` });
  return { name, bytesPerParam };
}

export function fmt(n: number): string { return n.toLocaleString('en-US'); }
