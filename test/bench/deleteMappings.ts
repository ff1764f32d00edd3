// Figure 2: deleting a full zone (3,500 mappings) through the real client and a real keep-alive
// pool against the sandbox, which waits 50 ms before each answer as a distant API would. The
// floor is the latency alone: requests one after another on each of `concurrency` connections.
import { deleteInBatches } from '../../src/core/network';
import { clientFor } from './support/client';
import type { Figure } from './support/figure';
import { SandboxChild } from './support/sandboxChild';
import { count, cpuMsSince, median, ms, ratio } from './support/stats';

const LATENCY_MS = 50;
const MAPPINGS = 3_500;
const BATCH_SIZE = 100;
const CONCURRENCIES = [1, 2, 4];
const REPEATS = 3;
const ONE_BY_ONE_SAMPLE = 350;
const FLOOR_GOAL = 1.15;

/** One deletion of the whole zone (or of the sample, for one DELETE per IP). */
interface Run {
  wallMs: number;
  requests: number;
  deleted: number;
  /** TCP connections the sandbox accepted during the run. */
  connections: number;
  clientCpuMs: number;
  sandboxCpuMs: number;
}

interface Way {
  label: string;
  concurrency: number;
  runs: Run[];
  /** What the runs stand for: the sample of one DELETE per IP counts ten times. */
  scale: number;
}

export async function measureDeleting(): Promise<Figure> {
  const sandbox = await SandboxChild.start(LATENCY_MS);
  const ways: Way[] = [];
  try {
    for (const concurrency of CONCURRENCIES) {
      const runs: Run[] = [];
      for (let repeat = 0; repeat < REPEATS; repeat++) {
        runs.push(await deleteInBatchesOnce(sandbox, concurrency));
      }
      ways.push({ label: `batch of ${BATCH_SIZE}`, concurrency, runs, scale: 1 });
    }
    ways.push({
      label: 'one DELETE per IP',
      concurrency: 1,
      runs: [await deleteOneByOne(sandbox, ONE_BY_ONE_SAMPLE)],
      scale: MAPPINGS / ONE_BY_ONE_SAMPLE,
    });
  } finally {
    await sandbox.stop();
  }

  const oneByOne = ways[ways.length - 1];
  const oneByOneMs = wallMs(oneByOne);
  const batchWays = ways.filter((way) => way !== oneByOne);

  return {
    name: '2-delete',
    title: `2. Deleting ${count(MAPPINGS)} mappings, sandbox answering after ${LATENCY_MS} ms`,
    table: {
      columns: [
        'Requests of',
        'Concurrency',
        'Requests',
        'Wall ms',
        'Floor ms',
        'Wall/floor',
        'TCP connections',
        'CPU ms/request, client + sandbox',
        'Time batch/one-per-IP',
      ],
      rows: ways.map((way) => [
        way.label,
        String(way.concurrency),
        count(Math.round(way.runs[0].requests * way.scale)),
        ms(wallMs(way)),
        ms(floorMs(way)),
        ratio(wallMs(way) / floorMs(way)),
        connectionsText(way),
        cpuPerRequest(way),
        way === oneByOne ? '' : ratio(wallMs(way) / oneByOneMs),
      ]),
    },
    goals: [
      ...batchWays.map((way) => ({
        goal: `concurrency ${way.concurrency}: within ${FLOOR_GOAL} of the floor`,
        measured: ratio(wallMs(way) / floorMs(way)),
        met: wallMs(way) / floorMs(way) <= FLOOR_GOAL,
      })),
      ...batchWays.map((way) => ({
        goal: `concurrency ${way.concurrency}: TCP connections ≤ ${way.concurrency}`,
        measured: connectionsText(way),
        met: Math.max(...way.runs.map((run) => run.connections)) <= way.concurrency,
      })),
    ],
    notes: [
      `Batch rows: \`deleteInBatches\` with the real \`CloudflareClient\` over \`createTransport\` (an undici Agent, keep-alive, as many connections as the concurrency), batch size ${BATCH_SIZE}, no retries, zone seeded with ${count(MAPPINGS)} sample mappings before each run; median wall time of ${REPEATS} runs, connections are the most any run opened. Every run deleted all ${count(MAPPINGS)}.`,
      `Floor: ceil(${count(MAPPINGS)}/${BATCH_SIZE}) requests / concurrency × ${LATENCY_MS} ms; for one DELETE per IP, ${count(MAPPINGS)} × ${LATENCY_MS} ms. ${roundsNote()}`,
      "CPU ms/request: CPU time of the client's process and of the sandbox's process during the run, per request. The sandbox answers one request at a time on one thread, so with concurrency c each round of requests waits about c × its CPU per request beyond the latency.",
      `One DELETE per IP: \`DELETE /zones/{id}/origin/cloud_regions/{ip}\`, one request after another over the same kind of Agent (one connection): the per-IP endpoint, which issue 4 names as the way Cloudflare's Terraform provider removes mappings. ${ONE_BY_ONE_SAMPLE} IPs timed once and scaled ×${MAPPINGS / ONE_BY_ONE_SAMPLE}. With one resource per mapping, Terraform's default parallelism of 10 would divide that time by up to 10.`,
      "The sandbox runs in a child process, so its own work (reading and answering each request) is not counted in the client's process; on this 2-core machine it still competes for the CPU with the client and anything else running.",
    ],
    data: ways.map((way) => ({ ...way, wallMs: wallMs(way), floorMs: floorMs(way) })),
  };
}

async function deleteInBatchesOnce(sandbox: SandboxChild, concurrency: number): Promise<Run> {
  const originIps = await sandbox.fill(MAPPINGS);
  const api = clientFor(sandbox, concurrency);
  try {
    const started = performance.now();
    const cpuAtStart = process.cpuUsage();
    const outcome = await deleteInBatches(api.client, {
      zoneId: sandbox.zoneId,
      originIps,
      batchSize: BATCH_SIZE,
      concurrency,
      maxRetries: 0,
    });
    const wallMs = performance.now() - started;
    const clientCpuMs = cpuMsSince(cpuAtStart);
    return {
      wallMs,
      clientCpuMs,
      ...(await tally(sandbox, outcome.succeeded.length, originIps.length)),
    };
  } finally {
    await api.close();
  }
}

/** One DELETE per IP, waiting for each answer before the next request. */
async function deleteOneByOne(sandbox: SandboxChild, sample: number): Promise<Run> {
  const originIps = await sandbox.fill(sample);
  const { dispatcher, close } = clientFor(sandbox, 1);
  const base = new URL(sandbox.url);
  let deleted = 0;
  try {
    const started = performance.now();
    const cpuAtStart = process.cpuUsage();
    for (const originIp of originIps) {
      const answer = await dispatcher.request({
        origin: base.origin,
        path: `${base.pathname}/zones/${sandbox.zoneId}/origin/cloud_regions/${originIp}`,
        method: 'DELETE',
        headers: { authorization: `Bearer ${sandbox.token}`, accept: 'application/json' },
      });
      await answer.body.text();
      if (answer.statusCode === 200) deleted++;
    }
    const wallMs = performance.now() - started;
    const clientCpuMs = cpuMsSince(cpuAtStart);
    return { wallMs, clientCpuMs, ...(await tally(sandbox, deleted, originIps.length)) };
  } finally {
    await close();
  }
}

async function tally(sandbox: SandboxChild, deleted: number, expected: number) {
  const stats = await sandbox.stats();
  if (deleted !== expected || stats.mappings !== 0) {
    throw new Error(
      `Only ${deleted} of ${expected} mappings were deleted; the figure would be wrong.`,
    );
  }
  return {
    requests: stats.requests,
    deleted,
    connections: stats.connections,
    sandboxCpuMs: stats.cpuMs,
  };
}

function wallMs(way: Way): number {
  return median(way.runs.map((run) => run.wallMs)) * way.scale;
}

function floorMs(way: Way): number {
  const requests = way.scale === 1 ? Math.ceil(MAPPINGS / BATCH_SIZE) : MAPPINGS;
  return (requests / way.concurrency) * LATENCY_MS;
}

function connectionsText(way: Way): string {
  return way.runs.map((run) => run.connections).join(', ');
}

/** Where the time above the floor goes: the work each request costs on either side. */
function cpuPerRequest(way: Way): string {
  const perRequest = (pick: (run: Run) => number) =>
    median(way.runs.map((run) => pick(run) / run.requests)).toFixed(1);
  return `${perRequest((run) => run.clientCpuMs)} + ${perRequest((run) => run.sandboxCpuMs)}`;
}

/** Requests go in whole rounds, so a floor of fractional rounds cannot quite be reached. */
function roundsNote(): string {
  const requests = Math.ceil(MAPPINGS / BATCH_SIZE);
  const uneven = CONCURRENCIES.filter((concurrency) => requests % concurrency !== 0);
  const rounds = uneven.map(
    (concurrency) =>
      `${Math.ceil(requests / concurrency)} rounds at concurrency ${concurrency} (best wall/floor ${ratio(Math.ceil(requests / concurrency) / (requests / concurrency))})`,
  );
  return rounds.length > 0 ? `${requests} requests take ${rounds.join(', ')}.` : '';
}
