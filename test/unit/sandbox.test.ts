import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import path from 'node:path';

import { sampleMappings } from '../sandbox/samples';
import {
  CODE_AUTHENTICATION,
  CODE_COULD_NOT_ROUTE,
  CODE_DELETE_NOT_FOUND,
  CODE_INTERNAL_ERROR,
  CODE_INVALID_REQUEST,
  CODE_INVALID_ZONE,
  CODE_MAPPING_EXISTS,
  CODE_MAPPING_NOT_FOUND,
  CODE_NO_ROUTE,
  CODE_RATE_LIMITED,
  CODE_UNAUTHORIZED,
  CODE_ZONE_FULL,
  ITEM_ERROR_INVALID_IP,
  ITEM_ERROR_INVALID_REGION,
  ITEM_ERROR_INVALID_VENDOR,
  ITEM_ERROR_NOT_FOUND,
  MAX_MAPPINGS_PER_ZONE,
  MESSAGE_BODY_NOT_IP_ARRAY,
  MESSAGE_BODY_NOT_JSON,
  MESSAGE_IP_MISMATCH,
  MESSAGE_TOO_MANY_ITEMS,
  startSandbox,
  type MappingInput,
  type Sandbox,
  type SandboxOptions,
} from '../sandbox/server';

type Auth = 'token' | 'globalKey' | 'none' | Record<string, string>;

interface CallOptions {
  auth?: Auth;
  body?: unknown;
  /** Sent as is, not as JSON. */
  rawBody?: string;
  signal?: AbortSignal;
}

/** What a client sees of one answer. */
interface Answer {
  status: number;
  headers: Headers;
  // Envelopes are read loosely: each test asserts the fields it is about.
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  body: any;
}

const AWS: Omit<MappingInput, 'originIp'> = { vendor: 'aws', region: 'us-east-1' };

function mapping(originIp: string, vendor = AWS.vendor, region = AWS.region): MappingInput {
  return { originIp, vendor, region };
}

function authHeaders(sandbox: Sandbox, auth: Auth): Record<string, string> {
  switch (auth) {
    case 'token':
      return { authorization: `Bearer ${sandbox.token}` };
    case 'globalKey':
      return { 'x-auth-email': sandbox.email, 'x-auth-key': sandbox.apiKey };
    case 'none':
      return {};
    default:
      return auth;
  }
}

function send(sandbox: Sandbox, method: string, path: string, options: CallOptions = {}) {
  const headers = authHeaders(sandbox, options.auth ?? 'token');
  let body: string | undefined = options.rawBody;
  if (options.body !== undefined) {
    body = JSON.stringify(options.body);
    headers['content-type'] = 'application/json';
  }
  return fetch(`${sandbox.url}${path}`, { method, headers, body, signal: options.signal });
}

async function call(sandbox: Sandbox, method: string, path: string, options?: CallOptions) {
  const response = await send(sandbox, method, path, options);
  const answer: Answer = {
    status: response.status,
    headers: response.headers,
    body: await response.json(),
  };
  return answer;
}

function regionsPath(zoneId: string, rest = ''): string {
  return `/zones/${zoneId}/origin/cloud_regions${rest}`;
}

function legacyPath(zoneId: string, rest = ''): string {
  return `/zones/${zoneId}/cache/origin_cloud_regions${rest}`;
}

function assertFailure(answer: Answer, status: number, code: number, message?: string): void {
  assert.equal(answer.status, status);
  assert.equal(answer.body.success, false);
  assert.equal(answer.body.result, null);
  assert.equal(answer.body.errors[0].code, code);
  if (message !== undefined) {
    assert.equal(answer.body.errors[0].message, message);
  }
}

/** The error a failed fetch carries, as undici reports a socket that died. */
function socketFailure(error: unknown): boolean {
  assert.ok(error instanceof TypeError, `expected a TypeError, got ${String(error)}`);
  const cause = error.cause as { code?: string } | undefined;
  assert.ok(
    cause && ['ECONNRESET', 'UND_ERR_SOCKET'].includes(cause.code ?? ''),
    `unexpected cause ${String(cause?.code)}`,
  );
  return true;
}

/** A sandbox of its own, for tests that change options or count connections. */
async function withSandbox(
  options: SandboxOptions,
  test: (sandbox: Sandbox) => Promise<void>,
): Promise<void> {
  const sandbox = await startSandbox(options);
  try {
    await test(sandbox);
  } finally {
    await sandbox.close();
  }
}

describe('Cloudflare API sandbox', () => {
  let sandbox: Sandbox;
  let zoneId: string;

  before(async () => {
    sandbox = await startSandbox();
    zoneId = sandbox.zoneId;
  });

  after(async () => {
    await sandbox.close();
  });

  beforeEach(() => {
    sandbox.reset();
  });

  describe('start', () => {
    it('listens on loopback under /client/v4 with a default zone and credentials', () => {
      assert.match(sandbox.url, /^http:\/\/127\.0\.0\.1:\d+\/client\/v4$/);
      assert.ok(sandbox.port > 0);
      assert.equal(sandbox.url, `http://127.0.0.1:${sandbox.port}/client/v4`);
      assert.match(sandbox.zoneId, /^[0-9a-f]{32}$/);
      assert.equal(sandbox.zoneName, 'example.com');
      assert.equal(sandbox.token.length, 40);
      assert.match(sandbox.email, /@/);
      assert.match(sandbox.apiKey, /^[0-9a-f]{37}$/);
    });

    it('stamps every answer with a cf-ray and a JSON content type', async () => {
      const answers = [
        await send(sandbox, 'GET', '/user/tokens/verify'),
        await send(sandbox, 'GET', '/user/tokens/verify', { auth: 'none' }),
        await send(sandbox, 'GET', '/nowhere'),
      ];

      for (const response of answers) {
        assert.match(response.headers.get('cf-ray') ?? '', /^[0-9a-f]{16}-SJC$/);
        assert.equal(response.headers.get('content-type'), 'application/json');
        await response.arrayBuffer();
      }
    });
  });

  describe('authentication', () => {
    it('verifies an API token sent as Bearer', async () => {
      const answer = await call(sandbox, 'GET', '/user/tokens/verify');

      assert.equal(answer.status, 200);
      assert.equal(answer.body.success, true);
      assert.deepEqual(answer.body.errors, []);
      assert.deepEqual(answer.body.messages, []);
      assert.equal(answer.body.result.status, 'active');
      assert.match(answer.body.result.id, /^[0-9a-f]{32}$/);
    });

    it('refuses to verify global key credentials as a token', async () => {
      const answer = await call(sandbox, 'GET', '/user/tokens/verify', { auth: 'globalKey' });

      assertFailure(answer, 403, CODE_AUTHENTICATION, 'Authentication error');
    });

    it('describes the user behind global key credentials', async () => {
      const answer = await call(sandbox, 'GET', '/user', { auth: 'globalKey' });

      assert.equal(answer.status, 200);
      assert.equal(answer.body.result.email, sandbox.email);
      assert.match(answer.body.result.id, /^[0-9a-f]{32}$/);
    });

    it('accepts the global key email in any letter case', async () => {
      const auth = { 'x-auth-email': sandbox.email.toUpperCase(), 'x-auth-key': sandbox.apiKey };
      const answer = await call(sandbox, 'GET', '/user', { auth });

      assert.equal(answer.status, 200);
    });

    it('does not let a zone-scoped token read the user', async () => {
      const answer = await call(sandbox, 'GET', '/user');

      assertFailure(answer, 403, CODE_UNAUTHORIZED, 'Unauthorized to access requested resource');
    });

    it('rejects missing, wrong and malformed credentials with code 10000', async () => {
      const rejected: Auth[] = [
        'none',
        { authorization: 'Bearer not-a-sandbox-token' },
        { authorization: `Basic ${sandbox.token}` },
        { 'x-auth-email': sandbox.email, 'x-auth-key': 'wrong' },
        { 'x-auth-email': 'someone@example.com', 'x-auth-key': sandbox.apiKey },
        { 'x-auth-key': sandbox.apiKey },
      ];

      for (const auth of rejected) {
        const answer = await call(sandbox, 'GET', regionsPath(zoneId), { auth });
        assertFailure(answer, 403, CODE_AUTHENTICATION, 'Authentication error');
      }
    });

    it('answers both credential kinds on the mapping endpoints', async () => {
      sandbox.seed(zoneId, [mapping('192.0.2.1')]);

      for (const auth of ['token', 'globalKey'] as const) {
        const answer = await call(sandbox, 'GET', regionsPath(zoneId), { auth });
        assert.equal(answer.status, 200);
        assert.equal(answer.body.result.length, 1);
      }
    });

    it('answers 401 instead of 403 when the sandbox is told to', async () => {
      await withSandbox({ authFailureStatus: 401 }, async (own) => {
        const answer = await call(own, 'GET', regionsPath(own.zoneId), { auth: 'none' });

        assertFailure(answer, 401, CODE_AUTHENTICATION);
      });
    });

    it('accepts added tokens, and refuses zone listing to a token without Zone Read', async () => {
      sandbox.addToken('scoped-token', { canListZones: false });
      sandbox.seed(zoneId, [mapping('192.0.2.1')]);
      const auth = { authorization: 'Bearer scoped-token' };

      const zones = await call(sandbox, 'GET', '/zones', { auth });
      const zone = await call(sandbox, 'GET', `/zones/${zoneId}`, { auth });
      const verify = await call(sandbox, 'GET', '/user/tokens/verify', { auth });
      const list = await call(sandbox, 'GET', regionsPath(zoneId), { auth });

      assertFailure(zones, 403, CODE_UNAUTHORIZED);
      assertFailure(zone, 403, CODE_UNAUTHORIZED);
      assert.equal(verify.status, 200);
      assert.equal(list.status, 200);
      assert.equal(list.body.result[0].origin_ip, '192.0.2.1');
    });
  });

  describe('zones', () => {
    let many: Sandbox;

    before(async () => {
      many = await startSandbox();
      for (let index = 1; index <= 120; index += 1) {
        many.addZone(`zone-${String(index).padStart(3, '0')}.example`);
      }
    });

    after(async () => {
      await many.close();
    });

    it('lists 20 zones a page by default, with paging in result_info', async () => {
      const answer = await call(many, 'GET', '/zones');

      assert.equal(answer.status, 200);
      assert.equal(answer.body.result.length, 20);
      assert.deepEqual(answer.body.result_info, {
        page: 1,
        per_page: 20,
        count: 20,
        total_count: 121,
        total_pages: 7,
      });
      assert.deepEqual(answer.body.result[0], {
        id: many.zoneId,
        name: 'example.com',
        status: 'active',
      });
    });

    it('pages through 121 zones 50 at a time', async () => {
      const names: string[] = [];
      for (let page = 1; page <= 3; page += 1) {
        const answer = await call(many, 'GET', `/zones?per_page=50&page=${page}`);
        assert.equal(answer.body.result_info.total_pages, 3);
        assert.equal(answer.body.result_info.count, page < 3 ? 50 : 21);
        names.push(...answer.body.result.map((zone: { name: string }) => zone.name));
      }

      assert.equal(new Set(names).size, 121);
      assert.equal(names.at(-1), 'zone-120.example');
    });

    it('answers an empty page past the last one', async () => {
      const answer = await call(many, 'GET', '/zones?per_page=50&page=4');

      assert.equal(answer.status, 200);
      assert.deepEqual(answer.body.result, []);
      assert.equal(answer.body.result_info.count, 0);
      assert.equal(answer.body.result_info.total_count, 121);
    });

    it('filters by exact zone name', async () => {
      const answer = await call(many, 'GET', '/zones?name=zone-042.example');

      assert.equal(answer.body.result.length, 1);
      assert.equal(answer.body.result[0].name, 'zone-042.example');
      assert.match(answer.body.result[0].id, /^[0-9a-f]{32}$/);
      assert.equal(answer.body.result_info.total_count, 1);
    });

    it('rejects per_page above 50 and pages below 1', async () => {
      for (const query of ['per_page=51', 'per_page=4', 'page=0', 'page=x']) {
        const answer = await call(many, 'GET', `/zones?${query}`);
        assertFailure(answer, 400, CODE_INVALID_REQUEST);
      }
    });

    it('describes one zone by ID', async () => {
      const zone = many.addZone('one-more.example');
      const answer = await call(many, 'GET', `/zones/${zone.id}`);

      assert.equal(answer.status, 200);
      assert.deepEqual(answer.body.result, zone);
    });

    it('refuses a second zone of the same name', () => {
      assert.throws(() => many.addZone('example.com'), /already has a zone/);
    });
  });

  describe('routing', () => {
    it('rejects a zone ID that is not 32 lower-case hex with codes 7003 and 7000', async () => {
      for (const badZoneId of ['example.com', zoneId.toUpperCase(), `${zoneId}0`]) {
        const path = regionsPath(badZoneId, '/batch');
        const answer = await call(sandbox, 'DELETE', path, { body: ['192.0.2.1'] });

        assertFailure(answer, 400, CODE_COULD_NOT_ROUTE);
        assert.equal(
          answer.body.errors[0].message,
          `Could not route to /client/v4${path}, perhaps your object identifier is invalid?`,
        );
        assert.equal(answer.body.errors[1].code, CODE_NO_ROUTE);
      }
    });

    it('rejects a well-formed zone ID that names no zone with code 1001', async () => {
      const answer = await call(sandbox, 'GET', regionsPath('0'.repeat(32)));

      assertFailure(answer, 400, CODE_INVALID_ZONE, 'Invalid zone identifier');
    });

    it('answers 7000 for a path or method no endpoint serves', async () => {
      const paths: [string, string][] = [
        ['GET', '/nowhere'],
        ['GET', '/client/v5/zones'],
        ['POST', regionsPath(zoneId, '/batch')],
        ['PATCH', regionsPath(zoneId)],
      ];

      for (const [method, path] of paths) {
        const answer = await call(sandbox, method, path);
        assertFailure(answer, 400, CODE_NO_ROUTE, 'No route for that URI');
      }
    });
  });

  describe('mappings, current family', () => {
    it('answers the list of an empty zone with 404 and code 1142, as Cloudflare documents', async () => {
      const answer = await call(sandbox, 'GET', regionsPath(zoneId));

      assert.equal(answer.status, 404);
      assert.equal(answer.body.success, false);
      assert.deepEqual(
        answer.body.errors.map((error: { code: number }) => error.code),
        [1142],
      );
    });

    it('pages mappings in the order they were written', async () => {
      const seeded = sampleMappings(45);
      sandbox.seed(zoneId, seeded);

      const third = await call(sandbox, 'GET', regionsPath(zoneId, '?page=3'));
      const big = await call(sandbox, 'GET', regionsPath(zoneId, '?per_page=100'));
      const past = await call(sandbox, 'GET', regionsPath(zoneId, '?page=4&per_page=15'));

      assert.deepEqual(third.body.result_info, {
        page: 3,
        per_page: 20,
        count: 5,
        total_count: 45,
        total_pages: 3,
      });
      assert.equal(third.body.result[0].origin_ip, seeded[40].originIp);
      assert.equal(big.body.result.length, 45);
      assert.deepEqual(Object.keys(big.body.result[0]).sort(), [
        'modified_on',
        'origin_ip',
        'region',
        'vendor',
      ]);
      assert.deepEqual(past.body.result, []);
      assert.equal(past.body.result_info.total_pages, 3);
    });

    it('rejects page below 1 and per_page outside 1..100', async () => {
      for (const query of ['page=0', 'page=-1', 'per_page=0', 'per_page=101', 'per_page=2.5']) {
        const answer = await call(sandbox, 'GET', regionsPath(zoneId, `?${query}`));
        assertFailure(answer, 400, CODE_INVALID_REQUEST);
      }

      sandbox.seed(zoneId, [mapping('192.0.2.1', 'aws', 'us-east-1')]);
      const edge = await call(sandbox, 'GET', regionsPath(zoneId, '?per_page=1'));
      assert.equal(edge.status, 200);
    });

    it('gets one mapping, finding it by any spelling of its IP', async () => {
      sandbox.seed(zoneId, [mapping('2001:db8::1', 'gcp', 'europe-west1')]);
      const path = regionsPath(zoneId, `/${encodeURIComponent('2001:0DB8:0:0::0001')}`);

      const answer = await call(sandbox, 'GET', path);

      assert.equal(answer.status, 200);
      assert.equal(answer.body.result.origin_ip, '2001:db8::1');
      assert.equal(answer.body.result.vendor, 'gcp');
      assert.equal(answer.body.result.region, 'europe-west1');
      assert.equal(answer.body.result.modified_on, sandbox.mappings()[0].modifiedOn);
    });

    it('answers 404 with code 1142 for a mapping that does not exist', async () => {
      const answer = await call(sandbox, 'GET', regionsPath(zoneId, '/192.0.2.9'));

      assertFailure(answer, 404, CODE_MAPPING_NOT_FOUND);
    });

    it('answers 400 for a path IP that is not an IP', async () => {
      for (const method of ['GET', 'PUT', 'DELETE']) {
        const body = method === 'PUT' ? { origin_ip: '192.0.2.300', ...AWS } : undefined;
        const answer = await call(sandbox, method, regionsPath(zoneId, '/192.0.2.300'), { body });
        assertFailure(answer, 400, CODE_INVALID_REQUEST);
      }
    });

    it('creates and replaces one mapping with PUT', async () => {
      const path = regionsPath(zoneId, '/192.0.2.1');

      const created = await call(sandbox, 'PUT', path, {
        body: { origin_ip: '192.0.2.1', ...AWS },
      });
      const replaced = await call(sandbox, 'PUT', path, {
        body: { origin_ip: '192.0.2.1', vendor: 'oci', region: 'eu-frankfurt-1' },
      });

      assert.equal(created.status, 200);
      assert.equal(created.body.result.origin_ip, '192.0.2.1');
      assert.equal(replaced.body.result.vendor, 'oci');
      assert.deepEqual(
        sandbox.mappings().map(({ originIp, vendor, region }) => ({ originIp, vendor, region })),
        [mapping('192.0.2.1', 'oci', 'eu-frankfurt-1')],
      );
    });

    it('rejects a PUT whose body names another IP, vendor or region than it may', async () => {
      const path = regionsPath(zoneId, '/192.0.2.1');
      const cases: [unknown, string][] = [
        [{ origin_ip: '192.0.2.2', ...AWS }, MESSAGE_IP_MISMATCH],
        [{ ...AWS }, MESSAGE_IP_MISMATCH],
        [{ origin_ip: '192.0.2.1', vendor: 'ibm', region: 'us-south' }, ITEM_ERROR_INVALID_VENDOR],
        [{ origin_ip: '192.0.2.1', vendor: 'aws', region: '' }, ITEM_ERROR_INVALID_REGION],
        [{ origin_ip: '192.0.2.1', vendor: 'aws', region: 'mars-1' }, ITEM_ERROR_INVALID_REGION],
      ];

      for (const [body, message] of cases) {
        const answer = await call(sandbox, 'PUT', path, { body });
        assertFailure(answer, 400, CODE_INVALID_REQUEST, message);
      }
      assert.deepEqual(sandbox.mappings(), []);
    });

    it('deletes one mapping, answering only its IP', async () => {
      sandbox.seed(zoneId, [mapping('192.0.2.1'), mapping('192.0.2.2')]);

      const answer = await call(sandbox, 'DELETE', regionsPath(zoneId, '/192.0.2.1'));

      assert.equal(answer.status, 200);
      assert.deepEqual(answer.body.result, { origin_ip: '192.0.2.1' });
      assert.deepEqual(
        sandbox.mappings().map((m) => m.originIp),
        ['192.0.2.2'],
      );
    });

    it('answers 404 with code 1163 when deleting a mapping that does not exist', async () => {
      const answer = await call(sandbox, 'DELETE', regionsPath(zoneId, '/192.0.2.1'));

      assertFailure(answer, 404, CODE_DELETE_NOT_FOUND);
    });

    it('merges a batch PUT, listing invalid items as failed', async () => {
      sandbox.seed(zoneId, [mapping('192.0.2.1'), mapping('192.0.2.2')]);

      const answer = await call(sandbox, 'PUT', regionsPath(zoneId, '/batch'), {
        body: [
          { origin_ip: '192.0.2.2', vendor: 'azure', region: 'westeurope' },
          { origin_ip: '2001:DB8::A', vendor: 'gcp', region: 'us-east1' },
          { origin_ip: 'not-an-ip', ...AWS },
          { origin_ip: '192.0.2.3', vendor: 'ibm', region: 'us-south' },
        ],
      });

      assert.equal(answer.status, 200);
      assert.deepEqual(answer.body.result.succeeded, [
        { origin_ip: '192.0.2.2', vendor: 'azure', region: 'westeurope' },
        { origin_ip: '2001:db8::a', vendor: 'gcp', region: 'us-east1' },
      ]);
      assert.deepEqual(answer.body.result.failed, [
        { origin_ip: 'not-an-ip', error: ITEM_ERROR_INVALID_IP },
        { origin_ip: '192.0.2.3', error: ITEM_ERROR_INVALID_VENDOR },
      ]);
      assert.deepEqual(
        sandbox.mappings().map((m) => `${m.originIp} ${m.vendor}`),
        ['192.0.2.1 aws', '192.0.2.2 azure', '2001:db8::a gcp'],
      );
    });

    it('rejects a batch PUT of over 100 items, or of anything but mapping objects', async () => {
      const tooMany = sampleMappings(101).map((m) => ({ origin_ip: m.originIp, ...AWS }));

      const big = await call(sandbox, 'PUT', regionsPath(zoneId, '/batch'), { body: tooMany });
      const strings = await call(sandbox, 'PUT', regionsPath(zoneId, '/batch'), {
        body: ['192.0.2.1'],
      });

      assertFailure(big, 400, CODE_INVALID_REQUEST, MESSAGE_TOO_MANY_ITEMS);
      assertFailure(strings, 400, CODE_INVALID_REQUEST);
      assert.deepEqual(sandbox.mappings(), []);
    });

    it('lists the supported vendors and their regions', async () => {
      const answer = await call(sandbox, 'GET', regionsPath(zoneId, '/supported_regions'));

      assert.equal(answer.status, 200);
      assert.equal(answer.body.result.obtained_codes, true);
      assert.deepEqual(Object.keys(answer.body.result.vendors).sort(), [
        'aws',
        'azure',
        'gcp',
        'oci',
      ]);
      const aws = answer.body.result.vendors.aws as { name: string; upper_tier_colos: string[] }[];
      assert.deepEqual(
        aws.find((region) => region.name === 'us-east-1'),
        { name: 'us-east-1', upper_tier_colos: ['IAD'] },
      );
    });
  });

  describe('batch delete', () => {
    const batchPath = () => regionsPath(zoneId, '/batch');

    it('judges each IP alone: deleted, not found, or invalid', async () => {
      sandbox.seed(zoneId, [mapping('192.0.2.1'), mapping('2001:db8::1', 'oci', 'ap-tokyo-1')]);

      const answer = await call(sandbox, 'DELETE', batchPath(), {
        body: ['192.0.2.1', '198.51.100.7', '2001:db8::1', '192.0.2.256', '192.0.2.0/24'],
      });

      assert.equal(answer.status, 200);
      assert.equal(answer.body.success, true);
      assert.deepEqual(answer.body.result, {
        succeeded: [
          { origin_ip: '192.0.2.1', vendor: 'aws', region: 'us-east-1' },
          { origin_ip: '2001:db8::1', vendor: 'oci', region: 'ap-tokyo-1' },
        ],
        failed: [
          { origin_ip: '198.51.100.7', error: ITEM_ERROR_NOT_FOUND },
          { origin_ip: '192.0.2.256', error: ITEM_ERROR_INVALID_IP },
          { origin_ip: '192.0.2.0/24', error: ITEM_ERROR_INVALID_IP },
        ],
      });
      assert.deepEqual(sandbox.mappings(), []);
    });

    it('stores IPs canonically, so 2001:0DB8::0001 is deleted as 2001:db8::1', async () => {
      sandbox.seed(zoneId, [mapping('2001:0DB8::0001'), mapping('198.51.100.20')]);
      assert.deepEqual(
        sandbox.mappings().map((m) => m.originIp),
        ['2001:db8::1', '198.51.100.20'],
      );

      const answer = await call(sandbox, 'DELETE', batchPath(), { body: ['2001:db8::1'] });

      assert.deepEqual(answer.body.result.succeeded, [
        { origin_ip: '2001:db8::1', vendor: 'aws', region: 'us-east-1' },
      ]);
      assert.deepEqual(
        sandbox.mappings().map((m) => m.originIp),
        ['198.51.100.20'],
      );
    });

    it('answers a non-canonical spelling of a stored IP with the canonical one', async () => {
      sandbox.seed(zoneId, [mapping('2001:db8::1')]);

      const answer = await call(sandbox, 'DELETE', batchPath(), { body: ['2001:DB8:0:0:0:0:0:1'] });

      assert.equal(answer.body.result.succeeded[0].origin_ip, '2001:db8::1');
    });

    it('treats IPv4 with leading zeros as invalid rather than guessing octal', async () => {
      sandbox.seed(zoneId, [mapping('192.0.2.10')]);

      const answer = await call(sandbox, 'DELETE', batchPath(), { body: ['192.0.2.010'] });

      assert.deepEqual(answer.body.result.failed, [
        { origin_ip: '192.0.2.010', error: ITEM_ERROR_INVALID_IP },
      ]);
      assert.equal(sandbox.mappings().length, 1);
    });

    it('reports the second copy of a repeated IP as not found', async () => {
      sandbox.seed(zoneId, [mapping('192.0.2.1')]);

      const answer = await call(sandbox, 'DELETE', batchPath(), {
        body: ['192.0.2.1', '192.0.2.1'],
      });

      assert.equal(answer.body.result.succeeded.length, 1);
      assert.deepEqual(answer.body.result.failed, [
        { origin_ip: '192.0.2.1', error: ITEM_ERROR_NOT_FOUND },
      ]);
    });

    it('deletes 100 IPs in one request', async () => {
      const seeded = sampleMappings(100);
      sandbox.seed(zoneId, seeded);

      const answer = await call(sandbox, 'DELETE', batchPath(), {
        body: seeded.map((m) => m.originIp),
      });

      assert.equal(answer.body.result.succeeded.length, 100);
      assert.deepEqual(answer.body.result.failed, []);
      assert.deepEqual(sandbox.mappings(), []);
    });

    it('rejects 101 IPs with HTTP 400 and deletes none of them', async () => {
      const seeded = sampleMappings(101);
      sandbox.seed(zoneId, seeded);

      const answer = await call(sandbox, 'DELETE', batchPath(), {
        body: seeded.map((m) => m.originIp),
      });

      assertFailure(answer, 400, CODE_INVALID_REQUEST, MESSAGE_TOO_MANY_ITEMS);
      assert.equal(sandbox.mappings().length, 101);
    });

    it('rejects a body that is not a JSON array of strings', async () => {
      const bodies: unknown[] = [{ ips: ['192.0.2.1'] }, [1, 2], ['192.0.2.1', null], '192.0.2.1'];

      for (const body of bodies) {
        const answer = await call(sandbox, 'DELETE', batchPath(), { body });
        assertFailure(answer, 400, CODE_INVALID_REQUEST, MESSAGE_BODY_NOT_IP_ARRAY);
      }

      const empty = await call(sandbox, 'DELETE', batchPath());
      const text = await call(sandbox, 'DELETE', batchPath(), { rawBody: '192.0.2.1, 192.0.2.2' });
      assertFailure(empty, 400, CODE_INVALID_REQUEST, MESSAGE_BODY_NOT_IP_ARRAY);
      assertFailure(text, 400, CODE_INVALID_REQUEST, MESSAGE_BODY_NOT_JSON);
    });

    it('answers an empty array with empty outcomes', async () => {
      const answer = await call(sandbox, 'DELETE', batchPath(), { body: [] });

      assert.equal(answer.status, 200);
      assert.deepEqual(answer.body.result, { succeeded: [], failed: [] });
    });
  });

  describe('the 3,500 mapping cap', () => {
    beforeEach(() => {
      sandbox.seed(zoneId, sampleMappings(MAX_MAPPINGS_PER_ZONE));
    });

    it('refuses a new mapping in a full zone with 403 and code 1164', async () => {
      const answer = await call(sandbox, 'PUT', regionsPath(zoneId, '/2001:db8:ffff::1'), {
        body: { origin_ip: '2001:db8:ffff::1', ...AWS },
      });

      assertFailure(answer, 403, CODE_ZONE_FULL);
      assert.equal(sandbox.mappings().length, MAX_MAPPINGS_PER_ZONE);
    });

    it('still replaces an existing mapping in a full zone', async () => {
      const [first] = sampleMappings(1);
      const answer = await call(sandbox, 'PUT', regionsPath(zoneId, `/${first.originIp}`), {
        body: { origin_ip: first.originIp, vendor: 'gcp', region: 'us-west1' },
      });

      assert.equal(answer.status, 200);
      assert.equal(sandbox.mappings()[0].vendor, 'gcp');
    });

    it('refuses a whole batch PUT that would pass the cap, writing nothing', async () => {
      const [first] = sampleMappings(1);
      const answer = await call(sandbox, 'PUT', regionsPath(zoneId, '/batch'), {
        body: [
          { origin_ip: first.originIp, vendor: 'gcp', region: 'us-west1' },
          { origin_ip: '2001:db8:ffff::1', ...AWS },
        ],
      });

      assertFailure(answer, 403, CODE_ZONE_FULL);
      assert.equal(sandbox.mappings()[0].vendor, first.vendor);
    });

    it('makes room again after a batch delete', async () => {
      await call(sandbox, 'DELETE', regionsPath(zoneId, '/batch'), {
        body: [sampleMappings(1)[0].originIp],
      });
      const answer = await call(sandbox, 'PUT', regionsPath(zoneId, '/2001:db8:ffff::1'), {
        body: { origin_ip: '2001:db8:ffff::1', ...AWS },
      });

      assert.equal(answer.status, 200);
      assert.equal(sandbox.mappings().length, MAX_MAPPINGS_PER_ZONE);
    });

    it('refuses to seed past the cap', () => {
      assert.throws(() => sandbox.seed(zoneId, [mapping('2001:db8:ffff::2')]), /past 3500/);
    });
  });

  describe('deprecated family', () => {
    it('wraps batch delete results and spells the key origin-ip', async () => {
      sandbox.seed(zoneId, [mapping('192.0.2.1')]);

      const answer = await call(sandbox, 'DELETE', legacyPath(zoneId, '/batch'), {
        body: ['192.0.2.1', '192.0.2.2', 'bogus'],
      });

      assert.equal(answer.status, 200);
      assert.equal(answer.body.result.id, 'origin_public_cloud_region');
      assert.equal(answer.body.result.editable, true);
      assert.ok(!Number.isNaN(Date.parse(answer.body.result.modified_on)));
      assert.deepEqual(answer.body.result.value, {
        succeeded: [{ 'origin-ip': '192.0.2.1', vendor: 'aws', region: 'us-east-1' }],
        failed: [
          { 'origin-ip': '192.0.2.2', error: ITEM_ERROR_NOT_FOUND },
          { 'origin-ip': 'bogus', error: ITEM_ERROR_INVALID_IP },
        ],
      });
    });

    it('lists every mapping wrapped, without paging', async () => {
      sandbox.seed(zoneId, sampleMappings(30));

      const answer = await call(sandbox, 'GET', legacyPath(zoneId));

      assert.equal(answer.body.result.value.length, 30);
      assert.equal(answer.body.result.value[0]['origin-ip'], '192.0.2.1');
      assert.equal(answer.body.result_info, undefined);
    });

    it('upserts a batch by PATCH with items keyed ip', async () => {
      const answer = await call(sandbox, 'PATCH', legacyPath(zoneId, '/batch'), {
        body: [
          { ip: '192.0.2.5', vendor: 'azure', region: 'uksouth' },
          { origin_ip: '192.0.2.6', ...AWS },
        ],
      });

      assert.deepEqual(answer.body.result.value.succeeded, [
        { 'origin-ip': '192.0.2.5', vendor: 'azure', region: 'uksouth' },
      ]);
      assert.deepEqual(answer.body.result.value.failed, [
        { 'origin-ip': '', error: ITEM_ERROR_INVALID_IP },
      ]);
    });

    it('creates with POST only once, then gets and deletes the entry', async () => {
      const body = { ip: '192.0.2.7', vendor: 'gcp', region: 'asia-east1' };

      const created = await call(sandbox, 'POST', legacyPath(zoneId), { body });
      const again = await call(sandbox, 'POST', legacyPath(zoneId), { body });
      const patched = await call(sandbox, 'PATCH', legacyPath(zoneId), {
        body: { ...body, region: 'asia-south1' },
      });
      const got = await call(sandbox, 'GET', legacyPath(zoneId, '/192.0.2.7'));
      const deleted = await call(sandbox, 'DELETE', legacyPath(zoneId, '/192.0.2.7'));
      const gone = await call(sandbox, 'DELETE', legacyPath(zoneId, '/192.0.2.7'));

      assert.equal(created.body.result.value['origin-ip'], '192.0.2.7');
      assertFailure(again, 400, CODE_MAPPING_EXISTS);
      assert.equal(patched.body.result.value.region, 'asia-south1');
      assert.equal(got.body.result.value.region, 'asia-south1');
      assert.equal(deleted.body.result.value['origin-ip'], '192.0.2.7');
      assert.equal(deleted.body.result.value.vendor, 'gcp');
      assertFailure(gone, 404, CODE_DELETE_NOT_FOUND);
    });

    it('serves supported regions unwrapped', async () => {
      const answer = await call(sandbox, 'GET', legacyPath(zoneId, '/supported_regions'));

      assert.ok(Array.isArray(answer.body.result.vendors.oci));
    });

    it('answers the current path in the wrapped shape while legacyShape is on', async () => {
      sandbox.seed(zoneId, [mapping('192.0.2.1'), mapping('192.0.2.2')]);
      sandbox.setLegacyShape(true);

      const list = await call(sandbox, 'GET', regionsPath(zoneId, '?per_page=1'));
      const batch = await call(sandbox, 'DELETE', regionsPath(zoneId, '/batch'), {
        body: ['192.0.2.1'],
      });
      sandbox.setLegacyShape(false);
      const plain = await call(sandbox, 'DELETE', regionsPath(zoneId, '/batch'), {
        body: ['192.0.2.2'],
      });

      assert.equal(list.body.result.id, 'origin_public_cloud_region');
      assert.equal(list.body.result.value[0]['origin-ip'], '192.0.2.1');
      assert.equal(list.body.result_info.total_count, 2);
      assert.deepEqual(batch.body.result.value.succeeded, [
        { 'origin-ip': '192.0.2.1', vendor: 'aws', region: 'us-east-1' },
      ]);
      assert.deepEqual(plain.body.result.succeeded, [
        { origin_ip: '192.0.2.2', vendor: 'aws', region: 'us-east-1' },
      ]);
    });

    it('starts in the wrapped shape when created with legacyShape', async () => {
      await withSandbox({ legacyShape: true }, async (own) => {
        const answer = await call(own, 'DELETE', regionsPath(own.zoneId, '/batch'), {
          body: ['192.0.2.1'],
        });

        assert.deepEqual(answer.body.result.value.failed, [
          { 'origin-ip': '192.0.2.1', error: ITEM_ERROR_NOT_FOUND },
        ]);
      });
    });
  });

  describe('rate limit', () => {
    it('answers 429 with retry-after and code 10100 once the window budget is spent', async () => {
      await withSandbox({ rateLimit: { limit: 3, windowMs: 60_000 } }, async (own) => {
        const statuses: number[] = [];
        for (let index = 0; index < 3; index += 1) {
          statuses.push((await call(own, 'GET', '/user/tokens/verify')).status);
        }
        const limited = await call(own, 'GET', '/user/tokens/verify');

        assert.deepEqual(statuses, [200, 200, 200]);
        assertFailure(limited, 429, CODE_RATE_LIMITED);
        const retryAfter = Number(limited.headers.get('retry-after'));
        assert.ok(retryAfter >= 1 && retryAfter <= 60, `retry-after ${retryAfter}`);
      });
    });

    it('lets requests through again when the window ends', async () => {
      await withSandbox({ rateLimit: { limit: 1, windowMs: 200 } }, async (own) => {
        const first = await call(own, 'GET', '/user/tokens/verify');
        const second = await call(own, 'GET', '/user/tokens/verify');
        await new Promise((resolve) => setTimeout(resolve, 250));
        const third = await call(own, 'GET', '/user/tokens/verify');

        assert.equal(first.status, 200);
        assert.equal(second.status, 429);
        assert.equal(second.headers.get('retry-after'), '1');
        assert.equal(third.status, 200);
      });
    });

    it('can be switched on and off while running', async () => {
      sandbox.setRateLimit({ limit: 0, windowMs: 60_000 });
      const limited = await call(sandbox, 'GET', '/user/tokens/verify');
      sandbox.setRateLimit(undefined);
      const free = await call(sandbox, 'GET', '/user/tokens/verify');

      assert.equal(limited.status, 429);
      assert.equal(free.status, 200);
    });
  });

  describe('faults', () => {
    const batchPath = () => regionsPath(zoneId, '/batch');
    const deleteOne = (options: Omit<CallOptions, 'body'> = {}) =>
      send(sandbox, 'DELETE', batchPath(), { ...options, body: ['192.0.2.1'] });

    beforeEach(() => {
      sandbox.seed(zoneId, [mapping('192.0.2.1'), mapping('192.0.2.2')]);
    });

    const stillThere = () => sandbox.mappings().some((m) => m.originIp === '192.0.2.1');

    it('answers 429 with retry-after and code 10100 instead of deleting', async () => {
      sandbox.fault({ kind: 'status', status: 429, retryAfter: 7 });

      const response = await deleteOne();
      const body = (await response.json()) as Answer['body'];

      assert.equal(response.status, 429);
      assert.equal(response.headers.get('retry-after'), '7');
      assert.equal(body.success, false);
      assert.equal(body.errors[0].code, CODE_RATE_LIMITED);
      assert.ok(stillThere());
      assert.equal(sandbox.requests[0].fault, 'status');
      assert.equal(sandbox.requests[0].applied, false);
    });

    it('answers 429 without retry-after when none is given', async () => {
      sandbox.fault({ kind: 'status', status: 429 });

      const response = await deleteOne();
      await response.arrayBuffer();

      assert.equal(response.status, 429);
      assert.equal(response.headers.get('retry-after'), null);
    });

    it('answers 500, 502 and 503 with an error envelope', async () => {
      for (const status of [500, 502, 503]) {
        sandbox.fault({ kind: 'status', status });
        const answer = await call(sandbox, 'DELETE', batchPath(), { body: ['192.0.2.1'] });

        assertFailure(answer, status, CODE_INTERNAL_ERROR);
        assert.equal(answer.headers.get('content-type'), 'application/json');
      }
      assert.ok(stillThere());
    });

    it('spoils only batch deletes by default, and only once', async () => {
      sandbox.fault({ kind: 'status', status: 503 });

      const list = await call(sandbox, 'GET', regionsPath(zoneId));
      const spoiled = await call(sandbox, 'DELETE', batchPath(), { body: ['192.0.2.1'] });
      const next = await call(sandbox, 'DELETE', batchPath(), { body: ['192.0.2.1'] });

      assert.equal(list.status, 200);
      assert.equal(spoiled.status, 503);
      assert.equal(next.status, 200);
      assert.equal(next.body.result.succeeded.length, 1);
    });

    it('applies faults in queue order, each for its number of times', async () => {
      sandbox.fault({ kind: 'status', status: 503, times: 2 });
      sandbox.fault({ kind: 'status', status: 502 });

      const statuses: number[] = [];
      for (let index = 0; index < 4; index += 1) {
        statuses.push((await call(sandbox, 'GET', regionsPath(zoneId, '/batch'))).status);
        const answer = await call(sandbox, 'DELETE', batchPath(), { body: ['192.0.2.9'] });
        statuses.push(answer.status);
      }

      // The GETs of ".../batch" are not batch deletes: they read a mapping for the IP "batch".
      assert.deepEqual(statuses, [400, 503, 400, 503, 400, 502, 400, 200]);
    });

    it('keeps an Infinity fault until the faults are cleared', async () => {
      sandbox.fault({ kind: 'status', status: 503, times: Infinity });

      for (let index = 0; index < 5; index += 1) {
        assert.equal((await call(sandbox, 'DELETE', batchPath(), { body: [] })).status, 503);
      }
      sandbox.clearFaults();
      assert.equal((await call(sandbox, 'DELETE', batchPath(), { body: [] })).status, 200);
    });

    it('refuses a fault with a times that is not a positive integer', () => {
      assert.throws(() => sandbox.fault({ kind: 'truncated', times: 0 }), /positive integer/);
      assert.throws(() => sandbox.fault({ kind: 'truncated', times: 1.5 }), /positive integer/);
    });

    it('targets other routes, or any route', async () => {
      sandbox.fault({ kind: 'status', status: 500, route: 'verify' });
      sandbox.fault({ kind: 'status', status: 502, route: 'any' });

      const zones = await call(sandbox, 'GET', '/zones');
      const verify = await call(sandbox, 'GET', '/user/tokens/verify');

      assert.equal(zones.status, 502);
      assert.equal(verify.status, 500);
    });

    it('resets the socket before deleting: the client errors and nothing changed', async () => {
      sandbox.fault({ kind: 'reset', when: 'beforeApply' });

      await assert.rejects(deleteOne(), socketFailure);

      assert.ok(stillThere());
      const [record] = sandbox.requests;
      assert.equal(sandbox.requests.length, 1);
      assert.equal(record.fault, 'reset');
      assert.equal(record.applied, false);
      assert.equal(record.status, undefined);
    });

    it('resets the socket after deleting: the client errors but the mapping is gone', async () => {
      sandbox.fault({ kind: 'reset', when: 'afterApply' });

      await assert.rejects(deleteOne(), socketFailure);

      assert.ok(!stillThere());
      assert.equal(sandbox.requests[0].applied, true);
      assert.equal(sandbox.requests[0].status, undefined);
    });

    it('hangs after deleting until the client gives up', async () => {
      sandbox.fault({ kind: 'hang', when: 'afterApply' });
      const started = Date.now();

      await assert.rejects(deleteOne({ signal: AbortSignal.timeout(150) }), {
        name: 'TimeoutError',
      });

      assert.ok(Date.now() - started >= 140);
      assert.ok(!stillThere());
      assert.equal(sandbox.requests[0].status, undefined);
    });

    it('hangs before deleting, leaving the mapping in place', async () => {
      sandbox.fault({ kind: 'hang', when: 'beforeApply' });

      await assert.rejects(deleteOne({ signal: AbortSignal.timeout(100) }), {
        name: 'TimeoutError',
      });

      assert.ok(stillThere());
    });

    it('ends a hung request when the sandbox closes', async () => {
      await withSandbox({}, async (own) => {
        own.fault({ kind: 'hang', when: 'afterApply' });
        const pending = send(own, 'DELETE', regionsPath(own.zoneId, '/batch'), {
          body: ['192.0.2.1'],
        });
        await waitFor(() => own.requests.length === 1);

        await own.close();

        await assert.rejects(pending, socketFailure);
      });
    });

    it('sends the real answer late with slowHeaders, after deleting', async () => {
      sandbox.fault({ kind: 'slowHeaders', ms: 150 });
      const started = Date.now();

      const response = await deleteOne();
      const elapsed = Date.now() - started;
      const body = (await response.json()) as Answer['body'];

      assert.ok(elapsed >= 140, `headers after ${elapsed} ms`);
      assert.equal(response.status, 200);
      assert.equal(body.result.succeeded[0].origin_ip, '192.0.2.1');
      assert.ok(!stillThere());
    });

    it('sends headers at once and the body late with slowBody', async () => {
      sandbox.fault({ kind: 'slowBody', ms: 200 });
      const started = Date.now();

      const response = await deleteOne();
      const headersAfter = Date.now() - started;
      const body = (await response.json()) as Answer['body'];
      const bodyAfter = Date.now() - started;

      assert.ok(headersAfter < 150, `headers after ${headersAfter} ms`);
      assert.ok(bodyAfter >= 190, `body after ${bodyAfter} ms`);
      assert.equal(body.result.succeeded[0].origin_ip, '192.0.2.1');
    });

    it('truncates the body after a valid status and content-length, having deleted', async () => {
      sandbox.fault({ kind: 'truncated' });

      const response = await deleteOne();

      assert.equal(response.status, 200);
      assert.ok(Number(response.headers.get('content-length')) > 50);
      await assert.rejects(response.text(), (error: unknown) => error instanceof TypeError);
      assert.ok(!stillThere());
      assert.equal(sandbox.requests[0].status, 200);
    });

    it('answers 200 with text that is not JSON', async () => {
      sandbox.fault({ kind: 'nonJson' });

      const response = await deleteOne();

      assert.equal(response.status, 200);
      assert.match(response.headers.get('content-type') ?? '', /^text\/plain/);
      await assert.rejects(response.json(), SyntaxError);
      assert.ok(stillThere());
    });

    it('answers a proxy-like HTML error page, 502 unless told otherwise', async () => {
      sandbox.fault({ kind: 'html' });
      sandbox.fault({ kind: 'html', status: 504 });

      const first = await deleteOne();
      const firstText = await first.text();
      const second = await deleteOne();
      const secondText = await second.text();

      assert.equal(first.status, 502);
      assert.match(first.headers.get('content-type') ?? '', /^text\/html/);
      assert.match(first.headers.get('cf-ray') ?? '', /-SJC$/);
      assert.match(firstText, /<html>.*502 Bad Gateway/s);
      assert.equal(second.status, 504);
      assert.match(secondText, /504 Gateway Timeout/);
      assert.ok(stillThere());
    });

    it('answers an envelope with several errors', async () => {
      const errors = [
        { code: 1001, message: 'first problem' },
        { code: 1002, message: 'second problem' },
      ];
      sandbox.fault({ kind: 'envelopeErrors', errors });
      sandbox.fault({ kind: 'envelopeErrors', errors, status: 409 });

      const first = await call(sandbox, 'DELETE', batchPath(), { body: ['192.0.2.1'] });
      const second = await call(sandbox, 'DELETE', batchPath(), { body: ['192.0.2.1'] });

      assert.equal(first.status, 400);
      assert.deepEqual(first.body, { success: false, errors, messages: [], result: null });
      assert.equal(second.status, 409);
      assert.ok(stillThere());
    });

    it('streams a huge JSON body of exactly the asked size', async () => {
      sandbox.fault({ kind: 'huge', bytes: 3_000_000 });

      const response = await deleteOne();
      const text = await response.text();

      assert.equal(response.status, 200);
      assert.equal(response.headers.get('content-length'), '3000000');
      assert.equal(Buffer.byteLength(text), 3_000_000);
      assert.equal(JSON.parse(text).success, true);
      assert.ok(stillThere());
    });

    it('lets a client stop reading a 50 MB body early, and keeps serving', async () => {
      sandbox.fault({ kind: 'huge', bytes: 50_000_000, chunked: true });

      const response = await deleteOne();
      assert.equal(response.headers.get('content-length'), null);
      assert.ok(response.body);
      const reader = response.body.getReader();
      let read = 0;
      while (read < 1_000_000) {
        const { value, done } = await reader.read();
        assert.ok(!done && value);
        read += value.length;
      }
      await reader.cancel();

      const next = await call(sandbox, 'GET', '/user/tokens/verify');
      assert.equal(next.status, 200);
    });

    it('rejects credentials on one request with authFail, 403 unless told otherwise', async () => {
      sandbox.fault({ kind: 'authFail' });
      sandbox.fault({ kind: 'authFail', status: 401 });

      const first = await call(sandbox, 'DELETE', batchPath(), { body: ['192.0.2.1'] });
      const second = await call(sandbox, 'DELETE', batchPath(), { body: ['192.0.2.1'] });
      const third = await call(sandbox, 'DELETE', batchPath(), { body: ['192.0.2.1'] });

      assertFailure(first, 403, CODE_AUTHENTICATION);
      assertFailure(second, 401, CODE_AUTHENTICATION);
      assert.equal(third.status, 200);
    });
  });

  describe('latency', () => {
    it('makes every request wait, until reset', async () => {
      sandbox.setLatency(120);
      const started = Date.now();
      await call(sandbox, 'GET', '/user/tokens/verify');
      const slow = Date.now() - started;

      sandbox.reset();
      const restarted = Date.now();
      await call(sandbox, 'GET', '/user/tokens/verify');
      const fast = Date.now() - restarted;

      assert.ok(slow >= 115, `slow request took ${slow} ms`);
      assert.ok(fast < 100, `fast request took ${fast} ms`);
    });

    it('starts with the latency given as an option', async () => {
      await withSandbox({ latencyMs: 80 }, async (own) => {
        const started = Date.now();
        await call(own, 'GET', '/user/tokens/verify');

        assert.ok(Date.now() - started >= 75);
      });
    });
  });

  describe('recorded requests', () => {
    it('records what was sent and what was answered', async () => {
      await call(sandbox, 'DELETE', regionsPath(zoneId, '/batch?trace=1'), {
        body: ['192.0.2.1', '2001:db8::1'],
        auth: { authorization: `Bearer ${sandbox.token}`, 'X-Custom-Header': 'Yes' },
      });

      const [record] = sandbox.requests;
      assert.equal(record.method, 'DELETE');
      assert.equal(record.path, `/client/v4/zones/${zoneId}/origin/cloud_regions/batch`);
      assert.equal(record.route, 'batchDelete');
      assert.equal(record.zoneId, zoneId);
      assert.deepEqual(record.query, { trace: '1' });
      assert.equal(record.headers['x-custom-header'], 'Yes');
      assert.equal(record.headers['content-type'], 'application/json');
      assert.deepEqual(record.body, ['192.0.2.1', '2001:db8::1']);
      assert.deepEqual(record.batchIps, ['192.0.2.1', '2001:db8::1']);
      assert.equal(record.status, 200);
      assert.equal(record.applied, true);
      assert.equal(record.fault, undefined);
      assert.ok(record.connectionId >= 1);
      assert.ok(record.remotePort > 0);
      assert.ok(Math.abs(Date.now() - record.receivedAt) < 5000);
    });

    it('records a body that is not JSON as text, and unknown routes without a route', async () => {
      await call(sandbox, 'POST', '/somewhere', { rawBody: 'plain words' });

      const [record] = sandbox.requests;
      assert.equal(record.route, undefined);
      assert.equal(record.body, 'plain words');
      assert.equal(record.status, 400);
      assert.equal(record.applied, false);
    });

    it('empties the record on clearRequests, in place', async () => {
      const requests = sandbox.requests;
      await call(sandbox, 'GET', '/user/tokens/verify');
      assert.equal(requests.length, 1);

      sandbox.clearRequests();

      assert.equal(requests.length, 0);
      assert.equal(sandbox.requests, requests);
    });

    it('tells onRequest about every finished exchange', async () => {
      const seen: string[] = [];
      await withSandbox(
        { onRequest: (request) => seen.push(`${request.method} ${request.status}`) },
        async (own) => {
          await call(own, 'GET', '/user/tokens/verify');
          await call(own, 'GET', '/user/tokens/verify', { auth: 'none' });
          await waitFor(() => seen.length === 2);
        },
      );

      assert.deepEqual(seen, ['GET 200', 'GET 403']);
    });
  });

  describe('connections', () => {
    it('serves sequential requests over one keep-alive connection', async () => {
      await withSandbox({}, async (own) => {
        for (let index = 0; index < 5; index += 1) {
          await call(own, 'GET', '/user/tokens/verify');
          // undici resolves the body a moment before it frees the connection; without this
          // turn of the event loop it opens a second one and alternates between the two.
          await new Promise((resolve) => setImmediate(resolve));
        }

        assert.equal(own.connections, 1);
        assert.deepEqual(
          new Set(own.requests.map((request) => request.connectionId)),
          new Set([1]),
        );
      });
    });

    it('counts one connection per request sent at the same time', async () => {
      await withSandbox({ latencyMs: 50 }, async (own) => {
        await Promise.all([1, 2, 3].map(() => call(own, 'GET', '/user/tokens/verify')));

        assert.equal(own.connections, 3);
        assert.equal(new Set(own.requests.map((request) => request.remotePort)).size, 3);
      });
    });

    it('does not recount a connection kept alive across reset', async () => {
      await withSandbox({}, async (own) => {
        await call(own, 'GET', '/user/tokens/verify');
        await new Promise((resolve) => setImmediate(resolve));
        own.reset();

        await call(own, 'GET', '/user/tokens/verify');

        assert.equal(own.connections, 0);
        assert.equal(own.requests[0].connectionId, 1);
      });
    });
  });

  describe('reset', () => {
    it('clears mappings, faults and requests but keeps zones and tokens', async () => {
      const extra = sandbox.addZone('kept-after-reset.example');
      sandbox.addToken('kept-token');
      sandbox.seed(extra.id, [mapping('192.0.2.1')]);
      sandbox.fault({ kind: 'status', status: 503 });
      await call(sandbox, 'GET', '/user/tokens/verify');

      sandbox.reset();

      assert.deepEqual(sandbox.mappings(extra.id), []);
      assert.equal(sandbox.requests.length, 0);
      assert.equal(sandbox.connections, 0);
      const answer = await call(sandbox, 'DELETE', regionsPath(extra.id, '/batch'), {
        body: ['192.0.2.1'],
        auth: { authorization: 'Bearer kept-token' },
      });
      assert.equal(answer.status, 200);
    });

    it('refuses to seed invalid mappings or unknown zones', () => {
      assert.throws(() => sandbox.seed(zoneId, [mapping('10.1')]), /invalid mapping/);
      assert.throws(() => sandbox.seed('f'.repeat(32), [mapping('192.0.2.1')]), /no zone/);
      assert.throws(() => sandbox.mappings('f'.repeat(32)), /no zone/);
    });
  });

  describe('npm run sandbox', () => {
    const cli = path.join(__dirname, '..', 'sandbox', 'cli.js');

    it('prints what to configure, serves seeded mappings and stops on Ctrl+C', async () => {
      const child = spawn(process.execPath, [cli, '--port', '0', '--seed', '6'], {
        stdio: ['ignore', 'pipe', 'pipe'],
      });
      const exited = once(child, 'exit');
      let output = '';
      child.stdout.setEncoding('utf8').on('data', (chunk: string) => (output += chunk));
      await waitFor(() => output.includes('Press Ctrl+C'), 5000);

      const url = /Base URL\s+(\S+)/.exec(output)?.[1] ?? '';
      const token = /API token\s+(\S+)/.exec(output)?.[1] ?? '';
      const cliZoneId = /zone ID ([0-9a-f]{32})/.exec(output)?.[1] ?? '';
      const response = await fetch(`${url}${regionsPath(cliZoneId)}`, {
        headers: { authorization: `Bearer ${token}` },
      });
      const body = (await response.json()) as Answer['body'];
      child.kill('SIGINT');
      const [code] = await exited;

      assert.match(url, /^http:\/\/127\.0\.0\.1:\d+\/client\/v4$/);
      assert.match(output, /example\.com/);
      assert.match(output, /Global key\s+email sandbox@example\.com\s+key [0-9a-f]{37}/);
      assert.ok(output.includes(`"cloudflareOriginRegions.apiBaseUrl": "${url}"`));
      assert.equal(body.result_info.total_count, 6);
      assert.equal(code, 0);
    });

    it('refuses a flag value it cannot use', async () => {
      const child = spawn(process.execPath, [cli, '--seed', 'many'], { stdio: 'pipe' });
      let errors = '';
      child.stderr.setEncoding('utf8').on('data', (chunk: string) => (errors += chunk));
      const [code] = await once(child, 'exit');

      assert.equal(code, 1);
      assert.match(errors, /--seed takes a whole number/);
    });
  });

  describe('sample mappings', () => {
    it('are distinct, valid, canonical and mix IPv4, IPv6 and all vendors', () => {
      const samples = sampleMappings(MAX_MAPPINGS_PER_ZONE);

      assert.equal(new Set(samples.map((m) => m.originIp)).size, MAX_MAPPINGS_PER_ZONE);
      assert.equal(new Set(samples.map((m) => m.vendor)).size, 4);
      assert.ok(samples.some((m) => m.originIp.includes(':')));
      assert.ok(samples.some((m) => !m.originIp.includes(':')));
      assert.deepEqual(sampleMappings(2, 40), samples.slice(40, 42));
    });
  });
});

async function waitFor(condition: () => boolean, timeoutMs = 2000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) {
      throw new Error('Condition not met in time');
    }
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
}
