/**
 * Issue 14 part 9: the passes of a run loop and the micro-batches of a step, as real scripts write them.
 * One construct per test, through the whole analysis.
 */
import { describe, expect, it } from 'vitest';
import { analyze } from '../../src/core/analyze';

const run = (python: string) => analyze({ text: python.replace(/^\n/, ''), file: 'loop.py' });

const MODEL = `
import torch, torch.nn as nn
model = nn.Linear(64, 64)
opt = torch.optim.AdamW(model.parameters())
max_iters = 1000
`;

describe('range(n + 1) with a break', () => {
  it('a break before the step ends the loop after n passes of work', () => {
    const a = run(`${MODEL}
for it in range(max_iters + 1):
    if it == max_iters:
        break
    loss = model(torch.randn(8, 64)).sum()
    loss.backward()
    opt.step()
`);
    expect(a.run.steps).toBe(1000);
  });

  it('a break after the step does the work once more (n + 1)', () => {
    const a = run(`${MODEL}
for it in range(2 * max_iters):
    loss = model(torch.randn(8, 64)).sum()
    loss.backward()
    opt.step()
    if it >= max_iters:
        break
`);
    expect(a.run.steps).toBe(1001);
  });

  it('a `>` bound counts the passes up to the first one past it', () => {
    const a = run(`${MODEL}
for step in range(10, 5000):
    if step > 109:
        break
    model(torch.randn(8, 64)).sum().backward()
    opt.step()
`);
    expect(a.run.steps).toBe(100);
  });

  it('a break the range never reaches leaves the range length', () => {
    const a = run(`${MODEL}
for it in range(300):
    if it == 5000:
        break
    model(torch.randn(8, 64)).sum().backward()
    opt.step()
`);
    expect(a.run.steps).toBe(300);
  });
});

describe('gradient accumulation', () => {
  it('an inner micro-batch loop makes one optimizer step of n model calls', () => {
    const a = run(`${MODEL}
accum = 4
for it in range(max_iters):
    for micro in range(accum):
        loss = model(torch.randn(16, 64)).sum() / accum
        loss.backward()
    opt.step()
    opt.zero_grad()
`);
    expect(a.step.microBatches).toBe(4);
    expect(a.step.batch).toBe(16);
    expect(a.run.steps).toBe(1000);
    expect(a.step.forwardFlops).toBe(4 * 2 * 16 * 64 * 64);
  });

  it('`if (i + 1) % n == 0: step()` over a loader divides the batches into steps', () => {
    const a = run(`
import torch, torch.nn as nn
from torch.utils.data import DataLoader, TensorDataset
model = nn.Linear(512, 10)
opt = torch.optim.AdamW(model.parameters())
loader = DataLoader(TensorDataset(torch.randn(10000, 512), torch.randint(0, 10, (10000,))), batch_size=32)
gradient_accumulation_steps = 8
for epoch in range(3):
    for i, (x, y) in enumerate(loader):
        loss = nn.functional.cross_entropy(model(x), y) / gradient_accumulation_steps
        loss.backward()
        if (i + 1) % gradient_accumulation_steps == 0:
            opt.step()
            opt.zero_grad()
`);
    expect(a.step.microBatches).toBe(8);
    expect(a.step.batch).toBe(32);
    // 313 batches per epoch, a step every 8: 39 steps per epoch (the last 1 batch's gradient waits), 3 epochs.
    expect(a.run.steps).toBe(117);
  });
});

describe('a trainer class that counts its own iterations', () => {
  it('`while True: … self.iter_num += 1; if max_iters is not None and self.iter_num >= max_iters: break`', () => {
    const a = run(`
import torch, torch.nn as nn
class Trainer:
    def __init__(self, model, max_iters):
        self.model = model
        self.max_iters = max_iters
        self.opt = torch.optim.AdamW(model.parameters())
        self.iter_num = 0
    def run(self):
        while True:
            loss = self.model(torch.randn(8, 16)).sum()
            loss.backward()
            self.opt.step()
            self.iter_num += 1
            if self.max_iters is not None and self.iter_num >= self.max_iters:
                break
Trainer(nn.Linear(16, 16), 2000).run()
`);
    expect(a.run.steps).toBe(2000);
  });
});
