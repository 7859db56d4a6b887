// Serving (issue 17) in a real VS Code's extension host: the analysis of an LLM generate script and of a
// classifier behind a FastAPI handler carries serving figures; the hover on the call that answers a request
// (model.generate(...)) and on the served model says what one request costs at the rate; a rate= directive
// (what the Serving section's slider writes) changes them. The webview side (sidebar, panel, slider) is checked
// with screenshots by ../servingUi.mjs in the UI phase.
import * as assert from 'assert';
import * as vscode from 'vscode';
import type { FlopLensApi } from '../../../src/extension/extension';
import type { AnalysisEntry } from '../../../src/extension/analysisStore';
import { EXTENSION_ID, fixtureUri, hoverText, openFixture, positionOf } from './helpers';

const CHAT = 'serve_chat.py';
const CLASSIFIER = 'serve_classifier.py';

async function analysed(doc: vscode.TextDocument): Promise<AnalysisEntry> {
  const ext = vscode.extensions.getExtension<FlopLensApi>(EXTENSION_ID);
  assert.ok(ext, `${EXTENSION_ID} is not installed`);
  const { services } = ext.isActive ? ext.exports : await ext.activate();
  const entry = await services.store.whenAnalyzed(doc.uri.toString(), doc.version, 30_000);
  assert.ok(entry, `no analysis of ${doc.uri.toString()} v${doc.version}`);
  return entry;
}

suite('FlopLens serving', () => {
  test('hover on model.generate(...) gives TTFT, request latency and cost at the rate', async () => {
    const editor = await openFixture(CHAT);
    const entry = await analysed(editor.document);
    assert.strictEqual(entry.analysis?.serving?.kind, 'llm');
    const text = await hoverText(editor.document.uri, positionOf(editor.document, 'model.generate(', 'model.'.length + 2));
    console.log(`  hover: ${text.slice(text.indexOf('Serving at'), text.indexOf('Serving at') + 160)}`);
    assert.match(text, /`model\.generate\(…\)`/);
    assert.match(text, /Serving at 1 req\/s on .+: TTFT [\d.]+ (µs|ms|s), [\d.]+ (ms|s|min) per request, \\\$[\d.,]+ per (request|1,000 requests)\. \d+× /);
    // The rate is named once: the verdict's own "At 1 req/s:" head is not repeated after the line's.
    assert.strictEqual(text.match(/1 req\/s/g)?.length, 1);
  });

  test('a rate= directive (what the slider writes) changes the serving figures and the hover', async () => {
    const text = new TextDecoder().decode(await vscode.workspace.fs.readFile(fixtureUri(CHAT)));
    const doc = await vscode.workspace.openTextDocument({ language: 'python', content: `# floplens: rate=20/s\n${text}` });
    const editor = await vscode.window.showTextDocument(doc, { preview: false });
    try {
      const entry = await analysed(doc);
      const s = entry.analysis?.serving;
      assert.ok(s, 'no serving figures');
      assert.strictEqual(s.rate.value, 20);
      assert.match(s.verdict, /^At 20 req\/s: /);
      // No device is credited with an absurd replica count: past the limit it cannot meet the rate.
      for (const d of s.perDevice) assert.ok(d.replicas <= 64 || (d.cannotMeetRate && !d.meetsTarget && d.monthlyCostUsd === undefined), `${d.hardwareId}: ${d.replicas} replicas`);
      const hover = await hoverText(doc.uri, positionOf(doc, 'model.generate(', 'model.'.length + 2));
      assert.match(hover, /Serving at 20 req\/s on /);
    } finally {
      await vscode.window.showTextDocument(editor.document);
      await vscode.commands.executeCommand('workbench.action.revertAndCloseActiveEditor');
    }
  });

  test('a classifier behind a FastAPI handler is served per item; the model hover says what a request costs', async () => {
    const editor = await openFixture(CLASSIFIER);
    const entry = await analysed(editor.document);
    const s = entry.analysis?.serving;
    assert.ok(s, 'no serving figures for the handler script');
    assert.strictEqual(s.kind, 'items');
    assert.strictEqual(s.request.items, 1);
    assert.match(s.verdict, /^At 1 req\/s: .+ per request/);
    const text = await hoverText(editor.document.uri, positionOf(editor.document, 'model = torchvision', 1));
    assert.match(text, /Serving at 1 req\/s on .+: [\d.]+ (µs|ms|s) per request/);
  });
});
