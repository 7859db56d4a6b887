/**
 * Re-analysis after an edit re-parses only around the change (lezer's incremental parse) and reuses the converted
 * statements outside it, shifting their offsets in place. Whatever the edit history, the result for code that
 * parses must be exactly what a fresh parse of the same text gives, offsets included.
 */
import * as fs from 'fs';
import * as path from 'path';
import * as v8 from 'v8';
import * as vm from 'vm';
import { describe, expect, it } from 'vitest';
import { parseModule } from '../../src/core/parse/ast';
import { analyze } from '../../src/core/analyze';

const ROOT = path.resolve(__dirname, '../..');
const SCRIPTS = [
  ...fs.readdirSync(path.join(ROOT, 'test/fixtures/scripts')).filter((f) => f.endsWith('.py')).map((f) => path.join(ROOT, 'test/fixtures/scripts', f)),
  ...fs.readdirSync(path.join(ROOT, 'examples')).filter((f) => f.endsWith('.py')).map((f) => path.join(ROOT, 'examples', f)),
];

/** A small deterministic PRNG (mulberry32). */
function rng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Edits that keep valid Python valid: comment and blank lines, digits changed in numbers, lines removed and restored. */
function edit(text: string, rand: () => number): string {
  const lines = text.split('\n');
  const at = Math.floor(rand() * lines.length);
  const indent = /^\s*/.exec(lines[at] ?? '')?.[0] ?? '';
  switch (Math.floor(rand() * 4)) {
    case 0: lines.splice(at, 0, `${indent}# note ${at}`); break;
    case 1: lines.splice(at, 0, ''); break;
    case 2: {
      const i = lines.findIndex((l, j) => j >= at && /^\s*#/.test(l));
      if (i >= 0) lines.splice(i, 1);
      break;
    }
    default: {
      const i = lines.findIndex((l, j) => j >= at && /(?<![\w.])[1-9]\d*(?![\w.])/.test(l) && !/^\s*#/.test(l));
      if (i >= 0) lines[i] = lines[i].replace(/(?<![\w.'"])([1-9])(\d*)(?![\w.'"])/, (_m, d: string, rest: string) => `${(Number(d) % 9) + 1}${rest}`);
    }
  }
  return lines.join('\n');
}

const strip = (m: ReturnType<typeof parseModule>) => JSON.stringify({ body: m.body, problems: m.problems });

describe('incremental parse', () => {
  it('equals a fresh parse after every one of 40 random edits to each script', () => {
    let compared = 0;
    for (const [n, file] of SCRIPTS.entries()) {
      const rand = rng(1000 + n);
      let text = fs.readFileSync(file, 'utf8');
      const key = `incremental:${file}`;
      parseModule(text, undefined, 20, key);
      for (let i = 0; i < 40; i++) {
        text = edit(text, rand);
        const fresh = parseModule(text);
        if (fresh.problems.length) continue;
        expect(strip(parseModule(text, undefined, 20, key)), `${path.basename(file)} after edit ${i + 1}`).toBe(strip(fresh));
        compared++;
      }
    }
    expect(compared).toBeGreaterThan(SCRIPTS.length * 30);
  });

  it('a half-typed line and its completion: the completed text parses as if never broken', () => {
    const file = SCRIPTS.find((f) => f.endsWith('nanogpt_shakespeare_char.py'))!;
    const text = fs.readFileSync(file, 'utf8');
    const at = text.indexOf('\nclass ');
    const key = 'incremental:typing';
    parseModule(text, undefined, 20, key);
    const typed = 'EXTRA = dict(width=512, depth=8)\n';
    // Type the line one character at a time (broken states in between), then check the result.
    for (let i = 1; i <= typed.length; i++) parseModule(text.slice(0, at + 1) + typed.slice(0, i) + text.slice(at + 1), undefined, 20, key);
    const done = text.slice(0, at + 1) + typed + text.slice(at + 1);
    expect(strip(parseModule(done, undefined, 20, key))).toBe(strip(parseModule(done)));
  });

  it('the analysis of an edited script equals a fresh analysis of the same text, locations included', () => {
    const file = SCRIPTS.find((f) => f.endsWith('resnet_cifar.py'))!;
    const text = fs.readFileSync(file, 'utf8');
    const key = 'incremental:analysis.py';
    analyze({ text, file: key });
    const edited = `# a comment at the top moves every offset below it\n${text}`;
    const viaCache = analyze({ text: edited, file: key });
    const fresh = analyze({ text: edited, file: 'incremental:fresh.py' });
    const norm = (a: typeof fresh) => JSON.stringify({ ...a, file: '', elapsedMs: 0 });
    expect(norm(viaCache)).toBe(norm(fresh));
    expect(viaCache.ops.find((o) => o.loc)?.loc?.line).toBeGreaterThan(1);
  });

  it('converted statements share no objects (shifting them in place must move each offset once)', () => {
    for (const file of SCRIPTS) {
      const text = fs.readFileSync(file, 'utf8');
      for (const t of [text, text.slice(0, text.length >> 1), text.replace(/\)/g, '')]) {
        const seen = new Set<object>();
        const walk = (v: unknown): void => {
          if (v === null || typeof v !== 'object') return;
          expect(seen.has(v), path.basename(file)).toBe(false);
          seen.add(v);
          for (const x of Object.values(v)) walk(x);
        };
        walk(parseModule(t).body);
      }
    }
  });

  it('statements kept across edits do not keep old versions of the file alive', () => {
    v8.setFlagsFromString('--expose-gc');
    const gc = vm.runInNewContext('gc') as () => void;
    const heap = () => { gc(); gc(); return process.memoryUsage().heapUsed; };
    let text = fs.readFileSync(SCRIPTS.find((f) => f.endsWith('nanogpt_shakespeare_char.py'))!, 'utf8');
    parseModule(text, undefined, 20, 'incremental:growing');
    const before = heap();
    // Typing 1,200 lines one at a time: each version's converted statements are reused by the next.
    for (let i = 0; i < 1200; i++) {
      text += `\nlong_variable_name_${i} = "a string literal long enough to be a slice ${i}"`;
      parseModule(text, undefined, 20, 'incremental:growing');
    }
    const grown = heap() - before;
    // The final file is ~100 KB; its tree and statements take a few MB. Pinning every old version took ~50 MB.
    expect(grown / 2 ** 20).toBeLessThan(15);
  });
});
