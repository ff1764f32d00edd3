import * as ipaddr from 'ipaddr.js';

import type { Extraction, FoundIp, InvalidAddress, TextRange, TextSegment } from './types';

// How the scanner sees text: a token is a run of letters, digits and `_ . : - %`; everything
// else (space, quotes, commas, brackets, slashes, `@`, `=`, any non-ASCII) separates tokens.
// So `[2001:db8::1]:443`, `"192.0.2.1",` and `http://192.0.2.1:8080/path` need no special case.
const TOKEN = 1;
const DIGIT = 2;
const HEX_LETTER = 4;
const OTHER_LETTER = 8;
const DOT = 16;
const COLON = 32;
const JOINER = 64;

const LINE_FEED = 0x0a;
const CODE_DOT = 0x2e;
const CODE_SLASH = 0x2f;
const CODE_COLON = 0x3a;
const CODE_HYPHEN = 0x2d;
const CODE_PERCENT = 0x25;

const CHAR_CLASS = buildCharClasses();

/** The longest IPv6 text worth reading; the longest valid form has 45 characters. */
const MAX_IPV6_TEXT = 64;
/** `255.255.255.255-255.255.255.255`, the longest range worth reporting. */
const MAX_IPV4_RANGE_TEXT = 31;

/** A prefix length written after an address, as in `10.0.0.0/8`. */
interface Prefix {
  bits: number;
  /** Where the prefix length ends in the text. */
  end: number;
}

/** What a colon-separated token is made of, read in one pass. */
interface Ipv6Shape {
  start: number;
  end: number;
  /** 16-bit groups written; an embedded IPv4 part counts as two. */
  groups: number;
  hexGroups: number;
  compressions: number;
  tripleColon: boolean;
  strayColon: boolean;
  badGroupStart: number;
  badGroupEnd: number;
  ipv4TailStart: number;
  hasDigit: boolean;
  /** Every group is two hex digits, like a MAC or EUI-64 address. */
  onlyPairs: boolean;
}

/** Finds every IP in the given selections: distinct, canonical, with each place it was written. */
export function extractIps(segments: readonly TextSegment[]): Extraction {
  const found = new Map<string, FoundIp>();
  const invalid: InvalidAddress[] = [];

  for (const segment of inDocumentOrder(segments)) {
    new SegmentScanner(trimContext(segment), found, invalid).scan();
  }

  return { ips: [...found.values()], invalid };
}

/**
 * The canonical form of `text` when the whole of it is one valid IP, as `extractIps` would send
 * it; otherwise undefined.
 */
export function canonicalIp(text: string): string | undefined {
  const { ips, invalid } = extractIps([{ text, line: 0, character: 0 }]);
  const [only] = ips;
  if (ips.length !== 1 || invalid.length > 0 || only.occurrences.length !== 1) return undefined;
  return only.occurrences[0].length === text.length ? only.originIp : undefined;
}

/**
 * A letter beyond a-f, `-` or `_` cannot continue an address, so where one stands right outside
 * the selection, the selection's edge is the address's edge: `10.0.0.1` selected out of
 * `host-10.0.0.1` is that IP. The context on that side is dropped.
 */
function trimContext(segment: TextSegment): TextSegment {
  const { text, selected } = segment;
  if (!selected) return segment;
  let { start, end } = selected;
  let trimmedText = text;
  let character = segment.character;
  if (end < trimmedText.length && endsAddress(trimmedText.charCodeAt(end))) {
    trimmedText = trimmedText.slice(0, end);
  }
  const before = trimmedText.slice(0, start);
  if (start > 0 && endsAddress(text.charCodeAt(start - 1)) && !before.includes('\n')) {
    trimmedText = trimmedText.slice(start);
    character += start;
    end -= start;
    start = 0;
  }
  return { text: trimmedText, line: segment.line, character, selected: { start, end } };
}

function endsAddress(code: number): boolean {
  const kind = classOf(code);
  return (kind & OTHER_LETTER) !== 0 || ((kind & JOINER) !== 0 && code !== CODE_PERCENT);
}

// Multi-cursor selections arrive in the order they were made; the user reads them top to bottom.
function inDocumentOrder(segments: readonly TextSegment[]): TextSegment[] {
  return [...segments].sort((a, b) => a.line - b.line || a.character - b.character);
}

/** Reads one segment in a single pass, keeping track of line and character as it goes. */
class SegmentScanner {
  private readonly text: string;
  private line: number;
  /** Added to an offset in `text` to give the character within the current line. */
  private columnShift: number;
  private readonly selectedStart: number;
  private readonly selectedEnd: number;

  constructor(
    segment: TextSegment,
    private readonly found: Map<string, FoundIp>,
    private readonly invalid: InvalidAddress[],
  ) {
    this.text = segment.text;
    this.line = segment.line;
    this.columnShift = segment.character;
    this.selectedStart = segment.selected?.start ?? 0;
    this.selectedEnd = segment.selected?.end ?? segment.text.length;
  }

  scan(): void {
    const text = this.text;
    const length = text.length;
    let offset = 0;

    while (offset < length) {
      const code = text.charCodeAt(offset);
      if (code === LINE_FEED) {
        // A `\r` before it stays at the end of the previous line, so `\r\n` is one break.
        this.line++;
        this.columnShift = -(offset + 1);
        offset++;
        continue;
      }
      if ((classOf(code) & TOKEN) === 0) {
        offset++;
        continue;
      }

      const start = offset;
      let kinds = 0;
      while (offset < length) {
        const kind = classOf(text.charCodeAt(offset));
        if ((kind & TOKEN) === 0) break;
        kinds |= kind;
        offset++;
      }

      // Only a token with a digit and a dot or colon can hold an address; most words stop here.
      if ((kinds & DIGIT) !== 0 && (kinds & (DOT | COLON)) !== 0) {
        this.readToken(start, offset, (kinds & COLON) !== 0);
      }
    }
  }

  private readToken(start: number, tokenEnd: number, hasColon: boolean): void {
    const end = trimSentencePunctuation(this.text, start, tokenEnd);
    const prefix = end === tokenEnd ? readPrefix(this.text, tokenEnd) : undefined;

    if (!hasColon || !this.readIpv6(skipLabels(this.text, start, end), end, prefix)) {
      this.readIpv4Pieces(start, end, prefix);
    }
  }

  /** Reports the token as IPv6 when it is clearly meant as one; false leaves it to IPv4. */
  private readIpv6(start: number, end: number, prefix: Prefix | undefined): boolean {
    const text = this.text;
    const zoneAt = indexOfCode(text, CODE_PERCENT, start, Math.min(end, start + MAX_IPV6_TEXT + 1));
    const addressEnd = zoneAt < 0 ? end : zoneAt;
    if (addressEnd - start > MAX_IPV6_TEXT) return false;

    const shape = readIpv6Shape(text, start, addressEnd);
    if (shape === undefined || !isMeantAsIpv6(shape)) return false;

    const writtenEnd = prefix ? prefix.end : end;
    const problem =
      ipv6Problem(text, shape) ??
      (zoneAt < 0 ? undefined : `zone index (${text.slice(zoneAt, end)}) is not allowed`) ??
      prefixProblem(prefix, 128);
    const canonical = problem === undefined ? canonicalIpv6(text, shape) : undefined;

    if (canonical === undefined) {
      this.reportInvalid(start, writtenEnd, problem ?? 'is not a valid IPv6 address');
    } else {
      this.reportFound(canonical, start, addressEnd);
    }
    return true;
  }

  // `addr:192.0.2.1`, `192.0.2.1:8080` and `12:30:45.123` all split at colons into pieces.
  private readIpv4Pieces(start: number, end: number, prefix: Prefix | undefined): void {
    let pieceStart = start;
    for (let offset = start; offset <= end; offset++) {
      if (offset < end && this.text.charCodeAt(offset) !== CODE_COLON) continue;
      if (offset > pieceStart) {
        this.readIpv4Piece(pieceStart, offset, offset === end ? prefix : undefined);
      }
      pieceStart = offset + 1;
    }
  }

  private readIpv4Piece(start: number, end: number, prefix: Prefix | undefined): void {
    const text = this.text;
    const parts = countDottedParts(text, start, end);

    // Fewer parts is a version or a decimal (`1.2.3`); more than five is an OID or a build number.
    if (parts === 4 || parts === 5) {
      this.readIpv4(start, end, prefix);
      return;
    }

    if (parts === 0 && end - start <= MAX_IPV4_RANGE_TEXT) {
      const hyphen = indexOfCode(text, CODE_HYPHEN, start, end);
      if (
        hyphen >= 0 &&
        countDottedParts(text, start, hyphen) === 4 &&
        countDottedParts(text, hyphen + 1, end) === 4
      ) {
        this.reportInvalid(start, end, 'an address range, not a single address');
      }
    }
  }

  private readIpv4(start: number, end: number, prefix: Prefix | undefined): void {
    const writtenEnd = prefix ? prefix.end : end;
    const octets = readDottedQuad(this.text, start, end);
    const prefixTrouble = prefixProblem(prefix, 32);

    if (typeof octets === 'string') {
      this.reportInvalid(start, writtenEnd, octets);
    } else if (prefixTrouble !== undefined) {
      this.reportInvalid(start, writtenEnd, prefixTrouble);
    } else {
      // The text is read here because ipaddr.js also accepts octal and hex forms (0x7f.1);
      // its constructor checks the octets and gives the canonical text.
      this.reportFound(new ipaddr.IPv4(octets).toString(), start, end);
    }
  }

  private reportFound(originIp: string, start: number, end: number): void {
    if (this.isOutsideSelection(start, end)) return;
    if (start < this.selectedStart || end > this.selectedEnd) {
      // `92.0.2.15` selected out of `192.0.2.15` is another IP: never send it.
      this.reportInvalid(
        Math.max(start, this.selectedStart),
        Math.min(end, this.selectedEnd),
        `part of ${this.text.slice(start, end)}, which the selection cuts through; select all of it`,
      );
      return;
    }
    const range = this.rangeOf(start, end);
    const known = this.found.get(originIp);
    if (known) {
      known.occurrences.push(range);
    } else {
      this.found.set(originIp, { originIp, occurrences: [range] });
    }
  }

  private reportInvalid(start: number, end: number, reason: string): void {
    if (this.isOutsideSelection(start, end)) return;
    this.invalid.push({ text: this.text.slice(start, end), reason, ...this.rangeOf(start, end) });
  }

  /** Text read only as context around a selection, so that a cut address is seen whole. */
  private isOutsideSelection(start: number, end: number): boolean {
    return end <= this.selectedStart || start >= this.selectedEnd;
  }

  // Tokens never span a line break, so the whole token shares the current line.
  private rangeOf(start: number, end: number): TextRange {
    return { line: this.line, character: start + this.columnShift, length: end - start };
  }
}

function buildCharClasses(): Uint8Array {
  const classes = new Uint8Array(128);
  for (let code = 0; code < 128; code++) {
    const char = String.fromCharCode(code);
    if (char >= '0' && char <= '9') classes[code] = TOKEN | DIGIT;
    else if ((char >= 'a' && char <= 'f') || (char >= 'A' && char <= 'F')) {
      classes[code] = TOKEN | HEX_LETTER;
    } else if ((char >= 'g' && char <= 'z') || (char >= 'G' && char <= 'Z')) {
      classes[code] = TOKEN | OTHER_LETTER;
    } else if (char === '.') classes[code] = TOKEN | DOT;
    else if (char === ':') classes[code] = TOKEN | COLON;
    else if (char === '_' || char === '-' || char === '%') classes[code] = TOKEN | JOINER;
  }
  return classes;
}

function classOf(code: number): number {
  // NaN (past the end of the text) compares false and counts as a separator.
  return code < 128 ? CHAR_CLASS[code] : 0;
}

function isHexDigit(code: number): boolean {
  return (classOf(code) & (DIGIT | HEX_LETTER)) !== 0;
}

// Bounded by `end`, unlike String.indexOf, so repeated calls stay linear.
function indexOfCode(text: string, code: number, start: number, end: number): number {
  for (let offset = start; offset < end; offset++) {
    if (text.charCodeAt(offset) === code) return offset;
  }
  return -1;
}

// A sentence may end right after an address: `blocked 192.0.2.1.` or `from 192.0.2.1: refused`.
function trimSentencePunctuation(text: string, start: number, end: number): number {
  while (end > start && text.charCodeAt(end - 1) === CODE_DOT) end--;
  if (
    end - start > 1 &&
    text.charCodeAt(end - 1) === CODE_COLON &&
    text.charCodeAt(end - 2) !== CODE_COLON
  ) {
    end--;
  }
  return end;
}

// In `addr:192.0.2.1` or `client:2001:db8::1` the leading word names the address and is not
// part of it. A word of hex digits could be an IPv6 group, and `std::` is a path, so both stay.
function skipLabels(text: string, start: number, end: number): number {
  let pieceStart = start;
  let isLabel = false;
  for (let offset = start; offset < end; offset++) {
    const code = text.charCodeAt(offset);
    if (code !== CODE_COLON) {
      if (!isHexDigit(code)) isLabel = true;
      continue;
    }
    if (!isLabel || offset === pieceStart || text.charCodeAt(offset + 1) === CODE_COLON) break;
    pieceStart = offset + 1;
    isLabel = false;
  }
  return pieceStart;
}

/** Reads `/8` after an address; a path such as `/24/index.html` is not a prefix length. */
function readPrefix(text: string, slashAt: number): Prefix | undefined {
  if (text.charCodeAt(slashAt) !== CODE_SLASH) return undefined;

  let end = slashAt + 1;
  let bits = 0;
  while (end < slashAt + 4 && (classOf(text.charCodeAt(end)) & DIGIT) !== 0) {
    bits = bits * 10 + text.charCodeAt(end) - 0x30;
    end++;
  }
  if (end === slashAt + 1) return undefined;

  const next = text.charCodeAt(end);
  const endsSentence = next === CODE_DOT && (classOf(text.charCodeAt(end + 1)) & TOKEN) === 0;
  if (next === CODE_SLASH || ((classOf(next) & TOKEN) !== 0 && !endsSentence)) return undefined;
  return { bits, end };
}

// `/32` and `/128` name exactly one address, so they are read as that address.
function prefixProblem(prefix: Prefix | undefined, hostBits: number): string | undefined {
  if (prefix === undefined || prefix.bits === hostBits) return undefined;
  return 'a CIDR range, not a single address';
}

/** The number of parts if the text is 1-3 digit numbers joined by single dots, else 0. */
function countDottedParts(text: string, start: number, end: number): number {
  let parts = 1;
  let digits = 0;
  for (let offset = start; offset < end; offset++) {
    const code = text.charCodeAt(offset);
    if (code === CODE_DOT) {
      if (digits === 0) return 0;
      parts++;
      digits = 0;
    } else if ((classOf(code) & DIGIT) !== 0 && digits < 3) {
      digits++;
    } else {
      return 0;
    }
  }
  return parts > 1 && digits > 0 ? parts : 0;
}

/** The four octets of text made of digits and dots, or why it is not one IPv4 address. */
function readDottedQuad(text: string, start: number, end: number): number[] | string {
  const octets: number[] = [];
  let problem: string | undefined;
  let partStart = start;
  let value = 0;

  for (let offset = start; offset <= end; offset++) {
    if (offset < end && text.charCodeAt(offset) !== CODE_DOT) {
      value = value * 10 + text.charCodeAt(offset) - 0x30;
      continue;
    }
    if (offset === partStart) return 'has an empty part between dots';
    // 010 means 8 to some tools and 10 to others.
    if (problem === undefined && offset - partStart > 1 && text.charCodeAt(partStart) === 0x30) {
      problem = `leading zero in ${text.slice(partStart, offset)} is ambiguous`;
    } else if (problem === undefined && (offset - partStart > 3 || value > 255)) {
      problem = `octet ${text.slice(partStart, offset)} is out of range (0-255)`;
    }
    octets.push(value);
    partStart = offset + 1;
    value = 0;
  }

  if (octets.length !== 4) return `has ${octets.length} parts; an IPv4 address has 4`;
  return problem ?? octets;
}

/** Reads groups and colons; undefined when a group could not be part of any address. */
function readIpv6Shape(text: string, start: number, end: number): Ipv6Shape | undefined {
  const shape: Ipv6Shape = {
    start,
    end,
    groups: 0,
    hexGroups: 0,
    compressions: 0,
    tripleColon: false,
    strayColon: false,
    badGroupStart: -1,
    badGroupEnd: -1,
    ipv4TailStart: -1,
    hasDigit: false,
    onlyPairs: true,
  };

  let offset = start;
  while (offset < end) {
    const runStart = offset;
    if (text.charCodeAt(offset) === CODE_COLON) {
      while (offset < end && text.charCodeAt(offset) === CODE_COLON) offset++;
      const colons = offset - runStart;
      if (colons === 2) shape.compressions++;
      else if (colons > 2) shape.tripleColon = true;
      else if (runStart === start || offset === end) shape.strayColon = true;
      continue;
    }

    let kinds = 0;
    while (offset < end && text.charCodeAt(offset) !== CODE_COLON) {
      kinds |= classOf(text.charCodeAt(offset));
      offset++;
    }
    if ((kinds & DIGIT) !== 0) shape.hasDigit = true;

    const length = offset - runStart;
    if ((kinds & (OTHER_LETTER | DOT | JOINER)) === 0 && length <= 4) {
      shape.hexGroups++;
      shape.groups++;
      if (length !== 2) shape.onlyPairs = false;
    } else if ((kinds & DOT) !== 0) {
      // Dotted decimal may only close the address, as in `::ffff:192.0.2.1`.
      if (offset !== end || (kinds & (HEX_LETTER | OTHER_LETTER | JOINER)) !== 0) return undefined;
      shape.ipv4TailStart = runStart;
      shape.groups += 2;
      shape.onlyPairs = false;
    } else if ((kinds & JOINER) === 0 && shape.badGroupStart < 0) {
      shape.badGroupStart = runStart;
      shape.badGroupEnd = offset;
      shape.groups++;
      shape.onlyPairs = false;
    } else {
      return undefined;
    }
  }
  return shape;
}

// Certainly an address: `::` or seven or more groups, with a digit, and at most one bad group
// among hex ones. Left alone: `a::b`, `std::vector`, `f32::EPSILON`, times and MAC addresses.
// Limitation: Python slices such as `x[1::2]` are valid IPv6 text (`1::2`) and are read as such.
// Limitation: an unbracketed `2001:db8::1:443` is one valid address; only `[v6]:port` drops a port.
function isMeantAsIpv6(shape: Ipv6Shape): boolean {
  if (!shape.hasDigit) return false;
  if (shape.badGroupStart >= 0 ? shape.hexGroups < 2 : shape.groups === 0) return false;
  if (shape.compressions > 0 || shape.tripleColon) return true;
  return shape.groups >= 7 && !shape.onlyPairs;
}

/** Why an intended IPv6 address is malformed, or undefined when its groups add up. */
function ipv6Problem(text: string, shape: Ipv6Shape): string | undefined {
  if (shape.tripleColon) return "':::' is not valid; '::' stands for a run of zero groups";
  if (shape.compressions > 1) return "uses '::' more than once; it may appear only once";
  if (shape.strayColon) return "starts or ends with a single ':'";
  if (shape.badGroupStart >= 0) {
    const group = text.slice(shape.badGroupStart, shape.badGroupEnd);
    return `${group} is not a group of 1 to 4 hex digits`;
  }
  if (shape.ipv4TailStart >= 0) {
    const octets = readDottedQuad(text, shape.ipv4TailStart, shape.end);
    if (typeof octets === 'string') return `in the embedded IPv4 part, ${octets}`;
  }
  if (shape.compressions === 0 && shape.groups !== 8) {
    return `has ${shape.groups} groups; an IPv6 address has 8`;
  }
  if (shape.compressions === 1 && shape.groups > 7) {
    return `has ${shape.groups} groups besides '::'; an IPv6 address has 8 in all`;
  }
  return undefined;
}

/** RFC 5952 text, with IPv4-mapped addresses ending in dotted decimal (section 5). */
function canonicalIpv6(text: string, shape: Ipv6Shape): string | undefined {
  const parts = readIpv6Parts(text, shape);
  if (parts === undefined) return undefined;

  let address: ipaddr.IPv6;
  try {
    address = new ipaddr.IPv6(parts);
  } catch {
    return undefined;
  }

  const [a, b, c, d, e, f, high, low] = address.parts;
  if (a === 0 && b === 0 && c === 0 && d === 0 && e === 0 && f === 0xffff) {
    return `::ffff:${high >> 8}.${high & 0xff}.${low >> 8}.${low & 0xff}`;
  }
  return address.toRFC5952String();
}

// Read here rather than by ipaddr.IPv6.parse: its regexes cost more than the whole scan, and it
// reads `::192.0.2.1` as `::ffff:192.0.2.1`, which is a different address.
function readIpv6Parts(text: string, shape: Ipv6Shape): number[] | undefined {
  const parts: number[] = [];
  let compressedAt = -1;
  let offset = shape.start;

  while (offset < shape.end) {
    if (text.charCodeAt(offset) === CODE_COLON) {
      if (text.charCodeAt(offset + 1) === CODE_COLON) {
        compressedAt = parts.length;
        offset++;
      }
      offset++;
    } else if (offset === shape.ipv4TailStart) {
      const octets = readDottedQuad(text, offset, shape.end);
      if (typeof octets === 'string') return undefined;
      parts.push((octets[0] << 8) | octets[1], (octets[2] << 8) | octets[3]);
      offset = shape.end;
    } else {
      let value = 0;
      for (; offset < shape.end && text.charCodeAt(offset) !== CODE_COLON; offset++) {
        value = value * 16 + hexValue(text.charCodeAt(offset));
      }
      parts.push(value);
    }
  }

  if (compressedAt >= 0) {
    parts.splice(compressedAt, 0, ...new Array<number>(8 - parts.length).fill(0));
  }
  return parts.length === 8 ? parts : undefined;
}

function hexValue(code: number): number {
  // Lower-casing with 0x20 maps A-F onto a-f; digits sit below both.
  return code <= 0x39 ? code - 0x30 : (code | 0x20) - 0x57;
}
