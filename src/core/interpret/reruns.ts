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

/**
 * Other trainings in the same script: a notebook that trains one model and then another (two `trainer.fit`s, a
 * baseline then an SWA run, a second task), each in loops of its own. Their optimizer steps are the whole run's too.
 * A step event counts when its loops share none with the anchor's (not a critic loop inside the same epoch, not a
 * second run of the same loops, which `otherRunSteps` counts) and the models it trains (calls with gradients in its
 * loops) are other modules than the anchor's: a learning-rate finder's trial steps on the same model are not a
 * training. Its steps are its loops' passes ÷ the modulo gates between its loops and it. (A training with a loop of
 * unknown length never reaches here as an "other" one: the main step ranks such a loop above any known one, so it is
 * the anchor and the run's steps are a stated assumption; the skip below is only a guard.)
 */
export function otherTrainingSteps(steps: RunEvent[], calls: RunEvent[], anchor: RunEvent): { steps: number; runs: number } {
  const anchorLoops = new Set(loopsIn(anchor.ctx).map((f) => f.id));
  const inLoops = (e: RunEvent, ids: Set<number>) => e.ctx.some((c) => c.type === 'loop' && ids.has(c.frame.id));
  const trained = (ids: Set<number>) => new Set(calls.filter((c) => c.grad && c.moduleId !== undefined && inLoops(c, ids)).map((c) => c.moduleId!));
  const mine = trained(anchorLoops);
  if (mine.size === 0) return { steps: 0, runs: 0 };
  const counted = new Set<number>();
  let total = 0;
  let runs = 0;
  for (const e of steps) {
    const loops = loopsIn(e.ctx);
    const inner = loops[loops.length - 1];
    if (!inner || loops.some((f) => anchorLoops.has(f.id)) || loopsIn(anchor.ctx).some((f) => sameLine(f, inner))) continue;
    if (counted.has(inner.id)) continue;
    counted.add(inner.id);
    const theirs = trained(new Set(loops.map((f) => f.id)));
    if (theirs.size === 0 || [...theirs].some((m) => mine.has(m))) continue;
    if (loops.some((f) => f.trips === undefined)) continue;
    const at = e.ctx.findIndex((c) => c.type === 'loop' && c.frame.id === inner.id);
    const mod = e.ctx.slice(at + 1).reduce((a, c) => (c.type === 'mod' ? a * c.n : a), 1);
    total += Math.max(1, Math.floor(loops.reduce((a, f) => a * f.trips!, 1) / mod));
    runs++;
  }
  return { steps: total, runs };
}
