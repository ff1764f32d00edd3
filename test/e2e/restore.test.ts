// Undoing a deletion, as a person does it: a large deletion asks for the zone's name to be
// typed, and Restore Deleted Mappings… puts everything back from the journal.
import * as assert from 'node:assert/strict';
import type { Sandbox } from '../sandbox/server';
import { deleteFromContextMenu, LISTED, pickZoneAndConfirm, SEEDED, useWorkbench } from './support';
import { expectSoon, type Workbench } from './workbench';

describe('Typed confirmation and restore, in the browser', function () {
  this.timeout(90_000);
  let workbench: Workbench;
  let sandbox: Sandbox;
  const state = () =>
    sandbox
      .mappings()
      .map(({ originIp, vendor, region }) => `${originIp} ${vendor} ${region}`)
      .sort();

  // A low threshold makes the fixture's 36 mappings a large deletion.
  useWorkbench((session) => ({ workbench, sandbox } = session), {
    settings: { confirmLargeDeletionThreshold: 10 },
    signedIn: true,
    seedOnce: true,
  });

  it('asks for the zone name before a large deletion, and a wrong name deletes nothing', async () => {
    await deleteFromContextMenu(workbench);
    await pickZoneAndConfirm(workbench, sandbox.zoneName);

    await workbench.waitForPrompt('Confirm a large deletion');
    await workbench.screenshot('typed-confirmation', { x: 340, y: 0, width: 600, height: 122 });
    const box = await workbench.inputBox();
    assert.match(
      box.prompt,
      new RegExp(`This deletes 36 mappings\\. Type the zone's name, ${sandbox.zoneName}`),
    );
    await workbench.answerInputBox('example.org');
    // The box stays open and says what to type; the check runs as the text changes.
    await expectSoon(async () => {
      const again = await workbench.inputBox();
      assert.match(again.prompt, new RegExp(`Type ${sandbox.zoneName} exactly`));
    });
    await workbench.dismiss();

    assert.ok(!sandbox.requests.some((request) => request.route === 'batchDelete'));
    assert.equal(sandbox.mappings().length, SEEDED.length);
  });

  it('deletes once the name is typed, and Restore Deleted Mappings puts every mapping back', async () => {
    const before = state();
    await deleteFromContextMenu(workbench);
    await pickZoneAndConfirm(workbench, sandbox.zoneName);
    await workbench.waitForPrompt('Confirm a large deletion');
    await workbench.answerInputBox(sandbox.zoneName);
    await workbench.waitForToast(/36 deleted, 2 failed, 1 invalid in zone/);
    assert.equal(sandbox.mappings().length, SEEDED.length - LISTED.length);
    // The status bar keeps the run's summary after the notification is gone.
    assert.match(
      await workbench.statusBarItem(/36 deleted/),
      new RegExp(
        `36 deleted, 2 failed, 1 invalid in zone ${sandbox.zoneName.replace(/\./g, '\\.')}`,
      ),
    );
    await workbench.clearNotifications();

    await workbench.runCommand('Cloudflare Origin Regions: Restore Deleted Mappings…');
    await workbench.waitForPrompt('Restore Deleted Mappings');
    // The newest run first: its zone, what it deleted and when, and that it is not restored.
    const [newest] = await workbench.quickPickRows();
    assert.equal(newest.label, sandbox.zoneName);
    assert.match(newest.description, /^deleted 36 mappings · \d{1,2} \w{3} \d{4}, \d\d:\d\d$/);
    assert.match(newest.detail, /Not restored: choose it to put these mappings back\./);
    await workbench.page.mouse.move(0, 0); // no tooltip over the list in the picture
    await workbench.screenshot('restore', { x: 340, y: 0, width: 600, height: 122 });
    await workbench.pick(newest.label);
    const dialog = await workbench.waitForDialog();
    assert.match(dialog.text, /Put back 36 mappings in zone/);
    await workbench.pressDialogButton('Restore');

    const done = await workbench.waitForToast(/36 restored, 0 failed in zone/);
    assert.equal(done.severity, 'info');
    assert.deepEqual(state(), before, 'vendor and region included');
  });

  it('asks for the zone name when the selection holds every mapping of the zone', async () => {
    sandbox.reset();
    sandbox.seed(sandbox.zoneId, SEEDED.slice(0, LISTED.length));
    await deleteFromContextMenu(workbench);
    await workbench.waitForPrompt('Cloudflare zone');
    await workbench.pick(sandbox.zoneName);
    const dialog = await workbench.waitForDialog();
    assert.match(dialog.text, /36 IPs have mappings.*; this removes every mapping of the zone\./);
    await workbench.pressDialogButton('Delete');

    await workbench.waitForPrompt('Confirm a large deletion');
    const box = await workbench.inputBox();
    assert.match(box.prompt, /^This deletes every mapping of the zone\. Type the zone's name/);
    await workbench.dismiss();
    assert.equal(sandbox.mappings().length, LISTED.length, 'nothing was deleted');
  });
});
