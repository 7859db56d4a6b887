/**
 * Part of `npm run validate`: the CPU projection for THIS machine compared with measured PyTorch step
 * times of the repository's fixture scripts (test/fixtures/expected/*.json, `measuredCpuStepSeconds`,
 * measured by test/fixtures/measure.py with Debian's python3-torch 1.13, 2 threads, fp32).
 *
 * The machine: a 2-vCPU AMD EPYC (Zen 4, AVX-512 + AVX512-BF16, 2.6 GHz, 32 MB L3). Its profile is
 * built the way a user's custom profile would be: FP32 peak from the core count and clock
 * (2 × 2.6 GHz × 32 FP32 FLOP/cycle = 166 GFLOP/s) and the memory bandwidth measured once with a
 * 512 MiB tensor copy (19.1 GB/s moved, read + write).
 */
import * as fs from 'fs';
import * as path from 'path';
import { analyzeFile } from '../../src/cli/analyzeFile';
import type { HardwareProfile } from '../../src/core/hardware/types';

const ROOT = path.resolve(__dirname, '../..');
const FIX = path.join(ROOT, 'test/fixtures');

const MEASURED_COPY_BYTES_PER_SECOND = 19.1e9;

const THIS_VM: HardwareProfile = {
  id: 'this-vm', name: 'this VM (2 × Zen 4)', kind: 'cpu', tier: 'this-machine', cores: 2,
  peakFlops: { fp32: 2 * 2.6e9 * 32, tf32: 2 * 2.6e9 * 32, bf16: 2 * 2.6e9 * 64, fp16: 2 * 2.6e9 * 32 },
  memoryBandwidth: MEASURED_COPY_BYTES_PER_SECOND, memoryBytes: 24e9, cacheBytes: 32 * 2 ** 20,
  sources: ['lscpu on the development VM; copy bandwidth measured with torch 1.13 (see header)'],
};

/** Same data-dependent values the fixture test supplies (see test/unit/fixtures.test.ts). */
const DATA_DEPENDENT: Record<string, Record<string, string>> = { gpt_manual_attention: { vocab: '65' } };

interface Row { name: string; measured: number; projected: number; low: number; high: number; contended: boolean }
const rows: Row[] = [];
for (const f of fs.readdirSync(path.join(FIX, 'expected')).filter((x) => x.endsWith('.json')).sort()) {
  const name = f.replace(/\.json$/, '');
  const e = JSON.parse(fs.readFileSync(path.join(FIX, 'expected', f), 'utf8')) as { measuredCpuStepSeconds?: number; script?: string; timingContended?: boolean };
  if (!(e.measuredCpuStepSeconds! > 0)) continue;
  const script = [e.script ? path.join(FIX, e.script) : '', path.join(FIX, 'scripts', `${name}.py`), path.join(FIX, 'scripts', `${name}.ipynb`), path.join(FIX, 'scripts', name, 'train.py')].find((p) => p && fs.existsSync(p));
  if (!script) continue;
  // measure.py times fp32 on the CPU (autocast to CUDA dtypes does not apply there).
  const a = analyzeFile(script, { name, root: FIX, hardware: [THIS_VM], overrides: { ...DATA_DEPENDENT[name], dtype: 'fp32' } });
  const p = a.projections.find((x) => x.hardwareId === THIS_VM.id);
  if (p) rows.push({ name, measured: e.measuredCpuStepSeconds!, projected: p.stepSeconds.mid, low: p.stepSeconds.low, high: p.stepSeconds.high, contended: e.timingContended === true });
}

const fmt = (s: number) => (s < 1 ? `${(s * 1000).toFixed(1)} ms` : `${s.toFixed(2)} s`);
console.log('\nCPU projection for this machine vs measured PyTorch step time (fixtures, fp32, 2 threads)\n');
console.log('fixture'.padEnd(30), 'measured'.padStart(10), 'projected'.padStart(10), 'band'.padStart(22), 'ratio'.padStart(7), ' in band');
const gm = (xs: number[]) => Math.exp(xs.reduce((a, x) => a + Math.log(x), 0) / xs.length);
for (const r of rows) {
  const inBand = r.measured >= r.low && r.measured <= r.high;
  console.log(r.name.padEnd(30), fmt(r.measured).padStart(10), fmt(r.projected).padStart(10), `${fmt(r.low)}–${fmt(r.high)}`.padStart(22), `×${(r.projected / r.measured).toFixed(2)}`.padStart(7), inBand ? ' yes' : ' no', r.contended ? '  (measured while the machine was busy: excluded)' : '');
}
// measure.py flags 2-thread timings taken while other processes held the second core (timingContended).
const clean = rows.filter((r) => !r.contended);
const ratios = clean.map((r) => r.projected / r.measured);
const within = (f: number) => ratios.filter((x) => x >= 1 / f && x <= f).length;
console.log(`\nthis VM: geometric-mean ratio ×${gm(ratios).toFixed(2)} (projected ÷ measured); ${within(1.5)} of ${clean.length} within 1.5×, ${within(2)} within 2×, ${clean.filter((r) => r.measured >= r.low && r.measured <= r.high).length} inside the band (${rows.length - clean.length} contended timings excluded)`);
