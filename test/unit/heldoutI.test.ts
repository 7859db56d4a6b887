/**
 * Real scripts, held-out corpus group i (issue 14): constructs of RL notebooks and scripts, detection and
 * segmentation training, transformers written from scratch, recommenders and LLM fine-tuning recipes that FlopLens
 * read wrong before it had seen them.
 */
import { describe, expect, it } from 'vitest';
import { check } from './snippetCheck';
import { analyze } from '../../src/core/analyze';
import { cleanCell } from '../../src/core/notebook';

const run = (text: string) => analyze({ text, file: 'snippet.py' });

describe('a subclass of a torch layer is that layer (class TokenEmbedding(nn.Embedding), class L(nn.Linear))', () => {
  const embedding = `import torch
from torch import nn

class TokenEmbedding(nn.Embedding):
    def __init__(self, vocab_size, d_model):
        super(TokenEmbedding, self).__init__(vocab_size, d_model, padding_idx=1)

class PositionalEncoding(nn.Module):
    def __init__(self, d_model, max_len):
        super().__init__()
        self.encoding = torch.zeros(max_len, d_model)
        self.encoding.requires_grad = False

    def forward(self, x):
        batch_size, seq_len = x.size()
        return self.encoding[:seq_len, :]

class Model(nn.Module):
    def __init__(self):
        super().__init__()
        self.tok = TokenEmbedding(1000, 64)
        self.pos = PositionalEncoding(64, 256)
        self.fc = nn.Linear(64, 64)

    def forward(self, x):
        return self.fc(self.tok(x) + self.pos(x))

model = Model()
x = torch.randint(0, 1000, (8, 16))
h = model.tok(x)
y = model(x)
`;

  it('super().__init__(vocab, d) builds the embedding: its parameters count, its output has the batch', () =>
    check(embedding, 'params(model) = 68160\nh = tensor[8, 16, 64]\ny = tensor[8, 16, 64]'));

  it('the step is costed with every token of the batch (before: the sum lost the batch dimension)', () => {
    const r = run(`${embedding}
opt = torch.optim.Adam(model.parameters())
for _ in range(10):
    model(x).sum().backward()
    opt.step()
`);
    expect(r.model.params).toBe(68160);
    expect(r.step.forwardFlops).toBe(2 * 8 * 16 * 64 * 64);
    expect(r.step.batch).toBe(8);
  });

  it('a subclass without __init__ takes the base arguments from the class call; its own forward reads self.weight', () =>
    check(`import torch
import torch.nn as nn
import torch.nn.functional as F

class CastedLinear(nn.Linear):
    def forward(self, x):
        return F.linear(x, self.weight.to(x.dtype))

class Plain(nn.Linear):
    pass

class Head(nn.Linear):
    def __init__(self, a, b):
        super().__init__(a, b, bias=False)
        self.width = self.out_features

    def forward(self, x):
        return super().forward(x) * 2

c, p, h = CastedLinear(64, 32), Plain(16, 4), Head(64, 10)
x = torch.randn(8, 64)
yc, yp, yh = c(x), p(torch.randn(8, 16)), h(x)
w = h.width
`, 'params(c) = 2080\nparams(p) = 68\nparams(h) = 640\nyc = tensor[8, 32]\nyp = tensor[8, 4]\nyh = tensor[8, 10]\nw = 10'));
});

describe("gym wrappers written in the script (the Atari wrappers copied into RL repositories), .unwrapped, old-API reset()", () => {
  const wrappers = `import numpy as np
import gym
from gym import spaces
import torch

class NoopResetEnv(gym.Wrapper):
    def __init__(self, env, noop_max=30):
        gym.Wrapper.__init__(self, env)
        self.noop_max = noop_max

class WarpFrame(gym.ObservationWrapper):
    def __init__(self, env):
        gym.ObservationWrapper.__init__(self, env)
        self.width = 84
        self.height = 84
        self.observation_space = spaces.Box(low=0, high=255, shape=(self.height, self.width, 1), dtype=np.uint8)

class ImageToPyTorch(gym.ObservationWrapper):
    def __init__(self, env):
        super(ImageToPyTorch, self).__init__(env)
        old_shape = self.observation_space.shape
        self.observation_space = gym.spaces.Box(low=0.0, high=1.0, shape=(old_shape[-1], old_shape[0], old_shape[1]), dtype=np.uint8)

env = ImageToPyTorch(WarpFrame(NoopResetEnv(gym.make("PongNoFrameskip-v4"))))
obs_shape = env.observation_space.shape
n_actions = env.action_space.n
state = env.reset()
x = torch.FloatTensor(np.float32(state)).unsqueeze(0)
cart = gym.make("CartPole-v0").unwrapped
cart.seed(1)
n_state = cart.observation_space.shape[0]
n_action = cart.action_space.n
`;
  it('a wrapper has its env spaces until it sets its own (spaces.Box(shape=...)); reset() gives that observation', () =>
    check(wrappers, 'obs_shape = (1, 84, 84)\nn_actions = 6\nx = tensor[1, 1, 84, 84] fp32\nn_state = 4\nn_action = 2'));

  it('the act() forward on one observation is costed at batch 1, the update at its minibatch', () => {
    const r = run(`${wrappers}
import torch.nn as nn
model = nn.Sequential(nn.Conv2d(1, 32, 8, 4), nn.ReLU(), nn.Flatten(), nn.Linear(32 * 20 * 20, n_actions))
opt = torch.optim.Adam(model.parameters())
for frame in range(1000):
    q = model(torch.FloatTensor(np.float32(state)).unsqueeze(0))
    state, reward, done, _ = env.step(0)
    batch = torch.randn(32, *obs_shape)
    loss = model(batch).pow(2).mean()
    opt.zero_grad()
    loss.backward()
    opt.step()
`);
    const perImage = 2 * (20 * 20 * 32 * 64) + 2 * (12800 * 6);
    expect(r.step.forwardFlops).toBe(33 * perImage);
    expect(r.step.batch).toBe(32);
    expect(r.run.steps).toBe(1000);
  });
});

describe('LLM fine-tuning notebooks: a PEFT config handed to the TRL trainer, cell magics of other languages', () => {
  it('SFTTrainer(peft_config=LoraConfig(r=256, target_modules="all-linear")) trains the adapter, as get_peft_model would', () => {
    const r = run(`import torch
from transformers import AutoModelForCausalLM, BitsAndBytesConfig, TrainingArguments
from peft import LoraConfig
from trl import SFTTrainer
bnb = BitsAndBytesConfig(load_in_4bit=True, bnb_4bit_compute_dtype=torch.bfloat16)
model = AutoModelForCausalLM.from_pretrained("meta-llama/Meta-Llama-3.1-8B", quantization_config=bnb)
peft_config = LoraConfig(lora_alpha=128, r=256, target_modules="all-linear", task_type="CAUSAL_LM")
args = TrainingArguments(output_dir="out", num_train_epochs=3, per_device_train_batch_size=1, gradient_accumulation_steps=8)
trainer = SFTTrainer(model=model, args=args, train_dataset=None, peft_config=peft_config, max_seq_length=2048, packing=True)
trainer.train()
`);
    // LoRA r=256 on q, k, v, o, gate, up, down of 32 layers (h 4096, kv 1024, FFN 14336): 256 x 2,621,440 per layer
    const lora = 32 * 256 * ((4096 + 4096) + (4096 + 1024) * 2 + (4096 + 4096) + (4096 + 14336) * 2 + (14336 + 4096));
    expect(r.model.trainableParams).toBe(lora);
    expect(r.model.params).toBe(8030261248 + lora);
  });

  it('a %%bash (or %%writefile, %%html) cell is not Python: blanked whole, line count kept', () => {
    expect(cleanCell('%%bash\nmodel=$(pwd)/out\ndocker run -d --gpus all -e MODEL_ID=/workspace tgi')).toBe('\n\n');
    expect(cleanCell('%%writefile train.py\nimport torch')).toBe('\n');
    expect(cleanCell('%%time\nx = 1')).toBe('\nx = 1');
  });
});

describe('a warm-up gate on a buffer the loop fills: if len(replay_buffer) > batch_size', () => {
  const script = (cond: string) => `import random
import numpy as np
import torch
import torch.nn as nn

class Buffer(object):
    def __init__(self, capacity):
        self.capacity = capacity
        self.buffer = []

    def push(self, state, action, reward):
        if len(self.buffer) < self.capacity:
            self.buffer.append((state, action, reward))

    def sample(self, batch_size):
        batch = random.sample(self.buffer, batch_size)
        return torch.randn(batch_size, 4)

    def __len__(self):
        return len(self.buffer)

model = nn.Linear(4, 2)
opt = torch.optim.Adam(model.parameters())
buf = Buffer(100000)
batch_size = 32
for frame in range(1, 10001):
    buf.push(np.zeros(4), 0, 1.0)
    if ${cond}:
        loss = model(buf.sample(batch_size)).pow(2).mean()
        opt.zero_grad()
        loss.backward()
        opt.step()
`;
  it('the update runs on the passes after the threshold (before: never, so the script was an inference of nothing)', () => {
    const r = run(script('len(buf) > batch_size'));
    expect(r.run.mode).toBe('train');
    expect(r.step.batch).toBe(32);
    expect(r.step.forwardFlops).toBe(2 * 32 * 4 * 2);
    expect(r.run.steps).toBe(10000 - 32);
  });

  it('a length that did not grow in the pass is an ordinary condition', () => {
    const r = run(script('len([1, 2]) > batch_size'));
    expect(r.run.mode).not.toBe('train');
  });
});

describe('a transformer written from scratch fed by an iterator FlopLens cannot see (torchtext legacy BucketIterator)', () => {
  const model = `import torch
import torch.nn as nn
import somelib

pad_idx = somelib.vocab.stoi['<pad>']

class Seq2Seq(nn.Module):
    def __init__(self):
        super().__init__()
        self.src_emb = nn.Embedding(1000, 64)
        self.trg_emb = nn.Embedding(1000, 64)
        self.out = nn.Linear(64, 1000)

    def forward(self, src, trg):
        src_mask = (src != pad_idx).unsqueeze(1).unsqueeze(2)
        memory = self.src_emb(src)
        score = (self.trg_emb(trg) @ memory.transpose(1, 2)).unsqueeze(1)
        score = score.masked_fill(src_mask == 0, -10000).squeeze(1)
        return self.out(score.softmax(-1) @ memory)
`;
  it('(x != pad_idx) with an unknown pad index is a mask of x\'s shape, so the attention keeps its shape', () =>
    check(`${model}
x = torch.randint(0, 1000, (8, 16))
m = (x != pad_idx).unsqueeze(1)
y = Seq2Seq()(x, torch.randint(0, 1000, (8, 12)))
`, 'm = tensor[8, 1, 16]\ny = tensor[8, 12, 1000]'));

  it('model(src, trg[:, :-1]) of unknown batches: the target ids are guessed like the source ids, not left unknown', () => {
    const r = run(`# floplens: batch=8 seq=16
${model}
m = Seq2Seq()
opt = torch.optim.Adam(m.parameters())
for step in range(100):
    src, trg = somelib.get_batch()
    out = m(src, trg[:, :-1])
    out.sum().backward()
    opt.step()
`);
    // out Linear on [8, 16, 64] + two [8, 16, 64] x [8, 64, 16] score/mix matmuls
    expect(r.step.forwardFlops).toBe(2 * 8 * 16 * 64 * 1000 + 2 * (2 * 8 * 16 * 16 * 64));
    expect(r.step.batch).toBe(8);
  });
});

describe("torchtext's legacy API: Multi30k.splits and BucketIterator.splits", () => {
  it('the iterators have ceil(rows / batch) batches of the catalog split (29,000 Multi30k training pairs)', () => {
    const r = run(`# floplens: seq=32
import torch
import torch.nn as nn
from torchtext.legacy.data import Field, BucketIterator
from torchtext.legacy.datasets.translation import Multi30k

SRC = Field(lower=True, batch_first=True)
TRG = Field(lower=True, batch_first=True)
train, valid, test = Multi30k.splits(exts=('.de', '.en'), fields=(SRC, TRG))
train_iter, valid_iter, test_iter = BucketIterator.splits((train, valid, test), batch_size=128, device='cpu')
model = nn.Embedding(1000, 64)
opt = torch.optim.Adam(model.parameters())
for epoch in range(10):
    for i, batch in enumerate(train_iter):
        loss = model(batch.src).sum()
        loss.backward()
        opt.step()
`);
    expect(r.run.steps).toBe(10 * Math.ceil(29000 / 128));
  });
});
