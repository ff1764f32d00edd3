import * as assert from 'node:assert/strict';

import { canonicalIp, extractIps } from '../../src/core/ip/extract';
import type { Extraction } from '../../src/core/ip/types';
import { canonicalOriginIp } from '../sandbox/ip';

function extract(text: string): Extraction {
  return extractIps([{ text, line: 0, character: 0 }]);
}

/** Input text, the canonical IPs it holds, and the text flagged as invalid. */
type Row = [input: string, ips: string[], invalid: string[]];

const rows: Row[] = [
  // Lists in the shapes people paste.
  ['192.0.2.1', ['192.0.2.1'], []],
  ['192.0.2.1\n198.51.100.7\n203.0.113.9', ['192.0.2.1', '198.51.100.7', '203.0.113.9'], []],
  ['192.0.2.1, 198.51.100.7,203.0.113.9', ['192.0.2.1', '198.51.100.7', '203.0.113.9'], []],
  ['192.0.2.1 198.51.100.7\t203.0.113.9', ['192.0.2.1', '198.51.100.7', '203.0.113.9'], []],
  ['["192.0.2.1","2001:db8::1"]', ['192.0.2.1', '2001:db8::1'], []],
  ['{"origin_ip": "192.0.2.1", "region": "us-east-1"}', ['192.0.2.1'], []],
  ['ip,vendor\n192.0.2.1,aws\n"2001:db8::1",gcp', ['192.0.2.1', '2001:db8::1'], []],
  ['192.0.2.1,192.0.2.1', ['192.0.2.1'], []],
  ["(192.0.2.1) <198.51.100.7> '203.0.113.9'", ['192.0.2.1', '198.51.100.7', '203.0.113.9'], []],

  // Logs, URLs and labels around the address.
  ['2026-01-02T12:30:45Z GET from 198.51.100.7:443 status=200', ['198.51.100.7'], []],
  ['198.51.100.7 - - [02/Jan/2026:12:30:45 +0000] "GET / HTTP/1.1" 200', ['198.51.100.7'], []],
  ['192.0.2.1:8080', ['192.0.2.1'], []],
  ['[2001:db8::1]:443', ['2001:db8::1'], []],
  ['[192.0.2.1]:80', ['192.0.2.1'], []],
  ['http://192.0.2.1:8080/path?q=1', ['192.0.2.1'], []],
  ['https://[2001:db8::7]/index.html', ['2001:db8::7'], []],
  ['ssh admin@192.0.2.1', ['192.0.2.1'], []],
  ['client=192.0.2.1;', ['192.0.2.1'], []],
  ['inet addr:192.168.1.5  Bcast:192.168.1.255', ['192.168.1.5', '192.168.1.255'], []],
  ['X-Forwarded-For:203.0.113.9', ['203.0.113.9'], []],
  ['ipv4:192.0.2.1 addr:fe80::1', ['192.0.2.1', 'fe80::1'], []],
  ['blocked 192.0.2.1.', ['192.0.2.1'], []],
  ['from 2001:db8::1: connection refused', ['2001:db8::1'], []],
  ['192.0.2.1/32 and 2001:db8::1/128', ['192.0.2.1', '2001:db8::1'], []],
  ['GET /logs/192.0.2.1/today', ['192.0.2.1'], []],

  // IPv6 in its many spellings.
  ['2001:0DB8:0000:0000:0000:0000:0000:0001', ['2001:db8::1'], []],
  ['2001:db8::1 2001:DB8:0:0:0:0:0:1', ['2001:db8::1'], []],
  ['::ffff:192.0.2.1', ['::ffff:192.0.2.1'], []],
  ['::ffff:c000:201', ['::ffff:192.0.2.1'], []],
  ['192.0.2.1 ::ffff:192.0.2.1', ['192.0.2.1', '::ffff:192.0.2.1'], []],
  ['64:ff9b::192.0.2.33', ['64:ff9b::c000:221'], []],
  ['::1', ['::1'], []],
  ['1:2:3:4:5:6:7:8', ['1:2:3:4:5:6:7:8'], []],
  ['0.0.0.0 255.255.255.255', ['0.0.0.0', '255.255.255.255'], []],

  // Certainly meant as an address, and malformed.
  ['300.1.2.3', [], ['300.1.2.3']],
  ['10.0.0.0/8', [], ['10.0.0.0/8']],
  ['192.0.2.1/24, 192.0.2.7', ['192.0.2.7'], ['192.0.2.1/24']],
  ['fe80::1%eth0', [], ['fe80::1%eth0']],
  ['[fe80::1%25eth0]:80', [], ['fe80::1%25eth0']],
  ['1.2.3.4.5', [], ['1.2.3.4.5']],
  ['010.1.2.3', [], ['010.1.2.3']],
  ['1:2:3:4:5:6:7:8:9', [], ['1:2:3:4:5:6:7:8:9']],
  ['1:2:3:4:5:6:7', [], ['1:2:3:4:5:6:7']],
  ['1::2::3', [], ['1::2::3']],
  ['2001:db8:::1', [], ['2001:db8:::1']],
  ['2001:db8::g1', [], ['2001:db8::g1']],
  ['2001:db8::12345', [], ['2001:db8::12345']],
  ['2001:db8::/32', [], ['2001:db8::/32']],
  ['::ffff:300.1.2.3', [], ['::ffff:300.1.2.3']],
  ['10.0.0.1-10.0.0.5', [], ['10.0.0.1-10.0.0.5']],
  ['good 192.0.2.1, bad 192.0.2.256', ['192.0.2.1'], ['192.0.2.256']],

  // Something else that merely looks a little like an address.
  ['version 1.2.3', [], []],
  ['v1.2.3.4', [], []],
  ['v1.2.3.4-beta', [], []],
  ['1.2.3.4-beta', [], []],
  ['1.2.3.4a', [], []],
  ['Windows 10.0.19041.1', [], []],
  ['sysDescr 1.3.6.1.2.1.1.1.0', [], []],
  ['pi is 3.14159', [], []],
  ['0x7f.0.0.1', [], []],
  ['12:30:45 and 12:30', [], []],
  ['2026-01-02T12:30:45.123Z', [], []],
  ['2026-01-02 12:30:45.123', [], []],
  ['ratio 16:9, John 3:16', [], []],
  ['api.example.com', [], []],
  ['ip-10-0-0-1.ec2.internal', [], []],
  ['192.0.2.1.nip.io', [], []],
  ['http://example.com:8080/1.2', [], []],
  ['00:1A:2B:3C:4D:5E', [], []],
  ['00-1a-2b-3c-4d-5e', [], []],
  ['00:1a:2b:ff:fe:3c:4d:5e', [], []],
  ['da39a3ee5e6b4b0d3255bfef95601890afd80709', [], []],
  ['deadbeef', [], []],
  ['123e4567-e89b-12d3-a456-426614174000', [], []],
  ['std::vector<int> v;', [], []],
  ['use a::b;', [], []],
  ['::', [], []],
  ['f32::EPSILON + u32::MAX', [], []],
  ['ops@example.com', [], []],
];

function titleOf([input, ips, invalid]: Row): string {
  const text = JSON.stringify(input);
  if (ips.length === 0 && invalid.length === 0) return `ignores ${text}`;
  const parts = [];
  if (ips.length) parts.push(`finds ${ips.join(', ')}`);
  if (invalid.length) parts.push(`flags ${invalid.join(', ')}`);
  return `${parts.join(' and ')} in ${text}`;
}

describe('extractIps', () => {
  describe('what counts as an address', () => {
    for (const row of rows) {
      it(titleOf(row), () => {
        const [input, ips, invalid] = row;
        const result = extract(input);

        assert.deepEqual(
          result.ips.map((ip) => ip.originIp),
          ips,
        );
        assert.deepEqual(
          result.invalid.map((entry) => entry.text),
          invalid,
        );
      });
    }
  });

  describe('reasons for invalid text', () => {
    const reasons: [text: string, reason: string][] = [
      ['300.1.2.3', 'octet 300 is out of range (0-255)'],
      ['10.0.0.0/8', 'a CIDR range, not a single address'],
      ['2001:db8::/32', 'a CIDR range, not a single address'],
      ['fe80::1%eth0', 'zone index (%eth0) is not allowed'],
      ['1.2.3.4.5', 'has 5 parts; an IPv4 address has 4'],
      ['010.1.2.3', 'leading zero in 010 is ambiguous'],
      ['1:2:3:4:5:6:7:8:9', 'has 9 groups; an IPv6 address has 8'],
      ['1:2:3:4:5:6:7:8::', "has 8 groups besides '::'; an IPv6 address has 8 in all"],
      ['1::2::3', "uses '::' more than once; it may appear only once"],
      ['2001:db8:::1', "':::' is not valid; '::' stands for a run of zero groups"],
      ['2001:db8::g1', 'g1 is not a group of 1 to 4 hex digits'],
      ['::ffff:300.1.2.3', 'in the embedded IPv4 part, octet 300 is out of range (0-255)'],
      ['::ffff:1.2.3', 'in the embedded IPv4 part, has 3 parts; an IPv4 address has 4'],
      ['10.0.0.1-10.0.0.5', 'an address range, not a single address'],
    ];

    for (const [text, reason] of reasons) {
      it(`explains ${text} as "${reason}"`, () => {
        assert.deepEqual(
          extract(text).invalid.map((entry) => entry.reason),
          [reason],
        );
      });
    }
  });

  describe('canonical form', () => {
    const forms: [written: string, canonical: string][] = [
      ['2001:0DB8:0000:0000:0000:0000:0000:0001', '2001:db8::1'],
      ['2001:DB8::ABCD', '2001:db8::abcd'],
      ['2001:db8:0:0:1:0:0:1', '2001:db8::1:0:0:1'],
      ['1:0:0:2:0:0:0:3', '1:0:0:2::3'],
      ['2001:db8:0:1:1:1:1:1', '2001:db8:0:1:1:1:1:1'],
      ['1:2:3:4:5:6:7::', '1:2:3:4:5:6:7:0'],
      ['0:0:0:0:0:0:0:0', '::'],
      ['0000:0000:0000:0000:0000:0000:0000:0001', '::1'],
      ['::ffff:192.0.2.1', '::ffff:192.0.2.1'],
      ['::FFFF:C000:0201', '::ffff:192.0.2.1'],
      ['0:0:0:0:0:ffff:192.0.2.1', '::ffff:192.0.2.1'],
      ['::192.0.2.1', '::c000:201'],
      ['1:2:3:4:5:6:192.0.2.1', '1:2:3:4:5:6:c000:201'],
    ];

    for (const [written, canonical] of forms) {
      it(`writes ${written} as ${canonical}`, () => {
        assert.deepEqual(
          extract(written).ips.map((ip) => ip.originIp),
          [canonical],
        );
      });
    }

    it('agrees with the WHATWG URL serialiser on 2,000 generated IPv6 addresses', () => {
      // WHATWG compresses like RFC 5952 but keeps mapped addresses in hex, so those are skipped.
      let seed = 7;
      const next = (limit: number) => {
        seed = (Math.imul(seed, 1103515245) + 12345) & 0x7fffffff;
        return seed % limit;
      };

      for (let n = 0; n < 2000; n++) {
        const groups = Array.from({ length: 8 }, () => (next(3) === 0 ? next(65536) : next(2)));
        if (groups.slice(0, 5).every((group) => group === 0) && groups[5] === 0xffff) continue;
        const written = groups.map((group) => group.toString(16).padStart(next(2) ? 4 : 1, '0'));
        const text = next(2) ? written.join(':').toUpperCase() : written.join(':');
        const expected = new URL(`http://[${text}]/`).hostname.slice(1, -1);

        assert.deepEqual(
          extract(text).ips.map((ip) => ip.originIp),
          [expected],
          text,
        );
      }
    });
  });

  describe('canonicalIp', () => {
    it('gives the canonical form of a text that is one IP and nothing else', () => {
      assert.equal(canonicalIp('2001:0DB8::0001'), '2001:db8::1');
      assert.equal(canonicalIp('192.0.2.1'), '192.0.2.1');
    });

    for (const text of ['[2001:db8::1]:443', '192.0.2.1 192.0.2.2', '300.1.2.3', '1.2.3', '']) {
      it(`gives nothing for ${JSON.stringify(text)}`, () => {
        assert.equal(canonicalIp(text), undefined);
      });
    }
  });

  describe('positions', () => {
    it('gives the line, character and length of each address', () => {
      const result = extract('first 192.0.2.1\nsecond line: 2001:db8::1');

      assert.deepEqual(result.ips, [
        { originIp: '192.0.2.1', occurrences: [{ line: 0, character: 6, length: 9 }] },
        { originIp: '2001:db8::1', occurrences: [{ line: 1, character: 13, length: 11 }] },
      ]);
    });

    it('counts \\r\\n as one line break', () => {
      const result = extract('a\r\n\r\n  192.0.2.1\r\n');

      assert.deepEqual(result.ips[0].occurrences, [{ line: 2, character: 2, length: 9 }]);
    });

    it('adds the starting character of a selection to its first line only', () => {
      const result = extractIps([{ text: '192.0.2.1\n192.0.2.2', line: 4, character: 10 }]);

      assert.deepEqual(
        result.ips.map((ip) => ip.occurrences),
        [[{ line: 4, character: 10, length: 9 }], [{ line: 5, character: 0, length: 9 }]],
      );
    });

    it('counts characters in UTF-16 code units, as the editor does', () => {
      const result = extract('😀 192.0.2.1');

      assert.deepEqual(result.ips[0].occurrences, [{ line: 0, character: 3, length: 9 }]);
    });

    it('covers only the address inside brackets, before a port or a /32', () => {
      const result = extract('[2001:db8::1]:443 192.0.2.1:8080 198.51.100.7/32');

      assert.deepEqual(
        result.ips.map((ip) => ip.occurrences[0]),
        [
          { line: 0, character: 1, length: 11 },
          { line: 0, character: 18, length: 9 },
          { line: 0, character: 33, length: 12 },
        ],
      );
    });

    it('covers a whole CIDR range or zone in invalid text', () => {
      const result = extract('x 10.0.0.0/8 fe80::1%eth0');

      assert.deepEqual(result.invalid, [
        {
          text: '10.0.0.0/8',
          reason: 'a CIDR range, not a single address',
          line: 0,
          character: 2,
          length: 10,
        },
        {
          text: 'fe80::1%eth0',
          reason: 'zone index (%eth0) is not allowed',
          line: 0,
          character: 13,
          length: 12,
        },
      ]);
    });
  });

  describe('a selection inside a line', () => {
    /** Extracts the part of `line` between the brackets, reading the rest of the line as context. */
    function selectIn(marked: string): Extraction {
      const start = marked.indexOf('[[');
      const end = marked.indexOf(']]') - 2;
      const text = marked.replace('[[', '').replace(']]', '');
      return extractIps([{ text, line: 4, character: 0, selected: { start, end } }]);
    }
    const sent = (extraction: Extraction) => extraction.ips.map((ip) => ip.originIp);

    const cutIps: [marked: string, selected: string, whole: string][] = [
      ['1[[92.0.2.15]]', '92.0.2.15', '192.0.2.15'],
      ['[[10.0.0.1]]00', '10.0.0.1', '10.0.0.100'],
      ['[[2001:db8::1]]2', '2001:db8::1', '2001:db8::12'],
    ];
    for (const [marked, selected, whole] of cutIps) {
      it(`never sends ${selected} when ${marked} cuts it out of ${whole}`, () => {
        const extraction = selectIn(marked);
        assert.deepEqual(sent(extraction), []);
        const [flagged] = extraction.invalid;
        assert.equal(extraction.invalid.length, 1);
        assert.deepEqual(
          { text: flagged.text, line: flagged.line, character: flagged.character },
          { text: selected, line: 4, character: marked.indexOf('[[') },
        );
        assert.equal(
          flagged.reason,
          `part of ${whole}, which the selection cuts through; select all of it`,
        );
      });
    }

    const cutInvalid: [marked: string, whole: string][] = [
      ['[[1.2.3.4]].5', '1.2.3.4.5'],
      ['[[10.0.0.0]]/8', '10.0.0.0/8'],
      ['[[fe80::1]]%eth0', 'fe80::1%eth0'],
    ];
    for (const [marked, whole] of cutInvalid) {
      it(`flags all of ${whole} when ${marked} selects a valid-looking part of it`, () => {
        const extraction = selectIn(marked);
        assert.deepEqual(sent(extraction), []);
        assert.deepEqual(
          extraction.invalid.map(({ text }) => text),
          [whole],
        );
      });
    }

    it('reads a whole address the way the line writes it around the selection', () => {
      assert.deepEqual(sent(selectIn('[[[2001:db8::1]]]:443')), ['2001:db8::1']);
      assert.deepEqual(sent(selectIn('[[192.0.2.1]]:8443 up')), ['192.0.2.1']);
      assert.deepEqual(sent(selectIn('"[[192.0.2.1]]",')), ['192.0.2.1']);
    });

    it('reads an IP selected exactly out of a longer word as that IP', () => {
      assert.deepEqual(sent(selectIn('host-[[10.0.0.1]]')), ['10.0.0.1']);
      assert.deepEqual(sent(selectIn('_[[192.0.2.1]]_')), ['192.0.2.1']);
      assert.deepEqual(sent(selectIn('x[[192.0.2.1]]:80')), ['192.0.2.1']);
      const extraction = selectIn('old-[[10.0.0.1]]-retired');
      assert.deepEqual(extraction.ips[0].occurrences, [{ line: 4, character: 4, length: 8 }]);
    });

    it('leaves out addresses that lie wholly outside the selection', () => {
      const extraction = selectIn('192.0.2.1, [[198.51.100.7]], 300.1.2.3');
      assert.deepEqual(sent(extraction), ['198.51.100.7']);
      assert.deepEqual(extraction.invalid, []);
      assert.deepEqual(extraction.ips[0].occurrences, [{ line: 4, character: 11, length: 12 }]);
    });
  });

  describe('several selections', () => {
    it('merges the same address from two selections into one IP with both places', () => {
      const result = extractIps([
        { text: '192.0.2.1', line: 0, character: 0 },
        { text: 'x 192.0.2.1', line: 3, character: 5 },
      ]);

      assert.deepEqual(result.ips, [
        {
          originIp: '192.0.2.1',
          occurrences: [
            { line: 0, character: 0, length: 9 },
            { line: 3, character: 7, length: 9 },
          ],
        },
      ]);
    });

    it('merges different spellings of one IPv6 address', () => {
      const result = extractIps([
        { text: '2001:db8::1', line: 0, character: 0 },
        { text: '2001:0DB8:0:0:0:0:0:1', line: 1, character: 0 },
      ]);

      assert.deepEqual(
        result.ips.map((ip) => [ip.originIp, ip.occurrences.length]),
        [['2001:db8::1', 2]],
      );
    });

    it('orders IPs by where they first appear in the document, whatever the selection order', () => {
      const result = extractIps([
        { text: '203.0.113.9 192.0.2.1', line: 8, character: 0 },
        { text: '192.0.2.1 198.51.100.7', line: 2, character: 4 },
      ]);

      assert.deepEqual(
        result.ips.map((ip) => ip.originIp),
        ['192.0.2.1', '198.51.100.7', '203.0.113.9'],
      );
      assert.deepEqual(
        result.ips[0].occurrences.map((range) => range.line),
        [2, 8],
      );
    });

    it('returns nothing for no selections or empty ones', () => {
      assert.deepEqual(extractIps([]), { ips: [], invalid: [] });
      assert.deepEqual(extractIps([{ text: '', line: 0, character: 0 }]), { ips: [], invalid: [] });
    });
  });

  describe('large input', () => {
    it('finds all 50,000 addresses in about 3 MB of log lines', () => {
      const lines: string[] = [];
      for (let n = 0; n < 50_000; n++) {
        const ipv4 = `10.${n >> 16}.${(n >> 8) & 255}.${n & 255}`;
        const address = n % 10 === 0 ? `[2001:db8::${n.toString(16)}]` : ipv4;
        lines.push(`2026-01-02T12:30:45.123Z GET /v1/items/${n} from ${address}:443 rt=12.5ms`);
        // After every hundredth line, a retry line repeats 10.0.0.1 and adds one invalid address.
        if (n % 100 === 99) lines.push(`retry 10.0.0.1 then 300.0.${n >> 8}.${n & 255}`);
      }
      const text = lines.join('\r\n');

      const result = extractIps([{ text, line: 0, character: 0 }]);

      assert.ok(text.length > 3_000_000);
      assert.equal(result.ips.length, 50_000);
      assert.equal(
        result.ips.reduce((total, ip) => total + ip.occurrences.length, 0),
        50_500,
      );
      assert.equal(result.ips.find((ip) => ip.originIp === '10.0.0.1')?.occurrences.length, 501);
      assert.equal(result.invalid.length, 500);
      // The last new address, 10.0.195.79 (49,999), stands before the last retry line.
      assert.deepEqual(result.ips.at(-1), {
        originIp: '10.0.195.79',
        occurrences: [{ line: lines.length - 2, character: 50, length: 11 }],
      });
    });

    it('finds nothing in megabyte-long runs that only resemble addresses', () => {
      const runs = [
        'a'.repeat(1e6),
        '1:'.repeat(5e5),
        ':'.repeat(1e6),
        '1.'.repeat(5e5),
        '1-'.repeat(5e5),
      ];
      for (const run of runs) {
        assert.deepEqual(extract(run), { ips: [], invalid: [] });
      }
    });
  });
});

describe('canonical forms shared with Cloudflare', () => {
  it('match what the sandbox stores, for every spelling of an address', async () => {
    const spellings = [
      '2001:0DB8:0000:0000:0000:0000:0000:0001',
      '2001:db8:0:0:1:0:0:1',
      '::FFFF:192.0.2.1',
      '::ffff:c000:201',
      'fe80:0:0:0:0:0:0:1',
      '192.0.2.1',
      '2001:db8::',
    ];
    for (const spelling of spellings) {
      const [found] = extractIps([{ text: spelling, line: 0, character: 0 }]).ips;
      assert.equal(found?.originIp, canonicalOriginIp(spelling), spelling);
    }
  });
});
