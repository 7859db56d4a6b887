# Held-out set 2 (never fitted; see heldout2.ts): EfficientNet-B0 ImageNet training in PyTorch (DeepLearningExamples,
#   pytorch-21.03 NGC container), one GPU, eager PyTorch with native AMP and NHWC (channels-last) for mixed precision.
# Published images/s, 1 GPU: DGX A100 80GB mixed precision 2,489; DGX-1 V100 16GB FP32 655.
# Source: NVIDIA/DeepLearningExamples PyTorch/Classification/ConvNets/efficientnet/README.md, "Training performance:
#   NVIDIA A100 (8x A100 80GB)" and "NVIDIA DGX-1 (8x V100 16GB)" (https://github.com/NVIDIA/DeepLearningExamples,
#   read at commit 0107cf2). Workers per GPU from ConvNets/configs.yml (DGXA100: 16; DGX1V: 8).
# Assumed (u): batch 256 per GPU for both (the README's efficientnet configs were not read), 224×224 images, RMSprop.
#   The FP32 row sets dtype fp32 (V100 has no TF32) and keeps the script's 16 loader workers (DGX-1V used 8).
#
# validate: row=H2-effnet-b0-train-a100-amp hardware=a100-80gb metric=throughput published=2489
# validate: row=H2-effnet-b0-train-v100-fp32 hardware=v100-sxm2-16gb metric=throughput published=655 set=dtype:fp32
import torch
import torch.nn as nn
import torchvision
from torch.utils.data import DataLoader
from torchvision import datasets, transforms

batch_size = 256
epochs = 400

train_set = datasets.ImageNet("/data/imagenet", split="train", transform=transforms.Compose([
    transforms.RandomResizedCrop(224), transforms.RandomHorizontalFlip(), transforms.ToTensor(),
]))
loader = DataLoader(train_set, batch_size=batch_size, shuffle=True, num_workers=16, pin_memory=True)

model = torchvision.models.efficientnet_b0().cuda().to(memory_format=torch.channels_last)
criterion = nn.CrossEntropyLoss(label_smoothing=0.1)
optimizer = torch.optim.RMSprop(model.parameters(), lr=0.08 * batch_size / 4096, momentum=0.9, weight_decay=1e-5)
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
