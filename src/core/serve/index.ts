/**
 * Serving economics: the inference workload costed as a service. `serveWorkload` takes the analysed workload,
 * the traffic (rate, request size, latency target) and the devices, and returns per-device serving figures and
 * a one-line verdict. Pure; never throws on user input (the caller still guards it).
 */
import type { Dtype, Op, OpClass, Workload } from '../types';
import { DTYPE_BYTES } from '../types';
import type { HardwareProfile } from '../hardware/types';
import { formatMoney, formatSeconds, type Currency } from '../format';
import type { Serving, ServingDevice, ServingKind, ServingLatency, ServingRuntime, ServingTarget } from './types';
import {
  IDLE_POWER_SHARE, calibrateRoof, decodeStepSeconds, itemBatchSeconds, itemTransferSeconds, largestBatch, prefillSeconds, replicaOf,
  type ItemWork, type LlmWork, type Replica,
} from './model';
import { SECONDS_PER_MONTH } from './traffic';
import { rateLimitText } from './table';

export type { Serving, ServingDevice, ServingKind, ServingTarget } from './types';
export { parseRate, parseDuration, SECONDS_PER_MONTH } from './traffic';
export { callSeconds, decodeStepSeconds, prefillSeconds, replicaOf, type LlmWork, type ItemWork } from './model';

/** Replicas run at most this busy, so queues stay short (p95 stays bounded). */
export const UTILISATION_CEILING = 0.8;
/**
 * Most requests a replica batches: LLMs 256 (vLLM V0's default max_num_seqs) with eager or compiled kernels, 1,024
 * with a graph runtime (vLLM V1 on large GPUs, TensorRT-LLM's max_batch_size in MLPerf-class configs; u); dynamic
 * batches of items and images.
 */
export const BATCH_CAP: Record<ServingKind, number> = { llm: 256, items: 1024, diffusion: 32 };
export const LLM_GRAPH_BATCH_CAP = 1024;
/** Default latency targets (stated as assumptions). */
export const DEFAULT_TARGETS: Record<ServingKind, ServingTarget> = {
  llm: { firstTokenSeconds: 1, perTokenSeconds: 0.1 },
  items: { requestSeconds: 1 },
  diffusion: { requestSeconds: 30 },
};
/**
 * Most replicas of one device a deployment is credited with. Past it the device "cannot meet" the rate: a laptop
 * at 20 req/s is not 1,499 laptops, and a monthly bill for hundreds of CPU servers is not an option anyone takes.
 */
export const MAX_REPLICAS = 64;
/** Request rate when none is given, requests per second. */
export const DEFAULT_RATE = 1;
/** CPU slice sizes tried, in cores (a cloud instance family's sizes; the largest is the whole server). */
const CPU_SLICES = [2, 4, 8, 16, 32, 64, 128, 256];
/** Rates of the cost-vs-rate curve, requests per second: 0.01 to 10,000, two points a decade. */
export const CURVE_RATES = Array.from({ length: 13 }, (_, k) => 10 ** (-2 + k / 2));

const MATRIX: ReadonlySet<OpClass> = new Set<OpClass>(['gemm', 'conv', 'attention', 'rnn']);

export interface ServeTraffic {
  rate: Serving['rate'];
  /** Items (classifiers) or images (diffusion) per request; default 1. */
  itemsPerRequest: number;
  target: ServingTarget;
  runtime: ServingRuntime;
  /** Weight storage override (quantised serving), bytes per parameter, and the dtype its kernels run at. */
  weightBytesPerParam?: number;
  quantDtype?: Dtype;
  /** KV-cache dtype override. */
  kvDtype?: Dtype;
}

export interface ServeOptions {
  /** Mid step seconds of the op-by-op projection at the traced batch, by hardware id, with the devices it used (calibrates items/diffusion). */
  anchors?: ReadonlyMap<string, { seconds: number; devices: number; batch: number }>;
  computeEfficiency?: number;
  memoryEfficiency?: number;
  currency?: Currency;
}

const sum = (ops: readonly Op[], f: (o: Op) => number): number => ops.reduce((s, o) => s + (Number.isFinite(f(o)) ? f(o) : 0), 0);
const fin = (x: number, fallback = 0): number => (Number.isFinite(x) && x > 0 ? x : fallback);

/** Which serving model fits the workload, or undefined for training. */
export function servingKindOf(w: Workload): ServingKind | undefined {
  if (w.run.mode !== 'infer' || w.ops.length === 0) return undefined;
  if (w.run.newTokens !== undefined && w.ops.some((o) => o.phase === 'decode')) return 'llm';
  if (w.ops.some((o) => o.phase === 'denoise')) return 'diffusion';
  return 'items';
}

/** The work of one LLM request from the traced generate() workload. */
export function llmWorkOf(w: Workload, t: ServeTraffic): LlmWork {
  const batch = Math.max(1, w.run.batch);
  const prompt = Math.max(1, w.run.promptTokens ?? w.run.seqLen ?? 128);
  const output = Math.max(1, w.run.newTokens ?? 1);
  const decodeOps = w.ops.filter((o) => o.phase === 'decode');
  const prefillOps = w.ops.filter((o) => o.phase === 'prefill');
  const decodeFlops = sum(decodeOps, (o) => o.forwardFlops * o.count) / (batch * output);
  const prefillFlops = sum(prefillOps, (o) => o.forwardFlops * o.count) / (batch * prompt);
  const params = fin(w.params, 1);
  const weightBytes = t.weightBytesPerParam ? params * t.weightBytesPerParam : fin(w.memory.weights, params * DTYPE_BYTES[w.run.dtype]);
  const layers = Math.max(1, decodeOps.filter((o) => o.opClass === 'attention').length);
  const hidden = Math.max(64, Math.round(Math.sqrt(params / (12 * layers))));
  let kvPerToken = fin(w.memory.kvCache) / (batch * (prompt + output));
  if (!(kvPerToken > 0)) kvPerToken = 2 * layers * hidden * DTYPE_BYTES[w.run.dtype];
  if (t.kvDtype) kvPerToken *= DTYPE_BYTES[t.kvDtype] / DTYPE_BYTES[w.run.dtype];
  const flopsFallback = 2 * params;
  return {
    kind: 'llm', promptTokens: prompt, outputTokens: output,
    prefillFlopsPerToken: fin(prefillFlops, flopsFallback), decodeFlopsPerToken: fin(decodeFlops, flopsFallback),
    weightBytes, kvBytesPerToken: kvPerToken,
    matrixKernels: decodeOps.filter((o) => MATRIX.has(o.opClass)).length || 7 * layers,
    vectorKernels: decodeOps.filter((o) => !MATRIX.has(o.opClass)).length || 8 * layers,
    layers, hidden, dtype: w.run.dtype,
  };
}

/** The work of one item (or image) from the traced batch. */
export function itemWorkOf(w: Workload, kind: 'items' | 'diffusion', t: ServeTraffic): ItemWork {
  const items = Math.max(1, kind === 'diffusion' ? w.run.itemsPerStep || w.run.batch : w.run.batch);
  const flops = sum(w.ops, (o) => o.forwardFlops * o.count);
  let weightReads = sum(w.ops, (o) => o.params * DTYPE_BYTES[o.dtype] * o.count);
  if (t.weightBytesPerParam) weightReads *= t.weightBytesPerParam / DTYPE_BYTES[w.run.dtype];
  const weightBytes = t.weightBytesPerParam ? fin(w.params) * t.weightBytesPerParam : fin(w.memory.weights, weightReads);
  if (!(weightReads > 0)) weightReads = weightBytes;
  const moved = sum(w.ops, (o) => (o.bytesRead + o.bytesWritten) * o.count);
  const first = w.ops[0];
  const last = w.ops[w.ops.length - 1];
  const elems = (s: number[] | undefined): number => (s ?? []).reduce((p, d) => p * (Number.isFinite(d) && d > 0 ? d : 1), 1);
  const inputBytes = fin(w.run.inputBytesPerStep) || (first ? elems(first.inputShapes[0]) * (kind === 'diffusion' ? 8 : 4) : 0);
  const outputBytes = last ? elems(last.outputShape) * (kind === 'diffusion' ? 1 : 4) : 0;
  return {
    kind, flopsPerItem: flops / items, weightReadsPerCall: weightReads, actBytesPerItem: Math.max(0, moved - weightReads) / items,
    weightBytes, residentBytesPerItem: (fin(w.memory.activations) + fin(w.memory.inputs)) / items,
    matrixKernels: sum(w.ops.filter((o) => MATRIX.has(o.opClass)), (o) => o.count),
    vectorKernels: sum(w.ops.filter((o) => !MATRIX.has(o.opClass)), (o) => o.count),
    // Diffusion: a scheduler step per denoising step plus encoders and VAE; a classifier call's Python cost is its per-op dispatch.
    hostCalls: kind === 'diffusion' ? Math.max(1, ...w.ops.map((o) => o.count)) + 2 : 0,
    inputBytesPerItem: inputBytes / items, outputBytesPerItem: outputBytes / items, dtype: w.run.dtype,
  };
}

/** Figures of one replica configuration, before the rate decides how many. */
interface Sized {
  r: Replica;
  maxBatch: number;
  bound: ServingDevice['batchBound'];
  /** Requests/s one replica sustains at maxBatch. */
  capacity: number;
  throughput: number;
  singleStream: number;
  /** Latency at a per-replica arrival rate λ (requests/s) and the batch in flight. */
  at(lambda: number): { batch: number; p50: ServingLatency; p95: ServingLatency };
  meets(l: ServingLatency): boolean;
  fits: boolean;
  notes: string[];
}

function withinTarget(t: ServingTarget, l: ServingLatency): boolean {
  const ok = (v: number | undefined, lim: number | undefined) => lim === undefined || (v !== undefined && v <= lim * (1 + 1e-9));
  return ok(l.firstTokenSeconds, t.firstTokenSeconds) && ok(l.perTokenSeconds, t.perTokenSeconds) && ok(l.requestSeconds, t.requestSeconds);
}

/** Waiting factor of a queue at utilisation u (in service times; p95-ish for M/D/1). */
const queueWait = (u: number): number => (2 * Math.min(u, 0.95)) / (1 - Math.min(u, 0.95));

function fixedBatch(lambda: number, lo: number, hi: number, inFlight: (b: number) => number): number {
  let b = lo;
  for (let i = 0; i < 40; i++) {
    const next = Math.min(hi, Math.max(lo, Math.ceil(inFlight(b))));
    if (next === b) break;
    b = next;
  }
  return b;
}

function sizeLlm(r: Replica, w: LlmWork, t: ServingTarget): Sized {
  const perReq = (w.promptTokens + w.outputTokens) * w.kvBytesPerToken;
  const room = r.memoryBytes - w.weightBytes;
  const bMem = perReq > 0 ? Math.floor(room / perReq) : BATCH_CAP.llm;
  const tpot = t.perTokenSeconds ?? Number.POSITIVE_INFINITY;
  const cap = r.runtime === 'graph' ? LLM_GRAPH_BATCH_CAP : BATCH_CAP.llm;
  const bLat = largestBatch(cap, (b) => decodeStepSeconds(r, w, b, 'mid') <= tpot);
  const maxBatch = Math.max(1, Math.min(bMem, bLat || 1, cap));
  const bound: ServingDevice['batchBound'] = maxBatch === cap ? 'cap' : bMem <= Math.max(1, bLat) ? 'memory' : 'latency';
  const pre = { mid: prefillSeconds(r, w, 'mid'), low: prefillSeconds(r, w, 'low') };
  const perRequest = (b: number) => pre.mid + (w.outputTokens * decodeStepSeconds(r, w, b, 'mid')) / b;
  const capacity = 1 / perRequest(maxBatch);
  const at = (lambda: number) => {
    const u = Math.min(0.95, lambda / capacity);
    const batch = fixedBatch(lambda, 1, maxBatch, (b) => lambda * (pre.mid + w.outputTokens * decodeStepSeconds(r, w, b, 'mid')));
    const stretch = (p: number) => 1 / (1 - Math.min(0.9, lambda * p));
    const step50 = decodeStepSeconds(r, w, batch, 'mid') * stretch(pre.mid);
    const step95 = decodeStepSeconds(r, w, batch, 'low') * stretch(pre.low);
    const ttft50 = pre.mid + step50 / 2;
    const ttft95 = pre.low * (1 + queueWait(u)) + step95;
    return {
      batch,
      p50: { firstTokenSeconds: ttft50, perTokenSeconds: step50, requestSeconds: ttft50 + w.outputTokens * step50 },
      p95: { firstTokenSeconds: ttft95, perTokenSeconds: step95, requestSeconds: ttft95 + w.outputTokens * step95 },
    };
  };
  return {
    r, maxBatch, bound, capacity, throughput: capacity * w.outputTokens,
    singleStream: 1 / decodeStepSeconds(r, w, 1, 'mid'),
    at, meets: (l) => bLat > 0 && withinTarget(t, l), fits: bMem >= 1,
    notes: bLat === 0 ? [`one request at a time already takes ${formatSeconds(decodeStepSeconds(r, w, 1, 'mid'))} per token`] : [],
  };
}

function sizeItems(r: Replica, w: ItemWork, t: ServingTarget, itemsPerRequest: number): Sized {
  const kind = w.kind;
  const time = (b: number, band: 'mid' | 'low') => itemBatchSeconds(r, w, b, band) + itemTransferSeconds(r, w, b, band);
  const room = r.memoryBytes - w.weightBytes;
  const bMem = w.residentBytesPerItem > 0 ? Math.floor(room / w.residentBytesPerItem) : BATCH_CAP[kind];
  const target = t.requestSeconds ?? Number.POSITIVE_INFINITY;
  // A request waits for the batch in progress (≈ one batch time) and then runs in the next.
  const bLat = largestBatch(BATCH_CAP[kind], (b) => b < itemsPerRequest || time(b, 'mid') + time(b, 'low') <= target);
  const maxBatch = Math.max(itemsPerRequest, Math.min(bMem, bLat || itemsPerRequest, BATCH_CAP[kind]));
  const bound: ServingDevice['batchBound'] = maxBatch >= BATCH_CAP[kind] ? 'cap' : bMem <= bLat ? 'memory' : 'latency';
  const capacity = maxBatch / time(maxBatch, 'mid') / itemsPerRequest;
  const at = (lambda: number) => {
    const u = Math.min(0.95, lambda / capacity);
    const batch = fixedBatch(lambda, itemsPerRequest, maxBatch, (b) => lambda * itemsPerRequest * time(b, 'mid'));
    const waits = batch > itemsPerRequest;
    const run50 = time(batch, 'mid');
    const run95 = time(batch, 'low');
    return {
      batch,
      p50: { requestSeconds: run50 + (waits ? run50 / 2 : 0) },
      p95: { requestSeconds: run95 + (waits ? run50 : run95 * queueWait(u) / 2) },
    };
  };
  const single = time(itemsPerRequest, 'mid');
  const copy = itemTransferSeconds(r, w, itemsPerRequest, 'mid');
  const notes = copy > 0 ? [`each request crosses PCIe in and out: ${formatSeconds(copy)} of its ${formatSeconds(single)} at one request at a time`] : [];
  return {
    r, maxBatch, bound, capacity, throughput: capacity * itemsPerRequest, singleStream: 1 / single,
    at, meets: (l) => bLat >= itemsPerRequest && withinTarget(t, l), fits: bMem >= itemsPerRequest, notes,
  };
}

/** Replica candidates for a device: GPU groups (tensor parallel), or CPU slices. */
function replicasFor(hw: HardwareProfile, weightBytes: number, traffic: ServeTraffic, dtype: Dtype, opts: ServeOptions): Replica[] {
  const base = { runtime: traffic.runtime, dtype, computeScale: opts.computeEfficiency, memoryScale: opts.memoryEfficiency };
  if (hw.kind === 'cpu') {
    const cores = hw.cores && hw.cores > 0 ? hw.cores : 0;
    const sizes = cores > 0 ? [...CPU_SLICES.filter((c) => c < cores), cores] : [0];
    return sizes.map((c) => replicaOf(hw, { ...base, cores: c || undefined }));
  }
  // An Apple GPU is one chip: no tensor parallel across machines here.
  if (hw.tier === 'apple-gpu') return [replicaOf(hw, { ...base, gpus: 1 })];
  const one = replicaOf(hw, { ...base, gpus: 1 }).memoryBytes;
  let t = 1;
  while (t < 64 && one * t < weightBytes * 1.05) t *= 2;
  // The fewest GPUs that hold the weights, and two larger groups (more KV room, bigger batches): the cheapest per request wins.
  return [t, t * 2, t * 4].filter((g) => g <= 64).map((g) => replicaOf(hw, { ...base, gpus: g }));
}

function deviceFigures(kind: ServingKind, s: Sized, rate: number, perRequestUnits: number): ServingDevice {
  const r = s.r;
  const needed = (q: number) => Math.max(1, Math.ceil(q / (UTILISATION_CEILING * s.capacity) - 1e-9));
  const replicas = needed(rate);
  const limited = replicas > MAX_REPLICAS;
  const lambda = rate / replicas;
  const u = Math.min(1, lambda / s.capacity);
  const { batch, p50, p95 } = s.at(lambda);
  const hours = SECONDS_PER_MONTH / 3600;
  // Past MAX_REPLICAS there is no deployment to bill: the monthly figure is withheld (the unit cost stays: it does not depend on the count).
  const price = r.pricePerHourUsd;
  const monthly = price !== undefined ? replicas * price * hours : undefined;
  const unitsPerMonth = rate * perRequestUnits * SECONDS_PER_MONTH;
  const watts = replicas * r.watts * (IDLE_POWER_SHARE + (1 - IDLE_POWER_SHARE) * u);
  const d: ServingDevice = {
    hardwareId: r.hw.id, hardwareName: r.hw.name, kind: r.hw.kind,
    batch, maxBatch: s.maxBatch, batchBound: s.bound, tensorParallel: r.gpus,
    throughput: { value: s.throughput, unit: kind === 'llm' ? 'tokens/s' : kind === 'diffusion' ? 'images/s' : 'items/s' },
    requestsPerSecondPerReplica: s.capacity * UTILISATION_CEILING,
    singleStream: kind === 'llm' ? { value: s.singleStream, unit: 'tokens/s' } : { value: s.singleStream, unit: 'req/s' },
    latency: p50, latencyP95: p95,
    devicesNeeded: replicas * (r.hw.kind === 'gpu' ? r.gpus : 1), replicas, utilisation: u,
    energyPerRequestJoules: watts / rate,
    meetsTarget: !limited && s.meets(p95),
    costCurve: price === undefined ? [] : CURVE_RATES.filter((q) => needed(q) <= MAX_REPLICAS).map((q) => ({ requestsPerSecond: q, monthlyCostUsd: needed(q) * price * hours })),
    notes: [...s.notes],
  };
  if (r.cores !== undefined) d.coresPerReplica = r.cores;
  if (limited) {
    d.cannotMeetRate = { maxReplicas: MAX_REPLICAS, replicasNeeded: replicas, meetsLatency: s.meets(p95) };
    d.notes.push(`${rateLimitText(d, rate)}: it would take ${replicas.toLocaleString('en-US')} replicas (more than ${MAX_REPLICAS} are not counted as a deployment)`);
  }
  if (monthly !== undefined) {
    if (!limited) d.monthlyCostUsd = monthly;
    if (kind === 'llm') d.costPerMillionTokensUsd = (monthly / unitsPerMonth) * 1e6;
    else d.costPerThousandItemsUsd = (monthly / unitsPerMonth) * 1e3;
  } else d.notes.push('no rental price in the catalog: cost not shown');
  if (r.gpus > 1) d.notes.push(`tensor parallel over ${r.gpus} GPUs: one cannot hold the model and its KV cache`);
  if (!s.fits) d.notes.push('the model does not fit with room for one request');
  return d;
}

/** Best replica configuration of a device: the cheapest per request that meets the target (else the fastest). */
function bestFor(hw: HardwareProfile, kind: ServingKind, work: LlmWork | ItemWork, traffic: ServeTraffic, rate: number, units: number, opts: ServeOptions): ServingDevice {
  const dtype = traffic.quantDtype ?? work.dtype;
  const replicas = replicasFor(hw, work.weightBytes, traffic, dtype, opts);
  const anchor = opts.anchors?.get(hw.id);
  if (work.kind !== 'llm' && anchor) {
    const full = replicaOf(hw, { runtime: traffic.runtime, dtype, gpus: anchor.devices, cores: hw.cores, computeScale: opts.computeEfficiency, memoryScale: opts.memoryEfficiency });
    const k = calibrateRoof(full, work, anchor.batch, anchor.seconds);
    for (const r of replicas) r.roofScale = k;
  }
  const candidates = replicas.map((r) => (work.kind === 'llm' ? sizeLlm(r, work, traffic.target) : sizeItems(r, work, traffic.target, traffic.itemsPerRequest)));
  const figs = candidates.map((s) => ({ s, d: deviceFigures(kind, s, rate, units) }));
  // Fits first, then meets the target; among those the cheapest (unpriced: the fewest devices), else the fastest (p95
  // request latency); a configuration that cannot meet the rate at all comes last, the one sustaining most first.
  const score = (x: (typeof figs)[number]) => [x.s.fits ? 0 : 1, x.d.meetsTarget ? 0 : 1, x.d.cannotMeetRate ? 1 : 0,
    x.d.meetsTarget ? x.d.monthlyCostUsd ?? x.d.devicesNeeded : x.d.cannotMeetRate ? -x.s.capacity : x.d.latencyP95.requestSeconds];
  figs.sort((a, b) => {
    const sa = score(a);
    const sb = score(b);
    for (let i = 0; i < sa.length; i++) if (sa[i] !== sb[i]) return sa[i] - sb[i];
    return b.s.capacity - a.s.capacity;
  });
  return figs[0].d;
}

/** Serving figures of an inference workload on each device; undefined for training or an empty workload. */
export function serveWorkload(w: Workload, hardware: readonly HardwareProfile[], traffic: ServeTraffic, opts: ServeOptions = {}): Serving | undefined {
  const kind = servingKindOf(w);
  if (!kind || hardware.length === 0) return undefined;
  const work = kind === 'llm' ? llmWorkOf(w, traffic) : itemWorkOf(w, kind, traffic);
  const target = { ...DEFAULT_TARGETS[kind], ...traffic.target };
  const t = { ...traffic, target };
  const rate = traffic.rate.value;
  const units = work.kind === 'llm' ? work.outputTokens : traffic.itemsPerRequest;
  const perDevice = hardware.map((hw) => bestFor(hw, kind, work, t, rate, units, opts));
  const request: Serving['request'] = work.kind === 'llm'
    ? { promptTokens: work.promptTokens, outputTokens: work.outputTokens }
    : kind === 'diffusion' ? { images: traffic.itemsPerRequest } : { items: traffic.itemsPerRequest };
  const serving: Serving = {
    kind, rate: traffic.rate, requestsPerMonth: rate * SECONDS_PER_MONTH, request, latencyTarget: target, runtime: traffic.runtime,
    weightBytes: work.weightBytes, perDevice, verdict: '', assumptions: assumptionsOf(kind, t),
  };
  if (work.kind === 'llm') serving.kvBytesPerToken = work.kvBytesPerToken;
  serving.verdict = servingVerdict(serving, opts.currency);
  return serving;
}

function assumptionsOf(kind: ServingKind, t: ServeTraffic): string[] {
  const out = [
    `replicas run at most ${Math.round(UTILISATION_CEILING * 100)}% busy; p95 adds pessimistic efficiencies and batching/queueing waits`,
    `runtime ${t.runtime === 'graph' ? 'graph (vLLM / TensorRT-LLM / llama.cpp-class)' : t.runtime === 'compiled' ? 'torch.compile' : kind === 'llm' ? 'eager PyTorch (HF generate)' : 'eager PyTorch'}: sets per-kernel launch and per-call host overhead (runtime=)`,
    'CPUs are rented by the slice (2–256 cores, a share of the server\'s price, memory and bandwidth); GPUs whole',
    'a month is 730.5 hours; idle power is 30% of TDP',
  ];
  if (kind === 'llm') out.push(`continuous batching up to ${t.runtime === 'graph' ? LLM_GRAPH_BATCH_CAP : BATCH_CAP.llm} requests, bounded by the per-token target or the KV cache`);
  else out.push(`dynamic batching up to ${BATCH_CAP[kind]} ${kind === 'diffusion' ? 'images' : 'items'} within the request target${kind === 'items' ? '; GPUs copy each batch in and out over PCIe' : ''}`);
  return out;
}

function targetText(t: ServingTarget): string {
  return t.firstTokenSeconds !== undefined ? `TTFT ${formatSeconds(t.firstTokenSeconds)}${t.perTokenSeconds !== undefined ? ` and ${formatSeconds(t.perTokenSeconds)}/token` : ''}` : formatSeconds(t.requestSeconds ?? 0);
}

function unitText(d: ServingDevice): string {
  if (d.kind === 'cpu') {
    const c = d.coresPerReplica;
    // A slice of every core is the whole server, whose name often says its cores already ("AMD EPYC 9654 (96-core)").
    if (!c || d.hardwareName.includes(`${c}-core`)) return `${d.replicas}× ${d.hardwareName}`;
    return `${d.replicas}× ${c}-core ${d.hardwareName} slice`;
  }
  return `${d.devicesNeeded}× ${d.hardwareName}`;
}

function rateText(rps: number): string {
  if (rps >= 0.1) return `${rps >= 10 ? Math.round(rps).toLocaleString('en-US') : Number(rps.toPrecision(2))} req/s`;
  const perDay = rps * 86_400;
  return `${Number(perDay.toPrecision(2)).toLocaleString('en-US')} req/day`;
}

/** "At 20 req/s: 2× L4 at $1,100/month, TTFT 180 ms; a CPU cannot meet TTFT 1 s". */
export function servingVerdict(s: Serving, currency?: Currency): string {
  const head = `At ${rateText(s.rate.value)}`;
  const ok = s.perDevice.filter((d) => d.meetsTarget);
  const price = (d: ServingDevice) => d.monthlyCostUsd ?? Number.POSITIVE_INFINITY;
  const best = [...ok].sort((a, b) => price(a) - price(b) || a.latency.requestSeconds - b.latency.requestSeconds)[0];
  const target = targetText(s.latencyTarget);
  if (!best) {
    const limited = s.perDevice.filter((d) => d.cannotMeetRate?.meetsLatency);
    const most = [...limited].sort((a, b) => b.requestsPerSecondPerReplica - a.requestsPerSecondPerReplica)[0];
    if (most && limited.length === s.perDevice.length) return `${head}: no compared device can serve the rate; ${most.hardwareName}: ${rateLimitText(most, s.rate.value)}.`;
    return `${head}: no compared device meets ${target}; the fastest is ${fastestText(s)}${most ? `; ${most.hardwareName}: ${rateLimitText(most, s.rate.value)}` : ''}.`;
  }
  const lat = s.kind === 'llm' ? `TTFT ${formatSeconds(best.latency.firstTokenSeconds ?? best.latency.requestSeconds)}` : `${formatSeconds(best.latency.requestSeconds)} per request`;
  const cost = best.monthlyCostUsd !== undefined ? ` at ${formatMoney(best.monthlyCostUsd, currency)}/month` : '';
  const cpus = s.perDevice.filter((d) => d.kind === 'cpu');
  let tail = '';
  if (best.kind === 'gpu' && cpus.length > 0) {
    const cpu = cpus.filter((d) => d.meetsTarget).sort((a, b) => price(a) - price(b))[0];
    // A CPU that is fast enough per request but would take more than MAX_REPLICAS slices cannot meet the rate: say that, with what one sustains.
    const limited = cpus.filter((d) => d.cannotMeetRate?.meetsLatency).sort((a, b) => b.requestsPerSecondPerReplica - a.requestsPerSecondPerReplica)[0];
    tail = cpu ? `; a CPU meets it too (${unitText(cpu)}${cpu.monthlyCostUsd !== undefined ? `, ${formatMoney(cpu.monthlyCostUsd, currency)}/month` : ''})`
      : limited ? `; a CPU ${rateLimitText(limited, s.rate.value)}` : `; a CPU cannot meet ${target}`;
  } else if (best.kind === 'cpu') {
    const gpu = s.perDevice.filter((d) => d.kind === 'gpu' && d.meetsTarget && d.monthlyCostUsd !== undefined).sort((a, b) => price(a) - price(b))[0];
    if (gpu) tail = `; the cheapest GPU costs ${formatMoney(gpu.monthlyCostUsd!, currency)}/month (${unitText(gpu)})`;
  }
  return `${head}: ${unitText(best)}${cost}, ${lat}${tail}.`;
}

function fastestText(s: Serving): string {
  const d = [...s.perDevice].sort((a, b) => a.latencyP95.requestSeconds - b.latencyP95.requestSeconds)[0];
  if (!d) return 'none';
  const l = s.kind === 'llm' ? `TTFT ${formatSeconds(d.latencyP95.firstTokenSeconds ?? 0)}, ${formatSeconds(d.latencyP95.perTokenSeconds ?? 0)}/token (p95)` : `${formatSeconds(d.latencyP95.requestSeconds)} per request (p95)`;
  return `${d.hardwareName} (${l})`;
}
