import * as assert from 'node:assert/strict';
import { assessRun, RATE_LIMIT_WINDOW_MS } from '../../src/core/run/budget';

describe("weighing a run against Cloudflare's limits", () => {
  it('lets a zone-sized run through unpaced', () => {
    const assessment = assessRun(3500, 100);
    assert.equal(assessment.requests, 35);
    assert.equal(assessment.exceedsZone, false);
    assert.equal(assessment.minIntervalMs, 0);
    assert.equal(assessment.refusal, undefined);
  });

  it('tells how much of the shared budget 100,000 IPs take, and paces them', () => {
    const assessment = assessRun(100_000, 100);
    assert.equal(assessment.requests, 1000);
    assert.equal(assessment.exceedsZone, true);
    assert.match(assessment.summary, /^1,000 requests: 83% of the 1,200 requests per 5 minutes/);
    assert.match(assessment.summary, /spread out, one every 0\.5 s, taking about 9 minutes/);
    assert.ok(assessment.minIntervalMs * 600 >= RATE_LIMIT_WINDOW_MS, 'at most half the budget');
    assert.equal(assessment.refusal, undefined);
  });

  it('refuses a run that needs more requests than a whole window allows', () => {
    const assessment = assessRun(130_000, 100);
    assert.equal(assessment.requests, 1300);
    assert.match(assessment.refusal ?? '', /needs 1,300 requests, more than the 1,200/);
  });

  it('counts requests with the configured batch size', () => {
    assert.equal(assessRun(700, 1).requests, 700);
    assert.ok(assessRun(700, 1).minIntervalMs > 0);
    assert.equal(assessRun(700, 1).exceedsZone, false);
  });
});
