import * as vscode from 'vscode';
import { notebookOf, type AnalysisEntry, type AnalysisStore } from '../analysisStore';
import { placeOf, type DocPlace } from '../locations';

/** The selector every editor feature registers for: Python scripts and notebook cells, any scheme. */
export const PYTHON_SELECTOR: vscode.DocumentSelector = [{ language: 'python' }];

/** The version of the script, or of the notebook a cell belongs to. */
export function currentVersion(doc: vscode.TextDocument): number {
  return notebookOf(doc)?.version ?? doc.version;
}

/**
 * The analysis of `doc` at its current version, waiting for a pending analysis up to `waitMs` (waiting
 * is not computing: the store analyses on its own schedule). Falls back to the latest entry when `stale`
 * is acceptable, so surfaces do not flicker while typing.
 */
export async function placeFor(
  store: AnalysisStore,
  doc: vscode.TextDocument,
  token: vscode.CancellationToken,
  opts: { waitMs: number; allowStale: boolean },
): Promise<DocPlace | undefined> {
  let entry: AnalysisEntry | undefined = store.entryFor(doc);
  if (!entry) return undefined;
  const version = currentVersion(doc);
  if (entry.version < version && store.isPending(entry.key) && opts.waitMs > 0) {
    entry = (await store.whenAnalyzed(entry.key, version, opts.waitMs, token)) ?? (opts.allowStale ? store.entryFor(doc) : undefined);
  } else if (entry.version !== version && !opts.allowStale) {
    return undefined;
  }
  if (!entry || token.isCancellationRequested) return undefined;
  return placeOf(entry, doc);
}

/** A `command:` URI with JSON arguments, for trusted Markdown. */
export function commandUri(command: string, ...args: unknown[]): string {
  return `command:${command}${args.length ? `?${encodeURIComponent(JSON.stringify(args))}` : ''}`;
}
