import type * as vscode from 'vscode';
import { AnalysisEngine } from './analysisEngine';
import { AnalysisStore } from './analysisStore';
import { AssumptionWriter } from './assumptionWriter';
import { ConfigService } from './config';
import { DisposableOwner } from './disposable';
import { DocumentTracker } from './documentTracker';
import { HardwareService } from './hardwareService';
import { Log } from './log';
import { ModuleReader } from './moduleReader';
import { ViewStates } from './webviews/viewStates';

/**
 * The container that owns every long-lived FlopLens object and its lifetime (rust-analyzer's `Ctx`,
 * GitLens's `Container`). Surfaces (views, providers, commands) get it and read from `store`/`views`;
 * only the store calls the core.
 */
export class Services extends DisposableOwner {
  readonly log: Log;
  readonly config: ConfigService;
  /** Catalog + custom + measured hardware; the benchmark stores the measured profile with `setThisMachine`. */
  readonly hardware: HardwareService;
  readonly store: AnalysisStore;
  readonly tracker: DocumentTracker;
  readonly views: ViewStates;
  readonly assumptions: AssumptionWriter;

  constructor(readonly context: vscode.ExtensionContext) {
    super();
    this.log = this.register(new Log());
    this.config = this.register(new ConfigService(this.log));
    this.hardware = this.register(new HardwareService(context, this.config, this.log));
    // The core runs in a worker thread: typing, other extensions and the views never wait for an analysis.
    const engine = new AnalysisEngine(context.asAbsolutePath('dist/analysisWorker.js'), this.log);
    this.register({ dispose: () => engine.dispose() });
    void engine.warmUp();
    this.store = this.register(new AnalysisStore(
      (input) => engine.analyze(input), () => this.config.current, this.hardware,
      new ModuleReader((text, key) => engine.localImports(text, key)), this.log,
    ));
    this.tracker = this.register(new DocumentTracker(this.store));
    this.views = this.register(new ViewStates(this.store, this.tracker, this.config, this.hardware));
    this.assumptions = new AssumptionWriter(this.store, this.config, this.log);
    this.register(this.config.onDidChange(() => this.store.refreshAll()));
    this.register(this.hardware.onDidChange(() => this.store.refreshAll()));
  }

  /** Takes ownership of `d` (disposed with the extension). */
  add<T extends { dispose(): unknown }>(d: T): T {
    return this.register(d);
  }
}
