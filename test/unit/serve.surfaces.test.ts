/**
 * The serving figures on the CLI: the JSON `serving` object's contract, the text table section and the Markdown
 * section (escaped, with units), all through the real command line entry.
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { describe, expect, it } from 'vitest';
import { run as cli } from '../../src/cli/main';
import { analyze } from '../../src/core/analyze';
import { renderServingMarkdown, servingHoverLine, servingTable } from '../../src/core/serve/table';
import { renderMarkdown } from '../../src/core/report/markdown';
import { captureOutput } from './captureOutput';

const CHAT = path.resolve(__dirname, '../../examples/chat_generate.py');

async function runCli(args: string[]): Promise<{ code: number; out: string }> {
  return captureOutput(() => cli(args));
}

describe('serving on the CLI', () => {
  it('--json carries the serving object with rate, target and per-device figures in units', async () => {
    const { code, out } = await runCli(['analyze', CHAT, '--json', '--set', 'rate=20/s', '--hardware', 'l4,a100-80gb,epyc-9654']);
    expect(code).toBe(0);
    const s = JSON.parse(out).serving;
    expect(s.rate).toMatchObject({ value: 20, unit: 'req/s', source: 'setting' });
    expect(s.latencyTarget).toEqual({ firstTokenSeconds: 1, perTokenSeconds: 0.1 });
    // The devices asked for, in order (the user's own CPU may follow: floplens.hardware.userCpu / the detected host).
    expect(s.perDevice.map((d: { hardwareId: string }) => d.hardwareId).slice(0, 3)).toEqual(['l4', 'a100-80gb', 'epyc-9654']);
    for (const d of s.perDevice.slice(0, 3)) {
      expect(Object.keys(d)).toEqual(expect.arrayContaining(['hardwareId', 'batch', 'throughput', 'latency', 'devicesNeeded', 'utilisation', 'monthlyCostUsd', 'costPerMillionTokensUsd', 'meetsTarget']));
      expect(d.throughput.unit).toBe('tokens/s');
      expect(d.latency.firstTokenSeconds).toBeGreaterThan(0);
      expect(d.latency.requestSeconds).toBeGreaterThan(d.latency.firstTokenSeconds);
    }
    expect(s.verdict).toMatch(/^At 20 req\/s: /);
  });

  it('the text output ends with the serving table and its verdict', async () => {
    const { out } = await runCli(['analyze', CHAT, '--set', 'rate=5/s', '--hardware', 'l4,epyc-9654']);
    expect(out).toMatch(/Serving: 5 req\/s \(setting\), 128 prompt \+ 256 output tokens per request, target TTFT 1 s, 100 ms\/token, runtime eager/);
    expect(out).toMatch(/device\s+devices\s+batch\s+throughput \/ replica\s+TTFT p50 \(p95\)/);
    expect(out).toMatch(/NVIDIA L4 .* tokens\/s .* \$[\d,]+ .* yes/);
    expect(out).toMatch(/Serving verdict: At 5 req\/s: /);
  });

  it('the Markdown section escapes device names from custom profiles and prices the rows', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'floplens-serve-'));
    const file = path.join(dir, 'hw.json');
    fs.writeFileSync(file, JSON.stringify([{ id: 'box', name: 'Box | <b>*GPU*</b>', kind: 'gpu', peakFlops: { fp32: 20e12, bf16: 150e12 }, memoryBandwidth: 1e12, memoryBytes: 48 * 2 ** 30, pricePerHour: 1 }]));
    const { out } = await runCli(['analyze', CHAT, '--markdown', '--hardware', 'box', '--hardware-file', file]);
    const section = out.slice(out.indexOf('## Serving'));
    expect(section).toMatch(/^## Serving\n/);
    expect(section).toContain('Box \\| \\<b\\>\\*GPU\\*\\</b\\>');
    expect(section).not.toContain('<b>');
    expect(section).toMatch(/\| \\\$ \/ M tokens \|/);
  });

  it('the exported report carries the serving section before the assumptions, in the display currency', () => {
    const a = analyze({ text: fs.readFileSync(CHAT, 'utf8'), file: 'chat.py' });
    const md = renderMarkdown(a, { currencyCode: 'EUR', perUsd: 0.9 });
    expect(md.indexOf('## Serving')).toBeGreaterThan(md.indexOf('## Projected time and cost'));
    expect(md.indexOf('## Serving')).toBeLessThan(md.indexOf('## Assumptions'));
    expect(md).toMatch(/\| € ?\/ M tokens|€/);
  });

  it('the hover line gives per-request latency and cost on the verdict\'s device', () => {
    const a = analyze({ text: fs.readFileSync(CHAT, 'utf8'), file: 'chat.py', settings: { overrides: { rate: '20/s' } } });
    const line = servingHoverLine(a.serving!);
    expect(line).toMatch(/^Serving at 20 req\/s on NVIDIA A100 80GB SXM: TTFT \d+ ms, [\d.]+ s per request, .+ per (request|1,000 requests)\. \d+× /);
    // The rate is named once: the verdict's own "At 20 req/s:" head is not repeated after the line's.
    expect(line.match(/20 req\/s/g)).toHaveLength(1);
  });

  it('a CPU slice of every core reads as the whole server, without its core count twice', () => {
    const a = analyze({ text: fs.readFileSync(CHAT, 'utf8'), file: 'chat.py', settings: { overrides: { rate: '1/s' } } });
    const whole = a.serving!.perDevice.find((d) => d.kind === 'cpu' && d.meetsTarget && d.hardwareName.includes(`${d.coresPerReplica}-core`));
    expect(whole).toBeDefined();
    expect(a.serving!.verdict).toContain(`1× ${whole!.hardwareName}`);
    expect(a.serving!.verdict).not.toMatch(/(\d+)-core [^,;]*\(\1-core\)/);
  });

  it('a classifier table prices per thousand items and has no token columns', () => {
    const a = analyze({ text: 'import torch\nm = torch.nn.Linear(512, 10)\nx = torch.randn(1, 512)\nwith torch.no_grad():\n    y = m(x)\n', file: 'c.py' });
    const t = servingTable(a.serving!);
    expect(t.head).toContain('$ / 1k items');
    expect(t.head.join(' ')).not.toMatch(/TTFT|token/);
    expect(t.rows.length).toBe(a.serving!.perDevice.length);
    expect(renderServingMarkdown(a.serving!)).toMatch(/dynamic batching up to 1024 items/);
  });
});
