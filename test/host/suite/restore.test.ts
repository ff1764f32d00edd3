import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import type { Preview } from '../../../src/core/preview';
import type { RunReport } from '../../../src/core/report';
import { sampleMappings } from '../../sandbox/samples';
import type { Sandbox } from '../../sandbox/server';
import {
  acceptingFirstPrompt,
  deleteSelected,
  diagnosticsAt,
  loggedLine,
  openFile,
  SECTION,
  selectLines,
  useSignedInSandbox,
} from './support';

/** Runs Restore Deleted Mappings, accepting the newest run in its picker as a person would. */
function restoreNewest(): Promise<RunReport | undefined> {
  return acceptingFirstPrompt(
    () =>
      vscode.commands.executeCommand<RunReport | undefined>(`${SECTION}.restoreDeleted`, {
        confirm: false,
      }),
    () => true,
    800,
  );
}

describe('undoing deletions from the journal', () => {
  let sandbox: Sandbox;
  const seeded = sampleMappings(300);
  const state = () =>
    sandbox
      .mappings()
      .map(({ originIp, vendor, region }) => `${originIp} ${vendor} ${region}`)
      .sort();

  useSignedInSandbox((started) => (sandbox = started), seeded);

  async function deleteFirst(count: number) {
    const lines = seeded.slice(0, count).map((mapping) => mapping.originIp);
    const editor = await openFile('to-delete.txt', lines.join('\n') + '\n');
    selectLines(editor, [0, count]);
    return deleteSelected({ zoneId: sandbox.zoneId, confirm: false });
  }

  it('puts the sandbox back exactly as it was, vendor and region included', async () => {
    const before = state();
    const report = await deleteFirst(250);
    assert.equal(report?.succeeded.length, 250);
    assert.equal(sandbox.mappings().length, 50);

    const restored = await restoreNewest();
    assert.equal(restored?.succeeded.length, 250);
    assert.deepEqual(state(), before);
    const puts = sandbox.requests.filter((request) => request.route === 'batchPut');
    assert.deepEqual(
      puts.map((request) => (request.body as unknown[]).length),
      [100, 100, 50],
    );
  });

  it('restores what a lost answer deleted, from the snapshot read before deleting', async () => {
    const before = state();
    sandbox.fault({ kind: 'reset', when: 'afterApply' });
    const report = await deleteFirst(100);
    assert.ok(report);
    // One batch of 100, answered by a reset after it was applied, then retried: not found.
    assert.equal(report.failed.length, 100);
    assert.equal(report.succeeded.length, 0);
    assert.ok(report.failed.every((failure) => failure.possiblyDeleted));
    assert.equal(sandbox.mappings().length, 200, 'the lost answer had deleted them');

    await restoreNewest();
    assert.deepEqual(state(), before);
  });

  it('undoes a restore in turn', async () => {
    await deleteFirst(20);
    await restoreNewest();
    assert.equal(sandbox.mappings().length, 300);
    const undone = await restoreNewest();
    assert.equal(undone?.succeeded.length, 20);
    assert.equal(sandbox.mappings().length, 280);
  });

  it("with a zoneId restores that zone's newest deletion, and calling it again deletes nothing", async () => {
    const zone = sandbox.addZone(`restore-by-zone-${Date.now()}.example`);
    sandbox.seed(zone.id, seeded.slice(0, 20));
    const editor = await openFile('by-zone.txt', seeded.map((m) => m.originIp).join('\n') + '\n');
    selectLines(editor, [0, 20]);
    assert.equal((await deleteSelected({ zoneId: zone.id, confirm: false }))?.succeeded.length, 20);
    const restore = () =>
      vscode.commands.executeCommand<RunReport | undefined>(`${SECTION}.restoreDeleted`, {
        zoneId: zone.id,
        confirm: false,
      });

    assert.equal((await restore())?.succeeded.length, 20);
    assert.equal(sandbox.mappings(zone.id).length, 20);
    assert.equal(await restore(), undefined, 'the restore itself is not undone');
    assert.equal(sandbox.mappings(zone.id).length, 20);
    await loggedLine(/no deletion in zone [0-9a-f]{32} that is not restored already/);
  });

  it('previews a deletion as diagnostics and deletes nothing', async () => {
    const lines = [seeded[0].originIp, '203.0.113.250', '300.1.2.3'];
    const editor = await openFile('preview.txt', lines.join('\n') + '\n');
    selectLines(editor, [0, 3]);
    const preview = await vscode.commands.executeCommand<Preview>(`${SECTION}.previewSelected`, {
      zoneId: sandbox.zoneId,
    });
    assert.equal(preview?.mapped.length, 1);
    assert.deepEqual(preview?.unmapped, ['203.0.113.250']);
    assert.equal(sandbox.mappings().length, 300);
    assert.equal(sandbox.requests.filter((request) => request.route === 'batchDelete').length, 0);

    const uri = editor.document.uri;
    const first = diagnosticsAt(uri, new vscode.Range(0, 0, 0, seeded[0].originIp.length))[0];
    assert.equal(first?.code, 'has-mapping');
    assert.match(first?.message ?? '', new RegExp(`${seeded[0].vendor} ${seeded[0].region}`));
    assert.equal(diagnosticsAt(uri, new vscode.Range(1, 0, 1, 13))[0]?.code, 'no-mapping');
    assert.equal(diagnosticsAt(uri, new vscode.Range(2, 0, 2, 9))[0]?.code, 'invalid');
  });
});
