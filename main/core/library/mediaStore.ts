import { createHash, randomBytes } from 'node:crypto';
import { createReadStream, createWriteStream } from 'node:fs';
import { mkdir, rename, rm, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { Transform, Writable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { fsFailure } from './fsErrors';
import { resolveInsideLibrary, toLibraryPath, type LibraryLayout } from './paths';

export interface IngestedFile {
  tmpPath: string;
  sha256: string;
  sizeBytes: number;
}

export interface PlacedFile {
  /** Library-relative path. */
  file: string;
  /** False when identical content was already stored (another project has it). */
  created: boolean;
}

/**
 * The content-addressed store under media/: every imported file is kept once, named by its
 * SHA-256, whatever project or name it came in with. Writes go to tmp/ first and are renamed in.
 */
export class MediaStore {
  constructor(private readonly layout: LibraryLayout) {}

  async ensureFolders(): Promise<void> {
    for (const dir of [this.layout.media, this.layout.thumbs, this.layout.cache, this.layout.jobs, this.layout.outputs, this.layout.tmp, this.layout.uploads]) {
      await mkdir(dir, { recursive: true });
    }
  }

  tmpName(suffix = '.part'): string {
    return join(this.layout.tmp, `${randomBytes(8).toString('hex')}${suffix}`);
  }

  /**
   * Copies (or, for uploads we already own, moves) a file into tmp/ while hashing it in one
   * streamed pass: memory stays flat however large the file is.
   */
  async ingest(
    source: string,
    options: { move: boolean; displayName: string; signal?: AbortSignal; onBytes?: (done: number) => void },
  ): Promise<IngestedFile> {
    const hash = createHash('sha256');
    let done = 0;
    const counter = new Transform({
      transform(chunk: Buffer, _enc, cb) {
        hash.update(chunk);
        done += chunk.length;
        options.onBytes?.(done);
        cb(null, chunk);
      },
    });
    const tmpPath = this.tmpName();
    try {
      if (options.move) {
        // Hash in place, then rename: an upload we own is never copied a second time.
        const discard = new Writable({ write: (_chunk, _enc, cb) => cb() });
        await pipeline(createReadStream(source), counter, discard, { signal: options.signal });
        await rename(source, tmpPath);
      } else {
        await pipeline(createReadStream(source), counter, createWriteStream(tmpPath, { flags: 'wx' }), { signal: options.signal });
      }
    } catch (e) {
      await rm(tmpPath, { force: true });
      throw fsFailure(e, `import ${options.displayName}`, this.layout.home);
    }
    return { tmpPath, sha256: hash.digest('hex'), sizeBytes: done };
  }

  pathForContent(sha256: string, ext: string): { full: string; rel: string } {
    const full = join(this.layout.media, sha256.slice(0, 2), `${sha256}${ext}`);
    return { full, rel: toLibraryPath(this.layout.home, full) };
  }

  thumbFor(sha256: string): { full: string; rel: string } {
    return this.derived(this.layout.thumbs, sha256, '.jpg');
  }

  /** Previews derived from content (poster, filmstrip, peaks), shared by every asset with that content. */
  cacheFor(sha256: string, suffix: string): { full: string; rel: string } {
    return this.derived(this.layout.cache, sha256, suffix);
  }

  private derived(folder: string, sha256: string, suffix: string): { full: string; rel: string } {
    const full = join(folder, sha256.slice(0, 2), `${sha256}${suffix}`);
    return { full, rel: toLibraryPath(this.layout.home, full) };
  }

  async place(ingested: IngestedFile, ext: string, displayName: string): Promise<PlacedFile> {
    const target = this.pathForContent(ingested.sha256, ext);
    try {
      if (await exists(target.full)) {
        await rm(ingested.tmpPath, { force: true });
        return { file: target.rel, created: false };
      }
      await mkdir(join(this.layout.media, ingested.sha256.slice(0, 2)), { recursive: true });
      await rename(ingested.tmpPath, target.full);
      return { file: target.rel, created: true };
    } catch (e) {
      await rm(ingested.tmpPath, { force: true });
      throw fsFailure(e, `store ${displayName}`, this.layout.home);
    }
  }

  /** Deletes library files by their library-relative paths; missing files are fine. */
  async removeFiles(relPaths: Iterable<string | null>): Promise<void> {
    for (const rel of relPaths) {
      if (!rel) continue;
      const full = resolveInsideLibrary(this.layout.home, rel);
      if (full) await rm(full, { force: true });
    }
  }
}

async function exists(p: string): Promise<boolean> {
  try {
    await stat(p);
    return true;
  } catch {
    return false;
  }
}
