// Figure 1: finding IPs in text. Our extractor against what a script writer would reach for,
// in the same process on the same generated inputs, checked against what the inputs contain.
import { writeFileSync } from 'node:fs';
import { extractIps } from '../../src/core/ip/extract';
import { ours, scriptWriters, type Finder } from './finders';
import { ipList, LOOKALIKE_EXAMPLES, logWithRepeats, type GeneratedText } from './inputs';
import { runFreshRepeatedly } from './support/childProcess';
import type { Figure } from './support/figure';
import { benchPath, compiledBenchFile } from './support/paths';
import { count, median, ms, ratio } from './support/stats';

const FRESH_PROCESSES = 5;
const LOG_BYTES = 10_000_000;
const LOG_DISTINCT_IPS = 50_000;
const LIST_LINES = 3_500;
const LIST_GOAL_MS = 20;

interface Input {
  label: string;
  generated: GeneratedText;
  /** Enough runs before measuring for the JIT to settle; a small input needs more of them. */
  warmupRuns: number;
  /** A small input's runs are short enough for a momentary hiccup to matter: it gets more. */
  measuredRuns: number;
}

interface Measured {
  label: string;
  input: Input;
  finder: Finder;
  timesMs: number[];
  found: string[];
}

export async function measureFindingIps(): Promise<Figure> {
  const peer = await scriptWriters();
  const log: Input = {
    label: '10 MB log',
    generated: logWithRepeats(1, LOG_BYTES, LOG_DISTINCT_IPS),
    warmupRuns: 2,
    measuredRuns: 7,
  };
  const list: Input = {
    label: '3,500-line list',
    generated: ipList(2, LIST_LINES),
    warmupRuns: 10,
    measuredRuns: 25,
  };

  const measured = [...timeFinders(log, [ours, peer]), ...timeFinders(list, [ours, peer])];
  measured.push(...(await timeFirstCalls(list, [ours, peer])));

  const timeOf = (label: string, finder: Finder) =>
    median(measured.find((entry) => entry.label === label && entry.finder === finder)!.timesMs);
  const logRatio = timeOf(log.label, ours) / timeOf(log.label, peer);
  const listMs = timeOf(list.label, ours);

  return {
    name: '1-find-ips',
    title: '1. Finding IPs in text',
    table: {
      columns: [
        'Input',
        'Finder',
        'Distinct IPs',
        'Wrongly accepted',
        'Missed',
        'Median ms',
        'MB/s',
        'Time ours/peer',
      ],
      rows: measured.map((entry) =>
        row(entry, timeOf(entry.label, ours) / timeOf(entry.label, peer)),
      ),
    },
    goals: [
      {
        goal: '10 MB log: ours at least as fast as the peer (time ours/peer ≤ 1)',
        measured: ratio(logRatio),
        met: logRatio <= 1,
      },
      {
        goal: `3,500-line list: ours under ${LIST_GOAL_MS} ms (median after warm-up)`,
        measured: `${ms(listMs)} ms`,
        met: listMs < LIST_GOAL_MS,
      },
    ],
    notes: [
      describeInput(log),
      describeInput(list),
      `Median of ${log.measuredRuns} runs after ${log.warmupRuns} warm-up runs (${list.measuredRuns} after ${list.warmupRuns} for the list), the two finders taking turns in one process, with a GC before each run; "first call" rows are the median of ${FRESH_PROCESSES} fresh processes, each timing one call before any warm-up. MB = 10^6 bytes.`,
      'Peer: `text.match(ipRegex())`, then `ipaddr.parse(match).toString()` into a Set, as a script writer would. "Wrongly accepted": distinct results that are not one of the valid IPs written (such as `0.1.2.3` read out of `300.1.2.3`). "Missed": valid IPs written but not found.',
      ...mistakeExamples(measured),
      flaggedByUs(log),
      lookalikeExhibit(peer),
    ],
    data: measured.map((entry) => ({
      input: entry.label,
      bytes: entry.input.generated.text.length,
      finder: entry.finder.name,
      timesMs: entry.timesMs,
      medianMs: median(entry.timesMs),
      ...summarised(accuracy(entry)),
    })),
  };
}

/** Times the finders in turn on one input, so both see the same machine weather. */
function timeFinders(input: Input, finders: Finder[]): Measured[] {
  const measured = finders.map((finder) => ({
    label: input.label,
    input,
    finder,
    timesMs: [] as number[],
    found: [] as string[],
  }));
  for (let run = 0; run < input.warmupRuns + input.measuredRuns; run++) {
    for (const entry of measured) {
      globalThis.gc?.();
      const started = performance.now();
      entry.found = entry.finder.find(input.generated.text);
      const elapsed = performance.now() - started;
      if (run >= input.warmupRuns) entry.timesMs.push(elapsed);
    }
  }
  return measured;
}

/** The first call in a fresh process: what the first selection of a session costs. */
async function timeFirstCalls(input: Input, finders: Finder[]): Promise<Measured[]> {
  const inputFile = benchPath('list-3500.txt');
  writeFileSync(inputFile, input.generated.text);
  const measured: Measured[] = [];
  for (const finder of finders) {
    const runs = await runFreshRepeatedly<{ ms: number }>(
      FRESH_PROCESSES,
      compiledBenchFile('probes/firstExtraction'),
      { args: [finder === ours ? 'ours' : 'peer', inputFile] },
    );
    measured.push({
      label: `${input.label}, first call`,
      input,
      finder,
      timesMs: runs.map((run) => run.ms),
      found: finder.find(input.generated.text),
    });
  }
  return measured;
}

function accuracy(entry: Measured) {
  const written = new Set(entry.input.generated.ips);
  const found = new Set(entry.found);
  const wronglyAccepted = entry.found.filter((ip) => !written.has(ip));
  const missed = entry.input.generated.ips.filter((ip) => !found.has(ip));
  return { distinct: found.size, wronglyAccepted, missed };
}

/** Counts, with a few examples rather than thousands of addresses. */
function summarised({ distinct, wronglyAccepted, missed }: ReturnType<typeof accuracy>) {
  return {
    distinct,
    wronglyAccepted: { count: wronglyAccepted.length, examples: spread(wronglyAccepted, 20) },
    missed: { count: missed.length, examples: spread(missed, 20) },
  };
}

function row(entry: Measured, oursOverPeer: number): string[] {
  const { distinct, wronglyAccepted, missed } = accuracy(entry);
  const medianMs = median(entry.timesMs);
  const megabytesPerSecond = entry.input.generated.text.length / 1e6 / (medianMs / 1000);
  return [
    entry.label,
    entry.finder.name,
    count(distinct),
    count(wronglyAccepted.length),
    count(missed.length),
    ms(medianMs),
    megabytesPerSecond.toFixed(1),
    entry.finder === ours ? ratio(oursOverPeer) : '',
  ];
}

function describeInput({ label, generated }: Input): string {
  const lookalikes = generated.lookalikesWritten
    ? `, and ${count(generated.lookalikesWritten)} look-alikes that are not one valid IP (out-of-range or leading-zero octets, CIDR ranges, zone indexes, address ranges)`
    : '';
  return `${label}: ${count(generated.text.length)} bytes, ${count(generated.ipsWritten)} valid IPs written (${count(generated.ips.length)} distinct)${lookalikes}.`;
}

function mistakeExamples(measured: Measured[]): string[] {
  const reported = new Set<string>();
  return measured.flatMap((entry) => {
    const { wronglyAccepted, missed } = accuracy(entry);
    const key = `${entry.input.label} ${entry.finder.name}`;
    if (wronglyAccepted.length + missed.length === 0 || reported.has(key)) return [];
    reported.add(key);
    const examples = (ips: string[]) =>
      spread(ips, 4)
        .map((ip) => `\`${ip}\``)
        .join(', ');
    return [
      `${entry.finder.name} on the ${entry.input.label}: wrongly accepted ${examples(wronglyAccepted) || 'none'}${wronglyAccepted.length > 4 ? ', ...' : ''}; missed ${examples(missed) || 'none'}${missed.length > 4 ? ', ...' : ''}.`,
    ];
  });
}

/** Up to `wanted` items taken evenly across the list, so examples show its variety. */
function spread<T>(items: readonly T[], wanted: number): T[] {
  if (items.length <= wanted) return [...items];
  return Array.from(
    { length: wanted },
    (_, index) => items[Math.floor((index * items.length) / wanted)],
  );
}

/** Ours reports look-alikes as invalid, with a reason, instead of dropping them silently. */
function flaggedByUs({ label, generated }: Input): string {
  const { invalid } = extractIps([{ text: generated.text, line: 0, character: 0 }]);
  return `extractIps (ours) on the ${label} also reported ${count(invalid.length)} entries as not valid, each with a reason (look-alikes written: ${count(generated.lookalikesWritten)}).`;
}

/** What each finder makes of one look-alike of each kind that the log contains. */
function lookalikeExhibit(peer: Finder): string {
  const shown = LOOKALIKE_EXAMPLES.map((text) => {
    const peerFound = peer.find(text).map((ip) => `\`${ip}\``);
    const ourReason = extractIps([{ text, line: 0, character: 0 }]).invalid[0]?.reason;
    return `\`${text}\`: peer sends ${peerFound.join(' and ') || 'nothing'}, ours ${ourReason ? `says "${ourReason}"` : 'ignores it'}`;
  });
  return `One look-alike of each kind: ${shown.join('; ')}.`;
}
