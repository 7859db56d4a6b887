/**
 * Chart colours against the view's background in VS Code's default light, dark and high-contrast themes (the
 * variables the workbench computes for them, below), and the roofline's peak labels: none overlaps another label,
 * an op point or another device's roof, on the A100 / RTX 4090 case that used to overprint.
 */
import { describe, expect, it } from 'vitest';
import { analyze } from '../../src/core/analyze';
import { getHardware } from '../../src/core/hardware';
import type { HardwareProfile } from '../../src/core/hardware/types';
import type { DeviceSummary } from '../../src/shared/protocol';
import { opRows, opSecondsByDevice } from '../../src/shared/viewModel';
import { rooflineLayout } from '../../src/webview/charts';
import { segmentHits, type Box } from '../../src/webview/labelPlacement';
import {
  contrastRatio, ensureContrast, GRAPHIC_CONTRAST, parseColor, TEXT_CONTRAST, textColor, themeFrom,
} from '../../src/webview/theme';

/**
 * The `--vscode-*` values the workbench computes in its default themes (Dark Modern, Light Modern, Dark High
 * Contrast, Light High Contrast), from VS Code's colour registry: `charts.*` derive from editorInfo/Warning/Error,
 * minimap find-match and the terminal's ANSI colours.
 */
const THEMES: Record<string, { highContrast: boolean; vars: Record<string, string> }> = {
  'Dark Modern': { highContrast: false, vars: {
    '--vscode-editor-background': '#1f1f1f', '--vscode-sideBar-background': '#181818', '--vscode-foreground': '#cccccc',
    '--vscode-charts-blue': '#3794ff', '--vscode-charts-orange': '#d18616', '--vscode-charts-green': '#89d185',
    '--vscode-charts-purple': '#b180d7', '--vscode-charts-yellow': '#cca700', '--vscode-charts-red': '#f14c4c',
    '--vscode-terminal-ansiCyan': '#11a8cd', '--vscode-terminal-ansiMagenta': '#bc3fbc',
    '--vscode-editorWarning-foreground': '#cca700', '--vscode-errorForeground': '#f85149',
  } },
  'Light Modern': { highContrast: false, vars: {
    '--vscode-editor-background': '#ffffff', '--vscode-sideBar-background': '#f8f8f8', '--vscode-foreground': '#3b3b3b',
    '--vscode-charts-blue': '#1a85ff', '--vscode-charts-orange': '#d18616', '--vscode-charts-green': '#388a34',
    '--vscode-charts-purple': '#652d90', '--vscode-charts-yellow': '#bf8803', '--vscode-charts-red': '#e51400',
    '--vscode-terminal-ansiCyan': '#0598bc', '--vscode-terminal-ansiMagenta': '#bc05bc',
    '--vscode-editorWarning-foreground': '#bf8803', '--vscode-errorForeground': '#f85149',
  } },
  'Dark High Contrast': { highContrast: true, vars: {
    '--vscode-editor-background': '#000000', '--vscode-sideBar-background': '#000000', '--vscode-foreground': '#ffffff',
    '--vscode-charts-blue': '#3794ff', '--vscode-charts-orange': '#ab5a00', '--vscode-charts-green': '#89d185',
    '--vscode-charts-purple': '#b180d7', '--vscode-charts-yellow': '#ffd370', '--vscode-charts-red': '#f48771',
    '--vscode-terminal-ansiCyan': '#00ffff', '--vscode-terminal-ansiMagenta': '#ff00ff',
    '--vscode-editorWarning-foreground': '#ffd370', '--vscode-errorForeground': '#f48771',
  } },
  'Light High Contrast': { highContrast: true, vars: {
    '--vscode-editor-background': '#ffffff', '--vscode-sideBar-background': '#ffffff', '--vscode-foreground': '#292929',
    '--vscode-charts-blue': '#1a85ff', '--vscode-charts-orange': '#0f4a85', '--vscode-charts-green': '#374e06',
    '--vscode-charts-purple': '#652d90', '--vscode-charts-yellow': '#895503', '--vscode-charts-red': '#b5200d',
    '--vscode-terminal-ansiCyan': '#0598bc', '--vscode-terminal-ansiMagenta': '#bc05bc',
    '--vscode-editorWarning-foreground': '#895503', '--vscode-errorForeground': '#b5200d',
  } },
};

describe('chart colours pass WCAG contrast against the view background', () => {
  for (const [name, t] of Object.entries(THEMES)) {
    for (const where of ['--vscode-editor-background', '--vscode-sideBar-background']) {
      it(`${name}, on the ${where === '--vscode-editor-background' ? 'panel' : 'sidebar'} background`, () => {
        const background = t.vars[where];
        const theme = themeFrom((v) => t.vars[v] ?? '', { highContrast: t.highContrast, background });
        expect(theme.background).toBe(background);
        for (const c of [...theme.series, theme.ok, theme.error, theme.warning]) {
          expect(contrastRatio(c, background), c).toBeGreaterThanOrEqual(GRAPHIC_CONTRAST);
          expect(contrastRatio(textColor(c, theme), background), c).toBeGreaterThanOrEqual(TEXT_CONTRAST);
        }
        expect(new Set(theme.series).size, 'series stay distinct').toBe(theme.series.length);
      });
    }
  }

  it('the light theme palette fails without the adjustment (charts.orange on white is 2.6:1), and a passing colour is kept', () => {
    expect(contrastRatio('#d18616', '#ffffff')).toBeLessThan(3);
    const fixed = ensureContrast('#d18616', '#ffffff', 3);
    expect(contrastRatio(fixed, '#ffffff')).toBeGreaterThanOrEqual(3);
    const { r, g, b } = parseColor(fixed)!;
    expect(r).toBeGreaterThan(g);
    expect(g).toBeGreaterThan(b);
    expect(ensureContrast('#1a85ff', '#000000', 3)).toBe('#1a85ff');
  });

  it('a transparent body background falls back to the editor background; colours it cannot parse are kept', () => {
    const t = THEMES['Light Modern'];
    const theme = themeFrom((v) => t.vars[v] ?? '', { highContrast: false, background: 'rgba(0, 0, 0, 0)' });
    expect(theme.background).toBe('#ffffff');
    expect(ensureContrast('var(--x)', '#ffffff', 3)).toBe('var(--x)');
    expect(contrastRatio('rgb(255, 255, 255)', 'rgba(0,0,0,1)')).toBeCloseTo(21, 5);
  });
});

const summary = (p: HardwareProfile): DeviceSummary => ({ id: p.id, name: p.name, kind: p.kind, peakFlops: { ...p.peakFlops }, memoryBandwidth: p.memoryBandwidth, memoryBytes: p.memoryBytes });

function overlaps(a: Box, b: Box): boolean {
  return a.x < b.x + b.width && b.x < a.x + a.width && a.y < b.y + b.height && b.y < a.y + a.height;
}

describe('roofline peak labels do not collide', () => {
  const ids = ['a100-80gb', 'rtx-4090'];
  const SCRIPT = [
    'import torch', 'import torch.nn as nn',
    'model = nn.Sequential(nn.Linear(4096, 4096), nn.GELU(), nn.Linear(4096, 4096), nn.LayerNorm(4096), nn.Linear(4096, 1024))',
    'opt = torch.optim.AdamW(model.parameters())',
    'for step in range(100):', '    x = torch.randn(256, 4096)', '    loss = model(x).sum()', '    loss.backward()', '    opt.step()',
  ].join('\n');

  for (const [dtype, extra] of [['fp32', []], ['bf16', []], ['fp32', ['core-ultra-7-155h', 'epyc-9654', 't4', 'h100-sxm']]] as const) {
    for (const width of [360, 640]) {
      it(`${[...ids, ...extra].join(', ')} at ${dtype}, ${width}px`, () => {
        const hw = [...ids, ...extra].map((id) => getHardware(id)!);
        const text = dtype === 'bf16' ? `# floplens: dtype=bf16\n${SCRIPT}` : SCRIPT;
        const a = analyze({ text, file: 'mlp.py', hardware: hw });
        const devices = hw.map(summary);
        const focus = devices[0];
        const rows = opRows(a, devices, opSecondsByDevice(a), focus.id);
        const layout = rooflineLayout({ rows, devices, focus, colors: new Map(), dtype: a.run.dtype, peaks: new Map(a.projections.map((p) => [p.hardwareId, p.peakFlops])), measured: true }, width);
        expect(layout.points.length).toBeGreaterThan(2);
        expect(layout.labels.map((l) => l.device).sort()).toEqual([...devices.map((d) => d.id)].sort());
        const inner = { x: layout.margin.left, y: layout.margin.top, width: layout.width - layout.margin.left - layout.margin.right, height: layout.height - layout.margin.top - layout.margin.bottom };
        for (const [i, l] of layout.labels.entries()) {
          expect(l.collides, l.name).toBe(false);
          expect(l.box.x).toBeGreaterThanOrEqual(inner.x);
          expect(l.box.x + l.box.width).toBeLessThanOrEqual(inner.x + inner.width);
          expect(l.box.y).toBeGreaterThanOrEqual(inner.y);
          expect(l.box.y + l.box.height).toBeLessThanOrEqual(inner.y + inner.height);
          for (const other of layout.labels.slice(i + 1)) expect(overlaps(l.box, other.box), `${l.name} / ${other.name}`).toBe(false);
          for (const p of layout.points) {
            const c = layout.px(p.x, p.y);
            const nx = Math.max(l.box.x, Math.min(c.x, l.box.x + l.box.width));
            const ny = Math.max(l.box.y, Math.min(c.y, l.box.y + l.box.height));
            expect(Math.hypot(nx - c.x, ny - c.y), `${l.name} / ${p.label}`).toBeGreaterThanOrEqual(p.r);
          }
          for (const d of devices.filter((dev) => dev.id !== l.device)) {
            const [r0, r1, r2] = layout.roofs.filter((r) => r.device === d.id).map((r) => layout.px(r.x, r.y));
            expect(segmentHits(l.box, { x1: r1.x, y1: r1.y, x2: r2.x, y2: r2.y }), `${l.name} on ${d.name}'s roof`).toBe(false);
            expect(segmentHits(l.box, { x1: r0.x, y1: r0.y, x2: r1.x, y2: r1.y }), `${l.name} on ${d.name}'s slope`).toBe(false);
          }
          // The label sits next to its own roof: within 20 px of the peak line.
          const roof = layout.roofs.filter((r) => r.device === l.device)[2];
          const peakY = layout.px(roof.x, roof.y).y;
          expect(Math.abs(l.box.y + l.box.height / 2 - peakY)).toBeLessThan(20);
        }
      });
    }
  }
});
