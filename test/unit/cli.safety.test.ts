/**
 * The CLI on hostile inputs: it reads regular files only (no FIFO, device, directory or link to one), within the
 * editor's size cap, says why in one line (status 1, never a stack trace), strips terminal control characters from
 * what it prints, exits quietly when its reader closes the pipe, and parses the script once.
 */
import { execFileSync, spawn } from 'child_process';
import * as esbuild from 'esbuild';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { MAX_INPUT_FILE_BYTES } from '../../src/core/api';
import * as analyzeModule from '../../src/core/analyze';
import { InputError, readInputFile, terminalJson } from '../../src/cli/files';
import { run } from '../../src/cli/main';
import { captureOutput } from './captureOutput';

const ROOT = path.resolve(__dirname, '../..');
let dir: string;

const MODEL = `import torch
import torch.nn as nn

class Net(nn.Module):
    def __init__(self):
        super().__init__()
        self.fc = nn.Linear(64, 10)
    def forward(self, x):
        return self.fc(x)

model = Net()
y = model(torch.randn(8, 64))
`;

/** Runs the CLI in-process; returns its status and what it wrote. */
const cli = (...argv: string[]) => captureOutput(() => run(argv));

/** A refusal: status 1 and exactly one line on stderr, naming the reason, with no stack frame. */
function expectOneLineRefusal(r: { code: number; err: string }, reason: RegExp): void {
  expect(r.code).toBe(1);
  const lines = r.err.trimEnd().split('\n');
  expect(lines).toHaveLength(1);
  expect(lines[0]).toMatch(reason);
  expect(r.err).not.toMatch(/\n\s+at |Error:/);
}

beforeAll(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'floplens-cli-safety-'));
});
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));
afterEach(() => vi.restoreAllMocks());

describe('the CLI reads regular files only', () => {
  it('a symbolic link to /dev/zero is refused as a device before anything is read', async () => {
    const link = path.join(dir, 'zero.py');
    fs.symlinkSync('/dev/zero', link);
    expectOneLineRefusal(await cli('analyze', link), /zero\.py is a device; FlopLens reads only regular files/);
  });

  it('a FIFO is refused at once (it would block forever waiting for a writer)', async () => {
    const fifo = path.join(dir, 'pipe.py');
    execFileSync('mkfifo', [fifo]);
    expectOneLineRefusal(await cli('analyze', fifo), /pipe\.py is a named pipe \(FIFO\)/);
  });

  it('a directory named like a script is refused, in analyze and in demo (which goes on with the other files)', async () => {
    const folder = path.join(dir, 'demo');
    fs.mkdirSync(path.join(folder, 'folder.py'), { recursive: true });
    fs.writeFileSync(path.join(folder, 'ok.py'), MODEL);
    expectOneLineRefusal(await cli('analyze', path.join(folder, 'folder.py')), /folder\.py is a directory/);
    const demo = await cli('demo', folder);
    expect(demo.code).toBe(1);
    expect(demo.err).toMatch(/folder\.py is a directory/);
    expect(demo.out).toMatch(/ok\.py[\s\S]*Net · 650 params/);
  });

  it('a file over the cap is refused with its size, without reading it (a sparse file: no disk used)', async () => {
    const big = path.join(dir, 'big.py');
    fs.closeSync(fs.openSync(big, 'w'));
    fs.truncateSync(big, MAX_INPUT_FILE_BYTES + 1);
    const r = await cli('analyze', big);
    expectOneLineRefusal(r, /big\.py is 50 MiB, over the 50 MiB limit/);
    expect(() => readInputFile(big)).toThrow(InputError);
  });

  it('--hardware-file that is a device or a directory is named in one line and the analysis still runs', async () => {
    const script = path.join(dir, 'hw.py');
    fs.writeFileSync(script, MODEL);
    const r = await cli('analyze', script, '--hardware-file', '/dev/null', '--hardware-file', dir, '--json');
    expect(r.code).toBe(0);
    expect(r.err).toMatch(/\/dev\/null is a device/);
    expect(r.err).toMatch(/is a directory/);
    expect(JSON.parse(r.out).model.params).toBe(650);
  });

  it('any unexpected exception is one line and status 1', async () => {
    const script = path.join(dir, 'boom.py');
    fs.writeFileSync(script, MODEL);
    vi.spyOn(analyzeModule, 'analyze').mockImplementation(() => { throw new TypeError('boom\n    at somewhere (x.js:1:1)'); });
    const r = await cli('analyze', script);
    expect(r.code).toBe(1);
    expect(r.err).toBe('floplens: unexpected error: boom\n');
  });
});

describe('what the CLI prints carries no terminal control characters from the script', () => {
  const ESC = '\u001b';
  const hostile = `# floplens: batch=8\n${MODEL.replace('class Net', `class Net${ESC}]0;pwned${'\u0007'}`).replace(/Net\(\)/, 'Net()')}`;

  it('--markdown, text and --json outputs have no C0/C1 control other than newline and tab', async () => {
    // A class name cannot hold ESC, but an identifier in a message or a file name can: use both.
    const file = path.join(dir, `evil${ESC}[2J.py`);
    fs.writeFileSync(file, `${hostile}\nx = undefined_name${ESC}[31m\n`);
    for (const flag of ['--markdown', '--text', '--json']) {
      const r = await cli('analyze', file, flag);
      expect(r.out.length).toBeGreaterThan(100);
      expect(r.out, flag).not.toMatch(/[\u0000-\u0008\u000b-\u001f\u007f-\u009f]/);
      expect(r.err, flag).not.toMatch(/[\u0000-\u0008\u000b-\u001f\u007f-\u009f]/);
    }
    expect(JSON.parse(terminalJson({ s: `a\u009bb${ESC}` })).s).toBe(`a\u009bb${ESC}`);
  });
});

describe('notebooks and BOMs through the CLI', () => {
  const nb = (cells: unknown[]) => JSON.stringify({ cells, metadata: {}, nbformat: 4, nbformat_minor: 5 });

  it('a BOM-prefixed script and a BOM-prefixed notebook analyse as without it', async () => {
    const py = path.join(dir, 'bom.py');
    fs.writeFileSync(py, `\ufeff${MODEL}`);
    const a = JSON.parse((await cli('analyze', py, '--json')).out);
    expect(a.model.params).toBe(650);
    expect(a.problems.filter((p: { code: string }) => p.code === 'syntax')).toEqual([]);
    const ipynb = path.join(dir, 'bom.ipynb');
    fs.writeFileSync(ipynb, `\ufeff${nb([{ cell_type: 'code', source: MODEL.split(/(?<=\n)/) }])}`);
    const b = JSON.parse((await cli('analyze', ipynb, '--json')).out);
    expect(b.model.params).toBe(650);
  });

  it.each([
    ['malformed', '{"cells": [', /not a valid notebook: the JSON does not parse/],
    ['binary', Buffer.from([0x89, 0x50, 0x4e, 0x47, 0, 0, 0, 0x0d, 0xff, 0xfe]), /not a valid notebook: it holds binary data/],
    ['not a notebook', '[1, 2, 3]', /not a valid notebook: the JSON is not an object/],
  ])('a %s .ipynb is an error problem "not a valid notebook" and status 1', async (_name, content, message) => {
    const file = path.join(dir, `bad-${_name.replace(/ /g, '-')}.ipynb`);
    fs.writeFileSync(file, content);
    const r = await cli('analyze', file, '--json');
    expect(r.code).toBe(1);
    const problem = JSON.parse(r.out).problems.find((p: { code: string }) => p.code === 'notebook');
    expect(problem.severity).toBe('error');
    expect(problem.message).toMatch(message);
    expect((await cli('analyze', file)).out).toMatch(message);
  });

  it('a cell whose source is not text is skipped with a warning; the other cells are analysed', async () => {
    const file = path.join(dir, 'odd.ipynb');
    fs.writeFileSync(file, nb([{ cell_type: 'code', source: [{ toString: 1 }] }, { cell_type: 'code', source: MODEL }]));
    const r = await cli('analyze', file, '--json');
    expect(r.code).toBe(0);
    const a = JSON.parse(r.out);
    expect(a.model.params).toBe(650);
    expect(a.problems.find((p: { code: string }) => p.code === 'notebook')).toMatchObject({ severity: 'warning', message: expect.stringMatching(/cell 1: its source is neither text/) });
  });
});

describe('the script is parsed once', () => {
  it('the import scan and the analysis share one parse (localImports is given the analysis file as cache key)', async () => {
    const file = path.join(dir, 'once.py');
    fs.writeFileSync(file, MODEL);
    const spy = vi.spyOn(analyzeModule, 'localImports');
    const analyzeSpy = vi.spyOn(analyzeModule, 'analyze');
    await cli('analyze', file, '--json');
    expect(spy).toHaveBeenCalled();
    const key = spy.mock.calls[0][1];
    expect(key).toBeDefined();
    expect(key).toBe(analyzeSpy.mock.calls[0][0].file);
  });
});

describe('a closed pipe', () => {
  let bundle: string;
  beforeAll(async () => {
    bundle = path.join(dir, 'cli.js');
    await esbuild.build({ entryPoints: [path.join(ROOT, 'src/cli/main.ts')], bundle: true, platform: 'node', target: 'node20', outfile: bundle, logLevel: 'silent', external: ['gl'] });
  }, 60_000);

  it('ends the process quietly: no EPIPE stack trace, status 0', async () => {
    // Output far over a pipe's buffer (64 KB): the CLI is still writing when the reader goes away.
    const script = path.join(dir, 'deep.py');
    fs.writeFileSync(script, `import torch\nimport torch.nn as nn\nmodel = nn.Sequential(*[nn.Linear(64, 64) for _ in range(400)])\ny = model(torch.randn(8, 64))\n`);
    const child = spawn(process.execPath, [bundle, 'analyze', script, '--json'], { stdio: ['ignore', 'pipe', 'pipe'] });
    // Read one chunk, then close our end as `head -1` does.
    await new Promise<void>((resolve) => child.stdout.once('data', () => { child.stdout.destroy(); resolve(); }));
    let err = '';
    child.stderr.on('data', (d) => (err += String(d)));
    const code = await new Promise<number | null>((resolve) => child.on('close', (c) => resolve(c)));
    expect(err).not.toMatch(/EPIPE|Error|\n\s+at /);
    expect(code).toBe(0);
  }, 60_000);
});
