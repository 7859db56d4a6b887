/**
 * Lists filled from data: `for i in range(0, len(token_ids) - L, L): self.x.append(...)` over a text FlopLens does not
 * read. The loop is walked once, so the list holds one item, but its length is not 1: it is unknown, and `len()` says so
 * (a Dataset whose `__len__` is such a length is of unknown size, and the steps become a stated assumption).
 */
import type { CompClause, Expr, Stmt } from '../parse/ast';
import type { Loc } from '../types';
import type { ListValue, Scope, Value } from './values';
import { stateLength, statedLength } from './lib/folders';

const unsized = new WeakSet<object>();

export function markUnsized(v: unknown): void { if (v && typeof v === 'object') unsized.add(v); }
export function isUnsized(v: unknown): boolean { return !!v && typeof v === 'object' && unsized.has(v); }
/**
 * `[(img, label) for img, label in cifar10 if label in [0, 2]]`: a comprehension that filters a long iterable (a
 * dataset, a loader) keeps an unknown number of its items. The one item evaluated stands for each (its shape is what a
 * loop over the list or a DataLoader of it yields); its length is data (unknown, never 1 or the iterable's).
 */
export function filteredList(items: Value[]): ListValue {
  const l: ListValue = { kind: 'list', items: items.slice(0, 1) };
  markUnsized(l);
  return l;
}

/**
 * `[(img, label) for img, label in cifar10 if label in [0, 2]]` (or `if label == 3`) over a catalog dataset of C
 * classes: the samples of k of them, N·k/C taken as balanced classes (CIFAR's are; MNIST's within a few percent),
 * said in an info problem. Undefined for any other filter (its length stays data: `filteredList`).
 */
export function classSubsetLength(cl: CompClause, iterV: Value, cx: { problem(severity: 'info', code: string, message: string, loc?: Loc): void }, loc?: Loc): number | undefined {
  if (cl.ifs.length !== 1 || !iterV || typeof iterV !== 'object' || iterV.kind !== 'obj' || iterV.type !== 'dataset') return undefined;
  const size = iterV.attrs.get('size'), classes = iterV.attrs.get('classes');
  const t = cl.target, c = cl.ifs[0];
  const label = t.t === 'seq' && t.items.length === 2 && t.items[1].t === 'name' ? t.items[1].id : undefined;
  if (typeof size !== 'number' || typeof classes !== 'number' || !label || c.t !== 'bin' || c.l.t !== 'name' || c.l.id !== label) return undefined;
  const ids = c.op === '==' ? [c.r] : c.op === 'in' && c.r.t === 'seq' ? c.r.items : [];
  if (!ids.length || !ids.every((x) => x.t === 'num' && x.int && x.v >= 0 && x.v < classes)) return undefined;
  const k = new Set(ids.map((x) => (x as { v: number }).v)).size;
  const n = Math.round((size * k) / classes);
  cx.problem('info', 'dataset', `A filter keeping ${k} of the ${classes} classes of ${String(iterV.attrs.get('name') ?? 'the dataset')}: ${n.toLocaleString('en-US')} of its ${size.toLocaleString('en-US')} samples, taking the classes as balanced. Add \`# floplens: dataset_size=N\` to set it.`, loc);
  return n;
}

/** `v` (a part of `from`: a slice), data-many when `from` is. */
export function unsizedLike<T>(from: unknown, v: T): T { if (isUnsized(from)) markUnsized(v); return v; }

/** Receivers of `.append(…)` / `.extend(…)` / `.insert(…)` calls in a loop body (nested loops and blocks included, not defs). */
export function appendTargets(body: Stmt[]): Expr[] {
  const out: Expr[] = [];
  const visit = (e: unknown): void => {
    if (Array.isArray(e)) { e.forEach(visit); return; }
    if (!e || typeof e !== 'object') return;
    const o = e as Record<string, unknown> & { t?: string };
    if (o.t === 'def' || o.t === 'class' || o.t === 'lambda') return;
    if (o.t === 'call') {
      const fn = o.fn as Expr;
      if (fn.t === 'attr' && (fn.name === 'append' || fn.name === 'extend' || fn.name === 'insert')) out.push(fn.obj);
    }
    for (const k of Object.keys(o)) if (k !== 'loc') visit(o[k]);
  };
  visit(body);
  return out;
}

const lengthOf = (l: ListValue): number => statedLength(l) ?? l.items.length;

/**
 * The lists among `targets` (a loop body's append receivers, before it is walked) and those the loop can reach through
 * `scope` (its variables and their objects' attributes: `model.put_data(t)` appends to `self.data`), with their
 * lengths then.
 */
export function listLengths(targets: Value[], scope?: Scope): Map<ListValue, number> {
  const out = new Map<ListValue, number>();
  const add = (t: Value | undefined) => { if (t && typeof t === 'object' && t.kind === 'list' && !isUnsized(t)) out.set(t, lengthOf(t)); };
  targets.forEach(add);
  // Objects reachable from the loop's variables, a few attributes deep (`self.dictionary.add_word(w)` appends to
  // `self.dictionary.idx2word`), each visited once.
  const seen = new Set<object>();
  const walk = (v: Value | undefined, depth: number): void => {
    add(v);
    if (depth === 0 || !v || typeof v !== 'object' || (v.kind !== 'inst' && v.kind !== 'obj') || seen.has(v)) return;
    seen.add(v);
    for (const a of v.attrs.values()) walk(a, depth - 1);
  };
  for (let s = scope; s; s = s.parent) for (const v of s.vars.values()) walk(v, 3);
  return out;
}

/**
 * After a loop walked once for its `trips` passes: a list that existed before it and grew by k items in the one pass
 * has k per pass (`for t in range(T): s_lst.append(s)` holds T states, so `torch.tensor(s_lst)` is [T, …]); with the
 * passes unknown, what the body appended has an unknown length (`after`: the receivers once walked).
 */
export function sizeAppended(before: Map<ListValue, number>, after: Value[], trips: number | undefined, rows?: { total: number; batch: number }): void {
  if (trips === undefined) {
    // Passes unknown: what the body appended to, directly or through a method it called, holds data-many items.
    for (const t of after) markUnsized(t);
    for (const [l, n] of before) if (lengthOf(l) > n) { markUnsized(l); if (rows && n === 0) loaderRows.set(l, rows); }
    return;
  }
  for (const [l, n] of before) {
    const grown = lengthOf(l) - n;
    if (grown > 0 && trips > 1 && Number.isFinite(trips)) stateLength(l, n + grown * trips);
    if (grown === 1 && n === 0 && rows && trips > 1) loaderRows.set(l, rows);
  }
}

/** Lists of one item per batch of a DataLoader (`feats.append(model(x))` over its batches), or per line of a catalog corpus, with its rows. */
const loaderRows = new WeakMap<object, { total: number; batch: number }>();

/**
 * The rows of the last item of a list appended once per batch of a DataLoader without drop_last, when its items hold
 * one row per sample (dim 0 is the batch): the samples left for the last batch (5,000 STL-10 images in batches of 64:
 * 78 of 64 and one of 8, so `torch.cat(feats)` is [5000, …]). Undefined otherwise.
 */
/** The rows all the items of such a list hold together (a catalog corpus's tokens, whatever each line holds). */
export const rowsTotal = (l: ListValue): number | undefined => loaderRows.get(l)?.total;

export function lastBatchRows(l: ListValue, n: number, firstDim: number | undefined): number | undefined {
  const r = loaderRows.get(l);
  if (!r || firstDim !== r.batch || n !== Math.ceil(r.total / r.batch)) return undefined;
  return r.total - (n - 1) * r.batch;
}
