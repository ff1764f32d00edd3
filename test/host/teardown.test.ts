// The host runner, interrupted while the suite runs: it must stop code-server, Chromium and the
// extension host, remove its profile and exit with 130, leaving no process behind.
import * as assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import * as path from 'node:path';
import { descendantsOf, isRunning, processesNaming } from './runner/processes';

const RUNNER = path.join(__dirname, 'runner', 'run.js');

describe('the host runner', function () {
  this.timeout(180_000);

  let runner: ChildProcess | undefined;
  after(() => {
    // A failed check must not leave the run going.
    if (runner?.exitCode === null) runner.kill('SIGINT');
  });

  it('stops everything it started and removes its profile when interrupted', async () => {
    const child = spawn(process.execPath, [RUNNER], { stdio: ['ignore', 'pipe', 'pipe'] });
    runner = child;
    const exited = new Promise<number | null>((resolve) => child.once('exit', resolve));
    let output = '';
    const profile = await new Promise<string>((resolve, reject) => {
      const timer = setTimeout(
        () => reject(new Error(`The suite never started:\n${output}`)),
        150_000,
      );
      child.stdout.on('data', (chunk: Buffer) => {
        output += chunk.toString();
        const root = /Host suite profile: (\S+)/.exec(output)?.[1];
        // The first test of the suite has run: code-server, Chromium and a host are all up.
        if (root && output.includes('contributes its commands')) {
          clearTimeout(timer);
          resolve(root);
        }
      });
      child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
    });
    assert.ok(processesNaming(profile).length > 0, 'code-server runs with the profile');
    // Chromium, code-server, the extension host and the rest, whatever their command lines.
    const started = descendantsOf(child.pid!);
    assert.ok(started.length >= 3, `the run started its processes: ${started.length}`);

    child.kill('SIGINT');
    assert.equal(await exited, 130);
    assert.deepEqual(processesNaming(profile), [], 'no process names the profile any more');
    assert.deepEqual(started.filter(isRunning), [], 'no process the run started is left');
    assert.equal(existsSync(profile), false, 'the profile folder is removed');
  });
});
