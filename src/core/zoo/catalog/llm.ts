/**
 * Decoder-only language models. Architecture numbers are the published Hugging Face `config.json`
 * values; published parameter counts are `model.num_parameters()` / safetensors metadata totals
 * (exact) unless marked otherwise.
 */
import type { CatalogEntry, DecoderConfig } from '../types';

const HF = (id: string): string => `https://huggingface.co/${id}/blob/main/config.json`;
const SAFETENSORS = (id: string): string => `https://huggingface.co/${id} (safetensors metadata: total parameters)`;

type Base = Omit<DecoderConfig, 'layers' | 'hidden' | 'heads' | 'kvHeads' | 'headDim' | 'ffn' | 'vocab' | 'tiedEmbeddings' | 'maxContext'>;

const LLAMA: Base = {
  kind: 'decoder', style: 'llama', act: 'silu', gated: true, norm: 'rms', normsPerLayer: 2,
  qkvBias: false, outBias: false, mlpBias: false, positions: 'rope', dropout: 0,
};
const QWEN2: Base = { ...LLAMA, style: 'qwen2', qkvBias: true };
const MISTRAL: Base = { ...LLAMA, style: 'mistral' };
const GEMMA2: Base = { ...LLAMA, style: 'gemma2', act: 'gelu_tanh', normsPerLayer: 4, slidingWindow: 4096, slidingEvery: 2 };
const GEMMA2_NOTES = ['transformers runs Gemma 2 with eager attention by default (attention logit soft-capping): pass flashAttention: false to model the materialised scores.'];
const PHI3: Base = { ...LLAMA, style: 'phi3' };
const GPT2: Base = {
  kind: 'decoder', style: 'gpt2', act: 'gelu_tanh', gated: false, norm: 'layer', normsPerLayer: 2,
  qkvBias: true, outBias: true, mlpBias: true, positions: 'learned', dropout: 0.1,
};

const LLAMA_LORA = ['q_proj', 'v_proj'];

export const LLM_CATALOG: CatalogEntry[] = [
  // ---------------------------------------------------------------- GPT-2
  {
    id: 'openai-community/gpt2', name: 'GPT-2 (124M)', family: 'GPT-2', task: 'text-generation',
    arch: { ...GPT2, layers: 12, hidden: 768, heads: 12, kvHeads: 12, headDim: 64, ffn: 3072, vocab: 50257, tiedEmbeddings: true, maxContext: 1024 },
    aliases: { hf: ['gpt2', 'openai-community/gpt2'] },
    configSource: HF('openai-community/gpt2'),
    published: { total: 124_439_808, exact: true, source: 'GPT2LMHeadModel.num_parameters() with tied wte/lm_head; HF model page "124M params"' },
    defaults: { seqLen: 1024 }, loraTargets: ['c_attn'],
  },
  {
    id: 'openai-community/gpt2-medium', name: 'GPT-2 Medium (355M)', family: 'GPT-2', task: 'text-generation',
    arch: { ...GPT2, layers: 24, hidden: 1024, heads: 16, kvHeads: 16, headDim: 64, ffn: 4096, vocab: 50257, tiedEmbeddings: true, maxContext: 1024 },
    aliases: { hf: ['gpt2-medium', 'openai-community/gpt2-medium'] },
    configSource: HF('openai-community/gpt2-medium'),
    published: { total: 354_823_168, exact: true, source: SAFETENSORS('openai-community/gpt2-medium') + '; HF page "355M params"' },
    defaults: { seqLen: 1024 }, loraTargets: ['c_attn'],
  },
  {
    id: 'openai-community/gpt2-large', name: 'GPT-2 Large (774M)', family: 'GPT-2', task: 'text-generation',
    arch: { ...GPT2, layers: 36, hidden: 1280, heads: 20, kvHeads: 20, headDim: 64, ffn: 5120, vocab: 50257, tiedEmbeddings: true, maxContext: 1024 },
    aliases: { hf: ['gpt2-large', 'openai-community/gpt2-large'] },
    configSource: HF('openai-community/gpt2-large'),
    published: { total: 774_030_080, exact: true, source: SAFETENSORS('openai-community/gpt2-large') + '; HF page "774M params"' },
    defaults: { seqLen: 1024 }, loraTargets: ['c_attn'],
  },
  {
    id: 'openai-community/gpt2-xl', name: 'GPT-2 XL (1.5B)', family: 'GPT-2', task: 'text-generation',
    arch: { ...GPT2, layers: 48, hidden: 1600, heads: 25, kvHeads: 25, headDim: 64, ffn: 6400, vocab: 50257, tiedEmbeddings: true, maxContext: 1024 },
    aliases: { hf: ['gpt2-xl', 'openai-community/gpt2-xl'] },
    configSource: HF('openai-community/gpt2-xl'),
    published: { total: 1_557_611_200, exact: true, source: SAFETENSORS('openai-community/gpt2-xl') + '; HF page "1.56B params" (paper: 1542M)' },
    defaults: { seqLen: 1024 }, loraTargets: ['c_attn'],
  },
  {
    // config.json: n_layer 6, n_embd 768, n_head 12, vocab_size 50257, n_positions 1024 (GPT-2 small with half its blocks).
    id: 'distilbert/distilgpt2', name: 'DistilGPT2 (82M)', family: 'GPT-2', task: 'text-generation',
    arch: { ...GPT2, layers: 6, hidden: 768, heads: 12, kvHeads: 12, headDim: 64, ffn: 3072, vocab: 50257, tiedEmbeddings: true, maxContext: 1024 },
    aliases: { hf: ['distilgpt2', 'distilbert/distilgpt2'] },
    configSource: HF('distilbert/distilgpt2'),
    published: { total: 81_912_576, exact: true, source: 'GPT2LMHeadModel.num_parameters() with tied wte/lm_head: GPT-2 124,439,808 less 6 blocks of 7,087,872; HF page "82M params"' },
    defaults: { seqLen: 1024 }, loraTargets: ['c_attn'],
  },
  // ---------------------------------------------------------------- Llama 2
  {
    id: 'meta-llama/Llama-2-7b-hf', name: 'Llama 2 7B', family: 'Llama 2', task: 'text-generation',
    arch: { ...LLAMA, layers: 32, hidden: 4096, heads: 32, kvHeads: 32, headDim: 128, ffn: 11008, vocab: 32000, tiedEmbeddings: false, maxContext: 4096 },
    aliases: { hf: ['meta-llama/Llama-2-7b-hf', 'meta-llama/Llama-2-7b', 'meta-llama/Llama-2-7b-chat-hf', 'NousResearch/Llama-2-7b-hf', 'huggyllama/llama-7b', 'llama-7b', 'lmsys/vicuna-7b-v1.5'] },
    configSource: HF('meta-llama/Llama-2-7b-hf'),
    published: { total: 6_738_415_616, exact: true, source: SAFETENSORS('meta-llama/Llama-2-7b-hf') + ' ("6.74B params")' },
    defaults: { seqLen: 4096 }, loraTargets: LLAMA_LORA,
  },
  {
    id: 'meta-llama/Llama-2-13b-hf', name: 'Llama 2 13B', family: 'Llama 2', task: 'text-generation',
    arch: { ...LLAMA, layers: 40, hidden: 5120, heads: 40, kvHeads: 40, headDim: 128, ffn: 13824, vocab: 32000, tiedEmbeddings: false, maxContext: 4096 },
    aliases: { hf: ['meta-llama/Llama-2-13b-hf', 'meta-llama/Llama-2-13b', 'meta-llama/Llama-2-13b-chat-hf', 'huggyllama/llama-13b'] },
    configSource: HF('meta-llama/Llama-2-13b-hf'),
    published: { total: 13_015_864_320, exact: true, source: SAFETENSORS('meta-llama/Llama-2-13b-hf') + ' ("13B params")' },
    defaults: { seqLen: 4096 }, loraTargets: LLAMA_LORA,
  },
  {
    id: 'meta-llama/Llama-2-70b-hf', name: 'Llama 2 70B', family: 'Llama 2', task: 'text-generation',
    arch: { ...LLAMA, layers: 80, hidden: 8192, heads: 64, kvHeads: 8, headDim: 128, ffn: 28672, vocab: 32000, tiedEmbeddings: false, maxContext: 4096 },
    aliases: { hf: ['meta-llama/Llama-2-70b-hf', 'meta-llama/Llama-2-70b', 'meta-llama/Llama-2-70b-chat-hf'] },
    configSource: HF('meta-llama/Llama-2-70b-hf'),
    published: { total: 68_976_648_192, exact: true, source: SAFETENSORS('meta-llama/Llama-2-70b-hf') + ' ("69B params")' },
    defaults: { seqLen: 4096 }, loraTargets: LLAMA_LORA,
  },
  // ---------------------------------------------------------------- TinyLlama
  {
    // config.json: hidden_size 2048, intermediate_size 5632, num_hidden_layers 22, num_attention_heads 32,
    // num_key_value_heads 4, vocab_size 32000, max_position_embeddings 2048, tie_word_embeddings false.
    id: 'TinyLlama/TinyLlama-1.1B-Chat-v1.0', name: 'TinyLlama 1.1B', family: 'TinyLlama', task: 'text-generation',
    arch: { ...LLAMA, layers: 22, hidden: 2048, heads: 32, kvHeads: 4, headDim: 64, ffn: 5632, vocab: 32000, tiedEmbeddings: false, maxContext: 2048 },
    aliases: { hf: ['TinyLlama/TinyLlama-1.1B-Chat-v1.0', 'TinyLlama/TinyLlama_v1.1', 'TinyLlama/TinyLlama-1.1B-intermediate-step-1431k-3T', 'TinyLlama/TinyLlama-1.1B-Chat-v0.6'] },
    configSource: HF('TinyLlama/TinyLlama-1.1B-Chat-v1.0'),
    published: { total: 1_100_048_384, exact: true, source: SAFETENSORS('TinyLlama/TinyLlama-1.1B-Chat-v1.0') + ' ("1.1B params")' },
    defaults: { seqLen: 2048 }, loraTargets: LLAMA_LORA,
  },
  // ---------------------------------------------------------------- Llama 3 / 3.1 / 3.2 / 3.3
  {
    id: 'meta-llama/Llama-3.2-1B', name: 'Llama 3.2 1B', family: 'Llama 3.2', task: 'text-generation',
    arch: { ...LLAMA, layers: 16, hidden: 2048, heads: 32, kvHeads: 8, headDim: 64, ffn: 8192, vocab: 128256, tiedEmbeddings: true, maxContext: 131072 },
    aliases: { hf: ['meta-llama/Llama-3.2-1B', 'meta-llama/Llama-3.2-1B-Instruct', 'unsloth/Llama-3.2-1B-Instruct'] },
    configSource: HF('meta-llama/Llama-3.2-1B'),
    published: { total: 1_235_814_400, exact: true, source: SAFETENSORS('meta-llama/Llama-3.2-1B') + ' ("1.24B params", tied embeddings)' },
    defaults: { seqLen: 2048 }, loraTargets: LLAMA_LORA,
  },
  {
    id: 'meta-llama/Llama-3.2-3B', name: 'Llama 3.2 3B', family: 'Llama 3.2', task: 'text-generation',
    arch: { ...LLAMA, layers: 28, hidden: 3072, heads: 24, kvHeads: 8, headDim: 128, ffn: 8192, vocab: 128256, tiedEmbeddings: true, maxContext: 131072 },
    aliases: { hf: ['meta-llama/Llama-3.2-3B', 'meta-llama/Llama-3.2-3B-Instruct', 'unsloth/Llama-3.2-3B-Instruct'] },
    configSource: HF('meta-llama/Llama-3.2-3B'),
    published: { total: 3_212_749_824, exact: true, source: SAFETENSORS('meta-llama/Llama-3.2-3B') + ' ("3.21B params", tied embeddings)' },
    defaults: { seqLen: 2048 }, loraTargets: LLAMA_LORA,
  },
  {
    id: 'meta-llama/Llama-3.1-8B', name: 'Llama 3.1 8B', family: 'Llama 3.1', task: 'text-generation',
    arch: { ...LLAMA, layers: 32, hidden: 4096, heads: 32, kvHeads: 8, headDim: 128, ffn: 14336, vocab: 128256, tiedEmbeddings: false, maxContext: 131072 },
    aliases: { hf: ['meta-llama/Llama-3.1-8B', 'meta-llama/Llama-3.1-8B-Instruct', 'meta-llama/Meta-Llama-3.1-8B', 'meta-llama/Meta-Llama-3.1-8B-Instruct', 'unsloth/Meta-Llama-3.1-8B', 'unsloth/Llama-3.1-8B-Instruct'] },
    configSource: HF('meta-llama/Llama-3.1-8B'),
    published: { total: 8_030_261_248, exact: true, source: SAFETENSORS('meta-llama/Llama-3.1-8B') + ' ("8.03B params")' },
    defaults: { seqLen: 8192 }, loraTargets: LLAMA_LORA,
  },
  {
    id: 'meta-llama/Meta-Llama-3-8B', name: 'Llama 3 8B', family: 'Llama 3', task: 'text-generation',
    arch: { ...LLAMA, layers: 32, hidden: 4096, heads: 32, kvHeads: 8, headDim: 128, ffn: 14336, vocab: 128256, tiedEmbeddings: false, maxContext: 8192 },
    aliases: { hf: ['meta-llama/Meta-Llama-3-8B', 'meta-llama/Meta-Llama-3-8B-Instruct', 'meta-llama/Llama-3-8B', 'unsloth/llama-3-8b', 'NousResearch/Meta-Llama-3-8B'] },
    configSource: HF('meta-llama/Meta-Llama-3-8B'),
    published: { total: 8_030_261_248, exact: true, source: SAFETENSORS('meta-llama/Meta-Llama-3-8B') + ' ("8.03B params")' },
    defaults: { seqLen: 8192 }, loraTargets: LLAMA_LORA,
  },
  {
    id: 'meta-llama/Llama-3.1-70B', name: 'Llama 3.1 70B', family: 'Llama 3.1', task: 'text-generation',
    arch: { ...LLAMA, layers: 80, hidden: 8192, heads: 64, kvHeads: 8, headDim: 128, ffn: 28672, vocab: 128256, tiedEmbeddings: false, maxContext: 131072 },
    aliases: { hf: ['meta-llama/Llama-3.1-70B', 'meta-llama/Llama-3.1-70B-Instruct', 'meta-llama/Meta-Llama-3.1-70B', 'meta-llama/Meta-Llama-3.1-70B-Instruct'] },
    configSource: HF('meta-llama/Llama-3.1-70B'),
    published: { total: 70_553_706_496, exact: true, source: SAFETENSORS('meta-llama/Llama-3.1-70B') + ' ("70.6B params")' },
    defaults: { seqLen: 8192 }, loraTargets: LLAMA_LORA,
  },
  {
    id: 'meta-llama/Llama-3.3-70B-Instruct', name: 'Llama 3.3 70B Instruct', family: 'Llama 3.3', task: 'text-generation',
    arch: { ...LLAMA, layers: 80, hidden: 8192, heads: 64, kvHeads: 8, headDim: 128, ffn: 28672, vocab: 128256, tiedEmbeddings: false, maxContext: 131072 },
    aliases: { hf: ['meta-llama/Llama-3.3-70B-Instruct', 'meta-llama/Llama-3.3-70B', 'unsloth/Llama-3.3-70B-Instruct'] },
    configSource: HF('meta-llama/Llama-3.3-70B-Instruct'),
    published: { total: 70_553_706_496, exact: true, source: SAFETENSORS('meta-llama/Llama-3.3-70B-Instruct') + ' ("70.6B params")' },
    defaults: { seqLen: 8192 }, loraTargets: LLAMA_LORA,
  },
  {
    id: 'meta-llama/Meta-Llama-3-70B', name: 'Llama 3 70B', family: 'Llama 3', task: 'text-generation',
    arch: { ...LLAMA, layers: 80, hidden: 8192, heads: 64, kvHeads: 8, headDim: 128, ffn: 28672, vocab: 128256, tiedEmbeddings: false, maxContext: 8192 },
    aliases: { hf: ['meta-llama/Meta-Llama-3-70B', 'meta-llama/Meta-Llama-3-70B-Instruct', 'meta-llama/Llama-3-70B'] },
    configSource: HF('meta-llama/Meta-Llama-3-70B'),
    published: { total: 70_553_706_496, exact: true, source: SAFETENSORS('meta-llama/Meta-Llama-3-70B') + ' ("70.6B params")' },
    defaults: { seqLen: 8192 }, loraTargets: LLAMA_LORA,
  },
  {
    id: 'meta-llama/Llama-3.1-405B', name: 'Llama 3.1 405B', family: 'Llama 3.1', task: 'text-generation',
    arch: { ...LLAMA, layers: 126, hidden: 16384, heads: 128, kvHeads: 8, headDim: 128, ffn: 53248, vocab: 128256, tiedEmbeddings: false, maxContext: 131072 },
    aliases: { hf: ['meta-llama/Llama-3.1-405B', 'meta-llama/Llama-3.1-405B-Instruct', 'meta-llama/Meta-Llama-3.1-405B', 'meta-llama/Meta-Llama-3.1-405B-Instruct'] },
    configSource: HF('meta-llama/Llama-3.1-405B') + '; Llama 3 paper (arXiv 2407.21783) Table 3: 126 layers, d=16,384, FFN 53,248, 128 heads, 8 KV heads',
    published: { total: 405_853_388_800, exact: true, source: SAFETENSORS('meta-llama/Llama-3.1-405B') + ' ("406B params"); paper: 405B' },
    defaults: { seqLen: 8192 }, loraTargets: LLAMA_LORA,
  },
  // ---------------------------------------------------------------- Mistral / Mixtral
  {
    id: 'mistralai/Mistral-7B-v0.1', name: 'Mistral 7B v0.1', family: 'Mistral', task: 'text-generation',
    arch: { ...MISTRAL, layers: 32, hidden: 4096, heads: 32, kvHeads: 8, headDim: 128, ffn: 14336, vocab: 32000, tiedEmbeddings: false, maxContext: 32768, slidingWindow: 4096 },
    aliases: { hf: ['mistralai/Mistral-7B-v0.1', 'mistralai/Mistral-7B-Instruct-v0.1', 'mistralai/Mistral-7B-Instruct-v0.2', 'mistral-7b', 'HuggingFaceH4/zephyr-7b-beta', 'HuggingFaceH4/zephyr-7b-alpha'] },
    configSource: HF('mistralai/Mistral-7B-v0.1') + ' (sliding_window 4096; v0.2 Instruct drops the window, same weights shape)',
    published: { total: 7_241_732_096, exact: true, source: SAFETENSORS('mistralai/Mistral-7B-v0.1') + ' ("7.24B params")' },
    defaults: { seqLen: 4096 }, loraTargets: LLAMA_LORA,
  },
  {
    id: 'mistralai/Mistral-7B-v0.3', name: 'Mistral 7B v0.3', family: 'Mistral', task: 'text-generation',
    arch: { ...MISTRAL, layers: 32, hidden: 4096, heads: 32, kvHeads: 8, headDim: 128, ffn: 14336, vocab: 32768, tiedEmbeddings: false, maxContext: 32768 },
    aliases: { hf: ['mistralai/Mistral-7B-v0.3', 'mistralai/Mistral-7B-Instruct-v0.3'] },
    configSource: HF('mistralai/Mistral-7B-v0.3') + ' (vocab extended to 32768)',
    published: { total: 7_248_023_552, exact: true, source: SAFETENSORS('mistralai/Mistral-7B-v0.3') + ' ("7.25B params")' },
    defaults: { seqLen: 4096 }, loraTargets: LLAMA_LORA,
  },
  {
    id: 'mistralai/Mixtral-8x7B-v0.1', name: 'Mixtral 8x7B', family: 'Mixtral', task: 'text-generation',
    arch: { ...LLAMA, style: 'mixtral', layers: 32, hidden: 4096, heads: 32, kvHeads: 8, headDim: 128, ffn: 14336, vocab: 32000, tiedEmbeddings: false, maxContext: 32768, moe: { experts: 8, topK: 2 } },
    aliases: { hf: ['mistralai/Mixtral-8x7B-v0.1', 'mistralai/Mixtral-8x7B-Instruct-v0.1', 'mixtral-8x7b'] },
    configSource: HF('mistralai/Mixtral-8x7B-v0.1'),
    published: {
      total: 46_702_792_704, exact: true, active: 12_900_000_000,
      source: SAFETENSORS('mistralai/Mixtral-8x7B-v0.1') + ' ("46.7B params"); Mistral AI announcement "Mixtral of experts" (Dec 2023): 46.7B total, 12.9B used per token',
    },
    defaults: { seqLen: 4096 }, loraTargets: LLAMA_LORA,
  },
  // ---------------------------------------------------------------- Qwen2.5
  {
    id: 'Qwen/Qwen2.5-0.5B', name: 'Qwen2.5 0.5B', family: 'Qwen2.5', task: 'text-generation',
    arch: { ...QWEN2, layers: 24, hidden: 896, heads: 14, kvHeads: 2, headDim: 64, ffn: 4864, vocab: 151936, tiedEmbeddings: true, maxContext: 32768 },
    aliases: { hf: ['Qwen/Qwen2.5-0.5B', 'Qwen/Qwen2.5-0.5B-Instruct', 'Qwen/Qwen2-0.5B', 'Qwen/Qwen2-0.5B-Instruct'] },
    configSource: HF('Qwen/Qwen2.5-0.5B'),
    published: { total: 494_032_768, exact: true, source: SAFETENSORS('Qwen/Qwen2.5-0.5B') + ' ("494M params"; model card "0.49B")' },
    defaults: { seqLen: 2048 }, loraTargets: LLAMA_LORA,
  },
  {
    id: 'Qwen/Qwen2.5-1.5B', name: 'Qwen2.5 1.5B', family: 'Qwen2.5', task: 'text-generation',
    arch: { ...QWEN2, layers: 28, hidden: 1536, heads: 12, kvHeads: 2, headDim: 128, ffn: 8960, vocab: 151936, tiedEmbeddings: true, maxContext: 32768 },
    aliases: { hf: ['Qwen/Qwen2.5-1.5B', 'Qwen/Qwen2.5-1.5B-Instruct', 'Qwen/Qwen2-1.5B', 'Qwen/Qwen2-1.5B-Instruct'] },
    configSource: HF('Qwen/Qwen2.5-1.5B'),
    published: { total: 1_543_714_304, exact: true, source: SAFETENSORS('Qwen/Qwen2.5-1.5B') + ' ("1.54B params")' },
    defaults: { seqLen: 2048 }, loraTargets: LLAMA_LORA,
  },
  {
    id: 'Qwen/Qwen2.5-3B', name: 'Qwen2.5 3B', family: 'Qwen2.5', task: 'text-generation',
    arch: { ...QWEN2, layers: 36, hidden: 2048, heads: 16, kvHeads: 2, headDim: 128, ffn: 11008, vocab: 151936, tiedEmbeddings: true, maxContext: 32768 },
    aliases: { hf: ['Qwen/Qwen2.5-3B', 'Qwen/Qwen2.5-3B-Instruct'] },
    configSource: HF('Qwen/Qwen2.5-3B'),
    published: { total: 3_085_938_688, exact: true, source: SAFETENSORS('Qwen/Qwen2.5-3B') + ' ("3.09B params")' },
    defaults: { seqLen: 2048 }, loraTargets: LLAMA_LORA,
  },
  {
    id: 'Qwen/Qwen2.5-7B', name: 'Qwen2.5 7B', family: 'Qwen2.5', task: 'text-generation',
    arch: { ...QWEN2, layers: 28, hidden: 3584, heads: 28, kvHeads: 4, headDim: 128, ffn: 18944, vocab: 152064, tiedEmbeddings: false, maxContext: 131072 },
    aliases: { hf: ['Qwen/Qwen2.5-7B', 'Qwen/Qwen2.5-7B-Instruct', 'Qwen/Qwen2-7B', 'Qwen/Qwen2-7B-Instruct'] },
    configSource: HF('Qwen/Qwen2.5-7B') + ' (Instruct config: max_position_embeddings 32768)',
    published: { total: 7_615_616_512, exact: true, source: SAFETENSORS('Qwen/Qwen2.5-7B') + ' ("7.62B params"; model card "7.61B")' },
    defaults: { seqLen: 4096 }, loraTargets: LLAMA_LORA,
  },
  {
    id: 'Qwen/Qwen2.5-14B', name: 'Qwen2.5 14B', family: 'Qwen2.5', task: 'text-generation',
    arch: { ...QWEN2, layers: 48, hidden: 5120, heads: 40, kvHeads: 8, headDim: 128, ffn: 13824, vocab: 152064, tiedEmbeddings: false, maxContext: 131072 },
    aliases: { hf: ['Qwen/Qwen2.5-14B', 'Qwen/Qwen2.5-14B-Instruct'] },
    configSource: HF('Qwen/Qwen2.5-14B'),
    published: { total: 14_770_033_664, exact: true, source: SAFETENSORS('Qwen/Qwen2.5-14B') + ' ("14.8B params"; model card "14.7B")' },
    defaults: { seqLen: 4096 }, loraTargets: LLAMA_LORA,
  },
  {
    id: 'Qwen/Qwen2.5-32B', name: 'Qwen2.5 32B', family: 'Qwen2.5', task: 'text-generation',
    arch: { ...QWEN2, layers: 64, hidden: 5120, heads: 40, kvHeads: 8, headDim: 128, ffn: 27648, vocab: 152064, tiedEmbeddings: false, maxContext: 131072 },
    aliases: { hf: ['Qwen/Qwen2.5-32B', 'Qwen/Qwen2.5-32B-Instruct'] },
    configSource: HF('Qwen/Qwen2.5-32B'),
    published: { total: 32_763_876_352, exact: true, source: SAFETENSORS('Qwen/Qwen2.5-32B') + ' ("32.8B params"; model card "32.5B")' },
    defaults: { seqLen: 4096 }, loraTargets: LLAMA_LORA,
  },
  {
    id: 'Qwen/Qwen2.5-72B', name: 'Qwen2.5 72B', family: 'Qwen2.5', task: 'text-generation',
    arch: { ...QWEN2, layers: 80, hidden: 8192, heads: 64, kvHeads: 8, headDim: 128, ffn: 29568, vocab: 152064, tiedEmbeddings: false, maxContext: 131072 },
    aliases: { hf: ['Qwen/Qwen2.5-72B', 'Qwen/Qwen2.5-72B-Instruct'] },
    configSource: HF('Qwen/Qwen2.5-72B'),
    published: { total: 72_706_203_648, exact: true, source: SAFETENSORS('Qwen/Qwen2.5-72B') + ' ("72.7B params")' },
    defaults: { seqLen: 4096 }, loraTargets: LLAMA_LORA,
  },
  // ---------------------------------------------------------------- Gemma 2
  {
    id: 'google/gemma-2-2b', name: 'Gemma 2 2B', family: 'Gemma 2', task: 'text-generation',
    arch: { ...GEMMA2, layers: 26, hidden: 2304, heads: 8, kvHeads: 4, headDim: 256, ffn: 9216, vocab: 256000, tiedEmbeddings: true, maxContext: 8192 },
    aliases: { hf: ['google/gemma-2-2b', 'google/gemma-2-2b-it', 'unsloth/gemma-2-2b-it'] },
    configSource: HF('google/gemma-2-2b'),
    published: { total: 2_614_341_888, exact: true, source: SAFETENSORS('google/gemma-2-2b') + ' ("2.61B params")' },
    defaults: { seqLen: 4096 }, loraTargets: LLAMA_LORA, notes: GEMMA2_NOTES,
  },
  {
    id: 'google/gemma-2-9b', name: 'Gemma 2 9B', family: 'Gemma 2', task: 'text-generation',
    arch: { ...GEMMA2, layers: 42, hidden: 3584, heads: 16, kvHeads: 8, headDim: 256, ffn: 14336, vocab: 256000, tiedEmbeddings: true, maxContext: 8192 },
    aliases: { hf: ['google/gemma-2-9b', 'google/gemma-2-9b-it'] },
    configSource: HF('google/gemma-2-9b'),
    published: { total: 9_241_705_984, exact: true, source: SAFETENSORS('google/gemma-2-9b') + ' ("9.24B params")' },
    defaults: { seqLen: 4096 }, loraTargets: LLAMA_LORA, notes: GEMMA2_NOTES,
  },
  {
    id: 'google/gemma-2-27b', name: 'Gemma 2 27B', family: 'Gemma 2', task: 'text-generation',
    arch: { ...GEMMA2, layers: 46, hidden: 4608, heads: 32, kvHeads: 16, headDim: 128, ffn: 36864, vocab: 256000, tiedEmbeddings: true, maxContext: 8192 },
    aliases: { hf: ['google/gemma-2-27b', 'google/gemma-2-27b-it'] },
    configSource: HF('google/gemma-2-27b'),
    published: { total: 27_227_128_320, exact: true, source: SAFETENSORS('google/gemma-2-27b') + ' ("27.2B params")' },
    defaults: { seqLen: 4096 }, loraTargets: LLAMA_LORA, notes: GEMMA2_NOTES,
  },
  // ---------------------------------------------------------------- Phi-3
  {
    id: 'microsoft/Phi-3-mini-4k-instruct', name: 'Phi-3 mini (3.8B)', family: 'Phi-3', task: 'text-generation',
    arch: { ...PHI3, layers: 32, hidden: 3072, heads: 32, kvHeads: 32, headDim: 96, ffn: 8192, vocab: 32064, tiedEmbeddings: false, maxContext: 4096 },
    aliases: { hf: ['microsoft/Phi-3-mini-4k-instruct', 'microsoft/Phi-3-mini-128k-instruct', 'microsoft/Phi-3.5-mini-instruct'] },
    configSource: HF('microsoft/Phi-3-mini-4k-instruct') + ' (128k and Phi-3.5-mini differ only in RoPE scaling)',
    published: { total: 3_821_079_552, exact: true, source: SAFETENSORS('microsoft/Phi-3-mini-4k-instruct') + ' ("3.82B params")' },
    defaults: { seqLen: 4096 }, loraTargets: ['qkv_proj', 'o_proj'],
  },
  {
    id: 'microsoft/Phi-3-medium-4k-instruct', name: 'Phi-3 medium (14B)', family: 'Phi-3', task: 'text-generation',
    arch: { ...PHI3, layers: 40, hidden: 5120, heads: 40, kvHeads: 10, headDim: 128, ffn: 17920, vocab: 32064, tiedEmbeddings: false, maxContext: 4096 },
    aliases: { hf: ['microsoft/Phi-3-medium-4k-instruct', 'microsoft/Phi-3-medium-128k-instruct'] },
    configSource: HF('microsoft/Phi-3-medium-4k-instruct'),
    published: { total: 13_960_238_080, exact: true, source: SAFETENSORS('microsoft/Phi-3-medium-4k-instruct') + ' ("14B params")' },
    defaults: { seqLen: 4096 }, loraTargets: ['qkv_proj', 'o_proj'],
  },
];
