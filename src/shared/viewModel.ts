/**
 * Derivations from `Analysis` that several views share (sidebar, panel, hovers, CodeLens, report):
 * which projection is the best CPU/GPU, per-op rows for the layer table and the roofline.
 * Pure; no formatting beyond picking numbers.
 */
import type { Analysis, Dtype, Op, Projection } from '../core/types';
import type { DeviceSummary } from './protocol';

/** The projection a verdict names (by id, falling back to name). */
export function projectionNamed(analysis: Analysis, idOrName: string | undefined): Projection | undefined {
  if (!idOrName) return undefined;
  return analysis.projections.find((p) => p.hardwareId === idOrName) ?? analysis.projections.find((p) => p.hardwareName === idOrName);
}

/**
 * The fastest projection of a kind by mid run time; fitting devices first (a device that needs
 * more memory than it has is only "fastest" when nothing of its kind fits).
 */
export function fastest(analysis: Analysis, kind: 'cpu' | 'gpu'): Projection | undefined {
  const of = analysis.projections.filter((p) => p.kind === kind);
  const pick = (ps: Projection[]) => ps.reduce<Projection | undefined>((best, p) => (!best || p.runSeconds.mid < best.runSeconds.mid ? p : best), undefined);
  return pick(of.filter((p) => p.fits)) ?? pick(of);
}

/** Best CPU and GPU as the verdict names them, else the fastest of each kind. */
export function bestPair(analysis: Analysis): { cpu?: Projection; gpu?: Projection } {
  return {
    cpu: projectionNamed(analysis, analysis.verdict.bestCpu) ?? fastest(analysis, 'cpu'),
    gpu: projectionNamed(analysis, analysis.verdict.bestGpu) ?? fastest(analysis, 'gpu'),
  };
}

/** Mid CPU run time ÷ mid GPU run time, from the verdict or the best pair. */
export function speedup(analysis: Analysis): number | undefined {
  if (analysis.verdict.speedup !== undefined && Number.isFinite(analysis.verdict.speedup)) return analysis.verdict.speedup;
  const { cpu, gpu } = bestPair(analysis);
  return cpu && gpu && gpu.runSeconds.mid > 0 ? cpu.runSeconds.mid / gpu.runSeconds.mid : undefined;
}

/** A short device name for narrow places ("NVIDIA H100 SXM 80GB" → "H100 SXM 80GB"). */
export function shortName(name: string): string {
  return name.replace(/^(NVIDIA|AMD|Intel|Apple)\s+(GeForce\s+)?/i, '').replace(/\s+\(.*\)$/, '');
}

/** FLOPs of an op per iteration: forward (and backward when training), times its count. */
export function opStepFlops(op: Op, training: boolean): number {
  return (op.forwardFlops + (training ? op.backwardFlops : 0)) * op.count;
}

/** Bytes an op moves per call (read + written, forward). */
export function opBytes(op: Op): number {
  return op.bytesRead + op.bytesWritten;
}

/** Arithmetic intensity of one forward call, FLOP per byte (0 when it moves nothing). */
export function opIntensity(op: Op): number {
  const b = opBytes(op);
  return b > 0 ? op.forwardFlops / b : 0;
}

/** Peak FLOP/s of a device for a dtype, falling back through the dtypes that share its units. */
export function peakFor(device: DeviceSummary, dtype: Dtype): number {
  const order: Dtype[] = dtype === 'fp32' ? ['fp32'] : dtype === 'tf32' ? ['tf32', 'fp32'] : dtype === 'fp4' ? ['fp4', 'fp8', 'fp16', 'bf16', 'fp32'] : dtype === 'fp8' ? ['fp8', 'fp16', 'bf16', 'fp32'] : dtype === 'int8' || dtype === 'int4' ? [dtype, 'int8', 'fp16', 'fp32'] : [dtype, dtype === 'bf16' ? 'fp16' : 'bf16', 'fp32'];
  for (const d of order) {
    const v = device.peakFlops[d];
    if (v !== undefined && v > 0) return v;
  }
  return Math.max(0, ...Object.values(device.peakFlops).filter((v): v is number => typeof v === 'number'));
}

/** Ridge point of a device's roofline: intensity (FLOP/B) above which an op is compute-bound. */
export function ridge(device: DeviceSummary, dtype: Dtype): number {
  return device.memoryBandwidth > 0 ? peakFor(device, dtype) / device.memoryBandwidth : Infinity;
}

/**
 * Per-op mid seconds of ONE call on each device, `[deviceId][opIndex]`, from `Projection.opSeconds`: only the
 * projections whose list covers every op (a view that was sent no ops, as the sidebar, gets none).
 */
export function opSecondsByDevice(analysis: Analysis): Record<string, number[]> {
  const out: Record<string, number[]> = {};
  for (const p of analysis.projections) if (p.opSeconds.length === analysis.ops.length) out[p.hardwareId] = p.opSeconds;
  return out;
}

/** One row of the per-layer table. */
export interface OpRow {
  index: number;
  op: Op;
  /** FLOPs per iteration (fwd + bwd when training) × count. */
  stepFlops: number;
  /** Bytes moved per iteration (fwd), × count. */
  stepBytes: number;
  intensity: number;
  /** Seconds per iteration on each device (per-call time × count), when the host supplied op times. */
  seconds: Record<string, number>;
  /** Share of the focused device's op time (or of FLOPs when there are no op times), 0..1. */
  share: number;
  /** Roofline bound on the focused device: compute when intensity ≥ ridge, else memory. */
  bound: 'compute' | 'memory';
}

/** Rows for the per-layer table and the roofline; `focus` is the device the share and bound refer to. */
export function opRows(analysis: Analysis, devices: DeviceSummary[], opSeconds: Record<string, number[]> | undefined, focus: string | undefined): OpRow[] {
  const training = analysis.run.mode === 'train';
  const focusDevice = devices.find((d) => d.id === focus) ?? devices[0];
  const rows: OpRow[] = analysis.ops.map((op, index) => {
    const seconds: Record<string, number> = {};
    if (opSeconds) for (const [id, times] of Object.entries(opSeconds)) if (times[index] !== undefined) seconds[id] = times[index] * op.count;
    const intensity = opIntensity(op);
    return {
      index,
      op,
      stepFlops: opStepFlops(op, training),
      stepBytes: opBytes(op) * op.count,
      intensity,
      seconds,
      share: 0,
      bound: focusDevice && intensity < ridge(focusDevice, op.dtype) ? 'memory' : 'compute',
    };
  });
  const useTime = focusDevice !== undefined && rows.some((r) => r.seconds[focusDevice.id] !== undefined);
  const total = rows.reduce((s, r) => s + (useTime ? r.seconds[focusDevice!.id] ?? 0 : r.stepFlops), 0);
  if (total > 0) for (const r of rows) r.share = (useTime ? r.seconds[focusDevice!.id] ?? 0 : r.stepFlops) / total;
  return rows;
}

/** Sort keys of the per-layer table. */
export type OpSortKey = 'order' | 'name' | 'kind' | 'params' | 'flops' | 'bytes' | 'intensity' | 'bound' | 'share' | `time:${string}`;

export function sortOpRows(rows: OpRow[], key: OpSortKey, descending: boolean): OpRow[] {
  const value = (r: OpRow): number | string => {
    switch (key) {
      case 'order': return r.index;
      case 'name': return r.op.name;
      case 'kind': return r.op.kind;
      case 'params': return r.op.params;
      case 'flops': return r.stepFlops;
      case 'bytes': return r.stepBytes;
      case 'intensity': return r.intensity;
      case 'bound': return r.bound;
      case 'share': return r.share;
      default: return r.seconds[key.slice(5)] ?? -1;
    }
  };
  const sign = descending ? -1 : 1;
  return [...rows].sort((a, b) => {
    const va = value(a);
    const vb = value(b);
    const c = typeof va === 'string' || typeof vb === 'string' ? String(va).localeCompare(String(vb)) : va - vb;
    return c !== 0 ? sign * c : a.index - b.index;
  });
}

/** Memory parts in display order with labels. */
export const MEMORY_PARTS = [
  ['weights', 'Weights'], ['gradients', 'Gradients'], ['optimizer', 'Optimizer state'], ['activations', 'Activations'],
  ['kvCache', 'KV cache'], ['inputs', 'Inputs'], ['overhead', 'Framework overhead'],
] as const;

/** Time causes in display order with labels. */
export const TIME_PARTS = [
  ['compute', 'Compute'], ['memory', 'Memory'], ['overhead', 'Launch overhead'], ['transfer', 'Host→device'], ['communication', 'Communication'],
  ['data', 'Data loading'],
] as const;
