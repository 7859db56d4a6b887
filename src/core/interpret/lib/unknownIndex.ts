/**
 * Index tensors FlopLens could not trace (issue 14). `feats[train_indices]`, where `train_indices` is a tensor whose
 * shape the evaluator lost (a reshape by a value it does not know), selects a number of rows that is data: never the
 * dim dropped as if the index were an integer (that made a [50000, 512] feature table a single [512] row, and a
 * Dataset over it 512 samples long). The unknowns that stand for tensors are marked where a tensor op fails; indexing
 * by one keeps the indexed dim, of unknown length: `.shape`, `.size(d)` and `len()` say so (a Dataset whose `__len__`
 * is that length is of unknown size, and the steps become a stated assumption). Ops over the whole tensor take the
 * indexed dim's own length (an upper bound for a subset), said in an info problem.
 *
 * Also `.max()` of an index tensor of known range R holding at least R values (a catalog dataset's labels, whose
 * values lie in [0, classes), kept through `torch.LongTensor(...)` and subsets): R - 1, so that `labels.max() + 1` is
 * the class count a script reshapes by.
 */
import type { Loc } from '../../types';
import type { TensorArg } from '../../ops/registry';
import type { UnknownValue, Value } from '../values';
import { isKind, isTensorV, tuple, unknown } from '../values';

const tensorUnknowns = new WeakSet<object>();
/** Data-many dims of a tensor (the dims indexed by an untraced index tensor). */
const dataDims = new WeakMap<object, number[]>();

/** `u`, an unknown that stands for a tensor (the result of a tensor op that failed), marked as such. */
export function asUntracedTensor(u: UnknownValue): UnknownValue {
  const fresh = unknown(u.why ?? 'a tensor FlopLens could not trace') as UnknownValue;
  tensorUnknowns.add(fresh);
  return fresh;
}

export const isUntracedTensor = (v: Value | undefined): boolean => !!v && typeof v === 'object' && tensorUnknowns.has(v);

/** Methods of a tensor whose result is not a tensor. */
const SCALAR_METHODS = /^(item|tolist|numel|nelement|dim|size|backward|data_ptr|element_size|is_contiguous)$/;

/**
 * `r` (the result of method `name`, or of a subscript, on `from`), still an untraced tensor when `from` was one and
 * `r` is unknown.
 */
export function untracedTensorLike(from: Value | undefined, r: Value, name = ''): Value {
  return isUntracedTensor(from) && isKind(r, 'unknown') && !isUntracedTensor(r) && !SCALAR_METHODS.test(name) ? asUntracedTensor(r) : r;
}

/** The rows an untraced index tensor selects from a dim of `n`: n stands in (an upper bound), said once per site. */
export function untracedIndexRows(cx: { problem(severity: 'info', code: string, message: string, loc?: Loc): void }, n: number, loc?: Loc): number {
  cx.problem('info', 'unknown-index', `A tensor indexed by an index tensor FlopLens could not trace: the number of elements it selects is data (its length, len() and .shape say unknown); ops over the whole result take the indexed dim's ${n.toLocaleString('en-US')} as an upper bound.`, loc);
  return n;
}

/** Mark dims `dims` of `t` as data-many; returns `t`. */
export function withDataDims(t: Value, dims: number[]): Value {
  if (isTensorV(t) && dims.length) dataDims.set(t, dims);
  return t;
}

/** `t.shape` with its data-many dims unknown; undefined when it has none. */
export function dataShape(t: TensorArg): Value | undefined {
  const dims = dataDims.get(t);
  return dims ? tuple(t.shape.map((n, i) => (dims.includes(i) ? unknown('a length selected by an untraced index') : n))) : undefined;
}

/** Size of dim `d` of `t` when it is data-many: unknown; undefined otherwise. */
export function dataDimSize(t: TensorArg, d: number): Value | undefined {
  const dims = dataDims.get(t);
  const i = d < 0 ? t.shape.length + d : d;
  return dims?.includes(i) ? unknown('a length selected by an untraced index') : undefined;
}

/**
 * `labels.max()` of an index tensor of N values in [0, R) with N ≥ R (a catalog dataset's labels, `torch.randint`):
 * R - 1, taken as every value present (said in an info problem); undefined otherwise.
 */
export function rangeMax(cx: { problem(severity: 'info', code: string, message: string, loc?: Loc): void }, t: TensorArg, name: string, nargs: number, loc?: Loc): number | undefined {
  const r = t.indexRange;
  if (name !== 'max' || nargs !== 0 || !r || !Number.isInteger(r) || t.shape.reduce((a, n) => a * n, 1) < r) return undefined;
  cx.problem('info', 'index-range', `.max() of ${t.shape.reduce((a, n) => a * n, 1).toLocaleString('en-US')} values in [0, ${r}) (class labels, random indices): taken as ${r - 1}, every value present.`, loc);
  return r - 1;
}
