import * as assert from 'node:assert/strict';
import * as ipaddr from 'ipaddr.js';
import * as vscode from 'vscode';
import { sampleMappings } from '../../sandbox/samples';
import { startSandbox, type Sandbox } from '../../sandbox/server';
import {
  deleteSelected,
  diagnosticsAt,
  eventually,
  extensionLog,
  loggedLine,
  loggedLines,
  logMark,
  openFile,
  SECTION,
  selectLines,
  setUserSetting,
  useSignedInSandbox,
} from './support';

/** How people write IPs in inventories and logs, in turn, with the IP's own text marked. */
function written(originIp: string, index: number): { line: string; ipText: string } {
  const ipText = originIp.includes(':')
    ? ipaddr.IPv6.parse(originIp)
        .toNormalizedString()
        .split(':')
        .map((group) => group.padStart(4, '0'))
        .join(':')
        .toUpperCase()
    : originIp;
  const shapes = [
    `${ipText}`,
    `"${ipText}",`,
    `2026-12-01T10:00:00Z origin ${originIp.includes(':') ? `[${ipText}]` : ipText}:8443 up`,
    `edge-${index},${ipText},aws`,
  ];
  return { line: shapes[index % shapes.length], ipText };
}

describe('deleting the mappings of selected IPs', () => {
  let sandbox: Sandbox;
  const seeded = sampleMappings(250);

  useSignedInSandbox((started) => (sandbox = started), seeded);

  /** A document of 250 seeded IPs in many spellings, then edge cases; returns it and its lines. */
  async function inventory() {
    const lines = ['# origin inventory'];
    const ipTexts: string[] = [''];
    seeded.forEach(({ originIp }, index) => {
      const { line, ipText } = written(originIp, index);
      lines.push(line);
      ipTexts.push(ipText);
    });
    const tail = [
      ['300.1.2.3', ''],
      ['10.0.0.0/8', ''],
      [seeded[0].originIp, seeded[0].originIp],
      ['192.0.2.250', '192.0.2.250'],
      ['release 1.2.3 built at 12:30:45 by 3f786850e387550fdab836ed7e6dc881de23001b', ''],
      ['198.51.100.200 is outside the selection', ''],
    ];
    for (const [line, ipText] of tail) {
      lines.push(line);
      ipTexts.push(ipText);
    }
    const editor = await openFile('inventory.txt', lines.join('\n') + '\n');
    return { editor, lines, ipTexts, last: lines.length - 1 };
  }

  it('sends each selected IP once, canonical, in batches, and reports every one', async () => {
    const { editor, last } = await inventory();
    selectLines(editor, [1, 130], [130, last]);

    const report = await deleteSelected({ zoneId: sandbox.zoneId, confirm: false });
    assert.ok(report, 'the command resolves to the report');

    const batches = sandbox.requests.filter((request) => request.route === 'batchDelete');
    assert.deepEqual(
      batches.map((request) => request.batchIps?.length),
      [100, 100, 51],
    );
    const sent = batches.flatMap((request) => request.batchIps ?? []);
    const expected = [...seeded.map((mapping) => mapping.originIp), '192.0.2.250'];
    assert.deepEqual([...sent].sort(), [...expected].sort(), 'exactly the canonical IPs, once');
    for (const request of batches) {
      assert.equal(request.headers.authorization, `Bearer ${sandbox.token}`);
      assert.match(
        request.headers['user-agent'] ?? '',
        /^cloudflare-origin-regions-vscode\/\d+\.\d+\.\d+$/,
      );
    }

    assert.equal(report.zoneId, sandbox.zoneId);
    assert.equal(report.succeeded.length, 250);
    assert.ok(report.succeeded.every((mapping) => mapping.vendor && mapping.region));
    assert.deepEqual(report.failed, [{ originIp: '192.0.2.250', error: 'mapping not found' }]);
    assert.deepEqual(report.notSent, []);
    assert.deepEqual(
      report.invalid.map(({ text, line, character }) => [text, line, character]),
      [
        ['300.1.2.3', last - 5, 0],
        ['10.0.0.0/8', last - 4, 0],
      ],
    );
    assert.deepEqual(sandbox.mappings(), [], 'the sandbox holds none of them any more');
  });

  it('never sends an IP that a column selection cuts short, and flags what it selected', async () => {
    const zoneHolds = new Set(seeded.map((mapping) => mapping.originIp));
    const written = ['192.0.2.1', '192.0.2.15', '192.0.2.100', '192.0.2.10'];
    assert.ok(
      written.every((ip) => zoneHolds.has(ip)),
      'the zone maps every IP written here',
    );
    const editor = await openFile(
      'columns.txt',
      '192.0.2.1   aws\n192.0.2.15  aws\n192.0.2.100 gcp\n',
    );
    // Ten characters wide on each line, as Shift+Alt and a drag select a column.
    editor.selections = [0, 1, 2].map((line) => new vscode.Selection(line, 0, line, 10));

    const report = await deleteSelected({ zoneId: sandbox.zoneId, confirm: false });
    assert.deepEqual(
      report?.succeeded.map((mapping) => mapping.originIp),
      ['192.0.2.1', '192.0.2.15'],
    );
    assert.deepEqual(
      report?.invalid.map(({ text, line, character, reason }) => ({
        text,
        line,
        character,
        reason,
      })),
      [
        {
          text: '192.0.2.10',
          line: 2,
          character: 0,
          reason: 'part of 192.0.2.100, which the selection cuts through; select all of it',
        },
      ],
    );
    const sent = sandbox.requests.flatMap((request) => request.batchIps ?? []);
    assert.deepEqual(sent.sort(), ['192.0.2.1', '192.0.2.15']);
    const left = new Set(sandbox.mappings().map((mapping) => mapping.originIp));
    assert.ok(left.has('192.0.2.100') && left.has('192.0.2.10'), 'the cut line deleted nothing');

    const [flagged] = diagnosticsAt(editor.document.uri, new vscode.Range(2, 0, 2, 10));
    assert.equal(flagged?.severity, vscode.DiagnosticSeverity.Warning);
    assert.match(flagged.message, /^Not sent: "192\.0\.2\.10" .*part of 192\.0\.2\.100/);
  });

  it('marks every occurrence at its exact range with the configured severities', async () => {
    await setUserSetting('diagnostics.failedSeverity', 'warning');
    try {
      const { editor, lines, ipTexts, last } = await inventory();
      selectLines(editor, [1, last]);
      await deleteSelected({ zoneId: sandbox.zoneId, confirm: false });
      const uri = editor.document.uri;

      for (let line = 1; line < last; line++) {
        if (!ipTexts[line]) continue;
        const character = lines[line].indexOf(ipTexts[line]);
        const range = new vscode.Range(line, character, line, character + ipTexts[line].length);
        const [diagnostic, ...others] = diagnosticsAt(uri, range);
        assert.ok(diagnostic, `a diagnostic on line ${line + 1}: ${lines[line]}`);
        assert.equal(others.length, 0);
        assert.equal(diagnostic.source, 'Cloudflare Origin Regions');
        const failed = ipTexts[line] === '192.0.2.250';
        assert.equal(
          diagnostic.severity,
          failed ? vscode.DiagnosticSeverity.Warning : vscode.DiagnosticSeverity.Information,
        );
        assert.equal(diagnostic.code, failed ? 'failed' : 'deleted');
      }
      const invalid = diagnosticsAt(uri, new vscode.Range(last - 5, 0, last - 5, 9));
      assert.equal(invalid[0]?.severity, vscode.DiagnosticSeverity.Warning);
      assert.match(invalid[0]?.message ?? '', /300\.1\.2\.3/);
      const noise = vscode.languages
        .getDiagnostics(uri)
        .filter((d) => d.range.start.line >= last - 1);
      assert.deepEqual(noise, [], 'versions, times, hashes and unselected lines carry nothing');
    } finally {
      await setUserSetting('diagnostics.failedSeverity', undefined);
    }
  });

  it('drops the diagnostic of an IP whose text is edited, and keeps the others in place', async () => {
    const editor = await openFile('edit.txt', 'a 192.0.2.1\nb 192.0.2.2\nc 192.0.2.3\n');
    selectLines(editor, [0, 3]);
    await deleteSelected({ zoneId: sandbox.zoneId, confirm: false });
    const uri = editor.document.uri;
    assert.equal(vscode.languages.getDiagnostics(uri).length, 3);

    await editor.edit((edit) => edit.replace(new vscode.Range(1, 10, 1, 11), '9'));
    await editor.edit((edit) => edit.insert(new vscode.Position(0, 0), 'new line\n'));
    await eventually(() => {
      const lines = vscode.languages.getDiagnostics(uri).map((d) => d.range.start.line);
      assert.deepEqual(lines.sort(), [1, 3]);
    });
    assert.equal(diagnosticsAt(uri, new vscode.Range(3, 2, 3, 11)).length, 1);
  });

  it("clears a document's results when it is closed, and every result on Clear Results", async () => {
    const first = await openFile('first.txt', '192.0.2.1\n');
    selectLines(first, [0, 1]);
    await deleteSelected({ zoneId: sandbox.zoneId, confirm: false });
    const second = await openFile('second.txt', '192.0.2.2\n');
    selectLines(second, [0, 1]);
    await deleteSelected({ zoneId: sandbox.zoneId, confirm: false });
    assert.equal(vscode.languages.getDiagnostics(first.document.uri).length, 1);

    await vscode.window.showTextDocument(first.document);
    await vscode.commands.executeCommand('workbench.action.closeActiveEditor');
    await eventually(() =>
      assert.equal(vscode.languages.getDiagnostics(first.document.uri).length, 0),
    );
    assert.equal(vscode.languages.getDiagnostics(second.document.uri).length, 1);

    await vscode.commands.executeCommand(`${SECTION}.clearResults`);
    assert.equal(vscode.languages.getDiagnostics(second.document.uri).length, 0);
  });

  it('applies a changed batch size on the next run, without a reload', async () => {
    await setUserSetting('batchSize', 40);
    try {
      const { editor } = await inventory();
      selectLines(editor, [1, 101]);
      await deleteSelected({ zoneId: sandbox.zoneId, confirm: false });
      const sizes = sandbox.requests
        .filter((request) => request.route === 'batchDelete')
        .map((request) => request.batchIps?.length);
      assert.deepEqual(sizes, [40, 40, 20]);
    } finally {
      await setUserSetting('batchSize', undefined);
    }
  });

  /** A new file of the first `count` seeded IPs, one per line, all selected. */
  async function openSeeded(name: string, count: number) {
    const ips = seeded.slice(0, count).map((mapping) => mapping.originIp);
    const editor = await openFile(name, ips.join('\n') + '\n');
    selectLines(editor, [0, count]);
    return { ips, editor };
  }

  it('closes its keep-alive connections when the run ends', async () => {
    await openSeeded('pool.txt', 30);
    await setUserSetting('batchSize', 10);
    try {
      const report = await deleteSelected({ zoneId: sandbox.zoneId, confirm: false });
      assert.equal(report?.succeeded.length, 30);
    } finally {
      await setUserSetting('batchSize', undefined);
    }
    assert.ok(sandbox.connections <= 2, `one pool of at most 2: ${sandbox.connections}`);
    // Within a second: an idle keep-alive socket would otherwise stay open for about 4 s.
    await eventually(
      () => assert.equal(sandbox.openConnections, 0, 'every connection closed'),
      1000,
    );
  });

  it("replaces a document's results with those of its next run", async () => {
    // No line break at the end, so [2, 4) reaches past the last line, as code may select.
    const editor = await openFile(
      'rerun.txt',
      seeded
        .slice(0, 4)
        .map((m) => m.originIp)
        .join('\n'),
    );
    selectLines(editor, [0, 2]);
    await deleteSelected({ zoneId: sandbox.zoneId, confirm: false });
    selectLines(editor, [2, 4]);
    await deleteSelected({ zoneId: sandbox.zoneId, confirm: false });
    const lines = vscode.languages
      .getDiagnostics(editor.document.uri)
      .map((diagnostic) => diagnostic.range.start.line)
      .sort();
    assert.deepEqual(lines, [2, 3], 'only the second run is shown');
  });

  /**
   * Starts deleting 20 seeded IPs of a new file, slowly (two requests of 1.5 s), and returns
   * once the first is sent; `assertStillRunning` checks that what a test did came in time.
   */
  async function startSlowRun(name: string) {
    const { ips, editor } = await openSeeded(name, 20);
    sandbox.setLatency(1500);
    let ended = false;
    const run = Promise.resolve(deleteSelected({ zoneId: sandbox.zoneId, confirm: false })).finally(
      () => (ended = true),
    );
    await eventually(() => assert.ok(sandbox.requests.length > 0, 'the run is under way'));
    const assertStillRunning = () => assert.ok(!ended, 'the run was still going on');
    return { ips, editor, run, assertStillRunning };
  }

  it('refuses a second deletion while one is running, and lets the first finish', async () => {
    const { run: first, assertStillRunning } = await startSlowRun('slow.txt');

    assert.equal(await deleteSelected({ zoneId: sandbox.zoneId, confirm: false }), undefined);
    assertStillRunning();
    await loggedLine(
      /^\[warning\] Another run \(a deletion, retry, restore or preview\) is still going on/,
    );
    assert.equal((await first)?.succeeded.length, 20);
    const sent = sandbox.requests.flatMap((request) => request.batchIps ?? []);
    assert.equal(sent.length, 20, 'the second run sent nothing');
  });

  it('places the results where the IPs stand after the file was edited during the run', async () => {
    const { ips, editor, run, assertStillRunning } = await startSlowRun('edited-meanwhile.txt');
    await editor.edit((edit) => edit.insert(new vscode.Position(0, 0), '# retired\n# today\n'));
    assertStillRunning();

    assert.equal((await run)?.succeeded.length, 20);
    const diagnostics = vscode.languages.getDiagnostics(editor.document.uri);
    assert.equal(diagnostics.length, 20);
    for (const diagnostic of diagnostics) {
      const text = editor.document.getText(diagnostic.range);
      assert.ok(
        diagnostic.message.includes(text) && ips.includes(text),
        `${text}: ${diagnostic.message}`,
      );
    }
  });

  it('keeps a preview tab, and its results, when another file is opened during the run', async () => {
    const { editor, run, assertStillRunning } = await startSlowRun('preview-tab.txt');
    // A single click in the explorer opens a file in the preview tab, replacing an unpinned one.
    await openFile('opened-meanwhile.txt', 'nothing to see\n');
    assertStillRunning();

    assert.equal((await run)?.succeeded.length, 20);
    assert.equal(vscode.languages.getDiagnostics(editor.document.uri).length, 20);
  });

  it('puts no results on a file closed during the run', async () => {
    const { editor, run, assertStillRunning } = await startSlowRun('closed-meanwhile.txt');
    await vscode.commands.executeCommand('workbench.action.closeActiveEditor');
    assertStillRunning();

    assert.equal((await run)?.succeeded.length, 20);
    assert.deepEqual(vscode.languages.getDiagnostics(editor.document.uri), []);
  });

  /** Deletes one IP from a new file while a 1 s retry-after is due; checks it waited. */
  async function deleteAfterRateLimit(name: string, originIp: string) {
    const editor = await openFile(name, `${originIp}\n`);
    selectLines(editor, [0, 1]);
    const mark = logMark();
    const started = Date.now();
    const report = await deleteSelected({ zoneId: sandbox.zoneId, confirm: false });
    assert.ok(Date.now() - started >= 950, 'waited as retry-after asked');
    assert.equal(report?.succeeded.length, 1);
    return mark;
  }

  it('waits out a 429 with retry-after and then deletes', async () => {
    sandbox.fault({ kind: 'status', status: 429, retryAfter: 1 });
    const mark = await deleteAfterRateLimit('rate.txt', seeded[0].originIp);
    assert.equal(sandbox.requests.filter((request) => request.route === 'batchDelete').length, 2);
    // The log tells each request and why it was sent again, in that order.
    const batchLine =
      /^\[(info|warning)\] DELETE \/zones\/[0-9a-f]{32}\/origin\/cloud_regions\/batch → (200|429) in \d+ ms cf-ray \S+(: .*)?$/;
    const retryLine =
      /^\[warning\] Batch 1: retry 1 of 4 in 1\.0 s, because rate limited \(HTTP 429\)/;
    await loggedLine(retryLine, mark);
    const told = (await loggedLines(batchLine, mark, 2)).map((line) =>
      line.match(batchLine)!.slice(1, 3).join(' '),
    );
    assert.deepEqual(told, ['warning 429', 'info 200']);
  });

  it('waits out a 429 while reading the zone before deleting, and then deletes', async () => {
    sandbox.fault({ kind: 'status', status: 429, retryAfter: 1, route: 'get' });
    // Not on the first list page, so the snapshot asks for it with a GET.
    const mark = await deleteAfterRateLimit('rate-snapshot.txt', seeded[200].originIp);
    await loggedLine(
      /^\[warning\] Reading mappings: retry 1 of 4 in 1\.0 s, because rate limited \(HTTP 429\)/,
      mark,
    );
  });

  describe('when Cloudflare cannot be reached or answers with something else', () => {
    beforeEach(() => setUserSetting('maxRetries', 0));
    afterEach(async () => {
      await setUserSetting('maxRetries', undefined);
      await setUserSetting('apiBaseUrl', sandbox.url);
    });

    it('says once that a proxy page answered, and changes nothing', async () => {
      sandbox.fault({ kind: 'html', status: 502, route: 'list', times: Infinity });
      const editor = await openFile('html.txt', `${seeded[0].originIp}\n`);
      selectLines(editor, [0, 1]);
      assert.equal(await deleteSelected({ zoneId: sandbox.zoneId, confirm: false }), undefined);
      await loggedLine(/^\[error\] .*HTTP 502.*an HTML page/);
      const said = extensionLog().filter((line) =>
        /^\[error\] .*HTTP 502.*an HTML page/.test(line),
      );
      assert.equal(said.length, 1, 'said once');
      assert.equal(sandbox.requests.filter((request) => request.route === 'batchDelete').length, 0);
      assert.equal(sandbox.mappings().length, seeded.length);
    });

    it('says that nothing listens at the API URL, and changes nothing', async () => {
      const closed = await startSandbox();
      const unreachable = closed.url;
      await closed.close();
      await setUserSetting('apiBaseUrl', unreachable);
      const editor = await openFile('refused.txt', `${seeded[0].originIp}\n`);
      selectLines(editor, [0, 1]);
      assert.equal(await deleteSelected({ zoneId: sandbox.zoneId, confirm: false }), undefined);
      await loggedLine(/^\[error\] Could not connect to 127\.0\.0\.1:\d+: connection refused/);
      assert.equal(sandbox.mappings().length, seeded.length);
    });
  });

  it('stops at a rejected credential: nothing is deleted and the rest is not sent', async () => {
    sandbox.fault({ kind: 'authFail', times: Infinity });
    const { editor } = await inventory();
    selectLines(editor, [1, 251]);
    const report = await deleteSelected({ zoneId: sandbox.zoneId, confirm: false });
    assert.ok(report);
    assert.equal(report.succeeded.length, 0);
    assert.ok(report.failed.every((failure) => /rejected the credentials/.test(failure.error)));
    assert.ok(report.notSent.length >= 50, `${report.notSent.length} not sent`);
    assert.equal(report.failed.length + report.notSent.length, 250);
    assert.equal(sandbox.mappings().length, 250, 'every mapping is still in place');
  });
});
