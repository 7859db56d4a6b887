# Held-out (never fitted; see heldout.ts): ResNet-50 v1.5 INT8 inference, MLPerf Inference v4.0 Offline, closed, one
#   H100 SXM 80GB (NVIDIA DGX-H100, TensorRT). Results published 2024-03-27.
# Published: "Samples per second: 88714.3" (images/s, Offline scenario, result VALID).
# Source: https://github.com/mlcommons/inference_results_v4.0 (closed/NVIDIA/results/DGX-H100_H100-SXM-80GBx1_TRT/resnet50/Offline/performance/run_1/mlperf_log_summary.txt).
#   TensorRT runs a fused INT8 engine: runtime "graph".
# Assumed (u): INT8 weights and activations (NVIDIA's ResNet-50 submissions quantise to INT8); batch 2,048 per
#   engine call (the submission's batch is in its configs, not re-read); the published figure does not depend on it
#   much once the GPU is full.
#
# validate: row=H-mlperf-rn50-h100 hardware=h100-sxm metric=throughput published=88714.3 runtime=graph
import torch
import torchvision

# The submission's INT8 engine is built by TensorRT from calibration files, not code FlopLens can follow:
# floplens: dtype=int8

batch_size = 2048
samples = 59_400_000

model = torchvision.models.resnet50().cuda().eval()
example = torch.randn(batch_size, 3, 224, 224, device="cuda")

with torch.no_grad():
    for _ in range(samples // batch_size):
        out = model(example)
