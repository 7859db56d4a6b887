/**
 * The comparison panel: roofline, per-layer table, time and memory breakdowns, cost and energy.
 * Clicking a layer (row or roofline point) asks the host to reveal it in the analysed document.
 */
import {
  formatBytes, formatCount, formatFlops, formatIntensity, formatPercent, formatSeconds, formatShape, plural,
} from '../core/format';
import { WebviewCommand } from '../shared/commands';
import type { DeviceSummary } from '../shared/protocol';
import { bestPair, MEMORY_PARTS, opRows, opSecondsByDevice, shortName, sortOpRows, TIME_PARTS, type OpRow, type OpSortKey } from '../shared/viewModel';
import { memoryBreakdown, roofline, timeBreakdown } from './charts';
import { actions, assumptions, costTable, emptyState, header, problems, timeTable, verdict } from './components';
import { badge, h } from './dom';
import { collapsible, type RenderContext } from './sidebar';
import { deviceColors, type ChartTheme } from './theme';
import { post } from './vscodeApi';
import { memoryNeedText, userMachineMark } from '../core/report/figures';
import { servingParts } from './serving';
import { minOf } from '../core/arrays';

const PAGE = 200;

export function renderPanel(ctx: RenderContext): HTMLElement {
  const { state, ui, theme } = ctx;
  const root = h('div', { class: 'view panel' });
  if (state.status === 'empty' || !state.document) {
    root.appendChild(emptyState());
    return root;
  }
  root.appendChild(header(state));
  const a = state.analysis;
  if (!a) {
    root.appendChild(h('div', { class: 'empty' }, h('p', {}, `Reading ${state.document.label}…`)));
    return root;
  }
  const doc = state.document;
  const ids = state.settings.compareIds.length ? state.settings.compareIds : a.projections.map((p) => p.hardwareId);
  const colors = deviceColors(ids, theme);
  const devices = a.projections.map((p) => state.devices.find((d) => d.id === p.hardwareId)).filter((d): d is DeviceSummary => d !== undefined);
  const visible = devices.filter((d) => !ui.hidden.includes(d.id));
  const best = bestPair(a);
  const focus = visible.find((d) => d.id === ui.focusDevice) ?? visible.find((d) => d.id === best.gpu?.hardwareId) ?? visible.find((d) => d.kind === 'gpu') ?? visible[0];
  const projections = a.projections.filter((p) => !ui.hidden.includes(p.hardwareId));

  root.appendChild(verdict(a));
  root.appendChild(deviceChips(ctx, devices, colors, focus));

  const opSeconds = opSecondsByDevice(a);
  const rows = opRows(a, devices, opSeconds, focus?.id);
  const measured = focus !== undefined && opSeconds[focus.id] !== undefined;
  const wide = ctx.width;
  const grid = h('div', { class: 'panel-grid' });
  if (focus) {
    grid.appendChild(collapsible(ctx, 'roofline', 'Roofline',
      roofline({ rows, devices: visible, focus, colors, dtype: a.run.dtype, peaks: new Map(a.projections.map((p) => [p.hardwareId, p.peakFlops])), measured }, theme, wide > 1100 ? wide / 2 - 40 : wide - 40, (i) => reveal(doc.uri, doc.version, i)),
      h('div', { class: 'legend' },
        h('span', { class: 'legend-item' }, h('span', { class: 'swatch dot', 'aria-hidden': 'true' }), 'compute-bound op'),
        h('span', { class: 'legend-item' }, h('span', { class: 'swatch dot hollow', 'aria-hidden': 'true' }), 'memory-bound op'),
        h('span', { class: 'muted small' }, 'dot area ∝ share of step; lines: each device\'s roof (memory slope, then peak), in its chip colour')),
      h('p', { class: 'muted small' }, measured
        ? `Points: achieved FLOP/s on ${focus.name} from each op's projected time (overheads included).`
        : `Points sit on ${focus.name}'s roof (attainable FLOP/s); per-op projected times are not available for this analysis.`)));
  }
  if (projections.length) {
    grid.appendChild(collapsible(ctx, 'breakdown', 'Where the step time goes',
      timeBreakdown(projections.map((p) => ({ label: shortName(p.hardwareName) + userMachineMark(p), stepSeconds: p.stepSeconds.mid, shares: p.shares })), theme, wide > 1100 ? wide / 2 - 40 : wide - 40),
      legend(TIME_PARTS.map(([, l]) => l), theme),
      timeTable(a, projections)));
  }
  grid.appendChild(collapsible(ctx, 'memory', 'Memory per step',
    memoryBreakdown(a.memory, visible, colors, theme, wide > 1100 ? wide / 2 - 40 : wide - 40),
    legend(MEMORY_PARTS.filter(([k]) => a.memory[k] > 0).map(([, l]) => l), theme, MEMORY_PARTS.map(([, l]) => l)),
    capacityLegend(visible.filter((d) => d.memoryBytes <= a.memory.peakBytes * 4), colors),
    h('p', { class: 'small' }, `Memory: ${memoryNeedText(a)}. Peak ${formatBytes(a.memory.peakBytes)}: `, MEMORY_PARTS.filter(([k]) => a.memory[k] > 0).map(([k, l]) => `${l.toLowerCase()} ${formatBytes(a.memory[k])}`).join(' + '), '.',
      visible.some((d) => d.memoryBytes <= a.memory.peakBytes * 4) ? ' Dashed lines: device capacities.' : ` Every device shown has over 4× that (smallest: ${formatBytes(minOf(visible.map((d) => d.memoryBytes)))}).`)));
  if (projections.length) {
    grid.appendChild(collapsible(ctx, 'cost', 'Cost and energy of the run', costTable(a, state.settings.currency, projections)));
  }
  const serving = servingParts(ctx, a, colors, false);
  if (serving) grid.appendChild(collapsible(ctx, 'serving', 'Serving', ...serving));
  root.appendChild(grid);
  root.appendChild(collapsible(ctx, 'layers', `Layers (${a.ops.length} ops)`, layerTable(ctx, rows, visible, focus, doc.uri, doc.version)));
  root.appendChild(collapsible(ctx, 'assumptions', 'Assumptions', assumptions(state, a)));
  const caveats = problems(a);
  if (caveats) root.appendChild(caveats);
  root.appendChild(actions(['Select hardware…', WebviewCommand.selectHardware], ['Export report…', WebviewCommand.exportReport], ['Run live benchmark', WebviewCommand.runBenchmark]));
  return root;
}

function reveal(documentUri: string, version: number, opIndex: number): void {
  post({ type: 'revealOp', documentUri, version, opIndex });
}

function swatch(color: string, label: string): HTMLElement {
  const dot = h('span', { class: 'swatch', 'aria-hidden': 'true' });
  dot.style.background = color;
  return h('span', { class: 'legend-item' }, dot, label);
}

function legend(labels: string[], theme: ChartTheme, domain: string[] = labels): HTMLElement {
  return h('div', { class: 'legend' }, ...labels.map((l) => swatch(theme.series[domain.indexOf(l) % theme.series.length], l)));
}

/** Which dashed line is which device (labels on the chart would overprint when capacities coincide). */
function capacityLegend(devices: DeviceSummary[], colors: Map<string, string>): HTMLElement | null {
  if (!devices.length) return null;
  return h('div', { class: 'legend' }, h('span', { class: 'muted small' }, 'Capacity (dashed):'), ...devices.map((d) => {
    const line = h('span', { class: 'swatch dash', 'aria-hidden': 'true' });
    line.style.borderColor = colors.get(d.id) ?? '';
    return h('span', { class: 'legend-item' }, line, `${shortName(d.name)} ${formatBytes(d.memoryBytes)}`);
  }));
}

function deviceChips(ctx: RenderContext, devices: DeviceSummary[], colors: Map<string, string>, focus: DeviceSummary | undefined): HTMLElement {
  const wrap = h('div', { class: 'chips', role: 'group', 'aria-label': 'Devices shown' });
  for (const d of devices) {
    const shown = !ctx.ui.hidden.includes(d.id);
    const dot = h('span', { class: 'swatch', 'aria-hidden': 'true' });
    dot.style.background = colors.get(d.id) ?? '';
    wrap.appendChild(h('button', {
      class: `chip ${shown ? 'on' : 'off'}${focus?.id === d.id ? ' focus' : ''}`, 'aria-pressed': String(shown),
      title: `${d.name} — click to ${shown ? 'hide' : 'show'}`,
      on: { click: () => ctx.update({ hidden: shown ? [...ctx.ui.hidden, d.id] : ctx.ui.hidden.filter((x) => x !== d.id) }) },
    }, dot, shortName(d.name), h('span', { class: 'muted small' }, ` ${d.kind.toUpperCase()}`)));
  }
  const select = h('select', { class: 'focus-select', 'aria-label': 'Device for roofline points, bounds and shares' });
  for (const d of devices.filter((x) => !ctx.ui.hidden.includes(x.id))) {
    const opt = h('option', { value: d.id }, shortName(d.name));
    if (focus?.id === d.id) opt.selected = true;
    select.appendChild(opt);
  }
  select.addEventListener('change', () => ctx.update({ focusDevice: select.value }));
  wrap.appendChild(h('label', { class: 'focus-label small' }, 'Focus: ', select));
  return wrap;
}

function layerTable(ctx: RenderContext, rows: OpRow[], devices: DeviceSummary[], focus: DeviceSummary | undefined, uri: string, version: number): HTMLElement {
  const training = ctx.state.analysis?.run.mode === 'train';
  const timed = devices.filter((d) => rows.some((r) => r.seconds[d.id] !== undefined));
  const cols: { key: OpSortKey; label: string; num?: boolean; title?: string }[] = [
    { key: 'order', label: '#', num: true, title: 'Execution order' },
    { key: 'name', label: 'Layer' },
    { key: 'kind', label: 'Kind' },
    { key: 'params', label: 'Params', num: true },
    { key: 'flops', label: training ? 'FLOPs fwd+bwd' : 'FLOPs', num: true, title: 'Per step, all calls (1 MAC = 2 FLOP)' },
    { key: 'bytes', label: 'Bytes', num: true, title: 'Read + written by the forward, per step' },
    { key: 'intensity', label: 'FLOP/B', num: true, title: 'Arithmetic intensity of one forward call' },
    { key: 'bound', label: 'Bound', title: `On ${focus?.name ?? 'the focused device'} by the roofline ridge` },
    ...timed.map((d) => ({ key: `time:${d.id}` as OpSortKey, label: shortName(d.name), num: true, title: `Projected time per step on ${d.name}` })),
    { key: 'share', label: 'Share', num: true, title: timed.length ? `Share of op time on ${focus?.name}` : 'Share of FLOPs' },
  ];
  const sortKey = (cols.some((c) => c.key === ctx.ui.sortKey) ? ctx.ui.sortKey : 'share') as OpSortKey;
  const sorted = sortOpRows(rows, sortKey, ctx.ui.sortDesc);
  const shown = ctx.ui.showAllOps ? sorted : sorted.slice(0, PAGE);
  const headRow = h('tr', {}, ...cols.map((c) => {
    const active = c.key === sortKey;
    return h('th', { scope: 'col', class: c.num ? 'num' : '', 'aria-sort': active ? (ctx.ui.sortDesc ? 'descending' : 'ascending') : 'none', title: c.title },
      h('button', { class: 'sort', on: { click: () => ctx.update({ sortKey: c.key, sortDesc: active ? !ctx.ui.sortDesc : c.num !== false && c.key !== 'order' }) } },
        c.label, active ? (ctx.ui.sortDesc ? ' ▾' : ' ▴') : ''));
  }));
  const body = h('tbody');
  // When most ops follow from an assumed model input, that is one fact about the table, said once above it; a badge
  // on every row would say nothing about the row. Otherwise the few ops costed from constructors carry the badge.
  const untraced = rows.filter((r) => !r.op.traced).length;
  const perRowBadge = untraced > 0 && untraced * 2 <= rows.length;
  for (const r of shown) {
    const op = r.op;
    const line = op.loc && !op.loc.file ? op.loc.line : op.declLoc && !op.declLoc.file ? op.declLoc.line : undefined;
    const tr = h('tr', {
      class: line !== undefined ? 'clickable' : '', tabindex: line !== undefined ? 0 : undefined, 'data-op': r.index,
      title: `${op.label}${op.inputShapes.length ? ` ${op.inputShapes.map(formatShape).join(', ')} → ${formatShape(op.outputShape)}` : ''}${op.count > 1 ? ` · ×${op.count} per step` : ''}${op.traced ? '' : ' · shapes from an assumed input or the constructor, not a traced call'}${op.note ? ` · ${op.note}` : ''}${line !== undefined ? ` · line ${line}` : ''}`,
    },
    h('td', { class: 'num muted' }, r.index + 1),
    h('td', { class: 'layer' }, h('span', { class: 'mono' }, op.name), ' ', h('span', { class: 'muted small' }, op.label), op.traced || !perRowBadge ? null : badge('untraced', 'muted')),
    h('td', {}, op.kind),
    h('td', { class: 'num' }, op.params ? formatCount(op.params) : '–'),
    h('td', { class: 'num' }, formatFlops(r.stepFlops)),
    h('td', { class: 'num' }, formatBytes(r.stepBytes)),
    h('td', { class: 'num' }, formatIntensity(r.intensity).replace(' FLOP/B', '')),
    h('td', {}, badge(r.bound, r.bound)),
    ...timed.map((d) => h('td', { class: 'num' }, r.seconds[d.id] !== undefined ? formatSeconds(r.seconds[d.id]) : '–')),
    h('td', { class: 'num' }, h('span', { class: 'share-bar', 'aria-hidden': 'true' }), formatPercent(r.share)));
    const bar = tr.querySelector('.share-bar') as HTMLElement;
    bar.style.width = `${Math.round(Math.min(1, r.share) * 40)}px`;
    if (line !== undefined) {
      tr.addEventListener('click', () => reveal(uri, version, r.index));
      tr.addEventListener('keydown', (e) => {
        if ((e as KeyboardEvent).key === 'Enter') reveal(uri, version, r.index);
      });
    }
    body.appendChild(tr);
  }
  const wrap = h('div', { class: 'table-wrap' }, h('table', { class: 'grid layers' }, h('thead', {}, headRow), body));
  const more = rows.length > PAGE
    ? h('button', { class: 'button secondary', on: { click: () => ctx.update({ showAllOps: !ctx.ui.showAllOps }) } }, ctx.ui.showAllOps ? `Show the first ${PAGE}` : `Show all ${rows.length} ops`)
    : null;
  const fallback = ctx.state.analysis?.problems.find((p) => p.code === 'shape-fallback');
  const note = untraced && !perRowBadge
    ? h('p', { class: 'muted small' }, `Shapes of ${plural(untraced, 'op')} of ${rows.length} follow from an assumed model input, not a traced call${fallback ? `: ${fallback.message}` : '.'}`)
    : null;
  return h('div', {}, note, wrap, more, h('p', { class: 'muted small' }, 'Click a row to reveal it in the editor. FLOPs count a multiply-add as 2.'));
}

/** Scrolls to and highlights one op row (host `focusOp`). */
export function focusOpRow(root: HTMLElement, opIndex: number): void {
  const row = root.querySelector(`tr[data-op="${opIndex}"]`);
  if (!(row instanceof HTMLElement)) return;
  row.scrollIntoView({ block: 'center' });
  row.classList.add('flash');
  setTimeout(() => row.classList.remove('flash'), 1600);
}
