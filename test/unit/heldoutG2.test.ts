/**
 * Real scripts, held-out corpus group g (issue 14), second set of causes: audio read by a script's own Dataset,
 * models reached by name from a local module and wrapped, lists filled from data, and surgery on catalog models.
 */
import { describe, expect, it } from 'vitest';
import { check } from './snippetCheck';
import { analyze } from '../../src/core/analyze';

const run = (text: string) => analyze({ text, file: 'snippet.py' });

/** A script Dataset of the usual audio-classification shape: load, resample, mix down, cut/pad, then a transform. */
const AUDIO_DATASET = `import torch
import torchaudio
import pandas as pd
from torch.utils.data import Dataset, DataLoader

class SoundDataset(Dataset):
    def __init__(self, annotations_file, transformation, target_sample_rate, num_samples):
        self.annotations = pd.read_csv(annotations_file)
        self.transformation = transformation.to("cpu")
        self.target_sample_rate = target_sample_rate
        self.num_samples = num_samples

    def __len__(self):
        return len(self.annotations)

    def __getitem__(self, index):
        signal, sr = torchaudio.load(self.annotations.iloc[index, 0])
        if sr != self.target_sample_rate:
            signal = torchaudio.transforms.Resample(sr, self.target_sample_rate)(signal)
        if signal.shape[0] > 1:
            signal = torch.mean(signal, dim=0, keepdim=True)
        if signal.shape[1] > self.num_samples:
            signal = signal[:, :self.num_samples]
        if signal.shape[1] < self.num_samples:
            signal = torch.nn.functional.pad(signal, (0, self.num_samples - signal.shape[1]))
        return self.transformation(signal), self.annotations.iloc[index, 6]
`;

describe('audio read by a script Dataset: torchaudio.load, resampling, cut/pad and feature transforms', () => {
  it('MelSpectrogram of a clip cut/padded to a fixed number of samples is [1, n_mels, samples // hop + 1]', () => check(`${AUDIO_DATASET}
mel = torchaudio.transforms.MelSpectrogram(sample_rate=22050, n_fft=1024, hop_length=512, n_mels=64)
ds = SoundDataset("meta/annotations.csv", mel, 22050, 22050)
x = ds[0][0]
loader = DataLoader(ds, batch_size=16)
for batch, target in loader:
    pass
`, `x = tensor[1, 64, 44] fp32
batch = tensor[16, 1, 64, 44] fp32`));

  it('Spectrogram, MFCC (melkwargs), center=False and a pad', () => check(`import torch
import torchaudio
wave = torch.randn(1, 16000)
spec = torchaudio.transforms.Spectrogram(n_fft=400)(wave)
mfcc = torchaudio.transforms.MFCC(sample_rate=16000, n_mfcc=13, melkwargs={"n_fft": 512, "hop_length": 160, "n_mels": 40})(wave)
plain = torchaudio.transforms.MelSpectrogram(16000, 400, None, 100, center=False)(wave)
padded = torchaudio.transforms.Spectrogram(n_fft=256, hop_length=128, pad=64)(wave)
db = torchaudio.transforms.AmplitudeToDB()(spec)
half = torchaudio.functional.resample(wave, 16000, 8000)
`, `spec = tensor[1, 201, 81] fp32
mfcc = tensor[1, 13, 101] fp32
plain = tensor[1, 128, 157] fp32
padded = tensor[1, 129, 127] fp32
db = tensor[1, 201, 81] fp32
half = tensor[1, 8000]`));

  it('a Dataset linked to a catalog audio dataset has its size; unsqueeze_ of one sample is a batch of one', () => {
    const r = run(`${AUDIO_DATASET}
import torch.nn as nn

class UrbanSoundDataset(SoundDataset):
    pass

class Net(nn.Module):
    def __init__(self):
        super().__init__()
        self.conv = nn.Conv2d(1, 8, 3, padding=1)
        self.fc = nn.Linear(8 * 64 * 44, 10)
    def forward(self, x):
        return self.fc(self.conv(x).flatten(1))

mel = torchaudio.transforms.MelSpectrogram(sample_rate=22050, n_fft=1024, hop_length=512, n_mels=64)
usd = UrbanSoundDataset("/data/UrbanSound8K/metadata/UrbanSound8K.csv", mel, 22050, 22050)
model = Net()
model.eval()
x = usd[0][0]
x.unsqueeze_(0)
with torch.no_grad():
    y = model(x)
print(len(usd))
`);
    expect(r.step.batch).toBe(1);
    expect(r.model.params).toBe(80 + 8 * 64 * 44 * 10 + 10);
    expect(r.problems.some((p) => p.code === 'audio-file' && /UrbanSound8K/.test(p.message))).toBe(true);
  });

  it('steps over a catalog audio dataset come from its size (UrbanSound8K: 8,732 clips)', () => {
    const r = run(`${AUDIO_DATASET}
import torch.nn as nn
class UrbanSoundDataset(SoundDataset):
    pass
mel = torchaudio.transforms.MelSpectrogram(sample_rate=22050, n_fft=1024, hop_length=512, n_mels=64)
usd = UrbanSoundDataset("UrbanSound8K.csv", mel, 22050, 22050)
loader = DataLoader(usd, batch_size=128)
model = nn.Sequential(nn.Flatten(), nn.Linear(64 * 44, 10))
opt = torch.optim.Adam(model.parameters())
for epoch in range(10):
    for x, y in loader:
        loss = model(x).sum()
        opt.zero_grad()
        loss.backward()
        opt.step()
`);
    expect(r.run.steps).toBe(10 * Math.ceil(8732 / 128));
    expect(r.step.batch).toBe(128);
  });

  it('an audio file outside any catalog dataset is a stated default clip, and the dataset= directive picks one', () => {
    const plain = run(`import torchaudio
wave, sr = torchaudio.load("clip.wav")
`);
    expect(plain.problems.find((p) => p.code === 'audio-file')?.message).toMatch(/mono, 16,000 samples at 16,000 Hz/);
    const named = run(`# floplens: dataset=gtzan
import torchaudio
wave, sr = torchaudio.load("song.wav")
`);
    expect(named.problems.find((p) => p.code === 'audio-file')?.message).toMatch(/GTZAN is taken as mono, 661,500 samples at 22,050 Hz/);
  });
});

describe('a model by name from a local module (DINO-style registries)', () => {
  const VITS = `import torch.nn as nn
class VisionTransformer(nn.Module):
    def __init__(self, patch_size=16, embed_dim=64, **kwargs):
        super().__init__()
        self.embed_dim = embed_dim
        self.patch = nn.Conv2d(3, embed_dim, patch_size, patch_size)
        self.fc = nn.Linear(embed_dim, embed_dim)
    def forward(self, x):
        return self.fc(self.patch(x).flatten(2).transpose(1, 2))
def vit_tiny(patch_size=16, **kwargs):
    return VisionTransformer(patch_size=patch_size, embed_dim=192, **kwargs)
def vit_small(patch_size=16, **kwargs):
    return VisionTransformer(patch_size=patch_size, embed_dim=384, **kwargs)
`;
  it('vits.__dict__[args.arch](...) builds the named model; `name in vits.__dict__.keys()` is decided', () => {
    const a = analyze({
      text: `import argparse
import torch
import vision_transformer as vits
parser = argparse.ArgumentParser()
parser.add_argument('--arch', default='vit_small', type=str)
args = parser.parse_args()
if args.arch in vits.__dict__.keys():
    student = vits.__dict__[args.arch](patch_size=16)
else:
    student = None
with torch.no_grad():
    student(torch.zeros(2, 3, 224, 224))
`,
      file: 'main.py',
      modules: [{ name: 'vision_transformer', path: 'vision_transformer.py', text: VITS }],
    });
    expect(a.model.params).toBe(3 * 16 * 16 * 384 + 384 + 384 * 384 + 384);
    expect(a.step.batch).toBe(2);
  });
});

describe('a list filled in a loop over data is data-many, never empty', () => {
  const WINDOWS = `import numpy as np
import pandas as pd
import torch
import torch.nn as nn
data = pd.read_csv('prices.csv').iloc[:, 1:2].values
def sliding_windows(data, seq_length):
    x = []
    y = []
    for i in range(len(data) - seq_length - 1):
        x.append(data[i:(i + seq_length)])
        y.append(data[i + seq_length])
    return np.array(x), np.array(y)
x, y = sliding_windows(data, 4)
train_size = int(len(y) * 0.67)
trainX = torch.Tensor(np.array(x[0:train_size]))
`;
  it('windows appended over range(len(data) - k) of a file FlopLens does not read: the arrays and their slices are unknown, not one or zero rows', () => check(WINDOWS, `x = unknown (numpy.array of items appended in a loop over data (their number is data))
y = unknown (numpy.array of items appended in a loop over data (their number is data))
trainX = unknown (torch.Tensor)`));

  it('the model trained on them gets a stated input, never an empty batch', () => {
    const r = run(`${WINDOWS}
lstm = nn.LSTM(input_size=1, hidden_size=2, batch_first=True)
opt = torch.optim.Adam(lstm.parameters())
for epoch in range(100):
    out, _ = lstm(trainX)
    loss = out.sum()
    opt.zero_grad()
    loss.backward()
    opt.step()
`);
    expect(r.step.batch).toBeGreaterThan(0);
    expect(r.step.forwardFlops).toBeGreaterThan(0);
    expect(r.problems.some((p) => p.code === 'bad-value')).toBe(false);
    expect(r.problems.some((p) => p.code === 'shape-fallback')).toBe(true);
  });
});

describe('surgery on a catalog torchvision model: any named child replaced or removed changes the costed model', () => {
  const TRAIN = `
opt = torch.optim.SGD(model.parameters(), lr=0.1)
x = torch.randn(256, 3, 32, 32)
for i in range(10):
    loss = model(x).sum()
    opt.zero_grad()
    loss.backward()
    opt.step()
`;
  it('the CIFAR stem (3x3 stride-1 conv1, maxpool = nn.Identity) on resnet18: exact params and forward FLOPs', () => {
    const r = run(`import torch
import torch.nn as nn
import torchvision
model = torchvision.models.resnet18(pretrained=False, num_classes=10)
model.conv1 = nn.Conv2d(3, 64, kernel_size=(3, 3), stride=(1, 1), padding=(1, 1), bias=False)
model.maxpool = nn.Identity()
${TRAIN}`);
    // torch 1.13 dispatch counter on this model and input (corpus g-lt-cifar10-baseline's truth): 11,173,962 params, 284,376,432,640 FLOPs.
    expect(r.model.params).toBe(11_173_962);
    expect(r.step.forwardFlops).toBe(284_376_432_640);
  });

  it('a removed body child alone (maxpool) doubles the spatial size every later child sees', () => {
    const stock = run(`import torch
import torchvision
model = torchvision.models.resnet18(num_classes=10)
${TRAIN}`);
    const noPool = run(`import torch
import torch.nn as nn
import torchvision
model = torchvision.models.resnet18(num_classes=10)
model.maxpool = nn.Identity()
${TRAIN}`);
    expect(noPool.model.params).toBe(stock.model.params);
    // The 7x7 stem is the same; layer1..layer4 run on 4x the positions (fc and the pool are a sliver).
    expect(noPool.step.forwardFlops / stock.step.forwardFlops).toBeGreaterThan(3.5);
    expect(noPool.step.forwardFlops / stock.step.forwardFlops).toBeLessThan(4);
  });

  it('a replacement whose output the catalog children cannot take is costed as the original model, and said', () => {
    const r = run(`import torch
import torch.nn as nn
import torchvision
model = torchvision.models.resnet18(num_classes=10)
model.conv1 = nn.Conv2d(3, 32, 3, 1, 1, bias=False)
${TRAIN}`);
    expect(r.problems.some((p) => p.code === 'surgery' && /could not be followed/.test(p.message))).toBe(true);
    expect(r.step.forwardFlops).toBeGreaterThan(0);
  });
});
