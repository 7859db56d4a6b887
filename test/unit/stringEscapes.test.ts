/**
 * String and bytes literals decoded per Python's rules (issue 14: evaluator details that silently lose values):
 * `text.split('\n')`, `len('a\tb')`, `'\n'.join(…)` see the characters Python sees; raw literals keep backslashes.
 */
import { describe, expect, it } from 'vitest';
import { check } from './snippetCheck';
import { decodeEscapes, stringLiteralValue } from '../../src/core/parse/stringLiterals';

describe('string literal escapes', () => {
  it('single-character escapes are one character each', () => {
    check(String.raw`
a = len('a\tb')
b = len("x\ny\rz")
c = len('\\')
d = len('it\'s')
e = len('\a\b\f\v')
`, 'a = 3\nb = 5\nc = 1\nd = 4\ne = 4');
  });

  it('split and join on an escaped newline see real newlines', () => {
    check(String.raw`
text = 'first line\nsecond line\nthird'
lines = text.split('\n')
n = len(lines)
words = len(' '.join(lines).split())
joined = len('\n'.join(['ab', 'cd']))
`, 'n = 3\nwords = 5\njoined = 5');
  });

  it('hex, octal, \\u, \\U and \\N{…} escapes are one character each', () => {
    check(String.raw`
a = '\x41\u00e9\101'
b = len('\0\7\U000000e9')
c = len('\N{BULLET} x')
`, 'a = "AéA"\nb = 3\nc = 3');
  });

  it('raw literals keep their backslashes', () => {
    check(String.raw`
a = len(r'a\nb')
b = len(R"\t")
c = len(rb'\x41')
`, 'a = 4\nb = 2\nc = 4');
  });

  it('bytes literals decode \\x and \\n but not \\u', () => {
    check(String.raw`
a = len(b'a\nb')
b = len(b'\x00\xff')
c = len(b'\u00e9')
`, 'a = 3\nb = 2\nc = 6');
  });

  it('triple-quoted, implicitly concatenated and backslash-newline literals', () => {
    check(String.raw`
a = len("""x\ty""")
b = len('a' 'b\t' r'\t')
c = len('ab\
cd')
`, 'a = 3\nb = 5\nc = 4');
  });

  it('f-string literal parts decode escapes unless raw', () => {
    check(String.raw`
n = 7
a = f'{n}\t{n}'
b = len(rf'\t{n}')
`, 'a = "7\\t7"\nb = 3');
  });

  it('unknown and malformed escapes keep their backslash, as Python does', () => {
    expect(decodeEscapes(String.raw`\q`)).toBe('\\q');
    expect(decodeEscapes(String.raw`\x4`)).toBe('\\x4');
    expect(decodeEscapes(String.raw`\u12`)).toBe('\\u12');
    expect(decodeEscapes('ends with \\')).toBe('ends with \\');
    expect(stringLiteralValue(String.raw`'\U00110000'`)).toBe('\\U00110000');
    expect(stringLiteralValue(`'unterminated`)).toBe('unterminated');
  });
});
