/** Scripts that double a value 30+ times in every way the evaluator can grow one (budget and worker tests). */
export const DOUBLING: Record<string, string> = {
  'list +': 'x = [0]\nfor i in range(30):\n    x = x + x\n',
  'list +=': 'x = [0]\nfor i in range(30):\n    x += x\n',
  'tuple +': 'x = (0,)\nfor i in range(30):\n    x = x + x\n',
  'function doubling': 'def dbl(x):\n    return x + x\nx = [0]\nfor i in range(30):\n    x = dbl(x)\n',
  'string +': 's = "ab"\nfor i in range(40):\n    s = s + s\n',
  'extend': 'x = [0]\nfor i in range(30):\n    x.extend(x)\n',
  '[*x, *x]': 'x = [0]\nfor i in range(30):\n    x = [*x, *x]\n',
  '{**d, **e}': 'd = {0: 0}\nfor i in range(30):\n    d = {**d, **{k + len(d): v for k, v in d.items()}}\n',
  'dict.update': 'd = {0: 0}\nfor i in range(30):\n    d.update({k + len(d): v for k, v in d.items()})\n',
  'str * n': 's = "ab"\nfor i in range(30):\n    s = s * 2\nt = "x" * 10**12\n',
  'join and replace': 's = "a"\nfor i in range(30):\n    s = "".join([s, s])\n    s = s.replace("a", "aa")\n',
  'list * n': 'x = [0] * 10**12\ny = [1, 2]\nfor i in range(40):\n    y = y * 2\n',
  'nested list growth': 'x = [0]\nfor i in range(60):\n    x = [x, x]\ny = [x] * 200000\nz = len(y) + len(x)\n',
  'list() and tuple()': 'x = [0]\nfor i in range(30):\n    x = list(x) + list(tuple(x))\n',
};
