import * as vscode from 'vscode';
import type { Analysis } from '../../core/types';
import type { ViewKind, ViewState } from '../../shared/protocol';
import { targetKey, type AnalysisEntry, type AnalysisStore } from '../analysisStore';
import type { ConfigService } from '../config';
import { DisposableOwner } from '../disposable';
import type { DocumentTracker } from '../documentTracker';
import { servingInCurrency } from '../features/lookup';
import { deviceSummary, type HardwareService } from '../hardwareService';

/**
 * Builds the `ViewState` the sidebar and the panel render, for the current document, and fires one
 * coalesced event when anything they show may have changed.
 */
export class ViewStates extends DisposableOwner {
  private readonly changed = this.register(new vscode.EventEmitter<void>());
  /** Fires (at most once per tick) when the current document, its analysis, settings or hardware change. */
  readonly onDidChange = this.changed.event;
  private queued = false;

  constructor(
    private readonly store: AnalysisStore,
    private readonly tracker: DocumentTracker,
    private readonly config: ConfigService,
    private readonly hardware: HardwareService,
  ) {
    super();
    this.register(store.onDidChange((e) => {
      if (e.key === tracker.current) this.fire();
    }));
    this.register(tracker.onDidChangeCurrent(() => this.fire()));
    this.register(config.onDidChange(() => this.fire()));
    this.register(hardware.onDidChange(() => this.fire()));
  }

  private fire(): void {
    if (this.queued) return;
    this.queued = true;
    queueMicrotask(() => {
      this.queued = false;
      if (!this.isDisposed) this.changed.fire();
    });
  }

  /** The entry of the current document, if analysed. */
  currentEntry(): AnalysisEntry | undefined {
    const key = this.tracker.current;
    return key ? this.store.get(key) : undefined;
  }

  build(view: ViewKind): ViewState {
    const cfg = this.config.current;
    const settings = { currency: { ...cfg.currency }, writeTo: cfg.directives.writeTo, compareIds: [...cfg.hardware.compare] };
    const target = this.tracker.currentTarget();
    if (!target) return { status: 'empty', stale: false, devices: [], settings };
    const key = targetKey(target);
    const version = target.kind === 'script' ? target.document.version : target.notebook.version;
    const uri = target.kind === 'script' ? target.document.uri : target.notebook.uri;
    const document = { uri: key, label: label(uri), version, kind: target.kind === 'script' ? 'script' as const : 'notebook' as const };
    const entry = this.store.get(key);
    if (!entry) return { status: 'analyzing', document, stale: false, devices: [], settings };
    document.version = entry.version;
    const ids = new Set(entry.analysis.projections.map((p) => p.hardwareId));
    const devices = this.hardware.all().filter((p) => ids.has(p.id)).map(deviceSummary);
    // The sidebar shows no per-op figures: it gets neither the ops nor their per-op times (a smaller message).
    const shown: Analysis = entry.analysis.serving ? { ...entry.analysis, serving: servingInCurrency(entry.analysis.serving, cfg.currency) } : entry.analysis;
    const analysis: Analysis = view === 'sidebar'
      ? { ...shown, ops: [], projections: shown.projections.map((p) => ({ ...p, opSeconds: [] })) }
      : shown;
    const state: ViewState = {
      status: 'ready',
      document,
      analysis,
      stale: this.store.isPending(key) || entry.version !== version,
      devices,
      settings,
    };
    return state;
  }
}

function label(uri: vscode.Uri): string {
  const base = uri.path.split('/').pop() || uri.toString();
  return uri.scheme === 'untitled' ? `${base} (unsaved)` : base;
}
