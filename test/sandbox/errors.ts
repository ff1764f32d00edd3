// The error codes and texts the sandbox answers with, exported so tests can assert them.
//
// Codes marked "documented" come from /work/shared/docs/cloudflare-api.md or from Cloudflare's
// own API reference. Codes marked "observed" are what Cloudflare is seen answering in the wild.
// Codes marked "invented" stand in where Cloudflare documents nothing: a client must not depend
// on their exact value, only on the HTTP status and `success: false`.

/** One entry of an envelope's `errors` (and `messages`) array. */
export interface ApiError {
  code: number;
  message: string;
}

/** Documented, HTTP 403 (or 401, see `authFailureStatus`): no credentials, or wrong ones. */
export const CODE_AUTHENTICATION = 10000;
export const MESSAGE_AUTHENTICATION = 'Authentication error';

/** Observed, HTTP 403: valid credentials whose token lacks the permission (Zone Read). */
export const CODE_UNAUTHORIZED = 9109;
export const MESSAGE_UNAUTHORIZED = 'Unauthorized to access requested resource';

/** Documented, HTTP 429: over the request budget; comes with a `retry-after` header. */
export const CODE_RATE_LIMITED = 10100;
export const MESSAGE_RATE_LIMITED = 'Rate limited: too many requests, wait before retrying';

/** Observed, HTTP 400: no endpoint answers this method and path. */
export const CODE_NO_ROUTE = 7000;
export const MESSAGE_NO_ROUTE = 'No route for that URI';

/** Observed, HTTP 400, together with 7000: the zone ID in the path is not 32 lower-case hex. */
export const CODE_COULD_NOT_ROUTE = 7003;

export function couldNotRouteMessage(path: string): string {
  return `Could not route to ${path}, perhaps your object identifier is invalid?`;
}

/** Observed, HTTP 400: a well-formed zone ID that names no zone of this account. */
export const CODE_INVALID_ZONE = 1001;
export const MESSAGE_INVALID_ZONE = 'Invalid zone identifier';

/** Documented, HTTP 404: GET of one mapping that does not exist, or the list of an empty zone. */
export const CODE_MAPPING_NOT_FOUND = 1142;
export const MESSAGE_MAPPING_NOT_FOUND = 'Origin cloud region mapping not found';
export const MESSAGE_NO_MAPPINGS = 'This zone has no origin cloud region mappings';

/** Documented, HTTP 400: POST (deprecated family) of a mapping that already exists. */
export const CODE_MAPPING_EXISTS = 1145;
export const MESSAGE_MAPPING_EXISTS = 'Origin cloud region mapping already exists';

/** Documented, HTTP 404: single DELETE of a mapping that does not exist. */
export const CODE_DELETE_NOT_FOUND = 1163;
export const MESSAGE_DELETE_NOT_FOUND = 'No origin cloud region mapping exists for this origin IP';

/** Documented, HTTP 403: the write would take the zone past 3,500 mappings. */
export const CODE_ZONE_FULL = 1164;
export const MESSAGE_ZONE_FULL =
  'The zone already holds the maximum of 3500 origin cloud region mappings';

/** Invented, HTTP 400: every request-level validation failure (body, paging, batch size). */
export const CODE_INVALID_REQUEST = 1004;
export const MESSAGE_TOO_MANY_ITEMS = 'A batch holds at most 100 items';
export const MESSAGE_BODY_NOT_JSON = 'The request body is not valid JSON';
export const MESSAGE_BODY_NOT_IP_ARRAY = 'The request body must be a JSON array of IP strings';
export const MESSAGE_BODY_NOT_MAPPING_ARRAY = 'The request body must be a JSON array of mappings';
export const MESSAGE_BODY_NOT_MAPPING = 'The request body must be a mapping object';
export const MESSAGE_INVALID_IP = 'The origin IP is not a valid IPv4 or IPv6 address';
export const MESSAGE_IP_MISMATCH = 'origin_ip in the body does not match the origin IP in the path';
export const MESSAGE_INVALID_PAGE = 'page must be an integer of at least 1';
export const MESSAGE_INVALID_PER_PAGE = 'per_page is out of range';

/** Invented, HTTP 5xx: the body of a `status` fault with a server error status. */
export const CODE_INTERNAL_ERROR = 10001;
export const MESSAGE_INTERNAL_ERROR = 'Internal server error';

// Per-item texts inside a batch result's `failed` array; Cloudflare documents no per-item codes.
export const ITEM_ERROR_NOT_FOUND = 'mapping not found';
export const ITEM_ERROR_INVALID_IP = 'invalid origin IP';
export const ITEM_ERROR_INVALID_VENDOR = 'unsupported vendor';
export const ITEM_ERROR_INVALID_REGION = 'unsupported region for this vendor';
