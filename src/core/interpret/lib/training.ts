/**
 * Training machinery: grad modes (no_grad, inference_mode, enable_grad), autocast and GradScaler, torch.func,
 * optimizers and schedulers, activation checkpointing, Hugging Face Accelerate and Lightning's Trainer.
 */
import type { Dtype, Loc } from '../../types';
import { DTYPE_BYTES } from '../../types';
import { prod } from '../../ops/primitives';
import { UNKNOWN, unknown, dtypeOf, isKind, isNum, isSeq, isUnknown, isTensorV, tuple } from '../values';
import type { Value, ObjValue } from '../values';
import type { ExtCall, MethodTable, Route } from './dispatch';
import type { Library } from './library';
import { markStepped } from './stepOrder';

const OPTIMIZER = /^(?:torch\.optim\.|bitsandbytes\.optim\.|bnb\.optim\.|transformers\.|apex\.optimizers\.|torch\.optim\.\w+\.)(SGD|Adam|AdamW|RMSprop|Adagrad|Adadelta|Adamax|NAdam|RAdam|LBFGS|Adafactor|Lion|Adam8bit|AdamW8bit|PagedAdamW8bit|PagedAdamW|PagedAdamW32bit|SGD8bit|FusedAdam|Muon)$/;

function optimizer(lib: Library, c: ExtCall, name: string): Value {
  const { pos, kw, loc } = c;
  const o = lib.obj('optimizer', [['name', name], ['params', pos[0] ?? kw.get('params') ?? UNKNOWN], ['momentum', kw.get('momentum') ?? 0], ['fused', kw.get('fused') ?? false]], loc);
  lib.flags.optimizers.push(o);
  return o;
}

/** Activation checkpointing: the wrapped call runs normally in forward and again in backward. */
function checkpoint(lib: Library, { last, pos, kw, loc }: ExtCall): Value {
  const st = lib.cx.state;
  lib.flags.gradCheckpointing = true;
  const first = st.checkpointDepth === 0;
  const opsBefore = lib.cx.recorder.ops.length;
  const input = pos.find(isTensorV) ?? (isTensorV(pos[2]) ? pos[2] : undefined);
  st.checkpointDepth++;
  try {
    if (last === 'checkpoint_sequential') {
      let x: Value = pos[2] ?? kw.get('input') ?? UNKNOWN;
      const fns = pos[0];
      const items = isKind(fns, 'container') ? fns.items : lib.iterate(fns).items ?? [];
      for (const f of items) x = lib.cx.call(f, [x], new Map(), loc);
      return x;
    }
    const rest = new Map([...kw].filter(([k]) => k !== 'use_reentrant' && k !== 'preserve_rng_state' && k !== 'determinism_check'));
    return lib.cx.call(pos[0] ?? UNKNOWN, pos.slice(1), rest, loc);
  } finally {
    st.checkpointDepth--;
    if (first) {
      const saved = lib.cx.recorder.ops.slice(opsBefore).reduce((a, o) => a + o.cost.savedBytes * o.count, 0);
      lib.flags.checkpoints.push({ inputBytes: input ? prod(input.shape) * DTYPE_BYTES[input.dtype ?? lib.ctx().dtype] : 0, savedBytes: saved, ctx: lib.cx.recorder.ctx });
    }
  }
}

export const ROUTES: Route[] = [
  // Grad modes and precision contexts.
  { exact: ['torch.no_grad', 'torch.inference_mode', 'torch.autograd.no_grad', 'torch.autograd.inference_mode'], handler: (lib, c) => lib.obj('nograd', [], c.loc) },
  { exact: ['torch.enable_grad', 'torch.set_grad_enabled'], handler: (lib, c) => lib.obj(c.pos[0] === false ? 'nograd' : 'enablegrad', [], c.loc) },
  {
    exact: ['torch.autocast', 'torch.amp.autocast', 'torch.cuda.amp.autocast', 'torch.cpu.amp.autocast', 'torch.amp.autocast_mode.autocast'],
    handler: (lib, { path: p, pos, kw, loc }) => {
      const dt = dtypeOf(kw.get('dtype') ?? pos[1] ?? null) ?? (p.includes('cpu') || pos[0] === 'cpu' || kw.get('device_type') === 'cpu' ? 'bf16' : 'fp16');
      const enabled = kw.get('enabled');
      return lib.obj('autocast', [['dtype', enabled === false ? null : dt]], loc);
    },
  },
  { exact: ['contextlib.nullcontext', 'contextlib.suppress', 'contextlib.ExitStack', 'nullcontext'], handler: (lib, c) => lib.obj('nullcontext', [], c.loc) },
  { exact: ['torch.amp.GradScaler', 'torch.cuda.amp.GradScaler', 'torch.GradScaler'], handler: (lib, c) => lib.obj('gradscaler', [], c.loc) },
  // torch.func: functional_call(module, params, args, kwargs) runs the module (its own parameters stand for the
  // dict passed); grad(f) / grad_and_value(f) / vjp-style transforms run f once and its backward.
  {
    exact: ['torch.func.functional_call', 'functorch.functional_call', 'torch.nn.utils.stateless.functional_call'],
    handler: (lib, { pos, kw, loc }) => {
      const args = pos[2] ?? kw.get('args');
      const kwargs = pos[3] ?? kw.get('kwargs');
      const argList = isSeq(args) ? args.items : args === undefined ? [] : [args];
      const kwMap = isKind(kwargs, 'dict') ? new Map([...kwargs.map].map(([k, v]) => [String(k), v] as [string, Value])) : new Map<string, Value>();
      return lib.cx.call(pos[0] ?? UNKNOWN, argList, kwMap, loc);
    },
  },
  {
    exact: ['torch.func.grad', 'torch.func.grad_and_value', 'functorch.grad', 'functorch.grad_and_value'],
    handler: (lib, { last, pos, kw, loc }) => {
      const fn = pos[0] ?? kw.get('func') ?? UNKNOWN;
      const withValue = last === 'grad_and_value';
      return {
        kind: 'builtin', name: last, fn: (a, k, l) => {
          const value = lib.cx.call(fn, a, k, l ?? loc);
          lib.cx.recorder.event('backward', lib.cx.state.noGrad === 0, l ?? loc);
          lib.flags.readsGrad = true; // gradients returned as values: the update is written by hand
          const g = unknown('gradients from torch.func.grad');
          return withValue ? tuple([g, value]) : g;
        },
      };
    },
  },
  // Optimizers and schedulers.
  { pattern: OPTIMIZER, handler: (lib, c) => optimizer(lib, c, OPTIMIZER.exec(c.path)![1]) },
  { exact: ['Adam', 'AdamW', 'SGD', 'Lion', 'Adafactor', 'Adam8bit', 'AdamW8bit', 'Muon'], handler: (lib, c) => optimizer(lib, c, c.path) },
  { pattern: /^torch\.optim\.lr_scheduler\.|get_(cosine|linear|constant)_schedule/, handler: (lib, c) => lib.obj('scheduler', [], c.loc) },
  {
    exact: ['accelerate.Accelerator', 'accelerate.accelerator.Accelerator'],
    handler: (lib, { kw, loc }) => {
      const mp = kw.get('mixed_precision');
      const accum = lib.cx.directives.accum?.value ?? (isNum(kw.get('gradient_accumulation_steps')) ? (kw.get('gradient_accumulation_steps') as number) : 1);
      lib.flags.accelerate = { accum, dtype: mp === 'bf16' ? 'bf16' : mp === 'fp16' ? 'fp16' : mp === 'fp8' ? 'fp8' : undefined };
      return lib.obj('accelerator', [], loc);
    },
  },
  {
    pattern: /^lightning(\.pytorch)?(\.trainer)?(\.trainer)?\.Trainer$|^lightning\.fabric\.Fabric$/,
    handler: (lib, { kw, loc }) => {
      const t = lib.obj('plTrainer', [], loc);
      for (const [k, v] of kw) t.attrs.set(k, v);
      return t;
    },
  },
  { exact: ['torch.utils.checkpoint.checkpoint', 'torch.utils.checkpoint.checkpoint_sequential'], handler: checkpoint },
];

export const METHODS: MethodTable = {
  accelerator: (lib, _self, name, pos, _kw, loc) => {
    if (name === 'prepare') return pos.length === 1 ? pos[0] : tuple(pos);
    if (name === 'backward') { lib.cx.recorder.event('backward', lib.cx.state.noGrad === 0, loc); return null; }
    if (name === 'accumulate' || name === 'autocast' || name === 'no_sync') return lib.obj('accelerateContext', [], loc);
    if (name === 'unwrap_model') return pos[0] ?? UNKNOWN;
    if (name === 'gather' || name === 'gather_for_metrics' || name === 'reduce' || name === 'pad_across_processes') return pos[0] ?? UNKNOWN;
    return null;
  },
  plTrainer: (lib, self, name, pos, kw, loc) => (name === 'fit' ? lightningFit(lib, self, pos, kw, loc) : null),
  optimizer: (lib, self, name, _pos, _kw, loc) => {
    const rec = lib.cx.recorder;
    if (name === 'step') {
      markStepped(self, () => lib.cx.id());
      // Under Accelerate's `accumulate()`, optimizer.step() only steps on sync iterations.
      const acc = lib.flags.accelerate?.accum ?? 1;
      if (acc > 1 && lib.cx.state.accelerateAccumulate > 0) rec.within({ type: 'mod', n: acc, loc }, () => rec.event('step', true, loc));
      else rec.event('step', true, loc);
      return null;
    }
    if (name === 'zero_grad') { rec.event('zero_grad', true, loc); return null; }
    return null;
  },
  gradscaler: (lib, _self, name, pos, _kw, loc) => {
    if (name === 'scale') return pos[0] ?? UNKNOWN;
    if (name === 'step') { markStepped(pos[0], () => lib.cx.id()); lib.cx.recorder.event('step', true, loc); return null; }
    return null;
  },
  nograd: (_lib, self) => self,
  autocast: (_lib, self) => self,
  nullcontext: (_lib, self) => self,
};

/**
 * `L.Trainer(max_epochs=…).fit(model, loader | datamodule=…)`: Lightning's loop, walked once: epochs ×
 * batches (or max_steps), `training_step` under the trainer's precision, backward and optimizer step.
 */
/** Trainers whose fit has run to its max_epochs/max_steps: Lightning's fit loop is done, a second fit trains nothing. */
const fitDone = new WeakSet<ObjValue>();

function lightningFit(lib: Library, t: ObjValue, pos: Value[], kw: Map<string, Value>, loc?: Loc): Value {
  const model = pos[0] ?? kw.get('model');
  if (!isKind(model, 'inst')) return null;
  if (fitDone.has(t)) {
    lib.cx.problem('info', 'steps', 'This Trainer has already run to its max_epochs/max_steps: Lightning stops this fit at once ("max_epochs reached"), so it adds no steps.', loc);
    return null;
  }
  fitDone.add(t);
  const a = (k: string) => t.attrs.get(k);
  const callMethodOf = (o: Value, name: string, args: Value[] = []): Value => {
    if (!isKind(o, 'inst')) return UNKNOWN;
    const m = lib.cx.lookupClass(o.cls, name);
    return m && isKind(m.value, 'func') ? lib.cx.callFunction({ ...m.value, self: o, owner: m.owner }, args, new Map(), loc) : UNKNOWN;
  };
  let loader: Value | undefined = pos[1] ?? kw.get('train_dataloaders');
  const dm = kw.get('datamodule') ?? (isKind(pos[1], 'inst') && lib.cx.lookupClass(pos[1].cls, 'train_dataloader') ? pos[1] : undefined);
  if (dm && isKind(dm, 'inst')) { callMethodOf(dm, 'prepare_data'); callMethodOf(dm, 'setup', ['fit']); loader = callMethodOf(dm, 'train_dataloader'); }
  // No loader and no datamodule: the module's own data hooks, in Lightning's order (its setup() builds the splits).
  if (!loader || isUnknown(loader)) { callMethodOf(model, 'prepare_data'); callMethodOf(model, 'setup', ['fit']); loader = callMethodOf(model, 'train_dataloader'); }
  callMethodOf(model, 'configure_optimizers');
  const prec = String(a('precision') ?? '32');
  const dtype: Dtype | undefined = /bf16/.test(prec) ? 'bf16' : /16/.test(prec) ? 'fp16' : undefined;
  if (dtype) lib.flags.dtypeSources.push({ dtype, what: `Trainer(precision=${JSON.stringify(prec)})`, loc });
  const maxSteps = a('max_steps');
  const maxEpochs = a('max_epochs');
  const accum = lib.cx.directives.accum?.value ?? (isNum(a('accumulate_grad_batches')) ? (a('accumulate_grad_batches') as number) : 1);
  const it = lib.iterate(loader);
  const epochs = isNum(maxEpochs) ? maxEpochs : isNum(maxSteps) && maxSteps > 0 ? undefined : 1000;
  if (!isNum(maxEpochs) && !(isNum(maxSteps) && maxSteps > 0)) lib.cx.problem('info', 'steps', 'Lightning Trainer without max_epochs or max_steps runs up to 1,000 epochs by default; assuming that.', loc);
  const body = () => {
    const saved = lib.cx.state.autocast.length;
    if (dtype) lib.cx.state.autocast.push(dtype);
    try {
      const pass = () => {
        callMethodOf(model, 'training_step', [it.elem ?? UNKNOWN, 0]);
        lib.cx.recorder.event('backward', true, loc);
      };
      if (accum > 1) lib.cx.recorder.within({ type: 'loop', frame: lib.cx.recorder.newFrame(accum, 'accumulate_grad_batches', loc, { note: `accumulate_grad_batches=${accum}`, loc }) }, pass);
      else pass();
      lib.cx.recorder.event('step', true, loc);
    } finally {
      lib.cx.state.autocast.length = saved;
    }
  };
  const batches = it.trips !== undefined ? Math.ceil(it.trips / accum) : undefined;
  if (isNum(maxSteps) && maxSteps > 0) {
    const f = lib.cx.recorder.newFrame(maxSteps, 'Trainer.fit()', loc, { note: `max_steps=${maxSteps}`, loc });
    lib.cx.recorder.within({ type: 'loop', frame: f }, body);
  } else {
    const fe = lib.cx.recorder.newFrame(epochs, 'epochs', loc, { note: `max_epochs=${epochs}`, loc });
    const fb = lib.cx.recorder.newFrame(batches, it.label ?? 'batches', loc, it.tripSource ?? { note: 'batches per epoch', loc });
    lib.cx.recorder.within({ type: 'loop', frame: fe }, () => lib.cx.recorder.within({ type: 'loop', frame: fb }, body));
  }
  return null;
}

export function enterContext(lib: Library, v: Value): () => void {
  if (isKind(v, 'obj')) {
    if (v.type === 'nograd') { lib.cx.state.noGrad++; return () => { lib.cx.state.noGrad--; }; }
    if (v.type === 'autocast') {
      const d = v.attrs.get('dtype');
      const dt = typeof d === 'string' ? (d as Dtype) : undefined;
      if (dt) {
        lib.flags.dtypeSources.push({ dtype: dt, what: `autocast(dtype=${dt})`, loc: v.loc });
        lib.cx.state.autocast.push(dt);
        return () => { lib.cx.state.autocast.pop(); };
      }
    }
    if (v.type === 'enablegrad') { const saved = lib.cx.state.noGrad; lib.cx.state.noGrad = 0; return () => { lib.cx.state.noGrad = saved; }; }
    if (v.type === 'accelerateContext') { lib.cx.state.accelerateAccumulate++; return () => { lib.cx.state.accelerateAccumulate--; }; }
    // A library context of its own (precision.ts: torchtune's set_default_dtype): its __enter__ now, its __exit__ after.
    const [enter, exit] = [v.attrs.get('__enter__'), v.attrs.get('__exit__')];
    if (isKind(enter, 'builtin') && isKind(exit, 'builtin')) { enter.fn([], new Map()); return () => { exit.fn([], new Map()); }; }
  }
  return () => undefined;
}
