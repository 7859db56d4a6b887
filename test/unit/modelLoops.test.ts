/**
 * Shapes inside real models (issue 14, causes 1/2/9): a model whose forward runs a decoder loop one token per call
 * over the target's length, fed by a DataLoader whose script collate_fn pads sequences FlopLens cannot see; an
 * embedding whose vocabulary is built from data keeps its output's shape.
 */
import { describe, expect, it } from 'vitest';
import { analyze } from '../../src/core/analyze';
import { facts } from './snippetCheck';

/** A seq2seq training loop in the style of the torchtext-era tutorials: Hugging Face data, a vocabulary from data. */
const SEQ2SEQ = `
import random
import torch
import torch.nn as nn
import datasets
import torchtext
# floplens: seq=20
data = datasets.load_dataset("bentrevett/multi30k")
train_data = data["train"].map(tokenize_example)
vocab = torchtext.vocab.build_vocab_from_iterator(train_data["en_tokens"], min_freq=2)
train_data = train_data.with_format(type="torch", columns=["en_ids", "de_ids"])

def get_collate_fn(pad_index):
    def collate_fn(batch):
        batch_en_ids = [example["en_ids"] for example in batch]
        batch_de_ids = [example["de_ids"] for example in batch]
        batch_en_ids = nn.utils.rnn.pad_sequence(batch_en_ids, padding_value=pad_index)
        batch_de_ids = nn.utils.rnn.pad_sequence(batch_de_ids, padding_value=pad_index)
        return {"en_ids": batch_en_ids, "de_ids": batch_de_ids}
    return collate_fn

loader = torch.utils.data.DataLoader(train_data, batch_size=64, collate_fn=get_collate_fn(1), shuffle=True)

class Encoder(nn.Module):
    def __init__(self, vocab, emb, hid):
        super().__init__()
        self.embedding = nn.Embedding(vocab, emb)
        self.rnn = nn.GRU(emb, hid)
    def forward(self, src):
        outputs, hidden = self.rnn(self.embedding(src))
        return hidden

class Decoder(nn.Module):
    def __init__(self, vocab, emb, hid):
        super().__init__()
        self.embedding = nn.Embedding(vocab, emb)
        self.rnn = nn.GRU(emb, hid)
        self.fc_out = nn.Linear(hid, 1000)
    def forward(self, input, hidden):
        input = input.unsqueeze(0)
        output, hidden = self.rnn(self.embedding(input), hidden)
        return self.fc_out(output.squeeze(0)), hidden

class Seq2Seq(nn.Module):
    def __init__(self, encoder, decoder):
        super().__init__()
        self.encoder = encoder
        self.decoder = decoder
    def forward(self, src, trg, teacher_forcing_ratio):
        trg_length = trg.shape[0]
        outputs = torch.zeros(trg_length, trg.shape[1], 1000)
        hidden = self.encoder(src)
        input = trg[0, :]
        for t in range(1, trg_length):
            output, hidden = self.decoder(input, hidden)
            outputs[t] = output
            top1 = output.argmax(1)
            input = trg[t] if random.random() < teacher_forcing_ratio else top1
        return outputs

model = Seq2Seq(Encoder(len(vocab), 32, 64), Decoder(len(vocab), 32, 64))
optimizer = torch.optim.Adam(model.parameters())
criterion = nn.CrossEntropyLoss()
for epoch in range(3):
    for batch in loader:
        src = batch["de_ids"]
        trg = batch["en_ids"]
        optimizer.zero_grad()
        output = model(src, trg, 0.5)
        loss = criterion(output[1:].view(-1, 1000), trg[1:].view(-1))
        loss.backward()
        optimizer.step()
`;

describe('a decoder loop inside forward', () => {
  const a = analyze({ text: SEQ2SEQ, file: 's2s.py' });
  const decoder = a.ops.filter((o) => o.name === 'model.decoder.fc_out');

  it('runs the decoder once per target token after the first, each call on one token of the batch', () => {
    // [seq 20, batch 64] targets: 19 decoder calls, each fc_out on [64, 64] -> [64, 1000].
    expect(decoder.reduce((n, o) => n + o.count, 0)).toBe(19);
    for (const o of decoder) expect(o.outputShape).toEqual([64, 1000]);
    const rnn = a.ops.filter((o) => o.name === 'model.decoder.rnn' && o.kind === 'gru');
    expect(rnn.length).toBe(19);
    for (const o of rnn) expect(o.outputShape).toEqual([1, 64, 64]);
    // The encoder reads the whole padded source, sequence first.
    expect(a.ops.find((o) => o.name === 'model.encoder.rnn' && o.kind === 'gru')?.outputShape).toEqual([20, 64, 64]);
  });

  it('takes the batch from the loader, the padded length from the directive, and says how it padded', () => {
    expect(a.step.batch).toBe(64);
    expect(a.step.seqLen).toBe(20);
    expect(a.problems.some((p) => p.code === 'data-dependent' && /pad_sequence of 64 sequences/.test(p.message))).toBe(true);
    // Traced from the collated batch, not guessed from the first layer.
    expect(a.problems.some((p) => p.code === 'shape-fallback')).toBe(false);
  });

  it('sizes the run from Multi30k (29,000 training pairs) under its hub id', () => {
    // 3 epochs x ceil(29,000 / 64) = 3 x 454.
    expect(a.run.steps).toBe(1362);
  });

  it('without a seq directive, pads to the catalog sample length of the dataset being collated, said', () => {
    const b = analyze({ text: SEQ2SEQ.replace('# floplens: seq=20\n', 'max_length = 1_000\n'), file: 's2s.py' });
    const note = b.problems.find((p) => p.code === 'data-dependent' && /pad_sequence/.test(p.message))?.message ?? '';
    expect(note).toMatch(/taken as 32 tokens \(Multi30k's sample length/);
    expect(b.ops.filter((o) => o.name === 'model.decoder.fc_out').reduce((n, o) => n + o.count, 0)).toBe(31);
  });
});

describe('collate functions and padding of sequences FlopLens cannot see', () => {
  it('pad_sequence of untraced sequences keeps the count and the layout; batch_first puts it first', () => {
    // The padded length is the sequence length of the analysis (128 in these snippets), as a seq directive sets it.
    expect(facts(`
import torch
from torch.nn.utils.rnn import pad_sequence
seqs = [torch.tensor(ids) for ids in unknown_lists[:8]]
items = [row["ids"] for row in rows[:8]]
a = pad_sequence(items)
b = pad_sequence(items, batch_first=True)
`, ['a', 'b'])).toBe('a = tensor[128, 8] int8\nb = tensor[8, 128] int8');
  });

  it('a known sequence among them is padded by its shape, never replaced by the guess', () => {
    expect(facts(`
import torch
from torch.nn.utils.rnn import pad_sequence
a = pad_sequence([torch.zeros(5), torch.zeros(7)], batch_first=True)
`, ['a'])).toBe('a = tensor[2, 7]');
  });
});

describe('an embedding of a vocabulary built from data', () => {
  it('keeps the output shape [*, d] while the table size is unknown', () => {
    expect(facts(`
import torch
import torch.nn as nn
emb = nn.Embedding(len(vocab_from_data), 16)
x = torch.zeros(4, 10, dtype=torch.long)
y = emb(x)
`, ['y'])).toBe('y = tensor[4, 10, 16]');
  });
});

/** A subprocess vector env in the style of baselines' SubprocVecEnv: observations come back through Pipes. */
const PIPED_ENVS = `
import gym
import numpy as np
import torch
import torch.multiprocessing as mp

def worker(worker_id, master_end, worker_end):
    master_end.close()
    env = gym.make('CartPole-v1')
    while True:
        cmd, data = worker_end.recv()
        if cmd == 'step':
            ob, reward, done, info = env.step(data)
            if done:
                ob = env.reset()
            worker_end.send((ob, reward, done, info))
        elif cmd == 'reset':
            ob = env.reset()
            worker_end.send(ob)
        elif cmd == 'close':
            worker_end.close()
            break

class ParallelEnv:
    def __init__(self, n):
        master_ends, worker_ends = zip(*[mp.Pipe() for _ in range(n)])
        self.master_ends = master_ends
        for worker_id, (master_end, worker_end) in enumerate(zip(master_ends, worker_ends)):
            p = mp.Process(target=worker, args=(worker_id, master_end, worker_end))
            p.daemon = True
            p.start()
    def reset(self):
        for master_end in self.master_ends:
            master_end.send(('reset', None))
        return np.stack([master_end.recv() for master_end in self.master_ends])
    def step(self, actions):
        for master_end, action in zip(self.master_ends, actions):
            master_end.send(('step', action))
        results = [master_end.recv() for master_end in self.master_ends]
        obs, rews, dones, infos = zip(*results)
        return np.stack(obs), np.stack(rews), np.stack(dones), infos

envs = ParallelEnv(3)
s = envs.reset()
s2, r, d, i = envs.step([0, 1, 0])
x = torch.from_numpy(s2).float()
`;

describe('worker processes behind a multiprocessing Pipe', () => {
  it("a recv() on the main end is the worker's reply to the request sent: observations of the env it made", () => {
    expect(facts(PIPED_ENVS, ['s', 's2', 'x'])).toBe('s = tensor[3, 4] fp32\ns2 = tensor[3, 4] fp32\nx = tensor[3, 4] fp32');
  });

  it('a worker that never answers, or an end no worker serves, gives unknown (never a stale guess)', () => {
    expect(facts(`
import multiprocessing as mp
def silent(conn):
    conn.recv()
a, b = mp.Pipe()
mp.Process(target=silent, args=(b,)).start()
a.send(1)
y = a.recv()
c, d = mp.Pipe()
z = c.recv()
`, ['y', 'z'])).toBe('y = unknown\nz = unknown');
  });

  it('the model fed by the piped observations is traced at the envs batch, its rollout loop marked', () => {
    const a = analyze({ text: `${PIPED_ENVS}
import torch.nn as nn
model = nn.Linear(4, 2)
opt = torch.optim.Adam(model.parameters())
s = envs.reset()
for update in range(100):
    for _ in range(5):
        logits = model(torch.from_numpy(s).float())
        s, r, d, i = envs.step([0, 1, 0])
    loss = model(torch.from_numpy(s).float()).sum()
    opt.zero_grad()
    loss.backward()
    opt.step()
`, file: 'a2c.py' });
    const lin = a.ops.filter((o) => o.kind === 'linear');
    expect(lin.length).toBeGreaterThan(0);
    for (const o of lin) expect(o.outputShape).toEqual([3, 2]);
    expect(a.problems.some((p) => p.code === 'shape-fallback')).toBe(false);
  });
});

describe('an old gym env.reset() used as an array', () => {
  it('is the observation (gym < 0.26 returned it alone); unpacked, it is the new API pair', () => {
    expect(facts(`
import gym
import numpy as np
import torch
env = gym.make('CartPole-v1')
s = env.reset()
a = torch.from_numpy(s).float()
b = torch.tensor(env.reset())
c = np.stack([env.reset(), env.reset()])
o, info = env.reset()
`, ['a', 'b', 'c', 'o'])).toBe('a = tensor[4] fp32\nb = tensor[4] fp32\nc = tensor[2, 4] fp32\no = tensor[4] fp32');
  });
});

describe('literal prompts through a tokenizer', () => {
  it("are counted in BPE pieces (one per word or punctuation run) and a start token, padded to the batch's longest", () => {
    const a = analyze({ text: `
import torch
from transformers import AutoModelForCausalLM, AutoTokenizer
model = AutoModelForCausalLM.from_pretrained("gpt2")
tokenizer = AutoTokenizer.from_pretrained("gpt2")
prompts = ("I would like to", "I really like to", "The weather is pretty")
inputs = tokenizer(prompts, return_tensors="pt", padding=True)
with torch.no_grad():
    output = model(**inputs)
`, file: 'prompts.py' });
    // 4 pieces each (not ceil(21 / 4) = 6 by characters) and a start token.
    expect(a.step.seqLen).toBe(5);
    expect(a.step.batch).toBe(3);
    expect(a.problems.find((p) => p.code === 'prompt-estimate')?.message).toMatch(/≈5 tokens \(one per word or punctuation run.*prompt=N/);
  });
});

/** Rows packed to a fixed length by the script's own Dataset (llama-recipes' ConcatDataset style). */
const PACKED = `
import torch
from torch.utils.data import Dataset
from transformers import default_data_collator
class ConcatDataset(Dataset):
    def __init__(self, dataset, chunk_size=4096):
        self.dataset = dataset
        self.chunk_size = chunk_size
        self.samples = []
        buffer = {"input_ids": [], "attention_mask": [], "labels": []}
        for sample in self.dataset:
            buffer = {k: v + sample[k] for k, v in buffer.items()}
            while len(next(iter(buffer.values()))) > self.chunk_size:
                self.samples.append({k: v[:self.chunk_size] for k, v in buffer.items()})
                buffer = {k: v[self.chunk_size:] for k, v in buffer.items()}
    def __getitem__(self, idx):
        return self.samples[idx]
    def __len__(self):
        return len(self.samples)
ds = ConcatDataset(get_tokenized_rows(), chunk_size=2048)
dl = torch.utils.data.DataLoader(ds, batch_size=4, collate_fn=default_data_collator, drop_last=True)
for batch in dl:
    b = batch
    break
`;

describe('rows packed to a fixed length by a script Dataset', () => {
  it('a while loop whose condition the data decides is walked once, so the packed rows exist and are chunk long', () => {
    expect(facts(PACKED, ['b'])).toBe('b = {"input_ids": tensor[4, 2048] int8, "attention_mask": tensor[4, 2048] int8, "labels": tensor[4, 2048] int8}');
  });
  it('a stacking collator makes [batch, L] of list fields; a field that is not a row of ids is left as it was', () => {
    expect(facts(`
import torch
from transformers import default_data_collator
class Rows(torch.utils.data.Dataset):
    def __len__(self):
        return 100
    def __getitem__(self, i):
        return {"input_ids": [0] * 16, "label": torch.tensor(1)}
dl = torch.utils.data.DataLoader(Rows(), batch_size=8, collate_fn=default_data_collator)
for batch in dl:
    b = batch
    break
`, ['b'])).toBe('b = {"input_ids": tensor[8, 16] int8, "label": tensor[8]}');
  });
});

describe('config registries and configs named by directive', () => {
  it('inspect.getmembers of a local module is its (name, value) pairs: a config class picked by name is built', () => {
    const a = analyze({
      text: `
import inspect
import torch
import torch.nn as nn
import configs
name = "small_model"
cfg = {k: v for k, v in inspect.getmembers(configs)}[name]()
model = nn.Linear(cfg.width, 10)
with torch.no_grad():
    model(torch.zeros(2, cfg.width))
`,
      file: 'registry.py',
      modules: [{ name: 'configs', path: 'configs.py', text: 'class small_model:\n    width = 24\nclass big_model:\n    width = 4096\n' }],
    });
    expect(a.model.params).toBe(24 * 10 + 10);
  });

  it('AutoConfig.from_pretrained(a path) is the model= directive\'s config, so `if config.model_type == "llama":` is decided', () => {
    const a = analyze({ text: `
# floplens: model=meta-llama/Llama-3.1-8B
import torch
from transformers import AutoConfig, LlamaForCausalLM, MllamaForConditionalGeneration
config = AutoConfig.from_pretrained("PATH/to/Model")
if config.model_type == "mllama":
    is_vision = True
    model = MllamaForConditionalGeneration.from_pretrained("PATH/to/Model")
elif config.model_type == "llama":
    is_vision = False
    model = LlamaForCausalLM.from_pretrained("PATH/to/Model")
x = torch.zeros(1, 16 if not is_vision else 32, dtype=torch.long)
with torch.no_grad():
    model(x)
`, file: 'cfg.py' });
    expect(a.step.seqLen).toBe(16);
  });
});

describe("an RL update's batch", () => {
  it('is the trained call\'s (the last with gradients before backward), not a bootstrap value computed first and detached', () => {
    const a = analyze({ text: `
import gym
import numpy as np
import torch
import torch.nn as nn
envs = gym.vector.make('CartPole-v1', num_envs=3)
v = nn.Linear(4, 1)
opt = torch.optim.Adam(v.parameters())
s, _ = envs.reset()
for update in range(1000):
    s_lst = []
    for _ in range(5):
        with torch.no_grad():
            v(torch.from_numpy(s).float())
        s_lst.append(s)
        s, r, term, trunc, info = envs.step(envs.action_space.sample())
    v_final = v(torch.from_numpy(s).float()).detach()
    s_vec = torch.tensor(np.array(s_lst)).float().reshape(-1, 4)
    loss = v(s_vec).pow(2).mean()
    opt.zero_grad()
    loss.backward()
    opt.step()
`, file: 'a2c.py' });
    // 5 steps x 3 envs = 15 observations in the update (the bootstrap v(s_final) sees the 3 envs' last ones).
    expect(a.step.batch).toBe(15);
  });
});
