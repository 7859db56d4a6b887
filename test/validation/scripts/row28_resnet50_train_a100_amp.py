# Validation row 28 (validation.md Table 2): ResNet-50 v1.5 ImageNet training, batch 256 per GPU, DGX A100 80GB.
# Published images/s: 1 GPU 938 (TF32) / 2,470 (AMP); 8 GPUs 7,248 (TF32) / 16,621 (AMP). 90 epochs ≈3 h with AMP.
# Source: NVIDIA/DeepLearningExamples PyTorch/Classification/ConvNets/resnet50v1.5/README.md, pytorch-21.03 (V11).
#
# This is the AMP run; row28_resnet50_train_a100_tf32.py is the TF32 one.
# validate: row=28b hardware=a100-80gb metric=throughput published=2470
# validate: row=28d hardware=a100-80gb metric=throughput published=16621 scope=device set=devices:8
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
loader = DataLoader(train_set, batch_size=batch_size, shuffle=True, num_workers=16, pin_memory=True)  # DeepLearningExamples configs.yml: DGXA100 workers: 16

model = torchvision.models.resnet50().cuda().to(memory_format=torch.channels_last)
criterion = nn.CrossEntropyLoss()
optimizer = torch.optim.SGD(model.parameters(), lr=0.256, momentum=0.875, weight_decay=3.0517578125e-05)
scaler = torch.cuda.amp.GradScaler()

for epoch in range(epochs):
    for images, target in loader:
        images = images.cuda(non_blocking=True)
        target = target.cuda(non_blocking=True)
        with torch.autocast("cuda", dtype=torch.float16):
            loss = criterion(model(images), target)
        optimizer.zero_grad()
        scaler.scale(loss).backward()
        scaler.step(optimizer)
        scaler.update()
