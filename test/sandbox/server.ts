// A Cloudflare API sandbox on loopback: the origin cloud region endpoints, their auth and
// limits, and switches to make the wire misbehave. Test equipment only; never shipped.

import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import { setTimeout as sleep } from 'node:timers/promises';

import { answer, authFailure, failure, NOT_JSON, type ApiSettings, type Reply } from './api';
import * as codes from './errors';
import { appliesFirst, FaultQueue, RateLimiter, type Fault, type RateLimit } from './faults';
import { BASE_PATH, matchRoute, type MatchedRoute, type RouteName } from './routes';
import {
  SandboxState,
  stableSecret,
  type MappingInput,
  type StoredMapping,
  type TokenScope,
  type Zone,
} from './state';
import * as wire from './wire';

export * from './errors';
export type { Fault, FaultKind, FaultMoment, FaultRoute, RateLimit } from './faults';
export { SUPPORTED_REGIONS, VENDORS, type Vendor } from './regions';
export { BASE_PATH, type RouteName } from './routes';
export { MAX_BATCH_ITEMS, MAX_MAPPINGS_PER_ZONE } from './state';
export type { MappingInput, StoredMapping, TokenScope, Zone } from './state';

export interface SandboxOptions {
  /** Default 127.0.0.1. */
  host?: string;
  /** Default 0: any free port. */
  port?: number;
  /** The default zone's name; default example.com. */
  zoneName?: string;
  /** Credentials; by default stable values, the same every run. */
  token?: string;
  email?: string;
  apiKey?: string;
  /** What a rejected credential gets; Cloudflare answers 403 on most endpoints, 401 on some. */
  authFailureStatus?: 401 | 403;
  /** Milliseconds every request waits before it is answered; default 0. */
  latencyMs?: number;
  /** Answer the current family in the deprecated family's wrapped shape. */
  legacyShape?: boolean;
  /** Refuse requests over this budget with 429; default no limit. */
  rateLimit?: RateLimit;
  /** Called once per request, when its exchange ends (answered, reset, or closed). */
  onRequest?: (request: RecordedRequest) => void;
}

/** One request as the sandbox received it, and what became of it. */
export interface RecordedRequest {
  method: string;
  /** The path as sent, without the query. */
  path: string;
  /** The endpoint it reached; undefined when no route matched. */
  route: RouteName | undefined;
  /** The zone ID written in the path, valid or not. */
  zoneId: string | undefined;
  query: Record<string, string>;
  /** Header names in lower case; repeated headers joined with ", ". */
  headers: Record<string, string>;
  /** The body parsed as JSON, its raw text when it is not JSON, undefined when empty. */
  body: unknown;
  /** For batch deletes (either family), the IP strings the body listed. */
  batchIps?: string[];
  /** The status sent; undefined when no answer was ever started (reset, hang). */
  status?: number;
  /** The fault this request got, if any. */
  fault?: Fault['kind'];
  /**
   * Whether the request reached the endpoint logic, so any change it asked for (and was allowed)
   * really happened; false when the rate limit or a fault stopped it first.
   */
  applied: boolean;
  /** Which TCP connection carried it: 1 for the first the sandbox ever accepted, and so on. */
  connectionId: number;
  remotePort: number;
  /** Date.now() when the request's body had been read. */
  receivedAt: number;
}

export interface Sandbox {
  /** The API base, e.g. http://127.0.0.1:PORT/client/v4 (no trailing slash). */
  readonly url: string;
  readonly port: number;
  /** The default zone, created at start. */
  readonly zoneId: string;
  readonly zoneName: string;
  /** A valid API token that may list zones. */
  readonly token: string;
  /** Valid global API key credentials. */
  readonly email: string;
  readonly apiKey: string;
  /** Every request received since the start or the last `clearRequests()`/`reset()`. */
  readonly requests: readonly RecordedRequest[];
  /** TCP connections accepted since the start or the last `reset()`; reuse is not counted. */
  readonly connections: number;
  /** The most requests ever handled at once since the start or the last `reset()`. */
  readonly peakInFlight: number;
  /** TCP connections open right now, kept alive or not. */
  readonly openConnections: number;

  addZone(name: string): Zone;
  addToken(token: string, scope?: TokenScope): void;
  /** Puts mappings in place directly; IPs are canonicalised, invalid input throws. */
  seed(zoneId: string, mappings: readonly MappingInput[]): void;
  /** The true state of a zone (default: the default zone), in the order first written. */
  mappings(zoneId?: string): StoredMapping[];
  clearRequests(): void;
  setLatency(ms: number): void;
  setLegacyShape(enabled: boolean): void;
  setRateLimit(rateLimit: RateLimit | undefined): void;
  /** Queues a fault for upcoming matching requests (default route 'batchDelete', once). */
  fault(fault: Fault): void;
  clearFaults(): void;
  /**
   * Asks `plan` for a fault for every request the queue has none for (undefined: answer
   * normally), e.g. faults drawn at random per request; undefined removes the plan.
   */
  setFaultPlan(plan: ((route: RouteName | undefined) => Fault | undefined) | undefined): void;
  /**
   * Back to the start: no mappings, faults or recorded requests, connection count zero, and
   * latency, legacy shape and rate limit as the options set them. Zones and tokens stay.
   */
  reset(): void;
  /** Stops listening and destroys every socket, ending hung requests too. */
  close(): Promise<void>;
}

export async function startSandbox(options: SandboxOptions = {}): Promise<Sandbox> {
  const sandbox = new LoopbackSandbox(options);
  await sandbox.listen(options.host ?? '127.0.0.1', options.port ?? 0);
  return sandbox;
}

class LoopbackSandbox implements Sandbox {
  url = '';
  port = 0;
  readonly zoneId: string;
  readonly zoneName: string;
  readonly token: string;
  readonly email: string;
  readonly apiKey: string;
  readonly requests: RecordedRequest[] = [];

  private readonly state: SandboxState;
  private readonly faults = new FaultQueue();
  private faultPlan: ((route: RouteName | undefined) => Fault | undefined) | undefined;
  private readonly settings: ApiSettings;
  private latencyMs: number;
  private rateLimiter: RateLimiter | undefined;
  private connectionCount = 0;
  private inFlight = 0;
  private peakInFlightCount = 0;
  private lastConnectionId = 0;
  private readonly sockets = new Set<Socket>();
  private readonly connectionIds = new WeakMap<Socket, number>();
  private readonly closing = new AbortController();
  private closed: Promise<void> | undefined;
  private readonly server: Server;

  constructor(private readonly options: SandboxOptions) {
    this.token = options.token ?? stableSecret('token', 40, 'base64url');
    this.email = options.email ?? 'sandbox@example.com';
    this.apiKey = options.apiKey ?? stableSecret('global key', 37, 'hex');
    this.state = new SandboxState(this.email, this.apiKey);
    this.state.addToken(this.token);

    this.zoneName = options.zoneName ?? 'example.com';
    this.zoneId = this.state.addZone(this.zoneName).id;

    this.settings = {
      legacyShape: options.legacyShape ?? false,
      authFailureStatus: options.authFailureStatus ?? 403,
    };
    this.latencyMs = options.latencyMs ?? 0;
    this.rateLimiter = options.rateLimit && new RateLimiter(options.rateLimit);

    this.server = createServer((request, response) => {
      this.inFlight++;
      this.peakInFlightCount = Math.max(this.peakInFlightCount, this.inFlight);
      response.once('close', () => this.inFlight--);
      this.handle(request, response).catch((error: unknown) => this.fail(response, error));
    });
    this.server.on('connection', (socket) => this.accept(socket));
  }

  get connections(): number {
    return this.connectionCount;
  }

  get peakInFlight(): number {
    return this.peakInFlightCount;
  }

  get openConnections(): number {
    return this.sockets.size;
  }

  async listen(host: string, port: number): Promise<void> {
    await new Promise<void>((resolve, reject) => {
      this.server.once('error', reject);
      this.server.listen(port, host, () => {
        this.server.off('error', reject);
        resolve();
      });
    });

    this.port = (this.server.address() as AddressInfo).port;
    const hostInUrl = host.includes(':') ? `[${host}]` : host;
    this.url = `http://${hostInUrl}:${this.port}${BASE_PATH}`;
  }

  addZone(name: string): Zone {
    return this.state.addZone(name);
  }

  addToken(token: string, scope?: TokenScope): void {
    this.state.addToken(token, scope);
  }

  seed(zoneId: string, mappings: readonly MappingInput[]): void {
    this.state.seed(zoneId, mappings);
  }

  mappings(zoneId: string = this.zoneId): StoredMapping[] {
    const zone = this.state.zone(zoneId);
    if (!zone) {
      throw new Error(`The sandbox has no zone ${zoneId}`);
    }
    return zone.list().map((mapping) => ({ ...mapping }));
  }

  clearRequests(): void {
    // Emptied in place, so a test holding `sandbox.requests` sees the same array.
    this.requests.length = 0;
  }

  setLatency(ms: number): void {
    this.latencyMs = ms;
  }

  setLegacyShape(enabled: boolean): void {
    this.settings.legacyShape = enabled;
  }

  setRateLimit(rateLimit: RateLimit | undefined): void {
    this.rateLimiter = rateLimit && new RateLimiter(rateLimit);
  }

  fault(fault: Fault): void {
    this.faults.add(fault);
  }

  clearFaults(): void {
    this.faults.clear();
  }

  setFaultPlan(plan: ((route: RouteName | undefined) => Fault | undefined) | undefined): void {
    this.faultPlan = plan;
  }

  reset(): void {
    this.state.clearMappings();
    this.faults.clear();
    this.faultPlan = undefined;
    this.clearRequests();
    this.connectionCount = 0;
    this.peakInFlightCount = this.inFlight;
    this.latencyMs = this.options.latencyMs ?? 0;
    this.settings.legacyShape = this.options.legacyShape ?? false;
    this.setRateLimit(this.options.rateLimit);
  }

  close(): Promise<void> {
    this.closed ??= new Promise<void>((resolve) => {
      this.closing.abort();
      this.server.close(() => resolve());
      this.server.closeAllConnections();
      for (const socket of this.sockets) {
        socket.destroy();
      }
    });
    return this.closed;
  }

  private accept(socket: Socket): void {
    // IDs never restart, so a connection kept alive across reset() is not confused with a new one.
    this.connectionCount += 1;
    this.lastConnectionId += 1;
    this.connectionIds.set(socket, this.lastConnectionId);
    this.sockets.add(socket);
    socket.on('close', () => this.sockets.delete(socket));
  }

  private async handle(request: IncomingMessage, response: ServerResponse): Promise<void> {
    const text = await readBody(request);
    const url = new URL(request.url ?? '/', 'http://sandbox.invalid');
    const method = request.method ?? 'GET';
    const route = matchRoute(method, url.pathname);
    const json = parseJson(text);

    const record = this.record(request, url, route, text, json);
    const exchange: wire.Exchange = { response, record };
    response.on('close', () => this.options.onRequest?.(record));

    await this.pause(this.latencyMs);

    const limited = this.rateLimiter?.take(Date.now());
    if (limited) {
      wire.sendReply(exchange, rateLimited(limited.retryAfterSeconds));
      return;
    }

    const fault = this.faults.take(route?.name) ?? this.faultPlan?.(route?.name);
    record.fault = fault?.kind;
    if (fault && !appliesFirst(fault)) {
      await this.answerInstead(exchange, fault);
      return;
    }

    const reply = route
      ? this.replyTo(url, route, record.headers, json)
      : failure(400, { code: codes.CODE_NO_ROUTE, message: codes.MESSAGE_NO_ROUTE });
    record.applied = route !== undefined;

    if (fault) {
      await this.answerBadly(exchange, fault, reply);
    } else {
      wire.sendReply(exchange, reply);
    }
  }

  /** Cloudflare's answer, applying whatever change the request asks for. */
  private replyTo(
    url: URL,
    route: MatchedRoute,
    headers: Record<string, string>,
    json: unknown,
  ): Reply {
    const request = { path: url.pathname, route, query: url.searchParams, headers, json };
    return answer(request, this.state, this.settings);
  }

  /** Faults that take the place of the answer; the request is not acted on. */
  private async answerInstead(exchange: wire.Exchange, fault: Fault): Promise<void> {
    switch (fault.kind) {
      case 'status':
        wire.sendReply(exchange, statusReply(fault.status, fault.retryAfter));
        return;
      case 'authFail':
        wire.sendReply(exchange, authFailure(fault.status ?? this.settings.authFailureStatus));
        return;
      case 'envelopeErrors':
        wire.sendReply(exchange, failure(fault.status ?? 400, ...fault.errors));
        return;
      case 'nonJson':
        wire.sendText(exchange, fault.status ?? 200, 'text/plain; charset=utf-8', NON_JSON_TEXT);
        return;
      case 'html':
        wire.sendHtmlError(exchange, fault.status ?? 502);
        return;
      case 'huge':
        await wire.sendHuge(exchange, fault.bytes, fault.chunked ?? false);
        return;
      case 'reset':
        wire.resetSocket(exchange);
        return;
      case 'hang':
        return;
      default:
        throw new Error(`Fault ${fault.kind} must apply the request first`);
    }
  }

  /** Faults that let the request act, then spoil the delivery of its real answer. */
  private async answerBadly(exchange: wire.Exchange, fault: Fault, reply: Reply): Promise<void> {
    switch (fault.kind) {
      case 'slowHeaders':
        await this.pause(fault.ms);
        wire.sendReply(exchange, reply);
        return;
      case 'slowBody':
        await wire.sendSlowBody(exchange, reply, fault.ms, (ms) => this.pause(ms));
        return;
      case 'truncated':
        wire.sendTruncated(exchange, reply);
        return;
      case 'reset':
        wire.resetSocket(exchange);
        return;
      case 'hang':
        return;
      default:
        throw new Error(`Fault ${fault.kind} must not apply the request`);
    }
  }

  private record(
    request: IncomingMessage,
    url: URL,
    route: MatchedRoute | undefined,
    text: string,
    json: unknown,
  ): RecordedRequest {
    const record: RecordedRequest = {
      method: request.method ?? 'GET',
      path: url.pathname,
      route: route?.name,
      zoneId: route?.zoneId,
      query: Object.fromEntries(url.searchParams),
      headers: flattenHeaders(request),
      body: text === '' ? undefined : json === NOT_JSON ? text : json,
      applied: false,
      connectionId: this.connectionIds.get(request.socket) ?? 0,
      remotePort: request.socket.remotePort ?? 0,
      receivedAt: Date.now(),
    };

    const isBatchDelete = route?.name === 'batchDelete' || route?.name === 'legacyBatchDelete';
    if (isBatchDelete && Array.isArray(json)) {
      record.batchIps = json.filter((item): item is string => typeof item === 'string');
    }

    this.requests.push(record);
    return record;
  }

  /** Waits `ms`; throws when the sandbox closes meanwhile, abandoning the request. */
  private async pause(ms: number): Promise<void> {
    if (ms > 0) {
      await sleep(ms, undefined, { signal: this.closing.signal });
    }
  }

  /** A request the sandbox could not finish: expected while closing, a sandbox bug otherwise. */
  private fail(response: ServerResponse, error: unknown): void {
    if (this.closing.signal.aborted) {
      return;
    }
    if (response.headersSent) {
      response.destroy();
      return;
    }

    const message = `Sandbox bug: ${error instanceof Error ? error.stack : String(error)}`;
    wire.sendReply(
      { response, record: {} },
      failure(500, { code: codes.CODE_INTERNAL_ERROR, message }),
    );
  }
}

const NON_JSON_TEXT = 'upstream answered: OK {not json';

function rateLimited(retryAfterSeconds: number): Reply {
  const reply = failure(429, {
    code: codes.CODE_RATE_LIMITED,
    message: codes.MESSAGE_RATE_LIMITED,
  });
  reply.headers = { 'retry-after': String(retryAfterSeconds) };
  return reply;
}

/** The envelope Cloudflare would send with this status. */
function statusReply(status: number, retryAfter: number | undefined): Reply {
  const reply = failure(status, errorForStatus(status));
  if (retryAfter !== undefined) {
    reply.headers = { 'retry-after': String(retryAfter) };
  }
  return reply;
}

function errorForStatus(status: number): codes.ApiError {
  if (status === 429) {
    return { code: codes.CODE_RATE_LIMITED, message: codes.MESSAGE_RATE_LIMITED };
  }
  if (status === 401 || status === 403) {
    return { code: codes.CODE_AUTHENTICATION, message: codes.MESSAGE_AUTHENTICATION };
  }
  if (status >= 500) {
    return { code: codes.CODE_INTERNAL_ERROR, message: codes.MESSAGE_INTERNAL_ERROR };
  }
  return { code: codes.CODE_INVALID_REQUEST, message: `HTTP ${status}` };
}

async function readBody(request: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of request) {
    chunks.push(chunk as Buffer);
  }
  return Buffer.concat(chunks).toString('utf8');
}

function parseJson(text: string): unknown {
  if (text === '') {
    return undefined;
  }
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return NOT_JSON;
  }
}

function flattenHeaders(request: IncomingMessage): Record<string, string> {
  const headers: Record<string, string> = {};
  for (const [name, value] of Object.entries(request.headers)) {
    if (value !== undefined) {
      headers[name] = Array.isArray(value) ? value.join(', ') : value;
    }
  }
  return headers;
}
