/**
 * CPU peaks from the instruction set: what a core can issue per cycle for each dtype, given the ISA flags the OS
 * reports (`/proc/cpuinfo` "flags", `lscpu`, `sysctl hw.optional.*`). Used to build a CPU profile that matches what
 * PyTorch reaches on it (see docs/calibration.md, "CPU"), instead of one FP32 figure for every CPU.
 *
 * FP32 FLOP per cycle per core (FMA = 2 FLOP per lane):
 * - AVX-512 on Intel server cores (Skylake-SP … Granite Rapids): 2 × 512-bit FMA = 64 (hardware.md note 6).
 * - AVX-512 on AMD Zen 4/5 (512-bit ops on 256-bit pipes): 32 (note 6).
 * - AVX2 + FMA (Haswell …, Zen 1–3, Golden Cove P-cores without AVX-512): 2 × 256-bit FMA = 32.
 * - AVX without FMA: 16; SSE2 only: 8. Arm NEON/ASIMD: 2 × 128-bit FMA = 16 (Apple P-cores have 4 pipes: 32;
 *   Neoverse V1/V2 also have 4 × 128-bit pipes: `fmaPipes: 4`). Arm SVE wider than 128 bits (Neoverse V1: 2 × 256-bit)
 *   is the vector width when `sveBits` says so: pipes × lanes × 2 (Graviton3: 2 × 8 × 2 = 32), the same FLOP/cycle as
 *   its 4 NEON pipes.
 * Low precision — only where PyTorch has a native fast path:
 * - AMX-BF16 / AMX-FP16: 1,024 ops/cycle/core; AMX-INT8: 2,048 (hardware.md S16). oneDNN uses them for bf16/int8
 *   matmuls and convolutions.
 * - AVX512-BF16 without AMX is NOT a fast path in PyTorch's CPU matmuls: on a 2-vCPU Xeon with AVX512-BF16 and no AMX
 *   (this project's development VM) a 1,024³ bf16 matmul ran at 105 GFLOP/s per core where the fp32 one reached
 *   194 (torch 1.13, oneDNN vs OpenBLAS with AVX-512 kernels). So it is left out, and the projection's fallback
 *   (bf16 at half the fp32 rate, project/peaks.ts) applies — the same as on a CPU with no bf16 at all.
 * - AVX512-VNNI / AVX-VNNI int8 dot products: 4 × the fp32 rate (integer ops/s).
 * - Arm dot product (FEAT_DotProd: SDOT/UDOT; Linux `asimddp`, macOS hw.optional.arm.FEAT_DotProd, every Apple M-series
 *   core and Neoverse N1/V1/V2): one 128-bit instruction does 16 int8 multiply-adds where an FMA does 4 fp32 ones, on
 *   the same pipes: 4 × the fp32 rate (what llama.cpp's quantised dot products use on Arm CPUs). FEAT_I8MM (SMMLA,
 *   M2 and later) does 32 per instruction, but its issue rate on Apple cores is not published: not counted (u).
 */
import type { Dtype } from '../types';

export interface CpuIsa {
  /** Who designed the core (FP32 width differs for AVX-512 between Intel and AMD). */
  vendor: 'intel' | 'amd' | 'apple' | 'arm' | 'other';
  /** ISA feature flags as the OS spells them (`avx512f`, `avx512_bf16`, `amx_bf16`, `avx2`, `fma`, `asimd`, …). */
  flags: readonly string[];
  /**
   * The CPU capability PyTorch's own (ATen) kernels run at on this machine, as `torch.__config__.show()` prints it
   * ("CPU capability usage: AVX2"): `avx2`, `avx512`, `default` (SSE/NEON-width). Absent: the core's own width
   * (official x86 wheels dispatch AVX-512 on CPUs with AVX512-F/BW/VL/DQ); Debian's torch 1.13 runs AVX2 on AVX-512.
   */
  torchCapability?: 'avx2' | 'avx512' | 'default';
  /** Arm cores: FMA pipes at the vector width, when known (Apple P-cores and Neoverse V1/V2: 4 × 128-bit NEON). */
  fmaPipes?: number;
  /** Arm cores with SVE: the SVE vector length in bits (Neoverse V1 256, V2 128); absent = 128. */
  sveBits?: number;
}

export interface IsaRates {
  /** Ops per cycle per core, per dtype (floating point: FLOP; int8: integer ops). */
  perCycle: Partial<Record<Dtype, number>>;
  /** The vector extension the fp32 rate comes from, for notes ("AVX-512", "AVX2", …). */
  vector: string;
  /** Its register width, bits. */
  vectorBits: number;
  /** Why each figure, one phrase per dtype. */
  basis: string[];
}

/** Per-core, per-cycle peaks implied by an ISA (see the module header). */
export function isaRates(isa: CpuIsa): IsaRates {
  const f = new Set(isa.flags.map((x) => x.toLowerCase()));
  const basis: string[] = [];
  let fp32: number;
  let vector: string;
  let sve = 0;
  if (f.has('avx512f')) {
    fp32 = isa.vendor === 'amd' ? 32 : 64;
    vector = 'AVX-512';
    basis.push(isa.vendor === 'amd' ? 'AVX-512 on 256-bit pipes: 32 FP32 FLOP/cycle' : 'AVX-512, 2 × 512-bit FMA: 64 FP32 FLOP/cycle');
  } else if (f.has('avx2') && f.has('fma')) {
    fp32 = 32; vector = 'AVX2'; basis.push('AVX2, 2 × 256-bit FMA: 32 FP32 FLOP/cycle');
  } else if (f.has('avx')) {
    fp32 = 16; vector = 'AVX'; basis.push('AVX without FMA: 16 FP32 FLOP/cycle');
  } else if (f.has('sve') && (isa.sveBits ?? 128) > 128) {
    const bits = isa.sveBits as number;
    const pipes = isa.fmaPipes ?? 2;
    fp32 = pipes * (bits / 32) * 2; vector = 'SVE'; sve = bits;
    basis.push(`SVE ${bits}-bit, ${pipes} FMA pipes: ${fp32} FP32 FLOP/cycle`);
  } else if (f.has('asimd') || f.has('neon') || isa.vendor === 'apple' || isa.vendor === 'arm') {
    const pipes = isa.fmaPipes ?? (isa.vendor === 'apple' ? 4 : 2);
    fp32 = pipes * 4 * 2; vector = 'NEON'; basis.push(`NEON, ${pipes} × 128-bit FMA pipes: ${fp32} FP32 FLOP/cycle`);
  } else {
    fp32 = 8; vector = 'SSE2'; basis.push('SSE2: 8 FP32 FLOP/cycle');
  }
  const perCycle: Partial<Record<Dtype, number>> = { fp32 };
  if (f.has('amx_bf16')) { perCycle.bf16 = 1024; basis.push('AMX-BF16: 1,024 bf16 ops/cycle (oneDNN)'); } else if (f.has('avx512_bf16')) basis.push('AVX512-BF16 without AMX: no fast bf16 matmul in PyTorch (measured 0.54× the fp32 rate); half the fp32 rate');
  if (f.has('amx_fp16')) { perCycle.fp16 = 1024; basis.push('AMX-FP16: 1,024 fp16 ops/cycle'); }
  if (f.has('amx_int8')) { perCycle.int8 = 2048; basis.push('AMX-INT8: 2,048 int8 ops/cycle'); } else if (f.has('avx512_vnni') || f.has('avx512vnni') || f.has('avx_vnni')) { perCycle.int8 = 4 * fp32; basis.push('VNNI int8 dot products: 4 × the fp32 rate'); } else if ((vector === 'NEON' || vector === 'SVE') && (f.has('asimddp') || f.has('dotprod') || f.has('feat_dotprod'))) { perCycle.int8 = 4 * fp32; basis.push('Arm dot product (SDOT/UDOT) int8: 4 × the fp32 rate'); }
  const vectorBits = vector === 'AVX-512' ? 512 : vector === 'AVX2' || vector === 'AVX' ? 256 : sve > 0 ? sve : 128;
  return { perCycle, vector, vectorBits, basis };
}

const CAPABILITY_BITS = { avx2: 256, avx512: 512, default: 128 } as const;

/**
 * The core as PyTorch's kernels see it (HardwareProfile.cpuCore; project/cpuKernels.ts) at a sustained `ghz`.
 * `atenVectorBits` is the width ATen's element-wise kernels effectively run at, in the unit cpuKernels.ts measured
 * them in (vectors of that width on 2 FMA pipes): the build's capability (default: the ISA's width), cut to the
 * width of one FMA pipe, times pipes ÷ 2. So AMD Zen 4/5, which execute AVX-512 on 256-bit pipes (note 6), run a
 * 512-bit ATen kernel at the rate of a 256-bit one; Apple P-cores and Neoverse V cores, with 4 × 128-bit pipes, at
 * the rate of 256-bit vectors on 2 pipes. `vectorBits` stays the ISA's register width.
 */
export function cpuCoreFromIsa(isa: CpuIsa, ghz: number): { ghz: number; fp32PerCycle: number; vectorBits: number; atenVectorBits: number } {
  const r = isaRates(isa);
  const g = Number.isFinite(ghz) && ghz > 0 ? ghz : 1;
  const fp32PerCycle = r.perCycle.fp32 ?? 8;
  const pipeBits = r.vector === 'AVX-512' && isa.vendor === 'amd' ? 256 : r.vectorBits;
  const pipes = fp32PerCycle / ((pipeBits / 32) * 2);
  const capability = isa.torchCapability ? CAPABILITY_BITS[isa.torchCapability] ?? r.vectorBits : r.vectorBits;
  const aten = (Math.min(capability, pipeBits) * pipes) / 2;
  return { ghz: g, fp32PerCycle, vectorBits: r.vectorBits, atenVectorBits: aten };
}

/** Dense peaks of `cores` cores at a sustained `ghz` for an ISA: per-cycle rates × cores × clock. */
export function cpuPeaksFromIsa(isa: CpuIsa, cores: number, ghz: number): Partial<Record<Dtype, number>> {
  const { perCycle } = isaRates(isa);
  const out: Partial<Record<Dtype, number>> = {};
  const c = Number.isFinite(cores) && cores > 0 ? cores : 1;
  const g = Number.isFinite(ghz) && ghz > 0 ? ghz : 1;
  for (const [k, v] of Object.entries(perCycle) as [Dtype, number][]) out[k] = c * g * 1e9 * v;
  return out;
}
