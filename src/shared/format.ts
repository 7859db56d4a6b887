/**
 * Unit formatting for every view (hovers, CodeLens, status bar, webviews, report export).
 * The core speaks seconds, bytes, FLOPs and FLOP/s; only views turn them into ms, GiB or TFLOP.
 * FLOPs count a multiply-add as 2; MACs are FLOPs / 2. Memory uses binary units (GiB), the unit GPU
 * memory sizes are quoted in.
 */

const SI: [number, string][] = [
  [1e24, 'Y'], [1e21, 'Z'], [1e18, 'E'], [1e15, 'P'], [1e12, 'T'], [1e9, 'G'], [1e6, 'M'], [1e3, 'k'],
];

/** Three significant digits, no trailing zeros beyond what matters ("1.23", "12.3", "123"). */
export function sig3(x: number): string {
  if (!Number.isFinite(x)) return x > 0 ? '∞' : x < 0 ? '−∞' : '–';
  const a = Math.abs(x);
  if (a === 0) return '0';
  if (a >= 100) return Math.round(x).toString();
  if (a >= 10) return trimZeros(x.toFixed(1));
  if (a >= 1) return trimZeros(x.toFixed(2));
  return trimZeros(x.toPrecision(3));
}

function trimZeros(s: string): string {
  return s.includes('.') ? s.replace(/\.?0+$/, '') : s;
}

function siPrefix(x: number): [number, string] {
  const a = Math.abs(x);
  for (const [scale, prefix] of SI) if (a >= scale * 0.9995) return [x / scale, prefix];
  return [x, ''];
}

/** A count with an SI suffix: 124M, 7.0B (B for billions, as model sizes are quoted), 1.2T. */
export function formatCount(n: number): string {
  if (!Number.isFinite(n)) return sig3(n);
  const [v, p] = siPrefix(n);
  return `${sig3(v)}${p === 'G' ? 'B' : p}`;
}

/** FLOPs with a unit: "0.82 TFLOP", "340 MFLOP". */
export function formatFlops(flops: number): string {
  if (!Number.isFinite(flops)) return sig3(flops);
  const [v, p] = siPrefix(flops);
  return `${sig3(v)} ${p}FLOP`;
}

/** MACs (multiply-accumulates): FLOPs / 2. */
export function formatMacs(flops: number): string {
  if (!Number.isFinite(flops)) return sig3(flops);
  const [v, p] = siPrefix(flops / 2);
  return `${sig3(v)} ${p}MAC`;
}

/** FLOP/s with a unit: "312 TFLOP/s". */
export function formatFlopRate(flopsPerSecond: number): string {
  if (!Number.isFinite(flopsPerSecond)) return sig3(flopsPerSecond);
  const [v, p] = siPrefix(flopsPerSecond);
  return `${sig3(v)} ${p}FLOP/s`;
}

const BINARY: [number, string][] = [[2 ** 50, 'PiB'], [2 ** 40, 'TiB'], [2 ** 30, 'GiB'], [2 ** 20, 'MiB'], [2 ** 10, 'KiB']];

/** Bytes in binary units: "23.6 GiB", "512 KiB". */
export function formatBytes(bytes: number): string {
  if (!Number.isFinite(bytes)) return sig3(bytes);
  const a = Math.abs(bytes);
  for (const [scale, unit] of BINARY) if (a >= scale * 0.9995) return `${sig3(bytes / scale)} ${unit}`;
  return `${Math.round(bytes)} B`;
}

/** Bandwidth in decimal units, as datasheets quote it: "3.35 TB/s". */
export function formatBandwidth(bytesPerSecond: number): string {
  if (!Number.isFinite(bytesPerSecond)) return sig3(bytesPerSecond);
  const [v, p] = siPrefix(bytesPerSecond);
  return `${sig3(v)} ${p}B/s`;
}

/** FLOPs per byte. */
export function formatIntensity(flopsPerByte: number): string {
  return `${sig3(flopsPerByte)} FLOP/B`;
}

/** A duration: µs, ms, s, min, h, days, years, picked for readability. */
export function formatSeconds(s: number): string {
  if (!Number.isFinite(s)) return sig3(s);
  const a = Math.abs(s);
  if (a === 0) return '0 s';
  if (a < 1e-6) return `${sig3(s * 1e9)} ns`;
  if (a < 1e-3) return `${sig3(s * 1e6)} µs`;
  if (a < 1) return `${sig3(s * 1e3)} ms`;
  if (a < 60) return `${sig3(s)} s`;
  if (a < 3600) return `${sig3(s / 60)} min`;
  if (a < 86400 * 2) return `${sig3(s / 3600)} h`;
  if (a < 86400 * 365 * 2) return `${sig3(s / 86400)} days`;
  return `${sig3(s / (86400 * 365))} years`;
}

/** A low–high band of durations: "12–19 ms" when the unit is shared, else "900 ms–1.4 s". */
export function formatSecondsBand(low: number, high: number): string {
  const lo = formatSeconds(low);
  const hi = formatSeconds(high);
  const loUnit = lo.split(' ')[1];
  const hiUnit = hi.split(' ')[1];
  if (lo === hi) return lo;
  return loUnit === hiUnit ? `${lo.split(' ')[0]}–${hi}` : `${lo}–${hi}`;
}

/** Display currency: an ISO code and how many of it one US dollar buys. */
export interface Currency {
  code: string;
  perUsd: number;
}

export const USD: Currency = { code: 'USD', perUsd: 1 };

/** Money from a USD amount: "$1.20", "€1,234", "$0.0042". Unknown currency codes fall back to "12.3 XYZ". */
export function formatMoney(usd: number, currency: Currency = USD): string {
  const v = usd * currency.perUsd;
  if (!Number.isFinite(v)) return sig3(v);
  const a = Math.abs(v);
  const digits = a === 0 ? 0 : a >= 100 ? 0 : a >= 1 ? 2 : Math.min(6, 1 - Math.floor(Math.log10(a)));
  try {
    return new Intl.NumberFormat('en-US', {
      style: 'currency', currency: currency.code, minimumFractionDigits: digits, maximumFractionDigits: digits,
    }).format(v);
  } catch {
    return `${sig3(v)} ${currency.code}`;
  }
}

/** Energy: "1.2 kWh", "340 Wh", "0.55 Wh", and joules below 0.01 Wh. */
export function formatEnergy(joules: number): string {
  if (!Number.isFinite(joules)) return sig3(joules);
  const wh = joules / 3600;
  if (wh < 0.01) return `${sig3(joules)} J`;
  if (wh < 1000) return `${sig3(wh)} Wh`;
  if (wh < 1e6) return `${sig3(wh / 1000)} kWh`;
  return `${sig3(wh / 1e6)} MWh`;
}

/** A speed-up factor: "×23", "×1.4". */
export function formatSpeedup(ratio: number): string {
  return `×${sig3(ratio)}`;
}

/** A share 0..1 as a percentage: "42%", "0.3%". */
export function formatPercent(share: number): string {
  const p = share * 100;
  if (p !== 0 && Math.abs(p) < 1) return `${sig3(p)}%`;
  return `${Math.round(p)}%`;
}

/** A tensor shape: "[32, 512, 768]". */
export function formatShape(shape: readonly number[]): string {
  return `[${shape.map((d) => (Number.isInteger(d) ? String(d) : sig3(d))).join(', ')}]`;
}
