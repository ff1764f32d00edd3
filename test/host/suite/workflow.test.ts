import * as assert from 'node:assert/strict';
import { existsSync, mkdirSync, readFileSync, renameSync, rmSync } from 'node:fs';
import * as path from 'node:path';
import * as vscode from 'vscode';
import type { RunReport } from '../../../src/core/report';
import { sampleMappings } from '../../sandbox/samples';
import type { Sandbox } from '../../sandbox/server';
import {
  deleteSelected,
  journalFile,
  openFile,
  SECTION,
  selectLines,
  useSignedInSandbox,
  workspaceFolder,
} from './support';

describe('the daily workflow around a deletion', () => {
  let sandbox: Sandbox;
  const seeded = sampleMappings(40);

  useSignedInSandbox((started) => (sandbox = started), seeded, { batchSize: 10 });

  const unmapped = ['203.0.113.201', '203.0.113.202', '203.0.113.203'];

  /** Deletes 17 mapped IPs and 3 without a mapping, which fail with "mapping not found". */
  async function deleteTwenty() {
    const lines = [...seeded.slice(0, 17).map((mapping) => mapping.originIp), ...unmapped];
    const editor = await openFile('workflow.txt', lines.join('\n') + '\n');
    selectLines(editor, [0, 20]);
    return { editor, report: await deleteSelected({ zoneId: sandbox.zoneId, confirm: false }) };
  }

  it('retries only the IPs that failed, and merges the outcome into the results', async () => {
    const { editor, report } = await deleteTwenty();
    assert.deepEqual(
      report?.failed.map((failure) => failure.originIp),
      unmapped,
    );
    const failedIps = [...unmapped].sort();
    // Meanwhile someone created their mappings, so the retry can delete them.
    sandbox.seed(
      sandbox.zoneId,
      unmapped.map((originIp) => ({ originIp, vendor: 'aws', region: 'us-east-1' })),
    );
    sandbox.clearRequests();

    const retry = await vscode.commands.executeCommand<RunReport>(`${SECTION}.retryFailed`, {
      confirm: false,
    });
    const sent = sandbox.requests
      .filter((request) => request.route === 'batchDelete')
      .flatMap((request) => request.batchIps ?? []);
    assert.deepEqual(sent.sort(), failedIps, 'only the failed IPs were sent again');
    assert.equal(retry?.succeeded.length, 3);
    const codes = vscode.languages.getDiagnostics(editor.document.uri).map((d) => d.code);
    assert.equal(codes.filter((code) => code === 'deleted').length, 20);
  });

  it('keeps IPs that a lost answer may have deleted as possibly deleted through a retry', async () => {
    sandbox.fault({ kind: 'reset', when: 'afterApply' });
    const { editor, report } = await deleteTwenty();
    const mayBeGone = report?.failed.filter((failure) => failure.possiblyDeleted) ?? [];
    assert.equal(mayBeGone.length, 10, 'the first batch of 10 was applied, its answer lost');

    const retry = await vscode.commands.executeCommand<RunReport>(`${SECTION}.retryFailed`, {
      confirm: false,
    });
    const retried = new Map(retry?.failed.map((failure) => [failure.originIp, failure]));
    for (const { originIp } of mayBeGone) {
      assert.equal(retried.get(originIp)?.possiblyDeleted, true, originIp);
      assert.match(retried.get(originIp)!.error, /may have deleted it/);
    }
    const codes = vscode.languages.getDiagnostics(editor.document.uri).map((d) => d.code);
    assert.equal(codes.filter((code) => code === 'possibly-deleted').length, 10);
  });

  it('offers the retry as a quick fix on a failed IP', async () => {
    const { editor } = await deleteTwenty();
    const failed = vscode.languages
      .getDiagnostics(editor.document.uri)
      .find((diagnostic) => diagnostic.code === 'failed');
    assert.ok(failed);
    const actions = await vscode.commands.executeCommand<vscode.CodeAction[]>(
      'vscode.executeCodeActionProvider',
      editor.document.uri,
      failed.range,
      vscode.CodeActionKind.QuickFix.value,
    );
    const retry = actions.find((action) => action.command?.command === `${SECTION}.retryFailed`);
    assert.ok(retry, 'a Retry quick fix is offered');
  });

  it('shows the mapping and the last outcome when hovering an IP', async () => {
    const { editor } = await deleteTwenty();
    const text = await hoverText(editor.document.uri, new vscode.Position(0, 2));
    assert.match(text, new RegExp(`\\*\\*${seeded[0].originIp}\\*\\*`));
    assert.match(text, /Last outcome: Deleted the cloud region mapping/);
  });

  it("shows a zone's mapping read by a preview when hovering an IP", async () => {
    const [first] = seeded;
    const editor = await openFile('hover-preview.txt', `${first.originIp}\n`);
    selectLines(editor, [0, 1]);
    await vscode.commands.executeCommand(`${SECTION}.previewSelected`, { zoneId: sandbox.zoneId });
    const text = await hoverText(editor.document.uri, new vscode.Position(0, 2));
    assert.match(
      text,
      new RegExp(`: mapped to \\*\\*${first.vendor} ${first.region}\\*\\* \\(read `),
    );
    assert.match(text, /Last outcome: Mapped to/);
  });

  it('exports the last report as JSON, CSV and Markdown', async () => {
    await deleteTwenty();
    for (const format of ['json', 'csv', 'markdown'] as const) {
      const file = path.join(workspaceFolder(), `report.${format}`);
      const saved = await vscode.commands.executeCommand<string>(`${SECTION}.exportReport`, {
        format,
        path: file,
      });
      assert.equal(saved, file);
      const text = readFileSync(file, 'utf8');
      assert.ok(text.includes(seeded[0].originIp), `${format} lists the IPs`);
      const opening = {
        json: /^\{\n {2}"(zoneName|zoneId)": /,
        csv: /^origin_ip,outcome,vendor,region,detail\r\n/,
        markdown: /^# Cloud region mappings deleted in .+\n\n\| origin_ip \| outcome \|/,
      };
      assert.match(text, opening[format], `${format} is written as ${format}`);
    }
    const json = JSON.parse(readFileSync(path.join(workspaceFolder(), 'report.json'), 'utf8'));
    assert.equal(json.succeeded.length, 17);
    assert.equal(json.failed.length, 3);
  });

  it("lists a zone's mappings in a new document, ready to select and delete", async () => {
    const document = await vscode.commands.executeCommand<vscode.TextDocument>(
      `${SECTION}.showMappings`,
      { zoneId: sandbox.zoneId },
    );
    assert.ok(document?.isUntitled);
    const text = document.getText();
    for (const { originIp, vendor, region } of seeded) {
      assert.match(
        text,
        new RegExp(`^${originIp.replace(/\./g, '\\.')}\\s+${vendor}\\s+${region}\\s`, 'm'),
      );
    }
    await vscode.commands.executeCommand('workbench.action.revertAndCloseActiveEditor');
  });

  /** Deletes `lines`, all selected in a new file, from the default zone and a second one seeded alike. */
  async function deleteInTwoZones(name: string, lines: string[]) {
    const second = sandbox.addZone(`${name}-${Date.now()}.example`);
    sandbox.seed(second.id, seeded);
    const editor = await openFile(`${name}.txt`, lines.join('\n') + '\n');
    selectLines(editor, [0, lines.length]);
    const reports = (await vscode.commands.executeCommand(`${SECTION}.deleteSelected`, {
      zoneIds: [sandbox.zoneId, second.id],
      confirm: false,
    })) as RunReport[];
    return { second, editor, reports };
  }

  it('tries no further zone once Cloudflare rejects the credentials in one', async () => {
    sandbox.fault({ kind: 'authFail', times: Infinity });
    const { second, reports } = await deleteInTwoZones('zones-rejected', [seeded[0].originIp]);
    const batches = sandbox.requests.filter((request) => request.route === 'batchDelete');
    assert.deepEqual(
      batches.map((request) => request.zoneId),
      [sandbox.zoneId],
    );
    assert.equal(reports[1].notSent.length, 1);
    assert.match(reports[1].notSent[0].reason, /^not sent: Cloudflare rejected the credentials/);
    assert.equal(sandbox.mappings(second.id).length, seeded.length);
  });

  it('stops in every zone once the journal cannot record a batch, and says why', async () => {
    // While the first zone's batch is on its way, a folder takes the journal file's place: the
    // batch is deleted, but cannot be recorded, so nothing more may be sent anywhere.
    const journal = journalFile();
    const kept = `${journal}.kept`;
    sandbox.setFaultPlan((route) => {
      if (route === 'batchDelete' && !existsSync(kept)) {
        renameSync(journal, kept);
        mkdirSync(journal);
      }
      return undefined;
    });
    let run: Awaited<ReturnType<typeof deleteInTwoZones>>;
    try {
      run = await deleteInTwoZones('zones-unjournaled', [seeded[0].originIp]);
    } finally {
      sandbox.setFaultPlan(undefined);
      rmSync(journal, { recursive: true, force: true });
      if (existsSync(kept)) renameSync(kept, journal);
    }
    const { second, reports } = run;
    const batches = sandbox.requests.filter((request) => request.route === 'batchDelete');
    assert.deepEqual(
      batches.map((request) => request.zoneId),
      [sandbox.zoneId],
    );
    assert.equal(reports[0].succeeded.length, 1, 'what was deleted is reported as deleted');
    assert.equal(reports[1].notSent.length, 1);
    assert.match(reports[1].notSent[0].reason, /^not sent: could not record the batch/);
    assert.equal(sandbox.mappings(second.id).length, seeded.length);
  });

  it('deletes the same IPs from several zones, reporting and marking each zone', async () => {
    const lines = seeded.slice(0, 5).map((mapping) => mapping.originIp);
    const { second, editor, reports } = await deleteInTwoZones('zones', lines);
    assert.deepEqual(
      reports.map((report) => [report.zoneId, report.succeeded.length]),
      [
        [sandbox.zoneId, 5],
        [second.id, 5],
      ],
    );
    assert.equal(sandbox.mappings(sandbox.zoneId).length, 35);
    assert.equal(sandbox.mappings(second.id).length, 35);
    const messages = vscode.languages
      .getDiagnostics(editor.document.uri)
      .filter((diagnostic) => diagnostic.range.start.line === 0)
      .map((diagnostic) => diagnostic.message);
    assert.equal(messages.length, 2, 'one result per zone on each IP');
    assert.ok(
      messages.some(
        (message) =>
          message.startsWith(`${second.id}: Deleted`) ||
          message.startsWith(`${second.name}: Deleted`),
      ),
    );
  });

  it('retries and exports every zone of a run over several zones, each in its own zone', async () => {
    const lines = [...seeded.slice(0, 3).map((mapping) => mapping.originIp), ...unmapped];
    const { second, editor, reports } = await deleteInTwoZones('zones-retry', lines);
    assert.deepEqual(
      reports.map((report) => report.failed.length),
      [3, 3],
    );

    // Only the second zone has the missing mappings by now.
    sandbox.seed(
      second.id,
      unmapped.map((originIp) => ({ originIp, vendor: 'azure', region: 'eastus' })),
    );
    sandbox.clearRequests();
    const retries = (await vscode.commands.executeCommand(`${SECTION}.retryFailed`, {
      confirm: false,
    })) as RunReport[];
    const sentTo = (zoneId: string) =>
      sandbox.requests
        .filter((request) => request.route === 'batchDelete' && request.zoneId === zoneId)
        .flatMap((request) => request.batchIps ?? [])
        .sort();
    assert.deepEqual(sentTo(sandbox.zoneId), [...unmapped].sort());
    assert.deepEqual(sentTo(second.id), [...unmapped].sort());
    assert.deepEqual(
      retries.map((report) => [report.zoneId, report.succeeded.length, report.failed.length]),
      [
        [sandbox.zoneId, 0, 3],
        [second.id, 3, 0],
      ],
    );
    const onFirstUnmapped = vscode.languages
      .getDiagnostics(editor.document.uri)
      .filter((diagnostic) => diagnostic.range.start.line === 3);
    assert.deepEqual(onFirstUnmapped.map((diagnostic) => diagnostic.code).sort(), [
      'deleted',
      'failed',
    ]);
    assert.match(
      onFirstUnmapped.find((diagnostic) => diagnostic.code === 'deleted')?.message ?? '',
      /\(azure eastus\)/,
      "the second zone's result replaced its failure; the first zone's failure stays",
    );

    const file = path.join(workspaceFolder(), 'zones-retry.json');
    await vscode.commands.executeCommand(`${SECTION}.exportReport`, { format: 'json', path: file });
    const exported = JSON.parse(readFileSync(file, 'utf8')) as RunReport[];
    assert.deepEqual(
      exported.map((report) => [report.zoneId, report.succeeded.length, report.failed.length]),
      [
        [sandbox.zoneId, 3, 3],
        [second.id, 6, 0],
      ],
    );
  });
});

/** The text of every hover offered at a position, as Markdown. */
async function hoverText(uri: vscode.Uri, position: vscode.Position): Promise<string> {
  const hovers = await vscode.commands.executeCommand<vscode.Hover[]>(
    'vscode.executeHoverProvider',
    uri,
    position,
  );
  return hovers
    .flatMap((hover) => hover.contents)
    .map((content) =>
      typeof content === 'string' ? content : (content as vscode.MarkdownString).value,
    )
    .join('\n');
}
