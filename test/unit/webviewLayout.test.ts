/**
 * Layout of the sidebar and the comparison panel at the widths users give them: nothing may run past the view's right
 * edge (a table too wide for the view scrolls inside its own box; sentences wrap), a label or figure is not cut and a
 * figure keeps its unit on its line. The real
 * bundle and stylesheet in headless Chromium, under the page renderWebviewHtml writes. Screenshots go to
 * test-results/layout/ for a person to look at. Skipped when that Chromium ($FLOPLENS_CHROMIUM, else /usr/bin/chromium) is not installed.
 */
import * as esbuild from 'esbuild';
import * as fs from 'fs';
import * as http from 'http';
import * as os from 'os';
import * as path from 'path';
import { chromium, type Browser, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';

vi.mock('vscode', async () => (await import('./securityFakes')).vscode);

import { analyze } from '../../src/core/analyze';
import { DEFAULT_COMPARE_IDS, getHardware } from '../../src/core/hardware';
import type { Analysis } from '../../src/core/types';
import { deviceSummary } from '../../src/extension/hardwareService';
import { renderWebviewHtml } from '../../src/extension/webviews/html';
import type { ViewKind, ViewState } from '../../src/shared/protocol';
import { KERNEL_IDS, type BenchReport, type KernelInfo, type KernelResult } from '../../src/livebench/report';
import { assembleReport } from '../../src/livebench/sweep';
import { fitLabels } from '../../src/webview/charts';
import { Uri } from './securityFakes';

/** Debian's Chromium, or the one the preflight and the integration suite are told to use. */
const CHROMIUM = process.env.FLOPLENS_CHROMIUM || '/usr/bin/chromium';
const ROOT = path.resolve(__dirname, '../..');
const HAS_CHROMIUM = fs.existsSync(CHROMIUM);
const SHOTS = path.join(ROOT, 'test-results', 'layout');
const HARDWARE = DEFAULT_COMPARE_IDS.map((id) => getHardware(id)!).filter(Boolean);

/** An inference script with a serving section: its table has the most columns of any view. */
const SERVE = `import torch
from transformers import AutoModelForCausalLM, AutoTokenizer
# floplens: rate=20/s
model_id = "Qwen/Qwen2.5-0.5B-Instruct"
tokenizer = AutoTokenizer.from_pretrained(model_id)
model = AutoModelForCausalLM.from_pretrained(model_id)
model.eval()
inputs = tokenizer("Write a haiku about the sea.", return_tensors="pt")
with torch.no_grad():
    output = model.generate(**inputs, max_new_tokens=128)
`;

/** An image classifier behind a web handler, one item per request: its cost axis reaches down to tens of dollars. */
const CLASSIFY = `import torch
import torchvision
from fastapi import FastAPI
app = FastAPI()
model = torchvision.models.resnet18(weights="IMAGENET1K_V1")
model.eval()
@app.post("/predict")
def predict(pixels: list):
    x = torch.tensor(pixels, dtype=torch.float32).reshape(1, 3, 224, 224)
    with torch.no_grad():
        logits = model(x)
    return {"label": int(logits.argmax())}
`;

/** A training script: the run-time bars, the per-layer table, memory fit. */
const TRAIN = `import torch
import torch.nn as nn
class SmallCNN(nn.Module):
    def __init__(self):
        super().__init__()
        self.conv1 = nn.Conv2d(3, 32, 3, padding=1)
        self.conv2 = nn.Conv2d(32, 64, 3, padding=1)
        self.pool = nn.MaxPool2d(2)
        self.fc1 = nn.Linear(64 * 8 * 8, 256)
        self.fc2 = nn.Linear(256, 10)
    def forward(self, x):
        x = self.pool(torch.relu(self.conv1(x)))
        x = self.pool(torch.relu(self.conv2(x)))
        return self.fc2(torch.relu(self.fc1(torch.flatten(x, 1))))
model = SmallCNN()
opt = torch.optim.Adam(model.parameters())
for epoch in range(10):
    for step in range(391):
        loss = model(torch.randn(128, 3, 32, 32)).sum()
        opt.zero_grad()
        loss.backward()
        opt.step()
`;

/** A few of the variables VS Code's Dark Modern and Light Modern themes give a webview. */
const THEME_VARS = {
  'vscode-dark': {
    '--vscode-font-family': 'system-ui, sans-serif', '--vscode-font-size': '13px', '--vscode-editor-font-family': 'monospace',
    '--vscode-foreground': '#cccccc', '--vscode-descriptionForeground': '#9d9d9d', '--vscode-editor-background': '#1f1f1f',
    '--vscode-sideBar-background': '#181818', '--vscode-widget-border': '#313131', '--vscode-charts-blue': '#3794ff',
  },
  'vscode-light': {
    '--vscode-font-family': 'system-ui, sans-serif', '--vscode-font-size': '13px', '--vscode-editor-font-family': 'monospace',
    '--vscode-foreground': '#3b3b3b', '--vscode-descriptionForeground': '#3b3b3b', '--vscode-editor-background': '#ffffff',
    '--vscode-sideBar-background': '#f8f8f8', '--vscode-widget-border': '#e5e5e5', '--vscode-charts-blue': '#1a85ff',
  },
} as const;

let dir = '';
let server: http.Server | undefined;
let origin = '';
let browser: Browser | undefined;
const analyses = new Map<string, Analysis>();

function stateFor(view: ViewKind, file: string, a: Analysis): ViewState {
  const uri = Uri.file(`/ws/${file}`);
  return {
    status: 'ready',
    document: { uri: uri.toString(), label: file, version: 1, kind: 'script' },
    analysis: view === 'sidebar' ? { ...a, ops: [] } : a,
    stale: false,
    devices: HARDWARE.map(deviceSummary),
    settings: { currency: { code: 'USD', perUsd: 1 }, writeTo: 'script', compareIds: HARDWARE.map((h) => h.id) },
  };
}

beforeAll(async () => {
  analyses.set('serve_chat.py', analyze({ text: SERVE, file: 'serve_chat.py', hardware: HARDWARE }));
  analyses.set('serve_classifier.py', analyze({ text: CLASSIFY, file: 'serve_classifier.py', hardware: HARDWARE }));
  analyses.set('train_cifar.py', analyze({ text: TRAIN, file: 'train_cifar.py', hardware: HARDWARE }));
  if (!HAS_CHROMIUM) return;
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'floplens-layout-'));
  for (const entry of ['main', 'benchmark']) {
    await esbuild.build({
      entryPoints: [path.join(ROOT, `src/webview/${entry}.ts`)], bundle: true, platform: 'browser', format: 'iife', target: 'es2022',
      outfile: path.join(dir, `${entry}.js`), logLevel: 'silent',
    });
  }
  server = http.createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://localhost');
    const view = url.searchParams.get('view');
    if (url.pathname === '/' && (view === 'sidebar' || view === 'panel' || view === 'benchmark')) {
      const webview = { cspSource: origin, asWebviewUri: (u: Uri) => `${origin}${u.path}` };
      const page = view === 'benchmark'
        ? { title: 'FlopLens: Live Benchmark', script: 'benchmark.js', styles: ['webview.css', 'benchmark.css'], view, wasm: true, workers: true }
        : { title: 'FlopLens', script: 'main.js', styles: ['webview.css'], view };
      res.writeHead(200, { 'content-type': 'text/html' }).end(renderWebviewHtml(webview as never, Uri.file('/') as never, page));
      return;
    }
    const js = /^\/dist\/webview\/(main|benchmark)\.js$/.exec(url.pathname);
    const css = /^\/media\/(webview|benchmark)\.css$/.exec(url.pathname);
    const file = js ? path.join(dir, `${js[1]}.js`) : css ? path.join(ROOT, `media/${css[1]}.css`) : undefined;
    if (!file) {
      res.writeHead(404).end();
      return;
    }
    res.writeHead(200, { 'content-type': file.endsWith('.js') ? 'text/javascript' : 'text/css' }).end(fs.readFileSync(file));
  });
  await new Promise<void>((resolve) => server!.listen(0, '127.0.0.1', resolve));
  origin = `http://127.0.0.1:${(server.address() as { port: number }).port}`;
  browser = await chromium.launch({ executablePath: CHROMIUM, headless: true, args: ['--no-sandbox', '--disable-gpu', '--no-first-run'] });
}, 120_000);

afterAll(async () => {
  await browser?.close();
  server?.close();
  if (dir) fs.rmSync(dir, { recursive: true, force: true });
});

/** A finished sweep of every kernel at five sizes: the benchmark's widest results table. */
function benchReport(): BenchReport {
  const kernels: KernelInfo[] = KERNEL_IDS.map((id) => ({
    id, label: id, device: id === 'gpujs' || id === 'shader' ? 'gpu' : 'cpu', backend: id, threads: id.endsWith('-n') ? 8 : 1,
  }));
  const sizes = [64, 128, 256, 512, 1024];
  const results: KernelResult[] = sizes.flatMap((n) => kernels.map((k, i) => ({
    kernel: k.id, n, status: 'ok' as const, runs: 3, medianSeconds: (2 * n ** 3) / ((i + 1) * 1.37e9), gflops: (i + 1) * 1.37, endToEndGflops: (i + 1) * 1.1,
    correct: true, maxRelError: 3.1e-7, ...(k.device === 'gpu' ? { compileSeconds: 0.21, firstCallSeconds: 0.05, uploadSeconds: 1.2e-3, computeSeconds: 2.3e-3, readbackSeconds: 0.9e-3 } : {}),
  })));
  return assembleReport({
    host: 'webview', environment: { cpuCores: 8 }, renderer: { api: 'webgl2', vendor: 'Test', renderer: 'ANGLE (Test GPU Device (0x00001234) Direct3D11 vs_5_0 ps_5_0, D3D11)', software: false },
    gpu: { mode: 'webgl2', onGpu: true, reason: 'WebGL2 is available' }, notes: [],
  }, kernels, sizes, results, 'complete', 12.5);
}

/** Opens `view` at `width` CSS pixels with the analysis of `file`, every section open, and runs `look` on the page. */
async function withView<T>(view: ViewKind | 'benchmark', file: string, width: number, theme: 'vscode-dark' | 'vscode-light', look: (page: Page) => Promise<T>): Promise<T> {
  const context = await browser!.newContext({ viewport: { width, height: 1000 } });
  const page = await context.newPage();
  // The benchmark page is answered with `init` and a finished report; the others with the analysis.
  const state = view === 'benchmark' ? { type: 'init', lastReport: benchReport() } : { type: 'state', state: stateFor(view, file, analyses.get(file)!) };
  await page.addInitScript(({ s, cls, vars }) => {
    // What VS Code's webview host sets on every webview: the theme's class and its variables (font 13 px).
    document.addEventListener('DOMContentLoaded', () => {
      document.body.classList.add(cls);
      for (const [k, v] of Object.entries(vars)) document.documentElement.style.setProperty(k, v);
      document.documentElement.style.backgroundColor = vars['--vscode-editor-background'];
    });
    (window as unknown as Record<string, unknown>).acquireVsCodeApi = () => ({
      postMessage(m: { type: string }) {
        if (m.type === 'ready') setTimeout(() => window.postMessage(s, '*'), 0);
      },
      getState: () => undefined,
      setState: () => undefined,
    });
  }, { s: state, cls: theme, vars: THEME_VARS[theme] });
  try {
    await page.goto(`${origin}/?view=${view}`);
    await page.locator(view === 'benchmark' ? '#bench-results' : '#root section, #root details').first().waitFor({ timeout: 20_000 });
    await page.evaluate(() => document.querySelectorAll('details').forEach((d) => (d.open = true)));
    await page.evaluate(() => new Promise((r) => requestAnimationFrame(() => setTimeout(r, 50))));
    fs.mkdirSync(SHOTS, { recursive: true });
    const name = `${view}-${file.replace(/\.py$/, '') || 'report'}-${width}-${theme.replace('vscode-', '')}`;
    await page.screenshot({ path: path.join(SHOTS, `${name}.png`), fullPage: true });
    const serving = page.locator('details.card', { has: page.locator('table.serving') });
    if (await serving.count()) await serving.first().screenshot({ path: path.join(SHOTS, `${name}-serving.png`) });
    return await look(page);
  } finally {
    await context.close();
  }
}

/**
 * What sticks out of the view: elements whose right edge passes the viewport's (outside a box that scrolls
 * sideways, which is where a wide table belongs), and the page's own sideways scroll.
 */
function overflow(page: Page): Promise<{ pageScroll: number; outside: string[]; scrollers: string[] }> {
  return page.evaluate(() => {
    const vw = document.documentElement.clientWidth;
    const inScroller = (el: Element): boolean => {
      for (let p = el.parentElement; p && p !== document.body; p = p.parentElement) {
        if (['auto', 'scroll'].includes(getComputedStyle(p).overflowX)) return true;
      }
      return false;
    };
    const outside: string[] = [];
    for (const el of document.querySelectorAll('#root *')) {
      const r = el.getBoundingClientRect();
      if (r.width === 0 || r.right <= vw + 1 || inScroller(el)) continue;
      if (el.closest('svg') && el.tagName.toLowerCase() !== 'svg') continue;
      outside.push(`${el.tagName.toLowerCase()}${el.id ? `#${el.id}` : ''}${el.className && typeof el.className === 'string' ? `.${el.className.split(' ')[0]}` : ''} right ${Math.round(r.right)} > ${vw}: ${(el.textContent ?? '').slice(0, 40)}`);
    }
    // A figure or a column heading cut short ("$2,3…"); a device name may be cut, it has its title.
    for (const el of document.querySelectorAll('#root td, #root thead th')) {
      if (el.scrollWidth > el.clientWidth + 1 && !el.closest('[title]')) outside.push(`${el.tagName.toLowerCase()} cut: ${el.textContent ?? ''}`);
    }
    // A figure broken over two lines ('1.2' above 'GFLOP'): the unit belongs with its number.
    for (const el of document.querySelectorAll('#root td.num')) {
      const tops = new Set<number>();
      const texts = document.createTreeWalker(el, NodeFilter.SHOW_TEXT);
      for (let t = texts.nextNode(); t; t = texts.nextNode()) {
        const range = document.createRange();
        range.selectNodeContents(t);
        for (const r of range.getClientRects()) if (r.width > 0) tops.add(Math.round(r.top));
      }
      if (tops.size > 1) outside.push(`figure wrapped: ${el.textContent ?? ''}`);
    }
    // A chart's text past either edge of the view is cut ("e Ultra 7 155H (yours)" for a long row label).
    for (const el of document.querySelectorAll('#root svg text')) {
      const r = el.getBoundingClientRect();
      if (r.width > 0 && (r.left < 0 || r.right > vw + 1)) outside.push(`chart text cut: ${el.textContent ?? ''} (${Math.round(r.left)}–${Math.round(r.right)} of ${vw})`);
    }
    const scrollers = [...document.querySelectorAll('.table-wrap')].filter((w) => w.scrollWidth > w.clientWidth + 1).map((w) => w.querySelector('table')?.className ?? '');
    return { pageScroll: document.documentElement.scrollWidth - vw, outside: outside.slice(0, 10), scrollers };
  });
}

describe.skipIf(!HAS_CHROMIUM)('webview layout at narrow widths', () => {
  it.each([420, 560, 800])('the comparison panel\'s serving section fits a %i px panel: a wide table scrolls in its own box', async (width) => {
    const r = await withView('panel', 'serve_chat.py', width, 'vscode-dark', overflow);
    expect(r.outside).toEqual([]);
    expect(r.pageScroll).toBeLessThanOrEqual(0);
    // At 420 px the full serving table cannot fit: it scrolls (and is not cut).
    if (width === 420) expect(r.scrollers).toContain('grid compact serving');
  }, 60_000);

  it('the serving cost axis writes whole amounts as the other ticks do ("$10", not "$10.00")', async () => {
    const ticks = await withView('panel', 'serve_classifier.py', 800, 'vscode-dark', (page) =>
      page.locator('.serving-chart svg text').allTextContents());
    const money = ticks.filter((t) => t.startsWith('$'));
    expect(money).toContain('$10');
    expect(money.filter((t) => /\.\d\d$/.test(t))).toEqual([]);
  }, 60_000);

  it.each([420, 800])('the comparison panel of a training script fits a %i px panel', async (width) => {
    const r = await withView('panel', 'train_cifar.py', width, 'vscode-light', overflow);
    expect(r.outside).toEqual([]);
    expect(r.pageScroll).toBeLessThanOrEqual(0);
  }, 60_000);

  it.each([['serve_chat.py', 260], ['train_cifar.py', 260], ['serve_chat.py', 340]] as const)('the sidebar with %s fits %i px', async (file, width) => {
    const r = await withView('sidebar', file, width, 'vscode-dark', overflow);
    expect(r.outside).toEqual([]);
    expect(r.pageScroll).toBeLessThanOrEqual(0);
    // The sidebar's tables are made for it: none needs to scroll sideways.
    expect(r.scrollers).toEqual([]);
  }, 60_000);

  it.each([420, 700])('the live benchmark page with a full report fits a %i px panel: its results tables scroll in their own box', async (width) => {
    const r = await withView('benchmark', '', width, 'vscode-light', overflow);
    expect(r.outside).toEqual([]);
    expect(r.pageScroll).toBeLessThanOrEqual(0);
  }, 60_000);
});

describe('chart row labels', () => {
  it('a label longer than the margin allows ends in an ellipsis instead of running off the chart', () => {
    const { margin, format } = fitLabels(['Core Ultra 7 155H (yours)', 'T4', 'A100 80GB SXM'], 113);
    expect(margin).toBe(113);
    expect(format('Core Ultra 7 155H (yours)')).toBe('Core Ultra 7 15…');
    expect(format('T4')).toBe('T4');
    expect(format('A100 80GB SXM')).toBe('A100 80GB SXM');
    const wide = fitLabels(['Core Ultra 7 155H (yours)'], 400);
    expect(wide.format('Core Ultra 7 155H (yours)')).toBe('Core Ultra 7 155H (yours)');
  });
});
