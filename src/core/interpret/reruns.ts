/**
 * A training loop run more than once: the same training function called again on another model (a notebook that
 * trains a plain model, then its LoRA copy, with one `train(...)`), or again after a first run. Each call walks its own
 * loops, so the optimizer steps of the whole run are the anchor run's plus every other run of the same loops (same
 * source lines). Steps of a different loop (a learning-rate finder's trial steps) are not added.
 */
import type { CtxEntry, LoopFrame, RunEvent } from './recorder';

const loopsIn = (ctx: CtxEntry[]): LoopFrame[] => ctx.flatMap((e) => (e.type === 'loop' ? [e.frame] : []));
const sameLine = (a: LoopFrame, b: LoopFrame): boolean => !!a.loc && !!b.loc && a.loc.line === b.loc.line && a.loc.file === b.loc.file;

/**
 * Optimizer steps of the other runs of the anchor's loops: for each other step event whose loops are the anchor's
 * loops (by source line, up to the iteration loop `frame`) in frames of their own, its passes ÷ `stepMod`.
 * Undefined when one of them has a loop whose passes are unknown.
 */
export function otherRunSteps(steps: RunEvent[], anchor: RunEvent, frame: LoopFrame, stepMod: number): { steps: number; runs: number } | undefined {
  const all = loopsIn(anchor.ctx);
  const mine = all.slice(0, all.indexOf(frame) + 1);
  if (mine.length === 0) return { steps: 0, runs: 0 };
  const seen = new Set<number>(mine.map((f) => f.id));
  let total = 0;
  let runs = 0;
  for (const e of steps) {
    const theirs = loopsIn(e.ctx).slice(0, mine.length);
    if (theirs.length !== mine.length || seen.has(theirs[0].id) || !theirs.every((f, i) => sameLine(f, mine[i]))) continue;
    for (const f of theirs) seen.add(f.id);
    if (theirs.some((f) => f.trips === undefined)) return undefined;
    total += Math.max(1, Math.floor(theirs.reduce((a, f) => a * f.trips!, 1) / stepMod));
    runs++;
  }
  return { steps: total, runs };
}
