/** The WebAssembly SIMD sgemm kernel (src/livebench/simd.ts): correct at every shape, in-thread and on worker_threads. */
import { describe, expect, it } from 'vitest';
import { checkProduct, randomMatrix, sampleReference } from '../../src/livebench/matmul';
import { detectSimd, SIMD_KC, SIMD_SHAPE, simdGemmBand, simdModuleBytes } from '../../src/livebench/simd';
import { simdNote, simdWorkerSource } from '../../src/livebench/simdKernel';
import { nodeRowPool, nodeSimdSupport } from '../../src/livebench/node/nodeBench';

const support = nodeSimdSupport();

function instance(relaxed: boolean, shape = SIMD_SHAPE) {
  const mem = new WebAssembly.Memory({ initial: 1 });
  const exp = new WebAssembly.Instance(new WebAssembly.Module(simdModuleBytes({ ...shape, relaxed })), { env: { mem } }).exports as unknown as Parameters<typeof simdGemmBand>[0];
  return { mem, exp };
}

describe.skipIf(!support.simd)('WebAssembly SIMD kernel', () => {
  it('detects SIMD on Node 20 and relaxed SIMD once the V8 flag is set', () => {
    expect(support.simd).toBe(true);
    expect(detectSimd()).toEqual(support);
    expect(simdNote(support, true)).toContain(support.relaxed ? 'relaxed_madd' : 'no FMA');
  });

  for (const relaxed of [false, true]) {
    it.skipIf(relaxed && !support.relaxed)(`${relaxed ? 'relaxed FMA' : 'mul + add'}: matches a float64 reference at sizes off every tile and block edge`, () => {
      const { mem, exp } = instance(relaxed);
      for (const n of [1, 3, 4, 5, 12, 13, 37, 100, SIMD_KC + 3]) {
        const a = randomMatrix(n, 11 + n), b = randomMatrix(n, 12 + n);
        const c = new Float32Array(n * n).fill(Number.NaN);
        simdGemmBand(exp, mem, a, b, c, n, 0, n, SIMD_SHAPE.mr, SIMD_SHAPE.nr, SIMD_SHAPE.unroll, SIMD_KC);
        const check = checkProduct(c, sampleReference(a, b, n, n * n), 1e-5);
        expect(check.correct, `n = ${n}: ${check.maxRelError}`).toBe(true);
      }
    });
  }

  it('computes a band of rows into a band-sized output, and other tile shapes agree', () => {
    const n = 70, row0 = 8, row1 = 31;
    const a = randomMatrix(n, 5), b = randomMatrix(n, 6);
    const ref = sampleReference(a, b, n, n * n);
    for (const shape of [SIMD_SHAPE, { mr: 4, nr: 8, unroll: 4 }, { mr: 6, nr: 8, unroll: 1 }, { mr: 3, nr: 16, unroll: 2 }]) {
      const { mem, exp } = instance(false, shape);
      const band = new Float32Array((row1 - row0) * n);
      simdGemmBand(exp, mem, a, b, band, n, row0, row1, shape.mr, shape.nr, shape.unroll, 32);
      for (let s = 0; s < ref.index.length; s++) {
        const i = Math.floor(ref.index[s] / n), j = ref.index[s] % n;
        if (i >= row0 && i < row1) expect(Math.abs(band[(i - row0) * n + j] - ref.value[s])).toBeLessThan(1e-4);
      }
    }
  });

  it('runs on a pool of worker_threads from its own source text (inputs in shared memory)', async () => {
    const n = 96;
    const pool = nodeRowPool(2, simdWorkerSource('node', support.relaxed));
    try {
      const a = randomMatrix(n, 1), b = randomMatrix(n, 2);
      const sa = new Float32Array(new SharedArrayBuffer(a.byteLength)); sa.set(a);
      const sb = new Float32Array(new SharedArrayBuffer(b.byteLength)); sb.set(b);
      await pool.setInputs(sa, sb, n);
      const c = await pool.multiply();
      expect(checkProduct(c, sampleReference(a, b, n), 1e-5).correct).toBe(true);
    } finally {
      pool.dispose();
    }
  });

  it('packs B once for the chunks of one product: reuseB keeps the packed B of the previous call', () => {
    const n = 300, split = 138; // k-blocks of SIMD_KC and a partial last one; chunks off the tile edges
    const a = randomMatrix(n, 21), b = randomMatrix(n, 22), other = randomMatrix(n, 23);
    const { mem, exp } = instance(support.relaxed);
    const c = new Float32Array(n * n);
    const { mr, nr, unroll } = SIMD_SHAPE;
    simdGemmBand(exp, mem, a, b, c.subarray(0, split * n), n, 0, split, mr, nr, unroll, SIMD_KC);
    // Handed another B with reuseB, the kernel still multiplies by the packed first one: the reuse is real.
    simdGemmBand(exp, mem, a, other, c.subarray(split * n), n, split, n, mr, nr, unroll, SIMD_KC, true);
    expect(checkProduct(c, sampleReference(a, b, n, n * n), 1e-5).correct).toBe(true);
  });

  for (const inShared of [true, false]) {
    it(`on a pool, splits a large product into chunks across workers and repacks B for every product (${inShared ? 'shared memory: chunks from a shared counter' : 'copied inputs: chunks by message'})`, async () => {
      const n = 640; // chunkRows(640, 2): 8 chunks of 80 rows
      const pool = nodeRowPool(2, simdWorkerSource('node', support.relaxed));
      const put = (m: Float32Array): Float32Array => {
        if (!inShared) return m;
        const x = new Float32Array(new SharedArrayBuffer(m.byteLength));
        x.set(m);
        return x;
      };
      try {
        for (const seed of [1, 2]) {
          const a = randomMatrix(n, 10 * seed), b = randomMatrix(n, 10 * seed + 1);
          await pool.setInputs(put(a), put(b), n);
          const ref = sampleReference(a, b, n, 4096);
          for (let run = 0; run < 2; run++) {
            const c = await pool.multiply();
            expect(c.buffer instanceof SharedArrayBuffer).toBe(inShared);
            expect(checkProduct(c, ref, 1e-5).correct, `seed ${seed} run ${run}`).toBe(true);
          }
        }
      } finally {
        pool.dispose();
      }
    });
  }

  it('rejects a tile width that is not whole vectors', () => {
    expect(() => simdModuleBytes({ mr: 4, nr: 6, unroll: 1, relaxed: false })).toThrow(/shape/);
  });
});
