/**
 * Jupyter notebooks: code cells in order, analysed as one program. IPython magics and shell escapes
 * are blanked (kept as empty lines so line numbers within a cell stay put), except that a timing magic's
 * statement (`%time train(...)`) is kept: it runs.
 */

/**
 * What a code cell showed when the notebook was last run (its saved outputs): the evidence of values FlopLens cannot
 * compute statically (a vocabulary's `len(vocab)` printed as `21635`). Read, never executed.
 */
export interface CellOutputs {
  /** The cell's 1-based position in the notebook (markdown cells counted), as the user sees it. */
  cell: number;
  /** The text/plain of the cell's execute_result: the value of its last expression. */
  result?: string;
  /** What the cell printed to stdout, stream outputs joined in order. */
  stdout?: string;
}

/** Code cells of a notebook and what was wrong with it (each a sentence for the user). */
export interface NotebookRead {
  cells: string[];
  /** Saved outputs of the code cells, index for index with `cells` (a cell without outputs has only `cell`). */
  outputs: CellOutputs[];
  /** `not a valid notebook: …` when nothing could be read; one sentence per skipped cell otherwise. */
  problems: { severity: 'error' | 'warning'; message: string }[];
}

/** Strips a leading byte-order mark (U+FEFF). */
export function stripBom(text: string): string {
  return text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
}

/**
 * Reads an .ipynb JSON text. A leading BOM is ignored; text that is not JSON, binary data, or JSON without a
 * `cells` list gives one error "not a valid notebook: …" and no cells. A code cell whose `source` is neither a
 * string nor a list of strings is skipped with a warning. Never throws.
 */
export function readNotebook(json: string): NotebookRead {
  const text = stripBom(typeof json === 'string' ? json : '');
  const invalid = (why: string): NotebookRead => ({ cells: [], outputs: [], problems: [{ severity: 'error', message: `not a valid notebook: ${why}` }] });
  // Binary files: NUL bytes or (after UTF-8 decoding) replacement characters outside any string are not JSON.
  if (/\u0000/.test(text.slice(0, 65_536))) return invalid('it holds binary data (NUL bytes), not JSON text.');
  let nb: unknown;
  try {
    nb = JSON.parse(text);
  } catch (e) {
    const why = e instanceof Error ? e.message : String(e);
    return invalid(`the JSON does not parse (${why.length > 120 ? `${why.slice(0, 117)}…` : why}).`);
  }
  if (nb === null || typeof nb !== 'object' || Array.isArray(nb)) return invalid('the JSON is not an object with a "cells" list.');
  const cells = (nb as { cells?: unknown }).cells;
  if (!Array.isArray(cells)) return invalid('it has no "cells" list.');
  const out: string[] = [];
  const outputs: CellOutputs[] = [];
  const problems: NotebookRead['problems'] = [];
  cells.forEach((c, i) => {
    if (c === null || typeof c !== 'object') { problems.push({ severity: 'warning', message: `Notebook cell ${i + 1} is not an object; it was skipped.` }); return; }
    const cell = c as { cell_type?: unknown; source?: unknown; outputs?: unknown };
    if (cell.cell_type !== 'code') return;
    const src = cellSource(cell.source);
    if (src === undefined) {
      problems.push({ severity: 'warning', message: `Notebook cell ${i + 1}: its source is neither text nor a list of text lines; the cell was skipped.` });
      return;
    }
    out.push(cleanCell(out.length === 0 ? stripBom(src) : src));
    outputs.push(savedOutputs(cell.outputs, i + 1));
  });
  return { cells: out, outputs, problems };
}

/** Longest saved output text kept per cell and kind (characters): evidence is a number or a short line, not a log. */
export const MAX_OUTPUT_CHARS = 16_384;
/** Most output entries of one cell read (a training loop may print thousands). */
const MAX_OUTPUTS = 256;

/** Text of an nbformat multiline string (a string or a list of strings); undefined for anything else. */
function multiline(v: unknown): string | undefined {
  if (typeof v === 'string') return v;
  if (Array.isArray(v) && v.every((s) => typeof s === 'string')) return v.join('');
  return undefined;
}

/**
 * A code cell's saved outputs: the text/plain of its execute_result and its stdout stream text, each cut at
 * MAX_OUTPUT_CHARS. Malformed entries (not objects, text that is not a string or list of strings) are skipped.
 */
export function savedOutputs(raw: unknown, cell: number): CellOutputs {
  const o: CellOutputs = { cell };
  if (!Array.isArray(raw)) return o;
  let stdout = '';
  for (const entry of raw.slice(0, MAX_OUTPUTS)) {
    if (entry === null || typeof entry !== 'object') continue;
    const e = entry as { output_type?: unknown; name?: unknown; text?: unknown; data?: unknown };
    if (e.output_type === 'stream' && e.name === 'stdout') {
      const t = multiline(e.text);
      if (t !== undefined && stdout.length < MAX_OUTPUT_CHARS) stdout += t;
    } else if (e.output_type === 'execute_result' && e.data !== null && typeof e.data === 'object') {
      const t = multiline((e.data as Record<string, unknown>)['text/plain']);
      if (t !== undefined) o.result = t.slice(0, MAX_OUTPUT_CHARS);
    }
  }
  if (stdout) o.stdout = stdout.slice(0, MAX_OUTPUT_CHARS);
  return o;
}

/** A cell's `source` as text: a string, or a list of strings joined; undefined for anything else. */
function cellSource(source: unknown): string | undefined {
  if (source === undefined) return '';
  if (typeof source === 'string') return source;
  if (Array.isArray(source) && source.every((s) => typeof s === 'string')) return source.join('');
  return undefined;
}

/** Code cells of an .ipynb JSON text; [] when it is not a valid notebook (see `readNotebook` for why). */
export function notebookCells(json: string): string[] {
  return readNotebook(json).cells;
}

/**
 * Line magics that run the statement after them (`%time train(model)`, `%timeit -n 3 f(x)`, `%prun main()`): the
 * statement is kept, once, at its own column (the magic and its options become spaces).
 */
const RUNNING_MAGIC = /^(\s*)(%(?:time|timeit|prun|memit|mprun)\b(?:\s+-[a-zA-Z](?:\s+\d+|\S*))*\s+)(\S.*)$/;

/** The first line of a cell whose body is not Python: a cell magic of another language, a file to write or a shell. */
const OTHER_LANGUAGE_CELL = /^\s*%%(?:bash|sh|script|html|HTML|javascript|js|latex|markdown|svg|writefile|file|perl|ruby|system|sx|cmd|powershell)\b/;

/**
 * Blank IPython-only lines (`%matplotlib inline`, `!pip install`, `%%time`); keep the statement of a running magic.
 * Only a line that starts a statement can be one: a line inside open brackets, a triple-quoted string or after a
 * backslash continues Python code (`% (epoch + 1, loss)`, the format operator of a multi-line print, is not a magic).
 */
export function cleanCell(src: string): string {
  // A cell magic that hands the cell to another language (`%%bash`, `%%writefile f.py`, `%%html`): no line of it is Python.
  if (OTHER_LANGUAGE_CELL.test(src)) return src.split('\n').map(() => '').join('\n');
  const cont = new LineContinuation();
  return src.split('\n').map((l) => {
    if (!cont.continues) {
      const m = RUNNING_MAGIC.exec(l);
      if (m) { cont.scan(m[3]); return m[1] + ' '.repeat(m[2].length) + m[3]; }
      if (/^\s*(?:%%?[A-Za-z_]|!)/.test(l)) return '';
    }
    cont.scan(l);
    return l;
  }).join('\n');
}

/** Whether the next line continues a Python statement: open brackets, an open triple-quoted string, a trailing backslash. */
class LineContinuation {
  private depth = 0;
  private triple: string | undefined;
  private backslash = false;
  get continues(): boolean { return this.depth > 0 || this.triple !== undefined || this.backslash; }

  scan(line: string): void {
    this.backslash = false;
    let i = 0;
    while (i < line.length) {
      if (this.triple) {
        const end = line.indexOf(this.triple, i);
        if (end < 0) return;
        this.triple = undefined;
        i = end + 3;
        continue;
      }
      const c = line[i];
      if (c === '#') return;
      if (c === '"' || c === "'") {
        if (line.startsWith(c.repeat(3), i)) { this.triple = c.repeat(3); i += 3; continue; }
        i++;
        while (i < line.length && line[i] !== c) i += line[i] === '\\' ? 2 : 1;
        i++;
        continue;
      }
      if (c === '(' || c === '[' || c === '{') this.depth++;
      else if ((c === ')' || c === ']' || c === '}') && this.depth > 0) this.depth--;
      else if (c === '\\' && i === line.length - 1) this.backslash = true;
      i++;
    }
  }
}
