// After a suite: no secret the tests used may be written anywhere VS Code keeps logs, nor in the
// extension's own storage (the journal, Mementos). Only SecretStorage may hold them.
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import * as path from 'node:path';
import { stableSecret } from '../../sandbox/state';

/** The credentials every sandbox accepts, and the wrong ones the suites type, by name. */
export const SUITE_SECRETS: Record<string, string> = {
  'sandbox API token': stableSecret('token', 40, 'base64url'),
  'sandbox global API key': stableSecret('global key', 37, 'hex'),
  'sandbox account email': 'sandbox@example.com',
  'a rejected API token': 'revoked-token',
  'an API token without Zone Read': 'token-without-zone-read',
};

/** Where VS Code writes what the extension logs or stores, under a user-data folder. */
export function logFolders(userDataDir: string): string[] {
  return [
    path.join(userDataDir, 'logs'),
    path.join(userDataDir, 'User', 'globalStorage', 'origin-regions.cloudflare-origin-regions'),
    path.join(userDataDir, 'User', 'workspaceStorage'),
  ];
}

/**
 * Every file under `roots` that holds one of `secrets`, as "file: which secret" (the secret
 * itself is never printed). State databases are read too: they hold the Mementos in plain text,
 * while SecretStorage keeps its entries encrypted, or (code-server) in the browser.
 */
export function findLeaks(roots: readonly string[], secrets: Record<string, string>): string[] {
  const leaks: string[] = [];
  const visit = (file: string) => {
    if (!existsSync(file)) return;
    if (statSync(file).isDirectory()) {
      for (const name of readdirSync(file)) visit(path.join(file, name));
      return;
    }
    const text = readFileSync(file, 'latin1');
    for (const [name, secret] of Object.entries(secrets)) {
      if (text.includes(secret)) leaks.push(`${file}: ${name}`);
    }
  };
  for (const root of roots) visit(root);
  return leaks;
}

/** Prints what leaked; 0 when nothing did, 1 otherwise. */
export function reportLeaks(roots: readonly string[], secrets = SUITE_SECRETS): number {
  const leaks = findLeaks(roots, secrets);
  if (leaks.length === 0) {
    const files = roots.filter(existsSync).length;
    console.log(`The leak scan passed: no secret in ${files} log and storage folders.`);
    return 0;
  }
  console.error(`The leak scan failed: secrets were written to\n  ${leaks.join('\n  ')}`);
  return 1;
}
