# Held-out (never fitted; see heldout.ts): LLaMA-2 7B Q4_0 (3.56 GiB), llama.cpp Metal, single-stream decode tg128,
#   on an M2 Ultra (76-core GPU, 800 GB/s) and an M4 Max (40-core GPU, 546 GB/s).
# Published tokens/s (tg128, Q4_0): M2 Ultra 76-core 94.3; M4 Max 40-core 83.1. (The M2 10-core rows of the same
#   discussion are validation rows 23a-c, not repeated.)
# Source: llama.cpp discussion #4167 (https://github.com/ggml-org/llama.cpp/discussions/4167), "Performance of
#   llama.cpp on Apple Silicon M-series", read from a secondary copy of its table in a public
#   research note (July 2026), not from the discussion itself. llama.cpp replays fused Metal kernels: runtime "graph".
#
# validate: row=H-llamacpp-q4-m2-ultra hardware=apple-m2-ultra-gpu metric=throughput published=94.3 runtime=graph
# validate: row=H-llamacpp-q4-m4-max hardware=apple-m4-max-gpu metric=throughput published=83.1 runtime=graph
import torch
from transformers import AutoModelForCausalLM, AutoTokenizer

model_id = "meta-llama/Llama-2-7b-hf"
tokenizer = AutoTokenizer.from_pretrained(model_id)
model = AutoModelForCausalLM.from_pretrained(model_id, load_in_4bit=True).to("mps")

prompt = tokenizer("Once", return_tensors="pt").to("mps")
with torch.no_grad():
    out = model.generate(**prompt, max_new_tokens=128, min_new_tokens=128, do_sample=False)
