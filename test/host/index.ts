// Test entries of the host suite: VS Code loads one inside the extension host and calls run().
// `suite/` is the main suite; `restart/` runs in a second extension host started afterwards
// with the same profile, to check what must survive a restart.
import { readdirSync } from 'node:fs';
import * as path from 'node:path';
import Mocha from 'mocha';
import * as vscode from 'vscode';

export function run(): Promise<void> {
  return runFolder(path.join(__dirname, 'suite'));
}

export async function runFolder(folder: string): Promise<void> {
  // Every level is written to the logs, so the runner's leak scan reads the wire details too.
  await vscode.commands.executeCommand('_extensionTests.setLogLevel', 'trace');
  const mocha = new Mocha({ ui: 'bdd', color: false, timeout: 60_000, reporter: 'spec' });
  for (const file of readdirSync(folder)
    .filter((name) => name.endsWith('.test.js'))
    .sort()) {
    mocha.addFile(path.join(folder, file));
  }
  const failures = await new Promise<number>((resolve) => mocha.run(resolve));
  console.log(`${mocha.suite.total() - failures} passed, ${failures} failed`);
  if (failures > 0) throw new Error(`${failures} host test(s) failed`);
}
