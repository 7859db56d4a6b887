/**
 * The live-kernel section of `npm run bench` (issue 18): the live benchmark's kernels against their references on
 * this machine, as a table of size × kernel × GFLOP/s × fraction of the reference.
 *   - CPU: the WebAssembly SIMD sgemm kernel (1 thread, all cores) and the JS kernel, in Node worker_threads, against
 *     this machine's sustained sgemm at the same thread count from bench/sgemm_reference.py (torch.mm / numpy.dot on
 *     OpenBLAS with the kernel set for this CPU's ISA), measured just before and just after the kernels (the better
 *     of the two is the reference: the machine may be shared), and against two theoretical peaks for the cores used:
 *     the BLAS's vector ISA (AVX-512 here) and 128-bit WebAssembly SIMD, the ceiling of any browser kernel.
 *   - GPU: the webview bundle in headless Chromium (/usr/bin/chromium), gpu.js (fastest correct variant) against the
 *     hand-written WebGL2 reference shader, on whatever renderer Chromium has (SwiftShader on a machine without a GPU).
 * Each part says why when it cannot run (no python3/torch/numpy, no Chromium). Never run by a test.
 */
import { execFileSync } from 'child_process';
import * as fs from 'fs';
import * as http from 'http';
import * as os from 'os';
import * as path from 'path';
import { createRequire } from 'module';
import { nodeRowPool, nodeSimdSupport } from '../src/livebench/node/nodeBench';
import { pooledJsKernel } from '../src/livebench/jsKernel';
import { pooledSimdKernel, simdWorkerSource } from '../src/livebench/simdKernel';
import { runSweep, type BenchKernel } from '../src/livebench/sweep';
import { checkProduct, randomMatrix, sampleReference } from '../src/livebench/matmul';
import { BENCH_TOLERANCE } from '../src/livebench/report';
import type { BenchReport } from '../src/livebench/report';

/** The repository: above the bundle (dist-bench/) or the working directory (npm run). */
const ROOT = [path.resolve(__dirname, '..'), process.cwd()].find((d) => fs.existsSync(path.join(d, 'bench/sgemm_reference.py'))) ?? process.cwd();
/** Loaded at run time (not bundled): playwright-core and esbuild stay in node_modules. */
const load = createRequire(path.join(ROOT, 'package.json'));
const CPU_SIZES = [256, 512, 1024, 2048];
const GPU_SIZES = [128, 256, 512];

type Row = {
  n: number; kernel: string; gflops: number | null; reference: string; refGflops: number | null; variant?: string;
  /** Theoretical peaks for the cores the kernel used: the BLAS's vector ISA and 128-bit WebAssembly SIMD (CPU rows). */
  blasPeak?: number; wasmPeak?: number;
  /** GFLOP per CPU-second of the kernel and of the sgemm at the same thread count, and one core's 128-bit peak. */
  perCpu?: number | null; refPerCpu?: number | null; corePeak128?: number;
};

/** What bench/sgemm_reference.py --json prints (the fields used here). */
interface SgemmJson {
  cpu: { model: string; cores: number; isa: string[]; ghz: number; ghz_source: string };
  blas: { config?: string; corename?: string; library?: string; error?: string };
  peaks: Record<'blas_isa' | 'wasm_simd128', { bits: number; flop_per_cycle: number; per_core_gflops: number }>;
  best_gflops_by_threads: Record<string, Record<string, number>>;
  best_gflops_per_cpu_s_by_threads: Record<string, Record<string, number>>;
  libraries: Record<string, { version?: string; error?: string }>;
}
type ByThreads = Map<number, Map<number, number>>;
interface Reference { byThreads: ByThreads; perCpu: ByThreads; label: string; json: SgemmJson }

const byThreads = (m: Record<string, Record<string, number>> | undefined): ByThreads =>
  new Map(Object.entries(m ?? {}).map(([t, r]) => [Number(t), new Map(Object.entries(r).map(([n, g]) => [Number(n), g]))]));

/** The better of several reference runs for each thread count and size (the machine may be shared). */
function bestOfRuns(runs: ByThreads[]): ByThreads {
  const out: ByThreads = new Map();
  for (const r of runs) for (const [t, m] of r) for (const [n, g] of m) out.set(t, (out.get(t) ?? new Map<number, number>()).set(n, Math.max(out.get(t)?.get(n) ?? 0, g)));
  return out;
}

/**
 * GFLOP per CPU-second of a CPU kernel: this process's CPU time (the calling thread and every worker) per call,
 * median over calls within a budget, after a checked first call. Unlike wall-clock rates it does not fall when other
 * processes share the cores, so it compares kernel and BLAS fairly on a loaded machine (it measures efficiency per
 * core, not scaling across cores).
 */
async function perCpuSecond(kernel: BenchKernel, n: number, budgetSeconds = 1.5): Promise<number | null> {
  const a = randomMatrix(n, 7), b = randomMatrix(n, 8);
  await kernel.prepare(n, a, b);
  try {
    if (!checkProduct((await kernel.run()) as Float32Array, sampleReference(a, b, n, 1024), BENCH_TOLERANCE).correct) return null;
    const cpu: number[] = [];
    const start = performance.now();
    while (cpu.length < 30 && (cpu.length < 3 || performance.now() - start < budgetSeconds * 1e3)) {
      const u = process.cpuUsage();
      await kernel.run();
      const d = process.cpuUsage(u);
      cpu.push((d.user + d.system) / 1e6);
    }
    cpu.sort((x, y) => x - y);
    const median = cpu[cpu.length >> 1];
    return median > 0 ? (2 * n ** 3) / median / 1e9 : null;
  } finally {
    await kernel.release();
  }
}

/** One run of the reference script (it re-executes itself with OpenBLAS's kernels for this CPU). */
function sgemmReference(): Reference | { error: string } {
  const python = '/usr/bin/python3';
  if (!fs.existsSync(python)) return { error: 'no /usr/bin/python3' };
  try {
    const out = execFileSync(python, [path.join(ROOT, 'bench/sgemm_reference.py'), '--json', '--sizes', CPU_SIZES.join(',')], {
      encoding: 'utf8', timeout: 600_000, stdio: ['ignore', 'pipe', 'pipe'],
    });
    const json = JSON.parse(out) as SgemmJson;
    const libs = Object.entries(json.libraries).filter(([, v]) => !v.error).map(([k, v]) => `${k} ${v.version ?? ''}`.trim());
    if (libs.length === 0) return { error: 'neither torch nor numpy imports' };
    return { byThreads: byThreads(json.best_gflops_by_threads), perCpu: byThreads(json.best_gflops_per_cpu_s_by_threads), label: `sgemm${json.blas.corename ? ` ${json.blas.corename}` : ''}`, json };
  } catch (e) {
    return { error: e instanceof Error ? e.message.split('\n')[0] : String(e) };
  }
}

const bestOf = (r: BenchReport, id: string, n: number): number | null => {
  const x = r.results.find((q) => q.kernel === id && q.n === n && q.status === 'ok' && q.correct);
  return x?.gflops ?? null;
};

async function cpuRows(): Promise<{ rows: Row[]; notes: string[] }> {
  const notes: string[] = [];
  const simd = nodeSimdSupport();
  const threads = Math.max(1, os.availableParallelism?.() ?? os.cpus().length);
  const kernels: BenchKernel[] = [];
  if (simd.simd) {
    const source = simdWorkerSource('node', simd.relaxed);
    kernels.push(pooledSimdKernel('simd-1', 'WebAssembly SIMD, 1 thread', simd, () => nodeRowPool(1, source)));
    if (threads > 1) kernels.push(pooledSimdKernel('simd-n', `WebAssembly SIMD, ${threads} threads`, simd, () => nodeRowPool(threads, source)));
  } else notes.push('no WebAssembly SIMD in this Node');
  kernels.push(pooledJsKernel('js-n', `JS, ${threads} threads`, () => nodeRowPool(threads)));
  const before = sgemmReference();
  let report: BenchReport;
  const perCpu = new Map<string, number | null>();
  try {
    report = await runSweep(kernels, { sizes: CPU_SIZES, minRuns: 3, maxRuns: 10, budgetSeconds: 2, maxKernelSeconds: 40 }, {
      host: 'node', environment: { cpuCores: threads }, renderer: { api: 'none', vendor: 'none', renderer: 'none', software: false },
      gpu: { mode: 'none', onGpu: false, reason: 'CPU kernels only' }, notes: [],
    });
    for (const k of kernels.filter((x) => x.info.id.startsWith('simd'))) {
      for (const n of CPU_SIZES) perCpu.set(`${k.info.id}:${n}`, await perCpuSecond(k, n));
    }
  } finally {
    for (const k of kernels) await k.dispose().catch(() => undefined);
  }
  const after = sgemmReference();
  const runs = [before, after].filter((r): r is Reference => !('error' in r));
  const ref = bestOfRuns(runs.map((r) => r.byThreads)), refCpu = bestOfRuns(runs.map((r) => r.perCpu));
  // The peaks from the run that proved the faster clock.
  const json = runs.map((r) => r.json).sort((x, y) => y.cpu.ghz - x.cpu.ghz)[0] as SgemmJson | undefined;
  if ('error' in before && 'error' in after) notes.push(`sgemm reference not measured: ${before.error}`);
  if (json) {
    const p = json.peaks, cores = json.cpu.cores;
    notes.push(`CPU: ${json.cpu.model}, ${cores} cores, ISA ${json.cpu.isa.join(' ')}; clock ${json.cpu.ghz.toFixed(2)} GHz (${json.cpu.ghz_source})`);
    notes.push(`BLAS: ${json.blas.config ?? json.blas.library ?? json.blas.error ?? 'unknown'}${json.blas.corename ? ` (kernel set ${json.blas.corename})` : ''}`);
    notes.push(`Peaks per core (2 FMA ports assumed): BLAS ${p.blas_isa.bits}-bit ${p.blas_isa.per_core_gflops.toFixed(0)} GFLOP/s (${p.blas_isa.flop_per_cycle} FLOP/cycle), ` +
      `WebAssembly SIMD 128-bit ${p.wasm_simd128.per_core_gflops.toFixed(0)} GFLOP/s (${p.wasm_simd128.flop_per_cycle} FLOP/cycle): ` +
      `a 128-bit kernel can reach at most ${((100 * p.wasm_simd128.flop_per_cycle) / p.blas_isa.flop_per_cycle).toFixed(0)}% of the BLAS's peak`);
  }
  notes.push(`SIMD kernel: ${simd.relaxed ? 'relaxed SIMD (f32x4.relaxed_madd)' : 'SIMD128 mul + add (no relaxed SIMD)'}; GFLOP/s = 2n³ / median wall time, like the reference`);
  const rows: Row[] = [];
  for (const n of CPU_SIZES) {
    for (const k of kernels) {
      const t = k.info.threads;
      const refThreads = ref.has(t) ? t : Math.max(0, ...ref.keys());
      rows.push({
        n, kernel: k.info.label, gflops: bestOf(report, k.info.id, n), reference: `${json ? `sgemm ${json.blas.corename ?? ''}`.trim() : 'sgemm'}, ${refThreads} thr`,
        refGflops: ref.get(refThreads)?.get(n) ?? null,
        ...(json ? { blasPeak: json.peaks.blas_isa.per_core_gflops * t, wasmPeak: json.peaks.wasm_simd128.per_core_gflops * t, corePeak128: json.peaks.wasm_simd128.per_core_gflops } : {}),
        ...(perCpu.has(`${k.info.id}:${n}`) ? { perCpu: perCpu.get(`${k.info.id}:${n}`) ?? null, refPerCpu: refCpu.get(refThreads)?.get(n) ?? null } : {}),
      });
    }
  }
  return { rows, notes };
}

async function gpuRows(): Promise<{ rows: Row[]; notes: string[]; renderer?: string }> {
  const chromiumPath = '/usr/bin/chromium';
  if (!fs.existsSync(chromiumPath)) return { rows: [], notes: ['GPU part not run: /usr/bin/chromium is not installed'] };
  const esbuild = load('esbuild') as typeof import('esbuild');
  const { chromium } = load('playwright-core') as typeof import('playwright-core');
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'floplens-livebench-'));
  let server: http.Server | undefined;
  try {
    await esbuild.build({
      entryPoints: [path.join(ROOT, 'src/webview/benchmark.ts')], bundle: true, platform: 'browser', format: 'iife',
      target: 'es2022', minify: true, outfile: path.join(dir, 'benchmark.js'), logLevel: 'silent',
    });
    const request = { sizes: GPU_SIZES, auto: true, wasm: false, minRuns: 3 };
    const csp = "default-src 'none'; style-src 'self'; script-src 'nonce-b' 'wasm-unsafe-eval'; worker-src blob:";
    const html = `<!DOCTYPE html><html><head><meta http-equiv="Content-Security-Policy" content="${csp}"></head><body data-view="benchmark"><main id="root"></main>
<script nonce="b">window.__posted=[];window.acquireVsCodeApi=()=>({postMessage:(m)=>{window.__posted.push(m);if(m.type==='ready')setTimeout(()=>window.postMessage({type:'init',request:${JSON.stringify(request)}},'*'),0);},getState(){},setState(){}});</script>
<script nonce="b" src="/benchmark.js"></script></body></html>`;
    server = http.createServer((req, res) => {
      if (req.url === '/benchmark.js') res.writeHead(200, { 'content-type': 'text/javascript' }).end(fs.readFileSync(path.join(dir, 'benchmark.js')));
      else if (req.url === '/') res.writeHead(200, { 'content-type': 'text/html' }).end(html);
      else res.writeHead(404).end();
    });
    await new Promise<void>((resolve) => server?.listen(0, '127.0.0.1', resolve));
    const port = (server.address() as { port: number }).port;
    const ctx = await chromium.launchPersistentContext(path.join(dir, 'profile'), {
      executablePath: chromiumPath, headless: true,
      args: ['--no-sandbox', '--enable-unsafe-swiftshader', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
    });
    try {
      const page = ctx.pages()[0] ?? (await ctx.newPage());
      await page.goto(`http://127.0.0.1:${port}/`);
      await page.waitForFunction(() => (window as unknown as { __posted: { type: string }[] }).__posted.some((m) => m.type === 'result' || m.type === 'error'), null, { timeout: 900_000 });
      const posted = await page.evaluate(() => (window as unknown as { __posted: { type: string; report?: BenchReport; message?: string }[] }).__posted);
      const m = posted.find((x) => x.type === 'result' || x.type === 'error');
      if (!m?.report) return { rows: [], notes: [`GPU part failed: ${m?.message ?? 'no result'}`] };
      const r = m.report;
      const rows: Row[] = [];
      for (const n of GPU_SIZES) {
        const shader = bestOf(r, 'shader', n);
        const g = r.results.find((q) => q.kernel === 'gpujs' && q.n === n);
        rows.push({ n, kernel: 'gpu.js (WebGL2)', gflops: bestOf(r, 'gpujs', n), reference: 'reference shader', refGflops: shader, ...(g?.variant ? { variant: g.variant } : {}) });
        rows.push({ n, kernel: 'reference shader (WebGL2)', gflops: shader, reference: 'reference shader', refGflops: shader });
      }
      return { rows, notes: [], renderer: `${r.renderer.renderer}${r.renderer.software ? ` (software rasteriser: ${r.renderer.softwareName})` : ''}` };
    } finally {
      await ctx.close();
    }
  } finally {
    server?.close();
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

function printRows(rows: Row[]): void {
  const g = (x: number | null | undefined): string => (x == null ? '–' : x.toFixed(x < 10 ? 3 : 1));
  const pct = (x: number | null, of: number | null | undefined): string => (x !== null && of ? `${((100 * x) / of).toFixed(of > 20 * x ? 1 : 0)}%` : '–');
  const peaks = rows.some((r) => r.blasPeak !== undefined);
  console.log(`${'n'.padStart(6)}  ${'kernel'.padEnd(30)} ${'GFLOP/s'.padStart(9)}  ${'reference'.padEnd(24)} ${'ref GFLOP/s'.padStart(11)} ${'of ref'.padStart(7)}` +
    (peaks ? `  ${'of BLAS-ISA peak'.padStart(16)} ${'of 128-bit peak'.padStart(15)}` : '  variant'));
  for (const r of rows) {
    console.log(`${String(r.n).padStart(6)}  ${r.kernel.padEnd(30)} ${g(r.gflops).padStart(9)}  ${r.reference.padEnd(24)} ${g(r.refGflops).padStart(11)} ${pct(r.gflops, r.refGflops).padStart(7)}` +
      (peaks ? `  ${`${pct(r.gflops, r.blasPeak)} of ${g(r.blasPeak)}`.padStart(16)} ${`${pct(r.gflops, r.wasmPeak)} of ${g(r.wasmPeak)}`.padStart(15)}` : `  ${r.variant ?? ''}`));
  }
}

/** GFLOP per CPU-second: kernel and sgemm at the same thread count, and the share of one core's 128-bit peak. */
function printPerCpu(rows: Row[]): void {
  const shown = rows.filter((r) => r.perCpu !== undefined);
  if (shown.length === 0) return;
  const g = (x: number | null | undefined): string => (x == null ? '–' : x.toFixed(1));
  const pct = (x: number | null | undefined, of: number | null | undefined): string => (x != null && of ? `${((100 * x) / of).toFixed(0)}%` : '–');
  console.log('\nPer CPU-second (CPU time of every thread; unaffected by other processes sharing the cores, unlike the wall-clock rates above):');
  console.log(`${'n'.padStart(6)}  ${'kernel'.padEnd(30)} ${'GFLOP/CPU-s'.padStart(11)}  ${'sgemm'.padStart(7)} ${'of sgemm'.padStart(9)}  ${'of a core\'s 128-bit peak'.padStart(25)}`);
  for (const r of shown) {
    console.log(`${String(r.n).padStart(6)}  ${r.kernel.padEnd(30)} ${g(r.perCpu).padStart(11)}  ${g(r.refPerCpu).padStart(7)} ${pct(r.perCpu, r.refPerCpu).padStart(9)}  ${`${pct(r.perCpu, r.corePeak128)} of ${g(r.corePeak128)}`.padStart(25)}`);
  }
}

/** Runs both parts and prints the table. */
export async function runLiveKernelSection(): Promise<void> {
  console.log(`\nLive benchmark kernels vs their references (load average ${os.loadavg().map((x) => x.toFixed(1)).join(' ')}; figures swing with load on a shared machine)`);
  const cpu = await cpuRows();
  console.log('\nCPU (Node worker_threads):');
  printRows(cpu.rows);
  printPerCpu(cpu.rows);
  for (const n of cpu.notes) console.log(`  ${n}`);
  const gpu = await gpuRows();
  console.log(`\nGPU (headless Chromium${gpu.renderer ? `, ${gpu.renderer}` : ''}):`);
  printRows(gpu.rows);
  for (const n of gpu.notes) console.log(`  ${n}`);
}
