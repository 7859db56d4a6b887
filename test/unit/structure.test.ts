/**
 * The shape of the source tree: no runtime import cycle in src/ (type-only imports do not count: they vanish
 * at build time), and no source file over 1,200 lines outside the op table (src/core/ops/) and the data
 * catalogs. Known offenders are listed by name so that the lists only shrink: a new cycle or long file fails,
 * and so does a listed one that has been fixed (take it off the list).
 */
import * as fs from 'fs';
import * as path from 'path';
import ts from 'typescript';
import { describe, expect, it } from 'vitest';

const ROOT = path.resolve(__dirname, '../..');
const SRC = path.join(ROOT, 'src');
const MAX_LINES = 1200;

/** Runtime cycles that exist and are being fixed elsewhere (each as its sorted files, joined with ' ↔ '). */
const KNOWN_CYCLES: string[] = [];
/** Long files outside the exempt folders that exist and are being split elsewhere. */
const KNOWN_LONG: string[] = [];
/** Folders and files whose length is data or one table per op, not logic. */
const LENGTH_EXEMPT = [/^src\/core\/ops\//, /^src\/core\/zoo\/catalog\//, /^src\/core\/hardware\/catalog\.ts$/, /^src\/core\/data\//];

function sourceFiles(dir: string): string[] {
  const out: string[] = [];
  for (const e of fs.readdirSync(dir, { withFileTypes: true })) {
    const p = path.join(dir, e.name);
    if (e.isDirectory()) out.push(...sourceFiles(p));
    else if (/\.tsx?$/.test(e.name) && !e.name.endsWith('.d.ts')) out.push(p);
  }
  return out;
}

const rel = (f: string) => path.relative(ROOT, f).split(path.sep).join('/');

/**
 * Modules a file imports at run time: `import … from`, `export … from` and `import '…'`, read with the TypeScript
 * parser, except `import type` / `export type` and imports whose every name is marked `type` (all erased at build
 * time). Dynamic `import()` is not counted: it runs later, not while the module loads.
 */
function runtimeImports(text: string): string[] {
  const sf = ts.createSourceFile('x.ts', text, ts.ScriptTarget.Latest, false);
  const out: string[] = [];
  for (const st of sf.statements) {
    if (ts.isImportDeclaration(st) && ts.isStringLiteral(st.moduleSpecifier)) {
      const c = st.importClause;
      const named = c?.namedBindings && ts.isNamedImports(c.namedBindings) ? c.namedBindings.elements : undefined;
      const typeOnly = !!c && (c.isTypeOnly || (!c.name && !!named && named.length > 0 && named.every((e) => e.isTypeOnly)));
      if (!typeOnly) out.push(st.moduleSpecifier.text);
    } else if (ts.isExportDeclaration(st) && st.moduleSpecifier && ts.isStringLiteral(st.moduleSpecifier)) {
      const named = st.exportClause && ts.isNamedExports(st.exportClause) ? st.exportClause.elements : undefined;
      if (!st.isTypeOnly && !(named && named.length > 0 && named.every((e) => e.isTypeOnly))) out.push(st.moduleSpecifier.text);
    }
  }
  return out;
}

function resolve(from: string, spec: string): string | undefined {
  if (!spec.startsWith('.')) return undefined;
  const base = path.resolve(path.dirname(from), spec);
  for (const c of [`${base}.ts`, `${base}.tsx`, path.join(base, 'index.ts')]) if (fs.existsSync(c)) return c;
  return undefined;
}

/** Strongly connected components of more than one file (or a file importing itself), each sorted. */
function cycles(graph: Map<string, string[]>): string[][] {
  let index = 0;
  const idx = new Map<string, number>(), low = new Map<string, number>(), on = new Set<string>(), stack: string[] = [];
  const out: string[][] = [];
  const visit = (v: string) => {
    idx.set(v, index); low.set(v, index); index++;
    stack.push(v); on.add(v);
    for (const w of graph.get(v) ?? []) {
      if (!idx.has(w)) { visit(w); low.set(v, Math.min(low.get(v)!, low.get(w)!)); }
      else if (on.has(w)) low.set(v, Math.min(low.get(v)!, idx.get(w)!));
    }
    if (low.get(v) === idx.get(v)) {
      const comp: string[] = [];
      let w: string;
      do { w = stack.pop()!; on.delete(w); comp.push(w); } while (w !== v);
      if (comp.length > 1 || (graph.get(v) ?? []).includes(v)) out.push(comp.sort());
    }
  };
  for (const v of graph.keys()) if (!idx.has(v)) visit(v);
  return out;
}

const files = sourceFiles(SRC);
const graph = new Map<string, string[]>();
for (const f of files) {
  const deps = runtimeImports(fs.readFileSync(f, 'utf8')).map((s) => resolve(f, s)).filter((x): x is string => !!x);
  graph.set(rel(f), deps.map(rel));
}

describe('source structure', () => {
  it('reads runtime imports and skips type-only ones', () => {
    expect(runtimeImports("import type { A } from './a';\nimport { type B, type C } from './b';\nimport { D, type E } from './d';\nexport * from './e';\nexport type { F } from './f';\nimport './g';")).toEqual(['./d', './e', './g']);
  });

  it('finds cycles of two files and a file importing itself', () => {
    expect(cycles(new Map([['a', ['b']], ['b', ['a']], ['c', ['c']], ['d', ['a']]]))).toEqual([['a', 'b'], ['c']]);
  });

  it('has no runtime import cycle in src/ besides the known ones', () => {
    const found = cycles(graph).map((c) => c.join(' ↔ '));
    expect(found.filter((c) => !KNOWN_CYCLES.includes(c)), 'new runtime import cycles').toEqual([]);
    expect(KNOWN_CYCLES.filter((c) => !found.includes(c)), 'fixed cycles still listed as known').toEqual([]);
  });

  it('has no runtime import cycle at all in the interpreter', () => {
    expect(cycles(graph).filter((c) => c.some((f) => f.startsWith('src/core/interpret/')))).toEqual([]);
  });

  it(`has no source file over ${MAX_LINES} lines outside the op table and data catalogs`, () => {
    const long = files.map(rel).filter((f) => !LENGTH_EXEMPT.some((re) => re.test(f)))
      .filter((f) => fs.readFileSync(path.join(ROOT, f), 'utf8').split('\n').length > MAX_LINES);
    expect(long.filter((f) => !KNOWN_LONG.includes(f)), `files over ${MAX_LINES} lines`).toEqual([]);
    expect(KNOWN_LONG.filter((f) => !long.includes(f)), 'split files still listed as long').toEqual([]);
  });
});
