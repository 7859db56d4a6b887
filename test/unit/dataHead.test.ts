/**
 * A known model's classifier head sized from the data (issue 14): `num_classes=len(label_to_id)` over labels read from
 * a folder listing FlopLens cannot see takes the class count of the one catalog dataset the run reads (a script Dataset
 * linked to it), stated; with none, the published head stays and a warning names the `classes=` directive; the
 * directive wins. A frozen backbone whose `get_classifier()` is made trainable again trains that head only.
 */
import { describe, expect, it } from 'vitest';
import { analyze } from '../../src/core/analyze';

/** timm resnet18: 11,689,512 parameters with its 1,000-class head (512 × 1,000 + 1,000). */
const RESNET18 = 11_689_512;
const headOf = (classes: number) => 512 * classes + classes;

const script = (dataset: string, extra = '') => `
import os
import timm
import torch
from torch.utils.data import Dataset, DataLoader
${extra}
files = [f for f in os.listdir("data") if f.endswith(".jpg")]
labels = sorted(set(f.split("_")[0] for f in files))
label_to_id = {l: i for i, l in enumerate(labels)}

class ${dataset}(Dataset):
    def __init__(self, files):
        self.files = files
    def __len__(self):
        return len(self.files)
    def __getitem__(self, i):
        return torch.randn(3, 224, 224), 0

loader = DataLoader(${dataset}(files), batch_size=16)
model = timm.create_model("resnet18", num_classes=len(label_to_id))
opt = torch.optim.SGD(model.parameters(), lr=0.1)
for x, y in loader:
    loss = torch.nn.functional.cross_entropy(model(x), y)
    loss.backward()
    opt.step()
`;

describe('a classifier head sized from the data', () => {
  it('takes the class count of the catalog dataset a script Dataset is linked to, stated with the directive', () => {
    const a = analyze({ text: script('PetsDataset'), file: 'cv.py' });
    expect(a.model.params).toBe(RESNET18 - headOf(1000) + headOf(37));
    const said = a.problems.find((p) => p.code === 'data-dependent');
    expect(said?.severity).toBe('info');
    expect(said?.message).toMatch(/37 classes of Oxford-IIIT Pet.*classes=N/);
  });

  it('without a dataset FlopLens knows, keeps the published head and warns with the directive (never silent)', () => {
    const a = analyze({ text: script('LeafImages'), file: 'cv.py' });
    expect(a.model.params).toBe(RESNET18);
    const said = a.problems.find((p) => p.code === 'data-dependent');
    expect(said?.severity).toBe('warning');
    expect(said?.message).toMatch(/published head is kept.*# floplens: classes=N/);
  });

  it('the classes= directive sets the head', () => {
    const a = analyze({ text: `# floplens: classes=5\n${script('PetsDataset')}`, file: 'cv.py' });
    expect(a.model.params).toBe(RESNET18 - headOf(1000) + headOf(5));
    expect(a.problems.some((p) => p.code === 'directive-unused')).toBe(false);
  });

  it('a frozen backbone whose get_classifier() parameters train again trains only the head', () => {
    const freeze = script('PetsDataset').replace('opt = torch.optim', `for p in model.parameters():
    p.requires_grad = False
for p in model.get_classifier().parameters():
    p.requires_grad = True
opt = torch.optim`);
    const a = analyze({ text: freeze, file: 'cv.py' });
    expect(a.model.trainableParams).toBe(headOf(37));
    expect(a.model.params).toBe(RESNET18 - headOf(1000) + headOf(37));
  });
});
