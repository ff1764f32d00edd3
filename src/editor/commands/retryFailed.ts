import * as vscode from 'vscode';
import { extractIps } from '../../core/ip/extract';
import type { Extraction } from '../../core/ip/types';
import { buildPreview } from '../../core/preview';
import type { RunReport } from '../../core/report';
import { placeResults } from '../../core/results/placement';
import { assessRun } from '../../core/run/budget';
import { fail, ipCount, zoneLabel } from '../messages';
import type { Services } from '../services';
import { withSession } from '../session';
import { readSettings } from '../settings';
import { announce, keepEditorOpen, readZoneSnapshot, runDeletion } from './deleteSelected';

/**
 * `cloudflareOriginRegions.retryFailed`: sends again only the IPs of the active document's last
 * run that failed or were not sent, in the same zone, and merges the outcome into its results.
 * Takes `{ confirm? }`; resolves to the retry's own report.
 */
export async function retryFailed(
  services: Services,
  rawArgs?: unknown,
): Promise<RunReport | undefined> {
  const editor = vscode.window.activeTextEditor;
  const last = editor && services.results.lastRun(editor.document.uri);
  if (!editor || !last) {
    return fail(vscode.l10n.t('This document has no results of a deletion to retry.'));
  }
  const retried = new Set([
    ...last.report.failed.map((failure) => failure.originIp),
    ...last.report.notSent.map((entry) => entry.originIp),
  ]);
  if (retried.size === 0) {
    void vscode.window.showInformationMessage(
      vscode.l10n.t('Every IP of the last run was deleted; nothing to retry.'),
    );
    return undefined;
  }

  const document = editor.document;
  const settings = readSettings();
  const extraction = retryExtraction(document, retried);
  const confirm = (rawArgs as { confirm?: unknown } | undefined)?.confirm !== false;
  if (confirm) {
    const retryButton = vscode.l10n.t('Retry');
    const choice = await vscode.window.showWarningMessage(
      vscode.l10n.t(
        'Send the {0} that failed or were not sent in the last run again, to zone {1}?',
        ipCount(retried.size),
        zoneLabel(last.zone),
      ),
      { modal: true },
      retryButton,
    );
    if (choice !== retryButton) return undefined;
  }

  return withSession(services, settings, async (connection) => {
    const originIps = extraction.ips.map((ip) => ip.originIp);
    const snapshot = await readZoneSnapshot(services, connection, last.zone, originIps);
    const { report, outcome } = await runDeletion(services, connection, {
      zone: last.zone,
      extraction,
      settings,
      assessment: assessRun(originIps.length, settings.batchSize),
      preview: buildPreview(extraction, snapshot.mappings, snapshot.zoneTotal),
      snapshot: snapshot.mappings,
    });

    const merged: RunReport = {
      zoneId: last.zone.id,
      succeeded: [...last.report.succeeded, ...report.succeeded],
      failed: [
        ...last.report.failed.filter(({ originIp }) => !retried.has(originIp)),
        ...report.failed,
      ],
      notSent: [
        ...last.report.notSent.filter(({ originIp }) => !retried.has(originIp)),
        ...report.notSent,
      ],
      invalid: last.report.invalid,
    };
    const kept = services.results
      .placedIn(document.uri)
      .filter((result) => !result.originIp || !retried.has(result.originIp));
    services.results.show(
      document.uri,
      [...kept, ...placeResults(report, extraction, settings.placement)],
      { report: merged, zone: last.zone, finishedAt: new Date() },
    );
    await keepEditorOpen(document);
    announce(report, last.zone, outcome);
    return report;
  });
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
