/**
 * Types of the known-model catalog ("zoo").
 *
 * A catalog entry is an ARCHITECTURE CONFIG (the numbers of a Hugging Face `config.json`, a
 * torchvision constructor or a paper table) plus the model's PUBLISHED parameter count with its
 * source. Builders turn the config into `Op[]` through the shared primitives in `ops/primitives.ts`;
 * nothing here hard-codes a FLOP total. Parameter counts in tests come from summing the ops, and are
 * compared with `published`.
 */
import type { Dtype, MemoryBreakdown, Op } from '../types';

/** Activation functions the builders distinguish (FLOPs/element differ a little; bytes are the same). */
export type Activation = 'gelu' | 'gelu_tanh' | 'quick_gelu' | 'relu' | 'silu';

/** Where a figure came from: a URL or a paper/table reference, with an optional remark. */
export type SourceRef = string;

/** Decoder-only language models (GPT-2, Llama, Mistral, Mixtral, Qwen2, Gemma 2, Phi-3). */
export interface DecoderConfig {
  kind: 'decoder';
  /** Module naming and small structural differences (fused projections, extra norms, MoE block). */
  style: 'llama' | 'gpt2' | 'phi3' | 'gemma2' | 'mixtral' | 'qwen2' | 'mistral' | 'directive';
  layers: number;
  hidden: number;
  heads: number;
  /** Key/value heads (GQA/MQA); equals `heads` for MHA. */
  kvHeads: number;
  /** Per-head dim (config `head_dim`, else hidden/heads). */
  headDim: number;
  /** FFN inner width (`intermediate_size`, `n_inner`); per expert for MoE. */
  ffn: number;
  act: Activation;
  /** Gated MLP (SwiGLU / GeGLU: gate, up, down) rather than up/down. */
  gated: boolean;
  vocab: number;
  tiedEmbeddings: boolean;
  norm: 'rms' | 'layer';
  /**
   * Norms per layer: 2 (pre-attn, pre-MLP), 4 (Gemma 2 adds post-attn and post-MLP), or 1 (parallel attention and MLP
   * fed by one input norm: GPT-J, Falcon, Phi-2).
   */
  normsPerLayer: 1 | 2 | 4;
  /** Bias on the LM head (GPT-J, Phi-2). */
  lmHeadBias?: boolean;
  /** Rows of the learned position table beyond `maxContext` (OPT keeps 2 padding offsets). */
  positionOffset?: number;
  /** A norm right after the token embedding (BLOOM's word_embeddings_layernorm). */
  embedNorm?: boolean;
  /** Per-head RMSNorm on queries and keys (Qwen3). */
  qkNorm?: boolean;
  /** Labels of a sequence-classification head (`…ForSequenceClassification`, `num_labels`) that replaces the LM head. */
  scoreLabels?: number;
  qkvBias: boolean;
  outBias: boolean;
  mlpBias: boolean;
  /** Learned absolute positions (GPT-2) or rotary. */
  positions: 'rope' | 'learned';
  /** `max_position_embeddings` / `n_positions`: the advertised context length. */
  maxContext: number;
  /** Sliding-window attention width, when used. */
  slidingWindow?: number;
  /** When set, only every `slidingEvery`-th layer (index % slidingEvery === 0) uses the window (Gemma 2: 2). */
  slidingEvery?: number;
  moe?: { experts: number; topK: number };
  /** Dropout in training (GPT-2 0.1; modern LLMs 0). Changes saved activations (masks). */
  dropout: number;
}

/** BERT-family encoders (BERT, RoBERTa, DistilBERT). */
export interface EncoderConfig {
  kind: 'encoder';
  style: 'bert' | 'roberta' | 'distilbert';
  layers: number;
  hidden: number;
  heads: number;
  ffn: number;
  vocab: number;
  maxPositions: number;
  /** Token-type (segment) vocabulary; 0 when absent (DistilBERT). */
  typeVocab: number;
  /** BertModel/RobertaModel pooler (dense h→h + tanh) included. */
  pooler: boolean;
  dropout: number;
  /** `…ForSequenceClassification`: a classifier of this many labels on the first token (after the pooler). */
  classes?: number;
  /** `…ForMaskedLM`: the masked-LM head (dense + GELU + LayerNorm + decoder tied to the word embeddings, own bias)
   * on every position, in place of the pooler. */
  mlmHead?: boolean;
}

/** T5 encoder–decoder (or encoder only, for T5EncoderModel used by diffusion pipelines). */
export interface T5Config {
  kind: 't5';
  dModel: number;
  dKv: number;
  heads: number;
  dFf: number;
  encoderLayers: number;
  /** 0 for an encoder-only model (T5EncoderModel). */
  decoderLayers: number;
  vocab: number;
  /** T5 v1.0 ReLU FFN (wi, wo) vs v1.1 gated-GELU (wi_0, wi_1, wo). */
  gated: boolean;
  act: Activation;
  /** Relative-attention buckets (32). */
  relBuckets: number;
  /** LM head tied to the shared embedding (T5 v1.0); untied in v1.1. */
  tiedLmHead: boolean;
  dropout: number;
}

/** Whisper speech encoder–decoder. */
export interface WhisperConfig {
  kind: 'whisper';
  dModel: number;
  encoderLayers: number;
  decoderLayers: number;
  heads: number;
  ffn: number;
  vocab: number;
  nMels: number;
  /** Encoder positions after the stride-2 conv (1500 for 30 s). */
  audioPositions: number;
  /** Decoder positions (448). */
  textPositions: number;
}

/** A ViT-style image tower (torchvision/timm ViT, DeiT, CLIP vision). */
export interface VitConfig {
  kind: 'vit';
  /** `torchvision` (conv_proj, biases, head) or `clip` (no patch bias, pre-LN, post-LN, no classifier). */
  style: 'torchvision' | 'clip';
  imageSize: number;
  patch: number;
  layers: number;
  hidden: number;
  heads: number;
  mlp: number;
  act: Activation;
  /** Classifier classes (0 = no head). */
  classes: number;
}

/** A CLIP text tower (CLIPTextModel / CLIPTextModelWithProjection). */
export interface ClipTextConfig {
  kind: 'clip-text';
  layers: number;
  hidden: number;
  heads: number;
  mlp: number;
  vocab: number;
  maxPositions: number;
  act: Activation;
  /** Output projection (text_projection, no bias) width; 0 when absent. */
  projection: number;
}

/** Dual-tower CLIP (vision + text + projections + logit scale). */
export interface ClipConfig {
  kind: 'clip';
  vision: VitConfig;
  text: ClipTextConfig;
  projectionDim: number;
}

export interface ResnetConfig {
  kind: 'resnet';
  block: 'basic' | 'bottleneck';
  layers: number[];
  groups: number;
  widthPerGroup: number;
  classes: number;
  /** timm's "-d" variants (resnet50d …): a deep 3×3 stem of `stemWidth` channels and average-pool downsampling. */
  deep?: { stemWidth: number };
}

export interface VggConfig {
  kind: 'vgg';
  /** Conv widths with 'M' for max-pool (torchvision cfgs A/B/D/E). */
  cfg: (number | 'M')[];
  batchNorm: boolean;
  classes: number;
}

export interface MobilenetV2Config { kind: 'mobilenet_v2'; widthMult: number; classes: number }
export interface MobilenetV3Config { kind: 'mobilenet_v3'; variant: 'large' | 'small'; classes: number }
export interface EfficientnetConfig { kind: 'efficientnet'; widthMult: number; depthMult: number; classes: number }
export interface ConvnextConfig { kind: 'convnext'; depths: number[]; dims: number[]; classes: number }
export interface SwinConfig {
  kind: 'swin';
  embedDim: number;
  depths: number[];
  heads: number[];
  window: number;
  patch: number;
  mlpRatio: number;
  classes: number;
}

/** timm Dual Path Network (dpn.py `DPN`): stem width, bottleneck width factor `k_r`, groups, blocks and dense growth per stage. */
export interface DpnConfig {
  kind: 'dpn';
  initFeatures: number;
  kR: number;
  groups: number;
  kSec: readonly number[];
  incSec: readonly number[];
  classes: number;
  /** dpn68's small variant: a 3×3 stem and bottleneck widths of 64·2^s (else 256·2^s). */
  small?: boolean;
}

/** diffusers UNet2DConditionModel (SD 1.x / SDXL). */
export interface UnetConfig {
  kind: 'unet';
  inChannels: number;
  outChannels: number;
  blockOut: number[];
  layersPerBlock: number;
  /** Per down level: transformer depth (0 = DownBlock2D without attention). Up levels mirror it. */
  transformerDepth: number[];
  /** Heads per level (SD 1.x: 8 everywhere; SDXL: 5/10/20 = channels/64). */
  heads: number[];
  crossDim: number;
  /** Transformer2DModel proj_in/proj_out as Linear (SDXL) or 1×1 conv (SD 1.x). */
  linearProjection: boolean;
  /** Mid-block transformer depth. */
  midDepth: number;
  /** SDXL "text_time" additional embedding: Timesteps(addTimeDim) and Linear(addProjInput→temb). */
  addEmbed?: { timeDim: number; projInput: number };
  groups: number;
}

/** diffusers AutoencoderKL. */
export interface VaeConfig {
  kind: 'vae';
  blockOut: number[];
  layersPerBlock: number;
  latentChannels: number;
  /** quant_conv / post_quant_conv 1×1 convs (SD, SDXL yes; FLUX no). */
  quantConv: boolean;
  groups: number;
}

/** FLUX.1 MMDiT (FluxTransformer2DModel). */
export interface FluxConfig {
  kind: 'flux';
  doubleLayers: number;
  singleLayers: number;
  heads: number;
  headDim: number;
  /** Packed latent channels (16 latent × 2×2 patch = 64). */
  inChannels: number;
  jointDim: number;
  pooledDim: number;
  guidanceEmbeds: boolean;
  mlpRatio: number;
}

/** A text encoder inside a diffusion pipeline, with the sequence length the pipeline uses. */
export interface PipelineTextEncoder {
  /** Component name in the pipeline (`text_encoder`, `text_encoder_2`). */
  name: string;
  arch: ClipTextConfig | T5Config;
  seqLen: number;
}

/** A diffusers pipeline: text encoders + denoiser + VAE, with the pipeline's call defaults. */
export interface PipelineConfig {
  kind: 'pipeline';
  textEncoders: PipelineTextEncoder[];
  denoiser: UnetConfig | FluxConfig;
  vae: VaeConfig;
  /** Spatial down-sampling from pixels to latents (8). */
  vaeScale: number;
  defaults: { height: number; width: number; steps: number; guidance: number };
  /** Guidance is an embedded input (FLUX.1 dev) or absent (schnell): no CFG batch doubling. */
  guidanceDistilled: boolean;
}

export type ArchConfig =
  | DecoderConfig | EncoderConfig | T5Config | WhisperConfig | VitConfig | ClipTextConfig | ClipConfig
  | ResnetConfig | VggConfig | MobilenetV2Config | MobilenetV3Config | EfficientnetConfig | ConvnextConfig | SwinConfig | DpnConfig
  | UnetConfig | VaeConfig | FluxConfig | PipelineConfig;

export type ArchKind = ArchConfig['kind'];

/** A published parameter count, for tests and for the hover ("published: 8.03 B"). */
export interface PublishedCount {
  /** Total parameters as published (exact integer, or the rounded headline figure). */
  total: number;
  /** True when `total` is an exact count (e.g. `model.num_parameters()`, safetensors metadata). */
  exact: boolean;
  source: SourceRef;
  /** MoE: parameters active per token. */
  active?: number;
  /** Per-component published counts (pipelines, CLIP towers). */
  components?: Record<string, number>;
  note?: string;
}

/** A published forward cost, in multiply-accumulates (what torchvision/ptflops call "GFLOPS"/"GMac"). */
export interface PublishedMacs {
  macs: number;
  imageSize?: number;
  seqLen?: number;
  source: SourceRef;
  /** Whether the figure counts attention matmuls (torchvision's ViT figures do; ptflops' do not). */
  includesAttention?: boolean;
}

export type LookupHint = 'hf' | 'torchvision' | 'timm' | 'diffusers';

export interface CatalogEntry {
  /** Canonical id: an HF repo id, `torchvision/<fn>` or `timm/<name>`. */
  id: string;
  /** Display name. */
  name: string;
  family: string;
  task: 'text-generation' | 'fill-mask' | 'text2text' | 'speech' | 'image-classification' | 'zero-shot-image' | 'text-to-image';
  arch: ArchConfig;
  /** Names this entry answers to, per namespace (matched case-insensitively). */
  aliases: Partial<Record<LookupHint, string[]>>;
  /** Where the architecture numbers come from (config.json URL, constructor, paper table). */
  configSource: SourceRef;
  published: PublishedCount;
  publishedMacs?: PublishedMacs;
  /** Native input: sequence length / image size the model was built for. */
  defaults?: { seqLen?: number; imageSize?: number };
  /** LoRA target modules PEFT uses by default for this architecture. */
  loraTargets?: string[];
  notes?: string[];
}

// ---------------------------------------------------------------------------------------------------
// Builder options and results

export interface LoraOptions {
  /** Adapter rank. */
  r: number;
  alpha?: number;
  /**
   * Module names (last path segment, e.g. `q_proj`) the adapters wrap; `all-linear` wraps every
   * linear layer but the LM head (PEFT's convention). Default: the entry's `loraTargets`.
   */
  targetModules?: string[];
}

export type Recompute = 'none' | 'selective' | 'full';

export interface BuildOptions {
  batch: number;
  /** Token models: sequence length (default: the entry's `defaults.seqLen`, else 512). */
  seqLen?: number;
  /** Encoder–decoder models: decoder tokens (the labels' length; default: `seqLen`). */
  targetLen?: number;
  /** Image models: square input size (default: the entry's native size). */
  imageSize?: number;
  /** Compute dtype. */
  dtype: Dtype;
  /** Storage dtype of linear weights inside blocks when quantised (int8/int4) or different from `dtype`. */
  weightDtype?: Dtype;
  mode: 'train' | 'infer';
  lora?: LoraOptions;
  recompute?: Recompute;
  /** Fused SDPA / FlashAttention (no S×S scores in memory). Default true (PyTorch SDPA is the HF default). */
  flashAttention?: boolean;
  /** Classifier classes (torchvision/timm `num_classes`) replacing the entry's head. */
  classes?: number;
  /** Pipelines: build only this component (`text_encoder`, `text_encoder_2`, `unet`/`transformer`, `vae`). */
  component?: string;
  /** Encoders loaded as `…ForMaskedLM`: build the masked-LM head. */
  maskedLm?: boolean;
}

export interface BuiltModel {
  /** Ops of ONE forward call (count 1, phase `forward`). */
  ops: Op[];
  params: number;
  trainableParams: number;
  /** MoE: parameters touched per token (router + top-k experts + shared). Equals `params` for dense models. */
  activeParams: number;
  /** Training: activations kept for backward (bytes); inference: peak transient working set. */
  activationBytes: number;
  notes: string[];
}

export interface CrossCheck { name: string; flops: number; note: string }

/** What every workload helper returns. */
export interface ZooWorkload {
  ops: Op[];
  params: number;
  trainableParams: number;
  memory: Partial<MemoryBreakdown>;
  crossChecks?: CrossCheck[];
  notes: string[];
  /** Totals the projection and the views can show directly (per iteration unless stated). */
  totals: {
    forwardFlops: number;
    backwardFlops: number;
    /** Extra forward FLOPs spent recomputing activations (0 unless recompute). */
    recomputeFlops: number;
    /** Iterations of the run (training steps, or 1 generate()/pipeline call). */
    steps: number;
    /** Whole-run FLOPs (forward + backward + recompute) × steps. */
    runFlops: number;
    /** Tokens per iteration (LLMs). */
    tokensPerStep?: number;
    /** Forward + backward FLOPs per token (training) or forward FLOPs per generated token (decode). */
    flopsPerToken?: number;
    /** MoE: parameters active per token. */
    activeParams?: number;
  };
}

export interface LlmTrainingOptions {
  batch: number;
  seqLen: number;
  gradAccum?: number;
  dtype: Dtype;
  /** Base weight storage (QLoRA: `int4`; 8-bit LoRA: `int8`). Default: `dtype`. */
  weightDtype?: Dtype;
  lora?: LoraOptions;
  recompute?: Recompute;
  flashAttention?: boolean;
  /** Optimizer (default AdamW). Determines optimizer-state bytes per trainable parameter. */
  optimizer?: 'adamw' | 'adamw-8bit' | 'sgd' | 'sgd-momentum';
  steps?: number;
  /** Tokens to train on; steps = ceil(tokenBudget / tokens per step). */
  tokenBudget?: number;
}

/** Weight quantisation schemes and their effective bits per quantised weight (scales included). */
export type QuantScheme = 'none' | 'bnb-int8' | 'bnb-nf4' | 'gptq' | 'awq';

export interface LlmInferenceOptions {
  batch: number;
  promptTokens: number;
  newTokens: number;
  dtype: Dtype;
  /** Linear-weight storage: int8 (bitsandbytes 8-bit), int4 (bnb 4-bit, GPTQ, AWQ), fp8, or 16-bit. */
  weightDtype?: Dtype;
  /** Quantisation scheme (scale/zero overhead); inferred from `weightDtype` when absent. */
  quant?: QuantScheme;
  /** KV-cache element type (default `dtype`). */
  kvDtype?: Dtype;
  flashAttention?: boolean;
}

export interface DiffusionOptions {
  batch: number;
  height?: number;
  width?: number;
  steps?: number;
  /** Guidance scale; > 1 enables classifier-free guidance (doubles the denoiser batch) unless guidance-distilled. */
  guidance?: number;
  dtype: Dtype;
  flashAttention?: boolean;
}
