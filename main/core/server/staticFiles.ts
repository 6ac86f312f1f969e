import { resolve, sep } from 'node:path';

/** Maps a URL path to a file inside the built renderer, or null if it would leave that folder. */
export function resolveStaticFile(rendererDir: string, urlPath: string): string | null {
  let decoded: string;
  try {
    decoded = decodeURIComponent(urlPath);
  } catch {
    return null;
  }
  if (decoded.includes('\0')) return null;
  const rel = decoded === '/' || decoded === '' ? 'index.html' : decoded.replace(/^\/+/, '');
  const root = resolve(rendererDir);
  const full = resolve(root, rel);
  return full.startsWith(root + sep) ? full : null;
}
