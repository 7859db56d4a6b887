// Builds every bundle: the extension host (node/cjs, `vscode` external), its analysis worker (node/cjs), the CLI (node/cjs),
// the webviews (browser/iife) and the integration-test suite (node/cjs, run inside VS Code).
const esbuild = require('esbuild');
const fs = require('fs');
const path = require('path');

const production = process.argv.includes('--production');
const watch = process.argv.includes('--watch');

/** Reports build results in the format of the esbuild problem matcher (connor4312.esbuild-problem-matchers). */
const problemMatcher = {
  name: 'esbuild-problem-matcher',
  setup(build) {
    build.onStart(() => { if (watch) console.log('[watch] build started'); });
    build.onEnd((result) => {
      for (const { text, location } of result.errors) {
        console.error(`✘ [ERROR] ${text}`);
        if (location) console.error(`    ${location.file}:${location.line}:${location.column}:`);
      }
      if (watch) console.log('[watch] build finished');
    });
  },
};

const common = {
  bundle: true,
  minify: production,
  sourcemap: !production,
  sourcesContent: false,
  logLevel: 'warning',
  plugins: [problemMatcher],
  define: { 'process.env.FLOPLENS_PRODUCTION': JSON.stringify(production ? '1' : '0') },
};

const node = { ...common, platform: 'node', format: 'cjs', target: 'node20' };
const browser = { ...common, platform: 'browser', format: 'iife', target: 'es2022' };

const builds = [
  { ...node, entryPoints: ['src/extension/extension.ts'], outfile: 'dist/extension.js', external: ['vscode'] },
  { ...node, entryPoints: ['src/extension/worker/analysisWorker.ts'], outfile: 'dist/analysisWorker.js' },
  { ...node, entryPoints: ['src/cli/main.ts'], outfile: 'dist/cli.js', external: ['gl'], banner: { js: '#!/usr/bin/env node' } },
  { ...browser, entryPoints: ['src/webview/main.ts'], outfile: 'dist/webview/main.js' },
  { ...browser, entryPoints: ['src/webview/benchmark.ts'], outfile: 'dist/webview/benchmark.js' },
];
if (!production && fs.existsSync('test/integration/suite/index.ts')) {
  const suite = fs.readdirSync('test/integration/suite').filter((f) => f.endsWith('.ts')).map((f) => path.join('test/integration/suite', f));
  builds.push({ ...node, entryPoints: suite, outdir: 'dist-test/suite', external: ['vscode', 'mocha'], minify: false });
}

async function main() {
  const existing = builds.filter((b) => (b.entryPoints || []).every((e) => fs.existsSync(e)));
  const contexts = await Promise.all(existing.map((b) => esbuild.context(b)));
  if (watch) {
    await Promise.all(contexts.map((c) => c.watch()));
    return;
  }
  try {
    await Promise.all(contexts.map((c) => c.rebuild()));
  } finally {
    await Promise.all(contexts.map((c) => c.dispose()));
  }
  if (fs.existsSync('dist/cli.js')) fs.chmodSync('dist/cli.js', 0o755);
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
