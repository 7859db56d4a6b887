/**
 * Generator functions (`def batches(): … yield x`). Calling one runs its body up to the first `yield`, as
 * Python does when the generator is first iterated; the yielded value stands for every item, and the trip
 * count is the product of the passes of the loops around that `yield` (inside the generator) when each is
 * knowable. The generator is then a lazy iterable (`lazyiter`) with that item and count: a run loop over it
 * walks its body once for all the passes.
 */
import type { Stmt } from '../parse/ast';
import type { Value } from './values';

/** Thrown by a `yield` statement to hand its value to the generator being run (never escapes `runGenerator`). */
export class GenYield {
  constructor(readonly value: Value, readonly trips: number | undefined, readonly at: Stmt) {}
}

const yieldCache = new WeakMap<Stmt[], boolean>();

/** Bodies of a statement that run as part of the same function (not nested defs or classes). */
function childBodies(s: Stmt): Stmt[][] {
  switch (s.t) {
    case 'if': return [...s.branches.map((b) => b.body), s.orelse];
    case 'for': return [s.body, s.orelse];
    case 'while': case 'with': return [s.body];
    case 'try': return [s.body, ...s.handlers, s.orelse, s.finally];
    default: return [];
  }
}

/** True when a function body has a `yield` of its own (one in a nested def or class does not count). */
export function isGeneratorBody(body: Stmt[]): boolean {
  let r = yieldCache.get(body);
  if (r === undefined) {
    r = body.some((s) => s.t === 'yield' || childBodies(s).some(isGeneratorBody));
    yieldCache.set(body, r);
  }
  return r;
}

/** The loops (`for`, `while`) of `body` that enclose `target`, outermost first; undefined when it is not in `body`. */
export function loopsAround(body: Stmt[], target: Stmt): Stmt[] | undefined {
  for (const s of body) {
    if (s === target) return [];
    for (const b of childBodies(s)) {
      const inner = loopsAround(b, target);
      if (inner) return s.t === 'for' || s.t === 'while' ? [s, ...inner] : inner;
    }
  }
  return undefined;
}
