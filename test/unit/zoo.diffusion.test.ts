/** Diffusion pipelines: phases, steps, classifier-free guidance, memory. */
import { describe, expect, it } from 'vitest';
import { buildModel, diffusionWorkload, findModel } from '../../src/core/zoo';
import type { CatalogEntry, ZooWorkload } from '../../src/core/zoo';

const entry = (n: string): CatalogEntry => findModel(n) as CatalogEntry;
const phaseFlops = (w: ZooWorkload, phase: string): number => w.ops.filter((o) => o.phase === phase).reduce((s, o) => s + o.forwardFlops * o.count, 0);

describe('diffusionWorkload', () => {
  it('SD 1.5 at 512², 50 steps, CFG 7.5: encode once, denoise × 50 at batch 2, VAE decode once', () => {
    const w = diffusionWorkload(entry('runwayml/stable-diffusion-v1-5'), { batch: 1, dtype: 'fp16' });
    const enc = w.ops.filter((o) => o.phase === 'encode');
    const den = w.ops.filter((o) => o.phase === 'denoise');
    const vae = w.ops.filter((o) => o.phase === 'decode-vae');
    expect(enc.length).toBeGreaterThan(0);
    expect(enc.every((o) => o.count === 1)).toBe(true);
    expect(den.every((o) => o.count === 50)).toBe(true);
    expect(vae.every((o) => o.count === 1)).toBe(true);
    expect(den.find((o) => o.name === 'unet.conv_in')?.inputShapes[0]).toEqual([2, 4, 64, 64]);
    expect(vae.find((o) => o.name === 'vae.decoder.conv_out')?.outputShape).toEqual([1, 3, 512, 512]);
    expect(enc.find((o) => o.name === 'text_encoder.text_model.embeddings.token_embedding')?.inputShapes[0]).toEqual([2, 77]);
    expect(w.params).toBe(1_066_235_307);
    expect(w.memory.weights).toBe(1_066_235_307 * 2);
    // ≈0.4 TMACs per UNet call per image at 512² (commonly quoted ~400 GMACs).
    const unetPerImage = w.crossChecks?.[0].flops as number;
    expect(unetPerImage / 2 / 2 / 1e9).toBeGreaterThan(350);
    expect(unetPerImage / 2 / 2 / 1e9).toBeLessThan(450);
    expect(phaseFlops(w, 'denoise')).toBeGreaterThan(10 * phaseFlops(w, 'decode-vae'));
  });

  it('guidance ≤ 1 runs the UNet at batch B; CFG doubles it', () => {
    const e = entry('runwayml/stable-diffusion-v1-5');
    const no = diffusionWorkload(e, { batch: 3, steps: 20, guidance: 1, dtype: 'fp16' });
    const yes = diffusionWorkload(e, { batch: 3, steps: 20, guidance: 7, dtype: 'fp16' });
    expect(phaseFlops(yes, 'denoise') / phaseFlops(no, 'denoise')).toBeGreaterThan(1.99);
    expect(phaseFlops(yes, 'denoise') / phaseFlops(no, 'denoise')).toBeLessThan(2.01);
    expect(phaseFlops(yes, 'decode-vae')).toBeCloseTo(phaseFlops(no, 'decode-vae'), -3);
  });

  it('SDXL: two text encoders, 128² latents at 1024², UNet params 2.57B', () => {
    const w = diffusionWorkload(entry('stabilityai/stable-diffusion-xl-base-1.0'), { batch: 1, steps: 30, dtype: 'fp16' });
    expect(w.ops.some((o) => o.name.startsWith('text_encoder_2.'))).toBe(true);
    expect(w.ops.find((o) => o.name === 'unet.conv_in')?.inputShapes[0]).toEqual([2, 4, 128, 128]);
    expect(w.ops.filter((o) => o.phase === 'denoise').reduce((s, o) => s + o.params, 0)).toBe(2_567_463_684);
  });

  it('FLUX.1 dev: guidance-distilled (no batch doubling), T5 512 tokens, 4096 image tokens at 1024²', () => {
    const w = diffusionWorkload(entry('black-forest-labs/FLUX.1-dev'), { batch: 1, dtype: 'bf16' });
    const den = w.ops.filter((o) => o.phase === 'denoise');
    expect(den.every((o) => o.count === 28)).toBe(true);
    const attn = den.find((o) => o.opClass === 'attention');
    expect(attn?.inputShapes[0]).toEqual([1, 24, 4096 + 512, 128]);
    expect(w.ops.find((o) => o.name === 'text_encoder_2.shared')?.inputShapes[0]).toEqual([1, 512]);
    expect(w.notes.join(' ')).toMatch(/distilled/);
    expect(w.params).toBe(16_870_599_139);
    // ≈ 2·N·tokens for the token-wise weights plus joint attention: 60–90 TFLOPs per step at 1024².
    const step = w.crossChecks?.[0].flops as number;
    expect(step / 1e12).toBeGreaterThan(60);
    expect(step / 1e12).toBeLessThan(90);
  });

  it('FLUX.1 schnell defaults: 4 steps, 256 T5 tokens; sizes snap to multiples of 16', () => {
    const w = diffusionWorkload(entry('black-forest-labs/FLUX.1-schnell'), { batch: 2, height: 1000, width: 768, dtype: 'bf16' });
    expect(w.ops.filter((o) => o.phase === 'denoise').every((o) => o.count === 4)).toBe(true);
    expect(w.ops.find((o) => o.name === 'transformer.x_embedder')?.inputShapes[0]).toEqual([2, (1008 / 16) * (768 / 16), 64]);
    expect(w.notes.join(' ')).toMatch(/rounded/);
  });

  it('non-pipelines and bad options do not throw', () => {
    const w = diffusionWorkload(entry('resnet50'), { batch: 1, dtype: 'fp16' });
    expect(w.ops).toHaveLength(0);
    const b = diffusionWorkload(entry('runwayml/stable-diffusion-v1-5'), { batch: -1, steps: Number.NaN, height: 0, dtype: 'fp16', guidance: Number.POSITIVE_INFINITY });
    expect(b.ops.length).toBeGreaterThan(0);
  });

  it('buildModel on a pipeline: one call per component, or one component', () => {
    const e = entry('runwayml/stable-diffusion-v1-5');
    const all = buildModel(e, { batch: 1, dtype: 'fp16', mode: 'infer' });
    expect(all.params).toBe(1_066_235_307);
    expect(all.notes.join(' ')).toMatch(/VAE encoder/);
    const unet = buildModel(e, { batch: 1, dtype: 'fp16', mode: 'infer', component: 'unet' });
    expect(unet.ops.every((o) => o.name.startsWith('unet.'))).toBe(true);
  });
});
