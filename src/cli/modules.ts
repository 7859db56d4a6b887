/**
 * The CLI's reader of local modules (the extension has its own, on VS Code's file system API; both follow the
 * core's rule in src/core/moduleResolve.ts): what a script imports from its folder, its package folders and
 * the folders above it, read recursively and never outside a root. A separate file so
 * that tests and tools can use it without running the CLI.
 */
import * as fs from 'fs';
import * as path from 'path';
import { localImports } from '../core/analyze';
import type { ModuleSource } from '../core/api';
import { lookupModule, type Importer } from '../core/moduleResolve';
import { stripBom } from '../core/notebook';

/** Largest local module the CLI reads, bytes. */
export const MAX_MODULE_BYTES = 4_000_000;

/**
 * Read the local modules a script imports, recursively, never outside `root` (a symbolic link counts where it
 * leads). Modules over the size limit are not read; `skipped` receives a sentence for each. `cacheKey`: the `file`
 * the following `analyze` call is given, so the script is parsed once for its imports and its analysis.
 */
export function readLocalModules(file: string, text: string, root: string, limit = 64, skipped: string[] = [], cacheKey?: string): ModuleSource[] {
  const out: ModuleSource[] = [];
  const seen = new Set<string>();
  const rootAbs = path.resolve(root);
  const toPosix = (p: string) => p.split(path.sep).join('/');
  const scriptPath = toPosix(path.relative(rootAbs, path.resolve(file)));
  const scriptDir = scriptPath.includes('/') ? scriptPath.slice(0, scriptPath.lastIndexOf('/')) : '';
  const queue: { text: string; depth: number; importer: Importer }[] = [{ text, depth: 0, importer: { name: '', path: scriptPath } }];
  let rootReal = rootAbs;
  try {
    rootReal = fs.realpathSync(rootAbs);
  } catch {
    // A root that does not exist holds no module.
  }
  while (queue.length && out.length < limit) {
    const { text: t, depth, importer } = queue.shift()!;
    if (depth > 8) continue;
    for (const raw of localImports(t, depth === 0 ? cacheKey : undefined)) {
      // The shared rule (src/core/moduleResolve.ts) names the files to try; this host only reads them.
      const found = lookupModule(raw, importer, scriptDir);
      if (!found || seen.has(found.name)) continue;
      seen.add(found.name);
      for (const cand of found.candidates) {
        const abs = path.resolve(rootAbs, ...cand.split('/'));
        if (!abs.startsWith(rootAbs + path.sep) && abs !== rootAbs) continue;
        try {
          const st = fs.statSync(abs);
          if (!st.isFile() || !fs.realpathSync(abs).startsWith(rootReal + path.sep)) continue;
          if (st.size > MAX_MODULE_BYTES) {
            skipped.push(`FlopLens did not read the imported module ${path.relative(rootAbs, abs)}: ${(st.size / 1e6).toFixed(1)} MB, over the ${MAX_MODULE_BYTES / 1e6} MB limit for an imported module. What the script takes from it is not counted.`);
            break;
          }
          const src = stripBom(fs.readFileSync(abs, 'utf8'));
          out.push({ name: found.name, path: path.relative(rootAbs, abs), text: src });
          queue.push({ text: src, depth: depth + 1, importer: { name: found.name, path: cand } });
          break;
        } catch {
          // Not a local module (a library import); nothing to read.
        }
      }
    }
  }
  return out;
}
