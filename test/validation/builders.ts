/**
 * Hand-built Workloads for projection tests and the validation cross-check: builders that fill in every field a
 * test does not care about, composed from the shared primitive cost rules (src/core/ops/primitives.ts).
 * They stand in for the analyser so the projection can be checked against published figures on its own.
 */
import type { Analysis, Dtype, MemoryBreakdown, Op, Phase, RunSpec, Workload } from '../../src/core/types';
import { DTYPE_BYTES } from '../../src/core/types';
import type { Cost } from '../../src/core/ops/primitives';
import { attentionCost, convCost, elementwiseCost, embeddingCost, linearCost, normCost, reduceCost } from '../../src/core/ops/primitives';

/** An op with every field defaulted (a 1-FLOP elementwise op in bf16, count 1). */
export function op(p: Partial<Op> = {}): Op {
  return {
    kind: 'op', opClass: 'elementwise', name: 'op', label: 'op', inputShapes: [], outputShape: [],
    params: 0, trainableParams: 0, forwardFlops: 0, backwardFlops: 0, bytesRead: 0, bytesWritten: 0, savedBytes: 0,
    dtype: 'bf16', count: 1, phase: 'forward', traced: true, ...p,
  };
}

/** A RunSpec with defaults: inference, batch 1, bf16, one step. */
export function runSpec(p: Partial<RunSpec> = {}): RunSpec {
  return {
    mode: 'infer', batch: 1, microBatches: 1, dtype: 'bf16', allowTf32: false, optimizerBytesPerParam: 0, steps: 1,
    inputBytesPerStep: 0, throughputUnit: 'samples/s', itemsPerStep: 1, ...p,
  };
}

export function memory(p: Partial<MemoryBreakdown> = {}): MemoryBreakdown {
  const m: MemoryBreakdown = { weights: 0, gradients: 0, optimizer: 0, activations: 0, inputs: 0, kvCache: 0, overhead: 0, peakBytes: 0, ...p };
  if (!p.peakBytes) m.peakBytes = m.weights + m.gradients + m.optimizer + m.activations + m.inputs + m.kvCache + m.overhead;
  return m;
}

/** A Workload from ops, totals computed from them. */
export function workload(ops: Op[], run: Partial<RunSpec> = {}, mem: Partial<MemoryBreakdown> = {}, extra: Partial<Workload> = {}): Workload {
  const params = ops.reduce((s, o) => s + o.params, 0);
  const trainableParams = ops.reduce((s, o) => s + o.trainableParams, 0);
  const spec = runSpec(run);
  return {
    run: spec,
    ops,
    memory: memory(mem),
    params,
    trainableParams,
    forwardFlops: ops.reduce((s, o) => s + o.forwardFlops * o.count, 0),
    backwardFlops: spec.mode === 'train' ? ops.reduce((s, o) => s + o.backwardFlops * o.count, 0) : 0,
    recomputeFlops: 0,
    ...extra,
  };
}

function fromCost(c: Cost, name: string, dtype: Dtype, count: number, phase: Phase, trainable: boolean, inputShapes: number[][] = []): Op {
  return op({
    kind: c.kind, opClass: c.opClass, name, label: c.kind, inputShapes, outputShape: c.outputShape,
    params: c.params, trainableParams: trainable ? c.params : 0, forwardFlops: c.forwardFlops,
    backwardFlops: c.backwardFlops, bytesRead: c.bytesRead, bytesWritten: c.bytesWritten, savedBytes: c.savedBytes,
    dtype, count, phase, causal: c.causal,
  });
}

export interface TransformerSpec {
  layers: number;
  hidden: number;
  heads: number;
  kvHeads?: number;
  /** FFN width (default 4·hidden). */
  ffn?: number;
  /** SwiGLU-style gated MLP (3 matrices). */
  gated?: boolean;
  vocab: number;
  causal?: boolean;
  norm?: 'layer_norm' | 'rms_norm';
  /** Output head: `lm` (vocab), `none`, or a small classifier width. */
  head?: 'lm' | 'none' | number;
  /** Weight dtype when it differs from the compute dtype (quantised inference). */
  weightDtype?: Dtype;
  /** Stored bits per weight of a block-quantised format (llama.cpp Q4_0 4.5, Q8_0 8.5: 32 weights share an fp16 scale). */
  weightBits?: number;
}

export interface PassSpec {
  batch: number;
  /** Query tokens per sequence in this pass. */
  seqQ: number;
  /** Key tokens (the KV length) per sequence. */
  seqK: number;
  dtype: Dtype;
  count: number;
  phase: Phase;
  trainable: boolean;
  /** Include the loss. */
  loss?: boolean;
  /** Only the last position goes through the LM head (generation). */
  lastTokenHead?: boolean;
}

/** The ops of one transformer forward pass (pre-norm GPT/Llama layout; one op per layer instance). */
export function transformerOps(t: TransformerSpec, p: PassSpec): Op[] {
  const ops: Op[] = [];
  const h = t.hidden, f = t.ffn ?? 4 * h, dh = h / t.heads, kv = t.kvHeads ?? t.heads;
  const rows = [p.batch, p.seqQ];
  const x = [p.batch, p.seqQ, h];
  const lin = (name: string, inF: number, outF: number, shape = x): void => {
    const c = linearCost(shape, inF, outF, { dtype: p.dtype, weightDtype: t.weightDtype, trainable: p.trainable, bias: false });
    // Block scales: the weights are read at the format's stored width, not the dtype's nominal one.
    if (t.weightBits) c.bytesRead += c.params * (t.weightBits / 8 - DTYPE_BYTES[t.weightDtype ?? p.dtype]);
    ops.push(fromCost(c, name, p.dtype, p.count, p.phase, p.trainable, [shape]));
  };
  const norm = t.norm ?? 'layer_norm';
  ops.push(fromCost(embeddingCost(rows, t.vocab, h, p.dtype, p.trainable), 'embed', p.dtype, p.count, p.phase, p.trainable));
  for (let l = 0; l < t.layers; l++) {
    ops.push(fromCost(normCost(norm, x, h, p.dtype), `h.${l}.ln1`, p.dtype, p.count, p.phase, p.trainable));
    lin(`h.${l}.qkv`, h, h + 2 * kv * dh);
    ops.push(fromCost(attentionCost({ batch: p.batch, heads: t.heads, kvHeads: kv, seqQ: p.seqQ, seqK: p.seqK, headDim: dh }, p.dtype, { causal: t.causal ?? true }), `h.${l}.attn`, p.dtype, p.count, p.phase, p.trainable));
    lin(`h.${l}.proj`, h, h);
    ops.push(fromCost(elementwiseCost('add', x, p.dtype, 1, 2, false), `h.${l}.res1`, p.dtype, p.count, p.phase, p.trainable));
    ops.push(fromCost(normCost(norm, x, h, p.dtype), `h.${l}.ln2`, p.dtype, p.count, p.phase, p.trainable));
    lin(`h.${l}.fc1`, h, t.gated ? 2 * f : f);
    ops.push(fromCost(elementwiseCost(t.gated ? 'silu_mul' : 'gelu', [p.batch, p.seqQ, f], p.dtype, t.gated ? 5 : 8, t.gated ? 2 : 1), `h.${l}.act`, p.dtype, p.count, p.phase, p.trainable));
    lin(`h.${l}.fc2`, f, h);
    ops.push(fromCost(elementwiseCost('add', x, p.dtype, 1, 2, false), `h.${l}.res2`, p.dtype, p.count, p.phase, p.trainable));
  }
  ops.push(fromCost(normCost(norm, x, h, p.dtype), 'ln_f', p.dtype, p.count, p.phase, p.trainable));
  const head = t.head ?? 'lm';
  if (head !== 'none') {
    const out = head === 'lm' ? t.vocab : head;
    const hx = p.lastTokenHead ? [p.batch, 1, h] : x;
    lin('head', h, out, hx);
    if (p.loss) ops.push(fromCost(reduceCost('cross_entropy', 'loss', [...hx.slice(0, -1), out], [1], p.dtype, 5), 'loss', p.dtype, p.count, p.phase, p.trainable));
  }
  return ops;
}

export function transformerParams(t: TransformerSpec): number {
  const h = t.hidden, f = t.ffn ?? 4 * h, dh = h / t.heads, kv = t.kvHeads ?? t.heads;
  const perLayer = h * (h + 2 * kv * dh) + h * h + h * (t.gated ? 2 * f : f) + f * h + 2 * h;
  const head = t.head === 'none' ? 0 : t.head === undefined || t.head === 'lm' ? t.vocab * h : (t.head as number) * h;
  return t.vocab * h + t.layers * perLayer + h + head;
}

export interface TrainSpec {
  batch: number;
  seq: number;
  microBatches?: number;
  steps: number;
  dtype?: Dtype;
  devices?: number;
  recompute?: 'none' | 'full';
  runtime?: 'eager' | 'compiled' | 'graph';
  allowTf32?: boolean;
  /** False: compiled code that does not pad unaligned matmul operands (torch 2.0's Inductor). */
  matmulPadding?: boolean;
  /** `global` when batch is the whole job's (split over `devices`); default: per device (DDP ranks). */
  scope?: 'device' | 'global';
}

/** LLM pre-training with AdamW and autocast (fp32 master weights, grads and states: 16 B/param). */
export function transformerTraining(t: TransformerSpec, s: TrainSpec): Workload {
  const dtype = s.dtype ?? 'bf16';
  const micro = s.microBatches ?? 1;
  const ops = transformerOps(t, { batch: s.batch, seqQ: s.seq, seqK: s.seq, dtype, count: micro, phase: 'forward', trainable: true, loss: true });
  const n = transformerParams(t);
  const b = DTYPE_BYTES[dtype];
  // Korthikanti et al.: s·b·h·34 bytes per layer with flash attention (no a·s² term); full recompute keeps 2·s·b·h.
  const perLayer = s.recompute === 'full' ? 2 * s.seq * s.batch * t.hidden : 34 * s.seq * s.batch * t.hidden * (b / 2);
  const acts = t.layers * perLayer + s.batch * s.seq * t.vocab * 4 * 2;
  const w = workload(ops, {
    mode: 'train', batch: s.batch, microBatches: micro, seqLen: s.seq, dtype, allowTf32: !!s.allowTf32, optimizer: 'adamw', optimizerBytesPerParam: 8,
    steps: s.steps, tokensPerStep: s.batch * s.seq * micro, inputBytesPerStep: s.batch * s.seq * 8 * micro, pinMemory: true,
    throughputUnit: 'tokens/s', itemsPerStep: s.batch * s.seq * micro, devices: s.devices, recompute: s.recompute, batchScope: s.scope,
  }, { weights: 4 * n, gradients: 4 * n, optimizer: 8 * n, activations: acts, inputs: s.batch * s.seq * 8 });
  if (s.recompute === 'full') w.recomputeFlops = w.forwardFlops;
  if (s.runtime) w.run.runtime = s.runtime;
  if (s.matmulPadding !== undefined) w.run.matmulPadding = s.matmulPadding;
  return w;
}

export interface GenerateSpec {
  batch: number;
  prompt: number;
  newTokens: number;
  dtype: Dtype;
  steps?: number;
  devices?: number;
}

/** LLM generation: a prefill pass over the prompt, then `newTokens` decode passes at the average KV length. */
export function transformerGenerate(t: TransformerSpec, g: GenerateSpec): Workload {
  const prefill = transformerOps(t, { batch: g.batch, seqQ: g.prompt, seqK: g.prompt, dtype: g.dtype, count: 1, phase: 'prefill', trainable: false, lastTokenHead: true });
  const decode = transformerOps(t, { batch: g.batch, seqQ: 1, seqK: g.prompt + g.newTokens / 2, dtype: g.dtype, count: g.newTokens, phase: 'decode', trainable: false })
    .map((o) => ({ ...o, params: 0 }));
  const n = transformerParams(t);
  const wBytes = n * (t.weightBits ? t.weightBits / 8 : DTYPE_BYTES[t.weightDtype ?? g.dtype]);
  const kv = 2 * t.layers * (t.kvHeads ?? t.heads) * (t.hidden / t.heads) * DTYPE_BYTES[g.dtype] * (g.prompt + g.newTokens) * g.batch;
  return workload([...prefill, ...decode], {
    mode: 'infer', batch: g.batch, seqLen: g.prompt + g.newTokens, dtype: g.dtype, steps: g.steps ?? 1, promptTokens: g.prompt,
    newTokens: g.newTokens, throughputUnit: 'tokens/s', itemsPerStep: g.batch * g.newTokens, devices: g.devices,
    inputBytesPerStep: g.batch * g.prompt * 8,
  }, { weights: wBytes, kvCache: kv, activations: g.batch * g.prompt * t.hidden * DTYPE_BYTES[g.dtype] * 4 });
}

/** Encoder inference (BERT-style: post-norm, non-causal) over `batch × seq`. */
export function encoderInference(t: TransformerSpec, batch: number, seq: number, dtype: Dtype, steps = 1): Workload {
  const ops = transformerOps({ ...t, causal: false }, { batch, seqQ: seq, seqK: seq, dtype, count: 1, phase: 'forward', trainable: false });
  const n = transformerParams(t);
  return workload(ops, { mode: 'infer', batch, seqLen: seq, dtype, steps, throughputUnit: 'samples/s', itemsPerStep: batch, inputBytesPerStep: batch * seq * 8 },
    { weights: n * DTYPE_BYTES[dtype], activations: batch * seq * t.hidden * DTYPE_BYTES[dtype] * 8 });
}

/** torchvision ResNet-50 (v1.5: stride on the 3×3) forward ops for `batch` 224² images. */
export function resnet50Ops(batch: number, dtype: Dtype, trainable: boolean, count = 1, res = 224): Op[] {
  const ops: Op[] = [];
  let shape = [batch, 3, res, res];
  const conv = (name: string, cout: number, k: number, stride: number, pad: number): void => {
    const c = convCost(shape, { dtype, inChannels: shape[1], outChannels: cout, kernel: [k, k], stride: [stride, stride], padding: [pad, pad], dilation: [1, 1], groups: 1, bias: false, trainable });
    ops.push(fromCost(c, name, dtype, count, 'forward', trainable, [shape]));
    shape = c.outputShape;
  };
  const bn = (name: string): void => { ops.push(fromCost(normCost('batch_norm', shape, 2 * shape[1], dtype), name, dtype, count, 'forward', trainable)); };
  const relu = (name: string): void => { ops.push(fromCost(elementwiseCost('relu', shape, dtype), name, dtype, count, 'forward', trainable)); };
  conv('conv1', 64, 7, 2, 3); bn('bn1'); relu('relu');
  const pooled = [batch, 64, Math.floor((shape[2] + 2 - 3) / 2) + 1, Math.floor((shape[3] + 2 - 3) / 2) + 1];
  ops.push(fromCost(reduceCost('max_pool2d', 'pool', shape, pooled, dtype), 'maxpool', dtype, count, 'forward', trainable));
  shape = pooled;
  const stages: [number, number][] = [[3, 64], [4, 128], [6, 256], [3, 512]];
  stages.forEach(([blocks, width], si) => {
    for (let b = 0; b < blocks; b++) {
      const input = shape;
      const stride = b === 0 && si > 0 ? 2 : 1;
      const p = `layer${si + 1}.${b}`;
      conv(`${p}.conv1`, width, 1, 1, 0); bn(`${p}.bn1`); relu(`${p}.relu1`);
      conv(`${p}.conv2`, width, 3, stride, 1); bn(`${p}.bn2`); relu(`${p}.relu2`);
      conv(`${p}.conv3`, width * 4, 1, 1, 0); bn(`${p}.bn3`);
      const out = shape;
      if (b === 0) {
        shape = input;
        conv(`${p}.downsample`, width * 4, 1, stride, 0); bn(`${p}.downsample.bn`);
        shape = out;
      }
      ops.push(fromCost(elementwiseCost('add', shape, dtype, 1, 2, false), `${p}.add`, dtype, count, 'forward', trainable));
      relu(`${p}.relu3`);
    }
  });
  ops.push(fromCost(reduceCost('adaptive_avg_pool2d', 'pool', shape, [batch, 2048], dtype), 'avgpool', dtype, count, 'forward', trainable));
  ops.push(fromCost(linearCost([batch, 2048], 2048, 1000, { dtype, trainable }), 'fc', dtype, count, 'forward', trainable, [[batch, 2048]]));
  return ops;
}

/** ResNet-50 ImageNet training (SGD momentum) or inference. */
export function resnet50(mode: 'train' | 'infer', batch: number, dtype: Dtype, p: { steps?: number; devices?: number; allowTf32?: boolean; pinMemory?: boolean; runtime?: 'eager' | 'compiled' | 'graph' } = {}): Workload {
  const train = mode === 'train';
  const ops = resnet50Ops(batch, dtype, train);
  if (train) ops.push(op({ kind: 'cross_entropy', opClass: 'loss', name: 'loss', forwardFlops: batch * 1000 * 5, backwardFlops: batch * 1000, bytesRead: batch * 1000 * 4, bytesWritten: 4, dtype }));
  const n = 25.557e6;
  const inputBytes = batch * 3 * 224 * 224 * (dtype === 'fp32' || dtype === 'tf32' ? 4 : 2);
  const acts = ops.reduce((s, o) => s + o.savedBytes, 0);
  const w = workload(ops, {
    mode, batch, dtype, allowTf32: !!p.allowTf32, optimizer: train ? 'sgd' : undefined, optimizerBytesPerParam: train ? 4 : 0,
    steps: p.steps ?? 1, inputBytesPerStep: inputBytes, pinMemory: p.pinMemory ?? true, throughputUnit: 'images/s', itemsPerStep: batch, devices: p.devices,
  }, { weights: 4 * n, gradients: train ? 4 * n : 0, optimizer: train ? 4 * n : 0, activations: train ? acts : acts / 10, inputs: inputBytes });
  if (p.runtime) w.run.runtime = p.runtime;
  return w;
}

export const MODELS = {
  gpt2: { layers: 12, hidden: 768, heads: 12, vocab: 50304 } satisfies TransformerSpec,
  gpt3: { layers: 96, hidden: 12288, heads: 96, vocab: 50257 } satisfies TransformerSpec,
  gptj6b: { layers: 28, hidden: 4096, heads: 16, vocab: 50400 } satisfies TransformerSpec,
  mpt7b: { layers: 32, hidden: 4096, heads: 32, vocab: 50432 } satisfies TransformerSpec,
  llama2_7b: { layers: 32, hidden: 4096, heads: 32, ffn: 11008, gated: true, vocab: 32000, norm: 'rms_norm' } satisfies TransformerSpec,
  llama2_70b: { layers: 80, hidden: 8192, heads: 64, kvHeads: 8, ffn: 28672, gated: true, vocab: 32000, norm: 'rms_norm' } satisfies TransformerSpec,
  llama3_405b: { layers: 126, hidden: 16384, heads: 128, kvHeads: 8, ffn: 53248, gated: true, vocab: 128256, norm: 'rms_norm' } satisfies TransformerSpec,
  gpt1t: { layers: 128, hidden: 25600, heads: 160, vocab: 51200 } satisfies TransformerSpec,
  bertBase: { layers: 12, hidden: 768, heads: 12, vocab: 30522, head: 2, causal: false } satisfies TransformerSpec,
};

/** The Workload behind an Analysis (the analyser's own input to `project`). */
export function workloadOf(a: Analysis): Workload {
  const { totalFlops: _total, ...run } = a.run;
  const forwardFlops = a.step.forwardFlops;
  const backwardFlops = a.step.backwardFlops ?? 0;
  const recomputeFlops = Math.max(0, (a.step.trainFlops ?? 0) - forwardFlops - backwardFlops);
  return {
    run: run as RunSpec, ops: a.ops, memory: a.memory, params: a.model.params, trainableParams: a.model.trainableParams,
    forwardFlops, backwardFlops, recomputeFlops,
  };
}
