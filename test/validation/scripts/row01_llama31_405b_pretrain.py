# Validation row 1 (validation.md Table 2): Llama 3.1 405B pre-training on 16,384 H100 SXM, BF16.
# Published: 400 TFLOP/s per GPU (41% MFU) on 16,384 GPUs at 8K context, 16M tokens (2,048 × 8,192) per step.
# Source: Llama 3 paper, arXiv 2407.21783, Table 4 (V1). The job used TP 8 × PP 16 × DP 128 with FSDP.
#
# The batch below is the whole job's (16M tokens per step), so the harness marks it global.
# validate: row=1 hardware=h100-sxm metric=modelFlopsPerDevice published=400e12 scope=global
import torch
import torch.nn as nn
import torch.nn.functional as F

# floplens: devices=16384

dim = 16384
n_layers = 126
n_heads = 128
n_kv_heads = 8
ffn_dim = 53248
vocab_size = 128256
seq_len = 8192
global_batch = 2048
total_tokens = 15_600_000_000_000
max_steps = total_tokens // (global_batch * seq_len)


class RMSNorm(nn.Module):
    def __init__(self, dim, eps=1e-5):
        super().__init__()
        self.eps = eps
        self.weight = nn.Parameter(torch.ones(dim))

    def forward(self, x):
        return F.rms_norm(x, (x.size(-1),), self.weight, self.eps)


class Attention(nn.Module):
    def __init__(self):
        super().__init__()
        self.head_dim = dim // n_heads
        self.wq = nn.Linear(dim, n_heads * self.head_dim, bias=False)
        self.wk = nn.Linear(dim, n_kv_heads * self.head_dim, bias=False)
        self.wv = nn.Linear(dim, n_kv_heads * self.head_dim, bias=False)
        self.wo = nn.Linear(n_heads * self.head_dim, dim, bias=False)

    def forward(self, x):
        B, T, _ = x.shape
        q = self.wq(x).view(B, T, n_heads, self.head_dim).transpose(1, 2)
        k = self.wk(x).view(B, T, n_kv_heads, self.head_dim).transpose(1, 2)
        v = self.wv(x).view(B, T, n_kv_heads, self.head_dim).transpose(1, 2)
        y = F.scaled_dot_product_attention(q, k, v, is_causal=True, enable_gqa=True)
        y = y.transpose(1, 2).contiguous().view(B, T, -1)
        return self.wo(y)


class FeedForward(nn.Module):
    def __init__(self):
        super().__init__()
        self.w1 = nn.Linear(dim, ffn_dim, bias=False)
        self.w2 = nn.Linear(ffn_dim, dim, bias=False)
        self.w3 = nn.Linear(dim, ffn_dim, bias=False)

    def forward(self, x):
        return self.w2(F.silu(self.w1(x)) * self.w3(x))


class TransformerBlock(nn.Module):
    def __init__(self):
        super().__init__()
        self.attention_norm = RMSNorm(dim)
        self.attention = Attention()
        self.ffn_norm = RMSNorm(dim)
        self.feed_forward = FeedForward()

    def forward(self, x):
        h = x + self.attention(self.attention_norm(x))
        return h + self.feed_forward(self.ffn_norm(h))


class Transformer(nn.Module):
    def __init__(self):
        super().__init__()
        self.tok_embeddings = nn.Embedding(vocab_size, dim)
        self.layers = nn.ModuleList([TransformerBlock() for _ in range(n_layers)])
        self.norm = RMSNorm(dim)
        self.output = nn.Linear(dim, vocab_size, bias=False)

    def forward(self, tokens):
        h = self.tok_embeddings(tokens)
        for layer in self.layers:
            h = layer(h)
        return self.output(self.norm(h))


model = Transformer().cuda()
optimizer = torch.optim.AdamW(model.parameters(), lr=8e-5, betas=(0.9, 0.95), weight_decay=0.1)

for step in range(max_steps):
    tokens = torch.randint(0, vocab_size, (global_batch, seq_len + 1), device='cuda')
    with torch.autocast('cuda', dtype=torch.bfloat16):
        logits = model(tokens[:, :-1])
        loss = F.cross_entropy(logits.view(-1, vocab_size), tokens[:, 1:].reshape(-1))
    loss.backward()
    optimizer.step()
    optimizer.zero_grad(set_to_none=True)
