/**
 * The training text of a well-known token dataset that a script opens by path (`open('data/wikitext-2/train.txt')`)
 * when the host has no facts of it (the file is not in the workspace: a large file a snapshot lacks, a download): the
 * dataset catalog knows its tokens. A loop over its lines appending each line's token ids is then a stream of the
 * catalog's training tokens (unsized.ts `rowsTotal`; torch.cat of the pieces), stated with the file and the source.
 */
import type { Loc } from '../../types';
import { datasetFromPath } from '../../data/datasets';
import { unknown } from '../values';
import type { ObjValue, Value } from '../values';
import type { IterResult } from './builtins';
import { dataFile } from './dataFiles';
import type { Library } from './library';
import { fmt } from './util';

/** A file name of a training split (`train.txt`, `wiki.train.tokens`, `train/…`). */
const TRAIN_FILE = /(^|[\\/._-])train([\\/._-]|$)/i;

/** The paths said, per analysis. */
const SAID = new WeakMap<Library, Set<string>>();

export function catalogTextLines(lib: Library, file: ObjValue, loc?: Loc): IterResult | undefined {
  const path = file.attrs.get('path');
  if (typeof path !== 'string' || dataFile(lib, file) || !TRAIN_FILE.test(path.split(/[\\/]/).pop() ?? '')) return undefined;
  const info = datasetFromPath(path)?.info;
  if (!info?.trainTokens || info.target !== 'tokens') return undefined;
  const said = SAID.get(lib) ?? new Set<string>();
  SAID.set(lib, said);
  if (!said.has(path)) lib.cx.problem('info', 'data-file', `'${path}' is not in the workspace (FlopLens reads no files): its text is taken as ${info.name}'s training split, ${fmt(info.trainTokens)} tokens (${info.source}). Add \`# floplens: steps=N\` or \`dataset_size=N\` if yours differs.`, loc);
  said.add(path);
  return { trips: undefined, elem: unknown(`a line of ${path}`) as Value, label: `lines of ${path}`, rows: { total: info.trainTokens, batch: 0 } };
}
