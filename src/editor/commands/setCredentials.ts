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
      vscode.l10n.t(
        'Set API Credentials takes { authMethod: "apiToken", apiToken } or { authMethod: "globalApiKey", email, apiKey }.',
      ),
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
      label: vscode.l10n.t('API token'),
      description: vscode.l10n.t('recommended'),
      detail: vscode.l10n.t(
        'A token limited to the zones and permissions it needs (Zone › Cache Settings › Edit; Zone › Zone › Read to list zones).',
      ),
    },
    {
      authMethod: 'globalApiKey',
      label: vscode.l10n.t('Email and Global API key'),
      detail: vscode.l10n.t('The legacy key with full access to the account; prefer a token.'),
    },
  ];
  if (preferred === 'globalApiKey') methods.reverse();
  const method = await vscode.window.showQuickPick(methods, {
    title: vscode.l10n.t('Cloudflare credentials (1/2): how to authenticate'),
    ignoreFocusOut: true,
  });
  if (!method) return undefined;

  if (method.authMethod === 'apiToken') {
    const apiToken = await vscode.window.showInputBox({
      title: vscode.l10n.t('Cloudflare credentials (2/2): API token'),
      prompt: vscode.l10n.t(
        "Paste the API token. It is kept in VS Code's secret storage and never shown again.",
      ),
      password: true,
      ignoreFocusOut: true,
      validateInput: (text) =>
        text.trim() ? undefined : vscode.l10n.t('The token cannot be empty.'),
    });
    return apiToken === undefined
      ? undefined
      : { authMethod: 'apiToken', apiToken: apiToken.trim() };
  }

  const email = await vscode.window.showInputBox({
    title: vscode.l10n.t('Cloudflare credentials (2/3): account email'),
    prompt: vscode.l10n.t(
      'The email address of the Cloudflare account that owns the Global API key.',
    ),
    ignoreFocusOut: true,
    validateInput: (text) =>
      /^\S+@\S+$/.test(text.trim()) ? undefined : vscode.l10n.t('Enter an email address.'),
  });
  if (email === undefined) return undefined;
  const apiKey = await vscode.window.showInputBox({
    title: vscode.l10n.t('Cloudflare credentials (3/3): Global API key'),
    prompt: vscode.l10n.t(
      "Paste the Global API key. It is kept in VS Code's secret storage and never shown again.",
    ),
    password: true,
    ignoreFocusOut: true,
    validateInput: (text) => (text.trim() ? undefined : vscode.l10n.t('The key cannot be empty.')),
  });
  if (apiKey === undefined) return undefined;
  return { authMethod: 'globalApiKey', email: email.trim(), apiKey: apiKey.trim() };
}

/** Verifies credentials with Cloudflare, then stores them; a rejected one is reported and not stored. */
export async function verifyAndStore(
  services: Services,
  credentials: Credentials,
): Promise<boolean> {
  // `what` names the method in the log, in English; the user reads verificationTexts.
  const what = credentials.authMethod === 'apiToken' ? 'API token' : 'Global API key';
  const texts = verificationTexts(credentials.authMethod);
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
        title: texts.checking,
      },
      () => connection.client.verifyCredentials(),
    );
  } catch (error) {
    const rejected = isApiError(error) && error.kind === 'auth';
    const reason = (error as Error).message;
    services.log.error(
      rejected
        ? `Cloudflare rejected this ${what}; it was not stored. ${reason}.`
        : `Could not check the ${what}, so it was not stored: ${reason}.`,
    );
    const tryAgain = vscode.l10n.t('Try Again');
    const message = rejected ? texts.rejected(reason) : texts.unchecked(reason);
    void vscode.window.showErrorMessage(message, tryAgain).then((choice) => {
      if (choice === tryAgain) {
        void vscode.commands.executeCommand('cloudflareOriginRegions.setCredentials');
      }
    });
    return false;
  } finally {
    await connection.close();
  }

  await services.credentials.store(credentials);
  await rememberAuthMethod(credentials.authMethod);
  services.log.info(`Stored a verified ${what} in secret storage.`);
  void vscode.window.showInformationMessage(texts.stored);
  return true;
}

/** What the user reads while credentials are checked, as whole sentences for translators. */
function verificationTexts(authMethod: AuthMethod) {
  return authMethod === 'apiToken'
    ? {
        checking: vscode.l10n.t('Checking the API token with Cloudflare…'),
        rejected: (reason: string) =>
          vscode.l10n.t('Cloudflare rejected this API token; it was not stored. {0}.', reason),
        unchecked: (reason: string) =>
          vscode.l10n.t('Could not check the API token, so it was not stored: {0}.', reason),
        stored: vscode.l10n.t('Cloudflare API token verified and stored securely.'),
      }
    : {
        checking: vscode.l10n.t('Checking the Global API key with Cloudflare…'),
        rejected: (reason: string) =>
          vscode.l10n.t('Cloudflare rejected this Global API key; it was not stored. {0}.', reason),
        unchecked: (reason: string) =>
          vscode.l10n.t('Could not check the Global API key, so it was not stored: {0}.', reason),
        stored: vscode.l10n.t('Cloudflare Global API key verified and stored securely.'),
      };
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
