/** Compute rate (FLOP/s, axis and tooltips written by src/core/format.ts) against matrix size, one line per kernel, log–log, drawn with Observable Plot in theme colours. */
import * as Plot from '@observablehq/plot';
import type { BenchReport, KernelId } from '../../livebench/report';
import { formatGflops } from '../../livebench/format';
import type { ChartTheme } from '../theme';
import { maxOf, minOf } from '../../core/arrays';

/** Stable colour slot per kernel, so a kernel keeps its colour across runs and in the legend. */
const SLOT: Record<KernelId, number> = { gpujs: 0, shader: 3, 'js-1': 2, 'js-n': 1, 'wasm-1': 6, 'wasm-n': 7, 'simd-1': 4, 'simd-n': 5 };

export interface Series {
  key: string;
  label: string;
  color: string;
  dashed: boolean;
}

interface Point {
  key: string;
  n: number;
  gflops: number;
}

/** The series drawn for a report: each kernel's headline rate, plus gpu.js end to end (dashed). */
export function seriesOf(report: Pick<BenchReport, 'kernels' | 'results'>, theme: ChartTheme): Series[] {
  const out: Series[] = [];
  for (const k of report.kernels) {
    const color = theme.series[SLOT[k.id] % theme.series.length];
    out.push({ key: k.id, label: k.label, color, dashed: false });
    if (k.device === 'gpu' && report.results.some((r) => r.kernel === k.id && r.computeSeconds !== undefined)) {
      out.push({ key: `${k.id}:e2e`, label: `${k.label}, with upload + readback`, color, dashed: true });
    }
  }
  return out;
}

function pointsOf(report: Pick<BenchReport, 'results'>): Point[] {
  const pts: Point[] = [];
  for (const r of report.results) {
    if (r.status !== 'ok' || r.correct === false) continue;
    if (r.gflops !== undefined && r.gflops > 0) pts.push({ key: r.kernel, n: r.n, gflops: r.gflops });
    if (r.computeSeconds !== undefined && r.endToEndGflops !== undefined && r.endToEndGflops > 0) {
      pts.push({ key: `${r.kernel}:e2e`, n: r.n, gflops: r.endToEndGflops });
    }
  }
  return pts;
}

/** 1, 2, 5 × 10^k inside [lo, hi] (only decades when that is already plenty). */
function niceLogTicks(lo: number, hi: number): number[] {
  const out: number[] = [];
  const decades = Math.log10(hi / lo);
  for (let e = Math.floor(Math.log10(lo)); e <= Math.ceil(Math.log10(hi)); e++) {
    for (const m of decades > 4 ? [1] : [1, 2, 5]) {
      const v = m * 10 ** e;
      if (v >= lo && v <= hi) out.push(v);
    }
  }
  return out;
}

/** The chart as an SVG element, or null with nothing to draw yet. */
export function gflopsChart(report: Pick<BenchReport, 'kernels' | 'results' | 'sizes'>, theme: ChartTheme, width: number): SVGSVGElement | HTMLElement | null {
  const pts = pointsOf(report);
  if (pts.length === 0) return null;
  const series = seriesOf(report, theme).filter((s) => pts.some((p) => p.key === s.key));
  const label = new Map(series.map((s) => [s.key, s.label]));
  const ys = pts.map((p) => p.gflops);
  const lo = minOf(ys) / 1.6, hi = maxOf(ys) * 1.6;
  const yTicks = niceLogTicks(lo, hi);
  const marks: Plot.Markish[] = [Plot.gridY(yTicks, { stroke: theme.grid, strokeOpacity: 1 }), Plot.gridX([...new Set(report.sizes)], { stroke: theme.grid, strokeOpacity: 1 })];
  for (const s of series) {
    const data = pts.filter((p) => p.key === s.key).sort((x, y) => x.n - y.n);
    marks.push(Plot.line(data, { x: 'n', y: 'gflops', stroke: s.color, strokeWidth: 2, strokeDasharray: s.dashed ? '5,4' : undefined }));
    marks.push(Plot.dot(data, {
      x: 'n', y: 'gflops', fill: s.dashed ? 'none' : s.color, stroke: s.color, r: 3.5,
      title: (p: Point) => `${label.get(p.key) ?? p.key}\nn = ${p.n}: ${formatGflops(p.gflops)}`,
    }));
  }
  const el = Plot.plot({
    width: Math.max(280, Math.floor(width)),
    height: 300,
    marginLeft: 76,
    marginBottom: 40,
    className: 'fl-plot',
    style: { color: theme.foreground, background: 'transparent', fontFamily: theme.fontFamily, fontSize: '11px', overflow: 'visible' },
    x: { type: 'log', base: 2, label: 'matrix size n (n×n · n×n, float32) →', ticks: [...new Set(report.sizes)], tickFormat: (d: number) => String(d) },
    y: { type: 'log', domain: [lo, hi], ticks: yTicks, label: '↑ FLOP/s (2·n³ / time)', tickFormat: (d: number) => formatGflops(d) },
    marks,
  });
  // Plot's default stylesheet is an inline <style>, which the webview CSP blocks; media/benchmark.css has its rules.
  el.querySelectorAll('style').forEach((s) => s.remove());
  el.setAttribute('role', 'img');
  el.setAttribute('aria-label', `Compute rate by matrix size for ${series.map((s) => s.label).join(', ')}`);
  return el;
}
