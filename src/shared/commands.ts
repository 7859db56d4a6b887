/**
 * The command names both sides of the webview protocol use, declared once. Pure (no `vscode`), so the webview
 * bundle, the protocol schema and the extension's `CommandId` all import it.
 */

/** Our commands a webview may ask the host to run, by short name (the host runs `floplens.<name>`). */
export const WebviewCommand = {
  openPanel: 'openPanel',
  selectHardware: 'selectHardware',
  exportReport: 'exportReport',
  runBenchmark: 'runBenchmark',
  analyzeActiveFile: 'analyzeActiveFile',
} as const;
export type WebviewCommand = (typeof WebviewCommand)[keyof typeof WebviewCommand];

/** Every webview command, in declaration order. */
export const WEBVIEW_COMMANDS: readonly WebviewCommand[] = Object.values(WebviewCommand);

/** The registered id of a FlopLens command (`floplens.<name>`). */
export function commandId<N extends string>(name: N): `floplens.${N}` {
  return `floplens.${name}`;
}
