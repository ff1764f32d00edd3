import * as vscode from 'vscode';
import type { Services } from '../services';

/** `cloudflareOriginRegions.clearCredentials`: removes every stored credential. */
export async function clearCredentials(services: Services): Promise<void> {
  await services.credentials.clear();
  services.log.info('Cleared the stored Cloudflare credentials.');
  void vscode.window.showInformationMessage(
    vscode.l10n.t('Cloudflare credentials cleared. The next deletion will ask for new ones.'),
  );
}
