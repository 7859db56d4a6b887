/**
 * Traffic and latency targets from `rate=`, `requests=`, `latency=`, `ttft=`, `tpot=` (directives, `--set`,
 * settings): text in, numbers per second / seconds out, or undefined with a reason. Pure.
 */

/** Seconds in an average month (365.25 / 12 days). */
export const SECONDS_PER_MONTH = 30.4375 * 86_400;

const PER: Record<string, number> = {
  s: 1, sec: 1, second: 1, min: 60, minute: 60, m: 60, h: 3600, hr: 3600, hour: 3600,
  d: 86_400, day: 86_400, w: 604_800, week: 604_800, mo: SECONDS_PER_MONTH, month: SECONDS_PER_MONTH,
};

/**
 * A request rate in requests per second from `20`, `20/s`, `1200/min`, `50k/day`, `1e6/month`. Undefined when
 * the text is not a positive finite rate.
 */
export function parseRate(text: string): number | undefined {
  const m = /^\s*([0-9]*\.?[0-9]+(?:e[+-]?\d+)?)\s*([kKmMbB]?)\s*(?:(?:\/|per\s*|req\/|rps)\s*([a-z]*))?\s*$/i.exec(text.replace(/_/g, ''));
  if (!m) return undefined;
  const scale = { '': 1, k: 1e3, m: 1e6, b: 1e9 }[m[2].toLowerCase() as '' | 'k' | 'm' | 'b'];
  const unit = (m[3] ?? 's').toLowerCase().replace(/s$/, '') || 's';
  const per = PER[unit] ?? PER[`${unit}s`];
  if (per === undefined) return undefined;
  const v = (Number(m[1]) * scale) / per;
  return Number.isFinite(v) && v > 0 && v <= 1e9 ? v : undefined;
}

/** A duration in seconds from `1s`, `200ms`, `0.2`, `2min`. Undefined unless positive and finite (≤ 1 day). */
export function parseDuration(text: string): number | undefined {
  const m = /^\s*([0-9]*\.?[0-9]+(?:e[+-]?\d+)?)\s*(ms|us|µs|s|sec|min|m|h)?\s*$/i.exec(text);
  if (!m) return undefined;
  const k = { ms: 1e-3, us: 1e-6, 'µs': 1e-6, s: 1, sec: 1, min: 60, m: 60, h: 3600 }[(m[2] ?? 's').toLowerCase() as 's'];
  const v = Number(m[1]) * k;
  return Number.isFinite(v) && v > 0 && v <= 86_400 ? v : undefined;
}
