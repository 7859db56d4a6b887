import * as vscode from 'vscode';
import { parseWebviewMessage, type HostMessage, type ViewKind, type WebviewMessage } from '../../shared/protocol';
import { DisposableOwner } from '../disposable';
import type { Log } from '../log';

/**
 * One webview's end of the protocol: validates inbound messages (dropping anything that is not ours),
 * holds outbound state until the webview's script says `ready`, and keeps only the newest pending state.
 */
export class WebviewBridge extends DisposableOwner {
  private ready = false;
  private pending: HostMessage[] = [];

  constructor(
    private readonly webview: vscode.Webview,
    private readonly view: ViewKind,
    onMessage: (msg: Exclude<WebviewMessage, { type: 'ready' }>) => void,
    private readonly log: Log,
    private readonly onReady: () => void,
  ) {
    super();
    this.register(webview.onDidReceiveMessage((data: unknown) => {
      const msg = parseWebviewMessage(data);
      if (!msg) {
        this.log.warn(`${view}: dropped a malformed message`);
        return;
      }
      if (msg.type === 'ready') {
        this.ready = true;
        const queued = this.pending;
        this.pending = [];
        for (const m of queued) void this.webview.postMessage(m);
        this.onReady();
        return;
      }
      onMessage(msg);
    }));
  }

  get isReady(): boolean {
    return this.ready;
  }

  /** The webview's content is going away (hidden without retained context); wait for a new `ready`. */
  reset(): void {
    this.ready = false;
    this.pending = [];
  }

  post(msg: HostMessage): void {
    if (this.isDisposed) return;
    if (this.ready) {
      void this.webview.postMessage(msg).then(undefined, (e: unknown) => this.log.debug(`${this.view}: post failed: ${String(e)}`));
      return;
    }
    // Only the newest state matters; focus requests wait behind it.
    if (msg.type === 'state') this.pending = this.pending.filter((m) => m.type !== 'state');
    this.pending.push(msg);
  }
}
