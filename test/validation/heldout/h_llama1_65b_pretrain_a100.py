# Held-out (never fitted; see heldout.ts): LLaMA (1) 65B pre-training on 2,048 A100-80GB, 1.4T tokens.
# Published: "when training a 65B-parameter model, our code processes around 380 tokens/sec/GPU on 2048 A100 GPU
#   with 80GB of RAM. This means that training over our dataset containing 1.4T tokens takes approximately 21 days."
#   (1,022,362 GPU-hours in the carbon-footprint table). Model: dim 8,192, 80 layers, 64 heads, SwiGLU FFN 22,016,
#   vocab 32,000, context 2,048, global batch 4M tokens, AdamW. Paper dated 2023-02-27.
# Source: Touvron et al., "LLaMA: Open and Efficient Foundation Language Models", arXiv 2302.13971 (https://arxiv.org/abs/2302.13971), section 2.4.
# Published run time = 1.4e12 tokens ÷ (380 × 2,048) tokens/s = 1,798,828 s (20.8 days; d).
# Assumed (u): bf16 mixed precision. The paper checkpoints only costly activations (selective): no recompute counted.
#
# validate: row=H-llama1-65b hardware=a100-80gb metric=runSeconds published=1798828 scope=global
import torch
from transformers import LlamaConfig, LlamaForCausalLM

# floplens: devices=2048

seq_len = 2048
global_batch = 2048  # 4M tokens per step
total_tokens = 1_400_000_000_000
max_steps = total_tokens // (global_batch * seq_len)

config = LlamaConfig(hidden_size=8192, intermediate_size=22016, num_hidden_layers=80, num_attention_heads=64,
                     vocab_size=32000, max_position_embeddings=2048)
model = LlamaForCausalLM(config).to(torch.bfloat16).cuda()
optimizer = torch.optim.AdamW(model.parameters(), lr=1.5e-4, betas=(0.9, 0.95), weight_decay=0.1)

for step in range(max_steps):
    input_ids = torch.randint(0, config.vocab_size, (global_batch, seq_len), device="cuda")
    loss = model(input_ids=input_ids, labels=input_ids).loss
    loss.backward()
    torch.nn.utils.clip_grad_norm_(model.parameters(), 1.0)
    optimizer.step()
    optimizer.zero_grad(set_to_none=True)
