import * as vscode from 'vscode';
import { isZoneId, zoneIdProblem } from '../../core/settings';

/** Why a command's zone ID argument is not one, or undefined when it is. */
export function zoneIdArgumentProblem(value: unknown): string | undefined {
  if (typeof value === 'string' && isZoneId(value.trim())) return undefined;
  return vscode.l10n.t(
    'The zone ID argument "{0}" is not a zone ID; nothing was sent. {1}',
    String(value),
    zoneIdProblem(String(value)) ?? '',
  );
}

/**
 * The `{ zoneId? }` argument of a command that reads one zone: the ID in lower case, or a
 * message saying what is wrong with it. Menus pass a URI, which is no argument of ours.
 */
export function readZoneIdArgument(rawArgs: unknown): { zoneId?: string } | string {
  if (typeof rawArgs !== 'object' || rawArgs === null || rawArgs instanceof vscode.Uri) return {};
  const { zoneId } = rawArgs as { zoneId?: unknown };
  if (zoneId === undefined) return {};
  return zoneIdArgumentProblem(zoneId) ?? { zoneId: (zoneId as string).trim().toLowerCase() };
}
