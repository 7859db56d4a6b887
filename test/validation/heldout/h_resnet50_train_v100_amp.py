# Held-out (never fitted; see heldout.ts): ResNet-50 v1.5 ImageNet training on DGX-1 V100 16GB, mixed precision.
# Published images/s (AMP, batch 256 per GPU, channels-last): 1 GPU 1,200; 8 GPUs 8,322. pytorch-21.03 NGC container
#   (README of March 2021).
# Source: https://github.com/NVIDIA/DeepLearningExamples/tree/master/PyTorch/Classification/ConvNets/resnet50v1.5
#   (README.md, "Training performance: NVIDIA DGX-1 16GB (8x V100 16GB)");
#   batch and workers from PyTorch/Classification/ConvNets/configs.yml (DGX1V, AMP: batch 256, nhwc; workers 8).
#
# validate: row=H-rn50-train-v100-amp-1 hardware=v100-sxm2-16gb metric=throughput published=1200
# validate: row=H-rn50-train-v100-amp-8 hardware=v100-sxm2-16gb metric=throughput published=8322 set=devices:8
import torch
import torch.nn as nn
import torchvision
from torch.utils.data import DataLoader
from torchvision import datasets, transforms

batch_size = 256
epochs = 90

train_set = datasets.ImageNet("/data/imagenet", split="train", transform=transforms.Compose([
    transforms.RandomResizedCrop(224), transforms.RandomHorizontalFlip(), transforms.ToTensor(),
]))
loader = DataLoader(train_set, batch_size=batch_size, shuffle=True, num_workers=8, pin_memory=True)

model = torchvision.models.resnet50().cuda().to(memory_format=torch.channels_last)
criterion = nn.CrossEntropyLoss(label_smoothing=0.1)
optimizer = torch.optim.SGD(model.parameters(), lr=0.256, momentum=0.875, weight_decay=3.0517578125e-05)
scaler = torch.cuda.amp.GradScaler()

for epoch in range(epochs):
    for images, target in loader:
        images = images.cuda(non_blocking=True).to(memory_format=torch.channels_last)
        target = target.cuda(non_blocking=True)
        with torch.autocast("cuda", dtype=torch.float16):
            loss = criterion(model(images), target)
        optimizer.zero_grad()
        scaler.scale(loss).backward()
        scaler.step(optimizer)
        scaler.update()
