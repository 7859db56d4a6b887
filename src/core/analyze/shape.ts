/**
 * Stage: batch, sequence length and compute dtype of one model call, each by the one rule (resolve.ts), with
 * the model input's layout (sequence-first inputs are turned batch-first).
 */
import type { Dtype, Op } from '../types';
import type { OpRecord } from '../interpret/recorder';
import { isNum } from '../interpret/values';
import { VALUE_RANGES } from '../ranges';
import { assume, resolve, type Candidate, type Ctx } from './resolve';
import type { Trace } from './trace';

export interface Shape {
  batch: number;
  seqLen: number | undefined;
  dtype: Dtype;
  /** The model input as traced, batch first; undefined when no nn.Module call was traced. */
  rootInput: number[] | undefined;
}

export function resolveShape(ctx: Ctx, { it, iter }: Trace, ops: Op[]): Shape {
  const { settings } = ctx;
  const loaderBs = it.lib.flags.loaders.map((l) => l.attrs.get('batch_size')).find(isNum);
  const rootInput = batchFirstInput(ctx, it.recorder.ops, loaderBs, it.state.rootInputs, iter.trainRoot, (o) => iter.weight(o.ctx) !== undefined);
  // No nn.Module call to trace (a function-style model): the loop's DataLoader batch is the samples per call.
  const loaderBatch = rootInput ? undefined : loaderBs;
  const bound = it.lib.boundDims.find((d) => d.name === 'batch' && d.value === rootInput?.[0]);
  const traced: Omit<Candidate<number>, 'value'> = it.lib.guessedInput
    ? { source: 'inferred', note: 'guessed from the first layer and batch-size names in the script' }
    : bound ? { source: 'inferred', note: `the batch dim of a tensor whose shape was not traced, bound to ${bound.note}` }
    : rootInput ? { source: 'literal', note: 'traced from the input the model is called with' }
      : loaderBatch !== undefined ? { source: 'literal', note: 'the DataLoader batch_size (no nn.Module call to trace)' } : { source: 'default' };
  const ok = (key: string) => (v: number) => scriptCount(ctx, key, v) !== undefined;
  // A pairwise trainer (DPO, reward) runs both sequences of each pair per device that the batch directive sets.
  const pairs = it.lib.zoo.sequencesPerSample();
  const batch = resolve(ctx.directives, 'batch', {
    ...(pairs > 1 ? { fromDirective: (v: number) => v * pairs, directiveNote: `the batch directive's pairs per device × ${pairs} (chosen and rejected run together)` } : {}),
    traced: [{ value: it.lib.zoo.batch(), ...(it.lib.zoo.batchStated() ? { source: 'literal' as const, ...it.lib.zoo.batchStated() } : traced), ok: ok('batch') }, { value: rootInput?.[0], ...traced, ok: ok('batch') }, { value: loaderBatch, ...traced, ok: ok('batch') }],
    fallback: { value: settings.defaultBatch, ...traced },
  })!;
  assume(ctx, 'batch', batch, 'samples');
  const tokenInput = rootInput && rootInput.length === 2 && isTokenModel(ops) ? rootInput[1] : undefined;
  const seq = resolve(ctx.directives, 'seq', {
    note: 'sequence length of the model input',
    traced: [{ value: it.lib.zoo.seqLen(), source: 'literal', ...it.lib.zoo.seqStated(), ok: ok('seq') }, { value: tokenInput, source: 'literal', ok: ok('seq') }],
  });
  if (seq) assume(ctx, 'seq', seq, 'tokens');
  const cast = it.state.autocast.length || it.lib.flags.modelDtypes.length;
  const dominant = dominantDtype(ops);
  // The last place the script states the dtype the ops run in (autocast, torch_dtype=, .half(), bf16=True), with its line.
  const stated = [...it.lib.flags.dtypeSources].reverse().find((s) => s.dtype === dominant);
  const precision: Omit<Candidate<Dtype>, 'value'> = stated
    ? { source: 'literal', note: `${stated.what} in the script`, loc: stated.loc }
    : { source: cast ? 'literal' : 'default', note: it.lib.flags.modelDtypes.length ? 'model cast in the script' : 'autocast / default precision' };
  const dtype = resolve<'dtype', Dtype>(ctx.directives, 'dtype', {
    traced: [{ value: dominant, ...precision }],
    fallback: { value: settings.defaultDtype, ...precision },
  })!;
  assume(ctx, 'dtype', dtype);
  return { batch: batch.value, seqLen: seq?.value, dtype: dtype.value, rootInput };
}

/**
 * The traced model input, batch first. Token input fed sequence-first ([S, N], as nn.Transformer/nn.RNN take
 * by default after `.T`): the DataLoader's batch is the second dim. Or token ids [S, N] into an embedding and
 * an RNN without batch_first: the RNN reads dim 1 as the batch.
 */
function batchFirstInput(ctx: Ctx, recs: OpRecord[], loaderBs: number | undefined, args: Map<number, number[]>, trainRoot?: number, inIteration?: (o: OpRecord) => boolean): number[] | undefined {
  const rootInput = firstRootInput(recs, args, trainRoot, inIteration);
  const seqFirst = rootInput?.length !== 2 ? undefined
    : loaderBs !== undefined && rootInput[0] !== loaderBs && rootInput[1] === loaderBs ? 'its second dim is the DataLoader batch'
      : seqFirstInput(recs, rootInput) ? 'the recurrent layer it feeds has batch_first=False' : undefined;
  if (!rootInput || !seqFirst) return rootInput;
  assume(ctx, 'layout', { value: 'sequence-first', source: 'inferred', note: `the model input is [${rootInput[0]}, ${rootInput[1]}] (sequence, batch): ${seqFirst}` });
  return [rootInput[1], rootInput[0]];
}

/** A run quantity as the script or a catalog gives it is usable: finite, positive, inside its range. */
export function usableCount(key: string, v: number): boolean {
  const r = VALUE_RANGES.get(key);
  return Number.isFinite(v) && v > 0 && (!r || v <= r.max);
}

/** `v` when usable, else undefined with a problem naming the key, the value and the allowed range. */
export function scriptCount(ctx: Ctx, key: string, v: number | undefined): number | undefined {
  if (v === undefined || usableCount(key, v)) return v;
  const r = VALUE_RANGES.get(key);
  ctx.problems.push({ severity: 'warning', code: 'bad-value', message: `The script's ${key} evaluates to ${String(v)}, which FlopLens cannot use (allowed ${r ? `${r.min} to ${r.max.toExponential()}` : 'a positive finite number'}); it is treated as unknown.` });
  return undefined;
}

function firstRootInput(ops: OpRecord[], args: Map<number, number[]>, trainRoot?: number, inIteration?: (o: OpRecord) => boolean): number[] | undefined {
  // The first op of the first root call sees the model input; in training, of the first call with gradients (RL
  // rollouts and target networks under no_grad come first and run on other batches).
  // Calls in an RL rollout loop (one observation per env step) are not the update's batch either. In an RL update, the
  // trained call (iteration.ts: the last with gradients before backward) is the update's batch: A2C's bootstrap value
  // v(s_final) on the envs' last observations comes first, with gradients, and is detached.
  const inRollout = (o: OpRecord) => o.ctx.some((e) => e.type === 'loop' && e.frame.rollout);
  const rl = ops.some((o) => o.rootCall !== undefined && inRollout(o));
  const trained = rl && trainRoot !== undefined ? ops.find((o) => o.rootCall === trainRoot) : undefined;
  // A call outside the iteration (a notebook's demonstration pass on another batch before the training) is not it.
  const first = trained ?? ops.find((o) => o.rootCall !== undefined && o.grad && !inRollout(o) && (inIteration?.(o) ?? true)) ?? ops.find((o) => o.rootCall !== undefined && o.grad && !inRollout(o)) ?? ops.find((o) => o.rootCall !== undefined && o.grad) ?? ops.find((o) => o.rootCall !== undefined);
  if (!first) return undefined;
  const c = first.cost;
  // Input of an embedding is [B, T] (output drops the last dim); otherwise take the output's batch.
  if (c.kind === 'embedding') return c.outputShape.slice(0, -1);
  // A cast or other shape-keeping op on the token ids first (`tokens.long()`): the embedding that follows sees them.
  const same = (a: number[], b: number[]) => a.length === b.length && a.every((x, i) => x === b[i]);
  const emb = ops.find((o) => o.rootCall === first.rootCall && o.cost.kind === 'embedding' && same(o.cost.outputShape.slice(0, -1), c.outputShape));
  if (emb) return c.outputShape.slice();
  // A sequence-first recurrent layer (batch_first=False) as the first op: its batch is dim 1 ([S, N, H]).
  if (c.opClass === 'rnn' && c.batchDim === 1 && c.outputShape.length >= 3) return [c.outputShape[1]];
  // A first op whose leading dim is no dim of the model's input works on a constant built inside forward (a
  // diffusion UNet's sinusoidal frequencies [128] before x [14, 3, 64, 64] is touched): the input's batch holds.
  const arg = first.rootCall !== undefined ? args.get(first.rootCall) : undefined;
  if (arg?.length && c.outputShape.length && !arg.includes(c.outputShape[0])) return [arg[0]];
  return c.outputShape.length ? [c.outputShape[0]] : undefined;
}

/** The first root call's first layer that declares a layout reads the model input [S, N] sequence-first. */
function seqFirstInput(ops: OpRecord[], input: number[]): boolean {
  const first = ops.find((o) => o.rootCall !== undefined);
  const laid = first && ops.find((o) => o.rootCall === first.rootCall && o.cost.opClass === 'rnn');
  const out = laid?.cost.outputShape;
  return laid?.cost.batchDim === 1 && !!out && out[0] === input[0] && out[1] === input[1];
}

export function isTokenModel(ops: Op[]): boolean { return ops.some((o) => o.kind === 'embedding') && ops.some((o) => o.opClass === 'attention' || o.opClass === 'rnn' || o.kind === 'matmul'); }

function dominantDtype(ops: Op[]): Dtype | undefined {
  const by = new Map<Dtype, number>();
  for (const o of ops) by.set(o.dtype, (by.get(o.dtype) ?? 0) + o.forwardFlops * o.count);
  let best: Dtype | undefined; let bv = -1;
  for (const [d, v] of by) if (v > bv) { best = d; bv = v; }
  return best;
}
