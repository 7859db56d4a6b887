/**
 * Real scripts, held-out corpus group h (issue 14): constructs of book and course code (the d2l notebooks, Deep
 * Learning with PyTorch, course notebooks and scripts) that FlopLens read wrong before it had seen them.
 */
import { describe, expect, it } from 'vitest';
import { check } from './snippetCheck';
import { analyze } from '../../src/core/analyze';
import { cleanCell, notebookCells } from '../../src/core/notebook';

const run = (text: string) => analyze({ text, file: 'snippet.py' });

describe('notebook cells: a line that continues a statement is never taken for an IPython magic', () => {
  it("the format operator starting a continuation line ('% (epoch + 1, loss)') stays; magics at a statement's start go", () => {
    const cell = [
      '%matplotlib inline',
      'def train(n):',
      '    for epoch in range(n):',
      "        print('epoch %d, loss %.4f'",
      '              % (epoch + 1, 0.5))',
      '    x = [1,',
      '%2]',
      '    y = 1 + \\',
      '!True',
      '    s = """',
      '%not a magic',
      '"""',
      '!pip install "torch[all]"',
      '%%time',
    ].join('\n');
    expect(cleanCell(cell).split('\n')).toEqual([
      '', 'def train(n):', '    for epoch in range(n):', "        print('epoch %d, loss %.4f'", '              % (epoch + 1, 0.5))',
      '    x = [1,', '%2]', '    y = 1 + \\', '!True', '    s = """', '%not a magic', '"""', '', '',
    ]);
  });

  it("a notebook's own training function with such a print is analysed (its loop's steps are the loader's)", () => {
    const nb = JSON.stringify({
      cells: [
        { cell_type: 'code', source: ['import torch, torchvision\n', 'from torch import nn\n', "train = torchvision.datasets.FashionMNIST('.', train=True)\n", 'loader = torch.utils.data.DataLoader(train, batch_size=250)\n', 'net = nn.Sequential(nn.Flatten(), nn.Linear(784, 10))'] },
        { cell_type: 'code', source: ['def train_ch5(net, it, opt, num_epochs):\n', '    for epoch in range(num_epochs):\n', '        for X, y in it:\n', '            l = nn.CrossEntropyLoss()(net(X), y)\n', '            opt.zero_grad()\n', '            l.backward()\n', '            opt.step()\n', "        print('epoch %d, loss %.4f'\n", '              % (epoch + 1, l.item()))'] },
        { cell_type: 'code', source: ['train_ch5(net, loader, torch.optim.Adam(net.parameters()), 5)'] },
      ],
      metadata: {}, nbformat: 4, nbformat_minor: 4,
    });
    const r = analyze({ text: notebookCells(nb).join('\n\n'), file: 'nb.ipynb' });
    expect(r.problems.filter((p) => p.code === 'syntax')).toEqual([]);
    expect(r.run.steps).toBe(5 * 240);
  });
});

describe('dict() and collections.OrderedDict of (key, value) pairs', () => {
  it('nn.Sequential(OrderedDict([(name, layer), ...])) holds its named layers (it was an empty Sequential: 0 params)', () => check(`import torch.nn as nn
from collections import OrderedDict
seq_model = nn.Sequential(OrderedDict([
    ('hidden_linear', nn.Linear(1, 8)),
    ('hidden_activation', nn.Tanh()),
    ('output_linear', nn.Linear(8, 1))
]))
d = dict([("a", 1), ("b", 2)], c=3)
e = dict(zip(["x", "y"], [4, 5]))
od = OrderedDict(a=1)
`, `params(seq_model) = 25
d = {"a": 1, "b": 2, "c": 3}
e = {"x": 4, "y": 5}
od = {"a": 1}`));

  it('the model built that way is what the training costs', () => {
    const r = run(`import torch
import torch.nn as nn
from collections import OrderedDict
model = nn.Sequential(OrderedDict([('fc1', nn.Linear(10, 20)), ('act', nn.ReLU()), ('fc2', nn.Linear(20, 1))]))
x, y = torch.randn(9, 10), torch.randn(9, 1)
opt = torch.optim.SGD(model.parameters(), lr=1e-3)
for epoch in range(100):
    loss = nn.MSELoss()(model(x), y)
    opt.zero_grad()
    loss.backward()
    opt.step()
`);
    expect(r.model.params).toBe(10 * 20 + 20 + 21);
    expect(r.step.batch).toBe(9);
    expect(r.step.forwardFlops).toBe(2 * 9 * (10 * 20 + 20 * 1));
  });
});

describe('a comprehension that filters a dataset, and a Python list of samples as a dataset', () => {
  it("[(img, label_map[label]) for img, label in cifar10 if img.mean() > 0.5] keeps the samples' shapes, of unknown number", () => check(`from torchvision import datasets, transforms
cifar10 = datasets.CIFAR10('data', train=True, download=False, transform=transforms.ToTensor())
label_map = {0: 0, 2: 1}
cifar2 = [(img, label_map[label]) for img, label in cifar10 if img.mean() > 0.5]
n = len(cifar2)
img, _ = cifar2[0]
for x, y in cifar2:
    seen = x
`, `n = unknown (a list filled in a loop over data)
img = tensor[3, 32, 32] fp32
seen = tensor[3, 32, 32] fp32`));

  it('a DataLoader over a list of (tensor, label) samples batches them (the labels too, as default_collate does)', () => check(`import torch
pairs = [(torch.zeros(3, 32, 32), 1) for _ in range(100)]
loader = torch.utils.data.DataLoader(pairs, batch_size=64, shuffle=True)
for imgs, labels in loader:
    a, b = imgs, labels
batches = len(loader)
`, `a = tensor[64, 3, 32, 32]
b = tensor[64] int8
batches = 2`));

  it('a one-image-per-step training over the filtered list: batch 1, the forward of one image, a pass per sample', () => {
    const r = run(`import torch
import torch.nn as nn
from torchvision import datasets, transforms
cifar10 = datasets.CIFAR10('data', train=True, download=False, transform=transforms.ToTensor())
cifar2 = [(img, label) for img, label in cifar10 if label in [0, 2]]
model = nn.Sequential(nn.Linear(3072, 512), nn.Tanh(), nn.Linear(512, 2), nn.LogSoftmax(dim=1))
optimizer = torch.optim.SGD(model.parameters(), lr=1e-2)
loss_fn = nn.NLLLoss()
for epoch in range(100):
    for img, label in cifar2:
        out = model(img.view(-1).unsqueeze(0))
        loss = loss_fn(out, torch.tensor([label]))
        optimizer.zero_grad()
        loss.backward()
        optimizer.step()
`);
    expect(r.step.batch).toBe(1);
    expect(r.step.forwardFlops).toBe(2 * (3072 * 512 + 512 * 2));
    expect(r.run.steps).toBe(100 * 10000); // one image per step, 2 of CIFAR-10's 10 classes (the test below)
  });
});

describe("scikit-learn's synthetic datasets: shapes from the call's own arguments", () => {
  it('make_circles / make_moons / make_blobs / make_classification / make_regression give X [n, features] and y [n]', () => check(`from sklearn.datasets import make_circles, make_moons, make_blobs, make_classification, make_regression
X, y = make_circles(1000, noise=0.03, random_state=42)
m, _ = make_moons(n_samples=300)
b, by = make_blobs(n_samples=1000, n_features=3, centers=4)
b2, _ = make_blobs(n_samples=[100, 50])
c, _ = make_classification()
r, ry = make_regression(200, 7)
`, `X = tensor[1000, 2] fp32
y = tensor[1000] int8
m = tensor[300, 2] fp32
b = tensor[1000, 3] fp32
by = tensor[1000] int8
b2 = tensor[150, 2] fp32
c = tensor[100, 20] fp32
r = tensor[200, 7] fp32
ry = tensor[200] fp32`));

  it('a full-batch training on train_test_split of them: batch 800 of 1,000, the test forward of each pass counted too', () => {
    const r = run(`import torch
from torch import nn
from sklearn.datasets import make_circles
from sklearn.model_selection import train_test_split
X, y = make_circles(1000, noise=0.03, random_state=42)
X = torch.from_numpy(X).type(torch.float)
y = torch.from_numpy(y).type(torch.float)
X_train, X_test, y_train, y_test = train_test_split(X, y, test_size=0.2, random_state=42)
model_0 = nn.Sequential(nn.Linear(in_features=2, out_features=5), nn.Linear(in_features=5, out_features=1))
loss_fn = nn.BCEWithLogitsLoss()
optimizer = torch.optim.SGD(params=model_0.parameters(), lr=0.1)
for epoch in range(100):
    y_logits = model_0(X_train).squeeze()
    loss = loss_fn(y_logits, y_train)
    optimizer.zero_grad()
    loss.backward()
    optimizer.step()
    with torch.inference_mode():
        test_logits = model_0(X_test).squeeze()
`);
    expect(r.step.batch).toBe(800);
    expect(r.step.forwardFlops).toBe(2 * (800 + 200) * (2 * 5 + 5 * 1));
    expect(r.run.steps).toBe(100);
  });
});

describe("a filter on a catalog dataset's classes keeps N·k/C of its samples", () => {
  it("[(img, label) for img, label in cifar10 if label in [0, 2]]: 10,000 of 50,000 (stated); == one class: 5,000", () => {
    check(`from torchvision import datasets, transforms
cifar10 = datasets.CIFAR10('data', train=True, download=False, transform=transforms.ToTensor())
cifar2 = [(img, label) for img, label in cifar10 if label in [0, 2]]
n = len(cifar2)
one = len([(x, y) for x, y in cifar10 if y == 3])
odd = [(x, y) for x, y in cifar10 if x.sum() > 0]
`, `n = 10000
one = 5000
odd = [(tensor[3, 32, 32] fp32, tensor[] int8)]`);
  });

  it('the steps of a DataLoader over it are its batches', () => {
    const r = run(`import torch
import torch.nn as nn
from torchvision import datasets, transforms
cifar10 = datasets.CIFAR10('data', train=True, download=False, transform=transforms.ToTensor())
cifar2 = [(img, label) for img, label in cifar10 if label in (0, 2)]
loader = torch.utils.data.DataLoader(cifar2, batch_size=64, shuffle=True)
model = nn.Sequential(nn.Flatten(), nn.Linear(3072, 2))
opt = torch.optim.SGD(model.parameters(), lr=1e-2)
for epoch in range(100):
    for imgs, labels in loader:
        loss = nn.functional.cross_entropy(model(imgs), labels)
        opt.zero_grad()
        loss.backward()
        opt.step()
`);
    expect(r.run.steps).toBe(100 * Math.ceil(10000 / 64));
    expect(r.step.batch).toBe(64);
    expect(r.problems.some((p) => p.code === 'dataset' && /2 of the 10 classes/.test(p.message))).toBe(true);
  });
});
