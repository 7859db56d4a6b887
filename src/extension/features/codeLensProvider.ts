import * as vscode from 'vscode';
import { CommandId } from '../commandIds';
import { locToRange } from '../locations';
import type { Services } from '../services';
import { PYTHON_SELECTOR, placeFor } from './editorContext';
import { escapeLabel } from '../../core/report/escape';
import { lensTitles } from './lookup';

/** CodeLens above model classes and training loops: params, FLOPs per step, best GPU and CPU times. */
export class CodeLensProvider implements vscode.CodeLensProvider {
  private readonly changed = new vscode.EventEmitter<void>();
  readonly onDidChangeCodeLenses = this.changed.event;

  constructor(private readonly services: Services) {}

  static register(services: Services): vscode.Disposable {
    const provider = new CodeLensProvider(services);
    const timers = new Set<ReturnType<typeof setTimeout>>();
    return vscode.Disposable.from(
      provider.changed,
      services.store.onDidChange((e) => {
        if (e.reason === 'pending') return;
        provider.changed.fire();
        // VS Code cancels a scheduled CodeLens request when the editor loses focus (command palette,
        // sidebar), and only asks again on focus or edit: repeat the change signal a little later so
        // lenses of a fresh analysis show without a click into the editor.
        for (const ms of [1000, 3000]) {
          const t = setTimeout(() => { timers.delete(t); provider.changed.fire(); }, ms);
          timers.add(t);
        }
      }),
      { dispose: () => { for (const t of timers) clearTimeout(t); } },
      vscode.languages.registerCodeLensProvider(PYTHON_SELECTOR, provider),
    );
  }

  /** Re-asks per document while its analysis is not ready (bounded), see `provideCodeLenses`. */
  private readonly retries = new Map<string, number>();

  async provideCodeLenses(doc: vscode.TextDocument, token: vscode.CancellationToken): Promise<vscode.CodeLens[]> {
    const key = doc.uri.toString();
    const place = await placeFor(this.services.store, doc, token, { waitMs: 1500, allowStale: true });
    if (!place) {
      // The analysis may land while this request waits, and VS Code drops a change event that arrives
      // during a request: ask again shortly, a bounded number of times, so lenses are not lost.
      const n = this.retries.get(key) ?? 0;
      if (n < 20 && !token.isCancellationRequested) {
        this.retries.set(key, n + 1);
        setTimeout(() => this.changed.fire(), 500);
      }
      return [];
    }
    this.retries.delete(key);
    const lenses: vscode.CodeLens[] = [];
    for (const { loc, title } of lensTitles(place.entry.analysis, this.services.config.current.currency)) {
      const range = locToRange(place, loc);
      if (!range) continue;
      const start = new vscode.Range(range.start.line, range.start.character, range.start.line, range.start.character);
      // Titles carry device names from settings: no `$(icon)` syntax of theirs may render.
      lenses.push(new vscode.CodeLens(start, { title: escapeLabel(title), command: CommandId.openPanel, tooltip: 'FlopLens: open the comparison panel', arguments: [{}] }));
    }
    return lenses;
  }
}
