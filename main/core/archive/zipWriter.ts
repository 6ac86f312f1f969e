import { createReadStream } from 'node:fs';
import { open, stat, type FileHandle } from 'node:fs/promises';
import { crc32 } from 'node:zlib';
import { centralHeader, dataDescriptor, endOfCentral, localHeader, METHOD_STORED, ZIP32_LIMIT, type CentralEntry } from './zipFormat';

/**
 * Writes a ZIP file entry by entry, streaming each source file through once (CRC computed on the
 * way, sizes in a data descriptor): memory stays flat however large the videos are. Entries are
 * stored, not compressed: the media is compressed already and a second pass would only cost time.
 * Entries, offsets and the directory past 4 GiB are written as ZIP64.
 */
export class ZipFileWriter {
  private offset = 0;
  private readonly entries: CentralEntry[] = [];

  private constructor(private readonly fh: FileHandle) {}

  /** Opens `path` for writing; it must not exist (callers write to a temp name and rename). */
  static async create(path: string): Promise<ZipFileWriter> {
    return new ZipFileWriter(await open(path, 'wx'));
  }

  async addBuffer(name: string, data: Buffer): Promise<void> {
    await this.addChunks(name, data.length, (async function* () {
      yield data;
    })());
  }

  async addFile(name: string, sourcePath: string, signal?: AbortSignal): Promise<void> {
    const { size } = await stat(sourcePath);
    await this.addChunks(name, size, createReadStream(sourcePath, { signal, highWaterMark: 1 << 20 }));
  }

  /** Writes the central directory; the file is complete and closed afterwards. */
  async finish(): Promise<number> {
    try {
      const central = Buffer.concat(this.entries.map(centralHeader));
      const centralOffset = this.offset;
      await this.write(central);
      await this.write(endOfCentral(this.entries.length, central.length, centralOffset));
      return this.offset;
    } finally {
      await this.fh.close();
    }
  }

  /** Closes without finishing (the caller removes the partial file). */
  async abort(): Promise<void> {
    await this.fh.close().catch(() => undefined);
  }

  /** `expectedSize` decides the descriptor's form before the data streams (ZIP64 from 4 GiB). */
  private async addChunks(name: string, expectedSize: number, chunks: AsyncIterable<Buffer | string>): Promise<void> {
    const localOffset = this.offset;
    const zip64 = expectedSize >= ZIP32_LIMIT;
    await this.write(localHeader(name, METHOD_STORED, zip64));
    let crc = 0;
    let size = 0;
    for await (const chunk of chunks) {
      const buf = typeof chunk === 'string' ? Buffer.from(chunk) : chunk;
      crc = crc32(buf, crc);
      size += buf.length;
      await this.write(buf);
    }
    // A file that grew past 4 GiB while it was read would need the ZIP64 descriptor announced above.
    if (size >= ZIP32_LIMIT && !zip64) throw new Error(`${name} grew from ${expectedSize} to ${size} bytes while it was archived`);
    await this.write(dataDescriptor(crc, size, size, zip64));
    this.entries.push({ name, method: METHOD_STORED, crc32: crc, compressedSize: size, size, localOffset });
  }

  private async write(buf: Buffer): Promise<void> {
    let done = 0;
    while (done < buf.length) {
      const { bytesWritten } = await this.fh.write(buf, done, buf.length - done, this.offset + done);
      done += bytesWritten;
    }
    this.offset += buf.length;
  }
}
