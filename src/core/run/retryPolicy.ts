import type { ApiError } from '../cloudflare/errors';

/** How long to wait between attempts; tests shorten these, users get the defaults. */
export interface RetryTiming {
  /** First back-off step; doubles per attempt. */
  baseDelayMs: number;
  /** Longest back-off step. */
  maxDelayMs: number;
  /** Longest `retry-after` we wait out; a longer one stops the run instead of stalling it. */
  maxRetryAfterSeconds: number;
  /** Source of randomness for jitter, replaceable for reproducible runs. */
  random: () => number;
}

export const DEFAULT_RETRY_TIMING: RetryTiming = {
  baseDelayMs: 500,
  maxDelayMs: 30_000,
  maxRetryAfterSeconds: 120,
  random: Math.random,
};

export type RetryDecision =
  { retry: true; delayMs: number; reason: string } | { retry: false; reason: string };

/** Decides whether the failed attempt number `attempt` (0-based) is tried again, and when. */
export function decideRetry(
  error: ApiError,
  attempt: number,
  maxRetries: number,
  timing: RetryTiming,
): RetryDecision {
  if (!error.retryable) return { retry: false, reason: error.message };
  if (attempt >= maxRetries) {
    return { retry: false, reason: `${error.message}; gave up after ${attempt + 1} attempts` };
  }

  if (error.kind === 'rateLimited' && error.retryAfterSeconds !== undefined) {
    if (error.retryAfterSeconds > timing.maxRetryAfterSeconds) {
      return {
        retry: false,
        reason: `Cloudflare is rate limiting and asks to wait ${error.retryAfterSeconds} s, longer than the ${timing.maxRetryAfterSeconds} s this run waits; try again later`,
      };
    }
    return {
      retry: true,
      delayMs: error.retryAfterSeconds * 1000,
      reason: `rate limited (HTTP 429); Cloudflare asks to wait ${error.retryAfterSeconds} s`,
    };
  }

  const step = Math.min(timing.maxDelayMs, timing.baseDelayMs * 2 ** attempt);
  const delayMs = Math.round(step / 2 + (timing.random() * step) / 2);
  return { retry: true, delayMs, reason: error.message };
}

/** Waits `ms`, or less when `signal` aborts first. */
export function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    if (signal?.aborted) return resolve();
    const timer = setTimeout(done, ms);
    function done() {
      clearTimeout(timer);
      signal?.removeEventListener('abort', done);
      resolve();
    }
    signal?.addEventListener('abort', done, { once: true });
  });
}
