/**
 * The doubling scripts through the analysis worker exactly as the extension runs them (the esbuild bundle of
 * src/extension/worker/analysisWorker.ts, driven by AnalysisEngine): this process survives, each result arrives
 * with its budget warning, and the process's memory stays far below the worker's 1.5 GB limit. Time limits are
 * generous (the engine's own 20 s per script); nothing here depends on the machine's speed.
 */
import * as esbuild from 'esbuild';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AnalysisEngine } from '../../src/extension/analysisEngine';
import { DOUBLING } from './doublingScripts';

const ROOT = path.resolve(__dirname, '../..');
let dir = '';
let script = '';

// The worker bundle, built with the options esbuild.js ships it with.
const BUNDLE = { bundle: true, platform: 'node', format: 'cjs', target: 'node20', logLevel: 'silent' } as const;
beforeAll(async () => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'floplens-budget-'));
  script = path.join(dir, 'analysisWorker.js');
  await esbuild.build({ ...BUNDLE, entryPoints: [path.join(ROOT, 'src/extension/worker/analysisWorker.ts')], outfile: script });
}, 60_000);

afterAll(() => { if (dir) fs.rmSync(dir, { recursive: true, force: true }); });

describe('doubling scripts in the analysis worker', () => {
  it('every doubling script answers with a budget warning, and memory stays under 1.5 GB', async () => {
    const lines: string[] = [];
    const log = { info: (m: string) => lines.push(m), warn: (m: string) => lines.push(m), error: (m: string) => lines.push(m) };
    const engine = new AnalysisEngine(script, log);
    let peak = 0;
    const sample = () => { const m = process.memoryUsage(); peak = Math.max(peak, m.rss); };
    const timer = setInterval(sample, 20);
    try {
      for (const [name, text] of Object.entries(DOUBLING)) {
        const a = await engine.analyze({ text, file: `${name}.py` });
        sample();
        expect(a.problems.some((p) => p.code === 'budget' && p.severity === 'warning'), `${name}: ${JSON.stringify(a.problems)}`).toBe(true);
        // A result, not the engine's notice for a worker stopped past its time or memory limit.
        expect(a.problems.some((p) => /stopped analysing|worker/.test(p.message)), name).toBe(false);
      }
      expect(engine.onHostThread).toBe(false);
      expect(lines.filter((l) => /stopped|failed|exit/.test(l))).toEqual([]);
    } finally {
      clearInterval(timer);
      engine.dispose();
    }
    // The worker shares this process: its RSS includes the worker's heap.
    console.info(`doubling scripts in the worker: peak RSS ${Math.round(peak / 2 ** 20)} MB`);
    expect(peak).toBeLessThan(1.5 * 1024 ** 3);
  }, DOUBLING_TIMEOUT());
});

function DOUBLING_TIMEOUT(): number { return 20_000 * (Object.keys(DOUBLING).length + 1); }
