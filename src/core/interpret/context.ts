/**
 * What library code (src/core/interpret/lib/*, zooBridge.ts) may use of the evaluator: the `EvalContext`
 * interface and the one mutable `EvalState` it carries. The `Interpreter` implements the interface; library
 * code imports only these types, never the interpreter, so the two can change independently and no runtime
 * import runs from the library back to the evaluator.
 */
import type { Dtype, Loc, Problem } from '../types';
import type { Directives } from '../directiveKeys';
import type { Recorder } from './recorder';
import type { Value, ClassValue, FuncValue, Scope } from './values';
import type { ConfigFileSource, ModuleSource } from '../api';
import type { DataFileSource } from '../dataFiles';
import type { FolderListing } from '../folderListings';
import type { SavedOutputs } from './savedOutputs';

export interface InterpreterOptions {
  modules: ModuleSource[];
  /** Config files the host read for the script (`yaml.safe_load(open(path))`, Hydra): lib/configFiles.ts. */
  files?: ConfigFileSource[];
  /** Facts of data files the host read for the script (`np.loadtxt(path)`, `open(path).read()`): lib/dataFiles.ts. */
  dataFiles?: DataFileSource[];
  /** Folders of the workspace the host listed (glob/listdir of them: lib/workspaceFolders.ts). */
  folders?: FolderListing[];
  /** Max statements + calls evaluated before giving up. */
  maxSteps?: number;
  maxDepth?: number;
  /** Concrete loops with more iterations than this are walked abstractly. */
  unrollLimit?: number;
  defaultBatch: number;
  defaultSeqLen: number;
  defaultDtype: Dtype;
  /**
   * The batch that dims read off untraced tensors (`b = real.size(0)`) are bound to, when a first evaluation found
   * better evidence only after it read them (a DataLoader built later in the script). Set by the trace stage.
   */
  boundBatch?: { value: number; note: string };
  /** A notebook's saved outputs, matched after each top-level statement of the main program (savedOutputs.ts). */
  savedOutputs?: SavedOutputs;
}

/**
 * The evaluator's mutable state, in one place. Each field says who changes it and why; everything else
 * reads it. Counters that are raised around a block are put back by the same code that raised them
 * (in a `finally`), and `Interpreter.execTopLevel` restores the depth counters after a statement that
 * overflowed the stack.
 */
export class EvalState {
  /** Statements and calls evaluated so far. Raised by `Interpreter.tick`; past `maxSteps` the analysis stops. */
  steps = 0;
  /** Nesting of Python calls and local imports. Raised/lowered by `Interpreter.callFunction` and `importLocal`; bounded by `maxDepth`. */
  depth = 0;
  /** Next identity for a value (modules, params, objects). Only `EvalContext.id()` advances it. */
  nextId = 1;
  /**
   * > 0 while inside torch.no_grad()/inference_mode() or a @no_grad function: ops record no gradient.
   * Raised by `Interpreter.callFunction` (decorated functions), the grad-mode contexts (lib/training.ts
   * `enterContext`), and the zoo bridge around generate()/pipelines; `enable_grad` sets it to 0 for its block.
   */
  noGrad = 0;
  /**
   * Active autocast dtypes, innermost last. Pushed by `with torch.autocast(...)` (lib/training.ts), around a
   * module's forward when the module was cast (lib/modules.ts `callModule`) and by Lightning's precision
   * (lib/training.ts `lightningFit`); each pops what it pushed.
   */
  autocast: Dtype[] = [];
  /** A `dtype` directive or setting: wins over autocast and casts in the script. Set once by the analysis before evaluation. */
  forcedDtype: Dtype | undefined;
  /**
   * > 0 inside torch.utils.checkpoint (lib/training.ts): ops there are recomputed in backward and keep no
   * activations (`recomputed` on each op record).
   */
  checkpointDepth = 0;
  /** > 0 inside Accelerate's `with accelerator.accumulate(model):` (lib/training.ts): optimizer.step() is then weighted by the accumulation. */
  accelerateAccumulate = 0;
  /** Depth of module forward calls (0 = script level). Raised/lowered by `callModule` (lib/modules.ts). */
  moduleDepth = 0;
  /** Depth of nn.Module __init__ calls in progress. Raised/lowered by `Interpreter.instantiate`. */
  initDepth = 0;
  /** Module path stack while tracing forward (`model.blocks.0.attn`): pushed/popped by `callModule`; names recorded ops. */
  pathStack: string[] = [];
  /**
   * Modules whose forward is running, innermost last: added/removed by `callModule`. A module called again from
   * inside its own forward would recurse until Python's limit in PyTorch; the inner call is refused.
   */
  readonly activeModules = new Set<Value>();
  /** Count of root model calls (a module called at script level). Advanced by `callModule` for each root call. */
  rootCallId = 0;
  /** The root call in progress (its `rootCallId`), stamped on every op recorded under it; set and cleared by `callModule`. */
  currentRoot: number | undefined;
  /** Shape of the first positional tensor argument of each root call (by `rootCallId`), recorded by `callModule`. */
  readonly rootInputs = new Map<number, number[]>();
}

/** The evaluator as library code sees it. */
export interface EvalContext {
  readonly state: EvalState;
  readonly opts: InterpreterOptions;
  /** Op and run-event log of the program (ops, backward, steps, loop frames). */
  readonly recorder: Recorder;
  /** Directives and setting overrides (`# floplens: batch=64`, `--set`), typed, parsed before evaluation. */
  readonly directives: Directives;
  /** Every module value constructed, for summaries and the untraced fallback. */
  readonly constructed: { value: Value; loc?: Loc }[];
  /** A new value identity. */
  id(): number;
  problem(severity: Problem['severity'], code: string, message: string, loc?: Loc): void;
  /**
   * Charge the allocation budget for a value of `size` items (characters when `chars`) that `what` is about to
   * build. False when it may not be built: the caller returns an unknown value (the location gets one warning).
   */
  grow(size: number, what: string, loc?: Loc, chars?: boolean, units?: number): boolean;
  /** `items` as a list or tuple; an unknown value when the budget refuses it. */
  seqOf(kind: 'list' | 'tuple', items: Value[], what: string, loc?: Loc): Value;
  /** Call any callable value. `calleeName` is the name it was called through (for model roots). */
  call(fn: Value, pos: Value[], kw: Map<string, Value>, loc?: Loc, calleeName?: string): Value;
  callFunction(fn: FuncValue, pos: Value[], kw: Map<string, Value>, loc?: Loc): Value;
  /** Method resolution: the class, then its bases depth-first. */
  lookupClass(cls: ClassValue, name: string, skipSelf?: boolean): { value: Value; owner: ClassValue } | undefined;
  binop(op: string, a: Value, b: Value, loc?: Loc): Value;
  /** A directive wins over the script's own value for the variable it names (`batch_size`, `block_size`…). */
  overrideScalar(name: string, v: Value): Value;
  /** Module-level names of the main program and their values, for name-based guesses (`batch_size`). */
  globalsForGuess(): Iterable<[string, Value]>;
  /** A local module by dotted name (evaluated once), or undefined when the host gave no such module. */
  importLocal(name: string, loc?: Loc): Scope | undefined;
}
