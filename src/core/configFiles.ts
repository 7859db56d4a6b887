/**
 * Config files a script reads from its workspace (`yaml.safe_load(open('configs/vae.yaml'))`, `json.load(open(p))`,
 * `OmegaConf.load(p)`, `@hydra.main(config_path='conf', config_name='config')` with its defaults list). The core does
 * no I/O: a host asks `configFileNames` which files the script names, reads those it finds (beside the script, then at
 * the workspace root; never outside the workspace, at most `MAX_CONFIG_FILE_BYTES` each) and passes them to `analyze`
 * as `files`. Names are POSIX paths as the script writes them, relative to the folder it runs in.
 *
 * Hydra's composition (primary config, defaults list of group options, `_self_`, packages, `${a.b}` interpolation)
 * is here too, over a reader of named texts, so the names a host must read and the config the evaluator builds
 * come from one walk.
 */
import type { ConfigFileSource } from './api';
import { parseConfigText, type Plain } from './interpret/configText';
import { relativeKey } from './dataFiles';
import { textFileKey, textFileNames } from './textFiles';

/** Largest config file a host reads, bytes. */
export const MAX_CONFIG_FILE_BYTES = 1_000_000;
/** Most config files one analysis asks for. */
export const MAX_CONFIG_FILES = 48;

const CONFIG_EXT = /\.(ya?ml|json)$/i;

/** A config name as the core keys it: POSIX, no `./`, `a/../b` folded; undefined for an absolute path or a non-config file. */
export function configFileKey(p: string): string | undefined {
  return CONFIG_EXT.test(p) ? relativeKey(p) : undefined;
}

/** The key of a file a host reads whole for the core: a config file, or a small plain-text file (src/core/textFiles.ts). */
export const workspaceFileKey = (p: string): string | undefined => configFileKey(p) ?? textFileKey(p);

/** `@hydra.main(config_path=…, config_name=…)` / `initialize(config_path=…)` + `compose(config_name=…)` in a text. */
export function hydraPrimary(text: string): { dir: string; name: string } | undefined {
  if (!/\bhydra\b/.test(text)) return undefined;
  const name = /\bconfig_name\s*=\s*(['"])([^'"\n]+)\1/.exec(text)?.[2];
  if (!name) return undefined;
  const dir = /\bconfig_path\s*=\s*(['"])([^'"\n]*)\1/.exec(text)?.[2] ?? '';
  return { dir: dir.replace(/\/+$/, ''), name };
}

const join = (dir: string, name: string): string => (dir ? `${dir}/${name}` : name);
const withExt = (name: string): string => (CONFIG_EXT.test(name) ? name : `${name}.yaml`);

type Mapping = { [k: string]: Plain };
const isMapping = (v: Plain | undefined): v is Mapping => v !== null && typeof v === 'object' && !Array.isArray(v);

/** `b` merged into `a` as OmegaConf.merge does: mappings key by key, anything else replaced. */
function merge(a: Mapping, b: Mapping): Mapping {
  const out: Mapping = { ...a };
  for (const [k, v] of Object.entries(b)) out[k] = isMapping(out[k]) && isMapping(v) ? merge(out[k] as Mapping, v) : v;
  return out;
}

/** `value` placed at a dotted package (`model.encoder`); '' or `_global_` is the root. */
function atPackage(pkg: string, value: Mapping): Mapping {
  const parts = pkg.split('.').filter((p) => p && p !== '_global_' && p !== '_group_');
  return parts.reduceRight<Mapping>((acc, k) => ({ [k]: acc }), value);
}

/** OmegaConf interpolations `${a.b}` that are a whole value, resolved against the root (a few passes; others stay text). */
function interpolate(root: Mapping): Mapping {
  const lookup = (path: string): Plain | undefined => {
    let v: Plain | undefined = root;
    for (const k of path.split('.')) v = isMapping(v) ? v[k] : Array.isArray(v) && /^\d+$/.test(k) ? v[Number(k)] : undefined;
    return v;
  };
  const walk = (v: Plain, depth: number): Plain => {
    if (depth > 32) return v;
    if (typeof v === 'string') {
      const m = /^\$\{([\w.]+)\}$/.exec(v.trim());
      const got = m ? lookup(m[1]) : undefined;
      return got !== undefined && !(typeof got === 'string' && got.includes('${')) ? got : v;
    }
    if (Array.isArray(v)) return v.map((x) => walk(x, depth + 1));
    if (isMapping(v)) return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, walk(x, depth + 1)]));
    return v;
  };
  let out = root;
  for (let i = 0; i < 4; i++) { root = out; out = walk(out, 0) as Mapping; }
  return out;
}

export interface Composed {
  /** The composed config (undefined when the primary file was not given or does not parse). */
  value?: Mapping;
  /** Every file name the composition asked for, in order (given or not). */
  asked: string[];
  /** Files used. */
  used: string[];
  /** Sentences about files named but not given, or given but not readable. */
  missing: string[];
  malformed: string[];
}

/**
 * Hydra's composition of `config_name` in `config_path` over the files `get` gives: the defaults list (group options
 * at their package, plain names at the root, `_self_` where it stands, else last), nested defaults of group files
 * relative to their group, `hydra/…` groups and null options skipped; then `${a.b}` interpolations.
 */
export function composeHydra(dir: string, name: string, get: (key: string) => string | undefined): Composed {
  const out: Composed = { asked: [], used: [], missing: [], malformed: [] };
  const load = (file: string): Mapping | undefined => {
    const key = configFileKey(file);
    if (!key || out.asked.length >= MAX_CONFIG_FILES) return undefined;
    if (!out.asked.includes(key)) out.asked.push(key);
    const text = get(key);
    if (text === undefined) { if (!out.missing.includes(key)) out.missing.push(key); return undefined; }
    const v = parseConfigText(key, text);
    if (v !== undefined && v !== null && !isMapping(v)) { out.malformed.push(key); return undefined; }
    if (v === undefined) { out.malformed.push(key); return undefined; }
    if (!out.used.includes(key)) out.used.push(key);
    return v ?? {};
  };
  const visit = (file: string, group: string, depth: number): Mapping | undefined => {
    const own = load(file);
    if (!own || depth > 6) return own;
    const defaults = own.defaults;
    const self: Mapping = { ...own };
    delete self.defaults;
    if (!Array.isArray(defaults)) return self;
    let acc: Mapping = {};
    let selfDone = false;
    for (const d of defaults) {
      if (d === '_self_') { acc = merge(acc, self); selfDone = true; continue; }
      if (typeof d === 'string') {
        const sub = visit(join(dir, withExt(d.startsWith('/') ? d.slice(1) : join(group, d))), group, depth + 1);
        if (sub) acc = merge(acc, sub);
        continue;
      }
      if (!isMapping(d)) continue;
      for (const [rawKey, option] of Object.entries(d)) {
        const key = rawKey.replace(/^(override|optional)\s+/, '').replace(/^(override|optional)\s+/, '');
        const [g, pkg] = key.split('@');
        const absolute = g.startsWith('/');
        const groupPath = absolute ? g.slice(1) : join(group, g);
        if (/^hydra(\/|$)/.test(groupPath) || option === null) continue;
        for (const opt of Array.isArray(option) ? option : [option]) {
          if (typeof opt !== 'string' && typeof opt !== 'number') continue;
          const sub = visit(join(dir, withExt(join(groupPath, String(opt)))), groupPath, depth + 1);
          const place = pkg === undefined ? groupPath.replace(/\//g, '.') : pkg === '_here_' ? group.replace(/\//g, '.') : pkg;
          if (sub) acc = merge(acc, atPackage(place, sub));
        }
      }
    }
    return selfDone ? acc : merge(acc, self);
  };
  const root = visit(join(dir, withExt(name)), '', 0);
  if (root) out.value = interpolate(root);
  return out;
}

/** A command line's words, split as a shell splits an unquoted one (quotes group words). */
export const commandLineWords = (line: string): string[] => [...line.matchAll(/"([^"]*)"|'([^']*)'|(\S+)/g)].map((m) => m[1] ?? m[2] ?? m[3]);

/** The `--config` value of a command line (`--config x`, `--config=x`, `-c x`). */
export function commandLineConfig(line: string): string | undefined {
  const ws = commandLineWords(line);
  for (let i = 0; i < ws.length; i++) {
    const eq = /^--config=(.+)$/.exec(ws[i]);
    if (eq) return eq[1];
    if ((ws[i] === '--config' || ws[i] === '-c') && i + 1 < ws.length) return ws[i + 1];
  }
  return undefined;
}

/**
 * The config files a recipe's `--config <name>` may be, as workspace names for a host to look for (beside the recipe,
 * then at the root): the name itself when it is a path to a YAML file, else torchtune's built-in config layout
 * (`configs/<name>.yaml` beside the recipes, `recipes/configs/<name>.yaml` from the root) and `<name>.yaml`.
 */
export function recipeConfigCandidates(name: string): string[] {
  const direct = configFileKey(name);
  if (direct) return [direct];
  return [`configs/${name}.yaml`, `recipes/configs/${name}.yaml`, `${name}.yaml`].map((n) => configFileKey(n)).filter((k): k is string => k !== undefined);
}

/** The config a recipe's own text shows it run with (`tune run eleuther_eval --config eleuther_evaluation` in its docstring). */
export function documentedRecipeConfig(text: string): string | undefined {
  return /\btune run [\w./-]+ (?:--config[ =]|-c )([\w./-]+)/.exec(text)?.[1];
}

/** The command line a `# floplens: args="…"` directive (or `argv=`) gives, in a text. */
function directiveCommandLine(text: string): string | undefined {
  const m = /#\s*floplens:.*?\b(?:args|argv)\s*=\s*(?:"([^"]*)"|'([^']*)'|(\S+))/.exec(text);
  return m ? m[1] ?? m[2] ?? m[3] : undefined;
}

/**
 * The config files a script names, for the host to read and pass back as `files`: path-like words ending in
 * .yaml/.yml/.json in the script and its local modules (string literals, argparse defaults, a directive's command
 * line, and the file a `--config <name>` on that command line names: recipeConfigCandidates), and for Hydra the
 * primary config and the group files its defaults list names — which needs the files already read, so a host calls
 * this again with what it has read until nothing new is named (a few rounds).
 */
export function configFileNames(texts: string[], read: readonly ConfigFileSource[] = []): string[] {
  const out = new Set<string>();
  const have = new Map(read.map((f) => [f.name, f.text]));
  for (const text of texts) {
    for (const m of text.slice(0, 2_000_000).matchAll(/(?:^|['"\s=(,])((?:\.{0,2}\/)?(?:[\w.-]+\/)*[\w.-]+\.(?:ya?ml|json))(?=['"\s),]|$)/gim)) {
      const key = configFileKey(m[1]);
      if (key) out.add(key);
    }
    const line = directiveCommandLine(text);
    const recipe = (line ? commandLineConfig(line) : undefined) ?? documentedRecipeConfig(text);
    if (recipe) for (const k of recipeConfigCandidates(recipe)) out.add(k);
    const hydra = hydraPrimary(text);
    if (hydra) for (const k of composeHydra(hydra.dir, hydra.name, (key) => have.get(key)).asked) out.add(k);
    if (out.size >= MAX_CONFIG_FILES) break;
  }
  return [...[...out].slice(0, MAX_CONFIG_FILES), ...textFileNames(texts, read)];
}

/**
 * The modules that config files name as the objects to build (`_target_: models.unet.UNet` for Hydra's instantiate,
 * `_component_:` for torchtune), as Python import lines a host reads local modules for (the script itself need not
 * import them). Empty when the files name none.
 */
export function configTargetImports(files: readonly ConfigFileSource[]): string {
  const out = new Set<string>();
  for (const f of files) {
    for (const m of f.text.slice(0, MAX_CONFIG_FILE_BYTES).matchAll(/["']?_(?:target|component)_["']?\s*:\s*["']?([A-Za-z_]\w*(?:\.[A-Za-z_]\w*)+)/g)) {
      out.add(m[1].slice(0, m[1].lastIndexOf('.')));
      if (out.size >= MAX_CONFIG_FILES) break;
    }
  }
  return [...out].map((n) => `import ${n}\n`).join('');
}
