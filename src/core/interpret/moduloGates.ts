/**
 * Branches of a run loop taken once every N passes: `if step % N == 0:` (or `not step % N`), also through a flag the
 * loop set just before (`is_accumulating = iter_num % accum != 0` … `if not is_accumulating: optimizer.step()`, the
 * gradient accumulation of litgpt and Lightning Fabric loops). Pure functions over the syntax; the evaluator supplies
 * values.
 */
import type { Expr } from '../parse/ast';
import { namesIn } from './loopBounds';
import { isNum } from './values';
import type { Scope, Value } from './values';

/** Flags a scope bound to a modulo test, by name: the test as written. */
const FLAGS = new WeakMap<Scope, Map<string, Expr>>();

const isModTest = (e: Expr): boolean =>
  e.t === 'bin' && (e.op === '==' || e.op === '!=') && ((e.l.t === 'bin' && e.l.op === '%') || (e.r.t === 'bin' && e.r.op === '%'));

/** `name = <x % n == 0 or != 0>`: remembered for a later `if name:` / `if not name:`; any other value forgets it. */
export function noteFlag(scope: Scope, targets: Expr[], value: Expr): void {
  for (const t of targets) {
    if (t.t !== 'name') continue;
    const flags = FLAGS.get(scope) ?? new Map<string, Expr>();
    FLAGS.set(scope, flags);
    if (isModTest(value)) flags.set(t.id, value); else flags.delete(t.id);
  }
}

/** The modulo test a condition reads through a flag, as a condition true once every N passes (`x % n == 0`). */
function throughFlag(cond: Expr, scope: Scope): Expr | undefined {
  const negated = cond.t === 'unary' && cond.op === 'not';
  const name = negated ? cond.e : cond;
  const test = name.t === 'name' ? FLAGS.get(scope)?.get(name.id) : undefined;
  if (!test || test.t !== 'bin') return undefined;
  // `not (x % n != 0)` and `x % n == 0` run once every n passes; the other two run on the rest.
  return (test.op === '!=') === negated ? { ...test, op: '==' } : undefined;
}

/**
 * N when the condition is `expr % N == 0` (or `not expr % N`, possibly inside `and`/`or`, or through a flag), with the
 * names the counted expression reads (`(i + 1) % accum`: i).
 */
export function moduloCondition(cond: Expr, scope: Scope, value: (e: Expr) => Value): { n: number; vars: string[] } | undefined {
  // `i % n == 0 and …` and `i % n == 0 or i == last` both run about once every n iterations.
  if (cond.t === 'bin' && (cond.op === 'and' || cond.op === 'or')) return moduloCondition(cond.l, scope, value) ?? moduloCondition(cond.r, scope, value);
  const c = throughFlag(cond, scope) ?? cond;
  const side = c.t === 'bin' && c.op === '=='
    ? (c.l.t === 'bin' && c.l.op === '%' ? c.l : c.r.t === 'bin' && c.r.op === '%' ? c.r : undefined)
    : c.t === 'unary' && c.op === 'not' && c.e.t === 'bin' && c.e.op === '%' ? c.e : undefined;
  if (side && side.t === 'bin') {
    const n = value(side.r);
    if (isNum(n) && n > 1 && Number.isSafeInteger(n)) return { n, vars: namesIn(side.l) };
  }
  return undefined;
}
