/**
 * When each optimizer first stepped, on the evaluator's clock (its value ids, which grow as values are made). A model
 * whose id is larger than an optimizer's first step was built after that optimizer trained: read by
 * `src/core/analyze/peers.ts` to tell models held side by side (K-fold, ensembles) from a model re-built for another
 * training (a second experiment, a LoRA copy).
 */
import type { Value } from '../values';
import { isKind } from '../values';

const FIRST_STEP = new WeakMap<object, number>();

/** Notes that optimizer `o` steps now (`now`: a fresh id), unless it stepped before. */
export function markStepped(o: Value | undefined, now: () => number): void {
  if (isKind(o, 'obj') && o.type === 'optimizer' && !FIRST_STEP.has(o)) FIRST_STEP.set(o, now());
}

/** The clock reading of optimizer `o`'s first step, or undefined when no step of it was seen. */
export function firstStep(o: Value): number | undefined {
  return typeof o === 'object' && o !== null ? FIRST_STEP.get(o) : undefined;
}
