/**
 * scikit-learn's synthetic datasets (`sklearn.datasets.make_circles(1000, noise=0.03)`, `make_blobs`,
 * `make_classification`, …), which tutorials train small models on: the arrays' shapes are decided by the call's own
 * arguments (n_samples, n_features, sklearn's defaults), never by data. X is [n_samples, n_features], y is
 * [n_samples] (int labels, float targets for make_regression); `train_test_split` then splits the rows (frames.ts).
 * https://scikit-learn.org/stable/api/sklearn.datasets.html
 */
import { UNKNOWN, isNum, tensor, tuple } from '../values';
import type { Value } from '../values';
import { NOT_MINE } from './dispatch';
import type { Route } from './dispatch';

/** Per generator: the default n_samples and n_features (features fixed at 2 where the generator has no such argument). */
const GENERATORS: Record<string, { samples: number; features: number; fixed?: boolean; target?: 'fp32' }> = {
  make_circles: { samples: 100, features: 2, fixed: true },
  make_moons: { samples: 100, features: 2, fixed: true },
  make_blobs: { samples: 100, features: 2 },
  make_classification: { samples: 100, features: 20 },
  make_gaussian_quantiles: { samples: 100, features: 2 },
  make_hastie_10_2: { samples: 12000, features: 10, fixed: true },
  make_regression: { samples: 100, features: 100, target: 'fp32' },
  make_friedman1: { samples: 100, features: 10, target: 'fp32' },
};

export const ROUTES: Route[] = [
  {
    exact: Object.keys(GENERATORS).flatMap((n) => [`sklearn.datasets.${n}`, `sklearn.datasets._samples_generator.${n}`]),
    handler: (_lib, { path, pos, kw }) => {
      const g = GENERATORS[path.slice(path.lastIndexOf('.') + 1)];
      const n: Value = kw.get('n_samples') ?? pos[0] ?? g.samples;
      // make_blobs(n_samples=[100, 200]) gives one count per blob: their sum.
      const rows = Array.isArray((n as { items?: Value[] }).items) ? (n as { items: Value[] }).items.reduce<number | undefined>((a, x) => (a !== undefined && isNum(x) ? a + x : undefined), 0) : n;
      const f: Value = g.fixed ? g.features : kw.get('n_features') ?? (path.endsWith('make_hastie_10_2') ? g.features : pos[1] ?? g.features);
      if (!isNum(rows) || !isNum(f) || rows < 1 || f < 1) return NOT_MINE;
      const x = tensor([Math.floor(rows), Math.floor(f)], 'fp32'); // float64 in NumPy; FlopLens has no fp64 (scripts cast it: .type(torch.float))
      const y = tensor([Math.floor(rows)], g.target ?? 'int8');
      return kw.get('return_centers') === true ? tuple([x, y, UNKNOWN]) : tuple([x, y]);
    },
  },
];
