// The commands around a deletion, as a person uses them in the workbench: a preview from the
// context menu, a hover on an IP, Retry Failed IPs as a quick fix, Export Report… through the
// save dialog, Show Mappings for Zone… and a deletion from the list it opens, several zones.
import * as assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import type { Profile } from '../host/runner/profile';
import type { Sandbox } from '../sandbox/server';
import {
  deleteFromContextMenu,
  FILE,
  INVALID,
  lastRunInLog,
  lineOf,
  LISTED,
  pickZoneAndConfirm,
  SEEDED,
  selectIpLines,
  UNKNOWN,
  COMMAND,
  useWorkbench,
} from './support';
import { expectSoon, type Workbench } from './workbench';

const PREVIEW_ITEM = 'Preview Deletion for Selected IPs';
const RETRY_FIX = 'Retry the IPs of the last run that were not deleted';
const DELETED_36 = /36 deleted, 2 failed, 1 invalid in zone example\.com/;
/** 100,000 IPs in a benchmark range, far more than a zone holds. */
const HUNDRED_THOUSAND = Array.from(
  { length: 100_000 },
  (_, index) => `198.${18 + (index >> 16)}.${(index >> 8) & 255}.${index & 255}`,
);
const HUNDRED_THOUSAND_FILE = 'every-origin.txt';

describe('The workflow around a deletion, in the browser', function () {
  this.timeout(90_000);
  let workbench: Workbench;
  let sandbox: Sandbox;
  let profile: Profile;

  useWorkbench((session) => ({ workbench, sandbox, profile } = session), {
    files: { [HUNDRED_THOUSAND_FILE]: HUNDRED_THOUSAND.join('\n') + '\n' },
    signedIn: true,
  });

  /** Deletes the fixture's IPs from the default zone: 36 deleted, the 2 unknown ones fail. */
  async function deleteFixture(): Promise<void> {
    await deleteFromContextMenu(workbench);
    await pickZoneAndConfirm(workbench, sandbox.zoneName);
    await workbench.waitForToast(DELETED_36);
  }

  it('previews a deletion from the context menu: what each IP holds, and nothing deleted', async () => {
    await selectIpLines(workbench);
    const items = await workbench.openContextMenu(INVALID);
    assert.ok(items.includes(PREVIEW_ITEM), `the context menu offers "${PREVIEW_ITEM}": ${items}`);
    await workbench.chooseMenuItem(PREVIEW_ITEM);
    await workbench.waitForPrompt('Cloudflare zone');
    await workbench.pick(sandbox.zoneName);

    const toast = await workbench.waitForToast(/Preview, nothing deleted/);
    assert.match(toast.message, /36 mappings would be deleted in example\.com/);
    assert.deepEqual(toast.buttons, ['Show Log', 'Show Problems']);

    const problems = await workbench.problems();
    const first = SEEDED[0];
    assert.ok(
      problems.some(
        (problem) =>
          problem.message ===
          `Mapped to ${first.vendor} ${first.region} in example.com: a deletion would remove it.`,
      ),
      `the Problems panel tells what the first IP holds: ${JSON.stringify(problems.slice(0, 4))}`,
    );
    const fifth = SEEDED[4];
    await workbench.goToLine(lineOf(fifth.originIp));
    const mapped = await workbench.hoverAtCursor(/mapped to/);
    assert.match(
      mapped,
      new RegExp(`example\\.com: mapped to ${fifth.vendor} ${fifth.region} \\(read `),
    );
    await workbench.goToLine(lineOf(UNKNOWN[0]));
    const unknown = await workbench.hoverAtCursor(/No mapping/);
    assert.match(unknown, /No mapping in example\.com: a deletion would change nothing\./);
    await workbench.screenshot('preview', { x: 352, y: 290, width: 928, height: 210 });

    assert.ok(!sandbox.requests.some((request) => request.route === 'batchDelete'));
    assert.equal(sandbox.mappings().length, SEEDED.length);
  });

  it('tells, on hover, what an IP was mapped to and what the last run did with it', async () => {
    await deleteFixture();
    // The last IP line the selection left in view.
    const last = SEEDED[LISTED.length - 1];
    await workbench.goToLine(lineOf(last.originIp));
    const hover = await workbench.hoverAtCursor(/Last outcome/);
    assert.match(
      hover,
      new RegExp(
        `Last outcome: Deleted the cloud region mapping of ${last.originIp.replace(/\./g, '\\.')} \\(${last.vendor} ${last.region}\\)`,
      ),
    );
  });

  it('retries only the failed IPs from the quick fix on one of them', async () => {
    await deleteFixture();
    await workbench.clearNotifications();
    // Meanwhile someone created the two mappings the run could not find.
    sandbox.seed(
      sandbox.zoneId,
      UNKNOWN.map((originIp) => ({ originIp, vendor: 'gcp', region: 'us-east1' })),
    );
    sandbox.clearRequests();

    const fixes = await workbench.openQuickFixes(UNKNOWN[0]);
    assert.ok(fixes.includes(RETRY_FIX), `the quick fixes offer a retry: ${fixes}`);
    await workbench.chooseQuickFix(RETRY_FIX);
    const dialog = await workbench.waitForDialog();
    assert.match(dialog.text, /Send the 2 IPs that failed or were not sent in the last run again/);
    await workbench.pressDialogButton('Retry');

    await workbench.waitForToast(/2 deleted, 0 failed in zone example\.com/);
    const sent = sandbox.requests
      .filter((request) => request.route === 'batchDelete')
      .flatMap((request) => request.batchIps ?? []);
    assert.deepEqual(sent.sort(), [...UNKNOWN].sort(), 'only the failed IPs were sent again');
    assert.equal(sandbox.mappings().length, SEEDED.length - LISTED.length);
    // The Problems panel redraws a moment after the diagnostics change.
    await workbench.problems();
    await expectSoon(async () => {
      const problems = await workbench.problemsShown();
      assert.ok(
        !problems.some((problem) => problem.message.includes('was not deleted')),
        'no IP is marked failed any more',
      );
    });
  });

  it('exports the last report through the save dialog', async () => {
    await deleteFixture();
    await workbench.clearNotifications();
    await workbench.runCommand('Cloudflare Origin Regions: Export Report…');
    await workbench.waitForPrompt('Export the report as');
    assert.deepEqual(await workbench.quickPickLabels(), ['JSON', 'CSV', 'Markdown']);
    await workbench.pick('CSV');

    await workbench.waitForPrompt(/^Export the report$/);
    const file = path.join(profile.workspace, 'retired.csv');
    const proposed = await workbench.answerSaveDialog(file);
    assert.match(proposed, /cloud-region-deletions-\d{4}-\d\d-\d\d-\d\d-\d\d\.csv$/);

    await expectSoon(async () => {
      const rows = readFileSync(file, 'utf8').trimEnd().split('\r\n');
      assert.equal(rows[0], 'origin_ip,outcome,vendor,region,detail');
      assert.equal(rows.length, 1 + 36 + 2 + 1, 'a row per IP and per invalid entry');
      const first = SEEDED[0];
      assert.ok(rows.includes(`${first.originIp},deleted,${first.vendor},${first.region},`));
      assert.ok(rows.some((row) => row.startsWith(`${UNKNOWN[0]},failed,,,`)));
    });
  });

  it("lists a zone's mappings in a new document, and lines selected there are deleted", async () => {
    await workbench.runCommand('Cloudflare Origin Regions: Show Mappings for Zone…');
    await workbench.waitForPrompt('Cloudflare zone');
    await workbench.pick(sandbox.zoneName);
    await workbench.page.locator('.tabs-container .tab.active', { hasText: 'Untitled' }).waitFor();

    let lines: string[] = [];
    await expectSoon(async () => {
      lines = await workbench.editorLines();
      assert.match(
        lines[0],
        /^# Origin cloud region mappings of example\.com \(zone [0-9a-f]{32}\): 40,/,
      );
    });
    assert.match(lines[2], /^origin_ip\s+vendor\s+region\s+modified_on$/);
    // Sorted by vendor, then region: the first rows are the zone's AWS mappings.
    const firstRows = lines.slice(3, 6).map((line) => line.split(/\s+/));
    for (const [originIp, vendor, region] of firstRows) {
      assert.ok(
        SEEDED.some(
          (mapping) =>
            mapping.originIp === originIp && mapping.vendor === vendor && mapping.region === region,
        ),
        `${originIp} ${vendor} ${region} is one of the zone's mappings`,
      );
    }

    await workbench.selectLines(4, 6);
    await workbench.openContextMenu(new RegExp(`^${firstRows[0][0].replace(/\./g, '\\.')}\\s`));
    await workbench.chooseMenuItem('Delete Cloud Region Mappings for Selected IPs');
    await pickZoneAndConfirm(workbench, sandbox.zoneName);
    await workbench.waitForToast(/3 deleted, 0 failed in zone example\.com/);
    const left = new Set(sandbox.mappings().map((mapping) => mapping.originIp));
    assert.equal(left.size, SEEDED.length - 3);
    for (const [originIp] of firstRows) assert.ok(!left.has(originIp), `${originIp} is deleted`);

    await workbench.runCommand('View: Revert and Close Editor');
    await workbench.page.locator('.tabs-container .tab.active', { hasText: FILE }).waitFor();
  });

  it('deletes the same IPs from several zones and reports each zone', async () => {
    const second = sandbox.addZone('second.example');
    sandbox.seed(second.id, SEEDED);

    await deleteFromContextMenu(workbench);
    await workbench.waitForPrompt('Cloudflare zone');
    await workbench.pick('Several zones…');
    await workbench.waitForPrompt('Cloudflare zones: the same IPs are deleted from each');
    await workbench.pickSeveral([sandbox.zoneName, second.name]);
    const dialog = await workbench.waitForDialog();
    assert.match(dialog.text, /example\.com/);
    assert.match(dialog.text, /second\.example/);
    await workbench.pressDialogButton('Delete');
    // One notification sums up every zone.
    const toast = await workbench.waitForToast(DELETED_36);
    assert.match(toast.message, /; 36 deleted, 2 failed, 1 invalid in zone second\.example/);
    assert.equal(sandbox.mappings(sandbox.zoneId).length, SEEDED.length - LISTED.length);
    assert.equal(sandbox.mappings(second.id).length, SEEDED.length - LISTED.length);

    await workbench.clickToastButton(DELETED_36, 'Show Log');
    const log = await lastRunInLog(workbench);
    assert.ok(
      log.some((line) => /zone second\.example/.test(line)),
      log.join('\n'),
    );
  });

  it('weighs a selection of 100,000 IPs against the rate limit, and sends nothing until confirmed', async () => {
    await workbench.openFile(HUNDRED_THOUSAND_FILE);
    await workbench.selectAll();
    await workbench.openContextMenu(HUNDRED_THOUSAND[0]);
    await workbench.chooseMenuItem('Delete Cloud Region Mappings for Selected IPs');
    await workbench.waitForPrompt('Cloudflare zone');
    await workbench.pick(sandbox.zoneName);

    const dialog = await workbench.waitForDialog();
    assert.match(
      dialog.text,
      /Delete the cloud region mappings of 100,000 IPs in zone example\.com/,
    );
    assert.match(dialog.text, /That is more IPs than the 3,500 mappings a zone can hold\./);
    assert.match(
      dialog.text,
      /1,000 requests: 83% of the 1,200 requests per 5 minutes .*; they will be spread out, one every 0\.5 s, taking about 9 minutes\./,
    );
    await workbench.pressDialogButton('Cancel');
    assert.ok(!sandbox.requests.some((request) => request.route === 'batchDelete'));
    assert.equal(sandbox.mappings().length, SEEDED.length);
    await workbench.runCommand('View: Revert and Close Editor');
  });

  it('offers the whole document when nothing is selected, counting its IPs first', async () => {
    await workbench.revealEnd();
    await workbench.runCommand(COMMAND);
    const dialog = await workbench.waitForDialog();
    assert.match(
      dialog.text,
      /Nothing is selected\. Use the whole document\? It holds 38 IP addresses\./,
    );
    assert.ok(dialog.buttons.includes('Use Whole Document'), dialog.buttons.join(', '));
    await workbench.pressDialogButton('Cancel');
    assert.equal(sandbox.requests.length, 0, 'nothing was asked of Cloudflare');
  });

  it('lists the zone used last in this workspace first, the next time it asks', async () => {
    const remembered = sandbox.addZone('zz-remembered.example');
    sandbox.seed(remembered.id, SEEDED);
    const preview = async (zoneName: string) => {
      await selectIpLines(workbench);
      await workbench.openContextMenu(INVALID);
      await workbench.chooseMenuItem(PREVIEW_ITEM);
      await workbench.waitForPrompt('Cloudflare zone');
      // The list fills once the zones are read; until then it offers only a typed zone ID.
      let labels: string[] = [];
      await expectSoon(async () => {
        labels = await workbench.quickPickLabels();
        assert.ok(labels.includes(remembered.name) && labels.includes(sandbox.zoneName));
      });
      await workbench.pick(zoneName);
      await workbench.waitForToast(/Preview, nothing deleted/);
      await workbench.clearNotifications();
      return labels;
    };
    // Sorted by name, the remembered zone would come last.
    await preview(remembered.name);
    const labels = await preview(sandbox.zoneName);
    assert.equal(labels[0], remembered.name, labels.join(', '));
  });
});
