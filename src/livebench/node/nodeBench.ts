/**
 * The benchmark in Node (`floplens bench`): the same kernels and report as the webview. gpu.js runs on
 * headless-gl when an X display is present and the optional native `gl` package loads; otherwise it runs
 * its WebAssembly backend on the CPU, and the report says so.
 */
import * as fs from 'fs';
import * as os from 'os';
import { Worker } from 'worker_threads';
import { GPU, WebAssemblyKernel } from 'gpu.js';
import { gpujsKernel } from '../gpujs';
import { pooledJsKernel } from '../jsKernel';
import { classifyRenderer } from '../policy';
import type { BenchReport, RendererInfo } from '../report';
import { runSweep, type BenchKernel, type SweepOptions } from '../sweep';
import { matmulWorkerSource, RowPool, type WorkerPort } from '../worker';
import { detectSimd, type SimdSupport } from '../simd';
import { pooledSimdKernel, simdWorkerSource } from '../simdKernel';
import * as v8 from 'v8';
import { describeDevices } from '../devices';
import { nodeMachineFacts } from './hostInfo';

/** Logical cores available to this process. */
export function nodeCores(): number {
  return Math.max(1, typeof os.availableParallelism === 'function' ? os.availableParallelism() : os.cpus().length);
}

/**
 * What Node's WebAssembly offers the SIMD kernel. Node 20's V8 (11.3) ships relaxed SIMD behind
 * --experimental-wasm-relaxed-simd (Chromium has shipped it since 114); the flag is set for this process
 * before the check, so the CLI measures the FMA kernel a webview runs. Flags are process-wide and reach workers.
 */
export function nodeSimdSupport(): SimdSupport {
  try {
    v8.setFlagsFromString('--experimental-wasm-relaxed-simd');
  } catch {
    // an engine without the flag: detectSimd says what is left
  }
  return detectSimd();
}

/** A pool of `threads` worker_threads running the JS kernel (or another worker source with its protocol). */
export function nodeRowPool(threads: number, source = matmulWorkerSource('node')): RowPool {
  const ports: WorkerPort[] = [];
  for (let i = 0; i < threads; i++) {
    const w = new Worker(source, { eval: true });
    ports.push({
      post: (m) => w.postMessage(m),
      listen: (onReply, onError) => {
        w.on('message', onReply);
        w.on('error', (e) => onError(e.message));
      },
      terminate: () => void w.terminate(),
    });
  }
  return new RowPool(ports);
}

/** /proc/cpuinfo's text on Linux; undefined elsewhere or in a sandbox without /proc (features then stay unknown, and the report says so). */
function readCpuinfo(): string | undefined {
  return readLinuxFile('/proc/cpuinfo');
}

/** A Linux kernel interface file's text (/proc, /sys), or undefined (another OS, absent in a VM or container). */
function readLinuxFile(path: string): string | undefined {
  if (process.platform !== 'linux') return undefined;
  try {
    return fs.readFileSync(path, 'utf8');
  } catch {
    return undefined;
  }
}

/** Where gpu.js can run in this Node process, and why. */
export function nodeGpuMode(): { mode: 'headlessgl' | 'webasm'; reason: string } {
  if (!process.env.DISPLAY) {
    return { mode: 'webasm', reason: 'gpu.js is running its WebAssembly backend on the CPU: DISPLAY is not set, so headless-gl has no X server to create a GL context with.' };
  }
  let supported = false;
  try {
    supported = GPU.isHeadlessGLSupported;
  } catch {
    supported = false;
  }
  if (!supported) {
    return {
      mode: 'webasm',
      reason: `gpu.js is running its WebAssembly backend on the CPU: the optional native package \`gl\` did not load or could not create a context on DISPLAY=${process.env.DISPLAY}.`,
    };
  }
  return { mode: 'headlessgl', reason: `gpu.js is running on headless-gl (DISPLAY=${process.env.DISPLAY}).` };
}

function headlessRenderer(): RendererInfo {
  try {
    const gpu = new GPU({ mode: 'headlessgl' });
    const ctx = (gpu as unknown as { context?: WebGLRenderingContext }).context;
    if (ctx) {
      const ext = ctx.getExtension('WEBGL_debug_renderer_info');
      const renderer = String(ext ? ctx.getParameter(ext.UNMASKED_RENDERER_WEBGL) : ctx.getParameter(ctx.RENDERER));
      const vendor = String(ext ? ctx.getParameter(ext.UNMASKED_VENDOR_WEBGL) : ctx.getParameter(ctx.VENDOR));
      void gpu.destroy();
      return { api: 'headlessgl', vendor, renderer, ...classifyRenderer(renderer, vendor) };
    }
    void gpu.destroy();
  } catch {
    // fall through: report no renderer
  }
  return { api: 'headlessgl', vendor: 'unknown', renderer: 'unknown (headless-gl did not report one)', software: false };
}

export interface NodeBenchOptions extends Omit<SweepOptions, 'sizes'> {
  sizes: number[];
  /** Override the detected thread count for the multi-threaded kernels. */
  threads?: number;
}

/** Runs the sweep in this process and returns the report. */
export async function runNodeBench(options: NodeBenchOptions): Promise<BenchReport> {
  const cores = nodeCores();
  const threads = Math.max(1, options.threads ?? cores);
  const { mode, reason } = nodeGpuMode();
  const notes = [reason];
  const kernels: BenchKernel[] = [];
  let renderer: RendererInfo = { api: 'none', vendor: 'none', renderer: 'none', software: false };
  if (mode === 'headlessgl') {
    renderer = headlessRenderer();
    kernels.push(gpujsKernel({ id: 'gpujs', label: 'gpu.js (headless-gl)', mode: 'headlessgl', device: 'gpu' }));
    if (renderer.software) {
      notes.push(`The GL renderer is ${renderer.softwareName}, a software rasteriser: the "GPU" kernel runs on the CPU and says nothing about a real GPU.`);
    }
  }
  kernels.push(gpujsKernel({
    id: 'wasm-1', label: 'gpu.js WebAssembly (CPU, 1 thread)', mode: 'webasm', device: 'cpu',
    note: 'gpu.js webasm backend, synchronous calls (SIMD when available)',
  }));
  if (threads > 1 && (WebAssemblyKernel as unknown as { isThreadsSupported: boolean }).isThreadsSupported) {
    kernels.push(gpujsKernel({
      id: 'wasm-n', label: `gpu.js WebAssembly (CPU, ${threads} threads)`, mode: 'webasm', device: 'cpu', asyncMode: true, threads,
      note: 'gpu.js webasm backend, async calls split over its worker pool (shared wasm memory)',
    }));
  }
  const simd = nodeSimdSupport();
  if (simd.simd) {
    const source = simdWorkerSource('node', simd.relaxed);
    kernels.push(pooledSimdKernel('simd-1', 'WebAssembly SIMD (CPU, 1 thread)', simd, () => nodeRowPool(1, source)));
    if (threads > 1) kernels.push(pooledSimdKernel('simd-n', `WebAssembly SIMD (CPU, ${threads} threads)`, simd, () => nodeRowPool(threads, source)));
  } else {
    notes.push('This Node has no WebAssembly SIMD, so the SIMD CPU kernel was not run; the CPU rates below are far from what a BLAS reaches.');
  }
  kernels.push(pooledJsKernel('js-1', 'JS CPU (1 thread)', () => nodeRowPool(1)));
  if (threads > 1) kernels.push(pooledJsKernel('js-n', `JS CPU (${threads} threads)`, () => nodeRowPool(threads)));
  else notes.push('Only one core is available, so the multi-threaded CPU kernels were not run.');

  try {
    const report = await runSweep(kernels, options, {
      host: 'node',
      environment: {
        cpuCores: cores,
        cpuModel: os.cpus()[0]?.model?.trim() || undefined,
        nodeVersion: process.version,
        platform: `${process.platform}-${process.arch}`,
      },
      renderer,
      gpu: { mode, onGpu: mode === 'headlessgl', reason },
      notes,
    });
    return { ...report, devices: describeDevices(report, nodeMachineFacts('cli', readCpuinfo(), undefined, readLinuxFile('/sys/devices/system/cpu/cpu0/cpufreq/cpuinfo_max_freq'))) };
  } finally {
    for (const k of kernels) await k.dispose().catch(() => undefined);
  }
}
