/**
 * Fuzzing the whole analysis: every fixture and example script, mutated (token deletion and
 * duplication, truncation at every line, random bytes, deep nesting, unterminated strings), must
 * return an Analysis with finite numbers within a time budget, never throw.
 *
 * CI runs FLOPLENS_FUZZ_CASES (default 1,500) cases; `npm run fuzz` runs 20,000.
 */
import { describe, expect, it } from 'vitest';
import * as fs from 'fs';
import * as path from 'path';
import { analyze } from '../../src/core/analyze';
import { notebookCells } from '../../src/core/notebook';
import type { Analysis } from '../../src/core/types';

const ROOT = path.resolve(__dirname, '../..');
const CASES = Number(process.env.FLOPLENS_FUZZ_CASES ?? 1500);
/** A single analysis slower than this counts as a hang. */
const CASE_BUDGET_MS = 10_000;

function corpus(): { name: string; text: string }[] {
  const out: { name: string; text: string }[] = [];
  for (const dir of ['test/fixtures/scripts', 'test/fixtures/scripts/multi', 'examples']) {
    const abs = path.join(ROOT, dir);
    if (!fs.existsSync(abs)) continue;
    for (const f of fs.readdirSync(abs)) {
      if (!/\.(py|ipynb)$/.test(f)) continue;
      const raw = fs.readFileSync(path.join(abs, f), 'utf8');
      out.push({ name: `${dir}/${f}`, text: f.endsWith('.ipynb') ? notebookCells(raw).join('\n\n') : raw });
    }
  }
  return out;
}

/** Deterministic PRNG so failures reproduce from the case number. */
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
  numberChaos: (t, r) => t.replace(/\b\d+\b/g, (m) => (r() < 0.2 ? ['0', '-1', '10**12', '1e308', 'float("nan")', '2**64'][Math.floor(r() * 6)] : m)),
};

function checkFinite(a: Analysis): void {
  const nums = [a.model.params, a.step.forwardFlops, a.step.batch, a.memory.peakBytes, a.run.steps, a.run.totalFlops];
  for (const n of nums) expect(Number.isNaN(n)).toBe(false);
  for (const p of a.projections) {
    for (const k of ['low', 'mid', 'high'] as const) {
      expect(p.stepSeconds[k]).toBeGreaterThanOrEqual(0);
      expect(Number.isNaN(p.runSeconds[k])).toBe(false);
    }
  }
}

describe('fuzzing the analysis', () => {
  const docs = corpus();
  it(`${CASES} mutated scripts all return a result`, () => {
    expect(docs.length).toBeGreaterThan(5);
    const names = Object.keys(MUTATORS);
    let slowest = { ms: 0, label: '' };
    for (let c = 0; c < CASES; c++) {
      const r = rng(c + 1);
      const doc = docs[c % docs.length];
      const mut = names[Math.floor(r() * names.length)];
      let text = doc.text;
      const rounds = 1 + Math.floor(r() * 3);
      for (let k = 0; k < rounds; k++) text = MUTATORS[mut](text, r);
      const t0 = performance.now();
      let a: Analysis;
      try {
        a = analyze({ text, file: `fuzz-${c}.py` });
      } catch (e) {
        throw new Error(`case ${c} (${mut} on ${doc.name}) threw: ${(e as Error).stack}`);
      }
      const ms = performance.now() - t0;
      if (ms > slowest.ms) slowest = { ms, label: `case ${c} (${mut} on ${doc.name})` };
      expect(ms, `case ${c} (${mut} on ${doc.name})`).toBeLessThan(CASE_BUDGET_MS);
      checkFinite(a);
    }
    console.log(`fuzz: ${CASES} cases; slowest ${slowest.ms.toFixed(0)} ms: ${slowest.label}`);
  }, Math.max(120_000, CASES * 200));
});
