import * as vscode from 'vscode';
import { extractIps } from '../../core/ip/extract';
import type { Extraction } from '../../core/ip/types';
import type { RunReport } from '../../core/report';
import type { PlacedResult } from '../../core/results/placement';
import { assessRun } from '../../core/run/budget';
import { fail, ipCount, zoneLabel } from '../messages';
import type { Services } from '../services';
import { withSession } from '../session';
import { readSettings } from '../settings';
import type { EditsSinceRead, LastRun } from '../resultsView';
import {
  announce,
  deleteInZones,
  keepEditorOpen,
  placeZoneResults,
  planDeletion,
  type DeletionPlan,
} from './deleteSelected';

/**
 * `cloudflareOriginRegions.retryFailed`: sends again only the IPs of the active document's last
 * run that failed or were not sent, each in the zone where it did, and merges the outcome into
 * its results. Takes `{ confirm? }`; resolves to the retry's report, a list of them when it
 * covers several zones.
 */
export async function retryFailed(
  services: Services,
  rawArgs?: unknown,
): Promise<RunReport | RunReport[] | undefined> {
  const editor = vscode.window.activeTextEditor;
  const lastRuns = editor ? services.results.lastRun(editor.document.uri) : [];
  if (!editor || lastRuns.length === 0) {
    return fail(
      services.log,
      vscode.l10n.t('This document has no results of a deletion to retry.'),
    );
  }
  const toRetry = lastRuns
    .map((run) => ({
      run,
      retried: new Set([
        ...run.report.failed.map((failure) => failure.originIp),
        ...run.report.notSent.map((entry) => entry.originIp),
      ]),
    }))
    .filter(({ retried }) => retried.size > 0);
  if (toRetry.length === 0) {
    void vscode.window.showInformationMessage(
      vscode.l10n.t('Every IP of the last run was deleted; nothing to retry.'),
    );
    return undefined;
  }

  const document = editor.document;
  const confirm = (rawArgs as { confirm?: unknown } | undefined)?.confirm !== false;
  if (confirm && !(await confirmRetry(toRetry))) return undefined;

  // Every zone's IPs are read at once, and the document's edits followed from then on.
  const extractions = toRetry.map(({ retried }) => retryExtraction(document, retried));
  const edits = services.results.recordEdits(document);
  try {
    await keepEditorOpen(document);
    return await retryAndShow(services, document, { lastRuns, toRetry, extractions }, edits);
  } finally {
    edits.dispose();
  }
}

/** Sends the retry zone by zone and merges its outcome, where the IPs stand now, into the results. */
async function retryAndShow(
  services: Services,
  document: vscode.TextDocument,
  read: { lastRuns: LastRun[]; toRetry: ZoneRetry[]; extractions: Extraction[] },
  edits: EditsSinceRead,
): Promise<RunReport | RunReport[] | undefined> {
  const { lastRuns, toRetry, extractions } = read;
  const settings = readSettings();
  return withSession(services, settings, async (connection) => {
    const plans: (DeletionPlan & ZoneRetry)[] = [];
    for (const [index, { run, retried }] of toRetry.entries()) {
      const extraction = extractions[index];
      const assessment = assessRun(extraction.ips.length, settings.batchSize);
      const plan = await planDeletion(
        services,
        connection,
        run.zone,
        extraction,
        settings,
        assessment,
      );
      // Only an IP the zone no longer holds may have been deleted by the earlier, unanswered try.
      const possiblyDeleted = new Set(
        run.report.failed
          .filter((failure) => failure.possiblyDeleted && !plan.snapshot.has(failure.originIp))
          .map((failure) => failure.originIp),
      );
      plans.push({ ...plan, possiblyDeleted, run, retried });
    }
    // A cancel reports the zones not reached yet as not sent, as a deletion does.
    const runs = await deleteInZones(services, connection, plans);
    const retries = plans.map((plan, index) => ({ ...plan, ...runs[index] }));

    const finishedAt = new Date();
    const wasRetried = (result: PlacedResult) =>
      retries.some(
        ({ run, retried }) =>
          result.zoneId === run.zone.id &&
          result.originIp !== undefined &&
          retried.has(result.originIp),
      );
    const several = lastRuns.length > 1;
    services.results.show(
      document.uri,
      [
        ...services.results.placedIn(document.uri).filter((result) => !wasRetried(result)),
        ...edits.apply(
          retries.flatMap(({ extraction, report, zone }) =>
            placeZoneResults(report, extraction, settings, zone, { several, withInvalid: false }),
          ),
        ),
      ],
      lastRuns.map((run) => {
        const retry = retries.find((entry) => entry.run === run);
        return retry
          ? { report: merged(run.report, retry.retried, retry.report), zone: run.zone, finishedAt }
          : run;
      }),
      edits.closed,
    );
    announce(runs);
    const reports = runs.map(({ report }) => report);
    return reports.length === 1 ? reports[0] : reports;
  });
}

interface ZoneRetry {
  run: LastRun;
  /** The IPs of the zone's last run that failed or were not sent. */
  retried: Set<string>;
}

async function confirmRetry(toRetry: ZoneRetry[]): Promise<boolean> {
  const retryButton = vscode.l10n.t('Retry');
  const question =
    toRetry.length === 1
      ? vscode.l10n.t(
          'Send the {0} that failed or were not sent in the last run again, to zone {1}?',
          ipCount(toRetry[0].retried.size),
          zoneLabel(toRetry[0].run.zone),
        )
      : vscode.l10n.t(
          'Send the IPs that failed or were not sent in the last run again, each to the zone where it did: {0}?',
          toRetry
            .map(({ run, retried }) =>
              vscode.l10n.t('{0} to {1}', ipCount(retried.size), run.zone.name),
            )
            .join(', '),
        );
  const choice = await vscode.window.showWarningMessage(question, { modal: true }, retryButton);
  return choice === retryButton;
}

/** A zone's last report with the retried IPs' earlier outcomes replaced by the retry's. */
function merged(last: RunReport, retried: Set<string>, retry: RunReport): RunReport {
  return {
    zoneId: last.zoneId,
    succeeded: [...last.succeeded, ...retry.succeeded],
    failed: [...last.failed.filter(({ originIp }) => !retried.has(originIp)), ...retry.failed],
    notSent: [...last.notSent.filter(({ originIp }) => !retried.has(originIp)), ...retry.notSent],
    invalid: last.invalid,
  };
}

/** The retried IPs with where they stand in the document now; an IP edited away is still sent. */
function retryExtraction(document: vscode.TextDocument, retried: Set<string>): Extraction {
  const found = extractIps([{ text: document.getText(), line: 0, character: 0 }]).ips.filter((ip) =>
    retried.has(ip.originIp),
  );
  const present = new Set(found.map((ip) => ip.originIp));
  const gone = [...retried].filter((originIp) => !present.has(originIp));
  return {
    ips: [...found, ...gone.map((originIp) => ({ originIp, occurrences: [] }))],
    invalid: [],
  };
}
