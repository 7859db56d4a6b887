/**
 * The one number formatter. Every surface writes its numbers with these functions: the verdict and projection
 * notes (core), the CLI's text and Markdown and the exported report, hovers, CodeLens, diagnostics, the status
 * bar, the sidebar and panel webviews (tables, tooltips, chart axes) and the live benchmark. The core itself
 * speaks seconds, bytes, FLOPs and FLOP/s; only these functions turn them into text.
 *
 * Pure TypeScript with no imports and no Node built-ins (only `Intl`), so the core, the worker, the extension
 * and the webview bundles can all import it.
 *
 * Conventions, chosen once for every surface (README, "Counting conventions"):
 * - Memory in binary units: B, KiB, MiB, GiB, TiB (GPU memory is sold and reported by nvidia-smi and PyTorch in
 *   GiB: an "80 GB" A100 holds 80 GiB). Three significant digits: "23.6 GiB", "80 GiB".
 * - FLOPs, MACs, FLOP/s and bandwidths in decimal SI, as datasheets quote them: "820 GFLOP", "312 TFLOP/s",
 *   "3.35 TB/s". A multiply-add counts as 2 FLOPs; MACs = FLOPs / 2. Three significant digits.
 * - Durations with two significant digits (they are projections from efficiency bands; a third digit would be
 *   false precision): "850 ms", "95 s", "1.6 min", "2.3 h", "4.1 days", "3.2 years"; ns/µs/ms below a second.
 *   Seconds up to 2 minutes, minutes up to 2 hours, hours up to 2 days, days up to 2 years.
 * - Speed-up ratios with two significant digits: "×23", "×1.4", "÷4" for slower.
 * - Money in the display currency: "$1.20", "$1,235", and "< $0.01" for positive amounts that would round to zero.
 * - Counts: whole numbers with thousands separators ("20,000 steps"), singular for one ("1 step"); model sizes
 *   compact with B for billions ("124M", "6.74B").
 * - Numbers of 1,000 or more carry thousands separators everywhere; trailing zeros are dropped ("1.5", not "1.50").
 */

const SI: readonly [number, string][] = [
  [1e24, 'Y'], [1e21, 'Z'], [1e18, 'E'], [1e15, 'P'], [1e12, 'T'], [1e9, 'G'], [1e6, 'M'], [1e3, 'k'],
];

const BINARY: readonly [number, string][] = [[2 ** 50, 'PiB'], [2 ** 40, 'TiB'], [2 ** 30, 'GiB'], [2 ** 20, 'MiB'], [2 ** 10, 'KiB']];

/** What a non-finite number shows: "∞", "−∞" or "–" (never "NaN"). */
function nonFinite(x: number): string {
  return x > 0 ? '∞' : x < 0 ? '−∞' : '–';
}

/**
 * en-US number formats by decimals, made once: `toLocaleString` with options builds a new Intl.NumberFormat on
 * every call, which was the single largest item in a profile of first analyses.
 */
const FORMATS: Intl.NumberFormat[] = [];
function numberFormat(maxDecimals: number): Intl.NumberFormat {
  return (FORMATS[maxDecimals] ??= new Intl.NumberFormat('en-US', { maximumFractionDigits: maxDecimals, useGrouping: true }));
}

/**
 * `digits` significant digits, trailing zeros dropped, thousands separators, and whole numbers kept whole
 * ("1.23", "12.3", "123", "1,234" with 3; "1.2", "12", "123" with 2).
 */
export function sig(x: number, digits = 3): string {
  if (!Number.isFinite(x)) return nonFinite(x);
  const a = Math.abs(x);
  if (a === 0) return '0';
  const decimals = Math.max(0, digits - 1 - Math.floor(Math.log10(a)));
  const rounded = Number(x.toFixed(Math.min(decimals, 20)));
  return numberFormat(Math.min(decimals, 20)).format(rounded);
}

/**
 * Two significant digits, also for whole numbers: "740" for 737, "1,400" for 1,413. Durations and speed-ups are
 * projections from efficiency bands; a third digit would claim more than the band supports.
 */
function two(x: number): string {
  return sig(Number(x.toPrecision(2)), 2);
}

/** Value scaled to the SI prefix it reads best with (rounding up to the next prefix at 999.5). */
function siPrefix(x: number): [number, string] {
  const a = Math.abs(x);
  for (const [scale, prefix] of SI) if (a >= scale * 0.9995) return [x / scale, prefix];
  return [x, ''];
}

function withSi(x: number, unit: string): string {
  if (!Number.isFinite(x)) return nonFinite(x);
  const [v, p] = siPrefix(x);
  return `${sig(v)} ${p}${unit}`;
}

/** A whole count with thousands separators: "20,000". */
export function formatInteger(n: number): string {
  if (!Number.isFinite(n)) return nonFinite(n);
  return numberFormat(0).format(Math.round(n));
}

/** A count and its noun, singular for one: "1 step", "20,000 steps", "3 devices". */
export function plural(n: number, singular: string, pluralForm = `${singular}s`): string {
  return `${formatInteger(n)} ${Math.round(n) === 1 ? singular : pluralForm}`;
}

/** A count with an SI suffix: 124M, 6.74B (B for billions, as model sizes are quoted), 1.5T, 999. */
export function formatCount(n: number): string {
  if (!Number.isFinite(n)) return nonFinite(n);
  const [v, p] = siPrefix(n);
  return `${sig(v)}${p === 'G' ? 'B' : p}`;
}

/** FLOPs: "820 GFLOP", "2.1 PFLOP". */
export function formatFlops(flops: number): string {
  return withSi(flops, 'FLOP');
}

/** MACs (multiply-accumulates) from FLOPs: FLOPs / 2, "1.81 GMAC". */
export function formatMacs(flops: number): string {
  return withSi(flops / 2, 'MAC');
}

/** FLOP/s: "312 TFLOP/s", "4.31 GFLOP/s". */
export function formatFlopRate(flopsPerSecond: number): string {
  return withSi(flopsPerSecond, 'FLOP/s');
}

/**
 * A device's peak for one dtype: integer dtypes in operations per second, "661 TOPS" (an int8 multiply-add is not a
 * floating-point operation), floating-point dtypes as {@link formatFlopRate}.
 */
export function formatPeak(dtype: string, perSecond: number): string {
  return /^u?int/.test(dtype) ? withSi(perSecond, 'OPS') : formatFlopRate(perSecond);
}

/** Memory in binary units: "23.6 GiB", "512 KiB", "12 B". */
export function formatBytes(bytes: number): string {
  if (!Number.isFinite(bytes)) return nonFinite(bytes);
  const a = Math.abs(bytes);
  for (const [scale, unit] of BINARY) if (a >= scale * 0.9995) return `${sig(bytes / scale)} ${unit}`;
  return `${Math.round(bytes)} B`;
}

/** Bandwidth in decimal units, as datasheets quote it: "3.35 TB/s". */
export function formatBandwidth(bytesPerSecond: number): string {
  return withSi(bytesPerSecond, 'B/s');
}

/** FLOPs per byte: "42.7 FLOP/B". */
export function formatIntensity(flopsPerByte: number): string {
  return `${sig(flopsPerByte)} FLOP/B`;
}

const DURATIONS: readonly [number, string, number][] = [
  // [seconds per unit, unit, largest value shown in this unit before the next one]
  [1e-9, 'ns', 995], [1e-6, 'µs', 995], [1e-3, 'ms', 995], [1, 's', 119.5], [60, 'min', 119.5],
  [3600, 'h', 47.5], [86400, 'days', 729.5],
];

/** A duration with two significant digits ("–" for none): "340 µs", "12 ms", "95 s", "1.6 min", "2.3 h", "4.1 days", "3.2 years". */
export function formatSeconds(s: number | null | undefined): string {
  if (s === null || s === undefined) return '–';
  if (!Number.isFinite(s)) return nonFinite(s);
  const a = Math.abs(s);
  if (a === 0) return '0 s';
  for (const [scale, unit, max] of DURATIONS) if (a / scale < max) return `${two(s / scale)} ${unit}`;
  return `${two(s / (86400 * 365.25))} years`;
}

/** A low–high band of durations: "12–19 ms" when the unit is shared, else "900 ms–1.4 s". */
export function formatSecondsBand(low: number, high: number): string {
  const lo = formatSeconds(low);
  const hi = formatSeconds(high);
  if (lo === hi) return lo;
  const [loNum, loUnit] = lo.split(' ');
  return loUnit === hi.split(' ')[1] ? `${loNum}–${hi}` : `${lo}–${hi}`;
}

/** A band's central value and its range: "1.6 min (1.2–2.1 min)". */
export function formatSecondsWithBand(b: { low: number; mid: number; high: number }): string {
  return `${formatSeconds(b.mid)} (${formatSecondsBand(b.low, b.high)})`;
}

/** Display currency: an ISO code and how many of it one US dollar buys. */
export interface Currency {
  code: string;
  perUsd: number;
}

export const USD: Currency = { code: 'USD', perUsd: 1 };

function currencyText(v: number, code: string, digits: number): string {
  try {
    return new Intl.NumberFormat('en-US', { style: 'currency', currency: code, minimumFractionDigits: digits, maximumFractionDigits: digits }).format(v);
  } catch {
    return `${sig(v)} ${code}`;
  }
}

/** Money from a USD amount: "$1.20", "$1,235", "€9.00", "< $0.01", "$0". Unknown currency codes read "12.3 XYZ". */
export function formatMoney(usd: number, currency: Currency = USD): string {
  const rate = Number.isFinite(currency.perUsd) && currency.perUsd > 0 ? currency.perUsd : 1;
  const v = usd * rate;
  if (!Number.isFinite(v)) return nonFinite(v);
  const a = Math.abs(v);
  if (a === 0) return currencyText(0, currency.code, 0);
  if (a < 0.005) return `${v < 0 ? '> −' : '< '}${currencyText(0.01, currency.code, 2)}`;
  return currencyText(v, currency.code, a >= 100 ? 0 : 2);
}

/** Energy: "1.2 kWh", "340 Wh", "0.55 Wh", and joules below 0.01 Wh. */
export function formatEnergy(joules: number): string {
  if (!Number.isFinite(joules)) return nonFinite(joules);
  const wh = joules / 3600;
  if (wh < 0.01) return `${sig(joules)} J`;
  if (wh < 999.5) return `${sig(wh)} Wh`;
  if (wh < 999.5e3) return `${sig(wh / 1000)} kWh`;
  return `${sig(wh / 1e6)} MWh`;
}

/** A speed-up factor with two significant digits: "×23", "×1.4"; below 1, how many times slower: "÷4". */
export function formatSpeedup(ratio: number | null | undefined): string {
  if (ratio === null || ratio === undefined || !Number.isFinite(ratio) || ratio <= 0) return '–';
  return ratio >= 1 ? `×${two(ratio)}` : `÷${two(1 / ratio)}`;
}

/** A share 0..1 as a percentage: "42%", "0.3%". */
export function formatPercent(share: number): string {
  if (!Number.isFinite(share)) return nonFinite(share);
  const p = share * 100;
  if (p !== 0 && Math.abs(p) < 1) return `${sig(p, 1)}%`;
  return `${Math.round(p)}%`;
}

/** A tensor shape: "[32, 512, 768]". */
export function formatShape(shape: readonly number[]): string {
  return `[${shape.map((d) => (Number.isInteger(d) ? String(d) : sig(d))).join(', ')}]`;
}
