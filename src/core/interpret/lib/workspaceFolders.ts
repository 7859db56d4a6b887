/**
 * Folders of the workspace the host listed (AnalyzeInput.folders; which ones: src/core/folderListings.ts):
 * `glob.glob('data/samples/*.*')` gives the matching paths, `os.listdir('data/samples')` the entry names, so a
 * script's own Dataset over a samples folder has the folder's real length (`len(self.files)`) and an inference loop
 * over it its real steps. Said once per folder (info 'folder'). A folder the host did not list is left to the catalog's
 * dataset folders (folders.ts) and then the stdlib's unknown.
 */
import type { Loc } from '../../types';
import { relativeKey } from '../../dataFiles';
import type { FolderListing } from '../../folderListings';
import type { ListValue, Value } from '../values';
import type { Library } from './library';

/** A glob component (`*.*`, `*.jpg`, `img_?.png`, `[ab]*`) as a regular expression; hidden files match no leading `*`. */
function globRegex(part: string): RegExp {
  let re = '';
  for (let i = 0; i < part.length; i++) {
    const c = part[i];
    if (c === '*') re += '[^/]*';
    else if (c === '?') re += '[^/]';
    else if (c === '[') {
      const end = part.indexOf(']', i + 2);
      if (end < 0) { re += '\\['; continue; }
      const body = part.slice(i + 1, end);
      re += `[${body.startsWith('!') ? `^${body.slice(1)}` : body}]`.replace(/\\/g, '\\\\');
      i = end;
    } else re += c.replace(/[.+^${}()|\\]/g, '\\$&');
  }
  return new RegExp(`^(?!\\.)${re}$`);
}

const said = new WeakMap<Library, Set<string>>();

function listed(lib: Library, dir: string): FolderListing | undefined {
  const key = relativeKey(dir);
  return key ? lib.cx.opts.folders?.find((f) => f.name === key) : undefined;
}

/**
 * `glob.glob(pattern)` / `glob.iglob` / `os.listdir(dir)` of a folder the host listed: the paths (glob, joined to the
 * folder as the script wrote it) or names (listdir); undefined when the folder was not listed or the pattern reaches
 * into sub-folders. `total` is more than the items when the host cut the listing (the caller states that length).
 */
export function workspaceListing(lib: Library, fn: string, given: string, loc?: Loc): { list: ListValue; total: number } | undefined {
  const isGlob = fn !== 'os.listdir';
  const cut = given.replace(/\/+$/, '').lastIndexOf('/');
  const dir = isGlob ? (cut < 0 ? '.' : given.slice(0, cut)) : given;
  const part = isGlob ? given.slice(cut + 1) : '*';
  if (/[*?[]/.test(dir)) return undefined; // data/*/images/*.jpg: sub-folders are not listed
  const f = listed(lib, dir);
  if (!f) return undefined;
  const re = isGlob ? globRegex(part) : /^/;
  const names = f.entries.filter((e) => (isGlob ? re.test(e.replace(/\/$/, '')) : true)).map((e) => e.replace(/\/$/, ''));
  const items: Value[] = names.map((n) => (isGlob ? `${given.slice(0, cut + 1)}${n}` : n));
  const out: ListValue = { kind: 'list', items };
  // A folder cut by the host: the matches scale with the entries not passed (the total is known, the names are not).
  const total = f.total > f.entries.length && f.entries.length ? Math.round((names.length * f.total) / f.entries.length) : names.length;
  const s = said.get(lib) ?? new Set<string>();
  said.set(lib, s);
  if (!s.has(given)) {
    s.add(given);
    lib.cx.problem('info', 'folder', `${fn}('${given}'): ${total.toLocaleString('en-US')} ${isGlob ? 'matching files' : 'entries'} in the workspace folder ${f.path}.`, loc);
  }
  return { list: out, total };
}
