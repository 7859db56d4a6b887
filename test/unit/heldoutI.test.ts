/**
 * Real scripts, held-out corpus group i (issue 14): constructs of RL notebooks and scripts, detection and
 * segmentation training, transformers written from scratch, recommenders and LLM fine-tuning recipes that FlopLens
 * read wrong before it had seen them.
 */
import { describe, expect, it } from 'vitest';
import { check } from './snippetCheck';
import { analyze } from '../../src/core/analyze';

const run = (text: string) => analyze({ text, file: 'snippet.py' });

describe('a subclass of a torch layer is that layer (class TokenEmbedding(nn.Embedding), class L(nn.Linear))', () => {
  const embedding = `import torch
from torch import nn

class TokenEmbedding(nn.Embedding):
    def __init__(self, vocab_size, d_model):
        super(TokenEmbedding, self).__init__(vocab_size, d_model, padding_idx=1)

class PositionalEncoding(nn.Module):
    def __init__(self, d_model, max_len):
        super().__init__()
        self.encoding = torch.zeros(max_len, d_model)
        self.encoding.requires_grad = False

    def forward(self, x):
        batch_size, seq_len = x.size()
        return self.encoding[:seq_len, :]

class Model(nn.Module):
    def __init__(self):
        super().__init__()
        self.tok = TokenEmbedding(1000, 64)
        self.pos = PositionalEncoding(64, 256)
        self.fc = nn.Linear(64, 64)

    def forward(self, x):
        return self.fc(self.tok(x) + self.pos(x))

model = Model()
x = torch.randint(0, 1000, (8, 16))
h = model.tok(x)
y = model(x)
`;

  it('super().__init__(vocab, d) builds the embedding: its parameters count, its output has the batch', () =>
    check(embedding, 'params(model) = 68160\nh = tensor[8, 16, 64]\ny = tensor[8, 16, 64]'));

  it('the step is costed with every token of the batch (before: the sum lost the batch dimension)', () => {
    const r = run(`${embedding}
opt = torch.optim.Adam(model.parameters())
for _ in range(10):
    model(x).sum().backward()
    opt.step()
`);
    expect(r.model.params).toBe(68160);
    expect(r.step.forwardFlops).toBe(2 * 8 * 16 * 64 * 64);
    expect(r.step.batch).toBe(8);
  });

  it('a subclass without __init__ takes the base arguments from the class call; its own forward reads self.weight', () =>
    check(`import torch
import torch.nn as nn
import torch.nn.functional as F

class CastedLinear(nn.Linear):
    def forward(self, x):
        return F.linear(x, self.weight.to(x.dtype))

class Plain(nn.Linear):
    pass

class Head(nn.Linear):
    def __init__(self, a, b):
        super().__init__(a, b, bias=False)
        self.width = self.out_features

    def forward(self, x):
        return super().forward(x) * 2

c, p, h = CastedLinear(64, 32), Plain(16, 4), Head(64, 10)
x = torch.randn(8, 64)
yc, yp, yh = c(x), p(torch.randn(8, 16)), h(x)
w = h.width
`, 'params(c) = 2080\nparams(p) = 68\nparams(h) = 640\nyc = tensor[8, 32]\nyp = tensor[8, 4]\nyh = tensor[8, 10]\nw = 10'));
});
