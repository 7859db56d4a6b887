/**
 * Issue 14: a tensor indexed by an index tensor FlopLens cannot trace has a dim of unknown length (never the dim
 * dropped as if the index were an integer, which made a feature table one row and its Dataset 512 samples long);
 * index tensors of known shape keep theirs; `.max()` of a catalog dataset's labels is its class count - 1.
 */
import { describe, expect, it } from 'vitest';
import { check } from './snippetCheck';
import { analyze } from '../../src/core/analyze';

const LOST = `
import torch
feats = torch.zeros(50000, 512)
k = torch.zeros(())
lost = torch.arange(50000).reshape(k, -1)
idx = lost[:, 10:].reshape(-1)
sub = feats[idx]
`;

describe('an index tensor whose shape was not traced', () => {
  it('selects an unknown number of rows: len() and .shape say so, a row keeps its shape', () => {
    check(`${LOST}
n = len(sub)
s = sub.shape
s1 = sub.size(1)
s0 = sub.size(0)
row = sub[3]
cols = feats[:, idx]
c = cols.shape
`, `
lost = unknown (.reshape())
sub = tensor[50000, 512]
n = unknown (a length selected by an untraced index)
s = (unknown (a length selected by an untraced index), 512)
s1 = 512
s0 = unknown (a length selected by an untraced index)
row = tensor[512]
cols = tensor[50000, 512]
c = (50000, unknown (a length selected by an untraced index))
`);
  });

  it('a Dataset over it has an unknown length, and a DataLoader of it unknown batches', () => {
    check(`${LOST}
import torch.utils.data as data
class DS(data.Dataset):
    def __init__(self, x): self.x = x
    def __len__(self): return self.x.shape[0]
    def __getitem__(self, i): return self.x[i]
ds = DS(sub)
dl = data.DataLoader(ds, batch_size=64)
n = len(ds)
nb = len(dl)
`, `
n = unknown (a length selected by an untraced index)
nb = unknown
`);
  });

  it('says the stand-in length in an info problem', () => {
    const r = analyze({ text: LOST, file: 'snippet.py' });
    const p = r.problems.find((x) => x.code === 'unknown-index');
    expect(p?.severity).toBe('info');
    expect(p?.message).toMatch(/selects is data.*50,000 as an upper bound/);
  });

  it('an unknown scalar index (not a tensor) still picks one row', () => {
    check(`
import torch, sys
x = torch.zeros(100, 4)
i = int(sys.argv[1])
r = x[i]
m = x.sum().item()
`, `
r = tensor[4]
`);
  });
});

describe('index tensors of known shape keep their length', () => {
  it('a permutation, a random subset, random indices', () => {
    check(`
import torch
x = torch.zeros(100, 4)
perm = x[torch.randperm(100)]
subset = x[torch.randperm(100)[:30]]
picked = x[torch.randint(0, 100, (16,))]
`, `
perm = tensor[100, 4]
subset = tensor[30, 4]
picked = tensor[16, 4]
`);
  });
});

describe('.max() of labels with a known class range', () => {
  it('a catalog dataset: the class count - 1, so a reshape by max() + 1 is known, and a subset keeps the range', () => {
    check(`
import torch
from torchvision.datasets import CIFAR100
train_set = CIFAR100(root='data', train=True, download=True)
labels = torch.LongTensor(train_set.targets)
num_labels = labels.max() + 1
by_class = torch.argsort(labels).reshape(num_labels, -1)
train_idx = by_class[:, 50:].reshape(-1)
train_labels = labels[train_idx]
again = train_labels.max() + 1
`, `
num_labels = 100
by_class = tensor[100, 500]
train_idx = tensor[45000]
train_labels = tensor[45000] int8
again = 100
`);
  });

  it('too few values to hold every class: unknown, not R - 1', () => {
    check(`
import torch
few = torch.randint(0, 1000, (10,))
m = few.max()
`, `
m = tensor[]
`);
  });
});
