/**
 * Models built from a plain-text config FILE by the script's own code (issue 14): a Darknet-style `.cfg` read with
 * `open(p).read().split('\n')` / `readlines()` / `for line in f`, parsed line by line into layer dicts, turned into
 * nn.Sequential blocks and walked by a forward over `module_defs` with a `layer_outputs` list (route = torch.cat,
 * shortcut = add, upsample, a detection head's view/permute). The host reads small text files the script names
 * (src/core/textFiles.ts); Python's str methods and slices (lib/strings.ts) let the script's parser run; an absent
 * file is stated. Also: the image size a script's own Dataset is built with sizes a guessed input.
 */
import { describe, expect, it, vi } from 'vitest';

vi.mock('vscode', async () => (await import('./securityFakes')).vscode);
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { check } from './snippetCheck';
import { analyze } from '../../src/core/analyze';
import { Interpreter } from '../../src/core/interpret/interpreter';
import type { ConfigFileSource } from '../../src/core/api';
import { configFileNames } from '../../src/core/configFiles';
import { MAX_TEXT_FILE_BYTES, textFileNames } from '../../src/core/textFiles';
import { readConfigFiles } from '../../src/cli/configFiles';
import { readFolders } from '../../src/cli/folders';
import { folderNames } from '../../src/core/folderListings';
import { analyzeFile } from '../../src/cli/analyzeFile';
import { localImports } from '../../src/core/analyze';
import { ModuleReader } from '../../src/extension/moduleReader';
import { fake, Uri } from './securityFakes';

const file = (name: string, text: string): ConfigFileSource => ({ name, path: name, text });

/** A small Darknet-style definition: 3 BN convs, a shortcut, an upsample, a route (cat), a 1x1 head and a YOLO layer. */
const TINY_CFG = `[net]
# training
batch=16
subdivisions=2
width=64
height=64
channels=3
steps=400,450
scales=.1,.1

[convolutional]
batch_normalize=1
filters=8
size=3
stride=1
activation=leaky

[convolutional]
batch_normalize=1
filters=16
size=3
stride=2
activation=leaky

[convolutional]
batch_normalize=1
filters=16
size=1
stride=1
activation=leaky

[shortcut]
from=-2

[upsample]
stride=2

[route]
layers = -1, 0

[convolutional]
size=1
stride=1
filters=21
activation=linear

[yolo]
mask = 0,1,2
classes=2
`;

/** The script's own parser and builder, in the style of Darknet re-implementations (written for this test). */
const DARKNET = `
import torch
import torch.nn as nn
import torch.nn.functional as F

def parse_cfg(path):
    f = open(path, 'r')
    lines = f.read().split('\\n')
    lines = [x for x in lines if x and not x.startswith('#')]
    lines = [x.rstrip().lstrip() for x in lines]
    defs = []
    for line in lines:
        if line.startswith('['):
            defs.append({})
            defs[-1]['type'] = line[1:-1].rstrip()
            if defs[-1]['type'] == 'convolutional':
                defs[-1]['batch_normalize'] = 0
        else:
            key, value = line.split("=")
            defs[-1][key.rstrip()] = value.strip()
    return defs

class Head(nn.Module):
    def __init__(self, n_anchors, n_classes):
        super().__init__()
        self.na = n_anchors
        self.no = n_classes + 5
    def forward(self, x):
        bs, _, ny, nx = x.shape
        return x.view(bs, self.na, self.no, ny, nx).permute(0, 1, 3, 4, 2).contiguous()

def build(defs):
    hyper = defs.pop(0)
    hyper.update({'batch': int(hyper['batch']), 'subdivisions': int(hyper['subdivisions']), 'height': int(hyper['height']),
                  'lr_steps': list(zip(map(int, hyper['steps'].split(',')), map(float, hyper['scales'].split(','))))})
    filters_out = [int(hyper['channels'])]
    blocks = nn.ModuleList()
    for i, d in enumerate(defs):
        block = nn.Sequential()
        if d['type'] == 'convolutional':
            bn = int(d['batch_normalize'])
            filters = int(d['filters'])
            k = int(d['size'])
            block.add_module(f'conv_{i}', nn.Conv2d(filters_out[-1], filters, k, int(d['stride']), (k - 1) // 2, bias=not bn))
            if bn:
                block.add_module(f'bn_{i}', nn.BatchNorm2d(filters))
            if d['activation'] == 'leaky':
                block.add_module(f'act_{i}', nn.LeakyReLU(0.1))
        elif d['type'] == 'upsample':
            block.add_module(f'up_{i}', nn.Upsample(scale_factor=int(d['stride'])))
        elif d['type'] == 'route':
            layers = [int(x) for x in d['layers'].split(',')]
            filters = sum([filters_out[1:][j] for j in layers])
        elif d['type'] == 'shortcut':
            filters = filters_out[1:][int(d['from'])]
        elif d['type'] == 'yolo':
            block.add_module(f'yolo_{i}', Head(len(d['mask'].split(',')), int(d['classes'])))
        blocks.append(block)
        filters_out.append(filters)
    return hyper, blocks

class Darknet(nn.Module):
    def __init__(self, path):
        super().__init__()
        self.defs = parse_cfg(path)
        self.hyper, self.blocks = build(self.defs)
    def forward(self, x):
        outs, heads = [], []
        for d, m in zip(self.defs, self.blocks):
            if d['type'] in ['convolutional', 'upsample']:
                x = m(x)
            elif d['type'] == 'route':
                x = torch.cat([outs[int(j)] for j in d['layers'].split(',')], 1)
            elif d['type'] == 'shortcut':
                x = outs[-1] + outs[int(d['from'])]
            elif d['type'] == 'yolo':
                x = m(x)
                heads.append(x)
            outs.append(x)
        return heads
`;

// 3*8*9 + 2*8 | 8*16*9 + 2*16 | 16*16 + 2*16 | 24*21 + 21
const TINY_PARAMS = 232 + 1184 + 288 + 525;

describe('a model built from a config file by the script\'s own parser', () => {
  it('open(p).read().split("\\n") parsed line by line builds the real layers and forward walks them', () => {
    check(`${DARKNET}
model = Darknet('config/tiny.cfg')
n_defs = len(model.defs)
hyper_batch = model.hyper['batch']
mini = model.hyper['batch'] // model.hyper['subdivisions']
lr_steps = model.hyper['lr_steps']
side = model.hyper['height']
heads = model(torch.randn(2, 3, side, side))
y = heads[0]
`, `
n_defs = 8
hyper_batch = 16
mini = 8
lr_steps = [(400, 0.1), (450, 0.1)]
params(model) = ${TINY_PARAMS}
y = tensor[2, 3, 64, 64, 7]
`, [file('config/tiny.cfg', TINY_CFG)]);
  });

  it('readlines(), iteration over the file and a with-block give the same lines', () => {
    check(`
def by_readlines(p):
    with open(p, 'r') as fp:
        lines = fp.readlines()
    return [l.strip() for l in lines if l.strip() and not l.startswith('#')]

def by_iteration(p):
    out = []
    with open(p) as fp:
        for line in fp:
            line = line.strip()
            if line == '' or line.startswith('#'):
                continue
            key, value = line.split('=')
            out.append((key.strip(), value.strip()))
    return out

a = len(by_readlines('config/coco.data'))
b = by_iteration('config/coco.data')
first = open('config/coco.data').readline().strip()
names = open('data/classes.names').read().rstrip().split('\\n')
n_classes = len(names)
`, `
a = 3
b = [("classes", "2"), ("train", "data/train.txt"), ("names", "data/classes.names")]
first = "# data"
n_classes = 2
`, [file('config/coco.data', '# data\nclasses= 2\ntrain=data/train.txt\nnames=data/classes.names\n'), file('data/classes.names', 'cat\ndog\n')]);
  });

  it('a 100-layer definition goes through the evaluator\'s limits', () => {
    const block = '[convolutional]\nbatch_normalize=1\nfilters=32\nsize=3\nstride=1\nactivation=leaky\n\n[shortcut]\nfrom=-2\n\n';
    const cfg = `[net]\nbatch=4\nsubdivisions=1\nwidth=32\nheight=32\nchannels=3\nsteps=1\nscales=.1\n\n[convolutional]\nbatch_normalize=1\nfilters=32\nsize=3\nstride=1\nactivation=leaky\n\n${block.repeat(50)}`;
    // 1 stem conv (3*32*9 + 64) + 50 convs (32*32*9 + 64)
    check(`${DARKNET}
model = Darknet('cfg/deep.cfg')
n_blocks = len(model.blocks)
y = model(torch.randn(4, 3, 32, 32))
`, `
n_blocks = 101
params(model) = ${3 * 32 * 9 + 64 + 50 * (32 * 32 * 9 + 64)}
y = []
`, [file('cfg/deep.cfg', cfg)]);
  });

  it('an absent config file is stated with its name, not a silent empty model', () => {
    const a = analyze({ text: `${DARKNET}\nmodel = Darknet('config/yolov3.cfg')\nout = model(torch.randn(1, 3, 416, 416))\n`, file: 'detect.py' });
    const msg = a.problems.find((p) => p.code === 'text-file' && p.message.includes('config/yolov3.cfg'));
    expect(msg?.message).toMatch(/not in the workspace/);
    expect(msg?.message).toMatch(/model's layers/);
  });

  it('the file used is stated', () => {
    const a = analyze({ text: `${DARKNET}\nmodel = Darknet('config/tiny.cfg')\nout = model(torch.randn(1, 3, 64, 64))\n`, file: 'detect.py', files: [file('config/tiny.cfg', TINY_CFG)] });
    expect(a.model.params).toBe(TINY_PARAMS);
    expect(a.problems.some((p) => p.code === 'text-file' && p.message.includes('config/tiny.cfg') && /real contents/.test(p.message))).toBe(true);
  });
});

describe('Python string methods a parser relies on', () => {
  it('split/strip/rsplit/partition/slices follow Python', () => {
    check(`
a = '  a  b c '.split()
b = 'xxhixx'.strip('x')
c = 'a=b=c'.split('=', 1)
d = 'a.b.c'.rsplit('.', 1)
e = '[net]'[1:-1]
f = 'abcdef'[::2]
g = 'key = v'.partition('=')
h = '12'.isdigit()
i = 'x.cfg'.endswith(('.cfg', '.ini'))
j = ' \\tpad\\n'.rstrip().lstrip()
k = 'l1\\nl2\\n'.splitlines()
`, `
a = ["a", "b", "c"]
b = "hi"
c = ["a", "b=c"]
d = ["a.b", "c"]
e = "net"
f = "ace"
g = ("key ", "=", " v")
h = true
i = true
j = "pad"
k = ["l1", "l2"]
`);
  });
});

describe('the hosts read small plain-text files the script names', () => {
  it('names come from the script and from text files already read (a .data file naming a .names file)', () => {
    const first = configFileNames([`parser.add_argument('--model', default='config/yolov3.cfg')\nparse('config/coco.data')`]);
    expect(first).toEqual(expect.arrayContaining(['config/yolov3.cfg', 'config/coco.data']));
    expect(textFileNames([], [file('config/coco.data', 'names=data/coco.names\ntrain=data/coco/train.txt\n')])).toEqual(['data/coco.names', 'data/coco/train.txt']);
  });

  it('the CLI reads a small .cfg and the .names file a .data file names, and leaves a large .txt to the data-file facts', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'floplens-textfiles-'));
    try {
      fs.mkdirSync(path.join(dir, 'config'));
      fs.mkdirSync(path.join(dir, 'data'));
      fs.writeFileSync(path.join(dir, 'config', 'tiny.cfg'), TINY_CFG);
      fs.writeFileSync(path.join(dir, 'config', 'coco.data'), 'names=data/coco.names\n');
      fs.writeFileSync(path.join(dir, 'data', 'coco.names'), 'cat\ndog\n');
      fs.writeFileSync(path.join(dir, 'data', 'big.txt'), 'w '.repeat(MAX_TEXT_FILE_BYTES));
      const script = path.join(dir, 'train.py');
      const text = `${DARKNET}\nopen('config/coco.data').read()\ntext = open('data/big.txt').read()\nmodel = Darknet('config/tiny.cfg')\nout = model(torch.randn(1, 3, 64, 64))\n`;
      fs.writeFileSync(script, text);
      const got = readConfigFiles(script, [text], dir).map((f) => f.name).sort();
      expect(got).toEqual(['config/coco.data', 'config/tiny.cfg', 'data/coco.names']);
      expect(analyzeFile(script, { root: dir }).model.params).toBe(TINY_PARAMS);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('the image size a script\'s own Dataset is built with', () => {
  it('sizes the guessed input of a model its loader feeds', () => {
    check(`
import torch, torch.nn as nn
from torch.utils.data import Dataset, DataLoader
from PIL import Image
import numpy as np

class Files(Dataset):
    def __init__(self, list_path, img_size=416):
        with open(list_path) as f:
            self.files = f.readlines()
        self.img_size = img_size
    def __getitem__(self, i):
        return np.array(Image.open(self.files[i].rstrip()).convert('RGB'))
    def __len__(self):
        return len(self.files)

loader = DataLoader(Files('lists/absent.txt', img_size=320), batch_size=4)
model = nn.Sequential(nn.Conv2d(3, 8, 3, padding=1))
for x in loader:
    y = model(x)
`, `
y = tensor[4, 8, 320, 320]
`);
  });
});

/** An inference script over a folder of images, in the style of detection demos (written for this test). */
const SAMPLES = `
import glob
import torch, torch.nn as nn
from torch.utils.data import Dataset, DataLoader

class Folder(Dataset):
    def __init__(self, folder_path):
        self.files = sorted(glob.glob("%s/*.*" % folder_path))
    def __getitem__(self, index):
        return self.files[index % len(self.files)], torch.zeros(3, 64, 64)
    def __len__(self):
        return len(self.files)

model = nn.Sequential(nn.Conv2d(3, 8, 3, padding=1))
model.eval()
loader = DataLoader(Folder('data/samples'), batch_size=2)
with torch.no_grad():
    for paths, imgs in loader:
        out = model(imgs)
`;

describe('a folder of the workspace the script lists', () => {
  it('glob of a listed folder gives its matching files, so a loader over it has the real steps', () => {
    const folders = [{ name: 'data/samples', path: 'data/samples', entries: ['a.jpg', 'b.jpg', 'c.png', 'd.jpg', 'e.jpg', 'notes/'], total: 6 }];
    const a = analyze({ text: SAMPLES, file: 'detect.py', folders });
    expect(a.run.steps).toBe(3); // ceil(5 files / 2): the sub-folder has no dot, '*.*' does not match it
    expect(a.problems.some((p) => p.code === 'folder' && p.message.includes('5 matching files'))).toBe(true);
  });

  it('os.listdir gives the entry names and glob patterns match as Python\'s do', () => {
    const folders = [{ name: 'imgs', path: 'imgs', entries: ['.hidden.jpg', 'x1.jpg', 'x2.png', 'y.jpg'], total: 4 }];
    const a = analyze({ text: `import os, glob\nn_all = len(os.listdir('imgs'))\nj = glob.glob('imgs/x?.jpg')\nfor f in sorted(glob.glob('./imgs/*.jpg')):\n    print(f)\n`, file: 's.py', folders });
    expect(a.problems.filter((p) => p.code === 'folder').map((p) => p.message)).toEqual([
      "os.listdir('imgs'): 4 entries in the workspace folder imgs.",
      "glob.glob('imgs/x?.jpg'): 1 matching files in the workspace folder imgs.",
      "glob.glob('./imgs/*.jpg'): 2 matching files in the workspace folder imgs.",
    ]);
  });

  it('a listing the host cut keeps the folder\'s total as its length', () => {
    const entries = Array.from({ length: 4096 }, (_, i) => `img${String(i).padStart(5, '0')}.jpg`);
    const it = new Interpreter({ modules: [], folders: [{ name: 'big', path: 'big', entries, total: 10_000 }], defaultBatch: 32, defaultSeqLen: 128, defaultDtype: 'fp32' });
    const { scope } = it.runMain(`import glob\nn = len(sorted(glob.glob('big/*.jpg')))\nm = len(glob.glob('big/*.png'))\n`, 's.py');
    expect(scope.get('n')).toBe(10_000);
    expect(scope.get('m')).toBe(0);
  });

  it('the CLI lists the folders a script names, inside the workspace only', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'floplens-folders-'));
    try {
      fs.mkdirSync(path.join(dir, 'data', 'samples'), { recursive: true });
      for (const n of ['a.jpg', 'b.jpg', 'c.jpg']) fs.writeFileSync(path.join(dir, 'data', 'samples', n), 'x');
      const script = path.join(dir, 'detect.py');
      fs.writeFileSync(script, SAMPLES);
      expect(folderNames([SAMPLES, "x = '../outside/dir'; y = 'model/best.pt'; z = glob.glob('imgs/test/*.png'); w = '%s/*.*'"])).toEqual(['data/samples', 'imgs/test']);
      expect(readFolders(script, [SAMPLES], dir)).toEqual([{ name: 'data/samples', path: 'data/samples', entries: ['a.jpg', 'b.jpg', 'c.jpg'], total: 3 }]);
      expect(analyzeFile(script, { root: dir }).run.steps).toBe(2);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('the extension reads the same text files and folders through the workspace file system', () => {
  it('a .cfg beside the script, the .names a .data file names, a samples folder; nothing outside the folder', async () => {
    const tmp = fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), 'floplens-textx-')));
    try {
      const ws = path.join(tmp, 'ws');
      fs.mkdirSync(path.join(ws, 'config'), { recursive: true });
      fs.mkdirSync(path.join(ws, 'data', 'samples'), { recursive: true });
      fs.writeFileSync(path.join(ws, 'config', 'tiny.cfg'), TINY_CFG);
      fs.writeFileSync(path.join(ws, 'config', 'coco.data'), 'names=data/coco.names\n');
      fs.writeFileSync(path.join(ws, 'data', 'coco.names'), 'cat\ndog\n');
      for (const n of ['a.jpg', 'b.jpg']) fs.writeFileSync(path.join(ws, 'data', 'samples', n), 'x');
      fs.mkdirSync(path.join(tmp, 'outside'));
      fake.reset();
      fake.folders = [{ uri: Uri.file(ws), name: 'ws', index: 0 }];
      const script = `${DARKNET}\nopen('config/coco.data').read()\nmodel = Darknet('config/tiny.cfg')\nfiles = glob.glob('data/samples/*.jpg') + os.listdir('../outside')\n`;
      const r = await new ModuleReader(localImports).read(Uri.file(path.join(ws, 'train.py')) as never, [script]);
      expect((r.files ?? []).map((f) => f.name).sort()).toEqual(['config/coco.data', 'config/tiny.cfg', 'data/coco.names']);
      expect(r.folders).toEqual([{ name: 'data/samples', path: 'data/samples', entries: ['a.jpg', 'b.jpg'], total: 2 }]);
      expect(fake.touched.filter((u) => !u.startsWith(`file://${ws}/`))).toEqual([]);
      expect(analyze({ text: script, file: 'train.py', files: r.files, folders: r.folders }).model.params).toBe(TINY_PARAMS);
    } finally {
      fs.rmSync(tmp, { recursive: true, force: true });
    }
  });
});
