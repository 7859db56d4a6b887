/**
 * Python's `str` methods and slices as a script's own parser uses them on text it read (a Darknet `.cfg` walked line by
 * line: `line.rstrip().lstrip()`, `line[1:-1]`, `key, value = line.split('=')`, `value.strip()`, `x.isdigit()`), with
 * Python's rules: `split()` without a separator drops the whitespace at both ends, `strip(chars)` strips those
 * characters, `split(sep, maxsplit)` keeps the rest in the last item. Undefined for a method left to the caller
 * (lib/builtins.ts strMethod: format, replace, join…) or an argument that is not known.
 */
import type { Loc } from '../../types';
import { isNum, isSeq, UNKNOWN, type SliceValue, type Value } from '../values';
import type { Library } from './library';

const WS = ' \t\n\r\x0b\x0c';

function stripChars(s: string, chars: string, left: boolean, right: boolean): string {
  let a = 0;
  let b = s.length;
  if (left) while (a < b && chars.includes(s[a])) a++;
  if (right) while (b > a && chars.includes(s[b - 1])) b--;
  return s.slice(a, b);
}

/** `s.split(sep, maxsplit)` / `s.rsplit(...)` as Python splits. */
function pySplit(s: string, sep: string | null, max: number, fromRight: boolean): string[] | undefined {
  if (sep === '') return undefined; // ValueError in Python: left unknown
  if (sep === null) {
    const words = stripChars(s, WS, true, true);
    if (!words) return [];
    if (max < 0) return words.split(/[ \t\n\r\x0b\x0c]+/);
    const out: string[] = [];
    let rest = words;
    while (out.length < max) {
      const m = fromRight ? /[ \t\n\r\x0b\x0c]+(?=[^ \t\n\r\x0b\x0c]*$)/.exec(rest) : /[ \t\n\r\x0b\x0c]+/.exec(rest);
      if (!m) break;
      if (fromRight) { out.unshift(rest.slice(m.index + m[0].length)); rest = stripChars(rest.slice(0, m.index), WS, false, true); } else { out.push(rest.slice(0, m.index)); rest = stripChars(rest.slice(m.index + m[0].length), WS, true, false); }
    }
    return fromRight ? [rest, ...out] : [...out, rest];
  }
  const parts = s.split(sep);
  if (max < 0 || parts.length - 1 <= max) return parts;
  return fromRight ? [parts.slice(0, parts.length - max).join(sep), ...parts.slice(parts.length - max)] : [...parts.slice(0, max), parts.slice(max).join(sep)];
}

const str = (v: Value | undefined): string | null | undefined => (v === undefined || v === null ? null : typeof v === 'string' ? v : undefined);
/** A prefix/suffix argument: a string or a tuple of strings. */
const affixes = (v: Value | undefined): string[] | undefined => (typeof v === 'string' ? [v] : isSeq(v) && v.items.every((x) => typeof x === 'string') ? (v.items as string[]) : undefined);

/** A `str` method with Python's rules, or undefined when it is not one of these or an argument is not known. */
export function pyStrMethod(lib: Library, self: string, name: string, pos: Value[], loc?: Loc): Value | undefined {
  switch (name) {
    case 'strip': case 'lstrip': case 'rstrip': {
      const chars = str(pos[0]);
      if (chars === undefined) return undefined;
      return stripChars(self, chars ?? WS, name !== 'rstrip', name !== 'lstrip');
    }
    case 'split': case 'rsplit': {
      const sep = str(pos[0]);
      const max = pos[1] === undefined ? -1 : isNum(pos[1]) ? pos[1] : undefined;
      if (sep === undefined || max === undefined) return undefined;
      const parts = pySplit(self, sep, max, name === 'rsplit');
      return parts ? lib.cx.seqOf('list', parts, `str.${name}()`, loc) : undefined;
    }
    case 'splitlines': return lib.cx.seqOf('list', self.split(/\r\n|\r|\n/).filter((x, i, a) => i < a.length - 1 || x !== ''), 'str.splitlines()', loc);
    case 'partition': case 'rpartition': {
      const sep = pos[0];
      if (typeof sep !== 'string' || !sep) return undefined;
      const i = name === 'partition' ? self.indexOf(sep) : self.lastIndexOf(sep);
      const items = i < 0 ? (name === 'partition' ? [self, '', ''] : ['', '', self]) : [self.slice(0, i), sep, self.slice(i + sep.length)];
      return { kind: 'tuple', items };
    }
    case 'startswith': case 'endswith': {
      const a = affixes(pos[0]);
      return a ? a.some((x) => (name === 'startswith' ? self.startsWith(x) : self.endsWith(x))) : undefined;
    }
    case 'find': case 'rfind': case 'index': case 'count': {
      if (typeof pos[0] !== 'string') return undefined;
      if (name === 'count') return pos[0] ? self.split(pos[0]).length - 1 : self.length + 1;
      const i = name === 'rfind' ? self.lastIndexOf(pos[0]) : self.indexOf(pos[0]);
      return name === 'index' && i < 0 ? UNKNOWN : i;
    }
    case 'removeprefix': return typeof pos[0] === 'string' ? (self.startsWith(pos[0]) ? self.slice(pos[0].length) : self) : undefined;
    case 'removesuffix': return typeof pos[0] === 'string' ? (pos[0] && self.endsWith(pos[0]) ? self.slice(0, -pos[0].length) : self) : undefined;
    case 'isdigit': case 'isdecimal': case 'isnumeric': return self.length > 0 && /^[0-9]+$/.test(self);
    case 'isalpha': return self.length > 0 && /^\p{L}+$/u.test(self);
    case 'isalnum': return self.length > 0 && /^[\p{L}0-9]+$/u.test(self);
    case 'isspace': return self.length > 0 && stripChars(self, WS, true, true) === '';
    case 'islower': return /\p{Ll}/u.test(self) && self === self.toLowerCase();
    case 'isupper': return /\p{Lu}/u.test(self) && self === self.toUpperCase();
    case 'casefold': return self.toLowerCase();
    case 'capitalize': return self ? self[0].toUpperCase() + self.slice(1).toLowerCase() : self;
    case 'title': return self.toLowerCase().replace(/(^|[^\p{L}])(\p{L})/gu, (_m, a: string, b: string) => a + b.toUpperCase());
    case 'zfill': {
      if (!isNum(pos[0])) return undefined;
      const sign = /^[+-]/.test(self) ? self[0] : '';
      return sign + self.slice(sign.length).padStart(pos[0] - sign.length, '0');
    }
    default: return undefined;
  }
}

/** `s[a:b:c]` of a known string with known bounds; undefined otherwise. */
export function strSlice(s: string, key: SliceValue): string | undefined {
  if (key.width !== undefined || Number.isNaN(key.lo) || Number.isNaN(key.hi)) return undefined;
  const cs = [...s];
  const n = cs.length;
  const step = key.step ?? 1;
  if (step === 0) return undefined;
  let lo = key.lo ?? (step > 0 ? 0 : n - 1), hi = key.hi ?? (step > 0 ? n : -n - 1);
  if (lo < 0) lo += n;
  if (hi < 0) hi += n;
  let out = '';
  if (step > 0) for (let i = Math.max(0, lo); i < Math.min(n, hi); i += step) out += cs[i];
  else for (let i = Math.min(n - 1, lo); i > Math.max(-1, hi); i += step) out += cs[i];
  return out;
}
