import { ApiError } from '../cloudflare/errors';
import type { BatchDeleteResult, Mapping } from '../cloudflare/responses';
import type { DeletedMapping, DeletionOutcome, FailedIp, NotSentIp } from '../report';
import { DEFAULT_RETRY_TIMING, decideRetry, sleep, type RetryTiming } from './retryPolicy';

/** What a deletion needs of the Cloudflare client. */
export interface BatchDeleter {
  batchDelete(zoneId: string, originIps: readonly string[]): Promise<BatchDeleteResult>;
}

/** What a restore needs of the Cloudflare client. */
export interface BatchWriter {
  batchPut(zoneId: string, mappings: readonly Mapping[]): Promise<BatchDeleteResult>;
}

export interface BatchProgress {
  batchesDone: number;
  batchesTotal: number;
  deleted: number;
  failed: number;
  /** Set while the run waits, e.g. for a rate limit; cleared by the next progress. */
  waiting?: string;
}

export interface RetryNotice {
  batch: number;
  attempt: number;
  delayMs: number;
  reason: string;
}

export interface DeleteRunOptions {
  zoneId: string;
  /** Distinct IPs in canonical form, in the order the user wrote them. */
  originIps: readonly string[];
  batchSize: number;
  concurrency: number;
  maxRetries: number;
  /** Least time between two request starts (retries included), to pace large runs. */
  minIntervalMs?: number;
  /** Aborting sends no further batch; requests in flight finish and are reported. */
  signal?: AbortSignal;
  timing?: RetryTiming;
  onProgress?: (progress: BatchProgress) => void;
  onRetry?: (notice: RetryNotice) => void;
  /**
   * Called with each batch's outcome before it is counted or reported; the run waits for it.
   * The journal writes deleted mappings to disk here. If it throws, no further batch is sent.
   */
  onBatchSettled?: (outcome: DeletionOutcome) => Promise<void> | void;
  /**
   * IPs that an earlier run may have deleted (its answer was lost): Cloudflare's "not found"
   * for them is reported as possibly deleted, as it is for a retried batch, not as a failure.
   */
  possiblyDeleted?: ReadonlySet<string>;
}

export interface DeleteRunOutcome extends DeletionOutcome {
  /** The error that stopped the run before every batch was sent, if any. */
  stoppedBy?: ApiError;
  cancelled: boolean;
}

/** Splits IPs into consecutive batches of at most `batchSize`. */
export function planBatches<T>(items: readonly T[], batchSize: number): T[][] {
  const size = Math.max(1, Math.floor(batchSize));
  const batches: T[][] = [];
  for (let start = 0; start < items.length; start += size) {
    batches.push(items.slice(start, start + size));
  }
  return batches;
}

const NOT_FOUND = /not.?found|does not exist|no mapping/i;

/**
 * Deletes the mappings of `originIps` in batches, `concurrency` requests at a time, retrying
 * what may succeed on a second try. Every IP ends up in exactly one list of the outcome.
 */
export function deleteInBatches(
  deleter: BatchDeleter,
  options: DeleteRunOptions,
): Promise<DeleteRunOutcome> {
  return runInBatches((batch) => deleter.batchDelete(options.zoneId, batch), 'delete', options);
}

/**
 * Puts mappings back (batch upsert), with the same batching, retries, pacing and cancellation
 * as a deletion. An upsert is idempotent, so a retried one needs no special reading.
 */
export function restoreInBatches(
  writer: BatchWriter,
  mappings: readonly Mapping[],
  options: Omit<DeleteRunOptions, 'originIps'>,
): Promise<DeleteRunOutcome> {
  const byIp = new Map(mappings.map((mapping) => [mapping.originIp, mapping]));
  return runInBatches(
    (batch) =>
      writer.batchPut(
        options.zoneId,
        batch.map((originIp) => byIp.get(originIp)!),
      ),
    'restore',
    { ...options, originIps: [...byIp.keys()] },
  );
}

async function runInBatches(
  send: (batch: readonly string[]) => Promise<BatchDeleteResult>,
  action: 'delete' | 'restore',
  options: DeleteRunOptions,
): Promise<DeleteRunOutcome> {
  const pastTense = action === 'delete' ? 'deleted' : 'restored';
  const timing = options.timing ?? DEFAULT_RETRY_TIMING;
  const batches = planBatches(options.originIps, options.batchSize);
  const succeeded: DeletedMapping[] = [];
  const failed: FailedIp[] = [];
  const notSent: NotSentIp[] = [];
  let stoppedBy: ApiError | undefined;
  let pausedUntil = 0;
  let nextStartAt = 0;
  let next = 0;
  let batchesDone = 0;

  const progress = (waiting?: string) =>
    options.onProgress?.({
      batchesDone,
      batchesTotal: batches.length,
      deleted: succeeded.length,
      failed: failed.length,
      waiting,
    });

  const halted = () => stoppedBy !== undefined || options.signal?.aborted === true;
  const haltReason = () =>
    stoppedBy
      ? `not sent: the run stopped after an earlier error (${stoppedBy.message})`
      : 'not sent: the run was cancelled';

  /** Ends a batch that got no definite answer: unknown if an attempt may have landed. */
  const abandon = (
    batch: readonly string[],
    uncertain: boolean,
    reason: string,
    into: DeletionOutcome,
  ) => {
    if (uncertain) {
      for (const originIp of batch) {
        into.failed.push({
          originIp,
          error: `outcome unknown: an attempt got no usable answer and may have ${pastTense} it (${reason})`,
          possiblyDeleted: true,
        });
      }
    } else {
      for (const originIp of batch) into.notSent.push({ originIp, reason });
    }
  };

  /** Hands a batch's outcome to `onBatchSettled` (the journal) before it counts as reported. */
  const settle = async (outcome: DeletionOutcome) => {
    try {
      await options.onBatchSettled?.(outcome);
    } catch (error) {
      stoppedBy ??= new ApiError('config', `could not record the batch: ${String(error)}`);
    }
    succeeded.push(...outcome.succeeded);
    failed.push(...outcome.failed);
    notSent.push(...outcome.notSent);
  };

  /** Waits out a rate limit pause and the pacing interval; taking a turn reserves the next. */
  const waitForTurn = async () => {
    for (;;) {
      const wait = Math.max(pausedUntil, nextStartAt) - Date.now();
      if (wait <= 0 || halted()) break;
      await sleep(wait, options.signal);
    }
    nextStartAt = Date.now() + (options.minIntervalMs ?? 0);
  };

  const runBatch = async (batch: readonly string[], batchNumber: number, into: DeletionOutcome) => {
    let uncertain = false;
    for (let attempt = 0; ; attempt++) {
      await waitForTurn();
      if (halted()) return abandon(batch, uncertain, haltReason(), into);

      try {
        const result = await send(batch);
        const mayBeGone = (originIp: string) =>
          action === 'delete' && (uncertain || options.possiblyDeleted?.has(originIp) === true);
        recordAnswer(batch, result, mayBeGone, into.succeeded, into.failed);
        return;
      } catch (error) {
        const apiError = error instanceof ApiError ? error : new ApiError('network', String(error));
        if (apiError.mayHaveApplied) uncertain = true;
        const decision = decideRetry(apiError, attempt, options.maxRetries, timing);
        if (!decision.retry) {
          stoppedBy ??= apiError;
          if (uncertain) return abandon(batch, true, decision.reason, into);
          for (const originIp of batch) into.failed.push({ originIp, error: decision.reason });
          return;
        }
        if (apiError.kind === 'rateLimited') {
          pausedUntil = Math.max(pausedUntil, Date.now() + decision.delayMs);
          progress(`Rate limited: waiting ${Math.ceil(decision.delayMs / 1000)} s`);
        }
        options.onRetry?.({
          batch: batchNumber,
          attempt: attempt + 1,
          delayMs: decision.delayMs,
          reason: decision.reason,
        });
        await sleep(decision.delayMs, options.signal);
      }
    }
  };

  const worker = async () => {
    while (next < batches.length) {
      const batchNumber = next++;
      const batch = batches[batchNumber];
      const outcome: DeletionOutcome = { succeeded: [], failed: [], notSent: [] };
      if (halted()) {
        abandon(batch, false, haltReason(), outcome);
        await settle(outcome);
        continue;
      }
      await runBatch(batch, batchNumber + 1, outcome);
      await settle(outcome);
      batchesDone++;
      progress();
    }
  };

  const workers = Math.max(1, Math.min(options.concurrency, batches.length));
  await Promise.all(Array.from({ length: workers }, worker));

  const order = new Map(options.originIps.map((originIp, index) => [originIp, index]));
  const bySelection = (a: { originIp: string }, b: { originIp: string }) =>
    (order.get(a.originIp) ?? 0) - (order.get(b.originIp) ?? 0);
  return {
    succeeded: succeeded.sort(bySelection),
    failed: failed.sort(bySelection),
    notSent: notSent.sort(bySelection),
    stoppedBy,
    cancelled: options.signal?.aborted === true,
  };
}

/**
 * Files each IP of an answered batch; IPs the answer forgot are failures, never silence.
 * `mayBeGone`: an IP whose deletion an earlier attempt, which got no answer, may have made, so
 * "not found" may mean that attempt deleted it.
 */
function recordAnswer(
  batch: readonly string[],
  result: BatchDeleteResult,
  mayBeGone: (originIp: string) => boolean,
  succeeded: DeletedMapping[],
  failed: FailedIp[],
) {
  const pending = new Set(batch);
  for (const mapping of result.succeeded) {
    if (pending.delete(mapping.originIp)) succeeded.push(mapping);
  }
  for (const item of result.failed) {
    if (!pending.delete(item.originIp)) continue;
    if (mayBeGone(item.originIp) && NOT_FOUND.test(item.error)) {
      failed.push({
        originIp: item.originIp,
        error: `not found on retry: an earlier attempt, which got no answer, may have deleted it (Cloudflare: ${item.error})`,
        possiblyDeleted: true,
      });
    } else {
      failed.push(item);
    }
  }
  for (const originIp of pending) {
    failed.push({
      originIp,
      error: "Cloudflare's answer did not mention this IP; check the zone",
      possiblyDeleted: true,
    });
  }
}
