/**
 * The interpreter one construct at a time, in the style of rust-analyzer's `check(fixture, expect)`: a few lines
 * of Python are evaluated (never run) and the facts named in the expectation are rendered one per line:
 *   `name`            the module-level variable, described (`3`, `"adam"`, `tensor[8, 10]`, `nn.Linear`, `loader`)
 *   `params(name)`    parameters below the module value `name` (tied weights once)
 *   `events`          run events in order (backward, step, zero_grad, model-call, generate)
 *   `ops`             recorded ops: label, dtype, `grad` when gradients are kept, `×n` when weighted by a loop
 *   `mode`            train or infer, as the whole analysis decides it
 * so each expectation shows exactly what the construct is for.
 */
import { describe, expect, it } from 'vitest';
import { CALL_ROUTES } from '../../src/core/interpret/lib/library';
import { check } from './snippetCheck';

const NN = 'import torch\nimport torch.nn as nn\n';

describe('interpreter snippets', () => {
  describe('modules', () => {
    it('nn.Linear counts weight and bias', () => check(`${NN}m = nn.Linear(10, 5)`, 'params(m) = 55'));
    it('nn.Linear without bias', () => check(`${NN}m = nn.Linear(10, 5, bias=False)`, 'params(m) = 50'));
    it('nn.Sequential sums its layers', () => check(`${NN}m = nn.Sequential(nn.Linear(4, 8), nn.ReLU(), nn.Linear(8, 2))`, 'params(m) = 58'));
    it('a for-loop of appends builds a ModuleList', () => check(`${NN}
layers = nn.ModuleList()
for _ in range(3):
    layers.append(nn.Linear(4, 4))
`, 'params(layers) = 60'));
    it('an nn.Module class registers its attributes', () => check(`${NN}
class Net(nn.Module):
    def __init__(self, d):
        super().__init__()
        self.fc = nn.Linear(d, d)
    def forward(self, x):
        return self.fc(x)
net = Net(8)
y = net(torch.randn(2, 8))
`, 'params(net) = 72\ny = tensor[2, 8]'));
    it('tied weights count once', () => check(`${NN}
class LM(nn.Module):
    def __init__(self):
        super().__init__()
        self.emb = nn.Embedding(100, 16)
        self.head = nn.Linear(16, 100, bias=False)
        self.head.weight = self.emb.weight
lm = LM()
`, 'params(lm) = 1600'));
    it('nn.Parameter wraps a tensor', () => check(`${NN}p = nn.Parameter(torch.zeros(3, 4))`, 'p = param'));
  });

  describe('configs', () => {
    it('argparse default', () => check(`
import argparse
parser = argparse.ArgumentParser()
parser.add_argument("--hidden", type=int, default=256)
args = parser.parse_args()
h = args.hidden
`, 'h = 256'));
    it('argparse store_true defaults to False', () => check(`
import argparse
p = argparse.ArgumentParser()
p.add_argument("--amp", action="store_true")
amp = p.parse_args().amp
`, 'amp = false'));
    it('dataclass config', () => check(`
from dataclasses import dataclass
@dataclass
class Config:
    n_layer: int = 6
    n_embd: int = 384
cfg = Config(n_layer=12)
d = cfg.n_embd * cfg.n_layer
`, 'd = 4608'));
    it('yaml.safe_load of a literal', () => check(`
import yaml
cfg = yaml.safe_load("width: 64")
w = cfg["width"]
`, 'w = 64'));
    it('json.loads of a literal', () => check('import json\nc = json.loads(\'{"lr": 0.001, "layers": [1, 2]}\')', 'c = {"lr": 0.001, "layers": [1, 2]}'));
    it('SimpleNamespace attributes', () => check('import types\nns = types.SimpleNamespace(depth=4)\nd = ns.depth', 'd = 4'));
  });

  describe('training', () => {
    it('optimizer and backward are run events', () => check(`${NN}
model = nn.Linear(4, 2)
opt = torch.optim.AdamW(model.parameters(), lr=1e-3)
loss = model(torch.randn(8, 4)).sum()
loss.backward()
opt.step()
opt.zero_grad()
`, 'opt = optimizer\nevents = model-call, backward, step, zero_grad'));
    it('optimizer + backward marks the run as training', () => check(`${NN}
model = nn.Linear(4, 2)
opt = torch.optim.SGD(model.parameters(), lr=0.1)
for step in range(10):
    loss = model(torch.randn(8, 4)).sum()
    loss.backward()
    opt.step()
`, 'mode = train'));
    it('autocast sets the dtype of ops inside it', () => check(`${NN}
m = nn.Linear(4, 4)
with torch.autocast("cuda", dtype=torch.bfloat16):
    y = m(torch.randn(2, 4))
`, 'ops = nn.Linear bf16 grad'));
    it('no_grad records ops without gradients', () => check(`${NN}
m = nn.Linear(4, 4)
with torch.no_grad():
    y = m(torch.randn(2, 4))
`, 'ops = nn.Linear fp32'));
    it('a no_grad block only lasts for its body', () => check(`${NN}
m = nn.Linear(4, 4)
with torch.no_grad():
    a = m(torch.randn(2, 4))
b = m(torch.randn(2, 4))
`, 'ops = nn.Linear fp32; nn.Linear fp32 grad'));
    it('activation checkpointing runs the wrapped call', () => check(`${NN}
from torch.utils.checkpoint import checkpoint
m = nn.Linear(4, 4)
y = checkpoint(m, torch.randn(2, 4), use_reentrant=False)
`, 'y = tensor[2, 4]\nops = nn.Linear fp32 grad'));
    it('Accelerate mixed precision sets the dtype inside the model', () => check(`${NN}
from accelerate import Accelerator
acc = Accelerator(mixed_precision="bf16")
class Net(nn.Module):
    def __init__(self):
        super().__init__()
        self.fc = nn.Linear(4, 4)
    def forward(self, x):
        return self.fc(x)
model = acc.prepare(Net())
y = model(torch.randn(2, 4))
`, 'acc = accelerator\nops = nn.Linear bf16 grad'));
    it('DDP returns the model it wraps', () => check(`${NN}
m = nn.Linear(4, 4)
ddp = nn.parallel.DistributedDataParallel(m)
inner = ddp.module
`, 'params(ddp) = 20\ninner = nn.Linear'));
    it('an lr scheduler is an object of its own', () => check(`${NN}
opt = torch.optim.SGD([], lr=0.1)
s = torch.optim.lr_scheduler.StepLR(opt, 10)
`, 's = scheduler'));
  });

  describe('data', () => {
    it('DataLoader batch of a TensorDataset', () => check(`${NN}
from torch.utils.data import DataLoader, TensorDataset
ds = TensorDataset(torch.randn(100, 10), torch.zeros(100))
dl = DataLoader(ds, batch_size=16)
n = len(dl)
for x, y in dl:
    pass
`, 'n = 7\nx = tensor[16, 10]'));
    it('a known dataset has its size', () => check(`
import torchvision
ds = torchvision.datasets.CIFAR10("data", train=True)
n = len(ds)
`, 'n = 50000'));
    it('a Resize transform sizes image samples', () => check(`
import torchvision
import torchvision.transforms as T
from torch.utils.data import DataLoader
ds = torchvision.datasets.ImageFolder("data", transform=T.Compose([T.Resize(64), T.ToTensor()]))
for x, y in DataLoader(ds, batch_size=4):
    pass
`, 'x = tensor[4, 3, 64, 64] fp32'));
  });

  describe('numbers and layouts', () => {
    it('math on config values', () => check('import math\nd = math.ceil(10 / 3) * math.sqrt(16)', 'd = 16'));
    it('einops rearrange reshapes by pattern', () => check(`${NN}
from einops import rearrange
x = torch.randn(2, 16, 8)
y = rearrange(x, "b (h w) c -> b c h w", h=4)
`, 'y = tensor[2, 8, 4, 4]'));
    it('tensor shapes flow through torch functions', () => check(`${NN}
a = torch.randn(4, 8)
b = torch.matmul(a, torch.randn(8, 3))
`, 'b = tensor[4, 3]'));
    it('torch.compile returns the model', () => check(`${NN}m = torch.compile(nn.Linear(2, 2))`, 'm = nn.Linear\nparams(m) = 6'));
    it('tqdm and functools.partial pass calls through', () => check(`
import functools
from tqdm import tqdm
def scale(x, k):
    return x * k
double = functools.partial(scale, k=2)
xs = [double(i) for i in tqdm(range(3))]
`, 'xs = [0, 2, 4]'));
    it('a comprehension builds a list', () => check('xs = [i * i for i in range(4)]', 'xs = [0, 1, 4, 9]'));
  });
});

describe('library dispatch table', () => {
  it('no exact path is one that a pattern family listed before it would claim', () => {
    const shadowed: string[] = [];
    CALL_ROUTES.forEach((r, i) => {
      if (!('exact' in r)) return;
      for (const p of r.exact) {
        CALL_ROUTES.slice(0, i).forEach((f) => { if ('pattern' in f && f.pattern.test(p)) shadowed.push(`${p} by ${f.pattern}`); });
      }
    });
    expect(shadowed).toEqual([]);
  });

  it('gives an exact path to all its handlers in order, then to the families', () => {
    // yaml.safe_load of a stream that is neither a literal (config text) nor a file the host read (config files):
    // neither handler's, so the stdlib family says it is unknown.
    check('import yaml, sys\nc = yaml.safe_load(sys.stdin)', 'c = unknown (yaml.safe_load)');
  });
});
