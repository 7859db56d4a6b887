/**
 * How many passes a run loop makes, from its counter and its exits: `while i < N`, `while True: … if i >= N: break`,
 * and `for i in range(N + 1): if i == N: break`. Pure functions over the loop's statements; the evaluator supplies
 * values through `LoopEval`.
 */
import type { Expr, Stmt } from '../parse/ast';
import type { RangeValue, Scope, Value } from './values';
import { isNum, rangeLen, truthy } from './values';
import type { CtxEntry, LoopFrame } from './recorder';
import type { Loc } from '../types';

/** What the bounds need of the evaluator. */
export interface LoopEval {
  /** The value of an expression in the loop's scope. */
  value(e: Expr): Value;
  /** Passes of a `for` loop's iterable, when known. */
  trips(iter: Expr): number | undefined;
  /** A statement's source text. */
  text(s: Stmt): string;
}

/** A `break` that leaves this loop: in its body, branches, `with` and `try` blocks, not in nested loops. */
export function hasBreak(body: Stmt[]): boolean {
  return body.some((s) => {
    switch (s.t) {
      case 'simple': return s.kind === 'break';
      case 'if': return s.branches.some((b) => hasBreak(b.body)) || hasBreak(s.orelse);
      case 'with': return hasBreak(s.body);
      case 'try': return hasBreak(s.body) || s.handlers.some(hasBreak) || hasBreak(s.orelse) || hasBreak(s.finally);
      default: return false;
    }
  });
}

/** Iterations of `while i < N: … i += k` or `while True: … if i >= N: break … i += k`. */
export function whileTrips(s: Extract<Stmt, { t: 'while' }>, ev: LoopEval, scope?: Scope): { n: number; note: string } | undefined {
  // Counters by name or attribute path (`step`, `self.iter_num`), keyed by their source text.
  const incs = new Map<string, number>();
  // … or by a constant key of a mapping (`state["iter_num"]`).
  const key = (e: Expr): string | undefined => (e.t === 'name' ? e.id : e.t === 'attr' ? (() => { const o = key(e.obj); return o && `${o}.${e.name}`; })()
    : e.t === 'sub' && e.index.length === 1 && (e.index[0].t === 'str' || e.index[0].t === 'num') ? (() => { const o = key(e.obj); return o && `${o}[${JSON.stringify((e.index[0] as { v: string | number }).v)}]`; })() : undefined);
  // A counter raised inside an inner loop (`while True: for batch in loader: … step += 1`) grows by that loop's passes per pass.
  const scan = (body: Stmt[], mult: number) => {
    for (const st of body) {
      const k0 = st.t === 'aug' && st.op === '+' ? key(st.target) : undefined;
      if (st.t === 'aug' && k0) {
        const k = ev.value(st.value);
        if (isNum(k) && k > 0) incs.set(k0, k * mult);
      } else if (st.t === 'with') scan(st.body, mult);
      else if (st.t === 'if' && st.branches.length === 1) {
        // Gradient accumulation: `if (n + 1) % accum == 0: … step += 1` raises the counter once every `accum` passes.
        const c = st.branches[0].cond;
        const k = c.t === 'bin' && c.op === '==' && c.l.t === 'bin' && c.l.op === '%' && isNum(ev.value(c.r)) && ev.value(c.r) === 0 ? ev.value(c.l.r) : undefined;
        if (isNum(k) && k >= 1) scan(st.branches[0].body, mult / k);
      } else if (st.t === 'for') {
        const n = ev.trips(st.iter);
        if (n !== undefined && n > 0) scan(st.body, mult * n);
      }
    }
  };
  scan(s.body, 1);
  const bound = (cond: Expr, negate: boolean): { n: number; note: string } | undefined => {
    // `max_iters is not None and self.iter_num >= max_iters`: the side that bounds the counter.
    // A side that reads no counter and is known false (`iter_num == 0 and eval_only` with eval_only False) means the
    // exit never fires: it bounds nothing.
    if (cond.t === 'bin' && cond.op === 'and') {
      const never = (e: Expr) => ![...namesRead(e)].some((n) => [...incs.keys()].some((k) => k.split('.')[0] === n)) && truthy(ev.value(e)) === false;
      if (negate && (never(cond.l) || never(cond.r))) return undefined;
      return bound(cond.l, negate) ?? bound(cond.r, negate);
    }
    const v = cond.t === 'bin' ? key(cond.l) : undefined;
    if (cond.t !== 'bin' || !v) return undefined;
    const inc = incs.get(v);
    const start = cond.l.t === 'name' && scope ? scope.get(v) : ev.value(cond.l);
    const lim = ev.value(cond.r);
    if (!inc || !isNum(start) || !isNum(lim)) return undefined;
    const op = negate ? ({ '>=': '<', '>': '<=', '==': '<' } as Record<string, string>)[cond.op] : cond.op;
    if (op === '<') return { n: Math.max(0, Math.ceil((lim - start) / inc)), note: `while ${v} < ${lim}` };
    if (op === '<=') return { n: Math.max(0, Math.floor((lim - start) / inc) + 1), note: `while ${v} <= ${lim}` };
    return undefined;
  };
  const direct = bound(s.cond, false);
  if (direct) return direct;
  // `if i >= N: break` in the loop's own body, or `if i >= N: return` in an inner loop.
  const walk = (body: Stmt[], inner = false): { n: number; note: string } | undefined => {
    for (const st of body) {
      if (st.t === 'for' || st.t === 'with') { const b = walk(st.body, inner || st.t === 'for'); if (b) return b; }
      if (st.t === 'if') {
        for (const br of st.branches) {
          if (br.body.some((x) => x.t === 'return' || (!inner && x.t === 'simple' && x.kind === 'break'))) {
            const conds = br.cond.t === 'bin' && br.cond.op === 'or' ? [br.cond.l, br.cond.r] : [br.cond];
            for (const c of conds) {
              const b = bound(c, true);
              if (b) return b;
            }
          }
        }
      }
    }
    return undefined;
  };
  return walk(s.body);
}

/** The training work of a loop body, by what it calls. */
const WORK = /\.(backward|step)\s*\(|\bgenerate\s*\(/;

/**
 * Passes of `for i in range(…)` that do work when the body leaves at `if i == N: break` (or `>=`, `>`): nanoGPT-style
 * `for it in range(max_iters + 1)` whose last pass only evaluates. A break before the training work ends the loop at
 * the k-th pass (k passes of work); one after it does the work once more (k + 1). Undefined when no such exit is found
 * or it lies outside the range.
 */
export function rangeBreakTrips(s: Extract<Stmt, { t: 'for' }>, r: RangeValue, ev: LoopEval): { n: number; note: string } | undefined {
  if (s.target.t !== 'name' || r.step <= 0) return undefined;
  const v = s.target.id;
  const len = rangeLen(r);
  for (let j = 0; j < s.body.length; j++) {
    const st = s.body[j];
    if (st.t !== 'if' || st.branches.length !== 1 || st.orelse.length) continue;
    const br = st.branches[0];
    if (!br.body.some((x) => x.t === 'simple' && x.kind === 'break')) continue;
    const c = flagValue(br.cond, s.body.slice(0, j));
    if (c.t !== 'bin' || c.l.t !== 'name' || c.l.id !== v) continue;
    const lim = ev.value(c.r);
    if (!isNum(lim)) continue;
    const rel = (lim - r.start) / r.step;
    const k = c.op === '==' ? (Number.isInteger(rel) ? rel : undefined)
      : c.op === '>=' ? Math.max(0, Math.ceil(rel))
        : c.op === '>' ? Math.max(0, Math.floor(rel) + 1) : undefined;
    if (k === undefined || k < 0 || k >= len) continue;
    const workBefore = s.body.slice(0, j).some((x) => doesWork(x, ev));
    const n = workBefore ? k + 1 : k;
    return { n, note: `for ${v} in range(${r.stop}), leaving at \`if ${v} ${c.op} ${lim}: break\` ${workBefore ? 'after' : 'before'} the step: ${n.toLocaleString('en-US')} passes` };
  }
  return undefined;
}

/** A statement does training work, leaving out `if` branches known not to run (`if args.sample_every > 0 and …:`). */
function doesWork(st: Stmt, ev: LoopEval): boolean {
  if (st.t !== 'if') return WORK.test(ev.text(st));
  const live = st.branches.filter((b) => truthy(ev.value(b.cond)) !== false);
  return live.some((b) => b.body.some((x) => doesWork(x, ev))) || st.orelse.some((x) => doesWork(x, ev));
}

/** A flag named in a condition, by the comparison it was last assigned before it (`last_step = (step == N)`). */
function flagValue(cond: Expr, before: Stmt[]): Expr {
  if (cond.t !== 'name') return cond;
  for (let i = before.length - 1; i >= 0; i--) {
    const st = before[i];
    if (st.t === 'assign' && st.targets.length === 1 && st.targets[0].t === 'name' && st.targets[0].id === cond.id) return st.value ?? cond;
  }
  return cond;
}

/** Names an expression reads, at any depth (`range(cfg.steps[n])`: range, cfg, n). */
export function namesRead(e: unknown, out = new Set<string>()): Set<string> {
  if (Array.isArray(e)) for (const x of e) namesRead(x, out);
  else if (e && typeof e === 'object') {
    const o = e as Record<string, unknown>;
    if (o.t === 'name' && typeof o.id === 'string') out.add(o.id);
    for (const k of Object.keys(o)) if (k !== 'loc' && k !== 'body') namesRead(o[k], out);
  }
  return out;
}

/**
 * Inner `for` loops of a loop body (directly, or in its `with` and `if` blocks) whose iterable reads one of the outer
 * loop's names: `for stage, n in enumerate([10, 20]): for i in range(n)` passes 10 then 20 times.
 */
export function dependentInnerFors(body: Stmt[], vars: string[]): Extract<Stmt, { t: 'for' }>[] {
  const out: Extract<Stmt, { t: 'for' }>[] = [];
  for (const st of body) {
    if (st.t === 'for') { const names = namesRead(st.iter); if (vars.some((v) => names.has(v))) out.push(st); }
    else if (st.t === 'with') out.push(...dependentInnerFors(st.body, vars));
    else if (st.t === 'if') { for (const b of st.branches) out.push(...dependentInnerFors(b.body, vars)); out.push(...dependentInnerFors(st.orelse, vars)); }
  }
  return out;
}

/** Plain names an expression reads (`(i + 1)`: i; `i, (x, y)`: i, x, y). */
export function namesIn(e: Expr): string[] {
  switch (e.t) {
    case 'name': return [e.id];
    case 'bin': return [...namesIn(e.l), ...namesIn(e.r)];
    case 'unary': case 'star': return namesIn(e.e);
    case 'seq': return e.items.flatMap(namesIn);
    default: return [];
  }
}

/** The loop frames recorded for the loop statement at `at` (ops and events recorded since it ran). */
export function framesAt(records: { ctx: CtxEntry[] }[], at: Loc): Set<LoopFrame> {
  const out = new Set<LoopFrame>();
  for (const r of records) for (const e of r.ctx) if (e.type === 'loop' && e.frame.loc?.from === at.from && e.frame.loc.file === at.file) out.add(e.frame);
  return out;
}
