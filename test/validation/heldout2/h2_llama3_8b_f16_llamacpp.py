# Held-out set 2 (never fitted; see heldout2.ts): Meta-Llama-3-8B F16 (GGUF f16), llama.cpp single-stream decode
#   "tg 512" (llama-bench -n 512), all layers offloaded. Snapshots of May 2024 (LLaMA 3 tables).
# Published tokens/s (8B F16, tg 512): RTX 3090 24GB 47.40 (RunPod, CUDA 12.1.1); M3 Max 40-core GPU 64GB 22.04 (Metal).
# Source: XiongjieDai/GPU-Benchmarks-on-LLM-Inference README.md, "LLaMA 3" benchmark tables
#   (https://github.com/XiongjieDai/GPU-Benchmarks-on-LLM-Inference, read at commit 00dd2bd; figures of May 2024).
#   llama.cpp replays fused CUDA/Metal kernels without Python per op: runtime "graph".
# Assumed (u): a one-token prompt (llama-bench's tg test runs no prompt), generation of 512 tokens.
#
# validate: row=H2-l3-8b-f16-3090 hardware=rtx-3090 metric=throughput published=47.40 runtime=graph
# validate: row=H2-l3-8b-f16-m3max hardware=apple-m3-max-gpu metric=throughput published=22.04 runtime=graph
import torch
from transformers import AutoModelForCausalLM, AutoTokenizer

model_id = "meta-llama/Meta-Llama-3-8B"
tokenizer = AutoTokenizer.from_pretrained(model_id)
model = AutoModelForCausalLM.from_pretrained(model_id, torch_dtype=torch.float16).to("cuda")

prompt = tokenizer("Once", return_tensors="pt").to("cuda")
with torch.no_grad():
    out = model.generate(**prompt, max_new_tokens=512, min_new_tokens=512, do_sample=False)
