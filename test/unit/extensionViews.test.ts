// Pure view derivations shared by the sidebar, panel, hovers, CodeLens and report.
import { describe, expect, it } from 'vitest';
import { bestPair, opRows, opSecondsByDevice, peakFor, ridge, shortName, sortOpRows, speedup } from '../../src/shared/viewModel';
import { fitAdvice, fitMessage } from '../../src/extension/features/fitAdvice';
import { hoverMarkdown, inlayHints, lensTitles, opsAt, opTimesFrom } from '../../src/extension/features/lookup';
import { programDiagnostics } from '../../src/extension/features/diagnosticRules';
import { buildCellMap, cellLineToProgram, programLineToCell } from '../../src/extension/notebookMap';
import { analysis, CPU, GPU, loc, module, op, projection, SMALL_GPU } from './extensionFixture';

const devices = [
  { id: 'h100-sxm', name: 'H100', kind: 'gpu' as const, peakFlops: { fp32: 67e12, bf16: 989e12 }, memoryBandwidth: 3.35e12, memoryBytes: 80 * 2 ** 30 },
  { id: 'epyc-9654', name: 'EPYC', kind: 'cpu' as const, peakFlops: { fp32: 5e12 }, memoryBandwidth: 460e9, memoryBytes: 768 * 2 ** 30 },
];

describe('view model', () => {
  it('picks the verdict\'s best pair and the speed-up', () => {
    const a = analysis();
    expect(bestPair(a)).toEqual({ cpu: CPU, gpu: GPU });
    expect(speedup(a)).toBe(100);
    const b = analysis({ verdict: { summary: 's', gpuPaysOff: true, reason: 'r' }, projections: [CPU, GPU, SMALL_GPU] });
    expect(bestPair(b).gpu?.hardwareId).toBe('h100-sxm');
    expect(speedup(b)).toBeCloseTo(1000 / 10);
  });

  it('shortens device names', () => {
    expect(shortName('NVIDIA GeForce RTX 4090')).toBe('RTX 4090');
    expect(shortName('NVIDIA H100 SXM')).toBe('H100 SXM');
    expect(shortName('Intel Core Ultra 7 155H (laptop)')).toBe('Core Ultra 7 155H');
  });

  it('falls back through dtypes for peaks', () => {
    expect(peakFor(devices[0], 'fp16')).toBe(989e12);
    expect(peakFor(devices[1], 'bf16')).toBe(5e12);
    expect(ridge(devices[0], 'fp32')).toBeCloseTo(20, 0);
  });

  it('builds op rows with shares and bounds, and sorts them', () => {
    const ops = [op({ name: 'a', forwardFlops: 100, backwardFlops: 200, bytesRead: 1000, bytesWritten: 0 }), op({ name: 'b', forwardFlops: 1e6, backwardFlops: 2e6, bytesRead: 1000, bytesWritten: 0, count: 2 })];
    const a = analysis({ ops });
    const rows = opRows(a, devices, undefined, 'h100-sxm');
    expect(rows.map((r) => r.bound)).toEqual(['memory', 'compute']);
    expect(rows[1].stepFlops).toBe(6e6);
    expect(rows[0].share + rows[1].share).toBeCloseTo(1);
    expect(sortOpRows(rows, 'flops', true).map((r) => r.op.name)).toEqual(['b', 'a']);
    expect(sortOpRows(rows, 'name', false).map((r) => r.op.name)).toEqual(['a', 'b']);
    const timed = opRows(a, devices, { 'h100-sxm': [3, 1] }, 'h100-sxm');
    expect(timed[1].seconds['h100-sxm']).toBe(2);
    expect(timed[0].share).toBeCloseTo(0.6);
    expect(sortOpRows(timed, 'time:h100-sxm', true)[0].op.name).toBe('a');
  });

  it('takes per-op times from the projections that cover every op', () => {
    const a = analysis({ ops: [op(), op()], projections: [projection({ opSeconds: [3, 1] }), projection({ hardwareId: 't4', opSeconds: [] })] });
    expect(opSecondsByDevice(a)).toEqual({ 'h100-sxm': [3, 1] });
    expect(opSecondsByDevice({ ...a, ops: [] })).toEqual({ t4: [] });
  });
});

describe('editor surfaces', () => {
  const link = (i?: number) => `command:floplens.openPanel?${i ?? ''}`;

  it('finds the innermost op at a position', () => {
    const inner = op({ name: 'act', label: 'F.relu', kind: 'relu', loc: loc(20, 12, 30) });
    const outer = op({ name: 'fc', loc: loc(20, 4, 40) });
    const a = analysis({ ops: [outer, inner] });
    expect(opsAt(a, 20, 15).map((h) => h.op.name)).toEqual(['act']);
    expect(opsAt(a, 20, 5).map((h) => h.op.name)).toEqual(['fc']);
    expect(opsAt(a, 21)).toEqual([]);
  });

  it('hovers a layer constructor with params, FLOPs and MACs, bytes, intensity, bound and a panel link', () => {
    const a = analysis({ ops: [op({ name: 'blocks.0.fc', declLoc: loc(8, 18, 40) }), op({ name: 'blocks.1.fc', declLoc: loc(8, 18, 40) })] });
    const md = hoverMarkdown({ analysis: a, line: 8, col: 20, bandwidth: { 'h100-sxm': 3.35e12 }, panelLink: link, opTimes: opTimesFrom({ 'h100-sxm': [1e-4, 1e-4], 'epyc-9654': [1e-2, 1e-2] }) })!;
    expect(md).toContain('`nn.Linear` — 2 instances');
    expect(md).toMatch(/263k params/);
    expect(md).toMatch(/FLOP forward\/step \([\d.]+ MMAC\)/);
    expect(md).toMatch(/FLOP\/B/);
    expect(md).toMatch(/bound on H100 SXM/);
    expect(md).toContain('H100 SXM 200 µs/step');
    expect(md).toContain('EPYC 9654 20 ms/step');
    expect(md).toContain('(command:floplens.openPanel?0)');
  });

  it('says nothing where there is nothing to say', () => {
    expect(hoverMarkdown({ analysis: analysis(), line: 99, bandwidth: {}, panelLink: link })).toBeUndefined();
  });

  it('hovers a model class with step times', () => {
    const md = hoverMarkdown({ analysis: analysis(), line: 5, col: 3, bandwidth: {}, panelLink: link })!;
    expect(md).toContain('model `Net`');
    expect(md).toContain('1M params');
    expect(md).toContain('H100 SXM 10 ms/step');
    expect(md).toContain('EPYC 9654 1 s/step');
  });

  it('escapes source-derived names in code spans', () => {
    const md = hoverMarkdown({ analysis: analysis({ ops: [op({ label: 'evil`](command:x)', declLoc: loc(8) })] }), line: 8, bandwidth: {}, panelLink: link })!;
    expect(md).not.toContain('`](command:x)');
  });

  it('titles CodeLens for models and loops', () => {
    const a = analysis({ modules: [module(), module({ name: 'training loop', kind: 'loop', loc: loc(40) }), module({ name: 'nn.Linear', kind: 'layer', loc: loc(8) })] });
    const lenses = lensTitles(a);
    expect(lenses.map((l) => l.line)).toEqual([5, 40]);
    expect(lenses[0].title).toMatch(/^1M params · [\d.]+ [MGT]?FLOP\/step · H100 SXM 10 ms\/step · EPYC 9654 1 s\/step$/);
    expect(lenses[1].title).toMatch(/^training loop · 1,000 steps · H100 SXM 10 s · EPYC 9654 17 min · \$2.00 on H100 SXM$/);
  });

  it('gives one inlay hint per call site with shape and FLOPs', () => {
    const a = analysis({ ops: [op({ loc: loc(20), count: 2 }), op({ loc: loc(21), outputShape: [] , forwardFlops: 0 })] });
    const hints = inlayHints(a, 1, 100);
    expect(hints).toHaveLength(1);
    expect(hints[0].label).toBe('[32, 256] · 16.8 MFLOP');
  });
});

describe('fit advice and diagnostics', () => {
  const big = analysis({
    memory: { weights: 28e9, gradients: 28e9, optimizer: 56e9, activations: 20e9, inputs: 1e6, kvCache: 0, overhead: 0, peakBytes: 132e9 },
    model: { name: 'Net', params: 7e9, trainableParams: 7e9, frozenParams: 0, paramBytes: 28e9, source: 'script' },
    projections: [CPU, projection({ hardwareId: 'rtx-4090', hardwareName: 'NVIDIA GeForce RTX 4090', fits: false, devicesNeeded: 7, devicesUsed: 7, memoryBytes: 133e9, capacityBytes: 24 * 2 ** 30 }),
      projection({ hardwareId: 'a100-80gb', hardwareName: 'NVIDIA A100 80GB', fits: false, devicesNeeded: 2, devicesUsed: 2, memoryBytes: 133e9, capacityBytes: 80 * 2 ** 30 })],
  });

  it('lists what would fit', () => {
    const advice = fitAdvice(big);
    expect(advice.misfits.map((p) => p.hardwareId)).toEqual(['rtx-4090', 'a100-80gb']);
    const labels = advice.options.map((o) => o.label);
    expect(labels).toEqual(expect.arrayContaining(['bf16', '8-bit Adam', 'LoRA', '2 × A100 80GB']));
    expect(advice.options.find((o) => o.label === 'bf16')?.directive).toEqual({ key: 'dtype', value: 'bf16' });
    expect(advice.options.find((o) => o.label === 'LoRA')?.fits).toContain('A100 80GB');
    const msg = fitMessage(big, advice)!;
    expect(msg).toMatch(/^Will not fit in GPU memory on RTX 4090 \(22\.8 GiB usable of 24 GiB\), A100 80GB \(76 GiB usable of 80 GiB\): the step needs 123 GiB at peak .* plus the runtime's context\./);
    expect(msg).toContain('Would fit with:');
  });

  it('has nothing to say when everything fits', () => {
    expect(fitAdvice(analysis()).misfits).toEqual([]);
    expect(fitMessage(analysis(), fitAdvice(analysis()))).toBeUndefined();
  });

  it('reports won\'t-fit at the model, a GPU note for CPU scripts and located problems', () => {
    const a = { ...big, problems: [{ severity: 'warning' as const, code: 'directive', message: 'bad', loc: loc(3) }, { severity: 'info' as const, code: 'x', message: 'no loc' }] };
    const d = programDiagnostics(a);
    expect(d.map((x) => [x.code, x.severity, x.loc?.line])).toEqual([['wont-fit', 'warning', 5], ['gpu-faster', 'info', 5], ['directive', 'warning', 3]]);
    expect(programDiagnostics({ ...analysis(), run: { ...analysis().run, device: 'cuda' } }).map((x) => x.code)).toEqual([]);
  });
});

describe('notebook mapping', () => {
  it('maps notebook cells to program lines and back', () => {
    const cells = ['import torch\nx = 1', 'y = 2', 'class Net:\n  pass\n'];
    const map = buildCellMap(cells);
    const program = cells.join('\n\n').split('\n');
    for (const [i, cell] of cells.entries()) {
      cell.split('\n').forEach((text, line) => {
        const p = cellLineToProgram(map, i, line);
        expect(program[p - 1]).toBe(text);
        expect(programLineToCell(map, p)).toEqual({ cell: i, line });
      });
    }
    expect(programLineToCell(map, 3)).toBeUndefined();
  });
});
