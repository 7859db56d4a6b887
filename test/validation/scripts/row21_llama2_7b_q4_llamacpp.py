# Validation row 21 (validation.md Table 2): LLaMA-2 7B, 4-bit (llama.cpp Q4_0, 3.56 GiB), single-stream decode tg128.
# Published tokens/s: RTX 4090 189.0, RTX 5090 300.4, RTX 3090 158.2, A100 200.9, H100 280.7.
# Source: llama.cpp discussion #15013, read from a verbatim copy (V14). llama.cpp runs CUDA graphs of fused kernels:
#   the harness marks its runtime "graph". The discussion does not say which A100/H100 variants: 80GB SXM assumed.
#   The PyTorch equivalent of a 4-bit 7B model is a bitsandbytes 4-bit load.
#
# validate: row=21a hardware=rtx-4090 metric=throughput published=189.0 runtime=graph
# validate: row=21b hardware=rtx-5090 metric=throughput published=300.4 runtime=graph
# validate: row=21c hardware=rtx-3090 metric=throughput published=158.2 runtime=graph
# validate: row=21d hardware=a100-80gb metric=throughput published=200.9 runtime=graph
# validate: row=21e hardware=h100-sxm metric=throughput published=280.7 runtime=graph
import torch
from transformers import AutoModelForCausalLM, AutoTokenizer, BitsAndBytesConfig

model_id = "meta-llama/Llama-2-7b-hf"
tokenizer = AutoTokenizer.from_pretrained(model_id)
model = AutoModelForCausalLM.from_pretrained(
    model_id,
    quantization_config=BitsAndBytesConfig(load_in_4bit=True, bnb_4bit_compute_dtype=torch.float16),
    device_map="cuda",
)

prompt = tokenizer("Once", return_tensors="pt").to("cuda")
with torch.no_grad():
    out = model.generate(**prompt, max_new_tokens=128, min_new_tokens=128, do_sample=False)
