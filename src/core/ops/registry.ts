/**
 * The op table's contract with the interpreter/tracer.
 *
 * The tracer evaluates Python statically; when it meets a `torch.nn` layer constructor, a layer call,
 * an `F.*` / `torch.*` function or a tensor method, it asks this table for the shape rule and the cost.
 * One definition per op kind lives behind these maps (`layers.ts`, `functional.ts`, `methods.ts`).
 */
import type { Dtype } from '../types';
import type { Cost } from './primitives';

/** A tensor as the tracer sees it: a concrete shape (dims are numbers; unknown dims were resolved to assumptions). */
export interface TensorArg {
  kind: 'tensor';
  shape: number[];
  dtype?: Dtype;
  /** True when the shape came from a fallback (not traced from real inputs). */
  guessed?: boolean;
  /**
   * True when the tensor is a non-contiguous view (the op table sets it after `transpose`, `permute`, `t`, `mT`,
   * `expand`); `.contiguous()` / `.reshape()` then cost a copy, otherwise they are free. Absent means contiguous.
   */
  nonContiguous?: boolean;
  /**
   * Index tensors (from topk/argmax/argsort/randint/multinomial): every value lies in [0, indexRange). Lets a
   * comparison `idx == e` know the expected share of matches (1 / indexRange for uniformly spread indices).
   */
  indexRange?: number;
  /** A boolean mask (a comparison's result); `density` is the expected share of true elements when known. */
  mask?: boolean;
  density?: number;
  /** Values drawn uniformly from [0, 1) (`torch.rand`): `t < p` keeps a share p. */
  uniform01?: boolean;
  /** A leaf tensor the script made require gradients outside any loop and module: a raw-tensor parameter. */
  rawParam?: boolean;
}

/**
 * An `nn.Module` instance passed as a value, e.g. the `encoder_layer` of `nn.TransformerEncoder(layer, 6)` or the
 * `norm=nn.LayerNorm(512)` argument. `layer` is the `torch.nn` class name (a key of `LAYERS`), `args` its constructor
 * arguments already bound with `bindArgs` (defaults applied). User-defined classes use their class name; the op
 * table reports an error when it needs to run a module it does not know.
 */
export interface ModuleArg {
  kind: 'module';
  layer: string;
  args: Record<string, Arg>;
}

/**
 * Values the op table receives and returns. Tuples/lists are arrays; `undefined` is "not given / unknown".
 * Dtypes are passed as strings as written (`'torch.float16'`, `'float16'`, `'torch.bfloat16'`, `'half'`).
 */
export type Arg = number | string | boolean | null | undefined | TensorArg | ModuleArg | Arg[];

export const isTensor = (a: Arg): a is TensorArg => typeof a === 'object' && a !== null && !Array.isArray(a) && a.kind === 'tensor';
export const isModule = (a: Arg): a is ModuleArg => typeof a === 'object' && a !== null && !Array.isArray(a) && a.kind === 'module';

export interface CallContext {
  /** Compute dtype of the call (autocast / model dtype). */
  dtype: Dtype;
  training: boolean;
  /** The called module's parameters do not require grad: backward counts the input gradient only. */
  frozen?: boolean;
  /** Weight storage dtype when it differs from `dtype` (quantised weights); defaults to `dtype`. */
  weightDtype?: Dtype;
}

/** Result of applying a layer, function or method. */
export interface OpResult {
  /** Zero or more costed ops (view/reshape cost nothing and return []). */
  costs: Cost[];
  /** The Python value produced: a tensor, a tuple of tensors, a number (x.size(1)), a shape tuple... */
  output: Arg;
}

/** A failure the tracer reports as a problem ("cannot apply nn.Linear(512, 10) to [8, 256]: …"). */
export interface OpError {
  error: string;
}

export type OpOutcome = OpResult | OpError;
export const isOpError = (r: OpOutcome): r is OpError => 'error' in r;

/** Marker for a required constructor parameter in a signature. */
export const REQUIRED = Symbol('required');

export interface LayerDef {
  /** `torch.nn` class name, e.g. `Linear`, `Conv2d`, `TransformerEncoderLayer`. */
  name: string;
  /** Ordered constructor signature `[paramName, default]`, as in PyTorch (positional order matters). */
  signature: [string, Arg | typeof REQUIRED][];
  /**
   * Trainable parameters given bound constructor args (after defaults are applied). `NaN` when an argument it
   * needs is unknown (`undefined`); lazy layers (`LazyLinear`) return 0 and their forward cost carries the params.
   */
  paramCount(a: Record<string, Arg>): number;
  /**
   * Shapes of the layer's parameters by attribute name (`weight`, `bias`, `in_proj_weight`, `weight_ih_l0`...),
   * for `self.fc.weight` look-ups and tied-weight de-duplication. Their element counts sum to `paramCount`.
   */
  paramShapes?(a: Record<string, Arg>): Record<string, number[]>;
  /**
   * Apply the layer to call arguments (positional `inputs`, keyword `kwargs`). Returns costs and the
   * output value with the PyTorch output structure (LSTM → [output, [h, c]]; MultiheadAttention → [out, weights]).
   */
  forward(a: Record<string, Arg>, inputs: Arg[], kwargs: Record<string, Arg>, ctx: CallContext): OpOutcome;
  /**
   * A representative input for the untraced fallback: the input shape this layer would most plausibly get
   * for a batch of `batch` (e.g. Linear → [batch, in_features]); undefined when no sensible guess exists.
   */
  guessInput?(a: Record<string, Arg>, batch: number, seqLen: number): number[][] | undefined;
  /** Container layers (Sequential, ModuleList, ModuleDict, ParameterList/Dict) are handled by the interpreter. */
  container?: boolean;
}

/**
 * A function (`F.relu`, `torch.cat`, `torch.matmul`, `F.scaled_dot_product_attention`) or a tensor
 * method (`x.view`, `x.transpose`, `x.softmax`). Methods receive the tensor as `args[0]`.
 */
export type FunctionDef = (args: Arg[], kwargs: Record<string, Arg>, ctx: CallContext) => OpOutcome;
