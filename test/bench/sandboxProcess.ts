// The sandbox in a process of its own, driven over IPC by support/sandboxChild.ts: its CPU time
// and memory then do not count in the figures of the process that deletes.
import { sampleMappings } from '../sandbox/samples';
import { MAX_MAPPINGS_PER_ZONE, startSandbox, type Sandbox } from '../sandbox/server';
import { cpuMsSince } from './support/stats';

/** What the bench asks of the sandbox process; each request gets one reply with its `id`. */
export type SandboxCommand =
  /** Empties the sandbox and puts `count` sample mappings in the zone; replies with their IPs. */
  | { id: number; kind: 'fill'; count: number }
  /**
   * Empties the sandbox, then keeps the zone filled from `originIps` in that order, topping it
   * up to the zone's limit after each answered request: the whole list can be deleted in one
   * run although a zone never holds more than 3,500 mappings.
   */
  | { id: number; kind: 'feed'; originIps: string[] }
  | { id: number; kind: 'stats' };

export interface SandboxStats {
  requests: number;
  /** TCP connections accepted since the last fill or feed. */
  connections: number;
  /** Mappings left in the zone. */
  mappings: number;
  /** Mappings put in the zone since the last fill or feed. */
  seeded: number;
  /** CPU time of the sandbox process since the last feed, or since a fill had seeded the zone. */
  cpuMs: number;
}

export interface SandboxAddress {
  url: string;
  zoneId: string;
  token: string;
}

const VENDOR_REGION = sampleMappings(1)[0];

let queue: string[] = [];
let seeded = 0;
let requests = 0;
let cpuAtRestart = process.cpuUsage();

async function main(): Promise<void> {
  const sandbox = await startSandbox({
    latencyMs: Number(process.env.SANDBOX_LATENCY_MS ?? 0),
    onRequest: () => {
      requests++;
      // Records hold each body; only the count is wanted here.
      sandbox.clearRequests();
      topUp(sandbox);
    },
  });
  process.on('message', (command: SandboxCommand) => process.send!(reply(sandbox, command)));
  process.on('disconnect', () => void sandbox.close().then(() => process.exit(0)));
  const address: SandboxAddress = {
    url: sandbox.url,
    zoneId: sandbox.zoneId,
    token: sandbox.token,
  };
  process.send!({ ready: address });
}

function reply(sandbox: Sandbox, command: SandboxCommand) {
  switch (command.kind) {
    case 'fill': {
      restart(sandbox, []);
      const mappings = sampleMappings(command.count);
      sandbox.seed(sandbox.zoneId, mappings);
      seeded = mappings.length;
      // Seeding is preparation, not part of the run the figure times.
      cpuAtRestart = process.cpuUsage();
      return { id: command.id, result: mappings.map((mapping) => mapping.originIp) };
    }
    case 'feed':
      restart(sandbox, command.originIps);
      topUp(sandbox);
      return { id: command.id, result: null };
    case 'stats': {
      const stats: SandboxStats = {
        requests,
        connections: sandbox.connections,
        mappings: sandbox.mappings().length,
        seeded,
        cpuMs: cpuMsSince(cpuAtRestart),
      };
      return { id: command.id, result: stats };
    }
  }
}

function restart(sandbox: Sandbox, originIps: string[]): void {
  sandbox.reset();
  queue = originIps;
  seeded = 0;
  requests = 0;
  cpuAtRestart = process.cpuUsage();
}

function topUp(sandbox: Sandbox): void {
  if (seeded >= queue.length) return;
  const room = MAX_MAPPINGS_PER_ZONE - sandbox.mappings().length;
  if (room <= 0) return;
  const next = queue.slice(seeded, seeded + room);
  sandbox.seed(
    sandbox.zoneId,
    next.map((originIp) => ({
      originIp,
      vendor: VENDOR_REGION.vendor,
      region: VENDOR_REGION.region,
    })),
  );
  seeded += next.length;
}

void main();
