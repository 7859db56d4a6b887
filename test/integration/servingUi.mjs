// The Serving views in a real VS Code (issue 17), driven by playwright-core in the UI phase of run.mjs:
// an LLM generate script (serve_chat.py) and a classifier behind a FastAPI handler (serve_classifier.py), both
// in test/integration/workspace/. Checks the hover on model.generate(...), the Serving section of the sidebar
// and the panel (verdict line, cost-vs-rate chart as SVG, table), and that the rate slider writes the `rate=`
// directive into the script (the extension saves that edit: the runner puts the fixture's text back afterwards,
// also on failure).
// Screenshots: test-results/screenshots/serving-*.png.
import fs from 'node:fs';
import path from 'node:path';
import { ROOT, waitFor } from './codeServer.mjs';

const CHAT = 'serve_chat.py';
const CLASSIFIER = 'serve_classifier.py';
const CHAT_PATH = path.join(ROOT, 'test/integration/workspace', CHAT);

/** Every webview body of one view kind ("sidebar" or "panel") currently ready. */
async function viewBody(page, view) {
  const frames = page.locator('iframe.webview.ready');
  const n = await frames.count();
  for (let i = 0; i < n; i++) {
    const body = page.frameLocator('iframe.webview.ready').nth(i).frameLocator('iframe#active-frame').locator(`body[data-view="${view}"]`);
    if (await body.count().catch(() => 0)) return body;
  }
  return undefined;
}

/** The Serving section of a view once its verdict reads `verdict` (a RegExp), opened if collapsed. */
async function servingSection(page, view, verdict) {
  return waitFor(`the Serving section in the ${view} with ${verdict}`, async () => {
    const body = await viewBody(page, view);
    if (!body) return undefined;
    const section = body.locator('details[data-section="serving"]');
    if (!(await section.count().catch(() => 0))) return undefined;
    if (!(await section.evaluate((d) => d.open).catch(() => false))) await section.locator('summary').click().catch(() => {});
    const line = (await section.locator('.verdict-line').innerText({ timeout: 1_000 }).catch(() => '')).replace(/\s+/g, ' ');
    return verdict.test(line) ? { section, line } : undefined;
  }, { timeoutMs: 90_000, intervalMs: 400 });
}

/** The sidebar shown: clicks FlopLens in the activity bar unless it is already the visible container. */
async function showSidebar(page) {
  const checked = page.locator('.activitybar .action-item.checked a[aria-label^="FlopLens"]');
  if (await checked.count()) return;
  await page.locator('.activitybar .action-item a[aria-label^="FlopLens"]').first().click();
  await page.locator('.part.sidebar .composite.title', { hasText: /FlopLens/i }).first().waitFor({ timeout: 30_000 });
}

async function openFile(page, name, marker, focusWorkbench) {
  await page.keyboard.press('Escape');
  await focusWorkbench(page);
  await page.keyboard.press('Control+P');
  const input = page.locator('.quick-input-widget .quick-input-box input');
  await input.waitFor({ timeout: 30_000 });
  await input.fill(name);
  await page.locator(`.quick-input-list .monaco-list-row[aria-label*="${name}"]`).first().waitFor({ timeout: 30_000 });
  await page.keyboard.press('Enter');
  await page.locator(`.tabs-container .tab.active[aria-label*="${name}"]`).first().waitFor({ timeout: 30_000 });
  await page.locator('.editor-instance .view-lines', { hasText: marker }).first().waitFor({ timeout: 30_000 });
}

/** The chart and the table inside a Serving section: counts, or a thrown error naming what is missing. */
async function chartAndTable(section) {
  return waitFor('the serving chart (SVG) and table rows', async () => {
    const svgs = await section.locator('.serving-chart svg').count();
    const rows = await section.locator('table.serving tbody tr').count();
    return svgs >= 1 && rows >= 2 ? { svgs, rows } : undefined;
  }, { timeoutMs: 30_000, intervalMs: 300 });
}

/** Puts the chat fixture's checked-in text back on disk and waits until the editor shows no `rate=` directive. */
async function restoreChat(page, original) {
  if (fs.readFileSync(CHAT_PATH, 'utf8') !== original) fs.writeFileSync(CHAT_PATH, original);
  await waitFor('no rate= directive in the editor', async () => ((await page.locator('.editor-instance .view-lines', { hasText: 'rate=' }).count()) === 0 ? true : undefined), { timeoutMs: 30_000 });
}

/**
 * Runs the serving checks with run.mjs's own helpers: `check(name, fn)`, `shot(name)`, `runPaletteCommand`,
 * `wordPosition`, `focusWorkbench`.
 */
export async function servingChecks(helpers) {
  // The fixture as checked in: an earlier run that stopped after the slider check left rate= in it.
  const original = fs.readFileSync(CHAT_PATH, 'utf8').replace(/^# floplens: rate=\S+\n/m, '');
  try {
    await checks(helpers, original);
  } finally {
    if (fs.readFileSync(CHAT_PATH, 'utf8') !== original) fs.writeFileSync(CHAT_PATH, original);
  }
}

async function checks({ page, check, shot, runPaletteCommand, wordPosition, focusWorkbench }, original) {
  await check(`serving: hover on model.generate(...) in ${CHAT} shows per-request latency and cost`, async () => {
    await openFile(page, CHAT, 'model.generate', focusWorkbench);
    await restoreChat(page, original);
    const hover = page.locator('.monaco-hover:not(.hidden)');
    const text = await waitFor('a FlopLens hover with "Serving at"', async () => {
      const at = await wordPosition(page, 'model.generate(', 'generate');
      if (!at) return undefined;
      await page.mouse.move(5, 5);
      await page.mouse.move(at.x, at.y, { steps: 2 });
      const visible = await hover.first().waitFor({ timeout: 3_000 }).then(() => true, () => false);
      if (!visible) return undefined;
      const t = (await hover.first().innerText()).replace(/\s+/g, ' ');
      return /Serving at/.test(t) ? t : undefined;
    }, { timeoutMs: 90_000, intervalMs: 500 });
    if (!/Serving at [\d.,]+ req\/s on .+: TTFT [\d.]+ (µs|ms|s), [\d.]+ (ms|s|min) per request/.test(text)) throw new Error(`hover lacks TTFT and request latency: ${text.slice(0, 240)}`);
    await shot('serving-hover');
    return text.slice(text.indexOf('Serving at'), text.indexOf('Serving at') + 140);
  });

  await check(`serving: sidebar Serving section for ${CHAT} (verdict, chart, table)`, async () => {
    await page.mouse.move(5, 5);
    await page.keyboard.press('Escape');
    await showSidebar(page);
    const { section, line } = await servingSection(page, 'sidebar', /^At 1 req\/s: /);
    const counts = await chartAndTable(section);
    await section.scrollIntoViewIfNeeded();
    await shot('serving-sidebar');
    return `"${line.slice(0, 110)}"; ${counts.svgs} SVG, ${counts.rows} rows`;
  });

  await check('serving: the sidebar rate slider writes the rate= directive and the figures follow', async () => {
    const { section } = await servingSection(page, 'sidebar', /^At 1 req\/s: /);
    const slider = section.locator('input.rate-slider');
    await slider.waitFor({ timeout: 30_000 });
    // log10(20) ≈ 1.3: the slider's change event posts setAssumption rate=20/s, as a person releasing it there would.
    await slider.evaluate((el) => {
      el.value = '1.3';
      el.dispatchEvent(new Event('input', { bubbles: true }));
      el.dispatchEvent(new Event('change', { bubbles: true }));
    });
    await page.locator('.editor-instance .view-lines', { hasText: 'rate=20/s' }).first().waitFor({ timeout: 30_000 });
    const { line } = await servingSection(page, 'sidebar', /^At 20 req\/s: /);
    await section.scrollIntoViewIfNeeded();
    await shot('serving-slider');
    return `editor has "# floplens: rate=20/s"; sidebar: "${line.slice(0, 110)}"`;
  });

  await check(`serving: panel Serving section for ${CHAT} at the slider's rate`, async () => {
    await runPaletteCommand(page, 'FlopLens: Open Comparison Panel');
    const { section, line } = await servingSection(page, 'panel', /^At 20 req\/s: /);
    const counts = await chartAndTable(section);
    const head = (await section.locator('table.serving thead').innerText()).replace(/\s+/g, ' ');
    if (!/TTFT p50 \(p95\)/.test(head) || !/\$ \/ M tokens/.test(head)) throw new Error(`panel serving table head: ${head}`);
    // Nothing runs past the panel's right edge: a table wider than the panel scrolls in its own box.
    const wider = await section.evaluate((el) => el.ownerDocument.documentElement.scrollWidth - el.ownerDocument.documentElement.clientWidth);
    if (wider > 1) throw new Error(`the panel is ${wider} px wider than its view: its right edge is cut`);
    await section.scrollIntoViewIfNeeded();
    await shot('serving-panel');
    // Undo the slider's edit (saved by the extension) so the fixture stays as checked in.
    await restoreChat(page, original);
    return `"${line.slice(0, 110)}"; ${counts.svgs} SVG, ${counts.rows} rows`;
  });

  await check(`serving: ${CLASSIFIER} (FastAPI handler) is served per item in the panel and the sidebar`, async () => {
    await openFile(page, CLASSIFIER, 'def predict', focusWorkbench);
    await runPaletteCommand(page, 'FlopLens: Open Comparison Panel');
    const panel = await servingSection(page, 'panel', /^At 1 req\/s: .+ per request/);
    const counts = await chartAndTable(panel.section);
    const head = (await panel.section.locator('table.serving thead').innerText()).replace(/\s+/g, ' ');
    if (!/\$ \/ 1k items/.test(head) || /TTFT/.test(head)) throw new Error(`classifier serving table head: ${head}`);
    await panel.section.scrollIntoViewIfNeeded();
    await shot('serving-classifier-panel');
    await showSidebar(page);
    const side = await servingSection(page, 'sidebar', /^At 1 req\/s: .+ per request/);
    await side.section.scrollIntoViewIfNeeded();
    await shot('serving-classifier-sidebar');
    return `"${panel.line.slice(0, 110)}"; ${counts.svgs} SVG, ${counts.rows} rows`;
  });
}
