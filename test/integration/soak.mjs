// Soak: FlopLens under continuous typing in a real VS Code. A ~3,000-line script (a real GPT training script
// plus filler) is open with the FlopLens sidebar visible; playwright types into it for 60 s (lines of code and,
// every few lines, a `# floplens: steps=N` directive the sidebar shows), while the extension host's resident
// memory is sampled every few seconds. Passes when memory stays flat (the last third's median within +50 MB or
// +30% of the first third's), the sidebar kept updating during the typing, and after the last keystroke it shows
// the last edit within a few seconds.
//
// V8 grows its heap lazily, so a host that leaks nothing can still add 100+ MB of RSS in a minute of garbage. To
// measure what is retained, a probe loaded into the extension host (as the workbench's extensionTestsPath, the way
// the suite runs) forces a full GC every few seconds and reports it; at each report the RSS of the extension-host
// process (found in /proc by its run tag and `--type=extensionHost`) is read, with the heap the probe measured.
//
//   node test/integration/soak.mjs            (setup and build as run.mjs does; FLOPLENS_IT_SKIP_BUILD=1 skips the build)
//   FLOPLENS_SOAK_SECONDS=60 FLOPLENS_SOAK_SAMPLE_MS=3000   (defaults)
// run.mjs runs it after its phases (export `runSoak`); FLOPLENS_IT_SOAK=0 skips it there.
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import {
  CACHE, ROOT, ensureInstalled, launchBrowser, log, makeProfile, remoteUri, runCleanups, seconds, startServer, waitFor,
} from './codeServer.mjs';

const TYPING_MS = Number(process.env.FLOPLENS_SOAK_SECONDS ?? 60) * 1000;
const SAMPLE_MS = Number(process.env.FLOPLENS_SOAK_SAMPLE_MS ?? 3000);
/** The sidebar must show the last edit this soon after the last keystroke. */
const CATCH_UP_MS = 5000;
/** Allowed growth of the median RSS from the first to the last third of the samples: the larger of the two. */
const GROWTH_BYTES = 50 * 2 ** 20;
const GROWTH_RATIO = 0.3;
/** The same for the JS heap after a full GC, which is far less noisy than RSS. */
const HEAP_GROWTH_BYTES = 20 * 2 ** 20;
const SCRIPT = 'soak_gpt.py';
/** The extension under test (its package.json and dist/), as FLOPLENS_IT_EXTENSION_DIR in run.mjs. */
const EXT_DIR = path.resolve(process.env.FLOPLENS_IT_EXTENSION_DIR || ROOT);

/**
 * Runs in the extension host until the `stop` file appears: every `FLOPLENS_SOAK_SAMPLE_MS` a full GC (through the
 * inspector protocol, in process), in the main thread and in every worker thread (FlopLens analyses in one; the
 * inspector's NodeWorker domain reaches it), then one `FLOPLENS_SOAK_GC {…}` line on the console, which the
 * workbench relays, with the main thread's heap and the workers' heaps.
 */
const PROBE = `exports.run = async function run() {
  const fs = require('fs');
  const inspector = require('inspector');
  const session = new inspector.Session();
  session.connect();
  const post = (method, params = {}) => new Promise((resolve, reject) => session.post(method, params, (e, r) => (e ? reject(e) : resolve(r))));
  const workers = new Set();
  const waiting = new Map();
  let nextId = 1;
  session.on('NodeWorker.attachedToWorker', (m) => workers.add(m.params.sessionId));
  session.on('NodeWorker.detachedFromWorker', (m) => workers.delete(m.params.sessionId));
  session.on('NodeWorker.receivedMessageFromWorker', (m) => {
    const msg = JSON.parse(m.params.message);
    const done = waiting.get(msg.id);
    if (done) { waiting.delete(msg.id); done(msg.result || {}); }
  });
  const inWorker = (sessionId, method) => new Promise((resolve) => {
    const id = nextId++;
    waiting.set(id, resolve);
    session.post('NodeWorker.sendMessageToWorker', { sessionId, message: JSON.stringify({ id, method, params: {} }) }, () => {});
    setTimeout(() => { if (waiting.delete(id)) resolve({}); }, 5000);
  });
  let workerDomain = true;
  try { await post('NodeWorker.enable', { waitForDebuggerOnStart: false }); } catch { workerDomain = false; }
  const every = Number(process.env.FLOPLENS_SOAK_SAMPLE_MS) || 3000;
  const stop = process.env.FLOPLENS_SOAK_STOP;
  const deadline = Date.now() + 15 * 60 * 1000;
  console.log('FLOPLENS_SOAK_PROBE ' + process.pid);
  while (!fs.existsSync(stop) && Date.now() < deadline) {
    let workerHeap = 0;
    for (const sid of [...workers]) {
      await inWorker(sid, 'HeapProfiler.collectGarbage');
      workerHeap += (await inWorker(sid, 'Runtime.getHeapUsage')).usedSize || 0;
    }
    await post('HeapProfiler.collectGarbage');
    const m = process.memoryUsage();
    console.log('FLOPLENS_SOAK_GC ' + JSON.stringify({ pid: process.pid, heapUsed: m.heapUsed, rss: m.rss, workerHeap, workers: workers.size, workerDomain }));
    await new Promise((r) => setTimeout(r, every));
  }
  session.disconnect();
};
`;

/** A real model and training loop (nanoGPT-style), then ~2,900 lines of the helpers, configs and unused modules big scripts carry. */
export function soakScript(targetLines = 3000) {
  const model = `"""Soak test script: a character-level GPT and its training loop, plus filler."""
import math
import torch
import torch.nn as nn
from torch.nn import functional as F

batch_size = 16
block_size = 256
vocab_size = 65
n_layer = 6
n_head = 6
n_embd = 384
dropout = 0.1
max_iters = 5000
learning_rate = 3e-4


class Head(nn.Module):
    def __init__(self, head_size):
        super().__init__()
        self.key = nn.Linear(n_embd, head_size, bias=False)
        self.query = nn.Linear(n_embd, head_size, bias=False)
        self.value = nn.Linear(n_embd, head_size, bias=False)
        self.dropout = nn.Dropout(dropout)

    def forward(self, x):
        B, T, C = x.shape
        k = self.key(x)
        q = self.query(x)
        wei = q @ k.transpose(-2, -1) * k.shape[-1] ** -0.5
        wei = F.softmax(wei, dim=-1)
        wei = self.dropout(wei)
        v = self.value(x)
        return wei @ v


class MultiHeadAttention(nn.Module):
    def __init__(self, num_heads, head_size):
        super().__init__()
        self.heads = nn.ModuleList([Head(head_size) for _ in range(num_heads)])
        self.proj = nn.Linear(head_size * num_heads, n_embd)
        self.dropout = nn.Dropout(dropout)

    def forward(self, x):
        out = torch.cat([h(x) for h in self.heads], dim=-1)
        return self.dropout(self.proj(out))


class FeedForward(nn.Module):
    def __init__(self, n_embd):
        super().__init__()
        self.net = nn.Sequential(nn.Linear(n_embd, 4 * n_embd), nn.ReLU(), nn.Linear(4 * n_embd, n_embd), nn.Dropout(dropout))

    def forward(self, x):
        return self.net(x)


class Block(nn.Module):
    def __init__(self, n_embd, n_head):
        super().__init__()
        head_size = n_embd // n_head
        self.sa = MultiHeadAttention(n_head, head_size)
        self.ffwd = FeedForward(n_embd)
        self.ln1 = nn.LayerNorm(n_embd)
        self.ln2 = nn.LayerNorm(n_embd)

    def forward(self, x):
        x = x + self.sa(self.ln1(x))
        x = x + self.ffwd(self.ln2(x))
        return x


class GPTLanguageModel(nn.Module):
    def __init__(self):
        super().__init__()
        self.token_embedding_table = nn.Embedding(vocab_size, n_embd)
        self.position_embedding_table = nn.Embedding(block_size, n_embd)
        self.blocks = nn.Sequential(*[Block(n_embd, n_head=n_head) for _ in range(n_layer)])
        self.ln_f = nn.LayerNorm(n_embd)
        self.lm_head = nn.Linear(n_embd, vocab_size)

    def forward(self, idx, targets=None):
        B, T = idx.shape
        tok_emb = self.token_embedding_table(idx)
        pos_emb = self.position_embedding_table(torch.arange(T))
        x = tok_emb + pos_emb
        x = self.blocks(x)
        x = self.ln_f(x)
        logits = self.lm_head(x)
        B, T, C = logits.shape
        loss = F.cross_entropy(logits.view(B * T, C), targets.view(B * T))
        return logits, loss


model = GPTLanguageModel()
optimizer = torch.optim.AdamW(model.parameters(), lr=learning_rate)
for it in range(max_iters):
    xb = torch.randint(0, vocab_size, (batch_size, block_size))
    yb = torch.randint(0, vocab_size, (batch_size, block_size))
    logits, loss = model(xb, yb)
    optimizer.zero_grad(set_to_none=True)
    loss.backward()
    optimizer.step()

`;
  const out = [model];
  let lines = model.split('\n').length;
  for (let i = 0; lines < targetLines; i++) {
    let chunk;
    switch (i % 4) {
      case 0:
        chunk = `def helper_${i}(x, scale=${i + 1}):\n    """Scale and shift, helper ${i}."""\n    y = x * scale + ${i}\n    if y > ${i * 10}:\n        y = y - ${i}\n    return y\n\n`;
        break;
      case 1:
        chunk = `class Unused${i}(nn.Module):\n    def __init__(self, width=${64 + i}):\n        super().__init__()\n        self.fc = nn.Linear(width, width)\n        self.norm = nn.LayerNorm(width)\n\n    def forward(self, x):\n        return self.norm(self.fc(x))\n\n`;
        break;
      case 2:
        chunk = `CONFIG_${i} = {'lr': ${i + 1} * 1e-4, 'name': 'run_${i}', 'layers': [${i % 7 + 1}, ${i % 5 + 2}], 'warmup': ${i * 10}}\nRESULTS_${i} = [CONFIG_${i}['lr'] * k for k in range(${i % 9 + 1})]\n`;
        break;
      default:
        chunk = `# ---------------------------------------------------------------------------\n# Section ${i}: notes on the experiment, kept as comments the way notebooks exported to\n# scripts keep them. Nothing here runs; it only makes the file as long as real ones.\n# ---------------------------------------------------------------------------\n`;
    }
    out.push(chunk);
    lines += chunk.split('\n').length - 1;
  }
  return out.join('');
}

/** Resident memory of a process, bytes (from /proc). */
function rssBytes(pid) {
  const m = /VmRSS:\s+(\d+) kB/.exec(fs.readFileSync(`/proc/${pid}/status`, 'utf8'));
  if (!m) throw new Error(`no VmRSS for ${pid}`);
  return Number(m[1]) * 1024;
}

/** The server's Node extension host: a process carrying the server's run tag with `--type=extensionHost`. */
function extensionHostPids(runTag) {
  const needle = Buffer.from(`\0FLOPLENS_IT_RUN=${runTag}\0`);
  const pids = [];
  for (const entry of fs.readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const cmdline = fs.readFileSync(`/proc/${entry}/cmdline`, 'utf8');
      if (!cmdline.includes('--type=extensionHost')) continue;
      const environ = Buffer.concat([Buffer.from('\0'), fs.readFileSync(`/proc/${entry}/environ`), Buffer.from('\0')]);
      if (environ.includes(needle)) pids.push(Number(entry));
    } catch {
      // gone, or not ours
    }
  }
  return pids;
}

const median = (xs) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
};
const mb = (b) => `${(b / 2 ** 20).toFixed(1)} MB`;

/** The FlopLens sidebar's text ('' until its webview has rendered). */
async function sidebarText(page) {
  const n = await page.locator('iframe.webview.ready').count();
  for (let i = 0; i < n; i++) {
    const body = page.frameLocator('iframe.webview.ready').nth(i).frameLocator('iframe#active-frame').locator('body[data-view="sidebar"]');
    if (await body.count().catch(() => 0)) return (await body.innerText({ timeout: 2000 }).catch(() => '')).replace(/\s+/g, ' ');
  }
  return '';
}

/** The whole-run heading's step count in the sidebar, e.g. "Whole run (10,042 steps)" → 10042. */
const shownSteps = (text) => {
  const m = /Whole run \(([\d,]+) steps\)/i.exec(text);
  return m ? Number(m[1].replace(/,/g, '')) : undefined;
};

/** Runs the soak; resolves true when it passed. Leaves no process behind. */
export async function runSoak({ install } = {}) {
  const t0 = Date.now();
  install ??= ensureInstalled();
  if (!fs.existsSync(path.join(EXT_DIR, 'dist/extension.js'))) throw new Error(`${path.join(EXT_DIR, 'dist/extension.js')} missing: run node esbuild.js`);
  const dir = path.join(CACHE, 'soak');
  const workspace = path.join(dir, 'workspace');
  const profile = makeProfile(path.join(dir, 'profile'), {
    settings: {
      // Typing must produce exactly the keys sent: no completion accepted by Enter, no auto-closing, no formatting.
      'editor.quickSuggestions': { other: 'off', comments: 'off', strings: 'off' },
      'editor.suggestOnTriggerCharacters': false,
      'editor.acceptSuggestionOnEnter': 'off',
      'editor.wordBasedSuggestions': 'off',
      'editor.autoClosingBrackets': 'never',
      'editor.autoClosingQuotes': 'never',
      'editor.formatOnType': false,
      'editor.autoIndent': 'none',
      'files.autoSave': 'off',
    },
  });
  fs.rmSync(workspace, { recursive: true, force: true });
  fs.mkdirSync(workspace, { recursive: true });
  const text = soakScript();
  fs.writeFileSync(path.join(workspace, SCRIPT), text);
  const probe = path.join(dir, 'probe', 'index.js');
  const stopFile = path.join(dir, 'probe', 'stop');
  fs.rmSync(path.dirname(probe), { recursive: true, force: true });
  fs.mkdirSync(path.dirname(probe), { recursive: true });
  fs.writeFileSync(probe, PROBE);
  log(`soak: ${SCRIPT} has ${text.split('\n').length} lines; typing for ${seconds(TYPING_MS)}, sampling every ${seconds(SAMPLE_MS)}`);

  const server = await startServer(install, profile, { smokeTestDriver: true, name: 'soak', extraEnv: { FLOPLENS_SOAK_SAMPLE_MS: String(SAMPLE_MS), FLOPLENS_SOAK_STOP: stopFile } });
  const context = await launchBrowser(path.join(profile.dir, 'chromium'));
  const page = context.pages()[0] ?? (await context.newPage());
  const samples = [];
  let recording = false;
  let pid;
  let probePid;
  let start = 0;
  let exited;
  const probeDone = new Promise((resolve) => (exited = resolve));
  await page.exposeFunction('codeAutomationLog', (_type, args) => {
    const line = (Array.isArray(args) ? args : [args]).join(' ');
    if (line.startsWith('FLOPLENS_SOAK_PROBE ')) probePid = Number(line.split(' ')[1]);
    if (!line.startsWith('FLOPLENS_SOAK_GC ') || !recording || !pid) return;
    const gc = JSON.parse(line.slice('FLOPLENS_SOAK_GC '.length));
    // Read at once, right after the probe's full GC: what the process retains.
    samples.push({ t: Date.now() - start, rss: rssBytes(pid), heapUsed: gc.heapUsed, workerHeap: gc.workerHeap ?? 0, workers: gc.workers ?? 0, workerDomain: gc.workerDomain });
  });
  await page.exposeFunction('codeAutomationExit', (code) => exited(code));
  try {
    // The development copy of the extension (the dist/ just built) with the probe as its tests path, as in the suite phase.
    const payload = [['extensionDevelopmentPath', remoteUri(server.url, EXT_DIR)], ['extensionTestsPath', remoteUri(server.url, probe)], ['skipWelcome', 'true'], ['skipReleaseNotes', 'true']];
    await page.goto(`${server.url}/?folder=${encodeURIComponent(workspace)}&payload=${encodeURIComponent(JSON.stringify(payload))}`);
    await page.locator('.monaco-workbench .part.activitybar').waitFor({ timeout: 90_000 });

    await page.keyboard.press('Control+P');
    const quick = page.locator('.quick-input-widget .quick-input-box input');
    await quick.waitFor({ timeout: 30_000 });
    await quick.fill(SCRIPT);
    await page.locator(`.quick-input-list .monaco-list-row[aria-label*="${SCRIPT}"]`).first().click({ timeout: 30_000 });
    await page.locator('.editor-instance .view-lines', { hasText: 'Soak test script' }).first().waitFor({ timeout: 30_000 });

    const item = page.locator('.activitybar .action-item a[aria-label^="FlopLens"]').first();
    await item.waitFor({ timeout: 60_000 });
    if (!(await page.locator('.activitybar .action-item.checked a[aria-label^="FlopLens"]').count())) await item.click();
    const firstSteps = await waitFor('the sidebar to show the script', async () => shownSteps(await sidebarText(page)), { timeoutMs: 90_000, intervalMs: 500 });
    const pids = await waitFor('the extension host process', () => {
      const p = extensionHostPids(server.runTag);
      return p.length ? p : undefined;
    }, { timeoutMs: 30_000 });
    pid = pids[pids.length - 1];
    await waitFor('the probe in the extension host', () => probePid, { timeoutMs: 30_000 });
    if (probePid !== pid) throw new Error(`the probe runs in pid ${probePid}, but /proc names ${pids.join(', ')} as the extension host`);
    log(`soak: sidebar shows ${firstSteps} steps; extension host pid ${pid}, RSS ${mb(rssBytes(pid))}`);

    // The cursor at the end of the file, in the editor.
    await page.locator('.editor-instance .view-lines').first().click();
    await page.keyboard.press('Control+End');
    await page.keyboard.press('Enter');

    const seenSteps = new Set([firstSteps]);
    let lastSteps = firstSteps;
    let nextLook = Date.now();
    start = Date.now();
    recording = true;
    let typedLines = 0;
    for (let i = 0; Date.now() - start < TYPING_MS; i++) {
      const directive = i % 4 === 3;
      const steps = 10_000 + i;
      const line = directive ? `# floplens: steps=${steps}` : `soak_value_${i} = ${i} * 3 + 1`;
      await page.keyboard.type(line, { delay: 35 });
      await page.keyboard.press('Enter');
      typedLines++;
      if (directive) lastSteps = steps;
      // Bursts and pauses as people type: some pauses outlast the 250 ms debounce, some do not.
      await new Promise((r) => setTimeout(r, i % 3 === 0 ? 600 : 150));
      if (Date.now() >= nextLook) {
        const shown = shownSteps(await sidebarText(page));
        if (shown !== undefined) seenSteps.add(shown);
        nextLook += SAMPLE_MS;
      }
    }
    // The last edit changes what the sidebar shows: how long until it does?
    lastSteps = 90_000 + typedLines;
    await page.keyboard.type(`# floplens: steps=${lastSteps}`, { delay: 35 });
    const typedAt = Date.now();
    await page.keyboard.press('Enter');
    typedLines++;
    recording = false;
    const caughtUp = await waitFor(`the sidebar to show the last edit (steps=${lastSteps})`, async () => (shownSteps(await sidebarText(page)) === lastSteps ? Date.now() : undefined), { timeoutMs: 30_000, intervalMs: 100 });
    const lagMs = caughtUp - typedAt;

    // Memory: the median of the last third of the samples against the first third's, for RSS and the heap.
    const third = Math.max(1, Math.floor(samples.length / 3));
    const growth = (key, bytes) => {
      const first = median(samples.slice(0, third).map((s) => s[key]));
      const last = median(samples.slice(-third).map((s) => s[key]));
      return { first, last, allowed: Math.max(bytes, first * GROWTH_RATIO) };
    };
    const rss = growth('rss', GROWTH_BYTES);
    const heap = growth('heapUsed', HEAP_GROWTH_BYTES);
    const workerHeap = growth('workerHeap', HEAP_GROWTH_BYTES);
    log(`soak: typed ${typedLines} lines in ${seconds(typedAt - start)}; the sidebar showed ${seenSteps.size} different step counts while typing`);
    log(`soak: extension host RSS after each full GC (MB): ${samples.map((s) => (s.rss / 2 ** 20).toFixed(0)).join(' ')}`);
    log(`soak: extension host JS heap after each full GC (MB): ${samples.map((s) => (s.heapUsed / 2 ** 20).toFixed(1)).join(' ')}`);
    const workersSeen = Math.max(0, ...samples.map((s) => s.workers));
    log(`soak: analysis worker JS heap after each full GC (MB): ${samples.map((s) => (s.workerHeap / 2 ** 20).toFixed(1)).join(' ')} (${workersSeen} worker thread(s)${samples.some((s) => s.workerDomain === false) ? '; the inspector could not reach workers' : ''})`);
    for (const [name, g] of [['RSS', rss], ['heap', heap], ['worker heap', workerHeap]]) {
      log(`soak: ${name} median first third ${mb(g.first)}, last third ${mb(g.last)} (${g.last >= g.first ? '+' : ''}${mb(g.last - g.first)}, ${((g.last / g.first - 1) * 100).toFixed(1)}%; allowed +${mb(g.allowed)})`);
    }
    log(`soak: the sidebar showed the last edit ${seconds(lagMs)} after the last keystroke (allowed ${seconds(CATCH_UP_MS)})`);

    const failures = [];
    if (samples.length < 6) failures.push(`only ${samples.length} memory samples`);
    if (workersSeen < 1) failures.push('no analysis worker thread was seen in the extension host');
    for (const [name, g] of [['RSS', rss], ['JS heap', heap], ['analysis worker JS heap', workerHeap]]) {
      if (g.last - g.first > g.allowed) failures.push(`extension host ${name} grew ${mb(g.last - g.first)} (allowed ${mb(g.allowed)})`);
    }
    if (seenSteps.size < 3) failures.push(`the sidebar showed only ${seenSteps.size} step count(s) while typing: it did not keep up`);
    if (lagMs > CATCH_UP_MS) failures.push(`the sidebar took ${seconds(lagMs)} to show the last edit`);
    const editorText = await page.locator('.editor-instance .view-lines').first().innerText();
    if (!editorText.replace(/\u00a0/g, ' ').includes(`# floplens: steps=${lastSteps}`)) failures.push('the last typed line is not in the editor as typed');
    for (const f of failures) log(`soak: FAILED: ${f}`);
    log(`soak: ${failures.length ? 'failed' : 'passed'} in ${seconds(Date.now() - t0)}`);
    return failures.length === 0;
  } catch (e) {
    await page.screenshot({ path: path.join(dir, 'soak-failure.png') }).catch(() => {});
    log(`soak: FAILED: ${e.message} (screenshot ${path.join(dir, 'soak-failure.png')}, server log ${server.logFile})`);
    return false;
  } finally {
    // Let the probe return (the workbench then ends the test run) before closing.
    fs.writeFileSync(stopFile, '');
    await Promise.race([probeDone, new Promise((r) => setTimeout(r, 10_000))]);
    await context.close().catch(() => {});
    await server.stop();
  }
}

if (process.argv[1] && import.meta.url === pathToFileURL(path.resolve(process.argv[1])).href) {
  const install = ensureInstalled();
  if (!process.env.FLOPLENS_IT_SKIP_BUILD) {
    const r = spawnSync(process.execPath, ['esbuild.js'], { cwd: ROOT, stdio: 'inherit' });
    if (r.status !== 0) process.exit(1);
  }
  let ok = false;
  try {
    ok = await runSoak({ install });
  } finally {
    await runCleanups();
  }
  process.exit(ok ? 0 : 1);
}

