# Validation row 25 (validation.md Table 2): LLaMA 7B Q4_0 decode with llama.cpp on the CPU only.
# Published: 18.27 tokens/s on a Core i9-13900K with 2-channel DDR5-6400 (102.4 GB/s), 8 threads (more were slower).
# Source: ggml-org/llama.cpp issue #34 (V14). The 13900K is not in the catalog: the harness uses a custom profile of its
#   8 P-cores (5.0 GHz × 32 FLOP/cycle) and 102.4 GB/s. llama.cpp's compute graph has no Python dispatch: runtime "graph".
#
# validate: row=25 hardware=i9-13900k-8t metric=throughput published=18.27 runtime=graph
import torch
from transformers import AutoModelForCausalLM, AutoTokenizer

model_id = "meta-llama/Llama-2-7b-hf"
tokenizer = AutoTokenizer.from_pretrained(model_id)
model = AutoModelForCausalLM.from_pretrained(model_id, load_in_4bit=True, device_map="cpu")

prompt = tokenizer("Once", return_tensors="pt")
with torch.no_grad():
    out = model.generate(**prompt, max_new_tokens=128, min_new_tokens=128, do_sample=False)
