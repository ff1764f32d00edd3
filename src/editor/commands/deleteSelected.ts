import * as vscode from 'vscode';
import { ApiError } from '../../core/cloudflare/errors';
import type { Mapping, Zone } from '../../core/cloudflare/responses';
import type { Extraction } from '../../core/ip/types';
import type { Journal, JournalMapping } from '../../core/journal/journal';
import { buildPreview, describePreview, type Preview } from '../../core/preview';
import { renderReport, summarise } from '../../core/render/renderReport';
import { buildReport, type DeletionOutcome, type RunReport } from '../../core/report';
import { placeResults, type PlacedResult } from '../../core/results/placement';
import type { DeleteRunOutcome } from '../../core/run/batchRun';
import { assessRun, type RunAssessment } from '../../core/run/budget';
import { MAX_MAPPINGS_PER_ZONE } from '../../core/settings';
import { loadNetwork, type Connection } from '../connection';
import {
  BUTTONS,
  counted,
  countOf,
  fail,
  ipCount,
  mappingCount,
  requestCount,
  runButton,
  zoneLabel,
} from '../messages';
import type { EditsSinceRead } from '../resultsView';
import { editorWithIps, readSelectedIps } from '../selection';
import type { Services } from '../services';
import { zoneIdArgumentProblem } from './arguments';
import { chooseZones, withSession, withCancellableProgress } from '../session';
import { readSettings, type ExtensionSettings } from '../settings';

/** The optional argument, for keybindings, tasks and other extensions. */
export interface DeleteSelectedArgs {
  zoneId?: string;
  /** Several zones: the same IPs are deleted from each, and a list of reports comes back. */
  zoneIds?: string[];
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
): Promise<RunReport | RunReport[] | undefined> {
  const args = readArgs(rawArgs);
  if (typeof args === 'string') return fail(services.log, args);

  const editor = editorWithIps();
  if (!editor) {
    return fail(
      services.log,
      vscode.l10n.t('Open a file that lists origin IPs and select them first.'),
    );
  }
  const document = editor.document;
  const settings = readSettings();

  const extraction = await readSelectedIps(editor, args.confirm !== false);
  if (!extraction) return undefined;
  if (extraction.ips.length === 0) {
    services.results.show(
      document.uri,
      placeResults(emptyReport(), extraction, settings.placement),
    );
    if (extraction.invalid.length === 0) {
      return fail(
        services.log,
        vscode.l10n.t('No IP addresses found in the selection; nothing was sent.'),
      );
    }
    const invalid = counted(
      extraction.invalid.length,
      (n) => vscode.l10n.t('{0} address-like entry is not valid; see the Problems panel.', n),
      (n) => vscode.l10n.t('{0} address-like entries are not valid; see the Problems panel.', n),
    );
    return fail(
      services.log,
      vscode.l10n.t('No IP addresses found in the selection; nothing was sent. {0}', invalid),
    );
  }

  // A selection far beyond a zone's mappings is not sent blindly: it is weighed first.
  const assessment = assessRun(extraction.ips.length, settings.batchSize);
  if (assessment.refusal)
    return fail(services.log, vscode.l10n.t('{0} Nothing was sent.', assessment.refusal));
  if (mustBeConfirmed(assessment) && args.confirm === false) {
    const why = assessment.exceedsZone
      ? vscode.l10n.t('{0} is more than a zone holds', ipCount(extraction.ips.length))
      : vscode.l10n.t(
          '{0} take {1} requests, which must be paced to stay within the rate limit',
          ipCount(extraction.ips.length),
          assessment.requests,
        );
    return fail(
      services.log,
      vscode.l10n.t(
        '{0}; such a run is only sent after you confirm it. Run the command without confirm: false. Nothing was sent.',
        why,
      ),
    );
  }

  // The IPs' places were read just now; the user may edit the file while the run goes on.
  const edits = services.results.recordEdits(document);
  try {
    await keepEditorOpen(document);
    return await deleteAndShow(
      services,
      document,
      { extraction, assessment, edits },
      args,
      settings,
    );
  } finally {
    edits.dispose();
  }
}

/** A run's reach beyond a zone, or its pacing, asks for a confirmation whatever the settings. */
function mustBeConfirmed(assessment: RunAssessment): boolean {
  return assessment.exceedsZone || assessment.minIntervalMs > 0;
}

/** Picks the zones, confirms, deletes, and shows the outcome on the IPs where they stand now. */
async function deleteAndShow(
  services: Services,
  document: vscode.TextDocument,
  read: { extraction: Extraction; assessment: RunAssessment; edits: EditsSinceRead },
  args: { zoneIds: string[]; confirm?: boolean },
  settings: ExtensionSettings,
): Promise<RunReport | RunReport[] | undefined> {
  const { extraction, assessment, edits } = read;
  const mustConfirm = mustBeConfirmed(assessment);
  return withSession(services, settings, async (connection) => {
    const zones = await chooseZones(services, connection, settings, args.zoneIds);
    if (!zones) return undefined;

    // Each zone is read before anything is deleted anywhere, so one confirmation covers all.
    const plans: DeletionPlan[] = [];
    for (const zone of zones) {
      plans.push(await planDeletion(services, connection, zone, extraction, settings, assessment));
    }
    const wantsConfirmation = args.confirm !== false && settings.confirmBeforeDelete;
    if ((mustConfirm || wantsConfirmation) && !(await confirmDeletion(plans))) return undefined;
    for (const plan of plans) {
      const typed = args.confirm !== false && needsTypedConfirmation(plan.preview, settings);
      if (typed && !(await confirmByTyping(plan.zone, plan.preview))) return undefined;
    }

    const runs = await deleteInZones(services, connection, plans);

    const finishedAt = new Date();
    services.results.show(
      document.uri,
      edits.apply(
        runs.flatMap(({ zone, report }, index) =>
          placeZoneResults(report, extraction, settings, zone, {
            several: runs.length > 1,
            withInvalid: index === 0,
          }),
        ),
      ),
      runs.map(({ zone, report }) => ({ report, zone, finishedAt })),
      edits.closed,
    );
    announce(runs);
    const reports = runs.map((run) => run.report);
    return reports.length === 1 ? reports[0] : reports;
  });
}

function readArgs(rawArgs: unknown): { zoneIds: string[]; confirm?: boolean } | string {
  // Menus pass the document's URI as the first argument; only a plain object is ours.
  if (rawArgs === undefined || rawArgs === null || rawArgs instanceof vscode.Uri) {
    return { zoneIds: [] };
  }
  if (typeof rawArgs !== 'object') {
    return vscode.l10n.t('The argument must be an object: { zoneId?, zoneIds?, confirm? }.');
  }
  const { zoneId, zoneIds, confirm } = rawArgs as Record<string, unknown>;
  const given = [
    ...(zoneId === undefined ? [] : [zoneId]),
    ...(Array.isArray(zoneIds) ? zoneIds : zoneIds === undefined ? [] : [zoneIds]),
  ];
  const problem = given.map(zoneIdArgumentProblem).find((found) => found !== undefined);
  if (problem !== undefined) return problem;
  if (confirm !== undefined && typeof confirm !== 'boolean') {
    return vscode.l10n.t('The confirm argument must be true or false; nothing was sent.');
  }
  const ids = [...new Set(given.map((id) => (id as string).trim().toLowerCase()))];
  return { zoneIds: ids, confirm };
}

export interface DeletionPlan {
  zone: Zone;
  extraction: Extraction;
  settings: ExtensionSettings;
  assessment: RunAssessment;
  preview: Preview;
  snapshot: ReadonlyMap<string, Mapping>;
  /** IPs an earlier run may have deleted; a retry sends them again. */
  possiblyDeleted?: ReadonlySet<string>;
}

/** Reads the zone's current mappings of the IPs and plans their deletion from it. */
export async function planDeletion(
  services: Services,
  connection: Connection,
  zone: Zone,
  extraction: Extraction,
  settings: ExtensionSettings,
  assessment: RunAssessment,
): Promise<DeletionPlan> {
  const { preview, snapshot } = await readPreview(services, connection, zone, extraction);
  return { zone, extraction, settings, assessment, preview, snapshot };
}

/** Reads the zone's current mappings of the IPs, and what deleting them would do. */
export async function readPreview(
  services: Services,
  connection: Connection,
  zone: Zone,
  extraction: Extraction,
): Promise<{ preview: Preview; snapshot: ReadonlyMap<string, Mapping> }> {
  const originIps = extraction.ips.map((ip) => ip.originIp);
  const { mappings, zoneTotal } = await readZoneSnapshot(services, connection, zone, originIps);
  return { preview: buildPreview(extraction, mappings, zoneTotal), snapshot: mappings };
}

/**
 * Deletes each plan's IPs from its zone in turn, under one cancellable progress notification
 * and the status bar item; after a cancel, the zones not reached yet are reported as not sent.
 */
export async function deleteInZones(
  services: Services,
  connection: Connection,
  plans: readonly DeletionPlan[],
): Promise<ZoneRun[]> {
  const several = plans.length > 1;
  const title = several
    ? vscode.l10n.t('Deleting mappings in {0} zones', plans.length)
    : vscode.l10n.t('Deleting mappings in {0}', zoneLabel(plans[0].zone));
  const runs = await withCancellableProgress(title, services, async (signal, report) => {
    const runs: ZoneRun[] = [];
    for (const [index, plan] of plans.entries()) {
      const progress = (share: number, message: string) =>
        report(
          (index * 100 + share) / plans.length,
          several ? `${plan.zone.name}: ${message}` : message,
        );
      const stop = runs.find(({ outcome }) => stopsEveryZone(outcome))?.outcome.stoppedBy;
      const run =
        signal.aborted || stop
          ? skipZone(services, plan, stop)
          : await runDeletion(services, connection, plan, signal, progress);
      runs.push({ zone: plan.zone, ...run });
    }
    return runs;
  });
  services.status.finished(
    runs.map(({ report, zone }) => summarise(report, zone.name)).join('; '),
    runs.every(
      ({ report, outcome }) =>
        !outcome.stoppedBy && report.failed.length === 0 && report.notSent.length === 0,
    ),
  );
  return runs;
}

/** Sends one zone's confirmed deletion, journals it batch by batch, and logs its report. */
async function runDeletion(
  services: Services,
  connection: Connection,
  plan: DeletionPlan,
  signal: AbortSignal,
  progress: (share: number, message: string) => void,
): Promise<{ report: RunReport; outcome: DeleteRunOutcome }> {
  const { zone, extraction, settings } = plan;
  logRunHeader(services.log, zone, extraction, settings, plan.preview);
  let journal: Journal;
  let runId: string;
  try {
    journal = await services.journal.open();
    runId = await journal.startRun({ action: 'delete', zoneId: zone.id, zoneName: zone.name });
  } catch (error) {
    // What cannot be journaled could not be restored: this zone and the later ones are not sent.
    const stop = new ApiError('config', `the journal could not record the run: ${String(error)}`);
    return skipZone(services, plan, stop);
  }
  const { deleteInBatches } = loadNetwork();
  const outcome = await deleteInBatches(connection.client, {
    zoneId: zone.id,
    originIps: extraction.ips.map((ip) => ip.originIp),
    batchSize: settings.batchSize,
    concurrency: settings.concurrency,
    maxRetries: settings.maxRetries,
    minIntervalMs: plan.assessment.minIntervalMs,
    possiblyDeleted: plan.possiblyDeleted,
    signal,
    onBatchSettled: (settled) => journal.record(runId, journalEntries(settled, plan.snapshot)),
    onProgress: ({ batchesDone, batchesTotal, deleted, failed, waiting }) =>
      progress(
        (batchesDone / batchesTotal) * 100,
        waiting ??
          vscode.l10n.t(
            '{0} of {1} batches · {2} deleted · {3} failed',
            batchesDone,
            batchesTotal,
            deleted,
            failed,
          ),
      ),
    onRetry: ({ batch, attempt, delayMs, reason }) =>
      services.log.warn(
        `Batch ${batch}: retry ${attempt} of ${settings.maxRetries} in ${(delayMs / 1000).toFixed(1)} s, because ${reason}`,
      ),
  });
  const report = buildReport(zone.id, outcome, extraction.invalid);
  for (const line of renderReport(report, 'delete', zoneLabel(zone))) services.log.info(line);
  services.knownMappings.forget(zone, [
    ...report.succeeded.map((mapping) => mapping.originIp),
    ...report.failed
      .filter((failure) => failure.possiblyDeleted)
      .map((failure) => failure.originIp),
  ]);
  return { report, outcome };
}

/**
 * Rejected credentials, a rate limit too long to wait out and a journal that cannot record hold
 * for the user's every zone: the zones after one they stopped are not tried.
 */
function stopsEveryZone({ stoppedBy }: DeleteRunOutcome): boolean {
  return (
    stoppedBy?.kind === 'auth' || stoppedBy?.kind === 'rateLimited' || stoppedBy?.kind === 'config'
  );
}

/** A zone that a cancel, or an earlier zone's stop, kept from its turn: nothing is sent there. */
function skipZone(
  services: Services,
  { zone, extraction }: DeletionPlan,
  stop?: ApiError,
): { report: RunReport; outcome: DeleteRunOutcome } {
  const reason = stop ? `not sent: ${stop.message}` : 'not sent: the run was cancelled';
  const notSent = extraction.ips.map(({ originIp }) => ({ originIp, reason }));
  const outcome: DeleteRunOutcome = { succeeded: [], failed: [], notSent, cancelled: !stop };
  if (stop) outcome.stoppedBy = stop;
  const report = buildReport(zone.id, outcome, extraction.invalid);
  for (const line of renderReport(report, 'delete', zoneLabel(zone))) services.log.info(line);
  return { report, outcome };
}

/**
 * One zone's results, placed on the document and tagged with the zone. With several zones,
 * each message names its zone and the invalid text is placed once, by `withInvalid`.
 */
export function placeZoneResults(
  report: RunReport,
  extraction: Extraction,
  settings: ExtensionSettings,
  zone: Zone,
  { several, withInvalid }: { several: boolean; withInvalid: boolean },
): PlacedResult[] {
  return placeResults(report, extraction, settings.placement).flatMap((result) => {
    if (result.code === 'invalid') return withInvalid ? [result] : [];
    const message = several ? `${zone.name}: ${result.message}` : result.message;
    return [{ ...result, message, zoneId: zone.id }];
  });
}

/** The zone's current mappings of the selected IPs, read before anything is deleted. */
async function readZoneSnapshot(
  services: Services,
  connection: Connection,
  zone: Zone,
  originIps: string[],
) {
  const log = services.log;
  const { readSnapshot } = loadNetwork();
  // In the status bar: a notification per zone would crowd out the run's own. Only when a read
  // has to wait (a rate limit, an outage) does a notification say so, with a Cancel button.
  const title = vscode.l10n.t('Reading the current mappings of {0}…', zoneLabel(zone));
  const notice = waitNotice(title);
  let snapshot;
  try {
    snapshot = await vscode.window.withProgress(
      { location: vscode.ProgressLocation.Window, title },
      () => readSnapshot(connection.reader(notice), zone.id, originIps),
    );
  } finally {
    notice.close();
  }
  log.info(
    `Snapshot of ${zoneLabel(zone)}: ${snapshot.mappings.size} of ${originIps.length} selected IPs have mappings (${countOf(snapshot.requests, 'request')}).`,
  );
  services.knownMappings.remember(zone, snapshot.mappings.values());
  return snapshot;
}

/**
 * A cancellable notification for reads, shown only once they have to wait between attempts;
 * its Cancel ends the wait. `close` takes it away when the reads are done.
 */
function waitNotice(title: string) {
  const cancel = new AbortController();
  let progress: vscode.Progress<{ message?: string }> | undefined;
  let latest = '';
  let close = () => {};
  const closed = new Promise<void>((resolve) => (close = resolve));
  return {
    signal: cancel.signal,
    onWait(message: string) {
      latest = message;
      if (progress) {
        progress.report({ message });
        return;
      }
      progress = { report: ({ message }) => (latest = message ?? latest) };
      void vscode.window.withProgress(
        { location: vscode.ProgressLocation.Notification, title, cancellable: true },
        (reporter, token) => {
          progress = reporter;
          reporter.report({ message: latest });
          token.onCancellationRequested(() => cancel.abort());
          return closed;
        },
      );
    },
    close: () => close(),
  };
}

/** What the journal keeps of a settled batch: every mapping deleted, or possibly deleted. */
export function journalEntries(
  settled: DeletionOutcome,
  snapshot: ReadonlyMap<string, Mapping>,
): JournalMapping[] {
  const entries: JournalMapping[] = [];
  for (const { originIp, vendor, region } of settled.succeeded) {
    const known = snapshot.get(originIp);
    const held = { vendor: vendor ?? known?.vendor, region: region ?? known?.region };
    if (held.vendor && held.region) {
      entries.push({ originIp, vendor: held.vendor, region: held.region, state: 'deleted' });
    }
  }
  for (const { originIp, possiblyDeleted } of settled.failed) {
    const known = snapshot.get(originIp);
    if (possiblyDeleted && known) {
      entries.push({
        originIp,
        vendor: known.vendor,
        region: known.region,
        state: 'possiblyDeleted',
      });
    }
  }
  return entries;
}

async function confirmDeletion(plans: DeletionPlan[]): Promise<boolean> {
  const [{ extraction, settings, assessment }] = plans;
  const count = ipCount(extraction.ips.length);
  const details =
    plans.length === 1
      ? [describePreview(plans[0].preview)]
      : plans.map(({ zone, preview }) => `${zone.name}: ${describePreview(preview)}`);
  details.push(
    vscode.l10n.t(
      '{0} of up to {1} IPs, {2} at a time.',
      requestCount(assessment.requests * plans.length),
      settings.batchSize,
      settings.concurrency,
    ),
  );
  if (assessment.exceedsZone) {
    details.push(
      vscode.l10n.t(
        'That is more IPs than the {0} mappings a zone can hold.',
        MAX_MAPPINGS_PER_ZONE.toLocaleString('en-US'),
      ),
    );
  }
  if (assessment.exceedsZone || assessment.minIntervalMs > 0) {
    details.push(vscode.l10n.t('It takes {0}', assessment.summary));
  }
  details.push(
    vscode.l10n.t(
      'Every deleted mapping is kept in the journal: Restore Deleted Mappings puts it back.',
    ),
  );
  const question =
    plans.length === 1
      ? vscode.l10n.t(
          'Delete the cloud region mappings of {0} in zone {1}?',
          count,
          zoneLabel(plans[0].zone),
        )
      : vscode.l10n.t(
          'Delete the cloud region mappings of {0} in {1} zones ({2})?',
          count,
          plans.length,
          plans.map((plan) => plan.zone.name).join(', '),
        );
  const deleteButton = vscode.l10n.t('Delete');
  const choice = await vscode.window.showWarningMessage(
    question,
    { modal: true, detail: details.join('\n') },
    deleteButton,
  );
  return choice === deleteButton;
}

function needsTypedConfirmation(preview: Preview, settings: ExtensionSettings): boolean {
  return preview.emptiesZone || preview.mapped.length > settings.confirmLargeDeletionThreshold;
}

/** For large deletions: the user types the zone's name, as a second, deliberate step. */
async function confirmByTyping(zone: Zone, preview: Preview): Promise<boolean> {
  const why = preview.emptiesZone
    ? vscode.l10n.t('This deletes every mapping of the zone.')
    : vscode.l10n.t('This deletes {0}.', mappingCount(preview.mapped.length));
  const typed = await vscode.window.showInputBox({
    title: vscode.l10n.t('Confirm a large deletion'),
    prompt: vscode.l10n.t("{0} Type the zone's name, {1}, to go ahead.", why, zone.name),
    placeHolder: zone.name,
    ignoreFocusOut: true,
    validateInput: (text) =>
      text.trim() === zone.name
        ? undefined
        : vscode.l10n.t('Type {0} exactly, or press Escape to stop.', zone.name),
  });
  return typed?.trim() === zone.name;
}

function logRunHeader(
  log: vscode.LogOutputChannel,
  zone: Zone,
  extraction: Extraction,
  settings: ExtensionSettings,
  preview: Preview,
): void {
  const requests = Math.ceil(extraction.ips.length / settings.batchSize);
  log.info(
    `Deleting the mappings of ${countOf(extraction.ips.length, 'IP')} in zone ${zoneLabel(zone)}: ` +
      `${countOf(requests, 'batch', 'batches')} of up to ${settings.batchSize}, ${settings.concurrency} at a time, ` +
      `up to ${settings.maxRetries} retries each; ${describePreview(preview)}`,
  );
}

/**
 * Results live as long as their document's tab. A preview tab (opened with a single click) is
 * replaced by the next file opened, so it is kept, as an edit would keep it: as soon as a run
 * has read it, so that opening another file meanwhile does not close it.
 */
export async function keepEditorOpen(document: vscode.TextDocument): Promise<void> {
  if (vscode.window.activeTextEditor?.document === document) {
    await vscode.commands.executeCommand('workbench.action.keepEditor');
  }
}

/** A zone's part of a run, as the summary notification reads it. */
export interface ZoneRun {
  report: RunReport;
  zone: Zone;
  outcome: DeleteRunOutcome;
}

/**
 * The summary notification, one for the whole run however many zones it covered; not
 * awaited, so the command resolves while it is shown.
 */
export function announce(runs: readonly ZoneRun[]): void {
  const summary = runs.map(({ report, zone }) => summarise(report, zoneLabel(zone))).join('; ');
  const stopped = runs.find(({ outcome }) => outcome.stoppedBy)?.outcome.stoppedBy;
  const buttons = [BUTTONS.showLog, BUTTONS.showProblems];
  let shown: Thenable<string | undefined>;
  if (stopped) {
    const message = vscode.l10n.t('Stopped: {0}. {1}.', stopped.message, summary);
    const first = stopped.kind === 'auth' ? [BUTTONS.updateCredentials] : [];
    shown = vscode.window.showErrorMessage(message, ...first, ...buttons);
  } else if (runs.some(({ report }) => report.failed.length || report.notSent.length)) {
    const message = runs.some(({ outcome }) => outcome.cancelled)
      ? vscode.l10n.t('Cancelled: {0}.', summary)
      : vscode.l10n.t('{0}.', summary);
    shown = vscode.window.showWarningMessage(message, ...buttons);
  } else {
    shown = vscode.window.showInformationMessage(vscode.l10n.t('{0}.', summary), ...buttons);
  }
  void shown.then(runButton);
}

function emptyReport(): RunReport {
  return { zoneId: '', succeeded: [], failed: [], notSent: [], invalid: [] };
}
