import type { Analysis, Projection } from '../core/types';
import type { AnalysisEntry } from './analysisStore';

/**
 * Per-op projected seconds (mid, one call) on each compared device, `[deviceId][opIndex]`, for the panel's
 * layer table and roofline and for hovers. Read from the projections; undefined when the core did not
 * provide per-op times (views then fall back to the roofline's attainable rate and FLOP shares).
 */
export class OpTimes {
  private readonly cache = new WeakMap<Analysis, Record<string, number[]> | undefined>();

  forEntry(entry: AnalysisEntry): Record<string, number[]> | undefined {
    return this.forAnalysis(entry.analysis);
  }

  forAnalysis(analysis: Analysis): Record<string, number[]> | undefined {
    if (this.cache.has(analysis)) return this.cache.get(analysis);
    let out: Record<string, number[]> | undefined;
    for (const p of analysis.projections) {
      const times = opSecondsOf(p);
      if (!times || times.length !== analysis.ops.length) continue;
      (out ??= {})[p.hardwareId] = times;
    }
    this.cache.set(analysis, out);
    return out;
  }
}

function opSecondsOf(p: Projection): number[] | undefined {
  const v = (p as Projection & { opSeconds?: unknown }).opSeconds;
  return Array.isArray(v) && v.every((x) => typeof x === 'number') ? (v as number[]) : undefined;
}
