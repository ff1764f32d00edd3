// Figure 4: memory while finding 100,000 IPs in a text and deleting them, in a fresh process
// of its own; the sandbox runs in another process, so its memory does not count.
import { writeFileSync } from 'node:fs';
import { logOfDistinctIps } from './inputs';
import type { MeasuredRun } from './memory/measuredRun';
import { runFresh } from './support/childProcess';
import type { Figure } from './support/figure';
import { benchPath, compiledBenchFile } from './support/paths';
import { SandboxChild } from './support/sandboxChild';
import { count, mebibytes, ms } from './support/stats';

const IP_COUNT = 100_000;

export async function measureMemory(): Promise<Figure> {
  const generated = logOfDistinctIps(4, IP_COUNT);
  const inputFile = benchPath('memory-input.txt');
  writeFileSync(inputFile, generated.text);

  const sandbox = await SandboxChild.start(0);
  let run: MeasuredRun;
  let sandboxStats: Awaited<ReturnType<SandboxChild['stats']>>;
  try {
    await sandbox.feed(generated.ips);
    run = await runFresh<MeasuredRun>(compiledBenchFile('memory/measuredRun'), {
      nodeArgs: ['--expose-gc'],
      args: [inputFile],
      env: {
        SANDBOX_URL: sandbox.url,
        SANDBOX_ZONE_ID: sandbox.zoneId,
        SANDBOX_TOKEN: sandbox.token,
      },
    });
    sandboxStats = await sandbox.stats();
  } finally {
    await sandbox.stop();
  }

  const aboveBaseline = (bytes: number) => mebibytes(bytes - run.baseline.heapUsed);
  return {
    name: '4-memory',
    title: `4. Memory: finding and deleting ${count(IP_COUNT)} IPs`,
    table: {
      columns: ['Step', 'ms', 'Peak heap used', 'Above baseline', 'Peak RSS', 'GCs'],
      rows: [
        [
          'baseline (modules loaded, after GC)',
          '',
          mebibytes(run.baseline.heapUsed),
          '',
          mebibytes(run.baseline.rss),
          '',
        ],
        ...run.phases.map((phase) => [
          phase.phase,
          ms(phase.ms),
          mebibytes(phase.peakHeapUsed),
          aboveBaseline(phase.peakHeapUsed),
          mebibytes(phase.peakRss),
          String(phase.collections),
        ]),
        [
          'retained after GC (text, IPs, outcome held)',
          '',
          mebibytes(run.retained.heapUsed),
          aboveBaseline(run.retained.heapUsed),
          mebibytes(run.retained.rss),
          '',
        ],
        ['whole process, peak RSS (kernel)', '', '', '', mebibytes(run.maxRss), ''],
      ],
    },
    goals: [],
    notes: [
      `Input: ${count(generated.text.length)} bytes of log lines writing ${count(generated.ipsWritten)} distinct valid IPs once each; the run found ${count(run.ipsFound)}, deleted ${count(run.deleted)}, and did not delete ${count(run.notDeleted)}.`,
      `Zone limit: a zone holds at most 3,500 mappings, so the sandbox (in its own process) keeps the zone topped up to 3,500 from the same list, in order, after each answered request; one run of \`deleteInBatches\` (batch size 100, concurrency 2, no pacing, no latency) then deletes all of them in ${count(sandboxStats.requests)} requests. The sandbox seeded ${count(sandboxStats.seeded)} mappings and ${count(sandboxStats.mappings)} were left.`,
      `Measured in a fresh \`node --expose-gc\` process: \`process.memoryUsage()\` every ${run.samplingIntervalMs} ms (${count(run.samples)} samples) and at the end of each step, plus the heap in use just before each garbage collection (v8.GCProfiler), because the timer cannot fire during the synchronous extraction. The peak RSS of the whole process comes from \`process.resourceUsage().maxRSS\`. Heap used counts garbage not yet collected, so a peak is an upper bound of what was live.`,
      'Not included: what the editor adds for the same run (the report, diagnostics for 100,000 IPs, the log). The extension would also pace a run of this size and ask for confirmation first.',
    ],
    data: {
      run,
      sandbox: sandboxStats,
      input: { bytes: generated.text.length, ips: generated.ipsWritten },
    },
  };
}
