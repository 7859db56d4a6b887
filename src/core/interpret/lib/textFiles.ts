/**
 * Small plain-text files of the workspace the host read whole (src/core/textFiles.ts; they arrive with the config
 * files as AnalyzeInput.files): the script's own parser reads them with their real contents, so a model built from a
 * Darknet `.cfg` walked line by line, or a `.data` file's `train=` list, is what the file says.
 *  - `f.read()` / `Path(p).read_text()`: the text;
 *  - `f.readlines()`: its lines, each with its line break, as Python gives them;
 *  - `for line in f` / `f.readline()`: the same lines (readline gives the first).
 * Each file used is stated once (info 'text-file'). A file the host did not give (not in the workspace, or larger)
 * is unknown and stated with its name and what the script builds from it, never a silent empty value.
 */
import type { Loc } from '../../types';
import type { ConfigFileSource } from '../../api';
import { MAX_TEXT_FILE_BYTES, textFileKey } from '../../textFiles';
import { dataFileKey } from '../../dataFiles';
import { isKind, unknown, type ObjValue, type Value } from '../values';
import type { Library } from './library';

const pathOf = (v: Value | undefined): Value | undefined => (isKind(v, 'obj') && (v.type === 'file' || v.type === 'fspath') ? v.attrs.get('path') : v);

/** The given plain-text file that a file object, `pathlib.Path` or path string names. */
function given(lib: Library, v: Value | undefined): ConfigFileSource | undefined {
  const p = pathOf(v);
  const key = typeof p === 'string' ? textFileKey(p) : undefined;
  return key ? lib.cx.opts.files?.find((f) => f.name === key) : undefined;
}

const said = new WeakMap<Library, Set<string>>();

/**
 * What reading a plain-text file the host did not give is: unknown, stated once per file with its name and what the
 * script builds from it. Undefined when the path is not a known plain-text name, or the host gave the file's facts (a
 * larger data file: the data-file reader's figures apply).
 */
export function textFileAbsent(lib: Library, v: Value | undefined, what: string, loc?: Loc): Value | undefined {
  const p = pathOf(v);
  const key = typeof p === 'string' ? textFileKey(p) : undefined;
  if (!key || given(lib, v) || (dataFileKey(key) && lib.cx.opts.dataFiles?.some((f) => f.name === key))) return undefined;
  const s = said.get(lib) ?? new Set<string>();
  said.set(lib, s);
  if (!s.has(`absent|${key}`)) {
    s.add(`absent|${key}`);
    lib.cx.problem('info', 'text-file', `The script reads '${key}', which is not in the workspace (or is over ${MAX_TEXT_FILE_BYTES / 1024} KB): what its own code builds from the file's contents (a model's layers from a definition file, a list of samples and so the steps) is unknown here; where they size the run, the stated defaults apply. Open the folder that holds the file to use it.`, loc);
  }
  return unknown(`${what} of ${key} (not in the workspace)`);
}

/** The text of the file `v` names, charged to the budget and stated once; undefined when the host did not give it. */
export function textFileText(lib: Library, v: Value | undefined, loc?: Loc): string | undefined {
  const f = given(lib, v);
  if (!f || !lib.cx.grow(f.text.length, `reading ${f.path}`, loc, true)) return undefined;
  const s = said.get(lib) ?? new Set<string>();
  said.set(lib, s);
  if (!s.has(f.path)) {
    s.add(f.path);
    lib.cx.problem('info', 'text-file', `The script reads the workspace file ${f.path} (${f.text.length.toLocaleString('en-US')} characters); its own code parses the real contents.`, loc);
  }
  return f.text;
}

/** Python's `readlines()`: each line with its line break (`\n`, `\r\n`, `\r`); the last without one when the text has none. */
export function pythonLines(text: string): string[] {
  return text.match(/[^\r\n]*(?:\r\n|\r|\n)|[^\r\n]+$/g) ?? [];
}

/** `f.readlines()` of a given plain-text file: its lines as a list; undefined when the host did not give it. */
export function textFileLines(lib: Library, file: ObjValue, loc?: Loc): Value | undefined {
  const text = textFileText(lib, file, loc);
  return text === undefined ? undefined : lib.cx.seqOf('list', pythonLines(text), `readlines() of ${String(file.attrs.get('path'))}`, loc);
}

/** `f.readline()`: the first line (a file object is read once by a script's parser, so a later call is not tracked). */
export function textFileFirstLine(lib: Library, file: ObjValue, loc?: Loc): string | undefined {
  const text = textFileText(lib, file, loc);
  return text === undefined ? undefined : pythonLines(text)[0] ?? '';
}
