// The declared-once tables (commands, settings) against package.json, so they cannot drift.
import { readFileSync } from 'fs';
import { join } from 'path';
import { describe, expect, it } from 'vitest';
import { CommandId, LINKABLE_COMMANDS } from '../../src/extension/commandIds';
import { readConfig, SETTINGS } from '../../src/extension/configSchema';

const pkg = JSON.parse(readFileSync(join(__dirname, '../../package.json'), 'utf8'));
const contributed: string[] = pkg.contributes.commands.map((c: { command: string }) => c.command);
const properties: Record<string, { default: unknown }> = pkg.contributes.configuration.properties;

describe('command table', () => {
  it('matches package.json contributes.commands exactly', () => {
    expect([...Object.values(CommandId)].sort()).toEqual([...contributed].sort());
  });

  it('names every command floplens.verbNoun with the FlopLens category', () => {
    for (const c of pkg.contributes.commands) {
      expect(c.command).toMatch(/^floplens\.[a-z]+[A-Z][A-Za-z]*$/);
      expect(c.category).toBe('FlopLens');
    }
  });

  it('menus only reference declared commands', () => {
    for (const items of Object.values(pkg.contributes.menus) as { command: string }[][]) {
      for (const item of items) expect(contributed).toContain(item.command);
    }
  });

  it('trusts only our own commands in hovers', () => {
    for (const id of LINKABLE_COMMANDS) expect(contributed).toContain(id);
  });
});

describe('config snapshot', () => {
  it('covers every floplens.* setting in package.json, with the same defaults', () => {
    const keys = Object.keys(properties).map((k) => k.replace(/^floplens\./, '')).sort();
    expect(Object.keys(SETTINGS).sort()).toEqual(keys);
    for (const [key, spec] of Object.entries(SETTINGS)) expect(spec.default, key).toEqual(properties[`floplens.${key}`].default);
  });

  it('reads defaults when nothing is set, with no problems', () => {
    const { config, problems } = readConfig(() => undefined);
    expect(problems).toEqual([]);
    expect(config.defaults).toEqual({ batch: 32, seqLen: 512, dtype: 'fp32' });
    expect(config.features).toEqual({ hovers: true, codeLens: true, inlayHints: false, diagnostics: true });
    expect(config.directives.writeTo).toBe('script');
  });

  it.each([
    ['defaults.batch', 0],
    ['defaults.batch', 'lots'],
    ['defaults.batch', 2.5],
    ['defaults.dtype', 'fp64'],
    ['efficiency.compute', 7],
    ['currency.code', 'dollars'],
    ['currency.perUsd', -1],
    ['hardware.compare', 'h100-sxm'],
    ['features.hovers', 'yes'],
    ['overrides', { batch: { nested: true } }],
    ['directives.writeTo', 'file'],
  ])('replaces a malformed %s (%j) by its default and reports it', (key, value) => {
    const { config, problems } = readConfig((k) => (k === key ? value : undefined));
    expect(problems).toHaveLength(1);
    expect(problems[0].key).toBe(`floplens.${key}`);
    expect(problems[0].message).toContain('using the default');
    const fresh = readConfig(() => undefined).config;
    expect(config).toEqual(fresh);
  });

  it('keeps valid values and normalises them', () => {
    const values: Record<string, unknown> = {
      'defaults.batch': 64, 'currency.code': 'eur', 'hardware.compare': ['t4', 't4', 'h100-sxm'], overrides: { batch: 8, tf32: true },
      'efficiency.launchOverheadMicroseconds': 12,
    };
    const { config, problems } = readConfig((k) => values[k]);
    expect(problems).toEqual([]);
    expect(config.defaults.batch).toBe(64);
    expect(config.currency.code).toBe('EUR');
    expect(config.hardware.compare).toEqual(['t4', 'h100-sxm']);
    expect(config.overrides).toEqual({ batch: '8', tf32: 'true' });
    expect(config.efficiency.launchOverheadMicroseconds).toBe(12);
  });
});
