/**
 * torchtune recipes (pytorch/torchtune at bd2a0fc), as `tune run <recipe> --config <name> [key=value …]` runs them:
 *
 * - `@config.parse` on the recipe's main function: the function is called with the config the command line names
 *   (`--config llama3_2/1B_lora_single_device` is `configs/llama3_2/1B_lora_single_device.yaml` of the recipes folder;
 *   a path ending in .yaml is that file), with the command line's `key=value` overrides. No `--config`, or a config the
 *   workspace does not hold (one of the installed package's), is said with the directive that gives it.
 * - model builders (`torchtune.models.llama3_2.lora_llama3_2_1b`, …): the architecture each builder family defines in
 *   torchtune/models/<family>/_model_builders.py is the published Hugging Face config of the same model, so a builder
 *   is that catalog model; `lora_*` builders add LoRA adapters of `lora_rank` on `lora_attn_modules` (+ the MLP with
 *   `apply_lora_to_mlp`), `qlora_*` ones the same over 4-bit (NF4) base weights.
 * - dataset builders (`alpaca_cleaned_dataset`, …): the Hugging Face dataset each one loads (its `source=`), from the
 *   dataset catalog.
 *
 * FlopLens describes the package itself: a copy of torchtune's source in the workspace is not evaluated in its place
 * (src/core/moduleResolve.ts `DESCRIBED_PACKAGES`).
 */
import type { Loc } from '../../types';
import { commandLineConfig, commandLineWords, documentedRecipeConfig, recipeConfigCandidates } from '../../configFiles';
import { parseConfigText, type Plain } from '../configText';
import { UNKNOWN, isKind, list, unknown } from '../values';
import type { Value } from '../values';
import { NOT_MINE } from './dispatch';
import type { NotMine, Route } from './dispatch';
import type { Library } from './library';
import { defaultDtype } from './precision';
import { plainToValue } from './config';

/**
 * torchtune builder (without `lora_`/`qlora_`) → the catalog model of the same architecture. Each builder passes the
 * model's published config (vocab, layers, heads, kv heads, dims, norm eps, tied head) to its family's component
 * builder; torchtune names the checkpoint it loads into it (the configs' `checkpoint_dir`).
 */
const BUILDERS: Record<string, string> = {
  llama2_7b: 'meta-llama/Llama-2-7b-hf', llama2_13b: 'meta-llama/Llama-2-13b-hf', llama2_70b: 'meta-llama/Llama-2-70b-hf',
  llama3_8b: 'meta-llama/Meta-Llama-3-8B', llama3_70b: 'meta-llama/Meta-Llama-3-70B',
  llama3_1_8b: 'meta-llama/Llama-3.1-8B', llama3_1_70b: 'meta-llama/Llama-3.1-70B', llama3_1_405b: 'meta-llama/Llama-3.1-405B',
  llama3_2_1b: 'meta-llama/Llama-3.2-1B', llama3_2_3b: 'meta-llama/Llama-3.2-3B',
  mistral_7b: 'mistralai/Mistral-7B-v0.1',
  gemma_2b: 'google/gemma-2b', gemma_7b: 'google/gemma-7b',
  gemma2_2b: 'google/gemma-2-2b', gemma2_9b: 'google/gemma-2-9b', gemma2_27b: 'google/gemma-2-27b',
  phi3_mini: 'microsoft/Phi-3-mini-4k-instruct',
  qwen2_5_0_5b: 'Qwen/Qwen2.5-0.5B', qwen2_5_1_5b: 'Qwen/Qwen2.5-1.5B', qwen2_5_3b: 'Qwen/Qwen2.5-3B', qwen2_5_7b: 'Qwen/Qwen2.5-7B',
  qwen2_5_14b: 'Qwen/Qwen2.5-14B', qwen2_5_32b: 'Qwen/Qwen2.5-32B', qwen2_5_72b: 'Qwen/Qwen2.5-72B',
  qwen3_0_6b: 'Qwen/Qwen3-0.6B', qwen3_1_7b: 'Qwen/Qwen3-1.7B', qwen3_4b: 'Qwen/Qwen3-4B', qwen3_8b: 'Qwen/Qwen3-8B',
};

/** The catalog model of a builder name (`lora_qwen2_5_1_5b_instruct` → Qwen2.5-1.5B), and its adapter kind. */
export function torchtuneBuilder(name: string): { id: string; adapter?: 'lora' | 'qlora' } | undefined {
  const m = /^(?:(q?lora)_)?(\w+?)(?:_(?:base|instruct))?$/.exec(name);
  const id = m ? BUILDERS[m[2]] : undefined;
  return id && m ? { id, adapter: m[1] as 'lora' | 'qlora' | undefined } : undefined;
}

/** torchtune's module names → the Hugging Face names the catalog's architectures use. */
const MODULE_NAMES: Record<string, string> = { q_proj: 'q_proj', k_proj: 'k_proj', v_proj: 'v_proj', output_proj: 'o_proj' };
const MLP_NAMES = ['gate_proj', 'up_proj', 'down_proj']; // torchtune's w1, w3, w2

/** torchtune dataset builder → the Hugging Face dataset it loads by default (`source=`), torchtune/datasets/*.py. */
const DATASETS: Record<string, string> = {
  alpaca_dataset: 'tatsu-lab/alpaca', alpaca_cleaned_dataset: 'yahma/alpaca-cleaned', slimorca_dataset: 'Open-Orca/SlimOrca-Dedup',
  samsum_dataset: 'Samsung/samsum', grammar_dataset: 'liweili/c4_200m', wikitext_dataset: 'EleutherAI/wikitext_document_level',
  cnn_dailymail_articles_dataset: 'ccdv/cnn_dailymail', hh_rlhf_helpful_dataset: 'RLHFlow/HH-RLHF-Helpful-standard',
  stack_exchange_paired_dataset: 'lvwerra/stack-exchange-paired',
};

/** A `key=value` override's value as YAML reads a scalar (numbers, booleans, null, else the text). */
function scalar(text: string): Plain {
  const v = parseConfigText('override.yaml', `v: ${text}`);
  return v !== null && typeof v === 'object' && !Array.isArray(v) && 'v' in v ? (v as { v: Plain }).v : text;
}

/** `a.b.c=value` applied to a plain config. */
function override(root: { [k: string]: Plain }, dotted: string, value: Plain): void {
  const parts = dotted.replace(/^~/, '').split('.');
  let at: { [k: string]: Plain } = root;
  for (const k of parts.slice(0, -1)) {
    const next = at[k];
    if (next === null || typeof next !== 'object' || Array.isArray(next)) at[k] = {};
    at = at[k] as { [k: string]: Plain };
  }
  if (dotted.startsWith('~')) delete at[parts[parts.length - 1]];
  else at[parts[parts.length - 1]] = value;
}

/**
 * The config `@config.parse` gives the recipe: the `--config` file the host read, with the command line's overrides;
 * without a command line, the config the recipe's own text shows it run with (`tune run <recipe> --config <name>`), stated.
 */
function recipeConfig(lib: Library, text: string, loc?: Loc): Value {
  const line = lib.cx.directives.args?.value;
  const documented = documentedRecipeConfig(text);
  const name = (typeof line === 'string' ? commandLineConfig(line) : undefined) ?? documented;
  if (name && typeof line !== 'string') lib.cx.problem('info', 'recipe-config', `@config.parse: no command line given; the recipe is taken as run with --config ${name}, as its own documentation shows. Add \`# floplens: args="--config <name>"\` for another.`, loc);
  if (!name) {
    lib.cx.problem('warning', 'recipe-config', '@config.parse: the recipe reads its config from `--config <name>` on the command line (`tune run <recipe> --config <name>`), which FlopLens is not given, so the model, data and loop settings are unknown. Add `# floplens: args="--config <name or path.yaml>"`.', loc);
    return unknown('the recipe config (no --config given)');
  }
  const f = recipeConfigCandidates(name).map((k) => lib.cx.opts.files?.find((x) => x.name === k)).find((x) => x !== undefined);
  if (!f) {
    lib.cx.problem('warning', 'recipe-config', `@config.parse: the config '${name}' named by --config is not in the workspace (looked for ${recipeConfigCandidates(name).join(', ')} beside the recipe and at the root; a built-in config of an installed torchtune is not read), so the model, data and loop settings are unknown. Copy it into the workspace (\`tune cp ${name} .\`) and name the copy.`, loc);
    return unknown(`the recipe config '${name}'`);
  }
  const parsed = parseConfigText(f.name, f.text);
  if (parsed === null || typeof parsed !== 'object' || Array.isArray(parsed)) {
    lib.cx.problem('warning', 'recipe-config', `@config.parse: ${f.path} could not be read as YAML; the recipe's settings are unknown.`, loc);
    return unknown(`the recipe config '${name}'`);
  }
  const cfg = parsed as { [k: string]: Plain };
  const overrides = (typeof line === 'string' ? commandLineWords(line) : []).filter((w) => /^~?[A-Za-z_][\w.]*=/.test(w));
  for (const w of overrides) override(cfg, w.slice(0, w.indexOf('=')), scalar(w.slice(w.indexOf('=') + 1)));
  lib.cx.problem('info', 'config-file', `@config.parse: the recipe's config is the workspace file ${f.path} (--config ${name})${overrides.length ? ` with the overrides ${overrides.join(' ')}` : ''}.`, loc);
  return plainToValue(cfg, () => lib.obj('namespace', [], loc));
}

/** A builder's keyword (the config's value), else its default. */
const kwOr = <T extends Value>(kw: Map<string, Value>, k: string, dflt: T): Value => (kw.has(k) ? kw.get(k)! : dflt);

function buildModel(lib: Library, builder: string, kw: Map<string, Value>, loc?: Loc): Value | NotMine {
  const b = torchtuneBuilder(builder);
  if (!b) return NOT_MINE;
  const model = lib.callExternal('transformers.AutoModelForCausalLM.from_pretrained', [b.id], new Map(), loc);
  if (!b.adapter || !isKind(model, 'obj')) return model;
  if (b.adapter === 'qlora') model.attrs.set('weightDtype', 'int4');
  // torchtune builds its adapters in the recipe's dtype (PEFT's are fp32): their gradients and optimizer state follow.
  model.attrs.set('adapterDtype', defaultDtype(lib) ?? 'fp32');
  const attn = lib.iterate(kwOr(kw, 'lora_attn_modules', list(['q_proj', 'v_proj']))).items ?? [];
  const targets = attn.flatMap((x) => (typeof x === 'string' && MODULE_NAMES[x] ? [MODULE_NAMES[x]] : []));
  if (kwOr(kw, 'apply_lora_to_mlp', false) === true) targets.push(...MLP_NAMES);
  if (kwOr(kw, 'apply_lora_to_output', false) === true) lib.cx.problem('info', 'lora-targets', `${builder}(apply_lora_to_output=True): the adapter on the output projection is not counted.`, loc);
  const cfg = lib.callExternal('peft.LoraConfig', [], new Map<string, Value>([['r', kwOr(kw, 'lora_rank', 8)], ['lora_alpha', kwOr(kw, 'lora_alpha', 16)], ['target_modules', list(targets)]]), loc);
  return lib.callExternal('peft.get_peft_model', [model, cfg], new Map(), loc);
}

/** `@config.parse` on a recipe's main: called without arguments, it runs the function with the command line's config. */
function parseDecorator(lib: Library, fn: Value): Value {
  if (!isKind(fn, 'func')) return fn;
  return { kind: 'builtin', name: fn.name, fn: (_a, _k, loc) => lib.cx.callFunction(fn, [recipeConfig(lib, fn.file.text, loc ?? fn.loc)], new Map(), loc) };
}

const PARSE = new Set(['torchtune.config.parse', 'torchtune.config._parse.parse']);

/** `config.parse` read as an attribute (a bare decorator, applied by the evaluator as the library's '@' builtin). */
export function bareDecorator(lib: Library, path: string): Value | undefined {
  return PARSE.has(path) ? { kind: 'builtin', name: '@decorator', fn: (a) => parseDecorator(lib, a[0] ?? UNKNOWN) } : undefined;
}

export const ROUTES: Route[] = [
  { exact: [...PARSE], handler: (lib, { pos }) => parseDecorator(lib, pos[0] ?? UNKNOWN) },
  // torchdata's resumable loader (the recipes' StatefulDataLoader) batches like torch's DataLoader.
  { exact: ['torchdata.stateful_dataloader.StatefulDataLoader'], handler: (lib, { pos, kw, loc }) => lib.callExternal('torch.utils.data.DataLoader', pos, kw, loc) },
  {
    pattern: /^torchtune\.models\.\w+\.(?:_model_builders\.)?\w+$/,
    handler: (lib, { last, kw, loc }) => buildModel(lib, last, kw, loc),
  },
  {
    pattern: /^torchtune\.datasets\.(?:\w+\.)?\w+_dataset$/,
    handler: (lib, { last, kw, loc }) => {
      const source = kw.get('source') ?? DATASETS[last];
      if (typeof source !== 'string') return NOT_MINE;
      return lib.callExternal('datasets.load_dataset', [source], new Map<string, Value>([['split', kw.get('split') ?? 'train']]), loc);
    },
  },
];
