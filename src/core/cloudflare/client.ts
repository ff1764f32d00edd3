import type * as Undici from 'undici';
import type { Dispatcher } from './undici';
import { isZoneId } from '../settings';
import { authHeaders, redact, secretsOf, type Credentials } from './credentials';
import { ApiError } from './errors';
import {
  readBatchDeleteResult,
  readEnvelope,
  readMapping,
  readMappings,
  readZones,
  type BatchDeleteResult,
  type Envelope,
  type Mapping,
  type Zone,
} from './responses';

/** One request and its answer (or failure), as the log shows it. No secrets in here. */
export interface Exchange {
  method: string;
  path: string;
  status?: number;
  durationMs: number;
  cfRay?: string;
  error?: string;
}

export interface ClientOptions {
  baseUrl: string;
  credentials: Credentials;
  dispatcher: Dispatcher;
  timeoutMs: number;
  userAgent: string;
  /** Stop reading an answer past this many bytes; Cloudflare's largest here is far smaller. */
  maxResponseBytes?: number;
  onExchange?: (exchange: Exchange) => void;
}

const DEFAULT_MAX_RESPONSE_BYTES = 8 * 1024 * 1024;

/** A small Cloudflare API client: each call is one request, without retries (see run/). */
export class CloudflareClient {
  private readonly origin: string;
  private readonly basePath: string;
  private readonly secrets: string[];

  constructor(private readonly options: ClientOptions) {
    const url = new URL(options.baseUrl);
    this.origin = url.origin;
    this.basePath = url.pathname.replace(/\/+$/, '');
    this.secrets = secretsOf(options.credentials);
  }

  /** Checks the credentials: `GET /user/tokens/verify` for a token, `GET /user` for a global key. */
  async verifyCredentials(): Promise<void> {
    if (this.options.credentials.authMethod === 'globalApiKey') {
      await this.call('GET', '/user');
      return;
    }
    const { result } = await this.call('GET', '/user/tokens/verify');
    const status = (result as { status?: unknown } | null)?.status;
    if (status !== 'active') {
      throw new ApiError('auth', `The API token is not active (status: ${String(status)})`);
    }
  }

  /** One page of the zones these credentials can read. */
  async listZones(page: number, perPage = 50): Promise<{ zones: Zone[]; totalPages: number }> {
    const envelope = await this.call('GET', `/zones?page=${page}&per_page=${perPage}`);
    return { zones: readZones(envelope.result), totalPages: envelope.resultInfo?.totalPages ?? 1 };
  }

  /** Every zone these credentials can read, page after page. */
  async listAllZones(): Promise<Zone[]> {
    const zones: Zone[] = [];
    for (let page = 1; ; page++) {
      const { zones: onPage, totalPages } = await this.listZones(page);
      zones.push(...onPage);
      if (page >= totalPages || onPage.length === 0) return zones;
    }
  }

  /** One page of a zone's mappings, 100 at most. */
  async listMappings(
    zoneId: string,
    page: number,
    perPage = 100,
  ): Promise<{ mappings: Mapping[]; totalPages: number; totalCount?: number }> {
    let envelope;
    try {
      envelope = await this.call(
        'GET',
        `${zonePath(zoneId)}/origin/cloud_regions?page=${page}&per_page=${perPage}`,
      );
    } catch (error) {
      // Cloudflare documents 404 with code 1142 for a zone that holds no mappings at all.
      if (isNoMappings(error, 'list')) return { mappings: [], totalPages: 1, totalCount: 0 };
      throw error;
    }
    return {
      mappings: readMappings(envelope.result),
      totalPages: envelope.resultInfo?.totalPages ?? 1,
      totalCount: envelope.resultInfo?.totalCount,
    };
  }

  /** The mapping of one IP, or undefined when it has none. */
  async getMapping(zoneId: string, originIp: string): Promise<Mapping | undefined> {
    try {
      const envelope = await this.call(
        'GET',
        `${zonePath(zoneId)}/origin/cloud_regions/${ipPath(originIp)}`,
      );
      return readMapping(envelope.result);
    } catch (error) {
      if (isNoMappings(error, 'get')) return undefined;
      throw error;
    }
  }

  /** Creates or replaces up to 100 mappings in one request (a merge: others stay). */
  async batchPut(zoneId: string, mappings: readonly Mapping[]): Promise<BatchDeleteResult> {
    const body = mappings.map(({ originIp, vendor, region }) => ({
      origin_ip: originIp,
      vendor,
      region,
    }));
    const envelope = await this.call(
      'PUT',
      `${zonePath(zoneId)}/origin/cloud_regions/batch`,
      JSON.stringify(body),
    );
    return readBatchDeleteResult(envelope.result, 'batch upsert');
  }

  /** Deletes the mappings of up to 100 IPs in one request; each IP is judged on its own. */
  async batchDelete(zoneId: string, originIps: readonly string[]): Promise<BatchDeleteResult> {
    const envelope = await this.call(
      'DELETE',
      `${zonePath(zoneId)}/origin/cloud_regions/batch`,
      JSON.stringify(originIps),
    );
    return readBatchDeleteResult(envelope.result);
  }

  private async call(method: string, path: string, body?: string): Promise<Envelope> {
    const started = performance.now();
    const exchange: Exchange = { method, path: path.replace(/\?.*$/, ''), durationMs: 0 };
    try {
      const answer = await this.send(method, path, body);
      exchange.status = answer.status;
      exchange.cfRay = answer.cfRay;
      return readEnvelope(answer.bodyText, answer);
    } catch (error) {
      const apiError = this.toApiError(error);
      exchange.error = apiError.message;
      throw apiError;
    } finally {
      exchange.durationMs = Math.round(performance.now() - started);
      this.options.onExchange?.(exchange);
    }
  }

  private async send(method: string, path: string, body?: string) {
    const headers: Record<string, string> = {
      ...authHeaders(this.options.credentials),
      accept: 'application/json',
      'user-agent': this.options.userAgent,
    };
    if (body !== undefined) headers['content-type'] = 'application/json';

    const response = await this.options.dispatcher.request({
      origin: this.origin,
      path: this.basePath + path,
      method: method as Undici.Dispatcher.HttpMethod,
      headers,
      body,
      // undici closes the connection after a DELETE with a body, in case a server misreads it;
      // Cloudflare's batch delete is defined with one, so the connection stays in the pool.
      reset: false,
      headersTimeout: this.options.timeoutMs,
      bodyTimeout: this.options.timeoutMs,
    });
    const cfRay = headerValue(response.headers['cf-ray']);
    const retryAfter = Number(headerValue(response.headers['retry-after']));
    const meta = {
      status: response.statusCode,
      contentType: headerValue(response.headers['content-type']) ?? '',
      cfRay,
      retryAfterSeconds: Number.isFinite(retryAfter) && retryAfter >= 0 ? retryAfter : undefined,
    };
    const bodyText = await readCapped(
      response.body,
      this.options.maxResponseBytes ?? DEFAULT_MAX_RESPONSE_BYTES,
      meta,
    );
    return { ...meta, bodyText };
  }

  /** Maps any failure to an ApiError whose message is safe to show: secrets are redacted. */
  private toApiError(error: unknown): ApiError {
    if (error instanceof ApiError) {
      return error.message.includes('[redacted]') ? error : redactApiError(error, this.secrets);
    }
    const code = (error as { code?: string } | null)?.code ?? '';
    const host = new URL(this.origin).host;
    const text = redact(String((error as Error)?.message ?? error), this.secrets);
    switch (code) {
      case 'UND_ERR_HEADERS_TIMEOUT':
      case 'UND_ERR_BODY_TIMEOUT':
      case 'UND_ERR_CONNECT_TIMEOUT':
        return new ApiError(
          'timeout',
          `No answer from ${host} within ${seconds(this.options.timeoutMs)} s`,
        );
      case 'ECONNREFUSED':
        return new ApiError('network', `Could not connect to ${host}: connection refused`);
      case 'ENOTFOUND':
      case 'EAI_AGAIN':
        return new ApiError(
          'network',
          `Could not resolve ${host}: check the network or proxy settings`,
        );
      case 'UND_ERR_SOCKET':
      case 'ECONNRESET':
      case 'EPIPE':
      case 'UND_ERR_RES_CONTENT_LENGTH_MISMATCH':
        return new ApiError(
          'network',
          `The connection to ${host} closed before the answer was complete`,
        );
      default:
        return new ApiError(
          'network',
          `Request to ${host} failed: ${text}${code ? ` (${code})` : ''}`,
        );
    }
  }
}

function redactApiError(error: ApiError, secrets: readonly string[]): ApiError {
  const message = redact(error.message, secrets);
  if (message === error.message) return error;
  return new ApiError(error.kind, message, error);
}

function seconds(ms: number): string {
  return ms >= 10_000 ? String(Math.round(ms / 1000)) : String(Math.round(ms / 100) / 10);
}

/** An IP as a path segment; only canonical IPs (hex digits, dots, colons) are ever sent. */
function ipPath(originIp: string): string {
  if (!/^[0-9a-f.:]+$/i.test(originIp)) {
    throw new ApiError('config', `"${originIp}" is not an IP address; nothing was sent.`);
  }
  return originIp;
}

function zonePath(zoneId: string): string {
  if (!isZoneId(zoneId)) {
    throw new ApiError(
      'config',
      'The zone ID must be 32 hexadecimal characters; nothing was sent.',
    );
  }
  return `/zones/${zoneId.toLowerCase()}`;
}

function headerValue(value: string | string[] | undefined): string | undefined {
  return Array.isArray(value) ? value[0] : value;
}

async function readCapped(
  body: AsyncIterable<Buffer> & { destroy(): unknown },
  maxBytes: number,
  meta: { status: number },
): Promise<string> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of body) {
    size += chunk.length;
    if (size > maxBytes) {
      body.destroy();
      throw new ApiError(
        'badResponse',
        `Cloudflare's answer was larger than ${Math.round(maxBytes / 1024 / 1024)} MiB; stopped reading it`,
        { status: meta.status },
      );
    }
    chunks.push(chunk);
  }
  return Buffer.concat(chunks).toString('utf8');
}

/**
 * Cloudflare's own 404 for a mapping that does not exist, or for the list of a zone that holds
 * none: a JSON answer with code 1142 (for one mapping, any JSON 404 of the API). An HTML 404 from
 * a proxy or a wrong API URL is not one of them.
 */
function isNoMappings(error: unknown, read: 'list' | 'get'): boolean {
  if (!(error instanceof ApiError) || error.kind !== 'request' || error.status !== 404)
    return false;
  const saysNoMappings = error.errors.some(({ code }) => code === NO_MAPPINGS);
  return read === 'list' ? saysNoMappings : saysNoMappings || error.errors.length === 0;
}

const NO_MAPPINGS = 1142;
