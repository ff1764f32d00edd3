import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';
import { inflateRawSync } from 'node:zlib';

/** One file of a zip archive (a .vsix is one), as its central directory lists it. */
export interface ZipEntry {
  name: string;
  compressedBytes: number;
  bytes: number;
}

const END_OF_DIRECTORY = 0x06054b50;
const DIRECTORY_ENTRY = 0x02014b50;
const LOCAL_HEADER = 0x04034b50;
const STORED = 0;
const DEFLATED = 8;

interface LocatedEntry extends ZipEntry {
  method: number;
  localHeaderAt: number;
}

/** The files of the archive, read from its central directory; nothing is decompressed. */
export function zipEntries(file: string): ZipEntry[] {
  return locateEntries(readFileSync(file)).map(({ name, compressedBytes, bytes }) => ({
    name,
    compressedBytes,
    bytes,
  }));
}

/** Unpacks every file of the archive into `folder`, which is emptied first. */
export function unzip(file: string, folder: string): void {
  const archive = readFileSync(file);
  rmSync(folder, { recursive: true, force: true });
  for (const entry of locateEntries(archive)) {
    if (entry.name.endsWith('/')) continue;
    const target = path.join(folder, entry.name);
    if (!target.startsWith(folder + path.sep))
      throw new Error(`Unsafe path in ${file}: ${entry.name}`);
    mkdirSync(path.dirname(target), { recursive: true });
    writeFileSync(target, contentOf(archive, entry));
  }
}

function locateEntries(archive: Buffer): LocatedEntry[] {
  let end = archive.length - 22;
  while (end >= 0 && archive.readUInt32LE(end) !== END_OF_DIRECTORY) end--;
  if (end < 0) throw new Error('Not a zip archive');

  const entries: LocatedEntry[] = [];
  let offset = archive.readUInt32LE(end + 16);
  for (let index = archive.readUInt16LE(end + 10); index > 0; index--) {
    if (archive.readUInt32LE(offset) !== DIRECTORY_ENTRY) throw new Error('Damaged zip archive');
    const nameLength = archive.readUInt16LE(offset + 28);
    entries.push({
      name: archive.toString('utf8', offset + 46, offset + 46 + nameLength),
      method: archive.readUInt16LE(offset + 10),
      compressedBytes: archive.readUInt32LE(offset + 20),
      bytes: archive.readUInt32LE(offset + 24),
      localHeaderAt: archive.readUInt32LE(offset + 42),
    });
    const extraLength = archive.readUInt16LE(offset + 30);
    const commentLength = archive.readUInt16LE(offset + 32);
    offset += 46 + nameLength + extraLength + commentLength;
  }
  return entries;
}

function contentOf(archive: Buffer, entry: LocatedEntry): Buffer {
  const header = entry.localHeaderAt;
  if (archive.readUInt32LE(header) !== LOCAL_HEADER) throw new Error('Damaged zip archive');
  const start = header + 30 + archive.readUInt16LE(header + 26) + archive.readUInt16LE(header + 28);
  const data = archive.subarray(start, start + entry.compressedBytes);
  if (entry.method === STORED) return Buffer.from(data);
  if (entry.method === DEFLATED) return inflateRawSync(data);
  throw new Error(`Unsupported compression method ${entry.method} for ${entry.name}`);
}
