/** Summary of repeated timings, seconds. */
export interface TimingSummary {
  median: number;
  min: number;
  max: number;
  runs: number;
}

/** Median (mean of the middle two for even counts), min and max of `seconds`; undefined for none. */
export function summarize(seconds: readonly number[]): TimingSummary | undefined {
  if (seconds.length === 0) return undefined;
  const s = [...seconds].sort((x, y) => x - y);
  const mid = s.length >> 1;
  const median = s.length % 2 ? s[mid] : (s[mid - 1] + s[mid]) / 2;
  return { median, min: s[0], max: s[s.length - 1], runs: s.length };
}

/** Relative spread (max − min) / median, e.g. 0.12 for ±6 %. */
export function spread(t: TimingSummary): number {
  return t.median > 0 ? (t.max - t.min) / t.median : 0;
}
