/**
 * Real scripts, held-out corpus group e (issue 14): constructs of modern Hugging Face / Accelerate / LLM scripts that
 * FlopLens read wrong before it had seen them.
 */
import { describe, expect, it } from 'vitest';
import { check } from './snippetCheck';
import { analyze } from '../../src/core/analyze';

const run = (text: string) => analyze({ text, file: 'snippet.py' });

describe('an environment variable is unset: the script\'s own default, None when it gives none', () => {
  it('os.environ.get with an explicit None default, or none, is None; a given default is kept', () => check(`import os
a = os.environ.get("TESTING_MOCKED_DATALOADERS", None)
b = os.environ.get("TESTING_MOCKED_DATALOADERS")
c = os.getenv("WORLD_SIZE", "1")
d = int(os.environ.get("RANK", -1))
e = os.environ.get("FLAG", default="0")
`, 'a = None\nb = None\nc = "1"\nd = -1\ne = "0"'));

  it('a test-only branch on an unset variable is not taken (Accelerate examples swap in mocked loaders there)', () => {
    const r = run(`import os
import torch
import torch.nn as nn
from torch.utils.data import DataLoader, TensorDataset

def get_dataloaders(batch_size=16):
    ds = TensorDataset(torch.randn(3200, 64), torch.randint(0, 2, (3200,)))
    return DataLoader(ds, batch_size=batch_size, shuffle=True)

if os.environ.get("TESTING_MOCKED_DATALOADERS", None) == "1":
    from accelerate.test_utils.training import mocked_dataloaders
    get_dataloaders = mocked_dataloaders

def training_function(config):
    if os.environ.get("TESTING_MOCKED_DATALOADERS", None) == "1":
        config["num_epochs"] = 2
    model = nn.Linear(64, 2)
    opt = torch.optim.AdamW(model.parameters())
    loader = get_dataloaders(int(config["batch_size"]))
    for epoch in range(int(config["num_epochs"])):
        for x, y in loader:
            loss = nn.functional.cross_entropy(model(x), y)
            loss.backward()
            opt.step()
            opt.zero_grad()

training_function({"lr": 2e-5, "num_epochs": 3, "batch_size": 16})
`);
    expect(r.step.batch).toBe(16);
    expect(r.run.steps).toBe(3 * 200);
    expect(r.step.forwardFlops).toBe(2 * 16 * 64 * 2);
  });
});
