/** The settings a run uses, already checked and clamped to their ranges. */
export interface RunSettings {
  apiBaseUrl: string;
  batchSize: number;
  concurrency: number;
  requestTimeoutSeconds: number;
  maxRetries: number;
}

export const DEFAULT_API_BASE_URL = 'https://api.cloudflare.com/client/v4';

/** Cloudflare's own limit on the IPs of one batch request. */
export const MAX_BATCH_SIZE = 100;

/** Cloudflare's limit on the mappings one zone holds. */
export const MAX_MAPPINGS_PER_ZONE = 3500;

const ZONE_ID = /^[0-9a-f]{32}$/i;

/** True when `zoneId` is a Cloudflare zone identifier: 32 hexadecimal characters, nothing else. */
export function isZoneId(zoneId: string): boolean {
  return ZONE_ID.test(zoneId);
}

/** Explains what is wrong with a zone ID, or returns undefined when it is fine. */
export function zoneIdProblem(zoneId: string): string | undefined {
  if (isZoneId(zoneId.trim())) return undefined;
  return "A zone ID is 32 hexadecimal characters (0-9, a-f), as shown on the zone's Overview page in the Cloudflare dashboard.";
}

/**
 * Checks the API base URL: it must be an absolute `https` URL, or `http` to a loopback host
 * (a local sandbox), so credentials never cross a network in clear text.
 * Returns the URL without a trailing slash, or throws an Error that says what to fix.
 */
export function checkApiBaseUrl(value: string): string {
  let url: URL;
  try {
    url = new URL(value.trim());
  } catch {
    // Not echoed: a mistyped URL may still hold a user name and password or token.
    throw new Error(
      'The setting cloudflareOriginRegions.apiBaseUrl is not a URL; write it as https://host/path.',
    );
  }
  if (url.username || url.password) {
    throw new Error(
      'The setting cloudflareOriginRegions.apiBaseUrl must not contain a user name or password.',
    );
  }
  if (url.protocol === 'http:' && !isLoopbackHost(url.hostname)) {
    throw new Error(
      `The setting cloudflareOriginRegions.apiBaseUrl uses http:// to ${url.hostname}; credentials would travel unencrypted. Use https://, or http:// only to a loopback host (127.0.0.1, ::1, localhost).`,
    );
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') {
    throw new Error(
      `The setting cloudflareOriginRegions.apiBaseUrl must be an https:// URL, not ${url.protocol}`,
    );
  }
  if (url.search || url.hash) {
    throw new Error(
      'The setting cloudflareOriginRegions.apiBaseUrl must not carry a query or fragment.',
    );
  }
  return url.toString().replace(/\/+$/, '');
}

/** True for `localhost`, 127.0.0.0/8 and ::1: hosts that never leave this machine. */
export function isLoopbackHost(hostname: string): boolean {
  const host = hostname.replace(/^\[|\]$/g, '').toLowerCase();
  return host === 'localhost' || host === '::1' || /^127(\.\d{1,3}){3}$/.test(host);
}

/** Clamps a number setting into its range, falling back to its default when it is not a number. */
export function clampSetting(value: unknown, min: number, max: number, fallback: number): number {
  if (typeof value !== 'number' || !Number.isFinite(value)) return fallback;
  return Math.min(max, Math.max(min, Math.round(value)));
}
