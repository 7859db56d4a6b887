/**
 * Hostile text in everything FlopLens shows: a script whose layer names, strings, directives, syntax errors and
 * file path carry markup and script payloads, plus a custom hardware profile (workspace settings are the
 * repository's, so also hostile) with one in its name. The analysis carries the payloads as data; the real
 * webview bundle, in headless Chromium under the exact page and CSP `renderWebviewHtml` writes, must show
 * them as text, create no element or handler from them, run nothing, and trip no CSP violation. The Markdown
 * report, the hovers (trusted for our command links) and the diagnostics must keep them inert too.
 * Skipped when /usr/bin/chromium is not installed (the non-browser checks still run).
 */
import * as esbuild from 'esbuild';
import * as fs from 'fs';
import * as http from 'http';
import * as os from 'os';
import * as path from 'path';
import { chromium, type Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';

vi.mock('vscode', async () => (await import('./securityFakes')).vscode);

import { analyze } from '../../src/core/analyze';
import { getHardware } from '../../src/core/hardware';
import { validateHardwareProfiles } from '../../src/core/hardware/validate';
import { renderMarkdown, renderText } from '../../src/core/report/markdown';
import type { Analysis } from '../../src/core/types';
import { readConfig, type SettingKey } from '../../src/extension/configSchema';
import { programDiagnostics } from '../../src/extension/features/diagnosticRules';
import { hoverMarkdown } from '../../src/extension/features/lookup';
import { deviceSummary } from '../../src/extension/hardwareService';
import { renderWebviewHtml } from '../../src/extension/webviews/html';
import { parseWebviewMessage, type ViewKind, type ViewState } from '../../src/shared/protocol';
import { Uri } from './securityFakes';
import { gptAnalysis, surfaceFigures } from './formatSurfacesFixture';

const CHROMIUM = '/usr/bin/chromium';
const ROOT = path.resolve(__dirname, '../..');
const HAS_CHROMIUM = fs.existsSync(CHROMIUM);

const P = {
  img: '<img src=x onerror=window.__pwned=1>',
  script: '</script><script>window.__pwned=1</script>',
  svg: '"><svg onload=window.__pwned=1>',
  js: 'javascript:window.__pwned=1',
  link: '[run](command:workbench.action.terminal.new)',
  /** A layer name over three lines: a table cell that would end its row and forge a heading. */
  lines: 'x |\n# Verdict: no GPU needed\n| y',
  /** Terminal control sequences (set the title, clear the screen) for the CLI's text output. */
  terminal: '\u001b]0;pwned\u0007\u001b[2J\u009b31m',
};

/** Python cannot put markup in an identifier, so the payloads ride in strings, keys, directives and bad syntax. */
const SCRIPT = `# floplens: ${P.script}=1 mode=${P.js}
# floplens: dataset=cifar10 hardware=evil-gpu,epyc-9654,t4
"""Docstring ${P.script}"""
import torch
import torch.nn as nn
from transformers import AutoModel

BANNER = "${P.img}"
# a comment with ${P.script} and ${P.link}


class XssNet(nn.Module):
    def __init__(self):
        super().__init__()
        self.blocks = nn.ModuleDict({
            "${P.img}": nn.Linear(64, 64),
            "${P.script}": nn.Linear(64, 64),
            '${P.svg}': nn.Linear(64, 64),
            "${P.js}": nn.Linear(64, 64),
            "${P.link}": nn.Linear(64, 64),
            """${P.lines}""": nn.Linear(64, 10),
        })

    def forward(self, x):
        for name, block in self.blocks.items():
            x = block(x)
        return x


model = XssNet()
extra = AutoModel.from_pretrained("${P.img}/${P.link}")
tok = AutoModel.from_pretrained("${P.terminal}")
opt = torch.optim.AdamW(model.parameters())
for step in range(100):
    y = model(torch.randn(32, 64))
    loss = y.sum()
    loss.backward()
    opt.step()
x = 1 ${P.img} 2
`;

const FILE = `${P.img}/${P.script}${P.svg}.py`;
const CUSTOM = validateHardwareProfiles([{ id: 'evil-gpu', name: `Evil ${P.img} ${P.svg}`, kind: 'gpu', peakFlops: { fp32: 2e13 }, memoryBandwidth: 1e12, memoryBytes: 8e10 }], 'floplens.hardware.custom');
const HARDWARE = [...CUSTOM.profiles, getHardware('epyc-9654')!, getHardware('t4')!];

let analysis: Analysis;

beforeAll(() => {
  expect(CUSTOM.errors).toEqual([]);
  analysis = analyze({ text: SCRIPT, file: FILE, hardware: HARDWARE });
});

describe('the payloads reach the analysis as plain data', () => {
  it('layer names, problems, the file and a hardware name carry them verbatim (so the checks below test something)', () => {
    const names = analysis.ops.map((o) => o.name).join('\n');
    for (const p of [P.img, P.script, P.js, P.link, P.lines]) expect(names).toContain(p);
    expect(analysis.file).toBe(FILE);
    expect(analysis.problems.map((p) => p.message).join('\n')).toContain(P.img);
    expect(analysis.problems.map((p) => p.message).join('\n')).toContain(P.script);
    expect(analysis.projections.map((p) => p.hardwareName)).toContain(`Evil ${P.img} ${P.svg}`);
  });

  it('workspace settings cannot smuggle markup into what the host posts (currency code is checked)', () => {
    const r = readConfig((key: SettingKey) => (key === 'currency.code' ? P.img : undefined));
    expect(r.config.currency.code).toBe('USD');
    expect(r.problems.length).toBeGreaterThan(0);
  });
});

describe('Markdown report', () => {
  it('escapes every payload: no raw tag, no inline link or reference definition, and the tables keep their shape', () => {
    const md = renderMarkdown(analysis);
    expect(md).not.toMatch(/(?<!\\)</);
    expect(md).not.toMatch(/(?<!\\)\]\(/);
    expect(md).not.toMatch(/^\s{0,3}\[[^\]\n]*(?<!\\)\]:/m);
    // Every table row has as many unescaped cell separators as its header.
    let cells = 0;
    for (const line of md.split('\n')) {
      if (!line.startsWith('|')) {
        cells = 0;
        continue;
      }
      const n = line.split(/(?<!\\)\|/).length;
      if (cells === 0) cells = n;
      expect(n, line).toBe(cells);
    }
    expect(md).toContain('\\<img src=x onerror=window.\\_\\_pwned=1\\>');
    expect(md.split('\n').filter((l) => /^#+ /.test(l)).map((l) => l.replace(/:.*/, ''))).toEqual(
      ['# FlopLens report', '## Projected time and cost', '## Work and memory per step', '## Assumptions', '## Largest ops', '## Notes']);
    expect(md).toContain('x \\| # Verdict: no GPU needed \\| y');
  });

  it('the CLI\'s text output passes no terminal control character through', () => {
    expect(analysis.problems.map((p) => p.message).join('\n')).toContain(P.terminal);
    const text = renderText(analysis);
    expect(text).toContain(']0;pwned');
    expect(text).not.toMatch(/[\u0000-\u0008\u000b-\u001f\u007f-\u009f]/);
  });
});

describe('editor surfaces', () => {
  it('a hover on a payload-named layer has exactly one link, our own command, and no markup', () => {
    const op = analysis.ops.find((o) => o.name.includes(P.link))!;
    const loc = op.declLoc ?? op.loc!;
    const md = hoverMarkdown({ analysis, line: loc.line, col: loc.col + 1, bandwidth: {}, panelLink: (i) => `command:floplens.openPanel?${encodeURIComponent(JSON.stringify({ opIndex: i }))}` });
    expect(md).toBeDefined();
    const links = [...md!.matchAll(/(?<!\\)\]\(([^)]*)\)/g)].map((m) => m[1]);
    expect(links).toHaveLength(1);
    expect(links[0]).toMatch(/^command:floplens\.openPanel\?/);
    expect(md).not.toMatch(/(?<!\\)<[a-z/]/i);
  });

  it('hostile directives are reported as diagnostics at their own line, as text', () => {
    const diags = programDiagnostics(analysis).filter((d) => d.code === 'directive');
    expect(diags.map((d) => d.loc?.line)).toEqual([1, 1]);
    expect(diags.map((d) => d.message).join('\n')).toContain(P.script);
  });
});

// ---------------------------------------------------------------------------------------------------------------
// The real webview bundle in Chromium.

interface Served { name: string; file: string }
let dir = '';
let server: http.Server | undefined;
let origin = '';
let browser: Browser | undefined;
const bundles: Served[] = [];

/** The bundle as `npm run package` ships it (esbuild.js's webview options, minified), and dist/ when it is there. */
async function buildBundles(): Promise<void> {
  const out = path.join(dir, 'main.js');
  await esbuild.build({
    entryPoints: [path.join(ROOT, 'src/webview/main.ts')], bundle: true, platform: 'browser', format: 'iife', target: 'es2022',
    minify: true, define: { 'process.env.FLOPLENS_PRODUCTION': '"1"' }, outfile: out, logLevel: 'silent',
  });
  bundles.push({ name: 'production build', file: out });
  const dist = path.join(ROOT, 'dist/webview/main.js');
  if (fs.existsSync(dist)) bundles.push({ name: 'dist/webview/main.js', file: dist });
}

/** What the host would post for `view` (see viewStates.ts): the sidebar gets no ops. */
function stateFor(view: ViewKind, a: Analysis): ViewState {
  const uri = Uri.file(`/ws/${FILE}`);
  return {
    status: 'ready',
    document: { uri: uri.toString(), label: uri.path.split('/').pop()!, version: 7, kind: 'script' },
    analysis: view === 'sidebar' ? { ...a, ops: [] } : a,
    stale: false,
    devices: HARDWARE.map(deviceSummary),
    settings: { currency: { code: 'USD', perUsd: 1 }, writeTo: 'script', compareIds: HARDWARE.map((h) => h.id) },
  };
}

/** The page exactly as renderWebviewHtml writes it, with this server standing in for the webview resource origin. */
function pageHtml(view: ViewKind, bundle: number): string {
  const webview = { cspSource: origin, asWebviewUri: (u: Uri) => `${origin}/b/${bundle}${u.path}` };
  return renderWebviewHtml(webview as never, Uri.file('/') as never, { title: 'FlopLens', script: 'main.js', styles: ['webview.css'], view });
}

beforeAll(async () => {
  if (!HAS_CHROMIUM) return;
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'floplens-xss-'));
  await buildBundles();
  server = http.createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://localhost');
    const view = url.searchParams.get('view');
    if (url.pathname === '/' && (view === 'sidebar' || view === 'panel')) {
      res.writeHead(200, { 'content-type': 'text/html' }).end(pageHtml(view, Number(url.searchParams.get('bundle') ?? 0)));
      return;
    }
    const m = /^\/b\/(\d+)\/(dist\/webview\/main\.js|media\/webview\.css)$/.exec(url.pathname);
    const file = m ? (m[2].endsWith('.js') ? bundles[Number(m[1])]?.file : path.join(ROOT, 'media/webview.css')) : undefined;
    if (!file) {
      res.writeHead(404).end();
      return;
    }
    res.writeHead(200, { 'content-type': file.endsWith('.js') ? 'text/javascript' : 'text/css' }).end(fs.readFileSync(file));
  });
  await new Promise<void>((resolve) => server!.listen(0, '127.0.0.1', resolve));
  origin = `http://127.0.0.1:${(server.address() as { port: number }).port}`;
  browser = await chromium.launch({
    executablePath: CHROMIUM, headless: true,
    args: ['--no-sandbox', '--disable-gpu', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
  });
}, 120_000);

afterAll(async () => {
  await browser?.close();
  server?.close();
  if (dir) fs.rmSync(dir, { recursive: true, force: true });
});

interface Rendered {
  pwned: unknown;
  text: string;
  scripts: string[];
  images: number;
  handlers: string[];
  scriptUrls: string[];
  violations: string[];
  posted: unknown[];
  errors: string[];
  sections: number;
}

/** Loads the view, delivers `state` after `ready` as the host would, and reports what the page became. */
async function render(view: ViewKind, bundle: number, state: ViewState, act?: (page: import('playwright-core').Page) => Promise<void>): Promise<Rendered> {
  const context = await browser!.newContext({ viewport: { width: view === 'panel' ? 1400 : 420, height: 900 } });
  const page = await context.newPage();
  const errors: string[] = [];
  page.on('pageerror', (e) => errors.push(e.message));
  // Injected by the browser before the page's own scripts (so outside its CSP), as VS Code's webview host does.
  await page.addInitScript((s) => {
    const w = window as unknown as Record<string, unknown>;
    const violations: string[] = [];
    const posted: unknown[] = [];
    w.__violations = violations;
    w.__posted = posted;
    document.addEventListener('securitypolicyviolation', (e) => violations.push(`${e.violatedDirective} ${e.blockedURI} ${e.sample}`));
    w.acquireVsCodeApi = () => ({
      postMessage(m: { type: string }) {
        posted.push(m);
        if (m.type === 'ready') setTimeout(() => window.postMessage({ type: 'state', state: s }, '*'), 0);
      },
      getState: () => undefined,
      setState: () => undefined,
    });
  }, state);
  try {
    await page.goto(`${origin}/?view=${view}&bundle=${bundle}`);
    await page.locator('#root .view').waitFor({ timeout: 20_000 });
    await page.locator('#root section, #root details').first().waitFor({ timeout: 20_000 });
    if (act) await act(page);
    // Let anything a payload could have scheduled (an image error, a load event) happen before looking.
    await page.evaluate(() => new Promise((r) => requestAnimationFrame(() => setTimeout(r, 150))));
    return await page.evaluate(() => {
      const w = window as unknown as Record<string, unknown>;
      const all = [...document.querySelectorAll('*')];
      return {
        pwned: w.__pwned,
        text: document.body.innerText,
        scripts: [...document.scripts].map((s) => s.getAttribute('src') ?? 'inline'),
        images: document.querySelectorAll('img, image, iframe, object, embed').length,
        handlers: all.flatMap((el) => [...el.attributes].filter((a) => /^on/i.test(a.name)).map((a) => `${el.tagName} ${a.name}`)),
        scriptUrls: all.flatMap((el) => [...el.attributes].filter((a) => /^\s*(javascript|data|vbscript):/i.test(a.value)).map((a) => `${el.tagName} ${a.name}=${a.value}`)),
        violations: w.__violations as string[],
        posted: w.__posted as unknown[],
        errors: [],
        sections: document.querySelectorAll('#root section, #root details').length,
      };
    }).then((r) => ({ ...r, errors }));
  } finally {
    await context.close();
  }
}

function expectInert(r: Rendered, bundleUrl: string): void {
  expect(r.pwned, 'a payload ran').toBeUndefined();
  expect(r.violations, 'CSP violations').toEqual([]);
  expect(r.errors, 'page errors').toEqual([]);
  expect(r.images, 'img/iframe/object elements').toBe(0);
  expect(r.scripts, 'script elements').toEqual([bundleUrl]);
  expect(r.handlers, 'inline event handlers').toEqual([]);
  expect(r.scriptUrls, 'javascript:/data: URLs in attributes').toEqual([]);
  expect(r.posted.filter((m) => (m as { type: string }).type === 'webviewError'), 'webview errors posted').toEqual([]);
  for (const m of r.posted) expect(parseWebviewMessage(m), `posted ${JSON.stringify(m)}`).toBeDefined();
}

describe.skipIf(!HAS_CHROMIUM)('webview bundle in Chromium under the real CSP', () => {
  it('the page is renderWebviewHtml\'s: strict CSP, one nonce\'d script, no inline script or eval', () => {
    const html = pageHtml('sidebar', 0);
    const csp = /content="([^"]+)"/.exec(html)![1];
    expect(csp).toMatch(/^default-src 'none'; /);
    expect(csp).toMatch(/script-src 'nonce-[A-Za-z0-9+/=]{20,}'$/);
    expect(csp).not.toMatch(/unsafe-inline|unsafe-eval/);
    expect(html.match(/<script /g)).toHaveLength(1);
  });

  it.each([0, 1])('sidebar (bundle %i): every payload is shown as text and none runs', async (bundle) => {
    if (!bundles[bundle]) return;
    const state = stateFor('sidebar', analysis);
    const r = await render('sidebar', bundle, state);
    expectInert(r, `${origin}/b/${bundle}/dist/webview/main.js`);
    expect(r.sections).toBeGreaterThan(3);
    // The label is the file name: what follows the last "/" (of "</script>") in the payload path.
    expect(state.document!.label).toBe(`script>${P.svg}.py`);
    expect(r.text).toContain(state.document!.label);
    expect(r.text).toContain(`Evil ${P.img} ${P.svg}`);
    expect(r.text).toContain(`"${P.img}/${P.link}" is not in the FlopLens model catalog`);
    expect(r.text).toContain(`Directive '${P.script}=1'`);
  }, 60_000);

  it.each([0, 1])('panel (bundle %i): payload layer names are table text; clicking one reveals by the host\'s URI only', async (bundle) => {
    if (!bundles[bundle]) return;
    const state = stateFor('panel', analysis);
    const r = await render('panel', bundle, state, async (page) => {
      const row = page.locator('tr.clickable[data-op]').filter({ hasText: P.img }).first();
      await row.click();
    });
    expectInert(r, `${origin}/b/${bundle}/dist/webview/main.js`);
    for (const p of [P.img, P.script, P.svg, P.js, P.link]) expect(r.text).toContain(p);
    const reveal = r.posted.find((m) => (m as { type: string }).type === 'revealOp') as { documentUri: string; version: number; opIndex: number } | undefined;
    expect(reveal).toEqual({ type: 'revealOp', documentUri: state.document!.uri, version: 7, opIndex: analysis.ops.findIndex((o) => o.name.includes(P.img)) });
  }, 60_000);

  it('an assumption typed with a payload is refused in the view; a valid one is posted for the shown document', async () => {
    const state = stateFor('sidebar', analysis);
    const r = await render('sidebar', 0, state, async (page) => {
      await page.locator('li.assumption[data-key="batch"] button.editable').click();
      const input = page.locator('li.assumption[data-key="batch"] input.edit');
      await input.fill(`64${P.img}`);
      await input.press('Enter');
      await page.locator('li.assumption[data-key="batch"] .error').filter({ hasText: 'whole number' }).waitFor({ timeout: 5000 });
      await input.fill('128');
      await input.press('Enter');
    });
    expectInert(r, `${origin}/b/0/dist/webview/main.js`);
    const edits = r.posted.filter((m) => (m as { type: string }).type === 'setAssumption');
    expect(edits).toEqual([{ type: 'setAssumption', documentUri: state.document!.uri, key: 'batch', value: '128' }]);
  }, 60_000);

  it.each(['sidebar', 'panel'] as const)('%s: memory, times and cost spelt as on every other surface (formatSurfaces.test.ts)', async (view) => {
    const a = gptAnalysis();
    const f = surfaceFigures(a);
    const r = await render(view, 0, stateFor(view, a));
    expectInert(r, `${origin}/b/0/dist/webview/main.js`);
    for (const s of [f.memory, f.memoryNeed, f.gpuRun, f.cpuRun, f.gpuStep, f.cost]) expect(r.text, s).toContain(s);
    expect(r.text).not.toMatch(/\d (GB|MB|kB)(?!\/s)/);
  }, 60_000);

  it('a file over the size cap shows its notice in the sidebar', async () => {
    const big = analyze({ text: `import torch.nn as nn\nmodel = nn.Linear(8, 8)\n${'#'.repeat(2_100_000)}\n`, file: 'big.py' });
    const r = await render('sidebar', 0, stateFor('sidebar', big));
    expectInert(r, `${origin}/b/0/dist/webview/main.js`);
    expect(r.text).toMatch(/The file is 2,1\d\d,\d\d\d characters; FlopLens analysed the first 2,000,000\./);
  }, 60_000);
});
