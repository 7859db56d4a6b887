/**
 * Wording shared by the webview benchmark and `floplens bench`. Numbers are written by src/core/format.ts, as on
 * every other surface: rates in decimal SI with their unit ("4.31 GFLOP/s", "1.25 TFLOP/s"), durations with two
 * significant digits, ratios as "×3.2" / "÷4".
 */
import { formatFlopRate, formatSpeedup } from '../core/format';
import type { BenchReport, Crossover, KernelId, KernelResult } from './report';
import type { DeviceContext } from './devices';

/** A rate the benchmark measured in GFLOP/s, with its unit: "44.2 MFLOP/s", "4.31 GFLOP/s"; "–" for none. */
export function formatGflops(g: number | null | undefined): string {
  if (g === null || g === undefined || !Number.isFinite(g)) return '–';
  return formatFlopRate(g * 1e9);
}

/** A relative error like "7.9e-7". */
export function formatError(e: number | null | undefined): string {
  if (e === null) return 'non-finite';
  if (e === undefined) return '–';
  return e === 0 ? '0' : e.toExponential(1);
}

function crossoverText(c: Crossover, what: string): string {
  switch (c.status) {
    case 'crossover':
      return `${what}: the CPU wins below n = ${c.size}, gpu.js from n = ${c.size} up.`;
    case 'gpu-everywhere':
      return `${what}: gpu.js beats the best CPU kernel at every measured size (from n = ${c.size}).`;
    case 'cpu-everywhere':
      return `${what}: the CPU wins at every measured size.`;
    case 'mixed':
      return c.size !== null
        ? `${what}: no clean switch; gpu.js wins at every size from n = ${c.size} up.`
        : `${what}: no clean switch; the CPU wins at the largest size measured.`;
    case 'no-gpu':
      return `${what}: no kernel ran on a GPU.`;
    case 'unknown':
      return `${what}: not enough correct measurements to tell.`;
  }
}

/** The one-paragraph verdict of a report: crossover with and without transfers, and the best ratio. */
export function summarySentences(report: BenchReport): string[] {
  const out: string[] = [];
  if (report.crossover.status === 'no-gpu') {
    out.push(`No GPU kernel ran: ${report.gpu.reason}`);
  } else {
    out.push(crossoverText(report.crossover, 'Compute on the device'));
    out.push(crossoverText(report.crossoverEndToEnd, 'Counting upload and readback'));
    const best = report.perSize.filter((s) => s.ratio !== null).at(-1);
    if (best?.gpu && best.bestCpu) {
      out.push(`At n = ${best.n}: gpu.js ${formatGflops(best.gpu.gflops)} vs ${formatGflops(best.bestCpu.gflops)} on the CPU (${kernelLabel(report, best.bestCpu.kernel)}), ${formatSpeedup(best.ratio)}.`);
    }
  }
  if (report.renderer.software) {
    out.push(`The renderer is ${report.renderer.softwareName ?? 'a software rasteriser'}: "GPU" here means the CPU running a GPU emulator, not a GPU.`);
  }
  return out;
}

/** A kernel's label from the report, falling back to its id. */
export function kernelLabel(report: BenchReport, id: KernelId): string {
  return report.kernels.find((k) => k.id === id)?.label ?? id;
}

/** What a table cell should say for a result: the rate, or why there is none. */
export function resultCell(r: KernelResult | undefined): string {
  if (!r) return '';
  if (r.status === 'skipped') return 'skipped';
  if (r.status === 'failed') return 'failed';
  if (r.gflops === undefined) return r.status === 'cancelled' ? 'cancelled' : '–';
  return `${formatGflops(r.gflops)}${r.correct === false ? ' ✗' : ''}`;
}

/** Fraction of the reference shader's rate gpu.js reached at each size where both ran on a GPU. */
export function gpujsVersusShader(report: BenchReport): { n: number; fraction: number }[] {
  const out: { n: number; fraction: number }[] = [];
  for (const n of report.sizes) {
    const g = report.results.find((r) => r.n === n && r.kernel === 'gpujs' && r.status === 'ok' && r.correct);
    const s = report.results.find((r) => r.n === n && r.kernel === 'shader' && r.status === 'ok' && r.correct);
    if (g?.gflops && s?.gflops) out.push({ n, fraction: g.gflops / s.gflops });
  }
  return out;
}

/** Rows of the "what the numbers mean" table: device, what was measured here, what the catalog / a BLAS says. */
export function deviceRows(d: DeviceContext): [string, string, string][] {
  const gpuPeak = d.gpu.fp32PeakGflops !== null
    ? `${formatGflops(d.gpu.fp32PeakGflops)} FP32 (CUDA cores)${d.gpu.tensorPeakGflops !== null ? `, ${formatGflops(d.gpu.tensorPeakGflops)} bf16/fp16 (tensor cores)` : ''}, catalog ${d.gpu.catalogId}`
    : d.gpu.software ? 'no GPU (software rasteriser)' : d.gpu.floor ? 'not in the catalog: WebGL rate is a floor' : 'no GPU detected';
  return [
    [`GPU: ${d.gpu.name}`, d.gpu.webglGflops !== null ? `${formatGflops(d.gpu.webglGflops)} through WebGL${d.gpu.software ? ' (emulated on the CPU)' : ''}` : 'not measured', gpuPeak],
    [`CPU: ${d.cpu.name}`, d.cpu.simdGflops !== null ? `${formatGflops(d.cpu.simdGflops)} WebAssembly SIMD` : 'no SIMD kernel ran',
      `peak ${formatGflops(d.cpu.peakGflops)} (${d.cpu.peakBasis}); a BLAS (PyTorch) ≈ ${formatGflops(d.cpu.blasGflops)}${d.cpu.browserCeilingGflops != null ? `; a 128-bit browser kernel at most ${formatGflops(d.cpu.browserCeilingGflops)}` : ''}`],
  ];
}

/** The ratios side by side: measured in the browser, and what PyTorch would see; never the browser one alone. */
export function ratioRows(d: DeviceContext): [string, string][] {
  const pt = (x: number | null): string => (x === null ? (d.gpu.software || d.gpu.webglGflops === null ? 'no GPU: PyTorch runs on the CPU' : '–') : `${d.ratios.lowerBound ? '≥ ' : ''}${formatSpeedup(x)}`);
  return [
    ['Measured here (best WebGL kernel ÷ best CPU kernel)', formatSpeedup(d.ratios.browser)],
    ['PyTorch, FP32 matmul (GPU CUDA cores ÷ CPU BLAS)', pt(d.ratios.pytorchFp32)],
    ['PyTorch, bf16/fp16 autocast (tensor cores ÷ CPU BLAS)', pt(d.ratios.pytorchTensor)],
  ];
}
