/**
 * Array helpers that never spread an array into a call: `push(...xs)`, `Math.max(...xs)` pass every item as
 * an argument and overflow the stack past ~100k items, which a script, a setting or a file can supply.
 */

/** Appends every item of `items` to `into`; returns `into`. */
export function pushAll<T>(into: T[], items: Iterable<T>): T[] {
  for (const x of items) into.push(x);
  return into;
}

/** Largest of `xs`, or `empty` when there are none (NaN items are skipped). */
export function maxOf(xs: Iterable<number>, empty = -Infinity): number {
  let m: number | undefined;
  for (const x of xs) if (m === undefined ? !Number.isNaN(x) : x > m) m = x;
  return m ?? empty;
}

/** Smallest of `xs`, or `empty` when there are none (NaN items are skipped). */
export function minOf(xs: Iterable<number>, empty = Infinity): number {
  let m: number | undefined;
  for (const x of xs) if (m === undefined ? !Number.isNaN(x) : x < m) m = x;
  return m ?? empty;
}
