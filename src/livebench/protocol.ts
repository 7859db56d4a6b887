/**
 * Messages between the benchmark webview and the extension host, declared once and validated with zod
 * on receipt on both sides. Handshake: the webview posts `ready`; the host answers `init`.
 */
import * as z from 'zod/mini';
import { benchReportSchema, kernelInfoSchema, kernelResultSchema } from './report';
import { machineFactsSchema } from './devices';

const sizes = z.array(z.int().check(z.minimum(4), z.maximum(16384), z.refine((n) => n % 4 === 0, 'sizes are multiples of 4'))).check(z.minLength(1), z.maxLength(12));

/** How a run is asked for: explicit sizes, or a largest size for the default power-of-two sweep. */
export const runRequestSchema = z.object({
  sizes: z.optional(sizes),
  maxSize: z.optional(z.int().check(z.minimum(64), z.maximum(16384))),
  /** Start at once instead of waiting for the Run button. */
  auto: z.optional(z.boolean()),
  /** Also run the hand-written WebGL2 reference shader (default true). */
  referenceShader: z.optional(z.boolean()),
  /** Also run gpu.js's WebAssembly backend as a CPU kernel (default true). */
  wasm: z.optional(z.boolean()),
  /** Timed runs per kernel and size (at least). */
  minRuns: z.optional(z.int().check(z.minimum(1), z.maximum(50))),
});
/** Argument of the `floplens.runBenchmark` command and of the host's `init`/`start`. */
export type RunRequest = z.output<typeof runRequestSchema>;

export const hostToBenchSchema = z.discriminatedUnion('type', [
  /** Reply to `ready`: a run to start (when `request.auto`), and the last report to show. */
  z.object({
    type: z.literal('init'), request: z.optional(runRequestSchema), lastReport: z.optional(benchReportSchema),
    /** The extension host's machine, and whether the webview runs on that same machine (a local window). */
    host: z.optional(machineFactsSchema), sameMachine: z.optional(z.boolean()),
  }),
  /** Start a run now (the command was invoked again with `auto`). */
  z.object({ type: z.literal('start'), request: runRequestSchema }),
  /** Cancel the run in progress (e.g. from the progress notification). */
  z.object({ type: z.literal('cancel') }),
  /** The host stored the report as this machine's profile. */
  z.object({ type: z.literal('saved'), message: z.string() }),
]);
export type HostToBench = z.output<typeof hostToBenchSchema>;

export const benchToHostSchema = z.discriminatedUnion('type', [
  z.object({ type: z.literal('ready') }),
  z.object({
    type: z.literal('started'), sizes: z.array(z.number()), kernels: z.array(z.string()),
    /**
     * What the report will carry besides its measurements, so the host can keep what was measured when the view
     * stops answering (src/livebench/runWatch.ts).
     */
    context: z.optional(z.object({
      kernelInfos: z.array(kernelInfoSchema),
      environment: benchReportSchema.shape.environment,
      renderer: benchReportSchema.shape.renderer,
      gpu: benchReportSchema.shape.gpu,
      notes: z.array(z.string()),
    })),
  }),
  z.object({ type: z.literal('progress'), done: z.number(), total: z.number(), message: z.string() }),
  /** One kernel × size result as soon as it is known (the host keeps them for a run that never finishes). */
  z.object({ type: z.literal('kernelResult'), result: kernelResultSchema }),
  /** A finished (or cancelled) run. */
  z.object({ type: z.literal('result'), report: benchReportSchema }),
  /** The run could not start or crashed outside any kernel. */
  z.object({ type: z.literal('error'), message: z.string() }),
]);
export type BenchToHost = z.output<typeof benchToHostSchema>;
