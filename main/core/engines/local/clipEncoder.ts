import { open } from 'node:fs/promises';
import type { S2vClip } from '../../../../common/s2v/s2vJob';
import { StudioError } from '../../contract/errors';
import { createFrameWriter, type FrameWriter, type FrameWriterOptions } from '../../media/frameWriter';

/**
 * Encodes the worker's finished clips into one video as they arrive. Each clip is a raw RGB24
 * checkpoint file the worker has written; it is streamed into the encoder a frame at a time, in
 * clip order, so memory does not grow with the video and frames never cross the message channel.
 */
export class ClipEncoder {
  private queue: Promise<void> = Promise.resolve();
  private failure: unknown = null;
  private frames = 0;

  private constructor(
    private readonly writer: FrameWriter,
    private readonly frameBytes: number,
    private readonly onFailure: (e: unknown) => void,
  ) {}

  /** `onFailure` is told once when encoding fails (the render cannot finish then). */
  static async start(options: FrameWriterOptions, onFailure: (e: unknown) => void): Promise<ClipEncoder> {
    return new ClipEncoder(await createFrameWriter(options), options.width * options.height * 3, onFailure);
  }

  /** Queues a clip behind the ones before it. */
  add(clip: S2vClip): void {
    this.queue = this.queue.then(async () => {
      if (this.failure) return;
      try {
        await this.encode(clip);
      } catch (e) {
        if (this.failure) return; // aborted meanwhile
        this.failure = e;
        this.onFailure(e);
      }
    });
  }

  /**
   * Waits for the queued clips and the finished file. `waitMs` is how long that took: the
   * encoding the render waited for after its last frame (the rest ran while the worker sampled).
   */
  async finish(): Promise<{ frames: number; waitMs: number }> {
    const t = performance.now();
    await this.queue;
    if (this.failure) throw this.failure;
    await this.writer.finish();
    return { frames: this.frames, waitMs: performance.now() - t };
  }

  /** Stops the encoder and removes the partial file. */
  async abort(): Promise<void> {
    this.failure ??= new StudioError('cancelled', 'Cancelled.');
    await this.writer.abort();
    await this.queue;
  }

  private async encode(clip: S2vClip): Promise<void> {
    const file = await open(clip.rgbFile, 'r');
    try {
      for (let k = 0; k < clip.frames; k++) {
        // A fresh buffer per frame: the pipe may still hold the previous one.
        const frame = Buffer.allocUnsafe(this.frameBytes);
        const { bytesRead } = await file.read(frame, 0, this.frameBytes, k * this.frameBytes);
        if (bytesRead !== this.frameBytes) throw new StudioError('internal', `The checkpoint of clip ${clip.clip + 1} is shorter than its ${clip.frames} frames.`);
        await this.writer.write(frame);
        this.frames++;
      }
    } finally {
      await file.close();
    }
  }
}
