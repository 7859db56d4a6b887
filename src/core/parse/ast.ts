/**
 * A compact Python AST built from the @lezer/python syntax tree. Lezer is error-tolerant; error
 * nodes become `err` expressions or are skipped, so a half-typed file still yields a usable tree.
 * Locations are offsets into the source text; `locate()` turns them into lines and columns.
 */
import { overNested, blank, MAX_BRACKET_DEPTH } from './nesting';
import { decodeEscapes, literalPrefix, stringLiteralValue } from './stringLiterals';
import { parser } from '@lezer/python';
import { TreeFragment } from '@lezer/common';
import type { SyntaxNode, Tree } from '@lezer/common';
import type { Loc, Problem } from '../types';

export interface Span { from: number; to: number }

export type Expr =
  | ({ t: 'num'; v: number; int: boolean } & Span)
  | ({ t: 'str'; v: string } & Span)
  | ({ t: 'const'; v: boolean | null | 'ellipsis' } & Span)
  | ({ t: 'name'; id: string } & Span)
  | ({ t: 'attr'; obj: Expr; name: string } & Span)
  | ({ t: 'sub'; obj: Expr; index: Expr[] } & Span)
  | ({ t: 'slice'; lo?: Expr; hi?: Expr; step?: Expr } & Span)
  | ({ t: 'call'; fn: Expr; args: CallArg[] } & Span)
  | ({ t: 'bin'; op: string; l: Expr; r: Expr } & Span)
  | ({ t: 'unary'; op: string; e: Expr } & Span)
  | ({ t: 'seq'; kind: 'tuple' | 'list' | 'set'; items: Expr[] } & Span)
  | ({ t: 'star'; e: Expr } & Span)
  | ({ t: 'dict'; items: ({ k: Expr; v: Expr } | { spread: Expr })[] } & Span)
  | ({ t: 'comp'; kind: 'list' | 'gen' | 'set' | 'dict'; elt: Expr; val?: Expr; clauses: CompClause[] } & Span)
  | ({ t: 'lambda'; params: Param[]; body: Expr } & Span)
  | ({ t: 'ifexp'; cond: Expr; a: Expr; b: Expr } & Span)
  /** An f-string: its literal pieces and replacement expressions in order; `parts` absent when a piece cannot be read (a format spec, a conversion). */
  | ({ t: 'fstr'; parts?: (string | Expr)[] } & Span)
  | ({ t: 'err' } & Span);

export interface CompClause { target: Expr; iter: Expr; ifs: Expr[] }

export interface CallArg { kind: 'pos' | 'kw' | 'star' | 'dstar'; name?: string; value: Expr }

export interface Param { name: string; kind: 'normal' | 'star' | 'dstar' | 'kwonly'; default?: Expr }

export type Stmt =
  | ({ t: 'expr'; e: Expr } & Span)
  | ({ t: 'assign'; targets: Expr[]; value?: Expr; annotation?: Expr } & Span)
  | ({ t: 'aug'; target: Expr; op: string; value: Expr } & Span)
  | ({ t: 'if'; branches: { cond: Expr; body: Stmt[] }[]; orelse: Stmt[] } & Span)
  | ({ t: 'for'; target: Expr; iter: Expr; body: Stmt[]; orelse: Stmt[] } & Span)
  | ({ t: 'while'; cond: Expr; body: Stmt[] } & Span)
  | ({ t: 'def'; name: string; params: Param[]; body: Stmt[]; decorators: Expr[]; nameSpan: Span } & Span)
  | ({ t: 'class'; name: string; bases: CallArg[]; body: Stmt[]; decorators: Expr[]; nameSpan: Span } & Span)
  | ({ t: 'return'; e?: Expr } & Span)
  /** `yield x` (e: x) or `yield from it` (delegate). */
  | ({ t: 'yield'; e?: Expr; delegate: boolean } & Span)
  | ({ t: 'import'; names: { module: string; as?: string }[] } & Span)
  | ({ t: 'from'; module: string; level: number; names: { name: string; as?: string }[] } & Span)
  | ({ t: 'with'; items: { e: Expr; as?: Expr }[]; body: Stmt[] } & Span)
  | ({ t: 'try'; body: Stmt[]; handlers: Stmt[][]; orelse: Stmt[]; finally: Stmt[] } & Span)
  | ({ t: 'simple'; kind: 'pass' | 'break' | 'continue' | 'raise' | 'global' | 'del' | 'assert' | 'other' } & Span);

export interface Module {
  body: Stmt[];
  text: string;
  /** Syntax errors found by the parser, with locations. */
  problems: Problem[];
}

const BIN_ARITH = new Set(['ArithOp', 'BitOp', 'CompareOp', 'and', 'or', 'in', 'is', 'not', '@']);

/** A converted top-level statement (or statement group) with the syntax errors inside it. */
interface TopEntry { from: number; to: number; stmts: Stmt[]; errors: Span[] }

/**
 * The last parse per file, so that re-analysis after an edit re-parses only around the change
 * (lezer's incremental parsing) and re-converts only the top-level statements the edit touched.
 * Bounded to a few files.
 */
const lastParse = new Map<string, { text: string; tree: Tree; top: TopEntry[] }>();

interface Change { start: number; endOld: number; endNew: number }

function diff(a: string, b: string): Change {
  // Whole blocks compare as substrings (a memcmp) before the last block is walked character by character.
  const max = Math.min(a.length, b.length);
  const BLOCK = 512;
  let start = 0;
  while (start + BLOCK <= max && a.slice(start, start + BLOCK) === b.slice(start, start + BLOCK)) start += BLOCK;
  while (start < max && a.charCodeAt(start) === b.charCodeAt(start)) start++;
  let endOld = a.length, endNew = b.length;
  while (endOld - BLOCK >= start && endNew - BLOCK >= start && a.slice(endOld - BLOCK, endOld) === b.slice(endNew - BLOCK, endNew)) { endOld -= BLOCK; endNew -= BLOCK; }
  while (endOld > start && endNew > start && a.charCodeAt(endOld - 1) === b.charCodeAt(endNew - 1)) { endOld--; endNew--; }
  return { start, endOld, endNew };
}

/**
 * Move every `from`/`to` offset in an AST value by `delta`, in place. Safe because converted ASTs share no
 * objects (every node and span is built fresh; a test checks it) and nothing outside `lastParse` keeps them
 * between analyses. In place, not copied: an edit near the top of a long file moves everything below it.
 */
function shiftInPlace(v: unknown, delta: number): void {
  if (Array.isArray(v)) {
    for (const x of v) if (x !== null && typeof x === 'object') shiftInPlace(x, delta);
    return;
  }
  const o = v as Record<string, unknown>;
  for (const k in o) {
    const x = o[k];
    if (typeof x === 'number') { if (k === 'from' || k === 'to') o[k] = x + delta; }
    else if (x !== null && typeof x === 'object') shiftInPlace(x, delta);
  }
}

/**
 * @lezer/lr guards against over-deep left-associative trees by counting reductions of 2,000+ characters that start
 * where the last one did; after 300 it forces the parse out of the production. In Python every blank or comment-only
 * line past the first 2,000 characters is such a reduction (the module could end there), so a long script with
 * 300 of them (a jupytext notebook, a well-commented tutorial) got phantom syntax errors from that point on, some in
 * the middle of a valid statement. The counter is reset before each parse step. Deep trees stay bounded: the
 * parser's own stack-depth cut still applies (a 100,000-term `a + b + …` chain parses to depth ~2,500), and the
 * converter drops what nests too deeply.
 */
function parsePython(text: string, fragments?: readonly TreeFragment[]): Tree {
  const p = parser.startParse(text, fragments) as ReturnType<typeof parser.startParse> & { bigReductionCount?: number; lastBigReductionSize?: number };
  for (;;) {
    if (typeof p.bigReductionCount === 'number') { p.bigReductionCount = 0; p.lastBigReductionSize = 0; }
    const tree = p.advance();
    if (tree) return tree;
  }
}

/** Parse Python source into the compact AST. Never throws. */
export function parseModule(original: string, file?: string, maxErrors = 20, cacheKey = file): Module {
  // Brackets nested past any real code's depth are blanked before the parser sees them (see nesting.ts).
  const normalized = normalizeFloats(original);
  const overDeep = overNested(normalized);
  // A last line of only spaces deeper than the block above it, with no newline after it, is valid Python but an error
  // node to @lezer/python ("def f():\n    return 1\n     "): it is left out (only offsets past the end change).
  const text = blank(normalized, overDeep).replace(/\n[ \t\f]+$/, '\n');
  const prev = cacheKey !== undefined ? lastParse.get(cacheKey) : undefined;
  const change = prev && prev.text !== text ? diff(prev.text, text) : undefined;
  let tree: Tree;
  if (prev && change) {
    const fragments = TreeFragment.applyChanges(TreeFragment.addTree(prev.tree), [{ fromA: change.start, toA: change.endOld, fromB: change.start, toB: change.endNew }]);
    tree = parsePython(text, fragments);
  } else tree = prev ? prev.tree : parsePython(text);
  const problems: Problem[] = [];
  const lines = lineStarts(text);
  const conv = new Converter(text);
  // Top-level statements wholly before or after the edit are reused from the previous conversion.
  // Entries by their start in the new text; an entry after the edit is shifted only if it is reused.
  const reusable = new Map<number, { e: TopEntry; delta: number }>();
  if (prev) {
    const delta = change ? change.endNew - change.endOld : 0;
    for (const e of prev.top) {
      if (!change || e.to < change.start) reusable.set(e.from, { e, delta: 0 });
      else if (e.from > change.endOld) reusable.set(e.from + delta, { e, delta });
    }
  }
  const top: TopEntry[] = [];
  const body: Stmt[] = [];
  try {
    for (let c = tree.topNode.firstChild; c; c = c.nextSibling) {
      if (c.name === 'Comment') continue;
      if (c.type.isError) { top.push({ from: c.from, to: c.to, stmts: [], errors: [{ from: c.from, to: c.to }] }); continue; }
      const r = reusable.get(c.from);
      if (r && r.e.to + r.delta === c.to) { if (r.delta) shiftInPlace(r.e, r.delta); top.push(r.e); continue; }
      const errorsBefore = conv.errors.length;
      const stmts = conv.topStatement(c);
      top.push({ from: c.from, to: c.to, stmts, errors: conv.errors.slice(errorsBefore) });
    }
    for (const e of top) for (const st of e.stmts) body.push(st);
  } catch (e) {
    problems.push({ severity: 'error', code: 'internal', message: `Could not read the syntax tree: ${(e as Error).message}` });
  }
  if (cacheKey !== undefined) {
    lastParse.delete(cacheKey);
    lastParse.set(cacheKey, { text, tree, top });
    if (lastParse.size > 8) lastParse.delete(lastParse.keys().next().value as string);
  }
  // Over-deep brackets first: they explain the syntax errors that follow from them.
  for (const n of overDeep.slice(0, 5)) {
    const loc = locate(lines, n.from, Math.min(n.to, n.from + 1), file);
    problems.push({
      severity: 'warning',
      code: 'too-deep',
      message: n.unclosed
        ? `Brackets opened from line ${loc.line} nest more than ${MAX_BRACKET_DEPTH} deep and never close: FlopLens did not read the rest of the file.`
        : `This expression nests brackets more than ${MAX_BRACKET_DEPTH} deep; it was skipped.`,
      loc,
    });
  }
  // Error nodes are collected while converting (one walk over the tree instead of two).
  const errorSpans: Span[] = [];
  for (const e of top) for (const sp of e.errors) if (errorSpans.length < maxErrors) errorSpans.push(sp);
  errorSpans.sort((a, b) => a.from - b.from);
  for (const n of errorSpans) {
    const loc = locate(lines, n.from, Math.max(n.to, n.from + 1), file);
    problems.push({ severity: 'warning', code: 'syntax', message: `Syntax error near line ${loc.line}: the file is analysed up to what parses.`, loc });
  }
  for (const n of conv.dropped.slice(0, 5)) {
    problems.push({ severity: 'warning', code: 'too-deep', message: 'This statement nests too deeply to analyse; it was skipped.', loc: locate(lines, n.from, n.to, file) });
  }
  return { body, text: original, problems };
}

/**
 * @lezer/python reads `1.` and `1.e3` as attribute access. Rewrite such literals to an equivalent of
 * the same length (`1 `, `1e3 `) so offsets stay valid for every location we report.
 */
export function normalizeFloats(text: string): string {
  if (!/\d\./.test(text)) return text;
  return text
    .replace(/(?<![\w.])(\d+)\.([eE][+-]?\d+)(?![\w.])/g, (_m, a: string, e: string) => `${a}${e} `)
    .replace(/(?<![\w.])(\d+)\.(?![\d\w.])/g, (_m, a: string) => `${a} `);
}

/** The last few texts' line starts: one analysis asks for the same text's several times. */
const recentStarts: { text: string; starts: readonly number[] }[] = [];

/** Offsets where each line begins (for `locate`). The array is shared: do not modify it. */
export function lineStarts(text: string): readonly number[] {
  for (const r of recentStarts) if (r.text === text) return r.starts;
  const starts = [0];
  for (let i = text.indexOf('\n'); i >= 0; i = text.indexOf('\n', i + 1)) starts.push(i + 1);
  recentStarts.unshift({ text, starts });
  if (recentStarts.length > 4) recentStarts.pop();
  return starts;
}

/** Turn offsets into a Loc (1-based lines, 0-based columns). */
export function locate(starts: readonly number[], from: number, to: number, file?: string): Loc {
  const lineOf = (off: number): number => {
    let lo = 0, hi = starts.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if (starts[mid] <= off) lo = mid; else hi = mid - 1;
    }
    return lo;
  };
  const l0 = lineOf(from), l1 = lineOf(Math.max(from, to));
  const loc: Loc = { from, to, line: l0 + 1, col: from - starts[l0], endLine: l1 + 1, endCol: to - starts[l1] };
  if (file) loc.file = file;
  return loc;
}

class Converter {
  constructor(private readonly src: string) {}

  /** A node's source text, as a string of its own (see `detached`). */
  private text(n: SyntaxNode): string { return detached(this.src.slice(n.from, n.to)); }

  /** Error nodes seen while converting, in document order of discovery. */
  readonly errors: { from: number; to: number }[] = [];

  private kids(n: SyntaxNode): SyntaxNode[] {
    const out: SyntaxNode[] = [];
    for (let c = n.firstChild; c; c = c.nextSibling) {
      // A bare `yield` (a @contextmanager's `try: yield finally: …`) is valid Python that @lezer/python 1.1 closes with
      // an empty error node: not a syntax error.
      const bareYield = c.from === c.to && n.name === 'YieldStatement' && c.prevSibling?.name === 'yield';
      if (c.type.isError && !bareYield) { if (this.errors.length < 50) this.errors.push({ from: c.from, to: c.to }); }
      if (c.name !== 'Comment') out.push(c);
    }
    return out;
  }

  /** One top-level child of the script: a statement or a `;`-separated statement group. */
  topStatement(c: SyntaxNode): Stmt[] {
    const out: Stmt[] = [];
    if (c.name === 'StatementGroup') {
      for (const s of this.kids(c)) if (s.name !== ';' && !s.type.isError) this.pushStmt(out, s);
    } else this.pushStmt(out, c);
    return out;
  }

  body(n: SyntaxNode): Stmt[] {
    const out: Stmt[] = [];
    for (const c of this.kids(n)) {
      if (c.name === ':' || c.type.isError) continue;
      if (c.name === 'StatementGroup') {
        for (const s of this.kids(c)) if (s.name !== ';' && !s.type.isError) this.pushStmt(out, s);
      } else this.pushStmt(out, c);
    }
    return out;
  }

  /** Statements that nest too deeply for the converter are dropped one at a time, not the whole file. */
  readonly dropped: SyntaxNode[] = [];

  private pushStmt(out: Stmt[], n: SyntaxNode): void {
    try {
      const s = this.stmt(n);
      if (s) out.push(s);
    } catch (e) {
      if (!(e instanceof RangeError)) throw e;
      this.dropped.push(n);
    }
  }

  private stmt(n: SyntaxNode): Stmt | undefined {
    const { from, to } = n;
    const k = this.kids(n);
    switch (n.name) {
      case 'ExpressionStatement': {
        // `a(), b()` is one tuple expression: every item is evaluated, not only the first.
        const items = k.filter((c) => !c.type.isError);
        return items.length ? { t: 'expr', e: this.exprList(items), from, to } : undefined;
      }
      case 'AssignStatement': return this.assign(n, k);
      case 'UpdateStatement': {
        const opNode = k.find((c) => c.name === 'UpdateOp');
        const exprs = k.filter((c) => c !== opNode && !c.type.isError);
        if (!opNode || exprs.length < 2) return undefined;
        return { t: 'aug', target: this.expr(exprs[0]), op: this.text(opNode).slice(0, -1), value: this.expr(exprs[1]), from, to };
      }
      case 'IfStatement': {
        const branches: { cond: Expr; body: Stmt[] }[] = [];
        let orelse: Stmt[] = [];
        for (let i = 0; i < k.length; i++) {
          const c = k[i];
          if ((c.name === 'if' || c.name === 'elif') && k[i + 1]) {
            const cond = this.expr(k[i + 1]);
            const b = k.slice(i + 2).find((x) => x.name === 'Body');
            branches.push({ cond, body: b ? this.body(b) : [] });
          } else if (c.name === 'else') {
            const b = k.slice(i + 1).find((x) => x.name === 'Body');
            orelse = b ? this.body(b) : [];
          }
        }
        return { t: 'if', branches, orelse, from, to };
      }
      case 'ForStatement': {
        const inIdx = k.findIndex((c) => c.name === 'in');
        const bodies = k.filter((c) => c.name === 'Body');
        if (inIdx < 0) return undefined;
        const targets = k.slice(1, inIdx).filter((c) => c.name !== ',' && !c.type.isError);
        // `for v in 1, 2, 3:` iterates over the whole implicit tuple.
        const bodyIdx = k.findIndex((c, j) => j > inIdx && c.name === 'Body');
        const iterNodes = k.slice(inIdx + 1, bodyIdx < 0 ? k.length : bodyIdx).filter((c) => c.name !== ':' && !c.type.isError);
        if (!iterNodes.length) return undefined;
        const target: Expr = targets.length === 1 ? this.expr(targets[0]) : { t: 'seq', kind: 'tuple', items: targets.map((x) => this.expr(x)), from: targets[0]?.from ?? n.from, to: targets[targets.length - 1]?.to ?? n.from };
        return { t: 'for', target, iter: this.exprList(iterNodes), body: bodies[0] ? this.body(bodies[0]) : [], orelse: bodies[1] ? this.body(bodies[1]) : [], from, to };
      }
      case 'WhileStatement': {
        const b = k.find((c) => c.name === 'Body');
        return k[1] ? { t: 'while', cond: this.expr(k[1]), body: b ? this.body(b) : [], from, to } : undefined;
      }
      case 'FunctionDefinition': return this.def(n, k, []);
      case 'ClassDefinition': return this.cls(n, k, []);
      case 'DecoratedStatement': {
        const decorators = k.filter((c) => c.name === 'Decorator').map((d) => this.decorator(d));
        const target = k.find((c) => c.name === 'FunctionDefinition' || c.name === 'ClassDefinition');
        if (!target) return undefined;
        const tk = this.kids(target);
        const s = target.name === 'FunctionDefinition' ? this.def(target, tk, decorators) : this.cls(target, tk, decorators);
        return s;
      }
      case 'ReturnStatement':
        return { t: 'return', e: k[1] && !k[1].type.isError ? this.exprList(k.slice(1)) : undefined, from, to };
      case 'YieldStatement': {
        const rest = k.filter((c) => c.name !== 'yield' && c.name !== 'from' && !c.type.isError);
        return { t: 'yield', e: rest.length ? this.exprList(rest) : undefined, delegate: k.some((c) => c.name === 'from'), from, to };
      }
      case 'ImportStatement': return this.imp(n, k);
      case 'WithStatement': {
        const items: { e: Expr; as?: Expr }[] = [];
        const b = k.find((c) => c.name === 'Body');
        const parts = k.filter((c) => c.name !== 'with' && c.name !== 'async' && c.name !== 'Body' && !c.type.isError);
        for (let i = 0; i < parts.length; i++) {
          const c = parts[i];
          if (c.name === ',') continue;
          if (c.name === 'as') continue;
          if (parts[i + 1]?.name === 'as' && parts[i + 2]) {
            items.push({ e: this.expr(c), as: this.expr(parts[i + 2]) });
            i += 2;
          } else items.push({ e: this.expr(c) });
        }
        return { t: 'with', items, body: b ? this.body(b) : [], from, to };
      }
      case 'TryStatement': {
        const bodies: { kw: string; body: Stmt[] }[] = [];
        let kw = 'try';
        for (const c of k) {
          if (['try', 'except', 'else', 'finally'].includes(c.name)) kw = c.name;
          else if (c.name === 'Body') bodies.push({ kw, body: this.body(c) });
        }
        return {
          t: 'try',
          body: bodies.find((b) => b.kw === 'try')?.body ?? [],
          handlers: bodies.filter((b) => b.kw === 'except').map((b) => b.body),
          orelse: bodies.find((b) => b.kw === 'else')?.body ?? [],
          finally: bodies.find((b) => b.kw === 'finally')?.body ?? [],
          from, to,
        };
      }
      case 'PassStatement': return { t: 'simple', kind: 'pass', from, to };
      case 'BreakStatement': return { t: 'simple', kind: 'break', from, to };
      case 'ContinueStatement': return { t: 'simple', kind: 'continue', from, to };
      case 'RaiseStatement': return { t: 'simple', kind: 'raise', from, to };
      case 'ScopeStatement': return { t: 'simple', kind: 'global', from, to };
      case 'DeleteStatement': return { t: 'simple', kind: 'del', from, to };
      case 'AssertStatement': return { t: 'simple', kind: 'assert', from, to };
      case 'Comment': return undefined;
      default:
        if (n.type.isError) return undefined;
        // Bare expressions at statement level (lezer sometimes omits ExpressionStatement under errors).
        if (/Expression$|^VariableName$|^CallExpression$/.test(n.name)) return { t: 'expr', e: this.expr(n), from, to };
        return { t: 'simple', kind: 'other', from, to };
    }
  }

  private assign(n: SyntaxNode, k: SyntaxNode[]): Stmt | undefined {
    const { from, to } = n;
    // Split on AssignOp into groups; each group is a comma-separated target/value list.
    const groups: SyntaxNode[][] = [[]];
    let annotation: Expr | undefined;
    for (const c of k) {
      if (c.name === 'AssignOp') groups.push([]);
      else if (c.name === 'TypeDef') {
        const tk = this.kids(c).filter((x) => x.name !== ':');
        if (tk[0]) annotation = this.expr(tk[0]);
      } else if (!c.type.isError) groups[groups.length - 1].push(c);
    }
    const toExpr = (g: SyntaxNode[]): Expr | undefined => (g.length === 0 ? undefined : this.exprList(g));
    if (groups.length === 1) {
      const target = toExpr(groups[0]);
      return target ? { t: 'assign', targets: [target], annotation, from, to } : undefined;
    }
    const value = toExpr(groups[groups.length - 1]);
    const targets = groups.slice(0, -1).map(toExpr).filter((x): x is Expr => !!x);
    if (targets.length === 0) return undefined;
    return { t: 'assign', targets, value: value ?? { t: 'err', from: n.to, to: n.to }, annotation, from, to };
  }

  /** Comma-separated expressions (with `*x`) → a single expr or an implicit tuple. */
  private exprList(nodes: SyntaxNode[]): Expr {
    const items: Expr[] = [];
    let trailingComma = false;
    for (let i = 0; i < nodes.length; i++) {
      const c = nodes[i];
      if (c.name === ',') { trailingComma = true; continue; }
      trailingComma = false;
      if (c.name === '*' && nodes[i + 1]) {
        const e = this.expr(nodes[i + 1]);
        items.push({ t: 'star', e, from: c.from, to: nodes[i + 1].to });
        i++;
      } else items.push(this.expr(c));
    }
    if (items.length === 1 && !trailingComma && items[0].t !== 'star') return items[0];
    return { t: 'seq', kind: 'tuple', items, from: nodes[0].from, to: nodes[nodes.length - 1].to };
  }

  private decorator(d: SyntaxNode): Expr {
    const k = this.kids(d).filter((c) => c.name !== 'At');
    let e: Expr | undefined;
    for (let i = 0; i < k.length; i++) {
      const c = k[i];
      if (c.name === 'VariableName' && !e) e = { t: 'name', id: this.text(c), from: c.from, to: c.to };
      else if ((c.name === 'VariableName' || c.name === 'PropertyName') && e) e = { t: 'attr', obj: e, name: this.text(c), from: e.from, to: c.to };
      else if (c.name === 'ArgList' && e) e = { t: 'call', fn: e, args: this.args(c), from: e.from, to: c.to };
    }
    return e ?? { t: 'err', from: d.from, to: d.to };
  }

  private params(n: SyntaxNode | undefined): Param[] {
    if (!n) return [];
    const out: Param[] = [];
    const k = this.kids(n);
    let mode: Param['kind'] = 'normal';
    for (let i = 0; i < k.length; i++) {
      const c = k[i];
      if (c.name === '*') {
        if (k[i + 1]?.name === 'VariableName') { out.push({ name: this.text(k[i + 1]), kind: 'star' }); i++; }
        mode = 'kwonly';
      } else if (c.name === '**' && k[i + 1]?.name === 'VariableName') {
        out.push({ name: this.text(k[i + 1]), kind: 'dstar' });
        i++;
      } else if (c.name === 'VariableName') {
        const p: Param = { name: this.text(c), kind: mode };
        let j = i + 1;
        if (k[j]?.name === 'TypeDef') j++;
        if (k[j]?.name === 'AssignOp' && k[j + 1]) { p.default = this.expr(k[j + 1]); j++; }
        out.push(p);
        i = j;
      }
    }
    return out;
  }

  private def(n: SyntaxNode, k: SyntaxNode[], decorators: Expr[]): Stmt | undefined {
    const nameNode = k.find((c) => c.name === 'VariableName');
    if (!nameNode) return undefined;
    const b = k.find((c) => c.name === 'Body');
    return {
      t: 'def', name: this.text(nameNode), params: this.params(k.find((c) => c.name === 'ParamList')),
      body: b ? this.body(b) : [], decorators, nameSpan: { from: nameNode.from, to: nameNode.to }, from: n.from, to: n.to,
    };
  }

  private cls(n: SyntaxNode, k: SyntaxNode[], decorators: Expr[]): Stmt | undefined {
    const nameNode = k.find((c) => c.name === 'VariableName');
    if (!nameNode) return undefined;
    const b = k.find((c) => c.name === 'Body');
    const argList = k.find((c) => c.name === 'ArgList');
    return {
      t: 'class', name: this.text(nameNode), bases: argList ? this.args(argList) : [], body: b ? this.body(b) : [],
      decorators, nameSpan: { from: nameNode.from, to: nameNode.to }, from: n.from, to: n.to,
    };
  }

  private imp(n: SyntaxNode, k: SyntaxNode[]): Stmt | undefined {
    const { from, to } = n;
    if (k[0]?.name === 'from') {
      let level = 0;
      let i = 1;
      const mod: string[] = [];
      for (; i < k.length && k[i].name !== 'import'; i++) {
        if (k[i].name === '.') { if (mod.length === 0) level++; }
        else if (k[i].name === 'VariableName') mod.push(this.text(k[i]));
        else if (k[i].name === '...') level += 3;
      }
      const names: { name: string; as?: string }[] = [];
      for (i++; i < k.length; i++) {
        const c = k[i];
        if (c.name === 'VariableName') {
          if (k[i + 1]?.name === 'as' && k[i + 2]) { names.push({ name: this.text(c), as: this.text(k[i + 2]) }); i += 2; }
          else names.push({ name: this.text(c) });
        } else if (c.name === '*') names.push({ name: '*' });
      }
      return { t: 'from', module: mod.join('.'), level, names, from, to };
    }
    const names: { module: string; as?: string }[] = [];
    let cur: string[] = [];
    for (let i = 1; i < k.length; i++) {
      const c = k[i];
      if (c.name === 'VariableName') cur.push(this.text(c));
      else if (c.name === 'as' && k[i + 1]) { names.push({ module: cur.join('.'), as: this.text(k[i + 1]) }); cur = []; i++; }
      else if (c.name === ',') { if (cur.length) names.push({ module: cur.join('.') }); cur = []; }
    }
    if (cur.length) names.push({ module: cur.join('.') });
    return { t: 'import', names, from, to };
  }

  args(n: SyntaxNode): CallArg[] {
    const out: CallArg[] = [];
    const k = this.kids(n).filter((c) => c.name !== '(' && c.name !== ')' && !c.type.isError);
    for (let i = 0; i < k.length; i++) {
      const c = k[i];
      if (c.name === ',') continue;
      if ((c.name === '*' || c.name === '**') && k[i + 1]) {
        out.push({ kind: c.name === '*' ? 'star' : 'dstar', value: this.expr(k[i + 1]) });
        i++;
      } else if (c.name === 'VariableName' && k[i + 1]?.name === 'AssignOp' && k[i + 2]) {
        out.push({ kind: 'kw', name: this.text(c), value: this.expr(k[i + 2]) });
        i += 2;
      } else if (k[i + 1]?.name === 'for') {
        // Generator expression as the sole argument: f(x for x in y)
        const end = k.length;
        out.push({ kind: 'pos', value: this.comprehension('gen', k.slice(i, end), c.from, k[end - 1].to) });
        break;
      } else out.push({ kind: 'pos', value: this.expr(c) });
    }
    return out;
  }

  private comprehension(kind: 'list' | 'gen' | 'set' | 'dict', k: SyntaxNode[], from: number, to: number): Expr {
    const forIdx = k.findIndex((c) => c.name === 'for');
    let elt: Expr; let val: Expr | undefined;
    if (kind === 'dict') {
      const colon = k.findIndex((c) => c.name === ':');
      elt = k[0] ? this.expr(k[0]) : { t: 'err', from, to };
      val = colon >= 0 && k[colon + 1] ? this.expr(k[colon + 1]) : undefined;
    } else elt = k[0] ? this.expr(k[0]) : { t: 'err', from, to };
    const clauses: CompClause[] = [];
    let i = forIdx;
    while (i >= 0 && i < k.length) {
      if (k[i].name !== 'for') { i++; continue; }
      const inIdx = k.findIndex((c, j) => j > i && c.name === 'in');
      if (inIdx < 0) break;
      const tnodes = k.slice(i + 1, inIdx).filter((c) => c.name !== ',');
      const target: Expr = tnodes.length === 1 ? this.expr(tnodes[0]) : { t: 'seq', kind: 'tuple', items: tnodes.map((x) => this.expr(x)), from: tnodes[0]?.from ?? from, to: tnodes[tnodes.length - 1]?.to ?? from };
      const iter = k[inIdx + 1] ? this.expr(k[inIdx + 1]) : ({ t: 'err', from, to } as Expr);
      const ifs: Expr[] = [];
      let j = inIdx + 2;
      while (j < k.length && k[j].name === 'if' && k[j + 1]) { ifs.push(this.expr(k[j + 1])); j += 2; }
      clauses.push({ target, iter, ifs });
      i = j;
    }
    return { t: 'comp', kind, elt, val, clauses, from, to };
  }

  /** Literal text and replacement expressions of an f-string; undefined when a replacement has a conversion or format spec. */
  private fstringParts(n: SyntaxNode): (string | Expr)[] | undefined {
    const m = /^([rRfF]{1,2})('''|"""|'|")/.exec(this.text(n));
    if (!m) return undefined;
    const start = n.from + m[0].length;
    const end = n.to - (this.text(n).endsWith(m[2]) && n.to - m[2].length >= start ? m[2].length : 0);
    const raw = literalPrefix(m[1]).raw;
    const lit = (a: number, b: number) => {
      const text = detached(this.src.slice(a, b)).replace(/\{\{/g, '{').replace(/\}\}/g, '}');
      return raw ? text : decodeEscapes(text);
    };
    const parts: (string | Expr)[] = [];
    let at = start;
    for (const r of this.kids(n)) {
      if (r.name !== 'FormatReplacement') continue;
      const inner = this.kids(r).filter((c) => c.name !== '{' && c.name !== '}');
      if (inner.length !== 1) return undefined;
      if (r.from > at) parts.push(lit(at, r.from));
      parts.push(this.expr(inner[0]));
      at = r.to;
    }
    if (end > at) parts.push(lit(at, end));
    return parts;
  }

  expr(n: SyntaxNode): Expr {
    const { from, to } = n;
    const k = this.kids(n);
    switch (n.name) {
      case 'Number': {
        const text = this.text(n);
        if (/^\d+$/.test(text)) return { t: 'num', v: Number(text), int: true, from, to };
        const raw = text.replace(/_/g, '').toLowerCase();
        let v: number;
        if (/^0x/.test(raw)) v = parseInt(raw, 16);
        else if (/^0o/.test(raw)) v = parseInt(raw.slice(2), 8);
        else if (/^0b/.test(raw)) v = parseInt(raw.slice(2), 2);
        else if (raw.endsWith('j')) v = NaN;
        else v = Number(raw);
        return { t: 'num', v, int: /^0[xob]/.test(raw) || !/[.ej]/.test(raw), from, to };
      }
      case 'String': return { t: 'str', v: stringLiteralValue(this.text(n)), from, to };
      case 'ContinuedString': return { t: 'str', v: k.map((c) => stringLiteralValue(this.text(c))).join(''), from, to };
      case 'FormatString': return { t: 'fstr', parts: this.fstringParts(n), from, to };
      case 'Boolean': return { t: 'const', v: this.text(n) === 'True', from, to };
      case 'None': return { t: 'const', v: null, from, to };
      case 'Ellipsis': return { t: 'const', v: 'ellipsis', from, to };
      case 'VariableName': return { t: 'name', id: this.text(n), from, to };
      case 'self': return { t: 'name', id: 'self', from, to };
      case 'ParenthesizedExpression': {
        const inner = k.filter((c) => c.name !== '(' && c.name !== ')' && !c.type.isError);
        if (inner.length === 0) return { t: 'seq', kind: 'tuple', items: [], from, to };
        if (inner.some((c) => c.name === 'for')) return this.comprehension('gen', inner, n.from, n.to);
        return this.exprList(inner);
      }
      case 'TupleExpression': case 'ArrayExpression': case 'SetExpression': {
        const inner = k.filter((c) => !['(', ')', '[', ']', '{', '}'].includes(c.name) && !c.type.isError);
        const items: Expr[] = [];
        for (let i = 0; i < inner.length; i++) {
          const c = inner[i];
          if (c.name === ',') continue;
          if (c.name === '*' && inner[i + 1]) { items.push({ t: 'star', e: this.expr(inner[i + 1]), from: c.from, to: inner[i + 1].to }); i++; }
          else items.push(this.expr(c));
        }
        return { t: 'seq', kind: n.name === 'TupleExpression' ? 'tuple' : n.name === 'ArrayExpression' ? 'list' : 'set', items, from, to };
      }
      case 'ArrayComprehensionExpression': case 'SetComprehensionExpression': case 'DictionaryComprehensionExpression': case 'ComprehensionExpression': {
        const inner = k.filter((c) => !['(', ')', '[', ']', '{', '}'].includes(c.name) && !c.type.isError);
        const kind = n.name.startsWith('Array') ? 'list' : n.name.startsWith('Set') ? 'set' : n.name.startsWith('Dict') ? 'dict' : 'gen';
        return this.comprehension(kind, inner, n.from, n.to);
      }
      case 'DictionaryExpression': {
        const inner = k.filter((c) => c.name !== '{' && c.name !== '}' && !c.type.isError);
        const items: ({ k: Expr; v: Expr } | { spread: Expr })[] = [];
        for (let i = 0; i < inner.length; i++) {
          const c = inner[i];
          if (c.name === ',') continue;
          if (c.name === '**' && inner[i + 1]) { items.push({ spread: this.expr(inner[i + 1]) }); i++; continue; }
          if (inner[i + 1]?.name === ':' && inner[i + 2]) { items.push({ k: this.expr(c), v: this.expr(inner[i + 2]) }); i += 2; }
        }
        return { t: 'dict', items, from, to };
      }
      case 'MemberExpression': {
        if (!k[0]) return { t: 'err', from, to };
        const obj = this.expr(k[0]);
        if (k[1]?.name === '.') {
          const p = k[2];
          return p ? { t: 'attr', obj, name: this.text(p), from, to } : { t: 'err', from, to };
        }
        // Subscript: split the bracket contents on commas; colons make slices.
        const inner = k.slice(1).filter((c) => c.name !== '[' && c.name !== ']' && !c.type.isError);
        const index: Expr[] = [];
        let cur: SyntaxNode[] = [];
        const flush = () => {
          if (cur.length === 0) return;
          if (cur.some((c) => c.name === ':')) {
            const parts: (SyntaxNode | undefined)[] = [undefined];
            for (const c of cur) { if (c.name === ':') parts.push(undefined); else parts[parts.length - 1] = c; }
            index.push({ t: 'slice', lo: parts[0] && this.expr(parts[0]), hi: parts[1] && this.expr(parts[1]), step: parts[2] && this.expr(parts[2]), from: cur[0].from, to: cur[cur.length - 1].to });
          } else if (cur[0].name === '*' && cur[1]) index.push({ t: 'star', e: this.expr(cur[1]), from: cur[0].from, to: cur[1].to });
          else index.push(this.expr(cur[0]));
          cur = [];
        };
        for (const c of inner) { if (c.name === ',') flush(); else cur.push(c); }
        flush();
        return { t: 'sub', obj, index, from, to };
      }
      case 'CallExpression': {
        const argList = k.find((c) => c.name === 'ArgList');
        if (!k[0]) return { t: 'err', from, to };
        return { t: 'call', fn: this.expr(k[0]), args: argList ? this.args(argList) : [], from, to };
      }
      case 'BinaryExpression': {
        const operands = k.filter((c) => !BIN_ARITH.has(c.name) && !c.type.isError);
        const ops = k.filter((c) => BIN_ARITH.has(c.name)).map((c) => this.text(c));
        if (operands.length < 2) return operands[0] ? this.expr(operands[0]) : { t: 'err', from, to };
        return { t: 'bin', op: ops.join(' '), l: this.expr(operands[0]), r: this.expr(operands[1]), from, to };
      }
      case 'UnaryExpression': {
        const op = k[0] ? this.text(k[0]) : '';
        if (!k[1]) return { t: 'err', from, to };
        return op === 'not' ? notOf(this.expr(k[1]), from, to) : { t: 'unary', op, e: this.expr(k[1]), from, to };
      }
      case 'ConditionalExpression': {
        const vals = k.filter((c) => c.name !== 'if' && c.name !== 'else' && !c.type.isError);
        if (vals.length < 3) return vals[0] ? this.expr(vals[0]) : { t: 'err', from, to };
        return { t: 'ifexp', a: this.expr(vals[0]), cond: this.expr(vals[1]), b: this.expr(vals[2]), from, to };
      }
      case 'LambdaExpression': {
        const body = k[k.length - 1];
        return { t: 'lambda', params: this.params(k.find((c) => c.name === 'ParamList')), body: body && body.name !== ':' ? this.expr(body) : { t: 'err', from, to }, from, to };
      }
      case 'AwaitExpression': return k[1] ? this.expr(k[1]) : { t: 'err', from, to };
      case 'NamedExpression': return k[2] ? this.expr(k[2]) : { t: 'err', from, to };
      default: return { t: 'err', from, to };
    }
  }
}

/**
 * `not` binds tighter than `and`/`or` (Python: `not x and y` is `(not x) and y`), but @lezer/python 1.1 parses it as
 * `not (x and y)`: the negation is moved onto the leftmost operand of the boolean chain it swallowed.
 */
function notOf(e: Expr, from: number, to: number): Expr {
  if (e.t === 'bin' && (e.op === 'and' || e.op === 'or')) return { t: 'bin', op: e.op, l: notOf(e.l, from, e.l.to), r: e.r, from, to };
  return { t: 'unary', op: 'not', e, from, to };
}

/** Names seen recently, each stored once as a detached string (bounded). */
const names = new Map<string, string>();

/**
 * A copy of `s` that does not keep the text it was sliced from alive. V8 represents a slice of 13 or more
 * characters as a view into its parent string; converted statements are reused across edits, so every name
 * and string literal in them would otherwise pin the whole file as it was when that statement was converted
 * (a 2,000-line file typed one line at a time held about 80 MB of old versions). Short names are interned.
 */
function detached(s: string): string {
  if (s.length < 13) return s;
  if (s.length > 64) return (` ${s}`).slice(1);
  const known = names.get(s);
  if (known !== undefined) return known;
  const own = (` ${s}`).slice(1);
  if (names.size >= 50_000) names.clear();
  names.set(own, own);
  return own;
}
