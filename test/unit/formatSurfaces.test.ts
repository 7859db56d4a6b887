// One Analysis through every surface's text path available without VS Code or a browser: the CLI's text, the
// Markdown report, the verdict, the hover and CodeLens builders, the diagnostics. Each must write the same
// memory, time and cost as src/core/format.ts does (the webviews are checked the same way in security.xss.test.ts).
import { readFileSync } from 'fs';
import { join } from 'path';
import { describe, expect, it } from 'vitest';
import { renderMarkdown, renderText } from '../../src/core/report/markdown';
import { programDiagnostics } from '../../src/extension/features/diagnosticRules';
import { hoverMarkdown, lensTitles } from '../../src/extension/features/lookup';
import { formatBytes, formatMoney, formatSeconds } from '../../src/core/format';
import { bestPair } from '../../src/shared/viewModel';
import { formatCount, formatFlops, formatPeak, formatSpeedup, plural } from '../../src/core/format';
import { escapeMarkdown } from '../../src/core/report/escape';
import { fitCell, fitText, memoryNeedText, projectionFacts, usable } from '../../src/core/report/figures';
import { fitAdvice, fitMessage } from '../../src/extension/features/fitAdvice';
import { MATRIX_CLASSES } from '../../src/core/analyze/memory';
import { analyze } from '../../src/core/analyze';
import { getHardware } from '../../src/core/hardware';
import type { Analysis } from '../../src/core/types';
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

/**
 * Each quantity of one analysis, read back from the JSON (the Analysis object the CLI prints with --json) and found
 * with the same value and unit on every text surface: CLI text, Markdown report, hovers, CodeLens, diagnostics. The
 * sidebar and panel are rendered in a browser by security.xss.test.ts with the same figures (surfaceFigures).
 */
describe('every quantity agrees across the CLI text, the report, the JSON, hovers and CodeLens', () => {
  const a = gptAnalysis();
  const json = JSON.parse(JSON.stringify(a)) as Analysis;
  const text = renderText(a);
  const md = renderMarkdown(a);
  const lenses = lensTitles(a);
  const hover = (line: number, col: number, lineText?: string) =>
    hoverMarkdown({ analysis: a, line, col, bandwidth: {}, panelLink: () => 'command:floplens.openPanel', lineText })!;
  const loop = a.modules.find((m) => m.kind === 'loop')!;
  const onLoop = hover(loop.loc!.line, loop.loc!.col + 1);

  it('params and FLOPs per step: JSON → CLI, report, model CodeLens, loop hover', () => {
    const params = formatCount(json.model.params);
    const perStep = formatFlops(json.step.trainFlops!);
    const modelLens = lenses.find((l) => l.title.startsWith(`${params} params · ${perStep}/step`));
    expect(modelLens, lenses.map((l) => l.title).join('\n')).toBeDefined();
    expect(text).toContain(`${params} params · ${perStep}/step (fwd+bwd)`);
    expect(md).toContain(escapeMarkdown(`${params} params · ${perStep}/step (fwd+bwd)`));
    expect(onLoop).toContain(`${perStep}/step (fwd+bwd)`);
  });

  it('FLOPs per call on a class CodeLens are one call of one instance, not the step (×micro-batches)', () => {
    expect(json.step.microBatches).toBe(40);
    const attn = a.modules.find((m) => m.kind === 'class' && m.name === 'CausalSelfAttention')!;
    const ops = a.ops.filter((o) => o.name.startsWith('model.transformer.h.0.attn.') || o.name === 'model.transformer.h.0.attn');
    const runs = Math.min(...ops.map((o) => o.count));
    expect(runs).toBe(json.step.microBatches);
    const perCall = ops.filter((o) => MATRIX_CLASSES.has(o.opClass)).reduce((s, o) => s + o.forwardFlops * o.count, 0) / runs;
    const lens = lenses.find((l) => l.line === attn.loc!.line)!;
    expect(lens.title).toContain(`${formatFlops(perCall)}/call`);
    expect(lens.title).not.toContain(`${formatFlops(perCall * runs)}/call`);
  });

  it('memory: the step peak and the per-device need are the same figures, with the same units, everywhere', () => {
    const need = memoryNeedText(json);
    expect(need).toMatch(/^[\d.]+ GiB at peak; [\d.]+ GiB per GPU, [\d.]+ (GiB|MiB) per CPU with the runtime's context$/);
    expect(text).toContain(need);
    expect(md).toContain(escapeMarkdown(need));
    for (const p of json.projections) {
      expect(md, p.hardwareName).toContain(`| ${escapeMarkdown(fitText(p))} |`);
      expect(text, p.hardwareName).toContain(fitCell(p));
      expect(usable(p)).toBeLessThan(p.capacityBytes);
    }
    expect(onLoop).toContain(`peak memory ${surfaceFigures(a).memory}`);
  });

  it('step and run time and cost: JSON → CLI, report, loop hover, loop CodeLens', () => {
    const f = surfaceFigures(json);
    const loopLens = lenses.find((l) => l.title.startsWith('training loop'))!;
    for (const s of [f.gpuRun, f.cpuRun, f.cost]) expect(loopLens.title).toContain(s);
    for (const s of [f.gpuStep, f.gpuRun, f.cpuRun]) for (const surface of [text, md, onLoop]) expect(surface).toContain(s);
    expect(loopLens.title).toContain(plural(json.run.steps, 'step'));
  });

  it('each projection fact in the JSON (a dtype a device lacks, setup, TF32) is also in the CLI text and the report', () => {
    const facts = projectionFacts(json);
    expect(facts.some((f) => /bf16/.test(f.note))).toBe(true);
    for (const f of facts) {
      expect(text).toContain(f.note);
      expect(md).toContain(escapeMarkdown(f.note));
    }
  });

  it('speed-ups carry two significant digits; money below a cent and single counts read as such', () => {
    expect(formatSpeedup(5.93)).toBe('×5.9');
    expect(formatSpeedup(1 / 0.956)).toBe('×1');
    const all = [text, md, ...lenses.map((l) => l.title), onLoop, a.verdict.summary].join('\n');
    expect(all).not.toMatch(/×\d+\.\d{2,}/);
    expect(all).not.toMatch(/\b1 (steps|devices|calls|tokens)\b/);
    expect(all).not.toContain('$0.00');
  });

  it('integer peaks are operations per second (TOPS), float peaks FLOP/s', () => {
    expect(formatPeak('int8', 661e12)).toBe('661 TOPS');
    expect(formatPeak('bf16', 165e12)).toBe('165 TFLOP/s');
  });
});

describe('won\'t fit states what is usable after the runtime\'s reserve, in the units of every other surface', () => {
  it('a 7B full fine-tune on a T4 and an RTX 4090', () => {
    const hw = ['t4', 'rtx-4090'].map((id) => getHardware(id)!);
    const script = [
      'import torch', 'from transformers import AutoModelForCausalLM',
      "model = AutoModelForCausalLM.from_pretrained('meta-llama/Llama-2-7b-hf')",
      'opt = torch.optim.AdamW(model.parameters())',
      'for step in range(10):', '    loss = model(torch.randint(0, 32000, (1, 512))).loss', '    loss.backward()', '    opt.step()',
    ].join('\n');
    const a = analyze({ text: script, file: 'ft.py', hardware: hw });
    const msg = fitMessage(a, fitAdvice(a))!;
    for (const p of a.projections.filter((x) => !x.fits)) {
      expect(msg).toContain(`${shortNameOf(p.hardwareName)} (${formatBytesOf(usable(p))} usable of ${formatBytesOf(p.capacityBytes)})`);
      expect(renderMarkdown(a)).toContain(escapeMarkdown(fitText(p)));
    }
    expect(msg).toContain(`the step needs ${formatBytesOf(a.memory.peakBytes)} at peak`);
  });
});

function shortNameOf(n: string): string {
  return n.replace(/^(NVIDIA|AMD|Intel|Apple)\s+(GeForce\s+)?/i, '').replace(/\s+\(.*\)$/, '');
}
const formatBytesOf = formatBytes;

describe('a hover on a call that runs a whole model describes the call', () => {
  it('model.generate(...) in the chat example: the call, its new tokens and its FLOPs per call, not its first layer', () => {
    const file = join(__dirname, '../../examples/chat_generate.py');
    const src = readFileSync(file, 'utf8');
    const a = analyze({ text: src, file: 'chat_generate.py' });
    const lines = src.split('\n');
    const at = lines.findIndex((l) => l.includes('.generate('));
    const col = lines[at].indexOf('generate');
    const md = hoverMarkdown({ analysis: a, line: at + 1, col, bandwidth: {}, panelLink: () => 'command:floplens.openPanel', lineText: lines[at] })!;
    expect(md).toContain('`model.generate(…)`');
    expect(md).toMatch(/generate\(\): batch \d+ · prompt [\d,]+ tokens? \+ [\d,]+ new tokens?/);
    expect(md).toMatch(/FLOP\/call/);
    expect(md).not.toMatch(/nn\.Embedding. — \d+ instances/);
  });
});
