/**
 * A guard in front of the parser against brackets nested without end. @lezer/python recovers from syntax
 * errors by trying several parse stacks at once and copying them; when unclosed brackets pile up (a file of
 * broken tokens, random bytes, a paste gone wrong) the stacks grow thousands of levels deep and each copy
 * costs as much: a 2 MB file of such text took the parser past 4 GB and the process with it. Real code never
 * nests brackets more than a few dozen deep, so a bracketed expression that goes deeper than `MAX_BRACKET_DEPTH`
 * is blanked (every character but line breaks becomes a space, so offsets and lines stay valid) before parsing,
 * from its outermost bracket to where it closes, or to the end of the file if it never does.
 */

/** Deepest bracket nesting handed to the parser. */
export const MAX_BRACKET_DEPTH = 200;

export interface Blanked {
  from: number;
  to: number;
  /** True when the outermost bracket never closes: everything after `from` was blanked. */
  unclosed: boolean;
}

// Character codes the scan looks at.
const HASH = 35, DQ = 34, SQ = 39, BACKSLASH = 92, LF = 10;
const LPAREN = 40, RPAREN = 41, LBRACK = 91, RBRACK = 93, LBRACE = 123, RBRACE = 125;

/**
 * Where the text nests brackets deeper than `max`, skipping strings and comments as Python's tokenizer does
 * (single and triple quotes, backslash escapes; a single-quoted string ends at a line break; a prefix such
 * as `rb` or `f` reads as a name just before the quote, which is the same for this purpose).
 * Linear in the text; allocates only the spans.
 */
export function overNested(text: string, max = MAX_BRACKET_DEPTH): Blanked[] {
  const out: Blanked[] = [];
  let depth = 0;
  let outer = -1; // position of the bracket that took the depth from 0 to 1
  let tooDeep = false;
  const n = text.length;
  for (let i = 0; i < n; i++) {
    const c = text.charCodeAt(i);
    if (c === HASH) {
      while (i < n && text.charCodeAt(i) !== LF) i++;
    } else if (c === DQ || c === SQ) {
      i = stringEnd(text, i, c) - 1;
    } else if (c === LPAREN || c === LBRACK || c === LBRACE) {
      if (depth === 0) outer = i;
      if (++depth > max) tooDeep = true;
    } else if ((c === RPAREN || c === RBRACK || c === RBRACE) && depth > 0) {
      if (--depth === 0 && tooDeep) {
        out.push({ from: outer, to: i + 1, unclosed: false });
        tooDeep = false;
      }
    }
  }
  if (tooDeep) out.push({ from: outer, to: n, unclosed: true });
  return out;
}

/** Index just past the string literal whose opening quote `q` is at `i`. */
function stringEnd(text: string, i: number, q: number): number {
  const n = text.length;
  if (text.charCodeAt(i + 1) === q && text.charCodeAt(i + 2) === q) {
    for (let j = i + 3; j < n; j++) {
      const c = text.charCodeAt(j);
      if (c === BACKSLASH) j++;
      else if (c === q && text.charCodeAt(j + 1) === q && text.charCodeAt(j + 2) === q) return j + 3;
    }
    return n;
  }
  for (let j = i + 1; j < n; j++) {
    const c = text.charCodeAt(j);
    if (c === BACKSLASH) j++;
    else if (c === q) return j + 1;
    else if (c === LF) return j;
  }
  return n;
}

/** The text with each span's characters (but line breaks) turned into spaces. */
export function blank(text: string, spans: readonly Blanked[]): string {
  if (spans.length === 0) return text;
  let out = '';
  let at = 0;
  for (const s of spans) {
    out += text.slice(at, s.from) + text.slice(s.from, s.to).replace(/[^\n\r]/g, ' ');
    at = s.to;
  }
  return out + text.slice(at);
}
