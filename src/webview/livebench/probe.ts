/** What the webview can reach: WebGL2 / WebGL, the renderer behind it, WebAssembly, workers. */
import { classifyRenderer } from '../../livebench/policy';
import type { RendererInfo } from '../../livebench/report';
import { detectSimd, type SimdSupport } from '../../livebench/simd';

export interface BrowserCapabilities {
  renderer: RendererInfo;
  webgl2: boolean;
  webgl: boolean;
  /** WebGL2 can render to float textures (EXT_color_buffer_float): the reference shader needs it. */
  floatRender: boolean;
  maxTextureSize: number;
  /** WebAssembly compiles under this page's CSP ('wasm-unsafe-eval'). */
  wasm: boolean;
  /** WebAssembly SIMD (128-bit) and relaxed SIMD (FMA), from validating the SIMD kernel's own module. */
  simd: SimdSupport;
  cores: number;
}

function readRenderer(gl: WebGLRenderingContext | WebGL2RenderingContext, api: RendererInfo['api']): RendererInfo {
  const ext = gl.getExtension('WEBGL_debug_renderer_info');
  const renderer = String(gl.getParameter(ext ? ext.UNMASKED_RENDERER_WEBGL : gl.RENDERER) ?? 'unknown');
  const vendor = String(gl.getParameter(ext ? ext.UNMASKED_VENDOR_WEBGL : gl.VENDOR) ?? 'unknown');
  return { api, vendor, renderer, ...classifyRenderer(renderer, vendor) };
}

function release(gl: WebGLRenderingContext | WebGL2RenderingContext): void {
  gl.getExtension('WEBGL_lose_context')?.loseContext();
}

/** A tiny valid module (magic + version): compiles only if the CSP allows WebAssembly. */
function wasmCompiles(): boolean {
  try {
    new WebAssembly.Module(new Uint8Array([0, 97, 115, 109, 1, 0, 0, 0]));
    return true;
  } catch {
    return false;
  }
}

/** Probes once with throwaway contexts (released right away so the kernels get their own). */
export function probeBrowser(): BrowserCapabilities {
  const cores = Math.max(1, navigator.hardwareConcurrency || 1);
  const wasm = typeof WebAssembly === 'object' && wasmCompiles();
  const simd = wasm ? detectSimd() : { simd: false, relaxed: false };
  // WebGL2 first (float render targets), else WebGL1; each context is read and released.
  for (const api of ['webgl2', 'webgl'] as const) {
    const gl = document.createElement('canvas').getContext(api) as WebGLRenderingContext | WebGL2RenderingContext | null;
    if (!gl) continue;
    const caps: BrowserCapabilities = {
      renderer: readRenderer(gl, api),
      webgl2: api === 'webgl2',
      webgl: true,
      floatRender: api === 'webgl2' && gl.getExtension('EXT_color_buffer_float') !== null,
      maxTextureSize: Number(gl.getParameter(gl.MAX_TEXTURE_SIZE)),
      wasm,
      simd,
      cores,
    };
    release(gl);
    return caps;
  }
  return {
    renderer: { api: 'none', vendor: 'none', renderer: 'none (WebGL is unavailable in this webview)', software: false },
    webgl2: false, webgl: false, floatRender: false, maxTextureSize: 0, wasm, simd, cores,
  };
}
