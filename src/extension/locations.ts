import * as vscode from 'vscode';
import type { Loc } from '../core/types';
import type { AnalysisEntry } from './analysisStore';
import { cellLineToProgram, programLineToCell } from './notebookMap';

/**
 * Where a text document sits in an analysis: the script itself, or cell `cell` of a notebook.
 * Undefined when the document is not part of the entry.
 */
export interface DocPlace {
  entry: AnalysisEntry;
  /** Index among the analysed code cells; undefined for a script. */
  cell?: number;
}

export function placeOf(entry: AnalysisEntry, doc: vscode.TextDocument): DocPlace | undefined {
  const uri = doc.uri.toString();
  if (!entry.cells) return entry.key === uri ? { entry } : undefined;
  const cell = entry.cells.uris.indexOf(uri);
  return cell >= 0 ? { entry, cell } : undefined;
}

/** True when `loc` is in the analysed document itself (not in an imported module). */
export function inMainDocument(loc: Loc | undefined): loc is Loc {
  return loc !== undefined && !loc.file;
}

/** The range of `loc` in `doc`, or undefined when it lies elsewhere (another cell, an imported module). */
export function locToRange(place: DocPlace, loc: Loc | undefined): vscode.Range | undefined {
  if (!inMainDocument(loc)) return undefined;
  if (place.cell === undefined) return new vscode.Range(loc.line - 1, loc.col, Math.max(loc.endLine, loc.line) - 1, loc.endCol);
  const map = place.entry.cells!.map;
  const start = programLineToCell(map, loc.line);
  if (!start || start.cell !== place.cell) return undefined;
  const end = programLineToCell(map, loc.endLine);
  const endPos = end && end.cell === place.cell ? new vscode.Position(end.line, loc.endCol) : new vscode.Position(start.line, Number.MAX_SAFE_INTEGER);
  return new vscode.Range(new vscode.Position(start.line, loc.col), endPos);
}

/** The 1-based program line of a position in `doc`. */
export function programLine(place: DocPlace, position: vscode.Position): number {
  return place.cell === undefined ? position.line + 1 : cellLineToProgram(place.entry.cells!.map, place.cell, position.line);
}

/** The document and range of `loc` for revealing it: the script, or the notebook cell holding it. */
export function locTarget(entry: AnalysisEntry, loc: Loc | undefined): { uri: vscode.Uri; range: vscode.Range } | undefined {
  if (!inMainDocument(loc)) return undefined;
  if (!entry.cells) return { uri: entry.uri, range: new vscode.Range(loc.line - 1, loc.col, Math.max(loc.endLine, loc.line) - 1, loc.endCol) };
  const start = programLineToCell(entry.cells.map, loc.line);
  if (!start) return undefined;
  const end = programLineToCell(entry.cells.map, loc.endLine);
  const range = new vscode.Range(start.line, loc.col, end && end.cell === start.cell ? end.line : start.line, end && end.cell === start.cell ? loc.endCol : loc.col);
  return { uri: vscode.Uri.parse(entry.cells.uris[start.cell]), range };
}
