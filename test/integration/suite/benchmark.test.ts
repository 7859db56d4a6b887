// The live benchmark in a real VS Code: the command opens the webview panel, the sweep runs in the
// webview (gpu.js on WebGL2 in the browser, JS kernels in Web Workers) and the command resolves with the report.
import * as assert from 'assert';
import * as vscode from 'vscode';
import { toThisMachineInput } from '../../../src/livebench/calibration';
import { benchReportSchema } from '../../../src/livebench/report';
import { EXTENSION_ID } from './helpers';

const COMMAND = 'floplens.runBenchmark';

/** Activates FlopLens without opening a Python file (this suite may run alone). */
async function activate(): Promise<void> {
  const ext = vscode.extensions.getExtension(EXTENSION_ID);
  assert.ok(ext, `${EXTENSION_ID} is not installed in this VS Code`);
  await ext.activate();
}

suite('Live benchmark', () => {
  suiteTeardown(async () => {
    for (const tab of vscode.window.tabGroups.all.flatMap((g) => g.tabs)) {
      if (tab.input instanceof vscode.TabInputWebview && tab.label.includes('Benchmark')) await vscode.window.tabGroups.close(tab);
    }
  });

  test('runs a small sweep in the webview and returns a correct, labelled report', async function () {
    this.timeout(240_000);
    await activate();
    const t0 = Date.now();
    const raw = await vscode.commands.executeCommand<unknown>(COMMAND, { sizes: [64, 128], auto: true, minRuns: 2 });
    assert.ok(raw, 'the command resolved without a report (panel closed or the run failed)');
    const parsed = benchReportSchema.safeParse(raw);
    assert.ok(parsed.success, `the report does not match its schema: ${parsed.success ? '' : parsed.error.message}`);
    const report = parsed.data;
    console.log(`  benchmark: ${((Date.now() - t0) / 1000).toFixed(1)} s, gpu.js ${report.gpu.mode}, renderer "${report.renderer.renderer}"${report.renderer.software ? ' (software)' : ''}`);
    for (const r of report.results) console.log(`    ${r.kernel} n=${r.n}: ${r.gflops?.toFixed(3)} GFLOP/s, err ${r.maxRelError}`);

    assert.strictEqual(report.host, 'webview');
    assert.strictEqual(report.status, 'complete');
    assert.deepStrictEqual(report.sizes, [64, 128]);
    assert.ok(['webgl2', 'webgl', 'webasm'].includes(report.gpu.mode), `gpu.js mode ${report.gpu.mode}`);
    assert.ok(report.gpu.reason.length > 0, 'the gpu.js backend choice is explained');
    assert.ok(report.renderer.renderer.length > 0, 'the renderer is named');
    if (/swiftshader|llvmpipe/i.test(report.renderer.renderer)) assert.strictEqual(report.renderer.software, true, 'a software rasteriser is flagged');

    const ids = report.kernels.map((k) => k.id);
    assert.ok(ids.includes('js-1'), `kernels: ${ids.join(', ')}`);
    if (report.gpu.mode !== 'webasm') assert.ok(ids.includes('gpujs'), `kernels: ${ids.join(', ')}`);
    assert.strictEqual(report.results.length, ids.length * 2);
    for (const r of report.results) {
      assert.strictEqual(r.status, 'ok', `${r.kernel} at n=${r.n}: ${r.reason ?? ''}`);
      assert.strictEqual(r.correct, true, `${r.kernel} at n=${r.n}: max rel error ${r.maxRelError}`);
      assert.ok((r.maxRelError ?? Infinity) < report.tolerance);
      assert.ok((r.gflops ?? 0) > 0, `${r.kernel} at n=${r.n}: GFLOP/s ${r.gflops}`);
    }
    assert.ok(ids.includes('simd-1'), `the WebAssembly SIMD kernel ran: ${ids.join(', ')}`);
    const devices = report.devices;
    assert.ok(devices, 'the report names the detected devices and the PyTorch ratios');
    assert.ok((devices.cpu.blasGflops ?? 0) > 0 && devices.cpu.peakGflops !== null, 'CPU BLAS estimate and peak');
    // A code-server window is another machine than its extension host as far as the extension can tell: both are named.
    if (vscode.env.remoteName !== undefined) assert.ok(devices.otherMachine && /extension host/.test(devices.otherMachine), `machines: ${devices.measuredMachine} / ${devices.otherMachine}`);
    const calibration = toThisMachineInput(report);
    assert.ok(calibration && calibration.cpuGflops > 0, 'the report calibrates a this-machine profile');
  });

  test('rejects malformed options without starting a run', async () => {
    await activate();
    const result = await vscode.commands.executeCommand<unknown>(COMMAND, { sizes: [63], auto: true });
    assert.strictEqual(result, undefined);
  });
});
