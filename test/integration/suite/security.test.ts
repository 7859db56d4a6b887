// Hostile input in a real VS Code: a script whose layer names, strings, directives and file name carry markup
// and script payloads is analysed, hovered and shown like any other, the hovers stay trusted for our own commands
// only, and forged webview messages (validated as the bridge does, then handled by the real services) cannot
// write into or reveal any document but the one the views show.
import * as assert from 'assert';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import * as vscode from 'vscode';
import type { FlopLensApi } from '../../../src/extension/extension';
import type { AnalysisEntry } from '../../../src/extension/analysisStore';
import { handleWebviewMessage } from '../../../src/extension/webviews/webviewMessages';
import { parseWebviewMessage } from '../../../src/shared/protocol';
import { EXTENSION_ID, fixtureUri, positionOf, waitFor } from './helpers';

const P = {
  img: '<img src=x onerror=window.__pwned=1>',
  script: '</script><script>window.__pwned=1</script>',
  svg: '"><svg onload=window.__pwned=1>',
  js: 'javascript:window.__pwned=1',
  link: '[run](command:workbench.action.terminal.new)',
};

const SCRIPT = `# floplens: ${P.script}=1 mode=${P.js}
import torch
import torch.nn as nn

BANNER = "${P.img}"


class XssNet(nn.Module):
    def __init__(self):
        super().__init__()
        self.blocks = nn.ModuleDict({
            "${P.img}": nn.Linear(64, 64),
            "${P.script}": nn.Linear(64, 64),
            '${P.svg}': nn.Linear(64, 64),
            "${P.link}": nn.Linear(64, 10),
        })

    def forward(self, x):
        for name, block in self.blocks.items():
            x = block(x)
        return x


model = XssNet()
opt = torch.optim.AdamW(model.parameters())
for step in range(100):
    loss = model(torch.randn(32, 64)).sum()
    loss.backward()
    opt.step()
`;

async function api(): Promise<FlopLensApi> {
  const ext = vscode.extensions.getExtension<FlopLensApi>(EXTENSION_ID);
  assert.ok(ext, `${EXTENSION_ID} is not installed`);
  return ext.isActive ? ext.exports : ext.activate();
}

async function analysed(doc: vscode.TextDocument): Promise<AnalysisEntry> {
  const { services } = await api();
  const entry = await services.store.whenAnalyzed(doc.uri.toString(), doc.version, 30_000);
  assert.ok(entry, `no analysis of ${doc.uri.toString()}`);
  return entry;
}

async function hovers(uri: vscode.Uri, position: vscode.Position): Promise<vscode.Hover[]> {
  return (await vscode.commands.executeCommand<vscode.Hover[]>('vscode.executeHoverProvider', uri, position)) ?? [];
}

async function closeWithoutSaving(doc: vscode.TextDocument): Promise<void> {
  await vscode.window.showTextDocument(doc);
  await vscode.commands.executeCommand('workbench.action.revertAndCloseActiveEditor');
}

suite('FlopLens with hostile input', () => {
  let editor: vscode.TextEditor;

  suiteSetup(async () => {
    // An unsaved script whose very name is a payload (a real file name cannot hold "/").
    const uri = vscode.Uri.from({ scheme: 'untitled', path: `${P.img.replace(/\//g, '')}${P.svg}.py` });
    const doc = await vscode.workspace.openTextDocument(uri);
    editor = await vscode.window.showTextDocument(doc, { preview: false });
    await editor.edit((b) => b.insert(new vscode.Position(0, 0), SCRIPT));
    assert.strictEqual(editor.document.languageId, 'python');
  });

  suiteTeardown(async () => {
    if (editor) await closeWithoutSaving(editor.document);
  });

  test('the payload script is analysed, and its layer names are kept as data', async () => {
    const entry = await analysed(editor.document);
    const a = entry.analysis;
    assert.strictEqual(a.model.name, 'XssNet');
    assert.strictEqual(a.model.params, 3 * (64 * 64 + 64) + 64 * 10 + 10);
    const names = a.ops.map((o) => o.name).join('\n');
    for (const p of [P.img, P.script, P.link]) assert.ok(names.includes(p), `op names lack ${p}`);
    assert.ok(a.problems.some((p) => p.code === 'directive' && p.loc?.line === 1 && !p.loc.file), 'the bad directive is located in the script');
    const diags = await waitFor('the bad directive as a diagnostic', () => {
      const d = vscode.languages.getDiagnostics(editor.document.uri).filter((x) => x.source === 'FlopLens' && x.code === 'directive');
      return d.length ? d : undefined;
    }, 20_000, 100);
    assert.ok(diags.some((d) => d.message.includes(P.script)), 'the diagnostic quotes the payload as text');
  });

  test('a hover on a payload-named layer works and links only to our own command', async () => {
    await analysed(editor.document);
    const position = positionOf(editor.document, `"${P.link}": nn.Linear(`, `"${P.link}": nn.L`.length);
    const hs = await waitFor('a FlopLens hover on the payload layer', async () => {
      const h = await hovers(editor.document.uri, position);
      return h.some((x) => x.contents.some((c) => typeof c !== 'string' && /FLOP/.test(c.value))) ? h : undefined;
    }, 20_000, 200);
    const mine = hs.flatMap((h) => h.contents).filter((c): c is vscode.MarkdownString => typeof c !== 'string' && /FlopLens/.test(c.value));
    assert.ok(mine.length > 0);
    for (const md of mine) {
      assert.notStrictEqual(md.isTrusted, true, 'never blanket-trusted');
      assert.notStrictEqual(md.supportHtml, true, 'no HTML in hovers');
      const links = [...md.value.matchAll(/(?<!\\)\]\(([^)]*)\)/g)].map((m) => m[1]);
      assert.ok(links.length > 0 && links.every((l) => l.startsWith('command:floplens.openPanel')), `links: ${links.join(' ')}`);
    }
  });

  test('forged webview messages cannot write into or reveal another document', async () => {
    const { services } = await api();
    await analysed(editor.document);
    const shown = editor.document.uri.toString();
    await waitFor('the payload script to be the views\' document', () => services.tracker.current === shown || undefined, 10_000, 50);

    const other = await vscode.workspace.openTextDocument(fixtureUri('big_mlp.py'));
    const otherText = other.getText();
    const outside = path.join(os.tmpdir(), `floplens-forged-${process.pid}.py`);
    fs.writeFileSync(outside, 'import torch\n');
    try {
      const targets = [other.uri.toString(), vscode.Uri.file(outside).toString(), 'untitled:Forged-1.py', `${shown}#x`];
      for (const documentUri of targets) {
        for (const raw of [
          { type: 'setAssumption', documentUri, key: 'batch', value: '7' },
          { type: 'revealOp', documentUri, version: 1, opIndex: 0 },
        ]) {
          const msg = parseWebviewMessage(raw);
          assert.ok(msg && msg.type !== 'ready', `${JSON.stringify(raw)} is well-formed`);
          await handleWebviewMessage(services, msg);
        }
      }
      assert.strictEqual(other.getText(), otherText);
      assert.strictEqual(other.isDirty, false);
      assert.strictEqual(fs.readFileSync(outside, 'utf8'), 'import torch\n');
      assert.ok(!vscode.workspace.textDocuments.some((d) => d.uri.fsPath === outside || d.uri.toString() === 'untitled:Forged-1.py'), 'no document was opened');
      assert.strictEqual(vscode.window.activeTextEditor?.document.uri.toString(), shown, 'the editor did not move');

      // The same message for the shown document does what the sidebar asks.
      const msg = parseWebviewMessage({ type: 'setAssumption', documentUri: shown, key: 'batch', value: '48' });
      assert.ok(msg && msg.type !== 'ready');
      await handleWebviewMessage(services, msg);
      assert.match(editor.document.getText(), /^# floplens: .*batch=48/m);
      const entry = await waitFor('the directive to be analysed', async () => {
        const e = await analysed(editor.document);
        return e.analysis.run.batch === 48 ? e : undefined;
      }, 20_000, 100);
      assert.strictEqual(entry.analysis.assumptions.find((x) => x.name === 'batch')?.source, 'directive');
    } finally {
      fs.rmSync(outside, { force: true });
    }
  });

  test('after all that, the extension still analyses an ordinary script', async () => {
    const doc = await vscode.workspace.openTextDocument(fixtureUri('train_cifar.py'));
    await vscode.window.showTextDocument(doc, { preview: false });
    const analysis = await vscode.commands.executeCommand<{ model: { name: string } } | undefined>('floplens.analyzeActiveFile');
    assert.strictEqual(analysis?.model.name, 'SmallCNN');
    await vscode.commands.executeCommand('workbench.action.closeActiveEditor');
  });
});
