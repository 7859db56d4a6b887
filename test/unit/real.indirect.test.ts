/**
 * Issue 14 ("real scripts, read right"): models reached indirectly, data split by cross-validation, dataset sizes of
 * folders and library demo modules; one construct per test.
 */
import { describe, expect, it } from 'vitest';
import { check } from './snippetCheck';
import { analyze } from '../../src/core/analyze';
import { Interpreter } from '../../src/core/interpret/interpreter';

const KFOLD = `
import torch, torch.nn as nn
from sklearn.model_selection import KFold
from torch.utils.data import DataLoader, SubsetRandomSampler, TensorDataset

class Net(nn.Module):
    def __init__(self):
        super().__init__()
        self.fc = nn.Linear(20, 10)
    def forward(self, x):
        return self.fc(x)

def run():
    dataset = TensorDataset(torch.randn(1000, 20), torch.randint(0, 10, (1000,)))
    kfold = KFold(n_splits=4)
    models = [Net() for _ in range(kfold.n_splits)]
    optimizers = [torch.optim.SGD(m.parameters(), lr=0.1) for m in models]
    for epoch in range(3):
        for fold, (train_ids, val_ids) in enumerate(kfold.split(dataset)):
            loader = DataLoader(dataset, batch_size=50, sampler=SubsetRandomSampler(train_ids))
            model, opt = models[fold], optimizers[fold]
            for x, y in loader:
                opt.zero_grad()
                loss = nn.functional.cross_entropy(model(x), y)
                loss.backward()
                opt.step()

run()
`;

describe('cross-validation', () => {
  it('KFold(n_splits=k).split(X) yields k (train, validation) index arrays partitioning X', () => {
    check(`
import torch
from sklearn.model_selection import KFold, StratifiedKFold
x = torch.randn(1003, 8)
kf = KFold(n_splits=4, shuffle=True)
folds = list(kf.split(x))
n = len(folds)
k = kf.n_splits
first = folds[0]
last = folds[3]
d = StratifiedKFold().get_n_splits()
`, `
n = 4
k = 4
first = (tensor[752] int8, tensor[251] int8)
last = (tensor[753] int8, tensor[250] int8)
d = 5
`);
  });

  it('a DataLoader over a SubsetRandomSampler walks the sampler\'s indices, not the whole dataset', () => {
    check(`
import torch
from torch.utils.data import DataLoader, SubsetRandomSampler, TensorDataset
ds = TensorDataset(torch.randn(1000, 4))
loader = DataLoader(ds, batch_size=64, sampler=SubsetRandomSampler(torch.arange(300)))
n = len(loader)
`, 'n = 5');
  });

  it('k models trained in turn, one per fold: all k are counted; the steps are epochs × folds × fold batches', () => {
    const a = analyze({ text: KFOLD, file: 'kfold.py' });
    expect(a.model.params).toBe(4 * 210);
    expect(a.step.forwardFlops).toBe(2 * 50 * 20 * 10);
    expect(a.run.steps).toBe(3 * 4 * 15);
    expect(a.problems.some((p) => p.code === 'trained-peers' && /4 Net models/.test(p.message))).toBe(true);
  });

  it('two models of one class where only one is trained: the other is not counted', () => {
    const a = analyze({ text: KFOLD.replace('for m in models]', 'for m in models[:1]]'), file: 'kfold.py' });
    expect(a.model.params).toBe(210);
  });
});

describe('printf-style formatting', () => {
  it('"fmt" % args builds the string when every value is known; otherwise it stays unknown', () => {
    check(`
name = "facades"
a = "../../data/%s" % name
b = "%s/%d-%05.1f %%" % ("x", 7, 3.14159)
c = "%-4s|%3d|%x" % ("ab", 5, 255)
d = "%s/%s" % (name, input())
e = "%(k)s" % {"k": 1}
`, `
a = "../../data/facades"
b = "x/7-003.1 %"
c = "ab  |  5|ff"
d = unknown (formatted string)
e = unknown (formatted string)
`);
  });
});

describe('folder listings of catalog datasets', () => {
  it("glob of a dataset split folder has the split's image count; extend, sorted and slices keep the count", () => {
    check(`
import glob, os
root = "../../data/%s" % "facades"
files = sorted(glob.glob(os.path.join(root, "train") + "/*.*"))
n_train = len(files)
files.extend(sorted(glob.glob(os.path.join(root, "test") + "/*.*")))
n_both = len(files)
a = len(sorted(glob.glob("data/monet2photo/train/A/*.*")))
b = len(glob.glob("data/monet2photo/trainB/*.jpg"))
celeb = sorted(glob.glob("%s/*.jpg" % "../../data/img_align_celeba"))
held = len(celeb[:-4000])
tail = len(celeb[-4000:])
every2 = len(celeb[::2])
`, `
n_train = 400
n_both = 506
a = 1072
b = 6287
held = 198599
tail = 4000
every2 = 101300
`);
  });

  it('a comprehension filtering os.listdir of a dataset folder keeps every file; a Dataset over it has that length', () => {
    check(`
import os
from os.path import join
from torch.utils.data import Dataset
def is_image_file(f):
    return any(f.endswith(e) for e in [".png", ".jpg"])
class Folder(Dataset):
    def __init__(self, d):
        self.names = [join(d, x) for x in os.listdir(d) if is_image_file(x)]
    def __len__(self):
        return len(self.names)
n = len(Folder("dataset/BSDS300/images/train"))
`, 'n = 200');
  });

  it('a folder the catalog does not know stays of unknown length', () => {
    check(`
import glob
n = len(glob.glob("/home/me/photos/*.jpg"))
`, 'n = unknown');
  });
});

describe('library demo modules FlopLens describes', () => {
  it("Lightning's demo Transformer and WikiText2 import as their layers, defaults and dataset length", () => {
    check(`
from lightning.pytorch.demos import Transformer, WikiText2
ds = WikiText2()
model = Transformer(vocab_size=ds.vocab_size)
n = len(ds)
item = ds[0]
small = Transformer(vocab_size=100, ninp=32, nhead=2, nhid=64, nlayers=1)
`, `
n = 59674
item = (tensor[35], tensor[35])
params(model) = 14635678
params(small) = 28004
`);
  });

  it('a local module of the same name wins over the description', () => {
    const a = analyze({
      text: 'from lightning.pytorch.demos import Transformer\nimport torch\nm = Transformer()\ny = m(torch.randn(2, 4))\n',
      file: 'train.py',
      modules: [{ name: 'lightning.pytorch.demos', path: 'lightning/pytorch/demos.py', text: 'import torch.nn as nn\nclass Transformer(nn.Module):\n    def __init__(self):\n        super().__init__()\n        self.fc = nn.Linear(4, 3)\n    def forward(self, x):\n        return self.fc(x)\n' }],
    });
    expect(a.model.params).toBe(15);
  });
});

describe('splits of a script Dataset', () => {
  it("random_split and Subset of the script's own Dataset keep its samples; a loader over a split walks the split", () => {
    check(`
import torch
from torch.utils.data import Dataset, DataLoader, random_split, Subset
class Blocks(Dataset):
    def __init__(self):
        self.data = torch.zeros(10000, dtype=torch.long)
    def __len__(self):
        return len(self.data) // 10 - 1
    def __getitem__(self, i):
        return self.data[i * 10:i * 10 + 10], self.data[i * 10 + 1:i * 10 + 11]
ds = Blocks()
train, val = random_split(ds, [len(ds) - 99, 99])
loader = DataLoader(train, batch_size=100)
n = len(loader)
for x, y in loader:
    break
sub = len(Subset(ds, range(50)))
`, `
n = 9
x = tensor[100, 10]
sub = 50
`);
  });
});

describe('dataset catalog: vocabularies of corpora read from files', () => {
  it("makemore's names.txt: a character vocabulary counted from it is 27 (a–z and the '.' token)", () => {
    check(`
import torch
words = open('names.txt', 'r').read().splitlines()
chars = sorted(list(set(''.join(words))))
stoi = {s: i + 1 for i, s in enumerate(chars)}
stoi['.'] = 0
itos = {i: s for s, i in stoi.items()}
vocab_size = len(itos)
`, 'vocab_size = 27');
  });
});

describe('training runs repeated', () => {
  const TWO_RUNS = `
import torch, torch.nn as nn
X = torch.rand((1000, 20))
y = (X.sum(1) > 10).long()
loader = torch.utils.data.DataLoader(torch.utils.data.TensorDataset(X[:800], y[:800]), batch_size=64)
def train(model, optimizer, epochs):
    for epoch in range(epochs):
        for xb, yb in loader:
            loss = nn.functional.cross_entropy(model(xb), yb)
            loss.backward()
            optimizer.step()
            optimizer.zero_grad()
m1 = nn.Linear(20, 2)
train(m1, torch.optim.Adam(m1.parameters()), epochs=30)
m2 = nn.Linear(20, 2)
train(m2, torch.optim.Adam(m2.parameters()), epochs=10)
`;
  it('a training function called twice runs both: the steps add up, one step is one batch', () => {
    const a = analyze({ text: TWO_RUNS, file: 'two.py' });
    expect(a.run.steps).toBe(30 * 13 + 10 * 13);
    expect(a.step.forwardFlops).toBe(2 * 64 * 20 * 2);
    expect(a.assumptions.find((x) => x.name === 'steps')?.note).toMatch(/1 more run of the same loop \(130 steps\)/);
  });

  it('steps of a different loop before the training loop (a learning-rate finder) are not added', () => {
    const a = analyze({ text: TWO_RUNS.replace('m2 = nn.Linear(20, 2)\ntrain(m2, torch.optim.Adam(m2.parameters()), epochs=10)\n',
      'opt = torch.optim.SGD(m1.parameters())\nfor i in range(100):\n    loss = nn.functional.cross_entropy(m1(X[:64]), y[:64])\n    loss.backward()\n    opt.step()\n'), file: 'one.py' });
    expect(a.run.steps).toBe(30 * 13);
  });
});

describe('timm Dual Path Networks', () => {
  it('timm.create_model("dpn92") is the DPN-92 of 37,668,392 parameters and ~6.5 GMACs per 224×224 image', () => {
    const a = analyze({ text: "import timm, torch\nmodel = timm.create_model('dpn92')\nmodel.eval()\nwith torch.no_grad():\n    y = model(torch.randn(2, 3, 224, 224))\n", file: 'v.py' });
    expect(a.model.params).toBe(37_668_392);
    // Measured with timm's own dpn92 under PyTorch's FLOP counter: 3,328,862,322,688 FLOPs for 256 images.
    expect(a.step.forwardFlops / 2).toBeCloseTo(3_328_862_322_688 / 256, -7);
  });
});

describe('boolean precedence', () => {
  it('`not x and y` is `(not x) and y`, as in Python (the parser reads it as not (x and y))', () => {
    check(`
import os
cfgs = []
a = not cfgs and os.path.isfile('model.txt')
b = not cfgs or False
c = not True and True or True
d = not 1 == 2
e = not (cfgs and True)
`, `
a = false
b = true
c = true
d = true
e = true
`);
  });
});

describe('timm data and schedule factories', () => {
  it('create_dataset with no visible name or folder is ImageNet-1k (stated); the training loader drops the last batch; create_scheduler_v2 runs epochs + cooldown', () => {
    const a = analyze({ text: `
import torch, timm
from timm.data import create_dataset, create_loader
from timm.scheduler import create_scheduler_v2
model = timm.create_model('resnet50')
ds = create_dataset('', root=None, split='train', is_training=True)
loader = create_loader(ds, input_size=(3, 224, 224), batch_size=128, is_training=True)
opt = torch.optim.SGD(model.parameters(), lr=0.1)
sched, num_epochs = create_scheduler_v2(opt, num_epochs=3, cooldown_epochs=1)
for epoch in range(num_epochs):
    for x, y in loader:
        loss = torch.nn.functional.cross_entropy(model(x), y)
        loss.backward()
        opt.step()
        opt.zero_grad()
`, file: 'train.py' });
    expect(a.run.steps).toBe(4 * Math.floor(1_281_167 / 128));
    expect(a.step.batch).toBe(128);
    expect(a.problems.some((p) => /ImageNet-1k is assumed/.test(p.message))).toBe(true);
  });

  it("an evaluation split of a named folder: its size, batches of the loader's size", () => {
    check(`
from timm.data import create_dataset, create_loader
ds = create_dataset('', root='/data/imagenet', split='validation')
loader = create_loader(ds, batch_size=256)
n = len(loader)
c = len(create_loader(create_dataset('torch/cifar10', root='data', split='train'), batch_size=100, is_training=True))
`, `
n = 196
c = 500
`);
  });
});

describe('PIL images', () => {
  it("an image's mode fixes its channels: convert('L'), the luma band of split(), new(mode); transforms then size it", () => {
    check(`
import torch
from PIL import Image
from torch.utils.data import Dataset, DataLoader
from torchvision.transforms import Compose, CenterCrop, Resize, ToTensor
class Luma(Dataset):
    def __init__(self):
        self.t = Compose([CenterCrop(255), Resize(85), ToTensor()])
    def __getitem__(self, i):
        y, cb, cr = Image.open('img.png').convert('YCbCr').split()
        return self.t(y), self.t(Image.open('m.png').convert('L')), self.t(Image.open('c.png'))
    def __len__(self):
        return 10
for a, b, c in DataLoader(Luma(), batch_size=4):
    break
n = Image.new('RGBA', (8, 8)).getbands()
`, `
a = tensor[4, 1, 85, 85] fp32
b = tensor[4, 1, 85, 85] fp32
c = tensor[4, 3, 85, 85] fp32
n = (unknown (band name), unknown (band name), unknown (band name), unknown (band name))
`);
  });
});

describe('the command line as a directive', () => {
  const SCRIPT = `
import argparse
parser = argparse.ArgumentParser()
parser.add_argument('--upscale_factor', type=int, required=True)
parser.add_argument('-e', '--epochs', type=int, default=2)
parser.add_argument('--lr', type=float, default=0.01)
parser.add_argument('--cuda', action='store_true')
parser.add_argument('--dims', type=int, nargs='+', default=[8])
parser.add_argument('--name', default='a')
opt = parser.parse_args()
u = opt.upscale_factor
e = opt.epochs
lr = opt.lr
cuda = opt.cuda
dims = opt.dims
name = opt.name
`;
  it('args="…" gives argparse options their values, a required one included; options it does not name keep their defaults', () => {
    const it2 = new Interpreter({ modules: [], defaultBatch: 32, defaultSeqLen: 128, defaultDtype: 'fp32' });
    it2.directives = { args: { value: '--upscale_factor 3 -e 5 --lr=0.5 --cuda --dims 4 16', raw: '--upscale_factor 3 -e 5 --lr=0.5 --cuda --dims 4 16', source: 'directive' } } as Interpreter['directives'];
    const { scope } = it2.runMain(SCRIPT, 'sr.py');
    const seen = Object.fromEntries(['u', 'e', 'lr', 'cuda', 'name'].map((k) => [k, scope.get(k)]));
    expect(seen).toEqual({ u: 3, e: 5, lr: 0.5, cuda: true, name: 'a' });
    expect(scope.get('dims')).toEqual({ kind: 'list', items: [4, 16] });
  });

  it('without it, a required option is unknown and said', () => {
    const a = analyze({ text: SCRIPT, file: 'sr.py' });
    expect(a.problems.some((p) => p.code === 'cli-required' && /--upscale_factor/.test(p.message))).toBe(true);
  });
});
