import * as vscode from 'vscode';
import type { Mapping, Zone } from '../../core/cloudflare/responses';
import type { JournalRun } from '../../core/journal/journal';
import { renderReport, summarise, type RunAction } from '../../core/render/renderReport';
import { buildReport, type DeletionOutcome, type RunReport } from '../../core/report';
import type { DeleteRunOutcome } from '../../core/run/batchRun';
import { loadNetwork, type Connection } from '../connection';
import { BUTTONS, countOf, fail, mappingCount, runButton, zoneLabel } from '../messages';
import type { Services } from '../services';
import { readZoneIdArgument } from './arguments';
import { withSession, withCancellableProgress } from '../session';
import { readSettings, type ExtensionSettings } from '../settings';
import { journalEntries } from './deleteSelected';

interface RunItem extends vscode.QuickPickItem {
  run: JournalRun;
}

/**
 * `cloudflareOriginRegions.restoreDeleted`: puts back the mappings a past run deleted (batch
 * upsert), or undoes a past restore (deletes what it put back). Every run is journaled, so a
 * restore can itself be undone. Takes `{ runId?, zoneId?, confirm? }` (zoneId: that zone's
 * newest deletion not yet restored, so repeating the call never deletes); resolves to the report.
 */
export async function restoreDeleted(
  services: Services,
  rawArgs?: unknown,
): Promise<RunReport | undefined> {
  const args = (typeof rawArgs === 'object' && rawArgs !== null ? rawArgs : {}) as {
    runId?: unknown;
    confirm?: unknown;
  };
  const zoneId = readZoneIdArgument(rawArgs);
  if (typeof zoneId === 'string') return fail(services.log, zoneId);
  const journal = await services.journal.open();
  const { runs, unreadableLines } = await journal.read();
  if (unreadableLines) services.log.warn(`Journal: skipped ${unreadableLines} unreadable lines.`);
  const candidates = runs.filter((run) => run.mappings.length > 0).reverse();
  if (candidates.length === 0) {
    void vscode.window.showInformationMessage(
      vscode.l10n.t('Nothing to restore: the journal holds no deleted mappings yet.'),
    );
    return undefined;
  }

  // For automation: a run by its ID, or the zone's newest deletion still to restore (never a
  // restore, whose undoing deletes); else the user picks.
  const named = typeof args.runId === 'string' || zoneId.zoneId !== undefined;
  const run = named
    ? candidates.find((candidate) =>
        typeof args.runId === 'string'
          ? candidate.runId === args.runId
          : candidate.zoneId === zoneId.zoneId &&
            candidate.action === 'delete' &&
            candidate.notUndone > 0,
      )
    : await pickRun(candidates);
  if (!run) {
    return named
      ? fail(
          services.log,
          typeof args.runId === 'string'
            ? vscode.l10n.t('No journaled run has the runId {0}.', args.runId)
            : vscode.l10n.t(
                'The journal holds no deletion in zone {0} that is not restored already.',
                String(zoneId.zoneId),
              ),
        )
      : undefined;
  }
  // Limitation: a restore upserts, so a mapping re-created with another region since the
  // deletion is overwritten, and undoing that restore deletes it rather than bringing it back.
  const undoing: RunAction = run.action === 'delete' ? 'restore' : 'delete';
  const zone: Zone = { id: run.zoneId, name: run.zoneName };
  if (args.confirm !== false && !(await confirmUndo(run, zone))) return undefined;

  const settings = readSettings();
  return withSession(services, settings, async (connection) => {
    const mappings = latestPerIp(run.mappings);
    const newRunId = await journal.startRun({
      action: undoing,
      zoneId: zone.id,
      zoneName: zone.name,
      undoes: run.runId,
    });
    services.log.info(
      `${undoing === 'restore' ? 'Restoring' : 'Deleting again'} ${countOf(mappings.length, 'mapping')} in zone ${zoneLabel(zone)}, undoing the ${run.action} of ${formatTime(run.at)}.`,
    );
    const outcome = await undoWithProgress(connection, zone, mappings, undoing, settings, {
      log: services.log,
      status: services.status,
      record: async (settled) => {
        const entries =
          undoing === 'restore'
            ? settled.succeeded.map((mapping) => ({
                ...byIp(mappings).get(mapping.originIp)!,
                state: 'restored' as const,
              }))
            : journalEntries(settled, byIp(mappings));
        await journal.record(newRunId, entries);
      },
    });
    const report = buildReport(zone.id, outcome, []);
    for (const line of renderReport(report, undoing, zoneLabel(zone))) services.log.info(line);
    services.status.finished(
      summarise(report, zone.name, undoing),
      !outcome.stoppedBy && report.failed.length === 0,
    );
    announce(report, zone, outcome, undoing);
    return report;
  });
}

async function pickRun(runs: JournalRun[]): Promise<JournalRun | undefined> {
  const items: RunItem[] = runs.map((run) => {
    const count = mappingCount(run.mappings.length);
    return {
      run,
      label: `$(history) ${run.zoneName === run.zoneId ? run.zoneId : run.zoneName}`,
      description:
        run.action === 'delete'
          ? vscode.l10n.t('deleted {0} · {1}', count, formatTime(run.at))
          : vscode.l10n.t('restored {0} · {1}', count, formatTime(run.at)),
      detail:
        run.action === 'delete'
          ? run.notUndone === 0
            ? vscode.l10n.t('Already restored; restoring again puts the same mappings back.')
            : run.undoneBy.length > 0
              ? vscode.l10n.t(
                  'Partly restored, {0} not put back yet: choose it to put these mappings back.',
                  mappingCount(run.notUndone),
                )
              : vscode.l10n.t('Not restored: choose it to put these mappings back.')
          : vscode.l10n.t('A restore: choose it to undo it, deleting what it put back.'),
    };
  });
  const chosen = await vscode.window.showQuickPick(items, {
    title: vscode.l10n.t('Restore Deleted Mappings'),
    placeHolder: vscode.l10n.t('Choose a past run to undo'),
    matchOnDescription: true,
    ignoreFocusOut: true,
  });
  return chosen?.run;
}

async function confirmUndo(run: JournalRun, zone: Zone): Promise<boolean> {
  const count = mappingCount(latestPerIp(run.mappings).length);
  const [question, button] =
    run.action === 'delete'
      ? [
          vscode.l10n.t(
            'Put back {0} in zone {1}, as they were before the deletion of {2}?',
            count,
            zoneLabel(zone),
            formatTime(run.at),
          ),
          vscode.l10n.t('Restore'),
        ]
      : [
          vscode.l10n.t(
            'Undo the restore of {0}: delete the {1} it put back in zone {2}?',
            formatTime(run.at),
            count,
            zoneLabel(zone),
          ),
          vscode.l10n.t('Delete Again'),
        ];
  const choice = await vscode.window.showWarningMessage(
    question,
    {
      modal: true,
      detail: vscode.l10n.t('This run is journaled too, so it can be undone in turn.'),
    },
    button,
  );
  return choice === button;
}

/** One mapping per IP, the last one the run recorded for it. */
function latestPerIp(mappings: readonly Mapping[]): Mapping[] {
  return [...byIp(mappings).values()];
}

function byIp(mappings: readonly Mapping[]): Map<string, Mapping> {
  return new Map(
    mappings.map(({ originIp, vendor, region }) => [originIp, { originIp, vendor, region }]),
  );
}

function undoWithProgress(
  connection: Connection,
  zone: Zone,
  mappings: Mapping[],
  action: RunAction,
  settings: ExtensionSettings,
  hooks: Pick<Services, 'log' | 'status'> & {
    record: (settled: DeletionOutcome) => Promise<void>;
  },
): Thenable<DeleteRunOutcome> {
  const { deleteInBatches, restoreInBatches } = loadNetwork();
  const title =
    action === 'restore'
      ? vscode.l10n.t('Restoring mappings in {0}', zoneLabel(zone))
      : vscode.l10n.t('Deleting mappings in {0}', zoneLabel(zone));
  return withCancellableProgress(title, hooks, (signal, report) => {
    const options = {
      zoneId: zone.id,
      batchSize: settings.batchSize,
      concurrency: settings.concurrency,
      maxRetries: settings.maxRetries,
      signal,
      onBatchSettled: hooks.record,
      onProgress: ({ batchesDone, batchesTotal }: { batchesDone: number; batchesTotal: number }) =>
        report(
          (batchesDone / batchesTotal) * 100,
          vscode.l10n.t('{0} of {1} batches', batchesDone, batchesTotal),
        ),
      onRetry: ({ batch, attempt, reason }: { batch: number; attempt: number; reason: string }) =>
        hooks.log.warn(
          `Batch ${batch}: retry ${attempt} of ${settings.maxRetries}, because ${reason}`,
        ),
    };
    return action === 'restore'
      ? restoreInBatches(connection.client, mappings, options)
      : deleteInBatches(connection.client, {
          ...options,
          originIps: mappings.map((mapping) => mapping.originIp),
        });
  });
}

function announce(
  report: RunReport,
  zone: Zone,
  outcome: DeleteRunOutcome,
  action: RunAction,
): void {
  const summary = summarise(report, zoneLabel(zone), action);
  const message = outcome.stoppedBy
    ? vscode.l10n.t('Stopped: {0}. {1}.', outcome.stoppedBy.message, summary)
    : vscode.l10n.t('{0}.', summary);
  const show =
    outcome.stoppedBy || report.failed.length || report.notSent.length
      ? vscode.window.showWarningMessage
      : vscode.window.showInformationMessage;
  void show(message, BUTTONS.showLog).then(runButton);
}

function formatTime(iso: string): string {
  return new Date(iso).toLocaleString('en-GB', { dateStyle: 'medium', timeStyle: 'short' });
}
