/** `super()` inside a method: the enclosing method's self and class, whose bases the attribute lookup starts after. */
import type { Scope, Value } from './values';
import { UNKNOWN } from './values';

export function superObject(scope: Scope): Value {
  const self = scope.get('self') ?? (scope.get('__self__') as Value | undefined);
  const owner = scope.get('__class__');
  return { kind: 'obj', type: 'super', attrs: new Map<string, Value>([['self', self ?? UNKNOWN], ['owner', owner ?? UNKNOWN]]), id: 0 };
}
