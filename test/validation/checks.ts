/**
 * The script checks of `npm run validate`, shared by the validation table (validate.ts, test/validation/scripts) and
 * the held-out table (heldout.ts, test/validation/heldout): each script carries its published figure and source in a
 * comment header and one `# validate:` line per figure:
 *   # validate: row=21a hardware=rtx-4090 metric=throughput published=189 runtime=graph set=batch:64,dtype:fp8
 * Keys: row, hardware (catalog id or a custom profile of cases.ts), metric (see cases.ts `Metric`), published,
 * runtime (eager | compiled | graph: how the measured system issued kernels), scope (device | global: whether the
 * script's batch is per GPU or the whole job's), set (directive overrides passed to the analyser as settings).
 * Runtime and scope are harness facts about the published run that a PyTorch script cannot say; everything else
 * comes from the script.
 */
import { readFileSync, readdirSync } from 'node:fs';
import { basename, join } from 'node:path';
import { analyze } from '../../src/core/analyze';
import type { HardwareProfile } from '../../src/core/hardware/types';
import { getHardware } from '../../src/core/hardware';
import { project, type ProjectOptions, type Runtime } from '../../src/core/project';
import { CASES, CUSTOM_HARDWARE, measure, type Metric } from './cases';
import { workloadOf } from './builders';

export const TARGET_RATIO = 1.5;

export interface Check {
  file: string;
  row: string;
  hardware: HardwareProfile;
  metric: Metric;
  published: number;
  runtime?: Runtime;
  scope?: 'device' | 'global';
  overrides: Record<string, string>;
  source: string;
}

export interface Result {
  check: Check;
  projected?: { low: number; mid: number; high: number };
  ratio?: number;
  inBand?: boolean;
  bound?: string;
  devices?: number;
  handBuiltRatio?: number;
  /** The analyser produced no FLOPs for the script (a model it cannot cost yet): reported, not scored. */
  notAnalysed?: string;
  error?: string;
  problems: string[];
}

export function parseChecks(file: string, text: string): { checks: Check[]; errors: string[] } {
  const checks: Check[] = [];
  const errors: string[] = [];
  const source = (/^#\s*Source:\s*(.+)$/m.exec(text)?.[1] ?? '').trim();
  for (const line of text.split('\n')) {
    const m = /^#\s*validate:\s*(.+)$/.exec(line);
    if (!m) continue;
    const kv = new Map<string, string>();
    for (const tok of m[1].trim().split(/\s+/)) {
      const i = tok.indexOf('=');
      if (i > 0) kv.set(tok.slice(0, i), tok.slice(i + 1));
    }
    const hwId = kv.get('hardware') ?? '';
    const hardware = getHardware(hwId) ?? CUSTOM_HARDWARE.find((h) => h.id === hwId);
    const published = Number(kv.get('published'));
    const metric = kv.get('metric') as Metric | undefined;
    if (!hardware || !metric || !Number.isFinite(published)) {
      errors.push(`${file}: bad validate line (hardware, metric and published are required): ${line}`);
      continue;
    }
    const overrides: Record<string, string> = {};
    for (const pair of (kv.get('set') ?? '').split(',').filter(Boolean)) {
      const [k, v] = pair.split(':');
      if (k && v !== undefined) overrides[k] = v;
    }
    checks.push({
      file, row: kv.get('row') ?? basename(file), hardware, metric, published,
      runtime: kv.get('runtime') as Runtime | undefined,
      scope: kv.get('scope') as 'device' | 'global' | undefined,
      overrides, source,
    });
  }
  return { checks, errors };
}

export function runCheck(c: Check, text: string): Result {
  const problems: string[] = [];
  try {
    const a = analyze({ text, file: c.file, settings: { overrides: c.overrides }, hardware: [c.hardware] });
    for (const p of a.problems) if (p.severity !== 'info') problems.push(`${p.code}: ${p.message}`);
    for (const u of a.uncounted) problems.push(`uncounted ${u.name}: ${u.reason}`);
    const w = workloadOf(a);
    if (!(w.forwardFlops > 0)) {
      const why = a.problems.find((p) => p.severity !== 'info')?.code ?? 'no FLOPs';
      return { check: c, notAnalysed: `analyser found no work (${why})`, problems };
    }
    if (c.runtime) w.run.runtime = c.runtime;
    if (c.scope) w.run.batchScope = c.scope;
    const opts: ProjectOptions = {};
    const p = project(w, [c.hardware], opts).projections[0];
    if (!p) return { check: c, error: 'no projection', problems };
    const m = measure(c.metric, p, w);
    const ratio = m.mid / c.published;
    const hand = CASES.find((k) => k.row === c.row);
    let handBuiltRatio: number | undefined;
    if (hand) {
      const hw = hand.build();
      const hp = project(hw, [hand.hardware], hand.opts).projections[0];
      if (hp) handBuiltRatio = measure(hand.metric, hp, hw).mid / hand.published;
    }
    return { check: c, projected: m, ratio, inBand: c.published >= m.low && c.published <= m.high, bound: p.bound, devices: p.devicesUsed, handBuiltRatio, problems };
  } catch (e) {
    return { check: c, error: (e as Error)?.message ?? String(e), problems };
  }
}

/** Every check of every `.py` script in `dir` (those whose name contains `filter`, when given), run. */
export function runScripts(dir: string, filter?: string): { results: Result[]; errors: string[] } {
  const files = readdirSync(dir).filter((f) => f.endsWith('.py')).sort().filter((f) => !filter || f.includes(filter));
  const results: Result[] = [];
  const errors: string[] = [];
  for (const f of files) {
    const text = readFileSync(join(dir, f), 'utf8');
    const parsed = parseChecks(f, text);
    errors.push(...parsed.errors);
    for (const c of parsed.checks) results.push(runCheck(c, text));
  }
  return { results, errors };
}

const fmt = (x: number | undefined): string => (x === undefined || !Number.isFinite(x) ? '—' : Math.abs(x) >= 1e4 || Math.abs(x) < 1e-2 ? x.toExponential(2) : x.toPrecision(3));

export const withinTarget = (r: Result): boolean => r.ratio !== undefined && r.ratio <= TARGET_RATIO && r.ratio >= 1 / TARGET_RATIO;

/** The table of results, their analyser notes and the harness errors, printed. */
export function printResults(results: Result[], errors: string[], handBuilt = true): void {
  const head = ['row', 'hardware', 'metric', 'published', 'projected (low–high)', 'ratio', '≤1.5×', 'in band', 'bound', 'devs', ...(handBuilt ? ['hand-built'] : [])];
  const rows = results.map((r) => [
    r.check.row, r.check.hardware.id, r.check.metric, fmt(r.check.published),
    r.projected ? `${fmt(r.projected.mid)} (${fmt(r.projected.low)}–${fmt(r.projected.high)})` : r.notAnalysed ? 'not analysed' : `error: ${r.error}`,
    r.ratio !== undefined ? `×${r.ratio.toFixed(2)}` : '—',
    r.ratio === undefined ? '—' : withinTarget(r) ? 'yes' : 'NO',
    r.inBand ? 'yes' : 'no', r.bound ?? '—', String(r.devices ?? '—'),
    ...(handBuilt ? [r.handBuiltRatio !== undefined ? `×${r.handBuiltRatio.toFixed(2)}` : '—'] : []),
  ]);
  const widths = head.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i].length)));
  const line = (cells: string[]): string => cells.map((c, i) => c.padEnd(widths[i])).join('  ');
  console.log(line(head));
  console.log(widths.map((w) => '─'.repeat(w)).join('  '));
  for (const r of rows) console.log(line(r));
  for (const r of results) if (r.problems.length > 0) console.log(`\n${r.check.row} (${r.check.file}) analyser notes:\n  ${r.problems.slice(0, 6).join('\n  ')}`);
  for (const e of errors) console.log(`\n${e}`);
}

/** Scored results (analysed ones), how many land within 1.5× and inside the band, in one sentence. */
export function summarise(results: Result[]): { scored: number; within: number; inBand: number; share: number; text: string } {
  const scored = results.filter((r) => !r.notAnalysed);
  const within = scored.filter(withinTarget).length;
  const inBand = scored.filter((r) => r.inBand).length;
  const share = scored.length > 0 ? within / scored.length : 0;
  const skipped = results.filter((r) => r.notAnalysed);
  const text = `${within} of ${scored.length} analysed figures within ${TARGET_RATIO}× (${Math.round(share * 100)}%); ${inBand} inside the projected band (${Math.round((100 * inBand) / Math.max(1, scored.length))}%).` +
    (skipped.length > 0 ? `\n${skipped.length} figures not analysed: ${skipped.map((r) => `${r.check.row} (${r.notAnalysed})`).join(', ')}.` : '');
  return { scored: scored.length, within, inBand, share, text };
}
