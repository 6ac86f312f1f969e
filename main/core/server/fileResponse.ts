import { createReadStream, type ReadStream } from 'node:fs';
import { stat } from 'node:fs/promises';
import { contentTypeFor } from './contentTypes';

export interface FileResponse {
  status: number;
  headers: Record<string, string>;
  /** Null for responses without a body (errors, HEAD, 416). */
  body: ReadStream | null;
}

/** Parses a single "bytes=a-b" range; multi-range requests are served whole (browsers never send them for media). */
export function parseRange(header: string | undefined, size: number): { start: number; end: number } | 'unsatisfiable' | null {
  if (!header) return null;
  const m = /^bytes=(\d*)-(\d*)$/.exec(header.trim());
  if (!m) return null;
  const [, a, b] = m;
  let start: number;
  let end: number;
  if (a === '' && b === '') return null;
  if (a === '') {
    const suffix = Number(b);
    if (suffix === 0) return 'unsatisfiable';
    start = Math.max(0, size - suffix);
    end = size - 1;
  } else {
    start = Number(a);
    end = b === '' ? size - 1 : Math.min(Number(b), size - 1);
  }
  if (start >= size || start > end) return 'unsatisfiable';
  return { start, end };
}

/**
 * Streams a file with Range support (video seeking needs 206 responses). The caller has already
 * decided the path is allowed; this only serves it.
 */
export async function fileResponse(path: string, rangeHeader: string | undefined, method = 'GET'): Promise<FileResponse> {
  let size: number;
  try {
    const st = await stat(path);
    if (!st.isFile()) return { status: 404, headers: {}, body: null };
    size = st.size;
  } catch {
    return { status: 404, headers: {}, body: null };
  }
  const base = { 'Content-Type': contentTypeFor(path), 'Accept-Ranges': 'bytes', 'Cache-Control': 'private, max-age=3600' };
  const range = parseRange(rangeHeader, size);
  if (range === 'unsatisfiable') {
    return { status: 416, headers: { ...base, 'Content-Range': `bytes */${size}` }, body: null };
  }
  if (range) {
    const len = range.end - range.start + 1;
    return {
      status: 206,
      headers: { ...base, 'Content-Length': String(len), 'Content-Range': `bytes ${range.start}-${range.end}/${size}` },
      body: method === 'HEAD' ? null : createReadStream(path, { start: range.start, end: range.end }),
    };
  }
  return {
    status: 200,
    headers: { ...base, 'Content-Length': String(size) },
    body: method === 'HEAD' ? null : createReadStream(path),
  };
}
