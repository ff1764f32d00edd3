import * as vscode from 'vscode';
import { clearCredentials } from './editor/commands/clearCredentials';
import { clearResults } from './editor/commands/clearResults';
import { deleteSelected } from './editor/commands/deleteSelected';
import { exportReport } from './editor/commands/exportReport';
import { retryFailed } from './editor/commands/retryFailed';
import { showMappings } from './editor/commands/showMappings';
import { previewSelected } from './editor/commands/previewSelected';
import { restoreDeleted } from './editor/commands/restoreDeleted';
import { setCredentials } from './editor/commands/setCredentials';
import { showLog } from './editor/commands/showLog';
import { CredentialStore } from './editor/credentialStore';
import { IpHover } from './editor/hover';
import { JournalStore } from './editor/journalStore';
import { KnownMappings } from './editor/knownMappings';
import { RetryQuickFix } from './editor/quickFixes';
import { RunStatus } from './editor/runStatus';
import { ResultsView } from './editor/resultsView';
import type { Services } from './editor/services';

/**
 * Activation only wires things up: no network I/O, and the network code (undici) is loaded
 * by the first command that needs it.
 */
export function activate(context: vscode.ExtensionContext): void {
  // The log comes first, so everything after it can report what it does.
  const log = vscode.window.createOutputChannel('Cloudflare Origin Regions', { log: true });
  const version = String(context.extension.packageJSON.version);
  log.info(`Cloudflare Origin Cloud Regions ${version} activated.`);

  // Credentials live only in SecretStorage; a change made in another window is followed.
  const credentials = new CredentialStore(context.secrets);
  credentials.onDidChange(() => log.info('Stored credentials changed (this or another window).'));

  // Results of each run show as diagnostics on the document they came from.
  const results = new ResultsView();

  // Every deleted mapping is journaled in global storage, so it can be put back later.
  const journal = new JournalStore(context.globalStorageUri, log);

  // A status bar item follows a run, then shows its summary for a while.
  const status = new RunStatus();

  const services: Services = {
    log,
    credentials,
    results,
    journal,
    knownMappings: new KnownMappings(),
    status,
    workspaceState: context.workspaceState,
    userAgent: `cloudflare-origin-regions-vscode/${version}`,
  };

  // One command per file under editor/commands.
  const commands: Record<string, (...args: unknown[]) => unknown> = {
    'cloudflareOriginRegions.deleteSelected': (args) => deleteSelected(services, args),
    'cloudflareOriginRegions.previewSelected': (args) => previewSelected(services, args),
    'cloudflareOriginRegions.restoreDeleted': (args) => restoreDeleted(services, args),
    'cloudflareOriginRegions.retryFailed': (args) => retryFailed(services, args),
    'cloudflareOriginRegions.showMappings': (args) => showMappings(services, args),
    'cloudflareOriginRegions.exportReport': (args) => exportReport(services, args),
    'cloudflareOriginRegions.setCredentials': (args) => setCredentials(services, args),
    'cloudflareOriginRegions.clearCredentials': () => clearCredentials(services),
    'cloudflareOriginRegions.clearResults': () => clearResults(services),
    'cloudflareOriginRegions.showLog': () => showLog(services),
  };
  // Hovers and quick fixes on IPs in any text document; both are cheap until used.
  const anyText: vscode.DocumentSelector = [{ scheme: 'file' }, { scheme: 'untitled' }];
  context.subscriptions.push(
    vscode.languages.registerHoverProvider(anyText, new IpHover(services)),
    vscode.languages.registerCodeActionsProvider(anyText, new RetryQuickFix(), {
      providedCodeActionKinds: RetryQuickFix.kinds,
    }),
  );

  context.subscriptions.push(
    log,
    credentials,
    results,
    status,
    ...Object.entries(commands).map(([id, run]) => vscode.commands.registerCommand(id, run)),
  );
}

export function deactivate(): void {
  // Everything is disposed through context.subscriptions.
}
