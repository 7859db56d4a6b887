import * as vscode from 'vscode';
import { directiveEdit } from '../core/directives';
import { EDITABLE, isEditableKey, normalizeAssumptionValue, type EditableKey } from '../shared/assumptions';
import { codeCells, isPythonScript, SOON, type AnalysisStore } from './analysisStore';
import type { ConfigService } from './config';
import type { Log } from './log';

/**
 * Writes an edited assumption where the user chose (`floplens.directives.writeTo`): a `# floplens: key=value`
 * directive in the script through a WorkspaceEdit (undoable, the document is left unsaved), or the
 * `floplens.overrides` setting.
 */
export class AssumptionWriter {
  constructor(
    private readonly store: AnalysisStore,
    private readonly config: ConfigService,
    private readonly log: Log,
  ) {}

  /** Sets `key` to `rawValue` for the document `documentUri`; returns false (and tells the user) on failure. */
  async set(documentUri: string, key: string, rawValue: string): Promise<boolean> {
    if (!isEditableKey(key)) return false;
    const normalized = normalizeAssumptionValue(key, rawValue);
    if ('error' in normalized) {
      void vscode.window.showWarningMessage(`FlopLens: ${normalized.error}`);
      return false;
    }
    const value = normalized.value;
    if (this.config.current.directives.writeTo === 'settings') {
      await this.config.update('overrides', { ...this.config.current.overrides, [key]: value });
      this.log.info(`set floplens.overrides.${key} = ${value}`);
      return true;
    }
    return this.writeDirective(documentUri, key, value);
  }

  private async writeDirective(documentUri: string, key: EditableKey, value: string): Promise<boolean> {
    const target = await this.directiveDocument(documentUri);
    if (!target) {
      void vscode.window.showWarningMessage(`FlopLens: cannot find the document to write "# floplens: ${key}=${value}" into.`);
      return false;
    }
    const { doc, notebook } = target;
    const text = doc.getText();
    const edit = directiveEdit(text, key, value);
    const we = new vscode.WorkspaceEdit();
    we.replace(doc.uri, new vscode.Range(doc.positionAt(edit.from), doc.positionAt(edit.to)), edit.insert);
    const ok = await vscode.workspace.applyEdit(we);
    if (!ok) {
      void vscode.window.showWarningMessage(`FlopLens: could not edit ${doc.uri.path.split('/').pop()} (is it read-only?).`);
      return false;
    }
    this.log.info(`wrote # floplens: ${key}=${value} (${EDITABLE[key].label}) into ${vscode.workspace.asRelativePath(doc.uri)}`);
    if (notebook) this.store.schedule({ kind: 'notebook', notebook }, SOON);
    else this.store.schedule({ kind: 'script', document: doc }, SOON);
    return true;
  }

  /** The script itself, or for a notebook its first Python code cell. */
  private async directiveDocument(documentUri: string): Promise<{ doc: vscode.TextDocument; notebook?: vscode.NotebookDocument } | undefined> {
    const nb = vscode.workspace.notebookDocuments.find((n) => n.uri.toString() === documentUri);
    if (nb) {
      const first = codeCells(nb)[0];
      return first ? { doc: first.document, notebook: nb } : undefined;
    }
    const open = vscode.workspace.textDocuments.find((d) => d.uri.toString() === documentUri);
    if (open) return isPythonScript(open) ? { doc: open } : undefined;
    try {
      const doc = await vscode.workspace.openTextDocument(vscode.Uri.parse(documentUri));
      return isPythonScript(doc) ? { doc } : undefined;
    } catch {
      return undefined;
    }
  }
}
