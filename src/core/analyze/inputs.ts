/**
 * Stage: read what comes from outside the script — the host's settings (bounded, else the default with a
 * problem), the setting overrides and the script's `# floplens:` directives — into one typed object.
 */
import type { Problem } from '../types';
import { DTYPE_BYTES } from '../types';
import type { AnalyzeInput, AnalyzeSettings } from '../api';
import { mergeDirectives, parseDirectives } from '../directives';
import type { Directives } from '../directiveKeys';
import { VALUE_RANGES } from '../ranges';

export const DEFAULT_SETTINGS: AnalyzeSettings = {
  defaultBatch: 32,
  defaultSeqLen: 512,
  defaultDtype: 'fp32',
  computeEfficiency: 1,
  memoryEfficiency: 1,
  overrides: {},
};

/** The settings of one analysis: the defaults under what the host passed. */
export function settingsOf(input: AnalyzeInput): AnalyzeSettings {
  return { ...DEFAULT_SETTINGS, ...(input.settings ?? {}), overrides: { ...(input.settings?.overrides ?? {}) } };
}

/**
 * Directives in the script win; settings overrides (`--set key=value`) apply where the script has none.
 * Like every location in the main document, directive locations carry no file.
 */
export function readDirectives(text: string, settings: AnalyzeSettings, problems: Problem[]): Directives {
  const parsed = parseDirectives(text);
  for (const p of parsed.problems) problems.push(p);
  sanitizeSettings(settings, problems);
  return mergeDirectives(parsed.values, overrideEntries(settings.overrides, problems), problems);
}

/** Most overrides read from settings / `--set` (there are 25 directive keys). */
const MAX_OVERRIDES = 64;

/** The overrides as [key, value] pairs: own keys only (never Object.prototype), strings, at most MAX_OVERRIDES. */
function overrideEntries(overrides: unknown, problems: Problem[]): [string, string][] {
  if (overrides === null || typeof overrides !== 'object' || Array.isArray(overrides)) {
    if (overrides !== undefined && overrides !== null) problems.push({ severity: 'warning', code: 'setting', message: 'Setting overrides must be an object of key → value; they are ignored.' });
    return [];
  }
  const keys = Object.keys(overrides);
  if (keys.length > MAX_OVERRIDES) problems.push({ severity: 'warning', code: 'setting', message: `${keys.length} setting overrides; only the first ${MAX_OVERRIDES} are read.` });
  const out: [string, string][] = [];
  for (const k of keys.slice(0, MAX_OVERRIDES)) {
    const v: unknown = (overrides as Record<string, unknown>)[k];
    if (typeof v === 'string' || typeof v === 'number' || typeof v === 'boolean') out.push([k, String(v)]);
    else problems.push({ severity: 'warning', code: 'setting', message: `Setting override '${k.slice(0, 40)}': the value must be a string, number or boolean; it is ignored.` });
  }
  return out;
}

/** Settings a host passes in: numbers inside the same bounds as the directives, else the default with a problem. */
function sanitizeSettings(s: AnalyzeSettings, problems: Problem[]): void {
  const check = (name: string, v: unknown, min: number, max: number, fallback: number | undefined, integer: boolean): number | undefined => {
    if (v === undefined && fallback === undefined) return undefined;
    if (typeof v === 'number' && Number.isFinite(v) && v >= min && v <= max && (!integer || Number.isInteger(v))) return v;
    problems.push({ severity: 'warning', code: 'setting', message: `Setting ${name}=${String(v).slice(0, 40)} is out of range (allowed ${min} to ${max}); using ${fallback ?? 'the documented default'}.` });
    return fallback;
  };
  const b = VALUE_RANGES.get('batch')!, q = VALUE_RANGES.get('seq')!;
  s.defaultBatch = check('defaultBatch', s.defaultBatch, b.min, b.max, DEFAULT_SETTINGS.defaultBatch, true)!;
  s.defaultSeqLen = check('defaultSeqLen', s.defaultSeqLen, q.min, q.max, DEFAULT_SETTINGS.defaultSeqLen, true)!;
  s.computeEfficiency = check('computeEfficiency', s.computeEfficiency, 0.05, 2, 1, false)!;
  s.memoryEfficiency = check('memoryEfficiency', s.memoryEfficiency, 0.05, 2, 1, false)!;
  const lo = check('launchOverheadSeconds', s.launchOverheadSeconds, 0, 1, undefined, false);
  if (lo === undefined) delete s.launchOverheadSeconds; else s.launchOverheadSeconds = lo;
  if (!(Object.hasOwn(DTYPE_BYTES, s.defaultDtype))) {
    problems.push({ severity: 'warning', code: 'setting', message: `Setting defaultDtype=${String(s.defaultDtype).slice(0, 20)} is not a dtype; using fp32.` });
    s.defaultDtype = 'fp32';
  }
}

