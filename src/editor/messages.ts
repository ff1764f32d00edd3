import * as vscode from 'vscode';
import { isApiError } from '../core/cloudflare/errors';
import type { Zone } from '../core/cloudflare/responses';

/** Shows an error and resolves the command to undefined. */
export function fail(message: string): undefined {
  void vscode.window.showErrorMessage(message);
  return undefined;
}

/** A whole-request failure: what happened, and the obvious next step as a button. */
export function offerNextStep(error: unknown, message: string): void {
  const auth = isApiError(error) && error.kind === 'auth';
  const buttons = auth ? ['Update Credentials', 'Show Log'] : ['Show Log'];
  void vscode.window
    .showErrorMessage(`${message}. Nothing was changed.`, ...buttons)
    .then(runButton);
}

/** Runs what a notification button names. */
export function runButton(choice: string | undefined): void {
  const commands: Record<string, string> = {
    'Show Log': 'cloudflareOriginRegions.showLog',
    'Show Problems': 'workbench.actions.view.problems',
    'Update Credentials': 'cloudflareOriginRegions.setCredentials',
    'Restore Deleted Mappings': 'cloudflareOriginRegions.restoreDeleted',
  };
  if (choice && commands[choice]) void vscode.commands.executeCommand(commands[choice]);
}

export function zoneLabel(zone: Zone): string {
  return zone.name === zone.id ? zone.id : `${zone.name} (${zone.id})`;
}

export function countOf(count: number, singular: string, plural = `${singular}s`): string {
  return `${count.toLocaleString('en-US')} ${count === 1 ? singular : plural}`;
}
