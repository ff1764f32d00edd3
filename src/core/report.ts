import type { InvalidAddress } from './ip/types';

/** A mapping Cloudflare confirmed it deleted, with what it held (enough to put it back). */
export interface DeletedMapping {
  originIp: string;
  vendor?: string;
  region?: string;
}

/** An IP that was sent (or attempted) and not deleted, with the reason in the user's words. */
export interface FailedIp {
  originIp: string;
  error: string;
  /** The IP came back "not found" after an attempt that got no answer: that attempt may have deleted it. */
  possiblyDeleted?: boolean;
}

/** An IP that was never sent, because the run was cancelled or stopped. */
export interface NotSentIp {
  originIp: string;
  reason: string;
}

/** Text that looked like an address and was not sent; positions are zero-based. */
export interface InvalidEntry {
  text: string;
  line: number;
  character: number;
  reason: string;
}

/** What `deleteSelected` returns: every distinct valid IP is in exactly one of the first three lists. */
export interface RunReport {
  zoneId: string;
  succeeded: DeletedMapping[];
  failed: FailedIp[];
  notSent: NotSentIp[];
  invalid: InvalidEntry[];
}

/** The outcome of sending a set of IPs, before invalid text is added. */
export interface DeletionOutcome {
  succeeded: DeletedMapping[];
  failed: FailedIp[];
  notSent: NotSentIp[];
}

/** Builds the report of a run from its outcome and the invalid text of the selection. */
export function buildReport(
  zoneId: string,
  outcome: DeletionOutcome,
  invalid: readonly InvalidAddress[],
): RunReport {
  return {
    zoneId,
    succeeded: outcome.succeeded,
    failed: outcome.failed,
    notSent: outcome.notSent,
    invalid: invalid.map(({ text, line, character, reason }) => ({
      text,
      line,
      character,
      reason,
    })),
  };
}

/**
 * Checks that every IP sent for is accounted for exactly once and nothing else is.
 * Returns the problems found; an empty list means the report is honest.
 */
export function accountingProblems(
  report: DeletionOutcome,
  expectedIps: readonly string[],
): string[] {
  const problems: string[] = [];
  const seen = new Map<string, string>();
  const lists: [string, { originIp: string }[]][] = [
    ['succeeded', report.succeeded],
    ['failed', report.failed],
    ['notSent', report.notSent],
  ];
  for (const [listName, entries] of lists) {
    for (const { originIp } of entries) {
      const earlier = seen.get(originIp);
      if (earlier) problems.push(`${originIp} is in both ${earlier} and ${listName}`);
      seen.set(originIp, listName);
    }
  }
  const expected = new Set(expectedIps);
  for (const originIp of expected) {
    if (!seen.has(originIp)) problems.push(`${originIp} is missing from the report`);
  }
  for (const originIp of seen.keys()) {
    if (!expected.has(originIp)) problems.push(`${originIp} was not selected but is reported`);
  }
  return problems;
}
