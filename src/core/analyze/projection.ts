/**
 * Stage: the devices to compare (`hardware=` ids, else the host's profiles, else the default set) and the
 * projection of the workload onto each, with the verdict.
 */
import type { Analysis, Problem, Workload } from '../types';
import { project } from '../project';
import { DEFAULT_COMPARE_IDS, getHardware, hardwareProfileErrors } from '../hardware';
import type { HardwareProfile } from '../hardware/types';
import { resolve, type Ctx } from './resolve';

const NO_WORK: Analysis['verdict'] = { summary: 'Nothing to project: no model work was found in this script.', gpuPaysOff: false, reason: 'no work' };

export function projectWorkload(ctx: Ctx, workload: Workload): Pick<Analysis, 'projections' | 'verdict'> {
  const hardware = devicesToCompare(ctx);
  if (!(workload.forwardFlops > 0 || workload.ops.length > 0)) {
    return { projections: [], verdict: { ...NO_WORK } };
  }
  try {
    const { settings } = ctx;
    return project(workload, hardware, { computeEfficiency: settings.computeEfficiency, memoryEfficiency: settings.memoryEfficiency, launchOverheadSeconds: settings.launchOverheadSeconds, userCpu: userCpuOf(ctx, hardware) });
  } catch (e) {
    ctx.problems.push({ severity: 'error', code: 'internal', message: `Projection failed: ${(e as Error).message}` });
    return { projections: [], verdict: { ...NO_WORK } };
  }
}

/** The `userCpu` setting as a CPU profile: from the devices compared or the catalog; an unknown id is a warning. */
function userCpuOf(ctx: Ctx, compared: HardwareProfile[]): HardwareProfile | undefined {
  const id = ctx.settings.userCpu;
  if (typeof id !== 'string' || id === '') return undefined;
  const found = compared.find((h) => h.id === id) ?? usableHardware(ctx.input.hardware, []).find((h) => h.id === id) ?? getHardware(id);
  if (found?.kind === 'cpu') return found;
  ctx.problems.push({ severity: 'warning', code: 'hardware', message: `Setting userCpu: "${id.slice(0, 64)}" is not a known CPU; the verdict is judged against the default laptop-class CPU.` });
  return undefined;
}

function devicesToCompare(ctx: Ctx): HardwareProfile[] {
  const given = usableHardware(ctx.input.hardware, ctx.problems);
  const entry = ctx.directives.all.hardware;
  const listed = resolve<'hardware', HardwareProfile[]>(ctx.directives, 'hardware', {
    fromDirective: (v) => {
      const ids = v.split(',').map((s) => s.trim()).filter(Boolean).slice(0, 64);
      const found = ids.map((id) => getHardware(id) ?? given.find((h) => h.id === id)).filter((h): h is HardwareProfile => !!h);
      const missing = ids.filter((id) => !found.some((h) => h.id === id));
      if (missing.length) ctx.problems.push({ severity: 'warning', code: 'directive', message: `Unknown hardware id(s): ${missing.join(', ')}.`, loc: entry?.loc });
      return found.length ? found : undefined;
    },
    traced: [{ value: given.length ? given : undefined, source: 'setting' }],
    fallback: { value: DEFAULT_COMPARE_IDS.map((id) => getHardware(id)).filter((h): h is HardwareProfile => !!h), source: 'default' },
  });
  return listed!.value;
}

/** Profiles handed in by the host that are safe to project on; the others are named in a problem and dropped. */
function usableHardware(given: unknown, problems: Problem[]): HardwareProfile[] {
  if (!Array.isArray(given)) return [];
  const out: HardwareProfile[] = [];
  let bad = 0;
  for (const h of given.slice(0, 256)) {
    const errs = hardwareProfileErrors(h, `hardware "${String((h as { id?: unknown })?.id ?? '?').slice(0, 64)}"`);
    if (errs.length === 0) out.push(h as HardwareProfile);
    else if (bad++ < 5) problems.push({ severity: 'warning', code: 'hardware', message: `${errs.slice(0, 3).join('; ')}. The profile is not projected on.` });
  }
  if (bad > 5) problems.push({ severity: 'warning', code: 'hardware', message: `${bad - 5} more hardware profiles are invalid and not projected on.` });
  return out;
}
