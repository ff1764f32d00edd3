import * as vscode from 'vscode';
import { exportReports, type ExportFormat } from '../../core/render/export';
import { zoneLabel } from '../messages';
import type { Services } from '../services';

const FORMATS: { format: ExportFormat; label: string; extension: string }[] = [
  { format: 'json', label: 'JSON', extension: 'json' },
  { format: 'csv', label: 'CSV', extension: 'csv' },
  { format: 'markdown', label: 'Markdown', extension: 'md' },
];

/**
 * `cloudflareOriginRegions.exportReport`: saves the last run's report (every zone of it) as JSON,
 * CSV or Markdown through a save dialog. Takes `{ format?, path? }` to save without asking; resolves to the path.
 */
export async function exportReport(
  services: Services,
  rawArgs?: unknown,
): Promise<string | undefined> {
  const active = vscode.window.activeTextEditor?.document.uri;
  const activeRuns = active ? services.results.lastRun(active) : [];
  const runs = activeRuns.length > 0 ? activeRuns : services.results.newestRun();
  if (runs.length === 0) {
    void vscode.window.showInformationMessage(
      vscode.l10n.t('There is no report to export yet: run a deletion first.'),
    );
    return undefined;
  }
  const args = (rawArgs ?? {}) as { format?: unknown; path?: unknown };

  const chosen =
    FORMATS.find((entry) => entry.format === args.format) ??
    (await vscode.window.showQuickPick(
      FORMATS.map((entry) => ({
        ...entry,
        label: entry.label,
        description: `.${entry.extension}`,
      })),
      { title: vscode.l10n.t('Export the report as') },
    ));
  if (!chosen) return undefined;

  const finishedAt = Math.max(...runs.map((run) => run.finishedAt.getTime()));
  const stamp = new Date(finishedAt).toISOString().slice(0, 16).replace(/[:T]/g, '-');
  const target =
    typeof args.path === 'string'
      ? vscode.Uri.file(args.path)
      : await vscode.window.showSaveDialog({
          title: vscode.l10n.t('Export the report'),
          defaultUri: vscode.Uri.joinPath(
            vscode.workspace.workspaceFolders?.[0]?.uri ?? vscode.Uri.file(process.cwd()),
            `cloud-region-deletions-${stamp}.${chosen.extension}`,
          ),
          filters: { [chosen.label]: [chosen.extension] },
        });
  if (!target) return undefined;

  const reports = runs.map(({ report, zone }) => ({
    report,
    zoneName: zone.name === zone.id ? undefined : zone.name,
  }));
  await vscode.workspace.fs.writeFile(
    target,
    Buffer.from(exportReports(reports, chosen.format), 'utf8'),
  );
  services.log.info(
    `Exported the report of ${runs.map(({ zone }) => `zone ${zoneLabel(zone)}`).join(', ')} as ${chosen.label} to ${target.fsPath}.`,
  );
  return target.fsPath;
}
