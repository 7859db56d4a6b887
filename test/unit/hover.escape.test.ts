/**
 * User-controlled strings (custom hardware names from workspace settings, file names, module paths, class names,
 * assumption notes, problem messages) render as text in every Markdown surface: hovers and the exported report
 * link to nothing but the panel. Hovers trust only the panel command, and `floplens.setAssumption` given a document
 * writes only into the document in the active editor, so a link shown in one file cannot write into another.
 */
import { createRequire } from 'module';
import { describe, expect, it, vi } from 'vitest';
import { escapeLabel, escapeMarkdown, markdownCode, stripControls } from '../../src/core/report/escape';
import { renderMarkdown } from '../../src/core/report/markdown';
import { CommandId } from '../../src/extension/commandIds';
import { HOVER_COMMANDS, hoverMarkdown, lensTitles } from '../../src/extension/features/lookup';
import { analysis, CPU, loc, module, op, projection } from './extensionFixture';

vi.mock('vscode', async () => (await import('./securityFakes')).vscode);

// CommonMark as VS Code renders it (HTML off). Bare web URLs that a GFM renderer would linkify are web links that
// VS Code confirms before opening, never commands; `<command:…>` autolinks are CommonMark and are checked here.
const md = createRequire(__filename)('markdown-it')({ html: false }) as { render(s: string): string };

const PANEL = 'command:floplens.openPanel';
const ATTACK = '[Fix](command:floplens.setAssumption?%5B%22batch%22%2C%221%22%2C%22file%3A%2F%2F%2Fother%2Ftrain.py%22%5D)';
const HOSTILE = [
  ATTACK,
  '<command:floplens.setAssumption?["batch","1","file:///other/train.py"]>',
  '![img](https://example.com/x.png) <img src=x onerror=alert(1)> &lt;b&gt;',
  '`code` *em* __strong__ | pipe | # heading',
  'line one\n[x]: command:floplens.setAssumption\n[x]\n1. item',
  '\u001b[31mred\u001b[0m $(zap) https://example.com',
];

/** Every link target in rendered Markdown. */
function hrefs(markdown: string): string[] {
  return [...md.render(markdown).matchAll(/<(?:a|img)\s[^>]*?(?:href|src)="([^"]*)"/g)].map((m) => m[1]);
}

/** Rendered Markdown as the user reads it (tags dropped, entities decoded). */
function visibleText(markdown: string): string {
  return md.render(markdown).replace(/<[^>]+>/g, '').replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&quot;/g, '"').replace(/&amp;/g, '&');
}

describe('escapeMarkdown: one function for every Markdown surface', () => {
  it.each(HOSTILE)('%j renders as its own text, one line, with no link, image or HTML', (s) => {
    const out = escapeMarkdown(s);
    expect(out).not.toMatch(/\n/);
    expect(hrefs(`text ${out} text`)).toEqual([]);
    expect(md.render(out)).not.toMatch(/<(img|a|em|strong|code|h\d|ol|li|table)\b/);
    expect(visibleText(out).trim()).toBe(stripControls(s).replace(/\s*\n\s*/g, ' '));
  });

  it('code spans and labels: backticks, newlines and $(icon) cannot escape', () => {
    expect(markdownCode('a`b\nc')).toBe('`a\'b c`');
    expect(hrefs(markdownCode(ATTACK))).toEqual([]);
    expect(escapeLabel('GPU $(zap)\nx\u001b')).toBe('GPU \\$(zap) x');
  });
});

/** An analysis whose every user-controlled string is hostile. */
function hostileAnalysis(name: string) {
  const gpu = projection({ hardwareName: name, hardwareId: 'custom-1' });
  const cpu = { ...CPU, hardwareName: `${name} CPU` };
  return analysis({
    file: `${name}.py`,
    ops: [op({ name: `blocks.${name}`, label: name, note: name, loc: loc(20, 8, 20), declLoc: loc(8, 18, 40) })],
    modules: [module({ name, loc: loc(5, 0, 20) }), module({ name: 'loop', kind: 'loop', loc: loc(30, 0, 20) })],
    projections: [gpu, cpu],
    assumptions: [{ name, value: name, source: 'directive', note: name, unit: name }],
    problems: [{ severity: 'warning', code: 'syntax', message: name }],
    verdict: { summary: `${name} pays off`, reason: name, gpuPaysOff: true, bestCpu: cpu.hardwareId, bestGpu: gpu.hardwareId, speedup: 100 },
    model: { name, params: 1_000_000, trainableParams: 1_000_000, frozenParams: 0, paramBytes: 4e6, source: 'script' },
  });
}

describe('hovers', () => {
  it.each(HOSTILE)('with device, op, class and note named %j link only to the panel', (name) => {
    const a = hostileAnalysis(name);
    const panelLink = (i?: number) => `${PANEL}?${encodeURIComponent(JSON.stringify([i === undefined ? {} : { opIndex: i }]))}`;
    for (const line of [8, 5, 30]) {
      const hover = hoverMarkdown({ analysis: a, line, col: line === 8 ? 20 : undefined, bandwidth: { 'custom-1': 3e12 }, panelLink, opTimes: (ix) => ix.map(() => 1e-3) });
      expect(hover, `line ${line}`).toBeDefined();
      const links = hrefs(hover!);
      expect(links.length).toBe(1);
      expect(links[0].startsWith(PANEL)).toBe(true);
      expect(hover).not.toMatch(/[\u0000-\u0008\u000b-\u001f\u007f-\u009f]/);
    }
  });

  it('trust only the panel command (not setAssumption or selectHardware)', () => {
    expect(HOVER_COMMANDS).toEqual([CommandId.openPanel]);
  });

  it('CodeLens titles escape a device name\'s $(icon) syntax', () => {
    const titles = lensTitles(hostileAnalysis('Evil $(zap) GPU')).map((t) => escapeLabel(t.title));
    expect(titles.length).toBeGreaterThan(0);
    for (const t of titles) expect(t).not.toMatch(/(?<!\\)\$\(/);
  });
});

describe('the exported Markdown report', () => {
  it.each(HOSTILE)('with every name %j has no link, image or HTML and no line break inside a row', (name) => {
    const report = renderMarkdown(hostileAnalysis(name), { currencyCode: name });
    expect(hrefs(report)).toEqual([]);
    expect(md.render(report)).not.toMatch(/<(img|script)\b/);
    for (const row of report.split('\n').filter((l) => l.startsWith('| '))) expect(row.endsWith('|')).toBe(true);
    expect(report).not.toMatch(/[\u0000-\u0008\u000b-\u001f\u007f-\u009f]/);
  });
});

describe('floplens.setAssumption with a document argument', () => {
  it('writes only into the document in the active editor', async () => {
    const { assumptionDocument } = await import('../../src/extension/commands');
    const { Uri } = (await import('./securityFakes')).vscode;
    const here = 'file:///w/train.py';
    const current = () => here;
    expect(assumptionDocument(undefined, here, current)).toEqual({ uri: here });
    expect(assumptionDocument(here, here, current)).toEqual({ uri: here });
    expect(assumptionDocument(Uri.parse(here), here, current)).toEqual({ uri: here });
    // A link rendered in train.py (or anywhere) naming another file, or any file when no editor is active.
    expect(assumptionDocument('file:///other/train.py', here, current)).toMatchObject({ refused: expect.stringMatching(/active editor/) });
    expect(assumptionDocument(here, undefined, current)).toMatchObject({ refused: expect.stringMatching(/active editor/) });
    expect(assumptionDocument({ toString: () => here }, here, current)).toMatchObject({ refused: expect.stringMatching(/not a URI/) });
  });
});
