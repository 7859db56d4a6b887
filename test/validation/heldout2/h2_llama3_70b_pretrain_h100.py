# Held-out set 2 (never fitted; see heldout2.ts): Meta Llama 3 70B pre-training GPU-hours on H100-80GB (700 W), 15T+ tokens.
# Published: "Llama 3 70B | 6.4M | 700 | 1900" (Time (GPU hours) | Power (W) | tCO2eq); "Pretraining utilized a cumulative
#   7.7M GPU hours of computation on hardware of type H100-80GB"; context 8k, GQA, "15T+" tokens. Model release 2024-04-18.
# Source: meta-llama/llama3 MODEL_CARD.md, "Hardware and Software" (https://github.com/meta-llama/llama3/blob/main/MODEL_CARD.md;
#   the same table is quoted verbatim in several public repositories).
# Assumed (u): the GPU count is not published: 2048 GPUs are assumed, so the published run time is
#   6.4M GPU-hours × 3,600 ÷ 2048 = 11250000 s (d); 15.0T tokens; 4M tokens per step (512 sequences of 8,192; the batch
#   of the 8B/70B runs is not published); bf16; no activation recomputation. The GPU-hours include everything the job
#   spent (restarts, evaluation), as a user's run would. Whole-job batch (scope global).
#
# validate: row=H2-llama3-70b-pretrain hardware=h100-sxm metric=runSeconds published=11250000 scope=global
import torch
from transformers import AutoConfig, AutoModelForCausalLM

# floplens: devices=2048

model_id = "meta-llama/Meta-Llama-3-70B"
seq_len = 8192
global_batch = 512  # 4M tokens per step
total_tokens = 15_000_000_000_000
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
