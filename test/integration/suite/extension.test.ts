// Wiring tests in a real VS Code: activation, commands, hover and sidebar, against the fixture workspace.
import * as assert from 'assert';
import * as vscode from 'vscode';
import { EXTENSION_ID, activatedExtension, hoverText, openFixture, positionOf, waitFor } from './helpers';

suite('FlopLens extension', () => {
  suiteSetup(async () => {
    console.log(`  ext host: node=${process.version} vscode=${vscode.version} appHost=${vscode.env.appHost} remote=${vscode.env.remoteName ?? 'none'}`);
  });

  test('is installed and activates when a Python file opens', async () => {
    const ext = vscode.extensions.getExtension(EXTENSION_ID);
    assert.ok(ext, `${EXTENSION_ID} not found`);
    const editor = await openFixture();
    assert.strictEqual(editor.document.languageId, 'python');
    const t0 = Date.now();
    await activatedExtension();
    console.log(`  activated ${Date.now() - t0} ms after the script was shown`);
  });

  test('registers every command contributed in package.json', async () => {
    const ext = await activatedExtension();
    const contributed: string[] = (ext.packageJSON.contributes?.commands ?? []).map((c: { command: string }) => c.command);
    assert.ok(contributed.length > 0, 'package.json contributes no commands');
    const registered = new Set(await vscode.commands.getCommands(true));
    const missing = contributed.filter((id) => !registered.has(id));
    assert.deepStrictEqual(missing, [], `contributed but not registered: ${missing.join(', ')}`);
  });

  test('floplens.analyzeActiveFile runs on the fixture script', async () => {
    await openFixture();
    await activatedExtension();
    await vscode.commands.executeCommand('floplens.analyzeActiveFile');
  });

  test('hover on nn.Linear shows FLOPs', async () => {
    const editor = await openFixture();
    await activatedExtension();
    const doc = editor.document;
    // On the `Linear` of the first `nn.Linear(`.
    const position = positionOf(doc, 'nn.Linear(', 'nn.'.length + 1);
    // The analysis runs after activation (debounced); hovers answer once it is there.
    const text = await waitFor('a FlopLens hover on nn.Linear', async () => {
      const t = await hoverText(doc.uri, position);
      return /FLOP/.test(t) ? t : undefined;
    }, 30_000, 250);
    assert.match(text, /FLOP/);
  });

  test('the sidebar view can be revealed', async () => {
    await activatedExtension();
    await vscode.commands.executeCommand('workbench.view.extension.floplens');
    await vscode.commands.executeCommand('floplens.sidebar.focus');
  });
});
