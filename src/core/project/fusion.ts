/**
 * Horizontal GEMM fusion of graph runtimes. TensorRT merges layers that read the same input tensor into one kernel
 * ("horizontal layer fusion", TensorRT developer guide, Optimizing performance: layer fusion), and the LLM serving
 * runtimes load sibling projections as one matrix (TensorRT-LLM and vLLM: fused QKV, gate/up merged into one
 * column-parallel GEMM). An eager or compiled PyTorch model keeps one kernel per `nn.Linear`.
 *
 * A sibling is a weight GEMM directly after another one of the same module (same parent path), in the same phase,
 * dtype and call count, reading an input of the same size: `q_proj`, `k_proj`, `v_proj` of one attention block,
 * `gate_proj` and `up_proj` of one MLP. Its work joins the first GEMM's kernel: no launch and no ramp of its own,
 * and the shared input is read once.
 */
import type { Op } from '../types';

const fin = (x: unknown): number => (typeof x === 'number' && Number.isFinite(x) && x > 0 ? x : 0);

/** The module path an op belongs to: its name without the last component (`a.b.q_proj` → `a.b`). */
function parentOf(name: string): string {
  const i = name.lastIndexOf('.');
  return i > 0 ? name.slice(0, i) : '';
}

/**
 * Per op, the input bytes it shares with the GEMM before it when it is that GEMM's horizontal sibling (0 when it is
 * not). `weightBytes(op)` gives the bytes of an op's weights per call.
 */
export function horizontalSiblings(ops: readonly Op[], weightBytes: (o: Op) => number): Float64Array {
  const shared = new Float64Array(ops.length);
  const inputOf = (o: Op): number => Math.max(0, fin(o.bytesRead) - weightBytes(o));
  for (let i = 1; i < ops.length; i++) {
    const a = ops[i - 1];
    const b = ops[i];
    if (a.opClass !== 'gemm' || b.opClass !== 'gemm' || a.phase !== b.phase || a.dtype !== b.dtype || fin(a.count) !== fin(b.count)) continue;
    if (!(weightBytes(a) > 0 && weightBytes(b) > 0)) continue;
    const parent = parentOf(String(b.name ?? ''));
    if (!parent || parent !== parentOf(String(a.name ?? '')) || a.name === b.name) continue;
    const input = inputOf(b);
    if (input > 0 && Math.abs(input - inputOf(a)) <= 1e-6 * input) shared[i] = input;
  }
  return shared;
}
