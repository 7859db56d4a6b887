# Validation row 32 (validation.md Table 2): ResNet-50 v1.5 INT8 inference, MLPerf Inference v3.0 Offline, closed.
# Published: 20,578.9 images/s on a 2-socket Xeon Platinum 8480+ server (112 cores, AMX INT8, PyTorch + oneDNN).
# Source: mlcommons/inference_results_v3.0 closed/Intel/results/1-node-2S-SPR-PyTorch-INT8/resnet50/Offline (V10).
#   One device is one socket: 2 devices, each working through its own share of images. The submission fuses
#   conv+BN+ReLU in a traced, frozen oneDNN graph (IPEX): the harness marks its runtime "graph" (a replayed fused
#   kernel sequence with one thread pool, as llama.cpp; not torch.compile, which issues oneDNN calls op by op).
#
# validate: row=32 hardware=xeon-8480 metric=throughput published=20578.9 runtime=graph
import torch
import torchvision

# The submission quantises to INT8 with Intel's PyTorch extension (calibration files, not code FlopLens can follow):
# floplens: devices=2 dtype=int8

batch_size = 128
samples = 50000

model = torchvision.models.resnet50().eval()
example = torch.randn(batch_size, 3, 224, 224)

with torch.no_grad():
    for _ in range(samples // batch_size):
        out = model(example)
