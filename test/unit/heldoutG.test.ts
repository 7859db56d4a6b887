/**
 * Real scripts, held-out corpus group g (issue 14): constructs of Lightning modules, course notebooks kept as .py
 * files, graph / audio / time-series scripts that FlopLens read wrong before it had seen them.
 */
import { describe, expect, it } from 'vitest';
import { check } from './snippetCheck';
import { analyze } from '../../src/core/analyze';

const run = (text: string) => analyze({ text, file: 'snippet.py' });

describe("Lightning's self.save_hyperparameters(): self.hparams holds the module's construction arguments", () => {
  it('layers sized from self.hparams.x and self.hparams["x"] are counted (defaults, keywords, **kwargs)', () => check(`import torch.nn as nn
import pytorch_lightning as pl

class Predictor(pl.LightningModule):
    def __init__(self, input_dim, model_dim, num_classes=10, **kwargs):
        super().__init__()
        self.save_hyperparameters()
        self.inp = nn.Linear(self.hparams.input_dim, self.hparams["model_dim"])
        self.out = nn.Linear(self.hparams.model_dim, self.hparams.num_classes)
        self.extra = nn.Linear(self.hparams.width, 1)

m = Predictor(10, model_dim=32, width=4)
`, 'params(m) = 687'));

  it('the most derived class is what is bound, and ignore= drops a name (a subclass that inherits __init__ too)', () => check(`import torch.nn as nn
import lightning as L

class Base(L.LightningModule):
    def __init__(self, hidden, encoder=None):
        super().__init__()
        self.save_hyperparameters(ignore=["encoder"])
        self.fc = nn.Linear(self.hparams.hidden, self.hparams.hidden)
        self.has_encoder = "encoder" in self.hparams

class Child(Base):
    pass

c = Child(8, encoder=nn.Linear(2, 2))
flag = c.has_encoder
`, 'params(c) = 72\nflag = false'));

  it('a dict passed to save_hyperparameters is the hparams (self.save_hyperparameters(config))', () => check(`import torch.nn as nn
import pytorch_lightning as pl

class Net(pl.LightningModule):
    def __init__(self, config):
        super().__init__()
        self.save_hyperparameters(config)
        self.fc = nn.Linear(self.hparams.d_in, self.hparams["d_out"])

n = Net({"d_in": 5, "d_out": 3})
`, 'params(n) = 18'));
});

describe("a DataLoader's .dataset is the script's own Dataset: its attributes are read", () => {
  it('loader.dataset.num_categories of a partial-built Dataset sizes the model (num_classes=train_loader.dataset.n)', () => check(`from functools import partial
import torch
import torch.nn as nn
import torch.utils.data as data

class ReverseDataset(data.Dataset):
    def __init__(self, num_categories, seq_len, size):
        super().__init__()
        self.num_categories = num_categories
        self.size = size
        self.data = torch.randint(self.num_categories, size=(self.size, seq_len))
    def __len__(self):
        return self.size
    def __getitem__(self, idx):
        return self.data[idx], torch.flip(self.data[idx], dims=(0,))

dataset = partial(ReverseDataset, 10, 16)
train_loader = data.DataLoader(dataset(50000), batch_size=128)
n = train_loader.dataset.num_categories
size = len(train_loader.dataset)
head = nn.Linear(32, train_loader.dataset.num_categories)
`, 'n = 10\nsize = 50000\nparams(head) = 330'));
});

describe("trainer.fit(model) with no loader: the LightningModule's own data hooks run in Lightning's order", () => {
  it('setup() builds the split that train_dataloader() batches: 3 epochs x ceil(55,000 / 256) steps, batch 256', () => {
    const r = run(`import torch
import torch.nn as nn
import torch.nn.functional as F
import pytorch_lightning as pl
from torch.utils.data import DataLoader, random_split
from torchvision import transforms
from torchvision.datasets import MNIST

class LitMNIST(pl.LightningModule):
    def __init__(self, data_dir=".", hidden_size=64):
        super().__init__()
        self.data_dir = data_dir
        self.model = nn.Sequential(nn.Flatten(), nn.Linear(28 * 28, hidden_size), nn.ReLU(), nn.Linear(hidden_size, 10))

    def forward(self, x):
        return F.log_softmax(self.model(x), dim=1)

    def training_step(self, batch, batch_nb):
        x, y = batch
        return F.nll_loss(self(x), y)

    def configure_optimizers(self):
        return torch.optim.Adam(self.parameters(), lr=2e-4)

    def prepare_data(self):
        MNIST(self.data_dir, train=True, download=True)

    def setup(self, stage=None):
        if stage == "fit" or stage is None:
            mnist_full = MNIST(self.data_dir, train=True, transform=transforms.ToTensor())
            self.mnist_train, self.mnist_val = random_split(mnist_full, [55000, 5000])

    def train_dataloader(self):
        return DataLoader(self.mnist_train, batch_size=256)

model = LitMNIST()
trainer = pl.Trainer(max_epochs=3)
trainer.fit(model)
`);
    expect(r.run.steps).toBe(3 * Math.ceil(55000 / 256));
    expect(r.step?.batch).toBe(256);
    expect(r.model?.params).toBe(784 * 64 + 64 + 64 * 10 + 10);
  });
});

describe('self.forward(x) called from another method is a call of the module, as self(x) is', () => {
  it("a LightningModule's training_step -> helper -> self.forward(x): the model is the module, batch 128", () => {
    const r = run(`import torch
import torch.nn as nn
import torch.nn.functional as F
import pytorch_lightning as pl
from torch.utils.data import DataLoader, TensorDataset

class Block(nn.Module):
    def __init__(self, c):
        super().__init__()
        self.conv = nn.Conv2d(c, c, 3, padding=1)
    def forward(self, x):
        return F.elu(self.conv(x))

class Net(pl.LightningModule):
    def __init__(self):
        super().__init__()
        self.inp = nn.Conv2d(1, 16, 3, padding=1)
        self.blocks = nn.ModuleList([Block(16) for _ in range(3)])
        self.out = nn.Conv2d(16, 4, 1)

    def forward(self, x):
        x = self.inp(x)
        for b in self.blocks:
            x = b(x)
        return self.out(x)

    def calc_likelihood(self, x):
        return self.forward(x).mean()

    def training_step(self, batch, batch_idx):
        return self.calc_likelihood(batch[0])

    def configure_optimizers(self):
        return torch.optim.Adam(self.parameters())

ds = TensorDataset(torch.randn(1000, 1, 28, 28), torch.zeros(1000))
trainer = pl.Trainer(max_epochs=2)
trainer.fit(Net(), DataLoader(ds, batch_size=128))
`);
    expect(r.model?.name).toBe('Net');
    expect(r.model?.params).toBe(160 + 3 * (16 * 16 * 9 + 16) + 68);
    expect(r.step?.batch).toBe(128);
  });
});

describe("a notebook's autograd demo tensors are not parameters of the model it trains", () => {
  const train = `
class SimpleClassifier(nn.Module):
    def __init__(self):
        super().__init__()
        self.linear1 = nn.Linear(2, 4)
        self.linear2 = nn.Linear(4, 1)
    def forward(self, x):
        return self.linear2(torch.tanh(self.linear1(x)))

model = SimpleClassifier()
loader = DataLoader(TensorDataset(torch.randn(1000, 2), torch.rand(1000, 1)), batch_size=128)
`;
  it('x = torch.arange(3., requires_grad=True); y.backward() before an nn.Module training: 17 parameters, not 20', () => {
    const r = run(`import torch
import torch.nn as nn
from torch.utils.data import DataLoader, TensorDataset
x = torch.arange(3, dtype=torch.float32, requires_grad=True)
y = ((x + 2) ** 2 + 3).mean()
y.backward()
${train}
optimizer = torch.optim.SGD(model.parameters(), lr=0.1)
for epoch in range(10):
    for xb, yb in loader:
        loss = nn.functional.mse_loss(model(xb), yb)
        optimizer.zero_grad()
        loss.backward()
        optimizer.step()
`);
    expect(r.model?.params).toBe(17);
  });

  it('a requires_grad tensor an optimizer is given (a learned temperature) still counts beside the module', () => {
    const r = run(`import torch
import torch.nn as nn
from torch.utils.data import DataLoader, TensorDataset
${train}
log_alpha = torch.zeros(3, requires_grad=True)
optimizer = torch.optim.Adam(list(model.parameters()) + [log_alpha], lr=0.1)
a_optimizer = torch.optim.Adam([log_alpha], lr=1e-3)
for epoch in range(10):
    for xb, yb in loader:
        loss = nn.functional.mse_loss(model(xb), yb) * log_alpha.exp().mean()
        optimizer.zero_grad()
        loss.backward()
        optimizer.step()
`);
    expect(r.model?.params).toBe(20);
  });
});
