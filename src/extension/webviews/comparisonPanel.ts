import * as vscode from 'vscode';
import { DisposableBag, DisposableOwner, DisposableSlot } from '../disposable';
import type { Services } from '../services';
import { renderWebviewHtml, webviewRoots } from './html';
import { WebviewBridge } from './webviewBridge';
import { handleWebviewMessage } from './webviewMessages';

/** viewType of the comparison panel (also its serializer's and the `onWebviewPanel:` activation event's). */
export const PANEL_VIEW_TYPE = 'floplens.panel';

/**
 * The comparison panel: one at a time, opened only by a command (never by itself), restored after reload
 * by a serializer rather than kept alive with `retainContextWhenHidden`.
 */
export class ComparisonPanels extends DisposableOwner {
  private panel: vscode.WebviewPanel | undefined;
  private bridge: WebviewBridge | undefined;
  private readonly panelDisposables = this.register(new DisposableSlot());

  constructor(private readonly services: Services) {
    super();
    this.register(vscode.window.registerWebviewPanelSerializer(PANEL_VIEW_TYPE, {
      deserializeWebviewPanel: async (panel: vscode.WebviewPanel) => {
        this.adopt(panel);
      },
    }));
    this.register(services.views.onDidChange(() => this.push()));
  }

  get isOpen(): boolean {
    return this.panel !== undefined;
  }

  /** Opens the panel beside the editor (or reveals it); optionally highlights op `opIndex`. */
  show(opIndex?: number): void {
    if (this.panel) {
      this.panel.reveal(undefined, true);
    } else {
      const column = vscode.window.activeTextEditor ? vscode.ViewColumn.Beside : vscode.ViewColumn.Active;
      this.adopt(vscode.window.createWebviewPanel(PANEL_VIEW_TYPE, 'FlopLens', { viewColumn: column, preserveFocus: true }, {
        enableScripts: true,
        enableFindWidget: true,
        localResourceRoots: webviewRoots(this.services.context.extensionUri),
      }));
    }
    this.push(true);
    if (opIndex !== undefined) this.bridge?.post({ type: 'focusOp', opIndex });
  }

  private adopt(panel: vscode.WebviewPanel): void {
    const { extensionUri } = this.services.context;
    this.panel = panel;
    panel.iconPath = vscode.Uri.joinPath(extensionUri, 'media', 'floplens.svg');
    panel.webview.options = { enableScripts: true, localResourceRoots: webviewRoots(extensionUri) };
    const owner = new DisposableBag();
    const bridge = owner.add(new WebviewBridge(panel.webview, 'panel', (msg) => {
      void handleWebviewMessage(this.services, msg).catch((e: unknown) => this.services.log.error('panel message failed', e));
    }, this.services.log, () => this.push(true)));
    this.bridge = bridge;
    owner.add(panel.onDidChangeViewState(() => {
      if (panel.visible) this.push(true);
    }));
    owner.add(panel.onDidDispose(() => {
      if (this.panel === panel) {
        this.panel = undefined;
        this.bridge = undefined;
      }
      this.panelDisposables.set(undefined);
    }));
    this.panelDisposables.set(owner);
    this.register({ dispose: () => this.panel === panel && panel.dispose() });
    panel.webview.html = renderWebviewHtml(panel.webview, extensionUri, { title: 'FlopLens', script: 'main.js', styles: ['webview.css'], view: 'panel' });
  }

  private push(force = false): void {
    if (!this.panel || !this.bridge || (!this.panel.visible && !force)) return;
    const state = this.services.views.build('panel');
    this.panel.title = state.document ? `FlopLens: ${state.document.label}` : 'FlopLens';
    this.bridge.post({ type: 'state', state });
  }
}
