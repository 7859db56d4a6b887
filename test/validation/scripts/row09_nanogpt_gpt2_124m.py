# Validation row 9 (validation.md Table 2): GPT-2 124M pre-training with nanoGPT on OpenWebText.
# Published: ≈4 days on one 8× A100 40GB node for 600k iterations of ≈0.49M tokens
#   (12 sequences × 1,024 tokens × 5 micro-steps × 8 GPUs), bf16 autocast, torch.compile.
# Source: karpathy/nanoGPT README (V5). "About 4 days" is approximate; derived ≈91 TF/GPU (≈29% MFU).
# The figure is the code of its date, not today's train.py: the README got "about 4 days" on 2023-01-31, and
# nanoGPT issue #110 (2023-02-02, same config, 8× A100, torch 2.0 nightly) logs 562 ms per iteration (3.9 days).
# That code (git history of karpathy/nanoGPT) had the GPT-2 vocabulary of 50,257 (padded to 50,304 only on
# 2023-02-04, commit 77e7e04c: "about 25% faster"), plain torch.optim.AdamW (fused=True came 2023-02-03),
# bias=False, flash attention where the nightly had F.scaled_dot_product_attention, and torch 2.0's Inductor,
# which did not pad unaligned matmul operands (its config: shape_padding defaulted to off; set here explicitly).
#
# validate: row=9 hardware=a100-40gb metric=runSeconds published=345600 runtime=compiled
#
# The script is nanoGPT's train.py reduced to what decides the cost: config, model, DDP training loop.
import math
from dataclasses import dataclass

import torch
import torch._inductor.config
import torch.nn as nn
from torch.nn import functional as F
from torch.nn.parallel import DistributedDataParallel as DDP

# floplens: devices=8

batch_size = 12
block_size = 1024
gradient_accumulation_steps = 5 * 8
ddp_world_size = 8
gradient_accumulation_steps //= ddp_world_size
max_iters = 600000
learning_rate = 6e-4
weight_decay = 1e-1
dtype = 'bfloat16'
compile = True
torch.backends.cuda.matmul.allow_tf32 = True
torch.backends.cudnn.allow_tf32 = True
torch._inductor.config.shape_padding = False  # torch 2.0's default (see the header)


@dataclass
class GPTConfig:
    block_size: int = 1024
    vocab_size: int = 50257
    n_layer: int = 12
    n_head: int = 12
    n_embd: int = 768
    dropout: float = 0.0
    bias: bool = False


class LayerNorm(nn.Module):
    def __init__(self, ndim, bias):
        super().__init__()
        self.weight = nn.Parameter(torch.ones(ndim))
        self.bias = nn.Parameter(torch.zeros(ndim)) if bias else None

    def forward(self, input):
        return F.layer_norm(input, self.weight.shape, self.weight, self.bias, 1e-5)


class CausalSelfAttention(nn.Module):
    def __init__(self, config):
        super().__init__()
        self.c_attn = nn.Linear(config.n_embd, 3 * config.n_embd, bias=config.bias)
        self.c_proj = nn.Linear(config.n_embd, config.n_embd, bias=config.bias)
        self.n_head = config.n_head
        self.n_embd = config.n_embd

    def forward(self, x):
        B, T, C = x.size()
        q, k, v = self.c_attn(x).split(self.n_embd, dim=2)
        k = k.view(B, T, self.n_head, C // self.n_head).transpose(1, 2)
        q = q.view(B, T, self.n_head, C // self.n_head).transpose(1, 2)
        v = v.view(B, T, self.n_head, C // self.n_head).transpose(1, 2)
        y = F.scaled_dot_product_attention(q, k, v, attn_mask=None, dropout_p=0.0, is_causal=True)
        y = y.transpose(1, 2).contiguous().view(B, T, C)
        return self.c_proj(y)


class MLP(nn.Module):
    def __init__(self, config):
        super().__init__()
        self.c_fc = nn.Linear(config.n_embd, 4 * config.n_embd, bias=config.bias)
        self.gelu = nn.GELU()
        self.c_proj = nn.Linear(4 * config.n_embd, config.n_embd, bias=config.bias)

    def forward(self, x):
        return self.c_proj(self.gelu(self.c_fc(x)))


class Block(nn.Module):
    def __init__(self, config):
        super().__init__()
        self.ln_1 = LayerNorm(config.n_embd, bias=config.bias)
        self.attn = CausalSelfAttention(config)
        self.ln_2 = LayerNorm(config.n_embd, bias=config.bias)
        self.mlp = MLP(config)

    def forward(self, x):
        x = x + self.attn(self.ln_1(x))
        x = x + self.mlp(self.ln_2(x))
        return x


class GPT(nn.Module):
    def __init__(self, config):
        super().__init__()
        self.config = config
        self.transformer = nn.ModuleDict(dict(
            wte=nn.Embedding(config.vocab_size, config.n_embd),
            wpe=nn.Embedding(config.block_size, config.n_embd),
            h=nn.ModuleList([Block(config) for _ in range(config.n_layer)]),
            ln_f=LayerNorm(config.n_embd, bias=config.bias),
        ))
        self.lm_head = nn.Linear(config.n_embd, config.vocab_size, bias=False)
        self.transformer.wte.weight = self.lm_head.weight

    def forward(self, idx, targets=None):
        b, t = idx.size()
        pos = torch.arange(0, t, dtype=torch.long, device=idx.device)
        x = self.transformer.wte(idx) + self.transformer.wpe(pos)
        for block in self.transformer.h:
            x = block(x)
        x = self.transformer.ln_f(x)
        logits = self.lm_head(x)
        loss = F.cross_entropy(logits.view(-1, logits.size(-1)), targets.view(-1), ignore_index=-1)
        return logits, loss


def get_batch():
    x = torch.randint(0, 50257, (batch_size, block_size))
    y = torch.randint(0, 50257, (batch_size, block_size))
    x, y = x.pin_memory().to('cuda', non_blocking=True), y.pin_memory().to('cuda', non_blocking=True)
    return x, y


model = GPT(GPTConfig(block_size=block_size))
model.to('cuda')
optimizer = torch.optim.AdamW(model.parameters(), lr=learning_rate, betas=(0.9, 0.95), weight_decay=weight_decay)
if compile:
    model = torch.compile(model)
model = DDP(model, device_ids=[0])
ctx = torch.amp.autocast(device_type='cuda', dtype=torch.bfloat16)

X, Y = get_batch()
for iter_num in range(max_iters):
    for micro_step in range(gradient_accumulation_steps):
        with ctx:
            logits, loss = model(X, Y)
            loss = loss / gradient_accumulation_steps
        X, Y = get_batch()
        loss.backward()
    torch.nn.utils.clip_grad_norm_(model.parameters(), 1.0)
    optimizer.step()
    optimizer.zero_grad(set_to_none=True)
