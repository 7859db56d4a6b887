/**
 * The CLI's argument parsing: every subcommand is parsed strictly (node:util parseArgs), so a misspelt option or an
 * option without its value is a usage error (one line naming it, then the usage, status 2) instead of being ignored;
 * every documented option still works, `--set` repeats, `--version` prints package.json's version.
 */
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { run } from '../../src/cli/main';
import { runBenchCli } from '../../src/cli/liveBench';
import { captureOutput } from './captureOutput';
import pkg from '../../package.json';

const cli = (...argv: string[]) => captureOutput(() => run(argv));

const MODEL = `import torch
import torch.nn as nn

model = nn.Sequential(nn.Linear(64, 128), nn.ReLU(), nn.Linear(128, 10))
y = model(torch.randn(8, 64))
`;

let dir: string;
let script: string;
beforeAll(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'floplens-cli-args-'));
  script = path.join(dir, 'net.py');
  fs.writeFileSync(script, MODEL);
});
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));
afterEach(() => vi.restoreAllMocks());

/** A usage error: status 2, a first line naming `what`, then the usage; nothing on stdout. */
function expectUsageError(r: { code: number; out: string; err: string }, what: RegExp): void {
  expect(r.code).toBe(2);
  expect(r.out).toBe('');
  const [first, ...rest] = r.err.split('\n');
  expect(first).toMatch(what);
  expect(rest.join('\n')).toContain('Usage:');
  expect(r.err).not.toMatch(/\n\s+at /);
}

describe('usage errors', () => {
  it('misspelt options of analyze are refused, not ignored', async () => {
    expectUsageError(await cli('analyze', script, '--jsno', '--hardwre', 't4'), /^floplens analyze: unknown option '--jsno'$/);
    expectUsageError(await cli('analyze', script, '--hardwre', 't4'), /unknown option '--hardwre'/);
  });

  it('an option without its value is refused, naming the option', async () => {
    expectUsageError(await cli('analyze', script, '--hardware'), /--hardware.*argument missing/);
    expectUsageError(await cli('analyze', script, '--set'), /--set.*argument missing/);
    // The next word is an option, not the value.
    expectUsageError(await cli('analyze', script, '--hardware', '--json'), /--hardware/);
  });

  it('a switch given a value, --set without "=", two files, and --json with --markdown are refused', async () => {
    expectUsageError(await cli('analyze', script, '--json=yes'), /--json/);
    expectUsageError(await cli('analyze', script, '--set', 'batch'), /^floplens analyze: --set batch: expected key=value$/);
    expectUsageError(await cli('analyze', script, script), /unexpected argument/);
    expectUsageError(await cli('analyze', script, '--json', '--markdown'), /choose one of --json, --markdown and --text/);
    expectUsageError(await cli('analyze', script, '--text', '--json'), /choose one/);
    expectUsageError(await cli('analyze'), /missing <file>/);
  });

  it('demo, hardware and the top level are strict too', async () => {
    expectUsageError(await cli('demo', dir, '--jsno'), /^floplens demo: unknown option '--jsno'$/);
    expectUsageError(await cli('hardware', '--jsn'), /^floplens hardware: unknown option '--jsn'$/);
    expectUsageError(await cli('hardware', 'extra'), /unexpected argument 'extra'/);
    expectUsageError(await cli('--jsno'), /^floplens: unknown option '--jsno'$/);
    const unknown = await cli('frobnicate');
    expect(unknown.code).toBe(2);
    expect(unknown.err).toMatch(/^floplens: unknown command 'frobnicate'/);
  });

  it('bench: unknown options and missing values', async () => {
    const unknown = await captureOutput(() => runBenchCli(['bench', '--jsno']));
    expect(unknown.code).toBe(2);
    expect(unknown.err).toMatch(/^floplens bench: unknown option '--jsno'\n/);
    const missing = await captureOutput(() => runBenchCli(['--sizes']));
    expect(missing.code).toBe(2);
    expect(missing.err).toMatch(/^floplens bench: option '--sizes <value>' argument missing\n/);
    expect((await captureOutput(() => runBenchCli(['--runs', 'x']))).err).toMatch(/--runs: give a whole number/);
    expect((await captureOutput(() => runBenchCli(['positional']))).code).toBe(2);
  });
});

describe('documented options', () => {
  it('--version prints the version in package.json; --help and help print the usage', async () => {
    expect(await cli('--version')).toEqual({ code: 0, out: `${pkg.version}\n`, err: '' });
    expect((await cli('version')).out).toBe(`${pkg.version}\n`);
    for (const argv of [['--help'], ['-h'], ['help'], [], ['analyze', '--help'], ['demo', '-h'], ['hardware', '--help']]) {
      const r = await cli(...argv);
      expect(r.code).toBe(0);
      expect(r.out).toContain(`FlopLens ${pkg.version}`);
      expect(r.out).toContain('Usage:');
    }
    const bench = await captureOutput(() => runBenchCli(['--help']));
    expect(bench.code).toBe(0);
    expect(bench.out).toContain('--max-size');
  });

  it('analyze --json with repeated --set, --hardware (both spellings) and --hardware-file', async () => {
    const custom = path.join(dir, 'hw.json');
    fs.writeFileSync(custom, JSON.stringify([{ id: 'my-gpu', name: 'My GPU', kind: 'gpu', peakFlops: { fp32: 20e12 }, memoryBandwidth: 1e12, memoryBytes: 24e9 }]));
    const r = await cli('analyze', script, '--json', '--set', 'batch=64', '--set=dtype=bf16', '--hardware', 't4,h100-sxm', '--hardware-file', custom);
    expect(r.err).toBe('');
    expect(r.code).toBe(0);
    const a = JSON.parse(r.out) as { step: { batch: number }; run: { dtype: string }; projections: { hardwareId: string }[] };
    expect(a.step.batch).toBe(64);
    expect(a.run.dtype).toBe('bf16');
    expect(a.projections.map((p) => p.hardwareId)).toEqual(['t4', 'h100-sxm', 'my-gpu']);
    const eq = JSON.parse((await cli('analyze', script, '--json', '--hardware=a100-80gb')).out) as typeof a;
    expect(eq.projections.map((p) => p.hardwareId)).toEqual(['a100-80gb']);
  });

  it('analyze prints text by default (or with --text) and Markdown with --markdown; an unknown hardware id is reported, not fatal', async () => {
    const text = await cli('analyze', script);
    expect(text.code).toBe(0);
    expect(text.out.length).toBeGreaterThan(100);
    expect((await cli('analyze', script, '--text')).out).toBe(text.out);
    const md = await cli('analyze', script, '--markdown', '--hardware', 't4,nope');
    expect(md.code).toBe(0);
    expect(md.out).toMatch(/^#/m);
    expect(md.err).toContain("unknown hardware id 'nope'");
  });

  it('demo [folder] and hardware [--json]', async () => {
    const demo = await cli('demo', dir, '--set', 'batch=16');
    expect(demo.code).toBe(0);
    expect(demo.out).toContain('1 scripts in');
    const list = await cli('hardware', '--json');
    expect(list.code).toBe(0);
    expect((JSON.parse(list.out) as { id: string }[]).some((h) => h.id === 't4')).toBe(true);
  });
});
