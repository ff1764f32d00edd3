import * as assert from 'node:assert/strict';
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';
import * as ipaddr from 'ipaddr.js';
import * as vscode from 'vscode';
import { sampleMappings } from '../../sandbox/samples';
import { startSandbox, type Sandbox } from '../../sandbox/server';
import {
  acceptingFirstPrompt,
  declining,
  deleteSelected,
  eventually,
  logMark,
  loggedLine,
  openFile,
  SECTION,
  selectLines,
  setUserSetting,
  workspaceFolder,
} from './support';

const setCredentials = (args: unknown) =>
  vscode.commands.executeCommand<boolean>(`${SECTION}.setCredentials`, args);

describe('credentials, zones and settings in a real VS Code', () => {
  let sandbox: Sandbox;
  // Two mappings, one selected: deleting it never empties the zone (which asks for typing).
  const [mapping, other] = sampleMappings(2);

  before(async () => {
    sandbox = await startSandbox();
    await setUserSetting('apiBaseUrl', sandbox.url);
  });
  beforeEach(async () => {
    sandbox.reset();
    sandbox.seed(sandbox.zoneId, [mapping, other]);
    const editor = await openFile('one.txt', `${mapping.originIp}\n`);
    selectLines(editor, [0, 1]);
  });
  after(async () => {
    await vscode.commands.executeCommand(`${SECTION}.clearCredentials`);
    await setUserSetting('apiBaseUrl', undefined);
    await setUserSetting('authMethod', undefined);
    await sandbox.close();
  });

  const batchRequests = () => sandbox.requests.filter((request) => request.route === 'batchDelete');
  const storeGlobalKey = () =>
    setCredentials({ authMethod: 'globalApiKey', email: sandbox.email, apiKey: sandbox.apiKey });

  it('stores a global API key given as arguments, and sends it as X-Auth headers', async () => {
    assert.equal(await storeGlobalKey(), true);
    assert.equal(vscode.workspace.getConfiguration(SECTION).get('authMethod'), 'globalApiKey');
    const report = await deleteSelected({ zoneId: sandbox.zoneId, confirm: false });
    assert.equal(report?.succeeded.length, 1);
    const [request] = batchRequests();
    assert.equal(request.headers['x-auth-email'], sandbox.email);
    assert.equal(request.headers['x-auth-key'], sandbox.apiKey);
    assert.equal(request.headers.authorization, undefined);
  });

  it('stores an API token given as arguments, and sends it as a bearer token', async () => {
    assert.equal(await setCredentials({ authMethod: 'apiToken', apiToken: sandbox.token }), true);
    await deleteSelected({ zoneId: sandbox.zoneId, confirm: false });
    assert.equal(batchRequests()[0].headers.authorization, `Bearer ${sandbox.token}`);
    assert.equal(batchRequests()[0].headers['x-auth-key'], undefined);
  });

  it('sends the credentials of the method authMethod names, and asks when those are not stored', async () => {
    await vscode.commands.executeCommand(`${SECTION}.clearCredentials`);
    assert.equal(await setCredentials({ authMethod: 'apiToken', apiToken: sandbox.token }), true);
    await setUserSetting('authMethod', 'globalApiKey');
    const mark = logMark();
    const run = deleteSelected({ zoneId: sandbox.zoneId, confirm: false });
    assert.equal(await declining(run), undefined);
    await loggedLine(
      /^\[info\] No Global API key is stored \(authMethod globalApiKey\); asking/,
      mark,
    );
    assert.equal(batchRequests().length, 0, 'the stored token was not sent in place of the key');

    assert.equal(await storeGlobalKey(), true);
    await setUserSetting('authMethod', 'apiToken');
    await deleteSelected({ zoneId: sandbox.zoneId, confirm: false });
    assert.equal(batchRequests()[0].headers.authorization, `Bearer ${sandbox.token}`);
    assert.equal(batchRequests()[0].headers['x-auth-key'], undefined);
  });

  it('does not store a token that Cloudflare rejects', async () => {
    assert.equal(await setCredentials({ authMethod: 'apiToken', apiToken: sandbox.token }), true);
    assert.equal(
      await setCredentials({ authMethod: 'apiToken', apiToken: 'revoked-token' }),
      false,
    );
    assert.ok(
      sandbox.requests.some((request) => request.route === 'verify' && request.status === 403),
    );
    await deleteSelected({ zoneId: sandbox.zoneId, confirm: false });
    assert.equal(batchRequests()[0].headers.authorization, `Bearer ${sandbox.token}`);
  });

  it('refuses arguments of the wrong shape without storing anything', async () => {
    assert.equal(await setCredentials({ authMethod: 'apiToken' }), false);
    assert.equal(await setCredentials({ authMethod: 'password', password: 'x' }), false);
    assert.equal(sandbox.requests.length, 0);
  });

  it('really removes the secrets on Clear API Credentials: the next run has to ask', async () => {
    assert.equal(await setCredentials({ authMethod: 'apiToken', apiToken: sandbox.token }), true);
    await vscode.commands.executeCommand(`${SECTION}.clearCredentials`);
    const mark = logMark();
    const report = await declining(deleteSelected({ zoneId: sandbox.zoneId, confirm: false }));
    assert.equal(report, undefined, 'the credential prompt was dismissed');
    await loggedLine(/^\[info\] No API token is stored \(authMethod apiToken\); asking/, mark);
    assert.equal(batchRequests().length, 0, 'nothing was sent without credentials');
    assert.equal(sandbox.mappings().length, 2);
  });

  describe('with a stored token', () => {
    before(async () => {
      assert.equal(await setCredentials({ authMethod: 'apiToken', apiToken: sandbox.token }), true);
    });

    it('picks the default zone from the zone list when the picker is accepted', async () => {
      // Another zone used last comes first in the list; only the preselection picks the default.
      const another = sandbox.addZone(`last-used-${Date.now()}.example`);
      await deleteSelected({ zoneId: another.id, confirm: false });
      sandbox.clearRequests();
      await setUserSetting('defaultZoneId', sandbox.zoneId);
      try {
        const report = await acceptingFirstPrompt(
          () => deleteSelected({ confirm: false }),
          () => sandbox.requests.some((request) => request.route === 'zones'),
        );
        assert.equal(report?.zoneId, sandbox.zoneId);
        assert.ok(sandbox.requests.some((request) => request.route === 'zones'));
        assert.equal(report?.succeeded.length, 1);
      } finally {
        await setUserSetting('defaultZoneId', undefined);
      }
    });

    it('asks for a zone ID when the token cannot list zones, and uses it', async () => {
      sandbox.addToken('token-without-zone-read', { canListZones: false });
      assert.equal(
        await setCredentials({ authMethod: 'apiToken', apiToken: 'token-without-zone-read' }),
        true,
      );
      await setUserSetting('defaultZoneId', sandbox.zoneId);
      try {
        // The zone ID box opens filled with the default zone; accepting it is enough.
        const report = await acceptingFirstPrompt(
          () => deleteSelected({ confirm: false }),
          () => sandbox.requests.some((request) => request.route === 'zones'),
        );
        assert.equal(report?.zoneId, sandbox.zoneId);
        assert.ok(
          sandbox.requests.some((request) => request.route === 'zones' && request.status === 403),
        );
      } finally {
        await setUserSetting('defaultZoneId', undefined);
        await setCredentials({ authMethod: 'apiToken', apiToken: sandbox.token });
      }
    });

    it('asks nothing when confirmBeforeDelete is off', async () => {
      await setUserSetting('confirmBeforeDelete', false);
      try {
        const report = await deleteSelected({ zoneId: sandbox.zoneId });
        assert.equal(report?.succeeded.length, 1);
      } finally {
        await setUserSetting('confirmBeforeDelete', undefined);
      }
    });

    it('refuses a zone ID that could smuggle a path, before any request', async () => {
      const report = await deleteSelected({ zoneId: '../../user/tokens/verify', confirm: false });
      assert.equal(report, undefined);
      assert.equal(sandbox.requests.length, 0);
    });

    it('ignores an apiBaseUrl set by the workspace: a cloned repository cannot redirect credentials', async () => {
      const decoy = await startSandbox();
      const settingsFolder = path.join(workspaceFolder(), '.vscode');
      mkdirSync(settingsFolder, { recursive: true });
      // batchSize, which a workspace may set, shows when VS Code has read the file.
      writeFileSync(
        path.join(settingsFolder, 'settings.json'),
        JSON.stringify({ [`${SECTION}.apiBaseUrl`]: decoy.url, [`${SECTION}.batchSize`]: 7 }),
      );
      try {
        await eventually(
          () => assert.equal(vscode.workspace.getConfiguration(SECTION).get('batchSize'), 7),
          10_000,
        );
        const report = await deleteSelected({ zoneId: sandbox.zoneId, confirm: false });
        assert.equal(report?.succeeded.length, 1);
        assert.equal(decoy.requests.length, 0, 'the workspace URL received nothing');
        assert.equal(batchRequests().length, 1);
      } finally {
        rmSync(settingsFolder, { recursive: true, force: true });
        await decoy.close();
        await eventually(
          () => assert.equal(vscode.workspace.getConfiguration(SECTION).get('batchSize'), 100),
          10_000,
        );
      }
    });

    it("does not send a selection beyond a zone's size without a confirmation", async () => {
      const ips = Array.from({ length: 4000 }, (_, index) => `198.18.${index >> 8}.${index & 255}`);
      const editor = await openFile('many.txt', ips.join('\n') + '\n');
      selectLines(editor, [0, ips.length]);
      const report = await deleteSelected({ zoneId: sandbox.zoneId, confirm: false });
      assert.equal(report, undefined);
      assert.equal(sandbox.requests.length, 0, 'nothing was sent blindly');
      await loggedLine(
        /^\[error\] 4,000 IPs is more than a zone holds; such a run is only sent after you confirm it/,
      );
    });

    it('says that a run must be paced, not that the zone is full, when confirm: false meets one', async () => {
      const ips = Array.from({ length: 700 }, (_, index) => `198.18.${index >> 8}.${index & 255}`);
      const editor = await openFile('paced.txt', ips.join('\n') + '\n');
      selectLines(editor, [0, ips.length]);
      await setUserSetting('batchSize', 1);
      try {
        assert.equal(await deleteSelected({ zoneId: sandbox.zoneId, confirm: false }), undefined);
      } finally {
        await setUserSetting('batchSize', undefined);
      }
      assert.equal(sandbox.requests.length, 0);
      await loggedLine(
        /^\[error\] 700 IPs take 700 requests, which must be paced to stay within the rate limit; such a run is only sent after you confirm it/,
      );
    });

    it('checks the zoneId of Preview and Show Mappings before anything, with one clear message', async () => {
      const editor = await openFile('preview-bad-zone.txt', `${mapping.originIp}\n`);
      selectLines(editor, [0, 1]);
      const refused = /^\[error\] The zone ID argument "example\.com" is not a zone ID/;
      for (const command of ['previewSelected', 'showMappings']) {
        const mark = logMark();
        const result = await vscode.commands.executeCommand(`${SECTION}.${command}`, {
          zoneId: 'example.com',
        });
        assert.equal(result, undefined, command);
        assert.doesNotMatch(await loggedLine(refused, mark), /\.\./);
      }
      assert.equal(sandbox.requests.length, 0, 'nothing was sent');
    });

    it('refuses a selection needing more requests than the 5-minute budget, sending nothing', async () => {
      const ips = Array.from({ length: 130_000 }, (_, index) =>
        ipaddr.fromByteArray([198, 18 + (index >> 16), (index >> 8) & 255, index & 255]).toString(),
      );
      const editor = await openFile('far-too-many.txt', ips.join('\n') + '\n');
      selectLines(editor, [0, ips.length]);
      assert.equal(await deleteSelected({ zoneId: sandbox.zoneId }), undefined);
      assert.equal(sandbox.requests.length, 0);
      await loggedLine(
        /^\[error\] This selection needs 1,300 requests, more than the 1,200 Cloudflare allows in 5 minutes; .* Nothing was sent\.$/,
      );
    });

    it('refuses an http:// API URL to a host that is not loopback, sending nothing', async () => {
      await setUserSetting('apiBaseUrl', 'http://api.cloudflare.invalid/client/v4');
      try {
        const report = await deleteSelected({ zoneId: sandbox.zoneId, confirm: false });
        assert.equal(report, undefined);
      } finally {
        await setUserSetting('apiBaseUrl', sandbox.url);
      }
      assert.equal(sandbox.requests.length, 0);
      assert.equal(sandbox.mappings().length, 2);
      await loggedLine(
        /^\[error\] The setting cloudflareOriginRegions\.apiBaseUrl uses http:\/\/ to api\.cloudflare\.invalid; credentials would travel unencrypted/,
      );
    });
  });
});
