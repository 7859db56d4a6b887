// Shared plumbing for running FlopLens inside a real VS Code: code-server (VS Code's own server and web
// workbench, installed by scripts/setupVscodeTest.sh) opened in Debian's Chromium through playwright-core.
// Used by run.mjs (npm run test:integration), scripts/codeShim.js (@vscode/test-electron) and
// scripts/demoEditor.mjs (npm run demo:editor). Nothing here downloads anything.
import { spawn, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { format } from 'node:util';

export const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
/** Per-checkout state: server profiles, logs, the demo's profile. */
export const CACHE = process.env.FLOPLENS_VSCODE_TEST_CACHE || path.join(ROOT, '.cache/vscode-test');
/**
 * Where scripts/setupVscodeTest.sh installs Node 24 and code-server: the user's cache, shared by every checkout on
 * the machine (as npm's cache is), so a second clone does not rebuild code-server. Same rule as the script.
 */
export const INSTALL = installDir(process.env, ROOT);

/** The install folder for an environment (FLOPLENS_VSCODE_TEST_INSTALL, then _CACHE, then XDG/home, then the checkout). */
export function installDir(env, root) {
  if (env.FLOPLENS_VSCODE_TEST_INSTALL) return env.FLOPLENS_VSCODE_TEST_INSTALL;
  if (env.FLOPLENS_VSCODE_TEST_CACHE) return env.FLOPLENS_VSCODE_TEST_CACHE;
  if (env.XDG_CACHE_HOME) return path.join(env.XDG_CACHE_HOME, 'floplens/vscode-test');
  if (env.HOME && fs.existsSync(env.HOME)) return path.join(env.HOME, '.cache/floplens/vscode-test');
  return path.join(root, '.cache/vscode-test');
}
export const CHROMIUM = process.env.FLOPLENS_CHROMIUM || '/usr/bin/chromium';

/** Chromium flags: a closed network (no background requests), software GL for webviews (WebGL2 benchmark). */
export const CHROMIUM_ARGS = [
  '--no-sandbox',
  '--disable-gpu',
  '--enable-unsafe-swiftshader',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--disable-dev-shm-usage',
];

/** User settings for every workbench the harness opens: no welcome page, no chat, no telemetry, no updates. */
export const USER_SETTINGS = {
  'workbench.startupEditor': 'none',
  'workbench.tips.enabled': false,
  'workbench.secondarySideBar.defaultVisibility': 'hidden',
  'chat.disableAIFeatures': true,
  'telemetry.telemetryLevel': 'off',
  'extensions.autoUpdate': false,
  'extensions.autoCheckUpdates': false,
  'update.mode': 'none',
  'security.workspace.trust.enabled': false,
  'git.enabled': false,
  'editor.hover.delay': 200,
};

export const log = (...args) => console.log('[floplens-it]', ...args);
export const seconds = (ms) => `${(ms / 1000).toFixed(1)} s`;

/** Runs scripts/setupVscodeTest.sh (a no-op once installed) and returns what it installed. */
export function ensureInstalled() {
  const r = spawnSync('bash', [path.join(ROOT, 'scripts/setupVscodeTest.sh')], { stdio: 'inherit', env: process.env });
  if (r.status !== 0) throw new Error(`scripts/setupVscodeTest.sh failed (exit ${r.status ?? r.signal})`);
  return readInstall();
}

/** @returns {{ node: string, nodeVersion: string, codeServerEntry: string, codeServerVersion: string }} */
export function readInstall() {
  const marker = path.join(INSTALL, 'installed.json');
  if (!fs.existsSync(marker)) throw new Error(`${marker} missing: run scripts/setupVscodeTest.sh`);
  return JSON.parse(fs.readFileSync(marker, 'utf8'));
}

export function freePort() {
  return new Promise((resolve, reject) => {
    const srv = net.createServer();
    srv.unref();
    srv.on('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const { port } = srv.address();
      srv.close(() => resolve(port));
    });
  });
}

/** Polls `check` every `intervalMs` until it returns a truthy value; throws `what` after `timeoutMs`, or at once on an error with `fatal`. */
export async function waitFor(what, check, { timeoutMs = 60_000, intervalMs = 250 } = {}) {
  const deadline = Date.now() + timeoutMs;
  let lastError;
  for (;;) {
    try {
      const value = await check();
      if (value) return value;
    } catch (e) {
      if (e?.fatal) throw e;
      lastError = e;
    }
    if (Date.now() > deadline) {
      throw new Error(`timed out after ${seconds(timeoutMs)} waiting for ${what}${lastError ? `: ${lastError.message}` : ''}`);
    }
    await new Promise((r) => setTimeout(r, intervalMs));
  }
}

/**
 * A private VS Code profile under `dir`: XDG dirs, user data (with settings.json), extensions, config, TMPDIR.
 * Everything code-server and its children write stays inside it (user data and extensions may live elsewhere).
 */
export function makeProfile(dir, { settings = {}, fresh = true, userDataDir, extensionsDir } = {}) {
  if (fresh) fs.rmSync(dir, { recursive: true, force: true });
  const p = {
    dir,
    userDataDir: userDataDir ?? path.join(dir, 'user-data'),
    extensionsDir: extensionsDir ?? path.join(dir, 'extensions'),
    config: path.join(dir, 'code-server.yaml'),
    tmp: path.join(dir, 'tmp'),
    xdg: path.join(dir, 'xdg'),
  };
  for (const d of [p.userDataDir, p.extensionsDir, p.tmp, path.join(p.xdg, 'config'), path.join(p.xdg, 'data'), path.join(p.xdg, 'cache')]) {
    fs.mkdirSync(d, { recursive: true });
  }
  fs.mkdirSync(path.join(p.userDataDir, 'User'), { recursive: true });
  const settingsFile = path.join(p.userDataDir, 'User/settings.json');
  let existing = {};
  try {
    existing = JSON.parse(fs.readFileSync(settingsFile, 'utf8'));
  } catch {
    // none yet, or not plain JSON: ours replaces it
  }
  fs.writeFileSync(settingsFile, JSON.stringify({ ...existing, ...USER_SETTINGS, ...settings }, null, 2));
  if (!fs.existsSync(p.config)) fs.writeFileSync(p.config, 'auth: none\ncert: false\n');
  return p;
}

/** The environment for code-server: Node 24 first on PATH, private XDG/TMPDIR, no VS Code IPC of a parent. */
function serverEnv(install, profile, runTag, extraEnv = {}) {
  const env = {};
  for (const [k, v] of Object.entries(process.env)) {
    // A VS Code terminal's IPC hook would make code-server hand its work to that VS Code instead.
    if (k.startsWith('VSCODE_') || k === 'ELECTRON_RUN_AS_NODE') continue;
    env[k] = v;
  }
  return {
    ...env,
    PATH: `${path.dirname(install.node)}:${env.PATH}`,
    XDG_CONFIG_HOME: path.join(profile.xdg, 'config'),
    XDG_DATA_HOME: path.join(profile.xdg, 'data'),
    XDG_CACHE_HOME: path.join(profile.xdg, 'cache'),
    TMPDIR: profile.tmp,
    FLOPLENS_IT_RUN: runTag,
    // No extension gallery: nothing to fetch offline, and no lookups of hosts that cannot be reached.
    EXTENSIONS_GALLERY: '{}',
    ...extraEnv,
  };
}

function profileArgs(profile) {
  return [
    '--config', profile.config,
    '--user-data-dir', profile.userDataDir,
    '--extensions-dir', profile.extensionsDir,
    '--auth', 'none',
    '--disable-telemetry',
    '--disable-update-check',
    '--disable-workspace-trust',
    '--disable-getting-started-override',
    '--ignore-last-opened',
  ];
}

/** `code-server --install-extension <vsix>` into the profile's private extensions dir. */
export function installVsix(install, profile, vsix) {
  const t0 = Date.now();
  const runTag = `install-${process.pid}`;
  const args = [install.codeServerEntry, ...profileArgs(profile), '--install-extension', vsix, '--force'];
  const r = spawnSync(install.node, args, { env: serverEnv(install, profile, runTag), encoding: 'utf8' });
  const out = `${r.stdout}${r.stderr}`.trim();
  if (r.status !== 0 || !/successfully installed/i.test(out)) {
    throw new Error(`installing ${vsix} failed (exit ${r.status}):\n${out}`);
  }
  const list = spawnSync(install.node, [install.codeServerEntry, ...profileArgs(profile), '--list-extensions', '--show-versions'], {
    env: serverEnv(install, profile, runTag),
    encoding: 'utf8',
  });
  return { ms: Date.now() - t0, output: out, extensions: list.stdout.trim().split('\n').filter(Boolean) };
}

/**
 * Starts code-server on a free loopback port as the leader of its own process group and waits for /healthz.
 * @returns {Promise<{ url: string, port: number, child: import('node:child_process').ChildProcess, stop: () => Promise<void>, logFile: string }>}
 */
export async function startServer(install, profile, { smokeTestDriver = false, port, extraArgs = [], extraEnv = {}, name = 'server', quiet = true } = {}) {
  if (exiting) throw new Error('tearing down: not starting code-server');
  port ??= await freePort();
  const runTag = `${name}-${process.pid}-${Date.now()}`;
  const args = [
    install.codeServerEntry,
    ...profileArgs(profile),
    '--bind-addr', `127.0.0.1:${port}`,
    '--reconnection-grace-time', '5',
    ...(smokeTestDriver ? ['--vscode-option', 'enable-smoke-test-driver'] : []),
    ...extraArgs,
  ];
  const logFile = path.join(profile.dir, `${name}.log`);
  const out = fs.openSync(logFile, 'a');
  const child = spawn(install.node, args, {
    cwd: profile.dir,
    env: serverEnv(install, profile, runTag, extraEnv),
    detached: true,
    stdio: ['ignore', quiet ? out : 'inherit', quiet ? out : 'inherit'],
  });
  fs.closeSync(out);
  let exited = null;
  child.on('exit', (code, signal) => (exited = { code, signal }));
  const url = `http://127.0.0.1:${port}`;
  let stopping;
  const stop = () => (stopping ??= (unregister(), stopProcessGroup(child, runTag)));
  const unregister = registerCleanup(stop);
  const server = { url, port, child, logFile, runTag, stop };
  try {
    await waitFor(`code-server /healthz on ${url}`, async () => {
      if (exited) return 'exited';
      const res = await fetch(`${url}/healthz`).catch(() => null);
      return res?.ok;
    }, { timeoutMs: 60_000, intervalMs: 200 });
    if (exited) throw new Error(`code-server exited (${JSON.stringify(exited)}); see ${logFile}`);
  } catch (e) {
    await stop();
    throw e;
  }
  return server;
}

/** The pids of processes whose environment carries FLOPLENS_IT_RUN=<runTag>: everything a server spawned. */
function taggedPids(runTag) {
  const needle = Buffer.from(`\0FLOPLENS_IT_RUN=${runTag}\0`);
  const pids = [];
  for (const entry of fs.readdirSync('/proc')) {
    if (!/^\d+$/.test(entry) || Number(entry) === process.pid) continue;
    try {
      const environ = Buffer.concat([Buffer.from('\0'), fs.readFileSync(`/proc/${entry}/environ`), Buffer.from('\0')]);
      if (environ.includes(needle)) pids.push(Number(entry));
    } catch {
      // gone, or not ours to read
    }
  }
  return pids;
}

const alive = (pid) => {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
};

/**
 * Ends a detached child's process group (SIGTERM, then SIGKILL after 5 s), then any straggler that
 * carries our run tag but left the group (e.g. an extension host started in a new session).
 */
export async function stopProcessGroup(child, runTag) {
  const pgid = child.pid;
  const signalGroup = (sig) => {
    try {
      process.kill(-pgid, sig);
    } catch {
      // already gone
    }
  };
  signalGroup('SIGTERM');
  for (const pid of runTag ? taggedPids(runTag) : []) {
    try {
      process.kill(pid, 'SIGTERM');
    } catch {
      // already gone
    }
  }
  const deadline = Date.now() + 5000;
  const remaining = () => [pgid, ...(runTag ? taggedPids(runTag) : [])].filter(alive);
  while (Date.now() < deadline && remaining().length) await new Promise((r) => setTimeout(r, 100));
  const left = remaining();
  if (left.length) {
    signalGroup('SIGKILL');
    for (const pid of left) {
      try {
        process.kill(pid, 'SIGKILL');
      } catch {
        // already gone
      }
    }
  }
}

const cleanups = new Set();
let cleaning;
/** Registers an async teardown that also runs on SIGINT/SIGTERM/SIGHUP and on a crash. Returns an unregister function. */
export function registerCleanup(fn) {
  cleanups.add(fn);
  return () => cleanups.delete(fn);
}
/** Runs every registered teardown, newest first; concurrent callers share one run (a signal can race the main flow). */
export function runCleanups() {
  cleaning ??= (async () => {
    while (cleanups.size) {
      const fns = [...cleanups].reverse();
      cleanups.clear();
      for (const fn of fns) {
        try {
          await fn();
        } catch (e) {
          console.error('[floplens-it] cleanup failed:', e);
        }
      }
    }
  })().finally(() => (cleaning = undefined));
  return cleaning;
}
let exiting = false;
function teardownAndExit(reason, code) {
  if (exiting) return;
  exiting = true;
  log(`${reason}: tearing down`);
  runCleanups().finally(() => process.exit(code));
}
for (const sig of ['SIGINT', 'SIGTERM', 'SIGHUP']) process.on(sig, () => teardownAndExit(sig, 130));
// Closing the browser under a pending Playwright call rejects it; never leave servers behind because of that.
process.on('uncaughtException', (e) => {
  console.error(e);
  teardownAndExit('uncaught exception', 1);
});
process.on('unhandledRejection', (e) => {
  console.error(e);
  teardownAndExit('unhandled rejection', 1);
});

/** Launches Debian's Chromium through playwright-core with a fresh profile. Never downloads a browser. */
export async function launchBrowser(profileDir, { viewport = { width: 1440, height: 900 } } = {}) {
  if (exiting) throw new Error('tearing down: not launching Chromium');
  if (!fs.existsSync(CHROMIUM)) throw new Error(`${CHROMIUM} not found (apt-get install chromium)`);
  const { chromium } = await import('playwright-core');
  fs.rmSync(profileDir, { recursive: true, force: true });
  const context = await chromium.launchPersistentContext(profileDir, {
    executablePath: CHROMIUM,
    headless: true,
    args: CHROMIUM_ARGS,
    viewport,
    // Chromium's crash reporter writes to $XDG_CONFIG_HOME/chromium whatever --user-data-dir says: keep it private.
    env: { ...process.env, XDG_CONFIG_HOME: path.join(profileDir, 'xdg-config'), XDG_CACHE_HOME: path.join(profileDir, 'xdg-cache') },
    // Our own signal handlers close the browser *and* the servers; Playwright's would exit before the servers stop.
    handleSIGINT: false,
    handleSIGTERM: false,
    handleSIGHUP: false,
  });
  registerCleanup(() => context.close().catch(() => {}));
  return context;
}

/** `vscode-remote://HOST:PORT/abs/path`: the URI form that makes the workbench use the server's Node extension host. */
export function remoteUri(serverUrl, absPath) {
  return `vscode-remote://${new URL(serverUrl).host}${absPath}`;
}

/**
 * Runs a Mocha entry point (`run()` in extensionTestsPath) inside the server's Node extension host, through the
 * workbench `payload` URL. The server must run with `enable-smoke-test-driver`. Mocha output goes to stdout.
 * @returns {Promise<{ code: number, ms: number, output: string }>}
 */
export async function runSuiteInBrowser({ server, context, extensionDevelopmentPath, extensionTestsPath, folder, timeoutMs = 300_000, echo = true, rawLog, quietUntil }) {
  const devPaths = Array.isArray(extensionDevelopmentPath) ? extensionDevelopmentPath : [extensionDevelopmentPath];
  const payload = [
    ...devPaths.map((p) => ['extensionDevelopmentPath', remoteUri(server.url, p)]),
    ['extensionTestsPath', remoteUri(server.url, extensionTestsPath)],
    ['skipWelcome', 'true'],
    ['skipReleaseNotes', 'true'],
  ];
  const query = [folder ? `folder=${encodeURIComponent(folder)}` : '', `payload=${encodeURIComponent(JSON.stringify(payload))}`].filter(Boolean).join('&');
  const page = context.pages()[0] ?? (await context.newPage());
  const lines = [];
  // The workbench logs through the same channel; before `quietUntil` shows up only its errors are echoed,
  // one line each, less the known noise of a closed network.
  let quiet = Boolean(quietUntil);
  let finish;
  const exited = new Promise((resolve) => (finish = resolve));
  await page.exposeFunction('codeAutomationLog', (type, args) => {
    if (rawLog) fs.appendFileSync(rawLog, `${JSON.stringify([type, args])}\n`);
    const text = format(...(Array.isArray(args) ? args : [args]));
    if (quiet && quietUntil.test(text)) {
      quiet = false;
      return;
    }
    lines.push(text);
    if (!echo || KNOWN_NOISE.test(text)) return;
    if (!quiet) (type === 'error' ? process.stderr : process.stdout).write(`${text}\n`);
    else if (type === 'error' && !KNOWN_NOISE.test(text)) process.stderr.write(`[workbench] ${text.split('\n')[0]}\n`);
  });
  await page.exposeFunction('codeAutomationExit', (code) => finish(Number(code)));
  const t0 = Date.now();
  let timer;
  const timeout = new Promise((resolve) => {
    timer = setTimeout(() => resolve('timeout'), timeoutMs);
  });
  await page.goto(`${server.url}/?${query}`);
  const result = await Promise.race([exited, timeout]);
  clearTimeout(timer);
  const ms = Date.now() - t0;
  if (result === 'timeout') return { code: -1, ms, output: lines.join('\n'), timedOut: true };
  return { code: result, ms, output: lines.join('\n'), timedOut: false };
}

/** Workbench errors that only say the network is closed (gallery, GitHub auth, vsda). */
const KNOWN_NOISE = /ENOTFOUND|open-vsx|vsda|authentication provider 'github'|ERR_NAME_NOT_RESOLVED|gallery as it is disabled/;

/** Mocha's "N passing / N failing / N pending" summary from its spec-reporter output. */
export function mochaCounts(output) {
  const num = (re) => Number(output.match(re)?.[1] ?? 0);
  return { passed: num(/(\d+) passing/), failed: num(/(\d+) failing/), pending: num(/(\d+) pending/) };
}
