/**
 * The exported Markdown report of one analysis: verdict, per-device table, memory, model, assumptions
 * with provenance, top layers and caveats. Pure (no `vscode`); source-derived text is escaped.
 */
import type { Analysis } from '../core/types';
import {
  formatBytes, formatCount, formatEnergy, formatFlops, formatMacs, formatMoney, formatPercent, formatSeconds,
  formatSecondsBand, formatSpeedup, type Currency, USD,
} from '../shared/format';
import { bestPair, MEMORY_PARTS, opStepFlops, speedup } from '../shared/viewModel';

export interface ReportOptions {
  currency?: Currency;
  /** Rows in the top-layers table. */
  topOps?: number;
  /** ISO timestamp printed in the header (injected so tests are deterministic). */
  generatedAt?: string;
}

/** Escapes text for a Markdown table cell or paragraph. */
export function mdText(s: string): string {
  return s.replace(/\r?\n/g, ' ').replace(/[\\`*_{}[\]<>|#]/g, (c) => `\\${c}`);
}

function table(head: string[], rows: string[][], align: ('l' | 'r')[] = []): string {
  const sep = head.map((_, i) => (align[i] === 'r' ? '---:' : '---'));
  return [head, sep, ...rows].map((r) => `| ${r.join(' | ')} |`).join('\n');
}

export function renderMarkdownReport(a: Analysis, opts: ReportOptions = {}): string {
  const currency = opts.currency ?? USD;
  const training = a.run.mode === 'train';
  const out: string[] = [];
  out.push(`# FlopLens report: ${mdText(a.file)}`);
  out.push(`_${opts.generatedAt ? `Generated ${opts.generatedAt} · ` : ''}static estimate; the script was not run. FLOPs count a multiply-add as 2 (1 MAC = 2 FLOP)._`);

  out.push('## Verdict');
  const s = speedup(a);
  out.push(`**${mdText(a.verdict.summary)}**${s !== undefined ? ` (best GPU ${formatSpeedup(s)} faster than best CPU)` : ''}`);
  if (a.verdict.reason && a.verdict.reason !== a.verdict.summary) out.push(mdText(a.verdict.reason));

  out.push('## Devices');
  const { cpu, gpu } = bestPair(a);
  out.push(table(
    ['Device', 'Kind', 'Step (mid)', 'Step band', 'Whole run (mid)', 'Run band', 'Bound', 'MFU', 'Fits', 'Cost (mid)', 'Energy'],
    a.projections.map((p) => [
      `${mdText(p.hardwareName)}${p.devicesUsed > 1 ? ` ×${p.devicesUsed}` : ''}${p === cpu || p === gpu ? ' ★' : ''}`,
      p.kind.toUpperCase(),
      formatSeconds(p.stepSeconds.mid),
      formatSecondsBand(p.stepSeconds.low, p.stepSeconds.high),
      formatSeconds(p.runSeconds.mid),
      formatSecondsBand(p.runSeconds.low, p.runSeconds.high),
      p.bound,
      formatPercent(p.mfu),
      p.fits ? `yes (${formatBytes(p.memoryBytes)} of ${formatBytes(p.capacityBytes)})` : `no — needs ${p.devicesNeeded}`,
      p.costUsd ? formatMoney(p.costUsd.mid, currency) : '—',
      formatEnergy(p.energyJoules.mid),
    ]),
    ['l', 'l', 'r', 'r', 'r', 'r', 'l', 'r', 'l', 'r', 'r'],
  ));
  out.push('★ best CPU and best GPU. Bands come from the documented efficiency ranges.');

  out.push('## Model and step');
  const model: string[][] = [
    ['Model', `${mdText(a.model.name || '—')}${a.model.catalogId ? ` (catalog: ${mdText(a.model.catalogId)})` : ''}`],
    ['Parameters', `${formatCount(a.model.params)} (${formatCount(a.model.trainableParams)} trainable, ${formatCount(a.model.frozenParams)} frozen), ${formatBytes(a.model.paramBytes)}`],
    ['Mode', `${training ? 'training' : 'inference'}, ${a.run.dtype}${a.run.allowTf32 ? ' (TF32 matmuls)' : ''}`],
    ['Batch', `${a.run.batch}${a.run.microBatches > 1 ? ` × ${a.run.microBatches} micro-batches` : ''}${a.run.seqLen ? `, sequence ${a.run.seqLen}` : ''}`],
    ['Forward / step', `${formatFlops(a.step.forwardFlops)} (${formatMacs(a.step.forwardFlops)})`],
  ];
  if (a.step.backwardFlops !== undefined) model.push(['Backward / step', formatFlops(a.step.backwardFlops)]);
  if (a.step.trainFlops !== undefined) model.push(['Train / step', formatFlops(a.step.trainFlops)]);
  model.push(['Steps', `${formatCount(a.run.steps)}${a.run.epochs ? ` (${a.run.epochs} epochs${a.run.datasetSize ? ` of ${formatCount(a.run.datasetSize)} samples` : ''})` : ''}`]);
  model.push(['Whole run', formatFlops(a.run.totalFlops)]);
  out.push(table(['', ''], model));
  if (a.crossChecks?.length) {
    out.push(table(['Cross-check', 'FLOPs', 'Note'], a.crossChecks.map((c) => [mdText(c.name), formatFlops(c.flops), mdText(c.note)]), ['l', 'r', 'l']));
  }

  out.push('## Memory per step');
  out.push(table(['Part', 'Bytes'], [
    ...MEMORY_PARTS.filter(([k]) => a.memory[k] > 0).map(([k, l]) => [l, formatBytes(a.memory[k])]),
    ['**Peak**', `**${formatBytes(a.memory.peakBytes)}**`],
  ], ['l', 'r']));

  out.push('## Assumptions');
  out.push(table(['Name', 'Value', 'Source', 'Why'], a.assumptions.map((x) => [
    mdText(x.name), `${mdText(String(x.value))}${x.unit ? ` ${mdText(x.unit)}` : ''}`, x.source,
    `${mdText(x.note ?? '')}${x.loc && !x.loc.file ? ` (line ${x.loc.line})` : ''}`,
  ])));

  const top = [...a.ops.map((op, i) => ({ op, i }))].sort((x, y) => opStepFlops(y.op, training) - opStepFlops(x.op, training)).slice(0, opts.topOps ?? 15);
  if (top.length) {
    const totalFlops = a.ops.reduce((t, op) => t + opStepFlops(op, training), 0);
    out.push(`## Top ${top.length} layers by FLOPs`);
    out.push(table(['Layer', 'Kind', 'Params', training ? 'FLOPs fwd+bwd / step' : 'FLOPs / step', 'Share', 'Line'], top.map(({ op }) => [
      `\`${op.name.replace(/`/g, "'")}\``, mdText(op.kind), op.params ? formatCount(op.params) : '–', formatFlops(opStepFlops(op, training)),
      totalFlops > 0 ? formatPercent(opStepFlops(op, training) / totalFlops) : '–', op.loc && !op.loc.file ? String(op.loc.line) : op.declLoc && !op.declLoc.file ? String(op.declLoc.line) : '',
    ]), ['l', 'l', 'r', 'r', 'r', 'r']));
  }

  if (a.problems.length || a.uncounted.length) {
    out.push('## Caveats');
    for (const p of a.problems) out.push(`- **${p.severity}** ${mdText(p.message)}${p.loc && !p.loc.file ? ` (line ${p.loc.line})` : ''}`);
    for (const u of a.uncounted) out.push(`- **uncounted** \`${u.name.replace(/`/g, "'")}\`: ${mdText(u.reason)}`);
  }
  return `${out.join('\n\n')}\n`;
}
