/**
 * Warm-up gates on a container filled by the loop itself: `if len(replay_buffer) > batch_size:` in a frame loop whose
 * pass pushes one transition (a DQN's replay buffer, a list of episodes). The evaluator walks such a loop once for all
 * its passes, so in that one pass the list holds what one pass appended and the condition is false, and the update it
 * guards would never be costed. When the length compared is that of a list this very pass appended to, the branch
 * runs on the passes after the threshold is reached: it is walked as a gate of weight passes/T, as a modulo gate is.
 */
import type { Expr } from '../parse/ast';
import type { CtxEntry } from './recorder';
import type { LoopEval } from './loopBounds';
import { isNum } from './values';
import type { ListValue } from './values';

/** Lists appended to during the current walk of each loop frame (the innermost loop of the append). */
const APPENDED = new WeakMap<object, Set<ListValue>>();

const innermostLoop = (ctx: readonly CtxEntry[]) => {
  for (let i = ctx.length - 1; i >= 0; i--) { const e = ctx[i]; if (e.type === 'loop') return e.frame; }
  return undefined;
};

/** `lst.append(x)` inside a loop walked once: remember that this pass grew `lst`. */
export function noteAppend(ctx: readonly CtxEntry[], list: ListValue): void {
  const frame = innermostLoop(ctx);
  if (!frame) return;
  let s = APPENDED.get(frame);
  if (!s) APPENDED.set(frame, (s = new Set()));
  s.add(list);
}

/**
 * `len(x) > k` / `len(x) >= k` (or `k < len(x)`) false in the walked pass, where x's length is that of a list the pass
 * appended to (L items a pass): true from pass floor(k / L) + 1 on, so a gate of weight T / (passes it is true).
 * Undefined for any other condition.
 */
export function lengthGate(cond: Expr, ctx: readonly CtxEntry[], ev: LoopEval): { n: number; vars: string[] } | undefined {
  if (cond.t !== 'bin' || !['>', '>=', '<', '<='].includes(cond.op)) return undefined;
  const isLen = (e: Expr) => e.t === 'call' && e.fn.t === 'name' && e.fn.id === 'len' && e.args.length === 1;
  const lenLeft = (cond.op === '>' || cond.op === '>=') && isLen(cond.l);
  const lenRight = (cond.op === '<' || cond.op === '<=') && isLen(cond.r);
  if (!lenLeft && !lenRight) return undefined;
  const frame = innermostLoop(ctx);
  const T = frame?.trips;
  const grown = frame ? APPENDED.get(frame) : undefined;
  if (T === undefined || T < 2 || !grown || grown.size === 0) return undefined;
  const L = ev.value(lenLeft ? cond.l : cond.r);
  const k = ev.value(lenLeft ? cond.r : cond.l);
  if (!isNum(L) || !isNum(k) || L < 1 || L > k || ![...grown].some((l) => l.items.length === L)) return undefined;
  const strict = cond.op === '>' || cond.op === '<';
  const first = strict ? Math.floor(k / L) + 1 : Math.ceil(k / L); // the first pass (1-based) on which it holds
  const passes = T - first + 1;
  return passes > 0 && passes < T ? { n: T / passes, vars: [] } : undefined;
}
