/** What the benchmark's numbers mean (src/livebench/devices.ts): detected devices, catalog peaks, PyTorch vs browser ratios, two machines. */
import { describe, expect, it } from 'vitest';
import { describeDevices, flopsPerCycle, simdToBlasFactor, wasmSimdFlopsPerCycle, BLAS_EFFICIENCY, SIMD_KERNEL_EFFICIENCY, type MachineFacts } from '../../src/livebench/devices';
import { deviceRows, ratioRows } from '../../src/livebench/format';
import { nodeMachineFacts, parseCpuinfo } from '../../src/livebench/node/hostInfo';
import { summarizeSizes } from '../../src/livebench/sweep';
import type { BenchReport, KernelInfo, KernelResult, RendererInfo } from '../../src/livebench/report';
import { getHardware } from '../../src/core/hardware/catalog';

const KERNELS: KernelInfo[] = [
  { id: 'gpujs', label: 'gpu.js', device: 'gpu', backend: 'webgl2', threads: 1 },
  { id: 'simd-n', label: 'SIMD', device: 'cpu', backend: 'wasm-relaxed-simd', threads: 2 },
  { id: 'js-n', label: 'JS', device: 'cpu', backend: 'js', threads: 2 },
];
const ok = (kernel: KernelResult['kernel'], n: number, gflops: number): KernelResult => ({ kernel, n, status: 'ok', runs: 3, gflops, correct: true });
const RESULTS = [ok('gpujs', 512, 400), ok('simd-n', 512, 50), ok('js-n', 512, 5), ok('gpujs', 1024, 800), ok('simd-n', 1024, 60), ok('js-n', 1024, 4)];

function report(renderer: Partial<RendererInfo>, host: BenchReport['host'] = 'webview'): Parameters<typeof describeDevices>[0] {
  const kernels = KERNELS;
  return {
    host, kernels, results: RESULTS, perSize: summarizeSizes(kernels, [512, 1024], RESULTS),
    environment: { cpuCores: 16 },
    renderer: { api: 'webgl2', vendor: 'v', renderer: 'r', software: false, ...renderer },
  };
}
const AVX512: MachineFacts = { role: 'extension-host', cpuModel: 'Some Future CPU 9000', cores: 16, physicalCores: 8, features: ['avx512f', 'avx2', 'fma'], platform: 'linux-x64' };

describe('devices and ratios', () => {
  it('names a catalog GPU and shows the PyTorch ratios beside the browser ratio', () => {
    const d = describeDevices(report({ renderer: 'ANGLE (NVIDIA, NVIDIA GeForce RTX 4090 Direct3D11 vs_5_0 ps_5_0)' }), { role: 'webview-client', cores: 16 }, AVX512, true);
    const rtx = getHardware('rtx-4090')!;
    expect(d.gpu).toMatchObject({ catalogId: 'rtx-4090', fp32PeakGflops: rtx.peakFlops.fp32! / 1e9, webglGflops: 800, floor: false, software: false });
    // CPU from the extension host's facts (same machine): 8 cores × 3 GHz × 64 FLOP/cycle; BLAS = SIMD × factor, capped.
    expect(d.cpu.peakGflops).toBeCloseTo(8 * 3 * 64);
    const factor = 4 * (BLAS_EFFICIENCY / SIMD_KERNEL_EFFICIENCY);
    expect(d.cpu.blasFactor).toBeCloseTo(factor);
    expect(d.cpu.blasGflops).toBeCloseTo(Math.min(60 * factor, BLAS_EFFICIENCY * 8 * 3 * 64));
    expect(d.ratios.browser).toBeCloseTo(800 / 60);
    expect(d.ratios.pytorchFp32).toBeCloseTo((rtx.peakFlops.fp32! / 1e9) * 0.78 / d.cpu.blasGflops!);
    expect(d.ratios.pytorchTensor!).toBeGreaterThan(d.ratios.pytorchFp32!);
    expect(d.ratios.lowerBound).toBe(false);
    expect(d.otherMachine).toBeUndefined();
    const rows = ratioRows(d);
    expect(rows.map((r) => r[0])).toEqual([expect.stringMatching(/^Measured here/), expect.stringMatching(/^PyTorch, FP32/), expect.stringMatching(/^PyTorch, bf16/)]);
    expect(deviceRows(d)[0][2]).toMatch(/rtx-4090/);
  });

  it('on a software rasteriser says there is no GPU: PyTorch runs on the CPU', () => {
    const d = describeDevices(report({ renderer: 'ANGLE (Google, Vulkan 1.3.0 (SwiftShader Device (Subzero)))', software: true, softwareName: 'SwiftShader' }), undefined, AVX512, true);
    expect(d.gpu.software).toBe(true);
    expect(d.ratios.pytorchFp32).toBeNull();
    expect(ratioRows(d)[1][1]).toMatch(/no GPU: PyTorch runs on the CPU/);
    expect(d.notes.join(' ')).toMatch(/SwiftShader/);
  });

  it('takes an unknown GPU’s WebGL rate as a floor and marks the ratios as lower bounds', () => {
    const d = describeDevices(report({ renderer: 'Some Future GPU X1' }), undefined, AVX512, true);
    expect(d.gpu).toMatchObject({ floor: true, fp32PeakGflops: null });
    expect(d.ratios.lowerBound).toBe(true);
    expect(ratioRows(d)[1][1]).toMatch(/^≥ /);
  });

  it('under a remote window names both machines and never uses the extension host’s CPU for the measured one', () => {
    const remoteHost: MachineFacts = { ...AVX512, remoteName: 'ssh-remote' };
    const d = describeDevices(report({ renderer: 'Apple M3 Max' }), { role: 'webview-client', cores: 12, platform: 'MacIntel' }, remoteHost, false);
    expect(d.measuredMachine).toMatch(/VS Code client/);
    expect(d.otherMachine).toMatch(/ssh-remote.*Some Future CPU 9000/);
    expect(d.cpu.name).not.toMatch(/Future/);
    expect(d.cpu.peakBasis).not.toMatch(/AVX-512/);
    expect(d.notes.join(' ')).toMatch(/Two machines/);
  });

  it('says which ceiling a 128-bit browser kernel has on this CPU: 1/4 of AVX-512, 1/2 of AVX2, all of NEON', () => {
    const d = describeDevices(report({ renderer: 'r' }), undefined, AVX512, true);
    // 8 physical cores × 3 GHz × 16 FLOP/cycle (relaxed FMA) = 384 of the 1,536 AVX-512 peak.
    expect(d.cpu.browserCeilingGflops).toBeCloseTo(8 * 3 * 16);
    expect(d.cpu.browserCeilingBasis).toMatch(/128-bit WebAssembly SIMD only: 16 FLOP\/cycle per core .* against 64 for 512-bit vectors .*1\/4 of the peak/);
    expect(d.cpu.browserCeilingBasis).toMatch(/reached 16% of that ceiling \(60(\.0)? GFLOP\/s\), 4% of the CPU's peak/);
    expect(deviceRows(d)[1][2]).toMatch(/128-bit browser kernel at most 384 GFLOP\/s/);
    const avx2 = describeDevices(report({ renderer: 'r' }), undefined, { ...AVX512, features: ['avx2', 'fma'] }, true);
    expect(avx2.cpu.browserCeilingBasis).toMatch(/1\/2 of the peak/);
    const arm = describeDevices(report({ renderer: 'r' }), undefined, { role: 'cli', cores: 8, physicalCores: 8, features: ['neon'], platform: 'linux-arm64' }, true);
    expect(arm.cpu.browserCeilingGflops).toBeCloseTo(arm.cpu.peakGflops!);
    expect(arm.cpu.browserCeilingBasis).toMatch(/this CPU's own width/);
    // Without relaxed SIMD (no FMA instruction in wasm) a multiply and an add per lane: 8 FLOP/cycle.
    expect(wasmSimdFlopsPerCycle(['avx2', 'fma'], 'linux-x64', false)).toBe(8);
    expect(wasmSimdFlopsPerCycle(['sse2'], 'linux-x64', true)).toBe(8);
    expect(wasmSimdFlopsPerCycle(undefined, '', true)).toBe(16);
  });

  it('derives FLOP/cycle from vector features, and the SIMD → BLAS factor from width and FMA', () => {
    expect(flopsPerCycle(['avx512f']).perCycle).toBe(64);
    expect(flopsPerCycle(['avx2', 'fma']).perCycle).toBe(32);
    expect(flopsPerCycle(['neon']).perCycle).toBe(16);
    expect(flopsPerCycle(undefined).basis).toMatch(/unknown/);
    expect(simdToBlasFactor(256, false)).toBeCloseTo(2 * simdToBlasFactor(256, true));
    expect(simdToBlasFactor(512, true)).toBeCloseTo(2 * simdToBlasFactor(256, true));
  });

  it('reads vector flags and physical cores from /proc/cpuinfo', () => {
    const text = 'processor\t: 0\nphysical id\t: 0\ncpu cores\t: 4\nflags\t\t: fpu sse2 avx fma avx2 avx512f\n\nprocessor\t: 1\nphysical id\t: 1\ncpu cores\t: 4\nflags\t\t: fpu\n';
    expect(parseCpuinfo(text)).toEqual({ features: ['avx512f', 'avx2', 'fma'], physicalCores: 8 });
    expect(parseCpuinfo('Features\t: fp asimd evtstrm\n')).toEqual({ features: ['neon'] });
    const facts = nodeMachineFacts('extension-host', text, 'ssh-remote');
    expect(facts).toMatchObject({ role: 'extension-host', remoteName: 'ssh-remote', features: ['avx512f', 'avx2', 'fma'] });
    expect(facts.physicalCores).toBeLessThanOrEqual(facts.cores);
  });
});
