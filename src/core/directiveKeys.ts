/**
 * The one table of `# floplens:` directive keys (also the keys of `--set` and `floplens.overrides`): name,
 * aliases, type and unit, range (from ranges.ts) and meaning, declared once. The parser (directives.ts),
 * the analysis (src/core/analyze/*), the interpreter and the sidebar's editable assumptions
 * (src/shared/assumptions.ts) all read it. No runtime imports besides ranges.ts: the webview bundles it.
 */
import type { Loc } from './types';
import { VALUE_RANGES, type ValueRange } from './ranges';

type KeyKind = 'int' | 'number' | 'enum' | 'bool' | 'string' | 'list';

/** How the sidebar and `FlopLens: Set Assumption…` offer a key for editing. */
interface EditDecl {
  label: string;
  help: string;
  /** For a choice: the values offered (a subset of the key's values). */
  choices?: readonly string[];
  /** Assumption names other than the key and its aliases that this key edits. */
  names?: readonly string[];
}

interface KeyDecl {
  kind: KeyKind;
  /** Accepted values of an enum key. */
  values?: readonly string[];
  /** What a number counts (shown beside it). */
  unit?: string;
  doc: string;
  aliases?: readonly string[];
  edit?: EditDecl;
}

const KEYS = {
  batch: { kind: 'int', unit: 'samples', doc: 'samples per model call', aliases: ['batch_size', 'bs'], edit: { label: 'Batch size', help: 'Samples per model call.', names: ['batchSize'] } },
  seq: { kind: 'int', unit: 'tokens', doc: 'sequence length (tokens)', aliases: ['seq_len', 'block_size', 'context'], edit: { label: 'Sequence length', help: 'Tokens per sample for token models.', names: ['seqLen', 'sequence'] } },
  dtype: { kind: 'enum', values: ['fp32', 'tf32', 'fp16', 'bf16', 'fp8', 'fp4', 'int8'], doc: 'compute dtype', aliases: ['precision'], edit: { label: 'Compute dtype', help: 'Precision of the bulk of the compute.', choices: ['fp32', 'tf32', 'fp16', 'bf16', 'fp8', 'fp4'] } },
  steps: { kind: 'int', unit: 'iterations', doc: 'iterations in the whole run', aliases: ['max_steps', 'iters', 'max_iters'], edit: { label: 'Steps', help: 'Iterations in the whole run.', names: ['iterations'] } },
  epochs: { kind: 'number', doc: 'passes over the dataset', edit: { label: 'Epochs', help: 'Passes over the dataset.' } },
  dataset: { kind: 'string', unit: 'samples', doc: 'a known dataset name (imagenet, cifar10…) or a sample count', edit: { label: 'Dataset size', help: 'Samples in one epoch.', names: ['datasetSize', 'dataset_size'] } },
  dataset_size: { kind: 'int', unit: 'samples', doc: 'samples in the training set', aliases: ['samples'] },
  accum: { kind: 'int', unit: 'micro-batches', doc: 'gradient-accumulation micro-batches per optimizer step', aliases: ['grad_accum', 'gradient_accumulation_steps'] },
  devices: { kind: 'int', unit: 'GPUs', doc: 'GPUs the run uses (data parallel)', aliases: ['gpus', 'world_size'], edit: { label: 'Devices', help: 'GPUs the run uses (data parallel).' } },
  hardware: { kind: 'list', doc: 'hardware ids to compare (comma-separated)' },
  mode: { kind: 'enum', values: ['train', 'infer'], doc: 'training or inference' },
  optimizer: { kind: 'enum', values: ['sgd', 'momentum', 'adam', 'adamw', 'adam8bit', 'adafactor', 'lion', 'none'], doc: 'optimizer (sets its state bytes)' },
  model: { kind: 'string', doc: 'Hugging Face id of the model the script loads with from_pretrained (given on its command line: model_name_or_path)' },
  args: { kind: 'string', doc: 'the command line the script is run with, quoted (args="--upscale_factor 3 --epochs 5"): argparse options take their values from it', aliases: ['argv'] },
  params: { kind: 'number', unit: 'parameters', doc: 'parameter count of a model FlopLens does not know' },
  layers: { kind: 'int', doc: 'transformer layers of a model FlopLens does not know' },
  hidden: { kind: 'int', doc: 'hidden size of a model FlopLens does not know' },
  heads: { kind: 'int', doc: 'attention heads of a model FlopLens does not know' },
  vocab: { kind: 'int', unit: 'tokens', doc: 'vocabulary size of a model FlopLens does not know' },
  prompt: { kind: 'int', unit: 'tokens', doc: 'prompt tokens for generation', aliases: ['prompt_tokens'] },
  new_tokens: { kind: 'int', unit: 'tokens', doc: 'generated tokens per request', aliases: ['max_new_tokens'] },
  image_size: { kind: 'int', unit: 'pixels', doc: 'input image side in pixels', aliases: ['resolution'] },
  classes: { kind: 'int', unit: 'classes', doc: 'classes of a classifier head whose width comes from the data (num_classes=len(labels))', aliases: ['num_classes', 'num_labels'] },
  recompute: { kind: 'enum', values: ['none', 'selective', 'full'], doc: 'activation recomputation' },
  tf32: { kind: 'bool', doc: 'fp32 matmuls use TF32 tensor cores' },
  runtime: { kind: 'enum', values: ['eager', 'compiled', 'graph'], doc: 'how kernels are issued: eager PyTorch, torch.compile, or CUDA graphs / TensorRT / llama.cpp' },
  tokens: { kind: 'number', unit: 'tokens', doc: 'total training tokens (token budget)' },
  requests: { kind: 'number', unit: 'requests/month', doc: 'requests served per month (serving; rate= sets a rate instead)' },
  rate: { kind: 'string', unit: 'req/s', doc: 'request rate for serving: 20, 20/s, 1200/min, 50k/day', aliases: ['qps', 'rps'], edit: { label: 'Request rate', help: 'Requests per second the service answers (20, 20/s, 50k/day).' } },
  items: { kind: 'int', unit: 'items', doc: 'items (classifiers, embedders) or images (diffusion) per request', aliases: ['images_per_request'] },
  latency: { kind: 'string', unit: 's', doc: 'latency target per request for serving (1s, 200ms)', aliases: ['latency_target'] },
  ttft: { kind: 'string', unit: 's', doc: 'time-to-first-token target for LLM serving (1s, 300ms)' },
  tpot: { kind: 'string', unit: 's', doc: 'time-per-output-token target for LLM serving (100ms)' },
  quant: { kind: 'enum', values: ['none', 'int8', 'fp8', 'int4', 'fp4'], doc: 'weight quantisation for serving (int4 and fp4 ≈ 4.5 bits with scales)' },
  kv_dtype: { kind: 'enum', values: ['fp16', 'bf16', 'fp8', 'int8'], doc: 'KV-cache dtype for LLM serving' },
} as const satisfies Record<string, KeyDecl>;

type Keys = typeof KEYS;
export type DirectiveKey = keyof Keys;
/** Keys the sidebar offers for editing (those with an `edit` entry). */
export type EditableKey = { [K in DirectiveKey]: Keys[K] extends { edit: EditDecl } ? K : never }[DirectiveKey];

/** The value type of a key: a number, a boolean, one of its enum values, or a string. */
type ValueOf<D> = D extends { kind: 'int' | 'number' } ? number
  : D extends { kind: 'bool' } ? boolean
    : D extends { kind: 'enum'; values: readonly (infer V)[] } ? V
      : string;
export type DirectiveValueOf<K extends DirectiveKey> = ValueOf<Keys[K]>;
export type DirectiveValue = number | string | boolean;

/** One key's declaration with its name and its numeric range from VALUE_RANGES. */
export interface KeySpec extends KeyDecl {
  name: DirectiveKey;
  range?: ValueRange;
}

/** Every key, in table order. */
export const DIRECTIVE_KEY_NAMES = Object.keys(KEYS) as DirectiveKey[];

/**
 * The key table by name. No prototype, and read through `directiveSpec` only, so `constructor` or
 * `__proto__` is just an unknown key.
 */
export const DIRECTIVE_KEYS: Readonly<Record<string, KeySpec>> = Object.create(null) as Record<string, KeySpec>;
for (const name of DIRECTIVE_KEY_NAMES) {
  const range = VALUE_RANGES.get(name);
  (DIRECTIVE_KEYS as Record<string, KeySpec>)[name] = { ...(KEYS[name] as KeyDecl), name, ...(range ? { range } : {}) };
}

/** The spec of a (normalised) key; never reaches Object.prototype. */
export function directiveSpec(key: string): KeySpec | undefined {
  return typeof key === 'string' && Object.hasOwn(DIRECTIVE_KEYS, key) ? DIRECTIVE_KEYS[key] : undefined;
}

export function isDirectiveKey(key: string): key is DirectiveKey {
  return directiveSpec(key) !== undefined;
}

/** A directive (or setting override) as the analysis holds it: the typed value and where it came from. */
export interface DirectiveEntry<V> {
  value: V;
  raw: string;
  source: 'directive' | 'setting';
  /** Where the `# floplens:` comment is; none for a setting. */
  loc?: Loc;
  /** "a # floplens directive" or "a setting", for notes that name what set a value. */
  note: string;
}

/** Every directive and setting override of one analysis: key → typed entry. Directives win over settings. */
export type Directives = { readonly [K in DirectiveKey]?: DirectiveEntry<DirectiveValueOf<K>> };
