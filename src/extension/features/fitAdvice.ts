/**
 * What would make a model fit the GPUs it does not fit: rough what-ifs on the memory breakdown (bf16,
 * 8-bit Adam, LoRA, a smaller batch, more GPUs), each labelled approximate. Pure.
 */
import type { Analysis, MemoryBreakdown, Projection } from '../../core/types';
import { formatBytes } from '../../core/format';
import { shortName } from '../../shared/viewModel';
import { usable } from '../../core/report/figures';
import { maxOf } from '../../core/arrays';

export interface FitOption {
  /** Short label: "bf16", "8-bit Adam", "LoRA", "batch 8", "2 × RTX 4090". */
  label: string;
  /** Spread over several devices (peakBytes is then the total, not per device). */
  sharded?: boolean;
  /** Approximate peak bytes with the change. */
  peakBytes: number;
  /** Names of the non-fitting GPUs it would fit. */
  fits: string[];
  /** A directive that applies it, when one exists. */
  directive?: { key: string; value: string };
}

export interface FitAdvice {
  /** GPUs the step does not fit. */
  misfits: Projection[];
  options: FitOption[];
}

function total(m: Omit<MemoryBreakdown, 'peakBytes'>): number {
  return m.weights + m.gradients + m.optimizer + m.activations + m.inputs + m.kvCache + m.overhead;
}

/** Per-device need with a changed breakdown: the projection's own device-specific part is kept. */
function need(p: Projection, a: Analysis, peak: number): number {
  return Math.max(0, p.memoryBytes - a.memory.peakBytes) + peak;
}

export function fitAdvice(a: Analysis): FitAdvice {
  const misfits = a.projections.filter((p) => p.kind === 'gpu' && !p.fits);
  if (!misfits.length) return { misfits, options: [] };
  const m = a.memory;
  const base = total(m);
  // peakBytes can exceed the sum of parts (fragmentation, transient buffers): keep that slack in what-ifs.
  const slack = Math.max(0, m.peakBytes - base);
  const options: FitOption[] = [];
  const fitsOn = (peak: number) => misfits.filter((p) => need(p, a, peak) <= p.capacityBytes).map((p) => shortName(p.hardwareName));
  const add = (label: string, parts: Omit<MemoryBreakdown, 'peakBytes'>, directive?: FitOption['directive']) => {
    const peak = total(parts) + slack;
    if (peak < m.peakBytes * 0.98) options.push({ label, peakBytes: peak, fits: fitsOn(peak), directive });
  };
  const training = a.run.mode === 'train';
  if (a.run.dtype === 'fp32' || a.run.dtype === 'tf32') {
    add('bf16', { ...m, weights: m.weights / 2, gradients: m.gradients / 2, activations: m.activations / 2, kvCache: m.kvCache / 2 }, { key: 'dtype', value: 'bf16' });
  }
  const halfPrecision = a.run.dtype === 'fp32' || a.run.dtype === 'tf32';
  const bf16Parts = { ...m, weights: m.weights / 2, gradients: m.gradients / 2, activations: m.activations / 2, kvCache: m.kvCache / 2 };
  if (training && a.run.optimizerBytesPerParam > 2 && m.optimizer > 0) {
    const adam8 = (m.optimizer * 2) / a.run.optimizerBytesPerParam;
    add('8-bit Adam', { ...m, optimizer: adam8 });
    if (halfPrecision) add('bf16 + 8-bit Adam', { ...bf16Parts, optimizer: adam8 });
  }
  if (training && a.model.trainableParams > 0 && a.model.frozenParams === 0 && (m.gradients > 0 || m.optimizer > 0)) {
    // LoRA adapters train ~1% of the weights; gradients and optimizer state shrink accordingly.
    add('LoRA', { ...m, gradients: m.gradients * 0.01, optimizer: m.optimizer * 0.01 });
  }
  if (a.run.batch > 1 && m.activations > 0) {
    const fixed = base - m.activations - m.inputs + slack;
    const perSample = (m.activations + m.inputs) / a.run.batch;
    const capacity = maxOf(misfits.map((p) => p.capacityBytes - Math.max(0, p.memoryBytes - m.peakBytes)));
    const b = perSample > 0 ? Math.floor((capacity - fixed) / perSample) : 0;
    if (b >= 1 && b < a.run.batch) {
      const peak = fixed + perSample * b;
      options.push({ label: `batch ${b}`, peakBytes: peak, fits: fitsOn(peak), directive: { key: 'batch', value: String(b) } });
    }
  }
  const smallest = misfits.reduce((x, p) => (p.devicesNeeded < x.devicesNeeded ? p : x), misfits[0]);
  if (smallest.devicesNeeded > 1 && smallest.devicesNeeded < 1000) {
    options.push({ label: `${smallest.devicesNeeded} × ${shortName(smallest.hardwareName)}`, peakBytes: m.peakBytes, fits: [shortName(smallest.hardwareName)], sharded: true });
  }
  return { misfits, options };
}

/** The won't-fit sentence for a diagnostic or a hover. */
export function fitMessage(a: Analysis, advice: FitAdvice): string | undefined {
  if (!advice.misfits.length) return undefined;
  const m = a.memory;
  const parts = ([['weights', m.weights], ['gradients', m.gradients], ['optimizer', m.optimizer], ['activations', m.activations], ['KV cache', m.kvCache]] as const)
    .filter(([, v]) => v > 0).map(([k, v]) => `${k} ${formatBytes(v)}`).join(', ');
  // What is usable after the runtime's reserve (allocator fragmentation), and what the step needs there with the
  // runtime's context: the same figures as the report and the sidebar (src/core/report/figures.ts).
  const names = advice.misfits.map((p) => `${shortName(p.hardwareName)} (${formatBytes(usable(p))} usable of ${formatBytes(p.capacityBytes)})`).join(', ');
  const needs = [...new Set(advice.misfits.filter((p) => p.devicesUsed <= 1).map((p) => formatBytes(p.memoryBytes)))];
  let msg = `Will not fit in GPU memory on ${names}: the step needs ${formatBytes(m.peakBytes)} at peak (${parts})${needs.length ? `, ${needs.join(' or ')} with the runtime's context` : ' plus the runtime\'s context'}.`;
  const useful = advice.options.filter((o) => o.fits.length);
  const split = a.run.mode === 'train' ? 'states sharded' : 'model split across them';
  if (useful.length) msg += ` Would fit with: ${useful.map((o) => (o.sharded ? `${o.label} (${split})` : `${o.label} (≈${formatBytes(o.peakBytes)}, fits ${o.fits.join(', ')})`)).join('; ')}.`;
  else if (advice.options.length) msg += ` Still too big with ${advice.options.map((o) => `${o.label} (≈${formatBytes(o.peakBytes)})`).join(', ')}.`;
  return msg;
}
