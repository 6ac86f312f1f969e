import { createReadStream } from 'node:fs';
import { open, type FileHandle } from 'node:fs/promises';
import { crc32 } from 'node:zlib';
import {
  centralHeader,
  dataDescriptor,
  endOfCentral,
  localHeader,
  METHOD_STORED,
  ZIP32_LIMIT,
  type CentralEntry,
} from './zipFormat';

/** Thrown when the archive would outgrow what a plain ZIP can state (4 GiB, 65535 entries). */
export class ZipTooLargeError extends Error {}

/**
 * Writes a ZIP file entry by entry, streaming each source file through once (CRC computed on the
 * way, sizes in a data descriptor): memory stays flat however large the videos are. Entries are
 * stored, not compressed: the media is compressed already and a second pass would only cost time.
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
    await this.addChunks(name, (async function* () {
      yield data;
    })());
  }

  async addFile(name: string, sourcePath: string, signal?: AbortSignal): Promise<void> {
    await this.addChunks(name, createReadStream(sourcePath, { signal, highWaterMark: 1 << 20 }));
  }

  /** Writes the central directory; the file is complete and closed afterwards. */
  async finish(): Promise<number> {
    try {
      const central = Buffer.concat(this.entries.map(centralHeader));
      if (this.entries.length > 0xffff) throw new ZipTooLargeError('more than 65535 files');
      this.assertFits(this.offset + central.length + 22);
      await this.write(central);
      await this.write(endOfCentral(this.entries.length, central.length, this.offset - central.length));
      return this.offset;
    } finally {
      await this.fh.close();
    }
  }

  /** Closes without finishing (the caller removes the partial file). */
  async abort(): Promise<void> {
    await this.fh.close().catch(() => undefined);
  }

  private async addChunks(name: string, chunks: AsyncIterable<Buffer | string>): Promise<void> {
    const localOffset = this.offset;
    await this.write(localHeader(name, METHOD_STORED));
    let crc = 0;
    let size = 0;
    for await (const chunk of chunks) {
      const buf = typeof chunk === 'string' ? Buffer.from(chunk) : chunk;
      crc = crc32(buf, crc);
      size += buf.length;
      this.assertFits(this.offset + buf.length);
      await this.write(buf);
    }
    await this.write(dataDescriptor(crc, size, size));
    this.entries.push({ name, method: METHOD_STORED, crc32: crc, compressedSize: size, size, localOffset });
  }

  private assertFits(end: number): void {
    if (end >= ZIP32_LIMIT) throw new ZipTooLargeError('larger than 4 GB');
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
