import * as assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import * as vscode from 'vscode';
import type { RunReport } from '../../../src/core/report';
import { sharedSandbox } from '../sharedSandbox';
import { EXPIRED_RUN_ID, journalFile, SECTION, setUserSetting } from '../suite/support';

describe('the journal, after the extension host restarted', () => {
  it('still holds the deletion of the previous host, and restores it', async () => {
    const shared = sharedSandbox();
    await setUserSetting('apiBaseUrl', shared.url);
    try {
      await vscode.commands.executeCommand(`${SECTION}.setCredentials`, {
        authMethod: 'apiToken',
        apiToken: shared.token,
      });
      const report = await vscode.commands.executeCommand<RunReport>(`${SECTION}.restoreDeleted`, {
        zoneId: shared.zoneId,
        confirm: false,
      });
      assert.equal(report?.succeeded.length, shared.originIps.length);
      // The runner compares the sandbox with its seed once this host is gone.
    } finally {
      await vscode.commands.executeCommand(`${SECTION}.clearCredentials`);
      await setUserSetting('apiBaseUrl', undefined);
    }
  });

  it('pruned the run older than journal.retentionDays when it first opened the journal', async () => {
    try {
      const text = readFileSync(journalFile(), 'utf8');
      assert.ok(!text.includes(EXPIRED_RUN_ID), 'the 60-day-old run is gone');
      assert.match(text, /"action":"restore"/, 'the recent runs stay');
    } finally {
      await setUserSetting('journal.retentionDays', undefined);
    }
  });
});
