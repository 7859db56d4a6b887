/**
 * Real scripts, corpus group c (issue 14): library wrappers and LLM fine-tuning scripts. A wrapper that returns the
 * model (Fabric, DeepSpeed, PEFT's prepare_model_for_*_training) keeps it; wrapper backward/step calls are the
 * training step; the DeepSpeed config gives the batch and accumulation; TRL trainers take hub names and pairs.
 */
import { describe, expect, it } from 'vitest';
import { check } from './snippetCheck';
import { analyze } from '../../src/core/analyze';
import { cleanCell, readNotebook } from '../../src/core/notebook';

const run = (text: string) => analyze({ text, file: 'snippet.py' });

describe('a wrapper that returns the model keeps it', () => {
  const FABRIC = `import torch, torch.nn as nn
from lightning.fabric import Fabric
fabric = Fabric()
model = nn.Linear(784, 10)
opt = torch.optim.SGD(model.parameters(), lr=0.1)
model, opt = fabric.setup(model, opt)
loader = torch.utils.data.DataLoader(torch.utils.data.TensorDataset(torch.randn(6400, 784)), batch_size=64)
loader = fabric.setup_dataloaders(loader)
for epoch in range(10):
    for (x,) in loader:
        opt.zero_grad()
        loss = model(x).sum()
        fabric.backward(loss)
        opt.step()
`;
  it('fabric.setup(model, opt) gives back the model and the optimizer in place', () => check(`import torch, torch.nn as nn
import lightning as L
fabric = L.Fabric()
net = nn.Linear(4, 2)
opt = torch.optim.SGD(net.parameters(), lr=0.1)
m, o = fabric.setup(net, opt)
same = m is net`, 'params(m) = 10\nsame = true'));
  it('a Fabric loop is a training run: fabric.backward is the backward pass, the loader gives batch and steps', () => {
    const a = run(FABRIC);
    expect(a.run.mode).toBe('train');
    expect(a.step.batch).toBe(64);
    expect(a.run.steps).toBe(1000);
    expect(a.model.params).toBe(7850);
    expect(a.step.forwardFlops).toBe(2 * 64 * 784 * 10);
  });
  it('prepare_model_for_int8_training(model) returns the model, so the Trainer trains it', () => {
    const a = run(`from transformers import AutoModelForCausalLM, Trainer, TrainingArguments
from peft import LoraConfig, get_peft_model, prepare_model_for_int8_training
model = AutoModelForCausalLM.from_pretrained("facebook/opt-125m")
model = prepare_model_for_int8_training(model)
model = get_peft_model(model, LoraConfig(r=8, target_modules=["q_proj", "v_proj"]))
Trainer(model=model, train_dataset=None, args=TrainingArguments(per_device_train_batch_size=4,
        gradient_accumulation_steps=32, max_steps=50, output_dir="o")).train()
`);
    expect(a.run.mode).toBe('train');
    expect(a.step.batch).toBe(4);
    expect(a.run.steps).toBe(50);
    expect(a.model.params).toBeGreaterThan(125e6);
  });
  it('a wrapper-named function of an unseen library passes its arguments through; other names do not', () => check(`import torch.nn as nn
import mylib
net = nn.Linear(4, 2)
a = mylib.setup_model(net)
b, c = mylib.prepare(net, 3)
d = mylib.count_flops(net)`, 'params(a) = 10\nc = 3\nd = unknown (mylib.count_flops)'));
});

describe('DeepSpeed: initialize returns (engine, optimizer, loader, scheduler); the config dict gives the batch', () => {
  const DS = (cfg: string) => `import torch, torch.nn as nn, deepspeed
net = nn.Linear(784, 10)
ds_config = ${cfg}
trainset = torch.utils.data.TensorDataset(torch.randn(6400, 784))
engine, opt, loader, _ = deepspeed.initialize(model=net, model_parameters=net.parameters(), training_data=trainset, config=ds_config)
for epoch in range(3):
    for (x,) in loader:
        loss = engine(x).sum()
        engine.backward(loss)
        engine.step()
`;
  it('train_batch_size with accumulation: micro-batch 8, one optimizer step per 2 calls', () => {
    const a = run(DS('{"train_batch_size": 16, "gradient_accumulation_steps": 2}'));
    expect(a.run.mode).toBe('train');
    expect(a.step.batch).toBe(8);
    expect(a.run.steps).toBe(3 * (6400 / 8) / 2);
    expect(a.model.params).toBe(7850);
  });
  it('train_micro_batch_size_per_gpu is the batch per call', () => {
    const a = run(DS('{"train_micro_batch_size_per_gpu": 32}'));
    expect(a.step.batch).toBe(32);
    expect(a.run.steps).toBe(3 * 6400 / 32);
  });
});

describe('a library that adds its options to the script\'s parser returns the parser', () => {
  it('parser = deepspeed.add_config_arguments(parser) keeps the argparse defaults', () => check(`import argparse, deepspeed
parser = argparse.ArgumentParser()
parser.add_argument("--epochs", type=int, default=30)
parser = deepspeed.add_config_arguments(parser)
args = parser.parse_args()
epochs = args.epochs`, 'epochs = 30'));
});

describe('TRL trainers', () => {
  it('SFTTrainer(model=<hub name>) trains that model', () => {
    const a = run(`from trl import SFTTrainer, SFTConfig
def main(model_name):
    trainer = SFTTrainer(model=model_name, args=SFTConfig(per_device_train_batch_size=2, max_steps=10, max_length=256), train_dataset=None)
    trainer.train()
if __name__ == "__main__":
    main("Qwen/Qwen2-0.5B")
`);
    expect(a.run.mode).toBe('train');
    expect(a.model.params).toBe(494032768);
    expect(a.step.batch).toBe(2);
    expect(a.run.steps).toBe(10);
  });
  it('a trainer whose model name comes from the command line: train, max_steps kept, and a warning (never a silent 0)', () => {
    const a = run(`import sys
from trl import DPOTrainer, DPOConfig
from transformers import AutoModelForCausalLM
model = AutoModelForCausalLM.from_pretrained(sys.argv[1])
DPOTrainer(model=model, args=DPOConfig(per_device_train_batch_size=2, max_steps=300)).train()
`);
    expect(a.run.mode).toBe('train');
    expect(a.run.steps).toBe(300);
    expect(a.problems.some((p) => p.code === 'model-unresolved' && p.severity === 'warning')).toBe(true);
  });
  it('DPO and reward trainers run chosen+rejected pairs together; DPO adds a reference forward without gradients', () => {
    const base = (cls: string) => run(`from trl import ${cls}Trainer, ${cls}Config
from transformers import AutoModelForCausalLM
model = AutoModelForCausalLM.from_pretrained("Qwen/Qwen2-0.5B-Instruct")
${cls}Trainer(model=model, args=${cls}Config(per_device_train_batch_size=2, max_steps=100, max_length=512)).train()
`);
    const dpo = base('DPO');
    const sft = base('SFT');
    const reward = base('Reward');
    expect(dpo.step.batch).toBe(4);
    expect(reward.step.batch).toBe(4);
    expect(sft.step.batch).toBe(2);
    // Policy on 4 sequences + reference on 4 sequences = 4× the SFT forward on 2.
    expect(dpo.step.forwardFlops / sft.step.forwardFlops).toBeCloseTo(4, 1);
    expect(reward.step.forwardFlops / sft.step.forwardFlops).toBeCloseTo(2, 1);
  });
});

describe('timm: create_model from timm.models, and a task object built around the model', () => {
  it('timm.models.create_model(name) is the catalog model; timm.is_model(name) is true for it', () => check(`from timm.models import create_model, is_model
m = create_model("resnet50", pretrained=False)
ok = is_model("resnet50")`, 'params(m) = 25557032\nok = true'));
  it('a task object takes the model back (get_trainable_module) and calling it runs the model on its first input', () => {
    const a = run(`import torch
from timm.models import create_model
from timm.task import ClassificationTask
model = create_model("resnet50")
task = ClassificationTask(model=model, criterion=torch.nn.CrossEntropyLoss())
model = task.get_trainable_module()
opt = torch.optim.SGD(model.parameters(), lr=0.1)
for step in range(100):
    result = task(torch.randn(16, 3, 224, 224), torch.randint(0, 1000, (16,)))
    loss = result['loss']
    loss.backward()
    opt.step()
`);
    expect(a.run.mode).toBe('train');
    expect(a.model.params).toBe(25557032);
    expect(a.step.batch).toBe(16);
    expect(a.run.steps).toBe(100);
    expect(a.step.forwardFlops).toBeGreaterThan(16 * 2 * 4.0e9);
  });
});

describe('values the scripts pass around', () => {
  it('None inside a tuple unpacks and indexes as None (checkpoint_dir is not None → False)', () => check(`def last_checkpoint(d):
    return None, False
ckpt, done = last_checkpoint("./output")
t = (None, 1)
first = t[0]
found = ckpt is not None`, 'ckpt = None\ndone = false\nfirst = None\nfound = false'));
  it('a dataclass subclassing TrainingArguments keeps its own defaults for the Trainer (batch 1 × 16, 10,000 steps)', () => {
    const a = run(`from dataclasses import dataclass, field
import transformers
from transformers import AutoModelForCausalLM, Trainer
@dataclass
class TrainingArguments(transformers.Seq2SeqTrainingArguments):
    per_device_train_batch_size: int = field(default=1)
    gradient_accumulation_steps: int = field(default=16)
    max_steps: int = field(default=10000)
(training_args,) = transformers.HfArgumentParser((TrainingArguments,)).parse_args_into_dataclasses()
model = AutoModelForCausalLM.from_pretrained("facebook/opt-125m")
Trainer(model=model, args=training_args, train_dataset=None).train()
`);
    expect(a.step.batch).toBe(1);
    expect(a.run.steps).toBe(10000);
    expect(a.run.mode).toBe('train');
  });
});

describe('notebooks: timing magics run their statement', () => {
  it('%time / %timeit -n N keep the statement at its column; other magics and shell lines are blanked', () => {
    expect(cleanCell('%time train(model, opt, 30)\n  %timeit -n 3 -r 2 f(x)\n%matplotlib inline\n!pip install x\n%%time'))
      .toBe(`${' '.repeat(6)}train(model, opt, 30)\n${' '.repeat(2 + '%timeit -n 3 -r 2 '.length)}f(x)\n\n\n`);
  });
  it('a notebook that trains through `%time train(...)` is a training run', () => {
    const cells = [
      'import torch, torch.nn as nn\nmodel = nn.Linear(20, 2); opt = torch.optim.Adam(model.parameters()); X = torch.rand(800, 20)',
      'def train(model, opt, epochs):\n    for epoch in range(epochs):\n        for i in range(0, 800, 64):\n            model(X[i:i+64]).sum().backward(); opt.step(); opt.zero_grad()',
      '%time train(model, opt, 30)',
    ];
    const nb = JSON.stringify({ nbformat: 4, nbformat_minor: 5, metadata: {}, cells: cells.map((c) => ({ cell_type: 'code', metadata: {}, source: c, outputs: [], execution_count: null })) });
    const a = analyze({ text: readNotebook(nb).cells.join('\n\n'), file: 'nb.ipynb' });
    expect(a.run.mode).toBe('train');
    expect(a.run.steps).toBe(30 * 13);
    expect(a.step.batch).toBe(64);
  });
});

describe('configs built from an in-script dict', () => {
  it('RobertaConfig.from_dict({...}) sizes the model from the dict (not RoBERTa base)', () => {
    const a = run(`from transformers import RobertaConfig, RobertaModel
import torch
h_dim, layers = 256, 6
cfg = RobertaConfig.from_dict({"hidden_size": h_dim, "num_hidden_layers": layers, "num_attention_heads": 8,
                               "intermediate_size": 512, "vocab_size": 50265, "max_position_embeddings": 514})
model = RobertaModel(cfg)
out = model(torch.randint(0, 50265, (8, 512)))
`);
    // Embeddings 50265·256 + 514·256 + 256 + LN, 6 layers of 4·256² + 2·256·512 (+ biases, LNs), pooler 256².
    expect(a.model.params).toBeGreaterThan(16.0e6);
    expect(a.model.params).toBeLessThan(16.5e6);
    expect(a.problems.some((p) => p.code === 'config-model' && /6 layers, hidden 256/.test(p.message))).toBe(true);
  });
});

describe('hub families: mT5 / mT0', () => {
  it('bigscience/mt0-large is mT5-large; with LoRA r=8 on q,v it has the 1,231,940,608 parameters PEFT prints', () => check(`from transformers import AutoModelForSeq2SeqLM
from peft import get_peft_model, LoraConfig
model = AutoModelForSeq2SeqLM.from_pretrained("bigscience/mt0-large")
model = get_peft_model(model, LoraConfig(r=8, lora_alpha=32))`, 'params(model) = 1231940608'));
});
