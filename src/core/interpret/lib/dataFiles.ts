/**
 * Data files the host gave facts for (AnalyzeInput.dataFiles; which ones: src/core/dataFiles.ts). The evaluator never
 * sees their contents, only counts, and uses them where a script takes a size from its data:
 *  - `open(p).read()` is a text of known length (`datatext`): `len(text)`, `set(text)` / `sorted(set(text))` (its
 *    distinct characters), `text.split()` (its words; `set()` of them the distinct words), `.splitlines()` and
 *    `for line in f` (its lines), iteration over its characters;
 *  - `np.loadtxt` / `np.genfromtxt` / `pd.read_csv` / `np.load` of a table or .npy: an array of its rows and columns;
 *  - `json.load(open(p))` of a file too large to read as a config: a list of its top-level items.
 * Each use says which file the figure came from (info 'data-file'). Without facts everything stays as before: unknown,
 * with the stated default.
 */
import type { Loc } from '../../types';
import { dataFileKey, type DataFileSource, type TextFacts } from '../../dataFiles';
import { UNKNOWN, isKind, isNum, isSeq, isTensorV, tensor, unknown } from '../values';
import type { ListValue, ObjValue, Value } from '../values';
import { NOT_MINE } from './dispatch';
import type { MethodTable, Route } from './dispatch';
import type { Library } from './library';
import { stateLength, statedLength } from './folders';
import { fmt } from './util';
import { frame, frameArray, frameLen } from './frames';
import { dtypeOf } from '../values';
import { isUnsized } from '../unsized';
import { textFileText } from './textFiles';

/** The path of a file object (`open(p)`), a `pathlib.Path` or a path string. */
function pathOf(v: Value | undefined): string | undefined {
  const p = isKind(v, 'obj') && (v.type === 'file' || v.type === 'fspath') ? v.attrs.get('path') : v;
  return typeof p === 'string' ? p : undefined;
}

/** `pathlib.Path(a, b)` of known parts: a path object (`/` joins, `.read_text()`, `.open()`); undefined otherwise. */
function fsPath(lib: Library, parts: Value[], loc?: Loc): ObjValue | undefined {
  const texts = parts.map((x) => (isKind(x, 'obj') && x.type === 'fspath' ? pathOf(x) : x));
  if (!texts.length || !texts.every((x): x is string => typeof x === 'string')) return undefined;
  return lib.obj('fspath', [['path', texts.reduce((a, b) => (b.startsWith('/') ? b : a === '' || a === '.' ? b : a.endsWith('/') ? a + b : `${a}/${b}`), '')]], loc);
}

/** `p / 'name'` of a `pathlib.Path`: the joined path (unknown when the name is not known). */
export function pathDiv(lib: Library, a: ObjValue, b: Value, loc?: Loc): Value {
  return fsPath(lib, [a, b], loc) ?? unknown('path');
}

/** The facts the host gave for the file `v` names, if any. */
export function dataFile(lib: Library, v: Value | undefined): DataFileSource | undefined {
  const p = pathOf(v);
  const key = p === undefined ? undefined : dataFileKey(p);
  return key ? lib.cx.opts.dataFiles?.find((f) => f.name === key) : undefined;
}

/** Says once per file and use where a figure came from. */
const said = new WeakMap<Library, Set<string>>();
function say(lib: Library, f: DataFileSource, what: string, loc?: Loc): void {
  const s = said.get(lib) ?? new Set<string>();
  said.set(lib, s);
  const key = `${f.path}|${what}`;
  if (s.has(key)) return;
  s.add(key);
  lib.cx.problem('info', 'data-file', `${what} from the workspace file ${f.path} (FlopLens read its size and counts, not its values).`, loc);
}

/** Distinct items a listing stands for when `set()` of it is taken (the distinct words of a text's words). */
const distinctOf = new WeakMap<object, number>();

/** A list of `n` items of which one is held (folders.ts listing). */
function listing(n: number, item: Value, distinct?: number): ListValue {
  const l: ListValue = { kind: 'list', items: n > 0 ? [item] : [] };
  stateLength(l, n);
  if (distinct !== undefined) distinctOf.set(l, distinct);
  return l;
}

/** A list of `n` items whose first held item stands for each (a comprehension over a long iterable known by its length). */
export function statedList(items: Value[], n: number): ListValue {
  return listing(n, items[0] ?? UNKNOWN);
}

/** The text of a data file, as `f.read()` gives it. */
export function dataText(lib: Library, file: Value, loc?: Loc): Value | undefined {
  const f = dataFile(lib, file);
  const t = f?.facts.text;
  if (!f || !t) return undefined;
  return textValue(lib, f, t, loc);
}

function textValue(lib: Library, f: DataFileSource, t: TextFacts, loc?: Loc, distinctChars: number | undefined = t.distinctChars): ObjValue {
  const o = lib.obj('datatext', [['path', f.path], ['chars', t.chars]], loc);
  facts.set(o, { f, t, distinctChars });
  return o;
}

const facts = new WeakMap<ObjValue, { f: DataFileSource; t: TextFacts; distinctChars?: number }>();

const wordItem = (f: DataFileSource) => unknown(`a word of ${f.path}`);
const lineItem = (f: DataFileSource) => unknown(`a line of ${f.path}`);

function words(lib: Library, f: DataFileSource, t: TextFacts, loc?: Loc): ListValue {
  say(lib, f, `${fmt(t.words)} words`, loc);
  return listing(t.words, wordItem(f), t.distinctWords);
}

/** Line listings of a data text, for `''.join(lines)`. */
const linesOf = new WeakMap<ListValue, { f: DataFileSource; t: TextFacts }>();

function lines(lib: Library, f: DataFileSource, t: TextFacts, loc?: Loc): ListValue {
  say(lib, f, `${fmt(t.lines)} lines`, loc);
  const l = listing(t.lines, lineItem(f), undefined);
  linesOf.set(l, { f, t });
  return l;
}

/** `''.join(lines)` of a data text's lines: the text without its line breaks (its distinct characters without them). */
export function dataJoin(lib: Library, sep: string, v: Value | undefined, loc?: Loc): Value | undefined {
  const d = sep === '' && isSeq(v) ? linesOf.get(v) : undefined;
  if (!d || d.t.breakChars === undefined || d.t.breakKinds === undefined) return undefined;
  const t: TextFacts = { ...d.t, chars: d.t.chars - d.t.breakChars, distinctChars: d.t.distinctChars - d.t.breakKinds, lines: Math.min(1, d.t.lines), nonEmptyLines: Math.min(1, d.t.nonEmptyLines), distinctWords: undefined };
  return textValue(lib, d.f, t, loc);
}

/** `len(text)`: its characters. */
export function dataTextLen(lib: Library, v: Value): number | undefined {
  const rows = frameLen(v); // len(df) of a table read from a data file: its rows
  if (rows !== undefined) return rows;
  const d = isKind(v, 'obj') && v.type === 'datatext' ? facts.get(v) : undefined;
  if (!d) return undefined;
  say(lib, d.f, `${fmt(d.t.chars)} characters`);
  return d.t.chars;
}

/**
 * `set(x)` of a data text (its distinct characters) or of its words (the distinct words): a listing of that many;
 * undefined for anything else (or when the count is not known).
 */
export function dataSet(lib: Library, v: Value | undefined): ListValue | undefined {
  if (isKind(v, 'obj') && v.type === 'datatext') {
    const d = facts.get(v);
    if (!d || d.distinctChars === undefined) return undefined;
    say(lib, d.f, `${fmt(d.distinctChars)} distinct characters`);
    return listing(d.distinctChars, unknown(`a character of ${d.f.path}`));
  }
  const n = v && typeof v === 'object' ? distinctOf.get(v) : undefined;
  if (n === undefined || !isSeq(v)) return undefined;
  return listing(n, v.items[0] ?? UNKNOWN);
}

/**
 * Iteration over a data text: its characters. A loop over a file's lines (`for line in f`) is left with an unknown
 * count: what it builds per line from the line's words (word_language_model's token stream) has a length only the
 * data decides, and a known line count would make it look known (each line's piece stands for one item).
 * `f.readlines()` / `text.splitlines()` are lists of the file's lines.
 */
export function dataIter(v: ObjValue): { trips: number; elem: Value; label: string } | undefined {
  const d = v.type === 'datatext' ? facts.get(v) : undefined;
  return d ? { trips: d.t.chars, elem: unknown(`a character of ${d.f.path}`), label: `characters of ${d.f.path}` } : undefined;
}

/** `f.readlines()` of a data file. */
export function dataLines(lib: Library, file: Value, loc?: Loc): Value | undefined {
  const f = dataFile(lib, file);
  return f?.facts.text ? lines(lib, f, f.facts.text, loc) : undefined;
}

/** Methods of a data text: split, splitlines, and the ones that keep its size; of a `pathlib.Path` of a data file. */
export const METHODS: MethodTable = {
  fspath: (lib, self, name, pos, kw, loc) => {
    if (name === 'open') return lib.obj('file', [['path', self.attrs.get('path') ?? UNKNOWN]], loc);
    if (name === 'read_text') return textFileText(lib, self, loc) ?? dataText(lib, self, loc) ?? unknown(`text of ${String(self.attrs.get('path'))}`);
    if (name === 'exists' || name === 'is_file') return dataFile(lib, self) ? true : NOT_MINE;
    if (name === 'joinpath') return fsPath(lib, [self, ...pos], loc) ?? unknown('path');
    return NOT_MINE;
  },
  datatext: (lib, self, name, pos, kw, loc) => {
    const d = facts.get(self);
    if (!d) return NOT_MINE;
    const sep = pos[0] ?? kw.get('sep') ?? null;
    if (name === 'split' && sep === null) return words(lib, d.f, d.t, loc);
    // '\n' as the evaluator holds a literal (escapes are not decoded), or decoded.
    if (name === 'split' && (sep === '\n' || sep === '\\n') && d.t.newlines !== undefined) return listing(d.t.newlines + 1, lineItem(d.f));
    if (name === 'splitlines') return lines(lib, d.f, d.t, loc);
    if (name === 'strip' || name === 'rstrip' || name === 'lstrip') return self;
    if (name === 'lower' || name === 'upper' || name === 'casefold') return textValue(lib, d.f, d.t, loc, undefined);
    if (name === '__enter__') return self;
    return unknown(`${name}() of the text of ${d.f.path}`);
  },
};

/** `sorted(words)` / `list(set(text))` and friends keep a listing's distinct count. */
export function keepDistinct(from: Value | undefined, to: Value): Value {
  const n = from && typeof from === 'object' ? distinctOf.get(from) : undefined;
  if (n !== undefined && to && typeof to === 'object') distinctOf.set(to, n);
  return to;
}

/** Rows and columns of a table file as a reader with these options sees them. */
function tableShape(f: DataFileSource, kw: Map<string, Value>, reader: 'numpy' | 'pandas'): { rows: number; cols: number } | undefined {
  const { table, text, npy } = f.facts;
  if (npy) return undefined;
  let rows: number, cols: number;
  if (table) { rows = table.records; cols = table.columns; } else if (text) { rows = text.nonEmptyLines; cols = text.firstLineWords; } else return undefined;
  if (reader === 'pandas') {
    const header = kw.get('header');
    if (header !== null) rows -= 1; // header='infer' (row 0), or a row number: the first row is names
    const skip = kw.get('skiprows');
    if (isNum(skip)) rows -= skip;
    const nrows = kw.get('nrows');
    if (isNum(nrows)) rows = Math.min(rows, nrows);
    if (kw.has('index_col') && kw.get('index_col') !== null && kw.get('index_col') !== false) cols -= 1;
  } else {
    const skip = kw.get('skiprows') ?? kw.get('skip_header');
    if (isNum(skip)) rows -= skip;
    if (kw.get('names') === true) rows -= 1;
    const max = kw.get('max_rows');
    if (isNum(max)) rows = Math.min(rows, max);
  }
  const use = kw.get('usecols');
  if (isSeq(use)) cols = use.items.length;
  else if (isNum(use)) cols = 1;
  return rows >= 0 && cols > 0 ? { rows, cols } : undefined;
}

const READERS = ['numpy.loadtxt', 'np.loadtxt', 'numpy.genfromtxt', 'np.genfromtxt', 'numpy.load', 'np.load', 'pandas.read_csv', 'pd.read_csv', 'pandas.read_table', 'pd.read_table'];

/** Array constructors whose dim 0 is a list's length. */
const ARRAYS = ['torch.tensor', 'torch.as_tensor', 'torch.LongTensor', 'torch.FloatTensor', 'numpy.array', 'np.array', 'numpy.asarray', 'np.asarray'];

export const ARRAY_ROUTES: Route[] = [
  {
    // An array of a list of stated length (a file's characters encoded one by one, `np.array([stoi[c] for c in text])`):
    // the array of its held item, with the list's length as dim 0 (it is not materialised).
    exact: ARRAYS,
    handler: (lib, { path, pos, kw, loc }) => {
      const table = frameArray(pos[0]); // np.array(df), torch.tensor(df.values) is already an array
      if (table) return lib.callExternal(path, [table, ...pos.slice(1)], kw, loc);
      const l = pos[0];
      // Items appended in a loop over data (unsized.ts: `for i in range(len(data) - k): x.append(data[i:i + k])`) are
      // data-many, not the one the loop was walked with: a NumPy array of them is unknown (its length feeds split
      // counts: `int(len(y) * 0.67)` was 0, an empty training set). A torch tensor of them keeps the walked item as
      // its one row: a placeholder that batch indexing (`X[torch.randint(0, X.shape[0], (32,))]`, makemore) and
      // torch.cat of a token stream's pieces (lib/data.ts) read for its row shape only.
      if (isSeq(l) && isUnsized(l) && statedLength(l) === undefined && /^(numpy|np)\./.test(path)) return unknown(`${path} of items appended in a loop over data (their number is data)`);
      const n = statedLength(l);
      if (!isSeq(l) || n === undefined || n <= l.items.length || l.items.length === 0) return NOT_MINE;
      const t = lib.callExternal(path, [{ kind: l.kind, items: l.items.slice(0, 1) }, ...pos.slice(1)], kw, loc);
      return isTensorV(t) && t.shape[0] === 1 ? tensor([n, ...t.shape.slice(1)], t.dtype) : NOT_MINE;
    },
  },
];

export const ROUTES: Route[] = [
  {
    exact: ['pathlib.Path', 'pathlib.PurePath', 'pathlib.PosixPath', 'pathlib.PurePosixPath'],
    handler: (lib, { pos, loc }) => fsPath(lib, pos, loc) ?? NOT_MINE,
  },
  {
    // Counter(words) of a data text's words (or characters): as many entries as distinct items, for len().
    exact: ['collections.Counter'],
    handler: (lib, { pos }) => dataSet(lib, pos[0]) ?? NOT_MINE,
  },
  {
    // A data file the host found exists (the script's own check passes); any other path is the stdlib route's.
    exact: ['os.path.exists', 'os.path.isfile', 'os.path.lexists'],
    handler: (lib, { pos }) => (dataFile(lib, pos[0]) ? true : NOT_MINE),
  },
  {
    exact: READERS,
    handler: (lib, { path, pos, kw, loc }) => {
      const src = pos[0] ?? kw.get('fname') ?? kw.get('file') ?? kw.get('filepath_or_buffer');
      const f = dataFile(lib, src);
      const name = path.replace(/^(numpy|pandas)\./, (m) => (m === 'numpy.' ? 'np.' : 'pd.'));
      if (!f) {
        // A file the host has no facts of (not in the workspace, or too large to read): say what that leaves unknown.
        const p = pathOf(src);
        const why = p !== undefined ? `${name}('${p}'): the file is not in the workspace (or too large to read)` : `${name}(…): FlopLens cannot tell which file this reads (its path is not known statically)`;
        lib.cx.problem('info', 'data-file', `${why}, so the array it gives is unknown: sizes the script takes from it (rows, columns, classes) are not known, and what depends on them is guessed or left out.`, loc);
        return NOT_MINE;
      }
      if (f.facts.npy) {
        say(lib, f, `shape (${f.facts.npy.shape.join(', ')})`, loc);
        return tensor(f.facts.npy.shape, /f2|e/.test(f.facts.npy.dtype) ? 'fp16' : undefined);
      }
      const pandas = path.startsWith('pandas') || path.startsWith('pd');
      const s = tableShape(f, kw, pandas ? 'pandas' : 'numpy');
      if (!s) return NOT_MINE;
      say(lib, f, `${name}(): ${fmt(s.rows)} rows × ${fmt(s.cols)} columns`, loc);
      if (pandas) return frame(lib, s.rows, s.cols, false, loc);
      const dt = kw.get('dtype');
      const dtype = dt !== undefined ? dtypeOf(dt) : undefined;
      return tensor(s.cols === 1 && path.includes('loadtxt') ? [s.rows] : [s.rows, s.cols], dtype ?? 'fp32');
    },
  },
  {
    exact: ['json.load'],
    handler: (lib, { pos, kw, loc }) => {
      const src = pos[0] ?? kw.get('fp');
      const f = dataFile(lib, src);
      const j = f?.facts.json;
      // A file read as a config (its values known) stays the config reader's; an object's keys are not items.
      if (!f || j?.top !== 'array' || lib.cx.opts.files?.some((c) => c.name === f.name)) return NOT_MINE;
      say(lib, f, `${fmt(j.length)} records`, loc);
      return listing(j.length, lib.obj('filedata', [['source', `a record of ${f.path}`]], loc));
    },
  },
];
