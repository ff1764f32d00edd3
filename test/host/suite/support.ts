import * as assert from 'node:assert/strict';
import { readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';
import * as vscode from 'vscode';
import type { RunReport } from '../../../src/core/report';
import { startSandbox, type MappingInput, type Sandbox } from '../../sandbox/server';

export const SECTION = 'cloudflareOriginRegions';

/** The workspace folder code-server opened; the host inherits the runner's environment. */
export function workspaceFolder(): string {
  const folder =
    vscode.workspace.workspaceFolders?.[0]?.uri.fsPath ?? process.env.CFOR_HOST_WORKSPACE;
  assert.ok(folder, 'a workspace folder is open');
  return folder;
}

/** Writes a user-level setting (undefined removes it) and waits until the host sees it. */
export async function setUserSetting(key: string, value: unknown): Promise<void> {
  await vscode.workspace
    .getConfiguration(SECTION)
    .update(key, value, vscode.ConfigurationTarget.Global);
}

/** Writes `text` to a file of the workspace and opens it in an editor. */
export async function openFile(name: string, text: string): Promise<vscode.TextEditor> {
  const file = path.join(workspaceFolder(), name);
  writeFileSync(file, text);
  const document = await vscode.workspace.openTextDocument(vscode.Uri.file(file));
  return vscode.window.showTextDocument(document);
}

/** Selects whole lines `[from, to)` of the editor, one selection per range (multi-cursor). */
export function selectLines(editor: vscode.TextEditor, ...ranges: [number, number][]): void {
  editor.selections = ranges.map(([from, to]) => new vscode.Selection(from, 0, to, 0));
}

/**
 * Registers the hooks of a suite that deletes as a signed-in user: a sandbox that the settings
 * point at, with its token stored, before the suite; `seeded` afresh before each test; after
 * the suite, credentials and settings removed and the sandbox closed. `take` receives it.
 */
export function useSignedInSandbox(
  take: (sandbox: Sandbox) => void,
  seeded: readonly MappingInput[],
  settings: Record<string, unknown> = {},
): void {
  let sandbox: Sandbox | undefined;

  before(async () => {
    sandbox = await startSandbox();
    take(sandbox);
    await setUserSetting('apiBaseUrl', sandbox.url);
    for (const [key, value] of Object.entries(settings)) await setUserSetting(key, value);
    const stored = await vscode.commands.executeCommand(`${SECTION}.setCredentials`, {
      authMethod: 'apiToken',
      apiToken: sandbox.token,
    });
    assert.equal(stored, true, 'the sandbox token is accepted and stored');
  });
  beforeEach(() => {
    sandbox!.reset();
    sandbox!.seed(sandbox!.zoneId, seeded);
  });
  after(async () => {
    await vscode.commands.executeCommand(`${SECTION}.clearCredentials`);
    for (const key of ['apiBaseUrl', ...Object.keys(settings)])
      await setUserSetting(key, undefined);
    await sandbox?.close();
  });
}

export function deleteSelected(args?: unknown): Thenable<RunReport | undefined> {
  return vscode.commands.executeCommand<RunReport | undefined>(`${SECTION}.deleteSelected`, args);
}

/** Every occurrence of `needle` in the document, as ranges. */
export function occurrencesOf(document: vscode.TextDocument, needle: string): vscode.Range[] {
  const text = document.getText();
  const ranges: vscode.Range[] = [];
  for (let at = text.indexOf(needle); at >= 0; at = text.indexOf(needle, at + 1)) {
    ranges.push(new vscode.Range(document.positionAt(at), document.positionAt(at + needle.length)));
  }
  return ranges;
}

export function diagnosticsAt(uri: vscode.Uri, range: vscode.Range): vscode.Diagnostic[] {
  return vscode.languages
    .getDiagnostics(uri)
    .filter((diagnostic) => diagnostic.range.isEqual(range));
}

/** Polls until `check` stops throwing, for effects that land on a later turn of the host. */
export async function eventually(check: () => void, timeoutMs = 5000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    try {
      check();
      return;
    } catch (error) {
      if (Date.now() > deadline) throw error;
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
  }
}

/**
 * Runs the command and presses Enter in its first prompt, once `ready` holds (say, the zone
 * list was answered) and the prompt has had `delayMs` to show its items. Fails when the
 * command ends before that: then it asked nothing, which the test did not expect.
 */
export async function acceptingFirstPrompt<T>(
  command: () => Thenable<T>,
  ready: () => boolean = () => true,
  delayMs = 500,
): Promise<T> {
  let settled = false;
  const result = Promise.resolve(command()).finally(() => (settled = true));
  await eventually(() => assert.ok(ready() || settled, 'the prompt has what it needs'), 20_000);
  await new Promise((resolve) => setTimeout(resolve, delayMs));
  assert.ok(!settled, 'the command asked something before it ended');
  await vscode.commands.executeCommand('workbench.action.acceptSelectedQuickOpenItem');
  return result;
}

/** Presses Escape on every prompt the command shows, as a person declining would, until it ends. */
export async function declining<T>(command: Thenable<T>): Promise<T> {
  let settled = false;
  const result = Promise.resolve(command).finally(() => (settled = true));
  while (!settled) {
    await new Promise((resolve) => setTimeout(resolve, 300));
    if (!settled) await vscode.commands.executeCommand('workbench.action.closeQuickOpen');
  }
  return result;
}

/**
 * What the extension has written to its log ("Cloudflare Origin Regions") in this host so far,
 * read from the file VS Code keeps under the profile's logs folder, one entry per line, without
 * time stamps.
 */
export function extensionLog(): string[] {
  const logs = path.join(path.dirname(workspaceFolder()), 'user-data', 'logs');
  const files: string[] = [];
  const visit = (folder: string) => {
    for (const entry of readdirSync(folder, { withFileTypes: true })) {
      const full = path.join(folder, entry.name);
      if (entry.isDirectory()) visit(full);
      else if (entry.name === 'Cloudflare Origin Regions.log') files.push(full);
    }
  };
  visit(logs);
  const newest = files.sort((a, b) => statSync(a).mtimeMs - statSync(b).mtimeMs).at(-1);
  assert.ok(newest, `the extension's log file is under ${logs}`);
  return readFileSync(newest, 'utf8')
    .split('\n')
    .filter((line) => line !== '')
    .map((line) => line.replace(/^\S+ \S+ /, ''));
}

/** Waits until the extension's log holds a line matching `pattern`; resolves to that line. */
export async function loggedLine(pattern: RegExp, since = 0): Promise<string> {
  return (await loggedLines(pattern, since, 1)).at(-1)!;
}

/** How many lines the log holds now: pass it to loggedLine(s) to read only what comes later. */
export function logMark(): number {
  return extensionLog().length;
}

/** Waits until the log holds `count` lines matching `pattern` after line `since`; returns them. */
export async function loggedLines(
  pattern: RegExp,
  since: number,
  count: number,
): Promise<string[]> {
  let found: string[] = [];
  await eventually(() => {
    found = extensionLog()
      .slice(since)
      .filter((line) => pattern.test(line));
    assert.ok(found.length >= count, `the log has ${count} lines matching ${pattern}`);
  });
  return found;
}

/** The extension's journal file, in the profile's global storage. */
export function journalFile(): string {
  const storage = path.join(path.dirname(workspaceFolder()), 'user-data', 'User', 'globalStorage');
  return path.join(storage, 'origin-regions.cloudflare-origin-regions', 'journal.jsonl');
}

/** A run older than the retention the suite sets, for the pruning check across the restart. */
export const EXPIRED_RUN_ID = 'expired-run-for-the-pruning-check';
