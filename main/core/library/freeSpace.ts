import { statfs } from 'node:fs/promises';
import { StudioError } from '../contract/errors';
import { formatBytes } from '../contract/format';

/** Bytes free for this user on the disk holding `folder`; null when the system cannot tell. */
export async function freeBytes(folder: string): Promise<number | null> {
  try {
    const s = await statfs(folder);
    return Number(s.bavail) * Number(s.bsize);
  } catch {
    return null;
  }
}

/**
 * Refuses, before any byte is written, a file that cannot fit on the library's disk, with a
 * message naming the file and how much room it needs.
 */
export async function assertRoomFor(folder: string, bytes: number, displayName: string): Promise<void> {
  const free = await freeBytes(folder);
  if (free === null || bytes <= free) return;
  throw noRoom(folder, bytes, free, displayName);
}

export function noRoom(folder: string, bytes: number, free: number, displayName: string): StudioError {
  const needed = bytes - free;
  return new StudioError(
    'disk_full',
    `${displayName} (${formatBytes(bytes)}) does not fit: the disk holding the library (${folder}) has ${formatBytes(free)} free. Free at least ${formatBytes(needed)} and try again, or choose a library on a bigger disk.`,
  );
}
