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

describe('features taken batch by batch, Lightning checkpoints, copies and heads of catalog models', () => {
  it('a split the dataset catalog sizes by name (STL-10 unlabeled, SVHN extra)', () => {
    check(`from torchvision.datasets import STL10, SVHN
u = STL10(root="data", split="unlabeled", download=True)
t = STL10(root="data", split="train", download=True)
e = SVHN(root="data", split="extra", download=True)
sizes = [len(u), len(t), len(e)]
`, 'sizes = [100000, 5000, 531131]');
  });

  it("outputs appended batch by batch over a DataLoader concatenate to the dataset's samples (the last batch holds the rest)", () => {
    check(`import torch
import torch.nn as nn
import torch.utils.data as data
ds = data.TensorDataset(torch.randn(5000, 3, 8, 8), torch.randint(0, 10, (5000,)))
net = nn.Sequential(nn.Flatten(), nn.Linear(192, 512))
@torch.no_grad()
def features(model, dataset):
    loader = data.DataLoader(dataset, batch_size=64, shuffle=False, drop_last=False)
    feats, labels = [], []
    for x, y in loader:
        feats.append(model(x).detach().cpu())
        labels.append(y)
    feats = torch.cat(feats, dim=0)
    labels = torch.cat(labels, dim=0)
    labels, idxs = labels.sort()
    return data.TensorDataset(feats[idxs], labels)
t = features(net, ds)
n = len(t)
dim = t.tensors[0].shape[1]
small = data.TensorDataset(*(x.unflatten(0, (10, 500))[:, :20].flatten(0, 1) for x in t.tensors))
m = len(small)
`, `n = 5000
dim = 512
m = 200`);
  });

  it('Cls.load_from_checkpoint(...) of a LightningModule of the script is the model it built', () => {
    check(`import torch
import torch.nn as nn
import pytorch_lightning as pl
class Net(pl.LightningModule):
    def __init__(self, hidden):
        super().__init__()
        self.save_hyperparameters()
        self.layer = nn.Linear(32, hidden)
trained = Net(hidden=64)
trainer = pl.Trainer(max_epochs=1)
best = Net.load_from_checkpoint(trainer.checkpoint_callback.best_model_path)
y = best.layer(torch.randn(4, 32))
`, 'y = tensor[4, 64]');
  });

  it("a projection head wrapping a catalog model's classifier counts every layer; a deep copy's surgery leaves the original", () => {
    const a = run(`import copy
import torch
import torch.nn as nn
import torchvision
convnet = torchvision.models.resnet18(num_classes=512)
convnet.fc = nn.Sequential(convnet.fc, nn.ReLU(inplace=True), nn.Linear(512, 128))
features = copy.deepcopy(convnet)
features.fc = nn.Identity()
opt = torch.optim.AdamW(convnet.parameters())
for step in range(10):
    out = convnet(torch.randn(8, 3, 96, 96))
    out.sum().backward()
    opt.step()
`);
    // resnet18's body (11,176,512) + Linear(512, 512) + Linear(512, 128)
    expect(a.model.params).toBe(11_176_512 + 512 * 512 + 512 + 512 * 128 + 128);
  });
});

describe('command lines built from parent parsers', () => {
  it("ArgumentParser(parents=[get_args_parser()]) has the parents' arguments and defaults", () => {
    check(`import argparse
def get_args_parser():
    parser = argparse.ArgumentParser('DINO', add_help=False)
    parser.add_argument('--data_path', default='/path/to/imagenet/train/', type=str)
    parser.add_argument('--batch_size_per_gpu', default=64, type=int)
    return parser
parser = argparse.ArgumentParser('DINO', parents=[get_args_parser()])
parser.add_argument('--epochs', default=100, type=int)
args = parser.parse_args()
got = [args.data_path, args.batch_size_per_gpu, args.epochs]
`, 'got = ["/path/to/imagenet/train/", 64, 100]');
  });
});

describe('an array read from a file FlopLens has no facts of', () => {
  it('is said, with the file when its path is known', () => {
    const a = run(`import numpy as np
x = np.genfromtxt("data/cora/cora.content", dtype=np.dtype(str))
y = np.loadtxt(open_path(), delimiter=",")
`);
    const said = a.problems.filter((p) => p.code === 'data-file').map((p) => p.message);
    expect(said.some((m) => m.startsWith("np.genfromtxt('data/cora/cora.content'): the file is not in the workspace"))).toBe(true);
    expect(said.some((m) => m.startsWith('np.loadtxt(…): FlopLens cannot tell which file this reads'))).toBe(true);
  });
});
