/**
 * scripts/preflight.mjs, the first step of `npm test`, `npm run test:integration` and `npm run demo:editor`: from
 * what the probes found, it goes on, installs the missing Debian packages itself (as root or with `sudo -n`), or
 * stops at once with the one command to run. The probes are injected here; nothing is uninstalled.
 */
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { describe, expect, it } from 'vitest';
import { decide, FIRST_SETUP_BYTES, onPath, probe, RUN_BYTES, type Probes } from '../../scripts/preflight.mjs';

const GB = 2 ** 30;
/** A fresh Debian 12 as root with Node 20: nothing of what the tests need is there yet. */
const fresh: Probes = {
  nodeVersion: 'v20.19.0', chromium: false, chromiumPath: '/usr/bin/chromium', gssapiHeader: false, krb5Config: false,
  python3: false, make: false, gxx: false, codeServerInstalled: false, freeBytes: 20 * GB, cacheDir: '/repo/.cache/vscode-test',
  isRoot: true, canSudo: false, aptGet: true, installAllowed: true,
};
const complete: Probes = { ...fresh, chromium: true, gssapiHeader: true, krb5Config: true, python3: true, make: true, gxx: true };

describe('preflight decision', () => {
  it('goes on when everything is there, and says what it found', () => {
    const d = decide(complete);
    expect(d.action).toBe('ok');
    expect(d.packages).toEqual([]);
    expect(d.present.join(', ')).toMatch(/node v20\.19\.0, chromium \(\/usr\/bin\/chromium\), libkrb5-dev, python3, make, g\+\+, 20\.0 GB free/);
  });

  it('as root on a fresh machine: apt-get update, then one install of every missing package', () => {
    const d = decide(fresh);
    expect(d.action).toBe('install');
    expect(d.packages).toEqual(['chromium', 'libkrb5-dev', 'python3', 'make', 'g++']);
    expect(d.installArgv[0]).toEqual(['apt-get', 'update', '-qq']);
    expect(d.installArgv[1].slice(0, 4)).toEqual(['apt-get', 'install', '-y', '-qq']);
    expect(d.installArgv[1]).toContain('--no-install-recommends');
    expect(d.installArgv[1].slice(-5)).toEqual(['chromium', 'libkrb5-dev', 'python3', 'make', 'g++']);
  });

  it('only what is missing is installed; the gssapi header and krb5-config both count for libkrb5-dev', () => {
    expect(decide({ ...complete, chromium: false }).packages).toEqual(['chromium']);
    expect(decide({ ...complete, krb5Config: false }).packages).toEqual(['libkrb5-dev']);
    expect(decide({ ...complete, gssapiHeader: false }).packages).toEqual(['libkrb5-dev']);
    expect(decide({ ...complete, gxx: false, make: false }).packages).toEqual(['make', 'g++']);
  });

  it('not root: password-less sudo installs with sudo -n; without it, it stops with the one exact command', () => {
    const sudo = decide({ ...fresh, isRoot: false, canSudo: true, chromium: true });
    expect(sudo.action).toBe('install');
    expect(sudo.installArgv.map((a) => a.slice(0, 3))).toEqual([['sudo', '-n', 'apt-get'], ['sudo', '-n', 'apt-get']]);

    const user = decide({ ...complete, isRoot: false, canSudo: false, chromium: false, krb5Config: false });
    expect(user.action).toBe('stop');
    expect(user.installArgv).toEqual([]);
    expect(user.command).toBe('sudo apt-get update && sudo apt-get install -y --no-install-recommends chromium libkrb5-dev');
    expect(user.problems.join('\n')).toContain(user.command);
  });

  it('FLOPLENS_PREFLIGHT_INSTALL=0: never installs, even as root; prints the command', () => {
    const d = decide({ ...complete, chromium: false, installAllowed: false });
    expect(d.action).toBe('stop');
    expect(d.problems.join('\n')).toContain('sudo apt-get update && sudo apt-get install -y --no-install-recommends chromium');
  });

  it('once code-server is built, the build tools are not needed (Chromium still is)', () => {
    const built = { ...fresh, codeServerInstalled: true };
    expect(decide(built).packages).toEqual(['chromium']);
    expect(decide({ ...built, chromium: true }).action).toBe('ok');
  });

  it('an old Node or a full disk stops at once, with the reason, and installs nothing', () => {
    const old = decide({ ...fresh, nodeVersion: 'v18.19.0' });
    expect(old.action).toBe('stop');
    expect(old.installArgv).toEqual([]);
    expect(old.problems[0]).toMatch(/Node v18\.19\.0 is too old: FlopLens needs Node 20 or newer/);
    // The missing packages are named in the same message, so the user fixes everything in one go.
    expect(old.problems.join('\n')).toContain('apt-get install -y --no-install-recommends chromium libkrb5-dev python3 make g++');
    expect(decide({ ...complete, nodeVersion: 'v22.1.0' }).action).toBe('ok');

    const full = decide({ ...complete, freeBytes: FIRST_SETUP_BYTES - 1 });
    expect(full.action).toBe('stop');
    expect(full.problems[0]).toMatch(/Not enough disk space for \/repo\/\.cache\/vscode-test: 1\.5 GB free, 1\.5 GB needed/);
    // Once code-server is built a test run needs far less.
    expect(decide({ ...complete, codeServerInstalled: true, freeBytes: RUN_BYTES + 1 }).action).toBe('ok');
    expect(decide({ ...complete, freeBytes: undefined }).action).toBe('ok');
  });

  it('without apt-get it names the packages and the Debian command instead of guessing another package manager', () => {
    const d = decide({ ...complete, make: false, aptGet: false });
    expect(d.action).toBe('stop');
    expect(d.problems[0]).toMatch(/Missing: make\. There is no apt-get here/);
  });
});

describe('preflight probes', () => {
  it('reads PATH for tools: an empty PATH has no make, g++, python3, krb5-config or apt-get', () => {
    const empty = fs.mkdtempSync(path.join(os.tmpdir(), 'floplens-preflight-'));
    try {
      const fakeBin = path.join(empty, 'make');
      fs.writeFileSync(fakeBin, '#!/bin/sh\n', { mode: 0o755 });
      fs.writeFileSync(path.join(empty, 'g++'), 'not executable', { mode: 0o644 });
      expect(onPath('make', empty)).toBe(true);
      expect(onPath('g++', empty)).toBe(false);
      const p = probe({ PATH: empty, FLOPLENS_CHROMIUM: path.join(empty, 'no-chromium'), FLOPLENS_VSCODE_TEST_CACHE: path.join(empty, 'cache') });
      expect(p).toMatchObject({ make: true, gxx: false, python3: false, krb5Config: false, aptGet: false, chromium: false, codeServerInstalled: false });
      expect(p.freeBytes).toBeGreaterThan(0);
      expect(decide(p).action).toBe('stop');
    } finally {
      fs.rmSync(empty, { recursive: true, force: true });
    }
  });
});
