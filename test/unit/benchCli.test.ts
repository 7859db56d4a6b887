import { afterEach, describe, expect, it, vi } from 'vitest';
import { createRequire } from 'module';
import { nodeGpuMode } from '../../src/livebench/node/nodeBench';
import { runBenchCli } from '../../src/cli/liveBench';
import { toThisMachineInput } from '../../src/livebench/calibration';
import { benchReportSchema } from '../../src/livebench/report';
import { captureOutput } from './captureOutput';

/** Runs the CLI in-process; returns its status and what it wrote. */
const cli = (...argv: string[]) => captureOutput(() => runBenchCli(argv));

afterEach(() => vi.restoreAllMocks());

describe('floplens bench', () => {
  it('--json prints a valid report: every kernel correct, GFLOP/s > 0, the gpu.js mode named', async () => {
    const { code, out } = await cli('bench', '--json', '--sizes', '32,64', '--runs', '2');
    expect(code).toBe(0);
    const parsed = benchReportSchema.safeParse(JSON.parse(out));
    expect(parsed.success).toBe(true);
    const report = parsed.data!;
    expect(report.host).toBe('node');
    expect(report.status).toBe('complete');
    expect(report.sizes).toEqual([32, 64]);
    // Without a DISPLAY and the native `gl` package gpu.js must say it runs WebAssembly on the CPU.
    expect(['headlessgl', 'webasm']).toContain(report.gpu.mode);
    expect(report.gpu.reason.length).toBeGreaterThan(20);
    if (!process.env.DISPLAY) {
      expect(report.gpu).toMatchObject({ mode: 'webasm', onGpu: false });
      expect(report.gpu.reason).toMatch(/WebAssembly.*DISPLAY/);
      expect(report.crossover.status).toBe('no-gpu');
    }
    const ids = report.kernels.map((k) => k.id);
    expect(ids).toEqual(expect.arrayContaining(['wasm-1', 'js-1', 'simd-1']));
    // The detected devices and the ratios travel with the report: the CPU's peak and a BLAS estimate from the SIMD kernel.
    expect(report.devices?.cpu.simdGflops).toBeGreaterThan(0);
    expect(report.devices?.cpu.blasGflops).toBeGreaterThan(report.devices?.cpu.simdGflops ?? Infinity);
    expect(report.devices?.cpu.peakGflops).toBeGreaterThan(0);
    expect(report.devices?.measuredMachine).toMatch(/floplens/);
    expect(toThisMachineInput(report)?.cpuBlasGflops).toBe(report.devices?.cpu.blasGflops);
    for (const r of report.results) {
      expect(r.status).toBe('ok');
      expect(r.correct).toBe(true);
      expect(r.maxRelError).toBeLessThan(report.tolerance);
      expect(r.gflops).toBeGreaterThan(0);
      expect(r.runs).toBeGreaterThanOrEqual(2);
    }
    expect(report.results).toHaveLength(ids.length * 2);
    expect(report.environment.cpuCores).toBeGreaterThanOrEqual(1);
    expect(toThisMachineInput(report)?.cpuGflops).toBeGreaterThan(0);
  });

  it('prints a text table by default', async () => {
    const { code, out } = await cli('--sizes=16', '--runs', '1', '--threads', '2');
    expect(code).toBe(0);
    expect(out).toMatch(/gpu\.js mode: (webasm|headlessgl)/);
    expect(out).toContain('JS CPU (2 threads)');
    expect(out).toMatch(/^ +16 /m);
    expect(out).toContain('status complete');
  });

  it('names why gpu.js cannot use headless-gl', () => {
    const saved = process.env.DISPLAY;
    try {
      delete process.env.DISPLAY;
      expect(nodeGpuMode()).toMatchObject({ mode: 'webasm', reason: expect.stringMatching(/DISPLAY is not set/) });
      let glInstalled = true;
      try {
        createRequire(__filename).resolve('gl');
      } catch {
        glInstalled = false;
      }
      if (!glInstalled) {
        process.env.DISPLAY = ':99';
        expect(nodeGpuMode()).toMatchObject({ mode: 'webasm', reason: expect.stringMatching(/`gl` did not load.*DISPLAY=:99/) });
      }
    } finally {
      if (saved === undefined) delete process.env.DISPLAY;
      else process.env.DISPLAY = saved;
    }
  });

  it('rejects bad options with exit code 2 and prints help', async () => {
    expect((await cli('--sizes', '130')).code).toBe(2);
    expect((await cli('--frobnicate')).err).toContain('unknown option');
    const help = await cli('--help');
    expect(help.code).toBe(0);
    expect(help.out).toContain('Usage: floplens bench');
  });
});
