import * as vscode from 'vscode';
import { assertNever, type WebviewMessage } from '../../shared/protocol';
import { CommandId } from '../commandIds';
import { locTarget } from '../locations';
import type { Services } from '../services';

/**
 * Handles a validated message from the sidebar or the panel. Both views show the tracker's current document, so a
 * message about any other document is stale or forged: it is dropped, never written into or revealed.
 */
export async function handleWebviewMessage(services: Services, msg: Exclude<WebviewMessage, { type: 'ready' }>): Promise<void> {
  switch (msg.type) {
    case 'setAssumption':
      if (!isShown(services, msg.documentUri)) return;
      await services.assumptions.set(msg.documentUri, msg.key, msg.value);
      return;
    case 'revealOp':
      if (!isShown(services, msg.documentUri)) return;
      await revealOp(services, msg.documentUri, msg.version, msg.opIndex);
      return;
    case 'runCommand':
      await vscode.commands.executeCommand(CommandId[msg.command]);
      return;
    case 'webviewError':
      services.log.error(`webview: ${msg.message}`);
      return;
    default:
      assertNever(msg);
  }
}

function isShown(services: Services, documentUri: string): boolean {
  if (documentUri === services.tracker.current) return true;
  services.log.warn(`dropped a webview message about ${documentUri}, which the views do not show`);
  void vscode.window.setStatusBarMessage('FlopLens: the view changed documents since it was drawn; try again.', 3000);
  return false;
}

/**
 * Reveals op `opIndex` of the analysis of `documentUri`. Only locations in the analysed document itself
 * are revealed (never an arbitrary path from the webview), and only for the version the view showed.
 */
export async function revealOp(services: Services, documentUri: string, version: number, opIndex: number): Promise<boolean> {
  const entry = services.store.get(documentUri);
  if (!entry) return false;
  if (entry.version !== version) {
    void vscode.window.setStatusBarMessage('FlopLens: the script changed since this view was drawn; try again.', 3000);
    return false;
  }
  const op = entry.analysis.ops[opIndex];
  if (!op) return false;
  const where = locTarget(entry, op.loc && !op.loc.file ? op.loc : op.declLoc);
  if (!where) return false;
  if (entry.kind === 'notebook') {
    const nb = vscode.workspace.notebookDocuments.find((n) => n.uri.toString() === entry.key);
    const cellIndex = nb?.getCells().findIndex((c) => c.document.uri.toString() === where.uri.toString()) ?? -1;
    if (!nb || cellIndex < 0) return false;
    const editor = await vscode.window.showNotebookDocument(nb, { selections: [new vscode.NotebookRange(cellIndex, cellIndex + 1)], preserveFocus: false });
    editor.revealRange(new vscode.NotebookRange(cellIndex, cellIndex + 1), vscode.NotebookEditorRevealType.InCenterIfOutsideViewport);
    const cellEditor = vscode.window.visibleTextEditors.find((e) => e.document.uri.toString() === where.uri.toString());
    if (cellEditor) {
      cellEditor.selection = new vscode.Selection(where.range.start, where.range.end);
      cellEditor.revealRange(where.range, vscode.TextEditorRevealType.InCenterIfOutsideViewport);
    }
    return true;
  }
  const existing = vscode.window.visibleTextEditors.find((e) => e.document.uri.toString() === entry.key);
  await vscode.window.showTextDocument(where.uri, {
    selection: where.range,
    viewColumn: existing?.viewColumn ?? vscode.ViewColumn.One,
    preserveFocus: false,
  });
  return true;
}
