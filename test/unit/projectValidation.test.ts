/**
 * The projection against published measurements (validation.md Table 2), on hand-built Workloads: this pins the
 * engine on its own while the analyser-driven harness (`npm run validate`) checks the whole pipeline.
 * Target: the central estimate within 1.5× of the published figure for at least 80% of the figures.
 */
import { describe, expect, it } from 'vitest';
import { project } from '../../src/core/project';
import { CASES, measure } from '../validation/cases';

const rows = CASES.map((c) => {
  const w = c.build();
  const p = project(w, [c.hardware], c.opts).projections[0];
  const m = measure(c.metric, p, w);
  return { c, ratio: m.mid / c.published, inBand: c.published >= m.low && c.published <= m.high };
});

describe('validation against published measurements', () => {
  it('lands within 1.5× of the published figure for at least 80% of the figures', () => {
    const within = rows.filter((r) => r.ratio <= 1.5 && r.ratio >= 1 / 1.5);
    expect(within.length / rows.length).toBeGreaterThanOrEqual(0.8);
  });

  it('is never off by more than ×6 (the known misses are overhead-bound corner cases)', () => {
    for (const r of rows) {
      expect(r.ratio, `row ${r.c.row}: ${r.c.title}`).toBeGreaterThan(1 / 6);
      expect(r.ratio, `row ${r.c.row}: ${r.c.title}`).toBeLessThan(6);
    }
  });

  it('has bands that contain most published figures', () => {
    expect(rows.filter((r) => r.inBand).length / rows.length).toBeGreaterThanOrEqual(0.6);
  });

  it.each(rows.map((r) => [r.c.row, r.c.title, r] as const))('row %s: %s', (_row, _title, r) => {
    expect(Number.isFinite(r.ratio)).toBe(true);
    expect(r.ratio).toBeGreaterThan(0);
  });
});
