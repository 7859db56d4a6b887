# Held-out (never fitted; see heldout.ts): ResNet-50 v1.5 inference in PyTorch (not TensorRT), V100 16GB and T4.
# Published images/s (throughput average): V100 16GB (DGX-1) AMP batch 256: 3,382; FP32 batch 256: 1,261;
#   AMP batch 1: 78; FP32 batch 1: 96. T4 FP32 batch 1: 98. pytorch-21.03 NGC container (README of March 2021).
#   (The T4 AMP batch 1/256 and FP32 batch 256 figures of the same README are validation rows 30a-c, not repeated.)
# Source: https://github.com/NVIDIA/DeepLearningExamples/tree/master/PyTorch/Classification/ConvNets/resnet50v1.5
#   (README.md, "Inference performance: NVIDIA DGX-1 (1x V100 16GB)" and "NVIDIA T4").
#
# validate: row=H-rn50-infer-v100-amp-256 hardware=v100-sxm2-16gb metric=throughput published=3382
# validate: row=H-rn50-infer-v100-fp32-256 hardware=v100-sxm2-16gb metric=throughput published=1261 set=dtype:fp32
# validate: row=H-rn50-infer-v100-amp-1 hardware=v100-sxm2-16gb metric=throughput published=78 set=batch:1
# validate: row=H-rn50-infer-v100-fp32-1 hardware=v100-sxm2-16gb metric=throughput published=96 set=batch:1,dtype:fp32
# validate: row=H-rn50-infer-t4-fp32-1 hardware=t4 metric=throughput published=98 set=batch:1,dtype:fp32
import torch
import torchvision

batch_size = 256
iterations = 1000

model = torchvision.models.resnet50().cuda().eval().to(memory_format=torch.channels_last)
images = torch.randn(batch_size, 3, 224, 224).pin_memory()

with torch.no_grad():
    for _ in range(iterations):
        x = images.cuda(non_blocking=True).to(memory_format=torch.channels_last)
        with torch.autocast("cuda", dtype=torch.float16):
            out = model(x)
        torch.cuda.synchronize()
