/**
 * Facts about the machine this Node process runs on (the CLI, or the VS Code extension host). No file access here:
 * the caller reads /proc/cpuinfo (the CLI with fs, the extension host through vscode.workspace.fs) and passes its text.
 */
import * as os from 'os';
import type { MachineFacts } from '../devices';

const VECTOR_FLAGS = ['avx512f', 'avx2', 'fma', 'neon', 'asimd', 'sve'];

/**
 * Vector ISA flags, physical cores and the core clock from /proc/cpuinfo text (Linux), with the cpufreq driver's
 * maximum (`/sys/devices/system/cpu/cpu0/cpufreq/cpuinfo_max_freq`, kHz) when the caller could read it; pure, for
 * tests. The clock is `sustainedGhz` of the three readings.
 */
export function parseCpuinfo(text: string, cpufreqMaxKhz?: string): { features: string[]; physicalCores?: number; ghz?: number } {
  const flagsLine = /^(?:flags|Features)\s*:\s*(.*)$/m.exec(text)?.[1] ?? '';
  const flags = new Set(flagsLine.split(/\s+/));
  const features = VECTOR_FLAGS.filter((f) => flags.has(f)).map((f) => (f === 'asimd' ? 'neon' : f));
  const perSocket = /^cpu cores\s*:\s*(\d+)/m.exec(text)?.[1];
  const sockets = new Set([...text.matchAll(/^physical id\s*:\s*(\d+)/gm)].map((m) => m[1])).size || 1;
  const mhz = Math.max(0, ...[...text.matchAll(/^cpu MHz\s*:\s*([\d.]+)/gm)].map((m) => Number(m[1])));
  const ghz = sustainedGhz({ reported: mhz / 1000, nominal: nominalGhz(/^model name\s*:\s*(.*)$/m.exec(text)?.[1] ?? ''), max: Number(cpufreqMaxKhz?.trim()) / 1e6 });
  return { features: [...new Set(features)], ...(perSocket ? { physicalCores: Number(perSocket) * sockets } : {}), ...(ghz !== undefined ? { ghz } : {}) };
}

/** The nominal (base) clock a CPU model name states ("Intel(R) Xeon(R) Gold 6338 CPU @ 2.00GHz"), GHz. */
export function nominalGhz(model: string): number | undefined {
  const m = /@\s*([\d.]+)\s*GHz/i.exec(model);
  const g = m ? Number(m[1]) : Number.NaN;
  return plausibleGhz(g) ? g : undefined;
}

/**
 * The clock a busy core sustains, GHz, from what the OS says. `cpu MHz` (and Node's os.cpus() speed) is the current
 * reading: idle-throttled on bare metal, and on virtual machines the host's TSC or base clock (2.3 GHz on this
 * project's Xeon VM, whose 1-thread OpenBLAS sgemm of 194 GFLOP/s at 64 FLOP/cycle implies ≥ 3.0 GHz,
 * docs/calibration.md). The model name's "@ x GHz" is the base clock, which loaded cores run at or above. The cpufreq
 * maximum is the one-core turbo, which all cores together do not hold: with both, the midpoint of base and maximum is
 * taken (u: Xeon 8480+ 2.0/3.8 → 2.9 against an all-core turbo of ≈3.0; Ryzen 9 7950X 4.5/5.7 → 5.1; Core Ultra 7
 * 155H 1.4/4.8 → 3.1 under its power limit). Without the maximum, the higher of the base and the current reading.
 * Undefined when no reading is plausible.
 */
export function sustainedGhz(r: { reported?: number; nominal?: number; max?: number }): number | undefined {
  const base = Math.max(plausibleGhz(r.reported) ? r.reported : 0, plausibleGhz(r.nominal) ? r.nominal : 0);
  const max = plausibleGhz(r.max) ? r.max : 0;
  if (max > base && base > 0) return (base + max) / 2;
  if (base > 0) return base;
  return max > 0 ? max : undefined;
}

/** A core clock worth reporting, GHz: idle-throttled or placeholder readings (0, 24 MHz on Apple silicon) are not. */
export function plausibleGhz(ghz: number | undefined): ghz is number {
  return typeof ghz === 'number' && Number.isFinite(ghz) && ghz >= 1 && ghz <= 6.5;
}

/** This machine's facts; `cpuinfo` is the text of /proc/cpuinfo on Linux. Never throws (unknown facts are left out). */
export function nodeMachineFacts(role: MachineFacts['role'], cpuinfo?: string, remoteName?: string, cpufreqMaxKhz?: string): MachineFacts {
  const cores = Math.max(1, typeof os.availableParallelism === 'function' ? os.availableParallelism() : os.cpus().length);
  const facts: MachineFacts = { role, cores, platform: `${process.platform}-${process.arch}`, ...(remoteName ? { remoteName } : {}) };
  const cpus = os.cpus();
  const model = cpus[0]?.model?.trim();
  if (model) facts.cpuModel = model;
  // The highest clock the OS reports for a core (MHz): the nominal or current turbo clock, not a sustained AVX one.
  const speed = Math.max(0, ...cpus.map((c) => c.speed)) / 1000;
  if (plausibleGhz(speed)) facts.ghz = speed;
  if (cpuinfo !== undefined) {
    const info = parseCpuinfo(cpuinfo, cpufreqMaxKhz);
    if (info.features.length > 0) facts.features = info.features;
    if (info.physicalCores) facts.physicalCores = Math.min(cores, info.physicalCores);
    // With the cpufreq maximum, cpuinfo's clock (sustainedGhz) replaces the current reading, which may be a brief
    // one-core boost; without it, the higher of the two current readings and the base clock.
    if (info.ghz !== undefined) facts.ghz = plausibleGhz(Number(cpufreqMaxKhz?.trim()) / 1e6) ? info.ghz : Math.max(facts.ghz ?? 0, info.ghz);
  } else if (process.arch === 'arm64') {
    facts.features = ['neon'];
  }
  return facts;
}
