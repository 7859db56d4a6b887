/**
 * The sidebar: verdict, time per device (log bars with bands), memory fit, cost, model summary and the
 * assumptions, editable in place.
 */
import { formatSeconds, plural } from '../core/format';
import { WebviewCommand } from '../shared/commands';
import type { ViewState } from '../shared/protocol';
import { shortName } from '../shared/viewModel';
import { fitText, memoryNeedText, usable, userMachineMark } from '../core/report/figures';
import { memoryFit, timeBars } from './charts';
import { actions, assumptions, costTable, emptyState, header, modelSummary, problems, timeTable, verdict } from './components';
import { h } from './dom';
import { deviceColors, type ChartTheme } from './theme';
import type { UiState } from './vscodeApi';
import { servingParts } from './serving';

export interface RenderContext {
  state: ViewState;
  ui: UiState;
  theme: ChartTheme;
  width: number;
  /** Persist a UI change and re-render. */
  update(change: Partial<UiState>): void;
  /** Persist a UI change the DOM already shows (no re-render). */
  persist(change: Partial<UiState>): void;
}

/** A collapsible section whose open state is UI state. */
export function collapsible(ctx: RenderContext, id: string, title: string, ...children: (Node | null)[]): HTMLElement {
  const details = h('details', { class: 'card', 'data-section': id });
  details.open = !ctx.ui.collapsed.includes(id);
  details.appendChild(h('summary', {}, h('h2', {}, title)));
  for (const c of children) if (c) details.appendChild(c);
  // `toggle` also fires (asynchronously) for the initial `open`; only a real change is persisted, and
  // without re-rendering: the <details> element already shows it.
  details.addEventListener('toggle', () => {
    if (details.open === !ctx.ui.collapsed.includes(id)) return;
    const collapsed = new Set(ctx.ui.collapsed);
    if (details.open) collapsed.delete(id);
    else collapsed.add(id);
    ctx.persist({ collapsed: [...collapsed] });
  });
  return details;
}

export function renderSidebar(ctx: RenderContext): HTMLElement {
  const { state, ui, theme } = ctx;
  const root = h('div', { class: 'view sidebar' });
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
  const width = ctx.width;
  const projections = a.projections.filter((p) => !ui.hidden.includes(p.hardwareId));
  const colors = deviceColors(state.settings.compareIds.length ? state.settings.compareIds : a.projections.map((p) => p.hardwareId), theme);
  root.appendChild(verdict(a));

  if (projections.length) {
    const metric = ui.metric;
    const toggle = h('div', { class: 'segmented', role: 'group', 'aria-label': 'Time shown' },
      ...(['step', 'run'] as const).map((m) => h('button', {
        class: m === metric ? 'seg selected' : 'seg', 'aria-pressed': String(m === metric),
        on: { click: () => ctx.update({ metric: m }) },
      }, m === 'step' ? 'Per step' : 'Whole run')));
    const bars = timeBars(projections.map((p) => {
      const band = metric === 'step' ? p.stepSeconds : p.runSeconds;
      return {
        id: p.hardwareId, label: shortName(p.hardwareName) + userMachineMark(p) + (p.devicesUsed > 1 ? ` ×${p.devicesUsed}` : ''),
        low: band.low, mid: band.mid, high: band.high, color: colors.get(p.hardwareId) ?? theme.series[0], dim: !p.fits,
        note: p.fits ? `${p.bound}-bound` : `does not fit; assumes ${p.devicesUsed} devices`,
      };
    }), theme, width, metric === 'step' ? 'Time per step' : 'Whole run');
    root.appendChild(collapsible(ctx, 'time', metric === 'step' ? 'Time per step' : `Whole run (${plural(a.run.steps, 'step')})`, toggle, bars, timeTable(a, projections, false)));

    const fitData = projections.map((p) => ({
      id: p.hardwareId, label: shortName(p.hardwareName), usableBytes: usable(p), usedBytes: p.memoryBytes, fits: p.fits, text: fitText(p),
    }));
    const misfits = projections.filter((p) => !p.fits);
    root.appendChild(collapsible(ctx, 'memory', 'Memory fit',
      h('p', { class: 'small' }, `Memory: ${memoryNeedText(a)}. `, misfits.length
        ? misfits.map((p) => `${shortName(p.hardwareName)} ${fitText(p)}.`).join(' ')
        : 'Fits every compared device. Bars: usable memory; tick: what the step needs there.'),
      memoryFit(fitData, a.memory.peakBytes, theme, width)));

    root.appendChild(collapsible(ctx, 'cost', 'Cost and energy', costTable(a, state.settings.currency, projections, false),
      h('p', { class: 'muted small' }, 'On-demand cloud prices from the catalog (dated); energy at board power. Hover a value for its low–high band; the panel has throughput.')));
  } else {
    root.appendChild(h('p', { class: 'muted' }, 'No hardware selected to compare.'));
  }
  const serving = servingParts(ctx, a, colors, true);
  if (serving) root.appendChild(collapsible(ctx, 'serving', 'Serving', ...serving));

  root.appendChild(collapsible(ctx, 'model', 'Model', modelSummary(a)));
  root.appendChild(collapsible(ctx, 'assumptions', 'Assumptions', assumptions(state, a),
    h('p', { class: 'muted small' }, state.settings.writeTo === 'script'
      ? 'Click a value to change it; FlopLens writes a # floplens: directive into the script.'
      : 'Click a value to change it; FlopLens writes it to floplens.overrides in your workspace settings.')));
  const caveats = problems(a);
  if (caveats) root.appendChild(caveats);
  root.appendChild(actions(['Open comparison panel', WebviewCommand.openPanel, true], ['Select hardware…', WebviewCommand.selectHardware], ['Export report…', WebviewCommand.exportReport]));
  root.appendChild(h('p', { class: 'muted small footer' }, `Estimates are roofline projections with documented efficiency ranges; bars show the mid value, whiskers the low–high band. Analysis took ${formatSeconds(a.elapsedMs / 1000)}.`));
  return root;
}
