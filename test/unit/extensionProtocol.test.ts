// The webview protocol: only well-formed messages of known types get through, on both sides.
import { readdirSync, readFileSync } from 'fs';
import { join } from 'path';
import { describe, expect, it } from 'vitest';
import { analyze } from '../../src/core/analyze';
import { getHardware } from '../../src/core/hardware';
import { EDITABLE_KEYS, normalizeAssumptionValue } from '../../src/shared/assumptions';
import { parseHostMessage, parseWebviewMessage } from '../../src/shared/protocol';
import { parseDirectiveValue } from '../../src/core/directives';
import { analysis, projection } from './extensionFixture';

describe('webview → host messages', () => {
  it.each([
    { type: 'ready', view: 'sidebar' },
    { type: 'ready', view: 'panel' },
    { type: 'setAssumption', documentUri: 'file:///w/train.py', key: 'batch', value: '64' },
    { type: 'revealOp', documentUri: 'file:///w/train.py', version: 3, opIndex: 0 },
    { type: 'runCommand', command: 'openPanel' },
    { type: 'webviewError', message: 'boom' },
  ])('accepts %j', (msg) => {
    expect(parseWebviewMessage(msg)).toEqual(msg);
  });

  it.each([
    undefined, null, 'ready', 42, {},
    { type: 'nope' },
    { type: 'ready', view: 'editor' },
    { type: 'ready', view: 'sidebar', extra: 1 },
    { type: 'setAssumption', documentUri: 'file:///w/train.py', key: 'rm -rf', value: '1' },
    { type: 'setAssumption', documentUri: '', key: 'batch', value: '1' },
    { type: 'setAssumption', documentUri: 'file:///a', key: 'batch', value: 'x'.repeat(100) },
    { type: 'revealOp', documentUri: 'file:///w/train.py', version: 1, opIndex: -1 },
    { type: 'revealOp', documentUri: 'file:///w/train.py', version: 1, opIndex: 1.5 },
    { type: 'revealOp', documentUri: 'file:///w/train.py', version: 1, opIndex: 0, path: '/etc/passwd' },
    { type: 'runCommand', command: 'workbench.action.terminal.new' },
  ])('drops %j', (msg) => {
    expect(parseWebviewMessage(msg)).toBeUndefined();
  });
});

describe('host → webview messages', () => {
  const settings = { currency: { code: 'USD', perUsd: 1 }, writeTo: 'script', compareIds: ['t4'] };
  it('accepts a state with an analysis and keeps the analysis as is', () => {
    const a = analysis();
    const msg = { type: 'state', state: { status: 'ready', stale: false, devices: [], settings, analysis: a } };
    const parsed = parseHostMessage(msg);
    expect(parsed?.type).toBe('state');
    expect(parsed?.type === 'state' && parsed.state.analysis).toBe(a);
  });

  // Real analyses as a webview receives them (VS Code posts JSON): every field the views read passes the checks.
  const hardware = ['core-ultra-7-155h', 'epyc-9654', 't4', 'h100-sxm'].map((id) => getHardware(id)!);
  const dirs = [join(__dirname, '../../examples'), join(__dirname, '../fixtures/general')];
  const scripts = dirs.flatMap((d) => readdirSync(d).filter((f) => f.endsWith('.py')).map((f) => join(d, f)));
  it('accepts the analysis of every example and general fixture script after a JSON round trip', () => {
    expect(scripts.length).toBeGreaterThan(20);
    for (const file of scripts) {
      const a = analyze({ text: readFileSync(file, 'utf8'), file, hardware });
      const msg = JSON.parse(JSON.stringify({ type: 'state', state: { status: 'ready', stale: false, devices: [], settings, analysis: a } }));
      expect(parseHostMessage(msg), file).toBeDefined();
    }
  });

  const broken = (p: Parameters<typeof analysis>[0]) => ({ type: 'state', state: { status: 'ready', stale: false, devices: [], settings, analysis: analysis(p) } });
  it.each([
    ['a non-finite step time', broken({ projections: [projection({ stepSeconds: { low: 1, mid: Number.NaN, high: 2 } })] })],
    ['a step time lost in JSON (Infinity → null)', JSON.parse(JSON.stringify(broken({ projections: [projection({ stepSeconds: { low: 1, mid: Infinity, high: 2 } })] })))],
    ['a per-op time that is not a number', broken({ projections: [projection({ opSeconds: ['1' as unknown as number] })] })],
    ['a missing memory part', broken({ memory: { weights: 1 } as never })],
    ['an op without a count', broken({ ops: [{ name: 'fc' } as never] })],
    ['an unknown dtype', broken({ run: { ...analysis().run, dtype: 'fp64' as never } })],
  ])('drops an analysis with %s', (_, msg) => {
    expect(parseHostMessage(msg)).toBeUndefined();
  });

  it.each([
    { type: 'state', state: { status: 'ready', stale: false, devices: [], settings, analysis: { schemaVersion: 2 } } },
    { type: 'state', state: { status: 'weird', stale: false, devices: [], settings } },
    { type: 'focusOp', opIndex: -3 },
    { type: 'eval', code: 'alert(1)' },
  ])('drops %j', (msg) => {
    expect(parseHostMessage(msg)).toBeUndefined();
  });
});

describe('editable assumptions', () => {
  it.each([
    ['batch', '64', '64'],
    ['batch', ' 1,024 ', '1024'],
    ['steps', '1e5', '100000'],
    ['dataset', '1_281_167', '1281167'],
    ['dtype', 'BF16', 'bf16'],
    ['devices', '8', '8'],
  ] as const)('%s=%s normalises to %s', (key, raw, value) => {
    expect(normalizeAssumptionValue(key, raw)).toEqual({ value });
  });

  it.each([
    ['batch', '0'], ['batch', '-3'], ['batch', 'many'], ['batch', '2.5'], ['dtype', 'fp64'], ['devices', '1e9'], ['seq', ''],
  ] as const)('rejects %s=%j with a message', (key, raw) => {
    const r = normalizeAssumptionValue(key, raw);
    expect('error' in r && r.error.length > 0).toBe(true);
  });

  it('writes only values the core directive parser accepts for the same key', () => {
    const samples: Record<string, string> = { batch: '64', seq: '2048', dtype: 'bf16', steps: '5000', epochs: '3', dataset: '50000', devices: '4', rate: '20/s' };
    for (const key of EDITABLE_KEYS) {
      const r = normalizeAssumptionValue(key, samples[key]);
      expect('value' in r, key).toBe(true);
      if ('value' in r) expect(parseDirectiveValue(key, r.value), key).not.toHaveProperty('error');
    }
  });
});
