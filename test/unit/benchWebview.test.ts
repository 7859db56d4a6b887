/**
 * The benchmark webview bundle in headless Chromium (Debian's /usr/bin/chromium via playwright-core),
 * under the same CSP renderWebviewHtml writes for it, with a fake `acquireVsCodeApi`. Skipped when
 * Chromium is not installed.
 */
import * as esbuild from 'esbuild';
import * as fs from 'fs';
import * as http from 'http';
import * as os from 'os';
import * as path from 'path';
import { chromium, type BrowserContext, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { benchToHostSchema, type BenchToHost, type RunRequest } from '../../src/livebench/protocol';
import { benchReportSchema, type BenchReport } from '../../src/livebench/report';

const CHROMIUM = '/usr/bin/chromium';
const ROOT = path.resolve(__dirname, '../..');
/** What renderWebviewHtml emits for { wasm: true, workers: true }, with 'self' for the webview's cspSource. */
const CSP = "default-src 'none'; img-src 'self' data:; font-src 'self'; style-src 'self'; script-src 'nonce-test' 'wasm-unsafe-eval'; worker-src blob:";

let dir = '';
let server: http.Server;
let base = '';

function page(request: RunRequest | undefined): string {
  return `<!DOCTYPE html><html lang="en"><head><meta charset="UTF-8">
<meta http-equiv="Content-Security-Policy" content="${CSP}">
<link rel="stylesheet" href="/media/webview.css"><link rel="stylesheet" href="/media/benchmark.css">
<title>FlopLens: Live Benchmark</title></head>
<body data-view="benchmark" class="vscode-dark"><main id="root" aria-live="polite"></main>
<script nonce="test">
window.__posted = []; window.__violations = [];
document.addEventListener('securitypolicyviolation', (e) => window.__violations.push(e.violatedDirective + ' ' + e.blockedURI + ' ' + e.sourceFile + ':' + e.lineNumber));
window.acquireVsCodeApi = () => ({
  postMessage: (m) => {
    window.__posted.push(m);
    if (m.type === 'ready') setTimeout(() => window.postMessage({ type: 'init', request: ${JSON.stringify(request ?? null)} ?? undefined }, '*'), 0);
  },
  getState() {}, setState() {},
});
</script>
<script nonce="test" src="/benchmark.js"></script></body></html>`;
}

beforeAll(async () => {
  if (!fs.existsSync(CHROMIUM)) return;
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'floplens-bench-web-'));
  await esbuild.build({
    entryPoints: [path.join(ROOT, 'src/webview/benchmark.ts')], bundle: true, platform: 'browser', format: 'iife',
    target: 'es2022', minify: true, outfile: path.join(dir, 'benchmark.js'), logLevel: 'silent',
  });
  server = http.createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://localhost');
    if (url.pathname === '/') {
      const q = url.searchParams.get('request');
      res.writeHead(200, { 'content-type': 'text/html' }).end(page(q ? (JSON.parse(q) as RunRequest) : undefined));
      return;
    }
    const file = url.pathname === '/benchmark.js' ? path.join(dir, 'benchmark.js')
      : url.pathname.startsWith('/media/') ? path.join(ROOT, 'media', path.basename(url.pathname)) : '';
    if (!file || !fs.existsSync(file)) {
      res.writeHead(404).end();
      return;
    }
    res.writeHead(200, { 'content-type': file.endsWith('.js') ? 'text/javascript' : 'text/css' }).end(fs.readFileSync(file));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  base = `http://127.0.0.1:${(server.address() as { port: number }).port}/`;
}, 60_000);

afterAll(async () => {
  server?.close();
  if (dir) fs.rmSync(dir, { recursive: true, force: true });
});

async function withPage<T>(args: string[], request: RunRequest | undefined, fn: (p: Page) => Promise<T>): Promise<T> {
  const profile = fs.mkdtempSync(path.join(os.tmpdir(), 'floplens-bench-chromium-'));
  let ctx: BrowserContext | undefined;
  try {
    ctx = await chromium.launchPersistentContext(profile, {
      executablePath: CHROMIUM, headless: true, viewport: { width: 1100, height: 1200 },
      args: ['--no-sandbox', '--enable-unsafe-swiftshader', '--disable-background-networking', '--no-first-run', '--disable-component-update', '--disable-sync', ...args],
    });
    const p = ctx.pages()[0] ?? (await ctx.newPage());
    await p.goto(`${base}?request=${encodeURIComponent(JSON.stringify(request ?? null))}`);
    return await fn(p);
  } finally {
    await ctx?.close();
    fs.rmSync(profile, { recursive: true, force: true });
  }
}

async function finalMessage(p: Page): Promise<BenchToHost> {
  await p.waitForFunction(() => (window as unknown as { __posted: { type: string }[] }).__posted.some((m) => m.type === 'result' || m.type === 'error'), null, { timeout: 120_000 });
  const posted = await p.evaluate(() => (window as unknown as { __posted: BenchToHost[] }).__posted);
  return posted.find((m) => m.type === 'result' || m.type === 'error')!;
}

async function reportOf(p: Page): Promise<BenchReport> {
  const m = await finalMessage(p);
  if (m.type !== 'result') throw new Error(`benchmark posted ${JSON.stringify(m)}`);
  const parsed = benchReportSchema.safeParse(m.report);
  expect(parsed.success).toBe(true);
  return parsed.data!;
}

const violations = (p: Page): Promise<string[]> => p.evaluate(() => (window as unknown as { __violations: string[] }).__violations);

describe.skipIf(!fs.existsSync(CHROMIUM))('benchmark webview in headless Chromium', () => {
  it('runs a small sweep on WebGL2 with zero CSP violations, names the renderer, and renders the results', async () => {
    await withPage([], { sizes: [32, 64], auto: true, minRuns: 2 }, async (p) => {
      const report = await reportOf(p);
      expect(await violations(p)).toEqual([]);
      expect(report.host).toBe('webview');
      expect(report.status).toBe('complete');
      expect(report.sizes).toEqual([32, 64]);
      expect(report.gpu).toMatchObject({ mode: 'webgl2', onGpu: true });
      expect(report.renderer.api).toBe('webgl2');
      expect(report.renderer.renderer.length).toBeGreaterThan(3);
      // Headless Chromium without a GPU renders WebGL with SwiftShader, and must say so.
      if (/swiftshader/i.test(report.renderer.renderer)) expect(report.renderer).toMatchObject({ software: true, softwareName: 'SwiftShader' });
      const ids = report.kernels.map((k) => k.id);
      expect(ids).toEqual(expect.arrayContaining(['gpujs', 'shader', 'wasm-1', 'js-1']));
      if (report.environment.cpuCores > 1) expect(ids).toContain('js-n');
      // The host keeps what was measured when the view stops answering (runWatch.ts): every result is posted as it is
      // known, and `started` carries the report's context.
      const posted = await p.evaluate(() => (window as unknown as { __posted: BenchToHost[] }).__posted);
      for (const m of posted) expect(benchToHostSchema.safeParse(m).success, JSON.stringify(m).slice(0, 200)).toBe(true);
      expect(posted.filter((m) => m.type === 'kernelResult')).toHaveLength(report.results.length);
      const started = posted.find((m) => m.type === 'started');
      expect(started?.type === 'started' ? started.context?.kernelInfos.map((k) => k.id) : undefined).toEqual(ids);
      for (const r of report.results) {
        expect(r, `${r.kernel} at ${r.n}: ${r.reason ?? ''}`).toMatchObject({ status: 'ok', correct: true });
        expect(r.maxRelError).toBeLessThan(report.tolerance);
        expect(r.gflops).toBeGreaterThan(0);
      }
      const gpu = report.results.filter((r) => r.kernel === 'gpujs' || r.kernel === 'shader');
      for (const r of gpu) {
        for (const s of [r.compileSeconds, r.firstCallSeconds, r.uploadSeconds, r.computeSeconds, r.readbackSeconds]) expect(s).toBeGreaterThanOrEqual(0);
      }
      expect(report.perSize.every((s) => s.ratio !== null && s.bestCpu !== null)).toBe(true);
      expect(report.crossover.status).not.toBe('no-gpu');

      expect(await p.locator('#bench-results tbody tr').count()).toBe(2);
      expect(await p.locator('#bench-chart svg').count()).toBe(1);
      expect(await p.locator('#bench-summary').isVisible()).toBe(true);
      if (report.renderer.software) expect(await p.locator('#bench-software').textContent()).toContain(report.renderer.softwareName!);
      expect(await p.locator('#bench-status').textContent()).toMatch(/^Done in/);
      // What the CPU bar can reach: the 128-bit WebAssembly ceiling of these cores, beside the CPU's own peak.
      expect(report.devices?.cpu.browserCeilingGflops).toBeGreaterThan(0);
      expect(report.devices!.cpu.browserCeilingGflops!).toBeLessThanOrEqual(report.devices!.cpu.peakGflops!);
      expect(await p.locator('#bench-ceiling').textContent()).toMatch(/ceiling: .*128-bit/);
    });
  }, 180_000);

  it('cancels a run from the Cancel button and reports what it measured', async () => {
    await withPage([], undefined, async (p) => {
      await p.selectOption('#bench-max-size', '4096');
      await p.click('#bench-run');
      await p.waitForFunction(() => (window as unknown as { __posted: { type: string; done?: number }[] }).__posted.some((m) => m.type === 'progress' && (m.done ?? 0) >= 2));
      await p.click('#bench-cancel');
      const report = await reportOf(p);
      expect(report.status).toBe('cancelled');
      expect(report.results.some((r) => r.status === 'ok')).toBe(true);
      expect(await p.locator('#bench-run').isEnabled()).toBe(true);
      expect(await violations(p)).toEqual([]);
    });
  }, 180_000);

  it('falls back to WebGL1 when WebGL2 is unavailable, and says so', async () => {
    await withPage(['--disable-webgl2'], { sizes: [32], auto: true, minRuns: 1 }, async (p) => {
      const report = await reportOf(p);
      expect(report.renderer.api).toBe('webgl');
      expect(report.gpu).toMatchObject({ mode: 'webgl', onGpu: true });
      expect(report.gpu.reason).toMatch(/WebGL2 is unavailable.*WebGL1/);
      expect(report.kernels.map((k) => k.id)).not.toContain('shader');
      expect(report.results.every((r) => r.status === 'ok' && r.correct)).toBe(true);
      expect(await violations(p)).toEqual([]);
    });
  }, 180_000);

  it('falls back honestly when WebGL is unavailable: gpu.js on WebAssembly, labelled as CPU', async () => {
    await withPage(['--disable-3d-apis'], { sizes: [32], auto: true, minRuns: 1 }, async (p) => {
      const report = await reportOf(p);
      expect(report.renderer.api).toBe('none');
      expect(report.gpu).toMatchObject({ mode: 'webasm', onGpu: false });
      expect(report.gpu.reason).toMatch(/WebGL is unavailable/);
      expect(report.kernels.every((k) => k.device === 'cpu')).toBe(true);
      expect(report.kernels.map((k) => k.id)).toContain('wasm-1');
      expect(report.crossover.status).toBe('no-gpu');
      expect(report.results.every((r) => r.correct)).toBe(true);
      expect(await violations(p)).toEqual([]);
    });
  }, 180_000);
});
