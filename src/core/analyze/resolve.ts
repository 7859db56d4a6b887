/**
 * The one rule for every run quantity: a directive (or setting override) wins, else a value derived from
 * other directives, else the traced value, else the catalog, else the setting / documented default. Each
 * resolved value carries its provenance for the Assumptions list, and every directive that decides a value
 * is marked applied (the rest are named in a problem at the end: see unapplied.ts).
 */
import type { Assumption, Loc, Problem, Provenance } from '../types';
import type { AnalyzeInput, AnalyzeSettings } from '../api';
import type { DirectiveKey, DirectiveValueOf, Directives } from '../directiveKeys';

/** The directives of one analysis and which of them decided something. */
export class DirectiveUse {
  readonly applied = new Set<DirectiveKey>();
  constructor(readonly all: Directives) {}

  /** The entry of `key`, marked applied (the caller uses its value). */
  take<K extends DirectiveKey>(key: K): Directives[K] {
    const e = this.all[key];
    if (e) this.applied.add(key);
    return e;
  }

  /** The same directives for the interpreter: reading a present key marks it applied (every reader uses what it reads). */
  watched(): Directives {
    const view = {};
    for (const key of Object.keys(this.all) as DirectiveKey[]) {
      Object.defineProperty(view, key, { enumerable: true, get: () => this.take(key) });
    }
    return view;
  }
}

/** What every stage shares: the input, the settings, the problems and assumptions found so far, the directives. */
export interface Ctx {
  input: AnalyzeInput;
  settings: AnalyzeSettings;
  problems: Problem[];
  assumptions: Assumption[];
  directives: DirectiveUse;
}

/** One possible value of a quantity with its provenance; `ok` vets it (and reports why not) before it may win. */
export interface Candidate<T> {
  value: T | undefined;
  source: Provenance;
  note?: string;
  loc?: Loc;
  /** A directive key other than the resolved one whose value this candidate is derived from. */
  key?: DirectiveKey;
  ok?: (v: T) => boolean;
}

export interface Resolved<T> {
  value: T;
  source: Provenance;
  note?: string;
  loc?: Loc;
}

export interface Tiers<K extends DirectiveKey, T> {
  /** The directive's value as this quantity (default: the value itself); undefined when it does not give one. */
  fromDirective?: (v: DirectiveValueOf<K>) => T | undefined;
  /** Note of a directive that wins (default: `note`). */
  directiveNote?: string;
  /** Note and location of the quantity whatever decides it, unless the candidate has its own. */
  note?: string;
  loc?: Loc;
  derived?: Candidate<T>[];
  traced?: Candidate<T>[];
  catalog?: Candidate<T>[];
  fallback?: Candidate<T>;
}

/** The value of `key` by the one rule, or undefined when no tier gives one. */
export function resolve<K extends DirectiveKey, T = DirectiveValueOf<K>>(use: DirectiveUse, key: K, tiers: Tiers<K, T>): Resolved<T> | undefined {
  const entry = use.all[key];
  if (entry) {
    const value = tiers.fromDirective ? tiers.fromDirective(entry.value as DirectiveValueOf<K>) : (entry.value as T);
    if (value !== undefined) {
      use.applied.add(key);
      return withDefaults({ value, source: entry.source, note: tiers.directiveNote }, tiers);
    }
  }
  const ordered = [...(tiers.derived ?? []), ...(tiers.traced ?? []), ...(tiers.catalog ?? []), ...(tiers.fallback ? [tiers.fallback] : [])];
  for (const c of ordered) {
    if (c.value === undefined || (c.ok && !c.ok(c.value))) continue;
    if (c.key) use.applied.add(c.key);
    return withDefaults({ value: c.value, source: c.source, note: c.note, loc: c.loc }, tiers);
  }
  return undefined;
}

function withDefaults<T>(r: Resolved<T>, tiers: { note?: string; loc?: Loc }): Resolved<T> {
  const out: Resolved<T> = { value: r.value, source: r.source };
  const note = r.note ?? tiers.note;
  const loc = r.loc ?? tiers.loc;
  if (note) out.note = note;
  if (loc) out.loc = loc;
  return out;
}

/** Lists a resolved value in the Assumptions. */
export function assume(ctx: Ctx, name: string, r: Resolved<number | string | boolean>, unit?: string): void {
  const a: Assumption = { name, value: r.value, source: r.source };
  if (r.note) a.note = r.note;
  if (r.loc) a.loc = r.loc;
  if (unit) a.unit = unit;
  ctx.assumptions.push(a);
}
