/**
 * `floplens bench [--json] [--sizes 128,256,512] [--max-size N] [--threads N]`: the live matmul benchmark
 * in Node, with the same kernels and report format as the webview benchmark.
 */
import { parseCommand, UsageError } from './args';
import { formatSeconds, formatSpeedup } from '../core/format';
import { deviceRows, formatError, formatGflops, ratioRows, resultCell, summarySentences } from '../livebench/format';
import { runNodeBench } from '../livebench/node/nodeBench';
import { parseSizes, sweepSizes } from '../livebench/policy';
import type { BenchReport, KernelResult } from '../livebench/report';

const USAGE = `Usage: floplens bench [--json] [--sizes 128,256,512] [--max-size N] [--threads N]

Multiplies n×n float32 matrices with gpu.js (headless-gl when a DISPLAY and the native \`gl\` package are
available, else its WebAssembly backend on the CPU), gpu.js WebAssembly, a WebAssembly SIMD sgemm kernel and
a plain-JS kernel on one and on all cores. Reports GFLOP/s (2·n³ / median time), errors against a float64
reference, where the GPU starts to win, the detected CPU and GPU with their catalog peaks, and the GPU ÷ CPU
ratio PyTorch would see (BLAS vs CUDA/tensor cores) beside the measured one.

  --json          print the report as JSON (the same format the VS Code benchmark stores)
  --sizes LIST    matrix sizes, multiples of 4 (default 128,256,512,1024)
  --max-size N    largest power-of-two size of the default sweep (default 1024)
  --threads N     threads for the multi-threaded CPU kernels (default: all cores)
  --runs N        minimum timed runs per kernel and size (default 3)
`;

interface CliOptions {
  json: boolean;
  sizes: number[];
  threads?: number;
  minRuns?: number;
}

const OPTIONS = {
  json: { type: 'boolean' },
  help: { type: 'boolean', short: 'h' },
  sizes: { type: 'string' },
  'max-size': { type: 'string' },
  threads: { type: 'string' },
  runs: { type: 'string' },
} as const;

/** A whole number from `min` to `max`, or undefined. */
function wholeNumber(value: string, min: number, max: number): number | undefined {
  const n = Number(value);
  return value.trim() !== '' && Number.isInteger(n) && n >= min && n <= max ? n : undefined;
}

function parseBenchArgs(argv: string[]): CliOptions | { error: string } | 'help' {
  let values;
  try {
    ({ values } = parseCommand(argv[0] === 'bench' ? argv.slice(1) : [...argv], OPTIONS, 0));
  } catch (e) {
    if (e instanceof UsageError) return { error: e.message };
    throw e;
  }
  if (values.help) return 'help';
  const o: CliOptions = { json: values.json === true, sizes: sweepSizes(1024, false) };
  if (values['max-size'] !== undefined) {
    const n = wholeNumber(values['max-size'], 128, 16384);
    if (n === undefined) return { error: '--max-size: give a whole number from 128 to 16384' };
    o.sizes = sweepSizes(n, false);
  }
  if (values.sizes !== undefined) {
    const s = parseSizes(values.sizes);
    if (!Array.isArray(s)) return { error: `--sizes: ${s.error}` };
    o.sizes = s;
  }
  if (values.threads !== undefined) {
    o.threads = wholeNumber(values.threads, 1, 1024);
    if (o.threads === undefined) return { error: '--threads: give a whole number from 1 to 1024' };
  }
  if (values.runs !== undefined) {
    o.minRuns = wholeNumber(values.runs, 1, 100);
    if (o.minRuns === undefined) return { error: '--runs: give a whole number from 1 to 100' };
  }
  return o;
}

/** Runs `floplens bench`; returns the process exit code (0 ok, 1 a kernel failed or was wrong, 2 usage). */
export async function runBenchCli(argv: string[]): Promise<number> {
  const parsed = parseBenchArgs(argv);
  if (parsed === 'help') {
    process.stdout.write(USAGE);
    return 0;
  }
  if ('error' in parsed) {
    process.stderr.write(`floplens bench: ${parsed.error}\n\n${USAGE}`);
    return 2;
  }
  const live = process.stderr.isTTY === true;
  let cancelled = false;
  const onSigint = (): void => {
    cancelled = true;
  };
  process.once('SIGINT', onSigint);
  try {
    const report = await runNodeBench({
      sizes: parsed.sizes,
      threads: parsed.threads,
      minRuns: parsed.minRuns,
      maxRuns: parsed.minRuns !== undefined ? Math.max(parsed.minRuns, 10) : undefined,
      isCancelled: () => cancelled,
      onProgress: live ? (p) => process.stderr.write(`\r\x1b[K[${p.done}/${p.total}] ${p.message}`) : undefined,
    });
    if (live) process.stderr.write('\r\x1b[K');
    process.stdout.write(parsed.json ? `${JSON.stringify(report, null, 2)}\n` : renderText(report));
    const bad = report.results.some((r) => r.status === 'failed' || (r.status === 'ok' && r.correct === false));
    return report.status === 'complete' && !bad ? 0 : 1;
  } catch (e) {
    process.stderr.write(`floplens bench: ${e instanceof Error ? e.stack ?? e.message : String(e)}\n`);
    return 1;
  } finally {
    process.removeListener('SIGINT', onSigint);
  }
}

function pad(s: string, w: number, right = true): string {
  return right ? s.padStart(w) : s.padEnd(w);
}

/** The report as a plain-text table. */
export function renderText(report: BenchReport): string {
  const lines: string[] = [];
  const env = report.environment;
  lines.push(`FlopLens live benchmark — ${[env.nodeVersion && `Node ${env.nodeVersion}`, env.platform, env.cpuModel].filter(Boolean).join(', ')} (${env.cpuCores} cores)`);
  lines.push(`gpu.js mode: ${report.gpu.mode}${report.gpu.onGpu ? '' : ' (not a GPU)'} — ${report.gpu.reason}`);
  if (report.renderer.api !== 'none') lines.push(`Renderer: ${report.renderer.renderer}${report.renderer.software ? ` — software rasteriser (${report.renderer.softwareName})` : ''}`);
  lines.push('');
  lines.push('Rate = 2·n³ FLOP / median time (a multiply-add counts 2); GPU kernels: on-device compute, transfers excluded');
  const byKey = new Map<string, KernelResult>(report.results.map((r) => [`${r.kernel}@${r.n}`, r]));
  const widths = report.kernels.map((k) => Math.max(k.label.length, 14));
  const hasGpu = report.perSize.some((s) => s.gpu);
  lines.push([pad('n', 6), ...report.kernels.map((k, i) => pad(k.label, widths[i])), ...(hasGpu ? [pad('GPU ÷ CPU', 10)] : [])].join('  '));
  for (const s of report.perSize) {
    lines.push([
      pad(String(s.n), 6),
      ...report.kernels.map((k, i) => pad(resultCell(byKey.get(`${k.id}@${s.n}`)), widths[i])),
      ...(hasGpu ? [pad(formatSpeedup(s.ratio), 10)] : []),
    ].join('  '));
  }
  lines.push('');
  const errors = report.results.filter((r) => r.maxRelError !== undefined);
  const worst = errors.reduce<number | null>((m, r) => (r.maxRelError === null || m === null ? null : Math.max(m, r.maxRelError ?? 0)), 0);
  lines.push(`Max relative error vs a float64 reference (sampled entries): ${formatError(worst)} (tolerance ${report.tolerance.toExponential(0)}); ${report.results.filter((r) => r.correct === false).length} incorrect result(s).`);
  const phases = report.results.filter((r) => r.computeSeconds !== undefined);
  if (phases.length > 0) {
    lines.push('GPU phases (median): n, compile, first call, upload, compute, readback, end to end');
    for (const r of phases) {
      lines.push(`  ${pad(String(r.n), 6)} ${r.kernel}: ${[r.compileSeconds, r.firstCallSeconds, r.uploadSeconds, r.computeSeconds, r.readbackSeconds, r.medianSeconds].map((x) => formatSeconds(x)).join(', ')}`);
    }
  }
  const other = report.results.filter((r) => r.status === 'skipped' || r.status === 'failed');
  for (const r of other) lines.push(`${r.kernel} at n = ${r.n} ${r.status}: ${r.reason ?? ''}`);
  lines.push('');
  for (const s of summarySentences(report)) lines.push(s);
  if (report.devices) {
    const d = report.devices;
    lines.push('', `What the numbers mean — ${d.measuredMachine}${d.otherMachine ? `; ${d.otherMachine}` : ''}`);
    for (const [device, measured, reference] of deviceRows(d)) lines.push(`  ${device}: measured ${measured}; ${reference}`);
    if (d.cpu.browserCeilingBasis) lines.push(`  The CPU kernel's ceiling: ${d.cpu.browserCeilingBasis}`);
    lines.push(`  CPU BLAS estimate: ${d.cpu.blasBasis}`);
    for (const [what, value] of ratioRows(d)) lines.push(`  ${what}: ${value}`);
    for (const note of d.notes) lines.push(`  Note: ${note}`);
  }
  for (const note of report.notes) if (note !== report.gpu.reason) lines.push(`Note: ${note}`);
  lines.push(`Best rates: ${report.kernels.map((k) => `${k.label} ${formatGflops(Math.max(0, ...report.results.filter((r) => r.kernel === k.id && r.correct).map((r) => r.gflops ?? 0)))}`).join('; ')}.`);
  lines.push(`Total ${formatSeconds(report.totalSeconds)}; status ${report.status}.`);
  return `${lines.join('\n')}\n`;
}
