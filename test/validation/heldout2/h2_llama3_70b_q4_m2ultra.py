# Held-out set 2 (never fitted; see heldout2.ts): Meta-Llama-3-70B Q4_K_M (39.6 GB), llama.cpp Metal single-stream
#   decode "tg 512" on a Mac Studio M2 Ultra (76-core GPU, 192 GB). Snapshot of May 2024.
# Published tokens/s (70B Q4_K_M, tg 512): 12.48.
# Source: XiongjieDai/GPU-Benchmarks-on-LLM-Inference README.md, "LLaMA 3" Apple Silicon table
#   (https://github.com/XiongjieDai/GPU-Benchmarks-on-LLM-Inference, read at commit 00dd2bd). Runtime "graph" (llama.cpp).
# Assumed (u): Q4_K_M written as a 4-bit load (4.5 bits in FlopLens); 512 generated tokens after a one-token prompt.
#
# validate: row=H2-l3-70b-q4-m2ultra hardware=apple-m2-ultra-gpu metric=throughput published=12.48 runtime=graph
import torch
from transformers import AutoModelForCausalLM, AutoTokenizer

model_id = "meta-llama/Meta-Llama-3-70B"
tokenizer = AutoTokenizer.from_pretrained(model_id)
model = AutoModelForCausalLM.from_pretrained(model_id, load_in_4bit=True).to("mps")

prompt = tokenizer("Once", return_tensors="pt").to("mps")
with torch.no_grad():
    out = model.generate(**prompt, max_new_tokens=512, min_new_tokens=512, do_sample=False)
