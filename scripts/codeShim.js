#!/usr/bin/env node
// A stand-in for the VS Code executable, so `@vscode/test-electron`'s runTests({ vscodeExecutablePath }) and
// `@vscode/test-cli` (useInstallation.fromPath) work where no desktop VS Code can be downloaded: it accepts the
// desktop flags they pass, starts code-server (scripts/setupVscodeTest.sh) with the smoke-test driver, runs
// extensionTestsPath in the server's Node extension host through Debian's Chromium, and exits with the
// tests' exit code. Everything it starts is torn down before it exits. See test/integration/README.md.
//
//   scripts/codeShim.js --extensionDevelopmentPath=DIR --extensionTestsPath=FILE [--user-data-dir=DIR]
//                       [--extensions-dir=DIR] [FOLDER]          run tests (other desktop flags are ignored)
//   scripts/codeShim.js --install-extension X | --list-extensions | --uninstall-extension X  (passed to code-server)
'use strict';
const path = require('path');
const { spawnSync } = require('child_process');

const CLI_PASSTHROUGH = new Set(['--install-extension', '--uninstall-extension', '--list-extensions', '--show-versions', '--force', '--version']);
const WITH_VALUE = new Set(['--extensionDevelopmentPath', '--extensionTestsPath', '--user-data-dir', '--extensions-dir', '--install-extension', '--uninstall-extension', '--locale', '--log']);

function parse(argv) {
  const opts = { dev: [], tests: undefined, userDataDir: undefined, extensionsDir: undefined, folders: [], cli: [] };
  for (let i = 0; i < argv.length; i++) {
    let [flag, value] = argv[i].startsWith('--') && argv[i].includes('=') ? [argv[i].slice(0, argv[i].indexOf('=')), argv[i].slice(argv[i].indexOf('=') + 1)] : [argv[i], undefined];
    if (WITH_VALUE.has(flag) && value === undefined) value = argv[++i];
    if (flag === '--extensionDevelopmentPath') opts.dev.push(path.resolve(value));
    else if (flag === '--extensionTestsPath') opts.tests = path.resolve(value);
    else if (flag === '--user-data-dir') opts.userDataDir = path.resolve(value);
    else if (flag === '--extensions-dir') opts.extensionsDir = path.resolve(value);
    else if (CLI_PASSTHROUGH.has(flag)) opts.cli.push(flag, ...(value === undefined ? [] : [value]));
    else if (!flag.startsWith('-')) opts.folders.push(path.resolve(flag));
    // anything else (--no-sandbox, --disable-updates, --skip-welcome, …) means nothing to code-server
  }
  return opts;
}

async function main() {
  const it = await import(path.join(__dirname, '../test/integration/codeServer.mjs'));
  const opts = parse(process.argv.slice(2));
  const install = it.ensureInstalled();
  const base = opts.userDataDir ?? path.join(it.CACHE, 'shim/user-data');
  const profile = it.makeProfile(path.join(base, '.code-server'), {
    userDataDir: base,
    extensionsDir: opts.extensionsDir ?? path.join(path.dirname(base), 'extensions'),
  });

  if (opts.cli.length) {
    const args = [install.codeServerEntry, '--config', profile.config, '--user-data-dir', profile.userDataDir, '--extensions-dir', profile.extensionsDir, ...opts.cli];
    const r = spawnSync(install.node, args, { stdio: 'inherit', env: { ...process.env, PATH: `${path.dirname(install.node)}:${process.env.PATH}`, XDG_CONFIG_HOME: path.join(profile.xdg, 'config'), XDG_DATA_HOME: path.join(profile.xdg, 'data'), TMPDIR: profile.tmp } });
    return r.status ?? 1;
  }
  if (!opts.tests || !opts.dev.length) {
    console.error('codeShim: needs --extensionDevelopmentPath=… and --extensionTestsPath=… (or a CLI flag such as --list-extensions)');
    return 2;
  }

  let code = 1;
  try {
    const server = await it.startServer(install, profile, { smokeTestDriver: true, name: 'shim' });
    const context = await it.launchBrowser(path.join(profile.dir, 'chromium'));
    const result = await it.runSuiteInBrowser({
      server,
      context,
      extensionDevelopmentPath: opts.dev,
      extensionTestsPath: opts.tests,
      folder: opts.folders[0],
      timeoutMs: Number(process.env.FLOPLENS_SHIM_TIMEOUT_MS ?? 600_000),
    });
    if (result.timedOut) console.error(`codeShim: tests timed out after ${it.seconds(result.ms)} (server log: ${server.logFile})`);
    code = result.timedOut ? 1 : result.code;
  } catch (e) {
    console.error(`codeShim: ${e.stack ?? e}`);
  } finally {
    await it.runCleanups();
  }
  return code;
}

main().then((code) => process.exit(code), (e) => {
  console.error(e);
  process.exit(1);
});
