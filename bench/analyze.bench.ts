/**
 * `npm run bench`: how fast the static analysis is. Reports the median analysis time per fixture
 * and example script, per 1,000 lines, for a synthetic 2,000-line script, and for re-analysis after
 * a one-character edit (incremental parse). Targets (issue: static analysis): 2,000 lines < 20 ms
 * after warm-up; re-analysis on edit < 10 ms. Figures depend on the machine; run it quiet.
 */
import * as fs from 'fs';
import * as path from 'path';
import { analyze } from '../src/core/analyze';
import { notebookCells } from '../src/core/notebook';

const ROOT = path.resolve(__dirname, '..');
const median = (xs: number[]) => { const s = [...xs].sort((a, b) => a - b); return s[Math.floor(s.length / 2)]; };

function time(fn: () => void, warm = 5, runs = 21): number {
  for (let i = 0; i < warm; i++) fn();
  const ts: number[] = [];
  for (let i = 0; i < runs; i++) { const t = performance.now(); fn(); ts.push(performance.now() - t); }
  return median(ts);
}

function load(file: string): string {
  const raw = fs.readFileSync(file, 'utf8');
  return file.endsWith('.ipynb') ? notebookCells(raw).join('\n\n') : raw;
}

const files = [
  ...['test/fixtures/scripts', 'examples'].flatMap((d) => (fs.existsSync(path.join(ROOT, d)) ? fs.readdirSync(path.join(ROOT, d)).filter((f) => /\.(py|ipynb)$/.test(f)).map((f) => path.join(d, f)) : [])),
];

console.log('FlopLens analysis benchmark (median of 21 runs after 5 warm-up runs)\n');
console.log('file'.padEnd(52), 'lines'.padStart(6), 'ms'.padStart(8), 'ms/1k lines'.padStart(12));
let totalLines = 0, totalMs = 0;
for (const f of files) {
  const text = load(path.join(ROOT, f));
  const lines = text.split('\n').length;
  const ms = time(() => analyze({ text, file: `bench:${f}` }));
  totalLines += lines; totalMs += ms;
  console.log(f.padEnd(52), String(lines).padStart(6), ms.toFixed(2).padStart(8), (ms / lines * 1000).toFixed(2).padStart(12));
}
console.log(`\nall scripts: ${totalLines} lines in ${totalMs.toFixed(1)} ms → ${(totalMs / totalLines * 1000).toFixed(2)} ms per 1,000 lines`);

// A realistic 2,000-line script: configs, helpers and several model definitions, one training loop.
const parts = ['resnet_cifar.py', 'vit_einsum.py', 'unet_segmentation.py', 'modulelist_tabular_resmlp.py', 'nanogpt_shakespeare_char.py']
  .map((f) => fs.readFileSync(path.join(ROOT, 'test/fixtures/scripts', f), 'utf8').replace(/if __name__ == .__main__.:[\s\S]*$/, ''));
let big = parts.join('\n\n');
let k = 0;
while (big.split('\n').length < 1900) big += `\nHELPER_CONST_${k} = ${k} * 3 + 1  # padding config line ${k++}`;
const loop = fs.readFileSync(path.join(ROOT, 'test/fixtures/scripts/nanogpt_shakespeare_char.py'), 'utf8').split('if __name__ == ')[1];
if (loop) big += '\n' + loop.replace(/^'__main__':\n/, 'if True:\n');
const bigLines = big.split('\n').length;
const full = time(() => analyze({ text: big, file: `bench:big:${Math.random()}` }), 3, 11);
console.log(`\nsynthetic script, ${bigLines} lines: ${full.toFixed(1)} ms per full analysis (target < 20 ms)`);

// Re-analysis after typing one character in the middle (incremental parse from the previous tree).
let flip = 0;
const key = 'bench:edit';
analyze({ text: big, file: key });
const mid = big.indexOf('class ', Math.floor(big.length / 2));
const edit = time(() => {
  flip ^= 1;
  const t = big.slice(0, mid) + (flip ? '# x\n' : '# y\n') + big.slice(mid);
  analyze({ text: t, file: key });
}, 3, 11);
console.log(`re-analysis after a one-line edit: ${edit.toFixed(1)} ms (target < 10 ms)`);
