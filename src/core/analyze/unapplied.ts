/**
 * Stage: no directive is silent. A key that decided nothing in this analysis (the interpreter never read it,
 * no stage resolved a value from it) is named in an info problem that says why.
 */
import type { Problem } from '../types';
import { DIRECTIVE_KEY_NAMES, type DirectiveKey } from '../directiveKeys';
import type { Ctx } from './resolve';

/** What the analysis knows when it explains an unused key. */
export interface UnappliedContext {
  mode: 'train' | 'infer';
  modelName: string;
  /** The model was costed from `params=/layers=/hidden=…` directives. */
  modelFromDirectives: boolean;
  hasGeneration: boolean;
  /** `steps=` decided the step count. */
  stepsByDirective: boolean;
}

const why = (key: DirectiveKey, shown: string, c: UnappliedContext): string => {
  switch (key) {
    case 'requests': case 'rate': case 'items': case 'latency': case 'ttft': case 'tpot': case 'quant': case 'kv_dtype': {
      if (c.mode !== 'infer') return `${shown} applies to serving an inference script; this run is training.`;
      const only = { requests: 'is a monthly count used when no rate= is given; rate= sets the rate here', items: 'applies to classifiers, embedders and diffusion; this script generates text', ttft: 'applies to LLM serving; this script does not generate text', tpot: 'applies to LLM serving; this script does not generate text', kv_dtype: 'applies to LLM serving; this script does not generate text' } as Partial<Record<DirectiveKey, string>>;
      return `${shown} ${only[key] ?? 'applies to serving; this analysis has no serving figures (no inference work found)'}.`;
    }
    case 'params': case 'layers': case 'hidden': case 'heads': case 'vocab': {
      const also = key === 'params' ? ', or a script with no model' : key === 'vocab' ? ', or a vocabulary-size variable in the script' : '';
      const model = c.modelName === 'no model found' ? 'FlopLens found no model in this script' : `this script's model is ${c.modelName}, costed from ${c.modelFromDirectives ? 'other directives' : 'the script'}`;
      return `${shown} applies only to a model costed from directives (a from_pretrained name FlopLens does not know${also}); ${model}.`;
    }
    case 'prompt': case 'new_tokens':
      return `${shown} applies to generate() and tokenized prompts of a known model; ${c.hasGeneration ? 'this script sets its own' : 'this script generates nothing'}.`;
    case 'classes': return `${shown} applies to a classifier head sized from the data (num_classes=len(labels) of a known model); this script's heads have their own size.`;
    case 'image_size': return `${shown} applies to images FlopLens has to size (a dataset without a shape, a diffusion pipeline); this script's inputs have their own size.`;
    case 'optimizer': return `${shown} applies to training; this run is ${c.mode === 'infer' ? 'inference, with no optimizer state' : 'training but has no optimizer step'}.`;
    case 'tokens': return `${shown} sets the step count from a token budget; ${c.stepsByDirective ? 'steps= sets it here instead' : 'it needs a sequence length, and this script\'s model has none (add seq=N)'}.`;
    case 'args': return `${shown} applies to options a script reads with argparse; this script reads none of those it names.`;
    default: return `${shown} does not change this analysis.`;
  }
};

export function unappliedDirectiveProblems(ctx: Ctx, c: UnappliedContext): void {
  const use = ctx.directives;
  for (const key of DIRECTIVE_KEY_NAMES) {
    const e = use.all[key];
    if (!e || use.applied.has(key)) continue;
    const p: Problem = { severity: 'info', code: 'directive-unused', message: why(key, `${key}=${e.raw}`, c) };
    if (e.loc) p.loc = e.loc;
    ctx.problems.push(p);
  }
}
