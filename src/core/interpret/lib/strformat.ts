/**
 * printf-style string formatting (`"../../data/%s" % opt.dataset_name`, `"%s/%d" % (a, n)`): the path or name a script
 * builds from known values is known, so a dataset folder named through it is found. Conversions s, r, d, i, u, f, F,
 * e, g, x, X, o, c and `%%`, with flags, width and precision; a value that is not known (or a mapping key `%(k)s`) leaves
 * the whole string unknown, as before.
 */
import { isKind, isNum, isSeq, unknown } from '../values';
import type { Value } from '../values';
import type { Route } from './dispatch';
import { pyStr } from '../fstrings';

const SPEC = /%([-+ 0#]*)(\d+)?(?:\.(\d+))?([sridufFeEgGxXoc%])/g;

function convert(v: Value, conv: string, flags: string, prec: number | undefined): string | undefined {
  if (conv === 's') return pyStr(v);
  if (conv === 'r') return typeof v === 'string' ? `'${v}'` : pyStr(v);
  const n = typeof v === 'boolean' ? Number(v) : v;
  if (!isNum(n)) return undefined;
  const sign = (s: string) => (n >= 0 && flags.includes('+') ? `+${s}` : n >= 0 && flags.includes(' ') ? ` ${s}` : s);
  switch (conv) {
    case 'd': case 'i': case 'u': return sign(String(Math.trunc(n)));
    case 'f': case 'F': return sign(n.toFixed(prec ?? 6));
    case 'e': case 'E': { const s = n.toExponential(prec ?? 6).replace(/e([+-])(\d)$/, 'e$10$2'); return sign(conv === 'E' ? s.toUpperCase() : s); }
    case 'g': case 'G': { const s = String(Number(n.toPrecision(prec || 6))); return sign(conv === 'G' ? s.toUpperCase() : s); }
    case 'x': return Math.trunc(n).toString(16);
    case 'X': return Math.trunc(n).toString(16).toUpperCase();
    case 'o': return Math.trunc(n).toString(8);
    case 'c': return String.fromCharCode(n);
    default: return undefined;
  }
}

/** `fmt % args`, or undefined when a conversion or a value is not known. */
export function percentFormat(fmt: string, args: Value): string | undefined {
  if (isKind(args, 'dict')) return undefined;
  const vals = isSeq(args) && args.kind === 'tuple' ? args.items : [args];
  let i = 0;
  let ok = true;
  const out = fmt.replace(SPEC, (_m, flags: string, width: string | undefined, prec: string | undefined, conv: string) => {
    if (conv === '%') return '%';
    if (i >= vals.length) { ok = false; return ''; }
    const s = convert(vals[i++], conv, flags, prec === undefined ? undefined : Number(prec));
    if (s === undefined) { ok = false; return ''; }
    const w = width ? Number(width) : 0;
    if (s.length >= w) return s;
    if (flags.includes('-')) return s.padEnd(w);
    return flags.includes('0') && conv !== 's' && conv !== 'r' ? (/^[+-]/.test(s) ? s[0] + s.slice(1).padStart(w - 1, '0') : s.padStart(w, '0')) : s.padStart(w);
  });
  return ok && i === vals.length && !/%\(/.test(fmt) ? out : undefined;
}

export const ROUTES: Route[] = [
  {
    exact: ['str.__mod__'],
    handler: (_lib, { pos }) => (typeof pos[0] === 'string' ? percentFormat(pos[0], pos[1] ?? null) ?? unknown('formatted string') : unknown('formatted string')),
  },
];
