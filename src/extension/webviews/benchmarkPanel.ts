import * as vscode from 'vscode';
import { en } from 'zod/locales';
import * as z from 'zod/mini';
import { toThisMachineInput } from '../../livebench/calibration';
import { benchToHostSchema, runRequestSchema, type HostToBench, type RunRequest } from '../../livebench/protocol';
import type { BenchReport } from '../../livebench/report';
import { nodeMachineFacts } from '../../livebench/node/hostInfo';
import { BenchRunWatch, type BenchDeadlines, type WatchExpiry, type WatchTimers } from '../../livebench/runWatch';
import { CommandId } from '../commandIds';
import { renderWebviewHtml, webviewRoots } from './html';

// zod/mini ships no messages: load the English ones for the errors shown here (a global setting, as full zod does on
// import). Imported by name: `z.locales.en()` would bundle every locale (~260 KB).
z.config(en());

/** Webview panel type of the benchmark. */
export const BENCHMARK_VIEW_TYPE = 'floplens.benchmark';
const COMMAND = CommandId.runBenchmark;

/**
 * Registers `floplens.runBenchmark`, which opens (or reveals) the live-benchmark panel.
 *
 * Argument (optional, validated): `{ sizes?: number[]; maxSize?: number; auto?: boolean; referenceShader?: boolean;
 * wasm?: boolean; minRuns?: number }`. With `auto: true` the run starts at once and the command resolves with
 * the report when it ends (cancelled runs included; `undefined` if the panel closes first); otherwise it
 * resolves with `undefined` once the panel is shown and the user starts runs with its button. A view that stops
 * answering (runWatch.ts deadlines: loading, starting, each step of the run, a cancel) ends the wait with a
 * message to the user, and the command resolves with what had been measured (status `failed`/`cancelled`), or
 * `undefined` when nothing was. The progress notification's Cancel button cancels the run.
 *
 * `onResult` receives every complete report whose measurements can calibrate a profile (see
 * `toThisMachineInput` in src/livebench/calibration.ts); the caller stores it (globalState) with its date and renderer.
 */
export function registerBenchmark(
  context: vscode.ExtensionContext, onResult: (r: BenchReport) => void,
  watchOptions: { deadlines?: Partial<BenchDeadlines>; timers?: WatchTimers } = {},
): vscode.Disposable {
  const controller = new BenchmarkController(context.extensionUri, onResult, watchOptions);
  return vscode.Disposable.from(
    vscode.commands.registerCommand(COMMAND, (arg?: unknown) => controller.open(arg)),
    controller,
  );
}

class BenchmarkController implements vscode.Disposable {
  private panel: vscode.WebviewPanel | undefined;
  private ready = false;
  private pending: RunRequest | undefined;
  private lastReport: BenchReport | undefined;
  private waiters: ((r: BenchReport | undefined) => void)[] = [];
  private progress: { report(message: string): void; end(): void } | undefined;
  /** Listeners of the current panel, disposed with it. */
  private panelListeners: vscode.Disposable[] = [];
  private readonly watch: BenchRunWatch;

  constructor(
    private readonly extensionUri: vscode.Uri, private readonly onResult: (r: BenchReport) => void,
    watchOptions: { deadlines?: Partial<BenchDeadlines>; timers?: WatchTimers },
  ) {
    this.watch = new BenchRunWatch((e) => this.onExpired(e), watchOptions);
  }

  async open(arg: unknown): Promise<BenchReport | undefined> {
    let request: RunRequest = {};
    // Menus pass a URI or nothing; only a plain object is a request.
    if (arg !== null && typeof arg === 'object' && !(arg instanceof vscode.Uri)) {
      const parsed = runRequestSchema.safeParse(arg);
      if (!parsed.success) {
        void vscode.window.showErrorMessage(`FlopLens: invalid benchmark options. ${z.prettifyError(parsed.error)}`);
        return undefined;
      }
      request = parsed.data;
    }
    this.show();
    if (!request.auto) return undefined;
    const done = new Promise<BenchReport | undefined>((resolve) => this.waiters.push(resolve));
    if (!this.progress) this.startProgress(this.ready ? 'starting' : 'opening the benchmark view');
    if (this.ready) {
      this.post({ type: 'start', request });
      this.watch.requested();
    } else {
      this.pending = request;
    }
    return done;
  }

  private show(): void {
    if (this.panel) {
      this.panel.reveal(undefined, false);
      return;
    }
    const panel = vscode.window.createWebviewPanel(BENCHMARK_VIEW_TYPE, 'FlopLens: Live Benchmark', vscode.ViewColumn.Active, {
      enableScripts: true,
      localResourceRoots: webviewRoots(this.extensionUri),
      // A hidden webview without this is destroyed, which would kill a run that takes minutes; the
      // panel holds only a report, so a serializer would not help.
      retainContextWhenHidden: true,
    });
    panel.iconPath = vscode.Uri.joinPath(this.extensionUri, 'media', 'floplens.svg');
    panel.webview.html = renderWebviewHtml(panel.webview, this.extensionUri, {
      title: 'FlopLens: Live Benchmark',
      script: 'benchmark.js',
      styles: ['webview.css', 'benchmark.css'],
      view: 'benchmark',
      wasm: true,
      workers: true,
    });
    this.panelListeners = [
      panel.webview.onDidReceiveMessage((m: unknown) => this.onMessage(m)),
      panel.onDidChangeViewState(() => this.watch.visibility(panel.visible)),
      panel.onDidDispose(() => {
        for (const d of this.panelListeners.splice(0)) d.dispose();
        this.panel = undefined;
        this.ready = false;
        this.pending = undefined;
        this.watch.dispose();
        this.endProgress();
        this.settle(undefined);
      }),
    ];
    this.panel = panel;
    this.watch.loading();
  }

  /** `init`, with the extension host's machine (CPU features from /proc/cpuinfo, read through vscode.workspace.fs). */
  private async sendInit(request: RunRequest | undefined): Promise<void> {
    let cpuinfo: string | undefined;
    if (process.platform === 'linux') {
      cpuinfo = await vscode.workspace.fs.readFile(vscode.Uri.file('/proc/cpuinfo')).then((b) => new TextDecoder().decode(b), () => undefined);
    }
    this.post({
      type: 'init', request, lastReport: this.lastReport,
      host: nodeMachineFacts('extension-host', cpuinfo, vscode.env.remoteName),
      sameMachine: vscode.env.remoteName === undefined && vscode.env.uiKind === vscode.UIKind.Desktop,
    });
  }

  private post(m: HostToBench): void {
    void this.panel?.webview.postMessage(m);
  }

  private onMessage(raw: unknown): void {
    const parsed = benchToHostSchema.safeParse(raw);
    if (!parsed.success) {
      console.warn('[floplens] ignored a malformed benchmark message', z.prettifyError(parsed.error));
      return;
    }
    const m = parsed.data;
    this.watch.observe(m);
    switch (m.type) {
      case 'ready':
        this.ready = true;
        void this.sendInit(this.pending);
        if (this.pending?.auto) this.watch.requested();
        this.pending = undefined;
        break;
      case 'started':
        if (!this.progress) this.startProgress('starting');
        break;
      case 'kernelResult':
        break;
      case 'progress':
        this.progress?.report(`${m.done}/${m.total} ${m.message}`);
        break;
      case 'result':
        this.endProgress();
        this.lastReport = m.report;
        if (m.report.status === 'complete' && toThisMachineInput(m.report)) {
          try {
            this.onResult(m.report);
            const what = m.report.renderer.software ? ` (renderer ${m.report.renderer.softwareName}: a software rasteriser, labelled as such)` : '';
            this.post({ type: 'saved', message: `Saved as the “this machine” profile${what}. Add "this-machine" to floplens.hardware.compare to compare against it.` });
          } catch (e) {
            void vscode.window.showErrorMessage(`FlopLens: could not store the benchmark result: ${e instanceof Error ? e.message : String(e)}`);
          }
        }
        this.settle(m.report);
        break;
      case 'error':
        this.endProgress();
        void vscode.window.showErrorMessage(`FlopLens benchmark failed: ${m.message}`);
        this.settle(undefined);
        break;
    }
  }

  private settle(r: BenchReport | undefined): void {
    for (const w of this.waiters.splice(0)) w(r);
  }

  /** A deadline of the run passed: the user is told what happened and what to try; what was measured is kept. */
  private onExpired(e: WatchExpiry): void {
    this.endProgress();
    if (e.report) this.lastReport = e.report;
    if (e.phase === 'cancelling') void vscode.window.showWarningMessage(`FlopLens benchmark: ${e.message}`);
    else void vscode.window.showErrorMessage(`FlopLens benchmark: ${e.message}`);
    this.settle(e.report);
    // A view that never loaded is of no use; the next command opens a fresh one.
    if (e.phase === 'loading') this.panel?.dispose();
  }

  /** Progress notification while a run is going, with a Cancel button (the webview has one too). */
  private startProgress(message: string): void {
    this.endProgress();
    let end!: () => void;
    let report!: (message: string) => void;
    const finished = new Promise<void>((resolve) => (end = resolve));
    void vscode.window.withProgress({ location: vscode.ProgressLocation.Notification, title: 'FlopLens benchmark', cancellable: true }, (p, token) => {
      report = (text) => p.report({ message: text });
      p.report({ message });
      const onCancel = token.onCancellationRequested(() => this.cancelRun());
      return finished.finally(() => onCancel.dispose());
    });
    this.progress = { report: (text) => report?.(text), end };
  }

  /** The progress notification's Cancel: the view stops after the product in flight and sends what it measured. */
  private cancelRun(): void {
    if (this.watch.current === 'loading' || !this.ready) {
      // Nothing started yet: stop waiting for the view.
      this.pending = undefined;
      this.watch.dispose();
      this.endProgress();
      this.settle(undefined);
      return;
    }
    this.post({ type: 'cancel' });
    this.watch.cancelRequested();
    this.progress?.report('cancelling after the current product…');
  }

  private endProgress(): void {
    this.progress?.end();
    this.progress = undefined;
  }

  dispose(): void {
    this.panel?.dispose();
    this.watch.dispose();
    this.endProgress();
    this.settle(undefined);
  }
}
