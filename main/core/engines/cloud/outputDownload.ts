import { createWriteStream } from 'node:fs';
import { mkdir, rename, rm, stat } from 'node:fs/promises';
import { dirname } from 'node:path';
import { Readable, Transform } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import type { ReadableStream as WebReadableStream } from 'node:stream/web';
import { StudioError } from '../../contract/errors';
import { tempSibling } from '../../media/tempOutput';
import { backoffMs, defaultRetry, sleep } from './cloudHttp';

export interface DownloadOptions {
  signal: AbortSignal;
  /** The size the task reported, when it did: the download must match it. */
  expectedSize?: number | null;
  onProgress?: (received: number, total: number | null) => void;
  attempts?: number;
}

const fileSize = (p: string) => stat(p).then((s) => s.size, () => 0);

/**
 * Fetches a result file to `dest` with a plain GET (no Authorization: output URLs are signed or
 * public, and the key must never travel to them). A cut connection resumes with a Range request
 * from the bytes already on disk; the file appears at `dest` only once complete and of the size
 * the server announced.
 */
export async function downloadOutput(uri: string, dest: string, opts: DownloadOptions): Promise<number> {
  await mkdir(dirname(dest), { recursive: true });
  const tmp = tempSibling(dest);
  let total: number | null = opts.expectedSize ?? null;
  const attempts = opts.attempts ?? defaultRetry.attempts + 2;
  try {
    for (let attempt = 0; ; attempt++) {
      const have = await fileSize(tmp);
      if (total !== null && have === total) break;
      try {
        const res = await fetch(uri, { headers: have > 0 ? { Range: `bytes=${have}-` } : {}, signal: opts.signal });
        if (res.status === 416 && total !== null && have >= total) break;
        if (!res.ok) throw new StudioError('io_error', `Downloading the result failed: the storage host answered ${res.status}.`);
        const resumed = res.status === 206;
        if (have > 0 && !resumed) await rm(tmp, { force: true }); // server ignored Range: start over
        const range = /\/(\d+)$/.exec(res.headers.get('content-range') ?? '');
        const length = Number(res.headers.get('content-length') ?? NaN);
        const announced = range ? Number(range[1]) : Number.isFinite(length) ? length + (resumed ? have : 0) : null;
        if (announced !== null) {
          if (total !== null && announced !== total) {
            throw new StudioError('io_error', `The result is ${announced} bytes on the server but the task reported ${total}; it may be damaged. Try again.`);
          }
          total = announced;
        }
        let received = resumed ? have : 0;
        const counter = new Transform({
          transform(chunk: Buffer, _e, cb) {
            received += chunk.length;
            opts.onProgress?.(received, total);
            cb(null, chunk);
          },
        });
        if (!res.body) throw new StudioError('io_error', 'Downloading the result failed: empty response.');
        await pipeline(Readable.fromWeb(res.body as unknown as WebReadableStream), counter, createWriteStream(tmp, { flags: resumed ? 'a' : 'w' }));
        if (total === null || (await fileSize(tmp)) === total) break;
      } catch (e) {
        if (opts.signal.aborted) throw new StudioError('cancelled', 'Cancelled.');
        if (e instanceof StudioError) throw e;
        // Connection cut mid-way: resume from what we have.
      }
      if (attempt + 1 >= attempts) {
        throw new StudioError('io_error', `Downloading the result kept failing (${await fileSize(tmp)} of ${total ?? '?'} bytes arrived). Check the connection; the job can be retried without rendering again.`);
      }
      await sleep(backoffMs(attempt, { ...defaultRetry, baseDelayMs: 200 }), opts.signal);
    }
    const size = await fileSize(tmp);
    if (total !== null && size !== total) throw new StudioError('io_error', `The downloaded result has ${size} bytes instead of ${total}.`);
    await rename(tmp, dest);
    return size;
  } catch (e) {
    await rm(tmp, { force: true });
    throw e;
  }
}
