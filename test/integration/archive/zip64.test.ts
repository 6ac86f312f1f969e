import { execFileSync } from 'node:child_process';
import { closeSync, openSync, readFileSync, rmSync, statSync, writeSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { extractEntry, readZipDirectory } from '../../../main/core/archive/zipReader';
import { ZipFileWriter } from '../../../main/core/archive/zipWriter';
import { makeTempDir } from '../../helpers/generatedMedia';

const GIB = 1024 ** 3;
const dir = makeTempDir('zip64');
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** Python's zipfile, an independent reader: the names, sizes and offsets it finds, and whether every CRC matches. */
function pythonRead(archive: string): { entries: Array<[string, number, number]>; bad: string | null } {
  const script = [
    'import json, sys, zipfile',
    'z = zipfile.ZipFile(sys.argv[1])',
    'print(json.dumps({"entries": [[i.filename, i.file_size, i.header_offset] for i in z.infolist()], "bad": z.testzip()}))',
  ].join('\n');
  return JSON.parse(execFileSync('python3', ['-c', script, archive], { encoding: 'utf8', maxBuffer: 1 << 26 })) as { entries: Array<[string, number, number]>; bad: string | null };
}

describe('project archives past the plain ZIP limits (ZIP64)', { timeout: 300_000 }, () => {
  it('a video over 4 GiB and a file after it: written in one pass, read back by Python and by our reader', async () => {
    // A sparse file: 4 GiB + 1 MiB of zeros with a marked tail, without 4 GiB of disk for the source.
    const big = join(dir, 'long-render.mp4');
    const bigSize = 4 * GIB + (1 << 20);
    const fd = openSync(big, 'w');
    writeSync(fd, Buffer.from('the last bytes of a long render'), 0, 31, bigSize - 31);
    closeSync(fd);
    const archive = join(dir, 'big.wanproj');
    const w = await ZipFileWriter.create(archive);
    await w.addBuffer('manifest.json', Buffer.from('{"format":"wan-studio-project"}'));
    await w.addFile('outputs/long-render.mp4', big);
    await w.addBuffer('outputs/after.txt', Buffer.from('stored past 4 GiB'));
    const written = await w.finish();
    expect(written).toBe(statSync(archive).size);
    expect(written).toBeGreaterThan(bigSize);

    const py = pythonRead(archive);
    expect(py.bad).toBeNull();
    expect(py.entries.map(([n, s]) => [n, s])).toEqual([
      ['manifest.json', 31],
      ['outputs/long-render.mp4', bigSize],
      ['outputs/after.txt', 17],
    ]);
    expect(py.entries[2]![2]).toBeGreaterThan(4 * GIB);

    const entries = await readZipDirectory(archive, { maxEntries: 10, maxEntryBytes: 8 * GIB, maxTotalBytes: 8 * GIB });
    expect(entries.map((e) => [e.name, e.size, e.localOffset])).toEqual(py.entries);
    await extractEntry(archive, entries[2]!, join(dir, 'after.txt'));
    expect(readFileSync(join(dir, 'after.txt'), 'utf8')).toBe('stored past 4 GiB');
    rmSync(big);
    rmSync(archive);
  });

  it('more than 65,535 files: the count goes in the ZIP64 end record', async () => {
    const archive = join(dir, 'many.zip');
    const w = await ZipFileWriter.create(archive);
    const count = 70_000;
    for (let i = 0; i < count; i++) await w.addBuffer(`f/${i}`, Buffer.from(String(i)));
    await w.finish();
    const py = pythonRead(archive);
    expect(py.bad).toBeNull();
    expect(py.entries).toHaveLength(count);
    const entries = await readZipDirectory(archive, { maxEntries: count, maxEntryBytes: 10, maxTotalBytes: GIB });
    expect(entries).toHaveLength(count);
    expect(entries[count - 1]!.name).toBe(`f/${count - 1}`);
    await extractEntry(archive, entries[count - 1]!, join(dir, 'last'));
    expect(readFileSync(join(dir, 'last'), 'utf8')).toBe(String(count - 1));
  });
});
