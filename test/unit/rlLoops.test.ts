/**
 * Run-length conventions of training loops (issue 14): how many optimizer steps a loop makes, which forward work one
 * step carries (RL rollouts, replay buffers, periodic evaluation), and the batch of the call that is trained.
 */
import { describe, expect, it } from 'vitest';
import { analyze } from '../../src/core/analyze';

const run = (text: string) => analyze({ text, file: 'snippet.py' });

describe('while True loops and their exits', () => {
  const loop = (evalOnly: string) => run(`
import torch, torch.nn as nn
max_iters = 5000
eval_only = ${evalOnly}
net = nn.Linear(8, 8); opt = torch.optim.AdamW(net.parameters())
iter_num = 0
while True:
    if iter_num == 0 and eval_only:
        break
    loss = net(torch.randn(4, 8)).sum(); loss.backward(); opt.step()
    iter_num += 1
    if iter_num > max_iters:
        break
`);
  it('an exit gated by a flag that is False never fires; the counter bound decides', () => {
    expect(loop('False').run.steps).toBe(5001);
  });
  it('the same exit with the flag True is the bound (one pass ends the loop)', () => {
    expect(loop('True').run.steps).not.toBe(5001);
  });
});
