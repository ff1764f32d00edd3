/** How the extension authenticates to Cloudflare; the secret parts live only in SecretStorage. */
export type Credentials =
  | { authMethod: 'apiToken'; apiToken: string }
  | { authMethod: 'globalApiKey'; email: string; apiKey: string };

export type AuthMethod = Credentials['authMethod'];

/** The request headers that carry these credentials. */
export function authHeaders(credentials: Credentials): Record<string, string> {
  if (credentials.authMethod === 'apiToken') {
    return { authorization: `Bearer ${credentials.apiToken}` };
  }
  return { 'x-auth-email': credentials.email, 'x-auth-key': credentials.apiKey };
}

/** Every secret string the credentials hold, for redaction of anything shown to a person. */
export function secretsOf(credentials: Credentials): string[] {
  return credentials.authMethod === 'apiToken'
    ? [credentials.apiToken]
    : [credentials.email, credentials.apiKey];
}

/** Replaces every occurrence of a secret in `text` with a placeholder. */
export function redact(text: string, secrets: readonly string[]): string {
  let result = text;
  for (const secret of secrets) {
    if (secret.length >= 4) result = result.split(secret).join('[redacted]');
  }
  return result;
}
