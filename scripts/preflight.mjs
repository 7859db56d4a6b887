#!/usr/bin/env node
// Preflight for `npm test`, `npm run test:integration` and `npm run demo:editor`: checks, in its first seconds,
// everything the real-VS-Code tests need before anything slow starts:
//   Node ≥ 20; Debian's Chromium at /usr/bin/chromium (or $FLOPLENS_CHROMIUM); and, until code-server has been
//   built into .cache/vscode-test, what its native modules build with: libkrb5-dev (gssapi headers,
//   krb5-config), python3, make, g++; and the disk space that build needs.
// Missing packages are installed with apt-get when it can (as root, or with password-less `sudo -n`); otherwise
// it stops at once with the one command to run. Plain Node, builtins only: it runs before `npm ci`'s output is
// used. `npm run demo` (the CLI) does not need it.
// Environment: FLOPLENS_PREFLIGHT_INSTALL=0 never installs (prints the command and stops),
// FLOPLENS_PREFLIGHT=0 skips the check, FLOPLENS_CHROMIUM, FLOPLENS_VSCODE_TEST_CACHE, FLOPLENS_NODE_SPEC and
// FLOPLENS_CODE_SERVER_VERSION as in scripts/setupVscodeTest.sh.
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { installDir } from '../test/integration/codeServer.mjs';

export const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const GB = 2 ** 30;
/** Free space the first code-server build needs under .cache (≈ 800 MB installed, plus build files), bytes. */
export const FIRST_SETUP_BYTES = 1.5 * GB;
/** Free space a test run needs once code-server is installed (profiles, logs, screenshots, the .vsix), bytes. */
export const RUN_BYTES = 0.3 * GB;
export const MIN_NODE_MAJOR = 20;

/** Debian package per probe that can be missing. */
export const PACKAGES = { chromium: 'chromium', krb5: 'libkrb5-dev', python3: 'python3', make: 'make', gxx: 'g++' };

/**
 * What to do, from what the probes found. Pure: every fact about the machine comes in `p`.
 * @param {{ nodeVersion: string, chromium: boolean, chromiumPath: string, gssapiHeader: boolean, krb5Config: boolean,
 *   python3: boolean, make: boolean, gxx: boolean, codeServerInstalled: boolean, freeBytes: number | undefined,
 *   cacheDir: string, isRoot: boolean, canSudo: boolean, aptGet: boolean, installAllowed: boolean }} p
 * @returns {{ action: 'ok' | 'install' | 'stop', packages: string[], installArgv: string[][], command: string | undefined,
 *   problems: string[], present: string[] }}
 */
export function decide(p) {
  const problems = [];
  const present = [];
  const packages = [];
  const major = Number(/^v?(\d+)/.exec(p.nodeVersion)?.[1] ?? 0);
  if (major < MIN_NODE_MAJOR) problems.push(`Node ${p.nodeVersion} is too old: FlopLens needs Node ${MIN_NODE_MAJOR} or newer (https://nodejs.org/en/download, or \`nvm install ${MIN_NODE_MAJOR}\`).`);
  else present.push(`node ${p.nodeVersion}`);

  const need = (ok, pkg, what) => { if (ok) present.push(what); else packages.push(pkg); };
  need(p.chromium, PACKAGES.chromium, `chromium (${p.chromiumPath})`);
  if (p.codeServerInstalled) {
    present.push('code-server already built (no build tools needed)');
  } else {
    need(p.gssapiHeader && p.krb5Config, PACKAGES.krb5, 'libkrb5-dev');
    need(p.python3, PACKAGES.python3, 'python3');
    need(p.make, PACKAGES.make, 'make');
    need(p.gxx, PACKAGES.gxx, 'g++');
  }

  const wantBytes = p.codeServerInstalled ? RUN_BYTES : FIRST_SETUP_BYTES;
  const gb = (b) => `${(b / GB).toFixed(1)} GB`;
  if (p.freeBytes !== undefined) {
    if (p.freeBytes < wantBytes) problems.push(`Not enough disk space for ${p.cacheDir}: ${gb(p.freeBytes)} free, ${gb(wantBytes)} needed${p.codeServerInstalled ? '' : ' (code-server and Node 24 are built there on first use)'}. Free some space and run again.`);
    else present.push(`${gb(p.freeBytes)} free for .cache`);
  }

  const list = packages.join(' ');
  const userCommand = packages.length ? `sudo apt-get update && sudo apt-get install -y --no-install-recommends ${list}` : undefined;
  if (packages.length && !p.aptGet) {
    problems.push(`Missing: ${list}. There is no apt-get here: install the equivalent packages with your system's package manager (on Debian/Ubuntu: ${userCommand}).`);
    return { action: 'stop', packages, installArgv: [], command: undefined, problems, present };
  }
  if (problems.length) {
    if (packages.length) problems.push(`Also missing: ${list}. Run:\n    ${userCommand}`);
    return { action: 'stop', packages, installArgv: [], command: userCommand, problems, present };
  }
  if (!packages.length) return { action: 'ok', packages, installArgv: [], command: undefined, problems, present };
  const asRoot = p.isRoot ? [] : p.canSudo ? ['sudo', '-n'] : undefined;
  if (!p.installAllowed || !asRoot) {
    problems.push(`Missing: ${list}.${p.installAllowed ? ' Installing needs root (or password-less sudo).' : ''} Run:\n    ${userCommand}`);
    return { action: 'stop', packages, installArgv: [], command: userCommand, problems, present };
  }
  const installArgv = [
    [...asRoot, 'apt-get', 'update', '-qq'],
    [...asRoot, 'apt-get', 'install', '-y', '-qq', '--no-install-recommends', '-o', 'DPkg::Lock::Timeout=300', ...packages],
  ];
  return { action: 'install', packages, installArgv, command: userCommand, problems, present };
}

/** True if `name` is an executable file in one of PATH's folders. */
export function onPath(name, envPath = process.env.PATH ?? '') {
  return envPath.split(path.delimiter).some((dir) => {
    if (!dir) return false;
    try { fs.accessSync(path.join(dir, name), fs.constants.X_OK); return fs.statSync(path.join(dir, name)).isFile(); } catch { return false; }
  });
}

/** The marker scripts/setupVscodeTest.sh writes, with the versions it wants and both files present. */
function codeServerInstalled(env, cacheDir) {
  const want = `${env.FLOPLENS_NODE_SPEC || 'node@24'} code-server@${env.FLOPLENS_CODE_SERVER_VERSION || '4.139.1'}`;
  try {
    const m = JSON.parse(fs.readFileSync(path.join(cacheDir, 'installed.json'), 'utf8'));
    return m.want === want && fs.existsSync(m.node) && fs.existsSync(m.codeServerEntry);
  } catch { return false; }
}

function freeBytes(dir) {
  let d = path.resolve(dir);
  while (!fs.existsSync(d) && path.dirname(d) !== d) d = path.dirname(d);
  try { const s = fs.statfsSync(d); return s.bavail * s.bsize; } catch { return undefined; }
}

/** The facts `decide` needs, read from this machine. `canSudo` is asked only when something must be installed. */
export function probe(env = process.env) {
  const cacheDir = installDir(env, ROOT);
  const chromiumPath = env.FLOPLENS_CHROMIUM || '/usr/bin/chromium';
  const p = {
    nodeVersion: process.version,
    chromiumPath,
    chromium: fs.existsSync(chromiumPath),
    gssapiHeader: fs.existsSync('/usr/include/gssapi/gssapi.h'),
    krb5Config: onPath('krb5-config', env.PATH),
    python3: onPath('python3', env.PATH),
    make: onPath('make', env.PATH),
    gxx: onPath('g++', env.PATH),
    codeServerInstalled: codeServerInstalled(env, cacheDir),
    freeBytes: freeBytes(cacheDir),
    cacheDir,
    isRoot: typeof process.getuid === 'function' && process.getuid() === 0,
    canSudo: false,
    aptGet: onPath('apt-get', env.PATH),
    installAllowed: env.FLOPLENS_PREFLIGHT_INSTALL !== '0',
  };
  if (!p.isRoot && decide(p).packages.length && onPath('sudo', env.PATH)) {
    p.canSudo = spawnSync('sudo', ['-n', 'true'], { stdio: 'ignore', env }).status === 0;
  }
  return p;
}

const log = (m) => console.log(`[preflight] ${m}`);

export function main(env = process.env) {
  const t0 = Date.now();
  const secs = () => `${((Date.now() - t0) / 1000).toFixed(1)} s`;
  if (env.FLOPLENS_PREFLIGHT === '0') { log('skipped (FLOPLENS_PREFLIGHT=0)'); return 0; }
  let d = decide(probe(env));
  if (d.action === 'install') {
    log(`installing ${d.packages.join(' ')} (apt-get, ${d.installArgv[0][0] === 'sudo' ? 'sudo -n' : 'as root'}) …`);
    for (const argv of d.installArgv) {
      const r = spawnSync(argv[0], argv.slice(1), { stdio: 'inherit', env: { ...env, DEBIAN_FRONTEND: 'noninteractive' } });
      if (r.status !== 0) {
        console.error(`[preflight] \`${argv.join(' ')}\` failed (exit ${r.status ?? r.signal}). Run it yourself:\n    ${d.command}`);
        return 1;
      }
    }
    const after = decide({ ...probe(env), installAllowed: false });
    if (after.action !== 'ok') {
      console.error(`[preflight] still missing after apt-get: ${after.packages.join(' ') || after.problems.join(' ')}`);
      return 1;
    }
    log(`installed ${d.packages.join(' ')} in ${secs()}`);
    d = after;
  }
  if (d.action === 'stop') {
    for (const m of d.problems) console.error(`[preflight] ${m}`);
    console.error(`[preflight] stopped before building or testing (${secs()}); nothing else was run.`);
    return 1;
  }
  log(`ok in ${secs()}: ${d.present.join(', ')}`);
  return 0;
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) process.exit(main());
