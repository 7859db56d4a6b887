/**
 * Which dense peak an op runs at on a device: PyTorch's defaults and each device's native dtypes.
 *
 * Rules (matrix op classes: gemm, conv, attention, rnn):
 * - fp32 matmuls on CUDA GPUs use CUDA cores (the fp32 peak), NOT TF32, unless the script enables it
 *   (`torch.backends.cuda.matmul.allow_tf32 = True` / `set_float32_matmul_precision('high')` → RunSpec.allowTf32).
 * - cuDNN convolutions and RNNs DO use TF32 by default on Ampere and newer (`torch.backends.cudnn.allow_tf32`
 *   defaults to True), so fp32 conv/rnn use the tf32 peak where the device has one.
 * - An op whose dtype is `tf32` uses the tf32 peak.
 * - fp16/bf16 use tensor/matrix units where the device has that dtype. A GPU without it (T4 has no bf16) runs it at
 *   its fp32 rate; a CPU without native bf16/fp16 instructions runs it at HALF its fp32 rate (conversion to fp32
 *   around every kernel, no native GEMM micro-kernels).
 * - fp8 and int8 use their own peaks where present, else the fp16/bf16 tensor rate (weights are up-cast).
 * - fp4 (NVFP4/MXFP4, torch.float4_e2m1fn_x2) uses the fp4 peak of Blackwell-class tensor cores; elsewhere the
 *   weights are unpacked to fp8 where the device has fp8 (W4A8 kernels, Hopper/Ada), else to fp16/bf16.
 * - int4 (weight-only quantisation) computes in fp16/bf16: uses the fp16 (else bf16) peak.
 * Vector op classes (norms, elementwise, reductions…) run on vector units at the fp32 peak.
 */
import type { Dtype } from '../types';
import type { HardwareProfile } from '../hardware/types';
import type { OpClass } from '../types';
import { EFFICIENCY } from './efficiency';
import { minOf } from '../arrays';
import { matrixUnitPeak } from './matrixUnit';

export interface ResolvedPeak {
  /** The dtype whose peak is used (e.g. `tf32` for an fp32 convolution on an A100). */
  dtype: Dtype;
  /** Dense FLOP/s per device. */
  flops: number;
  /** Set when a fallback rule applied: a short phrase for the projection's notes. */
  fallback?: string;
  /** The op runs on a CPU's matrix coprocessor (matrixUnit.ts), not on its cores. */
  coprocessor?: boolean;
}

const half = (x: number): number => x / 2;

function fp32Of(hw: HardwareProfile): number {
  const p = hw.peakFlops;
  if (p.fp32 && p.fp32 > 0) return p.fp32;
  // A profile without fp32 (custom): best guess from the lowest tensor peak, quartered.
  const others = Object.values(p).filter((v): v is number => typeof v === 'number' && v > 0);
  return others.length > 0 ? minOf(others) / 4 : 1e9;
}

function lowPrecision(hw: HardwareProfile, dtype: 'fp16' | 'bf16'): ResolvedPeak {
  const own = hw.peakFlops[dtype];
  if (own && own > 0) return { dtype, flops: own };
  if (hw.kind === 'cpu') return { dtype: 'fp32', flops: half(fp32Of(hw)), fallback: `${dtype} has no native path on this CPU: half the fp32 rate` };
  return { dtype: 'fp32', flops: fp32Of(hw), fallback: `no ${dtype} tensor cores: runs at the fp32 rate` };
}

/** The peak an op of `opClass` and `dtype` runs at on `hw`, following PyTorch defaults (see the module header). */
export function resolvePeak(hw: HardwareProfile, dtype: Dtype, opClass: OpClass, allowTf32: boolean): ResolvedPeak {
  const p = hw.peakFlops;
  const matrix = EFFICIENCY[hw.kind][opClass]?.matrix ?? false;
  if (!matrix) return { dtype: 'fp32', flops: fp32Of(hw) };
  switch (dtype) {
    case 'fp32':
    case 'tf32': {
      const amx = matrixUnitPeak(hw, dtype, opClass);
      if (amx) return amx;
      const tf32Default = opClass === 'conv' || opClass === 'rnn';
      const wantTf32 = dtype === 'tf32' || allowTf32 || tf32Default;
      if (hw.kind === 'gpu' && wantTf32 && p.tf32 && p.tf32 > 0) return { dtype: 'tf32', flops: p.tf32 };
      return { dtype: 'fp32', flops: fp32Of(hw) };
    }
    case 'fp16':
    case 'bf16':
      return lowPrecision(hw, dtype);
    case 'fp8':
    case 'int8': {
      const own = p[dtype];
      if (own && own > 0) return { dtype, flops: own };
      const lp = p.bf16 && p.bf16 > 0 ? lowPrecision(hw, 'bf16') : lowPrecision(hw, 'fp16');
      return { ...lp, fallback: `no native ${dtype}: ${lp.dtype} rate` };
    }
    case 'fp4': {
      const own = p.fp4;
      if (own && own > 0) return { dtype: 'fp4', flops: own };
      if (p.fp8 && p.fp8 > 0) return { dtype: 'fp8', flops: p.fp8, fallback: 'no native fp4: weights unpacked to fp8, fp8 rate' };
      const lp = p.bf16 && p.bf16 > 0 ? lowPrecision(hw, 'bf16') : lowPrecision(hw, 'fp16');
      return { ...lp, fallback: `no native fp4: ${lp.dtype} rate` };
    }
    case 'int4': {
      const own = p.int4;
      if (own && own > 0) return { dtype: 'int4', flops: own };
      const lp = p.fp16 && p.fp16 > 0 ? lowPrecision(hw, 'fp16') : lowPrecision(hw, 'bf16');
      return { ...lp, fallback: lp.fallback ?? undefined };
    }
    default:
      return { dtype: 'fp32', flops: fp32Of(hw) };
  }
}

/** Vector (non-tensor) fp32 peak of a device, FLOP/s. */
export function vectorPeak(hw: HardwareProfile): number {
  return fp32Of(hw);
}
