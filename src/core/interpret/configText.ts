/**
 * Config text as plain values: written inside the script (`json.loads("""{…}""")`, `yaml.safe_load("""…""")`,
 * `OmegaConf.create("""…""")`) or read from a config file the host handed the core (`yaml.safe_load(open(path))`).
 * The text is parsed (never executed): JSON with JSON.parse, YAML with the `yaml` library (eemeli/yaml) under the
 * YAML 1.1 schema PyYAML's safe loader follows (`yes`/`no` are booleans, `1e-4` a number). Anything that does not
 * parse, or is larger than `MAX_CONFIG_CHARS`, is `undefined`.
 */
import type { parse as YamlParse } from 'yaml';
// The package's browser build: the same code as its Node entry without Node's `process` module (warnings, an env
// flag), so the pure core reaches no Node built-in (test/unit/security.bundle.test.ts). Its API is the package's own.
// @ts-expect-error -- the deep path has no declarations of its own; the type is the package's `parse`.
import { parse as browserParse } from '../../../node_modules/yaml/browser/dist/index.js';

const parseYaml = browserParse as typeof YamlParse;

export type Plain = number | string | boolean | null | Plain[] | { [k: string]: Plain };

/** Largest config text parsed, characters (a config is a few kilobytes; a larger file is data). */
export const MAX_CONFIG_CHARS = 1_000_000;

/** A parsed value as plain data: dates as their ISO text, sets as lists, non-finite numbers kept only when infinite. */
function plain(v: unknown, depth = 0): Plain {
  if (depth > 64) return null;
  if (v === null || v === undefined) return null;
  if (typeof v === 'number') return Number.isNaN(v) ? null : v;
  if (typeof v === 'string' || typeof v === 'boolean') return v;
  if (typeof v === 'bigint') return Number(v);
  if (v instanceof Date) return Number.isNaN(v.getTime()) ? null : v.toISOString();
  if (Array.isArray(v)) return v.map((x) => plain(x, depth + 1));
  if (v instanceof Set) return [...v].map((x) => plain(x, depth + 1));
  if (v instanceof Map) return Object.fromEntries([...v].map(([k, x]) => [String(k), plain(x, depth + 1)]));
  if (v instanceof Uint8Array) return null;
  if (typeof v === 'object') {
    const out: { [k: string]: Plain } = {};
    for (const [k, x] of Object.entries(v as Record<string, unknown>)) out[k] = plain(x, depth + 1);
    return out;
  }
  return null;
}

export function parseJsonText(text: string): Plain | undefined {
  if (text.length > MAX_CONFIG_CHARS) return undefined;
  try {
    return plain(JSON.parse(text));
  } catch {
    return undefined;
  }
}

export function parseYamlText(text: string): Plain | undefined {
  if (text.length > MAX_CONFIG_CHARS) return undefined;
  try {
    // Alias expansion is capped (a "billion laughs" document stops with an error, read as undefined).
    return plain(parseYaml(text, { version: '1.1', uniqueKeys: false, maxAliasCount: 1000, prettyErrors: false }));
  } catch {
    return undefined;
  }
}

/** A config file's text by its name: JSON for `.json`, YAML otherwise (YAML is a superset of JSON). */
export function parseConfigText(name: string, text: string): Plain | undefined {
  return /\.json$/i.test(name) ? parseJsonText(text) : parseYamlText(text);
}
