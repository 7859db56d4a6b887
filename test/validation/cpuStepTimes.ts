/**
 * Part of `npm run validate`: FlopLens's CPU projection compared with measured PyTorch step times of the repository's
 * fixture scripts (test/fixtures/expected/*.json, measured by test/fixtures/measure.py: Debian's python3-torch 1.13 with
 * OpenBLAS, fp32). Nothing is measured here: the figures are the recorded ones.
 *
 * Each fixture records the CPU it was timed on (`cpu`), and is compared with the profile of THAT machine, built the way
 * a `this-machine` profile is: peaks from the core count, the ISA flags (src/core/hardware/cpuIsa.ts) and a sustained
 * clock; memory bandwidth from a measured copy. Two comparisons:
 * - one thread, process CPU seconds per step (`cpuStep1ThreadCpuSeconds`) vs the 1-core profile: a process's own CPU
 *   time barely moves when other processes compete for the cores, so every fixture is scored here;
 * - two threads, median wall time (`measuredCpuStepSeconds`) vs the 2-core profile: only timings taken while the machine
 *   was otherwise idle (`timingContended` false) are scored.
 */
import { analyzeFile } from '../../src/cli/analyzeFile';
import { DATA_DEPENDENT, FIX, MACHINES, profile, timedFixtures } from './cpuMachines';

interface Row { name: string; machine: string; cpu1: number; proj1: number; band1: [number, number]; wall2?: number; proj2: number; band2: [number, number] }

const rows: Row[] = [];
for (const { name, script, machine, expected: e } of timedFixtures()) {
  const one = profile(machine, 1);
  const two = profile(machine, 2);
  // measure.py times fp32 on the CPU (autocast to CUDA dtypes does not apply there).
  const a = analyzeFile(script, { name, root: FIX, hardware: [one, two], overrides: { ...DATA_DEPENDENT[name], dtype: 'fp32' } });
  const p1 = a.projections.find((x) => x.hardwareId === one.id);
  const p2 = a.projections.find((x) => x.hardwareId === two.id);
  if (!p1 || !p2) continue;
  rows.push({
    name, machine: machine.id, cpu1: e.cpuStep1ThreadCpuSeconds ?? 0, proj1: p1.stepSeconds.mid, band1: [p1.stepSeconds.low, p1.stepSeconds.high],
    wall2: e.timingContended === false ? e.measuredCpuStepSeconds : undefined, proj2: p2.stepSeconds.mid, band2: [p2.stepSeconds.low, p2.stepSeconds.high],
  });
}

const fmt = (s: number) => (s < 1 ? `${(s * 1000).toFixed(1)} ms` : `${s.toFixed(2)} s`);
const inBand = (x: number, b: [number, number]) => x >= b[0] && x <= b[1];
const gm = (xs: number[]) => Math.exp(xs.reduce((a, x) => a + Math.log(x), 0) / Math.max(1, xs.length));
console.log('\nCPU projection vs measured PyTorch (OpenBLAS) step time, fp32, on the machine each fixture was timed on');
const summary = (label: string, pairs: { ratio: number; band: boolean }[]): string => {
  const within = (f: number) => pairs.filter((x) => x.ratio >= 1 / f && x.ratio <= f).length;
  return `${label}: geometric-mean ratio ×${gm(pairs.map((x) => x.ratio)).toFixed(2)} (projected ÷ measured); ${within(1.5)} of ${pairs.length} within 1.5×, ${within(2)} within 2×, ${pairs.filter((x) => x.band).length} inside the band`;
};
const one = (r: Row) => ({ ratio: r.proj1 / r.cpu1, band: inBand(r.cpu1, r.band1) });
for (const m of MACHINES) {
  const mine = rows.filter((r) => r.machine === m.id);
  if (mine.length === 0) continue;
  console.log(`\n${m.id}: ${m.name}\n`);
  console.log('fixture'.padEnd(28), '1 thread: CPU s'.padStart(16), 'projected'.padStart(10), 'ratio'.padStart(7), 'band', ' | 2 threads: wall'.padStart(18), 'projected'.padStart(10), 'ratio'.padStart(7));
  for (const r of mine) {
    const r1 = r.cpu1 > 0 ? `×${(r.proj1 / r.cpu1).toFixed(2)}` : '—';
    const r2 = r.wall2 ? `×${(r.proj2 / r.wall2).toFixed(2)}` : '—';
    console.log(r.name.padEnd(28), (r.cpu1 > 0 ? fmt(r.cpu1) : '—').padStart(16), fmt(r.proj1).padStart(10), r1.padStart(7), r.cpu1 > 0 && inBand(r.cpu1, r.band1) ? ' yes' : ' no ',
      ` | ${r.wall2 ? fmt(r.wall2) : '—'}`.padStart(18), fmt(r.proj2).padStart(10), r2.padStart(7));
  }
  console.log(`\n${summary(`${m.id}, 1 thread`, mine.filter((r) => r.cpu1 > 0).map(one))}`);
  const idle2 = mine.filter((r) => r.wall2).map((r) => ({ ratio: r.proj2 / (r.wall2 as number), band: inBand(r.wall2 as number, r.band2) }));
  if (idle2.length > 0) console.log(summary(`${m.id}, 2 threads (idle-machine timings only)`, idle2));
}
const s1 = rows.filter((r) => r.cpu1 > 0).map(one);
console.log(`\n${summary('All machines, 1 thread', s1)}`);
// The target of issue 15: on every machine with at least 15 timed fixtures, within 1.5× on at least 80% of them
// (1-thread CPU time, every fixture scored); and at least one such machine.
const within = (xs: { ratio: number }[]) => xs.filter((x) => x.ratio >= 1 / 1.5 && x.ratio <= 1.5).length / Math.max(1, xs.length);
const scored = MACHINES.map((m) => rows.filter((r) => r.machine === m.id && r.cpu1 > 0).map(one)).filter((xs) => xs.length >= 15);
if (scored.length === 0 || scored.some((xs) => within(xs) < 0.8)) process.exitCode = 1;
