import { createHash } from 'node:crypto';
import { createReadStream, createWriteStream } from 'node:fs';
import { mkdir, stat } from 'node:fs/promises';
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

/**
 * Copies each file from `source` to `dest` while hashing it in the same read (constant memory
 * whatever the size, so a 30 GB weight file is never held), and refuses the pack on the first
 * hash that differs from the manifest's. `dest` is a temporary folder the caller renames or removes.
 */
export async function copyHashedFiles(source: string, dest: string, files: readonly PackFile[], onBytes?: (bytes: number) => void): Promise<void> {
  for (const f of files) {
    const to = join(dest, f.file);
    await mkdir(dirname(to), { recursive: true });
    const hash = createHash('sha256');
    await pipeline(
      createReadStream(join(source, f.file)),
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
}
