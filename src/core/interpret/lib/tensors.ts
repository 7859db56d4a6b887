/**
 * Tensors: torch functions, F.* and tensor methods through the op table (shape rule and cost recorded as an
 * op), indexing, and torch's runtime settings (seeds, devices, dtypes, TF32, save/load).
 */
import type { Dtype, Loc, Phase } from '../../types';
import { DTYPE_BYTES } from '../../types';
import type { Arg, CallContext, ModuleArg, TensorArg, OpOutcome } from '../../ops/registry';
import { isOpError } from '../../ops/registry';
import type { Cost } from '../../ops/primitives';
import { prod } from '../../ops/primitives';
import { broadcastShapes } from '../../ops/shapes';
import { FUNCTIONS, METHODS } from '../../ops';
import { UNKNOWN, UNKNOWN_SEQ, unknown, dtypeOf, isKind, isSeq, isUnknown, isNum, isTensorV, rangeLen, tuple, tensor } from '../values';
import type { Value, ParamValue, ListValue, UnknownValue } from '../values';
import { statedLength } from './folders';
import { lastBatchRows } from '../unsized';
import type { Route } from './dispatch';
import type { Library } from './library';
import { fmt } from './util';
import { CONSTANT_ARRAYS } from './numeric';
import { resetObservation } from './rl';
import { maxOf, pushAll } from '../../arrays';
import { asUntracedTensor, dataDimSize, dataShape, isUntracedTensor, rangeMax, untracedIndexRows, withDataDims } from './unknownIndex';

/** torch's runtime settings; before the torch function family, which would claim `torch.<name>`. */
export const RUNTIME_ROUTES: Route[] = [
  { exact: ['torch.set_float32_matmul_precision'], handler: (lib, { pos }) => { if (pos[0] === 'high' || pos[0] === 'medium') lib.flags.allowTf32 = true; return null; } },
  {
    // Includes torch.backends.mps.is_available (returns None here, as it always has: this family precedes the availability checks).
    pattern: /^torch\.(manual_seed|set_num_threads|set_default_dtype|cuda\.manual_seed(_all)?|cuda\.set_device|backends\..*|distributed\.\w+|cuda\.synchronize|cuda\.empty_cache)$/,
    handler: (lib, { path: p }) => {
      if (/distributed\.init_process_group/.test(p)) lib.flags.ddp = true;
      return null;
    },
  },
  { exact: ['torch.cuda.is_available', 'torch.cuda.is_bf16_supported'], handler: () => unknown('hardware availability') },
  // The run FlopLens projects is one device unless devices= says more (its multi-GPU scaling is the projection's): stated.
  {
    exact: ['torch.cuda.device_count'],
    handler: (lib, { loc }) => {
      const d = lib.cx.directives.devices?.value;
      if (d !== undefined) return d;
      lib.cx.problem('info', 'device-count', 'torch.cuda.device_count(): taken as 1, the single device FlopLens projects a run on (devices=N for a run on more).', loc);
      return 1;
    },
  },
  {
    exact: ['torch.device'],
    handler: (lib, { pos }) => {
      lib.flags.device = typeof pos[0] === 'string' ? pos[0].split(':')[0] : lib.flags.device;
      return typeof pos[0] === 'string' ? pos[0] : 'cuda';
    },
  },
  { exact: ['torch.save'], handler: () => UNKNOWN },
  // A saved model: the zoo bridge sizes it by directives or names what would (never claimed by the op table below).
  { exact: ['torch.load', 'torch.jit.load'], handler: (lib, c) => lib.zoo.callExternal(c.path, c.pos, c.kw, c.loc) },
  { pattern: /^torch\.onnx\./, handler: () => UNKNOWN },
  {
    exact: ['float', 'float16', 'float32', 'bfloat16', 'half', 'int64', 'long', 'int', 'bool', 'float64', 'double', 'uint8', 'int8'].map((n) => `torch.${n}`),
    handler: (_lib, { path: p }) => ({ kind: 'ext', path: p }),
  },
];

const TORCH_FUNCTION = /^torch\.nn\.functional\.(\w+)$|^torch\.(?:special\.|linalg\.|fft\.)?(\w+)$|^torch\.Tensor\.(\w+)$/;

/** torch.nn.functional.*, torch.* functions and torch.Tensor.* through the op table: every such path is claimed. */
export const FUNCTION_ROUTES: Route[] = [
  {
    pattern: TORCH_FUNCTION,
    handler: (lib, { path: p, pos, kw, loc }) => {
      const m = TORCH_FUNCTION.exec(p)!;
      const name = m[1] ?? m[2] ?? m[3];
      if (FUNCTIONS[name] || name === 'nonzero' || name === 'argwhere') return applyFn(lib, name, 'fn', pos, kw, loc, p.startsWith('torch.nn.functional') ? `F.${name}` : `torch.${name}`);
      if (/^torch\.Tensor\./.test(p) && METHODS[name]) return applyFn(lib, name, 'method', pos, kw, loc);
      return passThrough(lib, name, p.replace('torch.nn.functional.', 'F.'), pos, loc) ?? unknown(p);
    },
  },
];

export function paramTensor(lib: Library, p: ParamValue): TensorArg {
  return tensor(p.shape ?? [p.numel]);
}

export function tensorAttr(lib: Library, t: TensorArg, name: string, loc?: Loc): Value {
  if (name === 'grad') lib.flags.readsGrad = true;
  switch (name) {
    case 'shape': return dataShape(t) ?? tuple(t.shape);
    case 'ndim': return t.shape.length;
    case 'dtype': return { kind: 'ext', path: `torch.${t.dtype === 'bf16' ? 'bfloat16' : t.dtype === 'fp16' ? 'float16' : 'float32'}` };
    case 'device': return { kind: 'ext', path: 'torch.device' };
    case 'is_cuda': return true;
    case 'requires_grad': return lib.cx.state.noGrad === 0;
    case 'data': case 'grad': return t;
    case 'T': case 'mT': case 'H': case 'mH': return applyFn(lib, name, 'method', [t], new Map(), loc);
    default: return { kind: 'method', self: t, name };
  }
}

/** Convert evaluator values into op-table arguments. */
export function toArg(lib: Library, v: Value | undefined): Arg {
  if (v === undefined) return undefined;
  if (v === null || typeof v !== 'object') return v;
  switch (v.kind) {
    case 'tensor': return v;
    case 'param': return paramTensor(lib, v);
    case 'list': case 'tuple': { const obs = resetObservation(v); return obs ? toArg(lib, obs) : listArg(lib, v); } // old gym API
    case 'ext': {
      const d = dtypeOf(v);
      return d ? v.path : v.path;
    }
    case 'layer': return { kind: 'module', layer: v.name, args: v.args } as ModuleArg;
    case 'inst': return v.module ? ({ kind: 'module', layer: v.cls.name, args: {} } as ModuleArg) : undefined;
    case 'container': return { kind: 'module', layer: v.type, args: {} } as ModuleArg;
    case 'range': return Array.from({ length: Math.min(rangeLen(v), 4096) }, (_, i) => v.start + i * v.step);
    case 'slice': return undefined;
    // A list of unknown length stays distinguishable from an unknown scalar inside `torch.tensor([...])`.
    case 'unknown': return v.why === UNKNOWN_SEQ ? UNKNOWN_SEQ : undefined;
    default: return undefined;
  }
}

/** A list's items as op arguments; a list of stated length (filled in a loop walked once) repeats its last item. */
function listArg(lib: Library, v: ListValue): Arg[] {
  const items = v.items.map((x) => toArg(lib, x));
  const n = statedLength(v);
  if (n === undefined || n <= items.length || items.length === 0 || n > 100_000) return items;
  const last = items[items.length - 1];
  const out = [...items, ...Array<Arg>(n - items.length).fill(last)];
  // One item per batch of a DataLoader: the last batch holds the samples left (unsized.ts).
  const t = isTensorV(last as Value) ? (last as TensorArg) : undefined;
  const rest = t ? lastBatchRows(v, n, t.shape[0]) : undefined;
  if (t && rest !== undefined) out[n - 1] = { ...t, shape: [rest, ...t.shape.slice(1)] };
  return out;
}

export function ctx(lib: Library, frozen = false, dtypeHint?: Dtype, weightDtype?: Dtype): CallContext {
  const dtype = lib.cx.state.forcedDtype ?? lib.cx.state.autocast[lib.cx.state.autocast.length - 1] ?? (lib.cx.state.moduleDepth > 0 ? lib.flags.accelerate?.dtype : undefined) ?? dtypeHint ?? lib.cx.opts.defaultDtype;
  const c: CallContext = { dtype, training: lib.cx.state.noGrad === 0 };
  if (frozen) c.frozen = true;
  if (weightDtype && weightDtype !== dtype) c.weightDtype = weightDtype;
  return c;
}

/** Record costs from the op table as ops of the current module path. */
export function record(lib: Library, costs: Cost[], label: string, loc: Loc | undefined, opts: { dtype: Dtype; frozen?: boolean; traced?: boolean; declLoc?: Loc; moduleId?: number; phase?: Phase; count?: number; name?: string }): void {
  const base = opts.name ?? lib.cx.state.pathStack[lib.cx.state.pathStack.length - 1] ?? 'script';
  for (const c of costs) {
    lib.cx.recorder.op({
      cost: c,
      name: c.path ? `${base}.${c.path}` : base,
      label,
      loc,
      declLoc: opts.declLoc,
      dtype: opts.dtype,
      grad: lib.cx.state.noGrad === 0,
      frozen: !!opts.frozen,
      traced: opts.traced !== false,
      phase: opts.phase ?? 'forward',
      rootCall: lib.cx.state.currentRoot,
      count: opts.count ?? 1,
      moduleId: opts.moduleId,
      recomputed: lib.cx.state.checkpointDepth > 0,
    });
  }
}

/** Apply an F./torch. function or tensor method from the op table and record its costs. */
export function applyFn(lib: Library, name: string, table: 'fn' | 'method', args: Value[], kw: Map<string, Value>, loc?: Loc, label?: string): Value {
  const shown = label ?? (table === 'fn' ? `torch.${name}` : `.${name}()`);
  const selected = dataDependentSelect(lib, name, args, kw, shown, loc);
  if (selected !== undefined) return selected;
  const result = applyTableFn(lib, name, table, args, kw, loc, shown);
  annotateIndexes(name, args, kw, result);
  if (kw.get('requires_grad') === true && isTensorV(result)) markRawParam(lib, result);
  return result;
}

/**
 * A tensor made to require gradients (`requires_grad=True`, `.requires_grad_()`) outside any loop and module
 * construction is a parameter of a raw-tensor model (it is trained); one made inside the loop is an input.
 */
export function markRawParam(lib: Library, t: TensorArg): void {
  // The first pass of a concrete loop still being probed (`for p in parameters: p.requires_grad = True`) is set-up.
  if (t.rawParam || lib.cx.state.moduleDepth > 0 || lib.cx.state.initDepth > 0 || lib.cx.recorder.ctx.some((c) => c.type === 'loop' && !c.frame.provisional)) return;
  t.rawParam = true;
  lib.flags.rawParams.push(t);
}

/**
 * `torch.where(mask)`, `mask.nonzero()`, `torch.argwhere(mask)`: indices whose count depends on the data. When the
 * mask's expected density is known (`idx == e` over indices spread over `indexRange` values, as in top-k expert
 * routing, or `torch.rand(...) < p`), the expected count is used and said; otherwise every element is assumed
 * selected (an upper bound), and said.
 */
function dataDependentSelect(lib: Library, name: string, args: Value[], kw: Map<string, Value>, shown: string, loc?: Loc): Value | undefined {
  const m = args[0] ?? kw.get('condition') ?? kw.get('input');
  const only = name === 'where' ? args.length === 1 && !kw.has('input') && !kw.has('other') : name === 'nonzero' || name === 'argwhere';
  if (!only || !isTensorV(m)) return undefined;
  const n = selectedCount(lib, m, shown, loc);
  const asTuple = name === 'where' || kw.get('as_tuple') === true;
  const idx = (): TensorArg => ({ ...tensor([n], 'int8', m.guessed), indexRange: Math.max(maxOf(m.shape), 1) });
  return asTuple ? tuple(m.shape.map(idx)) : tensor([n, m.shape.length], 'int8', m.guessed);
}

/** Expected number of true elements of a mask, with a note on how it was chosen. */
function selectedCount(lib: Library, m: TensorArg, shown: string, loc?: Loc): number {
  const total = prod(m.shape);
  if (m.density !== undefined) {
    const n = Math.round(total * m.density);
    lib.cx.problem('info', 'data-dependent', `${shown}: how many elements are selected depends on the data; assuming ${fmt(n)} of ${fmt(total)} (an even spread, ${(m.density * 100).toPrecision(3)}%).`, loc);
    return n;
  }
  lib.cx.problem('info', 'data-dependent', `${shown}: how many elements are selected depends on the data; assuming all ${fmt(total)} (an upper bound).`, loc);
  return total;
}

/** The unknown result of a tensor op: an untraced tensor when a tensor went in (unknownIndex.ts). */
const tensorUnknown = (args: Value[], shown: string): Value => (args.some((a) => isTensorV(a) || isUntracedTensor(a)) ? asUntracedTensor(unknown(shown) as UnknownValue) : unknown(shown));

function applyTableFn(lib: Library, name: string, table: 'fn' | 'method', args: Value[], kw: Map<string, Value>, loc: Loc | undefined, shown: string): Value {
  const def = table === 'fn' ? FUNCTIONS[name] : METHODS[name];
  if (!def) return passThrough(lib, name, shown, args, loc) ?? unknown(shown);
  // An operand the evaluator could not resolve makes the result unknown, never a wrong shape.
  if (args.some((a) => isUnknown(a)) && args.some((a) => isTensorV(a) || isUnknown(a))) return tensorUnknown(args, shown);
  const dtypeHint = args.find((a): a is TensorArg => isTensorV(a))?.dtype;
  const kwArgs: Record<string, Arg> = {};
  for (const [k, v] of kw) kwArgs[k] = toArg(lib, v);
  let out: OpOutcome;
  try {
    out = def(args.map((a) => toArg(lib, a)), kwArgs, ctx(lib, false, dtypeHint));
  } catch (e) {
    out = { error: `${shown} failed: ${(e as Error).message}` };
  }
  if (isOpError(out)) {
    if (args.some((a) => isUnknown(a))) return tensorUnknown(args, shown);
    if (OUT_OF_RANGE.test(out.error)) lib.uncounted(shown, out.error, loc);
    lib.cx.problem('info', 'shape', out.error, loc);
    return tensorUnknown(args, shown);
  }
  const guessed = args.some((a) => isTensorV(a) && a.guessed);
  record(lib, out.costs, shown, loc, { dtype: ctx(lib, false, dtypeHint).dtype, traced: !guessed });
  return markGuessed(toValue(out.output), guessed);
}

/** Ops whose result is not a tensor like their inputs (a count, a flag, a device): never passed through. */
const NOT_A_TENSOR = /^(is_\w+|numel|nelement|dim|ndimension|stride|storage\w*|data_ptr|element_size|get_device|equal|allclose|tolist|item|result_type|can_cast|promote_types|get_\w+|set_\w+|__\w+__)$/;

/**
 * An op the table lacks, called on tensors: its cost is not counted (named as uncounted), and its output is
 * taken as the broadcast of its tensor arguments (the shape of the first when they do not broadcast), so the
 * layers after it keep their shapes instead of all falling back to guesses. Undefined when no argument is a tensor.
 */
function passThrough(lib: Library, name: string, shown: string, args: Value[], loc?: Loc): Value | undefined {
  const ts = args.map((a) => (isKind(a, 'param') ? paramTensor(lib, a) : a)).filter(isTensorV);
  if (!ts.length) return undefined;
  if (NOT_A_TENSOR.test(name) || args.some(isUnknown)) {
    lib.uncounted(shown, 'not in the op table', loc);
    return undefined;
  }
  const shape = broadcastShapes(ts.map((t) => t.shape)) ?? ts[0].shape;
  lib.uncounted(shown, `not in the op table; approximated: its output is taken as ${fmtShape(shape)}, the shape of its tensor arguments`, loc);
  return tensor([...shape], ts[0].dtype, ts.some((t) => t.guessed));
}

const fmtShape = (s: readonly number[]): string => `[${s.join(', ')}]`;

export function tensorElementwise(lib: Library, op: string, args: Value[], loc?: Loc): Value {
  return applyFn(lib, op, 'fn', args, new Map(), loc, op);
}

/**
 * Tensor indexing `x[:, -1, :]`, `x[..., None]`, `x[idx]`, `x[rows, cols]`, `x[mask]`, as PyTorch (NumPy) does it:
 * integers drop a dim, slices and None keep/add one; advanced indices (index tensors and lists) broadcast together
 * and their shape replaces the dims they index — in place when they are adjacent, in front otherwise; a boolean
 * mask consumes as many dims as it has and yields one dim of the selected count.
 */
export function indexTensor(lib: Library, t: TensorArg, given: Value[], loc?: Loc): Value {
  // `a[np.newaxis, :]` is `a[None, :]`.
  const idx = given.map((i) => (isKind(i, 'ext') && /^(?:numpy|np)\.newaxis$/.test(i.path) ? null : i));
  const out: number[] = [];
  const adv: number[][] = [];
  let advAt = -1;
  let advSplit = false;
  let lastAdvEnd = -1;
  let dim = 0;
  let dataMany = false;
  const isEllipsis = (i: Value): boolean => isKind(i, 'obj') && i.type === 'ellipsis';
  const width = (i: Value): number => (i === null || isEllipsis(i) ? 0 : isTensorV(i) && i.mask ? i.shape.length : 1);
  const ellipsisAt = idx.findIndex(isEllipsis);
  const consumed = idx.reduce((a: number, i) => a + width(i), 0);
  for (let k = 0; k < idx.length; k++) {
    const i = idx[k];
    if (k === ellipsisAt) {
      const skip = t.shape.length - consumed;
      for (let s = 0; s < skip; s++) out.push(t.shape[dim++]);
      continue;
    }
    if (i === null) { out.push(1); continue; }
    const n = t.shape[dim];
    if (n === undefined) return unknown('index beyond tensor rank');
    if (isNum(i) || typeof i === 'boolean') { dim++; continue; }
    if (isKind(i, 'slice')) {
      const step = i.step && isNum(i.step) ? i.step : 1;
      // `data[i:i + k]` with `i` unknown (a random offset): the slice is k wide.
      if ((i.lo !== undefined && !isNum(i.lo)) || (i.hi !== undefined && !isNum(i.hi))) { out.push(i.width !== undefined ? Math.min(n, i.width) : n); dim++; continue; }
      let lo = i.lo ?? (step > 0 ? 0 : n - 1);
      let hi = i.hi ?? (step > 0 ? n : -n - 1);
      if (lo < 0) lo += n; if (hi < 0) hi += n;
      lo = Math.max(0, Math.min(n, lo)); hi = Math.max(step > 0 ? 0 : -1, Math.min(n, hi));
      out.push(Math.max(0, Math.ceil((hi - lo) / step)));
      dim++;
      continue;
    }
    // An index tensor FlopLens could not trace selects a number of elements that is data (unknownIndex.ts).
    const untraced = isUntracedTensor(i) ? [untracedIndexRows(lib.cx, n, loc)] : undefined;
    if (untraced) dataMany = true;
    const advShape = untraced ?? (isTensorV(i) ? (i.mask ? [selectedCount(lib, i, 'boolean-mask indexing', loc)] : i.shape) : isSeq(i) ? [i.items.length] : undefined);
    if (advShape) {
      if (advAt < 0) advAt = out.length;
      else if (lastAdvEnd !== out.length) advSplit = true;
      adv.push(advShape);
      dim += width(i);
      lastAdvEnd = out.length;
      continue;
    }
    // Unknown index (a loop variable): treat as a scalar index.
    dim++;
  }
  pushAll(out, t.shape.slice(dim));
  if (adv.length) {
    const b = broadcastShapes(adv);
    if (b === undefined) return unknown('index tensors of shapes that do not broadcast');
    if (advSplit) out.unshift(...b);
    else out.splice(advAt, 0, ...b);
    if (dataMany && b.length === 1) return withDataDims({ ...tensor(out, t.dtype, t.guessed), ...(t.indexRange ? { indexRange: t.indexRange } : {}) }, [advSplit ? 0 : advAt]);
    if (dataMany) return asUntracedTensor(unknown('an index tensor FlopLens could not trace, with others') as UnknownValue);
  }
  const r = tensor(out, t.dtype, t.guessed);
  if (t.indexRange) r.indexRange = t.indexRange; // `labels[train_idx]`: some of the same values
  return r;
}

export function tensorMethod(lib: Library, t: TensorArg, name: string, pos: Value[], kw: Map<string, Value>, loc?: Loc): Value {
  if (name === 'to' || name === 'cuda' || name === 'type' || name === 'astype' || name === 'half' || name === 'bfloat16' || name === 'float' || name === 'double') {
    // `.type(torch.FloatTensor)` names the element type by its legacy tensor class.
    const legacy = name === 'type' && isKind(pos[0], 'ext') ? /(Float|Double|Half|BFloat16|Long|Int|Short|Byte|Char|Bool)Tensor$/.exec(pos[0].path)?.[1] : undefined;
    const dt = name === 'half' || legacy === 'Half' ? 'fp16' : name === 'bfloat16' || legacy === 'BFloat16' ? 'bf16' : name === 'float' || name === 'double' || legacy === 'Float' || legacy === 'Double' ? 'fp32' : legacy ? 'int8'
      : dtypeOf(kw.get('dtype') ?? pos.find((x) => dtypeOf(x) !== undefined) ?? null);
    const toDevice = name === 'cuda' || pos.some((x) => typeof x === 'string' && /cuda|mps|xla/.test(x)) || kw.has('device') || pos.some((x) => isKind(x, 'ext') && /device/.test(x.path));
    if (toDevice && lib.cx.state.moduleDepth === 0) lib.flags.inputBytes.push({ bytes: prod(t.shape) * DTYPE_BYTES[t.dtype ?? 'fp32'], ctx: lib.cx.recorder.ctx });
    if (kw.get('non_blocking') === true) lib.flags.pinMemory = lib.flags.pinMemory ?? true;
    return dt ? { ...t, dtype: dt } : t;
  }
  if (name === 'backward') { lib.cx.recorder.event('backward', lib.cx.state.noGrad === 0, loc); return null; }
  if ((name === 'resize_' || name === 'resize') && resizeInPlace(t, pos)) return t;
  if (VIEW_IN_PLACE.test(name)) return viewInPlace(lib, t, name, pos, kw, loc);
  if (name === 'item' || name === 'tolist') return unknown('tensor value');
  const known = (name === 'prod' || name === 'sum') && pos.length === 0 ? CONSTANT_ARRAYS.get(t) : undefined;
  if (known) return known.reduce((a, x) => (name === 'prod' ? a * x : a + x), name === 'prod' ? 1 : 0);
  const top = rangeMax(lib.cx, t, name, pos.length + kw.size, loc);
  if (top !== undefined) return top;
  if (name === 'size' && isNum(pos[0])) { const d = dataDimSize(t, pos[0]); if (d !== undefined) return d; }
  if (name === 'requires_grad_') { if (pos[0] !== false && kw.get('requires_grad') !== false) markRawParam(lib, t); return t; }
  if (name === 'numpy' || name === 'cpu' || name === 'detach' || name === 'clone' || name === 'pin_memory' || name === 'contiguous' && !METHODS.contiguous) return t;
  if (name === 'size' && !METHODS.size) return pos.length ? (isNum(pos[0]) ? t.shape[pos[0] < 0 ? t.shape.length + pos[0] : pos[0]] ?? UNKNOWN : UNKNOWN) : tuple(t.shape);
  if (name === 'dim' && !METHODS.dim) return t.shape.length;
  // NumPy's `a.transpose((2, 0, 1))` / `a.transpose(2, 0, 1)` (an HWC image to CHW) is a permute; torch's takes two dims.
  if (name === 'transpose' && (isSeq(pos[0]) || pos.length > 2)) return applyFn(lib, 'permute', 'method', [t, ...(isSeq(pos[0]) ? pos[0].items : pos)], kw, loc);
  return applyFn(lib, name, 'method', [t, ...pos], kw, loc);
}

/**
 * `x.resize_(64, 784)` (torch) and `a.resize((n, 1))` (NumPy, in place, returns None): the tensor itself takes the
 * new shape, so every later use of the name sees it. False when the sizes are not all known (left to the op table).
 */
function resizeInPlace(t: TensorArg, pos: Value[]): boolean {
  const raw = pos.length === 1 && isSeq(pos[0]) ? pos[0].items : pos;
  if (!raw.length || !raw.every((d) => isNum(d) && Number.isInteger(d) && d >= 0)) return false;
  t.shape.splice(0, t.shape.length, ...(raw as number[]));
  return true;
}

/** Shape methods that change the tensor itself (`x.unsqueeze_(0)`: a batch of one made from a sample). */
const VIEW_IN_PLACE = /^(unsqueeze|squeeze|transpose|t|swapaxes|swapdims)_$/;

/** `x.unsqueeze_(0)`: the out-of-place op's shape, taken by the tensor itself so every later use of the name sees it. */
function viewInPlace(lib: Library, t: TensorArg, name: string, pos: Value[], kw: Map<string, Value>, loc?: Loc): Value {
  const r = applyFn(lib, name.slice(0, -1), 'method', [t, ...pos], kw, loc);
  if (!isTensorV(r)) return r;
  t.shape.splice(0, t.shape.length, ...r.shape);
  return t;
}

/** Why `x.shape` of a tensor whose shape was not traced is unknown: its dim 0 can still be read as the batch. */
export const UNTRACED_SHAPE = 'shape of a tensor that was not traced';

/**
 * `x.shape` / `x.size` of a value the evaluator could not trace (a batch from an untraced loader): the shape
 * stays unknown, but marked, so that its dim 0 (the batch, by PyTorch's convention) can be bound.
 */
export function untracedAttr(v: Value & { kind: 'unknown' }, name: string): Value {
  // An array read from a data file (np.loadtxt('diabetes.csv'), pd.read_csv(...).values): its first dim is the file's
  // row count, which is data, not the batch of a tensor that was not traced.
  const why = (v as UnknownValue).why;
  if (name === 'shape' && typeof why === 'string' && DATA_FILE_READER.test(why)) return unknown(`${why}(…).shape: the size of a data file FlopLens does not read`);
  if (name === 'shape') return unknown(UNTRACED_SHAPE);
  if (name === 'size' || name === 'backward' || NEW_LIKE.test(name)) return { kind: 'method', self: v, name };
  // A method of a tensor whose shape was lost (`idx.reshape(-1)`): its result is still a tensor (unknownIndex.ts).
  if (isUntracedTensor(v) && !TENSOR_ATTRS.test(name)) return { kind: 'method', self: v, name };
  return v;
}

const NEW_LIKE = /^new_(zeros|ones|empty|full)$/;
const TENSOR_ATTRS = /^(data|grad|T|mT|H|mH|device|dtype|is_cuda|requires_grad|ndim)$/;

/** Calls that read an array from a file: the unknown they give is named by the call's path. */
const DATA_FILE_READER = /^(numpy|np)\.(loadtxt|genfromtxt|load|fromfile|recfromcsv)$|^(pandas|pd)\.read_\w+$/;

/**
 * `x.size(0)` of an untraced tensor: the batch binding; `x.new_zeros(b, 100)` and friends: a new tensor of the
 * given sizes (its dtype is the only thing taken from `x`); any other method of it: unknown.
 */
export function untracedMethod(lib: Library, name: string, pos: Value[], kw: Map<string, Value>, loc?: Loc): Value {
  if (name === 'size' && pos[0] === 0) return batchDim(lib, '.size(0)', loc);
  // `loss.backward()` on a loss the evaluator could not trace (its target came from data): once a model has run
  // with gradients on, it is still the backward pass of that model (training evidence, even without an optimizer).
  if (name === 'backward' && lib.cx.state.noGrad === 0 && lib.cx.recorder.events.some((e) => e.kind === 'model-call' && e.grad)) {
    lib.cx.problem('info', 'backward-untraced', 'backward() of a value whose shape was not traced (a loss of an untraced target): taken as the backward pass of the model called before it.', loc);
    lib.cx.recorder.event('backward', true, loc);
    return null;
  }
  if (name === 'size' && pos.length === 0 && kw.size === 0) return unknown(UNTRACED_SHAPE);
  if (NEW_LIKE.test(name)) return applyFn(lib, name, 'method', [tensor([]), ...pos], kw, loc);
  return UNKNOWN;
}

/** `x.shape[0]` of an untraced tensor: the batch binding; undefined for anything else. */
export function untracedItem(lib: Library, obj: Value, key: Value, loc?: Loc): Value | undefined {
  return isUnknown(obj) && obj.why === UNTRACED_SHAPE && key === 0 ? batchDim(lib, '.shape[0]', loc) : undefined;
}

/** `b, c, h, w = x.shape` of an untraced tensor: the batch, then unknowns; undefined for anything else. */
export function untracedUnpack(lib: Library, v: Value, n: number, starIdx: number): Value[] | undefined {
  if (!isUnknown(v) || v.why !== UNTRACED_SHAPE || n < 1 || starIdx === 0) return undefined;
  return [batchDim(lib, 'The first dim unpacked from .shape'), ...Array.from({ length: n - 1 }, () => UNKNOWN)];
}

/**
 * The batch dimension of a tensor whose shape was not traced, bound by the same evidence the input guess uses
 * (directive, the DataLoader's batch_size, argparse and script names, the setting), recorded as a bound dim
 * (the analysis names it in the batch assumption) and said once at the line that reads it. The other dims of
 * the shapes built from it (`torch.randn(b, nz, 1, 1)`) are the script's own, so one unknown dim no longer
 * loses the whole shape. Not bound while modules are being constructed (a weight's dim 0 is not a batch).
 */
function batchDim(lib: Library, what: string, loc?: Loc): Value {
  if (lib.cx.state.initDepth > 0) return UNKNOWN;
  const batch = lib.cx.directives.batch ?? lib.cx.opts.boundBatch ?? lib.guessBatchSeq().batch;
  const key = `${loc?.file ?? ''}:${loc?.line ?? 0}`;
  if (!lib.boundDims.some((d) => d.key === key)) {
    lib.boundDims.push({ key, name: 'batch', value: batch.value, note: batch.note });
    lib.cx.problem('info', 'bound-dim', `${what} of a tensor whose shape was not traced: taken as the batch, ${fmt(batch.value)} from ${batch.note}. Add \`# floplens: batch=N\` to set it.`, loc);
  }
  return batch.value;
}

/** An op-table error for a size out of range (`1e308`, `2**64`, `nan`, `-1` as a dimension): the op is uncounted, named. */
export const OUT_OF_RANGE = /size out of range/;

/** Convert an op-table output back into evaluator values. */
export function toValue(a: Arg): Value {
  if (a === undefined) return UNKNOWN;
  if (a === null || typeof a !== 'object') return a;
  if (Array.isArray(a)) return tuple(a.map(toValue));
  if (a.kind === 'tensor') return a;
  return UNKNOWN;
}

const COMPARISONS = new Set(['eq', 'ne', 'lt', 'le', 'gt', 'ge', 'logical_and', 'logical_or', 'logical_not', 'logical_xor', 'isin', 'isnan', 'isinf', 'isfinite']);

/** Size of dimension `dim` (negative counts from the end), or the element count when `dim` is absent. */
function dimSize(t: TensorArg, dim: Value | undefined): number | undefined {
  if (dim === undefined || dim === null) return prod(t.shape);
  if (!isNum(dim)) return undefined;
  return t.shape[dim < 0 ? t.shape.length + dim : dim];
}

/**
 * Mark results that are indices (their value range) or boolean masks (their expected density), so a later
 * `torch.where(mask)` / `x[mask]` can size its data-dependent output. Index producers: topk/sort/argsort/argmax/
 * argmin/multinomial (range = the size of the reduced dim). Masks: comparisons; `idx == k` over a range R keeps
 * 1/R of the elements, `!=` keeps 1 − 1/R, `torch.rand(...) < p` keeps p.
 */
const TENSOR_COPIES = /^(tensor|as_tensor|from_numpy|long|int|to|clone|flatten|view|reshape)$/;

function annotateIndexes(name: string, args: Value[], kw: Map<string, Value>, result: Value): void {
  if (!isTensorV(result) && !isSeq(result)) return;
  if ((name === 'rand' || name === 'rand_like') && isTensorV(result)) { result.uniform01 = true; return; }
  if (name === 'randint' && isTensorV(result)) {
    const lo = args.length >= 3 ? args[0] : kw.get('low') ?? 0;
    const hi = args.length >= 3 ? args[1] : kw.get('high') ?? args[0];
    if (isNum(lo) && isNum(hi) && hi > lo) result.indexRange = hi - lo;
    return;
  }
  // Boolean tensors are masks: `.bool()` of a mask keeps its density; `torch.eye(n, dtype=torch.bool)` keeps 1/n.
  const dtype = kw.get('dtype');
  if (isTensorV(result) && (name === 'bool' || (isKind(dtype, 'ext') && /(?:^|\.)bool$/.test(dtype.path)))) {
    result.mask = true;
    const src = args[0];
    if (name === 'bool' && isTensorV(src) && src.density !== undefined) result.density = src.density;
    const [n, m] = [args[0], isNum(args[1]) ? args[1] : args[0]];
    if (name === 'eye' && isNum(n) && isNum(m) && n > 0 && m > 0) result.density = Math.min(n, m) / (n * m);
    return;
  }
  const x = args[0];
  if (!isTensorV(x)) return;
  // torch.LongTensor(labels), torch.as_tensor(targets): the same values, so the same range.
  if (TENSOR_COPIES.test(name) && isTensorV(result) && x.indexRange && prod(result.shape) === prod(x.shape)) { result.indexRange = x.indexRange; return; }
  const dimArg = kw.get('dim') ?? (name === 'topk' ? args[2] : name === 'multinomial' ? -1 : args[1]);
  if ((name === 'topk' || name === 'sort') && isSeq(result) && isTensorV(result.items[1])) {
    const r = dimSize(x, dimArg ?? -1);
    if (r !== undefined) (result.items[1] as TensorArg).indexRange = r;
  } else if ((name === 'argmax' || name === 'argmin' || name === 'argsort' || name === 'multinomial') && isTensorV(result)) {
    const r = dimSize(x, name === 'argsort' ? (dimArg ?? -1) : dimArg);
    if (r !== undefined) result.indexRange = r;
  } else if (COMPARISONS.has(name) && isTensorV(result)) {
    result.mask = true;
    const y = args[1];
    const ranged = (t: Value, other: Value): number | undefined => (isTensorV(t) && t.indexRange && isNum(other) ? t.indexRange : undefined);
    const r = ranged(x, y) ?? ranged(y, x);
    if (r !== undefined && (name === 'eq' || name === 'ne')) result.density = name === 'eq' ? 1 / r : 1 - 1 / r;
    if (x.uniform01 && isNum(y) && y >= 0 && y <= 1 && name !== 'eq' && name !== 'ne') result.density = name === 'lt' || name === 'le' ? y : 1 - y;
  }
}

export function markGuessed(v: Value, guessed: boolean): Value {
  if (!guessed) return v;
  if (isTensorV(v)) return { ...v, guessed: true };
  if (isSeq(v)) return { kind: v.kind, items: v.items.map((x) => markGuessed(x, true)) };
  return v;
}
