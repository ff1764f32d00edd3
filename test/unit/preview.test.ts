import * as assert from 'node:assert/strict';
import { extractIps } from '../../src/core/ip/extract';
import { buildPreview, describePreview } from '../../src/core/preview';
import { placePreview } from '../../src/core/results/placement';

describe('the preview of a deletion', () => {
  const extraction = extractIps([
    { text: '192.0.2.1\n192.0.2.2\n2001:db8::1\n192.0.2.9\n300.1.2.3\n', line: 0, character: 0 },
  ]);
  const snapshot = new Map(
    [
      { originIp: '192.0.2.1', vendor: 'aws', region: 'us-east-1' },
      { originIp: '192.0.2.2', vendor: 'aws', region: 'us-west-2' },
      { originIp: '2001:db8::1', vendor: 'gcp', region: 'europe-west1' },
    ].map((mapping) => [mapping.originIp, mapping]),
  );

  it('counts mapped IPs by vendor, and names those without a mapping', () => {
    const preview = buildPreview(extraction, snapshot, 10);
    assert.deepEqual(preview.byVendor, [
      ['aws', 2],
      ['gcp', 1],
    ]);
    assert.deepEqual(preview.unmapped, ['192.0.2.9']);
    assert.equal(preview.invalid, 1);
    assert.equal(preview.emptiesZone, false);
    assert.equal(
      describePreview(preview),
      '3 IPs have mappings (aws 2, gcp 1); 1 has none; 1 invalid entry will be skipped.',
    );
  });

  it('knows when a deletion would leave the zone without any mapping', () => {
    const preview = buildPreview(extraction, snapshot, 3);
    assert.equal(preview.emptiesZone, true);
    assert.match(describePreview(preview), /removes every mapping of the zone/);
  });

  it('places what a deletion would do on each IP', () => {
    const placed = placePreview(buildPreview(extraction, snapshot, 10), extraction, 'example.com');
    assert.deepEqual(
      placed.map((result) => [result.range.line, result.code]),
      [
        [0, 'has-mapping'],
        [1, 'has-mapping'],
        [2, 'has-mapping'],
        [3, 'no-mapping'],
        [4, 'invalid'],
      ],
    );
    assert.match(placed[0].message, /aws us-east-1 in example\.com/);
  });
});
