/**
 * What went wrong with one request, sorted by what the caller should do about it.
 *
 * - `auth`: the credentials were rejected (401/403); never retried, the run stops.
 * - `rateLimited`: HTTP 429; retried after `retry-after`.
 * - `server`: HTTP 5xx; retried with back-off.
 * - `network`: no answer (reset, refused, DNS); retried.
 * - `timeout`: no answer in time; retried.
 * - `badResponse`: an answer we cannot read (HTML, truncated, not our shape); retried.
 * - `request`: any other 4xx; Cloudflare refused the request itself; not retried.
 * - `config`: refused before sending (bad URL or zone ID); nothing was sent.
 */
export type ApiErrorKind =
  'auth' | 'rateLimited' | 'server' | 'network' | 'timeout' | 'badResponse' | 'request' | 'config';

export interface CloudflareMessage {
  code: number;
  message: string;
}

export interface ApiErrorDetails {
  status?: number;
  errors?: CloudflareMessage[];
  cfRay?: string;
  retryAfterSeconds?: number;
}

export class ApiError extends Error {
  /** A brand for isApiError: the bundles each hold their own copy of this class. */
  readonly isApiError = true;
  readonly status?: number;
  readonly errors: CloudflareMessage[];
  readonly cfRay?: string;
  readonly retryAfterSeconds?: number;

  constructor(
    readonly kind: ApiErrorKind,
    message: string,
    details: ApiErrorDetails = {},
  ) {
    super(message);
    this.name = 'ApiError';
    this.status = details.status;
    this.errors = details.errors ?? [];
    this.cfRay = details.cfRay;
    this.retryAfterSeconds = details.retryAfterSeconds;
  }

  /** True when sending the same request again may succeed. */
  get retryable(): boolean {
    return ['rateLimited', 'server', 'network', 'timeout', 'badResponse'].includes(this.kind);
  }

  /**
   * True when the server may have applied the request although we got no usable answer.
   * A 429 is refused before any work, and 4xx answers are judgements of the request itself.
   */
  get mayHaveApplied(): boolean {
    return ['server', 'network', 'timeout', 'badResponse'].includes(this.kind);
  }
}

/** Formats Cloudflare's error list as `message (code N); ...`. */
export function describeCloudflareErrors(errors: readonly CloudflareMessage[]): string {
  return errors.map((error) => `${error.message} (code ${error.code})`).join('; ');
}

/**
 * True for an ApiError from any bundle. dist/network.js and dist/extension.js each carry a copy
 * of the class, so `instanceof` across them is always false; the glue must ask this instead.
 */
export function isApiError(value: unknown): value is ApiError {
  return (value as { isApiError?: unknown } | null)?.isApiError === true;
}
