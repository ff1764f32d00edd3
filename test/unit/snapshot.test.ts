import * as assert from 'node:assert/strict';
import { readSnapshot } from '../../src/core/run/snapshot';
import { sampleMappings } from '../sandbox/samples';
import { startSandbox, type Sandbox } from '../sandbox/server';
import { clientFor, type TestClient } from '../support/clients';

describe('the snapshot read before deleting', () => {
  let sandbox: Sandbox;
  let api: TestClient;
  const zoneMappings = sampleMappings(450);

  before(async () => {
    sandbox = await startSandbox();
  });
  beforeEach(() => {
    sandbox.reset();
    sandbox.seed(sandbox.zoneId, zoneMappings);
    api = clientFor(sandbox);
  });
  afterEach(() => api.close());
  after(() => sandbox.close());

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
});
