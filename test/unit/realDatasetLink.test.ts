/**
 * Real scripts, a script's own Dataset over a folder of a well-known dataset: linked to the catalog by its class name
 * or a folder path it holds (lib/datasetLink.ts), its images have the catalog's size (PIL `.size`, `resize`, `crop`,
 * `np.asarray` follow it: lib/pil.ts) and its `__len__` over files FlopLens cannot list is the catalog's training split,
 * stated with the directive that changes it.
 */
import { describe, expect, it } from 'vitest';
import { check } from './snippetCheck';
import { analyze } from '../../src/core/analyze';

const HEAD = `import numpy as np
import torch
from os import listdir
from PIL import Image
from torch.utils.data import Dataset, DataLoader, random_split
`;

const dataset = (name: string, folder: string) => `${HEAD}
class ${name}(Dataset):
    def __init__(self, images_dir, scale=1.0):
        self.images_dir = images_dir
        self.scale = scale
        self.ids = [f for f in listdir(images_dir)]

    def __len__(self):
        return len(self.ids)

    def __getitem__(self, idx):
        img = Image.open(self.images_dir + self.ids[idx])
        w, h = img.size
        img = img.resize((int(self.scale * w), int(self.scale * h)), resample=Image.BICUBIC)
        a = np.asarray(img)
        if a.ndim == 2:
            a = a[np.newaxis, ...]
        else:
            a = a.transpose((2, 0, 1))
        return torch.as_tensor(a.copy()).float() / 255.0

ds = ${name}('${folder}', 0.5)
n = len(ds)
n_val = int(n * 0.1)
train_set, val_set = random_split(ds, [n - n_val, n_val])
loader = DataLoader(train_set, batch_size=2)
for x in loader:
    break
`;

const messages = (text: string): string[] => analyze({ text, file: 'snippet.py' }).problems.filter((p) => p.code === 'dataset-linked').map((p) => p.message);

describe('a script Dataset linked to a catalog dataset', () => {
  it('by its class name: the catalog size, and its images at the catalog size through a scale', () =>
    check(dataset('CarvanaDataset', 'data/imgs/'), 'n = 5088\nn_val = 508\nx = tensor[2, 3, 640, 959] fp32'));
  it('a subclass named after the dataset links its base class\'s reading', () => check(`${dataset('BasicDataset', 'data/imgs/')}
class CarvanaDataset(BasicDataset):
    pass
m = len(CarvanaDataset('data/imgs/'))`, 'm = 5088\nn = unknown'));
  it('by a folder path naming the dataset', () => check(dataset('FolderDataset', 'data/carvana/train/'), 'n = 5088\nx = tensor[2, 3, 640, 959] fp32'));
  it('a generic name over an unnamed folder stays unknown (never a catalog guess)', () => check(dataset('ImageDataset', 'data/imgs/'), 'n = unknown'));
  it('the size is stated once, with its directive', () => {
    const m = messages(dataset('CarvanaDataset', 'data/imgs/'));
    expect(m).toHaveLength(1);
    expect(m[0]).toContain('CarvanaDataset reads Carvana (its class name CarvanaDataset): 5,088 training samples of 1918×1280');
    expect(m[0]).toContain('dataset=N');
  });
});

describe('PIL image sizes and NumPy layouts', () => {
  const open = `${HEAD}img = Image.open('datasets/carvana/0001.jpg')\n`;
  it('an image under a catalog folder has its size', () => check(`${open}w, h = img.size\nww = img.width`, 'w = 1918\nh = 1280\nww = 1918'));
  it('resize and crop set the size; convert keeps it', () => check(`${open}a = img.resize((100, 50)).size\nb = img.crop((10, 20, 74, 84)).convert('L').size`, 'a = (100, 50)\nb = (64, 64)'));
  it('np.asarray: [h, w, c], one channel [h, w]', () => check(`${open}a = np.asarray(img.resize((100, 50)))\ng = np.array(img.convert('L').resize((100, 50)))`, 'a = tensor[50, 100, 3] int8\ng = tensor[50, 100] int8'));
  it('an image of unknown size stays unknown', () => check(`${HEAD}img = Image.open(path)\nw, h = img.size\na = np.asarray(img)`, 'w = unknown\na = unknown (numpy.asarray)'));
  it('NumPy transpose with an axes tuple is a permute', () => check(`${HEAD}a = np.zeros((64, 48, 3))\nb = a.transpose((2, 0, 1))\nc = a.transpose(1, 0, 2)\nt = torch.zeros(4, 5).transpose(0, 1)`, 'b = tensor[3, 64, 48]\nc = tensor[48, 64, 3]\nt = tensor[5, 4]'));
});
