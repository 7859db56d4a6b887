/**
 * Decisions the webview and the CLI share: is this renderer a real GPU, which sizes to sweep by
 * default, and what the sweep should say about it.
 */

/** Software rasterisers that present themselves as a WebGL/GL "GPU". */
const SOFTWARE_RENDERERS: [RegExp, string][] = [
  [/swiftshader/i, 'SwiftShader'],
  [/llvmpipe/i, 'llvmpipe'],
  [/lavapipe/i, 'lavapipe'],
  [/softpipe/i, 'softpipe'],
  [/microsoft basic render/i, 'Microsoft Basic Render Driver (WARP)'],
  [/\bwarp\b/i, 'Microsoft WARP'],
  [/software rasteri[sz]er/i, 'software rasteriser'],
  [/apple software renderer/i, 'Apple Software Renderer'],
  [/mesa offscreen|osmesa/i, 'OSMesa'],
];

/** Whether a GL renderer string names a software rasteriser, and which. */
export function classifyRenderer(renderer: string, vendor = ''): { software: boolean; softwareName?: string } {
  const text = `${vendor} ${renderer}`;
  for (const [re, name] of SOFTWARE_RENDERERS) if (re.test(text)) return { software: true, softwareName: name };
  return { software: false };
}

/** Sizes the user can pick as the largest of the sweep. */
export const MAX_SIZE_CHOICES = [256, 512, 1024, 2048, 4096] as const;

/** The default largest size: 1024 on a real GPU, 512 on a software rasteriser. */
export function defaultMaxSize(software: boolean): number {
  return software ? 512 : 1024;
}

/** Powers of two from 128 (64 on software renderers, to show the small-size end) up to `maxSize`. */
export function sweepSizes(maxSize: number, software: boolean): number[] {
  const sizes: number[] = [];
  for (let n = software ? 64 : 128; n <= maxSize; n *= 2) sizes.push(n);
  return sizes;
}

/** Sentence explaining the cap on a software rasteriser, for a sweep up to `maxSize` (the one chosen). */
export function softwareCapNote(softwareName: string, maxSize: number): string {
  const cap = defaultMaxSize(true);
  return `The renderer is ${softwareName}, a software rasteriser: the "GPU" kernels run on the CPU, typically ` +
    `below 1 GFLOP/s, so a 1024² product would take tens of seconds per call. The sweep stops at ` +
    `n = ${maxSize}${maxSize === cap ? ' (the default here)' : ''}; pick a larger size to go further. These GPU numbers do not describe a real GPU.`;
}

/** Parses `--sizes 128,256,512`: positive multiples of 4 between 4 and 16384, ascending, unique. */
export function parseSizes(text: string): number[] | { error: string } {
  const parts = text.split(',').map((s) => s.trim()).filter((s) => s.length > 0);
  if (parts.length === 0) return { error: 'no sizes given' };
  const out: number[] = [];
  for (const p of parts) {
    const n = Number(p);
    if (!Number.isInteger(n) || n < 4 || n > 16384 || n % 4 !== 0) return { error: `"${p}" is not a size: use multiples of 4 from 4 to 16384` };
    out.push(n);
  }
  return [...new Set(out)].sort((x, y) => x - y);
}
