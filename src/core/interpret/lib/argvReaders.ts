/**
 * The script's command line (`# floplens: args="…"`, `--set args=…`, the `floplens.overrides.args` setting) for the
 * config readers that are not argparse (commandLine.ts): HfArgumentParser's dataclass fields, tyro, fire/typer/
 * jsonargparse entry functions (`--name value`, `--name=value`, positionals in order), and the `key=value` overrides of
 * OmegaConf's `from_cli()` and Hydra's composed config (`a.b=1`, `+a.b=1`, `~a.b`). A value is typed like the default
 * it replaces (an int field stays an int), else as jsonargparse types an untyped word.
 */
import { commandLineWords } from '../../configFiles';
import { isKind, isNum, isSeq, list, unknown } from '../values';
import type { FuncValue, ObjValue, Value } from '../values';
import type { Route } from './dispatch';
import type { EvalContext } from '../context';
import type { Loc } from '../../types';
import type { Library } from './library';

/** The command line given to the analysis, as words; empty when none is given. */
export function commandLine(cx: EvalContext): string[] {
  const line = cx.directives.args?.value;
  return typeof line === 'string' ? commandLineWords(line) : [];
}

/** A command-line word as jsonargparse types it for an untyped parameter: numbers, booleans, None, else text. */
export function typedWord(word: string): Value {
  if (/^(true|false)$/i.test(word)) return word.toLowerCase() === 'true';
  if (/^(none|null)$/i.test(word)) return null;
  const n = Number(word);
  return word.trim() !== '' && Number.isFinite(n) ? n : word;
}

/** `word` typed like `like`, the value it replaces: a number field takes a number, a bool field a boolean. */
export function typedLike(word: string, like: Value | undefined): Value {
  const t = typedWord(word);
  if (typeof like === 'boolean') return typeof t === 'boolean' ? t : /^(yes|1)$/i.test(word);
  if (typeof like === 'string') return word;
  if (isNum(like)) return isNum(t) ? t : word;
  return t;
}

/** `--name value` / `--name=value` options (dashes in names read as underscores; a bare flag is 'true') and positional words. */
export function commandLineOptions(words: readonly string[]): { options: Map<string, string>; positional: string[] } {
  const options = new Map<string, string>();
  const positional: string[] = [];
  for (let i = 0; i < words.length; i++) {
    const w = words[i];
    const opt = /^--([A-Za-z_][\w-]*)(?:=(.*))?$/s.exec(w);
    if (!opt) { if (!/^[+~]*[A-Za-z_][\w.]*=/.test(w)) positional.push(w); continue; }
    const value = opt[2] ?? (i + 1 < words.length && !words[i + 1].startsWith('--') ? words[++i] : 'true');
    options.set(opt[1].replace(/-/g, '_'), value);
  }
  return { options, positional };
}

/** `key=value` overrides (Hydra and OmegaConf style: `a.b=1`, `+a.b=1`, `++a.b=1`, `~a.b`), in order. */
export function keyValueOverrides(words: readonly string[]): { path: string[]; value?: string; remove: boolean }[] {
  const out: { path: string[]; value?: string; remove: boolean }[] = [];
  for (const w of words) {
    const m = /^(\+{0,2}|~)([A-Za-z_][\w.]*)(?:=(.*))?$/s.exec(w);
    if (!m || w.startsWith('-') || (m[3] === undefined && m[1] !== '~')) continue;
    out.push({ path: m[2].split('.'), value: m[3], remove: m[1] === '~' });
  }
  return out;
}

/**
 * The command line's values for the fields of a dataclass instance (HfArgumentParser, tyro): `--field value` replaces
 * the field's default, typed like it. Returns the names set.
 */
export function applyOptionsToFields(cx: EvalContext, made: Value, words: readonly string[]): string[] {
  if (!words.length || !(isKind(made, 'inst') || isKind(made, 'obj'))) return [];
  const { options } = commandLineOptions(words);
  const set: string[] = [];
  for (const [k, v] of made.attrs) {
    const given = options.get(k);
    if (given === undefined) continue;
    made.attrs.set(k, cx.overrideScalar(k, typedLike(given, v)));
    set.push(k);
  }
  return set;
}

/**
 * Keyword arguments the command line gives an entry function (fire.Fire, typer.run, jsonargparse CLI): options by
 * parameter name, positional words filling the parameters in order (those without a value given by name).
 */
export function entryCommandLine(fn: FuncValue, words: readonly string[]): Map<string, Value> {
  const { options, positional } = commandLineOptions(words);
  const kw = new Map<string, Value>();
  const rest = [...positional];
  fn.params.forEach((p, i) => {
    if (p.kind !== 'normal' && p.kind !== 'kwonly') return;
    if (i === 0 && fn.self !== undefined) return;
    const byName = options.get(p.name);
    const word = byName ?? (p.kind === 'normal' && rest.length ? rest.shift() : undefined);
    if (word !== undefined) kw.set(p.name, typedLike(word, fn.defaults[i]));
  });
  return kw;
}

/** A nested config (OmegaConf/Hydra namespace or dict) with the command line's `key=value` overrides applied; the keys set. */
export function applyKeyValueOverrides(cx: EvalContext, cfg: Value, words: readonly string[], make: () => Value): string[] {
  const done: string[] = [];
  for (const o of keyValueOverrides(words)) {
    let at: Value = cfg;
    for (const k of o.path.slice(0, -1)) {
      let next = get(at, k);
      if (!(isKind(next, 'obj') || isKind(next, 'dict'))) { next = make(); put(at, k, next); }
      at = next;
    }
    const last = o.path[o.path.length - 1];
    if (o.remove) { del(at, last); done.push(`~${o.path.join('.')}`); continue; }
    put(at, last, cx.overrideScalar(last, typedLike(o.value ?? '', get(at, last))));
    done.push(`${o.path.join('.')}=${o.value}`);
  }
  return done;
}

function get(v: Value, k: string): Value | undefined {
  if (isKind(v, 'obj') || isKind(v, 'inst')) return v.attrs.get(k);
  if (isKind(v, 'dict')) return v.map.get(k);
  return undefined;
}
function put(v: Value, k: string, x: Value): void {
  if (isKind(v, 'obj') || isKind(v, 'inst')) v.attrs.set(k, x);
  else if (isKind(v, 'dict')) v.map.set(k, x);
}
function del(v: Value, k: string): void {
  if (isKind(v, 'obj') || isKind(v, 'inst')) v.attrs.delete(k);
  else if (isKind(v, 'dict')) v.map.delete(k);
}

/**
 * The instances HfArgumentParser's `parse_args_into_dataclasses()` (the command line, or its `args=[…]` list),
 * `parse_dict(d)`, `parse_json_file(p)` and `parse_yaml_file(p)` (the workspace file) give for `classes`: each field of
 * the script's own dataclasses the source names takes its value, typed like its default; a library class
 * (`TrainingArguments`) is built with the values no script dataclass claims, as keywords. Said, with the names set.
 */
export function dataclassValues(lib: Library, method: string, classes: Value[], src: Value | undefined, loc?: Loc): Value[] {
  const via = `HfArgumentParser.${method}()`;
  let given: Map<string, Value>;
  let from: string;
  if (method === 'parse_args_into_dataclasses') {
    const explicit = isSeq(src) ? src.items.filter((x): x is string => typeof x === 'string') : undefined;
    given = new Map([...commandLineOptions(explicit ?? commandLine(lib.cx)).options].map(([k, w]) => [k, w as Value]));
    from = explicit ? 'the command line the script passes' : 'the command line given to FlopLens (args=)';
  } else {
    // The workspace file as `json.load(open(p))` / `yaml.safe_load(open(p))` read it (configFiles.ts states it, or its absence).
    const read = () => lib.callExternal(method === 'parse_yaml_file' ? 'yaml.safe_load' : 'json.load', [lib.callExternal('open', [src ?? null], new Map(), loc)], new Map(), loc);
    const values = method === 'parse_dict' ? src : read();
    given = new Map(isKind(values, 'dict') ? [...values.map].map(([k, v]) => [String(k), v]) : []);
    from = method === 'parse_dict' ? 'the dict it is given' : 'the file it reads';
  }
  const words = method === 'parse_args_into_dataclasses';
  const set: string[] = [];
  const take = (k: string, like: Value | undefined): Value => { set.push(k); const v = given.get(k)!; return typeof v === 'string' && words ? typedLike(v, like) : v; };
  const made: (Value | undefined)[] = classes.map((c) => {
    if (!isKind(c, 'class')) return undefined;
    const inst = lib.cx.call(c, [], new Map(), loc);
    if (isKind(inst, 'inst')) for (const [k, v] of inst.attrs) if (given.has(k)) inst.attrs.set(k, lib.cx.overrideScalar(k, take(k, v)));
    return inst;
  });
  const rest = [...given.keys()].filter((k) => !set.includes(k));
  // The fields of a library base (`class TrainingArguments(transformers.TrainingArguments)`) or of a library class itself.
  const out = classes.map((c, i) => {
    const inst = made[i];
    if (inst === undefined) return lib.cx.call(c, [], new Map(rest.map((k) => [k, take(k, undefined)])), loc);
    if (isKind(c, 'class') && isKind(inst, 'inst') && c.bases.some((b) => isKind(b, 'ext'))) for (const k of rest) if (!set.includes(k)) inst.attrs.set(k, lib.cx.overrideScalar(k, take(k, undefined)));
    return inst;
  });
  if (set.length) lib.cx.problem('info', 'cli-args', `${via}: ${set.join(', ')} from ${from}; the other fields keep their defaults.`, loc);
  return out;
}

/**
 * `sys.argv` when a command line is given: the script (its path unknown) then the words, so that
 * `if len(sys.argv) == 2 and sys.argv[1].endswith('.json')` takes the branch the command would. Undefined without one
 * (sys.argv stays the library reference it was).
 */
export function sysArgv(cx: EvalContext, path: string): Value | undefined {
  if (path !== 'sys.argv') return undefined;
  const words = commandLine(cx);
  return words.length ? list([unknown('the script path (sys.argv[0])'), ...words]) : undefined;
}

/** A deep merge of configs (OmegaConf.merge): later ones win key by key; a new namespace, the inputs unchanged. */
function merged(lib: Library, parts: Value[], loc?: Loc): Value {
  const out = lib.obj('namespace', [], loc);
  const into = (dst: ObjValue, src: Value, depth: number): void => {
    const entries = isKind(src, 'dict') ? [...src.map].map(([k, v]) => [String(k), v] as const) : isKind(src, 'obj') || isKind(src, 'inst') ? [...src.attrs] : [];
    for (const [k, v] of entries) {
      const cur = dst.attrs.get(k);
      if (depth < 16 && (isKind(v, 'dict') || (isKind(v, 'obj') && v.type === 'namespace'))) {
        const sub = isKind(cur, 'obj') && cur.type === 'namespace' ? cur : lib.obj('namespace', [], loc);
        if (sub !== cur) into(sub, cur ?? null, depth + 1);
        into(sub, v, depth + 1);
        dst.attrs.set(k, sub);
      } else dst.attrs.set(k, v);
    }
  };
  for (const p of parts) into(out, p, 0);
  return out;
}

export const ROUTES: Route[] = [
  // OmegaConf.from_cli(): the command line's key=value pairs as a config (empty without one); merge() combines configs.
  {
    exact: ['omegaconf.OmegaConf.from_cli'],
    handler: (lib, { pos, loc }) => {
      const cfg = lib.obj('namespace', [], loc);
      const words = isSeq(pos[0]) ? pos[0].items.filter((x): x is string => typeof x === 'string') : commandLine(lib.cx);
      const set = applyKeyValueOverrides(lib.cx, cfg, words, () => lib.obj('namespace', [], loc));
      if (set.length) lib.cx.problem('info', 'cli-args', `OmegaConf.from_cli(): ${set.join(' ')} from the command line.`, loc);
      return cfg;
    },
  },
  { exact: ['omegaconf.OmegaConf.merge'], handler: (lib, { pos, loc }) => merged(lib, pos, loc) },
];
