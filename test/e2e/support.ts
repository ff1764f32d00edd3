// The fixture the end-to-end suites work on, the hooks they share and the steps they repeat.
import * as assert from 'node:assert/strict';
import type { Context } from 'mocha';
import { sampleMappings } from '../sandbox/samples';
import { openSession, type Session } from './session';
import { expectSoon, type Workbench } from './workbench';

/**
 * `fixtures/retired-origins.txt`: a heading, the first 36 sample mappings on lines 2 to 37,
 * two IPs the zone does not hold (lines 38 and 39) and an address that is not valid (line 40).
 * The zone is seeded with 40 sample mappings, so four that the file does not list must
 * survive every run.
 */
export const FILE = 'retired-origins.txt';
export const SEEDED = sampleMappings(40);
export const LISTED = SEEDED.slice(0, 36).map((mapping) => mapping.originIp);
export const NOT_LISTED = SEEDED.slice(36).map((mapping) => mapping.originIp);
export const UNKNOWN = ['198.51.100.77', '2001:db8:ff::1'];
export const INVALID = '300.1.2.3';
const FIRST_LINE = 2;
const LAST_LINE = 40;

/** The line (1-based) of the fixture that holds `originIp`: the header comes first. */
export function lineOf(originIp: string): number {
  const index = [...LISTED, ...UNKNOWN].indexOf(originIp);
  assert.ok(index >= 0, `${originIp} is one of the fixture's IPs`);
  return FIRST_LINE + index;
}

export const MENU_ITEM = 'Delete Cloud Region Mappings for Selected IPs';
export const COMMAND = `Cloudflare Origin Regions: ${MENU_ITEM}`;

/** Selects the fixture's IP lines. */
export function selectIpLines(workbench: Workbench): Promise<void> {
  return workbench.selectLines(FIRST_LINE, LAST_LINE);
}

/**
 * Selects the IP lines, right-clicks them and chooses our item; resolves to the menu's items.
 * With `screenshot`, saves the open menu under that name.
 */
export async function deleteFromContextMenu(
  workbench: Workbench,
  screenshot?: string,
): Promise<string[]> {
  await selectIpLines(workbench);
  const items = await workbench.openContextMenu(INVALID);
  if (screenshot) await workbench.screenshot(screenshot);
  await workbench.chooseMenuItem(MENU_ITEM);
  return items;
}

/** Stores the sandbox's API token through Set API Credentials, as a person does. */
export async function storeToken(workbench: Workbench, token: string): Promise<void> {
  await workbench.runCommand('Cloudflare Origin Regions: Set API Credentials');
  await workbench.waitForPrompt('Cloudflare credentials (1/2): how to authenticate');
  await workbench.pick('API token');
  await workbench.answerInputBox(token);
  await workbench.waitForToast('Cloudflare API token verified and stored securely.');
}

/**
 * Picks the zone by its name and confirms with Delete. `beforeDelete` runs while the dialog
 * is open: the moment to slow the sandbox down for the deletion alone.
 */
export async function pickZoneAndConfirm(
  workbench: Workbench,
  zoneName: string,
  beforeDelete?: () => void,
): Promise<void> {
  await workbench.waitForPrompt('Cloudflare zone');
  await workbench.pick(zoneName);
  await workbench.waitForDialog();
  beforeDelete?.();
  await workbench.pressDialogButton('Delete');
}

/**
 * The lines the last run wrote to the Output panel, without time stamps and levels, from its
 * "Deleting the mappings" line to its "Summary:" line. Waits until the summary is there.
 */
export async function lastRunInLog(workbench: Workbench): Promise<string[]> {
  let run: string[] = [];
  await expectSoon(async () => {
    const lines = (await workbench.outputLines()).map((line) =>
      line.replace(/^\S+ \S+ \[\w+\] /, ''),
    );
    run = lines.slice(lines.findLastIndex((line) => line.startsWith('Deleting the mappings')));
    assert.ok(run[0]?.startsWith('Deleting the mappings'), 'a run has been logged');
    assert.ok(
      run.some((line) => line.startsWith('Summary:')),
      'the run has been logged',
    );
  });
  return run;
}

/** The rows of a table of the log: the indented lines after its heading, trimmed. */
export function tableRows(lines: string[], heading: string): string[] {
  const start = lines.indexOf(heading);
  assert.ok(start >= 0, `the log has "${heading}" in:\n${lines.join('\n')}`);
  const rows: string[] = [];
  for (const line of lines.slice(start + 1)) {
    if (!line.startsWith('  ')) break;
    rows.push(line.trim());
  }
  return rows;
}

export interface SuiteOptions {
  /** Workspace settings for the session. */
  settings?: Record<string, unknown>;
  /** Workspace files beside the fixture, written before the workbench starts. */
  files?: Record<string, string>;
  /** Stores the sandbox's token first, so no test of the suite is asked for credentials. */
  signedIn?: boolean;
  /** Seeds the zone once for the suite, where its tests build on each other's state. */
  seedOnce?: boolean;
}

/**
 * Registers the hooks of an end-to-end suite: one workbench for the whole suite with the
 * fixture open, the zone seeded afresh before each test (or once), and after each test a
 * screenshot if it failed and a tidy workbench. `take` receives the session once it is open.
 */
export function useWorkbench(take: (session: Session) => void, options: SuiteOptions = {}) {
  let session: Session | undefined;

  before(async function () {
    this.timeout(180_000);
    session = await openSession(options.settings, options.files);
    take(session);
    const { workbench, sandbox } = session;
    if (options.seedOnce) sandbox.seed(sandbox.zoneId, SEEDED);
    await workbench.openFile(FILE);
    if (options.signedIn) await storeToken(workbench, sandbox.token);
  });

  after(async () => {
    await session?.close();
  });

  if (!options.seedOnce) {
    beforeEach(() => {
      session!.sandbox.reset();
      session!.sandbox.seed(session!.sandbox.zoneId, SEEDED);
    });
  }

  afterEach(async function () {
    if (!session) return;
    await keepScreenshotOfFailure(this, session.workbench);
    await session.workbench.tidyUp();
  });
}

/** Keeps a screenshot of a failed test in test-results/e2e/. */
async function keepScreenshotOfFailure(context: Context, workbench: Workbench) {
  const test = context.currentTest;
  if (test?.state !== 'failed') return;
  const file = await workbench.saveFailure(test.title).catch((error: Error) => error.message);
  console.log(`      screenshot of the failure: ${file}`);
}
