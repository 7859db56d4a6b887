/**
 * The gpu.js matmul kernel, shared by the webview (esbuild follows gpu.js's `browser` field to its
 * prebuilt browser build) and Node (its CommonJS source, headless-gl or WebAssembly).
 */
import {
  GPU, HeadlessGLKernel, Input, WebAssemblyKernel, WebGL2Kernel, WebGLKernel, type IKernelRunShortcut, type Texture,
} from 'gpu.js';
import { BENCH_TOLERANCE, type KernelId, type KernelInfo } from './report';
import { checkProduct, flattenRows, sampleReference } from './matmul';
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

/*
 * The fast variants keep A and B as RGBA32F textures of (n/4)×n texels: A4[i][k4] = A[i][4k4..4k4+3] and
 * B4[k][j4] = B[k][4j4..4j4+3], which is both matrices' own row-major layout, so nothing is transposed. Each
 * thread returns four outputs, C[i][4j4..4j4+3] (returnType Array(4), one RGBA32F texel, again C's row-major
 * layout), from one A texel and four B texels per step of four k: 5 texture reads per 16 multiply-adds, where
 * the textbook kernel makes 2 reads per multiply-add and the reference shader 2 per 4.
 */
const PACK4_SOURCE = `function pack4(m) {
  const x = this.thread.x * 4;
  return [m[this.thread.y][x], m[this.thread.y][x + 1], m[this.thread.y][x + 2], m[this.thread.y][x + 3]];
}`;

/** One k4 step of the vec4 kernel (16 multiply-adds); `k` is the k4 index expression, `t` a suffix for its locals. */
function vec4Step(k: string, t: string): string {
  const lines = [
    `const av${t} = a4[this.thread.y][${k}];`,
    `const r${t} = (${k}) * 4;`,
    ...[0, 1, 2, 3].map((q) => `const b${q}${t} = b4[r${t}${q ? ` + ${q}` : ''}][this.thread.x];`),
    ...[0, 1, 2, 3].map((c) => `s${c} += ${[0, 1, 2, 3].map((q) => `av${t}[${q}] * b${q}${t}[${c}]`).join(' + ')};`),
  ];
  return lines.map((l) => `\n    ${l}`).join('');
}

/** The vec4 kernel, its k loop unrolled `unroll` (1 or 2) times. */
const vec4Source = (unroll: 1 | 2): string => `function matmul4(a4, b4) {
  let s0 = 0;
  let s1 = 0;
  let s2 = 0;
  let s3 = 0;
  for (let k = 0; k < this.constants.k4; k += ${unroll}) {${vec4Step('k', 'x')}${unroll === 2 ? vec4Step('k + 1', 'y') : ''}
  }
  return [s0, s1, s2, s3];
}`;

/** A compute variant of the GL kernel: which inputs it reads and how its output is laid out. */
interface GlVariant {
  name: string;
  /** `scalar`: n×n textures read one float at a time; `vec4`: the packed (n/4)×n textures. */
  layout: 'scalar' | 'vec4';
  source: string;
  /** Sizes it applies to (the unrolled kernel needs n/4 even). */
  fits: (n: number) => boolean;
}

/** The variants swept at each size; the fastest correct one is kept (KernelResult.variant says which). */
export const GL_VARIANTS: readonly GlVariant[] = [
  { name: 'vec4 in, 4 outputs/thread, unrolled ×2', layout: 'vec4', source: vec4Source(2), fits: (n) => n % 8 === 0 },
  { name: 'vec4 in, 4 outputs/thread', layout: 'vec4', source: vec4Source(1), fits: (n) => n % 4 === 0 },
  { name: 'textbook (1 output/thread, scalar loop)', layout: 'scalar', source: MATMUL_SOURCE, fits: () => true },
];

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

/** A gpu.js matmul kernel: the textbook kernel on WebAssembly; on GL, the fastest correct of GL_VARIANTS per size. */
export function gpujsKernel(o: GpujsKernelOptions): BenchKernel {
  return o.mode === 'webasm' ? wasmKernel(o) : glKernel(o);
}

function kernelInfo(o: GpujsKernelOptions, note?: string): KernelInfo {
  const text = [o.note, note].filter(Boolean).join('; ');
  return { id: o.id, label: o.label, device: o.device, backend: o.mode, threads: o.asyncMode ? (o.threads ?? 1) : 1, ...(text ? { note: text } : {}) };
}

function kernelSettings(o: GpujsKernelOptions, output: [number, number], pipeline: boolean, constants?: Record<string, number>, vec4 = false) {
  return {
    output,
    precision: 'single' as const,
    pipeline,
    ...(vec4 ? { returnType: 'Array(4)' as const } : {}),
    ...(constants ? { constants } : {}),
    ...(o.asyncMode ? { asyncMode: true } : {}),
    ...(o.asyncMode && o.threads ? { poolSize: o.threads } : {}),
  };
}

/** gpu.js views a flat Float32Array as an n×n matrix (its typings say number[]). */
const view = (m: Float32Array, n: number): Input => new Input(m as unknown as number[], [n, n]);

/** The textbook kernel on gpu.js's WebAssembly backend (a CPU kernel; no upload or readback to time). */
function wasmKernel(o: GpujsKernelOptions): BenchKernel {
  let gpu: GPU | undefined;
  let full: IKernelRunShortcut | undefined;
  let n = 0;
  let a: Float32Array = new Float32Array(0), b: Float32Array = new Float32Array(0);
  return {
    info: kernelInfo(o),
    async prepare(size, ma, mb) {
      n = size;
      a = ma;
      b = mb;
      gpu ??= new GPU({ mode: o.mode });
      full = gpu.createKernel(MATMUL_SOURCE, kernelSettings(o, [n, n], false, { size: n }));
      full.setLoopMaxIterations(Math.max(1000, n));
      const t0 = performance.now();
      full.build(view(a, n), view(b, n));
      const compileSeconds = (performance.now() - t0) / 1000;
      if (!builtOn(full, o.mode)) throw new Error(`gpu.js did not build a ${o.mode} kernel (it fell back to another backend); not measured, to avoid mislabelling it`);
      return { compileSeconds };
    },
    async run(): Promise<Product> {
      if (!full) throw new Error('not prepared');
      return (await full(view(a, n), view(b, n))) as Product;
    },
    async release() {
      full?.destroy();
      full = undefined;
    },
    async dispose() {
      await this.release();
      await gpu?.destroy();
      gpu = undefined;
    },
  };
}

/**
 * gpu.js on a GL backend. Inputs are uploaded into textures by pipeline kernels and stay there across the
 * compute pass (`pipeline: true`); every variant that fits the size is built, tried once on the textures and
 * checked against sampled float64 entries, and the fastest correct one is kept for the size. A variant more than
 * 3× slower than the best at one size is not tried at larger sizes. End to end (`run`) is upload + compute +
 * readback, the same three phases `phases` times apart.
 */
function glKernel(o: GpujsKernelOptions): BenchKernel {
  let gpu: GPU | undefined;
  let n = 0;
  let a: Float32Array = new Float32Array(0), b: Float32Array = new Float32Array(0);
  /** Upload kernels per layout, and the chosen compute kernel. */
  let up: { scalar?: [IKernelRunShortcut, IKernelRunShortcut]; vec4?: [IKernelRunShortcut, IKernelRunShortcut] } = {};
  let chosen: { variant: GlVariant; kernel: IKernelRunShortcut } | undefined;
  /*
   * Every kernel built for the size, destroyed together in release(): destroying a gpu.js kernel also deletes
   * textures it was handed, so destroying a losing variant early left the winner reading deleted inputs (its
   * draw failed and the previous product stayed in its output).
   */
  let built: IKernelRunShortcut[] = [];
  const dropped = new Set<string>();
  let scratch: WebGLFramebuffer | null = null;
  const ctx = (): WebGLRenderingContext | undefined => (gpu as unknown as { context?: WebGLRenderingContext } | undefined)?.context;

  /** Reads `w`×`h` RGBA texels of a texture into `out` (or one texel, to wait for the GPU). */
  const readTexels = (tex: Texture, w: number, h: number, out: Float32Array): boolean => {
    const gl = ctx();
    const target = (tex as unknown as { texture?: WebGLTexture }).texture;
    if (!gl || !target) return false;
    const previous = gl.getParameter(gl.FRAMEBUFFER_BINDING) as WebGLFramebuffer | null;
    scratch ??= gl.createFramebuffer();
    gl.bindFramebuffer(gl.FRAMEBUFFER, scratch);
    gl.framebufferTexture2D(gl.FRAMEBUFFER, gl.COLOR_ATTACHMENT0, gl.TEXTURE_2D, target, 0);
    gl.readPixels(0, 0, w, h, gl.RGBA, gl.FLOAT, out);
    gl.framebufferTexture2D(gl.FRAMEBUFFER, gl.COLOR_ATTACHMENT0, gl.TEXTURE_2D, null, 0);
    gl.bindFramebuffer(gl.FRAMEBUFFER, previous);
    return true;
  };
  /*
   * Waits until the GPU has produced `tex` by reading one texel of it. gl.finish() is not a barrier in
   * Chromium (it only flushes), and WebGL1/headless-gl have no fences; a 1-texel readPixels is the
   * portable way to wait, and costs one round trip.
   */
  const texel = new Float32Array(4);
  const waitFor = (tex: Texture): void => {
    if (!readTexels(tex, 1, 1, texel)) tex.toArray();
  };
  const uploaders = (layout: GlVariant['layout']): [IKernelRunShortcut, IKernelRunShortcut] => {
    const g = gpu as GPU;
    const make = (): IKernelRunShortcut => layout === 'vec4'
      ? g.createKernel(PACK4_SOURCE, kernelSettings(o, [n / 4, n], true, undefined, true))
      : g.createKernel(COPY_SOURCE, kernelSettings(o, [n, n], true));
    return (up[layout] ??= [make(), make()]);
  };
  const upload = (layout: GlVariant['layout']): [Texture, Texture] => {
    const [ua, ub] = uploaders(layout);
    return [ua(view(a, n)) as Texture, ub(view(b, n)) as Texture];
  };
  const readback = (variant: GlVariant, tex: Texture): Product => {
    if (variant.layout === 'vec4') {
      // The Array(4) output is (n/4)×n RGBA texels: C's own row-major layout, read straight into a flat array.
      const size = (tex as unknown as { size?: number[] }).size;
      const out = new Float32Array(n * n);
      if (size?.[0] === n / 4 && size[1] === n && readTexels(tex, n / 4, n, out)) return out;
      const rows = tex.toArray() as unknown as ArrayLike<ArrayLike<ArrayLike<number>>>;
      for (let i = 0; i < n; i++) for (let x = 0; x < n / 4; x++) out.set(rows[i][x], i * n + x * 4);
      return out;
    }
    return tex.toArray() as unknown as Product;
  };
  const build = (variant: GlVariant): IKernelRunShortcut => {
    const g = gpu as GPU;
    const vec4 = variant.layout === 'vec4';
    const k = g.createKernel(variant.source, kernelSettings(o, vec4 ? [n / 4, n] : [n, n], true, vec4 ? { k4: n / 4 } : { size: n }, vec4));
    k.setLoopMaxIterations(Math.max(1000, n));
    const [ta, tb] = upload(variant.layout);
    k.build(ta, tb);
    if (!builtOn(k, o.mode)) {
      k.destroy();
      throw new Error(`gpu.js did not build a ${o.mode} kernel (it fell back to another backend); not measured, to avoid mislabelling it`);
    }
    return k;
  };

  return {
    info: kernelInfo(o, `variants swept per size: ${GL_VARIANTS.map((v) => v.name).join('; ')}; inputs kept as textures (pipeline), precision single`),
    async prepare(size, ma, mb) {
      n = size;
      a = ma;
      b = mb;
      gpu ??= new GPU({ mode: o.mode });
      const ref = sampleReference(a, b, n, 256);
      let compileSeconds = 0;
      const tried: { variant: GlVariant; kernel: IKernelRunShortcut; seconds: number; correct: boolean }[] = [];
      const errors: string[] = [];
      for (const variant of GL_VARIANTS) {
        if (!variant.fits(n) || dropped.has(variant.name)) continue;
        try {
          const t0 = performance.now();
          const kernel = build(variant);
          built.push(kernel);
          compileSeconds += (performance.now() - t0) / 1000;
          const [ta, tb] = upload(variant.layout);
          waitFor(kernel(ta, tb) as Texture);
          const t1 = performance.now();
          const tc = kernel(ta, tb) as Texture;
          waitFor(tc);
          const seconds = (performance.now() - t1) / 1000;
          const product = readback(variant, tc);
          const flat = product instanceof Float32Array ? product : flattenRows(product, n);
          tried.push({ variant, kernel, seconds, correct: checkProduct(flat, ref, BENCH_TOLERANCE).correct });
        } catch (e) {
          if (e instanceof Error && /did not build/.test(e.message)) throw e;
          errors.push(`${variant.name}: ${e instanceof Error ? e.message : String(e)}`);
        }
      }
      const pool = tried.some((t) => t.correct) ? tried.filter((t) => t.correct) : tried;
      const best = pool.reduce<(typeof tried)[number] | undefined>((m, t) => (!m || t.seconds < m.seconds ? t : m), undefined);
      if (!best) throw new Error(`no gpu.js variant could be built at n = ${n}: ${errors.join('; ')}`);
      for (const t of tried) if (t.seconds > 3 * best.seconds) dropped.add(t.variant.name);
      chosen = { variant: best.variant, kernel: best.kernel };
      return { compileSeconds, variant: best.variant.name };
    },
    async run(): Promise<Product> {
      if (!chosen) throw new Error('not prepared');
      const [ta, tb] = upload(chosen.variant.layout);
      return readback(chosen.variant, chosen.kernel(ta, tb) as Texture);
    },
    async phases(): Promise<PhaseTimes> {
      if (!chosen) throw new Error('not prepared');
      const t0 = performance.now();
      const [ta, tb] = upload(chosen.variant.layout);
      waitFor(ta);
      waitFor(tb);
      const t1 = performance.now();
      const tc = chosen.kernel(ta, tb) as Texture;
      waitFor(tc);
      const t2 = performance.now();
      readback(chosen.variant, tc);
      const t3 = performance.now();
      return { upload: (t1 - t0) / 1000, compute: (t2 - t1) / 1000, readback: (t3 - t2) / 1000 };
    },
    async release() {
      for (const k of [...built, ...(up.scalar ?? []), ...(up.vec4 ?? [])]) k.destroy();
      chosen = undefined;
      built = [];
      up = {};
    },
    async dispose() {
      await this.release();
      if (scratch) ctx()?.deleteFramebuffer(scratch);
      scratch = null;
      await gpu?.destroy();
      gpu = undefined;
    },
  };
}
