/**
 * `for step, batch in enumerate(loader, start=1): if step >= num_iterations: break` — a counted loop over an iterable
 * of unknown or endless length (an infinite data iterator, a loader over data FlopLens does not read): the counter's
 * limit decides the passes, exactly as `for step in range(start, …)` with the same break would.
 */
import type { Stmt } from '../parse/ast';
import type { LoopEval } from './loopBounds';
import { rangeBreakTrips, whileTrips } from './loopBounds';
import { isNum } from './values';

/**
 * Passes of an `enumerate(…)` loop that leaves at a limit on its counter, when the iterable itself does not end it sooner;
 * or of a loop over an iterable of unknown or endless length (`for batch in CycleIterator(loader):`) that counts its own
 * passes (`state["iter_num"] += 1`) and leaves at a limit on that count (`if state["iter_num"] >= max_iters: break`),
 * as `while True:` with the same counter and exit would.
 */
export function enumerateBreakTrips(s: Extract<Stmt, { t: 'for' }>, iterTrips: number | undefined, ev: LoopEval): { n: number; note: string } | undefined {
  const it = s.iter;
  if (it.t !== 'call' || it.fn.t !== 'name' || it.fn.id !== 'enumerate' || s.target.t !== 'seq' || s.target.items[0]?.t !== 'name') {
    if (iterTrips !== undefined) return undefined;
    const endless: Extract<Stmt, { t: 'while' }> = { t: 'while', cond: { t: 'const', v: true, from: s.from, to: s.from }, body: s.body, from: s.from, to: s.to };
    const cut = whileTrips(endless, ev);
    return cut ? { n: cut.n, note: `for loop over an iterable of unknown length, ${cut.note.replace(/^while /, 'until ').replace(' < ', ' reaches ')}` } : undefined;
  }
  const startArg = it.args.find((a) => a.kind === 'kw' && a.name === 'start') ?? it.args.filter((a) => a.kind === 'pos')[1];
  const given = startArg ? ev.value(startArg.value) : 0;
  // A start the script computes from data (`start=checkpoint_step + 1` of a resumed run): a fresh run, said in the note.
  const known = isNum(given) && Number.isSafeInteger(given);
  const start = known ? given : 0;
  const passes = iterTrips ?? Number.MAX_SAFE_INTEGER;
  const cut = rangeBreakTrips({ ...s, target: s.target.items[0] }, { kind: 'range', start, stop: start + passes, step: 1 }, ev);
  const how = known ? `start=${start}` : 'start unknown (a resumed run\'s step?), taken as a fresh run from 0';
  return cut ? { n: cut.n, note: cut.note.replace(/^for (\w+) in range\(\d+\)/, `for ${s.target.items[0].id}, … in enumerate(…, ${how})`) } : undefined;
}
