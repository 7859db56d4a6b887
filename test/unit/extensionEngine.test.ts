/**
 * The analysis engine: the core in a worker thread (the bundle esbuild.js ships as dist/analysisWorker.js, built
 * here the same way), so the extension host never waits for an analysis. Results must equal the in-process core's;
 * an analysis past the time limit is stopped with a notice and the next one gets a fresh worker; jobs answer in
 * order; a worker bundle that cannot start falls back to the host thread instead of leaving files unanalysed.
 */
import * as esbuild from 'esbuild';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { analyze, localImports } from '../../src/core/analyze';
import type { AnalyzeInput } from '../../src/core/api';
import type { Analysis } from '../../src/core/types';
import { AnalysisEngine, WARM_UP_SCRIPT } from '../../src/extension/analysisEngine';

const ROOT = path.resolve(__dirname, '../..');
let dir = '';
let script = '';
/** The same worker with a test hook in front: a request for stuck.py is reported started and then never finishes. */
let stuckScript = '';
/** The time limit of the stop test. The job it stops never ends, so this sets only how long the test waits. */
const LIMIT_MS = 3_000;

beforeAll(async () => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'floplens-engine-'));
  script = path.join(dir, 'analysisWorker.js');
  await esbuild.build({
    entryPoints: [path.join(ROOT, 'src/extension/worker/analysisWorker.ts')], outfile: script,
    bundle: true, platform: 'node', format: 'cjs', target: 'node20', logLevel: 'silent',
  });
  // The hook's listener is registered before the worker's (require, not a hoisted import), so it takes stuck.py.
  stuckScript = path.join(dir, 'stuckWorker.js');
  await esbuild.build({
    stdin: {
      contents: [
        "const { parentPort } = require('worker_threads');",
        "parentPort.on('message', (req) => {",
        "  if (req.type !== 'analyze' || req.input.file !== 'stuck.py') return;",
        "  parentPort.postMessage({ id: req.id, ok: true, type: 'started' });",
        '  // Blocks this thread until the host terminates it (Atomics.wait is interrupted by terminate()), without',
        '  // burning a core the way a busy loop would.',
        '  Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0);',
        "  throw new Error('the stuck worker woke up');",
        '});',
        `require(${JSON.stringify(path.join(ROOT, 'src/extension/worker/analysisWorker.ts'))});`,
      ].join('\n'),
      resolveDir: dir, loader: 'js',
    },
    outfile: stuckScript, bundle: true, platform: 'node', format: 'cjs', target: 'node20', logLevel: 'silent',
  });
}, 60_000);

afterAll(() => { if (dir) fs.rmSync(dir, { recursive: true, force: true }); });

function recordingLog() {
  const lines: string[] = [];
  return { lines, info: (m: string) => lines.push(`info ${m}`), warn: (m: string) => lines.push(`warn ${m}`), error: (m: string) => lines.push(`error ${m}`) };
}

const fixture = (name: string) => fs.readFileSync(path.join(ROOT, 'test/fixtures/scripts', name), 'utf8');
const comparable = (a: Analysis) => JSON.stringify({ ...a, elapsedMs: 0 });

describe('analysis engine (worker thread)', () => {
  it('gives exactly the in-process result, for scripts and for the import scan, with the parse cache kept between jobs', async () => {
    const engine = new AnalysisEngine(script, recordingLog());
    try {
      for (const name of ['nanogpt_shakespeare_char.py', 'resnet_cifar.py', 'gan_dcgan.py']) {
        const input: AnalyzeInput = { text: fixture(name), file: name, settings: { overrides: { batch: '16' } } };
        expect(comparable(await engine.analyze(input)), name).toBe(comparable(analyze(input)));
        // An edit: the worker re-parses incrementally under the same key; still the same result as a fresh parse.
        const edited: AnalyzeInput = { ...input, text: `# edited\n${input.text}` };
        expect(comparable(await engine.analyze(edited)), `${name} edited`).toBe(comparable(analyze({ ...edited, file: `${name}:fresh` })).replace(`${name}:fresh`, name));
      }
      const text = 'from model import GPT\nimport utils.io as uio\ndef f():\n    from cfg import C\n';
      expect(await engine.localImports(text, 'k.py')).toEqual(localImports(text));
      expect(engine.onHostThread).toBe(false);
    } finally {
      engine.dispose();
    }
  }, 60_000);

  it('warms up on a small training script of its own, and answers the next job as usual', async () => {
    const engine = new AnalysisEngine(script, recordingLog());
    try {
      // The warm-up script goes through every stage: a training run over a known dataset, costed and projected.
      const own = analyze({ text: WARM_UP_SCRIPT, file: 'warm-up.py' });
      expect(own.run.mode).toBe('train');
      expect(own.run.steps).toBe(2 * Math.ceil(50_000 / 64));
      expect(own.step.forwardFlops).toBeGreaterThan(0);
      expect(own.projections.length).toBeGreaterThan(0);
      expect(own.problems.filter((p) => p.severity !== 'info')).toEqual([]);
      const warm = engine.warmUp();
      const next = engine.analyze({ text: 'import torch.nn as nn\nm = nn.Linear(3, 3)\n', file: 'after-warm-up.py' });
      await warm;
      expect((await next).model.params).toBe(12);
      expect(engine.onHostThread).toBe(false);
    } finally {
      engine.dispose();
    }
  }, 60_000);

  it('answers concurrent jobs in order, each with its own result', async () => {
    const engine = new AnalysisEngine(script, recordingLog());
    try {
      const widths = [8, 16, 32, 64, 128];
      const results = await Promise.all(widths.map((w) => engine.analyze({ text: `import torch.nn as nn\nm = nn.Linear(${w}, ${w})\n`, file: `w${w}.py` })));
      expect(results.map((r) => r.model.params)).toEqual(widths.map((w) => w * w + w));
    } finally {
      engine.dispose();
    }
  }, 60_000);

  it('stops an analysis past the time limit with a notice, without blocking this thread, and recovers', async () => {
    // The worker with a test hook never finishes stuck.py (it blocks): whatever the machine's speed or load, only the time
    // limit can end that job. The limit counts from the worker's 'started', so its cold start is not a race.
    const log = recordingLog();
    const engine = new AnalysisEngine(stuckScript, log, LIMIT_MS);
    try {
      let ticks = 0;
      const ticker = setInterval(() => ticks++, 10);
      const stopped = await engine.analyze({ text: 'import torch.nn as nn\nm = nn.Linear(10, 10)\n', file: 'stuck.py' });
      clearInterval(ticker);
      // This thread kept running timers while the worker spun: it was never blocked.
      expect(ticks).toBeGreaterThan(0);
      expect(stopped.problems.map((p) => p.code)).toEqual(['analysis-stopped']);
      expect(stopped.problems[0].message).toMatch(/stopped analysing this file after 3 s.*not blocked/);
      expect(stopped.verdict.summary).toMatch(/stopped/);
      // Logged with the time since the worker started the job: at least the limit (a timer may fire a ms early).
      const ran = log.lines.map((l) => /^warn .*stuck\.py, after (\d+) ms/.exec(l)).find(Boolean);
      expect(ran, log.lines.join('\n')).toBeTruthy();
      expect(Number(ran![1])).toBeGreaterThanOrEqual(LIMIT_MS - 5);
      // The next job gets a fresh worker and exactly the in-process result. A small script (a whole training run
      // nonetheless): a cold worker on a loaded machine stays far inside the limit with it.
      const input: AnalyzeInput = { text: WARM_UP_SCRIPT, file: 'after-stop.py' };
      expect(comparable(await engine.analyze(input))).toBe(comparable(analyze(input)));
      expect(engine.onHostThread).toBe(false);
    } finally {
      engine.dispose();
    }
  }, 60_000);

  it('the real worker reports each job as started before its result', async () => {
    const { Worker } = await import('worker_threads');
    const w = new Worker(script);
    try {
      const replies: Array<{ id: number; type?: string }> = [];
      await new Promise<void>((resolve, reject) => {
        w.on('message', (r) => { replies.push(r); if (replies.length === 2) resolve(); });
        w.on('error', reject);
        w.postMessage({ id: 7, type: 'analyze', input: { text: 'import torch.nn as nn\nm = nn.Linear(2, 2)\n', file: 'm.py' } });
      });
      expect(replies.map((r) => [r.id, r.type])).toEqual([[7, 'started'], [7, 'analyze']]);
    } finally {
      await w.terminate();
    }
  }, 60_000);

  it('a worker bundle that cannot start: the engine says so and analyses on the host thread', async () => {
    const log = recordingLog();
    const engine = new AnalysisEngine(path.join(dir, 'missing.js'), log);
    try {
      const a = await engine.analyze({ text: 'import torch.nn as nn\nm = nn.Linear(4, 2)\n', file: 'm.py' });
      expect(a.model.params).toBe(10);
      expect(engine.onHostThread).toBe(true);
      expect(log.lines.some((l) => /^warn .*did not start 3 times.*host thread/.test(l))).toBe(true);
      expect(await engine.localImports('import mymod\n')).toEqual(['mymod']);
    } finally {
      engine.dispose();
    }
  }, 60_000);

  it('dispose answers every waiting job at once (nothing is left hanging)', async () => {
    const engine = new AnalysisEngine(script, recordingLog());
    const jobs = [0, 1, 2].map((i) => engine.analyze({ text: fixture('vit_einsum.py'), file: `v${i}.py` }));
    engine.dispose();
    const done = await Promise.all(jobs);
    for (const a of done) expect(a.problems[0]?.code).toBe('analysis-stopped');
    const late = await engine.analyze({ text: 'x = 1\n', file: 'late.py' });
    expect(late.problems[0]?.code).toBe('analysis-stopped');
  });
});
