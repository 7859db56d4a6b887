/**
 * Every command id FlopLens registers, declared once. Pure (no `vscode` import) so a unit test can check
 * it against `package.json` `contributes.commands`. The ones a webview may run are named in `shared/commands`.
 */
import { commandId, WebviewCommand } from '../shared/commands';

export const CommandId = {
  /** Open (or reveal) the comparison panel for the current script. Optional arg: `{ opIndex: number }` to focus an op. */
  openPanel: commandId(WebviewCommand.openPanel),
  /** Run the live GPU/CPU benchmark (registered by the benchmark panel). */
  runBenchmark: commandId(WebviewCommand.runBenchmark),
  /** QuickPick of the hardware catalog; writes `floplens.hardware.compare`. */
  selectHardware: commandId(WebviewCommand.selectHardware),
  /** Export the current analysis as a Markdown report. */
  exportReport: commandId(WebviewCommand.exportReport),
  /** Re-analyse the active script now and reveal the sidebar. */
  analyzeActiveFile: commandId(WebviewCommand.analyzeActiveFile),
  /**
   * Set one assumption (`batch`, `seq`, `dtype`, …). Args: `(key?, value?, uri?)`; asks for what is missing.
   * Writes a `# floplens:` directive or a setting per `floplens.directives.writeTo`.
   */
  setAssumption: commandId('setAssumption'),
} as const;

export type CommandId = (typeof CommandId)[keyof typeof CommandId];

/** Commands a hover or CodeLens may link to (the only ids hovers trust). */
export const LINKABLE_COMMANDS: readonly CommandId[] = [CommandId.openPanel, CommandId.selectHardware, CommandId.setAssumption];
