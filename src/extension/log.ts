import * as vscode from 'vscode';

/** The FlopLens output channel (a LogOutputChannel, so levels follow the user's log-level setting). */
export class Log implements vscode.Disposable {
  private readonly channel = vscode.window.createOutputChannel('FlopLens', { log: true });

  info(message: string): void {
    this.channel.info(message);
  }

  warn(message: string): void {
    this.channel.warn(message);
  }

  error(message: string, err?: unknown): void {
    this.channel.error(err === undefined ? message : `${message}: ${err instanceof Error ? err.stack ?? err.message : String(err)}`);
  }

  debug(message: string): void {
    this.channel.debug(message);
  }

  show(): void {
    this.channel.show(true);
  }

  dispose(): void {
    this.channel.dispose();
  }
}
