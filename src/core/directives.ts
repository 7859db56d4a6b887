/**
 * `# floplens: key=value …` directive comments: what the script cannot say (or what the user wants
 * to override), written in the script so the source stays the truth. Settings and `--set key=value`
 * use the same keys.
 */
import type { Loc, Problem } from './types';
import { lineStarts, locate } from './parse/ast';
import { describeRange } from './ranges';
import { DIRECTIVE_KEYS, directiveSpec } from './directiveKeys';
import type { DirectiveEntry, DirectiveKey, DirectiveValue, Directives, KeySpec } from './directiveKeys';

export { DIRECTIVE_KEYS, DIRECTIVE_KEY_NAMES, directiveSpec, isDirectiveKey } from './directiveKeys';
export type { DirectiveEntry, DirectiveKey, DirectiveValue, DirectiveValueOf, Directives, KeySpec } from './directiveKeys';

/** Longest `# floplens:` line read, and most key=value pairs taken from one line and from one file. */
export const MAX_DIRECTIVE_LINE_CHARS = 2000;
export const MAX_DIRECTIVE_ITEMS_PER_LINE = 64;
export const MAX_DIRECTIVE_ITEMS = 256;
/** Most directive problems reported for one file (the rest are counted in one closing problem). */
const MAX_DIRECTIVE_PROBLEMS = 50;

const ALIASES = new Map<string, string>();
for (const [k, spec] of Object.entries(DIRECTIVE_KEYS)) for (const a of spec.aliases ?? []) ALIASES.set(a, k);

export interface Directive {
  key: string;
  value: DirectiveValue;
  raw: string;
  loc: Loc;
}

export interface ParsedDirectives {
  values: Map<string, Directive>;
  problems: Problem[];
}

const DIRECTIVE_RE = /#\s*floplens\s*:(.*)$/;

/** Parse every `# floplens:` comment in the text. Later values win. Never throws; bounded in time and output. */
export function parseDirectives(text: string, file?: string): ParsedDirectives {
  const values = new Map<string, Directive>();
  const problems: Problem[] = [];
  let dropped = 0;
  const report = (p: Problem) => { if (problems.length < MAX_DIRECTIVE_PROBLEMS) problems.push(p); else dropped++; };
  const starts = lineStarts(text);
  const lines = text.split('\n');
  let items = 0;
  for (let i = 0; i < lines.length && i < 200_000; i++) {
    let line = lines[i];
    if (line.indexOf('floplens') < 0) continue;
    const at = line.search(/#\s*floplens\s*:/);
    if (at < 0) continue;
    if (line.length - at > MAX_DIRECTIVE_LINE_CHARS) {
      const loc = locate(starts, starts[i] + at, starts[i] + at + 20, file);
      report({ severity: 'warning', code: 'directive', message: `This # floplens: line is ${line.length - at} characters long; FlopLens reads the first ${MAX_DIRECTIVE_LINE_CHARS}.`, loc });
      line = line.slice(0, at + MAX_DIRECTIVE_LINE_CHARS);
    }
    const m = DIRECTIVE_RE.exec(line);
    if (!m) continue;
    const bodyStart = starts[i] + (m.index + m[0].length - m[1].length);
    const re = /([A-Za-z_][\w-]*)\s*=\s*("[^"]*"|'[^']*'|[^\s]+)|(\S+)/g;
    let t: RegExpExecArray | null;
    let onLine = 0;
    while ((t = re.exec(m[1]))) {
      const from = bodyStart + t.index;
      const loc = locate(starts, from, from + t[0].length, file);
      if (++onLine > MAX_DIRECTIVE_ITEMS_PER_LINE || items >= MAX_DIRECTIVE_ITEMS) {
        report({ severity: 'warning', code: 'directive', message: items >= MAX_DIRECTIVE_ITEMS
          ? `More than ${MAX_DIRECTIVE_ITEMS} directive values in this file; the rest are ignored.`
          : `More than ${MAX_DIRECTIVE_ITEMS_PER_LINE} directive values on one line; the rest of the line is ignored.`, loc });
        break;
      }
      items++;
      if (t[3]) {
        report({ severity: 'warning', code: 'directive', message: `Directive '${clip(t[3])}' is not key=value (e.g. \`# floplens: batch=64\`).`, loc });
        continue;
      }
      const key = normalizeKey(t[1]);
      const raw = t[2].replace(/^["']|["']$/g, '');
      const r = parseDirectiveValue(key, raw);
      if ('error' in r) report({ severity: 'warning', code: 'directive', message: r.error, loc });
      else values.set(key, { key, value: r.value, raw, loc });
    }
    if (items >= MAX_DIRECTIVE_ITEMS && onLine > MAX_DIRECTIVE_ITEMS_PER_LINE) break;
  }
  if (dropped > 0) problems.push({ severity: 'warning', code: 'directive', message: `${dropped} more directive problems are not listed.` });
  return { values, problems };
}

/**
 * The typed directives of one analysis: setting overrides (`--set`, `floplens.overrides`) first, then the
 * script's `# floplens:` values over them. Every value was validated against its key's kind by
 * `parseDirectiveValue`, which is what makes the typed view exact.
 */
export function mergeDirectives(parsed: ReadonlyMap<string, Directive>, overrides: readonly [string, string][], problems: Problem[]): Directives {
  const out: Partial<Record<DirectiveKey, DirectiveEntry<DirectiveValue>>> = {};
  for (const [k, raw] of overrides) {
    const r = parseDirectiveValue(k, raw);
    if ('error' in r) { problems.push({ severity: 'warning', code: 'setting', message: `Setting override: ${r.error}` }); continue; }
    out[normalizeKey(k) as DirectiveKey] = { value: r.value, raw, source: 'setting', note: 'a setting' };
  }
  for (const [k, d] of parsed) out[k as DirectiveKey] = { value: d.value, raw: d.raw, loc: d.loc, source: 'directive', note: 'a # floplens directive' };
  return out as Directives;
}

/** A user-typed token shown in a message: at most 120 characters. */
function clip(s: string): string {
  return s.length > 120 ? `${s.slice(0, 117)}…` : s;
}

/** Lower-case, `-` → `_`, aliases → their key (`batch_size` → `batch`). */
export function normalizeKey(k: string): string {
  const lower = String(k).toLowerCase().replace(/-/g, '_');
  return ALIASES.get(lower) ?? lower;
}

/** Validate one directive or setting value. */
export function parseDirectiveValue(key: string, raw: string): { value: DirectiveValue } | { error: string } {
  const k = normalizeKey(key);
  const spec = directiveSpec(k);
  if (!spec) return { error: `Unknown directive key '${clip(String(key))}'. Known keys: ${Object.keys(DIRECTIVE_KEYS).join(', ')}.` };
  const v = String(raw).trim();
  raw = clip(String(raw));
  switch (spec.kind) {
    case 'int': case 'number': {
      const n = parseNumber(v);
      if (n === undefined || !Number.isFinite(n)) return { error: `${k}=${raw}: expected a number (${spec.doc}).` };
      if (spec.kind === 'int' && !Number.isInteger(n)) return { error: `${k}=${raw}: expected a whole number (${spec.doc}).` };
      return checkRange(k, raw, n, spec);
    }
    case 'enum': {
      const norm = normalizeEnum(k, v.toLowerCase());
      if (!spec.values!.includes(norm)) return { error: `${k}=${raw}: expected one of ${spec.values!.join(', ')}.` };
      return { value: norm };
    }
    case 'bool': {
      if (/^(true|yes|on|1)$/i.test(v)) return { value: true };
      if (/^(false|no|off|0)$/i.test(v)) return { value: false };
      return { error: `${k}=${raw}: expected true or false.` };
    }
    case 'list': case 'string': {
      if (!v) return { error: `${k}: empty value.` };
      if (v.length > 200 || /[<>`]/.test(v)) return { error: `${k}: value is not a plain name.` };
      // `dataset=50000` is a sample count: the same bounds as dataset_size.
      const n = k === 'dataset' ? parseNumber(v) : undefined;
      if (n !== undefined) {
        const r = checkRange(k, raw, n, spec);
        return 'error' in r ? r : { value: v };
      }
      return { value: v };
    }
    default:
      return { error: `Unknown directive key '${clip(String(key))}'.` };
  }
}

/** A number inside the key's range from VALUE_RANGES (and its spec's minimum), or an error naming both. */
function checkRange(k: string, raw: string, n: number, spec: KeySpec): { value: number } | { error: string } {
  const r = spec.range;
  const min = r?.min ?? -Infinity;
  const tooSmall = n < min;
  const tooLarge = r !== undefined && n > r.max;
  if (!Number.isFinite(n) || tooSmall || tooLarge) {
    const allowed = r ? describeRange({ ...r, min }) : `at least ${min}`;
    return { error: `${k}=${raw}: out of range; allowed ${allowed} (${spec.doc}). The value is ignored.` };
  }
  return { value: n };
}

const ENUM_SYNONYMS = new Map<string, Map<string, string>>([
  ['dtype', new Map([['float32', 'fp32'], ['float16', 'fp16'], ['half', 'fp16'], ['bfloat16', 'bf16'], ['float8', 'fp8']])],
  ['mode', new Map([['training', 'train'], ['inference', 'infer'], ['eval', 'infer']])],
]);

function normalizeEnum(key: string, v: string): string {
  return ENUM_SYNONYMS.get(key)?.get(v) ?? v;
}

function escapeRe(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/** `1e9`, `7B`, `1.5M`, `15.6T`, `64`, `1_000` → number. */
export function parseNumber(s: string): number | undefined {
  const m = /^([0-9][0-9_]*\.?[0-9_]*(?:e[+-]?\d+)?)\s*([kmbgt]?)$/i.exec(s.trim());
  if (!m) return undefined;
  const base = Number(m[1].replace(/_/g, ''));
  const mult = ({ '': 1, k: 1e3, m: 1e6, b: 1e9, g: 1e9, t: 1e12 } as Record<string, number>)[m[2].toLowerCase()];
  return base * mult;
}


/**
 * A text edit that sets `key=value` in the script's directive comment: replaces the key in an existing
 * `# floplens:` line, or appends it to the first such line, or inserts a new directive line after the
 * leading imports/docstring. Offsets are into `text`.
 */
export function directiveEdit(text: string, key: string, value: string): { from: number; to: number; insert: string } {
  const k = normalizeKey(key);
  const safe = value.replace(/[\s#<>`'"]/g, '');
  const starts = lineStarts(text);
  const lines = text.split('\n');
  let firstLine = -1;
  for (let i = 0; i < lines.length; i++) {
    const m = DIRECTIVE_RE.exec(lines[i]);
    if (!m) continue;
    if (firstLine < 0) firstLine = i;
    const re = new RegExp(`(^|\\s)(${[k, ...(directiveSpec(k)?.aliases ?? [])].map(escapeRe).join('|')})\\s*=\\s*("[^"]*"|'[^']*'|[^\\s]+)`);
    const km = re.exec(m[1]);
    if (km) {
      const bodyStart = starts[i] + m.index + m[0].length - m[1].length;
      const from = bodyStart + km.index + km[1].length;
      return { from, to: from + km[0].length - km[1].length, insert: `${k}=${safe}` };
    }
  }
  if (firstLine >= 0) {
    const end = starts[firstLine] + lines[firstLine].replace(/\r$/, '').length;
    return { from: end, to: end, insert: ` ${k}=${safe}` };
  }
  // Insert after a shebang/encoding line, module docstring and the leading import block.
  let i = 0;
  while (i < lines.length && /^\s*(#!|#.*coding[:=])/.test(lines[i])) i++;
  if (i < lines.length && /^\s*[rRuU]?("""|''')/.test(lines[i])) {
    const q = /("""|''')/.exec(lines[i])![1];
    const rest = lines[i].slice(lines[i].indexOf(q) + 3);
    if (!rest.includes(q)) { i++; while (i < lines.length && !lines[i].includes(q)) i++; }
    i++;
  }
  let lastImport = -1;
  for (let j = i; j < lines.length; j++) {
    const l = lines[j];
    if (/^(import|from)\s/.test(l)) lastImport = j;
    else if (/^\s*$|^\s*#/.test(l)) continue;
    else if (lastImport >= 0 && /^\s+\S/.test(l)) continue;
    else break;
  }
  const at = lastImport >= 0 ? lastImport + 1 : i;
  const off = at < starts.length ? starts[at] : text.length;
  const needsNl = off === text.length && text.length > 0 && !text.endsWith('\n');
  return { from: off, to: off, insert: `${needsNl ? '\n' : ''}# floplens: ${k}=${safe}\n` };
}
