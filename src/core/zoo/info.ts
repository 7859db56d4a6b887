/**
 * Small accessors the interpreter uses on catalog entries: ids and names, the HF-style config
 * fields a script may read (`model.config.hidden_size`), parameter counts (with LoRA / a replaced
 * classifier), and pipeline call defaults.
 */
import type { CatalogEntry, LoraOptions } from './types';
import { buildModel } from './build';

export const entryId = (e: CatalogEntry): string => e.id;
export const entryName = (e: CatalogEntry): string => e.name;

/** Token-sequence models (inputs are `[batch, seq]` ids). */
export function isTokenModel(e: CatalogEntry): boolean {
  const k = e.arch.kind;
  return k === 'decoder' || k === 'encoder' || k === 't5' || k === 'clip-text';
}

export const defaultSteps = (e: CatalogEntry): number => (e.arch.kind === 'pipeline' ? e.arch.defaults.steps : 1);
export const defaultGuidance = (e: CatalogEntry): number => (e.arch.kind === 'pipeline' ? e.arch.defaults.guidance : 0);
export const defaultImageSize = (e: CatalogEntry): number | undefined =>
  e.arch.kind === 'pipeline' ? e.arch.defaults.height : e.defaults?.imageSize;

/** HF `config.json`-style fields of an entry (what `model.config.<name>` returns in a script). */
export function configFields(e: CatalogEntry): Record<string, number | string | boolean> {
  const a = e.arch;
  switch (a.kind) {
    case 'decoder': {
      const f: Record<string, number | string | boolean> = {
        model_type: a.style === 'directive' ? 'llama' : a.style, hidden_size: a.hidden, num_hidden_layers: a.layers, num_attention_heads: a.heads,
        num_key_value_heads: a.kvHeads, head_dim: a.headDim, intermediate_size: a.ffn, vocab_size: a.vocab,
        max_position_embeddings: a.maxContext, tie_word_embeddings: a.tiedEmbeddings, hidden_act: a.act,
      };
      if (a.slidingWindow) f.sliding_window = a.slidingWindow;
      if (a.moe) { f.num_local_experts = a.moe.experts; f.num_experts_per_tok = a.moe.topK; }
      if (a.style === 'gpt2') Object.assign(f, { n_embd: a.hidden, n_layer: a.layers, n_head: a.heads, n_positions: a.maxContext, n_ctx: a.maxContext, n_inner: a.ffn });
      return f;
    }
    case 'encoder':
      return a.style === 'distilbert'
        ? { model_type: 'distilbert', dim: a.hidden, n_layers: a.layers, n_heads: a.heads, hidden_dim: a.ffn, vocab_size: a.vocab, max_position_embeddings: a.maxPositions, hidden_size: a.hidden, num_hidden_layers: a.layers }
        : { model_type: a.style, hidden_size: a.hidden, num_hidden_layers: a.layers, num_attention_heads: a.heads, intermediate_size: a.ffn, vocab_size: a.vocab, max_position_embeddings: a.maxPositions, type_vocab_size: a.typeVocab };
    case 't5':
      return { model_type: 't5', d_model: a.dModel, d_kv: a.dKv, d_ff: a.dFf, num_layers: a.encoderLayers, num_decoder_layers: a.decoderLayers, num_heads: a.heads, vocab_size: a.vocab, hidden_size: a.dModel };
    case 'whisper':
      return {
        model_type: 'whisper', d_model: a.dModel, encoder_layers: a.encoderLayers, decoder_layers: a.decoderLayers, encoder_attention_heads: a.heads,
        decoder_attention_heads: a.heads, encoder_ffn_dim: a.ffn, decoder_ffn_dim: a.ffn, vocab_size: a.vocab, num_mel_bins: a.nMels,
        max_source_positions: a.audioPositions, max_target_positions: a.textPositions, hidden_size: a.dModel,
      };
    case 'vit':
      return { model_type: 'vit', hidden_size: a.hidden, num_hidden_layers: a.layers, num_attention_heads: a.heads, intermediate_size: a.mlp, image_size: a.imageSize, patch_size: a.patch, num_labels: a.classes };
    case 'clip-text':
      return { model_type: 'clip_text_model', hidden_size: a.hidden, num_hidden_layers: a.layers, num_attention_heads: a.heads, intermediate_size: a.mlp, vocab_size: a.vocab, max_position_embeddings: a.maxPositions };
    case 'clip':
      return { model_type: 'clip', projection_dim: a.projectionDim, hidden_size: a.text.hidden };
    case 'pipeline':
      return { sample_size: a.defaults.height / a.vaeScale, vae_scale_factor: a.vaeScale };
    default:
      return 'classes' in a ? { num_classes: a.classes, num_labels: a.classes } : {};
  }
}

const countCache = new Map<string, { total: number; trainable: number }>();

/** Total and trainable parameters of an entry (LoRA adapters trainable, base frozen). */
export function paramCounts(e: CatalogEntry, o: { lora?: LoraOptions; classes?: number; maskedLm?: boolean } = {}): { total: number; trainable: number } {
  const key = `${e.id}|${o.lora ? `${o.lora.r}:${(o.lora.targetModules ?? []).join(',')}` : ''}|${o.classes ?? ''}|${o.maskedLm ? 'mlm' : ''}`;
  const hit = countCache.get(key);
  if (hit) return hit;
  const b = buildModel(e, { batch: 1, seqLen: 1, dtype: 'fp32', mode: 'infer', lora: o.lora, classes: o.classes, maskedLm: o.maskedLm });
  const r = { total: b.params, trainable: b.trainableParams };
  if (!e.id.startsWith('directive:')) countCache.set(key, r);
  return r;
}
