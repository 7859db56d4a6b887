import type { Value, DictValue } from '../values';

/** Full dotted name, with common aliases folded (`torch.nn.modules.linear.Linear` stays matched by regexes). */
export function canonical(path: string): string {
  return path.replace(/^pytorch_lightning\b/, 'lightning.pytorch');
}

export function fmt(n: number): string { return n.toLocaleString('en-US'); }

export const dictOf = (entries: [string, Value][]): DictValue => ({ kind: 'dict', map: new Map(entries) });
