/**
 * The typed snapshot of `floplens.*` settings and its validation. Pure (no `vscode` import): the host
 * hands in a getter, this returns a snapshot where every malformed value is replaced by its default and
 * reported. A unit test keeps the defaults here in step with `package.json`.
 */
import * as z from 'zod/mini';
import { en } from 'zod/locales';
import { parseDirectiveValue } from '../core/directives';
import { DEFAULT_COMPARE_IDS } from '../core/hardware/catalog';
import { parseDuration, parseRate } from '../core/serve/traffic';
import { VALUE_RANGES } from '../shared/assumptions';

// zod/mini ships no messages; the problems below quote them, so load the English ones (only these, not every locale).
z.config(en());

/** Dtypes `floplens.defaults.dtype` accepts. */
export const DEFAULT_DTYPES = ['fp32', 'fp16', 'bf16'] as const;

export interface FlopLensConfig {
  hardware: {
    /** Hardware profile ids to compare, in order. */
    compare: string[];
    /** Raw custom profiles; validated by the hardware catalog, not here. */
    custom: unknown[];
    /** Workspace-relative or absolute path of a JSON file of custom profiles; '' for none. */
    customFile: string;
    /** The user's own CPU (a hardware id) the verdict judges against; '' for the default choice (see core AnalyzeSettings.userCpu). */
    userCpu: string;
  };
  defaults: {
    /** Samples per model call when the script shows none. */
    batch: number;
    /** Tokens per sample when the script shows none. */
    seqLen: number;
    dtype: (typeof DEFAULT_DTYPES)[number];
  };
  efficiency: {
    /** Multiplier on documented compute efficiencies. */
    compute: number;
    /** Multiplier on documented memory-bandwidth efficiencies. */
    memory: number;
    /** GPU per-op launch overhead, microseconds; null for the documented default. */
    launchOverheadMicroseconds: number | null;
  };
  currency: { code: string; perUsd: number };
  features: { hovers: boolean; codeLens: boolean; inlayHints: boolean; diagnostics: boolean };
  directives: { writeTo: 'script' | 'settings' };
  /** Read the sizes and counts of data files the script opens in its workspace (`floplens.readDataFiles`). */
  readDataFiles: boolean;
  /** Directive-style overrides (`batch` → `64`) written by the sidebar when `writeTo` is `settings`. */
  overrides: Record<string, string>;
}

const bounded = (key: string) => z.int().check(z.minimum(VALUE_RANGES.get(key)!.min), z.maximum(VALUE_RANGES.get(key)!.max));
/** Most entries read from `floplens.overrides` (there are 25 directive keys). */
const MAX_OVERRIDES = 64;
const efficiency = z.number().check(z.minimum(0.05), z.maximum(2));
const overrideValue = z.pipe(z.union([z.string().check(z.maxLength(64)), z.number(), z.boolean()]), z.transform((v) => String(v)));

/** Each setting (without the `floplens.` prefix), its schema and default. Order is the report order. */
export const SETTINGS = {
  'hardware.compare': { schema: z.array(z.string().check(z.minLength(1))).check(z.maxLength(64)), default: [...DEFAULT_COMPARE_IDS] },
  'hardware.custom': { schema: z.array(z.unknown()), default: [] as unknown[] },
  'hardware.customFile': { schema: z.string(), default: '' },
  'hardware.userCpu': { schema: z.string().check(z.maxLength(64)), default: '' },
  'defaults.batch': { schema: bounded('batch'), default: 32 },
  'defaults.seqLen': { schema: bounded('seq'), default: 512 },
  'defaults.dtype': { schema: z.enum(DEFAULT_DTYPES), default: 'fp32' as const },
  'efficiency.compute': { schema: efficiency, default: 1 },
  'efficiency.memory': { schema: efficiency, default: 1 },
  'efficiency.launchOverheadMicroseconds': { schema: z.nullable(z.number().check(z.minimum(0), z.maximum(1e6))), default: null },
  'currency.code': { schema: z.pipe(z.string().check(z.regex(/^[A-Za-z]{3}$/)), z.transform((s) => s.toUpperCase())), default: 'USD' },
  'currency.perUsd': { schema: z.number().check(z.minimum(1e-6), z.maximum(1e9)), default: 1 },
  'features.hovers': { schema: z.boolean(), default: true },
  'features.codeLens': { schema: z.boolean(), default: true },
  'features.inlayHints': { schema: z.boolean(), default: false },
  'features.diagnostics': { schema: z.boolean(), default: true },
  'directives.writeTo': { schema: z.enum(['script', 'settings']), default: 'script' as const },
  readDataFiles: { schema: z.boolean(), default: true },
  'serving.rate': { schema: z.string().check(z.maxLength(32)), default: '' },
  'serving.ttft': { schema: z.string().check(z.maxLength(32)), default: '' },
  'serving.tpot': { schema: z.string().check(z.maxLength(32)), default: '' },
  'serving.latency': { schema: z.string().check(z.maxLength(32)), default: '' },
  overrides: { schema: z.record(z.string().check(z.regex(/^[A-Za-z_][\w.-]*$/)), overrideValue), default: {} as Record<string, string> },
} satisfies Record<string, { schema: z.ZodMiniType; default: unknown }>;

export type SettingKey = keyof typeof SETTINGS;

/** A setting that was malformed and replaced by its default. */
export interface ConfigProblem {
  key: string;
  message: string;
}

/**
 * Reads every setting through `get` (returns `undefined` for unset) and validates it.
 * Never throws; malformed values become defaults and are listed in `problems`.
 */
export function readConfig(get: (key: SettingKey) => unknown): { config: FlopLensConfig; problems: ConfigProblem[] } {
  const problems: ConfigProblem[] = [];
  const value = <K extends SettingKey>(key: K): z.output<(typeof SETTINGS)[K]['schema']> => {
    const spec = SETTINGS[key];
    const raw = get(key);
    if (raw === undefined) return spec.default as z.output<(typeof SETTINGS)[K]['schema']>;
    const r = spec.schema.safeParse(raw);
    if (r.success) return r.data as z.output<(typeof SETTINGS)[K]['schema']>;
    const issue = r.error.issues[0];
    const where = issue && issue.path.length ? ` at ${issue.path.join('.')}` : '';
    problems.push({
      key: `floplens.${key}`,
      message: `floplens.${key}: ${issue?.message ?? 'invalid value'}${where} (got ${preview(raw)}); using the default ${preview(spec.default)}.`,
    });
    return spec.default as z.output<(typeof SETTINGS)[K]['schema']>;
  };
  const config: FlopLensConfig = {
    hardware: { compare: dedupe(value('hardware.compare')), custom: value('hardware.custom'), customFile: value('hardware.customFile').trim(), userCpu: value('hardware.userCpu').trim() },
    defaults: { batch: value('defaults.batch'), seqLen: value('defaults.seqLen'), dtype: value('defaults.dtype') },
    efficiency: {
      compute: value('efficiency.compute'),
      memory: value('efficiency.memory'),
      launchOverheadMicroseconds: value('efficiency.launchOverheadMicroseconds'),
    },
    currency: { code: value('currency.code'), perUsd: value('currency.perUsd') },
    features: {
      hovers: value('features.hovers'),
      codeLens: value('features.codeLens'),
      inlayHints: value('features.inlayHints'),
      diagnostics: value('features.diagnostics'),
    },
    directives: { writeTo: value('directives.writeTo') },
    readDataFiles: value('readDataFiles'),
    // The serving settings are overrides of the same keys with a lower priority than `floplens.overrides` entries.
    overrides: { ...servingOverrides(value, problems), ...checkOverrides(value('overrides'), problems) },
  };
  return { config, problems };
}

/** `floplens.serving.*` as directive overrides (`rate`, `ttft`, `tpot`, `latency`); unreadable values are named and dropped. */
function servingOverrides(value: (key: 'serving.rate' | 'serving.ttft' | 'serving.tpot' | 'serving.latency') => string, problems: ConfigProblem[]): Record<string, string> {
  const out: Record<string, string> = {};
  for (const key of ['rate', 'ttft', 'tpot', 'latency'] as const) {
    const text = value(`serving.${key}`).trim();
    if (!text) continue;
    const ok = key === 'rate' ? parseRate(text) !== undefined : parseDuration(text) !== undefined;
    if (ok) out[key] = text;
    else problems.push({ key: `floplens.serving.${key}`, message: `floplens.serving.${key}: ${preview(text)} is not a ${key === 'rate' ? 'request rate such as 20/s or 50k/day' : 'duration such as 1s or 200ms'}; ignored.` });
  }
  return out;
}

/**
 * Keeps the overrides whose key is a directive key and whose value passes the directive's checks and bounds
 * (the same as `# floplens:` and `--set`), in an object without a prototype; each other entry is reported,
 * named, and dropped.
 */
function checkOverrides(raw: Record<string, string>, problems: ConfigProblem[]): Record<string, string> {
  const out = Object.create(null) as Record<string, string>;
  const keys = Object.keys(raw);
  if (keys.length > MAX_OVERRIDES) {
    problems.push({ key: 'floplens.overrides', message: `floplens.overrides: ${keys.length} entries; only the first ${MAX_OVERRIDES} are read.` });
  }
  for (const k of keys.slice(0, MAX_OVERRIDES)) {
    const v = raw[k];
    const r = parseDirectiveValue(k, v);
    if ('error' in r) problems.push({ key: 'floplens.overrides', message: `floplens.overrides: ${r.error} The entry is ignored.` });
    else out[k] = v;
  }
  return out;
}

function dedupe(ids: string[]): string[] {
  return [...new Set(ids)];
}

function preview(v: unknown): string {
  const s = JSON.stringify(v);
  return s === undefined ? String(v) : s.length > 60 ? `${s.slice(0, 57)}…` : s;
}
