import * as vscode from 'vscode';
import type { ConfigFileSource, ModuleSource } from '../core/api';
import { configFileKey, configFileNames, configTargetImports, workspaceFileKey } from '../core/configFiles';
import { MAX_TEXT_FILE_BYTES } from '../core/textFiles';
import { folderNames, MAX_FOLDER_ENTRIES, type FolderListing } from '../core/folderListings';
import { lookupModule, type Importer } from '../core/moduleResolve';
import { dataFileNames, relativeKey, type DataFacts, type DataFileSource } from '../core/dataFiles';
import { DEFAULT_DATA_LIMITS, factsOfBytes, refuse, type DataReadLimits } from '../cli/dataBytes';

/** Bounds on what the host reads for one analysis. */
export interface ModuleLimits {
  /** Import hops followed from the script (1 = only its own imports). */
  maxDepth: number;
  maxModules: number;
  /** Largest module read, bytes. */
  maxFileBytes: number;
  /** All modules together, bytes. */
  maxTotalBytes: number;
}

export const DEFAULT_MODULE_LIMITS: ModuleLimits = { maxDepth: 3, maxModules: 24, maxFileBytes: 512 * 1024, maxTotalBytes: 4 * 1024 * 1024 };

/** Top-level packages that are never local; skipping them saves file-system round trips. */
const EXTERNAL = new Set([
  'torch', 'torchvision', 'torchaudio', 'torchtext', 'numpy', 'scipy', 'pandas', 'transformers', 'datasets', 'diffusers',
  'timm', 'accelerate', 'peft', 'bitsandbytes', 'sklearn', 'matplotlib', 'tqdm', 'os', 'sys', 'math', 'time', 'json',
  'argparse', 'dataclasses', 'typing', 'collections', 'functools', 'itertools', 're', 'random', 'pathlib', 'logging',
  'lightning', 'pytorch_lightning', 'einops', 'wandb', 'tensorboard', 'PIL', 'cv2', 'jax', 'flax', 'tensorflow', 'keras',
  'safetensors', 'tokenizers', 'huggingface_hub', 'deepspeed', 'xformers', 'flash_attn', 'triton', 'contextlib', 'copy',
  'abc', 'enum', 'warnings', 'inspect', 'pickle', 'glob', 'shutil', 'subprocess', 'socket', 'datetime', 'string',
]);

const DOTTED = /^\.*[A-Za-z_]\w*(\.[A-Za-z_]\w*)*$|^\.+$/;

export interface ModuleReadResult {
  modules: ModuleSource[];
  /** URIs (toString) of every module read, for re-analysing dependents on change. */
  uris: string[];
  /** Modules found but not read because of a limit (workspace-relative path and why), to tell the user. */
  skipped: { path: string; reason: string }[];
  /** Config files the script and its modules name (src/core/configFiles.ts), read beside the script, then at the folder's root. */
  files?: ConfigFileSource[];
  /** Folders the script and its modules name (src/core/folderListings.ts), listed beside the script, then at the root. */
  folders?: FolderListing[];
}

/**
 * Reads the local modules a script imports, following their imports too, within bounds, where the core's rule
 * (src/core/moduleResolve.ts) says Python would find them (the CLI follows the same rule). Only files inside
 * a workspace folder are read (never outside, never over the network beyond the workspace's own file
 * system provider); open documents are read from the editor so unsaved edits count.
 */
export class ModuleReader {
  private readonly cache = new Map<string, { mtime: number; size: number; text: string }>();
  /** Folders inside the workspace and whether each is a symbolic link, with when that was checked. */
  private readonly linkedDirs = new Map<string, { link: boolean; at: number }>();

  constructor(
    private readonly localImports: (text: string, cacheKey?: string) => string[] | Promise<string[]>,
    private readonly limits: ModuleLimits = DEFAULT_MODULE_LIMITS,
  ) {}

  async read(documentUri: vscode.Uri, texts: readonly string[], token?: vscode.CancellationToken): Promise<ModuleReadResult> {
    const folder = vscode.workspace.getWorkspaceFolder(documentUri);
    if (!folder) return { modules: [], uris: [], skipped: [] };
    const modules: ModuleSource[] = [];
    const uris: string[] = [];
    const skipped: ModuleReadResult['skipped'] = [];
    const seen = new Set<string>([documentUri.toString()]);
    const seenNames = new Set<string>();
    let total = 0;
    // A script's text is parsed under the key its analysis uses (its workspace-relative path), so the
    // analysis that follows reuses this parse; notebook cells are small and parsed on their own.
    const ownKey = texts.length === 1 ? vscode.workspace.asRelativePath(documentUri, false) : undefined;
    // Paths below are POSIX and relative to the workspace folder, as the core's rule (src/core/moduleResolve.ts) takes them.
    const rel = (uri: vscode.Uri) => uri.path.slice(folder.uri.path.replace(/\/+$/, '').length + 1);
    const scriptPath = rel(documentUri);
    const scriptDir = scriptPath.includes('/') ? scriptPath.slice(0, scriptPath.lastIndexOf('/')) : '';
    let frontier: { raw: string; importer: Importer }[] = [];
    for (const t of texts) for (const raw of await this.importsOf(t, ownKey)) frontier.push({ raw, importer: { name: '', path: scriptPath } });
    for (let depth = 0; depth < this.limits.maxDepth && frontier.length; depth++) {
      const next: typeof frontier = [];
      for (const { raw, importer } of frontier) {
        if (token?.isCancellationRequested) return { modules, uris, skipped };
        if (modules.length >= this.limits.maxModules) {
          skipped.push({ path: raw, reason: `over the limit of ${this.limits.maxModules} imported modules` });
          return { modules, uris, skipped };
        }
        const lookup = lookupModule(raw, importer, scriptDir);
        if (!lookup || seenNames.has(lookup.name)) continue;
        seenNames.add(lookup.name);
        const found = await this.resolve(lookup.candidates, folder);
        if (!found || seen.has(found.uri.toString())) continue;
        seen.add(found.uri.toString());
        const path = vscode.workspace.asRelativePath(found.uri, false);
        if (found.text === undefined) {
          skipped.push({ path, reason: `${kb(found.size)} KB, over the ${kb(this.limits.maxFileBytes)} KB limit for an imported module` });
          continue;
        }
        if (total + found.text.length > this.limits.maxTotalBytes) {
          skipped.push({ path, reason: `the imported modules together would exceed ${kb(this.limits.maxTotalBytes)} KB` });
          continue;
        }
        total += found.text.length;
        modules.push({ name: lookup.name, path, text: found.text });
        uris.push(found.uri.toString());
        for (const child of await this.importsOf(found.text, path)) next.push({ raw: child, importer: { name: lookup.name, path: rel(found.uri) } });
      }
      frontier = next;
    }
    const files = await this.readConfigFiles([...texts, ...modules.map((m) => m.text)], scriptDir, folder, uris, token);
    // Modules the config files name as objects to build (Hydra's `_target_`), though the script does not import them.
    const targets = configTargetImports(files);
    if (targets && !token?.isCancellationRequested) {
      // Two texts: the import lines are not parsed under the script's own cache key.
      const more = await this.read(documentUri, [targets, ''], token);
      const have = new Set(modules.map((m) => m.name));
      for (const m of more.modules) if (!have.has(m.name) && modules.length < this.limits.maxModules) modules.push(m);
      for (const u of more.uris) if (!uris.includes(u)) uris.push(u);
      skipped.push(...more.skipped);
    }
    const folders = await this.readFolders([...texts, ...modules.map((m) => m.text)], scriptDir, folder);
    return { modules, uris, skipped, files, folders };
  }

  /** The folders `texts` name, listed (entry names only) beside the script, then at the folder's root; inside it only. */
  private async readFolders(texts: string[], scriptDir: string, folder: vscode.WorkspaceFolder): Promise<FolderListing[]> {
    const out: FolderListing[] = [];
    for (const name of folderNames(texts)) {
      const candidates = [relativeKey(scriptDir ? `${scriptDir}/${name}` : name), relativeKey(name)].filter((c): c is string => !!c && !c.startsWith('..'));
      for (const cand of new Set(candidates)) {
        const uri = vscode.Uri.joinPath(folder.uri, ...cand.split('/'));
        if (!this.inside(uri, folder) || await this.throughLink(uri, folder)) continue;
        try {
          const all = (await vscode.workspace.fs.readDirectory(uri)).map(([n, t]) => (t & vscode.FileType.Directory ? `${n}/` : n)).sort();
          out.push({ name, path: cand, entries: all.slice(0, MAX_FOLDER_ENTRIES), total: all.length });
          break;
        } catch {
          // Not a folder here: the next place.
        }
      }
    }
    return out;
  }

  /**
   * The config files `texts` name (YAML/JSON; Hydra's defaults lists name more once the primary is read, so a few
   * rounds), each looked for beside the script, then at the workspace folder's root; inside the folder only.
   */
  private async readConfigFiles(texts: string[], scriptDir: string, folder: vscode.WorkspaceFolder, uris: string[], token?: vscode.CancellationToken): Promise<ConfigFileSource[]> {
    const files: ConfigFileSource[] = [];
    const tried = new Set<string>();
    for (let round = 0; round < 6 && !token?.isCancellationRequested; round++) {
      const fresh = configFileNames(texts, files).filter((n) => !tried.has(n));
      if (!fresh.length) break;
      for (const name of fresh) {
        tried.add(name);
        const candidates = [workspaceFileKey(scriptDir ? `${scriptDir}/${name}` : name), workspaceFileKey(name)].filter((c): c is string => !!c && !c.startsWith('..'));
        const found = await this.resolve([...new Set(candidates)], folder);
        if (found?.text === undefined) continue;
        if (!configFileKey(name) && found.size > MAX_TEXT_FILE_BYTES) continue; // a larger plain-text file is data (its facts)
        files.push({ name, path: vscode.workspace.asRelativePath(found.uri, false), text: found.text });
        uris.push(found.uri.toString());
      }
    }
    return files;
  }

  private async importsOf(text: string, cacheKey?: string): Promise<string[]> {
    try {
      return (await this.localImports(text, cacheKey)).filter((n) => DOTTED.test(n) && !EXTERNAL.has(n.split('.')[0]));
    } catch {
      return [];
    }
  }

  /** The first of the core's candidate files (workspace-relative) that is a readable file inside the folder. A file over the size limit is found without its text. */
  private async resolve(candidates: string[], folder: vscode.WorkspaceFolder): Promise<{ uri: vscode.Uri; text?: string; size: number } | undefined> {
    for (const cand of candidates) {
      const uri = vscode.Uri.joinPath(folder.uri, ...cand.split('/'));
      if (!this.inside(uri, folder) || await this.throughLink(uri, folder)) continue;
      const file = await this.readFile(uri);
      if (file) return { uri, ...file };
    }
    return undefined;
  }

  private inside(uri: vscode.Uri, folder: vscode.WorkspaceFolder): boolean {
    if (uri.scheme !== folder.uri.scheme || uri.authority !== folder.uri.authority) return false;
    const root = folder.uri.path.endsWith('/') ? folder.uri.path : `${folder.uri.path}/`;
    return uri.path.startsWith(root) && !uri.path.split('/').includes('..') && vscode.workspace.getWorkspaceFolder(uri)?.uri.toString() === folder.uri.toString();
  }

  /**
   * Whether a folder between the workspace folder and `uri` is a symbolic link. A stat reports a link only for
   * the last path component (the file itself is refused in `readFile`); a linked folder would otherwise lead
   * outside the workspace with every file in it looking like a plain file. Answers are kept for a few seconds.
   */
  private async throughLink(uri: vscode.Uri, folder: vscode.WorkspaceFolder): Promise<boolean> {
    const root = folder.uri.path.replace(/\/+$/, '');
    const rel = uri.path.slice(root.length + 1).split('/').slice(0, -1);
    let dir = folder.uri;
    for (const part of rel) {
      dir = vscode.Uri.joinPath(dir, part);
      const key = dir.toString();
      let linked = this.linkedDirs.get(key);
      if (!linked || Date.now() - linked.at > 5_000) {
        let isLink = false;
        try {
          isLink = ((await vscode.workspace.fs.stat(dir)).type & vscode.FileType.SymbolicLink) !== 0;
        } catch {
          isLink = false;
        }
        linked = { link: isLink, at: Date.now() };
        this.linkedDirs.set(key, linked);
        if (this.linkedDirs.size > 512) this.linkedDirs.delete(this.linkedDirs.keys().next().value as string);
      }
      if (linked.link) return true;
    }
    return false;
  }

  /** The file's text, or only its size when it is over the limit; undefined when it is not a plain file. */
  private async readFile(uri: vscode.Uri): Promise<{ text?: string; size: number } | undefined> {
    const key = uri.toString();
    const open = vscode.workspace.textDocuments.find((d) => d.uri.toString() === key);
    if (open) {
      const text = open.getText();
      return text.length <= this.limits.maxFileBytes ? { text, size: text.length } : { size: text.length };
    }
    try {
      const stat = await vscode.workspace.fs.stat(uri);
      if (stat.type !== vscode.FileType.File) return undefined;
      if (stat.size > this.limits.maxFileBytes) return { size: stat.size };
      const cached = this.cache.get(key);
      if (cached && cached.mtime === stat.mtime && cached.size === stat.size) return { text: cached.text, size: stat.size };
      const text = new TextDecoder('utf-8').decode(await vscode.workspace.fs.readFile(uri));
      this.cache.set(key, { mtime: stat.mtime, size: stat.size, text });
      return { text, size: stat.size };
    } catch {
      return undefined;
    }
  }

  private readonly dataFacts = new Map<string, { mtime: number; size: number; facts: DataFacts }>();

  /**
   * Facts (sizes and counts, never contents) of the data files `texts` name (src/core/dataFiles.ts), looked for beside
   * the script, then at its workspace folder's root, through the workspace file system, inside the folder only and
   * never through a link; cached by URI, modification time and size. Files over the size or time limit are named in
   * `skipped`.
   */
  async readDataFiles(documentUri: vscode.Uri, texts: string[], limits: DataReadLimits = DEFAULT_DATA_LIMITS): Promise<{ files: DataFileSource[]; skipped: string[] }> {
    const files: DataFileSource[] = [];
    const skipped: string[] = [];
    const folder = vscode.workspace.getWorkspaceFolder(documentUri);
    if (!folder) return { files, skipped };
    const scriptPath = documentUri.path.slice(folder.uri.path.replace(/\/+$/, '').length + 1);
    const scriptDir = scriptPath.includes('/') ? scriptPath.slice(0, scriptPath.lastIndexOf('/')) : '';
    const deadline = limits.now() + limits.budgetMs;
    for (const name of dataFileNames(texts)) {
      const candidates = [relativeKey(scriptDir ? `${scriptDir}/${name}` : name), relativeKey(name)].filter((c): c is string => !!c && !c.startsWith('..'));
      for (const cand of new Set(candidates)) {
        const uri = vscode.Uri.joinPath(folder.uri, ...cand.split('/'));
        if (!this.inside(uri, folder) || await this.throughLink(uri, folder)) continue;
        let stat: vscode.FileStat;
        try {
          stat = await vscode.workspace.fs.stat(uri);
        } catch {
          continue;
        }
        if (stat.type !== vscode.FileType.File) continue; // a link (File | SymbolicLink) is not followed
        const path = vscode.workspace.asRelativePath(uri, false);
        const key = uri.toString();
        const hit = this.dataFacts.get(key);
        let facts = hit && hit.mtime === stat.mtime && hit.size === stat.size ? hit.facts : undefined;
        if (!facts) {
          const refused = refuse(path, stat.size, limits);
          let got = refused;
          if (!got) {
            try {
              got = factsOfBytes(path, await vscode.workspace.fs.readFile(uri), stat.size, limits, deadline);
            } catch {
              break; // unreadable: as if absent
            }
          }
          if ('skip' in got) { skipped.push(got.skip); break; }
          facts = got.facts;
          this.dataFacts.set(key, { mtime: stat.mtime, size: stat.size, facts });
          if (this.dataFacts.size > 256) this.dataFacts.delete(this.dataFacts.keys().next().value as string);
        }
        files.push({ name, path, facts });
        break;
      }
    }
    return { files, skipped };
  }

  /** Forget a cached file (it changed on disk). */
  invalidate(uri: vscode.Uri): void {
    this.cache.delete(uri.toString());
  }
}

function kb(bytes: number): string {
  return (bytes / 1024).toLocaleString('en-US', { maximumFractionDigits: 0 });
}
