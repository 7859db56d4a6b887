/**
 * Issue 14, "trained peers" against the corpus convention (corpus/README.md, "Several trainings in turn"): models held
 * side by side (K-fold, ensembles) are all counted; a model re-built after another instance of its class trained is
 * another training, whose parameters are not added (its steps are the run's). One construct per test.
 */
import { describe, expect, it } from 'vitest';
import { analyze } from '../../src/core/analyze';

const HEAD = `
import torch, torch.nn as nn
from torch.utils.data import DataLoader, TensorDataset

class Net(nn.Module):
    def __init__(self, hidden=32):
        super().__init__()
        self.body = nn.Sequential(nn.Linear(20, hidden), nn.ReLU(), nn.Linear(hidden, 10))
    def forward(self, x):
        return self.body(x)

loader = DataLoader(TensorDataset(torch.randn(1000, 20), torch.randint(0, 10, (1000,))), batch_size=50)

def train(model, epochs):
    opt = torch.optim.SGD(model.parameters(), lr=0.1)
    for epoch in range(epochs):
        for x, y in loader:
            opt.zero_grad()
            nn.functional.cross_entropy(model(x), y).backward()
            opt.step()
`;
/** Parameters of one Net; the loader has 1000 / 50 = 20 batches. */
const NET = 20 * 32 + 32 + 32 * 10 + 10;
const BATCHES = 20;

/** Analyses HEAD + `script`; expects `models` Nets counted and `steps` steps; returns the info problems' codes and messages. */
function run(script: string, models: number, steps: number): Map<string, string> {
  const a = analyze({ text: HEAD + script, file: 'script.py' });
  expect(a.model.params).toBe(models * NET);
  expect(a.run.steps).toBe(steps);
  return new Map(a.problems.filter((p) => p.severity === 'info').map((p) => [p.code, p.message]));
}

describe('models held side by side are peers', () => {
  it('a K-fold list of models, all built before the first is trained: every model is counted', () => {
    const info = run(`
models = [Net() for _ in range(4)]
optimizers = [torch.optim.SGD(m.parameters(), lr=0.1) for m in models]
for fold in range(4):
    model, opt = models[fold], optimizers[fold]
    for x, y in loader:
        opt.zero_grad()
        nn.functional.cross_entropy(model(x), y).backward()
        opt.step()
`, 4, 4 * BATCHES);
    expect(info.get('trained-peers')).toMatch(/^4 Net models are built, each with its own optimizer/);
    expect(info.has('separate-trainings')).toBe(false);
  });

  it('two models built, then trained one after the other: both are counted', () => {
    const info = run('\na = Net()\nb = Net()\ntrain(a, 2)\ntrain(b, 2)\n', 2, 2 * 2 * BATCHES);
    expect(info.get('trained-peers')).toMatch(/^2 Net models/);
  });

  it('models trained in turn and kept in one list (an ensemble): all are counted', () => {
    const info = run('\nfirst = Net()\ntrain(first, 1)\nsecond = Net()\ntrain(second, 1)\nensemble = [first, second]\n', 2, 2 * BATCHES);
    expect(info.get('trained-peers')).toMatch(/^2 Net models/);
    expect(info.has('separate-trainings')).toBe(false);
  });
});

describe('a model re-built after another trained is another training', () => {
  it('a second experiment re-building the model into the same variable (the first stepping through a GradScaler): one model counted, steps summed', () => {
    const info = run(`
model = Net()
opt = torch.optim.SGD(model.parameters(), lr=0.1)
scaler = torch.cuda.amp.GradScaler()
for x, y in loader:
    opt.zero_grad()
    scaler.scale(nn.functional.cross_entropy(model(x), y)).backward()
    scaler.step(opt)
    scaler.update()

model = Net()
opt = torch.optim.SGD(model.parameters(), lr=0.1)
for x, y in loader:
    opt.zero_grad()
    nn.functional.cross_entropy(model(x), y).backward()
    opt.step()
`, 1, 2 * BATCHES);
    expect(info.get('separate-trainings')).toMatch(/^2 Net models are trained one after another, one built after another had trained/);
    expect(info.has('trained-peers')).toBe(false);
  });

  it('a plain model, then a re-built copy (partly frozen, as a LoRA copy) trained by the same train(): one model counted', () => {
    const info = run(`
base = Net()
train(base, 3)
adapted = Net()
for p in adapted.body[0].parameters():
    p.requires_grad = False
train(adapted, 3)
`, 1, 2 * 3 * BATCHES);
    expect(info.has('separate-trainings')).toBe(true);
    expect(info.has('trained-peers')).toBe(false);
  });

  it('three re-builds of the model in turn: one counted, and the message says two were re-built', () => {
    const info = run('\nnet = Net()\ntrain(net, 1)\nnet = Net()\ntrain(net, 1)\nnet = Net()\ntrain(net, 1)\n', 1, 3 * BATCHES);
    expect(info.get('separate-trainings')).toMatch(/^3 Net models .*, 2 built after/);
  });
});
