import type { Extraction, TextRange } from '../ip/types';
import type { Preview } from '../preview';
import type { RunReport } from '../report';

export type Severity = 'error' | 'warning' | 'information';

/** A diagnostic to show, in editor-neutral terms; the glue turns it into a `vscode.Diagnostic`. */
export interface PlacedResult {
  range: TextRange;
  severity: Severity;
  message: string;
  /** Stable code, so users can filter the Problems panel. */
  code:
    | 'deleted'
    | 'failed'
    | 'possibly-deleted'
    | 'not-sent'
    | 'invalid'
    | 'has-mapping'
    | 'no-mapping';
  /** The canonical IP the range holds; absent for invalid text. */
  originIp?: string;
  /** The zone the outcome is about, when the glue tags it; absent for invalid text. */
  zoneId?: string;
}

export interface PlacementOptions {
  failedSeverity: Severity;
  showSucceeded: boolean;
}

/** Places the outcome of every IP of a report on each place the IP was written. */
export function placeResults(
  report: RunReport,
  extraction: Extraction,
  options: PlacementOptions,
): PlacedResult[] {
  const outcomes = new Map<string, Omit<PlacedResult, 'range'>>();
  if (options.showSucceeded) {
    for (const { originIp, vendor, region } of report.succeeded) {
      const what = vendor || region ? ` (${[vendor, region].filter(Boolean).join(' ')})` : '';
      outcomes.set(originIp, {
        originIp,
        severity: 'information',
        code: 'deleted',
        message: `Deleted the cloud region mapping of ${originIp}${what}.`,
      });
    }
  }
  for (const { originIp, error, possiblyDeleted } of report.failed) {
    outcomes.set(
      originIp,
      possiblyDeleted
        ? {
            originIp,
            // Neither a failure nor a deletion: the user is to check the zone.
            severity: 'warning',
            code: 'possibly-deleted',
            message: `${originIp} may have been deleted; Cloudflare did not confirm it: ${error}`,
          }
        : {
            originIp,
            severity: options.failedSeverity,
            code: 'failed',
            message: `${originIp} was not deleted: ${error}`,
          },
    );
  }
  for (const { originIp, reason } of report.notSent) {
    outcomes.set(originIp, {
      originIp,
      severity: 'information',
      code: 'not-sent',
      message: capitalise(reason),
    });
  }

  const placed: PlacedResult[] = [];
  for (const { originIp, occurrences } of extraction.ips) {
    const outcome = outcomes.get(originIp);
    if (!outcome) continue;
    for (const range of occurrences) placed.push({ range, ...outcome });
  }
  return [...placed, ...placeInvalid(extraction)];
}

/** Places a preview: what a deletion would remove at each IP, deleting nothing. */
export function placePreview(
  preview: Preview,
  extraction: Extraction,
  zoneName: string,
): PlacedResult[] {
  const mapped = new Map(preview.mapped.map((mapping) => [mapping.originIp, mapping]));
  const placed: PlacedResult[] = [];
  for (const { originIp, occurrences } of extraction.ips) {
    const mapping = mapped.get(originIp);
    const outcome: Omit<PlacedResult, 'range'> = mapping
      ? {
          originIp,
          severity: 'information',
          code: 'has-mapping',
          message: `Mapped to ${mapping.vendor} ${mapping.region} in ${zoneName}: a deletion would remove it.`,
        }
      : {
          originIp,
          severity: 'information',
          code: 'no-mapping',
          message: `No mapping in ${zoneName}: a deletion would change nothing.`,
        };
    for (const range of occurrences) placed.push({ range, ...outcome });
  }
  return [...placed, ...placeInvalid(extraction)];
}

function placeInvalid(extraction: Extraction): PlacedResult[] {
  return extraction.invalid.map(({ text, reason, line, character, length }) => ({
    range: { line, character, length },
    severity: 'warning',
    code: 'invalid',
    message: `Not sent: "${text}" is not a single valid IP address: ${reason}.`,
  }));
}

function capitalise(text: string): string {
  return text.charAt(0).toUpperCase() + text.slice(1);
}
