# Held-out set 2 (never fitted; see heldout2.ts): EfficientNet-B0 inference in PyTorch (DeepLearningExamples,
#   pytorch-21.03 NGC container), one A100 80GB, TF32, eager, batch 256.
# Published: 5,154 images/s ("TF32 Inference Latency", efficientnet-b0, batch 256, throughput average).
# Source: NVIDIA/DeepLearningExamples PyTorch/Classification/ConvNets/efficientnet/README.md, "Inference performance:
#   NVIDIA A100 (1x A100 80GB)" (https://github.com/NVIDIA/DeepLearningExamples, read at commit 0107cf2).
# Assumed (u): synthetic input already on the GPU (the benchmark mode times the model), 224×224.
#
# validate: row=H2-effnet-b0-infer-a100-tf32 hardware=a100-80gb metric=throughput published=5154
import torch
import torchvision

batch_size = 256
iterations = 100

model = torchvision.models.efficientnet_b0().cuda().eval()
torch.backends.cuda.matmul.allow_tf32 = True
torch.backends.cudnn.allow_tf32 = True
images = torch.randn(batch_size, 3, 224, 224, device="cuda")

with torch.no_grad():
    for _ in range(iterations):
        out = model(images)
        torch.cuda.synchronize()
