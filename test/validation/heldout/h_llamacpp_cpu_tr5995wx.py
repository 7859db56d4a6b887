# Held-out (never fitted; see heldout.ts): Mistral-7B-Instruct-v0.3 Q4_0 (3.83 GiB), llama.cpp on the CPU only, decode
#   tg128, AMD Ryzen Threadripper PRO 5995WX (64 Zen 3 cores), 64 threads. Measured 2024-08-08 (base commit 7e72aa74).
# Published: "llama 7B Q4_0 | 3.83 GiB | 7.25 B | CPU | 64 | tg 128 | 33.74 ± 0.04" tokens/s (GCC, Linux).
# Source: ggml-org/llama.cpp pull request #8908 (https://github.com/ggml-org/llama.cpp/pull/8908), test results
#   comment for the Threadripper PRO 5995WX. llama.cpp's graph has no Python dispatch: runtime "graph".
# Assumed (u): the machine's memory is the catalog's 8-channel DDR4-3200 configuration (the comment does not say).
#
# validate: row=H-llamacpp-cpu-tr5995wx hardware=threadripper-pro-5995wx metric=throughput published=33.74 runtime=graph
import torch
from transformers import AutoModelForCausalLM, AutoTokenizer

model_id = "mistralai/Mistral-7B-Instruct-v0.3"
tokenizer = AutoTokenizer.from_pretrained(model_id)
model = AutoModelForCausalLM.from_pretrained(model_id, load_in_4bit=True, device_map="cpu")

prompt = tokenizer("Once", return_tensors="pt")
with torch.no_grad():
    out = model.generate(**prompt, max_new_tokens=128, min_new_tokens=128, do_sample=False)
