# Validation row 30 (validation.md Table 2): ResNet-50 v1.5 inference in PyTorch (not TensorRT) on one T4.
# Published images/s: AMP batch 1: 79 (13 ms); AMP batch 256: 1,198; FP32 batch 256: 415.
# Source: NVIDIA/DeepLearningExamples PyTorch/Classification/ConvNets/resnet50v1.5/README.md, pytorch-21.03 (V11).
#
# This is the AMP script; row30_resnet50_infer_t4_fp32.py is the FP32 one.
# validate: row=30a hardware=t4 metric=throughput published=79 set=batch:1
# validate: row=30b hardware=t4 metric=throughput published=1198
import torch
import torchvision

batch_size = 256
iterations = 1000

model = torchvision.models.resnet50().cuda().eval().to(memory_format=torch.channels_last)
images = torch.randn(batch_size, 3, 224, 224).pin_memory()

with torch.no_grad():
    for _ in range(iterations):
        x = images.cuda(non_blocking=True)
        with torch.autocast("cuda", dtype=torch.float16):
            out = model(x)
        torch.cuda.synchronize()
