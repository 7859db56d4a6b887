/**
 * Run-length conventions of training loops (issue 14): how many optimizer steps a loop makes, which forward work one
 * step carries (RL rollouts, replay buffers, periodic evaluation), and the batch of the call that is trained.
 */
import { describe, expect, it } from 'vitest';
import { analyze } from '../../src/core/analyze';
import { renderMarkdown } from '../../src/core/report/markdown';

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

describe('periodic evaluation inside the training loop', () => {
  const script = (evalLine: string, gate = 'step % 50 == 0') => `
import torch, torch.nn as nn
net = nn.Linear(100, 10); opt = torch.optim.SGD(net.parameters(), lr=0.1)
loader = torch.utils.data.DataLoader(torch.utils.data.TensorDataset(torch.randn(6000, 100)), batch_size=60)
test_x = torch.randn(2000, 100)
for epoch in range(2):
    for step, (x,) in enumerate(loader):
        loss = net(x).sum(); opt.zero_grad(); loss.backward(); opt.step()
        if ${gate}:
${evalLine.split('\n').map((l) => `            ${l}`).join('\n')}
`;
  const STEP = 2 * 60 * 100 * 10;
  const EVAL = 2 * 2000 * 100 * 10;
  it('a model call every N passes without no_grad is not in the step; it is reported and added to the run', () => {
    const r = run(script('out = net(test_x)'));
    expect(r.step.forwardFlops).toBe(STEP);
    expect(r.run.steps).toBe(200);
    // 200 steps / 50: evaluated 4 times.
    expect(r.run.periodicForwardFlops).toBe(4 * EVAL);
    expect(r.run.totalFlops).toBe(200 * r.step.trainFlops! + 4 * EVAL);
    expect(r.problems.find((p) => p.code === 'periodic-eval')?.message).toMatch(/once every 50 passes, line 9\): ≈ 4(\.00)? MFLOP forward each time/);
  });
  it('under no_grad the same', () => {
    const r = run(script('with torch.no_grad():\n    out = net(test_x)'));
    expect([r.step.forwardFlops, r.run.periodicForwardFlops]).toEqual([STEP, 4 * EVAL]);
  });
  it('the run time includes the evaluation at the step\'s rate', () => {
    const withEval = run(script('out = net(test_x)'));
    const without = run(script('pass'));
    const p = withEval.projections[0];
    const q = without.projections.find((x) => x.hardwareId === p.hardwareId)!;
    expect(p.stepSeconds.mid).toBeCloseTo(q.stepSeconds.mid, 12);
    expect(p.runSeconds.mid).toBeGreaterThan(q.runSeconds.mid);
  });
  it('a gate that trains (a GAN generator every n_critic passes) stays in the step', () => {
    const r = run(script('g = net(x).sum(); opt.zero_grad(); g.backward(); opt.step()', 'step % 5 == 0'));
    expect(r.step.forwardFlops).toBeCloseTo(STEP * (1 + 1 / 5), 6);
    expect(r.run.periodicForwardFlops).toBeUndefined();
  });
});

describe('periodic evaluation in the report', () => {
  it('the Markdown whole-run row names the periodic evaluation it includes', () => {
    const r = run(`
import torch, torch.nn as nn
net = nn.Linear(100, 10); opt = torch.optim.SGD(net.parameters(), lr=0.1)
for step in range(100):
    loss = net(torch.randn(60, 100)).sum(); opt.zero_grad(); loss.backward(); opt.step()
    if step % 10 == 0:
        out = net(torch.randn(2000, 100))
`);
    expect(renderMarkdown(r)).toMatch(/\| Whole run \| .* \(with 40(\.0)? MFLOP of periodic evaluation, not in the step\) \|/);
  });
});
