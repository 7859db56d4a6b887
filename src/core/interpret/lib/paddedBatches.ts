/**
 * Batches of sequences whose lengths are data: a DataLoader's `collate_fn` run on samples FlopLens cannot see
 * (a Hugging Face dataset mapped through a script's own tokenizer and vocabulary), and `pad_sequence` of such
 * samples. The padded batch keeps what is known — how many sequences, which layout — and takes its length (the
 * longest sample of the batch, only known at run time) from the `seq` directive or a sequence-length name in the
 * script, else the default, always said.
 */
import type { Loc } from '../../types';
import { findDataset } from '../../data/datasets';
import { isKind, isNum, isSeq, isUnknown, list, tensor, UNKNOWN } from '../values';
import type { ObjValue, Value } from '../values';
import type { Library } from './library';
import { guessBatchSeq } from './modules';

/** The sample length of the catalog token dataset whose batch a loader is collating, per library. */
const LENGTH = new WeakMap<Library, { value: number; note: string }>();
/** The libraries (one per analysis) that have said how a padded batch of unseen sequences is sized. */
const SAID = new WeakSet<Library>();

/**
 * The batch a loader's own `collate_fn` makes of `bs` samples it cannot see: the function is run on a list of
 * `bs` unknown samples, so what it builds from the list (its length, padding, the dict it returns) is traced.
 * Undefined when the loader has no script collate function or no known batch size.
 */
export function collateUnseen(lib: Library, l: ObjValue): Value | undefined {
  const bs = l.attrs.get('batch_size');
  const collate = l.attrs.get('collateFn');
  if (!isNum(bs) || !isKind(collate, 'func')) return undefined;
  const ds = l.attrs.get('dataset');
  const info = isKind(ds, 'obj') ? findDataset(String(ds.attrs.get('name') ?? '')) : undefined;
  const saved = LENGTH.get(lib);
  if (info?.target === 'tokens' && info.shape.length === 1) LENGTH.set(lib, { value: info.shape[0], note: `${info.name}'s sample length (${info.source})` });
  try {
    return lib.cx.call(collate, [list(Array<Value>(bs).fill(UNKNOWN))], new Map());
  } finally {
    if (saved) LENGTH.set(lib, saved); else LENGTH.delete(lib);
  }
}

/**
 * `pad_sequence(seqs)` of `n` sequences none of which is traced: token ids [max L, n] ([n, max L] batch first),
 * max L the batch's longest sample, a data-dependent length taken from the script's sequence length, said once.
 * Undefined when any sequence is known (the caller pads known shapes) or the list is empty.
 */
export function padUnseen(lib: Library, items: Value[], batchFirst: boolean, loc?: Loc): Value | undefined {
  if (items.length === 0 || !items.every((x) => isUnknown(x))) return undefined;
  // A directive first; then the catalog's sample length of the dataset being collated (a script's truncation
  // cap such as `max_length = 1000` bounds the longest sample, it does not give it); then a script name or the default.
  const seq = lib.cx.directives.seq ?? LENGTH.get(lib) ?? guessBatchSeq(lib).seq;
  if (!SAID.has(lib)) {
    SAID.add(lib);
    lib.cx.problem('info', 'data-dependent', `pad_sequence of ${items.length} sequences whose lengths are data: padded to the longest of each batch, taken as ${seq.value} tokens (${seq.note}). Add \`# floplens: seq=N\` to set it.`, loc);
  }
  return tensor(batchFirst ? [items.length, seq.value] : [seq.value, items.length], 'int8');
}

/**
 * The length of a row of token ids held as a Python list (a sample field `{"input_ids": [...]}` of a dataset that
 * tokenizes or packs rows itself): a non-empty list of numbers or unknown scalars. Undefined for anything else.
 */
export function idRow(v: Value): number | undefined {
  return isSeq(v) && v.kind === 'list' && v.items.length > 0 && v.items.every((x) => isNum(x) || isUnknown(x)) ? v.items.length : undefined;
}
