import * as assert from 'node:assert/strict';
import { ApiError } from '../../src/core/cloudflare/errors';
import { sampleMappings } from '../sandbox/samples';
import type { Sandbox } from '../sandbox/server';
import { clientFor, USER_AGENT, type TestClient, useSandboxClient } from '../support/clients';

async function failureOf(promise: Promise<unknown>): Promise<ApiError> {
  try {
    await promise;
  } catch (error) {
    assert.ok(error instanceof ApiError, `expected an ApiError, got ${String(error)}`);
    return error;
  }
  assert.fail('expected the call to fail');
}

describe('the Cloudflare client against the sandbox', () => {
  let sandbox: Sandbox;
  let api: TestClient;

  useSandboxClient((started, client) => ((sandbox = started), (api = client)));

  describe('credentials', () => {
    it('verifies an API token with GET /user/tokens/verify, sent as a bearer token', async () => {
      await api.client.verifyCredentials();
      const request = sandbox.requests.at(-1);
      assert.equal(request?.path, '/client/v4/user/tokens/verify');
      assert.equal(request?.headers.authorization, `Bearer ${sandbox.token}`);
    });

    it('verifies a global API key with GET /user, sent as X-Auth-Email and X-Auth-Key', async () => {
      const keyed = clientFor(sandbox, {
        credentials: { authMethod: 'globalApiKey', email: sandbox.email, apiKey: sandbox.apiKey },
      });
      try {
        await keyed.client.verifyCredentials();
        const request = sandbox.requests.at(-1);
        assert.equal(request?.path, '/client/v4/user');
        assert.equal(request?.headers['x-auth-email'], sandbox.email);
        assert.equal(request?.headers['x-auth-key'], sandbox.apiKey);
        assert.equal(request?.headers.authorization, undefined);
      } finally {
        await keyed.close();
      }
    });

    it('reports a wrong token as an auth error that does not contain the token', async () => {
      const canary = 'canary-token-9f8e7d6c5b4a';
      const wrong = clientFor(sandbox, {
        credentials: { authMethod: 'apiToken', apiToken: canary },
      });
      try {
        const error = await failureOf(wrong.client.verifyCredentials());
        assert.equal(error.kind, 'auth');
        assert.match(
          error.message,
          /rejected the credentials.*Authentication error \(code 10000\)/,
        );
        assert.ok(!JSON.stringify({ ...error, message: error.message }).includes(canary));
        assert.ok(!JSON.stringify(wrong.exchanges).includes(canary));
      } finally {
        await wrong.close();
      }
    });

    it('reports a wrong global key as an auth error', async () => {
      const wrong = clientFor(sandbox, {
        credentials: { authMethod: 'globalApiKey', email: sandbox.email, apiKey: 'not-the-key' },
      });
      try {
        assert.equal((await failureOf(wrong.client.verifyCredentials())).kind, 'auth');
      } finally {
        await wrong.close();
      }
    });
  });

  describe('zones', () => {
    it('lists every zone, page after page', async () => {
      for (let index = 0; index < 120; index++) sandbox.addZone(`zone-${index}.example`);
      const zones = await api.client.listAllZones();
      assert.equal(zones.length, 121);
      assert.ok(zones.some((zone) => zone.id === sandbox.zoneId && zone.name === sandbox.zoneName));
      const pages = sandbox.requests.filter((request) => request.route === 'zones');
      assert.equal(pages.length, 3);
    });

    it('reports a token that cannot list zones as an auth error', async () => {
      sandbox.addToken('no-zone-read-token', { canListZones: false });
      const limited = clientFor(sandbox, {
        credentials: { authMethod: 'apiToken', apiToken: 'no-zone-read-token' },
      });
      try {
        const error = await failureOf(limited.client.listAllZones());
        assert.equal(error.kind, 'auth');
        assert.match(error.message, /9109/);
      } finally {
        await limited.close();
      }
    });
  });

  describe('batch delete', () => {
    it('sends the IPs as a JSON array with the extension named in User-Agent', async () => {
      sandbox.seed(sandbox.zoneId, sampleMappings(3));
      const [first, second, third] = sampleMappings(3).map((mapping) => mapping.originIp);
      const result = await api.client.batchDelete(sandbox.zoneId, [first, second, '192.0.2.250']);

      const request = sandbox.requests.at(-1);
      assert.equal(request?.method, 'DELETE');
      assert.equal(request?.path, `/client/v4/zones/${sandbox.zoneId}/origin/cloud_regions/batch`);
      assert.deepEqual(request?.body, [first, second, '192.0.2.250']);
      assert.equal(request?.headers['content-type'], 'application/json');
      assert.equal(request?.headers['user-agent'], USER_AGENT);

      assert.deepEqual(
        result.succeeded.map((mapping) => mapping.originIp),
        [first, second],
      );
      assert.ok(result.succeeded.every((mapping) => mapping.vendor && mapping.region));
      assert.deepEqual(result.failed, [{ originIp: '192.0.2.250', error: 'mapping not found' }]);
      assert.deepEqual(
        sandbox.mappings().map((mapping) => mapping.originIp),
        [third],
      );
    });

    it('understands the deprecated wrapped answer on the same path', async () => {
      sandbox.setLegacyShape(true);
      sandbox.seed(sandbox.zoneId, sampleMappings(2));
      const ips = sampleMappings(2).map((mapping) => mapping.originIp);
      const result = await api.client.batchDelete(sandbox.zoneId, ips);
      assert.deepEqual(
        result.succeeded.map((mapping) => mapping.originIp),
        ips,
      );
      assert.equal(sandbox.mappings().length, 0);
    });

    it('refuses a zone ID that is not 32 hex characters before sending anything', async () => {
      const error = await failureOf(api.client.batchDelete('../../user/tokens', ['192.0.2.1']));
      assert.equal(error.kind, 'config');
      assert.equal(sandbox.requests.length, 0);
    });

    it("passes on Cloudflare's message for an unknown zone", async () => {
      const error = await failureOf(
        api.client.batchDelete('0123456789abcdef0123456789abcdef', ['192.0.2.1']),
      );
      assert.equal(error.kind, 'request');
      assert.match(error.message, /Invalid zone identifier \(code 1001\)/);
    });

    it('reports more than 100 IPs in one request as a request error', async () => {
      const ips = sampleMappings(101).map((mapping) => mapping.originIp);
      const error = await failureOf(api.client.batchDelete(sandbox.zoneId, ips));
      assert.equal(error.kind, 'request');
      assert.equal(error.status, 400);
    });
  });

  describe('answers that are not what they should be', () => {
    const ips = ['192.0.2.1'];

    it('turns an HTML error page into a server error naming the page', async () => {
      sandbox.fault({ kind: 'html', status: 502 });
      const error = await failureOf(api.client.batchDelete(sandbox.zoneId, ips));
      assert.equal(error.kind, 'server');
      assert.match(error.message, /HTTP 502, an HTML page/);
    });

    it('turns a non-JSON 200 into an unreadable answer', async () => {
      sandbox.fault({ kind: 'nonJson' });
      const error = await failureOf(api.client.batchDelete(sandbox.zoneId, ips));
      assert.equal(error.kind, 'badResponse');
      assert.ok(error.mayHaveApplied);
    });

    it('reports a truncated body as a connection closed early, which may have been applied', async () => {
      sandbox.seed(sandbox.zoneId, sampleMappings(1));
      sandbox.fault({ kind: 'truncated' });
      const error = await failureOf(
        api.client.batchDelete(sandbox.zoneId, [sampleMappings(1)[0].originIp]),
      );
      assert.ok(['network', 'badResponse'].includes(error.kind), error.kind);
      assert.ok(error.mayHaveApplied);
      assert.equal(sandbox.mappings().length, 0);
    });

    it('reports a reset connection as a network error', async () => {
      sandbox.fault({ kind: 'reset', when: 'beforeApply' });
      const error = await failureOf(api.client.batchDelete(sandbox.zoneId, ips));
      assert.equal(error.kind, 'network');
      assert.match(error.message, /closed before the answer was complete|failed/);
    });

    it('times out a request that gets no answer', async () => {
      const impatient = clientFor(sandbox, { timeoutMs: 200 });
      try {
        sandbox.fault({ kind: 'hang', when: 'afterApply' });
        const error = await failureOf(impatient.client.batchDelete(sandbox.zoneId, ips));
        assert.equal(error.kind, 'timeout');
        assert.match(error.message, /No answer from 127\.0\.0\.1:\d+ within 0\.2 s/);
      } finally {
        await impatient.close();
      }
    });

    it('stops reading an answer larger than its cap and fails cleanly', async () => {
      const capped = clientFor(sandbox, { maxResponseBytes: 1024 * 1024 });
      try {
        sandbox.fault({ kind: 'huge', bytes: 8 * 1024 * 1024 });
        const error = await failureOf(capped.client.batchDelete(sandbox.zoneId, ips));
        assert.equal(error.kind, 'badResponse');
        assert.match(error.message, /larger than 1 MiB/);
      } finally {
        await capped.close();
      }
    });

    it('names every error of an envelope with success false', async () => {
      sandbox.fault({
        kind: 'envelopeErrors',
        errors: [
          { code: 1004, message: 'first' },
          { code: 1005, message: 'second' },
        ],
      });
      const error = await failureOf(api.client.batchDelete(sandbox.zoneId, ips));
      assert.equal(error.kind, 'request');
      assert.match(error.message, /first \(code 1004\); second \(code 1005\)/);
    });

    it('logs each exchange with method, path, status, duration and cf-ray', async () => {
      await api.client.batchDelete(sandbox.zoneId, ips);
      const exchange = api.exchanges.at(-1);
      assert.equal(exchange?.method, 'DELETE');
      assert.equal(exchange?.path, `/zones/${sandbox.zoneId}/origin/cloud_regions/batch`);
      assert.equal(exchange?.status, 200);
      assert.ok((exchange?.durationMs ?? -1) >= 0);
      assert.match(exchange?.cfRay ?? '', /^[0-9a-f]{16}-[A-Z]{3}$/);
    });
  });
});

describe('the client reading and writing mappings', () => {
  let sandbox: Sandbox;
  let api: TestClient;

  useSandboxClient((started, client) => ((sandbox = started), (api = client)));

  it("lists a zone's mappings page by page", async () => {
    sandbox.seed(sandbox.zoneId, sampleMappings(150));
    const first = await api.client.listMappings(sandbox.zoneId, 1);
    const second = await api.client.listMappings(sandbox.zoneId, 2);
    assert.equal(first.totalPages, 2);
    assert.equal(first.mappings.length + second.mappings.length, 150);
    assert.ok(first.mappings[0].vendor && first.mappings[0].region && first.mappings[0].modifiedOn);
  });

  it('lists a zone without any mapping as empty, although Cloudflare answers 404', async () => {
    const listed = await api.client.listMappings(sandbox.zoneId, 1);
    assert.deepEqual(listed, { mappings: [], totalPages: 1, totalCount: 0 });
  });

  it('still fails the list of a zone that does not exist', async () => {
    await assert.rejects(api.client.listMappings('0123456789abcdef0123456789abcdef', 1), {
      kind: 'request',
    });
  });

  it('takes no other 404 for an empty zone: not an HTML page, not another code', async () => {
    sandbox.seed(sandbox.zoneId, sampleMappings(3));
    sandbox.fault({ kind: 'html', status: 404, route: 'list' });
    await assert.rejects(api.client.listMappings(sandbox.zoneId, 1), { kind: 'badResponse' });
    sandbox.fault({
      kind: 'envelopeErrors',
      status: 404,
      errors: [{ code: 7003, message: 'Could not route to /zones/…' }],
      route: 'list',
    });
    await assert.rejects(api.client.listMappings(sandbox.zoneId, 1), { kind: 'request' });
    assert.equal((await api.client.listMappings(sandbox.zoneId, 1)).mappings.length, 3);
  });

  it('gets one mapping, and undefined for an IP without one', async () => {
    const [mapping] = sampleMappings(3).filter((m) => m.originIp.includes(':'));
    sandbox.seed(sandbox.zoneId, [mapping]);
    const found = await api.client.getMapping(sandbox.zoneId, mapping.originIp);
    assert.deepEqual(
      { originIp: found?.originIp, vendor: found?.vendor, region: found?.region },
      mapping,
    );
    assert.equal(await api.client.getMapping(sandbox.zoneId, '192.0.2.250'), undefined);
  });

  it('puts mappings back with a batch upsert, leaving others alone', async () => {
    const [kept, ...restored] = sampleMappings(3);
    sandbox.seed(sandbox.zoneId, [kept]);
    const result = await api.client.batchPut(sandbox.zoneId, restored);
    assert.deepEqual(
      result.succeeded.map((mapping) => mapping.originIp),
      restored.map((mapping) => mapping.originIp),
    );
    const request = sandbox.requests.at(-1);
    assert.equal(request?.method, 'PUT');
    assert.deepEqual(
      request?.body,
      restored.map(({ originIp, vendor, region }) => ({ origin_ip: originIp, vendor, region })),
    );
    assert.equal(sandbox.mappings().length, 3);
  });
});
