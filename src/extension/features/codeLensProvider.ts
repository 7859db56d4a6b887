import * as vscode from 'vscode';
import { CommandId } from '../commandIds';
import { locToRange } from '../locations';
import type { Services } from '../services';
import { PYTHON_SELECTOR, placeFor } from './editorContext';
import { lensTitles } from './lookup';

/** CodeLens above model classes and training loops: params, FLOPs per step, best GPU and CPU times. */
export class CodeLensProvider implements vscode.CodeLensProvider {
  private readonly changed = new vscode.EventEmitter<void>();
  readonly onDidChangeCodeLenses = this.changed.event;

  constructor(private readonly services: Services) {}

  static register(services: Services): vscode.Disposable {
    const provider = new CodeLensProvider(services);
    return vscode.Disposable.from(
      provider.changed,
      services.store.onDidChange((e) => e.reason !== 'pending' && provider.changed.fire()),
      vscode.languages.registerCodeLensProvider(PYTHON_SELECTOR, provider),
    );
  }

  async provideCodeLenses(doc: vscode.TextDocument, token: vscode.CancellationToken): Promise<vscode.CodeLens[]> {
    const place = await placeFor(this.services.store, doc, token, { waitMs: 1500, allowStale: true });
    if (!place) return [];
    const lenses: vscode.CodeLens[] = [];
    for (const { loc, title } of lensTitles(place.entry.analysis, this.services.config.current.currency)) {
      const range = locToRange(place, loc);
      if (!range) continue;
      const start = new vscode.Range(range.start.line, range.start.character, range.start.line, range.start.character);
      lenses.push(new vscode.CodeLens(start, { title, command: CommandId.openPanel, tooltip: 'FlopLens: open the comparison panel', arguments: [{}] }));
    }
    return lenses;
  }
}
