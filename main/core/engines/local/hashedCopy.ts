import { createHash } from 'node:crypto';
import { createReadStream, createWriteStream } from 'node:fs';
import { link, mkdir, stat } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { Transform } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { StudioError } from '../../contract/errors';
import type { PackFile } from '../../../../common/pack/pack2Files';

/** The total size of the files, refusing the pack when one is missing. */
export async function packFilesSize(source: string, files: readonly PackFile[]): Promise<number> {
  let total = 0;
  for (const f of files) {
    try {
      total += (await stat(join(source, f.file))).size;
    } catch {
      throw new StudioError('not_found', `The model pack is missing ${f.file} (its ${f.label}). Copy the whole pack folder and import again.`);
    }
  }
  return total;
}

/** Files of the installed packs by SHA-256 (hash -> absolute path): an identical file is stored once. */
export type InstalledFiles = ReadonlyMap<string, string>;

/**
 * Copies each file from `source` to `dest` while hashing it in the same read (constant memory
 * whatever the size, so a 30 GB weight file is never held), and refuses the pack on the first
 * hash that differs from the manifest's. A file whose hash equals an installed pack's file (umT5 and
 * the VAE are the same in the S2V and Animate packs) is hard-linked to it instead: stored once, and
 * removing either pack leaves the other's link whole. Across devices it is copied. `dest` is a
 * temporary folder the caller renames or removes.
 */
export async function copyHashedFiles(source: string, dest: string, files: readonly PackFile[], onBytes?: (bytes: number) => void, installed?: InstalledFiles): Promise<void> {
  for (const f of files) {
    const to = join(dest, f.file);
    await mkdir(dirname(to), { recursive: true });
    const same = installed?.get(f.sha256);
    if (same) {
      const size = await linkedSize(same, join(source, f.file), to);
      if (size !== null) {
        onBytes?.(size);
        continue;
      }
    }
    await copyHashed(join(source, f.file), to, f, onBytes);
  }
}

/** Hard-links `to` to the installed file when it has the source's size; null when it cannot (other device, gone, different). */
async function linkedSize(installedFile: string, from: string, to: string): Promise<number | null> {
  try {
    const [have, want] = await Promise.all([stat(installedFile), stat(from)]);
    if (have.size !== want.size) return null;
    await link(installedFile, to);
    return want.size;
  } catch {
    return null;
  }
}

async function copyHashed(from: string, to: string, f: PackFile, onBytes?: (bytes: number) => void): Promise<void> {
  const hash = createHash('sha256');
  await pipeline(
    createReadStream(from),
    new Transform({
      transform(chunk: Buffer, _e, cb) {
        hash.update(chunk);
        onBytes?.(chunk.length);
        cb(null, chunk);
      },
    }),
    createWriteStream(to),
  );
  const got = hash.digest('hex');
  if (got !== f.sha256) throw new StudioError('invalid_input', `The model pack's ${f.label} (${f.file}) is damaged: its SHA-256 is ${got}, the manifest says ${f.sha256}. Download or copy it again.`);
}
