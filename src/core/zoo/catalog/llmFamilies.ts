/**
 * The open decoder families people still fine-tune and run from tutorials: OPT, Pythia, GPT-J, GPT-NeoX, Falcon,
 * BLOOM, Gemma (1), Phi-1.5/2 and Qwen2/Qwen3. Architecture numbers are the published Hugging Face `config.json`
 * values (URL in `configSource`). Counts are `model.num_parameters()` of the CausalLM class, which is the sum of the
 * config's tensor shapes; where the model card states a headline figure it is quoted beside it.
 */
import type { CatalogEntry, DecoderConfig } from '../types';

const HF = (id: string): string => `https://huggingface.co/${id}/blob/main/config.json`;

type Base = Omit<DecoderConfig, 'layers' | 'hidden' | 'heads' | 'kvHeads' | 'headDim' | 'ffn' | 'vocab' | 'tiedEmbeddings' | 'maxContext'>;
type Shape = Pick<DecoderConfig, 'layers' | 'hidden' | 'heads' | 'ffn' | 'vocab'> & Partial<Pick<DecoderConfig, 'kvHeads' | 'headDim' | 'tiedEmbeddings' | 'maxContext'>>;

/** OPT: learned positions with 2 offset rows, ReLU MLP, biases everywhere, LM head tied. */
const OPT: Base = {
  kind: 'decoder', style: 'llama', act: 'relu', gated: false, norm: 'layer', normsPerLayer: 2,
  qkvBias: true, outBias: true, mlpBias: true, positions: 'learned', positionOffset: 2, dropout: 0.1,
};
/** GPT-NeoX (Pythia, GPT-NeoX-20B): partial rotary (no parameters), parallel residual with two norms, untied head. */
const NEOX: Base = {
  kind: 'decoder', style: 'llama', act: 'gelu', gated: false, norm: 'layer', normsPerLayer: 2,
  qkvBias: true, outBias: true, mlpBias: true, positions: 'rope', dropout: 0,
};
/** GPT-J: parallel attention and MLP after one norm, no attention biases, biased LM head. */
const GPTJ: Base = {
  kind: 'decoder', style: 'llama', act: 'gelu_tanh', gated: false, norm: 'layer', normsPerLayer: 1, lmHeadBias: true,
  qkvBias: false, outBias: false, mlpBias: true, positions: 'rope', dropout: 0,
};
/** Falcon (7B): multi-query attention, parallel block after one norm, no biases, tied head. */
const FALCON: Base = {
  kind: 'decoder', style: 'llama', act: 'gelu', gated: false, norm: 'layer', normsPerLayer: 1,
  qkvBias: false, outBias: false, mlpBias: false, positions: 'rope', dropout: 0,
};
/** BLOOM: ALiBi (no position parameters), a norm after the embedding, biases everywhere, tied head. */
const BLOOM: Base = {
  kind: 'decoder', style: 'llama', act: 'gelu_tanh', gated: false, norm: 'layer', normsPerLayer: 2, embedNorm: true,
  qkvBias: true, outBias: true, mlpBias: true, positions: 'rope', dropout: 0,
};
/** Gemma (1): GeGLU, RMSNorm, tied head, head_dim 256. */
const GEMMA: Base = {
  kind: 'decoder', style: 'llama', act: 'gelu_tanh', gated: true, norm: 'rms', normsPerLayer: 2,
  qkvBias: false, outBias: false, mlpBias: false, positions: 'rope', dropout: 0,
};
/** Phi-1.5 / Phi-2: partial rotary, parallel block after one norm, biases everywhere, biased untied head. */
const PHI2: Base = {
  kind: 'decoder', style: 'llama', act: 'gelu_tanh', gated: false, norm: 'layer', normsPerLayer: 1, lmHeadBias: true,
  qkvBias: true, outBias: true, mlpBias: true, positions: 'rope', dropout: 0,
};
/** Qwen3: Llama blocks with per-head q/k RMSNorm and no q/k/v bias; head_dim 128. */
const QWEN3: Base = {
  kind: 'decoder', style: 'llama', act: 'silu', gated: true, norm: 'rms', normsPerLayer: 2, qkNorm: true,
  qkvBias: false, outBias: false, mlpBias: false, positions: 'rope', dropout: 0,
};

function model(
  id: string, name: string, family: string, base: Base, shape: Shape, total: number, aliases: string[],
  o: { seqLen?: number; lora?: string[]; card?: string; notes?: string[] } = {},
): CatalogEntry {
  const kvHeads = shape.kvHeads ?? shape.heads;
  const arch: DecoderConfig = {
    ...base, ...shape, kvHeads, headDim: shape.headDim ?? shape.hidden / shape.heads,
    tiedEmbeddings: shape.tiedEmbeddings ?? false, maxContext: shape.maxContext ?? 2048,
  };
  return {
    id, name, family, task: 'text-generation', arch,
    aliases: { hf: [id, ...aliases] },
    configSource: HF(id),
    published: {
      total, exact: true,
      source: `${family} CausalLM num_parameters() = the sum of the config's tensor shapes${o.card ? `; model card "${o.card}"` : ''}`,
    },
    defaults: { seqLen: o.seqLen ?? Math.min(arch.maxContext, 2048) },
    loraTargets: o.lora ?? ['q_proj', 'v_proj'],
    ...(o.notes ? { notes: o.notes } : {}),
  };
}

const NEOX_LORA = ['query_key_value'];
const BLOOM_LORA = ['query_key_value'];

export const LLM_FAMILIES_CATALOG: CatalogEntry[] = [
  // ---------------------------------------------------------------- OPT (vocab 50272, 2048 positions)
  model('facebook/opt-125m', 'OPT 125M', 'OPT', OPT, { layers: 12, hidden: 768, heads: 12, ffn: 3072, vocab: 50272, tiedEmbeddings: true }, 125_239_296, ['opt-125m'], { card: '125M' }),
  model('facebook/opt-1.3b', 'OPT 1.3B', 'OPT', OPT, { layers: 24, hidden: 2048, heads: 32, ffn: 8192, vocab: 50272, tiedEmbeddings: true }, 1_315_758_080, ['opt-1.3b'], { card: '1.3B' }),
  model('facebook/opt-2.7b', 'OPT 2.7B', 'OPT', OPT, { layers: 32, hidden: 2560, heads: 32, ffn: 10240, vocab: 50272, tiedEmbeddings: true }, 2_651_596_800, ['opt-2.7b'], { card: '2.7B' }),
  model('facebook/opt-6.7b', 'OPT 6.7B', 'OPT', OPT, { layers: 32, hidden: 4096, heads: 32, ffn: 16384, vocab: 50272, tiedEmbeddings: true }, 6_658_473_984, ['opt-6.7b'], { card: '6.7B' }),
  // ---------------------------------------------------------------- Pythia (GPT-NeoX; deduped variants share the architecture)
  model('EleutherAI/pythia-70m', 'Pythia 70M', 'Pythia', NEOX, { layers: 6, hidden: 512, heads: 8, ffn: 2048, vocab: 50304 }, 70_426_624, ['EleutherAI/pythia-70m-deduped', 'pythia-70m'], { lora: NEOX_LORA }),
  model('EleutherAI/pythia-160m', 'Pythia 160M', 'Pythia', NEOX, { layers: 12, hidden: 768, heads: 12, ffn: 3072, vocab: 50304 }, 162_322_944, ['EleutherAI/pythia-160m-deduped', 'pythia-160m'], { lora: NEOX_LORA }),
  model('EleutherAI/pythia-410m', 'Pythia 410M', 'Pythia', NEOX, { layers: 24, hidden: 1024, heads: 16, ffn: 4096, vocab: 50304 }, 405_334_016, ['EleutherAI/pythia-410m-deduped', 'pythia-410m'], { lora: NEOX_LORA }),
  model('EleutherAI/pythia-1b', 'Pythia 1B', 'Pythia', NEOX, { layers: 16, hidden: 2048, heads: 8, ffn: 8192, vocab: 50304 }, 1_011_781_632, ['EleutherAI/pythia-1b-deduped', 'pythia-1b'], { lora: NEOX_LORA }),
  model('EleutherAI/pythia-1.4b', 'Pythia 1.4B', 'Pythia', NEOX, { layers: 24, hidden: 2048, heads: 16, ffn: 8192, vocab: 50304 }, 1_414_647_808, ['EleutherAI/pythia-1.4b-deduped', 'pythia-1.4b'], { lora: NEOX_LORA }),
  model('EleutherAI/pythia-2.8b', 'Pythia 2.8B', 'Pythia', NEOX, { layers: 32, hidden: 2560, heads: 32, ffn: 10240, vocab: 50304 }, 2_775_208_960, ['EleutherAI/pythia-2.8b-deduped', 'pythia-2.8b'], { lora: NEOX_LORA }),
  model('EleutherAI/pythia-6.9b', 'Pythia 6.9B', 'Pythia', NEOX, { layers: 32, hidden: 4096, heads: 32, ffn: 16384, vocab: 50432 }, 6_857_302_016, ['EleutherAI/pythia-6.9b-deduped', 'pythia-6.9b'], { lora: NEOX_LORA }),
  model('EleutherAI/pythia-12b', 'Pythia 12B', 'Pythia', NEOX, { layers: 36, hidden: 5120, heads: 40, ffn: 20480, vocab: 50688 }, 11_846_072_320, ['EleutherAI/pythia-12b-deduped', 'pythia-12b'], { lora: NEOX_LORA }),
  model('EleutherAI/gpt-neox-20b', 'GPT-NeoX 20B', 'GPT-NeoX', NEOX, { layers: 44, hidden: 6144, heads: 64, ffn: 24576, vocab: 50432 }, 20_554_567_680, ['gpt-neox-20b'], { lora: NEOX_LORA, card: '20B' }),
  // ---------------------------------------------------------------- GPT-J
  model('EleutherAI/gpt-j-6b', 'GPT-J 6B', 'GPT-J', GPTJ, { layers: 28, hidden: 4096, heads: 16, headDim: 256, ffn: 16384, vocab: 50400 }, 6_050_882_784, ['EleutherAI/gpt-j-6B', 'gpt-j-6b'], { card: '6B' }),
  // ---------------------------------------------------------------- Falcon
  model('tiiuae/falcon-7b', 'Falcon 7B', 'Falcon', FALCON, { layers: 32, hidden: 4544, heads: 71, kvHeads: 1, headDim: 64, ffn: 18176, vocab: 65024, tiedEmbeddings: true }, 6_921_720_704, ['tiiuae/falcon-7b-instruct', 'falcon-7b'], { lora: ['query_key_value'], card: '7B' }),
  // ---------------------------------------------------------------- BLOOM (vocab 250880)
  model('bigscience/bloom-560m', 'BLOOM 560M', 'BLOOM', BLOOM, { layers: 24, hidden: 1024, heads: 16, ffn: 4096, vocab: 250880, tiedEmbeddings: true }, 559_214_592, ['bigscience/bloomz-560m', 'bloom-560m'], { lora: BLOOM_LORA, card: '559M' }),
  model('bigscience/bloom-1b1', 'BLOOM 1.1B', 'BLOOM', BLOOM, { layers: 24, hidden: 1536, heads: 16, ffn: 6144, vocab: 250880, tiedEmbeddings: true }, 1_065_314_304, ['bigscience/bloomz-1b1', 'bloom-1b1'], { lora: BLOOM_LORA }),
  model('bigscience/bloom-3b', 'BLOOM 3B', 'BLOOM', BLOOM, { layers: 30, hidden: 2560, heads: 32, ffn: 10240, vocab: 250880, tiedEmbeddings: true }, 3_002_557_440, ['bigscience/bloomz-3b', 'bloom-3b'], { lora: BLOOM_LORA }),
  model('bigscience/bloom-7b1', 'BLOOM 7.1B', 'BLOOM', BLOOM, { layers: 30, hidden: 4096, heads: 32, ffn: 16384, vocab: 250880, tiedEmbeddings: true }, 7_069_016_064, ['bigscience/bloomz-7b1', 'bloom-7b1'], { lora: BLOOM_LORA }),
  // ---------------------------------------------------------------- Gemma (1)
  model('google/gemma-2b', 'Gemma 2B', 'Gemma', GEMMA, { layers: 18, hidden: 2048, heads: 8, kvHeads: 1, headDim: 256, ffn: 16384, vocab: 256000, tiedEmbeddings: true, maxContext: 8192 }, 2_506_172_416, ['google/gemma-2b-it', 'google/gemma-1.1-2b-it', 'gemma-2b'], { card: '2.51B' }),
  model('google/gemma-7b', 'Gemma 7B', 'Gemma', GEMMA, { layers: 28, hidden: 3072, heads: 16, headDim: 256, ffn: 24576, vocab: 256000, tiedEmbeddings: true, maxContext: 8192 }, 8_537_680_896, ['google/gemma-7b-it', 'google/gemma-1.1-7b-it', 'gemma-7b'], { card: '8.54B' }),
  // ---------------------------------------------------------------- Phi-1.5 / Phi-2
  model('microsoft/phi-1_5', 'Phi-1.5 (1.4B)', 'Phi', PHI2, { layers: 24, hidden: 2048, heads: 32, ffn: 8192, vocab: 51200 }, 1_418_270_720, ['phi-1_5'], { lora: ['q_proj', 'k_proj', 'v_proj', 'dense'], card: '1.42B' }),
  model('microsoft/phi-2', 'Phi-2 (2.7B)', 'Phi', PHI2, { layers: 32, hidden: 2560, heads: 32, ffn: 10240, vocab: 51200 }, 2_779_683_840, ['phi-2'], { lora: ['q_proj', 'k_proj', 'v_proj', 'dense'], card: '2.78B' }),
  // ---------------------------------------------------------------- Qwen3 (vocab 151936)
  model('Qwen/Qwen3-0.6B', 'Qwen3 0.6B', 'Qwen3', QWEN3, { layers: 28, hidden: 1024, heads: 16, kvHeads: 8, headDim: 128, ffn: 3072, vocab: 151936, tiedEmbeddings: true, maxContext: 40960 }, 596_049_920, ['Qwen/Qwen3-0.6B-Base'], { card: '0.6B; 0.44B non-embedding' }),
  model('Qwen/Qwen3-1.7B', 'Qwen3 1.7B', 'Qwen3', QWEN3, { layers: 28, hidden: 2048, heads: 16, kvHeads: 8, headDim: 128, ffn: 6144, vocab: 151936, tiedEmbeddings: true, maxContext: 40960 }, 1_720_574_976, ['Qwen/Qwen3-1.7B-Base'], { card: '1.7B' }),
  model('Qwen/Qwen3-4B', 'Qwen3 4B', 'Qwen3', QWEN3, { layers: 36, hidden: 2560, heads: 32, kvHeads: 8, headDim: 128, ffn: 9728, vocab: 151936, tiedEmbeddings: true, maxContext: 40960 }, 4_022_468_096, ['Qwen/Qwen3-4B-Base'], { card: '4.0B' }),
  model('Qwen/Qwen3-8B', 'Qwen3 8B', 'Qwen3', QWEN3, { layers: 36, hidden: 4096, heads: 32, kvHeads: 8, headDim: 128, ffn: 12288, vocab: 151936, maxContext: 40960 }, 8_190_735_360, ['Qwen/Qwen3-8B-Base'], { card: '8.2B' }),
];
