/**
 * What the editor surfaces say about a place in the script, from an `Analysis` alone. Pure (no `vscode`):
 * hovers, CodeLens and inlay hints format what these return. Lines are 1-based program lines (as `Loc`),
 * columns 0-based.
 */
import type { Analysis, Loc, ModuleSummary, Op, Projection } from '../../core/types';
import {
  formatBytes, formatCount, formatFlops, formatIntensity, formatMacs, formatMoney, formatSeconds, formatShape, plural, USD, type Currency,
} from '../../core/format';
import { bestPair, opIntensity, shortName } from '../../shared/viewModel';
import { escapeMarkdown, markdownCode } from '../../core/report/escape';
import { servingVerdict } from '../../core/serve';
import { servingHoverLine } from '../../core/serve/table';
import type { Serving } from '../../core/serve/types';
import { CommandId } from '../commandIds';
import { minOf } from '../../core/arrays';

/**
 * The only commands a hover's links may run (`MarkdownString.isTrusted.enabledCommands`): the panel. Every
 * user-controlled string in a hover is escaped, and a command that writes (setAssumption) is not trusted even if a
 * link to it were smuggled in.
 */
export const HOVER_COMMANDS: readonly CommandId[] = [CommandId.openPanel];

/** A device name in Markdown: custom profiles are named by workspace settings, so the name is user text. */
const deviceMd = (p: Projection): string => escapeMarkdown(shortName(p.hardwareName));

function inMain(loc: Loc | undefined): loc is Loc {
  return loc !== undefined && !loc.file;
}

function covers(loc: Loc, line: number, col: number | undefined): boolean {
  const endLine = Math.max(loc.endLine, loc.line);
  if (line < loc.line || line > endLine) return false;
  if (col === undefined) return true;
  if (line === loc.line && col < loc.col) return false;
  if (line === endLine && col > loc.endCol) return false;
  return true;
}

/** Ops declared or called at a position, with their indices. A position inside the range wins over the line. */
export function opsAt(analysis: Analysis, line: number, col?: number): { op: Op; index: number }[] {
  const hits: { op: Op; index: number; span: number }[] = [];
  analysis.ops.forEach((op, index) => {
    for (const loc of [op.declLoc, op.loc]) {
      if (inMain(loc) && covers(loc, line, col)) {
        hits.push({ op, index, span: (loc.endLine - loc.line) * 10_000 + (loc.endCol - loc.col) });
        return;
      }
    }
  });
  if (!hits.length) return [];
  // The innermost construct at the position: `self.fc(self.act(x))` hovering `act` picks act's ops.
  const min = minOf(hits.map((h) => h.span));
  return hits.filter((h) => h.span === min).map(({ op, index }) => ({ op, index }));
}

/** The module (class, catalog model, training loop) whose definition starts on `line`. */
export function moduleAt(analysis: Analysis, line: number): ModuleSummary | undefined {
  const here = analysis.modules.filter((m) => inMain(m.loc) && m.loc.line === line);
  // An instance of the main model (`model = Net()`) speaks for the model; other layer instances are ops.
  return here.find((m) => m.kind !== 'layer') ?? here.find((m) => m.kind === 'layer' && m.name === analysis.model.name);
}

/** Totals over a group of ops (e.g. one constructor used by 12 blocks). */
export interface OpGroup {
  label: string;
  kind: string;
  /** Distinct module paths (instances). */
  instances: number;
  /** Calls per iteration across instances. */
  calls: number;
  params: number;
  /** FLOPs per iteration: forward, and backward when training. */
  forwardFlops: number;
  backwardFlops: number;
  bytes: number;
  intensity: number;
  outputShape?: number[];
  inputShapes?: number[][];
  traced: boolean;
  notes: string[];
  indices: number[];
}

export function groupOps(hits: { op: Op; index: number }[]): OpGroup | undefined {
  if (!hits.length) return undefined;
  const first = hits[0].op;
  const names = new Set(hits.map((h) => h.op.name));
  let params = 0, fwd = 0, bwd = 0, bytes = 0, calls = 0, fwdOne = 0, bytesOne = 0;
  for (const { op } of hits) {
    params += op.params;
    fwd += op.forwardFlops * op.count;
    bwd += op.backwardFlops * op.count;
    bytes += (op.bytesRead + op.bytesWritten) * op.count;
    calls += op.count;
    fwdOne += op.forwardFlops;
    bytesOne += op.bytesRead + op.bytesWritten;
  }
  const notes = [...new Set(hits.map((h) => h.op.note).filter((n): n is string => !!n))];
  return {
    label: first.label,
    kind: first.kind,
    instances: names.size,
    calls,
    params,
    forwardFlops: fwd,
    backwardFlops: bwd,
    bytes,
    intensity: bytesOne > 0 ? fwdOne / bytesOne : opIntensity(first),
    outputShape: first.outputShape,
    inputShapes: first.inputShapes,
    traced: hits.every((h) => h.op.traced),
    notes,
    indices: hits.map((h) => h.index),
  };
}

/** Per-call seconds of ops on a device, in the order asked; undefined when unknown. */
export type OpTimesFn = (indices: number[], deviceId: string) => number[] | undefined;

/** Seconds per iteration of a set of ops on one device (per-call time × calls per iteration). */
export function groupSeconds(analysis: Analysis, indices: number[], times: OpTimesFn | undefined, deviceId: string): number | undefined {
  const t = times?.(indices, deviceId);
  if (!t || t.length !== indices.length || t.some((x) => x === undefined || Number.isNaN(x))) return undefined;
  return indices.reduce((s, i, k) => s + t[k] * analysis.ops[i].count, 0);
}

/** Per-op times from a `[deviceId][opIndex]` table. */
export function opTimesFrom(table: Record<string, number[]> | undefined): OpTimesFn | undefined {
  return table ? (indices, deviceId) => (table[deviceId] ? indices.map((i) => table[deviceId][i]) : undefined) : undefined;
}

/** Roofline bound of one op on a projection's device: compute when intensity reaches the ridge. */
function boundOn(intensity: number, p: Projection, bandwidth: number | undefined): 'compute' | 'memory' | undefined {
  if (!bandwidth || !p.peakFlops) return undefined;
  return intensity >= p.peakFlops / bandwidth ? 'compute' : 'memory';
}

/**
 * What bounds a layer's ops on a device: its roofline side, or `overhead` when its projected time is more than twice
 * what its FLOPs and bytes take at the device's roofs (eager PyTorch's host time per op and launches dominate: a small
 * layer on a big GPU), so the hover agrees with the step's own bound.
 */
function groupBound(
  g: { intensity: number; forwardFlops: number; backwardFlops: number; bytes: number },
  p: Projection, bandwidth: number | undefined, seconds: number | undefined, training: boolean,
): 'compute' | 'memory' | 'overhead' | undefined {
  const side = boundOn(g.intensity, p, bandwidth);
  if (!side || seconds === undefined || !(seconds > 0)) return side;
  const roof = Math.max((g.forwardFlops + (training ? g.backwardFlops : 0)) / p.peakFlops, g.bytes / bandwidth!);
  return seconds > 2 * roof ? 'overhead' : side;
}

export interface HoverInput {
  analysis: Analysis;
  line: number;
  col?: number;
  /** Per-op times for the "time on the fastest CPU and GPU" line. */
  opTimes?: OpTimesFn;
  /** Memory bandwidth per device id, bytes/s, for the bound. */
  bandwidth: Record<string, number>;
  /** Command URI that opens the panel (optionally at an op), e.g. `command:floplens.openPanel?…`. */
  panelLink: (opIndex?: number) => string;
  /** The source line under the cursor, to name the call a hover describes (`model.generate`). */
  lineText?: string;
  /** The display currency (`floplens.currency`) of the serving line's money; US dollars when absent. */
  currency?: Currency;
}

/** The dotted callee of the call at `col` on `text` (the innermost `name(` whose name covers `col`, else the first). */
export function calleeAt(text: string | undefined, col: number | undefined): string | undefined {
  if (!text) return undefined;
  const calls = [...text.matchAll(/([A-Za-z_][\w.]*)\s*\(/g)].map((m) => ({ name: m[1], from: m.index ?? 0, to: (m.index ?? 0) + m[1].length }));
  return (col === undefined ? undefined : calls.find((c) => col >= c.from && col <= c.to))?.name ?? calls[0]?.name;
}

/** The serving figures with the verdict's money in the display currency (the analysis writes it in dollars). */
export function servingInCurrency(s: Serving, currency: Currency | undefined): Serving {
  return currency ? { ...s, verdict: servingVerdict(s, currency) } : s;
}

/** The hover's serving line, all its money in the display currency. */
function servedLine(s: Serving, currency: Currency | undefined): string {
  return servingHoverLine(servingInCurrency(s, currency), currency);
}

/** A call that runs a whole model (`model(x)`, `model.generate(...)`, `pipe(prompt)`): what the call does per step and per call. */
function callHover(input: HoverInput, hits: { op: Op; index: number }[], group: OpGroup): string {
  const { analysis: a } = input;
  const { cpu, gpu } = bestPair(a);
  const callee = calleeAt(input.lineText, input.col) ?? 'call';
  const runs = Math.max(1, minOf(hits.map((h) => h.op.count)));
  const flops = group.forwardFlops + (a.run.mode === 'train' ? group.backwardFlops : 0);
  const lines = [`**FlopLens** · ${markdownCode(`${callee}(…)`)} runs ${plural(new Set(hits.map((h) => h.op.name)).size, 'layer')} (${plural(hits.length, 'op')})`];
  const stats = [`${formatFlops(flops / runs)}/call`, `${plural(runs, 'call')} per step`, `${formatFlops(flops)}/step${a.run.mode === 'train' ? ' (fwd+bwd)' : ''}`];
  lines.push(stats.join(' · '));
  if (/(^|\.)generate$/.test(callee) && a.run.newTokens) {
    lines.push(`generate(): batch ${a.run.batch} · ${a.run.promptTokens ? `prompt ${plural(a.run.promptTokens, 'token')} + ` : ''}${plural(a.run.newTokens, 'new token')}, one forward pass per new token`);
  }
  const times = [gpu, cpu].filter((p): p is Projection => !!p).map((p) => {
    const sec = groupSeconds(a, group.indices, input.opTimes, p.hardwareId);
    return sec === undefined ? undefined : `${deviceMd(p)} ${formatSeconds(sec / runs)}/call`;
  }).filter((x): x is string => !!x);
  if (times.length) lines.push(times.join(' · '));
  // The call that answers a request (`model.generate(...)`, `pipe(prompt)`, `model(x)` in a web handler) runs nearly all
  // of the served work: its hover says what one request costs at the user's rate.
  if (a.serving && a.run.mode === 'infer' && group.forwardFlops >= SERVED_SHARE * totalForwardFlops(a)) lines.push(servedLine(a.serving, input.currency));
  lines.push(`[Open in comparison panel](${input.panelLink(group.indices[0])})`);
  return lines.join('\n\n');
}

/** Share of the workload's forward FLOPs a call must run to be the served request (encoders and heads outside it are small). */
const SERVED_SHARE = 0.9;

function totalForwardFlops(a: Analysis): number {
  return a.ops.reduce((s, op) => s + op.forwardFlops * op.count, 0);
}

/** Markdown for a hover at a position, or undefined when there is nothing to say. */
export function hoverMarkdown(input: HoverInput): string | undefined {
  const { analysis: a, line, col } = input;
  const mod = moduleAt(a, line);
  const hits = opsAt(a, line, col);
  const group = groupOps(hits);
  if (!mod && !group) return undefined;
  // Ops of several kinds at one call site: the call runs a model, and the hover describes the call, not its first layer.
  if (group && (!mod || mod.kind === 'layer') && new Set(hits.map((h) => h.op.label)).size > 1) return callHover(input, hits, group);
  const { cpu, gpu } = bestPair(a);
  const training = a.run.mode === 'train';
  const lines: string[] = [];
  if (group && (!mod || mod.kind === 'layer')) {
    const inst = group.instances > 1 ? ` — ${group.instances} instances` : '';
    const per = group.instances > 1 ? ' (all instances)' : '';
    lines.push(`**FlopLens** · ${markdownCode(group.label)}${inst}`);
    const stats: string[] = [];
    if (group.params) stats.push(`${formatCount(group.params)} params${per}`);
    stats.push(`${formatFlops(group.forwardFlops)} forward/step (${formatMacs(group.forwardFlops)})`);
    if (training && group.backwardFlops) stats.push(`${formatFlops(group.backwardFlops)} backward`);
    lines.push(stats.join(' · '));
    const bound = gpu ? groupBound(group, gpu, input.bandwidth[gpu.hardwareId], groupSeconds(a, group.indices, input.opTimes, gpu.hardwareId), training) : undefined;
    const shape = group.outputShape && group.outputShape.length ? ` · out ${formatShape(group.outputShape)}` : '';
    lines.push(`${formatBytes(group.bytes)} moved/step · ${formatIntensity(group.intensity)}${bound ? ` · ${bound}-bound on ${deviceMd(gpu!)}` : ''}${shape}`);
    const times = [gpu, cpu].filter((p): p is Projection => !!p).map((p) => {
      const s = groupSeconds(a, group.indices, input.opTimes, p.hardwareId);
      return s === undefined ? undefined : `${deviceMd(p)} ${formatSeconds(s)}/step`;
    }).filter((x): x is string => !!x);
    if (times.length) lines.push(times.join(' · '));
    if (group.calls > group.instances) lines.push(`${plural(group.calls, 'call')} per step`);
    if (!group.traced) lines.push('_Costed from constructor arguments (shapes not traced)._');
    for (const n of group.notes.slice(0, 2)) lines.push(`_${escapeMarkdown(n)}_`);
    lines.push(`[Open in comparison panel](${input.panelLink(group.indices[0])})`);
    return lines.join('\n\n');
  }
  const m = mod!;
  const main = m.name === a.model.name || m.kind === 'loop';
  const what = m.kind === 'loop' ? 'training loop' : m.kind === 'catalog' ? 'pretrained model' : 'model';
  lines.push(`**FlopLens** · ${what} ${markdownCode(m.name)}`);
  const stats: string[] = [];
  if (m.params) stats.push(`${formatCount(m.params)} params${m.trainableParams < m.params ? ` (${formatCount(m.trainableParams)} trainable)` : ''}`);
  if (main) {
    stats.push(`${formatFlops(training && a.step.trainFlops ? a.step.trainFlops : a.step.forwardFlops)}/step${training ? ' (fwd+bwd)' : ''}`);
  } else if (m.forwardFlops) {
    stats.push(`${formatFlops(m.forwardFlops)} forward/call`);
  }
  if (stats.length) lines.push(stats.join(' · '));
  if (main) {
    lines.push(`peak memory ${formatBytes(a.memory.peakBytes)} · batch ${a.run.batch}${a.run.seqLen ? ` × ${a.run.seqLen} tokens` : ''} · ${escapeMarkdown(a.run.dtype)}`);
    const times = [gpu, cpu].filter((p): p is Projection => !!p).map((p) =>
      `${deviceMd(p)} ${formatSeconds(p.stepSeconds.mid)}/step${m.kind === 'loop' ? `, ${formatSeconds(p.runSeconds.mid)} run` : ''}${p.fits ? '' : ' (does not fit)'}`);
    if (times.length) lines.push(times.join(' · '));
    lines.push(escapeMarkdown(a.verdict.summary));
    if (a.serving) lines.push(servedLine(a.serving, input.currency));
  } else if (m.bytes || m.outputShape) {
    lines.push([m.bytes ? `${formatBytes(m.bytes)} moved/call` : '', m.outputShape ? `out ${formatShape(m.outputShape)}` : ''].filter(Boolean).join(' · '));
  }
  lines.push(`[Open in comparison panel](${input.panelLink()})`);
  return lines.join('\n\n');
}

/** CodeLens titles: one per model class / catalog model / training loop defined in the script. */
export function lensTitles(a: Analysis, currency: Currency = USD): { line: number; loc: Loc; title: string }[] {
  const { cpu, gpu } = bestPair(a);
  const training = a.run.mode === 'train';
  const out: { line: number; loc: Loc; title: string }[] = [];
  const seen = new Set<number>();
  for (const m of a.modules) {
    if (!inMain(m.loc) || m.kind === 'layer' || seen.has(m.loc.line)) continue;
    seen.add(m.loc.line);
    const main = m.name === a.model.name || m.kind === 'loop';
    const parts: string[] = [];
    if (m.kind === 'loop') {
      parts.push(`${training ? 'training' : 'inference'} loop · ${plural(a.run.steps, 'step')}`);
      for (const p of [gpu, cpu]) if (p) parts.push(`${shortName(p.hardwareName)} ${formatSeconds(p.runSeconds.mid)}`);
      if (gpu?.costUsd) parts.push(`${formatMoney(gpu.costUsd.mid, currency)} on ${shortName(gpu.hardwareName)}`);
    } else {
      if (m.params) parts.push(`${formatCount(m.params)} params`);
      if (main) {
        parts.push(`${formatFlops(training && a.step.trainFlops ? a.step.trainFlops : a.step.forwardFlops)}/step`);
        for (const p of [gpu, cpu]) if (p) parts.push(`${shortName(p.hardwareName)} ${formatSeconds(p.stepSeconds.mid)}/step`);
      } else if (m.forwardFlops) {
        parts.push(`${formatFlops(m.forwardFlops)}/call`);
      }
    }
    if (parts.length) out.push({ line: m.loc.line, loc: m.loc, title: parts.join(' · ') });
  }
  return out;
}

/**
 * Inlay hints, one per source line that runs ops: the output shape of the line's last op (the outermost call,
 * e.g. `F.relu(self.fc1(x))` → relu's output) and the forward FLOPs per step of every op on the line.
 */
export function inlayHints(a: Analysis, fromLine: number, toLine: number): { loc: Loc; label: string; tooltip: string }[] {
  const byLine = new Map<number, { loc: Loc; ops: Op[] }>();
  for (const op of a.ops) {
    const loc = inMain(op.loc) ? op.loc : inMain(op.declLoc) ? op.declLoc : undefined;
    if (!loc || loc.endLine < fromLine || loc.line > toLine) continue;
    const line = Math.max(loc.endLine, loc.line);
    const g = byLine.get(line) ?? { loc, ops: [] };
    g.ops.push(op);
    if (loc.to - loc.from > g.loc.to - g.loc.from) g.loc = loc;
    byLine.set(line, g);
  }
  const out: { loc: Loc; label: string; tooltip: string }[] = [];
  for (const { loc, ops } of byLine.values()) {
    const flops = ops.reduce((s, op) => s + op.forwardFlops * op.count, 0);
    const last = ops[ops.length - 1];
    const shape = last.outputShape.length ? formatShape(last.outputShape) : '';
    if (!shape && flops === 0) continue;
    const label = [shape, flops > 0 ? formatFlops(flops) : ''].filter(Boolean).join(' · ');
    const names = [...new Set(ops.map((o) => o.label))];
    out.push({ loc, label, tooltip: `${names.slice(0, 4).join(', ')}${names.length > 4 ? '…' : ''}: output of the last call; forward FLOPs per step of all ${ops.length} op(s) on the line (1 MAC = 2 FLOP)${ops.every((o) => o.traced) ? '' : '; not all traced'}` });
  }
  return out;
}
