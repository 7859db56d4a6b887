/**
 * Plain-text number formatting for the verdict sentence and projection notes only (views format everything else).
 */

/** "850 ms", "42 s", "38 min", "14 h", "3.2 days", "2.1 years". */
export function formatSeconds(s: number): string {
  if (!Number.isFinite(s)) return 'forever';
  if (s < 1) return `${sig(s * 1000)} ms`;
  if (s < 120) return `${sig(s)} s`;
  if (s < 2 * 3600) return `${sig(s / 60)} min`;
  if (s < 72 * 3600) return `${sig(s / 3600)} h`;
  if (s < 730 * 86400) return `${sig(s / 86400)} days`;
  return `${sig(s / (365.25 * 86400))} years`;
}

/** "2.1 PFLOP", "380 GFLOP". */
export function formatFlops(f: number): string {
  return withPrefix(f, 'FLOP');
}

/** "19.5 TFLOP/s". */
export function formatRate(f: number): string {
  return withPrefix(f, 'FLOP/s');
}

/** "24 GB" (decimal). */
export function formatBytes(b: number): string {
  return withPrefix(b, 'B');
}

/** "$12", "$0.40", "1,234 EUR". */
export function formatMoney(usd: number, perUsd = 1, code = 'USD'): string {
  const v = usd * (perUsd > 0 && Number.isFinite(perUsd) ? perUsd : 1);
  const txt = v >= 100 ? Math.round(v).toLocaleString('en-US') : v >= 1 ? v.toFixed(v >= 10 ? 0 : 1) : v.toFixed(2);
  return code === 'USD' ? `$${txt}` : `${txt} ${code}`;
}

function withPrefix(x: number, unit: string): string {
  if (!Number.isFinite(x)) return `? ${unit}`;
  const prefixes: [number, string][] = [[1e24, 'Y'], [1e21, 'Z'], [1e18, 'E'], [1e15, 'P'], [1e12, 'T'], [1e9, 'G'], [1e6, 'M'], [1e3, 'k']];
  for (const [v, p] of prefixes) if (Math.abs(x) >= v) return `${sig(x / v)} ${p}${unit}`;
  return `${sig(x)} ${unit}`;
}

/** Two significant digits, three for values ≥ 100 rounded to integers. */
export function sig(x: number): string {
  if (x === 0) return '0';
  const a = Math.abs(x);
  if (a >= 100) return Math.round(x).toLocaleString('en-US');
  if (a >= 10) return x.toFixed(0);
  return (Math.round(x * 10) / 10).toString();
}
