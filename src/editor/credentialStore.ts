import * as vscode from 'vscode';
import type { AuthMethod, Credentials } from '../core/cloudflare/credentials';

const KEYS: Record<AuthMethod, string> = {
  apiToken: 'cloudflareOriginRegions.apiToken',
  globalApiKey: 'cloudflareOriginRegions.globalApiKey',
};

/** The credentials of both methods, kept only in VS Code's SecretStorage. */
export class CredentialStore implements vscode.Disposable {
  private readonly changed = new vscode.EventEmitter<void>();
  /** Fires when this or another window stores or removes credentials. */
  readonly onDidChange = this.changed.event;
  private readonly subscription: vscode.Disposable;

  constructor(private readonly secrets: vscode.SecretStorage) {
    this.subscription = secrets.onDidChange((event) => {
      if (Object.values(KEYS).includes(event.key)) this.changed.fire();
    });
  }

  // Read at every run, never cached here, so another window's change applies to the next run.
  // Limitation: code-server's secret storage keeps a copy per open window, so there a change made
  // in another window is only seen after a reload.
  async get(authMethod: AuthMethod): Promise<Credentials | undefined> {
    const stored = await this.secrets.get(KEYS[authMethod]);
    if (!stored) return undefined;
    if (authMethod === 'apiToken') return { authMethod, apiToken: stored };
    try {
      const { email, apiKey } = JSON.parse(stored) as { email?: unknown; apiKey?: unknown };
      if (typeof email === 'string' && typeof apiKey === 'string') {
        return { authMethod, email, apiKey };
      }
    } catch {
      // A damaged entry is treated as absent; the user is asked again.
    }
    return undefined;
  }

  async store(credentials: Credentials): Promise<void> {
    const value =
      credentials.authMethod === 'apiToken'
        ? credentials.apiToken
        : JSON.stringify({ email: credentials.email, apiKey: credentials.apiKey });
    await this.secrets.store(KEYS[credentials.authMethod], value);
  }

  /** Removes the credentials of every method. */
  async clear(): Promise<void> {
    await Promise.all(Object.values(KEYS).map((key) => this.secrets.delete(key)));
  }

  dispose(): void {
    this.subscription.dispose();
    this.changed.dispose();
  }
}
