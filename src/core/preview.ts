import type { Mapping } from './cloudflare/responses';
import type { Extraction } from './ip/types';

/** What a deletion would do, from the snapshot read before it. */
export interface Preview {
  /** Selected IPs that have a mapping, with it. */
  mapped: Mapping[];
  /** Selected IPs without a mapping: deleting them changes nothing. */
  unmapped: string[];
  invalid: number;
  /** Mapped IPs per vendor, most first. */
  byVendor: [vendor: string, count: number][];
  /** True when the deletion would leave the zone without any mapping. */
  emptiesZone: boolean;
}

export function buildPreview(
  extraction: Extraction,
  snapshot: ReadonlyMap<string, Mapping>,
  zoneTotal: number | undefined,
): Preview {
  const mapped: Mapping[] = [];
  const unmapped: string[] = [];
  const vendors = new Map<string, number>();
  for (const { originIp } of extraction.ips) {
    const mapping = snapshot.get(originIp);
    if (!mapping) {
      unmapped.push(originIp);
      continue;
    }
    mapped.push(mapping);
    vendors.set(mapping.vendor, (vendors.get(mapping.vendor) ?? 0) + 1);
  }
  return {
    mapped,
    unmapped,
    invalid: extraction.invalid.length,
    byVendor: [...vendors].sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0])),
    emptiesZone: zoneTotal !== undefined && zoneTotal > 0 && mapped.length >= zoneTotal,
  };
}

/** The preview in one sentence, e.g. "240 have mappings (aws 200, gcp 40); 10 have none." */
export function describePreview(preview: Preview): string {
  const vendors = preview.byVendor.map(([vendor, count]) => `${vendor} ${count}`).join(', ');
  const parts = [
    `${plural(preview.mapped.length, 'IP has a mapping', 'IPs have mappings')}${vendors ? ` (${vendors})` : ''}`,
    `${plural(preview.unmapped.length, 'has none', 'have none')}`,
  ];
  if (preview.invalid)
    parts.push(`${plural(preview.invalid, 'invalid entry', 'invalid entries')} will be skipped`);
  if (preview.emptiesZone) parts.push('this removes every mapping of the zone');
  return `${parts.join('; ')}.`;
}

function plural(count: number, singular: string, many: string): string {
  return `${count.toLocaleString('en-US')} ${count === 1 ? singular : many}`;
}
