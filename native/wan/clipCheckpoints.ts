import { existsSync } from 'node:fs';
import { readFile, rename, stat, writeFile } from 'node:fs/promises';
import { join } from 'node:path';

/**
 * Each finished clip's RGB24 frames, in the job's work folder, so a killed job resumes (S2V and
 * Animate alike). `framesOf(clip)` is how many frames the clip adds to the video.
 */
export class ClipCheckpoints {
  constructor(
    private readonly workDir: string,
    private readonly framesOf: (clip: number) => number,
    private readonly frameBytes: number,
  ) {}

  fileOf(clip: number): string {
    return join(this.workDir, `clip-${String(clip).padStart(4, '0')}.rgb`);
  }

  /** The frames of `clip` when its checkpoint is complete, else null. */
  async read(clip: number): Promise<Buffer | null> {
    const f = this.fileOf(clip);
    const expected = this.framesOf(clip) * this.frameBytes;
    if (!existsSync(f) || (await stat(f)).size !== expected) return null;
    return readFile(f);
  }

  /** Temp file + rename: a checkpoint is either whole or absent. */
  async write(clip: number, rgb: Buffer): Promise<void> {
    const tmp = `${this.fileOf(clip)}.tmp`;
    await writeFile(tmp, rgb);
    await rename(tmp, this.fileOf(clip));
  }
}
