/**
 * The cores of the catalog CPUs as ISA descriptions (cpuIsa.ts), so every catalog CPU carries the same measured core
 * model (`HardwareProfile.cpuCore`: FLOP/cycle, vector width, the width ATen's kernels run at, clock) as a fitted or
 * benchmarked machine, instead of the 32-FLOP/cycle default. Flags are those `/proc/cpuinfo` reports on these cores.
 * Sources: hardware.md Table 1 and note 6 (FMA pipes per core), S16 (AMX), S18 (Graviton), S19–S20 (client parts).
 *
 * Hybrid parts (P- and E-cores) are described by their P-core; the clock given with them is the P-core-equivalent
 * clock at which `cores` P-cores reach the catalog's fp32 peak (`equivalentGhz`), so per-element CPU work and the
 * peak stay consistent (E-cores issue half the FMA width of a P-core).
 */
import type { CpuIsa } from './cpuIsa';

/** AMD Zen 3 (Threadripper PRO 5000WX): AVX2 + FMA, 2 × 256-bit FMA; no AVX-512, no VNNI. */
export const ZEN3: CpuIsa = { vendor: 'amd', flags: ['avx', 'avx2', 'fma'] };
/** AMD Zen 4 / Zen 4c (Ryzen 7000, EPYC 9004): AVX-512 (F/BW/VL/DQ, BF16, VNNI) on 256-bit datapaths. */
export const ZEN4: CpuIsa = { vendor: 'amd', flags: ['avx', 'avx2', 'fma', 'avx512f', 'avx512bw', 'avx512vl', 'avx512dq', 'avx512_bf16', 'avx512_vnni'] };
/** Intel Raptor Cove / Redwood Cove client P-cores (Core 13th/14th gen, Core Ultra 1): AVX2 + FMA + AVX-VNNI; AVX-512 fused off. */
export const INTEL_CLIENT: CpuIsa = { vendor: 'intel', flags: ['avx', 'avx2', 'fma', 'avx_vnni'] };
/** Intel Golden Cove server cores (Xeon 4th gen, Sapphire Rapids): AVX-512 on 2 × 512-bit FMA, AVX512-BF16/FP16, AMX. */
export const SAPPHIRE_RAPIDS: CpuIsa = {
  vendor: 'intel',
  flags: ['avx', 'avx2', 'fma', 'avx512f', 'avx512bw', 'avx512vl', 'avx512dq', 'avx512_bf16', 'avx512_fp16', 'avx512_vnni', 'amx_bf16', 'amx_int8', 'amx_tile'],
};
/** Apple M2/M3 P-cores (Avalanche/Everest): NEON on 4 × 128-bit FMA pipes. */
export const APPLE_P: CpuIsa = { vendor: 'apple', flags: ['asimd', 'asimddp', 'fphp', 'asimdhp', 'bf16', 'i8mm'], fmaPipes: 4 };
/** Arm Neoverse V1 (Graviton3): SVE 2 × 256-bit (or NEON 4 × 128-bit), BF16 and I8MM. */
export const NEOVERSE_V1: CpuIsa = { vendor: 'arm', flags: ['asimd', 'asimddp', 'sve', 'bf16', 'i8mm'], sveBits: 256, fmaPipes: 2 };
/** Arm Neoverse V2 (Graviton4): SVE2 at 128 bits on 4 FMA pipes, BF16 and I8MM. */
export const NEOVERSE_V2: CpuIsa = { vendor: 'arm', flags: ['asimd', 'asimddp', 'sve', 'sve2', 'bf16', 'i8mm'], sveBits: 128, fmaPipes: 4 };

/** The clock at which `cores` cores of `fp32PerCycle` reach `fp32Peak` FLOP/s, GHz (P-core equivalent of a hybrid part). */
export function equivalentGhz(fp32Peak: number, cores: number, fp32PerCycle: number): number {
  return fp32Peak / (cores * fp32PerCycle * 1e9);
}
