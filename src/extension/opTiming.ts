/**
 * Per-op projected times with the core's own `project()`: each op as a one-op iteration, less the per-iteration
 * host work that an empty iteration costs. Pure (no `vscode`); `OpTimes` caches and schedules it.
 */
import type { HardwareProfile } from '../core/hardware/types';
import { project, type ProjectOptions } from '../core/project';
import type { Analysis, Op, Projection, Workload } from '../core/types';

/** Mid seconds of an empty iteration per device (Python loop, synchronisation): subtracted from each op. */
export function iterationBaseline(analysis: Analysis, hardware: HardwareProfile[], options: ProjectOptions): Map<string, number> {
  return new Map(project(workload(analysis, []), hardware, options).projections.map((p) => [p.hardwareId, p.stepSeconds.mid]));
}

/** Mid seconds of ONE call of op `index` per device id. */
export function timeOneOp(analysis: Analysis, index: number, hardware: HardwareProfile[], baseline: Map<string, number>, options: ProjectOptions): Map<string, number> {
  const op: Op = { ...analysis.ops[index], count: 1, trainableParams: 0 };
  const out = new Map<string, number>();
  let result: Projection[] = [];
  try {
    result = project(workload(analysis, [op]), hardware, options).projections;
  } catch {
    result = [];
  }
  for (const p of result) out.set(p.hardwareId, Math.max(0, p.stepSeconds.mid - (baseline.get(p.hardwareId) ?? 0)));
  return out;
}

/** `Projection.opSeconds` of every projection, when the core provides it for every op. */
export function fromProjections(analysis: Analysis): Record<string, number[]> | undefined {
  let out: Record<string, number[]> | undefined;
  for (const p of analysis.projections) {
    const v = (p as Projection & { opSeconds?: unknown }).opSeconds;
    if (!Array.isArray(v) || v.length !== analysis.ops.length || !v.every((x) => typeof x === 'number')) return undefined;
    (out ??= {})[p.hardwareId] = v as number[];
  }
  return out;
}

const EMPTY_MEMORY = { weights: 0, gradients: 0, optimizer: 0, activations: 0, inputs: 0, kvCache: 0, overhead: 0, peakBytes: 0 };

/** A one-iteration workload of `ops` under the analysis's run settings, on one device. */
function workload(analysis: Analysis, ops: Op[]): Workload {
  const { totalFlops: _total, devices: _devices, ...run } = analysis.run;
  return {
    run: { ...run, steps: 1, microBatches: 1, inputBytesPerStep: 0 },
    ops,
    memory: EMPTY_MEMORY,
    params: 0,
    trainableParams: 0,
    forwardFlops: ops.reduce((s, o) => s + o.forwardFlops, 0),
    backwardFlops: analysis.run.mode === 'train' ? ops.reduce((s, o) => s + o.backwardFlops, 0) : 0,
    recomputeFlops: 0,
  };
}
