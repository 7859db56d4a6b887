/**
 * `floplens.serving.*` settings: read into directive overrides under `floplens.overrides`, checked like the
 * directives, and they change the analysis.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { describe, expect, it } from 'vitest';
import { readConfig, type SettingKey } from '../../src/extension/configSchema';
import { analyze } from '../../src/core/analyze';

const CHAT = fs.readFileSync(path.resolve(__dirname, '../../examples/chat_generate.py'), 'utf8');
const config = (values: Partial<Record<SettingKey, unknown>>) => readConfig((k) => values[k]);

describe('serving settings', () => {
  it('become rate/ttft/tpot/latency overrides; an explicit floplens.overrides entry wins', () => {
    const { config: c, problems } = config({ 'serving.rate': '50k/day', 'serving.ttft': '500ms', overrides: { ttft: '2s' } });
    expect(problems).toEqual([]);
    expect(c.overrides).toEqual({ rate: '50k/day', ttft: '2s' });
  });

  it('an unreadable value is named and dropped', () => {
    const { config: c, problems } = config({ 'serving.rate': 'busy', 'serving.tpot': '3 days' });
    expect(c.overrides).toEqual({});
    expect(problems.map((p) => p.key)).toEqual(['floplens.serving.rate', 'floplens.serving.tpot']);
    expect(problems[0].message).toMatch(/is not a request rate such as 20\/s/);
  });

  it('change the serving figures, with the setting as provenance', () => {
    const { config: c } = config({ 'serving.rate': '200/s' });
    const a = analyze({ text: CHAT, file: 'chat.py', settings: { overrides: c.overrides } });
    expect(a.serving!.rate).toMatchObject({ value: 200, source: 'setting' });
    const one = analyze({ text: CHAT, file: 'chat.py' });
    const cost = (x: typeof a) => x.serving!.perDevice.find((d) => d.hardwareId === 'a100-80gb')!.monthlyCostUsd!;
    expect(cost(a)).toBeGreaterThan(cost(one));
  });
});
