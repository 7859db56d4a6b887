/**
 * The "this machine" profile, built from the live benchmark's measured rates, and the helper that relates a
 * measured rate or a device name to the catalog.
 *
 * The benchmark (gpu.js in a webview, WebGL2, plus a CPU kernel) measures FP32 matmul rates without tensor cores
 * and through a browser, so it is a calibration point, not a peak (formulas.md, "Notes for the live gpu.js
 * matmul benchmark"). Hence:
 * - when the renderer / CPU model names a catalog device, the profile takes that device's datasheet figures and
 *   records the measured rate as a fraction of its paper peak;
 * - otherwise the measured rate is taken as what a large GEMM achieves, so the profile's fp32 peak is
 *   `measured ÷ the GEMM efficiency the projection applies` (0.78 GPU, 0.60 CPU; see project/efficiency.ts), and
 *   bandwidth/memory are conservative defaults stated in the profile's notes.
 */
import type { HardwareProfile } from '../core/hardware/types';
import { HARDWARE, getHardware } from '../core/hardware/catalog';
import { formatGflops } from './format';
import { formatPercent } from '../core/format';
import { cpuCoreFromIsa, type CpuIsa } from '../core/hardware/cpuIsa';

/**
 * What the live benchmark reports. Rates are achieved FP32 matmul rates (2·n³ / seconds), in GFLOP/s.
 */
export interface MeasuredRates {
  /** This machine's GPU through WebGL2, GFLOP/s; absent when no GPU kernel ran. */
  gpuGflops?: number;
  /** The CPU, GFLOP/s, for ALL cores: multiply a single-thread rate by the threads the kernel could use. */
  cpuGflops: number;
  /** Logical CPU cores (`navigator.hardwareConcurrency` / `os.cpus().length`). */
  cpuCores: number;
  /** WebGL `UNMASKED_RENDERER_WEBGL` string, e.g. "ANGLE (NVIDIA, NVIDIA GeForce RTX 4090 …)". */
  renderer?: string;
  /** ISO date of the measurement, e.g. `2026-11-21`. */
  date: string;
  /** True when the renderer is a software rasteriser (SwiftShader, llvmpipe): not a GPU. */
  softwareRenderer?: boolean;
  /** What a BLAS reaches on this CPU: the WebAssembly SIMD kernel scaled by the documented factor (devices.ts), GFLOP/s. */
  cpuBlasGflops?: number;
  /** The CPU's fp32 peak from its vector features (or catalog), GFLOP/s, and how it was found. */
  cpuPeakGflops?: number;
  cpuPeakBasis?: string;
  /** The CPU's vector ISA flags as the host reports them (`/proc/cpuinfo` flags: avx512f, avx2, fma, neon, sve). */
  cpuFeatures?: string[];
  /** The core clock the host reports, GHz (the feature peak's clock). */
  cpuGhz?: number;
}

/** Clock assumed for a CPU core when the host reports none (the feature peak's default, livebench/devices.ts). */
const ASSUMED_GHZ = 3.0;

/** Who designed a CPU, from its model name and features (AVX-512 is 2 × 512-bit on Intel, 256-bit pipes on AMD). */
function vendorOf(cpuModel: string | undefined, features: readonly string[]): CpuIsa['vendor'] {
  const m = cpuModel ?? '';
  if (/\bamd\b|ryzen|epyc|threadripper|athlon/i.test(m)) return 'amd';
  if (/intel|xeon|\bcore\b|pentium|celeron/i.test(m)) return 'intel';
  if (/apple/i.test(m)) return 'apple';
  if (features.some((f) => /^(neon|asimd|sve)$/i.test(f)) || /neoverse|cortex|graviton|ampere|arm/i.test(m)) return 'arm';
  return 'other';
}

/**
 * The core of this machine as PyTorch's kernels see it (HardwareProfile.cpuCore), from the detected ISA flags and the
 * reported clock. Without flags (a browser cannot read them) the AVX2 + FMA class the feature peak assumes is taken.
 */
export function thisMachineCore(cpuModel: string | undefined, features: readonly string[] | undefined, ghz: number | undefined): { core: NonNullable<HardwareProfile['cpuCore']>; basis: string } {
  const known = features !== undefined && features.length > 0;
  const flags = known ? features : ['avx2', 'fma'];
  const clock = pos(ghz) ?? ASSUMED_GHZ;
  const core = cpuCoreFromIsa({ vendor: vendorOf(cpuModel, flags), flags }, clock);
  const basis = `Core: ${core.fp32PerCycle} FP32 FLOP/cycle, ${core.vectorBits}-bit vectors at ${clock.toFixed(2)} GHz (${known ? `ISA flags ${flags.join(', ')}` : 'flags unknown: AVX2 + FMA assumed'}; clock ${pos(ghz) !== undefined ? 'reported by the OS' : 'assumed'}).`;
  return { core, basis };
}

/** Efficiencies the projection applies to large GEMMs (mid), used to turn a measured rate into a peak. */
const GEMM_MID_EFF = { gpu: 0.78, cpu: 0.6 } as const;
const G = 1e9;
const GiB = 2 ** 30;

/** Name patterns for catalog devices, most specific first. Tested against a lower-cased, (R)/(TM)-stripped name. */
const NAME_PATTERNS: readonly [RegExp, string][] = [
  [/\bh100\b.*\bpcie\b/, 'h100-pcie'],
  [/\bh100\b/, 'h100-sxm'],
  [/\bh200\b/, 'h200'],
  [/\bb200\b/, 'b200'],
  [/\ba100\b.*\b80\s?gb\b/, 'a100-80gb'],
  [/\ba100\b/, 'a100-40gb'],
  [/\ba10g\b/, 'a10g'],
  [/\bl4\b/, 'l4'],
  [/\btesla t4\b|\bnvidia t4\b|^t4$/, 't4'],
  [/\brtx 5090\b/, 'rtx-5090'],
  [/\brtx 4090\b/, 'rtx-4090'],
  [/\brtx 3090\b/, 'rtx-3090'],
  [/\bmi300x\b/, 'mi300x'],
  [/\bapple m4 max\b/, 'apple-m4-max-gpu'],
  [/\bapple m3 max\b/, 'apple-m3-max-gpu'],
  [/\bultra 7 155h\b/, 'core-ultra-7-155h'],
  [/\b7840u\b/, 'ryzen-7-7840u'],
  [/\b7950x\b/, 'ryzen-9-7950x'],
  [/\b14900k\b/, 'core-i9-14900k'],
  [/\bepyc 9654\b/, 'epyc-9654'],
  [/\bepyc 9754\b/, 'epyc-9754'],
  [/\b8480\+?/, 'xeon-8480'],
  [/\bneoverse-?v1\b|\bgraviton ?3\b/, 'graviton3'],
  [/\bneoverse-?v2\b|\bgraviton ?4\b/, 'graviton4'],
  [/^apple m3$|\bapple m3\b(?! (pro|max))/, 'apple-m3'],
];

function normalise(name: string): string {
  return name.toLowerCase().replace(/\((r|tm)\)/g, ' ').replace(/[^a-z0-9+\- ]+/g, ' ').replace(/\s+/g, ' ').trim();
}

/** A catalog device related to a measurement. */
export interface KnownDeviceMatch {
  profile: HardwareProfile;
  /** `name` when the device string names it, `rate` when only the measured rate was close. */
  matchedBy: 'name' | 'rate';
  /** Measured rate ÷ the device's dense fp32 peak (when a rate was given). */
  fractionOfPeak?: number;
}

/**
 * Relates a measured device to the catalog: first by name (renderer string or CPU model), else by the catalog
 * device of the same kind whose expected large-GEMM fp32 rate (peak × GEMM efficiency) is nearest in ratio.
 * `fp32Flops` is the measured rate in FLOP/s. Returns undefined when nothing can be matched.
 */
export function nearestKnownDevice(query: { kind: 'cpu' | 'gpu'; name?: string; fp32Flops?: number }): KnownDeviceMatch | undefined {
  const rate = typeof query.fp32Flops === 'number' && Number.isFinite(query.fp32Flops) && query.fp32Flops > 0 ? query.fp32Flops : undefined;
  const frac = (p: HardwareProfile): number | undefined => (rate !== undefined && p.peakFlops.fp32 ? rate / p.peakFlops.fp32 : undefined);
  if (query.name) {
    const n = normalise(query.name);
    for (const [re, id] of NAME_PATTERNS) {
      if (!re.test(n)) continue;
      const p = getHardware(id);
      if (p && p.kind === query.kind) return { profile: p, matchedBy: 'name', fractionOfPeak: frac(p) };
    }
  }
  if (rate === undefined) return undefined;
  let best: HardwareProfile | undefined;
  let bestD = Number.POSITIVE_INFINITY;
  for (const p of HARDWARE) {
    if (p.kind !== query.kind || !p.peakFlops.fp32) continue;
    const d = Math.abs(Math.log(rate / (p.peakFlops.fp32 * GEMM_MID_EFF[query.kind])));
    if (d < bestD) { bestD = d; best = p; }
  }
  return best ? { profile: best, matchedBy: 'rate', fractionOfPeak: frac(best) } : undefined;
}

const pos = (x: unknown): number | undefined => (typeof x === 'number' && Number.isFinite(x) && x > 0 ? x : undefined);

/**
 * The `this-machine` profile from live benchmark rates. A GPU profile when a hardware GPU was measured, else a CPU
 * profile. `cpuModel` is the host's CPU name (`os.cpus()[0].model`). Never throws: missing or invalid rates fall
 * back to stated defaults.
 */
export function thisMachineProfile(measured: MeasuredRates, cpuModel?: string): HardwareProfile {
  const date = typeof measured?.date === 'string' && measured.date ? measured.date : 'unknown date';
  const gpuRate = pos(measured?.gpuGflops);
  const cpuRate = pos(measured?.cpuGflops);
  const cores = pos(measured?.cpuCores);
  const source = `FlopLens live benchmark, ${date}`;
  const notes: string[] = [];

  if (gpuRate !== undefined && !measured.softwareRenderer) {
    const flops = gpuRate * G;
    const match = measured.renderer ? nearestKnownDevice({ kind: 'gpu', name: measured.renderer, fp32Flops: flops }) : undefined;
    if (match?.matchedBy === 'name') {
      return asThisMachine(match.profile, source, [
        `Measured ${formatGflops(gpuRate)} FP32 through WebGL = ${pct(match.fractionOfPeak)} of the ${match.profile.name} paper peak; projections use the datasheet figures (WebGL reaches neither tensor cores nor CUDA libraries).`,
      ]);
    }
    notes.push(
      `GPU "${measured.renderer ?? 'unknown'}" is not in the catalog: measured ${formatGflops(gpuRate)} FP32 through WebGL, taken as its large-GEMM rate (fp32 peak = measured ÷ ${GEMM_MID_EFF.gpu}). This is a floor: PyTorch's CUDA/ROCm/Metal kernels and tensor cores reach more.`,
      'No tensor units assumed: fp16/bf16 at the fp32 rate. Memory bandwidth 100 GB/s and 8 GB assumed (integrated-class GPU sharing DDR5).',
    );
    return {
      id: 'this-machine',
      name: 'This machine (GPU, WebGL floor)',
      kind: 'gpu',
      tier: 'this-machine',
      peakFlops: { fp32: flops / GEMM_MID_EFF.gpu, fp16: flops / GEMM_MID_EFF.gpu, bf16: flops / GEMM_MID_EFF.gpu },
      memoryBandwidth: 100 * G,
      memoryBytes: 8 * GiB,
      launchOverheadSeconds: 10e-6,
      sources: [source],
      notes,
    };
  }

  if (measured?.softwareRenderer) notes.push(`The WebGL renderer "${measured.renderer ?? 'unknown'}" is a software rasteriser, not a GPU: this machine is profiled as a CPU.`);
  const cpuFlops = cpuRate !== undefined ? cpuRate * G : undefined;
  const match = cpuModel ? nearestKnownDevice({ kind: 'cpu', name: cpuModel, fp32Flops: cpuFlops }) : undefined;
  if (match?.matchedBy === 'name') {
    return asThisMachine(match.profile, source, [
      ...notes,
      ...(cpuRate !== undefined ? [`Measured ${formatGflops(cpuRate)} FP32 = ${pct(match.fractionOfPeak)} of the catalog peak; projections use the catalog figures.`] : []),
    ]);
  }
  // The CPU peak comes from the machine's vector features and the WebAssembly SIMD kernel scaled to a BLAS
  // (devices.ts: simdToBlasFactor); the projection applies the 0.60 GEMM efficiency to the peak, so peak =
  // BLAS estimate ÷ 0.60, at most the feature peak. A JavaScript kernel's rate is never used as a peak: it is a
  // few percent of a BLAS. Without either, the core count gives physical cores × 3.0 GHz × 32 FLOP/cycle.
  const blas = pos(measured?.cpuBlasGflops);
  const featurePeak = pos(measured?.cpuPeakGflops);
  const physical = cores !== undefined ? Math.max(1, Math.round(/apple|arm|neoverse/i.test(cpuModel ?? '') ? cores : cores / 2)) : undefined;
  const fromCores = physical !== undefined ? physical * 3.0 * G * 32 : undefined;
  const fromBlas = blas !== undefined ? (blas * G) / GEMM_MID_EFF.cpu : undefined;
  const fp32 = fromBlas !== undefined
    ? Math.min(fromBlas, featurePeak !== undefined ? featurePeak * G : Infinity)
    : featurePeak !== undefined ? featurePeak * G : fromCores ?? 100 * G;
  notes.push(
    fromBlas !== undefined
      ? `CPU${cpuModel ? ` "${cpuModel}"` : ''}: fp32 peak ${formatGflops(fp32 / G)} from the WebAssembly SIMD kernel scaled to a BLAS (≈ ${formatGflops(blas)}) ÷ ${GEMM_MID_EFF.cpu}${featurePeak !== undefined ? `, at most the feature peak ${formatGflops(featurePeak)} (${measured.cpuPeakBasis ?? 'vector features'})` : ''}.`
      : featurePeak !== undefined
        ? `CPU${cpuModel ? ` "${cpuModel}"` : ''}: fp32 peak ${formatGflops(featurePeak)} from ${measured.cpuPeakBasis ?? 'its vector features'}; no SIMD kernel ran to check it.`
        : fromCores !== undefined
          ? `CPU${cpuModel ? ` "${cpuModel}"` : ''}: fp32 peak estimated from ${physical} cores × 3.0 GHz × 32 FLOP/cycle; the measured ${formatGflops(cpuRate)} (no SIMD kernel) is far below what PyTorch's BLAS reaches.`
          : 'No SIMD rate, features or core count: 100 GFLOP/s fp32 peak assumed.',
    'Memory bandwidth 60 GB/s and 16 GB assumed (dual-channel DDR4/DDR5 laptop or desktop). bf16/fp16 below the fp32 rate.',
  );
  const core = thisMachineCore(cpuModel, measured?.cpuFeatures, measured?.cpuGhz);
  notes.push(core.basis);
  return {
    id: 'this-machine',
    name: cpuModel ? `This machine (${cpuModel.trim()})` : 'This machine (CPU)',
    kind: 'cpu',
    tier: 'this-machine',
    peakFlops: { fp32 },
    memoryBandwidth: 60 * G,
    memoryBytes: 16 * GiB,
    launchOverheadSeconds: 4e-6,
    ...(cores !== undefined ? { cores: Math.round(cores) } : {}),
    cpuCore: core.core,
    sources: [source],
    notes,
  };
}

function pct(f: number | undefined): string {
  if (f === undefined) return 'an unknown share';
  return formatPercent(f);
}

/** A catalog profile the measurement matched by name, as the "this machine" profile: its figures, the measurement's notes first. */
function asThisMachine(c: HardwareProfile, source: string, notes: string[]): HardwareProfile {
  return {
    ...c,
    id: 'this-machine',
    name: `This machine (${c.name})`,
    tier: 'this-machine',
    price: undefined,
    sources: [...c.sources, source],
    notes: [...notes, ...(c.notes ?? [])],
  };
}
