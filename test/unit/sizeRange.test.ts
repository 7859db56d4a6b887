/**
 * Sizes out of range are rejected where they arise: the op table gives "size out of range" (no costs) for a
 * dimension that is not an integer in [0, 2^53), and the projection leaves out a device whose times would overflow,
 * saying so, rather than reporting a NaN/Infinity figure or a silent 0 s.
 */
import { describe, expect, it } from 'vitest';
import { FUNCTIONS, METHODS, callLayer } from '../../src/core/ops';
import { isOpError, type Arg } from '../../src/core/ops/registry';
import { analyze } from '../../src/core/analyze';
import { project } from '../../src/core/project';
import { DEFAULT_COMPARE_IDS, getHardware } from '../../src/core/hardware';
import type { HardwareProfile } from '../../src/core/hardware';
import type { Workload } from '../../src/core/types';

const ctx = { dtype: 'fp32' as const, training: true };
const t = (shape: number[]): Arg => ({ kind: 'tensor', shape });
const BAD_DIMS = [1e308, 2 ** 64, NaN, Infinity, -1, 0.5];

describe('sizes out of range', () => {
  it('a layer, a function and a method on a tensor with a bad dimension give "size out of range"', () => {
    for (const d of BAD_DIMS) {
      const outs = [
        callLayer('Linear', [256, 10], {}, [t([d, 256])], {}, ctx),
        FUNCTIONS.relu([t([8, d])], {}, ctx),
        METHODS.sum([t([d, 3])], {}, ctx),
      ];
      for (const r of outs) {
        expect(isOpError(r), `dim ${d}`).toBe(true);
        if (isOpError(r)) expect(r.error).toMatch(/size out of range/);
      }
    }
  });

  it('an output past 2^53 elements or a cost past float range is out of range too', () => {
    const big = 2 ** 40;
    const r = FUNCTIONS.matmul([t([big, big]), t([big, big])], {}, ctx);
    expect(isOpError(r) && r.error).toMatch(/size out of range/);
    // In range stays costed.
    const ok = FUNCTIONS.matmul([t([64, 128]), t([128, 32])], {}, ctx);
    expect(isOpError(ok)).toBe(false);
    if (!isOpError(ok)) expect(ok.costs[0].forwardFlops).toBe(2 * 64 * 128 * 32);
  });

  it('a layer built with a bad size has unknown parameters, never a negative or infinite count', () => {
    const a = analyze({ text: 'import torch.nn as nn\nm = nn.Linear(-1, 10)\nk = nn.Conv2d(3, 1e308, 3)\n', file: 'x.py' });
    expect(a.model.params).toBeGreaterThanOrEqual(0);
    expect(Number.isFinite(a.model.params)).toBe(true);
  });

  it('the projection leaves out a device whose run time overflows and says why, with no 0 s figure', () => {
    const hw = DEFAULT_COMPARE_IDS.map((id) => getHardware(id)).filter((h): h is HardwareProfile => !!h);
    const a = analyze({ text: 'import torch\nimport torch.nn as nn\nm = nn.Linear(512, 512)\nx = torch.randn(64, 512)\nfor i in range(100):\n    y = m(x)\n', file: 'x.py' });
    const w: Workload = {
      run: { ...a.run, steps: 1e300 }, ops: a.ops.map((o) => ({ ...o, forwardFlops: 1e300, count: 1e10 })), memory: a.memory,
      params: a.model.params, trainableParams: a.model.trainableParams, forwardFlops: 1e300, backwardFlops: 0, recomputeFlops: 0,
    };
    const r = project(w, hw);
    expect(r.projections).toEqual([]);
    expect(r.verdict.summary).toMatch(/Not projected on .*beyond what a number can hold/);
    // The same workload at a sane size is projected on every device, with finite positive times.
    const sane = project({ ...w, run: a.run, ops: a.ops }, hw);
    expect(sane.projections.length).toBe(hw.length);
    for (const p of sane.projections) {
      expect(p.runSeconds.mid).toBeGreaterThan(0);
      expect(Number.isFinite(p.runSeconds.high)).toBe(true);
    }
  });
});

describe('an op with a size out of range in a script', () => {
  it('is uncounted, named, with the reason; the figures stay finite', () => {
    const a = analyze({ text: 'import torch\nimport torch.nn as nn\nm = nn.Linear(256, 10)\nx = torch.randn(64, 256)\ny = m(x)\nz = torch.relu(x.expand(2**40, 64, 256))\n', file: 'x.py' });
    expect(a.step.forwardFlops).toBe(2 * 64 * 256 * 10);
    const u = a.uncounted.find((x) => /size out of range/.test(x.reason));
    expect(u?.name).toMatch(/expand/);
  });
});
