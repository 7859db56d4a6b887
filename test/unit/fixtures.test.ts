/**
 * Fixture scripts in the styles people write, each with results measured from real PyTorch
 * (test/fixtures/measure.py, see test/fixtures/README.md). Parameters must match exactly; forward
 * FLOPs of one training iteration within 2% of PyTorch's own count; batch, micro-batches, steps and
 * mode as the script defines them.
 */
import { describe, expect, it } from 'vitest';
import * as fs from 'fs';
import * as path from 'path';
import { analyzeFile } from '../../src/cli/analyzeFile';

const ROOT = path.resolve(__dirname, '../fixtures');

interface Expected {
  params: number;
  forwardFlops: number;
  batch: number;
  microBatches: number;
  mode: 'train' | 'infer';
  steps: number | null;
  script?: string;
}

/**
 * Values a script reads from data at run time, which no static reader can see; the measuring
 * script records them (expected JSON `assumptions`) and the test supplies them as a user would,
 * with a directive/setting.
 */
const DATA_DEPENDENT: Record<string, Record<string, string>> = {
  gpt_manual_attention: { vocab: '65' },
};

function scriptFor(name: string, e: Expected): string | undefined {
  const candidates = [e.script ? path.join(ROOT, e.script) : '', path.join(ROOT, 'scripts', `${name}.py`), path.join(ROOT, 'scripts', `${name}.ipynb`), path.join(ROOT, 'scripts', name, 'train.py')];
  return candidates.find((c) => c && fs.existsSync(c));
}

const run = (file: string, overrides: Record<string, string> = {}) => analyzeFile(file, { overrides, root: ROOT, name: path.basename(file) });

const expectedFiles = fs.existsSync(path.join(ROOT, 'expected')) ? fs.readdirSync(path.join(ROOT, 'expected')).filter((f) => f.endsWith('.json')) : [];

describe('fixtures measured with PyTorch', () => {
  it('has fixtures to check', () => {
    expect(expectedFiles.length).toBeGreaterThanOrEqual(10);
  });

  for (const f of expectedFiles) {
    const name = f.replace(/\.json$/, '');
    const e = JSON.parse(fs.readFileSync(path.join(ROOT, 'expected', f), 'utf8')) as Expected;
    const script = scriptFor(name, e);
    it(`${name}: params exact, forward FLOPs within 2%, run shape`, () => {
      expect(script, `script for ${name}`).toBeDefined();
      const a = run(script!, DATA_DEPENDENT[name]);
      expect(a.model.params).toBe(e.params);
      expect(Math.abs(a.step.forwardFlops / e.forwardFlops - 1)).toBeLessThan(0.02);
      expect(a.step.forwardMacs).toBeCloseTo(a.step.forwardFlops / 2, 0);
      expect(a.run.mode).toBe(e.mode);
      expect(a.step.batch).toBe(e.batch);
      expect(a.step.microBatches).toBe(e.microBatches);
      if (e.steps !== null && e.steps !== undefined) expect(a.run.steps).toBe(e.steps);
      if (e.mode === 'train') expect(a.step.trainFlops).toBeGreaterThan(2.5 * a.step.forwardFlops);
      expect(a.memory.peakBytes).toBeGreaterThan(a.memory.weights);
      expect(a.problems.filter((p) => p.severity === 'error')).toEqual([]);
    });
  }
});
