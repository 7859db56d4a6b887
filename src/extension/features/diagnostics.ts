import * as vscode from 'vscode';
import { directiveEdit } from '../../core/directives';
import { notebookOf, type AnalysisEntry } from '../analysisStore';
import { CommandId } from '../commandIds';
import { DisposableOwner } from '../disposable';
import { locToRange } from '../locations';
import type { Services } from '../services';
import { PYTHON_SELECTOR } from './editorContext';
import { DiagnosticCode, programDiagnostics, type ProgramDiagnostic } from './diagnosticRules';
import { fitAdvice } from './fitAdvice';

const SEVERITY: Record<ProgramDiagnostic['severity'], vscode.DiagnosticSeverity> = {
  error: vscode.DiagnosticSeverity.Error,
  warning: vscode.DiagnosticSeverity.Warning,
  info: vscode.DiagnosticSeverity.Information,
  hint: vscode.DiagnosticSeverity.Hint,
};

/** The `floplens` diagnostic collection, kept in step with the store while the setting is on. */
export class Diagnostics extends DisposableOwner {
  private readonly collection = this.register(vscode.languages.createDiagnosticCollection('floplens'));
  /** Document URIs (scripts and cells) each entry wrote to, to clear them. */
  private readonly written = new Map<string, string[]>();

  constructor(private readonly services: Services) {
    super();
    this.register(services.store.onDidChange((e) => {
      if (e.reason === 'removed') this.clear(e.key);
      else if (e.reason === 'updated') {
        const entry = services.store.get(e.key);
        if (entry) this.update(entry);
      }
    }));
    for (const entry of services.store.all()) this.update(entry);
    this.register(vscode.languages.registerCodeActionsProvider(PYTHON_SELECTOR, new FitQuickFixes(services), {
      providedCodeActionKinds: [vscode.CodeActionKind.QuickFix],
    }));
  }

  static register(services: Services): vscode.Disposable {
    return new Diagnostics(services);
  }

  private clear(key: string): void {
    for (const uri of this.written.get(key) ?? []) this.collection.delete(vscode.Uri.parse(uri));
    this.written.delete(key);
  }

  private update(entry: AnalysisEntry): void {
    this.clear(entry.key);
    const byDoc = new Map<string, { uri: vscode.Uri; diags: vscode.Diagnostic[] }>();
    const docs = entry.cells ? entry.cells.uris.map((u) => vscode.Uri.parse(u)) : [entry.uri];
    for (const d of programDiagnostics(entry.analysis)) {
      let target: { uri: vscode.Uri; range: vscode.Range } | undefined;
      for (const [i, uri] of docs.entries()) {
        const place = entry.cells ? { entry, cell: i } : { entry };
        const range = d.loc ? locToRange(place, d.loc) : i === 0 ? new vscode.Range(0, 0, 0, 0) : undefined;
        if (range) {
          target = { uri, range: new vscode.Range(range.start, range.start.line === range.end.line ? range.end : new vscode.Position(range.start.line, Number.MAX_SAFE_INTEGER)) };
          break;
        }
      }
      if (!target) continue;
      const diag = new vscode.Diagnostic(target.range, d.message, SEVERITY[d.severity]);
      diag.source = 'FlopLens';
      diag.code = d.code;
      const slot = byDoc.get(target.uri.toString()) ?? { uri: target.uri, diags: [] };
      slot.diags.push(diag);
      byDoc.set(target.uri.toString(), slot);
    }
    for (const { uri, diags } of byDoc.values()) this.collection.set(uri, diags);
    this.written.set(entry.key, [...byDoc.keys()]);
  }
}

/** Quick fixes for won't-fit (write the directive that makes it fit) and bad directives (remove the line). */
class FitQuickFixes implements vscode.CodeActionProvider {
  constructor(private readonly services: Services) {}

  provideCodeActions(doc: vscode.TextDocument, _range: vscode.Range, context: vscode.CodeActionContext): vscode.CodeAction[] {
    const ours = context.diagnostics.filter((d) => d.source === 'FlopLens');
    if (!ours.length) return [];
    const entry = this.services.store.entryFor(doc);
    if (!entry) return [];
    const actions: vscode.CodeAction[] = [];
    for (const diag of ours) {
      if (diag.code === DiagnosticCode.wontFit) {
        const target = directiveTarget(doc);
        for (const o of fitAdvice(entry.analysis).options) {
          if (!o.directive || !o.fits.length || !target) continue;
          const text = target.getText();
          const edit = directiveEdit(text, o.directive.key, o.directive.value);
          const action = new vscode.CodeAction(`Add "# floplens: ${o.directive.key}=${o.directive.value}" (fits ${o.fits.join(', ')})`, vscode.CodeActionKind.QuickFix);
          action.diagnostics = [diag];
          action.edit = new vscode.WorkspaceEdit();
          action.edit.replace(target.uri, new vscode.Range(target.positionAt(edit.from), target.positionAt(edit.to)), edit.insert);
          actions.push(action);
        }
        const pick = new vscode.CodeAction('Choose other hardware to compare…', vscode.CodeActionKind.QuickFix);
        pick.diagnostics = [diag];
        pick.command = { command: CommandId.selectHardware, title: 'Select hardware' };
        actions.push(pick);
      } else if (diag.code === 'directive') {
        const line = doc.lineAt(diag.range.start.line);
        if (!/^\s*#\s*floplens\s*:/i.test(line.text)) continue;
        const action = new vscode.CodeAction('Remove this # floplens: directive', vscode.CodeActionKind.QuickFix);
        action.diagnostics = [diag];
        action.edit = new vscode.WorkspaceEdit();
        action.edit.delete(doc.uri, line.rangeIncludingLineBreak);
        actions.push(action);
      }
    }
    if (actions.length) actions[0].isPreferred = true;
    return actions;
  }
}

/** Directives go into the script, or a notebook's first code cell. */
function directiveTarget(doc: vscode.TextDocument): vscode.TextDocument | undefined {
  const nb = notebookOf(doc);
  if (!nb) return doc;
  return nb.getCells().find((c) => c.kind === vscode.NotebookCellKind.Code)?.document;
}
