/**
 * Real scripts, held-out corpus group e (issue 14): constructs of modern Hugging Face / Accelerate / LLM scripts that
 * FlopLens read wrong before it had seen them.
 */
import { describe, expect, it } from 'vitest';
import { check } from './snippetCheck';
import { analyze } from '../../src/core/analyze';

const run = (text: string) => analyze({ text, file: 'snippet.py' });

describe('an environment variable is unset: the script\'s own default, None when it gives none', () => {
  it('os.environ.get with an explicit None default, or none, is None; a given default is kept', () => check(`import os
a = os.environ.get("TESTING_MOCKED_DATALOADERS", None)
b = os.environ.get("TESTING_MOCKED_DATALOADERS")
c = os.getenv("WORLD_SIZE", "1")
d = int(os.environ.get("RANK", -1))
e = os.environ.get("FLAG", default="0")
`, 'a = None\nb = None\nc = "1"\nd = -1\ne = "0"'));

  it('a test-only branch on an unset variable is not taken (Accelerate examples swap in mocked loaders there)', () => {
    const r = run(`import os
import torch
import torch.nn as nn
from torch.utils.data import DataLoader, TensorDataset

def get_dataloaders(batch_size=16):
    ds = TensorDataset(torch.randn(3200, 64), torch.randint(0, 2, (3200,)))
    return DataLoader(ds, batch_size=batch_size, shuffle=True)

if os.environ.get("TESTING_MOCKED_DATALOADERS", None) == "1":
    from accelerate.test_utils.training import mocked_dataloaders
    get_dataloaders = mocked_dataloaders

def training_function(config):
    if os.environ.get("TESTING_MOCKED_DATALOADERS", None) == "1":
        config["num_epochs"] = 2
    model = nn.Linear(64, 2)
    opt = torch.optim.AdamW(model.parameters())
    loader = get_dataloaders(int(config["batch_size"]))
    for epoch in range(int(config["num_epochs"])):
        for x, y in loader:
            loss = nn.functional.cross_entropy(model(x), y)
            loss.backward()
            opt.step()
            opt.zero_grad()

training_function({"lr": 2e-5, "num_epochs": 3, "batch_size": 16})
`);
    expect(r.step.batch).toBe(16);
    expect(r.run.steps).toBe(3 * 200);
    expect(r.step.forwardFlops).toBe(2 * 16 * 64 * 2);
  });
});

describe("timm's ResNet-D variants are in the catalog", () => {
  it('create_model("resnet50d", num_classes=37): deep stem + average-pool downsampling, counted as timm builds it', () => {
    const r = run(`import timm
import torch
model = timm.create_model("resnet50d", pretrained=True, num_classes=37)
opt = torch.optim.Adam(model.parameters())
x = torch.randn(64, 3, 224, 224)
loss = model(x).sum()
loss.backward()
opt.step()
`);
    // timm 1.x resnet50d(num_classes=37), parameters counted under PyTorch: 23,603,077
    expect(r.model.params).toBe(23_603_077);
    // measured forward at [64, 3, 224, 224] with timm's own model (dispatch-mode counter): 553,837,133,824 FLOPs
    expect(Math.abs(r.step.forwardFlops / 553_837_133_824 - 1)).toBeLessThan(0.01);
  });
});

describe('a range(n + 1) loop that leaves on its last pass through a flag has n steps', () => {
  it('last_step = (step == num_iterations); if last_step: break (llm.c train_gpt2.py)', () => {
    const r = run(`import torch
import torch.nn as nn
num_iterations = 10
sample_every = 0
model = nn.Linear(64, 64)
opt = torch.optim.AdamW(model.parameters())
x = torch.randn(4, 64)
for step in range(num_iterations + 1):
    last_step = (step == num_iterations)
    if step % 5 == 0 or last_step:
        print("eval")
    if sample_every > 0 and (step % sample_every == 0 or last_step):
        model.generate(x)
    if last_step:
        break
    opt.zero_grad()
    loss = model(x).sum()
    loss.backward()
    opt.step()
`);
    expect(r.run.steps).toBe(10);
  });
});

describe('Hugging Face task heads: the class loaded decides the head', () => {
  const infer = (load: string, B: number, S: number) => run(`import torch
from transformers import ${load.split('.')[0]}
model = ${load}
model.eval()
x = torch.randint(0, 1000, (${B}, ${S}))
with torch.no_grad():
    out = model(x)
`);
  it('AutoModelForSequenceClassification of a decoder without num_labels: a 2-label score head, not the LM head', () => {
    const r = infer('AutoModelForSequenceClassification.from_pretrained("gpt2")', 2, 1024);
    // GPT-2 124,439,808 + score 768x2 (no bias); forward in closed form (causal attention halved), checked in corpus e
    expect(r.model.params).toBe(124_441_344);
    expect(Math.abs(r.step.forwardFlops / 386_553_348_096 - 1)).toBeLessThan(0.01);
  });
  it('AutoModelForSequenceClassification of an encoder: pooler + classifier of 2 labels (bert-base-cased 108,311,810)', () => {
    const r = infer('AutoModelForSequenceClassification.from_pretrained("bert-base-cased")', 16, 128);
    expect(r.model.params).toBe(108_311_810);
  });
  it('AutoModelForMaskedLM: the masked-LM head on every position, no pooler (bert-base-uncased 109,514,298)', () => {
    const r = infer('AutoModelForMaskedLM.from_pretrained("bert-base-uncased")', 2, 512);
    expect(r.model.params).toBe(109_514_298);
    // closed form: 12 x (2T(4h^2 + 2hf) + 4BS^2h) + 2T(h^2 + hV), T = 1,024 (corpus e, e-accel-pippy-bert)
    expect(Math.abs(r.step.forwardFlops / 242_488_442_880 - 1)).toBeLessThan(0.01);
  });
});

describe('modern library code parses', () => {
  it('a bare yield (a @contextmanager) is not a syntax error, and what follows it is read', () => {
    const r = run(`import contextlib
import torch.nn as nn

@contextlib.contextmanager
def set_default_dtype(dtype):
    try:
        yield
    finally:
        pass

def gen():
    yield
    yield 1

model = nn.Linear(64, 32)
`);
    expect(r.problems.filter((p) => p.code === 'syntax')).toEqual([]);
    expect(r.model.params).toBe(64 * 32 + 32);
  });
});

describe('a classifier width taken from the data is said, not silent', () => {
  it('create_model(name, num_classes=len(labels)) with labels from a folder listing', () => {
    const r = run(`import os
import timm
labels = sorted({f.split("_")[0] for f in os.listdir(data_dir)})
model = timm.create_model("resnet50d", pretrained=True, num_classes=len(labels))
`);
    expect(r.problems.some((p) => p.code === 'data-dependent' && /sized from the data.*published head is kept.*classes=N/.test(p.message))).toBe(true);
  });
});

describe('a package folder named like an installed library', () => {
  it('llama_cookbook/datasets/x.py importing `datasets` is not its own folder (Hugging Face datasets)', async () => {
    const { lookupModule } = await import('../../src/core/moduleResolve');
    const inside = { name: 'llama_cookbook.datasets.grammar_dataset.grammar_dataset', path: 'src/llama_cookbook/datasets/grammar_dataset/grammar_dataset.py' };
    expect(lookupModule('datasets', inside, 'src/llama_cookbook')?.candidates).not.toContain('src/llama_cookbook/datasets/__init__.py');
    // the package's own modules still find it by its absolute name, and the script still finds a folder beside it
    expect(lookupModule('datasets', { name: 'datasets.utils', path: 'src/llama_cookbook/datasets/utils.py' }, 'src/llama_cookbook')?.candidates).toContain('src/llama_cookbook/datasets/__init__.py');
    expect(lookupModule('datasets', { name: '', path: 'src/llama_cookbook/finetuning.py' }, 'src/llama_cookbook')?.candidates).toContain('src/llama_cookbook/datasets/__init__.py');
  });
});
