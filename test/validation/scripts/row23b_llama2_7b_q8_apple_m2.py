# Validation row 23 (validation.md Table 2): LLaMA-2 7B Q8_0 (6.67 GiB), llama.cpp Metal, single-stream decode tg128.
# Published: 12.21 tokens/s on an Apple M2 with the 10-core GPU (100 GB/s unified memory).
# Source: llama.cpp discussion #4167, read from a verbatim copy (V14). The M2 GPU is not in the catalog: the harness
#   uses a custom profile (3.6 TF fp32, 100 GB/s, 24 GB machine). llama.cpp replays fused Metal kernels: runtime "graph".
#
# validate: row=23b hardware=apple-m2-gpu metric=throughput published=12.21 runtime=graph
import torch
from transformers import AutoModelForCausalLM, AutoTokenizer

model_id = "meta-llama/Llama-2-7b-hf"
tokenizer = AutoTokenizer.from_pretrained(model_id)
model = AutoModelForCausalLM.from_pretrained(model_id, load_in_8bit=True).to("mps")

prompt = tokenizer("Once", return_tensors="pt").to("mps")
with torch.no_grad():
    out = model.generate(**prompt, max_new_tokens=128, min_new_tokens=128, do_sample=False)
