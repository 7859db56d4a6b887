/**
 * Run loops in the style of litgpt / Lightning Fabric pretraining (issue 14, cause 5): an endless data iterator whose
 * passes a counter in a mapping bounds (`if state["iter_num"] >= max_iters: break`), gradient accumulation through a
 * flag (`is_accumulating = iter_num % accum != 0` … `if not is_accumulating: optimizer.step()`), and the device count
 * the accumulation is derived from (`torch.cuda.device_count()`, Fabric's `world_size`): one device unless `devices=`.
 */
import { describe, expect, it } from 'vitest';
import { analyze } from '../../src/core/analyze';

const loop = (gate: string, extra = '') => `
import torch
import torch.nn as nn

class CycleIterator:
    def __init__(self, iterable):
        self.iterable = iterable
        self._iterator = None

    def __next__(self):
        if self._iterator is None:
            self._iterator = iter(self.iterable)
        return next(self._iterator)

    def __iter__(self):
        return self

model = nn.Linear(16, 4)
opt = torch.optim.AdamW(model.parameters())
loader = torch.utils.data.DataLoader(torch.utils.data.TensorDataset(torch.randn(64, 16)), batch_size=8)
${extra}
state = {"iter_num": 0}
max_iters = 4000
for (batch,) in CycleIterator(loader):
    if state["iter_num"] >= max_iters:
        break
    state["iter_num"] += 1
    ${gate}
    loss = model(batch).sum()
    loss.backward()
    if not is_accumulating:
        opt.step()
        opt.zero_grad()
`;

describe('a pretraining loop over an endless iterator', () => {
  it('runs until the counter in a mapping reaches its limit, one optimizer step per accum passes of a flag gate', () => {
    const a = analyze({ text: loop('is_accumulating = state["iter_num"] % 16 != 0'), file: 'pretrain.py' });
    expect(a.step.microBatches).toBe(16);
    expect(a.run.steps).toBe(4000 / 16);
    expect(a.step.batch).toBe(8);
    expect(a.assumptions.find((x) => x.name === 'steps')?.note).toMatch(/until state\["iter_num"\] reaches 4000 ÷ 16 \(accumulation\)/);
  });

  it('a flag that is true on the step passes gates the same way (`if sync:` with sync = i % n == 0)', () => {
    const a = analyze({ text: loop('sync = state["iter_num"] % 4 == 0\n    is_accumulating = not sync').replace('if not is_accumulating:', 'if sync:'), file: 'pretrain.py' });
    expect(a.step.microBatches).toBe(4);
    expect(a.run.steps).toBe(1000);
  });

  it('the accumulation derived from the device count: one device (stated), or the devices= directive', () => {
    const derived = 'accum = 64 // (torch.cuda.device_count() * 8)';
    const one = analyze({ text: loop('is_accumulating = state["iter_num"] % accum != 0', derived), file: 'pretrain.py' });
    expect(one.step.microBatches).toBe(8);
    expect(one.problems.find((p) => p.code === 'device-count')?.message).toMatch(/taken as 1.*devices=N/);
    const two = analyze({ text: `# floplens: devices=2\n${loop('is_accumulating = state["iter_num"] % accum != 0', derived)}`, file: 'pretrain.py' });
    expect(two.step.microBatches).toBe(4);
  });

  it("Lightning Fabric's world_size is devices × num_nodes when the script gives numbers", () => {
    const text = loop('is_accumulating = state["iter_num"] % (32 // fabric.world_size) != 0', 'import lightning as L\nfabric = L.Fabric(devices=2, num_nodes=2)');
    expect(analyze({ text, file: 'pretrain.py' }).step.microBatches).toBe(8);
  });
});
