import * as assert from 'node:assert/strict';
import type { Credentials } from '../../src/core/cloudflare/credentials';
import { renderReport } from '../../src/core/render/renderReport';
import { accountingProblems, buildReport } from '../../src/core/report';
import {
  deleteInBatches,
  type DeleteRunOptions,
  type DeleteRunOutcome,
} from '../../src/core/run/batchRun';
import { sampleMappings } from '../sandbox/samples';
import { startSandbox, type Fault, type Sandbox } from '../sandbox/server';
import { clientFor, FAST_RETRIES } from '../support/clients';

// Canary credentials: if any of these strings shows up in anything a person could see, a
// secret leaked. They are the sandbox's only valid credentials, so every run uses them.
const CANARY_TOKEN = 'canary-token-7c1e4f0a9b2d4e6f8a1c3e5f7a9b1d3f';
const CANARY_EMAIL = 'canary-operator@example.com';
const CANARY_KEY = 'canary-key-5e2f8a1b9c0d3e4f';
const CANARIES = [CANARY_TOKEN, CANARY_EMAIL, CANARY_KEY];

const METHODS: Credentials[] = [
  { authMethod: 'apiToken', apiToken: CANARY_TOKEN },
  { authMethod: 'globalApiKey', email: CANARY_EMAIL, apiKey: CANARY_KEY },
];

const TIMEOUT_MS = 250;

interface Scenario {
  name: string;
  faults?: Fault[];
  mappings?: number;
  /** IPs selected that have no mapping. */
  unmapped?: number;
  options?: Partial<DeleteRunOptions>;
  /** Sets up what needs the run's own hooks (a fault in the middle, a cancel). */
  during?: (sandbox: Sandbox, cancel: AbortController) => Partial<DeleteRunOptions>;
  expect: (outcome: DeleteRunOutcome, remaining: Set<string>) => void;
}

const everythingDeleted = (outcome: DeleteRunOutcome, remaining: Set<string>) => {
  assert.equal(outcome.failed.length, 0, JSON.stringify(outcome.failed.slice(0, 2)));
  assert.equal(remaining.size, 0);
};
const possiblyDeleted = (outcome: DeleteRunOutcome, remaining: Set<string>) => {
  assert.ok(outcome.failed.length > 0);
  assert.ok(outcome.failed.every((failure) => failure.possiblyDeleted));
  assert.equal(remaining.size, 0, 'the lost answer had deleted them');
};

const SCENARIOS: Scenario[] = [
  {
    name: '429 with retry-after',
    faults: [{ kind: 'status', status: 429, retryAfter: 1 }],
    expect: everythingDeleted,
  },
  {
    name: '429 without retry-after',
    faults: [{ kind: 'status', status: 429, times: 3 }],
    expect: everythingDeleted,
  },
  {
    name: 'a 429 storm longer than the retry budget',
    faults: [{ kind: 'status', status: 429, times: Infinity }],
    options: { concurrency: 1 },
    expect: (outcome, remaining) => {
      assert.equal(outcome.stoppedBy?.kind, 'rateLimited');
      assert.equal(outcome.succeeded.length, 0);
      assert.ok(
        outcome.failed.every((failure) => !failure.possiblyDeleted),
        '429 deletes nothing',
      );
      assert.ok(outcome.notSent.length > 0);
      assert.equal(remaining.size, 150);
    },
  },
  {
    name: '500, 502 and 503 bursts',
    faults: [500, 502, 503, 500].map((status) => ({ kind: 'status', status }) as Fault),
    expect: everythingDeleted,
  },
  {
    name: 'a connection reset before the server applies a batch',
    faults: [{ kind: 'reset', when: 'beforeApply', times: 2 }],
    expect: everythingDeleted,
  },
  {
    name: 'a connection reset after the server applies a batch',
    faults: [{ kind: 'reset', when: 'afterApply' }],
    expect: possiblyDeleted,
  },
  {
    name: 'a time-out after applying',
    faults: [{ kind: 'hang', when: 'afterApply' }],
    expect: possiblyDeleted,
  },
  {
    name: 'headers slower than the time-out',
    faults: [{ kind: 'slowHeaders', ms: TIMEOUT_MS * 8 }],
    expect: possiblyDeleted,
  },
  {
    name: 'slow headers and body within the time-out',
    faults: [
      { kind: 'slowHeaders', ms: TIMEOUT_MS / 3 },
      { kind: 'slowBody', ms: TIMEOUT_MS / 3 },
    ],
    expect: everythingDeleted,
  },
  { name: 'a truncated body', faults: [{ kind: 'truncated' }], expect: possiblyDeleted },
  {
    name: 'a body that is not JSON',
    faults: [{ kind: 'nonJson' }],
    expect: (outcome, remaining) => {
      // The sandbox answered instead of acting, but a client cannot know that from garbage.
      assert.equal(remaining.size, 0);
      assert.equal(outcome.succeeded.length, 150);
    },
  },
  {
    name: 'an HTML error page',
    faults: [{ kind: 'html', status: 502, times: 2 }],
    expect: everythingDeleted,
  },
  {
    name: 'success false with several errors',
    faults: [
      {
        kind: 'envelopeErrors',
        errors: [
          { code: 1004, message: 'first problem' },
          { code: 1005, message: 'second problem' },
        ],
      },
    ],
    options: { concurrency: 1 },
    expect: (outcome, remaining) => {
      assert.equal(outcome.stoppedBy?.kind, 'request');
      assert.match(outcome.failed[0].error, /first problem \(code 1004\); second problem/);
      assert.ok(outcome.failed.every((failure) => !failure.possiblyDeleted));
      assert.equal(outcome.notSent.length, 50);
      assert.equal(remaining.size, 150);
    },
  },
  {
    name: 'a 400 for more than 100 items',
    options: { batchSize: 150 },
    expect: (outcome, remaining) => {
      assert.equal(outcome.stoppedBy?.status, 400);
      assert.equal(outcome.failed.length, 150);
      assert.equal(remaining.size, 150);
    },
  },
  {
    name: 'a 401 in the middle of a run',
    options: { concurrency: 1, batchSize: 50 },
    during: (sandbox) => {
      let batches = 0;
      return {
        onProgress: () => {
          if (++batches === 1) sandbox.fault({ kind: 'authFail', status: 401, times: Infinity });
        },
      };
    },
    expect: (outcome, remaining) => {
      assert.equal(outcome.succeeded.length, 50);
      assert.equal(outcome.failed.length, 50);
      assert.equal(outcome.notSent.length, 50);
      assert.equal(remaining.size, 100);
    },
  },
  {
    name: 'cancellation in the middle of a run',
    options: { concurrency: 1, batchSize: 30 },
    during: (_sandbox, cancel) => ({
      onProgress: (step) => {
        if (step.batchesDone === 2) cancel.abort();
      },
    }),
    expect: (outcome, remaining) => {
      assert.equal(outcome.cancelled, true);
      assert.equal(outcome.succeeded.length, 60);
      assert.equal(outcome.notSent.length, 90);
      assert.equal(remaining.size, 90);
    },
  },
  {
    name: 'an answer of 50 MB',
    faults: [{ kind: 'huge', bytes: 50 * 1024 * 1024, times: Infinity }],
    options: { maxRetries: 1 },
    expect: (outcome, remaining) => {
      assert.match(outcome.failed[0].error, /larger than 8 MiB; stopped reading/);
      assert.equal(remaining.size, 150, 'the sandbox answered instead of deleting');
    },
  },
  {
    name: 'IPs without a mapping among mapped ones',
    unmapped: 20,
    expect: (outcome) => {
      assert.equal(outcome.failed.length, 20);
      assert.ok(outcome.failed.every((failure) => failure.error === 'mapping not found'));
    },
  },
];

describe("the fault suite: the report matches the sandbox's true state", () => {
  let sandbox: Sandbox;

  before(async () => {
    sandbox = await startSandbox({ token: CANARY_TOKEN, email: CANARY_EMAIL, apiKey: CANARY_KEY });
  });
  after(() => sandbox.close());

  /** Runs a deletion of seeded (and unmapped) IPs and checks every invariant against the sandbox. */
  async function runChecked(
    credentials: Credentials,
    mappingCount: number,
    unmapped: number,
    options: Partial<DeleteRunOptions>,
    arrange: () => void = () => undefined,
  ) {
    sandbox.reset();
    const mappings = sampleMappings(mappingCount);
    sandbox.seed(sandbox.zoneId, mappings);
    arrange();
    const originIps = [
      ...mappings.map((mapping) => mapping.originIp),
      ...sampleMappings(unmapped, mappingCount).map((mapping) => mapping.originIp),
    ];
    const api = clientFor(sandbox, { credentials, timeoutMs: TIMEOUT_MS });
    const seen: unknown[] = [];
    const started = Date.now();
    let outcome: DeleteRunOutcome;
    try {
      outcome = await deleteInBatches(api.client, {
        zoneId: sandbox.zoneId,
        originIps,
        batchSize: 100,
        concurrency: 2,
        maxRetries: 3,
        timing: FAST_RETRIES,
        ...options,
        onRetry: (notice) => {
          seen.push(notice);
          options.onRetry?.(notice);
        },
        onProgress: (progress) => {
          seen.push(progress);
          options.onProgress?.(progress);
        },
      });
    } finally {
      await api.close();
    }
    const elapsedMs = Date.now() - started;
    const remaining = new Set(sandbox.mappings().map((mapping) => mapping.originIp));
    const seeded = new Set(mappings.map((mapping) => mapping.originIp));

    assert.deepEqual(accountingProblems(outcome, originIps), [], 'every IP accounted for once');
    for (const { originIp } of outcome.succeeded) {
      assert.ok(!remaining.has(originIp), `${originIp} is reported deleted but is still there`);
    }
    for (const { originIp, error, possiblyDeleted } of outcome.failed) {
      if (seeded.has(originIp) && !remaining.has(originIp)) {
        assert.ok(
          possiblyDeleted,
          `${originIp} was deleted but reported as a plain failure: ${error}`,
        );
      }
    }
    for (const { originIp } of outcome.notSent) {
      if (seeded.has(originIp))
        assert.ok(remaining.has(originIp), `${originIp} was "not sent" but is gone`);
    }

    const visible = JSON.stringify([
      outcome,
      outcome.stoppedBy?.message,
      api.exchanges,
      seen,
      renderReport(buildReport(sandbox.zoneId, outcome, [])),
    ]);
    for (const canary of CANARIES)
      assert.ok(!visible.includes(canary), `a secret leaked: ${canary}`);
    return { outcome, remaining, elapsedMs };
  }

  for (const scenario of SCENARIOS) {
    for (const credentials of METHODS) {
      it(`${scenario.name} (${credentials.authMethod})`, async () => {
        const cancel = new AbortController();
        const during = scenario.during?.(sandbox, cancel) ?? {};
        const { outcome, remaining } = await runChecked(
          credentials,
          scenario.mappings ?? 150,
          scenario.unmapped ?? 0,
          { signal: cancel.signal, ...scenario.options, ...during },
          () => scenario.faults?.forEach((fault) => sandbox.fault(fault)),
        );
        scenario.expect(outcome, remaining);
      });
    }
  }

  describe('seeded random faults on 3,500 IPs', () => {
    const RANDOM_FAULTS: Fault[] = [
      { kind: 'status', status: 429, retryAfter: 0 },
      { kind: 'status', status: 429 },
      { kind: 'status', status: 500 },
      { kind: 'status', status: 502 },
      { kind: 'status', status: 503 },
      { kind: 'reset', when: 'beforeApply' },
      { kind: 'reset', when: 'afterApply' },
      { kind: 'hang', when: 'afterApply' },
      { kind: 'slowBody', ms: 20 },
      { kind: 'truncated' },
      { kind: 'nonJson' },
      { kind: 'html', status: 502 },
    ];

    for (let seed = 1; seed <= 20; seed++) {
      it(`keeps every invariant with seed ${seed}`, async () => {
        const random = mulberry32(seed);
        const maxRetries = 4;
        const concurrency = 2;
        const batches = Math.ceil(3500 / 100);
        // Each attempt costs at most the time-out plus its back-off; batches run two at a time.
        const boundMs =
          Math.ceil(batches / concurrency) *
            (maxRetries + 1) *
            (TIMEOUT_MS + FAST_RETRIES.maxDelayMs) +
          2000;

        const credentials = METHODS[seed % 2];
        const { elapsedMs, outcome } = await runChecked(
          credentials,
          3500,
          0,
          { maxRetries, concurrency, timing: { ...FAST_RETRIES, random } },
          () =>
            sandbox.setFaultPlan((route) =>
              route === 'batchDelete' && random() < 0.3
                ? RANDOM_FAULTS[Math.floor(random() * RANDOM_FAULTS.length)]
                : undefined,
            ),
        );
        assert.ok(elapsedMs < boundMs, `took ${elapsedMs} ms, bound ${boundMs} ms`);
        assert.ok(outcome.succeeded.length > 0, 'faults are drawn, not permanent');
      });
    }

    function mulberry32(seed: number): () => number {
      let state = seed >>> 0;
      return () => {
        state = (state + 0x6d2b79f5) >>> 0;
        let t = state;
        t = Math.imul(t ^ (t >>> 15), t | 1);
        t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
        return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
      };
    }
  });
});
