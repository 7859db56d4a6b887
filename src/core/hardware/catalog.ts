/**
 * The hardware catalog: data, one entry per device, each figure with its source.
 *
 * Source keys `S1`…`S23` are the rows of the team's hardware reference (`hardware.md`, "Sources");
 * URLs are repeated where a single page carries the figure. Marks in notes: (d) derived by arithmetic,
 * (3p) third-party aggregator, (u) uncertain or recalled.
 *
 * Conventions (the same as `HardwareProfile`):
 * - Peaks are DENSE FLOP/s (or int ops/s) per dtype. Datasheets print 2:4-sparse tensor figures; those are halved here.
 * - fp16/bf16 tensor peaks are FP32-accumulate rates (what PyTorch uses). GeForce parts and the A10G run
 *   FP32-accumulate tensor math at half the FP16-accumulate rate, so their lower figure is used.
 * - A dtype is present only where the device runs it natively. Missing dtypes fall back in `project/`
 *   (`resolvePeak`): e.g. the T4 has no bf16 or tf32 and runs them at its fp32 rate; a CPU without bf16
 *   instructions runs bf16 at half its fp32 rate (conversion overhead, no native kernels).
 * - Bandwidths are bytes/s per direction. PCIe host links are theoretical x16 rates (Gen3 15.75, Gen4 31.5,
 *   Gen5 63 GB/s); `project/` applies the measured link efficiency (S22).
 * - GPU memory sizes are binary (an "80 GB" HBM part holds 80 GiB); the B200 uses the 180 GB usable figure (S5).
 *   CPU memory is a typical configuration for that machine (stated per entry), not a limit of the chip.
 * - CPU peaks = cores × sustained all-core clock × FLOP/cycle/core. The clock is stated per entry and is the
 *   realistic sustained clock under vector load, not the single-core boost. CPUs do not use TF32.
 * - `cacheBytes` is the last-level cache from Table 1 (CPU L3; GPU L2; MI300X its 256 MB Infinity Cache).
 * - Prices are USD per device-hour with the month they were observed. Laptops and desktops have no price:
 *   the projection shows their energy instead.
 */
import type { HardwareProfile } from './types';
import { cpuCoreFromIsa } from './cpuIsa';
import { APPLE_P, INTEL_CLIENT, NEOVERSE_V1, NEOVERSE_V2, SAPPHIRE_RAPIDS, ZEN3, ZEN4, equivalentGhz } from './cpuCores';

const T = 1e12;
const G = 1e9;
const GiB = 2 ** 30;
const MB = 1e6;

const PCIE3 = 15.75 * G;
const PCIE4 = 31.5 * G;
const PCIE5 = 63 * G;

/**
 * Per-kernel launch cost of each device (`launchOverheadSeconds`). On GPUs this is the cost of a launch from compiled
 * code (torch.compile's generated wrapper): GPU ≈10 µs, Apple MPS ≈15 µs (S23, u). It is NOT what eager PyTorch pays
 * per op on a GPU: eager ops cost the fitted host time EAGER_HOST_SECONDS (≈50 µs: Python, dispatcher, autograd,
 * library set-up and the launch; project/efficiency.ts eagerGpuOpSeconds, docs/calibration.md), of which this launch
 * is only the floor; graph runtimes replay kernels at ≈2.5 µs. On CPUs it is the eager per-op cost itself: 6 µs,
 * fitted to measured 1-thread step times of the fixture scripts (docs/calibration.md; autograd recording included).
 */
const LAUNCH_GPU = 10e-6;
const LAUNCH_CPU = 6e-6;
const LAUNCH_MPS = 15e-6;

/** Per-GPU inter-node network of HGX/DGX-class nodes: one 400 Gb/s NIC per GPU (DGX H100/B200, MI300X platforms; u: recalled). */
const NIC_400G = 50 * G;
/** DGX A100: one 200 Gb/s HDR NIC per GPU (u: recalled). */
const NIC_200G = 25 * G;

/** CPU FP32 peak: cores × GHz × FLOP/cycle/core. */
const cpuPeak = (cores: number, ghz: number, flopsPerCycle: number): number => cores * ghz * G * flopsPerCycle;

/**
 * Apple M2-family CPU: P-cores at 3.49 GHz × 32 FP32 FLOP/cycle (4 × 128-bit NEON FMA), E-cores at ≈2.42 GHz × 16
 * (u: Apple publishes no clocks). The undocumented matrix coprocessor is not modelled; bf16/fp16 at ≤ the fp32 rate.
 */
function appleM2Cpu(id: string, name: string, tier: 'laptop' | 'desktop', [p, e]: [number, number], bandwidthGB: number, memGB: number, watts: number, source: string, note: string): HardwareProfile {
  const fp32 = cpuPeak(p, 3.49, 32) + cpuPeak(e, 2.42, 16);
  const cpuGB = appleCpuReachGB(bandwidthGB);
  return {
    id, name, kind: 'cpu', tier,
    peakFlops: { fp32, int8: APPLE_NEON_INT8_PER_FP32 * fp32 },
    memoryBandwidth: cpuGB * G, memoryBytes: memGB * GiB, tdpWatts: watts, launchOverheadSeconds: LAUNCH_CPU, cores: p + e,
    // P-core NEON (4 × 128-bit FMA) at the P-core-equivalent clock of the fp32 peak (cpuCores.ts).
    cpuCore: cpuCoreFromIsa(APPLE_P, equivalentGhz(fp32, p + e, 32)),
    matrixUnit: appleAmx(p / 4),
    sources: [source, 'hardware.md note 6 (NEON FLOP/cycle), S15 (u)', ...(cpuGB < bandwidthGB ? [APPLE_CPU_REACH_SOURCE] : []), ...APPLE_AMX_SOURCES, APPLE_INT8_SOURCE],
    notes: [
      `FP32 peak from ${p} P-cores at 3.49 GHz and ${e} E-cores at ≈2.42 GHz (u).`, note, appleAmxNote(p / 4), APPLE_INT8_NOTE,
      ...(cpuGB < bandwidthGB ? [`Memory bandwidth is what the CPU cores reach, ≈${cpuGB} GB/s of the SoC's ${bandwidthGB} GB/s (the rest is the GPU's and other blocks').`] : []),
    ],
  };
}

/**
 * Apple CPU int8: the NEON dot-product instructions (FEAT_DotProd, SDOT/UDOT, on every M-series core: macOS reports
 * hw.optional.arm.FEAT_DotProd = 1, and FEAT_I8MM = 1 from the M2 on) do 16 int8 multiply-adds per 128-bit
 * instruction where an FMA does 4 fp32 ones, on the same NEON pipes: 4 × the NEON fp32 peak, in integer ops/s (d, from
 * the instruction definitions in the Arm Architecture Reference Manual; the pipes as for fp32). This is the path
 * llama.cpp's quantised dot products take on Apple CPUs. Not counted: SMMLA (I8MM, 32 multiply-adds per instruction)
 * whose issue rate Apple does not publish, and the AMX coprocessor, which Accelerate exposes no int8 GEMM for.
 */
const APPLE_NEON_INT8_PER_FP32 = 4;
const APPLE_INT8_SOURCE = 'Arm ARM FEAT_DotProd (SDOT/UDOT: 16 int8 MACs per 128-bit instruction); macOS sysctl hw.optional.arm.FEAT_DotProd / FEAT_I8MM on M-series (d)';
const APPLE_INT8_NOTE = 'int8 peak: NEON dot products (SDOT/UDOT), 4 × the NEON fp32 rate (d); I8MM (M2 and later) and the AMX are not counted (issue rate unpublished; no int8 GEMM in Accelerate).';

/**
 * Apple's matrix coprocessor (AMX), one per CPU cluster, runs Accelerate's fp32 GEMMs (project/matrixUnit.ts):
 * ≈1.5 TFLOP/s fp32 from one P-cluster's AMX, against ≈0.1 TFLOP/s from a P-core's NEON (Bram Wasti, "How to get
 * 1.5 TFlops of FP32 performance on a single M1 CPU core", jott.live, Jan 2021; zhen8838.github.io: 1,475 GFLOP/s
 * AMX sgemm vs ≈102 NEON on one M1 Max core); one AMX per CPU cluster (corsix/amx issue #6). The P-clusters hold 4
 * P-cores each on M1–M3; the E-clusters' smaller AMX is left out (u). The M1 figure is used for the M2/M3 (u).
 */
const APPLE_AMX_FP32_PER_P_CLUSTER = 1.5e12;
const APPLE_AMX_SOURCES = ['AMX: jott.live "1.5 TFlops of FP32 … on a single M1 CPU core" (2021-01); zhen8838.github.io (1,475 GFLOP/s AMX sgemm, M1 Max); corsix/amx issue #6 (one AMX per CPU cluster)'];
function appleAmx(pClusters: number): { fp32: number; units: number } {
  return { fp32: APPLE_AMX_FP32_PER_P_CLUSTER * pClusters, units: pClusters };
}
function appleAmxNote(pClusters: number): string {
  return `fp32 matmuls go through Accelerate to the matrix coprocessor (AMX) of each P-cluster: ${pClusters} × ≈1.5 TFLOP/s; element-wise ops and convolutions stay on the NEON cores.`;
}

/**
 * Bandwidth the CPU clusters of an M1/M2-generation Apple SoC reach: the fabric gives the CPU complex of one Max-class
 * die (400 GB/s of LPDDR5) ≈243 GB/s, the GPU the rest (AnandTech, "Apple's M1 Pro, M1 Max SoCs Investigated",
 * 2021-10-25, page "Huge Memory Bandwidth, but not for every Block": ≈100 GB/s from one P-core, ≈204 GB/s read and
 * ≈243 GB/s mixed from all CPU cores; recalled figures, u). Smaller dies (M2 100 GB/s, M2 Pro 200 GB/s) are within
 * it; an Ultra is two Max dies (UltraFusion), so twice. A CPU-only decode (llama.cpp on the CPU) streams weights at
 * this rate, not at the SoC's headline figure.
 */
const APPLE_CPU_REACH_PER_MAX_DIE_GB = 243;
const APPLE_CPU_REACH_SOURCE = 'AnandTech M1 Max review 2021-10-25 (CPU complex ≈243 GB/s of a 400 GB/s die; recalled, u)';
function appleCpuReachGB(socGB: number): number {
  return Math.min(socGB, APPLE_CPU_REACH_PER_MAX_DIE_GB * Math.max(1, Math.ceil(socGB / 400)));
}

/** Apple M2-family GPU: cores × 128 ALUs × 1.398 GHz × 2 (3p); fp16/bf16 at the same rate (no tensor units). */
function appleM2Gpu(id: string, name: string, gpuCores: number, bandwidthGB: number, memGB: number, watts: number, source: string): HardwareProfile {
  const peak = Math.round(gpuCores * 128 * 1.398 * 2 / 100) / 10 * T;
  return {
    id, name, kind: 'gpu', tier: 'apple-gpu',
    peakFlops: { fp32: peak, fp16: peak, bf16: peak },
    memoryBandwidth: bandwidthGB * G, memoryBytes: 0.75 * memGB * GiB, tdpWatts: watts, launchOverheadSeconds: LAUNCH_MPS,
    sources: [source],
    notes: [`Unified memory: ${memGB} GB configuration, ≈75% usable by Metal. Power ≈${watts} W GPU share (u). No cloud price.`],
  };
}

/**
 * NVIDIA V100 (Volta GV100; datasheet values recalled, u): fp16 tensor cores only (no bf16, no tf32); int8 via DP4A at
 * 4× the fp32 rate (integer ops/s). SXM2: 15.7 / 125 TF, 300 W, NVLink2 6 × 25 GB/s = 150 GB/s per direction;
 * PCIe: 14 / 112 TF, 250 W. 900 GB/s HBM2 and 6 MB L2 on all four.
 */
function v100(form: 'SXM2' | 'PCIe', memGB: 16 | 32, price?: HardwareProfile['price']): HardwareProfile {
  const sxm = form === 'SXM2';
  const fp32 = (sxm ? 15.7 : 14) * T;
  return {
    id: `v100-${form.toLowerCase()}-${memGB}gb`, name: `NVIDIA V100 ${form} ${memGB}GB`, kind: 'gpu', tier: 'datacenter-gpu',
    peakFlops: { fp32, fp16: (sxm ? 125 : 112) * T, int8: 4 * fp32 },
    memoryBandwidth: 900 * G, memoryBytes: memGB * GiB, cacheBytes: 6 * MB, hostLinkBandwidth: PCIE3,
    ...(sxm ? { scaleUpBandwidth: 150 * G } : {}),
    devicesPerNode: 8, tdpWatts: sxm ? 300 : 250, ...(price ? { price } : {}), launchOverheadSeconds: LAUNCH_GPU,
    sources: [`NVIDIA Tesla V100 datasheet (${form}; recalled, u)`, 'validation.md rows 3, 30 (V2, V11)'],
    notes: [
      'No bf16 or tf32: bf16 falls back to the fp32 rate; fp32 matmuls and convolutions run on CUDA cores.',
      sxm ? 'NVLink2: 150 GB/s per direction (300 total), 8 GPUs per DGX-1/HGX node.' : 'PCIe Gen3 x16; no NVLink between cards (collectives cross PCIe).',
    ],
  };
}

/** Raptor Lake desktop (8 P + 16 E cores, AVX2 only, 36 MB L3, 253 W): P × 32 + E × 16 FP32 FLOP/cycle at all-core clocks. */
function raptorLake(id: string, name: string, [pGhz, eGhz]: [number, number], bandwidthGB: number, sources: string[], notes: string[]): HardwareProfile {
  const fp32 = cpuPeak(8, pGhz, 32) + cpuPeak(16, eGhz, 16);
  return {
    id, name, kind: 'cpu', tier: 'desktop',
    // AVX-VNNI int8 dot products: 4× the FP32 rate (d). Integer ops/s.
    peakFlops: { fp32, int8: 4 * fp32 },
    memoryBandwidth: bandwidthGB * G, memoryBytes: 64 * GiB, cacheBytes: 36 * MB, tdpWatts: 253, launchOverheadSeconds: LAUNCH_CPU, cores: 24,
    // Raptor Cove P-core (AVX2, 2 × 256-bit FMA) at the P-core-equivalent clock of the fp32 peak (cpuCores.ts).
    cpuCore: cpuCoreFromIsa(INTEL_CLIENT, equivalentGhz(fp32, 24, 32)),
    sources,
    notes: [notes[0], 'AVX2 only, no AVX-512 and no bf16 instructions: bf16/fp16 run below the fp32 rate. AVX-VNNI int8 4× fp32 (d).', ...notes.slice(1)],
  };
}

/** GH100 dense peaks (H100 SXM, H200, H800): hardware.md S2, S3. */
const GH100_SXM_PEAKS = { fp32: 67 * T, tf32: 495 * T, fp16: 989 * T, bf16: 989 * T, fp8: 1979 * T, int8: 1979 * T };

/** H200 SXM (700 W); the 1,000 W configuration below differs only in power. */
const H200: HardwareProfile = {
  id: 'h200',
  name: 'NVIDIA H200 SXM',
  kind: 'gpu',
  tier: 'datacenter-gpu',
  peakFlops: GH100_SXM_PEAKS,
  memoryBandwidth: 4800 * G,
  memoryBytes: 141 * GiB,
  cacheBytes: 50 * MB,
  hostLinkBandwidth: PCIE5,
  scaleUpBandwidth: 450 * G,
  scaleOutBandwidth: NIC_400G,
  devicesPerNode: 8,
  tdpWatts: 700,
  price: { usdPerHour: 5.41, date: '2025-01', source: 'AWS p5e Capacity Block per GPU (hardware.md S21)' },
  launchOverheadSeconds: LAUNCH_GPU,
  sources: ['hardware.md S3', 'NVIDIA/TensorRT-LLM docs/source/blogs/H200launch.md'],
  notes: ['Same GH100 compute as the H100 SXM with 141 GB HBM3e at 4.8 TB/s. A 1,000 W variant exists (higher sustained clocks).'],
};

export const HARDWARE: HardwareProfile[] = [
  // ───────────── Laptop CPUs ─────────────
  {
    id: 'apple-m3',
    name: 'Apple M3 (8-core CPU)',
    kind: 'cpu',
    tier: 'laptop',
    // 4 P-cores × 4.05 GHz × 4 NEON FMA pipes × 4 lanes × 2 = 0.518 TF; 4 E-cores × 2.75 GHz × 2 pipes × 4 × 2 = 0.176 TF (u).
    peakFlops: { fp32: cpuPeak(4, 4.05, 32) + cpuPeak(4, 2.75, 16), int8: APPLE_NEON_INT8_PER_FP32 * (cpuPeak(4, 4.05, 32) + cpuPeak(4, 2.75, 16)) },
    memoryBandwidth: 100 * G,
    memoryBytes: 16 * GiB,
    tdpWatts: 20,
    launchOverheadSeconds: LAUNCH_CPU,
    cores: 8,
    cpuCore: cpuCoreFromIsa(APPLE_P, equivalentGhz(cpuPeak(4, 4.05, 32) + cpuPeak(4, 2.75, 16), 8, 32)),
    matrixUnit: appleAmx(1),
    sources: ['hardware.md S15 (u)', 'https://github.com/ggml-org/llama.cpp/discussions/4167 (100 GB/s)', ...APPLE_AMX_SOURCES, APPLE_INT8_SOURCE],
    notes: [
      'FP32 peak at 4.05 GHz P-cores (M3 holds near-peak clocks all-core) plus E-cores at ≈2.75 GHz (u).',
      appleAmxNote(1), APPLE_INT8_NOTE, 'bf16/fp16 run at ≤ fp32 rate.',
      'Memory: 16 GB configuration (8–24 GB offered). Power ≈20 W package under load.',
    ],
  },
  appleM2Cpu('apple-m2', 'Apple M2 (8-core CPU)', 'laptop', [4, 4], 100, 16, 20,
    'Apple M2 press release (June 2022): 4P + 4E cores, 100 GB/s unified memory',
    'Memory: 16 GB configuration (8–24 GB offered); ≈20 W package under CPU load (u).'),
  appleM2Cpu('apple-m2-pro', 'Apple M2 Pro (12-core CPU)', 'laptop', [8, 4], 200, 32, 35,
    'Apple M2 Pro/M2 Max press release (January 2023): 8P + 4E cores, 200 GB/s; validation.md V14 (XiongjieDai/GPU-Benchmarks-on-LLM-Inference issue #1)',
    'Memory: 32 GB configuration (16–32 GB offered); ≈35 W CPU package (u). A CPU cluster reaches only part of the SoC bandwidth (u).'),
  appleM2Cpu('apple-m2-ultra', 'Apple M2 Ultra (24-core CPU)', 'desktop', [16, 8], 800, 192, 70,
    'Apple M2 Ultra press release (June 2023): 16P + 8E cores, 800 GB/s, up to 192 GB; validation.md V14 (llama.cpp discussion #4167)',
    'Two M2 Max dies (UltraFusion). Memory: 192 GB configuration (Mac Studio / Mac Pro); ≈70 W CPU share (u).'),
  {
    id: 'core-ultra-7-155h',
    name: 'Intel Core Ultra 7 155H',
    kind: 'cpu',
    tier: 'laptop',
    // Sustained at 28–45 W: 6 P × 2.8 GHz × 32 + 8 E × 2.2 GHz × 16 + 2 LP-E × 1.4 GHz × 16 (AVX2, no AVX-512).
    peakFlops: {
      fp32: cpuPeak(6, 2.8, 32) + cpuPeak(8, 2.2, 16) + cpuPeak(2, 1.4, 16),
      // AVX-VNNI: 4× the FP32 rate per core (d).
      int8: 4 * (cpuPeak(6, 2.8, 32) + cpuPeak(8, 2.2, 16) + cpuPeak(2, 1.4, 16)),
    },
    memoryBandwidth: 120 * G,
    memoryBytes: 32 * GiB,
    cacheBytes: 24 * MB,
    tdpWatts: 28,
    launchOverheadSeconds: LAUNCH_CPU,
    cores: 16,
    // Redwood Cove P-core (AVX2 + AVX-VNNI) at the P-core-equivalent clock of the fp32 peak (cpuCores.ts).
    cpuCore: cpuCoreFromIsa(INTEL_CLIENT, equivalentGhz(cpuPeak(6, 2.8, 32) + cpuPeak(8, 2.2, 16) + cpuPeak(2, 1.4, 16), 16, 32)),
    sources: ['hardware.md S19', 'https://www.urtech.ca/2025/06/solved-whats-the-difference-between-an-intel-core-ultra-7-155u-155h/'],
    notes: [
      'FP32 peak at sustained all-core clocks (P 2.8 GHz, E 2.2 GHz, LP-E 1.4 GHz at 28–45 W), ≈0.87 TF; the 1.49 TF turbo figure is not sustained (d).',
      'No AVX-512 and no bf16 instructions: bf16/fp16 run below the fp32 rate. The NPU (≈11 TOPS) is not used by PyTorch.',
      'Memory: LPDDR5x-7467 (120 GB/s), 32 GB configuration. 28 W base power.',
    ],
  },
  {
    id: 'ryzen-7-7840u',
    name: 'AMD Ryzen 7 7840U',
    kind: 'cpu',
    tier: 'laptop',
    // 8 Zen 4 × 3.3 GHz × 32 FLOP/cycle (AVX-512 on 256-bit pipes).
    peakFlops: { fp32: cpuPeak(8, 3.3, 32), bf16: 2 * cpuPeak(8, 3.3, 32), int8: 4 * cpuPeak(8, 3.3, 32) },
    memoryBandwidth: 120 * G,
    memoryBytes: 32 * GiB,
    cacheBytes: 16 * MB,
    tdpWatts: 28,
    launchOverheadSeconds: LAUNCH_CPU,
    cpuCore: cpuCoreFromIsa(ZEN4, 3.3),
    cores: 8,
    sources: ['hardware.md S20 (u: recalled)'],
    notes: [
      'FP32 peak at the 3.3 GHz base clock, the realistic all-core clock at 28 W (0.84 TF; 1.31 TF at boost) (d).',
      'AVX512-BF16 gives 2× the fp32 rate for bf16 dot products; VNNI int8 4× (d). fp16 has no native path (falls back).',
      'Memory: LPDDR5x-7500 (120 GB/s), 32 GB configuration.',
    ],
  },
  // ───────────── Desktop CPUs ─────────────
  {
    id: 'ryzen-9-7950x',
    name: 'AMD Ryzen 9 7950X',
    kind: 'cpu',
    tier: 'desktop',
    peakFlops: { fp32: cpuPeak(16, 4.8, 32), bf16: 2 * cpuPeak(16, 4.8, 32), int8: 4 * cpuPeak(16, 4.8, 32) },
    memoryBandwidth: 83.2 * G,
    memoryBytes: 64 * GiB,
    cacheBytes: 64 * MB,
    tdpWatts: 170,
    launchOverheadSeconds: LAUNCH_CPU,
    cpuCore: cpuCoreFromIsa(ZEN4, 4.8),
    cores: 16,
    sources: ['hardware.md S20 (u: recalled)'],
    notes: [
      'FP32 peak at a sustained all-core AVX-512 clock of 4.8 GHz (2.46 TF; 2.30 TF at base, 2.9 at the 5.7 GHz boost) (d).',
      'AVX512-BF16 2× fp32 for bf16, VNNI int8 4× (d).',
      'Memory: 2-channel DDR5-5200 (83.2 GB/s), 64 GB. 170 W TDP (230 W PPT).',
    ],
  },
  raptorLake('core-i9-14900k', 'Intel Core i9-14900K', [5.0, 4.0], 89.6, ['hardware.md S20 (u: recalled)'], [
    'FP32 peak at sustained all-core clocks under the 253 W limit (P 5.0 GHz, E 4.0 GHz) = 2.30 TF; 1.43 TF at base, 2.56 at full turbo (d).',
    'Memory: 2-channel DDR5-5600 (89.6 GB/s), 64 GB. 125 W base / 253 W maximum turbo power.',
  ]),
  raptorLake('core-i9-13900k', 'Intel Core i9-13900K', [4.9, 3.6], 102.4, ['Intel ARK i9-13900K (8P + 16E, 36 MB L3, 125/253 W; recalled, u)', 'validation.md row 25, V14 (ggml-org/llama.cpp issue #34: DDR5-6400 2-channel)'], [
    'FP32 peak at all-core clocks under AVX2 load at 253 W (P 4.9 GHz, E 3.6 GHz; u).',
    'Memory: 2-channel DDR5-6400 (102.4 GB/s), 64 GB, as in the llama.cpp run of validation row 25.',
  ]),
  {
    id: 'threadripper-pro-5995wx',
    name: 'AMD Threadripper PRO 5995WX (64-core)',
    kind: 'cpu',
    tier: 'desktop',
    // Zen 3, AVX2 on 2 × 256-bit FMA pipes: 64 cores × 2.7 GHz (base, sustained all-core) × 32 FP32 FLOP/cycle = 5.53 TF.
    peakFlops: { fp32: cpuPeak(64, 2.7, 32) },
    memoryBandwidth: 204.8 * G,
    memoryBytes: 256 * GiB,
    cacheBytes: 256 * MB,
    tdpWatts: 280,
    launchOverheadSeconds: LAUNCH_CPU,
    cpuCore: cpuCoreFromIsa(ZEN3, 2.7),
    cores: 64,
    sources: ['AMD product page Threadripper PRO 5995WX (64 C, 2.7/4.5 GHz, 256 MB L3, 8-ch DDR4-3200, 280 W; recalled, u)', 'validation.md V14 (llama.cpp PR #7497)'],
    notes: [
      'Workstation part. Zen 3 has no AVX-512, no AVX512-BF16 and no VNNI: bf16 and int8 run below the fp32 rate.',
      'Memory: 8-channel DDR4-3200 (204.8 GB/s), 256 GB.',
    ],
  },
  // ───────────── Server CPUs (one socket per device) ─────────────
  {
    id: 'epyc-9654',
    name: 'AMD EPYC 9654 (96-core)',
    kind: 'cpu',
    tier: 'server',
    peakFlops: { fp32: cpuPeak(96, 3.1, 32), bf16: 2 * cpuPeak(96, 3.1, 32), int8: 4 * cpuPeak(96, 3.1, 32) },
    memoryBandwidth: 460.8 * G,
    memoryBytes: 768 * GiB,
    cacheBytes: 384 * MB,
    devicesPerNode: 2,
    tdpWatts: 360,
    price: {
      usdPerHour: 9.85 / 2,
      date: '2025',
      source: 'AWS c7a.48xlarge ≈$9.85/h for 2×96-core EPYC 9R14 (same Genoa die), per socket (hardware.md S20/S21, u)',
    },
    launchOverheadSeconds: LAUNCH_CPU,
    cpuCore: cpuCoreFromIsa(ZEN4, 3.1),
    cores: 96,
    sources: ['hardware.md S20 (u: recalled)'],
    notes: [
      'FP32 peak at a sustained all-core vector clock of 3.1 GHz (9.5 TF; 7.4 TF at base, 10.9 at the 3.55 GHz all-core boost) (d).',
      'AVX512-BF16 2× fp32, VNNI int8 4× (d).',
      'Memory: 12-channel DDR5-4800 (460.8 GB/s), 768 GB (12 × 64 GB). One socket per device.',
    ],
  },
  {
    id: 'epyc-9754',
    name: 'AMD EPYC 9754 (128-core)',
    kind: 'cpu',
    tier: 'server',
    peakFlops: { fp32: cpuPeak(128, 2.8, 32), bf16: 2 * cpuPeak(128, 2.8, 32), int8: 4 * cpuPeak(128, 2.8, 32) },
    memoryBandwidth: 460.8 * G,
    memoryBytes: 768 * GiB,
    cacheBytes: 256 * MB,
    devicesPerNode: 2,
    tdpWatts: 360,
    launchOverheadSeconds: LAUNCH_CPU,
    cpuCore: cpuCoreFromIsa(ZEN4, 2.8),
    cores: 128,
    sources: ['hardware.md S20 (u: recalled)'],
    notes: [
      'FP32 peak at a sustained all-core clock of 2.8 GHz (11.5 TF; 9.2 TF at base, 12.7 at 3.1 GHz) (d).',
      'AVX512-BF16 2× fp32, VNNI int8 4× (d). No cloud price found.',
      'Memory: 12-channel DDR5-4800 (460.8 GB/s), 768 GB.',
    ],
  },
  {
    id: 'xeon-8480',
    name: 'Intel Xeon Platinum 8480+ (56-core, AMX)',
    kind: 'cpu',
    tier: 'server',
    peakFlops: {
      // AVX-512, 2 × 512-bit FMA: 64 FP32 FLOP/cycle/core at the 2.0 GHz base (the sustained AVX-512/AMX clock).
      fp32: cpuPeak(56, 2.0, 64),
      // AMX-BF16: 1,024 ops/cycle/core; AMX-INT8: 2,048 (S16).
      bf16: cpuPeak(56, 2.0, 1024),
      int8: cpuPeak(56, 2.0, 2048),
      // AVX512-FP16 vectors: 2× the fp32 rate (d).
      fp16: cpuPeak(56, 2.0, 128),
    },
    memoryBandwidth: 307.2 * G,
    memoryBytes: 512 * GiB,
    cacheBytes: 105 * MB,
    devicesPerNode: 2,
    tdpWatts: 350,
    price: {
      usdPerHour: 9.68 / 2,
      date: '2025',
      source: 'AWS m7i.48xlarge ≈$9.68/h for 2× Xeon 8488C, per socket (hardware.md S21, u)',
    },
    launchOverheadSeconds: LAUNCH_CPU,
    cpuCore: cpuCoreFromIsa(SAPPHIRE_RAPIDS, 2.0),
    cores: 56,
    sources: ['hardware.md S16, S17', 'https://artikel.siakadpt.com/en/Advanced_Matrix_Extensions'],
    notes: [
      'Peaks at the 2.0 GHz base clock: all-core AVX-512/AMX loads run near base (FP32 7.2 TF, AMX BF16 115 TF, AMX INT8 229 TOPS) (d).',
      'PyTorch uses AMX through oneDNN for bf16 and int8 matmuls/convolutions.',
      'Memory: 8-channel DDR5-4800 (307.2 GB/s), 512 GB. One socket per device.',
    ],
  },
  {
    id: 'graviton3',
    name: 'AWS Graviton3 (64-core)',
    kind: 'cpu',
    tier: 'server',
    peakFlops: {
      // 64 × 2.6 GHz × 2 SVE 256-bit FMA pipes × 8 lanes × 2.
      fp32: cpuPeak(64, 2.6, 32),
      // BFMMLA/SMMLA exist; no vendor peak is published. Conservative 2× / 4× fp32 (d, u).
      bf16: 2 * cpuPeak(64, 2.6, 32),
      int8: 4 * cpuPeak(64, 2.6, 32),
    },
    memoryBandwidth: 307.2 * G,
    memoryBytes: 256 * GiB,
    cacheBytes: 32 * MB,
    tdpWatts: 100,
    price: {
      usdPerHour: 2.61,
      date: '2026-06',
      source: 'AWS m7g.16xlarge ≈$2.61/h (d: linear from m7g.large $0.0816, factualminds, Jun 2026; hardware.md S21)',
    },
    launchOverheadSeconds: LAUNCH_CPU,
    cpuCore: cpuCoreFromIsa(NEOVERSE_V1, 2.6),
    cores: 64,
    sources: ['hardware.md S18', 'https://en.wikichip.org/wiki/AWS_Graviton3'],
    notes: [
      'FP32 peak at the fixed 2.6 GHz clock (5.3 TF).',
      'BF16 (BFMMLA) and INT8 (SMMLA) peaks are unpublished; 2× and 4× fp32 assumed (u). ≈100 W reported (u).',
      'Memory: 8-channel DDR5-4800 (307.2 GB/s), 256 GB (m7g.16xlarge).',
    ],
  },
  {
    id: 'graviton4',
    name: 'AWS Graviton4 (96-core)',
    kind: 'cpu',
    tier: 'server',
    peakFlops: {
      // 96 × 2.8 GHz × 4 SVE2 128-bit FMA pipes × 4 lanes × 2.
      fp32: cpuPeak(96, 2.8, 32),
      bf16: 2 * cpuPeak(96, 2.8, 32),
      int8: 4 * cpuPeak(96, 2.8, 32),
    },
    memoryBandwidth: 537.6 * G,
    memoryBytes: 192 * GiB,
    cacheBytes: 36 * MB,
    price: {
      usdPerHour: 3.83,
      date: '2025',
      source: 'AWS c8g.24xlarge ≈$3.83/h (hardware.md S18, u: recalled list price)',
    },
    launchOverheadSeconds: LAUNCH_CPU,
    cpuCore: cpuCoreFromIsa(NEOVERSE_V2, 2.8),
    cores: 96,
    sources: ['hardware.md S18', 'https://en.wikichip.org/wiki/annapurna_labs/graviton/graviton4'],
    notes: [
      'FP32 peak at the fixed 2.8 GHz clock (8.6 TF).',
      'BF16/INT8 matrix peaks unpublished; 2× and 4× fp32 assumed (u). No TDP published: energy not estimated.',
      'Memory: 12-channel DDR5-5600 (537.6 GB/s), 192 GB (c8g.24xlarge).',
    ],
  },
  // ───────────── Apple GPUs (unified memory) ─────────────
  appleM2Gpu('apple-m2-gpu', 'Apple M2 GPU (10-core)', 10, 100, 24, 15,
    'validation.md V14 (llama.cpp discussion #4167: M2 10-core GPU, 100 GB/s); Apple M2 press release (3.6 TFLOPS)'),
  appleM2Gpu('apple-m2-pro-gpu', 'Apple M2 Pro GPU (19-core)', 19, 200, 32, 30,
    'Apple M2 Pro press release (January 2023): up to 19 GPU cores, 200 GB/s; validation.md V14 (XiongjieDai/GPU-Benchmarks-on-LLM-Inference issue #1)'),
  appleM2Gpu('apple-m2-max-gpu', 'Apple M2 Max GPU (38-core)', 38, 400, 96, 60,
    'Apple M2 Max press release (January 2023): up to 38 GPU cores, 400 GB/s; validation.md V14 (llama.cpp discussion #4167)'),
  appleM2Gpu('apple-m2-ultra-gpu', 'Apple M2 Ultra GPU (76-core)', 76, 800, 192, 120,
    'Apple M2 Ultra press release (June 2023): up to 76 GPU cores, 800 GB/s, up to 192 GB; validation.md V14 (llama.cpp discussion #4167)'),
  {
    id: 'apple-m3-max-gpu',
    name: 'Apple M3 Max GPU (40-core)',
    kind: 'gpu',
    tier: 'apple-gpu',
    peakFlops: { fp32: 14.3 * T, fp16: 14.3 * T, bf16: 14.3 * T },
    memoryBandwidth: 400 * G,
    memoryBytes: 96 * GiB,
    tdpWatts: 60,
    launchOverheadSeconds: LAUNCH_MPS,
    sources: ['hardware.md S15 (3p)', 'https://hmc-tech.com/gpu/apple-32-core-m4-max-vs-apple-40-core-m3-max'],
    notes: [
      'Apple publishes no TFLOPS: 14.3 TF is a third-party ALU × clock estimate (5,120 ALUs at ≈1.40 GHz); fp16/bf16 run at the same rate (no tensor units) (3p).',
      'Unified memory: 128 GB configuration, of which Metal lets the GPU use ≈75% (96 GB) by default; no PCIe copy.',
      'Power: ≈60 W GPU share of package power (u). No cloud price.',
    ],
  },
  {
    id: 'apple-m4-max-gpu',
    name: 'Apple M4 Max GPU (40-core)',
    kind: 'gpu',
    tier: 'apple-gpu',
    peakFlops: { fp32: 17.2 * T, fp16: 17.2 * T, bf16: 17.2 * T },
    memoryBandwidth: 546 * G,
    memoryBytes: 96 * GiB,
    tdpWatts: 70,
    launchOverheadSeconds: LAUNCH_MPS,
    sources: ['hardware.md S15, V14 (d from 3p clock)'],
    notes: [
      '≈17.2 TF extrapolated from 5,120 ALUs at ≈1.68 GHz (d); same rate for fp16/bf16.',
      'Unified memory: 128 GB configuration, ≈75% (96 GB) usable by the GPU by default.',
      'Power: ≈70 W GPU share (u). No cloud price.',
    ],
  },
  // ───────────── NVIDIA / AMD GPUs ─────────────
  v100('SXM2', 16, { usdPerHour: 3.06, date: '2025', source: 'AWS p3.2xlarge on-demand (1× V100 SXM2 16GB, 8 vCPU; recalled list price, u)' }),
  v100('SXM2', 32, { usdPerHour: 31.212 / 8, date: '2025', source: 'AWS p3dn.24xlarge on-demand $31.212/h for 8× V100 SXM2 32GB, per GPU (recalled list price, u)' }),
  v100('PCIe', 16),
  v100('PCIe', 32),
  {
    id: 't4',
    name: 'NVIDIA T4',
    kind: 'gpu',
    tier: 'datacenter-gpu',
    peakFlops: { fp32: 8.1 * T, fp16: 65 * T, int8: 130 * T },
    memoryBandwidth: 320 * G,
    memoryBytes: 16 * GiB,
    cacheBytes: 4 * MB,
    hostLinkBandwidth: PCIE3,
    devicesPerNode: 4,
    tdpWatts: 70,
    price: { usdPerHour: 0.526, date: '2025', source: 'AWS g4dn.xlarge on-demand incl. 4 vCPU (hardware.md S21, u)' },
    launchOverheadSeconds: LAUNCH_GPU,
    sources: ['hardware.md S6', 'https://sysrqmts.com/en/gpus/nvidia/tesla/t4'],
    notes: [
      'Turing: no TF32 and no bf16 tensor cores; bf16 falls back to the fp32 rate.',
      'PCIe Gen3 x16; no NVLink (multi-GPU traffic crosses PCIe).',
    ],
  },
  {
    id: 'l4',
    name: 'NVIDIA L4',
    kind: 'gpu',
    tier: 'datacenter-gpu',
    peakFlops: { fp32: 30.3 * T, tf32: 60 * T, fp16: 121 * T, bf16: 121 * T, fp8: 242.5 * T, int8: 242.5 * T },
    memoryBandwidth: 300 * G,
    memoryBytes: 24 * GiB,
    cacheBytes: 48 * MB,
    hostLinkBandwidth: PCIE4,
    devicesPerNode: 8,
    tdpWatts: 72,
    price: { usdPerHour: 0.75, date: '2026-03', source: 'GCP g2-standard-4 $0.70–0.80/h (costnimbus, Mar 2026; hardware.md S21)' },
    launchOverheadSeconds: LAUNCH_GPU,
    sources: ['hardware.md S7', 'https://store.sourcecode.com/en-us/bg-bucket-compare/125/9820'],
    notes: ['Datasheet tensor figures are sparse; halved here.'],
  },
  {
    id: 'a10g',
    name: 'NVIDIA A10G',
    kind: 'gpu',
    tier: 'datacenter-gpu',
    peakFlops: { fp32: 35 * T, tf32: 35 * T, fp16: 70 * T, bf16: 70 * T, int8: 140 * T },
    memoryBandwidth: 600 * G,
    memoryBytes: 24 * GiB,
    cacheBytes: 6 * MB,
    hostLinkBandwidth: PCIE4,
    devicesPerNode: 8,
    tdpWatts: 300,
    price: { usdPerHour: 1.006, date: '2026-06', source: 'AWS g5.xlarge incl. 4 vCPU (factualminds, Jun 2026; hardware.md S21)' },
    launchOverheadSeconds: LAUNCH_GPU,
    sources: ['hardware.md S8', 'https://www.baseten.co/blog/nvidia-a10-vs-a10g-for-ml-model-inference/'],
    notes: [
      'AWS-only part; compute figures are derived (80 SMs at ≈1.71 GHz, GeForce-style half-rate FP32-accumulate tensor math) (d/u).',
      'TDP 300 W is a third-party figure (the A10 is 150 W) (u).',
    ],
  },
  {
    id: 'a100-40gb',
    name: 'NVIDIA A100 40GB SXM',
    kind: 'gpu',
    tier: 'datacenter-gpu',
    peakFlops: { fp32: 19.5 * T, tf32: 156 * T, fp16: 312 * T, bf16: 312 * T, int8: 624 * T },
    memoryBandwidth: 1555 * G,
    memoryBytes: 40 * GiB,
    cacheBytes: 40 * MB,
    hostLinkBandwidth: PCIE4,
    scaleUpBandwidth: 300 * G,
    scaleOutBandwidth: NIC_200G,
    devicesPerNode: 8,
    tdpWatts: 400,
    price: { usdPerHour: 1.84, date: '2025-01', source: 'AWS p4d Capacity Block per GPU (hardware.md S21)' },
    launchOverheadSeconds: LAUNCH_GPU,
    sources: ['hardware.md S1', 'https://glennklockwood.com/garden/processors/A100'],
    notes: ['NVLink3 300 GB/s per direction (600 total), 8 GPUs per HGX node.'],
  },
  {
    id: 'a100-80gb',
    name: 'NVIDIA A100 80GB SXM',
    kind: 'gpu',
    tier: 'datacenter-gpu',
    peakFlops: { fp32: 19.5 * T, tf32: 156 * T, fp16: 312 * T, bf16: 312 * T, int8: 624 * T },
    memoryBandwidth: 2039 * G,
    memoryBytes: 80 * GiB,
    cacheBytes: 40 * MB,
    hostLinkBandwidth: PCIE4,
    scaleUpBandwidth: 300 * G,
    scaleOutBandwidth: NIC_200G,
    devicesPerNode: 8,
    tdpWatts: 400,
    price: { usdPerHour: 1.99, date: '2026-01', source: 'neocloud range $1.49–2.49/h, midpoint (pricegpu, early 2026; hardware.md S21)' },
    launchOverheadSeconds: LAUNCH_GPU,
    sources: ['hardware.md S1', 'https://glennklockwood.com/garden/processors/A100'],
    notes: ['NVLink3 300 GB/s per direction, 8 GPUs per HGX node.'],
  },
  {
    id: 'h100-sxm',
    name: 'NVIDIA H100 SXM',
    kind: 'gpu',
    tier: 'datacenter-gpu',
    peakFlops: GH100_SXM_PEAKS,
    memoryBandwidth: 3350 * G,
    memoryBytes: 80 * GiB,
    cacheBytes: 50 * MB,
    hostLinkBandwidth: PCIE5,
    scaleUpBandwidth: 450 * G,
    scaleOutBandwidth: NIC_400G,
    devicesPerNode: 8,
    tdpWatts: 700,
    price: { usdPerHour: 3.0, date: '2026-03', source: 'GCP ≈$3.00, Lambda $2.99, AWS ≈$3.90 per GPU-h (costnimbus, Mar 2026; hardware.md S21)' },
    launchOverheadSeconds: LAUNCH_GPU,
    sources: ['hardware.md S2', 'https://glennklockwood.com/garden/processors/h100'],
    notes: ['NVLink4 450 GB/s per direction (900 total), 8 GPUs per HGX node.'],
  },
  {
    id: 'h100-pcie',
    name: 'NVIDIA H100 PCIe',
    kind: 'gpu',
    tier: 'datacenter-gpu',
    peakFlops: { fp32: 51 * T, tf32: 378 * T, fp16: 756 * T, bf16: 756 * T, fp8: 1513 * T, int8: 1513 * T },
    memoryBandwidth: 2000 * G,
    memoryBytes: 80 * GiB,
    cacheBytes: 50 * MB,
    hostLinkBandwidth: PCIE5,
    devicesPerNode: 8,
    tdpWatts: 350,
    launchOverheadSeconds: LAUNCH_GPU,
    sources: ['hardware.md S2', 'https://archive-lib.hpctech.co.jp/gpuproduct/nvidia-h100.html'],
    notes: [
      'NVLink bridges join pairs only (300 GB/s per direction); collectives across a node are modelled over PCIe.',
      'TDP 300–350 W. No cloud price found.',
    ],
  },
  H200,
  {
    ...H200,
    id: 'h200-1000w',
    name: 'NVIDIA H200 SXM (1,000 W)',
    tdpWatts: 1000,
    price: undefined,
    sources: ['hardware.md S3, note 5', 'validation.md V9 (mlcommons/inference_results_v4.0 H200-SXM-141GB-CTSx8_TRT: "H200 TGP 1000W")'],
    notes: [
      'The H200 with its power limit raised to 1,000 W (MLPerf v4.0 "CTS" system): the same datasheet peaks, held at boost clock under long dense loads; energy at 1,000 W.',
      'No public price for the 1,000 W configuration.',
    ],
  },
  {
    id: 'h800',
    name: 'NVIDIA H800 SXM',
    kind: 'gpu',
    tier: 'datacenter-gpu',
    peakFlops: GH100_SXM_PEAKS,
    memoryBandwidth: 3350 * G,
    memoryBytes: 80 * GiB,
    cacheBytes: 50 * MB,
    hostLinkBandwidth: PCIE5,
    scaleUpBandwidth: 200 * G,
    scaleOutBandwidth: NIC_400G,
    devicesPerNode: 8,
    tdpWatts: 700,
    launchOverheadSeconds: LAUNCH_GPU,
    sources: ['validation.md row 8, V15 (DeepSeek-V3 report: H100 compute, NVLink cut to 400 GB/s; u)', 'hardware.md S2'],
    notes: ['Export variant of the H100 SXM: same compute and HBM3, NVLink 400 GB/s total (200 per direction). No public price.'],
  },
  {
    id: 'b200',
    name: 'NVIDIA B200 (HGX, 1,000 W)',
    kind: 'gpu',
    tier: 'datacenter-gpu',
    // FP4 9 PF dense per GPU: DGX B200 lists 144 PF FP4 for 8 GPUs with 2:4 sparsity (72 PF FP8 training).
    peakFlops: { fp32: 75 * T, tf32: 1100 * T, fp16: 2250 * T, bf16: 2250 * T, fp8: 4500 * T, fp4: 9000 * T, int8: 4500 * T },
    memoryBandwidth: 7.7 * T,
    memoryBytes: 180e9,
    cacheBytes: 126.5 * MB,
    hostLinkBandwidth: PCIE5,
    scaleUpBandwidth: 900 * G,
    scaleOutBandwidth: NIC_400G,
    devicesPerNode: 8,
    tdpWatts: 1000,
    price: { usdPerHour: 5.25, date: '2026-03', source: 'specialised clouds $4.50–6.00/h, midpoint (lyceum, Mar 2026; hardware.md S21)' },
    launchOverheadSeconds: LAUNCH_GPU,
    sources: ['hardware.md S4, S5', 'https://glennklockwood.com/garden/processors/B200', 'pytorch/ao PR #4002'],
    notes: [
      'FP32 75 TF from the later HGX B200 datasheet (the early brief said 80) (u).',
      'Memory: 180 GB usable and ≈7.7 TB/s as the driver reports the bus (8 TB/s spec) (S5).',
      'NVLink5 900 GB/s per direction (1,800 total).',
      'FP4 (NVFP4/MXFP4) 9 PF dense: HGX/DGX B200 datasheets give 18 PF per GPU with 2:4 sparsity (u: recalled).',
    ],
  },
  {
    id: 'gb200',
    name: 'NVIDIA GB200 (per GPU, NVL72)',
    kind: 'gpu',
    tier: 'datacenter-gpu',
    // Dense per-GPU peaks of the 1,200 W GB200 brief; FP4 10,000 TF dense (NVL72: 1,440 PF FP4 with sparsity for 72 GPUs).
    peakFlops: { fp32: 90 * T, tf32: 1250 * T, fp16: 2500 * T, bf16: 2500 * T, fp8: 5000 * T, fp4: 10000 * T, int8: 5000 * T },
    memoryBandwidth: 8000 * G,
    memoryBytes: 186e9,
    cacheBytes: 126 * MB,
    hostLinkBandwidth: 450 * G,
    scaleUpBandwidth: 900 * G,
    scaleOutBandwidth: NIC_400G,
    devicesPerNode: 72,
    tdpWatts: 1200,
    launchOverheadSeconds: LAUNCH_GPU,
    sources: ['hardware.md S4, V16', 'https://glennklockwood.com/garden/processors/B200'],
    notes: [
      'FP32 90 TF from the GB200 brief (u; the rack sheet later gives ≈80). FP4 10 PF dense.',
      'NVL72: one 72-GPU NVLink5 domain (900 GB/s per direction per GPU); host link is NVLink-C2C to Grace (450 GB/s per direction). No public price.',
    ],
  },
  {
    id: 'rtx-3090',
    name: 'NVIDIA GeForce RTX 3090',
    kind: 'gpu',
    tier: 'consumer-gpu',
    peakFlops: { fp32: 35.6 * T, tf32: 35.6 * T, fp16: 71 * T, bf16: 71 * T, int8: 284 * T },
    memoryBandwidth: 936 * G,
    memoryBytes: 24 * GiB,
    cacheBytes: 6 * MB,
    hostLinkBandwidth: PCIE4,
    devicesPerNode: 4,
    tdpWatts: 350,
    launchOverheadSeconds: LAUNCH_GPU,
    sources: ['hardware.md S9 (u: whitepaper values recalled)'],
    notes: [
      'FP16/BF16 tensor rate with FP32 accumulate (what PyTorch uses): 71 TF; 142 TF with FP16 accumulate.',
      'NVLink bridge (≈56 GB/s per direction) joins pairs only; collectives are modelled over PCIe. No cloud price.',
    ],
  },
  {
    id: 'rtx-3090-ti',
    name: 'NVIDIA GeForce RTX 3090 Ti',
    kind: 'gpu',
    tier: 'consumer-gpu',
    // GA102 full: 84 SM, 10,752 CUDA at 1.86 GHz boost = 40 TF fp32; FP32-accumulate tensor 80 TF (160 FP16-accumulate).
    peakFlops: { fp32: 40 * T, tf32: 40 * T, fp16: 80 * T, bf16: 80 * T, int8: 320 * T },
    memoryBandwidth: 1008 * G,
    memoryBytes: 24 * GiB,
    cacheBytes: 6 * MB,
    hostLinkBandwidth: PCIE4,
    devicesPerNode: 4,
    tdpWatts: 450,
    launchOverheadSeconds: LAUNCH_GPU,
    sources: ['NVIDIA GeForce RTX 3090 Ti specifications (10,752 CUDA cores, 1.86 GHz boost, 24 GB GDDR6X at 21 Gbps = 1,008 GB/s, 450 W; recalled, u)', 'validation.md V14 (mlc-ai/llm-perf-bench PR #1)'],
    notes: ['Ampere GeForce: FP32-accumulate tensor math at half the FP16-accumulate rate (hardware.md convention). No NVLink. No cloud price.'],
  },
  {
    id: 'rtx-4090',
    name: 'NVIDIA GeForce RTX 4090',
    kind: 'gpu',
    tier: 'consumer-gpu',
    peakFlops: { fp32: 82.6 * T, tf32: 82.6 * T, fp16: 165.2 * T, bf16: 165.2 * T, fp8: 330.3 * T, int8: 660.6 * T },
    memoryBandwidth: 1008 * G,
    memoryBytes: 24 * GiB,
    cacheBytes: 72 * MB,
    hostLinkBandwidth: PCIE4,
    devicesPerNode: 4,
    tdpWatts: 450,
    launchOverheadSeconds: LAUNCH_GPU,
    sources: ['hardware.md S10', 'https://waredb.com/processor/nvidia-geforce-rtx-4090'],
    notes: [
      'FP16/BF16 tensor rate with FP32 accumulate: 165.2 TF (330.3 with FP16 accumulate). No NVLink. No cloud price.',
    ],
  },
  {
    id: 'rtx-5090',
    name: 'NVIDIA GeForce RTX 5090',
    kind: 'gpu',
    tier: 'consumer-gpu',
    // FP4 1,676 TF dense with FP32 accumulate (3,352 "AI TOPS" with sparsity: NVIDIA RTX Blackwell architecture whitepaper).
    peakFlops: { fp32: 104.8 * T, tf32: 104.8 * T, fp16: 209.5 * T, bf16: 209.5 * T, fp8: 419 * T, fp4: 1676 * T, int8: 838 * T },
    memoryBandwidth: 1792 * G,
    memoryBytes: 32 * GiB,
    cacheBytes: 96 * MB,
    hostLinkBandwidth: PCIE5,
    devicesPerNode: 4,
    tdpWatts: 575,
    launchOverheadSeconds: LAUNCH_GPU,
    sources: ['hardware.md S11', 'https://www.spheron.network/blog/nvidia-rtx-5090-specs/'],
    notes: [
      'FP16/BF16 FP32-accumulate half rate (209.5 TF) corroborated only by third-party code (u); TF32 ≈ FP32 rate (u).',
      'No NVLink. No cloud price.',
      'FP4 1,676 TF dense (3,352 AI TOPS with sparsity, RTX Blackwell whitepaper; u: recalled).',
    ],
  },
  {
    id: 'mi300x',
    name: 'AMD Instinct MI300X',
    kind: 'gpu',
    tier: 'datacenter-gpu',
    peakFlops: { fp32: 163.4 * T, tf32: 653.7 * T, fp16: 1307.4 * T, bf16: 1307.4 * T, fp8: 2614.9 * T, int8: 2614.9 * T },
    memoryBandwidth: 5300 * G,
    memoryBytes: 192 * GiB,
    cacheBytes: 256 * MB,
    hostLinkBandwidth: PCIE5,
    scaleUpBandwidth: 448 * G,
    scaleOutBandwidth: NIC_400G,
    devicesPerNode: 8,
    tdpWatts: 750,
    price: { usdPerHour: 1.78, date: '2025', source: 'TensorWave/Vultr $1.71–1.85/h, midpoint (gpu.blog listing, date unclear; hardware.md S21, u)' },
    launchOverheadSeconds: LAUNCH_GPU,
    sources: ['hardware.md S13', 'https://rocm.docs.amd.com/en/docs-6.2.2/conceptual/gpu-arch/mi300.html'],
    notes: [
      'AMD dense peaks; FP32 163.4 TF is the packed/matrix rate (81.7 TF vector).',
      'Infinity Fabric: 7 links × 64 GB/s = 448 GB/s per direction, 8 GPUs per node.',
    ],
  },
];

/** The comparison set shown before the user picks devices (mirrors the `floplens.hardware.compare` default). */
export const DEFAULT_COMPARE_IDS: readonly string[] = ['core-ultra-7-155h', 'epyc-9654', 't4', 'rtx-4090', 'a100-80gb', 'h100-sxm'];

const BY_ID = new Map(HARDWARE.map((h) => [h.id, h]));

/** The catalog profile with this id, or undefined. */
export function getHardware(id: string): HardwareProfile | undefined {
  return BY_ID.get(id);
}

/**
 * Profiles for `ids` in order: `extra` (custom or this-machine profiles) take precedence over the catalog
 * with the same id. Ids found nowhere are returned in `unknown`, never thrown.
 */
export function resolveHardwareIds(ids: readonly string[], extra: readonly HardwareProfile[] = []): { profiles: HardwareProfile[]; unknown: string[] } {
  const extraById = new Map(extra.map((h) => [h.id, h]));
  const profiles: HardwareProfile[] = [];
  const unknown: string[] = [];
  const seen = new Set<string>();
  for (const id of ids) {
    if (seen.has(id)) continue;
    seen.add(id);
    const h = extraById.get(id) ?? BY_ID.get(id);
    if (h) profiles.push(h);
    else unknown.push(id);
  }
  return { profiles, unknown };
}
