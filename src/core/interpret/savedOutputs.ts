/**
 * A notebook's saved outputs as evidence. FlopLens never runs code, but a shared notebook carries what its last run
 * showed: a cell ending in `len(vocab)` with the result `21635`, `len(en_vocab), len(de_vocab)` → `(5893, 7853)`,
 * `x.shape` → `torch.Size([64, 3])`, or `print(f"vocab: {len(vocab)}")` with the stdout line `vocab: 21635`. Where the
 * script's own value at that point is unknown (data FlopLens does not read), the value the notebook showed is attached
 * there — to the object (`len(vocab)` later gives it), or bound to the name — so later uses (`vocab_size =
 * len(vocab)`, `nn.Embedding(len(vocab), 300)`) get it, and an info problem says where it came from. A value the script
 * determines itself is never replaced (a disagreement is said: the outputs may be stale). Matching is strict: only
 * names, attributes, constant subscripts, `len()` of them and `.shape`/`.size()`; a print is used only when exactly one
 * stdout line of its cell fits it and its captures are unambiguous.
 */
import type { Expr, Stmt } from '../parse/ast';
import { parseModule } from '../parse/ast';
import type { CellOutputs } from '../notebook';
import { MAX_OUTPUT_CHARS } from '../notebook';
import type { Loc, Problem } from '../types';
import type { Scope, SourceFile, Value } from './values';
import { isKind, isModuleValue, isNum, isObj, isTensorV, isUnknown, tensor, unknown } from './values';
import { fillFromRepr, parseModuleRepr, splitTop } from './moduleRepr';
import type { ReprNode } from './moduleRepr';

/** What a saved output showed: a number, a `torch.Size`, an HF `Dataset(... num_rows: N)`, or a tuple of those. */
export type Seen = number | { shape: number[] } | { rows: number } | { tuple: (Seen | undefined)[] };

/** The evaluator as the saved outputs need it (the Interpreter). */
export interface OutputHost {
  eval(e: Expr, scope: Scope, file: SourceFile): Value;
  assign(t: Expr, v: Value, scope: Scope, file: SourceFile): void;
  loc(file: SourceFile, span: { from: number; to: number }): Loc;
  problem(severity: Problem['severity'], code: string, message: string, loc?: Loc): void;
  call(fn: Value, pos: Value[], kw: Map<string, Value>, loc?: Loc): Value;
  readonly builtins: Scope;
  readonly problems: Problem[];
  id(): number;
}

/** Module methods that return the module itself, so a cell ending in `model.apply(init_weights)` shows the model. */
const RETURNS_SELF = new Set(['apply', 'to', 'cuda', 'cpu', 'train', 'eval', 'float', 'half', 'double', 'bfloat16', 'requires_grad_']);

/** Lengths the notebook showed for objects whose length the script cannot give (read by `len()`). */
const seenLengths = new WeakMap<object, number>();

/**
 * Attributes the notebook showed on an object FlopLens cannot model (`SRC = Field(...)` of a library it does not
 * know: `len(SRC.vocab)` printed): an unknown of its own stands for the object, and its attribute for the shown value.
 */
const seenAttrs = new WeakMap<object, Map<string, Value>>();

/** The value a notebook's saved output attached to attribute `name` of `v`, when one was. */
export function seenAttr(v: Value | undefined, name: string): Value | undefined {
  return isObj(v) ? seenAttrs.get(v)?.get(name) : undefined;
}

/** The length a notebook's saved output showed for `v`, when one was attached. */
export function seenLength(v: Value | undefined): number | undefined {
  return isObj(v) ? seenLengths.get(v) : undefined;
}

// ------------------------------------------------------------------ reading a repr

/** The value a `text/plain` repr shows, when it is one FlopLens can use; undefined otherwise. */
export function parseRepr(text: string, depth = 0): Seen | undefined {
  const t = text.trim();
  if (/^-?\d+$/.test(t)) return Number(t);
  if (/^-?\d+\.\d*(?:e[+-]?\d+)?$/i.test(t)) return Number(t);
  const size = /^torch\.Size\(\[([\d,\s]*)\]\)$/.exec(t);
  if (size) {
    const dims = size[1].split(',').map((x) => x.trim()).filter(Boolean).map(Number);
    return dims.every((d) => Number.isInteger(d) && d >= 0) ? { shape: dims } : undefined;
  }
  const rows = /^Dataset\(\{[^{}]*\bnum_rows:\s*(\d+)\s*\}\)$/.exec(t);
  if (rows) return { rows: Number(rows[1]) };
  if (depth < 2 && t.startsWith('(') && t.endsWith(')')) {
    const parts = splitTop(t.slice(1, -1));
    if (parts.length > 1 && parts[parts.length - 1].trim() === '') parts.pop();
    if (parts.length < 2 && !/,\s*\)$/.test(t)) return undefined;
    return { tuple: parts.map((p) => parseRepr(p, depth + 1)) };
  }
  return undefined;
}

// ------------------------------------------------------------------ what an expression shows

/** A short quote of the source of `e` (its positions are in `src`). */
const quote = (src: string, e: Expr) => {
  const s = src.slice(e.from, e.to).replace(/\s+/g, ' ');
  return s.length > 60 ? `${s.slice(0, 59)}…` : s;
};

/** A name, an attribute of one, or a constant subscript of one: evaluating it twice has no effect. */
function pure(e: Expr): boolean {
  if (e.t === 'name') return true;
  if (e.t === 'attr') return pure(e.obj);
  if (e.t === 'sub') return pure(e.obj) && e.index.length === 1 && (e.index[0].t === 'str' || e.index[0].t === 'num');
  return false;
}

type Target = { kind: 'len' | 'value' | 'shape'; x: Expr; text: string; xText: string };

/** What `e` shows, when it is one of the forms saved outputs are matched for. */
function targetOf(e: Expr, src: string): Target | undefined {
  const of = (kind: Target['kind'], x: Expr): Target => ({ kind, x, text: quote(src, e), xText: quote(src, x) });
  if (e.t === 'call' && e.fn.t === 'name' && e.fn.id === 'len' && e.args.length === 1 && e.args[0].kind === 'pos' && pure(e.args[0].value)) return of('len', e.args[0].value);
  if (e.t === 'attr' && e.name === 'shape' && pure(e.obj)) return of('shape', e.obj);
  if (e.t === 'call' && e.fn.t === 'attr' && e.fn.name === 'size' && e.args.length === 0 && pure(e.fn.obj)) return of('shape', e.fn.obj);
  return pure(e) ? of('value', e) : undefined;
}

// ------------------------------------------------------------------ print(...) against stdout

/** A number as print writes it (`21635`, `21,635`, `-0.5`, `1e-05`). */
const NUMBER = String.raw`-?(?:\d{1,3}(?:,\d{3})+|\d+)(?:\.\d+)?(?:[eE][+-]?\d+)?`;
/** What a captured replacement may print: a number, a `torch.Size([...])` or a tuple of integers. */
const CAPTURE = String.raw`(torch\.Size\(\[[\d,\s]*\]\)|\([\d,\s]*\)|${NUMBER})`;
const esc = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/** The replacement expressions and literal text of an f-string's source (`f"a {x:,} b"`); undefined when it cannot be read. */
function fstringPieces(src: string): (string | { expr: string; spec: string })[] | undefined {
  const m = /^[rRfF]{1,2}('''|"""|'|")([\s\S]*)\1$/.exec(src);
  if (!m || !/f/i.test(src.slice(0, 2))) return undefined;
  const body = m[2];
  const out: (string | { expr: string; spec: string })[] = [];
  let lit = '';
  for (let i = 0; i < body.length; i++) {
    const c = body[i];
    if (c === '{' && body[i + 1] === '{') { lit += '{'; i++; continue; }
    if (c === '}' && body[i + 1] === '}') { lit += '}'; i++; continue; }
    if (c === '}') return undefined;
    if (c !== '{') { lit += c; continue; }
    let depth = 0, j = i + 1, split = -1;
    for (; j < body.length; j++) {
      const d = body[j];
      if ('([{'.includes(d)) depth++;
      else if (')]'.includes(d)) depth--;
      else if (d === '}') { if (depth === 0) break; depth--; }
      else if ((d === ':' || d === '!') && depth === 0 && split < 0) split = j;
    }
    if (j >= body.length) return undefined;
    if (lit) out.push(lit);
    lit = '';
    const inner = body.slice(i + 1, j);
    const cut = split < 0 ? inner.length : split - i - 1;
    out.push({ expr: inner.slice(0, cut).replace(/=\s*$/, ''), spec: inner.slice(cut) });
    if (/=\s*$/.test(inner.slice(0, cut))) return undefined; // f"{x=}" prints the expression text too
    i = j;
  }
  if (lit) out.push(lit);
  return out;
}

/** The expression of a source fragment (an f-string's replacement, a statement's tuple), parsed on its own. */
function exprOf(src: string): Expr | undefined {
  if (src.length > 400 || /;/.test(src)) return undefined;
  const mod = parseModule(src);
  const s = mod.body[0];
  return mod.body.length === 1 && mod.problems.length === 0 && s.t === 'expr' ? s.e : undefined;
}

type Piece = string | { capture: Target } | typeof WILD;
/** A replacement whose text cannot be predicted: matches anything. */
const WILD = { wild: true } as const;

/** The pieces a `print(...)` call writes on one line, or undefined when it cannot be matched (sep=/end=/file=, a newline). */
function printPieces(call: Extract<Expr, { t: 'call' }>, text: string): Piece[] | undefined {
  if (call.args.some((a) => a.kind !== 'pos')) return undefined;
  const pieces: Piece[] = [];
  call.args.forEach((a, i) => {
    if (i > 0) pieces.push(' ');
    const e = a.value;
    if (e.t === 'str') { pieces.push(e.v); return; }
    if (e.t === 'num') { pieces.push(String(e.v)); return; }
    if (e.t === 'fstr') {
      const parts = fstringPieces(text.slice(e.from, e.to));
      if (!parts) { pieces.push(WILD); return; }
      for (const p of parts) {
        if (typeof p === 'string') { pieces.push(p); continue; }
        const src = p.expr.trim();
        const x = exprOf(src);
        const t = x && targetOf(x, src);
        // A format spec other than thousands separators or width would change the number's text: no capture.
        pieces.push(t && /^(:[<>^]?\d*[,_]?d?)?$/.test(p.spec) ? { capture: t } : WILD);
      }
      return;
    }
    const t = targetOf(e, text);
    pieces.push(t ? { capture: t } : WILD);
  });
  if (pieces.some((p) => typeof p === 'string' && p.includes('\n'))) return undefined;
  return pieces;
}

/** The captured texts of the one line of `lines` that `pieces` fits, or undefined when none or several distinct ones do. */
function matchLine(pieces: Piece[], lines: string[], budget: { lines: number }): string[] | undefined {
  if (!pieces.some((p) => typeof p === 'object' && p !== WILD)) return undefined;
  const source = (wild: string) => `^${pieces.map((p) => (typeof p === 'string' ? esc(p) : p === WILD ? wild : CAPTURE)).join('')}$`;
  const lazy = new RegExp(source('(?:.*?)'));
  const greedy = new RegExp(source('(?:.*)'));
  // The longest literal piece must be in a line the print wrote (a quick test before the expressions run).
  const lit = pieces.reduce<string>((m, p) => (typeof p === 'string' && p.length > m.length ? p : m), '');
  let found: string[] | undefined;
  budget.lines -= lines.length;
  if (budget.lines < 0) return undefined;
  for (const line of new Set(lines)) {
    if (lit && !line.includes(lit)) continue;
    const a = lazy.exec(line);
    if (!a) continue;
    const b = greedy.exec(line);
    const caps = a.slice(1);
    // Wildcards that can swallow a capture's text make the match ambiguous.
    if (!b || b.slice(1).join('\u0000') !== caps.join('\u0000')) return undefined;
    if (found && found.join('\u0000') !== caps.join('\u0000')) return undefined;
    found = caps;
  }
  return found;
}

/** The number or size a print wrote for a capture. */
function parsePrinted(s: string): Seen | undefined {
  return parseRepr(/^-?[\d,]+$/.test(s) && /\d,\d{3}(?!\d)/.test(s) ? s.replace(/,/g, '') : s);
}

// ------------------------------------------------------------------ attaching the evidence


const fmt = (n: number) => n.toLocaleString('en-US');

/** A code cell's place in the program and its saved outputs (stdout lines split on first use). */
interface Span { from: number; to: number; out: CellOutputs; lines?: string[] }

export class SavedOutputs {
  /** Program offsets where each code cell starts and ends (cells joined with a blank line, as `analyze` joins them). */
  private readonly spans: Span[] = [];
  /** Stdout lines tried against prints over the whole analysis (a notebook of long logs stays fast). */
  private readonly budget = { lines: 20_000 };
  /** The last top-level statement of each cell, once the main program's statements are known. */
  private lastOf: Map<number, Stmt> | undefined;

  constructor(cells: readonly string[], outputs: readonly CellOutputs[]) {
    let at = cells[0]?.charCodeAt(0) === 0xfeff ? -1 : 0;
    cells.forEach((c, i) => {
      const out = outputs[i];
      if (out && typeof out === 'object' && (typeof out.result === 'string' || typeof out.stdout === 'string')) {
        // Cut as readNotebook cuts them, whatever the host handed over.
        const cut = (t: unknown) => (typeof t === 'string' ? t.slice(0, MAX_OUTPUT_CHARS) : undefined);
        const own: CellOutputs = { cell: Number.isInteger(out.cell) ? out.cell : i + 1, result: cut(out.result), stdout: cut(out.stdout) };
        this.spans.push({ from: at, to: at + c.length, out: own });
      }
      at += c.length + 2;
    });
  }

  /** The cell a statement is in. */
  private cellAt(s: Stmt) {
    return this.spans.find((c) => s.from >= c.from && s.to <= c.to);
  }

  /** After the main program's top-level statement `s` ran: match it against its cell's saved outputs. */
  after(host: OutputHost, s: Stmt, body: readonly Stmt[], scope: Scope, file: SourceFile): void {
    if (s.t !== 'expr' || !this.spans.length) return;
    // Evidence is optional: a defect in matching it loses the evidence, never the rest of the program (a spent budget
    // or a stack overflow still stops the statement as anywhere else).
    try { this.match(host, s, body, scope, file); } catch (e) { if (!(e instanceof TypeError)) throw e; }
  }

  private match(host: OutputHost, s: Extract<Stmt, { t: 'expr' }>, body: readonly Stmt[], scope: Scope, file: SourceFile): void {
    const cell = this.cellAt(s);
    if (!cell) return;
    if (!this.lastOf) {
      this.lastOf = new Map();
      for (const t of body) { const c = this.cellAt(t); if (c) this.lastOf.set(c.from, t); }
    }
    const e = s.e;
    if (e.t === 'call' && e.fn.t === 'name' && e.fn.id === 'print') {
      if (!cell.out.stdout || this.budget.lines <= 0) return;
      // print(model): the cell's whole stdout is the model's printout.
      const printed = e.args.length === 1 && e.args[0].kind === 'pos' && pure(e.args[0].value) ? parseModuleRepr(cell.out.stdout ?? '') : undefined;
      if (printed) { this.moduleShown(host, e.args[0].value, printed, cell.out.cell, s, scope, file); return; }
      const pieces = printPieces(e, file.text);
      const caps = pieces && matchLine(pieces, this.linesFor(pieces, s, body, cell), this.budget);
      if (!pieces || !caps) return;
      const targets = pieces.filter((p): p is { capture: Target } => typeof p === 'object' && 'capture' in p);
      targets.forEach((p, i) => { const seen = parsePrinted(caps[i]); if (seen !== undefined) this.bind(host, p.capture, seen, cell.out.cell, 'printed', s, body, scope, file); });
      return;
    }
    // The last statement's value is the execute_result, unless a semicolon hides it.
    if (this.lastOf.get(cell.from) !== s || typeof cell.out.result !== 'string' || /;\s*(#.*)?$/.test(file.text.slice(s.from, cell.to).split('\n')[0])) return;
    const tree = parseModuleRepr(cell.out.result);
    const shown = e.t === 'call' && e.fn.t === 'attr' && RETURNS_SELF.has(e.fn.name) && pure(e.fn.obj) ? e.fn.obj : pure(e) ? e : undefined;
    if (tree) { if (shown && e.to === s.to) this.moduleShown(host, shown, tree, cell.out.cell, s, scope, file); return; }
    const seen = parseRepr(cell.out.result);
    if (seen === undefined) return;
    // `len(a), len(b)`: the statement is a tuple (the parser keeps its first item as the statement's expression).
    const whole = e.to < s.to ? `(${file.text.slice(s.from, s.to)})` : undefined;
    const tuple = whole !== undefined ? exprOf(whole) : e;
    if (tuple?.t === 'seq' && tuple.kind === 'tuple') {
      if (typeof seen !== 'object' || !('tuple' in seen) || seen.tuple.length !== tuple.items.length) return;
      tuple.items.forEach((x, i) => { const t = targetOf(x, whole ?? file.text); const v = seen.tuple[i]; if (t && v !== undefined) this.bind(host, t, v, cell.out.cell, 'result', s, body, scope, file); });
      return;
    }
    if (whole !== undefined) return;
    const t = targetOf(e, file.text);
    if (t) this.bind(host, t, seen, cell.out.cell, 'result', s, body, scope, file);
  }

  /**
   * The stdout lines a print may have written. A print with words of its own (`"vocab size:"`) is matched against every
   * line of its cell; one that prints bare values (`print(n)`, `print(a, b)`) only against the line at its own
   * position, and only when the cell's top-level prints and its lines pair one to one (`print(itos)` then
   * `print(vocab_size)` must not read the second line as `itos`).
   */
  private linesFor(pieces: Piece[], s: Stmt, body: readonly Stmt[], cell: Span): string[] {
    // A print's line is the text after the last carriage return (a progress bar rewrites its line); split when needed.
    cell.lines ??= (cell.out.stdout ?? '').split('\n').map((l) => l.slice(l.lastIndexOf('\r') + 1));
    if (pieces.some((p) => typeof p === 'string' && /[^\s\d.,:;=()[\]{}-]/.test(p))) return cell.lines;
    const prints = body.filter((t) => t.from >= cell.from && t.to <= cell.to && t.t === 'expr' && t.e.t === 'call' && t.e.fn.t === 'name' && t.e.fn.id === 'print');
    const lines = cell.lines.slice();
    while (lines.length && lines[lines.length - 1] === '') lines.pop();
    const k = prints.indexOf(s);
    return k >= 0 && prints.length === lines.length ? [lines[k]] : [];
  }

  /** Attach what the notebook showed for `t` where the script's own value is unknown; say where it came from. */
  private bind(host: OutputHost, t: Target, seen: Seen, cell: number, how: 'result' | 'printed', s: Stmt, body: readonly Stmt[], scope: Scope, file: SourceFile): void {
    const loc = host.loc(file, s);
    const what = t.text;
    const from = `the notebook's saved output of cell ${cell} (${how === 'result' ? 'its value' : 'printed'})`;
    const stale = (own: string, shown: string) => host.problem('info', 'notebook-output', `${what}: ${from} shows ${shown}, but the script gives ${own}; FlopLens keeps the script's value (the output may be from an older run).`, loc);
    const used = (shown: string) => host.problem('info', 'notebook-output', `${what} = ${shown} from ${from}: FlopLens reads no data, so it uses the value the notebook's last run showed.`, loc);
    let v: Value;
    try { v = host.eval(t.x, scope, file); } catch { return; }
    if (t.kind === 'len' || (t.kind === 'value' && typeof seen === 'object' && 'rows' in seen)) {
      const n = typeof seen === 'number' ? seen : typeof seen === 'object' && 'rows' in seen ? seen.rows : undefined;
      if (n === undefined || !Number.isInteger(n) || n < 0) return;
      // A scalar has no len(): a number there is a stated default standing for the object (`vocab` taken as a
      // vocabulary size), not the script's own value.
      const scalar = !isObj(v) && typeof v !== 'string';
      // (An unknown's len() would be a stated data default: only a length an output already gave it counts.)
      const own = isUnknown(v) ? seenLength(v) : scalar ? undefined : host.call(host.builtins.get('len') ?? null, [v], new Map(), loc);
      if (isNum(own)) { if (own !== n) stale(fmt(own), fmt(n)); return; }
      const target = isUnknown(v) || scalar ? this.fresh(host, t, v, scope, file) : v;
      if (!isObj(target)) return;
      seenLengths.set(target, n);
      // A dataset object of unknown size: the loaders over it now count their batches.
      if (isKind(target, 'obj') && target.type === 'dataset' && !isNum(target.attrs.get('size'))) target.attrs.set('size', n);
      used(fmt(n));
      return;
    }
    if (t.kind === 'value' && typeof seen === 'number') {
      const defaulted = isNum(v) && this.dropDefault(host, t.x, s, body, file);
      if (isNum(v) && !defaulted) { if (v !== seen) stale(fmt(v), fmt(seen)); return; }
      if (!isUnknown(v) && !defaulted) return;
      host.assign(t.x, seen, scope, file);
      if (host.eval(t.x, scope, file) === seen) used(fmt(seen));
      return;
    }
    if (t.kind === 'shape' && typeof seen === 'object' && 'shape' in seen) {
      const shown = `[${seen.shape.join(', ')}]`;
      if (isTensorV(v) && !v.guessed) { if (v.shape.join() !== seen.shape.join()) stale(`[${v.shape.join(', ')}]`, shown); return; }
      if (!isUnknown(v)) return;
      const x = tensor(seen.shape);
      host.assign(t.x, x, scope, file);
      if (host.eval(t.x, scope, file) === x) used(shown);
    }
  }

  /** A model's printout (`Module.__repr__`): the layer arguments FlopLens could not evaluate, from it. */
  private moduleShown(host: OutputHost, x: Expr, tree: ReprNode, cell: number, s: Stmt, scope: Scope, file: SourceFile): void {
    let v: Value;
    try { v = host.eval(x, scope, file); } catch { return; }
    if (!isModuleValue(v)) return;
    // Sizes FlopLens stated for data it does not read (`assuming 256 bytes`): not the script's own values.
    const isDefault = (p: Problem) => p.code === 'data-vocab' || p.code === 'data-seq';
    const stated = (p: Problem) => Number(/assuming\D{0,40}?([\d,]+)/.exec(p.message)?.[1]?.replace(/,/g, '') ?? NaN);
    const defaults = new Set(host.problems.filter(isDefault).map(stated).filter((n) => Number.isInteger(n) && n > 0));
    const { filled, disagreed, replaced } = fillFromRepr(v, tree, () => host.id(), defaults);
    // A default the printout replaced is no longer stated.
    for (let i = host.problems.length - 1; i >= 0; i--) if (isDefault(host.problems[i]) && replaced.has(stated(host.problems[i]))) host.problems.splice(i, 1);
    const name = file.text.slice(x.from, x.to);
    const loc = host.loc(file, s);
    const list = (xs: string[]) => (xs.length > 6 ? `${xs.slice(0, 6).join('; ')}; and ${xs.length - 6} more` : xs.join('; '));
    if (filled.length) host.problem('info', 'notebook-output', `${name}: the model's printout in the notebook's saved output of cell ${cell} gives the layer arguments FlopLens could not evaluate (data it does not read): ${list(filled)}.`, loc);
    if (disagreed.length) host.problem('info', 'notebook-output', `${name}: the model's printout in the notebook's saved output of cell ${cell} disagrees with the script for ${list(disagreed)}; FlopLens keeps the script's values (the output may be from an older run).`, loc);
  }

  /**
   * Puts `own` where `x` lives, not through an assignment (which would apply a name's stated default again): a name
   * in this scope, an attribute of an object, a key of a dict, or an attribute of an unknown object (which gets an
   * unknown of its own first: the shared unknown must carry nothing). False when there is no such place.
   */
  private place(host: OutputHost, x: Expr, own: Value, scope: Scope, file: SourceFile, depth = 0): boolean {
    if (x.t === 'name') { scope.set(x.id, own); return true; }
    if (depth > 4 || (x.t !== 'attr' && x.t !== 'sub')) return false;
    let base = host.eval(x.obj, scope, file);
    if (x.t === 'sub') {
      const k = x.index[0];
      if (!isKind(base, 'dict') || (k.t !== 'str' && k.t !== 'num')) return false;
      base.map.set(k.v, own);
      return true;
    }
    if (isKind(base, 'inst') || isKind(base, 'obj')) { base.attrs.set(x.name, own); return true; }
    if (!isUnknown(base)) return false;
    if (!seenAttrs.has(base)) {
      const stand = unknown(base.why || 'an object FlopLens does not model');
      if (!this.place(host, x.obj, stand, scope, file, depth + 1) || host.eval(x.obj, scope, file) !== stand) return false;
      seenAttrs.set(stand, new Map());
      base = stand;
    }
    seenAttrs.get(base)?.set(x.name, own);
    return true;
  }

  /**
   * Whether the number a name holds is a stated data default (a vocabulary or sequence length FlopLens assumed where
   * the script counts data): its last top-level assignment before `s` is where a `data-vocab`/`data-seq` default was
   * stated. Those statements are dropped: the notebook's value replaces them.
   */
  private dropDefault(host: OutputHost, x: Expr, s: Stmt, body: readonly Stmt[], file: SourceFile): boolean {
    if (x.t !== 'name') return false;
    let at: Stmt | undefined;
    for (const b of body) if (b.from < s.from && b.t === 'assign' && b.targets.some((e) => e.t === 'name' && e.id === x.id)) at = b;
    if (!at) return false;
    const line = host.loc(file, at).line;
    const isDefault = (p: Problem) => (p.code === 'data-vocab' || p.code === 'data-seq') && p.loc?.line === line && !p.loc.file;
    if (!host.problems.some(isDefault)) return false;
    for (let i = host.problems.length - 1; i >= 0; i--) if (isDefault(host.problems[i])) host.problems.splice(i, 1);
    return true;
  }

  /** An unknown value of its own for `x` (the shared unknown cannot carry a length), bound where `x` was. */
  private fresh(host: OutputHost, t: Target, v: Value, scope: Scope, file: SourceFile): Value | undefined {
    const x = t.x;
    const own = unknown((isKind(v, 'unknown') && v.why) || 'data FlopLens does not read');
    if (!this.place(host, x, own, scope, file) || host.eval(x, scope, file) !== own) return undefined;
    // A data default stated for this name before the notebook showed its size no longer applies.
    const name = t.xText;
    for (let i = host.problems.length - 1; i >= 0; i--) if (host.problems[i].code === 'data-vocab' && host.problems[i].message.startsWith(`${name}: `)) host.problems.splice(i, 1);
    return own;
  }
}
