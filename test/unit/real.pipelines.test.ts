/**
 * Real scripts: data pipelines followed (generators, iterators, loader combinators, batch helpers, tensors from
 * Python lists) and programs that enter through a CLI library (fire, typer, jsonargparse, click,
 * HfArgumentParser, argparse subcommands). One construct per test.
 */
import { describe, expect, it } from 'vitest';
import { analyze } from '../../src/core/analyze';
import { check } from './snippetCheck';

const NN = 'import torch\nimport torch.nn as nn\n';
const LOADER = `${NN}from torch.utils.data import DataLoader, TensorDataset
loader = DataLoader(TensorDataset(torch.randn(640, 16)), batch_size=64)
`;
const run = (text: string) => analyze({ text, file: 'script.py' });
/** A small training step on `x` (the model is one Linear(16, 8)). */
const STEP = `
    loss = model(x).sum()
    loss.backward()
    opt.step()
`;
const MODEL = 'model = nn.Linear(16, 8)\nopt = torch.optim.SGD(model.parameters(), lr=0.1)\n';

describe('data pipelines', () => {
  it('a generator function yields its batch; its own loop gives the trip count', () => {
    const a = run(`${NN}
generator = nn.Sequential(nn.ConvTranspose2d(100, 3, 4))
opt = torch.optim.Adam(generator.parameters())
def batches(n):
    for _ in range(n):
        yield torch.randn(64, 3, 8, 8)
for real in batches(100):
    z = torch.randn(real.size(0), 100, 1, 1)
    out = generator(z)
    out.mean().backward()
    opt.step()
`);
    expect(a.step.batch).toBe(64);
    expect(a.run.steps).toBe(100);
    expect(a.step.forwardFlops).toBe(2 * 64 * 100 * 3 * 4 * 4);
  });

  it('the item of a generator is what it yields first', () => check(`${NN}
def gen():
    x = torch.randn(8, 4)
    yield x * 2
    yield torch.randn(1)
for y in gen():
    pass
`, 'y = tensor[8, 4]'));

  it('yield from hands on the items of a loader', () => check(`${LOADER}
def g():
    yield from loader
for (x,) in g():
    pass
`, 'x = tensor[64, 16]'));

  it('nested loops around a yield multiply their passes', () => {
    const a = run(`${LOADER}${MODEL}
def stream(epochs):
    for _ in range(epochs):
        for (xb,) in loader:
            yield xb
for x in stream(3):${STEP}`);
    expect(a.run.steps).toBe(30);
    expect(a.step.batch).toBe(64);
  });

  it("a class's __iter__ generator gives its items, __len__ their count", () => check(`${NN}
class Stream:
    def __len__(self):
        return 10
    def __iter__(self):
        while True:
            yield torch.randn(4, 3)
for x in Stream():
    pass
`, 'x = tensor[4, 3]'));

  it('next(iter(loader)) is one batch', () => check(`${LOADER}
it = iter(loader)
(x,) = next(it)
`, 'x = tensor[64, 16]'));

  it('itertools.cycle(loader) yields its batches without end', () => check(`${LOADER}
import itertools
(x,) = next(itertools.cycle(loader))
`, 'x = tensor[64, 16]'));

  it('itertools.islice gives an endless iterator its length', () => {
    const a = run(`${LOADER}${MODEL}import itertools
for (x,) in itertools.islice(itertools.cycle(loader), 250):${STEP}`);
    expect(a.run.steps).toBe(250);
  });

  it('zip of two loaders pairs their batches', () => check(`${LOADER}
for (xs,), (xt,) in zip(loader, loader):
    pass
`, 'xs = tensor[64, 16]\nxt = tensor[64, 16]'));

  it('enumerate(loader, 1) counts from 1', () => check(`${LOADER}
for i, (x,) in enumerate(loader, 1):
    pass
`, 'i = 1\nx = tensor[64, 16]'));

  it('while True around a loader loop keeps the batch', () => {
    const a = run(`${LOADER}${MODEL}
while True:
    for (x,) in loader:${STEP.replace(/\n {4}/g, '\n        ')}`);
    expect(a.step.batch).toBe(64);
  });

  it('while True around a loader loop ends when the counter raised per batch reaches its bound', () => {
    const a = run(`${LOADER}${MODEL}
step = 0
while True:
    for (x,) in loader:${STEP.replace(/\n {4}/g, '\n        ')}        step += 1
        if step >= 250:
            break
    if step >= 250:
        break
`);
    expect(a.run.steps).toBe(250);
  });

  it('the same bound met by a return inside the loader loop', () => {
    const a = run(`${LOADER}${MODEL}
def train(max_steps=120):
    step = 0
    while True:
        for (x,) in loader:
            model(x).sum().backward()
            opt.step()
            step += 1
            if step >= max_steps:
                return
train()
`);
    expect(a.run.steps).toBe(120);
  });

  it("get_batch: torch.stack over slices indexed by a randint tensor (nanoGPT's helper)", () => check(`${NN}
data = torch.zeros(100000, dtype=torch.long)
block_size, batch_size = 8, 12
def get_batch():
    ix = torch.randint(len(data) - block_size, (batch_size,))
    x = torch.stack([data[i:i + block_size] for i in ix])
    return x
x = get_batch()
`, 'x = tensor[12, 8]'));

  it('torch.LongTensor of a list comprehension', () => check(`${NN}
pairs = [(i, i + 1) for i in range(5)]
idx = torch.LongTensor([[a, b] for a, b in pairs])
empty = torch.FloatTensor(3, 4)
`, 'idx = tensor[5, 2]\nempty = tensor[3, 4] fp32'));

  it('torch.tensor of a list of lists', () => check(`${NN}
rows = [[0] * 6 for _ in range(4)]
t = torch.tensor(rows)
`, 't = tensor[4, 6]'));

  it('np.eye(n)[labels] is a one-hot batch', () => check(`${NN}import numpy as np
onehot = np.eye(10)[torch.randint(0, 10, (32,))]
`, 'onehot = tensor[32, 10]'));
});

describe('programs that enter through a CLI library', () => {
  const BODY = `
    model = nn.Linear(16, 8)
    opt = torch.optim.SGD(model.parameters(), lr=0.1)
    for _ in range(steps):
        x = torch.randn(batch_size, 16)
        model(x).sum().backward()
        opt.step()
`;
  const entry = (text: string) => { const a = run(text); return [a.step.batch, a.run.steps]; };

  it('fire.Fire(main) runs main with its defaults', () => expect(entry(`${NN}import fire
def main(batch_size: int = 48, steps: int = 500):${BODY}
if __name__ == '__main__':
    fire.Fire(main)
`)).toEqual([48, 500]));

  it('fire.Fire(Class) builds it with its defaults and runs its one method', () => expect(entry(`${NN}import fire
class Trainer:
    def __init__(self, batch_size=24):
        self.batch_size = batch_size
    def train(self, steps=70):
        batch_size = self.batch_size${BODY.replace(/\n/, '\n        ').replace(/\n {4}/g, '\n        ')}
fire.Fire(Trainer)
`)).toEqual([24, 70]));

  it('jsonargparse CLI(main)', () => expect(entry(`${NN}from jsonargparse import CLI
def main(batch_size: int = 40, steps: int = 90):${BODY}
CLI(main)
`)).toEqual([40, 90]));

  it('typer.run(main)', () => expect(entry(`${NN}import typer
def main(batch_size: int = 20, steps: int = 30):${BODY}
typer.run(main)
`)).toEqual([20, 30]));

  it('a click command takes each option default', () => expect(entry(`${NN}import click
@click.command()
@click.option('--batch-size', default=64, type=int)
@click.option('--steps', default=120)
def main(batch_size, steps):${BODY}
if __name__ == '__main__':
    main()
`)).toEqual([64, 120]));

  it('a typer app: @app.command() registers, app() runs the first command', () => expect(entry(`${NN}import typer
app = typer.Typer()
@app.callback()
def setup(verbose: bool = False):
    pass
@app.command()
def train(batch_size: int = 56, steps: int = 44):${BODY}
@app.command()
def evaluate(batch_size: int = 4, steps: int = 1):${BODY}
if __name__ == '__main__':
    app()
`)).toEqual([56, 44]));

  it('a click group: @cli.command() with its options, cli() runs it', () => expect(entry(`${NN}import click
@click.group()
def cli():
    pass
@cli.command()
@click.option('--batch-size', default=36)
@click.option('--steps', default=18)
def train(batch_size, steps):${BODY}
if __name__ == '__main__':
    cli()
`)).toEqual([36, 18]));

  it('a directive wins over an entry default', () => expect(entry(`${NN}import fire
# floplens: batch=7
def main(batch_size: int = 48, steps: int = 5):${BODY}
fire.Fire(main)
`)).toEqual([7, 5]));

  it('an entry parameter without a default is stated with its directive', () => {
    const a = run(`${NN}import fire
def main(steps, batch_size=8):${BODY}
fire.Fire(main)
`);
    expect(a.problems.find((p) => p.code === 'cli-required')?.message).toMatch(/'steps' has no default.*steps=/);
  });

  it('HfArgumentParser: each dataclass with its defaults (field(default=…), metadata ignored)', () => {
    const a = run(`${NN}from dataclasses import dataclass, field
from transformers import HfArgumentParser
@dataclass
class ModelArguments:
    hidden: int = field(default=32, metadata={"help": "width"})
@dataclass
class DataArguments:
    batch_size: int = field(default=16, metadata={"help": "batch"})
    steps: int = 40
parser = HfArgumentParser((ModelArguments, DataArguments))
margs, dargs = parser.parse_args_into_dataclasses()
model = nn.Linear(margs.hidden, margs.hidden)
opt = torch.optim.SGD(model.parameters(), lr=0.1)
for _ in range(dargs.steps):
    model(torch.randn(dargs.batch_size, margs.hidden)).sum().backward()
    opt.step()
`);
    expect([a.model.params, a.step.batch, a.run.steps]).toEqual([32 * 32 + 32, 16, 40]);
  });

  it('argparse subcommands: the first is analysed, and said', () => {
    const text = `import argparse
parser = argparse.ArgumentParser()
sub = parser.add_subparsers(dest='cmd')
tr = sub.add_parser('train')
tr.add_argument('--batch-size', type=int, default=128)
ev = sub.add_parser('eval')
ev.add_argument('--batch-size', type=int, default=8)
args = parser.parse_args()
cmd = args.cmd
bs = args.batch_size
`;
    check(text, 'cmd = "train"\nbs = 128');
    expect(run(text).problems.some((p) => p.code === 'cli-subcommand' && /'train'/.test(p.message))).toBe(true);
  });

  it('required=True without a default: unknown, stated with the directive', () => {
    const a = run(`import argparse
parser = argparse.ArgumentParser()
parser.add_argument('--steps', type=int, required=True)
args = parser.parse_args()
`);
    expect(a.problems.find((p) => p.code === 'cli-required')?.message).toMatch(/--steps is required.*steps=/);
  });

  it('parse_known_args() returns (namespace, [])', () => check(`import argparse
parser = argparse.ArgumentParser()
parser.add_argument('--lr', type=float, default=0.1)
args, rest = parser.parse_known_args()
lr = args.lr
`, 'lr = 0.1\nrest = []'));
});
