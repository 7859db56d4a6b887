import * as os from 'os';
import * as vscode from 'vscode';
import { toThisMachineInput } from '../livebench/calibration';
import type { BenchReport } from '../livebench/report';
import { thisMachineProfile } from '../livebench/thisMachine';
import { THIS_MACHINE_ID } from './hardwareService';
import type { Services } from './services';
import { registerBenchmark } from './webviews/benchmarkPanel';

/**
 * Registers `floplens.runBenchmark` (the live benchmark panel) and turns each complete report into the
 * "this machine" profile: stored by the hardware service (globalState), offered for the comparison.
 */
export function registerBenchmarkCommand(context: vscode.ExtensionContext, services: Services): vscode.Disposable {
  return registerBenchmark(context, (report: BenchReport) => {
    const input = toThisMachineInput(report);
    if (!input) return;
    const profile = thisMachineProfile({
      gpuGflops: input.gpuGflops ?? undefined,
      cpuGflops: input.cpuGflops,
      cpuCores: input.cpuCores,
      renderer: input.renderer,
      date: input.date,
      softwareRenderer: input.softwareRenderer,
      ...(input.cpuBlasGflops !== undefined ? { cpuBlasGflops: input.cpuBlasGflops } : {}),
      ...(input.cpuPeakGflops !== undefined ? { cpuPeakGflops: input.cpuPeakGflops, cpuPeakBasis: input.cpuPeakBasis } : {}),
      ...(input.cpuFeatures ? { cpuFeatures: input.cpuFeatures } : {}),
      ...(input.cpuGhz !== undefined ? { cpuGhz: input.cpuGhz } : {}),
    // The extension host's CPU names the measured machine only when the webview ran on it (a local window):
    // under Remote-SSH/WSL/containers/code-server the kernels measured the client, another machine.
    }, input.otherMachine ? undefined : os.cpus()[0]?.model);
    if (input.otherMachine) profile.notes = [`Measured on the VS Code client, not on the ${input.otherMachine}.`, ...(profile.notes ?? [])];
    services.log.info(`benchmark: this machine is now "${profile.name}" (${profile.kind}); ${profile.notes?.[0] ?? ''}`);
    void services.hardware.setThisMachine(profile).then(async () => {
      const compare = services.config.current.hardware.compare;
      if (compare.includes(THIS_MACHINE_ID)) return;
      const add = await vscode.window.showInformationMessage(`FlopLens: the benchmark is saved as the hardware profile “${profile.name}”. Compare scripts against it?`, 'Add to comparison');
      if (add) await services.config.update('hardware.compare', [THIS_MACHINE_ID, ...compare]);
    });
  });
}
