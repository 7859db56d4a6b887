// Unit formatting: one table of inputs and the text views show.
import { describe, expect, it } from 'vitest';
import {
  formatBytes, formatCount, formatEnergy, formatFlopRate, formatFlops, formatMacs, formatMoney, formatPercent, formatSeconds,
  formatSecondsBand, formatShape, formatSpeedup, formatBandwidth, formatInteger, plural,
} from '../../src/core/format';

describe('format', () => {
  it.each([
    [formatCount, 124_439_808, '124M'],
    [formatCount, 6.74e9, '6.74B'],
    [formatCount, 999, '999'],
    [formatCount, 1.5e12, '1.5T'],
    [formatFlops, 0.82e12, '820 GFLOP'],
    [formatFlops, 240, '240 FLOP'],
    [formatFlops, 1.2e25, '12 YFLOP'],
    [formatMacs, 3.62e9, '1.81 GMAC'],
    [formatFlopRate, 312e12, '312 TFLOP/s'],
    [formatBytes, 24 * 2 ** 30, '24 GiB'],
    [formatBytes, 512 * 1024, '512 KiB'],
    [formatBytes, 12, '12 B'],
    [formatSeconds, 0.021, '21 ms'],
    [formatSeconds, 14, '14 s'],
    [formatSeconds, 5e-6, '5 µs'],
    [formatSeconds, 95, '95 s'],
    [formatSeconds, 95.4, '95 s'],
    [formatSeconds, 96, '96 s'],
    [formatSeconds, 0.000737, '740 µs'],
    [formatSeconds, 0.9996, '1 s'],
    [formatSpeedup, 1413, '×1,400'],
    [formatSpeedup, 5.93, '×5.9'],
    [formatSeconds, 130, '2.2 min'],
    [formatSeconds, 5400, '90 min'],
    [formatSeconds, 2.3 * 3600, '2.3 h'],
    [formatSeconds, 0.9996, '1 s'],
    [formatSeconds, 0.0123, '12 ms'],
    [formatSeconds, 86400 * 5.5, '5.5 days'],
    [formatSeconds, 86400 * 365 * 30, '30 years'],
    [formatEnergy, 3.6e6, '1 kWh'],
    [formatEnergy, 10, '10 J'],
    [formatSpeedup, 23.4, '×23'],
    [formatSpeedup, 1.44, '×1.4'],
    [formatSpeedup, 0.25, '÷4'],
    [formatBytes, 80 * 2 ** 30, '80 GiB'],
    [formatBytes, 86e9, '80.1 GiB'],
    [formatFlopRate, 1.25e12, '1.25 TFLOP/s'],
    [formatBandwidth, 3.35e12, '3.35 TB/s'],
    [formatInteger, 20000, '20,000'],
    [formatPercent, 0.423, '42%'],
    [formatPercent, 0.003, '0.3%'],
  ] as [(x: number) => string, number, string][])('%o(%d) = %s', (fn, x, out) => {
    expect(fn(x)).toBe(out);
  });

  it('formats bands, shapes and money', () => {
    expect(formatSecondsBand(0.012, 0.019)).toBe('12–19 ms');
    expect(formatSecondsBand(0.9, 1.4)).toBe('900 ms–1.4 s');
    expect(formatShape([32, 512, 768])).toBe('[32, 512, 768]');
    expect(formatMoney(1.2)).toBe('$1.20');
    expect(formatMoney(1234.5)).toBe('$1,235');
    expect(formatMoney(0.0042)).toBe('< $0.01');
    expect(formatMoney(0)).toBe('$0');
    expect(formatMoney(0.4)).toBe('$0.40');
    expect(plural(1, 'step')).toBe('1 step');
    expect(plural(20000, 'step')).toBe('20,000 steps');
    expect(formatMoney(10, { code: 'EUR', perUsd: 0.9 })).toBe('€9.00');
    expect(formatMoney(10, { code: 'XQQ', perUsd: 1 })).toMatch(/10(\.00)? XQQ|XQQ/);
  });

  it('never prints NaN', () => {
    for (const fn of [formatCount, formatFlops, formatBytes, formatSeconds, formatEnergy, formatFlopRate]) {
      expect(fn(Number.NaN)).not.toContain('NaN');
      expect(fn(Infinity)).toBe('∞');
    }
  });
});
