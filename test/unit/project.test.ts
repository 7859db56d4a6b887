import { describe, expect, it } from 'vitest';
import { HARDWARE, getHardware } from '../../src/core/hardware';
import type { HardwareProfile } from '../../src/core/hardware';
import {
  CALL_OVERHEAD_SECONDS, EAGER_HOST_SECONDS, EFFICIENCY, allReduceSeconds, fitMemory, project, resolvePeak, sizedEfficiency,
} from '../../src/core/project';
import type { Op, Projection, Workload } from '../../src/core/types';
import { MODELS, memory, op, resnet50, transformerGenerate, transformerTraining, workload } from '../validation/builders';

const hw = (id: string): HardwareProfile => {
  const h = getHardware(id);
  if (!h) throw new Error(id);
  return h;
};
const one = (w: Workload, id: string, opts = {}): Projection => project(w, [hw(id)], opts).projections[0];
const GiB = 2 ** 30;

/** A single GEMM of `flops` FLOPs moving `bytes` bytes, run once per step. */
const gemm = (flops: number, bytes: number, p: Partial<Op> = {}): Op => op({ kind: 'linear', opClass: 'gemm', forwardFlops: flops, bytesRead: bytes, ...p });

describe('per-op roofline arithmetic', () => {
  it('pins the efficiency table values the hand computations below use', () => {
    expect(EFFICIENCY.gpu.gemm.compute).toEqual({ low: 0.5, mid: 0.62, high: 0.77 });
    expect(EFFICIENCY.gpu.gemm.memory).toEqual({ low: 0.6, mid: 0.75, high: 0.95 });
    expect(EFFICIENCY.gpu.elementwise.memory.mid).toBe(0.75);
    expect(CALL_OVERHEAD_SECONDS.eager).toBe(0.5e-3);
  });

  it('a large bf16 GEMM on an H100 SXM is compute-bound at 62% of 989 TFLOP/s (the fitted GEMM efficiency)', () => {
    const p = one(workload([gemm(1e15, 1e9)]), 'h100-sxm');
    // compute: 1e15 / (989e12 × 0.62) + 6 µs ramp = 1.630848 s; memory 1e9 / (3.35e12 × 0.75) + 2 µs = 0.398 ms (hidden);
    // eager host time per op (EAGER_HOST_SECONDS, hidden: asynchronous); host call 0.5 ms.
    expect(p.stepSeconds.mid).toBeCloseTo(1.630848 + 0.0005, 5);
    // low: 0.77 of peak, overlapped, host call × 0.7 → 1.313146 + 0.000006 + 0.00035.
    expect(p.stepSeconds.low).toBeCloseTo(1.313502, 5);
    // high: 0.5 of peak + memory + eager host time × 1.8 + host call × 1.8, all added.
    expect(p.stepSeconds.high).toBeCloseTo(2.022245 + 0.000006 + 0.0004995 + 1.8 * EAGER_HOST_SECONDS.gpu + 0.0009, 5);
    expect(p.bound).toBe('compute');
    expect(p.computeDtype).toBe('bf16');
    expect(p.peakFlops).toBe(989e12);
    expect(p.mfu).toBeCloseTo(1e15 / (1.631348 * 989e12), 4);
  });

  it('an elementwise op is bound by memory bandwidth at 75%', () => {
    const p = one(workload([op({ forwardFlops: 1e9, bytesRead: 5e9, bytesWritten: 5e9 })]), 'h100-sxm');
    // 1e10 B / (3.35e12 × 0.75) = 3.98010 ms, + 2 µs ramp; host call 0.5 ms.
    expect(p.stepSeconds.mid).toBeCloseTo(3.98010e-3 + 2e-6 + 0.5e-3, 7);
    expect(p.bound).toBe('memory');
  });

  it('classifies by the ridge point: H100 bf16 ridge 989/3.35 ≈ 295 FLOP/B (≈307 after efficiencies)', () => {
    const bytes = 1e10;
    expect(one(workload([gemm(200 * bytes, bytes)]), 'h100-sxm').bound).toBe('memory');
    expect(one(workload([gemm(400 * bytes, bytes)]), 'h100-sxm').bound).toBe('compute');
    // The same 200 FLOP/B op is compute-bound on an A100 80GB (ridge 153).
    expect(one(workload([gemm(200 * bytes, bytes)]), 'a100-80gb').bound).toBe('compute');
  });

  it('makes efficiency a smooth, increasing function of work size', () => {
    const eff = (f: number): number => sizedEfficiency(0.78, f, 989e12, 6e-6);
    expect(eff(1e9)).toBeLessThan(0.15);
    expect(eff(1e10)).toBeGreaterThan(0.4);
    expect(eff(1e11)).toBeGreaterThan(0.7);
    expect(eff(1e13)).toBeCloseTo(0.78, 2);
    for (const f of [1e6, 1e8, 1e10, 1e12]) expect(eff(f * 10)).toBeGreaterThan(eff(f));
  });

  it('projects a count > 1 op as count executions', () => {
    const once = one(workload([gemm(1e12, 1e8)]), 'a100-80gb').stepSeconds.mid - CALL_OVERHEAD_SECONDS.eager;
    const ten = one(workload([gemm(1e12, 1e8, { count: 10 })]), 'a100-80gb').stepSeconds.mid - 10 * CALL_OVERHEAD_SECONDS.eager;
    expect(ten).toBeCloseTo(10 * once, 6);
  });

  it('orders every band low ≤ mid ≤ high on every device', () => {
    const ws = [
      workload([gemm(1e12, 1e8), op({ forwardFlops: 1e6, bytesRead: 1e7 })]),
      transformerTraining(MODELS.gpt2, { batch: 8, seq: 512, steps: 100 }),
      transformerGenerate(MODELS.llama2_7b, { batch: 1, prompt: 128, newTokens: 64, dtype: 'fp16' }),
      resnet50('train', 64, 'fp16'),
    ];
    for (const w of ws) {
      for (const p of project(w, HARDWARE).projections) {
        for (const b of [p.stepSeconds, p.runSeconds, p.energyJoules, ...(p.costUsd ? [p.costUsd] : [])]) {
          expect(b.low, p.hardwareId).toBeLessThanOrEqual(b.mid);
          expect(b.mid, p.hardwareId).toBeLessThanOrEqual(b.high);
        }
        const s = p.shares;
        expect(s.compute + s.memory + s.overhead + s.transfer + s.communication).toBeCloseTo(1, 9);
      }
    }
  });
});

describe('launch overhead', () => {
  const tiny = workload(Array.from({ length: 50 }, (_, i) => op({ name: `l${i}`, forwardFlops: 1e3, bytesRead: 2e3, bytesWritten: 2e3 })), { steps: 1000 });

  it('bounds a tiny model on a GPU: 50 ops × the eager host time per op + 0.5 ms host call', () => {
    const p = one(tiny, 'h100-sxm');
    expect(p.bound).toBe('overhead');
    expect(p.stepSeconds.mid).toBeCloseTo(50 * EAGER_HOST_SECONDS.gpu + 0.5e-3, 9);
    // The GPU runs the tiny kernels while the host dispatches; it waits on the host for the rest.
    expect(p.shares.overhead).toBeGreaterThan(0.95);
    expect(p.shares.overhead + p.shares.compute + p.shares.memory).toBeCloseTo(1, 9);
  });

  it('makes a CPU the better choice for it, and the verdict says so', () => {
    const r = project(tiny, [hw('core-ultra-7-155h'), hw('h100-sxm')]);
    const [cpu, gpu] = r.projections;
    expect(cpu.stepSeconds.mid).toBeLessThan(gpu.stepSeconds.mid);
    expect(r.verdict.gpuPaysOff).toBe(false);
    expect(r.verdict.bestCpu).toBe('core-ultra-7-155h');
    expect(r.verdict.summary).toMatch(/^A CPU is fine: /);
    expect(r.verdict.speedup).toBeLessThan(1);
  });

  it('honours a user override of the GPU dispatch overhead', () => {
    const p = one(tiny, 'h100-sxm', { launchOverheadSeconds: 20e-6 });
    expect(p.stepSeconds.mid).toBeCloseTo(50 * 20e-6 + 0.5e-3, 9);
  });

  it('counts fewer launches and fused bytes for compiled and graph runtimes', () => {
    const eager = one(tiny, 'h100-sxm').stepSeconds.mid;
    const compiled = one(tiny, 'h100-sxm', { runtime: 'compiled' }).stepSeconds.mid;
    const graph = one(tiny, 'h100-sxm', { runtime: 'graph' }).stepSeconds.mid;
    expect(compiled).toBeLessThan(eager);
    expect(graph).toBeLessThan(compiled);
  });
});

describe('host → device transfer', () => {
  const w = (pinMemory: boolean): Workload => workload([gemm(1e9, 1e6)], { inputBytesPerStep: 1e9, pinMemory });

  it('is serial without pinned memory, at half the PCIe rate (pageable copies)', () => {
    const p = one(w(false), 'a100-80gb');
    // 1e9 B / (31.5e9 × 0.75 × 0.5) = 84.656 ms.
    expect(p.shares.transfer * p.stepSeconds.mid).toBeCloseTo(1e9 / (31.5e9 * 0.75 * 0.5), 6);
    expect(p.bound).toBe('transfer');
  });

  it('overlaps with compute when pinned', () => {
    const pinned = one(w(true), 'a100-80gb');
    const serial = one(w(false), 'a100-80gb');
    expect(pinned.stepSeconds.mid).toBeLessThan(serial.stepSeconds.mid / 1.9);
    expect(pinned.stepSeconds.high).toBeGreaterThan(pinned.stepSeconds.mid);
  });

  it('costs nothing on a CPU', () => {
    expect(one(w(false), 'epyc-9654').shares.transfer).toBe(0);
  });
});

describe('ring all-reduce', () => {
  it('is 2(n−1)/n · bytes / (NVLink × 0.8) + latency inside an HGX node', () => {
    // 2 · 7/8 · 1e9 / (450e9 · 0.8) + 10 µs = 4.8711 ms.
    expect(allReduceSeconds(1e9, 8, hw('h100-sxm'))).toBeCloseTo(2 * (7 / 8) * 1e9 / 360e9 + 10e-6, 9);
  });

  it('adds a slower ring across nodes (8 × 400 Gb/s NICs per node)', () => {
    // + 2 · 1/2 · 1e9 / (8 · 50e9 · 0.8) + 20 µs.
    expect(allReduceSeconds(1e9, 16, hw('h100-sxm'))).toBeCloseTo(2 * (7 / 8) * 1e9 / 360e9 + 10e-6 + 1e9 / 320e9 + 20e-6, 9);
  });

  it('crosses PCIe through the host on GPUs without NVLink', () => {
    expect(allReduceSeconds(1e9, 4, hw('t4'))).toBeCloseTo(2 * 0.75 * 1e9 / (15.75e9 / 2 * 0.75) + 10e-6, 9);
  });

  it('is free on one device', () => {
    expect(allReduceSeconds(1e9, 1, hw('h100-sxm'))).toBe(0);
  });

  it('adds data-parallel gradient sync to multi-GPU training, mostly hidden behind backward', () => {
    const w = transformerTraining(MODELS.gpt2, { batch: 64, seq: 1024, steps: 1000, devices: 8 });
    const p = one(w, 'a100-80gb');
    expect(p.devicesUsed).toBe(8);
    expect(p.notes.some((n) => n.includes('data parallel (DDP)'))).toBe(true);
    expect(p.shares.communication).toBeGreaterThan(0);
    expect(p.shares.communication).toBeLessThan(0.2);
    // The script's batch is per device (DDP ranks): 8 GPUs do 8× the work in about the time of one.
    const single = one({ ...w, run: { ...w.run, devices: 1 } }, 'a100-80gb');
    expect(p.stepSeconds.mid).toBeGreaterThan(single.stepSeconds.mid);
    expect(p.stepSeconds.mid).toBeLessThan(single.stepSeconds.mid * 1.25);
    expect(p.throughput.value).toBeGreaterThan(6 * single.throughput.value);
  });

  it('splits a global step across devices instead', () => {
    const w = transformerTraining(MODELS.gpt2, { batch: 64, seq: 1024, steps: 1000, devices: 8, scope: 'global' });
    const p = one(w, 'a100-80gb');
    const single = one({ ...w, run: { ...w.run, devices: 1 } }, 'a100-80gb');
    expect(p.stepSeconds.mid).toBeLessThan(single.stepSeconds.mid / 5);
    expect(p.throughput.value).toBeCloseTo(64 * 1024 / p.stepSeconds.mid, 3);
  });
});

describe('memory fit', () => {
  it('finds the fewest devices for 140 GB of weights', () => {
    const m = memory({ weights: 140e9 });
    // H100: 80 GiB × 0.95 − 0.75 GiB context = 80.80 GB per device → 2.  T4: 16 GiB × 0.95 − 0.75 GiB = 15.52 GB → 10.
    expect(fitMemory(m, hw('h100-sxm')).devicesNeeded).toBe(2);
    expect(fitMemory(m, hw('t4')).devicesNeeded).toBe(10);
    expect(fitMemory(m, hw('mi300x')).devicesNeeded).toBe(1);
    expect(fitMemory(m, hw('h100-sxm')).perDevice(2)).toBeCloseTo(70e9 + 0.75 * GiB, 0);
  });

  it('reports a model that does not fit and projects it on enough devices', () => {
    const w = transformerGenerate(MODELS.llama2_70b, { batch: 1, prompt: 128, newTokens: 32, dtype: 'bf16' });
    const p = one(w, 'a100-80gb');
    expect(p.fits).toBe(false);
    expect(p.devicesNeeded).toBe(2);
    expect(p.devicesUsed).toBe(2);
    expect(p.memoryBytes).toBeLessThanOrEqual(p.capacityBytes);
    expect(p.notes.some((n) => n.includes('tensor parallel'))).toBe(true);
    expect(one(w, 'mi300x').fits).toBe(true);
  });

  it('shards training states when one GPU cannot hold them (16 B/param for mixed-precision Adam)', () => {
    const w = transformerTraining(MODELS.llama2_7b, { batch: 8, seq: 2048, steps: 10 });
    expect(w.memory.weights + w.memory.gradients + w.memory.optimizer).toBeCloseTo(16 * w.params, -3);
    const p = one(w, 'a100-80gb');
    expect(p.fits).toBe(false);
    expect(p.devicesNeeded).toBeGreaterThan(1);
    expect(p.notes.some((n) => /sharded|FSDP/.test(n))).toBe(true);
  });

  it('keeps an Apple GPU at one device even when the script asks for eight', () => {
    const w = transformerTraining(MODELS.gpt2, { batch: 8, seq: 512, steps: 10, devices: 8 });
    const p = one(w, 'apple-m3-max-gpu');
    expect(p.devicesUsed).toBe(1);
    expect(p.notes.some((n) => n.includes('8 data-parallel ranks run one after another'))).toBe(true);
  });

  it('keeps a laptop at one device and says it would swap', () => {
    const w = transformerGenerate(MODELS.llama2_70b, { batch: 1, prompt: 16, newTokens: 4, dtype: 'bf16' });
    const p = one(w, 'core-ultra-7-155h');
    expect(p).toMatchObject({ fits: false, devicesUsed: 1 });
    expect(p.notes[0]).toMatch(/^Does not fit/);
  });
});

describe('PyTorch dtype defaults', () => {
  it('runs fp32 matmuls on CUDA cores unless TF32 is allowed', () => {
    const w = workload([gemm(1e14, 1e9, { dtype: 'fp32' })], { dtype: 'fp32' });
    const plain = one(w, 'a100-80gb');
    expect(plain.computeDtype).toBe('fp32');
    expect(plain.peakFlops).toBe(19.5e12);
    expect(plain.notes.some((n) => n.includes('allow_tf32'))).toBe(true);
    const tf32 = one({ ...w, run: { ...w.run, allowTf32: true } }, 'a100-80gb');
    expect(tf32.computeDtype).toBe('tf32');
    expect(tf32.peakFlops).toBe(156e12);
    expect(plain.stepSeconds.mid / tf32.stepSeconds.mid).toBeCloseTo(8, 0);
  });

  it('runs fp32 convolutions in TF32 by default (cuDNN), where the GPU has it', () => {
    expect(resolvePeak(hw('a100-80gb'), 'fp32', 'conv', false)).toEqual({ dtype: 'tf32', flops: 156e12 });
    expect(resolvePeak(hw('t4'), 'fp32', 'conv', false)).toEqual({ dtype: 'fp32', flops: 8.1e12 });
    expect(resolvePeak(hw('epyc-9654'), 'fp32', 'conv', true).dtype).toBe('fp32');
  });

  it('uses tensor cores for fp16/bf16 and falls back where they are missing', () => {
    expect(resolvePeak(hw('h100-sxm'), 'bf16', 'gemm', false).flops).toBe(989e12);
    const t4 = resolvePeak(hw('t4'), 'bf16', 'gemm', false);
    expect(t4).toMatchObject({ dtype: 'fp32', flops: 8.1e12 });
    expect(t4.fallback).toContain('no bf16 tensor cores');
  });

  it('runs bf16 at half the fp32 rate on CPUs without bf16 instructions, natively with AVX512-BF16/AMX', () => {
    const ultra = hw('core-ultra-7-155h');
    expect(resolvePeak(ultra, 'bf16', 'gemm', false).flops).toBeCloseTo((ultra.peakFlops.fp32 as number) / 2, 0);
    expect(resolvePeak(hw('xeon-8480'), 'bf16', 'gemm', false).flops).toBeCloseTo(114.688e12, -6);
    expect(resolvePeak(hw('ryzen-9-7950x'), 'bf16', 'gemm', false).dtype).toBe('bf16');
  });

  it('runs vector ops at the fp32 rate whatever their dtype', () => {
    expect(resolvePeak(hw('h100-sxm'), 'bf16', 'elementwise', false)).toEqual({ dtype: 'fp32', flops: 67e12 });
  });

  it('computes int4 weight-only quantised ops at the fp16 rate', () => {
    expect(resolvePeak(hw('rtx-4090'), 'int4', 'gemm', false)).toMatchObject({ dtype: 'fp16', flops: 165.2e12 });
  });
});

describe('training and phases', () => {
  it('adds backward (2× GEMM FLOPs) and an optimizer step', () => {
    const infer = transformerGenerate(MODELS.gpt2, { batch: 8, prompt: 512, newTokens: 0, dtype: 'bf16' });
    const train = transformerTraining(MODELS.gpt2, { batch: 8, seq: 512, steps: 1 });
    const pi = one(infer, 'a100-80gb');
    const pt = one(train, 'a100-80gb');
    expect(pt.stepSeconds.mid).toBeGreaterThan(2.5 * pi.stepSeconds.mid);
    expect(train.backwardFlops / train.forwardFlops).toBeGreaterThan(1.9);
  });

  it('launches fewer optimizer kernels for fused optimizers', () => {
    const w = transformerTraining({ layers: 12, hidden: 256, heads: 4, vocab: 1000 }, { batch: 1, seq: 16, steps: 1 });
    const foreach = one(w, 'h100-sxm').stepSeconds.mid;
    const fused = one({ ...w, run: { ...w.run, optimizer: 'adamw-fused' } }, 'h100-sxm').stepSeconds.mid;
    expect(fused).toBeLessThan(foreach);
  });

  it('projects LLM decode as memory-bound and prefill as compute-bound', () => {
    const decode = transformerGenerate(MODELS.llama2_7b, { batch: 1, prompt: 1, newTokens: 256, dtype: 'fp16' });
    // Replayed as a CUDA graph: ≈13.5 GB of weights per token at ≈3.35 TB/s × 75%, 150–200 tokens/s.
    expect(one(decode, 'h100-sxm', { runtime: 'graph' }).bound).toBe('memory');
    const tps = one(decode, 'h100-sxm', { runtime: 'graph' }).throughput.value;
    expect(tps).toBeGreaterThan(100);
    expect(tps).toBeLessThan(250);
    // Eager PyTorch at batch 1 is host-bound (gpt-fast: 25.5 tok/s eager on an A100, ≈4× with CUDA graphs).
    expect(one(decode, 'h100-sxm').bound).toBe('overhead');
    expect(one(decode, 'h100-sxm').throughput.value).toBeLessThan(tps / 2);
    const prefill = transformerGenerate(MODELS.llama2_7b, { batch: 8, prompt: 2048, newTokens: 0, dtype: 'fp16' });
    expect(one(prefill, 'h100-sxm').bound).toBe('compute');
  });

  it('reports throughput in the workload unit', () => {
    const w = resnet50('infer', 256, 'fp16');
    const p = one(w, 't4');
    expect(p.throughput.unit).toBe('images/s');
    expect(p.throughput.value).toBeCloseTo(256 / p.stepSeconds.mid, 6);
  });
});

describe('energy, cost and verdict', () => {
  const big = transformerTraining(MODELS.gpt2, { batch: 16, seq: 1024, steps: 20000 });

  it('prices GPU time, leaves laptops unpriced, and estimates energy from TDP', () => {
    const r = project(big, [hw('h100-sxm'), hw('core-ultra-7-155h')]);
    const [gpu, cpu] = r.projections;
    expect(gpu.costUsd?.mid).toBeCloseTo(3.0 * gpu.runSeconds.mid / 3600, 6);
    expect(gpu.energyJoules.mid).toBeCloseTo(700 * gpu.runSeconds.mid, 3);
    expect(cpu.costUsd).toBeUndefined();
    expect(cpu.energyJoules.mid).toBeCloseTo(28 * cpu.runSeconds.mid, 3);
  });

  it('says a GPU pays off for real training, with the speed-up and the reason', () => {
    const r = project(big, [hw('core-ultra-7-155h'), hw('epyc-9654'), hw('t4'), hw('h100-sxm')]);
    expect(r.verdict.gpuPaysOff).toBe(true);
    expect(r.verdict.bestGpu).toBe('h100-sxm');
    // Judged against the user's machine (the laptop of the comparison), never the 96-core server.
    expect(r.verdict.bestCpu).toBe('core-ultra-7-155h');
    expect(r.verdict.speedup).toBeGreaterThan(10);
    expect(r.verdict.summary).toMatch(/^A GPU pays off: NVIDIA H100 SXM ≈ .+ vs .+ on Intel Core Ultra 7 155H \(laptop CPU, taken as yours\) \(×[\d,]+, ≈\$[\d.,]+\), because the run is compute-bound \(.+FLOP\)\.$/);
  });

  it('says a CPU is fine for a run that finishes in seconds', () => {
    const small = transformerTraining({ layers: 2, hidden: 128, heads: 4, vocab: 1000 }, { batch: 8, seq: 64, steps: 50 });
    const r = project(small, [hw('core-ultra-7-155h'), hw('t4')]);
    expect(r.verdict.gpuPaysOff).toBe(false);
    expect(r.verdict.summary).toMatch(/^A CPU is fine: /);
  });

  it('honours an inference latency budget', () => {
    const w = resnet50('infer', 1, 'fp32', { steps: 100000 });
    const r = project(w, [hw('epyc-9654'), hw('h100-sxm')], { latencyBudgetSeconds: 0.5 });
    expect(r.verdict.gpuPaysOff).toBe(false);
    expect(r.verdict.reason).toContain('budget');
  });

  it('handles empty or one-sided comparisons', () => {
    expect(project(big, []).verdict.summary).toBe('No hardware to compare.');
    const only = project(big, [hw('h100-sxm')]).verdict;
    expect(only.gpuPaysOff).toBe(false);
    expect(only.summary).toContain('no CPU in the comparison');
  });
});

describe('robustness', () => {
  it('never throws on odd workloads', () => {
    const bad = workload([
      op({ forwardFlops: Number.NaN, bytesRead: -1, count: 2 }),
      op({ forwardFlops: Number.POSITIVE_INFINITY, count: Number.NaN }),
      op({ opClass: 'weird' as never, forwardFlops: 1e6, bytesRead: 1e3 }),
    ], { steps: Number.NaN, itemsPerStep: Number.NaN, inputBytesPerStep: -5, devices: -3 }, { peakBytes: Number.NaN, weights: -1 });
    const r = project(bad, HARDWARE);
    expect(r.projections).toHaveLength(HARDWARE.length);
    for (const p of r.projections) {
      expect(Number.isFinite(p.stepSeconds.mid)).toBe(true);
      expect(Number.isFinite(p.mfu)).toBe(true);
      expect(p.devicesUsed).toBeGreaterThanOrEqual(1);
    }
    const empty = project(workload([]), HARDWARE);
    expect(empty.projections.every((p) => p.stepSeconds.mid >= 0)).toBe(true);
    expect(() => project({} as Workload, HARDWARE)).not.toThrow();
    expect(project(workload([gemm(1e9, 1e6)]), [{ ...hw('t4'), memoryBandwidth: 0 }]).projections).toEqual([]);
  });
});
