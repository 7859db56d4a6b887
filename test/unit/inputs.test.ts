/**
 * Every value that enters from outside the script — directives, `--set`/settings overrides, settings, hardware
 * profiles — is looked up without reaching Object.prototype and is bounded; the Analysis never carries a
 * negative, NaN, infinite or null figure.
 */
import { describe, expect, it } from 'vitest';
import { analyze, guardFigures } from '../../src/core/analyze';
import { parseDirectives, parseDirectiveValue } from '../../src/core/directives';
import { HARDWARE, validateHardwareProfiles, hardwareProfileErrors, MAX_CUSTOM_PROFILES, MAX_PROFILE_ERRORS } from '../../src/core/hardware';
import { VALUE_RANGES, EDITABLE, normalizeAssumptionValue } from '../../src/shared/assumptions';
import { readConfig } from '../../src/extension/configSchema';
import { maxOf, minOf, pushAll } from '../../src/core/arrays';
import type { Analysis } from '../../src/core/types';

const SCRIPT = `import torch, torch.nn as nn
model = nn.Sequential(nn.Linear(784, 256), nn.ReLU(), nn.Linear(256, 10))
opt = torch.optim.Adam(model.parameters())
for step in range(100):
    x = torch.randn(64, 784)
    loss = model(x).sum()
    loss.backward(); opt.step(); opt.zero_grad()
`;

/** Every number in the JSON of an Analysis is finite and ≥ 0 (JSON turns NaN/±Infinity into null). */
function expectFiniteFigures(a: Analysis): void {
  const bad: string[] = [];
  const walk = (v: unknown, path: string): void => {
    if (v === null) bad.push(path);
    else if (typeof v === 'number') { if (!Number.isFinite(v) || (v < 0 && !/\.loc\./.test(path))) bad.push(`${path}=${v}`); }
    else if (Array.isArray(v)) v.forEach((x, i) => walk(x, `${path}[${i}]`));
    else if (typeof v === 'object') for (const [k, x] of Object.entries(v as object)) walk(x, `${path}.${k}`);
  };
  walk(JSON.parse(JSON.stringify(a)), 'a');
  expect(bad).toEqual([]);
}

const messages = (a: Analysis) => a.problems.map((p) => p.message).join('\n');

describe('prototype keys never reach Object.prototype', () => {
  it.each(['__proto__', 'constructor', 'toString', 'hasOwnProperty', 'valueOf'])('directive %s=1 is an unknown key, analysis completes', (key) => {
    const a = analyze({ text: `# floplens: ${key}=1\n${SCRIPT}`, file: 't.py' });
    expect(a.problems.some((p) => p.code === 'internal')).toBe(false);
    expect(messages(a)).toContain(`Unknown directive key '${key.toLowerCase()}'`);
    expect(a.step.forwardFlops).toBeGreaterThan(0);
    expect(a.projections.length).toBeGreaterThan(0);
  });

  it('overrides (--set / floplens.overrides) with prototype keys give a problem, not a crash', () => {
    const overrides = JSON.parse('{"constructor": "1", "__proto__": "1", "batch": "8"}') as Record<string, string>;
    const a = analyze({ text: SCRIPT, file: 't.py', settings: { overrides } });
    expect(a.problems.some((p) => p.code === 'internal')).toBe(false);
    expect(messages(a)).toContain("Unknown directive key 'constructor'");
    expect(messages(a)).toContain("Unknown directive key '__proto__'");
    expect(a.step.batch).toBe(8);
  });

  it('dtype=constructor and mode=constructor are rejected as values', () => {
    expect(parseDirectiveValue('dtype', 'constructor')).toHaveProperty('error');
    expect(parseDirectiveValue('mode', '__proto__')).toHaveProperty('error');
  });

  it('floplens.overrides in settings: unknown keys are named and dropped, known ones kept', () => {
    const raw = JSON.parse('{"constructor": "1", "__proto__": "1", "batch": "16", "steps": "1e300"}');
    const { config, problems } = readConfig((k) => (k === 'overrides' ? raw : undefined));
    expect(Object.keys(config.overrides)).toEqual(['batch']);
    expect(config.overrides.batch).toBe('16');
    const text = problems.map((p) => p.message).join('\n');
    expect(text).toContain("'constructor'");
    expect(text).toContain('steps=1e300');
  });
});

describe('bounds on run quantities', () => {
  it('huge directive values are rejected with the key, value and range; figures stay finite', () => {
    const a = analyze({ text: `# floplens: batch=1e200 steps=1e200 epochs=1e308 tokens=1e308 devices=1e300\n${SCRIPT}`, file: 't.py' });
    const text = messages(a);
    for (const k of ['batch=1e200', 'steps=1e200', 'epochs=1e308', 'tokens=1e308', 'devices=1e300']) expect(text).toContain(k);
    expect(text).toContain('allowed 1 to 1e7');
    expect(a.step.batch).toBe(64);
    expect(a.run.steps).toBe(100);
    expect(a.verdict.summary).not.toMatch(/e\+\d+×|∞|NaN/);
    expectFiniteFigures(a);
  });

  it('--set values go through the same caps', () => {
    const a = analyze({ text: SCRIPT, file: 't.py', settings: { overrides: { devices: '1e300', batch: '32' } } });
    expect(messages(a)).toMatch(/devices=1e300: out of range; allowed 1 to 100,000/);
    expect(a.run.devices).toBeUndefined();
    expect(a.step.batch).toBe(32);
    expectFiniteFigures(a);
  });

  it('the sidebar, settings and directives share one table of caps', () => {
    for (const key of ['batch', 'seq', 'steps', 'devices'] as const) {
      const max = VALUE_RANGES.get(key)!.max;
      expect(EDITABLE[key].max).toBe(max);
      expect(normalizeAssumptionValue(key, String(max * 10))).toHaveProperty('error');
      expect(parseDirectiveValue(key, String(max))).toEqual({ value: max });
      expect(parseDirectiveValue(key, String(max * 10))).toHaveProperty('error');
    }
    expect(readConfig((k) => (k === 'defaults.batch' ? 1e200 : undefined)).config.defaults.batch).toBe(32);
  });

  it('out-of-range host settings fall back to defaults with a problem', () => {
    const a = analyze({ text: SCRIPT, file: 't.py', settings: { defaultBatch: 1e300, computeEfficiency: Number.NaN, launchOverheadSeconds: -1 } });
    expect(messages(a)).toContain('defaultBatch');
    expect(messages(a)).toContain('computeEfficiency');
    expectFiniteFigures(a);
  });

  it('script sizes that overflow leave no null/NaN/negative figure', () => {
    for (const size of ['-1', '1e308', 'float("nan")', '10**400']) {
      const text = SCRIPT.replace('torch.randn(64, 784)', `torch.randn(${size}, 784)`);
      const a = analyze({ text, file: 't.py' });
      expect(a.problems.some((p) => p.code === 'internal')).toBe(false);
      expectFiniteFigures(a);
    }
  });

  it('the final guard turns a non-finite figure into unknown and withholds the verdict', () => {
    const a = analyze({ text: SCRIPT, file: 't.py' });
    expect(a.projections.length).toBeGreaterThan(0);
    a.step.forwardFlops = Number.POSITIVE_INFINITY;
    a.memory.activations = -5;
    guardFigures(a);
    expect(a.step.forwardFlops).toBe(0);
    expect(a.memory.activations).toBe(0);
    expect(a.projections).toEqual([]);
    expect(a.verdict.summary).toMatch(/No verdict/);
    expect(a.problems.some((p) => p.code === 'bad-figure' && /step\.forwardFlops/.test(p.message))).toBe(true);
  });
});

describe('directive lines are bounded', () => {
  it('a 1.2 MB directive line neither overflows the stack nor floods problems', () => {
    const r = parseDirectives(`# floplens: ${'x=1 '.repeat(300_000)}\n`);
    expect(r.problems.length).toBeLessThanOrEqual(52);
    expect(r.problems[0].message).toMatch(/characters long; FlopLens reads the first 2000/);
    const a = analyze({ text: `# floplens: ${'batch=2 '.repeat(150_000)}\n${SCRIPT}`, file: 't.py' });
    expect(a.step.batch).toBe(2);
    expect(messages(a)).toMatch(/More than 64 directive values on one line/);
  });
});

describe('hardware profiles', () => {
  const good = { id: 'my-gpu', kind: 'gpu', peakFlops: { fp32: 50e12 }, memoryBandwidth: 1e12, memoryBytes: 24e9, pricePerHour: 1 };

  it('every catalog profile is inside the physical ranges', () => {
    for (const h of HARDWARE) expect(hardwareProfileErrors(h, h.id)).toEqual([]);
  });

  it.each([
    ['peakFlops', { peakFlops: { fp32: 1e308 } }, 'peakFlops.fp32'],
    ['tiny peak', { peakFlops: { fp32: 5e-324 } }, 'peakFlops.fp32'],
    ['bandwidth', { memoryBandwidth: 1e308 }, 'memoryBandwidth'],
    ['tiny bandwidth', { memoryBandwidth: 5e-324 }, 'memoryBandwidth'],
    ['memory', { memoryBytes: 1e308 }, 'memoryBytes'],
    ['price', { pricePerHour: 1e308 }, 'pricePerHour'],
    ['power', { tdpWatts: 1e9 }, 'tdpWatts'],
  ])('%s out of range is rejected naming the field', (_n, patch, field) => {
    const r = validateHardwareProfiles([{ ...good, ...patch }], 'custom');
    expect(r.profiles).toEqual([]);
    expect(r.errors.join('\n')).toContain(`custom[0].${field}: must be`);
  });

  it('a custom profile may not take a built-in id', () => {
    const r = validateHardwareProfiles([{ ...good, id: 'h100-sxm' }, { ...good, id: 'this-machine' }, good]);
    expect(r.profiles.map((p) => p.id)).toEqual(['my-gpu']);
    expect(r.errors.join('\n')).toMatch(/"h100-sxm" is a built-in hardware id/);
  });

  it('130,000 invalid and 100,000 valid entries are capped, with a message', () => {
    const invalid = validateHardwareProfiles(Array.from({ length: 130_000 }, () => ({ id: 'x' })), 'custom');
    expect(invalid.errors.length).toBeLessThanOrEqual(MAX_PROFILE_ERRORS + 2);
    expect(invalid.errors[0]).toMatch(/130,000 profiles; only the first 64/);
    expect(invalid.errors.at(-1)).toMatch(/more errors not listed/);
    const valid = validateHardwareProfiles(Array.from({ length: 100_000 }, (_, i) => ({ ...good, id: `g${i}` })), 'custom');
    expect(valid.profiles.length).toBe(MAX_CUSTOM_PROFILES);
  });

  it('analyze drops a host-supplied profile with impossible figures (e.g. a bad this-machine) and names the field', () => {
    const bad = { ...HARDWARE[0], id: 'this-machine', tier: 'this-machine' as const, memoryBandwidth: 1e308 };
    const a = analyze({ text: SCRIPT, file: 't.py', hardware: [bad, HARDWARE[0]] });
    expect(messages(a)).toMatch(/hardware "this-machine"\.memoryBandwidth: must be a number from 1 GB\/s to 100 TB\/s/);
    expect(a.projections.map((p) => p.hardwareId)).toEqual([HARDWARE[0].id]);
    expectFiniteFigures(a);
  });
});

describe('array helpers never spread', () => {
  it('handle 500,000 items', () => {
    const big = Array.from({ length: 500_000 }, (_, i) => i);
    expect(pushAll([] as number[], big).length).toBe(500_000);
    expect(maxOf(big)).toBe(499_999);
    expect(minOf(big)).toBe(0);
    expect(maxOf([], 7)).toBe(7);
  });
});
