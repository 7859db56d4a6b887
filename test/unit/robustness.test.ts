/**
 * Bad input: half-typed code, unknown layers, shapes that cannot be traced, huge and pathological
 * files, runaway loops and recursion, circular imports. Each gives a clear problem and a partial
 * result; nothing throws or hangs.
 */
import { describe, expect, it } from 'vitest';
import * as fs from 'fs';
import * as path from 'path';
import { analyze } from '../../src/core/analyze';
import type { Analysis } from '../../src/core/types';

const NANO = fs.readFileSync(path.resolve(__dirname, '../fixtures/scripts/nanogpt_shakespeare_char.py'), 'utf8');

const MLP = `import torch
import torch.nn as nn

class Net(nn.Module):
    def __init__(self):
        super().__init__()
        self.fc1 = nn.Linear(784, 256)
        self.fc2 = nn.Linear(256, 10)

    def forward(self, x):
        return self.fc2(torch.relu(self.fc1(x)))

model = Net()
y = model(torch.randn(32, 784))
`;

const run = (text: string, extra: Partial<Parameters<typeof analyze>[0]> = {}): Analysis => analyze({ text, file: 'test.py', ...extra });
const codes = (a: Analysis) => a.problems.map((p) => p.code);

describe('bad input never crashes or hangs', () => {
  it('a file cut mid-line still yields the model and a syntax problem with its line', () => {
    const cut = NANO.slice(0, NANO.indexOf('for micro_step in range') + 32);
    const a = run(cut);
    expect(a.model.params).toBe(812288);
    const half = run(NANO.slice(0, NANO.indexOf('def forward(self, idx, targets=None)') + 30));
    expect(half.problems.some((p) => p.code === 'syntax')).toBe(true);
    const syntax = a.problems.find((p) => p.code === 'syntax');
    expect(syntax?.loc?.line).toBeGreaterThan(1);
  });

  it('truncation at every line of a real script returns a result', () => {
    const lines = MLP.split('\n');
    for (let i = 0; i <= lines.length; i++) {
      const a = run(lines.slice(0, i).join('\n') + (i % 2 ? '\n    self.x = nn.Linear(' : ''));
      expect(a.schemaVersion).toBe(1);
    }
  });

  it('an unknown layer is named as uncounted with its line, and the rest is counted', () => {
    const a = run(MLP.replace('self.fc2 = nn.Linear(256, 10)', 'self.fc2 = nn.Linear(256, 10)\n        self.odd = nn.FancyNewLayer(3)').replace('return self.fc2(', 'return self.odd(self.fc2(') + ')\n');
    expect(a.uncounted.some((u) => u.name.includes('FancyNewLayer') && u.loc?.line === 9)).toBe(true);
    expect(a.model.params).toBe(784 * 256 + 256 + 256 * 10 + 10);
  });

  it('a custom op called on tensors is reported, not silently zero', () => {
    const a = run(MLP.replace('return self.fc2(torch.relu(self.fc1(x)))', 'return my_cuda_kernel(self.fc2(torch.relu(self.fc1(x))))'));
    expect(a.uncounted.map((u) => u.name).join(' ')).toMatch(/my_cuda_kernel/);
  });

  it('an input shape that cannot be traced falls back to the constructor arguments and says so', () => {
    const a = run(MLP.replace('model(torch.randn(32, 784))', 'model(load_my_data())'));
    expect(codes(a)).toContain('shape-fallback');
    expect(a.step.forwardFlops).toBe(2 * 32 * (784 * 256 + 256 * 10));
    expect(a.ops.every((o) => o.traced === false)).toBe(true);
  });

  it('a 50,000-line file is analysed', () => {
    const filler = Array.from({ length: 50_000 }, (_, i) => `CONST_${i} = ${i} * 2 + 1`).join('\n');
    const a = run(filler + '\n' + MLP);
    expect(a.model.params).toBeGreaterThan(0);
  }, 60_000);

  it('files over the size cap are cut with a notice', () => {
    const big = MLP + '\n' + '# padding\n'.repeat(250_000);
    const a = run(big);
    expect(codes(a)).toContain('too-large');
    expect(a.model.params).toBeGreaterThan(0);
  }, 60_000);

  it('deeply nested expressions do not overflow the stack', () => {
    const deep = `x = ${'('.repeat(5000)}1${')'.repeat(5000)}\n` + MLP;
    const a = run(deep);
    expect(a.model.params).toBeGreaterThan(0);
    const deepList = `y = ${'['.repeat(3000)}${']'.repeat(3000)}\n` + MLP;
    expect(run(deepList).model.params).toBeGreaterThan(0);
  });

  it('2 MB of broken tokens with brackets that never close: a partial result in bounded memory (the parser took 4 GB and the process)', () => {
    // Deterministic junk of the kind a paste gone wrong or a generator produces: brackets open more often than close.
    const toks = ['def', '(', ')', ':', 'x', '=', '[', ']', '{', '}', 'class', 'if', '1', '"', '+', 'nn.Linear(', 'lambda', 'for', 'in', ',', '.', '*', '@'];
    let s = 7;
    const next = () => (s = (s * 1103515245 + 12345) % 2147483648) / 2147483648;
    const lines: string[] = [];
    for (let n = 0; n < 2_000_000;) {
      const line = Array.from({ length: 1 + Math.floor(next() * 12) }, () => toks[Math.floor(next() * toks.length)]).join(' ');
      lines.push(line);
      n += line.length + 1;
    }
    const junk = `${MLP}\n${lines.join('\n')}`;
    const before = process.memoryUsage().heapUsed;
    const a = run(junk);
    expect(process.memoryUsage().heapUsed - before).toBeLessThan(1.5e9);
    expect(a.model.params).toBe(784 * 256 + 256 + 256 * 10 + 10);
    const deep = a.problems.find((p) => p.code === 'too-deep');
    expect(deep?.message).toMatch(/nest more than 200 deep and never close: FlopLens did not read the rest of the file/);
    expect(deep?.loc?.line).toBeGreaterThan(MLP.split('\n').length);
    // Balanced but absurd nesting is skipped as one expression; what follows is read.
    const balanced = run(`z = ${'('.repeat(300)}1${')'.repeat(300)}\n${MLP}`);
    expect(balanced.model.params).toBe(784 * 256 + 256 + 256 * 10 + 10);
    expect(balanced.problems.some((p) => p.code === 'too-deep' && /skipped/.test(p.message))).toBe(true);
  });

  it('a model called again from inside its own forward is refused once, not traced until the budget runs out', () => {
    // A line swap put the training step inside forward(): each of the 6 blocks called the whole model again.
    const text = `import torch
import torch.nn as nn

class Net(nn.Module):
    def __init__(self):
        super().__init__()
        self.blocks = nn.ModuleList([nn.Linear(64, 64) for _ in range(6)])

    def forward(self, x):
        for blk in self.blocks:
            x = blk(x)
            loss = model(x).sum()
        return x

model = Net()
y = model(torch.randn(8, 64))
`;
    const a = run(text);
    const p = a.problems.find((q) => q.code === 'recursion');
    expect(p?.message).toMatch(/Net is called again from inside its own forward/);
    expect(p?.loc?.line).toBe(12);
    expect(a.step.forwardFlops).toBe(6 * 2 * 8 * 64 * 64);
    expect(a.problems.some((q) => q.code === 'budget')).toBe(false);
  });

  it('range(10**12) loops are walked once, abstractly', () => {
    const a = run(MLP.replace('y = model(torch.randn(32, 784))', 'opt = torch.optim.SGD(model.parameters(), lr=0.1)\nfor i in range(10**12):\n    loss = model(torch.randn(32, 784)).sum()\n    loss.backward()\n    opt.step()\n'));
    expect(a.run.steps).toBe(1e12);
    expect(a.run.mode).toBe('train');
  });

  it('an endless while loop and a busy loop hit the evaluation budget, not a hang', () => {
    const a = run('i = 0\nwhile True:\n    i = i + 1\n' + MLP);
    expect(a.schemaVersion).toBe(1);
    const b = run('total = 0\nfor i in range(100000000):\n    for j in range(100000000):\n        total += i * j\n' + MLP);
    expect(b.schemaVersion).toBe(1);
  });

  it('unbounded recursion stops at the depth limit with a problem', () => {
    const a = run('def f(n):\n    return f(n + 1)\nf(0)\n' + MLP);
    expect(codes(a)).toContain('recursion');
    expect(a.model.params).toBeGreaterThan(0);
  });

  it('circular local imports are reported and do not loop', () => {
    const a = run('from a import Net\nmodel = Net()\ny = model(torch.randn(4, 784))\nimport torch\n', {
      modules: [
        { name: 'a', path: 'a.py', text: 'import b\nimport torch.nn as nn\nclass Net(nn.Module):\n    def __init__(self):\n        super().__init__()\n        self.fc = nn.Linear(784, 10)\n    def forward(self, x):\n        return self.fc(x)\n' },
        { name: 'b', path: 'b.py', text: 'import a\nX = 1\n' },
      ],
    });
    expect(codes(a)).toContain('circular-import');
    expect(a.model.params).toBe(7850);
  });

  it('random bytes and binary junk give a result with problems', () => {
    let seed = 7;
    const rnd = () => (seed = (seed * 1103515245 + 12345) % 2147483648) / 2147483648;
    const junk = Array.from({ length: 5000 }, () => String.fromCharCode(Math.floor(rnd() * 0x2fff))).join('');
    const a = run(junk);
    expect(a.schemaVersion).toBe(1);
    expect(a.problems.length).toBeGreaterThan(0);
  });

  it('malformed directives are reported with their location and ignored', () => {
    const a = run('# floplens: batch=-3 dtype=fp33 nonsense steps=1e3\n' + MLP);
    const d = a.problems.filter((p) => p.code === 'directive');
    expect(d.length).toBe(3);
    expect(d.every((p) => p.loc?.line === 1)).toBe(true);
    expect(a.run.steps).toBe(1000);
  });

  it('settings overrides that do not parse are reported, valid ones apply', () => {
    const a = analyze({ text: MLP, file: 't.py', settings: { overrides: { batch: 'lots', steps: '500' } } });
    expect(a.problems.some((p) => p.code === 'setting')).toBe(true);
    expect(a.run.steps).toBe(500);
  });
});
