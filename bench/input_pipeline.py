"""Host CPU cost of torchvision input-pipeline transforms, per image, on one core (process CPU time).

Measures what a DataLoader worker spends per sample: the dataset's own step (PIL image from a uint8 array for
CIFAR/MNIST-style datasets, JPEG decode for ImageFolder-style ones), each transform of the usual train/eval
pipelines, and the per-sample share of indexing + collate (a DataLoader with num_workers=0 over an in-memory
dataset, minus the transforms). Synthetic images only (no data set is read). Prints JSON; the figures feed
src/core/project/inputPipeline.ts.

Usage: /usr/bin/python3 bench/input_pipeline.py [--reps N]
"""
import io
import json
import sys
import time

import numpy as np
import torch
import torchvision
import torchvision.transforms as T
from PIL import Image

torch.set_num_threads(1)
REPS = int(sys.argv[sys.argv.index('--reps') + 1]) if '--reps' in sys.argv else 300
rng = np.random.default_rng(0)


def cpu_time(fn, reps=REPS):
    fn()  # warm-up
    best = float('inf')
    for _ in range(3):
        t0 = time.process_time()
        for _ in range(reps):
            fn()
        best = min(best, (time.process_time() - t0) / reps)
    return best


def smooth(h, w):
    # A photo-like image (smooth gradients + noise) so JPEG sizes are realistic.
    y, x = np.mgrid[0:h, 0:w]
    base = np.stack([(x * 255 // max(1, w - 1)), (y * 255 // max(1, h - 1)), ((x + y) * 127 // max(1, h + w))], -1)
    return np.clip(base + rng.normal(0, 12, (h, w, 3)), 0, 255).astype(np.uint8)


out = {'torch': torch.__version__, 'torchvision': torchvision.__version__, 'unit': 'seconds of process CPU time per image, 1 thread'}

# CIFAR-style: 32x32 uint8 arrays in memory.
arr32 = smooth(32, 32)
pil32 = Image.fromarray(arr32)
t32 = T.ToTensor()(pil32)
cifar = {
    'fromarray': cpu_time(lambda: Image.fromarray(arr32)),
    'RandomCrop(32,pad=4)': cpu_time(lambda: T.RandomCrop(32, padding=4)(pil32)),
    'RandomHorizontalFlip': cpu_time(lambda: T.RandomHorizontalFlip(1.0)(pil32)),
    'ToTensor': cpu_time(lambda: T.ToTensor()(pil32)),
    'Normalize': cpu_time(lambda: T.Normalize((0.5, 0.5, 0.5), (0.25, 0.25, 0.25))(t32)),
}
out['cifar32'] = cifar

# ImageNet-style: a 500x375 JPEG (the ImageNet mean size), decoded with PIL.
arr = smooth(375, 500)
buf = io.BytesIO()
Image.fromarray(arr).save(buf, format='JPEG', quality=90)
jpeg = buf.getvalue()
pil = Image.open(io.BytesIO(jpeg)).convert('RGB')
c224 = T.CenterCrop(224)(T.Resize(256)(pil))
t224 = T.ToTensor()(c224)
imagenet = {
    'jpegBytes': len(jpeg),
    'decode': cpu_time(lambda: Image.open(io.BytesIO(jpeg)).convert('RGB'), REPS // 3),
    'RandomResizedCrop(224)': cpu_time(lambda: T.RandomResizedCrop(224)(pil), REPS // 3),
    'Resize(256)': cpu_time(lambda: T.Resize(256)(pil), REPS // 3),
    'CenterCrop(224)': cpu_time(lambda: T.CenterCrop(224)(T.Resize(256)(pil)), REPS // 3),
    'RandomHorizontalFlip': cpu_time(lambda: T.RandomHorizontalFlip(1.0)(c224)),
    'ColorJitter(0.4,0.4,0.4)': cpu_time(lambda: T.ColorJitter(0.4, 0.4, 0.4)(c224), REPS // 3),
    'ToTensor': cpu_time(lambda: T.ToTensor()(c224)),
    'Normalize': cpu_time(lambda: T.Normalize((0.5, 0.5, 0.5), (0.25, 0.25, 0.25))(t224)),
}
imagenet['CenterCrop(224)'] -= imagenet['Resize(256)']
out['imagenet'] = imagenet


class Arrays(torch.utils.data.Dataset):
    def __init__(self, n, transform=None):
        self.x = np.stack([arr32] * n)
        self.y = np.zeros(n, dtype=np.int64)
        self.transform = transform

    def __len__(self):
        return len(self.x)

    def __getitem__(self, i):
        img = Image.fromarray(self.x[i])
        return (self.transform(img) if self.transform else T.functional.pil_to_tensor(img)), int(self.y[i])


def per_sample_loader(ds, batch=128):
    dl = torch.utils.data.DataLoader(ds, batch_size=batch, num_workers=0, shuffle=True)
    def run():
        for _ in dl:
            pass
    return cpu_time(run, 3) / len(ds)


n = 128 * 16
plain = per_sample_loader(Arrays(n))
out['loader'] = {
    'perSampleIndexAndCollate(32x32, no transform)': plain - cifar['fromarray'],
    'cifarTrainPipelineThroughLoader': per_sample_loader(Arrays(n, T.Compose([T.RandomCrop(32, padding=4), T.RandomHorizontalFlip(), T.ToTensor(), T.Normalize((0.5,) * 3, (0.25,) * 3)]))),
}
print(json.dumps(out, indent=1))
