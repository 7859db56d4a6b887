/**
 * Convolutional image classifiers as torchvision builds them (timm's resnet/efficientnet/convnext/
 * mobilenet variants with the same names map onto these): ResNet/ResNeXt/Wide-ResNet, VGG,
 * MobileNet V2/V3, EfficientNet B0–B7, ConvNeXt, and Swin (windowed-attention transformer).
 * Module paths follow torchvision.
 */
import type { ConvnextConfig, EfficientnetConfig, MobilenetV2Config, MobilenetV3Config, ResnetConfig, SwinConfig, VggConfig } from '../types';
import { elementwiseCost } from '../../ops/primitives';
import { act, attention, binary, conv2d, linear, norm, outSize, paramOp, pool, push, type EmitContext } from '../emit';

/** torchvision's `_make_divisible`: round channels to a multiple of `d`, never below 90% of `v`. */
export function makeDivisible(v: number, d = 8): number {
  let n = Math.max(d, Math.floor((v + d / 2) / d) * d);
  if (n < 0.9 * v) n += d;
  return n;
}

const bn = (ctx: EmitContext, name: string, x: number[]): void => { norm(ctx, name, 'batch_norm', 'nn.BatchNorm2d', x, 2 * x[1]); };

/** Conv → BN → activation (torchvision `Conv2dNormActivation`). */
function cna(ctx: EmitContext, name: string, x: number[], cin: number, cout: number, k: number, stride: number, a: string | null, groups = 1): number[] {
  const y = conv2d(ctx, `${name}.0`, x, cin, cout, { k, stride, pad: Math.floor((k - 1) / 2), groups, bias: false });
  bn(ctx, `${name}.1`, y);
  if (a) act(ctx, `${name}.2`, a, y);
  return y;
}

function classifierPool(ctx: EmitContext, name: string, x: number[]): number[] {
  return pool(ctx, name, 'adaptive_avg_pool2d', 'nn.AdaptiveAvgPool2d', x, [x[0], x[1], 1, 1]);
}

// ---------------------------------------------------------------------------------------------------

/** timm's deep stem (`stem_type='deep'`): three 3×3 convs, 3 → w → w → 64, the first with stride 2. */
function deepStem(ctx: EmitContext, x: number[], w: number): number[] {
  x = conv2d(ctx, 'conv1.0', x, 3, w, { k: 3, stride: 2, pad: 1, bias: false });
  bn(ctx, 'conv1.1', x); act(ctx, 'conv1.2', 'relu', x);
  x = conv2d(ctx, 'conv1.3', x, w, w, { k: 3, pad: 1, bias: false });
  bn(ctx, 'conv1.4', x); act(ctx, 'conv1.5', 'relu', x);
  return conv2d(ctx, 'conv1.6', x, w, 64, { k: 3, pad: 1, bias: false });
}

export function buildResnet(ctx: EmitContext, c: ResnetConfig, B: number, image: number): void {
  const input = [B, 3, image, image];
  let x = c.deep ? deepStem(ctx, input, c.deep.stemWidth) : conv2d(ctx, 'conv1', input, 3, 64, { k: 7, stride: 2, pad: 3, bias: false });
  bn(ctx, 'bn1', x);
  act(ctx, 'relu', 'relu', x);
  x = pool(ctx, 'maxpool', 'max_pool2d', 'nn.MaxPool2d', x, [B, 64, outSize(x[2], 3, 2, 1), outSize(x[3], 3, 2, 1)]);
  let inplanes = 64;
  const expansion = c.block === 'bottleneck' ? 4 : 1;
  c.layers.forEach((n, li) => {
    const planes = 64 * 2 ** li;
    for (let b = 0; b < n; b++) {
      const stride = b === 0 && li > 0 ? 2 : 1;
      const P = `layer${li + 1}.${b}`;
      const input = x;
      const out = planes * expansion;
      if (c.block === 'basic') {
        x = conv2d(ctx, `${P}.conv1`, input, inplanes, planes, { k: 3, stride, pad: 1, bias: false });
        bn(ctx, `${P}.bn1`, x); act(ctx, `${P}.relu1`, 'relu', x);
        x = conv2d(ctx, `${P}.conv2`, x, planes, planes, { k: 3, pad: 1, bias: false });
        bn(ctx, `${P}.bn2`, x);
      } else {
        const width = Math.floor(planes * (c.widthPerGroup / 64)) * c.groups;
        x = conv2d(ctx, `${P}.conv1`, input, inplanes, width, { k: 1, bias: false });
        bn(ctx, `${P}.bn1`, x); act(ctx, `${P}.relu1`, 'relu', x);
        x = conv2d(ctx, `${P}.conv2`, x, width, width, { k: 3, stride, pad: 1, groups: c.groups, bias: false });
        bn(ctx, `${P}.bn2`, x); act(ctx, `${P}.relu2`, 'relu', x);
        x = conv2d(ctx, `${P}.conv3`, x, width, out, { k: 1, bias: false });
        bn(ctx, `${P}.bn3`, x);
      }
      if (stride !== 1 || inplanes !== out) {
        // timm's avg_down ("-d" variants): AvgPool2d(2, stride) then a 1×1 conv of stride 1
        const pooled = c.deep && stride > 1
          ? pool(ctx, `${P}.downsample.0`, 'avg_pool2d', 'nn.AvgPool2d', input, [B, inplanes, Math.ceil(input[2] / 2), Math.ceil(input[3] / 2)])
          : input;
        const d = conv2d(ctx, `${P}.downsample.${c.deep ? 1 : 0}`, pooled, inplanes, out, { k: 1, stride: c.deep ? 1 : stride, bias: false });
        bn(ctx, `${P}.downsample.${c.deep ? 2 : 1}`, d);
      }
      binary(ctx, `${P}.add`, 'add', x);
      act(ctx, `${P}.relu`, 'relu', x);
      inplanes = out;
    }
  });
  x = classifierPool(ctx, 'avgpool', x);
  linear(ctx, 'fc', [B, inplanes], inplanes, c.classes, { bias: true, quant: false, loraEligible: false });
}

// ---------------------------------------------------------------------------------------------------

export function buildVgg(ctx: EmitContext, c: VggConfig, B: number, image: number): void {
  let x = [B, 3, image, image];
  let cin = 3;
  let i = 0;
  for (const v of c.cfg) {
    if (v === 'M') {
      x = pool(ctx, `features.${i}`, 'max_pool2d', 'nn.MaxPool2d', x, [B, cin, outSize(x[2], 2, 2, 0), outSize(x[3], 2, 2, 0)]);
      i += 1;
    } else {
      x = conv2d(ctx, `features.${i}`, x, cin, v, { k: 3, pad: 1, bias: true });
      i += 1;
      if (c.batchNorm) { bn(ctx, `features.${i}`, x); i += 1; }
      act(ctx, `features.${i}`, 'relu', x);
      i += 1;
      cin = v;
    }
  }
  x = pool(ctx, 'avgpool', 'adaptive_avg_pool2d', 'nn.AdaptiveAvgPool2d', x, [B, cin, 7, 7]);
  linear(ctx, 'classifier.0', [B, cin * 49], cin * 49, 4096, { bias: true });
  act(ctx, 'classifier.1', 'relu', [B, 4096]);
  linear(ctx, 'classifier.3', [B, 4096], 4096, 4096, { bias: true });
  act(ctx, 'classifier.4', 'relu', [B, 4096]);
  linear(ctx, 'classifier.6', [B, 4096], 4096, c.classes, { bias: true, quant: false, loraEligible: false });
}

// ---------------------------------------------------------------------------------------------------

const MNV2_SETTING: [number, number, number, number][] = [
  [1, 16, 1, 1], [6, 24, 2, 2], [6, 32, 3, 2], [6, 64, 4, 2], [6, 96, 3, 1], [6, 160, 3, 2], [6, 320, 1, 1],
];

export function buildMobilenetV2(ctx: EmitContext, c: MobilenetV2Config, B: number, image: number): void {
  let cin = makeDivisible(32 * c.widthMult);
  const last = makeDivisible(1280 * Math.max(1, c.widthMult));
  let x = cna(ctx, 'features.0', [B, 3, image, image], 3, cin, 3, 2, 'relu6');
  let f = 1;
  for (const [t, ch, n, s] of MNV2_SETTING) {
    const out = makeDivisible(ch * c.widthMult);
    for (let i = 0; i < n; i++) {
      const stride = i === 0 ? s : 1;
      const P = `features.${f}.conv`;
      const hidden = Math.round(cin * t);
      let j = 0;
      if (t !== 1) { x = cna(ctx, `${P}.${j}`, x, cin, hidden, 1, 1, 'relu6'); j++; }
      x = cna(ctx, `${P}.${j}`, x, hidden, hidden, 3, stride, 'relu6', hidden); j++;
      x = conv2d(ctx, `${P}.${j}`, x, hidden, out, { k: 1, bias: false }); j++;
      bn(ctx, `${P}.${j}`, x);
      if (stride === 1 && cin === out) binary(ctx, `features.${f}.add`, 'add', x);
      cin = out;
      f++;
    }
  }
  x = cna(ctx, `features.${f}`, x, cin, last, 1, 1, 'relu6');
  classifierPool(ctx, 'avgpool', x);
  linear(ctx, 'classifier.1', [B, last], last, c.classes, { bias: true, quant: false, loraEligible: false });
}

// ---------------------------------------------------------------------------------------------------

/** torchvision MobileNetV3 bneck settings: in, kernel, expanded, out, SE, activation, stride. */
type Bneck = [number, number, number, number, boolean, 'RE' | 'HS', number];
const MNV3: Record<'large' | 'small', { blocks: Bneck[]; last: number }> = {
  large: {
    blocks: [
      [16, 3, 16, 16, false, 'RE', 1], [16, 3, 64, 24, false, 'RE', 2], [24, 3, 72, 24, false, 'RE', 1],
      [24, 5, 72, 40, true, 'RE', 2], [40, 5, 120, 40, true, 'RE', 1], [40, 5, 120, 40, true, 'RE', 1],
      [40, 3, 240, 80, false, 'HS', 2], [80, 3, 200, 80, false, 'HS', 1], [80, 3, 184, 80, false, 'HS', 1],
      [80, 3, 184, 80, false, 'HS', 1], [80, 3, 480, 112, true, 'HS', 1], [112, 3, 672, 112, true, 'HS', 1],
      [112, 5, 672, 160, true, 'HS', 2], [160, 5, 960, 160, true, 'HS', 1], [160, 5, 960, 160, true, 'HS', 1],
    ],
    last: 1280,
  },
  small: {
    blocks: [
      [16, 3, 16, 16, true, 'RE', 2], [16, 3, 72, 24, false, 'RE', 2], [24, 3, 88, 24, false, 'RE', 1],
      [24, 5, 96, 40, true, 'HS', 2], [40, 5, 240, 40, true, 'HS', 1], [40, 5, 240, 40, true, 'HS', 1],
      [40, 5, 120, 48, true, 'HS', 1], [48, 5, 144, 48, true, 'HS', 1], [48, 5, 288, 96, true, 'HS', 2],
      [96, 5, 576, 96, true, 'HS', 1], [96, 5, 576, 96, true, 'HS', 1],
    ],
    last: 1024,
  },
};

/** Squeeze-and-excitation: pool → 1×1 conv → act → 1×1 conv → gate → scale. */
function squeezeExcite(ctx: EmitContext, P: string, x: number[], ch: number, sq: number, a1: string, a2: string): void {
  const B = x[0];
  const p = pool(ctx, `${P}.avgpool`, 'adaptive_avg_pool2d', 'nn.AdaptiveAvgPool2d', x, [B, ch, 1, 1]);
  const s = conv2d(ctx, `${P}.fc1`, p, ch, sq, { k: 1, bias: true });
  act(ctx, `${P}.activation`, a1, s);
  const e = conv2d(ctx, `${P}.fc2`, s, sq, ch, { k: 1, bias: true });
  act(ctx, `${P}.scale_activation`, a2, e);
  binary(ctx, `${P}.scale`, 'mul', x, true);
}

export function buildMobilenetV3(ctx: EmitContext, c: MobilenetV3Config, B: number, image: number): void {
  const spec = MNV3[c.variant];
  let x = cna(ctx, 'features.0', [B, 3, image, image], 3, 16, 3, 2, 'hardswish');
  let f = 1;
  for (const [cin, k, exp, out, se, a, stride] of spec.blocks) {
    const P = `features.${f}.block`;
    const A = a === 'RE' ? 'relu' : 'hardswish';
    let j = 0;
    if (exp !== cin) { x = cna(ctx, `${P}.${j}`, x, cin, exp, 1, 1, A); j++; }
    x = cna(ctx, `${P}.${j}`, x, exp, exp, k, stride, A, exp); j++;
    if (se) { squeezeExcite(ctx, `${P}.${j}`, x, exp, makeDivisible(Math.floor(exp / 4)), 'relu', 'hardsigmoid'); j++; }
    x = cna(ctx, `${P}.${j}`, x, exp, out, 1, 1, null);
    if (stride === 1 && cin === out) binary(ctx, `features.${f}.add`, 'add', x);
    f++;
  }
  const lastIn = spec.blocks[spec.blocks.length - 1][3];
  const lastConv = 6 * lastIn;
  x = cna(ctx, `features.${f}`, x, lastIn, lastConv, 1, 1, 'hardswish');
  classifierPool(ctx, 'avgpool', x);
  linear(ctx, 'classifier.0', [B, lastConv], lastConv, spec.last, { bias: true });
  act(ctx, 'classifier.1', 'hardswish', [B, spec.last]);
  linear(ctx, 'classifier.3', [B, spec.last], spec.last, c.classes, { bias: true, quant: false, loraEligible: false });
}

// ---------------------------------------------------------------------------------------------------

/** EfficientNet-B0 stages: expand, kernel, stride, in, out, layers. */
const EFF_B0: [number, number, number, number, number, number][] = [
  [1, 3, 1, 32, 16, 1], [6, 3, 2, 16, 24, 2], [6, 5, 2, 24, 40, 2], [6, 3, 2, 40, 80, 3],
  [6, 5, 1, 80, 112, 3], [6, 5, 2, 112, 192, 4], [6, 3, 1, 192, 320, 1],
];

export function buildEfficientnet(ctx: EmitContext, c: EfficientnetConfig, B: number, image: number): void {
  const adj = (ch: number): number => makeDivisible(ch * c.widthMult);
  const first = adj(32);
  let x = cna(ctx, 'features.0', [B, 3, image, image], 3, first, 3, 2, 'silu');
  let cin = first;
  EFF_B0.forEach(([e, k, s, , outBase, n], si) => {
    const out = adj(outBase);
    const layers = Math.ceil(n * c.depthMult);
    for (let i = 0; i < layers; i++) {
      const stride = i === 0 ? s : 1;
      const P = `features.${si + 1}.${i}.block`;
      const exp = makeDivisible(cin * e);
      let j = 0;
      if (exp !== cin) { x = cna(ctx, `${P}.${j}`, x, cin, exp, 1, 1, 'silu'); j++; }
      x = cna(ctx, `${P}.${j}`, x, exp, exp, k, stride, 'silu', exp); j++;
      squeezeExcite(ctx, `${P}.${j}`, x, exp, Math.max(1, Math.floor(cin / 4)), 'silu', 'sigmoid'); j++;
      x = cna(ctx, `${P}.${j}`, x, exp, out, 1, 1, null);
      if (stride === 1 && cin === out) binary(ctx, `features.${si + 1}.${i}.add`, 'add', x);
      cin = out;
    }
  });
  const lastConv = 4 * cin;
  x = cna(ctx, 'features.8', x, cin, lastConv, 1, 1, 'silu');
  classifierPool(ctx, 'avgpool', x);
  linear(ctx, 'classifier.1', [B, lastConv], lastConv, c.classes, { bias: true, quant: false, loraEligible: false });
}

// ---------------------------------------------------------------------------------------------------

export function buildConvnext(ctx: EmitContext, c: ConvnextConfig, B: number, image: number): void {
  let x = conv2d(ctx, 'features.0.0', [B, 3, image, image], 3, c.dims[0], { k: 4, stride: 4, bias: true });
  norm(ctx, 'features.0.1', 'layer_norm', 'LayerNorm2d', x, 2 * c.dims[0]);
  let f = 1;
  c.depths.forEach((depth, si) => {
    const d = c.dims[si];
    for (let b = 0; b < depth; b++) {
      const P = `features.${f}.${b}.block`;
      conv2d(ctx, `${P}.0`, x, d, d, { k: 7, pad: 3, groups: d, bias: true });
      const t = [x[0], x[2], x[3], d];
      norm(ctx, `${P}.2`, 'layer_norm', 'nn.LayerNorm', t, 2 * d);
      linear(ctx, `${P}.3`, t, d, 4 * d, { bias: true });
      act(ctx, `${P}.4`, 'gelu', [x[0], x[2], x[3], 4 * d]);
      linear(ctx, `${P}.5`, [x[0], x[2], x[3], 4 * d], 4 * d, d, { bias: true });
      paramOp(ctx, `features.${f}.${b}.layer_scale`, 'mul', 'nn.Parameter', x, d);
      binary(ctx, `features.${f}.${b}.add`, 'add', x);
    }
    f++;
    if (si < c.depths.length - 1) {
      norm(ctx, `features.${f}.0`, 'layer_norm', 'LayerNorm2d', x, 2 * d);
      x = conv2d(ctx, `features.${f}.1`, x, d, c.dims[si + 1], { k: 2, stride: 2, bias: true });
      f++;
    }
  });
  const last = c.dims[c.dims.length - 1];
  classifierPool(ctx, 'avgpool', x);
  norm(ctx, 'classifier.0', 'layer_norm', 'LayerNorm2d', [B, last, 1, 1], 2 * last);
  linear(ctx, 'classifier.2', [B, last], last, c.classes, { bias: true, quant: false, loraEligible: false });
}

// ---------------------------------------------------------------------------------------------------

export function buildSwin(ctx: EmitContext, c: SwinConfig, B: number, image: number): void {
  const y = conv2d(ctx, 'features.0.0', [B, 3, image, image], 3, c.embedDim, { k: c.patch, stride: c.patch, bias: true });
  let H = y[2], W = y[3];
  let dim = c.embedDim;
  norm(ctx, 'features.0.2', 'layer_norm', 'nn.LayerNorm', [B, H, W, dim], 2 * dim);
  let f = 1;
  c.depths.forEach((depth, si) => {
    const heads = c.heads[si];
    for (let b = 0; b < depth; b++) {
      const P = `features.${f}.${b}`;
      const x = [B, H, W, dim];
      const win = Math.min(c.window, H, W);
      const nWin = Math.ceil(H / win) * Math.ceil(W / win);
      norm(ctx, `${P}.norm1`, 'layer_norm', 'nn.LayerNorm', x, 2 * dim);
      linear(ctx, `${P}.attn.qkv`, x, dim, 3 * dim, { bias: true });
      const tab = (2 * c.window - 1) ** 2 * heads;
      paramOp(ctx, `${P}.attn.relative_position_bias_table`, 'add', 'nn.Parameter', [B * nWin, heads, win * win, win * win], tab,
        { note: 'relative-position bias added to window scores' });
      attention(ctx, `${P}.attn`, { batch: B * nWin, heads, seqQ: win * win, seqK: win * win, headDim: dim / heads }, { causal: false, materialized: true, label: 'shifted_window_attention' });
      linear(ctx, `${P}.attn.proj`, x, dim, dim, { bias: true });
      binary(ctx, `${P}.residual_attn`, 'add', x);
      norm(ctx, `${P}.norm2`, 'layer_norm', 'nn.LayerNorm', x, 2 * dim);
      const hid = Math.round(dim * c.mlpRatio);
      linear(ctx, `${P}.mlp.0`, x, dim, hid, { bias: true });
      act(ctx, `${P}.mlp.1`, 'gelu', [B, H, W, hid]);
      linear(ctx, `${P}.mlp.3`, [B, H, W, hid], hid, dim, { bias: true });
      binary(ctx, `${P}.residual_mlp`, 'add', x);
    }
    f++;
    if (si < c.depths.length - 1) {
      H = Math.ceil(H / 2); W = Math.ceil(W / 2);
      const m = [B, H, W, 4 * dim];
      const cat = elementwiseCost('cat', m, ctx.dtype, 0, 1, false);
      push(ctx, `features.${f}.cat`, 'torch.cat', cat, [m]);
      norm(ctx, `features.${f}.norm`, 'layer_norm', 'nn.LayerNorm', m, 8 * dim);
      linear(ctx, `features.${f}.reduction`, m, 4 * dim, 2 * dim, { bias: false });
      dim *= 2;
      f++;
    }
  });
  norm(ctx, 'norm', 'layer_norm', 'nn.LayerNorm', [B, H, W, dim], 2 * dim);
  pool(ctx, 'avgpool', 'adaptive_avg_pool2d', 'nn.AdaptiveAvgPool2d', [B, dim, H, W], [B, dim, 1, 1]);
  linear(ctx, 'head', [B, dim], dim, c.classes, { bias: true, quant: false, loraEligible: false });
}
