/**
 * From what the program did (ops and events in their loop context) to one iteration of the run:
 * which ops belong to it and how often each runs, how many iterations the run has, and how many
 * model calls make one optimizer step.
 */
import type { Loc } from '../types';
import type { CtxEntry, LoopFrame, OpRecord, RunEvent } from './recorder';
import { otherRunSteps, otherTrainingSteps } from './reruns';

export interface Iteration {
  /** The loop whose one pass is one iteration (absent: the script runs its work once). */
  frame?: LoopFrame;
  /** Iterations in the whole run; undefined when a loop's trip count could not be found. */
  steps: number | undefined;
  stepsNote: string;
  stepsLoc?: Loc;
  /** Model calls per optimizer step from gradient accumulation (inner loop or `if i % n == 0: step()`). */
  microBatches: number;
  microNote?: string;
  /** An inner loop of the step that can end early at a `break`: the model calls per step are an upper bound. */
  earlyExit?: LoopFrame;
  mode: 'train' | 'infer';
  /** The root call id of the trained model call (the last with gradients before the first backward), when known. */
  trainRoot?: number;
  /** Each selected op with its executions per iteration. */
  ops: { rec: OpRecord; count: number }[];
  /** Loops enclosing the iteration loop (epochs), outermost first. */
  outer: LoopFrame[];
  /** Executions per iteration of something recorded with context `ctx`; undefined when outside the iteration. */
  weight(ctx: CtxEntry[]): number | undefined;
  /**
   * Periodic forward-only work inside the training loop (`if step % 50 == 0: evaluate()`, with or without no_grad):
   * by convention not in the step (corpus/README.md), reported beside it. Per gate: its forward FLOPs amortised per
   * iteration, those of one time it runs, and its period in passes of the loop it sits in.
   */
  periodic: { flopsPerStep: number; flopsEach: number; every: number; loc?: Loc }[];
}

const loopsOf = (ctx: CtxEntry[]): LoopFrame[] => ctx.filter((e): e is { type: 'loop'; frame: LoopFrame } => e.type === 'loop').map((e) => e.frame);

/** Multiplier of entries after index `from` in a context chain: loop trips × 1/n for modulo branches. */
function weightAfter(ctx: CtxEntry[], from: number): { w: number; unknownTrips: boolean } {
  let w = 1;
  let unknownTrips = false;
  for (let i = from; i < ctx.length; i++) {
    const e = ctx[i];
    if (e.type === 'loop') {
      if (e.frame.trips === undefined) unknownTrips = true;
      else w *= e.frame.trips;
    } else w /= e.n;
  }
  return { w, unknownTrips };
}

/**
 * The optimizer step of the run when a script steps in several places: the one that runs most often (a loop whose
 * count is unknown counts as more than any known one), the first on a tie. A demonstration step at notebook level
 * or a learning-rate finder's 100 trial steps before the training loop are not the run (bentrevett/udacity notebooks).
 */
function mainStep(steps: RunEvent[]): RunEvent | undefined {
  const runs = (e: RunEvent) => loopsOf(e.ctx).reduce((a, f) => a * (f.trips ?? Infinity), 1);
  return steps.reduce<RunEvent | undefined>((best, e) => (best === undefined || runs(e) > runs(best) ? e : best), undefined);
}

export function extractIteration(ops: OpRecord[], events: RunEvent[]): Iteration {
  const steps = events.filter((e) => e.kind === 'step');
  const backwards = events.filter((e) => e.kind === 'backward');
  const calls = events.filter((e) => e.kind === 'model-call' || e.kind === 'generate');
  const train = steps.length > 0 || backwards.length > 0;
  // The anchor event: optimizer step, else backward, else the first model call inside a loop, else any.
  // Without training, the model call in the loop that runs most often: a short warm-up loop before a timed or
  // served one is not the run.
  const trips = (c: RunEvent) => loopsOf(c.ctx).reduce((a, f) => a * (f.trips ?? 1), 1);
  const looped = calls.filter((c) => loopsOf(c.ctx).length > 0);
  const busiest = looped.reduce<RunEvent | undefined>((best, c) => (best === undefined || trips(c) > trips(best) ? c : best), undefined);
  const anchor = mainStep(steps) ?? backwards[0] ?? busiest ?? calls[0];
  if (!anchor) {
    return {
      steps: 1, stepsNote: 'no training or inference loop found; one pass', microBatches: 1, mode: 'infer',
      ops: ops.map((rec) => ({ rec, count: rec.count * weightAfter(rec.ctx, 0).w })), outer: [],
      weight: (ctx) => weightAfter(ctx, 0).w, periodic: [],
    };
  }
  // A generation loop's passes (the tokens of one request) are inside the step, not the steps.
  const anchorLoops = loopsOf(anchor.ctx).filter((f) => !f.generation);
  const frame = anchorLoops[anchorLoops.length - 1];
  // Index of the iteration loop in the anchor's chain.
  const frameIdx = frame ? anchor.ctx.findIndex((e) => e.type === 'loop' && e.frame.id === frame.id) : -1;
  // Modulo branches between the iteration loop and the step (`if (i + 1) % accum == 0: opt.step()`).
  let stepMod = 1;
  for (let i = frameIdx + 1; i < anchor.ctx.length; i++) { const e = anchor.ctx[i]; if (e.type === 'mod') stepMod *= e.n; }
  // Iterations: trips of the loop and of every loop around it, divided by modulo gates on the step.
  let total: number | undefined = 1;
  for (let i = 0; i <= frameIdx; i++) {
    const e = anchor.ctx[i];
    if (e.type === 'loop') total = e.frame.trips === undefined || total === undefined ? undefined : total * e.frame.trips;
    else if (total !== undefined) total /= e.n;
  }
  // A gate on the iteration loop's own counter (`for i, b in enumerate(loader): … if (i + 1) % accum == 0`)
  // restarts every epoch: each epoch steps floor(batches / accum) times and its remainder is dropped.
  const perPass = stepMod > 1 && frame?.trips !== undefined && anchor.ctx.slice(frameIdx + 1).some((e) => e.type === 'mod' && e.vars?.some((v) => frame.vars?.includes(v)));
  if (total !== undefined) total = perPass ? Math.max(1, (total / frame!.trips!) * Math.floor(frame!.trips! / stepMod)) : Math.max(1, Math.floor(total / stepMod));
  // The same training loops run again by another call (a second `train(model2, …)`): their steps are the run's too.
  const again = total !== undefined && frame && train ? otherRunSteps(steps, anchor, frame, stepMod) : undefined;
  if (again && total !== undefined) total += again.steps;
  // Other trainings of other models, in loops of their own (a notebook's second model, a second fit).
  const others = total !== undefined && frame && train ? otherTrainingSteps(steps, calls, anchor) : undefined;
  if (others && total !== undefined) total += others.steps;
  const weight = (ctx: CtxEntry[]): number | undefined => {
    let at = -1;
    if (frame) {
      at = ctx.findIndex((e) => e.type === 'loop' && e.frame.id === frame.id);
      if (at < 0) return rolloutShare(ctx);
    } else if (loopsOf(ctx).length > 0 && train) {
      // No loop around the step: work in unrelated loops (evaluation) does not belong to the iteration.
      return undefined;
    }
    if (periodicGate(ctx, at)) return undefined;
    return weightAfter(ctx, at + 1).w * stepMod;
  };
  // An RL rollout beside the updates (`for iteration: for step in range(128): envs.step(…)` then `for epoch: for mb: …
  // opt.step()`): its model calls feed the updates that follow it in the same pass of the loop around both, so each
  // optimizer step carries an equal share of them (corpus/README.md). Other work beside the iteration loop
  // (evaluation over a validation loader) does not belong to it.
  const rolloutShare = (ctx: CtxEntry[]): number | undefined => {
    if (!train || !frame) return undefined;
    let shared = -1;
    for (let i = 0; i < frameIdx; i++) {
      const e = anchor.ctx[i];
      if (e.type === 'loop' && ctx.some((c) => c.type === 'loop' && c.frame.id === e.frame.id)) shared = i;
    }
    if (shared < 0) return undefined;
    const id = (anchor.ctx[shared] as { frame: LoopFrame }).frame.id;
    const from = ctx.findIndex((c) => c.type === 'loop' && c.frame.id === id);
    if (!ctx.slice(from + 1).some((c) => c.type === 'loop' && c.frame.rollout) || periodicGate(ctx, from)) return undefined;
    const passes = weightAfter(anchor.ctx.slice(0, frameIdx + 1), shared + 1);
    if (passes.unknownTrips || passes.w <= 0) return undefined;
    return (weightAfter(ctx, from + 1).w * stepMod) / passes.w;
  };
  // Periodic work inside a training loop (`if it % eval_interval == 0: evaluate()`) whose gate holds no backward or
  // optimizer step is evaluation, not part of the training step, whether or not it runs under no_grad. A gate that
  // trains (a GAN's `if i % n_critic == 0`, a DQN's `if step % train_frequency == 0`) is part of it.
  const training = new Set<CtxEntry>();
  for (const e of [...steps, ...backwards]) for (const c of e.ctx) if (c.type === 'mod') training.add(c);
  const periodicGate = (ctx: CtxEntry[], at: number): CtxEntry | undefined => (train ? ctx.slice(at + 1).find((e) => e.type === 'mod' && !training.has(e)) : undefined);
  const selected: { rec: OpRecord; count: number }[] = [];
  const periodic = new Map<CtxEntry, { flopsPerStep: number; flopsEach: number; every: number; loc?: Loc }>();
  let innerMicro = 1;
  for (const rec of ops) {
    const w = weight(rec.ctx);
    if (w !== undefined) { selected.push({ rec, count: rec.count * w }); continue; }
    const at = frame ? rec.ctx.findIndex((e) => e.type === 'loop' && e.frame.id === frame.id) : -1;
    const gate = (frame ? at >= 0 : true) ? periodicGate(rec.ctx, at) : undefined;
    if (gate?.type !== 'mod') continue;
    const g = periodic.get(gate) ?? { flopsPerStep: 0, flopsEach: 0, every: gate.n, loc: gate.loc };
    g.flopsPerStep += rec.cost.forwardFlops * rec.count * weightAfter(rec.ctx, at + 1).w * stepMod;
    g.flopsEach += rec.cost.forwardFlops * rec.count * weightAfter(rec.ctx, rec.ctx.indexOf(gate) + 1).w;
    periodic.set(gate, g);
  }
  // Micro-batches: loops between the iteration loop and the model call (nanoGPT's micro_step loop).
  const inFrame = (c: RunEvent) => !frame || c.ctx.some((e) => e.type === 'loop' && e.frame.id === frame.id);
  // The trained call: the last model call with gradients before the first backward of the iteration (A2C's rollout calls
  // `model.pi(s)` in an inner loop before the update's own calls are not micro-batches).
  const firstBackward = backwards.find(inFrame) ?? steps.find(inFrame);
  const beforeBackward = firstBackward ? calls.filter((c) => c.grad && inFrame(c) && events.indexOf(c) < events.indexOf(firstBackward)) : [];
  const trainCall = (train ? beforeBackward[beforeBackward.length - 1] ?? calls.find((c) => c.grad && inFrame(c)) : calls.find(inFrame)) ?? calls[0];
  let microNote: string | undefined;
  let earlyExit: LoopFrame | undefined;
  if (trainCall && frame) {
    const at = trainCall.ctx.findIndex((e) => e.type === 'loop' && e.frame.id === frame.id);
    for (let i = at + 1; i < trainCall.ctx.length; i++) {
      const e = trainCall.ctx[i];
      if (e.type === 'loop' && e.frame.trips !== undefined && !e.frame.generation) {
        innerMicro *= e.frame.trips;
        microNote = `${e.frame.label} at line ${e.frame.loc?.line ?? '?'}`;
        if (e.frame.earlyExit) { microNote += ' (it can end early at a break: an upper bound)'; earlyExit = e.frame; }
      }
    }
  }
  // Accumulation: gates on the step that the trained model call is outside of (`if (i + 1) % accum == 0: opt.step()`).
  // A gate around both (a DQN's `if step % train_frequency == 0:` update) makes the passes between steps, not micro-batches.
  const accum = anchor.ctx.slice(frameIdx + 1).reduce((a, e) => (e.type === 'mod' && !trainCall?.ctx.includes(e) ? a * e.n : a), 1);
  if (accum > 1) microNote = `optimizer step every ${accum} batches`;
  const outer = anchorLoops.slice(0, -1);
  const stepsNote = frame
    ? [...outer, frame].map((f) => (f.tripSource?.note ?? f.label) + (f.trips === undefined ? ' (count unknown)' : '')).join(' × ') + (stepMod > 1 ? ` ÷ ${+stepMod.toPrecision(4)} (${accum > 1 ? 'accumulation' : 'passes per update'})` : '')
    : 'the script runs its work once';
  const runsNote = (again?.runs ? ` + ${again.runs} more run${again.runs > 1 ? 's' : ''} of the same loop (${again.steps} steps)` : '') +
    (others?.runs ? ` + ${others.runs} other training${others.runs > 1 ? 's' : ''} of other models (${others.steps} steps)` : '');
  // Periodic work is reported where it calls a model (evaluation); logging arithmetic is only left out of the step.
  const callGates = new Set(calls.flatMap((c) => c.ctx));
  return {
    frame, steps: total, stepsNote: stepsNote + runsNote, stepsLoc: frame?.loc, microBatches: innerMicro * accum, microNote, earlyExit, trainRoot: train ? trainCall?.rootCall : undefined,
    mode: train ? 'train' : 'infer', ops: selected, outer, weight, periodic: [...periodic].filter(([e, g]) => g.flopsPerStep > 0 && callGates.has(e)).map(([, g]) => g),
  };
}

/**
 * What each op's backward must compute, from the op order within each root model call and the grad flags
 * (PyTorch autograd): nothing upstream requires grad until the first op with trainable weights (or a
 * functional op, which may read a tensor created with requires_grad). Ops before it run no backward and save
 * nothing (a frozen backbone under a trainable head); after a frozen prefix that first op computes its weight
 * gradient only (its input needs none); every later op pays its full backward, a frozen one its input gradient (1× forward for matrix
 * work). LoRA: the frozen base layers after the first adapter pass input gradients.
 * Approximation: op order stands for data flow (a frozen branch that runs after the first adapter but does not
 * consume its output is still charged its input gradient).
 */
export function backwardPlan(ops: OpRecord[]): Map<OpRecord, 'none' | 'weights' | 'input'> {
  const plan = new Map<OpRecord, 'none' | 'weights' | 'input'>();
  const flowing = new Set<number | undefined>();
  const frozenPrefix = new Set<number | undefined>();
  for (const rec of ops) {
    if (!rec.grad) continue;
    if (flowing.has(rec.rootCall)) {
      if (rec.frozen) plan.set(rec, 'input');
      continue;
    }
    // Ops outside any model call (script-level tensor code) keep their full backward.
    if (rec.rootCall === undefined) continue;
    const source = !rec.frozen && (rec.cost.params > 0 || rec.moduleId === undefined);
    if (!source) {
      plan.set(rec, 'none');
      if (rec.frozen) frozenPrefix.add(rec.rootCall);
      continue;
    }
    // Scope kept to frozen prefixes: the first layer of a fully trainable model also skips its input gradient in
    // PyTorch (measured fixtures: backward/forward 1.97, not 2), but that convention change is left to the
    // figures other suites pin.
    if (rec.cost.params > 0 && frozenPrefix.has(rec.rootCall)) plan.set(rec, 'weights');
    flowing.add(rec.rootCall);
  }
  return plan;
}
