import { randomBytes } from 'node:crypto';
import { createWriteStream } from 'node:fs';
import { rename, rm } from 'node:fs/promises';
import type { IncomingMessage } from 'node:http';
import { join } from 'node:path';
import { Transform } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { freeBytes, noRoom } from '../library/freeSpace';
import { fsFailure } from '../library/fsErrors';

/** Header the page sends with the file's name (URI-encoded), used only in messages. */
export const UPLOAD_NAME_HEADER = 'x-upload-name';

/** The file's name for messages, as the page sent it; never used as a path. */
function uploadName(req: IncomingMessage): string {
  const raw = req.headers[UPLOAD_NAME_HEADER];
  if (typeof raw !== 'string' || !raw) return 'The uploaded file';
  try {
    const printable = [...decodeURIComponent(raw)].filter((c) => c >= ' ' && c !== '\u007f').join('');
    return printable.slice(0, 200) || 'The uploaded file';
  } catch {
    return 'The uploaded file';
  }
}

/**
 * Receives a file from a browser page into tmp/uploads/<id>. The bytes are streamed to disk
 * (memory stays flat for multi-GB videos) under a .part name and renamed when complete, so an
 * interrupted upload never looks like a finished one. The import then moves it into the library.
 * An upload larger than the free space is refused before a byte is written (by its declared
 * length) or as soon as it outgrows the space (a body without a length).
 */
export async function receiveUpload(req: IncomingMessage, uploadsDir: string, home: string): Promise<{ uploadId: string; bytes: number }> {
  const name = uploadName(req);
  const free = await freeBytes(uploadsDir);
  const room = free ?? Infinity;
  const declared = Number(req.headers['content-length']);
  if (Number.isFinite(declared) && declared > room && free !== null) throw noRoom(home, declared, free, name);
  const uploadId = randomBytes(16).toString('hex');
  const part = join(uploadsDir, `${uploadId}.part`);
  let bytes = 0;
  const counter = new Transform({
    transform(chunk: Buffer, _enc, cb) {
      bytes += chunk.length;
      if (bytes > room && free !== null) return cb(noRoom(home, bytes, free, name));
      cb(null, chunk);
    },
  });
  try {
    await pipeline(req, counter, createWriteStream(part, { flags: 'wx' }));
    await rename(part, join(uploadsDir, uploadId));
  } catch (e) {
    await rm(part, { force: true });
    throw fsFailure(e, `receive ${name}`, home);
  }
  return { uploadId, bytes };
}
