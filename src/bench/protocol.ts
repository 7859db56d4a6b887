/**
 * Messages between the benchmark webview and the extension host, declared once and validated with zod
 * on receipt on both sides. Handshake: the webview posts `ready`; the host answers `init`.
 */
import * as z from 'zod';
import { benchReportSchema } from './report';

const sizes = z.array(z.number().int().min(4).max(16384).refine((n) => n % 4 === 0, 'sizes are multiples of 4')).min(1).max(12);

/** How a run is asked for: explicit sizes, or a largest size for the default power-of-two sweep. */
export const runRequestSchema = z.object({
  sizes: sizes.optional(),
  maxSize: z.number().int().min(64).max(16384).optional(),
  /** Start at once instead of waiting for the Run button. */
  auto: z.boolean().optional(),
  /** Also run the hand-written WebGL2 reference shader (default true). */
  referenceShader: z.boolean().optional(),
  /** Also run gpu.js's WebAssembly backend as a CPU kernel (default true). */
  wasm: z.boolean().optional(),
  /** Timed runs per kernel and size (at least). */
  minRuns: z.number().int().min(1).max(50).optional(),
});
/** Argument of the `floplens.runBenchmark` command and of the host's `init`/`start`. */
export type RunRequest = z.infer<typeof runRequestSchema>;

export const hostToBenchSchema = z.discriminatedUnion('type', [
  /** Reply to `ready`: a run to start (when `request.auto`), and the last report to show. */
  z.object({ type: z.literal('init'), request: runRequestSchema.optional(), lastReport: benchReportSchema.optional() }),
  /** Start a run now (the command was invoked again with `auto`). */
  z.object({ type: z.literal('start'), request: runRequestSchema }),
  /** Cancel the run in progress (e.g. from the progress notification). */
  z.object({ type: z.literal('cancel') }),
  /** The host stored the report as this machine's profile. */
  z.object({ type: z.literal('saved'), message: z.string() }),
]);
export type HostToBench = z.infer<typeof hostToBenchSchema>;

export const benchToHostSchema = z.discriminatedUnion('type', [
  z.object({ type: z.literal('ready') }),
  z.object({ type: z.literal('started'), sizes: z.array(z.number()), kernels: z.array(z.string()) }),
  z.object({ type: z.literal('progress'), done: z.number(), total: z.number(), message: z.string() }),
  /** A finished (or cancelled) run. */
  z.object({ type: z.literal('result'), report: benchReportSchema }),
  /** The run could not start or crashed outside any kernel. */
  z.object({ type: z.literal('error'), message: z.string() }),
]);
export type BenchToHost = z.infer<typeof benchToHostSchema>;
