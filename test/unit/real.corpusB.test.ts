/**
 * Real scripts, corpus group b (issue 14): a hand-written GELU keeps its shape, a weight replaced by a loaded one stays
 * counted, a method named `next` calls the builtin, nested loops whose count depends on the outer item sum, generation
 * loops are one request, and data-filled containers are unknown (never length 1).
 */
import { describe, expect, it } from 'vitest';
import { check } from './snippetCheck';
import { analyze } from '../../src/core/analyze';

const T = 'import torch\nimport torch.nn as nn\n';
const run = (text: string) => analyze({ text, file: 'snippet.py' });

describe('elementwise ops keep the shape they know', () => {
  it('torch.pi is a number; torch.tensor of it is a scalar', () => check(`${T}p = torch.pi\nt = torch.tensor(2.0 / torch.pi)`, 'p = 3.141592653589793\nt = tensor[]'));
  it('a tensor times a value that could not be evaluated keeps the tensor shape', () => check(`${T}import os
x = torch.randn(2, 5, 8)
u = os.environ.get("SCALE")
a = x * u
b = u + x
c = x ** u`, 'a = tensor[2, 5, 8]\nb = tensor[2, 5, 8]\nc = tensor[2, 5, 8]'));
  it('the hand-written GELU of LLMs-from-scratch keeps the sequence dimension', () => {
    const r = run(`${T}class GELU(nn.Module):
    def forward(self, x):
        return 0.5 * x * (1 + torch.tanh(torch.sqrt(torch.tensor(2.0 / torch.pi)) * (x + 0.044715 * torch.pow(x, 3))))
ff = nn.Sequential(nn.Linear(768, 3072), GELU(), nn.Linear(3072, 768)).eval()
with torch.no_grad():
    ff(torch.randn(2, 256, 768))
`);
    // 2 Linear layers × 2 FLOPs × 2·256 tokens × 768·3072 (the tanh/pow elementwise work is not matmul work).
    expect(r.step.forwardFlops).toBeGreaterThanOrEqual(2 * 2 * 512 * 768 * 3072);
    expect(r.step.forwardFlops).toBeLessThan(2 * 2 * 512 * 768 * 3072 * 1.05);
    expect(r.problems.map((p) => p.message).join('\n')).not.toMatch(/constructor arguments|cannot be broadcast/);
  });
});

describe('weights loaded into a model stay counted', () => {
  it('layer.weight = assign(layer.weight, loaded): the replacement has the shape it replaces', () => {
    const r = run(`import numpy as np
${T}def assign(left, right):
    if left.shape != right.shape: raise ValueError("shape mismatch")
    return torch.nn.Parameter(torch.tensor(right))
model = nn.Sequential(nn.Embedding(50257, 768), nn.Linear(768, 50257))
params = dict(np.load("gpt2_weights.npz"))
model[0].weight = assign(model[0].weight, params["wte"])
model[1].weight = torch.nn.Parameter(torch.tensor(params["head"]))
with torch.no_grad():
    model(torch.randint(0, 50257, (1, 16)))
`);
    expect(r.model.params).toBe(50257 * 768 + 768 * 50257 + 50257);
  });
  it('a known replacement (weight tying) still replaces', () => check(`${T}emb = nn.Embedding(100, 8)\nhead = nn.Linear(8, 100, bias=False)\nhead.weight = emb.weight\nm = nn.ModuleList([emb, head])`, 'params(m) = 800'));
});

describe('a method named like a builtin', () => {
  it('def next(self): return next(self.it) calls the builtin next, not itself', () => check(`class Loader:
    def __init__(self, xs): self.it = iter(xs)
    def next(self): return next(self.it)
a = Loader([7, 8, 9]).next()`, 'a = 7'));
  it('an InfiniteDataLoader.next() batch is traced', () => {
    const r = run(`${T}from torch.utils.data import DataLoader, TensorDataset
class InfiniteLoader:
    def __init__(self, ds, **kw): self.it = iter(DataLoader(ds, **kw))
    def next(self): return next(self.it)
loader = InfiniteLoader(TensorDataset(torch.randn(1000, 16), torch.randint(0, 4, (1000,))), batch_size=32)
model = nn.Linear(16, 4); opt = torch.optim.SGD(model.parameters(), lr=0.1)
for step in range(100):
    x, y = loader.next()
    loss = nn.functional.cross_entropy(model(x), y); opt.zero_grad(); loss.backward(); opt.step()
`);
    expect(r.problems.map((p) => p.message).join('\n')).not.toMatch(/depth limit|could not be traced/);
    expect(r.step.batch).toBe(32);
    expect(r.step.forwardFlops).toBe(2 * 32 * 16 * 4);
  });
  it('class-body names are not visible inside methods', () => check(`class A:
    k = 5
    def f(self):
        try:
            return k
        except NameError:
            return -1
k = 1
v = A().f()`, 'v = 1'));
});

describe('nested loops whose count depends on the outer item', () => {
  it('for stage, n in enumerate([10, 20]): for k in range(n): the run has 30 steps', () => {
    const r = run(`${T}model = nn.Linear(16, 4); opt = torch.optim.AdamW(model.parameters())
for stage, num_steps in enumerate([10, 20]):
    for k in range(num_steps):
        loss = model(torch.randn(12, 16)).mean(); opt.zero_grad(); loss.backward(); opt.step()
`);
    expect(r.run.steps).toBe(30);
    expect(r.step.forwardFlops).toBe(2 * 12 * 16 * 4);
  });
  it('an inner count that does not vary keeps the product', () => {
    const r = run(`${T}model = nn.Linear(16, 4); opt = torch.optim.AdamW(model.parameters())
for epoch in range(3):
    for k in range(50):
        loss = model(torch.randn(12, 16)).mean(); opt.zero_grad(); loss.backward(); opt.step()
`);
    expect(r.run.steps).toBe(150);
  });
});

describe('generation loops are one request at growing lengths', () => {
  it('for _ in range(10): model(idx); idx = torch.cat((idx, next), dim=1): one step, the sum over lengths 4..13', () => {
    const r = run(`${T}model = nn.Sequential(nn.Embedding(50257, 256), nn.Linear(256, 50257)).eval()
idx = torch.zeros((1, 4), dtype=torch.long)
with torch.no_grad():
    for _ in range(10):
        logits = model(idx[:, -1024:])
        idx = torch.cat((idx, logits[:, -1, :].argmax(-1, keepdim=True)), dim=1)
out = idx
`);
    // The Linear's 2·256·50257 FLOPs per position, over 4 + 5 + … + 13 = 85 positions.
    expect(r.step.forwardFlops).toBe(2 * 256 * 50257 * 85);
    expect(r.run.steps).toBe(1);
    expect(r.step.batch).toBe(1);
    expect(r.problems.map((p) => p.message).join('\n')).toMatch(/generation loop at line 6: 10 new tokens on a context of 4 to 13/);
  });
  it('the grown tensor has its final length after the loop', () => check(`${T}model = nn.Linear(8, 8)
idx = torch.zeros((1, 4), dtype=torch.long)
for _ in range(10):
    logits = model(torch.randn(1, 8))
    idx = torch.cat((idx, torch.zeros((1, 1), dtype=torch.long)), dim=1)`, 'idx = tensor[1, 14]'));
  it('a generate() method called num_samples times: the samples are the steps, the tokens are not', () => {
    const r = run(`${T}import tiktoken
class Sampler:
    def __init__(self, model):
        self.model = model
    @torch.no_grad()
    def generate(self, idx, max_new_tokens):
        for _ in range(max_new_tokens):
            logits = self.model(idx)
            idx_next = torch.multinomial(torch.softmax(logits[:, -1, :], dim=-1), num_samples=1)
            idx = torch.cat((idx, idx_next), dim=1)
        return idx
enc = tiktoken.get_encoding("gpt2")
model = Sampler(nn.Sequential(nn.Embedding(100, 32), nn.Linear(32, 100)).eval())
x = torch.tensor(enc.encode("Hello, I am"), dtype=torch.long)[None, ...]
for k in range(3):
    y = model.generate(x, 20)
`);
    expect(r.run.steps).toBe(3);
    expect(r.step.batch).toBe(1);
    // The prompt "Hello, I am" is 4 tokens: lengths 4..23 (270 positions) through the 32×100 head.
    expect(r.step.forwardFlops).toBe(2 * 32 * 100 * 270);
  });
  it('a training loop that also samples keeps its training steps and batch', () => {
    const r = run(`${T}model = nn.Sequential(nn.Embedding(65, 32), nn.Linear(32, 65)); opt = torch.optim.AdamW(model.parameters())
for it in range(500):
    loss = model(torch.randint(0, 65, (16, 64))).logsumexp(-1).mean(); opt.zero_grad(); loss.backward(); opt.step()
ctx = torch.zeros((1, 1), dtype=torch.long)
with torch.no_grad():
    for _ in range(100):
        ctx = torch.cat((ctx, model(ctx)[:, -1:].argmax(-1)), dim=1)
`);
    expect(r.run.steps).toBe(500);
    expect(r.step.batch).toBe(16);
  });
  it('a literal prompt through tok.encode(): one token per word or punctuation mark, stated; unsqueeze(0) keeps the batch of 1', () => {
    check(`${T}import tiktoken
tok = tiktoken.get_encoding("gpt2")
a = torch.tensor(tok.encode("Hello, I am")).unsqueeze(0)
b = tok.encode("Every effort moves you")
c = tok.encode("\\n")`, 'a = tensor[1, 4]\nb = [0, 0, 0, 0]\nc = [0]');
    const r = run(`${T}import tiktoken\ntok = tiktoken.get_encoding("gpt2")\nids = tok.encode("Hello, I am")\n`);
    expect(r.problems.map((p) => p.message).join('\n')).toMatch(/Prompt length estimated from the literal text: ≈4 tokens/);
  });
});

describe('loaded weights on a hand-written module', () => {
  it('self.scale of a custom LayerNorm replaced by assign() keeps its size and stays counted once', () => {
    const r = run(`import numpy as np
${T}class LayerNorm(nn.Module):
    def __init__(self, d):
        super().__init__()
        self.scale = nn.Parameter(torch.ones(d))
        self.shift = nn.Parameter(torch.zeros(d))
    def forward(self, x):
        return self.scale * (x - x.mean(-1, keepdim=True)) + self.shift
def assign(left, right):
    return torch.nn.Parameter(torch.tensor(right))
params = dict(np.load("w.npz"))
norm = LayerNorm(768)
norm.scale = assign(norm.scale, params["g"])
norm.shift = assign(norm.shift, params["b"])
model = nn.Sequential(norm, nn.Linear(768, 10))
with torch.no_grad():
    out = model(torch.randn(2, 5, 768))
`);
    expect(r.model.params).toBe(2 * 768 + 768 * 10 + 10);
    expect(r.problems.map((p) => p.message).join('\n')).not.toMatch(/NaN|lower bound/);
  });
});

describe('containers filled from data', () => {
  const windows = `${T}from torch.utils.data import Dataset, DataLoader
class TokenWindows(Dataset):
    def __init__(self, ids, L):
        self.x = []
        for i in range(0, len(ids) - L, L): self.x.append(torch.tensor(ids[i:i + L]))
    def __len__(self): return len(self.x)
    def __getitem__(self, i): return self.x[i]
ids = [int(t) for t in open("corpus.txt").read().split()]
`;
  it('a list appended in a loop over data has an unknown length, never 1', () => check(`${windows}ds = TokenWindows(ids, 256)\nn = len(ds.x)\nk = len([1, 2])`, 'n = unknown (a list filled in a loop over data)\nk = 2'));
  it('a list appended in a loop of known passes keeps its items', () => check(`${T}xs = []\nfor i in range(5): xs.append(i)\nn = len(xs)`, 'n = 5'));
  it('a Dataset sized by such a list: steps are a stated assumption that keeps the epochs', () => {
    const r = run(`${windows}loader = DataLoader(TokenWindows(ids, 256), batch_size=2, drop_last=True)
model = nn.Sequential(nn.Embedding(50257, 64), nn.Linear(64, 50257)); opt = torch.optim.AdamW(model.parameters())
for epoch in range(10):
    for x in loader:
        loss = model(x).logsumexp(-1).mean(); opt.zero_grad(); loss.backward(); opt.step()
`);
    expect(r.run.steps).toBe(10_000);
    const steps = r.assumptions.find((a) => a.name === 'steps');
    expect(steps?.source).toBe('default');
    expect(r.problems.map((p) => p.message).join('\n')).toMatch(/assuming 10 epochs × 1,000 steps each = 10,000\. Add `# floplens: steps=N`/);
    expect(r.step.batch).toBe(2);
  });
});
