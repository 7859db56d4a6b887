import * as vscode from 'vscode';
import { HARDWARE } from '../core/hardware/catalog';
import { hardwareProfileErrors, validateHardwareProfiles } from '../core/hardware/validate';
import type { HardwareProfile } from '../core/hardware/types';
import type { DeviceSummary } from '../shared/protocol';
import type { ConfigService } from './config';
import { DisposableOwner } from './disposable';
import type { Log } from './log';

/** globalState key of the measured "this machine" profile. */
const THIS_MACHINE_KEY = 'floplens.thisMachineProfile';
export const THIS_MACHINE_ID = 'this-machine';

/**
 * The hardware FlopLens projects onto: the catalog, the user's custom profiles (setting and file), and
 * the profile measured by the live benchmark. Resolves `floplens.hardware.compare` to profiles.
 */
export class HardwareService extends DisposableOwner {
  private custom: HardwareProfile[] = [];
  private thisMachine: HardwareProfile | undefined;
  private readonly reported = new Set<string>();
  private readonly changed = this.register(new vscode.EventEmitter<void>());
  /** Fires when the catalog, custom profiles, the measured profile or the selection changes. */
  readonly onDidChange = this.changed.event;
  private loading: Promise<void>;

  constructor(
    private readonly context: vscode.ExtensionContext,
    private readonly config: ConfigService,
    private readonly log: Log,
  ) {
    super();
    this.thisMachine = this.checkedThisMachine(context.globalState.get<HardwareProfile>(THIS_MACHINE_KEY));
    this.loading = this.loadCustom();
    this.register(config.onDidChange(() => {
      this.loading = this.loadCustom().then(() => this.changed.fire());
    }));
  }

  /** Resolves once custom profiles from settings and `customFile` are loaded. */
  ready(): Promise<void> {
    return this.loading;
  }

  /** Every profile the user can pick: catalog, custom, measured. Custom profiles never take a catalog id (validation refuses them). */
  all(): HardwareProfile[] {
    const byId = new Map<string, HardwareProfile>();
    for (const p of HARDWARE) byId.set(p.id, p);
    for (const p of this.custom) if (!byId.has(p.id)) byId.set(p.id, p);
    if (this.thisMachine) byId.set(THIS_MACHINE_ID, this.thisMachine);
    return [...byId.values()];
  }

  /** The compared profiles in the user's order; unknown ids are reported once and skipped. */
  selected(): HardwareProfile[] {
    const all = new Map(this.all().map((p) => [p.id, p]));
    const out: HardwareProfile[] = [];
    for (const id of this.config.current.hardware.compare) {
      const p = all.get(id);
      if (p) out.push(p);
      else if (id === THIS_MACHINE_ID) this.reportOnce(`"${id}" is selected but no benchmark has run yet; run "FlopLens: Run Live GPU Benchmark".`, false);
      else this.reportOnce(`floplens.hardware.compare: unknown hardware id "${id}"; it is skipped. Run "FlopLens: Select Hardware to Compare" to pick from the catalog.`, true);
    }
    return out;
  }

  get measured(): HardwareProfile | undefined {
    return this.thisMachine;
  }

  /** Stores the profile measured by the live benchmark (or clears it) and re-projects. */
  async setThisMachine(profile: HardwareProfile | undefined): Promise<void> {
    this.thisMachine = this.checkedThisMachine(profile ? { ...profile, id: THIS_MACHINE_ID } : undefined);
    await this.context.globalState.update(THIS_MACHINE_KEY, this.thisMachine);
    this.changed.fire();
  }

  private async loadCustom(): Promise<void> {
    const { custom, customFile } = this.config.current.hardware;
    const profiles: HardwareProfile[] = [];
    const errors: string[] = [];
    const ids = new Set<string>();
    const take = (r: { profiles: HardwareProfile[]; errors: string[] }) => {
      for (const p of r.profiles) if (!ids.has(p.id)) { ids.add(p.id); profiles.push(p); }
      for (const e of r.errors) errors.push(e);
    };
    if (custom.length) take(validateHardwareProfiles(custom, 'floplens.hardware.custom'));
    if (customFile) {
      const fromFile = await this.readCustomFile(customFile);
      if (fromFile) take(validateHardwareProfiles(fromFile, customFile));
    }
    for (const e of errors) this.reportOnce(`Custom hardware ${e}; the entry is ignored.`, true);
    this.custom = profiles;
  }

  private async readCustomFile(path: string): Promise<unknown[] | undefined> {
    const folder = vscode.workspace.workspaceFolders?.[0];
    const isAbsolute = path.startsWith('/') || /^[A-Za-z]:[\\/]/.test(path);
    const uri = isAbsolute ? vscode.Uri.file(path) : folder ? vscode.Uri.joinPath(folder.uri, path) : undefined;
    if (!uri) {
      this.reportOnce(`floplens.hardware.customFile: "${path}" is relative but no folder is open.`, true);
      return undefined;
    }
    try {
      const text = new TextDecoder().decode(await vscode.workspace.fs.readFile(uri));
      const data: unknown = JSON.parse(text);
      if (!Array.isArray(data)) {
        this.reportOnce(`floplens.hardware.customFile: ${path} must hold a JSON array of profiles.`, true);
        return undefined;
      }
      return data;
    } catch (e) {
      this.reportOnce(`floplens.hardware.customFile: cannot read ${path}: ${e instanceof Error ? e.message : String(e)}`, true);
      return undefined;
    }
  }

  /** The measured profile if every figure is in its physical range; otherwise reported and dropped. */
  private checkedThisMachine(p: HardwareProfile | undefined): HardwareProfile | undefined {
    if (!p) return undefined;
    const errs = hardwareProfileErrors(p, 'this-machine profile');
    if (errs.length === 0) return p;
    this.reportOnce(`The measured this-machine profile is not usable (${errs.slice(0, 3).join('; ')}); run "FlopLens: Run Live GPU Benchmark" again.`, true);
    return undefined;
  }

  private reportOnce(message: string, notify: boolean): void {
    if (this.reported.has(message)) return;
    this.reported.add(message);
    this.log.warn(message);
    if (notify) void vscode.window.showWarningMessage(`FlopLens: ${message}`);
  }
}

/** What the charts need of a profile. */
export function deviceSummary(p: HardwareProfile): DeviceSummary {
  return { id: p.id, name: p.name, kind: p.kind, peakFlops: { ...p.peakFlops }, memoryBandwidth: p.memoryBandwidth, memoryBytes: p.memoryBytes };
}
