/**
 * The parts of the ZIP format (APPNOTE 6.3) that a project archive uses: local headers, the
 * central directory and its end record, without ZIP64. Offsets and sizes are 32-bit, so one
 * archive holds at most 4 GiB; the writer refuses more instead of writing a broken file.
 */
export const LOCAL_HEADER_SIG = 0x04034b50;
export const CENTRAL_HEADER_SIG = 0x02014b50;
export const END_OF_CENTRAL_SIG = 0x06054b50;
export const DATA_DESCRIPTOR_SIG = 0x08074b50;
export const LOCAL_HEADER_SIZE = 30;
export const CENTRAL_HEADER_SIZE = 46;
export const END_OF_CENTRAL_SIZE = 22;
/** The largest size or offset a plain (non-ZIP64) archive can state. */
export const ZIP32_LIMIT = 0xffffffff;
/** Flag bit 3: sizes and CRC follow the data; bit 11: the name is UTF-8. */
export const FLAG_DATA_DESCRIPTOR = 0x0008;
export const FLAG_UTF8 = 0x0800;
export const METHOD_STORED = 0;
export const METHOD_DEFLATE = 8;
/** A fixed DOS date (1 Jan 2020): archives of the same project are byte-identical. */
export const DOS_TIME = 0;
export const DOS_DATE = ((2020 - 1980) << 9) | (1 << 5) | 1;

export interface CentralEntry {
  name: string;
  method: number;
  crc32: number;
  compressedSize: number;
  size: number;
  /** Offset of the entry's local header from the start of the archive. */
  localOffset: number;
}

export function centralHeader(e: CentralEntry): Buffer {
  const name = Buffer.from(e.name, 'utf8');
  const b = Buffer.alloc(CENTRAL_HEADER_SIZE);
  b.writeUInt32LE(CENTRAL_HEADER_SIG, 0);
  b.writeUInt16LE(20, 4); // made by: 2.0
  b.writeUInt16LE(20, 6); // needed: 2.0
  b.writeUInt16LE(FLAG_DATA_DESCRIPTOR | FLAG_UTF8, 8);
  b.writeUInt16LE(e.method, 10);
  b.writeUInt16LE(DOS_TIME, 12);
  b.writeUInt16LE(DOS_DATE, 14);
  b.writeUInt32LE(e.crc32 >>> 0, 16);
  b.writeUInt32LE(e.compressedSize, 20);
  b.writeUInt32LE(e.size, 24);
  b.writeUInt16LE(name.length, 28);
  b.writeUInt32LE(e.localOffset, 42);
  return Buffer.concat([b, name]);
}

export function localHeader(name: string, method: number): Buffer {
  const n = Buffer.from(name, 'utf8');
  const b = Buffer.alloc(LOCAL_HEADER_SIZE);
  b.writeUInt32LE(LOCAL_HEADER_SIG, 0);
  b.writeUInt16LE(20, 4);
  b.writeUInt16LE(FLAG_DATA_DESCRIPTOR | FLAG_UTF8, 6);
  b.writeUInt16LE(method, 8);
  b.writeUInt16LE(DOS_TIME, 10);
  b.writeUInt16LE(DOS_DATE, 12);
  // CRC and sizes are in the data descriptor (flag bit 3), so the data streams in one pass.
  b.writeUInt16LE(n.length, 26);
  return Buffer.concat([b, n]);
}

export function dataDescriptor(crc32: number, compressedSize: number, size: number): Buffer {
  const b = Buffer.alloc(16);
  b.writeUInt32LE(DATA_DESCRIPTOR_SIG, 0);
  b.writeUInt32LE(crc32 >>> 0, 4);
  b.writeUInt32LE(compressedSize, 8);
  b.writeUInt32LE(size, 12);
  return b;
}

export function endOfCentral(count: number, centralSize: number, centralOffset: number): Buffer {
  const b = Buffer.alloc(END_OF_CENTRAL_SIZE);
  b.writeUInt32LE(END_OF_CENTRAL_SIG, 0);
  b.writeUInt16LE(count, 8);
  b.writeUInt16LE(count, 10);
  b.writeUInt32LE(centralSize, 12);
  b.writeUInt32LE(centralOffset, 16);
  return b;
}
