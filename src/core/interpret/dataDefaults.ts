/**
 * Sizes a script derives from the data it reads (FlopLens reads none): a sequence length such as makemore's
 * `block_size = max(len(w) for w in words) + 1` is unknown until the end; when the script names a token dataset of
 * the catalog by path or hub id (`names.txt`, `data/wikitext-2/…`), that dataset's sample length is the stated
 * default, said with the directive that sets it.
 */
import { datasetFromPath, findDataset } from '../data/datasets';
import type { Value } from './values';
import type { DataFileSource } from '../dataFiles';
import { isUnknown, unknown } from './values';

/** Reads files: the only scripts whose unknown sizes may come from data. */
const READS = /\b(open|read_text|load_dataset|pickle\.load|json\.load|np\.fromfile|np\.memmap)\s*\(/;

/**
 * `v` for a sequence-length variable `name` that evaluated to unknown in a script that reads `text`'s named token
 * dataset: the dataset's sample length, with `say(message)`; else `v` unchanged.
 */
export function dataSequence(name: string, v: Value, text: string, say: (message: string) => void): Value {
  if (!isUnknown(v) || !READS.test(text)) return v;
  for (const m of text.matchAll(/['"]([^'"\n]{2,200})['"]/g)) {
    const info = datasetFromPath(m[1])?.info ?? findDataset(m[1]);
    const n = info?.target === 'tokens' ? info.shape[0] : undefined;
    if (info && n !== undefined && Number.isInteger(n) && n > 0) {
      say(`${name}: derived from data the script reads ('${m[1]}'), which FlopLens does not read; assuming ${info.name}'s sample length ${n.toLocaleString('en-US')} (${info.source}). Add \`# floplens: seq=N\` for the real length.`);
      return n;
    }
  }
  return v;
}

/** Why `set(x)` of unknown data is unknown: its distinct items (a file's characters, a corpus's words), of unknown number. */
export const DISTINCT_DATA = 'the distinct items of data FlopLens does not read';

/** What a vocabulary counted from data is made of, by the code that builds it. */
type VocabKind = 'words' | 'chars' | 'bytes';

const WORDS = /\.split\s*\(|tokeni[sz]|word_tokenize|build_vocab|\.words\b|\bnltk\b|\bspacy\b/;
const BYTES = /['"]rb['"]|\.encode\s*\(|uint8|\bbytes\s*\(/;
const CHARS = /\bset\s*\(\s*[^\s)]|\bCounter\s*\(\s*[^\s)]|\.read\s*\(/;

/**
 * The evidence of the statement at `at` and of the assignments of the names it uses, two levels back
 * (`stoi = {ch: i for i, ch in enumerate(chars)}` ← `chars = sorted(set(text))`): words split or tokenized from text,
 * bytes, or the characters of a text (`set(text)`); undefined when the code says none of these.
 */
export function vocabularyEvidence(text: string, at?: { from: number; to: number }): VocabKind | undefined {
  if (!at) return undefined;
  let chain = text.slice(at.from, Math.min(at.to, at.from + 2000));
  let frontier = chain;
  const seen = new Set<string>();
  for (let depth = 0; depth < 2; depth++) {
    let next = '';
    for (const [id] of frontier.matchAll(/\b[A-Za-z_]\w*\b/g)) {
      if (seen.has(id) || seen.size > 40) continue;
      seen.add(id);
      // Its assignments, what is added to it (`vocab.add(w)`, `vocab.update(line.split())`) and the loops that bind it.
      const binds = `^[ \\t]*(?:[\\w.]+\\s*,\\s*)*(?:self\\.)?${id}\\s*(?:,[^=\\n]*)?=(?!=)([^\\n]{0,300})`;
      const adds = `\\b${id}\\.(?:add|update|append|extend)\\s*\\(([^\\n]{0,300})`;
      const loops = `\\bfor\\s+[\\w, ()]*\\b${id}\\b[\\w, ()]*\\s+in\\s+([^\\n]{0,300})`;
      for (const m of text.matchAll(new RegExp(`${binds}|${adds}|${loops}`, 'gm'))) next += `\n${m[1] ?? m[2] ?? m[3]}`;
    }
    chain += next;
    frontier = next;
  }
  return WORDS.test(chain) ? 'words' : BYTES.test(chain) ? 'bytes' : CHARS.test(chain) ? 'chars' : undefined;
}

/** A variable named for a vocabulary object (`vocab`, `vocabulary`) that the script uses as a collection. */
function collectionVocabulary(name: string, text: string): boolean {
  if (!/^vocab(ulary)?$/i.test(name)) return false;
  return new RegExp(`\\blen\\(\\s*(?:self\\.)?${name}\\s*\\)|\\b${name}\\s*\\[|\\b${name}\\.\\w+\\s*\\(|\\bin\\s+(?:self\\.)?${name}\\b|enumerate\\(\\s*${name}\\b`).test(text);
}

/**
 * A vocabulary counted from data the script reads (`chars = sorted(set(open(f).read()))`, words added to a set in
 * a loop over a file, `meta['vocab_size']` from a pickle): FlopLens reads no data, so the size is unknown (never
 * the 0 of a set it saw empty). A vocabulary object (`vocab = build_vocab_from_iterator(…)`, `vocab = sorted(set(text))`)
 * stays the distinct items of data, so that `len(vocab)` is the size, not the object replaced by a number. A script that
 * reads files gets a stated default by the evidence of the code that builds the vocabulary (`vocabularyEvidence`),
 * else of the whole script: words split or tokenized ~10,000 (the PTB vocabulary), the characters of a text 65 (tiny
 * Shakespeare's), bytes 256; the `vocab=` directive (`directive`) wins.
 */
export function dataVocabulary(name: string, v: Value, text: string, say: (message: string) => void, dataFiles: readonly DataFileSource[] = [], at?: { from: number; to: number }, directive?: number): Value {
  if (isUnknown(v) && collectionVocabulary(name, text)) return v.why === DISTINCT_DATA ? v : unknown(DISTINCT_DATA);
  if (directive !== undefined) return directive;
  if (!READS.test(text)) return v;
  // A corpus the script names by path or hub id (`data/wikitext-2/train.txt`): its standard vocabulary, from the catalog.
  for (const m of text.matchAll(/['"]([^'"\n]{2,200})['"]/g)) {
    const info = datasetFromPath(m[1])?.info ?? findDataset(m[1]);
    if (info?.vocab) {
      say(`${name}: the vocabulary is counted from data the script reads ('${m[1]}'), which FlopLens does not read; assuming ${info.name}'s ${info.vocab.toLocaleString('en-US')} (${info.source}). Add \`# floplens: vocab=N\` for the real size.`);
      return info.vocab;
    }
  }
  // A data file the script reads in a catalog corpus's folder (`data/wikitext-2/test.txt`): that corpus's vocabulary.
  for (const f of dataFiles) {
    const info = datasetFromPath(f.path)?.info;
    if (info?.vocab && info.target === 'tokens') {
      say(`${name}: the vocabulary is counted from data the script reads (${f.path}, in ${info.name}'s folder); assuming ${info.name}'s ${info.vocab.toLocaleString('en-US')} (${info.source}). Add \`# floplens: vocab=N\` for the real size.`);
      return info.vocab;
    }
  }
  const own = vocabularyEvidence(text, at);
  const kind: VocabKind | undefined = own ?? (/\.split\s*\(|word_tokenize|\.words\b/.test(text) ? 'words' : undefined);
  const words = kind === 'words';
  // A text the host counted (the largest the script reads): its distinct words or characters.
  const counted = dataFiles.map((f) => ({ f, t: f.facts.text })).filter((x) => x.t && x.f.facts.format === 'text').sort((a, b) => (b.t?.chars ?? 0) - (a.t?.chars ?? 0))[0];
  const distinct = counted?.t && (words ? counted.t.distinctWords : counted.t.distinctChars);
  if (counted && distinct) {
    say(`${name}: the vocabulary is counted from data the script reads; assuming the ${distinct.toLocaleString('en-US')} distinct ${words ? 'words' : 'characters'} of ${counted.f.path} (special tokens the script adds are not counted). Add \`# floplens: vocab=N\` for the real size.`);
    return distinct;
  }
  const why = own === 'words' ? ' (the code that builds it splits or tokenizes text into words)' : own === 'chars' ? ' (the code that builds it takes the distinct characters of a text)' : own === 'bytes' ? ' (the code that builds it reads bytes)' : '';
  const chars = kind === 'chars' || (kind === undefined && /\.txt\b|shakespeare/i.test(text));
  const [n, what] = words ? [10_000, 'words (a typical word-level vocabulary, as PTB\'s 10,000)'] : chars ? [65, 'characters (tiny Shakespeare has 65)'] : [256, 'bytes'];
  say(`${name}: the vocabulary is counted from data the script reads, which FlopLens does not read; assuming ${n.toLocaleString('en-US')} ${what}${why}. Add \`# floplens: vocab=N\` for the real size.`);
  return n;
}
