// A person deletes the cloud region mappings of the IPs in a file, in the real workbench:
// right-click, answer the prompts, watch the progress, read the log and the Problems panel.
import * as assert from 'node:assert/strict';
import type { Sandbox } from '../sandbox/server';
import {
  COMMAND,
  deleteFromContextMenu,
  lastRunInLog,
  LISTED,
  MENU_ITEM,
  NOT_LISTED,
  pickZoneAndConfirm,
  SEEDED,
  selectIpLines,
  tableRows,
  UNKNOWN,
  useWorkbench,
} from './support';
import type { Workbench } from './workbench';

const SUMMARY = /36 deleted, 2 failed, 1 invalid in zone example\.com \([0-9a-f]{32}\)\./;

describe('Deleting mappings from the editor, as a person does', function () {
  this.timeout(90_000);
  let workbench: Workbench;
  let sandbox: Sandbox;

  // Small batches, so a run takes several requests and can be cancelled half-way.
  useWorkbench((session) => ({ workbench, sandbox } = session), { settings: { batchSize: 5 } });

  it('asks for an API token on first use, then the zone and a confirmation, and deletes only the selected IPs', async () => {
    const items = await deleteFromContextMenu(workbench, 'context-menu');
    assert.ok(items.includes(MENU_ITEM), `the context menu offers "${MENU_ITEM}": ${items}`);

    await workbench.waitForPrompt('Cloudflare credentials (1/2): how to authenticate');
    assert.deepEqual(await workbench.quickPickLabels(), ['API token', 'Email and Global API key']);
    await workbench.pick('API token');
    await workbench.waitForPrompt('Cloudflare credentials (2/2): API token');
    const box = await workbench.inputBox();
    assert.equal(box.password, true, 'the token is typed into a password box');
    assert.match(box.prompt, /Paste the API token/);
    await workbench.answerInputBox(sandbox.token);

    await workbench.waitForToast('Cloudflare API token verified and stored securely.');
    await workbench.waitForPrompt('Cloudflare zone');
    await workbench.pick(sandbox.zoneName);

    const dialog = await workbench.waitForDialog();
    await workbench.screenshot('confirmation');
    assert.match(dialog.text, /Delete the cloud region mappings of 38 IPs in zone example\.com/);
    assert.match(
      dialog.text,
      /36 IPs have mappings \(aws 9, azure 9, gcp 9, oci 9\); 2 have none;/,
    );
    assert.match(dialog.text, /1 invalid entry will be skipped\./);
    assert.match(dialog.text, /8 requests of up to 5 IPs, 2 at a time\./);
    assert.deepEqual(dialog.buttons, ['Cancel', 'Delete']);
    // Slow answers, so the progress notification stays long enough to be read.
    sandbox.setLatency(600);
    await workbench.pressDialogButton('Delete');

    const progress = await workbench.waitForToast(/Deleting mappings in example\.com/);
    assert.ok(progress.buttons.includes('Cancel'), 'the progress notification can be cancelled');
    const done = await workbench.waitForToast(SUMMARY);
    assert.equal(done.severity, 'warning', 'a run with failures ends in a warning');
    assert.deepEqual(done.buttons, ['Show Log', 'Show Problems']);

    assert.deepEqual(
      sandbox.mappings().map((mapping) => mapping.originIp),
      NOT_LISTED,
      'only the IPs of the selection were deleted',
    );
    const sent = sandbox.requests
      .filter((request) => request.route === 'batchDelete')
      .flatMap((request) => request.batchIps ?? []);
    assert.deepEqual(sent.sort(), [...LISTED, ...UNKNOWN].sort(), 'each valid IP is sent once');
  });

  it('asks for no credentials on the next run, and logs every IP with a summary in the Output panel', async () => {
    await deleteFromContextMenu(workbench);
    assert.equal(
      await workbench.waitForPrompt(/Cloudflare/),
      'Cloudflare zone',
      'the stored token is used: the first question is the zone',
    );
    await pickZoneAndConfirm(workbench, sandbox.zoneName);
    await workbench.waitForToast(SUMMARY);
    await workbench.clickToastButton(SUMMARY, 'Show Log');

    const run = await lastRunInLog(workbench);
    assert.match(run[0], /^Deleting the mappings of 38 IPs in zone example\.com/);
    const deleted = tableRows(run, 'Deleted (36):');
    assert.equal(deleted.length, 36);
    assert.ok(deleted.includes('192.0.2.1       aws    us-east-1'), deleted.join('\n'));
    assert.deepEqual(tableRows(run, 'Failed (2):'), [
      '198.51.100.77   mapping not found',
      '2001:db8:ff::1  mapping not found',
    ]);
    assert.deepEqual(tableRows(run, 'Invalid (never sent) (1):'), [
      'line 40:1  300.1.2.3  octet 300 is out of range (0-255)',
    ]);
    assert.match(run.at(-1) ?? '', /^Summary: 36 deleted, 2 failed, 1 invalid in zone /);
    assert.deepEqual(
      sandbox.mappings().map((mapping) => mapping.originIp),
      NOT_LISTED,
    );
  });

  it("shows Cloudflare's message on each IP it did not delete, in Problems and on the IP", async () => {
    await selectIpLines(workbench);
    await workbench.runCommand(COMMAND);
    await pickZoneAndConfirm(workbench, sandbox.zoneName);
    await workbench.waitForToast(SUMMARY);

    const problems = await workbench.problems();
    // Errors come first: the two IPs Cloudflare did not find, on lines 38 and 39.
    assert.deepEqual(problems.slice(0, 3), [
      {
        severity: 'Error',
        message: '198.51.100.77 was not deleted: mapping not found',
        location: '[Ln 38, Col 1]',
      },
      {
        severity: 'Error',
        message: '2001:db8:ff::1 was not deleted: mapping not found',
        location: '[Ln 39, Col 1]',
      },
      {
        severity: 'Warning',
        message:
          'Not sent: "300.1.2.3" is not a single valid IP address: octet 300 is out of range (0-255).',
        location: '[Ln 40, Col 1]',
      },
    ]);
    assert.equal(
      problems[3]?.message,
      'Deleted the cloud region mapping of 192.0.2.1 (aws us-east-1).',
    );

    // Clicking the row leads to the IP, whose hover carries the same message.
    await workbench.openProblem('[Ln 38, Col 1]');
    const hover = await workbench.hoverText('198.51.100.77', 'was not deleted: mapping not found');
    assert.match(hover, /198\.51\.100\.77 was not deleted: mapping not found/);

    await workbench.showResultsLayout();
    await workbench.runCommand('Cloudflare Origin Regions: Show Log');
    await workbench.revealEnd();
    await workbench.screenshot('results');
  });

  it('asks for credentials again after Clear API Credentials', async () => {
    await workbench.runCommand('Cloudflare Origin Regions: Clear API Credentials');
    await workbench.waitForToast(
      'Cloudflare credentials cleared. The next deletion will ask for new ones.',
    );

    await deleteFromContextMenu(workbench);
    assert.equal(
      await workbench.waitForPrompt(/Cloudflare/),
      'Cloudflare credentials (1/2): how to authenticate',
    );
    await workbench.pick('API token');
    await workbench.waitForPrompt('Cloudflare credentials (2/2): API token');
    await workbench.answerInputBox(sandbox.token);
    await workbench.waitForPrompt('Cloudflare zone');
    await workbench.dismiss();

    const batches = sandbox.requests.filter((request) => request.route === 'batchDelete');
    assert.equal(batches.length, 0, 'dismissing the zone picker sends nothing');
    assert.equal(sandbox.mappings().length, SEEDED.length);
  });

  it('stops sending batches when the progress notification is cancelled, and logs the rest as not sent', async () => {
    await deleteFromContextMenu(workbench);
    await pickZoneAndConfirm(workbench, sandbox.zoneName, () => sandbox.setLatency(1500));

    await workbench.waitForToast(/[12] of 8 batches/, 15_000);
    // The status bar shows the run too, and a click on it shows the log.
    assert.match(
      await workbench.statusBarItem(/Deleting mappings in example\.com/),
      /Deleting mappings in example\.com.*: [12] of 8 batches/,
    );
    await workbench.clickToastButton(/Deleting mappings in example\.com/, 'Cancel');
    const done = await workbench.waitForToast(/Cancelled: /);
    const notSent = Number(/(\d+) not sent/.exec(done.message)?.[1] ?? 0);
    assert.ok(notSent > 0, `some IPs were not sent: ${done.message}`);

    const batches = sandbox.requests.filter((request) => request.route === 'batchDelete');
    assert.ok(batches.length < 8, `no batch is sent after the cancel (${batches.length} of 8)`);
    const sent = new Set(batches.flatMap((request) => request.batchIps ?? []));

    await workbench.clickStatusBarItem(/not sent.* in zone example\.com/);
    const run = await lastRunInLog(workbench);
    assert.ok(
      run.includes('Cancel requested: no further batch will be sent; requests in flight finish.'),
      run.join('\n'),
    );
    const notSentIps = tableRows(run, `Not sent (${notSent}):`).map((row) => row.split(' ')[0]);
    assert.equal(notSentIps.length, notSent);
    const remaining = new Set(sandbox.mappings().map((mapping) => mapping.originIp));
    for (const originIp of notSentIps) {
      assert.ok(!sent.has(originIp), `${originIp} was never sent`);
      if (!UNKNOWN.includes(originIp)) assert.ok(remaining.has(originIp), `${originIp} is kept`);
    }
  });
});
