/**
 * `check(python, expected)`: the interpreter one construct at a time (see interpret.snippets.test.ts for the
 * keys an expectation may name). Shared by every snippet-level test file.
 */
import { expect } from 'vitest';
import { Interpreter } from '../../src/core/interpret/interpreter';
import { describe as describeValue, isKind, isSeq } from '../../src/core/interpret/values';
import type { Value } from '../../src/core/interpret/values';
import { analyze } from '../../src/core/analyze';
import type { ConfigFileSource } from '../../src/core/api';

function render(v: Value | undefined): string {
  if (v === undefined) return '<unbound>';
  if (isKind(v, 'tensor')) return `tensor[${v.shape.join(', ')}]${v.dtype ? ` ${v.dtype}` : ''}`;
  if (isSeq(v)) return `${v.kind === 'list' ? '[' : '('}${v.items.map(render).join(', ')}${v.kind === 'list' ? ']' : ')'}`;
  if (isKind(v, 'dict')) return `{${[...v.map].map(([k, x]) => `${JSON.stringify(k)}: ${render(x)}`).join(', ')}}`;
  if (isKind(v, 'inst')) return v.cls.name;
  return describeValue(v);
}

export function facts(python: string, keys: string[], files?: ConfigFileSource[]): string {
  const it = new Interpreter({ modules: [], files, defaultBatch: 32, defaultSeqLen: 128, defaultDtype: 'fp32' });
  const { scope } = it.runMain(python, 'snippet.py');
  const out: string[] = [];
  for (const key of keys) {
    const params = /^params\((\w+)\)$/.exec(key);
    if (params) {
      const c = it.lib.countParams([scope.get(params[1]) ?? null]);
      out.push(`${key} = ${c.total}`);
    } else if (key === 'events') {
      out.push(`events = ${it.recorder.events.map((e) => e.kind).join(', ')}`);
    } else if (key === 'ops') {
      out.push(`ops = ${it.recorder.ops.map((o) => {
        const n = o.ctx.reduce((a, c) => a * (c.type === 'loop' ? c.frame.trips ?? 1 : 1), 1);
        return `${o.label} ${o.dtype}${o.grad ? ' grad' : ''}${n > 1 ? ` ×${n}` : ''}`;
      }).join('; ')}`);
    } else if (key === 'mode') {
      out.push(`mode = ${analyze({ text: python, file: 'snippet.py' }).run.mode}`);
    } else {
      out.push(`${key} = ${render(scope.get(key))}`);
    }
  }
  return out.join('\n');
}

/** Evaluate `python` and compare the facts named on the left of each `key = value` line of `expected`. */
export function check(python: string, expected: string, files?: ConfigFileSource[]): void {
  const want = expected.trim().split('\n').map((l) => l.trim()).filter(Boolean);
  const keys = want.map((l) => l.slice(0, l.indexOf(' = ')));
  expect(facts(python.replace(/^\n/, ''), keys, files)).toBe(want.join('\n'));
}

