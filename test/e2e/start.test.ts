// `npm start`, as a newcomer tries it: the printed address opens a workbench with the extension
// and a sample workspace, the printed token works at the first prompt, the sample IPs resolve to
// the seeded zone, and Ctrl+C stops everything it started.
import * as assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import * as path from 'node:path';
import type { Browser } from 'playwright-core';
import { launchChromium } from '../host/runner/browser';
import { REPO_ROOT } from '../host/runner/codeServer';
import { processesNaming } from '../host/runner/processes';
import { Workbench } from './workbench';

const START = path.join(REPO_ROOT, 'out', 'scripts', 'start.js');
const DEMO = path.join(REPO_ROOT, '.cache', 'demo');

describe('npm start, as a newcomer tries it', function () {
  this.timeout(180_000);
  let demo: ChildProcess;
  let browser: Browser | undefined;
  let printed = '';

  before(async () => {
    demo = spawn(process.execPath, [START], { stdio: ['ignore', 'pipe', 'pipe'] });
    demo.stdout!.on('data', (chunk: Buffer) => (printed += chunk.toString()));
    demo.stderr!.on('data', (chunk: Buffer) => (printed += chunk.toString()));
    await new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`No address printed:\n${printed}`)), 150_000);
      demo.stdout!.on('data', () => {
        if (/Ctrl\+C stops everything/.test(printed)) {
          clearTimeout(timer);
          resolve();
        }
      });
    });
  });

  after(async () => {
    await browser?.close();
    // Ctrl+C, as a person stops it: SIGKILL would leave code-server's own process group running.
    if (demo.exitCode === null) demo.kill('SIGINT');
  });

  it('prints an address, a zone and a token that work in the browser', async () => {
    const address = /Open (http:\/\/127\.0\.0\.1:\d+\/\S*) in a browser/.exec(printed)?.[1];
    const token = /API token\s+(\S+)/.exec(printed)?.[1];
    assert.ok(address && token, printed);
    assert.match(printed, /Zone\s+example\.com\s+\(ID [0-9a-f]{32}\), 60 sample mappings/);

    browser = await launchChromium();
    const page = await browser.newPage({ viewport: { width: 1280, height: 800 } });
    await page.goto(address);
    const workbench = new Workbench(page);
    await workbench.waitReady();
    await workbench.openFile('origins.csv');
    await workbench.selectLines(2, 10);
    const items = await workbench.openContextMenu('origin-1,192.0.2.1,aws,us-east-1');
    assert.ok(items.includes('Preview Deletion for Selected IPs'), items.join(', '));
    await workbench.chooseMenuItem('Preview Deletion for Selected IPs');

    await workbench.waitForPrompt('Cloudflare credentials (1/2): how to authenticate');
    await workbench.pick('API token');
    await workbench.answerInputBox(token);
    await workbench.waitForPrompt('Cloudflare zone');
    await workbench.pick('example.com');
    const toast = await workbench.waitForToast(/Preview, nothing deleted/);
    assert.match(toast.message, /9 mappings would be deleted in example\.com/);
  });

  it('stops the sandbox, code-server and the extension host on Ctrl+C', async () => {
    assert.ok(processesNaming(DEMO).length > 0, 'code-server runs on the demo profile');
    const exited = new Promise((resolve) => demo.once('exit', resolve));
    demo.kill('SIGINT');
    await exited;
    assert.deepEqual(processesNaming(DEMO), [], 'no process of the demo is left');
  });
});
