/**
 * Properties of the whole analysis on the fixture and example scripts: with the batch set as a setting
 * override (as `floplens.overrides` or `--set batch=N` do), one iteration's forward FLOPs, bytes and
 * activation memory never fall as the batch grows, and every projected step time is finite and never falls
 * either (on the same number of devices). Scripts whose own `# floplens: batch=` directive wins stay the same.
 */
import { describe, expect, it } from 'vitest';
import * as fs from 'fs';
import * as path from 'path';
import { analyze } from '../../src/core/analyze';
import { analyzeFile } from '../../src/cli/analyzeFile';
import type { Analysis } from '../../src/core/types';

const ROOT = path.resolve(__dirname, '../..');
const BATCHES = [1, 2, 7, 32, 128];

function scripts(): { name: string; file: string }[] {
  const out: { name: string; file: string }[] = [];
  for (const dir of ['test/fixtures/scripts', 'test/fixtures/scripts/multi', 'examples']) {
    const abs = path.join(ROOT, dir);
    if (!fs.existsSync(abs)) continue;
    for (const f of fs.readdirSync(abs).sort()) {
      if (/\.(py|ipynb)$/.test(f) && !(dir.endsWith('multi') && f === 'model.py')) out.push({ name: `${dir}/${f}`, file: path.join(abs, f) });
    }
  }
  return out;
}

function analyzeAt(file: string, batch: number): Analysis {
  return analyzeFile(file, { overrides: { batch: String(batch) }, root: path.dirname(file), name: path.basename(file) });
}

describe('analysis properties over the fixture scripts', () => {
  const all = scripts();

  it('there are scripts to check', () => {
    expect(all.length).toBeGreaterThan(10);
  });

  it.each(all.map((s) => [s.name, s.file] as const))('%s: per-step work and time are monotone in the batch setting', (_name, file) => {
    const runs = BATCHES.map((batch) => ({ batch, a: analyzeAt(file, batch) }));
    for (const { batch, a } of runs) {
      expect(a.problems.filter((p) => p.code === 'internal'), `batch ${batch}: internal errors`).toEqual([]);
      for (const n of [a.step.forwardFlops, a.step.vectorFlops, a.step.bytes, a.memory.peakBytes, a.model.params]) {
        expect(Number.isFinite(n) && n >= 0, `batch ${batch}: ${n}`).toBe(true);
      }
      for (const p of a.projections) {
        for (const band of [p.stepSeconds, p.runSeconds]) {
          expect(Number.isFinite(band.mid) && band.low <= band.mid && band.mid <= band.high, `batch ${batch} ${p.hardwareId}: ${JSON.stringify(band)}`).toBe(true);
        }
      }
    }
    const directiveBatch = runs[0].a.assumptions.find((x) => x.name === 'batch')?.source === 'directive';
    for (let i = 1; i < runs.length; i++) {
      const lo = runs[i - 1], hi = runs[i];
      const at = `batch ${lo.batch} → ${hi.batch}`;
      expect(hi.a.step.forwardFlops, `${at}: forward FLOPs`).toBeGreaterThanOrEqual(lo.a.step.forwardFlops);
      expect(hi.a.step.vectorFlops, `${at}: vector FLOPs`).toBeGreaterThanOrEqual(lo.a.step.vectorFlops);
      expect(hi.a.step.bytes, `${at}: bytes`).toBeGreaterThanOrEqual(lo.a.step.bytes);
      expect(hi.a.memory.activations, `${at}: activations`).toBeGreaterThanOrEqual(lo.a.memory.activations);
      expect(hi.a.model.params, `${at}: parameters do not depend on the batch`).toBe(lo.a.model.params);
      for (const p of hi.a.projections) {
        const q = lo.a.projections.find((x) => x.hardwareId === p.hardwareId);
        if (!q || q.devicesUsed !== p.devicesUsed) continue;
        expect(p.stepSeconds.mid, `${at}: step time on ${p.hardwareId}`).toBeGreaterThanOrEqual(q.stepSeconds.mid * (1 - 1e-9));
      }
    }
    const first = runs[0].a, last = runs[runs.length - 1].a;
    if (directiveBatch) {
      expect(last.step.batch, 'a script directive wins over the setting').toBe(first.step.batch);
    } else if (first.step.forwardFlops > 0) {
      expect(last.step.batch).toBe(BATCHES[BATCHES.length - 1]);
      expect(last.step.forwardFlops, 'more samples, more FLOPs').toBeGreaterThan(first.step.forwardFlops);
    }
  });
});

/** Every number in a value that is NaN, by path. */
function nans(v: unknown, at = 'analysis'): string[] {
  if (typeof v === 'number') return Number.isNaN(v) ? [at] : [];
  if (Array.isArray(v)) return v.flatMap((x, i) => nans(x, `${at}[${i}]`));
  if (v && typeof v === 'object') return Object.entries(v).flatMap(([k, x]) => nans(x, `${at}.${k}`));
  return [];
}

describe('sizes past what a float64 holds as an integer', () => {
  // Found by `npm run fuzz` (numberChaos): 1e308 and 2**64 as sizes, batch sizes and epoch counts.
  const MODEL = 'import torch\nimport torch.nn as nn\n\nclass Net(nn.Module):\n    def __init__(self):\n        super().__init__()\n        self.fc = nn.Linear(IN, 10)\n\n    def forward(self, x):\n        return self.fc(x)\n\n';
  it.each([
    ['a guessed batch of 1e308 meeting a zero-width layer', `import argparse\nparser = argparse.ArgumentParser()\nparser.add_argument('--batch-size', type=int, default=1e308)\nargs = parser.parse_args()\nIN = 0\n${MODEL.replace('self.fc = nn.Linear(IN, 10)', 'self.fc = nn.Sequential(nn.Linear(784, IN), nn.Linear(IN, 10))')}model = Net()\n`],
    ['2**64 features', `IN = 2**64\n${MODEL}model = Net()\ny = model(torch.randn(8, 2**64))\n`],
    ['a tensor of 1e308 rows', `IN = 16\n${MODEL}model = Net()\ny = model(torch.randn(1e308, 16))\n`],
    ['no work for 1e308 epochs', `from torchvision import datasets\nfrom torch.utils.data import DataLoader\nIN = 2**64\nepochs = 1e308\n${MODEL}model = Net()\nopt = torch.optim.AdamW(model.parameters())\nloader = DataLoader(datasets.CIFAR100('data', train=True, download=True), batch_size=128)\nfor epoch in range(epochs):\n    for x, y in loader:\n        loss = model(x).sum()\n        loss.backward()\n        opt.step()\n`],
  ])('%s: no NaN anywhere in the analysis, and the size is named as a problem or ignored', (_what, text) => {
    const a = analyze({ text, file: 'huge.py' });
    expect(nans(a)).toEqual([]);
    expect(Number.isFinite(a.step.forwardFlops)).toBe(true);
    expect(a.step.batch === undefined || Number.isSafeInteger(a.step.batch)).toBe(true);
  });
});
