# Held-out set 2 (never fitted; see heldout2.ts): TinyLlama 1.1B pre-training throughput on A100-40G (lit-gpt based
#   code, FSDP, flash-attention 2, fused layernorm/SwiGLU/cross-entropy/rotary), 16 GPUs. README of Sep 2023.
# Published: "we achieve a throughput of 24k tokens per second per A100-40G GPU, which translates to 56% model flops
#   utilization without activation checkpointing"; "per-gpu batch size of 16k tokens"; 22 layers, 32 heads, 4 query
#   groups, hidden 2,048, SwiGLU 5,632, seq 2,048, batch 2M tokens (2,048 × 1,024), vocab 32,000 (Llama 2 tokenizer).
# Source: jzhang38/TinyLlama README.md, "Training Details" and "Blazingly Fast" (https://github.com/jzhang38/TinyLlama,
#   read at commit 026587c).
# Metric: the harness's throughput is the whole job's (as validation row 28c), so the published figure is
#   24,000 tokens/s per GPU × 16 GPUs = 384,000 tokens/s (d). The script's batch is one GPU's micro-batch
#   (8 × 2,048 = 16k tokens), accumulated to the 2M-token global batch over 16 GPUs (2,097,152 / (16 × 16,384) = 8
#   micro-batches). Fused kernels and flash-attention without Python per op are closest to "compiled" (u). bf16 (u).
#
# validate: row=H2-tinyllama-pretrain hardware=a100-40gb metric=throughput published=384000 runtime=compiled scope=device
import torch
from transformers import LlamaConfig, LlamaForCausalLM

# floplens: devices=16

micro_batch = 8
seq_len = 2048
grad_accum = 2_097_152 // (micro_batch * seq_len * 16)
max_steps = 1_430_000

config = LlamaConfig(hidden_size=2048, intermediate_size=5632, num_hidden_layers=22, num_attention_heads=32,
                     num_key_value_heads=4, vocab_size=32000, max_position_embeddings=2048)
model = LlamaForCausalLM(config).cuda()
optimizer = torch.optim.AdamW(model.parameters(), lr=4e-4, betas=(0.9, 0.95), weight_decay=0.1)

for step in range(max_steps):
    for micro in range(grad_accum):
        input_ids = torch.randint(0, config.vocab_size, (micro_batch, seq_len), device="cuda")
        with torch.autocast("cuda", dtype=torch.bfloat16):
            loss = model(input_ids=input_ids, labels=input_ids).loss / grad_accum
        loss.backward()
    torch.nn.utils.clip_grad_norm_(model.parameters(), 1.0)
    optimizer.step()
    optimizer.zero_grad(set_to_none=True)
