# Held-out set 2 (never fitted; see heldout2.ts): LLaMA-2 7B F16, llama.cpp single-stream decode, all layers on the
#   GPU ("-ngl 10000", "-n 1024" text completion; mean eval speed over three runs). Snapshot of Dec 2023.
# Published tokens/s (7B_f16, average eval speed): A100 80GB 73.83; H100 PCIe 80GB 83.32 (RunPod, CUDA 12.1.1/11.8).
# Source: XiongjieDai/GPU-Benchmarks-on-LLM-Inference README.md, overview table "Average eval speed (tokens/s) by GPUs
#   on LLaMA 2" (https://github.com/XiongjieDai/GPU-Benchmarks-on-LLM-Inference, read at commit 00dd2bd).
#   Runtime "graph" (llama.cpp). The A100 variant (SXM or PCIe) is not stated: the 80GB SXM profile is used (u).
# Assumed (u): 1,024 generated tokens after a short prompt.
#
# validate: row=H2-l2-7b-f16-a100 hardware=a100-80gb metric=throughput published=73.83 runtime=graph
# validate: row=H2-l2-7b-f16-h100pcie hardware=h100-pcie metric=throughput published=83.32 runtime=graph
import torch
from transformers import AutoModelForCausalLM, AutoTokenizer

model_id = "meta-llama/Llama-2-7b-hf"
tokenizer = AutoTokenizer.from_pretrained(model_id)
model = AutoModelForCausalLM.from_pretrained(model_id, torch_dtype=torch.float16).to("cuda")

prompt = tokenizer("Once", return_tensors="pt").to("cuda")
with torch.no_grad():
    out = model.generate(**prompt, max_new_tokens=1024, min_new_tokens=1024, do_sample=False)
