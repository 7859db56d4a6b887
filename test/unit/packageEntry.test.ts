/**
 * Scripts run through a package's own command line (issue 14, cause 5; litgpt's `litgpt pretrain pythia-14m`): a module
 * that runs nothing at its top level is a command's entry point, so its `setup`/`main` runs with the command line's
 * arguments (or is said not to run when one it needs is missing); the Python it relies on — a @classmethod read off
 * its class, a dataclass field whose default is None that __post_init__ fills, litdata's streaming token loaders —
 * evaluates as Python does.
 */
import { describe, expect, it } from 'vitest';
import { analyze } from '../../src/core/analyze';
import { check } from './snippetCheck';

/** A package command module in litgpt's style: a config registry by name, a model, a loop; nothing runs at import. */
const COMMAND = `
from dataclasses import dataclass
import torch
import torch.nn as nn

configs = [dict(name="tiny", n_embd=64, n_layer=2), dict(name="small", n_embd=128, n_layer=4)]
name_to_config = {c["name"]: c for c in configs}

@dataclass
class Config:
    name: str = ""
    n_embd: int = 32
    n_layer: int = 1
    head_size: int | None = None

    def __post_init__(self):
        if self.head_size is None:
            self.head_size = self.n_embd // 4

    @classmethod
    def from_name(cls, name, **kwargs):
        conf = dict(name_to_config[name])
        conf.update(kwargs)
        return cls(**conf)

def setup(model_name, batch_size=8, steps=50):
    config = Config.from_name(model_name)
    model = nn.Sequential(*[nn.Linear(config.n_embd, config.head_size * 4) for _ in range(config.n_layer)])
    opt = torch.optim.AdamW(model.parameters())
    for _ in range(steps):
        loss = model(torch.randn(batch_size, config.n_embd)).sum()
        loss.backward()
        opt.step()
`;

describe('a module run through its package\'s command line', () => {
  it('runs setup() with the positional word and the options of args=', () => {
    const a = analyze({ text: `# floplens: args="small --batch_size 16"\n${COMMAND}`, file: 'pkg/pretrain.py' });
    expect(a.model.params).toBe(4 * (128 * 128 + 128));
    expect(a.step.batch).toBe(16);
    expect(a.run.steps).toBe(50);
    expect(a.run.mode).toBe('train');
    expect(a.problems.find((p) => p.code === 'module-entry')?.message).toMatch(/package command's entry point, setup\(\) run as the command line "small --batch_size 16"/);
  });

  it('without the argument it needs, says so with the directive and runs nothing (no model from a guessed config)', () => {
    const a = analyze({ text: COMMAND, file: 'pkg/pretrain.py' });
    expect(a.model.params).toBe(0);
    expect(a.problems.find((p) => p.code === 'cli-required')?.message).toMatch(/setup\(\) takes 'model_name' from the command line.*args="<model_name> …"/);
  });

  it('a script with a __main__ block, or one whose top level already ran its work, is left as it is', () => {
    const guarded = analyze({ text: `${COMMAND}\nif __name__ == "__main__":\n    pass\n`, file: 'p.py' });
    expect(guarded.problems.some((p) => p.code === 'module-entry')).toBe(false);
    const ran = analyze({ text: `${COMMAND}\nsetup("tiny")\n`, file: 'p.py' });
    expect(ran.problems.some((p) => p.code === 'module-entry')).toBe(false);
    expect(ran.model.params).toBe(2 * (64 * 64 + 64));
  });
});

describe('Python a package relies on', () => {
  it('a @classmethod read off its class runs with cls bound', () => check(`${COMMAND}
c = Config.from_name("tiny")
n = c.n_embd
`, 'c = Config\nn = 64'));

  it('a dataclass field whose default is None holds None, so __post_init__ fills it', () => check(`${COMMAND}
c = Config(n_embd=256)
h = c.head_size
d = Config(head_size=7).head_size
`, 'h = 64\nd = 7'));

  it('litdata: a StreamingDataset of TokensLoader blocks batched by StreamingDataLoader', () => check(`import torch
from litdata.streaming import StreamingDataset, StreamingDataLoader, TokensLoader, CombinedStreamingDataset
ds = StreamingDataset(input_dir="data/slimpajama/train", item_loader=TokensLoader(block_size=513))
mix = CombinedStreamingDataset(datasets=[ds, ds], seed=42)
loader = StreamingDataLoader(mix, batch_size=4, drop_last=True)
for batch in loader:
    x = batch[:, 0:512]
    break
`, 'x = tensor[4, 512]'));
});
