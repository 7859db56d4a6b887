# Held-out set 2 (never fitted; see heldout2.ts): OPT-175B pre-training on 992 A100-80GB with metaseq (FSDP + Megatron
#   tensor parallelism, no pipeline parallelism), fp16 weights, Adam states fp32. Paper dated 2022-05-02 (arXiv v1).
# Published: "the development of OPT-175B ... on 992 80GB A100 GPUs, reaching 147 TFLOP/s utilization per GPU";
#   96 layers, 96 heads, hidden 12,288, seq 2,048, global batch 2M tokens (1,024 sequences), vocab 50,272.
# Source: Zhang et al., "OPT: Open Pre-trained Transformer Language Models", arXiv 2205.01068
#   (https://arxiv.org/abs/2205.01068), section 2.3 and Table 1 (also quoted in public summaries of the paper).
# Assumed (u): the 147 TFLOP/s count the recomputation of full activation checkpointing (metaseq's 175B recipe trains
#   with --checkpoint-activations; recalled, not re-read), so the figure is compared with hardware FLOPs per GPU
#   and recompute=full is given; tensor parallelism is chosen by FlopLens's device plan.
#
# validate: row=H2-opt175b-pretrain hardware=a100-80gb metric=hardwareFlopsPerDevice published=147e12 scope=global
import torch
from transformers import OPTConfig, OPTForCausalLM

# floplens: devices=992 recompute=full

seq_len = 2048
global_batch = 1024  # 2M tokens per step
total_tokens = 180_000_000_000
max_steps = total_tokens // (global_batch * seq_len)

config = OPTConfig(hidden_size=12288, num_hidden_layers=96, ffn_dim=49152, num_attention_heads=96,
                   vocab_size=50272, max_position_embeddings=2048, word_embed_proj_dim=12288)
model = OPTForCausalLM(config).half().cuda()
optimizer = torch.optim.AdamW(model.parameters(), lr=1.2e-4, betas=(0.9, 0.95), weight_decay=0.1)

for step in range(max_steps):
    input_ids = torch.randint(0, config.vocab_size, (global_batch, seq_len), device="cuda")
    loss = model(input_ids=input_ids, labels=input_ids).loss
    loss.backward()
    torch.nn.utils.clip_grad_norm_(model.parameters(), 1.0)
    optimizer.step()
    optimizer.zero_grad(set_to_none=True)
