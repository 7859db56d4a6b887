# Validation row 7 (validation.md Table 2): MPT-7B pre-training on 1T tokens, 440 A100 40GB, BF16.
# Published: 9.5 days (≈$200k). Derived: ≈111 TF/GPU (36% MFU).
# Source: Databricks/MosaicML MPT-7B blog (V4). Training setup as in llm-foundry
#   scripts/train/yamls/pretrain/mpt-7b.yaml: d_model 4096, 32 layers, 32 heads, vocab 50,368, seq 2,048,
#   global batch 1,024, FSDP FULL_SHARD with activation checkpointing (a directive below: FlopLens does not trace
#   torch.utils.checkpoint yet), amp_bf16, ALiBi (no position embedding).
#
# validate: row=7 hardware=a100-40gb metric=runSeconds published=820800 scope=global
import torch
import torch.nn as nn
import torch.nn.functional as F
from torch.distributed.fsdp import FullyShardedDataParallel as FSDP

# floplens: devices=440 recompute=full

d_model = 4096
n_layers = 32
n_heads = 32
vocab_size = 50368
max_seq_len = 2048
global_train_batch_size = 1024
max_duration_tokens = 1_000_000_000_000
max_steps = max_duration_tokens // (global_train_batch_size * max_seq_len)


class MPTBlock(nn.Module):
    def __init__(self):
        super().__init__()
        self.norm_1 = nn.LayerNorm(d_model, bias=False)
        self.Wqkv = nn.Linear(d_model, 3 * d_model, bias=False)
        self.out_proj = nn.Linear(d_model, d_model, bias=False)
        self.norm_2 = nn.LayerNorm(d_model, bias=False)
        self.up_proj = nn.Linear(d_model, 4 * d_model, bias=False)
        self.down_proj = nn.Linear(4 * d_model, d_model, bias=False)

    def forward(self, x):
        B, T, C = x.shape
        q, k, v = self.Wqkv(self.norm_1(x)).chunk(3, dim=-1)
        q = q.view(B, T, n_heads, C // n_heads).transpose(1, 2)
        k = k.view(B, T, n_heads, C // n_heads).transpose(1, 2)
        v = v.view(B, T, n_heads, C // n_heads).transpose(1, 2)
        a = F.scaled_dot_product_attention(q, k, v, is_causal=True)
        x = x + self.out_proj(a.transpose(1, 2).reshape(B, T, C))
        return x + self.down_proj(F.gelu(self.up_proj(self.norm_2(x))))


class MPT(nn.Module):
    def __init__(self):
        super().__init__()
        self.wte = nn.Embedding(vocab_size, d_model)
        self.blocks = nn.ModuleList([MPTBlock() for _ in range(n_layers)])
        self.norm_f = nn.LayerNorm(d_model, bias=False)

    def forward(self, idx):
        x = self.wte(idx)
        for block in self.blocks:
            x = block(x)  # activation checkpointing: see the recompute directive
        return F.linear(self.norm_f(x), self.wte.weight)


model = FSDP(MPT().cuda())
optimizer = torch.optim.AdamW(model.parameters(), lr=1.2e-4, betas=(0.9, 0.95), eps=1e-8, weight_decay=0.0)

for step in range(max_steps):
    batch = torch.randint(0, vocab_size, (global_train_batch_size, max_seq_len + 1), device='cuda')
    with torch.autocast('cuda', dtype=torch.bfloat16):
        logits = model(batch[:, :-1])
        loss = F.cross_entropy(logits.view(-1, vocab_size), batch[:, 1:].reshape(-1))
    loss.backward()
    torch.nn.utils.clip_grad_norm_(model.parameters(), 1.0)
    optimizer.step()
    optimizer.zero_grad(set_to_none=True)
