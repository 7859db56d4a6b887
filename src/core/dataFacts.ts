/**
 * The facts of a data file (src/core/dataFiles.ts), computed from its bytes in chunks so a host can stream it: counts
 * of characters, lines, words, distinct characters and words; records and columns of a CSV/TSV (header detected);
 * the length of a JSON file's top-level array or object; JSON Lines records; a .npy header's shape and dtype. Pure:
 * the host reads (and un-gzips) the bytes, feeds them here and hands only the facts to the core.
 */
import { MAX_DISTINCT_WORDS, type DataFacts, type DataFormat, type TableFacts, type TextFacts } from './dataFiles';

/** Python's str.isspace() for the characters str.split() splits on. */
function isSpace(c: number): boolean {
  return c === 32 || (c >= 9 && c <= 13) || (c >= 0x1c && c <= 0x1f) || c === 0x85 || c === 0xa0 || c === 0x1680
    || (c >= 0x2000 && c <= 0x200a) || c === 0x2028 || c === 0x2029 || c === 0x202f || c === 0x205f || c === 0x3000;
}

const NUMERIC = /^\s*[-+]?(\d+\.?\d*|\.\d+)([eE][-+]?\d+)?\s*$|^\s*(nan|inf|-inf|NA|)\s*$/i;
const HEAD_BYTES = 64 * 1024;

/** Feeds a file's bytes in order (`add`), then `finish()` gives its facts. */
export class DataFactsBuilder {
  private readonly decoder = new TextDecoder('utf-8');
  private bytes = 0;
  private head: Uint8Array[] = [];
  private headBytes = 0;
  // text
  private chars = 0;
  private breaks = 0;
  private newlines = 0;
  private lines = 0;
  private nonEmpty = 0;
  private words = 0;
  private lineHasText = false;
  private lastCR = false;
  private word = '';
  private readonly seen = new Uint8Array(65536);
  private readonly astral = new Set<number>();
  private distinct = 0;
  private wordSet: Set<string> | undefined = new Set();
  private lineWords = 0;
  private firstLineWords = -1;
  // tables
  private readonly delimiter: number | undefined;
  private inQuote = false;
  private records = 0;
  private recordHasText = false;
  private field = '';
  private fields: string[] = [];
  private readonly firstRecords: string[][] = [];
  // JSON
  private depth = 0;
  private inString = false;
  private escaped = false;
  private top: 'array' | 'object' | 'other' | undefined;
  private topItems = 0;
  private itemOpen = false;

  constructor(private readonly format: DataFormat, private readonly diskBytes: number, private readonly gzip = false) {
    this.delimiter = format === 'csv' ? 44 : format === 'tsv' ? 9 : undefined;
  }

  /** The next chunk of the (decompressed) file. */
  add(chunk: Uint8Array): void {
    this.bytes += chunk.length;
    if (this.headBytes < HEAD_BYTES) { this.head.push(chunk.subarray(0, HEAD_BYTES - this.headBytes)); this.headBytes += Math.min(chunk.length, HEAD_BYTES - this.headBytes); }
    if (this.format === 'npy') return;
    this.scan(this.decoder.decode(chunk, { stream: true }));
  }

  finish(): DataFacts {
    const out: DataFacts = { bytes: this.diskBytes, format: this.format };
    if (this.gzip) out.gzip = true;
    if (this.format === 'npy') {
      const npy = npyHeader(concat(this.head));
      if (npy) out.npy = npy;
      return out;
    }
    this.scan(this.decoder.decode());
    this.endWord();
    if (this.chars > 0 && !this.lastCR && !this.endedLine) this.endLine();
    if (this.delimiter !== undefined) this.endRecord();
    const text: TextFacts = { chars: this.chars, lines: this.lines, nonEmptyLines: this.nonEmpty, words: this.words, distinctChars: this.distinct, firstLineWords: Math.max(0, this.firstLineWords), breakChars: this.breaks, breakKinds: this.seen[10] + this.seen[13], newlines: this.newlines };
    if (this.wordSet) text.distinctWords = this.wordSet.size;
    out.text = text;
    const table = this.table();
    if (table) out.table = table;
    if (this.format === 'json' && this.top) out.json = { top: this.top, length: this.top === 'other' ? 1 : this.topItems };
    if (this.format === 'jsonl') out.jsonl = { records: this.nonEmpty };
    return out;
  }

  private endedLine = true;

  private table(): TableFacts | undefined {
    if (this.delimiter !== undefined) {
      const [first, second] = this.firstRecords;
      if (!first) return undefined;
      const header = first.some((f) => !NUMERIC.test(f)) && (second === undefined ? false : second.some((f, i) => NUMERIC.test(f) && f.trim() !== '' && !NUMERIC.test(first[i] ?? '')));
      return { records: this.records, columns: first.length, header, delimiter: this.delimiter === 9 ? '\t' : ',' };
    }
    return undefined;
  }

  private endWord(): void {
    if (!this.word) return;
    this.words++;
    this.lineWords++;
    if (this.wordSet) {
      this.wordSet.add(this.word);
      if (this.wordSet.size > MAX_DISTINCT_WORDS) this.wordSet = undefined;
    }
    this.word = '';
  }

  private endLine(): void {
    this.lines++;
    if (this.lineHasText) {
      this.nonEmpty++;
      if (this.firstLineWords < 0) this.firstLineWords = this.lineWords;
    }
    this.lineHasText = false;
    this.lineWords = 0;
    this.endedLine = true;
  }

  private endRecord(): void {
    if (!this.recordHasText) { this.field = ''; this.fields = []; return; }
    this.fields.push(this.field);
    this.records++;
    if (this.firstRecords.length < 2) this.firstRecords.push(this.fields);
    this.field = '';
    this.fields = [];
    this.recordHasText = false;
  }

  private scan(s: string): void {
    const n = s.length;
    let wordStart = -1;
    for (let i = 0; i < n; i++) {
      let c = s.charCodeAt(i);
      let width = 1;
      if (c >= 0xd800 && c <= 0xdbff && i + 1 < n) {
        const lo = s.charCodeAt(i + 1);
        if (lo >= 0xdc00 && lo <= 0xdfff) { c = 0x10000 + ((c - 0xd800) << 10) + (lo - 0xdc00); width = 2; }
      }
      this.chars++;
      if (c < 65536) { if (!this.seen[c]) { this.seen[c] = 1; this.distinct++; } } else if (!this.astral.has(c)) { this.astral.add(c); this.distinct++; }
      const space = isSpace(c);
      // words
      if (space) {
        if (wordStart >= 0) { this.word += s.slice(wordStart, i); wordStart = -1; }
        this.endWord();
      } else if (wordStart < 0) wordStart = i;
      // lines
      if (c === 10 || c === 13) {
        this.breaks++;
        if (c === 10) this.newlines++;
        if (!(c === 10 && this.lastCR)) this.endLine();
        this.lastCR = c === 13;
      } else {
        this.lastCR = false;
        this.endedLine = false;
        if (!space) this.lineHasText = true;
      }
      if (this.delimiter !== undefined) this.tableChar(c, s, i, width);
      else if (this.format === 'json') this.jsonChar(c, space);
      i += width - 1;
    }
    if (wordStart >= 0) this.word += s.slice(wordStart);
  }

  private tableChar(c: number, s: string, i: number, width: number): void {
    if (c === 34) { this.inQuote = !this.inQuote; this.recordHasText = true; return; }
    if (!this.inQuote && (c === 10 || c === 13)) { this.endRecord(); return; }
    if (!this.inQuote && c === this.delimiter) { this.fields.push(this.field); this.field = ''; this.recordHasText = true; return; }
    if (!isSpace(c)) this.recordHasText = true;
    if (this.firstRecords.length < 2 && this.field.length < 4096) this.field += s.slice(i, i + width);
  }

  private jsonChar(c: number, space: boolean): void {
    if (this.inString) {
      if (this.escaped) this.escaped = false;
      else if (c === 92) this.escaped = true;
      else if (c === 34) this.inString = false;
      return;
    }
    if (space) return;
    if (this.top === undefined) {
      this.top = c === 91 ? 'array' : c === 123 ? 'object' : 'other';
      if (this.top !== 'other') { this.depth = 1; return; }
    }
    if (this.depth === 1 && c !== 93 && c !== 125 && c !== 44 && !this.itemOpen) { this.itemOpen = true; this.topItems++; }
    if (c === 34) this.inString = true;
    else if (c === 91 || c === 123) this.depth++;
    else if (c === 93 || c === 125) this.depth--;
    else if (c === 44 && this.depth === 1) this.itemOpen = false;
  }
}

function concat(parts: Uint8Array[]): Uint8Array {
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let at = 0;
  for (const p of parts) { out.set(p, at); at += p.length; }
  return out;
}

/** Shape and dtype from a .npy header (format versions 1–3); undefined when it is not one. */
export function npyHeader(b: Uint8Array): { shape: number[]; dtype: string } | undefined {
  if (b.length < 10 || b[0] !== 0x93 || String.fromCharCode(...b.subarray(1, 6)) !== 'NUMPY') return undefined;
  const major = b[6];
  const len = major === 1 ? b[8] | (b[9] << 8) : (b[8] | (b[9] << 8) | (b[10] << 16)) + b[11] * 2 ** 24;
  const start = major === 1 ? 10 : 12;
  if (start + len > b.length) return undefined;
  const header = new TextDecoder('latin1').decode(b.subarray(start, start + len));
  const descr = /['"]descr['"]\s*:\s*['"]([^'"]+)['"]/.exec(header)?.[1];
  const shape = /['"]shape['"]\s*:\s*\(([^)]*)\)/.exec(header)?.[1];
  if (descr === undefined || shape === undefined) return undefined;
  const dims = shape.split(',').map((x) => x.trim()).filter(Boolean).map(Number);
  return dims.every((d) => Number.isSafeInteger(d) && d >= 0) ? { shape: dims, dtype: descr } : undefined;
}

/** The facts of a whole file held in memory (tests, small files). */
export function dataFactsOf(format: DataFormat, bytes: Uint8Array, gzip = false, diskBytes = bytes.length): DataFacts {
  const b = new DataFactsBuilder(format, diskBytes, gzip);
  b.add(bytes);
  return b.finish();
}
