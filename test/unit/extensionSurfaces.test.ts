// The editor surfaces on real analyses of the integration workspace scripts (the same files the
// real-VS-Code suite opens): hover, CodeLens, inlay hints, diagnostics, fit advice.
import { readFileSync } from 'fs';
import { join } from 'path';
import { describe, expect, it } from 'vitest';
import { analyze } from '../../src/core/analyze';
import { getHardware } from '../../src/core/hardware';
import type { Analysis } from '../../src/core/types';
import { programDiagnostics } from '../../src/extension/features/diagnosticRules';
import { fitAdvice } from '../../src/extension/features/fitAdvice';
import { hoverMarkdown, inlayHints, lensTitles, servingInCurrency } from '../../src/extension/features/lookup';
import { buildCellMap, CELL_SEPARATOR, programLineToCell } from '../../src/extension/notebookMap';
import { directiveEdit } from '../../src/core/directives';

const WORKSPACE = join(__dirname, '../integration/workspace');
const COMPARE = ['core-ultra-7-155h', 'epyc-9654', 't4', 'rtx-4090', 'a100-80gb', 'h100-sxm'];
const hardware = COMPARE.map((id) => getHardware(id)!).filter(Boolean);
const bandwidth = Object.fromEntries(hardware.map((h) => [h.id, h.memoryBandwidth]));

function run(file: string, text = readFileSync(join(WORKSPACE, file), 'utf8')): { a: Analysis; text: string } {
  return { a: analyze({ text, file, hardware }), text };
}

/** 1-based line and 0-based column of the first `needle` (plus `offset`). */
function at(text: string, needle: string, offset = 0): { line: number; col: number } {
  const i = text.indexOf(needle);
  expect(i, needle).toBeGreaterThanOrEqual(0);
  const before = text.slice(0, i + offset);
  return { line: before.split('\n').length, col: i + offset - (before.lastIndexOf('\n') + 1) };
}

const link = (i?: number) => `command:floplens.openPanel?${i ?? ''}`;

describe('train_cifar.py', () => {
  const { a, text } = run('train_cifar.py');

  it('hovers nn.Linear with params, FLOPs, MACs, bytes and intensity', () => {
    const { line, col } = at(text, 'nn.Linear(64 * 8 * 8, 256)', 4);
    const md = hoverMarkdown({ analysis: a, line, col, bandwidth, panelLink: link })!;
    expect(md).toContain('`nn.Linear`');
    expect(md).toContain('1.05M params');
    expect(md).toMatch(/268 MFLOP forward\/step \(134 MMAC\)/);
    expect(md).toMatch(/MiB moved\/step · [\d.]+ FLOP\/B · (compute|memory)-bound on H100 SXM · out \[128, 256\]/);
  });

  it('says overhead-bound when the projected time of the layer is mostly per-op cost, not its FLOPs and bytes', () => {
    const { line, col } = at(text, 'nn.Linear(64 * 8 * 8, 256)', 4);
    const hover = (perOp: number) => hoverMarkdown({ analysis: a, line, col, bandwidth, panelLink: link, opTimes: (indices) => indices.map(() => perOp) })!;
    // 50 µs per op execution: far above what 0.8 GFLOP and 6 MiB take on an H100 (a few µs).
    expect(hover(50e-6)).toMatch(/FLOP\/B · overhead-bound on H100 SXM/);
    // At its roofline time the same layer is on its roofline side again.
    expect(hover(1e-9)).toMatch(/FLOP\/B · (compute|memory)-bound on H100 SXM/);
  });

  it('hovers the model class and the instantiation line', () => {
    for (const needle of ['class SmallCNN', 'SmallCNN().to(device)']) {
      const { line, col } = at(text, needle, needle.startsWith('class') ? 7 : 2);
      const md = hoverMarkdown({ analysis: a, line, col, bandwidth, panelLink: link })!;
      expect(md, needle).toContain('model `SmallCNN`');
      expect(md).toContain('1.07M params');
      expect(md).toMatch(/GFLOP\/step \(fwd\+bwd\)/);
    }
  });

  it('puts CodeLens on the class and the training loop', () => {
    const lenses = lensTitles(a);
    const cls = lenses.find((l) => l.line === at(text, 'class SmallCNN').line);
    expect(cls?.title).toMatch(/^1\.07M params · 5\.11 GFLOP\/step · H100 SXM [\d.]+ (µs|ms|s)\/step · Core Ultra 7 155H [\d.]+ (µs|ms|s)\/step$/);
    const loop = lenses.find((l) => l.title.startsWith('training loop'));
    expect(loop?.title).toMatch(/^training loop · 3,910 steps · H100 SXM [\d.]+ (s|min) · Core Ultra 7 155H [\d.]+ (s|min) · (< \$0\.01|\$0\.\d\d) on H100 SXM$/);
  });

  it('gives inlay hints with output shapes', () => {
    const hints = inlayHints(a, 1, 1000);
    const fc1 = hints.filter((h) => Math.max(h.loc.line, h.loc.endLine) === at(text, 'F.relu(self.fc1(x))').line);
    expect(fc1).toHaveLength(1);
    expect(fc1[0].label).toMatch(/^\[128, 256\] · 268 MFLOP$/);
  });

  it('reports no won\'t-fit diagnostic for a small CNN that fits', () => {
    expect(programDiagnostics(a).filter((d) => d.code === 'wont-fit')).toEqual([]);
  });
});

describe('big_mlp.py', () => {
  const { a, text } = run('big_mlp.py');

  it('does not fit a 24 GB GPU, says so at the model, and says what would fit', () => {
    const d = programDiagnostics(a).find((x) => x.code === 'wont-fit');
    expect(d?.severity).toBe('warning');
    expect(d?.loc?.line).toBe(at(text, 'class WideMLP').line);
    expect(d?.message).toMatch(/^Will not fit in GPU memory on [^:]*RTX 4090 \(22\.8 GiB usable of 24 GiB\)/);
    expect(d?.message).toMatch(/Would fit with: .*bf16 \+ 8-bit Adam \(≈[\d.]+ GiB, fits RTX 4090\).*LoRA.*3 × RTX 4090 \(states sharded\)/);
    const advice = fitAdvice(a);
    const bf16 = advice.options.find((o) => o.label === 'bf16');
    expect(bf16?.directive).toEqual({ key: 'dtype', value: 'bf16' });
  });

  it('the bf16 quick fix edit is a directive the core reads back', () => {
    const e = directiveEdit(text, 'dtype', 'bf16');
    const edited = text.slice(0, e.from) + e.insert + text.slice(e.to);
    const b = run('big_mlp.py', edited).a;
    expect(b.assumptions.find((x) => x.name === 'dtype')).toMatchObject({ value: 'bf16', source: 'directive' });
    expect(b.memory.peakBytes).toBeLessThan(a.memory.peakBytes);
  });
});

describe('notebooks', () => {
  it('maps op locations from the joined program back to the right cell', () => {
    const cells = [
      'import torch\nimport torch.nn as nn',
      '%matplotlib inline\nmodel = nn.Sequential(nn.Linear(784, 256), nn.ReLU(), nn.Linear(256, 10))',
      'x = torch.randn(32, 784)\ny = model(x)',
    ];
    const a = analyze({ text: '', file: 'nb.ipynb', cells: cells.map((c) => c.replace(/^%.*$/gm, '')), hardware });
    const map = buildCellMap(cells);
    expect(CELL_SEPARATOR).toBe('\n\n');
    const linear = a.ops.find((o) => o.kind === 'linear' && o.declLoc);
    expect(linear).toBeDefined();
    const where = programLineToCell(map, linear!.declLoc!.line);
    expect(where).toEqual({ cell: 1, line: 1 });
    expect(cells[1].split('\n')[1].slice(linear!.declLoc!.col)).toMatch(/^nn\.Linear\(784, 256\)/);
  });
});

describe('per-op times', () => {
  it('the core projects each op on each device, and the ops of an inference step add up to about its step time', () => {
    const text = readFileSync(join(WORKSPACE, 'train_cifar.py'), 'utf8').replace(/^(\s*)loss\.backward\(\)$/m, '$1pass').replace(/^(\s*)optimizer\.step\(\)$/m, '$1pass');
    const a = analyze({ text: `${text}\n# floplens: mode=infer\n`, file: 'infer.py', hardware });
    expect(a.run.mode).toBe('infer');
    const perOp = new Map(a.projections.map((p) => [p.hardwareId, p.opSeconds]));
    for (const h of hardware) {
      const p = a.projections.find((x) => x.hardwareId === h.id)!;
      expect(p.opSeconds, h.id).toHaveLength(a.ops.length);
      const sum = a.ops.reduce((s, op, i) => s + p.opSeconds[i] * op.count, 0);
      // Without the wait for the host's input pipeline (project.ts: DataLoader image decoding), which is not per-op.
      const step = p.stepSeconds.mid * (1 - (p.shares.data ?? 0));
      expect(sum, h.id).toBeGreaterThan(0);
      // Same per-op roofline; the step adds host work, input copies and (on GPUs) dispatch overlap.
      expect(sum / step, h.id).toBeGreaterThan(0.1);
      expect(sum / step, h.id).toBeLessThan(1.5);
    }
    const conv2 = a.ops.findIndex((o) => o.name.endsWith('conv2'));
    expect(perOp.get('h100-sxm')![conv2]).toBeLessThan(perOp.get('core-ultra-7-155h')![conv2]);
  });
});

describe('serve_chat.py', () => {
  it('the hover on the served call writes its money in the display currency (it was always dollars)', () => {
    const { a, text } = run('serve_chat.py');
    const { line, col } = at(text, 'output = model.generate', 16);
    const lineText = text.split('\n')[line - 1];
    const euros = hoverMarkdown({ analysis: a, line, col, bandwidth, panelLink: link, lineText, currency: { code: 'EUR', perUsd: 0.9 } })!;
    const serving = euros.split('\n\n').find((l) => l.startsWith('Serving at'));
    expect(serving).toMatch(/€/);
    expect(serving).not.toMatch(/\$/);
    const dollars = hoverMarkdown({ analysis: a, line, col, bandwidth, panelLink: link, lineText })!;
    expect(dollars.split('\n\n').find((l) => l.startsWith('Serving at'))).toMatch(/\$/);
  });

  it('the serving verdict the views show is in the display currency (the analysis writes it in dollars)', () => {
    const { a } = run('serve_chat.py');
    expect(a.serving?.verdict).toMatch(/\$/);
    const verdict = servingInCurrency(a.serving!, { code: 'EUR', perUsd: 0.9 }).verdict;
    expect(verdict).toMatch(/^At 1 req\/s: .*€/);
    expect(verdict).not.toMatch(/\$/);
    expect(servingInCurrency(a.serving!, undefined)).toBe(a.serving);
  });
});
