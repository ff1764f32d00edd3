import * as assert from 'node:assert/strict';
import { readSnapshot, retryingReader } from '../../src/core/run/snapshot';
import { sampleMappings } from '../sandbox/samples';
import type { Sandbox } from '../sandbox/server';
import { FAST_RETRIES, type TestClient, useSandboxClient } from '../support/clients';

describe('the snapshot read before deleting', () => {
  let sandbox: Sandbox;
  let api: TestClient;
  const zoneMappings = sampleMappings(450);

  useSandboxClient((started, client) => ((sandbox = started), (api = client)));
  beforeEach(() => sandbox.seed(sandbox.zoneId, zoneMappings));

  const routes = () => sandbox.requests.map((request) => request.route);

  it('reads the other list pages when that is fewer requests than one GET per IP', async () => {
    const selected = [...zoneMappings.slice(100, 400).map((m) => m.originIp), '203.0.113.250'];
    const snapshot = await readSnapshot(api.client, sandbox.zoneId, selected);
    assert.equal(snapshot.mappings.size, 300);
    assert.deepEqual(routes(), ['list', 'list', 'list', 'list', 'list']);
    const mapping = snapshot.mappings.get(zoneMappings[150].originIp);
    assert.equal(mapping?.vendor, zoneMappings[150].vendor);
    assert.equal(mapping?.region, zoneMappings[150].region);
  });

  it('asks for each IP on its own when only a few are selected', async () => {
    const selected = [zoneMappings[300].originIp, zoneMappings[420].originIp, '203.0.113.250'];
    const snapshot = await readSnapshot(api.client, sandbox.zoneId, selected);
    assert.deepEqual([...snapshot.mappings.keys()].sort(), selected.slice(0, 2).sort());
    assert.deepEqual(routes(), ['list', 'get', 'get', 'get']);
    assert.equal(snapshot.requests, 4);
  });

  it('tries a read again after a 429 or a 5xx, as batches are, and says why', async () => {
    sandbox.fault({ kind: 'status', status: 429, retryAfter: 0, route: 'list' });
    sandbox.fault({ kind: 'status', status: 503, route: 'get' });
    const retries: string[] = [];
    const reader = retryingReader(api.client, {
      maxRetries: 4,
      timing: FAST_RETRIES,
      onRetry: ({ attempt, reason }) => retries.push(`${attempt}: ${reason}`),
    });
    const selected = [zoneMappings[300].originIp];
    const snapshot = await readSnapshot(reader, sandbox.zoneId, selected);
    assert.equal(snapshot.mappings.size, 1);
    assert.deepEqual(routes(), ['list', 'list', 'get', 'get']);
    assert.equal(retries.length, 2);
    assert.match(retries[0], /^1: rate limited \(HTTP 429\)/);
  });

  it('gives up after maxRetries with the last error, and never retries a refused request', async () => {
    sandbox.fault({ kind: 'status', status: 502, route: 'list', times: Infinity });
    const reader = retryingReader(api.client, { maxRetries: 2, timing: FAST_RETRIES });
    await assert.rejects(readSnapshot(reader, sandbox.zoneId, ['192.0.2.1']), { kind: 'server' });
    assert.equal(routes().length, 3);

    sandbox.reset();
    await assert.rejects(readSnapshot(reader, 'f'.repeat(32), ['192.0.2.1']), { kind: 'request' });
    assert.equal(routes().length, 1);
  });

  it('ends a wait between attempts when cancelled, failing with the last error', async () => {
    sandbox.fault({ kind: 'status', status: 429, retryAfter: 5, route: 'list' });
    const cancel = new AbortController();
    const reader = retryingReader(api.client, {
      maxRetries: 4,
      timing: FAST_RETRIES,
      signal: cancel.signal,
      onRetry: () => setTimeout(() => cancel.abort(), 50),
    });
    const started = Date.now();
    await assert.rejects(readSnapshot(reader, sandbox.zoneId, ['192.0.2.1']), {
      kind: 'rateLimited',
    });
    assert.ok(Date.now() - started < 2000, 'did not wait the 5 s out');
    assert.equal(routes().length, 1);
  });
});
