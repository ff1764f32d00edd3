import * as assert from 'node:assert/strict';
import { accountingProblems } from '../../src/core/report';
import {
  deleteInBatches,
  planBatches,
  restoreInBatches,
  type BatchProgress,
  type DeleteRunOptions,
  type RetryNotice,
} from '../../src/core/run/batchRun';
import { sampleMappings } from '../sandbox/samples';
import type { Sandbox } from '../sandbox/server';
import { FAST_RETRIES, type TestClient, useSandboxClient } from '../support/clients';

describe('deleting in batches against the sandbox', () => {
  let sandbox: Sandbox;
  let api: TestClient;

  const reconnect = useSandboxClient((started, client) => ((sandbox = started), (api = client)));

  /** Seeds `count` mappings and runs a deletion of all of them (plus `extra` IPs). */
  async function run(count: number, options: Partial<DeleteRunOptions> = {}, extra: string[] = []) {
    const mappings = sampleMappings(count);
    sandbox.seed(sandbox.zoneId, mappings);
    const originIps = [...mappings.map((mapping) => mapping.originIp), ...extra];
    const progress: BatchProgress[] = [];
    const retries: RetryNotice[] = [];
    const outcome = await deleteInBatches(api.client, {
      zoneId: sandbox.zoneId,
      originIps,
      batchSize: 100,
      concurrency: 2,
      maxRetries: 3,
      timing: FAST_RETRIES,
      onProgress: (step) => progress.push(step),
      onRetry: (notice) => retries.push(notice),
      ...options,
    });
    assert.deepEqual(accountingProblems(outcome, originIps), [], 'every IP accounted for once');
    const remaining = new Set(sandbox.mappings().map((mapping) => mapping.originIp));
    for (const { originIp } of outcome.succeeded) {
      assert.ok(!remaining.has(originIp), `${originIp} is reported deleted but is still there`);
    }
    return { outcome, progress, retries, originIps, remaining };
  }

  const batchRequests = () => sandbox.requests.filter((request) => request.route === 'batchDelete');

  it('plans consecutive batches of at most the batch size', () => {
    assert.deepEqual(planBatches([1, 2, 3, 4, 5], 2), [[1, 2], [3, 4], [5]]);
    assert.deepEqual(planBatches([], 100), []);
  });

  it('deletes 250 IPs in three batches of at most 100, over the pool of connections', async () => {
    const { outcome, progress, remaining } = await run(250);
    assert.equal(outcome.succeeded.length, 250);
    assert.equal(remaining.size, 0);
    assert.deepEqual(
      batchRequests().map((request) => request.batchIps?.length),
      [100, 100, 50],
    );
    assert.ok(sandbox.connections <= 2, `${sandbox.connections} connections for concurrency 2`);
    assert.equal(progress.at(-1)?.batchesDone, 3);
    assert.ok(outcome.succeeded.every((mapping) => mapping.vendor && mapping.region));
  });

  it('keeps the order of the selection in the report', async () => {
    const { outcome, originIps } = await run(150, { batchSize: 7, concurrency: 4 });
    assert.deepEqual(
      outcome.succeeded.map((mapping) => mapping.originIp),
      originIps,
    );
  });

  it('never has more requests in flight than the concurrency, and uses all of it', async () => {
    sandbox.setLatency(40);
    await run(60, { batchSize: 10, concurrency: 2 });
    assert.ok(sandbox.connections <= 2);
    assert.equal(batchRequests().length, 6);
    assert.equal(sandbox.peakInFlight, 2);
  });

  it('keeps to the concurrency when the pool would allow more', async () => {
    await reconnect({ connections: 8 });
    for (const concurrency of [1, 3]) {
      sandbox.reset();
      sandbox.setLatency(40);
      await run(60, { batchSize: 10, concurrency });
      assert.equal(sandbox.peakInFlight, concurrency, `concurrency ${concurrency}`);
    }
  });

  it('hands each batch to onBatchSettled, and counts it only once that has finished', async () => {
    const recorded: string[] = [];
    const shown: number[] = [];
    let recording = 0;
    const { outcome } = await run(500, {
      concurrency: 2,
      onBatchSettled: async (settled) => {
        recording++;
        await new Promise((resolve) => setTimeout(resolve, 20));
        recorded.push(...settled.succeeded.map((mapping) => mapping.originIp));
        recording--;
      },
      onProgress: (step) => {
        // Progress never counts a batch whose recording is still under way.
        assert.ok(
          recorded.length >= step.deleted,
          `${recorded.length} recorded, ${step.deleted} shown`,
        );
        shown.push(step.deleted);
      },
    });
    assert.equal(recording, 0);
    assert.deepEqual(
      [...recorded].sort(),
      outcome.succeeded.map((mapping) => mapping.originIp).sort(),
    );
    assert.equal(shown.at(-1), 500);
  });

  it('sends no further batch when a batch cannot be recorded, and says so', async () => {
    let calls = 0;
    const { outcome } = await run(500, {
      concurrency: 1,
      onBatchSettled: () => {
        calls++;
        if (calls === 1) throw new Error('ENOSPC: no space left on device');
      },
    });
    assert.match(outcome.stoppedBy?.message ?? '', /could not record the batch: Error: ENOSPC/);
    assert.equal(batchRequests().length, 1, 'nothing after the batch that could not be recorded');
    assert.equal(outcome.succeeded.length, 100, 'the batch Cloudflare applied is still reported');
    assert.equal(outcome.notSent.length, 400);
  });

  it("reports IPs without a mapping as plain failures with Cloudflare's text", async () => {
    const { outcome } = await run(2, {}, ['192.0.2.250']);
    assert.deepEqual(outcome.failed, [{ originIp: '192.0.2.250', error: 'mapping not found' }]);
  });

  it('waits out a 429 for as long as retry-after says, then retries', async () => {
    sandbox.fault({ kind: 'status', status: 429, retryAfter: 1 });
    const started = Date.now();
    const { outcome, progress, retries } = await run(5);
    assert.ok(Date.now() - started >= 950, 'waited about a second');
    assert.equal(outcome.succeeded.length, 5);
    assert.equal(retries[0].delayMs, 1000);
    assert.match(retries[0].reason, /asks to wait 1 s/);
    assert.ok(progress.some((step) => step.waiting === 'Rate limited: waiting 1 s'));
  });

  it('backs off and retries a 429 without retry-after and 5xx bursts', async () => {
    sandbox.fault({ kind: 'status', status: 429 });
    sandbox.fault({ kind: 'status', status: 502 });
    sandbox.fault({ kind: 'status', status: 503 });
    const { outcome, retries } = await run(5, { concurrency: 1 });
    assert.equal(outcome.succeeded.length, 5);
    assert.equal(retries.length, 3);
    assert.equal(batchRequests().length, 4);
  });

  it('marks IPs "possibly deleted" when a lost answer had already deleted them', async () => {
    sandbox.fault({ kind: 'reset', when: 'afterApply' });
    const { outcome, remaining } = await run(4, { concurrency: 1 });
    assert.equal(remaining.size, 0, 'the first attempt did delete them');
    assert.equal(outcome.succeeded.length, 0);
    assert.equal(outcome.failed.length, 4);
    for (const failure of outcome.failed) {
      assert.equal(failure.possiblyDeleted, true);
      assert.match(failure.error, /earlier attempt, which got no answer, may have deleted it/);
    }
  });

  it('reports a batch reset before it was applied as deleted on the retry', async () => {
    sandbox.fault({ kind: 'reset', when: 'beforeApply' });
    const { outcome } = await run(4);
    assert.equal(outcome.succeeded.length, 4);
    assert.equal(outcome.failed.length, 0);
  });

  it('keeps an IP that an earlier run may have deleted as possibly deleted when it is not found', async () => {
    const [lostEarlier, neverMapped] = ['203.0.113.10', '203.0.113.11'];
    // The first seeded IP was possibly deleted too, but is still there: it simply deletes now.
    const stillThere = sampleMappings(1)[0].originIp;
    const possiblyDeleted = new Set([lostEarlier, stillThere]);
    const { outcome } = await run(2, { possiblyDeleted }, [lostEarlier, neverMapped]);
    assert.deepEqual(
      outcome.succeeded.map((mapping) => mapping.originIp),
      sampleMappings(2).map((mapping) => mapping.originIp),
    );
    const byIp = new Map(outcome.failed.map((failure) => [failure.originIp, failure]));
    assert.equal(byIp.get(lostEarlier)?.possiblyDeleted, true);
    assert.match(byIp.get(lostEarlier)!.error, /an earlier attempt, which got no answer, may have/);
    assert.equal(byIp.get(neverMapped)?.possiblyDeleted, undefined);
    assert.match(byIp.get(neverMapped)!.error, /not found/);
  });

  it('puts nothing back into a full zone and says why, without blaming the credentials', async () => {
    sandbox.seed(sandbox.zoneId, sampleMappings(3500));
    const outcome = await restoreInBatches(api.client, sampleMappings(1, 3500), {
      zoneId: sandbox.zoneId,
      batchSize: 100,
      concurrency: 1,
      maxRetries: 3,
      timing: FAST_RETRIES,
    });
    assert.equal(outcome.stoppedBy?.kind, 'request');
    assert.match(outcome.failed[0].error, /code 1164/);
    assert.doesNotMatch(outcome.failed[0].error, /credentials/);
    assert.equal(sandbox.mappings().length, 3500);
  });

  it('retries after a time-out, knowing the timed-out attempt may have landed', async () => {
    await reconnect({ timeoutMs: 150 });
    sandbox.fault({ kind: 'hang', when: 'afterApply' });
    const { outcome } = await run(3);
    assert.equal(outcome.failed.length, 3);
    assert.ok(outcome.failed.every((failure) => failure.possiblyDeleted));
  });

  it('stops at a rejected credential: the rest is not sent and stays in place', async () => {
    sandbox.fault({ kind: 'authFail', route: 'batchDelete' });
    const { outcome, remaining } = await run(300, { concurrency: 1 });
    assert.equal(outcome.stoppedBy?.kind, 'auth');
    assert.equal(outcome.succeeded.length, 0);
    assert.equal(outcome.failed.length, 100);
    assert.match(outcome.failed[0].error, /rejected the credentials/);
    assert.equal(outcome.notSent.length, 200);
    assert.match(outcome.notSent[0].reason, /stopped after an earlier error/);
    assert.equal(remaining.size, 300);
    assert.equal(batchRequests().length, 1);
  });

  it('stops after a 401 in the middle of a run, keeping what was deleted', async () => {
    sandbox.fault({ kind: 'status', status: 200, route: 'verify' }); // unrelated route: ignored
    sandbox.clearFaults();
    let batches = 0;
    const { outcome } = await run(300, {
      concurrency: 1,
      onProgress: () => {
        if (++batches === 1) sandbox.fault({ kind: 'authFail', status: 401 });
      },
    });
    assert.equal(outcome.succeeded.length, 100);
    assert.equal(outcome.failed.length, 100);
    assert.equal(outcome.notSent.length, 100);
    assert.equal(outcome.stoppedBy?.status, 401);
  });

  it('gives up after maxRetries during a 429 storm and sends nothing more', async () => {
    sandbox.fault({ kind: 'status', status: 429, times: Infinity });
    const { outcome } = await run(250, { concurrency: 1, maxRetries: 2 });
    assert.equal(outcome.stoppedBy?.kind, 'rateLimited');
    assert.equal(batchRequests().length, 3);
    assert.equal(outcome.failed.length, 100);
    assert.match(outcome.failed[0].error, /gave up after 3 attempts/);
    assert.ok(
      outcome.failed.every((failure) => !failure.possiblyDeleted),
      'a 429 deletes nothing',
    );
    assert.equal(outcome.notSent.length, 150);
  });

  it('does not stall for a retry-after longer than it waits', async () => {
    sandbox.fault({ kind: 'status', status: 429, retryAfter: 600 });
    const started = Date.now();
    const { outcome } = await run(5);
    assert.ok(Date.now() - started < 2000);
    assert.match(outcome.failed[0].error, /asks to wait 600 s/);
  });

  it('sends no further batch once cancelled, and lets the one in flight finish', async () => {
    const cancel = new AbortController();
    sandbox.setLatency(30);
    const { outcome } = await run(500, {
      concurrency: 1,
      signal: cancel.signal,
      onProgress: (step) => {
        if (step.batchesDone === 2) cancel.abort();
      },
    });
    assert.equal(outcome.cancelled, true);
    assert.equal(outcome.succeeded.length, 200);
    assert.equal(outcome.notSent.length, 300);
    assert.match(outcome.notSent[0].reason, /cancelled/);
    assert.equal(batchRequests().length, 2);
  });

  it('ends a batch waiting to retry when cancelled: unknown if it may have landed', async () => {
    const cancel = new AbortController();
    sandbox.fault({ kind: 'status', status: 503, times: Infinity });
    const { outcome } = await run(5, {
      signal: cancel.signal,
      maxRetries: 10,
      timing: { ...FAST_RETRIES, baseDelayMs: 200, maxDelayMs: 200 },
      onRetry: () => cancel.abort(),
    });
    assert.equal(outcome.failed.length, 5);
    assert.ok(outcome.failed.every((failure) => failure.possiblyDeleted));
    assert.match(outcome.failed[0].error, /outcome unknown/);
  });

  it('spaces request starts by the pacing interval, retries included', async () => {
    sandbox.fault({ kind: 'status', status: 503 });
    await run(40, { batchSize: 10, concurrency: 4, minIntervalMs: 60 });
    const starts = batchRequests().map((request) => request.receivedAt);
    assert.equal(starts.length, 5);
    for (let index = 1; index < starts.length; index++) {
      assert.ok(
        starts[index] - starts[index - 1] >= 55,
        `gap ${starts[index] - starts[index - 1]} ms`,
      );
    }
  });
});
