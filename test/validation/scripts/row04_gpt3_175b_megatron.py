# Validation row 4 (validation.md Table 2): GPT-3 175B trained with Megatron-LM on 1,024 A100 80GB, FP16 mixed precision.
# Published: 140 TFLOP/s per GPU (counting activation recomputation), an estimated 34 days for 300B tokens,
#   global batch 1,536 × 2,048 tokens.
# Source: Narayanan et al. 2021, "Efficient Large-Scale Language Model Training on GPU Clusters", arXiv 2104.04473 (V3).
#
# The batch is the whole job's, so the harness marks it global. Megatron recomputes activations (full
# checkpointing); FlopLens does not trace torch.utils.checkpoint yet, so a directive says it.
# validate: row=4 hardware=a100-80gb metric=runSeconds published=2937600 scope=global
import torch
import torch.nn as nn
import torch.nn.functional as F

# floplens: devices=1024 recompute=full

vocab_size = 51200
seq_len = 2048
n_layer = 96
n_embd = 12288
n_head = 96
global_batch = 1536
train_tokens = 300_000_000_000
train_iters = train_tokens // (global_batch * seq_len)


class Block(nn.Module):
    def __init__(self, n_embd, n_head):
        super().__init__()
        self.ln_1 = nn.LayerNorm(n_embd)
        self.c_attn = nn.Linear(n_embd, 3 * n_embd)
        self.c_proj = nn.Linear(n_embd, n_embd)
        self.ln_2 = nn.LayerNorm(n_embd)
        self.c_fc = nn.Linear(n_embd, 4 * n_embd)
        self.mlp_proj = nn.Linear(4 * n_embd, n_embd)
        self.n_head = n_head

    def attn(self, x):
        B, T, C = x.size()
        q, k, v = self.c_attn(x).split(C, dim=2)
        q = q.view(B, T, self.n_head, C // self.n_head).transpose(1, 2)
        k = k.view(B, T, self.n_head, C // self.n_head).transpose(1, 2)
        v = v.view(B, T, self.n_head, C // self.n_head).transpose(1, 2)
        y = F.scaled_dot_product_attention(q, k, v, is_causal=True)
        return self.c_proj(y.transpose(1, 2).contiguous().view(B, T, C))

    def forward(self, x):
        x = x + self.attn(self.ln_1(x))
        x = x + self.mlp_proj(F.gelu(self.c_fc(self.ln_2(x))))
        return x


class GPT(nn.Module):
    def __init__(self, vocab_size, seq_len, n_layer, n_embd, n_head):
        super().__init__()
        self.wte = nn.Embedding(vocab_size, n_embd)
        self.wpe = nn.Embedding(seq_len, n_embd)
        self.blocks = nn.ModuleList([Block(n_embd, n_head) for _ in range(n_layer)])
        self.ln_f = nn.LayerNorm(n_embd)
        self.lm_head = nn.Linear(n_embd, vocab_size, bias=False)

    def forward(self, idx):
        B, T = idx.size()
        x = self.wte(idx) + self.wpe(torch.arange(T, device=idx.device))
        for block in self.blocks:
            x = block(x)  # activation checkpointing: see the recompute directive
        return self.lm_head(self.ln_f(x))


model = GPT(vocab_size, seq_len, n_layer, n_embd, n_head).cuda().half()
optimizer = torch.optim.Adam(model.parameters(), lr=0.6e-4)

for it in range(train_iters):
    tokens = torch.randint(0, vocab_size, (global_batch, seq_len + 1), device='cuda')
    logits = model(tokens[:, :-1])
    loss = F.cross_entropy(logits.float().view(-1, vocab_size), tokens[:, 1:].reshape(-1))
    loss.backward()
    optimizer.step()
    optimizer.zero_grad()
