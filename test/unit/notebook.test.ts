/**
 * Reading .ipynb text: valid notebooks (also with a BOM) give their code cells; malformed or binary ones give one
 * "not a valid notebook" error and no cells; a cell whose source is not text is skipped with a warning. Never throws.
 */
import { describe, expect, it } from 'vitest';
import { analyze } from '../../src/core/analyze';
import { notebookCells, readNotebook } from '../../src/core/notebook';

const nb = (cells: unknown[]) => JSON.stringify({ cells, metadata: {}, nbformat: 4, nbformat_minor: 5 });
const MODEL = 'import torch.nn as nn\nimport torch\nfc = nn.Linear(64, 10)\ny = fc(torch.randn(8, 64))\n';

describe('readNotebook', () => {
  it('reads code cells (string or list-of-lines sources) and blanks magics; markdown cells are not code', () => {
    const r = readNotebook(nb([
      { cell_type: 'markdown', source: ['# title'] },
      { cell_type: 'code', source: ['%matplotlib inline\n', 'x = 1\n'] },
      { cell_type: 'code', source: 'y = 2' },
      { cell_type: 'code' },
    ]));
    expect(r).toEqual({ cells: ['\nx = 1\n', 'y = 2', ''], outputs: [{ cell: 2 }, { cell: 3 }, { cell: 4 }], problems: [] });
  });

  it('a BOM before the JSON (and before the first cell\'s text) is ignored', () => {
    const r = readNotebook(`\ufeff${nb([{ cell_type: 'code', source: '\ufeffx = 1' }])}`);
    expect(r).toEqual({ cells: ['x = 1'], outputs: [{ cell: 1 }], problems: [] });
  });

  it.each([
    ['', /not a valid notebook: the JSON does not parse/],
    ['{"cells": [', /not a valid notebook: the JSON does not parse/],
    ['\u0000\u0001PK\u0003\u0004binary', /not a valid notebook: it holds binary data/],
    ['null', /not a valid notebook: the JSON is not an object/],
    ['"cells"', /not a valid notebook: the JSON is not an object/],
    ['{"cells": 3}', /not a valid notebook: it has no "cells" list/],
  ])('%j is one error and no cells', (text, message) => {
    const r = readNotebook(text);
    expect(r.cells).toEqual([]);
    expect(r.problems).toHaveLength(1);
    expect(r.problems[0].severity).toBe('error');
    expect(r.problems[0].message).toMatch(message);
    expect(notebookCells(text)).toEqual([]);
  });

  it.each([
    [[{ toString: 1 }]],
    [{ toString: 1 }],
    [['a', 2]],
    [42],
    [null],
  ])('a cell whose source is %j is skipped with a warning; the others are read', (source) => {
    const r = readNotebook(nb([null, { cell_type: 'code', source }, { cell_type: 'code', source: MODEL }]));
    expect(r.cells).toEqual([MODEL]);
    expect(r.problems.map((p) => p.severity)).toEqual(['warning', 'warning']);
    expect(r.problems[0].message).toMatch(/cell 1 is not an object/);
    expect(r.problems[1].message).toMatch(/cell 2: its source is neither text nor a list of text lines/);
  });

  it('a notebook with a BOM analyses like one without', () => {
    const plain = analyze({ text: '', file: 'a.ipynb', cells: readNotebook(nb([{ cell_type: 'code', source: MODEL }])).cells });
    const bom = analyze({ text: '', file: 'b.ipynb', cells: readNotebook(`\ufeff${nb([{ cell_type: 'code', source: MODEL }])}`).cells });
    expect(plain.model.params).toBe(650);
    expect(bom.model.params).toBe(650);
    expect(bom.problems.filter((p) => p.code === 'syntax')).toEqual([]);
  });

  it('analyze() ignores a BOM at the very start of a script (no spurious syntax error)', () => {
    const a = analyze({ text: `\ufeff${MODEL}`, file: 'bom.py' });
    expect(a.model.params).toBe(650);
    expect(a.problems.filter((p) => p.code === 'syntax')).toEqual([]);
  });
});
