/**
 * The data contracts of the pure core. Everything here is plain, serialisable data:
 * the extension host, the webviews, the CLI and the tests all read these shapes.
 *
 * Units: seconds, bytes, FLOPs (a multiply-add counts as 2), FLOP/s, bytes/s. Formatting
 * into ms / GB / TFLOP/s happens only in views.
 */

import type { Serving } from './serve/types';

/** Numeric element types FlopLens distinguishes. `tf32` is only a compute mode for fp32 tensors. */
export type Dtype = 'fp32' | 'tf32' | 'fp16' | 'bf16' | 'fp8' | 'fp4' | 'int8' | 'int4';

/** Bytes per element of each dtype (tf32 tensors are stored as fp32). */
export const DTYPE_BYTES: Record<Dtype, number> = {
  fp32: 4, tf32: 4, fp16: 2, bf16: 2, fp8: 1, fp4: 0.5, int8: 1, int4: 0.5,
};

/** Where a value the analysis relies on came from, most trusted first. */
export type Provenance = 'directive' | 'literal' | 'inferred' | 'catalog' | 'setting' | 'default';

/** A place in a source file. Lines are 1-based, columns 0-based, offsets are UTF-16 code-unit offsets. */
export interface Loc {
  /** Workspace-relative or absolute path of the file; absent for the main document. */
  file?: string;
  from: number;
  to: number;
  line: number;
  col: number;
  endLine: number;
  endCol: number;
}

export type Severity = 'error' | 'warning' | 'info';

/** Something the analysis could not do, or did with a caveat. Never thrown; always returned. */
export interface Problem {
  severity: Severity;
  /** Stable machine-readable code, e.g. `syntax`, `unknown-layer`, `shape-fallback`, `budget`, `directive`. */
  code: string;
  message: string;
  loc?: Loc;
}

/** A value the analysis relies on, with its provenance. */
export interface Assumption {
  /** Short key, e.g. `batch`, `seq`, `dtype`, `steps`, `epochs`, `dataset`, `optimizer`. */
  name: string;
  value: number | string | boolean;
  unit?: string;
  source: Provenance;
  /** Human sentence: why this value, e.g. "DataLoader(batch_size=64) at line 40". */
  note?: string;
  loc?: Loc;
}

/**
 * Operation classes; efficiency and launch-overhead models key on this.
 * gemm: Linear / matmul / bmm / einsum; conv: convolutions; attention: fused SDPA;
 * norm: batch/layer/group/rms norm; elementwise: activations, adds, dropout, softmax;
 * reduction: mean/sum/pool; embedding: lookups; rnn: LSTM/GRU/RNN (sequential GEMMs);
 * memory: copies, cat, contiguous, transposes that move data; loss: criterion; optimizer: the step.
 */
export type OpClass =
  | 'gemm' | 'conv' | 'attention' | 'norm' | 'elementwise' | 'reduction'
  | 'embedding' | 'rnn' | 'pool' | 'memory' | 'loss' | 'optimizer';

/** Which phase of the workload an op belongs to. LLM inference splits prefill and decode. */
export type Phase = 'forward' | 'prefill' | 'decode' | 'optimizer' | 'encode' | 'denoise' | 'decode-vae';

/**
 * One costed operation as it executes in ONE model call (one micro-batch forward).
 * `count` says how many times it runs per training/inference iteration (micro-batches, repeated
 * model calls, decode tokens, diffusion steps...). Totals per iteration are value × count.
 */
export interface Op {
  /** Op kind from the op table, e.g. `linear`, `conv2d`, `sdpa`, `matmul`, `layer_norm`, `relu`. */
  kind: string;
  opClass: OpClass;
  /** Dotted module path (`transformer.h.3.attn.c_attn`) or a functional label (`F.relu`). */
  name: string;
  /** Python-side class or function as written (`nn.Linear`, `F.scaled_dot_product_attention`). */
  label: string;
  /** Call site (forward) when traced; constructor site otherwise. */
  loc?: Loc;
  /** Where the module was constructed, when it is a module. */
  declLoc?: Loc;
  inputShapes: number[][];
  outputShape: number[];
  /** Parameters owned by this op's module, counted only on its first call (0 on repeated calls, tied weights once). */
  params: number;
  /** Parameters that receive gradients (0 for frozen / LoRA-frozen weights). */
  trainableParams: number;
  forwardFlops: number;
  /** FLOPs of the backward pass for this op (≈2× forward for GEMMs; input-grad only for frozen weights). */
  backwardFlops: number;
  /** Bytes read from memory by the forward (weights + inputs). */
  bytesRead: number;
  /** Bytes written by the forward (outputs). */
  bytesWritten: number;
  /** Bytes of activations kept for backward when training. */
  savedBytes: number;
  dtype: Dtype;
  count: number;
  phase: Phase;
  /** False when shapes were not traced and the op was costed from constructor arguments. */
  traced: boolean;
  /** For attention ops: whether the causal half-counting convention was applied. */
  causal?: boolean;
  /** Small free-form note shown in hovers (e.g. "causal: attention FLOPs halved"). */
  note?: string;
}

/** A module (class) or model the user defined or loaded: for hovers and CodeLens. */
export interface ModuleSummary {
  /** Class name or catalog id. */
  name: string;
  /** `class` for nn.Module subclasses, `catalog` for from_pretrained/torchvision/timm, `layer` for instances of nn layers. */
  kind: 'class' | 'catalog' | 'layer' | 'loop';
  loc?: Loc;
  params: number;
  trainableParams: number;
  /** Forward FLOPs for one call of this module at the traced shapes (0 when never called; see `traced`). */
  forwardFlops: number;
  bytes: number;
  outputShape?: number[];
  traced: boolean;
}

/** An operation the analysis saw but could not cost: never a silent zero. */
export interface Uncounted {
  name: string;
  reason: string;
  loc?: Loc;
}

export type RunMode = 'train' | 'infer';

/** What the script runs: derived from the source, directives and settings. */
export interface RunSpec {
  mode: RunMode;
  /** Samples per model call. */
  batch: number;
  /** Model calls per optimizer step (gradient accumulation). */
  microBatches: number;
  /** Sequence length for token models, when known. */
  seqLen?: number;
  /** Compute dtype of the bulk of the model (autocast / .half() / .to(bf16) / default fp32). */
  dtype: Dtype;
  /** True when the script enables TF32 for fp32 matmuls (torch.backends.cuda.matmul.allow_tf32, set_float32_matmul_precision('high')). */
  allowTf32: boolean;
  optimizer?: string;
  /** Optimizer state bytes per trainable parameter (Adam 8 in fp32, SGD+momentum 4, 8-bit Adam 2, SGD 0). */
  optimizerBytesPerParam: number;
  /** Iterations in the whole run. */
  steps: number;
  /** Forward FLOPs of periodic evaluation inside the training loop over the whole run: not in the step, added to the run. */
  periodicForwardFlops?: number;
  epochs?: number;
  datasetSize?: number;
  datasetName?: string;
  /** Tokens processed per iteration (LLMs). */
  tokensPerStep?: number;
  /** Requested device in the script (`cuda`, `cpu`, `mps`), when visible. */
  device?: string;
  /** DataLoader pin_memory / non_blocking copies. */
  pinMemory?: boolean;
  /** A torch DataLoader feeds the loop with this many worker processes (`num_workers`, 0 = the main process). */
  loaderWorkers?: number;
  /** The image dataset's torchvision transforms in order (`?` for a lambda or the script's own callable), when seen. */
  inputTransforms?: string[];
  /** The samples are image files decoded per sample (ImageFolder, ImageNet), not arrays held in memory. */
  inputDecode?: boolean;
  /** Input bytes copied host→device per iteration. */
  inputBytesPerStep: number;
  /** Activation recomputation: none, selective or full. */
  recompute?: 'none' | 'selective' | 'full';
  /** For generation: prompt tokens and new tokens. */
  promptTokens?: number;
  newTokens?: number;
  /** Unit of throughput for this workload: samples, tokens or images. */
  throughputUnit: 'samples/s' | 'tokens/s' | 'images/s';
  /** Items (samples/tokens/images) produced per iteration, for throughput. */
  itemsPerStep: number;
  /** GPUs the script asks for (DDP world size, device_map) or the user sets; default 1. */
  devices?: number;
  /**
   * What `batch`, `itemsPerStep`, `inputBytesPerStep`, `tokensPerStep` and the ops describe when `devices` > 1:
   * `device` (default) — one data-parallel rank's step, as in a DDP/FSDP script where each of `devices` processes
   * runs it (the job does `devices` × the work); `global` — the whole job's step, split across `devices`
   * (a script or directive that states the global batch, e.g. "16M tokens per step on 16,384 GPUs").
   */
  batchScope?: 'device' | 'global';
  /**
   * How kernels are issued: `eager` PyTorch (default); `compiled` when the model goes through `torch.compile`
   * (fused vector ops, fewer launches); `graph` for CUDA graphs or non-PyTorch runtimes (TensorRT, llama.cpp).
   */
  runtime?: 'eager' | 'compiled' | 'graph';
  /** False when the script turns off torch.compile's padding of unaligned matmul operands (`torch._inductor.config.shape_padding = False`; project/gemmAlignment.ts). */
  matmulPadding?: boolean;
}

/** Memory of one training/inference step, bytes. */
export interface MemoryBreakdown {
  weights: number;
  gradients: number;
  optimizer: number;
  activations: number;
  inputs: number;
  kvCache: number;
  /** Framework / CUDA context overhead; device-independent part. */
  overhead: number;
  peakBytes: number;
}

/** The work of one iteration, and of the run. Produced by analysis, read by projection. */
export interface Workload {
  run: RunSpec;
  ops: Op[];
  memory: MemoryBreakdown;
  /** Totals per iteration (all micro-batches and model calls). */
  params: number;
  trainableParams: number;
  forwardFlops: number;
  backwardFlops: number;
  /** Extra forward FLOPs spent on activation recomputation per iteration (0 unless recompute). */
  recomputeFlops: number;
}

/** A low–mid–high band. */
export interface Band { low: number; mid: number; high: number }

export type Bound = 'compute' | 'memory' | 'overhead' | 'transfer' | 'communication' | 'data';

/** One device's projection of the workload. */
export interface Projection {
  hardwareId: string;
  hardwareName: string;
  kind: 'cpu' | 'gpu';
  stepSeconds: Band;
  runSeconds: Band;
  bound: Bound;
  /** Share of the mid step time by cause; sums to 1 (`data`: waiting for the host's input pipeline, when modelled). */
  shares: { compute: number; memory: number; overhead: number; transfer: number; communication: number; data?: number };
  fits: boolean;
  /** Fewest devices of this kind that hold the step's memory (1 when it fits). */
  devicesNeeded: number;
  /** Devices the projection assumes (max of devicesNeeded and the script's request). */
  devicesUsed: number;
  /** Devices the script (or a directive) asks for; `devicesUsed` exceeds it only when the step does not fit on them. */
  devicesAsked?: number;
  /**
   * Set on the CPU the verdict is judged against (the user's own machine): `measured` this-machine, a CPU from the
   * `setting`, a `listed` laptop/desktop CPU of the comparison, or the default laptop CPU `assumed` and projected for
   * the verdict only (then added to the projections so every view shows the CPU the verdict names).
   */
  userMachine?: 'measured' | 'setting' | 'listed' | 'assumed';
  memoryBytes: number;
  capacityBytes: number;
  costUsd?: Band;
  energyJoules: Band;
  /** Model FLOPs utilisation at the mid estimate (model FLOPs / (devices × dense peak for the dtype)). */
  mfu: number;
  throughput: { value: number; unit: string };
  /** Dtype whose peak was used, and that peak (FLOP/s) per device. */
  computeDtype: Dtype;
  peakFlops: number;
  notes: string[];
  /**
   * Mid time in seconds of ONE call of each op (forward + backward when training), in the order of
   * `Workload.ops` / `Analysis.ops`; multiply by `Op.count` for the op's share of a step. Launch and
   * dispatch overhead included; communication, transfer and the optimizer step are not per-op.
   */
  opSeconds: number[];
}

export interface Verdict {
  /** One plain sentence, with its reason. */
  summary: string;
  bestCpu?: string;
  bestGpu?: string;
  /** Mid run time on the best CPU ÷ mid run time on the best GPU. */
  speedup?: number;
  gpuPaysOff: boolean;
  reason: string;
}

/** A whole-run FLOP estimate by a rule of thumb, shown beside the op-by-op total. */
export interface CrossCheck { name: string; flops: number; note: string }

/** The complete result for one document version: the only thing views read. */
export interface Analysis {
  schemaVersion: 1;
  file: string;
  model: {
    name: string;
    params: number;
    trainableParams: number;
    frozenParams: number;
    paramBytes: number;
    source: 'script' | 'catalog' | 'directive' | 'none';
    catalogId?: string;
  };
  step: {
    batch: number;
    microBatches: number;
    seqLen?: number;
    /** Matrix FLOPs (GEMM, conv, attention, RNN) of the forward work of one iteration; a multiply-add is 2. */
    forwardFlops: number;
    /** forwardFlops ÷ 2. */
    forwardMacs: number;
    /** FLOPs of element-wise, normalisation, softmax and pooling ops, not included in forwardFlops. */
    vectorFlops: number;
    backwardFlops?: number;
    /** Forward FLOPs re-run during backward by activation recomputation (gradient checkpointing), when any. */
    recomputeFlops?: number;
    /** forward + backward + recompute. */
    trainFlops?: number;
    bytes: number;
    tokens?: number;
  };
  memory: MemoryBreakdown;
  run: RunSpec & { totalFlops: number };
  /** Cross-checks for LLM-like workloads, shown side by side (6·N·D, 8·N·D). */
  crossChecks?: CrossCheck[];
  ops: Op[];
  modules: ModuleSummary[];
  uncounted: Uncounted[];
  assumptions: Assumption[];
  problems: Problem[];
  projections: Projection[];
  verdict: Verdict;
  /** Inference only: the workload costed as a service (rate, latency, devices, $/M tokens); see src/core/serve. */
  serving?: Serving;
  /** Wall time of the analysis itself, milliseconds. */
  elapsedMs: number;
}
