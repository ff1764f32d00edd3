// One end-to-end session: the sandbox, code-server with the packaged extension installed, and a
// Chromium page on its workbench. A test file opens one in before() and closes it in after().
import { execFile } from 'node:child_process';
import { cpSync, existsSync, rmSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';
import { promisify } from 'node:util';
import type { Page } from 'playwright-core';
import { launchChromium } from '../host/runner/browser';
import {
  ensureCodeServer,
  nodeFirstOnPath,
  REPO_ROOT,
  startCodeServer,
} from '../host/runner/codeServer';
import { freshProfile, type Profile } from '../host/runner/profile';
import { startSandbox, type Sandbox } from '../sandbox/server';
import { Workbench } from './workbench';

export const VSIX = path.join(REPO_ROOT, 'cloudflare-origin-regions.vsix');
const FIXTURES = path.join(REPO_ROOT, 'test', 'e2e', 'fixtures');
const VIEWPORT = { width: 1280, height: 800 };

export interface Session {
  sandbox: Sandbox;
  workbench: Workbench;
  page: Page;
  profile: Profile;
  /** Stops everything the session started; calling it again waits for the same stop. */
  close(): Promise<void>;
}

/**
 * Starts the sandbox, writes its URL (and `settings`, keys without the section prefix) into
 * the user settings, installs the .vsix, starts code-server on a workspace holding the
 * fixtures and `files` (name to text), and opens the workbench in Chromium. A start that fails stops what it started.
 */
export async function openSession(
  settings: Record<string, unknown> = {},
  files: Record<string, string> = {},
): Promise<Session> {
  if (!existsSync(VSIX)) {
    throw new Error(`${VSIX} is missing: run \`npx tsc -p . && npm run package\` first.`);
  }
  listenForInterrupts();
  const starting = start(settings, files);
  startingSessions.add(starting);
  try {
    return await starting;
  } finally {
    startingSessions.delete(starting);
  }
}

async function start(
  settings: Record<string, unknown>,
  files: Record<string, string>,
): Promise<Session> {
  const launcher = ensureCodeServer();
  const stops: (() => Promise<void>)[] = [];
  let stopped: Promise<void> | undefined;
  const close = () => {
    stopped ??= (async () => {
      // Last started, first stopped; every step runs even when an earlier one throws.
      for (const stop of stops.reverse()) {
        await stop().catch((error: unknown) => console.error('e2e cleanup:', error));
      }
      openSessions.delete(close);
    })();
    return stopped;
  };
  openSessions.add(close);

  try {
    const sandbox = await startSandbox();
    stops.push(() => sandbox.close());

    const profile = freshProfile({
      ...prefixed(settings),
      'cloudflareOriginRegions.apiBaseUrl': sandbox.url,
      // Quieter and steadier screens: no port-forwarding offers, no minimap, no empty space
      // below the last line, no secondary side bar.
      'remote.autoForwardPorts': false,
      'editor.minimap.enabled': false,
      'editor.scrollBeyondLastLine': false,
      'workbench.secondarySideBar.defaultVisibility': 'hidden',
    });
    stops.push(async () => {
      if (!process.env.CFOR_KEEP_PROFILE) rmSync(profile.root, { recursive: true, force: true });
    });
    cpSync(FIXTURES, profile.workspace, { recursive: true });
    // Files a test writes later may be missing from Quick Open's cached file list.
    for (const [name, text] of Object.entries(files)) {
      writeFileSync(path.join(profile.workspace, name), text);
    }
    await installVsix(launcher, profile);

    const server = await startCodeServer({
      launcher,
      profile,
    });
    stops.push(() => server.stop());
    serverStops.add(server.stop);
    stops.push(async () => void serverStops.delete(server.stop));

    const browser = await launchChromium();
    stops.push(() => browser.close());
    const context = await browser.newContext({ viewport: VIEWPORT });
    const page = await context.newPage();
    await page.goto(`${server.url}/?folder=${encodeURIComponent(profile.workspace)}`);

    const workbench = new Workbench(page);
    await workbench.waitReady();
    return { sandbox, workbench, page, profile, close };
  } catch (error) {
    await close();
    throw error;
  }
}

// code-server runs in its own process group, so Control+C in the terminal does not reach it.
// On an interrupt, each code-server is signalled at once (stop() signals its group before its
// first await), since Playwright's own handler may end this process right after; then any
// start in progress is let finish, every session is closed, and the process exits.
const openSessions = new Set<() => Promise<void>>();
const startingSessions = new Set<Promise<Session>>();
const serverStops = new Set<() => Promise<void>>();
let listening = false;

function listenForInterrupts(): void {
  if (listening) return;
  listening = true;
  for (const signal of ['SIGINT', 'SIGTERM'] as const) {
    process.once(signal, () => {
      for (const stop of serverStops) void stop();
      void stopEverything().finally(() => process.exit(130));
    });
  }
}

async function stopEverything(): Promise<void> {
  await Promise.allSettled(startingSessions);
  await Promise.allSettled([...openSessions].map((close) => close()));
}

async function installVsix(launcher: string, profile: Profile): Promise<void> {
  await promisify(execFile)(
    launcher,
    [
      '--user-data-dir',
      profile.userDataDir,
      '--extensions-dir',
      profile.extensionsDir,
      '--install-extension',
      VSIX,
    ],
    { env: nodeFirstOnPath(), timeout: 60_000 },
  );
}

function prefixed(settings: Record<string, unknown>): Record<string, unknown> {
  return Object.fromEntries(
    Object.entries(settings).map(([key, value]) => [`cloudflareOriginRegions.${key}`, value]),
  );
}
