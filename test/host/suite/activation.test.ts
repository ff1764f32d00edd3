import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';

const COMMANDS = [
  'cloudflareOriginRegions.deleteSelected',
  'cloudflareOriginRegions.setCredentials',
  'cloudflareOriginRegions.clearCredentials',
  'cloudflareOriginRegions.clearResults',
  'cloudflareOriginRegions.showLog',
];

describe('the extension in a real VS Code', () => {
  it('registers its five commands once activated', async () => {
    const extension = vscode.extensions.all.find(
      (candidate) => candidate.packageJSON.name === 'cloudflare-origin-regions',
    );
    assert.ok(extension, 'the extension under development is loaded');
    await extension.activate();
    const registered = await vscode.commands.getCommands(true);
    for (const command of COMMANDS) assert.ok(registered.includes(command), command);
  });
});
