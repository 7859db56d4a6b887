/**
 * The one message protocol between the extension host and the FlopLens webviews (sidebar and panel).
 * Both sides import these types; every inbound message is validated with the schemas below and
 * anything that does not match is dropped. Messages are discriminated unions keyed by `type`.
 * Each type is derived from its schema (`z.output`), so the two cannot drift apart.
 *
 * Flow: the webview posts `ready` once its script runs; only then does the host post `state`
 * (and again on every analysis change, settings change and when the view becomes visible).
 */
// zod/mini: the same validation as zod with a fraction of the webview bundle (tree-shakable checks).
import * as z from 'zod/mini';
import type { Analysis, Dtype } from '../core/types';
import { EDITABLE_KEYS } from './assumptions';
import { WebviewCommand } from './commands';

export { WEBVIEW_COMMANDS, WebviewCommand } from './commands';

/** A finite number (zod 4's `number` rejects NaN and ±Infinity). */
const finite = z.number();
const count = finite.check(z.nonnegative());
const uriString = z.string().check(z.minLength(1), z.maxLength(4096));
const index = z.int().check(z.nonnegative());
const DTYPES = ['fp32', 'tf32', 'fp16', 'bf16', 'fp8', 'fp4', 'int8', 'int4'] as const satisfies readonly Dtype[];

const viewKindSchema = z.enum(['sidebar', 'panel']);
/** Which webview is talking. */
export type ViewKind = z.output<typeof viewKindSchema>;

/** Validates messages from a webview. Strict: unknown fields or types fail. */
export const webviewMessageSchema = z.discriminatedUnion('type', [
  /** The webview's script is running and can receive `state`. */
  z.strictObject({ type: z.literal('ready'), view: viewKindSchema }),
  /** Set an assumption; the host writes a `# floplens: key=value` directive (or a setting). */
  z.strictObject({ type: z.literal('setAssumption'), documentUri: uriString, key: z.enum(EDITABLE_KEYS), value: z.string().check(z.maxLength(64)) }),
  /** Reveal op `opIndex` of the analysis of `documentUri` at `version` in the editor. */
  z.strictObject({ type: z.literal('revealOp'), documentUri: uriString, version: index, opIndex: index }),
  /** Run one of our commands. */
  z.strictObject({ type: z.literal('runCommand'), command: z.enum(WebviewCommand) }),
  /** A webview-side failure, logged by the host. */
  z.strictObject({ type: z.literal('webviewError'), message: z.string().check(z.maxLength(4000)) }),
]);
/** Webview → host. */
export type WebviewMessage = z.output<typeof webviewMessageSchema>;

const band = z.object({ low: finite, mid: finite, high: finite });
const loc = z.object({ file: z.optional(z.string()), line: index });
const shape = z.array(finite);

/**
 * The parts of an `Analysis` the webviews read, with their types and finite numbers. Other fields pass unchecked
 * (and unread). `_analysisFitsShape` below fails to compile if this names a field `Analysis` lacks or types differently.
 */
const analysisShape = z.object({
  schemaVersion: z.literal(1),
  file: z.string(),
  model: z.object({ name: z.string(), params: count, trainableParams: count, frozenParams: count, paramBytes: count, catalogId: z.optional(z.string()) }),
  step: z.object({
    forwardFlops: count, vectorFlops: count, trainFlops: z.optional(count), recomputeFlops: z.optional(count), tokens: z.optional(count),
  }),
  memory: z.object({
    weights: count, gradients: count, optimizer: count, activations: count, inputs: count, kvCache: count, overhead: count, peakBytes: count,
  }),
  run: z.object({
    mode: z.enum(['train', 'infer']), batch: count, dtype: z.enum(DTYPES), steps: count, totalFlops: count,
    seqLen: z.optional(count), epochs: z.optional(count), datasetSize: z.optional(count), devices: z.optional(count),
  }),
  ops: z.array(z.object({
    kind: z.string(), name: z.string(), label: z.string(), loc: z.optional(loc), declLoc: z.optional(loc),
    inputShapes: z.array(shape), outputShape: shape, params: count, forwardFlops: count, backwardFlops: count,
    bytesRead: count, bytesWritten: count, dtype: z.enum(DTYPES), count, traced: z.boolean(), note: z.optional(z.string()),
  })),
  uncounted: z.array(z.object({ name: z.string(), reason: z.string(), loc: z.optional(loc) })),
  assumptions: z.array(z.object({
    name: z.string(), value: z.union([finite, z.string(), z.boolean()]), unit: z.optional(z.string()), source: z.string(),
    note: z.optional(z.string()), loc: z.optional(loc),
  })),
  problems: z.array(z.object({ severity: z.enum(['error', 'warning', 'info']), message: z.string(), loc: z.optional(loc) })),
  projections: z.array(z.object({
    hardwareId: z.string(), hardwareName: z.string(), kind: z.enum(['cpu', 'gpu']), stepSeconds: band, runSeconds: band, bound: z.string(),
    shares: z.object({ compute: finite, memory: finite, overhead: finite, transfer: finite, communication: finite, data: z.optional(finite) }),
    fits: z.boolean(), devicesNeeded: count, devicesUsed: count, memoryBytes: count, capacityBytes: count,
    costUsd: z.optional(band), energyJoules: band, mfu: finite, throughput: z.object({ value: finite, unit: z.string() }),
    peakFlops: count, notes: z.array(z.string()), opSeconds: z.array(finite),
  })),
  verdict: z.object({
    summary: z.string(), reason: z.string(), gpuPaysOff: z.boolean(), bestCpu: z.optional(z.string()), bestGpu: z.optional(z.string()),
    speedup: z.optional(z.number()),
  }),
  elapsedMs: count,
});
/** Compile-time link: every `Analysis` is a valid input of `analysisShape` (else this does not type-check). */
const _analysisFitsShape = (a: Analysis): z.input<typeof analysisShape> => a;

/**
 * An `Analysis` as the webviews read it: the object is kept as sent (not copied) once every field they read
 * has passed `analysisShape`.
 */
const analysisSchema = z.custom<Analysis>((v) => analysisShape.safeParse(v).success, 'not an Analysis (schemaVersion 1) the views can read');

const deviceSchema = z.object({
  id: z.string(), name: z.string(), kind: z.enum(['cpu', 'gpu']),
  /** Dense peak FLOP/s per dtype. */
  peakFlops: z.partialRecord(z.enum(DTYPES), finite),
  /** Memory bandwidth, bytes/s. */
  memoryBandwidth: finite,
  /** Memory capacity, bytes. */
  memoryBytes: finite,
});
/** A device as the charts need it (roofs of the roofline). Units: FLOP/s, bytes/s, bytes. */
export type DeviceSummary = z.output<typeof deviceSchema>;

const documentSchema = z.object({
  /** `vscode.Uri.toString()` of the script or notebook. */
  uri: z.string(),
  /** Short display name (file name). */
  label: z.string(),
  /** Document (or notebook) version the analysis was computed from. */
  version: z.number(),
  kind: z.enum(['script', 'notebook']),
});
/** The document a view state describes. */
export type DocumentRef = z.output<typeof documentSchema>;

const settingsSchema = z.object({
  /** ISO currency code and units per USD (catalog prices are USD). */
  currency: z.object({ code: z.string(), perUsd: finite }),
  /** Where an assumption edit is written. */
  writeTo: z.enum(['script', 'settings']),
  /** Hardware ids being compared, in the user's order. */
  compareIds: z.array(z.string()),
});
/** View settings the webview needs to format and to label edits. */
export type ViewSettings = z.output<typeof settingsSchema>;

const viewStateSchema = z.object({
  status: z.enum(['empty', 'analyzing', 'ready']),
  document: z.optional(documentSchema),
  /** For the sidebar, `ops` (and each projection's `opSeconds`) are emptied to keep the message small; the panel gets all. */
  analysis: z.optional(analysisSchema),
  /** True when `analysis` is for an older version of the document than the editor shows. */
  stale: z.boolean(),
  devices: z.array(deviceSchema),
  settings: settingsSchema,
});
/**
 * Everything a view shows. `status` says which of the states the view is in:
 * `empty` (no Python script or notebook open), `analyzing` (first analysis pending),
 * `ready` (analysis present; `stale` when a newer edit is still being analysed).
 */
export type ViewState = z.output<typeof viewStateSchema>;

/** Validates messages from the host (the webview trusts nothing it did not check). */
export const hostMessageSchema = z.discriminatedUnion('type', [
  /** The full state to render; replaces whatever the view showed. */
  z.object({ type: z.literal('state'), state: viewStateSchema }),
  /** Panel: scroll to and highlight one op (e.g. after a hover's "open in panel" link). */
  z.object({ type: z.literal('focusOp'), opIndex: index }),
]);
/** Host → webview. */
export type HostMessage = z.output<typeof hostMessageSchema>;

/** Parses an inbound webview message; undefined when it is not one of ours. */
export function parseWebviewMessage(data: unknown): WebviewMessage | undefined {
  const r = webviewMessageSchema.safeParse(data);
  return r.success ? r.data : undefined;
}

/** Parses an inbound host message; undefined when it is not one of ours. */
export function parseHostMessage(data: unknown): HostMessage | undefined {
  const r = hostMessageSchema.safeParse(data);
  return r.success ? r.data : undefined;
}

/** Exhaustiveness guard for `switch (msg.type)`. */
export function assertNever(x: never): never {
  throw new Error(`unhandled message: ${JSON.stringify(x)}`);
}
