// `npm run demo:editor`: FlopLens in a real VS Code in your browser. Sets up code-server (first run only),
// builds and packages floplens.vsix, installs it into a private profile (.cache/vscode-test/demo) and serves
// the repository's examples/ folder on http://127.0.0.1:PORT until Ctrl+C.
// Environment: FLOPLENS_DEMO_PORT (default 8080, or a free port if that one is taken), FLOPLENS_DEMO_FOLDER.
import { spawnSync } from 'node:child_process';
import net from 'node:net';
import path from 'node:path';
import {
  CACHE, ROOT, ensureInstalled, freePort, installVsix, log, makeProfile, runCleanups, seconds, startServer,
} from '../test/integration/codeServer.mjs';

const folder = path.resolve(process.env.FLOPLENS_DEMO_FOLDER || path.join(ROOT, 'examples'));

function portFree(port) {
  return new Promise((resolve) => {
    const srv = net.createServer().once('error', () => resolve(false)).listen(port, '127.0.0.1', () => srv.close(() => resolve(true)));
  });
}

async function main() {
  const t0 = Date.now();
  const install = ensureInstalled();
  const t1 = Date.now();
  const pkg = spawnSync('npm', ['run', '--silent', 'package'], { cwd: ROOT, stdio: 'inherit' });
  if (pkg.status !== 0) throw new Error('npm run package failed');
  log(`built and packaged floplens.vsix in ${seconds(Date.now() - t1)}`);

  // Keep the profile between runs (your settings and layout), reinstall the fresh .vsix every time.
  const profile = makeProfile(path.join(CACHE, 'demo'), { fresh: false });
  const installed = installVsix(install, profile, path.join(ROOT, 'floplens.vsix'));
  log(`installed ${installed.extensions.join(', ')} in ${seconds(installed.ms)}`);

  const wanted = Number(process.env.FLOPLENS_DEMO_PORT || 8080);
  const port = (await portFree(wanted)) ? wanted : await freePort();
  const server = await startServer(install, profile, { port, name: 'demo' });
  const url = `${server.url}/?folder=${encodeURIComponent(folder)}`;
  log(`ready in ${seconds(Date.now() - t0)} (server log: ${server.logFile})`);
  console.log(`\n  FlopLens in VS Code: ${url}\n  Open it in a browser on this machine; Ctrl+C stops the server.\n`);

  // Stay up until Ctrl+C (the signal handlers in codeServer.mjs stop the server) or the server dies.
  let stopping = false;
  for (const sig of ['SIGINT', 'SIGTERM', 'SIGHUP']) process.once(sig, () => (stopping = true));
  await new Promise((resolve) => server.child.once('exit', resolve));
  if (stopping) return;
  log(`code-server exited unexpectedly; see ${server.logFile}`);
  await runCleanups();
  process.exit(1);
}

main().catch((e) => {
  console.error(`[floplens-it] demo failed: ${e.message ?? e}`);
  process.exit(1);
});
