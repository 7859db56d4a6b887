/**
 * Small plain-text files a script reads and parses itself: a Darknet model definition (`open('config/yolov3.cfg')
 * .read().split('\n')` walked line by line into layer dicts), an INI-style `.data` file naming the train/valid lists,
 * a `.names` file of class names, a short list file. Unlike a data file (src/core/dataFiles.ts: facts only), such a
 * file decides the model or the run's figures through the script's own parser, so the host reads its TEXT when it is
 * in the workspace and at most MAX_TEXT_FILE_BYTES, and passes it with the config files (`files`, the same reader:
 * `configFileNames` asks for these names too). The evaluator gives `f.read()`, `f.readlines()`, `for line in f`,
 * `Path(p).read_text()` their real contents (interpret/lib/textFiles.ts). A larger file stays a data file.
 */
import type { ConfigFileSource } from './api';
import { relativeKey } from './dataFiles';

/** Largest plain-text file a host reads whole for the evaluator, bytes (a 100-layer Darknet .cfg is ~12 KB). */
export const MAX_TEXT_FILE_BYTES = 64 * 1024;
/** Most plain-text files one analysis asks for. */
export const MAX_TEXT_FILES = 16;

const TEXT_EXT = /\.(cfg|ini|conf|names|data|txt|list)$/i;

/** A plain-text file's key (POSIX, relative, folded); undefined for an absolute path or another kind of file. */
export function textFileKey(p: string): string | undefined {
  return TEXT_EXT.test(p) ? relativeKey(p) : undefined;
}

const NAME = /(?:^|['"\s=(,])((?:\.{0,2}\/)?(?:[\w.-]+\/)*[\w.-]+\.(?:cfg|ini|conf|names|data|txt|list))(?=['"\s),]|$)/gim;

/**
 * The plain-text files named by `texts` (the script and its local modules: string literals, argparse defaults) and by
 * the plain-text files already read (`read`: a `.data` file's `names=data/coco.names`), for the host to read.
 */
export function textFileNames(texts: readonly string[], read: readonly ConfigFileSource[] = []): string[] {
  const out = new Set<string>();
  const sources = [...texts, ...read.filter((f) => textFileKey(f.name)).map((f) => f.text)];
  for (const text of sources) {
    for (const m of text.slice(0, 2_000_000).matchAll(NAME)) {
      const key = textFileKey(m[1]);
      if (key && !/^(requirements|README|LICENSE|CMakeLists)/i.test(key.split('/').pop() ?? '')) out.add(key);
      if (out.size >= MAX_TEXT_FILES) return [...out];
    }
  }
  return [...out];
}
