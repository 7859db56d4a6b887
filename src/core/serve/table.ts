/**
 * The serving table as cells, written once with the one formatter: the CLI's text section, the Markdown report
 * section and the webview's Serving table all read it. Pure; no imports beyond the formatter and types.
 */
import { formatEnergy, formatMoney, formatPercent, formatSeconds, type Currency } from '../format';
import { stripControls, escapeMarkdown } from '../report/escape';
import type { Serving, ServingDevice } from './types';
import { SECONDS_PER_MONTH } from './traffic';

export interface ServingTable {
  head: string[];
  rows: string[][];
  /** Whether each row's device meets the target (for marking in views). */
  meets: boolean[];
}

const num = (x: number): string => {
  if (!Number.isFinite(x)) return '—';
  if (x >= 100) return Math.round(x).toLocaleString('en-US');
  return Number(x.toPrecision(x >= 1 ? 3 : 2)).toString();
};

/** What one replica of a device is: "one 16-core slice", "one GPU", "one TP2 group". */
function replicaNoun(d: ServingDevice): string {
  if (d.kind === 'cpu') return d.coresPerReplica ? `one ${d.coresPerReplica}-core slice` : 'one CPU';
  return d.tensorParallel > 1 ? `one TP${d.tensorParallel} group` : 'one GPU';
}

/** "cannot meet 20 req/s (one 16-core slice sustains 0.013 req/s)": a device that would need more than MAX_REPLICAS replicas. */
export function rateLimitText(d: ServingDevice, rps: number): string {
  const x = d.requestsPerSecondPerReplica;
  // The sustained rate in the rate's own unit, so the two read side by side.
  const sustains = rps >= 0.1 ? `${num(x)} req/s` : `${num(x * 86_400)} req/day`;
  return `cannot meet ${rateText(rps)} (${replicaNoun(d)} sustains ${sustains})`;
}

/** "2× NVIDIA L4", "1× 8-core AMD EPYC 9654 slice", with tensor parallel named; what it cannot meet past MAX_REPLICAS. */
export function devicesCell(d: ServingDevice, rps?: number): string {
  if (d.cannotMeetRate && rps !== undefined) return rateLimitText(d, rps);
  if (d.kind === 'cpu') return d.coresPerReplica ? `${d.replicas}× ${d.coresPerReplica}-core slice` : `${d.replicas}×`;
  return d.tensorParallel > 1 ? `${d.devicesNeeded} (${d.replicas}× TP${d.tensorParallel})` : `${d.devicesNeeded}`;
}

/** Rate in requests per second, or per day below 0.1/s. */
export function rateText(rps: number): string {
  if (!(rps > 0) || !Number.isFinite(rps)) return '—';
  if (rps >= 0.1) return `${num(rps)} req/s`;
  return `${num(rps * 86_400)} req/day`;
}

/** The latency target as a phrase: "TTFT 1 s, 100 ms/token" or "1 s per request". */
export function targetText(s: Serving): string {
  const t = s.latencyTarget;
  const parts: string[] = [];
  if (t.firstTokenSeconds !== undefined) parts.push(`TTFT ${formatSeconds(t.firstTokenSeconds)}`);
  if (t.perTokenSeconds !== undefined) parts.push(`${formatSeconds(t.perTokenSeconds)}/token`);
  if (t.requestSeconds !== undefined) parts.push(`${formatSeconds(t.requestSeconds)} per request`);
  return parts.join(', ') || '—';
}

export function servingTable(s: Serving, currency?: Currency): ServingTable {
  const llm = s.kind === 'llm';
  const head = ['device', 'devices', 'batch', `throughput / replica`, ...(llm ? ['TTFT p50 (p95)', 'per token p50 (p95)'] : []), 'request p50 (p95)', 'busy', llm ? '$ / M tokens' : s.kind === 'diffusion' ? '$ / 1k images' : '$ / 1k items', '$ / month', 'energy / request', 'meets target'];
  const rows = s.perDevice.map((d) => {
    const lat = (a: number | undefined, b: number | undefined) => (a === undefined ? '—' : `${formatSeconds(a)} (${formatSeconds(b ?? a)})`);
    const unitCost = llm ? d.costPerMillionTokensUsd : d.costPerThousandItemsUsd;
    return [
      d.hardwareName, devicesCell(d, s.rate.value), `${d.batch} of ${d.maxBatch} (${d.batchBound})`, `${num(d.throughput.value)} ${d.throughput.unit}`,
      ...(llm ? [lat(d.latency.firstTokenSeconds, d.latencyP95.firstTokenSeconds), lat(d.latency.perTokenSeconds, d.latencyP95.perTokenSeconds)] : []),
      lat(d.latency.requestSeconds, d.latencyP95.requestSeconds), formatPercent(d.utilisation),
      unitCost !== undefined ? formatMoney(unitCost, currency) : '—', d.monthlyCostUsd !== undefined ? formatMoney(d.monthlyCostUsd, currency) : '—',
      formatEnergy(d.energyPerRequestJoules), d.meetsTarget ? 'yes' : 'no',
    ];
  });
  return { head, rows, meets: s.perDevice.map((d) => d.meetsTarget) };
}

/** One line saying what the table assumes: rate, request, target, runtime. */
export function servingHeadline(s: Serving): string {
  const r = s.request;
  const req = s.kind === 'llm' ? `${r.promptTokens ?? '?'} prompt + ${r.outputTokens ?? '?'} output tokens` : s.kind === 'diffusion' ? `${r.images ?? 1} image${(r.images ?? 1) === 1 ? '' : 's'}` : `${r.items ?? 1} item${(r.items ?? 1) === 1 ? '' : 's'}`;
  return `${rateText(s.rate.value)} (${s.rate.source}), ${req} per request, target ${targetText(s)}, runtime ${s.runtime}`;
}

/** The CLI's text section. */
export function renderServingText(s: Serving, currency?: Currency): string {
  const t = servingTable(s, currency);
  const widths = t.head.map((h, i) => Math.max(h.length, ...t.rows.map((r) => r[i].length)));
  const row = (cells: string[]) => '  ' + cells.map((c, i) => c.padEnd(widths[i])).join('  ');
  const lines = ['', `  Serving: ${servingHeadline(s)}`, '', row(t.head), '  ' + widths.map((w) => '─'.repeat(w)).join('  '), ...t.rows.map(row), '', `  Serving verdict: ${s.verdict}`];
  return stripControls(lines.join('\n'));
}

/** The Markdown report's section. */
export function renderServingMarkdown(s: Serving, currency?: Currency): string {
  const t = servingTable(s, currency);
  const cell = (c: string) => escapeMarkdown(c);
  return [
    '## Serving', '', `${cell(servingHeadline(s))}.`, '',
    `| ${t.head.map(cell).join(' | ')} |`, `|${t.head.map(() => '---').join('|')}|`,
    ...t.rows.map((r) => `| ${r.map(cell).join(' | ')} |`), '', `**${cell(s.verdict)}**`, '',
    ...s.assumptions.map((a) => `- ${cell(a)}`),
  ].join('\n');
}

/**
 * One Markdown-safe line for hovers on a model that is served: per-request latency and cost on the verdict's device,
 * then the verdict. Undefined when no device meets the target and none is priced.
 */
export function servingHoverLine(s: Serving, currency?: Currency): string {
  const ok = s.perDevice.filter((d) => d.meetsTarget);
  const byCost = (d: ServingDevice) => d.monthlyCostUsd ?? Number.POSITIVE_INFINITY;
  const best = [...ok].sort((a, b) => byCost(a) - byCost(b))[0];
  if (!best) return escapeMarkdown(`Serving: ${s.verdict}`);
  const each = best.monthlyCostUsd !== undefined ? best.monthlyCostUsd / (s.rate.value * SECONDS_PER_MONTH) : undefined;
  // Under a cent a request reads '< $0.01': per thousand requests says what it is.
  const perRequest = each === undefined ? '' : each >= 0.01 ? `, ${formatMoney(each, currency)} per request` : `, ${formatMoney(each * 1000, currency)} per 1,000 requests`;
  const latency = s.kind === 'llm' ? `TTFT ${formatSeconds(best.latency.firstTokenSeconds ?? 0)}, ${formatSeconds(best.latency.requestSeconds)} per request` : `${formatSeconds(best.latency.requestSeconds)} per request`;
  // The verdict starts with the rate this line has already named ("At 1 req/s: 2× NVIDIA T4 …"): it is not said twice.
  const verdict = s.verdict.replace(/^At [^:]+: /, '');
  return escapeMarkdown(`Serving at ${rateText(s.rate.value)} on ${best.hardwareName}: ${latency}${perRequest}. ${verdict.charAt(0).toUpperCase()}${verdict.slice(1)}`);
}
