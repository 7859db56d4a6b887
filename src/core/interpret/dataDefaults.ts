/**
 * Sizes a script derives from the data it reads (FlopLens reads none): a sequence length such as makemore's
 * `block_size = max(len(w) for w in words) + 1` is unknown until the end; when the script names a token dataset of
 * the catalog by path or hub id (`names.txt`, `data/wikitext-2/…`), that dataset's sample length is the stated
 * default, said with the directive that sets it.
 */
import { datasetFromPath, findDataset } from '../data/datasets';
import type { Value } from './values';
import type { DataFileSource } from '../dataFiles';
import { isUnknown } from './values';

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

/**
 * A vocabulary counted from data the script reads (`chars = sorted(set(open(f).read()))`, words added to a set in
 * a loop over a file, `meta['vocab_size']` from a pickle): FlopLens reads no data, so the size is unknown (never
 * the 0 of a set it saw empty). A script that reads files gets a stated default: words split from text ~10,000 (the
 * PTB vocabulary), characters 65 for a text file (tiny Shakespeare's), bytes 256 otherwise.
 */
export function dataVocabulary(name: string, v: Value, text: string, say: (message: string) => void, dataFiles: readonly DataFileSource[] = []): Value {
  if (!READS.test(text)) return v;
  // A corpus the script names by path or hub id (`data/wikitext-2/train.txt`): its standard vocabulary, from the catalog.
  for (const m of text.matchAll(/['"]([^'"\n]{2,200})['"]/g)) {
    const info = datasetFromPath(m[1])?.info ?? findDataset(m[1]);
    if (info?.vocab) {
      say(`${name}: the vocabulary is counted from data the script reads ('${m[1]}'), which FlopLens does not read; assuming ${info.name}'s ${info.vocab.toLocaleString('en-US')} (${info.source}). Add \`# floplens: vocab=N\` for the real size.`);
      return info.vocab;
    }
  }
  const words = /\.split\s*\(|word_tokenize|\.words\b/.test(text);
  // A text the host counted (the largest the script reads): its distinct words or characters.
  const counted = dataFiles.map((f) => ({ f, t: f.facts.text })).filter((x) => x.t && x.f.facts.format === 'text').sort((a, b) => (b.t?.chars ?? 0) - (a.t?.chars ?? 0))[0];
  const own = counted?.t && (words ? counted.t.distinctWords : counted.t.distinctChars);
  if (counted && own) {
    say(`${name}: the vocabulary is counted from data the script reads; assuming the ${own.toLocaleString('en-US')} distinct ${words ? 'words' : 'characters'} of ${counted.f.path} (special tokens the script adds are not counted). Add \`# floplens: vocab=N\` for the real size.`);
    return own;
  }
  const textFile = /\.txt\b|shakespeare/i.test(text);
  const [n, what] = words ? [10_000, 'words (a typical word-level vocabulary, as PTB\'s 10,000)'] : textFile ? [65, 'characters (tiny Shakespeare has 65)'] : [256, 'bytes'];
  say(`${name}: the vocabulary is counted from data the script reads, which FlopLens does not read; assuming ${n.toLocaleString('en-US')} ${what}. Add \`# floplens: vocab=N\` for the real size.`);
  return n;
}
