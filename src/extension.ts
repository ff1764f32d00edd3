import * as vscode from 'vscode';
import { COMMAND_IDS } from './editor/commandIds';
import type * as CommandTable from './editor/commandTable';
import { CredentialStore } from './editor/credentialStore';
import { JournalStore } from './editor/journalStore';
import { KnownMappings } from './editor/knownMappings';
import { RetryQuickFix } from './editor/quickFixes';
import { ResultsView } from './editor/resultsView';
import { RunStatus } from './editor/runStatus';
import type { Services } from './editor/services';

let commandTable: typeof CommandTable | undefined;

/** Loads dist/commands.js on the first command or hover that needs it. */
function commands(): typeof CommandTable {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  commandTable ??= require('./commands.js') as typeof CommandTable;
  return commandTable;
}

/**
 * Activation only wires things up: no network I/O; the commands' code (dist/commands.js) is
 * loaded by the first command, and the network code (dist/network.js) by the first request.
 */
export function activate(context: vscode.ExtensionContext): void {
  // The log comes first, so everything after it can report what it does. Its lines stay in
  // English, unlike what the user is shown: they are read when debugging and quoted to support.
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

  // One command per file under editor/commands, loaded on first use.
  const registrations = COMMAND_IDS.map((id) =>
    vscode.commands.registerCommand(`cloudflareOriginRegions.${id}`, (args: unknown) =>
      commands().COMMANDS[id](services, args),
    ),
  );

  // Hovers and quick fixes on IPs in any text document; both cost nothing until there are
  // results or known mappings to show.
  const anyText: vscode.DocumentSelector = [{ scheme: 'file' }, { scheme: 'untitled' }];
  let hover: CommandTable.IpHover | undefined;
  context.subscriptions.push(
    vscode.languages.registerHoverProvider(anyText, {
      provideHover: (document, position) => {
        const known = services.knownMappings.size > 0 || results.placedIn(document.uri).length > 0;
        if (!known) return undefined;
        hover ??= new (commands().IpHover)(services);
        return hover.provideHover(document, position);
      },
    }),
    vscode.languages.registerCodeActionsProvider(anyText, new RetryQuickFix(), {
      providedCodeActionKinds: RetryQuickFix.kinds,
    }),
  );

  context.subscriptions.push(log, credentials, results, status, ...registrations);
}

export function deactivate(): void {
  // Everything is disposed through context.subscriptions.
}
