import * as vscode from 'vscode';
import type { CloudflareClient, Exchange } from '../core/cloudflare/client';
import type { Credentials } from '../core/cloudflare/credentials';
import type * as Network from '../core/network';
import type { MappingReader } from '../core/run/snapshot';
import { checkApiBaseUrl } from '../core/settings';
import { readNetworkSettings, type ExtensionSettings } from './settings';

let network: typeof Network | undefined;

/** Loads dist/network.js (undici and the client) on first use; activation never pays for it. */
export function loadNetwork(): typeof Network {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  network ??= require('./network.js') as typeof Network;
  return network;
}

/** A client over one keep-alive connection pool, for one command run. Close it when done. */
export interface Connection {
  client: CloudflareClient;
  /**
   * The client's reads, each tried again after a transient failure as batches are; `signal` ends
   * a wait between attempts, and `onWait` hears of each.
   */
  reader(options?: { signal?: AbortSignal; onWait?: (message: string) => void }): MappingReader;
  close(): Promise<void>;
}

/**
 * Opens a connection to the configured API. Throws an Error with a message for the user when
 * the API base URL is not acceptable; nothing is sent then.
 */
export function openConnection(
  settings: ExtensionSettings,
  credentials: Credentials,
  log: vscode.LogOutputChannel,
  userAgent: string,
): Connection {
  const baseUrl = checkApiBaseUrl(settings.apiBaseUrl);
  const { createTransport, CloudflareClient, retryingReader } = loadNetwork();
  const transport = createTransport(baseUrl, readNetworkSettings(), settings.concurrency);
  log.debug(`Connecting to ${baseUrl} ${transport.route}`);
  const client = new CloudflareClient({
    baseUrl,
    credentials,
    dispatcher: transport.dispatcher,
    timeoutMs: settings.requestTimeoutSeconds * 1000,
    userAgent,
    onExchange: (exchange) => logExchange(log, exchange),
  });
  const reader: Connection['reader'] = ({ signal, onWait } = {}) =>
    retryingReader(client, {
      maxRetries: settings.maxRetries,
      signal,
      onRetry: ({ attempt, delayMs, reason }) => {
        const wait = (delayMs / 1000).toFixed(1);
        log.warn(
          `Reading mappings: retry ${attempt} of ${settings.maxRetries} in ${wait} s, because ${reason}`,
        );
        onWait?.(vscode.l10n.t('Trying again in {0} s: {1}', wait, reason));
      },
    });
  return { client, reader, close: () => transport.dispatcher.close() };
}

function logExchange(log: vscode.LogOutputChannel, exchange: Exchange): void {
  const ray = exchange.cfRay ? ` cf-ray ${exchange.cfRay}` : '';
  const outcome = exchange.status ? `${exchange.status}` : 'no answer';
  const line = `${exchange.method} ${exchange.path} → ${outcome} in ${exchange.durationMs} ms${ray}`;
  if (exchange.error) log.warn(`${line}: ${exchange.error}`);
  else log.info(line);
}
