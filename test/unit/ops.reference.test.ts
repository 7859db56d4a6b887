/**
 * Shapes and parameter counts checked against real PyTorch. `ops-reference/reference.json` is produced by
 * `ops-reference/reference.py` with torch 1.13 (see that script); this test only reads the JSON.
 */
import { describe, expect, test } from 'vitest';
import reference from './ops-reference/reference.json';
import { bindArgs, FUNCTIONS, LAYERS, METHODS } from '../../src/core/ops';
import type { Arg, CallContext, ModuleArg, OpOutcome } from '../../src/core/ops/registry';
import { isOpError, isTensor } from '../../src/core/ops/registry';

type Json = unknown;

const ctx: CallContext = { dtype: 'fp32', training: true };

/** Decode the JSON argument encoding of reference.py into op-table arguments. */
function decode(v: Json): Arg {
  if (Array.isArray(v)) return v.map(decode);
  if (v !== null && typeof v === 'object') {
    const o = v as Record<string, Json>;
    if ('t' in o) return { kind: 'tensor', shape: o.t as number[] };
    if ('i' in o) return { kind: 'tensor', shape: (o.i as [number[], number])[0] };
    if ('module' in o) {
      const def = LAYERS[o.module as string];
      const bound = bindArgs(def, decode(o.args) as Arg[], decodeKw(o.kwargs));
      if ('error' in bound) throw new Error(String(bound.error));
      return { kind: 'module', layer: def.name, args: bound } satisfies ModuleArg;
    }
  }
  return v as Arg;
}

const decodeKw = (kw: Json): Record<string, Arg> =>
  Object.fromEntries(Object.entries((kw ?? {}) as Record<string, Json>).map(([k, v]) => [k, decode(v)]));

/** The op table's output in reference.py's encoding. */
function encode(v: Arg): Json {
  if (isTensor(v)) return { shape: v.shape };
  if (Array.isArray(v)) return v.map(encode);
  return v ?? null;
}

function expectValidCosts(out: OpOutcome): void {
  if (isOpError(out)) return;
  for (const c of out.costs) {
    for (const k of ['params', 'forwardFlops', 'backwardFlops', 'bytesRead', 'bytesWritten', 'savedBytes'] as const) {
      expect(Number.isFinite(c[k]) && c[k] >= 0, `${c.kind}.${k} = ${c[k]}`).toBe(true);
    }
  }
}

interface LayerCase { layer: string; args: Json[]; kwargs: Json; inputs: Json[]; fkwargs: Json; params: number; output: Json }
interface CallCase { fn?: string; method?: string; args: Json[]; kwargs: Json; output: Json }

describe(`layers vs torch ${reference.torch}`, () => {
  const cases = reference.layers as LayerCase[];
  test.each(cases.map((c) => [`nn.${c.layer}(${JSON.stringify(c.args).slice(1, -1)}${Object.keys(c.kwargs as object).length ? `, ${JSON.stringify(c.kwargs)}` : ''})`, c] as const))('%s', (_name, c) => {
    const def = LAYERS[c.layer];
    expect(def, `nn.${c.layer} is in the table`).toBeDefined();
    const a = bindArgs(def, decode(c.args) as Arg[], decodeKw(c.kwargs));
    if ('error' in a) throw new Error(String(a.error));
    expect(def.paramCount(a)).toBe(c.params);
    const shapes = def.paramShapes?.(a) ?? {};
    expect(Object.values(shapes).reduce((s, x) => s + x.reduce((p, n) => p * n, 1), 0)).toBe(def.paramCount(a));
    const out = def.forward(a, decode(c.inputs) as Arg[], decodeKw(c.fkwargs), ctx);
    if (isOpError(out)) throw new Error(out.error);
    expect(encode(out.output)).toEqual(c.output);
    // One call's costs carry the module's parameters exactly once.
    expect(out.costs.reduce((s, x) => s + x.params, 0)).toBe(c.params);
    expectValidCosts(out);
  });
});

describe(`functions vs torch ${reference.torch}`, () => {
  const cases = reference.functions as CallCase[];
  test.each(cases.map((c, i) => [`${i}: ${c.fn}(${JSON.stringify(c.args).slice(1, -1)}) ${JSON.stringify(c.kwargs)}`, c] as const))('%s', (_n, c) => {
    const def = FUNCTIONS[c.fn as string];
    expect(def, `${c.fn} is in the table`).toBeDefined();
    const out = def(decode(c.args) as Arg[], decodeKw(c.kwargs), ctx);
    if (isOpError(out)) throw new Error(out.error);
    expect(encode(out.output)).toEqual(c.output);
    expectValidCosts(out);
  });
});

describe(`methods vs torch ${reference.torch}`, () => {
  const cases = reference.methods as CallCase[];
  test.each(cases.map((c, i) => [`${i}: x.${c.method}(${JSON.stringify(c.args.slice(1)).slice(1, -1)})`, c] as const))('%s', (_n, c) => {
    const def = METHODS[c.method as string];
    expect(def, `Tensor.${c.method} is in the table`).toBeDefined();
    const out = def(decode(c.args) as Arg[], decodeKw(c.kwargs), ctx);
    if (isOpError(out)) throw new Error(out.error);
    expect(encode(out.output)).toEqual(c.output);
    expectValidCosts(out);
  });
});
