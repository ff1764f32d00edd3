import * as vscode from 'vscode';

const RETRYABLE = new Set(['failed', 'not-sent', 'possibly-deleted']);

/** Offers "Retry" as a quick fix on the diagnostics of IPs that were not deleted. */
export class RetryQuickFix implements vscode.CodeActionProvider {
  static readonly kinds = [vscode.CodeActionKind.QuickFix];

  provideCodeActions(
    _document: vscode.TextDocument,
    _range: vscode.Range,
    context: vscode.CodeActionContext,
  ): vscode.CodeAction[] {
    const ours = context.diagnostics.filter(
      (diagnostic) =>
        diagnostic.source === 'Cloudflare Origin Regions' && RETRYABLE.has(String(diagnostic.code)),
    );
    if (ours.length === 0) return [];
    const action = new vscode.CodeAction(
      vscode.l10n.t('Retry the IPs of the last run that were not deleted'),
      vscode.CodeActionKind.QuickFix,
    );
    action.diagnostics = ours;
    action.command = {
      command: 'cloudflareOriginRegions.retryFailed',
      title: vscode.l10n.t('Retry Failed IPs'),
    };
    return [action];
  }
}
