/**
 * The Serving section's rate control: what it writes (a `rate=` directive value the directive parser and the
 * sidebar's validation both accept), and the validation of a typed rate.
 */
import { describe, expect, it } from 'vitest';
import { rateDirective, shortRate } from '../../src/webview/serving';
import { normalizeAssumptionValue } from '../../src/shared/assumptions';
import { parseRate } from '../../src/core/serve/traffic';

describe('rate control', () => {
  it.each([[20, '20/s'], [1, '1/s'], [1234, '1200/s'], [0.5, '43200/day'], [0.01, '864/day'], [1e-9, '1/day']])('%f req/s is written as rate=%s', (rps, text) => {
    expect(rateDirective(rps)).toBe(text);
    expect(normalizeAssumptionValue('rate', text)).toEqual({ value: text });
    expect(parseRate(text)).toBeGreaterThan(0);
  });

  it('the sidebar chart labels its rate ticks in few characters', () => {
    expect([0.01, 1, 100, 10_000].map(shortRate)).toEqual(['0.01/s', '1/s', '100/s', '10k/s']);
  });

  it('a typed rate is checked like the directive', () => {
    expect(normalizeAssumptionValue('rate', ' 50k / day ')).toEqual({ value: '50k/day' });
    expect(normalizeAssumptionValue('rate', 'lots')).toEqual({ error: expect.stringMatching(/^Request rate must be a rate such as 20, 20\/s/) });
    expect(normalizeAssumptionValue('rate', '-1/s')).toHaveProperty('error');
  });
});
