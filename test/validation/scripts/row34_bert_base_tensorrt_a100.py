# Validation row 34 (validation.md Table 2): BERT-base inference with TensorRT on one A100 40GB.
# Published latency: seq 128 batch 1: 0.67 ms FP16 / 0.58 ms INT8; seq 128 batch 128: 16.14 ms FP16 / 8.18 ms INT8;
#   seq 384 batch 128: 51.3 ms FP16. Derived ≈177 TF (57% of the FP16 peak) at batch 128.
# Source: NVIDIA/TensorRT demo/BERT/README.md, A100 40GB tables (V12). TensorRT runs fused kernels: runtime "graph".
#
# validate: row=34a hardware=a100-40gb metric=stepSeconds published=0.67e-3 runtime=graph
# validate: row=34b hardware=a100-40gb metric=stepSeconds published=16.14e-3 runtime=graph set=batch:128
# validate: row=34c hardware=a100-40gb metric=stepSeconds published=51.3e-3 runtime=graph set=batch:128,seq:384
# validate: row=34d hardware=a100-40gb metric=stepSeconds published=0.58e-3 runtime=graph set=dtype:int8
# validate: row=34e hardware=a100-40gb metric=stepSeconds published=8.18e-3 runtime=graph set=batch:128,dtype:int8
import torch
from transformers import BertModel

batch_size = 1
seq_len = 128

model = BertModel.from_pretrained("google-bert/bert-base-uncased").half().cuda().eval()
input_ids = torch.randint(0, 30522, (batch_size, seq_len), device="cuda")

with torch.no_grad():
    for _ in range(100):
        out = model(input_ids)
