import * as assert from 'node:assert/strict';
import { appendFileSync, readFileSync } from 'node:fs';
import * as vscode from 'vscode';
import { sharedSandbox } from '../sharedSandbox';
import {
  EXPIRED_RUN_ID,
  deleteSelected,
  journalFile,
  openFile,
  SECTION,
  selectLines,
  setUserSetting,
} from './support';

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

  it('leaves a run from 60 days ago for the next host to prune with 30 days of retention (90 would keep it)', async () => {
    assert.match(readFileSync(journalFile(), 'utf8'), /"action":"delete"/, 'the journal is there');
    const at = new Date(Date.now() - 60 * 24 * 60 * 60 * 1000).toISOString();
    const run = {
      type: 'run',
      runId: EXPIRED_RUN_ID,
      action: 'delete',
      zoneId: '0'.repeat(32),
      zoneName: 'old.example',
      at,
    };
    const mapping = {
      type: 'mapping',
      runId: EXPIRED_RUN_ID,
      originIp: '192.0.2.200',
      vendor: 'aws',
      region: 'us-east-1',
      state: 'deleted',
    };
    appendFileSync(journalFile(), `${JSON.stringify(run)}\n${JSON.stringify(mapping)}\n`);
    await setUserSetting('journal.retentionDays', 30);
  });
});
