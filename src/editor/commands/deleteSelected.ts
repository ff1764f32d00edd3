import * as vscode from 'vscode';
import type { Credentials } from '../../core/cloudflare/credentials';
import { ApiError } from '../../core/cloudflare/errors';
import type { Zone } from '../../core/cloudflare/responses';
import { extractIps } from '../../core/ip/extract';
import type { Extraction, TextSegment } from '../../core/ip/types';
import { renderReport, summarise } from '../../core/render/renderReport';
import { buildReport, type RunReport } from '../../core/report';
import { placeResults } from '../../core/results/placement';
import type { DeleteRunOutcome } from '../../core/run/deleteInBatches';
import { assessRun, type RunAssessment } from '../../core/run/budget';
import { isZoneId, MAX_MAPPINGS_PER_ZONE, zoneIdProblem } from '../../core/settings';
import { loadNetwork, openConnection, type Connection } from '../connection';
import type { Services } from '../services';
import { readSettings, type ExtensionSettings } from '../settings';
import { lastZone, pickZone, rememberZone } from '../zonePicker';
import { promptForCredentials, verifyAndStore } from './setCredentials';

/** The optional argument, for keybindings, tasks and other extensions. */
export interface DeleteSelectedArgs {
  zoneId?: string;
  confirm?: boolean;
}

/**
 * `cloudflareOriginRegions.deleteSelected`: deletes the mappings of the IPs selected in the
 * active editor and shows what happened to each. Resolves to the run's report, or undefined
 * when the user dismissed a prompt or nothing could be sent.
 */
export async function deleteSelected(
  services: Services,
  rawArgs?: unknown,
): Promise<RunReport | undefined> {
  const args = readArgs(rawArgs);
  if (typeof args === 'string') return fail(args);

  const editor = vscode.window.activeTextEditor;
  if (!editor) return fail('Open a file that lists origin IPs and select them first.');
  const document = editor.document;
  const settings = readSettings();

  const extraction = await readSelectedIps(editor, args.confirm !== false);
  if (!extraction) return undefined;
  if (extraction.ips.length === 0) {
    showResults(services, document.uri, extraction, { zoneId: '', ...emptyOutcome() }, settings);
    const invalid = extraction.invalid.length
      ? ` ${extraction.invalid.length} address-like entries are not valid IPs; see the Problems panel.`
      : '';
    return fail(`No IP addresses found in the selection; nothing was sent.${invalid}`);
  }

  // A selection far beyond a zone's mappings is not sent blindly: it is weighed first.
  const assessment = assessRun(extraction.ips.length, settings.batchSize);
  if (assessment.refusal) return fail(`${assessment.refusal} Nothing was sent.`);
  const mustConfirm = assessment.exceedsZone || assessment.minIntervalMs > 0;
  if (mustConfirm && args.confirm === false) {
    return fail(
      `${countOf(extraction.ips.length, 'IP')} is more than a zone holds; such a run is only sent after you confirm it. Run the command without confirm: false. Nothing was sent.`,
    );
  }

  const credentials = await credentialsForRun(services, settings);
  if (!credentials) return undefined;

  let connection: Connection;
  try {
    connection = openConnection(settings, credentials, services.log, services.userAgent);
  } catch (error) {
    return fail((error as Error).message);
  }

  try {
    const zone = args.zoneId
      ? zoneFromId(args.zoneId, services.workspaceState)
      : await pickZone(
          connection.client,
          services.workspaceState,
          settings.defaultZoneId,
          services.log,
        );
    if (!zone) return undefined;
    await rememberZone(services.workspaceState, zone);

    const originIps = extraction.ips.map((ip) => ip.originIp);
    if (mustConfirm || (args.confirm !== false && settings.confirmBeforeDelete)) {
      if (!(await confirmDeletion(zone, extraction, settings, assessment))) return undefined;
    }

    logRunHeader(services.log, zone, extraction, settings);
    const outcome = await runWithProgress(
      connection,
      zone,
      originIps,
      settings,
      assessment.minIntervalMs,
      services.log,
    );
    const report = buildReport(zone.id, outcome, extraction.invalid);

    for (const line of renderReport(report)) services.log.info(line);
    showResults(services, document.uri, extraction, report, settings);
    await keepEditorOpen(document);
    announce(report, zone, outcome);
    return report;
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    services.log.error(message);
    offerNextStep(error, message);
    return undefined;
  } finally {
    await connection.close();
  }
}

function readArgs(rawArgs: unknown): DeleteSelectedArgs | string {
  // Menus pass the document's URI as the first argument; only a plain object is ours.
  if (rawArgs === undefined || rawArgs === null || rawArgs instanceof vscode.Uri) return {};
  if (typeof rawArgs !== 'object') return 'The argument must be an object: { zoneId?, confirm? }.';
  const { zoneId, confirm } = rawArgs as Record<string, unknown>;
  if (zoneId !== undefined && (typeof zoneId !== 'string' || !isZoneId(zoneId.trim()))) {
    return `The zoneId argument is not a zone ID; nothing was sent. ${zoneIdProblem(String(zoneId))}`;
  }
  if (confirm !== undefined && typeof confirm !== 'boolean') {
    return 'The confirm argument must be true or false; nothing was sent.';
  }
  return { zoneId: zoneId?.trim().toLowerCase(), confirm };
}

/** Reads the IPs of every selection; with none, offers the whole document. */
async function readSelectedIps(
  editor: vscode.TextEditor,
  ask: boolean,
): Promise<Extraction | undefined> {
  const document = editor.document;
  const selections = editor.selections
    .filter((selection) => !selection.isEmpty)
    .sort((a, b) => a.start.compareTo(b.start));
  if (selections.length > 0) {
    return extractIps(selections.map((selection) => segmentOf(document, selection)));
  }

  const whole = extractIps([{ text: document.getText(), line: 0, character: 0 }]);
  if (!ask) return whole;
  const choice = await vscode.window.showInformationMessage(
    `Nothing is selected. Use the whole document? It holds ${countOf(whole.ips.length, 'IP address')}.`,
    { modal: true },
    'Use Whole Document',
  );
  return choice ? whole : undefined;
}

function segmentOf(document: vscode.TextDocument, selection: vscode.Selection): TextSegment {
  return {
    text: document.getText(selection),
    line: selection.start.line,
    character: selection.start.character,
  };
}

/** The stored credentials of the configured method (or the other one), else asks for them. */
async function credentialsForRun(
  services: Services,
  settings: ExtensionSettings,
): Promise<Credentials | undefined> {
  const other = settings.authMethod === 'apiToken' ? 'globalApiKey' : 'apiToken';
  const stored =
    (await services.credentials.get(settings.authMethod)) ??
    (await services.credentials.get(other));
  if (stored) return stored;

  const entered = await promptForCredentials(settings.authMethod);
  if (!entered || !(await verifyAndStore(services, entered))) return undefined;
  return entered;
}

function zoneFromId(zoneId: string, workspaceState: vscode.Memento): Zone {
  const last = lastZone(workspaceState);
  return last?.id === zoneId ? last : { id: zoneId, name: zoneId };
}

async function confirmDeletion(
  zone: Zone,
  extraction: Extraction,
  settings: ExtensionSettings,
  assessment: RunAssessment,
): Promise<boolean> {
  const count = extraction.ips.length;
  const details = [
    `${countOf(assessment.requests, 'request')} of up to ${settings.batchSize} IPs, ${settings.concurrency} at a time.`,
  ];
  if (assessment.exceedsZone) {
    details.push(
      `That is more IPs than the ${MAX_MAPPINGS_PER_ZONE.toLocaleString('en-US')} mappings a zone can hold.`,
    );
  }
  if (assessment.exceedsZone || assessment.minIntervalMs > 0) {
    details.push(`It takes ${assessment.summary}`);
  }
  if (extraction.invalid.length) {
    details.push(
      `${countOf(extraction.invalid.length, 'invalid entry', 'invalid entries')} will be skipped.`,
    );
  }
  details.push('Cloudflare has no undo for this.');
  const choice = await vscode.window.showWarningMessage(
    `Delete the cloud region mappings of ${countOf(count, 'IP')} in zone ${zoneLabel(zone)}?`,
    { modal: true, detail: details.join(' ') },
    'Delete',
  );
  return choice === 'Delete';
}

function logRunHeader(
  log: vscode.LogOutputChannel,
  zone: Zone,
  extraction: Extraction,
  settings: ExtensionSettings,
): void {
  const requests = Math.ceil(extraction.ips.length / settings.batchSize);
  log.info(
    `Deleting the mappings of ${countOf(extraction.ips.length, 'IP')} in zone ${zoneLabel(zone)}: ` +
      `${countOf(requests, 'batch', 'batches')} of up to ${settings.batchSize}, ${settings.concurrency} at a time, ` +
      `up to ${settings.maxRetries} retries each; ${extraction.invalid.length} invalid entries skipped.`,
  );
}

async function runWithProgress(
  connection: Connection,
  zone: Zone,
  originIps: string[],
  settings: ExtensionSettings,
  minIntervalMs: number,
  log: vscode.LogOutputChannel,
): Promise<DeleteRunOutcome> {
  const { deleteInBatches } = loadNetwork();
  return vscode.window.withProgress(
    {
      location: vscode.ProgressLocation.Notification,
      title: `Deleting mappings in ${zoneLabel(zone)}`,
      cancellable: true,
    },
    async (progress, token) => {
      const cancel = new AbortController();
      const subscription = token.onCancellationRequested(() => {
        log.info('Cancel requested: no further batch will be sent; requests in flight finish.');
        cancel.abort();
      });
      let reported = 0;
      try {
        return await deleteInBatches(connection.client, {
          zoneId: zone.id,
          originIps,
          batchSize: settings.batchSize,
          concurrency: settings.concurrency,
          maxRetries: settings.maxRetries,
          minIntervalMs,
          signal: cancel.signal,
          onProgress: ({ batchesDone, batchesTotal, deleted, failed, waiting }) => {
            const share = (batchesDone / batchesTotal) * 100;
            progress.report({
              increment: share - reported,
              message:
                waiting ??
                `${batchesDone} of ${batchesTotal} batches · ${deleted} deleted · ${failed} failed`,
            });
            reported = share;
          },
          onRetry: ({ batch, attempt, delayMs, reason }) =>
            log.warn(
              `Batch ${batch}: retry ${attempt} of ${settings.maxRetries} in ${(delayMs / 1000).toFixed(1)} s, because ${reason}`,
            ),
        });
      } finally {
        subscription.dispose();
      }
    },
  );
}

function showResults(
  services: Services,
  uri: vscode.Uri,
  extraction: Extraction,
  report: RunReport,
  settings: ExtensionSettings,
): void {
  services.results.show(uri, placeResults(report, extraction, settings.placement));
}

/**
 * Results live as long as their document's tab. A preview tab (opened with a single click) is
 * replaced by the next file opened, so it is kept, as an edit would keep it.
 */
async function keepEditorOpen(document: vscode.TextDocument): Promise<void> {
  if (vscode.window.activeTextEditor?.document === document) {
    await vscode.commands.executeCommand('workbench.action.keepEditor');
  }
}

/** The summary notification; not awaited, so the command resolves while it is shown. */
function announce(report: RunReport, zone: Zone, outcome: DeleteRunOutcome): void {
  const summary = summarise(report, zoneLabel(zone));
  const buttons = ['Show Log', 'Show Problems'];
  let shown: Thenable<string | undefined>;
  if (outcome.stoppedBy) {
    const stopped = `Stopped: ${outcome.stoppedBy.message}. ${summary}.`;
    const first = outcome.stoppedBy.kind === 'auth' ? ['Update Credentials'] : [];
    shown = vscode.window.showErrorMessage(stopped, ...first, ...buttons);
  } else if (report.failed.length || report.notSent.length) {
    shown = vscode.window.showWarningMessage(
      `${outcome.cancelled ? 'Cancelled: ' : ''}${summary}.`,
      ...buttons,
    );
  } else {
    shown = vscode.window.showInformationMessage(`${summary}.`, ...buttons);
  }
  void shown.then(runButton);
}

function offerNextStep(error: unknown, message: string): void {
  const auth = error instanceof ApiError && error.kind === 'auth';
  const buttons = auth ? ['Update Credentials', 'Show Log'] : ['Show Log'];
  void vscode.window
    .showErrorMessage(`${message}. Nothing was deleted.`, ...buttons)
    .then(runButton);
}

function runButton(choice: string | undefined): void {
  const commands: Record<string, string> = {
    'Show Log': 'cloudflareOriginRegions.showLog',
    'Show Problems': 'workbench.actions.view.problems',
    'Update Credentials': 'cloudflareOriginRegions.setCredentials',
  };
  if (choice && commands[choice]) void vscode.commands.executeCommand(commands[choice]);
}

function fail(message: string): undefined {
  void vscode.window.showErrorMessage(message);
  return undefined;
}

function emptyOutcome() {
  return { succeeded: [], failed: [], notSent: [], invalid: [] };
}

function zoneLabel(zone: Zone): string {
  return zone.name === zone.id ? zone.id : `${zone.name} (${zone.id})`;
}

function countOf(count: number, singular: string, plural = `${singular}s`): string {
  return `${count.toLocaleString('en-US')} ${count === 1 ? singular : plural}`;
}
