/**
 * Encoders, encoder–decoders and multimodal towers: BERT, RoBERTa, DistilBERT, T5, Whisper, CLIP.
 * Architecture numbers are the Hugging Face `config.json` values; published counts are the
 * `AutoModel…num_parameters()` totals (exact) for the class noted, unless marked otherwise.
 */
import type { CatalogEntry, ClipTextConfig, EncoderConfig, T5Config, VitConfig, WhisperConfig } from '../types';

const HF = (id: string): string => `https://huggingface.co/${id}/blob/main/config.json`;

const BERT: Omit<EncoderConfig, 'layers' | 'hidden' | 'heads' | 'ffn' | 'vocab'> = {
  kind: 'encoder', style: 'bert', maxPositions: 512, typeVocab: 2, pooler: true, dropout: 0.1,
};
const ROBERTA: typeof BERT = { ...BERT, style: 'roberta', maxPositions: 514, typeVocab: 1 };

const T5_V1: Omit<T5Config, 'dModel' | 'dKv' | 'heads' | 'dFf' | 'encoderLayers' | 'decoderLayers'> = {
  kind: 't5', vocab: 32128, gated: false, act: 'relu', relBuckets: 32, tiedLmHead: true, dropout: 0.1,
};

const WHISPER: Omit<WhisperConfig, 'dModel' | 'encoderLayers' | 'decoderLayers' | 'heads' | 'ffn'> = {
  kind: 'whisper', vocab: 51865, nMels: 80, audioPositions: 1500, textPositions: 448,
};

/** CLIP ViT-L/14 text tower (also the SD 1.x / SDXL / FLUX `text_encoder`). */
export const CLIP_L_TEXT: ClipTextConfig = {
  kind: 'clip-text', layers: 12, hidden: 768, heads: 12, mlp: 3072, vocab: 49408, maxPositions: 77, act: 'quick_gelu', projection: 0,
};
/** OpenCLIP ViT-bigG/14 text tower with projection (SDXL `text_encoder_2`). */
export const CLIP_BIGG_TEXT: ClipTextConfig = {
  kind: 'clip-text', layers: 32, hidden: 1280, heads: 20, mlp: 5120, vocab: 49408, maxPositions: 77, act: 'gelu', projection: 1280,
};
/** T5 v1.1 XXL encoder (FLUX `text_encoder_2`, T5EncoderModel). */
export const T5_XXL_ENCODER: T5Config = {
  kind: 't5', dModel: 4096, dKv: 64, heads: 64, dFf: 10240, encoderLayers: 24, decoderLayers: 0, vocab: 32128,
  gated: true, act: 'gelu_tanh', relBuckets: 32, tiedLmHead: false, dropout: 0.1,
};

const CLIP_L_VISION: VitConfig = { kind: 'vit', style: 'clip', imageSize: 224, patch: 14, layers: 24, hidden: 1024, heads: 16, mlp: 4096, act: 'quick_gelu', classes: 0 };

export const ENCODER_CATALOG: CatalogEntry[] = [
  // ---------------------------------------------------------------- BERT family
  {
    id: 'google-bert/bert-base-uncased', name: 'BERT base (uncased)', family: 'BERT', task: 'fill-mask',
    arch: { ...BERT, layers: 12, hidden: 768, heads: 12, ffn: 3072, vocab: 30522 },
    aliases: { hf: ['bert-base-uncased', 'google-bert/bert-base-uncased'] },
    configSource: HF('google-bert/bert-base-uncased'),
    published: { total: 109_482_240, exact: true, source: 'BertModel.from_pretrained("bert-base-uncased").num_parameters() (with pooler); HF page "110M params"' },
    defaults: { seqLen: 512 }, loraTargets: ['query', 'value'],
  },
  {
    id: 'google-bert/bert-base-cased', name: 'BERT base (cased)', family: 'BERT', task: 'fill-mask',
    arch: { ...BERT, layers: 12, hidden: 768, heads: 12, ffn: 3072, vocab: 28996 },
    aliases: { hf: ['bert-base-cased', 'google-bert/bert-base-cased'] },
    configSource: HF('google-bert/bert-base-cased'),
    published: { total: 108_310_272, exact: true, source: 'BertModel.from_pretrained("bert-base-cased").num_parameters(); accelerate estimate-memory: 413.18 MB fp32 (= 108.3M × 4 B)' },
    defaults: { seqLen: 512 }, loraTargets: ['query', 'value'],
  },
  {
    id: 'google-bert/bert-large-uncased', name: 'BERT large (uncased)', family: 'BERT', task: 'fill-mask',
    arch: { ...BERT, layers: 24, hidden: 1024, heads: 16, ffn: 4096, vocab: 30522 },
    aliases: { hf: ['bert-large-uncased', 'google-bert/bert-large-uncased', 'bert-large-cased', 'google-bert/bert-large-cased'] },
    configSource: HF('google-bert/bert-large-uncased'),
    published: { total: 335_141_888, exact: true, source: 'BertModel.from_pretrained("bert-large-uncased").num_parameters() (with pooler); DeepSpeed BERT-Large 336.23M (with MLM head); paper "340M"' },
    defaults: { seqLen: 512 }, loraTargets: ['query', 'value'],
  },
  {
    // sentence-transformers/all-MiniLM-L6-v2 config.json: BertModel, hidden_size 384, num_hidden_layers 6, num_attention_heads 12,
    // intermediate_size 1536, vocab_size 30522, max_position_embeddings 512, type_vocab_size 2.
    id: 'sentence-transformers/all-MiniLM-L6-v2', name: 'all-MiniLM-L6-v2', family: 'BERT', task: 'fill-mask',
    arch: { ...BERT, layers: 6, hidden: 384, heads: 12, ffn: 1536, vocab: 30522 },
    aliases: { hf: ['sentence-transformers/all-MiniLM-L6-v2', 'all-MiniLM-L6-v2'] },
    configSource: HF('sentence-transformers/all-MiniLM-L6-v2'),
    published: { total: 22_713_216, exact: true, source: 'BertModel with pooler: embeddings 11,918,592 + 6 layers × 1,774,464 + pooler 147,840 (HF page "22.7M params")' },
    defaults: { seqLen: 256 }, loraTargets: ['query', 'value'],
  },
  {
    // BAAI/bge-small-en-v1.5 config.json: BertModel, hidden_size 384, 12 layers, 12 heads, intermediate_size 1536, vocab 30522.
    id: 'BAAI/bge-small-en-v1.5', name: 'BGE small en v1.5', family: 'BERT', task: 'fill-mask',
    arch: { ...BERT, layers: 12, hidden: 384, heads: 12, ffn: 1536, vocab: 30522 },
    aliases: { hf: ['BAAI/bge-small-en-v1.5', 'BAAI/bge-small-en', 'bge-small-en-v1.5'] },
    configSource: HF('BAAI/bge-small-en-v1.5'),
    published: { total: 33_360_000, exact: true, source: 'BertModel with pooler: embeddings 11,918,592 + 12 layers × 1,774,464 + pooler 147,840 (model card "33.4M")' },
    defaults: { seqLen: 512 }, loraTargets: ['query', 'value'],
  },
  {
    // sentence-transformers/all-mpnet-base-v2 config.json: MPNetModel, hidden 768, 12 layers, 12 heads, intermediate 3072,
    // vocab 30527, max_position_embeddings 514, no token types, relative_attention_num_buckets 32.
    id: 'sentence-transformers/all-mpnet-base-v2', name: 'all-mpnet-base-v2', family: 'MPNet', task: 'fill-mask',
    arch: { ...BERT, layers: 12, hidden: 768, heads: 12, ffn: 3072, vocab: 30527, maxPositions: 514, typeVocab: 0 },
    aliases: { hf: ['sentence-transformers/all-mpnet-base-v2', 'all-mpnet-base-v2', 'microsoft/mpnet-base', 'sentence-transformers/multi-qa-mpnet-base-dot-v1'] },
    configSource: HF('sentence-transformers/all-mpnet-base-v2'),
    published: { total: 109_486_464, exact: false, source: 'MPNetModel num_parameters() (BERT-base layout with no token types, plus a 32×12 relative-attention bias this catalog does not emit: 384 parameters)' },
    defaults: { seqLen: 384 }, loraTargets: ['q', 'v'],
    notes: ['Counted as a BERT-base layout without token-type embeddings; the 384-parameter relative-attention bias is left out.'],
  },
  {
    id: 'FacebookAI/roberta-base', name: 'RoBERTa base', family: 'RoBERTa', task: 'fill-mask',
    arch: { ...ROBERTA, layers: 12, hidden: 768, heads: 12, ffn: 3072, vocab: 50265 },
    aliases: { hf: ['roberta-base', 'FacebookAI/roberta-base'] },
    configSource: HF('FacebookAI/roberta-base'),
    published: { total: 124_645_632, exact: true, source: 'RobertaModel.from_pretrained("roberta-base").num_parameters() (with pooler); HF page "125M params"' },
    defaults: { seqLen: 512 }, loraTargets: ['query', 'value'],
  },
  {
    id: 'FacebookAI/roberta-large', name: 'RoBERTa large', family: 'RoBERTa', task: 'fill-mask',
    arch: { ...ROBERTA, layers: 24, hidden: 1024, heads: 16, ffn: 4096, vocab: 50265 },
    aliases: { hf: ['roberta-large', 'FacebookAI/roberta-large'] },
    configSource: HF('FacebookAI/roberta-large'),
    published: { total: 355_359_744, exact: true, source: 'RobertaModel.from_pretrained("roberta-large").num_parameters() (with pooler); HF page "355M params"' },
    defaults: { seqLen: 512 }, loraTargets: ['query', 'value'],
  },
  {
    id: 'distilbert/distilbert-base-uncased', name: 'DistilBERT base (uncased)', family: 'DistilBERT', task: 'fill-mask',
    arch: { kind: 'encoder', style: 'distilbert', layers: 6, hidden: 768, heads: 12, ffn: 3072, vocab: 30522, maxPositions: 512, typeVocab: 0, pooler: false, dropout: 0.1 },
    aliases: { hf: ['distilbert-base-uncased', 'distilbert/distilbert-base-uncased', 'distilbert-base-uncased-finetuned-sst-2-english'] },
    configSource: HF('distilbert/distilbert-base-uncased'),
    published: { total: 66_362_880, exact: true, source: 'DistilBertModel.from_pretrained("distilbert-base-uncased").num_parameters(); HF page "67M params"; paper "66M"' },
    defaults: { seqLen: 512 }, loraTargets: ['q_lin', 'v_lin'],
  },
  // ---------------------------------------------------------------- T5
  {
    id: 'google-t5/t5-small', name: 'T5 small', family: 'T5', task: 'text2text',
    arch: { ...T5_V1, dModel: 512, dKv: 64, heads: 8, dFf: 2048, encoderLayers: 6, decoderLayers: 6 },
    aliases: { hf: ['t5-small', 'google-t5/t5-small'] },
    configSource: HF('google-t5/t5-small'),
    published: { total: 60_506_624, exact: true, source: 'T5ForConditionalGeneration.from_pretrained("t5-small").num_parameters() (tied LM head); paper "60M"' },
    defaults: { seqLen: 512 }, loraTargets: ['q', 'v'],
  },
  {
    id: 'google-t5/t5-base', name: 'T5 base', family: 'T5', task: 'text2text',
    arch: { ...T5_V1, dModel: 768, dKv: 64, heads: 12, dFf: 3072, encoderLayers: 12, decoderLayers: 12 },
    aliases: { hf: ['t5-base', 'google-t5/t5-base'] },
    configSource: HF('google-t5/t5-base'),
    published: { total: 222_903_552, exact: true, source: 'T5ForConditionalGeneration.from_pretrained("t5-base").num_parameters(); paper "220M"' },
    defaults: { seqLen: 512 }, loraTargets: ['q', 'v'],
  },
  {
    id: 'google-t5/t5-large', name: 'T5 large', family: 'T5', task: 'text2text',
    arch: { ...T5_V1, dModel: 1024, dKv: 64, heads: 16, dFf: 4096, encoderLayers: 24, decoderLayers: 24 },
    aliases: { hf: ['t5-large', 'google-t5/t5-large'] },
    configSource: HF('google-t5/t5-large'),
    published: { total: 737_668_096, exact: true, source: 'T5ForConditionalGeneration.from_pretrained("t5-large").num_parameters(); paper "770M"' },
    defaults: { seqLen: 512 }, loraTargets: ['q', 'v'],
  },
  {
    id: 'google/t5-v1_1-xxl', name: 'T5 v1.1 XXL encoder', family: 'T5', task: 'text2text',
    arch: T5_XXL_ENCODER,
    aliases: { hf: ['google/t5-v1_1-xxl', 'google/t5-v1_1-xxl-encoder'] },
    configSource: HF('google/t5-v1_1-xxl') + ' (encoder only, as T5EncoderModel in FLUX/SD3 text_encoder_2)',
    published: { total: 4_762_310_656, exact: true, source: 'T5EncoderModel (black-forest-labs/FLUX.1-dev text_encoder_2) safetensors total, "4.76B params"' },
    defaults: { seqLen: 512 }, loraTargets: ['q', 'v'],
    notes: ['Encoder only (T5EncoderModel), the form diffusion pipelines load.'],
  },
  // ---------------------------------------------------------------- Flan-T5 (T5 v1.1 architecture: gated GELU, untied head)
  ...([
    ['google/flan-t5-small', 'Flan-T5 small', 512, 6, 1024, 8, 76_961_152, '77M'],
    ['google/flan-t5-base', 'Flan-T5 base', 768, 12, 2048, 12, 247_577_856, '248M'],
    ['google/flan-t5-large', 'Flan-T5 large', 1024, 16, 2816, 24, 783_150_080, '783M'],
    ['google/flan-t5-xl', 'Flan-T5 XL', 2048, 32, 5120, 24, 2_849_757_184, '2.85B'],
  ] as const).map(([id, name, dModel, heads, dFf, layers, total, card]): CatalogEntry => ({
    id, name, family: 'Flan-T5', task: 'text2text',
    arch: { ...T5_V1, gated: true, act: 'gelu_tanh', tiedLmHead: false, dModel, dKv: 64, heads, dFf, encoderLayers: layers, decoderLayers: layers },
    aliases: { hf: [id, id.slice(id.indexOf('/') + 1)] },
    configSource: HF(id),
    published: { total, exact: true, source: `T5ForConditionalGeneration num_parameters() = the sum of the config's tensor shapes; model card "${card}"` },
    defaults: { seqLen: 512 }, loraTargets: ['q', 'v'],
  })),
  // ---------------------------------------------------------------- mT5 / mT0 (T5 v1.1 architecture, 250,112-token vocabulary, untied head)
  ...([
    ['google/mt5-base', 'mT5 base', 768, 12, 2048, 12, 582_401_280, ['bigscience/mt0-base']],
    ['google/mt5-large', 'mT5 large', 1024, 16, 2816, 24, 1_229_581_312, ['bigscience/mt0-large']],
  ] as const).map(([id, name, dModel, heads, dFf, layers, total, more]): CatalogEntry => ({
    id, name, family: 'mT5', task: 'text2text',
    arch: { ...T5_V1, vocab: 250_112, gated: true, act: 'gelu_tanh', tiedLmHead: false, dModel, dKv: 64, heads, dFf, encoderLayers: layers, decoderLayers: layers },
    aliases: { hf: [id, id.slice(id.indexOf('/') + 1), ...more, ...more.map((m) => m.slice(m.indexOf('/') + 1))] },
    configSource: HF(id),
    published: { total, exact: true, source: `the config's tensor shapes: the Flan-T5 model of the same size plus 2 × (250,112 − 32,128) × d_model (shared embedding and untied head); mT0 (${more.join(', ')}) is the same architecture fine-tuned` },
    defaults: { seqLen: 512 }, loraTargets: ['q', 'v'],
  })),
  // ---------------------------------------------------------------- Whisper
  {
    id: 'openai/whisper-tiny', name: 'Whisper tiny', family: 'Whisper', task: 'speech',
    arch: { ...WHISPER, dModel: 384, encoderLayers: 4, decoderLayers: 4, heads: 6, ffn: 1536 },
    aliases: { hf: ['openai/whisper-tiny', 'openai/whisper-tiny.en', 'whisper-tiny'] },
    configSource: HF('openai/whisper-tiny'),
    published: { total: 37_760_640, exact: true, source: 'WhisperForConditionalGeneration.from_pretrained("openai/whisper-tiny").num_parameters(); the paper/model card rounds to "39M"', note: 'paper Table 1 says 39M' },
    defaults: { seqLen: 448 }, loraTargets: ['q_proj', 'v_proj'],
  },
  {
    id: 'openai/whisper-base', name: 'Whisper base', family: 'Whisper', task: 'speech',
    arch: { ...WHISPER, dModel: 512, encoderLayers: 6, decoderLayers: 6, heads: 8, ffn: 2048 },
    aliases: { hf: ['openai/whisper-base', 'openai/whisper-base.en'] },
    configSource: HF('openai/whisper-base'),
    published: { total: 72_593_920, exact: true, source: 'WhisperForConditionalGeneration.from_pretrained("openai/whisper-base").num_parameters(); paper "74M"', note: 'paper Table 1 says 74M' },
    defaults: { seqLen: 448 }, loraTargets: ['q_proj', 'v_proj'],
  },
  {
    id: 'openai/whisper-small', name: 'Whisper small', family: 'Whisper', task: 'speech',
    arch: { ...WHISPER, dModel: 768, encoderLayers: 12, decoderLayers: 12, heads: 12, ffn: 3072 },
    aliases: { hf: ['openai/whisper-small', 'openai/whisper-small.en'] },
    configSource: HF('openai/whisper-small'),
    published: { total: 241_734_912, exact: true, source: 'WhisperForConditionalGeneration.from_pretrained("openai/whisper-small").num_parameters(); paper "244M"', note: 'paper Table 1 says 244M' },
    defaults: { seqLen: 448 }, loraTargets: ['q_proj', 'v_proj'],
  },
  {
    id: 'openai/whisper-medium', name: 'Whisper medium', family: 'Whisper', task: 'speech',
    arch: { ...WHISPER, dModel: 1024, encoderLayers: 24, decoderLayers: 24, heads: 16, ffn: 4096 },
    aliases: { hf: ['openai/whisper-medium', 'openai/whisper-medium.en'] },
    configSource: HF('openai/whisper-medium'),
    published: { total: 763_857_920, exact: true, source: 'WhisperForConditionalGeneration.from_pretrained("openai/whisper-medium").num_parameters(); paper "769M"', note: 'paper Table 1 says 769M' },
    defaults: { seqLen: 448 }, loraTargets: ['q_proj', 'v_proj'],
  },
  {
    id: 'openai/whisper-large-v2', name: 'Whisper large-v2', family: 'Whisper', task: 'speech',
    arch: { ...WHISPER, dModel: 1280, encoderLayers: 32, decoderLayers: 32, heads: 20, ffn: 5120 },
    aliases: { hf: ['openai/whisper-large-v2', 'openai/whisper-large'] },
    configSource: HF('openai/whisper-large-v2'),
    published: { total: 1_543_304_960, exact: true, source: 'WhisperForConditionalGeneration.from_pretrained("openai/whisper-large-v2").num_parameters(); paper "1550M"' },
    defaults: { seqLen: 448 }, loraTargets: ['q_proj', 'v_proj'],
  },
  {
    id: 'openai/whisper-large-v3', name: 'Whisper large-v3', family: 'Whisper', task: 'speech',
    arch: { ...WHISPER, dModel: 1280, encoderLayers: 32, decoderLayers: 32, heads: 20, ffn: 5120, nMels: 128, vocab: 51866 },
    aliases: { hf: ['openai/whisper-large-v3'] },
    configSource: HF('openai/whisper-large-v3') + ' (128 mel bins, vocab 51866)',
    published: { total: 1_543_490_560, exact: true, source: 'WhisperForConditionalGeneration.from_pretrained("openai/whisper-large-v3").num_parameters() ("1.54B params")' },
    defaults: { seqLen: 448 }, loraTargets: ['q_proj', 'v_proj'],
  },
  // ---------------------------------------------------------------- CLIP
  {
    id: 'openai/clip-vit-large-patch14', name: 'CLIP ViT-L/14', family: 'CLIP', task: 'zero-shot-image',
    arch: { kind: 'clip', vision: CLIP_L_VISION, text: CLIP_L_TEXT, projectionDim: 768 },
    aliases: { hf: ['openai/clip-vit-large-patch14'] },
    configSource: HF('openai/clip-vit-large-patch14'),
    published: {
      total: 427_616_513, exact: true,
      components: { vision_model: 303_179_776, text_model: 123_060_480, visual_projection: 786_432, text_projection: 589_824, logit_scale: 1 },
      source: 'CLIPModel.from_pretrained("openai/clip-vit-large-patch14").num_parameters() ("428M params"); CLIPTextModel 123,060,480 (= SD 1.5 text_encoder)',
    },
    defaults: { imageSize: 224, seqLen: 77 }, loraTargets: ['q_proj', 'v_proj'],
  },
  {
    id: 'openai/clip-vit-base-patch32', name: 'CLIP ViT-B/32', family: 'CLIP', task: 'zero-shot-image',
    arch: {
      kind: 'clip',
      vision: { kind: 'vit', style: 'clip', imageSize: 224, patch: 32, layers: 12, hidden: 768, heads: 12, mlp: 3072, act: 'quick_gelu', classes: 0 },
      text: { ...CLIP_L_TEXT, hidden: 512, heads: 8, mlp: 2048 },
      projectionDim: 512,
    },
    aliases: { hf: ['openai/clip-vit-base-patch32'] },
    configSource: HF('openai/clip-vit-base-patch32'),
    published: { total: 151_277_313, exact: true, source: 'CLIPModel.from_pretrained("openai/clip-vit-base-patch32").num_parameters() ("151M params")' },
    defaults: { imageSize: 224, seqLen: 77 }, loraTargets: ['q_proj', 'v_proj'],
  },
  {
    id: 'openai/clip-vit-large-patch14/text', name: 'CLIP ViT-L/14 text encoder', family: 'CLIP', task: 'zero-shot-image',
    arch: CLIP_L_TEXT,
    aliases: { hf: ['openai/clip-vit-large-patch14-text'] },
    configSource: HF('openai/clip-vit-large-patch14') + ' (text_config)',
    published: { total: 123_060_480, exact: true, source: 'CLIPTextModel.from_pretrained("openai/clip-vit-large-patch14").num_parameters(); SD 1.5 text_encoder' },
    defaults: { seqLen: 77 }, loraTargets: ['q_proj', 'v_proj'],
  },
];
