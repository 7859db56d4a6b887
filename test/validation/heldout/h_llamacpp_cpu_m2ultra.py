# Held-out (never fitted; see heldout.ts): Mistral 7B Q8_0, llama.cpp (2024-03-26 build) on the CPU of a Mac Studio
#   with the 24-core M2 Ultra, token generation ("eval tok/sec"). Post dated 2024-03-31.
# Published: 27 tokens/s eval (prompt 90 tok/s) for "Mistral 7b, q8_0, M2 Ultra, llama.cpp 2024-03-26".
# Source: Justine Tunney, "LLaMA Now Goes Faster on CPUs" (https://justine.lol/matmul/), table "LLM Performance on Mac
#   Studio CPU w/ 24-core M2 Ultra", read from a saved copy of the post. llama.cpp: runtime "graph".
# Assumed (u): Mistral-7B-v0.1 (the post's "Mistral 7b" of March 2024); generation length not stated (128 taken).
#
# validate: row=H-llamacpp-cpu-m2ultra hardware=apple-m2-ultra metric=throughput published=27 runtime=graph
import torch
from transformers import AutoModelForCausalLM, AutoTokenizer

model_id = "mistralai/Mistral-7B-v0.1"
tokenizer = AutoTokenizer.from_pretrained(model_id)
model = AutoModelForCausalLM.from_pretrained(model_id, load_in_8bit=True, device_map="cpu")

prompt = tokenizer("Once", return_tensors="pt")
with torch.no_grad():
    out = model.generate(**prompt, max_new_tokens=128, min_new_tokens=128, do_sample=False)
