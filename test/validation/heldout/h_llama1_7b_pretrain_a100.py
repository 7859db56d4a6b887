# Held-out (never fitted; see heldout.ts): LLaMA (1) 7B pre-training GPU-hours on A100-80GB, 1.0T tokens.
# Published: 82,432 GPU-hours for LLaMA-7B (carbon-footprint table), 1.0T tokens (Table 2), global batch
#   4M tokens, context 2,048, AdamW; the 65B run used 2,048 A100-80GB GPUs. Paper dated 2023-02-27.
# Source: Touvron et al., "LLaMA: Open and Efficient Foundation Language Models", arXiv 2302.13971 (https://arxiv.org/abs/2302.13971).
# Assumed (u): the GPU count of the 7B run is not given; 2,048 (the 65B run's) is assumed, so the published run
#   time is GPU-hours × 3,600 ÷ 2,048; bf16 mixed precision (the paper does not name the dtype). Whole-job batch.
#   The paper reduces recomputation with selective checkpointing of costly activations: no recompute counted.
#
# validate: row=H-llama1-7b hardware=a100-80gb metric=runSeconds published=144900 scope=global
import torch
from transformers import AutoConfig, AutoModelForCausalLM

# floplens: devices=2048

model_id = "huggyllama/llama-7b"
seq_len = 2048
global_batch = 2048  # 4M tokens per step
total_tokens = 1_000_000_000_000
max_steps = total_tokens // (global_batch * seq_len)

config = AutoConfig.from_pretrained(model_id)
model = AutoModelForCausalLM.from_config(config, torch_dtype=torch.bfloat16).cuda()
optimizer = torch.optim.AdamW(model.parameters(), lr=3e-4, betas=(0.9, 0.95), weight_decay=0.1)

for step in range(max_steps):
    input_ids = torch.randint(0, config.vocab_size, (global_batch, seq_len), device="cuda")
    loss = model(input_ids=input_ids, labels=input_ids).loss
    loss.backward()
    torch.nn.utils.clip_grad_norm_(model.parameters(), 1.0)
    optimizer.step()
    optimizer.zero_grad(set_to_none=True)
