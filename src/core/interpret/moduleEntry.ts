/**
 * A module that runs nothing itself is a package command's entry point: `litgpt pretrain pythia-14m` runs
 * litgpt/pretrain.py's `setup("pythia-14m")` through the package's own CLI (jsonargparse `CLI({"pretrain": setup, …})`
 * in its `__main__.py`), which the script does not import. When the analysed script's top level evaluated no op and no
 * run event, has no `__main__` block, and defines `setup` (else `main`), that function runs as the command would run
 * it: the command line's (`args=`) positional words fill its parameters in order, `--name value` options the
 * parameters they name, and defaults the rest (a directive wins for what it names). Stated; a parameter without a
 * default that the command line does not give is said with the directive that gives it.
 */
import type { Loc } from '../types';
import { commandLineWords } from '../configFiles';
import type { EvalContext } from './context';
import { isKind, isUnknown, unknown } from './values';
import type { FuncValue, Scope, Value } from './values';
import { typedWord as typed } from './lib/argvReaders';

const ENTRY_NAMES = ['setup', 'main'];


/**
 * Keyword arguments from the command line's words for `fn`'s parameters, then its defaults; undefined (said, with the
 * directive) when a parameter without a default is not on the command line: the command would not run without it.
 */
function entryArguments(cx: EvalContext, fn: FuncValue, words: string[], via: string, loc?: Loc): Map<string, Value> | undefined {
  const given = new Map<string, Value>();
  const positional: string[] = [];
  for (let i = 0; i < words.length; i++) {
    const w = words[i];
    const opt = /^--([A-Za-z_][\w-]*)(?:=(.*))?$/.exec(w);
    if (!opt) { positional.push(w); continue; }
    const name = opt[1].replace(/-/g, '_');
    const value = opt[2] ?? (i + 1 < words.length && !words[i + 1].startsWith('--') ? words[++i] : 'true');
    given.set(name, typed(value));
  }
  const kw = new Map<string, Value>();
  const missing: string[] = [];
  fn.params.forEach((p, i) => {
    if (p.kind !== 'normal' && p.kind !== 'kwonly') return;
    const def = fn.defaults[i];
    let v: Value | undefined = given.get(p.name);
    if (v === undefined && def === undefined && p.kind === 'normal' && positional.length) v = typed(positional.shift()!);
    v = cx.overrideScalar(p.name, v !== undefined ? v : def !== undefined ? def : unknown(`argument '${p.name}' not given`));
    if (def === undefined && isUnknown(v) && !given.has(p.name)) missing.push(p.name);
    else kw.set(p.name, v);
  });
  if (!missing.length) return kw;
  cx.problem('warning', 'cli-required', `${via} takes ${missing.map((m) => `'${m}'`).join(', ')} from the command line, which FlopLens is not given, so it is not run and its model and loop are not counted. Add \`# floplens: args="<${missing[0]}> …"\` with the command's arguments.`, loc);
  return undefined;
}

/** Runs the module's entry function when its top level ran nothing (see the file comment). */
export function runModuleEntry(cx: EvalContext, scope: Scope, text: string, onAbort: (e: unknown, loc?: Loc) => void): void {
  if (cx.recorder.ops.length || cx.recorder.events.length || /__name__\s*==\s*['"]__main__['"]/.test(text)) return;
  const name = ENTRY_NAMES.find((n) => isKind(scope.vars.get(n), 'func'));
  const fn = name ? (scope.vars.get(name) as FuncValue) : undefined;
  if (!fn || fn.self !== undefined || fn.file.text !== text) return; // defined by this script, not imported
  const line = cx.directives.args?.value;
  const words = typeof line === 'string' ? commandLineWords(line) : [];
  const via = `${fn.name}()`;
  const kw = entryArguments(cx, fn, words, via, fn.loc);
  if (!kw) return;
  cx.problem('info', 'module-entry', `The script runs nothing at its top level: it is taken as a package command's entry point, ${via} run as the command line${typeof line === 'string' ? ` "${line}"` : ' (none given: add `# floplens: args="…"`)'} would run it.`, fn.loc);
  try {
    cx.callFunction(fn, [], kw, fn.loc);
  } catch (e) {
    onAbort(e, fn.loc); // a spent budget or a runaway nesting: what ran before it stays, as at the top level
  }
}
