/**
 * The CLI's reader of local modules (the extension has its own, on VS Code's file system API): what a
 * script imports from files beside it, read recursively and never outside a root. A separate file so
 * that tests and tools can use it without running the CLI.
 */
import * as fs from 'fs';
import * as path from 'path';
import { localImports } from '../core/analyze';
import type { ModuleSource } from '../core/api';
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
  const dir = path.dirname(file);
  const queue: { text: string; depth: number }[] = [{ text, depth: 0 }];
  const rootAbs = path.resolve(root);
  let rootReal = rootAbs;
  try {
    rootReal = fs.realpathSync(rootAbs);
  } catch {
    // A root that does not exist holds no module.
  }
  while (queue.length && out.length < limit) {
    const { text: t, depth } = queue.shift()!;
    if (depth > 8) continue;
    for (const name of localImports(t, depth === 0 ? cacheKey : undefined)) {
      if (seen.has(name)) continue;
      seen.add(name);
      const rel = name.split('.');
      for (const cand of [path.join(dir, ...rel) + '.py', path.join(dir, ...rel, '__init__.py')]) {
        const abs = path.resolve(cand);
        if (!abs.startsWith(rootAbs + path.sep) && abs !== rootAbs) continue;
        try {
          const st = fs.statSync(abs);
          if (!st.isFile() || !fs.realpathSync(abs).startsWith(rootReal + path.sep)) continue;
          if (st.size > MAX_MODULE_BYTES) {
            skipped.push(`FlopLens did not read the imported module ${path.relative(rootAbs, abs)}: ${(st.size / 1e6).toFixed(1)} MB, over the ${MAX_MODULE_BYTES / 1e6} MB limit for an imported module. What the script takes from it is not counted.`);
            break;
          }
          const src = stripBom(fs.readFileSync(abs, 'utf8'));
          out.push({ name, path: path.relative(rootAbs, abs), text: src });
          queue.push({ text: src, depth: depth + 1 });
          break;
        } catch {
          // Not a local module (a library import); nothing to read.
        }
      }
    }
  }
  return out;
}
