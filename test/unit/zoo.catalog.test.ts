/**
 * Catalog integrity: parameter counts summed from the builders' ops match the PUBLISHED counts,
 * exactly where the published figure is exact, within 1% of a rounded headline figure otherwise;
 * torchvision forward MACs match the published GMACs within 2%.
 */
import { describe, expect, it } from 'vitest';
import { CATALOG, buildModel, diffusionWorkload, findModel, llmInferenceWorkload, llmTrainingWorkload, paramCounts } from '../../src/core/zoo';
import type { CatalogEntry } from '../../src/core/zoo';

/**
 * The published figures, restated here (not read from the catalog) so a catalog edit cannot move the
 * goalposts. Sources: HF safetensors metadata / `num_parameters()`, torchvision model docs
 * (https://pytorch.org/vision/stable/models.html), diffusers docs, model cards and papers.
 */
const PUBLISHED: [id: string, params: number, exact: boolean, source: string][] = [
  ['openai-community/gpt2', 124_439_808, true, 'GPT2LMHeadModel.num_parameters(), tied wte/lm_head'],
  ['openai-community/gpt2-medium', 354_823_168, true, 'HF safetensors "355M"'],
  ['openai-community/gpt2-large', 774_030_080, true, 'HF safetensors "774M"'],
  ['openai-community/gpt2-xl', 1_557_611_200, true, 'HF safetensors "1.56B"'],
  ['meta-llama/Llama-2-7b-hf', 6_738_415_616, true, 'HF safetensors "6.74B"'],
  ['meta-llama/Llama-2-13b-hf', 13_015_864_320, true, 'HF safetensors "13B"'],
  ['meta-llama/Llama-2-70b-hf', 68_976_648_192, true, 'HF safetensors "69B"'],
  ['meta-llama/Llama-3.2-1B', 1_235_814_400, true, 'HF safetensors "1.24B"'],
  ['distilbert/distilgpt2', 81_912_576, true, 'GPT-2 124M less 6 blocks; HF page "82M"'],
  ['TinyLlama/TinyLlama-1.1B-Chat-v1.0', 1_100_048_384, true, 'HF safetensors "1.1B"; config.json 22 × 2048, 32 heads / 4 KV, FFN 5632'],
  ['meta-llama/Llama-3.2-3B', 3_212_749_824, true, 'HF safetensors "3.21B"'],
  ['meta-llama/Llama-3.1-8B', 8_030_261_248, true, 'HF safetensors "8.03B"'],
  ['meta-llama/Meta-Llama-3-8B', 8_030_261_248, true, 'HF safetensors "8.03B"'],
  ['meta-llama/Llama-3.1-70B', 70_553_706_496, true, 'HF safetensors "70.6B"'],
  ['meta-llama/Meta-Llama-3-70B', 70_553_706_496, true, 'HF safetensors "70.6B"'],
  ['meta-llama/Llama-3.3-70B-Instruct', 70_553_706_496, true, 'HF safetensors "70.6B"'],
  ['meta-llama/Llama-3.1-405B', 405_853_388_800, true, 'HF safetensors "406B"'],
  ['mistralai/Mistral-7B-v0.1', 7_241_732_096, true, 'HF safetensors "7.24B"'],
  ['mistralai/Mistral-7B-v0.3', 7_248_023_552, true, 'HF safetensors "7.25B"'],
  ['mistralai/Mixtral-8x7B-v0.1', 46_702_792_704, true, 'HF safetensors "46.7B"'],
  ['Qwen/Qwen2.5-0.5B', 494_032_768, true, 'HF safetensors "494M"'],
  ['Qwen/Qwen2.5-1.5B', 1_543_714_304, true, 'HF safetensors "1.54B"'],
  ['Qwen/Qwen2.5-3B', 3_085_938_688, true, 'HF safetensors "3.09B"'],
  ['Qwen/Qwen2.5-7B', 7_615_616_512, true, 'HF safetensors "7.62B"'],
  ['Qwen/Qwen2.5-14B', 14_770_033_664, true, 'HF safetensors "14.8B"'],
  ['Qwen/Qwen2.5-32B', 32_763_876_352, true, 'HF safetensors "32.8B"'],
  ['Qwen/Qwen2.5-72B', 72_706_203_648, true, 'HF safetensors "72.7B"'],
  ['google/gemma-2-2b', 2_614_341_888, true, 'HF safetensors "2.61B"'],
  ['google/gemma-2-9b', 9_241_705_984, true, 'HF safetensors "9.24B"'],
  ['google/gemma-2-27b', 27_227_128_320, true, 'HF safetensors "27.2B"'],
  ['microsoft/Phi-3-mini-4k-instruct', 3_821_079_552, true, 'HF safetensors "3.82B"'],
  ['microsoft/Phi-3-medium-4k-instruct', 13_960_238_080, true, 'HF safetensors "14B"'],
  ['google-bert/bert-base-uncased', 109_482_240, true, 'BertModel.num_parameters() with pooler'],
  ['google-bert/bert-base-cased', 108_310_272, true, 'BertModel.num_parameters(); accelerate 413.18 MB fp32'],
  ['sentence-transformers/all-MiniLM-L6-v2', 22_713_216, true, 'BertModel with pooler; HF page "22.7M params"'],
  ['google-bert/bert-large-uncased', 335_141_888, true, 'BertModel.num_parameters() with pooler'],
  ['FacebookAI/roberta-base', 124_645_632, true, 'RobertaModel.num_parameters() with pooler'],
  ['FacebookAI/roberta-large', 355_359_744, true, 'RobertaModel.num_parameters() with pooler'],
  ['distilbert/distilbert-base-uncased', 66_362_880, true, 'DistilBertModel.num_parameters()'],
  ['google-t5/t5-small', 60_506_624, true, 'T5ForConditionalGeneration.num_parameters()'],
  ['google-t5/t5-base', 222_903_552, true, 'T5ForConditionalGeneration.num_parameters()'],
  ['google-t5/t5-large', 737_668_096, true, 'T5ForConditionalGeneration.num_parameters()'],
  ['google/t5-v1_1-xxl', 4_762_310_656, true, 'T5EncoderModel (FLUX text_encoder_2)'],
  ['openai/whisper-tiny', 37_760_640, true, 'WhisperForConditionalGeneration.num_parameters() (paper: 39M)'],
  ['openai/whisper-base', 72_593_920, true, 'num_parameters() (paper: 74M)'],
  ['openai/whisper-small', 241_734_912, true, 'num_parameters() (paper: 244M)'],
  ['openai/whisper-medium', 763_857_920, true, 'num_parameters() (paper: 769M)'],
  ['openai/whisper-large-v2', 1_543_304_960, true, 'num_parameters() (paper: 1550M)'],
  ['openai/whisper-large-v3', 1_543_490_560, true, 'num_parameters() (128 mels)'],
  ['openai/clip-vit-large-patch14', 427_616_513, true, 'CLIPModel.num_parameters()'],
  ['openai/clip-vit-base-patch32', 151_277_313, true, 'CLIPModel.num_parameters()'],
  ['openai/clip-vit-large-patch14/text', 123_060_480, true, 'CLIPTextModel.num_parameters()'],
  ['torchvision/resnet18', 11_689_512, true, 'torchvision docs'],
  ['torchvision/resnet34', 21_797_672, true, 'torchvision docs'],
  ['torchvision/resnet50', 25_557_032, true, 'torchvision docs'],
  ['torchvision/resnet101', 44_549_160, true, 'torchvision docs'],
  ['torchvision/resnet152', 60_192_808, true, 'torchvision docs'],
  ['torchvision/resnext50_32x4d', 25_028_904, true, 'torchvision docs'],
  ['torchvision/resnext101_32x8d', 88_791_336, true, 'torchvision docs'],
  ['torchvision/wide_resnet50_2', 68_883_240, true, 'torchvision docs'],
  ['timm/dpn92', 37_668_392, true, 'timm dpn92 measured under PyTorch (corpus c-timm-validate)'],
  ['timm/dpn98', 61_570_728, false, 'sum of layers at the timm dpn98 config'],
  ['timm/dpn107', 86_917_800, false, 'sum of layers at the timm dpn107 config'],
  ['timm/dpn131', 79_254_504, false, 'sum of layers at the timm dpn131 config'],
  ['torchvision/wide_resnet101_2', 126_886_696, true, 'torchvision docs'],
  ['torchvision/vgg11', 132_863_336, true, 'torchvision docs'],
  ['torchvision/vgg13', 133_047_848, true, 'torchvision docs'],
  ['torchvision/vgg16', 138_357_544, true, 'torchvision docs'],
  ['torchvision/vgg16_bn', 138_365_992, true, 'torchvision docs'],
  ['torchvision/vgg19', 143_667_240, true, 'torchvision docs'],
  ['torchvision/vgg19_bn', 143_678_248, true, 'torchvision docs'],
  ['torchvision/mobilenet_v2', 3_504_872, true, 'torchvision docs'],
  ['torchvision/mobilenet_v3_large', 5_483_032, true, 'torchvision docs'],
  ['torchvision/mobilenet_v3_small', 2_542_856, true, 'torchvision docs'],
  ['torchvision/efficientnet_b0', 5_288_548, true, 'torchvision docs'],
  ['torchvision/efficientnet_b1', 7_794_184, true, 'torchvision docs'],
  ['torchvision/efficientnet_b2', 9_109_994, true, 'torchvision docs'],
  ['torchvision/efficientnet_b3', 12_233_232, true, 'torchvision docs'],
  ['torchvision/efficientnet_b4', 19_341_616, true, 'torchvision docs'],
  ['torchvision/efficientnet_b5', 30_389_784, true, 'torchvision docs'],
  ['torchvision/efficientnet_b6', 43_040_704, true, 'torchvision docs'],
  ['torchvision/efficientnet_b7', 66_347_960, true, 'torchvision docs'],
  ['torchvision/convnext_tiny', 28_589_128, true, 'torchvision docs'],
  ['torchvision/convnext_small', 50_223_688, true, 'torchvision docs'],
  ['torchvision/convnext_base', 88_591_464, true, 'torchvision docs'],
  ['torchvision/convnext_large', 197_767_336, true, 'torchvision docs'],
  ['torchvision/swin_t', 28_288_354, true, 'torchvision docs'],
  ['torchvision/swin_s', 49_606_258, true, 'torchvision docs'],
  ['torchvision/swin_b', 87_768_224, true, 'torchvision docs'],
  ['torchvision/vit_b_16', 86_567_656, true, 'torchvision docs'],
  ['torchvision/vit_b_32', 88_224_232, true, 'torchvision docs'],
  ['torchvision/vit_l_16', 304_326_632, true, 'torchvision docs'],
  ['torchvision/vit_l_32', 306_535_400, true, 'torchvision docs'],
  ['torchvision/vit_h_14', 632_045_800, true, 'torchvision docs'],
  ['timm/vit_small_patch16_224', 22_100_000, false, 'timm model card "22.1M"'],
  ['timm/resnet18d', 11_700_000, false, 'timm model card resnet18d.ra2_in1k "11.7M"'],
  ['timm/resnet34d', 21_800_000, false, 'timm model card resnet34d.ra2_in1k "21.8M"'],
  ['timm/resnet50d', 25_600_000, false, 'timm model card resnet50d.ra2_in1k "25.6M"'],
  ['timm/resnet101d', 44_600_000, false, 'timm model card resnet101d.ra2_in1k "44.6M"'],
  ['timm/resnet152d', 60_200_000, false, 'timm model card resnet152d.ra2_in1k "60.2M"'],
  ['timm/vit_tiny_patch16_224', 5_700_000, false, 'timm model card "5.7M"'],
  ['facebook/opt-125m', 125_239_296, true, 'HF model card "125M"; sum of config tensor shapes'],
  ['facebook/opt-1.3b', 1_315_758_080, true, 'sum of config tensor shapes'],
  ['facebook/opt-2.7b', 2_651_596_800, true, 'sum of config tensor shapes'],
  ['facebook/opt-6.7b', 6_658_473_984, true, 'sum of config tensor shapes'],
  ['EleutherAI/pythia-70m', 70_426_624, true, 'num_parameters()'],
  ['EleutherAI/pythia-160m', 162_322_944, true, 'num_parameters()'],
  ['EleutherAI/pythia-410m', 405_334_016, true, 'num_parameters()'],
  ['EleutherAI/pythia-1b', 1_011_781_632, true, 'num_parameters()'],
  ['EleutherAI/pythia-1.4b', 1_414_647_808, true, 'num_parameters()'],
  ['EleutherAI/pythia-2.8b', 2_775_208_960, true, 'num_parameters()'],
  ['EleutherAI/pythia-6.9b', 6_857_302_016, true, 'num_parameters()'],
  ['EleutherAI/pythia-12b', 11_846_072_320, true, 'num_parameters()'],
  ['EleutherAI/gpt-neox-20b', 20_554_567_680, true, 'sum of config tensor shapes'],
  ['EleutherAI/gpt-j-6b', 6_050_882_784, true, 'num_parameters()'],
  ['tiiuae/falcon-7b', 6_921_720_704, true, 'num_parameters(), tied head'],
  ['bigscience/bloom-560m', 559_214_592, true, 'model card "559,214,592"'],
  ['bigscience/bloom-1b1', 1_065_314_304, true, 'model card "1,065,314,304"'],
  ['bigscience/bloom-3b', 3_002_557_440, true, 'model card "3,002,557,440"'],
  ['bigscience/bloom-7b1', 7_069_016_064, true, 'model card "7,069,016,064"'],
  ['google/gemma-2b', 2_506_172_416, true, 'num_parameters(), tied head'],
  ['google/gemma-7b', 8_537_680_896, true, 'num_parameters(), tied head'],
  ['microsoft/phi-1_5', 1_418_270_720, true, 'num_parameters()'],
  ['microsoft/phi-2', 2_779_683_840, true, 'num_parameters()'],
  ['Qwen/Qwen3-0.6B', 596_049_920, true, 'model card "0.6B, 0.44B non-embedding"'],
  ['Qwen/Qwen3-1.7B', 1_720_574_976, true, 'model card "1.7B"'],
  ['Qwen/Qwen3-4B', 4_022_468_096, true, 'model card "4.0B"'],
  ['Qwen/Qwen3-8B', 8_190_735_360, true, 'model card "8.2B"'],
  ['google/flan-t5-small', 76_961_152, true, 'num_parameters()'],
  ['google/flan-t5-base', 247_577_856, true, 'num_parameters()'],
  ['google/flan-t5-large', 783_150_080, true, 'num_parameters()'],
  ['google/flan-t5-xl', 2_849_757_184, true, 'num_parameters()'],
  ['google/mt5-base', 582_401_280, true, 'config tensor shapes (mT5 base "582M")'],
  ['google/mt5-large', 1_229_581_312, true, 'config tensor shapes; + LoRA r=8 on q,v = 1,231,940,608, as PEFT\'s mt0-large notebook prints'],
  ['BAAI/bge-small-en-v1.5', 33_360_000, true, 'BertModel with pooler'],
  ['sentence-transformers/all-mpnet-base-v2', 109_486_464, false, 'MPNetModel num_parameters(); relative bias not emitted'],
  ['stable-diffusion-v1-5/stable-diffusion-v1-5', 859_520_964 + 83_653_863 + 123_060_480, true, 'UNet + VAE + CLIP-L text'],
  ['stabilityai/stable-diffusion-xl-base-1.0', 2_567_463_684 + 83_653_863 + 123_060_480 + 694_659_840, true, 'UNet + VAE + CLIP-L + bigG'],
  ['stabilityai/sdxl-turbo', 2_567_463_684 + 83_653_863 + 123_060_480 + 694_659_840, true, 'same components as SDXL base'],
  ['black-forest-labs/FLUX.1-dev', 11_901_408_320 + 83_819_683 + 123_060_480 + 4_762_310_656, true, 'transformer + VAE + CLIP-L + T5-XXL'],
];

const byId = new Map(CATALOG.map((e) => [e.id, e]));
const get = (id: string): CatalogEntry => {
  const e = byId.get(id);
  if (!e) throw new Error(`missing catalog entry ${id}`);
  return e;
};
const builtParams = (e: CatalogEntry, component?: string): number =>
  buildModel(e, { batch: 1, seqLen: 1, dtype: 'fp32', mode: 'infer', component }).params;

describe('catalog parameter counts = published counts', () => {
  it.each(PUBLISHED)('%s: %d (exact=%s, %s)', (id, published, exact) => {
    const e = get(id);
    const n = builtParams(e);
    if (exact) expect(n).toBe(published);
    else expect(Math.abs(n - published) / published).toBeLessThan(0.01);
    // The catalog's own published figure agrees with this table.
    expect(e.published.exact).toBe(exact);
    if (exact) expect(e.published.total).toBe(published);
  });

  it('every catalog entry is checked above, has a source and matches its own published count', () => {
    const listed = new Set(PUBLISHED.map((p) => p[0]));
    for (const e of CATALOG) {
      expect(e.published.source.length, e.id).toBeGreaterThan(10);
      expect(e.configSource.length, e.id).toBeGreaterThan(10);
      if (!listed.has(e.id)) {
        // FLUX.1 schnell: the only figure published for its transformer is the rounded "12 billion".
        expect(e.id).toBe('black-forest-labs/FLUX.1-schnell');
        continue;
      }
      const n = builtParams(e);
      if (e.published.exact) expect(n, e.id).toBe(e.published.total);
      else expect(Math.abs(n / e.published.total - 1), e.id).toBeLessThan(0.01);
    }
    expect(CATALOG.length).toBeGreaterThanOrEqual(90);
  });

  it('pipeline and CLIP components match their published component counts', () => {
    for (const e of CATALOG) {
      const comps = e.published.components;
      if (!comps || e.arch.kind !== 'pipeline') continue;
      for (const [name, published] of Object.entries(comps)) {
        const n = name === 'vae'
          ? builtParams(e, 'vae')
          : builtParams(e, name);
        if (name === 'transformer' && !e.published.exact) expect(Math.abs(n / published - 1), `${e.id} ${name}`).toBeLessThan(0.01);
        else expect(n, `${e.id} ${name}`).toBe(published);
      }
    }
    expect(builtParams(get('stable-diffusion-v1-5/stable-diffusion-v1-5'), 'unet')).toBe(859_520_964);
    expect(builtParams(get('stabilityai/stable-diffusion-xl-base-1.0'), 'unet')).toBe(2_567_463_684);
    expect(builtParams(get('black-forest-labs/FLUX.1-dev'), 'transformer')).toBe(11_901_408_320);
    // FLUX.1 schnell = dev without the guidance embedder (2 linears 256→3072→3072).
    expect(builtParams(get('black-forest-labs/FLUX.1-schnell'), 'transformer')).toBe(11_901_408_320 - (256 * 3072 + 3072 + 3072 * 3072 + 3072));
  });

  it('Mixtral 8x7B: 46.7B total, 12.9B active per token', () => {
    const b = buildModel(get('mistralai/Mixtral-8x7B-v0.1'), { batch: 1, seqLen: 8, dtype: 'bf16', mode: 'infer' });
    expect(b.params / 1e9).toBeCloseTo(46.7, 1);
    expect(b.activeParams / 1e9).toBeCloseTo(12.9, 1);
    expect(b.activeParams).toBe(12_879_925_248);
  });

  it('LoRA r=8 on q_proj/v_proj of Llama-2-7B: 4,194,304 trainable of 6,742,609,920 (PEFT README figure)', () => {
    const c = paramCounts(get('meta-llama/Llama-2-7b-hf'), { lora: { r: 8 } });
    expect(c.trainable).toBe(4_194_304);
    expect(c.total).toBe(6_742_609_920);
  });

  it('num_classes replaces the classifier', () => {
    const c = paramCounts(get('torchvision/resnet50'), { classes: 10 });
    expect(c.total).toBe(25_557_032 - 2048 * 990 - 990);
  });
});

/** torchvision "GFLOPS" (fvcore MACs) from the model docs, at each weight's evaluation size. */
const TV_GMACS: [fn: string, gmacs: number, image: number][] = [
  ['resnet18', 1.81, 224], ['resnet34', 3.66, 224], ['resnet50', 4.09, 224], ['resnet101', 7.8, 224], ['resnet152', 11.51, 224],
  ['resnext50_32x4d', 4.23, 224], ['wide_resnet50_2', 11.4, 224], ['vgg16', 15.47, 224], ['vgg19', 19.63, 224],
  ['mobilenet_v2', 0.3, 224], ['mobilenet_v3_large', 0.22, 224], ['mobilenet_v3_small', 0.06, 224],
  ['efficientnet_b0', 0.39, 224], ['efficientnet_b3', 1.83, 300], ['efficientnet_b7', 37.75, 600],
  ['convnext_tiny', 4.46, 224], ['convnext_base', 15.36, 224], ['swin_t', 4.49, 224],
  ['vit_b_16', 17.56, 224], ['vit_b_32', 4.41, 224], ['vit_l_16', 61.55, 224], ['vit_h_14', 167.29, 224],
];

const macs = (e: CatalogEntry, image: number, classes: ('gemm' | 'conv' | 'attention')[]): number =>
  buildModel(e, { batch: 1, imageSize: image, dtype: 'fp32', mode: 'infer' }).ops
    .filter((o) => (classes as string[]).includes(o.opClass))
    .reduce((s, o) => s + o.forwardFlops, 0) / 2;

describe('torchvision forward MACs = published GMACs', () => {
  it.each(TV_GMACS)('%s: %f GMACs at %d px (within 2%, or the published rounding)', (fn, gmacs, image) => {
    const e = findModel(fn, 'torchvision');
    expect(e).toBeDefined();
    const m = macs(e as CatalogEntry, image, ['gemm', 'conv', 'attention']) / 1e9;
    // Figures with one significant digit (0.06) are checked to their printed precision.
    const tol = Math.max(0.02 * gmacs, 0.005);
    expect(Math.abs(m - gmacs)).toBeLessThanOrEqual(tol);
  });

  it('ptflops/thop reference ranges: ResNet-50 4.09–4.14 GMac, ResNet-18 1.81–1.83, VGG-16 15.5', () => {
    // ptflops also counts BN/ReLU/pool; the total of all ops lands inside its range.
    const all = (fn: string): number => buildModel(findModel(fn) as CatalogEntry, { batch: 1, dtype: 'fp32', mode: 'infer' }).ops.reduce((s, o) => s + o.forwardFlops, 0) / 2 / 1e9;
    const gc = (fn: string): number => macs(findModel(fn) as CatalogEntry, 224, ['gemm', 'conv']) / 1e9;
    expect(gc('resnet50')).toBeGreaterThan(4.09 * 0.98);
    expect(all('resnet50')).toBeLessThan(4.14 * 1.02);
    expect(all('resnet50')).toBeGreaterThanOrEqual(4.09);
    expect(gc('resnet18')).toBeGreaterThan(1.81 * 0.98);
    expect(all('resnet18')).toBeLessThan(1.83 * 1.02);
    expect(Math.abs(gc('vgg16') / 15.5 - 1)).toBeLessThan(0.02);
  });

  it('ViT-B/16: 16.86 GMac without attention matmuls (ptflops), 17.56 with them (torchvision)', () => {
    const e = findModel('vit_b_16') as CatalogEntry;
    expect(Math.abs(macs(e, 224, ['gemm', 'conv']) / 1e9 / 16.86 - 1)).toBeLessThan(0.02);
    expect(Math.abs(macs(e, 224, ['gemm', 'conv', 'attention']) / 1e9 / 17.56 - 1)).toBeLessThan(0.02);
  });
});

describe('op records', () => {
  it('buildModel gives one forward call: count 1, phase forward, module paths, no loc', () => {
    for (const id of ['meta-llama/Llama-3.1-8B', 'resnet50', 'google-bert/bert-base-uncased', 'openai/whisper-tiny', 'stable-diffusion-v1-5/stable-diffusion-v1-5']) {
      const e = findModel(id) as CatalogEntry;
      const b = buildModel(e, { batch: 2, seqLen: 16, imageSize: 64, dtype: 'bf16', mode: 'infer' });
      expect(b.ops.length).toBeGreaterThan(10);
      for (const o of b.ops) {
        expect(o.count).toBe(1);
        expect(o.phase).toBe('forward');
        expect(o.loc).toBeUndefined();
        expect(Number.isFinite(o.forwardFlops) && o.forwardFlops >= 0).toBe(true);
        expect(Number.isFinite(o.bytesRead) && o.bytesRead >= 0).toBe(true);
      }
    }
    const llama = buildModel(get('meta-llama/Llama-3.1-8B'), { batch: 1, seqLen: 8, dtype: 'bf16', mode: 'infer' });
    const names = llama.ops.map((o) => o.name);
    expect(names).toContain('model.layers.3.mlp.down_proj');
    expect(names).toContain('model.layers.31.self_attn.k_proj');
    expect(names).toContain('lm_head');
    const k = llama.ops.find((o) => o.name === 'model.layers.0.self_attn.k_proj');
    expect(k?.outputShape).toEqual([1, 8, 1024]);
    const rn = buildModel(get('torchvision/resnet50'), { batch: 1, dtype: 'fp32', mode: 'infer' }).ops.map((o) => o.name);
    expect(rn).toContain('layer3.5.conv2');
    expect(rn).toContain('fc');
  });

  it('never throws on bad options', () => {
    const e = get('meta-llama/Llama-3.2-1B');
    const b = buildModel(e, { batch: -3, seqLen: Number.NaN, dtype: 'bogus' as never, mode: 'train', lora: { r: 0 } });
    expect(b.ops.length).toBeGreaterThan(0);
    expect(b.notes.join(' ')).toMatch(/batch/);
    expect(buildModel(get('torchvision/resnet18'), { batch: 1, imageSize: 0, dtype: 'fp32', mode: 'infer' }).params).toBe(11_689_512);
  });
});

describe('robustness', () => {
  it('missing entries or options never throw', () => {
    expect(buildModel(undefined as never, undefined as never).ops).toHaveLength(0);
    expect(buildModel(get('openai-community/gpt2'), undefined as never).ops.length).toBeGreaterThan(0);
    expect(llmTrainingWorkload(undefined as never, undefined as never).ops).toHaveLength(0);
    expect(llmInferenceWorkload(undefined as never, undefined as never).ops).toHaveLength(0);
    expect(diffusionWorkload(undefined as never, undefined as never).ops).toHaveLength(0);
    expect(llmTrainingWorkload(get('openai-community/gpt2'), undefined as never).ops.length).toBeGreaterThan(0);
  });
});
