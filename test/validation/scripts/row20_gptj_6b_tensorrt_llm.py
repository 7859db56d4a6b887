# Validation row 20 (validation.md Table 2): GPT-J 6B generation with TensorRT-LLM v0.5, 128 input / 128 output tokens.
# Published: batch 1: 111 tok/s (A100 80GB, FP16), 185 tok/s (H100, FP8); batch 64: 3,679 (A100) / 10,907 (H100) tok/s.
# Source: NVIDIA/TensorRT-LLM docs/source/blogs/H100vsA100.md (V13). TensorRT-LLM runs fused kernels from C++
#   (no Python dispatch), so the harness marks its runtime "graph". The H100 figures used FP8 weights and math.
#
# validate: row=20a hardware=a100-80gb metric=throughput published=111 runtime=graph
# validate: row=20b hardware=h100-sxm metric=throughput published=185 runtime=graph set=dtype:fp8
# validate: row=20c hardware=a100-80gb metric=throughput published=3679 runtime=graph set=batch:64
# validate: row=20d hardware=h100-sxm metric=throughput published=10907 runtime=graph set=batch:64,dtype:fp8
import torch
from transformers import AutoModelForCausalLM, AutoTokenizer

batch_size = 1
input_len = 128
output_len = 128

tokenizer = AutoTokenizer.from_pretrained("EleutherAI/gpt-j-6b")
# GPT-J 6B is not in FlopLens' model catalog: its shape, from its Hugging Face config.json.
# floplens: params=6.05e9 layers=28 hidden=4096 heads=16 vocab=50400
model = AutoModelForCausalLM.from_pretrained("EleutherAI/gpt-j-6b", torch_dtype=torch.float16).to("cuda")
model.eval()

input_ids = torch.randint(0, 50400, (batch_size, input_len), device="cuda")
with torch.no_grad():
    out = model.generate(input_ids, max_new_tokens=output_len, min_new_tokens=output_len, do_sample=False)
