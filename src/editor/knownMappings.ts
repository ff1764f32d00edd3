import type { Mapping, Zone } from '../core/cloudflare/responses';

/** Mappings read from Cloudflare in this session (snapshots, zone listings), for hovers. */
export class KnownMappings {
  private readonly byIp = new Map<string, { mapping: Mapping; zone: Zone; readAt: Date }[]>();

  remember(zone: Zone, mappings: Iterable<Mapping>, readAt = new Date()): void {
    for (const mapping of mappings) {
      const others = (this.byIp.get(mapping.originIp) ?? []).filter(
        (known) => known.zone.id !== zone.id,
      );
      this.byIp.set(mapping.originIp, [...others, { mapping, zone, readAt }]);
    }
  }

  /** Forgets what a run deleted, so a hover never shows a mapping that is gone. */
  forget(zone: Zone, originIps: Iterable<string>): void {
    for (const originIp of originIps) {
      const left = (this.byIp.get(originIp) ?? []).filter((known) => known.zone.id !== zone.id);
      if (left.length) this.byIp.set(originIp, left);
      else this.byIp.delete(originIp);
    }
  }

  lookup(originIp: string) {
    return this.byIp.get(originIp) ?? [];
  }

  get size(): number {
    return this.byIp.size;
  }
}
