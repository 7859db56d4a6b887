/**
 * Tensor-core GEMMs whose matrix dimensions are not a multiple of 16 bytes.
 *
 * cuBLAS's fast tensor-core kernels load their operands in 128-bit (16-byte) vectors, so the leading dimensions of
 * the matrices (a Linear's in and out features) must be multiples of 8 elements in fp16/bf16, 4 in TF32 and 16 in
 * int8/fp8 ("Tensor Core Requirements", NVIDIA Deep Learning Performance Guide, Matrix Multiplication Background and
 * Linear/Fully-Connected Layers User's Guides, https://docs.nvidia.com/deeplearning/performance/; the cuBLAS
 * documentation's tensor-op restrictions). Otherwise cuBLAS falls back to kernels with narrow loads, or in old
 * releases to CUDA cores. The best-known case is a language model's output layer over an odd vocabulary (GPT-2's
 * 50,257 tokens, BERT's 30,522): its three GEMMs (logits, input gradient, weight gradient) all touch the odd dimension.
 *
 * How much slower, measured: nanoGPT commit 77e7e04c (A. Karpathy, 2023-02-04, 8× A100 40GB class, PyTorch 2.0
 * nightly, bf16): padding the vocabulary 50,257 → 50,304 "about 25% faster" for the whole GPT-2 124M step, the
 * output layer having been "about 40% of latency". 40% of the step that becomes 1/1.25 = 80% of it means the layer
 * went from 0.40 to 0.20 of the old step: the unaligned GEMMs ran at HALF the rate of the aligned ones
 * (`UNALIGNED_GEMM_SCALE`). That measurement, not any validation row, sets the factor.
 *
 * Who pays it: eager PyTorch (ATen calls cuBLAS with the tensors as they are). torch.compile's Inductor pads the
 * operands of such matmuls (`torch._inductor.config.shape_padding`, on by default in the releases after 2.0; torch
 * 2.0's Inductor had it off) unless the script turns it off (RunSpec.matmulPadding === false). Graph runtimes
 * (TensorRT, llama.cpp) choose padded formats themselves. CPUs, Apple GPUs and CUDA-core (fp32 without TF32) GEMMs
 * have no such requirement.
 */
import type { HardwareProfile } from '../hardware/types';
import type { Op, RunSpec } from '../types';
import type { ResolvedPeak } from './peaks';
import type { Runtime } from './efficiency';

/** Rate of a tensor-core GEMM with an unaligned dimension, relative to an aligned one (nanoGPT's measurement, above). */
export const UNALIGNED_GEMM_SCALE = 0.5;

/** Elements per 16 bytes at the tensor-core dtype an op's peak resolved to. */
const ALIGN_ELEMENTS: Partial<Record<string, number>> = { fp16: 8, bf16: 8, tf32: 4, fp8: 16, int8: 16, fp4: 32 };

/**
 * The GEMM's inner (K) and outer (N) feature dimensions, from its output shape and forward FLOPs
 * (2 · rows · K · N), when they are whole numbers; undefined otherwise.
 */
export function gemmFeatureDims(op: Pick<Op, 'outputShape' | 'forwardFlops'>): { k: number; n: number } | undefined {
  const shape = op.outputShape ?? [];
  if (shape.length === 0 || !(op.forwardFlops > 0)) return undefined;
  const n = shape[shape.length - 1];
  let numel = 1;
  for (const d of shape) numel *= d;
  if (!(n > 0) || !(numel > 0) || !Number.isFinite(numel)) return undefined;
  const k = op.forwardFlops / (2 * numel);
  if (!Number.isInteger(n) || Math.abs(k - Math.round(k)) > 1e-6 || Math.round(k) < 1) return undefined;
  return { k: Math.round(k), n };
}

/**
 * The element multiple a GEMM op's feature dimensions miss at the given tensor-core dtype, or 0 when they are
 * aligned (or unknown: no penalty without evidence). Device-independent part of the rule, for cost keys.
 */
export function misalignedMultiple(op: Pick<Op, 'opClass' | 'outputShape' | 'forwardFlops'>, peakDtype: string): number {
  if (op.opClass !== 'gemm') return 0;
  const m = ALIGN_ELEMENTS[peakDtype];
  if (!m) return 0;
  const dims = gemmFeatureDims(op);
  if (!dims) return 0;
  return dims.k % m !== 0 || dims.n % m !== 0 ? m : 0;
}

/** A GEMM's feature dimensions modulo 32 (every alignment multiple divides 32), for cost keys; '' when not a GEMM. */
export function alignmentKey(op: Pick<Op, 'opClass' | 'outputShape' | 'forwardFlops'>): string {
  const dims = op.opClass === 'gemm' ? gemmFeatureDims(op) : undefined;
  return dims ? `${dims.k % 32},${dims.n % 32}` : '';
}

/** Multiplier of a GEMM op's compute efficiency on `hw` for its feature-dimension alignment (1 or UNALIGNED_GEMM_SCALE). */
export function alignmentScale(
  hw: HardwareProfile, op: Pick<Op, 'opClass' | 'outputShape' | 'forwardFlops'>, peak: ResolvedPeak, runtime: Runtime,
  run: Pick<RunSpec, 'matmulPadding'>,
): number {
  if (hw.kind !== 'gpu' || hw.tier === 'apple-gpu' || runtime === 'graph') return 1;
  if (runtime === 'compiled' && run.matmulPadding !== false) return 1;
  // CUDA-core GEMMs (fp32 without TF32) have no vector-width requirement.
  const fp32 = hw.peakFlops.fp32;
  if (fp32 !== undefined && fp32 > 0 && peak.flops <= fp32 * 1.001) return 1;
  return misalignedMultiple(op, peak.dtype) > 0 ? UNALIGNED_GEMM_SCALE : 1;
}

/**
 * The projection note for an unaligned GEMM (one sentence per kind of fix; the op's dimensions named so the user
 * can pad them). Only called for ops `alignmentScale` slowed down.
 */
export function alignmentNote(op: Pick<Op, 'name' | 'outputShape' | 'forwardFlops'>, runtime: Runtime): string {
  const dims = gemmFeatureDims(op);
  const what = dims ? `${dims.k} → ${dims.n}` : 'its';
  const fix = runtime === 'compiled' ? 'torch.compile pads them unless shape_padding is off' : 'pad the dimension (a vocabulary) to a multiple of 64, or torch.compile pads it';
  return `Tensor-core GEMMs with features not a multiple of 16 bytes run at about half rate (${op.name || 'a layer'}: ${what}); ${fix}.`;
}
