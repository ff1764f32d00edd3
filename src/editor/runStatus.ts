import * as vscode from 'vscode';

const SHOW_SUMMARY_MS = 30_000;

/** A status bar item while a run is in progress, then its summary for a while; a click shows the log. */
export class RunStatus implements vscode.Disposable {
  private readonly item = vscode.window.createStatusBarItem(
    'cloudflareOriginRegions.run',
    vscode.StatusBarAlignment.Left,
    0,
  );
  private hideTimer: NodeJS.Timeout | undefined;

  constructor() {
    this.item.name = 'Cloudflare Origin Regions';
    this.item.command = 'cloudflareOriginRegions.showLog';
  }

  running(text: string): void {
    clearTimeout(this.hideTimer);
    this.item.text = `$(sync~spin) ${text}`;
    this.item.tooltip = vscode.l10n.t('A Cloudflare run is in progress. Click to show the log.');
    this.item.show();
  }

  finished(summary: string, ok: boolean): void {
    clearTimeout(this.hideTimer);
    this.item.text = `${ok ? '$(check)' : '$(warning)'} ${summary}`;
    this.item.tooltip = vscode.l10n.t('The last Cloudflare run. Click to show the log.');
    this.item.show();
    this.hideTimer = setTimeout(() => this.item.hide(), SHOW_SUMMARY_MS);
  }

  dispose(): void {
    clearTimeout(this.hideTimer);
    this.item.dispose();
  }
}
