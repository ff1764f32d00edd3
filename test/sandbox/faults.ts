import type { ApiError } from './errors';
import type { RouteName } from './routes';

/** Which requests a fault applies to: one route, or every request. */
export type FaultRoute = RouteName | 'any';

/**
 * Before the sandbox acts on the request (nothing changes), or after (the change is real and
 * only the answer is lost): the difference a client's retry logic must survive.
 */
export type FaultMoment = 'beforeApply' | 'afterApply';

interface FaultTarget {
  /** Default 'batchDelete', the call the extension exists for. */
  route?: FaultRoute;
  /** How many matching requests it spoils; default 1, Infinity allowed. */
  times?: number;
}

/**
 * A way for the next matching request to go wrong. Faults that name no moment replace the
 * answer before the sandbox acts, except `slowHeaders`, `slowBody` and `truncated`, which act
 * first and then deliver the real answer badly.
 */
export type Fault = FaultTarget &
  (
    | {
        /** An envelope error with this status; `retryAfter` (seconds) adds the header. */
        kind: 'status';
        status: number;
        retryAfter?: number;
      }
    | {
        /** The socket is reset (RST) without any answer. */
        kind: 'reset';
        when: FaultMoment;
      }
    | {
        /** No answer ever; only the client's time-out, or `close()`, ends the request. */
        kind: 'hang';
        when: FaultMoment;
      }
    | {
        /** The real answer, its headers held back `ms` after the request was acted on. */
        kind: 'slowHeaders';
        ms: number;
      }
    | {
        /** Headers at once; the body `ms` later, as two separate chunks. */
        kind: 'slowBody';
        ms: number;
      }
    | {
        /** The real status and content-length, then half the body, then the socket ends. */
        kind: 'truncated';
      }
    | {
        /** A text/plain body that is not JSON; status default 200. */
        kind: 'nonJson';
        status?: number;
      }
    | {
        /** An HTML error page like a proxy's; status default 502. */
        kind: 'html';
        status?: number;
      }
    | {
        /** `success: false` with these errors; status default 400. */
        kind: 'envelopeErrors';
        errors: ApiError[];
        status?: number;
      }
    | {
        /**
         * A 200 JSON envelope of exactly `bytes` bytes, streamed. `chunked` leaves out the
         * content-length so only counting the bytes read can stop it.
         */
        kind: 'huge';
        bytes: number;
        chunked?: boolean;
      }
    | {
        /** Credentials rejected on this request only; status default `authFailureStatus`. */
        kind: 'authFail';
        status?: 401 | 403;
      }
  );

export type FaultKind = Fault['kind'];

interface QueuedFault {
  fault: Fault;
  remaining: number;
}

/** Faults waiting for their requests, applied in the order they were queued. */
export class FaultQueue {
  private queue: QueuedFault[] = [];

  add(fault: Fault): void {
    const times = fault.times ?? 1;
    if (!(times === Infinity || (Number.isInteger(times) && times >= 1))) {
      throw new Error(`A fault's times must be a positive integer or Infinity, not ${times}`);
    }
    this.queue.push({ fault, remaining: times });
  }

  /** The fault this request gets, if any; each call uses one of that fault's times. */
  take(route: RouteName | undefined): Fault | undefined {
    const index = this.queue.findIndex(({ fault }) => matches(fault.route, route));
    if (index < 0) {
      return undefined;
    }

    const queued = this.queue[index];
    queued.remaining -= 1;
    if (queued.remaining <= 0) {
      this.queue.splice(index, 1);
    }
    return queued.fault;
  }

  get pending(): number {
    return this.queue.length;
  }

  clear(): void {
    this.queue = [];
  }
}

function matches(target: FaultRoute | undefined, route: RouteName | undefined): boolean {
  const wanted = target ?? 'batchDelete';
  return wanted === 'any' || wanted === route;
}

/** Whether the sandbox acts on the request before this fault spoils the answer. */
export function appliesFirst(fault: Fault): boolean {
  switch (fault.kind) {
    case 'reset':
    case 'hang':
      return fault.when === 'afterApply';
    case 'slowHeaders':
    case 'slowBody':
    case 'truncated':
      return true;
    default:
      return false;
  }
}

export interface RateLimit {
  limit: number;
  windowMs: number;
}

/**
 * Cloudflare's budget: a fixed window, and once it is spent every call is refused for the rest
 * of the window.
 */
export class RateLimiter {
  private windowStart = 0;
  private used = 0;

  constructor(private readonly rateLimit: RateLimit) {}

  /** Counts one request; answers how many seconds to wait when it is over the limit. */
  take(now: number): { retryAfterSeconds: number } | undefined {
    if (now - this.windowStart >= this.rateLimit.windowMs) {
      this.windowStart = now;
      this.used = 0;
    }

    this.used += 1;
    if (this.used <= this.rateLimit.limit) {
      return undefined;
    }
    const remainingMs = this.windowStart + this.rateLimit.windowMs - now;
    return { retryAfterSeconds: Math.max(1, Math.ceil(remainingMs / 1000)) };
  }
}
