/**
 * The WebAssembly SIMD CPU kernels (`simd-1`, `simd-n`): `simdGemmBand` on a pool of workers, each with its own
 * instance of the module from simd.ts. The pool is the JS kernel's `RowPool` (row chunks handed to workers as they
 * finish, `chunkRows`), so the two CPU kernels share their threading; each worker packs B once per product. Inputs go to the workers once per size: as
 * SharedArrayBuffer views when the host allows shared memory (Node; a cross-origin-isolated page), otherwise copied
 * by message passing (a VS Code webview is not cross-origin isolated).
 */
import { SIMD_KC, SIMD_SHAPE, simdGemmBand, simdModuleBytes, type SimdSupport } from './simd';
import type { KernelId } from './report';
import type { BenchKernel } from './sweep';
import { pooledKernel } from './jsKernel';
import type { RowPool } from './worker';
import { workerBody, WORKER_CONNECT } from './worker';

/** Whether this host can hand workers shared memory. */
export function sharedMemoryAvailable(): boolean {
  if (typeof SharedArrayBuffer === 'undefined') return false;
  const g = globalThis as { crossOriginIsolated?: boolean; process?: { versions?: { node?: string } } };
  return g.process?.versions?.node !== undefined || g.crossOriginIsolated === true;
}

/** Source of a worker running the SIMD kernel (a classic Web Worker script or a Node `eval: true` worker). */
export function simdWorkerSource(host: 'browser' | 'node', relaxed: boolean): string {
  const { mr, nr, unroll } = SIMD_SHAPE;
  const bytes = Array.from(simdModuleBytes({ mr, nr, unroll, relaxed })).join(',');
  return `"use strict";
const simdGemmBand = ${simdGemmBand.toString()};
const mem = new WebAssembly.Memory({ initial: 1 });
const exp = new WebAssembly.Instance(new WebAssembly.Module(new Uint8Array([${bytes}])), { env: { mem } }).exports;
let packedFor = 0;
const tile = (a, b, c, n, row0, row1, kBlock, jBlock, product) => {
  simdGemmBand(exp, mem, a, b, c, n, row0, row1, ${mr}, ${nr}, ${unroll}, ${SIMD_KC}, product === packedFor);
  packedFor = product;
};
${WORKER_CONNECT[host]}
(${workerBody.toString()})(tile, connect);
`;
}

/** What the kernel note says about the instructions it runs. */
export function simdNote(support: SimdSupport, shared: boolean): string {
  const { mr, nr } = SIMD_SHAPE;
  return `WebAssembly SIMD (128-bit) sgemm: packed A/B panels, k-blocks of ${SIMD_KC}, ${mr}×${nr} register tile, ` +
    (support.relaxed ? 'f32x4.relaxed_madd (fused multiply-add where the CPU has FMA)' : 'f32x4.mul + f32x4.add (no relaxed SIMD here, so no FMA)') +
    `; inputs ${shared ? 'in shared memory' : 'copied to each worker (no shared memory here)'}`;
}

/** Copies a matrix into shared memory so posting it to workers shares rather than copies it. */
function shared(m: Float32Array): Float32Array {
  const s = new Float32Array(new SharedArrayBuffer(m.byteLength));
  s.set(m);
  return s;
}

/** The SIMD kernel on `threads` workers. */
export function pooledSimdKernel(id: KernelId, label: string, support: SimdSupport, makePool: () => RowPool): BenchKernel {
  const useShared = sharedMemoryAvailable();
  return pooledKernel(
    { id, label, backend: support.relaxed ? 'wasm-relaxed-simd' : 'wasm-simd', note: simdNote(support, useShared) },
    makePool, useShared ? shared : undefined,
  );
}
