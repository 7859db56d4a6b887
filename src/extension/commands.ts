import * as vscode from 'vscode';
import type { HardwareProfile } from '../core/hardware/types';
import { renderMarkdown } from '../core/report/markdown';
import { EDITABLE, EDITABLE_KEYS, editableKeyFor, isEditableKey, normalizeAssumptionValue, type EditableKey } from '../shared/assumptions';
import { formatBytes, formatMoney, formatPeak } from '../core/format';
import { targetKey } from './analysisStore';
import { CommandId } from './commandIds';
import { DisposableOwner } from './disposable';
import { THIS_MACHINE_ID } from './hardwareService';
import type { Services } from './services';
import type { ComparisonPanels } from './webviews/comparisonPanel';
import type { SidebarView } from './webviews/sidebarView';

/** The handler of each command we register here, typed by id (runBenchmark is registered by the benchmark). */
type Handlers = { [K in Exclude<CommandId, typeof CommandId.runBenchmark>]: (...args: any[]) => unknown };

/** Registers the command table. */
export class Commands extends DisposableOwner {
  constructor(private readonly services: Services, private readonly panels: ComparisonPanels, private readonly sidebar: SidebarView) {
    super();
    const handlers: Handlers = {
      [CommandId.openPanel]: (arg?: unknown) => this.openPanel(arg),
      [CommandId.analyzeActiveFile]: () => this.analyzeActiveFile(),
      [CommandId.selectHardware]: () => this.selectHardware(),
      [CommandId.exportReport]: () => this.exportReport(),
      [CommandId.setAssumption]: (key?: unknown, value?: unknown, uri?: unknown) => this.setAssumption(key, value, uri),
    };
    for (const [id, fn] of Object.entries(handlers)) {
      this.register(vscode.commands.registerCommand(id, async (...args: unknown[]) => {
        try {
          return await fn(...args);
        } catch (e) {
          services.log.error(`${id} failed`, e);
          void vscode.window.showErrorMessage(`FlopLens: ${id} failed: ${e instanceof Error ? e.message : String(e)}`);
          return undefined;
        }
      }));
    }
  }

  /** `floplens.openPanel` — optional `{ opIndex }` highlights an op. */
  private openPanel(arg: unknown): void {
    const opIndex = typeof arg === 'object' && arg !== null && Number.isInteger((arg as { opIndex?: unknown }).opIndex) ? (arg as { opIndex: number }).opIndex : undefined;
    this.panels.show(opIndex !== undefined && opIndex >= 0 ? opIndex : undefined);
  }

  /** `floplens.analyzeActiveFile` — analyse now and reveal the sidebar; resolves with the Analysis (tests use it). */
  private async analyzeActiveFile() {
    const target = this.services.tracker.activeTarget() ?? this.services.tracker.currentTarget();
    if (!target) {
      void vscode.window.showInformationMessage('FlopLens: open a Python script or a Jupyter notebook to analyse.');
      return undefined;
    }
    const entry = await vscode.window.withProgress({ location: { viewId: 'floplens.sidebar' } }, () => this.services.store.analyzeNow(target));
    await this.sidebar.reveal();
    return entry?.analysis;
  }

  /** `floplens.selectHardware` — multi-select QuickPick grouped by kind and tier; writes `floplens.hardware.compare`. */
  private async selectHardware(): Promise<string[] | undefined> {
    const current = this.services.config.current.hardware.compare;
    const all = this.services.hardware.all();
    const groups: [string, (p: HardwareProfile) => boolean][] = [
      ['This machine (measured)', (p) => p.id === THIS_MACHINE_ID],
      ['CPUs — laptop and desktop', (p) => p.kind === 'cpu' && (p.tier === 'laptop' || p.tier === 'desktop')],
      ['CPUs — server', (p) => p.kind === 'cpu' && p.tier === 'server'],
      ['GPUs — consumer and Apple', (p) => p.kind === 'gpu' && (p.tier === 'consumer-gpu' || p.tier === 'apple-gpu')],
      ['GPUs — datacenter', (p) => p.kind === 'gpu' && p.tier === 'datacenter-gpu'],
      ['Custom', () => true],
    ];
    type Item = vscode.QuickPickItem & { id?: string };
    const items: Item[] = [];
    const placed = new Set<string>();
    const currency = this.services.config.current.currency;
    const doc = vscode.window.activeTextEditor?.document;
    const inUse = (doc && this.services.store.entryFor(doc)?.analysis?.run.dtype) || 'fp32';
    for (const [label, test] of groups) {
      const members = all.filter((p) => !placed.has(p.id) && test(p));
      if (!members.length) continue;
      items.push({ label, kind: vscode.QuickPickItemKind.Separator });
      for (const p of members) {
        placed.add(p.id);
        // The peak for the dtype of the analysis in view (fp32 when none), labelled TOPS for integer dtypes.
        const dtype = p.peakFlops[inUse] ? inUse : 'fp32';
        const peak = p.peakFlops[dtype] ?? 0;
        items.push({
          id: p.id,
          label: p.name,
          description: [peak > 0 ? `${formatPeak(dtype, peak)} ${dtype}` : '', formatBytes(p.memoryBytes), p.price ? `${formatMoney(p.price.usdPerHour, currency)}/h` : ''].filter(Boolean).join(' · '),
          detail: p.id,
          picked: current.includes(p.id),
        });
      }
    }
    const picked = await vscode.window.showQuickPick(items, {
      canPickMany: true,
      title: 'FlopLens: hardware to compare',
      placeHolder: 'Pick the CPUs and GPUs to project onto',
      matchOnDetail: true,
      matchOnDescription: true,
    });
    if (!picked) return undefined;
    const ids = picked.map((i) => i.id).filter((x): x is string => !!x);
    if (!ids.length) {
      void vscode.window.showWarningMessage('FlopLens: pick at least one device; the selection was not changed.');
      return undefined;
    }
    const ordered = [...current.filter((id) => ids.includes(id)), ...ids.filter((id) => !current.includes(id))];
    await this.services.config.update('hardware.compare', ordered);
    return ordered;
  }

  /** `floplens.exportReport` — Markdown to a new untitled document or a file. */
  private async exportReport(): Promise<vscode.Uri | undefined> {
    const entry = this.services.views.currentEntry();
    if (!entry) {
      void vscode.window.showInformationMessage('FlopLens: nothing to export yet; open a Python script first.');
      return undefined;
    }
    const { code, perUsd } = this.services.config.current.currency;
    const markdown = renderMarkdown(entry.analysis, { currencyCode: code, perUsd });
    const choice = await vscode.window.showQuickPick(
      [{ label: '$(file) Open as a new Markdown document', id: 'untitled' }, { label: '$(save) Save to a file…', id: 'file' }],
      { title: 'FlopLens: export report' },
    );
    if (!choice) return undefined;
    if (choice.id === 'untitled') {
      const doc = await vscode.workspace.openTextDocument({ language: 'markdown', content: markdown });
      await vscode.window.showTextDocument(doc, { preview: false });
      return doc.uri;
    }
    const base = entry.uri.path.split('/').pop()?.replace(/\.(py|ipynb)$/, '') ?? 'report';
    const dir = vscode.workspace.getWorkspaceFolder(entry.uri)?.uri ?? vscode.Uri.joinPath(entry.uri, '..');
    const uri = await vscode.window.showSaveDialog({ defaultUri: vscode.Uri.joinPath(dir, `${base}.floplens.md`), filters: { Markdown: ['md'] } });
    if (!uri) return undefined;
    await vscode.workspace.fs.writeFile(uri, new TextEncoder().encode(markdown));
    void vscode.window.showInformationMessage(`FlopLens: report saved to ${vscode.workspace.asRelativePath(uri)}.`, 'Open').then((o) => {
      if (o) void vscode.window.showTextDocument(uri);
    });
    return uri;
  }

  /** `floplens.setAssumption(key?, value?, uri?)` — asks for whatever is missing. Resolves true when written. */
  private async setAssumption(keyArg: unknown, valueArg: unknown, uriArg: unknown): Promise<boolean> {
    const active = this.services.tracker.activeTarget();
    const r = assumptionDocument(uriArg, active ? targetKey(active) : undefined, () => {
      const t = this.services.tracker.currentTarget();
      return t ? targetKey(t) : undefined;
    });
    if ('refused' in r) {
      this.services.log.warn(`setAssumption refused: ${r.refused}`);
      void vscode.window.showWarningMessage(`FlopLens: ${r.refused}`);
      return false;
    }
    const uri = r.uri;
    if (!uri) {
      void vscode.window.showInformationMessage('FlopLens: open a Python script to set an assumption for.');
      return false;
    }
    const analysis = this.services.store.get(uri)?.analysis;
    let key: EditableKey | undefined = typeof keyArg === 'string' && isEditableKey(keyArg) ? keyArg : undefined;
    if (!key) {
      const picked = await vscode.window.showQuickPick(EDITABLE_KEYS.map((k) => {
        const found = analysis?.assumptions.find((x) => editableKeyFor(x.name) === k);
        return { label: EDITABLE[k].label, description: found ? `${found.value} (${found.source})` : '', detail: EDITABLE[k].help, key: k };
      }), { title: 'FlopLens: set an assumption' });
      key = picked?.key;
    }
    if (!key) return false;
    const spec = EDITABLE[key];
    let value = typeof valueArg === 'string' || typeof valueArg === 'number' ? String(valueArg) : undefined;
    if (value === undefined) {
      if (spec.kind === 'choice') {
        value = await vscode.window.showQuickPick([...(spec.choices ?? [])], { title: `FlopLens: ${spec.label}` });
      } else {
        const k = key;
        value = await vscode.window.showInputBox({
          title: `FlopLens: ${spec.label}`,
          prompt: `${spec.help}${spec.unit ? ` (${spec.unit})` : ''}`,
          validateInput: (v) => {
            const r = normalizeAssumptionValue(k, v);
            return 'error' in r ? r.error : undefined;
          },
        });
      }
    }
    if (value === undefined) return false;
    return this.services.assumptions.set(uri, key, value);
  }
}

/**
 * The document `floplens.setAssumption` may write into. Without a URI argument: the current document. With one
 * (from a link, a test or another extension): only the document in the active editor, the one the user is looking
 * at and editing, so that a link shown in one file (a hover, a setting-named device, a Markdown preview) can never
 * write a directive into another file.
 */
export function assumptionDocument(uriArg: unknown, activeKey: string | undefined, currentKey: () => string | undefined): { uri: string | undefined } | { refused: string } {
  if (uriArg === undefined || uriArg === null) return { uri: currentKey() };
  const asked = typeof uriArg === 'string' ? uriArg : uriArg instanceof vscode.Uri ? uriArg.toString() : undefined;
  if (asked === undefined) return { refused: 'the assumption was not set: the document argument is not a URI.' };
  if (activeKey === undefined || asked !== activeKey) {
    return { refused: 'the assumption was not set: a command may only write into the document in the active editor.' };
  }
  return { uri: asked };
}
