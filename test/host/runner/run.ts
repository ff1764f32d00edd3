// `npm run test:host`: runs the host suite (test/host/suite) inside a real VS Code extension
// host, offline: code-server serves the workbench, headless Chromium opens it with the test
// payload, and the suite's result becomes this process's exit code.
import { existsSync, readFileSync, rmSync } from 'node:fs';
import * as path from 'node:path';
import { format } from 'node:util';
import type { Browser } from 'playwright-core';
import { sampleMappings } from '../../sandbox/samples';
import { startSandbox, type MappingInput, type Sandbox } from '../../sandbox/server';
import { SHARED_SANDBOX_ENV, type SharedSandbox } from '../sharedSandbox';
import { launchChromium } from './browser';
import { ensureCodeServer, REPO_ROOT, startCodeServer, type RunningCodeServer } from './codeServer';
import { freshProfile } from './profile';

const SUITE_TIMEOUT_MS = 10 * 60_000;

async function main(): Promise<number> {
  if (!existsSync(path.join(REPO_ROOT, 'dist', 'extension.js'))) {
    throw new Error('dist/extension.js is missing: run `npm run compile` first.');
  }
  const launcher = ensureCodeServer();
  const profile = freshProfile();
  const resultFile = path.join(profile.root, 'result.json');
  let server: RunningCodeServer | undefined;
  const browser = await launchChromium();

  // A sandbox outside the hosts, for the journal's restart check: seeded here, emptied by the
  // first host, restored by the second, compared here.
  const shared = await startSandbox({ zoneName: 'restart.example' });
  const seed = sampleMappings(30);
  shared.seed(shared.zoneId, seed);
  const sharedInfo: SharedSandbox = {
    url: shared.url,
    zoneId: shared.zoneId,
    zoneName: shared.zoneName,
    token: shared.token,
    originIps: seed.map((mapping) => mapping.originIp),
  };

  try {
    server = await startCodeServer({
      launcher,
      folder: profile.workspace,
      userDataDir: profile.userDataDir,
      extensionsDir: profile.extensionsDir,
      logFile: profile.logFile,
      testDriver: true,
      env: {
        CFOR_HOST_RESULT: resultFile,
        CFOR_HOST_WORKSPACE: profile.workspace,
        [SHARED_SANDBOX_ENV]: JSON.stringify(sharedInfo),
      },
    });

    let code = await runInNewHost(browser, server, profile.workspace, 'index.js');
    if (code === 0) {
      console.log('Restarting the extension host: a second window runs test/host/restart.');
      code = await runInNewHost(
        browser,
        server,
        profile.workspace,
        path.join('restart', 'index.js'),
      );
    }
    if (code === 0) code = compareWithSeed(shared, seed);
    if (code !== 0 && existsSync(profile.logFile)) {
      console.error(`--- code-server log (${profile.logFile}) ---`);
      console.error(readFileSync(profile.logFile, 'utf8').split('\n').slice(-40).join('\n'));
    }
    return code;
  } finally {
    await browser.close();
    await server?.stop();
    await shared.close();
    if (!process.env.CFOR_KEEP_PROFILE) rmSync(profile.root, { recursive: true, force: true });
  }
}

/** Opens a new window (and so a new extension host) running one test entry; its exit code. */
async function runInNewHost(
  browser: Browser,
  server: RunningCodeServer,
  workspace: string,
  entry: string,
): Promise<number> {
  const page = await browser.newPage();
  try {
    const exitCode = new Promise<number>((resolve) => {
      void page.exposeFunction('codeAutomationExit', (code: number) => resolve(code));
    });
    await page.exposeFunction('codeAutomationLog', (_type: string, args: unknown[]) => {
      const line = format(...(args as [unknown, ...unknown[]]));
      if (!isNoise(line)) console.log(line);
    });
    const remote = (file: string) => `vscode-remote://127.0.0.1:${server.port}${file}`;
    const payload = [
      ['extensionDevelopmentPath', remote(REPO_ROOT)],
      ['extensionTestsPath', remote(path.join(REPO_ROOT, 'out', 'test', 'host', entry))],
      ['skipWelcome', 'true'],
      ['skipReleaseNotes', 'true'],
    ];
    const query = `folder=${encodeURIComponent(workspace)}&payload=${encodeURIComponent(JSON.stringify(payload))}`;
    await page.goto(`${server.url}/?${query}`);
    return await Promise.race([
      exitCode,
      new Promise<number>((resolve) =>
        setTimeout(() => {
          console.error(`${entry} did not finish within ${SUITE_TIMEOUT_MS / 60_000} minutes.`);
          resolve(2);
        }, SUITE_TIMEOUT_MS).unref(),
      ),
    ]);
  } finally {
    // Closing the window ends its extension host.
    await page.close();
  }
}

/** After both hosts: the shared zone must hold exactly its seed again, vendor and region included. */
function compareWithSeed(sandbox: Sandbox, seed: MappingInput[]): number {
  const describe = (mappings: MappingInput[]) =>
    mappings.map(({ originIp, vendor, region }) => `${originIp} ${vendor} ${region}`).sort();
  const now = describe(sandbox.mappings());
  const expected = describe(seed);
  if (JSON.stringify(now) === JSON.stringify(expected)) {
    console.log(
      "The restart check passed: the second host restored the first host's deletion exactly.",
    );
    return 0;
  }
  console.error(
    `The restart check failed: the zone holds ${now.length} mappings, not its ${expected.length}.`,
  );
  return 1;
}

/** Known harmless lines of an offline host (see the README's development section). */
function isNoise(line: string): boolean {
  return /open-vsx\.org|ENOTFOUND|github.*authentication|Extension host.*terminated/i.test(line);
}

for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.once(signal, () => process.exit(130));
}

main().then(
  (code) => process.exit(code),
  (error: unknown) => {
    console.error(error);
    process.exit(1);
  },
);
