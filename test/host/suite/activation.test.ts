import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';

const COMMANDS = [
  'cloudflareOriginRegions.deleteSelected',
  'cloudflareOriginRegions.previewSelected',
  'cloudflareOriginRegions.restoreDeleted',
  'cloudflareOriginRegions.retryFailed',
  'cloudflareOriginRegions.showMappings',
  'cloudflareOriginRegions.exportReport',
  'cloudflareOriginRegions.setCredentials',
  'cloudflareOriginRegions.clearCredentials',
  'cloudflareOriginRegions.clearResults',
  'cloudflareOriginRegions.showLog',
];

describe('the extension in a real VS Code', () => {
  const extension = () =>
    vscode.extensions.all.find(
      (candidate) => candidate.packageJSON.name === 'cloudflare-origin-regions',
    );

  it('contributes its commands to the palette under one category', () => {
    const contributed = extension()?.packageJSON.contributes.commands as {
      command: string;
      category: string;
    }[];
    assert.deepEqual(
      contributed.map((command) => command.command),
      COMMANDS,
    );
    assert.ok(contributed.every((command) => command.category === 'Cloudflare Origin Regions'));
  });

  it('keeps an untrusted folder from turning off confirmations or shortening the journal', () => {
    const trust = extension()?.packageJSON.capabilities.untrustedWorkspaces as {
      supported: string | boolean;
      restrictedConfigurations: string[];
    };
    assert.equal(trust.supported, 'limited');
    assert.deepEqual([...trust.restrictedConfigurations].sort(), [
      'cloudflareOriginRegions.confirmBeforeDelete',
      'cloudflareOriginRegions.confirmLargeDeletionThreshold',
      'cloudflareOriginRegions.defaultZoneId',
      'cloudflareOriginRegions.journal.retentionDays',
    ]);
  });

  it('registers every contributed command once activated', async () => {
    assert.ok(extension(), 'the extension under development is loaded');
    await extension()!.activate();
    const registered = await vscode.commands.getCommands(true);
    for (const command of COMMANDS) assert.ok(registered.includes(command), command);
  });

  it('offers Delete in the editor context menu only when there is a selection', () => {
    const menu = extension()?.packageJSON.contributes.menus['editor/context'] as {
      command: string;
      when: string;
    }[];
    const item = menu.find((entry) => entry.command === 'cloudflareOriginRegions.deleteSelected');
    assert.equal(item?.when, 'editorHasSelection');
  });
});
