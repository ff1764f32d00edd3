// Credentials Cloudflare rejects, as a person meets them: a token mistyped on first use, and a
// stored token that stops working later.
import * as assert from 'node:assert/strict';
import type { Sandbox } from '../sandbox/server';
import { deleteFromContextMenu, pickZoneAndConfirm, SEEDED, useWorkbench } from './support';
import { expectSoon, type Workbench } from './workbench';

describe('Credentials that Cloudflare rejects', function () {
  this.timeout(90_000);
  let workbench: Workbench;
  let sandbox: Sandbox;

  useWorkbench((session) => ({ workbench, sandbox } = session));

  it('reports a wrong token typed on first use, stores nothing, deletes nothing and asks again next time', async () => {
    await deleteFromContextMenu(workbench);
    await workbench.waitForPrompt('Cloudflare credentials (1/2): how to authenticate');
    await workbench.pick('API token');
    await workbench.waitForPrompt('Cloudflare credentials (2/2): API token');
    await workbench.answerInputBox('a-token-typed-from-memory');

    const error = await workbench.waitForToast(/not stored/);
    assert.equal(error.severity, 'error');
    assert.match(error.message, /^Cloudflare rejected this API token; it was not stored\. /);
    assert.match(error.message, /HTTP 403/);
    assert.deepEqual(error.buttons, ['Try Again']);
    // The token box may still be fading out as the toast shows; no zone prompt follows it.
    await expectSoon(async () => assert.equal(await workbench.promptTitle(), undefined));
    await new Promise((resolve) => setTimeout(resolve, 500));
    assert.equal(await workbench.promptTitle(), undefined, 'no zone is asked for');

    const verify = sandbox.requests.filter((request) => request.route === 'verify');
    assert.equal(verify.length, 1, 'the token was checked once');
    assert.equal(verify[0].headers.authorization, 'Bearer a-token-typed-from-memory');
    assert.ok(!sandbox.requests.some((request) => request.route === 'batchDelete'));
    assert.equal(sandbox.mappings().length, SEEDED.length);

    await workbench.clearNotifications();
    await deleteFromContextMenu(workbench);
    await workbench.waitForPrompt('Cloudflare credentials (1/2): how to authenticate');
    await workbench.dismiss();
  });

  it('offers Update Credentials when a stored token stops working, and that button asks for new ones', async () => {
    await workbench.runCommand('Cloudflare Origin Regions: Set API Credentials');
    await workbench.waitForPrompt('Cloudflare credentials (1/2): how to authenticate');
    await workbench.pick('API token');
    await workbench.answerInputBox(sandbox.token);
    await workbench.waitForToast('Cloudflare API token verified and stored securely.');

    // The token is revoked in the dashboard: from now on Cloudflare refuses every deletion.
    sandbox.fault({ kind: 'authFail', times: Infinity });
    await deleteFromContextMenu(workbench);
    await pickZoneAndConfirm(workbench, sandbox.zoneName);

    const error = await workbench.waitForToast(/Stopped: Cloudflare rejected the credentials/);
    assert.equal(error.severity, 'error');
    assert.match(error.message, /HTTP 403/);
    assert.match(error.message, /0 deleted/);
    assert.deepEqual(error.buttons, ['Update Credentials', 'Show Log', 'Show Problems']);
    assert.equal(sandbox.mappings().length, SEEDED.length, 'nothing was deleted');

    await workbench.clickToastButton(/Stopped: /, 'Update Credentials');
    await workbench.waitForPrompt('Cloudflare credentials (1/2): how to authenticate');
    assert.deepEqual(await workbench.quickPickLabels(), ['API token', 'Email and Global API key']);
    await workbench.dismiss();
  });
});
