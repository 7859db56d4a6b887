/**
 * The plain-JS CPU matmul kernel, inputs, and the correctness check every kernel's result goes through.
 * Matrices are n×n float32, row-major, in one Float32Array.
 */

/** k-block (rows of B kept hot) and j-block (columns) of the CPU kernel; tuned on a 2-core EPYC, n = 128…2048. */
export const CPU_K_BLOCK = 128;
export const CPU_J_BLOCK = 256;

/**
 * C[row0..row1) += A[row0..row1) · B, cache-blocked over k and j with a 4×4 register tile
 * (16 accumulators, 8 loads per 16 multiply-adds). `c` holds only rows row0..row1 ((row1 − row0)·n
 * entries) and must start zeroed. Accumulators are JS numbers (float64) within a k-block; C is stored
 * as float32, so results are at least as accurate as a float32 GPU sum.
 *
 * This function must stay self-contained (no references outside its body): its source text is also
 * the body of the Web Worker / worker_threads kernel (see worker.ts), where imports do not exist.
 */
export function matmulTile(
  a: Float32Array, b: Float32Array, c: Float32Array, n: number, row0: number, row1: number, kBlock: number, jBlock: number,
): void {
  for (let kk = 0; kk < n; kk += kBlock) {
    const kEnd = Math.min(kk + kBlock, n);
    for (let jj = 0; jj < n; jj += jBlock) {
      const jEnd = Math.min(jj + jBlock, n);
      let i = row0;
      for (; i + 3 < row1; i += 4) {
        const a0 = i * n, a1 = a0 + n, a2 = a1 + n, a3 = a2 + n;
        const r0 = (i - row0) * n, r1 = r0 + n, r2 = r1 + n, r3 = r2 + n;
        let j = jj;
        for (; j + 3 < jEnd; j += 4) {
          let c00 = 0, c01 = 0, c02 = 0, c03 = 0, c10 = 0, c11 = 0, c12 = 0, c13 = 0;
          let c20 = 0, c21 = 0, c22 = 0, c23 = 0, c30 = 0, c31 = 0, c32 = 0, c33 = 0;
          for (let k = kk; k < kEnd; k++) {
            const bk = k * n + j;
            const b0 = b[bk], b1 = b[bk + 1], b2 = b[bk + 2], b3 = b[bk + 3];
            const x0 = a[a0 + k], x1 = a[a1 + k], x2 = a[a2 + k], x3 = a[a3 + k];
            c00 += x0 * b0; c01 += x0 * b1; c02 += x0 * b2; c03 += x0 * b3;
            c10 += x1 * b0; c11 += x1 * b1; c12 += x1 * b2; c13 += x1 * b3;
            c20 += x2 * b0; c21 += x2 * b1; c22 += x2 * b2; c23 += x2 * b3;
            c30 += x3 * b0; c31 += x3 * b1; c32 += x3 * b2; c33 += x3 * b3;
          }
          c[r0 + j] += c00; c[r0 + j + 1] += c01; c[r0 + j + 2] += c02; c[r0 + j + 3] += c03;
          c[r1 + j] += c10; c[r1 + j + 1] += c11; c[r1 + j + 2] += c12; c[r1 + j + 3] += c13;
          c[r2 + j] += c20; c[r2 + j + 1] += c21; c[r2 + j + 2] += c22; c[r2 + j + 3] += c23;
          c[r3 + j] += c30; c[r3 + j + 1] += c31; c[r3 + j + 2] += c32; c[r3 + j + 3] += c33;
        }
        for (; j < jEnd; j++) {
          for (let q = 0; q < 4; q++) {
            let s = 0;
            for (let k = kk; k < kEnd; k++) s += a[(i + q) * n + k] * b[k * n + j];
            c[(i - row0 + q) * n + j] += s;
          }
        }
      }
      for (; i < row1; i++) {
        for (let j = jj; j < jEnd; j++) {
          let s = 0;
          for (let k = kk; k < kEnd; k++) s += a[i * n + k] * b[k * n + j];
          c[(i - row0) * n + j] += s;
        }
      }
    }
  }
}

/** C = A · B on the calling thread (tests, and the reference when a size is small). */
export function matmulCpu(a: Float32Array, b: Float32Array, n: number): Float32Array {
  const c = new Float32Array(n * n);
  matmulTile(a, b, c, n, 0, n, CPU_K_BLOCK, CPU_J_BLOCK);
  return c;
}

/** A deterministic n×n matrix with entries uniform in [−1, 1) (mulberry32 PRNG). */
export function randomMatrix(n: number, seed: number): Float32Array {
  const m = new Float32Array(n * n);
  let s = seed >>> 0;
  for (let i = 0; i < m.length; i++) {
    s = (s + 0x6d2b79f5) >>> 0;
    let t = s;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    const u = ((t ^ (t >>> 14)) >>> 0) / 4294967296;
    m[i] = u * 2 - 1;
  }
  return m;
}

/** Entries of C = A·B computed in float64 at sampled positions: the yardstick for every kernel. */
export interface SampledReference {
  n: number;
  /** Flat indices i·n + j. */
  index: Int32Array;
  value: Float64Array;
  /** max |value|, the error's denominator. */
  scale: number;
}

/**
 * Samples `count` entries (all of them when n² ≤ count) on a fixed stride and computes each as a
 * float64 dot product: O(count·n), cheap next to the product itself.
 */
export function sampleReference(a: Float32Array, b: Float32Array, n: number, count = 4096): SampledReference {
  const total = n * n;
  const m = Math.min(total, count);
  const index = new Int32Array(m);
  const value = new Float64Array(m);
  // An odd stride co-prime to n² spreads the samples over rows and columns.
  let stride = Math.max(1, Math.floor(total / m)) | 1;
  while (gcd(stride, total) !== 1) stride += 2;
  let scale = 0;
  for (let s = 0; s < m; s++) {
    const p = (s * stride) % total;
    const i = Math.floor(p / n), j = p - i * n;
    let acc = 0;
    for (let k = 0; k < n; k++) acc += a[i * n + k] * b[k * n + j];
    index[s] = p;
    value[s] = acc;
    scale = Math.max(scale, Math.abs(acc));
  }
  return { n, index, value, scale };
}

function gcd(x: number, y: number): number {
  while (y) [x, y] = [y, x % y];
  return x;
}

/** Result of checking one kernel's product. */
export interface Check {
  /** max |C − C_ref| / max |C_ref| over the samples; Infinity when any output entry is not finite. */
  maxRelError: number;
  correct: boolean;
}

/** Compares a product with the sampled reference; scans every entry for NaN/Infinity. */
export function checkProduct(c: ArrayLike<number>, ref: SampledReference, tolerance: number): Check {
  if (c.length !== ref.n * ref.n) return { maxRelError: Infinity, correct: false };
  for (let p = 0; p < c.length; p++) {
    if (!Number.isFinite(c[p])) return { maxRelError: Infinity, correct: false };
  }
  let worst = 0;
  for (let s = 0; s < ref.index.length; s++) worst = Math.max(worst, Math.abs(c[ref.index[s]] - ref.value[s]));
  const maxRelError = ref.scale > 0 ? worst / ref.scale : worst;
  return { maxRelError, correct: maxRelError <= tolerance };
}

/** Row-major flattening of the arrays of rows gpu.js returns for a 2-D output. */
export function flattenRows(rows: ArrayLike<ArrayLike<number>>, n: number): Float32Array {
  const out = new Float32Array(n * n);
  for (let i = 0; i < n; i++) out.set(rows[i] as ArrayLike<number>, i * n);
  return out;
}
