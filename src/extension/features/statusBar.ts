import * as vscode from 'vscode';
import { formatSeconds, formatSpeedup } from '../../core/format';
import { bestPair, shortName, speedup } from '../../shared/viewModel';
import { CommandId } from '../commandIds';
import { DisposableOwner } from '../disposable';
import type { Services } from '../services';

/** Best GPU vs CPU speed-up for the current script; click opens the comparison panel. */
export class StatusBar extends DisposableOwner {
  private readonly item = this.register(vscode.window.createStatusBarItem('floplens.status', vscode.StatusBarAlignment.Right, 100));

  constructor(private readonly services: Services) {
    super();
    this.item.name = 'FlopLens';
    this.item.command = CommandId.openPanel;
    this.register(services.views.onDidChange(() => this.update()));
    this.update();
  }

  private update(): void {
    const key = this.services.tracker.current;
    const entry = this.services.views.currentEntry();
    if (!key) {
      this.item.hide();
      return;
    }
    if (!entry) {
      this.item.text = '$(loading~spin) FlopLens';
      this.item.tooltip = 'FlopLens is reading the script…';
      this.item.show();
      return;
    }
    const a = entry.analysis;
    const s = speedup(a);
    const { cpu, gpu } = bestPair(a);
    this.item.text = s === undefined ? '$(graph) FlopLens' : a.verdict.gpuPaysOff ? `$(graph) GPU ${formatSpeedup(s)}` : `$(graph) CPU ok (GPU ${formatSpeedup(s)})`;
    const md = new vscode.MarkdownString();
    md.appendMarkdown('**FlopLens** — ');
    md.appendText(a.verdict.summary);
    if (gpu) md.appendText(`\n\n${shortName(gpu.hardwareName)}: ${formatSeconds(gpu.stepSeconds.mid)}/step, ${formatSeconds(gpu.runSeconds.mid)} run`);
    if (cpu) md.appendText(`\n\n${shortName(cpu.hardwareName)}: ${formatSeconds(cpu.stepSeconds.mid)}/step, ${formatSeconds(cpu.runSeconds.mid)} run`);
    md.appendMarkdown('\n\nClick to open the comparison panel.');
    this.item.tooltip = md;
    this.item.accessibilityInformation = { label: `FlopLens: ${a.verdict.summary}`, role: 'button' };
    this.item.show();
  }
}
