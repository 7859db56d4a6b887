/**
 * Real scripts, shapes: one unknown dimension does not lose the whole shape (a batch read off an untraced tensor is
 * bound from the script's evidence and said), a guessed model input uses the script's own evidence before a fixed
 * default, and ops that used to lose the shape (math constants, complex rotary views, ops the table lacks) pass it on.
 */
import { describe, expect, it } from 'vitest';
import { check } from './snippetCheck';
import { analyze } from '../../src/core/analyze';

const NN = 'import torch\nimport torch.nn as nn\nfrom mydata import get_batch\n';
const LOADER = `${NN}loader = torch.utils.data.DataLoader(get_batch(), batch_size=64)\nreal = get_batch()\n`;

const messages = (text: string, code: string): string[] => analyze({ text, file: 'snippet.py' }).problems.filter((p) => p.code === code).map((p) => p.message);

describe('a dim of an untraced tensor is bound, not lost', () => {
  it('x.size(0) is the batch, from the DataLoader', () => check(`${LOADER}b = real.size(0)\nnoise = torch.randn(b, 100, 1, 1)`, 'b = 64\nnoise = tensor[64, 100, 1, 1]'));
  it('x.shape[0] is the batch', () => check(`${LOADER}b = real.shape[0]\nz = torch.zeros(b, 10)`, 'b = 64\nz = tensor[64, 10]'));
  it('b, c, h, w = x.shape: the batch first, the rest unknown', () => check(`${LOADER}b, c, h, w = real.shape`, 'b = 64\nc = unknown'));
  it('x.size()[0] is the batch', () => check(`${LOADER}b = real.size()[0]`, 'b = 64'));
  it('the bound batch flows through arithmetic and views', () => check(`${LOADER}b = real.size(0)\nx = torch.randn(b * 2, 3, 8, 8).view(b, -1)`, 'x = tensor[64, 384]'));
  it('x.new_zeros(b, ...) of an untraced tensor', () => check(`${LOADER}b = real.size(0)\ny = real.new_zeros(b, 7)`, 'y = tensor[64, 7]'));
  it('other dims of an untraced tensor stay unknown', () => check(`${LOADER}c = real.size(1)\nd = real.shape[1]`, 'c = unknown\nd = unknown'));
  it('the batch comes from argparse names in any spelling', () => check(`${NN}import argparse
p = argparse.ArgumentParser()
p.add_argument('--batchSize', type=int, default=48)
opt = p.parse_args()
real = get_batch()
b = real.size(0)`, 'b = 48'));
  it('a directive sets it', () => expect(messages(`# floplens: batch=16\n${LOADER}b = real.size(0)`, 'bound-dim')[0]).toContain('taken as the batch, 16 from'));
  it('not bound while a module is constructed', () => check(`${NN}
class M(nn.Module):
    def __init__(self, w):
        super().__init__()
        self.n = w.size(0)
m = M(get_batch())
n = m.n`, 'n = unknown'));
  it('the binding is said at the line, with the directive that changes it', () => {
    const [m] = messages(`${LOADER}b = real.size(0)`, 'bound-dim');
    expect(m).toContain('taken as the batch, 64 from the DataLoader');
    expect(m).toContain('batch=N');
  });
  it('the batch assumption names the binding', () => {
    const a = analyze({ text: `${LOADER}
net = nn.Sequential(nn.ConvTranspose2d(100, 8, 4), nn.ReLU())
b = real.size(0)
out = net(torch.randn(b, 100, 1, 1))
out.sum().backward()`, file: 'snippet.py' });
    const batch = a.assumptions.find((x) => x.name === 'batch');
    expect(batch?.value).toBe(64);
    expect(batch?.note).toContain('bound to the DataLoader');
    expect(a.step.forwardFlops).toBe(2 * 64 * 100 * 8 * 16);
  });
});

describe('a guessed model input uses the script\'s evidence first', () => {
  const guess = (text: string): string => messages(text, 'shape-fallback').join('\n');
  it('a first ConvTranspose2d is fed a 1×1 latent', () => {
    const m = guess(`${NN}g = nn.Sequential(nn.ConvTranspose2d(100, 64, 4, 1, 0), nn.ReLU())\ny = g(get_batch())`);
    expect(m).toContain('[32, 100, 1, 1]');
    expect(m).toContain('1×1 latent');
  });
  it('past a ReflectionPad2d to the first Conv2d, the image size from a script name', () => {
    const m = guess(`${NN}img_size = 96\nnet = nn.Sequential(nn.ReflectionPad2d(3), nn.Conv2d(3, 8, 7), nn.ReLU())\ny = net(get_batch())`);
    expect(m).toContain('[32, 3, 96, 96]');
    expect(m).toContain("'img_size' in the script");
  });
  it('past activations and dropout inside a wrapper class', () => check(`${NN}
class Wrap(nn.Module):
    def __init__(self):
        super().__init__()
        self.act = nn.ReLU()
        self.drop = nn.Dropout(0.1)
        self.fc = nn.Linear(20, 4)
    def forward(self, x):
        return self.fc(self.drop(self.act(x)))
y = Wrap()(get_batch())`, 'y = tensor[32, 4]'));
  it('an image size named in argparse', () => {
    const m = guess(`${NN}import argparse
p = argparse.ArgumentParser()
p.add_argument('--image_size', type=int, default=64)
opt = p.parse_args()
net = nn.Conv2d(3, 8, 3)
y = net(get_batch())`);
    expect(m).toContain('[32, 3, 64, 64]');
    expect(m).toContain('argparse --image_size');
  });
  it('the image size of the script\'s transforms', () => {
    const m = guess(`${NN}import torchvision.transforms as T\ntf = T.Compose([T.Resize(72), T.CenterCrop(72), T.ToTensor()])\nnet = nn.Conv2d(3, 8, 3)\ny = net(get_batch())`);
    expect(m).toContain('[32, 3, 72, 72]');
    expect(m).toContain("the transforms 'tf'");
  });
  it('a fixed 224 only last, and said', () => {
    const m = guess(`${NN}net = nn.Conv2d(3, 8, 3)\ny = net(get_batch())`);
    expect(m).toContain('[32, 3, 224, 224]');
    expect(m).toContain('a fixed default');
  });
  it('a position-embedding table gives the sequence length', () => {
    const m = guess(`${NN}
class LM(nn.Module):
    def __init__(self):
        super().__init__()
        self.tok = nn.Embedding(1000, 64)
        self.pos = nn.Embedding(512, 64)
        self.head = nn.Linear(64, 1000)
    def forward(self, idx):
        return self.head(self.tok(idx))
y = LM()(get_batch())`);
    expect(m).toContain('[32, 512]');
    expect(m).toContain('position-embedding table');
  });
  it('a sequence name in the script wins over the table', () => {
    const m = guess(`${NN}maxlen = 200
class LM(nn.Module):
    def __init__(self):
        super().__init__()
        self.tok = nn.Embedding(1000, 64)
        self.pos = nn.Embedding(512, 64)
    def forward(self, idx):
        return self.tok(idx)
y = LM()(get_batch())`);
    expect(m).toContain('[32, 200]');
  });
});

describe('ops that must not lose the shape', () => {
  const X = `${NN}import math\nx = torch.randn(8, 16, 64)\n`;
  it('math.pi is a number', () => check(`${NN}import math\na = math.sqrt(2.0 / math.pi)\nb = math.tau / math.e`, `a = ${Math.sqrt(2 / Math.PI)}\nb = ${(2 * Math.PI) / Math.E}`));
  it('a hand-written GELU keeps the shape', () => check(`${X}y = 0.5 * x * (1.0 + torch.tanh(math.sqrt(2.0 / math.pi) * (x + 0.044715 * torch.pow(x, 3.0))))`, 'y = tensor[8, 16, 64]'));
  it('torch.view_as_complex pairs the last dim', () => check(`${X}c = torch.view_as_complex(x.float().reshape(*x.shape[:-1], -1, 2))`, 'c = tensor[8, 16, 32] fp32'));
  it('torch.view_as_real adds a last dim of 2', () => check(`${X}c = torch.view_as_complex(x.reshape(8, 16, 32, 2))\nr = torch.view_as_real(c).flatten(2)`, 'r = tensor[8, 16, 64]'));
  it('torch.view_as_complex needs a last dim of 2', () => check(`${X}c = torch.view_as_complex(x)`, 'c = unknown (torch.view_as_complex)'));
  it('torch.polar broadcasts its arguments', () => check(`${X}f = torch.outer(torch.arange(16), torch.ones(32)).float()\np = torch.polar(torch.ones_like(f), f)`, 'p = tensor[16, 32] fp32'));
  it('an op the table lacks passes on the broadcast of its tensor arguments', () => check(`${NN}a = torch.randn(8, 1, 16)\nb = torch.randn(1, 4, 16)\nc = torch.logaddexp(a, b)`, 'c = tensor[8, 4, 16]'));
  it('a tensor method the table lacks keeps its tensor\'s shape', () => check(`${NN}a = torch.randn(8, 16)\nc = a.sinc()`, 'c = tensor[8, 16]'));
  it('the approximated op is named', () => {
    const a = analyze({ text: `${NN}a = torch.randn(8, 16)\nc = torch.logaddexp(a, a)`, file: 'snippet.py' });
    const u = a.uncounted.find((x) => x.name === 'torch.logaddexp');
    expect(u?.reason).toContain('approximated');
  });
  it('a non-tensor query the table lacks is not passed through', () => check(`${NN}a = torch.randn(8, 16)\nn = torch.is_nonzero(a)`, 'n = unknown (torch.is_nonzero)'));
});
