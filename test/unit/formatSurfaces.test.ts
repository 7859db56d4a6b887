// One Analysis through every surface's text path available without VS Code or a browser: the CLI's text, the
// Markdown report, the verdict, the hover and CodeLens builders, the diagnostics. Each must write the same
// memory, time and cost as src/core/format.ts does (the webviews are checked the same way in security.xss.test.ts).
import { describe, expect, it } from 'vitest';
import { renderMarkdown, renderText } from '../../src/core/report/markdown';
import { programDiagnostics } from '../../src/extension/features/diagnosticRules';
import { hoverMarkdown, lensTitles } from '../../src/extension/features/lookup';
import { formatBytes, formatMoney, formatSeconds } from '../../src/core/format';
import { bestPair } from '../../src/shared/viewModel';
import { gptAnalysis, surfaceFigures } from './formatSurfacesFixture';

describe('one figure, one spelling on every surface', () => {
  const a = gptAnalysis();
  const f = surfaceFigures(a);

  it('the figures are the unified spellings: GiB, two-digit durations, whole dollars', () => {
    expect(f.memory).toMatch(/^[\d.]+ GiB$/);
    expect(f.gpuRun).toMatch(/^[\d.]+ (min|h|days)$/);
    expect(f.cpuRun).toMatch(/^[\d.,]+ (h|days|years)$/);
    expect(f.cost).toMatch(/^\$[\d,.]+$/);
  });

  it('CLI text', () => {
    const text = renderText(a);
    for (const s of [f.memory, f.gpuRun, f.cpuRun, f.cost, f.gpuStep]) expect(text).toContain(s);
    expect(text).toContain(`Verdict: ${a.verdict.summary}`);
  });

  it('Markdown report', () => {
    const md = renderMarkdown(a);
    for (const s of [f.memory, f.gpuRun, f.cpuRun, f.gpuStep]) expect(md).toContain(s);
    expect(md).toContain(f.cost.replace('$', '\\$'));
  });

  it('verdict summary', () => {
    for (const s of [f.gpuRun, f.cpuRun, f.cost]) expect(a.verdict.summary).toContain(s);
  });

  it('hovers on the model and the training loop', () => {
    const loop = a.modules.find((m) => m.kind === 'loop')!;
    const model = a.modules.find((m) => m.name === a.model.name)!;
    const hover = (line: number, col: number) => hoverMarkdown({ analysis: a, line, col, bandwidth: {}, panelLink: () => 'command:floplens.openPanel' })!;
    const onLoop = hover(loop.loc!.line, loop.loc!.col + 1);
    const onModel = hover(model.loc!.line, model.loc!.col + 1);
    for (const md of [onLoop, onModel]) expect(md).toContain(`peak memory ${f.memory}`);
    expect(onLoop).toContain(`${f.gpuStep}/step, ${f.gpuRun} run`);
    expect(onLoop).toContain(`${f.cpuRun} run`);
  });

  it('CodeLens over the training loop', () => {
    const loop = lensTitles(a).find((l) => l.title.startsWith('training loop'))!;
    expect(loop.title).toContain(`${a.run.steps.toLocaleString('en-US')} steps`);
    for (const s of [f.gpuRun, f.cpuRun, `${f.cost} on`]) expect(loop.title).toContain(s);
  });

  it('diagnostics: the pinned-to-CPU warning quotes the same run times', () => {
    const pinned = gptAnalysis('cpu');
    const g = surfaceFigures(pinned);
    const d = programDiagnostics(pinned).find((x) => x.code === 'gpu-faster');
    expect(d, programDiagnostics(pinned).map((x) => x.code).join()).toBeDefined();
    expect(d!.message).toContain(g.gpuRun);
    expect(d!.message).toContain(g.cpuRun);
  });

  it('no surface falls back to decimal memory units or a zero cost', () => {
    const { gpu } = bestPair(a);
    const all = [renderText(a), renderMarkdown(a), a.verdict.summary, ...lensTitles(a).map((l) => l.title)].join('\n');
    expect(all).not.toMatch(/\d (GB|MB|kB)(?!\/s)/);
    expect(all).not.toContain('$0.00');
    expect(f.memory).toBe(formatBytes(a.memory.peakBytes));
    expect(f.gpuRun).toBe(formatSeconds(gpu!.runSeconds.mid));
    expect(f.cost).toBe(formatMoney(gpu!.costUsd!.mid));
  });
});
