/**
 * Folder listings of well-known datasets: `glob.glob('../../data/facades/train/*.*')`, `os.listdir(
 * 'dataset/BSDS300/images/train')`. FlopLens reads no files, but a folder named after a dataset of the catalog in its
 * usual download layout holds a known number of images (`DatasetInfo.folders`, else the split's size). The listing is a
 * list of that stated length whose one item stands for every file: `len()`, `sorted()`, `list()`, slices
 * (`files[:-4000]`) and `.extend()` keep the count, so a script's own Dataset whose `__len__` is `len(self.files)` is of
 * the dataset's size and the steps follow. A folder the catalog does not know stays unknown (the stdlib route).
 */
import type { Loc } from '../../types';
import { datasetFromPath } from '../../data/datasets';
import { isNum, isSeq, unknown } from '../values';
import type { ListValue, SliceValue, Value } from '../values';
import { NOT_MINE } from './dispatch';
import type { Route } from './dispatch';
import type { Library } from './library';
import { fmt } from './util';
import { workspaceListing } from './workspaceFolders';

/** Lists whose length is stated rather than held: item count of a folder listing. */
const stated = new WeakMap<object, number>();

/** The stated length of a folder listing (or a list derived from one), when `v` is one. */
export function statedLength(v: Value | undefined): number | undefined {
  return v && typeof v === 'object' ? stated.get(v) : undefined;
}

/** States that list `l` has `n` items (its held items stand for the rest: the last one repeats). */
export function stateLength(l: ListValue, n: number): void {
  stated.set(l, n);
}

/** A list of stated length `n` holding one item that stands for each. */
function listing(kind: 'list' | 'tuple', item: Value, n: number): ListValue {
  const l: ListValue = { kind, items: n > 0 ? [item] : [] };
  stated.set(l, n);
  return l;
}

/** `sorted(files)`, `list(files)`, `reversed(files)`: the same stated length. Undefined when `v` is not a listing. */
export function copyListing(kind: 'list' | 'tuple', v: Value | undefined): ListValue | undefined {
  const n = statedLength(v);
  return n === undefined || !isSeq(v) ? undefined : listing(kind, v.items[0] ?? unknown('a file'), n);
}

/** `files[a:b:c]` of a listing: the count of the slice, as Python's slice of that many items gives. */
export function sliceListing(v: Value, s: SliceValue): ListValue | undefined {
  const n = statedLength(v);
  if (n === undefined || !isSeq(v)) return undefined;
  const step = s.step ?? 1;
  if (step === 0) return undefined;
  const [lo, hi] = [s.lo ?? (step > 0 ? 0 : n - 1), s.hi ?? (step > 0 ? n : -n - 1)].map((x) => (x < 0 ? x + n : x));
  const count = step > 0 ? Math.max(0, Math.ceil((Math.min(n, hi) - Math.max(0, lo)) / step)) : Math.max(0, Math.ceil((Math.min(n - 1, lo) - Math.max(-1, hi)) / -step));
  return listing(v.kind, v.items[0] ?? unknown('a file'), count);
}

/** `files.extend(more)` where either is a listing: the list's stated length grows by the other's length. */
export function extendListing(self: ListValue, more: Value | undefined, moreLen: Value): boolean {
  const a = statedLength(self);
  const b = statedLength(more);
  if (a === undefined && b === undefined) return false;
  const add = b ?? (isNum(moreLen) ? moreLen : undefined);
  const base = a ?? self.items.length;
  if (add === undefined) return false;
  stated.set(self, base + add);
  if (self.items.length === 0 && isSeq(more) && more.items.length) self.items.push(more.items[0]);
  return true;
}

/** A loop over a listing: as many passes as it has files, each a file of the folder (a comprehension builds them all). */
export function listingIter(v: ListValue): { trips: number; elem: Value; label: string } | undefined {
  const n = statedLength(v);
  return n === undefined ? undefined : { trips: n, elem: v.items[0] ?? unknown('a file'), label: 'files of a dataset folder' };
}

/** The image files a listing of `path` finds, when the path is a folder of a catalog dataset. */
function folderCount(path: string): { n: number; what: string; source: string } | undefined {
  const found = datasetFromPath(path.replace(/[^/\\]*[*?[][^/\\]*$/, ''));
  if (!found) return undefined;
  const { info, folder } = found;
  const parts = path.split(/[\\/]+/).filter((x) => x && x !== '.' && x !== '..');
  const at = parts.lastIndexOf(folder);
  const under = parts.slice(at + 1).filter((x) => !/[*?[]/.test(x)).join('/');
  const own = info.folders?.[under];
  if (own !== undefined) return { n: own, what: `${info.name} '${under}'`, source: info.source };
  if (under === '') return { n: info.all ?? info.train, what: `${info.name} (the whole folder)`, source: info.source };
  const n = found.train ? info.train : info.test ?? info.train;
  return { n, what: `${info.name} ${found.train ? 'training' : 'evaluation'} split`, source: info.source };
}

function listFolder(lib: Library, p: string, given: Value | undefined, loc?: Loc): Value | typeof NOT_MINE {
  if (typeof given !== 'string') return NOT_MINE;
  const own = workspaceListing(lib, p, given, loc); // a folder of the workspace the host listed
  if (own) { if (own.total > own.list.items.length) stated.set(own.list, own.total); return own.list; }
  const c = folderCount(given);
  if (!c) return NOT_MINE;
  lib.cx.problem('info', 'dataset', `${p}('${given}'): FlopLens reads no files; the folder is read as ${c.what}, ${fmt(c.n)} images (${c.source}). Add \`# floplens: dataset_size=N\` if this copy differs.`, loc);
  // Each item is a file of the folder: not an unknown value, so a comprehension over the listing keeps every one.
  return listing('list', lib.obj('file', [['path', unknown(`a file of '${given}'`)]], loc), c.n);
}

export const ROUTES: Route[] = [
  {
    exact: ['glob.glob', 'glob.iglob', 'os.listdir'],
    handler: (lib, { path: p, pos, kw, loc }) => listFolder(lib, p, pos[0] ?? kw.get('pathname') ?? kw.get('path'), loc),
  },
];
