import * as vscode from 'vscode';
import type { CloudflareClient } from '../core/cloudflare/client';
import { isApiError } from '../core/cloudflare/errors';
import type { Zone } from '../core/cloudflare/responses';
import { zoneIdProblem } from '../core/settings';

const LAST_ZONE_KEY = 'cloudflareOriginRegions.lastZone';

interface ZoneItem extends vscode.QuickPickItem {
  zone?: Zone;
}

/** The zone last used in this workspace, if any. */
export function lastZone(workspaceState: vscode.Memento): Zone | undefined {
  return workspaceState.get<Zone>(LAST_ZONE_KEY);
}

export function rememberZone(workspaceState: vscode.Memento, zone: Zone): Thenable<void> {
  return workspaceState.update(LAST_ZONE_KEY, zone);
}

/**
 * Asks which zone to use: the account's zones by name (last used first, the default zone
 * preselected), or a typed zone ID when listing is not allowed. Undefined when dismissed.
 */
export async function pickZone(
  client: CloudflareClient,
  workspaceState: vscode.Memento,
  defaultZoneId: string,
  log: vscode.LogOutputChannel,
  allowSeveral = false,
): Promise<Zone[] | undefined> {
  const picker = vscode.window.createQuickPick<ZoneItem>();
  picker.title = vscode.l10n.t('Cloudflare zone');
  picker.placeholder = vscode.l10n.t('Loading zones…');
  picker.matchOnDescription = true;
  picker.ignoreFocusOut = true;
  picker.busy = true;

  const enterId: ZoneItem = {
    label: `$(edit) ${vscode.l10n.t('Enter a zone ID…')}`,
    alwaysShow: true,
  };
  const several: ZoneItem = {
    label: `$(checklist) ${vscode.l10n.t('Several zones…')}`,
    detail: vscode.l10n.t('Delete the same IPs from more than one zone.'),
    alwaysShow: true,
  };
  let zones: Zone[] = [];
  const chosen = new Promise<ZoneItem | undefined>((resolve) => {
    picker.onDidAccept(() => resolve(picker.selectedItems[0]));
    picker.onDidHide(() => resolve(undefined));
  });
  picker.items = [enterId];
  picker.show();

  try {
    zones = await client.listAllZones();
    const extra = allowSeveral && zones.length > 1 ? [several, enterId] : [enterId];
    picker.items = zoneItems(zones, lastZone(workspaceState), defaultZoneId, extra);
    const preselected = picker.items.find((item) => item.zone?.id === defaultZoneId);
    if (preselected) picker.activeItems = [preselected];
    picker.placeholder = vscode.l10n.t('Choose the zone ({0} available)', zones.length);
  } catch (error) {
    picker.dispose();
    if (!isApiError(error) || error.kind !== 'auth') throw error;
    log.info(
      `Zones cannot be listed with these credentials (${error.message}); asking for a zone ID.`,
    );
    return asList(
      await promptZoneId(
        vscode.l10n.t(
          'These credentials cannot list zones (they lack Zone Read). Enter the zone ID instead.',
        ),
        defaultZoneId || lastZone(workspaceState)?.id,
      ),
    );
  } finally {
    picker.busy = false;
  }

  const item = await chosen;
  picker.dispose();
  if (!item) return undefined;
  if (item.zone) return [item.zone];
  if (item === several) return pickSeveral(zones, defaultZoneId);
  return asList(
    await promptZoneId(
      vscode.l10n.t("The zone ID is on the zone's Overview page in the Cloudflare dashboard."),
    ),
  );
}

async function pickSeveral(zones: Zone[], defaultZoneId: string): Promise<Zone[] | undefined> {
  const items = [...zones]
    .sort((a, b) => a.name.localeCompare(b.name))
    .map((zone) => ({
      label: zone.name,
      description: zone.id,
      zone,
      picked: zone.id === defaultZoneId,
    }));
  const chosen = await vscode.window.showQuickPick(items, {
    title: vscode.l10n.t('Cloudflare zones: the same IPs are deleted from each'),
    canPickMany: true,
    matchOnDescription: true,
    ignoreFocusOut: true,
  });
  return chosen?.length ? chosen.map((item) => item.zone) : undefined;
}

function asList(zone: Zone | undefined): Zone[] | undefined {
  return zone ? [zone] : undefined;
}

function zoneItems(
  zones: Zone[],
  last: Zone | undefined,
  defaultZoneId: string,
  extra: ZoneItem[],
): ZoneItem[] {
  const sorted = [...zones].sort((a, b) => a.name.localeCompare(b.name));
  const lastIndex = sorted.findIndex((zone) => zone.id === last?.id);
  if (lastIndex > 0) sorted.unshift(...sorted.splice(lastIndex, 1));
  const items: ZoneItem[] = sorted.map((zone) => ({
    label: zone.name,
    description: zone.id,
    detail:
      [
        zone.id === last?.id ? vscode.l10n.t('last used in this workspace') : '',
        zone.id === defaultZoneId ? vscode.l10n.t('default zone') : '',
      ]
        .filter(Boolean)
        .join(' · ') || undefined,
    zone,
  }));
  return [...items, { label: '', kind: vscode.QuickPickItemKind.Separator }, ...extra];
}

async function promptZoneId(prompt: string, value?: string): Promise<Zone | undefined> {
  const zoneId = await vscode.window.showInputBox({
    title: vscode.l10n.t('Cloudflare zone ID'),
    prompt,
    value,
    placeHolder: vscode.l10n.t('32 hexadecimal characters, e.g. 023e105f4ecef8ad9ca31a8372d0c353'),
    ignoreFocusOut: true,
    validateInput: (text) => zoneIdProblem(text),
  });
  if (zoneId === undefined) return undefined;
  const id = zoneId.trim().toLowerCase();
  return { id, name: id };
}
