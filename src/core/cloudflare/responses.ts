import { canonicalIp } from '../ip/extract';
import type { DeletedMapping, FailedIp } from '../report';
import { ApiError, describeCloudflareErrors, type CloudflareMessage } from './errors';

/** Cloudflare's response envelope, as far as we rely on it. */
export interface Envelope {
  success: boolean;
  errors: CloudflareMessage[];
  result: unknown;
  resultInfo?: { page: number; totalPages: number; totalCount?: number };
}

export interface AnswerMeta {
  status: number;
  contentType: string;
  cfRay?: string;
  retryAfterSeconds?: number;
}

/**
 * Turns one HTTP answer into the envelope, or throws an ApiError that says what happened.
 * Non-JSON answers (proxy error pages, truncated bodies) become `badResponse` or the status's kind.
 */
export function readEnvelope(bodyText: string, meta: AnswerMeta): Envelope {
  const envelope = parseEnvelope(bodyText);
  const details = {
    status: meta.status,
    errors: envelope?.errors ?? [],
    cfRay: meta.cfRay,
    retryAfterSeconds: meta.retryAfterSeconds,
  };
  const cloudflareSays = envelope?.errors.length
    ? `: ${describeCloudflareErrors(envelope.errors)}`
    : '';

  if (meta.status === 401 || (meta.status === 403 && !refusesOnlyForLimits(envelope))) {
    throw new ApiError(
      'auth',
      `Cloudflare rejected the credentials (HTTP ${meta.status}${cloudflareSays})`,
      details,
    );
  }
  if (meta.status === 429) {
    throw new ApiError('rateLimited', `Cloudflare is rate limiting requests (HTTP 429)`, details);
  }
  if (meta.status >= 500) {
    throw new ApiError(
      'server',
      `Cloudflare answered with a server error (HTTP ${meta.status}${cloudflareSays || describeNonJson(bodyText, meta)})`,
      details,
    );
  }
  if (!envelope) {
    throw new ApiError(
      'badResponse',
      `Cloudflare's answer could not be read (HTTP ${meta.status}${describeNonJson(bodyText, meta)})`,
      details,
    );
  }
  if (meta.status >= 400 || !envelope.success) {
    const what = cloudflareSays || ` (HTTP ${meta.status}, no error message)`;
    throw new ApiError('request', `Cloudflare refused the request${what}`, details);
  }
  return envelope;
}

/** 403 codes that say nothing about the credentials: the zone already holds 3,500 mappings. */
const LIMIT_CODES = new Set([1164]);

function refusesOnlyForLimits(envelope: Envelope | undefined): boolean {
  const errors = envelope?.errors ?? [];
  return errors.length > 0 && errors.every((error) => LIMIT_CODES.has(error.code));
}

function parseEnvelope(bodyText: string): Envelope | undefined {
  let parsed: unknown;
  try {
    parsed = JSON.parse(bodyText);
  } catch {
    return undefined;
  }
  if (!isRecord(parsed) || typeof parsed.success !== 'boolean') return undefined;
  const errors = Array.isArray(parsed.errors) ? parsed.errors.filter(isCloudflareMessage) : [];
  const info = isRecord(parsed.result_info) ? parsed.result_info : undefined;
  const resultInfo =
    info && typeof info.page === 'number' && typeof info.total_pages === 'number'
      ? {
          page: info.page,
          totalPages: info.total_pages,
          ...(typeof info.total_count === 'number' ? { totalCount: info.total_count } : {}),
        }
      : undefined;
  return { success: parsed.success, errors, result: parsed.result, resultInfo };
}

function describeNonJson(bodyText: string, meta: AnswerMeta): string {
  if (bodyText.length === 0) return ', empty body';
  if (/html/i.test(meta.contentType) || /^\s*<(!doctype|html)/i.test(bodyText)) {
    const title = /<title>([^<]{1,120})<\/title>/i.exec(bodyText)?.[1]?.trim();
    return title ? `, an HTML page: "${title}"` : ', an HTML page instead of JSON';
  }
  return ', not valid JSON: possibly cut short';
}

/** The per-IP result of a batch delete or upsert, in either of Cloudflare's two shapes. */
export interface BatchDeleteResult {
  succeeded: DeletedMapping[];
  failed: FailedIp[];
}

/**
 * Reads a batch delete result: the current `{succeeded, failed}` with `origin_ip`, or the
 * deprecated family's `{value: {succeeded, failed}}` with `origin-ip`.
 */
export function readBatchDeleteResult(result: unknown, call = 'batch delete'): BatchDeleteResult {
  const lists = isRecord(result) && isRecord(result.value) ? result.value : result;
  if (!isRecord(lists) || !Array.isArray(lists.succeeded) || !Array.isArray(lists.failed)) {
    throw new ApiError(
      'badResponse',
      `Cloudflare answered the ${call} without the expected succeeded and failed lists`,
    );
  }
  const succeeded = lists.succeeded.map((item) => {
    const originIp = originIpOf(item);
    const mapping: DeletedMapping = { originIp };
    if (isRecord(item) && typeof item.vendor === 'string') mapping.vendor = item.vendor;
    if (isRecord(item) && typeof item.region === 'string') mapping.region = item.region;
    return mapping;
  });
  const failed = lists.failed.map((item) => ({
    originIp: originIpOf(item),
    error:
      isRecord(item) && typeof item.error === 'string'
        ? item.error
        : 'not deleted (no reason given)',
  }));
  return { succeeded, failed };
}

function originIpOf(item: unknown): string {
  const value = isRecord(item) ? (item.origin_ip ?? item['origin-ip']) : undefined;
  if (typeof value !== 'string') {
    throw new ApiError('badResponse', 'Cloudflare answered with an item that names no origin IP');
  }
  // Cloudflare documents canonical IPs; read again so that an answer in another spelling
  // still matches the IP that was sent, and a deletion is never filed as a failure.
  return canonicalIp(value) ?? value;
}

/** A mapping as Cloudflare stores it. */
export interface Mapping {
  originIp: string;
  vendor: string;
  region: string;
  modifiedOn?: string;
}

/** Reads one mapping, or a page of them, from the list and get endpoints. */
export function readMapping(item: unknown): Mapping {
  if (!isRecord(item) || typeof item.vendor !== 'string' || typeof item.region !== 'string') {
    throw new ApiError(
      'badResponse',
      'Cloudflare answered with a mapping without vendor and region',
    );
  }
  const mapping: Mapping = { originIp: originIpOf(item), vendor: item.vendor, region: item.region };
  if (typeof item.modified_on === 'string') mapping.modifiedOn = item.modified_on;
  return mapping;
}

export function readMappings(result: unknown): Mapping[] {
  if (!Array.isArray(result)) {
    throw new ApiError('badResponse', 'Cloudflare answered the mapping list without a list');
  }
  return result.map(readMapping);
}

/** A zone as listed by `GET /zones`. */
export interface Zone {
  id: string;
  name: string;
}

/** Reads one page of `GET /zones`. */
export function readZones(result: unknown): Zone[] {
  if (!Array.isArray(result)) {
    throw new ApiError('badResponse', 'Cloudflare answered the zone list without a list');
  }
  return result.flatMap((item) =>
    isRecord(item) && typeof item.id === 'string' && typeof item.name === 'string'
      ? [{ id: item.id, name: item.name }]
      : [],
  );
}

function isCloudflareMessage(value: unknown): value is CloudflareMessage {
  return isRecord(value) && typeof value.code === 'number' && typeof value.message === 'string';
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
