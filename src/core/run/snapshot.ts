import type { Mapping } from '../cloudflare/responses';

/** What the snapshot needs of the Cloudflare client. */
export interface MappingReader {
  listMappings(
    zoneId: string,
    page: number,
  ): Promise<{ mappings: Mapping[]; totalPages: number; totalCount?: number }>;
  getMapping(zoneId: string, originIp: string): Promise<Mapping | undefined>;
}

export interface Snapshot {
  /** The current mapping of each selected IP that has one. */
  mappings: Map<string, Mapping>;
  /** How many mappings the whole zone holds, when Cloudflare says. */
  zoneTotal?: number;
  /** How the snapshot was read, for the log. */
  requests: number;
}

/**
 * Reads the current mappings of the selected IPs before anything is deleted, so that vendor and
 * region are known even when a batch answer is lost. The first list page tells how many pages
 * the zone has; the rest comes from whichever is fewer requests: the other pages, or one GET per
 * IP not seen yet.
 */
export async function readSnapshot(
  reader: MappingReader,
  zoneId: string,
  originIps: readonly string[],
): Promise<Snapshot> {
  const wanted = new Set(originIps);
  const mappings = new Map<string, Mapping>();
  const keep = (found: Mapping[]) => {
    for (const mapping of found)
      if (wanted.has(mapping.originIp)) mappings.set(mapping.originIp, mapping);
  };

  const first = await reader.listMappings(zoneId, 1);
  keep(first.mappings);
  let requests = 1;
  const unseen = originIps.filter((originIp) => !mappings.has(originIp));
  const pagesLeft = first.totalPages - 1;

  if (pagesLeft <= unseen.length) {
    for (let page = 2; page <= first.totalPages; page++) {
      keep((await reader.listMappings(zoneId, page)).mappings);
      requests++;
    }
  } else {
    for (const originIp of unseen) {
      const mapping = await reader.getMapping(zoneId, originIp);
      if (mapping) mappings.set(originIp, mapping);
      requests++;
    }
  }
  return { mappings, requests, zoneTotal: first.totalCount };
}

/** Every mapping of a zone, page after page. */
export async function readAllMappings(reader: MappingReader, zoneId: string): Promise<Mapping[]> {
  const all: Mapping[] = [];
  for (let page = 1; ; page++) {
    const { mappings, totalPages } = await reader.listMappings(zoneId, page);
    all.push(...mappings);
    if (page >= totalPages || mappings.length === 0) return all;
  }
}
