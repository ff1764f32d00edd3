// The tests entry of the host suite: VS Code loads it inside the extension host and calls run().
import { readdirSync } from 'node:fs';
import * as path from 'node:path';
import Mocha from 'mocha';

export async function run(): Promise<void> {
  const mocha = new Mocha({ ui: 'bdd', color: false, timeout: 60_000, reporter: 'spec' });
  const suite = path.join(__dirname, 'suite');
  for (const file of readdirSync(suite)
    .filter((name) => name.endsWith('.test.js'))
    .sort()) {
    mocha.addFile(path.join(suite, file));
  }
  const failures = await new Promise<number>((resolve) => mocha.run(resolve));
  console.log(`${mocha.suite.total() - failures} passed, ${failures} failed`);
  if (failures > 0) throw new Error(`${failures} host test(s) failed`);
}
