import { createReadStream, createWriteStream } from 'node:fs';
import { open, rm, type FileHandle } from 'node:fs/promises';
import { Readable, Transform, Writable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { createInflateRaw, crc32 } from 'node:zlib';
import {
  CENTRAL_HEADER_SIG,
  CENTRAL_HEADER_SIZE,
  END_OF_CENTRAL_SIG,
  END_OF_CENTRAL_SIZE,
  LOCAL_HEADER_SIG,
  LOCAL_HEADER_SIZE,
  METHOD_DEFLATE,
  METHOD_STORED,
  ZIP16_LIMIT,
  ZIP32_LIMIT,
  ZIP64_END_SIG,
  ZIP64_END_SIZE,
  ZIP64_EXTRA_TAG,
  ZIP64_LOCATOR_SIG,
  ZIP64_LOCATOR_SIZE,
  type CentralEntry,
} from './zipFormat';

export type ZipProblem = 'not_zip' | 'damaged' | 'unsafe_name' | 'unsupported' | 'too_large';

/** What is wrong with an archive, as data (the caller words the message for its user). */
export class ZipReadError extends Error {
  constructor(
    readonly problem: ZipProblem,
    message: string,
  ) {
    super(message);
  }
}

/** An entry as the central directory states it (the same record the writer writes). */
export type ZipEntry = CentralEntry;

export interface ZipLimits {
  maxEntries: number;
  /** The most bytes one entry may unpack to, and all entries together. */
  maxEntryBytes: number;
  maxTotalBytes: number;
}

/**
 * A name that stays inside the folder it is unpacked into: relative, forward slashes, no `..`,
 * `.` or empty segments, no drive letters, no control characters (the "zip slip" attack).
 */
export function isSafeEntryName(name: string): boolean {
  if (name.length === 0 || name.length > 512) return false;
  // eslint-disable-next-line no-control-regex
  if (/[\u0000-\u001f\u007f\\:]/.test(name) || name.startsWith('/')) return false;
  return name.split('/').every((seg) => seg !== '' && seg !== '.' && seg !== '..');
}

/** Reads and checks the central directory: every entry is inside the file, named safely, within the limits. */
export async function readZipDirectory(path: string, limits: ZipLimits): Promise<ZipEntry[]> {
  const fh = await open(path, 'r');
  try {
    const { size } = await fh.stat();
    const { count, centralSize, centralOffset, directoryEnd } = await readEnd(fh, size);
    if (count > limits.maxEntries) throw new ZipReadError('too_large', `it holds ${count} files; at most ${limits.maxEntries} are accepted`);
    if (centralOffset + centralSize > directoryEnd) throw new ZipReadError('damaged', 'its file list points past the end of the file (it is cut short)');
    // Each entry's record is its 46 bytes, a name of at most 512 and some extra fields: more is not a file list.
    if (centralSize > count * 4096) throw new ZipReadError('damaged', 'its file list is damaged');
    const central = await readAt(fh, centralOffset, centralSize);
    const entries: ZipEntry[] = [];
    const names = new Set<string>();
    let pos = 0;
    let total = 0;
    for (let i = 0; i < count; i++) {
      if (pos + CENTRAL_HEADER_SIZE > central.length || central.readUInt32LE(pos) !== CENTRAL_HEADER_SIG) {
        throw new ZipReadError('damaged', 'its file list is damaged');
      }
      const entry = parseCentral(central, pos);
      pos += CENTRAL_HEADER_SIZE + central.readUInt16LE(pos + 28) + central.readUInt16LE(pos + 30) + central.readUInt16LE(pos + 32);
      if (entry.name.endsWith('/') && entry.size === 0) continue; // a folder entry: nothing to unpack
      if (!isSafeEntryName(entry.name)) throw new ZipReadError('unsafe_name', `it contains a file named "${entry.name.slice(0, 120)}" that would land outside the folder it is unpacked into`);
      if (entry.size > limits.maxEntryBytes) throw new ZipReadError('too_large', `${entry.name} unpacks to ${entry.size} bytes, more than the ${limits.maxEntryBytes} accepted`);
      total += entry.size;
      if (total > limits.maxTotalBytes) throw new ZipReadError('too_large', `its files unpack to more than the ${limits.maxTotalBytes} bytes accepted`);
      if (names.has(entry.name)) throw new ZipReadError('damaged', `it lists ${entry.name} twice`);
      names.add(entry.name);
      if (entry.localOffset + LOCAL_HEADER_SIZE + entry.compressedSize > centralOffset) throw new ZipReadError('damaged', `${entry.name} points past the data (the archive is cut short)`);
      entries.push(entry);
    }
    return entries;
  } finally {
    await fh.close();
  }
}

function parseCentral(b: Buffer, pos: number): ZipEntry {
  const flags = b.readUInt16LE(pos + 8);
  const method = b.readUInt16LE(pos + 10);
  const nameLen = b.readUInt16LE(pos + 28);
  const name = b.subarray(pos + CENTRAL_HEADER_SIZE, pos + CENTRAL_HEADER_SIZE + nameLen).toString('utf8');
  if (pos + CENTRAL_HEADER_SIZE + nameLen > b.length) throw new ZipReadError('damaged', 'its file list is damaged');
  if (flags & 0x0001) throw new ZipReadError('unsupported', `${name} is encrypted`);
  if (method !== METHOD_STORED && method !== METHOD_DEFLATE) throw new ZipReadError('unsupported', `${name} uses a compression method (${method}) that is not supported`);
  const entry = {
    name,
    method,
    crc32: b.readUInt32LE(pos + 16),
    compressedSize: b.readUInt32LE(pos + 20),
    size: b.readUInt32LE(pos + 24),
    localOffset: b.readUInt32LE(pos + 42),
  };
  const saturated = (['size', 'compressedSize', 'localOffset'] as const).filter((k) => entry[k] === ZIP32_LIMIT);
  if (saturated.length > 0) {
    const extraStart = pos + CENTRAL_HEADER_SIZE + nameLen;
    const values = zip64Values(b.subarray(extraStart, extraStart + b.readUInt16LE(pos + 30)), saturated.length, name);
    saturated.forEach((k, i) => (entry[k] = values[i]!));
  }
  return entry;
}

interface EndOfArchive {
  count: number;
  centralSize: number;
  centralOffset: number;
  /** Where the file list must end: the first end record. */
  directoryEnd: number;
}

/** The end record, and the ZIP64 end record it points to when a value says "see ZIP64". */
async function readEnd(fh: FileHandle, size: number): Promise<EndOfArchive> {
  const { end, at } = await findEndOfCentral(fh, size);
  const plain = { count: end.readUInt16LE(10), centralSize: end.readUInt32LE(12), centralOffset: end.readUInt32LE(16), directoryEnd: at };
  if (plain.count !== ZIP16_LIMIT && plain.centralSize !== ZIP32_LIMIT && plain.centralOffset !== ZIP32_LIMIT) return plain;
  const locator = at >= ZIP64_LOCATOR_SIZE ? await readAt(fh, at - ZIP64_LOCATOR_SIZE, ZIP64_LOCATOR_SIZE) : Buffer.alloc(0);
  if (locator.length < ZIP64_LOCATOR_SIZE || locator.readUInt32LE(0) !== ZIP64_LOCATOR_SIG) {
    // Exactly 65,535 files fit the plain count, and some tools write it so without a ZIP64 record.
    if (plain.centralSize !== ZIP32_LIMIT && plain.centralOffset !== ZIP32_LIMIT) return plain;
    throw new ZipReadError('damaged', 'its end says the file list is in a ZIP64 record, and there is none');
  }
  const recordAt = safeNumber(locator.readBigUInt64LE(8), 'its ZIP64 end record');
  const record = recordAt + ZIP64_END_SIZE <= at - ZIP64_LOCATOR_SIZE ? await readAt(fh, recordAt, ZIP64_END_SIZE) : Buffer.alloc(0);
  if (record.length < ZIP64_END_SIZE || record.readUInt32LE(0) !== ZIP64_END_SIG) throw new ZipReadError('damaged', 'its ZIP64 end record is damaged');
  return {
    count: safeNumber(record.readBigUInt64LE(32), 'its file count'),
    centralSize: safeNumber(record.readBigUInt64LE(40), 'its file list'),
    centralOffset: safeNumber(record.readBigUInt64LE(48), 'its file list'),
    directoryEnd: recordAt,
  };
}

function safeNumber(v: bigint, what: string): number {
  if (v > BigInt(Number.MAX_SAFE_INTEGER)) throw new ZipReadError('damaged', `${what} states an impossible size`);
  return Number(v);
}

/** The 8-byte values of an entry's ZIP64 extra field (tag 1), in the order APPNOTE 4.5.3 fixes. */
function zip64Values(extra: Buffer, wanted: number, name: string): number[] {
  for (let p = 0; p + 4 <= extra.length; p += 4 + extra.readUInt16LE(p + 2)) {
    if (extra.readUInt16LE(p) !== ZIP64_EXTRA_TAG) continue;
    if (extra.readUInt16LE(p + 2) < 8 * wanted || p + 4 + 8 * wanted > extra.length) break;
    return Array.from({ length: wanted }, (_, i) => safeNumber(extra.readBigUInt64LE(p + 4 + 8 * i), name));
  }
  throw new ZipReadError('damaged', `${name}: its sizes are missing from the file list`);
}

async function findEndOfCentral(fh: FileHandle, size: number): Promise<{ end: Buffer; at: number }> {
  if (size < END_OF_CENTRAL_SIZE) throw new ZipReadError('not_zip', 'it is too short to be a ZIP archive');
  const tailLen = Math.min(size, END_OF_CENTRAL_SIZE + 0xffff);
  const tail = await readAt(fh, size - tailLen, tailLen);
  for (let i = tail.length - END_OF_CENTRAL_SIZE; i >= 0; i--) {
    if (tail.readUInt32LE(i) === END_OF_CENTRAL_SIG) return { end: tail.subarray(i, i + END_OF_CENTRAL_SIZE), at: size - tailLen + i };
  }
  const head = await readAt(fh, 0, 4);
  throw head.length === 4 && head.readUInt32LE(0) === LOCAL_HEADER_SIG
    ? new ZipReadError('damaged', 'its end is missing (the file was cut short while it was copied or downloaded)')
    : new ZipReadError('not_zip', 'it is not a ZIP archive');
}

async function readAt(fh: FileHandle, position: number, length: number): Promise<Buffer> {
  const buf = Buffer.alloc(length);
  let done = 0;
  while (done < length) {
    const { bytesRead } = await fh.read(buf, done, length - done, position + done);
    if (bytesRead === 0) break;
    done += bytesRead;
  }
  return buf.subarray(0, done);
}

async function dataStart(path: string, entry: ZipEntry): Promise<number> {
  const fh = await open(path, 'r');
  try {
    const h = await readAt(fh, entry.localOffset, LOCAL_HEADER_SIZE);
    if (h.length < LOCAL_HEADER_SIZE || h.readUInt32LE(0) !== LOCAL_HEADER_SIG) throw new ZipReadError('damaged', `${entry.name} is damaged`);
    return entry.localOffset + LOCAL_HEADER_SIZE + h.readUInt16LE(26) + h.readUInt16LE(28);
  } finally {
    await fh.close();
  }
}

/** A pass-through that checks length and CRC against what the directory promised. */
function checker(entry: ZipEntry): Transform {
  let crc = 0;
  let size = 0;
  return new Transform({
    transform(chunk: Buffer, _enc, cb) {
      size += chunk.length;
      if (size > entry.size) return cb(new ZipReadError('damaged', `${entry.name} is longer than its stated size`));
      crc = crc32(chunk, crc);
      cb(null, chunk);
    },
    flush(cb) {
      if (size !== entry.size || crc >>> 0 !== entry.crc32 >>> 0) return cb(new ZipReadError('damaged', `${entry.name} is damaged (its checksum does not match)`));
      cb();
    },
  });
}

function entryStream(path: string, entry: ZipEntry, start: number, signal?: AbortSignal): NodeJS.ReadableStream[] {
  if (entry.compressedSize === 0) return [Readable.from([])];
  const raw = createReadStream(path, { start, end: start + entry.compressedSize - 1, signal, highWaterMark: 1 << 20 });
  return entry.method === METHOD_DEFLATE ? [raw, createInflateRaw()] : [raw];
}

/** Unpacks one entry to `target` (which must not exist), checking its size and checksum; a failure removes it. */
export async function extractEntry(path: string, entry: ZipEntry, target: string, signal?: AbortSignal): Promise<void> {
  const start = await dataStart(path, entry);
  try {
    await pipeline([...entryStream(path, entry, start, signal), checker(entry), createWriteStream(target, { flags: 'wx' })], { signal });
  } catch (e) {
    await rm(target, { force: true });
    if (e instanceof ZipReadError) throw e;
    if (e instanceof Error && 'code' in e && String(e.code).startsWith('Z_')) throw new ZipReadError('damaged', `${entry.name} is damaged (${e.message})`);
    throw e;
  }
}

/** Reads a small entry (a manifest) into memory, with the same checks. */
export async function readEntry(path: string, entry: ZipEntry, maxBytes: number): Promise<Buffer> {
  if (entry.size > maxBytes) throw new ZipReadError('too_large', `${entry.name} is larger than the ${maxBytes} bytes accepted`);
  const start = await dataStart(path, entry);
  const chunks: Buffer[] = [];
  const sink = new Writable({
    write(chunk: Buffer, _enc, cb) {
      chunks.push(chunk);
      cb();
    },
  });
  try {
    await pipeline([...entryStream(path, entry, start), checker(entry), sink]);
  } catch (e) {
    if (e instanceof ZipReadError) throw e;
    throw new ZipReadError('damaged', `${entry.name} is damaged`);
  }
  return Buffer.concat(chunks);
}
