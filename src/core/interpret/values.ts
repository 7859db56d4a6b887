/**
 * Runtime values of the static evaluator. Python values that matter for cost (numbers, strings,
 * containers, configs, modules, tensors with shapes) are modelled; everything else is `unknown`
 * with a reason, and flows through without crashing.
 */
import type { Dtype, Loc } from '../types';
import type { TensorArg, LayerDef, Arg } from '../ops/registry';
import type { Stmt, Param, Expr } from '../parse/ast';

export type Value =
  | number | string | boolean | null
  | ListValue | DictValue | FuncValue | ClassValue | InstValue | LayerValue | ContainerValue
  | TensorArg | ParamValue | ExtValue | ObjValue | UnknownValue | RangeValue | MethodValue | SliceValue | BuiltinValue;

export interface ListValue { kind: 'list' | 'tuple'; items: Value[] }
export interface DictValue { kind: 'dict'; map: Map<string | number | boolean | null, Value> }
export interface RangeValue { kind: 'range'; start: number; stop: number; step: number }
export interface SliceValue {
  kind: 'slice'; lo?: number; hi?: number; step?: number;
  /** `a[i:i + k]` with `i` unknown: the width k the source states, when the bounds themselves are not known. */
  width?: number;
}

/** Where a definition came from: the main document or an imported local module. */
export interface SourceFile { path?: string; text: string; lineStarts: readonly number[] }

export interface FuncValue {
  kind: 'func';
  name: string;
  params: Param[];
  body: Stmt[] | Expr;
  defaults: (Value | undefined)[];
  closure: Scope;
  file: SourceFile;
  loc?: Loc;
  decorators: string[];
  /** Bound receiver (methods accessed through an instance). */
  self?: Value;
  /** Class that defined the method (for super()). */
  owner?: ClassValue;
  /** Decorated with @torch.no_grad() / @torch.inference_mode(). */
  noGrad?: boolean;
}

export interface ClassValue {
  kind: 'class';
  name: string;
  bases: Value[];
  ns: Map<string, Value>;
  isModule: boolean;
  isDataclass: boolean;
  /** Dataclass/NamedTuple fields in order, with default expressions evaluated at class creation. */
  fields: { name: string; default?: Value }[];
  file: SourceFile;
  loc?: Loc;
  id: number;
}

/** Instance of a user class; for nn.Module subclasses it also carries module bookkeeping. */
export interface InstValue {
  kind: 'inst';
  cls: ClassValue;
  attrs: Map<string, Value>;
  id: number;
  module?: ModuleMeta;
}

/** Bookkeeping shared by every module value (user modules, torch layers, containers, catalog models). */
export interface ModuleMeta {
  /** Dotted path assigned when the root is first used (`model.blocks.0.attn`). */
  path?: string;
  loc?: Loc;
  dtype?: Dtype;
  frozen?: boolean;
  training: boolean;
  /** Parameters this module owns directly (not through children), by identity. */
  params: ParamValue[];
}

/** A torch.nn layer with bound constructor arguments. */
export interface LayerValue {
  kind: 'layer';
  name: string;
  def?: LayerDef;
  args: Record<string, Arg>;
  /** The same args as Values (layer instances passed to TransformerEncoder etc.). */
  rawArgs: Record<string, Value>;
  id: number;
  module: ModuleMeta;
}

/** nn.Sequential / nn.ModuleList / nn.ModuleDict. */
export interface ContainerValue {
  kind: 'container';
  type: 'Sequential' | 'ModuleList' | 'ModuleDict' | 'ParameterList' | 'ParameterDict';
  items: Value[];
  keys?: string[];
  id: number;
  module: ModuleMeta;
}

/** A parameter tensor (nn.Parameter or a layer's weight/bias); identity matters for weight tying. */
export interface ParamValue {
  kind: 'param';
  id: number;
  numel: number;
  shape?: number[];
  trainable: boolean;
  /** Attribute name on its owner (`weight`, `bias`, `pos_emb`); `*` for a layer's lumped parameters. */
  name?: string;
}

/** A reference to something outside the program: `torch.nn.Linear`, `F.relu`, `math.sqrt`, `np`. */
export interface ExtValue { kind: 'ext'; path: string }

/** A Python-builtin function implemented by the evaluator. */
export interface BuiltinValue { kind: 'builtin'; name: string; fn: (args: Value[], kw: Map<string, Value>, loc?: Loc) => Value }

/** Attribute of an object that is called later: `parser.add_argument`, `opt.step`. */
export interface MethodValue { kind: 'method'; self: Value; name: string }

/**
 * Objects created by known library calls: DataLoader, datasets, optimizers, argparse parsers and
 * namespaces, autocast contexts, tokenizers, catalog models, pipelines, LoRA configs...
 */
/**
 * The kinds of library objects (`ObjValue.type`), by the domain that makes them. A typo in a comparison or a
 * handler table key does not compile.
 */
export type ObjType =
  // Python and the evaluator (lib/builtins.ts, interpreter.ts): an imported local module, `super()`, `...`, lazy iterables
  | 'module' | 'super' | 'ellipsis' | 'lazyiter' | 'dict_items'
  // files the script would read (lib/builtins.ts): `open(path)`, and what `pickle.load` / `json.load` give; the text
  // of a data file the host gave facts for and a `pathlib.Path` of known parts (lib/dataFiles.ts); pandas tables by
  // their shape and their .iloc/.loc (lib/frames.ts)
  | 'file' | 'filedata' | 'datatext' | 'fspath' | 'frame' | 'frameIndexer'
  // PIL images a dataset opens (lib/pil.ts)
  | 'pilImage'
  // modules (lib/modules.ts): `model.parameters()` and one parameter of it in a loop
  | 'paramset' | 'paramproxy'
  // training (lib/training.ts)
  | 'nograd' | 'enablegrad' | 'autocast' | 'nullcontext' | 'gradscaler' | 'optimizer' | 'scheduler'
  | 'accelerator' | 'accelerateContext' | 'plTrainer'
  // wrappers (lib/wrappers.ts): Lightning Fabric
  | 'libWrapper'
  // data (lib/data.ts)
  | 'dataset' | 'labelColumn' | 'loader' | 'distSampler' | 'transform' | 'resample'
  // audio (lib/audio.ts): a torchaudio feature transform (MelSpectrogram, MFCC, …)
  | 'audioTransform'
  // config (lib/config.ts): argparse parsers, attribute namespaces, dataclass fields; `config` is read, not made
  | 'argparser' | 'namespace' | 'config' | 'field' | 'cliapp'
  // numeric (lib/numeric.ts): an einops Rearrange/Reduce layer
  | 'einops'
  // worker processes (lib/pipes.ts): one end of a multiprocessing Pipe
  | 'pipeEnd'
  // the zoo bridge (zooBridge.ts)
  | 'catalogModel' | 'catalogOutput' | 'pipeline' | 'hfpipeline' | 'tokenizer' | 'encoding'
  | 'lora' | 'loraConfig' | 'quantConfig' | 'trainingArgs' | 'trainer';

export interface ObjValue {
  kind: 'obj';
  type: ObjType;
  attrs: Map<string, Value>;
  id: number;
  loc?: Loc;
  module?: ModuleMeta;
}

export interface UnknownValue { kind: 'unknown'; why?: string }

export const UNKNOWN: UnknownValue = { kind: 'unknown' };
export const unknown = (why?: string): UnknownValue => (why ? { kind: 'unknown', why } : UNKNOWN);

export const isObj = (v: Value | undefined): v is Exclude<Value, number | string | boolean | null> => typeof v === 'object' && v !== null;
export const isKind = <K extends string>(v: Value | undefined, k: K): v is Extract<Value, { kind: K }> => isObj(v) && (v as { kind: string }).kind === k;
export const isTensorV = (v: Value | undefined): v is TensorArg => isKind(v, 'tensor');
export const isSeq = (v: Value | undefined): v is ListValue => isObj(v) && (v.kind === 'list' || v.kind === 'tuple');
export const isUnknown = (v: Value | undefined): v is UnknownValue => isKind(v, 'unknown');
export const isNum = (v: Value | undefined): v is number => typeof v === 'number' && Number.isFinite(v);
export const isModuleValue = (v: Value | undefined): v is InstValue | LayerValue | ContainerValue | ObjValue =>
  isObj(v) && ((v.kind === 'inst' && !!v.module) || v.kind === 'layer' || v.kind === 'container' || (v.kind === 'obj' && !!v.module));

export const tuple = (items: Value[]): ListValue => ({ kind: 'tuple', items });
export const list = (items: Value[]): ListValue => ({ kind: 'list', items });
export const tensor = (shape: number[], dtype?: Dtype, guessed?: boolean): TensorArg => {
  const t: TensorArg = { kind: 'tensor', shape };
  if (dtype) t.dtype = dtype;
  if (guessed) t.guessed = true;
  return t;
};

/** Fresh bookkeeping for a module value constructed at `loc` (training mode, no parameters yet). */
export function newMeta(loc?: Loc): ModuleMeta {
  return { loc, training: true, params: [] };
}

/** A Python value as a dict key (tuples by their scalar items); undefined for an unhashable or unknown key. */
export function dictKey(v: Value): string | number | boolean | null | undefined {
  if (v === null || typeof v === 'string' || typeof v === 'number' || typeof v === 'boolean') return v;
  if (isSeq(v) && v.kind === 'tuple') return JSON.stringify(v.items.map((x) => (typeof x === 'object' ? null : x)));
  return undefined;
}

const DTYPE_NAMES: Record<string, Dtype> = {
  float32: 'fp32', float: 'fp32', float64: 'fp32', double: 'fp32', fp32: 'fp32',
  float16: 'fp16', half: 'fp16', fp16: 'fp16',
  bfloat16: 'bf16', bf16: 'bf16',
  float8_e4m3fn: 'fp8', float8_e5m2: 'fp8', fp8: 'fp8', float4_e2m1fn_x2: 'fp4', fp4: 'fp4',
  int8: 'int8', uint8: 'int8', qint8: 'int8', int4: 'int4', tf32: 'tf32',
};

/** `torch.bfloat16`, `'bfloat16'`, `'bf16'`, `torch.half` → Dtype. */
export function dtypeOf(v: Value): Dtype | undefined {
  if (typeof v === 'string') return DTYPE_NAMES[v.replace(/^torch\./, '').toLowerCase()];
  if (isKind(v, 'ext')) return DTYPE_NAMES[v.path.split('.').pop() ?? ''];
  return undefined;
}

/** Lexical scope: function locals → enclosing → module globals → builtins. */
export class Scope {
  readonly vars = new Map<string, Value>();
  constructor(readonly parent?: Scope, readonly isClassBody = false) {}
  get(name: string): Value | undefined {
    const v = this.vars.get(name);
    if (v !== undefined || this.vars.has(name)) return v;
    return this.parent?.get(name);
  }
  has(name: string): boolean {
    return this.vars.has(name) || (this.parent?.has(name) ?? false);
  }
  set(name: string, v: Value): void { this.vars.set(name, v); }
}

/** Python truthiness; undefined when it cannot be known statically. */
export function truthy(v: Value): boolean | undefined {
  if (v === null) return false;
  if (typeof v === 'boolean') return v;
  if (typeof v === 'number') return v !== 0;
  if (typeof v === 'string') return v.length > 0;
  switch (v.kind) {
    case 'list': case 'tuple': return v.items.length > 0;
    case 'dict': return v.map.size > 0;
    case 'range': return rangeLen(v) > 0;
    case 'unknown': return undefined;
    case 'tensor': return undefined;
    default: return true;
  }
}

/** Why a value is unknown when it is known to be a list (`[cls] + tokens + [sep]` with `tokens` unseen): not a scalar. */
export const UNKNOWN_SEQ = 'a list of unknown length';

export function rangeLen(r: RangeValue): number {
  if (r.step > 0) return Math.max(0, Math.ceil((r.stop - r.start) / r.step));
  if (r.step < 0) return Math.max(0, Math.ceil((r.start - r.stop) / -r.step));
  return 0;
}

/** Short human description of a value (for problems and hovers). */
export function describe(v: Value): string {
  if (v === null) return 'None';
  if (typeof v !== 'object') return JSON.stringify(v);
  switch (v.kind) {
    case 'tensor': return `tensor[${v.shape.join(', ')}]`;
    case 'list': case 'tuple': return `${v.kind} of ${v.items.length}`;
    case 'layer': return `nn.${v.name}`;
    case 'inst': return v.cls.name;
    case 'class': return `class ${v.name}`;
    case 'ext': return v.path;
    case 'obj': return v.type;
    case 'unknown': return v.why ? `unknown (${v.why})` : 'unknown';
    default: return v.kind;
  }
}

/**
 * One allocation budget for everything the evaluator builds: container items, dict entries, string
 * characters (8 to a unit) and recorded ops. A value over the per-value caps, or any growth once the
 * total is spent, becomes an unknown value with a warning instead of exhausting the process: V8 aborts
 * the whole process (not just the analysis) on an array or string past its size limits, and a script
 * of three lines (`x = x + x` thirty times) gets there.
 */
export class AllocBudget {
  /** Items in one list, tuple or dict. */
  static readonly MAX_ITEMS = 100_000;
  /** Characters in one string. */
  static readonly MAX_CHARS = 1_000_000;
  /** Units (items, entries, 8 characters, a recorded op) allocated over a whole analysis. */
  static readonly TOTAL = 16_000_000;
  used = 0;
  constructor(readonly total = AllocBudget.TOTAL) {}

  /** Why a value of `size` items (or characters) cannot be built, or undefined after charging it. */
  /** `units`, when given, is what the growth adds (one item appended to a list of `size`). */
  charge(size: number, chars = false, units = chars ? Math.ceil(size / 8) : size): string | undefined {
    const cap = chars ? AllocBudget.MAX_CHARS : AllocBudget.MAX_ITEMS;
    const noun = chars ? 'characters' : 'items';
    if (!(size <= cap)) {
      return Number.isFinite(size)
        ? `${size.toLocaleString('en-US')} ${noun}, past the evaluator's limit of ${cap.toLocaleString('en-US')} per value`
        : `more ${noun} than the evaluator can hold`;
    }
    if (this.used + units > this.total) return `past the evaluator's allocation budget of ${this.total.toLocaleString('en-US')} items for the whole script`;
    this.used += units;
    return undefined;
  }
}
