// The tests entry the bench gives the extension host (see ../hostActivation.ts): activates the
// extension once, as its first command would, writes how long that took, then opens Running
// Extensions, where the runner reads the host's own activation time.
import { existsSync, writeFileSync } from 'node:fs';
import { setTimeout as sleep } from 'node:timers/promises';
import * as vscode from 'vscode';

const EXTENSION_NAME = 'cloudflare-origin-regions';

export async function run(): Promise<void> {
  const extension = vscode.extensions.all.find(
    (candidate) => candidate.packageJSON.name === EXTENSION_NAME,
  );
  if (!extension) throw new Error('The extension under development is not loaded.');

  const wasActive = extension.isActive;
  const started = performance.now();
  await extension.activate();
  const activateMs = performance.now() - started;
  writeFileSync(process.env.CFOR_BENCH_RESULT!, JSON.stringify({ activateMs, wasActive }));

  await vscode.commands.executeCommand('workbench.action.showRuntimeExtensions');
  // The host ends when run() resolves: wait until the runner has read the editor.
  const deadline = Date.now() + 60_000;
  while (!existsSync(process.env.CFOR_BENCH_DONE!) && Date.now() < deadline) await sleep(100);
}
