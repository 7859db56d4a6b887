/**
 * What the measured rates mean: the detected GPU and CPU with their catalog (or feature-derived) peaks, the CPU
 * rate a BLAS would reach (the SIMD kernel scaled by a documented factor), and the GPU ÷ CPU ratio a PyTorch user
 * would see next to the ratio measured in the browser. Pure: every host fact comes in through `MachineFacts`.
 *
 * Two machines can be involved. The kernels run where the benchmark page runs (the VS Code client, a browser
 * for code-server); the extension host (and so `floplens`, and usually the user's training scripts) can be another
 * machine under Remote-SSH, WSL, dev containers or code-server. They are described apart and never merged: CPU
 * facts of the extension host are used for the measured machine only when both are the same machine.
 */
import * as z from 'zod/mini';
import { formatFlopRate } from '../core/format';
import type { HardwareProfile } from '../core/hardware/types';
import type { BenchReport } from './report';
import { nearestKnownDevice } from './thisMachine';

/** Large-GEMM efficiency applied to a GPU's paper peak for the PyTorch estimate (project/efficiency.ts mid). */
const GPU_GEMM_EFF = 0.78;
/** BLAS sgemm reaches about this share of the CPU's FMA peak at large sizes (OpenBLAS/oneDNN/Accelerate). */
export const BLAS_EFFICIENCY = 0.85;
/**
 * The SIMD kernel's share of its own 128-bit peak at large sizes (a 2×16 tile in 13 XMM registers, both operands
 * packed, no prefetch or assembly scheduling). Measured on a 2-core Xeon (Sapphire Rapids, 3.0 GHz sustained) in
 * Node 20: 32–39 GFLOP per CPU-second on one core at n = 512…2048 of 48 (0.67–0.8), less wall-clock on a loaded
 * machine; a BLAS estimate divides by it.
 */
export const SIMD_KERNEL_EFFICIENCY = 0.7;
/** Clock assumed for a feature-derived peak when the model is not in the catalog (all-core turbo of recent parts). */
const ASSUMED_GHZ = 3.0;

/** Facts a host knows about its own machine. */
export const machineFactsSchema = z.object({
  /** Where these facts come from. */
  role: z.enum(['webview-client', 'extension-host', 'cli']),
  cpuModel: z.optional(z.string()),
  /** Logical cores. */
  cores: z.int().check(z.minimum(1)),
  /** Physical cores when known (Linux /proc/cpuinfo "cpu cores" × sockets). */
  physicalCores: z.optional(z.int().check(z.minimum(1))),
  /** Vector ISA flags that decide the FMA width: avx512f, avx2, fma, neon, sve. */
  features: z.optional(z.array(z.string())),
  /** Highest core clock the OS reports, GHz (os.cpus() speed, /proc/cpuinfo "cpu MHz"); absent when not plausible. */
  ghz: z.optional(z.number().check(z.refine((x) => Number.isFinite(x) && x > 0, 'must be finite and > 0'))),
  /** `process.platform-process.arch` or navigator.platform. */
  platform: z.optional(z.string()),
  /** vscode.env.remoteName of the extension host ('ssh-remote', 'wsl', 'dev-container', a code-server host); absent for a local window. */
  remoteName: z.optional(z.string()),
});
export type MachineFacts = z.output<typeof machineFactsSchema>;

const rate = z.nullable(z.number().check(z.refine((x) => Number.isFinite(x) && x >= 0, 'must be finite and ≥ 0')));

export const deviceContextSchema = z.object({
  /** The machine whose hardware the kernels measured, in words. */
  measuredMachine: z.string(),
  /** The extension host, when it is another machine (never merged into the measured one). */
  otherMachine: z.optional(z.string()),
  cpu: z.object({
    name: z.string(),
    catalogId: z.optional(z.string()),
    /** Paper fp32 peak, GFLOP/s: the catalog's, else cores × 3.0 GHz × FLOP/cycle from the vector features. */
    peakGflops: rate,
    peakBasis: z.string(),
    /** Best SIMD-kernel rate measured, GFLOP/s. */
    simdGflops: rate,
    /** What PyTorch's BLAS would reach on these cores, GFLOP/s (SIMD rate × `blasFactor`, capped at BLAS_EFFICIENCY × peak). */
    blasGflops: rate,
    blasFactor: rate,
    blasBasis: z.string(),
    /** Vector ISA flags of this CPU as the host reported them (absent: unknown, e.g. in a browser). */
    features: z.optional(z.array(z.string())),
    /** The core clock the host reported, GHz (os.cpus() speed, /proc/cpuinfo "cpu MHz"): the this-machine core's clock. */
    ghz: z.optional(z.number()),
    /** The 128-bit WebAssembly SIMD peak of these cores, GFLOP/s: the ceiling of any browser CPU kernel (absent in reports saved before it existed). */
    browserCeilingGflops: z.optional(rate),
    /** That ceiling against the CPU's own vector width, and the SIMD kernel's share of it, in words. */
    browserCeilingBasis: z.optional(z.string()),
  }),
  gpu: z.object({
    name: z.string(),
    catalogId: z.optional(z.string()),
    /** Catalog fp32 (CUDA-core) and bf16/fp16 tensor peaks, GFLOP/s. */
    fp32PeakGflops: rate,
    tensorPeakGflops: rate,
    /** Best measured WebGL rate (gpu.js or the reference shader), GFLOP/s. */
    webglGflops: rate,
    /** No catalog device: the WebGL rate is the only figure, a floor of what the GPU does. */
    floor: z.boolean(),
    /** The renderer is a software rasteriser: there is no GPU to count. */
    software: z.boolean(),
  }),
  ratios: z.object({
    /** Best gpu.js / shader rate ÷ best CPU kernel rate, at the largest size both ran correctly. */
    browser: rate,
    /** PyTorch fp32 matmul: GPU fp32 peak × 0.78 (CUDA cores, TF32 off by default) ÷ the BLAS estimate. */
    pytorchFp32: rate,
    /** PyTorch with bf16/fp16 autocast: tensor-core peak × 0.78 ÷ the BLAS estimate. */
    pytorchTensor: rate,
    /** pytorch* are lower bounds (GPU side from the WebGL floor). */
    lowerBound: z.boolean(),
  }),
  notes: z.array(z.string()),
});
export type DeviceContext = z.output<typeof deviceContextSchema>;

/** FP32 FLOP per cycle per core from vector features, with the reason. */
export function flopsPerCycle(features: readonly string[] | undefined, platform = ''): { perCycle: number; widthBits: number; basis: string } {
  const f = new Set((features ?? []).map((x) => x.toLowerCase()));
  if (f.has('avx512f')) return { perCycle: 64, widthBits: 512, basis: 'AVX-512: 2 FMA units × 16 lanes × 2' };
  if (f.has('avx2') && f.has('fma')) return { perCycle: 32, widthBits: 256, basis: 'AVX2 + FMA: 2 FMA units × 8 lanes × 2' };
  if (f.has('neon') || /arm|aarch64/i.test(platform)) return { perCycle: 16, widthBits: 128, basis: 'NEON: 2 FMA units × 4 lanes × 2 (Apple and Neoverse V cores have 4)' };
  if (f.size > 0) return { perCycle: 16, widthBits: 128, basis: 'SSE/AVX without FMA: 8 lanes of mul + add per cycle' };
  return { perCycle: 32, widthBits: 256, basis: 'vector features unknown (a browser cannot read them): AVX2 + FMA class assumed' };
}

/**
 * FP32 FLOP per cycle per core of 128-bit WebAssembly SIMD: 2 FMA units × 4 lanes × 2 with relaxed-SIMD FMA on a CPU
 * with FMA (x86 FMA3, every ARM core), else a multiply and an add per lane (8).
 */
export function wasmSimdFlopsPerCycle(features: readonly string[] | undefined, platform: string, relaxedFma: boolean): number {
  const f = new Set((features ?? []).map((x) => x.toLowerCase()));
  const fma = f.has('fma') || f.has('avx512f') || f.has('neon') || /arm|aarch64/i.test(platform) || f.size === 0;
  return relaxedFma && fma ? 16 : 8;
}

/** The documented SIMD → BLAS factor: vector width ÷ 128 × (2 without FMA) × BLAS_EFFICIENCY ÷ SIMD_KERNEL_EFFICIENCY. */
export function simdToBlasFactor(widthBits: number, relaxedFma: boolean): number {
  return (widthBits / 128) * (relaxedFma ? 1 : 2) * (BLAS_EFFICIENCY / SIMD_KERNEL_EFFICIENCY);
}

/** A GFLOP/s figure written by the one formatter. */
const gf = (x: number): string => formatFlopRate(x * 1e9);
const fraction = (x: number): string => (Math.abs(1 / x - Math.round(1 / x)) < 0.01 ? `1/${Math.round(1 / x)}` : `${(100 * x).toFixed(0)}%`);

const best = (report: Pick<BenchReport, 'results' | 'kernels'>, pick: (id: string, device: string) => boolean, n?: number): number | null => {
  const device = new Map(report.kernels.map((k) => [k.id, k.device]));
  let m = 0;
  for (const r of report.results) {
    if (r.status === 'ok' && r.correct === true && r.gflops !== undefined && (n === undefined || r.n === n) && pick(r.kernel, device.get(r.kernel) ?? '')) m = Math.max(m, r.gflops);
  }
  return m > 0 ? m : null;
};

function describe(m: MachineFacts | undefined, fallback: string): string {
  if (!m) return fallback;
  const cpu = m.cpuModel ? `${m.cpuModel.trim()}, ` : '';
  return `${cpu}${m.cores} logical cores${m.platform ? `, ${m.platform}` : ''}${m.remoteName ? ` (remote: ${m.remoteName})` : ''}`;
}

/**
 * The device context of a report. `measured`: facts of the machine the kernels ran on (the CLI's own machine;
 * in a webview, what the page knows). `extensionHost`: the extension host's facts, used for the measured CPU only
 * when `sameMachine`.
 */
export function describeDevices(
  report: Pick<BenchReport, 'results' | 'kernels' | 'renderer' | 'perSize' | 'environment' | 'host'>,
  measured: MachineFacts | undefined, extensionHost?: MachineFacts, sameMachine = true,
): DeviceContext {
  const notes: string[] = [];
  const cpuFacts: MachineFacts | undefined = sameMachine ? extensionHost ?? measured : measured;
  const cores = cpuFacts?.cores ?? report.environment.cpuCores;
  const physical = cpuFacts?.physicalCores ?? (/arm|aarch64|mac/i.test(cpuFacts?.platform ?? '') ? cores : Math.max(1, Math.round(cores / 2)));
  const cpuModel = cpuFacts?.cpuModel ?? report.environment.cpuModel;
  const fpc = flopsPerCycle(cpuFacts?.features, cpuFacts?.platform ?? report.environment.platform ?? '');

  // CPU: catalog by name, else features.
  const cpuMatch = cpuModel ? nearestKnownDevice({ kind: 'cpu', name: cpuModel }) : undefined;
  const cpuCatalog: HardwareProfile | undefined = cpuMatch?.matchedBy === 'name' ? cpuMatch.profile : undefined;
  const featurePeak = physical * ASSUMED_GHZ * fpc.perCycle;
  const peakGflops = cpuCatalog?.peakFlops.fp32 ? cpuCatalog.peakFlops.fp32 / 1e9 : featurePeak;
  const peakBasis = cpuCatalog
    ? `catalog: ${cpuCatalog.name}`
    : `${physical} physical core${physical === 1 ? '' : 's'} × ${ASSUMED_GHZ} GHz (assumed) × ${fpc.perCycle} FLOP/cycle (${fpc.basis})`;
  const simd = best(report, (id) => id === 'simd-1' || id === 'simd-n');
  const relaxed = report.kernels.some((k) => k.backend === 'wasm-relaxed-simd');
  const factor = simdToBlasFactor(fpc.widthBits, relaxed);
  const blas = simd !== null ? Math.min(simd * factor, BLAS_EFFICIENCY * peakGflops) : BLAS_EFFICIENCY * peakGflops;
  const blasBasis = simd !== null
    ? `WebAssembly SIMD ${simd.toFixed(1)} GFLOP/s × ${factor.toFixed(2)} (${fpc.widthBits}/128-bit vectors${relaxed ? '' : ' × 2 for FMA'} × ${BLAS_EFFICIENCY} BLAS ÷ ${SIMD_KERNEL_EFFICIENCY} kernel efficiency), at most ${BLAS_EFFICIENCY} × peak`
    : `no SIMD kernel ran: ${BLAS_EFFICIENCY} × the peak`;

  // The browser's ceiling: 128-bit vectors on the same cores, against the CPU's own width.
  const wasmPerCycle = wasmSimdFlopsPerCycle(cpuFacts?.features, cpuFacts?.platform ?? report.environment.platform ?? '', relaxed);
  const ceiling = peakGflops * Math.min(1, wasmPerCycle / fpc.perCycle);
  const share = ceiling / peakGflops;
  const ceilingBasis = (share >= 0.999
    ? `128-bit vectors are this CPU's own width (${fpc.basis}): a browser kernel's ceiling is the CPU's peak, ${gf(ceiling)}`
    : `a browser kernel has 128-bit WebAssembly SIMD only: ${wasmPerCycle} FLOP/cycle per core (2 FMA units × 4 lanes × 2${wasmPerCycle === 16 ? ', relaxed-SIMD FMA' : ' at most, a multiply and an add without FMA'}) ` +
      `against ${fpc.perCycle} for ${fpc.widthBits}-bit vectors (${fpc.basis}), ${fraction(share)} of the peak: at most ${gf(ceiling)} on these cores, where a BLAS can use ${gf(peakGflops)}`) +
    (simd !== null ? `. The SIMD kernel reached ${(100 * simd / ceiling).toFixed(0)}% of that ceiling (${gf(simd)}), ${(100 * simd / peakGflops).toFixed(0)}% of the CPU's peak` : '');

  // GPU: catalog by renderer name, else the WebGL rate as a floor.
  const software = report.renderer.software;
  const webgl = best(report, (id, device) => device === 'gpu' && (id === 'gpujs' || id === 'shader'));
  const gpuMatch = !software && report.renderer.api !== 'none' ? nearestKnownDevice({ kind: 'gpu', name: report.renderer.renderer }) : undefined;
  const gpuCatalog = gpuMatch?.matchedBy === 'name' ? gpuMatch.profile : undefined;
  const fp32Peak = gpuCatalog?.peakFlops.fp32 ? gpuCatalog.peakFlops.fp32 / 1e9 : null;
  const tensorFlops = gpuCatalog ? (gpuCatalog.peakFlops.bf16 ?? gpuCatalog.peakFlops.fp16) : undefined;
  const tensorPeak = tensorFlops ? tensorFlops / 1e9 : null;
  const floor = !software && !gpuCatalog && webgl !== null;

  // Ratios.
  const shared = report.perSize.filter((s) => best(report, (id, d) => d === 'gpu' && (id === 'gpujs' || id === 'shader'), s.n) !== null && best(report, (_id, d) => d === 'cpu', s.n) !== null).at(-1);
  const browser = shared
    ? (best(report, (id, d) => d === 'gpu' && (id === 'gpujs' || id === 'shader'), shared.n) ?? 0) / (best(report, (_id, d) => d === 'cpu', shared.n) ?? 1)
    : null;
  const gpuFp32 = fp32Peak !== null ? fp32Peak * GPU_GEMM_EFF : floor ? webgl : null;
  const gpuTensor = tensorPeak !== null ? tensorPeak * GPU_GEMM_EFF : floor ? webgl : null;
  const ratio = (g: number | null): number | null => (g !== null && blas > 0 ? g / blas : null);

  if (software) notes.push(`The renderer is ${report.renderer.softwareName ?? 'a software rasteriser'}: there is no GPU here, so PyTorch would run on the CPU; the browser ratio compares two CPU codes.`);
  else if (floor) notes.push(`The renderer "${report.renderer.renderer}" names no catalog GPU: the PyTorch ratios use the WebGL rate, a floor (CUDA/ROCm/Metal libraries and tensor cores are faster).`);
  else if (!gpuCatalog && report.renderer.api === 'none') notes.push(report.host === 'node' ? 'No GL context in this process: no GPU could be detected (floplens bench reads the GPU through headless-gl under an X display).' : 'No WebGL: no GPU could be detected from this page.');
  if (!cpuFacts?.features) notes.push(`CPU vector features unknown here: ${fpc.basis}.`);
  if (!sameMachine && extensionHost) {
    notes.push(`Two machines: the kernels ran on the machine showing VS Code (${describe(measured, `${report.environment.cpuCores} logical cores`)}); the extension host, where scripts usually run, is ${describe(extensionHost, 'unknown')}. Its CPU is not used for these figures.`);
  }
  return {
    measuredMachine: report.host === 'node'
      ? `this machine (floplens): ${describe(cpuFacts, `${report.environment.cpuCores} logical cores`)}`
      : sameMachine
        ? `this machine (VS Code window and extension host): ${describe(cpuFacts, `${report.environment.cpuCores} logical cores`)}`
        : `the VS Code client (webview): ${describe(measured, `${report.environment.cpuCores} logical cores`)}`,
    ...(!sameMachine && extensionHost ? { otherMachine: `extension host${extensionHost.remoteName ? ` (${extensionHost.remoteName})` : ''}: ${describe(extensionHost, 'unknown')}` } : {}),
    cpu: {
      name: cpuModel?.trim() || 'unknown CPU',
      ...(cpuCatalog ? { catalogId: cpuCatalog.id } : {}),
      peakGflops, peakBasis, simdGflops: simd, blasGflops: blas, blasFactor: simd !== null ? factor : null, blasBasis,
      ...(cpuFacts?.features ? { features: cpuFacts.features } : {}), ...(cpuFacts?.ghz !== undefined ? { ghz: cpuFacts.ghz } : {}),
      browserCeilingGflops: ceiling, browserCeilingBasis: ceilingBasis,
    },
    gpu: {
      name: report.renderer.api === 'none' ? 'none detected' : report.renderer.renderer,
      ...(gpuCatalog ? { catalogId: gpuCatalog.id } : {}),
      fp32PeakGflops: fp32Peak, tensorPeakGflops: tensorPeak, webglGflops: webgl, floor, software,
    },
    ratios: { browser, pytorchFp32: ratio(gpuFp32), pytorchTensor: ratio(gpuTensor), lowerBound: floor },
    notes,
  };
}
