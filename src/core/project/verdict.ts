/**
 * The verdict: one plain sentence saying whether a GPU pays off for this workload, and why.
 *
 * Rules, in order (times are mid run times including one-time setup):
 * 1. Nothing to compare → say so. Only CPUs or only GPUs → name the fastest; `gpuPaysOff` is false (no comparison).
 * 2. The best CPU cannot hold the step but a GPU setup can → a GPU is needed.
 * 3. Inference with a latency budget the best CPU meets per step → a CPU is fine.
 * 4. The run takes under 2 minutes on the best CPU, or a GPU would save under a minute → a CPU is fine.
 * 5. The best GPU is less than ×2 faster → a CPU is fine, with the GPU's bottleneck as the reason
 *    (launch overhead on tiny ops, input copies, or simply little speed-up).
 * 6. Otherwise a GPU pays off, with what bounds the run on the GPU as the reason.
 */
import type { Projection, Verdict, Workload } from '../types';
import { formatBytes, formatFlops, formatMoney, formatPercent, formatSeconds, formatSpeedup } from '../format';
import type { ProjectOptions } from './options';

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

function totalFlops(w: Workload): number {
  const steps = Number.isFinite(w.run?.steps) && w.run.steps > 0 ? w.run.steps : 1;
  const perStep = (w.forwardFlops > 0 ? w.forwardFlops : 0) + (w.run?.mode === 'train' && w.backwardFlops > 0 ? w.backwardFlops : 0);
  return perStep * steps;
}

function gpuReason(w: Workload, gpu: Projection, cpu: Projection): string {
  switch (gpu.bound) {
    case 'compute': return `the run is compute-bound (${formatFlops(totalFlops(w))})`;
    case 'memory': return `the run is bound by memory bandwidth, which is far higher on the GPU`;
    case 'communication': return `the run is large enough to spread over ${gpu.devicesUsed} GPUs even with communication dominating`;
    case 'transfer': return `the GPU is faster even though copying inputs dominates its step`;
    case 'overhead': return cpu.bound === 'overhead'
      ? `both are bound by per-op overhead and the GPU still runs the ops faster`
      : `its steps are ${formatSpeedup(cpu.stepSeconds.mid / Math.max(gpu.stepSeconds.mid, 1e-12))} faster even though launch overhead dominates them (a larger batch would use the GPU better)`;
  }
}

function cpuReason(w: Workload, cpu: Projection, gpu: Projection, speedup: number): string {
  const steps = Number.isFinite(w.run?.steps) && w.run.steps > 0 ? w.run.steps : 1;
  const setup = gpu.runSeconds.mid - steps * gpu.stepSeconds.mid;
  if (speedup < 1 && setup > gpu.runSeconds.mid / 2) {
    return `the whole run takes ≈ ${formatSeconds(cpu.runSeconds.mid)} there, less than the ≈ ${formatSeconds(setup)} a GPU needs to start and load the model`;
  }
  if (gpu.bound === 'overhead') return `the ops are too small to keep a GPU busy (launch overhead is ${formatPercent(gpu.shares.overhead)} of its step)`;
  if (gpu.bound === 'transfer') return `copying inputs to the GPU takes ${formatPercent(gpu.shares.transfer)} of its step`;
  return speedup < 1 ? 'the GPU is not faster here' : `a GPU is only ${formatSpeedup(speedup)} faster here`;
}

/** The verdict for `projections` of workload `w`. */
export function verdictFor(w: Workload, projections: readonly Projection[], opts: ProjectOptions = {}): Verdict {
  const cpus = projections.filter((p) => p.kind === 'cpu');
  const gpus = projections.filter((p) => p.kind === 'gpu');
  const fittingCpus = cpus.filter((p) => p.fits);
  const bestCpu = fastest(fittingCpus.length > 0 ? fittingCpus : cpus);
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
  const tc = bestCpu.runSeconds.mid;
  const tg = bestGpu.runSeconds.mid;
  const speedup = tg > 0 ? tc / tg : Number.POSITIVE_INFINITY;
  const base = { bestCpu: bestCpu.hardwareId, bestGpu: bestGpu.hardwareId, speedup: Number.isFinite(speedup) ? speedup : undefined };
  const cost = bestGpu.costUsd ? `, ≈${formatMoney(bestGpu.costUsd.mid, { code: opts.currencyCode ?? 'USD', perUsd: opts.currencyPerUsd ?? 1 })}` : '';
  const pair = `${devicesText(bestGpu)} ≈ ${formatSeconds(tg)} vs ${formatSeconds(tc)} on ${bestCpu.hardwareName} (${formatSpeedup(speedup)}${cost})`;

  if (!bestCpu.fits) {
    const reason = bestCpu.devicesUsed > 1 || bestCpu.devicesNeeded > 1
      ? `the step does not fit in the memory of one ${bestCpu.hardwareName} (it would take ${bestCpu.devicesNeeded})`
      : `the step needs ${formatBytes(bestCpu.memoryBytes)}, more than ${bestCpu.hardwareName} holds`;
    return { ...base, summary: `A GPU is needed: ${reason}; ${devicesText(bestGpu)} ≈ ${formatSeconds(tg)}.`, gpuPaysOff: true, reason };
  }
  const budget = opts.latencyBudgetSeconds;
  if (w.run?.mode === 'infer' && budget !== undefined && budget > 0 && bestCpu.stepSeconds.mid <= budget) {
    const reason = `${bestCpu.hardwareName} answers in ${formatSeconds(bestCpu.stepSeconds.mid)} per step, within the ${formatSeconds(budget)} budget (${bestGpu.hardwareName}: ${formatSeconds(bestGpu.stepSeconds.mid)})`;
    return { ...base, summary: `A CPU is fine: ${reason}.`, gpuPaysOff: false, reason };
  }
  if (tc < CPU_FINE_RUN_SECONDS || tc - tg < MIN_SAVING_SECONDS) {
    if (speedup > 1) {
      const reason = `the whole run takes ≈ ${formatSeconds(tc)} on ${bestCpu.hardwareName} (${devicesText(bestGpu)}: ${formatSeconds(tg)}), so a GPU saves only ${formatSeconds(Math.max(0, tc - tg))}`;
      return { ...base, summary: `A CPU is fine: ${reason}.`, gpuPaysOff: false, reason };
    }
    const reason = cpuReason(w, bestCpu, bestGpu, speedup);
    return { ...base, summary: `A CPU is fine: ${bestCpu.hardwareName} ≈ ${formatSeconds(tc)} vs ${formatSeconds(tg)} on ${devicesText(bestGpu)}, because ${reason}.`, gpuPaysOff: false, reason };
  }
  if (speedup < MIN_SPEEDUP) {
    const reason = cpuReason(w, bestCpu, bestGpu, speedup);
    return { ...base, summary: `A CPU is fine: ${bestCpu.hardwareName} ≈ ${formatSeconds(tc)} vs ${formatSeconds(tg)} on ${devicesText(bestGpu)}, because ${reason}.`, gpuPaysOff: false, reason };
  }
  const reason = gpuReason(w, bestGpu, bestCpu);
  return { ...base, summary: `A GPU pays off: ${pair}, because ${reason}.`, gpuPaysOff: true, reason };
}
