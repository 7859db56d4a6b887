/**
 * The WebAssembly SIMD CPU kernel: a register-tiled sgemm micro-kernel emitted here as a wasm binary (no
 * assembler, no build step, nothing downloaded), driven by `simdGemmBand` (cache blocking and packing).
 *
 * Layout (GotoBLAS-style): for each k-block of `kc`, B's k-rows are packed into panels of NR columns
 * (k-major, NR floats per k) and A's rows into panels of MR rows (k-major, MR floats per k); the
 * micro-kernel keeps an MR × NR tile of C in MR·NR/4 v128 registers and, per k, loads NR/4 vectors of B,
 * broadcasts MR scalars of A and does MR·NR/4 multiply-adds (`f32x4.relaxed_madd`, a fused FMA on x86
 * with FMA3 and on ARM, where relaxed SIMD is available; `f32x4.mul` + `f32x4.add` otherwise).
 * A B panel (kc × NR floats, 16 KiB at kc 256, NR 16) stays in L1 while the A panels of a row chunk stream
 * from L2. All of B is packed once per product and worker (`reuseB`), whatever the number of row chunks.
 */

/** Micro-kernel shape and k-unroll; `relaxed` picks `f32x4.relaxed_madd` over mul + add. */
export interface SimdShape {
  /** Rows of the register tile. */
  mr: number;
  /** Columns of the register tile, a multiple of 4 (one v128 holds 4 floats). */
  nr: number;
  /** k-steps per loop pass (the packed k-block is padded to a multiple of this). */
  unroll: number;
  relaxed: boolean;
}

/**
 * The shape the kernel uses: 2 × 16, not unrolled: 8 accumulators + 4 B vectors + 1 broadcast = 13 live v128
 * values. V8 allocates at most 15 XMM registers to wasm SIMD on x64 (xmm15 is its scratch register), so a tile
 * with 16 or more live vectors (4 × 12: 12 + 3 + 1) spills in its inner loop, and a k-unroll lengthens live
 * ranges the same way. Measured in GFLOP per CPU-second (robust to a shared machine) on a 2-core Xeon (Sapphire
 * Rapids) in Node 20, whole products n = 256…2048: 2 × 16 ×1 34–39, 3 × 12 ×1 34–37, 4 × 8 ×1 31–35,
 * 4 × 12 ×2 26–34, 2 × 20, 3 × 8, 2 × 12, 5 × 8, 6 × 8 and 7 × 4 lower.
 */
export const SIMD_SHAPE: Omit<SimdShape, 'relaxed'> = { mr: 2, nr: 16, unroll: 1 };
/** k-block: the packed B panel kc × nr stays in L1, the packed A band (rows × kc) in L2. */
export const SIMD_KC = 256;

const uleb = (v: number): number[] => {
  const out: number[] = [];
  do {
    let byte = v & 0x7f;
    v >>>= 7;
    if (v !== 0) byte |= 0x80;
    out.push(byte);
  } while (v !== 0);
  return out;
};
const sleb = (v: number): number[] => {
  const out: number[] = [];
  for (;;) {
    const byte = v & 0x7f;
    v >>= 7;
    if ((v === 0 && (byte & 0x40) === 0) || (v === -1 && (byte & 0x40) !== 0)) {
      out.push(byte);
      return out;
    }
    out.push(byte | 0x80);
  }
};
const vec = (items: number[][]): number[] => [...uleb(items.length), ...items.flat()];
const section = (id: number, body: number[]): number[] => [id, ...uleb(body.length), ...body];
const str = (s: string): number[] => vec([...s].map((ch) => [ch.charCodeAt(0)]));

// Opcodes used.
const I32 = 0x7f, V128 = 0x7b;
const op = {
  block: 0x02, loop: 0x03, br_if: 0x0d, end: 0x0b, call: 0x10,
  get: 0x20, set: 0x21, tee: 0x22,
  i32const: 0x41, i32eqz: 0x45, i32ltu: 0x49, i32add: 0x6a, i32sub: 0x6b, i32mul: 0x6c,
};
const simd = (code: number): number[] => [0xfd, ...uleb(code)];
const V_LOAD = 0x00, V_LOAD32_SPLAT = 0x09, V_STORE = 0x0b, F32X4_ADD = 0xe4, F32X4_MUL = 0xe6, F32X4_RELAXED_MADD = 0x105;
const memarg = (offset: number): number[] => [0x00, ...uleb(offset)];
const get = (i: number): number[] => [op.get, ...uleb(i)];
const set = (i: number): number[] => [op.set, ...uleb(i)];
const i32 = (v: number): number[] => [op.i32const, ...sleb(v)];

/**
 * micro(ap, bp, c, ldc, kc): C[0..mr)[0..nr) += Ap · Bp over kc k-steps (kc a positive multiple of
 * `unroll`); ap, bp, c are byte addresses, ldc C's row stride in bytes.
 */
function microBody(s: SimdShape): number[] {
  const nv = s.nr / 4;
  const [AP, BP, C, LDC, K] = [0, 1, 2, 3, 4];
  const acc = (r: number, v: number): number => 5 + r * nv + v;
  const bvec = (v: number): number => 5 + s.mr * nv + v;
  const aval = 5 + s.mr * nv + nv;
  const rowAddr = (r: number): number[] => (r === 0 ? get(C) : [...get(C), ...get(LDC), ...i32(r), op.i32mul, op.i32add]);
  const code: number[] = [];
  for (let r = 0; r < s.mr; r++) for (let v = 0; v < nv; v++) code.push(...rowAddr(r), ...simd(V_LOAD), ...memarg(v * 16), ...set(acc(r, v)));
  code.push(op.loop, 0x40);
  for (let u = 0; u < s.unroll; u++) {
    for (let v = 0; v < nv; v++) code.push(...get(BP), ...simd(V_LOAD), ...memarg((u * s.nr + v * 4) * 4), ...set(bvec(v)));
    for (let r = 0; r < s.mr; r++) {
      code.push(...get(AP), ...simd(V_LOAD32_SPLAT), ...memarg((u * s.mr + r) * 4), ...set(aval));
      for (let v = 0; v < nv; v++) {
        if (s.relaxed) code.push(...get(aval), ...get(bvec(v)), ...get(acc(r, v)), ...simd(F32X4_RELAXED_MADD), ...set(acc(r, v)));
        else code.push(...get(acc(r, v)), ...get(aval), ...get(bvec(v)), ...simd(F32X4_MUL), ...simd(F32X4_ADD), ...set(acc(r, v)));
      }
    }
  }
  code.push(...get(AP), ...i32(s.unroll * s.mr * 4), op.i32add, ...set(AP));
  code.push(...get(BP), ...i32(s.unroll * s.nr * 4), op.i32add, ...set(BP));
  code.push(...get(K), ...i32(s.unroll), op.i32sub, op.tee, ...uleb(K), op.br_if, 0x00, op.end);
  for (let r = 0; r < s.mr; r++) for (let v = 0; v < nv; v++) code.push(...rowAddr(r), ...get(acc(r, v)), ...simd(V_STORE), ...memarg(v * 16));
  code.push(op.end);
  const locals = vec([[...uleb(s.mr * nv + nv + 1), V128]]);
  return [...locals, ...code];
}

/**
 * block(ap, bp, c, ldc, kc, ni, nj): for each of nj B panels, for each of ni A panels, micro() on the
 * matching C tile. Looping in wasm keeps the JS → wasm calls to one per k-block.
 */
function blockBody(s: SimdShape): number[] {
  const [AP, BP, C, LDC, KC, NI, NJ, I, J, AI, CI] = [0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10];
  const code: number[] = [
    ...i32(0), ...set(J),
    op.loop, 0x40,
    ...i32(0), ...set(I), ...get(AP), ...set(AI),
    ...get(C), ...get(J), ...i32(s.nr * 4), op.i32mul, op.i32add, ...set(CI),
    op.loop, 0x40,
    ...get(AI), ...get(BP), ...get(CI), ...get(LDC), ...get(KC), op.call, 0x00,
    ...get(AI), ...get(KC), ...i32(s.mr * 4), op.i32mul, op.i32add, ...set(AI),
    ...get(CI), ...get(LDC), ...i32(s.mr), op.i32mul, op.i32add, ...set(CI),
    ...get(I), ...i32(1), op.i32add, op.tee, ...uleb(I), ...get(NI), op.i32ltu, op.br_if, 0x00,
    op.end,
    ...get(BP), ...get(KC), ...i32(s.nr * 4), op.i32mul, op.i32add, ...set(BP),
    ...get(J), ...i32(1), op.i32add, op.tee, ...uleb(J), ...get(NJ), op.i32ltu, op.br_if, 0x00,
    op.end,
    op.end,
  ];
  return [...vec([[4, I32]]), ...code];
}

/** The module's bytes: imports `env.mem` (shared when `sharedMemory`), exports `micro` and `block`. */
export function simdModuleBytes(s: SimdShape, sharedMemory = false, maxPages = 65536): Uint8Array<ArrayBuffer> {
  if (s.nr % 4 !== 0 || s.mr < 1 || s.unroll < 1) throw new Error('bad SIMD shape');
  const types = section(1, vec([
    [0x60, ...vec([[I32], [I32], [I32], [I32], [I32]]), 0x00],
    [0x60, ...vec([[I32], [I32], [I32], [I32], [I32], [I32], [I32]]), 0x00],
  ]));
  const limits = sharedMemory ? [0x03, ...uleb(1), ...uleb(maxPages)] : [0x00, ...uleb(1)];
  const imports = section(2, vec([[...str('env'), ...str('mem'), 0x02, ...limits]]));
  const funcs = section(3, vec([[0x00], [0x01]]));
  const exports = section(7, vec([[...str('micro'), 0x00, 0x00], [...str('block'), 0x00, 0x01]]));
  const bodies = [microBody(s), blockBody(s)].map((b) => [...uleb(b.length), ...b]);
  const code = section(10, vec(bodies));
  return new Uint8Array([0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00, ...types, ...imports, ...funcs, ...exports, ...code]);
}

/** What this engine's WebAssembly offers the kernel. */
export interface SimdSupport {
  simd: boolean;
  relaxed: boolean;
}

/** Validates the kernel's own module with and without relaxed SIMD (the only honest feature test). */
export function detectSimd(): SimdSupport {
  if (typeof WebAssembly === 'undefined') return { simd: false, relaxed: false };
  const ok = (relaxed: boolean): boolean => {
    try {
      return WebAssembly.validate(simdModuleBytes({ ...SIMD_SHAPE, relaxed }));
    } catch {
      return false;
    }
  };
  const simdOk = ok(false);
  return { simd: simdOk, relaxed: simdOk && ok(true) };
}

/**
 * C[row0..row1) = A[row0..row1) · B with the wasm kernel (instance exports + its memory). Self-contained
 * (no references outside its body): its source text is the body of the worker (see simdKernel.ts).
 * `c` holds only rows row0..row1 ((row1 − row0)·n entries, as `matmulTile`). Packs into wasm memory, growing it when needed.
 * All of B is packed first (every k-block, at a fixed place in memory); `reuseB` skips that when the previous call
 * packed this same B and n: a worker computing several row chunks of one product packs B once per product.
 */
export function simdGemmBand(
  exp: { block: (ap: number, bp: number, c: number, ldc: number, kc: number, ni: number, nj: number) => void },
  memory: WebAssembly.Memory, a: Float32Array, b: Float32Array, c: Float32Array, n: number, row0: number, row1: number,
  mr: number, nr: number, unroll: number, kcMax: number, reuseB = false,
): void {
  const rows = row1 - row0;
  if (rows <= 0) return;
  const ni = Math.ceil(rows / mr), nj = Math.ceil(n / nr);
  const npad = nj * nr, mpad = ni * mr;
  const kcCap = Math.ceil(Math.min(kcMax, n) / unroll) * unroll;
  const kBlocks = Math.ceil(n / kcMax);
  // Byte layout: [packed B: kBlocks × kcCap × npad][C chunk mpad × npad][packed A mpad × kcCap], 64-byte aligned.
  const align = (x: number): number => Math.ceil(x / 64) * 64;
  const bOff = 64, cOff = align(bOff + kBlocks * kcCap * npad * 4), aOff = align(cOff + mpad * npad * 4);
  const need = aOff + mpad * kcCap * 4;
  if (memory.buffer.byteLength < need) memory.grow(Math.ceil((need - memory.buffer.byteLength) / 65536));
  const mem = new Float32Array(memory.buffer);
  const cv = mem.subarray(cOff / 4, cOff / 4 + mpad * npad);
  cv.fill(0);
  const ap = mem.subarray(aOff / 4, aOff / 4 + mpad * kcCap);
  const lastFull = Math.floor(n / nr);
  for (let q = 0, kk = 0; kk < n; q++, kk += kcMax) {
    const kEnd = Math.min(n, kk + kcMax), klen = kEnd - kk;
    const kc = Math.ceil(klen / unroll) * unroll;
    const bBlock = bOff + q * kcCap * npad * 4;
    if (!reuseB) {
      // B panels of this k-block: panel p, step k, lane l at (p·kc + k)·nr + l. Each row of B is read once, in
      // order; plain loops (a subarray view per copy costs an allocation).
      const bp = mem.subarray(bBlock / 4, bBlock / 4 + kc * npad);
      for (let k = 0; k < kc; k++) {
        const src = (kk + k) * n;
        let dst = k * nr;
        if (k >= klen) {
          for (let p = 0; p < nj; p++, dst += kc * nr) for (let l = 0; l < nr; l++) bp[dst + l] = 0;
          continue;
        }
        for (let p = 0; p < lastFull; p++, dst += kc * nr) {
          const s0 = src + p * nr;
          for (let l = 0; l < nr; l++) bp[dst + l] = b[s0 + l];
        }
        if (lastFull < nj) for (let l = 0; l < nr; l++) bp[dst + l] = lastFull * nr + l < n ? b[src + lastFull * nr + l] : 0;
      }
    }
    // A panels: panel p, step k, row r at (p·kc + k)·mr + r.
    for (let p = 0; p < ni; p++) {
      const base = p * kc * mr;
      for (let r = 0; r < mr; r++) {
        const i = row0 + p * mr + r;
        let d = base + r;
        if (i < row1) {
          const src = i * n + kk;
          for (let k = 0; k < klen; k++, d += mr) ap[d] = a[src + k];
          for (let k = klen; k < kc; k++, d += mr) ap[d] = 0;
        } else {
          for (let k = 0; k < kc; k++, d += mr) ap[d] = 0;
        }
      }
    }
    exp.block(aOff, bBlock, cOff, npad * 4, kc, ni, nj);
  }
  for (let r = 0; r < rows; r++) c.set(cv.subarray(r * npad, r * npad + n), r * n);
}
