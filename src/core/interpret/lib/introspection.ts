/**
 * Python's `inspect` on what the evaluator holds: `inspect.getmembers(module)` of a local module is its names and
 * values, sorted by name as Python gives them — the registry idiom `{k: v for k, v in inspect.getmembers(configs)}[name]()`
 * that picks a config class by a name the script holds. Anything else stays unknown.
 */
import { isKind, list, tuple, unknown } from '../values';
import type { Value } from '../values';
import { NOT_MINE } from './dispatch';
import type { Route } from './dispatch';

export const ROUTES: Route[] = [
  {
    exact: ['inspect.getmembers'],
    handler: (_lib, { pos }) => {
      const m = pos[0];
      if (!isKind(m, 'obj') || m.type !== 'module') return pos.length ? unknown('inspect.getmembers of a value FlopLens does not hold as a module') : NOT_MINE;
      const names = [...m.attrs.keys()].sort();
      return list(names.map((k): Value => tuple([k, m.attrs.get(k)!])));
    },
  },
];
