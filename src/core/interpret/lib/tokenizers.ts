/**
 * Sequence length followed from tokenizer calls. A Hugging Face tokenizer called with `padding="max_length"` pads
 * every sample to `max_length`; with `truncation=True` (or a padding that pads to the longest in a batch) it caps
 * them there. A dataset mapped through a function that tokenizes (`ds.map(tokenize_fn)`) carries that length to
 * the loader and the Trainer that read it. A cap is the default shape, as for every other "at most" in FlopLens:
 * batches padded to their longest sample can be shorter, and the note says so.
 */
import type { DictValue, FuncValue, ObjValue, Value } from '../values';
import type { EvalContext } from '../context';
import type { Loc } from '../../types';
import { UNKNOWN, isKind, isNum, list, tensor } from '../values';
import type { SeqEvidence } from './hfTrainers';

/** Dataset attributes holding the length its samples were tokenized to and how. */
const LENGTH = 'tokenizedLength';
const NOTE = 'tokenizedNote';

/** The tokens per sample a tokenizer call gives, when its keywords fix them (`max_length` with padding to it or truncation). */
export function tokenizerCallLength(kw: Map<string, Value>): SeqEvidence | undefined {
  const ml = kw.get('max_length');
  if (!isNum(ml) || !Number.isSafeInteger(ml) || ml < 1) return undefined;
  const padding = kw.get('padding');
  if (padding === 'max_length') return { value: ml, source: 'literal', note: `the tokenizer pads every sample to max_length=${ml}` };
  if (kw.get('truncation') === true || kw.get('truncation') === 'longest_first' || kw.get('truncation') === 'only_first') {
    return { value: ml, source: 'literal', note: `the tokenizer truncates samples at max_length=${ml} (a cap: batches padded to their longest sample can be shorter)` };
  }
  return undefined;
}

/** The longer of two lengths: a sample tokenized twice (inputs and labels) is as long as its longer part. */
export function longerOf(a: SeqEvidence | undefined, b: SeqEvidence | undefined): SeqEvidence | undefined {
  if (!a) return b;
  if (!b) return a;
  return b.value > a.value ? b : a;
}

/** The length a dataset's samples were tokenized to, when a mapped function showed it. */
export function tokenizedLength(ds: Value | undefined): SeqEvidence | undefined {
  if (!isKind(ds, 'obj')) return undefined;
  const n = ds.attrs.get(LENGTH);
  const note = ds.attrs.get(NOTE);
  return isNum(n) ? { value: n, source: 'literal', note: typeof note === 'string' ? note : `samples tokenized to ${n} tokens` } : undefined;
}

/** `ds` with its samples' tokenized length recorded (the dataset's other attributes kept). */
export function withTokenizedLength(ds: ObjValue, ev: SeqEvidence, id: number): ObjValue {
  return { ...ds, id, attrs: new Map([...ds.attrs, [LENGTH, ev.value], [NOTE, `${ev.note}, in the function the dataset is mapped through`]]) };
}

/** Names a tokenizing function pads or cuts samples to (`max_length`, `block_size`, `seq_len`…), without underscores, lower case. */
const LENGTH_NAMES = /^(maxlength|maxlen|maxseqlength|maxseqlen|seqlen|seqlength|blocksize|cutofflen|maxsourcelength|contextlength)$/;

/**
 * A function the dataset is mapped through that calls the tokenizer without fixing a length, but pads or cuts its
 * token lists by a length named in it (`ids = [pad] * (max_length - len(ids)) + ids; ids[:max_length]`): that length,
 * read from the function's scope. Undefined when it names none.
 */
export function lengthNamedIn(fn: FuncValue): SeqEvidence | undefined {
  const names = new Set<string>();
  const visit = (e: unknown): void => {
    if (Array.isArray(e)) { e.forEach(visit); return; }
    if (!e || typeof e !== 'object') return;
    const o = e as { t?: string; id?: unknown };
    if (o.t === 'name' && typeof o.id === 'string') names.add(o.id);
    for (const [k, v] of Object.entries(o)) if (k !== 'loc') visit(v);
  };
  visit(fn.body);
  for (const n of names) {
    if (!LENGTH_NAMES.test(n.replace(/_/g, '').toLowerCase())) continue;
    const v = fn.closure.get(n);
    if (isNum(v) && Number.isSafeInteger(v) && v > 0) {
      return { value: v, source: 'literal', note: `the function the dataset is mapped through pads or cuts its token lists to ${n}=${v}` };
    }
  }
  return undefined;
}

/** Decoder tokens of an encoder–decoder call: the length of its `labels` / `decoder_input_ids` [B, T]. */
export function targetLength(v: Value | undefined): number | undefined {
  return isKind(v, 'tensor') && v.shape.length === 2 && v.shape[1] > 0 ? v.shape[1] : undefined;
}

/**
 * One sample of what a batched mapped function returns (`tokenizer(..., return_tensors="pt")` with `labels` set on it):
 * each field's tensor without its leading batch dim. Undefined when it returns no token tensors.
 */
export function sampleOfMapped(v: Value): DictValue | undefined {
  const fields = isKind(v, 'dict') ? [...v.map].filter((e): e is [string, Value] => typeof e[0] === 'string') : isKind(v, 'obj') && v.type === 'encoding' ? [...v.attrs] : [];
  const d: DictValue = { kind: 'dict', map: new Map() };
  for (const [k, x] of fields) if (isKind(x, 'tensor') && x.shape.length === 2) d.map.set(k, tensor(x.shape.slice(1), x.dtype));
  return d.map.has('input_ids') ? d : undefined;
}

/** One sample of a tokenized dataset as a collator stacks it: token ids, attention mask and labels of `len` tokens. */
export function tokenSample(len: number): DictValue {
  const d: DictValue = { kind: 'dict', map: new Map() };
  for (const k of ['input_ids', 'attention_mask', 'labels']) d.map.set(k, tensor([len], 'int8'));
  return d;
}

/**
 * transformers' collators that stack samples field by field (padding each to the longest in the batch, which samples
 * tokenized to one length already are): `default_data_collator`, `DataCollatorWithPadding`, `DataCollatorForSeq2Seq`…
 */
export function stackingCollator(v: Value | undefined): boolean {
  return isKind(v, 'ext') && /(^|\.)(default_data_collator|DataCollatorWithPadding|DataCollatorForSeq2Seq|DataCollatorForTokenClassification|DefaultDataCollator)$/.test(v.path);
}

/** Token ids up to this many are built as Python lists (a tokenizer called without `return_tensors`); more stay a tensor. */
const MAX_LISTED_IDS = 1 << 16;

/**
 * The `input_ids` of a tokenizer call of `n` texts at `len` tokens: a tensor [n, len] with `return_tensors`, else what
 * Python gets — a list of `len` ids for one text, a list of n such lists for several — so that scripts that
 * concatenate the lists of two calls (`source_ids + target_ids`) get the sum of their lengths.
 */
export function tokenIds(n: number, len: number, single: boolean, asLists: boolean): Value {
  if (!asLists || n * len > MAX_LISTED_IDS) return tensor([n, len], 'int8');
  const row = (): Value => list(Array<Value>(len).fill(0));
  return single ? row() : list(Array.from({ length: n }, row));
}

/**
 * The tokens per sample a script's own collator (`data_collator=` of a Trainer: a function or an object with
 * `__call__`) builds from a batch of `batch` samples: the length of the `input_ids` it returns, when it shows one
 * (it tokenizes with caps and pads, concatenating prompt and answer: `source_max_len + target_max_len`).
 */
export function collatedLength(cx: EvalContext, collator: Value | undefined, batch: number, loc?: Loc): SeqEvidence | undefined {
  const callable = isKind(collator, 'func') || (isKind(collator, 'inst') && isKind(cx.lookupClass(collator.cls, '__call__')?.value, 'func'));
  if (!callable || !collator) return undefined;
  let out: Value = UNKNOWN;
  try { out = cx.call(collator, [list(Array<Value>(batch).fill(UNKNOWN))], new Map(), loc); } catch (e) { if (!(e instanceof Error) || e.name === 'BudgetExceeded') throw e; }
  const ids = isKind(out, 'dict') ? out.map.get('input_ids') : isKind(out, 'obj') ? out.attrs.get('input_ids') : undefined;
  if (!isKind(ids, 'tensor') || ids.shape.length !== 2 || !(ids.shape[1] > 0)) return undefined;
  return { value: ids.shape[1], source: 'literal', note: `the script's data_collator builds input_ids of ${ids.shape[1]} tokens from the tokenizer's max_length caps (a cap: padding to the longest in the batch can be shorter)` };
}
