/**
 * Data files a script reads from its workspace (`np.loadtxt('data/diabetes.csv.gz')`, `open('data/anna.txt').read()`,
 * `json.load(open('alpaca_data.json'))`, `os.path.join(args.data, 'train.txt')`). The core does no I/O and never sees
 * a data file's contents: a host asks `dataFileNames` which files the script may open, looks for each beside the
 * script, then at the workspace root (never outside it, never through a link out of it, at most
 * `MAX_DATA_FILE_BYTES` read, within `DATA_FILES_TIME_BUDGET_MS`), computes their FACTS with `DataFactsBuilder`
 * (src/core/dataFacts.ts) and passes them to `analyze` as `dataFiles`. The evaluator uses them where the script takes a
 * size from the data (lib/dataFiles.ts); a file the host did not give stays unknown, with the stated default.
 */

/** Largest data file (after decompression) a host reads for its facts: 64 MiB. */
export const MAX_DATA_FILE_BYTES = 64 * 1024 * 1024;
/** Most data files one analysis asks for. */
export const MAX_DATA_FILES = 32;
/** Wall-clock budget of a host for the facts of all data files of one analysis, ms. */
export const DATA_FILES_TIME_BUDGET_MS = 4_000;
/** Distinct words counted at most; past it the count is not given. */
export const MAX_DISTINCT_WORDS = 1_000_000;

/** Facts of a text (UTF-8; counts as Python counts a `str`). */
export interface TextFacts {
  /** Characters (code points): `len(f.read())`. */
  chars: number;
  /** Lines as `for line in f` / `splitlines()` give them (`\n`, `\r\n`, `\r`). */
  lines: number;
  /** Lines with something other than whitespace. */
  nonEmptyLines: number;
  /** Whitespace-separated words: `len(text.split())`. */
  words: number;
  /** Distinct characters: `len(set(text))`. */
  distinctChars: number;
  /** Distinct words, when at most MAX_DISTINCT_WORDS. */
  distinctWords?: number;
  /** Whitespace-separated fields of the first non-blank line (the columns of `np.loadtxt` without a delimiter). */
  firstLineWords: number;
  /** Line-break characters (`\n`, `\r`) and how many of the two occur: what `''.join(text.splitlines())` drops. */
  breakChars?: number;
  breakKinds?: number;
  /** `\n` characters: `len(text.split('\n'))` is one more. */
  newlines?: number;
}

/** Facts of a delimited table (CSV/TSV; whitespace-separated numbers in a .txt/.dat). */
export interface TableFacts {
  /** Records that are not blank, header included. */
  records: number;
  /** Fields of the first record. */
  columns: number;
  /** Whether the first record looks like a header (names over numbers). */
  header: boolean;
  delimiter: ',' | '\t' | ';' | ' ';
}

export type DataFormat = 'text' | 'csv' | 'tsv' | 'json' | 'jsonl' | 'npy';

/** What a host tells the core about one data file: never its contents. */
export interface DataFacts {
  /** Size on disk, bytes. */
  bytes: number;
  format: DataFormat;
  /** Read through gzip (a `.gz` name). */
  gzip?: boolean;
  text?: TextFacts;
  table?: TableFacts;
  /** JSON: the top-level value's kind and its length (array items or object keys). */
  json?: { top: 'array' | 'object' | 'other'; length: number };
  /** JSON Lines: non-blank lines. */
  jsonl?: { records: number };
  /** NumPy .npy header. */
  npy?: { shape: number[]; dtype: string };
}

/** A data file as the host passes it: the name the script uses, its workspace-relative path, its facts. */
export interface DataFileSource {
  name: string;
  path: string;
  facts: DataFacts;
}

const DATA_EXT = /\.(txt|csv|tsv|json|jsonl|npy|dat|data)(\.gz)?$/i;

/** The data format a file name stands for (its extension, `.gz` removed); undefined when not a data file. */
export function dataFormat(name: string): DataFormat | undefined {
  const m = DATA_EXT.exec(name);
  if (!m) return undefined;
  const ext = m[1].toLowerCase();
  return ext === 'csv' ? 'csv' : ext === 'tsv' ? 'tsv' : ext === 'json' ? 'json' : ext === 'jsonl' ? 'jsonl' : ext === 'npy' ? 'npy' : 'text';
}

/** A relative path as the core keys it: POSIX, no `./`, `a/../b` folded; undefined for an absolute or home path. */
export function relativeKey(p: string): string | undefined {
  if (p.startsWith('/') || /^[A-Za-z]:[\\/]/.test(p) || p.startsWith('~')) return undefined;
  const out: string[] = [];
  for (const part of p.replace(/\\/g, '/').split('/')) {
    if (part === '' || part === '.') continue;
    if (part === '..' && out.length && out[out.length - 1] !== '..') out.pop();
    else out.push(part);
  }
  return out.length ? out.join('/') : undefined;
}

/** A data file's key: relativeKey of a data-file name; undefined otherwise. */
export function dataFileKey(p: string): string | undefined {
  return dataFormat(p) ? relativeKey(p) : undefined;
}

const LITERAL = /(['"])((?:[^'"\\\n]|\\.){1,300}?)\1/g;
const DIR_LIKE = /^(?:\.{1,2}\/)?[\w.-]+(?:\/[\w.-]+)*\/?$/;

/**
 * The data files a script and its local modules may open, for the host to look for: string literals that name a data
 * file (`'data/anna.txt'`, `"./data/diabetes.csv.gz"`, an argparse default), and each bare file name joined to each
 * folder-like literal (`os.path.join(args.data, 'train.txt')` with `--data` defaulting to `'./data/wikitext-2'`,
 * `Path('data') / 'names.txt'`, `f'{root}/train.csv'`). At most MAX_DATA_FILES, literal paths first.
 */
export function dataFileNames(texts: readonly string[]): string[] {
  const files: string[] = [];
  const bare: string[] = [];
  const dirs = new Set<string>();
  for (const text of texts) {
    for (const m of text.slice(0, 2_000_000).matchAll(LITERAL)) {
      const s = m[2];
      // A template (`f'{root}/train.csv'`, `'%s/train.csv'`): its file name, to join with folder-like literals.
      const tail = /[{%]/.test(s) ? /[}/]([\w.-]+)$/.exec(s)?.[1] : undefined;
      if (tail && dataFileKey(tail)) { bare.push(tail); files.push(tail); continue; }
      const key = dataFileKey(s);
      if (key) {
        files.push(key);
        if (!key.includes('/')) bare.push(key);
      } else if (DIR_LIKE.test(s) && (s.includes('/') || /^(data|dataset|datasets|corpus|input|inputs)$/i.test(s)) && !/\.(py|ya?ml|pt|pth|bin|ckpt|safetensors|png|jpe?g)$/i.test(s)) {
        const d = relativeKey(s);
        if (d) dirs.add(d);
      }
    }
  }
  const out = new Set<string>(files);
  for (const d of dirs) for (const b of bare) out.add(`${d}/${b}`);
  return [...out].slice(0, MAX_DATA_FILES);
}
