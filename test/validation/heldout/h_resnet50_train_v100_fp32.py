# Held-out (never fitted; see heldout.ts): ResNet-50 v1.5 ImageNet training on DGX-1 V100 16GB, FP32.
# Published images/s (FP32, batch 112 per GPU): 1 GPU 367; 8 GPUs 2,855. pytorch-21.03 NGC container (README of
#   March 2021). The V100 has no TF32: FP32 convolutions run on CUDA cores.
# Source: https://github.com/NVIDIA/DeepLearningExamples/tree/master/PyTorch/Classification/ConvNets/resnet50v1.5
#   (README.md, "Training performance: NVIDIA DGX-1 16GB (8x V100 16GB)");
#   batch and workers from PyTorch/Classification/ConvNets/configs.yml (DGX1V, FP32: batch 112; workers 8).
#
# validate: row=H-rn50-train-v100-fp32-1 hardware=v100-sxm2-16gb metric=throughput published=367
# validate: row=H-rn50-train-v100-fp32-8 hardware=v100-sxm2-16gb metric=throughput published=2855 set=devices:8
import torch
import torch.nn as nn
import torchvision
from torch.utils.data import DataLoader
from torchvision import datasets, transforms

batch_size = 112
epochs = 90

train_set = datasets.ImageNet("/data/imagenet", split="train", transform=transforms.Compose([
    transforms.RandomResizedCrop(224), transforms.RandomHorizontalFlip(), transforms.ToTensor(),
]))
loader = DataLoader(train_set, batch_size=batch_size, shuffle=True, num_workers=8, pin_memory=True)

model = torchvision.models.resnet50().cuda()
criterion = nn.CrossEntropyLoss(label_smoothing=0.1)
optimizer = torch.optim.SGD(model.parameters(), lr=0.112, momentum=0.875, weight_decay=3.0517578125e-05)

for epoch in range(epochs):
    for images, target in loader:
        images = images.cuda(non_blocking=True)
        target = target.cuda(non_blocking=True)
        loss = criterion(model(images), target)
        optimizer.zero_grad()
        loss.backward()
        optimizer.step()
