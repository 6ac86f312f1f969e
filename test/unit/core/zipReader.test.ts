import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { crc32, deflateRawSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { centralHeader, dataDescriptor, endOfCentral, localHeader, METHOD_DEFLATE, METHOD_STORED } from '../../../main/core/archive/zipFormat';
import { extractEntry, isSafeEntryName, readEntry, readZipDirectory, ZipReadError } from '../../../main/core/archive/zipReader';
import { ZipFileWriter } from '../../../main/core/archive/zipWriter';
import { makeTempDir } from '../../helpers/generatedMedia';

const roomy = { maxEntries: 100, maxEntryBytes: 1 << 30, maxTotalBytes: 1 << 30 };

/** A one-entry archive compressed with deflate, as other zip tools write them. */
function deflatedZip(path: string, name: string, data: Buffer): void {
  const packed = deflateRawSync(data);
  const local = localHeader(name, METHOD_DEFLATE);
  const body = Buffer.concat([local, packed, dataDescriptor(crc32(data), packed.length, data.length)]);
  const central = centralHeader({ name, method: METHOD_DEFLATE, crc32: crc32(data), compressedSize: packed.length, size: data.length, localOffset: 0 });
  writeFileSync(path, Buffer.concat([body, central, endOfCentral(1, central.length, body.length)]));
}

describe('zip reading', () => {
  it('reads stored entries written by our writer and deflated ones written by other tools', async () => {
    const dir = makeTempDir('zip');
    const stored = join(dir, 'stored.zip');
    const w = await ZipFileWriter.create(stored);
    await w.addBuffer('a/b.txt', Buffer.from('hello'));
    await w.addBuffer('empty.txt', Buffer.alloc(0));
    await w.finish();
    const entries = await readZipDirectory(stored, roomy);
    expect(entries.map((e) => [e.name, e.size])).toEqual([['a/b.txt', 5], ['empty.txt', 0]]);
    expect((await readEntry(stored, entries[0]!, 100)).toString()).toBe('hello');
    await extractEntry(stored, entries[1]!, join(dir, 'empty.out'));
    expect(readFileSync(join(dir, 'empty.out')).length).toBe(0);

    const text = Buffer.from('squeeze me '.repeat(1000));
    const deflated = join(dir, 'deflated.zip');
    deflatedZip(deflated, 'text.txt', text);
    const [entry] = await readZipDirectory(deflated, roomy);
    await extractEntry(deflated, entry!, join(dir, 'text.out'));
    expect(readFileSync(join(dir, 'text.out')).equals(text)).toBe(true);
  });

  it('refuses unsafe names, too many files and files over the size limit', async () => {
    for (const bad of ['../x', '/etc/passwd', 'a/../../x', 'C:/x', 'a\\..\\x', 'a//b', './a', '']) expect(isSafeEntryName(bad)).toBe(false);
    expect(isSafeEntryName('media/abc.mp4')).toBe(true);
    const dir = makeTempDir('zip-limits');
    const path = join(dir, 'many.zip');
    const w = await ZipFileWriter.create(path);
    for (let i = 0; i < 3; i++) await w.addBuffer(`f${i}.txt`, Buffer.alloc(100));
    await w.finish();
    const problem = (limits: typeof roomy) => readZipDirectory(path, limits).catch((e: unknown) => (e as ZipReadError).message);
    expect(await problem({ ...roomy, maxEntries: 2 })).toBe('it holds 3 files; at most 2 are accepted');
    expect(await problem({ ...roomy, maxEntryBytes: 50 })).toBe('f0.txt unpacks to 100 bytes, more than the 50 accepted');
    expect(await problem({ ...roomy, maxTotalBytes: 250 })).toBe('its files unpack to more than the 250 bytes accepted');
  });

  it('stops a deflated entry that unpacks to more than it claims (a zip bomb)', async () => {
    const dir = makeTempDir('zip-bomb');
    const path = join(dir, 'bomb.zip');
    const data = Buffer.alloc(1 << 20);
    deflatedZip(path, 'bomb.bin', data);
    // Claim 1 KB in the file list: unpacking must stop as soon as it passes that.
    const bytes = readFileSync(path);
    const centralAt = bytes.readUInt32LE(bytes.length - 22 + 16);
    bytes.writeUInt32LE(1024, centralAt + 24);
    writeFileSync(path, bytes);
    const [entry] = await readZipDirectory(path, roomy);
    const e = await extractEntry(path, entry!, join(dir, 'out.bin')).catch((x: unknown) => x);
    expect(e).toBeInstanceOf(ZipReadError);
    expect((e as ZipReadError).message).toBe('bomb.bin is longer than its stated size');
    expect(existsSync(join(dir, 'out.bin'))).toBe(false);
  });

  it('an end record that points at a ZIP64 record which is not there, or an entry whose ZIP64 sizes are missing, is damaged', async () => {
    const dir = makeTempDir('zip64-damaged');
    const path = join(dir, 'a.zip');
    const w = await ZipFileWriter.create(path);
    await w.addBuffer('a.txt', Buffer.from('hello'));
    await w.finish();
    const plain = readFileSync(path);
    const problem = () => readZipDirectory(path, roomy).catch((e: unknown) => `${(e as ZipReadError).problem}: ${(e as ZipReadError).message}`);

    const noRecord = Buffer.from(plain);
    noRecord.writeUInt32LE(0xffffffff, noRecord.length - 22 + 16);
    writeFileSync(path, noRecord);
    expect(await problem()).toBe('damaged: its end says the file list is in a ZIP64 record, and there is none');

    const noSizes = Buffer.from(plain);
    const centralAt = noSizes.readUInt32LE(noSizes.length - 22 + 16);
    noSizes.writeUInt32LE(0xffffffff, centralAt + 24);
    writeFileSync(path, noSizes);
    expect(await problem()).toBe('damaged: a.txt: its sizes are missing from the file list');
  });

  it('exactly 65,535 files with a plain end record (as some tools write them) read without a ZIP64 record', async () => {
    const count = 0xffff;
    const bodies: Buffer[] = [];
    const centrals: Buffer[] = [];
    let offset = 0;
    for (let i = 0; i < count; i++) {
      const name = `f/${i}`;
      const data = Buffer.from(String(i));
      const body = Buffer.concat([localHeader(name, METHOD_STORED), data, dataDescriptor(crc32(data), data.length, data.length)]);
      centrals.push(centralHeader({ name, method: METHOD_STORED, crc32: crc32(data), compressedSize: data.length, size: data.length, localOffset: offset }));
      bodies.push(body);
      offset += body.length;
    }
    const central = Buffer.concat(centrals);
    const end = Buffer.alloc(22);
    end.writeUInt32LE(0x06054b50, 0);
    end.writeUInt16LE(count, 8);
    end.writeUInt16LE(count, 10);
    end.writeUInt32LE(central.length, 12);
    end.writeUInt32LE(offset, 16);
    const path = join(makeTempDir('zip-65535'), 'plain.zip');
    writeFileSync(path, Buffer.concat([...bodies, central, end]));
    const entries = await readZipDirectory(path, { ...roomy, maxEntries: count });
    expect(entries).toHaveLength(count);
    expect((await readEntry(path, entries[count - 1]!, 10)).toString()).toBe(String(count - 1));
  });
});
