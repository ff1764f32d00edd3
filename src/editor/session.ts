import * as vscode from 'vscode';
import type { Credentials } from '../core/cloudflare/credentials';
import type { Zone } from '../core/cloudflare/responses';
import { promptForCredentials, verifyAndStore } from './commands/setCredentials';
import { openConnection, type Connection } from './connection';
import { fail, offerNextStep } from './messages';
import type { Services } from './services';
import type { ExtensionSettings } from './settings';
import { lastZone, pickZone, rememberZone } from './zonePicker';

/**
 * Credentials (stored, else asked for) and a connection for one command run. Undefined when the
 * user dismissed the credential prompt or the settings are not usable (the user is told).
 */
export async function openSession(
  services: Services,
  settings: ExtensionSettings,
): Promise<Connection | undefined> {
  const credentials = await credentialsForRun(services, settings);
  if (!credentials) return undefined;
  try {
    return openConnection(settings, credentials, services.log, services.userAgent);
  } catch (error) {
    return fail(services.log, (error as Error).message);
  }
}

/**
 * Runs `work` with a session (credentials and a connection): a whole-request failure is
 * logged and reported once with its next step, and the connection is always closed.
 * Undefined when there is no session or `work` failed.
 */
export async function withSession<T>(
  services: Services,
  settings: ExtensionSettings,
  work: (connection: Connection) => Promise<T | undefined>,
): Promise<T | undefined> {
  const connection = await openSession(services, settings);
  if (!connection) return undefined;
  try {
    return await work(connection);
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    services.log.error(message);
    offerNextStep(error, message);
    return undefined;
  } finally {
    await connection.close();
  }
}

/**
 * The stored credentials of the method `authMethod` names, else asks for them: switching the
 * setting switches what is sent, even while the other method's credentials are stored.
 */
async function credentialsForRun(
  services: Services,
  settings: ExtensionSettings,
): Promise<Credentials | undefined> {
  const stored = await services.credentials.get(settings.authMethod);
  if (stored) return stored;
  const method = settings.authMethod === 'apiToken' ? 'API token' : 'Global API key';
  services.log.info(`No ${method} is stored (authMethod ${settings.authMethod}); asking for one.`);

  const entered = await promptForCredentials(settings.authMethod);
  if (!entered || !(await verifyAndStore(services, entered))) return undefined;
  return entered;
}

/** The zone an argument names, or the one the user picks; remembered for this workspace. */
export async function chooseZone(
  services: Services,
  connection: Connection,
  settings: ExtensionSettings,
  zoneId: string | undefined,
): Promise<Zone | undefined> {
  const zones = await chooseZones(services, connection, settings, zoneId ? [zoneId] : [], false);
  return zones?.[0];
}

/** The zones arguments name, or the ones the user picks (several when allowed). */
export async function chooseZones(
  services: Services,
  connection: Connection,
  settings: ExtensionSettings,
  zoneIds: string[],
  allowSeveral = true,
): Promise<Zone[] | undefined> {
  const last = lastZone(services.workspaceState);
  const zones = zoneIds.length
    ? zoneIds.map((zoneId): Zone => (last?.id === zoneId ? last : { id: zoneId, name: zoneId }))
    : await pickZone(
        connection.client,
        services.workspaceState,
        settings.defaultZoneId,
        services.log,
        allowSeveral,
      );
  if (zones?.length) await rememberZone(services.workspaceState, zones[0]);
  return zones;
}

/**
 * A cancellable progress notification whose cancel aborts the given signal; the status bar item
 * shows the same progress, and a click on it shows the log.
 */
export function withCancellableProgress<T>(
  title: string,
  { log, status }: Pick<Services, 'log' | 'status'>,
  work: (signal: AbortSignal, report: (share: number, message: string) => void) => Promise<T>,
): Thenable<T> {
  return vscode.window.withProgress(
    { location: vscode.ProgressLocation.Notification, title, cancellable: true },
    async (progress, token) => {
      const cancel = new AbortController();
      const subscription = token.onCancellationRequested(() => {
        log.info('Cancel requested: no further batch will be sent; requests in flight finish.');
        cancel.abort();
      });
      status.running(title);
      let reported = 0;
      try {
        return await work(cancel.signal, (share, message) => {
          progress.report({ increment: Math.max(0, share - reported), message });
          reported = Math.max(reported, share);
          status.running(`${title}: ${message}`);
        });
      } catch (error) {
        // The caller reports the error; the status bar must not keep spinning meanwhile.
        status.finished(vscode.l10n.t('{0}: stopped by an error, see the log', title), false);
        throw error;
      } finally {
        subscription.dispose();
      }
    },
  );
}
