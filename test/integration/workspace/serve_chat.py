"""Serving fixture: chat completions with a small instruction-tuned LLM (model.generate per request)."""
import torch
from transformers import AutoModelForCausalLM, AutoTokenizer

model_id = "Qwen/Qwen2.5-0.5B-Instruct"
tokenizer = AutoTokenizer.from_pretrained(model_id)
model = AutoModelForCausalLM.from_pretrained(model_id, torch_dtype=torch.bfloat16)
model.eval()

inputs = tokenizer("Write a haiku about the sea.", return_tensors="pt")
with torch.no_grad():
    output = model.generate(**inputs, max_new_tokens=128)
print(tokenizer.decode(output[0], skip_special_tokens=True))
