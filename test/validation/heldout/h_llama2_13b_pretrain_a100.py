# Held-out (never fitted; see heldout.ts): Llama 2 13B pre-training GPU-hours on A100-80GB, 2T tokens.
# Published: 368,640 GPU-hours for Llama 2 13B on A100-80GB (350-400 W); 2.0T tokens, global batch 4M tokens,
#   context 4,096, AdamW, bf16. Paper dated 2023-07-18.
# Source: Touvron et al., "Llama 2: Open Foundation and Fine-Tuned Chat Models", arXiv 2307.09288 (https://arxiv.org/abs/2307.09288), Table 1 and Table 2 (pretraining GPU-hours); the same table in the meta-llama/Llama-2-7b-hf model card.
# Assumed (u): the paper gives GPU-hours, not the GPU count; 2,048 GPUs (the count of the LLaMA-1 run on the same
#   Research Super Cluster) are assumed, so the published run time is GPU-hours × 3,600 ÷ 2,048. Whole-job batch
#   (scope global). The GPU-hours include everything the job spent (restarts, evaluation), as a user's run would.
#
# validate: row=H-llama2-13b hardware=a100-80gb metric=runSeconds published=648000 scope=global
import torch
from transformers import AutoConfig, AutoModelForCausalLM

# floplens: devices=2048

model_id = "meta-llama/Llama-2-13b-hf"
seq_len = 4096
global_batch = 1024  # 4M tokens per step
total_tokens = 2_000_000_000_000
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
