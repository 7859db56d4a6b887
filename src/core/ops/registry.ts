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
}

/** Values the op table receives and returns. Tuples/lists are arrays; `undefined` is "not given / unknown". */
export type Arg = number | string | boolean | null | undefined | TensorArg | Arg[];

export const isTensor = (a: Arg): a is TensorArg => typeof a === 'object' && a !== null && !Array.isArray(a) && a.kind === 'tensor';

export interface CallContext {
  /** Compute dtype of the call (autocast / model dtype). */
  dtype: Dtype;
  training: boolean;
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
  /** Trainable parameters given bound constructor args (after defaults are applied). */
  paramCount(a: Record<string, Arg>): number;
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
  /** Container layers (Sequential, ModuleList, ModuleDict, Identity) are handled by the interpreter. */
  container?: boolean;
}

/**
 * A function (`F.relu`, `torch.cat`, `torch.matmul`, `F.scaled_dot_product_attention`) or a tensor
 * method (`x.view`, `x.transpose`, `x.softmax`). Methods receive the tensor as `args[0]`.
 */
export type FunctionDef = (args: Arg[], kwargs: Record<string, Arg>, ctx: CallContext) => OpOutcome;
