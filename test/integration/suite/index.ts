// Mocha entry point that VS Code loads as `extensionTestsPath` inside the real extension host.
// Bundled by esbuild.js to dist-test/suite/index.js; loads every *.test.js bundled next to it.
import * as fs from 'fs';
import * as path from 'path';
import Mocha from 'mocha';

export function run(): Promise<void> {
  const mocha = new Mocha({
    ui: 'tdd',
    color: false,
    timeout: Number(process.env.FLOPLENS_IT_TIMEOUT_MS ?? 60_000),
    grep: process.env.FLOPLENS_IT_GREP || undefined,
  });
  // extension.test.js first: it checks activation on opening a Python file, before any other test opens one.
  const files = fs
    .readdirSync(__dirname)
    .filter((f) => f.endsWith('.test.js'))
    .sort((a, b) => Number(b === 'extension.test.js') - Number(a === 'extension.test.js') || a.localeCompare(b));
  for (const f of files) mocha.addFile(path.join(__dirname, f));

  // test/integration/run.mjs echoes the automation log from this line on (the workbench's own log comes before).
  console.log('FLOPLENS_IT_MOCHA_START');
  return new Promise((resolve, reject) => {
    try {
      mocha.run((failures) => (failures > 0 ? reject(new Error(`${failures} integration test(s) failed`)) : resolve()));
    } catch (e) {
      reject(e);
    }
  });
}
