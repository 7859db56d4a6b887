/**
 * Serving validation (issue 17): published LLM serving throughputs (validation.md Table 2 rows 16, 20, 21, 23, 25)
 * against the serving model of src/core/serve, run on the analyser's own workload of each script. Each row says
 * which runtime class it assumes: `graph` = TensorRT-LLM / vLLM / llama.cpp-class (fused kernels, no Python per op),
 * `eager` = HF `generate`.
 *
 * Figures compared:
 * - batch-1 rows: the serving model's single-stream decode rate (tokens/s at one request at a time);
 * - fixed-batch rows (20c/d): output tokens/s of `batch` requests prefilled then decoded together;
 * - MLPerf rows (16): per-GPU output tokens/s of a saturated replica (offline) or within MLPerf's server targets
 *   (TTFT ≤ 2 s, TPOT ≤ 200 ms).
 *
 * Usage: tsx test/validation/serving.ts [--json]; also called from validate.ts. Exit code 1 below 80% within 1.5×.
 */
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { analyze } from '../../src/core/analyze';
import type { Analysis, RunSpec, Workload } from '../../src/core/types';
import type { HardwareProfile } from '../../src/core/hardware/types';
import { getHardware } from '../../src/core/hardware';
import { decodeStepSeconds, llmWorkOf, prefillSeconds, replicaOf } from '../../src/core/serve';
import { CUSTOM_HARDWARE } from './cases';

const HERE = dirname(fileURLToPath(import.meta.url));
const TARGET_RATIO = 1.5;
const TARGET_SHARE = 0.8;

type Runtime = 'eager' | 'graph';

export interface ServingRow {
  row: string;
  title: string;
  /** A script in test/validation/scripts, or inline text. */
  script: { file: string } | { text: string };
  hardware: string;
  runtime: Runtime;
  /** Directive overrides (`--set`). */
  set?: Record<string, string>;
  /** How the figure is read: one stream, a fixed batch, or a serving replica (per GPU). */
  how: { kind: 'single' } | { kind: 'batch'; batch: number } | { kind: 'replica' };
  /** Published output tokens/s (per GPU for `replica`). */
  published: number;
  source: string;
}

const LLAMA2_70B = [
  'import torch',
  'from transformers import AutoModelForCausalLM',
  'model = AutoModelForCausalLM.from_pretrained("meta-llama/Llama-2-70b-hf", torch_dtype=torch.float16, device_map="auto")',
  'ids = torch.randint(0, 32000, (1, 485))',
  'out = model.generate(ids, max_new_tokens=292)',
].join('\n');

const file = (f: string) => ({ file: f });
const single = { kind: 'single' } as const;

/**
 * The rows. MLPerf's mean OpenOrca input is not published in the sources read; 1,024 (used before) is the dataset's
 * cap (mlcommons/inference language/llama2-70b processorca.py --seqlen_limit=1024), not its mean. An upper bound: the
 * processed set (huggingface ctuning/MLPerf-OpenOrca: 24,576 rows, 41,708,098 bytes of system prompt, question AND
 * reference response) holds 1,697 bytes per row, ≤ 485 tokens at 3.5 characters per Llama token even if every byte
 * were input. The prompt is taken at that bound (d, u), so the projected throughput errs low; output ≈292 (note 9;
 * the reference README: 294.45 tokens per sample).
 */
export const SERVING_ROWS: ServingRow[] = [
  { row: '16a', title: 'Llama 2 70B offline, 8× H100 FP8 (MLPerf v4.0)', script: { text: LLAMA2_70B }, hardware: 'h100-sxm', runtime: 'graph', set: { quant: 'fp8', kv_dtype: 'fp8', rate: '1000/s', ttft: '60s', tpot: '1s' }, how: { kind: 'replica' }, published: 21_805.8 / 8, source: 'V9 MLPerf Inference v4.0 closed, DGX-H100 TRT, Offline' },
  { row: '16b', title: 'Llama 2 70B server, 8× H100 FP8 (MLPerf v4.0)', script: { text: LLAMA2_70B }, hardware: 'h100-sxm', runtime: 'graph', set: { quant: 'fp8', kv_dtype: 'fp8', rate: '1000/s', ttft: '2s', tpot: '200ms' }, how: { kind: 'replica' }, published: 20_556.4 / 8, source: 'V9 MLPerf Inference v4.0 closed, DGX-H100 TRT, Server' },
  { row: '20a', title: 'GPT-J 6B BS1 FP16, A100 (TensorRT-LLM)', script: file('row20_gptj_6b_tensorrt_llm.py'), hardware: 'a100-80gb', runtime: 'graph', how: single, published: 111, source: 'V13' },
  { row: '20b', title: 'GPT-J 6B BS1 FP8, H100 (TensorRT-LLM)', script: file('row20_gptj_6b_tensorrt_llm.py'), hardware: 'h100-sxm', runtime: 'graph', set: { quant: 'fp8' }, how: single, published: 185, source: 'V13' },
  { row: '20c', title: 'GPT-J 6B BS64 128/128 FP16, A100 (TensorRT-LLM)', script: file('row20_gptj_6b_tensorrt_llm.py'), hardware: 'a100-80gb', runtime: 'graph', how: { kind: 'batch', batch: 64 }, published: 3679, source: 'V13' },
  { row: '20d', title: 'GPT-J 6B BS64 128/128 FP8, H100 (TensorRT-LLM)', script: file('row20_gptj_6b_tensorrt_llm.py'), hardware: 'h100-sxm', runtime: 'graph', set: { quant: 'fp8' }, how: { kind: 'batch', batch: 64 }, published: 10_907, source: 'V13' },
  ...([['21a', 'rtx-4090', 189.0], ['21b', 'rtx-5090', 300.4], ['21c', 'rtx-3090', 158.2], ['21d', 'a100-80gb', 200.9], ['21e', 'h100-sxm', 280.7]] as const).map(([row, hw, pub]): ServingRow => (
    { row, title: `LLaMA-2 7B Q4_0 decode, ${hw} (llama.cpp)`, script: file('row21_llama2_7b_q4_llamacpp.py'), hardware: hw, runtime: 'graph', set: { quant: 'int4' }, how: single, published: pub, source: 'V14 llama.cpp #15013' })),
  { row: '23a', title: 'LLaMA-2 7B F16 decode, Apple M2 GPU (llama.cpp Metal)', script: file('row23a_llama2_7b_f16_apple_m2.py'), hardware: 'apple-m2-gpu', runtime: 'graph', how: single, published: 6.72, source: 'V14 llama.cpp #4167' },
  { row: '23b', title: 'LLaMA-2 7B Q8_0 decode, Apple M2 GPU (llama.cpp Metal)', script: file('row23b_llama2_7b_q8_apple_m2.py'), hardware: 'apple-m2-gpu', runtime: 'graph', set: { quant: 'int8' }, how: single, published: 12.21, source: 'V14 llama.cpp #4167' },
  { row: '23c', title: 'LLaMA-2 7B Q4_0 decode, Apple M2 GPU (llama.cpp Metal)', script: file('row23c_llama2_7b_q4_apple_m2.py'), hardware: 'apple-m2-gpu', runtime: 'graph', set: { quant: 'int4' }, how: single, published: 21.91, source: 'V14 llama.cpp #4167' },
  { row: '25', title: 'LLaMA 7B Q4_0 decode, i9-13900K 8 threads (llama.cpp CPU)', script: file('row25_llama_7b_q4_cpu_13900k.py'), hardware: 'i9-13900k-8t', runtime: 'graph', set: { quant: 'int4' }, how: single, published: 18.27, source: 'V14 llama.cpp #34' },
];

export interface ServingResult {
  row: ServingRow;
  projected?: number;
  ratio?: number;
  detail?: string;
  error?: string;
}

function workloadOf(a: Analysis): Workload {
  const { totalFlops: _total, ...run } = a.run;
  return { run: run as RunSpec, ops: a.ops, memory: a.memory, params: a.model.params, trainableParams: a.model.trainableParams, forwardFlops: a.step.forwardFlops, backwardFlops: 0, recomputeFlops: 0 };
}

function profile(id: string): HardwareProfile | undefined {
  return getHardware(id) ?? CUSTOM_HARDWARE.find((h) => h.id === id);
}

export function runServingRow(r: ServingRow): ServingResult {
  try {
    const hw = profile(r.hardware);
    if (!hw) return { row: r, error: `unknown hardware ${r.hardware}` };
    const text = 'file' in r.script ? readFileSync(join(HERE, 'scripts', r.script.file), 'utf8') : r.script.text;
    const a = analyze({ text, file: 'file' in r.script ? r.script.file : `${r.row}.py`, settings: { overrides: { runtime: r.runtime, ...r.set } }, hardware: [hw] });
    const s = a.serving;
    const d = s?.perDevice.find((x) => x.hardwareId === hw.id);
    if (!s || !d) return { row: r, error: `no serving figures (${a.problems.find((p) => p.severity !== 'info')?.message ?? 'not inference'})` };
    let projected: number;
    let detail: string;
    if (r.how.kind === 'single') {
      projected = d.singleStream.value;
      detail = `single stream; weights ${(s.weightBytes / 2 ** 30).toFixed(2)} GiB`;
    } else if (r.how.kind === 'replica') {
      projected = d.throughput.value / d.tensorParallel;
      detail = `TP ${d.tensorParallel}, max batch ${d.maxBatch} (${d.batchBound})`;
    } else {
      const b = r.how.batch;
      const dtype = (r.set?.quant as 'fp8' | undefined) ?? a.run.dtype;
      const traffic = { rate: s.rate, itemsPerRequest: 1, target: {}, runtime: r.runtime, ...(r.set?.quant ? { weightBytesPerParam: 1, quantDtype: dtype } : {}) };
      const work = llmWorkOf(workloadOf(a), traffic);
      const rep = replicaOf(hw, { gpus: 1, runtime: r.runtime, dtype });
      const seconds = b * prefillSeconds(rep, work, 'mid') + work.outputTokens * decodeStepSeconds(rep, work, b, 'mid');
      projected = (b * work.outputTokens) / seconds;
      detail = `batch ${b}: ${b} prefills then ${work.outputTokens} decode steps`;
    }
    return { row: r, projected, ratio: projected / r.published, detail };
  } catch (e) {
    return { row: r, error: (e as Error)?.message ?? String(e) };
  }
}

const within = (x: ServingResult) => x.ratio !== undefined && x.ratio <= TARGET_RATIO && x.ratio >= 1 / TARGET_RATIO;

/** Runs the rows, prints a table (or JSON), and returns whether ≥ 80% land within 1.5×. */
export function validateServing(json = false): boolean {
  const results = SERVING_ROWS.map(runServingRow);
  const ok = results.filter(within).length;
  const share = results.length ? ok / results.length : 0;
  if (json) process.stdout.write(JSON.stringify({ serving: results.map((r) => ({ ...r, row: r.row.row, runtime: r.row.runtime, published: r.row.published })) }, null, 2) + '\n');
  else {
    const head = ['row', 'hardware', 'runtime', 'published tok/s', 'serving model', 'ratio', '≤1.5×', 'how'];
    const rows = results.map((x) => [
      x.row.row, x.row.hardware, x.row.runtime === 'graph' ? 'graph (TRT/vLLM/llama.cpp)' : 'eager generate', x.row.published.toPrecision(4),
      x.projected !== undefined ? x.projected.toPrecision(4) : `error: ${x.error}`,
      x.ratio !== undefined ? `×${x.ratio.toFixed(2)}` : '—', within(x) ? 'yes' : 'NO', x.detail ?? '',
    ]);
    const widths = head.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i].length)));
    const line = (cells: string[]): string => cells.map((c, i) => c.padEnd(widths[i])).join('  ');
    console.log('\nServing (issue 17): LLM serving throughput, output tokens/s');
    console.log(line(head));
    console.log(widths.map((w) => '─'.repeat(w)).join('  '));
    for (const r of rows) console.log(line(r));
  }
  console.log(`\n${ok} of ${results.length} serving figures within ${TARGET_RATIO}× (${Math.round(share * 100)}%, target ${TARGET_SHARE * 100}%).`);
  return share >= TARGET_SHARE;
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  if (!validateServing(process.argv.includes('--json'))) process.exitCode = 1;
}
