/**
 * The charts, drawn with Observable Plot (SVG). Colours come from the VS Code theme; every chart is a
 * pure function of its data, width and theme, so views redraw them on theme change and resize.
 */
import * as Plot from '@observablehq/plot';
import type { Dtype, MemoryBreakdown } from '../core/types';
import {
  formatBytes, formatCount, formatFlopRate, formatFlops, formatIntensity, formatPercent, formatSeconds, formatSecondsBand,
} from '../core/format';
import type { DeviceSummary } from '../shared/protocol';
import { MEMORY_PARTS, peakFor, shortName, TIME_PARTS, type OpRow } from '../shared/viewModel';
import { textColor, type ChartTheme } from './theme';
import { placeLabels, type Box, type LabelRequest, type Segment } from './labelPlacement';
import { maxOf, minOf } from '../core/arrays';

/** Plot's default stylesheet is an inline <style>, which the webview CSP blocks; media/webview.css has it. */
function finish(el: SVGSVGElement | HTMLElement, label: string): SVGSVGElement | HTMLElement {
  el.querySelectorAll('style').forEach((s) => s.remove());
  el.setAttribute('role', 'img');
  el.setAttribute('aria-label', label);
  return el;
}

function base(theme: ChartTheme, width: number) {
  return {
    width: Math.max(160, Math.floor(width)),
    className: 'fl-plot',
    style: { color: theme.foreground, background: 'transparent', fontFamily: theme.fontFamily, fontSize: '11px', overflow: 'visible' },
  } as const;
}

/** Rough label width in px for margin sizing at 11px. */
function labelWidth(labels: string[], max: number): number {
  return Math.min(max, 12 + 6.2 * Math.max(0, ...labels.map((l) => l.length)));
}

/**
 * The left margin for these row labels (at most `max` px) and how each is written in it: a label longer than the
 * margin holds ends in "…" (its full text is in the bar's tip), where Plot would let it run off the chart's left edge
 * ("e Ultra 7 155H (yours)").
 */
export function fitLabels(labels: string[], max: number): { margin: number; format: (label: string) => string } {
  const margin = labelWidth(labels, max);
  const chars = Math.max(4, Math.floor((margin - 12) / 6.2));
  return { margin, format: (l) => (l.length <= chars ? l : `${l.slice(0, chars - 1).trimEnd()}…`) };
}

/** Human durations for log-axis ticks: powers of ten below a minute, then minutes, hours, days, years. */
const TIME_LADDER = [1e-6, 1e-5, 1e-4, 1e-3, 1e-2, 0.1, 1, 10, 60, 600, 3600, 36_000, 86_400, 864_000, 86_400 * 30, 86_400 * 365, 86_400 * 3650];
/** Binary byte sizes for log-axis ticks. */
const BYTE_LADDER = Array.from({ length: 12 }, (_, i) => 2 ** (10 + 4 * i)).flatMap((v) => [v, v * 4]);

/**
 * A log x axis with exactly these ticks and labels. (Plot routes a function `tickFormat` through d3's
 * log `tickFormat`, which blanks labels it considers crowded; a `text` channel on the axis mark does not.)
 */
function logAxisX(ticks: number[], format: (v: number) => string, theme: ChartTheme, label?: string) {
  return [
    Plot.gridX(ticks, { stroke: theme.grid, strokeOpacity: 0.5 }),
    Plot.axisX(ticks, { text: (v: number) => format(v), label: label ?? null, stroke: theme.foreground }),
  ];
}

function logAxisY(ticks: number[], format: (v: number) => string, theme: ChartTheme, label?: string) {
  return [
    Plot.gridY(ticks, { stroke: theme.grid, strokeOpacity: 0.35 }),
    Plot.axisY(ticks, { text: (v: number) => format(v), label: label ?? null, stroke: theme.foreground }),
  ];
}

function thin(ticks: number[], max: number): number[] {
  if (ticks.length <= max) return ticks;
  const step = Math.ceil(ticks.length / max);
  return ticks.filter((_, i) => i % step === 0);
}

/** Powers of ten in [lo, hi]. */
function decades(lo: number, hi: number): number[] {
  const out: number[] = [];
  for (let e = Math.ceil(Math.log10(lo)); e <= Math.floor(Math.log10(hi)); e++) out.push(10 ** e);
  return out;
}

/** At most `max` ticks from `ladder` inside [lo, hi], evenly thinned. */
function ladderTicks(ladder: number[], lo: number, hi: number, max = 5): number[] {
  const inside = ladder.filter((v) => v >= lo && v <= hi);
  return thin(inside, max);
}

/** One bar per device on a log time axis, with the low–high band as a rule and the mid value as text. */
export interface TimeBarDatum {
  id: string;
  label: string;
  low: number;
  mid: number;
  high: number;
  color: string;
  /** Dimmed (does not fit, so the time assumes more devices or is not achievable). */
  dim: boolean;
  note: string;
}

export function timeBars(data: TimeBarDatum[], theme: ChartTheme, width: number, what: string): SVGSVGElement | HTMLElement {
  const valid = data.filter((d) => d.mid > 0 && Number.isFinite(d.mid));
  const lo = minOf(valid.map((d) => Math.max(d.low, 1e-12))) / 2;
  const hi = maxOf(valid.map((d) => d.high)) * 3;
  const { margin: marginLeft, format } = fitLabels(valid.map((d) => d.label), width * 0.42);
  const ticks = ladderTicks(TIME_LADDER, lo, hi, width < 300 ? 3 : 4);
  const chart = Plot.plot({
    ...base(theme, width),
    height: 26 + 22 * valid.length,
    marginLeft,
    marginRight: 12,
    marginTop: 4,
    marginBottom: 22,
    x: { type: 'log', domain: [lo, hi], axis: null },
    y: { domain: valid.map((d) => d.label), label: null, tickSize: 0, padding: 0.28, tickFormat: format },
    marks: [
      ...logAxisX(ticks, formatSeconds, theme),
      // Dimmed (does not fit) bars keep an outline in the full colour, which meets the graphic contrast.
      Plot.barX(valid, { y: 'label', x1: lo, x2: 'mid', fill: (d: TimeBarDatum) => d.color, fillOpacity: (d: TimeBarDatum) => (d.dim ? 0.3 : 1), stroke: (d: TimeBarDatum) => d.color, strokeWidth: 1 }),
      Plot.ruleY(valid, { y: 'label', x1: 'low', x2: 'high', stroke: theme.foreground, strokeWidth: 1.5 }),
      Plot.tickX(valid, { y: 'label', x: 'low', stroke: theme.foreground, insetTop: 6, insetBottom: 6 }),
      Plot.tickX(valid, { y: 'label', x: 'high', stroke: theme.foreground, insetTop: 6, insetBottom: 6 }),
      Plot.tip(valid, Plot.pointerY({
        y: 'label', x: 'mid', fill: theme.background, stroke: theme.grid,
        title: (d: TimeBarDatum) => `${d.label}\n${what}: ${formatSeconds(d.mid)} (${formatSecondsBand(d.low, d.high)})${d.note ? `\n${d.note}` : ''}`,
      })),
    ],
  });
  return finish(chart, `${what} per device, log scale`);
}

/** Memory each device would hold against what it can use: usable-memory bars with a tick at the device's need. */
export interface MemoryFitDatum {
  id: string;
  label: string;
  /** Memory the projection may fill (capacity less fragmentation / the OS's share). */
  usableBytes: number;
  /** Bytes per device the projection needs (the step's share plus the runtime's context). */
  usedBytes: number;
  fits: boolean;
  /** The fit sentence every surface writes (src/core/report/figures.ts). */
  text: string;
}

export function memoryFit(data: MemoryFitDatum[], peakBytes: number, theme: ChartTheme, width: number): SVGSVGElement | HTMLElement {
  // Log scale: a 70 MiB step and a 768 GiB server must both be legible.
  const lo = Math.max(1, Math.min(peakBytes, ...data.map((d) => Math.min(d.usableBytes, d.usedBytes))) / 4);
  const hi = Math.max(peakBytes, ...data.map((d) => Math.max(d.usableBytes, d.usedBytes))) * 2;
  const ticks = ladderTicks(BYTE_LADDER, lo, hi, width < 300 ? 3 : 4);
  const { margin: marginLeft, format } = fitLabels(data.map((d) => d.label), width * 0.42);
  const chart = Plot.plot({
    ...base(theme, width),
    height: 26 + 22 * data.length,
    marginLeft,
    marginRight: 12,
    marginTop: 4,
    marginBottom: 22,
    x: { type: 'log', domain: [lo, hi], axis: null },
    y: { domain: data.map((d) => d.label), label: null, tickSize: 0, padding: 0.28, tickFormat: format },
    marks: [
      ...logAxisX(ticks, formatBytes, theme),
      Plot.barX(data, { y: 'label', x1: lo, x2: 'usableBytes', fill: (d: MemoryFitDatum) => (d.fits ? theme.ok : theme.error), fillOpacity: 1 }),
      Plot.tickX(data, { y: 'label', x: 'usedBytes', stroke: theme.foreground, strokeWidth: 2.5, insetTop: -2, insetBottom: -2 }),
      Plot.tip(data, Plot.pointerY({
        y: 'label', x: 'usableBytes', fill: theme.background, stroke: theme.grid,
        title: (d: MemoryFitDatum) => `${d.label}: ${d.text}`,
      })),
    ],
  });
  return finish(chart, `Memory: ${data.map((d) => `${d.label} ${d.text}`).join('; ')}`);
}

/** Roofline: each op as a point (intensity, achieved FLOP/s on the focused device), each device's roof. */
export interface RooflineInput {
  rows: OpRow[];
  devices: DeviceSummary[];
  focus: DeviceSummary;
  colors: Map<string, string>;
  dtype: Dtype;
  /** Peak FLOP/s each projection used (its compute dtype, e.g. TF32 for convolutions); else the dtype's peak. */
  peaks: Map<string, number>;
  /** True when points use the host's per-op times; false when they sit on the roof (attainable). */
  measured: boolean;
}

interface RoofPoint { device: string; x: number; y: number }
interface OpPoint { index: number; x: number; y: number; r: number; label: string; row: OpRow }
/** A device's peak label: data coordinates of its left/middle point, and its box in px. */
export interface RoofLabel { device: string; name: string; x: number; y: number; box: Box; collides: boolean }

/** Roofline label font size in px, and the rough width of one character at that size. */
const ROOF_FONT = 10;
const ROOF_CHAR = 6.2;

/** Everything the roofline draws, in data coordinates, with the peak labels placed in px (see {@link placeLabels}). */
export interface RooflineLayout {
  width: number;
  height: number;
  margin: { top: number; right: number; bottom: number; left: number };
  x: [number, number];
  y: [number, number];
  points: OpPoint[];
  roofs: RoofPoint[];
  labels: RoofLabel[];
  /** Data → px. */
  px: (x: number, y: number) => { x: number; y: number };
}

export function rooflineLayout(input: RooflineInput, width: number): RooflineLayout {
  const { rows, devices, focus } = input;
  const peakOf = (d: DeviceSummary) => input.peaks.get(d.id) ?? peakFor(d, input.dtype);
  const points: OpPoint[] = [];
  const focusPeak = peakOf(focus);
  for (const r of rows) {
    if (r.intensity <= 0 || r.op.forwardFlops <= 0) continue;
    const t = r.seconds[focus.id];
    const stepFlops = r.stepFlops;
    const attainable = Math.min(focusPeak, focus.memoryBandwidth * r.intensity);
    const y = input.measured && t !== undefined && t > 0 ? stepFlops / t : attainable;
    if (!(y > 0) || !Number.isFinite(y)) continue;
    points.push({ index: r.index, x: r.intensity, y, r: 2 + 10 * Math.sqrt(r.share), label: r.op.name, row: r });
  }
  const xs = points.map((p) => p.x);
  const xlo = Math.min(0.05, ...xs) / 2;
  const xhi = Math.max(2000, ...xs, ...devices.map((d) => (peakOf(d) / d.memoryBandwidth) * 4)) * 2;
  const peaks = devices.map(peakOf);
  const ylo = Math.min(minOf(points.map((p) => p.y)), minOf(devices.map((d) => d.memoryBandwidth * xlo))) / 2;
  const yhi = Math.max(maxOf(peaks), focusPeak, maxOf(points.map((p) => p.y))) * 2.5;
  const roofs: RoofPoint[] = devices.flatMap((d) => {
    const peak = peakOf(d);
    const ridgeX = peak / d.memoryBandwidth;
    return [
      { device: d.id, x: xlo, y: d.memoryBandwidth * xlo },
      { device: d.id, x: ridgeX, y: peak },
      { device: d.id, x: xhi, y: peak },
    ];
  });
  const w = Math.max(160, Math.floor(width));
  const height = Math.max(260, Math.min(420, width * 0.55));
  const margin = { top: 20, right: 16, bottom: 36, left: 70 };
  const lx = (v: number) => Math.log(v);
  const px = (x: number, y: number) => ({
    x: margin.left + ((lx(x) - lx(xlo)) / (lx(xhi) - lx(xlo))) * (w - margin.left - margin.right),
    y: height - margin.bottom - ((lx(y) - lx(ylo)) / (lx(yhi) - lx(ylo))) * (height - margin.top - margin.bottom),
  });
  const data = (x: number, y: number) => ({
    x: Math.exp(lx(xlo) + ((x - margin.left) / (w - margin.left - margin.right)) * (lx(xhi) - lx(xlo))),
    y: Math.exp(lx(ylo) + ((height - margin.bottom - y) / (height - margin.top - margin.bottom)) * (lx(yhi) - lx(ylo))),
  });
  const bounds = { x: margin.left, y: margin.top, width: w - margin.left - margin.right, height: height - margin.top - margin.bottom };
  const circles = points.map((p) => ({ ...toCircle(px(p.x, p.y)), r: p.r }));
  const segments: Segment[] = devices.flatMap((d) => {
    const [a, b, c] = roofs.filter((r) => r.device === d.id).map((r) => px(r.x, r.y));
    return [{ x1: a.x, y1: a.y, x2: b.x, y2: b.y, owner: d.id }, { x1: b.x, y1: b.y, x2: c.x, y2: c.y, owner: d.id }];
  });
  // The focused device names its roof first, then the others from the highest peak down.
  const order = [focus, ...devices.filter((d) => d.id !== focus.id).sort((a, b) => peakOf(b) - peakOf(a))].filter((d) => devices.includes(d));
  const requests: LabelRequest[] = order.map((d) => {
    const name = shortName(d.name);
    const lw = 4 + ROOF_CHAR * name.length;
    const lh = ROOF_FONT + 2;
    const roof = px(peakOf(d) / d.memoryBandwidth, peakOf(d));
    const right = bounds.x + bounds.width - lw - 2;
    // Right end of the flat roof first, then leftwards along it and past the ridge; just above the line, then below.
    const candidates: { x: number; y: number }[] = [];
    for (let x = right; x >= bounds.x + 2; x -= 6) candidates.push({ x, y: roof.y - 2 - lh }, { x, y: roof.y + 2 });
    return { id: d.id, width: lw, height: lh, candidates };
  });
  const labels = placeLabels(requests, circles, segments, bounds).map((p) => {
    const d = devices.find((dev) => dev.id === p.id) as DeviceSummary;
    const at = data(p.box.x, p.box.y + p.box.height / 2);
    return { device: d.id, name: shortName(d.name), x: at.x, y: at.y, box: p.box, collides: p.collides };
  });
  return { width: w, height, margin, x: [xlo, xhi], y: [ylo, yhi], points, roofs, labels, px };
}

const toCircle = (p: { x: number; y: number }) => ({ cx: p.x, cy: p.y });

export function roofline(input: RooflineInput, theme: ChartTheme, width: number, onPick: (opIndex: number) => void): SVGSVGElement | HTMLElement {
  const { devices, focus, colors } = input;
  const layout = rooflineLayout(input, width);
  const { points, roofs, labels, margin } = layout;
  const [xlo, xhi] = layout.x;
  const [ylo, yhi] = layout.y;
  const color = (id: string) => colors.get(id) ?? theme.foreground;
  const chart = Plot.plot({
    ...base(theme, width),
    height: layout.height,
    marginTop: margin.top,
    marginLeft: margin.left,
    marginRight: margin.right,
    marginBottom: margin.bottom,
    x: { type: 'log', domain: [xlo, xhi], axis: null },
    y: { type: 'log', domain: [ylo, yhi], axis: null },
    marks: [
      ...logAxisX(decades(xlo, xhi), (v) => formatCount(v), theme, 'Arithmetic intensity (FLOP/byte) →'),
      ...logAxisY(thin(decades(ylo, yhi), 7), formatFlopRate, theme, `↑ ${input.measured ? 'Achieved' : 'Attainable'} FLOP/s on ${focus.name}`),
      ...devices.map((d) => Plot.line(roofs.filter((p) => p.device === d.id), { x: 'x', y: 'y', stroke: color(d.id), strokeWidth: d.id === focus.id ? 2.5 : 1.25 })),
      ...labels.map((label) => Plot.text([label], { x: 'x', y: 'y', text: 'name', textAnchor: 'start', lineAnchor: 'middle', dx: 2, title: devices.find((d) => d.id === label.device)?.name, fill: textColor(color(label.device), theme), fontSize: ROOF_FONT })),
      Plot.dot(points, {
        // Filled: compute-bound; hollow: memory-bound (device colours are taken by the roofs).
        x: 'x', y: 'y', r: 'r', fill: (p: OpPoint) => (p.row.bound === 'compute' ? theme.foreground : 'none'), fillOpacity: 0.55,
        stroke: theme.foreground, strokeOpacity: 0.9, strokeWidth: 1.25,
      }),
      Plot.tip(points, Plot.pointer({
        x: 'x', y: 'y', fill: theme.background, stroke: theme.grid,
        title: (p: OpPoint) => `${p.label} (${p.row.op.label})\n${formatIntensity(p.x)} · ${formatFlopRate(p.y)}\n${formatFlops(p.row.stepFlops)} per step · ${p.row.bound}-bound · ${formatPercent(p.row.share)} of step\nclick to reveal in editor`,
      })),
    ],
    r: { type: 'identity' },
  } as Plot.PlotOptions);
  chart.addEventListener('click', () => {
    const v = (chart as unknown as { value?: OpPoint | null }).value;
    if (v && typeof v.index === 'number') onPick(v.index);
  });
  return finish(chart, `Roofline of ${points.length} ops on ${devices.map((d) => d.name).join(', ')}`);
}

/** Step time per device split by cause (compute, memory, overhead, transfer, communication). */
export interface BreakdownDatum {
  label: string;
  stepSeconds: number;
  /** Share per cause; `data` (waiting for the host's input pipeline) only where it is modelled. */
  shares: { [K in (typeof TIME_PARTS)[number][0]]?: number };
}

export function timeBreakdown(data: BreakdownDatum[], theme: ChartTheme, width: number): SVGSVGElement | HTMLElement {
  const rows = data.flatMap((d) => TIME_PARTS.map(([key, label], i) => ({ device: d.label, cause: label, i, share: d.shares[key] ?? 0, total: d.stepSeconds })))
    .filter((r) => r.share > 0);
  const { margin: marginLeft, format } = fitLabels(data.map((d) => d.label), width * 0.35);
  const chart = Plot.plot({
    ...base(theme, width),
    height: 30 + 24 * data.length,
    marginLeft,
    marginRight: 12,
    marginBottom: 24,
    x: { domain: [0, 1], tickFormat: (v: number) => formatPercent(v), label: null, ticks: 5 },
    y: { domain: data.map((d) => d.label), label: null, tickSize: 0, padding: 0.25, tickFormat: format },
    color: { domain: TIME_PARTS.map(([, l]) => l), range: theme.series },
    marks: [
      Plot.barX(rows, Plot.stackX({ y: 'device', x: 'share', fill: 'cause', order: 'i' })),
      Plot.tip(rows, Plot.pointer(Plot.stackX({
        y: 'device', x: 'share', order: 'i', fill: theme.background, stroke: theme.grid,
        title: (r: { device: string; cause: string; share: number; total: number }) => `${r.device} — ${r.cause}: ${formatPercent(r.share)} (${formatSeconds(r.share * r.total)} of ${formatSeconds(r.total)})`,
      }))),
    ],
  });
  return finish(chart, 'Step time by cause for each device');
}

/** Memory of one step by part, as one stacked bar, with each device's capacity as a rule. */
export function memoryBreakdown(memory: MemoryBreakdown, devices: DeviceSummary[], colors: Map<string, string>, theme: ChartTheme, width: number): SVGSVGElement | HTMLElement {
  const parts = MEMORY_PARTS.map(([key, label], i) => ({ part: label, i, bytes: memory[key] ?? 0, row: 'This step' })).filter((p) => p.bytes > 0);
  const max = Math.max(memory.peakBytes, ...parts.map((p) => p.bytes)) ;
  const shown = devices.filter((d) => d.memoryBytes <= max * 4);
  const domainMax = Math.max(max, ...shown.map((d) => d.memoryBytes)) * 1.05;
  const chart = Plot.plot({
    ...base(theme, width),
    height: 86,
    marginLeft: 12,
    marginRight: 12,
    marginTop: 8,
    marginBottom: 24,
    x: { domain: [0, domainMax], tickFormat: (v: number) => formatBytes(v), ticks: 5, label: null },
    y: { axis: null, domain: ['This step'], padding: 0.2 },
    color: { domain: MEMORY_PARTS.map(([, l]) => l), range: theme.series },
    marks: [
      Plot.barX(parts, Plot.stackX({ y: 'row', x: 'bytes', fill: 'part', order: 'i' })),
      Plot.ruleX(shown, { x: 'memoryBytes', stroke: (d: DeviceSummary) => colors.get(d.id) ?? theme.foreground, strokeWidth: 2, strokeDasharray: '4,2' }),
      Plot.tip(parts, Plot.pointerX(Plot.stackX({
        y: 'row', x: 'bytes', order: 'i', fill: theme.background, stroke: theme.grid,
        title: (p: { part: string; bytes: number }) => `${p.part}: ${formatBytes(p.bytes)}`,
      }))),
    ],
  });
  return finish(chart, `Memory per step: ${parts.map((p) => `${p.part} ${formatBytes(p.bytes)}`).join(', ')}`);
}
