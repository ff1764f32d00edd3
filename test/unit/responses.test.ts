import * as assert from 'node:assert/strict';
import { ApiError } from '../../src/core/cloudflare/errors';
import { readBatchDeleteResult, readEnvelope } from '../../src/core/cloudflare/responses';

const json = { status: 200, contentType: 'application/json' };

function kindOf(run: () => unknown): string {
  try {
    run();
  } catch (error) {
    assert.ok(error instanceof ApiError, `expected an ApiError, got ${String(error)}`);
    return error.kind;
  }
  assert.fail('expected an error');
}

describe('reading Cloudflare answers', () => {
  it('reads the current batch delete shape with origin_ip', () => {
    const result = readBatchDeleteResult({
      succeeded: [{ origin_ip: '192.0.2.1', vendor: 'aws', region: 'us-east-1' }],
      failed: [{ origin_ip: '2001:db8::1', error: 'mapping not found' }],
    });
    assert.deepEqual(result, {
      succeeded: [{ originIp: '192.0.2.1', vendor: 'aws', region: 'us-east-1' }],
      failed: [{ originIp: '2001:db8::1', error: 'mapping not found' }],
    });
  });

  it('reads the deprecated wrapped shape with origin-ip', () => {
    const result = readBatchDeleteResult({
      id: 'origin_public_cloud_region',
      editable: true,
      value: {
        succeeded: [{ 'origin-ip': '198.51.100.7', vendor: 'gcp', region: 'europe-west1' }],
        failed: [{ 'origin-ip': '203.0.113.9', error: 'not found' }],
      },
    });
    assert.equal(result.succeeded[0].originIp, '198.51.100.7');
    assert.equal(result.succeeded[0].region, 'europe-west1');
    assert.equal(result.failed[0].originIp, '203.0.113.9');
  });

  it('reads answered IPs in the canonical form they were sent in, whatever their spelling', () => {
    const result = readBatchDeleteResult({
      succeeded: [{ origin_ip: '2001:DB8:0:0:0:0:0:1', vendor: 'aws', region: 'us-east-1' }],
      failed: [{ origin_ip: '::FFFF:192.0.2.9', error: 'mapping not found' }],
    });
    assert.equal(result.succeeded[0].originIp, '2001:db8::1');
    assert.equal(result.failed[0].originIp, '::ffff:192.0.2.9');
  });

  it('keeps an answered text that is not one IP as Cloudflare wrote it', () => {
    const result = readBatchDeleteResult({
      succeeded: [],
      failed: [{ origin_ip: '[2001:db8::1]:443', error: 'invalid IP' }],
    });
    assert.equal(result.failed[0].originIp, '[2001:db8::1]:443');
  });

  it('turns an unknown result shape into a clear error, not a crash', () => {
    assert.equal(
      kindOf(() => readBatchDeleteResult({ deleted: 3 })),
      'badResponse',
    );
    assert.equal(
      kindOf(() => readBatchDeleteResult(null)),
      'badResponse',
    );
    assert.equal(
      kindOf(() => readBatchDeleteResult({ succeeded: [{}], failed: [] })),
      'badResponse',
    );
  });

  it('gives a failed item without an error text a reason all the same', () => {
    const result = readBatchDeleteResult({ succeeded: [], failed: [{ origin_ip: '192.0.2.1' }] });
    assert.match(result.failed[0].error, /no reason/);
  });

  it('checks the envelope: success false with several errors names each code and message', () => {
    const body = JSON.stringify({
      success: false,
      errors: [
        { code: 1004, message: 'first problem' },
        { code: 1005, message: 'second problem' },
      ],
      result: null,
    });
    try {
      readEnvelope(body, { ...json, status: 400 });
      assert.fail('expected an error');
    } catch (error) {
      assert.ok(error instanceof ApiError);
      assert.equal(error.kind, 'request');
      assert.match(error.message, /first problem \(code 1004\); second problem \(code 1005\)/);
      assert.equal(error.errors.length, 2);
    }
  });

  it('treats success false with HTTP 200 as a refusal', () => {
    const body = JSON.stringify({ success: false, errors: [{ code: 7003, message: 'bad' }] });
    assert.equal(
      kindOf(() => readEnvelope(body, json)),
      'request',
    );
  });

  it('sorts answers by what to do: auth, rate limit, server, unreadable', () => {
    const envelope = JSON.stringify({
      success: false,
      errors: [{ code: 10000, message: 'Authentication error' }],
    });
    assert.equal(
      kindOf(() => readEnvelope(envelope, { ...json, status: 403 })),
      'auth',
    );
    assert.equal(
      kindOf(() => readEnvelope(envelope, { ...json, status: 401 })),
      'auth',
    );
    const zoneFull = JSON.stringify({
      success: false,
      errors: [{ code: 1164, message: 'The zone already holds the maximum of 3500 mappings' }],
    });
    assert.equal(
      kindOf(() => readEnvelope(zoneFull, { ...json, status: 403 })),
      'request',
      'a full zone is no credential problem',
    );
    assert.equal(
      kindOf(() => readEnvelope('{}', { ...json, status: 429 })),
      'rateLimited',
    );
    assert.equal(
      kindOf(() => readEnvelope('oops', { ...json, status: 503 })),
      'server',
    );
    assert.equal(
      kindOf(() => readEnvelope('{"success":tr', json)),
      'badResponse',
    );
  });

  it('describes an HTML error page by its title', () => {
    const page = '<!DOCTYPE html><html><head><title>502 Bad Gateway</title></head></html>';
    try {
      readEnvelope(page, { status: 200, contentType: 'text/html' });
      assert.fail('expected an error');
    } catch (error) {
      assert.ok(error instanceof ApiError);
      assert.match(error.message, /HTML page: "502 Bad Gateway"/);
    }
  });

  it('keeps the paging information of a list', () => {
    const body = JSON.stringify({
      success: true,
      errors: [],
      result: [],
      result_info: { page: 2, per_page: 50, total_pages: 3 },
    });
    assert.deepEqual(readEnvelope(body, json).resultInfo, { page: 2, totalPages: 3 });
  });

  it('marks which failures may have been applied by the server', () => {
    assert.equal(new ApiError('rateLimited', 'x').mayHaveApplied, false);
    assert.equal(new ApiError('timeout', 'x').mayHaveApplied, true);
    assert.equal(new ApiError('network', 'x').mayHaveApplied, true);
    assert.equal(new ApiError('auth', 'x').retryable, false);
    assert.equal(new ApiError('request', 'x').retryable, false);
  });
});
