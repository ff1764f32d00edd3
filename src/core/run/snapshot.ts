import { isApiError } from '../cloudflare/errors';
import type { Mapping } from '../cloudflare/responses';
import { DEFAULT_RETRY_TIMING, decideRetry, sleep, type RetryTiming } from './retryPolicy';

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

export interface ReadRetryOptions {
  maxRetries: number;
  timing?: RetryTiming;
  /** Aborting ends a wait for the next attempt; the read then fails with the last error. */
  signal?: AbortSignal;
  onRetry?: (notice: { attempt: number; delayMs: number; reason: string }) => void;
}

/**
 * The reader with every read tried again after a transient failure (429, 5xx, no answer), as
 * batches are. Reads change nothing, so any of them may be sent again.
 */
export function retryingReader(reader: MappingReader, options: ReadRetryOptions): MappingReader {
  const timing = options.timing ?? DEFAULT_RETRY_TIMING;
  const retried = async <T>(read: () => Promise<T>): Promise<T> => {
    for (let attempt = 0; ; attempt++) {
      try {
        return await read();
      } catch (error) {
        if (!isApiError(error)) throw error;
        const decision = decideRetry(error, attempt, options.maxRetries, timing);
        if (!decision.retry || options.signal?.aborted) throw error;
        options.onRetry?.({
          attempt: attempt + 1,
          delayMs: decision.delayMs,
          reason: decision.reason,
        });
        await sleep(decision.delayMs, options.signal);
        if (options.signal?.aborted) throw error;
      }
    }
  };
  return {
    listMappings: (zoneId, page) => retried(() => reader.listMappings(zoneId, page)),
    getMapping: (zoneId, originIp) => retried(() => reader.getMapping(zoneId, originIp)),
  };
}
