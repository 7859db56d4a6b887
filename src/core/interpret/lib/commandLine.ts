/**
 * The script's command line, given with `# floplens: args="--upscale_factor 3 --epochs 5"` (or `--set args=…`): argparse
 * options read their value from it as `parse_args()` would, before their defaults. A `required=True` option without a
 * default is known this way. Options only (`--name value`, `--name=value`, `-n value`, flags of `store_true` /
 * `store_false`, `nargs` lists); positionals keep their defaults.
 */
import { isKind, list } from '../values';
import type { Value } from '../values';
import type { Library } from './library';
import { commandLineWords as words } from '../../configFiles';


/** A word typed as the option's `type=` makes it (int, float), else the text. */
function typed(word: string, ty: Value | undefined): Value {
  if (isKind(ty, 'builtin') && (ty.name === 'int' || ty.name === 'float')) {
    const n = Number(word);
    return Number.isFinite(n) ? (ty.name === 'int' ? Math.trunc(n) : n) : word;
  }
  return word;
}

/**
 * The value the command line gives the option named by `flags` (`['--upscale_factor']`, `['-m', '--model']`), or
 * undefined when the command line does not name it (or no `args=` is given).
 */
export function commandLineValue(lib: Library, flags: string[], kw: Map<string, Value>): Value | undefined {
  const given = lib.cx.directives.args?.value;
  if (typeof given !== 'string' || !flags.some((f) => f.startsWith('-'))) return undefined;
  const ws = words(given);
  const action = kw.get('action');
  const ty = kw.get('type');
  const nargs = kw.get('nargs');
  for (let i = 0; i < ws.length; i++) {
    const w = ws[i];
    const eq = w.indexOf('=');
    const name = w.startsWith('-') && eq > 0 ? w.slice(0, eq) : w;
    if (!flags.includes(name)) continue;
    if (action === 'store_true') return true;
    if (action === 'store_false') return false;
    if (eq > 0 && w.startsWith('-')) return typed(w.slice(eq + 1), ty);
    if (nargs === '+' || nargs === '*' || typeof nargs === 'number') {
      const items: Value[] = [];
      for (let j = i + 1; j < ws.length && !/^--?[A-Za-z]/.test(ws[j]) && (typeof nargs !== 'number' || items.length < nargs); j++) items.push(typed(ws[j], ty));
      return list(items);
    }
    return i + 1 < ws.length ? typed(ws[i + 1], ty) : undefined;
  }
  return undefined;
}
