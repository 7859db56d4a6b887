import * as vscode from 'vscode';
import { DisposableBag, DisposableOwner, DisposableSlot } from '../disposable';
import type { Services } from '../services';
import { renderWebviewHtml, webviewRoots } from './html';
import { WebviewBridge } from './webviewBridge';
import { handleWebviewMessage } from './webviewMessages';

export const SIDEBAR_VIEW_ID = 'floplens.sidebar';

/**
 * The `floplens.sidebar` webview view. Renders the current document's analysis; re-pushes state when the
 * view becomes visible or reloads (`ready`), and on every view-state change while visible.
 */
export class SidebarView extends DisposableOwner implements vscode.WebviewViewProvider {
  private view: vscode.WebviewView | undefined;
  private bridge: WebviewBridge | undefined;
  private readonly viewDisposables = this.register(new DisposableSlot());

  constructor(private readonly services: Services) {
    super();
    this.register(vscode.window.registerWebviewViewProvider(SIDEBAR_VIEW_ID, this));
    this.register(services.views.onDidChange(() => this.push()));
  }

  get isVisible(): boolean {
    return this.view?.visible ?? false;
  }

  resolveWebviewView(view: vscode.WebviewView): void {
    const { extensionUri } = this.services.context;
    this.view = view;
    view.webview.options = { enableScripts: true, localResourceRoots: webviewRoots(extensionUri) };
    const owner = new DisposableBag();
    const bridge = owner.add(new WebviewBridge(view.webview, 'sidebar', (msg) => {
      void handleWebviewMessage(this.services, msg).catch((e: unknown) => this.services.log.error('sidebar message failed', e));
    }, this.services.log, () => this.push(true)));
    this.bridge = bridge;
    owner.add(view.onDidChangeVisibility(() => {
      if (view.visible) this.push(true);
      else bridge.reset();
    }));
    owner.add(view.onDidDispose(() => {
      if (this.view === view) {
        this.view = undefined;
        this.bridge = undefined;
      }
      this.viewDisposables.set(undefined);
    }));
    this.viewDisposables.set(owner);
    view.webview.html = renderWebviewHtml(view.webview, extensionUri, { title: 'FlopLens', script: 'main.js', styles: ['webview.css'], view: 'sidebar' });
  }

  /** Reveals the sidebar (the container and the view). */
  async reveal(): Promise<void> {
    if (this.view) this.view.show(true);
    else await vscode.commands.executeCommand(`${SIDEBAR_VIEW_ID}.focus`);
  }

  private push(force = false): void {
    if (!this.view || !this.bridge || (!this.view.visible && !force)) return;
    this.bridge.post({ type: 'state', state: this.services.views.build('sidebar') });
  }
}
