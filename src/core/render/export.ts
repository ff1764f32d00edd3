import type { RunReport } from '../report';

export type ExportFormat = 'json' | 'csv' | 'markdown';

/** One row per IP with its outcome, the common ground of every format. */
function ipRows(report: RunReport): string[][] {
  return [
    ...report.succeeded.map(({ originIp, vendor, region }) => [
      originIp,
      'deleted',
      vendor ?? '',
      region ?? '',
      '',
    ]),
    ...report.failed.map(({ originIp, error, possiblyDeleted }) => [
      originIp,
      possiblyDeleted ? 'possibly deleted' : 'failed',
      '',
      '',
      error,
    ]),
    ...report.notSent.map(({ originIp, reason }) => [originIp, 'not sent', '', '', reason]),
  ];
}

/** One row per invalid entry: text that was sent to no zone. */
function invalidRows(report: RunReport): string[][] {
  return report.invalid.map(({ text, line, character, reason }) => [
    text,
    'invalid',
    '',
    '',
    `line ${line + 1}:${character + 1}: ${reason}`,
  ]);
}

const HEADER = ['origin_ip', 'outcome', 'vendor', 'region', 'detail'];

/** One zone's report, with the zone's name when it is known. */
export interface ZoneReport {
  report: RunReport;
  zoneName?: string;
}

/**
 * The reports of a run as a file a person or a script reads. JSON is the command's own shape:
 * one object for one zone, a list of them for several. CSV and Markdown add the zone to each
 * row or section only when there are several zones, and list the invalid text once, since
 * every zone's report holds the same.
 */
export function exportReports(reports: readonly ZoneReport[], format: ExportFormat): string {
  const several = reports.length > 1;
  const invalid = invalidRows(reports[0].report);
  switch (format) {
    case 'json': {
      const objects = reports.map(({ report, zoneName }) => ({ zoneName, ...report }));
      return `${JSON.stringify(several ? objects : objects[0], null, 2)}\n`;
    }
    case 'csv': {
      const body = several
        ? [
            ...reports.flatMap(({ report }) =>
              ipRows(report).map((row) => [report.zoneId, ...row]),
            ),
            ...invalid.map((row) => ['', ...row]),
          ]
        : [...ipRows(reports[0].report), ...invalid];
      const header = several ? ['zone_id', ...HEADER] : HEADER;
      return [header, ...body].map((row) => row.map(csvCell).join(',')).join('\r\n') + '\r\n';
    }
    case 'markdown': {
      const sections = reports.map(({ report, zoneName }) => ({
        title: `Cloud region mappings deleted in ${zoneName ?? report.zoneId}`,
        rows: several ? ipRows(report) : [...ipRows(report), ...invalid],
      }));
      if (several && invalid.length > 0) {
        sections.push({ title: 'Invalid entries, sent to no zone', rows: invalid });
      }
      return sections.map(({ title, rows }) => markdownSection(title, rows)).join('\n');
    }
  }
}

function markdownSection(title: string, rows: string[][]): string {
  const table = [HEADER, HEADER.map(() => '---'), ...rows]
    .map((row) => `| ${row.map(markdownCell).join(' | ')} |`)
    .join('\n');
  return `# ${title}\n\n${table}\n`;
}

/** RFC 4180: quote cells with commas, quotes or line breaks; a leading = + - @ is defused for spreadsheets. */
function csvCell(value: string): string {
  const safe = /^[=+\-@]/.test(value) ? `'${value}` : value;
  return /[",\r\n]/.test(safe) ? `"${safe.replace(/"/g, '""')}"` : safe;
}

function markdownCell(value: string): string {
  return value.replace(/\\/g, '\\\\').replace(/\|/g, '\\|').replace(/\r?\n/g, ' ');
}
