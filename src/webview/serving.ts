/**
 * The Serving section of the panel and the sidebar: the serving verdict, a request-rate slider that writes the
 * `rate=` directive (through the same `setAssumption` message as the assumptions list), the monthly cost against
 * requests per second on a log–log chart per device (where a GPU starts to pay is where the lines cross), and the
 * serving table (cells from src/core/serve/table.ts, the one formatter).
 */
import * as Plot from '@observablehq/plot';
import type { Analysis } from '../core/types';
import type { Serving } from '../core/serve/types';
import { formatMoney, formatSeconds, type Currency } from '../core/format';
import { rateText, servingHeadline, servingTable } from '../core/serve/table';
import { shortName } from '../shared/viewModel';
import { h } from './dom';
import type { RenderContext } from './sidebar';
import type { ChartTheme } from './theme';
import { post } from './vscodeApi';

/** Slider range, log10 of requests per second: 0.01/s (864 a day) to 10,000/s. */
const LOG_MIN = -2;
const LOG_MAX = 4;
const RATE_TICKS = [0.01, 0.1, 1, 10, 100, 1000, 10_000];

/** The directive text for a rate: per second from 1/s, per day below. */
export function rateDirective(rps: number): string {
  if (rps >= 1) return `${Number(rps.toPrecision(2))}/s`;
  return `${Math.max(1, Math.round(rps * 86_400))}/day`;
}

/** The section's contents (the caller wraps them in its collapsible card), or null when the analysis has no serving figures (training). */
export function servingParts(ctx: RenderContext, a: Analysis, colors: Map<string, string>, compact: boolean): (HTMLElement | null)[] | null {
  const s = a.serving;
  if (!s) return null;
  const currency = ctx.state.settings.currency;
  const width = compact ? ctx.width - 24 : ctx.width > 1100 ? ctx.width / 2 - 40 : ctx.width - 40;
  return [
    h('p', { class: 'verdict-line' }, s.verdict),
    h('p', { class: 'muted small' }, servingHeadline(s), '.'),
    rateSlider(ctx, s),
    costChart(s, colors, ctx.theme, width, currency),
    table(s, currency, compact),
    compact ? null : h('ul', { class: 'muted small' }, ...s.assumptions.map((x) => h('li', {}, x))),
  ];
}

function rateSlider(ctx: RenderContext, s: Serving): HTMLElement {
  const uri = ctx.state.document?.uri ?? '';
  const value = Math.min(LOG_MAX, Math.max(LOG_MIN, Math.log10(s.rate.value)));
  const shown = h('output', { class: 'num' }, rateText(s.rate.value));
  const input = h('input', {
    type: 'range', min: String(LOG_MIN), max: String(LOG_MAX), step: '0.1', value: String(value), class: 'rate-slider',
    'aria-label': 'Requests per second (log scale); writes a # floplens: rate= directive',
  });
  const current = () => 10 ** Number(input.value);
  input.addEventListener('input', () => { shown.textContent = rateText(current()); });
  input.addEventListener('change', () => {
    const v = rateDirective(current());
    post({ type: 'setAssumption', documentUri: uri, key: 'rate', value: v });
    shown.textContent = `${rateText(current())} (writing rate=${v}…)`;
  });
  return h('label', { class: 'rate-control small' }, 'Request rate ', input, ' ', shown);
}

/** A rate tick in few characters: '0.01/s', '1/s', '100/s', '10k/s'. */
export function shortRate(rps: number): string {
  return rps >= 1000 ? `${Number((rps / 1000).toPrecision(2))}k/s` : `${Number(rps.toPrecision(2))}/s`;
}

function costChart(s: Serving, colors: Map<string, string>, theme: ChartTheme, width: number, currency: Currency): HTMLElement {
  const priced = s.perDevice.filter((d) => d.costCurve.length > 0);
  if (priced.length === 0) return h('p', { class: 'muted small' }, 'No compared device has a rental price: the cost chart needs one.');
  const data = priced.flatMap((d) => d.costCurve.map((c) => ({ device: shortName(d.hardwareName), id: d.hardwareId, rate: c.requestsPerSecond, cost: c.monthlyCostUsd, meets: d.meetsTarget })));
  const costs = data.map((d) => d.cost).filter((c) => c > 0);
  const lo = Math.min(...costs);
  const hi = Math.max(...costs);
  const costTicks: number[] = [];
  for (let e = Math.floor(Math.log10(lo)); e <= Math.ceil(Math.log10(hi)); e++) costTicks.push(10 ** e);
  const money = (v: number) => formatMoney(v, currency);
  // Axis ticks are whole amounts: '$10' beside '$100', not '$10.00'.
  const tickMoney = (v: number) => money(v).replace(/[.,]00(?!\d)/, '');
  // Every other decade when narrow: the labels would overprint.
  const narrow = width < 520;
  const xTicks = narrow ? RATE_TICKS.filter((_, i) => i % 2 === 0) : RATE_TICKS;
  // Narrow (the sidebar): '0.01/s 1/s 100/s 10k/s' fit where '864 req/day … 10,000 req/s' overprinted.
  const tickText = (v: number) => (narrow ? shortRate(v) : rateText(v));
  const domain = priced.map((d) => shortName(d.hardwareName));
  const range = priced.map((d, i) => colors.get(d.hardwareId) ?? theme.series[i % theme.series.length]);
  const svg = Plot.plot({
    width: Math.max(220, Math.floor(width)), height: 220, marginLeft: 12 + 7 * Math.max(...costTicks.map((v) => tickMoney(v).length)), marginBottom: 34, marginRight: 16,
    className: 'fl-plot',
    style: { color: theme.foreground, background: 'transparent', fontFamily: theme.fontFamily, fontSize: '11px', overflow: 'visible' },
    x: { type: 'log', domain: [RATE_TICKS[0], RATE_TICKS[RATE_TICKS.length - 1]], axis: null },
    y: { type: 'log', domain: [costTicks[0], costTicks[costTicks.length - 1]], axis: null },
    color: { domain, range },
    marks: [
      Plot.gridX(RATE_TICKS, { stroke: theme.grid, strokeOpacity: 0.5 }),
      Plot.axisX(xTicks, { text: tickText, label: 'requests per second →', stroke: theme.foreground }),
      Plot.gridY(costTicks, { stroke: theme.grid, strokeOpacity: 0.35 }),
      Plot.axisY(costTicks, { text: tickMoney, label: '↑ cost per month', stroke: theme.foreground }),
      Plot.ruleX([s.rate.value], { stroke: theme.muted, strokeDasharray: '4,3' }),
      Plot.line(data.filter((d) => d.meets), { x: 'rate', y: 'cost', z: 'id', stroke: 'device', curve: 'step-after', strokeWidth: 2 }),
      Plot.line(data.filter((d) => !d.meets), { x: 'rate', y: 'cost', z: 'id', stroke: 'device', curve: 'step-after', strokeWidth: 2, strokeDasharray: '2,3' }),
      Plot.tip(data, Plot.pointer({ x: 'rate', y: 'cost', title: (d: { device: string; rate: number; cost: number }) => `${d.device}: ${money(d.cost)}/month at ${rateText(d.rate)}` })),
    ],
  });
  svg.querySelectorAll('style').forEach((x) => x.remove());
  svg.setAttribute('role', 'img');
  svg.setAttribute('aria-label', `Monthly cost against requests per second, log–log, for ${domain.join(', ')}; the dashed rule marks ${rateText(s.rate.value)}`);
  const legend = h('div', { class: 'legend' }, ...priced.map((d, i) => {
    const dot = h('span', { class: 'swatch', 'aria-hidden': 'true' });
    dot.style.background = range[i];
    return h('span', { class: 'legend-item' }, dot, shortName(d.hardwareName), d.meetsTarget ? '' : ' (misses target)');
  }));
  return h('div', { class: 'serving-chart' }, svg, legend,
    h('p', { class: 'muted small' }, 'Each line: replicas needed at that rate × the device\'s hourly price; dotted where the device misses the latency target; dashed rule: the current rate.'));
}

function table(s: Serving, currency: Currency, compact: boolean): HTMLElement {
  const t = servingTable(s, currency);
  if (compact) {
    // The sidebar keeps four short columns: device, monthly cost, p50 latency (TTFT for LLMs), meets the target.
    const head = h('tr', {}, h('th', { scope: 'col' }, 'Device'), h('th', { scope: 'col', class: 'num' }, '$/month'), h('th', { scope: 'col', class: 'num' }, s.kind === 'llm' ? 'TTFT' : 'Latency'), h('th', { scope: 'col' }, 'Meets'));
    const body = h('tbody', {}, ...s.perDevice.map((d, k) => h('tr', { class: d.meetsTarget ? '' : 'muted', title: t.rows[k].join(' · ') },
      // One device needs no count beside its name: the columns keep the room for $/month and latency.
      h('th', { scope: 'row' }, shortName(d.hardwareName), t.rows[k][1] === '1' ? null : h('span', { class: 'muted small' }, ` ${t.rows[k][1]}`)),
      h('td', { class: 'num' }, d.monthlyCostUsd !== undefined ? formatMoney(d.monthlyCostUsd, currency) : '—'),
      h('td', { class: 'num' }, formatSeconds(s.kind === 'llm' ? d.latency.firstTokenSeconds ?? d.latency.requestSeconds : d.latency.requestSeconds)),
      h('td', {}, d.meetsTarget ? 'yes' : 'no'))));
    return h('div', { class: 'table-wrap' }, h('table', { class: 'grid compact serving' }, h('thead', {}, head), body));
  }
  // Headings as every other table of the views has them ("Device", "Batch"); the CLI and the report keep the core's.
  const head = h('tr', {}, ...t.head.map((c, i) => h('th', { scope: 'col', class: i === 0 ? '' : 'num' }, c.charAt(0).toUpperCase() + c.slice(1))));
  const body = h('tbody', {}, ...t.rows.map((r, k) => h('tr', { class: t.meets[k] ? '' : 'muted' },
    ...r.map((c, i) => (i === 0 ? h('th', { scope: 'row', title: c }, shortName(c)) : h('td', { class: 'num' }, c))))));
  return h('div', { class: 'table-wrap' }, h('table', { class: 'grid compact serving' }, h('thead', {}, head), body));
}
