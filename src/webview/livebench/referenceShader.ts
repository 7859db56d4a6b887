/**
 * A hand-written WebGL2 matmul: the yardstick for how much of the GPU's WebGL rate gpu.js reaches.
 * A is uploaded as an RGBA32F texture of (n/4)×n texels (row i, four consecutive k per texel: A's own
 * row-major layout), B transposed the same way, so each loop step is one vec4 dot product of two
 * texelFetch reads. One fragment per C entry, rendered into an R32F texture, read back as floats.
 * Upload time includes the CPU-side transpose of B and a 1-texel read that drains the command queue.
 */
import type { BenchKernel, PhaseTimes, Product } from '../../livebench/sweep';

const VERTEX = `#version 300 es
void main() {
  vec2 p = vec2(float((gl_VertexID << 1) & 2), float(gl_VertexID & 2));
  gl_Position = vec4(p * 2.0 - 1.0, 0.0, 1.0);
}`;

const FRAGMENT = `#version 300 es
precision highp float;
precision highp int;
precision highp sampler2D;
uniform sampler2D A;
uniform sampler2D Bt;
uniform int k4;
out float c;
void main() {
  ivec2 p = ivec2(gl_FragCoord.xy);
  float sum = 0.0;
  for (int k = 0; k < k4; k++) {
    sum += dot(texelFetch(A, ivec2(k, p.y), 0), texelFetch(Bt, ivec2(k, p.x), 0));
  }
  c = sum;
}`;

function compile(gl: WebGL2RenderingContext, type: number, source: string): WebGLShader {
  const s = gl.createShader(type);
  if (!s) throw new Error('createShader failed');
  gl.shaderSource(s, source);
  gl.compileShader(s);
  if (!gl.getShaderParameter(s, gl.COMPILE_STATUS)) throw new Error(`shader compile failed: ${gl.getShaderInfoLog(s) ?? ''}`);
  return s;
}

function transpose(m: Float32Array, n: number, out: Float32Array): Float32Array {
  for (let i = 0; i < n; i++) for (let j = 0; j < n; j++) out[j * n + i] = m[i * n + j];
  return out;
}

/** The reference shader as a benchmark kernel; needs WebGL2 with EXT_color_buffer_float and n % 4 = 0. */
export function referenceShaderKernel(): BenchKernel {
  let gl: WebGL2RenderingContext | undefined;
  let program: WebGLProgram | undefined;
  let vao: WebGLVertexArrayObject | null = null;
  let texA: WebGLTexture | null = null, texB: WebGLTexture | null = null, texC: WebGLTexture | null = null;
  let fbo: WebGLFramebuffer | null = null;
  let n = 0;
  let a: Float32Array = new Float32Array(0), b: Float32Array = new Float32Array(0);
  let bt: Float32Array = new Float32Array(0);
  let readFormat = 0;
  let readBuf: Float32Array = new Float32Array(0);

  const context = (): WebGL2RenderingContext => {
    if (gl) return gl;
    const canvas = document.createElement('canvas');
    canvas.width = canvas.height = 1;
    const ctx = canvas.getContext('webgl2', { antialias: false, depth: false, stencil: false, alpha: false, powerPreference: 'high-performance' });
    if (!ctx) throw new Error('WebGL2 is unavailable');
    if (!ctx.getExtension('EXT_color_buffer_float')) throw new Error('EXT_color_buffer_float is unavailable: cannot render to float textures');
    gl = ctx;
    return ctx;
  };
  const floatTexture = (g: WebGL2RenderingContext, internal: number, w: number, h: number): WebGLTexture => {
    const t = g.createTexture();
    if (!t) throw new Error('createTexture failed');
    g.bindTexture(g.TEXTURE_2D, t);
    g.texStorage2D(g.TEXTURE_2D, 1, internal, w, h);
    g.texParameteri(g.TEXTURE_2D, g.TEXTURE_MIN_FILTER, g.NEAREST);
    g.texParameteri(g.TEXTURE_2D, g.TEXTURE_MAG_FILTER, g.NEAREST);
    return t;
  };
  const upload = (g: WebGL2RenderingContext): void => {
    transpose(b, n, bt);
    g.bindTexture(g.TEXTURE_2D, texA);
    g.texSubImage2D(g.TEXTURE_2D, 0, 0, 0, n / 4, n, g.RGBA, g.FLOAT, a);
    g.bindTexture(g.TEXTURE_2D, texB);
    g.texSubImage2D(g.TEXTURE_2D, 0, 0, 0, n / 4, n, g.RGBA, g.FLOAT, bt);
  };
  const draw = (g: WebGL2RenderingContext): void => {
    g.bindFramebuffer(g.FRAMEBUFFER, fbo);
    g.viewport(0, 0, n, n);
    g.useProgram(program ?? null);
    g.activeTexture(g.TEXTURE0);
    g.bindTexture(g.TEXTURE_2D, texA);
    g.activeTexture(g.TEXTURE1);
    g.bindTexture(g.TEXTURE_2D, texB);
    g.bindVertexArray(vao);
    g.drawArrays(g.TRIANGLES, 0, 3);
  };
  /** Waits for the GPU by reading one texel of C (gl.finish() only flushes in Chromium). */
  const texel = new Float32Array(4);
  const waitForC = (g: WebGL2RenderingContext): void => {
    g.bindFramebuffer(g.FRAMEBUFFER, fbo);
    g.readPixels(0, 0, 1, 1, readFormat === g.RED ? g.RED : g.RGBA, g.FLOAT, texel);
  };
  const readback = (g: WebGL2RenderingContext): Float32Array => {
    g.bindFramebuffer(g.FRAMEBUFFER, fbo);
    if (readFormat === g.RED) {
      const out = new Float32Array(n * n);
      g.readPixels(0, 0, n, n, g.RED, g.FLOAT, out);
      return out;
    }
    g.readPixels(0, 0, n, n, g.RGBA, g.FLOAT, readBuf);
    const out = new Float32Array(n * n);
    for (let p = 0; p < out.length; p++) out[p] = readBuf[p * 4];
    return out;
  };

  return {
    info: {
      id: 'shader', label: 'Reference shader (WebGL2)', device: 'gpu', backend: 'webgl2', threads: 1,
      note: 'hand-written GLSL: vec4-packed A and Bᵀ, texelFetch dot-product loop, R32F render target',
    },
    async prepare(size, ma, mb) {
      if (size % 4 !== 0) throw new Error('the reference shader needs n to be a multiple of 4');
      const g = context();
      const max = Number(g.getParameter(g.MAX_TEXTURE_SIZE));
      if (size > max) throw new Error(`n = ${size} exceeds MAX_TEXTURE_SIZE ${max}`);
      n = size;
      a = ma;
      b = mb;
      bt = new Float32Array(n * n);
      const t0 = performance.now();
      if (!program) {
        const p = g.createProgram();
        if (!p) throw new Error('createProgram failed');
        g.attachShader(p, compile(g, g.VERTEX_SHADER, VERTEX));
        g.attachShader(p, compile(g, g.FRAGMENT_SHADER, FRAGMENT));
        g.linkProgram(p);
        if (!g.getProgramParameter(p, g.LINK_STATUS)) throw new Error(`program link failed: ${g.getProgramInfoLog(p) ?? ''}`);
        program = p;
        vao = g.createVertexArray();
      }
      const compileSeconds = (performance.now() - t0) / 1000;
      g.useProgram(program);
      g.uniform1i(g.getUniformLocation(program, 'A'), 0);
      g.uniform1i(g.getUniformLocation(program, 'Bt'), 1);
      g.uniform1i(g.getUniformLocation(program, 'k4'), n / 4);
      texA = floatTexture(g, g.RGBA32F, n / 4, n);
      texB = floatTexture(g, g.RGBA32F, n / 4, n);
      texC = floatTexture(g, g.R32F, n, n);
      fbo = g.createFramebuffer();
      g.bindFramebuffer(g.FRAMEBUFFER, fbo);
      g.framebufferTexture2D(g.FRAMEBUFFER, g.COLOR_ATTACHMENT0, g.TEXTURE_2D, texC, 0);
      const status = g.checkFramebufferStatus(g.FRAMEBUFFER);
      if (status !== g.FRAMEBUFFER_COMPLETE) throw new Error(`R32F framebuffer incomplete (0x${status.toString(16)})`);
      const fmt = Number(g.getParameter(g.IMPLEMENTATION_COLOR_READ_FORMAT));
      const type = Number(g.getParameter(g.IMPLEMENTATION_COLOR_READ_TYPE));
      readFormat = fmt === g.RED && type === g.FLOAT ? g.RED : g.RGBA;
      readBuf = readFormat === g.RGBA ? new Float32Array(n * n * 4) : new Float32Array(0);
      return { compileSeconds };
    },
    async run(): Promise<Product> {
      const g = context();
      upload(g);
      draw(g);
      return readback(g);
    },
    async phases(): Promise<PhaseTimes> {
      const g = context();
      const t0 = performance.now();
      upload(g);
      waitForC(g);
      const t1 = performance.now();
      draw(g);
      waitForC(g);
      const t2 = performance.now();
      readback(g);
      const t3 = performance.now();
      return { upload: (t1 - t0) / 1000, compute: (t2 - t1) / 1000, readback: (t3 - t2) / 1000 };
    },
    async release() {
      if (!gl) return;
      for (const t of [texA, texB, texC]) if (t) gl.deleteTexture(t);
      if (fbo) gl.deleteFramebuffer(fbo);
      texA = texB = texC = null;
      fbo = null;
    },
    async dispose() {
      await this.release();
      gl?.getExtension('WEBGL_lose_context')?.loseContext();
      gl = undefined;
      program = undefined;
    },
  };
}
