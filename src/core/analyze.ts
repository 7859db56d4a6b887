/**
 * The pure core's one entry point: source text in, `Analysis` out. Parse → interpret → extract one
 * iteration → workload (ops, memory, run) → projection per device → verdict. Never throws.
 */
import type {
  Analysis, Assumption, Dtype, Loc, MemoryBreakdown, ModuleSummary, Op, Problem, Provenance, RunSpec, Uncounted, Workload,
} from './types';
import { DTYPE_BYTES } from './types';
import type { AnalyzeInput, AnalyzeSettings } from './api';
import { normalizeKey, parseDirectives, parseDirectiveValue } from './directives';
import { VALUE_RANGES } from './ranges';
import type { Directive } from './directives';
import { Interpreter } from './interpret/interpreter';
import { backwardPlan, extractIteration } from './interpret/iteration';
import type { OpRecord } from './interpret/recorder';
import { isKind, isModuleValue, isNum } from './interpret/values';
import type { Value } from './interpret/values';
import { findDataset } from './data/datasets';
import { project } from './project';
import { DEFAULT_COMPARE_IDS, getHardware, hardwareProfileErrors } from './hardware';
import type { HardwareProfile } from './hardware/types';
import { parseModule } from './parse/ast';
import type { Stmt } from './parse/ast';

export const DEFAULT_SETTINGS: AnalyzeSettings = {
  defaultBatch: 32,
  defaultSeqLen: 512,
  defaultDtype: 'fp32',
  computeEfficiency: 1,
  memoryEfficiency: 1,
  overrides: {},
};

/** Files larger than this are analysed up to the cap, with a notice. */
export const MAX_SOURCE_CHARS = 2_000_000;

/** Op classes whose FLOPs make the headline count (matrix work), as PyTorch's counters and MFU define it. */
export const MATRIX_CLASSES: ReadonlySet<string> = new Set(['gemm', 'conv', 'attention', 'rnn']);

/** Optimizer state bytes per trainable parameter (fp32 states). */
const OPTIMIZER_STATE_BYTES: Record<string, number> = {
  sgd: 0, momentum: 4, adam: 8, adamw: 8, adam8bit: 2, adafactor: 4, lion: 4, rmsprop: 4, adagrad: 4, none: 0,
};

/** Packages that are never local modules (the host need not look for them in the workspace). */
const EXTERNAL_PACKAGES = /^(torch|torchvision|numpy|np|os|sys|math|json|time|argparse|dataclasses|typing|transformers|datasets|diffusers|peft|timm|tqdm|random|collections|functools|itertools|pathlib|contextlib|inspect|logging|pickle|copy|re|glob|shutil|wandb|einops|lightning|pytorch_lightning|accelerate|bitsandbytes|trl|matplotlib|pandas|sklearn|scipy|PIL|tiktoken|yaml|types|abc|enum|warnings|subprocess|socket|requests|urllib)(\.|$)/;

/**
 * Dotted names of `import x` / `from x import y` statements anywhere in the file (also inside
 * functions, classes and `if`/`try` blocks), for the host to read local modules. Pass the same
 * `cacheKey` as the following `analyze` call's `file`: the parse is then shared (the host calls
 * this on every edit, and a second full parse would cost as much as the whole analysis).
 */
export function localImports(text: string, cacheKey?: string): string[] {
  const out = new Set<string>();
  try {
    const mod = parseModule(text.length > MAX_SOURCE_CHARS ? text.slice(0, MAX_SOURCE_CHARS) : text, undefined, 0, cacheKey);
    const visit = (body: Stmt[]): void => {
      for (const s of body) {
        switch (s.t) {
          case 'import': for (const n of s.names) out.add(n.module); break;
          case 'from':
            if (s.module) out.add(s.module);
            for (const n of s.names) {
              if (n.name === '*') continue;
              out.add(s.module ? `${s.module}.${n.name}` : n.name);
            }
            break;
          case 'if': for (const b of s.branches) visit(b.body); visit(s.orelse); break;
          case 'for': visit(s.body); visit(s.orelse); break;
          case 'while': case 'def': case 'class': case 'with': visit(s.body); break;
          case 'try': visit(s.body); for (const h of s.handlers) visit(h); visit(s.orelse); visit(s.finally); break;
          default: break;
        }
      }
    };
    visit(mod.body);
  } catch {
    // parseModule does not throw on bad input; this is belt and braces.
  }
  return [...out].filter((n) => /^[\w.]+$/.test(n) && !EXTERNAL_PACKAGES.test(n));
}

export function analyze(input: AnalyzeInput): Analysis {
  const t0 = nowMs();
  const settings: AnalyzeSettings = { ...DEFAULT_SETTINGS, ...(input.settings ?? {}), overrides: { ...(input.settings?.overrides ?? {}) } };
  const problems: Problem[] = [];
  let text = input.cells ? input.cells.join('\n\n') : input.text;
  // A leading byte-order mark (U+FEFF) is an encoding marker, not Python: it would read as a syntax error.
  if (text.charCodeAt(0) === 0xfeff) text = text.slice(1);
  if (text.length > MAX_SOURCE_CHARS) {
    problems.push({ severity: 'warning', code: 'too-large', message: `The file is ${(text.length / 1e6).toFixed(1)} M characters; FlopLens analysed the first ${(MAX_SOURCE_CHARS / 1e6).toFixed(0)} M.` });
    text = text.slice(0, MAX_SOURCE_CHARS);
  }
  try {
    return analyzeInner(input, text, settings, problems, t0);
  } catch (e) {
    problems.push({ severity: 'error', code: 'internal', message: `FlopLens could not finish the analysis: ${(e as Error)?.message ?? e}. Partial results only.` });
    return emptyAnalysis(input.file, problems, t0);
  }
}

function analyzeInner(input: AnalyzeInput, text: string, settings: AnalyzeSettings, problems: Problem[], t0: number): Analysis {
  // Directives in the script win; settings overrides (`--set key=value`) apply where the script has none.
  // Like every location in the main document, directive locations carry no file (diagnostics and the views
  // read a `file` as "in an imported module").
  const parsed = parseDirectives(text);
  pushAll(problems, parsed.problems);
  sanitizeSettings(settings, problems);
  const directives = new Map<string, Directive & { source: Provenance }>();
  for (const [k, raw] of overrideEntries(settings.overrides, problems)) {
    const r = parseDirectiveValue(k, raw);
    if ('error' in r) { problems.push({ severity: 'warning', code: 'setting', message: `Setting override: ${r.error}` }); continue; }
    const key = normalizeKey(k);
    directives.set(key, { key, value: r.value, raw, loc: undefined as unknown as Loc, source: 'setting' });
  }
  for (const [k, d] of parsed.values) directives.set(k, { ...d, source: 'directive' });
  const dNum = (k: string): number | undefined => { const d = directives.get(k); return d && typeof d.value === 'number' ? d.value : undefined; };
  const dStr = (k: string): string | undefined => { const d = directives.get(k); return d && typeof d.value === 'string' ? d.value : undefined; };

  const forcedDtype = dStr('dtype') as Dtype | undefined;
  const it = new Interpreter({
    modules: input.modules ?? [],
    defaultBatch: settings.defaultBatch,
    defaultSeqLen: settings.defaultSeqLen,
    defaultDtype: forcedDtype ?? settings.defaultDtype,
  });
  for (const k of ['batch', 'seq', 'accum', 'vocab', 'image_size', 'prompt', 'new_tokens', 'params', 'layers', 'hidden', 'heads', 'devices']) {
    const v = dNum(k);
    if (v !== undefined) it.directives.set(k, { value: v, note: directives.get(k)!.source === 'directive' ? 'a # floplens directive' : 'a setting' });
  }
  if (forcedDtype) it.forcedDtype = forcedDtype;
  // Locations in the main document carry no file; the file name keys the incremental-parse cache.
  const { parseProblems } = it.runMain(text, undefined, input.file);
  pushAll(problems, parseProblems.map((p) => ({ ...p, loc: p.loc ? { ...p.loc, file: undefined } : undefined })));

  // Nothing called the model: call the main model once with a guessed input (constructor fallback).
  if (!it.recorder.events.some((e) => e.kind === 'model-call' || e.kind === 'generate')) {
    const root = mainModel(it);
    if (root) {
      try {
        it.lib.callModule(root.value, [{ kind: 'unknown' }], new Map(), root.loc, root.name);
        problems.push({ severity: 'info', code: 'no-call', message: `The script never calls ${root.name}; FlopLens traced one forward pass with an input guessed from its first layer.`, loc: root.loc });
      } catch (e) {
        it.reportAbort(e);
      }
    }
  }
  pushAll(problems, it.problems);

  const iter = extractIteration(it.recorder.ops, it.recorder.events);
  // Ops whose cost evaluated to a figure FlopLens cannot use (a negative or NaN size in the script,
  // an overflowing one) are uncounted, named, instead of poisoning every total.
  const unusable = new Map<string, { name: string; reason: string; loc?: Loc }>();
  iter.ops = iter.ops.filter(({ rec, count }) => {
    const bad = badOpFigure(rec, count);
    if (!bad) return true;
    const name = rec.label || rec.cost.kind;
    if (!unusable.has(name)) unusable.set(name, { name, reason: `its ${bad} evaluated to a value FlopLens cannot use (negative, NaN or beyond float range); its cost is unknown`, ...(rec.loc ? { loc: rec.loc } : {}) });
    return false;
  });
  const modeDirective = dStr('mode') as 'train' | 'infer' | undefined;
  const mode = modeDirective ?? iter.mode;
  const assumptions: Assumption[] = [];
  const add = (name: string, value: number | string | boolean, source: Provenance, note?: string, loc?: Loc, unit?: string) => {
    const a: Assumption = { name, value, source };
    if (note) a.note = note;
    if (loc) a.loc = loc;
    if (unit) a.unit = unit;
    assumptions.push(a);
  };

  // Ops of one iteration.
  const plan = backwardPlan(it.recorder.ops);
  const ops: Op[] = iter.ops.map(({ rec, count }) => toOp(rec, count, mode, plan.get(rec)));
  const seenParamOwners = new Map<string, Set<string>>();
  for (const o of ops) {
    let labels = seenParamOwners.get(o.name);
    if (!labels) { labels = new Set(); seenParamOwners.set(o.name, labels); }
    if (labels.has(o.label)) { o.params = 0; o.trainableParams = 0; } else labels.add(o.label);
  }

  // Models that ran: roots of model-call events in the iteration.
  const isCall = (k: string) => k === 'model-call' || k === 'generate';
  const rootIds = new Set(it.recorder.events.filter((e) => isCall(e.kind) && e.moduleId !== undefined && (!iter.frame || e.ctx.some((c) => c.type === 'loop' && c.frame.id === iter.frame!.id))).map((e) => e.moduleId!));
  if (rootIds.size === 0) for (const e of it.recorder.events) if (isCall(e.kind) && e.moduleId !== undefined) rootIds.add(e.moduleId);
  const roots = it.constructed.map((c) => c.value).filter((v) => isModuleValue(v) && rootIds.has(v.id));
  for (const r of it.lib.catalog.models()) if (rootIds.has(r.id) && !roots.includes(r)) roots.push(r);
  const counts = it.lib.countParams(roots);
  if (counts.unknown) problems.push({ severity: 'warning', code: 'params-unknown', message: 'Some layers have parameters FlopLens could not size (an argument it could not evaluate); the parameter count is a lower bound.' });
  let params = counts.total;
  let trainable = mode === 'train' ? counts.trainable : 0;
  // A model written with raw tensors (`W = torch.randn(..., requires_grad=True)`) has those tensors as parameters.
  const rawParams = it.lib.flags.rawParams.reduce((a, t) => a + t.shape.reduce((x, y) => x * y, 1), 0);
  if (rawParams > 0) {
    params += rawParams;
    if (mode === 'train') trainable += rawParams;
    add('raw parameters', rawParams, 'inferred', `${it.lib.flags.rawParams.length} tensors created with requires_grad outside any nn.Module`, undefined, 'parameters');
  }
  const dParams = dNum('params');
  if (dParams !== undefined && params === 0) { params = dParams; trainable = mode === 'train' ? dParams : 0; }

  // Batch, sequence and dtype as traced.
  const loaderBs = it.lib.flags.loaders.map((l) => l.attrs.get('batch_size')).find(isNum);
  let rootInput = firstRootInput(it.recorder.ops);
  // Token input fed sequence-first ([S, N], as nn.Transformer/nn.RNN take by default after `.T`): the DataLoader's
  // batch is the second dim.
  // Or token ids [S, N] into an embedding and an RNN without batch_first: the RNN reads dim 1 as the batch.
  const seqFirst = rootInput?.length !== 2 ? undefined
    : loaderBs !== undefined && rootInput[0] !== loaderBs && rootInput[1] === loaderBs ? 'its second dim is the DataLoader batch'
      : seqFirstInput(it.recorder.ops, rootInput) ? 'the recurrent layer it feeds has batch_first=False' : undefined;
  if (rootInput && seqFirst) {
    rootInput = [rootInput[1], rootInput[0]];
    add('layout', 'sequence-first', 'inferred', `the model input is [${rootInput[1]}, ${rootInput[0]}] (sequence, batch): ${seqFirst}`);
  }
  // No nn.Module call to trace (a function-style model): the loop's DataLoader batch is the samples per call.
  const loaderBatch = rootInput ? undefined : loaderBs;
  const batch = scriptCount('batch', dNum('batch') ?? it.lib.catalog.batch() ?? rootInput?.[0] ?? loaderBatch ?? settings.defaultBatch, problems) ?? settings.defaultBatch;
  const seqLen = scriptCount('seq', dNum('seq') ?? it.lib.catalog.seqLen() ?? (rootInput && rootInput.length === 2 && isTokenModel(ops) ? rootInput[1] : undefined), problems);
  const dtype = dominantDtype(ops) ?? forcedDtype ?? settings.defaultDtype;
  const batchSource: Provenance = directives.has('batch') ? directives.get('batch')!.source : it.lib.guessedInput ? 'inferred' : rootInput || loaderBatch !== undefined ? 'literal' : 'default';
  add('batch', batch, batchSource, batchSource === 'literal' ? (rootInput ? 'traced from the input the model is called with' : 'the DataLoader batch_size (no nn.Module call to trace)') : batchSource === 'inferred' ? 'guessed from the first layer and batch-size names in the script' : undefined, undefined, 'samples');
  if (seqLen !== undefined) add('seq', seqLen, directives.has('seq') ? directives.get('seq')!.source : 'literal', 'sequence length of the model input', undefined, 'tokens');
  add('dtype', dtype, forcedDtype ? directives.get('dtype')!.source : it.autocast.length || it.lib.flags.modelDtypes.length ? 'literal' : 'default', forcedDtype ? undefined : it.lib.flags.modelDtypes.length ? 'model cast in the script' : 'autocast / default precision');

  // Steps.
  let steps = iter.steps;
  let stepsSource: Provenance = 'inferred';
  let stepsNote = iter.stepsNote;
  const dsDirective = directives.get('dataset');
  let datasetSize: number | undefined = dNum('dataset_size');
  let datasetName: string | undefined;
  const ds = it.lib.flags.datasets[0];
  if (ds) {
    const size = ds.attrs.get('size');
    if (isNum(size)) datasetSize = datasetSize ?? scriptCount('dataset_size', size, problems);
    datasetName = String(ds.attrs.get('name') ?? '');
  }
  if (dsDirective) {
    const n = Number(dsDirective.value);
    if (Number.isFinite(n)) datasetSize = n;
    else { const info = findDataset(String(dsDirective.value)); if (info) { datasetSize = info.train; datasetName = info.name; } else problems.push({ severity: 'warning', code: 'directive', message: `Unknown dataset '${dsDirective.value}'. Use dataset_size=N instead.`, loc: dsDirective.loc }); }
  }
  const epochsD = dNum('epochs');
  const microBatches = scriptCount('accum', dNum('accum') ?? iter.microBatches, problems) ?? 1;
  if (iter.steps !== undefined) steps = scriptCount('steps', iter.steps, problems);
  if (dNum('steps') !== undefined) { steps = dNum('steps')!; stepsSource = directives.get('steps')!.source; stepsNote = 'set by directive'; }
  else if (dNum('tokens') !== undefined && seqLen) { steps = Math.ceil(dNum('tokens')! / (batch * microBatches * seqLen * (dNum('devices') ?? 1))); stepsSource = directives.get('tokens')!.source; stepsNote = `token budget ${fmt(dNum('tokens')!)} / ${fmt(batch * microBatches * seqLen)} tokens per step`; }
  // A dataset size set by directive (dataset=…, dataset_size=…) or epochs=… recomputes the run: each epoch is
  // ceil(size / batch) loader batches (the last one partial), grouped by the micro-batches of a step.
  else if ((epochsD !== undefined || dsDirective || (directives.has('dataset_size') && iter.steps === undefined)) && datasetSize) {
    const ep = epochsD ?? (iter.outer.length ? iter.outer.reduce((a, f) => a * (f.trips ?? 1), 1) : 1);
    steps = Math.ceil((ep * Math.ceil(datasetSize / batch)) / microBatches);
    stepsSource = 'directive';
    stepsNote = `${ep} epochs × ${fmt(datasetSize)} samples / (batch ${batch} × ${microBatches})`;
  }
  if (steps !== undefined && !usableCount('steps', steps)) {
    problems.push({ severity: 'warning', code: 'bad-value', message: `The run would have ${String(steps)} steps (from ${stepsNote ?? 'the script'}), which FlopLens cannot use (allowed 1 to ${VALUE_RANGES.get('steps')!.max.toExponential()}); the step count is unknown.` });
    steps = undefined;
  }
  if (steps === undefined) {
    steps = mode === 'train' ? 1000 : 1;
    stepsSource = 'default';
    problems.push({ severity: 'info', code: 'steps-unknown', message: `Could not tell how many iterations the run has (${iter.stepsNote}); assuming ${steps}. Add \`# floplens: steps=N\` or \`epochs=N dataset=…\`.`, loc: iter.stepsLoc });
  }
  add('steps', steps!, stepsSource, stepsNote, iter.stepsLoc, 'iterations');
  if (iter.earlyExit && dNum('accum') === undefined) {
    const f = iter.earlyExit;
    problems.push({ severity: 'info', code: 'data-dependent', message: `The ${f.label} loop at line ${f.loc?.line ?? '?'} can end early at a break that depends on the data (an episode ending, convergence): its ${fmt(f.trips ?? 0)} passes are an upper bound on the model calls per step. Add \`# floplens: accum=N\` for a typical count.`, loc: f.loc });
  }
  if (microBatches > 1) add('accum', microBatches, directives.has('accum') ? directives.get('accum')!.source : 'literal', iter.microNote, undefined, 'micro-batches');
  const fromCatalog = !!datasetName && !!findDataset(datasetName);
  if (datasetSize) add('dataset', datasetName ? `${datasetName} (${fmt(datasetSize)})` : fmt(datasetSize), dsDirective ? dsDirective.source : fromCatalog || !datasetName ? 'catalog' : 'inferred', fromCatalog ? 'sample count from the dataset catalog' : datasetName ? 'what the dataset\'s __len__ / the tensors it wraps give' : undefined);

  // Optimizer.
  const optObj = it.lib.flags.optimizers[0];
  // No optimizer object but the script reads `.grad`: a hand-written update (plain SGD, no state).
  const manualUpdate = !optObj && it.lib.flags.readsGrad && !it.lib.catalog.trainerOptimizer();
  let optName = dStr('optimizer') ?? (optObj ? String(optObj.attrs.get('name') ?? 'adam').toLowerCase() : mode === 'train' ? (manualUpdate ? 'sgd' : it.lib.catalog.trainerOptimizer() ?? 'adamw') : 'none');
  if (optName === 'sgd' && optObj && isNum(optObj.attrs.get('momentum')) && (optObj.attrs.get('momentum') as number) > 0) optName = 'momentum';
  if (/8bit/.test(optName)) optName = 'adam8bit';
  const optBytes = OPTIMIZER_STATE_BYTES[optName.replace(/^paged/, '').replace(/32bit$/, '')] ?? 8;
  if (mode === 'train') add('optimizer', optName, dStr('optimizer') ? directives.get('optimizer')!.source : optObj ? 'literal' : manualUpdate ? 'inferred' : 'default', manualUpdate ? 'a hand-written update from .grad (no optimizer state)' : `${optBytes} bytes of state per trainable parameter`, optObj?.loc);

  // Memory.
  const weightBytesPerParam = it.lib.catalog.weightBytesPerParam() ?? (it.lib.flags.modelDtypes.length ? DTYPE_BYTES[it.lib.flags.modelDtypes[it.lib.flags.modelDtypes.length - 1]] : forcedDtype && forcedDtype !== 'tf32' && mode === 'infer' ? DTYPE_BYTES[forcedDtype] : 4);
  const weights = params * weightBytesPerParam;
  const gradients = mode === 'train' ? trainable * Math.max(2, weightBytesPerParam) : 0;
  const optimizer = mode === 'train' ? trainable * optBytes + (weightBytesPerParam < 4 && mode === 'train' && optName !== 'none' && optName !== 'sgd' ? trainable * 4 : 0) : 0;
  const micro = Math.max(1, microBatches);
  const catalogMem = it.lib.catalog.memory();
  // Checkpointed segments keep only their inputs; everything else keeps its saved activations.
  const recomputedOps = new Set(iter.ops.filter((x) => x.rec.recomputed).map((x) => x.rec));
  // Ops before anything requires grad (a frozen prefix) save nothing for backward.
  const savedBy = (keep: (rec: OpRecord) => boolean) => iter.ops.reduce((a, { rec, count }) => a + (mode === 'train' && rec.grad && !recomputedOps.has(rec) && keep(rec) ? rec.cost.savedBytes * count : 0), 0);
  const savedAll = savedBy(() => true);
  let savedPerMicro = savedBy((rec) => plan.get(rec) !== 'none') / micro;
  // The catalog's modelled activations shrink in the same proportion when a frozen prefix keeps nothing.
  const keptShare = savedAll > 0 ? (savedPerMicro * micro) / savedAll : 1;
  if (mode === 'train' && recomputedOps.size) {
    // Checkpoint segments keep their inputs; one segment's activations live again during its backward.
    const segs = it.lib.flags.checkpoints.filter((c) => (iter.weight(c.ctx) ?? 0) > 0);
    savedPerMicro += segs.reduce((a, c) => a + c.inputBytes, 0) + Math.max(0, ...segs.map((c) => c.savedBytes));
  }
  // A `recompute=full` directive without checkpoint calls in the script: keep block inputs only,
  // 2·s·b·h of Korthikanti et al.'s 34·s·b·h per transformer layer.
  const fullByDirective = dStr('recompute') === 'full' && recomputedOps.size === 0;
  const activations = catalogMem.activations !== undefined ? catalogMem.activations * (mode === 'train' ? keptShare : 1) : (mode === 'train' ? savedPerMicro * (fullByDirective ? 2 / 34 : 1) : peakInferenceActivation(ops));
  // Host→device copies of one micro-batch (`x.to(device)` inside the iteration).
  const copies = it.lib.flags.inputBytes.map((b) => b.bytes * (iter.weight(b.ctx) ?? 0)).reduce((a, b) => a + b, 0);
  const inputBytes = copies > 0 ? copies / Math.max(1, microBatches) : rootInputBytes(rootInput, batch);
  const kvCache = catalogMem.kvCache ?? 0;
  const memory: MemoryBreakdown = {
    weights: catalogMem.weights ?? weights, gradients: catalogMem.gradients ?? gradients, optimizer: catalogMem.optimizer ?? optimizer,
    activations, inputs: inputBytes, kvCache, overhead: 0, peakBytes: 0,
  };
  memory.peakBytes = memory.weights + memory.gradients + memory.optimizer + memory.activations + memory.inputs + memory.kvCache;

  // Headline FLOPs follow PyTorch's FlopCounterMode / MFU convention: matrix work only (GEMM, conv,
  // attention, RNN). Element-wise and normalisation ops keep their own FLOPs on each op (they matter
  // for time through bytes moved) and are totalled separately as vector FLOPs.
  const isMatrix = (o: Op) => MATRIX_CLASSES.has(o.opClass);
  const forwardFlops = ops.reduce((a, o) => a + (isMatrix(o) ? o.forwardFlops * o.count : 0), 0);
  const vectorFlops = ops.reduce((a, o) => a + (isMatrix(o) ? 0 : o.forwardFlops * o.count), 0);
  const backwardFlops = mode === 'train' ? ops.reduce((a, o) => a + (isMatrix(o) ? o.backwardFlops * o.count : 0), 0) : 0;
  const recompute = (dStr('recompute') as RunSpec['recompute']) ?? (it.lib.flags.gradCheckpointing ? 'full' : 'none');
  const checkpointedFlops = iter.ops.reduce((a, { rec, count }) => a + (rec.recomputed && MATRIX_CLASSES.has(rec.cost.opClass) ? rec.cost.forwardFlops * count : 0), 0);
  const recomputeFlops = mode !== 'train' ? 0 : checkpointedFlops > 0 ? checkpointedFlops : recompute === 'full' ? forwardFlops : 0;
  const tokensPerStep = seqLen && isTokenModel(ops) ? batch * micro * seqLen : it.lib.catalog.tokensPerStep();
  const unit = it.lib.catalog.throughputUnit() ?? (tokensPerStep ? 'tokens/s' : isImageModel(ops) ? 'images/s' : 'samples/s');
  const itemsPerStep = it.lib.catalog.itemsPerStep() ?? (unit === 'tokens/s' ? tokensPerStep ?? batch * micro : batch * micro);
  const devices = dNum('devices');
  const run: RunSpec = {
    mode, batch, microBatches: micro, dtype, allowTf32: directives.get('tf32')?.value === true || it.lib.flags.allowTf32,
    optimizerBytesPerParam: mode === 'train' ? optBytes : 0, steps: steps!, inputBytesPerStep: inputBytes * micro,
    throughputUnit: unit, itemsPerStep, recompute,
  };
  if (seqLen !== undefined) run.seqLen = seqLen;
  if (mode === 'train') run.optimizer = optName;
  if (epochsD !== undefined) run.epochs = epochsD;
  else if (iter.outer.length && iter.outer.every((f) => f.trips !== undefined)) run.epochs = iter.outer.reduce((a, f) => a * f.trips!, 1);
  if (datasetSize !== undefined) run.datasetSize = datasetSize;
  if (datasetName) run.datasetName = datasetName;
  if (tokensPerStep) run.tokensPerStep = tokensPerStep;
  if (it.lib.flags.device) run.device = it.lib.flags.device;
  if (it.lib.flags.pinMemory !== undefined) run.pinMemory = it.lib.flags.pinMemory;
  if (devices !== undefined) run.devices = devices;
  if (dStr('runtime')) run.runtime = dStr('runtime') as RunSpec['runtime'];
  else if (it.lib.flags.compiled) run.runtime = 'compiled';
  // A directive's `tokens=` budget or a script without DDP states the whole job's step; a DDP script's
  // loop is one rank's step.
  if (devices !== undefined && devices > 1) run.batchScope = it.lib.flags.ddp ? 'device' : 'global';
  const gen = it.lib.catalog.generation();
  if (gen) { run.promptTokens = gen.prompt; run.newTokens = gen.newTokens; }
  if (devices !== undefined) add('devices', devices, directives.get('devices')!.source, 'GPUs in the run', undefined, 'GPUs');

  const workload: Workload = { run, ops, memory, params, trainableParams: trainable, forwardFlops, backwardFlops, recomputeFlops };

  // Hardware and projection.
  const hwIds = dStr('hardware')?.split(',').map((s) => s.trim()).filter(Boolean).slice(0, 64);
  const given = usableHardware(input.hardware, problems);
  let hardware: HardwareProfile[] = given;
  if (hwIds) {
    hardware = hwIds.map((id) => getHardware(id) ?? given.find((h) => h.id === id)).filter((h): h is HardwareProfile => !!h);
    const missing = hwIds.filter((id) => !hardware.some((h) => h.id === id));
    if (missing.length) problems.push({ severity: 'warning', code: 'directive', message: `Unknown hardware id(s): ${missing.join(', ')}.`, loc: directives.get('hardware')?.loc });
  }
  if (hardware.length === 0) hardware = DEFAULT_COMPARE_IDS.map((id) => getHardware(id)).filter((h): h is HardwareProfile => !!h);
  let projections: Analysis['projections'] = [];
  let verdict: Analysis['verdict'] = { summary: 'Nothing to project: no model work was found in this script.', gpuPaysOff: false, reason: 'no work' };
  if (forwardFlops > 0 || ops.length > 0) {
    try {
      const r = project(workload, hardware, { computeEfficiency: settings.computeEfficiency, memoryEfficiency: settings.memoryEfficiency, launchOverheadSeconds: settings.launchOverheadSeconds });
      projections = r.projections;
      verdict = r.verdict;
    } catch (e) {
      problems.push({ severity: 'error', code: 'internal', message: `Projection failed: ${(e as Error).message}` });
    }
  }

  const uncounted: Uncounted[] = [...it.lib.uncountedOps.values(), ...unusable.values()].map((u) => (u.loc ? { name: u.name, reason: u.reason, loc: u.loc } : { name: u.name, reason: u.reason }));
  for (const u of uncounted.slice(0, 20)) problems.push({ severity: 'info', code: 'uncounted', message: `Uncounted: ${u.name} (${u.reason}).`, loc: u.loc });

  const modules = summarizeModules(it, ops, iter.frame?.loc, mode, forwardFlops, backwardFlops);
  const catalogCross = it.lib.catalog.crossChecks();
  const model = {
    name: modelName(it, roots),
    params, trainableParams: trainable, frozenParams: Math.max(0, params - trainable), paramBytes: memory.weights,
    source: (it.lib.catalog.models().length ? 'catalog' : params > 0 ? 'script' : dParams ? 'directive' : 'none') as Analysis['model']['source'],
  } as Analysis['model'];
  const catId = it.lib.catalog.models()[0]?.attrs.get('catalogId');
  if (typeof catId === 'string') model.catalogId = catId;
  // No work stays no work however long the run (0 × an overflowing step count would be NaN).
  const stepFlops = forwardFlops + backwardFlops + recomputeFlops;
  const totalFlops = stepFlops === 0 ? 0 : stepFlops * (steps ?? 1);
  const analysis: Analysis = {
    schemaVersion: 1,
    file: input.file,
    model,
    step: { batch, microBatches: micro, forwardFlops, forwardMacs: forwardFlops / 2, vectorFlops, bytes: ops.reduce((a, o) => a + (o.bytesRead + o.bytesWritten) * o.count, 0) },
    memory,
    run: { ...run, totalFlops },
    ops,
    modules,
    uncounted,
    assumptions,
    problems: dedupeProblems(problems),
    projections,
    verdict,
    elapsedMs: 0,
  };
  if (seqLen !== undefined) analysis.step.seqLen = seqLen;
  if (tokensPerStep) analysis.step.tokens = tokensPerStep;
  if (mode === 'train') { analysis.step.backwardFlops = backwardFlops; analysis.step.trainFlops = forwardFlops + backwardFlops + recomputeFlops; }
  if (catalogCross.length || (tokensPerStep && mode === 'train' && params > 0)) {
    const D = (tokensPerStep ?? 0) * (steps ?? 1);
    analysis.crossChecks = catalogCross.length ? catalogCross : [
      { name: '6·N·D', flops: 6 * params * D, note: 'Kaplan/Chinchilla rule of thumb, no attention' },
      { name: '8·N·D', flops: 8 * params * D, note: 'with full activation recomputation' },
    ];
  }
  guardFigures(analysis);
  analysis.elapsedMs = nowMs() - t0;
  return analysis;
}

/** Appends without spreading into a call (a spread of 100k+ items overflows the stack). */
function pushAll<T>(into: T[], items: readonly T[]): void {
  for (const x of items) into.push(x);
}

/** Most overrides read from settings / `--set` (there are 25 directive keys). */
const MAX_OVERRIDES = 64;

/** The overrides as [key, value] pairs: own keys only (never Object.prototype), strings, at most MAX_OVERRIDES. */
function overrideEntries(overrides: unknown, problems: Problem[]): [string, string][] {
  if (overrides === null || typeof overrides !== 'object' || Array.isArray(overrides)) {
    if (overrides !== undefined && overrides !== null) problems.push({ severity: 'warning', code: 'setting', message: 'Setting overrides must be an object of key → value; they are ignored.' });
    return [];
  }
  const keys = Object.keys(overrides);
  if (keys.length > MAX_OVERRIDES) problems.push({ severity: 'warning', code: 'setting', message: `${keys.length} setting overrides; only the first ${MAX_OVERRIDES} are read.` });
  const out: [string, string][] = [];
  for (const k of keys.slice(0, MAX_OVERRIDES)) {
    const v: unknown = (overrides as Record<string, unknown>)[k];
    if (typeof v === 'string' || typeof v === 'number' || typeof v === 'boolean') out.push([k, String(v)]);
    else problems.push({ severity: 'warning', code: 'setting', message: `Setting override '${k.slice(0, 40)}': the value must be a string, number or boolean; it is ignored.` });
  }
  return out;
}

/** Settings a host passes in: numbers inside the same bounds as the directives, else the default with a problem. */
function sanitizeSettings(s: AnalyzeSettings, problems: Problem[]): void {
  const check = (name: string, v: unknown, min: number, max: number, fallback: number | undefined, integer: boolean): number | undefined => {
    if (v === undefined && fallback === undefined) return undefined;
    if (typeof v === 'number' && Number.isFinite(v) && v >= min && v <= max && (!integer || Number.isInteger(v))) return v;
    problems.push({ severity: 'warning', code: 'setting', message: `Setting ${name}=${String(v).slice(0, 40)} is out of range (allowed ${min} to ${max}); using ${fallback ?? 'the documented default'}.` });
    return fallback;
  };
  const b = VALUE_RANGES.get('batch')!, q = VALUE_RANGES.get('seq')!;
  s.defaultBatch = check('defaultBatch', s.defaultBatch, b.min, b.max, DEFAULT_SETTINGS.defaultBatch, true)!;
  s.defaultSeqLen = check('defaultSeqLen', s.defaultSeqLen, q.min, q.max, DEFAULT_SETTINGS.defaultSeqLen, true)!;
  s.computeEfficiency = check('computeEfficiency', s.computeEfficiency, 0.05, 2, 1, false)!;
  s.memoryEfficiency = check('memoryEfficiency', s.memoryEfficiency, 0.05, 2, 1, false)!;
  const lo = check('launchOverheadSeconds', s.launchOverheadSeconds, 0, 1, undefined, false);
  if (lo === undefined) delete s.launchOverheadSeconds; else s.launchOverheadSeconds = lo;
  if (!(Object.hasOwn(DTYPE_BYTES, s.defaultDtype))) {
    problems.push({ severity: 'warning', code: 'setting', message: `Setting defaultDtype=${String(s.defaultDtype).slice(0, 20)} is not a dtype; using fp32.` });
    s.defaultDtype = 'fp32';
  }
}

/** Profiles handed in by the host that are safe to project on; the others are named in a problem and dropped. */
function usableHardware(given: unknown, problems: Problem[]): HardwareProfile[] {
  if (!Array.isArray(given)) return [];
  const out: HardwareProfile[] = [];
  let bad = 0;
  for (const h of given.slice(0, 256)) {
    const errs = hardwareProfileErrors(h, `hardware "${String((h as { id?: unknown })?.id ?? '?').slice(0, 64)}"`);
    if (errs.length === 0) out.push(h as HardwareProfile);
    else if (bad++ < 5) problems.push({ severity: 'warning', code: 'hardware', message: `${errs.slice(0, 3).join('; ')}. The profile is not projected on.` });
  }
  if (bad > 5) problems.push({ severity: 'warning', code: 'hardware', message: `${bad - 5} more hardware profiles are invalid and not projected on.` });
  return out;
}

/** A run quantity as the script or a catalog gives it is usable: finite, positive, inside its range. */
function usableCount(key: string, v: number): boolean {
  const r = VALUE_RANGES.get(key);
  return Number.isFinite(v) && v > 0 && (!r || v <= r.max);
}

/** `v` when usable, else undefined with a problem naming the key, the value and the allowed range. */
function scriptCount(key: string, v: number | undefined, problems: Problem[]): number | undefined {
  if (v === undefined || usableCount(key, v)) return v;
  const r = VALUE_RANGES.get(key);
  problems.push({ severity: 'warning', code: 'bad-value', message: `The script's ${key} evaluates to ${String(v)}, which FlopLens cannot use (allowed ${r ? `${r.min} to ${r.max.toExponential()}` : 'a positive finite number'}); it is treated as unknown.` });
  return undefined;
}

/** The first unusable figure of an op's cost (for the message), or undefined when all are finite and ≥ 0. */
function badOpFigure(rec: OpRecord, count: number): string | undefined {
  const c = rec.cost;
  const figures: [string, unknown][] = [['count', count], ['forward FLOPs', c.forwardFlops], ['backward FLOPs', c.backwardFlops], ['parameters', c.params], ['bytes read', c.bytesRead], ['bytes written', c.bytesWritten], ['saved activations', c.savedBytes]];
  for (const [name, v] of figures) if (!isFigure(v)) return name;
  for (const d of c.outputShape ?? []) if (!isFigure(d)) return 'output shape';
  const total = (c.forwardFlops + c.backwardFlops + c.bytesRead + c.bytesWritten) * count;
  return Number.isFinite(total) ? undefined : 'total over its calls';
}

const isFigure = (v: unknown): v is number => typeof v === 'number' && Number.isFinite(v) && v >= 0;

/**
 * The output contract's net: no figure of the Analysis is negative, NaN, ±Infinity or null. A bad figure
 * becomes 0 with an error naming it ("unknown"); when a workload figure was bad, or any projection has one,
 * the projections are dropped and the verdict says why instead of claiming anything from them.
 */
export function guardFigures(a: Analysis): void {
  const bad: string[] = [];
  const fix = (obj: object, path: string, optional: boolean) => {
    const rec = obj as Record<string, unknown>;
    for (const k of Object.keys(rec)) {
      const v = rec[k];
      if (typeof v === 'number' ? isFigure(v) : v !== null) continue;
      bad.push(`${path}.${k}`);
      if (optional) delete rec[k]; else rec[k] = 0;
    }
  };
  fix(a.model, 'model', false);
  fix(a.step, 'step', false);
  fix(a.memory, 'memory', false);
  fix(a.run, 'run', false);
  for (const m of a.modules) fix(m, `module ${m.name}`, false);
  for (const o of a.ops) fix(o, `op ${o.name}`, false);
  if (a.crossChecks) a.crossChecks = a.crossChecks.filter((c) => isFigure(c.flops));
  a.assumptions = a.assumptions.filter((x) => typeof x.value !== 'number' || isFigure(x.value) || (bad.push(`assumption ${x.name}`), false));
  if (a.verdict.speedup !== undefined && !isFigure(a.verdict.speedup)) delete a.verdict.speedup;
  const badProjection = a.projections.find((p) => !figuresOk(p));
  if (bad.length === 0 && !badProjection) return;
  const what = bad.length ? bad.slice(0, 5).join(', ') : `the projection on ${badProjection!.hardwareName}`;
  a.problems.push({ severity: 'error', code: 'bad-figure', message: `Some figures could not be computed (${what}${bad.length > 5 ? ', …' : ''}): they evaluate to a value outside what FlopLens can represent and are shown as unknown (0). Check the sizes in the script and the directives.` });
  if (a.projections.length) {
    a.projections = [];
    a.verdict = { summary: 'No verdict: some figures of this workload are unknown (they overflow or are not numbers), so no time or cost is projected.', gpuPaysOff: false, reason: 'unknown figures' };
  }
}

/** Every number anywhere in `v` (objects, arrays) is finite and ≥ 0; no null. Bounded depth. */
function figuresOk(v: unknown, depth = 0): boolean {
  if (typeof v === 'number') return isFigure(v);
  if (v === null) return false;
  if (typeof v !== 'object' || depth > 4) return true;
  for (const x of Array.isArray(v) ? v : Object.values(v)) if (!figuresOk(x, depth + 1)) return false;
  return true;
}

function toOp(rec: OpRecord, count: number, mode: 'train' | 'infer', backward?: 'none' | 'weights' | 'input'): Op {
  const c = rec.cost;
  const grad = mode === 'train' && rec.grad && backward !== 'none';
  // Weight gradient only, or input gradient only: one forward's worth of matrix work (less when the op's own
  // backward is already cheaper, as for a frozen layer costed that way).
  const bwd = backward === 'weights' || backward === 'input' ? Math.min(c.backwardFlops, c.forwardFlops) : c.backwardFlops;
  const op: Op = {
    kind: c.kind, opClass: c.opClass, name: rec.name, label: rec.label,
    inputShapes: [], outputShape: c.outputShape, params: c.params, trainableParams: rec.frozen ? 0 : c.params,
    forwardFlops: c.forwardFlops, backwardFlops: grad ? bwd : 0,
    bytesRead: c.bytesRead, bytesWritten: c.bytesWritten, savedBytes: grad ? c.savedBytes : 0,
    dtype: rec.dtype, count, phase: rec.phase, traced: rec.traced,
  };
  if (rec.loc) op.loc = rec.loc;
  if (rec.declLoc) op.declLoc = rec.declLoc;
  if (c.causal !== undefined) op.causal = c.causal;
  if (c.note) op.note = c.note;
  return op;
}

function firstRootInput(ops: OpRecord[]): number[] | undefined {
  // The first op of the first root call sees the model input.
  const first = ops.find((o) => o.rootCall !== undefined);
  if (!first) return undefined;
  const c = first.cost;
  // Input of an embedding is [B, T] (output drops the last dim); otherwise take the output's batch.
  if (c.kind === 'embedding') return c.outputShape.slice(0, -1);
  // A cast or other shape-keeping op on the token ids first (`tokens.long()`): the embedding that follows sees them.
  const same = (a: number[], b: number[]) => a.length === b.length && a.every((x, i) => x === b[i]);
  const emb = ops.find((o) => o.rootCall === first.rootCall && o.cost.kind === 'embedding' && same(o.cost.outputShape.slice(0, -1), c.outputShape));
  if (emb) return c.outputShape.slice();
  return c.outputShape.length ? [c.outputShape[0]] : undefined;
}

/** The first root call's first layer that declares a layout reads the model input [S, N] sequence-first. */
function seqFirstInput(ops: OpRecord[], input: number[]): boolean {
  const first = ops.find((o) => o.rootCall !== undefined);
  const laid = first && ops.find((o) => o.rootCall === first.rootCall && o.cost.opClass === 'rnn');
  const out = laid?.cost.outputShape;
  return laid?.cost.batchDim === 1 && !!out && out[0] === input[0] && out[1] === input[1];
}

function rootInputBytes(shape: number[] | undefined, batch: number): number {
  if (!shape) return 0;
  return shape.length === 2 ? batch * shape[1] * 8 : 0;
}

function isTokenModel(ops: Op[]): boolean { return ops.some((o) => o.kind === 'embedding') && ops.some((o) => o.opClass === 'attention' || o.opClass === 'rnn' || o.kind === 'matmul'); }
function isImageModel(ops: Op[]): boolean { return ops.some((o) => o.opClass === 'conv') || ops.some((o) => o.label.includes('Conv')); }

function dominantDtype(ops: Op[]): Dtype | undefined {
  const by = new Map<Dtype, number>();
  for (const o of ops) by.set(o.dtype, (by.get(o.dtype) ?? 0) + o.forwardFlops * o.count);
  let best: Dtype | undefined; let bv = -1;
  for (const [d, v] of by) if (v > bv) { best = d; bv = v; }
  return best;
}

function peakInferenceActivation(ops: Op[]): number {
  let peak = 0;
  for (const o of ops) peak = Math.max(peak, o.bytesWritten + (o.bytesRead > 0 ? Math.min(o.bytesRead, o.bytesWritten * 4) : 0));
  return peak;
}

function mainModel(it: Interpreter): { value: Value; loc?: Loc; name: string } | undefined {
  const mods = it.constructed.filter((c) => isKind(c.value, 'inst'));
  const candidates = mods.length ? mods : it.constructed;
  const contained = new Set<number>();
  for (const c of candidates) it.lib.walkModules(c.value, (m) => { if (m.id !== (c.value as { id: number }).id) contained.add(m.id); });
  const roots = candidates.filter((c) => !contained.has((c.value as { id: number }).id));
  let best: { value: Value; loc?: Loc; name: string } | undefined;
  let bestParams = -1;
  for (const r of roots) {
    const n = it.lib.countParams([r.value]).total;
    if (n > bestParams) { bestParams = n; best = { value: r.value, loc: r.loc, name: isKind(r.value, 'inst') ? r.value.cls.name : 'model' }; }
  }
  return best;
}

function modelName(it: Interpreter, roots: Value[]): string {
  const cat = it.lib.catalog.models()[0];
  if (cat) return String(cat.attrs.get('displayName') ?? cat.attrs.get('catalogId') ?? 'model');
  const names = roots.map((r) => (isKind(r, 'inst') ? r.cls.name : isKind(r, 'layer') ? `nn.${r.name}` : isKind(r, 'container') ? `nn.${r.type}` : 'model'));
  return names.length ? [...new Set(names)].join(' + ') : 'no model found';
}

/** Per-class, per-layer and training-loop summaries for hovers and CodeLens. */
function summarizeModules(it: Interpreter, ops: Op[], loopLoc: Loc | undefined, mode: 'train' | 'infer', fwd: number, bwd: number): ModuleSummary[] {
  const out: ModuleSummary[] = [];
  // Totals per module path prefix (a tree of path parts) and per constructor site, built once (O(ops × depth)).
  interface PathNode { flops: number; bytes: number; calls: number; kids?: Map<string, PathNode> }
  const tree: PathNode = { flops: 0, bytes: 0, calls: 0 };
  const byDecl = new Map<string, Op[]>();
  for (const o of ops) {
    const f = MATRIX_CLASSES.has(o.opClass) ? o.forwardFlops * o.count : 0;
    const b = (o.bytesRead + o.bytesWritten) * o.count;
    let node = tree;
    for (const part of o.name.split('.')) {
      node.kids ??= new Map();
      let next = node.kids.get(part);
      if (!next) { next = { flops: 0, bytes: 0, calls: 0 }; node.kids.set(part, next); }
      next.flops += f; next.bytes += b; next.calls++;
      node = next;
    }
    if (o.declLoc) {
      const k = `${o.declLoc.file ?? ''}:${o.declLoc.from}`;
      const list = byDecl.get(k);
      if (list) list.push(o); else byDecl.set(k, [o]);
    }
  }
  const byPathPrefix = (prefix: string): PathNode => {
    let node: PathNode | undefined = tree;
    for (const part of prefix.split('.')) { node = node.kids?.get(part); if (!node) return { flops: 0, bytes: 0, calls: 0 }; }
    return node;
  };
  const seenClass = new Set<number>();
  for (const c of it.constructed) {
    const v = c.value;
    if (isKind(v, 'inst') && v.module) {
      const cnt = it.lib.countParams([v]);
      const path = v.module.path;
      const agg = path ? byPathPrefix(path) : { flops: 0, bytes: 0, calls: 0 };
      // Per-instance layer summary at the constructor call, and one per class (first instance).
      if (c.loc) out.push({ name: v.cls.name, kind: 'layer', loc: c.loc, params: cnt.total, trainableParams: cnt.trainable, forwardFlops: agg.flops, bytes: agg.bytes, traced: agg.calls > 0 });
      if (!seenClass.has(v.cls.id)) {
        seenClass.add(v.cls.id);
        out.push({ name: v.cls.name, kind: 'class', loc: v.cls.loc, params: cnt.total, trainableParams: cnt.trainable, forwardFlops: agg.flops, bytes: agg.bytes, traced: agg.calls > 0 });
      }
    } else if (isKind(v, 'layer') && c.loc) {
      const cnt = it.lib.countParams([v]);
      const mine = byDecl.get(`${c.loc.file ?? ''}:${c.loc.from}`) ?? [];
      const s: ModuleSummary = {
        name: `nn.${v.name}`, kind: 'layer', loc: c.loc, params: cnt.total, trainableParams: cnt.trainable,
        forwardFlops: mine.reduce((a, o) => a + o.forwardFlops * o.count, 0), bytes: mine.reduce((a, o) => a + (o.bytesRead + o.bytesWritten) * o.count, 0), traced: mine.length > 0,
      };
      if (mine[0]) s.outputShape = mine[0].outputShape;
      out.push(s);
    }
  }
  for (const m of it.lib.catalog.models()) {
    const cnt = it.lib.catalog.paramCounts(m);
    out.push({ name: String(m.attrs.get('displayName') ?? 'model'), kind: 'catalog', loc: m.loc, params: cnt.total, trainableParams: cnt.trainable, forwardFlops: fwd, bytes: ops.reduce((a, o) => a + (o.bytesRead + o.bytesWritten) * o.count, 0), traced: true });
  }
  if (loopLoc) out.push({ name: mode === 'train' ? 'training loop' : 'inference loop', kind: 'loop', loc: loopLoc, params: 0, trainableParams: 0, forwardFlops: fwd + bwd, bytes: ops.reduce((a, o) => a + (o.bytesRead + o.bytesWritten) * o.count, 0), traced: true });
  return out;
}

function dedupeProblems(ps: Problem[]): Problem[] {
  const seen = new Set<string>();
  const out: Problem[] = [];
  for (const p of ps) {
    const k = `${p.code}|${p.message}|${p.loc?.line ?? ''}`;
    if (seen.has(k)) continue;
    seen.add(k);
    out.push(p);
    if (out.length >= 200) break;
  }
  return out;
}

function emptyAnalysis(file: string, problems: Problem[], t0: number): Analysis {
  const memory: MemoryBreakdown = { weights: 0, gradients: 0, optimizer: 0, activations: 0, inputs: 0, kvCache: 0, overhead: 0, peakBytes: 0 };
  const run: RunSpec = { mode: 'infer', batch: 0, microBatches: 1, dtype: 'fp32', allowTf32: false, optimizerBytesPerParam: 0, steps: 0, inputBytesPerStep: 0, throughputUnit: 'samples/s', itemsPerStep: 0 };
  return {
    schemaVersion: 1, file, model: { name: 'no model found', params: 0, trainableParams: 0, frozenParams: 0, paramBytes: 0, source: 'none' },
    step: { batch: 0, microBatches: 1, forwardFlops: 0, forwardMacs: 0, vectorFlops: 0, bytes: 0 }, memory, run: { ...run, totalFlops: 0 },
    ops: [], modules: [], uncounted: [], assumptions: [], problems, projections: [],
    verdict: { summary: 'FlopLens could not analyse this script; see the problems listed.', gpuPaysOff: false, reason: 'analysis failed' },
    elapsedMs: nowMs() - t0,
  };
}

function fmt(n: number): string { return n.toLocaleString('en-US'); }

function nowMs(): number {
  return typeof performance !== 'undefined' ? performance.now() : Date.now();
}

export type { Directive };
export { OPTIMIZER_STATE_BYTES };
export type { OpRecord };
