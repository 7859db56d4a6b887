/**
 * Issue 14, the remaining misses of held-out groups a–g, one construct at a time: optimizers the script writes
 * itself, a demonstration pass on another batch before the training, …
 */
import { describe, expect, it } from 'vitest';
import { check, facts } from './snippetCheck';
import { analyze } from '../../src/core/analyze';

const run = (text: string) => analyze({ text, file: 'snippet.py' });

/** A course notebook's hand-written optimizers: a template with step()/zero_grad(), SGD filling in the update. */
const HAND_OPTIMIZER = `import torch
import torch.nn as nn
from torch.utils.data import DataLoader, TensorDataset

class OptimizerTemplate:
    def __init__(self, params, lr):
        self.params = list(params)
        self.lr = lr
    def zero_grad(self):
        for p in self.params:
            if p.grad is not None:
                p.grad.zero_()
    @torch.no_grad()
    def step(self):
        for p in self.params:
            if p.grad is None:
                continue
            self.update_param(p)
    def update_param(self, p):
        raise NotImplementedError

class SGD(OptimizerTemplate):
    def update_param(self, p):
        p.add_(-self.lr * p.grad)

ds = TensorDataset(torch.randn(50000, 784), torch.randint(0, 10, (50000,)))
model = nn.Sequential(nn.Linear(784, 512), nn.ReLU(), nn.Linear(512, 10))
`;

const TRAIN = `
def train(net, optim_func, epochs=40, batch_size=256):
    opt = optim_func(net.parameters())
    loader = DataLoader(ds, batch_size=batch_size, shuffle=True, drop_last=True)
    for epoch in range(epochs):
        for imgs, labels in loader:
            opt.zero_grad()
            loss = nn.functional.cross_entropy(net(imgs), labels)
            loss.backward()
            opt.step()

train(model, lambda params: SGD(params, lr=0.1))
`;

describe("optimizers the script writes itself", () => {
  it('a class of its own with step() and zero_grad() steps the training loop', () => {
    const a = run(HAND_OPTIMIZER + TRAIN);
    expect(a.run.mode).toBe('train');
    expect(a.run.steps).toBe(40 * Math.floor(50000 / 256));
    expect(a.step.batch).toBe(256);
    expect(a.model.params).toBe(784 * 512 + 512 + 512 * 10 + 10);
  });

  it('a subclass of torch.optim.Optimizer steps; a wrapper stepping a torch optimizer inside steps once', () => {
    check(`import torch
import torch.nn as nn
class MyOpt(torch.optim.Optimizer):
    def __init__(self, params, lr=0.1):
        super().__init__(params, dict(lr=lr))
    @torch.no_grad()
    def step(self):
        for group in self.param_groups:
            for p in group["params"]:
                p.add_(p.grad, alpha=-group["lr"])
class Wrap:
    def __init__(self, opt):
        self.optimizer = opt
    def step(self):
        self.optimizer.step()
    def zero_grad(self):
        self.optimizer.zero_grad()
m = nn.Linear(4, 2)
o = MyOpt(m.parameters())
m(torch.randn(8, 4)).sum().backward()
o.step()
w = Wrap(torch.optim.SGD(m.parameters(), lr=0.1))
w.zero_grad()
w.step()
`, 'events = model-call, backward, step, zero_grad, step');
  });

  it('a class with step() but no zero_grad() (a learning-rate schedule) is no optimizer', () => {
    expect(facts(`class Schedule:
    def __init__(self):
        self.n = 0
    def step(self):
        self.n += 1
s = Schedule()
s.step()
`, ['events'])).toBe('events = ');
  });
});

describe('the batch is that of the iteration', () => {
  it("a demonstration pass on another loader's batch before the training does not set the batch", () => {
    const demo = `demo = nn.Sequential(nn.Linear(784, 512), nn.Tanh(), nn.Linear(512, 10))
x, y = next(iter(DataLoader(ds, batch_size=1024)))
nn.functional.cross_entropy(demo(x), y).backward()
`;
    const a = run(HAND_OPTIMIZER + demo + TRAIN);
    expect(a.step.batch).toBe(256);
    expect(a.step.forwardFlops).toBe(2 * 256 * (784 * 512 + 512 * 10));
    expect(a.model.params).toBe(784 * 512 + 512 + 512 * 10 + 10);
    expect(a.run.steps).toBe(40 * 195);
  });
});
