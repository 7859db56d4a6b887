import * as vscode from 'vscode';
import { CommandId } from './commandIds';
import type { Services } from './services';

/**
 * Registers `floplens.runBenchmark`. The live benchmark panel (webviews/benchmarkPanel.ts) owns it;
 * until it is wired this says so instead of failing.
 */
export function registerBenchmarkCommand(_context: vscode.ExtensionContext, services: Services): vscode.Disposable {
  return vscode.commands.registerCommand(CommandId.runBenchmark, () => {
    services.log.info('runBenchmark: the benchmark panel is not part of this build');
    void vscode.window.showInformationMessage('FlopLens: the live benchmark is not available in this build.');
  });
}
