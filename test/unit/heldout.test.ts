// Issue 15: the held-out published runs (test/validation/heldout) are well-formed, sourced, and apart from the
// validation table: no row or figure of theirs is in cases.ts or test/validation/scripts, and the fit never reads them.
import { readFileSync, readdirSync } from 'fs';
import { join } from 'path';
import { describe, expect, it } from 'vitest';
import { parseChecks } from '../validation/checks';
import { CASES } from '../validation/cases';

const dir = join(__dirname, '../validation');
const scripts = (sub: string) => readdirSync(join(dir, sub)).filter((f) => f.endsWith('.py')).map((f) => ({ f, text: readFileSync(join(dir, sub, f), 'utf8') }));

describe('held-out published runs', () => {
  const held = scripts('heldout');
  const checks = held.flatMap(({ f, text }) => {
    const p = parseChecks(f, text);
    expect(p.errors, f).toEqual([]);
    return p.checks;
  });

  it('hold at least 15 figures, each with a source URL and a unique row id', () => {
    expect(checks.length).toBeGreaterThanOrEqual(15);
    for (const c of checks) expect(c.source, c.file).toMatch(/https?:\/\//);
    expect(new Set(checks.map((c) => c.row)).size).toBe(checks.length);
    for (const c of checks) expect(c.published, c.row).toBeGreaterThan(0);
  });

  it('share no row and no (hardware, figure) pair with the validation table', () => {
    const seen = scripts('scripts').flatMap(({ f, text }) => parseChecks(f, text).checks);
    const key = (c: { hardware: { id: string }; published: number }) => `${c.hardware.id}:${c.published}`;
    const validation = new Set([...seen.map(key), ...CASES.map(key)]);
    const rows = new Set([...seen.map((c) => c.row), ...CASES.map((c) => c.row)]);
    for (const c of checks) {
      expect(validation.has(key(c)), c.row).toBe(false);
      expect(rows.has(c.row), c.row).toBe(false);
    }
  });

  it('are never read by the fit', () => {
    expect(readFileSync(join(dir, 'fit.ts'), 'utf8')).not.toMatch(/\.\/heldout|validation\/heldout|HELDOUT/);
  });
});
