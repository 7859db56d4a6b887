import type { Workload } from '../types';

const fin = (x: unknown): number => (typeof x === 'number' && Number.isFinite(x) && x > 0 ? x : 0);

/**
 * Periodic evaluation inside the training loop (`run.periodicForwardFlops`, not in the step) as a number of steps'
 * worth of time: its FLOPs at the rate of the step's own work. Added to the steps for the run time.
 */
export function evaluationSteps(w: Workload): number {
  const stepWork = fin(w.forwardFlops) + fin(w.backwardFlops) + fin(w.recomputeFlops);
  return stepWork > 0 ? fin(w.run?.periodicForwardFlops) / stepWork : 0;
}
