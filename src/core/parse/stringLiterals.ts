/**
 * Python string and bytes literals, decoded per the language reference ("String and Bytes literals"): the value of
 * `'a\tb'` is three characters, `r'a\tb'` four, `b'\x41'` one. Pure; never throws.
 */

const SIMPLE: Record<string, string> = {
  '\\': '\\', "'": "'", '"': '"', a: '\x07', b: '\b', f: '\f', n: '\n', r: '\r', t: '\t', v: '\v',
};

/** The placeholder for `\N{NAME}`: one character, as Python's value has (the Unicode name table is not carried). */
const NAMED_PLACEHOLDER = '\uFFFD';

/**
 * Decode the escapes of a literal's body. `bytes` literals know no `\u`, `\U` or `\N{…}` (kept as written, as
 * Python does); an unknown escape keeps its backslash.
 */
export function decodeEscapes(body: string, bytes = false): string {
  if (!body.includes('\\')) return body;
  let out = '';
  for (let i = 0; i < body.length; i++) {
    const c = body[i];
    if (c !== '\\' || i + 1 >= body.length) { out += c; continue; }
    const e = body[i + 1];
    if (e === '\n' || e === '\r') {
      // A backslash-newline continues the literal on the next line and is no part of its value.
      i += e === '\r' && body[i + 2] === '\n' ? 2 : 1;
      continue;
    }
    if (e in SIMPLE) { out += SIMPLE[e]; i++; continue; }
    if (e >= '0' && e <= '7') {
      const m = /^[0-7]{1,3}/.exec(body.slice(i + 1, i + 4))![0];
      out += String.fromCharCode(parseInt(m, 8));
      i += m.length;
      continue;
    }
    const hexLen = e === 'x' ? 2 : !bytes && e === 'u' ? 4 : !bytes && e === 'U' ? 8 : 0;
    if (hexLen) {
      const h = body.slice(i + 2, i + 2 + hexLen);
      const code = h.length === hexLen && /^[0-9a-fA-F]+$/.test(h) ? parseInt(h, 16) : NaN;
      if (Number.isFinite(code) && code <= 0x10ffff) {
        out += String.fromCodePoint(code);
        i += 1 + hexLen;
        continue;
      }
    }
    if (!bytes && e === 'N' && body[i + 2] === '{') {
      const close = body.indexOf('}', i + 3);
      if (close > i + 3) { out += NAMED_PLACEHOLDER; i = close; continue; }
    }
    out += c;
  }
  return out;
}

/** Prefix flags of a literal such as `rb'…'` or `F"…"`. */
export function literalPrefix(prefix: string): { raw: boolean; bytes: boolean } {
  const p = prefix.toLowerCase();
  return { raw: p.includes('r'), bytes: p.includes('b') };
}

/** The value of one string or bytes literal token, quotes and prefix included (`'a\n'`, `r"x"`, `b'''…'''`). */
export function stringLiteralValue(s: string): string {
  const m = /^([rRbBuU]{0,2})('''|"""|'|")/.exec(s);
  if (!m) return s;
  const q = m[2];
  let body = s.slice(m[0].length);
  if (body.endsWith(q) && body.length >= q.length) body = body.slice(0, -q.length);
  const { raw, bytes } = literalPrefix(m[1]);
  return raw ? body : decodeEscapes(body, bytes);
}
