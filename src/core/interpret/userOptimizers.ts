/**
 * Optimizers the script writes itself: a class of its own (not an nn.Module) with `step()` and `zero_grad()` methods,
 * or a subclass of `torch.optim.Optimizer`, as course notebooks write SGD, momentum and Adam by hand
 * (`class SGD(OptimizerTemplate): def update_param(self, p): p.add_(-self.lr * p.grad)`). Its `step()` is the
 * run's optimizer step and its `zero_grad()` a zero_grad, as those of torch.optim are; without this the loop that
 * trains with it has no step and a demonstration's lone `loss.backward()` elsewhere was taken as the iteration.
 */
import type { Loc } from '../types';
import type { Recorder } from './recorder';
import { isKind } from './values';
import type { ClassValue, FuncValue, Value } from './values';

interface OptimizerHost {
  recorder: Recorder;
  lookupClass(cls: ClassValue, name: string): { value: Value; owner: ClassValue } | undefined;
}

function subclassesTorchOptimizer(cls: ClassValue, depth = 0): boolean {
  if (depth > 20) return false;
  return cls.bases.some((b) => (isKind(b, 'ext') && /(^|\.)optim(izer)?\.(optimizer\.)?Optimizer$/.test(b.path))
    || (isKind(b, 'class') && subclassesTorchOptimizer(b, depth + 1)));
}

/** A class of the script that is an optimizer: it subclasses torch.optim.Optimizer, or has step() and zero_grad() and is no module. */
export function isUserOptimizer(host: OptimizerHost, cls: ClassValue): boolean {
  if (subclassesTorchOptimizer(cls)) return true;
  if (cls.isModule) return false;
  const has = (name: string) => { const m = host.lookupClass(cls, name); return m !== undefined && isKind(m.value, 'func'); };
  return has('step') && has('zero_grad');
}

/**
 * Called before a bound method runs: for `step`/`zero_grad` of a script's optimizer, a function to call after it
 * has run, which records the event unless the call recorded one itself (a subclass's `super().step()`, or a
 * wrapper whose step() steps a torch optimizer inside).
 */
export function userOptimizerCall(host: OptimizerHost, fn: FuncValue, loc?: Loc): (() => void) | undefined {
  if ((fn.name !== 'step' && fn.name !== 'zero_grad') || !isKind(fn.self, 'inst') || !isUserOptimizer(host, fn.self.cls)) return undefined;
  const kind = fn.name === 'step' ? 'step' : 'zero_grad';
  const rec = host.recorder;
  const before = rec.events.length;
  return () => {
    if (!rec.events.slice(before).some((e) => e.kind === kind)) rec.event(kind, true, loc);
  };
}
