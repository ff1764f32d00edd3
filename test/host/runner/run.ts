// `npm run test:host`: runs the host suite (test/host/suite) inside a real VS Code extension
// host, offline: code-server serves the workbench, headless Chromium opens it with the test
// payload, and the suite's result becomes this process's exit code.
import { existsSync, readFileSync, rmSync } from 'node:fs';
import * as path from 'node:path';
import { format } from 'node:util';
import type { Browser } from 'playwright-core';
import { launchChromium } from './browser';
import { ensureCodeServer, REPO_ROOT, startCodeServer, type RunningCodeServer } from './codeServer';
import { logFolders, reportLeaks } from './leakScan';
import { freshProfile } from './profile';
import { startRestartCheck } from './restartCheck';

const SUITE_TIMEOUT_MS = 10 * 60_000;

/**
 * What to undo, newest last: each resource is added as soon as it exists, so a failure, a
 * time-out or an interrupt at any point stops exactly what was started.
 */
const teardown: (() => Promise<void>)[] = [];

let tornDown: Promise<void> | undefined;

/** Runs once however often it is called: an interrupt and the failure it causes both call it. */
function tearDown(): Promise<void> {
  tornDown ??= (async () => {
    while (teardown.length > 0) await teardown.pop()!().catch(() => undefined);
  })();
  return tornDown;
}

async function main(): Promise<number> {
  if (!existsSync(path.join(REPO_ROOT, 'dist', 'extension.js'))) {
    throw new Error('dist/extension.js is missing: run `npm run compile` first.');
  }
  const launcher = ensureCodeServer();
  const profile = freshProfile();
  console.log(`Host suite profile: ${profile.root}`);
  teardown.push(async () => {
    if (!process.env.CFOR_KEEP_PROFILE) rmSync(profile.root, { recursive: true, force: true });
  });
  const resultFile = path.join(profile.root, 'result.json');

  const restartCheck = await startRestartCheck();
  teardown.push(() => restartCheck.close());

  const server = await startCodeServer({
    launcher,
    profile,
    testDriver: true,
    // Registered before code-server answers, so an interrupt while it starts stops it too.
    onSpawned: (stop) => teardown.push(stop),
    env: {
      CFOR_HOST_RESULT: resultFile,
      CFOR_HOST_WORKSPACE: profile.workspace,
      ...restartCheck.env,
    },
  });
  const browser = await launchChromium();
  teardown.push(() => browser.close());

  let code = await runInNewHost(browser, server, profile.workspace, 'index.js');
  if (code === 0) {
    console.log('Restarting the extension host: a second window runs test/host/restart.');
    code = await runInNewHost(browser, server, profile.workspace, path.join('restart', 'index.js'));
  }
  if (code === 0) code = restartCheck.verify();
  if (code === 0) code = reportLeaks([...logFolders(profile.userDataDir), profile.logFile]);
  if (code !== 0 && existsSync(profile.logFile)) {
    console.error(`--- code-server log (${profile.logFile}) ---`);
    console.error(readFileSync(profile.logFile, 'utf8').split('\n').slice(-40).join('\n'));
  }
  return code;
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
    await page.exposeFunction('codeAutomationLog', (type: string, args: unknown[]) => {
      // The suite logs at trace level for the leak scan; the workbench's own trace and debug
      // chatter stays out of the output, the suite's lines come as info and error.
      if (type === 'trace' || type === 'debug') return;
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

/** Known harmless lines of an offline host (see the README's development section). */
function isNoise(line: string): boolean {
  return /open-vsx\.org|ENOTFOUND|github.*authentication|Extension host.*terminated/i.test(line);
}

// code-server runs in its own process group, which an interrupt in the terminal does not reach:
// it is stopped here, with everything else, before the process exits.
for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.once(signal, () => void tearDown().finally(() => process.exit(130)));
}
// A crash of the runner itself (a closed stdout pipe, say) must not leave code-server behind.
process.once('uncaughtException', (error) => {
  console.error(error);
  void tearDown().finally(() => process.exit(1));
});

main()
  .catch((error: unknown) => {
    console.error(error);
    return 1;
  })
  .then(async (code) => {
    await tearDown();
    process.exit(code);
  });
