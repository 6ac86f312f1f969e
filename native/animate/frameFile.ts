import { open, type FileHandle } from 'node:fs/promises';

/**
 * One of the preprocessed sequences main wrote for the job (poses, faces, background, mask): raw
 * frames of a fixed size, realLen of them. Frames are read by seeking, a clip's worth at a time, so
 * memory does not grow with the video.
 */
export class FrameFile {
  private constructor(
    private readonly handle: FileHandle,
    readonly frameBytes: number,
    readonly frames: number,
  ) {}

  /** `label` names the sequence in errors ("The pose frames"); the file must hold exactly `frames` frames. */
  static async open(path: string, label: string, size: { width: number; height: number; channels: number }, frames: number): Promise<FrameFile> {
    const frameBytes = size.width * size.height * size.channels;
    let handle: FileHandle;
    try {
      handle = await open(path, 'r');
    } catch (e) {
      throw new Error(`${label} (${path}) cannot be read: ${(e as Error).message}. Start the render again so the studio prepares them anew.`, { cause: e });
    }
    const bytes = (await handle.stat()).size;
    if (bytes !== frameBytes * frames) {
      await handle.close();
      const what = `${size.width}x${size.height}${size.channels === 1 ? ' gray' : ' RGB'}`;
      throw new Error(
        `${label} (${path}) hold ${(bytes / frameBytes).toFixed(bytes % frameBytes ? 2 : 0)} frames of ${what}, but the render needs ${frames}. ` +
          'The preparation was cut short or the file was changed: start the render again so the studio prepares them anew.',
      );
    }
    return new FrameFile(handle, frameBytes, frames);
  }

  /** The frames at `indices` (each within 0..frames-1), packed one after the other. */
  async read(indices: readonly number[]): Promise<Buffer> {
    const out = Buffer.allocUnsafe(indices.length * this.frameBytes);
    for (let i = 0; i < indices.length; i++) {
      const index = indices[i]!;
      if (!(index >= 0 && index < this.frames)) throw new RangeError(`frame ${index} is outside 0..${this.frames - 1}`);
      const { bytesRead } = await this.handle.read(out, i * this.frameBytes, this.frameBytes, index * this.frameBytes);
      if (bytesRead !== this.frameBytes) throw new Error(`frame ${index}: ${bytesRead} of ${this.frameBytes} bytes read; the file shrank while rendering`);
    }
    return out;
  }

  async close(): Promise<void> {
    await this.handle.close();
  }
}
