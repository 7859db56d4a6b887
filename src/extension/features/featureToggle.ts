import type * as vscode from 'vscode';
import type { FlopLensConfig } from '../configSchema';
import { DisposableOwner, DisposableSlot } from '../disposable';
import type { Services } from '../services';

/**
 * Keeps a feature registered only while its setting is on (GitLens's controllers): `start` runs when the
 * setting turns on and its disposable is disposed when it turns off.
 */
export class FeatureToggle extends DisposableOwner {
  private readonly slot = this.register(new DisposableSlot());

  constructor(services: Services, private readonly isOn: (cfg: FlopLensConfig) => boolean, private readonly start: () => vscode.Disposable) {
    super();
    this.apply(services.config.current);
    this.register(services.config.onDidChange((cfg) => this.apply(cfg)));
  }

  get active(): boolean {
    return this.slot.isSet;
  }

  private apply(cfg: FlopLensConfig): void {
    const on = this.isOn(cfg);
    if (on && !this.slot.isSet) this.slot.set(this.start());
    else if (!on && this.slot.isSet) this.slot.set(undefined);
  }
}
