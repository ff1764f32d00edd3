import * as vscode from 'vscode';
import type { AuthMethod, Credentials } from '../../core/cloudflare/credentials';
import { isApiError } from '../../core/cloudflare/errors';
import { openConnection } from '../connection';
import type { Services } from '../services';
import { readSettings, rememberAuthMethod } from '../settings';

export type SetCredentialsArgs =
  | { authMethod: 'apiToken'; apiToken: string }
  | { authMethod: 'globalApiKey'; email: string; apiKey: string };

/**
 * `cloudflareOriginRegions.setCredentials`: asks for (or takes) credentials, verifies them with
 * Cloudflare and stores them in SecretStorage. Resolves to true when stored.
 */
export async function setCredentials(services: Services, args?: unknown): Promise<boolean> {
  const given = args === undefined ? undefined : credentialsFromArgs(args);
  if (args !== undefined && !given) {
    void vscode.window.showErrorMessage(
      'Set API Credentials takes { authMethod: "apiToken", apiToken } or { authMethod: "globalApiKey", email, apiKey }.',
    );
    return false;
  }
  const credentials = given ?? (await promptForCredentials(readSettings().authMethod));
  if (!credentials) return false;
  return verifyAndStore(services, credentials);
}

/** Asks for the method and then the secret, in password boxes. Undefined when dismissed. */
export async function promptForCredentials(
  preferred: AuthMethod,
): Promise<Credentials | undefined> {
  const methods: (vscode.QuickPickItem & { authMethod: AuthMethod })[] = [
    {
      authMethod: 'apiToken',
      label: 'API token',
      description: 'recommended',
      detail:
        'A token limited to the zones and permissions it needs (Zone › Cache Settings › Edit; Zone › Zone › Read to list zones).',
    },
    {
      authMethod: 'globalApiKey',
      label: 'Email and Global API key',
      detail: 'The legacy key with full access to the account; prefer a token.',
    },
  ];
  if (preferred === 'globalApiKey') methods.reverse();
  const method = await vscode.window.showQuickPick(methods, {
    title: 'Cloudflare credentials (1/2): how to authenticate',
    ignoreFocusOut: true,
  });
  if (!method) return undefined;

  if (method.authMethod === 'apiToken') {
    const apiToken = await vscode.window.showInputBox({
      title: 'Cloudflare credentials (2/2): API token',
      prompt: "Paste the API token. It is kept in VS Code's secret storage and never shown again.",
      password: true,
      ignoreFocusOut: true,
      validateInput: (text) => (text.trim() ? undefined : 'The token cannot be empty.'),
    });
    return apiToken === undefined
      ? undefined
      : { authMethod: 'apiToken', apiToken: apiToken.trim() };
  }

  const email = await vscode.window.showInputBox({
    title: 'Cloudflare credentials (2/3): account email',
    prompt: 'The email address of the Cloudflare account that owns the Global API key.',
    ignoreFocusOut: true,
    validateInput: (text) =>
      /^\S+@\S+$/.test(text.trim()) ? undefined : 'Enter an email address.',
  });
  if (email === undefined) return undefined;
  const apiKey = await vscode.window.showInputBox({
    title: 'Cloudflare credentials (3/3): Global API key',
    prompt:
      "Paste the Global API key. It is kept in VS Code's secret storage and never shown again.",
    password: true,
    ignoreFocusOut: true,
    validateInput: (text) => (text.trim() ? undefined : 'The key cannot be empty.'),
  });
  if (apiKey === undefined) return undefined;
  return { authMethod: 'globalApiKey', email: email.trim(), apiKey: apiKey.trim() };
}

/** Verifies credentials with Cloudflare, then stores them; a rejected one is reported and not stored. */
export async function verifyAndStore(
  services: Services,
  credentials: Credentials,
): Promise<boolean> {
  const what = credentials.authMethod === 'apiToken' ? 'API token' : 'Global API key';
  let connection;
  try {
    connection = openConnection(readSettings(), credentials, services.log, services.userAgent);
  } catch (error) {
    void vscode.window.showErrorMessage((error as Error).message);
    return false;
  }
  try {
    await vscode.window.withProgress(
      {
        location: vscode.ProgressLocation.Notification,
        title: `Checking the ${what} with Cloudflare…`,
      },
      () => connection.client.verifyCredentials(),
    );
  } catch (error) {
    const rejected = isApiError(error) && error.kind === 'auth';
    const message = rejected
      ? `Cloudflare rejected this ${what}; it was not stored. ${(error as Error).message}.`
      : `Could not check the ${what}, so it was not stored: ${(error as Error).message}.`;
    services.log.error(message);
    void vscode.window.showErrorMessage(message, 'Try Again').then((choice) => {
      if (choice) void vscode.commands.executeCommand('cloudflareOriginRegions.setCredentials');
    });
    return false;
  } finally {
    await connection.close();
  }

  await services.credentials.store(credentials);
  await rememberAuthMethod(credentials.authMethod);
  services.log.info(`Stored a verified ${what} in secret storage.`);
  void vscode.window.showInformationMessage(`Cloudflare ${what} verified and stored securely.`);
  return true;
}

function credentialsFromArgs(args: unknown): Credentials | undefined {
  if (typeof args !== 'object' || args === null) return undefined;
  const { authMethod, apiToken, email, apiKey } = args as Record<string, unknown>;
  if (authMethod === 'apiToken' && typeof apiToken === 'string' && apiToken.trim()) {
    return { authMethod, apiToken: apiToken.trim() };
  }
  if (
    authMethod === 'globalApiKey' &&
    typeof email === 'string' &&
    typeof apiKey === 'string' &&
    email.trim() &&
    apiKey.trim()
  ) {
    return { authMethod, email: email.trim(), apiKey: apiKey.trim() };
  }
  return undefined;
}
