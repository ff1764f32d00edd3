// What each endpoint answers when nothing goes wrong on the wire: Cloudflare's behaviour,
// without any HTTP. server.ts delivers the reply, or spoils it when a fault says so.

import { createHash } from 'node:crypto';

import * as codes from './errors';
import type { ApiError } from './errors';
import { canonicalOriginIp } from './ip';
import { isSupportedRegion, isVendor, SUPPORTED_REGIONS, VENDORS } from './regions';
import type { MatchedRoute, RouteName } from './routes';
import {
  MAX_BATCH_ITEMS,
  MAX_MAPPINGS_PER_ZONE,
  ZoneState,
  type Caller,
  type MappingInput,
  type SandboxState,
  type StoredMapping,
} from './state';

export interface ResultInfo {
  page: number;
  per_page: number;
  count: number;
  total_count: number;
  total_pages: number;
}

export interface Envelope {
  success: boolean;
  errors: ApiError[];
  messages: ApiError[];
  result: unknown;
  result_info?: ResultInfo;
}

export interface Reply {
  status: number;
  body: Envelope;
  headers?: Record<string, string>;
}

/** A request as the endpoints see it: routed, body already read. */
export interface ApiRequest {
  path: string;
  route: MatchedRoute;
  query: URLSearchParams;
  headers: Record<string, string>;
  /** The body parsed as JSON; `NOT_JSON` when it was text that does not parse. */
  json: unknown;
}

export const NOT_JSON: unique symbol = Symbol('not JSON');

export interface ApiSettings {
  legacyShape: boolean;
  authFailureStatus: 401 | 403;
}

/** The deprecated family wraps results and spells the IP key with a hyphen. */
type Shape = 'current' | 'legacy';

const ZONE_ID = /^[0-9a-f]{32}$/;

const WITH_BODY = new Set<RouteName>([
  'put',
  'batchPut',
  'batchDelete',
  'legacyCreate',
  'legacyPatch',
  'legacyBatchPatch',
  'legacyBatchDelete',
]);

export function success(result: unknown, resultInfo?: ResultInfo): Reply {
  const body: Envelope = { success: true, errors: [], messages: [], result };
  if (resultInfo) {
    body.result_info = resultInfo;
  }
  return { status: 200, body };
}

export function failure(status: number, ...errors: ApiError[]): Reply {
  return { status, body: { success: false, errors, messages: [], result: null } };
}

export function authFailure(status: number): Reply {
  return failure(status, {
    code: codes.CODE_AUTHENTICATION,
    message: codes.MESSAGE_AUTHENTICATION,
  });
}

function invalidRequest(message: string): Reply {
  return failure(400, { code: codes.CODE_INVALID_REQUEST, message });
}

function unauthorized(): Reply {
  return failure(403, { code: codes.CODE_UNAUTHORIZED, message: codes.MESSAGE_UNAUTHORIZED });
}

/** Cloudflare's answer to one routed request, applying any change it asks for. */
export function answer(request: ApiRequest, state: SandboxState, settings: ApiSettings): Reply {
  const { route } = request;

  // Cloudflare's router rejects a malformed identifier before it looks at credentials.
  if (route.zoneId !== undefined && !ZONE_ID.test(route.zoneId)) {
    return failure(
      400,
      { code: codes.CODE_COULD_NOT_ROUTE, message: codes.couldNotRouteMessage(request.path) },
      { code: codes.CODE_NO_ROUTE, message: codes.MESSAGE_NO_ROUTE },
    );
  }

  const caller = state.authenticate(request.headers);
  if (!caller) {
    return authFailure(settings.authFailureStatus);
  }

  switch (route.name) {
    case 'verify':
      return verifyToken(caller, settings);
    case 'user':
      return describeUser(caller);
    case 'zones':
      return listZones(caller, state, request.query);
  }

  const zone = route.zoneId === undefined ? undefined : state.zone(route.zoneId);
  if (!zone) {
    return failure(400, { code: codes.CODE_INVALID_ZONE, message: codes.MESSAGE_INVALID_ZONE });
  }
  if (request.json === NOT_JSON && WITH_BODY.has(route.name)) {
    return invalidRequest(codes.MESSAGE_BODY_NOT_JSON);
  }
  const shape: Shape = route.family === 'legacy' || settings.legacyShape ? 'legacy' : 'current';
  const originIp = route.originIp ?? '';

  switch (route.name) {
    case 'zone':
      return caller.kind === 'token' && !caller.scope.canListZones
        ? unauthorized()
        : success(zone.zone);
    case 'list':
      return listMappings(zone, request.query, shape);
    case 'legacyList':
      return listEveryMapping(zone);
    case 'get':
    case 'legacyGet':
      return getMapping(zone, originIp, shape);
    case 'put':
      return putMapping(zone, originIp, request.json, shape);
    case 'legacyCreate':
    case 'legacyPatch':
      return writeLegacyMapping(zone, request.json, route.name === 'legacyCreate');
    case 'delete':
    case 'legacyDelete':
      return deleteMapping(zone, originIp, shape);
    case 'batchPut':
    case 'legacyBatchPatch':
      return upsertBatch(zone, request.json, shape, route.name === 'batchPut' ? 'origin_ip' : 'ip');
    case 'batchDelete':
    case 'legacyBatchDelete':
      return deleteBatch(zone, request.json, shape);
    case 'supportedRegions':
    case 'legacySupportedRegions':
      return success(supportedRegions());
  }
}

function verifyToken(caller: Caller, settings: ApiSettings): Reply {
  // The endpoint checks a token; a global key is no token.
  if (caller.kind !== 'token') {
    return authFailure(settings.authFailureStatus);
  }
  return success({ id: md5(`token ${caller.token}`), status: 'active' });
}

function describeUser(caller: Caller): Reply {
  // A token scoped to zones may not read the user, so a client cannot verify a token this way.
  if (caller.kind !== 'globalKey') {
    return unauthorized();
  }
  return success({ id: md5(`user ${caller.email}`), email: caller.email });
}

function listZones(caller: Caller, state: SandboxState, query: URLSearchParams): Reply {
  if (caller.kind === 'token' && !caller.scope.canListZones) {
    return unauthorized();
  }

  const paging = readPaging(query, { defaultPerPage: 20, minPerPage: 5, maxPerPage: 50 });
  if (!('page' in paging)) {
    return paging;
  }

  const name = query.get('name');
  const zones = state.zones().filter((zone) => name === null || zone.name === name);
  return page(zones, paging);
}

function listMappings(zone: ZoneState, query: URLSearchParams, shape: Shape): Reply {
  const paging = readPaging(query, { defaultPerPage: 20, minPerPage: 1, maxPerPage: 100 });
  if (!('page' in paging)) {
    return paging;
  }

  // As Cloudflare documents it: a zone without any mapping answers 404, not an empty page.
  if (zone.list().length === 0) {
    return failure(404, { code: codes.CODE_MAPPING_NOT_FOUND, message: codes.MESSAGE_NO_MAPPINGS });
  }
  const listed = page(zone.list(), paging);
  const items = (listed.body.result as StoredMapping[]).map((mapping) => render(shape, mapping));
  listed.body.result = wrap(shape, zone, items);
  return listed;
}

/** The deprecated list: every mapping at once, no paging. */
function listEveryMapping(zone: ZoneState): Reply {
  const items = zone.list().map((mapping) => render('legacy', mapping));
  return success(wrap('legacy', zone, items));
}

function getMapping(zone: ZoneState, pathIp: string, shape: Shape): Reply {
  const originIp = canonicalOriginIp(pathIp);
  if (!originIp) {
    return invalidRequest(codes.MESSAGE_INVALID_IP);
  }

  const mapping = zone.get(originIp);
  if (!mapping) {
    return failure(404, {
      code: codes.CODE_MAPPING_NOT_FOUND,
      message: codes.MESSAGE_MAPPING_NOT_FOUND,
    });
  }
  return success(wrap(shape, zone, render(shape, mapping)));
}

function putMapping(zone: ZoneState, pathIp: string, json: unknown, shape: Shape): Reply {
  const originIp = canonicalOriginIp(pathIp);
  if (!originIp) {
    return invalidRequest(codes.MESSAGE_INVALID_IP);
  }
  if (!isObject(json)) {
    return invalidRequest(codes.MESSAGE_BODY_NOT_MAPPING);
  }

  // Cloudflare rejects a body that names another IP than the path.
  const bodyIp = typeof json.origin_ip === 'string' ? canonicalOriginIp(json.origin_ip) : undefined;
  if (bodyIp !== originIp) {
    return invalidRequest(codes.MESSAGE_IP_MISMATCH);
  }

  const checked = checkMapping(originIp, json.vendor, json.region);
  if (typeof checked === 'string') {
    return invalidRequest(checked);
  }
  if (!zone.has(originIp) && zone.size >= MAX_MAPPINGS_PER_ZONE) {
    return zoneFull();
  }
  return success(wrap(shape, zone, render(shape, zone.put(checked))));
}

/** POST creates only; PATCH creates or replaces. Both take `{ip, vendor, region}`. */
function writeLegacyMapping(zone: ZoneState, json: unknown, createOnly: boolean): Reply {
  if (!isObject(json)) {
    return invalidRequest(codes.MESSAGE_BODY_NOT_MAPPING);
  }

  const originIp = typeof json.ip === 'string' ? canonicalOriginIp(json.ip) : undefined;
  if (!originIp) {
    return invalidRequest(codes.MESSAGE_INVALID_IP);
  }
  const checked = checkMapping(originIp, json.vendor, json.region);
  if (typeof checked === 'string') {
    return invalidRequest(checked);
  }

  if (zone.has(originIp) && createOnly) {
    return failure(400, {
      code: codes.CODE_MAPPING_EXISTS,
      message: codes.MESSAGE_MAPPING_EXISTS,
    });
  }
  if (!zone.has(originIp) && zone.size >= MAX_MAPPINGS_PER_ZONE) {
    return zoneFull();
  }
  return success(wrap('legacy', zone, render('legacy', zone.put(checked))));
}

function deleteMapping(zone: ZoneState, pathIp: string, shape: Shape): Reply {
  const originIp = canonicalOriginIp(pathIp);
  if (!originIp) {
    return invalidRequest(codes.MESSAGE_INVALID_IP);
  }

  const removed = zone.remove(originIp);
  if (!removed) {
    return failure(404, {
      code: codes.CODE_DELETE_NOT_FOUND,
      message: codes.MESSAGE_DELETE_NOT_FOUND,
    });
  }

  // The current family answers only the IP; the deprecated one the whole deleted entry.
  return success(
    shape === 'current' ? { origin_ip: originIp } : wrap(shape, zone, render(shape, removed)),
  );
}

interface BatchOutcome {
  succeeded: Record<string, unknown>[];
  failed: Record<string, unknown>[];
}

/** Each IP is judged alone: removed, not there, or not an IP at all. */
function deleteBatch(zone: ZoneState, json: unknown, shape: Shape): Reply {
  if (!Array.isArray(json) || !json.every((item) => typeof item === 'string')) {
    return invalidRequest(codes.MESSAGE_BODY_NOT_IP_ARRAY);
  }
  if (json.length > MAX_BATCH_ITEMS) {
    return invalidRequest(codes.MESSAGE_TOO_MANY_ITEMS);
  }

  const outcome: BatchOutcome = { succeeded: [], failed: [] };
  for (const sent of json as string[]) {
    // Limitation: a valid IP comes back canonical, an invalid one as sent; Cloudflare's
    // documentation does not say which form it echoes.
    const originIp = canonicalOriginIp(sent);
    if (!originIp) {
      outcome.failed.push(failedItem(shape, sent, codes.ITEM_ERROR_INVALID_IP));
      continue;
    }

    const removed = zone.remove(originIp);
    if (removed) {
      outcome.succeeded.push(render(shape, removed, false));
    } else {
      outcome.failed.push(failedItem(shape, originIp, codes.ITEM_ERROR_NOT_FOUND));
    }
  }
  return success(wrap(shape, zone, outcome));
}

/** A merge: valid items are written, invalid ones listed as failed, others left alone. */
function upsertBatch(zone: ZoneState, json: unknown, shape: Shape, ipKey: string): Reply {
  if (!Array.isArray(json) || !json.every(isObject)) {
    return invalidRequest(codes.MESSAGE_BODY_NOT_MAPPING_ARRAY);
  }
  if (json.length > MAX_BATCH_ITEMS) {
    return invalidRequest(codes.MESSAGE_TOO_MANY_ITEMS);
  }

  const outcome: BatchOutcome = { succeeded: [], failed: [] };
  const valid: MappingInput[] = [];
  for (const item of json as Record<string, unknown>[]) {
    const sent = typeof item[ipKey] === 'string' ? (item[ipKey] as string) : '';
    const originIp = canonicalOriginIp(sent);
    const checked = originIp
      ? checkMapping(originIp, item.vendor, item.region)
      : codes.ITEM_ERROR_INVALID_IP;
    if (typeof checked === 'string') {
      outcome.failed.push(failedItem(shape, originIp ?? sent, checked));
    } else {
      valid.push(checked);
    }
  }

  // The cap is checked for the whole request, so nothing is written when it would be passed.
  const added = new Set(valid.map((m) => m.originIp).filter((originIp) => !zone.has(originIp)));
  if (zone.size + added.size > MAX_MAPPINGS_PER_ZONE) {
    return zoneFull();
  }

  for (const mapping of valid) {
    outcome.succeeded.push(render(shape, zone.put(mapping), false));
  }
  return success(wrap(shape, zone, outcome));
}

function supportedRegions() {
  const vendors = Object.fromEntries(
    VENDORS.map((vendor) => [
      vendor,
      SUPPORTED_REGIONS[vendor].map((region) => ({
        name: region.name,
        upper_tier_colos: region.upperTierColos,
      })),
    ]),
  );
  return { obtained_codes: true, vendors };
}

/** A valid mapping, or the text saying what is wrong with it. */
function checkMapping(originIp: string, vendor: unknown, region: unknown): MappingInput | string {
  if (!isVendor(vendor)) {
    return codes.ITEM_ERROR_INVALID_VENDOR;
  }
  if (typeof region !== 'string' || !isSupportedRegion(vendor, region)) {
    return codes.ITEM_ERROR_INVALID_REGION;
  }
  return { originIp, vendor, region };
}

function zoneFull(): Reply {
  return failure(403, { code: codes.CODE_ZONE_FULL, message: codes.MESSAGE_ZONE_FULL });
}

function render(shape: Shape, mapping: StoredMapping, withModifiedOn = true) {
  const item: Record<string, unknown> = {
    [ipKey(shape)]: mapping.originIp,
    vendor: mapping.vendor,
    region: mapping.region,
  };
  if (withModifiedOn) {
    item.modified_on = mapping.modifiedOn;
  }
  return item;
}

function failedItem(shape: Shape, originIp: string, error: string): Record<string, unknown> {
  return { [ipKey(shape)]: originIp, error };
}

function ipKey(shape: Shape): string {
  return shape === 'current' ? 'origin_ip' : 'origin-ip';
}

function wrap(shape: Shape, zone: ZoneState, value: unknown): unknown {
  if (shape === 'current') {
    return value;
  }
  return { id: 'origin_public_cloud_region', editable: true, modified_on: zone.modifiedOn, value };
}

interface Paging {
  page: number;
  perPage: number;
}

interface PagingLimits {
  defaultPerPage: number;
  minPerPage: number;
  maxPerPage: number;
}

function readPaging(query: URLSearchParams, limits: PagingLimits): Paging | Reply {
  const pageNumber = readInteger(query.get('page'), 1);
  if (pageNumber === undefined || pageNumber < 1) {
    return invalidRequest(codes.MESSAGE_INVALID_PAGE);
  }

  const perPage = readInteger(query.get('per_page'), limits.defaultPerPage);
  if (perPage === undefined || perPage < limits.minPerPage || perPage > limits.maxPerPage) {
    return invalidRequest(codes.MESSAGE_INVALID_PER_PAGE);
  }
  return { page: pageNumber, perPage };
}

function readInteger(text: string | null, fallback: number): number | undefined {
  if (text === null) {
    return fallback;
  }
  return /^\d{1,9}$/.test(text) ? Number(text) : undefined;
}

function page<T>(items: T[], paging: Paging): Reply {
  const start = (paging.page - 1) * paging.perPage;
  const slice = items.slice(start, start + paging.perPage);
  return success(slice, {
    page: paging.page,
    per_page: paging.perPage,
    count: slice.length,
    total_count: items.length,
    total_pages: Math.ceil(items.length / paging.perPage),
  });
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function md5(text: string): string {
  return createHash('md5').update(text).digest('hex');
}
