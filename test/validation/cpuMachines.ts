/**
 * The machines the fixture scripts were timed on (test/fixtures/expected/*.json, `cpu`), as CPU profiles built the way a
 * `this-machine` profile is (cores × ISA rates × sustained clock; measured copy bandwidth), and the fixtures with their
 * scripts. Shared by cpuStepTimes.ts (the table) and fit.ts (the CPU fit). Nothing here measures anything.
 */
import * as fs from 'fs';
import * as path from 'path';
import type { HardwareProfile } from '../../src/core/hardware/types';
import { cpuCoreFromIsa, cpuPeaksFromIsa, isaRates, type CpuIsa } from '../../src/core/hardware/cpuIsa';

export const ROOT = path.resolve(__dirname, '../..');
export const FIX = path.join(ROOT, 'test/fixtures');

export interface Machine {
  match: RegExp;
  id: string;
  name: string;
  isa: CpuIsa;
  /** Sustained clock under BLAS load, GHz, and what it is taken from. */
  ghz: number;
  /** Copy bandwidth (read + write) with one thread, bytes/s. */
  copyPerCore: number;
  cacheBytes: number;
  basis: string;
}

/** The machines the fixtures were timed on (their `lscpu` flags and measured rates). */
export const MACHINES: Machine[] = [
  {
    match: /Intel|Xeon/i, id: 'vm-xeon', name: '2-vCPU Intel Xeon (AVX-512, AVX512-BF16/FP16, no AMX exposed)',
    isa: { vendor: 'intel', flags: ['avx2', 'fma', 'avx512f', 'avx512_bf16', 'avx512_fp16', 'avx512_vnni', 'avx_vnni'], torchCapability: 'avx2' },
    // One thread of OpenBLAS's AVX-512 kernels (OPENBLAS_CORETYPE=Cooperlake) ran a 1,024³ sgemm at 194 GFLOP/s of
    // process CPU time: 64 FLOP/cycle at ≥ 3.0 GHz. A 512 MiB tensor copy moved 12.8 GB/s per thread.
    ghz: 3.0, copyPerCore: 12.8e9, cacheBytes: 32 * 2 ** 20,
    basis: 'lscpu flags of the development VM; 1-thread sgemm 194 GFLOP/s and copy 12.8 GB/s (process CPU time, torch 1.13)',
  },
  {
    match: /AMD|EPYC/i, id: 'vm-zen4', name: '2-vCPU AMD EPYC (Zen 4, AVX-512 on 256-bit pipes)',
    isa: { vendor: 'amd', flags: ['avx2', 'fma', 'avx512f', 'avx512_bf16', 'avx512_vnni'], torchCapability: 'avx2' },
    // Its fixtures recorded a 2-thread 1,024³ sgemm of up to 209 GFLOP/s: 2 × 32 FLOP/cycle at ≥ 3.3 GHz;
    // a 512 MiB copy moved 19.1 GB/s with two threads.
    ghz: 3.3, copyPerCore: 19.1e9 / 2, cacheBytes: 32 * 2 ** 20,
    basis: 'lscpu of the earlier development VM; recorded sgemm 209 GFLOP/s (2 threads) and copy 19.1 GB/s (2 threads)',
  },
];

export function profile(m: Machine, cores: number): HardwareProfile {
  return {
    id: `${m.id}-${cores}c`, name: `${m.name}, ${cores} thread${cores > 1 ? 's' : ''}`, kind: 'cpu', tier: 'this-machine', cores,
    peakFlops: cpuPeaksFromIsa(m.isa, cores, m.ghz),
    memoryBandwidth: m.copyPerCore * cores, memoryBytes: 24e9, cacheBytes: m.cacheBytes, cpuCore: cpuCoreFromIsa(m.isa, m.ghz),
    sources: [m.basis, `ISA: ${isaRates(m.isa).basis.join('; ')}`],
  };
}

/** Same data-dependent values the fixture test supplies (see test/unit/fixtures.test.ts). */
export const DATA_DEPENDENT: Record<string, Record<string, string>> = { gpt_manual_attention: { vocab: '65' } };

/** One machine's 1-thread timing of a fixture (`cpuTimings` of test/fixtures/expected/*.json, measure.py --machine-record). */
export interface CpuTiming { cpu: string; cpuStep1ThreadCpuSeconds: number; cpuStep1ThreadWallSeconds?: number; measuredAt?: string }

export interface Expected {
  measuredCpuStepSeconds?: number; cpuStep1ThreadCpuSeconds?: number; script?: string; timingContended?: boolean; cpu?: string;
  /** Timings from further machines (one entry per CPU model); the top-level fields are the fixture's first machine. */
  cpuTimings?: CpuTiming[];
}

export interface Fixture { name: string; script: string; machine: Machine; expected: Expected }

/** The machine a recorded `cpu` string names (the last one when none matches). */
export function machineOf(cpu: string | undefined): Machine {
  return MACHINES.find((m) => m.match.test(cpu ?? '')) ?? MACHINES[MACHINES.length - 1];
}

/**
 * Every timing of a fixture, one per machine: the top-level record (with its 2-thread wall time) and each `cpuTimings`
 * entry, which replaces the top-level record of the same machine (a 1-thread-only record has no 2-thread wall time).
 */
export function timingsByMachine(e: Expected): { machine: Machine; expected: Expected }[] {
  const out = new Map<string, { machine: Machine; expected: Expected }>();
  if (e.cpuStep1ThreadCpuSeconds! > 0 || e.measuredCpuStepSeconds! > 0) out.set(machineOf(e.cpu).id, { machine: machineOf(e.cpu), expected: e });
  for (const t of Array.isArray(e.cpuTimings) ? e.cpuTimings : []) {
    if (!(t.cpuStep1ThreadCpuSeconds > 0)) continue;
    const machine = machineOf(t.cpu);
    out.set(machine.id, { machine, expected: { script: e.script, cpu: t.cpu, cpuStep1ThreadCpuSeconds: t.cpuStep1ThreadCpuSeconds } });
  }
  return [...out.values()];
}

/** Every fixture timing with a script: one entry per fixture and machine it was timed on. */
export function timedFixtures(): Fixture[] {
  const out: Fixture[] = [];
  for (const f of fs.readdirSync(path.join(FIX, 'expected')).filter((x) => x.endsWith('.json')).sort()) {
    const name = f.replace(/\.json$/, '');
    const e = JSON.parse(fs.readFileSync(path.join(FIX, 'expected', f), 'utf8')) as Expected;
    const script = [e.script ? path.join(FIX, e.script) : '', path.join(FIX, 'scripts', `${name}.py`), path.join(FIX, 'scripts', `${name}.ipynb`), path.join(FIX, 'scripts', name, 'train.py')].find((p) => p && fs.existsSync(p));
    if (!script) continue;
    for (const t of timingsByMachine(e)) out.push({ name, script, ...t });
  }
  return out;
}
