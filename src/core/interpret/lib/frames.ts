/**
 * pandas tables by their shape (`pd.read_csv` of a data file the host gave facts for, lib/dataFiles.ts): a DataFrame
 * is rows × columns, a Series rows. What scripts do between reading a CSV and building tensors keeps the shape:
 * `.values` / `.to_numpy()`, `.shape`, `len(df)`, `df['col']`, `df[['a', 'b']]`, `.iloc[:, :-1]`, `.loc[:, cols]`,
 * `.drop(columns=…)`, `.head(n)`, `.sample(frac=…)`, `.tolist()`; and sklearn's `train_test_split` of arrays splits
 * their rows. Values are never known; rows dropped by data (`dropna`, a boolean filter) are not either: `dropna` and
 * the like keep the file's rows, a boolean filter is unknown.
 */
import type { Loc } from '../../types';
import { UNKNOWN, isKind, isNum, isSeq, isTensorV, list, tensor, tuple, unknown } from '../values';
import type { ListValue, ObjValue, Value } from '../values';
import { NOT_MINE } from './dispatch';
import type { MethodTable, Route } from './dispatch';
import type { Library } from './library';
import { indexTensor } from './tensors';
import { stateLength, statedLength } from './folders';

/** A DataFrame (or, `series`, a Series) of `rows` × `cols`. */
export function frame(lib: Library, rows: number, cols: number, series: boolean, loc?: Loc): ObjValue {
  const f = lib.obj('frame', [], loc);
  const values = tensor(series ? [rows] : [rows, cols], 'fp32');
  const columns: ListValue = { kind: 'list', items: cols > 0 ? [unknown('a column name')] : [] };
  stateLength(columns, cols);
  for (const [k, v] of [['__rows', rows], ['__cols', cols], ['__series', series], ['values', values], ['shape', tuple(values.shape)], ['size', rows * (series ? 1 : cols)], ['ndim', series ? 1 : 2], ['columns', columns]] as [string, Value][]) f.attrs.set(k, v);
  f.attrs.set('iloc', lib.obj('frameIndexer', [['frame', f]], loc));
  f.attrs.set('loc', lib.obj('frameIndexer', [['frame', f], ['labels', true]], loc));
  return f;
}

const isFrame = (v: Value | undefined): v is ObjValue => isKind(v, 'obj') && v.type === 'frame';
const rowsOf = (f: ObjValue) => f.attrs.get('__rows') as number;
const colsOf = (f: ObjValue) => f.attrs.get('__cols') as number;
const seriesOf = (f: ObjValue) => f.attrs.get('__series') === true;

/** The table's values as an array (`np.array(df)`, `torch.tensor(df.values)`); undefined when `v` is not a table. */
export function frameArray(v: Value | undefined): Value | undefined {
  return isFrame(v) ? v.attrs.get('values') : undefined;
}

/** `len(df)`: its rows. */
export function frameLen(v: Value): number | undefined {
  return isFrame(v) ? rowsOf(v) : undefined;
}

/** A table of the shape an index of the array `t` gives (2-D: a DataFrame, 1-D: a Series), else unknown. */
function fromShape(lib: Library, t: Value, loc?: Loc): Value {
  if (!isTensorV(t)) return unknown('a part of a table');
  if (t.shape.length === 2) return frame(lib, t.shape[0], t.shape[1], false, loc);
  if (t.shape.length === 1) return frame(lib, t.shape[0], 1, true, loc);
  return unknown('a value of a table');
}

/** Column labels by position: a list of labels picks that many; a label picks one (a Series); `:` all. */
function columnCount(key: Value, cols: number): { n: number; one: boolean } | undefined {
  if (typeof key === 'string') return { n: 1, one: true };
  if (isSeq(key) && key.items.every((x) => typeof x === 'string')) return { n: key.items.length, one: false };
  if (isKind(key, 'slice') && key.lo === undefined && key.hi === undefined) return { n: cols, one: false };
  return undefined;
}

/** `df[…]`, `df.iloc[…]`, `df.loc[…]`. */
export function frameItem(lib: Library, obj: ObjValue, idx: Value[], loc?: Loc): Value {
  if (obj.type === 'frameIndexer') {
    const f = obj.attrs.get('frame') as ObjValue;
    if (obj.attrs.get('labels') === true) {
      // .loc[rows, cols]: rows by label are data unless all (`:`); columns by label.
      const [r, c] = idx;
      if (!(isKind(r, 'slice') && r.lo === undefined && r.hi === undefined)) return unknown('rows of a table picked by label');
      const cc = c === undefined ? { n: colsOf(f), one: false } : columnCount(c, colsOf(f));
      return cc ? frame(lib, rowsOf(f), cc.n, cc.one || seriesOf(f), loc) : unknown('columns of a table');
    }
    return fromShape(lib, indexTensor(lib, f.attrs.get('values') as ReturnType<typeof tensor>, idx, loc), loc);
  }
  const key = idx[0];
  if (seriesOf(obj)) return isKind(key, 'slice') ? fromShape(lib, indexTensor(lib, obj.attrs.get('values') as ReturnType<typeof tensor>, idx, loc), loc) : unknown('a value of a Series');
  const cc = idx.length === 1 ? columnCount(key, colsOf(obj)) : undefined;
  if (cc) return frame(lib, rowsOf(obj), cc.n, cc.one, loc);
  // `df[:100]` slices rows; a boolean mask (`df[df.label == 1]`) keeps rows only data decides.
  if (isKind(key, 'slice')) return fromShape(lib, indexTensor(lib, obj.attrs.get('values') as ReturnType<typeof tensor>, idx, loc), loc);
  return unknown('rows of a table picked by a condition');
}

/** How many labels a `drop` names. */
const labelCount = (v: Value | undefined): number | undefined => (typeof v === 'string' || isNum(v) ? 1 : isSeq(v) ? v.items.length : undefined);

const SAME_SHAPE = new Set(['copy', 'dropna', 'drop_duplicates', 'fillna', 'reset_index', 'astype', 'sort_values', 'sort_index', 'replace', 'rename', 'map', 'apply', 'ffill', 'bfill', 'interpolate', 'clip', 'abs', 'round', 'infer_objects', 'set_axis']);

export const METHODS: MethodTable = {
  frame: (lib, self, name, pos, kw, loc) => {
    const rows = rowsOf(self), cols = colsOf(self), series = seriesOf(self);
    if (kw.get('inplace') === true) return null;
    if (name === 'to_numpy' || name === 'as_matrix' || name === 'get_values') return self.attrs.get('values') ?? UNKNOWN;
    if (name === 'tolist' || name === 'to_list') {
      const l = list(rows > 0 ? [unknown('a value of a table')] : []);
      stateLength(l, rows);
      return l;
    }
    if (name === 'head' || name === 'tail') { const n = isNum(pos[0]) ? pos[0] : isNum(kw.get('n')) ? (kw.get('n') as number) : 5; return frame(lib, Math.min(rows, n), cols, series, loc); }
    if (name === 'sample') {
      const n = kw.get('n') ?? pos[0], frac = kw.get('frac');
      const r = isNum(n) ? n : isNum(frac) ? Math.round(frac * rows) : 1;
      return frame(lib, Math.min(rows, r), cols, series, loc);
    }
    if (name === 'drop') {
      const byCols = kw.has('columns') || kw.get('axis') === 1 || kw.get('axis') === 'columns' || pos[1] === 1;
      const n = labelCount(kw.get('columns') ?? kw.get('index') ?? kw.get('labels') ?? pos[0]);
      if (n === undefined) return unknown('a table without labels FlopLens does not know');
      return byCols ? frame(lib, rows, Math.max(0, cols - n), series, loc) : frame(lib, Math.max(0, rows - n), cols, series, loc);
    }
    if (SAME_SHAPE.has(name)) return frame(lib, rows, cols, series, loc);
    if (name === '__len__') return rows;
    return unknown(`${series ? 'Series' : 'DataFrame'}.${name}()`);
  },
};

/** Rows of an array-like for a split: a tensor's dim 0, a table's rows, a listing's length. */
function rowCount(v: Value | undefined): number | undefined {
  if (isTensorV(v)) return v.shape[0];
  if (isFrame(v)) return rowsOf(v);
  if (isSeq(v)) return statedLength(v) ?? v.items.length;
  return undefined;
}

/** `v` with `n` rows. */
function withRows(lib: Library, v: Value, n: number, loc?: Loc): Value {
  if (isTensorV(v)) return tensor([n, ...v.shape.slice(1)], v.dtype);
  if (isFrame(v)) return frame(lib, n, colsOf(v), seriesOf(v), loc);
  if (isSeq(v)) { const l: ListValue = { kind: 'list', items: v.items.slice(0, Math.min(1, n)) }; stateLength(l, n); return l; }
  return UNKNOWN;
}

export const ROUTES: Route[] = [
  {
    // sklearn's split of arrays by rows: n_test = ceil(test_size × n) (a float) or test_size (an int); default 0.25.
    exact: ['sklearn.model_selection.train_test_split', 'sklearn.cross_validation.train_test_split'],
    handler: (lib, { pos, kw, loc }) => {
      const ns = pos.map(rowCount);
      const n = ns[0];
      if (!pos.length || n === undefined || ns.some((x) => x !== n)) return NOT_MINE;
      const test = kw.get('test_size'), train = kw.get('train_size');
      const nTest = isNum(test) ? (test < 1 ? Math.ceil(test * n) : test) : isNum(train) ? n - (train < 1 ? Math.floor(train * n) : train) : Math.ceil(0.25 * n);
      const nTrain = isNum(train) ? (train < 1 ? Math.floor(train * n) : train) : n - nTest;
      return list(pos.flatMap((a) => [withRows(lib, a, nTrain, loc), withRows(lib, a, nTest, loc)]));
    },
  },
];
