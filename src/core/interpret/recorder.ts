/**
 * Records what the evaluated program does — costed ops and run events (model calls, backward,
 * optimizer steps, generate) — together with the loop context they happened in, so that one
 * training/inference iteration and the number of iterations can be worked out afterwards.
 */
import type { Dtype, Loc, OpClass, Phase } from '../types';
import type { Cost } from '../ops/primitives';

/** A loop executed abstractly (body once, standing for `trips` iterations). */
export interface LoopFrame {
  id: number;
  /** Iterations; undefined when the evaluator could not tell. */
  trips: number | undefined;
  loc?: Loc;
  /** What it iterates over, for assumptions ("DataLoader over CIFAR-10", "range(max_iters)"). */
  label: string;
  /** How the trip count was found (provenance of `steps`). */
  tripSource?: { note: string; loc?: Loc };
  /** The body can leave the loop early (`break`): `trips` is an upper bound. */
  earlyExit?: boolean;
  /** Names the loop binds each pass (`for i, (x, y) in enumerate(loader)`: i, x, y). */
  vars?: string[];
  /** A generation loop (one pass per new token of one request): its passes are part of the step, never the steps. */
  generation?: boolean;
  /** A concrete loop's first pass, run to see whether it is a run loop (it is undone if not): `for p in params: …`. */
  provisional?: boolean;
  /** An RL rollout: its body steps an environment (`env.step(a)`); its model calls feed the updates that follow. */
  rollout?: boolean;
  /** A DataLoader's passes: the samples of all its batches together and the batch (the last batch holds the rest). */
  rows?: { total: number; batch: number };
}

/** Context chain entries: an abstract loop, or a branch taken once every `n` iterations (`if i % n == 0`). */
export type CtxEntry = { type: 'loop'; frame: LoopFrame } | { type: 'mod'; n: number; loc?: Loc; vars?: string[] };

export interface OpRecord {
  cost: Cost;
  name: string;
  label: string;
  loc?: Loc;
  declLoc?: Loc;
  dtype: Dtype;
  /** Gradients flow through this op (grad mode on). */
  grad: boolean;
  /** The module's own parameters are frozen. */
  frozen: boolean;
  traced: boolean;
  ctx: CtxEntry[];
  phase: Phase;
  /** Ids of the root model call this op belongs to (undefined for script-level tensor code). */
  rootCall?: number;
  /** Count multiplier from the op itself (decode tokens, diffusion steps) before loop context. */
  count: number;
  /** Module value id that produced it (for module summaries). */
  moduleId?: number;
  /** Inside an activation-checkpointed segment: recomputed in backward, activations not kept. */
  recomputed?: boolean;
}

export type EventKind = 'step' | 'backward' | 'model-call' | 'generate' | 'zero_grad';

export interface RunEvent {
  kind: EventKind;
  ctx: CtxEntry[];
  loc?: Loc;
  grad: boolean;
  /** For model calls: the called module's id. */
  moduleId?: number;
  /** For model calls at the top: the root call id its ops carry (`OpRecord.rootCall`). */
  rootCall?: number;
}

export class Recorder {
  readonly ops: OpRecord[] = [];
  readonly events: RunEvent[] = [];
  ctx: CtxEntry[] = [];
  private nextFrame = 1;
  /** Most ops and events kept; past them a record is dropped and `onLimit` says so once. */
  static readonly MAX_OPS = 200_000;
  static readonly MAX_EVENTS = 10_000;
  /** Told once per kind when records are dropped (the figures are then lower bounds). */
  onLimit?: (what: string) => void;
  /** Charges the evaluator's allocation budget for one op; false when it is spent. */
  charge?: () => boolean;
  private full = new Set<string>();

  private dropped(what: string): void {
    if (this.full.has(what)) return;
    this.full.add(what);
    this.onLimit?.(what);
  }

  newFrame(trips: number | undefined, label: string, loc?: Loc, tripSource?: { note: string; loc?: Loc }): LoopFrame {
    return { id: this.nextFrame++, trips, label, loc, tripSource };
  }

  /** Takes ownership of `r` (callers pass a fresh object): adding the context in place avoids a copy per op. */
  op(r: Omit<OpRecord, 'ctx'>): void {
    if (this.ops.length >= Recorder.MAX_OPS) { this.dropped(`${Recorder.MAX_OPS.toLocaleString('en-US')} ops`); return; }
    if (this.charge && !this.charge()) { this.dropped('the evaluator\'s allocation budget'); return; }
    const rec = r as OpRecord;
    rec.ctx = this.ctx;
    this.ops.push(rec);
  }

  event(kind: EventKind, grad: boolean, loc?: Loc, moduleId?: number, rootCall?: number): void {
    if (this.events.length < Recorder.MAX_EVENTS) this.events.push({ kind, ctx: this.ctx, grad, loc, moduleId, rootCall });
    else this.dropped(`${Recorder.MAX_EVENTS.toLocaleString('en-US')} run events (model calls, steps)`);
  }

  /** Takes `frame` out of the context of what was recorded since ops/events index `ops`/`events` and of `more`. */
  dropFrame(frame: LoopFrame, ops: number, events: number, more: { ctx: CtxEntry[] }[]): void {
    const strip = (ctx: CtxEntry[]) => ctx.filter((e) => !(e.type === 'loop' && e.frame.id === frame.id));
    for (const r of [...this.ops.slice(ops), ...this.events.slice(events), ...more]) r.ctx = strip(r.ctx);
  }

  /** Run `fn` inside an extra context entry (immutable chains: records keep their own snapshot). */
  within<T>(e: CtxEntry, fn: () => T): T {
    const saved = this.ctx;
    this.ctx = [...saved, e];
    try {
      return fn();
    } finally {
      this.ctx = saved;
    }
  }
}

/** Op class of a cost, with a fallback for kinds the table did not classify. */
export function opClassOf(c: Cost): OpClass {
  return c.opClass;
}
