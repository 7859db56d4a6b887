/**
 * Error values of the op table: every bad shape or argument is an `{ error }` naming the op and the shapes,
 * never an exception. Also: argument binding by the PyTorch signature, name resolution, and a fuzz pass that
 * calls every entry with junk.
 */
import { describe, expect, test } from 'vitest';
import { bindArgs, callLayer, FUNCTIONS, LAYERS, METHODS, resolveFunction, resolveLayer } from '../../src/core/ops';
import type { Arg, CallContext, OpOutcome, TensorArg } from '../../src/core/ops/registry';
import { isOpError, isTensor } from '../../src/core/ops/registry';

const T = (...shape: number[]): TensorArg => ({ kind: 'tensor', shape });
const ctx: CallContext = { dtype: 'fp32', training: true };

const errorOf = (r: OpOutcome): string => {
  if (!isOpError(r)) throw new Error(`expected an error, got ${JSON.stringify(r.output)}`);
  return r.error;
};

describe('shape errors name the op and the shapes', () => {
  test.each([
    ['Linear in_features', () => callLayer('Linear', [512, 10], {}, [T(8, 256)], {}, ctx), 'nn.Linear(in_features=512) got input [8, 256]: last dim must be 512'],
    ['Conv2d channels', () => callLayer('Conv2d', [3, 64, 3], {}, [T(8, 1, 28, 28)], {}, ctx), /nn\.Conv2d\(3, 64, kernel_size=3\) got input \[8, 1, 28, 28\]: expected 3 channels in dim 1, got 1/],
    ['Conv2d rank', () => callLayer('Conv2d', [3, 64, 3], {}, [T(3, 28)], {}, ctx), /3-D \(unbatched\) or 4-D \(batched\) input, got \[3, 28\]/],
    ['Conv2d kernel too large', () => callLayer('Conv2d', [3, 8, 7], {}, [T(1, 3, 4, 4)], {}, ctx), /output size would be \[-2, -2\]/],
    ['Conv2d same + stride', () => callLayer('Conv2d', [3, 8, 3], { stride: 2, padding: 'same' }, [T(1, 3, 8, 8)], {}, ctx), /padding='same' is not supported for strided convolutions/],
    ['Conv2d groups', () => callLayer('Conv2d', [6, 8, 3], { groups: 4 }, [T(1, 6, 8, 8)], {}, ctx), /in_channels \(6\) must be divisible by groups \(4\)/],
    ['BatchNorm2d rank', () => callLayer('BatchNorm2d', [64], {}, [T(8, 64)], {}, ctx), /expected 4-D input, got \[8, 64\]/],
    ['BatchNorm2d channels', () => callLayer('BatchNorm2d', [64], {}, [T(8, 32, 4, 4)], {}, ctx), /expected 64 channels in dim 1, got 32/],
    ['LayerNorm tail', () => callLayer('LayerNorm', [512], {}, [T(8, 10, 256)], {}, ctx), /nn\.LayerNorm\(normalized_shape=\(512\)\) got input \[8, 10, 256\]: trailing dims must be \[512\]/],
    ['GroupNorm divisibility', () => callLayer('GroupNorm', [4, 6], {}, [T(2, 6, 3)], {}, ctx), /num_channels \(6\) must be divisible by num_groups \(4\)/],
    ['LSTM input_size', () => callLayer('LSTM', [10, 20], {}, [T(5, 3, 12)], {}, ctx), /nn\.LSTM\(input_size=10, hidden_size=20\) got input \[5, 3, 12\]: last dim must be input_size=10/],
    ['LSTM h0 shape', () => callLayer('LSTM', [10, 20, 2], {}, [T(5, 3, 10), [T(1, 3, 20), T(1, 3, 20)]], {}, ctx), /expected hidden state \[2, 3, 20\], got \[1, 3, 20\]/],
    ['MHA embed_dim', () => callLayer('MultiheadAttention', [512, 8], {}, [T(10, 4, 256), T(10, 4, 256), T(10, 4, 256)], {}, ctx), /got query \[10, 4, 256\]: last dim must be embed_dim=512/],
    ['MHA heads', () => callLayer('MultiheadAttention', [100, 8], {}, [T(10, 4, 100), T(10, 4, 100), T(10, 4, 100)], {}, ctx), /embed_dim \(100\) must be divisible by num_heads \(8\)/],
    ['MHA batch', () => callLayer('MultiheadAttention', [64, 8], { batch_first: true }, [T(2, 10, 64), T(3, 10, 64), T(3, 10, 64)], {}, ctx), /same batch size \(batch_first=True\)/],
    ['Embedding 2-D weight', () => FUNCTIONS.embedding([T(2, 3), T(10)], {}, ctx), /weight must be 2-D/],
    ['MaxPool padding', () => callLayer('MaxPool2d', [2], { padding: 2 }, [T(1, 1, 8, 8)], {}, ctx), /padding 2 should be at most half of the kernel size 2/],
    ['PixelShuffle channels', () => callLayer('PixelShuffle', [2], {}, [T(1, 6, 4, 4)], {}, ctx), /channels \(6\) must be divisible by upscale_factor² \(4\)/],
    ['ReflectionPad too large', () => callLayer('ReflectionPad2d', [3], {}, [T(1, 1, 3, 3)], {}, ctx), /must be smaller than dim 3 of size 3/],
    ['CrossEntropy target', () => callLayer('CrossEntropyLoss', [], {}, [T(8, 10), T(4)], {}, ctx), /input \[8, 10\] expects target \[8\] \(class indices\) or \[8, 10\] \(probabilities\), got \[4\]/],
    ['Transformer batch', () => callLayer('Transformer', [], {}, [T(10, 4, 512), T(20, 2, 512)], {}, ctx), /batch number of src \[10, 4, 512\] and tgt \[20, 2, 512\] must be equal/],
    ['TransformerEncoder layer error is prefixed', () => {
      const l = { kind: 'module' as const, layer: 'TransformerEncoderLayer', args: bindArgs(LAYERS.TransformerEncoderLayer, [512, 8]) as Record<string, Arg> };
      return callLayer('TransformerEncoder', [l, 2], {}, [T(10, 2, 256)], {}, ctx);
    }, /\.layers\.0: nn\.TransformerEncoderLayer\(d_model=512, nhead=8\) got input \[10, 2, 256\]: last dim must be d_model=512/],
    ['matmul inner dims', () => FUNCTIONS.matmul([T(4, 5), T(6, 7)], {}, ctx), 'torch.matmul: shapes [4, 5] and [6, 7] cannot be multiplied (5 ≠ 6)'],
    ['matmul batch', () => FUNCTIONS.matmul([T(2, 4, 5), T(3, 5, 7)], {}, ctx), /batch dims of \[2, 4, 5\] and \[3, 5, 7\] cannot be broadcast/],
    ['mm rank', () => FUNCTIONS.mm([T(2, 4, 5), T(5, 7)], {}, ctx), /expected 2-D tensors, got \[2, 4, 5\] and \[5, 7\]/],
    ['bmm batch', () => FUNCTIONS.bmm([T(2, 4, 5), T(3, 5, 7)], {}, ctx), /batch sizes differ/],
    ['einsum operand count', () => FUNCTIONS.einsum(['ij,jk->ik', T(2, 3)], {}, ctx), /has 2 operands but 1 tensor was given/],
    ['einsum sizes', () => FUNCTIONS.einsum(['ij,jk->ik', T(2, 3), T(4, 5)], {}, ctx), /index 'j' has inconsistent sizes/],
    ['einsum rank', () => FUNCTIONS.einsum(['ijk,jk->i', T(2, 3), T(2, 3)], {}, ctx), /subscript 'ijk' has 3 indices for a 2-d operand/],
    ['sdpa gqa', () => FUNCTIONS.scaled_dot_product_attention([T(2, 32, 16, 64), T(2, 8, 16, 64), T(2, 8, 16, 64)], {}, ctx), /pass enable_gqa=True/],
    ['sdpa head dim', () => FUNCTIONS.scaled_dot_product_attention([T(2, 4, 16, 64), T(2, 4, 16, 32), T(2, 4, 16, 32)], {}, ctx), /same head dim/],
    ['sdpa mask with causal', () => FUNCTIONS.scaled_dot_product_attention([T(1, 1, 4, 8), T(1, 1, 4, 8), T(1, 1, 4, 8)], { attn_mask: T(4, 4), is_causal: true }, ctx), /must not be set when is_causal=True/],
    ['broadcast', () => FUNCTIONS.add([T(2, 3), T(4)], {}, ctx), 'torch.add: shapes [2, 3] and [4] cannot be broadcast together'],
    ['cat sizes', () => FUNCTIONS.cat([[T(2, 3), T(2, 4)]], {}, ctx), 'torch.cat: sizes must match except in dim 0, got [2, 3], [2, 4]'],
    ['stack shapes', () => FUNCTIONS.stack([[T(2, 3), T(2, 4)]], {}, ctx), /all tensors must have the same shape/],
    ['split sections', () => FUNCTIONS.split([T(10, 4), [3, 3]], {}, ctx), /split sizes \(3, 3\) must sum to 10/],
    ['transpose dim', () => METHODS.transpose([T(2, 3), 0, 2], {}, ctx), /dim 2 out of range for a 2-d tensor \[2, 3\] \(expected \[-2, 1\]\)/],
    ['permute length', () => METHODS.permute([T(2, 3, 4), 0, 1], {}, ctx), /number of dims \(0, 1\) doesn't match the 3-d input \[2, 3, 4\]/],
    ['expand non-1', () => METHODS.expand([T(3, 2), 3, 4], {}, ctx), /cannot expand \[3, 2\] to \(3, 4\): dim 1 has size 2, not 1/],
    ['topk k', () => FUNCTIONS.topk([T(2, 5), 7], {}, ctx), /k \(7\) is larger than dim 1 of \[2, 5\]/],
    ['interpolate both', () => FUNCTIONS.interpolate([T(1, 3, 8, 8)], { size: 4, scale_factor: 2 }, ctx), /exactly one of size or scale_factor/],
    ['interpolate mode', () => FUNCTIONS.interpolate([T(1, 3, 8)], { size: 4, mode: 'bilinear' }, ctx), /mode 'bilinear' needs a 4-D input/],
    ['masked_fill grows input', () => FUNCTIONS.masked_fill([T(3, 4), T(2, 3, 4), 0], {}, ctx), /doesn't match the broadcast shape \[2, 3, 4\]/],
    ['where(cond)', () => FUNCTIONS.where([T(3)], {}, ctx), /data-dependent/],
    ['item of many', () => METHODS.item([T(2, 3)], {}, ctx), /6 elements \[2, 3\] cannot be converted/],
    ['in-place broadcast', () => METHODS.add_([T(6), T(4, 6)], {}, ctx), /output with shape \[6\] doesn't match the broadcast shape \[4, 6\]/],
    ['unknown tensor', () => FUNCTIONS.relu([undefined], {}, ctx), /input is unknown/],
    ['not a tensor', () => FUNCTIONS.relu([3], {}, ctx), /input must be a tensor, got 3/],
  ] as const)('%s', (_name, run, expected) => {
    const e = errorOf(run());
    if (typeof expected === 'string') expect(e).toBe(expected);
    else expect(e).toMatch(expected);
  });
});

describe('view / reshape -1 inference', () => {
  test.each([
    [[4, 5, 6], [2, -1], [2, 60]],
    [[4, 5, 6], [-1], [120]],
    [[4, 5, 6], [-1, 5, 6], [4, 5, 6]],
    [[0, 5], [-1, 5], [0, 5]],
    [[2, 3], [], undefined],
  ] as const)('%j.view(%j) = %j', (from, to, out) => {
    const r = METHODS.view([T(...from), ...to], {}, ctx);
    if (out === undefined) expect(isOpError(r)).toBe(true);
    else expect(isOpError(r) ? r.error : (r.output as TensorArg).shape).toEqual(out);
  });
  test.each([
    [[4, 5, 6], [7, -1], 'Tensor.view (input [4, 5, 6]): shape (7, -1) is invalid for input of size 120 ([4, 5, 6])'],
    [[4, 5, 6], [-1, -1], 'Tensor.view (input [4, 5, 6]): only one dimension can be inferred (-1) in (-1, -1)'],
    [[4, 5, 6], [2, 3], 'Tensor.view (input [4, 5, 6]): shape (2, 3) is invalid for input of size 120 ([4, 5, 6])'],
    [[4, 5, 6], [2, -3], 'Tensor.view (input [4, 5, 6]): invalid shape dimension -3 in (2, -3)'],
    [[4, 5, 6], [2, undefined], 'Tensor.view (input [4, 5, 6]): size unknown at position 1 is not a known integer'],
  ] as const)('%j.view(%j) fails', (from, to, msg) => expect(errorOf(METHODS.view([T(...from), ...to], {}, ctx))).toBe(msg));
  test('reshape takes a tuple or varargs; torch.reshape a tuple', () => {
    expect((FUNCTIONS.reshape([T(2, 6), [3, -1]], {}, ctx) as { output: TensorArg }).output.shape).toEqual([3, 4]);
    expect((METHODS.reshape([T(2, 6), [3, -1]], {}, ctx) as { output: TensorArg }).output.shape).toEqual([3, 4]);
  });
});

describe('bindArgs follows the PyTorch signature', () => {
  test('positional order and defaults', () => {
    expect(bindArgs(LAYERS.Conv2d, [3, 64, 3, 1, 1], {})).toEqual({
      in_channels: 3, out_channels: 64, kernel_size: 3, stride: 1, padding: 1, dilation: 1, groups: 1, bias: true, padding_mode: 'zeros', device: null, dtype: null,
    });
    expect(bindArgs(LAYERS.ConvTranspose2d, [16, 33, 3, 2, 1, 1], {})).toMatchObject({ stride: 2, padding: 1, output_padding: 1, groups: 1, dilation: 1 });
    expect(bindArgs(LAYERS.RNN, [10, 20, 2, 'relu'], {})).toMatchObject({ num_layers: 2, nonlinearity: 'relu', bias: true });
    expect(bindArgs(LAYERS.LSTM, [10, 20], { batch_first: true })).toMatchObject({ num_layers: 1, batch_first: true, proj_size: 0 });
    expect(bindArgs(LAYERS.MaxPool2d, [3], {})).toMatchObject({ kernel_size: 3, stride: null, padding: 0, ceil_mode: false });
    expect(bindArgs(LAYERS.TransformerEncoderLayer, [512, 8], {})).toMatchObject({ dim_feedforward: 2048, dropout: 0.1, activation: 'relu', batch_first: false });
    expect(bindArgs(LAYERS.Linear, [10, 5], { device: 'cuda', dtype: 'torch.float16' })).toMatchObject({ device: 'cuda', dtype: 'torch.float16' });
  });
  test('unknown values stay unknown', () => {
    expect(bindArgs(LAYERS.Linear, [undefined, 10], {})).toMatchObject({ in_features: undefined, out_features: 10 });
  });
  test.each([
    [LAYERS.Linear, [1, 2, true, null, null, 5], {}, 'nn.Linear takes at most 5 positional arguments (6 given)'],
    [LAYERS.Linear, [1], {}, "nn.Linear missing required argument 'out_features'"],
    [LAYERS.Linear, [1, 2], { bias_: false }, "nn.Linear got an unexpected keyword argument 'bias_'"],
    [LAYERS.Linear, [1, 2], { in_features: 3 }, "nn.Linear got multiple values for argument 'in_features'"],
  ] as const)('errors: %#', (def, pos, kw, msg) => expect(bindArgs(def, pos as unknown as Arg[], kw as Record<string, Arg>)).toEqual({ error: msg }));
  test('variadic layers', () => {
    expect('error' in bindArgs(LAYERS.Identity, [54], { unused_argument1: 0.1 })).toBe(false);
    expect(LAYERS.Sequential.container).toBe(true);
    expect(LAYERS.ModuleList.container).toBe(true);
    expect(LAYERS.ModuleDict.container).toBe(true);
  });
  test('function signatures: positional, keyword, defaults', () => {
    const r = FUNCTIONS.conv2d([T(1, 3, 8, 8), T(4, 3, 3, 3), null, 2, 1], {}, ctx);
    expect(isOpError(r) ? r.error : (r.output as TensorArg).shape).toEqual([1, 4, 4, 4]);
    expect(errorOf(FUNCTIONS.softmax([T(2, 3)], { dimm: 1 }, ctx))).toBe("F.softmax got an unexpected keyword argument 'dimm'");
    expect(errorOf(FUNCTIONS.mm([T(2, 3)], {}, ctx))).toBe("torch.mm missing required argument 'mat2'");
  });
});

describe('name resolution', () => {
  test.each(['torch.nn.functional.relu', 'F.relu', 'torch.relu', 'nn.functional.relu'])('%s → relu', (n) => expect(resolveFunction(n)?.key).toBe('relu'));
  test('aliases and misses', () => {
    expect(resolveFunction('torch.concat')?.def).toBe(FUNCTIONS.cat);
    expect(resolveFunction('torch.clip')?.def).toBe(FUNCTIONS.clamp);
    expect(resolveFunction('torch.nn.Transformer.generate_square_subsequent_mask')?.key).toBe('generate_square_subsequent_mask');
    expect(resolveFunction('torch.toString')).toBeUndefined();
    expect(resolveFunction('torch.constructor')).toBeUndefined();
    expect(resolveLayer('torch.nn.Linear')).toBe(LAYERS.Linear);
    expect(resolveLayer('nn.Nope')).toBeUndefined();
  });
});

describe('coverage of the brief', () => {
  test.each([
    'Linear', 'Bilinear', 'LazyLinear', 'Identity', 'Flatten', 'Unflatten', 'Conv1d', 'Conv2d', 'Conv3d', 'ConvTranspose1d', 'ConvTranspose2d', 'ConvTranspose3d',
    'BatchNorm1d', 'BatchNorm2d', 'BatchNorm3d', 'LayerNorm', 'GroupNorm', 'InstanceNorm1d', 'InstanceNorm2d', 'InstanceNorm3d', 'RMSNorm', 'LocalResponseNorm',
    'Embedding', 'EmbeddingBag', 'LSTM', 'GRU', 'RNN', 'LSTMCell', 'GRUCell', 'RNNCell', 'MultiheadAttention', 'TransformerEncoderLayer', 'TransformerDecoderLayer',
    'TransformerEncoder', 'TransformerDecoder', 'Transformer', 'MaxPool1d', 'MaxPool2d', 'MaxPool3d', 'AvgPool1d', 'AvgPool2d', 'AvgPool3d',
    'AdaptiveAvgPool1d', 'AdaptiveAvgPool2d', 'AdaptiveAvgPool3d', 'AdaptiveMaxPool1d', 'AdaptiveMaxPool2d', 'AdaptiveMaxPool3d', 'Upsample', 'UpsamplingNearest2d',
    'UpsamplingBilinear2d', 'PixelShuffle', 'ReLU', 'ReLU6', 'LeakyReLU', 'PReLU', 'ELU', 'SELU', 'GELU', 'SiLU', 'Mish', 'Sigmoid', 'Tanh', 'Softplus', 'Hardswish',
    'Hardsigmoid', 'Softmax', 'LogSoftmax', 'GLU', 'Dropout', 'Dropout1d', 'Dropout2d', 'AlphaDropout', 'CrossEntropyLoss', 'NLLLoss', 'MSELoss', 'L1Loss', 'BCELoss',
    'BCEWithLogitsLoss', 'SmoothL1Loss', 'HuberLoss', 'KLDivLoss', 'CosineEmbeddingLoss', 'ZeroPad2d', 'ConstantPad2d', 'ReflectionPad2d', 'Sequential', 'ModuleList', 'ModuleDict',
  ])('nn.%s', (n) => expect(LAYERS[n]?.name).toBe(n));
  test.each([
    'relu', 'gelu', 'silu', 'sigmoid', 'tanh', 'softmax', 'log_softmax', 'dropout', 'linear', 'conv1d', 'conv2d', 'layer_norm', 'group_norm', 'batch_norm', 'rms_norm',
    'embedding', 'scaled_dot_product_attention', 'matmul', 'mm', 'bmm', 'einsum', 'baddbmm', 'addmm', 'cat', 'stack', 'split', 'chunk', 'max_pool2d', 'avg_pool2d',
    'adaptive_avg_pool2d', 'interpolate', 'pad', 'cross_entropy', 'mse_loss', 'nll_loss', 'binary_cross_entropy', 'binary_cross_entropy_with_logits', 'normalize',
    'flatten', 'reshape', 'transpose', 'permute', 'mean', 'sum', 'add', 'mul', 'sub', 'div', 'exp', 'log', 'sqrt', 'rsqrt', 'pow', 'where', 'masked_fill', 'topk',
    'argmax', 'multinomial', 'zeros', 'ones', 'randn', 'rand', 'randint', 'arange', 'empty', 'full', 'zeros_like', 'ones_like', 'randn_like', 'rand_like', 'empty_like',
    'full_like', 'tril', 'triu', 'outer', 'cumsum', 'clamp', 'abs', 'cos', 'sin',
  ])('F/torch.%s', (n) => expect(typeof FUNCTIONS[n]).toBe('function'));
  test.each([
    'view', 'reshape', 'flatten', 'unflatten', 'transpose', 'permute', 'contiguous', 'split', 'chunk', 'unsqueeze', 'squeeze', 'expand', 'expand_as', 'repeat', 'mean',
    'sum', 'max', 'min', 'softmax', 'relu', 'sigmoid', 'tanh', 'float', 'half', 'bfloat16', 'to', 'type_as', 'masked_fill', 'size', 'dim', 'numel', 't', 'T', 'mT',
    'matmul', 'add', 'mul', 'sub', 'div', 'pow', 'exp', 'sqrt', 'norm', 'view_as', 'reshape_as', 'narrow', 'index_select', 'gather', 'detach', 'clone', 'cpu', 'cuda',
    'item', 'tolist', 'unbind', 'flip', 'roll',
  ])('Tensor.%s', (n) => expect(typeof METHODS[n]).toBe('function'));
});

describe('never throws', () => {
  const junk: Arg[] = [undefined, null, 0, -1, 3, 2.5, 'x', 'same', true, [], [1, -1], [undefined], T(), T(0), T(3), T(2, 3), T(1, 3, 8, 8),
    { kind: 'module', layer: 'Nope', args: {} }, 2, [2, 3], T(4, 4), 'mean', 1, [-2], -3, 0.5];
  const pick = (i: number): Arg => junk[i % junk.length];
  const badShape = (v: Arg): boolean => (isTensor(v) ? v.shape.some((n) => !Number.isInteger(n) || n < 0) : Array.isArray(v) ? v.some(badShape) : false);
  /** A success must carry well-formed shapes and non-negative, finite costs. */
  const check = (r: OpOutcome, what: string) => {
    if (isOpError(r)) return;
    expect(badShape(r.output), `${what} output ${JSON.stringify(r.output)}`).toBe(false);
    for (const c of r.costs) {
      for (const k of ['forwardFlops', 'backwardFlops', 'bytesRead', 'bytesWritten', 'savedBytes', 'params'] as const) {
        expect(Number.isFinite(c[k]) && c[k] >= 0, `${what} ${c.kind}.${k} = ${c[k]}`).toBe(true);
      }
    }
  };
  test('every function and method with junk arguments returns a value', () => {
    for (const table of [FUNCTIONS, METHODS]) {
      for (const [name, f] of Object.entries(table)) {
        for (let i = 0; i < 200; i++) {
          const args = Array.from({ length: i % 5 }, (_, j) => pick(i * 7 + j * 3));
          const kw: Record<string, Arg> = i % 3 === 0 ? { dim: pick(i) } : {};
          let r: OpOutcome | undefined;
          expect(() => { r = f(args, kw, ctx); }, `${name}(${i})`).not.toThrow();
          expect(r).toBeDefined();
          check(r as OpOutcome, `${name}(${JSON.stringify(args)}, ${JSON.stringify(kw)})`);
        }
      }
    }
  });
  test('every layer with junk constructor arguments and inputs returns a value', () => {
    for (const [name, def] of Object.entries(LAYERS)) {
      for (let i = 0; i < 150; i++) {
        const ctor = Array.from({ length: i % 4 }, (_, j) => pick(i * 5 + j));
        const bound = bindArgs(def, ctor, {});
        const a = 'error' in bound ? Object.fromEntries(def.signature.map(([n], j) => [n, pick(i + j)])) : bound;
        expect(() => def.paramCount(a), name).not.toThrow();
        expect(() => def.paramShapes?.(a), name).not.toThrow();
        expect(() => def.guessInput?.(a, 4, 16), name).not.toThrow();
        const inputs = [pick(i), pick(i + 1), pick(i + 2)].slice(0, 1 + (i % 3));
        let r: OpOutcome | undefined;
        expect(() => { r = def.forward(a, inputs, {}, ctx); }, name).not.toThrow();
        check(r as OpOutcome, `nn.${name}(${JSON.stringify(a)}) on ${JSON.stringify(inputs)}`);
      }
    }
  });
});
