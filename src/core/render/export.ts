import type { RunReport } from '../report';

export type ExportFormat = 'json' | 'csv' | 'markdown';

/** One row per IP (and per invalid entry) with its outcome, the common ground of every format. */
function rows(report: RunReport): string[][] {
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
    ...report.invalid.map(({ text, line, character, reason }) => [
      text,
      'invalid',
      '',
      '',
      `line ${line + 1}:${character + 1}: ${reason}`,
    ]),
  ];
}

const HEADER = ['origin_ip', 'outcome', 'vendor', 'region', 'detail'];

/** The report as a file a person or a script reads: JSON (the command's own shape), CSV or Markdown. */
export function exportReport(report: RunReport, format: ExportFormat, zoneName?: string): string {
  switch (format) {
    case 'json':
      return `${JSON.stringify({ zoneName, ...report }, null, 2)}\n`;
    case 'csv':
      return (
        [HEADER, ...rows(report)].map((row) => row.map(csvCell).join(',')).join('\r\n') + '\r\n'
      );
    case 'markdown': {
      const title = `# Cloud region mappings deleted in ${zoneName ?? report.zoneId}\n\n`;
      const table = [HEADER, HEADER.map(() => '---'), ...rows(report)]
        .map((row) => `| ${row.map(markdownCell).join(' | ')} |`)
        .join('\n');
      return `${title}${table}\n`;
    }
  }
}

/** RFC 4180: quote cells with commas, quotes or line breaks; a leading = + - @ is defused for spreadsheets. */
function csvCell(value: string): string {
  const safe = /^[=+\-@]/.test(value) ? `'${value}` : value;
  return /[",\r\n]/.test(safe) ? `"${safe.replace(/"/g, '""')}"` : safe;
}

function markdownCell(value: string): string {
  return value.replace(/\\/g, '\\\\').replace(/\|/g, '\\|').replace(/\r?\n/g, ' ');
}
