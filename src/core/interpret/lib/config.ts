/**
 * Configuration: argparse parsers and their defaults, config text read from literal strings (json.loads,
 * yaml.safe_load, OmegaConf.create; never executed), attribute namespaces and dataclass fields.
 */
import { parseJsonText, parseYamlText, type Plain } from '../configText';
import { UNKNOWN, unknown, isKind, tuple, list } from '../values';
import type { Value, ObjValue, DictValue } from '../values';
import { NOT_MINE } from './dispatch';
import type { MethodTable, Route } from './dispatch';

/** JSON/YAML data as evaluator values: mappings become dicts (or attribute namespaces for OmegaConf), lists lists. */
function plainToValue(v: Plain, namespace?: () => ObjValue): Value {
  if (Array.isArray(v)) return { kind: 'list', items: v.map((x) => plainToValue(x, namespace)) };
  if (v !== null && typeof v === 'object') {
    const entries = Object.entries(v).map(([k, x]) => [k, plainToValue(x, namespace)] as [string, Value]);
    if (namespace) { const ns = namespace(); for (const [k, x] of entries) ns.attrs.set(k, x); return ns; }
    return { kind: 'dict', map: new Map(entries) };
  }
  return v;
}

export const ROUTES: Route[] = [
  { exact: ['argparse.ArgumentParser', 'ArgumentParser'], handler: (lib, c) => lib.obj('argparser', [['args', { kind: 'dict', map: new Map() } as DictValue]], c.loc) },
  // Config text parsed from a literal string (never executed); any other argument is not this handler's.
  {
    exact: ['json.loads', 'yaml.safe_load', 'yaml.load', 'yaml.full_load', 'yaml.unsafe_load', 'omegaconf.OmegaConf.create'],
    handler: (lib, { path: p, pos, loc }) => {
      if (typeof pos[0] !== 'string') return NOT_MINE;
      const asNs = p.startsWith('omegaconf');
      const parsed = p === 'json.loads' ? parseJsonText(pos[0]) : parseYamlText(pos[0]);
      if (parsed !== undefined) return plainToValue(parsed, asNs ? () => lib.obj('namespace', [], loc) : undefined);
      lib.cx.problem('info', 'config-text', `${p}: the text could not be read as ${p === 'json.loads' ? 'JSON' : 'YAML'}; its values are unknown.`, loc);
      return unknown(p);
    },
  },
  {
    exact: ['types.SimpleNamespace', 'argparse.Namespace', 'easydict.EasyDict', 'ml_collections.ConfigDict', 'omegaconf.OmegaConf.create', 'addict.Dict', 'munch.Munch'],
    handler: (lib, { pos, kw, loc }) => {
      const ns = lib.obj('namespace', [], loc);
      const src = pos[0];
      if (isKind(src, 'dict')) for (const [k, v] of src.map) ns.attrs.set(String(k), v);
      for (const [k, v] of kw) ns.attrs.set(k, v);
      return ns;
    },
  },
  {
    exact: ['dataclasses.field', 'field'],
    handler: (lib, { kw, loc }) => lib.obj('field', [...(kw.has('default') ? [['default', kw.get('default') as Value] as [string, Value]] : []), ...(kw.has('default_factory') ? [['default_factory', kw.get('default_factory') as Value] as [string, Value]] : [])], loc),
  },
  { exact: ['collections.namedtuple'], handler: () => UNKNOWN },
];

export const METHODS: MethodTable = {
  argparser: (lib, self, name, pos, kw, loc) => {
    const args = self.attrs.get('args') as DictValue;
    if (name === 'add_argument') {
      const flag = pos.find((x) => typeof x === 'string' && x.startsWith('--')) ?? pos.find((x) => typeof x === 'string');
      const dest = typeof kw.get('dest') === 'string' ? (kw.get('dest') as string) : typeof flag === 'string' ? flag.replace(/^-+/, '').replace(/-/g, '_') : undefined;
      if (dest) {
        const action = kw.get('action');
        let def: Value = kw.has('default') ? (kw.get('default') as Value) : action === 'store_true' ? false : action === 'store_false' ? true : null;
        const ty = kw.get('type');
        if (typeof def === 'string' && isKind(ty, 'builtin') && (ty.name === 'int' || ty.name === 'float')) def = Number(def);
        def = lib.cx.overrideScalar(dest, def);
        args.map.set(dest, def);
        lib.argparseDefaults.set(dest, { value: def, loc });
      }
      return null;
    }
    if (name === 'parse_args' || name === 'parse_known_args') {
      const ns = lib.obj('namespace', [], loc);
      for (const [k, v] of args.map) ns.attrs.set(String(k), v);
      return name === 'parse_known_args' ? tuple([ns, list([])]) : ns;
    }
    if (name === 'add_argument_group' || name === 'add_mutually_exclusive_group') return self;
    if (name === 'set_defaults') { for (const [k, v] of kw) args.map.set(k, v); return null; }
    return null;
  },
};
