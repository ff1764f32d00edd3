// `npm run sandbox`: a local Cloudflare API to try the extension against, with sample mappings.

import { parseArgs } from 'node:util';

import { sampleMappings } from './samples';
import { startSandbox, type RecordedRequest } from './server';

const USAGE = `Usage: npm run sandbox -- [--port N] [--seed N] [--latency MS]

  --port N      port to listen on, 0 for any free one (default 8787)
  --seed N      sample mappings to put in the zone (default 40)
  --latency MS  milliseconds every request waits before its answer (default 0)`;

interface CliSettings {
  port: number;
  seed: number;
  latencyMs: number;
}

function readSettings(args: string[]): CliSettings | undefined {
  const { values } = parseArgs({
    args,
    options: {
      port: { type: 'string', default: '8787' },
      seed: { type: 'string', default: '40' },
      latency: { type: 'string', default: '0' },
      help: { type: 'boolean', short: 'h', default: false },
    },
  });
  if (values.help) {
    return undefined;
  }

  return {
    port: wholeNumber('--port', values.port, 65535),
    seed: wholeNumber('--seed', values.seed, 3500),
    latencyMs: wholeNumber('--latency', values.latency, 600_000),
  };
}

function wholeNumber(flag: string, text: string, max: number): number {
  const value = Number(text);
  if (!Number.isInteger(value) || value < 0 || value > max) {
    throw new Error(`${flag} takes a whole number from 0 to ${max}, not "${text}"`);
  }
  return value;
}

/** One line per request, without credentials: what a person trying the extension wants to see. */
function describe(request: RecordedRequest): string {
  const time = new Date(request.receivedAt).toISOString().slice(11, 23);
  const status = request.status ?? 'no answer';
  const batch = request.batchIps ? ` (${request.batchIps.length} IPs)` : '';
  const fault = request.fault ? ` [fault: ${request.fault}]` : '';
  const duration = Date.now() - request.receivedAt;
  return `${time} ${request.method} ${request.path}${batch} -> ${status} in ${duration} ms${fault}`;
}

async function main(): Promise<void> {
  const settings = readSettings(process.argv.slice(2));
  if (!settings) {
    console.log(USAGE);
    return;
  }

  const sandbox = await startSandbox({
    port: settings.port,
    latencyMs: settings.latencyMs,
    onRequest: (request) => {
      console.log(describe(request));
      // A long session would otherwise keep every request in memory.
      sandbox.clearRequests();
    },
  });
  sandbox.seed(sandbox.zoneId, sampleMappings(settings.seed));

  console.log(
    [
      'Cloudflare API sandbox (loopback only; test data, not your account)',
      '',
      `  Base URL      ${sandbox.url}`,
      `  Zone          ${sandbox.zoneName}  (zone ID ${sandbox.zoneId})`,
      `  API token     ${sandbox.token}`,
      `  Global key    email ${sandbox.email}  key ${sandbox.apiKey}`,
      `  Mappings      ${settings.seed} sample mappings in ${sandbox.zoneName}`,
      '',
      'In User settings (a workspace value is ignored):',
      `  "cloudflareOriginRegions.apiBaseUrl": "${sandbox.url}"`,
      'Press Ctrl+C to stop.',
      '',
    ].join('\n'),
  );

  const stop = () => {
    console.log('\nStopping the sandbox.');
    sandbox.close().then(
      () => process.exit(0),
      (error: unknown) => {
        console.error(error);
        process.exit(1);
      },
    );
  };
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
}

main().catch((error: unknown) => {
  if ((error as NodeJS.ErrnoException).code === 'EADDRINUSE') {
    console.error('That port is taken; try --port 0 for any free one.');
  } else {
    console.error(error instanceof Error ? error.message : error);
  }
  process.exit(1);
});
