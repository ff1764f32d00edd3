// The host runner, interrupted while the suite runs: it must stop code-server, Chromium and the
// extension host, remove its profile and exit with 130, leaving no process behind.
import * as assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import * as path from 'node:path';

const RUNNER = path.join(__dirname, 'runner', 'run.js');

/** The command lines of every process that names `text`, read from /proc. */
function processesNaming(text: string): string[] {
  return readdirSync('/proc')
    .filter((entry) => /^\d+$/.test(entry))
    .flatMap((pid) => {
      try {
        const command = readFileSync(`/proc/${pid}/cmdline`, 'utf8').replace(/\0/g, ' ');
        return command.includes(text) ? [`${pid}: ${command.slice(0, 120)}`] : [];
      } catch {
        return []; // Ended meanwhile.
      }
    });
}

describe('the host runner', function () {
  this.timeout(180_000);

  it('stops everything it started and removes its profile when interrupted', async () => {
    const runner = spawn(process.execPath, [RUNNER], { stdio: ['ignore', 'pipe', 'pipe'] });
    const exited = new Promise<number | null>((resolve) => runner.once('exit', resolve));
    let output = '';
    const profile = await new Promise<string>((resolve, reject) => {
      const timer = setTimeout(
        () => reject(new Error(`The suite never started:\n${output}`)),
        150_000,
      );
      runner.stdout.on('data', (chunk: Buffer) => {
        output += chunk.toString();
        const root = /Host suite profile: (\S+)/.exec(output)?.[1];
        // The first test of the suite has run: code-server, Chromium and a host are all up.
        if (root && output.includes('contributes its commands')) {
          clearTimeout(timer);
          resolve(root);
        }
      });
      runner.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
    });
    assert.ok(processesNaming(profile).length > 0, 'code-server runs with the profile');

    runner.kill('SIGINT');
    assert.equal(await exited, 130);
    assert.deepEqual(processesNaming(profile), [], 'no process of the run is left');
    assert.equal(existsSync(profile), false, 'the profile folder is removed');
  });
});
