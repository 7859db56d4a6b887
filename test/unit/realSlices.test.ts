/**
 * Real scripts, slices between unknown bounds: an unknown scalar plus a known number keeps that offset (offsets.ts),
 * so `img[:, y1:y2]` with `y2 = y1 + k` (y1 a random draw) is k wide, while bounds from two unrelated unknowns stay
 * of unknown width.
 */
import { describe, expect, it } from 'vitest';
import { check, facts } from './snippetCheck';

const NP = 'import numpy as np\nimport torch\nimg = torch.randn(3, 128, 128)\n';

describe('a slice between an unknown and that unknown plus k is k wide', () => {
  it('random corner, y2 = y1 + k (a random inpainting mask)', () => check(`${NP}
y1, x1 = np.random.randint(0, 128 - 48, 2)
y2, x2 = y1 + 48, x1 + 48
part = img[:, y1:y2, x1:x2]`, 'part = tensor[3, 48, 48]'));
  it('the offset accumulates through + and -, and k + u', () => check(`${NP}
lo = np.random.randint(0, 50)
mid = 10 + lo
hi = mid + 20 - 5
part = img[:, lo:hi]
tail = img[:, mid:hi]`, 'part = tensor[3, 25, 128]\ntail = tensor[3, 15, 128]'));
  it('through an augmented assignment', () => check(`${NP}
start = np.random.randint(0, 100)
end = start
end += 16
x = img[0, start:end]`, 'x = tensor[16, 128]'));
  it('a value from a file (not a tensor) works the same', () => check(`import json
import torch
data = torch.randn(1000, 8)
start = json.load(open('cfg.json'))['start']
stop = start + 64
batch = data[start:stop]`, 'batch = tensor[64, 8]'));
  it('lists slice the same way', () => check(`import json
xs = list(range(100))
s = json.load(open('cfg.json'))['s']
e = s + 5
w = len(xs[s:e])`, 'w = 5'));
  it('two unrelated unknowns: the width stays unknown (the whole dim)', () => check(`${NP}
a = np.random.randint(0, 50)
b = np.random.randint(0, 50)
c = b + 10
part = img[:, a:c]`, 'part = tensor[3, 128, 128]'));
  it('the textual i:i + k form still holds', () => check(`${NP}
i = np.random.randint(0, 100)
x = img[:, i:i + 8]`, 'x = tensor[3, 8, 128]'));
});

describe('PIL crop boxes between unknown corners', () => {
  const CROP = `
import random
from PIL import Image
import torchvision.transforms.functional as FT
img = Image.open(path, mode='r').convert('RGB')
left = random.randint(1, img.width - 96)
top = random.randint(1, img.height - 96)
hr = img.crop((left, top, left + 96, top + 96))
lr = hr.resize((int(hr.width / 4), int(hr.height / 4)), Image.BICUBIC)
w = hr.width
lw = lr.width
t = FT.to_tensor(lr)
`;
  it('a random crop of a known size has that size, and a resize of it follows (never a 1 x 1 image)', () => {
    expect(facts(CROP, ['w', 'lw'])).toBe('w = 96\nlw = 24');
  });
  it('to_tensor of an RGB image of known size is [3, h, w]', () => {
    expect(facts(CROP, ['t'])).toBe('t = tensor[3, 24, 24] fp32');
  });
  it('corners with no known distance leave the crop unsized rather than guessed', () => {
    expect(facts(`
import random
from PIL import Image
img = Image.open(path).convert('RGB')
a = random.randint(0, 10)
b = random.randint(20, 30)
w = img.crop((a, a, b, b)).width
`, ['w'])).not.toMatch(/^w = \d/);
  });
});
