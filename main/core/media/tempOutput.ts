import { randomBytes } from 'node:crypto';
import { rename, rm } from 'node:fs/promises';
import { basename, dirname, extname, join } from 'node:path';

/**
 * A hidden sibling name for an output being written: same folder (so the final rename is atomic),
 * same extension (so ffmpeg picks the right muxer).
 */
export function tempSibling(finalPath: string): string {
  const ext = extname(finalPath);
  return join(dirname(finalPath), `.${basename(finalPath, ext)}.${randomBytes(4).toString('hex')}.part${ext}`);
}

export async function commitTemp(tmp: string, finalPath: string): Promise<void> {
  await rename(tmp, finalPath);
}

export async function removeQuietly(paths: Iterable<string>): Promise<void> {
  for (const p of paths) await rm(p, { force: true, recursive: false }).catch(() => undefined);
}
