/**
 * Serving figures that stay plausible (issue 17 follow-up): a device that would need more than MAX_REPLICAS replicas
 * "cannot meet" the rate in the figures, the verdict, the CLI table, the report and the hover, instead of a replica
 * count and a monthly bill; an unpriced GPU takes the fewest devices that meet the target; hovers on the call that
 * answers a request (generate, a diffusion pipeline call) show its latency and cost at the rate.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { describe, expect, it } from 'vitest';
import { analyze } from '../../src/core/analyze';
import type { Analysis } from '../../src/core/types';
import type { ServingDevice } from '../../src/core/serve/types';
import { CURVE_RATES, MAX_REPLICAS } from '../../src/core/serve';
import { renderServingMarkdown, renderServingText, servingHoverLine, servingTable } from '../../src/core/serve/table';
import { hoverMarkdown } from '../../src/extension/features/lookup';

const ROOT = path.resolve(__dirname, '../..');
const read = (p: string) => fs.readFileSync(path.join(ROOT, p), 'utf8');
const CHAT = read('examples/chat_generate.py');
const DIFFUSION = read('examples/sd_image_gen.py');
const LAPTOP = 'core-ultra-7-155h';

function run(text: string, directive: string): Analysis {
  return analyze({ text: `# floplens: ${directive}\n${text}`, file: 'serve.py' });
}
const dev = (a: Analysis, id: string): ServingDevice => {
  const d = a.serving?.perDevice.find((x) => x.hardwareId === id);
  if (!d) throw new Error(`no serving figures for ${id}`);
  return d;
};
/** Every replica count written on a surface ("75× 16-core slice", "1,499×"). */
const counts = (text: string): number[] => [...text.matchAll(/(\d[\d,]*)×/g)].map((m) => Number(m[1].replace(/,/g, '')));

describe('a device that would need more than MAX_REPLICAS replicas cannot meet the rate', () => {
  const a = run(CHAT, `rate=20/s hardware=${LAPTOP},epyc-9654,a100-80gb`);
  const laptop = dev(a, LAPTOP);

  it('the figures say so, with what one replica sustains, and withhold the monthly bill', () => {
    expect(laptop.cannotMeetRate).toBeDefined();
    expect(laptop.cannotMeetRate!.maxReplicas).toBe(MAX_REPLICAS);
    expect(laptop.cannotMeetRate!.replicasNeeded).toBeGreaterThan(MAX_REPLICAS);
    // replicasNeeded is what the rate asks of one replica's sustained rate.
    expect(laptop.cannotMeetRate!.replicasNeeded).toBe(Math.ceil(20 / laptop.requestsPerSecondPerReplica - 1e-9));
    expect(laptop.meetsTarget).toBe(false);
    expect(laptop.monthlyCostUsd).toBeUndefined();
    expect(laptop.notes.join(' ')).toMatch(/cannot meet 20 req\/s \(one \d+-core slice sustains [\d.]+ req\/s\): it would take [\d,]+ replicas/);
  });

  it('the table cell, the CLI text, the report and the verdict never print a count above the limit', () => {
    const cell = servingTable(a.serving!).rows[a.serving!.perDevice.indexOf(laptop)][1];
    expect(cell).toMatch(/^cannot meet 20 req\/s \(one \d+-core slice sustains 0\.\d+ req\/s\)$/);
    for (const text of [renderServingText(a.serving!), renderServingMarkdown(a.serving!), a.serving!.verdict, servingHoverLine(a.serving!)]) {
      for (const n of counts(text)) expect(n).toBeLessThanOrEqual(MAX_REPLICAS);
    }
  });

  it('the cost curve stops where the device would need more than the limit', () => {
    const epyc = dev(run(DIFFUSION, 'rate=1/s hardware=epyc-9654,t4'), 'epyc-9654');
    const curve = epyc.costCurve;
    // requestsPerSecondPerReplica is the replica's capacity at the utilisation ceiling already.
    const limit = MAX_REPLICAS * epyc.requestsPerSecondPerReplica;
    expect(curve.length).toBeGreaterThan(0);
    expect(curve.length).toBeLessThan(CURVE_RATES.length);
    for (const p of curve) expect(p.requestsPerSecond).toBeLessThanOrEqual(limit * (1 + 1e-9));
  });

  it('when only CPUs are compared and none can serve the rate, the verdict says which sustains most', () => {
    const b = run(read('test/integration/workspace/serve_classifier.py'), `rate=1000000/s hardware=${LAPTOP},epyc-9654`);
    expect(b.serving!.perDevice.every((d) => d.cannotMeetRate)).toBe(true);
    expect(b.serving!.verdict).toMatch(/^At 1,000,000 req\/s: no compared device can serve the rate; AMD EPYC 9654 \(96-core\): cannot meet 1,000,000 req\/s \(one 96-core slice sustains [\d.,]+ req\/s\)\.$/);
  });

  it('a CPU that is fast enough per request but not at the rate is named in a GPU verdict', () => {
    const b = run(read('test/integration/workspace/serve_classifier.py'), `rate=5000/s hardware=${LAPTOP},a100-80gb`);
    expect(b.serving!.verdict).toMatch(/^At 5,000 req\/s: 1× NVIDIA A100 80GB SXM at \$[\d,]+\/month, [\d.]+ ms per request; a CPU cannot meet 5,000 req\/s \(one 16-core slice sustains [\d.]+ req\/s\)\.$/);
  });

  it('below the limit the count stays, priced', () => {
    const epyc = dev(run(CHAT, 'rate=1/s hardware=epyc-9654'), 'epyc-9654');
    expect(epyc.cannotMeetRate).toBeUndefined();
    expect(epyc.replicas).toBeLessThanOrEqual(MAX_REPLICAS);
    expect(epyc.monthlyCostUsd).toBeGreaterThan(0);
  });
});

describe('plausible device counts', () => {
  it('an unpriced GPU that holds the model serves a light load on one device, not a tensor-parallel pair', () => {
    const d = dev(run(CHAT, 'rate=1/s hardware=rtx-4090'), 'rtx-4090');
    expect(d.meetsTarget).toBe(true);
    expect(d.devicesNeeded).toBe(1);
    expect(d.tensorParallel).toBe(1);
  });
});

describe('hovers on the call that answers a request', () => {
  const hover = (text: string, needle: string, rate: string) => {
    const a = run(text, `rate=${rate}`);
    const lines = `# floplens: rate=${rate}\n${text}`.split('\n');
    const i = lines.findIndex((l) => l.includes(needle));
    const col = lines[i].indexOf(needle) + 1;
    return { a, md: hoverMarkdown({ analysis: a, line: i + 1, col, bandwidth: {}, panelLink: () => 'command:x', lineText: lines[i] }) ?? '' };
  };

  it('model.generate(...) shows TTFT, request latency and cost at the user\'s rate', () => {
    const { md } = hover(CHAT, 'model.generate(', '5/s');
    expect(md).toContain('`model.generate(…)`');
    expect(md).toMatch(/Serving at 5 req\/s on .+: TTFT \d+ ms, [\d.]+ s per request, \\\$[\d.]+ per (request|1,000 requests)\. \d+× /);
    expect(md.match(/5 req\/s/g)).toHaveLength(1);
  });

  it('a diffusion pipeline call pipe(prompt) shows the per-image request latency and cost', () => {
    const { md } = hover(DIFFUSION, 'pipe(', '0.5/s');
    expect(md).toContain('`pipe(…)`');
    expect(md).toMatch(/Serving at 0\.5 req\/s on .+: [\d.]+ (ms|s) per request, \\\$[\d.]+ per (request|1,000 requests)\./);
  });

  it('a call that runs only part of the request (one layer) has no serving line', () => {
    const text = ['import torch', 'import torch.nn as nn', 'enc = nn.Linear(64, 64)', 'head = nn.Sequential(nn.Linear(64, 4096), nn.ReLU(), nn.Linear(4096, 4096), nn.ReLU(), nn.Linear(4096, 10))',
      'x = torch.randn(1, 64)', 'with torch.no_grad():', '    y = head(enc(x))'].join('\n');
    const a = run(text, 'rate=1/s');
    expect(a.serving).toBeDefined();
    const line = text.split('\n').length + 1;
    const col = '    y = head(enc('.length;
    const md = hoverMarkdown({ analysis: a, line, col, bandwidth: {}, panelLink: () => 'command:x', lineText: '    y = head(enc(x))' }) ?? '';
    expect(md).toContain('FlopLens');
    expect(md).not.toContain('Serving at');
  });
});
