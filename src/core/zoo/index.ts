/**
 * Known models: the catalog (architecture configs with published parameter counts), lookup by the
 * names scripts use, the one-forward builder and the LLM / diffusion workload helpers.
 */
export type {
  Activation, ArchConfig, ArchKind, BuildOptions, BuiltModel, CatalogEntry, ClipConfig, ClipTextConfig, ConvnextConfig, CrossCheck,
  DecoderConfig, DiffusionOptions, EfficientnetConfig, EncoderConfig, FluxConfig, LlmInferenceOptions, LlmTrainingOptions,
  LookupHint, LoraOptions, MobilenetV2Config, MobilenetV3Config, PipelineConfig, PipelineTextEncoder, PublishedCount, PublishedMacs,
  QuantScheme, Recompute, ResnetConfig, SourceRef, SwinConfig, T5Config, UnetConfig, VaeConfig, VggConfig, VitConfig,
  WhisperConfig, ZooWorkload,
} from './types';
export { CATALOG, listModels, findModel, closestModels, suggestDirective, modelFromDirective, sizeFromName, shapeForParams } from './lookup';
export type { DirectiveModelSpec } from './lookup';
export { buildModel, decoderActivationBytes } from './build';
export type { ActivationBreakdown, DecoderActivationOptions } from './build';
export { llmTrainingWorkload, llmInferenceWorkload, encoderDecoderGenerateWorkload, diffusionWorkload, kvCacheBytes, quantBytesPerWeight, activeParamsOf } from './workloads';
export { entryId, entryName, isTokenModel, defaultSteps, defaultGuidance, defaultImageSize, configFields, paramCounts } from './info';
export { entryFromConfig, configFamily } from './fromConfig';
export type { ConfigModel } from './fromConfig';
