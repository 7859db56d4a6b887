/**
 * The benchmark page: what this webview can reach, the controls, live progress, and the results
 * (verdict, chart, tables). All text goes in through textContent (the `h` builder).
 */
import { formatPercent, formatSeconds, formatSpeedup } from '../../core/format';
import { deviceRows, formatError, formatGflops, gpujsVersusShader, kernelLabel, ratioRows, resultCell, summarySentences } from '../../livebench/format';
import { describeDevices, type MachineFacts } from '../../livebench/devices';
import { defaultMaxSize, MAX_SIZE_CHOICES, softwareCapNote, sweepSizes } from '../../livebench/policy';
import { hostToBenchSchema, type BenchToHost, type HostToBench, type RunRequest } from '../../livebench/protocol';
import { BENCH_TOLERANCE, type BenchReport, type KernelInfo, type KernelResult } from '../../livebench/report';
import { runSweep } from '../../livebench/sweep';
import { h, replaceChildren } from '../dom';
import { readTheme, watchTheme } from '../theme';
import { planKernels } from './browserKernels';
import { gflopsChart, seriesOf } from './chart';
import { probeBrowser, type BrowserCapabilities } from './probe';
import { maxOf } from '../../core/arrays';

interface VsCodeApi {
  postMessage(message: unknown): void;
  getState(): unknown;
  setState(state: unknown): void;
}

/** UI choices kept across reloads of the webview (never results: the host re-sends the last report). */
interface UiState {
  maxSize?: number;
  referenceShader?: boolean;
  wasm?: boolean;
}

function readUi(api: VsCodeApi): UiState {
  const s = api.getState();
  if (typeof s !== 'object' || s === null) return {};
  const o = s as Record<string, unknown>;
  return {
    maxSize: typeof o.maxSize === 'number' && (MAX_SIZE_CHOICES as readonly number[]).includes(o.maxSize) ? o.maxSize : undefined,
    referenceShader: typeof o.referenceShader === 'boolean' ? o.referenceShader : undefined,
    wasm: typeof o.wasm === 'boolean' ? o.wasm : undefined,
  };
}
declare function acquireVsCodeApi(): VsCodeApi;

/** What the results area shows: a finished report, or the live state of a run. */
interface View {
  kernels: KernelInfo[];
  sizes: number[];
  results: KernelResult[];
  report?: BenchReport;
}

export function startBenchmarkApp(root: HTMLElement): void {
  const api: VsCodeApi = typeof acquireVsCodeApi === 'function'
    ? acquireVsCodeApi()
    : { postMessage: () => undefined, getState: () => undefined, setState: () => undefined };
  const post = (m: BenchToHost): void => api.postMessage(m);
  const caps = probeBrowser();
  const software = caps.renderer.software;
  const ui = readUi(api);
  const maxDefault = ui.maxSize ?? defaultMaxSize(software);

  let running = false;
  let cancelRequested = false;
  /** The extension host's machine (from `init`), and whether this page runs on it too. */
  let hostFacts: MachineFacts | undefined;
  let sameMachine = true;
  let view: View | undefined;

  const sizeSelect = h('select', { id: 'bench-max-size', 'aria-label': 'Largest matrix size' },
    ...MAX_SIZE_CHOICES.map((n) => h('option', { value: String(n), ...(n === maxDefault ? { selected: true } : {}) }, `${n} × ${n}`)));
  const shaderBox = h('input', { type: 'checkbox', id: 'bench-shader', checked: caps.webgl2 && caps.floatRender && ui.referenceShader !== false, disabled: !(caps.webgl2 && caps.floatRender) });
  const wasmBox = h('input', { type: 'checkbox', id: 'bench-wasm', checked: caps.wasm && ui.wasm !== false, disabled: !caps.wasm });
  const runButton = h('button', { id: 'bench-run', class: 'primary', on: { click: () => void start({}) } }, 'Run benchmark');
  const cancelButton = h('button', { id: 'bench-cancel', disabled: true, on: { click: () => cancel() } }, 'Cancel');
  const progressBar = h('progress', { id: 'bench-progress', max: 1, value: 0, 'aria-label': 'Benchmark progress' });
  const statusLine = h('span', { id: 'bench-status', class: 'muted', role: 'status' }, 'Ready.');
  const capNote = h('p', { class: 'muted small', id: 'bench-cap-note' });
  const savedLine = h('p', { id: 'bench-saved', class: 'muted small' });
  const summary = h('section', { class: 'card', id: 'bench-summary', hidden: true });
  const chartBox = h('div', { id: 'bench-chart' });
  const legend = h('ul', { class: 'bench-legend', id: 'bench-legend' });
  const tableBox = h('div', { id: 'bench-table' });
  const phaseBox = h('div', { id: 'bench-phases' });
  const detailBox = h('div', { id: 'bench-details' });
  const meaningBox = h('div', { id: 'bench-meaning' });

  const updateCapNote = (): void => {
    const max = Number(sizeSelect.value);
    capNote.textContent = software && max <= defaultMaxSize(true) ? softwareCapNote(caps.renderer.softwareName ?? 'a software rasteriser', max) : '';
  };
  const saveUi = (): void => api.setState({ maxSize: Number(sizeSelect.value), referenceShader: shaderBox.checked, wasm: wasmBox.checked } satisfies UiState);
  sizeSelect.addEventListener('change', () => {
    updateCapNote();
    saveUi();
  });
  shaderBox.addEventListener('change', saveUi);
  wasmBox.addEventListener('change', saveUi);
  updateCapNote();

  replaceChildren(root,
    h('header', { class: 'bench-header' },
      h('h1', {}, 'Live GPU benchmark'),
      h('p', { class: 'muted' },
        'Multiplies two n×n float32 matrices with gpu.js on this machine’s GPU (through WebGL) and on its CPU with a WebAssembly SIMD kernel and plain JavaScript, ' +
        'one core and all cores. Rate = 2·n³ FLOP / median time (a multiply-add counts 2). The rates are shown beside the detected devices’ catalog peaks ' +
        'and the ratio PyTorch would see; they become the “this machine” hardware profile.')),
    environmentCard(caps),
    h('section', { class: 'card bench-controls' },
      h('div', { class: 'bench-row' },
        h('label', { for: 'bench-max-size' }, 'Largest size '), sizeSelect,
        h('label', { class: 'bench-check' }, shaderBox, ' Reference shader'),
        h('label', { class: 'bench-check' }, wasmBox, ' gpu.js WebAssembly'),
        runButton, cancelButton),
      capNote,
      h('div', { class: 'bench-row' }, progressBar, statusLine),
      savedLine),
    summary,
    h('section', { class: 'card' }, h('h2', {}, 'What the numbers mean'), meaningBox),
    h('section', { class: 'card' }, h('h2', {}, 'Compute rate by size'), legend, chartBox),
    h('section', { class: 'card' }, h('h2', {}, 'Results'), tableBox),
    h('section', { class: 'card' }, h('h2', {}, 'GPU time breakdown'), phaseBox),
    h('section', { class: 'card' }, h('h2', {}, 'Details'), detailBox),
  );

  const render = (): void => {
    if (!view) return;
    const theme = readTheme();
    const chart = gflopsChart(view, theme, chartBox.clientWidth || root.clientWidth || 600);
    replaceChildren(chartBox, chart ?? h('p', { class: 'muted' }, 'The chart fills in as sizes finish.'));
    replaceChildren(legend, ...seriesOf(view, theme).map((s) => {
      const swatch = h('span', { class: `bench-swatch${s.dashed ? ' dashed' : ''}` });
      swatch.style.borderColor = s.color;
      if (!s.dashed) swatch.style.backgroundColor = s.color;
      return h('li', {}, swatch, s.label);
    }));
    replaceChildren(tableBox, resultsTable(view));
    replaceChildren(phaseBox, phasesTable(view));
    replaceChildren(detailBox, ...details(view));
    replaceChildren(meaningBox, ...meaning(view));
    if (view.report) {
      summary.hidden = false;
      replaceChildren(summary, h('h2', {}, view.report.status === 'complete' ? 'Verdict' : `Run ${view.report.status}`),
        ...summarySentences(view.report).map((s, i) => h('p', { class: i === 0 ? 'bench-verdict' : '' }, s)));
    }
  };
  watchTheme(render);
  let lastWidth = 0;
  new ResizeObserver(() => {
    const w = chartBox.clientWidth;
    if (Math.abs(w - lastWidth) > 20) {
      lastWidth = w;
      render();
    }
  }).observe(chartBox);

  const setRunning = (on: boolean): void => {
    running = on;
    runButton.disabled = on;
    cancelButton.disabled = !on;
    sizeSelect.disabled = on;
    document.body.classList.toggle('bench-running', on);
  };

  function cancel(): void {
    if (!running) return;
    cancelRequested = true;
    statusLine.textContent = 'Cancelling after the current product…';
  }

  async function start(request: RunRequest): Promise<void> {
    if (running) return;
    setRunning(true);
    cancelRequested = false;
    savedLine.textContent = '';
    summary.hidden = true;
    try {
      const maxSize = request.maxSize ?? Number(sizeSelect.value);
      const sizes = request.sizes ?? sweepSizes(maxSize, software);
      const plan = planKernels(caps, {
        referenceShader: request.referenceShader ?? shaderBox.checked,
        wasm: request.wasm ?? wasmBox.checked,
      });
      const notes = [plan.gpu.reason, ...plan.notes];
      if (software && !request.sizes && maxSize <= defaultMaxSize(true)) notes.push(softwareCapNote(caps.renderer.softwareName ?? 'a software rasteriser', maxSize));
      if (caps.renderer.api !== 'none' && !request.sizes && sizes.some((n) => n > caps.maxTextureSize)) {
        notes.push(`Sizes above MAX_TEXTURE_SIZE ${caps.maxTextureSize} cannot run on the GPU here.`);
      }
      view = { kernels: plan.kernels.map((k) => k.info), sizes, results: [] };
      render();
      const environment = { cpuCores: caps.cores, userAgent: navigator.userAgent, platform: navigator.platform || undefined };
      post({ type: 'started', sizes, kernels: plan.kernels.map((k) => k.info.id), context: { kernelInfos: view.kernels, environment, renderer: caps.renderer, gpu: plan.gpu, notes } });
      try {
        const report = await runSweep(plan.kernels, {
          sizes,
          minRuns: request.minRuns,
          isCancelled: () => cancelRequested,
          onProgress: (p) => {
            progressBar.max = Math.max(1, p.total);
            progressBar.value = p.done;
            statusLine.textContent = `${p.done}/${p.total} · ${p.message}`;
            post({ type: 'progress', done: p.done, total: p.total, message: p.message });
          },
          onResult: (r) => {
            view?.results.push(r);
            render();
            post({ type: 'kernelResult', result: r });
          },
        }, {
          host: 'webview',
          environment,
          renderer: caps.renderer,
          gpu: plan.gpu,
          notes,
        });
        const client: MachineFacts = { role: 'webview-client', cores: caps.cores, ...(navigator.platform ? { platform: navigator.platform } : {}) };
        report.devices = describeDevices(report, client, hostFacts, sameMachine);
        view = { kernels: report.kernels, sizes: report.sizes, results: report.results, report };
        statusLine.textContent = report.status === 'complete'
          ? `Done in ${formatSeconds(report.totalSeconds)}.`
          : `Cancelled after ${formatSeconds(report.totalSeconds)}; partial results below (not saved as a profile).`;
        render();
        post({ type: 'result', report });
      } finally {
        for (const k of plan.kernels) await k.dispose().catch(() => undefined);
      }
    } catch (e) {
      statusLine.textContent = `The benchmark failed: ${e instanceof Error ? e.message : String(e)}`;
      post({ type: 'error', message: e instanceof Error ? e.message : String(e) });
    } finally {
      setRunning(false);
    }
  }

  window.addEventListener('message', (event: MessageEvent) => {
    const parsed = hostToBenchSchema.safeParse(event.data);
    if (!parsed.success) return;
    const m: HostToBench = parsed.data;
    switch (m.type) {
      case 'init':
        hostFacts = m.host;
        sameMachine = m.sameMachine ?? true;
        if (m.lastReport && !running) {
          view = { kernels: m.lastReport.kernels, sizes: m.lastReport.sizes, results: m.lastReport.results, report: m.lastReport };
          statusLine.textContent = `Last run: ${new Date(m.lastReport.date).toLocaleString()}.`;
          render();
        }
        if (m.request?.auto) void start(m.request);
        break;
      case 'start':
        void start(m.request);
        break;
      case 'cancel':
        cancel();
        break;
      case 'saved':
        savedLine.textContent = m.message;
        break;
    }
  });
  post({ type: 'ready' });
}

function environmentCard(caps: BrowserCapabilities): HTMLElement {
  const r = caps.renderer;
  const rows: [string, string][] = [
    ['GPU renderer', r.api === 'none' ? r.renderer : `${r.renderer} (${r.vendor}, via ${r.api === 'webgl2' ? 'WebGL2' : 'WebGL1'})`],
    ['gpu.js backend', caps.webgl2 ? 'WebGL2' : caps.webgl ? 'WebGL1 (WebGL2 unavailable)' : caps.wasm ? 'WebAssembly on the CPU (no WebGL)' : 'none'],
    ['CPU', `${caps.cores} logical core${caps.cores === 1 ? '' : 's'} (navigator.hardwareConcurrency)`],
    ['WebAssembly', caps.wasm ? 'available' : 'blocked'],
  ];
  const card = h('section', { class: 'card', id: 'bench-env' },
    h('dl', { class: 'kv' }, ...rows.flatMap(([k, v]) => [h('dt', {}, k), h('dd', { class: k === 'GPU renderer' ? 'mono' : '' }, v)])));
  if (r.software) {
    card.appendChild(h('p', { class: 'bench-banner warning', id: 'bench-software', role: 'note' },
      `Software rasteriser: ${r.softwareName}. WebGL here is emulated on the CPU, so the “GPU” numbers below measure your CPU running a GPU emulator, not a GPU. ` +
      'They are shown (and saved) labelled as such; they do not predict what a real GPU would do.'));
  } else if (r.api === 'none') {
    card.appendChild(h('p', { class: 'bench-banner warning', role: 'note' },
      'WebGL is unavailable in this webview (hardware acceleration may be off, or the GPU is blocklisted): only CPU kernels can run.'));
  }
  return card;
}

function resultsTable(v: View): HTMLElement {
  if (v.sizes.length === 0) return h('p', { class: 'muted' }, 'No run yet.');
  const byKey = new Map(v.results.map((r) => [`${r.kernel}@${r.n}`, r]));
  const perSize = new Map(v.report?.perSize.map((s) => [s.n, s]) ?? []);
  const head = h('tr', {}, h('th', {}, 'n'), ...v.kernels.map((k) => h('th', { class: 'num', title: k.note ?? '' }, k.label)),
    h('th', { class: 'num', title: 'gpu.js headline rate ÷ the fastest correct CPU kernel at this size' }, 'GPU ÷ best CPU'),
    h('th', { class: 'num', title: `max |C − C_ref| / max |C_ref| over sampled entries vs float64; tolerance ${BENCH_TOLERANCE}` }, 'max rel. error'));
  const rows = v.sizes.map((n) => {
    const rs = v.kernels.map((k) => byKey.get(`${k.id}@${n}`));
    const errors = rs.filter((r): r is KernelResult => r?.maxRelError !== undefined);
    const worst = errors.length === 0 ? undefined : errors.some((r) => r.maxRelError === null) ? null : maxOf(errors.map((r) => r.maxRelError ?? 0));
    return h('tr', { 'data-n': n },
      h('td', { class: 'num' }, String(n)),
      ...rs.map((r) => h('td', { class: `num${r?.correct === false ? ' error' : ''}`, title: r ? cellTitle(r) : '' }, resultCell(r))),
      h('td', { class: 'num' }, formatSpeedup(perSize.get(n)?.ratio)),
      h('td', { class: `num${worst === null || (worst ?? 0) > BENCH_TOLERANCE ? ' error' : ''}` }, formatError(worst)));
  });
  return h('table', { class: 'grid bench-table', id: 'bench-results' }, h('thead', {}, head), h('tbody', {}, ...rows));
}

function cellTitle(r: KernelResult): string {
  if (r.status === 'skipped' || r.status === 'failed') return r.reason ?? r.status;
  const parts = [
    `median ${formatSeconds(r.medianSeconds)} over ${r.runs} runs (fastest ${formatSeconds(r.minSeconds)}, slowest ${formatSeconds(r.maxSeconds)})`,
    `end to end ${formatGflops(r.endToEndGflops)}`,
    `max rel. error ${formatError(r.maxRelError)}`,
  ];
  if (r.compileSeconds) parts.push(`build ${formatSeconds(r.compileSeconds)}, first call ${formatSeconds(r.firstCallSeconds)}`);
  return parts.join('\n');
}

function phasesTable(v: View): HTMLElement {
  const gpuResults = v.results.filter((r) => r.computeSeconds !== undefined);
  if (gpuResults.length === 0) return h('p', { class: 'muted' }, 'No GPU kernel has finished yet.');
  const head = h('tr', {}, ...['n', 'kernel', 'build', 'first call', 'upload', 'compute', 'readback', 'staged total', 'plain call', 'compute rate', 'plain-call rate']
    .map((t, i) => h('th', { class: i === 1 ? '' : 'num' }, t)));
  const label = new Map(v.kernels.map((k) => [k.id, k.label]));
  const rows = gpuResults.map((r) => h('tr', {},
    h('td', { class: 'num' }, String(r.n)),
    h('td', {}, label.get(r.kernel) ?? r.kernel),
    ...[r.compileSeconds, r.firstCallSeconds, r.uploadSeconds, r.computeSeconds, r.readbackSeconds,
      (r.uploadSeconds ?? NaN) + (r.computeSeconds ?? NaN) + (r.readbackSeconds ?? NaN), r.medianSeconds].map((s) => h('td', { class: 'num' }, formatSeconds(s))),
    h('td', { class: 'num' }, formatGflops(r.gflops)),
    h('td', { class: 'num' }, formatGflops(r.endToEndGflops))));
  return h('div', {},
    h('p', { class: 'muted small' },
      'Staged: upload both inputs into textures, compute the product on the resident textures (waited for by reading back one texel; ' +
      'gl.finish() does not wait in Chromium), read the result into JS memory. Plain call: the kernel called on JS arrays, result as JS arrays, ' +
      'which is what the headline “end to end” rate and the dashed lines use. Medians.'),
    h('table', { class: 'grid bench-table', id: 'bench-phase-table' }, h('thead', {}, head), h('tbody', {}, ...rows)));
}

function details(v: View): HTMLElement[] {
  const out: HTMLElement[] = [];
  const r = v.report;
  if (r) {
    const vs = gpujsVersusShader(r);
    if (vs.length > 0) {
      out.push(h('p', {}, `gpu.js reaches ${vs.map((x) => `${formatPercent(x.fraction)} at n = ${x.n}`).join(', ')} of the hand-written reference shader’s compute rate.`));
    }
  }
  const odd = v.results.filter((x) => x.status === 'skipped' || x.status === 'failed');
  if (odd.length > 0) {
    out.push(h('ul', {}, ...odd.map((x) => h('li', {}, `${r ? kernelLabel(r, x.kernel) : x.kernel} at n = ${x.n} ${x.status}: ${x.reason ?? ''}`))));
  }
  if (r) {
    out.push(h('ul', { class: 'muted small' }, ...r.notes.map((n) => h('li', {}, n)),
      h('li', {}, `Correctness: every product is compared with a float64 dot product on up to 4,096 sampled entries; tolerance ${r.tolerance} (max error relative to the largest entry).`),
      h('li', {}, `Timings: each kernel is built, called once (checked), then timed over 3–10 calls; the median is shown. ${r.environment.cpuCores} logical cores.`)));
  }
  return out;
}

/** Measured rates beside the detected devices' peaks, and the browser ratio beside the PyTorch ones. */
function meaning(v: View): HTMLElement[] {
  const d = v.report?.devices;
  if (!d) return [h('p', { class: 'muted' }, 'After a run: the detected GPU and CPU with their catalog peaks, and the GPU ÷ CPU ratio PyTorch would see next to the one measured here.')];
  return [
    h('p', { class: 'small', id: 'bench-machines' }, `Measured on ${d.measuredMachine}.`, ...(d.otherMachine ? [h('br', {}), `Not measured: ${d.otherMachine}.`] : [])),
    h('table', { class: 'grid bench-table', id: 'bench-devices' },
      h('thead', {}, h('tr', {}, h('th', {}, 'device'), h('th', {}, 'measured here'), h('th', {}, 'catalog peak / what PyTorch gets'))),
      h('tbody', {}, ...deviceRows(d).map(([a, b, c]) => h('tr', {}, h('td', {}, a), h('td', { class: 'num' }, b), h('td', {}, c))))),
    h('table', { class: 'grid bench-table', id: 'bench-ratios' },
      h('thead', {}, h('tr', {}, h('th', {}, 'GPU ÷ CPU'), h('th', { class: 'num' }, 'ratio'))),
      h('tbody', {}, ...ratioRows(d).map(([a, b]) => h('tr', {}, h('td', {}, a), h('td', { class: 'num' }, b))))),
    h('ul', { class: 'muted small' },
      ...(d.cpu.browserCeilingBasis ? [h('li', { id: 'bench-ceiling' }, `The CPU bar's ceiling: ${d.cpu.browserCeilingBasis}.`)] : []),
      h('li', {}, `CPU BLAS estimate: ${d.cpu.blasBasis}.`), ...d.notes.map((n) => h('li', {}, n))),
  ];
}
