/**
 * Config files the host read for the script (AnalyzeInput.files; which ones: src/core/configFiles.ts):
 * `yaml.safe_load(open(path))` / `json.load(f)` / `OmegaConf.load(path)` / `f.read()` give the file's values, and
 * `@hydra.main(config_path, config_name)` (or `initialize` + `compose`) calls the function with the composed config
 * as an OmegaConf-like namespace. Each file used is stated (info 'config-file'); a file named but not given, or not
 * parseable, is said and its values are unknown (the script's own defaults still apply).
 */
import type { Loc } from '../../types';
import { applyKeyValueOverrides, commandLine } from './argvReaders';
import type { ConfigFileSource } from '../../api';
import { composeHydra, configFileKey } from '../../configFiles';
import { parseConfigText } from '../configText';
import { UNKNOWN, isKind, isSeq, unknown } from '../values';
import type { DictValue, Value, ObjValue } from '../values';
import { NOT_MINE } from './dispatch';
import type { MethodTable, Route } from './dispatch';
import type { Library } from './library';
import { plainToValue } from './config';

const given = (lib: Library, key: string): ConfigFileSource | undefined => lib.cx.opts.files?.find((f) => f.name === key);

/** The path of a file object (`open(p)`) or a path string, as a config key; undefined when not a known config path. */
function keyOf(v: Value | undefined): string | undefined {
  const p = isKind(v, 'obj') && v.type === 'file' ? v.attrs.get('path') : v;
  return typeof p === 'string' ? configFileKey(p) : undefined;
}

function used(lib: Library, via: string, f: ConfigFileSource, loc?: Loc): void {
  lib.cx.problem('info', 'config-file', `${via}: the values come from the workspace file ${f.path}.`, loc);
}

/** What an unread file gives: a mapping of unknown entries whose `.get(k, default)` is the script's default (lib/builtins.ts). */
const unreadData = (lib: Library, via: string, loc?: Loc): Value => lib.obj('filedata', [['source', via]], loc);

function missing(lib: Library, via: string, key: string, loc?: Loc): Value {
  lib.cx.problem('info', 'config-file', `${via}: the config file '${key}' was not found beside the script or at the workspace root (or is over the size limit for a config file), so its values are unknown; the script's own defaults still apply.`, loc);
  return unreadData(lib, via, loc);
}

/** A config file's values as evaluator values (dicts, or namespaces for OmegaConf); said when missing or malformed. */
function loadConfig(lib: Library, via: string, key: string, asNamespace: boolean, loc?: Loc): Value {
  const f = given(lib, key);
  if (!f) return missing(lib, via, key, loc);
  const v = parseConfigText(key, f.text);
  if (v === undefined) {
    lib.cx.problem('warning', 'config-file', `${via}: ${f.path} could not be read as ${/\.json$/i.test(key) ? 'JSON' : 'YAML'}; its values are unknown.`, loc);
    return unreadData(lib, via, loc);
  }
  used(lib, via, f, loc);
  return plainToValue(v, asNamespace ? () => lib.obj('namespace', [], loc) : undefined);
}

/** `f.read()` of a config file the host read: its text (then `json.loads`/`yaml.safe_load` parse it). */
export function configFileText(lib: Library, file: ObjValue, loc?: Loc): string | undefined {
  const key = keyOf(file);
  const f = key ? given(lib, key) : undefined;
  if (!f || !lib.cx.grow(f.text.length, `reading ${f.path}`, loc, true)) return undefined;
  used(lib, `open('${key}').read()`, f, loc);
  return f.text;
}

/** Hydra's `config_path` of `initialize(...)`, for a later `compose(...)`. */
const hydraDirs = new WeakMap<Library, string>();

function hydraConfig(lib: Library, dir: Value | undefined, name: Value | undefined, via: string, loc?: Loc): Value {
  if (typeof name !== 'string') {
    lib.cx.problem('info', 'config-file', `${via}: the config name is not known statically; the config's values are unknown.`, loc);
    return unknown('Hydra config');
  }
  const d = typeof dir === 'string' ? dir.replace(/\/+$/, '') : '';
  const c = composeHydra(d, name, (key) => given(lib, key)?.text);
  const paths = c.used.map((k) => given(lib, k)?.path ?? k);
  if (paths.length) lib.cx.problem('info', 'config-file', `${via}: the config is composed from the workspace files ${paths.join(', ')}${c.missing.length ? `; not found: ${c.missing.join(', ')} (their values are unknown)` : ''}.`, loc);
  if (c.malformed.length) lib.cx.problem('warning', 'config-file', `${via}: ${c.malformed.join(', ')} could not be read as YAML; their values are unknown.`, loc);
  if (!c.value) return c.malformed.length ? unknown('Hydra config') : missing(lib, via, c.asked[0] ?? name, loc);
  const cfg = plainToValue(c.value, () => lib.obj('namespace', [], loc));
  const set = applyKeyValueOverrides(lib.cx, cfg, commandLine(lib.cx), () => lib.obj('namespace', [], loc)); // `args="trainer.max_epochs=3"`
  if (set.length) lib.cx.problem('info', 'cli-args', `${via}: the command line's overrides ${set.join(' ')} applied to the composed config.`, loc);
  return cfg;
}

/** A namespace or dict made plain again (`OmegaConf.to_container(cfg)`): namespaces become dicts. */
function toContainer(v: Value, depth = 0): Value {
  if (depth > 32) return v;
  if (isKind(v, 'obj') && v.type === 'namespace') return { kind: 'dict', map: new Map([...v.attrs].map(([k, x]) => [k, toContainer(x, depth + 1)])) };
  if (isKind(v, 'dict')) return { kind: 'dict', map: new Map([...v.map].map(([k, x]) => [k, toContainer(x, depth + 1)])) };
  if (isSeq(v)) return { ...v, items: v.items.map((x) => toContainer(x, depth + 1)) };
  return v;
}

const entriesOf = (v: Value | undefined): Map<string, Value> | undefined =>
  isKind(v, 'obj') && v.type === 'namespace' ? v.attrs : isKind(v, 'dict') ? new Map([...v.map].map(([k, x]) => [String(k), x])) : undefined;

/** What a `_target_` path names: a local module's attribute when the host gave the module, else a library path. */
function targetValue(lib: Library, target: string, loc?: Loc): Value {
  const parts = target.split('.');
  for (let i = parts.length - 1; i >= 1; i--) {
    const scope = lib.cx.importLocal(parts.slice(0, i).join('.'), loc);
    if (!scope) continue;
    let v: Value | undefined = scope.get(parts[i]);
    for (const k of parts.slice(i + 1)) v = v === undefined ? undefined : lib.getAttr(v, k, loc);
    if (v !== undefined) return v;
  }
  return { kind: 'ext', path: target };
}

/**
 * `hydra.utils.instantiate(cfg.model, **kw)` (and torchtune's `config.instantiate` with `_component_`): the object the
 * node's `_target_` names, called with the node's other keys (nested targets instantiated first) and the call's own
 * arguments, which win; `_partial_: true` gives a partial. A node without a target is given back as it is.
 */
function instantiate(lib: Library, pos: Value[], kw: Map<string, Value>, loc: Loc | undefined, depth = 0): Value {
  const node = pos[0] ?? kw.get('config');
  const entries = entriesOf(node);
  const target = entries?.get('_target_') ?? entries?.get('_component_');
  if (!entries || depth > 16) return node ?? UNKNOWN;
  if (typeof target !== 'string') return isKind(target, 'unknown') ? unknown('instantiate() of an unknown target') : node ?? UNKNOWN;
  const args = new Map<string, Value>();
  for (const [k, v] of entries) {
    if (k.startsWith('_')) continue;
    args.set(k, entriesOf(v)?.has('_target_') || entriesOf(v)?.has('_component_') ? instantiate(lib, [v], new Map(), loc, depth + 1) : v);
  }
  for (const [k, v] of kw) if (k !== 'config' && !k.startsWith('_')) args.set(k, v);
  const extra = entries.get('_args_');
  const positional = [...pos.slice(1), ...(isSeq(extra) ? extra.items : [])];
  const fn = targetValue(lib, target, loc);
  if (entries.get('_partial_') === true || kw.get('_partial_') === true) {
    return { kind: 'builtin', name: `partial(${target})`, fn: (a, k) => lib.cx.call(fn, [...positional, ...a], new Map([...args, ...k]), loc) };
  }
  return lib.cx.call(fn, positional, args, loc);
}

/** A namespace's attributes as a dict that is the same mapping (`vars(args)`, `args.__dict__`): updating one updates both. */
export function namespaceDict(ns: ObjValue): Value {
  return { kind: 'dict', map: ns.attrs as unknown as DictValue['map'] };
}

export const NAMESPACE_METHODS = new Set(['get', 'keys', 'items', 'values', 'pop', 'setdefault']);

/** A config namespace (OmegaConf DictConfig, argparse Namespace) read like a mapping: `cfg.get(k, default)`, keys/items/values. */
export const METHODS: MethodTable = {
  namespace: (lib, self, name, pos, kw, loc) => {
    if (NAMESPACE_METHODS.has(name)) {
      if (name === 'get' && typeof pos[0] === 'string' && !self.attrs.has(pos[0])) return pos[1] ?? kw.get('default_value') ?? kw.get('default') ?? null;
      return lib.callMethod(namespaceDict(self), name, pos, kw, loc);
    }
    return NOT_MINE;
  },
};

export const ROUTES: Route[] = [
  {
    exact: ['hydra.utils.instantiate', 'hydra.utils.call', 'torchtune.config.instantiate', 'torchtune.config._instantiate.instantiate'],
    handler: (lib, { pos, kw, loc }) => instantiate(lib, pos, kw, loc),
  },
  {
    exact: ['json.load', 'yaml.safe_load', 'yaml.load', 'yaml.full_load', 'yaml.unsafe_load'],
    handler: (lib, { path: p, pos, kw, loc }) => {
      const src = pos[0] ?? kw.get('stream') ?? kw.get('fp');
      if (!(isKind(src, 'obj') && src.type === 'file')) return NOT_MINE; // text: lib/config.ts; unknown: the stdlib's
      const key = keyOf(src);
      return key ? loadConfig(lib, `${p}(open('${key}'))`, key, false, loc) : NOT_MINE;
    },
  },
  {
    exact: ['omegaconf.OmegaConf.load'],
    handler: (lib, { pos, kw, loc }) => {
      const key = keyOf(pos[0] ?? kw.get('file_'));
      return key ? loadConfig(lib, `OmegaConf.load('${key}')`, key, true, loc) : unknown('OmegaConf.load() of an unknown path');
    },
  },
  { exact: ['omegaconf.OmegaConf.to_container', 'omegaconf.OmegaConf.to_object'], handler: (_lib, { pos }) => toContainer(pos[0] ?? UNKNOWN) },
  {
    exact: ['hydra.main'],
    handler: (lib, { pos, kw, loc }) => ({
      kind: 'builtin', name: '@decorator',
      fn: (a) => {
        const fn = a[0] ?? UNKNOWN;
        if (!isKind(fn, 'func')) return fn;
        const via = `@hydra.main(config_name=${JSON.stringify(kw.get('config_name') ?? pos[1] ?? null)})`;
        // The decorated function takes no arguments from its caller: Hydra passes the composed config.
        return { kind: 'builtin', name: fn.name, fn: () => lib.cx.callFunction(fn, [hydraConfig(lib, kw.get('config_path') ?? pos[0], kw.get('config_name') ?? pos[1], via, loc)], new Map(), loc) };
      },
    }),
  },
  {
    exact: ['hydra.initialize', 'hydra.initialize_config_module', 'hydra.experimental.initialize'],
    handler: (lib, { pos, kw }) => {
      const dir = kw.get('config_path') ?? pos[0];
      if (typeof dir === 'string') hydraDirs.set(lib, dir);
      return lib.obj('namespace', [['__enter__', { kind: 'builtin', name: '__enter__', fn: () => null }], ['__exit__', { kind: 'builtin', name: '__exit__', fn: () => null }]]);
    },
  },
  {
    exact: ['hydra.compose', 'hydra.experimental.compose'],
    handler: (lib, { pos, kw, loc }) => hydraConfig(lib, hydraDirs.get(lib), kw.get('config_name') ?? pos[0], `hydra.compose(config_name=${JSON.stringify(kw.get('config_name') ?? pos[0] ?? null)})`, loc),
  },
];

