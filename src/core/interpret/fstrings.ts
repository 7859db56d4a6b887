/**
 * f-strings: the text Python would build when every replacement is a value FlopLens knows (a name, an attribute of a
 * config, a number), so paths and names built with them (`f"hf://datasets/{owner}/{name}/train.parquet"`) keep their
 * value; else unknown, as before.
 */
import type { Expr } from '../parse/ast';
import type { Value } from './values';
import { unknown } from './values';

/** Python's `str()` of a scalar, or undefined when `v` is not one (shared by f-strings, `%` formatting and `str()`). */
export function pyStr(v: Value): string | undefined {
  if (typeof v === 'string') return v;
  if (typeof v === 'boolean') return v ? 'True' : 'False';
  if (v === null) return 'None';
  if (typeof v === 'number') {
    if (!Number.isFinite(v)) return Number.isNaN(v) ? 'nan' : v > 0 ? 'inf' : '-inf';
    return Number.isInteger(v) && Math.abs(v) < 1e16 ? String(v) : String(v).replace(/e\+?(\d)$/, 'e+0$1').replace(/e-(\d)$/, 'e-0$1');
  }
  return undefined;
}

/** The f-string's value from its parts, evaluating each replacement with `evalExpr`. */
export function fstringValue(parts: (string | Expr)[] | undefined, evalExpr: (e: Expr) => Value): Value {
  if (!parts) return unknown('f-string');
  let out = '';
  for (const p of parts) {
    if (typeof p === 'string') { out += p; continue; }
    const s = pyStr(evalExpr(p));
    if (s === undefined) return unknown('f-string');
    out += s;
  }
  return out;
}
