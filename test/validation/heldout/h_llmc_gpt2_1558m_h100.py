# Held-out (never fitted; see heldout.ts): GPT-2 1558M reproduced with llm.c on one 8× H100 node.
# Published: "we can reproduce this model on a single 8XH100 node in 24 hours, and for $672". Model: GPT-2 XL
#   (48 layers, d 1,600, 25 heads, context 1,024), FineWeb-Edu, bf16, llm.c C/CUDA (cuBLAS/cuDNN, fused kernels, no
#   Python dispatch: runtime "graph"). Post dated 2024-07-11.
# Source: karpathy/llm.c discussion #677 (https://github.com/karpathy/llm.c/discussions/677), read through a mirror
#   and press summaries (getcoai.com); 24 h = 86,400 s.
# Assumed (u, recalled from the post's command line, not re-read): micro-batch 16 × 1,024 per GPU, total batch
#   1,048,576 tokens (gradient accumulation 8), 32,000 steps (≈33.6B tokens).
#
# The micro-batch is per GPU (llm.c runs one process per GPU): scope device.
# validate: row=H-llmc-gpt2-1558m hardware=h100-sxm metric=runSeconds published=86400 runtime=graph scope=device
import torch
from transformers import GPT2Config, GPT2LMHeadModel

# floplens: devices=8

micro_batch = 16
seq_len = 1024
grad_accum = 1_048_576 // (micro_batch * seq_len * 8)
max_steps = 32_000

config = GPT2Config(n_layer=48, n_embd=1600, n_head=25, n_positions=1024, vocab_size=50257)
model = GPT2LMHeadModel(config).cuda()
optimizer = torch.optim.AdamW(model.parameters(), lr=6e-4, betas=(0.9, 0.95), weight_decay=0.1, fused=True)

for step in range(max_steps):
    for micro in range(grad_accum):
        input_ids = torch.randint(0, config.vocab_size, (micro_batch, seq_len), device="cuda")
        with torch.autocast("cuda", dtype=torch.bfloat16):
            loss = model(input_ids=input_ids, labels=input_ids).loss / grad_accum
        loss.backward()
    torch.nn.utils.clip_grad_norm_(model.parameters(), 1.0)
    optimizer.step()
    optimizer.zero_grad(set_to_none=True)
