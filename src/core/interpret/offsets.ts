/**
 * Known offsets between values that are themselves unknown: `y1 = np.random.randint(0, n - k)`, `y2 = y1 + k` leaves
 * y1 unknown but y2 exactly k above it, so `img[:, y1:y2]` is k wide. An unknown scalar (an unknown value, or a 0-d
 * tensor such as a random draw) plus or minus a known number is remembered as (base, offset); a slice whose bounds
 * share a base has the difference of their offsets as its width. The textual `i:i + k` form is kept for bounds that
 * are not values (a name the evaluator cannot see).
 */
import type { Expr } from '../parse/ast';
import type { SourceFile, Value } from './values';
import { isNum, isTensorV, isUnknown, UNKNOWN } from './values';

interface Offset { base: object; offset: number }
const OFFSETS = new WeakMap<object, Offset>();

/** An unknown scalar the table can follow: a fresh unknown (never the shared UNKNOWN) or a 0-d tensor. */
function scalarObject(v: Value): object | undefined {
  if (isUnknown(v) && v !== UNKNOWN) return v;
  if (isTensorV(v) && v.shape.length === 0) return v;
  return undefined;
}

function offsetOf(v: Value): Offset | undefined {
  const o = scalarObject(v);
  return o ? OFFSETS.get(o) ?? { base: o, offset: 0 } : undefined;
}

/**
 * A name bound to the shared UNKNOWN gets an unknown of its own, so that offsets from it (`end = start + k`) are not
 * confused with offsets from another unknown name (`data[other:end]` stays of unknown width).
 */
export const ownUnknown = (v: Value): Value => (v === UNKNOWN ? { kind: 'unknown' } : v);

/**
 * The result of `a op b` with the offset it keeps from an unknown operand: `u + k`, `k + u`, `u - k` where u is an
 * unknown scalar and k a known number. A shared UNKNOWN result is replaced by a fresh unknown so it can carry it.
 */
export function withOffset(op: string, a: Value, b: Value, result: Value): Value {
  if (op !== '+' && op !== '-') return result;
  const [u, k, sign] = isNum(b) ? [a, b, op === '+' ? 1 : -1] : isNum(a) && op === '+' ? [b, a, 1] : [undefined, 0, 0];
  const from = u === undefined ? undefined : offsetOf(u);
  if (!from) return result;
  const out = result === UNKNOWN ? ownUnknown(result) : result;
  const holder = scalarObject(out);
  if (holder && holder !== from.base) OFFSETS.set(holder, { base: from.base, offset: from.offset + sign * k });
  return out;
}

/** `hi - lo` when both are numbers or share an unknown base (`right = left + 96`): a crop box's width. */
export function knownDifference(lo: Value, hi: Value): number | undefined {
  if (isNum(lo) && isNum(hi)) return hi - lo;
  const l = offsetOf(lo), h = offsetOf(hi);
  return l && h && l.base === h.base ? h.offset - l.offset : undefined;
}

/** `a[lo:hi]` with bounds that are not numbers: the width their known offsets (or the source text) state. */
export function unknownSliceWidth(lo: Value, hi: Value, e: Extract<Expr, { t: 'slice' }>, file: SourceFile, value: (x: Expr) => Value): number | undefined {
  const l = offsetOf(lo), h = offsetOf(hi);
  if (l && h && l.base === h.base) return Math.max(0, h.offset - l.offset);
  // `i:i + k` (and `i + 1:i + 1 + k`) where `i` is not an unknown scalar value: the source text says the width.
  if (!e.lo || e.hi?.t !== 'bin' || e.hi.op !== '+') return undefined;
  const text = (x: Expr) => file.text.slice(x.from, x.to).replace(/\s+/g, '');
  if (text(e.hi.l) !== text(e.lo)) return undefined;
  const k = value(e.hi.r);
  return isNum(k) && k >= 0 ? k : undefined;
}
