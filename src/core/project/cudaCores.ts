/**
 * Convolutions on a GPU's CUDA cores (fp32 where the GPU has no TF32: V100, T4, P100, GeForce 10/20 series; or any
 * convolution the device runs at its fp32 vector rate).
 *
 * The GPU conv class efficiency (efficiency.ts, ≈0.7 × the GEMM class, FITTED on tensor-core runs) carries costs that
 * belong to tensor-core convolutions: cuDNN's tensor-core kernels want NHWC and channel counts that are multiples of
 * 8, so NCHW PyTorch tensors are transposed around them and small or odd channel counts are padded or under-fill the
 * MMA tiles (NVIDIA Deep Learning Performance Guide, "Convolutional Layers User's Guide", sections "Tensor Core
 * Requirements" and "Data Layouts", https://docs.nvidia.com/deeplearning/performance/dl-performance-convolutional/,
 * read 2026-12). FP32 convolutions on CUDA cores run NCHW implicit-GEMM, FFT and Winograd kernels directly, with none
 * of these, and at a peak 8–16× lower the operands feed the ALUs as easily as they feed an SGEMM; for 3×3 layers
 * cuDNN's Winograd kernels even do 2.25–4× fewer multiplications than the direct count FlopLens charges (Lavin and
 * Gray 2016, "Fast Algorithms for Convolutional Neural Networks", arXiv 1509.09308: effective fp32 rates above the
 * device peak on VGG layers). So a convolution at the fp32 CUDA-core rate takes the GEMM class efficiency, not the
 * conv one (no Winograd credit is taken: which layers get it depends on cuDNN's heuristics). Apple GPUs (MPS) are
 * not cuDNN and keep their class efficiency; CPUs are not concerned.
 */
import type { HardwareProfile } from '../hardware/types';
import type { OpClass } from '../types';
import { EFFICIENCY } from './efficiency';

/** Multiplier of an op class's compute efficiency for a kernel resolved to `peakFlops` on `hw` (1 unless a CUDA-core conv). */
export function cudaCoreScale(hw: HardwareProfile, opClass: OpClass, peakFlops: number): number {
  if (hw.kind !== 'gpu' || hw.tier === 'apple-gpu' || opClass !== 'conv') return 1;
  const fp32 = hw.peakFlops.fp32;
  if (!(fp32 !== undefined && fp32 > 0 && peakFlops <= fp32 * 1.001)) return 1;
  const { gemm, conv } = EFFICIENCY.gpu;
  return gemm.compute.mid / conv.compute.mid;
}
