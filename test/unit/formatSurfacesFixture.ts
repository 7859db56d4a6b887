// The Analysis the format-consistency tests render on every surface (formatSurfaces.test.ts, and the sidebar and
// panel in security.xss.test.ts), and the figures each surface must spell the same way.
import { readFileSync } from 'fs';
import { join } from 'path';
import { analyze } from '../../src/core/analyze';
import { formatBytes, formatMoney, formatSeconds } from '../../src/core/format';
import { getHardware } from '../../src/core/hardware';
import type { Analysis } from '../../src/core/types';
import { bestPair } from '../../src/shared/viewModel';
import { memoryNeedText } from '../../src/core/report/figures';

export const SURFACE_HARDWARE = ['core-ultra-7-155h', 'epyc-9654', 't4', 'rtx-4090', 'a100-80gb', 'h100-sxm'].map((id) => getHardware(id)!);

/** examples/nanogpt_train.py (GiB of memory, a run of days, a cost in dollars); `device` replaces its device. */
export function gptAnalysis(device = 'cuda'): Analysis {
  const file = join(__dirname, '../../examples/nanogpt_train.py');
  const text = readFileSync(file, 'utf8').replace("device = 'cuda'", `device = '${device}'`);
  return analyze({ text, file: 'nanogpt_train.py', hardware: SURFACE_HARDWARE });
}

/**
 * Peak memory, what the step needs on the compared devices, the best GPU's and CPU's step and run times and the GPU's
 * cost, as src/core/format.ts and src/core/report/figures.ts write them.
 */
export function surfaceFigures(a: Analysis): { memory: string; memoryNeed: string; gpuStep: string; gpuRun: string; cpuRun: string; cost: string } {
  const { cpu, gpu } = bestPair(a);
  if (!cpu || !gpu?.costUsd) throw new Error('the fixture needs a CPU and a priced GPU');
  return {
    memory: formatBytes(a.memory.peakBytes),
    memoryNeed: memoryNeedText(a),
    gpuStep: formatSeconds(gpu.stepSeconds.mid),
    gpuRun: formatSeconds(gpu.runSeconds.mid),
    cpuRun: formatSeconds(cpu.runSeconds.mid),
    cost: formatMoney(gpu.costUsd.mid),
  };
}
