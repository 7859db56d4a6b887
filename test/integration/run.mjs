// `npm run test:integration`: FlopLens in a real VS Code (code-server's server + workbench, Debian Chromium).
//   0. setup (scripts/setupVscodeTest.sh, a no-op once installed), dev build, install the packaged floplens.vsix
//   1. suite: the Mocha tests in test/integration/suite run inside the server's Node extension host
//   2. ui:    playwright-core drives the workbench with the installed .vsix: quick open, palette, hover, sidebar
// Screenshots go to test-results/screenshots/. Every process started here is torn down, also on failure.
// Environment: FLOPLENS_IT_PHASES=suite,ui (default both), FLOPLENS_IT_EXTENSION_DIR (extension under test,
// default the repository), FLOPLENS_IT_VSIX (default floplens.vsix), FLOPLENS_IT_SKIP_BUILD=1.
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import {
  CACHE, ROOT, ensureInstalled, installVsix, launchBrowser, log, makeProfile, mochaCounts, runCleanups,
  runSuiteInBrowser, seconds, startServer, waitFor,
} from './codeServer.mjs';
import { servingChecks } from './servingUi.mjs';

const EXT_DIR = path.resolve(process.env.FLOPLENS_IT_EXTENSION_DIR || ROOT);
const VSIX = path.resolve(process.env.FLOPLENS_IT_VSIX || path.join(ROOT, 'floplens.vsix'));
const WORKSPACE = path.join(ROOT, 'test/integration/workspace');
const FIXTURE = 'train_cifar.py';
const SUITE_INDEX = path.join(ROOT, 'dist-test/suite/index.js');
const SCREENSHOTS = path.join(ROOT, 'test-results/screenshots');
const RUN_DIR = path.join(CACHE, 'run');
const PHASES = new Set((process.env.FLOPLENS_IT_PHASES || 'suite,ui').split(',').map((s) => s.trim()));

const timings = [];
const checks = [];
async function timed(label, fn) {
  const t0 = Date.now();
  try {
    return await fn();
  } finally {
    timings.push([label, Date.now() - t0]);
    log(`${label}: ${seconds(Date.now() - t0)}`);
  }
}
/** One UI assertion, counted in the closing "N passed, N failed" line. */
async function check(name, fn) {
  const t0 = Date.now();
  try {
    const detail = await fn();
    checks.push({ name, ok: true });
    log(`  ✔ ${name} (${seconds(Date.now() - t0)})${detail ? ` — ${detail}` : ''}`);
  } catch (e) {
    checks.push({ name, ok: false, error: e });
    log(`  ✘ ${name} (${seconds(Date.now() - t0)}): ${e.message.split('\n')[0]}`);
    throw e;
  }
}

function run(cmd, args, opts = {}) {
  const r = spawnSync(cmd, args, { cwd: ROOT, stdio: 'inherit', ...opts });
  if (r.status !== 0) throw new Error(`${cmd} ${args.join(' ')} failed (exit ${r.status ?? r.signal})`);
}

async function prepare() {
  const install = await timed('setup', () => ensureInstalled());
  log(`Node ${install.nodeVersion}, code-server ${install.codeServerVersion}`);
  if (!fs.existsSync(VSIX)) {
    if (process.env.FLOPLENS_IT_VSIX) throw new Error(`${VSIX} not found`);
    await timed('package (floplens.vsix missing)', () => run('npm', ['run', '--silent', 'package']));
  }
  if (!process.env.FLOPLENS_IT_SKIP_BUILD) await timed('dev build', () => run(process.execPath, ['esbuild.js']));
  for (const f of [path.join(EXT_DIR, 'package.json'), SUITE_INDEX, path.join(WORKSPACE, FIXTURE)]) {
    if (!fs.existsSync(f)) throw new Error(`${f} missing`);
  }
  const main = JSON.parse(fs.readFileSync(path.join(EXT_DIR, 'package.json'), 'utf8')).main;
  if (main && !fs.existsSync(path.join(EXT_DIR, main))) throw new Error(`${path.join(EXT_DIR, main)} missing (build failed?)`);
  fs.rmSync(RUN_DIR, { recursive: true, force: true });
  fs.mkdirSync(SCREENSHOTS, { recursive: true });
  for (const f of fs.readdirSync(SCREENSHOTS)) if (f.endsWith('.png')) fs.rmSync(path.join(SCREENSHOTS, f));
  return install;
}

/** Phase 1: the Mocha suite inside the Node extension host (development copy of the extension). */
async function suitePhase(install) {
  const profile = makeProfile(path.join(RUN_DIR, 'suite'));
  const server = await timed('suite: start code-server', () => startServer(install, profile, { smokeTestDriver: true, name: 'suite' }));
  const context = await launchBrowser(path.join(profile.dir, 'chromium'));
  try {
    log(`suite: ${server.url}, extensionDevelopmentPath ${EXT_DIR}`);
    const result = await timed('suite: mocha in the extension host', () =>
      runSuiteInBrowser({ server, context, extensionDevelopmentPath: EXT_DIR, extensionTestsPath: SUITE_INDEX, folder: WORKSPACE, timeoutMs: 300_000, rawLog: path.join(profile.dir, 'automation-log.jsonl'), quietUntil: /^FLOPLENS_IT_MOCHA_START$/ }),
    );
    const counts = mochaCounts(result.output);
    if (result.timedOut) {
      await context.pages()[0]?.screenshot({ path: path.join(SCREENSHOTS, 'suite-timeout.png') }).catch(() => {});
      throw Object.assign(new Error(`suite timed out after ${seconds(result.ms)} (server log: ${server.logFile})`), { counts });
    }
    if (result.code !== 0) throw Object.assign(new Error(`suite failed: exit code ${result.code}`), { counts });
    if (counts.passed === 0) throw Object.assign(new Error('suite ran no test'), { counts });
    return counts;
  } finally {
    await context.close().catch(() => {});
    await server.stop();
  }
}

/** The newest remote extension-host log of a profile (it records each extension's activation). */
function exthostLogs(profile) {
  const out = [];
  const walk = (d) => {
    for (const e of fs.readdirSync(d, { withFileTypes: true })) {
      const p = path.join(d, e.name);
      if (e.isDirectory()) walk(p);
      else if (/exthost\.log$/.test(e.name)) out.push(p);
    }
  };
  const logs = path.join(profile.userDataDir, 'logs');
  if (fs.existsSync(logs)) walk(logs);
  return out;
}

/** When the server's extension host activated floplens.floplens, from its log (epoch ms), else undefined. */
function activationFromLog(profile) {
  for (const file of exthostLogs(profile)) {
    const line = fs.readFileSync(file, 'utf8').split('\n').find((l) => /_doActivateExtension floplens\.floplens\b/.test(l));
    if (line) {
      const stamp = line.match(/^(\d{4}-\d\d-\d\d \d\d:\d\d:\d\d\.\d{3})/)?.[1];
      return { at: stamp ? new Date(stamp.replace(' ', 'T')).getTime() : Date.now(), line: line.trim() };
    }
  }
  return undefined;
}

/** Phase 2: a person's path through the UI, with the packaged .vsix installed (no smoke-test driver, so toasts show). */
async function uiPhase(install) {
  const profile = makeProfile(path.join(RUN_DIR, 'ui'));
  const installed = await timed('ui: install floplens.vsix', () => installVsix(install, profile, VSIX));
  log(`ui: installed ${installed.extensions.join(', ')}`);
  if (!installed.extensions.some((e) => e.startsWith('floplens.floplens@'))) throw new Error('floplens.floplens not listed after --install-extension');
  const server = await timed('ui: start code-server', () => startServer(install, profile, { name: 'ui' }));
  const context = await launchBrowser(path.join(profile.dir, 'chromium'));
  const page = context.pages()[0] ?? (await context.newPage());
  const pageErrors = [];
  page.on('pageerror', (e) => pageErrors.push(e.message));
  const shot = (name) => page.screenshot({ path: path.join(SCREENSHOTS, `${name}.png`) });
  const metrics = {};
  try {
    const t0 = Date.now();
    await page.goto(`${server.url}/?folder=${encodeURIComponent(WORKSPACE)}`);

    await check('workbench loads with the fixture folder', async () => {
      await page.locator('.monaco-workbench .part.activitybar').waitFor({ timeout: 90_000 });
      await page.locator('.explorer-folders-view .monaco-list-row', { hasText: FIXTURE }).first().waitFor({ timeout: 90_000 });
      metrics.workbenchMs = Date.now() - t0;
      return `after ${seconds(metrics.workbenchMs)}`;
    });

    await check(`Ctrl+P opens ${FIXTURE}`, async () => {
      await focusWorkbench(page);
      await page.keyboard.press('Control+P');
      const input = page.locator('.quick-input-widget .quick-input-box input');
      await input.waitFor({ timeout: 30_000 });
      await input.fill(FIXTURE);
      await page.locator(`.quick-input-list .monaco-list-row[aria-label*="${FIXTURE}"]`).first().waitFor({ timeout: 30_000 });
      metrics.openedAt = Date.now();
      await page.keyboard.press('Enter');
      await page.locator(`.tabs-container .tab[aria-label*="${FIXTURE}"]`).waitFor({ timeout: 30_000 });
      await page.locator('.editor-instance .view-lines', { hasText: 'class SmallCNN' }).waitFor({ timeout: 30_000 });
    });

    await check('FlopLens activates (onLanguage:python)', async () => {
      const act = await waitFor('floplens.floplens activation in the extension host log', () => activationFromLog(profile), { timeoutMs: 90_000, intervalMs: 200 });
      metrics.activationMs = act.at - t0;
      metrics.activationAfterOpenMs = act.at - metrics.openedAt;
      return `${seconds(metrics.activationMs)} after page load, ${seconds(Math.max(0, metrics.activationAfterOpenMs))} after the script opened`;
    });

    await check('palette runs "FlopLens: Analyse Active File"', async () => {
      await runPaletteCommand(page, 'FlopLens: Analyse Active File');
      // A command that throws when run from the palette opens a modal error dialog; one that shows an
      // error message leaves it in the Notification Center, which the last check reads.
      const dialog = await waitFor('an error dialog', () => dialogText(page), { timeoutMs: 2_000, intervalMs: 200 }).catch(() => undefined);
      if (dialog) throw new Error(`error dialog: ${dialog}`);
      const toasts = await page.locator('.notifications-toasts .notification-list-item-message').allInnerTexts();
      return toasts.length ? `toasts: ${toasts.map((t) => t.replace(/\s+/g, ' ')).join(' | ')}` : undefined;
    });

    await check('hover on nn.Linear shows FLOPs', async () => {
      await page.locator('.editor-instance .view-lines .view-line', { hasText: 'nn.Linear(' }).first().waitFor({ timeout: 30_000 });
      const hover = page.locator('.monaco-hover:not(.hidden)');
      const text = await waitFor('a FlopLens hover with "FLOP"', async () => {
        // Re-hover until the analysis has landed (the extension answers hovers only once it has one).
        const dialog = await dialogText(page);
        if (dialog) throw Object.assign(new Error(`dialog open: ${dialog}`), { fatal: true });
        const at = await wordPosition(page, 'nn.Linear(', 'Linear');
        if (!at) return undefined;
        await page.mouse.move(5, 5);
        await page.mouse.move(at.x, at.y, { steps: 2 });
        const visible = await hover.first().waitFor({ timeout: 3_000 }).then(() => true, () => false);
        if (!visible) return undefined;
        const t = await hover.first().innerText();
        return /FLOP/.test(t) ? t : undefined;
      }, { timeoutMs: 60_000, intervalMs: 500 });
      await shot('editor-hover');
      return text.replace(/\s+/g, ' ').slice(0, 120);
    });

    await check('FlopLens sidebar webview renders', async () => {
      await page.mouse.move(5, 5);
      await page.keyboard.press('Escape');
      const item = page.locator('.activitybar .action-item a[aria-label^="FlopLens"]').first();
      await item.waitFor({ timeout: 30_000 });
      // Clicking the container that is already showing would close the side bar, and a FlopLens command
      // may have revealed it: switch to the Explorer first so the click below opens it.
      const checked = page.locator('.activitybar .action-item.checked a[aria-label^="FlopLens"]');
      if (await checked.count()) {
        await page.locator('.activitybar .action-item a[aria-label^="Explorer"]').first().click();
        await checked.waitFor({ state: 'detached', timeout: 30_000 });
      }
      const clickedAt = Date.now();
      await item.click();
      await page.locator('.part.sidebar .composite.title', { hasText: /FlopLens/i }).first().waitFor({ timeout: 30_000 });
      const body = page.frameLocator('iframe.webview.ready').first().frameLocator('iframe#active-frame').locator('body');
      const text = await waitFor('text in the FlopLens sidebar webview', async () => {
        const t = (await body.innerText({ timeout: 2_000 }).catch(() => '')).trim();
        return t.length > 0 ? t : undefined;
      }, { timeoutMs: 60_000, intervalMs: 250 });
      metrics.sidebarMs = Date.now() - t0;
      metrics.sidebarAfterClickMs = Date.now() - clickedAt;
      // The verdict leads: train_cifar.py is small enough for a CPU, and the sidebar must not headline a GPU
      // speed-up above a verdict that says the opposite; the speed-up is a detail under it.
      const verdictText = await waitFor('the verdict in the sidebar', async () => {
        const t = (await body.innerText({ timeout: 2_000 }).catch(() => '')).replace(/\s+/g, ' ');
        return /A CPU is fine|A GPU (pays off|is needed)/.test(t) ? t : undefined;
      }, { timeoutMs: 60_000, intervalMs: 250 });
      if (/A CPU is fine/.test(verdictText)) {
        if (/faster on the best GPU/.test(verdictText)) throw new Error('a GPU speed-up headline above "A CPU is fine"');
        if (!/The best GPU would run it ×[\d.]+ (faster|slower)/.test(verdictText)) throw new Error('the speed-up detail under the CPU verdict is missing');
      }
      await shot('sidebar');
      return `${seconds(metrics.sidebarAfterClickMs)} after the click: "${text.replace(/\s+/g, ' ').slice(0, 100)}"`;
    });

    await check('CodeLens above the model class', async () => {
      const lens = page.locator('.codelens-decoration', { hasText: /params/ }).first();
      const found = await lens.waitFor({ timeout: 60_000 }).then(() => true, () => false);
      if (!found) {
        const all = await page.locator('.codelens-decoration').allInnerTexts();
        throw new Error(`no FlopLens CodeLens; ${all.length} lens(es) on screen: ${all.join(' | ').slice(0, 200)}`);
      }
      const t = (await lens.innerText()).replace(/\s+/g, ' ');
      await shot('codelens');
      return t.slice(0, 120);
    });

    // The comparison panel in three themes: its charts must be SVG (Observable Plot) and its table filled.
    const panelBody = async () => {
      const frames = page.locator('iframe.webview.ready');
      const n = await frames.count();
      for (let i = 0; i < n; i++) {
        const body = page.frameLocator('iframe.webview.ready').nth(i).frameLocator('iframe#active-frame').locator('body[data-view="panel"]');
        if (await body.count().catch(() => 0)) return body;
      }
      return undefined;
    };
    await check('comparison panel: roofline and breakdown charts (SVG) and the per-layer table', async () => {
      await page.keyboard.press('Escape');
      await runPaletteCommand(page, 'FlopLens: Open Comparison Panel');
      const body = await waitFor('the panel webview', panelBody, { timeoutMs: 60_000, intervalMs: 300 });
      const counts = await waitFor('charts and table rows', async () => {
        const svgs = await body.locator('svg').count();
        const rows = await body.locator('table tbody tr').count();
        return svgs >= 2 && rows >= 3 ? { svgs, rows } : undefined;
      }, { timeoutMs: 60_000, intervalMs: 300 });
      await shot('panel-dark');
      return `${counts.svgs} SVG charts, ${counts.rows} table rows`;
    });

    // Themes are picked the way a person does it: Preferences: Color Theme.
    const pickTheme = async (label, bodyClass) => {
      await page.keyboard.press('F1');
      const input = page.locator('.quick-input-widget .quick-input-box input');
      await input.waitFor({ timeout: 30_000 });
      await input.fill('>Preferences: Color Theme');
      await page.locator('.quick-input-list .monaco-list-row[aria-label*="Preferences: Color Theme"]').first().click();
      await input.fill(label);
      await page.locator(`.quick-input-list .monaco-list-row[aria-label^="${label}"]`).first().waitFor({ timeout: 30_000 });
      await page.keyboard.press('Enter');
      await page.locator('.quick-input-widget').waitFor({ state: 'hidden', timeout: 30_000 }).catch(() => {});
      const body = await waitFor(`the panel in ${label}`, async () => {
        const b = await panelBody();
        const cls = b ? ` ${await b.getAttribute('class').catch(() => '')} ` : '';
        return cls.includes(` ${bodyClass} `) ? b : undefined;
      }, { timeoutMs: 45_000, intervalMs: 250 });
      await waitFor('charts redrawn', async () => ((await body.locator('svg').count()) > 0 ? true : undefined), { timeoutMs: 10_000 });
      // The views redraw from a MutationObserver on the theme class: two animation frames later they have painted.
      await body.evaluate(() => new Promise((r) => requestAnimationFrame(() => requestAnimationFrame(r))));
    };

    await check('panel readable in the light and high-contrast themes', async () => {
      await pickTheme('Light Modern', 'vscode-light');
      await shot('panel-light');
      await pickTheme('Dark High Contrast', 'vscode-high-contrast');
      await shot('panel-high-contrast');
      await pickTheme('Dark Modern', 'vscode-dark');
      return 'panel-light.png, panel-high-contrast.png';
    });

    await check('live benchmark runs in its webview and names the renderer', async () => {
      await runPaletteCommand(page, 'FlopLens: Run Live GPU Benchmark');
      const bench = await waitFor('the benchmark webview', async () => {
        const n = await page.locator('iframe.webview.ready').count();
        for (let i = 0; i < n; i++) {
          const f = page.frameLocator('iframe.webview.ready').nth(i).frameLocator('iframe#active-frame');
          if (await f.locator('#bench-run').count().catch(() => 0)) return f;
        }
        return undefined;
      }, { timeoutMs: 60_000, intervalMs: 300 });
      await bench.locator('#bench-max-size').selectOption('256');
      await bench.locator('#bench-run').click();
      await waitFor('the sweep to finish', async () => ((await bench.locator('#bench-status').innerText().catch(() => '')).startsWith('Done in') ? true : undefined), { timeoutMs: 300_000, intervalMs: 500 });
      const rows = await bench.locator('#bench-results tbody tr').count();
      if (rows < 2) throw new Error(`expected result rows, got ${rows}`);
      const software = await bench.locator('#bench-software').count();
      await shot('benchmark');
      // Measured rates beside the devices' peaks, and the browser ratio beside the PyTorch ones (never alone).
      const ratios = await bench.locator('#bench-ratios tbody tr').count();
      if (ratios !== 3) throw new Error(`expected the browser and two PyTorch ratios, got ${ratios} rows`);
      const machines = await bench.locator('#bench-machines').innerText();
      await bench.locator('#bench-meaning').scrollIntoViewIfNeeded();
      await shot('benchmark-meaning');
      return `${rows} sizes measured${software ? '; software renderer named' : ''}; ${machines.replace(/\s+/g, ' ').slice(0, 160)}`;
    });

    await servingChecks({ page, check, shot, runPaletteCommand, wordPosition, focusWorkbench });

    await check('no FlopLens error notifications', async () => {
      const items = await notificationCenter(page);
      const ours = items.filter((n) => n.severity === 'error' && /floplens/i.test(`${n.message} ${n.source}`));
      if (ours.length) throw new Error(ours.map((n) => n.message).join(' | '));
      return items.length ? `${items.length} notification(s): ${items.map((n) => `[${n.severity}] ${n.message}`.slice(0, 80)).join(' | ')}` : 'none';
    });
  } catch (e) {
    await shot('ui-failure').catch(() => {});
    log(`ui: server log ${server.logFile}; screenshot test-results/screenshots/ui-failure.png`);
    throw e;
  } finally {
    if (pageErrors.length) log(`ui: ${pageErrors.length} page error(s), first: ${pageErrors[0]}`);
    await context.close().catch(() => {});
    await server.stop();
  }
  return metrics;
}

/**
 * The centre of `word` inside the first rendered editor line containing `lineText`, in page coordinates.
 * Monaco splits a line into token spans that do not always isolate the word, so measure the text itself.
 */
function wordPosition(page, lineText, word) {
  return page.evaluate(([lineText, word]) => {
    const line = [...document.querySelectorAll('.editor-instance .view-lines .view-line')].find((l) => l.textContent.replace(/\u00a0/g, ' ').includes(lineText));
    if (!line) return undefined;
    const start = line.textContent.replace(/\u00a0/g, ' ').indexOf(lineText) + lineText.indexOf(word);
    const walker = document.createTreeWalker(line, NodeFilter.SHOW_TEXT);
    let offset = 0;
    for (let node = walker.nextNode(); node; node = walker.nextNode()) {
      const len = node.textContent.length;
      if (start < offset + len) {
        const range = document.createRange();
        range.setStart(node, start - offset);
        range.setEnd(node, Math.min(len, start - offset + word.length));
        const r = range.getBoundingClientRect();
        return { x: r.left + r.width / 2, y: r.top + r.height / 2 };
      }
      offset += len;
    }
    return undefined;
  }, [lineText, word]);
}

/** Clicks into the editor area so keyboard shortcuts reach the workbench, not a side bar or chat input. */
async function focusWorkbench(page) {
  await page.locator('.monaco-workbench').click({ position: { x: 700, y: 400 } }).catch(() => {});
}

async function runPaletteCommand(page, title) {
  await page.keyboard.press('F1');
  const input = page.locator('.quick-input-widget .quick-input-box input');
  await input.waitFor({ timeout: 30_000 });
  await input.fill(`>${title}`);
  const row = page.locator(`.quick-input-list .monaco-list-row[aria-label*="${title}"]`).first();
  await row.waitFor({ timeout: 30_000 });
  await row.click();
  await page.locator('.quick-input-widget').waitFor({ state: 'hidden', timeout: 30_000 });
}

/** The text of an open modal dialog, if any. */
async function dialogText(page) {
  const box = page.locator('.monaco-dialog-box');
  if (!(await box.count())) return undefined;
  return (await box.first().innerText()).replace(/\s+/g, ' ').trim();
}

/** Every notification in the Notification Center (toasts included), with its severity and source. */
async function notificationCenter(page) {
  await runPaletteCommand(page, 'Notifications: Show Notifications');
  await page.locator('.notifications-center').waitFor({ timeout: 30_000 });
  const items = await page.locator('.notifications-center .notification-list-item').evaluateAll((els) =>
    els.map((el) => ({
      message: el.querySelector('.notification-list-item-message')?.textContent ?? '',
      source: el.querySelector('.notification-list-item-source')?.textContent ?? '',
      severity: el.querySelector('.codicon-error') ? 'error' : el.querySelector('.codicon-warning') ? 'warning' : 'info',
    })),
  );
  await page.keyboard.press('Escape');
  return items;
}

async function main() {
  const t0 = Date.now();
  let suiteCounts = { passed: 0, failed: 0, pending: 0 };
  let metrics = {};
  let failure;
  try {
    const install = await prepare();
    if (PHASES.has('suite')) {
      try {
        suiteCounts = await suitePhase(install);
      } catch (e) {
        suiteCounts = e.counts ?? { passed: 0, failed: 1, pending: 0 };
        if (!suiteCounts.failed) suiteCounts.failed = 1;
        failure ??= e;
        log(`suite: ${e.message}`);
      }
    }
    if (PHASES.has('ui')) {
      try {
        metrics = await uiPhase(install);
      } catch (e) {
        failure ??= e;
        log(`ui: ${e.message}`);
      }
    }
  } catch (e) {
    failure ??= e;
  } finally {
    await runCleanups();
  }

  log('timings:');
  for (const [label, ms] of timings) log(`  ${label.padEnd(40)} ${seconds(ms)}`);
  if (metrics.workbenchMs !== undefined) log(`  ${'ui: page load → workbench'.padEnd(40)} ${seconds(metrics.workbenchMs)}`);
  if (metrics.activationMs !== undefined) {
    log(`  ${'ui: page load → FlopLens activated'.padEnd(40)} ${seconds(metrics.activationMs)} (${seconds(Math.max(0, metrics.activationAfterOpenMs))} after opening ${FIXTURE})`);
  }
  if (metrics.sidebarMs !== undefined) log(`  ${'ui: page load → first sidebar render'.padEnd(40)} ${seconds(metrics.sidebarMs)}`);
  log(`  ${'total'.padEnd(40)} ${seconds(Date.now() - t0)}`);
  const shots = fs.existsSync(SCREENSHOTS) ? fs.readdirSync(SCREENSHOTS).filter((f) => f.endsWith('.png')) : [];
  if (shots.length) log(`screenshots: ${shots.map((f) => path.join('test-results/screenshots', f)).join(', ')}`);

  const uiPassed = checks.filter((c) => c.ok).length;
  const uiFailed = checks.filter((c) => !c.ok).length;
  log(`suite ${suiteCounts.passed} passed, ${suiteCounts.failed} failed; ui ${uiPassed} passed, ${uiFailed} failed`);
  if (failure) console.error(`[floplens-it] FAILED: ${failure.stack ?? failure}`);
  const failed = suiteCounts.failed + uiFailed + (failure && !suiteCounts.failed && !uiFailed ? 1 : 0);
  console.log(`integration: ${suiteCounts.passed + uiPassed} passed, ${failed} failed`);
  process.exit(failure ? 1 : 0);
}

main();
process.exit = ((exit) => (code) => (code || !(PHASES.has('soak') || (!process.env.FLOPLENS_IT_PHASES && process.env.FLOPLENS_IT_SOAK !== '0')) ? exit(code) : import('./soak.mjs').then((m) => m.runSoak()).then((ok) => exit(ok ? 0 : 1), (e) => (console.error(e), exit(1)))))(process.exit.bind(process)); // after the phases pass: the soak (soak.mjs; FLOPLENS_IT_SOAK=0 skips it, FLOPLENS_IT_PHASES=soak runs only it)
