// Run by figure 4 in a fresh process started with --expose-gc: reads a text, finds its IPs and
// deletes them against the sandbox (another process), noting the memory each step takes.
// Prints a MeasuredRun as JSON.
import { readFileSync } from 'node:fs';
import { GCProfiler } from 'node:v8';
import { extractIps } from '../../../src/core/ip/extract';
import { deleteInBatches } from '../../../src/core/network';
import { clientFor } from '../support/client';

const SAMPLE_INTERVAL_MS = 10;

export interface PhaseMemory {
  phase: string;
  ms: number;
  /** The most heap in use at any sample, or just before any garbage collection, of the phase. */
  peakHeapUsed: number;
  /** The largest resident set sampled during the phase. */
  peakRss: number;
  collections: number;
}

export interface MeasuredRun {
  baseline: { heapUsed: number; rss: number };
  phases: PhaseMemory[];
  /** After a full GC, with the text, the IPs found and the outcome still held. */
  retained: { heapUsed: number; rss: number };
  /** The kernel's peak resident set of the whole process, start-up included. */
  maxRss: number;
  samples: number;
  samplingIntervalMs: number;
  textBytes: number;
  ipsFound: number;
  deleted: number;
  notDeleted: number;
}

/** process.memoryUsage() on a timer. Synchronous work gets no samples: see `phase`. */
class Sampler {
  peakHeapUsed = 0;
  peakRss = 0;
  count = 0;
  private readonly timer = setInterval(() => this.sample(), SAMPLE_INTERVAL_MS);

  sample(): void {
    const usage = process.memoryUsage();
    this.peakHeapUsed = Math.max(this.peakHeapUsed, usage.heapUsed);
    this.peakRss = Math.max(this.peakRss, usage.rss);
    this.count++;
  }

  restart(): void {
    this.peakHeapUsed = 0;
    this.peakRss = 0;
    this.sample();
  }

  stop(): void {
    clearInterval(this.timer);
  }
}

async function main(): Promise<void> {
  const [inputFile] = process.argv.slice(2);
  const sandbox = {
    url: process.env.SANDBOX_URL!,
    zoneId: process.env.SANDBOX_ZONE_ID!,
    token: process.env.SANDBOX_TOKEN!,
  };
  const api = clientFor(sandbox, 2);
  const phases: PhaseMemory[] = [];

  globalThis.gc!();
  const baseline = process.memoryUsage();
  const sampler = new Sampler();

  /**
   * Runs one step, and takes its peak from the samples and from the heap V8 reports just
   * before each collection: the timer cannot fire while synchronous work (the extraction) runs,
   * but the heap is at its fullest just before a collection, and once more at the step's end.
   */
  async function phase<T>(name: string, step: () => T | Promise<T>): Promise<T> {
    const profiler = new GCProfiler();
    profiler.start();
    sampler.restart();
    const started = performance.now();
    const result = await step();
    const elapsed = performance.now() - started;
    sampler.sample();
    const { statistics } = profiler.stop();
    const beforeCollections = statistics.map((gc) => gc.beforeGC.heapStatistics.usedHeapSize);
    phases.push({
      phase: name,
      ms: elapsed,
      peakHeapUsed: Math.max(sampler.peakHeapUsed, ...beforeCollections),
      peakRss: sampler.peakRss,
      collections: statistics.length,
    });
    return result;
  }

  const text = await phase('read the text', () => readFileSync(inputFile, 'utf8'));
  const extraction = await phase('find the IPs', () =>
    extractIps([{ text, line: 0, character: 0 }]),
  );
  const outcome = await phase('delete them', () =>
    deleteInBatches(api.client, {
      zoneId: sandbox.zoneId,
      originIps: extraction.ips.map((ip) => ip.originIp),
      batchSize: 100,
      concurrency: 2,
      maxRetries: 4,
    }),
  );
  sampler.stop();
  await api.close();

  globalThis.gc!();
  const retained = process.memoryUsage();
  const report: MeasuredRun = {
    baseline: { heapUsed: baseline.heapUsed, rss: baseline.rss },
    phases,
    retained: { heapUsed: retained.heapUsed, rss: retained.rss },
    maxRss: process.resourceUsage().maxRSS * 1024,
    samples: sampler.count,
    samplingIntervalMs: SAMPLE_INTERVAL_MS,
    textBytes: text.length,
    ipsFound: extraction.ips.length,
    deleted: outcome.succeeded.length,
    notDeleted: outcome.failed.length + outcome.notSent.length,
  };
  console.log(JSON.stringify(report));
}

void main();
