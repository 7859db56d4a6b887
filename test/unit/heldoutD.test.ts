/**
 * Held-out corpus group d (issue 14): the constructs its classic, tutorial and course-notebook scripts revealed, one
 * snippet each (not the corpus scripts): tqdm.notebook's trange, the optimizer step that runs most often, a constant
 * built first inside forward, NumPy/torch in-place resize, and a character vocabulary counted from a file.
 */
import { describe, expect, it } from 'vitest';
import { check } from './snippetCheck';
import { analyze } from '../../src/core/analyze';

const run = (text: string) => analyze({ text, file: 'snippet.py' });

const MNIST_LOADER = `import torch, torch.nn as nn
from torchvision import datasets, transforms
train_data = datasets.MNIST('data', train=True, download=True, transform=transforms.ToTensor())
loader = torch.utils.data.DataLoader(train_data, batch_size=64, shuffle=True)
model = nn.Sequential(nn.Flatten(), nn.Linear(784, 128), nn.ReLU(), nn.Linear(128, 10))
criterion = nn.CrossEntropyLoss()
`;
/** `n` epochs of one optimizer step per batch of `loader`. */
const epochs = (n: number) => `for epoch in range(${n}):
    for x, y in loader:
        optimizer.zero_grad()
        criterion(model(x), y).backward()
        optimizer.step()
`;

describe('epoch loops written with tqdm.notebook / tqdm.autonotebook', () => {
  it('trange(EPOCHS) from tqdm.notebook is range(EPOCHS): steps = epochs x batches', () => {
    const a = run(`${MNIST_LOADER}from tqdm.notebook import trange, tqdm
optimizer = torch.optim.Adam(model.parameters())
EPOCHS = 10
for epoch in trange(EPOCHS):
    for x, y in tqdm(loader, leave=False):
        optimizer.zero_grad()
        criterion(model(x), y).backward()
        optimizer.step()
`);
    expect(a.run.steps).toBe(10 * 938);
    expect(a.step.batch).toBe(64);
  });
  it('tqdm.autonotebook.trange(n) has n passes', () => check(`from tqdm.autonotebook import trange
r = trange(7)
n = len(r)`, 'n = 7'));
});

describe('a script that steps its optimizer in several places: the run is the step that runs most often', () => {
  it('a demonstration step at notebook level before the training loop is not the run', () => {
    const a = run(`${MNIST_LOADER}optimizer = torch.optim.SGD(model.parameters(), lr=0.01)
images, labels = next(iter(loader))
optimizer.zero_grad()
criterion(model(images), labels).backward()
optimizer.step()
${epochs(5)}`);
    expect(a.run.steps).toBe(5 * 938);
  });
  it("a learning-rate finder's 100 trial steps before 3 epochs of training are not the run", () => {
    const a = run(`${MNIST_LOADER}optimizer = torch.optim.Adam(model.parameters(), lr=1e-7)
def range_test(loader, num_iter):
    it = iter(loader)
    for i in range(num_iter):
        x, y = next(it)
        optimizer.zero_grad()
        criterion(model(x), y).backward()
        optimizer.step()
range_test(loader, 100)
${epochs(3)}`);
    expect(a.run.steps).toBe(3 * 938);
  });
  it('a GAN that steps two optimizers in the same loop keeps that loop', () => {
    const a = run(`import torch, torch.nn as nn
G = nn.Linear(100, 784)
D = nn.Linear(784, 1)
g_opt = torch.optim.Adam(G.parameters())
d_opt = torch.optim.Adam(D.parameters())
for step in range(200):
    z = torch.randn(64, 100)
    d_opt.zero_grad()
    D(G(z).detach()).mean().backward()
    d_opt.step()
    g_opt.zero_grad()
    D(G(z)).mean().backward()
    g_opt.step()
`);
    expect(a.run.steps).toBe(200);
    expect(a.step.batch).toBe(64);
  });
});

describe('the batch of a model whose forward first builds a constant', () => {
  it("a diffusion UNet's sinusoidal frequencies [128] computed before x is touched do not make the batch 128", () => {
    const a = run(`import torch, torch.nn as nn
class Net(nn.Module):
    def __init__(self):
        super().__init__()
        self.inc = nn.Conv2d(3, 64, 3, padding=1)
        self.emb = nn.Linear(256, 64)
    def pos_encoding(self, t, channels):
        inv_freq = 1.0 / (10000 ** (torch.arange(0, channels, 2).float() / channels))
        a = torch.sin(t.repeat(1, channels // 2) * inv_freq)
        b = torch.cos(t.repeat(1, channels // 2) * inv_freq)
        return torch.cat([a, b], dim=-1)
    def forward(self, x, t):
        t = self.pos_encoding(t.unsqueeze(-1).float(), 256)
        return self.inc(x) + self.emb(t)[:, :, None, None]
model = Net()
opt = torch.optim.AdamW(model.parameters())
for i in range(10):
    x = torch.randn(14, 3, 64, 64)
    t = torch.randint(1, 1000, (14,))
    loss = model(x, t).pow(2).mean()
    opt.zero_grad()
    loss.backward()
    opt.step()
`);
    expect(a.step.batch).toBe(14);
  });
  it('a model that transposes its input first still reads the batch from its first op', () => {
    const a = run(`import torch, torch.nn as nn
class Net(nn.Module):
    def __init__(self):
        super().__init__()
        self.fc = nn.Linear(16, 4)
    def forward(self, x):
        return self.fc(x.transpose(0, 1))
model = Net()
out = model(torch.randn(10, 8, 16))
`);
    expect(a.step.batch).toBe(8);
  });
});

describe('in-place resize', () => {
  it("NumPy's a.resize((n, 1)) reshapes a in place; slices and torch.Tensor(a) follow", () => check(`import numpy as np, torch
seq_length = 20
data = np.sin(np.linspace(0, np.pi, seq_length + 1))
data.resize((seq_length + 1, 1))
x = data[:-1]
xt = torch.Tensor(x).unsqueeze(0)`, 'data = tensor[21, 1]\nx = tensor[20, 1]\nxt = tensor[1, 20, 1]'));
  it("torch's images.resize_(64, 784) reshapes the batch for the Linear that follows", () => check(`import torch
images = torch.randn(64, 1, 28, 28)
images.resize_(64, 784)
y = torch.nn.Linear(784, 10)(images)`, 'images = tensor[64, 784]\ny = tensor[64, 10]'));
});

describe('a character vocabulary counted from a file', () => {
  const CHARS = `import torch.nn as nn
with open('data/anna.txt', 'r') as f:
    text = f.read()
chars = tuple(set(text))
n = len(chars)
lstm = nn.LSTM(len(chars), 512, 2, batch_first=True)
`;
  it('len(tuple(set(text))) of a text file is the stated character default, never unknown or 0', () => check(CHARS, 'n = 65\nparams(lstm) = 3287040'));
  it('the vocab= directive sets it', () => {
    const a = run(`# floplens: vocab=83\n${CHARS}import torch\nout = lstm(torch.randn(128, 100, len(chars)))\n`);
    expect(a.model.params).toBe(3287040 + 4 * 512 * (83 - 65)); // LSTM(83, 512, 2): the first layer's input weights grow
  });
  it('set() of values the script has keeps its distinct items', () => check(`s = set('abca')
n = len(s)`, 'n = 3'));
});

describe('list methods that change the list in place', () => {
  it("hidden_dims.reverse() reverses the list a VAE's decoder is then built from", () => check(`hidden_dims = [32, 64, 128, 256, 512]
enc = hidden_dims[0]
hidden_dims.reverse()
dec = hidden_dims[0]`, 'enc = 32\ndec = 512\nhidden_dims = [512, 256, 128, 64, 32]'));
  it('pop(i) removes item i, pop() the last', () => check(`a = [1, 2, 3, 4]
first = a.pop(0)
last = a.pop()`, 'first = 1\nlast = 4\na = [2, 3]'));
});

describe('a script subclass of a library dataset', () => {
  it('class MyCelebA(CelebA) made with split= and transform= is CelebA through those transforms', () => check(`import torch
from torchvision import transforms
from torchvision.datasets import CelebA
class MyCelebA(CelebA):
    def _check_integrity(self) -> bool:
        return True
tf = transforms.Compose([transforms.RandomHorizontalFlip(), transforms.CenterCrop(148), transforms.Resize(64), transforms.ToTensor()])
loader = torch.utils.data.DataLoader(MyCelebA('Data/', split='train', transform=tf, download=False), batch_size=64)
x, y = next(iter(loader))
n = len(loader)`, 'x = tensor[64, 3, 64, 64] fp32\nn = 2544'));
});
