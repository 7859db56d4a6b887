/**
 * Jupyter notebooks: code cells in order, analysed as one program. IPython magics and shell escapes
 * are blanked (kept as empty lines so line numbers within a cell stay put).
 */

/** Code cells of an .ipynb JSON text; [] when it does not parse. */
export function notebookCells(json: string): string[] {
  let nb: unknown;
  try {
    nb = JSON.parse(json);
  } catch {
    return [];
  }
  const cells = (nb as { cells?: unknown[] })?.cells;
  if (!Array.isArray(cells)) return [];
  const out: string[] = [];
  for (const c of cells) {
    const cell = c as { cell_type?: string; source?: string | string[] };
    if (cell?.cell_type !== 'code') continue;
    const src = Array.isArray(cell.source) ? cell.source.join('') : typeof cell.source === 'string' ? cell.source : '';
    out.push(cleanCell(src));
  }
  return out;
}

/** Blank IPython-only lines (`%matplotlib inline`, `!pip install`, `%%time`). */
export function cleanCell(src: string): string {
  return src.split('\n').map((l) => (/^\s*[%!]/.test(l) ? '' : l)).join('\n');
}
