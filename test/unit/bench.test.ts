import { describe, expect, it } from 'vitest';
import { toThisMachineInput } from '../../src/livebench/calibration';
import { formatSpeedup } from '../../src/core/format';
import { formatGflops, summarySentences } from '../../src/livebench/format';
import { checkProduct, flattenRows, matmulCpu, matmulTile, randomMatrix, sampleReference } from '../../src/livebench/matmul';
import { classifyRenderer, defaultMaxSize, parseSizes, softwareCapNote, sweepSizes } from '../../src/livebench/policy';
import { benchToHostSchema, hostToBenchSchema, runRequestSchema } from '../../src/livebench/protocol';
import { BENCH_TOLERANCE, benchReportSchema, parseBenchReport, type BenchReport, type KernelInfo, type KernelResult } from '../../src/livebench/report';
import { spread, summarize } from '../../src/livebench/stats';
import { assembleReport, findCrossover, runSweep, summarizeSizes, type BenchKernel, type SweepContext } from '../../src/livebench/sweep';
import { chunkRows, matmulWorkerSource, MIN_CHUNK_FLOP } from '../../src/livebench/worker';

function naive(a: Float32Array, b: Float32Array, n: number): Float64Array {
  const c = new Float64Array(n * n);
  for (let i = 0; i < n; i++) for (let j = 0; j < n; j++) {
    let s = 0;
    for (let k = 0; k < n; k++) s += a[i * n + k] * b[k * n + j];
    c[i * n + j] = s;
  }
  return c;
}

const CONTEXT: SweepContext = {
  host: 'node',
  environment: { cpuCores: 2 },
  renderer: { api: 'webgl2', vendor: 'Google', renderer: 'ANGLE (SwiftShader Device)', software: true, softwareName: 'SwiftShader' },
  gpu: { mode: 'webgl2', onGpu: true, reason: 'test' },
  notes: [],
};

const KERNELS: KernelInfo[] = [
  { id: 'gpujs', label: 'gpu.js', device: 'gpu', backend: 'webgl2', threads: 1 },
  { id: 'js-1', label: 'JS 1', device: 'cpu', backend: 'js', threads: 1 },
  { id: 'js-n', label: 'JS n', device: 'cpu', backend: 'js', threads: 2 },
];

/** A result with the fields a test does not care about filled in. */
function result(kernel: KernelResult['kernel'], n: number, gflops: number, extra: Partial<KernelResult> = {}): KernelResult {
  return { kernel, n, status: 'ok', runs: 3, gflops, endToEndGflops: gflops, correct: true, maxRelError: 1e-7, ...extra };
}

describe('CPU matmul kernel', () => {
  it.each([1, 3, 4, 5, 7, 16, 17, 33, 64, 130])('matches a float64 triple loop at n = %i', (n) => {
    const a = randomMatrix(n, 1), b = randomMatrix(n, 2);
    const c = matmulCpu(a, b, n);
    const ref = naive(a, b, n);
    for (let p = 0; p < n * n; p++) expect(Math.abs(c[p] - ref[p])).toBeLessThan(1e-4 * Math.max(1, Math.abs(ref[p])) * Math.sqrt(n));
  });

  it('computes a band of rows into a band-sized buffer', () => {
    const n = 37, a = randomMatrix(n, 3), b = randomMatrix(n, 4);
    const full = matmulCpu(a, b, n);
    const band = new Float32Array(10 * n);
    matmulTile(a, b, band, n, 12, 22, 8, 16);
    for (let p = 0; p < band.length; p++) expect(band[p]).toBeCloseTo(full[12 * n + p], 4);
  });

  it('chunks rows for the pool: one band per worker for small products, about 4 chunks per worker for large ones, on multiples of 4, every row once', () => {
    expect(chunkRows(100, 1)).toEqual([[0, 100]]);
    expect(chunkRows(0, 2)).toEqual([]);
    expect(chunkRows(256, 2)).toEqual([[0, 128], [128, 256]]);
    expect(chunkRows(5, 2)).toEqual([[0, 4], [4, 5]]);
    expect(chunkRows(1024, 2)).toHaveLength(8);
    expect(chunkRows(2048, 2)).toHaveLength(8);
    // Chunks from a shared counter cost no message: small products are split too.
    expect(chunkRows(256, 2, MIN_CHUNK_FLOP.shared)).toHaveLength(8);
    for (const [n, workers] of [[128, 2], [130, 3], [8, 4], [5, 2], [512, 2], [1024, 7], [2048, 2], [4096, 16]]) {
      const chunks = chunkRows(n, workers);
      expect(chunks[0][0]).toBe(0);
      expect(chunks.at(-1)?.[1]).toBe(n);
      for (let i = 1; i < chunks.length; i++) expect(chunks[i][0]).toBe(chunks[i - 1][1]);
      for (const [r0, r1] of chunks) {
        expect(r0 % 4).toBe(0);
        expect(r1).toBeGreaterThan(r0);
      }
      expect(chunks.length).toBeLessThanOrEqual(4 * workers + 1);
    }
  });

  it('ships a self-contained worker source for both hosts', () => {
    for (const host of ['browser', 'node'] as const) {
      const src = matmulWorkerSource(host);
      expect(() => new Function(src)).not.toThrow();
      expect(src).toContain('const tile = function');
    }
    expect(matmulWorkerSource('browser')).not.toContain('require(');
  });
});

describe('inputs and correctness check', () => {
  it('generates the same matrix for the same seed, entries in [-1, 1)', () => {
    const a = randomMatrix(16, 42), b = randomMatrix(16, 42), c = randomMatrix(16, 43);
    expect(a).toEqual(b);
    expect(a).not.toEqual(c);
    expect(Math.min(...a)).toBeGreaterThanOrEqual(-1);
    expect(Math.max(...a)).toBeLessThan(1);
  });

  it('samples every entry of small products and a spread of large ones', () => {
    const n = 8, a = randomMatrix(n, 1), b = randomMatrix(n, 2);
    expect(sampleReference(a, b, n).index).toHaveLength(64);
    const big = sampleReference(randomMatrix(128, 1), randomMatrix(128, 2), 128, 512);
    expect(big.index).toHaveLength(512);
    const rows = new Set([...big.index].map((p) => Math.floor(p / 128)));
    const cols = new Set([...big.index].map((p) => p % 128));
    expect(rows.size).toBeGreaterThan(64);
    expect(cols.size).toBeGreaterThan(64);
  });

  it('accepts a float32 product, rejects a perturbed one and any NaN', () => {
    const n = 64, a = randomMatrix(n, 1), b = randomMatrix(n, 2);
    const ref = sampleReference(a, b, n);
    const c = matmulCpu(a, b, n);
    const ok = checkProduct(c, ref, BENCH_TOLERANCE);
    expect(ok.correct).toBe(true);
    expect(ok.maxRelError).toBeLessThan(1e-6);
    const bad = c.slice();
    bad[ref.index[5]] += 0.01 * ref.scale;
    expect(checkProduct(bad, ref, BENCH_TOLERANCE)).toMatchObject({ correct: false });
    const nan = c.slice();
    nan[3] = NaN;
    expect(checkProduct(nan, ref, BENCH_TOLERANCE)).toEqual({ maxRelError: Infinity, correct: false });
    expect(checkProduct(c.subarray(1), ref, BENCH_TOLERANCE).correct).toBe(false);
  });

  it('flattens gpu.js row arrays', () => {
    expect(flattenRows([new Float32Array([1, 2]), new Float32Array([3, 4])], 2)).toEqual(new Float32Array([1, 2, 3, 4]));
  });
});

describe('timing statistics', () => {
  it('takes the median, min and max', () => {
    expect(summarize([3, 1, 2])).toEqual({ median: 2, min: 1, max: 3, runs: 3 });
    expect(summarize([4, 1, 2, 3])?.median).toBe(2.5);
    expect(summarize([])).toBeUndefined();
    expect(spread({ median: 2, min: 1.9, max: 2.1, runs: 3 })).toBeCloseTo(0.1);
  });
});

describe('crossover', () => {
  const sizes = [128, 256, 512, 1024];
  const cases: [string, number[], number[], { status: string; size: number | null }][] = [
    ['GPU wins from 512', [0.5, 0.9, 3, 9], [2, 2, 2, 2], { status: 'crossover', size: 512 }],
    ['GPU wins everywhere', [5, 6, 7, 8], [2, 2, 2, 2], { status: 'gpu-everywhere', size: 128 }],
    ['CPU wins everywhere', [0.1, 0.1, 0.1, 0.1], [2, 2, 2, 2], { status: 'cpu-everywhere', size: null }],
    ['mixed, GPU holds from 1024', [3, 1, 1, 3], [2, 2, 2, 2], { status: 'mixed', size: 1024 }],
    ['mixed, CPU last', [1, 3, 3, 1], [2, 2, 2, 2], { status: 'mixed', size: null }],
  ];
  it.each(cases)('%s', (_name, gpu, cpu, expected) => {
    const results = sizes.flatMap((n, i) => [result('gpujs', n, gpu[i]), result('js-n', n, cpu[i])]);
    const perSize = summarizeSizes(KERNELS, sizes, results);
    expect(findCrossover(perSize, (s) => s.ratio)).toEqual(expected);
  });

  it('ignores incorrect results and reports no-gpu when gpu.js ran on the CPU', () => {
    const results = [result('gpujs', 128, 9, { correct: false }), result('js-1', 128, 1), result('js-n', 128, 1.5)];
    const perSize = summarizeSizes(KERNELS, [128], results);
    expect(perSize[0].gpu).toBeNull();
    expect(perSize[0].bestCpu).toEqual({ kernel: 'js-n', gflops: 1.5 });
    expect(findCrossover(perSize, (s) => s.ratio).status).toBe('no-gpu');
  });

  it('keeps the end-to-end ratio apart from the compute ratio', () => {
    const results = [result('gpujs', 256, 10, { endToEndGflops: 1 }), result('js-n', 256, 2)];
    const [s] = summarizeSizes(KERNELS, [256], results);
    expect(s.ratio).toBe(5);
    expect(s.ratioEndToEnd).toBe(0.5);
    expect(s.flops).toBe(2 * 256 ** 3);
  });
});

describe('report, calibration, wording', () => {
  const report = assembleReport(CONTEXT, KERNELS, [128, 256], [
    result('gpujs', 128, 0.1), result('js-1', 128, 2), result('js-n', 128, 3),
    result('gpujs', 256, 0.12, { computeSeconds: 0.2, uploadSeconds: 0.01, readbackSeconds: 0.01 }), result('js-1', 256, 2.5), result('js-n', 256, 4.5, { correct: false }),
  ], 'complete', 12.5);

  it('assembles a report that passes its own schema and survives JSON', () => {
    expect(benchReportSchema.safeParse(report).success).toBe(true);
    const back = parseBenchReport(JSON.parse(JSON.stringify(report)));
    expect(back.ok).toBe(true);
    expect(parseBenchReport({ ...report, version: 2 }).ok).toBe(false);
    expect(parseBenchReport({ ...report, sizes: [3] }).ok).toBe(false);
  });

  it('turns a complete report into the this-machine input: best correct rates, GFLOP/s', () => {
    expect(toThisMachineInput(report)).toEqual({
      gpuGflops: 0.12, cpuGflops: 3, cpuCores: 2, renderer: 'ANGLE (SwiftShader Device)', date: report.date, softwareRenderer: true,
    });
    expect(toThisMachineInput({ ...report, status: 'cancelled' })).toBeUndefined();
    const noGpu: BenchReport = { ...report, kernels: KERNELS.filter((k) => k.id !== 'gpujs'), results: report.results.filter((r) => r.kernel !== 'gpujs') };
    expect(toThisMachineInput(noGpu)?.gpuGflops).toBeNull();
    expect(toThisMachineInput({ ...report, results: [] })).toBeUndefined();
  });

  it('says the CPU wins and names the software rasteriser', () => {
    const text = summarySentences(report).join(' ');
    expect(text).toContain('the CPU wins at every measured size');
    expect(text).toContain('SwiftShader');
  });

  it('formats rates and ratios', () => {
    expect(formatGflops(0.0442)).toBe('44.2 MFLOP/s');
    expect(formatGflops(4.31)).toBe('4.31 GFLOP/s');
    expect(formatGflops(1250)).toBe('1.25 TFLOP/s');
    expect(formatGflops(undefined)).toBe('–');
    expect(formatSpeedup(3.2)).toBe('×3.2');
    expect(formatSpeedup(0.25)).toBe('÷4');
    expect(formatSpeedup(null)).toBe('–');
  });
});

describe('renderer and sweep policy', () => {
  it.each([
    ['ANGLE (Google, Vulkan 1.3.0 (SwiftShader Device (Subzero) (0x0000C0DE)), SwiftShader driver)', 'Google Inc. (Google)', 'SwiftShader'],
    ['llvmpipe (LLVM 15.0.6, 256 bits)', 'Mesa', 'llvmpipe'],
    ['ANGLE (Microsoft, Microsoft Basic Render Driver Direct3D11 vs_5_0 ps_5_0)', 'Google Inc. (Microsoft)', 'Microsoft Basic Render Driver (WARP)'],
    ['ANGLE (Intel, Vulkan 1.3 (lavapipe))', 'Mesa', 'lavapipe'],
  ])('flags %s as software', (renderer, vendor, name) => {
    expect(classifyRenderer(renderer, vendor)).toEqual({ software: true, softwareName: name });
  });

  it.each([
    ['ANGLE (NVIDIA, NVIDIA GeForce RTX 4090 Direct3D11 vs_5_0 ps_5_0, D3D11)', 'Google Inc. (NVIDIA)'],
    ['Apple M2 Pro', 'Apple'],
    ['Mesa Intel(R) UHD Graphics 620 (KBL GT2)', 'Intel'],
    ['AMD Radeon Pro 5500M OpenGL Engine', 'ATI Technologies Inc.'],
  ])('treats %s as hardware', (renderer, vendor) => {
    expect(classifyRenderer(renderer, vendor).software).toBe(false);
  });

  it('caps the default sweep on software renderers', () => {
    expect(defaultMaxSize(true)).toBeLessThan(defaultMaxSize(false));
    expect(sweepSizes(defaultMaxSize(false), false)).toEqual([128, 256, 512, 1024]);
    expect(sweepSizes(defaultMaxSize(true), true)).toEqual([64, 128, 256, 512]);
    expect(sweepSizes(2048, false)).toEqual([128, 256, 512, 1024, 2048]);
  });

  it('the software-rasteriser note names the size the sweep stops at, as chosen (it said 512 beside a 256 choice)', () => {
    expect(softwareCapNote('SwiftShader', 256)).toMatch(/The sweep stops at n = 256; pick a larger size/);
    expect(softwareCapNote('SwiftShader', defaultMaxSize(true))).toMatch(new RegExp(`stops at n = ${defaultMaxSize(true)} \\(the default here\\)`));
  });

  it('parses --sizes', () => {
    expect(parseSizes('512, 128,256,128')).toEqual([128, 256, 512]);
    expect(parseSizes('100')).toEqual([100]);
    expect(parseSizes('130')).toHaveProperty('error');
    expect(parseSizes('abc')).toHaveProperty('error');
    expect(parseSizes('')).toHaveProperty('error');
  });
});

describe('messages', () => {
  it('validates run requests and messages both ways', () => {
    expect(runRequestSchema.safeParse({ sizes: [64, 128], auto: true }).success).toBe(true);
    expect(runRequestSchema.safeParse({ sizes: [66] }).success).toBe(false);
    expect(runRequestSchema.safeParse({ sizes: [] }).success).toBe(false);
    expect(hostToBenchSchema.safeParse({ type: 'start', request: { maxSize: 512 } }).success).toBe(true);
    expect(hostToBenchSchema.safeParse({ type: 'start' }).success).toBe(false);
    expect(benchToHostSchema.safeParse({ type: 'ready' }).success).toBe(true);
    expect(benchToHostSchema.safeParse({ type: 'result', report: { version: 1 } }).success).toBe(false);
    expect(benchToHostSchema.safeParse({ type: 'nope' }).success).toBe(false);
  });
});

/** A kernel with scripted timings: `seconds(n)` per run, and a product that is right or wrong. */
function fakeKernel(info: KernelInfo, seconds: (n: number) => number, clock: { t: number }, opts: { wrong?: boolean; failAt?: number } = {}): BenchKernel & { runs: number } {
  let a: Float32Array = new Float32Array(0), b: Float32Array = new Float32Array(0), n = 0;
  const k = {
    info,
    runs: 0,
    async prepare(size: number, ma: Float32Array, mb: Float32Array) {
      if (size === opts.failAt) throw new Error(`boom at ${size}`);
      n = size; a = ma; b = mb;
      return { compileSeconds: 0.001 };
    },
    async run() {
      k.runs++;
      clock.t += seconds(n);
      const c = matmulCpu(a, b, n);
      if (opts.wrong) c[0] += 1;
      return c;
    },
    async release() {},
    async dispose() {},
  };
  return k;
}

describe('sweep', () => {
  it('times each kernel at each size, skips what would blow the budget, and records failures', async () => {
    const clock = { t: 0 };
    const slow = fakeKernel(KERNELS[0], (n) => (n / 32) ** 3 * 0.5, clock);
    const fast = fakeKernel(KERNELS[1], () => 0.001, clock);
    const broken = fakeKernel(KERNELS[2], () => 0.001, clock, { failAt: 64 });
    const progress: string[] = [];
    const report = await runSweep([slow, fast, broken], {
      sizes: [64, 32, 128], now: () => clock.t, maxKernelSeconds: 30, yieldToHost: async () => undefined,
      onProgress: (p) => progress.push(p.message),
    }, { ...CONTEXT, notes: ['a note'] });
    expect(report.sizes).toEqual([32, 64, 128]);
    const get = (k: string, n: number) => report.results.find((r) => r.kernel === k && r.n === n);
    expect(get('gpujs', 32)).toMatchObject({ status: 'ok', runs: 4, correct: true, medianSeconds: 0.5 });
    expect(get('gpujs', 32)?.gflops).toBeCloseTo((2 * 32 ** 3) / 0.5 / 1e9);
    expect(get('gpujs', 64)).toMatchObject({ status: 'ok', medianSeconds: 4 });
    expect(get('gpujs', 128)?.status).toBe('skipped');
    expect(get('gpujs', 128)?.reason).toMatch(/projected 32 s per product/);
    expect(get('js-1', 128)).toMatchObject({ status: 'ok', runs: 10 });
    expect(get('js-n', 64)).toMatchObject({ status: 'failed', reason: 'boom at 64' });
    expect(get('js-n', 128)?.status).toBe('ok');
    expect(report.status).toBe('complete');
    expect(report.notes).toEqual(['a note']);
    expect(progress.at(-1)).toBe('done');
    expect(benchReportSchema.safeParse(report).success).toBe(true);
  });

  it('flags a wrong product and leaves it out of the comparison', async () => {
    const clock = { t: 0 };
    const report = await runSweep([fakeKernel(KERNELS[0], () => 0.0001, clock, { wrong: true }), fakeKernel(KERNELS[1], () => 0.01, clock)],
      { sizes: [16], now: () => clock.t, yieldToHost: async () => undefined }, CONTEXT);
    expect(report.results[0]).toMatchObject({ kernel: 'gpujs', correct: false });
    expect(report.perSize[0].gpu).toBeNull();
  });

  it('stops at a cancel and keeps what was measured', async () => {
    const clock = { t: 0 };
    const k = fakeKernel(KERNELS[1], () => 0.001, clock);
    let cancel = false;
    const report = await runSweep([k], {
      sizes: [16, 32], now: () => clock.t, yieldToHost: async () => undefined, isCancelled: () => cancel,
      onResult: () => { cancel = true; },
    }, CONTEXT);
    expect(report.status).toBe('cancelled');
    expect(report.results.map((r) => [r.n, r.status])).toEqual([[16, 'ok'], [32, 'cancelled']]);
    expect(report.notes.at(-1)).toMatch(/Cancelled/);
    expect(toThisMachineInput(report)).toBeUndefined();
  });
});
