/**
 * The projection engine: a costed Workload onto devices with a per-op roofline.
 *
 * Per op execution on one device:
 *   kernel = max(FLOPs ÷ (peak for the op's dtype × compute efficiency), bytes ÷ (bandwidth × memory efficiency))
 * with the efficiencies of `efficiency.ts` (by op class, size-adjusted; cache-resident activations at cache speed),
 * plus a per-op dispatch/launch overhead. GPUs dispatch asynchronously (the host runs ahead through the launch queue),
 * so a phase (forward + backward, the optimizer step) on a GPU takes max(Σ kernels, Σ dispatch) at the mid estimate;
 * CPUs run ops on the dispatching thread, so a CPU op costs kernel + dispatch. The band's high end adds
 * everything (no overlap of compute with memory traffic, nor of dispatch with kernels) at the pessimistic
 * efficiencies; its low end overlaps everything at the optimistic ones.
 *
 * Training adds, per op, the backward (its `backwardFlops`, 2× the forward bytes, two kernels for weight GEMMs,
 * dispatched by the C++ autograd engine at half the forward overhead), activation recomputation, and an optimizer
 * step that streams weights, gradients and states (foreach kernels on GPUs, a per-tensor loop on CPUs).
 * Then a host-side cost per model call, host→device input copies (overlapped when pinned), parallelism across
 * devices (data parallel, sharded, tensor/pipeline parallel) with its collectives, and one-time setup.
 *
 * Devices: by default the workload is ONE data-parallel rank's step (`RunSpec.batchScope` 'device', as in a DDP
 * script whose DataLoader batch is per process), so `devices` ranks do `devices` × the work and throughput counts
 * all of them. With `batchScope` 'global' the workload is the whole job's step, split across `devices`. When the
 * job's memory needs more devices than requested, the extra devices split the work further (sharded states,
 * tensor/pipeline parallel). Laptops, desktops, Apple GPUs and the measured machine stay one device and run all
 * ranks' work themselves.
 *
 * Runtimes (`RunSpec.runtime` or `opts.runtime`): compiled and graph runtimes fuse vector ops (half their bytes and
 * about a third of their launches), run an elementwise op that follows a matrix op as its epilogue (free), and fold
 * inference BatchNorm into the convolution before it; graph runtimes also cut the GPU dispatch to ≈2.5 µs per kernel.
 *
 * Shares: a pipeline bubble counts as overhead (devices idle, waiting); exposed collectives as communication.
 */
import type { Band, Bound, Dtype, Op, OpClass, Projection, Verdict, Workload } from '../types';
import { evaluationSteps } from './periodic';
import { DTYPE_BYTES } from '../types';
import type { HardwareProfile } from '../hardware/types';
import {
  CACHE_SPEEDUP, CALL_OVERHEAD_SECONDS, COMM_OVERLAP, DEFAULT_LAUNCH_SECONDS, EFFICIENCY, eagerGpuOpSeconds, FUSABLE, LAUNCH_BAND, cpuParallelEfficiency,
  LINK_EFFICIENCY, PIPELINE_VIRTUAL_STAGES, RAMP_SECONDS, RUNTIME_EFFECTS, sizedTime, type Range, type Runtime,
} from './efficiency';
import { resolvePeak, type ResolvedPeak } from './peaks';
import { horizontalSiblings } from './fusion';
import { elementFamily, elementSeconds, matrixScale, matrixScaleAt } from './cpuKernels';
import { cudaCoreScale } from './cudaCores';
import { matrixUnitScale } from './matrixUnit';
import { alignmentKey, alignmentNote, alignmentScale } from './gemmAlignment';
import { pipelineText, transformSeconds } from './inputPipeline';
import { allReduceSeconds, collectiveSeconds, INTER_LATENCY_SECONDS, nodeSize } from './comm';
import { contextBytes, fitMemory, MAX_DEVICES, stepPeakBytes, usableBytes } from './memory';
import { formatBytes, formatFlopRate, formatPercent, formatSeconds } from '../format';
import { verdictFor, type UserCpu } from './verdict';
import { getHardware } from '../hardware/catalog';
import type { ProjectOptions } from './options';

export type { ProjectOptions } from './options';

// Local aliases: imported bindings are live getters in some module loaders, and these sit in hot loops.
const LAUNCH = LAUNCH_BAND;
const FUSE = FUSABLE;
const CALL_OVERHEAD = CALL_OVERHEAD_SECONDS;
const OVERLAP = COMM_OVERLAP;
const LINK = LINK_EFFICIENCY;
const timeOf = sizedTime;

type BandKey = keyof Band;
const BANDS: readonly BandKey[] = ['low', 'mid', 'high'];
/** The efficiency end used for each time band: a low time needs high efficiency. */
const EFF_FOR: Record<BandKey, keyof Range> = { low: 'high', mid: 'mid', high: 'low' };

/** Process start-up on any device, s (see `setupSeconds`). */
const STARTUP_SECONDS: Band = { low: 1, mid: 1.5, high: 3 };
const GPU_CONTEXT_SECONDS: Band = { low: 0.5, mid: 1, high: 2 };
const MPS_CONTEXT_SECONDS: Band = { low: 0.2, mid: 0.3, high: 0.6 };
/** Weights read from disk, bytes/s, by efficiency end (`high` = fast): SATA/network FS – NVMe – warm page cache. */
const DISK_BYTES_PER_SECOND: Range = { low: 0.5e9, mid: 2e9, high: 5e9 };

const fin = (x: unknown): number => (typeof x === 'number' && Number.isFinite(x) && x > 0 ? x : 0);
const clampEff = (x: number): number => Math.min(0.98, Math.max(0.005, x));
const isMatrix = (c: OpClass): boolean => c === 'gemm' || c === 'conv' || c === 'attention' || c === 'rnn';

/** Totals of one band, seconds per step on one device. */
interface Acc {
  compute: number;
  memory: number;
  overhead: number;
  /** Forward time (for recomputation). */
  forward: number;
  backward: number;
  /** GPU dispatch issued asynchronously, not yet set against the kernels it feeds (see `foldHost`). */
  host: number;
}
const acc0 = (): Acc => ({ compute: 0, memory: 0, overhead: 0, forward: 0, backward: 0, host: 0 });
/**
 * Asynchronous GPU dispatch: the host runs ahead of the GPU (the launch queue holds ≈1,000 kernels), so a phase takes
 * the longer of its kernels' total and its dispatch total; the GPU waits on the host (overhead) only for the excess.
 */
function foldHost(a: Acc): void {
  a.overhead += Math.max(0, a.host - a.compute - a.memory);
  a.host = 0;
}
const accTotal = (a: Acc): number => a.compute + a.memory + a.overhead;
const addAcc = (a: Acc, b: Acc): void => { a.compute += b.compute; a.memory += b.memory; a.overhead += b.overhead; a.forward += b.forward; a.backward += b.backward; a.host += b.host; };

/** How the step is laid out over devices. */
export interface Plan {
  /** Devices used. */
  n: number;
  /** Tensor-parallel degree (inside a node). */
  tp: number;
  /** Pipeline stages. */
  pp: number;
  /** Data-parallel groups (n / (tp·pp)). */
  dp: number;
  /** Training states sharded over all devices (ZeRO-3/FSDP) rather than replicated (DDP). */
  sharded: boolean;
  /** Pipeline bubble fraction of the step (training only). */
  bubble: number;
  /** Sharded training: parameter all-gathers per step (1 when weights and gradients fit on the model-parallel shard,
   * distributed-optimizer/ZeRO-1 style; 2 when everything is re-sharded after forward, ZeRO-3/FSDP). */
  gathers?: number;
  /** Sharded training: the plan's own bytes per device (states, in-flight activations, runtime context). */
  planBytes?: number;
  strategy: 'single' | 'ddp' | 'fsdp' | 'fsdp+tp' | 'fsdp+tp+pp' | 'replicas' | 'tp' | 'tp+pp';
}

interface Ctx {
  w: Workload;
  /** Data-parallel ranks whose work the job does: `devices` for a per-device step, 1 for a global one. */
  ranks: number;
  hw: HardwareProfile;
  kind: 'cpu' | 'gpu';
  training: boolean;
  allowTf32: boolean;
  effC: number;
  effM: number;
  launchBase: number;
  runtime: Runtime;
  /** Per-device cache capacity usable for reuse (half the LLC), bytes. */
  cacheRoom: number;
  /** True when the model's per-device weights stay cache-resident. */
  weightsInCache: boolean;
  notes: Set<string>;
  /** Per-workload facts shared by every device (computed once in `project`). */
  shared: Shared;
  /** The efficiency table, ramps and cache speed-up of this device kind (looked up once). */
  table: Record<OpClass, (typeof EFFICIENCY)['gpu'][OpClass]>;
  ramp: { matrix: number; vector: number };
  cacheSpeedup: number;
  /** Matrix-class efficiency scale of the device's core (cpuKernels.ts: 2 × 512-bit FMA CPUs; else 1). */
  matrixScale: number;
}

/** Facts about the workload that do not depend on the device. */
interface Shared {
  ops: Op[];
  tpBuffers: { bytes: number; count: number }[];
  calls: number;
  layers: number;
  byName: Map<string, number>;
  /**
   * Per op, a number shared by every op whose roofline inputs are equal (class, dtype, FLOPs, weight and activation
   * bytes, phase): a model's repeated layers are costed once per device, not once per op.
   */
  costKey: number[];
  /** Per op, the input bytes it shares with the GEMM before it when graph runtimes fuse the two (fusion.ts), else 0. */
  siblingInput: Float64Array;
}

function costKeys(ops: readonly Op[], byName: ReadonlyMap<string, number>): number[] {
  const ids = new Map<string, number>();
  return ops.map((o) => {
    const k = `${o.opClass}|${o.dtype}|${fin(o.forwardFlops)}|${fin(o.backwardFlops)}|${weightBytesOf(o, byName)}|${fin(o.bytesRead) + fin(o.bytesWritten)}|${o.phase}|${/batch_?norm/i.test(o.kind) ? 1 : 0}|${elementFamily(o.kind ?? '')}|${alignmentKey(o)}`;
    let id = ids.get(k);
    if (id === undefined) { id = ids.size; ids.set(k, id); }
    return id;
  });
}

/** One op's per-call roofline in one band: forward and backward time, and what it adds to each bucket. */
interface OpCost { tf: number; tb: number; compute: number; memory: number; overhead: number; host: number }

/**
 * Parameters behind each module path. `Op.params` is counted on a module's first call only; repeated calls (decode
 * tokens, shared blocks) still read the same weights, so weights are looked up by the op's module path.
 */
function paramsByName(ops: readonly Op[]): Map<string, number> {
  const m = new Map<string, number>();
  for (const o of ops) if (fin(o.params) > 0 && o.name) m.set(o.name, Math.max(m.get(o.name) ?? 0, fin(o.params)));
  return m;
}

/** Bytes of an op's weights per call (at most its `bytesRead`). */
function weightBytesOf(op: Op, byName: ReadonlyMap<string, number>): number {
  const p = fin(op.params) || (byName.get(op.name) ?? 0);
  if (p === 0) return 0;
  return Math.min(fin(op.bytesRead), p * (DTYPE_BYTES[op.dtype] ?? 4));
}

interface KernelWork {
  opClass: OpClass;
  peak: ResolvedPeak;
  flops: number;
  /** Weight bytes and activation bytes moved by all `kernels` together. */
  weightBytes: number;
  actBytes: number;
  kernels: number;
  launchScale: number;
  /** Multiplies the per-kernel ramp (0 for a GEMM fused into its sibling's kernel). */
  rampScale?: number;
  /** CPU vector ops: per-element instruction time of all `kernels` (cpuKernels.ts); the op takes at least this. */
  elemSeconds?: number;
  /** Multiplies the compute efficiency (tensor-core GEMMs with unaligned dimensions, gemmAlignment.ts). */
  effScale?: number;
}

/**
 * Time of a group of kernels with dispatch in one band, added `scale` times to `acc`; returns the time of one
 * execution. Writes into the accumulator rather than returning objects: this runs ops × bands × devices times.
 */
function kernelInto(ctx: Ctx, k: KernelWork, band: BandKey, acc: Acc, scale: number): number {
  if (k.kernels <= 0) return 0;
  const table = ctx.table[k.opClass] ?? ctx.table.elementwise;
  const e = EFF_FOR[band];
  const ec = clampEff(table.compute[e] * ctx.effC * (table.matrix ? matrixScaleAt(ctx.matrixScale, ctx.hw, k.peak.flops) * cudaCoreScale(ctx.hw, k.opClass, k.peak.flops) * matrixUnitScale(ctx.hw, k.peak, ctx.runtime) * (k.effScale ?? 1) : 1));
  const em = clampEff(table.memory[e] * ctx.effM);
  const speedup = ctx.cacheSpeedup;
  const actEq = ctx.cacheRoom > 0 && k.actBytes / k.kernels <= ctx.cacheRoom ? k.actBytes / speedup : k.actBytes;
  const bytes = actEq + (ctx.weightsInCache ? k.weightBytes / speedup : k.weightBytes);
  // The ramp is the small-kernel part of the same efficiency: it takes the band of its class efficiency.
  const rs = k.rampScale ?? 1;
  const rc = rs * table.compute.mid / table.compute[e];
  const rm = rs * table.memory.mid / table.memory[e];
  const tf = k.flops > 0 ? k.kernels * timeOf(k.flops / k.kernels, k.peak.flops, ec, rc * (table.matrix ? ctx.ramp.matrix : ctx.ramp.vector)) : 0;
  // Per-element instruction time (measured at the class's mid efficiency) takes the band of its class efficiency.
  const te = k.elemSeconds ? (k.elemSeconds * table.compute.mid) / (table.compute[e] * ctx.effC) : 0;
  const tc = te > tf ? te : tf;
  const tm = bytes > 0 ? k.kernels * timeOf(bytes / k.kernels, ctx.hw.memoryBandwidth, em, rm * ctx.ramp.vector) : 0;
  const launch = k.kernels * ctx.launchBase * k.launchScale * LAUNCH[e];
  const kernel = band === 'high' ? tc + tm : tc > tm ? tc : tm;
  if (ctx.kind === 'gpu' && band !== 'high') {
    // Asynchronous dispatch: queued against the kernels of the phase (foldHost); one op alone takes the longer of the two.
    acc.host += launch * scale;
    if (tc >= tm) acc.compute += kernel * scale; else acc.memory += kernel * scale;
    return launch > kernel ? launch : kernel;
  }
  if (tc >= tm) acc.compute += kernel * scale; else acc.memory += kernel * scale;
  acc.overhead += launch * scale;
  return kernel + launch;
}

/**
 * Buffers of the tensor-parallel all-reduces of one forward: each norm's activation stands in for one all-reduce
 * (a transformer layer has two norms and two all-reduces, Korthikanti et al. §4.2.2). Without norms, half of the
 * weight GEMMs end in an all-reduce of their output (row-parallel layers).
 */
function tpBuffers(ops: readonly Op[]): { bytes: number; count: number }[] {
  const norms = ops.filter((o) => o.opClass === 'norm' && o.phase !== 'optimizer');
  if (norms.length > 0) return norms.map((o) => ({ bytes: fin(o.bytesWritten), count: fin(o.count) }));
  return ops.filter((o) => o.opClass === 'gemm' && fin(o.params) > 0).map((o) => ({ bytes: fin(o.bytesWritten), count: fin(o.count) / 2 }));
}

/** Layers, estimated as half the norm ops (at least 1): the upper bound on pipeline stages. */
function layerCount(ops: readonly Op[]): number {
  return Math.max(1, Math.floor(ops.filter((o) => o.opClass === 'norm').length / 2));
}

/** Model calls (forward passes) per step: the largest op count (micro-batches, decode tokens). */
function callsPerStep(ops: readonly Op[]): number {
  let calls = 0;
  const byPhase = new Map<string, number>();
  for (const o of ops) byPhase.set(o.phase, Math.max(byPhase.get(o.phase) ?? 0, fin(o.count)));
  for (const [phase, c] of byPhase) if (phase !== 'optimizer') calls += c;
  return Math.max(1, calls);
}

/** Exposed communication of a training step (mid band unless given), for a plan. */
function trainingComm(ctx: Ctx, plan: Plan, ops: readonly Op[], band: BandKey, backwardSeconds: number, computeSeconds: number): number {
  const { w, hw } = ctx;
  const e = EFF_FOR[band];
  const trainable = fin(w.trainableParams);
  const gradBytes = fin(w.memory?.gradients) > 0 ? fin(w.memory.gradients) : trainable * 4;
  const f = OVERLAP[e];
  const exposed = (c: number, hide: number): number => Math.max(c - f * hide, (1 - f) * c);
  if (!plan.sharded) return exposed(allReduceSeconds(gradBytes, plan.n, hw, e), backwardSeconds);
  const D = nodeSize(hw);
  const mp = plan.tp * plan.pp;
  const perNode = Math.max(1, Math.floor(D / plan.tp));
  const paramBytes = fin(w.params) * (DTYPE_BYTES[w.run.dtype] ?? 4) / mp;
  const gradShard = (w.run.dtype === 'fp32' ? gradBytes : Math.min(gradBytes, trainable * 2)) / mp;
  // All-gather parameters (for forward, and again for backward when re-sharded after forward), reduce-scatter
  // gradients, over the dp group.
  const fsdp = (plan.gathers ?? 2) * collectiveSeconds('all-gather', paramBytes, plan.dp, hw, e, perNode) + collectiveSeconds('reduce-scatter', gradShard, plan.dp, hw, e, perNode);
  let tpT = 0;
  if (plan.tp > 1) {
    // Forward and backward each all-reduce every layer's activations (2 per layer each way), inside a node.
    // Each pipeline stage holds 1/pp of the layers; each data-parallel group 1/dp of the batch.
    for (const { bytes, count } of ctx.shared.tpBuffers) tpT += 2 * count * allReduceSeconds(ctx.ranks * bytes / plan.dp, plan.tp, hw, e, plan.tp) / plan.pp;
    if (band === 'low') tpT *= 0.5; // sequence-parallel / async TP hides part of it at best
  }
  let ppT = 0;
  if (plan.pp > 1) ppT = 2 * (plan.pp - 1) * INTER_LATENCY_SECONDS * ctx.shared.calls;
  return exposed(fsdp, computeSeconds) + tpT + ppT;
}

/**
 * Pipeline bubble for `pp` stages when each pipeline gets `samples` samples per step (one-sample micro-batches),
 * with interleaved virtual stages only as far as the `layers` allow (each virtual stage holds whole layers), and the
 * imbalance of whole layers per stage counted as idle time too.
 */
function bubbleFraction(pp: number, samples: number, layers = Number.POSITIVE_INFINITY): number {
  if (pp <= 1) return 0;
  const m = Math.max(1, Math.floor(samples));
  const v = Math.max(1, Math.min(PIPELINE_VIRTUAL_STAGES, Math.floor(layers / pp)));
  const bubble = (pp - 1) / (v * m + pp - 1);
  const imbalance = Number.isFinite(layers) && layers >= pp ? 1 - layers / (Math.ceil(layers / (pp * v)) * pp * v) : 0;
  return 1 - (1 - bubble) * (1 - Math.max(0, imbalance));
}

/** Rough per-device compute seconds of a training step (for choosing a plan): FLOPs at the mid class efficiency. */
function roughComputeSeconds(ctx: Ctx, ops: readonly Op[], n: number): number {
  let t = 0;
  for (const o of ops) {
    const cls: OpClass = ctx.table[o.opClass] ? o.opClass : 'elementwise';
    const peak = resolvePeak(ctx.hw, o.dtype, cls, ctx.allowTf32);
    const eff = ctx.table[cls].compute.mid;
    const flops = (fin(o.forwardFlops) + (ctx.training ? fin(o.backwardFlops) : 0)) * fin(o.count);
    t += ctx.ranks * flops / (n * peak.flops * eff);
  }
  return t;
}

/** Lays the step out over `n` devices. */
function planDevices(ctx: Ctx, n: number, ops: readonly Op[]): Plan {
  const { w, hw } = ctx;
  const single: Plan = { n: 1, tp: 1, pp: 1, dp: 1, sharded: false, bubble: 0, strategy: 'single' };
  if (n <= 1) return single;
  const D = nodeSize(hw);
  const m = w.memory ?? ({} as Workload['memory']);
  const { states, fixed, batchPart } = stepBytes(ctx);
  const room = usableBytes(hw) - fixed - batchPart / n;
  // Fewest devices the non-batch memory must be split over, once the batch is split n ways.
  const modelSplit = states <= 0 ? 1 : room > 0 ? Math.max(1, Math.ceil(states / room - 1e-9)) : n;
  const samples = Math.max(1, ctx.ranks * fin(w.run.batch) * Math.max(1, fin(w.run.microBatches)));
  if (ctx.training) {
    if (modelSplit <= 1) return { n, tp: 1, pp: 1, dp: n, sharded: false, bubble: 0, strategy: 'ddp' };
    // States sharded over all n (ZeRO-3/FSDP). Pick the tensor-parallel degree inside a node and the pipeline depth
    // that minimise compute ÷ (1 − bubble) + exposed communication (Megatron practice: TP inside NVLink, PP and
    // sharded data parallel across nodes).
    // Each candidate is checked for memory per device: weights and accumulated gradients split over tp·pp and
    // optimizer states over all n (gathered once per step when that fits, ZeRO-1/distributed-optimizer style; else
    // everything sharded over all n and re-sharded after forward, gathered twice, ZeRO-3), and the activations a one-forward-one-backward pipeline keeps in
    // flight (min(pp, micro-batches) of them for its 1/pp of the layers, split over tp). Every data-parallel group
    // needs at least one sample. Among the plans within 2% of the fastest (closer than the model can tell), the one with the
    // fewest model-parallel devices and pipeline stages is taken, as Megatron practice advises (Narayanan et al.
    // 2021: tensor parallel inside a node, pipeline stages only as many as memory needs, data parallel for the rest).
    const compute = roughComputeSeconds(ctx, ops, n);
    const layers = ctx.shared.layers;
    const usable = usableBytes(hw);
    const perSample = batchPart / samples;
    type Cand = { plan: Plan; t: number };
    const cands: Cand[] = [];
    for (let tp = 1; tp <= Math.min(D, n); tp *= 2) {
      for (let pp = 1; tp * pp <= n && pp <= layers; pp *= 2) {
        const dp = n / (tp * pp);
        if (dp > samples && tp * pp < n) continue;
        const mb = Math.max(1, samples / dp);
        const activations = perSample * Math.min(pp, mb) / (pp * tp);
        // Kept whole on the model-parallel shard: weights, and the gradients accumulated over the micro-batches
        // before they are reduce-scattered; optimizer states sharded over all n.
        const keep = fixed + (fin(m.weights) + fin(m.gradients)) / (tp * pp) + fin(m.optimizer) / n + activations;
        const reshard = fixed + states / n + activations;
        const gathers = keep <= usable ? 1 : 2;
        const planBytes = gathers === 1 ? keep : reshard;
        if (planBytes > usable) continue;
        const bubble = bubbleFraction(pp, mb, layers);
        const plan: Plan = { n, tp, pp, dp, sharded: true, bubble, gathers, planBytes, strategy: pp > 1 ? 'fsdp+tp+pp' : tp > 1 ? 'fsdp+tp' : 'fsdp' };
        cands.push({ plan, t: compute / (1 - bubble) + trainingComm(ctx, plan, ops, 'mid', compute * 2 / 3, compute) });
      }
    }
    if (cands.length === 0) return { n, tp: 1, pp: 1, dp: n, sharded: true, bubble: 0, strategy: 'fsdp' };
    const bestT = cands.reduce((b, c) => Math.min(b, c.t), Number.POSITIVE_INFINITY);
    let best: Cand | undefined;
    for (const c of cands) {
      if (c.t > bestT * 1.02) continue;
      const size = (x: Plan): number => x.tp * x.pp * 1e3 + x.pp;
      if (!best || size(c.plan) < size(best.plan)) best = c;
    }
    return (best as Cand).plan;
  }
  if (modelSplit <= 1) return { n, tp: 1, pp: 1, dp: n, sharded: false, bubble: 0, strategy: 'replicas' };
  const split = Math.min(modelSplit, n);
  const tp = Math.min(split, D);
  const pp = Math.ceil(split / D);
  return { n, tp, pp, dp: n / (tp * pp), sharded: false, bubble: 0, strategy: pp > 1 ? 'tp+pp' : 'tp' };
}

/** How a sharded plan holds its states, and its bytes per device. */
function shardText(p: Plan): string {
  const how = p.gathers === 1
    ? 'optimizer states sharded over all devices, weights and gradients split over the model-parallel group, weights gathered once per step (distributed optimizer, ZeRO-1)'
    : 'states sharded (FSDP/ZeRO-3)';
  return p.planBytes !== undefined ? `${how}; ≈ ${formatBytes(p.planBytes)} per device, plan chosen to fit memory` : how;
}

/**
 * Bytes per device under the chosen plan: a data-parallel replica holds the whole model and its share of the batch;
 * a model-parallel one 1/(tp·pp) of the states; a sharded plan what its layout keeps (else everything split n ways).
 */
function planMemoryBytes(ctx: Ctx, p: Plan, shardedBytes: number): number {
  if (p.n <= 1 || p.sharded) return p.planBytes ?? shardedBytes;
  const { states, fixed, batchPart } = stepBytes(ctx);
  return fixed + states / (p.tp * p.pp) + batchPart / p.n;
}

/**
 * A step's memory in the three parts a device plan splits differently: model states (weights, and when training
 * gradients and optimizer state), what every device holds whatever the plan (runtime overhead and context), and the
 * batch's share of the peak for all ranks.
 */
function stepBytes(ctx: Ctx): { states: number; fixed: number; batchPart: number } {
  const m = ctx.w.memory ?? ({} as Workload['memory']);
  const states = fin(m.weights) + (ctx.training ? fin(m.gradients) + fin(m.optimizer) : 0);
  const fixed = fin(m.overhead) + contextBytes(ctx.hw);
  return { states, fixed, batchPart: ctx.ranks * Math.max(0, stepPeakBytes(m) - fin(m.overhead) - states) };
}

/** How the devices a step did not fit on are used, in the words of the "does not fit" note (the plan note says more). */
function notFitLayout(p: Plan, recomputed: boolean): string {
  const rec = recomputed ? ', activations recomputed' : '';
  if (p.sharded) return ` with states sharded ZeRO-3/FSDP-style and activations split${recomputed ? ' and recomputed' : ''}`;
  if (p.strategy === 'ddp' || p.strategy === 'replicas') return ` with the batch split between them, each holding the whole model${rec}`;
  if (p.strategy === 'tp' || p.strategy === 'tp+pp') return ` with the model split between them${rec}`;
  return rec;
}

function planNote(p: Plan): string {
  const replicas = p.dp > 1.01 ? `, ${Math.round(p.dp)} data-parallel groups` : '';
  switch (p.strategy) {
    case 'ddp': return `${p.n} devices, data parallel (DDP): gradients ring-all-reduced each step, mostly hidden behind backward.`;
    case 'fsdp': return `${p.n} devices, fully sharded (ZeRO-3/FSDP): parameters all-gathered for forward and backward, gradients reduce-scattered.`;
    case 'fsdp+tp': return `${p.n} devices: tensor parallel ×${p.tp} inside a node${replicas}, ${shardText(p)}.`;
    case 'fsdp+tp+pp': return `${p.n} devices: tensor parallel ×${p.tp} inside a node, ${p.pp} pipeline stages (bubble ${formatPercent(p.bubble)})${replicas}, ${shardText(p)}.`;
    case 'replicas': return `${p.n} independent replicas, each serving 1/${p.n} of the batch.`;
    case 'tp': return `Model split over ${p.tp} devices (tensor parallel)${replicas}.`;
    case 'tp+pp': return `Model split over ${p.tp * p.pp} devices (tensor parallel ×${p.tp}, ${p.pp} pipeline stages)${replicas}.`;
    default: return '';
  }
}

/** Exposed communication per step, per band. */
function communication(ctx: Ctx, plan: Plan, ops: readonly Op[], accs: Record<BandKey, Acc>): Band {
  const out: Band = { low: 0, mid: 0, high: 0 };
  if (plan.n <= 1) return out;
  for (const b of BANDS) {
    const a = accs[b];
    if (ctx.training) {
      out[b] = trainingComm(ctx, plan, ops, b, a.backward, accTotal(a));
    } else if (plan.tp > 1 || plan.pp > 1) {
      const e = EFF_FOR[b];
      let t = 0;
      // One all-reduce per norm per forward, over the TP group; each stage holds 1/pp of the layers.
      if (plan.tp > 1) for (const { bytes, count } of ctx.shared.tpBuffers) t += count * allReduceSeconds(ctx.ranks * bytes / plan.dp, plan.tp, ctx.hw, e, plan.tp) / plan.pp;
      if (plan.pp > 1) t += (plan.pp - 1) * ctx.shared.calls * INTER_LATENCY_SECONDS;
      out[b] = t;
    }
  }
  return out;
}

/**
 * One-time setup per run, on every device alike (times, s):
 * - process start-up: Python, `import torch` and the script's libraries, 1–3 s (1.5 s mid);
 * - a GPU runtime context (CUDA/ROCm init, cuBLAS/cuDNN handles) 0.5–2 s; Apple MPS 0.2–0.6 s;
 * - a trained model's weights read from disk (inference, or fine-tuning a loaded model): 2 GB/s mid (NVMe, cold page
 *   cache), 5 GB/s at best (warm cache), 0.5 GB/s at worst (SATA SSD or a network file system); each model-parallel
 *   rank reads its shard, data-parallel replicas read in parallel;
 * - on a discrete GPU, those weights copied host→device over PCIe.
 */
function setupSeconds(ctx: Ctx, plan: Plan, storedWeights: number): { total: Band; parts: { startup: number; disk: number; toDevice: number; diskBytes: number } } {
  const { hw, w } = ctx;
  const weights = fin(w.memory?.weights) / (plan.tp * plan.pp);
  const out: Band = { ...STARTUP_SECONDS };
  const context = ctx.kind === 'cpu' ? undefined : hw.tier === 'apple-gpu' ? MPS_CONTEXT_SECONDS : GPU_CONTEXT_SECONDS;
  const diskBytes = loadsWeights(w) ? storedWeights / (plan.tp * plan.pp) : 0;
  let toDevice = 0;
  for (const b of BANDS) {
    if (context) out[b] += context[b];
    if (diskBytes > 0) out[b] += diskBytes / DISK_BYTES_PER_SECOND[EFF_FOR[b]];
    if (ctx.kind === 'gpu' && hw.hostLinkBandwidth && hw.hostLinkBandwidth > 0 && weights > 0) {
      const t = weights / (hw.hostLinkBandwidth * LINK.pcie[EFF_FOR[b]]);
      out[b] += t;
      if (b === 'mid') toDevice = t;
    }
  }
  const disk = diskBytes / DISK_BYTES_PER_SECOND.mid;
  return { total: out, parts: { startup: STARTUP_SECONDS.mid + (context?.mid ?? 0), disk, toDevice, diskBytes } };
}

/**
 * Host CPU seconds to decode and augment one image, by time band: a fixed part (indexing, PIL conversion, collate,
 * worker IPC, Python per transform) plus a part per element of the sample tensor (C·H·W: decode, crop/flip,
 * ToTensor, Normalize). Set so that torchvision's CIFAR-10 pipeline (RandomCrop + flip + ToTensor + Normalize,
 * 3·32·32) costs ≈ 0.37 ms per image per worker (≈ 2,700 images/s per worker, the usual figure for PIL transforms)
 * and ImageNet JPEG decode + RandomResizedCrop(224) ≈ 6 ms (≈ 160 images/s per core); u: typical values, not
 * measured here; the band is ×0.5–×2.
 */
const IMAGE_FIXED_SECONDS: Band = { low: 120e-6, mid: 250e-6, high: 500e-6 };
const IMAGE_PER_ELEMENT_SECONDS: Band = { low: 20e-9, mid: 40e-9, high: 80e-9 };

/**
 * Host-side data loading per step on one device, for image batches fed by a torch DataLoader (`loaderWorkers` set):
 * samples × per-image cost ÷ workers (at least one process; on a CPU device at most its cores). `share` is the
 * fraction of the job's samples this device's process loads. Undefined when no DataLoader feeds images.
 */
function dataLoadSeconds(ctx: Ctx, share: number): { seconds: Band; perSample: Band; samples: number; how: string } | undefined {
  const run = ctx.w.run;
  if (run.loaderWorkers === undefined || run.throughputUnit !== 'images/s') return undefined;
  const perStep = fin(run.batch) * Math.max(1, fin(run.microBatches));
  const bytes = fin(run.inputBytesPerStep);
  if (perStep <= 0 || bytes <= 0) return undefined;
  const elements = bytes / perStep / 4; // float32 tensors after ToTensor
  const samples = perStep * share;
  const workers = Math.max(1, fin(run.loaderWorkers));
  const parallel = ctx.kind === 'cpu' && fin(ctx.hw.cores) > 0 ? Math.min(workers, fin(ctx.hw.cores)) : workers;
  // The script's own transform list when the analysis saw it (measured per-transform costs), else the generic cost.
  const listed = transformSeconds(run, elements);
  const perSample: Band = { low: 0, mid: 0, high: 0 };
  const seconds: Band = { low: 0, mid: 0, high: 0 };
  for (const b of BANDS) {
    perSample[b] = listed ? listed.perSample[b] : IMAGE_FIXED_SECONDS[b] + elements * IMAGE_PER_ELEMENT_SECONDS[b];
    seconds[b] = samples * perSample[b] / parallel;
  }
  const how = listed
    ? `${pipelineText(run)}, measured per transform, ×0.5–×2${listed.unmeasured.length ? `; ${listed.unmeasured.map((k) => (k === '?' ? 'a custom transform' : k)).join(', ')} not measured, costed like ColorJitter` : ''}`
    : '0.25 ms + 40 ns per input element, ×0.5–×2; the transforms are not visible';
  return { seconds, perSample, samples, how };
}

/** True when the run starts from trained weights on disk: inference, or training fewer parameters than the model has. */
function loadsWeights(w: Workload): boolean {
  const params = fin(w.params);
  return w.run.mode === 'infer' ? params > 0 || fin(w.memory?.weights) > 0 : params > 0 && fin(w.trainableParams) < 0.99 * params;
}

/** A projection whose times or costs overflow float64 (a workload of 1e300 FLOPs, 1e300 steps): left out, said. */
class OutOfRange extends Error {}

/** Throws OutOfRange when any figure of `b` is not a finite number (never masked as 0 s). */
function finiteBand(b: Band, what: string): void {
  for (const k of BANDS) if (!Number.isFinite(b[k])) throw new OutOfRange(`${what} would be ${b[k]}`);
}

function orderBand(b: Band): void {
  const [low, mid, high] = [b.low, b.mid, b.high].map((x) => (Number.isFinite(x) && x > 0 ? x : 0)).sort((x, y) => x - y);
  b.low = low; b.mid = mid; b.high = high;
}

/**
 * The workload with full activation recomputation of `share` of its layers (Megatron's `--recompute-num-layers`),
 * when it is a training step that recomputes nothing yet and has layers to checkpoint: a recomputed layer keeps only
 * its input (half the norms' outputs, as a transformer layer has two norms) and one layer is rematerialised at a time
 * (Korthikanti et al. 2022: 2·s·b·h per layer); the backward re-runs those layers' forward (`recomputeFlops`;
 * hardware FLOPs ≈ 8·N·D instead of 6·N·D when every layer is). Undefined when it does not apply.
 */
function withFullRecompute(w: Workload, shared: Shared, share = 1): { w: Workload } | undefined {
  if (w.run.mode !== 'train' || (w.run.recompute && w.run.recompute !== 'none') || fin(w.recomputeFlops) > 0) return undefined;
  const acts = fin(w.memory?.activations);
  if (acts <= 0 || shared.layers < 2) return undefined;
  const perCall = (o: Op): number => fin(o.count) / shared.calls;
  const norms = shared.ops.filter((o) => o.opClass === 'norm' && o.phase !== 'optimizer');
  const layerInputs = norms.reduce((s, o) => s + fin(o.bytesWritten) * perCall(o), 0) / 2;
  const full = Math.min(acts, layerInputs + acts / shared.layers);
  if (!(full < acts * 0.9)) return undefined;
  const f = Math.min(1, Math.max(0, share));
  const kept = Math.min(acts, (1 - f) * acts + f * layerInputs + acts / shared.layers);
  const fwd = f * shared.ops.reduce((s, o) => s + (o.opClass === 'optimizer' || o.phase === 'optimizer' ? 0 : fin(o.forwardFlops) * fin(o.count)), 0);
  const peak = fin(w.memory.peakBytes);
  const memory = { ...w.memory, activations: kept, peakBytes: peak > 0 ? Math.max(0, peak - (acts - kept)) : 0 };
  return { w: { ...w, memory, recomputeFlops: fwd, run: { ...w.run, recompute: 'full' } } };
}

/**
 * Inference whose weight matrix ops run in a narrower dtype than the weights are stored in (fp8/int8/int4 GEMMs on
 * bf16 weights, e.g. `dtype=fp8`): the runtime holds those weights at the width its GEMMs consume (vLLM,
 * TensorRT-LLM and torchao quantize at load), so device memory shrinks by that ratio (fp8/int8 1 B/param, int4
 * 0.5 B); the checkpoint read from disk keeps its size. Training keeps higher-precision master weights (Transformer
 * Engine, torchao float8), so its states are unchanged. KV-cache bytes already follow the dtype in the analysis.
 */
function withNarrowWeights(w: Workload, shared: Shared, eagerGpu: boolean): { w: Workload; dtype: Dtype } | undefined {
  if (w.run.mode === 'train') return undefined;
  const params = fin(w.params);
  const stored = fin(w.memory?.weights);
  if (params <= 0 || stored <= 0) return undefined;
  // Eager autocast keeps fp32 weights and casts them per call (costed with the ops), it does not hold 16-bit copies.
  const autocast = eagerGpu && autocastsWeights(w);
  let matrixParams = 0;
  let narrowBytes = 0;
  let dtype: Dtype | undefined;
  for (const o of shared.ops) {
    if (!(fin(o.params) > 0) || !isMatrix(o.opClass)) continue;
    matrixParams += fin(o.params);
    if (autocast && DTYPE_BYTES[o.dtype] === 2) { narrowBytes += fin(o.params) * stored / params; continue; }
    narrowBytes += fin(o.params) * (DTYPE_BYTES[o.dtype] ?? 4);
    if (!dtype || (DTYPE_BYTES[o.dtype] ?? 4) < DTYPE_BYTES[dtype]) dtype = o.dtype;
  }
  const matrixStored = Math.min(stored, matrixParams * stored / params);
  if (!dtype || !(narrowBytes < 0.95 * matrixStored)) return undefined;
  const weights = stored - matrixStored + narrowBytes;
  const peak = fin(w.memory.peakBytes);
  return { w: { ...w, memory: { ...w.memory, weights, peakBytes: peak > 0 ? Math.max(0, peak - (stored - weights)) : 0 } }, dtype };
}

/** Weights stored in fp32 (≥ 3.5 bytes per parameter): 16-bit ops on them run under autocast. */
function autocastsWeights(w: Workload): boolean {
  return fin(w.params) > 0 && fin(w.memory?.weights) / fin(w.params) >= 3.5;
}

/** Projects one device. */
function projectDevice(workload: Workload, hw: HardwareProfile, opts: ProjectOptions, shared: Shared): Projection {
  let w = workload;
  const run = w.run;
  const training = run.mode === 'train';
  const notes = new Set<string>();
  const eagerGpu = hw.kind === 'gpu' && (opts.runtime ?? (run as { runtime?: Runtime }).runtime ?? 'eager') === 'eager';
  const narrow = withNarrowWeights(w, shared, eagerGpu);
  if (narrow) {
    notes.add(`Weights held in ${narrow.dtype} as the matrix ops consume them (inference runtimes quantize at load): ${formatBytes(fin(w.memory.weights))} → ${formatBytes(narrow.w.memory.weights)} on the device; the checkpoint read from disk keeps ${formatBytes(fin(w.memory.weights))}.`);
    w = narrow.w;
  }
  const requestedRuntime = opts.runtime ?? (run as { runtime?: Runtime }).runtime;
  const runtime: Runtime = requestedRuntime && RUNTIME_EFFECTS[requestedRuntime] ? requestedRuntime : 'eager';
  const rt = RUNTIME_EFFECTS[runtime];
  const kind = hw.kind === 'gpu' ? 'gpu' : 'cpu';
  const userLaunch = opts.launchOverheadSeconds !== undefined && Number.isFinite(opts.launchOverheadSeconds) && opts.launchOverheadSeconds >= 0 ? opts.launchOverheadSeconds : undefined;
  const launchBase = kind === 'gpu'
    ? (rt.gpuLaunchSeconds ?? userLaunch ?? (runtime === 'eager' ? eagerGpuOpSeconds(hw.launchOverheadSeconds) : hw.launchOverheadSeconds ?? DEFAULT_LAUNCH_SECONDS.gpu))
    : (hw.launchOverheadSeconds ?? DEFAULT_LAUNCH_SECONDS.cpu);
  const ops = shared.ops;

  // ── Memory fit and the device plan ──
  // A per-device step (the default) is one data-parallel rank's: the job runs it on each requested device.
  const requested = Math.max(1, Math.floor(fin(run.devices) || 1));
  const ranks = run.batchScope === 'global' ? 1 : requested;
  // One-of-a-kind machines (a laptop, a desktop, an Apple GPU, the measured machine) do not scale out.
  const personal = (kind === 'cpu' && hw.tier !== 'server' && hw.tier !== 'custom') || hw.tier === 'apple-gpu' || hw.tier === 'this-machine';
  let fit = fitMemory(w.memory ?? ({} as Workload['memory']), hw, personal ? 1 : ranks);
  const D = nodeSize(hw);
  const req = personal ? 1 : kind === 'cpu' ? Math.min(requested, D) : requested;
  // A training step that does not fit on the devices asked for, with nothing recomputed: full activation
  // recomputation is assumed when it makes the step fit there or needs fewer devices (as large runs do).
  if (!personal && fit.devicesNeeded > req) {
    // The fewest layers recomputed that make the step fit (all of them when none fewer do).
    const L = Math.max(1, Math.min(shared.layers, 1024));
    let rec = withFullRecompute(w, shared);
    let k = L;
    for (let j = 1; rec && j < L; j++) {
      const part = withFullRecompute(w, shared, j / L);
      if (part && fitMemory(part.w.memory, hw, ranks).devicesNeeded <= req) { rec = part; k = j; break; }
    }
    if (rec) {
      const fit2 = fitMemory(rec.w.memory, hw, ranks);
      if (fit2.devicesNeeded < fit.devicesNeeded) {
        const which = k < L ? `of ${k} of the ${L} layers` : 'of every layer';
        notes.add(`Full activation recomputation ${which} assumed (the script sets none): ${formatBytes(fit.perDevice(req))} → ${formatBytes(fit2.perDevice(req))} per device with ${req}, so the step ${fit2.devicesNeeded <= req ? `fits on the ${req} asked for` : `needs ${fit2.devicesNeeded} instead of ${fit.devicesNeeded}`} (Korthikanti et al. 2022: a recomputed layer keeps only its input; the backward re-runs its forward).`);
        w = rec.w;
        fit = fit2;
      }
    }
  }
  let n: number;
  let fits: boolean;
  /** The start of the "does not fit" note; its layout clause is added once the plan is chosen. */
  let notFit: string | undefined;
  if (personal) {
    n = 1;
    fits = fit.devicesNeeded <= 1;
    if (!fits) notes.add(`Does not fit: the step needs ${formatBytes(fit.perDevice(1))} and this machine has ${formatBytes(fit.usable)} usable; it would swap or fail.`);
    if (ranks > 1) notes.add(`The script's ${ranks} data-parallel ranks run one after another on this machine.`);
  } else {
    fits = fit.devicesNeeded <= req;
    n = fits ? req : fit.devicesNeeded;
    // Beyond one node, devices come in whole nodes.
    if (!fits && n > D && D > 1) n = Math.min(MAX_DEVICES, Math.ceil(n / D) * D);
    if (fit.outOfReach) notes.add('Out of reach: even a million devices of this kind cannot hold one step.');
    else if (!fits) {
      const asked = run.devices !== undefined ? `the ${req} the script asks for` : 'one device (the script names no count)';
      const nodes = n > D && D > 1 ? ` (${n / D} whole nodes of ${D})` : '';
      notFit = `Does not fit on ${asked}: ${formatBytes(fit.perDevice(req))} per device against ${formatBytes(fit.usable)} usable. Projected on ${n}${nodes}, the fewest that hold it`;
    }
  }

  const ctx: Ctx = {
    w, hw, kind, training, allowTf32: !!run.allowTf32, ranks,
    effC: (fin(opts.computeEfficiency) || 1) * cpuParallelEfficiency(kind, hw.cores, runtime),
    effM: fin(opts.memoryEfficiency) || 1,
    launchBase: Number.isFinite(launchBase) && launchBase >= 0 ? launchBase : DEFAULT_LAUNCH_SECONDS[kind],
    runtime, notes, cacheRoom: fin(hw.cacheBytes) / 2, weightsInCache: false,
    shared, table: EFFICIENCY[kind], ramp: RAMP_SECONDS[kind], cacheSpeedup: CACHE_SPEEDUP[kind], matrixScale: matrixScale(hw),
  };
  const plan = planDevices(ctx, n, ops);
  if (notFit) notes.add(`${notFit}${notFitLayout(plan, w.run.recompute === 'full')}; tensor/pipeline parallelism or a smaller batch would also help.`);
  if (plan.strategy !== 'single') notes.add(planNote(plan));
  const mp = plan.tp * plan.pp;
  const byName = shared.byName;
  const modelWeightBytes = ops.reduce((s, o) => s + (fin(o.params) > 0 ? weightBytesOf(o, byName) : 0), 0) / (plan.sharded ? plan.tp : mp);
  ctx.weightsInCache = ctx.cacheRoom > 0 && modelWeightBytes > 0 && modelWeightBytes <= ctx.cacheRoom;

  // ── Per-op roofline ──
  const accs: Record<BandKey, Acc> = { low: acc0(), mid: acc0(), high: acc0() };
  let modelFlops = 0;
  let fwdFlopsTotal = 0;
  const flopsByPeak = new Map<string, { peak: ResolvedPeak; flops: number }>();
  const hasOptimizerOps = ops.some((o) => o.opClass === 'optimizer' || o.phase === 'optimizer');
  // Sharded training gathers full layers (weights ÷ TP); model-parallel inference holds 1/(TP·PP) of them.
  const weightDiv = plan.sharded ? plan.tp : mp;
  const launchDiv = plan.pp;

  // Compiled and graph runtimes fold inference BatchNorm into the preceding convolution (jit.freeze, TensorRT, oneDNN).
  const foldBatchNorm = !training && runtime !== 'eager';
  let folded = 0;
  let merged = 0;
  let inEpilogue = false;
  /** Mid time of one call of each op in `ops` (forward + backward), for the per-layer table. */
  const opMid = new Float64Array(ops.length);

  // Roofline results per cost key and fusion state (an op's cost depends only on those, for a given device).
  const memo = new Map<number, OpCost[]>();
  const castsWeights = runtime === 'eager' && kind === 'gpu' && !plan.sharded && autocastsWeights(w);
  const peakOf: (ResolvedPeak | undefined)[] = [];
  for (let i = 0; i < ops.length; i++) {
    const op = ops[i];
    const count = fin(op.count);
    const opClass: OpClass = ctx.table[op.opClass] ? op.opClass : 'elementwise';
    if (foldBatchNorm && opClass === 'norm' && /batch_?norm/i.test(op.kind)) { folded++; continue; }
    const isOptimizer = opClass === 'optimizer' || op.phase === 'optimizer';
    let peak = peakOf[shared.costKey[i]];
    if (!peak) {
      // Once per cost key (dtype and class are part of it); `notes` keeps each fallback sentence once.
      peak = resolvePeak(hw, op.dtype, opClass, ctx.allowTf32);
      if (peak.fallback) notes.add(`${op.dtype}: ${peak.fallback}.`);
      peakOf[shared.costKey[i]] = peak;
    }
    const fwdF = fin(op.forwardFlops);
    const bwdF = training && !isOptimizer ? fin(op.backwardFlops) : 0;
    modelFlops += ranks * (fwdF + bwdF) * count;
    if (!isOptimizer) fwdFlopsTotal += fwdF * count;
    if (isMatrix(opClass)) {
      const cur = flopsByPeak.get(peak.dtype) ?? { peak, flops: 0 };
      cur.flops += (fwdF + bwdF) * count;
      flopsByPeak.set(peak.dtype, cur);
    }
    // Compiled/graph runtimes fuse vector ops with their neighbours; an elementwise op right after a matrix op (or
    // after one already fused into it) becomes that kernel's epilogue: no memory pass, no launch of its own.
    const fused = FUSE.has(opClass) && runtime !== 'eager';
    const epilogue: boolean = fused && opClass === 'elementwise' && inEpilogue;
    inEpilogue = runtime !== 'eager' && (isMatrix(opClass) || epilogue);
    // Graph runtimes merge a GEMM into the kernel of its sibling (same input, same module): no launch, ramp or input read.
    const sibling = runtime === 'graph' && shared.siblingInput[i] > 0;
    if (sibling) merged++;
    const memoKey = shared.costKey[i] * 4 + (epilogue ? 1 : 0) + (sibling ? 2 : 0);
    let costs = memo.get(memoKey);
    if (!costs) {
      const wBytes = weightBytesOf(op, byName);
      const actBytes = Math.max(0, fin(op.bytesRead) + fin(op.bytesWritten) - wBytes - (sibling ? shared.siblingInput[i] : 0));
      const bytesScale = epilogue ? 0 : fused ? rt.fusedBytesScale : 1;
      const launchScale = (epilogue || sibling ? 0 : isMatrix(opClass) ? rt.launchScale : fused ? rt.fusedLaunchScale : rt.launchScale) / launchDiv;
      const fwd: KernelWork = {
        opClass, peak, flops: ranks * fwdF / n, weightBytes: (wBytes / weightDiv) * bytesScale, actBytes: (ranks * actBytes / n) * bytesScale, kernels: 1, launchScale,
        rampScale: sibling ? 0 : 1, effScale: alignmentScale(hw, op, peak, runtime, w.run),
      };
      // Said where it matters: an unaligned layer with at least 5% of the forward FLOPs (a vocabulary head, not a 10-class one).
      if (fwd.effScale! < 1 && fwdF * count >= 0.05 * fin(w.forwardFlops) && notes.size < 40) notes.add(alignmentNote(op, runtime));
      const bwdKernels = bwdF > 0 ? (isMatrix(opClass) && bwdF >= 1.5 * fwdF ? 2 : 1) : 0;
      const bwd: KernelWork = { ...fwd, flops: ranks * bwdF / n, weightBytes: 2 * fwd.weightBytes, actBytes: 2 * fwd.actBytes, kernels: bwdKernels, launchScale: launchScale * 0.5 };
      if (kind === 'cpu' && runtime === 'eager' && !isMatrix(opClass) && !isOptimizer) {
        // Eager ATen kernels on a CPU core: elements × cycles per element (cpuKernels.ts), over the output's elements
        // (a loss or reduction: its input's, as cross-entropy's log-softmax runs over every logit).
        const reads = opClass === 'loss' || opClass === 'reduction';
        const elements = (ranks * fin(reads ? op.bytesRead : op.bytesWritten) / n) / (DTYPE_BYTES[op.dtype] ?? 4);
        fwd.elemSeconds = elementSeconds(hw, op.kind ?? '', 'fwd', elements);
        bwd.elemSeconds = elementSeconds(hw, op.kind ?? '', 'bwd', elements);
      }
      // Eager autocast: a matrix op computing in 16 bits on weights stored in fp32 first launches a cast of its
      // weights (read 4 bytes, write 2 per parameter) on every call, as the cast cache lives for one autocast region.
      // Sharded plans gather their weights already cast (FSDP mixed precision, Megatron's 16-bit copies).
      const cast: KernelWork | undefined = castsWeights && wBytes > 0 && isMatrix(opClass) && DTYPE_BYTES[op.dtype] === 2
        ? { opClass: 'elementwise', peak, flops: 0, weightBytes: 3 * fwd.weightBytes, actBytes: 0, kernels: 1, launchScale: rt.launchScale / launchDiv }
        : undefined;
      costs = BANDS.map((b) => {
        const one = acc0();
        const tf = kernelInto(ctx, fwd, b, one, 1) + (cast ? kernelInto(ctx, cast, b, one, 1) : 0);
        const tb = bwdKernels > 0 ? kernelInto(ctx, bwd, b, one, 1) : 0;
        return { tf, tb, compute: one.compute, memory: one.memory, overhead: one.overhead, host: one.host };
      });
      memo.set(memoKey, costs);
    }
    for (let bi = 0; bi < BANDS.length; bi++) {
      const a = accs[BANDS[bi]];
      const c = costs[bi];
      a.compute += c.compute * count;
      a.memory += c.memory * count;
      a.overhead += c.overhead * count;
      a.host += c.host * count;
      a.forward += c.tf * count;
      a.backward += c.tb * count;
    }
    opMid[i] = costs[1].tf + costs[1].tb;
  }

  for (const b of BANDS) foldHost(accs[b]);
  if (folded > 0) notes.add(`${folded} BatchNorm layers folded into their convolutions (${runtime} runtime, inference).`);
  if (merged > 0) notes.add(`${merged} GEMMs merged into the kernel of a sibling reading the same input (fused QKV, gate/up: graph runtime).`);

  // Activation recomputation re-runs part of the forward during backward.
  const recompute = training ? fin(w.recomputeFlops) : 0;
  if (recompute > 0 && fwdFlopsTotal > 0) {
    const frac = recompute / fwdFlopsTotal;
    for (const b of BANDS) {
      const a = accs[b];
      const extra = a.forward * frac;
      const tot = accTotal(a) || 1;
      a.compute += extra * (a.compute / tot);
      a.memory += extra * (a.memory / tot);
      a.overhead += extra * (a.overhead / tot);
      a.backward += extra;
    }
    notes.add(`Activation recomputation adds ${formatPercent(frac)} of the forward FLOPs (not counted in MFU).`);
  }

  // Optimizer step (synthesised when the workload has no optimizer ops).
  const trainable = fin(w.trainableParams);
  if (training && trainable > 0 && !hasOptimizerOps) {
    const params = fin(w.params) || trainable;
    const wB = fin(w.memory?.weights) > 0 ? fin(w.memory.weights) / params : 4;
    const gB = fin(w.memory?.gradients) > 0 ? fin(w.memory.gradients) / trainable : wB;
    const sB = fin(run.optimizerBytesPerParam);
    const shard = plan.sharded ? n : 1;
    const tensors = Math.max(1, 2 * ops.filter((o) => fin(o.trainableParams) > 0).length);
    const opsPerTensor = sB >= 8 ? 12 : sB > 0 ? 5 : 2;
    // GPUs default to foreach kernels (≈64 tensors per launch, one launch per arithmetic step); `fused=True`
    // optimizers run the whole update in one kernel per chunk; CPUs loop per tensor.
    const fusedOpt = /fused/i.test(run.optimizer ?? '');
    const kernels = kind === 'gpu' ? (fusedOpt ? 1 : opsPerTensor) * Math.ceil(tensors / 64) : opsPerTensor * tensors;
    const work: KernelWork = {
      opClass: 'optimizer', peak: resolvePeak(hw, 'fp32', 'optimizer', false),
      flops: trainable * (sB >= 8 ? 12 : sB > 0 ? 4 : 2) / shard, weightBytes: trainable * (2 * wB + gB + 2 * sB) / shard, actBytes: 0,
      kernels, launchScale: 1,
    };
    const savedRoom = ctx.weightsInCache;
    ctx.weightsInCache = false;
    for (const b of BANDS) { const opt = acc0(); kernelInto(ctx, work, b, opt, 1); foldHost(opt); addAcc(accs[b], opt); }
    ctx.weightsInCache = savedRoom;
  }

  // Host-side work per model call (Python loop, sampling, synchronisation).
  const calls = shared.calls;
  for (const b of BANDS) accs[b].overhead += calls * CALL_OVERHEAD[runtime] * LAUNCH[EFF_FOR[b]] / plan.pp;

  // Pipeline bubble: stages idle while the pipeline fills and drains.
  if (plan.bubble > 0) {
    for (const b of BANDS) {
      const a = accs[b];
      const idle = accTotal(a) * plan.bubble / (1 - plan.bubble);
      a.overhead += idle;
    }
  }

  // ── Host→device input copies ──
  const transfer: Band = { low: 0, mid: 0, high: 0 };
  const inputBytes = ranks * fin(run.inputBytesPerStep) / n;
  const pinned = !!run.pinMemory;
  if (kind === 'gpu' && inputBytes > 0) {
    for (const b of BANDS) {
      let t: number;
      if (hw.hostLinkBandwidth && hw.hostLinkBandwidth > 0) {
        t = inputBytes / (hw.hostLinkBandwidth * LINK.pcie[EFF_FOR[b]] * (pinned ? 1 : 0.5));
      } else {
        t = inputBytes / (hw.memoryBandwidth * 0.5); // unified memory: a copy at memory speed
      }
      transfer[b] = pinned && b !== 'high' ? Math.max(0, t - accTotal(accs[b])) : t;
    }
  }

  // ── Communication ──
  const comm = communication(ctx, plan, ops, accs);

  // ── Totals ──
  const step: Band = { low: 0, mid: 0, high: 0 };
  for (const b of BANDS) step[b] = accTotal(accs[b]) + transfer[b] + comm[b];
  // ── Input pipeline on the host CPU ──
  const load = dataLoadSeconds(ctx, ranks / n);
  const dataWait: Band = { low: 0, mid: 0, high: 0 };
  if (load) {
    const workers = fin(run.loaderWorkers);
    for (const b of BANDS) {
      // Workers prefetch while the device computes; without workers (or on a CPU, whose cores do both) it is serial.
      const before = step[b];
      step[b] = kind === 'gpu' && workers > 0 ? Math.max(before, load.seconds[b]) : before + load.seconds[b];
      dataWait[b] = step[b] - before;
    }
    const perSample = load.perSample.mid;
    const rate = load.samples / Math.max(load.seconds.mid, 1e-12);
    const deviceRate = load.samples / Math.max(step.mid - dataWait.mid, 1e-12);
    const who = workers > 0 ? `${workers} DataLoader worker${workers > 1 ? 's' : ''}` : 'the main process (num_workers=0)';
    const head = `Input pipeline: ${who} ${run.inputTransforms && !run.inputDecode ? 'augment' : 'decode and augment'} ≈ ${Math.round(rate).toLocaleString('en-US')} images/s (≈ ${formatSeconds(perSample)} per image per worker: ${load.how}; host cores assumed free for the workers)`;
    if (kind === 'gpu' && dataWait.mid > 0.2 * step.mid) notes.add(`${head}; the GPU alone would take ≈ ${Math.round(deviceRate).toLocaleString('en-US')} images/s, so the run is likely data-loader-bound (${formatPercent(dataWait.mid / step.mid)} of each step waits for data).`);
    else if (dataWait.mid > 0.05 * step.mid) notes.add(`${head}; ${formatPercent(dataWait.mid / step.mid)} of each step.`);
  }
  finiteBand(step, 'the step time');
  orderBand(step);

  const steps = Number.isFinite(run.steps) && run.steps >= 0 ? run.steps : 1;
  const { total: setup, parts } = setupSeconds(ctx, plan, fin(workload.memory?.weights));
  const evalSteps = evaluationSteps(workload);
  const runSeconds: Band = { low: setup.low + (steps + evalSteps) * step.low, mid: setup.mid + (steps + evalSteps) * step.mid, high: setup.high + (steps + evalSteps) * step.high };
  finiteBand(runSeconds, 'the run time');
  orderBand(runSeconds);
  if (setup.mid > 0 && (steps * step.mid < 10 * setup.mid || parts.disk > 10)) {
    const what = [`start-up ≈ ${formatSeconds(parts.startup)}${kind === 'gpu' ? ' (Python, torch, the GPU context)' : ' (Python and torch)'}`];
    if (parts.disk > 0) what.push(`${formatBytes(parts.diskBytes)} of weights from disk ≈ ${formatSeconds(parts.disk)} at 2 GB/s (NVMe; 0.5–5 GB/s)`);
    if (parts.toDevice > 0) what.push(`weights to the GPU over PCIe ≈ ${formatSeconds(parts.toDevice)}`);
    notes.add(`Includes ≈ ${formatSeconds(setup.mid)} of one-time setup (${formatSeconds(setup.low)}–${formatSeconds(setup.high)}): ${what.join(', ')}.`);
  }

  const mid = accs.mid;
  const total = step.mid > 0 ? step.mid : 1;
  const shares = {
    compute: mid.compute / total,
    memory: mid.memory / total,
    overhead: mid.overhead / total,
    transfer: transfer.mid / total,
    communication: comm.mid / total,
    data: dataWait.mid / total,
  };
  const sum = shares.compute + shares.memory + shares.overhead + shares.transfer + shares.communication + shares.data;
  if (sum > 0) for (const k of Object.keys(shares) as (keyof typeof shares)[]) shares[k] /= sum;
  const bound = (Object.entries(shares) as [Bound, number][]).reduce((a, b) => (b[1] > a[1] ? b : a), ['compute', -1] as [Bound, number])[0];

  // The dtype whose peak carried most of the FLOPs.
  let main: ResolvedPeak = resolvePeak(hw, run.dtype ?? 'fp32', 'gemm', ctx.allowTf32);
  let best = -1;
  for (const { peak, flops } of flopsByPeak.values()) if (flops > best) { best = flops; main = peak; }
  const mfu = step.mid > 0 && main.flops > 0 ? modelFlops / (step.mid * n * main.flops) : 0;

  if (kind === 'gpu' && hw.peakFlops.tf32 && !ctx.allowTf32 && flopsByPeak.has('fp32') && ops.some((o) => o.dtype === 'fp32' && (o.opClass === 'gemm' || o.opClass === 'attention'))) {
    // GeForce parts (RTX 4090/5090) have a TF32 tensor rate no higher than their CUDA-core fp32 rate: nothing to gain.
    notes.add(hw.peakFlops.tf32 > 1.05 * (hw.peakFlops.fp32 ?? 0)
      ? `fp32 matmuls run on CUDA cores (${formatFlopRate(hw.peakFlops.fp32 ?? 0)}): PyTorch leaves TF32 off for matmuls by default; torch.backends.cuda.matmul.allow_tf32 = True would allow ${formatFlopRate(hw.peakFlops.tf32)}. Convolutions use TF32 by default.`
      : `fp32 matmuls run on CUDA cores (${formatFlopRate(hw.peakFlops.fp32 ?? 0)}); this GPU's dense TF32 tensor rate is no higher, so enabling TF32 would not raise the peak here (bf16/fp16 autocast would: ${formatFlopRate(hw.peakFlops.bf16 ?? hw.peakFlops.fp16 ?? 0)}).`);
  }

  const tdp = fin(hw.tdpWatts);
  if (tdp === 0) notes.add('No TDP published: energy not estimated.');
  const energyJoules: Band = { low: tdp * n * runSeconds.low, mid: tdp * n * runSeconds.mid, high: tdp * n * runSeconds.high };
  const price = hw.price && fin(hw.price.usdPerHour) > 0 ? hw.price.usdPerHour : 0;
  const costUsd: Band | undefined = price > 0
    ? { low: price * n * runSeconds.low / 3600, mid: price * n * runSeconds.mid / 3600, high: price * n * runSeconds.high / 3600 }
    : undefined;
  finiteBand(energyJoules, 'the energy');
  if (costUsd) finiteBand(costUsd, 'the cost');

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
    devicesUsed: n,
    devicesAsked: req,
    memoryBytes: planMemoryBytes(ctx, plan, fit.perDevice(n)),
    capacityBytes: fin(hw.memoryBytes),
    costUsd,
    energyJoules,
    mfu: Number.isFinite(mfu) ? mfu : 0,
    throughput: { value: step.mid > 0 ? ranks * items / step.mid : 0, unit: run.throughputUnit ?? 'samples/s' },
    computeDtype: main.dtype,
    peakFlops: main.flops,
    notes: [...notes],
    opSeconds: opSecondsOf(w.ops, ops, opMid),
  };
}

/** Per-op times for every op of the workload, from those of `ops` (the workload's ops with a count, in order). */
function opSecondsOf(all: unknown, ops: readonly Op[], mid: Float64Array): number[] {
  const list: Op[] = Array.isArray(all) ? all : [];
  const out = new Array<number>(list.length);
  let j = 0;
  for (let i = 0; i < list.length; i++) {
    if (j < ops.length && list[i] === ops[j]) out[i] = mid[j++];
    else out[i] = 0;
  }
  return out;
}

/** The CPU a user without a benchmarked machine or a setting is taken to have: a current laptop (hardware.md). */
export const DEFAULT_USER_CPU_ID = 'core-ultra-7-155h';

/**
 * The user's own CPU for the verdict (see `ProjectOptions.userCpu`): the setting, else the measured machine, else a
 * laptop or desktop CPU of the comparison, else the default laptop CPU projected here for the verdict only (when
 * only server CPUs are compared). None when the comparison has no GPU or no CPU at all and no CPU is set (the verdict
 * then just names the fastest device).
 */
function userCpuOf(w: Workload, hardware: unknown, projections: readonly Projection[], opts: ProjectOptions, shared: Shared): UserCpu | undefined {
  const list: HardwareProfile[] = Array.isArray(hardware) ? hardware.filter((h): h is HardwareProfile => !!h && h.kind === 'cpu') : [];
  // Only GPUs (or only CPUs) asked for: no comparison to judge (the verdict names the fastest).
  if (!projections.some((p) => p.kind === 'gpu') || (list.length === 0 && !opts.userCpu)) return undefined;
  const projected = (h: HardwareProfile): Projection | undefined => {
    const p = projections.find((x) => x.hardwareId === h.id && x.kind === 'cpu');
    if (p) return p;
    try { return h.memoryBandwidth > 0 ? projectDevice(w, h, opts, shared) : undefined; } catch { return undefined; }
  };
  const set = opts.userCpu && opts.userCpu.kind === 'cpu' ? projected(opts.userCpu) : undefined;
  if (set) return { projection: set, how: opts.userCpu?.tier === 'this-machine' ? 'measured' : 'setting' };
  const measured = list.find((h) => h.tier === 'this-machine');
  const own = measured ? projected(measured) : undefined;
  if (own) return { projection: own, how: 'measured' };
  const personalCpu = list.find((h) => h.tier === 'laptop') ?? list.find((h) => h.tier === 'desktop');
  const listed = personalCpu ? projected(personalCpu) : undefined;
  if (listed) return { projection: listed, how: 'listed', tier: personalCpu?.tier };
  const fallback = getHardware(DEFAULT_USER_CPU_ID);
  const assumed = fallback ? projected(fallback) : undefined;
  return assumed ? { projection: assumed, how: 'assumed' } : undefined;
}

/**
 * Marks the CPU the verdict is judged against as the user's machine, so every view shows the CPU the verdict names:
 * when it is not one of the compared devices (the default laptop assumed, or a CPU from the settings), its projection
 * is added to the list, with a note saying why it is there.
 */
function markUserMachine(projections: Projection[], mine: UserCpu): void {
  const i = projections.indexOf(mine.projection);
  if (i >= 0) { projections[i] = { ...mine.projection, userMachine: mine.how }; return; }
  const why = mine.how === 'assumed'
    ? 'Your machine for the verdict: assumed to be this laptop-class CPU (benchmark this machine or set your CPU to judge your own); not one of the devices compared.'
    : 'Your machine for the verdict (your CPU, from settings); not one of the devices compared.';
  projections.push({ ...mine.projection, userMachine: mine.how, notes: [why, ...mine.projection.notes] });
}

/**
 * Projects `workload` onto each device in `hardware`: step and run time bands, bound, shares, memory fit, devices,
 * energy, cost, MFU and throughput per device, plus one verdict. Pure; never throws on odd input (non-finite or
 * negative numbers count as 0; a device whose projection fails is left out).
 */
export function project(workload: Workload, hardware: HardwareProfile[], opts: ProjectOptions = {}): { projections: Projection[]; verdict: Verdict } {
  const projections: Projection[] = [];
  let shared: Shared | undefined;
  try {
    const ops = (Array.isArray(workload?.ops) ? workload.ops : []).filter((o) => o && fin(o.count) > 0);
    const byName = paramsByName(ops);
    shared = { ops, tpBuffers: tpBuffers(ops), calls: callsPerStep(ops), layers: layerCount(ops), byName, costKey: costKeys(ops, byName), siblingInput: horizontalSiblings(ops, (o) => weightBytesOf(o, byName)) };
  } catch {
    shared = undefined;
  }
  const overflow: string[] = [];
  let why = '';
  for (const hw of Array.isArray(hardware) ? hardware : []) {
    if (!hw || !(hw.memoryBandwidth > 0) || !workload || !workload.run || !shared) continue;
    try {
      projections.push(projectDevice(workload, hw, opts, shared));
    } catch (e) {
      // A malformed workload must not take the analysis down; the device is left out (said when its figures overflow).
      if (e instanceof OutOfRange) { overflow.push(String(hw.name)); why = e.message; }
    }
  }
  const mine = shared ? userCpuOf(workload, hardware, projections, opts ?? {}, shared) : undefined;
  const verdict = verdictFor(workload, projections, opts ?? {}, mine);
  if (mine) markUserMachine(projections, mine);
  if (overflow.length === 0) return { projections, verdict };
  const left = `Not projected on ${overflow.slice(0, 4).join(', ')}${overflow.length > 4 ? ` and ${overflow.length - 4} more` : ''}: ${why}, beyond what a number can hold; check the sizes and step counts in the script.`;
  return {
    projections,
    verdict: projections.length === 0
      ? { summary: `No verdict. ${left}`, gpuPaysOff: false, reason: 'figures out of range' }
      : { ...verdict, summary: `${verdict.summary} ${left}` },
  };
}
