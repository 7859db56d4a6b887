/**
 * Fuzzing the whole analysis: every fixture and example script, mutated (token deletion and
 * duplication, truncation at every line, random bytes, deep nesting, unterminated strings, number
 * chaos, ...), must return an Analysis within a time budget, never throw, and every number in it
 * must be finite and non-negative.
 *
 * The mutator is chosen round-robin by case index, so every mutator runs in any run of at least
 * MUTATOR_COUNT cases; the corpus file advances once per full round, and the random stream of a case
 * comes from a hash of its index (so neighbouring cases are unrelated).
 *
 * CI runs FLOPLENS_FUZZ_CASES (default 1,000) cases; `npm run fuzz` runs 20,000.
 * FLOPLENS_FUZZ_CASE=N reruns case N alone and prints its mutated text (FLOPLENS_FUZZ_CASE=3,14,15: those cases).
 * All failures of a run are collected and reported together, counted by kind and by mutator.
 */
import { describe, expect, it } from 'vitest';
import * as fs from 'fs';
import * as path from 'path';
import { analyze } from '../../src/core/analyze';
import { readScript } from '../../src/cli/analyzeFile';
import type { Analysis } from '../../src/core/types';

const ROOT = path.resolve(__dirname, '../..');
const ONE_CASE = process.env.FLOPLENS_FUZZ_CASE;
const CASES = Number(process.env.FLOPLENS_FUZZ_CASES ?? 1000);
/** First case index (to run a long campaign in chunks: FLOPLENS_FUZZ_FROM=10000). */
const FROM = Number(process.env.FLOPLENS_FUZZ_FROM ?? 0);
/** A single analysis slower than this counts as a hang. */
const CASE_BUDGET_MS = 30_000;
/** Count a case that only the final output net of analyze.ts kept clean as a failure (on unless FLOPLENS_FUZZ_NET=0). */
const NET_FAILS = process.env.FLOPLENS_FUZZ_NET !== '0';

function corpus(): { name: string; text: string }[] {
  const out: { name: string; text: string }[] = [];
  for (const dir of ['test/fixtures/scripts', 'test/fixtures/scripts/multi', 'examples']) {
    const abs = path.join(ROOT, dir);
    if (!fs.existsSync(abs)) continue;
    for (const f of fs.readdirSync(abs).sort()) {
      if (!/\.(py|ipynb)$/.test(f)) continue;
      out.push({ name: `${dir}/${f}`, text: readScript(path.join(abs, f)).text });
    }
  }
  return out;
}

/** A well-mixed 32-bit hash of the case index (murmur3 finaliser), so seeds of neighbouring cases differ in every bit. */
function mix(n: number): number {
  let h = (n + 0x9e3779b9) >>> 0;
  h = Math.imul(h ^ (h >>> 16), 0x85ebca6b) >>> 0;
  h = Math.imul(h ^ (h >>> 13), 0xc2b2ae35) >>> 0;
  return (h ^ (h >>> 16)) >>> 0;
}

/** Deterministic PRNG (xorshift32) so failures reproduce from the case number. */
function rng(seed: number): () => number {
  let s = seed >>> 0 || 1;
  return () => {
    s ^= s << 13; s >>>= 0;
    s ^= s >> 17;
    s ^= s << 5; s >>>= 0;
    return s / 4294967296;
  };
}

type Mutator = (text: string, r: () => number) => string;

const tokens = (t: string) => t.split(/(\s+|[()[\]{},:.=])/);
const CHAOS_NUMBERS = ['0', '-1', '10**12', '1e308', 'float("nan")', '2**64', 'float("inf")', '-10**9', '0.5'];
const MUTATORS: Record<string, Mutator> = {
  deleteToken: (t, r) => { const ts = tokens(t); ts.splice(Math.floor(r() * ts.length), 1 + Math.floor(r() * 3)); return ts.join(''); },
  duplicateToken: (t, r) => { const ts = tokens(t); const i = Math.floor(r() * ts.length); ts.splice(i, 0, ...ts.slice(i, i + 1 + Math.floor(r() * 5))); return ts.join(''); },
  truncateLine: (t, r) => { const ls = t.split('\n'); return ls.slice(0, Math.floor(r() * (ls.length + 1))).join('\n'); },
  truncateMidLine: (t, r) => t.slice(0, Math.floor(r() * t.length)),
  randomBytes: (t, r) => { const i = Math.floor(r() * t.length); const junk = Array.from({ length: 1 + Math.floor(r() * 40) }, () => String.fromCharCode(Math.floor(r() * 0xffff))).join(''); return t.slice(0, i) + junk + t.slice(i); },
  deepNesting: (t, r) => { const n = 50 + Math.floor(r() * 3000); const open = r() < 0.5 ? '(' : '['; const close = open === '(' ? ')' : ']'; return `${t}\nz = ${open.repeat(n)}1${close.repeat(n)}\n`; },
  unterminatedString: (t, r) => { const i = Math.floor(r() * t.length); return t.slice(0, i) + (r() < 0.5 ? '"""' : "'") + t.slice(i); },
  swapLines: (t, r) => { const ls = t.split('\n'); const i = Math.floor(r() * ls.length), j = Math.floor(r() * ls.length); [ls[i], ls[j]] = [ls[j], ls[i]]; return ls.join('\n'); },
  dedent: (t, r) => t.split('\n').map((l) => (r() < 0.1 ? l.trimStart() : l)).join('\n'),
  numberChaos: (t, r) => t.replace(/\b\d+\b/g, (m) => (r() < 0.2 ? CHAOS_NUMBERS[Math.floor(r() * CHAOS_NUMBERS.length)] : m)),
};
const NAMES = Object.keys(MUTATORS);

interface Case { index: number; mutator: string; doc: string; text: string }

function makeCase(index: number, docs: { name: string; text: string }[]): Case {
  const mutator = NAMES[index % NAMES.length];
  const doc = docs[Math.floor(index / NAMES.length) % docs.length];
  const r = rng(mix(index));
  let text = doc.text;
  const rounds = 1 + Math.floor(r() * 3);
  for (let k = 0; k < rounds; k++) text = MUTATORS[mutator](text, r);
  return { index, mutator, doc: doc.name, text };
}

type Kind = 'threw' | 'slow' | 'NaN' | 'Infinity' | '-Infinity' | 'negative' | 'net';
interface Failure { c: Case; kind: Kind; where: string; detail: string }

/** Every number anywhere in the analysis must be finite and non-negative; returns the first offenders. */
function badNumbers(a: unknown): { kind: Kind; where: string; value: number }[] {
  const out: { kind: Kind; where: string; value: number }[] = [];
  const walk = (v: unknown, where: string): void => {
    if (typeof v === 'number') {
      const kind: Kind | undefined = Number.isNaN(v) ? 'NaN' : v === Infinity ? 'Infinity' : v === -Infinity ? '-Infinity' : v < 0 ? 'negative' : undefined;
      if (kind) out.push({ kind, where, value: v });
    } else if (Array.isArray(v)) {
      v.forEach((x, i) => walk(x, `${where}[${i}]`));
    } else if (v && typeof v === 'object') {
      for (const [k, x] of Object.entries(v)) walk(x, where ? `${where}.${k}` : k);
    }
  };
  walk(a, '');
  return out;
}

function runCase(c: Case): Failure[] {
  const t0 = performance.now();
  let a: Analysis;
  try {
    a = analyze({ text: c.text, file: `fuzz-${c.index}.py` });
  } catch (e) {
    return [{ c, kind: 'threw', where: '', detail: String((e as Error).stack ?? e) }];
  }
  const ms = performance.now() - t0;
  const out: Failure[] = [];
  if (ms > CASE_BUDGET_MS) out.push({ c, kind: 'slow', where: '', detail: `${ms.toFixed(0)} ms` });
  const bad = badNumbers(a);
  if (bad.length) {
    const b = bad[0];
    out.push({ c, kind: b.kind, where: b.where, detail: `${b.value}${bad.length > 1 ? ` (+${bad.length - 1} more: ${[...new Set(bad.slice(1).map((x) => x.where.replace(/\[\d+\]/g, '[]')))].slice(0, 4).join(', ')})` : ''}` });
  }
  // The output's last net (analyze.ts turns an unusable op or figure into unknown with a problem) must not be what
  // keeps a case clean: the op table, the projection and the catalogs reject bad sizes where they arise.
  const net = a.problems.find((p) => p.code === 'bad-figure')?.message ?? a.uncounted.find((u) => /cannot use/.test(u.reason))?.name;
  if (net !== undefined && NET_FAILS) out.push({ c, kind: 'net', where: '', detail: net });
  return out;
}

function tally(fs: Failure[], key: (f: Failure) => string): string {
  const m = new Map<string, number>();
  for (const f of fs) m.set(key(f), (m.get(key(f)) ?? 0) + 1);
  return [...m].sort((a, b) => b[1] - a[1]).map(([k, n]) => `${k} ${n}`).join(', ');
}

function report(failures: Failure[], cases: number, limit = 40): string {
  const lines = [
    `${failures.length} failing check(s) in ${cases} cases`,
    `by kind: ${tally(failures, (f) => f.kind)}`,
    `by mutator: ${tally(failures, (f) => f.c.mutator)}`,
    ...failures.slice(0, limit).map((f) => `  case ${f.c.index} (${f.c.mutator} on ${f.c.doc}): ${f.kind}${f.where ? ` at ${f.where}` : ''}: ${f.detail.split('\n').slice(0, 4).join(' | ')}`),
    failures.length > limit ? `  ... and ${failures.length - limit} more` : '',
    'rerun one case with FLOPLENS_FUZZ_CASE=<index> npx vitest run test/unit/fuzz.test.ts',
  ];
  return lines.filter(Boolean).join('\n');
}

describe('fuzzing the analysis', () => {
  const docs = corpus();

  it('mutators all run in a CI-sized run, and a case is reproducible from its index', () => {
    expect(docs.length).toBeGreaterThan(5);
    const seen = new Set(Array.from({ length: NAMES.length }, (_, i) => makeCase(i, docs).mutator));
    expect(seen.size).toBe(NAMES.length);
    expect(makeCase(1234, docs)).toEqual(makeCase(1234, docs));
    expect(mix(1)).not.toBe(mix(2));
    expect(badNumbers({ a: [1, { b: NaN }], c: -2, d: Infinity })).toEqual([
      { kind: 'NaN', where: 'a[1].b', value: NaN },
      { kind: 'negative', where: 'c', value: -2 },
      { kind: 'Infinity', where: 'd', value: Infinity },
    ]);
  });

  if (ONE_CASE !== undefined) {
    const indices = ONE_CASE.split(',').map(Number).filter((n) => Number.isSafeInteger(n) && n >= 0);
    it(`case(s) ${indices.join(', ')} alone`, () => {
      const failures: Failure[] = [];
      for (const i of indices) {
        const c = makeCase(i, docs);
        if (indices.length === 1) console.log(`case ${c.index}: ${c.mutator} on ${c.doc}\n----- mutated text -----\n${c.text}\n----- end -----`);
        failures.push(...runCase(c));
      }
      if (failures.length) console.log(report(failures, indices.length, Infinity));
      expect(failures, report(failures, indices.length)).toEqual([]);
    }, Math.max(60_000, indices.length * 30_000));
    return;
  }

  it(`${CASES} mutated scripts all return a result with finite, non-negative figures`, () => {
    const failures: Failure[] = [];
    let slowest = { ms: 0, label: '' };
    const t0 = performance.now();
    for (let i = FROM; i < FROM + CASES; i++) {
      const c = makeCase(i, docs);
      const s = performance.now();
      failures.push(...runCase(c));
      const ms = performance.now() - s;
      if (ms > slowest.ms) slowest = { ms, label: `case ${i} (${c.mutator} on ${c.doc})` };
    }
    console.log(`fuzz: cases ${FROM}..${FROM + CASES - 1} in ${((performance.now() - t0) / 1000).toFixed(1)} s; slowest ${slowest.ms.toFixed(0)} ms: ${slowest.label}`);
    if (failures.length) console.log(report(failures, CASES, Infinity));
    expect(failures.length, report(failures, CASES)).toBe(0);
  }, Math.max(120_000, CASES * 200));
});
