/**
 * The rules behind the `floplens` diagnostics, in program coordinates: won't-fit (with what would fit),
 * "a GPU is ×N faster" for CPU scripts, and the core's located problems. Pure (no `vscode`).
 */
import type { Analysis, Loc, Severity } from '../../core/types';
import { formatSeconds, formatSpeedup } from '../../core/format';
import { bestPair, shortName, speedup } from '../../shared/viewModel';
import { fitAdvice, fitMessage } from './fitAdvice';

/** Diagnostic codes FlopLens reports (besides the core's problem codes). */
export const DiagnosticCode = { wontFit: 'wont-fit', gpuFaster: 'gpu-faster' } as const;

/** Below this GPU speed-up a CPU script gets no "a GPU is faster" note. */
const GPU_NOTE_MIN_SPEEDUP = 3;

/** A diagnostic in program coordinates, before mapping to a script or a notebook cell. */
export interface ProgramDiagnostic {
  loc?: Loc;
  severity: 'error' | 'warning' | 'info' | 'hint';
  code: string;
  message: string;
}

/** Where the model (or, failing that, the training loop) is defined. */
export function modelLoc(a: Analysis): Loc | undefined {
  const inMain = (l: Loc | undefined): l is Loc => !!l && !l.file;
  const mod = a.modules.find((m) => m.name === a.model.name && m.kind !== 'layer' && inMain(m.loc))
    ?? a.modules.find((m) => (m.kind === 'class' || m.kind === 'catalog') && inMain(m.loc))
    ?? a.modules.find((m) => m.kind === 'loop' && inMain(m.loc));
  return mod?.loc;
}

/** The diagnostics of an analysis: won't-fit, "a GPU is ×N faster", and the core's located problems. Pure. */
export function programDiagnostics(a: Analysis): ProgramDiagnostic[] {
  const out: ProgramDiagnostic[] = [];
  const fit = fitMessage(a, fitAdvice(a));
  if (fit) out.push({ loc: modelLoc(a), severity: 'warning', code: DiagnosticCode.wontFit, message: fit });
  const s = speedup(a);
  const device = a.run.device?.toLowerCase();
  // No device in the script means CPU for a plain PyTorch loop, but Trainer/accelerate-style catalog models
  // place themselves on a GPU; only the first gets the note.
  const onCpu = device === 'cpu' || (device === undefined && a.model.source === 'script');
  if (onCpu && a.verdict.gpuPaysOff && s !== undefined && s >= GPU_NOTE_MIN_SPEEDUP) {
    const { cpu, gpu } = bestPair(a);
    const deviceLoc = a.assumptions.find((x) => x.name === 'device')?.loc;
    out.push({
      loc: deviceLoc && !deviceLoc.file ? deviceLoc : modelLoc(a),
      severity: 'info',
      code: DiagnosticCode.gpuFaster,
      message: `${device === 'cpu' ? 'This script runs on the CPU' : 'Nothing moves this model to a GPU, so it runs on the CPU'}; a GPU would be ${formatSpeedup(s)} faster${cpu && gpu ? ` (${shortName(gpu.hardwareName)} ${formatSeconds(gpu.runSeconds.mid)} vs ${shortName(cpu.hardwareName)} ${formatSeconds(cpu.runSeconds.mid)})` : ''}.`,
    });
  }
  for (const p of a.problems) {
    if (!p.loc || p.loc.file) continue;
    out.push({ loc: p.loc, severity: problemSeverity(p.severity, p.code), code: p.code, message: p.message });
  }
  return out;
}

/** Problems are caveats of the estimate, not errors in the user's Python; only bad directives are warnings. */
function problemSeverity(s: Severity, code: string): ProgramDiagnostic['severity'] {
  if (code === 'directive') return 'warning';
  return s === 'error' ? 'warning' : s === 'warning' ? 'info' : 'hint';
}
