import * as assert from 'node:assert/strict';
import { exportReports } from '../../src/core/render/export';
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
    const parsed = JSON.parse(exportReports([{ report, zoneName: 'example.com' }], 'json'));
    assert.deepEqual(parsed, { zoneName: 'example.com', ...report });
  });

  it('writes CSV with a header, one row per entry, quoting what needs it', () => {
    const lines = exportReports([{ report }], 'csv').trimEnd().split('\r\n');
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
    assert.match(
      exportReports([{ report: hostile }], 'csv'),
      /192\.0\.2\.9,failed,,,"'=HYPERLINK\(""x""\)"/,
    );
  });

  it('writes a Markdown table, escaping pipes', () => {
    const text = exportReports([{ report, zoneName: 'example.com' }], 'markdown');
    assert.match(
      text,
      /^# Cloud region mappings deleted in example\.com\n\n\| origin_ip \| outcome/,
    );
    assert.match(text, /\| 192\.0\.2\.1 \| deleted \| aws \| us-east-1 \|  \|/);
    assert.match(text, /octet 300 \\\| out of range/);
  });

  describe('of several zones', () => {
    const other: RunReport = {
      zoneId: '353c0d2783a13ac9da8fece4f501e320',
      succeeded: [{ originIp: '2001:db8::1', vendor: 'gcp', region: 'us-east1' }],
      failed: [],
      notSent: [],
      // Every zone's report of one run holds the same invalid text.
      invalid: report.invalid,
    };
    const both = [
      { report, zoneName: 'example.com' },
      { report: other, zoneName: 'example.net' },
    ];

    it('writes JSON as the list the command returns for several zones', () => {
      assert.deepEqual(JSON.parse(exportReports(both, 'json')), [
        { zoneName: 'example.com', ...report },
        { zoneName: 'example.net', ...other },
      ]);
    });

    it('writes CSV with the zone ID first on every row', () => {
      const lines = exportReports(both, 'csv').trimEnd().split('\r\n');
      assert.equal(lines[0], 'zone_id,origin_ip,outcome,vendor,region,detail');
      assert.equal(lines[1], `${report.zoneId},192.0.2.1,deleted,aws,us-east-1,`);
      assert.equal(lines.at(-2), `${other.zoneId},2001:db8::1,deleted,gcp,us-east1,`);
      assert.match(lines.at(-1)!, /^,300\.1\.2\.3,invalid,,,/, 'invalid text once, in no zone');
      assert.equal(lines.length, 1 + 4 + 1 + 1);
    });

    it('writes one Markdown section per zone', () => {
      const titles = exportReports(both, 'markdown').match(/^# .*$/gm);
      assert.deepEqual(titles, [
        '# Cloud region mappings deleted in example.com',
        '# Cloud region mappings deleted in example.net',
        '# Invalid entries, sent to no zone',
      ]);
      assert.equal(exportReports(both, 'markdown').match(/300\.1\.2\.3/g)?.length, 1);
    });
  });
});
