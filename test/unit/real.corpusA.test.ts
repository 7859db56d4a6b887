/**
 * Real scripts, corpus group a (issue 14): numpy arrays are tensors (constructors, ufuncs, `np.newaxis`, lists of
 * arrays), `nn.Embedding.from_pretrained` is an embedding of its table, and `.backward()` of a loss the evaluator
 * could not trace is still the model's backward pass.
 */
import { describe, expect, it } from 'vitest';
import { check } from './snippetCheck';
import { datasetFromPath, findDataset } from '../../src/core/data/datasets';
import { analyze, localImports } from '../../src/core/analyze';

const NP = 'import numpy as np\nimport torch\nimport torch.nn as nn\n';

describe('tensors from lists of arrays and of literal strings', () => {
  it('torch.LongTensor of a list of np.asarray rows stacks them', () => check(`${NP}sentences = ["i love you", "he loves me", "she likes it"]
word_dict = {w: i for i, w in enumerate(set(" ".join(sentences).split()))}
inputs = torch.LongTensor([np.asarray([word_dict[n] for n in s.split()]) for s in sentences])`, 'inputs = tensor[3, 3]'));
  it('torch.FloatTensor of a list holding one one-hot batch', () => check(`${NP}x = torch.FloatTensor([np.eye(11)[[1, 2, 3, 4, 5]]])`, 'x = tensor[1, 5, 11]'));
  it('torch.tensor of a list of tensors of one shape', () => check(`${NP}x = torch.tensor([torch.zeros(4, 2), torch.ones(4, 2)])`, 'x = tensor[2, 4, 2]'));
  it('np.asarray / np.array of nested lists', () => check(`${NP}a = np.asarray([1, 2, 3])\nb = np.array([[1, 2], [3, 4], [5, 6]])`, 'a = tensor[3]\nb = tensor[3, 2]'));
  it('np.array of a nested comprehension over two ranges', () => check(`${NP}d = 8
table = np.array([[pos / np.power(10000, 2 * (j // 2) / d) for j in range(d)] for pos in range(6)])`, 'table = tensor[6, 8]'));
  it('str.split() of a literal has a known length', () => check(`${NP}n = len("i love you".split())`, 'n = 3'));
});

describe('numpy constructors, ufuncs and np.newaxis', () => {
  it('np.zeros/ones/empty/full of a shape tuple or an int', () => check(`${NP}a = np.zeros((1, 10, 1), dtype=np.float32)\nb = np.ones(7)\nc = np.full((2, 3), 0.5)`, 'a = tensor[1, 10, 1] fp32\nb = tensor[7]\nc = tensor[2, 3]'));
  it('np.arange and np.linspace (num, endpoint)', () => check(`${NP}a = np.arange(10)\nb = np.arange(2, 12, 2)\nc = np.linspace(0, 1, 10, endpoint=False)\nd = np.linspace(0, 1)`, 'a = tensor[10]\nb = tensor[5]\nc = tensor[10]\nd = tensor[50]'));
  it('np.random draws: *dims, size= and a size at its position', () => check(`${NP}a = np.random.randn(4, 5)\nb = np.random.normal(0, 1, (3, 2))\nc = np.random.randint(0, 9, size=6)\nd = np.random.uniform(0, 1)`, 'a = tensor[4, 5]\nb = tensor[3, 2]\nc = tensor[6]\nd = unknown'));
  it('ufuncs keep the shape; binary ones broadcast', () => check(`${NP}s = np.sin(np.linspace(0, 3, 10))\nm = np.maximum(np.zeros((4, 1)), np.ones(3))\nk = np.sqrt(16)`, 's = tensor[10]\nm = tensor[4, 3]\nk = 4'));
  it('np.newaxis and None index the same way', () => check(`${NP}s = np.sin(np.linspace(0, 3, 10))
w = s[np.newaxis, :, np.newaxis]
v = s[None, :, None]
x = torch.from_numpy(w)`, 'w = tensor[1, 10, 1]\nv = tensor[1, 10, 1]\nx = tensor[1, 10, 1]'));
  it('np.stack / np.concatenate of arrays', () => check(`${NP}a = np.stack([np.zeros(3), np.ones(3)])\nb = np.concatenate([np.zeros((2, 3)), np.ones((4, 3))])`, 'a = tensor[2, 3]\nb = tensor[6, 3]'));
  it('a model fed from numpy is traced with the script shape, not a guess', () => {
    const r = analyze({ text: `${NP}rnn = nn.RNN(input_size=1, hidden_size=32, batch_first=True)
opt = torch.optim.Adam(rnn.parameters())
steps = np.linspace(0, np.pi, 10, dtype=np.float32, endpoint=False)
for step in range(100):
    x = torch.from_numpy(np.sin(steps)[np.newaxis, :, np.newaxis])
    out, h = rnn(x)
    opt.zero_grad(); out.sum().backward(); opt.step()
`, file: 'snippet.py' });
    expect(r.step.batch).toBe(1);
    expect(r.problems.filter((p) => /could not be traced|assuming/.test(p.message))).toEqual([]);
  });
});

describe('nn.Embedding.from_pretrained', () => {
  it('an embedding of the table rows and width, frozen by default', () => check(`${NP}table = torch.zeros(6, 8)
emb = nn.Embedding.from_pretrained(table)
e = emb(torch.LongTensor([[1, 2, 3, 4, 0]]))
free = nn.Embedding.from_pretrained(torch.FloatTensor(np.zeros((100, 16))), freeze=False)`, 'e = tensor[1, 5, 8]\nparams(emb) = 48\nparams(free) = 1600'));
  it('its frozen parameters are not trainable', () => {
    const r = analyze({ text: `${NP}class M(nn.Module):
    def __init__(self):
        super().__init__()
        self.pos = nn.Embedding.from_pretrained(torch.zeros(6, 8), freeze=True)
        self.proj = nn.Linear(8, 8)
    def forward(self, x):
        return self.proj(self.pos(x))
m = M()
out = m(torch.LongTensor([[1, 2, 3, 4, 0]]))
`, file: 'snippet.py' });
    expect(r.model.params).toBe(48 + 72);
  });
});

describe('backward of a loss whose target was not traced', () => {
  const SGD = `import torch, torch.nn as nn
targets = torch.load("targets.pt")
model = nn.Linear(200, 1000)
criterion = nn.NLLLoss()
for epoch in range(40):
    model.zero_grad()
    loss = criterion(torch.log_softmax(model(torch.randn(20, 200)), -1), targets)
    loss.backward()
    for p in model.parameters():
        p.data.add_(p.grad, alpha=-20)
`;
  it('is the model backward pass: a hand-written-SGD loop is training', () => check(SGD, 'events = zero_grad, model-call, backward\nmode = train'));
  it('is not invented when no model ran', () => check('import torch\nloss = torch.load("x.pt")\nloss.backward()', 'mode = infer'));
});

describe('image size from the script own Dataset and argparse', () => {
  const PIX = `import argparse, glob, torch, torch.nn as nn
import torchvision.transforms as transforms
from torch.utils.data import Dataset, DataLoader
from PIL import Image
parser = argparse.ArgumentParser()
parser.add_argument("--img_height", type=int, default=256)
parser.add_argument("--img_width", type=int, default=256)
opt = parser.parse_args()
class ImageDataset(Dataset):
    def __init__(self, root, transforms_=None):
        self.transform = transforms.Compose(transforms_)
        self.files = sorted(glob.glob(root + "/*.*"))
    def __getitem__(self, index):
        img = Image.open(self.files[index % len(self.files)])
        return {"A": self.transform(img), "B": self.transform(img)}
    def __len__(self):
        return len(self.files)
transforms_ = [transforms.Resize((opt.img_height, opt.img_width), Image.BICUBIC), transforms.ToTensor()]
loader = DataLoader(ImageDataset("../../data/facades", transforms_=transforms_), batch_size=1)
G = nn.Conv2d(3, 64, 4, 2, 1); opt_G = torch.optim.Adam(G.parameters())
for epoch in range(200):
    for i, batch in enumerate(loader):
        x = batch["B"]
        opt_G.zero_grad(); G(batch["B"]).mean().backward(); opt_G.step()
`;
  it('an image read from a file through Resize((h, w)) in __getitem__, batched as a dict', () => check(PIX, 'x = tensor[1, 3, 256, 256] fp32'));
  it('says how the image was sized', () => {
    const r = analyze({ text: PIX, file: 'snippet.py' });
    expect(r.problems.some((p) => p.code === 'image-file' && p.message.includes('[3, 256, 256]'))).toBe(true);
    expect(r.problems.some((p) => /no image size in the script/.test(p.message))).toBe(false);
  });
  it('a guessed image input takes --img_height / --img_width', () => {
    const r = analyze({ text: `import argparse, torch, torch.nn as nn
from mydata import loader
parser = argparse.ArgumentParser()
parser.add_argument("--img_height", type=int, default=96)
parser.add_argument("--img_width", type=int, default=64)
opt = parser.parse_args()
net = nn.Sequential(nn.Conv2d(3, 8, 3, padding=1), nn.ReLU())
for x in loader:
    y = net(x)
`, file: 'snippet.py' });
    const msg = r.problems.find((p) => p.code === 'shape-fallback')?.message ?? '';
    expect(msg).toContain('spatial 96×64 from argparse --img_height and argparse --img_width');
  });
});

describe('legacy torchvision dataset attributes', () => {
  it('.test_data / .data / .targets are the raw arrays of the catalog shape', () => check(`import torch, torchvision
test_data = torchvision.datasets.MNIST(root="./mnist/", train=False)
test_x = test_data.test_data.type(torch.FloatTensor)[:2000] / 255.
ty = test_data.test_labels[:2000]
c = torchvision.datasets.CIFAR10(root=".", train=True)
cd = c.data
ct = c.targets`, 'test_x = tensor[2000, 28, 28] fp32\nty = tensor[2000] int8\ncd = tensor[50000, 32, 32, 3] int8\nct = tensor[50000] int8'));
});

describe('a sized transform outside a Dataset', () => {
  it('leaves an untraced batch untraced (it may hold many images)', () => check(`import torch, torchvision.transforms as T
from mydata import loader
aug = T.Compose([T.RandomCrop(32)])
for x in loader:
    y = aug(x)`, 'y = unknown'));
});

describe('a local datasets.py', () => {
  it('is read as a local module (it shadows the Hugging Face package, as in Python)', () => {
    expect(localImports('from datasets import *\nimport torch\nfrom datasets import load_dataset\n')).toEqual(['datasets', 'datasets.load_dataset']);
  });
  it('its Dataset class feeds the loader', () => {
    const r = analyze({
      text: `import torch, torch.nn as nn
from datasets import *
loader = torch.utils.data.DataLoader(ImageDataset(), batch_size=4)
G = nn.Conv2d(3, 8, 3, padding=1)
for x in loader:
    y = G(x)
`,
      file: 'train.py',
      modules: [{ name: 'datasets', path: 'datasets.py', text: `import glob
import torchvision.transforms as transforms
from torch.utils.data import Dataset
from PIL import Image
class ImageDataset(Dataset):
    def __init__(self):
        self.transform = transforms.Compose([transforms.Resize(64), transforms.ToTensor()])
        self.files = sorted(glob.glob("data/*.jpg"))
    def __getitem__(self, index):
        return self.transform(Image.open(self.files[index]).convert("RGB"))
    def __len__(self):
        return len(self.files)
` }],
    });
    expect(r.step.batch).toBe(4);
    // `.convert("RGB")` fixes the channels (lib/pil.ts): the image is [3, 64, 64] with no RGB assumption to state.
    expect(r.ops.find((o) => o.kind === 'conv2d' || o.label.startsWith('nn.Conv2d'))?.outputShape).toEqual([4, 8, 64, 64]);
    expect(r.problems.some((p) => p.code === 'image-file')).toBe(false);
  });
});

describe('torch.autograd.Variable', () => {
  it('is the tensor it wraps', () => check('import torch\nfrom torch.autograd import Variable\nv = Variable(torch.zeros(4, 1), requires_grad=False)', 'v = tensor[4, 1]'));
});

describe('dataset catalog: image-to-image folders', () => {
  it('monet2photo and BSDS300 by folder name', () => {
    expect(datasetFromPath('../../data/monet2photo')?.info.train).toBe(6287);
    expect(datasetFromPath('dataset/BSDS300/images/train')?.info.train).toBe(200);
    expect(findDataset('bsd300')?.test).toBe(100);
  });
});
