/**
 * FLOPs, bytes and parameter counts of the op table: published reference vectors (PyTorch's
 * test/test_flop_counter.py, fvcore's docstring model, torchvision model sizes) and hand-computed values.
 */
import { describe, expect, test } from 'vitest';
import { bindArgs, callLayer, FUNCTIONS, LAYERS, METHODS } from '../../src/core/ops';
import type { Arg, CallContext, OpOutcome, OpResult, TensorArg } from '../../src/core/ops/registry';
import { isOpError } from '../../src/core/ops/registry';
import type { Cost } from '../../src/core/ops/primitives';

const T = (...shape: number[]): TensorArg => ({ kind: 'tensor', shape });
const train: CallContext = { dtype: 'fp32', training: true };
const infer: CallContext = { dtype: 'fp32', training: false };

function okr(r: OpOutcome): OpResult {
  if (isOpError(r)) throw new Error(r.error);
  return r;
}
const fn = (name: string, args: Arg[], kw: Record<string, Arg> = {}, ctx = train) => okr(FUNCTIONS[name](args, kw, ctx));
const meth = (name: string, args: Arg[], kw: Record<string, Arg> = {}, ctx = train) => okr(METHODS[name](args, kw, ctx));
const layer = (name: string, ctor: Arg[], ctorKw: Record<string, Arg>, inputs: Arg[], kw: Record<string, Arg> = {}, ctx = train) =>
  okr(callLayer(name, ctor, ctorKw, inputs, kw, ctx));
const params = (name: string, ctor: Arg[], kw: Record<string, Arg> = {}) => {
  const a = bindArgs(LAYERS[name], ctor, kw);
  if ('error' in a) throw new Error(String(a.error));
  return LAYERS[name].paramCount(a);
};
const sum = (costs: Cost[], k: keyof Pick<Cost, 'forwardFlops' | 'backwardFlops' | 'params' | 'bytesRead' | 'bytesWritten' | 'savedBytes'>) => costs.reduce((s, c) => s + c[k], 0);
const fwd = (r: OpResult) => sum(r.costs, 'forwardFlops');
const shape = (r: OpResult) => (r.output as TensorArg).shape;

describe('PyTorch test_flop_counter.py vectors', () => {
  test('mm(4×5, 5×6) = 240 FLOPs, backward 2×', () => {
    const r = fn('mm', [T(4, 5), T(5, 6)]);
    expect(fwd(r)).toBe(240);
    expect(sum(r.costs, 'backwardFlops')).toBe(480);
  });
  test('bmm(3×4×5, 3×5×6) = 720', () => expect(fwd(fn('bmm', [T(3, 4, 5), T(3, 5, 6)]))).toBe(720));
  test('addmm with [4,6], [4,1] and [6] inputs = 3 × 240', () => {
    const total = [T(4, 6), T(4, 1), T(6)].reduce((s, x) => s + fwd(fn('addmm', [x, T(4, 5), T(5, 6)])), 0);
    expect(total).toBe(720);
  });
  test('baddbmm(3×4×6, 3×4×5, 3×5×6) = 720', () => expect(fwd(fn('baddbmm', [T(3, 4, 6), T(3, 4, 5), T(3, 5, 6)]))).toBe(720));
  test('variety: mm + addmm + matmul + einsum + Linear(9→10) on [8, 9] = 3,012', () => {
    const total = fwd(fn('mm', [T(4, 5), T(5, 6)]))
      + fwd(fn('addmm', [T(4, 6), T(4, 5), T(5, 6)], { beta: 0.5, alpha: 0.5 }))
      + fwd(fn('matmul', [T(5, 6), T(6, 7)]))
      + fwd(fn('einsum', ['ab,bc->ac', T(6, 7), T(7, 8)]))
      + fwd(layer('Linear', [9, 10], {}, [T(8, 9)]));
    expect(total).toBe(3012);
  });
  test('conv1d([2,3,6], [6,3,4], padding=1) = 1,440', () => expect(fwd(fn('conv1d', [T(2, 3, 6), T(6, 3, 4)], { padding: 1 }))).toBe(1440));
  test('conv2d 1×1 = 8 and conv_transpose2d 2×2 = 32, backward = 2× forward', () => {
    for (const [r, f] of [[fn('conv2d', [T(1, 1, 2, 2), T(1, 1, 1, 1)]), 8], [fn('conv_transpose2d', [T(1, 1, 2, 2), T(1, 1, 2, 2)]), 32]] as const) {
      expect(fwd(r)).toBe(f);
      expect(sum(r.costs, 'backwardFlops')).toBe(2 * f);
      expect(sum(r.costs, 'params')).toBe(0);
    }
  });
  test('ConvTranspose2d(4, 8, (2, 2), stride=2) on [1,4,30,2]: 50 × (fwd + weight grad) = 1,536,000', () => {
    const r = layer('ConvTranspose2d', [4, 8, [2, 2]], { stride: 2 }, [T(1, 4, 30, 2)]);
    // The test's input does not require grad, so its backward is the weight gradient only (1× forward).
    expect(50 * 2 * fwd(r)).toBe(1_536_000);
  });
  test('SDPA B=4 H=8 S=128 D=64: matmul FLOPs 134,217,728; Sq=128, Sk=256: 268,435,456', () => {
    const softmax = (b: number, h: number, sq: number, sk: number) => 5 * b * h * sq * sk;
    const r1 = fn('scaled_dot_product_attention', [T(4, 8, 128, 64), T(4, 8, 128, 64), T(4, 8, 128, 64)]);
    expect(fwd(r1) - softmax(4, 8, 128, 128)).toBe(134_217_728);
    // torch: math backend fwd+bwd = 3 × fwd.
    expect(sum(r1.costs, 'backwardFlops') - softmax(4, 8, 128, 128)).toBe(2 * 134_217_728);
    const r2 = fn('scaled_dot_product_attention', [T(4, 8, 128, 64), T(4, 8, 256, 64), T(4, 8, 256, 64)]);
    expect(fwd(r2) - softmax(4, 8, 128, 256)).toBe(268_435_456);
    // FlopCounterMode ignores causality; FlopLens halves it (and says so).
    const r3 = fn('scaled_dot_product_attention', [T(4, 8, 128, 64), T(4, 8, 128, 64), T(4, 8, 128, 64)], { is_causal: true });
    expect(fwd(r3)).toBe(fwd(r1) / 2);
    expect(r3.costs[0].causal).toBe(true);
    expect(r3.costs[0].note).toMatch(/halved/);
  });
});

/** A ResNet-18 built from the op table's layers (torchvision's architecture). */
function resnet18(batch: number, ctx: CallContext): { costs: Cost[]; out: TensorArg; layer1: Cost[] } {
  const costs: Cost[] = [];
  const layer1: Cost[] = [];
  let x: TensorArg = T(batch, 3, 224, 224);
  const run = (name: string, ctor: Arg[], kw: Record<string, Arg>, input: TensorArg, sink = costs): TensorArg => {
    const r = layer(name, ctor, kw, [input], {}, ctx);
    sink.push(...r.costs);
    if (sink !== costs) costs.push(...r.costs);
    return r.output as TensorArg;
  };
  x = run('Conv2d', [3, 64, 7], { stride: 2, padding: 3, bias: false }, x);
  x = run('BatchNorm2d', [64], {}, x);
  x = run('ReLU', [], { inplace: true }, x);
  x = run('MaxPool2d', [3], { stride: 2, padding: 1 }, x);
  let inC = 64;
  for (const [i, outC] of [64, 128, 256, 512].entries()) {
    for (let b = 0; b < 2; b++) {
      const stride = i > 0 && b === 0 ? 2 : 1;
      const sink = i === 0 ? layer1 : costs;
      const identity = x;
      let y = run('Conv2d', [inC, outC, 3], { stride, padding: 1, bias: false }, x, sink);
      y = run('BatchNorm2d', [outC], {}, y);
      y = run('ReLU', [], {}, y);
      y = run('Conv2d', [outC, outC, 3], { padding: 1, bias: false }, y, sink);
      y = run('BatchNorm2d', [outC], {}, y);
      let skip = identity;
      if (stride !== 1 || inC !== outC) {
        skip = run('Conv2d', [inC, outC, 1], { stride, bias: false }, identity);
        skip = run('BatchNorm2d', [outC], {}, skip);
      }
      const add = fn('add', [y, skip], {}, ctx);
      costs.push(...add.costs);
      x = run('ReLU', [], {}, add.output as TensorArg);
      inC = outC;
    }
  }
  x = run('AdaptiveAvgPool2d', [[1, 1]], {}, x);
  const flat = fn('flatten', [x, 1], {}, ctx);
  x = run('Linear', [512, 1000], {}, flat.output as TensorArg);
  return { costs, out: x, layer1 };
}

describe('whole models from layers', () => {
  test('ResNet-18: 11,689,512 params; FlopCounterMode fwd+bwd 10,884,440,064; layer1 convs 924,844,032', () => {
    const { costs, out, layer1 } = resnet18(1, train);
    expect(out.shape).toEqual([1, 1000]);
    expect(sum(costs, 'params')).toBe(11_689_512);
    const gemm = costs.filter((c) => c.opClass === 'conv' || c.opClass === 'gemm');
    // torch counts only convolutions and matmuls; its input requires grad, so every conv has both gradients.
    expect(sum(gemm, 'forwardFlops') + sum(gemm, 'backwardFlops')).toBe(10_884_440_064);
    expect(sum(gemm, 'forwardFlops') / 2).toBe(1_814_073_344); // the published 1.81 GMac
    expect(sum(layer1, 'forwardFlops')).toBe(924_844_032);
    expect(sum(layer1, 'backwardFlops')).toBe(1_849_688_064);
  });

  test('VGG-16: 138,357,544 params, ≈15.5 GMac (ptflops/thop 15.48–15.61)', () => {
    const cfg: (number | 'M')[] = [64, 64, 'M', 128, 128, 'M', 256, 256, 256, 'M', 512, 512, 512, 'M', 512, 512, 512, 'M'];
    const costs: Cost[] = [];
    let x: Arg = T(1, 3, 224, 224);
    let inC = 3;
    const run = (name: string, ctor: Arg[], kw: Record<string, Arg> = {}) => {
      const r = layer(name, ctor, kw, [x], {}, infer);
      costs.push(...r.costs);
      x = r.output;
    };
    for (const v of cfg) {
      if (v === 'M') run('MaxPool2d', [2, 2]);
      else {
        run('Conv2d', [inC, v, 3], { padding: 1 });
        run('ReLU', [], { inplace: true });
        inC = v;
      }
    }
    run('AdaptiveAvgPool2d', [[7, 7]]);
    x = fn('flatten', [x, 1]).output;
    run('Linear', [25088, 4096]); run('ReLU', []); run('Dropout', []);
    run('Linear', [4096, 4096]); run('ReLU', []); run('Dropout', []);
    run('Linear', [4096, 1000]);
    expect(sum(costs, 'params')).toBe(138_357_544);
    const macs = sum(costs.filter((c) => c.opClass === 'conv' || c.opClass === 'gemm'), 'forwardFlops') / 2;
    expect(macs).toBeGreaterThan(15.4e9);
    expect(macs).toBeLessThan(15.5e9);
    // Dropout is free at inference.
    expect(costs.some((c) => c.kind === 'dropout')).toBe(false);
  });

  test('fvcore docstring model: Conv(3→10, 1×1) on 1×3×10×10 then Linear(1000→10) = 13,000 MACs', () => {
    const conv = layer('Conv2d', [3, 10, 1], {}, [T(1, 3, 10, 10)]);
    const flat = fn('flatten', [conv.output, 1]);
    const fc = layer('Linear', [1000, 10], {}, [flat.output]);
    expect(fwd(conv) / 2).toBe(3_000);
    expect(fwd(fc) / 2).toBe(10_000);
  });
});

describe('parameter counts (peers.md vectors and torch ≥ 2.1 features)', () => {
  test.each([
    ['LSTM', [10, 20, 2], {}, 5_920],
    ['LSTM', [10, 20, 2], { bidirectional: true }, 15_040],
    ['MultiheadAttention', [512, 8], {}, 1_050_624],
    ['TransformerEncoderLayer', [512, 8], {}, 3_152_384],
    ['BatchNorm2d', [64], {}, 128],
    ['Embedding', [50257, 768], {}, 38_597_376],
    ['Transformer', [], {}, 44_140_544],
    // Not in torch 1.13: hand-computed.
    ['RMSNorm', [512], {}, 512],
    ['RMSNorm', [[4, 8]], { elementwise_affine: false }, 0],
    ['LayerNorm', [512], { bias: false }, 512],
    // 4·512² attention + 2·512·2048 FFN + 2·512 norm weights
    ['TransformerEncoderLayer', [512, 8], { bias: false }, 3_146_752],
    ['LazyLinear', [10], {}, 0],
    ['Sequential', [], {}, 0],
  ] as const)('nn.%s(%j, %j) = %d', (name, ctor, kw, n) => expect(params(name, [...ctor] as Arg[], kw as Record<string, Arg>)).toBe(n));

  test('paramShapes names PyTorch attributes', () => {
    const a = bindArgs(LAYERS.LSTM, [10, 20], { proj_size: 5 }) as Record<string, Arg>;
    expect(LAYERS.LSTM.paramShapes?.(a)).toEqual({ weight_ih_l0: [80, 10], weight_hh_l0: [80, 5], bias_ih_l0: [80], bias_hh_l0: [80], weight_hr_l0: [5, 20] });
    const m = bindArgs(LAYERS.MultiheadAttention, [64, 4], {}) as Record<string, Arg>;
    expect(Object.keys(LAYERS.MultiheadAttention.paramShapes?.(m) ?? {})).toEqual(['in_proj_weight', 'in_proj_bias', 'out_proj.weight', 'out_proj.bias']);
    const l = bindArgs(LAYERS.Linear, [9, 10]) as Record<string, Arg>;
    expect(LAYERS.Linear.paramShapes?.(l)).toEqual({ weight: [10, 9], bias: [10] });
  });

  test('unknown constructor arguments give NaN, not a silent zero', () => {
    expect(params('Linear', [undefined, 10])).toBeNaN();
    expect(params('Conv2d', [3, 64, undefined])).toBeNaN();
  });
});

describe('hand-computed costs', () => {
  test('Linear(9→10) on [8, 9]: FLOPs, bytes, saved activations; frozen and bf16', () => {
    const r = layer('Linear', [9, 10], {}, [T(8, 9)]);
    expect(r.costs).toHaveLength(1);
    expect(r.costs[0]).toMatchObject({ kind: 'linear', opClass: 'gemm', params: 100, forwardFlops: 1440, backwardFlops: 2880, bytesRead: (72 + 100) * 4, bytesWritten: 80 * 4, savedBytes: 72 * 4 });
    expect(layer('Linear', [9, 10], {}, [T(8, 9)], {}, { ...train, frozen: true }).costs[0].backwardFlops).toBe(1440);
    expect(layer('Linear', [9, 10], {}, [T(8, 9)], {}, { dtype: 'bf16', training: true }).costs[0].bytesRead).toBe((72 + 100) * 2);
    expect(layer('Linear', [9, 10], {}, [T(8, 9)], {}, { dtype: 'bf16', training: true, weightDtype: 'int8' }).costs[0].bytesRead).toBe(72 * 2 + 100);
  });

  test('Linear on a batch-less input', () => {
    const r = layer('Linear', [3, 4], {}, [T(3)]);
    expect(shape(r)).toEqual([4]);
    expect(fwd(r)).toBe(24);
  });

  test('Conv2d FLOPs: stem, depthwise, grouped', () => {
    expect(fwd(layer('Conv2d', [3, 64, 7, 2, 3], { bias: false }, [T(1, 3, 224, 224)]))).toBe(2 * 64 * 112 * 112 * 3 * 49);
    expect(fwd(layer('Conv2d', [32, 32, 3], { groups: 32, padding: 1 }, [T(1, 32, 28, 28)]))).toBe(2 * 32 * 28 * 28 * 9);
    expect(fwd(layer('Conv2d', [6, 12, 3], { groups: 3 }, [T(2, 6, 8, 8)]))).toBe(2 * 2 * 12 * 36 * 2 * 9);
  });

  test('MultiheadAttention(512, 8) self-attention on [10, 4, 512]', () => {
    const x = T(10, 4, 512);
    const r = layer('MultiheadAttention', [512, 8], {}, [x, x, x]);
    const proj = 2 * 40 * 512 * 512;
    const att = 4 * 4 * 8 * 10 * 10 * 64 + 5 * 4 * 8 * 10 * 10;
    expect(fwd(r)).toBe(4 * proj + att);
    expect(r.costs.map((c) => c.path)).toEqual(['in_proj.q', 'in_proj.k', 'in_proj.v', 'attention', 'out_proj']);
    expect(sum(r.costs, 'params')).toBe(1_050_624);
    // need_weights (the default) writes the probabilities out; need_weights=False uses the fused kernel.
    const fused = layer('MultiheadAttention', [512, 8], {}, [x, x, x], { need_weights: false });
    expect(fwd(fused)).toBe(fwd(r));
    expect(sum(fused.costs, 'bytesWritten')).toBeLessThan(sum(r.costs, 'bytesWritten'));
    expect((fused.output as Arg[])[1]).toBeNull();
    const causal = layer('MultiheadAttention', [512, 8], {}, [x, x, x], { need_weights: false, is_causal: true, attn_mask: T(10, 10) });
    expect(fwd(causal)).toBe(4 * proj + att / 2);
    const masked = layer('MultiheadAttention', [512, 8], {}, [x, x, x], { need_weights: false, attn_mask: T(10, 10) });
    expect(fwd(masked)).toBe(fwd(r));
    expect(masked.costs[3].note).toMatch(/counted in full/);
  });

  test('TransformerEncoderLayer costs: sub-ops, params, dropout only in training, norm_first order', () => {
    const x = T(16, 2, 512);
    const r = layer('TransformerEncoderLayer', [512, 8], {}, [x]);
    expect(sum(r.costs, 'params')).toBe(3_152_384);
    const paths = r.costs.map((c) => c.path);
    expect(paths).toEqual(['self_attn.in_proj.q', 'self_attn.in_proj.k', 'self_attn.in_proj.v', 'self_attn.attention', 'self_attn.out_proj', 'dropout1', 'residual', 'norm1', 'linear1', 'activation', 'dropout', 'linear2', 'dropout2', 'residual', 'norm2']);
    const ev = layer('TransformerEncoderLayer', [512, 8], {}, [x], {}, infer);
    expect(ev.costs.some((c) => c.kind === 'dropout')).toBe(false);
    const pre = layer('TransformerEncoderLayer', [512, 8], { norm_first: true }, [x], {}, infer);
    expect(pre.costs.map((c) => c.path)[0]).toBe('norm1');
    const gelu = layer('TransformerEncoderLayer', [512, 8], { activation: 'gelu' }, [x], {}, infer);
    expect(gelu.costs.find((c) => c.path === 'activation')?.kind).toBe('gelu');
    const geluFn = layer('TransformerEncoderLayer', [512, 8], { activation: 'torch.nn.functional.gelu' }, [x], {}, infer);
    expect(geluFn.costs.find((c) => c.path === 'activation')?.kind).toBe('gelu');
    const causal = layer('TransformerEncoderLayer', [512, 8], {}, [x], { is_causal: true }, infer);
    expect(causal.costs.find((c) => c.path === 'self_attn.attention')?.causal).toBe(true);
  });

  test('TransformerEncoder runs num_layers copies with their own parameters', () => {
    const encoderLayer = { kind: 'module' as const, layer: 'TransformerEncoderLayer', args: bindArgs(LAYERS.TransformerEncoderLayer, [512, 8]) as Record<string, Arg> };
    const r = layer('TransformerEncoder', [encoderLayer, 6], {}, [T(10, 2, 512)], {}, infer);
    const one = layer('TransformerEncoderLayer', [512, 8], {}, [T(10, 2, 512)], {}, infer);
    expect(fwd(r)).toBe(6 * fwd(one));
    expect(sum(r.costs, 'params')).toBe(6 * 3_152_384);
    expect(r.costs[0].path).toBe('layers.0.self_attn.in_proj.q');
    expect(r.costs[r.costs.length - 1].path).toBe('layers.5.norm2');
    const custom = { kind: 'module' as const, layer: 'MyBlock', args: {} };
    const bad = LAYERS.TransformerEncoder.forward(bindArgs(LAYERS.TransformerEncoder, [custom, 2]) as Record<string, Arg>, [T(10, 2, 512)], {}, infer);
    expect(isOpError(bad) && bad.error).toMatch(/nn\.MyBlock is not a layer the op table can run/);
    expect(params('TransformerEncoder', [custom, 2])).toBeNaN();
  });

  test('LSTM(10, 20) on [5, 3, 10]: gate GEMMs + gate arithmetic; frozen backward', () => {
    const r = layer('LSTM', [10, 20], {}, [T(5, 3, 10)]);
    const gemm = 5 * 3 * 2 * 80 * (10 + 20);
    const gates = 5 * 3 * 18 * 20;
    expect(fwd(r)).toBe(gemm + gates);
    expect(sum(r.costs, 'backwardFlops')).toBe(2 * gemm + gates);
    expect(r.costs[0].opClass).toBe('rnn');
    const frozen = layer('LSTM', [10, 20], {}, [T(5, 3, 10)], {}, { ...train, frozen: true });
    expect(sum(frozen.costs, 'backwardFlops')).toBe(gemm + gates);
  });

  test('LSTM: the gate GEMMs are matrix work (rnn), the gate arithmetic vector work (elementwise), as two costs', () => {
    const r = layer('LSTM', [2, 5], { bidirectional: true }, [T(3, 6, 2)]);
    expect(r.costs.map((c) => [c.opClass, c.forwardFlops])).toEqual([['rnn', 2 * 3 * 6 * 2 * 20 * (2 + 5)], ['elementwise', 2 * 3 * 6 * 18 * 5]]);
    expect(r.costs[1].params).toBe(0);
  });

  test('GRU bidirectional, 2 layers: second layer reads both directions', () => {
    const r = layer('GRU', [10, 20, 2], { bidirectional: true }, [T(7, 1, 10)]);
    const gemm = 2 * 7 * (2 * 60 * (10 + 20)) + 2 * 7 * (2 * 60 * (40 + 20));
    expect(fwd(r)).toBe(gemm + 2 * 2 * 7 * 14 * 20);
  });

  test('softmax 5 FLOPs/elem; layer norm 5; RMSNorm 4; GELU 5 (tanh 9); relu 1', () => {
    expect(fwd(fn('softmax', [T(2, 3, 4)], { dim: -1 }))).toBe(120);
    expect(fwd(layer('LayerNorm', [512], {}, [T(8, 10, 512)]))).toBe(5 * 8 * 10 * 512);
    expect(fwd(layer('RMSNorm', [512], {}, [T(8, 10, 512)]))).toBe(4 * 8 * 10 * 512);
    expect(sum(layer('RMSNorm', [512], {}, [T(8, 10, 512)]).costs, 'params')).toBe(512);
    expect(fwd(fn('gelu', [T(10)]))).toBe(50);
    expect(fwd(fn('gelu', [T(10)], { approximate: 'tanh' }))).toBe(90);
    expect(fwd(layer('ReLU', [], {}, [T(10)]))).toBe(10);
  });

  test('dropout costs only when training; F.dropout defaults to training=True like PyTorch', () => {
    expect(layer('Dropout', [0.1], {}, [T(4, 6)]).costs).toHaveLength(1);
    expect(layer('Dropout', [0.1], {}, [T(4, 6)], {}, infer).costs).toHaveLength(0);
    expect(layer('Dropout', [0], {}, [T(4, 6)]).costs).toHaveLength(0);
    expect(fn('dropout', [T(4, 6), 0.1], {}, infer).costs).toHaveLength(1);
    expect(fn('dropout', [T(4, 6), 0.1], { training: false }).costs).toHaveLength(0);
    expect(fn('dropout', [T(4, 6), 0.1], { training: undefined }, infer).costs).toHaveLength(0);
    const c = layer('Dropout', [0.5], {}, [T(4, 6)]).costs[0];
    expect(c).toMatchObject({ kind: 'dropout', forwardFlops: 24, savedBytes: 24 });
  });

  test('embedding: no FLOPs, reads one row per index; frozen has no gradient', () => {
    const r = layer('Embedding', [50257, 768], {}, [T(4, 1024)]);
    expect(r.costs[0]).toMatchObject({ forwardFlops: 0, params: 50257 * 768, bytesWritten: 4 * 1024 * 768 * 4 });
    expect(layer('Embedding', [10, 3], {}, [T(5)], {}, { ...train, frozen: true }).costs[0].backwardFlops).toBe(0);
  });

  test('pooling: one FLOP per window element', () => {
    const r = layer('MaxPool2d', [3, 2, 1], {}, [T(1, 64, 112, 112)]);
    expect(shape(r)).toEqual([1, 64, 56, 56]);
    expect(fwd(r)).toBe(64 * 56 * 56 * 9);
    expect(fwd(layer('AdaptiveAvgPool2d', [1], {}, [T(8, 2048, 7, 7)]))).toBe(8 * 2048 * 49);
  });

  test('losses reduce to a 0-d tensor with opClass loss', () => {
    const r = layer('CrossEntropyLoss', [], {}, [T(32, 10), T(32)]);
    expect(shape(r)).toEqual([]);
    expect(r.costs[0].opClass).toBe('loss');
    expect(fwd(r)).toBe(6 * 320);
    expect(shape(layer('CrossEntropyLoss', [], { reduce: false }, [T(32, 10), T(32)]))).toEqual([32]);
    expect(shape(fn('cross_entropy', [T(4, 50257), T(4)], { reduction: 'none' }))).toEqual([4]);
  });

  test('EmbeddingBag sums rows: rows × dim FLOPs', () => {
    expect(fwd(layer('EmbeddingBag', [10, 3], { mode: 'sum' }, [T(2, 4)]))).toBe(24);
  });

  test('LazyLinear takes in_features from the input and its cost carries the parameters', () => {
    const r = layer('LazyLinear', [10], {}, [T(4, 7)]);
    expect(shape(r)).toEqual([4, 10]);
    expect(r.costs[0].params).toBe(80);
    expect(r.costs[0].note).toMatch(/lazy/);
  });

  test('Conv padding_mode other than zeros is noted', () => {
    const r = layer('Conv2d', [3, 8, 3], { padding: 1, padding_mode: 'reflect' }, [T(1, 3, 8, 8)]);
    expect(shape(r)).toEqual([1, 8, 8, 8]);
    expect(r.costs[0].note).toMatch(/padding_mode='reflect'/);
  });
});

describe('einsum contraction counts (2 × product of the extents of each pairwise step)', () => {
  test.each([
    ['ab,bc->ac', [[6, 7], [7, 8]], [6, 8], 2 * 6 * 7 * 8],
    ['bhqd,bhkd->bhqk', [[2, 3, 4, 5], [2, 3, 6, 5]], [2, 3, 4, 6], 2 * 2 * 3 * 4 * 5 * 6],
    ['ij,jk', [[2, 3], [3, 4]], [2, 4], 2 * 2 * 3 * 4],
    ['i,j->ij', [[3], [4]], [3, 4], 24],
    ['ii->i', [[4, 4]], [4], 0],
    ['ij->ji', [[4, 5]], [5, 4], 0],
    ['ij->', [[4, 5]], [], 20],
    ['...ij,...jk->...ik', [[2, 3, 4, 5], [5, 6]], [2, 3, 4, 6], 2 * 2 * 3 * 4 * 5 * 6],
    ['bn,anm,bm->ba', [[2, 5], [3, 5, 4], [2, 4]], [2, 3], 2 * (2 * 5 * 3 * 4) + 2 * (2 * 3 * 4)],
    ['b i d, b j d -> b i j', [[2, 7, 16], [2, 9, 16]], [2, 7, 9], 2 * 2 * 7 * 9 * 16],
  ] as const)('%s', (eq, ins, out, flops) => {
    const r = fn('einsum', [eq, ...ins.map((s) => T(...s))]);
    expect(shape(r)).toEqual(out);
    expect(fwd(r)).toBe(flops);
  });
  test('operands as a list', () => expect(shape(fn('einsum', ['ij,jk->ik', [T(2, 3), T(3, 4)]]))).toEqual([2, 4]));
});

describe('scaled_dot_product_attention', () => {
  test('GQA with enable_gqa: FLOPs follow the query heads, K/V bytes shrink', () => {
    const q = T(2, 32, 128, 64), kv = T(2, 8, 128, 64);
    const g = fn('scaled_dot_product_attention', [q, kv, kv], { enable_gqa: true });
    const m = fn('scaled_dot_product_attention', [q, q, q]);
    expect(shape(g)).toEqual([2, 32, 128, 64]);
    expect(fwd(g)).toBe(fwd(m));
    expect(sum(g.costs, 'bytesRead')).toBeLessThan(sum(m.costs, 'bytesRead'));
  });
  test('MQA by broadcasting a single K/V head', () => {
    expect(shape(fn('scaled_dot_product_attention', [T(2, 8, 16, 32), T(2, 1, 16, 32), T(2, 1, 16, 32)]))).toEqual([2, 8, 16, 32]);
  });
  test('3-D inputs and a value head dim that differs', () => {
    expect(shape(fn('scaled_dot_product_attention', [T(4, 10, 32), T(4, 12, 32), T(4, 12, 16)]))).toEqual([4, 10, 16]);
  });
});

describe('views, copies and casts', () => {
  test('view and reshape of contiguous tensors are free; transpose marks a view', () => {
    expect(meth('view', [T(4, 5, 6), 2, -1]).costs).toHaveLength(0);
    const t = meth('transpose', [T(2, 3, 4), 1, 2]);
    expect(t.costs).toHaveLength(0);
    expect((t.output as TensorArg).nonContiguous).toBe(true);
    const c = meth('contiguous', [t.output]);
    expect(c.costs[0]).toMatchObject({ kind: 'contiguous', opClass: 'memory', bytesRead: 96, bytesWritten: 96, forwardFlops: 0 });
    expect((c.output as TensorArg).nonContiguous).toBeUndefined();
    expect(meth('contiguous', [T(2, 3)]).costs).toHaveLength(0);
    expect(meth('reshape', [t.output, 2, 12]).costs).toHaveLength(1);
    expect(meth('transpose', [T(1, 5), 0, 1]).output).not.toHaveProperty('nonContiguous');
  });
  test('cat and stack copy their output', () => {
    const r = fn('cat', [[T(2, 3), T(4, 3)]]);
    expect(r.costs[0]).toMatchObject({ kind: 'cat', bytesWritten: 6 * 3 * 4 });
  });
  test('casts cost a read and a write only when the dtype changes', () => {
    const h = meth('half', [T(2, 3)]);
    expect((h.output as TensorArg).dtype).toBe('fp16');
    expect(h.costs[0]).toMatchObject({ bytesRead: 24, bytesWritten: 12 });
    expect(meth('half', [{ kind: 'tensor', shape: [2, 3], dtype: 'fp16' }]).costs).toHaveLength(0);
    expect((meth('to', [T(2, 3), 'torch.bfloat16']).output as TensorArg).dtype).toBe('bf16');
    expect((meth('to', [T(2, 3)], { dtype: 'torch.float16' }).output as TensorArg).dtype).toBe('fp16');
    expect(meth('to', [T(2, 3), 'cuda']).costs).toHaveLength(0);
    expect(meth('cuda', [T(2, 3)]).costs).toHaveLength(0);
    expect((meth('type_as', [T(2, 3), { kind: 'tensor', shape: [1], dtype: 'bf16' }]).output as TensorArg).dtype).toBe('bf16');
  });
  test('creation costs nothing and takes a dtype', () => {
    const z = fn('zeros', [2, 3], { dtype: 'torch.bfloat16', device: 'cuda' });
    expect(z.costs).toHaveLength(0);
    expect(z.output).toEqual({ kind: 'tensor', shape: [2, 3], dtype: 'bf16' });
    expect(shape(fn('zeros', [], { size: [4, 5] }))).toEqual([4, 5]);
    expect(shape(fn('arange', [], { start: 2, end: 10 }))).toEqual([8]);
    expect(shape(fn('tensor', [[[1, 2], [3, 4], [5, 6]]]))).toEqual([3, 2]);
    expect(shape(fn('generate_square_subsequent_mask', [7]))).toEqual([7, 7]);
  });
  test('size(), size(-1), dim(), numel(), shape, T, mT', () => {
    expect(meth('size', [T(2, 3, 4)]).output).toEqual([2, 3, 4]);
    expect(meth('size', [T(2, 3, 4), -1]).output).toBe(4);
    expect(meth('size', [T(2, 3, 4)], { dim: 0 }).output).toBe(2);
    expect(meth('dim', [T(2, 3, 4)]).output).toBe(3);
    expect(meth('numel', [T(2, 3, 4)]).output).toBe(24);
    expect(meth('shape', [T(2, 3)]).output).toEqual([2, 3]);
    expect(shape(meth('T', [T(2, 3, 4)]))).toEqual([4, 3, 2]);
    expect(shape(meth('mT', [T(2, 3, 4)]))).toEqual([2, 4, 3]);
    expect(meth('item', [T(1)]).output).toBeUndefined();
  });
  test('broadcasting pointwise ops read each input once', () => {
    const r = fn('add', [T(2, 1, 4), T(3, 1)]);
    expect(shape(r)).toEqual([2, 3, 4]);
    expect(r.costs[0]).toMatchObject({ forwardFlops: 24, bytesRead: (8 + 3) * 4, bytesWritten: 24 * 4 });
    expect(shape(fn('sub', [1, T(5)]))).toEqual([5]);
    expect(shape(fn('where', [T(2, 1), 0, T(3)]))).toEqual([2, 3]);
    expect(shape(meth('add_', [T(4, 6), T(6)]))).toEqual([4, 6]);
  });
});

describe('im2col / col2im and sliding windows (shapes as torch.nn.functional.unfold/fold and Tensor.unfold document)', () => {
  test('F.unfold(x[2,3,32,32], 4, stride=4): [2, 3·4·4, 8·8], no multiply-adds', () => {
    const r = fn('unfold', [T(2, 3, 32, 32), 4], { stride: 4 });
    expect(shape(r)).toEqual([2, 48, 64]);
    expect(fwd(r)).toBe(0);
  });
  test('nn.Unfold(3, padding=1) keeps one block per pixel; dilation 2 shrinks the grid', () => {
    expect(shape(layer('Unfold', [3], { padding: 1 }, [T(1, 8, 10, 12)]))).toEqual([1, 72, 120]);
    expect(shape(layer('Unfold', [3], { dilation: 2 }, [T(1, 1, 10, 10)]))).toEqual([1, 9, 36]);
  });
  test('nn.Fold((8, 8), 2, stride=2) inverts unfold: [4, 12, 16] → [4, 3, 8, 8]', () => {
    expect(shape(layer('Fold', [[8, 8], 2], { stride: 2 }, [T(4, 12, 16)]))).toEqual([4, 3, 8, 8]);
  });
  test('Tensor.unfold(2, 4, 2) is a sliding window view: [4,3,8,8] → [4,3,3,8,4]', () => {
    expect(shape(meth('unfold', [T(4, 3, 8, 8), 2, 4, 2]))).toEqual([4, 3, 3, 8, 4]);
  });
});
