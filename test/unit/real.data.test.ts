/**
 * Issue 14 part 2: arrays read from token files (nanoGPT's get_batch), one construct per test.
 */
import { describe, it } from 'vitest';
import { check } from './snippetCheck';

describe('flat data files', () => {
  it('np.memmap is a flat int array whose slices of a fixed width keep the width', () => {
    check(`
import numpy as np, torch
data = np.memmap('train.bin', dtype=np.uint16, mode='r')
ix = torch.randint(len(data) - 256, (12,))
x = torch.stack([torch.from_numpy((data[i:i+256]).astype(np.int64)) for i in ix])
y = torch.stack([torch.from_numpy((data[i+1:i+1+256]).astype(np.int64)) for i in ix])
`, `
ix = tensor[12]
x = tensor[12, 256]
y = tensor[12, 256]
`);
  });

  it('a memmap with an explicit shape has that shape', () => {
    check(`
import numpy as np
a = np.memmap('x.bin', dtype=np.float32, mode='r', shape=(1000, 64))
`, 'a = tensor[1000, 64]');
  });

  it('a slice i:i+k of a traced tensor with i unknown is k wide; i:j with both unknown keeps the dim', () => {
    check(`
import torch
t = torch.randn(10000, 8)
i = int(input())
a = t[i:i + 32]
b = t[i:int(input())]
`, `
a = tensor[32, 8]
b = tensor[10000, 8]
`);
  });
});
