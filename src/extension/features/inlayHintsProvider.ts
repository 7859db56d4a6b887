import * as vscode from 'vscode';
import { locToRange, programLine } from '../locations';
import type { Services } from '../services';
import { PYTHON_SELECTOR, placeFor } from './editorContext';
import { inlayHints } from './lookup';

/** Inlay hints after each layer call: output shape and forward FLOPs per step (off by default). */
export class InlayHintsProvider implements vscode.InlayHintsProvider {
  private readonly changed = new vscode.EventEmitter<void>();
  readonly onDidChangeInlayHints = this.changed.event;

  constructor(private readonly services: Services) {}

  static register(services: Services): vscode.Disposable {
    const provider = new InlayHintsProvider(services);
    return vscode.Disposable.from(
      provider.changed,
      services.store.onDidChange((e) => e.reason === 'updated' && provider.changed.fire()),
      vscode.languages.registerInlayHintsProvider(PYTHON_SELECTOR, provider),
    );
  }

  async provideInlayHints(doc: vscode.TextDocument, range: vscode.Range, token: vscode.CancellationToken): Promise<vscode.InlayHint[]> {
    const place = await placeFor(this.services.store, doc, token, { waitMs: 0, allowStale: false });
    if (!place) return [];
    const hints: vscode.InlayHint[] = [];
    for (const h of inlayHints(place.entry.analysis, programLine(place, range.start), programLine(place, range.end))) {
      const r = locToRange(place, h.loc);
      if (!r || !range.contains(r.end)) continue;
      const line = doc.lineAt(Math.min(r.end.line, doc.lineCount - 1));
      const hint = new vscode.InlayHint(line.range.end, `  ${h.label}`, vscode.InlayHintKind.Type);
      hint.tooltip = h.tooltip;
      hint.paddingLeft = true;
      hints.push(hint);
    }
    return hints;
  }
}
