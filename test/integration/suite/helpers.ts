// Helpers for the integration tests that run inside the real VS Code extension host.
import * as assert from 'assert';
import * as path from 'path';
import * as vscode from 'vscode';

export const EXTENSION_ID = 'floplens.floplens';
export const FIXTURE_SCRIPT = 'train_cifar.py';

/** Polls `check` until it returns a truthy value (never a fixed sleep); fails with `what` after `timeoutMs`. */
export async function waitFor<T>(what: string, check: () => T | undefined | Promise<T | undefined>, timeoutMs = 30_000, intervalMs = 100): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await check();
    if (value) return value;
    if (Date.now() > deadline) assert.fail(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((r) => setTimeout(r, intervalMs));
  }
}

/** The fixture workspace (test/integration/workspace), opened as the window's folder by the runner. */
export function fixtureUri(name = FIXTURE_SCRIPT): vscode.Uri {
  const folder = vscode.workspace.workspaceFolders?.[0];
  if (folder) return vscode.Uri.joinPath(folder.uri, name);
  // dist-test/suite → test/integration/workspace
  return vscode.Uri.file(path.resolve(__dirname, '../../test/integration/workspace', name));
}

export async function openFixture(name = FIXTURE_SCRIPT): Promise<vscode.TextEditor> {
  const doc = await vscode.workspace.openTextDocument(fixtureUri(name));
  return vscode.window.showTextDocument(doc, { preview: false });
}

/** The position of the first `needle` in the document, moved `offset` characters into it. */
export function positionOf(doc: vscode.TextDocument, needle: string, offset = 0): vscode.Position {
  const index = doc.getText().indexOf(needle);
  assert.ok(index >= 0, `${needle} not found in ${doc.uri.fsPath}`);
  return doc.positionAt(index + offset);
}

/** Every hover's text at `position`, joined (markdown and plain strings alike). */
export async function hoverText(uri: vscode.Uri, position: vscode.Position): Promise<string> {
  const hovers = (await vscode.commands.executeCommand<vscode.Hover[]>('vscode.executeHoverProvider', uri, position)) ?? [];
  return hovers
    .flatMap((h) => h.contents)
    .map((c) => (typeof c === 'string' ? c : c.value))
    .join('\n');
}

export async function activatedExtension(): Promise<vscode.Extension<unknown>> {
  const ext = vscode.extensions.getExtension(EXTENSION_ID);
  assert.ok(ext, `${EXTENSION_ID} is not installed in this VS Code`);
  return waitFor(`${EXTENSION_ID} to activate`, () => (ext.isActive ? ext : undefined), 60_000);
}
