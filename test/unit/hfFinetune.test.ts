/**
 * LLM fine-tuning scripts read right (issue 14): the sequence length followed from tokenizer calls through
 * `dataset.map(fn)`, collators and loaders; TRL configs' defaults; DPO's reference model and pairwise batches; decoder
 * LMs loaded for sequence classification; encoder–decoder label lengths; hub datasets named by `hf://` data files;
 * f-strings. One construct per test.
 */
import { describe, expect, it } from 'vitest';
import { analyze } from '../../src/core/analyze';
import { check } from './snippetCheck';

const run = (text: string, overrides?: Record<string, string>) => analyze({ text, file: 'snippet.py', ...(overrides ? { settings: { overrides } } : {}) });
const seqNote = (a: ReturnType<typeof run>) => a.assumptions.find((x) => x.name === 'seq')?.note ?? '';

/** A Trainer fed by a dataset mapped through `fn_body` (a function of one example that tokenizes). */
const TRAINER = (fnBody: string) => `import transformers
from datasets import load_dataset
from transformers import AutoModelForCausalLM, AutoTokenizer
model = AutoModelForCausalLM.from_pretrained("Qwen/Qwen2-0.5B")
tokenizer = AutoTokenizer.from_pretrained("Qwen/Qwen2-0.5B")
cutoff_len = 256
def tokenize(example):
${fnBody}
data = load_dataset("yahma/alpaca-cleaned")
train_data = data["train"].shuffle().map(tokenize)
trainer = transformers.Trainer(model=model, train_dataset=train_data,
    args=transformers.TrainingArguments(per_device_train_batch_size=4, num_train_epochs=1, output_dir="out"))
trainer.train()
`;

describe('sequence length from the tokenizer calls of a mapped function', () => {
  it('truncation=True with max_length caps the samples: the Trainer runs at that length, stated as a cap', () => {
    const a = run(TRAINER('    return tokenizer(example["text"], truncation=True, max_length=cutoff_len, padding=False)'));
    expect(a.step.seqLen).toBe(256);
    expect(seqNote(a)).toMatch(/truncates samples at max_length=256.*cap/);
  });
  it('padding="max_length" pads every sample to max_length', () => {
    const a = run(TRAINER('    return tokenizer(example["text"], padding="max_length", max_length=96)'));
    expect(a.step.seqLen).toBe(96);
    expect(seqNote(a)).toMatch(/pads every sample to max_length=96/);
  });
  it('a tokenizer call that fixes no length leaves the sequence a stated fallback', () => {
    const a = run(TRAINER('    return tokenizer(example["text"])'));
    expect(a.problems.some((p) => p.code === 'shape-fallback' && /Sequence length of the training samples not visible/.test(p.message))).toBe(true);
  });
  it('token lists padded and cut by a named length (`[pad] * (max_length - len(ids)) + ids`, `[:max_length]`) give that length', () => {
    const a = run(`import torch
from datasets import load_dataset
from torch.utils.data import DataLoader
from transformers import AutoModelForCausalLM, AutoTokenizer, default_data_collator
def main():
    max_length = 64
    tokenizer = AutoTokenizer.from_pretrained("Qwen/Qwen2-0.5B")
    dataset = load_dataset("imdb")
    def preprocess(examples):
        out = tokenizer(examples["text"])
        for i in range(len(examples["text"])):
            ids = out["input_ids"][i]
            out["input_ids"][i] = torch.tensor(([tokenizer.pad_token_id] * (max_length - len(ids)) + ids)[:max_length])
        return out
    train = dataset.map(preprocess, batched=True)["train"]
    loader = DataLoader(train, batch_size=8, collate_fn=default_data_collator)
    model = AutoModelForCausalLM.from_pretrained("Qwen/Qwen2-0.5B")
    opt = torch.optim.AdamW(model.parameters())
    for batch in loader:
        loss = model(**batch).loss
        loss.backward()
        opt.step()
main()
`);
    expect(a.step.batch).toBe(8);
    expect(a.step.seqLen).toBe(64);
    expect(a.run.steps).toBe(Math.ceil(25_000 / 8));
  });
});

describe('collators and loaders over tokenized datasets', () => {
  const SEQ2SEQ = `import torch
from datasets import load_dataset
from torch.utils.data import DataLoader
from transformers import AutoModelForSeq2SeqLM, AutoTokenizer, default_data_collator
tokenizer = AutoTokenizer.from_pretrained("google/flan-t5-base")
model = AutoModelForSeq2SeqLM.from_pretrained("google/flan-t5-base")
dataset = load_dataset("imdb")["train"].train_test_split(test_size=0.1)
def preprocess(examples):
    model_inputs = tokenizer(examples["text"], max_length=128, padding="max_length", truncation=True, return_tensors="pt")
    labels = tokenizer(examples["label"], max_length=3, padding="max_length", truncation=True, return_tensors="pt")
    model_inputs["labels"] = labels["input_ids"]
    return model_inputs
processed = dataset.map(preprocess, batched=True)
loader = DataLoader(processed["train"], batch_size=8, collate_fn=default_data_collator)
opt = torch.optim.AdamW(model.parameters())
for epoch in range(2):
    for batch in loader:
        batch = {k: v.to("cuda") for k, v in batch.items()}
        loss = model(**batch).loss
        loss.backward()
        opt.step()
`;
  it('default_data_collator stacks the mapped fields: token ids of the input length, labels of theirs', () => check(`from datasets import load_dataset
from torch.utils.data import DataLoader
from transformers import AutoTokenizer, default_data_collator
tok = AutoTokenizer.from_pretrained("google/flan-t5-base")
def pre(ex):
    enc = tok(ex["text"], max_length=128, padding="max_length", truncation=True, return_tensors="pt")
    enc["labels"] = tok(ex["y"], max_length=3, padding="max_length", truncation=True, return_tensors="pt")["input_ids"]
    return enc
ds = load_dataset("imdb")["train"].map(pre, batched=True)
for b in DataLoader(ds, batch_size=8, collate_fn=default_data_collator):
    x = b
    break`, 'x = {"input_ids": tensor[8, 128] int8, "attention_mask": tensor[8, 128] int8, "labels": tensor[8, 3] int8}'));
  it('an encoder–decoder model runs its decoder at the labels\' length, not the input\'s', () => {
    const a = run(SEQ2SEQ);
    const short = a.step.forwardFlops;
    const long = run(SEQ2SEQ.replace('max_length=3,', 'max_length=128,')).step.forwardFlops;
    expect(a.step.seqLen).toBe(128);
    expect(short).toBeLessThan(long * 0.7);
  });
  it('train_test_split gives a DatasetDict: .map(fn) maps every split and ["train"] keeps its size', () => {
    const a = run(SEQ2SEQ);
    expect(a.run.steps).toBe(2 * Math.ceil(22_500 / 8));
  });
});

describe('TRL trainers: config defaults, pairs and the reference model', () => {
  const trl = (cls: string, extra = '', args = 'per_device_train_batch_size=2, max_steps=100') => run(`from trl import ${cls}Trainer, ${cls}Config
from transformers import AutoModelForCausalLM
model = AutoModelForCausalLM.from_pretrained("Qwen/Qwen2-0.5B-Instruct")
${cls}Trainer(model=model, args=${cls}Config(${args})${extra}).train()
`);
  it('without max_length, SFT/DPO/Reward trainers cap samples at TRL\'s default 1024, stated', () => {
    for (const cls of ['SFT', 'DPO', 'Reward']) {
      const a = trl(cls);
      expect(a.step.seqLen).toBe(1024);
      expect(seqNote(a)).toMatch(new RegExp(`TRL's ${cls}Config default max_length=1024`));
    }
  });
  it('max_length= in the config wins over the default', () => {
    expect(trl('SFT', '', 'per_device_train_batch_size=2, max_steps=100, max_length=300').step.seqLen).toBe(300);
  });
  it('DPO without ref_model or PEFT: the reference is a frozen copy, so the weights count twice and train once', () => {
    const a = trl('DPO');
    expect(a.model.params).toBe(2 * 494_032_768);
    expect(a.model.trainableParams).toBe(494_032_768);
    expect(a.problems.some((p) => p.code === 'reference-model')).toBe(true);
  });
  it('DPO with a PEFT adapter: the reference is the same model with the adapter off (no second copy)', () => {
    const a = trl('DPO', ', peft_config=LoraConfig(r=8)').model.params;
    const b = run(`from trl import DPOTrainer, DPOConfig
from peft import LoraConfig
from transformers import AutoModelForCausalLM
model = AutoModelForCausalLM.from_pretrained("Qwen/Qwen2-0.5B-Instruct")
DPOTrainer(model=model, args=DPOConfig(per_device_train_batch_size=2, max_steps=100), peft_config=LoraConfig(r=8)).train()
`).model.params;
    expect(a).toBeLessThan(2 * 494_032_768);
    expect(b).toBeLessThan(1.01 * 494_032_768);
  });
  it('the batch directive is the per-device batch of pairs: a pairwise trainer runs twice as many sequences', () => {
    const a = trl('DPO', '', 'max_steps=100');
    expect(a.step.batch).toBe(16);
    const d = run(`from trl import RewardTrainer, RewardConfig
from transformers import AutoModelForSequenceClassification
model = AutoModelForSequenceClassification.from_pretrained("Qwen/Qwen2-0.5B-Instruct", num_labels=1)
RewardTrainer(model=model, args=RewardConfig(output_dir="o")).train()
`, { batch: '4', epochs: '1', dataset: 'trl-lib/ultrafeedback_binarized' });
    expect(d.step.batch).toBe(8);
    // Steps count loader batches of 4 pairs: 62,135 pairs / 4.
    expect(d.run.steps).toBe(Math.ceil(62_135 / 4));
  });
  it("TRL's get_peft_config(model_args) is None unless use_peft is set", () => check(`from trl import get_peft_config
class A:
    use_peft = False
p = get_peft_config(A())`, 'p = None'));
});

describe("a script's own collator and LoRA targets built from the model", () => {
  it('a tokenizer call without return_tensors gives Python lists: one text a flat list, several a list of lists', () => check(`from transformers import AutoTokenizer
tok = AutoTokenizer.from_pretrained("gpt2")
one = tok("some text", truncation=True, max_length=4)["input_ids"]
two = tok(["a", "b"], truncation=True, max_length=2)["input_ids"]
both = one + one`, 'one = [0, 0, 0, 0]\ntwo = [[0, 0], [0, 0]]\nboth = [0, 0, 0, 0, 0, 0, 0, 0]'));
  it("data_collator= of the script's own: the Trainer runs at the input_ids length it builds (prompt cap + answer cap)", () => {
    const a = run(`import torch, transformers
from dataclasses import dataclass
from torch.nn.utils.rnn import pad_sequence
from transformers import AutoModelForCausalLM, AutoTokenizer
tokenizer = AutoTokenizer.from_pretrained("Qwen/Qwen2-0.5B")
@dataclass
class Collator:
    source_max_len: int
    target_max_len: int
    def __call__(self, instances):
        sources = [f"{tokenizer.bos_token}{ex['input']}" for ex in instances]
        targets = [f"{ex['output']}{tokenizer.eos_token}" for ex in instances]
        src = tokenizer(sources, max_length=self.source_max_len, truncation=True)
        tgt = tokenizer(targets, max_length=self.target_max_len, truncation=True)
        ids = [torch.tensor(s + t) for s, t in zip(src["input_ids"], tgt["input_ids"])]
        ids = pad_sequence(ids, batch_first=True, padding_value=0)
        return {"input_ids": ids, "labels": ids}
model = AutoModelForCausalLM.from_pretrained("Qwen/Qwen2-0.5B")
trainer = transformers.Trainer(model=model, data_collator=Collator(source_max_len=384, target_max_len=128),
    args=transformers.TrainingArguments(output_dir="o", per_device_train_batch_size=1, max_steps=10))
trainer.train()
`);
    expect(a.step.seqLen).toBe(512);
    expect(seqNote(a)).toMatch(/data_collator builds input_ids of 512 tokens/);
  });
  it('target_modules built from the model\'s modules in a loop (an empty list here) is every linear layer but the head, stated', () => {
    const script = `from transformers import AutoModelForCausalLM
from peft import LoraConfig, get_peft_model
model = AutoModelForCausalLM.from_pretrained("Qwen/Qwen2-0.5B")
def find_all_linear_names(model):
    names = set()
    for name, module in model.named_modules():
        if "Linear" in str(type(module)):
            names.add(name.split('.')[-1])
    names.discard("lm_head")
    return list(names)
model = get_peft_model(model, LoraConfig(r=8, target_modules=find_all_linear_names(model)))`;
    // LoRA r=8 on q, k, v, o, gate, up, down of 24 layers (hidden 896, kv 128, ffn 4864).
    const perLayer = 8 * ((896 + 896) + (896 + 128) * 2 + (896 + 896) + (896 + 4864) * 2 + (4864 + 896));
    check(script, `params(model) = ${494_032_768 + 24 * perLayer}`);
    expect(run(script).problems.some((p) => p.code === 'lora-targets')).toBe(true);
  });
});

describe('a decoder LM loaded for sequence classification', () => {
  it('num_labels=1 replaces the LM head with a score head of hidden × 1 (no vocabulary projection)', () => {
    const cls = run(`from transformers import AutoModelForSequenceClassification
import torch
model = AutoModelForSequenceClassification.from_pretrained("Qwen/Qwen2-0.5B-Instruct", num_labels=1)
out = model(torch.zeros(4, 128, dtype=torch.long))
`);
    const lm = run(`from transformers import AutoModelForCausalLM
import torch
model = AutoModelForCausalLM.from_pretrained("Qwen/Qwen2-0.5B-Instruct")
out = model(torch.zeros(4, 128, dtype=torch.long))
`);
    expect(cls.model.params).toBe(494_032_768 + 896);
    const vocabHead = 2 * 4 * 128 * 896 * 151_936;
    expect(lm.step.forwardFlops - cls.step.forwardFlops).toBeCloseTo(vocabHead - 2 * 4 * 128 * 896, -6);
  });
});

describe('hub datasets and their sizes', () => {
  it('load_dataset("parquet", data_files="hf://datasets/<owner>/<name>@refs/convert/parquet/<config>/…") is that hub dataset', () => {
    const a = run(`import torch
from datasets import load_dataset
from torch.utils.data import DataLoader
cfg = "twitter_complaints"
ds = load_dataset("parquet", data_files={"train": f"hf://datasets/ought/raft@refs/convert/parquet/{cfg}/train/0000.parquet"})
loader = DataLoader(ds["train"], batch_size=8)
model = torch.nn.Linear(4, 2)
opt = torch.optim.SGD(model.parameters(), lr=0.1)
for epoch in range(20):
    for b in loader:
        loss = model(torch.randn(8, 4)).sum()
        loss.backward()
        opt.step()
`);
    expect(a.run.datasetSize).toBe(50);
    expect(a.run.steps).toBe(20 * 7);
  });
  it('a dataset named on the command line is said so, never "[object Object]"', () => {
    const a = run(`import sys
from datasets import load_dataset
ds = load_dataset(sys.argv[1])
`);
    const msg = a.problems.find((p) => p.code === 'dataset')?.message ?? '';
    expect(msg).toMatch(/name is not visible statically/);
    expect(msg).not.toMatch(/object Object/);
  });
});

describe('f-strings', () => {
  it('an f-string of known values is that text', () => check(`name = "raft"
n = 3
ok = True
s = f"hf://datasets/{name}/{n}-{ok}-{{x}}"
t = rf'{name}\\d'`, 's = "hf://datasets/raft/3-True-{x}"\nt = "raft\\\\d"'));
  it('an f-string with an unknown value or a format spec stays unknown', () => check(`import sys
a = f"{sys.argv[1]}"
b = f"{3.14159:.2f}"`, 'a = unknown (f-string)\nb = unknown (f-string)'));
});

describe('the shape of a training run is that of its training calls', () => {
  it('generate() in an evaluation after training does not replace the training batch and sequence', () => {
    const a = run(`import torch
from transformers import AutoModelForCausalLM
model = AutoModelForCausalLM.from_pretrained("Qwen/Qwen2-0.5B")
opt = torch.optim.AdamW(model.parameters())
for epoch in range(2):
    for step in range(10):
        loss = model(torch.zeros(8, 64, dtype=torch.long), labels=torch.zeros(8, 64, dtype=torch.long)).loss
        loss.backward()
        opt.step()
    with torch.no_grad():
        model.generate(torch.zeros(1, 16, dtype=torch.long), max_new_tokens=10)
`);
    expect(a.step.batch).toBe(8);
    expect(a.step.seqLen).toBe(64);
  });
});

describe('models and loops of pretraining scripts', () => {
  it("a class of the script's own derived from a transformers *PreTrainedModel is a module: its forward is traced", () => {
    const a = run(`import torch
from transformers import RobertaConfig, RobertaModel, RobertaPreTrainedModel
class MLM(RobertaPreTrainedModel):
    def __init__(self, config, encoder):
        super().__init__(config)
        self.encoder = encoder
        self.head = torch.nn.Linear(config.hidden_size, 10)
    def forward(self, src_tokens):
        out = self.encoder(input_ids=src_tokens)
        return self.head(out.last_hidden_state)
config = RobertaConfig.from_dict({"hidden_size": 256, "num_hidden_layers": 2, "num_attention_heads": 4, "intermediate_size": 512, "vocab_size": 1000, "max_position_embeddings": 514})
model = MLM(config, RobertaModel(config))
opt = torch.optim.Adam(model.parameters())
loss = model(torch.zeros(8, 128, dtype=torch.long)).sum()
loss.backward()
opt.step()
`);
    expect(a.step.forwardFlops).toBeGreaterThan(2 * 8 * 128 * 2 * (4 * 256 * 256 + 2 * 256 * 512));
    expect(a.step.batch).toBe(8);
  });
  it('`for step, batch in enumerate(endless_iterator, start=1): if step >= N: break` runs N - 1 steps; an unknown start is a fresh run', () => {
    const loop = (start: string) => run(`import torch
class Forever:
    def __init__(self, it):
        self.it = it
    def __iter__(self):
        return self
    def __next__(self):
        return next(iter(self.it))
def train(num_iterations=500, start_step=${start}):
    model = torch.nn.Linear(4, 2)
    opt = torch.optim.SGD(model.parameters(), lr=0.1)
    for step, batch in enumerate(Forever([torch.randn(8, 4)]), start=start_step):
        if step >= num_iterations:
            break
        model(batch).sum().backward()
        opt.step()
train()
`);
    expect(loop('1').run.steps).toBe(499);
    const resumed = loop('int(open("ckpt").read())');
    expect(resumed.run.steps).toBe(500);
    expect(resumed.assumptions.find((x) => x.name === 'steps')?.note).toMatch(/start unknown/);
  });
});

describe('LoRA on a fused q/k/v projection', () => {
  // GPT-NeoX (Pythia 12B): hidden 5120, FFN 20480, 36 layers; PEFT's adapter on query_key_value is A 5120×r, B r×15360.
  const base = 11_846_072_320;
  const load = (target: string) => `from transformers import AutoModelForCausalLM
from peft import LoraConfig, get_peft_model
m = get_peft_model(AutoModelForCausalLM.from_pretrained("EleutherAI/pythia-12b"), LoraConfig(r=64, target_modules=${target}))`;
  it('target query_key_value is one adapter per layer: r × (h + 3h)', () => check(load('["query_key_value"]'), `params(m) = ${base + 36 * 64 * (5120 + 3 * 5120)}`));
  it('PEFT\'s default target for the family (no target_modules) is the same fused adapter', () => check(load('None'), `params(m) = ${base + 36 * 64 * (5120 + 3 * 5120)}`));
  it('"all-linear" wraps the fused qkv, the output projection and both MLP layers', () => check(load('"all-linear"'),
    `params(m) = ${base + 36 * 64 * ((5120 + 3 * 5120) + (5120 + 5120) + 2 * (5120 + 20480))}`));
});
