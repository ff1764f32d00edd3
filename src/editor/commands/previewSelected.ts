import * as vscode from 'vscode';
import { describePreview, type Preview } from '../../core/preview';
import type { Extraction } from '../../core/ip/types';
import { placePreview } from '../../core/results/placement';
import { BUTTONS, fail, mappingCount, runButton, zoneLabel } from '../messages';
import type { EditsSinceRead } from '../resultsView';
import { editorWithIps, readSelectedIps } from '../selection';
import type { Services } from '../services';
import { readZoneIdArgument } from './arguments';
import { chooseZone, withSession } from '../session';
import { readSettings } from '../settings';
import { keepEditorOpen, readPreview } from './deleteSelected';

/**
 * `cloudflareOriginRegions.previewSelected`: shows what deleting the selected IPs would do, as
 * diagnostics and in the log, deleting nothing. Takes `{ zoneId? }`; resolves to the preview.
 */
export async function previewSelected(
  services: Services,
  rawArgs?: unknown,
): Promise<Preview | undefined> {
  const editor = editorWithIps();
  if (!editor) {
    return fail(
      services.log,
      vscode.l10n.t('Open a file that lists origin IPs and select them first.'),
    );
  }
  const args = readZoneIdArgument(rawArgs);
  if (typeof args === 'string') return fail(services.log, args);

  const extraction = await readSelectedIps(editor, true);
  if (!extraction) return undefined;
  if (extraction.ips.length === 0) {
    return fail(services.log, vscode.l10n.t('No IP addresses found in the selection.'));
  }

  const edits = services.results.recordEdits(editor.document);
  try {
    await keepEditorOpen(editor.document);
    return await previewAndShow(services, editor.document, extraction, args.zoneId, edits);
  } finally {
    edits.dispose();
  }
}

async function previewAndShow(
  services: Services,
  document: vscode.TextDocument,
  extraction: Extraction,
  zoneId: string | undefined,
  edits: EditsSinceRead,
): Promise<Preview | undefined> {
  const settings = readSettings();
  return withSession(services, settings, async (connection) => {
    const zone = await chooseZone(services, connection, settings, zoneId);
    if (!zone) return undefined;
    const { preview } = await readPreview(services, connection, zone, extraction);

    services.log.info(
      `Preview for ${zoneLabel(zone)} (nothing deleted): ${describePreview(preview)}`,
    );
    for (const { originIp, vendor, region } of preview.mapped) {
      services.log.info(`  would delete  ${originIp}  ${vendor}  ${region}`);
    }
    for (const originIp of preview.unmapped) services.log.info(`  no mapping    ${originIp}`);
    const placed = edits.apply(placePreview(preview, extraction, zone.name));
    services.results.show(document.uri, placed, [], edits.closed);
    void vscode.window
      .showInformationMessage(
        vscode.l10n.t(
          'Preview, nothing deleted: {0} would be deleted in {1}; {2}',
          mappingCount(preview.mapped.length),
          zoneLabel(zone),
          describePreview(preview),
        ),
        BUTTONS.showLog,
        BUTTONS.showProblems,
      )
      .then(runButton);
    return preview;
  });
}
