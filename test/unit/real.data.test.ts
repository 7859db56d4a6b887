/**
 * Issue 14 part 2: arrays read from token files (nanoGPT's get_batch), one construct per test.
 */
import { describe, expect, it } from 'vitest';
import { check } from './snippetCheck';
import { analyze } from '../../src/core/analyze';

describe('flat data files', () => {
  it('np.memmap is a flat int array whose slices of a fixed width keep the width', () => {
    check(`
import numpy as np, torch
data = np.memmap('train.bin', dtype=np.uint16, mode='r')
ix = torch.randint(len(data) - 256, (12,))
x = torch.stack([torch.from_numpy((data[i:i+256]).astype(np.int64)) for i in ix])
y = torch.stack([torch.from_numpy((data[i+1:i+1+256]).astype(np.int64)) for i in ix])
`, `
ix = tensor[12]
x = tensor[12, 256]
y = tensor[12, 256]
`);
  });

  it('a memmap with an explicit shape has that shape', () => {
    check(`
import numpy as np
a = np.memmap('x.bin', dtype=np.float32, mode='r', shape=(1000, 64))
`, 'a = tensor[1000, 64]');
  });

  it('a slice i:i+k of a traced tensor with i unknown is k wide; i:j with both unknown keeps the dim', () => {
    check(`
import torch
t = torch.randn(10000, 8)
i = int(input())
a = t[i:i + 32]
b = t[i:int(input())]
`, `
a = tensor[32, 8]
b = tensor[10000, 8]
`);
  });
});

describe('the batch is bound at the end', () => {
  it('a batch read off an untraced tensor before the DataLoader that decides it takes the loader batch', () => {
    const a = analyze({
      file: 'late.py',
      text: `
import torch, torch.nn as nn
from torch.utils.data import DataLoader
G = nn.Sequential(nn.ConvTranspose2d(100, 64, 4, 1, 0), nn.ReLU())
opt = torch.optim.Adam(G.parameters())
first = get_first_batch()
b = first.size(0)
loader = DataLoader(load_images(), batch_size=16)
for real in loader:
    z = torch.randn(b, 100, 1, 1)
    G(z).mean().backward()
    opt.step()
`.slice(1),
    });
    expect(a.step.batch).toBe(16);
    expect(a.step.forwardFlops).toBe(2 * 16 * 100 * 64 * 4 * 4);
    expect(a.problems.some((p) => p.code === 'bound-dim' && /16 from the DataLoader/.test(p.message))).toBe(true);
  });
});

describe('saved models', () => {
  it('torch.load without directives names the file and the directive that would cost it', () => {
    const a = analyze({ file: 'load.py', text: "import torch\nmodel = torch.load('model.pt')\nmodel.eval()\ny = model(torch.randn(8, 3, 224, 224))\n" });
    const p = a.problems.find((x) => /torch\.load\('model\.pt'\)/.test(x.message));
    expect(p?.message).toMatch(/# floplens: params=/);
  });

  it('torch.load with a params directive is costed in the loop that calls it', () => {
    const a = analyze({ file: 'load.py', text: "import torch\n# floplens: params=25e6\nmodel = torch.load('model.pt')\nx = torch.randn(8, 3, 224, 224)\nwith torch.no_grad():\n    for i in range(100):\n        y = model(x)\n" });
    expect(a.model.name).toContain("torch.load('model.pt')");
    expect(a.step.forwardFlops).toBeGreaterThan(0);
    expect(a.run.steps).toBe(100);
    expect(a.problems.some((x) => x.code === 'directive-model')).toBe(true);
  });
});

describe('hub datasets by id', () => {
  it.each([
    ['yelp_review_full', undefined, 650_000],
    ['mlabonne/guanaco-llama2-1k', undefined, 1_000],
    ['HuggingFaceH4/ultrachat_200k', undefined, 207_865],
    ['wmt16', 'ro-en', 610_320],
    ['openai/gsm8k', 'main', 7_473],
  ])('load_dataset(%s, %s) sizes the run: %d rows', (id, config, rows) => {
    const text = `from datasets import load_dataset
from transformers import AutoModelForSequenceClassification, TrainingArguments, Trainer
ds = load_dataset("${id}"${config ? `, "${config}"` : ''})
model = AutoModelForSequenceClassification.from_pretrained("bert-base-cased", num_labels=5)
args = TrainingArguments(output_dir="out", per_device_train_batch_size=8, num_train_epochs=2)
Trainer(model=model, args=args, train_dataset=ds["train"]).train()
`;
    expect(analyze({ file: 'hub.py', text }).run.steps).toBe(2 * Math.ceil(rows / 8));
  });
});

describe('hand-written models on raw tensors (zero-to-hero style)', () => {
  it('parameters made trainable by `p.requires_grad = True` in a loop, data lists of unknown items, a manual SGD step', () => {
    const a = analyze({
      file: 'mlp.py',
      text: `import torch
import torch.nn.functional as F
words = open('names.txt', 'r').read().splitlines()
chars = sorted(list(set(''.join(words))))
stoi = {s: i + 1 for i, s in enumerate(chars)}
X, Y = [], []
for w in words:
    context = [0] * 3
    for ch in w + '.':
        X.append(context)
        Y.append(stoi[ch])
        context = context[1:] + [stoi[ch]]
Xtr, Ytr = torch.tensor(X), torch.tensor(Y)
C = torch.randn((27, 10))
W1 = torch.randn((30, 200))
b1 = torch.randn(200)
W2 = torch.randn((200, 27))
b2 = torch.randn(27)
parameters = [C, W1, b1, W2, b2]
for p in parameters:
    p.requires_grad = True
for i in range(200000):
    ix = torch.randint(0, Xtr.shape[0], (32,))
    emb = C[Xtr[ix]]
    h = torch.tanh(emb.view(-1, 30) @ W1 + b1)
    loss = F.cross_entropy(h @ W2 + b2, Ytr[ix])
    for p in parameters:
        p.grad = None
    loss.backward()
    for p in parameters:
        p.data += -0.1 * p.grad
`,
    });
    expect(a.model.params).toBe(27 * 10 + 30 * 200 + 200 + 200 * 27 + 27);
    expect(a.step.forwardFlops).toBe(2 * 32 * (30 * 200 + 200 * 27));
    expect(a.step.batch).toBe(32);
    expect(a.run.steps).toBe(200_000);
    expect(a.run.mode).toBe('train');
  });

  it('a dict comprehension over data the evaluator cannot see is unknown, not empty', () => {
    check(`
chars = sorted(set(open('t.txt').read()))
stoi = {s: i for i, s in enumerate(chars)}
stoi['.'] = 0
n = len(stoi)
`, 'stoi = unknown (comprehension over an unknown iterable)');
  });
});

describe('configs and datasets over unseen text (minGPT style)', () => {
  it('self.__dict__.update(d) sets attributes; a config attribute counted from data gets the stated vocabulary', () => {
    check(`
class CfgNode:
    def __init__(self, **kwargs):
        self.__dict__.update(kwargs)
    def merge_from_dict(self, d):
        self.__dict__.update(d)
C = CfgNode(model_type='gpt-mini', n_embd=None)
C.merge_from_dict({'gpt-mini': dict(n_layer=6, n_head=6, n_embd=192)}[C.model_type])
n = C.n_embd
text = open('input.txt', 'r').read()
C.vocab_size = len(sorted(set(text)))
v = C.vocab_size
`, `
n = 192
v = 65
`);
  });

  it('a block sliced out of unseen text has the block width', () => {
    check(`
import torch
text = open('input.txt').read()
stoi = {c: i for i, c in enumerate(sorted(set(text)))}
chunk = text[100:100 + 129]
dix = [stoi[s] for s in chunk]
x = torch.tensor(dix[:-1], dtype=torch.long)
`, 'x = tensor[128]');
  });
});

describe('tensors from lists the evaluator cannot see into', () => {
  it('unknown items of an id/label list are scalars; of a float list (observations) the shape stays unknown', () => {
    check(`
import torch
labels, obs = [], []
for row in open('data.csv'):
    labels.append(row[0])
    obs.append(row[1:])
y = torch.tensor(labels)
x = torch.tensor(obs, dtype=torch.float)
`, `
y = tensor[1]
x = unknown (torch.tensor)
`);
  });

  it('items known to be lists of unknown length ([cls] + tokens + [sep]) are not scalars, even in an id list', () => {
    check(`
import torch
toks = open('t.txt').read().split()
batch = []
for i in range(6):
    ids = [101] + toks + [102]
    batch.append(ids)
x = torch.LongTensor(batch)
ids2 = [101] + toks
`, `
x = unknown (torch.tensor)
ids2 = unknown (a list of unknown length)
`);
  });
});

describe('a model named on the command line', () => {
  const script = (directive: string) => `${directive}
import sys
from transformers import AutoModelForCausalLM, Trainer, TrainingArguments
name = sys.argv[1]
model = AutoModelForCausalLM.from_pretrained(name)
args = TrainingArguments(output_dir="out", per_device_train_batch_size=4, max_steps=100)
Trainer(model=model, args=args).train()
`;

  it('without a directive: a warning that names model=', () => {
    const a = analyze({ file: 'cli_model.py', text: script('') });
    expect(a.model.params).toBe(0);
    expect(a.problems.some((p) => /# floplens: model=<hub id>/.test(p.message))).toBe(true);
  });

  it('with # floplens: model=<hub id>: that catalog model, said', () => {
    const a = analyze({ file: 'cli_model.py', text: script('# floplens: model=Qwen/Qwen2.5-0.5B') });
    expect(a.model.params).toBe(494_032_768);
    expect(a.run.steps).toBe(100);
    expect(a.problems.some((p) => p.code === 'directive-model-name')).toBe(true);
  });
});
