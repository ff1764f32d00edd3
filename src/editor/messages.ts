import * as vscode from 'vscode';
import { isApiError } from '../core/cloudflare/errors';
import type { Zone } from '../core/cloudflare/responses';

// Limitation: core messages (Cloudflare errors, reports) are English; core never imports vscode.

/** Shows an error, keeps it in the log, and resolves the command to undefined. */
export function fail(log: vscode.LogOutputChannel, message: string): undefined {
  log.error(message);
  void vscode.window.showErrorMessage(message);
  return undefined;
}

/**
 * Labels of the buttons runButton knows. Each is looked up when read, never at import: an
 * extension's translations may load after its modules.
 */
export const BUTTONS = {
  get showLog() {
    return vscode.l10n.t('Show Log');
  },
  get showProblems() {
    return vscode.l10n.t('Show Problems');
  },
  get updateCredentials() {
    return vscode.l10n.t('Update Credentials');
  },
  get restoreDeleted() {
    return vscode.l10n.t('Restore Deleted Mappings');
  },
};

/** A whole-request failure: what happened, and the obvious next step as a button. */
export function offerNextStep(error: unknown, message: string): void {
  const auth = isApiError(error) && error.kind === 'auth';
  const buttons = auth ? [BUTTONS.updateCredentials, BUTTONS.showLog] : [BUTTONS.showLog];
  void vscode.window
    .showErrorMessage(
      vscode.l10n.t('{0}. Nothing was changed.', message.replace(/\.\s*$/, '')),
      ...buttons,
    )
    .then(runButton);
}

/** Runs what a notification button names. */
export function runButton(choice: string | undefined): void {
  const commands = new Map([
    [BUTTONS.showLog, 'cloudflareOriginRegions.showLog'],
    [BUTTONS.showProblems, 'workbench.actions.view.problems'],
    [BUTTONS.updateCredentials, 'cloudflareOriginRegions.setCredentials'],
    [BUTTONS.restoreDeleted, 'cloudflareOriginRegions.restoreDeleted'],
  ]);
  const command = choice === undefined ? undefined : commands.get(choice);
  if (command) void vscode.commands.executeCommand(command);
}

export function zoneLabel(zone: Zone): string {
  return zone.name === zone.id ? zone.id : `${zone.name} (${zone.id})`;
}

/** A count with its noun in English, for the log: "1 IP", "1,204 IPs". */
export function countOf(count: number, singular: string, plural = `${singular}s`): string {
  return `${count.toLocaleString('en-US')} ${count === 1 ? singular : plural}`;
}

// Limitation: counts have English's two forms (1, other); a language with more gets these two.
/** Picks the form of a count shown to the user; `one` and `other` are whole localized phrases. */
export function counted(
  count: number,
  one: (count: string) => string,
  other: (count: string) => string,
): string {
  const digits = count.toLocaleString('en-US');
  return count === 1 ? one(digits) : other(digits);
}

/** "1 IP", "3 IPs", localized; each form is a whole string, so a translator can reorder it. */
export function ipCount(count: number): string {
  return counted(
    count,
    (n) => vscode.l10n.t('{0} IP', n),
    (n) => vscode.l10n.t('{0} IPs', n),
  );
}

export function ipAddressCount(count: number): string {
  return counted(
    count,
    (n) => vscode.l10n.t('{0} IP address', n),
    (n) => vscode.l10n.t('{0} IP addresses', n),
  );
}

export function mappingCount(count: number): string {
  return counted(
    count,
    (n) => vscode.l10n.t('{0} mapping', n),
    (n) => vscode.l10n.t('{0} mappings', n),
  );
}

export function requestCount(count: number): string {
  return counted(
    count,
    (n) => vscode.l10n.t('{0} request', n),
    (n) => vscode.l10n.t('{0} requests', n),
  );
}
