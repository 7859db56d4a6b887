/**
 * Properties of the op table for random valid arguments: every layer, function and tensor method, and the
 * primitive cost rules, give finite, non-negative parameters, FLOPs and bytes, and their FLOPs and bytes
 * never fall when the batch grows. Cases come from a seeded generator, so a failure names the seed and the
 * arguments that reproduce it. FLOPLENS_PROPERTY_CASES sets the cases per op (default 8).
 */
import { describe, expect, it } from 'vitest';
import { bindArgs, FUNCTIONS, LAYERS, METHODS } from '../../src/core/ops/index';
import type { Arg, CallContext, FunctionDef, LayerDef, OpOutcome, TensorArg } from '../../src/core/ops/registry';
import { isOpError, REQUIRED } from '../../src/core/ops/registry';
import { isErr } from '../../src/core/ops/shapes';
import type { Cost } from '../../src/core/ops/primitives';
import {
  attentionCost, convCost, copyCost, elementwiseCost, embeddingCost, linearCost, matmulCost, normCost, reduceCost,
} from '../../src/core/ops/primitives';

const CASES = Number(process.env.FLOPLENS_PROPERTY_CASES ?? 8);
const BATCHES = [1, 2, 3, 8, 17, 64];

/** xorshift32, as in fuzz.test.ts: a case is reproduced from its seed. */
function rng(seed: number) {
  let s = seed >>> 0 || 1;
  const next = () => {
    s ^= s << 13; s >>>= 0;
    s ^= s >> 17;
    s ^= s << 5; s >>>= 0;
    return s / 4294967296;
  };
  return {
    int: (lo: number, hi: number) => lo + Math.floor(next() * (hi - lo + 1)),
    bool: () => next() < 0.5,
    pick: <T>(xs: readonly T[]): T => xs[Math.floor(next() * xs.length)],
  };
}
type Rng = ReturnType<typeof rng>;

const tensor = (shape: number[]): TensorArg => ({ kind: 'tensor', shape });
const CTX: CallContext = { dtype: 'fp32', training: true };

interface Totals { flops: number; backward: number; bytes: number; saved: number; params: number; costs: Cost[] }

function totals(r: OpOutcome): Totals | undefined {
  if (isOpError(r)) return undefined;
  const t: Totals = { flops: 0, backward: 0, bytes: 0, saved: 0, params: 0, costs: r.costs };
  for (const c of r.costs) {
    t.flops += c.forwardFlops;
    t.backward += c.backwardFlops;
    t.bytes += c.bytesRead + c.bytesWritten;
    t.saved += c.savedBytes;
    t.params += c.params;
  }
  return t;
}

/** Every number of every cost is finite and ≥ 0, and output shapes are non-negative integers. */
function expectSane(costs: Cost[], what: string): void {
  for (const c of costs) {
    for (const k of ['params', 'forwardFlops', 'backwardFlops', 'bytesRead', 'bytesWritten', 'savedBytes'] as const) {
      const v = c[k];
      expect(Number.isFinite(v) && v >= 0, `${what}: ${c.kind}.${k} = ${v}`).toBe(true);
    }
    expect(c.outputShape.every((d) => Number.isInteger(d) && d >= 0), `${what}: ${c.kind} output ${JSON.stringify(c.outputShape)}`).toBe(true);
  }
}

/** Flops, backward flops and bytes never fall as the batch grows; parameters do not depend on it. */
function expectMonotone(runs: { batch: number; t: Totals }[], what: string): void {
  for (let i = 1; i < runs.length; i++) {
    const a = runs[i - 1], b = runs[i];
    const at = `${what}: batch ${a.batch} → ${b.batch}`;
    expect(b.t.flops, `${at}: forward FLOPs`).toBeGreaterThanOrEqual(a.t.flops);
    expect(b.t.backward, `${at}: backward FLOPs`).toBeGreaterThanOrEqual(a.t.backward);
    expect(b.t.bytes, `${at}: bytes`).toBeGreaterThanOrEqual(a.t.bytes);
    expect(b.t.saved, `${at}: saved activations`).toBeGreaterThanOrEqual(a.t.saved);
    expect(b.t.params, `${at}: params`).toBe(a.t.params);
  }
}

// ---------------------------------------------------------------------------------------------------------------
// Layers: constructor arguments by parameter name, inputs from the layer's own guess or from its family.

interface LayerCase { args: Record<string, Arg>; seq: number; spatial: number; feature: number }

/** Random valid constructor arguments for `def`, or undefined when a required parameter has no generator. */
function layerCase(def: LayerDef, r: Rng): LayerCase | undefined {
  const heads = r.int(1, 4);
  const model = heads * r.int(1, 8) * 2;
  const groups = r.int(1, 4);
  const channels = groups * r.int(1, 6);
  const feature = r.int(1, 48);
  const required: Record<string, () => Arg> = {
    in_features: () => feature, in1_features: () => r.int(1, 32), in2_features: () => r.int(1, 32), out_features: () => r.int(1, 48),
    in_channels: () => channels, out_channels: () => r.int(1, 24), num_features: () => channels, num_channels: () => channels,
    num_groups: () => groups, num_embeddings: () => r.int(1, 500), embedding_dim: () => r.int(1, 64),
    input_size: () => feature, hidden_size: () => r.int(1, 48), embed_dim: () => model, num_heads: () => heads,
    d_model: () => model, nhead: () => heads, num_layers: () => r.int(1, 3), kernel_size: () => r.int(1, 3),
    normalized_shape: () => feature, size: () => r.int(1, 5), output_size: () => r.int(1, 4), padding: () => r.int(0, 2),
    upscale_factor: () => 2, downscale_factor: () => 2, value: () => 0.5, threshold: () => 0.1,
    dim: () => 1, unflattened_size: () => [2, r.int(1, 8)],
    encoder_layer: () => moduleArg('TransformerEncoderLayer', [model, heads], { dim_feedforward: r.int(1, 64), batch_first: true }),
    decoder_layer: () => moduleArg('TransformerDecoderLayer', [model, heads], { dim_feedforward: r.int(1, 64), batch_first: true }),
  };
  const optional: Record<string, () => Arg> = {
    bias: () => r.bool(), batch_first: () => r.bool(), bidirectional: () => r.bool(), stride: () => r.int(1, 2),
    dilation: () => r.int(1, 2), dim_feedforward: () => r.int(1, 64), norm_first: () => r.bool(), affine: () => r.bool(),
    elementwise_affine: () => r.bool(), dropout: () => r.pick([0, 0.1]), p: () => r.pick([0, 0.5]),
  };
  const kwargs: Record<string, Arg> = {};
  for (const [name, dflt] of def.signature) {
    if (name.startsWith('*')) continue;
    if (dflt === REQUIRED) {
      const gen = required[name];
      if (!gen) return undefined;
      kwargs[name] = gen();
    } else if (optional[name] && r.bool()) {
      kwargs[name] = optional[name]();
    } else if (name === 'scale_factor') {
      kwargs[name] = r.int(1, 3);
    } else if (name === 'num_layers' && typeof dflt === 'number') {
      kwargs[name] = r.int(1, 2);
    } else if (name === 'padding' && def.name.startsWith('Conv')) {
      kwargs[name] = r.int(0, 2);
    }
  }
  const args = bindArgs(def, [], kwargs);
  if (isErr(args)) throw new Error(`nn.${def.name}: cannot bind ${JSON.stringify(kwargs)}: ${args.error}`);
  return { args, seq: r.int(1, 12), spatial: r.int(6, 12), feature };
}

function moduleArg(layer: string, positional: Arg[], kwargs: Record<string, Arg>): Arg {
  const args = bindArgs(LAYERS[layer], positional, kwargs);
  if (isErr(args)) throw new Error(args.error);
  return { kind: 'module', layer, args };
}

/** Candidate inputs of a layer for a batch, in order of preference; the first that applies is used for every batch. */
function layerInputs(def: LayerDef, c: LayerCase, batch: number): Arg[][] {
  const a = c.args;
  const n = (v: Arg) => (typeof v === 'number' ? v : undefined);
  const ch = n(a.in_channels) ?? n(a.num_features) ?? n(a.num_channels) ?? 4;
  const s = c.spatial;
  const last = n(a.normalized_shape) ?? c.feature;
  const out: Arg[][] = [];
  const guess = def.guessInput?.(a, batch, c.seq);
  if (guess) out.push(guess.map(tensor));
  // `Conv2d`, `BatchNorm3d`, `MaxPool1d`…: the batched rank first (rank N+1 is the unbatched form, whose first dim is channels).
  const nd = Number(/(\d)d$/.exec(def.name)?.[1] ?? 0);
  if (nd) out.push([tensor([batch, ch, ...Array(nd).fill(s)])]);
  out.push(
    [tensor([batch, ch, s])], [tensor([batch, ch, s, s])], [tensor([batch, ch, s, s, s])], [tensor([batch, ch * 4, s, s])],
    [tensor([batch, last])], [tensor([batch, c.seq, last])],
    [tensor([batch, last]), tensor([batch, last])], [tensor([batch, last]), tensor([batch])],
    [tensor([batch, last]), tensor([batch, last]), tensor([batch])],
  );
  return out;
}

describe('op table properties: layers', () => {
  it(`every nn layer with generated arguments: finite, non-negative costs, monotone in batch (${CASES} cases each)`, () => {
    const covered: string[] = [];
    const uncovered: string[] = [];
    let checks = 0;
    for (const def of Object.values(LAYERS)) {
      if (def.container) continue;
      let hit = false;
      for (let k = 0; k < CASES; k++) {
        const seed = 1000 * (k + 1) + def.name.length;
        const r = rng(seed);
        const c = layerCase(def, r);
        if (!c) break;
        const what = `nn.${def.name} seed ${seed} args ${JSON.stringify(c.args)}`;
        const params = def.paramCount(c.args);
        expect(Number.isFinite(params) && params >= 0, `${what}: paramCount ${params}`).toBe(true);
        const candidates = layerInputs(def, c, 4).length;
        let chosen = -1;
        for (let i = 0; i < candidates && chosen < 0; i++) {
          if (totals(def.forward(c.args, layerInputs(def, c, 4)[i], {}, CTX))) chosen = i;
        }
        if (chosen < 0) continue;
        const runs: { batch: number; t: Totals }[] = [];
        for (const batch of BATCHES) {
          const inputs = layerInputs(def, c, batch)[chosen];
          const t = totals(def.forward(c.args, inputs, {}, CTX));
          if (!t) continue;
          expectSane(t.costs, `${what} inputs ${JSON.stringify(inputs)}`);
          // A layer's costs carry its parameters once per call (lazy layers size them from the input).
          if (!def.name.startsWith('Lazy')) expect(t.params, `${what}: params of the costs vs paramCount`).toBe(params);
          runs.push({ batch, t });
        }
        expectMonotone(runs, what);
        checks += runs.length;
        hit ||= runs.length > 1;
      }
      (hit ? covered : uncovered).push(def.name);
    }
    console.log(`op properties: ${covered.length} layers checked (${checks} calls); not reached by the generator: ${uncovered.join(', ') || 'none'}`);
    expect(uncovered).toEqual([]);
  });
});

// ---------------------------------------------------------------------------------------------------------------
// Functions and tensor methods: call patterns over tensors whose first dim is the batch.

interface Pattern { name: string; call: (b: number) => { args: Arg[]; kwargs: Record<string, Arg> } }

function patterns(r: Rng): Pattern[] {
  const n = r.int(2, 8);
  const c = r.int(1, 4);
  const rest = r.pick([[n], [n, n], [c, n, n]]);
  const X = (b: number) => tensor([b, ...rest]);
  const X2 = (b: number) => tensor([b, n]);
  const X3 = (b: number) => tensor([b, n, n]);
  const X4 = (b: number) => tensor([b, c, n, n]);
  const P = (name: string, call: (b: number) => Arg[], kwargs: Record<string, Arg> = {}): Pattern => ({ name, call: (b) => ({ args: call(b), kwargs }) });
  return [
    P('x', (b) => [X(b)]),
    P('x, x', (b) => [X(b), X(b)]),
    P('x, rest', (b) => [X(b), tensor(rest)]),
    P('x, -1', (b) => [X(b), -1]),
    P('x, 1', (b) => [X(b), 1]),
    P('x, 2', (b) => [X(b), 2]),
    P('x, 0.5', (b) => [X(b), 0.5]),
    P('x, 0, 1', (b) => [X(b), 0, 1]),
    P('x, x, x', (b) => [X(b), X(b), X(b)]),
    P('[x, x]', (b) => [[X(b), X(b)]]),
    P('[x, x], 1', (b) => [[X(b), X(b)], 1]),
    P('x2, w', (b) => [X2(b), tensor([n, n])]),
    P('x3, x3', (b) => [X3(b), X3(b)]),
    P('x3, x3, x3', (b) => [X3(b), X3(b), X3(b)]),
    P('x4, x4, x4', (b) => [X4(b), X4(b), X4(b)]),
    P('einsum', (b) => ['bij,bjk->bik', X3(b), X3(b)]),
    P('conv', (b) => [tensor([b, c, n]), tensor([c, c, 1])]),
    P('conv2d', (b) => [X4(b), tensor([c, c, 1, 1])]),
    P('x4, 2', (b) => [X4(b), 2]),
    P('x4, 1', (b) => [X4(b), 1]),
    P('x4, scale 2', (b) => [X4(b)], { scale_factor: 2 }),
    P('x, [1, 1]', (b) => [X(b), [1, 1]]),
    P('x, [n]', (b) => [X(b), [rest[rest.length - 1]]]),
    P('x2, target', (b) => [X2(b), tensor([b])]),
    P('x2, x2, target', (b) => [X2(b), X2(b), tensor([b])]),
    P('x4, mean, var', (b) => [X4(b), tensor([c]), tensor([c])]),
    P('ids, table', (b) => [X2(b), tensor([50, n])]),
    P('x, dim=-1', (b) => [X(b)], { dim: -1 }),
    P('v, v', (b) => [tensor([b]), tensor([b])]),
    P('m, x2, w', (b) => [X2(b), X2(b), tensor([n, n])]),
    P('x, dims…', (b) => [X(b), ...[0, ...rest.keys()].map((_, i) => i)]),
    P('x, 1, 0, 1', (b) => [X(b), rest.length, 0, 1]),
    P('x, 0, idx', (b) => [X(b), 0, tensor([2])]),
    P('x, 1, idx', (b) => [X(b), rest.length, X(b)]),
    P('x, -1, rest…', (b) => [X(b), -1, ...rest]),
    P('x, shape', (b) => [X(b), [b, ...rest]]),
    P('x2, 1, [1, n]', (b) => [X2(b), 1, [1, n]]),
    P('x5, w5', (b) => [tensor([b, c, n, n, n]), tensor([c, c, 1, 1, 1])]),
    P('b', (b) => [b]),
    P('b, n', (b) => [b, n]),
    P('[b, n]', (b) => [[b, n]]),
  ];
}

function checkCallables(kind: string, table: Record<string, FunctionDef>): { covered: number; total: number; uncovered: string[]; checks: number } {
  const uncovered: string[] = [];
  let covered = 0;
  let checks = 0;
  for (const [name, fn] of Object.entries(table)) {
    let hit = false;
    for (let k = 0; k < CASES; k++) {
      const seed = 7919 * (k + 1) + name.length;
      const ps = patterns(rng(seed));
      const p = ps.find((q) => {
        const { args, kwargs } = q.call(4);
        return totals(fn(args, kwargs, CTX)) !== undefined;
      });
      if (!p) continue;
      const what = `${kind} ${name} (${p.name}) seed ${seed}`;
      const runs: { batch: number; t: Totals }[] = [];
      for (const batch of BATCHES) {
        const { args, kwargs } = p.call(batch);
        const t = totals(fn(args, kwargs, CTX));
        if (!t) continue;
        expectSane(t.costs, `${what} args ${JSON.stringify(args)}`);
        runs.push({ batch, t });
      }
      expectMonotone(runs, what);
      checks += runs.length;
      hit ||= runs.length > 1;
    }
    if (hit) covered++;
    else uncovered.push(name);
  }
  return { covered, total: Object.keys(table).length, uncovered, checks };
}

describe('op table properties: functions and tensor methods', () => {
  it.each([['function', FUNCTIONS], ['method', METHODS]] as const)('every %s with generated tensors: finite, non-negative costs, monotone in batch', (kind, table) => {
    const r = checkCallables(kind, table);
    console.log(`op properties: ${r.covered}/${r.total} ${kind}s checked (${r.checks} calls); not reached: ${r.uncovered.join(', ') || 'none'}`);
    expect(r.covered / r.total).toBeGreaterThan(0.95);
  });
});

// ---------------------------------------------------------------------------------------------------------------
// Primitive cost rules, including sizes where totals reach 1e20 and beyond.

describe('op table properties: primitives', () => {
  const dtypes = ['fp32', 'fp16', 'bf16', 'fp8', 'int8', 'tf32'] as const;
  type Prim = { name: string; cost: (r: Rng, batch: number, scale: number) => Cost };
  // Each rule draws its sizes from `r` first, so two calls with the same seed differ only in the batch.
  const PRIMS: Prim[] = [
    { name: 'linearCost', cost: (r, b, s) => { const [i, o, t, bias, d] = [r.int(1, s), r.int(1, s), r.int(1, 64), r.bool(), r.pick(dtypes)]; return linearCost([b, t, i], i, o, { dtype: d, bias }); } },
    { name: 'matmulCost', cost: (r, b, s) => { const [m, k, n, d] = [r.int(1, s), r.int(1, s), r.int(1, s), r.pick(dtypes)]; return matmulCost([b, m, k], [k, n], d); } },
    { name: 'attentionCost', cost: (r, b, s) => { const h = r.int(1, 16), kv = r.pick([1, h]), sq = r.int(1, s), sk = r.pick([sq, r.int(1, s)]), hd = r.int(1, 128), causal = r.bool(), mat = r.bool(), d = r.pick(dtypes); return attentionCost({ batch: b, heads: h, kvHeads: kv, seqQ: sq, seqK: sk, headDim: hd }, d, { causal, materialized: mat }); } },
    { name: 'convCost', cost: (r, b, s) => { const g = r.int(1, 4), ci = g * r.int(1, 8), co = g * r.int(1, 8), k = r.int(1, 5), st = r.int(1, 3), p = r.int(0, 2), dl = r.int(1, 2), hw = k * dl + r.int(1, Math.max(1, Math.sqrt(s))), tr = r.bool(), bias = r.bool(), d = r.pick(dtypes);
      // Valid arguments only (convApply rejects an empty output before costing): transposed padding within the output.
      const pad = tr ? Math.min(p, Math.floor(((hw - 1) * st + dl * (k - 1)) / 2)) : p;
      return convCost([b, ci, hw, hw], { dtype: d, inChannels: ci, outChannels: co, kernel: [k, k], stride: [st, st], padding: [pad, pad], dilation: [dl, dl], groups: g, bias, transposed: tr }); } },
    { name: 'elementwiseCost', cost: (r, b, s) => { const n = r.int(1, s), f = r.int(0, 8), i = r.int(1, 3), d = r.pick(dtypes); return elementwiseCost('relu', [b, n], d, f, i); } },
    { name: 'normCost', cost: (r, b, s) => { const n = r.int(1, s), d = r.pick(dtypes); return normCost('layer_norm', [b, n], 2 * n, d); } },
    { name: 'embeddingCost', cost: (r, b, s) => { const t = r.int(1, s), v = r.int(1, s), dim = r.int(1, 4096), d = r.pick(dtypes); return embeddingCost([b, t], v, dim, d); } },
    { name: 'reduceCost', cost: (r, b, s) => { const n = r.int(1, s), d = r.pick(dtypes); return reduceCost('max_pool', 'pool', [b, n, n], [b, n], d); } },
    { name: 'copyCost', cost: (r, b, s) => { const n = r.int(1, s), d = r.pick(dtypes); return copyCost('cat', [b, n], d); } },
  ];

  it.each(PRIMS.map((p) => [p.name, p] as const))('%s: finite, non-negative, monotone in batch, at small and huge sizes', (_name, prim) => {
    for (const scale of [64, 65_536]) {
      for (let k = 0; k < CASES * 4; k++) {
        const seed = 31 * (k + 1) + scale;
        const batches = scale > 64 ? [1, 512, 8192] : BATCHES;
        const runs = batches.map((batch) => {
          const c = prim.cost(rng(seed), batch, scale);
          return { batch, t: totals({ costs: [c], output: undefined })! };
        });
        for (const run of runs) expectSane(run.t.costs, `${prim.name} seed ${seed} scale ${scale} batch ${run.batch}`);
        expectMonotone(runs, `${prim.name} seed ${seed} scale ${scale}`);
      }
    }
  });
});

// ---------------------------------------------------------------------------------------------------------------
// Hostile sizes: 10**12 for any integer argument or dimension. Found by `npm run fuzz`: `nn.LSTM(…, num_layers=10**12)`
// looped per layer forever, `x.split(1)` on a 10**12 dim tried to build 10**12 tensors. Each call must answer at
// once, with sane costs or an error.

describe('op table properties: huge arguments never hang', () => {
  const HUGE = 10 ** 12;
  const SLOW_MS = 1000;
  function timed(what: string, call: () => OpOutcome | number | unknown): void {
    const t0 = performance.now();
    const r = call();
    const ms = performance.now() - t0;
    expect(ms, `${what} took ${ms.toFixed(0)} ms`).toBeLessThan(SLOW_MS);
    if (typeof r === 'number') expect(Number.isNaN(r) || r >= 0, `${what}: ${r}`).toBe(true);
    else if (r && typeof r === 'object' && 'costs' in r) expectSane((r as { costs: Cost[] }).costs, what);
  }

  it('every layer with any one integer argument at 10**12', () => {
    let calls = 0;
    for (const def of Object.values(LAYERS)) {
      if (def.container) continue;
      for (const [huge] of def.signature.filter(([, d]) => typeof d === 'number' || d === REQUIRED)) {
        const kwargs: Record<string, Arg> = {};
        for (const [name, d] of def.signature) if (d === REQUIRED && !name.startsWith('*')) kwargs[name] = 4;
        kwargs[huge] = HUGE;
        const a = bindArgs(def, [], kwargs);
        if (isErr(a)) continue;
        const what = `nn.${def.name}(${huge}=10**12)`;
        timed(`${what}.paramCount`, () => def.paramCount(a));
        timed(`${what}.paramShapes`, () => def.paramShapes?.(a));
        for (const inputs of [def.guessInput?.(a, 2, 3), [[2, 4]], [[2, 4, 4]], [[2, 4, 4, 4]]]) {
          if (!inputs) continue;
          timed(`${what} on ${JSON.stringify(inputs)}`, () => def.forward(a, inputs.map(tensor), {}, CTX));
          calls++;
        }
      }
    }
    expect(calls).toBeGreaterThan(300);
  });

  it.each([['function', FUNCTIONS], ['method', METHODS]] as const)('every %s on a 10**12 dimension or with 10**12 arguments', (kind, table) => {
    const argLists: Arg[][] = [
      [tensor([HUGE, 2])], [tensor([HUGE, 2]), 1], [tensor([HUGE, 2]), 0], [tensor([2, HUGE]), 1, 1], [tensor([HUGE, 2]), HUGE],
      [HUGE], [HUGE, 2], [tensor([2, 2]), HUGE, HUGE], [[tensor([HUGE, 2]), tensor([HUGE, 2])]],
      // Zero kernels and strides (PyTorch rejects them): an error, never a division by zero.
      [tensor([2, 2, 4, 4]), tensor([2, 2, 1, 1]), null, 0], [tensor([2, 2, 4, 4]), 0], [tensor([2, 2, 4, 4]), 2, 0],
    ];
    for (const [name, fn] of Object.entries(table)) {
      for (const args of argLists) timed(`${kind} ${name}(${JSON.stringify(args).slice(0, 80)})`, () => fn(args, {}, CTX));
    }
  });
});
