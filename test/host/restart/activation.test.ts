import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import { startSandbox } from '../../sandbox/server';
import { setUserSetting } from '../suite/support';

// A fresh extension host: nothing has run the extension's commands yet, so this file (the first
// of the folder) sees its activation.
describe('activating the extension in a fresh extension host', () => {
  it('sends nothing to Cloudflare, with the API URL set to a sandbox that records requests', async () => {
    const extension = vscode.extensions.getExtension('origin-regions.cloudflare-origin-regions');
    assert.ok(extension, 'the extension is installed');
    assert.equal(extension.isActive, false, 'not active before anything asks for it');

    const sandbox = await startSandbox();
    await setUserSetting('apiBaseUrl', sandbox.url);
    try {
      await extension.activate();
      assert.equal(extension.isActive, true);
      await new Promise((resolve) => setTimeout(resolve, 500));
      assert.deepEqual(sandbox.requests, [], 'activation made no request');
    } finally {
      await setUserSetting('apiBaseUrl', undefined);
      await sandbox.close();
    }
  });
});
