import { createHash } from 'node:crypto';

import { canonicalOriginIp } from './ip';
import { isVendor, type Vendor } from './regions';

/** Cloudflare's per-zone cap on origin cloud region mappings. */
export const MAX_MAPPINGS_PER_ZONE = 3500;

/** Cloudflare's cap on items in one batch PUT or batch DELETE. */
export const MAX_BATCH_ITEMS = 100;

export interface Zone {
  id: string;
  name: string;
  status: 'active';
}

/** A mapping as a test writes it: which cloud region hosts an origin IP. */
export interface MappingInput {
  originIp: string;
  vendor: Vendor;
  region: string;
}

/** A mapping as the sandbox holds it: canonical IP, and when it last changed. */
export interface StoredMapping extends MappingInput {
  modifiedOn: string;
}

/** What a token may do beyond the origin cloud region endpoints. */
export interface TokenScope {
  /** Zone Read; without it `GET /zones` and `GET /zones/{id}` answer 403 with code 9109. */
  canListZones?: boolean;
}

/** The mappings of one zone, in the order they were first written. */
export class ZoneState {
  private readonly byOriginIp = new Map<string, StoredMapping>();

  /** When any mapping of the zone last changed; the deprecated family reports it. */
  modifiedOn = new Date().toISOString();

  constructor(readonly zone: Zone) {}

  get size(): number {
    return this.byOriginIp.size;
  }

  list(): StoredMapping[] {
    return [...this.byOriginIp.values()];
  }

  get(originIp: string): StoredMapping | undefined {
    return this.byOriginIp.get(originIp);
  }

  has(originIp: string): boolean {
    return this.byOriginIp.has(originIp);
  }

  /** Creates or replaces; the caller has canonicalised the IP and checked the zone's cap. */
  put(mapping: MappingInput): StoredMapping {
    const modifiedOn = new Date().toISOString();
    const stored = { ...mapping, modifiedOn };
    this.byOriginIp.set(mapping.originIp, stored);
    this.modifiedOn = modifiedOn;
    return stored;
  }

  remove(originIp: string): StoredMapping | undefined {
    const stored = this.byOriginIp.get(originIp);
    if (stored) {
      this.byOriginIp.delete(originIp);
      this.modifiedOn = new Date().toISOString();
    }
    return stored;
  }

  clear(): void {
    this.byOriginIp.clear();
  }
}

/** Who a request authenticated as. */
export type Caller =
  | { kind: 'token'; token: string; scope: Required<TokenScope> }
  | { kind: 'globalKey'; email: string };

/** Everything the sandbox knows: zones, their mappings, and which credentials are valid. */
export class SandboxState {
  private readonly zonesById = new Map<string, ZoneState>();
  private readonly tokens = new Map<string, Required<TokenScope>>();

  constructor(
    readonly email: string,
    readonly apiKey: string,
  ) {}

  addZone(name: string): Zone {
    const id = zoneIdFor(name);
    if (this.zonesById.has(id)) {
      throw new Error(`The sandbox already has a zone named ${name}`);
    }

    const zone: Zone = { id, name, status: 'active' };
    this.zonesById.set(id, new ZoneState(zone));
    return zone;
  }

  zone(zoneId: string): ZoneState | undefined {
    return this.zonesById.get(zoneId);
  }

  zones(): Zone[] {
    return [...this.zonesById.values()].map((state) => state.zone);
  }

  addToken(token: string, scope: TokenScope = {}): void {
    this.tokens.set(token, { canListZones: scope.canListZones ?? true });
  }

  tokenScope(token: string): Required<TokenScope> | undefined {
    return this.tokens.get(token);
  }

  /** The caller these headers authenticate, or undefined when they authenticate no one. */
  authenticate(headers: Record<string, string>): Caller | undefined {
    const authorization = headers['authorization'];
    if (authorization !== undefined) {
      const token = /^Bearer\s+(\S+)\s*$/i.exec(authorization)?.[1];
      const scope = token === undefined ? undefined : this.tokens.get(token);
      return token && scope ? { kind: 'token', token, scope } : undefined;
    }

    const email = headers['x-auth-email'];
    const key = headers['x-auth-key'];
    if (email?.toLowerCase() === this.email.toLowerCase() && key === this.apiKey) {
      return { kind: 'globalKey', email: this.email };
    }
    return undefined;
  }

  /** Puts mappings in place without any request; throws on input a test should not write. */
  seed(zoneId: string, mappings: readonly MappingInput[]): void {
    const zone = this.zonesById.get(zoneId);
    if (!zone) {
      throw new Error(`The sandbox has no zone ${zoneId}`);
    }

    for (const mapping of mappings) {
      const originIp = canonicalOriginIp(mapping.originIp);
      if (!originIp || !isVendor(mapping.vendor) || !mapping.region) {
        throw new Error(`Cannot seed an invalid mapping: ${JSON.stringify(mapping)}`);
      }
      if (!zone.has(originIp) && zone.size >= MAX_MAPPINGS_PER_ZONE) {
        throw new Error(`Cannot seed past ${MAX_MAPPINGS_PER_ZONE} mappings in zone ${zoneId}`);
      }
      zone.put({ originIp, vendor: mapping.vendor, region: mapping.region });
    }
  }

  /** Removes every mapping; zones and tokens stay, since suites add them once in `before`. */
  clearMappings(): void {
    for (const zone of this.zonesById.values()) {
      zone.clear();
    }
  }
}

/** Zone IDs are derived from the name so `npm run sandbox` prints the same ID every run. */
function zoneIdFor(name: string): string {
  return createHash('md5').update(`sandbox zone ${name}`).digest('hex');
}

/** A stable, real-looking value for the default credentials, for the same reason. */
export function stableSecret(purpose: string, length: number, encoding: 'hex' | 'base64url') {
  return createHash('sha256').update(`sandbox ${purpose}`).digest(encoding).slice(0, length);
}
