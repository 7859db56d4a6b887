/**
 * Serving economics (src/core/serve): the seeds' claims read off FlopLens for a script, the traffic
 * directives, the LLM serving model (KV cache from GQA heads, quantisation, tensor parallel, batch 1), and
 * bad input giving a message and finite figures.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { describe, expect, it } from 'vitest';
import { analyze } from '../../src/core/analyze';
import type { Analysis } from '../../src/core/types';
import type { ServingDevice } from '../../src/core/serve/types';
import { parseDuration, parseRate, SECONDS_PER_MONTH } from '../../src/core/serve';

const ROOT = path.resolve(__dirname, '../..');
const read = (p: string) => fs.readFileSync(path.join(ROOT, p), 'utf8');
const CHAT = read('examples/chat_generate.py');
const DIFFUSION = read('examples/sd_image_gen.py');
const TRAIN = read('test/fixtures/scripts/nanogpt_shakespeare_char.py');
/** A small classifier answering one request at a time. */
const SMALL_MLP = [
  'import torch',
  'import torch.nn as nn',
  'model = nn.Sequential(nn.Linear(64, 256), nn.ReLU(), nn.Linear(256, 256), nn.ReLU(), nn.Linear(256, 10))',
  'model.eval()',
  'x = torch.randn(1, 64)',
  'with torch.no_grad():',
  '    y = model(x)',
].join('\n');

function run(text: string, directive = '', hardware?: string): Analysis {
  const head = [directive, hardware ? `hardware=${hardware}` : ''].filter(Boolean).join(' ');
  return analyze({ text: head ? `# floplens: ${head}\n${text}` : text, file: 'serve.py' });
}
const dev = (a: Analysis, id: string): ServingDevice => {
  const d = a.serving?.perDevice.find((x) => x.hardwareId === id);
  if (!d) throw new Error(`no serving figures for ${id}`);
  return d;
};
const cheapest = (a: Analysis, kind: 'cpu' | 'gpu'): ServingDevice | undefined => a.serving!.perDevice
  .filter((d) => d.kind === kind && d.meetsTarget && d.monthlyCostUsd !== undefined)
  .sort((x, y) => x.monthlyCostUsd! - y.monthlyCostUsd!)[0];

/** Every number anywhere in the serving object is finite and not negative. */
function expectFinite(v: unknown, where = 'serving'): void {
  if (typeof v === 'number') {
    expect(Number.isFinite(v), where).toBe(true);
    expect(v, where).toBeGreaterThanOrEqual(0);
  } else if (Array.isArray(v)) v.forEach((x, i) => expectFinite(x, `${where}[${i}]`));
  else if (v && typeof v === 'object') for (const [k, x] of Object.entries(v)) expectFinite(x, `${where}.${k}`);
}

describe('traffic text', () => {
  it.each([
    ['20', 20], ['20/s', 20], ['1200/min', 20], ['72k/h', 20], ['50k/day', 50_000 / 86_400], ['1e6/month', 1e6 / SECONDS_PER_MONTH], ['0.5 rps', 0.5],
  ])('rate %s → %f req/s', (text, rps) => expect(parseRate(text)).toBeCloseTo(rps, 9));
  it.each(['', 'fast', '-3/s', '0', '5/fortnight', '1e400'])('rate %j is refused', (text) => expect(parseRate(text)).toBeUndefined());
  it.each([['1s', 1], ['200ms', 0.2], ['0.05', 0.05], ['2min', 120], ['500us', 5e-4]])('duration %s → %f s', (text, s) => expect(parseDuration(text)).toBeCloseTo(s, 12));
  it.each(['', 'soon', '-1s', '0ms', '3 days'])('duration %j is refused', (text) => expect(parseDuration(text)).toBeUndefined());
});

describe('the seeds\' claims', () => {
  it('a small model at low traffic is cheaper on a CPU', () => {
    const a = run(SMALL_MLP, 'rate=2/min');
    expect(a.serving?.kind).toBe('items');
    const cpu = cheapest(a, 'cpu');
    const gpu = cheapest(a, 'gpu');
    expect(cpu && gpu).toBeTruthy();
    expect(cpu!.monthlyCostUsd!).toBeLessThan(gpu!.monthlyCostUsd! / 2);
    expect(cpu!.coresPerReplica).toBeLessThan(16);
    expect(a.serving!.verdict).toMatch(/^At 2,900 req\/day: 1× \d+-core .* slice at \$\d+.*\/month, .* per request; the cheapest GPU costs \$\d+/);
  });

  it('one request at a time can make a GPU lose: launches and the PCIe round trip cost more than the CPU\'s whole request', () => {
    const a = run(SMALL_MLP, 'rate=1');
    const t4 = dev(a, 't4');
    const cpu = dev(a, 'epyc-9654');
    expect(t4.batch).toBe(1);
    expect(cpu.latency.requestSeconds).toBeLessThan(t4.latency.requestSeconds);
    expect(t4.notes.join(' ')).toMatch(/crosses PCIe in and out/);
    // With many requests batched, the GPU's throughput is far above the CPU slice's.
    expect(t4.throughput.value).toBeGreaterThan(5 * cpu.throughput.value);
  });

  it('a chat service\'s monthly cost scales with its traffic', () => {
    const rates = [1, 10, 100, 1000];
    const monthly = rates.map((r) => dev(run(CHAT, `rate=${r}/s`), 'a100-80gb').monthlyCostUsd!);
    for (let i = 1; i < rates.length; i++) expect(monthly[i]).toBeGreaterThanOrEqual(monthly[i - 1]);
    expect(monthly[3] / monthly[1]).toBeGreaterThan(20);
    // Per million tokens it gets cheaper as the devices fill up.
    const perMTok = rates.map((r) => dev(run(CHAT, `rate=${r}/s`), 'a100-80gb').costPerMillionTokensUsd!);
    expect(perMTok[3]).toBeLessThan(perMTok[0] / 5);
    const curve = dev(run(CHAT), 'a100-80gb').costCurve;
    expect(curve.length).toBeGreaterThan(5);
    for (let i = 1; i < curve.length; i++) expect(curve[i].monthlyCostUsd).toBeGreaterThanOrEqual(curve[i - 1].monthlyCostUsd);
  });
});

describe('the LLM serving model', () => {
  it('takes the KV cache from the layers, GQA kv-heads and dtype (Llama 3.1 8B: 2·32·8·128·2 B per token)', () => {
    const a = run(CHAT);
    expect(a.serving?.kvBytesPerToken).toBe(2 * 32 * 8 * 128 * 2);
    expect(run(CHAT, 'kv_dtype=fp8').serving?.kvBytesPerToken).toBe(2 * 32 * 8 * 128);
  });

  it('splits a model over GPUs (tensor parallel) when one cannot hold it, and int4 weights fit on one', () => {
    expect(dev(run(CHAT), 't4').tensorParallel).toBe(2);
    const q = run(CHAT, 'quant=int4 rate=0.1');
    expect(dev(q, 't4').tensorParallel).toBe(1);
    expect(q.serving!.weightBytes).toBeLessThan(run(CHAT).serving!.weightBytes / 3);
  });

  it('one stream is bound by weight streaming: batch-1 tokens/s sits under bandwidth ÷ weight bytes', () => {
    const a = run(CHAT, 'runtime=graph');
    for (const id of ['a100-80gb', 'h100-sxm']) {
      const d = dev(a, id);
      const roof = (id === 'h100-sxm' ? 3.35e12 : 2.039e12) / a.serving!.weightBytes;
      expect(d.singleStream.value).toBeLessThan(roof);
      expect(d.singleStream.value).toBeGreaterThan(roof * 0.3);
    }
  });

  it('batches continuously up to the per-token target or the KV cache', () => {
    const loose = dev(run(CHAT, 'quant=int4 rate=0.1 tpot=200ms'), 't4');
    const tight = dev(run(CHAT, 'quant=int4 rate=0.1 tpot=30ms'), 't4');
    expect(loose.tensorParallel).toBe(1);
    expect(tight.tensorParallel).toBe(1);
    expect(tight.maxBatch).toBeLessThan(loose.maxBatch);
    expect(tight.batchBound).toBe('latency');
    const longCtx = dev(run(CHAT, 'prompt=30000 new_tokens=2000 tpot=1s'), 'a100-80gb');
    expect(longCtx.batchBound).toBe('memory');
  });

  it('a CPU cannot meet a chat target for an 8B model, and the verdict says so', () => {
    const a = run(CHAT, 'rate=20/s');
    expect(dev(a, 'epyc-9654').meetsTarget).toBe(false);
    expect(a.serving!.verdict).toMatch(/^At 20 req\/s: \d+× .* at \$[\d,]+\/month, TTFT \d+ ms; a CPU cannot meet TTFT 1 s and 100 ms\/token\.$/);
  });
});

describe('serving in the analysis', () => {
  it('directives change the figures and are listed as assumptions', () => {
    const a = run(CHAT, 'rate=50k/day ttft=500ms');
    expect(a.serving!.rate).toMatchObject({ source: 'directive' });
    expect(a.serving!.rate.value).toBeCloseTo(50_000 / 86_400, 9);
    expect(a.serving!.latencyTarget.firstTokenSeconds).toBe(0.5);
    expect(a.assumptions.find((x) => x.name === 'rate')).toMatchObject({ source: 'directive', unit: 'req/s' });
    expect(a.assumptions.find((x) => x.name === 'ttft')).toMatchObject({ value: 0.5 });
  });

  it('requests= is a monthly count when no rate is given', () => {
    const a = run(CHAT, 'requests=2630160');
    expect(a.serving!.rate.value).toBeCloseTo(2_630_160 / SECONDS_PER_MONTH, 9);
    expect(a.problems.some((p) => p.code === 'directive-unused')).toBe(false);
  });

  it('diffusion: images per request and a request target', () => {
    const one = dev(run(DIFFUSION), 'a100-80gb');
    const four = dev(run(DIFFUSION, 'items=4'), 'a100-80gb');
    expect(four.latency.requestSeconds).toBeGreaterThan(one.latency.requestSeconds);
    expect(run(DIFFUSION).serving!.latencyTarget.requestSeconds).toBe(30);
    expect(one.costPerThousandItemsUsd).toBeGreaterThan(0);
  });

  it('a traffic key that does not fit the request kind says why', () => {
    const msg = (t: string, d: string) => run(t, d).problems.find((p) => p.code === 'directive-unused')?.message;
    expect(msg(CHAT, 'items=4')).toBe('items=4 applies to classifiers, embedders and diffusion; this script generates text.');
    expect(msg(SMALL_MLP, 'ttft=1s')).toBe('ttft=1s applies to LLM serving; this script does not generate text.');
    expect(msg(CHAT, 'rate=2/s requests=1000')).toBe('requests=1000 is a monthly count used when no rate= is given; rate= sets the rate here.');
  });

  it('training has no serving figures and says the traffic keys do not apply', () => {
    const a = run(TRAIN, 'rate=20/s');
    expect(a.serving).toBeUndefined();
    expect(a.problems.find((p) => p.code === 'directive-unused')?.message).toMatch(/^rate=20\/s applies to serving an inference script; this run is training/);
  });

  it('bad traffic text is named and the default is used; every figure stays finite', () => {
    const a = run(CHAT, 'rate=lots ttft=never');
    expect(a.problems.filter((p) => p.code === 'directive').map((p) => p.message)).toEqual([
      expect.stringMatching(/^rate=lots: expected a request rate/),
      expect.stringMatching(/^ttft=never: expected a duration/),
    ]);
    expect(a.serving!.rate).toMatchObject({ value: 1, source: 'default' });
    expectFinite(a.serving);
    for (const [t, d] of [[SMALL_MLP, 'rate=1e9/s'], [DIFFUSION, 'rate=0.000001/s items=1000000'], [CHAT, 'prompt=100000000 new_tokens=1']] as const) expectFinite(run(t, d).serving);
  });
});
