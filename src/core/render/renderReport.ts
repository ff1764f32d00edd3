import type { RunReport } from '../report';

/** What a run did to the IPs in its first list: deleted them, or put them back. */
export type RunAction = 'delete' | 'restore';

const DONE: Record<RunAction, string> = { delete: 'deleted', restore: 'restored' };

/** A one-line summary of a run, for notifications and the end of the log. */
export function summarise(
  report: RunReport,
  zoneName?: string,
  action: RunAction = 'delete',
): string {
  const parts = [`${report.succeeded.length} ${DONE[action]}`, `${report.failed.length} failed`];
  if (report.notSent.length) parts.push(`${report.notSent.length} not sent`);
  if (report.invalid.length) parts.push(`${report.invalid.length} invalid`);
  return `${parts.join(', ')} in zone ${zoneName ?? report.zoneId}`;
}

/** The report as readable text tables, one string per line, for the log channel. */
export function renderReport(
  report: RunReport,
  action: RunAction = 'delete',
  zoneName?: string,
): string[] {
  const lines: string[] = [];
  const section = (title: string, rows: string[][]) => {
    if (rows.length === 0) return;
    lines.push(`${title} (${rows.length}):`);
    lines.push(...table(rows).map((row) => `  ${row}`));
  };

  section(
    action === 'delete' ? 'Deleted' : 'Restored',
    report.succeeded.map(({ originIp, vendor, region }) => [
      originIp,
      vendor ?? '?',
      region ?? '?',
    ]),
  );
  section(
    'Failed',
    report.failed.map(({ originIp, error }) => [originIp, error]),
  );
  section(
    'Not sent',
    report.notSent.map(({ originIp, reason }) => [originIp, reason]),
  );
  section(
    'Invalid (never sent)',
    report.invalid.map(({ text, line, character, reason }) => [
      `line ${line + 1}:${character + 1}`,
      text,
      reason,
    ]),
  );
  lines.push(`Summary: ${summarise(report, zoneName, action)}`);
  return lines;
}

/** Pads every column but the last to its widest cell. */
function table(rows: string[][]): string[] {
  const widths: number[] = [];
  for (const row of rows) {
    row.forEach((cell, column) => (widths[column] = Math.max(widths[column] ?? 0, cell.length)));
  }
  return rows.map((row) =>
    row
      .map((cell, column) => (column < row.length - 1 ? cell.padEnd(widths[column]) : cell))
      .join('  '),
  );
}
