# Held-out (never fitted; see heldout.ts): BLOOM 176B pre-training on 384 A100-80GB (Jean Zay), 366B tokens.
# Published: "Training BLOOM-176B took 3.5 months, with 1,082,990 hours of computation on 48 Jean Zay nodes"
#   (8 A100-80GB each = 384 GPUs); the BigScience model page quotes ≈150 TFLOP/s per GPU (activation recomputation
#   counted). Model: 70 layers, hidden 14,336, 112 heads, vocab 250,680 (padded 250,880), context 2,048, global batch
#   2,048 sequences, bf16, Megatron-DeepSpeed (TP 4 × PP 12 × DP 8). 366B tokens (BLOOM paper, arXiv 2211.05100).
# Source: GENCI news, 2022-11 (https://www.genci.fr/en/news/bloom-one-largest-open-multilingual-nlp-models-awarded-best-hpc-collaboration-hpc-wire-readers); BigScience 176B model page (https://bigscience.notion.site/BigScience-176B-Model-ad073ca07cdf479398d5f95d88e218c4).
# Published run time = 1,082,990 GPU-hours × 3,600 ÷ 384 = 10,153,031 s (117.5 days; d).
# Assumed (u): full activation recomputation (the Megatron-DeepSpeed BLOOM recipe's --checkpoint-activations,
#   recalled), given as a directive.
#
# validate: row=H-bloom-176b hardware=a100-80gb metric=runSeconds published=10153031 scope=global
import torch
from transformers import BloomConfig, BloomForCausalLM

# floplens: devices=384 recompute=full

seq_len = 2048
global_batch = 2048
total_tokens = 366_000_000_000
max_steps = total_tokens // (global_batch * seq_len)

config = BloomConfig(hidden_size=14336, n_layer=70, n_head=112, vocab_size=250880)
model = BloomForCausalLM(config).to(torch.bfloat16).cuda()
optimizer = torch.optim.AdamW(model.parameters(), lr=6e-5, betas=(0.9, 0.95), weight_decay=0.1)

for step in range(max_steps):
    input_ids = torch.randint(0, config.vocab_size, (global_batch, seq_len), device="cuda")
    loss = model(input_ids=input_ids, labels=input_ids).loss
    loss.backward()
    torch.nn.utils.clip_grad_norm_(model.parameters(), 1.0)
    optimizer.step()
    optimizer.zero_grad(set_to_none=True)
