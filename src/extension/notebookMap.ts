/**
 * Maps locations between a notebook's code cells and the one program the core analyses (the cells
 * joined in order with `CELL_SEPARATOR`). Pure; lines are 1-based in the program (as `Loc`) and
 * 0-based within cells (as `vscode.Position`).
 */

/** How the core joins notebook cells into one program (see `analyze()` for `cells`). */
export const CELL_SEPARATOR = '\n\n';

export interface CellMap {
  /** 0-based program line at which each cell starts. */
  startLines: number[];
  /** Program offset (UTF-16) at which each cell starts. */
  startOffsets: number[];
  /** Line count of each cell. */
  lineCounts: number[];
}

export function buildCellMap(cells: readonly string[]): CellMap {
  const startLines: number[] = [];
  const startOffsets: number[] = [];
  const lineCounts: number[] = [];
  let line = 0;
  let offset = 0;
  const sepLines = CELL_SEPARATOR.split('\n').length - 1;
  for (const text of cells) {
    const lines = text.split('\n').length;
    startLines.push(line);
    startOffsets.push(offset);
    lineCounts.push(lines);
    line += lines - 1 + sepLines;
    offset += text.length + CELL_SEPARATOR.length;
  }
  return { startLines, startOffsets, lineCounts };
}

/** The cell and 0-based cell line of a 1-based program line; undefined when it falls on no cell. */
export function programLineToCell(map: CellMap, programLine: number): { cell: number; line: number } | undefined {
  const line0 = programLine - 1;
  for (let i = map.startLines.length - 1; i >= 0; i--) {
    if (line0 >= map.startLines[i]) {
      const line = line0 - map.startLines[i];
      return line < map.lineCounts[i] ? { cell: i, line } : undefined;
    }
  }
  return undefined;
}

/** The 1-based program line of a 0-based line in cell `cell`. */
export function cellLineToProgram(map: CellMap, cell: number, line: number): number {
  return (map.startLines[cell] ?? 0) + line + 1;
}

/** The program offset of a cell-local offset. */
export function cellOffsetToProgram(map: CellMap, cell: number, offset: number): number {
  return (map.startOffsets[cell] ?? 0) + offset;
}
