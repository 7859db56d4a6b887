/**
 * The interpreter's allocation budget: no script, however it grows its values, can exhaust the process. Each
 * doubling form finishes with a budget warning and a fully finite analysis; a model defined and used after the
 * doubling is analysed exactly as without it; loops and comprehensions that build many layers count them.
 */
import { describe, expect, it } from 'vitest';
import { analyze } from '../../src/core/analyze';
import type { Analysis } from '../../src/core/types';
import { DOUBLING } from './doublingScripts';


/** Every number in the analysis is finite (no NaN or Infinity; JSON would turn them into null). */
function expectFinite(v: unknown, path = 'analysis'): void {
  if (typeof v === 'number') {
    expect(Number.isFinite(v), path).toBe(true);
    return;
  }
  if (Array.isArray(v)) v.forEach((x, i) => expectFinite(x, `${path}[${i}]`));
  else if (v && typeof v === 'object') for (const [k, x] of Object.entries(v)) expectFinite(x, `${path}.${k}`);
}

const budgetWarnings = (a: Analysis) => a.problems.filter((p) => p.code === 'budget' && p.severity === 'warning');

const MODEL = `
import torch
from torch import nn

class Tagger(nn.Module):
    def __init__(self, vocab=5000, dim=128, tags=17):
        super().__init__()
        self.emb = nn.Embedding(vocab, dim)
        self.rnn = nn.GRU(dim, dim, batch_first=True)
        self.out = nn.Linear(dim, tags)
    def forward(self, tokens):
        h, _ = self.rnn(self.emb(tokens))
        return self.out(h)

tagger = Tagger()
optimizer = torch.optim.Adam(tagger.parameters())
for it in range(500):
    tokens = torch.randint(0, 5000, (16, 40))
    logits = tagger(tokens)
    loss = logits.mean()
    optimizer.zero_grad()
    loss.backward()
    optimizer.step()
`;
const MODEL_PARAMS = 5000 * 128 + 3 * (128 * 128 * 2 + 128 * 2) + 128 * 17 + 17;

describe('allocation budget', () => {
  for (const [name, text] of Object.entries(DOUBLING)) {
    it(`${name}: finishes with a budget warning and a finite analysis`, () => {
      const a = analyze({ text, file: `${name}.py` });
      const warnings = budgetWarnings(a);
      expect(warnings.length, JSON.stringify(a.problems)).toBeGreaterThan(0);
      expect(warnings[0].message).toMatch(/lower bound/);
      expect(warnings[0].loc?.line).toBeGreaterThan(0);
      expect(a.problems.some((p) => /nests too deeply|stopped early/.test(p.message)), JSON.stringify(a.problems)).toBe(false);
      // One warning per location, however many passes hit it.
      const lines = warnings.map((w) => `${w.loc?.line}:${w.loc?.col}`);
      expect(new Set(lines).size).toBe(lines.length);
      expectFinite(a);
    }, 60_000);
  }

  for (const name of ['list +', 'string +', 'extend', '[*x, *x]', 'dict.update', 'nested list growth']) {
    it(`a model defined and used after ${name} doubling is analysed as without it`, () => {
      const plain = analyze({ text: MODEL, file: 'plain.py' });
      const doubled = analyze({ text: DOUBLING[name] + MODEL, file: 'doubled.py' });
      expect(plain.model.params).toBe(MODEL_PARAMS);
      expect(doubled.model.params).toBe(plain.model.params);
      expect(doubled.step.forwardFlops).toBe(plain.step.forwardFlops);
      expect(doubled.step.backwardFlops).toBe(plain.step.backwardFlops);
      expect(doubled.step.forwardFlops).toBeGreaterThan(0);
      expect(doubled.run.mode).toBe(plain.run.mode);
    }, 60_000);
  }

  it('a statement that nests too deeply loses only itself: the model after it is still analysed', () => {
    // 3,000 nested brackets overflow a recursive evaluator; the statements after it still run.
    const deep = `y = ${'['.repeat(3000)}0${']'.repeat(3000)}\n`;
    const a = analyze({ text: deep + MODEL, file: 'deep.py' });
    expect(a.model.params).toBe(MODEL_PARAMS);
    expectFinite(a);
  }, 60_000);

  it('1,025 layers appended in a loop count as 1,025 layers', () => {
    const text = 'import torch\nimport torch.nn as nn\nlayers = []\nfor i in range(1025):\n    layers.append(nn.Linear(64, 64))\nmodel = nn.Sequential(*layers)\ny = model(torch.randn(8, 64))\n';
    const a = analyze({ text, file: 'layers.py' });
    expect(a.model.params).toBe(1025 * (64 * 64 + 64));
    expect(budgetWarnings(a)).toEqual([]);
  }, 60_000);

  it('a comprehension of 5,000 layers counts 5,000; past the limit it counts what it evaluated and says the figure is a lower bound', () => {
    const five = analyze({ text: 'import torch.nn as nn\nimport torch\nmodel = nn.Sequential(*[nn.Linear(64, 64) for _ in range(5000)])\ny = model(torch.randn(8, 64))\n', file: 'five.py' });
    expect(five.model.params).toBe(5000 * 4160);
    const big = analyze({ text: 'import torch.nn as nn\nimport torch\nmodel = nn.Sequential(*[nn.Linear(64, 64) for _ in range(100_001)])\ny = model(torch.randn(8, 64))\n', file: 'big.py' });
    expect(big.model.params).toBeGreaterThan(4096 * 4160);
    const w = budgetWarnings(big);
    expect(w.length).toBe(1);
    // The notice states the numbers that were actually used.
    expect(w[0].message).toContain('100,001 items');
    expect(w[0].message).toContain(`${(big.model.params / 4160).toLocaleString('en-US')} within`);
    expect(w[0].message).toMatch(/lower bounds/);
    expectFinite(big);
  }, 60_000);
});
