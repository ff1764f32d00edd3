import * as assert from 'node:assert/strict';
import { ApiError } from '../../src/core/cloudflare/errors';
import { decideRetry, type RetryTiming } from '../../src/core/run/retryPolicy';

const timing = (random: number): RetryTiming => ({
  baseDelayMs: 500,
  maxDelayMs: 30_000,
  maxRetryAfterSeconds: 120,
  random: () => random,
});
const serverError = new ApiError('server', 'HTTP 503 from Cloudflare', { status: 503 });

function delayOf(attempt: number, random: number): number {
  const decision = decideRetry(serverError, attempt, 10, timing(random));
  assert.ok(decision.retry, `attempt ${attempt} is retried`);
  return decision.delayMs;
}

describe('when a failed request is tried again', () => {
  it('backs off exponentially: each step doubles, up to the cap', () => {
    const longest = [0, 1, 2, 3, 4, 5, 6, 7].map((attempt) => delayOf(attempt, 1));
    assert.deepEqual(longest, [500, 1000, 2000, 4000, 8000, 16_000, 30_000, 30_000]);
  });

  it('spreads each step over its upper half with jitter, so clients do not retry in step', () => {
    assert.equal(delayOf(3, 0), 2000);
    assert.equal(delayOf(3, 0.5), 3000);
    assert.equal(delayOf(3, 1), 4000);
  });

  it('waits exactly what retry-after asks for a 429, and stops when it asks too much', () => {
    const asked = new ApiError('rateLimited', 'HTTP 429', { status: 429, retryAfterSeconds: 7 });
    assert.deepEqual(decideRetry(asked, 0, 4, timing(0.3)), {
      retry: true,
      delayMs: 7000,
      reason: 'rate limited (HTTP 429); Cloudflare asks to wait 7 s',
    });
    const tooLong = new ApiError('rateLimited', 'HTTP 429', {
      status: 429,
      retryAfterSeconds: 600,
    });
    const decision = decideRetry(tooLong, 0, 4, timing(0.3));
    assert.equal(decision.retry, false);
    assert.match(decision.reason, /asks to wait 600 s, longer than the 120 s this run waits/);
  });

  it('backs off a 429 without retry-after like any other transient error', () => {
    const bare = new ApiError('rateLimited', 'HTTP 429', { status: 429 });
    assert.deepEqual(decideRetry(bare, 2, 4, timing(1)), {
      retry: true,
      delayMs: 2000,
      reason: 'HTTP 429',
    });
  });

  it('gives up after maxRetries, saying how many attempts were made', () => {
    const decision = decideRetry(serverError, 4, 4, timing(0));
    assert.deepEqual(decision, {
      retry: false,
      reason: 'HTTP 503 from Cloudflare; gave up after 5 attempts',
    });
  });

  it('never retries what a retry cannot fix: rejected credentials and refused requests', () => {
    for (const kind of ['auth', 'request', 'config'] as const) {
      const decision = decideRetry(new ApiError(kind, `a ${kind} error`), 0, 4, timing(0));
      assert.deepEqual(decision, { retry: false, reason: `a ${kind} error` });
    }
  });
});
