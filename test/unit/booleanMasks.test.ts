// Boolean masks made by torch.eye(..., dtype=torch.bool), `~` and `.bool()` select elements (one dim of the selected
// count), never gather rows as an index tensor would: the InfoNCE loss of SimCLR re-implementations
// (`sim[~torch.eye(n, dtype=torch.bool)].view(n, -1)`) grew a [512, 2^37] logits tensor and a 3-year H100 run.
import { describe, expect, it } from 'vitest';
import { analyze } from '../../src/core/analyze';
import { check } from './snippetCheck';

const INFO_NCE = `import torch
import torch.nn.functional as F
f = F.normalize(torch.randn(64, 16), dim=1)
labels = torch.cat([torch.arange(32) for i in range(2)], dim=0)
labels = (labels.unsqueeze(0) == labels.unsqueeze(1)).float()
sim = torch.matmul(f, f.T)
mask = torch.eye(labels.shape[0], dtype=torch.bool)
off = sim[~mask]
labels = labels[~mask].view(labels.shape[0], -1)
sim = sim[~mask].view(sim.shape[0], -1)
positives = sim[labels.bool()].view(labels.shape[0], -1)
diag = sim[mask]
`;

describe('boolean masks', () => {
  it('an identity mask selects n of n*n, its inverse the rest; .bool() of a float tensor is a mask', () => check(INFO_NCE, `
    off = tensor[4032]
    labels = tensor[64, 63] fp32
    sim = tensor[64, 63]
    positives = tensor[64, 63]
  `));

  it('the identity mask itself keeps the diagonal: n elements', () => check(INFO_NCE, `
    diag = tensor[64]
  `));

  it('a contrastive training step stays milliseconds-scale on a GPU, not years', () => {
    const text = `import torch
import torch.nn as nn
import torch.nn.functional as F
model = nn.Sequential(nn.Linear(512, 512), nn.ReLU(), nn.Linear(512, 128))
opt = torch.optim.Adam(model.parameters())
for step in range(1000):
    x = torch.randn(512, 512)
    f = F.normalize(model(x), dim=1)
    labels = torch.cat([torch.arange(256) for i in range(2)], dim=0)
    labels = (labels.unsqueeze(0) == labels.unsqueeze(1)).float()
    sim = torch.matmul(f, f.T)
    mask = torch.eye(labels.shape[0], dtype=torch.bool)
    labels = labels[~mask].view(labels.shape[0], -1)
    sim = sim[~mask].view(sim.shape[0], -1)
    positives = sim[labels.bool()].view(labels.shape[0], -1)
    negatives = sim[~labels.bool()].view(sim.shape[0], -1)
    logits = torch.cat([positives, negatives], dim=1)
    loss = F.cross_entropy(logits, torch.zeros(512, dtype=torch.long))
    opt.zero_grad()
    loss.backward()
    opt.step()
`;
    const a = analyze({ text, file: 'nce.py' });
    const cat = a.ops.find((o) => o.kind === 'cat' && o.outputShape.length === 2);
    expect(cat?.outputShape[0]).toBe(512);
    // At most every off-diagonal similarity twice (positives and negatives each taken as an upper bound).
    expect(cat!.outputShape[1]).toBeLessThanOrEqual(2 * 511);
    expect(a.step.bytes).toBeLessThan(1e9);
    expect(a.problems.some((p) => /boolean-mask indexing/.test(p.message))).toBe(true);
  });
});
