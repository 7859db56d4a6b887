/**
 * Real scripts' sources of values: files, the environment, local packages and well-known datasets.
 *  - values read from files or the environment are unknown (never an empty container's 0), and the script's own
 *    default or fallback branch gives them; a vocabulary counted from data gets a stated default;
 *  - local packages: relative re-exports in `__init__.py`, `from pkg import *` honouring `__all__`, packages in a
 *    parent folder; one lookup rule (src/core/moduleResolve.ts) for the CLI and the extension;
 *  - dataset sizes from a folder path or a hub id and configuration, and the steps they give.
 */
import { describe, expect, it } from 'vitest';
import { analyze } from '../../src/core/analyze';
import type { ModuleSource } from '../../src/core/api';
import { absoluteModuleName, lookupModule } from '../../src/core/moduleResolve';
import { datasetFromPath, findDatasetConfig } from '../../src/core/data/datasets';
import { Interpreter } from '../../src/core/interpret/interpreter';
import { check } from './snippetCheck';

const NN = 'import torch\nimport torch.nn as nn\n';
const run = (text: string, modules: ModuleSource[] = [], file = 'train.py') => analyze({ text, file, modules });
const codes = (a: ReturnType<typeof analyze>, code: string) => a.problems.filter((p) => p.code === code).map((p) => p.message);

describe('values from files and the environment', () => {
  it('os.environ.get gives the default the script provides', () => check(`import os\nrank = int(os.environ.get('RANK', -1))\nddp = rank != -1`, 'rank = -1\nddp = false'));
  it('os.getenv gives its default', () => check(`import os\nn = int(os.getenv('N_GPU', '4'))`, 'n = 4'));
  it('os.path.join of known parts is the joined path', () => check(`import os\np = os.path.join('data', 'shakespeare', 'meta.pkl')`, 'p = "data/shakespeare/meta.pkl"'));
  it('os.path.basename / splitext of a known path', () => check(`import os\nb = os.path.basename('a/b/c.txt')\ns = os.path.splitext('c.txt')[1]`, 'b = "c.txt"\ns = ".txt"'));
  it('os.path.exists is false: the branch for a missing file gives the value', () => check(`import os, pickle
meta_vocab_size = None
if os.path.exists('data/meta.pkl'):
    with open('data/meta.pkl', 'rb') as f:
        meta = pickle.load(f)
    meta_vocab_size = meta['vocab_size']
vocab_size = meta_vocab_size if meta_vocab_size is not None else 50304`, 'vocab_size = 50304'));
  it('json.load(open(cfg)).get(k, default) is the default', () => check(`import json\ncfg = json.load(open('config.json'))\nd = cfg.get('d_model', 512)`, 'd = 512'));
  it('an entry of a loaded file is unknown, not None', () => check(`import pickle\nmeta = pickle.load(open('m.pkl', 'rb'))\nv = meta.get('vocab_size')`, 'v = unknown (pickle.load(m.pkl).get())'));
  it('a character vocabulary read from a text file gets 65 (stated, with its directive)', () => {
    const a = run(`${NN}with open('input.txt') as f:\n    text = f.read()\nchars = sorted(list(set(text)))\nvocab_size = len(chars)\nm = nn.Embedding(vocab_size, 16)\nm(torch.zeros(2, 8, dtype=torch.long))\n`);
    expect(a.model.params).toBe(65 * 16);
    expect(codes(a, 'data-vocab').join()).toMatch(/vocab_size.*65 characters.*vocab=N/);
  });
  it('words added to a set in a loop over a file: ~10k (never the 0 of the empty set)', () => {
    const a = run(`${NN}vocab = set()\nfor line in open('train.txt'):\n    for w in line.split():\n        vocab.add(w)\nntokens = len(vocab)\nm = nn.Embedding(ntokens, 8)\nm(torch.zeros(2, 8, dtype=torch.long))\n`);
    expect(a.model.params).toBe(10_000 * 8);
    expect(codes(a, 'data-vocab').join()).toMatch(/10,000 words/);
  });
  it('a word vocabulary read from a known corpus path is that corpus\'s (WikiText-2: 33,278), stated', () => {
    const a = run(`${NN}vocab = set()\nfor line in open('data/wikitext-2/train.txt'):\n    vocab.update(line.split())\nntokens = len(vocab)\nm = nn.Embedding(ntokens, 2)\nm(torch.zeros(2, 8, dtype=torch.long))\n`);
    expect(a.model.params).toBe(33_278 * 2);
    expect(codes(a, 'data-vocab').join()).toMatch(/WikiText-2's 33,278.*vocab=N/);
  });
  it('the vocab= directive wins over the stated default', () => {
    const a = run(`# floplens: vocab=100\n${NN}text = open('input.txt').read()\nvocab_size = len(set(text))\nm = nn.Embedding(vocab_size, 4)\nm(torch.zeros(2, 8, dtype=torch.long))\n`);
    expect(a.model.params).toBe(400);
    expect(codes(a, 'data-vocab')).toEqual([]);
  });
  it('a byte vocabulary (not a text file) is 256', () => {
    const a = run(`${NN}import numpy as np\nraw = open('corpus.bin', 'rb').read()\nvocab_size = len(set(raw))\nm = nn.Embedding(vocab_size, 4)\nm(torch.zeros(2, 8, dtype=torch.long))\n`);
    expect(a.model.params).toBe(1024);
  });
});

const RESNET_PKG: ModuleSource[] = [
  { name: 'models', path: 'models/__init__.py', text: 'from .resnet import *\nfrom .utils import count_params\n' },
  { name: 'models.resnet', path: 'models/resnet.py', text: `import torch.nn as nn\nfrom .blocks import Block\n__all__ = ['Net', 'build']\nclass Net(nn.Module):\n    def __init__(self):\n        super().__init__()\n        self.b = Block(10)\n    def forward(self, x):\n        return self.b(x)\ndef build():\n    return Net()\nhidden = nn.Linear(1000, 1000)\n` },
  { name: 'models.blocks', path: 'models/blocks.py', text: 'import torch.nn as nn\nclass Block(nn.Module):\n    def __init__(self, d):\n        super().__init__()\n        self.fc = nn.Linear(d, d)\n    def forward(self, x):\n        return self.fc(x)\n' },
  { name: 'models.utils', path: 'models/utils.py', text: 'def count_params(m):\n    return 0\n' },
];

describe('local packages', () => {
  it('a relative re-export in __init__.py (from .resnet import *) reaches the script', () => {
    const a = run(`${NN}from models import build\nm = build()\nm(torch.randn(4, 10))\n`, RESNET_PKG);
    expect(a.model.params).toBe(110);
  });
  it('from pkg import * honours __all__ (a name outside it is not imported)', () => check2());
  it('a script in a sub-folder imports a package at the root (its module names are absolute)', () => {
    const a = run(`import sys\nsys.path.append('..')\n${NN}from models.resnet import Net\nm = Net()\nm(torch.randn(4, 10))\n`, RESNET_PKG, 'scripts/train.py');
    expect(a.model.params).toBe(110);
  });
  it('import pkg.sub makes the submodule an attribute of its package (models.resnet.build())', () => {
    const a = run(`${NN}import models.resnet\nm = models.resnet.build()\nm(torch.randn(4, 10))\n`, RESNET_PKG);
    expect(a.model.params).toBe(110);
    expect(a.problems.filter((p) => p.code === 'circular-import')).toEqual([]);
  });
  it('modules a host gave by bare name still resolve (from .model import GPT in the script)', () => {
    const a = run(`${NN}from .model import Net\nm = Net()\nm(torch.randn(2, 3))\n`, [{ name: 'model', path: 'model.py', text: 'import torch.nn as nn\nclass Net(nn.Module):\n    def __init__(self):\n        super().__init__()\n        self.l = nn.Linear(3, 3)\n    def forward(self, x):\n        return self.l(x)\n' }]);
    expect(a.model.params).toBe(12);
  });
});

function check2(): void {
  // `hidden` is public in models.resnet but not in its __all__; without __all__ every public name comes.
  const names = (modules: ModuleSource[]) => {
    const { scope } = new Interpreter({ modules, defaultBatch: 32, defaultSeqLen: 128, defaultDtype: 'fp32' }).runMain(`${NN}from models.resnet import *\n`, 'train.py');
    return ['Net', 'build', 'hidden', 'Block'].filter((n) => scope.vars.has(n));
  };
  expect(names(RESNET_PKG)).toEqual(['Net', 'build']);
  const noAll = RESNET_PKG.map((m) => (m.name === 'models.resnet' ? { ...m, text: m.text.replace(/__all__.*\n/, '') } : m));
  expect(names(noAll)).toEqual(['Net', 'build', 'hidden', 'Block']);
}

describe('the module lookup rule shared by the CLI and the extension', () => {
  it('relative imports are named after the importer\'s package', () => {
    expect(absoluteModuleName('resnet', 1, 'models', true)).toBe('models.resnet');
    expect(absoluteModuleName('blocks', 1, 'models.resnet', false)).toBe('models.blocks');
    expect(absoluteModuleName('utils', 2, 'pkg.sub.mod', false)).toBe('pkg.utils');
    expect(absoluteModuleName('model', 1, '', false)).toBe('model');
  });
  it('relative: the package folder; absolute: the script folder, then its parents up to the root, then the importer\'s folder', () => {
    expect(lookupModule('.resnet', { name: 'models', path: 'models/__init__.py' }, 'scripts')).toEqual({ name: 'models.resnet', candidates: ['models/resnet.py', 'models/resnet/__init__.py'] });
    expect(lookupModule('models', { name: '', path: 'scripts/train.py' }, 'scripts')?.candidates).toEqual(['scripts/models.py', 'scripts/models/__init__.py', 'models.py', 'models/__init__.py']);
    expect(lookupModule('blocks', { name: 'lib.net', path: 'lib/net.py' }, '')?.candidates).toEqual(['blocks.py', 'blocks/__init__.py', 'lib/blocks.py', 'lib/blocks/__init__.py']);
  });
  it('a relative import never climbs above the root', () => {
    expect(lookupModule('..secret', { name: '', path: 'train.py' }, '')).toBeUndefined();
  });
});

describe('dataset sizes', () => {
  it('an ImageFolder over an imagenet/train folder: 1,281,167 images, steps = ceil(size / batch) × epochs', () => {
    const a = run(`${NN}from torchvision.datasets import ImageFolder\nimport torchvision.transforms as T\nfrom torch.utils.data import DataLoader\nds = ImageFolder('/data/imagenet/train', transform=T.Compose([T.RandomResizedCrop(224), T.ToTensor()]))\nloader = DataLoader(ds, batch_size=256)\nmodel = nn.Sequential(nn.Flatten(), nn.Linear(3 * 224 * 224, 10))\nopt = torch.optim.SGD(model.parameters(), lr=0.1)\nfor epoch in range(90):\n    for x, y in loader:\n        loss = model(x).sum()\n        loss.backward()\n        opt.step()\n`);
    expect(a.run.datasetSize).toBe(1_281_167);
    expect(a.run.steps).toBe(Math.ceil(1_281_167 / 256) * 90);
  });
  it('drop_last floors the batches per epoch', () => {
    const a = run(`${NN}from torchvision.datasets import ImageFolder\nfrom torch.utils.data import DataLoader\nds = ImageFolder('datasets/facades/train')\nloader = DataLoader(ds, batch_size=3, drop_last=True)\nmodel = nn.Linear(4, 4)\nopt = torch.optim.Adam(model.parameters())\nfor epoch in range(2):\n    for x, y in loader:\n        model(torch.randn(3, 4)).sum().backward()\n        opt.step()\n`);
    expect(a.run.datasetSize).toBe(400);
    expect(a.run.steps).toBe(Math.floor(400 / 3) * 2);
  });
  it('a val folder picks the evaluation split', () => {
    expect(datasetFromPath('/mnt/ILSVRC2012/val')).toMatchObject({ train: false });
    expect(datasetFromPath('/mnt/ILSVRC2012/val')?.info.test).toBe(50_000);
    expect(datasetFromPath('./data/carvana/train_images')?.info.train).toBe(5_088);
    expect(datasetFromPath('/home/me/photos/train')).toBeUndefined();
  });
  it('load_dataset(suite, config) names the dataset by its configuration', () => {
    expect(findDatasetConfig('glue', 'sst2')?.train).toBe(67_349);
    expect(findDatasetConfig('glue', 'mnli')?.train).toBe(392_702);
    expect(findDatasetConfig('glue', 'qqp')?.train).toBe(363_846);
    expect(findDatasetConfig('wikitext', 'wikitext-2-raw-v1')?.trainTokens).toBe(2_088_628);
    expect(findDatasetConfig('wikitext', 'wikitext-103-raw-v1')?.trainTokens).toBe(103_227_021);
    expect(findDatasetConfig('imdb')?.train).toBe(25_000);
    expect(findDatasetConfig('ag_news')?.train).toBe(120_000);
    expect(findDatasetConfig('squad')?.train).toBe(87_599);
  });
  it('load_dataset("glue", "mrpc") sizes the loader: ceil(3,668 / 16) × 3 epochs', () => {
    const a = run(`${NN}from datasets import load_dataset\nfrom torch.utils.data import DataLoader\nraw = load_dataset('glue', 'mrpc')\nloader = DataLoader(raw['train'], batch_size=16)\nmodel = nn.Linear(4, 2)\nopt = torch.optim.AdamW(model.parameters())\nfor epoch in range(3):\n    for b in loader:\n        model(torch.randn(16, 4)).sum().backward()\n        opt.step()\n`);
    expect(a.run.datasetSize).toBe(3_668);
    expect(a.run.steps).toBe(Math.ceil(3_668 / 16) * 3);
  });
});

describe('dataset splits', () => {
  it("CelebA(split='all') is every image, 202,599; the default split is train, 162,770", () => {
    const size = (split: string) => run(`${NN}import torchvision\nfrom torch.utils.data import DataLoader\nds = torchvision.datasets.CelebA('data', ${split})\nloader = DataLoader(ds, batch_size=128)\nmodel = nn.Linear(4, 4)\nopt = torch.optim.Adam(model.parameters())\nfor x, y in loader:\n    model(torch.randn(128, 4)).sum().backward()\n    opt.step()\n`).run.datasetSize;
    expect(size("split='all'")).toBe(202_599);
    expect(size("split='train'")).toBe(162_770);
  });
});
