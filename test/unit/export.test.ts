import * as assert from 'node:assert/strict';
import { exportReport } from '../../src/core/render/export';
import type { RunReport } from '../../src/core/report';

const report: RunReport = {
  zoneId: '023e105f4ecef8ad9ca31a8372d0c353',
  succeeded: [{ originIp: '192.0.2.1', vendor: 'aws', region: 'us-east-1' }],
  failed: [
    { originIp: '2001:db8::1', error: 'mapping not found' },
    { originIp: '192.0.2.7', error: 'outcome unknown, "reset"', possiblyDeleted: true },
  ],
  notSent: [{ originIp: '192.0.2.8', reason: 'not sent: the run was cancelled' }],
  invalid: [{ text: '300.1.2.3', line: 4, character: 2, reason: 'octet 300 | out of range' }],
};

describe('exporting a report', () => {
  it("writes JSON in the command's own shape, with the zone name", () => {
    const parsed = JSON.parse(exportReport(report, 'json', 'example.com'));
    assert.deepEqual(parsed, { zoneName: 'example.com', ...report });
  });

  it('writes CSV with a header, one row per entry, quoting what needs it', () => {
    const lines = exportReport(report, 'csv').trimEnd().split('\r\n');
    assert.deepEqual(lines, [
      'origin_ip,outcome,vendor,region,detail',
      '192.0.2.1,deleted,aws,us-east-1,',
      '2001:db8::1,failed,,,mapping not found',
      '192.0.2.7,possibly deleted,,,"outcome unknown, ""reset"""',
      '192.0.2.8,not sent,,,not sent: the run was cancelled',
      '300.1.2.3,invalid,,,line 5:3: octet 300 | out of range',
    ]);
  });

  it('defuses cells a spreadsheet would run as a formula', () => {
    const hostile = { ...report, failed: [{ originIp: '192.0.2.9', error: '=HYPERLINK("x")' }] };
    assert.match(exportReport(hostile, 'csv'), /192\.0\.2\.9,failed,,,"'=HYPERLINK\(""x""\)"/);
  });

  it('writes a Markdown table, escaping pipes', () => {
    const text = exportReport(report, 'markdown', 'example.com');
    assert.match(
      text,
      /^# Cloud region mappings deleted in example\.com\n\n\| origin_ip \| outcome/,
    );
    assert.match(text, /\| 192\.0\.2\.1 \| deleted \| aws \| us-east-1 \|  \|/);
    assert.match(text, /octet 300 \\\| out of range/);
  });
});
