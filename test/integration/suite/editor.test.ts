// The editor experience in a real VS Code: CodeLens, hover, won't-fit diagnostics, live re-analysis on
// edit and on settings change, assumption edits that write a directive, the comparison panel.
import * as assert from 'assert';
import * as vscode from 'vscode';
import type { FlopLensApi } from '../../../src/extension/extension';
import type { AnalysisEntry } from '../../../src/extension/analysisStore';
import { EXTENSION_ID, fixtureUri, hoverText, openFixture, positionOf, waitFor } from './helpers';

const BIG_SCRIPT = 'big_mlp.py';
const NOTEBOOK = 'mlp_notebook.ipynb';

async function api(): Promise<FlopLensApi> {
  const ext = vscode.extensions.getExtension<FlopLensApi>(EXTENSION_ID);
  assert.ok(ext, `${EXTENSION_ID} is not installed`);
  // Activate explicitly: a test may start before any Python document has triggered onLanguage:python.
  const exports = ext.isActive ? ext.exports : await ext.activate();
  assert.ok(exports?.services, 'activate() did not return the services');
  return exports;
}

/** Resolves with the store entry for `doc` once it is at least at the document's current version. */
async function analysed(doc: vscode.TextDocument, timeoutMs = 30_000): Promise<AnalysisEntry> {
  const { services } = await api();
  const entry = await services.store.whenAnalyzed(doc.uri.toString(), doc.version, timeoutMs);
  assert.ok(entry, `no analysis of ${doc.uri.toString()} v${doc.version} within ${timeoutMs} ms`);
  return entry;
}

/** An unsaved copy of a fixture, so edits never touch the workspace files. */
async function scratchCopy(name: string): Promise<vscode.TextEditor> {
  const text = new TextDecoder().decode(await vscode.workspace.fs.readFile(fixtureUri(name)));
  const doc = await vscode.workspace.openTextDocument({ language: 'python', content: text });
  return vscode.window.showTextDocument(doc, { preview: false });
}

/** Reverts and closes an unsaved scratch copy (closing a dirty editor would ask to save). */
async function closeScratch(editor: vscode.TextEditor): Promise<void> {
  await vscode.window.showTextDocument(editor.document);
  await vscode.commands.executeCommand('workbench.action.revertAndCloseActiveEditor');
}

suite('FlopLens editor experience', () => {
  test('CodeLens above the model class: params, FLOPs per step, GPU and CPU step time', async () => {
    const editor = await openFixture();
    await analysed(editor.document);
    const classLine = positionOf(editor.document, 'class SmallCNN').line;
    const lenses = await waitFor('a FlopLens CodeLens on class SmallCNN', async () => {
      const all = (await vscode.commands.executeCommand<vscode.CodeLens[]>('vscode.executeCodeLensProvider', editor.document.uri, 100)) ?? [];
      const mine = all.filter((l) => l.range.start.line === classLine && l.command?.command === 'floplens.openPanel');
      return mine.length ? mine : undefined;
    }, 20_000, 200);
    const title = lenses[0].command!.title;
    console.log(`  CodeLens: ${title}`);
    assert.match(title, /^1\.07M params · [\d.]+ GFLOP\/step · .+ [\d.]+ (µs|ms|s)\/step · .+ [\d.]+ (µs|ms|s)\/step$/);
  });

  test('hover on an nn.Linear constructor: params, FLOPs and MACs, bytes, intensity, bound, panel link', async () => {
    const editor = await openFixture();
    await analysed(editor.document);
    const position = positionOf(editor.document, 'nn.Linear(64 * 8 * 8, 256)', 4);
    const t0 = Date.now();
    const text = await hoverText(editor.document.uri, position);
    const latency = Date.now() - t0;
    console.log(`  hover latency (analysis ready): ${latency} ms`);
    assert.match(text, /`nn\.Linear`/);
    assert.match(text, /1\.05M params/);
    assert.match(text, /MFLOP forward\/step \([\d.]+ MMAC\)/);
    assert.match(text, /moved\/step · [\d.]+ FLOP\/B · (compute|memory|overhead)-bound on /);
    assert.match(text, /\(command:floplens\.openPanel\?/);
    const none = await hoverText(editor.document.uri, positionOf(editor.document, 'import torch\n', 2));
    assert.doesNotMatch(none, /FlopLens/, 'no FlopLens hover on an import line');
  });

  test('a model that cannot fit a 24 GiB GPU gets a won\'t-fit warning with what would fit', async () => {
    const editor = await openFixture(BIG_SCRIPT);
    await analysed(editor.document);
    const diag = await waitFor('a FlopLens won\'t-fit diagnostic', () =>
      vscode.languages.getDiagnostics(editor.document.uri).find((d) => d.source === 'FlopLens' && d.code === 'wont-fit'), 20_000, 100);
    console.log(`  diagnostic: ${diag.message}`);
    assert.strictEqual(diag.severity, vscode.DiagnosticSeverity.Warning);
    assert.match(diag.message, /RTX 4090 \([\d.]+ GiB usable of 24 GiB\)/);
    assert.match(diag.message, /Would fit with: /);
    assert.strictEqual(diag.range.start.line, positionOf(editor.document, 'class WideMLP').line);
    const actions = (await vscode.commands.executeCommand<vscode.CodeAction[]>('vscode.executeCodeActionProvider', editor.document.uri, diag.range, vscode.CodeActionKind.QuickFix.value)) ?? [];
    assert.ok(actions.some((a) => a.title === 'Choose other hardware to compare…'), `quick fixes: ${actions.map((a) => a.title).join(', ')}`);
  });

  test('editing the script re-analyses it (one store event, new numbers)', async () => {
    const { services } = await api();
    const editor = await scratchCopy('train_cifar.py');
    const before = await analysed(editor.document);
    assert.strictEqual(before.analysis.run.batch, 128);
    const key = editor.document.uri.toString();
    const updated = new Promise<number>((resolve) => {
      const sub = services.store.onDidChange((e) => {
        const entry = services.store.get(key);
        if (e.key === key && e.reason === 'updated' && entry && entry.version === editor.document.version) {
          sub.dispose();
          resolve(Date.now());
        }
      });
    });
    let changedAt = 0;
    const changeSub = vscode.workspace.onDidChangeTextDocument((e) => {
      if (e.document === editor.document && !changedAt) changedAt = Date.now();
    });
    const t0 = Date.now();
    const ok = await editor.edit((b) => {
      const start = positionOf(editor.document, 'BATCH_SIZE = 128', 'BATCH_SIZE = '.length);
      b.replace(new vscode.Range(start, start.translate(0, 3)), '64');
    });
    assert.ok(ok, 'edit applied');
    const t1 = await updated;
    changeSub.dispose();
    const after = services.store.get(key)!;
    console.log(`  edit → store update: ${t1 - t0} ms; document change event → store update: ${t1 - changedAt} ms (debounce 250 ms; analysis ${after.totalMs.toFixed(0)} ms, of which core ${after.analysis.elapsedMs.toFixed(0)} ms)`);
    assert.strictEqual(after.analysis.run.batch, 64);
    assert.ok(after.analysis.step.forwardFlops < before.analysis.step.forwardFlops, 'half the batch, fewer FLOPs per step');
    await closeScratch(editor);
  });

  test('an assumption edit (the sidebar\'s setAssumption) writes a # floplens: directive', async () => {
    const editor = await scratchCopy('train_cifar.py');
    await analysed(editor.document);
    const written = await vscode.commands.executeCommand<boolean>('floplens.setAssumption', 'batch', '48', editor.document.uri.toString());
    assert.strictEqual(written, true);
    assert.match(editor.document.getText(), /^# floplens: batch=48$/m);
    const entry = await waitFor('the directive to be analysed', async () => {
      const e = await analysed(editor.document);
      return e.analysis.run.batch === 48 ? e : undefined;
    }, 20_000, 100);
    assert.strictEqual(entry.analysis.assumptions.find((a) => a.name === 'batch')?.source, 'directive');
    // A second edit of the same key updates the line instead of adding another.
    await vscode.commands.executeCommand('floplens.setAssumption', 'batch', '96', editor.document.uri.toString());
    assert.strictEqual(editor.document.getText().match(/# floplens:/g)?.length, 1);
    assert.match(editor.document.getText(), /^# floplens: batch=96$/m);
    await closeScratch(editor);
  });

  test('changing the compared hardware re-projects open scripts', async () => {
    const { services } = await api();
    const editor = await openFixture();
    await analysed(editor.document);
    const config = vscode.workspace.getConfiguration('floplens');
    const key = editor.document.uri.toString();
    try {
      await config.update('hardware.compare', ['t4', 'h100-sxm'], vscode.ConfigurationTarget.Global);
      await waitFor('projections for t4 and h100-sxm only', () => {
        const ids = services.store.get(key)?.analysis.projections.map((p) => p.hardwareId).join(',');
        return ids === 't4,h100-sxm' ? ids : undefined;
      }, 20_000, 100);
    } finally {
      await config.update('hardware.compare', undefined, vscode.ConfigurationTarget.Global);
    }
  });

  test('a Jupyter notebook is analysed as one program, with surfaces in the right cells', async () => {
    const { services } = await api();
    const nb = await vscode.workspace.openNotebookDocument(fixtureUri(NOTEBOOK));
    await vscode.window.showNotebookDocument(nb);
    const entry = await services.store.whenAnalyzed(nb.uri.toString(), nb.version, 30_000);
    assert.ok(entry, 'the notebook was analysed');
    assert.strictEqual(entry.kind, 'notebook');
    assert.strictEqual(entry.analysis.model.name, 'MLP');
    assert.strictEqual(entry.analysis.run.steps, 500);
    const classCell = nb.getCells().find((c) => c.document.getText().includes('class MLP'))!;
    const doc = classCell.document;
    const text = await hoverText(doc.uri, positionOf(doc, 'nn.Linear(784, 512)', 4));
    assert.match(text, /`nn\.Linear`/);
    assert.match(text, /402k params/);
    const lenses = (await vscode.commands.executeCommand<vscode.CodeLens[]>('vscode.executeCodeLensProvider', doc.uri, 100)) ?? [];
    const classLens = lenses.find((l) => l.range.start.line === positionOf(doc, 'class MLP').line && l.command?.command === 'floplens.openPanel');
    assert.ok(classLens, `a CodeLens on the class line of its cell; got ${lenses.map((l) => `${l.range.start.line}:${l.command?.title}`).join(' | ')}`);
    assert.match(classLens.command!.title, /^407k params · /);
    await vscode.commands.executeCommand('workbench.action.closeActiveEditor');
  });

  test('local modules the script imports are read from the workspace, and editing one re-analyses the script', async () => {
    const { services } = await api();
    const script = await openFixture('train_imported.py');
    const entry = await analysed(script.document);
    assert.strictEqual(entry.analysis.model.name, 'TinyNet');
    assert.strictEqual(entry.analysis.model.params, 512 * 1024 + 1024 + 1024 * 10 + 10);
    const moduleUri = fixtureUri('tiny_models.py').toString();
    assert.deepStrictEqual(entry.dependencies, [moduleUri]);
    const module = await openFixture('tiny_models.py');
    try {
      await module.edit((b) => {
        const at = positionOf(module.document, 'HIDDEN = 1024', 'HIDDEN = '.length);
        b.replace(new vscode.Range(at, at.translate(0, 4)), '2048');
      });
      // The unsaved edit counts: the importer is re-analysed from the editor's text.
      await waitFor('the importing script to be re-analysed with HIDDEN = 2048', () => {
        const params = services.store.get(script.document.uri)?.analysis.model.params;
        return params === 512 * 2048 + 2048 + 2048 * 10 + 10 ? params : undefined;
      }, 20_000, 100);
    } finally {
      await vscode.window.showTextDocument(module.document);
      await vscode.commands.executeCommand('workbench.action.revertAndCloseActiveEditor');
    }
  });

  test('turning a feature setting off unregisters its provider, and on again restores it', async () => {
    const editor = await openFixture();
    await analysed(editor.document);
    const ours = async () => ((await vscode.commands.executeCommand<vscode.CodeLens[]>('vscode.executeCodeLensProvider', editor.document.uri, 100)) ?? [])
      .filter((l) => l.command?.command === 'floplens.openPanel').length;
    assert.ok((await ours()) > 0, 'CodeLens present with the default settings');
    const config = vscode.workspace.getConfiguration('floplens');
    try {
      await config.update('features.codeLens', false, vscode.ConfigurationTarget.Global);
      await waitFor('no FlopLens CodeLens', async () => ((await ours()) === 0 ? true : undefined), 10_000, 100);
    } finally {
      await config.update('features.codeLens', undefined, vscode.ConfigurationTarget.Global);
    }
    await waitFor('FlopLens CodeLens back', async () => ((await ours()) > 0 ? true : undefined), 10_000, 100);
  });

  test('the comparison panel opens from its command (and only then)', async () => {
    await openFixture();
    const isPanel = (t: vscode.Tab) => t.input instanceof vscode.TabInputWebview && t.input.viewType.endsWith('floplens.panel');
    const panels = () => vscode.window.tabGroups.all.flatMap((g) => g.tabs).filter(isPanel);
    assert.strictEqual(panels().length, 0, 'the panel never opens by itself');
    await vscode.commands.executeCommand('floplens.openPanel');
    await waitFor('the FlopLens panel tab', () => (panels().length === 1 ? true : undefined), 10_000, 100);
    await vscode.commands.executeCommand('floplens.openPanel', { opIndex: 0 });
    assert.strictEqual(panels().length, 1, 'a second openPanel reveals the same panel');
  });
});
