/**
 * The CLI's reader of the config files a script names (the core's rule: src/core/configFiles.ts): each name is looked
 * for beside the script, then at the root; never outside the root (a symbolic link counts where it leads), at most
 * MAX_CONFIG_FILE_BYTES each. Hydra's defaults lists name more files once the primary config is read, so the names
 * are asked again with what has been read, a few rounds.
 */
import * as fs from 'fs';
import * as path from 'path';
import type { ConfigFileSource } from '../core/api';
import { configFileKey, configFileNames, MAX_CONFIG_FILE_BYTES } from '../core/configFiles';
import { stripBom } from '../core/notebook';
import { locate } from './dataFiles';
import { dataFormat, MAX_DATA_FILE_BYTES } from '../core/dataFiles';
import { MAX_TEXT_FILE_BYTES, textFileKey } from '../core/textFiles';

/** Reads the config files named by `texts` (the script and its local modules) for the script `file`, within `root`. */
export function readConfigFiles(file: string, texts: string[], root: string, skipped: string[] = []): ConfigFileSource[] {
  const rootAbs = path.resolve(root);
  let rootReal = rootAbs;
  try {
    rootReal = fs.realpathSync(rootAbs);
  } catch {
    return [];
  }
  const scriptDir = path.dirname(path.resolve(file));
  const out: ConfigFileSource[] = [];
  const tried = new Set<string>();
  for (let round = 0; round < 6; round++) {
    const fresh = configFileNames(texts, out).filter((n) => !tried.has(n));
    if (!fresh.length) break;
    for (const name of fresh) {
      tried.add(name);
      const found = locate(name, scriptDir, rootAbs, rootReal);
      if (!found) continue;
      // A plain-text file over the limit is data: the data-file reader gives its counts.
      if (!configFileKey(name) && textFileKey(name) && found.size > MAX_TEXT_FILE_BYTES) continue;
      if (found.size > MAX_CONFIG_FILE_BYTES) {
        // A JSON file too large for a config is data (records): the data-file reader gives its counts.
        if (dataFormat(name) === 'json' && found.size <= MAX_DATA_FILE_BYTES) continue;
        skipped.push(`FlopLens did not read the config file ${found.rel}: ${(found.size / 1e6).toFixed(1)} MB, over the ${MAX_CONFIG_FILE_BYTES / 1e6} MB limit for a config file.`);
        continue;
      }
      try {
        out.push({ name, path: found.rel, text: stripBom(fs.readFileSync(found.abs, 'utf8')) });
      } catch {
        // Unreadable: as if absent.
      }
    }
  }
  return out;
}
