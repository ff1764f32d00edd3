import * as assert from 'node:assert/strict';
import { extractIps } from '../../src/core/ip/extract';
import { renderMappingList } from '../../src/core/render/mappingList';

describe('the mapping list document', () => {
  const mappings = [
    {
      originIp: '2001:db8::1',
      vendor: 'gcp',
      region: 'europe-west1',
      modifiedOn: '2026-11-30T08:00:00Z',
    },
    {
      originIp: '192.0.2.1',
      vendor: 'aws',
      region: 'us-east-1',
      modifiedOn: '2026-11-29T08:00:00Z',
    },
  ];
  const text = renderMappingList(
    'example.com',
    '023e105f4ecef8ad9ca31a8372d0c353',
    mappings,
    new Date('2026-12-03T10:00:00Z'),
  );

  it('lists every mapping in aligned columns, sorted by vendor and region', () => {
    const lines = text.split('\n');
    assert.match(lines[0], /example\.com .*: 2, read 2026-12-03T10:00:00\.000Z/);
    assert.match(lines[2], /^origin_ip\s+vendor\s+region\s+modified_on$/);
    assert.match(lines[3], /^192\.0\.2\.1\s+aws\s+us-east-1\s+2026-11-29T08:00:00Z$/);
    assert.match(lines[4], /^2001:db8::1\s+gcp\s+europe-west1\s+2026-11-30T08:00:00Z$/);
  });

  it('holds exactly the listed IPs for the extractor: no zone ID, date or time is read as one', () => {
    const found = extractIps([{ text, line: 0, character: 0 }]);
    assert.deepEqual(
      found.ips.map((ip) => ip.originIp),
      ['192.0.2.1', '2001:db8::1'],
    );
    assert.deepEqual(found.invalid, []);
  });
});
