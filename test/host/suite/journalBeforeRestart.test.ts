import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import { sharedSandbox } from '../sharedSandbox';
import { deleteSelected, openFile, SECTION, selectLines, setUserSetting } from './support';

describe('the journal, before the extension host restarts', () => {
  it('journals a deletion that the next extension host will restore', async () => {
    const shared = sharedSandbox();
    await setUserSetting('apiBaseUrl', shared.url);
    try {
      const stored = await vscode.commands.executeCommand(`${SECTION}.setCredentials`, {
        authMethod: 'apiToken',
        apiToken: shared.token,
      });
      assert.equal(stored, true);
      const editor = await openFile('before-restart.txt', shared.originIps.join('\n') + '\n');
      selectLines(editor, [0, shared.originIps.length]);
      const report = await deleteSelected({ zoneId: shared.zoneId, confirm: false });
      assert.equal(report?.succeeded.length, shared.originIps.length);
    } finally {
      await setUserSetting('apiBaseUrl', undefined);
    }
  });
});
