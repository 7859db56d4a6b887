# Held-out set 2 (never fitted; see heldout2.ts): Meta-Llama-3-8B Q4_K_M (4.58 GB), llama.cpp single-stream decode
#   "tg 512", all layers on the GPU. Snapshot of May 2024 (LLaMA 3 tables).
# Published tokens/s (8B Q4_K_M, tg 512): RTX 4090 24GB 130.58 (RunPod, CUDA 12.1.1).
# Source: XiongjieDai/GPU-Benchmarks-on-LLM-Inference README.md, "LLaMA 3" NVIDIA table
#   (https://github.com/XiongjieDai/GPU-Benchmarks-on-LLM-Inference, read at commit 00dd2bd). Runtime "graph" (llama.cpp).
# Assumed (u): Q4_K_M (≈4.6-4.9 bits per weight) written as a 4-bit load, which FlopLens stores at 4.5 bits; generation
#   of 512 tokens after a one-token prompt.
#
# validate: row=H2-l3-8b-q4-4090 hardware=rtx-4090 metric=throughput published=130.58 runtime=graph
import torch
from transformers import AutoModelForCausalLM, AutoTokenizer, BitsAndBytesConfig

model_id = "meta-llama/Meta-Llama-3-8B"
tokenizer = AutoTokenizer.from_pretrained(model_id)
model = AutoModelForCausalLM.from_pretrained(
    model_id,
    quantization_config=BitsAndBytesConfig(load_in_4bit=True, bnb_4bit_compute_dtype=torch.float16),
    device_map="cuda",
)

prompt = tokenizer("Once", return_tensors="pt").to("cuda")
with torch.no_grad():
    out = model.generate(**prompt, max_new_tokens=512, min_new_tokens=512, do_sample=False)
