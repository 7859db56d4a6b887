/**
 * Image classifiers. Architecture configs are torchvision's constructors (timm and HF names that
 * build the same architecture are aliases). Published parameter counts and "GFLOPS" are the
 * torchvision model-table figures (https://pytorch.org/vision/stable/models.html, per-weight docs
 * `num_params` / `_ops`), which are exact parameter counts and multiply-accumulates (MACs, fvcore
 * convention) at the weights' evaluation resolution.
 */
import type { ArchConfig, CatalogEntry, LookupHint } from '../types';

const TV = 'https://pytorch.org/vision/stable/models.html';
const TV_SRC = (fn: string): string => `torchvision.models.${fn} (${TV})`;

interface VisionRow {
  fn: string;
  name: string;
  family: string;
  arch: ArchConfig;
  params: number;
  /** torchvision "GFLOPS" (really GMACs). */
  gmacs: number;
  image: number;
  aliases?: Partial<Record<LookupHint, string[]>>;
  includesAttention?: boolean;
}

const RESNET = (block: 'basic' | 'bottleneck', layers: number[], groups = 1, widthPerGroup = 64): ArchConfig =>
  ({ kind: 'resnet', block, layers, groups, widthPerGroup, classes: 1000 });
const VGG_CFG: Record<string, (number | 'M')[]> = {
  A: [64, 'M', 128, 'M', 256, 256, 'M', 512, 512, 'M', 512, 512, 'M'],
  B: [64, 64, 'M', 128, 128, 'M', 256, 256, 'M', 512, 512, 'M', 512, 512, 'M'],
  D: [64, 64, 'M', 128, 128, 'M', 256, 256, 256, 'M', 512, 512, 512, 'M', 512, 512, 512, 'M'],
  E: [64, 64, 'M', 128, 128, 'M', 256, 256, 256, 256, 'M', 512, 512, 512, 512, 'M', 512, 512, 512, 512, 'M'],
};
const VIT = (patch: number, layers: number, hidden: number, heads: number, mlp: number): ArchConfig =>
  ({ kind: 'vit', style: 'torchvision', imageSize: 224, patch, layers, hidden, heads, mlp, act: 'gelu', classes: 1000 });
const EFF = (w: number, d: number): ArchConfig => ({ kind: 'efficientnet', widthMult: w, depthMult: d, classes: 1000 });
const CNX = (depths: number[], dims: number[]): ArchConfig => ({ kind: 'convnext', depths, dims, classes: 1000 });
const SWIN = (embedDim: number, depths: number[], heads: number[]): ArchConfig =>
  ({ kind: 'swin', embedDim, depths, heads, window: 7, patch: 4, mlpRatio: 4, classes: 1000 });

const ROWS: VisionRow[] = [
  { fn: 'resnet18', name: 'ResNet-18', family: 'ResNet', arch: RESNET('basic', [2, 2, 2, 2]), params: 11_689_512, gmacs: 1.81, image: 224, aliases: { timm: ['resnet18'], hf: ['microsoft/resnet-18'] } },
  { fn: 'resnet34', name: 'ResNet-34', family: 'ResNet', arch: RESNET('basic', [3, 4, 6, 3]), params: 21_797_672, gmacs: 3.66, image: 224, aliases: { timm: ['resnet34'], hf: ['microsoft/resnet-34'] } },
  { fn: 'resnet50', name: 'ResNet-50', family: 'ResNet', arch: RESNET('bottleneck', [3, 4, 6, 3]), params: 25_557_032, gmacs: 4.09, image: 224, aliases: { timm: ['resnet50'], hf: ['microsoft/resnet-50', 'timm/resnet50.a1_in1k'] } },
  { fn: 'resnet101', name: 'ResNet-101', family: 'ResNet', arch: RESNET('bottleneck', [3, 4, 23, 3]), params: 44_549_160, gmacs: 7.8, image: 224, aliases: { timm: ['resnet101'], hf: ['microsoft/resnet-101'] } },
  { fn: 'resnet152', name: 'ResNet-152', family: 'ResNet', arch: RESNET('bottleneck', [3, 8, 36, 3]), params: 60_192_808, gmacs: 11.51, image: 224, aliases: { timm: ['resnet152'], hf: ['microsoft/resnet-152'] } },
  { fn: 'resnext50_32x4d', name: 'ResNeXt-50 32x4d', family: 'ResNeXt', arch: RESNET('bottleneck', [3, 4, 6, 3], 32, 4), params: 25_028_904, gmacs: 4.23, image: 224, aliases: { timm: ['resnext50_32x4d'] } },
  { fn: 'resnext101_32x8d', name: 'ResNeXt-101 32x8d', family: 'ResNeXt', arch: RESNET('bottleneck', [3, 4, 23, 3], 32, 8), params: 88_791_336, gmacs: 16.41, image: 224, aliases: { timm: ['resnext101_32x8d'] } },
  { fn: 'wide_resnet50_2', name: 'Wide ResNet-50-2', family: 'Wide ResNet', arch: RESNET('bottleneck', [3, 4, 6, 3], 1, 128), params: 68_883_240, gmacs: 11.4, image: 224, aliases: { timm: ['wide_resnet50_2'] } },
  { fn: 'wide_resnet101_2', name: 'Wide ResNet-101-2', family: 'Wide ResNet', arch: RESNET('bottleneck', [3, 4, 23, 3], 1, 128), params: 126_886_696, gmacs: 22.75, image: 224, aliases: { timm: ['wide_resnet101_2'] } },
  { fn: 'vgg11', name: 'VGG-11', family: 'VGG', arch: { kind: 'vgg', cfg: VGG_CFG.A, batchNorm: false, classes: 1000 }, params: 132_863_336, gmacs: 7.61, image: 224, aliases: { timm: ['vgg11'] } },
  { fn: 'vgg13', name: 'VGG-13', family: 'VGG', arch: { kind: 'vgg', cfg: VGG_CFG.B, batchNorm: false, classes: 1000 }, params: 133_047_848, gmacs: 11.31, image: 224, aliases: { timm: ['vgg13'] } },
  { fn: 'vgg16', name: 'VGG-16', family: 'VGG', arch: { kind: 'vgg', cfg: VGG_CFG.D, batchNorm: false, classes: 1000 }, params: 138_357_544, gmacs: 15.47, image: 224, aliases: { timm: ['vgg16'] } },
  { fn: 'vgg16_bn', name: 'VGG-16 (BN)', family: 'VGG', arch: { kind: 'vgg', cfg: VGG_CFG.D, batchNorm: true, classes: 1000 }, params: 138_365_992, gmacs: 15.47, image: 224, aliases: { timm: ['vgg16_bn'] } },
  { fn: 'vgg19', name: 'VGG-19', family: 'VGG', arch: { kind: 'vgg', cfg: VGG_CFG.E, batchNorm: false, classes: 1000 }, params: 143_667_240, gmacs: 19.63, image: 224, aliases: { timm: ['vgg19'] } },
  { fn: 'vgg19_bn', name: 'VGG-19 (BN)', family: 'VGG', arch: { kind: 'vgg', cfg: VGG_CFG.E, batchNorm: true, classes: 1000 }, params: 143_678_248, gmacs: 19.63, image: 224, aliases: { timm: ['vgg19_bn'] } },
  { fn: 'mobilenet_v2', name: 'MobileNetV2', family: 'MobileNet', arch: { kind: 'mobilenet_v2', widthMult: 1, classes: 1000 }, params: 3_504_872, gmacs: 0.3, image: 224, aliases: { timm: ['mobilenetv2_100'], hf: ['google/mobilenet_v2_1.0_224'] } },
  { fn: 'mobilenet_v3_large', name: 'MobileNetV3 Large', family: 'MobileNet', arch: { kind: 'mobilenet_v3', variant: 'large', classes: 1000 }, params: 5_483_032, gmacs: 0.22, image: 224, aliases: { timm: ['mobilenetv3_large_100'] } },
  { fn: 'mobilenet_v3_small', name: 'MobileNetV3 Small', family: 'MobileNet', arch: { kind: 'mobilenet_v3', variant: 'small', classes: 1000 }, params: 2_542_856, gmacs: 0.06, image: 224, aliases: { timm: ['mobilenetv3_small_100'] } },
  { fn: 'efficientnet_b0', name: 'EfficientNet-B0', family: 'EfficientNet', arch: EFF(1.0, 1.0), params: 5_288_548, gmacs: 0.39, image: 224, aliases: { timm: ['efficientnet_b0', 'tf_efficientnet_b0'] } },
  { fn: 'efficientnet_b1', name: 'EfficientNet-B1', family: 'EfficientNet', arch: EFF(1.0, 1.1), params: 7_794_184, gmacs: 0.69, image: 240, aliases: { timm: ['efficientnet_b1', 'tf_efficientnet_b1'] } },
  { fn: 'efficientnet_b2', name: 'EfficientNet-B2', family: 'EfficientNet', arch: EFF(1.1, 1.2), params: 9_109_994, gmacs: 1.09, image: 288, aliases: { timm: ['efficientnet_b2', 'tf_efficientnet_b2'] } },
  { fn: 'efficientnet_b3', name: 'EfficientNet-B3', family: 'EfficientNet', arch: EFF(1.2, 1.4), params: 12_233_232, gmacs: 1.83, image: 300, aliases: { timm: ['efficientnet_b3', 'tf_efficientnet_b3'] } },
  { fn: 'efficientnet_b4', name: 'EfficientNet-B4', family: 'EfficientNet', arch: EFF(1.4, 1.8), params: 19_341_616, gmacs: 4.39, image: 380, aliases: { timm: ['efficientnet_b4', 'tf_efficientnet_b4'] } },
  { fn: 'efficientnet_b5', name: 'EfficientNet-B5', family: 'EfficientNet', arch: EFF(1.6, 2.2), params: 30_389_784, gmacs: 10.27, image: 456, aliases: { timm: ['efficientnet_b5', 'tf_efficientnet_b5'] } },
  { fn: 'efficientnet_b6', name: 'EfficientNet-B6', family: 'EfficientNet', arch: EFF(1.8, 2.6), params: 43_040_704, gmacs: 19.07, image: 528, aliases: { timm: ['efficientnet_b6', 'tf_efficientnet_b6'] } },
  { fn: 'efficientnet_b7', name: 'EfficientNet-B7', family: 'EfficientNet', arch: EFF(2.0, 3.1), params: 66_347_960, gmacs: 37.75, image: 600, aliases: { timm: ['efficientnet_b7', 'tf_efficientnet_b7'] } },
  { fn: 'convnext_tiny', name: 'ConvNeXt Tiny', family: 'ConvNeXt', arch: CNX([3, 3, 9, 3], [96, 192, 384, 768]), params: 28_589_128, gmacs: 4.46, image: 224, aliases: { timm: ['convnext_tiny'], hf: ['facebook/convnext-tiny-224'] } },
  { fn: 'convnext_small', name: 'ConvNeXt Small', family: 'ConvNeXt', arch: CNX([3, 3, 27, 3], [96, 192, 384, 768]), params: 50_223_688, gmacs: 8.68, image: 224, aliases: { timm: ['convnext_small'], hf: ['facebook/convnext-small-224'] } },
  { fn: 'convnext_base', name: 'ConvNeXt Base', family: 'ConvNeXt', arch: CNX([3, 3, 27, 3], [128, 256, 512, 1024]), params: 88_591_464, gmacs: 15.36, image: 224, aliases: { timm: ['convnext_base'], hf: ['facebook/convnext-base-224'] } },
  { fn: 'convnext_large', name: 'ConvNeXt Large', family: 'ConvNeXt', arch: CNX([3, 3, 27, 3], [192, 384, 768, 1536]), params: 197_767_336, gmacs: 34.36, image: 224, aliases: { timm: ['convnext_large'], hf: ['facebook/convnext-large-224'] } },
  { fn: 'swin_t', name: 'Swin-T', family: 'Swin', arch: SWIN(96, [2, 2, 6, 2], [3, 6, 12, 24]), params: 28_288_354, gmacs: 4.49, image: 224, includesAttention: true, aliases: { timm: ['swin_tiny_patch4_window7_224'], hf: ['microsoft/swin-tiny-patch4-window7-224'] } },
  { fn: 'swin_s', name: 'Swin-S', family: 'Swin', arch: SWIN(96, [2, 2, 18, 2], [3, 6, 12, 24]), params: 49_606_258, gmacs: 8.74, image: 224, includesAttention: true, aliases: { timm: ['swin_small_patch4_window7_224'], hf: ['microsoft/swin-small-patch4-window7-224'] } },
  { fn: 'swin_b', name: 'Swin-B', family: 'Swin', arch: SWIN(128, [2, 2, 18, 2], [4, 8, 16, 32]), params: 87_768_224, gmacs: 15.43, image: 224, includesAttention: true, aliases: { timm: ['swin_base_patch4_window7_224'], hf: ['microsoft/swin-base-patch4-window7-224'] } },
  { fn: 'vit_b_16', name: 'ViT-B/16', family: 'ViT', arch: VIT(16, 12, 768, 12, 3072), params: 86_567_656, gmacs: 17.56, image: 224, includesAttention: true, aliases: { timm: ['vit_base_patch16_224', 'deit_base_patch16_224', 'vit_base_patch16_224.augreg2_in21k_ft_in1k'], hf: ['google/vit-base-patch16-224', 'facebook/deit-base-patch16-224'] } },
  { fn: 'vit_b_32', name: 'ViT-B/32', family: 'ViT', arch: VIT(32, 12, 768, 12, 3072), params: 88_224_232, gmacs: 4.41, image: 224, includesAttention: true, aliases: { timm: ['vit_base_patch32_224'], hf: ['google/vit-base-patch32-224-in21k'] } },
  { fn: 'vit_l_16', name: 'ViT-L/16', family: 'ViT', arch: VIT(16, 24, 1024, 16, 4096), params: 304_326_632, gmacs: 61.55, image: 224, includesAttention: true, aliases: { timm: ['vit_large_patch16_224'], hf: ['google/vit-large-patch16-224'] } },
  { fn: 'vit_l_32', name: 'ViT-L/32', family: 'ViT', arch: VIT(32, 24, 1024, 16, 4096), params: 306_535_400, gmacs: 15.38, image: 224, includesAttention: true, aliases: { timm: ['vit_large_patch32_224'] } },
  { fn: 'vit_h_14', name: 'ViT-H/14', family: 'ViT', arch: VIT(14, 32, 1280, 16, 5120), params: 632_045_800, gmacs: 167.29, image: 224, includesAttention: true, aliases: { timm: ['vit_huge_patch14_224'] } },
];

/** timm-only ViT/DeiT sizes (not in torchvision): published counts from timm's model cards. */
const TIMM_VIT: CatalogEntry[] = [
  {
    id: 'timm/vit_small_patch16_224', name: 'ViT-S/16 (DeiT-S)', family: 'ViT', task: 'image-classification',
    arch: VIT(16, 12, 384, 6, 1536),
    aliases: { timm: ['vit_small_patch16_224', 'deit_small_patch16_224'], hf: ['facebook/deit-small-patch16-224'] },
    configSource: 'timm vision_transformer.py vit_small_patch16_224: patch 16, depth 12, embed 384, heads 6; DeiT paper Table 1',
    published: { total: 22_100_000, exact: false, source: 'timm model card timm/vit_small_patch16_224.augreg_in21k_ft_in1k "Params (M): 22.1"; DeiT paper Table 1 "22M"' },
    defaults: { imageSize: 224 }, loraTargets: ['qkv'],
  },
  {
    id: 'timm/vit_tiny_patch16_224', name: 'ViT-Ti/16 (DeiT-Ti)', family: 'ViT', task: 'image-classification',
    arch: VIT(16, 12, 192, 3, 768),
    aliases: { timm: ['vit_tiny_patch16_224', 'deit_tiny_patch16_224'], hf: ['facebook/deit-tiny-patch16-224'] },
    configSource: 'timm vision_transformer.py vit_tiny_patch16_224: patch 16, depth 12, embed 192, heads 3; DeiT paper Table 1',
    published: { total: 5_700_000, exact: false, source: 'timm model card timm/vit_tiny_patch16_224.augreg_in21k_ft_in1k "Params (M): 5.7"; DeiT paper Table 1 "5M"' },
    defaults: { imageSize: 224 }, loraTargets: ['qkv'],
  },
];

/**
 * timm's ResNet-D variants (Bag of Tricks, He et al. 2019): torchvision's ResNet with a deep 3×3 stem of 32 channels
 * and average-pool downsampling (timm resnet.py `resnet50d`: stem_width=32, stem_type='deep', avg_down=True).
 */
const TIMM_RESNET_D: CatalogEntry[] = ([
  ['resnet18d', 'ResNet-18-D', 'basic', [2, 2, 2, 2], 11_700_000, '11.7'],
  ['resnet34d', 'ResNet-34-D', 'basic', [3, 4, 6, 3], 21_800_000, '21.8'],
  ['resnet50d', 'ResNet-50-D', 'bottleneck', [3, 4, 6, 3], 25_600_000, '25.6'],
  ['resnet101d', 'ResNet-101-D', 'bottleneck', [3, 4, 23, 3], 44_600_000, '44.6'],
  ['resnet152d', 'ResNet-152-D', 'bottleneck', [3, 8, 36, 3], 60_200_000, '60.2'],
] as const).map(([fn, name, block, layers, total, card]): CatalogEntry => ({
  id: `timm/${fn}`, name, family: 'ResNet', task: 'image-classification',
  arch: { ...RESNET(block, [...layers]), deep: { stemWidth: 32 } } as ArchConfig,
  aliases: { timm: [fn], hf: [`timm/${fn}.ra2_in1k`] },
  configSource: `timm resnet.py ${fn}: ${block === 'basic' ? 'BasicBlock' : 'Bottleneck'} ${layers.join(', ')}, stem_width=32, stem_type='deep', avg_down=True`,
  published: { total, exact: false, source: `timm model card timm/${fn}.ra2_in1k "Params (M): ${card}"` },
  defaults: { imageSize: 224 },
}));

const LORA_TARGETS: Record<string, string[]> = { ViT: ['in_proj'], Swin: ['qkv'], ConvNeXt: ['3', '5'] };

export const VISION_CATALOG: CatalogEntry[] = [
  ...ROWS.map((r): CatalogEntry => ({
    id: `torchvision/${r.fn}`,
    name: r.name,
    family: r.family,
    task: 'image-classification',
    arch: r.arch,
    aliases: { torchvision: [r.fn], ...r.aliases },
    configSource: TV_SRC(r.fn),
    published: { total: r.params, exact: true, source: `torchvision ${r.fn} weights docs: num_params = ${r.params.toLocaleString('en-US')} (${TV})` },
    publishedMacs: { macs: r.gmacs * 1e9, imageSize: r.image, source: `torchvision ${r.fn} weights docs: GFLOPS ${r.gmacs} (fvcore MACs at ${r.image}×${r.image})`, includesAttention: r.includesAttention },
    defaults: { imageSize: r.image },
    loraTargets: LORA_TARGETS[r.family],
  })),
  ...TIMM_VIT,
  ...TIMM_RESNET_D,
];
