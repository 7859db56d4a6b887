/**
 * The op table: one definition per op kind (shape rule, parameters, forward/backward FLOPs, bytes, saved
 * activations), read by the tracer, hovers, the panel and the CLI alike.
 *
 * - `LAYERS`: `torch.nn` classes by class name (`Linear`, `Conv2d`, `LSTM`, `TransformerEncoderLayer`...).
 * - `FUNCTIONS`: `torch.*` / `torch.nn.functional.*` by canonical name without namespace (`relu`, `conv2d`,
 *   `scaled_dot_product_attention`, `einsum`, `zeros`...). `resolveFunction` maps dotted names.
 * - `METHODS`: tensor methods and properties by name (`view`, `transpose`, `size`, `T`, `add_`...); `args[0]` is
 *   the tensor.
 * - `bindArgs(def, positional, kwargs)`: binds a layer's constructor arguments by its PyTorch signature and applies
 *   defaults; returns the bound record or an `OpError`.
 *
 * Module-valued arguments (`TransformerEncoder(encoder_layer, …)`, `Transformer(custom_encoder=…)`,
 * `TransformerEncoderLayer(activation=nn.GELU())`) are `ModuleArg` values: `{ kind: 'module', layer, args }` with
 * `args` already bound by `bindArgs`. Conventions are documented at the top of `functional.ts` and `layers.ts`.
 */
import type { Arg, CallContext, FunctionDef, LayerDef, OpError, OpOutcome } from './registry';
import { bindSignature, isErr } from './shapes';
import { FUNCTIONS } from './functional';
import { LAYERS } from './layers';
import { METHODS } from './methods';

export { FUNCTIONS, LAYERS, METHODS };
export { POINTWISE_FLOPS } from './functional';
export { broadcastShapes, inferShape, parseDtype } from './shapes';

/**
 * Bind constructor arguments to `def.signature` (positional order, keywords, defaults), as Python would.
 * Unknown values stay `undefined`; `device=` / `dtype=` keywords are always accepted.
 */
export function bindArgs(def: LayerDef, positional: readonly Arg[], kwargs: Readonly<Record<string, Arg>> = {}): Record<string, Arg> | OpError {
  return bindSignature(`nn.${def.name}`, def.signature, positional, kwargs);
}

/** Namespaces stripped to find a function's canonical key. */
const PREFIXES = ['torch.nn.functional.', 'nn.functional.', 'functional.', 'F.', 'torch.special.', 'torch.linalg.', 'torch.Tensor.', 'torch.'];

/** `torch.nn.functional.relu` / `F.relu` / `torch.relu` → `{ key: 'relu', def }`; undefined when not in the table. */
export function resolveFunction(dotted: string): { key: string; def: FunctionDef } | undefined {
  let key = dotted;
  for (const p of PREFIXES) {
    if (key.startsWith(p)) {
      key = key.slice(p.length);
      break;
    }
  }
  if (key === 'nn.Transformer.generate_square_subsequent_mask' || key === 'Transformer.generate_square_subsequent_mask') key = 'generate_square_subsequent_mask';
  const def = Object.prototype.hasOwnProperty.call(FUNCTIONS, key) ? FUNCTIONS[key] : undefined;
  return def ? { key, def } : undefined;
}

/** `torch.nn.Linear` / `nn.Linear` / `Linear` → its definition. */
export function resolveLayer(dotted: string): LayerDef | undefined {
  const name = dotted.split('.').pop() ?? dotted;
  return Object.prototype.hasOwnProperty.call(LAYERS, name) ? LAYERS[name] : undefined;
}

/**
 * Construct and call a layer in one step (tests, the model catalog): bind `ctor` args, then forward `inputs`.
 */
export function callLayer(name: string, ctor: readonly Arg[], ctorKwargs: Readonly<Record<string, Arg>>, inputs: Arg[], kwargs: Record<string, Arg>, ctx: CallContext): OpOutcome {
  const def = resolveLayer(name);
  if (!def) return { error: `nn.${name} is not in the op table` };
  const a = bindArgs(def, ctor, ctorKwargs);
  return isErr(a) ? a : def.forward(a, inputs, kwargs, ctx);
}
