/** The kernels the webview benchmark runs, chosen from what the page can reach. */
import { GPU } from 'gpu.js';
import { gpujsKernel, type GpujsMode } from '../../livebench/gpujs';
import { inlineJsKernel, pooledJsKernel } from '../../livebench/jsKernel';
import type { BenchReport } from '../../livebench/report';
import type { BenchKernel } from '../../livebench/sweep';
import { matmulWorkerSource, RowPool, type WorkerPort } from '../../livebench/worker';
import type { BrowserCapabilities } from './probe';
import { referenceShaderKernel } from './referenceShader';
import { pooledSimdKernel, simdWorkerSource } from '../../livebench/simdKernel';

const workerUrls = new Map<string, string>();

/**
 * `threads` Web Workers running the JS kernel, from a blob URL. Webview resources live on another
 * origin than the page, and workers must be same-origin, so a script URL cannot be used; the page's
 * CSP allows `worker-src blob:` for this (renderWebviewHtml's `workers` flag).
 */
export function browserRowPool(threads: number, source = matmulWorkerSource('browser')): RowPool {
  let workerUrl = workerUrls.get(source);
  if (!workerUrl) {
    workerUrl = URL.createObjectURL(new Blob([source], { type: 'text/javascript' }));
    workerUrls.set(source, workerUrl);
  }
  const ports: WorkerPort[] = [];
  try {
    for (let i = 0; i < threads; i++) {
      const w = new Worker(workerUrl, { name: `floplens-matmul-${i}` });
      ports.push({
        post: (m) => w.postMessage(m),
        listen: (onReply, onError) => {
          w.onmessage = (e: MessageEvent) => onReply(e.data);
          w.onerror = (e: ErrorEvent) => {
            e.preventDefault();
            onError(e.message || 'worker error (blocked by the CSP or failed to load)');
          };
          w.onmessageerror = () => onError('message could not be deserialised');
        },
        terminate: () => w.terminate(),
      });
    }
  } catch (e) {
    for (const p of ports) p.terminate();
    throw e;
  }
  return new RowPool(ports);
}

/** What to run, and how the choice of gpu.js backend is explained. */
export interface KernelPlan {
  kernels: BenchKernel[];
  gpu: BenchReport['gpu'];
  notes: string[];
}

export interface KernelChoice {
  referenceShader: boolean;
  wasm: boolean;
}

/** Chooses the kernels: gpu.js on WebGL2 (else WebGL1, else labelled WebAssembly), the reference shader, and the CPU kernels. */
export function planKernels(caps: BrowserCapabilities, choice: KernelChoice): KernelPlan {
  const kernels: BenchKernel[] = [];
  const notes: string[] = [];
  let gpu: BenchReport['gpu'];
  let glMode: GpujsMode | undefined;
  if (caps.webgl2 && GPU.isWebGL2Supported) glMode = 'webgl2';
  else if (caps.webgl && GPU.isWebGLSupported) glMode = 'webgl';
  if (glMode) {
    gpu = {
      mode: glMode,
      onGpu: true,
      reason: glMode === 'webgl2'
        ? 'gpu.js runs on WebGL2.'
        : 'WebGL2 is unavailable in this webview, so gpu.js runs on WebGL1 (float textures via OES_texture_float).',
    };
    kernels.push(gpujsKernel({ id: 'gpujs', label: `gpu.js (${glMode === 'webgl2' ? 'WebGL2' : 'WebGL1'})`, mode: glMode, device: 'gpu' }));
  } else if (caps.wasm) {
    gpu = {
      mode: 'webasm', onGpu: false,
      reason: 'WebGL is unavailable in this webview (disabled or blocklisted GPU), so no kernel can run on the GPU; gpu.js runs only as its WebAssembly backend on the CPU.',
    };
  } else {
    gpu = { mode: 'none', onGpu: false, reason: 'Neither WebGL nor WebAssembly is available in this webview, so gpu.js cannot run.' };
  }
  if (choice.referenceShader && caps.webgl2) {
    if (caps.floatRender) kernels.push(referenceShaderKernel());
    else notes.push('The reference shader was not run: this WebGL2 lacks EXT_color_buffer_float (rendering to float textures).');
  }
  if (caps.wasm && (choice.wasm || !glMode)) {
    kernels.push(gpujsKernel({
      id: 'wasm-1', label: 'gpu.js WebAssembly (CPU)', mode: 'webasm', device: 'cpu',
      note: 'gpu.js webasm backend, synchronous (single thread: a webview is not cross-origin isolated, so no SharedArrayBuffer for its thread pool)',
    }));
  }
  if (caps.wasm && caps.simd.simd) {
    try {
      const source = simdWorkerSource('browser', caps.simd.relaxed);
      kernels.push(pooledSimdKernel('simd-1', 'WebAssembly SIMD (CPU, 1 thread)', caps.simd, () => browserRowPool(1, source)));
      if (caps.cores > 1) kernels.push(pooledSimdKernel('simd-n', `WebAssembly SIMD (CPU, ${caps.cores} threads)`, caps.simd, () => browserRowPool(caps.cores, source)));
    } catch (e) {
      notes.push(`The WebAssembly SIMD kernel could not start its workers (${e instanceof Error ? e.message : String(e)}); the CPU rates below are far from what a BLAS reaches.`);
    }
  } else {
    notes.push('This webview has no WebAssembly SIMD, so the SIMD CPU kernel was not run; the CPU rates below are far from what a BLAS reaches.');
  }
  try {
    kernels.push(pooledJsKernel('js-1', 'JS CPU (1 thread)', () => browserRowPool(1)));
    if (caps.cores > 1) kernels.push(pooledJsKernel('js-n', `JS CPU (${caps.cores} threads)`, () => browserRowPool(caps.cores)));
    else notes.push('The webview reports one core, so the multi-threaded CPU kernel was not run.');
  } catch (e) {
    kernels.push(inlineJsKernel('js-1', 'JS CPU (1 thread, UI thread)'));
    notes.push(`Web Workers could not start (${e instanceof Error ? e.message : String(e)}); the CPU kernel ran on the UI thread only, single-threaded.`);
  }
  return { kernels, gpu, notes };
}
