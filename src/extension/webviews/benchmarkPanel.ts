import * as vscode from 'vscode';
import { en } from 'zod/locales';
import * as z from 'zod/mini';
import { toThisMachineInput } from '../../livebench/calibration';
import { benchToHostSchema, runRequestSchema, type HostToBench, type RunRequest } from '../../livebench/protocol';
import type { BenchReport } from '../../livebench/report';
import { nodeMachineFacts } from '../../livebench/node/hostInfo';
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
 * resolves with `undefined` once the panel is shown and the user starts runs with its button.
 *
 * `onResult` receives every complete report whose measurements can calibrate a profile (see
 * `toThisMachineInput` in src/livebench/calibration.ts); the caller stores it (globalState) with its date and renderer.
 */
export function registerBenchmark(context: vscode.ExtensionContext, onResult: (r: BenchReport) => void): vscode.Disposable {
  const controller = new BenchmarkController(context.extensionUri, onResult);
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

  constructor(private readonly extensionUri: vscode.Uri, private readonly onResult: (r: BenchReport) => void) {}

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
    if (this.ready) this.post({ type: 'start', request });
    else this.pending = request;
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
    panel.webview.onDidReceiveMessage((m: unknown) => this.onMessage(m));
    panel.onDidDispose(() => {
      this.panel = undefined;
      this.ready = false;
      this.pending = undefined;
      this.endProgress();
      this.settle(undefined);
    });
    this.panel = panel;
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
    switch (m.type) {
      case 'ready':
        this.ready = true;
        void this.sendInit(this.pending);
        this.pending = undefined;
        break;
      case 'started':
        this.startProgress();
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

  /** Status-bar progress while a run is going (the webview has the Cancel button). */
  private startProgress(): void {
    this.endProgress();
    let end!: () => void;
    let report!: (message: string) => void;
    const finished = new Promise<void>((resolve) => (end = resolve));
    void vscode.window.withProgress({ location: vscode.ProgressLocation.Window, title: 'FlopLens benchmark' }, (p) => {
      report = (message) => p.report({ message });
      return finished;
    });
    this.progress = { report: (message) => report?.(message), end };
  }

  private endProgress(): void {
    this.progress?.end();
    this.progress = undefined;
  }

  dispose(): void {
    this.panel?.dispose();
    this.endProgress();
    this.settle(undefined);
  }
}
