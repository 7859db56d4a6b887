import * as vscode from 'vscode';
import {
  codeCells, isJupyter, isPythonScript, notebookOf, SOON, targetKey, type AnalysisStore, type AnalysisTarget,
} from './analysisStore';
import { DisposableOwner } from './disposable';

/**
 * Decides what gets analysed and which document the views show. Visible Python editors and Jupyter
 * notebooks are analysed; edits re-analyse after the debounce; closing forgets. The "current" document
 * is the active editor's when it is Python, else the last current one that is still open, so focusing
 * the sidebar or the panel does not blank them.
 */
export class DocumentTracker extends DisposableOwner {
  private currentKey: string | undefined;
  private readonly currentChanged = this.register(new vscode.EventEmitter<string | undefined>());
  /** Fires when the document the views show changes. */
  readonly onDidChangeCurrent = this.currentChanged.event;

  constructor(private readonly store: AnalysisStore) {
    super();
    this.register(vscode.window.onDidChangeActiveTextEditor(() => this.syncVisible()));
    this.register(vscode.window.onDidChangeActiveNotebookEditor(() => this.syncVisible()));
    this.register(vscode.window.onDidChangeVisibleTextEditors(() => this.syncVisible()));
    this.register(vscode.window.onDidChangeVisibleNotebookEditors(() => this.syncVisible()));
    this.register(vscode.workspace.onDidOpenTextDocument((doc) => {
      if (doc.languageId === 'python' && isVisible(doc)) this.syncVisible();
    }));
    this.register(vscode.workspace.onDidChangeTextDocument((e) => {
      if (e.contentChanges.length === 0) return;
      const doc = e.document;
      const nb = doc.uri.scheme === 'vscode-notebook-cell' ? notebookOf(doc) : undefined;
      if (nb) {
        if (this.store.isTracked(nb.uri.toString())) this.store.schedule({ kind: 'notebook', notebook: nb });
      } else if (this.store.isTracked(doc.uri.toString())) {
        if (isPythonScript(doc)) this.store.schedule({ kind: 'script', document: doc });
        else this.store.forget(doc.uri.toString());
      }
      if (!nb) this.store.dependencyChanged(doc.uri);
    }));
    this.register(vscode.workspace.onDidChangeNotebookDocument((e) => {
      // Cells added or removed, or a cell's outputs changed (it ran): its saved outputs are evidence (savedOutputs.ts).
      if (this.store.isTracked(e.notebook.uri.toString()) && (e.contentChanges.length > 0 || e.cellChanges.some((c) => c.outputs !== undefined))) {
        this.store.schedule({ kind: 'notebook', notebook: e.notebook });
      }
    }));
    this.register(vscode.workspace.onDidSaveTextDocument((doc) => this.store.dependencyChanged(doc.uri)));
    this.register(vscode.workspace.onDidCloseTextDocument((doc) => this.closed(doc.uri.toString())));
    this.register(vscode.workspace.onDidCloseNotebookDocument((nb) => this.closed(nb.uri.toString())));
    // Python files changed outside the editor (git checkout, generators) may be imported modules; YAML/JSON files the
    // config files a script reads (src/core/configFiles.ts).
    const watcher = this.register(vscode.workspace.createFileSystemWatcher('**/*.{py,yaml,yml,json}', true, false, true));
    this.register(watcher.onDidChange((uri) => this.store.dependencyChanged(uri)));
    this.syncVisible();
  }

  /** Key (`uri.toString()`) of the document the views show, if any. */
  get current(): string | undefined {
    return this.currentKey;
  }

  /** The target for the active editor, if it is a Python script, a cell of a notebook, or a notebook. */
  activeTarget(): AnalysisTarget | undefined {
    const nbEditor = vscode.window.activeNotebookEditor;
    const editor = vscode.window.activeTextEditor;
    if (editor) {
      if (isPythonScript(editor.document)) return { kind: 'script', document: editor.document };
      const nb = notebookOf(editor.document);
      if (nb && isJupyter(nb)) return { kind: 'notebook', notebook: nb };
    }
    if (nbEditor && isJupyter(nbEditor.notebook)) return { kind: 'notebook', notebook: nbEditor.notebook };
    return undefined;
  }

  /** The current document's target (the active one, else the last current one still open). */
  currentTarget(): AnalysisTarget | undefined {
    return this.activeTarget() ?? (this.currentKey ? this.findOpen(this.currentKey) : undefined);
  }

  private syncVisible(): void {
    for (const editor of vscode.window.visibleTextEditors) {
      const doc = editor.document;
      if (isPythonScript(doc) && !this.store.isTracked(doc.uri.toString())) this.store.schedule({ kind: 'script', document: doc }, SOON);
    }
    for (const editor of vscode.window.visibleNotebookEditors) {
      const nb = editor.notebook;
      if (isJupyter(nb) && !this.store.isTracked(nb.uri.toString()) && codeCells(nb).length) this.store.schedule({ kind: 'notebook', notebook: nb }, SOON);
    }
    const active = this.activeTarget();
    if (active) {
      const key = targetKey(active);
      if (!this.store.isTracked(key)) this.store.schedule(active, SOON);
      this.setCurrent(key);
    } else if (this.currentKey && !this.findOpen(this.currentKey)) {
      this.setCurrent(undefined);
    }
  }

  private closed(key: string): void {
    if (!this.store.isTracked(key)) return;
    this.store.forget(key);
    if (this.currentKey === key) this.setCurrent(this.activeTarget() ? targetKey(this.activeTarget()!) : undefined);
  }

  private setCurrent(key: string | undefined): void {
    if (key === this.currentKey) return;
    this.currentKey = key;
    void vscode.commands.executeCommand('setContext', 'floplens.hasAnalysis', key !== undefined);
    this.currentChanged.fire(key);
  }

  private findOpen(key: string): AnalysisTarget | undefined {
    const doc = vscode.workspace.textDocuments.find((d) => d.uri.toString() === key && !d.isClosed);
    if (doc && isPythonScript(doc)) return { kind: 'script', document: doc };
    const nb = vscode.workspace.notebookDocuments.find((n) => n.uri.toString() === key && !n.isClosed);
    return nb ? { kind: 'notebook', notebook: nb } : undefined;
  }
}

function isVisible(doc: vscode.TextDocument): boolean {
  return vscode.window.visibleTextEditors.some((e) => e.document === doc);
}
