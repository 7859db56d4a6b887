/**
 * The CLI's lister of the folders a script names (the core's rule: src/core/folderListings.ts): each name is looked for
 * beside the script, then at the root; never outside the root (a symbolic link counts where it leads). Entry names
 * only, at most MAX_FOLDER_ENTRIES kept (sorted; folders end in '/'), the total counted.
 */
import * as fs from 'fs';
import * as path from 'path';
import { folderNames, MAX_FOLDER_ENTRIES, type FolderListing } from '../core/folderListings';
import { realRoot } from './dataFiles';

const inside = (p: string, base: string) => p === base || p.startsWith(base + path.sep);

/** Lists the folders `texts` (the script and its local modules) name for the script `file`, within `root`. */
export function readFolders(file: string, texts: string[], root: string): FolderListing[] {
  const r = realRoot(root);
  if (!r) return [];
  const { rootAbs, rootReal } = r;
  const scriptDir = path.dirname(path.resolve(file));
  const out: FolderListing[] = [];
  for (const name of folderNames(texts)) {
    for (const base of [scriptDir, rootAbs]) {
      const abs = path.resolve(base, ...name.split('/'));
      if (!inside(abs, rootAbs)) continue;
      try {
        if (!fs.statSync(abs).isDirectory() || !inside(fs.realpathSync(abs), rootReal)) continue;
        const all = fs.readdirSync(abs, { withFileTypes: true }).map((d) => (d.isDirectory() ? `${d.name}/` : d.name)).sort();
        out.push({ name, path: path.relative(rootAbs, abs).split(path.sep).join('/') || '.', entries: all.slice(0, MAX_FOLDER_ENTRIES), total: all.length });
        break;
      } catch {
        // Not there or unreadable: the next place.
      }
    }
  }
  return out;
}
