/**
 * Dual Path Networks (Chen et al. 2017, "Dual Path Networks", arXiv:1707.01629) as timm builds them (timm dpn.py,
 * `DPN` and `DualPathBlock`): a 7×7 stem conv + BN + ReLU and a 3×3 max-pool, then four stages of dual-path blocks,
 * each block a pre-activation (BN → ReLU → conv) 1×1 → grouped 3×3 → 1×1 bottleneck whose output is split into a
 * residual part (added) and a densely connected part (concatenated, growing by `inc` channels per block); the first
 * block of a stage projects its input with a pre-activation 1×1 conv (stride 2 from the second stage on). A final BN +
 * ReLU, global average pooling and a 1×1 conv classifier with bias, flattened. Module paths follow timm.
 */
import type { DpnConfig } from '../types';
import { act, binary, conv2d, linear, norm, outSize, pool, type EmitContext } from '../emit';

const bn = (ctx: EmitContext, name: string, x: number[]): void => { norm(ctx, name, 'batch_norm', 'nn.BatchNorm2d', x, 2 * x[1]); };

/** timm `BnActConv2d`: BatchNorm2d(in) → ReLU → Conv2d(in, out, k, stride, padding k // 2, groups, bias=False). */
function bnActConv(ctx: EmitContext, name: string, x: number[], cout: number, k: number, stride = 1, groups = 1): number[] {
  bn(ctx, `${name}.bn`, x);
  act(ctx, `${name}.bn.act`, 'relu', x);
  return conv2d(ctx, `${name}.conv`, x, x[1], cout, { k, stride, pad: Math.floor(k / 2), groups, bias: false });
}

export function buildDpn(ctx: EmitContext, c: DpnConfig, B: number, image: number): void {
  const bwFactor = c.small ? 1 : 4;
  let x = conv2d(ctx, 'features.conv1_1.conv', [B, 3, image, image], 3, c.initFeatures, { k: c.small ? 3 : 7, stride: 2, pad: c.small ? 1 : 3, bias: false });
  bn(ctx, 'features.conv1_1.bn', x);
  act(ctx, 'features.conv1_1.bn.act', 'relu', x);
  x = pool(ctx, 'features.conv1_pool', 'max_pool2d', 'nn.MaxPool2d', x, [B, x[1], outSize(x[2], 3, 2, 1), outSize(x[3], 3, 2, 1)]);
  c.kSec.forEach((n, s) => {
    const bw = 64 * 2 ** s * bwFactor;
    const inc = c.incSec[s];
    const r = Math.floor((c.kR * bw) / (64 * bwFactor));
    for (let i = 0; i < n; i++) {
      const P = `features.conv${s + 2}_${i + 1}`;
      const stride = i === 0 && s > 0 ? 2 : 1;
      // The first block of a stage projects the (concatenated) input to the residual and dense widths.
      const proj = i === 0 ? bnActConv(ctx, `${P}.c1x1_w_s${stride}`, x, bw + 2 * inc, 1, stride) : undefined;
      let y = bnActConv(ctx, `${P}.c1x1_a`, x, r, 1);
      y = bnActConv(ctx, `${P}.c3x3_b`, y, r, 3, stride, c.groups);
      y = bnActConv(ctx, `${P}.c1x1_c`, y, bw + inc, 1);
      const dense = (proj ? proj[1] - bw : x[1] - bw) + inc;
      binary(ctx, `${P}.add`, 'add', [B, bw, y[2], y[3]]);
      x = [B, bw + dense, y[2], y[3]];
    }
  });
  bn(ctx, 'features.conv5_bn_ac.bn', x);
  act(ctx, 'features.conv5_bn_ac.bn.act', 'relu', x);
  pool(ctx, 'global_pool', 'adaptive_avg_pool2d', 'nn.AdaptiveAvgPool2d', x, [B, x[1], 1, 1]);
  // The classifier is a 1×1 conv with bias on the pooled [B, C, 1, 1] features, flattened to [B, classes]: the same
  // weights and multiply-adds as a Linear on [B, C], which is how it is costed (so the model returns [B, classes]).
  linear(ctx, 'classifier', [B, x[1]], x[1], c.classes, { bias: true, quant: false, loraEligible: false, label: 'nn.Conv2d' });
}
