/**
 * A small, bounded static evaluator for Python. It runs the parts of a script that decide the cost
 * (constants, configs, argparse defaults, class bodies, __init__, forward) and walks loops abstractly
 * where running them would be pointless (training loops) or impossible (data loaders). It never
 * executes user code for real, never does I/O, and never throws: budgets and depth limits stop
 * pathological input with a problem.
 */
import type { Loc, Problem } from '../types';
import type { Expr, Stmt, Param, CallArg } from '../parse/ast';
import { parseModule, lineStarts, locate } from '../parse/ast';
import type { ModuleSource } from '../api';
import { absoluteModuleName, isPackageFile } from '../moduleResolve';
import type { EvalContext, InterpreterOptions } from './context';
import { EvalState } from './context';
import type { Directives } from '../directiveKeys';
import {
  AllocBudget, Scope, UNKNOWN, UNKNOWN_SEQ, newMeta, dictKey, unknown, isObj, isKind, isSeq, isUnknown, isNum, isTensorV, truthy, rangeLen, tuple, list, describe, tensor,
} from './values';
import type {
  Value, FuncValue, ClassValue, InstValue, SourceFile, ListValue, DictValue, ObjValue,
} from './values';
import { Recorder } from './recorder';
import type { LoopFrame } from './recorder';
import { Library } from './lib/library';
import { pushAll } from '../arrays';
import { GenYield, isGeneratorBody, loopsAround } from './generators';
import { contextLengths, grownTensor } from './generation';
import { appendTargets, classSubsetLength, filteredList, listLengths, sizeAppended } from './unsized'; import { fstringValue } from './fstrings'; import { enumerateBreakTrips } from './enumerateBreak';
import { dependentInnerFors, framesAt, hasBreak, namesIn, rangeBreakTrips, whileTrips, type LoopEval } from './loopBounds';
import { moduloCondition, noteFlag } from './moduloGates'; import { userOptimizerCall } from './userOptimizers'; import { superObject } from './superCall';
import { dataVocabulary } from './dataDefaults'; import { pathDiv, statedList } from './lib/dataFiles';
import { ownUnknown, withOffset, unknownSliceWidth } from './offsets'; import { thresholdGate } from './lib/rl'; import { lengthGate } from './fillGates'; import { dataSequence } from './dataDefaults'; import { rememberBaseInit } from './lib/data'; import { rememberInit } from './lib/lightning';

export class BudgetExceeded extends Error {}

/** Variable names that hold the batch size, the sequence length and the accumulation steps in real scripts. */
export const BATCH_NAMES = /^(batch_size|batch|bs|train_batch_size|micro_batch_size|per_device_train_batch_size|mini_batch_size|batchsize)$/i;
export const SEQ_NAMES = /^(block_size|seq_len|seq_length|max_seq_len|max_seq_length|context_length|context_len|max_length|n_ctx|sequence_length|ctx_len|max_len|n_positions)$/i;
export const VOCAB_NAMES = /^(vocab_size|n_vocab|vocab|num_tokens|ntoken|ntokens|vocabulary_size)$/i;
/** Longest problem message kept whole (characters). */
const MAX_MESSAGE = 400;
export const ACCUM_NAMES = /^(gradient_accumulation_steps|grad_accum|grad_accum_steps|accumulation_steps|accum_steps|accum_iter)$/i;

type Flow = undefined | { type: 'return'; value: Value } | { type: 'break' } | { type: 'continue' };


/** Names whose presence in a loop body marks it as a run loop (walked once, abstractly). */
const RUN_LOOP_MARKERS = /\.(backward|step|generate|zero_grad)\s*\(|\btrain_step\b|\btrain_one_epoch\b|\bevaluate\s*\(/;

export class Interpreter implements EvalContext {
  readonly recorder = new Recorder();
  readonly problems: Problem[] = [];
  readonly lib: Library;
  /** The evaluator's mutable state (counters, grad mode, autocast, paths), documented field by field in context.ts. */
  readonly state = new EvalState();
  private readonly maxSteps: number;
  private readonly maxDepth: number;
  private readonly unrollLimit: number;
  /**
   * Passes of a loop or comprehension that builds the model (script level, __init__) evaluated one by one;
   * past it, the rest is walked once and said. Tracing forward through more layers than this gets slow.
   */
  private readonly constructLimit: number;
  private readonly moduleCache = new Map<string, Scope | 'loading'>();
  /** Local modules whose top level is being evaluated (to report import cycles). */
  private readonly executing = new Set<string>();
  private readonly modules: Map<string, ModuleSource>;
  readonly builtins: Scope;
  /** Every module value constructed, for summaries and the untraced fallback. */
  readonly constructed: { value: Value; loc?: Loc }[] = [];
  /** Classes defined anywhere, for CodeLens/hover summaries. */
  readonly classes: ClassValue[] = [];
  /** Files parsed (main + local modules), by path. */
  readonly files: SourceFile[] = [];
  readonly problemKeys = new Set<string>();
  /** The allocation budget shared by every value the evaluator builds and every op it records. */
  readonly alloc = new AllocBudget();
  /** Locations that already have an allocation warning (one each). */
  private readonly allocWarned = new Set<string>();
  /** The statement being evaluated, for warnings raised where no call location is at hand. */
  private current: { s: Stmt; file: SourceFile } | undefined;

  constructor(readonly opts: InterpreterOptions) {
    this.maxSteps = opts.maxSteps ?? 400_000;
    this.maxDepth = opts.maxDepth ?? 48;
    this.unrollLimit = opts.unrollLimit ?? 1024;
    this.constructLimit = this.unrollLimit * 8;
    this.modules = new Map(opts.modules.map((m) => [m.name, m]));
    this.builtins = new Scope();
    this.lib = new Library(this);
    this.lib.installBuiltins(this.builtins);
    this.recorder.onLimit = (what) => this.problem('warning', 'budget', `Ops and run events past ${what} were not recorded: FLOPs, bytes and time are lower bounds.`);
    this.recorder.charge = () => this.alloc.charge(1) === undefined;
  }

  /**
   * Charge the budget for a value of `size` items (characters when `chars`) that `what` is about to build.
   * False when it may not be built: the caller returns an unknown value, and the location gets one warning.
   */
  grow(size: number, what: string, loc?: Loc, chars = false, units?: number): boolean {
    const why = this.alloc.charge(size, chars, units);
    if (why === undefined) return true;
    this.budgetWarning(`${what} would build ${why}: the value is treated as unknown from here on, so figures that depend on it may be lower bounds.`, loc);
    return false;
  }

  /** A budget warning: one per location (the first one met), at the current statement when no location is given. */
  budgetWarning(message: string, loc?: Loc): void {
    const at = loc ?? (this.current ? this.loc(this.current.file, this.current.s) : undefined);
    const key = `${at?.file ?? ''}:${at?.line ?? ''}:${at?.col ?? ''}`;
    if (this.allocWarned.has(key)) return;
    this.allocWarned.add(key);
    this.problem('warning', 'budget', message, at);
  }

  /** `items` (already charged or small) as a list or tuple; an unknown value when the budget refuses it. */
  seqOf(kind: 'list' | 'tuple', items: Value[], what: string, loc?: Loc): Value {
    return this.grow(items.length, what, loc) ? { kind, items } : unknown(`${what} too large`);
  }

  /** The items of `parts` in order, as one new list or tuple: checked against the budget before it is built. */
  concat(kind: 'list' | 'tuple', parts: readonly (readonly Value[])[], what: string, loc?: Loc): Value {
    let n = 0;
    for (const p of parts) n += p.length;
    if (!this.grow(n, what, loc)) return unknown(`${what} too large`);
    const items: Value[] = [];
    // A loop, not push(...part): spreading a long array overflows the stack.
    for (const p of parts) for (const x of p) items.push(x);
    return { kind, items };
  }

  id(): number { return this.state.nextId++; }

  problem(severity: Problem['severity'], code: string, message: string, loc?: Loc): void {
    // A message that quotes program values (a long list, a big literal) is cut so that it stays readable.
    if (message.length > MAX_MESSAGE) message = `${message.slice(0, MAX_MESSAGE - 1)}…`;
    const key = `${code}|${message}|${loc?.file ?? ''}:${loc?.line ?? ''}`;
    if (this.problemKeys.has(key) || this.problems.length > 200) return;
    this.problemKeys.add(key);
    this.problems.push(loc ? { severity, code, message, loc } : { severity, code, message });
  }

  tick(): void {
    if (++this.state.steps > this.maxSteps) throw new BudgetExceeded(`evaluation budget of ${this.maxSteps.toLocaleString('en-US')} steps exhausted`);
  }

  /** Evaluate a whole file as the main program. */
  runMain(text: string, path: string | undefined, cacheKey?: string): { scope: Scope; file: SourceFile; parseProblems: Problem[] } {
    const mod = parseModule(text, path, 20, cacheKey);
    const file: SourceFile = { path, text, lineStarts: lineStarts(text) };
    this.files.push(file);
    const scope = new Scope(this.builtins);
    scope.set('__name__', '__main__');
    this.mainScope = scope;
    this.execTopLevel(mod.body, scope, file);
    return { scope, file, parseProblems: mod.problems };
  }

  /**
   * A module's statements one by one: a statement that overflows the stack (a RangeError) loses its own
   * effects, not the statements after it. A spent step budget stops the module: nothing more can be evaluated.
   */
  private execTopLevel(body: Stmt[], scope: Scope, file: SourceFile): void {
    for (const s of body) {
      const depth = this.state.depth, moduleDepth = this.state.moduleDepth, initDepth = this.state.initDepth, noGrad = this.state.noGrad;
      const ctx = this.recorder.ctx, autocast = this.state.autocast.length, path = this.state.pathStack.length;
      try {
        this.exec(s, scope, file); this.opts.savedOutputs?.after(this, s, body, scope, file);
      } catch (e) {
        this.reportAbort(e, this.loc(file, s));
        if (!(e instanceof RangeError)) return;
        // Put back what the unwound statement left half done.
        this.state.depth = depth; this.state.moduleDepth = moduleDepth; this.state.initDepth = initDepth; this.state.noGrad = noGrad;
        this.recorder.ctx = ctx; this.state.autocast.length = autocast; this.state.pathStack.length = path;
      }
    }
  }

  reportAbort(e: unknown, loc?: Loc): void {
    if (e instanceof BudgetExceeded) this.problem('warning', 'budget', `Analysis stopped early: ${e.message}. Results cover what was evaluated before that point.`);
    else if (e instanceof RangeError) {
      this.problem('warning', 'budget', loc
        ? `The statement at line ${loc.line} nests too deeply to evaluate: what it does is not counted, so figures may be lower bounds. The statements after it were evaluated.`
        : 'Analysis stopped early: the program nests too deeply to evaluate. Results are partial.', loc);
    }
    else this.problem('error', 'internal', `Analysis stopped early (${(e as Error)?.message ?? String(e)}). Results are partial.`);
  }

  loc(file: SourceFile, span: { from: number; to: number }): Loc {
    return locate(file.lineStarts, span.from, span.to, file.path);
  }

  // ---------------------------------------------------------------- imports

  /** Load a local module by dotted name, evaluating it once. Circular imports see the partial module. */
  importLocal(name: string, loc?: Loc): Scope | undefined {
    const cached = this.moduleCache.get(name);
    if (this.executing.has(name)) {
      this.problem('info', 'circular-import', `Circular import of '${name}': as in Python, only names defined before the cycle are visible.`, loc);
      return cached === 'loading' ? undefined : cached;
    }
    if (cached) return cached === 'loading' ? undefined : cached;
    const src = this.modules.get(name) ?? this.lib.libraryModule(name); // a library's demo model FlopLens describes
    if (!src) return undefined;
    // As in Python, a submodule's package is imported first, and the submodule becomes its attribute (`models.resnet`).
    const dot = name.lastIndexOf('.');
    const parentName = dot > 0 ? name.slice(0, dot) : undefined;
    if (parentName && !this.moduleCache.has(parentName)) this.importLocal(parentName, loc);
    if (this.moduleCache.has(name)) return this.importLocal(name, loc);
    this.moduleCache.set(name, 'loading');
    const mod = parseModule(src.text, src.path);
    for (const p of mod.problems.slice(0, 3)) this.problems.push(p);
    const file: SourceFile = { path: src.path, text: src.text, lineStarts: lineStarts(src.text) };
    this.files.push(file);
    const scope = new Scope(this.builtins);
    scope.set('__name__', name);
    this.moduleCache.set(name, scope);
    const savedDepth = this.state.depth;
    this.executing.add(name);
    try {
      this.state.depth++;
      if (this.state.depth > this.maxDepth) throw new RangeError('import depth');
      this.execBlock(mod.body, scope, file);
    } catch (e) {
      if (e instanceof BudgetExceeded) throw e;
      this.problem('warning', 'import', `Could not fully evaluate local module '${name}'.`, loc);
    } finally {
      this.state.depth = savedDepth;
      this.executing.delete(name);
    }
    const parent = parentName ? this.moduleCache.get(parentName) : undefined;
    if (parent && parent !== 'loading' && !parent.vars.has(name.slice(dot + 1))) parent.set(name.slice(dot + 1), this.moduleObject(scope));
    return scope;
  }

  /**
   * `from .x import y` in a local module: the module `x` of the importer's package, by the rule the hosts read modules
   * by (src/core/moduleResolve.ts): `.resnet` in `models/__init__.py` is `models.resnet`. The script's own relative
   * imports and modules a host gave by bare name (`resnet`) are found by that name.
   */
  private relativeModule(path: string | undefined, module: string, level: number): string | undefined {
    const own = [...this.modules.values()].find((m) => m.path === path);
    const abs = own ? absoluteModuleName(module, level, own.name, isPackageFile(own.path)) : absoluteModuleName(module, level, '', false);
    if (abs && this.modules.has(abs)) return abs;
    return module && this.modules.has(module) ? module : abs ?? (module || undefined);
  }

  /** `from m import *`: the names in `m.__all__` when it lists them (submodules included), else every public name. */
  private importStar(local: Scope, modName: string, scope: Scope, loc?: Loc): void {
    const all = local.get('__all__');
    const names = isSeq(all) && all.items.every((x) => typeof x === 'string') ? (all.items as string[]) : undefined;
    if (!names) {
      for (const [k, v] of local.vars) if (!k.startsWith('_')) scope.set(k, v);
      return;
    }
    for (const k of names) {
      let v = local.get(k);
      if (v === undefined) {
        const sub = this.importLocal(`${modName}.${k}`, loc);
        if (sub) v = this.moduleObject(sub);
      }
      if (v !== undefined) scope.set(k, v);
    }
  }

  // ---------------------------------------------------------------- statements

  execBlock(body: Stmt[], scope: Scope, file: SourceFile): Flow {
    for (const s of body) {
      const f = this.exec(s, scope, file);
      if (f) return f;
    }
    return undefined;
  }

  exec(s: Stmt, scope: Scope, file: SourceFile): Flow {
    this.tick();
    this.current = { s, file };
    switch (s.t) {
      case 'expr':
        this.eval(s.e, scope, file);
        return undefined;
      case 'assign': {
        if (!s.value) {
          // Bare annotation `x: int` — nothing to bind (dataclass fields are handled in class bodies).
          return undefined;
        }
        const v = this.eval(s.value, scope, file);
        for (const t of s.targets) this.assign(t, v, scope, file);
        noteFlag(scope, s.targets, s.value); // `is_accumulating = i % n != 0`, for `if not is_accumulating:` (moduloGates.ts)
        return undefined;
      }
      case 'aug': {
        const cur = this.eval(s.target, scope, file);
        const rhs = this.eval(s.value, scope, file);
        this.assign(s.target, withOffset(s.op, cur, rhs, this.binop(s.op, cur, rhs, this.loc(file, s))), scope, file);
        return undefined;
      }
      case 'if': return this.execIf(s, scope, file);
      case 'for': return this.execFor(s, scope, file);
      case 'while': return this.execWhile(s, scope, file);
      case 'def': {
        const fn = this.makeFunction(s.name, s.params, s.body, scope, file, s);
        fn.decorators = s.decorators.map((d) => exprName(d)).filter((x): x is string => !!x);
        let v: Value = fn;
        if (s.decorators.some((d) => /(^|\.)(no_grad|inference_mode)$/.test(exprName(d) ?? ''))) fn.noGrad = true;
        for (const d of s.decorators.slice().reverse()) {
          const name = exprName(d) ?? '';
          if (/(^|\.)(property|cached_property|staticmethod|classmethod|no_grad|inference_mode|jit\.script|compile|wraps|lru_cache|cache|torch\.compile)$/.test(name) || /no_grad|inference_mode/.test(name)) continue;
          const dv = this.eval(d, scope, file);
          if (isKind(dv, 'func')) v = this.callFunction(dv, [v], new Map(), this.loc(file, s));
          // A decorator the library models (`@click.option(...)`: the parameter's default).
          else if (isKind(dv, 'builtin') && dv.name.startsWith('@')) v = dv.fn([v], new Map(), this.loc(file, s));
        }
        scope.set(s.name, v);
        return undefined;
      }
      case 'class': {
        scope.set(s.name, this.makeClass(s, scope, file));
        return undefined;
      }
      case 'return':
        return { type: 'return', value: s.e ? this.eval(s.e, scope, file) : null };
      case 'yield': {
        if (this.genDepth === 0) return undefined;
        const v = s.e ? this.eval(s.e, scope, file) : null;
        if (!s.delegate) throw new GenYield(v, 1, s);
        // `yield from it`: its first item, as many times as it has items.
        const r = this.lib.iterate(v, this.loc(file, s));
        throw new GenYield(r.items ? r.items[0] ?? null : r.elem ?? UNKNOWN, r.items ? r.items.length : r.trips, s);
      }
      case 'import': {
        for (const n of s.names) {
          const local = this.importLocal(n.module, this.loc(file, s));
          if (n.as) scope.set(n.as, local ? this.moduleObject(local) : this.lib.extRef(n.module));
          else {
            const top = n.module.split('.')[0];
            const topLocal = top === n.module ? local : this.importLocal(top);
            scope.set(top, topLocal ? this.moduleObject(topLocal) : this.lib.extRef(top));
          }
        }
        return undefined;
      }
      case 'from': {
        const loc = this.loc(file, s);
        const modName = s.level > 0 ? this.relativeModule(file.path, s.module, s.level) : s.module;
        const local = modName !== undefined ? this.importLocal(modName, loc) : undefined;
        for (const n of s.names) {
          if (n.name === '*') {
            if (local) this.importStar(local, modName!, scope, loc);
            continue;
          }
          let v: Value | undefined;
          if (local) {
            v = local.get(n.name);
            if (v === undefined) {
              const sub = this.importLocal(`${modName}.${n.name}`, loc);
              if (sub) v = this.moduleObject(sub);
            }
            if (v === undefined) {
              this.problem('info', 'import', `'${n.name}' is not defined in local module '${modName}'.`, loc);
              v = unknown(`${modName}.${n.name}`);
            }
          } else {
            const sub = modName ? this.importLocal(`${modName}.${n.name}`, loc) : undefined;
            v = sub ? this.moduleObject(sub) : this.lib.extRef(`${s.module}.${n.name}`);
          }
          scope.set(n.as ?? n.name, v);
        }
        return undefined;
      }
      case 'with': {
        const pushed: (() => void)[] = [];
        for (const item of s.items) {
          const v = this.eval(item.e, scope, file);
          pushed.push(this.lib.enterContext(v));
          if (item.as) this.assign(item.as, this.lib.contextValue(v), scope, file);
        }
        try {
          return this.execBlock(s.body, scope, file);
        } finally {
          for (const pop of pushed.reverse()) pop();
        }
      }
      case 'try': {
        let f: Flow;
        try {
          f = this.execBlock(s.body, scope, file);
        } catch (e) {
          if (e instanceof BudgetExceeded || e instanceof RangeError || e instanceof GenYield) throw e;
          f = undefined;
        }
        if (f) return f;
        const f2 = this.execBlock(s.orelse, scope, file);
        if (f2) return f2;
        return this.execBlock(s.finally, scope, file);
      }
      case 'simple':
        if (s.kind === 'break') return { type: 'break' };
        if (s.kind === 'continue') return { type: 'continue' };
        return undefined;
    }
  }

  /** A local module as a value: its top-level names as attributes. */
  private moduleObject(scope: Scope): ObjValue {
    return { kind: 'obj', type: 'module', attrs: new Map(scope.vars), id: this.id(), loc: undefined, module: undefined };
  }

  private execIf(s: Extract<Stmt, { t: 'if' }>, scope: Scope, file: SourceFile): Flow {
    for (const br of s.branches) {
      // `if step % N == 0:` inside a run loop happens once every N iterations: walk it with that weight.
      const mod = moduloCondition(br.cond, scope, (e) => this.eval(e, scope, file)) ?? thresholdGate(br.cond, this.recorder.ctx, scope, this.loopEval(scope, file)) ?? lengthGate(br.cond, this.recorder.ctx, this.loopEval(scope, file));
      if (mod !== undefined && this.recorder.ctx.some((e) => e.type === 'loop')) {
        return this.recorder.within({ type: 'mod', n: mod.n, vars: mod.vars, loc: this.loc(file, br.cond) }, () => this.execBlock(br.body, scope, file));
      }
      const c = truthy(this.eval(br.cond, scope, file));
      if (c === true) return this.execBlock(br.body, scope, file);
      if (c === undefined) {
        // Unknown condition: take the branch unless it only exits (break/return/raise), so work is not missed.
        if (br.body.some((x) => x.t === 'return' || (x.t === 'simple' && (x.kind === 'break' || x.kind === 'raise' || x.kind === 'continue')))) continue;
        return this.execBlock(br.body, scope, file);
      }
    }
    return this.execBlock(s.orelse, scope, file);
  }

  private execFor(s: Extract<Stmt, { t: 'for' }>, scope: Scope, file: SourceFile): Flow {
    const iterV = this.eval(s.iter, scope, file);
    const loc = this.loc(file, s);
    const runLoop = RUN_LOOP_MARKERS.test(file.text.slice(s.from, s.to));
    // Outside forward (script level, __init__), concrete loops build the model (`for _ in range(n): layers.append(…)`):
    // they are unrolled as far as the step budget allows rather than to a fixed count, so 1,025 layers count as 1,025.
    const limit = this.state.moduleDepth === 0 && !runLoop ? AllocBudget.MAX_ITEMS : this.unrollLimit;
    const n = isKind(iterV, 'range') ? rangeLen(iterV) : undefined;
    // A range longer than the limit is walked abstractly: it is not materialised.
    const it = n !== undefined && n > limit && n <= AllocBudget.MAX_ITEMS ? { trips: n, elem: (iterV as { start: number }).start, label: `range(${(iterV as { stop: number }).stop})`, items: undefined, tripSource: undefined } : this.lib.iterate(iterV, loc);
    const gen = this.walkGeneration(s, scope, file, it.items ? it.items.length : it.trips, it.items ? it.items[0] : it.elem, it.label ?? describe(iterV), loc);
    if (gen !== false) return gen;
    if (it.items && !(runLoop && it.items.length > 1) && it.items.length <= limit) {
      let start = 0;
      if (this.state.moduleDepth === 0 && it.items.length > 1) {
        // At script level, a loop whose first pass runs the model (an epoch loop calling train())
        // stands for all its passes: keep that pass, weighted by the trip count, and stop.
        const since = { ops: this.recorder.ops.length, events: this.recorder.events.length };
        const probe = this.probeFirstPass(it.items.length, it.label ?? describe(iterV), loc, () => {
          this.assign(s.target, it.items![0], scope, file);
          return this.execBlock(s.body, scope, file);
        }, appendTargets(s.body), scope, file);
        if (probe.abstract) this.spreadInnerTrips(s, it.items, scope, file, since);
        if (probe.abstract || probe.flow?.type === 'return') return probe.flow?.type === 'return' ? probe.flow : undefined;
        if (probe.flow?.type === 'break') return undefined;
        start = 1;
      }
      // Past the usual unroll limit, a loop may spend a quarter of the steps left; the rest of its passes are walked once.
      const stepCap = this.state.steps + Math.max(20_000, (this.maxSteps - this.state.steps) / 4);
      for (let i = start; i < it.items.length; i++) {
        if (i >= this.unrollLimit && (i >= this.constructLimit || this.state.steps > stepCap)) return this.abstractRest(s, scope, file, it.items, i, it.label ?? describe(iterV), loc);
        this.assign(s.target, it.items[i], scope, file);
        const f = this.execBlock(s.body, scope, file);
        if (f?.type === 'break') return undefined;
        if (f?.type === 'return') return f;
      }
      return this.execBlock(s.orelse, scope, file);
    }
    // Abstract: walk the body once for all iterations.
    const first = it.items ? (it.items[0] ?? UNKNOWN) : (it.elem ?? UNKNOWN);
    // `for i in range(n + 1): if i == n: break`: the passes before the break, not the range's length.
    const cut = isKind(iterV, 'range') ? rangeBreakTrips(s, iterV, this.loopEval(scope, file)) : enumerateBreakTrips(s, it.trips, this.loopEval(scope, file));
    if (cut) {
      const frame = this.recorder.newFrame(cut.n, it.label ?? describe(iterV), loc, { note: cut.note, loc });
      return this.walkOnce(s, scope, file, first, frame, true);
    }
    const trips = it.items ? it.items.length : it.trips;
    const since = { ops: this.recorder.ops.length, events: this.recorder.events.length };
    const flow = this.walkOnce(s, scope, file, first, Object.assign(this.recorder.newFrame(trips, it.label ?? describe(iterV), loc, it.tripSource ?? { note: `for loop at line ${loc.line}`, loc }), it.rows && { rows: it.rows }));
    if (it.items && it.items.length > 1) this.spreadInnerTrips(s, it.items, scope, file, since);
    return flow;
  }

  /**
   * `for stage, n in enumerate([10, 20]): for i in range(n): …`: the first pass stands for all of them, so an inner run
   * loop whose passes depend on the outer item gets their mean per outer pass (the run has their sum, 30, not 2 × 10).
   */
  private spreadInnerTrips(s: Extract<Stmt, { t: 'for' }>, items: Value[], scope: Scope, file: SourceFile, since: { ops: number; events: number }): void {
    for (const inner of dependentInnerFors(s.body, namesIn(s.target))) {
      const counts = items.map((item) => { const t = new Scope(scope); this.assign(s.target, item, t, file); return this.loopEval(t, file).trips(inner.iter); });
      if (!counts.every((c): c is number => c !== undefined) || counts.every((c) => c === counts[0])) continue;
      const sum = counts.reduce((a, b) => a + b, 0), at = this.loc(file, inner);
      for (const f of framesAt([...this.recorder.ops.slice(since.ops), ...this.recorder.events.slice(since.events)], at)) {
        f.trips = sum / counts.length;
        f.tripSource = { note: `for loop at line ${at.line}: ${counts.join(' + ')} = ${sum.toLocaleString('en-US')} passes over the ${counts.length} passes of line ${this.loc(file, s).line}`, loc: at };
      }
    }
  }

  /** A generation loop (generation.ts): one request, walked once at the mean context length, its passes weighted to the
   * sum of the lengths; the grown tensor has its final length afterwards. False when the loop is not one. */
  private walkGeneration(s: Extract<Stmt, { t: 'for' }>, scope: Scope, file: SourceFile, n: number | undefined, first: Value | undefined, label: string, loc: Loc): Flow | false {
    const grown = n !== undefined && n > 1 ? grownTensor(s.body, (st) => file.text.slice(st.from, st.to)) : undefined;
    const v = grown && scope.get(grown.name);
    const lens = grown && isTensorV(v) && v.shape.length >= 2 ? contextLengths(v.shape, grown.dim ? this.eval(grown.dim, scope, file) : 0, n!) : undefined;
    if (!lens || !grown || !isTensorV(v)) return false;
    const { d, start, sum, at } = lens;
    const resized = (len: number) => tensor(v.shape.map((x, i) => (i === d ? len : x)), v.dtype, v.guessed);
    this.assign({ t: 'name', id: grown.name, from: s.from, to: s.from }, resized(at), scope, file);
    const frame = this.recorder.newFrame(sum / at, label, loc, { note: `generation loop at line ${loc.line}: ${n!.toLocaleString('en-US')} new tokens on a context of ${start.toLocaleString('en-US')} to ${(start + n! - 1).toLocaleString('en-US')} (one request)`, loc });
    frame.generation = true;
    this.problem('info', 'generation', `${frame.tripSource!.note}: its ${n!.toLocaleString('en-US')} forward passes are costed at their growing lengths and count as one step, not ${n!.toLocaleString('en-US')}.`, loc);
    const flow = this.walkOnce(s, scope, file, first ?? UNKNOWN, frame);
    this.assign({ t: 'name', id: grown.name, from: s.from, to: s.from }, resized(start + n!), scope, file);
    return flow;
  }

  /** The body of a for loop once, with `first` bound, inside `frame` (which stands for all the passes). */
  private walkOnce(s: Extract<Stmt, { t: 'for' }>, scope: Scope, file: SourceFile, first: Value, frame: LoopFrame, exitKnown = false): Flow {
    if (!exitKnown && hasBreak(s.body)) frame.earlyExit = true;
    frame.vars = namesIn(s.target);
    const before = listLengths(appendTargets(s.body).map((t) => this.eval(t, scope, file)), scope);
    const flow = this.recorder.within({ type: 'loop', frame }, () => {
      this.assign(s.target, first, scope, file);
      const f = this.execBlock(s.body, scope, file);
      return f?.type === 'return' ? f : undefined;
    });
    sizeAppended(before, appendTargets(s.body).map((t) => this.eval(t, scope, file)), frame.trips, frame.rows); // lists appended in the pass (unsized.ts)
    return flow;
  }

  /** Passes `from`… of an unrolled loop that ran out of steps: walked once for all of them, and said. */
  private abstractRest(s: Extract<Stmt, { t: 'for' }>, scope: Scope, file: SourceFile, items: Value[], from: number, label: string, loc: Loc): Flow {
    const rest = items.length - from;
    this.budgetWarning(`The loop at line ${loc.line} was evaluated for ${from.toLocaleString('en-US')} of its ${items.length.toLocaleString('en-US')} passes within the evaluator's limits; the other ${rest.toLocaleString('en-US')} are walked once and weighted, so what they would build (layers appended, list items) is counted once: figures may be lower bounds.`, loc);
    return this.walkOnce(s, scope, file, items[from], this.recorder.newFrame(rest, label, loc, { note: `for loop at line ${loc.line} (last ${rest.toLocaleString('en-US')} passes)`, loc }));
  }

  private execWhile(s: Extract<Stmt, { t: 'while' }>, scope: Scope, file: SourceFile): Flow {
    const loc = this.loc(file, s);
    const text = file.text.slice(s.from, s.to);
    const runLoop = RUN_LOOP_MARKERS.test(text);
    if (!runLoop) {
      // Short concrete loops (config arithmetic): run for real within the unroll limit.
      let n = 0;
      while (n < this.unrollLimit) {
        const c = truthy(this.eval(s.cond, scope, file));
        if (c !== true && !(c === undefined && n === 0)) break; // unknown at the first check (data decides: `while len(buf) > chunk`): walk the body once, as `if` does
        const f = this.execBlock(s.body, scope, file);
        if (f?.type === 'break') return undefined;
        if (f?.type === 'return') return f;
        n++;
      }
      if (n < this.unrollLimit) return undefined;
    }
    const trips = this.whileTrips(s, scope, file);
    const frame = this.recorder.newFrame(trips?.n, 'while loop', loc, trips ? { note: trips.note, loc } : undefined);
    if (hasBreak(s.body)) frame.earlyExit = true;
    return this.recorder.within({ type: 'loop', frame }, () => {
      const f = this.execBlock(s.body, scope, file);
      if (f?.type === 'return') return f;
      return undefined;
    });
  }

  /**
   * Run one pass of a concrete script-level loop inside a provisional loop frame. When the pass
   * produced run events (model calls, backward, optimizer steps), the loop is a run loop and the
   * frame stays; otherwise the frame is removed from what the pass recorded and unrolling goes on.
   */
  private probeFirstPass(trips: number, label: string, loc: Loc, pass: () => Flow, appended: Expr[] = [], scope?: Scope, file?: SourceFile): { abstract: boolean; flow: Flow } {
    const rec = this.recorder;
    const opsBefore = rec.ops.length, eventsBefore = rec.events.length, inputsBefore = this.lib.flags.inputBytes.length;
    const frame = rec.newFrame(trips, label, loc, { note: `${label} (${trips.toLocaleString('en-US')} passes)`, loc });
    const lists = listLengths(appended.map((t) => this.eval(t, scope!, file!)), scope);
    frame.provisional = true;
    const flow = rec.within({ type: 'loop', frame }, pass);
    frame.provisional = false;
    const runEvents = rec.events.slice(eventsBefore).some((e) => e.kind !== 'zero_grad');
    if (runEvents) { sizeAppended(lists, [], trips); return { abstract: true, flow }; } // the pass stands for all: so do its appends
    rec.dropFrame(frame, opsBefore, eventsBefore, this.lib.flags.inputBytes.slice(inputsBefore));
    return { abstract: false, flow };
  }

  /** Iterations of a `while` loop from its counter (loopBounds.whileTrips). */
  private whileTrips(s: Extract<Stmt, { t: 'while' }>, scope: Scope, file: SourceFile): { n: number; note: string } | undefined {
    return whileTrips(s, this.loopEval(scope, file), scope);
  }

  /** What loopBounds needs of the evaluator: an expression's value and a `for` iterable's pass count. */
  private loopEval(scope: Scope, file: SourceFile): LoopEval {
    return {
      value: (e) => this.eval(e, scope, file),
      trips: (e) => { const r = this.lib.iterate(this.eval(e, scope, file)); return r.items ? r.items.length : r.trips; },
      text: (st) => file.text.slice(st.from, st.to),
    };
  }

  assign(t: Expr, v: Value, scope: Scope, file: SourceFile): void {
    switch (t.t) {
      case 'name': v = ownUnknown(v); scope.set(t.id, scope === this.mainScope || scope.isClassBody ? this.overrideScalar(t.id, v) : v); return;
      case 'seq': {
        const starIdx = t.items.findIndex((x) => x.t === 'star');
        const items = this.lib.unpack(v, t.items.length, starIdx);
        t.items.forEach((target, i) => {
          if (target.t === 'star') this.assign(target.e, items[i] ?? list([]), scope, file);
          else this.assign(target, i < items.length && items[i] !== undefined ? items[i] : UNKNOWN, scope, file); // None unpacks as None
        });
        return;
      }
      case 'attr': {
        const obj = this.eval(t.obj, scope, file);
        this.lib.setAttr(obj, t.name, v, this.loc(file, t));
        return;
      }
      case 'sub': {
        const obj = this.eval(t.obj, scope, file);
        const idx = t.index.length === 1 ? this.eval(t.index[0], scope, file) : tuple(t.index.map((i) => this.eval(i, scope, file)));
        if (isKind(obj, 'dict')) { const key = dictKey(idx); if (key !== undefined) obj.map.set(key, v); } else if (isKind(obj, 'obj') && obj.type === 'encoding' && typeof idx === 'string') obj.attrs.set(idx, v); // enc["labels"] = …
        else if (isSeq(obj) && isNum(idx)) { const i = idx < 0 ? obj.items.length + idx : idx; if (i >= 0 && i < obj.items.length) obj.items[i] = v; }
        else if (isKind(obj, 'container') && obj.type === 'ModuleDict' && typeof idx === 'string') this.lib.containerSet(obj, idx, v);
        return;
      }
      case 'star': this.assign(t.e, v, scope, file); return;
      default: return;
    }
  }

  // ---------------------------------------------------------------- expressions

  eval(e: Expr, scope: Scope, file: SourceFile): Value {
    switch (e.t) {
      case 'num': return e.v;
      case 'str': return e.v;
      case 'fstr': return fstringValue(e.parts, (x) => this.eval(x, scope, file));
      case 'const': return e.v === 'ellipsis' ? unknown('...') : e.v;
      case 'name': {
        const v = scope.get(e.id);
        if (v === undefined && !scope.has(e.id)) return unknown(`name '${e.id}'`);
        return v as Value;
      }
      case 'attr': return this.lib.getAttr(this.eval(e.obj, scope, file), e.name, this.loc(file, e));
      case 'sub': {
        const obj = this.eval(e.obj, scope, file);
        const idx = e.index.map((i) => (i.t === 'slice' ? this.evalSlice(i, scope, file) : i.t === 'const' && i.v === 'ellipsis' ? ({ kind: 'obj', type: 'ellipsis', attrs: new Map(), id: 0 } as ObjValue) : this.eval(i, scope, file)));
        return this.lib.getItem(obj, idx, e.index.length > 1, this.loc(file, e));
      }
      case 'slice': return this.evalSlice(e, scope, file);
      case 'call': return this.evalCall(e, scope, file);
      case 'bin': {
        if (e.op === 'and') {
          const l = this.eval(e.l, scope, file);
          const t = truthy(l);
          if (t === false) return l;
          const r = this.eval(e.r, scope, file);
          return t === true ? r : isUnknown(r) ? r : truthy(r) === false ? r : UNKNOWN;
        }
        if (e.op === 'or') {
          const l = this.eval(e.l, scope, file);
          const t = truthy(l);
          if (t === true) return l;
          const r = this.eval(e.r, scope, file);
          return t === false ? r : isUnknown(l) && !isUnknown(r) ? r : l;
        }
        { const l = this.eval(e.l, scope, file), r = this.eval(e.r, scope, file); return withOffset(e.op, l, r, this.binop(e.op, l, r, this.loc(file, e))); }
      }
      case 'unary': {
        const v = this.eval(e.e, scope, file);
        if (e.op === 'not') { const t = truthy(v); return t === undefined ? UNKNOWN : !t; }
        if (e.op === '-') return isNum(v) ? -v : typeof v === 'boolean' ? -Number(v) : isTensorV(v) ? this.lib.tensorElementwise('neg', [v], this.loc(file, e)) : UNKNOWN;
        if (e.op === '+') return v;
        if (e.op === '~') return isNum(v) ? ~v : isTensorV(v) ? (v.density !== undefined ? { ...v, density: 1 - v.density } : v) : UNKNOWN;
        return UNKNOWN;
      }
      case 'seq': {
        // Parts first, then one checked copy: `[*x, *x]` doubles like `x + x`.
        const parts: Value[][] = [];
        for (const it of e.items) {
          if (it.t === 'star') {
            const inner = this.lib.iterate(this.eval(it.e, scope, file), this.loc(file, it));
            parts.push(inner.items ?? [UNKNOWN]);
          } else parts.push([this.eval(it, scope, file)]);
        }
        return this.concat(e.kind === 'tuple' ? 'tuple' : 'list', parts, `${e.kind === 'tuple' ? 'Tuple' : 'List'} display with unpacking`, this.loc(file, e));
      }
      case 'star': return this.eval(e.e, scope, file);
      case 'dict': {
        const d: DictValue = { kind: 'dict', map: new Map() };
        for (const it of e.items) {
          if ('spread' in it) {
            const o = this.eval(it.spread, scope, file);
            if (!isKind(o, 'dict')) continue;
            if (!this.grow(d.map.size + o.map.size, 'Dict display with ** unpacking', this.loc(file, e))) return unknown('dict too large');
            for (const [k, v] of o.map) d.map.set(k, v);
          } else {
            const k = dictKey(this.eval(it.k, scope, file));
            if (k !== undefined) d.map.set(k, this.eval(it.v, scope, file));
          }
        }
        return d;
      }
      case 'comp': return this.evalComp(e, scope, file);
      case 'lambda': return this.makeFunction('<lambda>', e.params, e.body, scope, file, e);
      case 'ifexp': {
        const c = truthy(this.eval(e.cond, scope, file));
        // Unknown condition (`'cuda' if torch.cuda.is_available() else 'cpu'`): take the first branch,
        // which is the accelerated path the projection is about.
        return c === false ? this.eval(e.b, scope, file) : this.eval(e.a, scope, file);
      }
      case 'err': return unknown('syntax error');
    }
  }

  private evalSlice(e: Extract<Expr, { t: 'slice' }>, scope: Scope, file: SourceFile): Value {
    const val = (x?: Expr): Value => (x ? this.eval(x, scope, file) : null), num = (v: Value) => (isNum(v) ? v : v === null ? undefined : NaN);
    const loV = val(e.lo), hiV = val(e.hi), lo = num(loV), hi = num(hiV), step = num(val(e.step));
    // Bounds not both known (`y1:y2` with `y2 = y1 + k`, `i:i + k`, i random): the width their known offset states.
    const width = (lo === undefined || isNaN(lo) || hi === undefined || isNaN(hi)) && e.lo && e.hi ? unknownSliceWidth(loV, hiV, e, file, (x) => this.eval(x, scope, file)) : undefined;
    return width === undefined ? { kind: 'slice', lo, hi, step } : { kind: 'slice', lo, hi, step, width };
  }

  private evalComp(e: Extract<Expr, { t: 'comp' }>, scope: Scope, file: SourceFile): Value {
    const out: Value[] = [];
    const d: DictValue = { kind: 'dict', map: new Map() };
    const inner = new Scope(scope);
    let abstract = false;
    // At script level and in __init__ a comprehension builds layers: it runs as far as the step budget allows
    // (a quarter of the steps left); inside forward, to four times the unroll limit.
    const limit = this.state.moduleDepth === 0 ? this.constructLimit : this.unrollLimit * 4;
    const stepCap = this.state.steps + Math.max(20_000, (this.maxSteps - this.state.steps) / 4);
    let full = false;
    let cut = 0;
    let stated: number | undefined;
    const rec = (ci: number): void => {
      if (ci === e.clauses.length) {
        // Every element is charged: nested clauses multiply (4,096 × 4,096 × …).
        const size = e.kind === 'dict' ? d.map.size + 1 : out.length + 1;
        if (full || !this.grow(size, 'Comprehension', this.loc(file, e), false, 1)) { full = true; return; }
        if (e.kind === 'dict') {
          const k = dictKey(this.eval(e.elt, inner, file));
          if (k !== undefined && e.val) d.map.set(k, this.eval(e.val, inner, file));
        } else out.push(this.eval(e.elt, inner, file));
        return;
      }
      const cl = e.clauses[ci];
      const iterV = this.eval(cl.iter, inner, file);
      // A long range is not materialised past what is evaluated.
      const it = isKind(iterV, 'range') && rangeLen(iterV) > limit
        ? { items: Array.from({ length: limit }, (_, i) => iterV.start + i * iterV.step), total: rangeLen(iterV) }
        : { ...this.lib.iterate(iterV, this.loc(file, cl.iter)), total: undefined };
      // Over an iterable known by its length and one item (tensor rows `for i in ix`, a loader, a generator):
      // that item as many times as it has passes, so the list has its length (`torch.stack([...])`).
      const one = it.items ? undefined : (it as { trips?: number; elem?: Value });
      // Past the limit, or of unknown items (a file's characters): a list of that length, its element evaluated once.
      if (isNum(one?.trips) && (one.trips > limit || isUnknown(one.elem)) && e.kind === 'list' && e.clauses.length === 1) stated = cl.ifs.length ? classSubsetLength(cl, iterV, this, this.loc(file, e)) ?? NaN : one.trips; // NaN: filtered, data-many
      const items = it.items ?? (stated !== undefined ? [one?.elem ?? UNKNOWN] : isNum(one?.trips) && one.trips <= limit && one.elem !== undefined && !isUnknown(one.elem) ? Array<Value>(one.trips).fill(one.elem) : []);
      if (!it.items && (items.length === 0 || e.kind === 'dict')) abstract = true; // a dict's keys are the data's
      const total = it.total ?? items.length;
      if (total > limit) cut = Math.max(cut, total);
      for (const [i, item] of items.slice(0, limit).entries()) {
        if (full) return;
        if (i >= this.unrollLimit * 4 && this.state.steps > stepCap) { cut = Math.max(cut, total); return; }
        this.tick();
        this.assign(cl.target, item, inner, file);
        let ok = true;
        for (const cond of cl.ifs) {
          const t = truthy(this.eval(cond, inner, file));
          if (t === false) { ok = false; break; }
        }
        if (ok) rec(ci + 1);
      }
    };
    rec(0);
    if (full) return unknown('comprehension too large');
    if (cut) {
      const n = e.kind === 'dict' ? d.map.size : out.length;
      this.budgetWarning(`Comprehension over ${cut.toLocaleString('en-US')} items evaluated for ${n.toLocaleString('en-US')} within the evaluator's limits: what the rest would build is not counted, so figures that depend on it (parameters, FLOPs) are lower bounds.`, this.loc(file, e));
    }
    // Filled from data the evaluator cannot see (`{s: i for i, s in enumerate(chars)}`): unknown, never empty.
    if (abstract && (e.kind === 'dict' ? d.map.size : out.length) === 0) return unknown('comprehension over an unknown iterable');
    if (e.kind === 'dict') return d;
    return stated === undefined ? list(out) : Number.isNaN(stated) ? filteredList(out) : statedList(out, stated);
  }

  private evalArgs(args: CallArg[], scope: Scope, file: SourceFile): { pos: Value[]; kw: Map<string, Value> } {
    const pos: Value[] = [];
    const kw = new Map<string, Value>();
    for (const a of args) {
      if (a.kind === 'pos') pos.push(this.eval(a.value, scope, file));
      else if (a.kind === 'kw' && a.name) kw.set(a.name, this.eval(a.value, scope, file));
      else if (a.kind === 'star') {
        const v = this.eval(a.value, scope, file);
        const it = this.lib.iterate(v, this.loc(file, a.value));
        if (it.items && this.grow(it.items.length, 'Call with *args', this.loc(file, a.value))) for (const x of it.items) pos.push(x);
        else pos.push(unknown('*args of unknown length'));
      } else if (a.kind === 'dstar') {
        const v = this.eval(a.value, scope, file);
        if (isKind(v, 'dict')) for (const [k, x] of v.map) if (typeof k === 'string') kw.set(k, x);
        if (isKind(v, 'obj') && (v.type === 'namespace' || v.type === 'encoding' || v.type === 'trainingArgs')) for (const [k, x] of v.attrs) kw.set(k, x);
        if (isKind(v, 'inst')) for (const [k, x] of v.attrs) kw.set(k, x);
      }
    }
    return { pos, kw };
  }

  private evalCall(e: Extract<Expr, { t: 'call' }>, scope: Scope, file: SourceFile): Value {
    this.tick();
    const loc = this.loc(file, e);
    if (e.fn.t === 'name' && e.fn.id === 'super') return superObject(scope); // the enclosing method's class and self
    const fn = this.eval(e.fn, scope, file);
    const { pos, kw } = this.evalArgs(e.args, scope, file);
    return this.call(fn, pos, kw, loc, e.fn.t === 'name' ? e.fn.id : e.fn.t === 'attr' ? e.fn.name : undefined);
  }

  /** Call any callable value. `calleeName` is the name it was called through (for model roots). */
  call(fn: Value, pos: Value[], kw: Map<string, Value>, loc?: Loc, calleeName?: string): Value {
    if (!isObj(fn)) return unknown('call of a non-callable');
    switch (fn.kind) {
      case 'func': return this.callFunction(fn, pos, kw, loc);
      case 'builtin': return fn.fn(pos, kw, loc);
      case 'class': return this.instantiate(fn, pos, kw, loc);
      case 'ext': return this.lib.callExternal(fn.path, pos, kw, loc);
      case 'method': return this.lib.callMethod(fn.self, fn.name, pos, kw, loc);
      case 'inst': case 'layer': case 'container': case 'obj':
        return this.lib.callModule(fn, pos, kw, loc, calleeName);
      case 'unknown': {
        if (pos.some((p) => isTensorV(p))) this.lib.uncounted(fn.why ? `call of ${fn.why}` : 'call of an unresolved function', 'its definition could not be resolved statically', loc);
        return UNKNOWN;
      }
      default: return UNKNOWN;
    }
  }

  makeFunction(name: string, params: Param[], body: Stmt[] | Expr, scope: Scope, file: SourceFile, span: { from: number; to: number }): FuncValue {
    const defaults = params.map((p) => (p.default ? this.eval(p.default, scope, file) : undefined));
    // A method's body does not see its class body (Python skips class scopes): `def next(self): return next(self.it)`
    // calls the builtin, not itself.
    let closure = scope;
    while (closure.isClassBody && closure.parent) closure = closure.parent;
    return { kind: 'func', name, params, body, defaults, closure, file, loc: this.loc(file, span), decorators: [] };
  }

  /** Bind call arguments to parameters, Python-style. */
  bindParams(fn: FuncValue, pos: Value[], kw: Map<string, Value>): Scope {
    const scope = new Scope(fn.closure);
    const all = fn.self !== undefined ? [fn.self, ...pos] : pos;
    let pi = 0;
    const kwLeft = new Map(kw);
    fn.params.forEach((p, i) => {
      if (p.kind === 'star') {
        scope.set(p.name, tuple(all.slice(pi)));
        pi = all.length;
      } else if (p.kind === 'dstar') {
        const d: DictValue = { kind: 'dict', map: new Map() };
        for (const [k, v] of kwLeft) d.map.set(k, v);
        kwLeft.clear();
        scope.set(p.name, d);
      } else if (p.kind === 'normal' && pi < all.length) {
        scope.set(p.name, all[pi++]);
        kwLeft.delete(p.name);
      } else if (kwLeft.has(p.name)) {
        scope.set(p.name, kwLeft.get(p.name) as Value);
        kwLeft.delete(p.name);
      } else {
        scope.set(p.name, fn.defaults[i] !== undefined ? (fn.defaults[i] as Value) : unknown(`argument '${p.name}' not given`));
      }
    });
    if (fn.owner) scope.set('__class__', fn.owner);
    return scope;
  }

  callFunction(fn: FuncValue, pos: Value[], kw: Map<string, Value>, loc?: Loc): Value {
    if (this.state.depth >= this.maxDepth) {
      this.problem('warning', 'recursion', `Call depth limit (${this.maxDepth}) reached in '${fn.name}': deeper calls are not evaluated.`, loc ?? fn.loc);
      return unknown('recursion limit');
    }
    this.state.depth++;
    if (fn.noGrad) this.state.noGrad++;
    const optimizerDone = fn.self ? userOptimizerCall(this, fn, loc) : undefined; // a script's own optimizer (userOptimizers.ts)
    try {
      const scope = this.bindParams(fn, pos, kw);
      if (!Array.isArray(fn.body)) return this.eval(fn.body as Expr, scope, fn.file);
      if (isGeneratorBody(fn.body)) return this.runGenerator(fn, fn.body, scope, loc);
      const f = this.execBlock(fn.body, scope, fn.file);
      return f?.type === 'return' ? f.value : null;
    } finally {
      this.state.depth--;
      if (fn.noGrad) this.state.noGrad--;
      optimizerDone?.();
    }
  }

  /** Generators being run up to their first `yield` (a `yield` outside one is ignored). */
  private genDepth = 0;

  /**
   * A generator function's body up to its first `yield` (see generators.ts): a lazy iterable of that item, with
   * the passes of the loops around the `yield` as its length when each is knowable; an empty list when the body
   * ends without yielding.
   */
  private runGenerator(fn: FuncValue, body: Stmt[], scope: Scope, loc?: Loc): Value {
    this.genDepth++;
    try {
      this.execBlock(body, scope, fn.file);
      return list([]);
    } catch (e) {
      if (!(e instanceof GenYield)) throw e;
      let trips = e.trips;
      const counts: string[] = [];
      for (const l of loopsAround(body, e.at) ?? []) {
        if (trips === undefined) break;
        const r = l.t === 'for' ? this.lib.iterate(this.eval(l.iter, scope, fn.file)) : undefined;
        const n = l.t === 'for' ? (r?.items ? r.items.length : r?.trips) : l.t === 'while' ? this.whileTrips(l, scope, fn.file)?.n : 1;
        trips = n === undefined ? undefined : trips * n;
        if (n !== undefined) counts.push(l.t === 'for' ? (r?.label ?? String(n)) : `while (${n})`);
      }
      const label = `generator ${fn.name}()`;
      const note = trips === undefined ? `${label}: the passes of its loop are not known` : `${label}: ${counts.join(' × ') || 'one item'} = ${trips.toLocaleString('en-US')} items`;
      return { kind: 'obj', type: 'lazyiter', id: this.id(), loc: fn.loc ?? loc, attrs: new Map<string, Value>([['elem', e.value], ['trips', trips ?? UNKNOWN], ['label', label], ['note', note]]) };
    } finally {
      this.genDepth--;
    }
  }

  // ---------------------------------------------------------------- operators

  binop(op: string, a: Value, b: Value, loc?: Loc): Value {
    // list(a.parameters()) + list(b.parameters()): the parameters of both.
    if (op === '+' && isKind(a, 'obj') && a.type === 'paramset' && isKind(b, 'obj') && b.type === 'paramset') {
      const mods = (v: ObjValue) => { const m = v.attrs.get('modules'); return isSeq(m) ? m.items : []; };
      const modules = this.concat('list', [mods(a), mods(b)], 'Joining parameter lists (+)', loc);
      if (isUnknown(modules)) return modules;
      return { kind: 'obj', type: 'paramset', id: this.id(), attrs: new Map<string, Value>([['modules', modules], ['named', a.attrs.get('named') ?? false]]) };
    }
    if (op === '/' && isKind(a, 'obj') && a.type === 'fspath') return pathDiv(this.lib, a, b, loc); // Path('data') / 'x.csv'
    if (isNum(a) && isNum(b) || typeof a === 'boolean' || typeof b === 'boolean') {
      const x = Number(a), y = Number(b);
      if ((isNum(a) || typeof a === 'boolean') && (isNum(b) || typeof b === 'boolean')) {
        switch (op) {
          case '+': return x + y;
          case '-': return x - y;
          case '*': return x * y;
          case '/': return y === 0 ? unknown('division by zero') : x / y;
          case '//': return y === 0 ? unknown('division by zero') : Math.floor(x / y);
          case '%': return y === 0 ? unknown('modulo by zero') : ((x % y) + y) % y;
          case '**': return Math.pow(x, y);
          case '<': return x < y;
          case '>': return x > y;
          case '<=': return x <= y;
          case '>=': return x >= y;
          case '==': case 'is': return x === y;
          case '!=': case 'is not': return x !== y;
          case '&': return x & y;
          case '|': return x | y;
          case '^': return x ^ y;
          case '<<': return x * Math.pow(2, y);
          case '>>': return Math.floor(x / Math.pow(2, y));
        }
      }
    }
    if (isTensorV(a) || isTensorV(b) || isKind(a, 'param') || isKind(b, 'param')) {
      // An elementwise op with an operand that could not be evaluated (a scalar from torch.sqrt(torch.tensor(c)), a
      // value from a file) keeps the shape it knows rather than losing everything downstream (a hand-written GELU).
      if (isUnknown(a) !== isUnknown(b) && ['+', '-', '*', '/', '**', '<', '>', '<=', '>=', '==', '!=', '&', '|'].includes(op)) [a, b] = [isUnknown(a) ? 1 : a, isUnknown(b) ? 1 : b]; // (x != pad_idx) too
      const fn = ({ '+': 'add', '-': 'sub', '*': 'mul', '/': 'div', '@': 'matmul', '**': 'pow', '//': 'div', '%': 'remainder' } as Record<string, string>)[op];
      if (fn) return this.lib.applyFn(fn, 'fn', [a, b], new Map(), loc, op === '@' ? '@' : op);
      const cmp = ({ '<': 'lt', '>': 'gt', '<=': 'le', '>=': 'ge', '==': 'eq', '!=': 'ne', '&': 'bitwise_and', '|': 'bitwise_or', '^': 'bitwise_xor' } as Record<string, string>)[op];
      if (cmp) return this.lib.applyFn(cmp, 'fn', [a, b], new Map(), loc, op);
      if (op === 'is' || op === 'is not') return op === 'is not';
      return UNKNOWN;
    }
    switch (op) {
      case '==': case 'is': if (!isObj(a) && !isObj(b)) return a === b; if (isUnknown(a) || isUnknown(b)) return UNKNOWN; return a === b;
      case '!=': case 'is not': if (!isObj(a) && !isObj(b)) return a !== b; if (isUnknown(a) || isUnknown(b)) return UNKNOWN; return a !== b;
      case 'in': case 'not in': {
        let r: Value = UNKNOWN;
        if (typeof b === 'string' && typeof a === 'string') r = b.includes(a);
        else if (isSeq(b)) r = b.items.some((x) => x === a) ? true : b.items.every((x) => !isObj(x)) && !isObj(a) ? false : UNKNOWN;
        else if (isKind(b, 'dict')) { const k = dictKey(a); r = k === undefined ? UNKNOWN : b.map.has(k); }
        else if (isKind(b, 'obj') && (b.type === 'namespace')) r = typeof a === 'string' ? b.attrs.has(a) : UNKNOWN;
        if (r === UNKNOWN) return UNKNOWN;
        return op === 'in' ? r : !r;
      }
    }
    if (typeof a === 'string' && op === '%') return this.lib.callExternal('str.__mod__', [a, b], new Map(), loc); // lib/strformat.ts
    if (typeof a === 'string' && typeof b === 'string') {
      if (op === '+') return this.grow(a.length + b.length, 'String concatenation (+)', loc, true) ? a + b : unknown('string too long');
      if (op === '<') return a < b;
      if (op === '>') return a > b;
      return UNKNOWN;
    }
    if (typeof a === 'string' && isNum(b) && op === '*') {
      const n = Math.max(0, Math.floor(b));
      return this.grow(a.length * n, 'String repetition (*)', loc, true) ? a.repeat(n) : unknown('string too long');
    }
    if (isSeq(a) && isSeq(b) && op === '+') return this.concat(a.kind, [a.items, b.items], `${a.kind === 'tuple' ? 'Tuple' : 'List'} concatenation (+)`, loc);
    if ((op === '+' || op === '*') && (isSeq(a) && isUnknown(b) || isUnknown(a) && isSeq(b))) return unknown(UNKNOWN_SEQ);
    if (isSeq(a) && isNum(b) && op === '*') {
      const n = Math.max(0, Math.floor(b));
      if (!this.grow(a.items.length * n, `${a.kind === 'tuple' ? 'Tuple' : 'List'} repetition (*)`, loc)) return unknown('list too large');
      const items: Value[] = [];
      for (let i = 0; i < n; i++) for (const x of a.items) items.push(x);
      return { kind: a.kind, items };
    }
    if (isKind(a, 'dict') && isKind(b, 'dict') && op === '|') return this.grow(a.map.size + b.map.size, 'Dict union (|)', loc) ? { kind: 'dict', map: new Map([...a.map, ...b.map]) } : unknown('dict too large');
    if (isKind(a, 'inst')) {
      const dunder = ({ '+': '__add__', '-': '__sub__', '*': '__mul__', '@': '__matmul__' } as Record<string, string>)[op];
      const m = dunder ? this.lookupClass(a.cls, dunder) : undefined;
      if (m && isKind(m.value, 'func')) return this.callFunction({ ...m.value, self: a, owner: m.owner }, [b], new Map(), loc);
    }
    return UNKNOWN;
  }

  // ---------------------------------------------------------------- hooks for the library

  /** Directives and setting overrides (`# floplens: batch=64`, `--set`), typed, parsed before evaluation. */
  directives: Directives = {};

  /**
   * A directive wins over the script's own value for the variable it names: `# floplens: batch=64`
   * replaces `batch_size = 32` at module level, in config classes, argparse defaults and DataLoaders.
   */
  overrideScalar(name: string, v: Value): Value {
    if (!isNum(v) && !isUnknown(v) && v !== null) return v;
    const d = this.directives;
    if (BATCH_NAMES.test(name) && d.batch) return d.batch.value;
    if (SEQ_NAMES.test(name) && d.seq) return d.seq.value;
    if (ACCUM_NAMES.test(name) && d.accum) return d.accum.value;
    if (VOCAB_NAMES.test(name) && (d.vocab || isUnknown(v) || v === 0)) return dataVocabulary(name, v, this.current?.file.text ?? '', (m) => this.problem('info', 'data-vocab', m, this.current ? this.loc(this.current.file, this.current.s) : undefined), this.opts.dataFiles, this.current?.s, d.vocab?.value);
    return SEQ_NAMES.test(name) ? dataSequence(name, v, this.current?.file.text ?? '', (m) => this.problem('info', 'data-seq', m, this.current ? this.loc(this.current.file, this.current.s) : undefined)) : v;
  }

  /** Module-level scalars of the main program, for name-based guesses (`batch_size`, `block_size`). */
  mainScope: Scope | undefined;
  private readonly extraGlobals: [string, Value][] = [];

  *globalsForGuess(): Iterable<[string, Value]> {
    if (this.mainScope) yield* this.mainScope.vars;
    yield* this.extraGlobals;
  }

  // ---------------------------------------------------------------- classes

  private makeClass(s: Extract<Stmt, { t: 'class' }>, scope: Scope, file: SourceFile): ClassValue {
    const bases: Value[] = [];
    for (const b of s.bases) if (b.kind === 'pos') bases.push(this.eval(b.value, scope, file));
    const decorators = s.decorators.map((d) => exprName(d) ?? '');
    const cls: ClassValue = {
      kind: 'class', name: s.name, bases, ns: new Map(), isModule: false, isDataclass: false, fields: [],
      file, loc: this.loc(file, s.nameSpan), id: this.id(),
    };
    cls.isModule = bases.some((b) => this.lib.isModuleBase(b));
    cls.isDataclass = decorators.some((d) => /(^|\.)dataclass$|(^|\.)dataclasses\.dataclass$|^define$|^attr\.s$|^attrs\.define$/.test(d))
      || bases.some((b) => (isKind(b, 'ext') && /NamedTuple$|BaseModel$|TypedDict$/.test(b.path)) || (isKind(b, 'class') && b.isDataclass));
    // Inherit fields from dataclass bases.
    for (const b of bases) if (isKind(b, 'class') && b.isDataclass) pushAll(cls.fields, b.fields.map((f) => ({ ...f })));
    const body = new Scope(scope, true);
    for (const st of s.body) {
      this.tick();
      if (st.t === 'assign' && st.targets.length === 1 && st.targets[0].t === 'name') {
        const name = st.targets[0].id;
        let v: Value | undefined;
        if (st.value) {
          v = this.eval(st.value, body, file);
          // dataclasses.field(default=…, default_factory=…)
          if (isKind(v, 'obj') && v.type === 'field') {
            const df = v.attrs.get('default');
            const fac = v.attrs.get('default_factory');
            v = df !== undefined ? df : fac !== undefined ? this.call(fac, [], new Map()) : unknown('field without default');
          }
          v = this.overrideScalar(name, v);
          body.set(name, v);
        }
        if (st.annotation && cls.isDataclass) {
          const idx = cls.fields.findIndex((f) => f.name === name);
          const field = { name, default: v };
          if (idx >= 0) cls.fields[idx] = field; else cls.fields.push(field);
        }
        continue;
      }
      const f = this.exec(st, body, file);
      if (f) break;
    }
    for (const [k, v] of body.vars) {
      if (isKind(v, 'func')) v.owner = cls;
      cls.ns.set(k, v);
    }
    this.classes.push(cls);
    return cls;
  }

  /** Method resolution: the class, then its bases depth-first (enough for ML code). */
  lookupClass(cls: ClassValue, name: string, skipSelf = false): { value: Value; owner: ClassValue } | undefined {
    const seen = new Set<number>();
    const walk = (c: ClassValue, skip: boolean): { value: Value; owner: ClassValue } | undefined => {
      if (seen.has(c.id)) return undefined;
      seen.add(c.id);
      if (!skip && c.ns.has(name)) return { value: c.ns.get(name) as Value, owner: c };
      for (const b of c.bases) if (isKind(b, 'class')) { const r = walk(b, false); if (r) return r; }
      return undefined;
    };
    return walk(cls, skipSelf);
  }

  instantiate(cls: ClassValue, pos: Value[], kw: Map<string, Value>, loc?: Loc): Value {
    const inst: InstValue = { kind: 'inst', cls, attrs: new Map(), id: this.id() };
    if (cls.isModule || this.lookupClass(cls, '__init__') === undefined && cls.bases.some((b) => this.lib.isModuleBase(b))) {
      inst.module = newMeta(loc);
    }
    if (cls.isModule) {
      inst.module = inst.module ?? newMeta(loc);
      this.constructed.push({ value: inst, loc });
    }
    // Dataclass-generated __init__ (unless the class defines its own).
    const init = this.lookupClass(cls, '__init__');
    if (cls.isDataclass && (!init || init.owner !== cls && !isKind(init.value, 'func'))) {
      cls.fields.forEach((f, i) => {
        const v = i < pos.length ? pos[i] : kw.has(f.name) ? kw.get(f.name) as Value : f.default !== undefined ? f.default : unknown(`field '${f.name}'`); // a None default is null
        inst.attrs.set(f.name, v);
      });
    } else if (cls.isDataclass && init && isKind(init.value, 'func') && init.owner === cls) {
      cls.fields.forEach((f) => inst.attrs.set(f.name, f.default !== undefined ? f.default : unknown(`field '${f.name}'`)));
    }
    // Class-level attributes visible through instances (config classes with attributes).
    if (init && isKind(init.value, 'func')) {
      if (inst.module) { this.state.initDepth++; rememberInit(inst, init.value, pos, kw); } // self.save_hyperparameters() binds them
      try { this.callFunction({ ...init.value, self: inst, owner: init.owner }, pos, kw, loc); } finally { if (inst.module) this.state.initDepth--; }
    } else if (!cls.isDataclass && pos.length + kw.size > 0) {
      if (!this.lib.layerBaseInit(cls, inst, pos, kw, loc)) rememberBaseInit(inst, pos, kw); // a torch layer's or a library base's __init__ (class MyCelebA(CelebA): lib/data.ts reads its arguments)
    }
    if (cls.isDataclass) {
      const post = this.lookupClass(cls, '__post_init__');
      if (post && isKind(post.value, 'func')) this.callFunction({ ...post.value, self: inst, owner: post.owner }, [], new Map(), loc);
    }
    return inst;
  }
}

/** Dotted name of a simple expression (`torch.nn.Linear`), or undefined. */
export function exprName(e: Expr): string | undefined {
  if (e.t === 'name') return e.id;
  if (e.t === 'attr') { const b = exprName(e.obj); return b ? `${b}.${e.name}` : undefined; }
  if (e.t === 'call') return exprName(e.fn);
  return undefined;
}

export type { ListValue };
export { tuple, list, UNKNOWN, unknown, isObj, isKind, isSeq, isUnknown, isNum, isTensorV, truthy, rangeLen, describe };
export type { LoopFrame, InterpreterOptions };
