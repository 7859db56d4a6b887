/**
 * Configuration: argparse parsers and their defaults, config text read from literal strings (json.loads,
 * yaml.safe_load, OmegaConf.create; never executed), attribute namespaces and dataclass fields.
 */
import { parseJsonText, parseYamlText, type Plain } from '../configText';
import { UNKNOWN, unknown, isKind, isSeq, isUnknown, tuple, list } from '../values';
import type { Value, ObjValue, DictValue, FuncValue } from '../values';
import type { Loc } from '../../types';
import { NOT_MINE } from './dispatch';
import type { MethodTable, ObjCallTable, Route } from './dispatch';
import type { Library } from './library';
import { commandLineValue } from './commandLine';
import { applyOptionsToFields, commandLine, dataclassValues, entryCommandLine } from './argvReaders';


/**
 * A program that enters through a CLI library (`fire.Fire(main)`, `typer.run(main)`, jsonargparse `CLI(main)`):
 * the entry function runs with its defaults, as a command line without options would; a directive wins for the
 * parameters it names (`batch_size`…). A parameter without a default is stated. A class is built with its
 * defaults and, when it has one public method, that method runs (a command line names the method).
 */
function runEntry(lib: Library, via: string, target: Value | undefined, loc?: Loc): Value {
  const cx = lib.cx;
  if (isKind(target, 'dict')) {
    const [first, fn] = [...target.map.entries()][0] ?? [];
    if (fn === undefined) return UNKNOWN;
    if (target.map.size > 1) cx.problem('info', 'cli-entry', `${via}: of its ${target.map.size} commands, the first ('${String(first)}') is the one analysed.`, loc);
    return runEntry(lib, via, fn, loc);
  }
  if (isKind(target, 'func')) return cx.callFunction(target, [], entryDefaults(lib, via, target, loc), loc);
  if (isKind(target, 'class')) {
    const init = cx.lookupClass(target, '__init__');
    const inst = cx.call(target, [], isKind(init?.value, 'func') ? entryDefaults(lib, via, { ...init.value, self: UNKNOWN }, loc) : new Map(), loc);
    if (!isKind(inst, 'inst')) return inst;
    const methods = [...target.ns.entries()].filter(([k, v]) => !k.startsWith('_') && isKind(v, 'func'));
    if (methods.length === 0) return inst;
    const [name, m] = methods[0];
    if (methods.length > 1) cx.problem('info', 'cli-entry', `${via}: the command line picks one of ${target.name}'s ${methods.length} methods; the first, '${name}', is the one analysed.`, loc);
    return cx.callFunction({ ...(m as FuncValue), self: inst, owner: target }, [], entryDefaults(lib, via, { ...(m as FuncValue), self: inst }, loc), loc);
  }
  return UNKNOWN;
}

/** Keyword arguments for an entry function: each parameter's default (a directive wins); a missing one is stated. */
function entryDefaults(lib: Library, via: string, fn: FuncValue, loc?: Loc): Map<string, Value> {
  const kw = new Map<string, Value>();
  const given = entryCommandLine(fn, commandLine(lib.cx)); // `# floplens: args="--epochs 3"`
  fn.params.forEach((p, i) => {
    if (p.kind !== 'normal' && p.kind !== 'kwonly') return;
    if (i === 0 && fn.self !== undefined) return;
    const def = given.get(p.name) ?? fn.defaults[i];
    const v = lib.cx.overrideScalar(p.name, def ?? unknown(`argument '${p.name}' not given`));
    if (def === undefined && isUnknown(v)) {
      lib.cx.problem('info', 'cli-required', `${via}: '${p.name}' has no default and must be given on the command line; its value is unknown here; set it with ${directiveFor(p.name)}`, loc);
      return;
    }
    kw.set(p.name, v);
  });
  return kw;
}

/** The directive that sets what a command-line value decides, by its name. */
function directiveFor(dest: string): string {
  if (/batch|^bs$/i.test(dest)) return 'batch=';
  if (/seq|block_size|ctx|context|max_len/i.test(dest)) return 'seq=';
  if (/epoch/i.test(dest)) return 'epochs=';
  if (/step|iter/i.test(dest)) return 'steps=';
  return 'the directive for what it decides (batch=, seq=, steps=, epochs=…)';
}

/** `add_argument('--steps', required=True)` without a default: unknown, and stated with the directive that sets it. */
function requiredArg(lib: Library, flag: string, dest: string, loc?: Loc): Value {
  lib.cx.problem('info', 'cli-required', `${flag} is required on the command line and has no default: its value is unknown here; set it with ${directiveFor(dest)}`, loc);
  return unknown(`required argument ${flag}`);
}

/** `@click.option('--batch-size', default=64)`: the parameter's default becomes 64. */
function clickOption(lib: Library, pos: Value[], kw: Map<string, Value>): Value {
  const names = pos.filter((x): x is string => typeof x === 'string');
  const plain = names.find((n) => !n.startsWith('-'));
  const flag = names.filter((n) => n.startsWith('--')).sort((a, b) => b.length - a.length)[0] ?? names[0];
  const dest = (plain ?? flag ?? '').replace(/^-+/, '').replace(/-/g, '_').toLowerCase();
  const def: Value = kw.has('default') ? (kw.get('default') as Value) : kw.get('is_flag') === true ? false : null;
  return decorator((fn) => {
    if (!isKind(fn, 'func')) return fn;
    const i = fn.params.findIndex((p) => p.name === dest);
    if (i < 0) return fn;
    const defaults = fn.defaults.slice();
    defaults[i] = lib.cx.overrideScalar(dest, def);
    return { ...fn, defaults };
  });
}

/** A decorator made by the library: the evaluator applies builtins whose name starts with '@'. */
const decorator = (f: (fn: Value) => Value): Value => ({ kind: 'builtin', name: '@decorator', fn: (a) => f(a[0] ?? UNKNOWN) });

/** JSON/YAML data as evaluator values: mappings become dicts (or attribute namespaces for OmegaConf), lists lists. */
export function plainToValue(v: Plain, namespace?: () => ObjValue): Value {
  if (Array.isArray(v)) return { kind: 'list', items: v.map((x) => plainToValue(x, namespace)) };
  if (v !== null && typeof v === 'object') {
    const entries = Object.entries(v).map(([k, x]) => [k, plainToValue(x, namespace)] as [string, Value]);
    if (namespace) { const ns = namespace(); for (const [k, x] of entries) ns.attrs.set(k, x); return ns; }
    return { kind: 'dict', map: new Map(entries) };
  }
  return v;
}

/** The arguments the parent parsers of `ArgumentParser(parents=[…])` declared, in order. */
function parentArgs(parents: Value | undefined): DictValue['map'] {
  const out: DictValue['map'] = new Map();
  for (const p of isSeq(parents) ? parents.items : []) {
    const a = isKind(p, 'obj') && p.type === 'argparser' ? p.attrs.get('args') : undefined;
    if (isKind(a, 'dict')) for (const [k, v] of a.map) out.set(k, v);
  }
  return out;
}

export const ROUTES: Route[] = [
  // `ArgumentParser(parents=[get_args_parser()])`: the parents' arguments first (DINO, DeiT, MAE main scripts).
  { exact: ['argparse.ArgumentParser', 'ArgumentParser'], handler: (lib, c) => lib.obj('argparser', [['args', { kind: 'dict', map: parentArgs(c.kw.get('parents')) } as DictValue]], c.loc) },
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
  {
    exact: ['fire.Fire', 'typer.run', 'jsonargparse.CLI', 'jsonargparse.auto_cli'],
    handler: (lib, { path, pos, kw, loc }) => runEntry(lib, `${path}()`, pos[0] ?? kw.get('component') ?? kw.get('components'), loc),
  },
  // tyro: `tyro.cli(Args)` is the dataclass with its defaults (a directive wins for a field it names); `tyro.cli(main)`
  // runs main with its defaults, as fire does.
  {
    exact: ['tyro.cli', 'tyro.extras.cli'],
    handler: (lib, { pos, kw, loc }) => {
      const target = pos[0] ?? kw.get('f');
      if (!isKind(target, 'class')) return runEntry(lib, 'tyro.cli()', target, loc);
      const init = lib.cx.lookupClass(target, '__init__');
      const made = lib.cx.call(target, [], isKind(init?.value, 'func') ? entryDefaults(lib, 'tyro.cli()', { ...init.value, self: UNKNOWN }, loc) : new Map(), loc);
      if (isKind(made, 'inst')) for (const [k, v] of made.attrs) made.attrs.set(k, lib.cx.overrideScalar(k, v));
      applyOptionsToFields(lib.cx, made, commandLine(lib.cx));
      return made;
    },
  },
  { exact: ['click.option', 'typer.Option'], handler: (lib, { path, pos, kw }) => (path === 'click.option' ? clickOption(lib, pos, kw) : kw.get('default') ?? pos[0] ?? UNKNOWN) },
  { exact: ['click.command', 'click.argument', 'click.pass_context', 'click.version_option', 'click.help_option'], handler: () => decorator((fn) => fn) },
  // A command group: `app = typer.Typer()` or `@click.group() def cli(): …`; `@app.command()` registers, `app()` runs the first.
  { exact: ['typer.Typer'], handler: (lib, { loc }) => lib.obj('cliapp', [['commands', list([])], ['name', 'typer.Typer()']], loc) },
  { exact: ['click.group'], handler: (lib, { loc }) => decorator((fn) => lib.obj('cliapp', [['commands', list([])], ['name', isKind(fn, 'func') ? `${fn.name}()` : 'click group']], loc)) },
  {
    exact: ['transformers.HfArgumentParser', 'HfArgumentParser'],
    handler: (lib, { pos, loc }) => lib.obj('argparser', [['args', { kind: 'dict', map: new Map() } as DictValue], ['dataclasses', pos[0] ?? UNKNOWN]], loc),
  },
];

/** Calls of a command group: the first command registered runs with its defaults. */
export const OBJ_CALLS: ObjCallTable = {
  cliapp: (lib, self, _pos, _kw, loc) => {
    const cmds = self.attrs.get('commands');
    const all = isSeq(cmds) ? cmds.items : [];
    const via = String(self.attrs.get('name'));
    if (all.length === 0) return UNKNOWN;
    if (all.length > 1) lib.cx.problem('info', 'cli-entry', `${via}: of its ${all.length} commands, the first registered ('${isKind(all[0], 'func') ? all[0].name : '?'}') is the one analysed.`, loc);
    return runEntry(lib, via, all[0], loc);
  },
};

export const METHODS: MethodTable = {
  cliapp: (_lib, self, name, pos) => {
    const cmds = self.attrs.get('commands');
    const register = (fn: Value): Value => { if (isSeq(cmds) && isKind(fn, 'func')) cmds.items.push(fn); return fn; };
    if (name === 'command') return decorator(register);
    // Typer's callback runs before every command; it is not one.
    if (name === 'callback') return decorator((fn) => fn);
    if (name === 'add_command') { register(pos[0] ?? UNKNOWN); return null; }
    return NOT_MINE;
  },
  argparser: (lib, self, name, pos, kw, loc) => {
    const args = self.attrs.get('args') as DictValue;
    if (name === 'add_argument') {
      const flag = pos.find((x) => typeof x === 'string' && x.startsWith('--')) ?? pos.find((x) => typeof x === 'string');
      const dest = typeof kw.get('dest') === 'string' ? (kw.get('dest') as string) : typeof flag === 'string' ? flag.replace(/^-+/, '').replace(/-/g, '_') : undefined;
      if (dest) {
        const action = kw.get('action');
        let def: Value = kw.has('default') ? (kw.get('default') as Value) : action === 'store_true' ? false : action === 'store_false' ? true : null;
        const given = commandLineValue(lib, pos.filter((x): x is string => typeof x === 'string'), kw); // `# floplens: args="…"`
        if (given !== undefined) def = given;
        else if (kw.get('required') === true && !kw.has('default')) def = requiredArg(lib, typeof flag === 'string' ? flag : dest, dest, loc);
        const ty = kw.get('type');
        if (typeof def === 'string' && isKind(ty, 'builtin') && (ty.name === 'int' || ty.name === 'float')) def = Number(def);
        def = lib.cx.overrideScalar(dest, def);
        args.map.set(dest, def);
        if (self.attrs.get('ignored') !== true) lib.argparseDefaults.set(dest, { value: def, loc });
      }
      return null;
    }
    if (name === 'parse_args' || name === 'parse_known_args') {
      const ns = lib.obj('namespace', [], loc);
      for (const [k, v] of args.map) ns.attrs.set(String(k), v);
      return name === 'parse_known_args' ? tuple([ns, list([])]) : ns;
    }
    // HfArgumentParser((ModelArguments, DataTrainingArguments, TrainingArguments)): each dataclass with its defaults.
    if (/^parse_(args_into_dataclasses|json_file|yaml_file|dict)$/.test(name)) {
      const dcs = self.attrs.get('dataclasses');
      const classes = isSeq(dcs) ? dcs.items : dcs !== undefined ? [dcs] : [];
      const made = dataclassValues(lib, name, classes, pos[0] ?? kw.get('json_file') ?? kw.get('yaml_file') ?? kw.get('args'), loc);
      if (kw.get('return_remaining_strings') === true) made.push(list([]));
      return tuple(made);
    }
    // Subcommands: the first one declared is the one analysed (its options join the namespace), and that is said.
    if (name === 'add_subparsers') return lib.obj('argparser', [['args', { kind: 'dict', map: new Map() } as DictValue], ['parent', self], ['dest', kw.get('dest') ?? null]], loc);
    if (name === 'add_parser') {
      const parent = self.attrs.get('parent');
      if (!isKind(parent, 'obj') || self.attrs.has('chosen')) return lib.obj('argparser', [['args', { kind: 'dict', map: new Map() } as DictValue], ['ignored', true]], loc);
      const cmd = typeof pos[0] === 'string' ? pos[0] : 'the first';
      self.attrs.set('chosen', cmd);
      const dest = self.attrs.get('dest');
      const shared = parent.attrs.get('args') as DictValue;
      if (typeof dest === 'string') shared.map.set(dest, cmd);
      lib.cx.problem('info', 'cli-subcommand', `The command line has subcommands; the first, '${cmd}', is the one analysed with its defaults.`, loc);
      return lib.obj('argparser', [['args', shared]], loc);
    }
    if (name === 'add_argument_group' || name === 'add_mutually_exclusive_group') return self;
    if (name === 'set_defaults') { for (const [k, v] of kw) args.map.set(k, v); return null; }
    return null;
  },
};
