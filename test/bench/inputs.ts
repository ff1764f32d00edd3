// Generated inputs for the bench: log-like text and IP lists, the same every run (seeded), with
// the truth of what they contain so each way of finding IPs can be checked against it.
import * as ipaddr from 'ipaddr.js';
import { SeededRandom } from './support/random';

/** A valid address the text writes, and the form the extension must send it in. */
interface Address {
  canonical: string;
  family: 4 | 6;
  /** IPv6 with every group written out in upper case: `2001:0DB8:0000:...`. */
  uncompressed?: string;
}

export interface GeneratedText {
  text: string;
  /** The canonical form of every valid IP written, in the order of first appearance. */
  ips: string[];
  /** Valid IPs written, repeats included. */
  ipsWritten: number;
  /** Text that looks like an address but is not one valid IP, such as `300.1.2.3`. */
  lookalikesWritten: number;
}

/** One of each kind of look-alike that `TextWriter.lookalike` writes, for showing. */
export const LOOKALIKE_EXAMPLES = [
  '300.1.2.3',
  '010.1.2.3',
  '10.0.0.0/8',
  'fe80::1%eth0',
  '192.0.2.1-192.0.2.9',
];

/** Share of log lines that report a rejected look-alike (`300.1.2.3`, `10.0.0.0/8`, ...). */
const LOOKALIKE_LINE_SHARE = 0.03;
const IPV6_SHARE = 1 / 3;

/**
 * Log lines totalling at least `bytes`, each IP drawn at random from `distinct` addresses, so
 * most are written several times and in different spellings.
 */
export function logWithRepeats(seed: number, bytes: number, distinct: number): GeneratedText {
  const random = new SeededRandom(seed);
  const pool = distinctAddresses(random, distinct);
  const writer = new TextWriter(random, () => random.pick(pool));
  while (writer.length < bytes) writer.logLine();
  return writer.result();
}

/** Log lines that write each of `count` distinct addresses exactly once, in turn. */
export function logOfDistinctIps(seed: number, count: number): GeneratedText {
  const random = new SeededRandom(seed);
  const pool = distinctAddresses(random, count);
  let next = 0;
  const writer = new TextWriter(random, () => pool[next++]);
  // The last line may ask for more addresses than are left: stop one line early, then finish.
  while (next < count - 4) writer.logLine();
  while (next < count) writer.listLine();
  return writer.result();
}

/** One address per line, as pasted from a spreadsheet or `terraform output`. */
export function ipList(seed: number, lines: number): GeneratedText {
  const random = new SeededRandom(seed);
  const pool = distinctAddresses(random, lines);
  let next = 0;
  const writer = new TextWriter(random, () => pool[next++]);
  for (let line = 0; line < lines; line++) writer.listLine();
  return writer.result();
}

function distinctAddresses(random: SeededRandom, count: number): Address[] {
  const byCanonical = new Map<string, Address>();
  while (byCanonical.size < count) {
    const address = random.chance(IPV6_SHARE) ? randomIpv6(random) : randomIpv4(random);
    byCanonical.set(address.canonical, address);
  }
  return [...byCanonical.values()];
}

function randomIpv4(random: SeededRandom): Address {
  let first = random.between(1, 223);
  if (first === 127) first = 128;
  const rest = [0, 0, 0].map(() => random.between(0, 255));
  return { canonical: [first, ...rest].join('.'), family: 4 };
}

// Documentation prefix, with zero groups here and there so compression takes several shapes.
function randomIpv6(random: SeededRandom): Address {
  const parts = [0x2001, 0x0db8, random.between(0, 0xffff)];
  for (let group = 3; group < 7; group++) {
    parts.push(random.chance(0.5) ? 0 : random.between(1, 0xffff));
  }
  parts.push(random.between(1, 0xffff));
  const address = new ipaddr.IPv6(parts);
  return {
    canonical: address.toRFC5952String(),
    family: 6,
    uncompressed: parts.map((part) => part.toString(16).padStart(4, '0').toUpperCase()).join(':'),
  };
}

/** Writes lines, drawing addresses from `nextAddress` and keeping the truth about them. */
class TextWriter {
  private readonly lines: string[] = [];
  private readonly seen = new Set<string>();
  private readonly ips: string[] = [];
  private ipsWritten = 0;
  private lookalikesWritten = 0;
  private clock = Date.UTC(2026, 2, 14, 9, 0, 0);
  length = 0;

  constructor(
    private readonly random: SeededRandom,
    private readonly nextAddress: () => Address,
  ) {}

  logLine(): void {
    const random = this.random;
    const line = random.chance(LOOKALIKE_LINE_SHARE)
      ? `${this.timestamp()} ERROR rule ${random.between(1, 999)} rejected ${this.lookalike()} from ${this.ip()}`
      : random.pick(LOG_LINES)(this);
    this.push(line);
  }

  listLine(): void {
    const address = this.take();
    const spelling =
      address.family === 4 || this.random.chance(0.7) ? address.canonical : address.uncompressed!;
    this.push(spelling);
  }

  result(): GeneratedText {
    return {
      text: this.lines.join('\n') + '\n',
      ips: this.ips,
      ipsWritten: this.ipsWritten,
      lookalikesWritten: this.lookalikesWritten,
    };
  }

  /** A valid address in one of the spellings a log uses. */
  ip(): string {
    const address = this.take();
    const random = this.random;
    if (address.family === 4) {
      return random.chance(0.7) ? address.canonical : `${address.canonical}:${this.port()}`;
    }
    const spelling = random.next();
    if (spelling < 0.5) return address.canonical;
    if (spelling < 0.75) return address.uncompressed!;
    return `[${address.canonical}]:${this.port()}`;
  }

  /** Text a careless reader takes for an address; none of it is one valid IP. */
  lookalike(): string {
    const random = this.random;
    const octet = () => random.between(0, 255);
    this.lookalikesWritten++;
    switch (random.between(0, 4)) {
      case 0:
        return `${random.between(256, 999)}.${octet()}.${octet()}.${octet()}`;
      case 1:
        return `0${random.between(1, 99)}.${octet()}.${octet()}.${octet()}`;
      case 2:
        return `${random.between(1, 223)}.${octet()}.${octet()}.0/${random.between(8, 30)}`;
      case 3:
        return `fe80::${random.hex(4)}%eth${random.between(0, 3)}`;
      default: {
        const base = `${random.between(1, 223)}.${octet()}.${octet()}`;
        return `${base}.${random.between(1, 99)}-${base}.${random.between(100, 254)}`;
      }
    }
  }

  timestamp(): string {
    this.clock += this.random.between(1, 400);
    return new Date(this.clock).toISOString();
  }

  time(): string {
    const two = (value: number) => String(value).padStart(2, '0');
    const random = this.random;
    return `${two(random.between(0, 23))}:${two(random.between(0, 59))}:${two(random.between(0, 59))}`;
  }

  version(): string {
    const random = this.random;
    return `${random.between(0, 12)}.${random.between(0, 30)}.${random.between(0, 99)}`;
  }

  mac(): string {
    const pairs = Array.from({ length: 6 }, () => this.random.hex(2));
    const mac = pairs.join(':');
    return this.random.chance(0.5) ? mac : mac.toUpperCase();
  }

  uuid(): string {
    const hex = (digits: number) => this.random.hex(digits);
    return `${hex(8)}-${hex(4)}-4${hex(3)}-a${hex(3)}-${hex(12)}`;
  }

  sha1(): string {
    return this.random.hex(40);
  }

  between(min: number, max: number): number {
    return this.random.between(min, max);
  }

  private port(): number {
    return this.random.chance(0.5) ? 443 : this.random.between(1024, 65535);
  }

  private take(): Address {
    const address = this.nextAddress();
    this.ipsWritten++;
    if (!this.seen.has(address.canonical)) {
      this.seen.add(address.canonical);
      this.ips.push(address.canonical);
    }
    return address;
  }

  private push(line: string): void {
    this.lines.push(line);
    this.length += line.length + 1;
  }
}

/** Ordinary lines: addresses among timestamps, times, versions, MAC addresses, hashes and UUIDs. */
const LOG_LINES: ((writer: TextWriter) => string)[] = [
  (w) =>
    `${w.timestamp()} INFO  ${w.ip()} -> ${w.ip()} h2 ${w.between(1, 900)} ms trace=${w.uuid()}`,
  (w) =>
    `${w.timestamp()} WARN  upstream ${w.ip()} slow (${w.between(1, 9000)} ms), agent curl/${w.version()}`,
  (w) => `${w.timestamp()} DEBUG arp ${w.mac()} is-at ${w.ip()}; cache ${w.sha1()}`,
  (w) => `${w.timestamp()} INFO  deployed v${w.version()} at ${w.time()} to ${w.ip()}, ${w.ip()}`,
  // Health checks and NAT lines, the most frequent, carry several addresses each.
  ...Array<(writer: TextWriter) => string>(2).fill(
    (w) =>
      `${w.timestamp()} INFO  origins ${w.ip()}, ${w.ip()}, ${w.ip()} and ${w.ip()} healthy since ${w.time()}`,
  ),
  ...Array<(writer: TextWriter) => string>(2).fill(
    (w) => `${w.timestamp()} NAT   src=${w.ip()} dst=${w.ip()} xlate=${w.ip()}`,
  ),
];
