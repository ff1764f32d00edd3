import { MAX_MAPPINGS_PER_ZONE } from '../settings';

/** Cloudflare's API budget: requests per user or token per window, shared with every other tool. */
export const RATE_LIMIT_REQUESTS = 1200;
export const RATE_LIMIT_WINDOW_MS = 5 * 60_000;

/** A run bigger than this share of the budget is spread out, leaving the rest to everyone else. */
const PACED_SHARE = 0.5;

export interface RunAssessment {
  requests: number;
  /** Share of the 5-minute budget the run's requests take, from 0 upwards. */
  shareOfBudget: number;
  /** More IPs than a zone can hold mappings for: most of them cannot have one. */
  exceedsZone: boolean;
  /** Least time between two request starts; 0 when the run needs no pacing. */
  minIntervalMs: number;
  /** Why the run is refused outright, if it is. */
  refusal?: string;
  /** One sentence on the budget, for the confirmation. */
  summary: string;
}

/** Weighs a run against Cloudflare's limits before anything is sent. */
export function assessRun(ipCount: number, batchSize: number): RunAssessment {
  const requests = Math.ceil(ipCount / Math.max(1, batchSize));
  const shareOfBudget = requests / RATE_LIMIT_REQUESTS;
  const pacedLimit = RATE_LIMIT_REQUESTS * PACED_SHARE;
  const paced = requests > pacedLimit;
  const minIntervalMs = paced ? Math.ceil(RATE_LIMIT_WINDOW_MS / pacedLimit) : 0;
  const percent = `${Math.round(shareOfBudget * 100)}%`;
  const assessment: RunAssessment = {
    requests,
    shareOfBudget,
    exceedsZone: ipCount > MAX_MAPPINGS_PER_ZONE,
    minIntervalMs,
    summary:
      `${requests.toLocaleString('en-US')} requests: ${percent} of the 1,200 requests per 5 minutes ` +
      'that your account shares with the dashboard and every other tool' +
      (paced
        ? `; they will be spread out, one every ${(minIntervalMs / 1000).toFixed(1)} s, taking about ${Math.ceil((requests * minIntervalMs) / 60_000)} minutes.`
        : '.'),
  };
  if (requests > RATE_LIMIT_REQUESTS) {
    assessment.refusal =
      `This selection needs ${requests.toLocaleString('en-US')} requests, more than the ` +
      `1,200 Cloudflare allows in 5 minutes; a zone holds at most ${MAX_MAPPINGS_PER_ZONE.toLocaleString('en-US')} mappings. ` +
      'Select fewer IPs, or a larger batch size.';
  }
  return assessment;
}
