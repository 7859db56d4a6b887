/**
 * How library calls are dispatched: an exact call path (`torch.no_grad`) finds its handlers in a map;
 * otherwise a short ordered list of pattern families (`^torch\.optim\.…`) is tried in turn. The first
 * handler that claims the call gives its result.
 */
import type { Loc } from '../../types';
import type { Value, ObjValue, ObjType } from '../values';
import type { Library } from './library';

/** A handler's answer for a call it does not model: dispatch goes on to the next handler. */
export const NOT_MINE: unique symbol = Symbol('not mine');
export type NotMine = typeof NOT_MINE;

/** A call of a library function, by its canonical dotted path (`torch.nn.functional.relu`). */
export interface ExtCall {
  path: string;
  /** The last part of the path (`relu`). */
  last: string;
  pos: Value[];
  kw: Map<string, Value>;
  loc?: Loc;
}

/**
 * A library handler. The return value is the whole contract:
 *  - `NOT_MINE`: not this handler's call; the next handler is tried (and in the end the op table and the zoo);
 *  - `UNKNOWN` or `unknown(why)`: the call is this handler's, but its result cannot be known statically;
 *  - `null`: the call returns Python `None`;
 *  - any other value: the call's result.
 */
export type Handler = (lib: Library, c: ExtCall) => Value | NotMine;

/** One entry of a domain's table: exact paths, or a pattern family tried in order. */
export type Route = { exact: readonly string[]; handler: Handler } | { pattern: RegExp; handler: Handler };

/** A method of a library object (`optimizer.step()`, `parser.add_argument(...)`), by the object's kind. Same contract as `Handler`. */
export type MethodHandler = (lib: Library, self: ObjValue, name: string, pos: Value[], kw: Map<string, Value>, loc?: Loc) => Value | NotMine;
/** A call of a library object itself (`transform(x)`, a Rearrange layer). */
export type ObjCallHandler = (lib: Library, self: ObjValue, pos: Value[], kw: Map<string, Value>, loc?: Loc) => Value;

export type MethodTable = Partial<Record<ObjType, MethodHandler>>;
export type ObjCallTable = Partial<Record<ObjType, ObjCallHandler>>;

/** Routes of all domains, in order: exact paths first (in the order given), then the pattern families in order. */
export class CallTable {
  private readonly exact = new Map<string, Handler[]>();
  private readonly families: { pattern: RegExp; handler: Handler }[] = [];

  constructor(routes: readonly Route[]) {
    for (const r of routes) {
      if ('exact' in r) {
        for (const p of r.exact) {
          const hs = this.exact.get(p);
          if (hs) hs.push(r.handler); else this.exact.set(p, [r.handler]);
        }
      } else this.families.push(r);
    }
  }

  dispatch(lib: Library, c: ExtCall): Value | NotMine {
    const hs = this.exact.get(c.path);
    if (hs) for (const h of hs) { const r = h(lib, c); if (r !== NOT_MINE) return r; }
    for (const f of this.families) {
      if (!f.pattern.test(c.path)) continue;
      const r = f.handler(lib, c);
      if (r !== NOT_MINE) return r;
    }
    return NOT_MINE;
  }
}
