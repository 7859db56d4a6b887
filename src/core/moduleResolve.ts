/**
 * Where a local import is found: one rule for every host (the CLI reads with Node's fs, the extension with VS Code's
 * file system; the core only names the files to try). Paths are POSIX, relative to the workspace root ('' is the root).
 *
 * - A relative import (`from .resnet import ResNet` in `models/__init__.py`) is looked up in the importer's package
 *   folder (one folder up per extra dot) and named after that package (`models.resnet`).
 * - An absolute import (`from models import *`) is looked up as Python would find it from the script: the script's
 *   folder (sys.path[0]), then each parent folder up to the root (what `sys.path.append('..')` or `pip install -e .`
 *   at the root gives), then the importer's own folder (a module importing its sibling by bare name).
 * - `a.b` is `a/b.py` or the package `a/b/__init__.py`, in that order, in each folder.
 */

/** The file that imports: its dotted module name ('' for the analysed script) and its root-relative path. */
export interface Importer {
  name: string;
  path: string;
}

export interface ModuleLookup {
  /** Absolute dotted name the module is known by (`models.resnet`); the core's `ModuleSource.name`. */
  name: string;
  /** Root-relative files to try, in order; the first that exists is the module. */
  candidates: string[];
}

const dirOf = (p: string): string => (p.includes('/') ? p.slice(0, p.lastIndexOf('/')) : '');
const join = (...parts: string[]): string => parts.filter(Boolean).join('/');

/**
 * Packages FlopLens describes itself (src/core/interpret/lib/torchtune.ts): an import of one is the library, never a copy
 * of its source in the workspace (a recipe in torchtune's own repository imports `torchtune`, whose builders and config
 * machinery the evaluator cannot run as written; the description gives their models and datasets).
 */
export const DESCRIBED_PACKAGES: ReadonlySet<string> = new Set(['torchtune']);

/** Whether a module file is a package (`…/__init__.py`). */
export const isPackageFile = (path: string): boolean => /(^|\/)__init__\.py$/.test(path);

/**
 * Absolute dotted name of `module` imported with `level` leading dots by `importer` (its dotted name, '' for the
 * script, and whether it is a package's `__init__.py`). Undefined when the dots climb above the top package.
 * The script's own relative imports (`from .model import GPT` in train.py) resolve against its folder: `model`.
 */
export function absoluteModuleName(module: string, level: number, importerName: string, importerIsPackage: boolean): string | undefined {
  if (level === 0) return module || undefined;
  const pkg = importerName ? importerName.split('.') : [];
  if (importerName && !importerIsPackage) pkg.pop();
  for (let i = 1; i < level; i++) {
    if (!pkg.length) return importerName ? undefined : module || undefined;
    pkg.pop();
  }
  const out = [...pkg, ...(module ? module.split('.') : [])].join('.');
  return out || undefined;
}

/**
 * The files to try for an import `raw` (dotted, with leading dots when relative, as `localImports` lists it) made by
 * `importer`, for a script whose folder is `scriptDir`. Undefined for a relative import that leaves the root.
 */
export function lookupModule(raw: string, importer: Importer, scriptDir: string): ModuleLookup | undefined {
  const level = /^\.*/.exec(raw)![0].length;
  const rest = raw.slice(level);
  const parts = rest.split('.').filter(Boolean);
  const importerDir = dirOf(importer.path);
  const files = (base: string): string[] => (parts.length ? [`${join(base, ...parts)}.py`, join(base, ...parts, '__init__.py')] : [join(base, '__init__.py')]);
  if (level > 0) {
    let base = importerDir;
    for (let i = 1; i < level; i++) {
      if (!base) return undefined;
      base = dirOf(base);
    }
    const name = absoluteModuleName(rest, level, importer.name, isPackageFile(importer.path));
    if (!name) return undefined;
    return { name, candidates: files(base) };
  }
  if (!parts.length || DESCRIBED_PACKAGES.has(parts[0])) return undefined;
  const bases: string[] = [];
  for (let d = scriptDir; ; d = dirOf(d)) {
    bases.push(d);
    if (!d) break;
  }
  if (!bases.includes(importerDir)) bases.push(importerDir);
  // A module of package `pkg` whose folder holds a sub-package named like an installed library (llama_cookbook/datasets/
  // importing Hugging Face's `datasets`): that folder is not the library it imports (Python, run as `-m pkg.script`,
  // finds the installed one; the folder would be a circular import of itself).
  const own = (b: string) => importer.name !== '' && importer.path.startsWith(`${join(b, parts[0])}/`) && importer.name !== parts[0] && !importer.name.startsWith(`${parts[0]}.`);
  return { name: rest, candidates: bases.filter((b) => !own(b)).flatMap(files) };
}
