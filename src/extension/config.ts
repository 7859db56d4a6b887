import * as vscode from 'vscode';
import { DisposableOwner } from './disposable';
import { readConfig, SETTINGS, type FlopLensConfig, type SettingKey } from './configSchema';
import type { Log } from './log';

/**
 * The current `floplens.*` settings as a validated snapshot. Malformed values are replaced by their
 * defaults and reported once per distinct problem (output channel and one warning).
 */
export class ConfigService extends DisposableOwner {
  private snapshot: FlopLensConfig;
  private readonly reported = new Set<string>();
  private readonly changed = this.register(new vscode.EventEmitter<FlopLensConfig>());
  /** Fires with the new snapshot after any `floplens.*` setting changes. */
  readonly onDidChange = this.changed.event;

  constructor(private readonly log: Log) {
    super();
    this.snapshot = this.read();
    this.register(vscode.workspace.onDidChangeConfiguration((e) => {
      if (!e.affectsConfiguration('floplens')) return;
      this.snapshot = this.read();
      this.changed.fire(this.snapshot);
    }));
  }

  get current(): FlopLensConfig {
    return this.snapshot;
  }

  /** Writes a setting at the narrowest sensible target: the workspace when one is open, else the user's. */
  async update(key: SettingKey, value: unknown): Promise<void> {
    const target = vscode.workspace.workspaceFolders?.length ? vscode.ConfigurationTarget.Workspace : vscode.ConfigurationTarget.Global;
    await vscode.workspace.getConfiguration('floplens').update(key, value, target);
  }

  private read(): FlopLensConfig {
    const cfg = vscode.workspace.getConfiguration('floplens');
    const { config, problems } = readConfig((key) => (Object.hasOwn(SETTINGS, key) ? cfg.get(key) : undefined));
    for (const p of problems) {
      if (this.reported.has(p.message)) continue;
      this.reported.add(p.message);
      this.log.warn(p.message);
      void vscode.window.showWarningMessage(`FlopLens: ${p.message}`, 'Open Settings').then((choice) => {
        if (choice) void vscode.commands.executeCommand('workbench.action.openSettings', p.key);
      });
    }
    return config;
  }
}
