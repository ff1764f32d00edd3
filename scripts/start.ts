// `npm start`: try the extension without a Cloudflare account. Starts the sandbox with sample
// mappings, then code-server (installed on demand) with the extension, settings pointing at the
// sandbox and a sample workspace; prints where to open it. Ctrl+C stops everything.
// `npm start -- --desktop` opens VS Code desktop (`code` on PATH) instead of code-server.
import { spawn, spawnSync } from 'node:child_process';
import { mkdirSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';
import { sampleMappings } from '../test/sandbox/samples';
import { startSandbox, type Sandbox } from '../test/sandbox/server';
import { ensureCodeServer, REPO_ROOT, startCodeServer } from '../test/host/runner/codeServer';
import { QUIET_SETTINGS } from '../test/host/runner/profile';

const DEMO = path.join(REPO_ROOT, '.cache', 'demo');
const SEEDED = 60;

async function main(): Promise<void> {
  const desktop = process.argv.includes('--desktop');
  const sandbox = await startSandbox({ zoneName: 'example.com' });
  sandbox.seed(sandbox.zoneId, sampleMappings(SEEDED));
  const stops: (() => Promise<void>)[] = [() => sandbox.close()];
  const stopAll = async () => {
    for (const stop of stops.reverse()) await stop().catch(() => undefined);
  };
  process.once('SIGINT', () => void stopAll().then(() => process.exit(0)));
  process.once('SIGTERM', () => void stopAll().then(() => process.exit(0)));

  rmSync(DEMO, { recursive: true, force: true });
  const workspace = sampleWorkspace();
  const settings = {
    ...QUIET_SETTINGS,
    'cloudflareOriginRegions.apiBaseUrl': sandbox.url,
    // The demo is about the editor: no empty chat side bar beside it.
    'workbench.secondarySideBar.defaultVisibility': 'hidden',
  };

  if (desktop) {
    stops.push(openDesktop(workspace, settings));
  } else {
    const userDataDir = path.join(DEMO, 'user-data');
    const extensionsDir = path.join(DEMO, 'extensions');
    mkdirSync(path.join(userDataDir, 'User'), { recursive: true });
    mkdirSync(extensionsDir, { recursive: true });
    writeFileSync(
      path.join(userDataDir, 'User', 'settings.json'),
      JSON.stringify(settings, null, 2),
    );
    // The repository itself is the installed extension: `npm run watch` and Reload Window apply a change.
    const manifest = JSON.parse(readFileSync(path.join(REPO_ROOT, 'package.json'), 'utf8'));
    symlinkSync(
      REPO_ROOT,
      path.join(extensionsDir, `${manifest.publisher}.${manifest.name}-${manifest.version}`),
    );
    const server = await startCodeServer({
      launcher: ensureCodeServer(),
      profile: {
        workspace,
        userDataDir,
        extensionsDir,
        logFile: path.join(DEMO, 'code-server.log'),
      },
    });
    stops.push(server.stop);
    printWelcome(
      sandbox,
      `Open ${server.url}/?folder=${encodeURIComponent(workspace)} in a browser.`,
    );
  }
  if (desktop)
    printWelcome(sandbox, 'VS Code desktop is opening with the extension under development.');

  sandbox.setLatency(150);
}

/** A folder with an inventory of the seeded IPs in the shapes people keep them, plus edge cases. */
function sampleWorkspace(): string {
  const workspace = path.join(DEMO, 'workspace');
  mkdirSync(workspace, { recursive: true });
  const mappings = sampleMappings(SEEDED);
  const csv = [
    'hostname,origin_ip,cloud,region',
    ...mappings.map(
      ({ originIp, vendor, region }, index) =>
        `origin-${index + 1},${originIp},${vendor},${region}`,
    ),
    'origin-old,192.0.2.250,aws,us-east-1',
    'origin-typo,300.1.2.3,aws,us-east-1',
  ];
  writeFileSync(path.join(workspace, 'origins.csv'), csv.join('\n') + '\n');
  const log = mappings.slice(0, 12).map(({ originIp }, index) => {
    const host = originIp.includes(':') ? `[${originIp}]` : originIp;
    return `2026-12-01T10:${String(index).padStart(2, '0')}:00Z upstream ${host}:443 status=200 v1.24.3`;
  });
  writeFileSync(path.join(workspace, 'access.log'), log.join('\n') + '\n');
  return workspace;
}

function openDesktop(workspace: string, settings: Record<string, unknown>): () => Promise<void> {
  if (spawnSync('code', ['--version'], { stdio: 'ignore' }).status !== 0) {
    throw new Error('`code` is not on PATH; run `npm start` without --desktop to use code-server.');
  }
  const userDataDir = path.join(DEMO, 'desktop-user-data');
  mkdirSync(path.join(userDataDir, 'User'), { recursive: true });
  writeFileSync(path.join(userDataDir, 'User', 'settings.json'), JSON.stringify(settings, null, 2));
  const child = spawn(
    'code',
    [
      '--new-window',
      '--wait',
      `--user-data-dir=${userDataDir}`,
      `--extensionDevelopmentPath=${REPO_ROOT}`,
      workspace,
    ],
    { stdio: 'ignore' },
  );
  return async () => {
    child.kill();
  };
}

function printWelcome(sandbox: Sandbox, howToOpen: string): void {
  console.log(`
Cloudflare Origin Cloud Regions: demo
  ${howToOpen}
  Open origins.csv, select some lines, right-click › Delete Cloud Region Mappings for Selected IPs.

  Sandbox API   ${sandbox.url} (already set as cloudflareOriginRegions.apiBaseUrl)
  Zone          ${sandbox.zoneName}  (ID ${sandbox.zoneId}), ${SEEDED} sample mappings
  API token     ${sandbox.token}
  Global key    ${sandbox.email} / ${sandbox.apiKey}

  The sandbox answers after 150 ms, like a real network. Ctrl+C stops everything.
`);
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : error);
  process.exit(1);
});
