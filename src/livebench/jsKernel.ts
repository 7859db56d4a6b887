/** The plain-JS CPU kernels (`js-1`, `js-n`): `matmulTile` on a pool of workers, or on the calling thread. */
import { CPU_J_BLOCK, CPU_K_BLOCK, matmulTile } from './matmul';
import type { KernelId } from './report';
import type { BenchKernel, Product } from './sweep';
import type { RowPool } from './worker';

const NOTE = `cache-blocked (k ${CPU_K_BLOCK} × j ${CPU_J_BLOCK}) Float32Array matmul with a 4×4 register tile, plain JS`;

/** The JS kernel on `threads` workers (one worker for `js-1` keeps the UI thread free). */
export function pooledJsKernel(id: KernelId, label: string, makePool: () => RowPool): BenchKernel {
  return pooledKernel({ id, label, backend: 'js', note: NOTE }, makePool);
}

/**
 * A kernel run by a `RowPool` of workers (the JS kernel, the SIMD kernel). `share` copies an input into memory
 * the workers share (SharedArrayBuffer), when the host allows it; otherwise inputs are copied to each worker.
 */
export function pooledKernel(
  o: { id: KernelId; label: string; backend: string; note: string }, makePool: () => RowPool, share?: (m: Float32Array) => Float32Array,
): BenchKernel {
  let pool: RowPool | undefined;
  const threads = (): number => (pool ??= makePool()).threads;
  return {
    info: { id: o.id, label: o.label, device: 'cpu', backend: o.backend, threads: threads(), note: o.note },
    async prepare(n, a, b) {
      await (pool ??= makePool()).setInputs(share ? share(a) : a, share ? share(b) : b, n);
      return { compileSeconds: 0 };
    },
    run(): Promise<Product> {
      if (!pool) throw new Error('not prepared');
      return pool.multiply();
    },
    async release() {},
    async dispose() {
      pool?.dispose();
      pool = undefined;
    },
  };
}

/** The JS kernel on the calling thread (used when workers are unavailable). */
export function inlineJsKernel(id: KernelId, label: string): BenchKernel {
  let n = 0;
  let a: Float32Array = new Float32Array(0), b: Float32Array = new Float32Array(0);
  return {
    info: { id, label, device: 'cpu', backend: 'js', threads: 1, note: `${NOTE}; on the UI thread because workers are unavailable` },
    async prepare(size, ma, mb) {
      n = size;
      a = ma;
      b = mb;
      return { compileSeconds: 0 };
    },
    async run(): Promise<Product> {
      const c = new Float32Array(n * n);
      matmulTile(a, b, c, n, 0, n, CPU_K_BLOCK, CPU_J_BLOCK);
      return c;
    },
    async release() {},
    async dispose() {},
  };
}
