/**
 * Stage: periodic evaluation inside a training loop (`if step % 50 == 0: evaluate()`). By the convention of the
 * corpus and the fixtures (corpus/README.md, test/fixtures/README.md `extraForward`), the step's figures are the
 * training step only; the periodic forward work is reported here, beside it, and added to the whole run (its FLOPs
 * to `run.totalFlops`, its time to the run time at the step's rate: project.ts).
 */
import { formatFlops, formatInteger } from '../format';
import type { Ctx } from './resolve';
import type { Trace } from './trace';

/** Forward FLOPs of the run's periodic evaluation over all `steps`, with one note per gate; 0 when there is none. */
export function periodicWork(ctx: Ctx, { iter }: Trace, mode: 'train' | 'infer', steps: number): number {
  if (mode !== 'train' || !Number.isFinite(steps)) return 0;
  let total = 0;
  for (const g of iter.periodic) {
    const run = g.flopsPerStep * steps;
    if (!Number.isFinite(run) || run <= 0) continue;
    total += run;
    ctx.problems.push({
      severity: 'info', code: 'periodic-eval',
      message: `Periodic evaluation (once every ${formatInteger(g.every)} passes${g.loc ? `, line ${g.loc.line}` : ''}): ≈ ${formatFlops(g.flopsEach)} forward each time, ≈ ${formatFlops(run)} over the run. It is not part of the training step's figures; it is included in the run's total FLOPs and time.`,
      ...(g.loc ? { loc: g.loc } : {}),
    });
  }
  return total;
}
