/**
 * Plain-text and Markdown renderings of an Analysis: the CLI's output and the editor's exported
 * report. Every number carries its unit; times are shown as mid (low–high).
 */
import type { Analysis, Projection } from '../types';
import { renderServingMarkdown } from '../serve/table';
import { formatBytes, formatCount, formatEnergy, formatFlops, formatInteger, formatMacs, formatMoney, formatPercent, formatSecondsWithBand, plural } from '../format';
import { escapeMarkdown as mdEscape, stripControls } from './escape';
import { fitCell, fitText, memoryNeedText, projectionFacts, userMachineMark } from './figures';

export interface ReportOptions {
  currencyCode?: string;
  perUsd?: number;
  /** Maximum rows of the per-layer table. */
  maxOps?: number;
}

const band = formatSecondsWithBand;

function cost(p: Projection, o: ReportOptions): string {
  return p.costUsd ? formatMoney(p.costUsd.mid, { code: o.currencyCode ?? 'USD', perUsd: o.perUsd ?? 1 }) : '—';
}

/** Short description of the workload in one line. */
export function workloadLine(a: Analysis): string {
  const parts = [`${a.run.mode === 'train' ? 'Training' : 'Inference'}: ${a.model.name}`, `${formatCount(a.model.params)} params`];
  if (a.run.mode === 'train') parts.push(`${formatFlops(a.step.trainFlops ?? 0)}/step (fwd+bwd${a.step.recomputeFlops ? '+recompute' : ''})`);
  else parts.push(`${formatFlops(a.step.forwardFlops)}/step`);
  parts.push(`batch ${a.step.batch}${a.step.microBatches > 1 ? ` × ${plural(a.step.microBatches, 'micro-batch', 'micro-batches')}` : ''}`);
  if (a.step.seqLen) parts.push(`seq ${a.step.seqLen}`);
  parts.push(plural(a.run.steps, 'step'), a.run.dtype);
  return parts.join(' · ');
}

/** Terminal rendering (fixed-width table). */
export function renderText(a: Analysis, o: ReportOptions = {}): string {
  const lines: string[] = [];
  lines.push(`${a.file}`);
  lines.push(`  ${workloadLine(a)}`);
  lines.push(`  Memory: ${memoryNeedText(a)}`);
  lines.push(`  Memory per step: ${formatBytes(a.memory.peakBytes)} (weights ${formatBytes(a.memory.weights)}, grads ${formatBytes(a.memory.gradients)}, optimizer ${formatBytes(a.memory.optimizer)}, activations ${formatBytes(a.memory.activations)}${a.memory.kvCache ? `, KV cache ${formatBytes(a.memory.kvCache)}` : ''})`);
  if (a.projections.length) {
    const rows = a.projections.map((p) => [p.hardwareName + userMachineMark(p) + (p.devicesUsed > 1 ? ` ×${p.devicesUsed}` : ''), band(p.stepSeconds), band(p.runSeconds), p.bound, fitCell(p), cost(p, o)]);
    const head = ['device', 'step', 'whole run', 'bound', 'memory need / usable', 'cost'];
    const widths = head.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i].length)));
    const fmtRow = (r: string[]) => '  ' + r.map((c, i) => c.padEnd(widths[i])).join('  ');
    lines.push('');
    lines.push(fmtRow(head));
    lines.push('  ' + widths.map((w) => '─'.repeat(w)).join('  '));
    for (const r of rows) lines.push(fmtRow(r));
  }
  const facts = projectionFacts(a);
  if (facts.length) {
    lines.push('');
    for (const f of facts) lines.push(`  • ${f.device}: ${f.note}`);
  }
  lines.push('');
  lines.push(`  Verdict: ${a.verdict.summary}`);
  const shown = a.problems.filter((p) => p.severity !== 'info' || p.code === 'shape-fallback' || p.code === 'steps-unknown' || p.code === 'not-in-catalog' || p.code === 'config-file').slice(0, 6);
  if (shown.length) {
    lines.push('');
    for (const p of shown) lines.push(`  ${p.severity === 'error' ? '✖' : p.severity === 'warning' ? '⚠' : 'ℹ'} ${p.loc ? `line ${p.loc.line}: ` : ''}${p.message}`);
  }
  if (a.uncounted.length) lines.push(`  Uncounted: ${a.uncounted.slice(0, 6).map((u) => `${u.name}${u.loc ? ` (line ${u.loc.line})` : ''}`).join(', ')}${a.uncounted.length > 6 ? ', …' : ''}`);
  // Names and messages can quote the script; its control characters must not reach the terminal as escape sequences.
  return stripControls(lines.join('\n'));
}

/** Markdown report: headline, projections, memory, assumptions, largest ops, problems. */
export function renderMarkdown(a: Analysis, o: ReportOptions = {}): string {
  const out: string[] = [];
  out.push(`# FlopLens report: ${mdEscape(a.file)}`, '');
  out.push(`**${mdEscape(a.verdict.summary)}**`, '');
  out.push(mdEscape(workloadLine(a)), '');
  out.push('## Projected time and cost', '');
  out.push('| Device | Step (low–high) | Whole run (low–high) | Bound | Memory | Cost | Energy | MFU |');
  out.push('|---|---|---|---|---|---|---|---|');
  for (const p of a.projections) {
    out.push(`| ${mdEscape(p.hardwareName + userMachineMark(p))}${p.devicesUsed > 1 ? ` ×${p.devicesUsed}` : ''} | ${band(p.stepSeconds)} | ${band(p.runSeconds)} | ${mdEscape(p.bound)} | ${mdEscape(fitText(p))} | ${mdEscape(cost(p, o))} | ${formatEnergy(p.energyJoules.mid)} | ${formatPercent(p.mfu)} |`);
  }
  const facts = projectionFacts(a);
  if (facts.length) out.push('', ...facts.map((f) => `- **${mdEscape(f.device)}**: ${mdEscape(f.note)}`));
  out.push('', `Memory: ${mdEscape(memoryNeedText(a))}. Times are the central estimate with the band from documented efficiency ranges. FLOPs count a multiply-add as 2 (MACs = FLOPs ÷ 2).`, '');
  out.push('## Work and memory per step', '');
  out.push('| Quantity | Value |', '|---|---|');
  out.push(`| Parameters | ${formatInteger(a.model.params)} (${formatInteger(a.model.trainableParams)} trainable) |`);
  out.push(`| Forward FLOPs / step | ${formatFlops(a.step.forwardFlops)} (${formatMacs(a.step.forwardFlops)}) |`);
  if (a.step.trainFlops !== undefined) out.push(`| Training FLOPs / step (fwd + bwd${a.step.recomputeFlops ? ' + recompute' : ''}) | ${formatFlops(a.step.trainFlops)}${a.step.recomputeFlops ? ` (${formatFlops(a.step.recomputeFlops)} of activation recomputation)` : ''} |`);
  out.push(`| Whole run | ${formatFlops(a.run.totalFlops)}${a.run.periodicForwardFlops ? ` (with ${formatFlops(a.run.periodicForwardFlops)} of periodic evaluation, not in the step)` : ''} |`);
  out.push(`| Bytes moved / step | ${formatBytes(a.step.bytes)} |`);
  out.push(`| Peak memory (tensors of one step) | ${formatBytes(a.memory.peakBytes)} |`);
  for (const [k, v] of [['weights', a.memory.weights], ['gradients', a.memory.gradients], ['optimizer state', a.memory.optimizer], ['activations', a.memory.activations], ['inputs', a.memory.inputs], ['KV cache', a.memory.kvCache]] as const) {
    if (v > 0) out.push(`| &nbsp;&nbsp;${k} | ${formatBytes(v)} |`);
  }
  if (a.crossChecks?.length) {
    out.push('', '### Cross-checks', '');
    for (const c of a.crossChecks) out.push(`- ${mdEscape(c.name)}: ${formatFlops(c.flops)} — ${mdEscape(c.note)}`);
  }
  if (a.serving) out.push('', renderServingMarkdown(a.serving, { code: o.currencyCode ?? 'USD', perUsd: o.perUsd ?? 1 }));
  out.push('', '## Assumptions', '', '| Name | Value | Source | Why |', '|---|---|---|---|');
  for (const s of a.assumptions) out.push(`| ${mdEscape(s.name)} | ${mdEscape(String(s.value))}${s.unit ? ` ${mdEscape(s.unit)}` : ''} | ${mdEscape(s.source)} | ${mdEscape(s.note ?? '')}${s.loc ? ` (line ${s.loc.line})` : ''} |`);
  const top = [...a.ops].sort((x, y) => y.forwardFlops * y.count - x.forwardFlops * x.count).slice(0, o.maxOps ?? 15);
  if (top.length) {
    out.push('', '## Largest ops', '', '| Op | Kind | Output | FLOPs / step | Bytes / step | Line |', '|---|---|---|---|---|---|');
    for (const op of top) out.push(`| ${mdEscape(op.name)} | ${mdEscape(op.label)} | [${op.outputShape.join(', ')}] | ${formatFlops(op.forwardFlops * op.count)} | ${formatBytes((op.bytesRead + op.bytesWritten) * op.count)} | ${op.loc?.line ?? ''} |`);
  }
  if (a.problems.length || a.uncounted.length) {
    out.push('', '## Notes', '');
    for (const p of a.problems.slice(0, 20)) out.push(`- ${mdEscape(p.severity)}${p.loc ? ` (line ${p.loc.line})` : ''}: ${mdEscape(p.message)}`);
  }
  out.push('', '_Generated by FlopLens from the source alone; nothing was executed._', '');
  return out.join('\n');
}
