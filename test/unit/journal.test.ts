import * as assert from 'node:assert/strict';
import { appendFileSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { Journal, parseJournal } from '../../src/core/journal/journal';

describe('the deletion journal', () => {
  let folder: string;
  let file: string;

  beforeEach(() => {
    folder = mkdtempSync(path.join(tmpdir(), 'journal-'));
    file = path.join(folder, 'nested', 'journal.jsonl');
  });
  afterEach(() => rmSync(folder, { recursive: true, force: true }));

  const zone = { zoneId: '023e105f4ecef8ad9ca31a8372d0c353', zoneName: 'example.com' };
  const aws = { vendor: 'aws', region: 'us-east-1' };

  it('writes one JSON object per line, creating its folder', async () => {
    const journal = new Journal(file);
    const runId = await journal.startRun(
      { action: 'delete', ...zone },
      new Date('2026-12-01T10:00:00Z'),
    );
    await journal.record(runId, [{ originIp: '192.0.2.1', ...aws, state: 'deleted' }]);

    const lines = readFileSync(file, 'utf8')
      .trimEnd()
      .split('\n')
      .map((line) => JSON.parse(line));
    assert.deepEqual(lines, [
      { type: 'run', runId, at: '2026-12-01T10:00:00.000Z', action: 'delete', ...zone },
      { type: 'mapping', runId, originIp: '192.0.2.1', ...aws, state: 'deleted' },
    ]);
  });

  it('reads runs back with their mappings, and which later run undid them', async () => {
    const journal = new Journal(file);
    const deletion = await journal.startRun({ action: 'delete', ...zone });
    await journal.record(deletion, [
      { originIp: '192.0.2.1', ...aws, state: 'deleted' },
      { originIp: '2001:db8::1', vendor: 'gcp', region: 'europe-west1', state: 'possiblyDeleted' },
    ]);
    const restore = await journal.startRun({ action: 'restore', undoes: deletion, ...zone });
    await journal.record(restore, [{ originIp: '192.0.2.1', ...aws, state: 'restored' }]);

    const { runs, unreadableLines } = await journal.read();
    assert.equal(unreadableLines, 0);
    assert.deepEqual(
      runs.map((run) => [run.action, run.mappings.length, run.undoneBy, run.notUndone]),
      [
        ['delete', 2, [restore], 1],
        ['restore', 1, [], 1],
      ],
    );
    assert.equal(runs[0].mappings[1].state, 'possiblyDeleted');
  });

  it('counts a run fully undone once its undos together put back every IP', async () => {
    const journal = new Journal(file);
    const deletion = await journal.startRun({ action: 'delete', ...zone });
    const gcp = { vendor: 'gcp', region: 'europe-west1' };
    await journal.record(deletion, [
      { originIp: '192.0.2.1', ...aws, state: 'deleted' },
      { originIp: '2001:db8::1', ...gcp, state: 'deleted' },
    ]);
    for (const [originIp, where] of [
      ['192.0.2.1', aws],
      ['2001:db8::1', gcp],
    ] as const) {
      const restore = await journal.startRun({ action: 'restore', undoes: deletion, ...zone });
      await journal.record(restore, [{ originIp, ...where, state: 'restored' }]);
    }

    const { runs } = await journal.read();
    assert.equal(runs[0].undoneBy.length, 2);
    assert.equal(runs[0].notUndone, 0);
  });

  it('does not count a restore that put nothing back as undoing its run', async () => {
    const journal = new Journal(file);
    const deletion = await journal.startRun({ action: 'delete', ...zone });
    await journal.record(deletion, [{ originIp: '192.0.2.1', ...aws, state: 'deleted' }]);
    await journal.startRun({ action: 'restore', undoes: deletion, ...zone });

    const { runs } = await journal.read();
    assert.deepEqual(runs[0].undoneBy, []);
  });

  it('keeps every line when batches record at the same time', async () => {
    const journal = new Journal(file);
    const runId = await journal.startRun({ action: 'delete', ...zone });
    await Promise.all(
      Array.from({ length: 20 }, (_, batch) =>
        journal.record(
          runId,
          Array.from({ length: 50 }, (_, index) => ({
            originIp: `198.18.${batch}.${index}`,
            ...aws,
            state: 'deleted' as const,
          })),
        ),
      ),
    );
    const { runs } = await journal.read();
    assert.equal(runs[0].mappings.length, 1000);
    assert.equal(new Set(runs[0].mappings.map((mapping) => mapping.originIp)).size, 1000);
  });

  it('survives a line torn by a crash: skips it, and writes the next entry on a line of its own', async () => {
    const journal = new Journal(file);
    const runId = await journal.startRun({ action: 'delete', ...zone });
    await journal.record(runId, [{ originIp: '192.0.2.1', ...aws, state: 'deleted' }]);
    appendFileSync(file, '{"type":"mapping","runId":"' + runId + '","originIp":"192.0');

    await journal.record(runId, [{ originIp: '192.0.2.2', ...aws, state: 'deleted' }]);
    const { runs, unreadableLines } = await journal.read();
    assert.equal(unreadableLines, 1);
    assert.deepEqual(
      runs[0].mappings.map((mapping) => mapping.originIp),
      ['192.0.2.1', '192.0.2.2'],
    );
  });

  it('reads an absent journal as empty, and skips lines that are not its own', async () => {
    assert.deepEqual(await new Journal(file).read(), { runs: [], unreadableLines: 0 });
    assert.deepEqual(parseJournal('not json\n{"type":"other"}\n\n'), {
      runs: [],
      unreadableLines: 2,
    });
  });

  it('prunes runs older than the retention, keeping the rest intact', async () => {
    const journal = new Journal(file);
    const old = await journal.startRun(
      { action: 'delete', ...zone },
      new Date('2026-08-01T00:00:00Z'),
    );
    await journal.record(old, [{ originIp: '192.0.2.1', ...aws, state: 'deleted' }]);
    const recent = await journal.startRun(
      { action: 'delete', ...zone },
      new Date('2026-11-20T00:00:00Z'),
    );
    await journal.record(recent, [{ originIp: '192.0.2.2', ...aws, state: 'deleted' }]);

    assert.equal(await journal.prune(90, new Date('2026-12-03T00:00:00Z')), 1);
    const { runs } = await journal.read();
    assert.deepEqual(
      runs.map((run) => [run.runId, run.mappings[0].originIp]),
      [[recent, '192.0.2.2']],
    );
    assert.equal(await journal.prune(90, new Date('2026-12-03T00:00:00Z')), 0);
    writeFileSync(file, readFileSync(file, 'utf8'));
  });

  it('loses no line recorded while it prunes', async () => {
    const journal = new Journal(file);
    const old = await journal.startRun({ action: 'delete', ...zone }, new Date('2026-08-01'));
    await journal.record(old, [{ originIp: '192.0.2.1', ...aws, state: 'deleted' }]);
    const current = await journal.startRun({ action: 'delete', ...zone });

    // Not awaited in turn: a batch of the current run lands while the prune is under way.
    const pruning = journal.prune(90);
    const recording = journal.record(current, [
      { originIp: '192.0.2.3', ...aws, state: 'deleted' },
    ]);
    assert.equal(await pruning, 1);
    await recording;

    const { runs } = await journal.read();
    assert.deepEqual(
      runs.map((run) => [run.runId, run.mappings.map((mapping) => mapping.originIp)]),
      [[current, ['192.0.2.3']]],
    );
  });
});
