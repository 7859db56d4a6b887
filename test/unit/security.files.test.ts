/**
 * What FlopLens reads besides the open document: the local modules a script imports, in the extension host
 * (`ModuleReader`, through `vscode.workspace.fs`) and in the CLI (`readLocalModules`, through Node's fs).
 * Imports that lead outside the workspace, directly, through `..` or through a symbolic link, are never read;
 * modules over the size limits are not read either, and the analysis says so instead of silently missing them.
 * robustness.test.ts covers the core's own cap on the main document; here it must reach the user as a notice.
 */
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { afterAll, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';

vi.mock('vscode', async () => (await import('./securityFakes')).vscode);

import { analyze, localImports, MAX_SOURCE_CHARS } from '../../src/core/analyze';
import { analyzeFile } from '../../src/cli/analyzeFile';
import { readLocalModules } from '../../src/cli/modules';
import { AnalysisStore } from '../../src/extension/analysisStore';
import type { FlopLensConfig } from '../../src/extension/configSchema';
import { ModuleReader } from '../../src/extension/moduleReader';
import { document, fake, Uri } from './securityFakes';

const SECRET = 'SECRET_MARKER_0451';
const MODEL = (name: string, width: number) => `import torch.nn as nn\n\nclass ${name}(nn.Module):\n    def __init__(self):\n        super().__init__()\n        self.fc = nn.Linear(${width}, ${width})\n\n    def forward(self, x):\n        return self.fc(x)\n`;

let tmp = '';
let ws = '';

beforeAll(() => {
  tmp = fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), 'floplens-files-')));
  ws = path.join(tmp, 'ws');
  fs.mkdirSync(path.join(ws, 'sub'), { recursive: true });
  fs.mkdirSync(path.join(tmp, 'outside_pkg'));
  fs.writeFileSync(path.join(tmp, 'secret.py'), `# ${SECRET}\n${MODEL('Secret', 4096)}`);
  fs.writeFileSync(path.join(tmp, 'outside_pkg', 'mod.py'), `# ${SECRET}\n${MODEL('Outside', 4096)}`);
  fs.writeFileSync(path.join(ws, 'inner.py'), MODEL('Inner', 64));
  fs.writeFileSync(path.join(ws, 'sub', 'helper.py'), MODEL('Helper', 32));
  fs.symlinkSync(path.join(tmp, 'secret.py'), path.join(ws, 'link.py'));
  fs.symlinkSync(path.join(ws, 'inner.py'), path.join(ws, 'inlink.py'));
  // A folder inside the workspace that is a link to one outside it: its files stat as plain files.
  fs.symlinkSync(path.join(tmp, 'outside_pkg'), path.join(ws, 'linkdir'));
  fs.mkdirSync(path.join(ws, 'realpkg'));
  fs.writeFileSync(path.join(ws, 'realpkg', 'mod.py'), MODEL('RealPkg', 16));
  // A module over the host's limit in these tests (2 KB) and over the CLI's (4 MB).
  fs.writeFileSync(path.join(ws, 'big.py'), `${MODEL('Big', 128)}\n${'# padding padding padding padding\n'.repeat(130_000)}`);
});

afterAll(() => {
  if (tmp) fs.rmSync(tmp, { recursive: true, force: true });
});

/** Every import form that could point above the workspace, plus two that are inside it. */
const HOSTILE_SCRIPT = [
  'import torch',
  'import secret',
  'from .. import secret',
  'from ..secret import Secret',
  'import ...secret',
  'from ... import secret',
  'from ...outside_pkg import mod',
  'import outside_pkg.mod',
  'import link',
  'import inner',
  'import helper',
  'model = inner.Inner()',
].join('\n');

describe('extension host: ModuleReader', () => {
  const LIMITS = { maxDepth: 3, maxModules: 24, maxFileBytes: 2048, maxTotalBytes: 64 * 1024 };
  beforeEach(() => {
    fake.reset();
    fake.folders = [{ uri: Uri.file(ws), name: 'ws', index: 0 }];
  });
  const inWorkspace = (uris: string[]) => uris.filter((u) => !u.startsWith(`file://${ws}/`));

  it('never stats or reads a file outside the workspace folder, whatever the import says', async () => {
    const script = Uri.file(path.join(ws, 'sub', 'train.py'));
    const r = await new ModuleReader(localImports, LIMITS).read(script as never, [HOSTILE_SCRIPT]);
    expect(r.modules.map((m) => m.path).sort()).toEqual(['inner.py', 'sub/helper.py']);
    expect(r.modules.some((m) => m.text.includes(SECRET))).toBe(false);
    expect(fake.touched.length).toBeGreaterThan(3);
    expect(inWorkspace(fake.touched), 'URIs touched outside the workspace').toEqual([]);
  });

  it('the reader holds the boundary on its own, even for names the core would never produce', async () => {
    const names = ['...secret', '..secret', '....outside_pkg.mod', '../secret', '/etc/passwd', 'a/../../secret', '..', '.', '....', 'sub....secret'];
    const script = Uri.file(path.join(ws, 'sub', 'train.py'));
    const r = await new ModuleReader(() => names, LIMITS).read(script as never, ['anything']);
    expect(r.modules).toEqual([]);
    expect(inWorkspace(fake.touched)).toEqual([]);
  });

  it('a symbolic link is not followed, not even inside the workspace (stat reports File | SymbolicLink)', async () => {
    const r = await new ModuleReader(() => ['link', 'inlink'], LIMITS).read(Uri.file(path.join(ws, 'train.py')) as never, ['']);
    expect(r.modules).toEqual([]);
  });

  it('parses the script and each module under the key its analysis uses, so the analysis reuses that parse', async () => {
    const calls: { text: string; key?: string }[] = [];
    const spy = (text: string, key?: string) => { calls.push({ text, key }); return localImports(text, key); };
    const script = Uri.file(path.join(ws, 'train.py'));
    const r = await new ModuleReader(spy, LIMITS).read(script as never, ['import inner\nmodel = inner.Inner()\n']);
    expect(r.modules.map((m) => m.path)).toEqual(['inner.py']);
    // The store analyses the script under its workspace-relative path; the core parses modules under their path.
    expect(calls.map((c) => c.key)).toEqual(['train.py', 'inner.py']);
    // Notebook cells (several texts) are parsed on their own: the analysis key belongs to the joined text.
    calls.length = 0;
    await new ModuleReader(spy, LIMITS).read(Uri.file(path.join(ws, 'nb.ipynb')) as never, ['import inner', 'x = 1']);
    expect(calls.slice(0, 2).map((c) => c.key)).toEqual([undefined, undefined]);
  });

  it('a folder that is a symbolic link is not entered either, though the files in it stat as plain files', async () => {
    const r = await new ModuleReader(localImports, LIMITS).read(Uri.file(path.join(ws, 'train.py')) as never, ['import linkdir.mod\nfrom linkdir import mod\nimport realpkg.mod\n']);
    expect(r.modules.map((m) => m.path)).toEqual(['realpkg/mod.py']);
    expect(r.modules.some((m) => m.text.includes(SECRET))).toBe(false);
  });

  it('a script outside every workspace folder reads no module at all', async () => {
    const r = await new ModuleReader(localImports, LIMITS).read(Uri.file(path.join(tmp, 'loose.py')) as never, ['import secret\nimport ws.inner\n']);
    expect(r.modules).toEqual([]);
    expect(fake.touched).toEqual([]);
  });

  it('a module over the size limit is not read, and the result says which and why', async () => {
    const r = await new ModuleReader(() => ['big', 'inner'], LIMITS).read(Uri.file(path.join(ws, 'train.py')) as never, ['']);
    expect(r.modules.map((m) => m.path)).toEqual(['inner.py']);
    expect(r.skipped).toEqual([{ path: 'big.py', reason: expect.stringMatching(/KB, over the 2 KB limit/) }]);
  });

  it('modules past the total-size budget are not read, and are named', async () => {
    const r = await new ModuleReader(() => ['inner', 'sub.helper'], { ...LIMITS, maxTotalBytes: 250 }).read(Uri.file(path.join(ws, 'train.py')) as never, ['']);
    expect(r.modules.map((m) => m.path)).toEqual(['inner.py']);
    expect(r.skipped.map((s) => s.path)).toEqual(['sub/helper.py']);
  });

  it('in a virtual workspace, modules are read through the workspace file system, within its folder only', async () => {
    const root = Uri.parse('memfs://proj/repo');
    fake.folders = [{ uri: root, name: 'repo', index: 0 }];
    fake.memory.set('memfs://proj/repo/inner.py', MODEL('Inner', 64));
    fake.memory.set('memfs://proj/secret.py', `# ${SECRET}`);
    fake.memory.set('memfs://other/repo/secret.py', `# ${SECRET}`);
    const r = await new ModuleReader(localImports, LIMITS).read(Uri.parse('memfs://proj/repo/train.py') as never, [HOSTILE_SCRIPT]);
    expect(r.modules.map((m) => m.path)).toEqual(['inner.py']);
    expect(r.uris).toEqual(['memfs://proj/repo/inner.py']);
    expect(fake.touched.every((u) => u.startsWith('memfs://proj/repo/')), fake.touched.join('\n')).toBe(true);
  });

  it('the analysis store turns a skipped module into a visible warning in the analysis', async () => {
    const config = { defaults: { batch: 32, seqLen: 512, dtype: 'fp32' }, efficiency: { compute: 1, memory: 1, launchOverheadMicroseconds: null }, overrides: {} } as unknown as FlopLensConfig;
    const hardware = { ready: async () => undefined, selected: () => [] };
    const log = { debug() {}, info() {}, warn() {}, error() {} };
    const store = new AnalysisStore(analyze, () => config, hardware as never, new ModuleReader(localImports, LIMITS), log as never);
    const doc = document(Uri.file(path.join(ws, 'train.py')), 'import torch\nfrom big import Big\nmodel = Big()\ny = model(torch.randn(8, 128))\n');
    fake.documents = [doc];
    const entry = await store.analyzeNow({ kind: 'script', document: doc as never });
    const notice = entry?.analysis.problems.find((p) => p.code === 'module-skipped');
    expect(notice?.severity).toBe('warning');
    expect(notice?.message).toMatch(/big\.py/);
    expect(notice?.message).toMatch(/limit/);
    store.dispose();
  });
});

describe('CLI: readLocalModules', () => {
  it('never reads outside the root: not through .., not through a symbolic link', () => {
    const file = path.join(ws, 'sub', 'train.py');
    const read = readLocalModules(file, HOSTILE_SCRIPT, ws);
    // The root itself is searched from a script in a sub-folder (as `pip install -e .` or sys.path.append('..') gives); never above it.
    expect(read.map((m) => m.path).sort()).toEqual(['inner.py', 'sub/helper.py']);
    const fromRoot = readLocalModules(path.join(ws, 'train.py'), HOSTILE_SCRIPT, ws);
    expect(fromRoot.map((m) => m.path).sort()).toEqual(['inner.py']);
    expect([...read, ...fromRoot].some((m) => m.text.includes(SECRET))).toBe(false);
  });

  it('a symbolic link inside the root that points inside it is read (its target is in the project)', () => {
    expect(readLocalModules(path.join(ws, 'train.py'), 'import inlink\n', ws).map((m) => m.name)).toEqual(['inlink']);
  });

  it('a module over the 4 MB limit is reported, not silently dropped', () => {
    const big = `${MODEL('Big', 128)}\n${'#'.repeat(4_100_000)}\n`;
    fs.writeFileSync(path.join(ws, 'huge.py'), big);
    try {
      const file = path.join(ws, 'train_huge.py');
      fs.writeFileSync(file, 'import torch\nfrom huge import Big\nmodel = Big()\ny = model(torch.randn(8, 128))\n');
      const analysis = analyzeFile(file, { root: ws });
      const notice = analysis.problems.find((p) => p.code === 'module-skipped');
      expect(notice?.severity).toBe('warning');
      expect(notice?.message).toMatch(/huge\.py.*limit/);
    } finally {
      fs.rmSync(path.join(ws, 'huge.py'));
    }
  });
});

describe('the main document over the size cap', () => {
  it('is cut at the cap with a warning that reaches every surface (the problems list)', () => {
    const text = `${MODEL('Net', 64)}\nmodel = Net()\n${'#'.repeat(MAX_SOURCE_CHARS)}\n`;
    const a = analyze({ text, file: 'huge.py' });
    const p = a.problems.find((x) => x.code === 'too-large');
    expect(p?.severity).toBe('warning');
    expect(p?.message).toMatch(/analysed the first 2,000,000/);
    expect(a.model.name).toBe('Net');
  });
});

describe('localImports', () => {
  it('finds imports anywhere in the file, relative ones with their dots, and skips well-known packages', () => {
    const text = [
      'import torch, numpy as np',
      'from .model import GPT, Config as C',
      'from . import utils',
      'import a.b as ab, c',
      'def main():',
      '    from m2 import (x,',
      '        y)',
      'class K:',
      '    import k_mod',
      'try:',
      '    from fast import kernel',
      'except ImportError:',
      '    from slow import kernel',
      'if True:',
      '    from pkg.sub import *',
    ].join('\n');
    expect(localImports(text)).toEqual(['.model', '.model.GPT', '.model.Config', '.utils', 'a.b', 'c', 'm2', 'm2.x', 'm2.y', 'k_mod', 'fast', 'fast.kernel', 'slow', 'slow.kernel', 'pkg.sub']);
  });

  it('a half-typed import yields what parses, never a throw', () => {
    expect(() => localImports('from model import (GPT,\nimport ')).not.toThrow();
    expect(localImports('from model import (GPT,\n')).toContain('model');
  });

  it('sharing the parse with the analysis (same key) changes nothing in the result', () => {
    const text = `import torch\nimport torch.nn as nn\nfrom cfg import WIDTH\nmodel = nn.Sequential(nn.Linear(64, 128), nn.ReLU(), nn.Linear(128, 10))\nx = torch.randn(32, 64)\ny = model(x)\n`;
    const modules = [{ name: 'cfg', path: 'cfg.py', text: 'WIDTH = 64\n' }];
    const plain = analyze({ text, file: 'shared_a.py', modules });
    expect(localImports(text, 'shared_b.py')).toEqual(['cfg', 'cfg.WIDTH']);
    const shared = analyze({ text, file: 'shared_b.py', modules });
    const strip = (a: typeof plain) => JSON.stringify({ ...a, elapsedMs: 0, file: '' });
    expect(strip(shared)).toEqual(strip(plain));
    expect(shared.model.params).toBe(64 * 128 + 128 + 128 * 10 + 10);
  });
});
