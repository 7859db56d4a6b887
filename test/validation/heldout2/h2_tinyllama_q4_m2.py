# Held-out set 2 (never fitted; see heldout2.ts): TinyLlama 1.1B, 4-bit, llama.cpp on a Mac with an M2 and 16 GB
#   (Metal, 10-core GPU assumed), batch 1. README of Sep 2023.
# Published: "Llama.cpp | Mac M2 16GB RAM | batch_size=1; 4-bit inference | 71.8" tokens/s.
# Source: jzhang38/TinyLlama README.md, "Blazingly Fast" throughput table (https://github.com/jzhang38/TinyLlama,
#   read at commit 026587c). llama.cpp: runtime "graph".
# Assumed (u): the M2's GPU (Metal is llama.cpp's default on Apple Silicon) with 10 cores; Q4_0 (4.5 bits);
#   128 generated tokens after a one-token prompt (the README gives neither).
#
# validate: row=H2-tinyllama-q4-m2 hardware=apple-m2-gpu metric=throughput published=71.8 runtime=graph
import torch
from transformers import AutoModelForCausalLM, AutoTokenizer

model_id = "TinyLlama/TinyLlama-1.1B-Chat-v1.0"
tokenizer = AutoTokenizer.from_pretrained(model_id)
model = AutoModelForCausalLM.from_pretrained(model_id, load_in_4bit=True).to("mps")

prompt = tokenizer("Once", return_tensors="pt").to("mps")
with torch.no_grad():
    out = model.generate(**prompt, max_new_tokens=128, min_new_tokens=128, do_sample=False)
