/**
 * Facts about the machine this Node process runs on (the CLI, or the VS Code extension host). No file access here:
 * the caller reads /proc/cpuinfo (the CLI with fs, the extension host through vscode.workspace.fs) and passes its text.
 */
import * as os from 'os';
import type { MachineFacts } from '../devices';

const VECTOR_FLAGS = ['avx512f', 'avx2', 'fma', 'neon', 'asimd', 'sve'];

/** Vector ISA flags, physical cores and the highest reported clock from /proc/cpuinfo text (Linux); pure, for tests. */
export function parseCpuinfo(text: string): { features: string[]; physicalCores?: number; ghz?: number } {
  const flagsLine = /^(?:flags|Features)\s*:\s*(.*)$/m.exec(text)?.[1] ?? '';
  const flags = new Set(flagsLine.split(/\s+/));
  const features = VECTOR_FLAGS.filter((f) => flags.has(f)).map((f) => (f === 'asimd' ? 'neon' : f));
  const perSocket = /^cpu cores\s*:\s*(\d+)/m.exec(text)?.[1];
  const sockets = new Set([...text.matchAll(/^physical id\s*:\s*(\d+)/gm)].map((m) => m[1])).size || 1;
  const mhz = Math.max(0, ...[...text.matchAll(/^cpu MHz\s*:\s*([\d.]+)/gm)].map((m) => Number(m[1])));
  return { features: [...new Set(features)], ...(perSocket ? { physicalCores: Number(perSocket) * sockets } : {}), ...(plausibleGhz(mhz / 1000) ? { ghz: mhz / 1000 } : {}) };
}

/** A core clock worth reporting, GHz: idle-throttled or placeholder readings (0, 24 MHz on Apple silicon) are not. */
export function plausibleGhz(ghz: number | undefined): ghz is number {
  return typeof ghz === 'number' && Number.isFinite(ghz) && ghz >= 1 && ghz <= 6.5;
}

/** This machine's facts; `cpuinfo` is the text of /proc/cpuinfo on Linux. Never throws (unknown facts are left out). */
export function nodeMachineFacts(role: MachineFacts['role'], cpuinfo?: string, remoteName?: string): MachineFacts {
  const cores = Math.max(1, typeof os.availableParallelism === 'function' ? os.availableParallelism() : os.cpus().length);
  const facts: MachineFacts = { role, cores, platform: `${process.platform}-${process.arch}`, ...(remoteName ? { remoteName } : {}) };
  const cpus = os.cpus();
  const model = cpus[0]?.model?.trim();
  if (model) facts.cpuModel = model;
  // The highest clock the OS reports for a core (MHz): the nominal or current turbo clock, not a sustained AVX one.
  const speed = Math.max(0, ...cpus.map((c) => c.speed)) / 1000;
  if (plausibleGhz(speed)) facts.ghz = speed;
  if (cpuinfo !== undefined) {
    const info = parseCpuinfo(cpuinfo);
    if (info.features.length > 0) facts.features = info.features;
    if (info.physicalCores) facts.physicalCores = Math.min(cores, info.physicalCores);
    if (info.ghz !== undefined) facts.ghz = Math.max(facts.ghz ?? 0, info.ghz);
  } else if (process.arch === 'arm64') {
    facts.features = ['neon'];
  }
  return facts;
}
