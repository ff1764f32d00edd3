import * as vscode from 'vscode';
import type { AuthMethod } from '../core/cloudflare/credentials';
import type { NetworkSettings } from '../core/cloudflare/transport';
import type { PlacementOptions, Severity } from '../core/results/placement';
import {
  clampSetting,
  DEFAULT_API_BASE_URL,
  MAX_BATCH_SIZE,
  MAX_MAPPINGS_PER_ZONE,
  type RunSettings,
} from '../core/settings';

const SECTION = 'cloudflareOriginRegions';

/** Everything a command reads from the settings, read afresh on each call so changes apply at once. */
export interface ExtensionSettings extends RunSettings {
  defaultZoneId: string;
  authMethod: AuthMethod;
  confirmBeforeDelete: boolean;
  confirmLargeDeletionThreshold: number;
  placement: PlacementOptions;
}

export function readSettings(): ExtensionSettings {
  const config = vscode.workspace.getConfiguration(SECTION);
  const failedSeverity = config.get<string>('diagnostics.failedSeverity');
  return {
    apiBaseUrl: userLevelApiBaseUrl(config),
    defaultZoneId: config.get<string>('defaultZoneId', '').trim(),
    authMethod: config.get<string>('authMethod') === 'globalApiKey' ? 'globalApiKey' : 'apiToken',
    batchSize: clampSetting(config.get('batchSize'), 1, MAX_BATCH_SIZE, MAX_BATCH_SIZE),
    concurrency: clampSetting(config.get('concurrency'), 1, 4, 2),
    confirmBeforeDelete: config.get<boolean>('confirmBeforeDelete', true),
    confirmLargeDeletionThreshold: clampSetting(
      config.get('confirmLargeDeletionThreshold'),
      0,
      MAX_MAPPINGS_PER_ZONE,
      500,
    ),
    requestTimeoutSeconds: clampSetting(config.get('requestTimeoutSeconds'), 1, 600, 30),
    maxRetries: clampSetting(config.get('maxRetries'), 0, 10, 4),
    placement: {
      failedSeverity: isSeverity(failedSeverity) ? failedSeverity : 'error',
      showSucceeded: config.get<boolean>('diagnostics.showSucceeded', true),
    },
  };
}

/**
 * The API base URL from user (or remote/machine) settings only. The setting is application
 * scoped, so VS Code already ignores a workspace value; reading `inspect` makes sure a cloned
 * repository's `.vscode/settings.json` can never send credentials elsewhere.
 */
function userLevelApiBaseUrl(config: vscode.WorkspaceConfiguration): string {
  const inspected = config.inspect<string>('apiBaseUrl');
  return inspected?.globalValue || inspected?.defaultValue || DEFAULT_API_BASE_URL;
}

/** VS Code's own network settings and the proxy environment, for undici. */
export function readNetworkSettings(): NetworkSettings {
  const http = vscode.workspace.getConfiguration('http');
  return {
    proxy: http.get<string>('proxy', ''),
    proxyStrictSSL: http.get<boolean>('proxyStrictSSL', true),
    systemCertificates: http.get<boolean>('systemCertificates', true),
    env: process.env,
  };
}

function isSeverity(value: unknown): value is Severity {
  return value === 'error' || value === 'warning' || value === 'information';
}

export async function rememberAuthMethod(authMethod: AuthMethod): Promise<void> {
  const config = vscode.workspace.getConfiguration(SECTION);
  if (config.get('authMethod') !== authMethod) {
    await config.update('authMethod', authMethod, vscode.ConfigurationTarget.Global);
  }
}
