// Activation inside a real extension host (code-server's, with headless Chromium as the window),
// as `npm run test:host` starts it: a fresh profile and server for every run.
import { existsSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import type { Browser, Page } from 'playwright-core';
import { launchChromium } from '../host/runner/browser';
import { ensureCodeServer, REPO_ROOT, startCodeServer } from '../host/runner/codeServer';
import { freshProfile } from '../host/runner/profile';

export interface HostActivation {
  /** `await extension.activate()` timed by the caller, inside the host. */
  callerMs: number;
  /** The host's own figure (code loading plus the activate call), from Running Extensions. */
  hostMs?: number;
  /** True would mean something activated the extension before the payload could time it. */
  wasActive: boolean;
}

const RUN_TIMEOUT_MS = 120_000;
const DISPLAY_NAME = /Cloudflare Origin Cloud Regions|origin-regions\.cloudflare-origin-regions/;

/**
 * Starts the host `runs` times, with the extension in `extensionRoot` (a folder holding its
 * package.json and dist/) under development, and activates it once in each.
 */
export async function measureActivationInHost(
  extensionRoot: string,
  runs: number,
): Promise<HostActivation[]> {
  const launcher = ensureCodeServer();
  const browser = await launchChromium();
  try {
    const results: HostActivation[] = [];
    for (let run = 0; run < runs; run++) {
      results.push(await activateOnce(launcher, browser, extensionRoot));
    }
    return results;
  } finally {
    await browser.close();
  }
}

async function activateOnce(
  launcher: string,
  browser: Browser,
  extensionRoot: string,
): Promise<HostActivation> {
  const profile = freshProfile();
  const resultFile = path.join(profile.root, 'activation.json');
  const doneFile = path.join(profile.root, 'done');
  const server = await startCodeServer({
    launcher,
    profile,
    testDriver: true,
    env: { CFOR_BENCH_RESULT: resultFile, CFOR_BENCH_DONE: doneFile },
  });
  // Tall enough for every running extension's row to be rendered, ours included.
  const page = await browser.newPage({ viewport: { width: 1400, height: 4000 } });
  try {
    const exited = new Promise<number>((resolve) => {
      void page.exposeFunction('codeAutomationExit', (code: number) => resolve(code));
    });
    await page.exposeFunction('codeAutomationLog', () => {});
    const query = payloadQuery(server.port, extensionRoot, profile.workspace);
    await page.goto(`${server.url}/?${query}`);

    const caller = await waitForJson<{ activateMs: number; wasActive: boolean }>(resultFile);
    const hostMs = await readHostActivationTime(page);
    writeFileSync(doneFile, '');
    await Promise.race([exited, sleep(30_000)]);
    return { callerMs: caller.activateMs, hostMs, wasActive: caller.wasActive };
  } finally {
    await page.close();
    await server.stop();
    rmSync(profile.root, { recursive: true, force: true });
  }
}

/** The payload as test/host/runner/run.ts passes it: the extension and the tests entry. */
function payloadQuery(port: number, extensionRoot: string, workspace: string): string {
  const remote = (file: string) => `vscode-remote://127.0.0.1:${port}${file}`;
  const payload = [
    ['extensionDevelopmentPath', remote(extensionRoot)],
    [
      'extensionTestsPath',
      remote(path.join(REPO_ROOT, 'out', 'test', 'bench', 'host', 'index.js')),
    ],
    ['skipWelcome', 'true'],
    ['skipReleaseNotes', 'true'],
  ];
  return `folder=${encodeURIComponent(workspace)}&payload=${encodeURIComponent(JSON.stringify(payload))}`;
}

async function waitForJson<T>(file: string): Promise<T> {
  const deadline = Date.now() + RUN_TIMEOUT_MS;
  while (!existsSync(file)) {
    if (Date.now() > deadline) throw new Error(`The host payload wrote no ${file}`);
    await sleep(100);
  }
  return JSON.parse(readFileSync(file, 'utf8')) as T;
}

/** "Activation: 12ms" in our row of the Running Extensions editor; undefined when not shown. */
async function readHostActivationTime(page: Page): Promise<number | undefined> {
  const row = page
    .locator('.runtime-extensions-editor .monaco-list-row')
    .filter({ hasText: DISPLAY_NAME });
  try {
    const label = row.locator('.activation-time');
    await label.filter({ hasText: /Activation: \d+ms/ }).waitFor({ timeout: 20_000 });
    const match = /Activation: (\d+)ms/.exec((await label.textContent()) ?? '');
    return match ? Number(match[1]) : undefined;
  } catch {
    return undefined;
  }
}
