import * as assert from 'node:assert/strict';
import type { Extraction } from '../../src/core/ip/types';
import { renderReport, summarise } from '../../src/core/render/renderReport';
import { accountingProblems, type RunReport } from '../../src/core/report';
import { followEdit } from '../../src/core/results/adjust';
import { placeResults } from '../../src/core/results/placement';

const extraction: Extraction = {
  ips: [
    {
      originIp: '192.0.2.1',
      occurrences: [
        { line: 0, character: 0, length: 9 },
        { line: 4, character: 10, length: 9 },
      ],
    },
    { originIp: '2001:db8::1', occurrences: [{ line: 1, character: 1, length: 39 }] },
    { originIp: '198.51.100.7', occurrences: [{ line: 2, character: 0, length: 12 }] },
    { originIp: '203.0.113.5', occurrences: [{ line: 3, character: 0, length: 11 }] },
  ],
  invalid: [
    { text: '300.1.2.3', line: 5, character: 2, length: 9, reason: 'octet 300 is out of range' },
  ],
};

const report: RunReport = {
  zoneId: '023e105f4ecef8ad9ca31a8372d0c353',
  succeeded: [{ originIp: '192.0.2.1', vendor: 'aws', region: 'us-east-1' }],
  failed: [
    { originIp: '2001:db8::1', error: 'mapping not found' },
    { originIp: '198.51.100.7', error: 'not found on retry', possiblyDeleted: true },
  ],
  notSent: [{ originIp: '203.0.113.5', reason: 'not sent: the run was cancelled' }],
  invalid: [{ text: '300.1.2.3', line: 5, character: 2, reason: 'octet 300 is out of range' }],
};

describe('placing results on the text', () => {
  it('puts each outcome on every occurrence of its IP, at the exact range', () => {
    const placed = placeResults(report, extraction, {
      failedSeverity: 'error',
      showSucceeded: true,
    });
    const deleted = placed.filter((result) => result.code === 'deleted');
    assert.deepEqual(
      deleted.map((result) => result.range),
      [
        { line: 0, character: 0, length: 9 },
        { line: 4, character: 10, length: 9 },
      ],
    );
    assert.equal(deleted[0].severity, 'information');
    assert.match(deleted[0].message, /aws us-east-1/);

    const failed = placed.find((result) => result.originIp === '2001:db8::1');
    assert.deepEqual(failed?.range, { line: 1, character: 1, length: 39 });
    assert.equal(failed?.severity, 'error');
    assert.match(failed?.message ?? '', /mapping not found/);
  });

  it('says a possibly deleted IP is not a plain failure, as a warning whatever the setting', () => {
    const placed = placeResults(report, extraction, {
      failedSeverity: 'error',
      showSucceeded: true,
    });
    const possibly = placed.find((result) => result.originIp === '198.51.100.7');
    assert.equal(possibly?.code, 'possibly-deleted');
    assert.equal(possibly?.severity, 'warning');
    assert.match(possibly?.message ?? '', /^198\.51\.100\.7 may have been deleted; Cloudflare/);
  });

  it('marks not-sent IPs and invalid text', () => {
    const placed = placeResults(report, extraction, {
      failedSeverity: 'error',
      showSucceeded: true,
    });
    assert.equal(placed.find((result) => result.originIp === '203.0.113.5')?.code, 'not-sent');
    const invalid = placed.find((result) => result.code === 'invalid');
    assert.deepEqual(invalid?.range, { line: 5, character: 2, length: 9 });
    assert.equal(invalid?.severity, 'warning');
    assert.match(invalid?.message ?? '', /"300\.1\.2\.3".*octet 300/);
  });

  it('leaves deleted IPs unmarked when showSucceeded is off', () => {
    const placed = placeResults(report, extraction, {
      failedSeverity: 'error',
      showSucceeded: false,
    });
    assert.equal(placed.filter((result) => result.code === 'deleted').length, 0);
    assert.equal(placed.length, 4);
  });
});

describe('results following edits', () => {
  const ip = { line: 3, character: 4, length: 9 };
  const at = (line: number, character: number) => ({ line, character });

  it('drops a result when its own text is edited', () => {
    assert.equal(followEdit(ip, { start: at(3, 6), end: at(3, 7), text: '9' }), undefined);
    assert.equal(followEdit(ip, { start: at(3, 13), end: at(3, 13), text: '5' }), undefined);
    assert.equal(followEdit(ip, { start: at(3, 4), end: at(3, 4), text: '1' }), undefined);
    assert.equal(followEdit(ip, { start: at(2, 0), end: at(4, 0), text: '' }), undefined);
  });

  it('keeps a result in place when the edit is after it', () => {
    assert.deepEqual(followEdit(ip, { start: at(3, 20), end: at(3, 21), text: 'x' }), ip);
    assert.deepEqual(followEdit(ip, { start: at(7, 0), end: at(7, 0), text: 'a\nb' }), ip);
  });

  it('moves a result down when lines are inserted above it', () => {
    assert.deepEqual(followEdit(ip, { start: at(0, 0), end: at(0, 0), text: 'a\nb\n' }), {
      ...ip,
      line: 5,
    });
  });

  it('moves a result down when a line is inserted or broken right before it', () => {
    assert.deepEqual(followEdit(ip, { start: at(3, 4), end: at(3, 4), text: '# note\n' }), {
      line: 4,
      character: 0,
      length: 9,
    });
    assert.deepEqual(followEdit(ip, { start: at(3, 0), end: at(3, 0), text: 'a\nb\n' }), {
      ...ip,
      line: 5,
    });
  });

  it('moves a result up when the whole line above it is deleted', () => {
    const first = { line: 3, character: 0, length: 9 };
    assert.deepEqual(followEdit(first, { start: at(2, 0), end: at(3, 0), text: '' }), {
      ...first,
      line: 2,
    });
  });

  it('keeps a result when a line break or a separator is typed right after it', () => {
    assert.deepEqual(followEdit(ip, { start: at(3, 13), end: at(3, 13), text: '\n' }), ip);
    assert.deepEqual(followEdit(ip, { start: at(3, 13), end: at(3, 13), text: ', x' }), ip);
  });

  it('moves a result when Enter before it inserts a break and indentation', () => {
    assert.deepEqual(followEdit(ip, { start: at(3, 4), end: at(3, 4), text: '\n    ' }), {
      line: 4,
      character: 4,
      length: 9,
    });
  });

  it('drops a result joined to the text before it, which may now read as another token', () => {
    const first = { line: 3, character: 0, length: 9 };
    assert.equal(followEdit(first, { start: at(2, 5), end: at(3, 0), text: '' }), undefined);
  });

  it('moves a result along its line when text before it on the same line changes', () => {
    assert.deepEqual(followEdit(ip, { start: at(3, 0), end: at(3, 2), text: 'abcde' }), {
      ...ip,
      character: 7,
    });
  });

  it('follows a line join that brings the IP onto an earlier line', () => {
    assert.deepEqual(followEdit(ip, { start: at(2, 5), end: at(3, 0), text: '' }), {
      line: 2,
      character: 9,
      length: 9,
    });
  });
});

describe('the report', () => {
  it('reads as tables with a summary', () => {
    const lines = renderReport(report);
    assert.ok(lines.includes('Deleted (1):'));
    assert.ok(lines.some((line) => /192\.0\.2\.1\s+aws\s+us-east-1/.test(line)));
    assert.ok(lines.includes('Failed (2):'));
    assert.ok(lines.includes('Not sent (1):'));
    assert.ok(lines.some((line) => /line 6:3\s+300\.1\.2\.3\s+octet 300/.test(line)));
    assert.equal(
      lines.at(-1),
      `Summary: 1 deleted, 2 failed, 1 not sent, 1 invalid in zone ${report.zoneId}`,
    );
    assert.equal(
      summarise(report, 'example.com'),
      '1 deleted, 2 failed, 1 not sent, 1 invalid in zone example.com',
    );
  });

  it("names a restore's first list as restored", () => {
    const lines = renderReport(report, 'restore');
    assert.ok(lines.includes('Restored (1):'));
    assert.match(lines.at(-1) ?? '', /^Summary: 1 restored, 2 failed/);
  });

  it('finds every IP missing, doubled or not selected', () => {
    const selected = ['192.0.2.1', '2001:db8::1', '198.51.100.7', '203.0.113.5'];
    assert.deepEqual(accountingProblems(report, selected), []);
    assert.deepEqual(accountingProblems(report, [...selected, '192.0.2.99']), [
      '192.0.2.99 is missing from the report',
    ]);
    const doubled = {
      ...report,
      notSent: [...report.notSent, { originIp: '192.0.2.1', reason: 'x' }],
    };
    assert.deepEqual(accountingProblems(doubled, selected), [
      '192.0.2.1 is in both succeeded and notSent',
    ]);
    assert.deepEqual(accountingProblems(report, selected.slice(1)), [
      '192.0.2.1 was not selected but is reported',
    ]);
  });
});
