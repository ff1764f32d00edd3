// `npm run test:host`: runs the host suite (test/host/suite) inside a real VS Code extension
// host, offline: code-server serves the workbench, headless Chromium opens it with the test
// payload, and the suite's result becomes this process's exit code.
import { existsSync, readFileSync, rmSync } from 'node:fs';
import * as path from 'node:path';
import { format } from 'node:util';
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

  try {
    server = await startCodeServer({
      launcher,
      folder: profile.workspace,
      userDataDir: profile.userDataDir,
      extensionsDir: profile.extensionsDir,
      logFile: profile.logFile,
      testDriver: true,
      env: { CFOR_HOST_RESULT: resultFile, CFOR_HOST_WORKSPACE: profile.workspace },
    });
    const page = await browser.newPage();
    const exitCode = new Promise<number>((resolve) => {
      void page.exposeFunction('codeAutomationExit', (code: number) => resolve(code));
    });
    await page.exposeFunction('codeAutomationLog', (_type: string, args: unknown[]) => {
      const line = format(...(args as [unknown, ...unknown[]]));
      if (!isNoise(line)) console.log(line);
    });

    const remote = (file: string) => `vscode-remote://127.0.0.1:${server!.port}${file}`;
    const payload = [
      ['extensionDevelopmentPath', remote(REPO_ROOT)],
      ['extensionTestsPath', remote(path.join(REPO_ROOT, 'out', 'test', 'host', 'index.js'))],
      ['skipWelcome', 'true'],
      ['skipReleaseNotes', 'true'],
    ];
    const query = `folder=${encodeURIComponent(profile.workspace)}&payload=${encodeURIComponent(JSON.stringify(payload))}`;
    await page.goto(`${server.url}/?${query}`);

    const code = await Promise.race([
      exitCode,
      new Promise<number>((resolve) =>
        setTimeout(() => {
          console.error(
            `The host suite did not finish within ${SUITE_TIMEOUT_MS / 60_000} minutes.`,
          );
          resolve(2);
        }, SUITE_TIMEOUT_MS).unref(),
      ),
    ]);
    if (code !== 0 && existsSync(profile.logFile)) {
      console.error(`--- code-server log (${profile.logFile}) ---`);
      console.error(readFileSync(profile.logFile, 'utf8').split('\n').slice(-40).join('\n'));
    }
    return code;
  } finally {
    await browser.close();
    await server?.stop();
    if (!process.env.CFOR_KEEP_PROFILE) rmSync(profile.root, { recursive: true, force: true });
  }
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
