/**
 * The one message protocol between the extension host and the FlopLens webviews (sidebar and panel).
 * Both sides import these types; every inbound message is validated with the schemas below and
 * anything that does not match is dropped. Messages are discriminated unions keyed by `type`.
 *
 * Flow: the webview posts `ready` once its script runs; only then does the host post `state`
 * (and again on every analysis change, settings change and when the view becomes visible).
 */
// zod/mini: the same validation as zod with a fraction of the webview bundle (tree-shakable checks).
import * as z from 'zod/mini';
import type { Analysis, Dtype } from '../core/types';
import { EDITABLE_KEYS } from './assumptions';

/** Which webview is talking. */
export type ViewKind = 'sidebar' | 'panel';

/** A device as the charts need it (roofs of the roofline). Units: FLOP/s, bytes/s, bytes. */
export interface DeviceSummary {
  id: string;
  name: string;
  kind: 'cpu' | 'gpu';
  /** Dense peak FLOP/s per dtype. */
  peakFlops: Partial<Record<Dtype, number>>;
  /** Memory bandwidth, bytes/s. */
  memoryBandwidth: number;
  /** Memory capacity, bytes. */
  memoryBytes: number;
}

/** The document a view state describes. */
export interface DocumentRef {
  /** `vscode.Uri.toString()` of the script or notebook. */
  uri: string;
  /** Short display name (file name). */
  label: string;
  /** Document (or notebook) version the analysis was computed from. */
  version: number;
  kind: 'script' | 'notebook';
}

/** View settings the webview needs to format and to label edits. */
export interface ViewSettings {
  /** ISO currency code and units per USD (catalog prices are USD). */
  currency: { code: string; perUsd: number };
  /** Where an assumption edit is written. */
  writeTo: 'script' | 'settings';
  /** Hardware ids being compared, in the user's order. */
  compareIds: string[];
}

/**
 * Everything a view shows. `status` says which of the states the view is in:
 * `empty` (no Python script or notebook open), `analyzing` (first analysis pending),
 * `ready` (analysis present; `stale` when a newer edit is still being analysed).
 */
export interface ViewState {
  status: 'empty' | 'analyzing' | 'ready';
  document?: DocumentRef;
  /** For the sidebar, `ops` is emptied to keep the message small; the panel gets all ops. */
  analysis?: Analysis;
  /** True when `analysis` is for an older version of the document than the editor shows. */
  stale: boolean;
  devices: DeviceSummary[];
  settings: ViewSettings;
}

/** Commands a webview may ask the host to run (our own, by short name). */
export const WEBVIEW_COMMANDS = ['openPanel', 'selectHardware', 'exportReport', 'runBenchmark', 'analyzeActiveFile'] as const;
export type WebviewCommand = (typeof WEBVIEW_COMMANDS)[number];

/** Host → webview. */
export type HostMessage =
  /** The full state to render; replaces whatever the view showed. */
  | { type: 'state'; state: ViewState }
  /** Panel: scroll to and highlight one op (e.g. after a hover's "open in panel" link). */
  | { type: 'focusOp'; opIndex: number };

/** Webview → host. */
export type WebviewMessage =
  /** The webview's script is running and can receive `state`. */
  | { type: 'ready'; view: ViewKind }
  /** Set an assumption; the host writes a `# floplens: key=value` directive (or a setting). */
  | { type: 'setAssumption'; documentUri: string; key: (typeof EDITABLE_KEYS)[number]; value: string }
  /** Reveal op `opIndex` of the analysis of `documentUri` at `version` in the editor. */
  | { type: 'revealOp'; documentUri: string; version: number; opIndex: number }
  /** Run one of our commands. */
  | { type: 'runCommand'; command: WebviewCommand }
  /** A webview-side failure, logged by the host. */
  | { type: 'webviewError'; message: string };

const uriString = z.string().check(z.minLength(1), z.maxLength(4096));
const index = z.int().check(z.nonnegative());

/** Validates messages from a webview. Strict: unknown fields or types fail. */
export const webviewMessageSchema = z.discriminatedUnion('type', [
  z.strictObject({ type: z.literal('ready'), view: z.enum(['sidebar', 'panel']) }),
  z.strictObject({ type: z.literal('setAssumption'), documentUri: uriString, key: z.enum(EDITABLE_KEYS), value: z.string().check(z.maxLength(64)) }),
  z.strictObject({ type: z.literal('revealOp'), documentUri: uriString, version: index, opIndex: index }),
  z.strictObject({ type: z.literal('runCommand'), command: z.enum(WEBVIEW_COMMANDS) }),
  z.strictObject({ type: z.literal('webviewError'), message: z.string().check(z.maxLength(4000)) }),
]);

const finite = z.number();
const analysisSchema = z.custom<Analysis>((v) => {
  if (typeof v !== 'object' || v === null) return false;
  const a = v as Partial<Analysis>;
  return a.schemaVersion === 1 && Array.isArray(a.projections) && Array.isArray(a.ops) && Array.isArray(a.assumptions)
    && typeof a.verdict === 'object' && a.verdict !== null && typeof a.model === 'object' && a.model !== null;
}, 'not an Analysis (schemaVersion 1)');

const deviceSchema = z.object({
  id: z.string(), name: z.string(), kind: z.enum(['cpu', 'gpu']),
  peakFlops: z.record(z.string(), finite), memoryBandwidth: finite, memoryBytes: finite,
});

/** Validates messages from the host (the webview trusts nothing it did not check). */
export const hostMessageSchema = z.discriminatedUnion('type', [
  z.object({
    type: z.literal('state'),
    state: z.object({
      status: z.enum(['empty', 'analyzing', 'ready']),
      document: z.optional(z.object({ uri: z.string(), label: z.string(), version: z.number(), kind: z.enum(['script', 'notebook']) })),
      analysis: z.optional(analysisSchema),
      stale: z.boolean(),
      devices: z.array(deviceSchema),
      settings: z.object({
        currency: z.object({ code: z.string(), perUsd: finite }),
        writeTo: z.enum(['script', 'settings']),
        compareIds: z.array(z.string()),
      }),
    }),
  }),
  z.object({ type: z.literal('focusOp'), opIndex: index }),
]);

/** Parses an inbound webview message; undefined when it is not one of ours. */
export function parseWebviewMessage(data: unknown): WebviewMessage | undefined {
  const r = webviewMessageSchema.safeParse(data);
  return r.success ? (r.data as WebviewMessage) : undefined;
}

/** Parses an inbound host message; undefined when it is not one of ours. */
export function parseHostMessage(data: unknown): HostMessage | undefined {
  const r = hostMessageSchema.safeParse(data);
  return r.success ? (r.data as HostMessage) : undefined;
}

/** Exhaustiveness guard for `switch (msg.type)`. */
export function assertNever(x: never): never {
  throw new Error(`unhandled message: ${JSON.stringify(x)}`);
}
