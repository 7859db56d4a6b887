# Held-out (never fitted; see heldout.ts): ResNet-50 v1.5 inference in PyTorch (not TensorRT), one V100 16GB.
# Published images/s (throughput average): V100 16GB (DGX-1) AMP batch 256: 3,382; FP32 batch 256: 1,261.
#   pytorch-21.03 NGC container (README of March 2021).
#   (The T4 AMP batch 1/256 and FP32 batch 256 figures of the same README are validation rows 30a-c, not repeated.)
# Source: https://github.com/NVIDIA/DeepLearningExamples/tree/master/PyTorch/Classification/ConvNets/resnet50v1.5
#   (README.md, "Inference performance: NVIDIA DGX-1 (1x V100 16GB)" and "NVIDIA T4").
#
# No longer held out: the batch-1 figures of these tables (V100 AMP 78, FP32 96; T4 FP32 98 images/s) bound the eager
#   host time per GPU op that 21628b3 fitted (fit.ts EAGER_HOST_SECONDS, "DeepLearningExamples V100/T4 flat batch 1-8
#   eager latencies"), so they left this set; at 34eacd3 they read x4.50, x3.18, x2.13.
#
# validate: row=H-rn50-infer-v100-amp-256 hardware=v100-sxm2-16gb metric=throughput published=3382
# validate: row=H-rn50-infer-v100-fp32-256 hardware=v100-sxm2-16gb metric=throughput published=1261 set=dtype:fp32
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
