/**
 * The parts of the ZIP format (APPNOTE 6.3) that a project archive uses: local headers, data
 * descriptors, the central directory and its end record, and their ZIP64 forms. A project with long
 * videos passes 4 GiB easily: an entry, an offset or the directory past 32 bits is stated in a ZIP64
 * extra field or end record, and only then, so small archives stay plain ZIP.
 */
export const LOCAL_HEADER_SIG = 0x04034b50;
export const CENTRAL_HEADER_SIG = 0x02014b50;
export const END_OF_CENTRAL_SIG = 0x06054b50;
export const DATA_DESCRIPTOR_SIG = 0x08074b50;
export const LOCAL_HEADER_SIZE = 30;
export const CENTRAL_HEADER_SIZE = 46;
export const END_OF_CENTRAL_SIZE = 22;
export const ZIP64_END_SIG = 0x06064b50;
export const ZIP64_LOCATOR_SIG = 0x07064b50;
export const ZIP64_END_SIZE = 56;
export const ZIP64_LOCATOR_SIZE = 20;
/** The ZIP64 extended information extra field's tag. */
export const ZIP64_EXTRA_TAG = 0x0001;
/** The end record's entry count says "see the ZIP64 end record" with this value. */
export const ZIP16_LIMIT = 0xffff;
/** The largest size or offset a plain (non-ZIP64) archive can state; the value itself means "see ZIP64". */
export const ZIP32_LIMIT = 0xffffffff;
const VERSION_PLAIN = 20;
const VERSION_ZIP64 = 45;
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

/** The 8-byte values a record could not state in 32 bits, as a ZIP64 extra field (none: empty). */
function zip64Extra(values: number[]): Buffer {
  if (values.length === 0) return Buffer.alloc(0);
  const b = Buffer.alloc(4 + 8 * values.length);
  b.writeUInt16LE(ZIP64_EXTRA_TAG, 0);
  b.writeUInt16LE(8 * values.length, 2);
  values.forEach((v, i) => b.writeBigUInt64LE(BigInt(v), 4 + 8 * i));
  return b;
}

const fits32 = (v: number): boolean => v < ZIP32_LIMIT;

export function centralHeader(e: CentralEntry): Buffer {
  const name = Buffer.from(e.name, 'utf8');
  // APPNOTE 4.5.3: the extra field holds, in this order, only the values whose fields say 0xFFFFFFFF.
  const extra = zip64Extra([e.size, e.compressedSize, e.localOffset].filter((v) => !fits32(v)));
  const b = Buffer.alloc(CENTRAL_HEADER_SIZE);
  b.writeUInt32LE(CENTRAL_HEADER_SIG, 0);
  b.writeUInt16LE(extra.length ? VERSION_ZIP64 : VERSION_PLAIN, 4); // made by
  b.writeUInt16LE(extra.length ? VERSION_ZIP64 : VERSION_PLAIN, 6); // needed
  b.writeUInt16LE(FLAG_DATA_DESCRIPTOR | FLAG_UTF8, 8);
  b.writeUInt16LE(e.method, 10);
  b.writeUInt16LE(DOS_TIME, 12);
  b.writeUInt16LE(DOS_DATE, 14);
  b.writeUInt32LE(e.crc32 >>> 0, 16);
  b.writeUInt32LE(Math.min(e.compressedSize, ZIP32_LIMIT), 20);
  b.writeUInt32LE(Math.min(e.size, ZIP32_LIMIT), 24);
  b.writeUInt16LE(name.length, 28);
  b.writeUInt16LE(extra.length, 30);
  b.writeUInt32LE(Math.min(e.localOffset, ZIP32_LIMIT), 42);
  return Buffer.concat([b, name, extra]);
}

/**
 * `zip64`: the entry may reach 4 GiB, so its data descriptor has 8-byte sizes, which the ZIP64 extra
 * field here announces to streaming readers (APPNOTE 4.3.9.2). Decided before the data is written.
 */
export function localHeader(name: string, method: number, zip64 = false): Buffer {
  const n = Buffer.from(name, 'utf8');
  const extra = zip64 ? zip64Extra([0, 0]) : Buffer.alloc(0);
  const b = Buffer.alloc(LOCAL_HEADER_SIZE);
  b.writeUInt32LE(LOCAL_HEADER_SIG, 0);
  b.writeUInt16LE(zip64 ? VERSION_ZIP64 : VERSION_PLAIN, 4);
  b.writeUInt16LE(FLAG_DATA_DESCRIPTOR | FLAG_UTF8, 6);
  b.writeUInt16LE(method, 8);
  b.writeUInt16LE(DOS_TIME, 10);
  b.writeUInt16LE(DOS_DATE, 12);
  // CRC and sizes are in the data descriptor (flag bit 3), so the data streams in one pass.
  if (zip64) b.writeUInt32LE(ZIP32_LIMIT, 18);
  if (zip64) b.writeUInt32LE(ZIP32_LIMIT, 22);
  b.writeUInt16LE(n.length, 26);
  b.writeUInt16LE(extra.length, 28);
  return Buffer.concat([b, n, extra]);
}

export function dataDescriptor(crc32: number, compressedSize: number, size: number, zip64 = false): Buffer {
  const b = Buffer.alloc(zip64 ? 24 : 16);
  b.writeUInt32LE(DATA_DESCRIPTOR_SIG, 0);
  b.writeUInt32LE(crc32 >>> 0, 4);
  if (zip64) {
    b.writeBigUInt64LE(BigInt(compressedSize), 8);
    b.writeBigUInt64LE(BigInt(size), 16);
  } else {
    b.writeUInt32LE(compressedSize, 8);
    b.writeUInt32LE(size, 12);
  }
  return b;
}

/**
 * The end of the archive at `centralOffset + centralSize`: the plain end record, preceded by the
 * ZIP64 end record and its locator when the count, size or offset does not fit the plain one.
 */
export function endOfCentral(count: number, centralSize: number, centralOffset: number): Buffer {
  const needs64 = count >= ZIP16_LIMIT || !fits32(centralSize) || !fits32(centralOffset);
  const b = Buffer.alloc(END_OF_CENTRAL_SIZE);
  b.writeUInt32LE(END_OF_CENTRAL_SIG, 0);
  b.writeUInt16LE(Math.min(count, ZIP16_LIMIT), 8);
  b.writeUInt16LE(Math.min(count, ZIP16_LIMIT), 10);
  b.writeUInt32LE(Math.min(centralSize, ZIP32_LIMIT), 12);
  b.writeUInt32LE(Math.min(centralOffset, ZIP32_LIMIT), 16);
  if (!needs64) return b;
  const end64 = Buffer.alloc(ZIP64_END_SIZE);
  end64.writeUInt32LE(ZIP64_END_SIG, 0);
  end64.writeBigUInt64LE(BigInt(ZIP64_END_SIZE - 12), 4); // the record's size after this field
  end64.writeUInt16LE(VERSION_ZIP64, 12);
  end64.writeUInt16LE(VERSION_ZIP64, 14);
  end64.writeBigUInt64LE(BigInt(count), 24);
  end64.writeBigUInt64LE(BigInt(count), 32);
  end64.writeBigUInt64LE(BigInt(centralSize), 40);
  end64.writeBigUInt64LE(BigInt(centralOffset), 48);
  const locator = Buffer.alloc(ZIP64_LOCATOR_SIZE);
  locator.writeUInt32LE(ZIP64_LOCATOR_SIG, 0);
  locator.writeBigUInt64LE(BigInt(centralOffset + centralSize), 8);
  locator.writeUInt32LE(1, 16); // disks
  return Buffer.concat([end64, locator, b]);
}
