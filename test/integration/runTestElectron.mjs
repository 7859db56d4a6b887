// The same Mocha suite through @vscode/test-electron's runTests(). Here it runs against code-server through
// scripts/codeShim.js; with FLOPLENS_VSCODE_EXECUTABLE=/path/to/code it runs in that desktop VS Code, and with
// FLOPLENS_VSCODE_DOWNLOAD=1 test-electron downloads a VS Code (needs internet). See README.md beside this file.
import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { runTests } from '@vscode/test-electron';
import { CACHE, ROOT, ensureInstalled, log, seconds } from './codeServer.mjs';

const shim = path.join(ROOT, 'scripts/codeShim.js');
const executable = process.env.FLOPLENS_VSCODE_DOWNLOAD ? undefined : process.env.FLOPLENS_VSCODE_EXECUTABLE || shim;

async function main() {
  const t0 = Date.now();
  if (executable === shim) ensureInstalled();
  if (!process.env.FLOPLENS_IT_SKIP_BUILD) {
    const r = spawnSync(process.execPath, ['esbuild.js'], { cwd: ROOT, stdio: 'inherit' });
    if (r.status !== 0) throw new Error('node esbuild.js failed');
  }
  log(`runTests with ${executable ?? 'a downloaded VS Code'}`);
  await runTests({
    vscodeExecutablePath: executable,
    extensionDevelopmentPath: path.resolve(process.env.FLOPLENS_IT_EXTENSION_DIR || ROOT),
    extensionTestsPath: path.join(ROOT, 'dist-test/suite/index.js'),
    launchArgs: [
      path.join(ROOT, 'test/integration/workspace'),
      `--user-data-dir=${path.join(CACHE, 'test-electron/user-data')}`,
      `--extensions-dir=${path.join(CACHE, 'test-electron/extensions')}`,
      '--disable-extensions',
    ],
  });
  log(`test-electron run passed in ${seconds(Date.now() - t0)}`);
}

main().catch((e) => {
  console.error(`[floplens-it] test-electron run failed: ${e.message ?? e}`);
  process.exit(1);
});
