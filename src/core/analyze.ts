/**
 * The pure core's one entry point: source text in, `Analysis` out. A pipeline of stages (src/core/analyze/):
 * inputs (settings, directives) → trace (interpret, one iteration) → mode → model parameters → shape (batch,
 * seq, dtype) → run length and optimizer → memory, FLOPs and run spec → projection → unapplied directives →
 * assembly. Every run quantity is decided by one rule (analyze/resolve.ts). Never throws.
 */
import type { Analysis } from './types';
import type { AnalyzeInput } from './api';
import { parseModule } from './parse/ast';
import type { Stmt } from './parse/ast';
import { DEFAULT_SETTINGS, readDirectives, settingsOf } from './analyze/inputs';
import { DirectiveUse, resolve, type Ctx } from './analyze/resolve';
import { toOps, trace } from './analyze/trace';
import { countModelParams } from './analyze/model';
import { resolveShape } from './analyze/shape';
import { OPTIMIZER_STATE_BYTES, resolveOptimizer, resolveRunLength } from './analyze/run';
import { periodicWork } from './analyze/periodic';
import { MATRIX_CLASSES, memoryOf, runSpecOf, stepFlops, workloadOf } from './analyze/memory';
import { projectWorkload } from './analyze/projection';
import { unappliedDirectiveProblems } from './analyze/unapplied';
import { assemble, emptyAnalysis, guardFigures, modelName } from './analyze/assemble';
import { servingStage } from './serve/stage';

export { DEFAULT_SETTINGS, MATRIX_CLASSES, OPTIMIZER_STATE_BYTES, guardFigures };
export type { Directive } from './directives';
export type { OpRecord } from './interpret/recorder';

/** Files larger than this are analysed up to the cap, with a notice. */
export const MAX_SOURCE_CHARS = 2_000_000;

/**
 * Packages that are never local modules (the host need not look for them in the workspace). `datasets` is not one:
 * a script's own `datasets.py` (PyTorch-GAN's ImageDataset) shadows the Hugging Face package, as in Python.
 */
const EXTERNAL_PACKAGES = /^(torch|torchvision|numpy|np|os|sys|math|json|time|argparse|dataclasses|typing|transformers|diffusers|peft|timm|tqdm|random|collections|functools|itertools|pathlib|contextlib|inspect|logging|pickle|copy|re|glob|shutil|wandb|einops|lightning|pytorch_lightning|accelerate|bitsandbytes|trl|matplotlib|pandas|sklearn|scipy|PIL|tiktoken|yaml|types|abc|enum|warnings|subprocess|socket|requests|urllib)(\.|$)/;

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
          case 'from': {
            // Relative imports keep their dots (`.resnet`, `..utils`): the host resolves them against the importer's folder.
            const dots = '.'.repeat(s.level);
            if (s.module) out.add(dots + s.module);
            for (const n of s.names) {
              if (n.name === '*') continue;
              out.add(dots + (s.module ? `${s.module}.${n.name}` : n.name));
            }
            break;
          }
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
  const settings = settingsOf(input);
  const problems: Analysis['problems'] = [];
  let text = input.cells ? input.cells.join('\n\n') : input.text;
  // A leading byte-order mark (U+FEFF) is an encoding marker, not Python: it would read as a syntax error.
  if (text.charCodeAt(0) === 0xfeff) text = text.slice(1);
  if (text.length > MAX_SOURCE_CHARS) {
    problems.push({ severity: 'warning', code: 'too-large', message: `The file is ${text.length.toLocaleString('en-US')} characters; FlopLens analysed the first ${MAX_SOURCE_CHARS.toLocaleString('en-US')}.` });
    text = text.slice(0, MAX_SOURCE_CHARS);
  }
  let analysis: Analysis;
  try {
    const directives = new DirectiveUse(readDirectives(text, settings, problems));
    analysis = runPipeline({ input, settings, problems, assumptions: [], directives }, text);
  } catch (e) {
    problems.push({ severity: 'error', code: 'internal', message: `FlopLens could not finish the analysis: ${(e as Error)?.message ?? e}. Partial results only.` });
    analysis = emptyAnalysis(input.file, problems);
  }
  analysis.elapsedMs = nowMs() - t0;
  return analysis;
}

/** The stages in order; each returns a typed result the later ones read. */
function runPipeline(ctx: Ctx, text: string): Analysis {
  const t = trace(ctx, text);
  const mode = resolve(ctx.directives, 'mode', { traced: [{ value: t.iter.mode, source: 'inferred' }] })!.value;
  const ops = toOps(t, mode);
  const model = countModelParams(ctx, t, ops, mode);
  const shape = resolveShape(ctx, t, ops);
  const length = resolveRunLength(ctx, t, shape, mode);
  const optimizer = resolveOptimizer(ctx, t, mode);
  const figures = { mode, ops, shape, model, length, optimizer };
  const memory = memoryOf(ctx, t, figures);
  const flops = stepFlops(ctx, t, ops, mode);
  const run = runSpecOf(ctx, t, figures, memory, flops.recompute);
  const periodic = periodicWork(ctx, t, mode, run.steps);
  if (periodic > 0) run.periodicForwardFlops = periodic;
  const workload = workloadOf(run, ops, memory, model, flops);
  const outcome = projectWorkload(ctx, workload);
  const serving = servingStage(ctx, workload, outcome.projections);
  unappliedDirectiveProblems(ctx, {
    mode, modelName: modelName(t.it, model.roots), modelFromDirectives: t.it.problems.some((p) => p.code === 'directive-model'),
    hasGeneration: run.newTokens !== undefined, stepsByDirective: ctx.directives.applied.has('steps'),
  });
  const analysis = assemble(ctx, { trace: t, mode, shape, model, flops, workload, outcome });
  if (serving) analysis.serving = serving;
  guardFigures(analysis);
  return analysis;
}

function nowMs(): number {
  return typeof performance !== 'undefined' ? performance.now() : Date.now();
}
