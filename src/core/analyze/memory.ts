/**
 * Stage: the workload of one step — memory (weights, gradients, optimizer state, activations, inputs, KV
 * cache), headline and vector FLOPs, recomputation, and the run spec the projection reads.
 */
import type { MemoryBreakdown, Op, RunSpec, Workload } from '../types';
import { DTYPE_BYTES } from '../types';
import type { OpRecord } from '../interpret/recorder';
import { assume, resolve, type Ctx } from './resolve';
import type { ModelParams } from './model';
import type { Optimizer, RunLength } from './run';
import { trainableBytes } from './optimizerState';
import { isTokenModel, type Shape } from './shape';
import type { Trace } from './trace';

/** Op classes whose FLOPs make the headline count (matrix work), as PyTorch's counters and MFU define it. */
export const MATRIX_CLASSES: ReadonlySet<string> = new Set(['gemm', 'conv', 'attention', 'rnn']);

export interface StepFigures {
  mode: 'train' | 'infer';
  ops: Op[];
  shape: Shape;
  model: ModelParams;
  length: RunLength;
  optimizer: Optimizer;
}

export function memoryOf(ctx: Ctx, t: Trace, f: StepFigures): MemoryBreakdown {
  const { it, iter, plan } = t;
  const { mode, model: { params, trainable }, optimizer: opt } = f;
  const forcedDtype = ctx.directives.all.dtype?.value;
  const weightBytesPerParam = it.lib.zoo.weightBytesPerParam() ?? (it.lib.flags.modelDtypes.length ? DTYPE_BYTES[it.lib.flags.modelDtypes[it.lib.flags.modelDtypes.length - 1]] : forcedDtype && forcedDtype !== 'tf32' && mode === 'infer' ? DTYPE_BYTES[forcedDtype] : 4);
  const weights = params * weightBytesPerParam;
  const per = mode === 'train' ? trainableBytes(it, opt, weightBytesPerParam) : undefined;
  if (per && trainable > 0) assume(ctx, 'optimizer state', { value: per.state, source: 'inferred', note: per.note }, 'B/param');
  const gradients = per ? trainable * per.gradient : 0;
  const optimizer = per ? trainable * per.state : 0;
  const micro = f.length.microBatches;
  const catalogMem = it.lib.zoo.memory();
  // Checkpointed segments keep only their inputs; everything else keeps its saved activations.
  const recomputedOps = new Set(iter.ops.filter((x) => x.rec.recomputed).map((x) => x.rec));
  // Ops before anything requires grad (a frozen prefix) save nothing for backward.
  const savedBy = (keep: (rec: OpRecord) => boolean) => iter.ops.reduce((a, { rec, count }) => a + (mode === 'train' && rec.grad && !recomputedOps.has(rec) && keep(rec) ? rec.cost.savedBytes * count : 0), 0);
  const savedAll = savedBy(() => true);
  let savedPerMicro = savedBy((rec) => plan.get(rec) !== 'none') / micro;
  // The catalog's modelled activations shrink in the same proportion when a frozen prefix keeps nothing.
  const keptShare = savedAll > 0 ? (savedPerMicro * micro) / savedAll : 1;
  if (mode === 'train' && recomputedOps.size) {
    // Checkpoint segments keep their inputs; one segment's activations live again during its backward.
    const segs = it.lib.flags.checkpoints.filter((c) => (iter.weight(c.ctx) ?? 0) > 0);
    savedPerMicro += segs.reduce((a, c) => a + c.inputBytes, 0) + Math.max(0, ...segs.map((c) => c.savedBytes));
  }
  // A `recompute=full` directive without checkpoint calls in the script: keep block inputs only,
  // 2·s·b·h of Korthikanti et al.'s 34·s·b·h per transformer layer.
  const fullByDirective = ctx.directives.all.recompute?.value === 'full' && recomputedOps.size === 0;
  const activations = catalogMem.activations !== undefined ? catalogMem.activations * (mode === 'train' ? keptShare : 1) : (mode === 'train' ? savedPerMicro * (fullByDirective ? 2 / 34 : 1) : peakInferenceActivation(f.ops));
  const memory: MemoryBreakdown = {
    weights: catalogMem.weights ?? weights, gradients: catalogMem.gradients ?? gradients, optimizer: catalogMem.optimizer ?? optimizer,
    activations, inputs: inputBytesPerMicro(t, f), kvCache: catalogMem.kvCache ?? 0, overhead: 0, peakBytes: 0,
  };
  memory.peakBytes = memory.weights + memory.gradients + memory.optimizer + memory.activations + memory.inputs + memory.kvCache;
  return memory;
}

/** Host→device copies of one micro-batch (`x.to(device)` inside the iteration), else the token ids of the input. */
function inputBytesPerMicro({ it, iter }: Trace, f: StepFigures): number {
  const copies = it.lib.flags.inputBytes.map((b) => b.bytes * (iter.weight(b.ctx) ?? 0)).reduce((a, b) => a + b, 0);
  if (copies > 0) return copies / Math.max(1, f.length.microBatches);
  const shape = f.shape.rootInput;
  return shape && shape.length === 2 ? f.shape.batch * shape[1] * 8 : 0;
}

/**
 * Headline FLOPs follow PyTorch's FlopCounterMode / MFU convention: matrix work only (GEMM, conv, attention,
 * RNN). Element-wise and normalisation ops keep their own FLOPs on each op (they matter for time through bytes
 * moved) and are totalled separately as vector FLOPs.
 */
export function stepFlops(ctx: Ctx, { it, iter }: Trace, ops: Op[], mode: 'train' | 'infer'): { forwardFlops: number; vectorFlops: number; backwardFlops: number; recomputeFlops: number; recompute: RunSpec['recompute'] } {
  const isMatrix = (o: Op) => MATRIX_CLASSES.has(o.opClass);
  const forwardFlops = ops.reduce((a, o) => a + (isMatrix(o) ? o.forwardFlops * o.count : 0), 0);
  const vectorFlops = ops.reduce((a, o) => a + (isMatrix(o) ? 0 : o.forwardFlops * o.count), 0);
  const backwardFlops = mode === 'train' ? ops.reduce((a, o) => a + (isMatrix(o) ? o.backwardFlops * o.count : 0), 0) : 0;
  const recompute = resolve(ctx.directives, 'recompute', { traced: [{ value: it.lib.flags.gradCheckpointing ? 'full' as const : undefined, source: 'literal' }], fallback: { value: 'none' as const, source: 'default' } })!.value;
  const checkpointedFlops = iter.ops.reduce((a, { rec, count }) => a + (rec.recomputed && MATRIX_CLASSES.has(rec.cost.opClass) ? rec.cost.forwardFlops * count : 0), 0);
  // Selective recompute (Korthikanti et al. 2022 §5) re-runs the attention core only: the attention ops' forward.
  const attentionFlops = ops.reduce((a, o) => a + (o.opClass === 'attention' ? o.forwardFlops * o.count : 0), 0);
  const recomputeFlops = mode !== 'train' ? 0 : checkpointedFlops > 0 ? checkpointedFlops : recompute === 'full' ? forwardFlops : (recompute as RunSpec['recompute']) === 'selective' ? attentionFlops : 0;
  return { forwardFlops, vectorFlops, backwardFlops, recomputeFlops, recompute };
}

export function runSpecOf(ctx: Ctx, { it }: Trace, f: StepFigures, memory: MemoryBreakdown, recompute: RunSpec['recompute']): RunSpec {
  const { mode, ops, shape: { batch, seqLen, dtype }, length } = f;
  const micro = length.microBatches;
  const use = ctx.directives;
  const tokensPerStep = seqLen && isTokenModel(ops) ? batch * micro * seqLen : it.lib.zoo.tokensPerStep();
  const unit = it.lib.zoo.throughputUnit() ?? (tokensPerStep ? 'tokens/s' : isImageModel(ops) ? 'images/s' : 'samples/s');
  // A catalog model states the items of one call; a training step makes `micro` calls (gradient accumulation).
  const zooItems = it.lib.zoo.itemsPerStep();
  const itemsPerStep = zooItems !== undefined ? zooItems * (mode === 'train' ? micro : 1) : unit === 'tokens/s' ? tokensPerStep ?? batch * micro : batch * micro;
  const allowTf32 = resolve(use, 'tf32', { traced: [{ value: it.lib.flags.allowTf32 || undefined, source: 'literal' }], fallback: { value: false, source: 'default' } })!.value;
  const run: RunSpec = {
    mode, batch, microBatches: micro, dtype, allowTf32,
    optimizerBytesPerParam: mode === 'train' ? f.optimizer.bytesPerParam : 0, steps: length.steps, inputBytesPerStep: memory.inputs * micro,
    throughputUnit: unit, itemsPerStep, recompute,
  };
  if (seqLen !== undefined) run.seqLen = seqLen;
  if (mode === 'train') run.optimizer = f.optimizer.name;
  if (length.epochs !== undefined) run.epochs = length.epochs;
  if (length.datasetSize !== undefined) run.datasetSize = length.datasetSize;
  if (length.datasetName) run.datasetName = length.datasetName;
  if (tokensPerStep) run.tokensPerStep = tokensPerStep;
  if (it.lib.flags.device) run.device = it.lib.flags.device;
  if (it.lib.flags.matmulPadding !== undefined) run.matmulPadding = it.lib.flags.matmulPadding;
  if (it.lib.flags.pinMemory !== undefined) run.pinMemory = it.lib.flags.pinMemory;
  if (it.lib.flags.loaderWorkers !== undefined) run.loaderWorkers = it.lib.flags.loaderWorkers;
  if (it.lib.flags.inputTransforms) run.inputTransforms = it.lib.flags.inputTransforms;
  if (it.lib.flags.inputDecode) run.inputDecode = true;
  const devices = resolve(use, 'devices', { note: 'GPUs in the run' });
  if (devices) run.devices = devices.value;
  const runtime = resolve(use, 'runtime', { traced: [{ value: it.lib.flags.compiled ? 'compiled' as const : undefined, source: 'literal' }] });
  if (runtime) run.runtime = runtime.value;
  // A directive's `tokens=` budget or a script without DDP states the whole job's step; a DDP script's
  // loop is one rank's step.
  if (devices && devices.value > 1) run.batchScope = it.lib.flags.ddp ? 'device' : 'global';
  const gen = it.lib.zoo.generation();
  if (gen) { run.promptTokens = gen.prompt; run.newTokens = gen.newTokens; }
  if (devices) assume(ctx, 'devices', devices, 'GPUs');
  return run;
}

export function workloadOf(run: RunSpec, ops: Op[], memory: MemoryBreakdown, model: ModelParams, flops: ReturnType<typeof stepFlops>): Workload {
  return { run, ops, memory, params: model.params, trainableParams: model.trainable, forwardFlops: flops.forwardFlops, backwardFlops: flops.backwardFlops, recomputeFlops: flops.recomputeFlops };
}

function isImageModel(ops: Op[]): boolean { return ops.some((o) => o.opClass === 'conv') || ops.some((o) => o.label.includes('Conv')); }

function peakInferenceActivation(ops: Op[]): number {
  let peak = 0;
  for (const o of ops) peak = Math.max(peak, o.bytesWritten + (o.bytesRead > 0 ? Math.min(o.bytesRead, o.bytesWritten * 4) : 0));
  return peak;
}
