import * as vscode from 'vscode';
import { CommandId } from '../commandIds';
import { locToRange, programLine } from '../locations';
import type { Services } from '../services';
import { commandUri, PYTHON_SELECTOR, placeFor } from './editorContext';
import { opSecondsByDevice } from '../../shared/viewModel';
import { groupOps, hoverMarkdown, HOVER_COMMANDS, opsAt, opTimesFrom } from './lookup';

/**
 * Cost hovers on layer constructors, functional calls, model classes, `from_pretrained` lines and training
 * loops. Reads the store (waiting briefly for the current version), never analyses.
 */
export class HoverProvider implements vscode.HoverProvider {
  constructor(private readonly services: Services) {}

  static register(services: Services): vscode.Disposable {
    return vscode.languages.registerHoverProvider(PYTHON_SELECTOR, new HoverProvider(services));
  }

  async provideHover(doc: vscode.TextDocument, position: vscode.Position, token: vscode.CancellationToken): Promise<vscode.Hover | undefined> {
    const place = await placeFor(this.services.store, doc, token, { waitMs: 1000, allowStale: false });
    if (!place || token.isCancellationRequested) return undefined;
    const a = place.entry.analysis;
    const line = programLine(place, position);
    const bandwidth: Record<string, number> = {};
    for (const p of this.services.hardware.all()) bandwidth[p.id] = p.memoryBandwidth;
    const md = hoverMarkdown({
      analysis: a,
      line,
      col: position.character,
      opTimes: opTimesFrom(opSecondsByDevice(a)),
      bandwidth,
      panelLink: (opIndex) => commandUri(CommandId.openPanel, opIndex === undefined ? {} : { opIndex }),
      lineText: doc.lineAt(position.line).text,
      currency: this.services.config.current.currency,
    });
    if (!md) return undefined;
    const markdown = new vscode.MarkdownString(md);
    markdown.isTrusted = { enabledCommands: [...HOVER_COMMANDS] };
    markdown.supportHtml = false;
    const group = groupOps(opsAt(a, line, position.character));
    const op = group ? a.ops[group.indices[0]] : undefined;
    const range = op ? [op.declLoc, op.loc].map((loc) => locToRange(place, loc)).find((r) => r?.contains(position)) : undefined;
    return new vscode.Hover(markdown, range);
  }
}
