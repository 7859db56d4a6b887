/**
 * The gpu.js matmul kernel, shared by the webview (esbuild follows gpu.js's `browser` field to its
 * prebuilt browser build) and Node (its CommonJS source, headless-gl or WebAssembly).
 */
import {
  GPU, HeadlessGLKernel, Input, WebAssemblyKernel, WebGL2Kernel, WebGLKernel, type IKernelRunShortcut, type Texture,
} from 'gpu.js';
import type { KernelId, KernelInfo } from './report';
import type { BenchKernel, PhaseTimes, Product } from './sweep';

/*
 * Kernels are given as source text rather than functions: gpu.js parses Function#toString(), and text
 * survives minification, coverage instrumentation and TypeScript emit unchanged. Row y of A times
 * column x of B; `size` is a constant so the loop bound is static in the generated shader.
 */
const MATMUL_SOURCE = `function matmul(a, b) {
  let sum = 0;
  for (let k = 0; k < this.constants.size; k++) {
    sum += a[this.thread.y][k] * b[k][this.thread.x];
  }
  return sum;
}`;

/** An n² pass that only moves the input into a texture: the upload, plus a negligible draw. */
const COPY_SOURCE = `function copy(a) {
  return a[this.thread.y][this.thread.x];
}`;

/** gpu.js modes this kernel is built for. */
export type GpujsMode = 'webgl2' | 'webgl' | 'headlessgl' | 'webasm';

export interface GpujsKernelOptions {
  id: KernelId;
  label: string;
  mode: GpujsMode;
  /** `gpu` for the GL modes, `cpu` for webasm. */
  device: 'gpu' | 'cpu';
  /** webasm: await each call and let gpu.js split it over its worker pool (threads need SharedArrayBuffer). */
  asyncMode?: boolean;
  /** webasm + asyncMode: pool size. */
  threads?: number;
  note?: string;
}

/**
 * Whether gpu.js really built the backend asked for (it can fall back without throwing). Checked with
 * instanceof: class names do not survive bundling or minification.
 */
export function builtOn(k: IKernelRunShortcut, mode: GpujsMode): boolean {
  const inner = (k as unknown as { kernel?: object }).kernel;
  switch (mode) {
    case 'webgl2':
      return inner instanceof WebGL2Kernel;
    case 'webgl':
      return inner instanceof WebGLKernel && !(inner instanceof WebGL2Kernel) && !(inner instanceof HeadlessGLKernel);
    case 'headlessgl':
      return inner instanceof HeadlessGLKernel;
    case 'webasm':
      return inner instanceof WebAssemblyKernel;
  }
}

/** A gpu.js matmul kernel. GL modes also time upload, compute on resident textures, and readback. */
export function gpujsKernel(o: GpujsKernelOptions): BenchKernel {
  const gl = o.mode !== 'webasm';
  const info: KernelInfo = {
    id: o.id, label: o.label, device: o.device, backend: o.mode, threads: o.asyncMode ? (o.threads ?? 1) : 1,
    ...(o.note ? { note: o.note } : {}),
  };
  let gpu: GPU | undefined;
  let full: IKernelRunShortcut | undefined;
  let upA: IKernelRunShortcut | undefined, upB: IKernelRunShortcut | undefined, onTextures: IKernelRunShortcut | undefined;
  let n = 0;
  let a: Float32Array = new Float32Array(0), b: Float32Array = new Float32Array(0);
  /** gpu.js views a flat Float32Array as an n×n matrix (its typings say number[]). */
  const view = (m: Float32Array): Input => new Input(m as unknown as number[], [n, n]);

  /*
   * Waits until the GPU has produced `tex` by reading one texel of it. gl.finish() is not a barrier in
   * Chromium (it only flushes), and WebGL1/headless-gl have no fences; a 1-texel readPixels is the
   * portable way to wait, and costs one round trip.
   */
  let scratch: WebGLFramebuffer | null = null;
  const texel = new Float32Array(4);
  const waitFor = (tex: Texture): void => {
    const ctx = (gpu as unknown as { context?: WebGLRenderingContext } | undefined)?.context;
    const target = (tex as unknown as { texture?: WebGLTexture }).texture;
    if (!ctx || !target) {
      tex.toArray();
      return;
    }
    const previous = ctx.getParameter(ctx.FRAMEBUFFER_BINDING) as WebGLFramebuffer | null;
    scratch ??= ctx.createFramebuffer();
    ctx.bindFramebuffer(ctx.FRAMEBUFFER, scratch);
    ctx.framebufferTexture2D(ctx.FRAMEBUFFER, ctx.COLOR_ATTACHMENT0, ctx.TEXTURE_2D, target, 0);
    ctx.readPixels(0, 0, 1, 1, ctx.RGBA, ctx.FLOAT, texel);
    ctx.framebufferTexture2D(ctx.FRAMEBUFFER, ctx.COLOR_ATTACHMENT0, ctx.TEXTURE_2D, null, 0);
    ctx.bindFramebuffer(ctx.FRAMEBUFFER, previous);
  };
  const settings = (size: number, pipeline: boolean, constants?: Record<string, number>) => ({
    output: [size, size],
    precision: 'single' as const,
    pipeline,
    ...(constants ? { constants } : {}),
    ...(o.asyncMode ? { asyncMode: true } : {}),
    ...(o.asyncMode && o.threads ? { poolSize: o.threads } : {}),
  });

  return {
    info,
    async prepare(size, ma, mb) {
      n = size;
      a = ma;
      b = mb;
      gpu ??= new GPU({ mode: o.mode });
      full = gpu.createKernel(MATMUL_SOURCE, settings(n, false, { size: n }));
      // gpu.js caps loops it cannot prove bounded at 1000 iterations (GLSL ES 1.0 needs a constant bound).
      full.setLoopMaxIterations(Math.max(1000, n));
      const t0 = performance.now();
      full.build(view(a), view(b));
      const compileSeconds = (performance.now() - t0) / 1000;
      if (!builtOn(full, o.mode)) throw new Error(`gpu.js did not build a ${o.mode} kernel (it fell back to another backend); not measured, to avoid mislabelling it`);
      if (gl) {
        upA = gpu.createKernel(COPY_SOURCE, settings(n, true));
        upB = gpu.createKernel(COPY_SOURCE, settings(n, true));
        onTextures = gpu.createKernel(MATMUL_SOURCE, settings(n, true, { size: n }));
        onTextures.setLoopMaxIterations(Math.max(1000, n));
        const ta = upA(view(a)) as Texture;
        const tb = upB(view(b)) as Texture;
        onTextures.build(ta, tb);
      }
      return { compileSeconds };
    },
    async run(): Promise<Product> {
      if (!full) throw new Error('not prepared');
      return (await full(view(a), view(b))) as Product;
    },
    ...(gl ? {
      async phases(): Promise<PhaseTimes> {
        if (!upA || !upB || !onTextures) throw new Error('not prepared');
        const t0 = performance.now();
        const ta = upA(view(a)) as Texture;
        const tb = upB(view(b)) as Texture;
        waitFor(ta);
        waitFor(tb);
        const t1 = performance.now();
        const tc = onTextures(ta, tb) as Texture;
        waitFor(tc);
        const t2 = performance.now();
        tc.toArray();
        const t3 = performance.now();
        return { upload: (t1 - t0) / 1000, compute: (t2 - t1) / 1000, readback: (t3 - t2) / 1000 };
      },
    } : {}),
    async release() {
      for (const k of [full, upA, upB, onTextures]) k?.destroy();
      full = upA = upB = onTextures = undefined;
    },
    async dispose() {
      await this.release();
      if (scratch) (gpu as unknown as { context?: WebGLRenderingContext } | undefined)?.context?.deleteFramebuffer(scratch);
      scratch = null;
      await gpu?.destroy();
      gpu = undefined;
    },
  };
}
