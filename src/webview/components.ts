/**
 * View pieces the sidebar and the panel share. All text goes through textContent (see dom.ts).
 */
import type { Analysis, Assumption, Projection, Provenance } from '../core/types';
import { EDITABLE, EDITABLE_KEYS, editableKeyFor, normalizeAssumptionValue, type EditableKey } from '../shared/assumptions';
import {
  formatBytes, formatCount, formatEnergy, formatFlops, formatMacs, formatMoney, formatPercent, formatSeconds,
  formatSecondsBand, formatSpeedup, formatInteger, plural, type Currency,
} from '../core/format';
import { WebviewCommand } from '../shared/commands';
import type { ViewState } from '../shared/protocol';
import { bestPair, MEMORY_PARTS, shortName, speedup } from '../shared/viewModel';
import { badge, h, section } from './dom';
import { post } from './vscodeApi';
import { fitText, userMachineMark } from '../core/report/figures';

const PROVENANCE_TEXT: Record<Provenance, string> = {
  directive: 'set by a # floplens: directive in the script',
  literal: 'written in the script',
  inferred: 'inferred from the script',
  catalog: 'from the model/dataset catalog',
  setting: 'from your FlopLens settings',
  default: 'a default; the script does not say',
};

/** File name, status and staleness. */
export function header(state: ViewState): HTMLElement {
  const doc = state.document;
  const status = state.status === 'analyzing' || state.stale ? h('span', { class: 'status', role: 'status' }, h('span', { class: 'spinner', 'aria-hidden': 'true' }), state.stale ? 'updating…' : 'analysing…') : null;
  return h('header', { class: 'doc-header' },
    h('span', { class: 'doc-label', title: doc?.uri ?? '' }, doc ? doc.label : 'FlopLens'),
    doc?.kind === 'notebook' ? badge('notebook', 'muted') : null,
    state.analysis ? h('span', { class: 'muted small' }, `${state.analysis.run.mode === 'train' ? 'training' : 'inference'} · ${formatSeconds(state.analysis.elapsedMs / 1000)}`) : null,
    status,
  );
}

/**
 * The verdict first, then the speed-up. When a GPU pays off, the speed-up is the headline; when it does not, the
 * verdict sentence is, and the speed-up is a detail under it (a big "×1.9 faster" above "a CPU is fine" would
 * say the opposite of the verdict at a glance).
 */
export function verdict(a: Analysis): HTMLElement {
  const s = speedup(a);
  const pays = a.verdict.gpuPaysOff;
  const title = 'Best CPU run time ÷ best GPU run time (mid estimates)';
  return h('div', { class: `verdict verdict-${pays ? 'gpu' : 'cpu'}`, role: 'note' },
    pays && s !== undefined ? h('div', { class: 'speedup', title }, formatSpeedup(s), h('span', { class: 'small muted' }, ' faster on the best GPU')) : null,
    h('p', { class: pays ? 'verdict-summary' : 'verdict-summary verdict-lead' }, a.verdict.summary),
    !pays && s !== undefined ? h('p', { class: 'muted small speedup-note', title }, s >= 1 ? `The best GPU would run it ${formatSpeedup(s)} faster.` : `The best GPU would run it ${formatSpeedup(1 / s)} slower.`) : null,
    a.verdict.reason && !a.verdict.summary.includes(a.verdict.reason) ? h('p', { class: 'muted small' }, a.verdict.reason) : null,
  );
}

/** Params, FLOPs per step, peak memory: the model at a glance. */
export function modelSummary(a: Analysis): HTMLElement {
  const training = a.run.mode === 'train';
  const rows: [string, string, string?][] = [
    ['Model', a.model.name || '—', a.model.catalogId ? `catalog: ${a.model.catalogId}` : undefined],
    ['Parameters', formatCount(a.model.params), a.model.frozenParams > 0 ? `${formatCount(a.model.trainableParams)} trainable, ${formatCount(a.model.frozenParams)} frozen` : `${formatBytes(a.model.paramBytes)} of weights`],
    ['Forward / step', formatFlops(a.step.forwardFlops), `${formatMacs(a.step.forwardFlops)} (1 MAC = 2 FLOP) in matrix ops${a.step.vectorFlops > 0 ? `; plus ${formatFlops(a.step.vectorFlops)} element-wise` : ''}`],
  ];
  if (training && a.step.trainFlops !== undefined) rows.push(['Train / step', formatFlops(a.step.trainFlops), a.step.recomputeFlops ? `forward + backward + ${formatFlops(a.step.recomputeFlops)} recomputed (activation checkpointing)` : 'forward + backward']);
  rows.push(['Whole run', formatFlops(a.run.totalFlops), plural(a.run.steps, 'step')]);
  rows.push(['Peak memory', formatBytes(a.memory.peakBytes), MEMORY_PARTS.filter(([k]) => a.memory[k] > 0).map(([k, l]) => `${l.toLowerCase()} ${formatBytes(a.memory[k])}`).join(', ')]);
  if (a.step.tokens) rows.push(['Tokens / step', formatCount(a.step.tokens)]);
  return h('dl', { class: 'kv' }, ...rows.flatMap(([k, v, note]) => [h('dt', {}, k), h('dd', {}, h('span', { class: 'num' }, v), note ? h('span', { class: 'muted small note' }, note) : null)]));
}

interface AssumptionView {
  key?: EditableKey;
  name: string;
  label: string;
  value: string;
  /** What the edit box starts with (a plain number for counts shown with a name). */
  editValue?: string;
  source: Provenance;
  note?: string;
  unit?: string;
  line?: number;
}

function runValue(a: Analysis, key: EditableKey): number | string | undefined {
  switch (key) {
    case 'batch': return a.run.batch;
    case 'seq': return a.run.seqLen;
    case 'dtype': return a.run.dtype;
    case 'steps': return a.run.steps;
    case 'epochs': return a.run.epochs;
    case 'dataset': return a.run.datasetSize;
    case 'devices': return a.run.devices ?? 1;
  }
}

function displayValue(v: Assumption['value'] | undefined): string {
  if (v === undefined) return '—';
  if (typeof v === 'number') return Number.isInteger(v) && Math.abs(v) < 1e6 ? formatInteger(v) : formatCount(v);
  return String(v);
}

/** Editable assumptions first (from `analysis.assumptions`, else the run spec), then the rest read-only. */
export function assumptionViews(a: Analysis): AssumptionView[] {
  const out: AssumptionView[] = [];
  const used = new Set<Assumption>();
  for (const key of EDITABLE_KEYS) {
    const found = a.assumptions.find((x) => editableKeyFor(x.name) === key);
    if (found) used.add(found);
    const fromRun = runValue(a, key);
    const value = found?.value ?? fromRun;
    if (value === undefined && key !== 'epochs' && key !== 'dataset') continue;
    if (key === 'seq' && value === undefined) continue;
    // Without an assumption the value still came from the script's run spec, unless it is the devices fallback.
    const source: Provenance = found?.source ?? (fromRun === undefined || (key === 'devices' && a.run.devices === undefined) ? 'default' : 'inferred');
    out.push({
      key, name: key, label: EDITABLE[key].label, value: displayValue(value), editValue: fromRun !== undefined ? String(fromRun) : undefined, source,
      note: found?.note, unit: found?.unit ?? EDITABLE[key].unit, line: found?.loc && !found.loc.file ? found.loc.line : undefined,
    });
  }
  for (const x of a.assumptions) {
    if (used.has(x)) continue;
    out.push({ name: x.name, label: x.name, value: displayValue(x.value), source: x.source, note: x.note, unit: x.unit, line: x.loc && !x.loc.file ? x.loc.line : undefined });
  }
  return out;
}

/** The assumptions list; editable values become an input on click and post `setAssumption`. */
export function assumptions(state: ViewState, a: Analysis): HTMLElement {
  const docUri = state.document?.uri ?? '';
  const where = state.settings.writeTo === 'script' ? 'as a # floplens: directive in the script' : 'to your workspace settings';
  const list = h('ul', { class: 'assumptions', 'aria-label': 'Assumptions' });
  for (const v of assumptionViews(a)) {
    const valueEl = v.key
      ? h('button', { class: 'value editable num', title: `Edit — written ${where}`, 'aria-label': `${v.label}: ${v.value}. Edit` }, v.value)
      : h('span', { class: 'value num' }, v.value);
    const li = h('li', { class: 'assumption', 'data-key': v.name },
      h('div', { class: 'assumption-line' },
        h('span', { class: 'assumption-label' }, v.label),
        valueEl,
        v.unit && v.value !== '—' ? h('span', { class: 'muted small' }, v.unit) : null,
        badge(v.source, v.source, PROVENANCE_TEXT[v.source]),
      ),
      v.note || v.line ? h('div', { class: 'muted small note' }, v.note ?? '', v.line && !(v.note ?? '').includes(`line ${v.line}`) ? ` (line ${v.line})` : '') : null,
    );
    if (v.key) {
      const key = v.key;
      const initial = v.editValue ?? (v.value === '—' ? '' : v.value.replace(/,/g, ''));
      valueEl.addEventListener('click', () => startEdit(li, valueEl, key, initial, docUri));
    }
    list.appendChild(li);
  }
  return list;
}

function startEdit(li: HTMLElement, valueEl: HTMLElement, key: EditableKey, current: string, documentUri: string): void {
  const spec = EDITABLE[key];
  const error = h('div', { class: 'error small', role: 'alert' });
  let input: HTMLInputElement | HTMLSelectElement;
  if (spec.kind === 'choice') {
    input = h('select', { class: 'edit', 'aria-label': spec.label });
    for (const c of spec.choices ?? []) {
      const opt = h('option', { value: c }, c);
      if (c === current) opt.selected = true;
      input.appendChild(opt);
    }
  } else {
    input = h('input', { class: 'edit', type: 'text', inputmode: 'numeric', value: current, 'aria-label': spec.label, placeholder: spec.unit ?? '', spellcheck: 'false' });
  }
  const finish = (commit: boolean) => {
    if (!input.isConnected) return;
    if (commit) {
      const r = normalizeAssumptionValue(key, input.value);
      if ('error' in r) {
        error.textContent = r.error;
        input.focus();
        return;
      }
      if (r.value !== current) {
        post({ type: 'setAssumption', documentUri, key, value: r.value });
        valueEl.textContent = r.value;
        valueEl.classList.add('pending');
      }
    }
    input.replaceWith(valueEl);
    error.remove();
    valueEl.focus();
  };
  input.addEventListener('keydown', (e) => {
    const ke = e as KeyboardEvent;
    if (ke.key === 'Enter') {
      e.preventDefault();
      finish(true);
    } else if (ke.key === 'Escape') {
      e.preventDefault();
      finish(false);
    }
  });
  input.addEventListener('blur', () => setTimeout(() => finish(input.tagName === 'SELECT'), 0));
  if (input instanceof HTMLSelectElement) input.addEventListener('change', () => finish(true));
  valueEl.replaceWith(input);
  li.appendChild(error);
  input.focus();
  if (input instanceof HTMLInputElement) input.select();
}

/** Cost, energy and throughput per device. */
export function costTable(a: Analysis, currency: Currency, projections: Projection[], withThroughput = true): HTMLElement {
  const { cpu, gpu } = bestPair(a);
  const table = h('table', { class: 'grid compact' },
    h('thead', {}, h('tr', {}, h('th', { scope: 'col' }, 'Device'), h('th', { scope: 'col', class: 'num' }, 'Run cost'), h('th', { scope: 'col', class: 'num' }, 'Energy'), withThroughput ? h('th', { scope: 'col', class: 'num' }, 'Throughput') : null)),
  );
  const body = h('tbody');
  for (const p of projections) {
    const best = p === cpu || p === gpu;
    body.appendChild(h('tr', { class: best ? 'best' : '' },
      h('th', { scope: 'row', title: p.hardwareName }, shortName(p.hardwareName) + userMachineMark(p), p.devicesUsed > 1 ? h('span', { class: 'muted small' }, ` ×${p.devicesUsed}`) : null),
      h('td', { class: 'num', title: p.costUsd ? `${formatMoney(p.costUsd.low, currency)}–${formatMoney(p.costUsd.high, currency)}` : 'no price in the catalog' }, p.costUsd ? formatMoney(p.costUsd.mid, currency) : '—'),
      h('td', { class: 'num', title: `${formatEnergy(p.energyJoules.low)}–${formatEnergy(p.energyJoules.high)}` }, formatEnergy(p.energyJoules.mid)),
      withThroughput ? h('td', { class: 'num' }, `${formatCount(p.throughput.value)} ${p.throughput.unit}`) : null,
    ));
  }
  table.appendChild(body);
  return h('div', { class: 'table-wrap' }, table);
}

/** Per-device table of step and run time with bands, bound, fit. */
export function timeTable(a: Analysis, projections: Projection[], withBound = true): HTMLElement {
  const { cpu, gpu } = bestPair(a);
  const table = h('table', { class: 'grid compact' },
    h('thead', {}, h('tr', {}, h('th', { scope: 'col' }, 'Device'), h('th', { scope: 'col', class: 'num' }, 'Step'), h('th', { scope: 'col', class: 'num' }, 'Run'), withBound ? h('th', { scope: 'col' }, 'Bound') : null)),
  );
  const body = h('tbody');
  for (const p of projections) {
    const best = p === cpu || p === gpu;
    body.appendChild(h('tr', { class: best ? 'best' : '' },
      h('th', { scope: 'row', title: `${p.hardwareName}${p.notes.length ? `\n${p.notes.join('\n')}` : ''}` }, shortName(p.hardwareName) + userMachineMark(p), p.devicesUsed > 1 ? h('span', { class: 'muted small' }, ` ×${p.devicesUsed}`) : null),
      h('td', { class: 'num', title: `band ${formatSecondsBand(p.stepSeconds.low, p.stepSeconds.high)} · ${p.bound}-bound · MFU ${formatPercent(p.mfu)}` }, formatSeconds(p.stepSeconds.mid)),
      h('td', { class: 'num', title: `band ${formatSecondsBand(p.runSeconds.low, p.runSeconds.high)}` }, formatSeconds(p.runSeconds.mid)),
      withBound ? h('td', {}, badge(p.bound, p.bound, `${formatPercent(p.shares[p.bound] ?? 0)} of the step · MFU ${formatPercent(p.mfu)}`), p.fits ? null : badge(`needs ${p.devicesNeeded}`, 'error', fitText(p))) : null,
    ));
  }
  table.appendChild(body);
  return h('div', { class: 'table-wrap' }, table);
}

/** Problems and uncounted ops, most severe first. */
export function problems(a: Analysis): HTMLElement | null {
  const items = [...a.problems].sort((x, y) => rank(x.severity) - rank(y.severity));
  if (!items.length && !a.uncounted.length) return null;
  const list = h('ul', { class: 'problems' });
  for (const p of items.slice(0, 50)) {
    list.appendChild(h('li', { class: `problem sev-${p.severity}` }, badge(p.severity, p.severity), ' ', p.message, p.loc && !p.loc.file ? h('span', { class: 'muted small' }, ` line ${p.loc.line}`) : null));
  }
  for (const u of a.uncounted.slice(0, 50)) {
    list.appendChild(h('li', { class: 'problem sev-info' }, badge('uncounted', 'warning'), ' ', u.name, h('span', { class: 'muted small' }, ` — ${u.reason}${u.loc && !u.loc.file ? ` (line ${u.loc.line})` : ''}`)));
  }
  return section(`Caveats (${items.length + a.uncounted.length})`, list);
}

function rank(s: string): number {
  return s === 'error' ? 0 : s === 'warning' ? 1 : 2;
}

/** Buttons that run our commands. */
export function actions(...items: [label: string, command: WebviewCommand, primary?: boolean][]): HTMLElement {
  return h('div', { class: 'actions' }, ...items.map(([label, command, primary]) => h('button', {
    class: primary ? 'button primary' : 'button secondary',
    on: { click: () => post({ type: 'runCommand', command }) },
  }, label)));
}

/** The empty state: no Python script or notebook. */
export function emptyState(): HTMLElement {
  return h('div', { class: 'empty' },
    h('h2', {}, 'No PyTorch script open'),
    h('p', {}, 'Open a Python script or a Jupyter notebook that builds or trains a model. FlopLens reads it without running it and compares CPUs and GPUs here.'),
    h('p', { class: 'muted small' }, 'Tip: add a line like # floplens: batch=64 to set what the script does not say.'),
    actions(['Select hardware to compare', WebviewCommand.selectHardware], ['Run live GPU benchmark', WebviewCommand.runBenchmark]),
  );
}
