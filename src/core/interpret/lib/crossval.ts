/**
 * Cross-validation splitters (scikit-learn `model_selection`) and index samplers: what decides how many samples each
 * fold's loader walks. `KFold(n_splits=k).split(X)` yields k (train, validation) index arrays of N·(k-1)/k and N/k
 * indices (sklearn gives the first N mod k folds one more validation sample); `SubsetRandomSampler(ids)` makes a
 * DataLoader walk those ids only, so its batches per epoch are ceil(len(ids) / batch).
 */
import type { Loc } from '../../types';
import { UNKNOWN, isKind, isNum, tensor, tuple, list } from '../values';
import type { Value, ObjValue } from '../values';
import type { Route } from './dispatch';
import type { Library } from './library';

/** sklearn's default `n_splits` (5 since scikit-learn 0.22; https://scikit-learn.org/stable/modules/generated/sklearn.model_selection.KFold.html). */
const DEFAULT_SPLITS = 5;

/** Splitters whose `split(X)` yields `n_splits` (train, validation) pairs partitioning X's samples. */
const KFOLDS = ['KFold', 'StratifiedKFold', 'GroupKFold', 'StratifiedGroupKFold'];

export const ROUTES: Route[] = [
  {
    exact: KFOLDS.flatMap((n) => [`sklearn.model_selection.${n}`, `sklearn.model_selection._split.${n}`]),
    handler: (lib, { pos, kw, loc }) => kfold(lib, kw.get('n_splits') ?? pos[0] ?? DEFAULT_SPLITS, loc),
  },
  {
    // A sampler over given indices: the loader walks len(indices) samples per epoch.
    exact: ['torch.utils.data.SubsetRandomSampler', 'torch.utils.data.sampler.SubsetRandomSampler'],
    handler: (lib, { pos, kw, loc }) => lib.obj('namespace', [['num_samples', lib.len(pos[0] ?? kw.get('indices'))]], loc),
  },
];

/** The samples a DataLoader's sampler walks per epoch, when the sampler says (a SubsetRandomSampler over known indices). */
export function samplerSize(sampler: Value | undefined): number | undefined {
  if (!isKind(sampler, 'obj') || sampler.type !== 'namespace') return undefined;
  const n = sampler.attrs.get('num_samples');
  return isNum(n) && n >= 0 ? n : undefined;
}

function kfold(lib: Library, given: Value, loc?: Loc): ObjValue {
  const k = isNum(given) && Number.isInteger(given) && given >= 2 && given <= 1000 ? given : undefined;
  if (k === undefined) lib.cx.problem('info', 'cross-validation', `K-fold split with n_splits=${String(isNum(given) ? given : 'unknown')}: not a whole number from 2 to 1,000, so the folds are unknown.`, loc);
  const split = (X: Value | undefined): Value => {
    const n = lib.len(X);
    if (k === undefined) return UNKNOWN;
    // The folds themselves: each validation fold holds N/k samples (a loop over them is k passes).
    const folds = Array.from({ length: k }, (_, i) => {
      if (!isNum(n)) return tuple([UNKNOWN, UNKNOWN]);
      const val = Math.floor(n / k) + (i < n % k ? 1 : 0);
      return tuple([tensor([n - val], 'int8'), tensor([val], 'int8')]);
    });
    return list(folds);
  };
  return lib.obj('namespace', [
    ['n_splits', k ?? UNKNOWN],
    ['split', { kind: 'builtin', name: 'split', fn: (a, kw) => split(a[0] ?? kw.get('X')) }],
    ['get_n_splits', { kind: 'builtin', name: 'get_n_splits', fn: () => k ?? UNKNOWN }],
  ], loc);
}
