import * as vscode from 'vscode';
import { renderMappingList } from '../../core/render/mappingList';
import { loadNetwork } from '../connection';
import { countOf, fail, zoneLabel } from '../messages';
import type { Services } from '../services';
import { readZoneIdArgument } from './arguments';
import { chooseZone, withSession } from '../session';
import { readSettings } from '../settings';

/**
 * `cloudflareOriginRegions.showMappings`: opens a new untitled document listing every mapping of
 * a zone (IP, vendor, region, modified time), from which lines can be selected and deleted.
 * Takes `{ zoneId? }`; resolves to the document.
 */
export async function showMappings(
  services: Services,
  rawArgs?: unknown,
): Promise<vscode.TextDocument | undefined> {
  const args = readZoneIdArgument(rawArgs);
  if (typeof args === 'string') return fail(services.log, args);
  const settings = readSettings();
  return withSession(services, settings, async (connection) => {
    const zone = await chooseZone(services, connection, settings, args.zoneId);
    if (!zone) return undefined;
    const { readAllMappings } = loadNetwork();
    const mappings = await vscode.window.withProgress(
      {
        location: vscode.ProgressLocation.Notification,
        title: vscode.l10n.t('Reading the mappings of {0}…', zoneLabel(zone)),
      },
      () => readAllMappings(connection.reader(), zone.id),
    );
    const readAt = new Date();
    services.knownMappings.remember(zone, mappings, readAt);
    services.log.info(`Listed ${countOf(mappings.length, 'mapping')} of zone ${zoneLabel(zone)}.`);

    const document = await vscode.workspace.openTextDocument({
      content: renderMappingList(zone.name, zone.id, mappings, readAt),
      language: 'plaintext',
    });
    await vscode.window.showTextDocument(document, { preview: false });
    return document;
  });
}
