/**
 * Precision a script sets for the model it builds, beyond `.to(dtype)` and autocast: `torch.set_default_dtype(dt)`,
 * torchtune's `training.get_dtype(cfg.dtype)` and `with training.set_default_dtype(dt):` (a recipe's `dtype: bf16`),
 * and Lightning Fabric's `precision=` ('bf16-true' / '16-true': the weights in that dtype; 'bf16-mixed' /
 * '16-mixed': weights fp32, the forward autocast). Layers and catalog models built while a default dtype is set take it
 * (modules.ts, zooBridge.ts), so weights, activations and the compute peak follow; each source is stated.
 */
import type { Dtype, Loc } from '../../types';
import { dtypeOf, isKind } from '../values';
import type { Value } from '../values';
import type { Route } from './dispatch';
import type { Library } from './library';

interface Stated { dtype: Dtype; what: string; loc?: Loc }
const defaults = new WeakMap<Library, Stated[]>();

/** The dtype new layers and models are built in, when the script set one (undefined: each layer's own, fp32). */
export function defaultDtype(lib: Library): Dtype | undefined {
  const s = defaults.get(lib);
  return s?.[s.length - 1]?.dtype;
}

function pushDefault(lib: Library, s: Stated): void {
  const list = defaults.get(lib) ?? [];
  list.push(s);
  defaults.set(lib, list);
  lib.flags.dtypeSources.push(s);
}

/** A Lightning precision string as a dtype and whether the weights are cast (`-true`) or only the forward (`-mixed`). */
export function lightningPrecision(prec: string): { dtype: Dtype; weights: boolean } | undefined {
  const dtype: Dtype | undefined = /bf16/.test(prec) ? 'bf16' : /(^|\D)16/.test(prec) ? 'fp16' : /(^|\D)(transformer-engine|8)/.test(prec) ? 'fp8' : undefined;
  return dtype ? { dtype, weights: /-true$/.test(prec) } : undefined;
}

/** `fabric.setup(model)` under Fabric(precision=…): a `-true` precision casts the weights, a `-mixed` one autocasts the forward. */
export function fabricSetup(lib: Library, precision: Value | undefined, model: Value | undefined, loc?: Loc): void {
  const p = typeof precision === 'string' ? lightningPrecision(precision) : undefined;
  if (!p || model === undefined) return;
  const what = `Fabric(precision=${JSON.stringify(precision)})`;
  if (p.weights) {
    lib.walkModules(model, (x) => { if (x.module) x.module.dtype = p.dtype; });
    if (isKind(model, 'obj') && model.type === 'catalogModel') model.attrs.set('dtype', p.dtype);
    lib.flags.modelDtypes.push(p.dtype);
  }
  // The forward runs in the dtype either way: Fabric casts the inputs of a '-true' model and autocasts a '-mixed' one.
  lib.cx.state.autocast.push(p.dtype);
  lib.flags.dtypeSources.push({ dtype: p.dtype, what, loc });
}

/** `with training.set_default_dtype(dt):` — the default for what is built inside, restored after. */
function defaultDtypeContext(lib: Library, dt: Dtype | undefined, what: string, loc?: Loc): Value {
  const enter = () => { if (dt) pushDefault(lib, { dtype: dt, what, loc }); return null; };
  const exit = () => { if (dt) defaults.get(lib)?.pop(); return null; };
  return lib.obj('namespace', [['__enter__', { kind: 'builtin', name: '__enter__', fn: enter }], ['__exit__', { kind: 'builtin', name: '__exit__', fn: exit }]], loc);
}

const asTorchDtype = (dt: Dtype | undefined): Value => (dt ? { kind: 'ext', path: `torch.${dt === 'bf16' ? 'bfloat16' : dt === 'fp16' ? 'float16' : 'float32'}` } : null);

export const ROUTES: Route[] = [
  {
    exact: ['torch.set_default_dtype'],
    handler: (lib, { pos, kw, loc }) => {
      const dt = dtypeOf(pos[0] ?? kw.get('d') ?? null);
      if (dt) pushDefault(lib, { dtype: dt, what: `torch.set_default_dtype(${dt})`, loc });
      return null;
    },
  },
  // torchtune: `self._dtype = training.get_dtype(cfg.dtype, device=…)` ('bf16', 'fp32', None → fp32).
  {
    exact: ['torchtune.training.get_dtype', 'torchtune.training.precision.get_dtype', 'torchtune.utils.get_dtype', 'torchtune.utils.precision.get_dtype'],
    handler: (_lib, { pos, kw }) => asTorchDtype(dtypeOf(pos[0] ?? kw.get('dtype') ?? null) ?? 'fp32'),
  },
  {
    exact: ['torchtune.training.set_default_dtype', 'torchtune.training.precision.set_default_dtype', 'torchtune.utils.set_default_dtype', 'torchtune.utils.precision.set_default_dtype'],
    handler: (lib, { pos, kw, loc }) => {
      const dt = dtypeOf(pos[0] ?? kw.get('dtype') ?? null);
      return defaultDtypeContext(lib, dt, `training.set_default_dtype(${dt ?? '?'}) (the recipe's dtype)`, loc);
    },
  },
];
