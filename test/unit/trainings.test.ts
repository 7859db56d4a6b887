/**
 * Several trainings in one script (a notebook that trains one model and then another, a second Lightning fit): the
 * whole run's optimizer steps are every training's (src/core/interpret/reruns.ts otherTrainingSteps); a
 * learning-rate finder's trial steps on the same model, a critic loop inside the same epoch, and a Lightning Trainer
 * fitted again after it reached max_epochs add nothing.
 */
import { describe, expect, it } from 'vitest';
import { analyze } from '../../src/core/analyze';

const steps = (text: string) => analyze({ text, file: 'trainings.py' }).run.steps;

const HEAD = `import torch
import torch.nn as nn
a = nn.Linear(32, 10)
b = nn.Sequential(nn.Linear(32, 64), nn.ReLU(), nn.Linear(64, 10))
opt_a = torch.optim.SGD(a.parameters(), lr=0.1)
opt_b = torch.optim.Adam(b.parameters())
x = torch.randn(16, 32)
y = torch.randint(0, 10, (16,))
`;

/** One optimizer step of `m` with `opt`, indented `pad`. */
const stepOf = (m: string, opt: string, pad: string) => `${pad}${opt}.zero_grad()\n${pad}nn.functional.cross_entropy(${m}(x), y).backward()\n${pad}${opt}.step()\n`;

describe('several trainings in one script', () => {
  it('a second model trained in loops of its own adds its steps', () => {
    const text = `${HEAD}
for epoch in range(5):
    for i in range(100):
${stepOf('a', 'opt_a', '        ')}
for epoch in range(3):
    for i in range(40):
${stepOf('b', 'opt_b', '        ')}`;
    expect(steps(text)).toBe(500 + 120);
  });

  it("a learning-rate finder's trial steps on the same model are not a training", () => {
    const text = `${HEAD}
for trial in range(100):
${stepOf('b', 'opt_b', '    ')}
for epoch in range(10):
    for i in range(300):
${stepOf('b', 'opt_b', '        ')}`;
    expect(steps(text)).toBe(3000);
  });

  it('a second model stepped inside the same epoch loop (a critic loop) is part of the iteration, not another training', () => {
    const text = `${HEAD}
for epoch in range(4):
    for i in range(50):
${stepOf('a', 'opt_a', '        ')}    for j in range(5):
${stepOf('b', 'opt_b', '        ')}`;
    expect(steps(text)).toBe(200);
  });

  it('Lightning: a Trainer fitted again after reaching max_epochs adds nothing; a new Trainer trains again', () => {
    const lit = (n: number) => `import torch
import torch.nn as nn
import lightning as L
from torch.utils.data import DataLoader, TensorDataset

class Lit(L.LightningModule):
    def __init__(self, width):
        super().__init__()
        self.net = nn.Linear(32, width)
    def training_step(self, batch, batch_idx):
        x, y = batch
        return nn.functional.cross_entropy(self.net(x), y)
    def configure_optimizers(self):
        return torch.optim.Adam(self.parameters())

data = TensorDataset(torch.randn(1000, 32), torch.randint(0, 10, (1000,)))
loader = DataLoader(data, batch_size=100)
first = Lit(10)
trainer = L.Trainer(max_epochs=3)
trainer.fit(first, loader)
second = Lit(12)
${n === 2 ? 'trainer = L.Trainer(max_epochs=2)\n' : ''}trainer.fit(second, loader)
`;
    expect(steps(lit(1))).toBe(30);
    expect(steps(lit(2))).toBe(30 + 20);
    const r = analyze({ text: lit(1), file: 'lit.py' });
    expect(r.problems.some((p) => /already run to its max_epochs/.test(p.message))).toBe(true);
  });
});
