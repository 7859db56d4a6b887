/**
 * Implicit tuples (issue 14: evaluator details that silently lose values): `a(), b()` as a statement evaluates every
 * item, `for v in 1, 2, 3:` iterates over the whole tuple; the forms that already kept every item stay so.
 */
import { describe, it } from 'vitest';
import { check } from './snippetCheck';

describe('implicit tuples keep every item', () => {
  it('a bare tuple statement evaluates every item, in order', () => {
    check(`
out = []
out.append(1), out.append(2), out.append(3)
`, 'out = [1, 2, 3]');
  });

  it('a bare tuple statement of layer appends builds every layer', () => {
    check(`
import torch.nn as nn
layers = []
layers.append(nn.Linear(10, 20)), layers.append(nn.Linear(20, 5))
model = nn.Sequential(*layers)
`, 'params(model) = 325');
  });

  it('a for loop over an implicit tuple visits every item', () => {
    check(`
seen = []
for v in 1, 2, 3:
    seen.append(v * 10)
`, 'seen = [10, 20, 30]');
  });

  it('a for loop over an implicit tuple of pairs unpacks each', () => {
    check(`
total = 0
for a, b in (1, 2), (3, 4):
    total += a * b
`, 'total = 14');
  });

  it('assignment, return, starred and trailing-comma tuples keep every item', () => {
    check(`
def pair():
    return 3, 4
x = 1, 2
y = pair()
q = 1,
s = *x, 5
c, d = pair()
`, `
x = (1, 2)
y = (3, 4)
q = (1)
s = (1, 2, 5)
d = 4
`);
  });
});
