import * as vscode from 'vscode';
import { randomBytes } from 'crypto';

/** What a FlopLens webview loads: one script bundle from dist/webview and stylesheets from media. */
export interface WebviewPage {
  title: string;
  /** Bundle name under `dist/webview/`, e.g. `main.js`. */
  script: string;
  /** Stylesheets under `media/`. */
  styles: string[];
  /** Which view the bundle should render (read from `data-view` on <body>). */
  view: string;
  /** Allow WebAssembly compilation (gpu.js fallback); never `unsafe-eval`. */
  wasm?: boolean;
  /**
   * Allow Web Workers created from `blob:` URLs (`worker-src blob:`), for multi-threaded CPU work.
   * Workers must be same-origin and webview resources are not, so a worker script is turned into a blob.
   */
  workers?: boolean;
}

/** The local resource roots every FlopLens webview is limited to. */
export function webviewRoots(extensionUri: vscode.Uri): vscode.Uri[] {
  return [vscode.Uri.joinPath(extensionUri, 'dist', 'webview'), vscode.Uri.joinPath(extensionUri, 'media')];
}

/**
 * The single HTML renderer for every FlopLens webview: strict CSP with a fresh nonce, no inline script
 * or style, no eval. Source-derived text never passes through here; it is posted as data and rendered
 * with textContent by the bundle.
 */
export function renderWebviewHtml(webview: vscode.Webview, extensionUri: vscode.Uri, page: WebviewPage): string {
  const nonce = randomBytes(18).toString('base64');
  const scriptUri = webview.asWebviewUri(vscode.Uri.joinPath(extensionUri, 'dist', 'webview', page.script));
  const styleLinks = page.styles
    .map((s) => `<link rel="stylesheet" href="${webview.asWebviewUri(vscode.Uri.joinPath(extensionUri, 'media', s))}">`)
    .join('\n    ');
  const csp = [
    "default-src 'none'",
    `img-src ${webview.cspSource} data:`,
    `font-src ${webview.cspSource}`,
    `style-src ${webview.cspSource}`,
    `script-src 'nonce-${nonce}'${page.wasm ? " 'wasm-unsafe-eval'" : ''}`,
    ...(page.workers ? ['worker-src blob:'] : []),
  ].join('; ');
  return `<!DOCTYPE html>
<html lang="en">
  <head>
    <meta charset="UTF-8">
    <meta http-equiv="Content-Security-Policy" content="${csp}">
    <meta name="viewport" content="width=device-width, initial-scale=1.0">
    ${styleLinks}
    <title>${escapeHtml(page.title)}</title>
  </head>
  <body data-view="${escapeHtml(page.view)}">
    <main id="root" aria-live="polite"></main>
    <script nonce="${nonce}" src="${scriptUri}"></script>
  </body>
</html>`;
}

function escapeHtml(s: string): string {
  return s.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}
