/**
 * Models built from a Hugging Face config rather than loaded by name: `LlamaForCausalLM(LlamaConfig(hidden_size=…))`,
 * `AutoModelForCausalLM.from_config(AutoConfig.from_pretrained(name, num_hidden_layers=…))`. The architecture is the
 * base entry's (a catalog model of the same family, or the config class's defaults) with the fields the config sets.
 */
import type { CatalogEntry, DecoderConfig, EncoderConfig, T5Config } from './types';
import { findModel } from './lookup';
import { buildModel } from './build';

type Fields = Record<string, number | string | boolean>;

/**
 * Config classes whose transformers defaults ARE a catalog model (so a field not passed takes that model's value):
 * LlamaConfig() = LLaMA-7B, MistralConfig() = Mistral-7B-v0.1, GPT2Config() = GPT-2 124M, BertConfig() = bert-base-uncased,
 * DistilBertConfig() = distilbert-base-uncased (transformers configuration_<model>.py defaults).
 */
const CLASS_DEFAULTS: Record<string, string> = {
  llama: 'meta-llama/Llama-2-7b-hf', mistral: 'mistralai/Mistral-7B-v0.1', gpt2: 'openai-community/gpt2',
  bert: 'google-bert/bert-base-uncased', distilbert: 'distilbert/distilbert-base-uncased',
  // FalconConfig() = falcon-7b (vocab 65024, hidden 4544, 32 layers, 71 heads, multi_query); GPTNeoXConfig() = GPT-NeoX-20B
  // (hidden 6144, 44 layers, 64 heads, intermediate 24576, vocab 50432); OPTConfig() = opt-125m; T5Config() = t5-small
  // (transformers configuration_falcon.py, configuration_gpt_neox.py, configuration_opt.py, configuration_t5.py).
  falcon: 'tiiuae/falcon-7b', gptneox: 'EleutherAI/gpt-neox-20b', opt: 'facebook/opt-125m', t5: 'google-t5/t5-small',
};

/** Families whose structure (not defaults) a catalog model shows: fields the config leaves out come from it, stated. */
const FAMILY_BASES: Record<string, string> = {
  qwen2: 'Qwen/Qwen2.5-0.5B', gemma2: 'google/gemma-2-2b', phi3: 'microsoft/Phi-3-mini-4k-instruct', mixtral: 'mistralai/Mixtral-8x7B-v0.1',
  roberta: 'FacebookAI/roberta-base',
  // BloomConfig()'s own defaults (hidden 64, 2 layers) are a test toy, not a model: its structure (ALiBi, embedding
  // LayerNorm, biased 4h GELU MLP, tied head, vocab 250,880) is bloom-560m's.
  bloom: 'bigscience/bloom-560m',
};

/**
 * Families whose MLP width is not a config field of its own but 4 × hidden: GPT-2 (`n_inner=None`), BLOOM (no field;
 * BloomMLP is h → 4h → h), Falcon (`ffn_hidden_size=None` → 4 × hidden_size) (transformers modeling_bloom.py,
 * configuration_falcon.py).
 */
const FFN_IS_4H = new Set(['gpt2', 'bloom', 'falcon']);

/** Families that are not decoder LMs or BERT encoders: never read as a LLaMA-shaped decoder (encoder–decoder, speech, vision). */
const NOT_DECODER = /^(t5|mt5|umt5|bart|mbart|pegasus|marian|whisper|clip|vit|swin|convnext|resnet|wav2vec2|blip|llava|sam)/;

const num = (f: Fields, ...keys: string[]): number | undefined => {
  for (const k of keys) { const v = f[k]; if (typeof v === 'number' && Number.isFinite(v) && v > 0 && Number.isSafeInteger(v)) return v; }
  return undefined;
};

/** One field under its several spellings (`num_hidden_layers`/`n_layer`): the one set to a value other than the base's, else any. */
const pick = (f: Fields, baseValue: number, ...keys: string[]): number | undefined =>
  keys.map((k) => num(f, k)).find((v) => v !== undefined && v !== baseValue) ?? num(f, ...keys);

/** The family key of a config or model class name (`LlamaConfig`, `LlamaForCausalLM`, `GPT2LMHeadModel`) or `model_type`. */
export function configFamily(name: string | undefined): string | undefined {
  if (!name) return undefined;
  const m = /^(?:[\w.]*\.)?([A-Za-z0-9]+?)(?:Config|For\w+|LMHeadModel|Model|LM)?$/.exec(name);
  return m ? m[1].toLowerCase().replace(/_/g, '') : undefined;
}

export interface ConfigModel { entry: CatalogEntry; notes: string[] }

/**
 * An entry for a model built from config fields. `baseName` is the id the config was read from (`AutoConfig.from_pretrained`);
 * `family` the config/model class family (`llama`, `gpt2`). Undefined when neither gives an architecture to start from and the
 * fields do not size a model on their own.
 */
export function entryFromConfig(fields: Fields, opts: { baseName?: string; family?: string; label: string }): ConfigModel | undefined {
  const notes: string[] = [];
  const fam = opts.family ?? (typeof fields.model_type === 'string' ? configFamily(fields.model_type) : undefined);
  let base = opts.baseName ? findModel(opts.baseName, 'hf') : undefined;
  if (base) notes.push(`fields not set come from ${base.name}'s config`);
  else if (fam && CLASS_DEFAULTS[fam]) { base = findModel(CLASS_DEFAULTS[fam]); notes.push(`fields not set take the ${fam} config class defaults (${base?.name ?? ''})`); }
  else if (fam && FAMILY_BASES[fam]) { base = findModel(FAMILY_BASES[fam]); notes.push(`fields not set are assumed from ${base?.name ?? ''} (same family)`); }
  if (base?.arch.kind === 't5') return t5FromConfig(fields, base, opts.label, notes);
  if (!base || (base.arch.kind !== 'decoder' && base.arch.kind !== 'encoder')) {
    // No family to start from: a LLaMA-shaped decoder, which needs at least layers and hidden. A family known not to be
    // a decoder LM (T5-like, Whisper, CLIP) is not guessed at.
    if (fam && NOT_DECODER.test(fam)) return undefined;
    base = findModel(CLASS_DEFAULTS.llama);
    if (!base || num(fields, 'num_hidden_layers', 'n_layer', 'num_layers') === undefined || num(fields, 'hidden_size', 'n_embd', 'd_model') === undefined) return undefined;
    notes.push('architecture assumed LLaMA-shaped (RMSNorm, rotary, SwiGLU); fields not set take LlamaConfig defaults');
  }
  const b = base.arch.kind === 'decoder' ? base.arch : { ...(base.arch as EncoderConfig), maxContext: 0, kvHeads: 0 };
  const layers = pick(fields, b.layers, 'num_hidden_layers', 'n_layer', 'num_layers', 'n_layers');
  const hidden = pick(fields, b.hidden, 'hidden_size', 'n_embd', 'd_model', 'dim');
  const heads = pick(fields, b.heads, 'num_attention_heads', 'n_head', 'num_heads', 'n_heads');
  const ffn = pick(fields, b.ffn, 'intermediate_size', 'n_inner', 'd_ff', 'hidden_dim', 'ffn_dim', 'ffn_hidden_size');
  const vocab = num(fields, 'vocab_size');
  let arch: DecoderConfig | EncoderConfig;
  if (base.arch.kind === 'decoder') {
    const a = base.arch;
    const h = hidden ?? a.hidden;
    const nh = heads ?? a.heads;
    // Falcon spells its KV heads num_kv_heads; multi_query=False (Falcon-RW) is full multi-head attention.
    const kv = num(fields, 'num_key_value_heads', 'num_kv_heads') ?? (fields.multi_query === false ? nh : a.kvHeads === a.heads ? nh : Math.min(a.kvHeads, nh));
    // 4·hidden where the family has no MLP width of its own (FFN_IS_4H); LLaMA-style configs keep their intermediate_size default.
    const famKey = fam ?? configFamily(base.family.replace(/[^A-Za-z0-9]/g, ''));
    const f = ffn ?? ((a.style === 'gpt2' || (famKey !== undefined && FFN_IS_4H.has(famKey))) && hidden !== undefined ? 4 * h : a.ffn);
    const tied = fields.tie_word_embeddings ?? fields.tie_embeddings;
    arch = {
      ...a, layers: layers ?? a.layers, hidden: h, heads: nh, kvHeads: kv, headDim: num(fields, 'head_dim') ?? (heads !== undefined || hidden !== undefined ? h / nh : a.headDim),
      ffn: f, vocab: vocab ?? a.vocab, tiedEmbeddings: typeof tied === 'boolean' ? tied : a.tiedEmbeddings,
      maxContext: pick(fields, a.maxContext, 'max_position_embeddings', 'n_positions', 'n_ctx') ?? a.maxContext,
    };
    if (a.moe) arch.moe = { experts: num(fields, 'num_local_experts') ?? a.moe.experts, topK: num(fields, 'num_experts_per_tok') ?? a.moe.topK };
  } else {
    const a = base.arch as EncoderConfig;
    arch = {
      ...a, layers: layers ?? a.layers, hidden: hidden ?? a.hidden, heads: heads ?? a.heads, ffn: ffn ?? (hidden !== undefined ? 4 * hidden : a.ffn), vocab: vocab ?? a.vocab,
      maxPositions: num(fields, 'max_position_embeddings') ?? a.maxPositions, typeVocab: num(fields, 'type_vocab_size') ?? a.typeVocab,
    };
  }
  const shape = arch.kind === 'decoder'
    ? `${arch.layers} layers, hidden ${arch.hidden}, ${arch.heads} heads (${arch.kvHeads} KV), FFN ${arch.ffn}, vocab ${arch.vocab}${arch.tiedEmbeddings ? ', tied embeddings' : ''}`
    : `${arch.layers} layers, hidden ${arch.hidden}, ${arch.heads} heads, FFN ${arch.ffn}, vocab ${arch.vocab}`;
  const same = JSON.stringify(arch) === JSON.stringify(base.arch);
  if (same && opts.baseName) return { entry: base, notes: [] };
  return builtEntry(base, arch, opts.label, shape, notes);
}

/** The catalog entry of a model built from a config: the base's entry with the config's architecture, sized by its ops. */
function builtEntry(base: CatalogEntry, arch: CatalogEntry['arch'], label: string, shape: string, notes: string[]): ConfigModel {
  const entry: CatalogEntry = {
    ...base,
    // 'directive:' ids are never cached by parameter count (each config is its own model).
    id: `directive:${label}`,
    name: `${label} (${shape})`,
    arch,
    aliases: {},
    published: { total: 0, exact: false, source: `built from a config: ${shape}` },
    publishedMacs: undefined,
    notes: [`Built from a config: ${shape}; ${notes.join('; ')}.`],
  };
  entry.published = { ...entry.published, total: buildModel(entry, { batch: 1, seqLen: 1, dtype: 'fp32', mode: 'infer' }).params };
  return { entry, notes: [shape, ...notes] };
}

/**
 * `T5ForConditionalGeneration(T5Config(d_model=…))`: the T5 fields (transformers configuration_t5.py): d_model, d_kv,
 * d_ff, num_layers, num_decoder_layers (None = num_layers), num_heads, vocab_size, feed_forward_proj ('relu' or
 * 'gated-gelu', v1.1), tie_word_embeddings.
 */
function t5FromConfig(fields: Fields, base: CatalogEntry, label: string, notes: string[]): ConfigModel | undefined {
  if (base.arch.kind !== 't5') return undefined;
  const a = base.arch;
  const layers = num(fields, 'num_layers') ?? a.encoderLayers;
  const proj = typeof fields.feed_forward_proj === 'string' ? fields.feed_forward_proj : undefined;
  const gated = proj ? proj.startsWith('gated-') : a.gated;
  const act = proj ? (/gelu/.test(proj) ? 'gelu_tanh' : 'relu') : a.act;
  const tied = fields.tie_word_embeddings;
  const arch: T5Config = {
    ...a, dModel: num(fields, 'd_model') ?? a.dModel, dKv: num(fields, 'd_kv') ?? a.dKv, dFf: num(fields, 'd_ff') ?? a.dFf,
    heads: num(fields, 'num_heads') ?? a.heads, encoderLayers: layers,
    decoderLayers: a.decoderLayers === 0 ? 0 : num(fields, 'num_decoder_layers') ?? layers,
    vocab: num(fields, 'vocab_size') ?? a.vocab, gated, act, tiedLmHead: typeof tied === 'boolean' ? tied : a.tiedLmHead,
    relBuckets: num(fields, 'relative_attention_num_buckets') ?? a.relBuckets,
  };
  if (JSON.stringify(arch) === JSON.stringify(a)) return { entry: base, notes: [] };
  const shape = `${arch.encoderLayers}+${arch.decoderLayers} layers, d_model ${arch.dModel}, ${arch.heads} heads, d_ff ${arch.dFf}${arch.gated ? ' gated' : ''}, vocab ${arch.vocab}`;
  return builtEntry(base, arch, label, shape, notes);
}
