import type { Mapping } from '../cloudflare/responses';

/** A zone's mappings as an aligned text table, one IP per line, ready to select and delete. */
export function renderMappingList(
  zoneName: string,
  zoneId: string,
  mappings: readonly Mapping[],
  readAt: Date,
): string {
  const rows = [...mappings]
    .sort(
      (a, b) =>
        a.vendor.localeCompare(b.vendor) ||
        a.region.localeCompare(b.region) ||
        a.originIp.localeCompare(b.originIp),
    )
    .map((mapping) => [mapping.originIp, mapping.vendor, mapping.region, mapping.modifiedOn ?? '']);
  const header = ['origin_ip', 'vendor', 'region', 'modified_on'];
  const widths = header.map((title, column) =>
    Math.max(title.length, ...rows.map((row) => row[column].length)),
  );
  const line = (row: string[]) =>
    row
      .map((cell, column) => cell.padEnd(widths[column]))
      .join('  ')
      .trimEnd();
  return [
    `# Origin cloud region mappings of ${zoneName} (zone ${zoneId}): ${mappings.length}, read ${readAt.toISOString()}`,
    '# Select lines and run "Delete Cloud Region Mappings for Selected IPs" to delete them.',
    line(header),
    ...rows.map(line),
    '',
  ].join('\n');
}
