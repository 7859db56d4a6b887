/**
 * Text-to-image diffusers pipelines: Stable Diffusion 1.5, SDXL (base, turbo), FLUX.1 dev/schnell.
 * Architecture numbers are the component `config.json`s of each diffusers repo; published counts are
 * the components' `num_parameters()` / safetensors totals.
 */
import type { CatalogEntry, FluxConfig, UnetConfig, VaeConfig } from '../types';
import { CLIP_BIGG_TEXT, CLIP_L_TEXT, T5_XXL_ENCODER } from './encoders';

const HF = (id: string, sub: string): string => `https://huggingface.co/${id}/blob/main/${sub}/config.json`;

const SD15_UNET: UnetConfig = {
  kind: 'unet', inChannels: 4, outChannels: 4, blockOut: [320, 640, 1280, 1280], layersPerBlock: 2,
  transformerDepth: [1, 1, 1, 0], heads: [8, 8, 8, 8], crossDim: 768, linearProjection: false, midDepth: 1, groups: 32,
};
const SDXL_UNET: UnetConfig = {
  kind: 'unet', inChannels: 4, outChannels: 4, blockOut: [320, 640, 1280], layersPerBlock: 2,
  transformerDepth: [0, 2, 10], heads: [5, 10, 20], crossDim: 2048, linearProjection: true, midDepth: 10, groups: 32,
  addEmbed: { timeDim: 256, projInput: 2816 },
};
const SD_VAE: VaeConfig = { kind: 'vae', blockOut: [128, 256, 512, 512], layersPerBlock: 2, latentChannels: 4, quantConv: true, groups: 32 };
const FLUX_VAE: VaeConfig = { ...SD_VAE, latentChannels: 16, quantConv: false };
const FLUX_DEV: FluxConfig = {
  kind: 'flux', doubleLayers: 19, singleLayers: 38, heads: 24, headDim: 128, inChannels: 64, jointDim: 4096, pooledDim: 768,
  guidanceEmbeds: true, mlpRatio: 4,
};

export const DIFFUSION_CATALOG: CatalogEntry[] = [
  {
    id: 'stable-diffusion-v1-5/stable-diffusion-v1-5', name: 'Stable Diffusion 1.5', family: 'Stable Diffusion', task: 'text-to-image',
    arch: {
      kind: 'pipeline', textEncoders: [{ name: 'text_encoder', arch: CLIP_L_TEXT, seqLen: 77 }], denoiser: SD15_UNET, vae: SD_VAE, vaeScale: 8,
      defaults: { height: 512, width: 512, steps: 50, guidance: 7.5 }, guidanceDistilled: false,
    },
    aliases: { diffusers: ['stable-diffusion-v1-5/stable-diffusion-v1-5', 'runwayml/stable-diffusion-v1-5', 'CompVis/stable-diffusion-v1-4', 'benjamin-paine/stable-diffusion-v1-5'] },
    configSource: `${HF('stable-diffusion-v1-5/stable-diffusion-v1-5', 'unet')}; …/vae/config.json; …/text_encoder/config.json`,
    published: {
      total: 1_066_235_307, exact: true,
      components: { unet: 859_520_964, vae: 83_653_863, text_encoder: 123_060_480 },
      source: 'diffusers ModelMixin.num_parameters docstring: UNet2DConditionModel.from_pretrained("runwayml/stable-diffusion-v1-5", subfolder="unet").num_parameters() → 859520964; AutoencoderKL 83,653,863; CLIPTextModel 123,060,480',
    },
    defaults: { imageSize: 512 },
    loraTargets: ['to_q', 'to_k', 'to_v', 'to_out.0'],
  },
  {
    id: 'stabilityai/stable-diffusion-xl-base-1.0', name: 'Stable Diffusion XL base 1.0', family: 'Stable Diffusion XL', task: 'text-to-image',
    arch: {
      kind: 'pipeline',
      textEncoders: [{ name: 'text_encoder', arch: CLIP_L_TEXT, seqLen: 77 }, { name: 'text_encoder_2', arch: CLIP_BIGG_TEXT, seqLen: 77 }],
      denoiser: SDXL_UNET, vae: SD_VAE, vaeScale: 8,
      defaults: { height: 1024, width: 1024, steps: 50, guidance: 5.0 }, guidanceDistilled: false,
    },
    aliases: { diffusers: ['stabilityai/stable-diffusion-xl-base-1.0', 'stabilityai/stable-diffusion-xl-refiner-1.0-base'] },
    configSource: `${HF('stabilityai/stable-diffusion-xl-base-1.0', 'unet')}; …/text_encoder_2/config.json; …/vae/config.json`,
    published: {
      total: 3_468_837_867, exact: true,
      components: { unet: 2_567_463_684, vae: 83_653_863, text_encoder: 123_060_480, text_encoder_2: 694_659_840 },
      source: 'SDXL UNet2DConditionModel num_parameters() = 2,567,463,684 ("2.6B", SDXL paper Table 1); CLIPTextModel 123,060,480 + CLIPTextModelWithProjection (OpenCLIP bigG) 694,659,840 = 817,720,320 conditioning; AutoencoderKL 83,653,863',
    },
    defaults: { imageSize: 1024 },
    loraTargets: ['to_q', 'to_k', 'to_v', 'to_out.0'],
  },
  {
    id: 'stabilityai/sdxl-turbo', name: 'SDXL Turbo', family: 'Stable Diffusion XL', task: 'text-to-image',
    arch: {
      kind: 'pipeline',
      textEncoders: [{ name: 'text_encoder', arch: CLIP_L_TEXT, seqLen: 77 }, { name: 'text_encoder_2', arch: CLIP_BIGG_TEXT, seqLen: 77 }],
      denoiser: SDXL_UNET, vae: SD_VAE, vaeScale: 8,
      defaults: { height: 512, width: 512, steps: 1, guidance: 0 }, guidanceDistilled: false,
    },
    aliases: { diffusers: ['stabilityai/sdxl-turbo'] },
    configSource: `${HF('stabilityai/sdxl-turbo', 'unet')} (same UNet as SDXL base; model card: 512×512, 1 step, guidance_scale=0.0)`,
    published: {
      total: 3_468_837_867, exact: true,
      components: { unet: 2_567_463_684, vae: 83_653_863, text_encoder: 123_060_480, text_encoder_2: 694_659_840 },
      source: 'same components as SDXL base 1.0 (UNet 2,567,463,684)',
    },
    defaults: { imageSize: 512 },
    loraTargets: ['to_q', 'to_k', 'to_v', 'to_out.0'],
  },
  {
    id: 'black-forest-labs/FLUX.1-dev', name: 'FLUX.1 [dev]', family: 'FLUX.1', task: 'text-to-image',
    arch: {
      kind: 'pipeline',
      textEncoders: [{ name: 'text_encoder', arch: CLIP_L_TEXT, seqLen: 77 }, { name: 'text_encoder_2', arch: T5_XXL_ENCODER, seqLen: 512 }],
      denoiser: FLUX_DEV, vae: FLUX_VAE, vaeScale: 8,
      defaults: { height: 1024, width: 1024, steps: 28, guidance: 3.5 }, guidanceDistilled: true,
    },
    aliases: { diffusers: ['black-forest-labs/FLUX.1-dev', 'black-forest-labs/FLUX.1-Krea-dev'] },
    configSource: `${HF('black-forest-labs/FLUX.1-dev', 'transformer')}; …/text_encoder_2/config.json (T5 v1.1 XXL); …/vae/config.json (16 latent channels)`,
    published: {
      total: 16_870_599_139, exact: true,
      components: { transformer: 11_901_408_320, vae: 83_819_683, text_encoder: 123_060_480, text_encoder_2: 4_762_310_656 },
      source: 'FluxTransformer2DModel safetensors total 11,901,408,320 ("12 billion parameter rectified flow transformer", model card); T5EncoderModel 4,762,310,656; CLIPTextModel 123,060,480; AutoencoderKL (16-ch) 83,819,683',
    },
    defaults: { imageSize: 1024 },
    loraTargets: ['to_q', 'to_k', 'to_v', 'to_out.0'],
    notes: ['Guidance-distilled: guidance is an embedded input, no classifier-free-guidance batch doubling.'],
  },
  {
    id: 'black-forest-labs/FLUX.1-schnell', name: 'FLUX.1 [schnell]', family: 'FLUX.1', task: 'text-to-image',
    arch: {
      kind: 'pipeline',
      textEncoders: [{ name: 'text_encoder', arch: CLIP_L_TEXT, seqLen: 77 }, { name: 'text_encoder_2', arch: T5_XXL_ENCODER, seqLen: 256 }],
      denoiser: { ...FLUX_DEV, guidanceEmbeds: false }, vae: FLUX_VAE, vaeScale: 8,
      defaults: { height: 1024, width: 1024, steps: 4, guidance: 0 }, guidanceDistilled: true,
    },
    aliases: { diffusers: ['black-forest-labs/FLUX.1-schnell'] },
    configSource: `${HF('black-forest-labs/FLUX.1-schnell', 'transformer')} (guidance_embeds false; pipeline max_sequence_length 256)`,
    published: {
      total: 16_969_190_819, exact: false,
      components: { transformer: 12_000_000_000, vae: 83_819_683, text_encoder: 123_060_480, text_encoder_2: 4_762_310_656 },
      source: 'model card: "a 12 billion parameter rectified flow transformer" (transformer, rounded); text encoders and VAE exact, as FLUX.1 dev',
      note: 'transformer = FLUX.1 dev minus the guidance embedder (10,229,760 parameters)',
    },
    defaults: { imageSize: 1024 },
    loraTargets: ['to_q', 'to_k', 'to_v', 'to_out.0'],
    notes: ['Timestep-distilled: 4 steps, no guidance.'],
  },
];
