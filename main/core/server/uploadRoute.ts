import { randomBytes } from 'node:crypto';
import { createWriteStream } from 'node:fs';
import { rename, rm } from 'node:fs/promises';
import type { IncomingMessage } from 'node:http';
import { join } from 'node:path';
import { Transform } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { fsFailure } from '../library/fsErrors';

/**
 * Receives a file from a browser page into tmp/uploads/<id>. The bytes are streamed to disk
 * (memory stays flat for multi-GB videos) under a .part name and renamed when complete, so an
 * interrupted upload never looks like a finished one. The import then moves it into the library.
 */
export async function receiveUpload(req: IncomingMessage, uploadsDir: string, home: string): Promise<{ uploadId: string; bytes: number }> {
  const uploadId = randomBytes(16).toString('hex');
  const part = join(uploadsDir, `${uploadId}.part`);
  let bytes = 0;
  const counter = new Transform({
    transform(chunk: Buffer, _enc, cb) {
      bytes += chunk.length;
      cb(null, chunk);
    },
  });
  try {
    await pipeline(req, counter, createWriteStream(part, { flags: 'wx' }));
    await rename(part, join(uploadsDir, uploadId));
  } catch (e) {
    await rm(part, { force: true });
    throw fsFailure(e, 'receive the uploaded file', home);
  }
  return { uploadId, bytes };
}
