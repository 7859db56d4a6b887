# Held-out set 2 (never fitted; see heldout2.ts): LLaMA-2 70B Q4_0 (36.4 GB), llama.cpp single-stream decode on one
#   A100 80GB, all layers on the GPU. Snapshot of Dec 2023.
# Published tokens/s (70B_q4_0, average eval speed): A100 80GB 25.68.
# Source: XiongjieDai/GPU-Benchmarks-on-LLM-Inference README.md, overview table "Average eval speed (tokens/s) by GPUs
#   on LLaMA 2" (https://github.com/XiongjieDai/GPU-Benchmarks-on-LLM-Inference, read at commit 00dd2bd). Runtime "graph".
# Assumed (u): 80GB SXM profile; 1,024 generated tokens after a short prompt.
#
# validate: row=H2-l2-70b-q4-a100 hardware=a100-80gb metric=throughput published=25.68 runtime=graph
import torch
from transformers import AutoModelForCausalLM, AutoTokenizer, BitsAndBytesConfig

model_id = "meta-llama/Llama-2-70b-hf"
tokenizer = AutoTokenizer.from_pretrained(model_id)
model = AutoModelForCausalLM.from_pretrained(
    model_id,
    quantization_config=BitsAndBytesConfig(load_in_4bit=True, bnb_4bit_compute_dtype=torch.float16),
    device_map="cuda",
)

prompt = tokenizer("Once", return_tensors="pt").to("cuda")
with torch.no_grad():
    out = model.generate(**prompt, max_new_tokens=1024, min_new_tokens=1024, do_sample=False)
