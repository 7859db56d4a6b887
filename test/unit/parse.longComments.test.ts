/**
 * Long scripts with many blank or comment-only lines (jupytext notebooks, commented tutorials) are valid Python and
 * must parse without syntax errors. @lezer/lr's guard against deep left-associative trees counted each such line past
 * the first 2,000 characters and, after 300, forced the parse out of the module: phantom "Syntax error near line N"
 * warnings, some in the middle of valid statements (src/core/parse/ast.ts parsePython).
 */
import { describe, expect, it } from 'vitest';
import { parseModule } from '../../src/core/parse/ast';
import { analyze } from '../../src/core/analyze';

/** `every`-th line an assignment, the others `filler(i)`. */
function script(filler: (i: number) => string, every: number, lines: number): string {
  let t = '';
  for (let i = 0; i < lines; i++) t += i % every === 0 ? `x${i} = f(${i})\n` : `${filler(i)}\n`;
  return t;
}
const syntaxProblems = (text: string) => parseModule(text).problems.filter((p) => p.code === 'syntax');

describe('long scripts with many blank or comment-only lines', () => {
  it('give no syntax errors, and every statement is read', () => {
    for (const [filler, every] of [[(i: number) => `# ${'word '.repeat(5 + ((i * 7) % 23))}${i}`, 8], [() => '', 8], [() => '# %%', 3], [() => '    ', 13]] as const) {
      const text = script(filler, every, 3000);
      expect(syntaxProblems(text)).toEqual([]);
      expect(parseModule(text).body.length).toBe(Math.ceil(3000 / every));
    }
  });

  it('a jupytext-style notebook: markdown cells as comments, then the model, is analysed whole', () => {
    const markdown = Array.from({ length: 40 }, (_, k) => `# %% [markdown]\n${Array.from({ length: 12 }, (_, j) => `# Paragraph ${k}.${j}: some [link](https://example.org/${k}) and \`code\` in prose.`).join('\n')}\n\n# %%\nprint(${k})\n`).join('\n');
    const text = `import torch\nimport torch.nn as nn\n${markdown}\nmodel = nn.Sequential(nn.Linear(784, 256), nn.ReLU(), nn.Linear(256, 10))\nx = torch.randn(64, 784)\ny = model(x)\n`;
    expect(text.length).toBeGreaterThan(20_000);
    const r = analyze({ text, file: 'nb.py' });
    expect(r.problems.filter((p) => p.code === 'syntax')).toEqual([]);
    expect(r.model.params).toBe(784 * 256 + 256 + 256 * 10 + 10);
  });

  it('a real syntax error in a long commented file is still reported, at its line', () => {
    const text = script(() => '# note', 4, 2000) + 'def broken(:\n    pass\n';
    const errs = syntaxProblems(text);
    expect(errs.length).toBeGreaterThan(0);
    expect(errs[0].loc?.line).toBeGreaterThanOrEqual(2000);
  });

  it('a very long operator chain still parses (bounded depth), without throwing', () => {
    const text = `y = ${Array.from({ length: 20_000 }, (_, i) => `a${i}`).join(' + ')}\nz = 1\n`;
    const m = parseModule(text);
    expect(m.body.length).toBeGreaterThan(0);
  });
});

describe('a last line of only spaces', () => {
  it('deeper than the block above it, with no newline after it, is not a syntax error', () => {
    for (const text of ['def f():\n    return 1\n     ', 'class A:\n    def g(self):\n        return 2\n\t\t\t', 'x = 1\n   ']) {
      expect(syntaxProblems(text)).toEqual([]);
      expect(parseModule(text).body.length).toBe(1);
    }
  });
  it('a real error before it is still reported', () => {
    expect(syntaxProblems('def f(:\n    return 1\n     ').length).toBeGreaterThan(0);
  });
});
