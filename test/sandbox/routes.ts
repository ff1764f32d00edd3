/** Where every sandbox endpoint lives, like Cloudflare's `/client/v4`. */
export const BASE_PATH = '/client/v4';

/** Every endpoint the sandbox serves, named for fault filters and recorded requests. */
export type RouteName =
  | 'verify'
  | 'user'
  | 'zones'
  | 'zone'
  | 'list'
  | 'get'
  | 'put'
  | 'delete'
  | 'batchPut'
  | 'batchDelete'
  | 'supportedRegions'
  | 'legacyList'
  | 'legacyCreate'
  | 'legacyPatch'
  | 'legacyGet'
  | 'legacyDelete'
  | 'legacyBatchPatch'
  | 'legacyBatchDelete'
  | 'legacySupportedRegions';

/** The current family answers plain results; the deprecated one wraps them. */
export type Family = 'account' | 'current' | 'legacy';

export interface MatchedRoute {
  name: RouteName;
  family: Family;
  zoneId?: string;
  originIp?: string;
}

interface RouteEntry {
  method: string;
  name: RouteName;
  family: Family;
  pattern: RegExp;
}

const ZONE = '/zones/([^/]+)';
const CURRENT = `${ZONE}/origin/cloud_regions`;
const LEGACY = `${ZONE}/cache/origin_cloud_regions`;
const IP = '/([^/]+)';

function route(method: string, name: RouteName, family: Family, path: string): RouteEntry {
  return { method, name, family, pattern: new RegExp(`^${path}$`) };
}

// Fixed segments ("batch", "supported_regions") come before the origin IP pattern that would
// otherwise swallow them.
const ROUTES: RouteEntry[] = [
  route('GET', 'verify', 'account', '/user/tokens/verify'),
  route('GET', 'user', 'account', '/user'),
  route('GET', 'zones', 'account', '/zones'),
  route('GET', 'zone', 'account', ZONE),

  route('GET', 'list', 'current', CURRENT),
  route('PUT', 'batchPut', 'current', `${CURRENT}/batch`),
  route('DELETE', 'batchDelete', 'current', `${CURRENT}/batch`),
  route('GET', 'supportedRegions', 'current', `${CURRENT}/supported_regions`),
  route('GET', 'get', 'current', `${CURRENT}${IP}`),
  route('PUT', 'put', 'current', `${CURRENT}${IP}`),
  route('DELETE', 'delete', 'current', `${CURRENT}${IP}`),

  route('GET', 'legacyList', 'legacy', LEGACY),
  route('POST', 'legacyCreate', 'legacy', LEGACY),
  route('PATCH', 'legacyPatch', 'legacy', LEGACY),
  route('PATCH', 'legacyBatchPatch', 'legacy', `${LEGACY}/batch`),
  route('DELETE', 'legacyBatchDelete', 'legacy', `${LEGACY}/batch`),
  route('GET', 'legacySupportedRegions', 'legacy', `${LEGACY}/supported_regions`),
  route('GET', 'legacyGet', 'legacy', `${LEGACY}${IP}`),
  route('DELETE', 'legacyDelete', 'legacy', `${LEGACY}${IP}`),
];

/** The endpoint a method and path reach, or undefined (Cloudflare's "No route for that URI"). */
export function matchRoute(method: string, pathname: string): MatchedRoute | undefined {
  if (!pathname.startsWith(`${BASE_PATH}/`)) {
    return undefined;
  }
  const path = pathname.slice(BASE_PATH.length);

  for (const entry of ROUTES) {
    if (entry.method !== method) {
      continue;
    }
    const match = entry.pattern.exec(path);
    if (!match) {
      continue;
    }

    const [, zoneId, originIp] = match;
    return {
      name: entry.name,
      family: entry.family,
      zoneId,
      originIp: originIp === undefined ? undefined : safeDecode(originIp),
    };
  }
  return undefined;
}

/** IPv6 colons may arrive percent-encoded; a broken escape is left for IP validation to reject. */
function safeDecode(segment: string): string {
  try {
    return decodeURIComponent(segment);
  } catch {
    return segment;
  }
}
