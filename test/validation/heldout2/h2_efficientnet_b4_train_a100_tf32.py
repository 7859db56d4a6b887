# Held-out set 2 (never fitted; see heldout2.ts): EfficientNet-B4 ImageNet training in PyTorch (DeepLearningExamples,
#   pytorch-21.03 NGC container), one A100 80GB, TF32 (fp32 tensors, TF32 math, the container's default), eager.
# Published: 157 images/s (1 GPU, TF32).
# Source: NVIDIA/DeepLearningExamples PyTorch/Classification/ConvNets/efficientnet/README.md, "Training performance:
#   NVIDIA A100 (8x A100 80GB)" (https://github.com/NVIDIA/DeepLearningExamples, read at commit 0107cf2); 16 workers
#   per GPU (ConvNets/configs.yml, DGXA100).
# Assumed (u): batch 64 per GPU and 380×380 images (EfficientNet-B4's resolution; the README's per-model configs were
#   not read).
#
# validate: row=H2-effnet-b4-train-a100-tf32 hardware=a100-80gb metric=throughput published=157
import torch
import torch.nn as nn
import torchvision
from torch.utils.data import DataLoader
from torchvision import datasets, transforms

batch_size = 64
epochs = 400

train_set = datasets.ImageNet("/data/imagenet", split="train", transform=transforms.Compose([
    transforms.RandomResizedCrop(380), transforms.RandomHorizontalFlip(), transforms.ToTensor(),
]))
loader = DataLoader(train_set, batch_size=batch_size, shuffle=True, num_workers=16, pin_memory=True)

model = torchvision.models.efficientnet_b4().cuda()
criterion = nn.CrossEntropyLoss(label_smoothing=0.1)
optimizer = torch.optim.RMSprop(model.parameters(), lr=0.16 * batch_size / 4096, momentum=0.9, weight_decay=5e-6)
torch.backends.cuda.matmul.allow_tf32 = True
torch.backends.cudnn.allow_tf32 = True

for epoch in range(epochs):
    for images, target in loader:
        images = images.cuda(non_blocking=True)
        target = target.cuda(non_blocking=True)
        loss = criterion(model(images), target)
        optimizer.zero_grad()
        loss.backward()
        optimizer.step()
