/**
 * The projection engine: a costed Workload onto devices with a per-op roofline.
 *
 * Per op execution on one device:
 *   kernel = max(FLOPs ÷ (peak for the op's dtype × compute efficiency), bytes ÷ (bandwidth × memory efficiency))
 * with the efficiencies of `efficiency.ts` (by op class, size-adjusted), plus a per-op dispatch/launch overhead.
 * GPUs dispatch asynchronously, so a GPU op costs max(kernel, dispatch) at the mid estimate; CPUs run ops on the
 * dispatching thread, so a CPU op costs kernel + dispatch. The band's high end adds everything (no overlap of
 * compute with memory traffic, nor of dispatch with kernels) at the pessimistic efficiencies; its low end overlaps
 * everything at the optimistic ones.
 *
 * Training adds, per op, the backward (its `backwardFlops`, 2× the forward bytes, two kernels for weight GEMMs,
 * dispatched by the C++ autograd engine at half the forward overhead), activation recomputation, and an optimizer
 * step that streams weights, gradients and states (foreach kernels on GPUs, a per-tensor loop on CPUs).
 * Then host→device input copies (overlapped when pinned), gradient/parameter collectives across devices, and
 * one-time setup (runtime context, weights to the device). See README "Projection model" for the full account.
 */
import type { Band, Bound, Op, OpClass, Projection, Verdict, Workload } from '../types';
import { DTYPE_BYTES } from '../types';
import type { HardwareProfile } from '../hardware/types';
import {
  COMM_OVERLAP, DEFAULT_LAUNCH_SECONDS, EFFICIENCY, FUSABLE, LAUNCH_BAND, LINK_EFFICIENCY, RAMP_SECONDS, RUNTIME_EFFECTS,
  sizedTime, type Range, type Runtime,
} from './efficiency';
import { resolvePeak, type ResolvedPeak } from './peaks';
import { allReduceSeconds, collectiveSeconds, INTER_LATENCY_SECONDS, nodeSize } from './comm';
import { fitMemory } from './memory';
import { formatBytes, formatRate } from './format';
import { verdictFor } from './verdict';

/** Options of `project`; every field optional with a documented default. */
export interface ProjectOptions {
  /** Multiplier on the documented compute efficiencies (default 1). */
  computeEfficiency?: number;
  /** Multiplier on the documented memory-bandwidth efficiencies (default 1). */
  memoryEfficiency?: number;
  /** Per-op dispatch/launch overhead on GPUs, seconds (default: each profile's `launchOverheadSeconds`, ≈10 µs eager). */
  launchOverheadSeconds?: number;
  /** Units of the display currency per US dollar, for the verdict sentence (default 1). */
  currencyPerUsd?: number;
  /** ISO code of the display currency (default `USD`). */
  currencyCode?: string;
  /** For inference: a per-step latency a CPU must meet to be "fine", seconds. */
  latencyBudgetSeconds?: number;
  /** How kernels are issued; overrides `RunSpec.runtime` (default `eager`). */
  runtime?: Runtime;
}

type BandKey = keyof Band;
const BANDS: readonly BandKey[] = ['low', 'mid', 'high'];
/** The efficiency end used for each time band: a low time needs high efficiency. */
const EFF_FOR: Record<BandKey, keyof Range> = { low: 'high', mid: 'mid', high: 'low' };

const GPU_SETUP_SECONDS: Band = { low: 1, mid: 2, high: 4 };
const MPS_SETUP_SECONDS: Band = { low: 0.3, mid: 0.5, high: 1 };

const fin = (x: unknown): number => (typeof x === 'number' && Number.isFinite(x) && x > 0 ? x : 0);
const clampEff = (x: number): number => Math.min(0.98, Math.max(0.005, x));
const isMatrix = (c: OpClass): boolean => c === 'gemm' || c === 'conv' || c === 'attention' || c === 'rnn';

/** Totals of one band, seconds per step on one device. */
interface Acc {
  compute: number;
  memory: number;
  overhead: number;
  /** Forward compute+memory+overhead (for recomputation). */
  forward: number;
  backward: number;
}
const acc0 = (): Acc => ({ compute: 0, memory: 0, overhead: 0, forward: 0, backward: 0 });

interface Plan {
  /** Devices used. */
  n: number;
  /** Divisor of weight bytes each device reads (TP degree in training, model-parallel degree in inference). */
  weightDiv: number;
  /** Divisor of launches per device (pipeline stages in inference). */
  launchDiv: number;
  /** Optimizer work divisor (N when states are sharded, 1 for DDP). */
  optimizerDiv: number;
  tp: number;
  pp: number;
  strategy: 'single' | 'ddp' | 'fsdp' | 'fsdp+tp' | 'replicas' | 'tp' | 'tp+pp';
}

interface Ctx {
  w: Workload;
  hw: HardwareProfile;
  kind: 'cpu' | 'gpu';
  training: boolean;
  allowTf32: boolean;
  effC: number;
  effM: number;
  launchBase: number;
  runtime: Runtime;
  notes: Set<string>;
}

/** Bytes of an op's weights per call (a lower bound of `bytesRead`). */
function weightBytesOf(op: Op): number {
  const p = fin(op.params);
  if (p === 0) return 0;
  return Math.min(fin(op.bytesRead), p * (DTYPE_BYTES[op.dtype] ?? 4));
}

/** Time of `kernels` kernels sharing `flops` and `bytes`, with dispatch, in one band. Returns the parts. */
function kernelTime(ctx: Ctx, opClass: OpClass, peak: ResolvedPeak, flops: number, bytes: number, kernels: number, launchScale: number, band: BandKey): { compute: number; memory: number; overhead: number; total: number } {
  if (kernels <= 0) return { compute: 0, memory: 0, overhead: 0, total: 0 };
  const table = EFFICIENCY[ctx.kind][opClass] ?? EFFICIENCY[ctx.kind].elementwise;
  const e = EFF_FOR[band];
  const ec = clampEff(table.compute[e] * ctx.effC);
  const em = clampEff(table.memory[e] * ctx.effM);
  const ramp = RAMP_SECONDS[ctx.kind];
  const tc = flops > 0 ? kernels * sizedTime(flops / kernels, peak.flops, ec, table.matrix ? ramp.matrix : ramp.vector) : 0;
  const tm = bytes > 0 ? kernels * sizedTime(bytes / kernels, ctx.hw.memoryBandwidth, em, ramp.vector) : 0;
  const launch = kernels * ctx.launchBase * launchScale * LAUNCH_BAND[e];
  const kernel = band === 'high' ? tc + tm : Math.max(tc, tm);
  const computeShare = tc >= tm;
  if (ctx.kind === 'gpu' && band !== 'high') {
    // Asynchronous dispatch: the longer of the kernel and its dispatch.
    if (launch >= kernel) return { compute: 0, memory: 0, overhead: launch, total: launch };
    return computeShare ? { compute: kernel, memory: 0, overhead: 0, total: kernel } : { compute: 0, memory: kernel, overhead: 0, total: kernel };
  }
  return {
    compute: computeShare ? kernel : 0,
    memory: computeShare ? 0 : kernel,
    overhead: launch,
    total: kernel + launch,
  };
}

function addTo(a: Acc, t: { compute: number; memory: number; overhead: number }, scale: number): void {
  a.compute += t.compute * scale;
  a.memory += t.memory * scale;
  a.overhead += t.overhead * scale;
}

/** Share of TP all-reduces: per-norm activation buffers stand in for the per-layer all-reduce (2 norms, 2 ARs per transformer layer). */
function tpBuffers(ops: readonly Op[]): { bytes: number; count: number }[] {
  const norms = ops.filter((o) => o.opClass === 'norm' && fin(o.count) > 0 && o.phase !== 'optimizer');
  if (norms.length > 0) return norms.map((o) => ({ bytes: fin(o.bytesWritten), count: fin(o.count) }));
  // No norms: half of the weight GEMMs end in an all-reduce of their output (row-parallel layers).
  return ops
    .filter((o) => o.opClass === 'gemm' && fin(o.params) > 0 && fin(o.count) > 0)
    .map((o) => ({ bytes: fin(o.bytesWritten), count: fin(o.count) / 2 }));
}

/** Projects one device. */
function projectDevice(w: Workload, hw: HardwareProfile, opts: ProjectOptions): Projection {
  const run = w.run;
  const training = run.mode === 'train';
  const runtime: Runtime = opts.runtime ?? (run as { runtime?: Runtime }).runtime ?? 'eager';
  const rt = RUNTIME_EFFECTS[runtime] ?? RUNTIME_EFFECTS.eager;
  const notes = new Set<string>();
  const kind = hw.kind === 'gpu' ? 'gpu' : 'cpu';
  const launchBase = kind === 'gpu'
    ? (rt.gpuLaunchSeconds ?? (opts.launchOverheadSeconds !== undefined && opts.launchOverheadSeconds >= 0 ? opts.launchOverheadSeconds : undefined) ?? hw.launchOverheadSeconds ?? DEFAULT_LAUNCH_SECONDS.gpu)
    : (hw.launchOverheadSeconds ?? DEFAULT_LAUNCH_SECONDS.cpu);
  const ctx: Ctx = {
    w, hw, kind, training, allowTf32: !!run.allowTf32,
    effC: fin(opts.computeEfficiency) || 1,
    effM: fin(opts.memoryEfficiency) || 1,
    launchBase: Number.isFinite(launchBase) && launchBase >= 0 ? launchBase : DEFAULT_LAUNCH_SECONDS[kind],
    runtime, notes,
  };
  const ops = (Array.isArray(w.ops) ? w.ops : []).filter((o) => o && fin(o.count) > 0);

  // ── Memory fit and the device plan ──
  const fit = fitMemory(w.memory ?? ({} as Workload['memory']), hw);
  const requested = Math.max(1, Math.floor(fin(run.devices) || 1));
  const personal = kind === 'cpu' && hw.tier !== 'server';
  const D = nodeSize(hw);
  let n: number;
  let fits: boolean;
  if (personal) {
    n = 1;
    fits = fit.devicesNeeded <= 1;
    if (!fits) notes.add(`Does not fit: the step needs ${formatBytes(fit.perDevice(1))} and this machine has ${formatBytes(fit.usable)} usable; it would swap or fail.`);
  } else {
    const req = kind === 'cpu' ? Math.min(requested, D) : requested;
    n = Math.max(fit.devicesNeeded, req);
    fits = fit.devicesNeeded <= req;
    if (fit.outOfReach) notes.add('Out of reach: even a million devices of this kind cannot hold one step.');
    else if (!fits) notes.add(`Needs ${fit.devicesNeeded} devices to hold ${formatBytes(fit.perDevice(1))} (states sharded ZeRO-3/FSDP-style, activations split).`);
  }
  const M = Math.min(fit.devicesNeeded, n);
  const plan = planDevices(ctx, n, M, D, ops);
  if (plan.strategy !== 'single') notes.add(planNote(plan));

  // ── Per-op roofline ──
  const accs: Record<BandKey, Acc> = { low: acc0(), mid: acc0(), high: acc0() };
  let modelFlops = 0;
  let fwdFlopsTotal = 0;
  const flopsByPeak = new Map<string, { peak: ResolvedPeak; flops: number }>();
  const hasOptimizerOps = ops.some((o) => o.opClass === 'optimizer' || o.phase === 'optimizer');

  for (const op of ops) {
    const count = fin(op.count);
    const opClass: OpClass = EFFICIENCY[kind][op.opClass] ? op.opClass : 'elementwise';
    const isOptimizer = opClass === 'optimizer' || op.phase === 'optimizer';
    const peak = resolvePeak(hw, op.dtype, opClass, ctx.allowTf32);
    if (peak.fallback) notes.add(`${op.dtype}: ${peak.fallback}.`);
    const fwdF = fin(op.forwardFlops);
    const bwdF = training && !isOptimizer ? fin(op.backwardFlops) : 0;
    modelFlops += (fwdF + bwdF) * count;
    if (!isOptimizer) fwdFlopsTotal += fwdF * count;
    if (isMatrix(opClass)) {
      const key = `${peak.dtype}`;
      const cur = flopsByPeak.get(key) ?? { peak, flops: 0 };
      cur.flops += (fwdF + bwdF) * count;
      flopsByPeak.set(key, cur);
    }
    const wBytes = weightBytesOf(op);
    const actBytes = Math.max(0, fin(op.bytesRead) + fin(op.bytesWritten) - wBytes);
    const fused = FUSABLE.has(opClass) && runtime !== 'eager';
    const bytesScale = fused ? rt.fusedBytesScale : 1;
    const launchScale = isMatrix(opClass) ? rt.launchScale : fused ? rt.fusedLaunchScale : rt.launchScale;
    const flopsDev = fwdF / plan.n;
    const bytesDev = (wBytes / plan.weightDiv + actBytes / plan.n) * bytesScale;
    const launchPerDevice = launchScale / plan.launchDiv;
    const bwdKernels = bwdF > 0 ? (isMatrix(opClass) && bwdF >= 1.5 * fwdF ? 2 : 1) : 0;
    for (const b of BANDS) {
      const f = kernelTime(ctx, opClass, peak, flopsDev, bytesDev, 1, launchPerDevice, b);
      addTo(accs[b], f, count);
      accs[b].forward += f.total * count;
      if (bwdKernels > 0) {
        const k = kernelTime(ctx, opClass, peak, bwdF / plan.n, 2 * bytesDev, bwdKernels, launchPerDevice * 0.5, b);
        addTo(accs[b], k, count);
        accs[b].backward += k.total * count;
      }
    }
  }

  // Activation recomputation re-runs part of the forward during backward.
  const recompute = training ? fin(w.recomputeFlops) : 0;
  if (recompute > 0 && fwdFlopsTotal > 0) {
    const frac = recompute / fwdFlopsTotal;
    for (const b of BANDS) {
      const a = accs[b];
      const extra = a.forward * frac;
      const tot = a.compute + a.memory + a.overhead || 1;
      a.compute += extra * (a.compute / tot);
      a.memory += extra * (a.memory / tot);
      a.overhead += extra * (a.overhead / tot);
      a.backward += extra;
    }
    notes.add(`Activation recomputation adds ${Math.round(frac * 100)}% of the forward FLOPs (not counted in MFU).`);
  }

  // Optimizer step (synthesised when the workload has no optimizer ops).
  const trainable = fin(w.trainableParams);
  if (training && trainable > 0 && !hasOptimizerOps) {
    const params = fin(w.params) || trainable;
    const wB = fin(w.memory?.weights) > 0 ? fin(w.memory.weights) / params : 4;
    const gB = fin(w.memory?.gradients) > 0 ? fin(w.memory.gradients) / trainable : wB;
    const sB = fin(run.optimizerBytesPerParam);
    const bytes = trainable * (2 * wB + gB + 2 * sB) / plan.optimizerDiv;
    const flops = trainable * (sB >= 8 ? 12 : sB > 0 ? 4 : 2) / plan.optimizerDiv;
    const tensors = Math.max(1, 2 * ops.filter((o) => fin(o.trainableParams) > 0).length);
    const opsPerTensor = sB >= 8 ? 12 : sB > 0 ? 5 : 2;
    // GPUs default to foreach kernels (≈64 tensors per launch); CPUs loop per tensor.
    const kernels = kind === 'gpu' ? opsPerTensor * Math.ceil(tensors / 64) : opsPerTensor * tensors;
    const peak = resolvePeak(hw, 'fp32', 'optimizer', false);
    for (const b of BANDS) addTo(accs[b], kernelTime(ctx, 'optimizer', peak, flops, bytes, kernels, 1, b), 1);
  }

  // ── Host→device input copies ──
  const transfer: Band = { low: 0, mid: 0, high: 0 };
  const inputBytes = fin(run.inputBytesPerStep) / plan.n;
  const pinned = !!run.pinMemory;
  if (kind === 'gpu' && inputBytes > 0) {
    for (const b of BANDS) {
      const computeT = accs[b].compute + accs[b].memory + accs[b].overhead;
      let t: number;
      if (hw.hostLinkBandwidth && hw.hostLinkBandwidth > 0) {
        t = inputBytes / (hw.hostLinkBandwidth * LINK_EFFICIENCY.pcie[EFF_FOR[b]] * (pinned ? 1 : 0.5));
      } else {
        t = inputBytes / (hw.memoryBandwidth * 0.5); // unified memory: a copy at memory speed
      }
      transfer[b] = pinned && b !== 'high' ? Math.max(0, t - computeT) : t;
    }
  }

  // ── Communication ──
  const comm = communication(ctx, plan, ops, accs);

  // ── Totals ──
  const step: Band = { low: 0, mid: 0, high: 0 };
  for (const b of BANDS) step[b] = accs[b].compute + accs[b].memory + accs[b].overhead + transfer[b] + comm[b];
  orderBand(step);

  const steps = Number.isFinite(run.steps) && run.steps >= 0 ? run.steps : 1;
  const setup = setupSeconds(ctx, plan);
  const runSeconds: Band = { low: setup.low + steps * step.low, mid: setup.mid + steps * step.mid, high: setup.high + steps * step.high };
  orderBand(runSeconds);
  if (setup.mid > 0 && steps * step.mid < 10 * setup.mid) notes.add(`Includes ≈${Math.round(setup.mid * 10) / 10} s of one-time setup (runtime context, weights to the device).`);

  const mid = accs.mid;
  const total = step.mid > 0 ? step.mid : 1;
  const shares = {
    compute: mid.compute / total,
    memory: mid.memory / total,
    overhead: mid.overhead / total,
    transfer: transfer.mid / total,
    communication: comm.mid / total,
  };
  const sum = shares.compute + shares.memory + shares.overhead + shares.transfer + shares.communication;
  if (sum > 0) for (const k of Object.keys(shares) as (keyof typeof shares)[]) shares[k] /= sum;
  const bound = (Object.entries(shares) as [Bound, number][]).reduce((a, b) => (b[1] > a[1] ? b : a), ['compute', -1] as [Bound, number])[0];

  // The dtype whose peak carried most of the FLOPs.
  let main: ResolvedPeak = resolvePeak(hw, run.dtype ?? 'fp32', 'gemm', ctx.allowTf32);
  let best = -1;
  for (const { peak, flops } of flopsByPeak.values()) if (flops > best) { best = flops; main = peak; }
  const mfu = step.mid > 0 && main.flops > 0 ? modelFlops / (step.mid * plan.n * main.flops) : 0;

  if (kind === 'gpu' && hw.peakFlops.tf32 && !ctx.allowTf32 && [...flopsByPeak.keys()].includes('fp32') && ops.some((o) => o.dtype === 'fp32' && (o.opClass === 'gemm' || o.opClass === 'attention'))) {
    notes.add(`fp32 matmuls run on CUDA cores (${formatRate(hw.peakFlops.fp32 ?? 0)}): PyTorch leaves TF32 off for matmuls by default; torch.backends.cuda.matmul.allow_tf32 = True would allow ${formatRate(hw.peakFlops.tf32)}. Convolutions use TF32 by default.`);
  }

  const tdp = fin(hw.tdpWatts);
  if (tdp === 0) notes.add('No TDP published: energy not estimated.');
  const energyJoules: Band = { low: tdp * plan.n * runSeconds.low, mid: tdp * plan.n * runSeconds.mid, high: tdp * plan.n * runSeconds.high };
  const price = hw.price && fin(hw.price.usdPerHour) > 0 ? hw.price.usdPerHour : 0;
  const costUsd: Band | undefined = price > 0
    ? { low: price * plan.n * runSeconds.low / 3600, mid: price * plan.n * runSeconds.mid / 3600, high: price * plan.n * runSeconds.high / 3600 }
    : undefined;

  const items = fin(run.itemsPerStep);
  return {
    hardwareId: hw.id,
    hardwareName: hw.name,
    kind,
    stepSeconds: step,
    runSeconds,
    bound,
    shares,
    fits,
    devicesNeeded: fit.devicesNeeded,
    devicesUsed: plan.n,
    memoryBytes: fit.perDevice(plan.n),
    capacityBytes: fin(hw.memoryBytes),
    costUsd,
    energyJoules,
    mfu: Number.isFinite(mfu) ? mfu : 0,
    throughput: { value: step.mid > 0 ? items / step.mid : 0, unit: run.throughputUnit ?? 'samples/s' },
    computeDtype: main.dtype,
    peakFlops: main.flops,
    notes: [...notes],
  };
}

function orderBand(b: Band): void {
  const [low, mid, high] = [b.low, b.mid, b.high].map((x) => (Number.isFinite(x) && x > 0 ? x : 0)).sort((x, y) => x - y);
  b.low = low; b.mid = mid; b.high = high;
}

/** Parallel layout for `n` devices when `m` are needed to hold the step. */
function planDevices(ctx: Ctx, n: number, m: number, D: number, ops: readonly Op[]): Plan {
  if (n <= 1) return { n: 1, weightDiv: 1, launchDiv: 1, optimizerDiv: 1, tp: 1, pp: 1, strategy: 'single' };
  if (ctx.training) {
    if (m <= 1) return { n, weightDiv: 1, launchDiv: 1, optimizerDiv: 1, tp: 1, pp: 1, strategy: 'ddp' };
    // States sharded over all n (ZeRO-3/FSDP); pick the tensor-parallel degree inside a node that minimises
    // exposed communication (Megatron practice: TP inside NVLink, sharding/data parallel across nodes).
    let bestTp = 1;
    let bestT = Number.POSITIVE_INFINITY;
    for (let tp = 1; tp <= Math.min(D, n); tp *= 2) {
      const t = trainingComm(ctx, { n, weightDiv: tp, launchDiv: 1, optimizerDiv: n, tp, pp: 1, strategy: tp > 1 ? 'fsdp+tp' : 'fsdp' }, ops, 'mid', 0);
      if (t < bestT * 0.999) { bestT = t; bestTp = tp; }
    }
    return { n, weightDiv: bestTp, launchDiv: 1, optimizerDiv: n, tp: bestTp, pp: 1, strategy: bestTp > 1 ? 'fsdp+tp' : 'fsdp' };
  }
  if (m <= 1) return { n, weightDiv: 1, launchDiv: 1, optimizerDiv: 1, tp: 1, pp: 1, strategy: 'replicas' };
  const tp = Math.min(m, D);
  const pp = Math.ceil(m / D);
  return { n, weightDiv: m, launchDiv: pp, optimizerDiv: 1, tp, pp, strategy: pp > 1 ? 'tp+pp' : 'tp' };
}

function planNote(p: Plan): string {
  switch (p.strategy) {
    case 'ddp': return `${p.n} devices, data parallel (DDP): gradients ring-all-reduced each step, mostly hidden behind backward.`;
    case 'fsdp': return `${p.n} devices, fully sharded (ZeRO-3/FSDP): parameters all-gathered for forward and backward, gradients reduce-scattered.`;
    case 'fsdp+tp': return `${p.n} devices: tensor parallel ×${p.tp} inside a node, fully sharded (FSDP/ZeRO-3) across groups.`;
    case 'replicas': return `${p.n} independent replicas, each serving 1/${p.n} of the batch.`;
    case 'tp': return `Model split over ${p.tp} devices (tensor parallel)${p.n > p.tp ? `, ${Math.round(p.n / p.tp)} replicas` : ''}.`;
    case 'tp+pp': return `Model split over ${p.tp * p.pp} devices (tensor parallel ×${p.tp}, ${p.pp} pipeline stages)${p.n > p.tp * p.pp ? `, ${Math.round(p.n / (p.tp * p.pp))} replicas` : ''}.`;
    default: return '';
  }
}

/** Exposed gradient/parameter communication of a training step in one band. */
function trainingComm(ctx: Ctx, plan: Plan, ops: readonly Op[], band: BandKey, backwardSeconds: number, computeSeconds = backwardSeconds): number {
  const { w, hw } = ctx;
  const e = EFF_FOR[band];
  const n = plan.n;
  const trainable = fin(w.trainableParams);
  const gradBytes = fin(w.memory?.gradients) > 0 ? fin(w.memory.gradients) : trainable * 4;
  const f = COMM_OVERLAP[e];
  const exposed = (c: number, hide: number): number => Math.max(c - f * hide, (1 - f) * c);
  if (plan.strategy === 'ddp') {
    return exposed(allReduceSeconds(gradBytes, n, hw, e), backwardSeconds);
  }
  const D = nodeSize(hw);
  const group = n / plan.tp;
  const perNode = Math.max(1, Math.floor(D / plan.tp));
  const paramBytes = fin(w.params) * (DTYPE_BYTES[w.run.dtype] ?? 4);
  const gradShard = (w.run.dtype === 'fp32' ? gradBytes : Math.min(gradBytes, trainable * 2)) / plan.tp;
  const fsdp = 2 * collectiveSeconds('all-gather', paramBytes / plan.tp, group, hw, e, perNode)
    + collectiveSeconds('reduce-scatter', gradShard, group, hw, e, perNode);
  let tpT = 0;
  if (plan.tp > 1) {
    const replicas = n / plan.tp;
    for (const { bytes, count } of tpBuffers(ops)) tpT += 2 * count * allReduceSeconds(bytes / replicas, plan.tp, hw, e, plan.tp);
    // Sequence-parallel/async TP hides part of it at best.
    if (band === 'low') tpT *= 0.5;
  }
  return exposed(fsdp, computeSeconds) + tpT;
}

/** Exposed communication per step, per band. */
function communication(ctx: Ctx, plan: Plan, ops: readonly Op[], accs: Record<BandKey, Acc>): Band {
  const out: Band = { low: 0, mid: 0, high: 0 };
  if (plan.n <= 1) return out;
  for (const b of BANDS) {
    const a = accs[b];
    const computeT = a.compute + a.memory + a.overhead;
    if (ctx.training) {
      out[b] = trainingComm(ctx, plan, ops, b, a.backward, computeT);
    } else if (plan.tp > 1 || plan.pp > 1) {
      const e = EFF_FOR[b];
      const replicas = plan.n / (plan.tp * plan.pp);
      let t = 0;
      if (plan.tp > 1) for (const { bytes, count } of tpBuffers(ops)) t += count * allReduceSeconds(bytes / replicas / plan.pp, plan.tp, ctx.hw, e, plan.tp) / plan.pp;
      if (plan.pp > 1) {
        const passes = ops.reduce((mx, o) => Math.max(mx, fin(o.count)), 1);
        t += (plan.pp - 1) * passes * INTER_LATENCY_SECONDS / plan.pp;
      }
      out[b] = t;
    }
  }
  return out;
}

/** One-time setup per run: runtime context and weights copied to each device. */
function setupSeconds(ctx: Ctx, plan: Plan): Band {
  const { hw, w } = ctx;
  if (ctx.kind === 'cpu') return { low: 0, mid: 0, high: 0 };
  const base = hw.tier === 'apple-gpu' ? MPS_SETUP_SECONDS : GPU_SETUP_SECONDS;
  const weights = fin(w.memory?.weights) / plan.weightDiv;
  const out: Band = { ...base };
  if (hw.hostLinkBandwidth && hw.hostLinkBandwidth > 0 && weights > 0) {
    for (const b of BANDS) out[b] += weights / (hw.hostLinkBandwidth * LINK_EFFICIENCY.pcie[EFF_FOR[b]]);
  }
  return out;
}

/**
 * Projects `workload` onto each device in `hardware`: step and run time bands, bound, shares, memory fit, devices,
 * energy, cost, MFU and throughput per device, plus one verdict. Pure; never throws on odd input (non-finite or
 * negative numbers count as 0).
 */
export function project(workload: Workload, hardware: HardwareProfile[], opts: ProjectOptions = {}): { projections: Projection[]; verdict: Verdict } {
  const projections: Projection[] = [];
  for (const hw of Array.isArray(hardware) ? hardware : []) {
    if (!hw || !(hw.memoryBandwidth > 0)) continue;
    try {
      projections.push(projectDevice(workload, hw, opts));
    } catch {
      // A malformed workload must not take the analysis down; the device is left out.
    }
  }
  return { projections, verdict: verdictFor(workload, projections, opts) };
}

