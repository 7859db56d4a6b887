/**
 * The sentences every surface writes about memory fit and the per-device facts of a projection, so that the CLI,
 * the Markdown report, the sidebar, the panel, hovers and diagnostics say the same thing with the same figures.
 *
 * Meanings, fixed once:
 * - step peak: `Analysis.memory.peakBytes`, the tensors of one step (weights, gradients, optimizer state,
 *   activations, inputs, KV cache);
 * - need on a device: `Projection.memoryBytes`, the step's share on one device plus the runtime's context (CUDA
 *   context and library workspaces, or the Python process on a CPU);
 * - usable: what the projection may fill, the capacity less the allocator's fragmentation (GPU) or the OS's share
 *   (CPU), from src/core/project/memory.ts.
 */
import type { Analysis, Projection } from '../types';
import { formatBytes, plural } from '../format';
import { usableBytes } from '../project/memory';

/** Bytes of the device's memory the projection may fill. */
export function usable(p: Projection): number {
  return usableBytes({ kind: p.kind, memoryBytes: p.capacityBytes });
}

/** "fits: needs 975 MiB of 75.9 GiB usable" / "does not fit: 2 devices needed, 41 GiB each of 75.9 GiB usable". */
export function fitText(p: Projection): string {
  const need = formatBytes(p.memoryBytes);
  const room = `${formatBytes(usable(p))} usable`;
  if (p.fits) return `fits: needs ${need} of ${room}`;
  if (p.devicesUsed > 1) return `does not fit on one: ${plural(p.devicesNeeded, 'device')} needed, ${need} each of ${room}`;
  return `does not fit: needs ${need}, ${room}`;
}

/** The same figures for a table cell: "975 MiB / 75.9 GiB" (need / usable), "2 × 41 GiB / 75.9 GiB" when spread. */
export function fitCell(p: Projection): string {
  const cell = `${formatBytes(p.memoryBytes)} / ${formatBytes(usable(p))}`;
  return p.devicesUsed > 1 ? `${p.devicesUsed} × ${cell}` : p.fits ? cell : `${cell} (does not fit)`;
}

/** The step's peak and what it needs on the compared devices: "207 MiB at peak; 975 MiB per GPU, 719 MiB per CPU with the runtime". */
export function memoryNeedText(a: Analysis): string {
  const parts: string[] = [];
  for (const kind of ['gpu', 'cpu'] as const) {
    const needs = [...new Set(a.projections.filter((p) => p.kind === kind && p.devicesUsed <= 1).map((p) => formatBytes(p.memoryBytes)))];
    if (needs.length) parts.push(`${needs.join(' or ')} per ${kind.toUpperCase()}`);
  }
  return `${formatBytes(a.memory.peakBytes)} at peak${parts.length ? `; ${parts.join(', ')} with the runtime's context` : ''}`;
}

/**
 * Facts of each projection worth a reader's eye (a dtype the device lacks, setup time, the data pipeline, how
 * several devices split the work): the projection's notes, each device's listed once per distinct note.
 */
export function projectionFacts(a: Analysis): { device: string; note: string }[] {
  const byNote = new Map<string, string[]>();
  for (const p of a.projections) {
    for (const n of p.notes) {
      const list = byNote.get(n) ?? [];
      if (!list.includes(p.hardwareName)) list.push(p.hardwareName);
      byNote.set(n, list);
    }
  }
  return [...byNote].map(([note, devices]) => ({ device: devices.join(', '), note }));
}

/** The mark beside the CPU the verdict is judged against (the user's machine), the same on every surface; '' for others. */
export function userMachineMark(p: Projection): string {
  switch (p.userMachine) {
    case undefined: return '';
    case 'measured': return ' (this machine)';
    case 'assumed': return ' (yours, assumed)';
    default: return ' (yours)';
  }
}
