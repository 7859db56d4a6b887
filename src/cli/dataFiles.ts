/**
 * The Node host's reader of the data files a script names (the core's rule: src/core/dataFiles.ts), shared by the CLI,
 * the corpus harness and the VS Code extension: each name is looked for beside the script, then at the workspace
 * root; never outside the root (a symbolic link counts where it leads), at most MAX_DATA_FILE_BYTES read (after
 * gunzip), within the time budget. Only the facts (counts, shapes) go to the core, never the contents.
 */
import * as fs from 'fs';
import * as path from 'path';
import * as zlib from 'zlib';
import { promisify } from 'util';
import { DATA_FILES_TIME_BUDGET_MS, MAX_DATA_FILE_BYTES, dataFileNames, dataFormat, type DataFacts, type DataFileSource } from '../core/dataFiles';
import { DataFactsBuilder } from '../core/dataFacts';

export interface DataReadLimits {
  maxBytes: number;
  /** Wall-clock budget for all files, ms. */
  budgetMs: number;
  /** The clock (tests inject one; never a real time limit in a test). */
  now: () => number;
}

export const DEFAULT_DATA_LIMITS: DataReadLimits = { maxBytes: MAX_DATA_FILE_BYTES, budgetMs: DATA_FILES_TIME_BUDGET_MS, now: () => Date.now() };

const CHUNK = 1 << 20;
const gunzip = promisify(zlib.gunzip);

const inside = (p: string, base: string) => p === base || p.startsWith(base + path.sep);
const mb = (n: number) => `${(n / 1024 / 1024).toFixed(1)} MiB`;

/** A candidate file inside the root (after links), with its workspace-relative path and size; undefined otherwise. */
export function locate(name: string, scriptDir: string, rootAbs: string, rootReal: string): { abs: string; rel: string; size: number; mtimeMs: number } | undefined {
  for (const base of [scriptDir, rootAbs]) {
    const abs = path.resolve(base, ...name.split('/'));
    if (!inside(abs, rootAbs)) continue;
    try {
      const st = fs.statSync(abs);
      if (!st.isFile() || !inside(fs.realpathSync(abs), rootReal)) continue;
      return { abs, rel: path.relative(rootAbs, abs).split(path.sep).join('/'), size: st.size, mtimeMs: st.mtimeMs };
    } catch {
      // Not there; the next folder.
    }
  }
  return undefined;
}

type Outcome = { facts: DataFacts } | { skip: string };

function tooLarge(rel: string, size: number, limit: number): Outcome {
  return { skip: `FlopLens did not read the data file ${rel}: ${mb(size)}, over the ${mb(limit)} limit for a data file; sizes taken from it stay stated assumptions.` };
}

/** The builder for a file, or why it is not read. */
function begin(rel: string, size: number, limits: DataReadLimits): { b: DataFactsBuilder; gz: boolean } | Outcome {
  const format = dataFormat(rel);
  if (!format) return { skip: `${rel} is not a data file FlopLens reads.` };
  if (size > limits.maxBytes) return tooLarge(rel, size, limits.maxBytes);
  const gz = /\.gz$/i.test(rel);
  return { b: new DataFactsBuilder(format, size, gz), gz };
}

/** The facts of an un-gzipped file, or why not (undefined: it was not gzip, or over the cap unpacked). */
function unpacked(b: DataFactsBuilder, raw: Buffer | undefined, rel: string, limits: DataReadLimits): Outcome {
  if (!raw) return { skip: `FlopLens could not read the data file ${rel} as gzip (or it is over ${mb(limits.maxBytes)} unpacked); sizes taken from it stay stated assumptions.` };
  for (let at = 0; at < raw.length; at += CHUNK) b.add(raw.subarray(at, at + CHUNK));
  return { facts: b.finish() };
}

/** After a chunk of `n` bytes (`total` so far): why reading stops, 'done' when enough is read, else undefined. */
function afterChunk(b: DataFactsBuilder, chunk: Buffer, total: number, rel: string, limits: DataReadLimits, deadline: number): Outcome | 'done' | undefined {
  if (total > limits.maxBytes) return tooLarge(rel, total, limits.maxBytes);
  b.add(chunk);
  if (dataFormat(rel) === 'npy' && total >= 65536) return 'done';
  if (limits.now() > deadline) return { skip: `FlopLens stopped reading the data file ${rel}: over the ${limits.budgetMs / 1000} s budget for data files; sizes taken from it stay stated assumptions.` };
  return undefined;
}

/** The facts of one file (synchronous: the CLI). */
export function dataFactsSync(abs: string, rel: string, size: number, limits: DataReadLimits, deadline: number): Outcome {
  const start = begin(rel, size, limits);
  if (!('b' in start)) return start;
  const { b, gz } = start;
  if (gz) {
    let raw: Buffer | undefined;
    try { raw = zlib.gunzipSync(fs.readFileSync(abs), { maxOutputLength: limits.maxBytes }); } catch { raw = undefined; }
    return unpacked(b, raw, rel, limits);
  }
  const fd = fs.openSync(abs, 'r');
  try {
    const buf = Buffer.alloc(CHUNK);
    for (let total = 0, n = fs.readSync(fd, buf, 0, CHUNK, null); n > 0; n = fs.readSync(fd, buf, 0, CHUNK, null)) {
      const r = afterChunk(b, buf.subarray(0, n), (total += n), rel, limits, deadline);
      if (r === 'done') break;
      if (r) return r;
    }
  } finally {
    fs.closeSync(fd);
  }
  return { facts: b.finish() };
}

/** The facts of one file, without blocking (the extension host). */
export async function dataFactsAsync(abs: string, rel: string, size: number, limits: DataReadLimits, deadline: number): Promise<Outcome> {
  const start = begin(rel, size, limits);
  if (!('b' in start)) return start;
  const { b, gz } = start;
  if (gz) return unpacked(b, await gunzip(await fs.promises.readFile(abs), { maxOutputLength: limits.maxBytes }).catch(() => undefined), rel, limits);
  const fh = await fs.promises.open(abs, 'r');
  try {
    const buf = Buffer.alloc(CHUNK);
    for (let total = 0, n = (await fh.read(buf, 0, CHUNK, null)).bytesRead; n > 0; n = (await fh.read(buf, 0, CHUNK, null)).bytesRead) {
      const r = afterChunk(b, buf.subarray(0, n), (total += n), rel, limits, deadline);
      if (r === 'done') break;
      if (r) return r;
    }
  } finally {
    await fh.close();
  }
  return { facts: b.finish() };
}

/** The root's real path, or undefined when the root does not exist. */
function realRoot(root: string): { rootAbs: string; rootReal: string } | undefined {
  const rootAbs = path.resolve(root);
  try {
    return { rootAbs, rootReal: fs.realpathSync(rootAbs) };
  } catch {
    return undefined;
  }
}

/** The files `texts` name that are in the workspace (src/core/dataFiles.ts's names, looked for by `locate`). */
function* named(file: string, texts: string[], root: string): Generator<{ name: string; found: NonNullable<ReturnType<typeof locate>> }> {
  const r = realRoot(root);
  if (!r) return;
  const scriptDir = path.dirname(path.resolve(file));
  for (const name of dataFileNames(texts)) {
    const found = locate(name, scriptDir, r.rootAbs, r.rootReal);
    if (found) yield { name, found };
  }
}

/** Reads the facts of the data files `texts` (the script and its local modules) name, for the script `file`, within `root`. */
export function readDataFiles(file: string, texts: string[], root: string, skipped: string[] = [], limits: DataReadLimits = DEFAULT_DATA_LIMITS): DataFileSource[] {
  const deadline = limits.now() + limits.budgetMs;
  const out: DataFileSource[] = [];
  for (const { name, found } of named(file, texts, root)) {
    let got: Outcome;
    try {
      got = dataFactsSync(found.abs, found.rel, found.size, limits, deadline);
    } catch {
      continue; // unreadable: as if absent
    }
    if ('skip' in got) skipped.push(got.skip);
    else out.push({ name, path: found.rel, facts: got.facts });
  }
  return out;
}

/** A cache of facts by absolute path, modification time and size (the extension keeps one for its lifetime). */
export class DataFactsCache {
  private readonly map = new Map<string, { mtimeMs: number; size: number; facts: DataFacts }>();

  /** The async reader with this cache: the facts of the files `texts` name, for `file`, within `root`. */
  async read(file: string, texts: string[], root: string, skipped: string[] = [], limits: DataReadLimits = DEFAULT_DATA_LIMITS): Promise<DataFileSource[]> {
    const deadline = limits.now() + limits.budgetMs;
    const out: DataFileSource[] = [];
    for (const { name, found } of named(file, texts, root)) {
      const hit = this.map.get(found.abs);
      let facts = hit && hit.mtimeMs === found.mtimeMs && hit.size === found.size ? hit.facts : undefined;
      if (!facts) {
        const got = await dataFactsAsync(found.abs, found.rel, found.size, limits, deadline).catch(() => undefined);
        if (!got) continue; // unreadable: as if absent
        if ('skip' in got) { skipped.push(got.skip); continue; }
        facts = got.facts;
        this.map.set(found.abs, { mtimeMs: found.mtimeMs, size: found.size, facts });
        if (this.map.size > 256) this.map.delete(this.map.keys().next().value as string);
      }
      out.push({ name, path: found.rel, facts });
    }
    return out;
  }
}
