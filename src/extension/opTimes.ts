import * as vscode from 'vscode';
import type { HardwareProfile } from '../core/hardware/types';
import type { ProjectOptions } from '../core/project';
import type { Analysis } from '../core/types';
import { fromProjections, iterationBaseline, timeOneOp } from './opTiming';

/** Ops timed per slice of the background pass before yielding to the event loop. */
const SLICE = 40;
/** Ops beyond this are not timed one by one (the table and roofline then fall back to FLOP shares). */
const MAX_TIMED_OPS = 20_000;

interface Times {
  /** `[deviceId][opIndex]`, seconds per call; NaN where not computed yet. */
  byDevice: Record<string, number[]>;
  hardware: HardwareProfile[];
  baseline: Map<string, number>;
  done: number;
  complete: boolean;
  running?: Promise<void>;
}

/**
 * Per-op projected seconds (mid, ONE call) on each compared device, `[deviceId][opIndex]`, for the panel's
 * layer table and roofline and for hovers.
 *
 * Taken from `Projection.opSeconds` when the core provides it. Otherwise each op is projected on its own with
 * the core's `project()` (the same per-op roofline, efficiencies and launch overheads as the step): a one-op
 * workload less the per-iteration host work, with no optimizer step, input copies, collectives or fusion with
 * neighbours, so per-op times need not add up to the step time. Hovers time only the ops they show; the panel's
 * full table is timed in slices off the event loop's critical path and announced by `onDidComplete`.
 */
export class OpTimes implements vscode.Disposable {
  private readonly cache = new WeakMap<Analysis, Times | null>();
  private readonly completed = new vscode.EventEmitter<Analysis>();
  /** Fires when every op of an analysis has been timed. */
  readonly onDidComplete = this.completed.event;

  constructor(
    private readonly profiles: () => HardwareProfile[],
    private readonly options: () => ProjectOptions,
  ) {}

  /** All per-op times when they are ready (starting the background pass otherwise). */
  all(analysis: Analysis): Record<string, number[]> | undefined {
    const native = fromProjections(analysis);
    if (native) return native;
    const t = this.times(analysis);
    if (!t) return undefined;
    if (t.complete) return t.byDevice;
    t.running ??= this.fill(analysis, t);
    return undefined;
  }

  /** Seconds per call of the given ops on one device (computed now if needed; a few ops only). */
  some(analysis: Analysis, indices: number[], deviceId: string): number[] | undefined {
    const native = fromProjections(analysis)?.[deviceId];
    if (native) return indices.map((i) => native[i]);
    const t = this.times(analysis);
    if (!t || !t.byDevice[deviceId]) return undefined;
    for (const i of indices) if (Number.isNaN(t.byDevice[deviceId][i])) this.timeOp(analysis, t, i);
    return indices.map((i) => t.byDevice[deviceId][i]);
  }

  dispose(): void {
    this.completed.dispose();
  }

  private times(analysis: Analysis): Times | undefined {
    const cached = this.cache.get(analysis);
    if (cached !== undefined) return cached ?? undefined;
    let t: Times | null = null;
    try {
      const byId = new Map(this.profiles().map((p) => [p.id, p]));
      const hardware = analysis.projections.map((p) => byId.get(p.hardwareId)).filter((p): p is HardwareProfile => p !== undefined);
      if (hardware.length && analysis.ops.length && analysis.ops.length <= MAX_TIMED_OPS) {
        const baseline = iterationBaseline(analysis, hardware, this.options());
        const byDevice = Object.fromEntries(hardware.map((h) => [h.id, new Array<number>(analysis.ops.length).fill(Number.NaN)]));
        t = { byDevice, hardware, baseline, done: 0, complete: false };
      }
    } catch {
      t = null;
    }
    this.cache.set(analysis, t);
    return t ?? undefined;
  }

  private timeOp(analysis: Analysis, t: Times, i: number): void {
    const times = timeOneOp(analysis, i, t.hardware, t.baseline, this.options());
    for (const h of t.hardware) t.byDevice[h.id][i] = times.get(h.id) ?? 0;
  }

  private async fill(analysis: Analysis, t: Times): Promise<void> {
    const n = analysis.ops.length;
    const first = t.hardware[0].id;
    for (let i = 0; i < n; i++) {
      if (Number.isNaN(t.byDevice[first][i])) this.timeOp(analysis, t, i);
      if (i % SLICE === SLICE - 1) await new Promise((r) => setImmediate(r));
    }
    t.complete = true;
    this.completed.fire(analysis);
  }
}
