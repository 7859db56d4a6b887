/**
 * The verdict: one plain sentence saying whether a GPU pays off for this workload, and why.
 *
 * The CPU side is the user's own machine (`UserCpu`, chosen in `project`): the benchmarked `this-machine` profile,
 * else a CPU the user configured, else a laptop or desktop CPU of the comparison, else the default laptop-class CPU
 * projected for the verdict only, never a server the user does not have. The sentence names it and says which.
 *
 * Rules, in order (times are mid run times including one-time setup):
 * 1. Nothing to compare → say so. Only CPUs or only GPUs → name the fastest; `gpuPaysOff` is false (no comparison).
 * 2. The script moves the model to CUDA in fp16 → a GPU is needed as written (the CPU time is still given).
 * 3. The user's CPU cannot hold the step but a GPU setup can → a GPU is needed.
 * 4. Inference with a latency budget the user's CPU meets per step → a CPU is fine.
 * 5. Inference whose one request takes over 10 s on the user's CPU, ×2 faster on the GPU → a GPU pays off.
 * 6. The run takes under 2 minutes on the user's CPU, or a GPU would save under a minute → a CPU is fine.
 * 7. The best GPU is less than ×2 faster → a CPU is fine, with the GPU's bottleneck as the reason
 *    (launch overhead on tiny ops, input copies, or simply little speed-up).
 * 8. Otherwise a GPU pays off, with what bounds the run on the GPU as the reason. When the step does not fit on
 *    the GPUs the script asks for, the sentence says so beside the figure.
 */
import type { Projection, Verdict, Workload } from '../types';
import { formatBytes, formatFlops, formatMoney, formatPercent, formatSeconds, formatSpeedup } from '../format';
import type { ProjectOptions } from './options';
import { evaluationSteps } from './periodic';

const CPU_FINE_RUN_SECONDS = 120;
const MIN_SAVING_SECONDS = 60;
const MIN_SPEEDUP = 2;

function fastest(ps: readonly Projection[]): Projection | undefined {
  let best: Projection | undefined;
  for (const p of ps) if (!best || p.runSeconds.mid < best.runSeconds.mid) best = p;
  return best;
}

function devicesText(p: Projection): string {
  return p.devicesUsed > 1 ? `${p.devicesUsed}× ${p.hardwareName}` : p.hardwareName;
}

/** When the step does not fit on the devices the script asks for: said beside the GPU's figure. */
function askedText(p: Projection): string {
  const asked = p.devicesAsked ?? p.devicesUsed;
  return !p.fits && asked < p.devicesUsed ? ` (it does not fit on the ${asked} asked for; needs ${p.devicesUsed})` : '';
}

function totalFlops(w: Workload): number {
  const steps = Number.isFinite(w.run?.steps) && w.run.steps > 0 ? w.run.steps : 1;
  const train = w.run?.mode === 'train';
  const perStep = (w.forwardFlops > 0 ? w.forwardFlops : 0) + (train && w.backwardFlops > 0 ? w.backwardFlops : 0) + (train && w.recomputeFlops > 0 ? w.recomputeFlops : 0);
  return perStep * steps;
}

function gpuReason(w: Workload, gpu: Projection, cpu: Projection): string {
  switch (gpu.bound) {
    case 'compute': return `the run is compute-bound (${formatFlops(totalFlops(w))})`;
    case 'memory': return `the run is bound by memory bandwidth, which is far higher on the GPU`;
    case 'communication': return `the run is large enough to spread over ${gpu.devicesUsed} GPUs even with communication dominating`;
    case 'transfer': return `the GPU is faster even though copying inputs dominates its step`;
    case 'data': return `the GPU is faster even though it waits for the host's input pipeline (${formatPercent(gpu.shares.data ?? 0)} of its step; more DataLoader workers would help)`;
    case 'overhead': return cpu.bound === 'overhead'
      ? `both are bound by per-op overhead and the GPU still runs the ops faster`
      : `its steps are ${formatSpeedup(cpu.stepSeconds.mid / Math.max(gpu.stepSeconds.mid, 1e-12))} faster even though launch overhead dominates them (a larger batch would use the GPU better)`;
  }
}

function cpuReason(w: Workload, cpu: Projection, gpu: Projection, speedup: number): string {
  const steps = Number.isFinite(w.run?.steps) && w.run.steps > 0 ? w.run.steps : 1;
  const setup = gpu.runSeconds.mid - (steps + evaluationSteps(w)) * gpu.stepSeconds.mid;
  if (speedup < 1 && setup > gpu.runSeconds.mid / 2) {
    return `the whole run takes ≈ ${formatSeconds(cpu.runSeconds.mid)} there, less than the ≈ ${formatSeconds(setup)} a GPU needs to start and load the model`;
  }
  if (gpu.bound === 'overhead') return `the ops are too small to keep a GPU busy (launch overhead is ${formatPercent(gpu.shares.overhead)} of its step)`;
  if (gpu.bound === 'transfer') return `copying inputs to the GPU takes ${formatPercent(gpu.shares.transfer)} of its step`;
  return speedup < 1 ? 'the GPU is not faster here' : `a GPU is only ${formatSpeedup(speedup)} faster here`;
}

/** The CPU the verdict is judged against, and how it was chosen (said in the sentence). */
export interface UserCpu {
  projection: Projection;
  /** `measured`: the benchmarked this-machine profile; `setting`: the user's configured CPU; `listed`: a laptop or
   * desktop CPU of the comparison; `assumed`: the default laptop-class CPU, projected for the verdict only. */
  how: 'measured' | 'setting' | 'listed' | 'assumed';
  /** The device's tier (`laptop`, `desktop`), for the sentence. */
  tier?: string;
}

/** How the user's CPU is named in a sentence: its name and why it stands for the user's machine. */
function cpuLabel(u: UserCpu): string {
  const name = u.projection.hardwareName;
  switch (u.how) {
    case 'measured': return `this machine (${name}, measured)`;
    case 'setting': return `${name} (your CPU, from settings)`;
    case 'listed': return `${name} (${u.tier ?? 'personal'} CPU, taken as yours)`;
    case 'assumed': return `a laptop-class CPU (${name}, assumed: benchmark this machine to judge your own)`;
  }
}

/** True when the script moves the model to CUDA in fp16: it cannot run on a CPU as written. */
export function pinnedToCuda(w: Workload): boolean {
  return /^cuda/i.test(w.run?.device ?? '') && w.run?.dtype === 'fp16';
}

/** Inference whose one request takes longer than this on the user's CPU is GPU work when a GPU is ×2 faster. */
const INTERACTIVE_SECONDS = 10;

/**
 * The verdict for `projections` of workload `w`, judged against `userCpu` (the user's own machine; default: the
 * fastest CPU of the comparison that fits, as before the user's machine was known).
 */
export function verdictFor(w: Workload, projections: readonly Projection[], opts: ProjectOptions = {}, userCpu?: UserCpu): Verdict {
  const cpus = projections.filter((p) => p.kind === 'cpu');
  const gpus = projections.filter((p) => p.kind === 'gpu');
  const fittingCpus = cpus.filter((p) => p.fits);
  const listedCpu = fastest(fittingCpus.length > 0 ? fittingCpus : cpus);
  const mine: UserCpu | undefined = userCpu ?? (listedCpu ? { projection: listedCpu, how: 'listed' } : undefined);
  const bestCpu = mine?.projection;
  const bestGpu = fastest(gpus);
  if (!bestCpu && !bestGpu) {
    return { summary: 'No hardware to compare.', gpuPaysOff: false, reason: 'no devices were selected' };
  }
  if (!bestGpu || !bestCpu) {
    const only = (bestCpu ?? bestGpu) as Projection;
    const reason = bestGpu ? 'no CPU in the comparison' : 'no GPU in the comparison';
    return {
      summary: `Fastest: ${devicesText(only)} ≈ ${formatSeconds(only.runSeconds.mid)} (${reason}).`,
      bestCpu: bestCpu?.hardwareId,
      bestGpu: bestGpu?.hardwareId,
      gpuPaysOff: false,
      reason,
    };
  }
  const label = cpuLabel(mine as UserCpu);
  const tc = bestCpu.runSeconds.mid;
  const tg = bestGpu.runSeconds.mid;
  const speedup = tg > 0 ? tc / tg : Number.POSITIVE_INFINITY;
  const base = { bestCpu: bestCpu.hardwareId, bestGpu: bestGpu.hardwareId, speedup: Number.isFinite(speedup) ? speedup : undefined };
  const cost = bestGpu.costUsd ? `, ≈${formatMoney(bestGpu.costUsd.mid, { code: opts.currencyCode ?? 'USD', perUsd: opts.currencyPerUsd ?? 1 })}` : '';
  const pair = `${devicesText(bestGpu)} ≈ ${formatSeconds(tg)} vs ${formatSeconds(tc)} on ${label} (${formatSpeedup(speedup)}${cost})`;
  const asked = askedText(bestGpu);

  if (pinnedToCuda(w)) {
    const reason = `the script moves the model to CUDA in fp16 (device "${w.run.device}"), so it cannot run on a CPU as written`;
    return { ...base, summary: `A GPU is needed as written: the script moves the model to CUDA in fp16 (device "${w.run.device}"); ${devicesText(bestGpu)} ≈ ${formatSeconds(tg)}${asked}. On ${label} it would take ≈ ${formatSeconds(tc)} after switching to device "cpu" and fp32.`, gpuPaysOff: true, reason };
  }
  if (!bestCpu.fits) {
    const reason = bestCpu.devicesUsed > 1 || bestCpu.devicesNeeded > 1
      ? `the step does not fit in the memory of one ${bestCpu.hardwareName} (it would take ${bestCpu.devicesNeeded})`
      : `the step needs ${formatBytes(bestCpu.memoryBytes)}, more than ${bestCpu.hardwareName} holds`;
    return { ...base, summary: `A GPU is needed: ${reason}; ${devicesText(bestGpu)} ≈ ${formatSeconds(tg)}${asked}.`, gpuPaysOff: true, reason };
  }
  const budget = opts.latencyBudgetSeconds;
  if (w.run?.mode === 'infer' && budget !== undefined && budget > 0 && bestCpu.stepSeconds.mid <= budget) {
    const reason = `${label} answers in ${formatSeconds(bestCpu.stepSeconds.mid)} per step, within the ${formatSeconds(budget)} budget (${bestGpu.hardwareName}: ${formatSeconds(bestGpu.stepSeconds.mid)})`;
    return { ...base, summary: `A CPU is fine: ${reason}.`, gpuPaysOff: false, reason };
  }
  const stepSpeedup = bestGpu.stepSeconds.mid > 0 ? bestCpu.stepSeconds.mid / bestGpu.stepSeconds.mid : Number.POSITIVE_INFINITY;
  if (w.run?.mode === 'infer' && bestCpu.stepSeconds.mid > INTERACTIVE_SECONDS && stepSpeedup >= MIN_SPEEDUP) {
    const reason = `one request takes ≈ ${formatSeconds(bestCpu.stepSeconds.mid)} on ${label} and ≈ ${formatSeconds(bestGpu.stepSeconds.mid)} on ${bestGpu.hardwareName} (${formatSpeedup(stepSpeedup)}), too slow to wait for (over ${formatSeconds(INTERACTIVE_SECONDS)})`;
    return { ...base, summary: `A GPU pays off: ${reason}; whole run ${pair}${asked}.`, gpuPaysOff: true, reason };
  }
  if (tc < CPU_FINE_RUN_SECONDS || tc - tg < MIN_SAVING_SECONDS) {
    if (speedup > 1) {
      const reason = `the whole run takes ≈ ${formatSeconds(tc)} on ${label} (${devicesText(bestGpu)}: ${formatSeconds(tg)}), so a GPU saves only ${formatSeconds(Math.max(0, tc - tg))}`;
      return { ...base, summary: `A CPU is fine: ${reason}.`, gpuPaysOff: false, reason };
    }
    const reason = cpuReason(w, bestCpu, bestGpu, speedup);
    return { ...base, summary: `A CPU is fine: ${label} ≈ ${formatSeconds(tc)} vs ${formatSeconds(tg)} on ${devicesText(bestGpu)}, because ${reason}.`, gpuPaysOff: false, reason };
  }
  if (speedup < MIN_SPEEDUP) {
    const reason = cpuReason(w, bestCpu, bestGpu, speedup);
    return { ...base, summary: `A CPU is fine: ${label} ≈ ${formatSeconds(tc)} vs ${formatSeconds(tg)} on ${devicesText(bestGpu)}, because ${reason}.`, gpuPaysOff: false, reason };
  }
  const reason = gpuReason(w, bestGpu, bestCpu);
  return { ...base, summary: `A GPU pays off: ${pair}${asked}, because ${reason}.`, gpuPaysOff: true, reason };
}
