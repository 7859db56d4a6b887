/**
 * The CLI's reader of the data files a script names (the core's rule: src/core/dataFiles.ts; the corpus harness reads
 * through the CLI; the extension reads through `vscode.workspace.fs` in moduleReader.ts): each name is looked for
 * beside the script, then at the workspace root; never outside the root (a symbolic link counts where it leads), at
 * most MAX_DATA_FILE_BYTES read (after gunzip), within the time budget. Only the facts (counts, shapes) go to the
 * core, never the contents (dataBytes.ts counts).
 */
import * as fs from 'fs';
import * as path from 'path';
import { dataFileNames, type DataFileSource } from '../core/dataFiles';
import { DEFAULT_DATA_LIMITS, factsOfBytes, refuse, type DataReadLimits, type Outcome } from './dataBytes';

export { DEFAULT_DATA_LIMITS, type DataReadLimits } from './dataBytes';

const inside = (p: string, base: string) => p === base || p.startsWith(base + path.sep);

/** A candidate file inside the root (after links), with its workspace-relative path and size; undefined otherwise. */
export function locate(name: string, scriptDir: string, rootAbs: string, rootReal: string): { abs: string; rel: string; size: number } | undefined {
  for (const base of [scriptDir, rootAbs]) {
    const abs = path.resolve(base, ...name.split('/'));
    if (!inside(abs, rootAbs)) continue;
    try {
      const st = fs.statSync(abs);
      if (!st.isFile() || !inside(fs.realpathSync(abs), rootReal)) continue;
      return { abs, rel: path.relative(rootAbs, abs).split(path.sep).join('/'), size: st.size };
    } catch {
      // Not there; the next folder.
    }
  }
  return undefined;
}

/** The facts of one file, read whole (it is under the cap). */
function dataFacts(abs: string, rel: string, size: number, limits: DataReadLimits, deadline: number): Outcome {
  return refuse(rel, size, limits) ?? factsOfBytes(rel, fs.readFileSync(abs), size, limits, deadline);
}

/** The root's real path, or undefined when the root does not exist. */
export function realRoot(root: string): { rootAbs: string; rootReal: string } | undefined {
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
      got = dataFacts(found.abs, found.rel, found.size, limits, deadline);
    } catch {
      continue; // unreadable: as if absent
    }
    if ('skip' in got) skipped.push(got.skip);
    else out.push({ name, path: found.rel, facts: got.facts });
  }
  return out;
}
