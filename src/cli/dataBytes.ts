/**
 * The facts of a data file's bytes for a Node host (the CLI reads them with fs, the extension through
 * `vscode.workspace.fs`): un-gzips a `.gz` within the size cap, feeds the bytes to the core's DataFactsBuilder in
 * chunks, and stops at the time budget. No file access here: the hosts read, this counts.
 */
import * as zlib from 'zlib';
import { DATA_FILES_TIME_BUDGET_MS, MAX_DATA_FILE_BYTES, dataFormat, type DataFacts } from '../core/dataFiles';
import { DataFactsBuilder } from '../core/dataFacts';

export interface DataReadLimits {
  maxBytes: number;
  /** Wall-clock budget for all files of one analysis, ms. */
  budgetMs: number;
  /** The clock (tests inject one; never a real time limit in a test). */
  now: () => number;
}

export const DEFAULT_DATA_LIMITS: DataReadLimits = { maxBytes: MAX_DATA_FILE_BYTES, budgetMs: DATA_FILES_TIME_BUDGET_MS, now: () => Date.now() };

/** The facts, or the sentence saying why the file was not read. */
export type Outcome = { facts: DataFacts } | { skip: string };

const CHUNK = 1 << 20;
const mb = (n: number) => `${(n / 1024 / 1024).toFixed(1)} MiB`;
const KEEP = 'sizes taken from it stay stated assumptions';

/** Why a file is not read before reading it (not a data file, over the size cap); undefined when it may be read. */
export function refuse(rel: string, size: number, limits: DataReadLimits): Outcome | undefined {
  if (!dataFormat(rel)) return { skip: `${rel} is not a data file FlopLens reads.` };
  if (size > limits.maxBytes) return { skip: `FlopLens did not read the data file ${rel}: ${mb(size)}, over the ${mb(limits.maxBytes)} limit for a data file; ${KEEP}.` };
  return undefined;
}

/** The facts of a file's bytes (`size` on disk), un-gzipped when its name ends `.gz`, before `deadline`. */
export function factsOfBytes(rel: string, bytes: Uint8Array, size: number, limits: DataReadLimits, deadline: number): Outcome {
  const format = dataFormat(rel);
  const refused = refuse(rel, size, limits);
  if (refused || !format) return refused ?? { skip: `${rel} is not a data file FlopLens reads.` };
  const gz = /\.gz$/i.test(rel);
  let raw: Uint8Array = bytes;
  if (gz) {
    try {
      raw = zlib.gunzipSync(bytes, { maxOutputLength: limits.maxBytes });
    } catch {
      return { skip: `FlopLens could not read the data file ${rel} as gzip (or it is over ${mb(limits.maxBytes)} unpacked); ${KEEP}.` };
    }
  }
  const b = new DataFactsBuilder(format, size, gz);
  // A .npy file's header is all that is read of it.
  const end = format === 'npy' ? Math.min(raw.length, 65536) : raw.length;
  for (let at = 0; at < end; at += CHUNK) {
    b.add(raw.subarray(at, Math.min(end, at + CHUNK)));
    if (limits.now() > deadline) return { skip: `FlopLens stopped reading the data file ${rel}: over the ${limits.budgetMs / 1000} s budget for data files; ${KEEP}.` };
  }
  return { facts: b.finish() };
}
