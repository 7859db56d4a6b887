/**
 * Bounds of run quantities, shared by the core (directives, `--set`, settings) and the sidebar
 * (src/shared/assumptions.ts re-exports them). No imports: the webview and the analysis worker both bundle it.
 */

/** Allowed range of a numeric run quantity (inclusive). */
export interface ValueRange {
  min: number;
  max: number;
  /** Whole numbers only. */
  integer: boolean;
}

const range = (min: number, max: number, integer = true): ValueRange => ({ min, max, integer });

/**
 * The one table of bounds for every numeric value that enters from outside the script: `# floplens:`
 * directives, `--set`, the `floplens.overrides` / `floplens.defaults.*` settings and the sidebar. The
 * maxima are sanity bounds (far beyond any real run), not physical limits: they keep every figure finite.
 * A Map, so a key such as `constructor` or `__proto__` never reaches Object.prototype.
 */
export const VALUE_RANGES: ReadonlyMap<string, ValueRange> = new Map<string, ValueRange>([
  ['batch', range(1, 1e7)],
  ['seq', range(1, 1e8)],
  ['steps', range(1, 1e12)],
  ['epochs', range(0, 1e6, false)],
  ['dataset', range(1, 1e15)],
  ['dataset_size', range(1, 1e15)],
  ['accum', range(1, 1e6)],
  ['devices', range(1, 100_000)],
  ['params', range(1, 1e15, false)],
  ['layers', range(1, 100_000)],
  ['hidden', range(1, 1e7)],
  ['heads', range(1, 100_000)],
  ['vocab', range(1, 1e9)],
  ['prompt', range(1, 1e8)],
  ['new_tokens', range(1, 1e8)],
  ['image_size', range(1, 1e6)],
  ['classes', range(1, 1e7)],
  ['tokens', range(1, 1e16, false)],
  ['requests', range(1, 1e15, false)],
  ['items', range(1, 1e6)],
]);

/** The range of `key`, or undefined when the key has no numeric bound. */
export function valueRange(key: string): ValueRange | undefined {
  return VALUE_RANGES.get(key);
}

/** "1 to 10,000,000" */
export function describeRange(r: ValueRange): string {
  const f = (n: number) => (n >= 1e6 ? n.toExponential().replace('e+', 'e') : n.toLocaleString('en-US'));
  return `${f(r.min)} to ${f(r.max)}${r.integer ? ' (whole number)' : ''}`;
}
