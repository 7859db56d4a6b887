/**
 * Folders of the workspace a script lists (`glob.glob('%s/*.*' % 'data/samples')`, `os.listdir('images/test')`): an
 * inference script over a samples folder runs once per file, so the number of files decides its steps. The core does no
 * I/O: a host asks `folderNames` which folders the script names (folder-like string literals of the script and its
 * local modules, and the folder of a glob pattern's literal), lists each it finds beside the script, then at the workspace root (never outside it, never through a
 * link out of it; at most MAX_FOLDER_ENTRIES names kept, the total counted) and passes them as `folders`. The
 * evaluator's glob/listdir of such a folder gives its real entries (interpret/lib/workspaceFolders.ts).
 */
import { relativeKey } from './dataFiles';

/** A folder the host listed: the name the script uses, its workspace-relative path, its entries (folders end in '/'). */
export interface FolderListing {
  name: string;
  path: string;
  /** Entry names, sorted; sub-folders end in '/'. At most MAX_FOLDER_ENTRIES. */
  entries: string[];
  /** Entries in the folder (more than `entries.length` when the list was cut). */
  total: number;
}

/** Most folders one analysis asks for. */
export const MAX_FOLDERS = 16;
/** Most entry names a host passes per folder (the total is still counted). */
export const MAX_FOLDER_ENTRIES = 4096;

const LITERAL = /(['"])((?:[^'"\\\n]|\\.){1,200}?)\1/g;
const FOLDER_LIKE = /^(?:\.{1,2}\/)?[\w.-]+(?:\/[\w.-]+)*\/?$/;
/** A last component that names a file, not a folder. */
const FILE_LIKE = /\.(py|ipynb|ya?ml|json|jsonl|txt|csv|tsv|cfg|ini|conf|names|data|npy|npz|pt|pth|bin|ckpt|safetensors|onnx|weights|png|jpe?g|gif|bmp|webp|md|sh|log|gz|zip|tar|pkl|h5|wav|mp3|mp4)$/i;

/** The folders a script and its local modules name, as workspace keys (relative, POSIX), at most MAX_FOLDERS. */
export function folderNames(texts: readonly string[]): string[] {
  const out = new Set<string>();
  for (const text of texts) {
    for (const m of text.slice(0, 2_000_000).matchAll(LITERAL)) {
      // A glob pattern's folder: 'data/samples/*.jpg' names data/samples.
      const s = /^[^*?[]+\/[^/]*[*?[][^/]*$/.test(m[2]) ? m[2].slice(0, m[2].lastIndexOf('/')) : m[2];
      if (!s.includes('/') || !FOLDER_LIKE.test(s) || FILE_LIKE.test(s) || /^(https?|s3|gs)$/.test(s.split('/')[0])) continue;
      const key = relativeKey(s);
      if (key && !key.startsWith('..')) out.add(key);
      if (out.size >= MAX_FOLDERS) return [...out];
    }
  }
  return [...out];
}
