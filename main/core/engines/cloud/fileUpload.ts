import { createReadStream } from 'node:fs';
import { stat } from 'node:fs/promises';
import { request as httpRequest } from 'node:http';
import { request as httpsRequest } from 'node:https';
import { basename, extname } from 'node:path';
import { Transform } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { StudioError } from '../../contract/errors';
import { CloudHttpError, CloudNetworkError } from './cloudErrors';
import { backoffMs, defaultRetry, sleep, type CloudHttp } from './cloudHttp';

const MIME: Record<string, string> = {
  '.png': 'image/png',
  '.jpg': 'image/jpeg',
  '.jpeg': 'image/jpeg',
  '.webp': 'image/webp',
  '.wav': 'audio/wav',
  '.mp3': 'audio/mpeg',
  '.flac': 'audio/flac',
  '.m4a': 'audio/mp4',
  '.mp4': 'video/mp4',
  '.mov': 'video/quicktime',
  '.webm': 'video/webm',
  '.mkv': 'video/x-matroska',
};

export const mimeFor = (path: string): string => MIME[extname(path).toLowerCase()] ?? 'application/octet-stream';

interface FileRecord {
  id?: string;
  uri?: string;
  upload_url?: string;
}

export interface UploadOptions {
  signal: AbortSignal;
  onProgress?: (sent: number, total: number) => void;
  /** The name the cloud sees (not our temp name). */
  filename?: string;
}

/**
 * Puts one local file into inference.sh storage and returns the URI the app input takes:
 * POST /files for a record with a presigned upload_url, then PUT the bytes there, streamed from
 * disk (memory stays flat for multi-GB videos). The storage host never sees the API key.
 */
export async function uploadFile(http: CloudHttp, path: string, opts: UploadOptions): Promise<string> {
  const { size } = await stat(path);
  const filename = opts.filename ?? basename(path);
  const contentType = mimeFor(filename);
  // Safe to repeat: a second file record is an unused upload slot, not a second paid render.
  const records = await http.request<FileRecord[]>('POST', '/files', {
    idempotent: true,
    signal: opts.signal,
    body: { files: [{ uri: '', filename, content_type: contentType, size }] },
  });
  const record = Array.isArray(records) ? records[0] : undefined;
  if (!record?.upload_url || !record.uri) throw new StudioError('io_error', `inference.sh gave no upload address for ${filename}. Try again; if it persists, the service may have changed its upload flow.`);
  for (let attempt = 0; ; attempt++) {
    try {
      await putFile(record.upload_url, path, size, contentType, opts);
      return record.uri;
    } catch (e) {
      if (opts.signal.aborted) throw new StudioError('cancelled', 'Cancelled.');
      const retryable = e instanceof CloudNetworkError || (e instanceof CloudHttpError && e.status >= 500);
      if (!retryable || attempt + 1 >= defaultRetry.attempts) throw e;
      await sleep(backoffMs(attempt, defaultRetry), opts.signal);
    }
  }
}

/** PUT with an exact Content-Length (presigned URLs require it) and no credentials of ours. */
function putFile(url: string, path: string, size: number, contentType: string, opts: UploadOptions): Promise<void> {
  return new Promise((resolve, reject) => {
    const u = new URL(url);
    const request = u.protocol === 'https:' ? httpsRequest : httpRequest;
    const req = request(u, { method: 'PUT', headers: { 'Content-Type': contentType, 'Content-Length': String(size) }, signal: opts.signal });
    let sent = 0;
    const counter = new Transform({
      transform(chunk: Buffer, _e, cb) {
        sent += chunk.length;
        opts.onProgress?.(sent, size);
        cb(null, chunk);
      },
    });
    req.on('response', (res) => {
      res.resume();
      if ((res.statusCode ?? 0) >= 200 && (res.statusCode ?? 0) < 300) resolve();
      else reject(new CloudHttpError(res.statusCode ?? 0, `upload refused by the storage host`, null, null, null));
    });
    req.on('error', (e) => reject(opts.signal.aborted ? new StudioError('cancelled', 'Cancelled.') : new CloudNetworkError(e.message, { cause: e })));
    pipeline(createReadStream(path), counter, req).catch((e: unknown) => {
      reject(opts.signal.aborted ? new StudioError('cancelled', 'Cancelled.') : new CloudNetworkError((e as Error).message, { cause: e }));
    });
  });
}
